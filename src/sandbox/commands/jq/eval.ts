/**
 * jq 1.7's evaluation: every filter is a generator of outputs (src/execute.c backtracks; here
 * JavaScript generators do). Errors are jq's (jv_aux.c jv_get, execute.c): "Cannot index array
 * with \"a\"", "Cannot iterate over null". Paths (for `path`, `del`, `=`, `|=`, `+=`…) follow the
 * same filters as jq allows in a path expression.
 */
import { compare, dump, dumpTrunc, kind, type JObject, type Json } from './json';
import type { Node } from './parser';
import { delPath, setPath, type Path } from './paths';
import { binop, index, iterate, JqError, JqUndefined, sliceBounds, truthy, typeErr } from './values';

export { binop, index, JqError, JqUndefined, truthy, typeErr, type Path };

export interface Fn {
  params: string[];
  body: Node;
  env: Env;
}

export interface Env {
  vars: Map<string, Json>;
  fns: Map<string, Fn>;
  /** Closure arguments of the function being run: name → the filter and the env it came from. */
  closures: Map<string, { node: Node; env: Env }>;
  /** Steps left: a budget so that `[range(1e9)]` or `repeat(.)` stops with an error instead of hanging. */
  budget: { steps: number; tick: () => void };
}

export type Builtin = (input: Json, args: Node[], env: Env, ev: Evaluator) => Generator<Json>;

export class Evaluator {
  constructor(readonly builtins: Map<string, Builtin>) {}

  /** The outputs of `node` for one input. */
  *run(node: Node, input: Json, env: Env): Generator<Json> {
    env.budget.tick();
    switch (node.t) {
      case 'identity':
        yield input;
        return;
      case 'recurse':
        yield* this.recurse(input);
        return;
      case 'literal':
        yield node.value;
        return;
      case 'index':
        for (const t of this.run(node.target, input, env)) for (const k of this.run(node.index, input, env)) yield index(t, k);
        return;
      case 'slice':
        for (const t of this.run(node.target, input, env))
          for (const to of node.to ? this.run(node.to, input, env) : [null])
            for (const from of node.from ? this.run(node.from, input, env) : [null]) {
              if (t === null) yield null;
              else if (typeof t === 'string' || Array.isArray(t)) {
                const chars = typeof t === 'string' ? [...t] : t;
                const [s, e] = sliceBounds(chars.length, from, to);
                yield typeof t === 'string' ? (chars as string[]).slice(s, e).join('') : t.slice(s, e);
              } else throw new JqError(`Cannot index ${kind(t)} with object`);
            }
        return;
      case 'iterate':
        for (const t of this.run(node.target, input, env)) yield* iterate(t);
        return;
      case 'try':
        try {
          for (const v of this.run(node.body, input, env)) yield v;
        } catch (e) {
          if (!(e instanceof JqError)) throw e;
          if (node.handler) yield* this.run(node.handler, e.value, env);
        }
        return;
      case 'string':
        yield* this.interpolate(node.parts, 0, '', input, env, node.format);
        return;
      case 'format':
        yield* this.call('@' + node.name, [], input, env);
        return;
      case 'array': {
        const out: Json[] = [];
        if (node.body)
          for (const v of this.run(node.body, input, env)) {
            env.budget.tick();
            out.push(v);
          }
        yield out;
        return;
      }
      case 'object':
        yield* this.object(node.entries, 0, new Map(), input, env);
        return;
      case 'pipe':
        for (const v of this.run(node.left, input, env)) {
          env.budget.tick();
          yield* this.run(node.right, v, env);
        }
        return;
      case 'comma':
        yield* this.run(node.left, input, env);
        yield* this.run(node.right, input, env);
        return;
      case 'alt': {
        let any = false;
        try {
          for (const v of this.run(node.left, input, env))
            if (truthy(v)) {
              any = true;
              yield v;
            }
        } catch (e) {
          if (!(e instanceof JqError)) throw e;
        }
        if (!any) yield* this.run(node.right, input, env);
        return;
      }
      case 'and':
      case 'or':
        for (const l of this.run(node.left, input, env)) {
          if (node.t === 'and' ? !truthy(l) : truthy(l)) {
            yield node.t === 'or';
            continue;
          }
          for (const r of this.run(node.right, input, env)) yield truthy(r);
        }
        return;
      case 'binop':
        for (const r of this.run(node.right, input, env)) for (const l of this.run(node.left, input, env)) yield binop(node.op, l, r);
        return;
      case 'neg':
        for (const v of this.run(node.body, input, env)) {
          if (typeof v !== 'number') throw typeErr(v, 'cannot be negated');
          yield -v;
        }
        return;
      case 'var': {
        if (node.name === 'ENV' && !env.vars.has('ENV')) throw new JqUndefined('$ENV is not defined');
        if (!env.vars.has(node.name)) throw new JqUndefined(`$${node.name} is not defined`);
        yield env.vars.get(node.name)!;
        return;
      }
      case 'as':
        for (const v of this.run(node.source, input, env)) yield* this.run(node.body, input, { ...env, vars: new Map(env.vars).set(node.name, v) });
        return;
      case 'if':
        for (const c of this.run(node.cond, input, env)) {
          if (truthy(c)) yield* this.run(node.then, input, env);
          else if (node.otherwise) yield* this.run(node.otherwise, input, env);
          else yield input;
        }
        return;
      case 'reduce':
        for (const init of this.run(node.init, input, env)) {
          let acc: Json = init;
          for (const v of this.run(node.source, input, env)) {
            let last: Json = null;
            for (const x of this.run(node.update, acc, { ...env, vars: new Map(env.vars).set(node.name, v) })) last = x;
            acc = last;
          }
          yield acc;
        }
        return;
      case 'foreach':
        for (const init of this.run(node.init, input, env)) {
          let acc: Json = init;
          for (const v of this.run(node.source, input, env)) {
            const inner = { ...env, vars: new Map(env.vars).set(node.name, v) };
            for (const x of this.run(node.update, acc, inner)) {
              acc = x;
              if (node.extract) yield* this.run(node.extract, x, inner);
              else yield x;
            }
          }
        }
        return;
      case 'def': {
        const fns = new Map(env.fns);
        const inner: Env = { ...env, fns };
        fns.set(`${node.name}/${node.params.length}`, { params: node.params, body: node.body, env: inner });
        yield* this.run(node.rest, input, inner);
        return;
      }
      case 'call':
        yield* this.call(node.name, node.args, input, env);
        return;
      case 'assign':
        yield* this.assign(node, input, env);
        return;
    }
  }

  private *recurse(v: Json): Generator<Json> {
    yield v;
    if (Array.isArray(v) || v instanceof Map) for (const c of iterate(v)) yield* this.recurse(c);
  }

  private *interpolate(parts: (string | Node)[], i: number, acc: string, input: Json, env: Env, format?: string): Generator<Json> {
    if (i === parts.length) {
      yield acc;
      return;
    }
    const p = parts[i];
    if (typeof p === 'string') {
      yield* this.interpolate(parts, i + 1, acc + p, input, env, format);
      return;
    }
    for (const v of this.run(p, input, env)) {
      const text = format ? (this.call('@' + format, [], v, env).next().value as string) : typeof v === 'string' ? v : dump(v);
      yield* this.interpolate(parts, i + 1, acc + text, input, env, format);
    }
  }

  private *object(entries: { key: Node; value: Node }[], i: number, acc: JObject, input: Json, env: Env): Generator<Json> {
    if (i === entries.length) {
      yield acc;
      return;
    }
    for (const k of this.run(entries[i].key, input, env)) {
      if (typeof k !== 'string') throw new JqError(`Object keys must be strings`);
      for (const v of this.run(entries[i].value, input, env)) yield* this.object(entries, i + 1, new Map(acc).set(k, v), input, env);
    }
  }

  *call(name: string, args: Node[], input: Json, env: Env): Generator<Json> {
    const key = `${name}/${args.length}`;
    const closure = args.length === 0 ? env.closures.get(name) : undefined;
    if (closure) {
      yield* this.run(closure.node, input, closure.env);
      return;
    }
    const fn = env.fns.get(key);
    if (fn) {
      const closures = new Map(fn.env.closures);
      const vars = new Map(fn.env.vars);
      const inner: Env = { ...fn.env, closures, vars, fns: new Map(fn.env.fns).set(key, fn) };
      const valueParams = fn.params.map((p, i) => ({ p, i })).filter((x) => x.p.startsWith('$'));
      for (const { p, i } of fn.params.map((p, i) => ({ p, i }))) if (!p.startsWith('$')) closures.set(p, { node: args[i], env });
      // `$x` parameters: one run per combination of their values
      const bind = function* (this: Evaluator, j: number): Generator<Json> {
        if (j === valueParams.length) {
          yield* this.run(fn.body, input, inner);
          return;
        }
        const { p, i } = valueParams[j];
        for (const v of this.run(args[i], input, env)) {
          vars.set(p.slice(1), v);
          closures.set(p.slice(1), { node: { t: 'literal', value: v }, env });
          yield* bind.call(this, j + 1);
        }
      };
      yield* bind.call(this, 0);
      return;
    }
    const b = this.builtins.get(key);
    if (!b) throw new JqUndefined(`${key} is not defined`);
    yield* b(input, args, env, this);
  }

  /** The paths a path expression selects (path(f)), with the values there. */
  *paths(node: Node, input: Json, env: Env, at: Path = []): Generator<[Path, Json]> {
    env.budget.tick();
    switch (node.t) {
      case 'identity':
        yield [at, input];
        return;
      case 'recurse': {
        const walk = function* (p: Path, v: Json): Generator<[Path, Json]> {
          yield [p, v];
          if (Array.isArray(v)) for (let i = 0; i < v.length; i++) yield* walk([...p, i], v[i]);
          else if (v instanceof Map) for (const [k, x] of v) yield* walk([...p, k], x);
        };
        yield* walk(at, input);
        return;
      }
      case 'index':
        for (const [p, v] of this.paths(node.target, input, env, at))
          for (const k of this.run(node.index, input, env)) yield [[...p, k as string | number], index(v, k)];
        return;
      case 'iterate':
        for (const [p, v] of this.paths(node.target, input, env, at)) {
          if (Array.isArray(v)) for (let i = 0; i < v.length; i++) yield [[...p, i], v[i]];
          else if (v instanceof Map) for (const [k, x] of v) yield [[...p, k], x];
          else if (v !== null) throw new JqError(`Cannot iterate over ${kind(v)} (${dumpTrunc(v)})`);
        }
        return;
      case 'pipe':
        for (const [p, v] of this.paths(node.left, input, env, at)) yield* this.paths(node.right, v, env, p);
        return;
      case 'comma':
        yield* this.paths(node.left, input, env, at);
        yield* this.paths(node.right, input, env, at);
        return;
      case 'try':
        try {
          for (const x of this.paths(node.body, input, env, at)) yield x;
        } catch (e) {
          if (!(e instanceof JqError)) throw e;
        }
        return;
      case 'if':
        for (const c of this.run(node.cond, input, env)) {
          if (truthy(c)) yield* this.paths(node.then, input, env, at);
          else if (node.otherwise) yield* this.paths(node.otherwise, input, env, at);
          else yield [at, input];
        }
        return;
      case 'call':
        if (node.name === 'select' && node.args.length === 1) {
          for (const c of this.run(node.args[0], input, env)) if (truthy(c)) yield [at, input];
          return;
        }
        if (node.name === 'empty' && node.args.length === 0) return;
        if ((node.name === 'first' || node.name === 'last') && node.args.length === 0) {
          yield [[...at, node.name === 'first' ? 0 : -1], index(input, node.name === 'first' ? 0 : -1)];
          return;
        }
        if (node.name === 'getpath' && node.args.length === 1) {
          for (const p of this.run(node.args[0], input, env)) {
            if (!Array.isArray(p)) throw new JqError('Path must be specified as an array');
            let v: Json = input;
            for (const k of p) v = v === null ? null : index(v, k);
            yield [[...at, ...(p as Path)], v];
          }
          return;
        }
        break;
      case 'literal':
        if (node.value === null) {
          yield [at, null];
          return;
        }
        break;
    }
    throw new JqError(`Invalid path expression with result ${dumpTrunc(this.run(node, input, env).next().value ?? null)}`);
  }

  private *assign(node: Extract<Node, { t: 'assign' }>, input: Json, env: Env): Generator<Json> {
    const paths = [...this.paths(node.left, input, env)];
    if (node.op === '|=') {
      let out = input;
      for (const [p, v] of paths) {
        const first = this.run(node.right, v, env).next();
        out = first.done ? delPath(out, p) : setPath(out, p, first.value);
      }
      yield out;
      return;
    }
    for (const rhs of this.run(node.right, input, env)) {
      let out = input;
      for (const [p, v] of paths) {
        if (node.op === '=') out = setPath(out, p, rhs);
        else if (node.op === '//=') out = setPath(out, p, truthy(v) ? v : rhs);
        else out = setPath(out, p, binop(node.op.slice(0, -1), v, rhs));
      }
      yield out;
    }
  }

  /** del(f): every path of f removed, the deepest and last first so indices stay right. */
  del(input: Json, node: Node, env: Env): Json {
    const paths = [...this.paths(node, input, env)].map(([p]) => p);
    paths.sort((a, b) => compare(b as Json, a as Json));
    let out = input;
    for (const p of paths) out = p.length === 0 ? null : delPath(out, p);
    return out;
  }
}
