/**
 * The access-log filter a Telemetry's `accessLogging[].filter.expression` becomes: istiod turns it
 * into Envoy's CEL extension filter (envoy.access_loggers.extension_filters.cel, ExpressionFilter),
 * which writes a log entry only when the expression evaluates to true. An evaluation error (an
 * attribute that is absent, such as response.code on a connection that got no response, or a
 * type mismatch) counts as false, which is why istio.io suggests
 * `!has(response.code) || response.code >= 500`.
 *
 * A subset of CEL over a subset of Envoy's attributes (envoy docs intro/arch_overview/advanced/attributes):
 * literals (int, 'string', "string", true, false), attribute paths (response.code,
 * response.code_details, request.method, request.path, request.url_path, request.host,
 * request.useragent, request.id, xds.cluster_name, xds.route_name), `!`, `== != < <= > >=`,
 * `&& ||`, parentheses, has(path) and the string methods startsWith, endsWith, contains.
 */
import type { AccessLogEntry } from './accessLog';

type Value = string | number | boolean;
class CelError extends Error {}

type Node =
  | { k: 'lit'; v: Value }
  | { k: 'path'; parts: string[] }
  | { k: 'not'; e: Node }
  | { k: 'bin'; op: string; l: Node; r: Node }
  | { k: 'has'; path: string[] }
  | { k: 'call'; target: Node; fn: string; arg: Node };

const TOKEN = /\s*(?:(\d+)|'([^']*)'|"([^"]*)"|([A-Za-z_][A-Za-z0-9_]*)|(&&|\|\||==|!=|<=|>=|[<>!().,]))/y;

function tokenize(src: string): string[] {
  const out: string[] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < src.length) {
    if (/^\s*$/.test(src.slice(TOKEN.lastIndex))) break;
    const m = TOKEN.exec(src);
    if (!m) throw new CelError(`Syntax error at ${TOKEN.lastIndex}`);
    out.push(m[1] !== undefined ? `#${m[1]}` : m[2] !== undefined ? `'${m[2]}` : m[3] !== undefined ? `'${m[3]}` : (m[4] ?? m[5]));
  }
  return out;
}

/** Parses a CEL expression of the supported subset; throws on anything else. */
export function parseCel(src: string): Node {
  const t = tokenize(src);
  let i = 0;
  const peek = (): string | undefined => t[i];
  const eat = (s: string): void => {
    if (t[i] !== s) throw new CelError(`expected ${s}`);
    i++;
  };
  const ident = (): string => {
    const s = t[i++];
    if (!s || !/^[A-Za-z_]/.test(s)) throw new CelError('expected identifier');
    return s;
  };
  const or = (): Node => {
    let l = and();
    while (peek() === '||') {
      i++;
      l = { k: 'bin', op: '||', l, r: and() };
    }
    return l;
  };
  const and = (): Node => {
    let l = rel();
    while (peek() === '&&') {
      i++;
      l = { k: 'bin', op: '&&', l, r: rel() };
    }
    return l;
  };
  const rel = (): Node => {
    const l = unary();
    const op = peek();
    if (op && ['==', '!=', '<', '<=', '>', '>='].includes(op)) {
      i++;
      return { k: 'bin', op, l, r: unary() };
    }
    return l;
  };
  const unary = (): Node => {
    if (peek() === '!') {
      i++;
      return { k: 'not', e: unary() };
    }
    return member();
  };
  const member = (): Node => {
    let n = primary();
    while (peek() === '.') {
      i++;
      const name = ident();
      if (peek() === '(') {
        eat('(');
        const arg = or();
        eat(')');
        n = { k: 'call', target: n, fn: name, arg };
      } else if (n.k === 'path') n = { k: 'path', parts: [...n.parts, name] };
      else throw new CelError('unsupported field selection');
    }
    return n;
  };
  const primary = (): Node => {
    const s = t[i++];
    if (s === undefined) throw new CelError('unexpected end of expression');
    if (s === '(') {
      const e = or();
      eat(')');
      return e;
    }
    if (s.startsWith('#')) return { k: 'lit', v: Number(s.slice(1)) };
    if (s.startsWith("'")) return { k: 'lit', v: s.slice(1) };
    if (s === 'true' || s === 'false') return { k: 'lit', v: s === 'true' };
    if (s === 'has' && peek() === '(') {
      eat('(');
      const p = member();
      eat(')');
      if (p.k !== 'path' || p.parts.length < 2) throw new CelError('has() takes a field selection');
      return { k: 'has', path: p.parts };
    }
    if (/^[A-Za-z_]/.test(s)) return { k: 'path', parts: [s] };
    throw new CelError(`unexpected ${s}`);
  };
  const e = or();
  if (i !== t.length) throw new CelError(`unexpected ${t[i]}`);
  return e;
}

/** The attributes of one access-log entry; undefined = the attribute is absent. */
function attribute(e: AccessLogEntry, path: string[]): Value | undefined {
  const [pathOnly] = e.path.split('?');
  switch (path.join('.')) {
    case 'response.code':
      return e.responseCode === 0 ? undefined : e.responseCode;
    case 'response.code_details':
      return e.details || undefined;
    case 'request.method':
      return e.method === '-' ? undefined : e.method;
    case 'request.path':
      return e.path === '-' ? undefined : e.path;
    case 'request.url_path':
      return e.path === '-' ? undefined : pathOnly;
    case 'request.host':
      return e.authority === '-' ? undefined : e.authority;
    case 'request.useragent':
      return e.userAgent;
    case 'request.id':
      return e.requestId;
    case 'xds.cluster_name':
      return e.upstreamCluster;
    case 'xds.route_name':
      return e.routeName;
    default:
      return undefined;
  }
}

function evaluate(n: Node, e: AccessLogEntry): Value {
  switch (n.k) {
    case 'lit':
      return n.v;
    case 'path': {
      const v = attribute(e, n.parts);
      if (v === undefined) throw new CelError(`no such attribute ${n.parts.join('.')}`);
      return v;
    }
    case 'has':
      return attribute(e, n.path) !== undefined;
    case 'not': {
      const v = evaluate(n.e, e);
      if (typeof v !== 'boolean') throw new CelError('no matching overload for !');
      return !v;
    }
    case 'call': {
      const s = evaluate(n.target, e);
      const a = evaluate(n.arg, e);
      if (typeof s !== 'string' || typeof a !== 'string') throw new CelError(`no matching overload for ${n.fn}`);
      if (n.fn === 'startsWith') return s.startsWith(a);
      if (n.fn === 'endsWith') return s.endsWith(a);
      if (n.fn === 'contains') return s.includes(a);
      throw new CelError(`unknown function ${n.fn}`);
    }
    case 'bin': {
      if (n.op === '&&' || n.op === '||') {
        // CEL's logical operators are commutative over errors: false && error = false, true || error = true
        let l: Value | CelError, r: Value | CelError;
        try {
          l = evaluate(n.l, e);
        } catch (err) {
          l = err as CelError;
        }
        if (n.op === '&&' && l === false) return false;
        if (n.op === '||' && l === true) return true;
        try {
          r = evaluate(n.r, e);
        } catch (err) {
          r = err as CelError;
        }
        if (n.op === '&&' && r === false) return false;
        if (n.op === '||' && r === true) return true;
        if (l instanceof CelError) throw l;
        if (r instanceof CelError) throw r;
        if (typeof l !== 'boolean' || typeof r !== 'boolean') throw new CelError(`no matching overload for ${n.op}`);
        return n.op === '&&' ? l && r : l || r;
      }
      const l = evaluate(n.l, e);
      const r = evaluate(n.r, e);
      if (typeof l !== typeof r) throw new CelError(`no matching overload for ${n.op}`);
      switch (n.op) {
        case '==':
          return l === r;
        case '!=':
          return l !== r;
        case '<':
          return l < r;
        case '<=':
          return l <= r;
        case '>':
          return l > r;
        default:
          return l >= r;
      }
    }
  }
}

/** Whether the CEL filter lets the entry be logged: only a true result does (errors and false do not). */
export function celAllows(expression: string, e: AccessLogEntry): boolean {
  try {
    return evaluate(parseCel(expression), e) === true;
  } catch {
    return false;
  }
}
