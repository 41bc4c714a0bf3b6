/**
 * The kinds the engine knows, with their schemas from the generated bundle, and the JSON
 * Schemas for monaco-yaml (hover from descriptions, completion of keys and enums).
 */
import bundleJson from './schemas.gen.json';
import type { JsonSchema, KindEntry, SchemaBundle } from './types';

export const bundle = bundleJson as unknown as SchemaBundle;

const byKey = new Map<string, KindEntry>();
for (const k of bundle.kinds) byKey.set(`${k.group}/${k.version}/${k.kind}`, k);

export function splitApiVersion(apiVersion: string): { group: string; version: string } {
  const i = apiVersion.indexOf('/');
  return i < 0 ? { group: '', version: apiVersion } : { group: apiVersion.slice(0, i), version: apiVersion.slice(i + 1) };
}

export function findKind(apiVersion: string, kind: string): KindEntry | undefined {
  const { group, version } = splitApiVersion(apiVersion);
  return byKey.get(`${group}/${version}/${kind}`);
}

/** Served versions of a kind in any group, for "did you mean" hints. */
export function versionsOfKind(kind: string): KindEntry[] {
  return bundle.kinds.filter((k) => k.kind === kind);
}

export function allKinds(): readonly KindEntry[] {
  return bundle.kinds;
}

export function apiVersionOf(k: KindEntry): string {
  return k.group ? `${k.group}/${k.version}` : k.version;
}

export function resolveRef(s: JsonSchema): JsonSchema {
  let cur = s;
  for (let i = 0; i < 16 && cur.$ref; i++) {
    const next = bundle.$defs[cur.$ref.slice(8)];
    if (!next) break;
    cur = next;
  }
  return cur;
}

export function rootSchema(k: KindEntry): JsonSchema {
  return bundle.$defs[k.schema];
}

export const SCHEMA_BASE_URI = 'https://istio-practicum.local/schemas';

/**
 * JSON Schemas for monaco-yaml / yaml-language-server: one per apiVersion+kind (self-contained
 * with the shared $defs) and one combined schema that picks the right one by apiVersion and kind.
 * Configure monaco-yaml with `schemas: getMonacoSchemas()` and `fileMatch: ['*']` on the combined one.
 */
export function getJsonSchemas(): Array<{ uri: string; apiVersion: string; kind: string; schema: JsonSchema & { $defs: Record<string, JsonSchema> } }> {
  return bundle.kinds.map((k) => {
    const apiVersion = apiVersionOf(k);
    const root = rootSchema(k);
    const schema = {
      $schema: 'http://json-schema.org/draft-07/schema#',
      $id: `${SCHEMA_BASE_URI}/${k.group || 'core'}/${k.version}/${k.kind}.json`,
      title: `${k.kind} (${apiVersion})`,
      ...root,
      properties: {
        ...root.properties,
        apiVersion: { ...root.properties?.apiVersion, enum: [apiVersion] },
        kind: { ...root.properties?.kind, enum: [k.kind] },
      },
      $defs: bundle.$defs,
    };
    return { uri: schema.$id, apiVersion, kind: k.kind, schema };
  });
}

/** A single schema that dispatches on apiVersion/kind with if/then (draft-07), for one editor model. */
export function getCombinedJsonSchema(): JsonSchema & { $defs: Record<string, JsonSchema> } {
  const apiVersions = [...new Set(bundle.kinds.map(apiVersionOf))];
  const kinds = [...new Set(bundle.kinds.map((k) => k.kind))];
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: `${SCHEMA_BASE_URI}/all.json`,
    title: 'Kubernetes and Istio resources',
    type: 'object',
    properties: {
      apiVersion: { type: 'string', enum: apiVersions, description: 'APIVersion defines the versioned schema of this representation of an object.' },
      kind: { type: 'string', enum: kinds, description: 'Kind is a string value representing the REST resource this object represents.' },
    },
    allOf: bundle.kinds.map((k) => ({
      if: { properties: { apiVersion: { const: apiVersionOf(k) }, kind: { const: k.kind } }, required: ['apiVersion', 'kind'] },
      then: { $ref: `#/$defs/${k.schema}` },
    })),
    $defs: bundle.$defs,
  };
}

/** monaco-yaml `schemas` option entries. */
export function getMonacoSchemas(fileMatch: string[] = ['*']): Array<{ uri: string; fileMatch: string[]; schema: JsonSchema }> {
  const combined = getCombinedJsonSchema();
  return [{ uri: combined.$id!, fileMatch, schema: combined }];
}
