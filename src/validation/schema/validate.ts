/**
 * Structural schema validation of a plain object, in the apiserver's order and wording:
 * unknown fields (strict field validation), types, enums, ranges, required fields and the
 * `oneOf` groups of Istio's CRDs. Returns issues with paths; the text front end turns paths
 * into source ranges, the sandbox turns them into field errors.
 */
import { resolveRef } from './registry';
import type { JsonSchema } from './types';

export type IssueKind = 'unknown' | 'type' | 'required' | 'enum' | 'range' | 'oneOf';

export interface SchemaIssue {
  kind: IssueKind;
  /** Path of the offending value; for `required`, the path of the object that lacks the key. */
  path: Array<string | number>;
  key?: string;
  expected?: string;
  actual?: string;
  value?: unknown;
  supported?: Array<string | number>;
  min?: number;
  max?: number;
  fields?: string[];
  present?: string[];
  /** Keys the schema allows here (for suggestions). */
  allowed?: string[];
  /** True when the path step into this value is a map key (labels[app]), not a field. */
  mapKeys?: boolean[];
}

const MAX_DEPTH = 64;
const INT32 = { min: -2147483648, max: 2147483647 };

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function jsonType(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}

interface Ctx {
  issues: SchemaIssue[];
  path: Array<string | number>;
  mapKeys: boolean[];
  limit: number;
}

/** Validate `value` against `schema`; at most `limit` issues. */
export function validateSchema(value: unknown, schema: JsonSchema, limit = 200): SchemaIssue[] {
  const ctx: Ctx = { issues: [], path: [], mapKeys: [], limit };
  walk(value, schema, ctx, 0);
  return ctx.issues;
}

function push(ctx: Ctx, issue: Omit<SchemaIssue, 'path' | 'mapKeys'> & { path?: Array<string | number> }): void {
  if (ctx.issues.length >= ctx.limit) return;
  ctx.issues.push({ ...issue, path: issue.path ?? [...ctx.path], mapKeys: [...ctx.mapKeys] });
}

function typeMatches(v: unknown, type: NonNullable<JsonSchema['type']>): boolean {
  switch (type) {
    case 'object':
      return isRecord(v);
    case 'array':
      return Array.isArray(v);
    case 'string':
      return typeof v === 'string';
    case 'integer':
      return typeof v === 'number' && Number.isInteger(v);
    case 'number':
      return typeof v === 'number' && Number.isFinite(v);
    case 'boolean':
      return typeof v === 'boolean';
  }
}

function walk(value: unknown, schemaIn: JsonSchema, ctx: Ctx, depth: number): void {
  if (depth > MAX_DEPTH || ctx.issues.length >= ctx.limit) return;
  // null is "unset" for Kubernetes (non-nullable fields are pruned); required checks see it as missing.
  if (value === null || value === undefined) return;
  const s = resolveRef(schemaIn);

  if (s['x-kubernetes-int-or-string']) {
    if (!(typeof value === 'string' || (typeof value === 'number' && Number.isInteger(value)))) {
      push(ctx, { kind: 'type', expected: 'integer-or-string', actual: jsonType(value), value });
    }
    return;
  }
  if (s.type) {
    if (!typeMatches(value, s.type)) {
      push(ctx, { kind: 'type', expected: s.type, actual: jsonType(value), value });
      return;
    }
  } else if (s.anyOf && !s.properties) {
    const ok = s.anyOf.some((alt) => {
      const sub: Ctx = { issues: [], path: [...ctx.path], mapKeys: [...ctx.mapKeys], limit: 1 };
      walk(value, alt, sub, depth + 1);
      return sub.issues.length === 0;
    });
    if (!ok) {
      const types = s.anyOf.map((a) => resolveRef(a).type).filter(Boolean);
      push(ctx, { kind: 'type', expected: types.join(' or ') || 'other', actual: jsonType(value), value });
    }
    return;
  }

  if (s.enum && (typeof value === 'string' || typeof value === 'number') && !s.enum.includes(value)) {
    push(ctx, { kind: 'enum', value, supported: s.enum });
    return;
  }
  if (typeof value === 'number') {
    let min = s.minimum;
    let max = s.maximum;
    if (s.format === 'int32') {
      min = Math.max(min ?? INT32.min, INT32.min);
      max = Math.min(max ?? INT32.max, INT32.max);
    }
    if ((min !== undefined && value < min) || (max !== undefined && value > max)) {
      push(ctx, { kind: 'range', value, min, max });
    }
    return;
  }

  if (Array.isArray(value)) {
    if (s.items) {
      for (let i = 0; i < value.length; i++) {
        ctx.path.push(i);
        ctx.mapKeys.push(false);
        walk(value[i], s.items, ctx, depth + 1);
        ctx.path.pop();
        ctx.mapKeys.pop();
      }
    }
    return;
  }

  if (isRecord(value)) {
    const props = s.properties;
    const additional = s.additionalProperties;
    const preserve = s['x-kubernetes-preserve-unknown-fields'] && !props && additional === undefined;
    if (!preserve) {
      for (const key of Object.keys(value)) {
        const child = value[key];
        const ps = props?.[key];
        if (ps) {
          ctx.path.push(key);
          ctx.mapKeys.push(false);
          walk(child, ps, ctx, depth + 1);
          ctx.path.pop();
          ctx.mapKeys.pop();
        } else if (additional && typeof additional === 'object') {
          ctx.path.push(key);
          ctx.mapKeys.push(true);
          walk(child, additional, ctx, depth + 1);
          ctx.path.pop();
          ctx.mapKeys.pop();
        } else if (additional === false || props) {
          push(ctx, { kind: 'unknown', path: [...ctx.path, key], key, allowed: props ? Object.keys(props) : [] });
        }
      }
    }
    for (const r of s.required ?? []) {
      if (value[r] === undefined || value[r] === null) push(ctx, { kind: 'required', key: r });
    }
    if (s.oneOf) checkOneOf(value, s.oneOf, ctx);
    for (const part of s.allOf ?? []) if (part.oneOf) checkOneOf(value, part.oneOf, ctx);
  }
}

function present(value: Record<string, unknown>, key: string): boolean {
  return value[key] !== undefined && value[key] !== null;
}

/** Only the shapes Kubernetes structural schemas allow in oneOf: required sets and not/anyOf of them. */
function branchMatches(value: Record<string, unknown>, b: JsonSchema): boolean {
  if (b.not) return !branchMatches(value, b.not);
  if (b.anyOf) return b.anyOf.some((x) => branchMatches(value, x));
  if (b.required) return b.required.every((k) => present(value, k));
  return true;
}

function checkOneOf(value: Record<string, unknown>, branches: JsonSchema[], ctx: Ctx): void {
  const matched = branches.filter((b) => branchMatches(value, b)).length;
  if (matched === 1) return;
  const fields = [...new Set(branches.flatMap((b) => b.required ?? []))];
  push(ctx, { kind: 'oneOf', fields, present: fields.filter((f) => present(value, f)) });
}

/** `spec.http[0].route`, `metadata.labels[app.kubernetes.io/name]`: the apiserver's field path. */
export function formatPath(path: ReadonlyArray<string | number>, mapKeys?: readonly boolean[]): string {
  let out = '';
  path.forEach((seg, i) => {
    if (typeof seg === 'number') out += `[${seg}]`;
    else if (mapKeys?.[i] && /[./]/.test(seg)) out += `[${seg}]`;
    else out += out ? `.${seg}` : seg;
  });
  return out;
}

/** Levenshtein distance with an early exit above `max`. */
export function distance(a: string, b: string, max = 3): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  const prev = new Array<number>(b.length + 1);
  for (let j = 0; j <= b.length; j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    let diagPrev = prev[0];
    prev[0] = i;
    let rowMin = prev[0];
    for (let j = 1; j <= b.length; j++) {
      const tmp = prev[j];
      prev[j] = Math.min(prev[j] + 1, prev[j - 1] + 1, diagPrev + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagPrev = tmp;
      rowMin = Math.min(rowMin, prev[j]);
    }
    if (rowMin > max) return max + 1;
  }
  return prev[b.length];
}

/** The closest candidate, if it is close enough to be a likely typo. */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  const lower = word.toLowerCase();
  let best: string | undefined;
  let bestD = Infinity;
  for (const c of candidates) {
    if (c.toLowerCase() === lower) return c;
    const d = distance(lower, c.toLowerCase(), 3);
    const limit = word.length <= 4 ? 1 : word.length <= 8 ? 2 : 3;
    if (d <= limit && d < bestD) {
      best = c;
      bestD = d;
    }
  }
  return best;
}
