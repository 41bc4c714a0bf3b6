/** Shell arithmetic for $(( … )): integers, + - * / % **, comparisons, && || !, parentheses, variables, assignment ops. */
export class ArithError extends Error {}

export function evalArith(expr: string, get: (name: string) => string, set: (name: string, v: string) => void): number {
  const tokens = expr.match(/\s*(\d+|[A-Za-z_][A-Za-z0-9_]*|\*\*|<=|>=|==|!=|&&|\|\||\+\+|--|\+=|-=|\*=|\/=|[-+*/%()<>!=?:])/g) ?? [];
  const toks = tokens.map((t) => t.trim());
  if (toks.join('') !== expr.replace(/\s+/g, '')) throw new ArithError(`${expr}: syntax error: invalid arithmetic operator`);
  let i = 0;
  const peek = (): string | undefined => toks[i];
  const num = (name: string): number => {
    const v = get(name);
    const n = Number(v || '0');
    return Number.isFinite(n) ? Math.trunc(n) : 0;
  };
  const primary = (): number => {
    const t = toks[i++];
    if (t === undefined) throw new ArithError(`${expr}: syntax error: operand expected`);
    if (t === '(') {
      const v = assign();
      if (toks[i++] !== ')') throw new ArithError(`${expr}: syntax error: missing ')'`);
      return v;
    }
    if (t === '-') return -unary();
    if (t === '+') return unary();
    if (t === '!') return unary() ? 0 : 1;
    if (t === '++' || t === '--') {
      const name = toks[i++];
      const v = num(name) + (t === '++' ? 1 : -1);
      set(name, String(v));
      return v;
    }
    if (/^\d+$/.test(t)) return Number(t);
    if (/^[A-Za-z_]/.test(t)) {
      if (peek() === '++' || peek() === '--') {
        const op = toks[i++];
        const v = num(t);
        set(t, String(v + (op === '++' ? 1 : -1)));
        return v;
      }
      return num(t);
    }
    throw new ArithError(`${expr}: syntax error: operand expected (error token is "${t}")`);
  };
  const unary = primary;
  const pow = (): number => {
    const b = unary();
    if (peek() === '**') {
      i++;
      return b ** pow();
    }
    return b;
  };
  const mul = (): number => {
    let v = pow();
    while (peek() === '*' || peek() === '/' || peek() === '%') {
      const op = toks[i++];
      const r = pow();
      if ((op === '/' || op === '%') && r === 0) throw new ArithError(`${expr}: division by 0 (error token is "${toks[i - 1]}")`);
      v = op === '*' ? v * r : op === '/' ? Math.trunc(v / r) : v % r;
    }
    return v;
  };
  const add = (): number => {
    let v = mul();
    while (peek() === '+' || peek() === '-') v = toks[i++] === '+' ? v + mul() : v - mul();
    return v;
  };
  const cmp = (): number => {
    let v = add();
    while (['<', '>', '<=', '>=', '==', '!='].includes(peek() ?? '')) {
      const op = toks[i++];
      const r = add();
      v = Number(op === '<' ? v < r : op === '>' ? v > r : op === '<=' ? v <= r : op === '>=' ? v >= r : op === '==' ? v === r : v !== r);
    }
    return v;
  };
  const and = (): number => {
    let v = cmp();
    while (peek() === '&&') {
      i++;
      const r = cmp();
      v = Number(v !== 0 && r !== 0);
    }
    return v;
  };
  const or = (): number => {
    let v = and();
    while (peek() === '||') {
      i++;
      const r = and();
      v = Number(v !== 0 || r !== 0);
    }
    return v;
  };
  const ternary = (): number => {
    const c = or();
    if (peek() === '?') {
      i++;
      const a = assign();
      if (toks[i++] !== ':') throw new ArithError(`${expr}: syntax error: ':' expected`);
      const b = assign();
      return c ? a : b;
    }
    return c;
  };
  const assign = (): number => {
    const t = toks[i];
    const op = toks[i + 1];
    if (t && /^[A-Za-z_]/.test(t) && ['=', '+=', '-=', '*=', '/='].includes(op ?? '')) {
      i += 2;
      const r = assign();
      const cur = num(t);
      const v = op === '=' ? r : op === '+=' ? cur + r : op === '-=' ? cur - r : op === '*=' ? cur * r : Math.trunc(cur / r);
      set(t, String(v));
      return v;
    }
    return ternary();
  };
  if (toks.length === 0) return 0;
  const v = assign();
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
