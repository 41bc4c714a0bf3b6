/**
 * jq 1.7's string builtins (src/builtin.c f_startswith… f_split, src/builtin.jq ascii_downcase, sub,
 * gsub, splits…), its regular expressions on RE2 (linear time; Oniguruma's syntax for the common
 * cases) and the @text @json @base64 @base64d @uri @html @sh @csv @tsv formats (f_format).
 */
import { RE2JS } from 're2js';
import { dump, dumpTrunc, equal, kind, parseStream, type JObject, type Json } from './json';
import { JqError, typeErr, type Builtin } from './eval';

export type Define = (name: string, f: Builtin) => void;
export type Simple = (name: string, f: (v: Json) => Json) => void;

export function needArray(v: Json, what: string): Json[] {
  if (!Array.isArray(v)) throw typeErr(v, what);
  return v;
}

export function regex(re: Json, flags: Json): RE2JS {
  if (typeof re !== 'string') throw typeErr(re, 'cannot be matched, as it is not a string');
  const f = typeof flags === 'string' ? flags : '';
  try {
    return RE2JS.compile(f.includes('x') ? re.replace(/\s+|#.*$/gm, '') : re, (f.includes('i') ? RE2JS.CASE_INSENSITIVE : 0) | (f.includes('s') ? RE2JS.DOTALL : 0));
  } catch (e) {
    throw new JqError(`${re} (at offset 0) is not a valid regex: ${e instanceof Error ? e.message : String(e)}`);
  }
}

export function matches(s: Json, re: RE2JS, global: boolean): JObject[] {
  if (typeof s !== 'string') throw typeErr(s, 'cannot be matched, as it is not a string');
  const out: JObject[] = [];
  const m = re.matcher(s);
  let from = 0;
  while (from <= s.length && m.find(from)) {
    const captures: Json[] = [];
    for (let g = 1; g <= m.groupCount(); g++) {
      const txt = m.group(g);
      captures.push(new Map<string, Json>([['offset', txt === null ? -1 : m.start(g)], ['length', txt?.length ?? 0], ['string', txt], ['name', null]]));
    }
    out.push(new Map<string, Json>([['offset', m.start()], ['length', m.end() - m.start()], ['string', m.group(0)], ['captures', captures]]));
    if (!global) break;
    from = m.end() === m.start() ? m.end() + 1 : m.end();
  }
  return out;
}

export const b64 = (s: string): string => btoa(String.fromCharCode(...new TextEncoder().encode(s)));

export function b64d(s: string): string {
  const clean = s.replace(/=+$/, '');
  let bin: string;
  try {
    bin = atob(clean + '='.repeat((4 - (clean.length % 4)) % 4));
  } catch {
    throw new JqError(`string (${dumpTrunc(s)}) is not valid base64 data`);
  }
  return new TextDecoder().decode(Uint8Array.from(bin, (c) => c.charCodeAt(0)));
}

export function tostring(v: Json): string {
  return typeof v === 'string' ? v : dump(v);
}

export function csvCell(v: Json, tsv: boolean): string {
  if (typeof v === 'number') return String(v);
  if (typeof v === 'boolean') return String(v);
  if (v === null) return '';
  if (typeof v === 'string') return tsv ? v.replace(/[\\\t\n\r]/g, (c) => ({ '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' })[c]!) : `"${v.replace(/"/g, '""')}"`;
  throw typeErr(v, `is not valid in a csv row`);
}


/** startswith … splits: the string and regular-expression builtins. */
export function defineStrings(def: Define, simple: Simple): void {
  const strFn = (name: string, f: (s: string, a: string) => Json, msg: string): void =>
    def(`${name}/1`, function* (v, [a], env, ev) {
      for (const x of ev.run(a, v, env)) {
        if (typeof v !== 'string' || typeof x !== 'string') {
          if (name === 'ltrimstr' || name === 'rtrimstr') yield v;
          else throw new JqError(msg);
        } else yield f(v, x);
      }
    });
  strFn('startswith', (s, a) => s.startsWith(a), 'startswith() requires string inputs');
  strFn('endswith', (s, a) => s.endsWith(a), 'endswith() requires string inputs');
  strFn('ltrimstr', (s, a) => (s.startsWith(a) ? s.slice(a.length) : s), '');
  strFn('rtrimstr', (s, a) => (s.endsWith(a) && a !== '' ? s.slice(0, s.length - a.length) : s), '');
  def('split/1', function* (v, [a], env, ev) {
    for (const sep of ev.run(a, v, env)) {
      if (typeof v !== 'string' || typeof sep !== 'string') throw new JqError('split input and separator must be strings');
      yield v === '' ? [] : v.split(sep);
    }
  });
  def('join/1', function* (v, [a], env, ev) {
    for (const sep of ev.run(a, v, env)) {
      const items = needArray(v, 'cannot be iterated over');
      yield items
        .map((x) => {
          if (x === null) return '';
          if (typeof x === 'object') throw new JqError(`Cannot join with ${kind(x)}`);
          return String(x);
        })
        .join(sep as string);
    }
  });
  simple('ascii_downcase', (v) => {
    if (typeof v !== 'string') throw typeErr(v, 'cannot be lowercased');
    return v.replace(/[A-Z]/g, (c) => c.toLowerCase());
  });
  simple('ascii_upcase', (v) => {
    if (typeof v !== 'string') throw typeErr(v, 'cannot be uppercased');
    return v.replace(/[a-z]/g, (c) => c.toUpperCase());
  });
  simple('tostring', tostring);
  simple('tonumber', (v) => {
    if (typeof v === 'number') return v;
    if (typeof v !== 'string') throw typeErr(v, 'cannot be parsed as a number');
    const p = parseStream(v);
    if (p.error || p.values.length !== 1 || typeof p.values[0].value !== 'number') throw new JqError(`Cannot parse '${v}' as JSON`);
    return p.values[0].value;
  });
  simple('tojson', (v) => dump(v));
  simple('fromjson', (v) => {
    if (typeof v !== 'string') throw typeErr(v, 'only strings can be parsed');
    const p = parseStream(v);
    if (p.error) throw new JqError(`${v} (while parsing '${v}')`);
    return p.values[0]?.value ?? null;
  });
  simple('ascii', (v) => String.fromCharCode(v as number));
  simple('floor', (v) => Math.floor(v as number));
  simple('ceil', (v) => Math.ceil(v as number));
  simple('round', (v) => Math.round(v as number));
  simple('sqrt', (v) => Math.sqrt(v as number));
  simple('fabs', (v) => Math.abs(v as number));
  def('contains/1', function* (v, [a], env, ev) {
    const has = (x: Json, y: Json): boolean => {
      if (x instanceof Map && y instanceof Map) return [...y].every(([k, yv]) => x.has(k) && has(x.get(k)!, yv));
      if (Array.isArray(x) && Array.isArray(y)) return y.every((yv) => x.some((xv) => has(xv, yv)));
      if (typeof x === 'string' && typeof y === 'string') return x.includes(y);
      if (kind(x) === kind(y)) return equal(x, y);
      throw new JqError(`${kind(x)} (${dumpTrunc(x)}) and ${kind(y)} (${dumpTrunc(y)}) cannot have their containment checked`);
    };
    for (const b of ev.run(a, v, env)) yield has(v, b);
  });
  def('index/1', function* (v, [a], env, ev) {
    for (const s of ev.run(a, v, env)) yield typeof v === 'string' && typeof s === 'string' ? (v.indexOf(s) < 0 ? null : v.indexOf(s)) : null;
  });
  for (const [name, test] of [['values', (x: Json) => x !== null], ['nulls', (x: Json) => x === null], ['arrays', Array.isArray], ['objects', (x: Json) => x instanceof Map], ['strings', (x: Json) => typeof x === 'string'], ['numbers', (x: Json) => typeof x === 'number'], ['booleans', (x: Json) => typeof x === 'boolean'], ['iterables', (x: Json) => Array.isArray(x) || x instanceof Map], ['scalars', (x: Json) => !Array.isArray(x) && !(x instanceof Map)]] as const) {
    def(`${name}/0`, function* (v) {
      if ((test as (x: Json) => boolean)(v)) yield v;
    });
  }
  def('test/1', function* (v, [re], env, ev) {
    for (const r of ev.run(re, v, env)) yield matches(v, regex(r, null), false).length > 0;
  });
  def('test/2', function* (v, [re, fl], env, ev) {
    for (const f of ev.run(fl, v, env)) for (const r of ev.run(re, v, env)) yield matches(v, regex(r, f), false).length > 0;
  });
  def('match/1', function* (v, [re], env, ev) {
    for (const r of ev.run(re, v, env)) yield* matches(v, regex(r, null), false);
  });
  def('capture/1', function* (v, [re], env, ev) {
    for (const r of ev.run(re, v, env)) {
      const rx = regex(r, null);
      const names = Object.entries(rx.namedGroups() as Record<string, number>);
      for (const mm of matches(v, rx, false)) {
        const caps = mm.get('captures') as JObject[];
        yield new Map(names.map(([n, i]) => [n, caps[i - 1]?.get('string') ?? null]));
      }
    }
  });
  for (const [name, global] of [['sub', false], ['gsub', true]] as const) {
    def(`${name}/2`, function* (v, [re, repl], env, ev) {
      for (const r of ev.run(re, v, env)) {
        const rx = regex(r, null);
        const found = matches(v, rx, global);
        let out = '';
        let at = 0;
        for (const mm of found) {
          const off = mm.get('offset') as number;
          const rep = [...ev.run(repl, new Map(), env)][0];
          out += (v as string).slice(at, off) + (typeof rep === 'string' ? rep : tostring(rep ?? null));
          at = off + (mm.get('length') as number);
        }
        yield out + (v as string).slice(at);
      }
    });
  }
  def('splits/1', function* (v, [re], env, ev) {
    for (const r of ev.run(re, v, env)) {
      const found = matches(v, regex(r, null), true);
      let at = 0;
      for (const mm of found) {
        yield (v as string).slice(at, mm.get('offset') as number);
        at = (mm.get('offset') as number) + (mm.get('length') as number);
      }
      yield (v as string).slice(at);
    }
  });
}

/** The @name formats. */
export function defineFormats(def: Define): void {
  def('@text/0', function* (v) {
    yield tostring(v);
  });
  def('@json/0', function* (v) {
    yield dump(v);
  });
  def('@base64/0', function* (v) {
    yield b64(tostring(v));
  });
  def('@base64d/0', function* (v) {
    yield b64d(tostring(v));
  });
  def('@uri/0', function* (v) {
    yield [...new TextEncoder().encode(tostring(v))].map((b) => (/[A-Za-z0-9\-_.~]/.test(String.fromCharCode(b)) ? String.fromCharCode(b) : `%${b.toString(16).toUpperCase().padStart(2, '0')}`)).join('');
  });
  def('@html/0', function* (v) {
    yield tostring(v).replace(/[<>&'"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&#39;', '"': '&quot;' })[c]!);
  });
  def('@sh/0', function* (v) {
    const one = (x: Json): string => {
      if (typeof x === 'string') return `'${x.replace(/'/g, "'\\''")}'`;
      if (typeof x === 'object' && x !== null) throw typeErr(x, 'can not be escaped for shell');
      return String(x);
    };
    yield Array.isArray(v) ? v.map(one).join(' ') : one(v);
  });
  def('@csv/0', function* (v) {
    yield needArray(v, 'cannot be csv-formatted, only an array can be').map((x) => csvCell(x, false)).join(',');
  });
  def('@tsv/0', function* (v) {
    yield needArray(v, 'cannot be tsv-formatted, only an array can be').map((x) => csvCell(x, true)).join('\t');
  });
}
