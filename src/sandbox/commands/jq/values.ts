/**
 * jq's values at run time: the errors a filter raises (jv_invalid_with_msg; `try` catches them),
 * indexing and iteration (jv_aux.c jv_get: "Cannot index array with \"a\"", "Cannot iterate over
 * null"), truthiness and the arithmetic and comparison operators (src/builtin.c binop_*).
 */
import { compare, dump, dumpTrunc, equal, kind, type JObject, type Json } from './json';

/** An error value raised by a filter (`error`, a type error): `try` catches it. */
export class JqError extends Error {
  constructor(readonly value: Json) {
    super(typeof value === 'string' ? value : dump(value));
  }
}

/** An unknown function or variable, found while running (jq finds it at compile time: exit 3). */
export class JqUndefined extends Error {}

export const typeErr = (v: Json, what: string): JqError => new JqError(`${kind(v)} (${dumpTrunc(v)}) ${what}`);

export function index(t: Json, k: Json): Json {
  if (t instanceof Map && typeof k === 'string') return t.get(k) ?? null;
  if (Array.isArray(t) && typeof k === 'number') {
    if (!Number.isInteger(k)) return null;
    return t[k < 0 ? t.length + k : k] ?? null;
  }
  if (t === null && (typeof k === 'string' || typeof k === 'number' || k instanceof Map)) return null;
  // jq 1.7 jv_get: a short string key is quoted in the message
  if (typeof k === 'string' && k.length < 30) throw new JqError(`Cannot index ${kind(t)} with "${k}"`);
  throw new JqError(`Cannot index ${kind(t)} with ${kind(k)}`);
}

export function* iterate(v: Json): Generator<Json> {
  if (Array.isArray(v)) yield* v;
  else if (v instanceof Map) yield* v.values();
  else throw new JqError(`Cannot iterate over ${kind(v)}${v === null ? '' : ` (${dumpTrunc(v)})`}`);
}

export function sliceBounds(len: number, from: Json, to: Json): [number, number] {
  if ((from !== null && typeof from !== 'number') || (to !== null && typeof to !== 'number')) throw new JqError('Start and end indices of an array slice must be numbers');
  let s = from === null ? 0 : from;
  let e = to === null ? len : to;
  if (s < 0) s += len;
  if (e < 0) e += len;
  s = Math.min(Math.max(0, Math.floor(s)), len);
  e = Math.min(Math.max(s, Math.ceil(e)), len);
  return [s, e];
}

export function truthy(v: Json): boolean {
  return v !== null && v !== false;
}

/** jq's arithmetic (builtin.c binop_plus…): objects merge, arrays concatenate, strings repeat and split. */
export function binop(op: string, a: Json, b: Json): Json {
  switch (op) {
    case '+':
      if (a === null) return b;
      if (b === null) return a;
      if (typeof a === 'number' && typeof b === 'number') return a + b;
      if (typeof a === 'string' && typeof b === 'string') return a + b;
      if (Array.isArray(a) && Array.isArray(b)) return [...a, ...b];
      if (a instanceof Map && b instanceof Map) return new Map([...a, ...b]);
      throw new JqError(`${kind(a)} (${dumpTrunc(a)}) and ${kind(b)} (${dumpTrunc(b)}) cannot be added`);
    case '-':
      if (typeof a === 'number' && typeof b === 'number') return a - b;
      if (Array.isArray(a) && Array.isArray(b)) return a.filter((x) => !b.some((y) => equal(x, y)));
      throw new JqError(`${kind(a)} (${dumpTrunc(a)}) and ${kind(b)} (${dumpTrunc(b)}) cannot be subtracted`);
    case '*':
      if (typeof a === 'number' && typeof b === 'number') return a * b;
      if ((typeof a === 'string' && typeof b === 'number') || (typeof a === 'number' && typeof b === 'string')) {
        const [s, n] = typeof a === 'string' ? [a, b as number] : [b as string, a];
        return n <= 0 ? null : s.repeat(Math.max(1, Math.ceil(n)));
      }
      if (a instanceof Map && b instanceof Map) return deepMerge(a, b);
      throw new JqError(`${kind(a)} (${dumpTrunc(a)}) and ${kind(b)} (${dumpTrunc(b)}) cannot be multiplied`);
    case '/':
      if (typeof a === 'number' && typeof b === 'number') {
        if (b === 0) throw new JqError(`${kind(a)} (${dumpTrunc(a)}) and ${kind(b)} (${dumpTrunc(b)}) cannot be divided because the divisor is zero`);
        return a / b;
      }
      if (typeof a === 'string' && typeof b === 'string') return a === '' ? [] : a.split(b);
      throw new JqError(`${kind(a)} (${dumpTrunc(a)}) and ${kind(b)} (${dumpTrunc(b)}) cannot be divided`);
    case '%':
      if (typeof a === 'number' && typeof b === 'number') {
        if (Math.trunc(b) === 0) throw new JqError(`${kind(a)} (${dumpTrunc(a)}) and ${kind(b)} (${dumpTrunc(b)}) cannot be divided because the divisor is zero`);
        return Math.trunc(a) % Math.trunc(b);
      }
      throw new JqError(`${kind(a)} (${dumpTrunc(a)}) and ${kind(b)} (${dumpTrunc(b)}) cannot be divided`);
    case '==':
      return equal(a, b);
    case '!=':
      return !equal(a, b);
    case '<':
      return compare(a, b) < 0;
    case '<=':
      return compare(a, b) <= 0;
    case '>':
      return compare(a, b) > 0;
    case '>=':
      return compare(a, b) >= 0;
  }
  throw new JqError(`unknown operator ${op}`);
}

function deepMerge(a: JObject, b: JObject): JObject {
  const out = new Map(a);
  for (const [k, v] of b) {
    const cur = out.get(k);
    out.set(k, cur instanceof Map && v instanceof Map ? deepMerge(cur, v) : v);
  }
  return out;
}
