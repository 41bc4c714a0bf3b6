/**
 * GNU sed 4.9 (sed/sed.c options, sed/execute.c the cycle): `sed -n -e … -E -i -s -f FILE`, the
 * script compiled by ./script.ts. Exit codes as sed.h defines them: 1 a bad script or option,
 * 2 an input file that could not be read, 4 an I/O error; `q N`/`Q N` exit with N.
 */
import { breathe } from '../../core/clock';
import { FsError } from '../../shell/vfs';
import type { CommandContext, CommandSpec } from '../types';
import { compileScript, SedError, type Address, type Command, type ReplPart, type SedRegex } from './script';

const USAGE = 'Usage: sed [OPTION]... {script-only-if-no-other-script} [input-file]...\n';
/** sed keeps its pattern and hold spaces in memory; the sandbox stops one that outgrows this, as xrealloc would fail. */
const MAX_SPACE = 16 * 1024 * 1024;
/** Commands run between two pauses for Ctrl-C (`:a;ba` loops as real sed does, until Ctrl-C). */
const STEPS_PER_PAUSE = 50_000;

interface Options {
  quiet: boolean;
  extended: boolean;
  inPlace?: string;
  separate: boolean;
  exprs: { text: string; n: number }[];
  files: string[];
}

type ParsedOptions = Options | { error: string };

/** sed.c main's getopt_long("bsnrzuEe:f:l:i::V:"): -e/-f add script parts, -i takes an attached suffix only. */
function parseOptions(ctx: CommandContext): ParsedOptions {
  const o: Options = { quiet: false, extended: false, separate: false, exprs: [], files: [] };
  const args = ctx.argv.slice(1);
  const addFile = (name: string): string | undefined => {
    try {
      o.exprs.push({ text: ctx.fs.readFile(ctx.fs.resolve(ctx.cwd, name)).replace(/\n$/, ''), n: o.exprs.length + 1 });
      return undefined;
    } catch {
      return `sed: couldn't open file ${name}: No such file or directory\n`;
    }
  };
  const positional: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--') {
      positional.push(...args.slice(i + 1));
      break;
    }
    if (a.startsWith('--')) {
      const [name, value] = a.includes('=') ? [a.slice(2, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a.slice(2), undefined];
      if (name === 'quiet' || name === 'silent') o.quiet = true;
      else if (name === 'regexp-extended') o.extended = true;
      else if (name === 'separate') o.separate = true;
      else if (name === 'in-place') o.inPlace = value ?? '';
      else if (name === 'expression') o.exprs.push({ text: value ?? args[++i] ?? '', n: o.exprs.length + 1 });
      else if (name === 'file') {
        const e = addFile(value ?? args[++i] ?? '');
        if (e) return { error: e };
      } else if (name === 'posix' || name === 'debug' || name === 'sandbox' || name === 'follow-symlinks' || name === 'unbuffered') continue;
      else return { error: `sed: unrecognized option '${a}'\n${USAGE}` };
      continue;
    }
    if (a.startsWith('-') && a.length > 1) {
      for (let j = 1; j < a.length; j++) {
        const f = a[j];
        if (f === 'n') o.quiet = true;
        else if (f === 'E' || f === 'r') o.extended = true;
        else if (f === 's') o.separate = true;
        else if (f === 'u' || f === 'b' || f === 'z') continue;
        else if (f === 'i') {
          o.inPlace = a.slice(j + 1);
          break;
        } else if (f === 'e' || f === 'f') {
          const v = j + 1 < a.length ? a.slice(j + 1) : args[++i];
          if (v === undefined) return { error: `sed: option requires an argument -- '${f}'\n${USAGE}` };
          if (f === 'e') o.exprs.push({ text: v, n: o.exprs.length + 1 });
          else {
            const e = addFile(v);
            if (e) return { error: e };
          }
          break;
        } else return { error: `sed: invalid option -- '${f}'\n${USAGE}` };
      }
      continue;
    }
    positional.push(a);
  }
  if (o.exprs.length === 0) {
    const script = positional.shift();
    if (script === undefined) return { error: USAGE };
    o.exprs.push({ text: script, n: 1 });
  }
  o.files = positional;
  return o;
}

interface Line {
  text: string;
  /** The last line of a file without its newline: sed writes it back without one. */
  newline: boolean;
}

function splitLines(text: string): Line[] {
  const out: Line[] = [];
  let at = 0;
  while (at < text.length) {
    const nl = text.indexOf('\n', at);
    out.push({ text: text.slice(at, nl < 0 ? text.length : nl), newline: nl >= 0 });
    at = nl < 0 ? text.length : nl + 1;
  }
  return out;
}

class QuitSignal {
  constructor(readonly code: number) {}
}

/** One run of the program over a stream of lines (all inputs, or one file with -i/-s). */
class Executor {
  private lineNo = 0;
  private at = 0;
  private lines: Line[] = [];
  private hold = '';
  private lastRe: SedRegex;
  private out = '';
  private steps = 0;
  /** Text queued by `a`, written at the end of the cycle. */
  private appended = '';

  constructor(
    private readonly ctx: CommandContext,
    private readonly cmds: Command[],
    private readonly quiet: boolean,
    private readonly write: (s: string) => void,
  ) {}

  private emit(s: string): void {
    this.out += s;
    if (this.out.length > 64 * 1024) this.flushOut();
  }

  flushOut(): void {
    if (this.out) this.write(this.out);
    this.out = '';
  }

  private isLast(): boolean {
    return this.at >= this.lines.length;
  }

  private re(r: SedRegex): NonNullable<SedRegex> {
    const use = r ?? this.lastRe;
    if (!use) throw new SedError('no previous regular expression');
    this.lastRe = use;
    return use;
  }

  private matchOne(a: Address, ps: string): boolean {
    switch (a.kind) {
      case 'line':
        return this.lineNo === a.n;
      case 'last':
        return this.isLast();
      case 're':
        return this.re(a.re).test(ps);
      case 'step':
        return a.step <= 0 ? this.lineNo === a.first : this.lineNo >= a.first && (this.lineNo - a.first) % a.step === 0;
      default:
        return false;
    }
  }

  /** execute.c match_address_p */
  private selected(c: Command, ps: string): boolean {
    if (!c.a1) return true;
    if (!c.a2) return this.matchOne(c.a1, ps);
    const a2 = c.a2;
    if (c.active) {
      if (a2.kind === 're') {
        if (this.re(a2.re).test(ps)) c.active = false;
        return true;
      }
      if (a2.kind === 'last') {
        if (this.isLast()) c.active = false;
        return true;
      }
      // a numeric end: past it, the range is over without this line (execute.c: "if we got past that line")
      if (this.lineNo > c.endLine) {
        c.active = false;
        return this.matchOne(c.a1, ps) && this.open(c, ps);
      }
      if (this.lineNo === c.endLine) c.active = false;
      return true;
    }
    if (c.a1.kind === 'line' && c.a1.n === 0) {
      // 0,/re/: the regex may end the range on the first line already
      if (this.lineNo !== 1) return false;
      c.active = !this.re((a2 as { re: SedRegex }).re).test(ps);
      return true;
    }
    return this.matchOne(c.a1, ps) && this.open(c, ps);
  }

  /** The first address matched: the range opens unless its end is already reached. */
  private open(c: Command, ps: string): true {
    const a2 = c.a2!;
    if (a2.kind === 'line') c.endLine = a2.n;
    else if (a2.kind === 'plus') c.endLine = this.lineNo + a2.n;
    else if (a2.kind === 'mult') c.endLine = a2.n <= 0 ? this.lineNo : Math.ceil(this.lineNo / a2.n) * a2.n;
    c.active = a2.kind === 're' || (a2.kind === 'last' ? !this.isLast() : c.endLine > this.lineNo);
    void ps;
    return true;
  }

  private substitute(c: Command, ps: string): { text: string; replaced: boolean } {
    const s = c.subst!;
    const re = this.re(s.re);
    let result = '';
    let last = 0;
    let count = 0;
    let prevEnd = -1;
    let replaced = false;
    for (const m of re.matches(ps)) {
      // an empty match right after the previous match is not a match (`s/x*/-/g` on "axb")
      if (m.start === m.end && m.start === prevEnd) continue;
      prevEnd = m.end;
      count++;
      if (count < s.nth) continue;
      result += ps.slice(last, m.start) + expand(s.repl, m.groups);
      last = m.end;
      replaced = true;
      if (!s.global) break;
    }
    if (!replaced) return { text: ps, replaced };
    return { text: result + ps.slice(last), replaced };
  }

  private check(s: string): string {
    if (s.length > MAX_SPACE) throw new SedError("couldn't re-allocate memory");
    return s;
  }

  private endCycle(ps: string, nl: boolean, print: boolean): void {
    if (print && !this.quiet) this.emit(ps + (nl ? '\n' : ''));
    if (this.appended) this.emit(this.appended);
    this.appended = '';
  }

  /** Runs the script over `lines`; resolves with the exit status `q`/`Q` asked for, or undefined. */
  async run(lines: Line[]): Promise<number | undefined> {
    this.lines = lines;
    this.at = 0;
    this.lineNo = 0;
    try {
      let carry: { ps: string; nl: boolean } | undefined;
      while (carry || this.at < this.lines.length) {
        let ps: string;
        let nl: boolean;
        if (carry) ({ ps, nl } = carry);
        else {
          const l = this.lines[this.at++];
          this.lineNo++;
          ps = l.text;
          nl = l.newline;
        }
        carry = undefined;
        let replaced = false;
        let autoprint = true;
        for (let pc = 0; pc < this.cmds.length; pc++) {
          if (++this.steps % STEPS_PER_PAUSE === 0) {
            this.flushOut();
            await breathe(this.ctx.token);
          }
          const c = this.cmds[pc];
          if (c.name === '}' || c.name === ':') continue;
          if (this.selected(c, ps) === c.bang) {
            if (c.name === '{') pc = c.jump! - 1;
            continue;
          }
          switch (c.name) {
            case '{':
              break;
            case '=':
              this.emit(`${this.lineNo}\n`);
              break;
            case 'a':
              this.appended += c.text;
              break;
            case 'i':
              this.emit(c.text!);
              break;
            case 'c':
              // with a range, the text replaces the whole range: it is written at its end
              if (!c.a2 || c.bang || !c.active) this.emit(c.text!);
              autoprint = false;
              pc = this.cmds.length;
              break;
            case 'd':
              autoprint = false;
              pc = this.cmds.length;
              break;
            case 'D': {
              const i = ps.indexOf('\n');
              autoprint = false;
              if (i >= 0) carry = { ps: ps.slice(i + 1), nl };
              pc = this.cmds.length;
              break;
            }
            case 'p':
              this.emit(`${ps}\n`);
              break;
            case 'P':
              this.emit(`${ps.split('\n')[0]}\n`);
              break;
            case 'n':
              if (this.at >= this.lines.length) {
                // GNU: without a next line, n ends the script (the pattern space is still printed)
                this.endCycle(ps, nl, true);
                return undefined;
              }
              this.endCycle(ps, true, true);
              ({ text: ps, newline: nl } = this.lines[this.at++]);
              this.lineNo++;
              break;
            case 'N':
              if (this.at >= this.lines.length) {
                this.endCycle(ps, nl, true);
                return undefined;
              }
              if (this.appended) this.emit(this.appended);
              this.appended = '';
              ps = this.check(`${ps}\n${this.lines[this.at].text}`);
              nl = this.lines[this.at++].newline;
              this.lineNo++;
              break;
            case 'g':
              ps = this.hold;
              break;
            case 'G':
              ps = this.check(`${ps}\n${this.hold}`);
              break;
            case 'h':
              this.hold = ps;
              break;
            case 'H':
              this.hold = this.check(`${this.hold}\n${ps}`);
              break;
            case 'x':
              [ps, this.hold] = [this.hold, ps];
              break;
            case 'z':
              ps = '';
              break;
            case 'y':
              ps = [...ps].map((ch) => c.map!.get(ch) ?? ch).join('');
              break;
            case 's': {
              const r = this.substitute(c, ps);
              if (r.replaced) {
                ps = this.check(r.text);
                replaced = true;
                if (c.subst!.print) this.emit(`${ps}\n`);
              }
              break;
            }
            case 'b':
              pc = c.jump! - 1;
              break;
            case 't':
            case 'T':
              if (replaced === (c.name === 't')) pc = c.jump! - 1;
              replaced = false;
              break;
            case 'q':
              this.endCycle(ps, nl, true);
              throw new QuitSignal(c.exitCode ?? 0);
            case 'Q':
              throw new QuitSignal(c.exitCode ?? 0);
          }
        }
        this.endCycle(ps, nl, autoprint);
      }
    } catch (e) {
      if (e instanceof QuitSignal) return e.code;
      throw e;
    } finally {
      this.flushOut();
    }
    return undefined;
  }
}

/** The replacement of one match: groups, `&`, and GNU's \U \L \u \l \E case conversions. */
function expand(repl: ReplPart[], groups: (string | undefined)[]): string {
  let out = '';
  let mode: 'U' | 'L' | 'E' = 'E';
  let once: 'u' | 'l' | undefined;
  for (const p of repl) {
    if ('caseOp' in p) {
      if (p.caseOp === 'u' || p.caseOp === 'l') once = p.caseOp;
      else mode = p.caseOp;
      continue;
    }
    let t = 'text' in p ? p.text : groups[p.group] ?? '';
    if (mode === 'U') t = t.toUpperCase();
    else if (mode === 'L') t = t.toLowerCase();
    if (once && t) {
      t = (once === 'u' ? t[0].toUpperCase() : t[0].toLowerCase()) + t.slice(1);
      once = undefined;
    }
    out += t;
  }
  return out;
}

export const sed: CommandSpec = {
  name: 'sed',
  summary: "stream editor: sed 's/old/new/g', sed -n '2,5p', sed -i",
  async run(ctx) {
    const o = parseOptions(ctx);
    if ('error' in o) {
      ctx.err(o.error);
      return 1;
    }
    let cmds: Command[];
    try {
      cmds = compileScript(o.exprs, o.extended);
    } catch (e) {
      if (!(e instanceof SedError)) throw e;
      ctx.err(`sed: ${e.message}\n`);
      return 1;
    }
    if (o.inPlace !== undefined && o.files.length === 0) {
      ctx.err('sed: no input files\n');
      return 1;
    }
    let status = 0;
    const read = (f: string): string | undefined => {
      if (f === '-' && o.inPlace === undefined) return ctx.stdin;
      const abs = ctx.fs.resolve(ctx.cwd, f);
      if (ctx.fs.isDir(abs)) {
        ctx.err(o.inPlace !== undefined ? `sed: couldn't edit ${f}: not a regular file\n` : `sed: read error on ${f}: Is a directory\n`);
        status = o.inPlace !== undefined ? 4 : 2;
        return undefined;
      }
      try {
        return ctx.fs.readFile(abs);
      } catch {
        ctx.err(`sed: can't read ${f}: No such file or directory\n`);
        status = 2;
        return undefined;
      }
    };
    try {
      if (o.inPlace !== undefined || o.separate) {
        // each file is its own stream: line numbers and `$` restart; with -i the output replaces the file
        for (const f of o.files.length ? o.files : ['-']) {
          const text = read(f);
          if (text === undefined) continue;
          let result = '';
          const ex = new Executor(ctx, cmds, o.quiet, o.inPlace !== undefined ? (s) => (result += s) : ctx.out);
          const q = await ex.run(splitLines(text));
          if (o.inPlace !== undefined) {
            const abs = ctx.fs.resolve(ctx.cwd, f);
            if (o.inPlace) ctx.fs.writeFile(ctx.fs.resolve(ctx.cwd, o.inPlace.includes('*') ? o.inPlace.replace('*', f) : f + o.inPlace), text);
            ctx.fs.writeFile(abs, result);
          }
          if (q !== undefined) return q;
        }
        return status;
      }
      const files = o.files.length ? o.files : ['-'];
      const lines: Line[] = [];
      for (const f of files) {
        const text = read(f);
        if (text === undefined) continue;
        const l = splitLines(text);
        // a file without a final newline still ends its line when another file follows
        if (lines.length && !lines[lines.length - 1].newline) lines[lines.length - 1].newline = true;
        for (const x of l) lines.push(x);
      }
      const q = await new Executor(ctx, cmds, o.quiet, ctx.out).run(lines);
      return q ?? status;
    } catch (e) {
      if (e instanceof SedError) {
        ctx.err(`sed: ${e.message}\n`);
        return 4;
      }
      if (e instanceof FsError) {
        ctx.err(`sed: couldn't write: ${e.message}\n`);
        return 4;
      }
      throw e;
    }
  },
};
