/**
 * jq 1.7's builtins the tutorials use (src/builtin.c and src/builtin.jq): their results and error
 * words. The string, regular-expression and format builtins are in builtinsText.ts.
 */
import { compare, dumpTrunc, equal, kind, sortedKeys, type JObject, type Json } from './json';
import { Evaluator, JqError, truthy, typeErr, type Builtin, type Env } from './eval';
import type { Node } from './parser';
import { binop } from './values';
import { defineFormats, defineStrings, needArray, type Define, type Simple } from './builtinsText';

const all = function* (ev: Evaluator, n: Node, input: Json, env: Env): Generator<Json> {
  yield* ev.run(n, input, env);
};
const collect = (ev: Evaluator, n: Node, input: Json, env: Env): Json[] => [...ev.run(n, input, env)];

function sortByKeys(items: Json[], keys: Json[]): Json[] {
  return items.map((v, i) => ({ v, k: keys[i], i })).sort((a, b) => compare(a.k, b.k) || a.i - b.i).map((x) => x.v);
}

export function builtins(): Map<string, Builtin> {
  const m = new Map<string, Builtin>();
  const def: Define = (name, f) => void m.set(name, f);
  const simple: Simple = (name, f) => def(`${name}/0`, function* (v) {
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
    // jq's def add: reduce .[] as $x (null; . + $x)
    return items.reduce<Json>((a, x) => binop('+', a, x), null);
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
  defineStrings(def, simple);
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
  defineFormats(def);
  return m;
}
