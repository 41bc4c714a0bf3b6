/**
 * A recursive-descent parser for the bash subset: quoting ('…', "…", \), $VAR, ${VAR},
 * ${VAR:-default}, $(…), `…`, $((…)), pipes, && || ; &, for/while/until/if, { …; },
 * ( … ), function definitions (`name() { …; }`, `function name { …; }`), redirections
 * (> >> < 2>&1 &> <<< and here-documents <<EOF / <<'EOF' / <<-EOF), comments. Errors are worded
 * like bash's.
 */
import type { AndOr, Command, List, Pipeline, Redirect, SimpleCommand, Word, WordPart } from './ast';

export class ParseError extends Error {
  constructor(
    message: string,
    readonly incomplete = false,
  ) {
    super(message);
  }
}

/**
 * How deep `$( )`, `${ }`, backquotes, `( )`, `{ }` and compound commands may nest. Bash has no
 * such limit (it grows its stacks until memory runs out); the sandbox stops earlier with a clear
 * message instead of overflowing the JavaScript stack.
 */
export const MAX_NESTING = 100;

export function nestingError(): ParseError {
  return new ParseError(`bash: вложенность глубже ${MAX_NESTING} уровней: песочница такое не выполняет`);
}

const RESERVED = new Set(['if', 'then', 'elif', 'else', 'fi', 'for', 'in', 'do', 'done', 'while', 'until', 'function', '{', '}', '!']);

/**
 * A function's name: in bash's default mode any word without quoting or expansion characters
 * (`:` included, as the fork bomb `:(){ :|:& };:` uses it); POSIX mode alone asks for an
 * identifier (bash execute_cmd.c execute_intern_function).
 */
const FUNCTION_NAME = /[^\s;&|()<>'"`$\\=]+/y;
/** `name ()`, blanks allowed around the parentheses (parse.y: WORD '(' ')' newline_list function_body). */
const POSIX_FUNCTION = /([^\s;&|()<>'"`$\\=]+)[ \t]*\([ \t]*\)/y;
const META = new Set([' ', '\t', '\n', ';', '&', '|', '(', ')', '<', '>']);

export function parse(source: string, opts: { strictHeredoc?: boolean; depth?: number } = {}): List {
  const p = new Parser(source, opts.depth ?? 0);
  p.strictHeredoc = opts.strictHeredoc ?? false;
  const items = p.listItems([]);
  for (let r = items.next(); !r.done; r = items.next());
  return p.finish(p.list);
}

/**
 * parse() of a whole command line or script, pausing every 256 top-level commands: a pasted
 * script of 20 000 here-documents takes a while to read, and Ctrl-C must reach it meanwhile.
 */
export async function parsePaced(source: string, pause: () => Promise<void>): Promise<List> {
  const p = new Parser(source, 0);
  let n = 0;
  for (const _ of p.listItems([])) if (++n % 256 === 0) await pause();
  return p.finish(p.list);
}

/** A here-document body with expansions ($VAR, ${…}, $(…), $((…)), `…`); quotes are literal. */
export function parseHeredocBody(text: string, depth = 0): Word {
  const p = new Parser(text, depth);
  const parts: WordPart[] = [];
  let buf = '';
  while (!p.eof()) {
    const c = p.src[p.pos];
    if (c === '\\') {
      const n = p.src[p.pos + 1];
      if (n === '$' || n === '`' || n === '\\') {
        buf += n;
        p.pos += 2;
        continue;
      }
      if (n === '\n') {
        p.pos += 2;
        continue;
      }
    }
    if (c === '$' || c === '`') {
      const part = p.parseDollar(true);
      if (part) {
        if (buf) parts.push({ t: 'lit', v: buf, quoted: true });
        buf = '';
        parts.push(part);
        continue;
      }
    }
    buf += c;
    p.pos++;
  }
  if (buf || parts.length === 0) parts.push({ t: 'lit', v: buf, quoted: true });
  return parts;
}

/** Whether a line typed so far needs more lines (open quote, loop, here-document, trailing | or &&). */
export function isIncomplete(source: string): boolean {
  if (/(\|\||&&|\||\\)\s*$/.test(source)) return true;
  try {
    parse(source, { strictHeredoc: true });
    return false;
  } catch (e) {
    return e instanceof ParseError && e.incomplete;
  }
}

class Parser {
  pos = 0;
  strictHeredoc = false;
  /**
   * Here-document bodies already cut out of the source: the newline that ends a line with
   * `<<EOF` → where parsing resumes after the bodies (no copying of the source per document).
   */
  private readonly jumps = new Map<number, number>();
  private readonly pendingHeredocs = new Map<number, number>();
  constructor(
    public src: string,
    private depth = 0,
  ) {}

  /** One level deeper (a nested command, substitution or parameter expansion). */
  enter(): void {
    if (++this.depth > MAX_NESTING) throw nestingError();
  }

  leave(): void {
    this.depth--;
  }

  /** Matches a sticky regular expression at the current position (no copy of the rest of the source). */
  at(re: RegExp): RegExpExecArray | null {
    re.lastIndex = this.pos;
    return re.exec(this.src);
  }

  /** Steps over the newline at `pos` and over the here-document bodies that follow it. */
  newline(): void {
    this.pos = this.jumps.get(this.pos) ?? this.pos + 1;
  }

  eof(): boolean {
    return this.pos >= this.src.length;
  }

  skipBlank(newlines = false): void {
    for (;;) {
      const c = this.src[this.pos];
      if (c === ' ' || c === '\t') this.pos++;
      else if (newlines && c === '\n') this.newline();
      else if (c === '\\' && this.src[this.pos + 1] === '\n') this.pos += 2;
      else if (c === '#') {
        while (!this.eof() && this.src[this.pos] !== '\n') this.pos++;
      } else break;
    }
  }

  peekOperator(): string | undefined {
    const ops = ['&&', '||', ';;', '<<<', '<<-', '<<', '>>', '&>', '>&', ';', '&', '|', '(', ')', '<', '>', '\n'];
    for (const op of ops) if (this.src.startsWith(op, this.pos)) return op;
    return undefined;
  }

  /** The next bare word, if it is a reserved word in command position. */
  peekReserved(): string | undefined {
    const m = this.at(/([a-z]+|[{}!])(?=[\s;&|()<>]|$)/y);
    return m && RESERVED.has(m[1]) ? m[1] : undefined;
  }

  expectReserved(w: string): void {
    this.skipBlank(true);
    if (this.peekReserved() !== w) {
      if (this.eof()) throw new ParseError(`bash: syntax error: unexpected end of file`, true);
      const m = this.at(/\S+/y);
      throw new ParseError(`bash: syntax error near unexpected token \`${m ? m[0] : this.src[this.pos]}'`);
    }
    this.pos += w.length;
  }

  parseList(terminators: string[]): List {
    const items = this.listItems(terminators);
    for (let r = items.next(); !r.done; r = items.next());
    return this.list;
  }

  /** The list listItems() built last (read once it is done, before another list starts). */
  list: List = { items: [] };

  /** End of input: anything left over is a syntax error. */
  finish(list: List): List {
    this.skipBlank(true);
    if (!this.eof()) {
      const tok = this.peekOperator() ?? this.src[this.pos];
      throw new ParseError(`bash: syntax error near unexpected token \`${tok}'`);
    }
    return list;
  }

  /** Parses a list item by item (yielding after each), leaving it in `list` when done. */
  *listItems(terminators: string[]): Generator<void> {
    const items: AndOr[] = [];
    for (;;) {
      this.skipBlank(true);
      if (this.eof()) break;
      const r = this.peekReserved();
      if (r && terminators.includes(r)) break;
      if (this.src[this.pos] === ')' && terminators.includes(')')) break;
      const op = this.peekOperator();
      if (op && op !== '(' && op !== '<' && op !== '>' && op !== '<<' && op !== '<<<' && op !== '<<-' && op !== '>>' && op !== '&>' && op !== '>&') {
        if (op === ')' && terminators.includes(')')) break;
        throw new ParseError(`bash: syntax error near unexpected token \`${op}'`);
      }
      const ao = this.parseAndOr();
      items.push(ao);
      this.skipBlank(false);
      const sep = this.peekOperator();
      if (sep === ';') this.pos++;
      else if (sep === '\n') this.newline();
      else if (sep === '&') {
        this.pos++;
        ao.background = true;
      } else break;
      yield;
    }
    this.list = { items };
  }

  parseAndOr(): AndOr {
    const first = this.parsePipeline();
    const rest: AndOr['rest'] = [];
    for (;;) {
      this.skipBlank(false);
      const op = this.peekOperator();
      if (op !== '&&' && op !== '||') break;
      this.pos += 2;
      this.skipBlank(true);
      rest.push({ op, pipeline: this.parsePipeline() });
    }
    return { first, rest, background: false };
  }

  parsePipeline(): Pipeline {
    this.skipBlank(false);
    let negate = false;
    if (this.peekReserved() === '!') {
      this.pos++;
      negate = true;
    }
    const commands: Command[] = [this.parseCommand()];
    for (;;) {
      this.skipBlank(false);
      if (this.src[this.pos] === '|' && this.src[this.pos + 1] !== '|') {
        this.pos++;
        this.skipBlank(true);
        commands.push(this.parseCommand());
      } else break;
    }
    return { negate, commands };
  }

  parseCommand(): Command {
    this.skipBlank(false);
    const r = this.peekReserved();
    if (r === 'for' || r === 'while' || r === 'until' || r === 'if' || r === '{' || (this.src[this.pos] === '(' && this.src[this.pos + 1] !== '(')) {
      this.enter();
      try {
        return this.parseCompound(r);
      } finally {
        this.leave();
      }
    }
    if (r === 'function') {
      this.pos += r.length;
      this.skipBlank(false);
      const name = this.at(FUNCTION_NAME);
      if (!name || RESERVED.has(name[0])) throw this.unexpectedHere();
      this.pos += name[0].length;
      this.skipBlank(false);
      const parens = this.at(/\([ \t]*\)/y);
      if (parens) this.pos += parens[0].length;
      return this.parseFunctionBody(name[0]);
    }
    if (r && r !== '!') throw new ParseError(`bash: syntax error near unexpected token \`${r}'`);
    const posix = this.at(POSIX_FUNCTION);
    if (posix && !RESERVED.has(posix[1])) {
      this.pos += posix[0].length;
      return this.parseFunctionBody(posix[1]);
    }
    return this.parseSimple();
  }

  /** A function's body: a compound command, on this line or after newlines (parse.y function_body). */
  parseFunctionBody(name: string): Command {
    this.skipBlank(true);
    const r = this.peekReserved();
    if (!(r === 'for' || r === 'while' || r === 'until' || r === 'if' || r === '{' || (this.src[this.pos] === '(' && this.src[this.pos + 1] !== '('))) throw this.unexpectedHere();
    this.enter();
    try {
      return { type: 'function', name, body: this.parseCompound(r), redirects: [] };
    } finally {
      this.leave();
    }
  }

  /** bash's syntax error for the token at the current position (end of input: more lines are needed). */
  unexpectedHere(): ParseError {
    if (this.eof()) return new ParseError('bash: syntax error: unexpected end of file', true);
    const tok = this.peekOperator() ?? this.at(/[^\s;&|()<>]+/y)?.[0] ?? this.src[this.pos];
    return new ParseError(`bash: syntax error near unexpected token \`${tok === '\n' ? 'newline' : tok}'`);
  }

  parseCompound(r: string | undefined): Command {
    let cmd: Command;
    if (r === 'for') cmd = this.parseFor();
    else if (r === 'while' || r === 'until') cmd = this.parseWhile(r === 'until');
    else if (r === 'if') cmd = this.parseIf();
    else if (r === '{') {
      this.pos++;
      const body = this.parseList(['}']);
      this.expectReserved('}');
      cmd = { type: 'group', subshell: false, body, redirects: [] };
    } else if (this.src[this.pos] === '(' && this.src[this.pos + 1] !== '(') {
      this.pos++;
      const body = this.parseList([')']);
      this.skipBlank(true);
      if (this.src[this.pos] !== ')') throw new ParseError('bash: syntax error: unexpected end of file', true);
      this.pos++;
      cmd = { type: 'group', subshell: true, body, redirects: [] };
    } else throw new ParseError(`bash: syntax error near unexpected token \`${r}'`);
    // trailing redirections of a compound command
    for (;;) {
      this.skipBlank(false);
      const red = this.tryRedirect();
      if (!red) break;
      cmd.redirects.push(red);
    }
    return cmd;
  }

  parseFor(): Command {
    this.pos += 3;
    this.skipBlank(false);
    const name = this.at(/[A-Za-z_][A-Za-z0-9_]*/y);
    if (!name) throw new ParseError(`bash: syntax error near unexpected token \`${this.at(/\S*/y)?.[0] || 'newline'}'`);
    this.pos += name[0].length;
    this.skipBlank(false);
    let items: Word[] | undefined;
    if (this.peekReserved() === 'in') {
      this.pos += 2;
      items = [];
      for (;;) {
        this.skipBlank(false);
        const c = this.src[this.pos];
        if (this.eof() || c === ';' || c === '\n') break;
        // `for i in a<b` or `for i in a|b`: bash reads the operator as a syntax error
        if (META.has(c)) throw new ParseError(`bash: syntax error near unexpected token \`${this.peekOperator() ?? c}'`);
        items.push(this.parseWord());
      }
    }
    this.skipBlank(false);
    if (this.src[this.pos] === ';') this.pos++;
    this.expectReserved('do');
    const body = this.parseList(['done']);
    this.expectReserved('done');
    return { type: 'for', variable: name[0], items, body, redirects: [] };
  }

  parseWhile(until: boolean): Command {
    this.pos += until ? 5 : 5;
    const condition = this.parseList(['do']);
    this.expectReserved('do');
    const body = this.parseList(['done']);
    this.expectReserved('done');
    return { type: 'while', until, condition, body, redirects: [] };
  }

  parseIf(): Command {
    this.pos += 2;
    const branches: { condition: List; body: List }[] = [];
    let otherwise: List | undefined;
    const condition = this.parseList(['then']);
    this.expectReserved('then');
    branches.push({ condition, body: this.parseList(['elif', 'else', 'fi']) });
    for (;;) {
      this.skipBlank(true);
      const r = this.peekReserved();
      if (r === 'elif') {
        this.pos += 4;
        const c = this.parseList(['then']);
        this.expectReserved('then');
        branches.push({ condition: c, body: this.parseList(['elif', 'else', 'fi']) });
      } else if (r === 'else') {
        this.pos += 4;
        otherwise = this.parseList(['fi']);
      } else break;
    }
    this.expectReserved('fi');
    return { type: 'if', branches, otherwise, redirects: [] };
  }

  parseSimple(): SimpleCommand {
    const cmd: SimpleCommand = { type: 'simple', assigns: [], words: [], redirects: [] };
    for (;;) {
      this.skipBlank(false);
      if (this.eof()) break;
      const red = this.tryRedirect();
      if (red) {
        cmd.redirects.push(red);
        continue;
      }
      const c = this.src[this.pos];
      if (META.has(c) && !this.atProcSub()) break;
      if (cmd.words.length === 0) {
        const m = this.at(/([A-Za-z_][A-Za-z0-9_]*)=/y);
        if (m) {
          this.pos += m[0].length;
          const value = this.atWordEnd() ? [] : this.parseWord();
          cmd.assigns.push({ name: m[1], value });
          continue;
        }
      }
      cmd.words.push(this.parseWord());
    }
    if (cmd.words.length === 0 && cmd.assigns.length === 0 && cmd.redirects.length === 0) {
      const tok = this.peekOperator();
      throw new ParseError(this.eof() ? 'bash: syntax error: unexpected end of file' : `bash: syntax error near unexpected token \`${tok === '\n' ? 'newline' : tok ?? this.src[this.pos]}'`, this.eof());
    }
    return cmd;
  }

  atWordEnd(): boolean {
    return this.eof() || (META.has(this.src[this.pos]) && !this.atProcSub());
  }

  /** `<(` starts a process substitution, a word, not a redirection. */
  atProcSub(): boolean {
    return this.src[this.pos] === '<' && this.src[this.pos + 1] === '(';
  }

  tryRedirect(): Redirect | undefined {
    if (this.atProcSub()) return undefined;
    const m = this.at(/(\d?)(<<<|<<-|<<|>>|&>|>&|<|>)/y);
    if (!m) return undefined;
    const fdText = m[1];
    const op = m[2];
    this.pos += m[0].length;
    const defaultFd = op.startsWith('<') ? 0 : 1;
    const fd = fdText ? Number(fdText) : defaultFd;
    this.skipBlank(false);
    if (op === '<<' || op === '<<-') {
      const w = this.parseWord();
      const quoted = w.some((p) => p.t === 'lit' && p.quoted);
      const delim = w.map((p) => (p.t === 'lit' ? p.v : '')).join('');
      return { fd, op: '<<', heredoc: this.readHeredoc(delim, op === '<<-', !quoted) };
    }
    if (op === '>&') {
      const t = this.parseWord();
      return { fd, op: '>&', target: t };
    }
    if (this.atWordEnd()) throw new ParseError(`bash: syntax error near unexpected token \`${this.eof() ? 'newline' : this.src[this.pos] === '\n' ? 'newline' : this.src[this.pos]}'`);
    return { fd, op: op as Redirect['op'], target: this.parseWord() };
  }

  /**
   * Reads a here-document body (the lines after the current one, after the bodies of earlier
   * here-documents on the same line) and records that parsing skips it at the end of the line.
   */
  readHeredoc(delim: string, stripTabs: boolean, expand: boolean): { body: string; expand: boolean } {
    const incomplete = (): ParseError => new ParseError(`bash: warning: here-document delimited by end-of-file (wanted \`${delim}')`, true);
    const lineEnd = this.src.indexOf('\n', this.pos);
    if (lineEnd < 0) {
      // here-document at the very end without body
      if (this.strictHeredoc) throw incomplete();
      return { body: '', expand };
    }
    // bash keeps at most 16 pending here-documents per line (parse.y, HEREDOC_MAX)
    const pending = (this.pendingHeredocs.get(lineEnd) ?? 0) + 1;
    if (pending > 16) throw new ParseError('bash: maximum here-document count exceeded');
    this.pendingHeredocs.set(lineEnd, pending);
    const start = this.jumps.get(lineEnd) ?? lineEnd + 1;
    const lines: string[] = [];
    let i = start;
    let found = false;
    while (i < this.src.length) {
      const j = this.src.indexOf('\n', i);
      const line = this.src.slice(i, j < 0 ? this.src.length : j);
      const cmp = stripTabs ? line.replace(/^\t+/, '') : line;
      i = j < 0 ? this.src.length : j + 1;
      if (cmp === delim) {
        found = true;
        break;
      }
      lines.push(cmp);
    }
    if (!found && (lines.length === 0 || this.strictHeredoc)) throw incomplete();
    this.jumps.set(lineEnd, i);
    return { body: lines.length ? lines.join('\n') + '\n' : '', expand };
  }

  parseWord(): Word {
    const parts: WordPart[] = [];
    const lit = (v: string, quoted: boolean): void => {
      const last = parts[parts.length - 1];
      if (last && last.t === 'lit' && last.quoted === quoted) last.v += v;
      else parts.push({ t: 'lit', v, quoted });
    };
    while (!this.eof()) {
      const c = this.src[this.pos];
      if (this.atProcSub()) {
        if (this.depth >= MAX_NESTING) throw nestingError();
        const end = this.findClose(this.pos + 2, '(', ')', 1);
        const from = this.pos + 2;
        this.pos = end + 1;
        parts.push({ t: 'procsub', script: parse(this.src.slice(from, end), { depth: this.depth + 1 }), quoted: false });
        continue;
      }
      if (META.has(c)) break;
      if (c === '\\') {
        const n = this.src[this.pos + 1];
        this.pos += 2;
        if (n === '\n') continue;
        if (n !== undefined) lit(n, true);
        continue;
      }
      if (c === "'") {
        const end = this.src.indexOf("'", this.pos + 1);
        if (end < 0) throw new ParseError("bash: unexpected EOF while looking for matching `''", true);
        lit(this.src.slice(this.pos + 1, end), true);
        this.pos = end + 1;
        continue;
      }
      if (c === '"') {
        this.pos++;
        this.parseDoubleQuoted(parts);
        continue;
      }
      if (c === '$' || c === '`') {
        const p = this.parseDollar(false);
        if (p) {
          parts.push(p);
          continue;
        }
      }
      lit(c, false);
      this.pos++;
    }
    if (parts.length === 0) parts.push({ t: 'lit', v: '', quoted: true });
    return parts;
  }

  parseDoubleQuoted(parts: WordPart[]): void {
    let buf = '';
    const flush = (): void => {
      parts.push({ t: 'lit', v: buf, quoted: true });
      buf = '';
    };
    for (;;) {
      if (this.eof()) throw new ParseError('bash: unexpected EOF while looking for matching `"\'', true);
      const c = this.src[this.pos];
      if (c === '"') {
        this.pos++;
        break;
      }
      if (c === '\\') {
        const n = this.src[this.pos + 1];
        if (n === '$' || n === '`' || n === '"' || n === '\\') {
          buf += n;
          this.pos += 2;
          continue;
        }
        if (n === '\n') {
          this.pos += 2;
          continue;
        }
        buf += c;
        this.pos++;
        continue;
      }
      if (c === '$' || c === '`') {
        const p = this.parseDollar(true);
        if (p) {
          flush();
          parts.push(p);
          continue;
        }
      }
      buf += c;
      this.pos++;
    }
    flush();
  }

  /** $NAME ${…} $(…) $((…)) `…` $? $# $@ $1; undefined when the $ is literal. */
  parseDollar(quoted: boolean): WordPart | undefined {
    const s = this.src;
    const inner = (from: number, to: number): List => parse(s.slice(from, to), { depth: this.depth + 1 });
    if (this.depth >= MAX_NESTING && (s[this.pos] === '`' || s[this.pos + 1] === '(' || s[this.pos + 1] === '{')) throw nestingError();
    if (s[this.pos] === '`') {
      const end = s.indexOf('`', this.pos + 1);
      if (end < 0) throw new ParseError('bash: unexpected EOF while looking for matching ``\'', true);
      const from = this.pos + 1;
      this.pos = end + 1;
      return { t: 'cmd', script: inner(from, end), quoted };
    }
    const n = s[this.pos + 1];
    if (n === '(' && s[this.pos + 2] === '(') {
      const end = this.findClose(this.pos + 3, '(', ')', 2);
      const expr = s.slice(this.pos + 3, end - 1);
      this.pos = end + 1;
      return { t: 'arith', expr, quoted };
    }
    if (n === '(') {
      const end = this.findClose(this.pos + 2, '(', ')', 1);
      const from = this.pos + 2;
      this.pos = end + 1;
      return { t: 'cmd', script: inner(from, end), quoted };
    }
    if (n === '{') {
      const end = this.findClose(this.pos + 2, '{', '}', 1);
      const text = s.slice(this.pos + 2, end);
      this.pos = end + 1;
      return parseBraced(text, quoted, this.depth + 1);
    }
    const m = s.slice(this.pos + 1, this.pos + 256).match(/^([A-Za-z_][A-Za-z0-9_]*|[0-9?#@*$!-])/);
    if (!m) return undefined;
    this.pos += 1 + m[1].length;
    return { t: 'param', name: m[1], quoted };
  }

  /** A word that may contain blanks (the argument of ${VAR:-a b}). */
  parseWordLoose(): Word {
    const out: Word = [];
    while (!this.eof()) {
      const c = this.src[this.pos];
      if (c === ' ' || c === '\t' || (META.has(c) && c !== '$')) {
        out.push({ t: 'lit', v: c, quoted: true });
        this.pos++;
        continue;
      }
      for (const item of this.parseWord()) out.push(item);
    }
    return out;
  }

  /** Index of the closing bracket, honouring nesting and quotes. */
  findClose(from: number, open: string, close: string, depthStart: number): number {
    let depth = depthStart;
    let i = from;
    const s = this.src;
    while (i < s.length) {
      const c = s[i];
      if (c === '\\') {
        i += 2;
        continue;
      }
      if (c === "'" && open !== '{') {
        const e = s.indexOf("'", i + 1);
        if (e < 0) break;
        i = e + 1;
        continue;
      }
      if (c === '"') {
        i++;
        while (i < s.length && s[i] !== '"') i += s[i] === '\\' ? 2 : 1;
        i++;
        continue;
      }
      if (c === open) depth++;
      else if (c === close) {
        depth--;
        if (depth === 0) return i;
        if (open === '(' && depthStart === 2 && depth === 1 && s[i + 1] === ')') return i + 1;
      }
      i++;
    }
    throw new ParseError(`bash: unexpected EOF while looking for matching \`${close}'`, true);
  }
}

function parseBraced(inner: string, quoted: boolean, depth: number): WordPart {
  if (inner.startsWith('#') && inner.length > 1) return { t: 'param', name: inner.slice(1), op: 'len', quoted };
  const m = inner.match(/^([A-Za-z_][A-Za-z0-9_]*|[0-9?#@*])(:-|:=|:\+|-|%%|%|##|#)?([\s\S]*)$/);
  if (!m) throw new ParseError(`bash: \${${inner}}: bad substitution`);
  if (!m[2]) {
    if (m[3]) throw new ParseError(`bash: \${${inner}}: bad substitution`);
    return { t: 'param', name: m[1], quoted };
  }
  const argParser = new Parser(m[3], depth);
  const arg = m[3] === '' ? [] : argParser.parseWordLoose();
  return { t: 'param', name: m[1], op: m[2] as ':-' | '-' | ':=' | ':+' | '#' | '%' | '%%' | '##', arg, quoted };
}

