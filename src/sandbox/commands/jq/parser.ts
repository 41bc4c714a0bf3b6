/**
 * jq 1.7's language (src/lexer.l, src/parser.y) by recursive descent, with parser.y's precedence:
 * `|` (right) < `,` < `//` (right) < `= |= += …` < `or` < `and` < comparisons < `+ -` < `* / %`
 * < postfix (`.a`, `[…]`, `[]`, `?`). `Term as $x | body`, `reduce`, `foreach`, `if`, `try`,
 * `def`, string interpolation `"\(…)"` and `@format "…"`. Nesting is bounded (bison's stack is
 * too: "memory exhausted"), so a hostile program cannot overflow the worker's stack.
 */
import { JqCompileError, type Node } from './ast';
import type { Json } from './json';
import { lex, tokName, type Tok } from './lexer';

export { JqCompileError, type Node };

const MAX_NESTING = 256;

export function parse(src: string): Node {
  const { toks } = lex(src, 0, 1, false);
  const p = new Parser(toks);
  const n = p.pipe();
  p.expectEnd();
  return n;
}

class Parser {
  private i = 0;
  private depth = 0;

  constructor(private readonly toks: Tok[]) {}

  private peek(): Tok {
    return this.toks[this.i] ?? { k: 'eof', line: this.toks[this.toks.length - 1]?.line ?? 1 };
  }

  private is(v: string): boolean {
    const t = this.peek();
    return (t.k === 'op' || t.k === 'kw') && t.v === v;
  }

  private fail(t: Tok = this.peek()): never {
    throw new JqCompileError(`syntax error, unexpected ${tokName(t)} (Unix shell quoting issues?)`, t.line);
  }

  private eat(v: string): void {
    if (!this.is(v)) this.fail();
    this.i++;
  }

  expectEnd(): void {
    if (this.peek().k !== 'eof') this.fail();
  }

  private nest<T>(f: () => T): T {
    if (++this.depth > MAX_NESTING) throw new JqCompileError('memory exhausted', this.peek().line);
    try {
      return f();
    } finally {
      this.depth--;
    }
  }

  pipe(): Node {
    return this.nest(() => {
      if (this.is('def')) {
        const d = this.def();
        return { ...d, rest: this.pipe() };
      }
      const save = this.i;
      if (!this.is('reduce') && !this.is('foreach') && !this.is('if') && !this.is('try') && !this.is('-')) {
        const term = this.postfix();
        if (this.is('as')) {
          this.i++;
          const v = this.peek();
          if (v.k !== 'var') this.fail();
          this.i++;
          this.eat('|');
          return { t: 'as', source: term, name: v.v, body: this.pipe() };
        }
        this.i = save;
      }
      const left = this.comma();
      if (this.is('|')) {
        this.i++;
        return { t: 'pipe', left, right: this.pipe() };
      }
      return left;
    });
  }

  private def(): Extract<Node, { t: 'def' }> {
    this.eat('def');
    const name = this.peek();
    if (name.k !== 'ident' && name.k !== 'kw') this.fail();
    this.i++;
    const params: string[] = [];
    if (this.is('(')) {
      this.i++;
      for (;;) {
        const p = this.peek();
        if (p.k !== 'ident' && p.k !== 'var') this.fail();
        params.push(p.k === 'var' ? `$${p.v}` : p.v);
        this.i++;
        if (this.is(';')) this.i++;
        else break;
      }
      this.eat(')');
    }
    this.eat(':');
    const body = this.pipe();
    this.eat(';');
    return { t: 'def', name: name.v, params, body, rest: { t: 'identity' } };
  }

  private comma(): Node {
    let left = this.alt();
    while (this.is(',')) {
      this.i++;
      left = { t: 'comma', left, right: this.alt() };
    }
    return left;
  }

  private alt(): Node {
    const left = this.assign();
    if (this.is('//')) {
      this.i++;
      return { t: 'alt', left, right: this.nest(() => this.alt()) };
    }
    return left;
  }

  private assign(): Node {
    const left = this.or();
    const t = this.peek();
    if (t.k === 'op' && ['=', '|=', '+=', '-=', '*=', '/=', '%=', '//='].includes(t.v)) {
      this.i++;
      return { t: 'assign', op: t.v, left, right: this.nest(() => this.alt()) };
    }
    return left;
  }

  private or(): Node {
    let left = this.and();
    while (this.is('or')) {
      this.i++;
      left = { t: 'or', left, right: this.and() };
    }
    return left;
  }

  private and(): Node {
    let left = this.compare();
    while (this.is('and')) {
      this.i++;
      left = { t: 'and', left, right: this.compare() };
    }
    return left;
  }

  private compare(): Node {
    const left = this.additive();
    const t = this.peek();
    if (t.k === 'op' && ['==', '!=', '<', '<=', '>', '>='].includes(t.v)) {
      this.i++;
      const right = this.additive();
      const n = this.peek();
      if (n.k === 'op' && ['==', '!=', '<', '<=', '>', '>='].includes(n.v)) this.fail();
      return { t: 'binop', op: t.v, left, right };
    }
    return left;
  }

  private additive(): Node {
    let left = this.multiplicative();
    for (let t = this.peek(); t.k === 'op' && (t.v === '+' || t.v === '-'); t = this.peek()) {
      this.i++;
      left = { t: 'binop', op: t.v, left, right: this.multiplicative() };
    }
    return left;
  }

  private multiplicative(): Node {
    let left = this.unary();
    for (let t = this.peek(); t.k === 'op' && (t.v === '*' || t.v === '/' || t.v === '%'); t = this.peek()) {
      this.i++;
      left = { t: 'binop', op: t.v, left, right: this.unary() };
    }
    return left;
  }

  private unary(): Node {
    if (this.is('-')) {
      this.i++;
      return { t: 'neg', body: this.nest(() => this.unary()) };
    }
    return this.postfix();
  }

  /** Suffixes: .a ."a" [e] [] [e:e] ? — and `.[` after a term. */
  private postfix(): Node {
    let n = this.primary();
    for (;;) {
      const t = this.peek();
      if (t.k === 'field') {
        this.i++;
        n = { t: 'index', target: n, index: { t: 'literal', value: t.v } };
      } else if (this.is('.') && this.toks[this.i + 1]?.k === 'str') {
        this.i++;
        n = { t: 'index', target: n, index: this.string(undefined) };
      } else if (this.is('.') && this.toks[this.i + 1]?.k === 'op' && (this.toks[this.i + 1] as { v: string }).v === '[') {
        this.i++;
      } else if (this.is('[')) {
        n = this.bracket(n);
      } else if (this.is('?')) {
        this.i++;
        n = { t: 'try', body: n };
      } else return n;
    }
  }

  private bracket(target: Node): Node {
    this.eat('[');
    if (this.is(']')) {
      this.i++;
      return { t: 'iterate', target };
    }
    if (this.is(':')) {
      this.i++;
      const to = this.pipe();
      this.eat(']');
      return { t: 'slice', target, to };
    }
    const index = this.pipe();
    if (this.is(':')) {
      this.i++;
      const to = this.is(']') ? undefined : this.pipe();
      this.eat(']');
      return { t: 'slice', target, from: index, to };
    }
    this.eat(']');
    return { t: 'index', target, index };
  }

  private string(format: string | undefined): Node {
    const t = this.peek();
    if (t.k !== 'str') this.fail();
    this.i++;
    const parts = t.parts.map((p) => {
      if (typeof p === 'string') return p;
      const sub = new Parser(p);
      sub.depth = this.depth;
      const n = sub.pipe();
      sub.expectEnd();
      return n;
    });
    return { t: 'string', parts, format };
  }

  private primary(): Node {
    return this.nest(() => this.primaryInner());
  }

  private primaryInner(): Node {
    const t = this.peek();
    switch (t.k) {
      case 'num':
        this.i++;
        return { t: 'literal', value: t.v };
      case 'str':
        return this.string(undefined);
      case 'field':
        this.i++;
        return { t: 'index', target: { t: 'identity' }, index: { t: 'literal', value: t.v } };
      case 'format':
        this.i++;
        if (this.peek().k === 'str') return this.string(t.v);
        return { t: 'format', name: t.v };
      case 'var':
        this.i++;
        return { t: 'var', name: t.v };
      case 'ident': {
        this.i++;
        if ((t.v === 'null' || t.v === 'true' || t.v === 'false') && !this.is('(')) return { t: 'literal', value: t.v === 'null' ? null : t.v === 'true' };
        const args: Node[] = [];
        if (this.is('(')) {
          this.i++;
          args.push(this.pipe());
          while (this.is(';')) {
            this.i++;
            args.push(this.pipe());
          }
          this.eat(')');
        }
        return { t: 'call', name: t.v, args };
      }
      case 'kw':
        return this.keyword(t.v);
      case 'op':
        break;
      default:
        this.fail();
    }
    const v = (t as { v: string }).v;
    if (v === '.') {
      this.i++;
      if (this.peek().k === 'str') return { t: 'index', target: { t: 'identity' }, index: this.string(undefined) };
      return { t: 'identity' };
    }
    if (v === '..') {
      this.i++;
      return { t: 'recurse' };
    }
    if (v === '(') {
      this.i++;
      const n = this.pipe();
      this.eat(')');
      return n;
    }
    if (v === '[') {
      this.i++;
      if (this.is(']')) {
        this.i++;
        return { t: 'array' };
      }
      const body = this.pipe();
      this.eat(']');
      return { t: 'array', body };
    }
    if (v === '{') return this.object();
    this.fail();
  }

  private keyword(v: string): Node {
    if (v === 'if') {
      this.i++;
      const cond = this.pipe();
      this.eat('then');
      const then = this.pipe();
      if (this.is('elif')) {
        // elif is an if in the else branch, sharing its `end`
        const otherwise = this.keyword('if');
        return { t: 'if', cond, then, otherwise };
      }
      let otherwise: Node | undefined;
      if (this.is('else')) {
        this.i++;
        otherwise = this.pipe();
      }
      this.eat('end');
      return { t: 'if', cond, then, otherwise };
    }
    if (v === 'try') {
      this.i++;
      const body = this.postfix();
      if (this.is('catch')) {
        this.i++;
        return { t: 'try', body, handler: this.postfix() };
      }
      return { t: 'try', body };
    }
    if (v === 'reduce' || v === 'foreach') {
      this.i++;
      const source = this.postfix();
      this.eat('as');
      const name = this.peek();
      if (name.k !== 'var') this.fail();
      this.i++;
      this.eat('(');
      const init = this.pipe();
      this.eat(';');
      const update = this.pipe();
      let extract: Node | undefined;
      if (v === 'foreach' && this.is(';')) {
        this.i++;
        extract = this.pipe();
      }
      this.eat(')');
      return v === 'reduce' ? { t: 'reduce', source, name: name.v, init, update } : { t: 'foreach', source, name: name.v, init, update, extract };
    }
    if (v === '__loc__') {
      this.i++;
      return { t: 'literal', value: new Map<string, Json>([['file', '<top-level>'], ['line', this.peek().line]]) };
    }
    if (v === 'def') {
      const d = this.def();
      return { ...d, rest: this.pipe() };
    }
    this.fail();
  }

  private object(): Node {
    this.eat('{');
    const entries: { key: Node; value: Node }[] = [];
    while (!this.is('}')) {
      const t = this.peek();
      let key: Node;
      let shorthand: Node;
      if (t.k === 'ident' || t.k === 'kw') {
        this.i++;
        key = { t: 'literal', value: t.v };
        shorthand = { t: 'index', target: { t: 'identity' }, index: key };
      } else if (t.k === 'var') {
        this.i++;
        key = { t: 'literal', value: t.v };
        shorthand = { t: 'var', name: t.v };
      } else if (t.k === 'str' || t.k === 'format') {
        if (t.k === 'format') this.i++;
        key = this.string(t.k === 'format' ? t.v : undefined);
        shorthand = { t: 'index', target: { t: 'identity' }, index: key };
      } else if (this.is('(')) {
        this.i++;
        key = this.pipe();
        this.eat(')');
        shorthand = key;
        if (!this.is(':')) this.fail();
      } else this.fail();
      let value = shorthand;
      if (this.is(':')) {
        this.i++;
        // ObjVal (parser.y ExpD): terms joined by `|`, no commas
        value = this.alt();
        while (this.is('|')) {
          this.i++;
          value = { t: 'pipe', left: value, right: this.alt() };
        }
      }
      entries.push({ key, value });
      if (this.is(',')) this.i++;
      else if (!this.is('}')) this.fail();
    }
    this.eat('}');
    return { t: 'object', entries };
  }
}
