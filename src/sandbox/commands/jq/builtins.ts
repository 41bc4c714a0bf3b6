/**
 * jq 1.7's builtins the tutorials use (src/builtin.c and src/builtin.jq): their results and error
 * words. Regular expressions (test, match, sub, gsub, split/2) run on RE2 (linear time), whose
 * syntax is close to jq's Oniguruma for the common cases.
 */
import { RE2JS } from 're2js';
import { compare, dump, dumpTrunc, equal, kind, parseStream, sortedKeys, type JObject, type Json } from './json';
import { Evaluator, JqError, truthy, typeErr, type Builtin, type Env } from './eval';
import type { Node } from './parser';

const all = function* (ev: Evaluator, n: Node, input: Json, env: Env): Generator<Json> {
  yield* ev.run(n, input, env);
};
const collect = (ev: Evaluator, n: Node, input: Json, env: Env): Json[] => [...ev.run(n, input, env)];

function sortByKeys(items: Json[], keys: Json[]): Json[] {
  return items.map((v, i) => ({ v, k: keys[i], i })).sort((a, b) => compare(a.k, b.k) || a.i - b.i).map((x) => x.v);
}

function needArray(v: Json, what: string): Json[] {
  if (!Array.isArray(v)) throw typeErr(v, what);
  return v;
}

function regex(re: Json, flags: Json): RE2JS {
  if (typeof re !== 'string') throw typeErr(re, 'cannot be matched, as it is not a string');
  const f = typeof flags === 'string' ? flags : '';
  try {
    return RE2JS.compile(f.includes('x') ? re.replace(/\s+|#.*$/gm, '') : re, (f.includes('i') ? RE2JS.CASE_INSENSITIVE : 0) | (f.includes('s') ? RE2JS.DOTALL : 0));
  } catch (e) {
    throw new JqError(`${re} (at offset 0) is not a valid regex: ${e instanceof Error ? e.message : String(e)}`);
  }
}

function matches(s: Json, re: RE2JS, global: boolean): JObject[] {
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

const b64 = (s: string): string => btoa(String.fromCharCode(...new TextEncoder().encode(s)));

function b64d(s: string): string {
  const clean = s.replace(/=+$/, '');
  let bin: string;
  try {
    bin = atob(clean + '='.repeat((4 - (clean.length % 4)) % 4));
  } catch {
    throw new JqError(`string (${dumpTrunc(s)}) is not valid base64 data`);
  }
  return new TextDecoder().decode(Uint8Array.from(bin, (c) => c.charCodeAt(0)));
}

function tostring(v: Json): string {
  return typeof v === 'string' ? v : dump(v);
}

function csvCell(v: Json, tsv: boolean): string {
  if (typeof v === 'number') return String(v);
  if (typeof v === 'boolean') return String(v);
  if (v === null) return '';
  if (typeof v === 'string') return tsv ? v.replace(/[\\\t\n\r]/g, (c) => ({ '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' })[c]!) : `"${v.replace(/"/g, '""')}"`;
  throw typeErr(v, `is not valid in a csv row`);
}

export function builtins(): Map<string, Builtin> {
  const m = new Map<string, Builtin>();
  const def = (name: string, f: Builtin): void => void m.set(name, f);
  const simple = (name: string, f: (v: Json) => Json): void => def(`${name}/0`, function* (v) {
    yield f(v);
  });
  def('empty/0', function* () {});
  def('not/0', function* (v) {
    yield !truthy(v);
  });
  simple('length', (v) => {
    if (v === null) return 0;
    if (typeof v === 'boolean') throw typeErr(v, 'has no length');
    if (typeof v === 'number') return Math.abs(v);
    if (typeof v === 'string') return [...v].length;
    return Array.isArray(v) ? v.length : v.size;
  });
  simple('utf8bytelength', (v) => {
    if (typeof v !== 'string') throw typeErr(v, 'only strings have UTF-8 byte length');
    return new TextEncoder().encode(v).length;
  });
  const keys = (sorted: boolean) => (v: Json): Json => {
    if (v instanceof Map) return sorted ? sortedKeys(v) : [...v.keys()];
    if (Array.isArray(v)) return v.map((_, i) => i);
    throw typeErr(v, 'has no keys');
  };
  simple('keys', keys(true));
  simple('keys_unsorted', keys(false));
  def('has/1', function* (v, [a], env, ev) {
    for (const k of all(ev, a, v, env)) {
      if (v instanceof Map && typeof k === 'string') yield v.has(k);
      else if (Array.isArray(v) && typeof k === 'number') yield k >= 0 && k < v.length;
      else throw new JqError(`Cannot check whether ${kind(v)} has a ${kind(k)} key`);
    }
  });
  def('in/1', function* (v, [a], env, ev) {
    for (const o of all(ev, a, v, env)) yield* m.get('has/1')!(o, [{ t: 'literal', value: v }], env, ev);
  });
  simple('to_entries', (v) => {
    if (!(v instanceof Map)) throw typeErr(v, 'has no keys');
    return [...v].map(([k, x]) => new Map<string, Json>([['key', k], ['value', x]]));
  });
  simple('from_entries', (v) => {
    const out: JObject = new Map();
    for (const e of needArray(v, 'cannot be iterated over')) {
      if (!(e instanceof Map)) throw new JqError(`Cannot index ${kind(e)} with "key"`);
      const k = [e.get('key'), e.get('k'), e.get('name'), e.get('Name'), e.get('Key'), e.get('K')].find((x) => x !== undefined && x !== null && x !== false) ?? null;
      const val = [e.get('value'), e.get('v'), e.get('Value'), e.get('V')].find((x) => x !== undefined) ?? null;
      if (typeof k !== 'string' && typeof k !== 'number' && typeof k !== 'boolean') throw new JqError(`Cannot use ${kind(k)} (${dumpTrunc(k)}) as object key`);
      out.set(String(k), val);
    }
    return out;
  });
  def('with_entries/1', function* (v, [f], env, ev) {
    const entries = m.get('to_entries/0')!(v, [], env, ev).next().value as Json[];
    const mapped: Json[] = [];
    for (const e of entries) for (const x of ev.run(f, e, env)) mapped.push(x);
    yield* m.get('from_entries/0')!(mapped, [], env, ev);
  });
  def('map/1', function* (v, [f], env, ev) {
    const out: Json[] = [];
    for (const x of v instanceof Map ? [...v.values()] : needArray(v, 'cannot be iterated over')) for (const y of ev.run(f, x, env)) out.push(y);
    yield out;
  });
  def('map_values/1', function* (v, [f], env, ev) {
    if (Array.isArray(v)) yield v.flatMap((x) => collect(ev, f, x, env).slice(0, 1));
    else if (v instanceof Map) {
      const out: JObject = new Map();
      for (const [k, x] of v) {
        const r = collect(ev, f, x, env);
        if (r.length) out.set(k, r[0]);
      }
      yield out;
    } else throw new JqError(`Cannot iterate over ${kind(v)}`);
  });
  def('select/1', function* (v, [f], env, ev) {
    for (const c of ev.run(f, v, env)) if (truthy(c)) yield v;
  });
  def('recurse/0', function* (v, _a, env, ev) {
    yield* ev.run({ t: 'recurse' }, v, env);
  });
  def('recurse/1', function* (v, [f], env, ev) {
    const walk = function* (x: Json): Generator<Json> {
      yield x;
      for (const y of ev.run(f, x, env)) yield* walk(y);
    };
    yield* walk(v);
  });
  def('error/0', function* (v) {
    throw new JqError(v);
  });
  def('error/1', function* (v, [f], env, ev) {
    for (const msg of ev.run(f, v, env)) throw new JqError(msg);
  });
  simple('type', kind);
  simple('sort', (v) => sortByKeys(needArray(v, 'cannot be sorted, as it is not an array'), needArray(v, '')));
  for (const [name, pick] of [
    ['sort_by', (items: Json[], keys: Json[]) => sortByKeys(items, keys)],
    ['group_by', (items: Json[], keys: Json[]) => {
      const sorted = items.map((v, i) => ({ v, k: keys[i], i })).sort((a, b) => compare(a.k, b.k) || a.i - b.i);
      const groups: Json[][] = [];
      sorted.forEach((x, i) => (i > 0 && equal(x.k, sorted[i - 1].k) ? groups[groups.length - 1].push(x.v) : groups.push([x.v])));
      return groups;
    }],
    ['unique_by', (items: Json[], keys: Json[]) => {
      const sorted = items.map((v, i) => ({ v, k: keys[i], i })).sort((a, b) => compare(a.k, b.k) || a.i - b.i);
      return sorted.filter((x, i) => i === 0 || !equal(x.k, sorted[i - 1].k)).map((x) => x.v);
    }],
    ['min_by', (items: Json[], keys: Json[]) => (items.length ? items[keys.reduce<number>((best, k, i) => (compare(k, keys[best]) < 0 ? i : best), 0)] : null)],
    ['max_by', (items: Json[], keys: Json[]) => (items.length ? items[keys.reduce<number>((best, k, i) => (compare(k, keys[best]) >= 0 ? i : best), 0)] : null)],
  ] as const) {
    def(`${name}/1`, function* (v, [f], env, ev) {
      const items = needArray(v, name === 'sort_by' ? 'cannot be sorted, as it is not an array' : 'cannot be grouped, as it is not an array');
      yield pick(items, items.map((x) => collect(ev, f, x, env)));
    });
  }
  simple('unique', (v) => {
    const s = sortByKeys(needArray(v, 'cannot be sorted, as it is not an array'), v as Json[]);
    return s.filter((x, i) => i === 0 || !equal(x, s[i - 1]));
  });
  simple('min', (v) => needArray(v, 'cannot be iterated over').reduce<Json>((a, x, i) => (i === 0 || compare(x, a) < 0 ? x : a), null));
  simple('max', (v) => needArray(v, 'cannot be iterated over').reduce<Json>((a, x, i) => (i === 0 || compare(x, a) >= 0 ? x : a), null));
  simple('add', (v) => {
    const items = v instanceof Map ? [...v.values()] : needArray(v, 'cannot be iterated over');
    return items.reduce<Json>((a, x) => (a === null ? x : binopAdd(a, x)), null);
  });
  simple('reverse', (v) => (typeof v === 'string' ? [...v].reverse().join('') : v === null ? [] : [...needArray(v, 'cannot be reversed, as it is not an array')].reverse()));
  m.set('first/0', function* (v) {
    if (v === null) yield null;
    else if (Array.isArray(v)) yield v[0] ?? null;
    else throw new JqError(`Cannot index ${kind(v)} with number`);
  });
  m.set('last/0', function* (v) {
    if (v === null) yield null;
    else if (Array.isArray(v)) yield v[v.length - 1] ?? null;
    else throw new JqError(`Cannot index ${kind(v)} with number`);
  });
  def('first/1', function* (v, [f], env, ev) {
    for (const x of ev.run(f, v, env)) {
      yield x;
      return;
    }
  });
  def('last/1', function* (v, [f], env, ev) {
    let last: Json | undefined;
    for (const x of ev.run(f, v, env)) last = x;
    if (last !== undefined) yield last;
  });
  def('limit/2', function* (v, [n, f], env, ev) {
    for (const k of ev.run(n, v, env)) {
      if (typeof k !== 'number' || k <= 0) continue;
      let i = 0;
      for (const x of ev.run(f, v, env)) {
        yield x;
        if (++i >= k) break;
      }
    }
  });
  def('range/1', function* (v, [n], env, ev) {
    for (const k of ev.run(n, v, env)) for (let i = 0; i < (k as number); i++) {
      env.budget.tick();
      yield i;
    }
  });
  def('range/2', function* (v, [a, b], env, ev) {
    for (const from of ev.run(a, v, env)) for (const to of ev.run(b, v, env)) for (let i = from as number; i < (to as number); i++) {
          env.budget.tick();
          yield i;
        }
  });
  def('any/0', function* (v) {
    yield needArray(v, 'cannot be iterated over').some(truthy);
  });
  def('all/0', function* (v) {
    yield needArray(v, 'cannot be iterated over').every(truthy);
  });
  def('any/1', function* (v, [f], env, ev) {
    yield needArray(v, 'cannot be iterated over').some((x) => collect(ev, f, x, env).some(truthy));
  });
  def('all/1', function* (v, [f], env, ev) {
    yield needArray(v, 'cannot be iterated over').every((x) => collect(ev, f, x, env).every(truthy));
  });
  simple('flatten', (v) => needArray(v, 'cannot be flattened').flat(Infinity as 1) as Json);
  def('flatten/1', function* (v, [d], env, ev) {
    for (const depth of ev.run(d, v, env)) {
      if (typeof depth !== 'number' || depth < 0) throw new JqError('flatten depth must not be negative');
      yield needArray(v, 'cannot be flattened').flat(depth as 1) as Json;
    }
  });
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
          const rep = collect(ev, repl, new Map(), env)[0];
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
  def('getpath/1', function* (v, [a], env, ev) {
    for (const p of ev.run(a, v, env)) {
      let x: Json = v;
      for (const k of needArray(p, 'Path must be specified as an array')) x = x === null ? null : (ev.run({ t: 'index', target: { t: 'literal', value: x }, index: { t: 'literal', value: k } }, null, env).next().value as Json);
      yield x;
    }
  });
  def('path/1', function* (v, [f], env, ev) {
    for (const [p] of ev.paths(f, v, env)) yield p as Json;
  });
  def('paths/0', function* (v, _a, env, ev) {
    for (const [p] of ev.paths({ t: 'recurse' }, v, env)) if (p.length) yield p as Json;
  });
  def('del/1', function* (v, [f], env, ev) {
    yield ev.del(v, f, env);
  });
  def('to_number/0', m.get('tonumber/0')!);
  def('env/0', function* (_v, _a, env) {
    yield env.vars.get('ENV') ?? new Map();
  });
  def('input/0', function* (_v, _a, env) {
    const next = (env.vars.get('__inputs') as unknown as { next: () => Json | undefined }).next();
    if (next === undefined) throw new JqError('No more inputs');
    yield next;
  });
  def('inputs/0', function* (_v, _a, env) {
    const src = env.vars.get('__inputs') as unknown as { next: () => Json | undefined };
    for (let x = src.next(); x !== undefined; x = src.next()) yield x;
  });
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
  return m;
}

function binopAdd(a: Json, b: Json): Json {
  if (b === null) return a;
  if (typeof a === 'number' && typeof b === 'number') return a + b;
  if (typeof a === 'string' && typeof b === 'string') return a + b;
  if (Array.isArray(a) && Array.isArray(b)) return [...a, ...b];
  if (a instanceof Map && b instanceof Map) return new Map([...a, ...b]);
  throw new JqError(`${kind(a)} (${dumpTrunc(a)}) and ${kind(b)} (${dumpTrunc(b)}) cannot be added`);
}
