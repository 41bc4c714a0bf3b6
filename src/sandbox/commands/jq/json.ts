/**
 * jq 1.7's values: JSON with objects as insertion-ordered maps (jq prints keys in the order they
 * came, `keys` sorts them), the input stream parser (jv_parse.c: several values one after another,
 * its error words, a depth limit), the printer (jv_print.c: 2-space indent, `"key": value`, `[]`
 * and `{}` for empty ones, -c, -S, --tab, --indent) and jq's total order (jv.c jv_cmp).
 */
export type Json = null | boolean | number | string | Json[] | JObject;
export type JObject = Map<string, Json>;

export class JsonParseError extends Error {}

/** jv_parse.c MAX_PARSING_DEPTH */
export const MAX_DEPTH = 10_000;

export function kind(v: Json): 'null' | 'boolean' | 'number' | 'string' | 'array' | 'object' {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (v instanceof Map) return 'object';
  return typeof v as 'boolean' | 'number' | 'string';
}

/** Parses every JSON value of a text (jq reads a stream: `1 2 {"a":3}`), with where each ended (for error locations). */
export function parseStream(text: string): { values: { value: Json; line: number }[]; error?: string } {
  const values: { value: Json; line: number }[] = [];
  let i = 0;
  let line = 1;
  let lineStart = 0;
  const fail = (why: string): never => {
    throw new JsonParseError(`${why} at line ${line}, column ${i - lineStart}`);
  };
  const ws = (): void => {
    for (; i < text.length; i++) {
      const c = text[i];
      if (c === '\n') {
        line++;
        lineStart = i + 1;
      } else if (c !== ' ' && c !== '\t' && c !== '\r') break;
    }
  };
  const str = (): string => {
    i++;
    let out = '';
    for (;;) {
      if (i >= text.length) fail('Unfinished JSON term at EOF');
      const c = text[i++];
      if (c === '"') return out;
      if (c === '\\') {
        const e = text[i++];
        if (e === 'u') {
          const hex = text.slice(i, i + 4);
          if (!/^[0-9a-fA-F]{4}$/.test(hex)) fail('Invalid escape');
          out += String.fromCharCode(parseInt(hex, 16));
          i += 4;
        } else if (e !== undefined && '"\\/bfnrt'.includes(e)) out += ({ b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' } as Record<string, string>)[e] ?? e;
        else fail('Invalid escape');
      } else {
        if (c === '\n') {
          line++;
          lineStart = i;
        }
        out += c;
      }
    }
  };
  const value = (depth: number): Json => {
    if (depth > MAX_DEPTH) fail('Exceeds depth limit for parsing');
    ws();
    const c = text[i];
    if (c === undefined) fail('Unfinished JSON term at EOF');
    if (c === '{') {
      i++;
      const m: JObject = new Map();
      ws();
      if (text[i] === '}') {
        i++;
        return m;
      }
      for (;;) {
        ws();
        if (text[i] !== '"') fail(i >= text.length ? 'Unfinished JSON term at EOF' : 'Object keys must be strings');
        const k = str();
        ws();
        if (text[i] !== ':') fail(i >= text.length ? 'Unfinished JSON term at EOF' : 'Objects must consist of key:value pairs');
        i++;
        m.set(k, value(depth + 1));
        ws();
        if (text[i] === ',') i++;
        else if (text[i] === '}') {
          i++;
          return m;
        } else fail(i >= text.length ? 'Unfinished JSON term at EOF' : 'Expected separator between values');
      }
    }
    if (c === '[') {
      i++;
      const a: Json[] = [];
      ws();
      if (text[i] === ']') {
        i++;
        return a;
      }
      for (;;) {
        a.push(value(depth + 1));
        ws();
        if (text[i] === ',') i++;
        else if (text[i] === ']') {
          i++;
          return a;
        } else fail(i >= text.length ? 'Unfinished JSON term at EOF' : 'Expected separator between values');
      }
    }
    if (c === '"') return str();
    if (c === ']' || c === '}') {
      i++;
      fail(`Unmatched '${c}'`);
    }
    const m = /^(?:-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null|nan)/.exec(text.slice(i, i + 400));
    const word = /^[^\s[\]{},:"]+/.exec(text.slice(i, i + 400))?.[0] ?? c;
    if (!m || m[0].length !== word.length) {
      i += word.length;
      fail(/^[-\d]/.test(word) ? 'Invalid numeric literal' : 'Invalid literal');
    }
    i += m![0].length;
    const w = m![0];
    return w === 'true' ? true : w === 'false' ? false : w === 'null' ? null : w === 'nan' ? null : Number(w);
  };
  try {
    for (;;) {
      ws();
      if (i >= text.length) break;
      let v: Json;
      try {
        v = value(1);
      } catch (e) {
        // the worker's stack ends before jq's 10 000 levels: the same refusal, a little earlier
        if (e instanceof RangeError) fail('Exceeds depth limit for parsing');
        throw e;
      }
      // the location jq reports is the count of newlines its reader consumed: those of the value, and the one ending its line
      let j = i;
      while (text[j] === ' ' || text[j] === '\t' || text[j] === '\r') j++;
      const endsLine = text[j] === '\n';
      values.push({ value: v, line: line - 1 + (endsLine ? 1 : 0) });
    }
  } catch (e) {
    if (e instanceof JsonParseError) return { values, error: e.message };
    throw e;
  }
  return { values };
}

export interface PrintOptions {
  indent: number;
  tab: boolean;
  sortKeys: boolean;
  ascii: boolean;
}

/** jvp_dtoa_fmt: the shortest text that reads back the same number; ±Infinity print as the largest double. */
export function formatNumber(n: number): string {
  if (Number.isNaN(n)) return 'null';
  if (!Number.isFinite(n)) return n > 0 ? '1.7976931348623157e+308' : '-1.7976931348623157e+308';
  if (Object.is(n, -0)) return '-0';
  return String(n);
}

export function quote(s: string, ascii = false): string {
  let q = JSON.stringify(s).replace(/\x7f/g, '\\u007f');
  if (ascii) q = q.replace(/[^\x00-\x7f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return q;
}

export function sortedKeys(o: JObject): string[] {
  return [...o.keys()].sort(codepointCmp);
}

function codepointCmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** jv_dump_string: the text jq prints for a value (`-c` when indent is 0). */
export function dump(v: Json, o: PrintOptions = { indent: 0, tab: false, sortKeys: false, ascii: false }, level = 0): string {
  if (v === null) return 'null';
  if (typeof v === 'boolean') return String(v);
  if (typeof v === 'number') return formatNumber(v);
  if (typeof v === 'string') return quote(v, o.ascii);
  const pretty = o.indent > 0 || o.tab;
  const pad = (n: number): string => (o.tab ? '\t'.repeat(n) : ' '.repeat(n * o.indent));
  if (Array.isArray(v)) {
    if (v.length === 0) return '[]';
    const items = v.map((x) => dump(x, o, level + 1));
    return pretty ? `[\n${items.map((x) => pad(level + 1) + x).join(',\n')}\n${pad(level)}]` : `[${items.join(',')}]`;
  }
  if (v.size === 0) return '{}';
  const keys = o.sortKeys ? sortedKeys(v) : [...v.keys()];
  const items = keys.map((k) => `${quote(k, o.ascii)}:${pretty ? ' ' : ''}${dump(v.get(k)!, o, level + 1)}`);
  return pretty ? `{\n${items.map((x) => pad(level + 1) + x).join(',\n')}\n${pad(level)}}` : `{${items.join(',')}}`;
}

/** jv_dump_string_trunc as error messages use it: at most 11 bytes of the dump, then "...". */
export function dumpTrunc(v: Json): string {
  const s = dump(v);
  return s.length > 14 ? `${s.slice(0, 11)}...` : s;
}

const ORDER = { null: 0, boolean: 1, number: 3, string: 4, array: 5, object: 6 };

/** jv_cmp: null < false < true < numbers < strings < arrays < objects; objects by their sorted keys, then values. */
export function compare(a: Json, b: Json): number {
  const ka = a === true ? 2 : ORDER[kind(a)];
  const kb = b === true ? 2 : ORDER[kind(b)];
  if (ka !== kb) return ka - kb;
  if (typeof a === 'number') return a - (b as number) || 0;
  if (typeof a === 'string') return codepointCmp(a, b as string);
  if (Array.isArray(a)) {
    const bb = b as Json[];
    for (let i = 0; i < Math.min(a.length, bb.length); i++) {
      const c = compare(a[i], bb[i]);
      if (c) return c;
    }
    return a.length - bb.length;
  }
  if (a instanceof Map) {
    const bm = b as JObject;
    const c = compare(sortedKeys(a), sortedKeys(bm));
    if (c) return c;
    for (const k of sortedKeys(a)) {
      const d = compare(a.get(k)!, bm.get(k)!);
      if (d) return d;
    }
  }
  return 0;
}

export function equal(a: Json, b: Json): boolean {
  return compare(a, b) === 0;
}

/** A plain JavaScript value (from JSON.parse-like sources) as a jq value. */
export function fromJs(v: unknown): Json {
  if (v === null || v === undefined) return null;
  if (Array.isArray(v)) return v.map(fromJs);
  if (typeof v === 'object') return new Map(Object.entries(v as Record<string, unknown>).map(([k, x]) => [k, fromJs(x)]));
  return v as Json;
}
