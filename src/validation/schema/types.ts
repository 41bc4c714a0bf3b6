/**
 * The subset of JSON Schema (draft-07, as Kubernetes structural schemas use it) that the
 * generated bundle contains. The same objects configure monaco-yaml.
 */
export interface JsonSchema {
  $ref?: string;
  type?: 'object' | 'array' | 'string' | 'number' | 'integer' | 'boolean';
  description?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: JsonSchema | false;
  items?: JsonSchema;
  enum?: Array<string | number>;
  format?: string;
  minimum?: number;
  maximum?: number;
  oneOf?: JsonSchema[];
  anyOf?: JsonSchema[];
  allOf?: JsonSchema[];
  not?: JsonSchema;
  if?: JsonSchema;
  then?: JsonSchema;
  const?: string | number | boolean;
  $id?: string;
  $schema?: string;
  title?: string;
  'x-kubernetes-int-or-string'?: boolean;
  'x-kubernetes-preserve-unknown-fields'?: boolean;
}

export interface KindEntry {
  group: string;
  version: string;
  kind: string;
  namespaced: boolean;
  /** Name of the definition in $defs. */
  schema: string;
}

export interface SchemaBundle {
  generatedBy: string;
  sources: Record<string, string>;
  stats: Record<string, number>;
  kinds: KindEntry[];
  $defs: Record<string, JsonSchema>;
}
