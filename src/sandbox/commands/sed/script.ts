/**
 * GNU sed 4.9's script compiler (sed/compile.c): addresses, commands and their arguments, with
 * compile.c's error messages and its character count ("sed: -e expression #1, char 5: unterminated
 * `s' command": the number of characters read when the error was found, 0 at the end of the
 * script). Regular expressions are POSIX BRE/ERE run on RE2 (../coreutils/regex.ts).
 */
import { compile, RegexError, type Regex } from '../coreutils/regex';

export class SedError extends Error {}

/** A regex address or an `s` pattern; `undefined` for `//` (the last regular expression used). */
export type SedRegex = Regex | undefined;

export type Address =
  | { kind: 'line'; n: number }
  | { kind: 'last' }
  | { kind: 're'; re: SedRegex }
  | { kind: 'step'; first: number; step: number }
  /** addr1,+N */
  | { kind: 'plus'; n: number }
  /** addr1,~N */
  | { kind: 'mult'; n: number };

/** A piece of an `s` replacement: text, a group (0 = the whole match, `&`), or a case conversion (\U \L \u \l \E). */
export type ReplPart = { text: string } | { group: number } | { caseOp: 'U' | 'L' | 'u' | 'l' | 'E' };

export interface Subst {
  re: SedRegex;
  repl: ReplPart[];
  global: boolean;
  print: boolean;
  /** Replace the Nth match (and with g every one after it). */
  nth: number;
}

export interface Command {
  a1?: Address;
  a2?: Address;
  bang: boolean;
  name: string;
  /** Range state: the line after which an active range ends (numeric second addresses), or -1. */
  active: boolean;
  endLine: number;
  text?: string;
  subst?: Subst;
  /** y: source → destination characters. */
  map?: Map<string, string>;
  label?: string;
  /** {: index of its matching }; b/t/T: index of the target (commands.length = end of script). */
  jump?: number;
  exitCode?: number;
}

const EOF = '';

interface Expr {
  text: string;
  /** 1-based number of the -e expression (GNU counts them across -e and the lone script). */
  n: number;
}

/** Compiles every -e expression into one program (a `{` may open in one -e and close in a later one). */
export function compileScript(exprs: Expr[], extended: boolean): Command[] {
  const cmds: Command[] = [];
  const blocks: number[] = [];
  const seen = { regex: false };
  for (const e of exprs) new Compiler(e, extended, cmds, blocks, seen).run();
  // compile.c check_final_program: an open block is reported at char 0
  if (blocks.length) throw new SedError(`-e expression #${exprs[exprs.length - 1]?.n ?? 1}, char 0: unmatched \`{'`);
  const labels = new Map<string, number>();
  cmds.forEach((c, i) => c.name === ':' && labels.set(c.label ?? '', i));
  for (const c of cmds) {
    if (!'btT'.includes(c.name)) continue;
    if (!c.label) c.jump = cmds.length;
    else if (labels.has(c.label)) c.jump = labels.get(c.label);
    else throw new SedError(`can't find label for jump to \`${c.label}'`);
  }
  return cmds;
}

class Compiler {
  private pos = 0;

  constructor(
    private readonly e: Expr,
    private readonly extended: boolean,
    private readonly cmds: Command[],
    private readonly blocks: number[],
    /** Whether a regex came before: `//` reuses the last one, and there must be one. */
    private readonly seen: { regex: boolean },
  ) {}

  private get src(): string {
    return this.e.text;
  }

  private fail(why: string): never {
    throw new SedError(`-e expression #${this.e.n}, char ${this.pos}: ${why}`);
  }

  private inchar(): string {
    return this.pos < this.src.length ? this.src[this.pos++] : EOF;
  }

  private savchar(ch: string): void {
    if (ch !== EOF) this.pos--;
  }

  private nonblank(): string {
    let ch: string;
    do ch = this.inchar();
    while (ch === ' ' || ch === '\t');
    return ch;
  }

  private regex(pattern: string, flags: string): SedRegex {
    if (pattern === '') {
      if (!this.seen.regex) this.fail('no previous regular expression');
      return undefined;
    }
    this.seen.regex = true;
    try {
      return compile(pattern, this.extended ? 'extended' : 'basic', { ignoreCase: /[iI]/.test(flags) });
    } catch (err) {
      this.fail(err instanceof RegexError ? err.message : 'Invalid regular expression');
    }
  }

  /** compile.c match_slash: text up to an unescaped delimiter; `\delim` loses its backslash, `\n` in a regex is a newline. */
  private matchSlash(slash: string, isRegex: boolean): string | undefined {
    let b = '';
    for (;;) {
      let ch = this.inchar();
      if (ch === EOF || ch === '\n') {
        if (ch === '\n') this.savchar(ch);
        return undefined;
      }
      if (ch === slash) return b;
      if (ch === '\\') {
        ch = this.inchar();
        if (ch === EOF) return undefined;
        if (ch === 'n' && isRegex) ch = '\n';
        else if (ch !== '\n' && (ch !== slash || (!isRegex && ch === '&'))) b += '\\';
      } else if (ch === '[' && isRegex) {
        // a bracket expression may hold the delimiter: [/]
        b += ch;
        ch = this.inchar();
        if (ch === '^') (b += ch), (ch = this.inchar());
        if (ch === ']') (b += ch), (ch = this.inchar());
        while (ch !== ']' && ch !== EOF && ch !== '\n') (b += ch), (ch = this.inchar());
        if (ch !== ']') return undefined;
      }
      b += ch;
    }
  }

  private integer(first: string): number {
    let s = first;
    let ch = this.inchar();
    while (/[0-9]/.test(ch)) (s += ch), (ch = this.inchar());
    this.savchar(ch);
    return Number(s);
  }

  private address(ch: string): Address | undefined {
    if (ch === '/' || ch === '\\') {
      const slash = ch === '\\' ? this.inchar() : '/';
      const pat = this.matchSlash(slash, true);
      if (pat === undefined) this.fail('unterminated address regex');
      let flags = '';
      for (;;) {
        const f = this.nonblank();
        if (f === 'I') flags += 'I';
        else if (f === 'M') continue;
        else {
          this.savchar(f);
          break;
        }
      }
      return { kind: 're', re: this.regex(pat, flags) };
    }
    if (/[0-9]/.test(ch)) {
      const n = this.integer(ch);
      const c = this.nonblank();
      if (c === '~') {
        const d = this.inchar();
        const step = /[0-9]/.test(d) ? this.integer(d) : (this.savchar(d), 0);
        return { kind: 'step', first: n, step };
      }
      this.savchar(c);
      return { kind: 'line', n };
    }
    if (ch === '+' || ch === '~') {
      const d = this.inchar();
      if (!/[0-9]/.test(d)) this.fail('expected newer version of sed');
      return { kind: ch === '+' ? 'plus' : 'mult', n: this.integer(d) };
    }
    if (ch === '$') return { kind: 'last' };
    return undefined;
  }

  /** compile.c read_end_of_cmd */
  private endOfCmd(): void {
    const ch = this.nonblank();
    if (ch === '}' || ch === '#') this.savchar(ch);
    else if (ch !== EOF && ch !== '\n' && ch !== ';') this.fail('extra characters after command');
  }

  private label(): string {
    let ch = this.nonblank();
    let s = '';
    while (ch !== EOF && ch !== '\n' && ch !== ';') (s += ch), (ch = this.inchar());
    return s.trim();
  }

  /** compile.c read_text: `a text`, `a\` + lines, `a\text`; a backslash-newline continues the text. */
  private text(): string {
    let ch = this.nonblank();
    if (ch === EOF) this.fail("expected \\ after `a', `c' or `i'");
    if (ch === '\\') {
      ch = this.inchar();
      if (ch === '\n') ch = this.inchar();
      else if (ch !== EOF) {
        // GNU one-liner a\text
      }
    }
    let out = '';
    while (ch !== EOF && ch !== '\n') {
      if (ch === '\\') {
        ch = this.inchar();
        if (ch === EOF) break;
      }
      out += ch;
      ch = this.inchar();
    }
    return `${out}\n`;
  }

  private replacement(raw: string): ReplPart[] {
    const parts: ReplPart[] = [];
    let text = '';
    const flush = (): void => {
      if (text) parts.push({ text });
      text = '';
    };
    for (let i = 0; i < raw.length; i++) {
      const c = raw[i];
      if (c === '&') {
        flush();
        parts.push({ group: 0 });
      } else if (c === '\\' && i + 1 < raw.length) {
        const n = raw[++i];
        if (/[0-9]/.test(n)) {
          flush();
          parts.push({ group: Number(n) });
        } else if ('LUluE'.includes(n)) {
          flush();
          parts.push({ caseOp: n as 'U' });
        } else text += n === 'n' ? '\n' : n === 't' ? '\t' : n === 'r' ? '\r' : n === 'a' ? '\x07' : n === 'f' ? '\f' : n === 'v' ? '\v' : n;
      } else text += c;
    }
    flush();
    return parts;
  }

  private subst(cmd: Command): void {
    const slash = this.inchar();
    const pat = this.matchSlash(slash, true);
    if (pat === undefined) this.fail("unterminated `s' command");
    const rawRepl = this.matchSlash(slash, false);
    if (rawRepl === undefined) this.fail("unterminated `s' command");
    const s: Subst = { re: undefined, repl: this.replacement(rawRepl), global: false, print: false, nth: 1 };
    let flags = '';
    let numbered = false;
    // compile.c mark_subst_opts
    for (;;) {
      const ch = this.inchar();
      if (ch === 'i' || ch === 'I') flags += 'I';
      else if (ch === 'm' || ch === 'M' || ch === 'e') continue;
      else if (ch === 'g') {
        if (s.global) this.fail("multiple `g' options to `s' command");
        s.global = true;
      } else if (ch === 'p') {
        if (s.print) this.fail("multiple `p' options to `s' command");
        s.print = true;
      } else if (/[0-9]/.test(ch)) {
        if (numbered) this.fail("multiple number options to `s' command");
        s.nth = this.integer(ch);
        numbered = true;
        if (s.nth === 0) this.fail("number option to `s' command may not be zero");
      } else if (ch === 'w') this.fail('e/r/w commands disabled in sandbox mode');
      else if (ch === '}' || ch === '#') {
        this.savchar(ch);
        break;
      } else if (ch === '\n' || ch === ';' || ch === EOF) break;
      else if (ch === ' ' || ch === '\t') continue;
      else this.fail("unknown option to `s'");
    }
    s.re = this.regex(pat, flags);
    const maxRef = Math.max(0, ...s.repl.map((p) => ('group' in p ? p.group : 0)));
    if (s.re && maxRef > s.re.groups) this.fail(`invalid reference \\${maxRef} on \`s' command's RHS`);
    cmd.subst = s;
  }

  private translit(cmd: Command): void {
    const slash = this.inchar();
    const src = this.matchSlash(slash, false);
    const dst = src === undefined ? undefined : this.matchSlash(slash, false);
    if (src === undefined || dst === undefined) this.fail("unterminated `y' command");
    const unq = (t: string): string[] => {
      const out: string[] = [];
      for (let i = 0; i < t.length; i++) {
        if (t[i] === '\\' && i + 1 < t.length) {
          const n = t[++i];
          out.push(n === 'n' ? '\n' : n === 't' ? '\t' : n);
        } else out.push(t[i]);
      }
      return out;
    };
    const a = unq(src);
    const b = unq(dst);
    if (a.length !== b.length) this.fail("strings for `y' command are different lengths");
    cmd.map = new Map(a.map((c, i) => [c, b[i]]));
    this.endOfCmd();
  }

  run(): void {
    for (;;) {
      let ch = this.inchar();
      while (ch === ';' || /^\s$/.test(ch)) ch = this.inchar();
      if (ch === EOF) return;
      const cmd: Command = { bang: false, name: '', active: false, endLine: -1 };
      cmd.a1 = this.address(ch);
      if (cmd.a1) {
        if (cmd.a1.kind === 'plus' || cmd.a1.kind === 'mult') this.fail('invalid usage of +N or ~N as first address');
        ch = this.nonblank();
        if (ch === ',') {
          cmd.a2 = this.address(this.nonblank());
          if (!cmd.a2) this.fail("unexpected `,'");
          if (cmd.a2.kind === 'line' && cmd.a2.n === 0) this.fail('invalid usage of line address 0');
          ch = this.nonblank();
        }
        if (cmd.a1.kind === 'line' && cmd.a1.n === 0 && (!cmd.a2 || cmd.a2.kind !== 're')) this.fail('invalid usage of line address 0');
      }
      if (ch === '!') {
        cmd.bang = true;
        ch = this.nonblank();
        if (ch === '!') this.fail("multiple `!'s");
        while (/^\s$/.test(ch)) ch = this.inchar();
      }
      if (ch === EOF || ch === '\n' || ch === ';') this.fail('missing command');
      cmd.name = ch;
      const oneAddress = (): void => {
        if (cmd.a2) this.fail('command only uses one address');
      };
      switch (ch) {
        case '#':
          if (cmd.a1) this.fail("comments don't accept any addresses");
          while (ch !== EOF && ch !== '\n') ch = this.inchar();
          continue;
        case '{':
          this.blocks.push(this.cmds.length);
          break;
        case '}':
          if (cmd.a1) this.fail("`}' doesn't want any addresses");
          if (!this.blocks.length) this.fail("unexpected `}'");
          this.cmds[this.blocks.pop()!].jump = this.cmds.length + 1;
          this.endOfCmd();
          break;
        case 'a':
        case 'i':
        case 'c':
          cmd.text = this.text();
          break;
        case ':':
          if (cmd.a1) this.fail(": doesn't want any addresses");
          cmd.label = this.label();
          if (!cmd.label) this.fail('":" lacks a label');
          break;
        case 'b':
        case 't':
        case 'T':
          cmd.label = this.label();
          break;
        case 'q':
        case 'Q': {
          oneAddress();
          const d = this.nonblank();
          if (/[0-9]/.test(d)) cmd.exitCode = this.integer(d);
          else this.savchar(d);
          this.endOfCmd();
          break;
        }
        case '=':
        case 'd':
        case 'D':
        case 'g':
        case 'G':
        case 'h':
        case 'H':
        case 'n':
        case 'N':
        case 'p':
        case 'P':
        case 'x':
        case 'z':
          this.endOfCmd();
          break;
        case 's':
          this.subst(cmd);
          break;
        case 'y':
          this.translit(cmd);
          break;
        case 'r':
        case 'R':
        case 'w':
        case 'W':
        case 'e':
          // the sandbox's sed runs as `sed --sandbox` does: no reading, writing or running other files from a script
          this.fail('e/r/w commands disabled in sandbox mode');
        default:
          this.fail(`unknown command: \`${ch}'`);
      }
      this.cmds.push(cmd);
    }
  }
}
