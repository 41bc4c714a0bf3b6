/**
 * Shell arithmetic for $(( … )) as bash does it: signed 64-bit integers that wrap around
 * (bash's intmax_t), + - * / % **, << >> & | ^ ~, comparisons, && || !, ?:, parentheses,
 * variables, assignment ops, decimal / 0x hex / 0 octal constants. Error wording is bash's
 * (expr.c): `division by 0`, `exponent less than 0`, `expression recursion level exceeded`.
 */
export class ArithError extends Error {}

/** Deepest nesting of parentheses and unary operators; bash's own limit (MAX_EXPR_RECURSION_LEVEL) is 1024. */
const MAX_ARITH_DEPTH = 128;

const wrap = (v: bigint): bigint => BigInt.asIntN(64, v);

const TOKEN = /\s*(0[xX][0-9A-Fa-f]+|\d+|[A-Za-z_][A-Za-z0-9_]*|\*\*=?|<<=?|>>=?|<=|>=|==|!=|&&|\|\||\+\+|--|[-+*/%&|^]=|[-+*/%()<>!=?:~&|^,])/gy;

function tokenize(expr: string): string[] {
  const toks: string[] = [];
  TOKEN.lastIndex = 0;
  let pos = 0;
  for (;;) {
    TOKEN.lastIndex = pos;
    const m = TOKEN.exec(expr);
    if (!m) break;
    toks.push(m[1]);
    pos = TOKEN.lastIndex;
  }
  const rest = expr.slice(pos);
  if (rest.trim() !== '') throw new ArithError(`${expr}: syntax error: invalid arithmetic operator (error token is "${rest.trimStart()}")`);
  return toks;
}

function constant(t: string, expr: string): bigint {
  if (/^0[xX]/.test(t)) return wrap(BigInt(t));
  if (t.length > 1 && t.startsWith('0')) {
    if (/[89]/.test(t)) throw new ArithError(`${expr}: value too great for base (error token is "${t}")`);
    return wrap(BigInt(`0o${t.slice(1)}`));
  }
  return wrap(BigInt(t));
}

/** bash's `**`: exponentiation by squaring in 64-bit arithmetic (2**64 is 0, as in bash). */
function power(base: bigint, exp: bigint): bigint {
  let result = 1n;
  let b = base;
  let e = exp;
  while (e > 0n) {
    if (e & 1n) result = wrap(result * b);
    b = wrap(b * b);
    e >>= 1n;
  }
  return result;
}

export function evalArith(expr: string, get: (name: string) => string, set: (name: string, v: string) => void): bigint {
  const toks = tokenize(expr);
  let i = 0;
  let depth = 0;
  const peek = (): string | undefined => toks[i];
  const isName = (t: string | undefined): t is string => t !== undefined && /^[A-Za-z_]/.test(t);
  const num = (name: string): bigint => {
    const v = (get(name) ?? '').trim();
    if (/^-?\d+$/.test(v)) return wrap(BigInt(v));
    if (/^-?0[xX][0-9A-Fa-f]+$/.test(v)) return wrap(v.startsWith('-') ? -BigInt(v.slice(1)) : BigInt(v));
    return 0n;
  };
  const deeper = <T>(f: () => T): T => {
    if (++depth > MAX_ARITH_DEPTH) throw new ArithError(`${expr}: expression recursion level exceeded (error token is "${toks.slice(i).join('')}")`);
    try {
      return f();
    } finally {
      depth--;
    }
  };
  const unary = (): bigint =>
    deeper(() => {
      const t = toks[i++];
      if (t === undefined) throw new ArithError(`${expr}: syntax error: operand expected (error token is "${expr.trim()}")`);
      if (t === '(') {
        const v = comma();
        if (toks[i++] !== ')') throw new ArithError(`${expr}: syntax error: missing ')'`);
        return v;
      }
      if (t === '-') return wrap(-unary());
      if (t === '+') return unary();
      if (t === '!') return unary() === 0n ? 1n : 0n;
      if (t === '~') return wrap(~unary());
      if (t === '++' || t === '--') {
        const name = toks[i++];
        if (!isName(name)) throw new ArithError(`${expr}: syntax error: operand expected (error token is "${name ?? ''}")`);
        const v = wrap(num(name) + (t === '++' ? 1n : -1n));
        set(name, String(v));
        return v;
      }
      if (/^\d/.test(t)) return constant(t, expr);
      if (isName(t)) {
        if (peek() === '++' || peek() === '--') {
          const op = toks[i++];
          const v = num(t);
          set(t, String(wrap(v + (op === '++' ? 1n : -1n))));
          return v;
        }
        return num(t);
      }
      throw new ArithError(`${expr}: syntax error: operand expected (error token is "${toks.slice(i - 1).join(' ')}")`);
    });
  const pow = (): bigint => {
    const b = unary();
    if (peek() !== '**') return b;
    i++;
    const e = deeper(pow);
    if (e < 0n) throw new ArithError(`${expr}: exponent less than 0 (error token is "${toks.slice(i - 1).join(' ')}")`);
    return power(b, e);
  };
  const binary = (ops: string[], next: () => bigint, apply: (op: string, l: bigint, r: bigint) => bigint): (() => bigint) => {
    return () => {
      let v = next();
      while (ops.includes(peek() ?? '')) {
        const op = toks[i++];
        v = apply(op, v, next());
      }
      return v;
    };
  };
  const divide = (op: string, l: bigint, r: bigint): bigint => {
    if (r === 0n) throw new ArithError(`${expr}: division by 0 (error token is "${toks[i - 1] ?? ''}")`);
    return wrap(op === '/' ? l / r : l % r);
  };
  const mul = binary(['*', '/', '%'], pow, (op, l, r) => (op === '*' ? wrap(l * r) : divide(op, l, r)));
  const add = binary(['+', '-'], mul, (op, l, r) => wrap(op === '+' ? l + r : l - r));
  const shift = binary(['<<', '>>'], add, (op, l, r) => wrap(op === '<<' ? l << (r & 63n) : l >> (r & 63n)));
  const rel = binary(['<', '>', '<=', '>='], shift, (op, l, r) => BigInt(op === '<' ? l < r : op === '>' ? l > r : op === '<=' ? l <= r : l >= r));
  const eq = binary(['==', '!='], rel, (op, l, r) => BigInt(op === '==' ? l === r : l !== r));
  const band = binary(['&'], eq, (_op, l, r) => l & r);
  const bxor = binary(['^'], band, (_op, l, r) => l ^ r);
  const bor = binary(['|'], bxor, (_op, l, r) => l | r);
  const and = binary(['&&'], bor, (_op, l, r) => BigInt(l !== 0n && r !== 0n));
  const or = binary(['||'], and, (_op, l, r) => BigInt(l !== 0n || r !== 0n));
  const ternary = (): bigint => {
    const c = or();
    if (peek() !== '?') return c;
    i++;
    const a = deeper(assign);
    if (toks[i++] !== ':') throw new ArithError(`${expr}: syntax error: ':' expected`);
    const b = deeper(assign);
    return c !== 0n ? a : b;
  };
  const ASSIGN = ['=', '+=', '-=', '*=', '/=', '%=', '**=', '<<=', '>>=', '&=', '|=', '^='];
  const assign = (): bigint => {
    const t = toks[i];
    const op = toks[i + 1];
    if (isName(t) && ASSIGN.includes(op ?? '')) {
      i += 2;
      const r = deeper(assign);
      const cur = num(t);
      const base = op.slice(0, -1);
      const v = op === '=' ? r : base === '**' ? power(cur, r) : base === '/' || base === '%' ? divide(base, cur, r) : base === '<<' ? wrap(cur << (r & 63n)) : base === '>>' ? cur >> (r & 63n) : base === '+' ? wrap(cur + r) : base === '-' ? wrap(cur - r) : base === '*' ? wrap(cur * r) : base === '&' ? cur & r : base === '|' ? cur | r : cur ^ r;
      set(t, String(v));
      return v;
    }
    return ternary();
  };
  const comma = binary([','], assign, (_op, _l, r) => r);
  if (toks.length === 0) return 0n;
  const v = comma();
  if (i < toks.length) throw new ArithError(`${expr}: syntax error in expression (error token is "${toks.slice(i).join(' ')}")`);
  return v;
}

/** The `test` / `[` builtin. Returns the exit status (0 true, 1 false, 2 error) and an error message. */
export function evalTest(args: string[], fileExists: (p: string, kind: 'e' | 'f' | 'd') => boolean): { code: number; error?: string } {
  const unaryOps = new Set(['-z', '-n', '-e', '-f', '-d', '-s']);
  const binaryOps = new Set(['=', '==', '!=', '-eq', '-ne', '-lt', '-le', '-gt', '-ge']);
  let i = 0;
  const int = (s: string): number | undefined => (/^\s*-?\d+\s*$/.test(s) ? Number(s) : undefined);
  let err: string | undefined;
  const prim = (): boolean => {
    const a = args[i];
    if (a === '!') {
      i++;
      return !prim();
    }
    if (a === '(') {
      i++;
      const v = or();
      i++;
      return v;
    }
    if (unaryOps.has(a) && i + 1 < args.length && !binaryOps.has(args[i + 1] ?? '')) {
      const v = args[i + 1];
      i += 2;
      switch (a) {
        case '-z':
          return v === '';
        case '-n':
          return v !== '';
        case '-e':
          return fileExists(v, 'e');
        case '-f':
          return fileExists(v, 'f');
        case '-d':
          return fileExists(v, 'd');
        default:
          return fileExists(v, 'f');
      }
    }
    if (binaryOps.has(args[i + 1] ?? '')) {
      const l = args[i];
      const op = args[i + 1];
      const r = args[i + 2] ?? '';
      i += 3;
      if (op === '=' || op === '==') return l === r;
      if (op === '!=') return l !== r;
      const li = int(l);
      const ri = int(r);
      if (li === undefined || ri === undefined) {
        err ??= `${li === undefined ? l : r}: integer expression expected`;
        return false;
      }
      return op === '-eq' ? li === ri : op === '-ne' ? li !== ri : op === '-lt' ? li < ri : op === '-le' ? li <= ri : op === '-gt' ? li > ri : li >= ri;
    }
    i++;
    return a !== undefined && a !== '';
  };
  const and = (): boolean => {
    let v = prim();
    while (args[i] === '-a') {
      i++;
      v = prim() && v;
    }
    return v;
  };
  const or = (): boolean => {
    let v = and();
    while (args[i] === '-o') {
      i++;
      v = and() || v;
    }
    return v;
  };
  if (args.length === 0) return { code: 1 };
  const v = or();
  if (err) return { code: 2, error: err };
  return { code: v ? 0 : 1 };
}
