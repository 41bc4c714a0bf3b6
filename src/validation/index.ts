/**
 * The validation engine: one entry point per user.
 *  - validateText(text, options): the editor, the validation panel and the CLI (YAML with one
 *    or more documents → diagnostics with exact ranges);
 *  - validateObject(obj) / schemaValidator: the sandbox's admission (`kubectl apply`);
 *  - analyzeObjects(objects): the sandbox's `istioctl analyze` over the cluster's objects;
 *  - getMonacoSchemas(): the JSON Schemas for monaco-yaml (hover, completion).
 * Pure TypeScript: no Node-only or DOM-only imports anywhere under src/validation except
 * generator/ (a build script, never imported from here).
 */
import { CODES, diag, lessonForKind } from './codes';
import { checkObject, toFieldErrors, type CheckOptions, type Finding } from './object';
import { ISTIO_DEFAULT_BASELINE } from './analysis/baseline';
import { runAnalyzers } from './analysis/analyzers';
import { Model, type AnalysisInput } from './analysis/model';
import { isRecord } from './schema/validate';
import { DEFAULT_LIMITS, locate, parseYaml, type Limits, type ParsedDocument, type ParseResult } from './yaml/parse';
import type { Diagnostic, FieldError, KubeObjectLike, ResourceRef, Severity } from './types';

export type { Diagnostic, FieldError, KubeObjectLike, Position, Range, ResourceRef, Severity, FieldPath } from './types';
export type { AnalysisInput } from './analysis/model';
export type { CheckOptions } from './object';
export { CODES } from './codes';
export { DEFAULT_LIMITS } from './yaml/parse';
export { getJsonSchemas, getCombinedJsonSchema, getMonacoSchemas } from './schema/registry';
export { ISTIO_DEFAULT_BASELINE } from './analysis/baseline';
export { SUPPRESS_ANNOTATION } from './analysis/analyzers';

export type Baseline = 'istio-default' | 'none';

export interface ValidateOptions {
  /**
   * Other manifests the text may refer to (the rest of a lesson's manifests, or cluster
   * objects): read by the analyzers, never reported on. YAML strings or objects.
   */
  context?: Array<string | KubeObjectLike>;
  /** What the cluster already holds: the default Istio install (default) or nothing. */
  baseline?: Baseline;
  /** Namespace for objects without metadata.namespace (kubectl's default). */
  defaultNamespace?: string;
  /** Run cross-resource analysis (default true). */
  analysis?: boolean;
  /** Codes to silence everywhere (like `istioctl analyze --suppress`). */
  suppress?: string[];
  limits?: Partial<Limits>;
}

export interface ValidationResult {
  diagnostics: Diagnostic[];
  /** Parsed documents (for editors: the objects, their ranges). */
  documents: Array<{ index: number; object?: KubeObjectLike; range: ParsedDocument['range']; resource?: ResourceRef }>;
  counts: Record<Severity, number>;
}

function refOf(obj: KubeObjectLike): ResourceRef {
  const meta = isRecord(obj.metadata) ? obj.metadata : {};
  return {
    apiVersion: typeof obj.apiVersion === 'string' ? obj.apiVersion : undefined,
    kind: typeof obj.kind === 'string' ? obj.kind : undefined,
    name: typeof meta.name === 'string' ? meta.name : undefined,
    namespace: typeof meta.namespace === 'string' ? meta.namespace : undefined,
  };
}

function isIstioKind(obj: KubeObjectLike): boolean {
  return typeof obj.apiVersion === 'string' && /(^|\.)istio\.io\//.test(obj.apiVersion);
}

function findingToDiagnostic(f: Finding, resource: ResourceRef | undefined, istio: boolean): Diagnostic {
  const d = diag(f.code, { path: f.path, resource, args: f.args, severity: f.severity });
  if (CODES[f.code].source === 'schema') {
    const lesson = lessonForKind(resource?.kind);
    if (lesson) d.link = lesson;
    if (istio) d.istioCode = 'IST0106';
  }
  return d;
}

function sortDiagnostics(ds: Diagnostic[]): Diagnostic[] {
  return ds.sort((a, b) => (a.range?.start.offset ?? 0) - (b.range?.start.offset ?? 0) || a.code.localeCompare(b.code));
}

function count(ds: Diagnostic[]): Record<Severity, number> {
  const c: Record<Severity, number> = { error: 0, warning: 0, info: 0 };
  for (const d of ds) c[d.severity]++;
  return c;
}

function contextInputs(options: ValidateOptions): AnalysisInput[] {
  const out: AnalysisInput[] = [];
  if ((options.baseline ?? 'istio-default') === 'istio-default') out.push(...ISTIO_DEFAULT_BASELINE);
  for (const c of options.context ?? []) {
    if (typeof c === 'string') {
      const parsed = parseYaml(c, { ...DEFAULT_LIMITS, ...options.limits });
      for (const d of parsed.documents) if (!d.broken && isRecord(d.value)) out.push({ object: d.value as KubeObjectLike, context: true });
    } else if (isRecord(c)) out.push({ object: c, context: true });
  }
  return out;
}

interface DocOrigin {
  doc: ParsedDocument;
  parse: ParseResult;
}

/** The objects of a YAML text (documents that parse to mappings), for use as `context`. */
export function parseManifests(text: string, limits: Partial<Limits> = {}): KubeObjectLike[] {
  try {
    const parsed = parseYaml(text, { ...DEFAULT_LIMITS, ...limits });
    return parsed.documents.filter((d) => !d.broken && isRecord(d.value)).map((d) => d.value as KubeObjectLike);
  } catch {
    return [];
  }
}

/**
 * Validate YAML text with one or more documents. Never throws: a part of the engine that fails
 * on an unexpected shape (an object where a string belongs…) becomes a YAML010 warning and the
 * rest of the findings are kept.
 */
export function validateText(text: string, options: ValidateOptions = {}): ValidationResult {
  try {
    return validateTextUnguarded(typeof text === 'string' ? text : '', options);
  } catch (e) {
    validationErrors.onError?.(e, 'validateText');
    const d = diag('YAML010', { args: { what: 'текста' } });
    return { diagnostics: [d], documents: [], counts: count([d]) };
  }
}

/**
 * Where a failure caught by the guards above is reported (the fuzzing suite counts them as
 * defects; the learner sees YAML010).
 */
export const validationErrors: { onError?: (e: unknown, where: string) => void } = {};

function validateTextUnguarded(text: string, options: ValidateOptions): ValidationResult {
  const limits = { ...DEFAULT_LIMITS, ...options.limits };
  const parse = parseYaml(text, limits);
  const diagnostics: Diagnostic[] = [...parse.diagnostics];
  const documents: ValidationResult['documents'] = [];
  const inputs: AnalysisInput[] = [];
  for (const doc of parse.documents) {
    if (doc.empty) continue;
    const object = !doc.broken && isRecord(doc.value) ? (doc.value as KubeObjectLike) : undefined;
    const resource = object ? refOf(object) : undefined;
    documents.push({ index: doc.index, object, range: doc.range, resource });
    if (!object) continue;
    const check = guardedCheck(object);
    if (!check) {
      const d = diag('YAML010', { resource, range: doc.range, args: { what: 'документа' } });
      d.documentIndex = doc.index;
      diagnostics.push(d);
      continue;
    }
    const istio = isIstioKind(object);
    for (const f of check.findings) {
      const d = findingToDiagnostic(f, resource, istio);
      d.range = locate(doc, parse.lineCounter, text, f.path ?? [], f.target ?? 'key');
      d.documentIndex = doc.index;
      diagnostics.push(d);
    }
    if (check.known) inputs.push({ object, origin: { doc, parse } satisfies DocOrigin });
  }
  if (options.analysis !== false && inputs.length) {
    diagnostics.push(...analyzeInputs([...contextInputs(options), ...inputs], options, text));
  }
  const suppressed = new Set((options.suppress ?? []).map((s) => s.toUpperCase()));
  const kept = diagnostics.filter((d) => !suppressed.has(d.code));
  return { diagnostics: sortDiagnostics(kept), documents, counts: count(kept) };
}

/** checkObject, or undefined when it fails on the object's shape. */
function guardedCheck(object: KubeObjectLike, options: CheckOptions = {}): ReturnType<typeof checkObject> | undefined {
  try {
    return checkObject(object, options);
  } catch (e) {
    validationErrors.onError?.(e, 'checkObject');
    return undefined;
  }
}

/** Cross-resource analysis; when an analyzer fails on an unexpected shape, one YAML010 warning instead. */
function analyzeInputs(inputs: AnalysisInput[], options: ValidateOptions, text?: string): Diagnostic[] {
  try {
    return analyzeInputsUnguarded(inputs, options, text);
  } catch (e) {
    validationErrors.onError?.(e, 'analysis');
    return [diag('YAML010', { args: { what: 'связей между объектами' } })];
  }
}

function analyzeInputsUnguarded(inputs: AnalysisInput[], options: ValidateOptions, text?: string): Diagnostic[] {
  const model = new Model(inputs, options.defaultNamespace ?? 'default');
  const out: Diagnostic[] = [];
  for (const f of runAnalyzers(model)) {
    const d = findingToDiagnostic(f, f.obj.ref, false);
    const origin = f.obj.input.origin as DocOrigin | undefined;
    if (origin && text !== undefined) {
      d.range = locate(origin.doc, origin.parse.lineCounter, text, f.path ?? [], f.target ?? 'key');
      d.documentIndex = origin.doc.index;
    }
    out.push(d);
  }
  return out;
}

/**
 * Analysis over objects without text (the sandbox's `istioctl analyze`): the cluster's objects,
 * with `baseline: 'none'` since they already include the installed gateways. Objects whose
 * kind the engine does not know are ignored. `origin` is handed back untouched.
 */
export function analyzeObjects(objects: Array<KubeObjectLike | AnalysisInput>, options: ValidateOptions = {}): Diagnostic[] {
  const inputs: AnalysisInput[] = (Array.isArray(objects) ? objects : []).filter(isRecord).map((o) => (isRecord(o.object) ? (o as unknown as AnalysisInput) : { object: o as KubeObjectLike }));
  const base = options.baseline === 'istio-default' ? [...ISTIO_DEFAULT_BASELINE] : [];
  const ctx = contextInputs({ ...options, baseline: 'none' });
  const diags = analyzeInputs([...base, ...ctx, ...inputs], options);
  const suppressed = new Set((options.suppress ?? []).map((s) => s.toUpperCase()));
  return diags.filter((d) => !suppressed.has(d.code));
}

/** Schema, object-meta and Istio webhook diagnostics for one object (no ranges). */
export function validateObjectDiagnostics(obj: KubeObjectLike, options: CheckOptions = {}): Diagnostic[] {
  if (!isRecord(obj)) return [diag('YAML004', { args: { type: 'не объект' } })];
  const resource = refOf(obj);
  const check = guardedCheck(obj, options);
  if (!check) return [diag('YAML010', { resource, args: { what: 'объекта' } })];
  return check.findings.map((f) => findingToDiagnostic(f, resource, isIstioKind(obj)));
}

/**
 * Admission-time validation of an already-parsed object, as apiserver field errors
 * (`spec.http[0].route[0].destination.host: Required value`). Unknown apiVersion/kind gives
 * no field errors (the sandbox answers those with its own "no matches for kind"). Pass
 * `{objectMeta: false}` when the caller validates names and labels itself.
 */
export function validateObject(obj: KubeObjectLike, options: CheckOptions = {}): FieldError[] {
  // istiod's webhook rules are findings without field errors (the sandbox's istiod webhook,
  // src/sandbox/controllers/istioValidation.ts, denies with them): not computed here only to be
  // dropped — a VirtualService of 60 000 hosts was validated twice per kubectl apply
  const check = isRecord(obj) ? guardedCheck(obj, { ...options, webhook: false }) : undefined;
  // an object the schema check cannot even walk is refused the way the apiserver refuses a body it cannot decode
  if (!check) return [{ field: '<root>', type: 'Invalid', detail: 'the object could not be validated: a field holds a value of an unexpected type' }];
  return toFieldErrors(check.findings);
}

/** Adapter with the shape of src/sandbox/api/admission.ts `SchemaValidator`. */
export const schemaValidator = (obj: KubeObjectLike): FieldError[] => validateObject(obj);

/** The same adapter without object-meta checks, for an apiserver that validates names and labels itself. */
export const schemaOnlyValidator = (obj: KubeObjectLike): FieldError[] => validateObject(obj, { objectMeta: false });

/**
 * `Error [IST0101] (VirtualService web.shop) Referenced gateway not found: "x"`: istioctl analyze's
 * line; `origin` (`file.yaml:12`) follows the resource for objects read from a file.
 */
export function formatIstioctl(d: Diagnostic, origin?: string): string {
  const level = d.severity === 'error' ? 'Error' : d.severity === 'warning' ? 'Warning' : 'Info';
  const r = d.resource;
  const who = r?.kind ? ` (${r.kind} ${r.name ?? ''}${r.namespace ? `.${r.namespace}` : ''}${origin ? ` ${origin}` : ''})` : '';
  const code = d.istioCode ?? d.code;
  const text = code === 'IST0106' && d.code !== 'IST0106' ? `Schema validation error: ${d.original ?? d.message}` : (d.original ?? d.message);
  return `${level} [${code}]${who} ${text}`;
}
