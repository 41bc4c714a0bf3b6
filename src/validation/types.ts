/** Public types of the validation engine. Pure data: usable in the browser, a Worker and Node. */

export type Severity = 'error' | 'warning' | 'info';

/** A position in the text: 1-based line and column (as Monaco and compilers print them), 0-based offset. */
export interface Position {
  line: number;
  column: number;
  offset: number;
}

export interface Range {
  start: Position;
  /** Exclusive end. */
  end: Position;
}

/** Path to a value inside an object: keys and array indexes. */
export type FieldPath = ReadonlyArray<string | number>;

/** Which object a diagnostic is about. */
export interface ResourceRef {
  apiVersion?: string;
  kind?: string;
  name?: string;
  namespace?: string;
}

export type DiagnosticSource = 'syntax' | 'schema' | 'analysis';

export interface Diagnostic {
  /** Stable code: Istio's own (IST0101) where Istio has one, the project's otherwise (see codes.ts). */
  code: string;
  severity: Severity;
  /** One line, Russian, quoting the original English wording of Kubernetes or Istio where there is one. */
  message: string;
  source: DiagnosticSource;
  /** Exact range of the offending key or value; absent for objects that came without text (cluster objects). */
  range?: Range;
  /** Index of the YAML document in the text (0-based). */
  documentIndex?: number;
  /** Path of the offending field inside its object. */
  path?: FieldPath;
  resource?: ResourceRef;
  /** The original English wording (apiserver / istiod / istioctl), when the message quotes one. */
  original?: string;
  /** Why this is a problem and how to fix it (Russian, a few sentences). */
  explanation?: string;
  /** Link to the lesson that explains the fix (site path, e.g. /docs/virtual-service). */
  link?: string;
  /** Istio's analyzer code this corresponds to in `istioctl analyze` output (IST0106 for schema errors of Istio kinds). */
  istioCode?: string;
}

/** A field error shaped like k8s.io/apimachinery field.Error, for the sandbox's admission chain. */
export interface FieldError {
  field: string;
  type: 'Required' | 'Invalid' | 'NotSupported' | 'Duplicate' | 'Forbidden' | 'TooLong';
  value?: unknown;
  detail?: string;
  supported?: string[];
}

/** A Kubernetes-shaped object (what a YAML document or the sandbox store holds). */
export interface KubeObjectLike {
  apiVersion?: unknown;
  kind?: unknown;
  metadata?: unknown;
  [key: string]: unknown;
}
