/**
 * Executes parsed scripts: expansions (parameters, command substitution, arithmetic, word
 * splitting, globbing), pipelines (stages run one after another, each reading the previous
 * one's output), && || ;, loops with an iteration bound, redirections, builtins. Every step
 * checks the cancel token, so Ctrl-C and the step budget stop even `while true`.
 */
import { BraceError, expandBraces } from './braces';
import type { Cluster } from '../cluster';
import { AbortError, CancelSource, throwIfCancelled, type CancelToken } from '../core/clock';
import type { CommandContext, CommandSpec, ExternalEditor, OpenApiDocuments, ShellAnalyzer } from '../commands/types';
import type { Origin } from '../network/fabric';
import { ArithError, evalArith, evalTest } from './arith';
import type { AndOr, Command, List, Pipeline, Redirect, SimpleCommand, Word } from './ast';
import { MAX_NESTING, nestingError, parse, parseHeredocBody, ParseError, parsePaced } from './parser';
import { removeMatch } from './pattern';
import { FsError, HOME, type Vfs } from './vfs';

export interface Io {
  stdin: string;
  out: (s: string) => void;
  err: (s: string) => void;
  /**
   * The open standard input shared by the commands of a compound command (`while read l; do …;
   * done < file`): `read` consumes a line of it, as it reads one line off the file descriptor;
   * the other commands see what is left.
   */
  input?: { rest: string };
  /** This command runs in a child process of its own in bash (a stage of a pipeline of several, or a `&` job). */
  forked?: boolean;
}

export interface ShellOptions {
  /** Maximum iterations of one loop (default 10 000). */
  maxLoopIterations?: number;
  /** Maximum simple commands per top-level run (default 100 000). */
  maxSteps?: number;
}

const BUILTINS = new Set(['cd', 'pwd', 'export', 'declare', 'local', 'readonly', 'unset', 'true', ':', 'false', 'exit', 'set', 'test', '[', 'read', 'source', '.', 'wait', 'return', 'shift']);

class ExitSignal extends Error {
  constructor(readonly code: number) {
    super('exit');
  }
}

/** `return N`: ends the function (or the sourced file) being run. */
class ReturnSignal extends Error {
  constructor(readonly code: number) {
    super('return');
  }
}

/** A limit of the sandbox met: the whole command line ends with the message and the status. */
class BudgetError extends Error {
  constructor(message: string, readonly status = 130) {
    super(message);
  }
}

/**
 * How many shells deep `sh FILE`, `bash -c` and `kubectl exec` may go: the sandbox's process
 * limit. A shell that cannot start a child says what bash says when fork(2) fails with EAGAIN
 * (bash jobs.c make_child: sys_error ("fork") after its retries, exit status EX_NOEXEC 126, and
 * throw_to_top_level ends the command line).
 */
const MAX_SHELL_DEPTH = 32;
const FORK_FAILED = 'bash: fork: Resource temporarily unavailable';

/**
 * How many function calls may run at once in processes of their own (`f | f`, `f &`): the
 * sandbox's process limit, which the fork bomb `:(){ :|:& };:` meets. Where fork(2) fails with
 * EAGAIN, bash retries with sleeps of 1, 2, 4 and 8 s, saying "fork: retry" each time, then gives
 * up with "fork", status EX_NOEXEC 126, and throw_to_top_level ends the command line (jobs.c
 * make_child, FORKSLEEP_MAX 16).
 */
const MAX_PROCESSES = 256;
const FORK_BOMB_STOPPED = [
  ...Array.from({ length: 4 }, () => 'bash: fork: retry: Resource temporarily unavailable'),
  FORK_FAILED,
  `(песочница: одновременно не больше ${MAX_PROCESSES} процессов — fork-бомба остановлена)`,
].join('\n');

/**
 * How deep function calls may nest. Bash's limit is FUNCNEST, unset by default: it recurses
 * until it runs out of stack and crashes. The sandbox honours FUNCNEST when it is set and
 * otherwise stops at this depth, in the words bash uses for FUNCNEST (execute_cmd.c
 * execute_function: internal_error "%s: maximum function nesting level exceeded (%d)", then
 * jump_to_top_level (DISCARD) ends the command line with status 1).
 */
const MAX_FUNCTION_NEST = 1000;

/**
 * How deep `source` may nest: stock bash has no limit (config-top.h SOURCENEST_MAX 0) and
 * recurses until it crashes; the sandbox stops at this depth with the words bash prints when a
 * limit is set (execute_cmd.c execute_builtin: "%s: maximum source nesting level exceeded (%d)",
 * status 1). Without it a self-sourcing file nested a hundred thousand levels deep and Ctrl-C
 * took longer than 100 ms to unwind them (npm run fuzz, bombs #2924).
 */
const MAX_SOURCE_NEST = 1000;

/** The longest word an expansion may produce (characters). */
const MAX_WORD = 16 * 1024 * 1024;

/**
 * Where an unexpected JavaScript exception ends up: the learner sees one Russian line naming
 * the command, never the exception's text; the fuzzing suite (fuzz/) and tests count these
 * through `internalErrors.onError` as defects.
 */
export const internalErrors: { onError?: (e: unknown, command: string) => void } = {};

function internalError(command: string, e: unknown): string {
  internalErrors.onError?.(e, command);
  return `${command}: внутренняя ошибка песочницы, команда не выполнена`;
}

function isStackOverflow(e: unknown): boolean {
  return e instanceof RangeError && /call stack/i.test(e.message);
}

/** A shell that holds a terminal (`kubectl exec -it POD -- sh`): its prompt, and what happens when it exits. */
export interface InteractiveShell {
  shell: Shell;
  /** The prompt it prints, e.g. "/ # ". */
  prompt(): string;
  /** It exited with `code`: what the terminal's own command (kubectl) then prints and returns. */
  exit(code: number, err: (s: string) => void): number;
}

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

export class Shell {
  readonly vars = new Map<string, { value: string; exported: boolean }>();
  cwd = HOME;
  lastStatus = 0;
  readonly history: string[] = [];
  /** Step budget shared with nested shells (sh -c, kubectl exec), so recursion cannot escape it. */
  private budget = { steps: 0 };
  private depth = 0;
  private sourceNest = 0;
  /** Shell functions by name (`name() { …; }`). */
  readonly functions = new Map<string, Command>();
  /** The positional parameters $1 … (a function's arguments, or a script's). */
  positional: string[] = [];
  /** Function calls running now, and how many of them run in processes of their own. */
  private functionNest = 0;
  private processes = 0;
  /** Per running function call, the values its `local` declarations hide (restored when it returns). */
  private readonly localFrames: Map<string, { value: string; exported: boolean } | undefined>[] = [];
  /** Nesting of `$( )` and `$(( ))` being expanded right now (bounded by MAX_NESTING). */
  private expansionDepth = 0;
  /** Paths of the process substitutions of the commands running now. */
  private readonly procSubs: string[] = [];
  private lastYield = 0;
  /** Inside a `&` job: commands must not advance the clock. */
  private background = false;
  /** When the last background job ends (virtual time); `wait` sleeps until then. */
  private backgroundEnd = 0;
  private token: CancelToken = new CancelSource();
  private current: CancelSource | undefined;
  onClear: () => void = () => undefined;
  /** What this shell says for an unknown command (bash's wording; a pod's sh says it its own way). */
  notFound: (name: string) => string = (name) => `bash: ${name}: command not found`;
  /** The top-level `exit` ran: this shell is done (an interactive pod shell returns the terminal). */
  exited = false;
  /** A pod's shell holding this terminal: lines go to it until it exits. */
  interactive: InteractiveShell | undefined;
  /** Optional istioctl-analyze implementation (see SandboxOptions.analyzer). */
  analyzer: ShellAnalyzer | undefined;
  /** kubectl explain's schemas (see SandboxOptions.openApi). */
  openApi: OpenApiDocuments | undefined;
  /** The host's editor for `kubectl edit` (CommandContext.editor). */
  editor: ExternalEditor | undefined;
  readonly maxLoop: number;
  readonly maxSteps: number;

  constructor(
    readonly fs: Vfs,
    readonly cluster: Cluster,
    readonly commands: Map<string, CommandSpec>,
    opts: ShellOptions = {},
    private readonly origin: Origin = { kind: 'host' },
  ) {
    this.maxLoop = opts.maxLoopIterations ?? 10_000;
    this.maxSteps = opts.maxSteps ?? 100_000;
    for (const [k, v] of Object.entries({ HOME, USER: 'learner', SHELL: '/bin/bash', PATH: '/usr/local/bin:/usr/bin:/bin', PWD: HOME, TERM: 'xterm-256color', LANG: 'C.UTF-8', HOSTNAME: 'sandbox' }))
      this.vars.set(k, { value: v, exported: true });
  }

  /** Ctrl-C: stops the running command line. */
  interrupt(): void {
    this.current?.cancel('interrupted');
    this.interactive?.shell.interrupt();
  }

  /** Runs one command line (or a whole script), streaming output. */
  async run(source: string, io: Partial<Io> = {}, opts: { addToHistory?: boolean } = {}): Promise<number> {
    const out = io.out ?? (() => undefined);
    const err = io.err ?? (() => undefined);
    const tty = this.interactive;
    if (tty) {
      const code = await tty.shell.run(source, io, opts);
      if (!tty.shell.exited) return code;
      this.interactive = undefined;
      this.lastStatus = tty.exit(code, err);
      return this.lastStatus;
    }
    if (opts.addToHistory !== false && source.trim()) this.history.push(source.replace(/\n$/, ''));
    const cs = new CancelSource();
    this.current = cs;
    this.token = cs.token;
    let list: List;
    try {
      // read whole before it runs, with pauses: Ctrl-C reaches a long pasted script while it is read
      list = await parsePaced(source, () => this.breathe());
    } catch (e) {
      this.current = undefined;
      if (e instanceof ParseError) {
        err(`${e.message}\n`);
        this.lastStatus = 2;
        return 2;
      }
      if (e instanceof AbortError) {
        err('^C\n');
        this.lastStatus = 130;
        return 130;
      }
      throw e;
    }
    this.budget.steps = 0;
    try {
      this.cluster.sync();
      this.lastStatus = await this.execList(list, { stdin: io.stdin ?? '', out, err });
    } catch (e) {
      if (e instanceof ExitSignal) {
        this.lastStatus = e.code;
        this.exited = true;
      }
      else if (e instanceof AbortError) {
        err(cs.reason === 'interrupted' ? '^C\n' : `${cs.reason}\n`);
        this.lastStatus = 130;
      } else if (e instanceof BudgetError) {
        err(`${e.message}\n`);
        this.lastStatus = e.status;
      } else if (e instanceof ParseError) {
        // a limit met while expanding (nesting too deep): reported like a syntax error
        err(`${e.message}\n`);
        this.lastStatus = 2;
      } else if (isStackOverflow(e)) {
        err(`${nestingError().message}\n`);
        this.lastStatus = 2;
      } else {
        err(`${internalError('bash', e)}\n`);
        this.lastStatus = 1;
      }
    } finally {
      this.current = undefined;
      this.cluster.sync();
    }
    return this.lastStatus;
  }

  /** Runs and collects output (tests, command substitution at top level). */
  async capture(source: string, stdin = ''): Promise<RunResult> {
    let stdout = '';
    let stderr = '';
    const code = await this.run(source, { stdin, out: (s) => (stdout += s), err: (s) => (stderr += s) }, { addToHistory: false });
    return { code, stdout, stderr };
  }

  getVar(name: string): string | undefined {
    if (name === '?') return String(this.lastStatus);
    if (name === '$') return '4242';
    if (name === '#') return String(this.positional.length);
    if (name === '@' || name === '*') return this.positional.join(' ');
    if (/^[1-9][0-9]*$/.test(name)) return this.positional[Number(name) - 1];
    if (name === 'RANDOM') return String(this.cluster.rng.int(32768));
    if (name === 'PWD') return this.cwd;
    return this.vars.get(name)?.value;
  }

  setVar(name: string, value: string, exported?: boolean): void {
    const cur = this.vars.get(name);
    this.vars.set(name, { value, exported: exported ?? cur?.exported ?? false });
  }

  env(): Record<string, string> {
    const e: Record<string, string> = {};
    for (const [k, v] of this.vars) if (v.exported) e[k] = v.value;
    e.PWD = this.cwd;
    return e;
  }

  // ---- execution -------------------------------------------------------------------------

  private step(): void {
    throwIfCancelled(this.token);
    if (++this.budget.steps > this.maxSteps) throw new BudgetError(`(песочница: командная строка остановлена после ${this.maxSteps} команд — это предел одной строки)`);
  }

  /**
   * Gives the host a chance to deliver Ctrl-C: virtual-time loops never wait on a timer, so
   * every ~20 ms of wall time the interpreter yields one macrotask (setTimeout exists in
   * browsers, workers and Node alike). Wall time only paces yielding; results stay deterministic.
   */
  private async breathe(): Promise<void> {
    const now = Date.now();
    if (now - this.lastYield < 20) return;
    this.lastYield = now;
    await new Promise<void>((resolve) => setTimeout(resolve, 0));
    throwIfCancelled(this.token);
  }

  /** A shell for `sh -c`, `bash FILE` or `kubectl exec`: same budget and cancel token, one level deeper. */
  nested(origin: Origin): Shell {
    if (this.depth >= MAX_SHELL_DEPTH) throw new BudgetError(FORK_FAILED, 126);
    const sub = new Shell(this.fs, this.cluster, this.commands, { maxLoopIterations: this.maxLoop, maxSteps: this.maxSteps }, origin);
    sub.budget = this.budget;
    sub.depth = this.depth + 1;
    sub.token = this.token;
    sub.backgroundEnd = this.backgroundEnd;
    sub.background = this.background;
    sub.onClear = this.onClear;
    sub.analyzer = this.analyzer;
    sub.openApi = this.openApi;
    sub.editor = this.editor;
    return sub;
  }

  /** Runs a parsed script as a child shell does (`sh -c`, `bash FILE`): its `exit` ends this shell only, with that status. */
  async execScript(list: List, io: Io): Promise<number> {
    try {
      return await this.execList(list, io);
    } catch (e) {
      if (e instanceof ExitSignal) return e.code;
      throw e;
    }
  }

  async execList(list: List, io: Io): Promise<number> {
    let status = this.lastStatus;
    for (const item of list.items) {
      if (item.background) {
        const saved = this.background;
        this.background = true;
        try {
          await this.execAndOr(item, { ...io, forked: true });
        } finally {
          this.background = saved;
        }
        status = 0;
      } else status = await this.execAndOr(item, io);
    }
    return status;
  }

  private async execAndOr(ao: AndOr, io: Io): Promise<number> {
    let status = await this.execPipeline(ao.first, io);
    this.lastStatus = status;
    for (const { op, pipeline } of ao.rest) {
      if ((op === '&&' && status !== 0) || (op === '||' && status === 0)) continue;
      status = await this.execPipeline(pipeline, io);
      this.lastStatus = status;
    }
    return status;
  }

  private async execPipeline(p: Pipeline, io: Io): Promise<number> {
    let stdin = io.stdin;
    let status = 0;
    for (let i = 0; i < p.commands.length; i++) {
      const last = i === p.commands.length - 1;
      // each command of a pipeline reads its own pipe; the first keeps the enclosing input
      const input = i === 0 ? io.input : { rest: stdin };
      const forked = io.forked || p.commands.length > 1;
      if (last) status = await this.execCommand(p.commands[i], { stdin, out: io.out, err: io.err, input, forked });
      else {
        let buf = '';
        status = await this.execCommand(p.commands[i], { stdin, out: (s) => (buf += s), err: io.err, input, forked });
        stdin = buf;
      }
    }
    return p.negate ? (status === 0 ? 1 : 0) : status;
  }

  private async execCommand(cmd: Command, ioIn: Io): Promise<number> {
    // the /dev/fd files of this command's process substitutions close when it ends
    const mark = this.procSubs.length;
    try {
      return await this.execCommandOpen(cmd, ioIn);
    } finally {
      for (const path of this.procSubs.splice(mark)) {
        try {
          this.fs.remove(path);
        } catch {
          // already gone
        }
      }
    }
  }

  private async execCommandOpen(cmd: Command, ioIn: Io): Promise<number> {
    this.step();
    await this.breathe();
    const io = await this.applyRedirects(cmd.redirects, ioIn);
    if (!io) return 1;
    try {
      switch (cmd.type) {
        case 'simple':
          return await this.execSimple(cmd, io);
        case 'group':
          if (cmd.subshell) {
            const savedCwd = this.cwd;
            const savedVars = new Map(this.vars);
            const savedFunctions = new Map(this.functions);
            const savedPositional = this.positional;
            try {
              return await this.execList(cmd.body, io);
            } finally {
              this.cwd = savedCwd;
              this.vars.clear();
              for (const [k, v] of savedVars) this.vars.set(k, v);
              this.functions.clear();
              for (const [k, v] of savedFunctions) this.functions.set(k, v);
              this.positional = savedPositional;
            }
          }
          return await this.execList(cmd.body, io);
        case 'if': {
          for (const b of cmd.branches) if ((await this.execList(b.condition, io)) === 0) return await this.execList(b.body, io);
          return cmd.otherwise ? await this.execList(cmd.otherwise, io) : 0;
        }
        case 'function':
          this.functions.set(cmd.name, cmd.body);
          return 0;
        case 'for': {
          // `for x; do` walks "$@"
          const items = cmd.items ? await this.expandWords(cmd.items, io) : [...this.positional];
          let status = 0;
          let n = 0;
          for (const it of items) {
            if (++n > this.maxLoop) throw new BudgetError(`(песочница: цикл остановлен после ${this.maxLoop} итераций)`);
            this.step();
            this.setVar(cmd.variable, it);
            status = await this.execList(cmd.body, io);
          }
          return status;
        }
        case 'while': {
          let status = 0;
          let n = 0;
          for (;;) {
            this.step();
            const c = await this.execList(cmd.condition, io);
            if (cmd.until ? c === 0 : c !== 0) break;
            if (++n > this.maxLoop) throw new BudgetError(`(песочница: цикл остановлен после ${this.maxLoop} итераций)`);
            status = await this.execList(cmd.body, io);
            // let the event loop breathe so a Ctrl-C can arrive
            if (n % 50 === 0) await Promise.resolve();
          }
          return status;
        }
        default:
          return 0;
      }
    } finally {
      io.finish?.();
    }
  }

  private async applyRedirects(redirects: Redirect[], io: Io): Promise<(Io & { finish?: () => void }) | undefined> {
    if (redirects.length === 0) return io;
    let { stdin, out, err } = io;
    let input = io.input;
    const pending: { path: string; target: string; text: string; append: boolean }[] = [];
    for (const r of redirects) {
      if (r.op === '<<') {
        stdin = r.heredoc!.expand ? (await this.expandWordNoSplit(parseHeredocBody(r.heredoc!.body), io)) : r.heredoc!.body;
        input = { rest: stdin };
        continue;
      }
      const target = r.target ? await this.expandWordNoSplit(r.target, io) : '';
      if (r.op === '<<<') {
        stdin = `${target}\n`;
        input = { rest: stdin };
        continue;
      }
      if (r.op === '>&') {
        if (target === '1' && r.fd === 2) err = out;
        else if (target === '2' && r.fd === 1) out = err;
        continue;
      }
      const path = this.fs.resolve(this.cwd, target);
      if (r.op === '<') {
        try {
          stdin = this.fs.readFile(path);
          input = { rest: stdin };
        } catch (e) {
          io.err(`bash: ${target}: ${e instanceof FsError ? e.message.replace(`${path}: `, '') : 'error'}\n`);
          return undefined;
        }
        continue;
      }
      if (this.fs.isDir(path)) {
        io.err(`bash: ${target}: Is a directory\n`);
        return undefined;
      }
      const entry = { path, target, text: '', append: r.op === '>>' };
      pending.push(entry);
      try {
        // bash opens the file before the command runs: `>` truncates, `>>` creates it if missing
        this.fs.writeFile(path, '', entry.append);
      } catch (e) {
        io.err(`bash: ${target}: ${e instanceof FsError ? e.message.replace(`${path}: `, '') : 'No such file or directory'}\n`);
        return undefined;
      }
      const sink = (s: string): void => {
        entry.text += s;
      };
      if (r.op === '&>') {
        out = sink;
        err = sink;
      } else if (r.fd === 2) err = sink;
      else out = sink;
    }
    return {
      stdin,
      out,
      err,
      input,
      finish: () => {
        for (const p of pending) {
          try {
            this.fs.writeFile(p.path, p.text, true);
          } catch (e) {
            // the file went away meanwhile, or grew past the sandbox's size limit (EFBIG)
            if (!(e instanceof FsError)) throw e;
            io.err(`bash: ${p.target}: write error: ${e.message.replace(`${p.path}: `, '')}\n`);
          }
        }
      },
    };
  }

  private async execSimple(cmd: SimpleCommand, io: Io): Promise<number> {
    const argv = await this.expandWords(cmd.words, io);
    const assigns: [string, string][] = [];
    for (const a of cmd.assigns) assigns.push([a.name, await this.expandWordNoSplit(a.value, io)]);
    if (argv.length === 0) {
      for (const [k, v] of assigns) this.setVar(k, v);
      return 0;
    }
    const name = argv[0];
    // functions come before builtins and commands (bash's default mode: `:` itself can be one)
    const fn = this.functions.get(name);
    if (fn) return this.callFunction(name, fn, argv.slice(1), io);
    const builtin = await this.builtin(name, argv, io);
    if (builtin !== undefined) return builtin;
    const spec = this.commands.get(name) ?? this.commands.get(binName(name));
    if (!spec) {
      io.err(`${this.notFound(name)}\n`);
      return 127;
    }
    const env = { ...this.env(), ...Object.fromEntries(assigns) };
    this.cluster.sync();
    const ctx: CommandContext = {
      argv,
      stdin: io.input ? io.input.rest : io.stdin,
      env,
      cwd: this.cwd,
      fs: this.fs,
      cluster: this.cluster,
      token: this.token,
      origin: this.origin,
      background: this.background,
      finishAt: (ms) => {
        this.backgroundEnd = Math.max(this.backgroundEnd, ms);
      },
      out: io.out,
      err: io.err,
      history: this.history,
      analyzer: this.analyzer,
      openApi: this.openApi,
      editor: this.editor,
      clear: () => this.onClear(),
      nestedShell: (origin) => this.nested(origin ?? this.origin),
      attachTty:
        this.depth === 0 && !this.background && !this.interactive
          ? (session) => {
              this.interactive = session;
            }
          : undefined,
      runSubcommand: async (args, opts) => {
        const sub = this.nested(opts.origin ?? this.origin);
        for (const [k, v] of this.vars) sub.vars.set(k, v);
        sub.cwd = this.cwd;
        let stdout = '';
        let stderr = '';
        if (!this.commands.has(binName(args[0] ?? '')) && !BUILTINS.has(args[0] ?? '')) return { code: 127, stdout: '', stderr: '' };
        const code = await sub.execSimple({ type: 'simple', assigns: [], words: args.map((a) => [{ t: 'lit', v: a, quoted: true }]), redirects: [] }, { stdin: opts.stdin ?? '', out: (s) => (stdout += s), err: (s) => (stderr += s) });
        return { code, stdout, stderr };
      },
    };
    try {
      const code = await spec.run(ctx);
      this.cluster.sync();
      return code;
    } catch (e) {
      if (e instanceof AbortError || e instanceof ExitSignal || e instanceof BudgetError || e instanceof ParseError) throw e;
      if (isStackOverflow(e)) throw nestingError();
      io.err(`${internalError(name, e)}\n`);
      return 1;
    }
  }

  /**
   * Runs a shell function with its arguments as $1 …: `local` values and the caller's
   * positional parameters come back when it returns; `return N` ends it with status N.
   */
  private async callFunction(name: string, body: Command, args: string[], io: Io): Promise<number> {
    const funcnest = Number(this.getVar('FUNCNEST'));
    const userLimit = Number.isInteger(funcnest) && funcnest > 0;
    const limit = userLimit ? funcnest : MAX_FUNCTION_NEST;
    if (this.functionNest >= limit)
      throw new BudgetError(`bash: ${name}: maximum function nesting level exceeded (${limit})${userLimit ? '' : `\n(песочница: рекурсия функции остановлена на глубине ${limit})`}`, 1);
    if (io.forked && this.processes >= MAX_PROCESSES) throw new BudgetError(FORK_BOMB_STOPPED, 126);
    const savedPositional = this.positional;
    this.positional = args;
    this.functionNest++;
    if (io.forked) this.processes++;
    const frame = new Map<string, { value: string; exported: boolean } | undefined>();
    this.localFrames.push(frame);
    try {
      // the body runs in this (child) process: its own pipelines fork again
      return await this.execCommand(body, { ...io, forked: false });
    } catch (e) {
      if (e instanceof ReturnSignal) return e.code;
      throw e;
    } finally {
      this.localFrames.pop();
      for (const [k, v] of frame) {
        if (v) this.vars.set(k, v);
        else this.vars.delete(k);
      }
      this.positional = savedPositional;
      this.functionNest--;
      if (io.forked) this.processes--;
    }
  }

  private async builtin(name: string, argv: string[], io: Io): Promise<number | undefined> {
    switch (name) {
      case 'cd': {
        const target = argv[1] === undefined || argv[1] === '~' ? HOME : argv[1] === '-' ? this.getVar('OLDPWD') ?? this.cwd : argv[1];
        const abs = this.fs.resolve(this.cwd, target);
        if (!this.fs.exists(abs)) {
          io.err(`bash: cd: ${argv[1]}: No such file or directory\n`);
          return 1;
        }
        if (!this.fs.isDir(abs)) {
          io.err(`bash: cd: ${argv[1]}: Not a directory\n`);
          return 1;
        }
        this.setVar('OLDPWD', this.cwd, true);
        this.cwd = abs;
        return 0;
      }
      case 'pwd':
        io.out(`${this.cwd}\n`);
        return 0;
      case 'export':
      case 'declare':
      case 'local':
      case 'readonly': {
        const args = argv.slice(1).filter((a) => !a.startsWith('-'));
        const frame = this.localFrames[this.localFrames.length - 1];
        if (name === 'local') {
          // bash builtins/declare.def local_builtin
          if (!frame) {
            io.err('bash: local: can only be used in a function\n');
            return 1;
          }
          for (const a of args) {
            const n = a.includes('=') ? a.slice(0, a.indexOf('=')) : a;
            if (!frame.has(n)) frame.set(n, this.vars.get(n));
            if (!a.includes('=')) this.vars.set(n, { value: '', exported: false });
          }
        }
        if (args.length === 0 && name === 'export') {
          for (const [k, v] of [...this.vars].sort()) if (v.exported) io.out(`declare -x ${k}="${v.value}"\n`);
          return 0;
        }
        for (const a of args) {
          const i = a.indexOf('=');
          if (i < 0) this.setVar(a, this.getVar(a) ?? '', name === 'export' ? true : undefined);
          else if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(a.slice(0, i))) {
            io.err(`bash: ${name}: \`${a}': not a valid identifier\n`);
            return 1;
          } else this.setVar(a.slice(0, i), a.slice(i + 1), name === 'export' ? true : undefined);
        }
        return 0;
      }
      case 'unset': {
        const functions = argv.includes('-f');
        for (const a of argv.slice(1)) if (!a.startsWith('-')) (functions ? this.functions : this.vars).delete(a);
        return 0;
      }
      case 'return': {
        // bash builtins/return.def: outside a function or a sourced file it is an error
        if (this.functionNest === 0 && this.sourceNest === 0) {
          io.err("bash: return: can only `return' from a function or sourced script\n");
          return 1;
        }
        throw new ReturnSignal(argv[1] !== undefined ? Number(argv[1]) & 255 : this.lastStatus);
      }
      case 'shift': {
        // bash builtins/shift.def: shifting more than there are fails quietly (shift_verbose is off)
        const n = argv[1] === undefined ? 1 : Number(argv[1]);
        if (!Number.isInteger(n) || n < 0) {
          io.err(`bash: shift: ${argv[1]}: numeric argument required\n`);
          return 1;
        }
        if (n > this.positional.length) return 1;
        this.positional = this.positional.slice(n);
        return 0;
      }
      case 'true':
      case ':':
        return 0;
      case 'wait': {
        const left = this.backgroundEnd - this.cluster.clock.now();
        if (left > 0) await this.cluster.clock.sleep(left, this.token);
        this.cluster.sync();
        return 0;
      }
      case 'false':
        return 1;
      case 'exit':
        throw new ExitSignal(argv[1] !== undefined ? Number(argv[1]) & 255 : this.lastStatus);
      case 'set':
        return 0;
      case 'test':
      case '[': {
        let args = argv.slice(1);
        if (name === '[') {
          if (args[args.length - 1] !== ']') {
            io.err("bash: [: missing `]'\n");
            return 2;
          }
          args = args.slice(0, -1);
        }
        const r = evalTest(args, (p, kind) => {
          const abs = this.fs.resolve(this.cwd, p);
          return kind === 'd' ? this.fs.isDir(abs) : kind === 'f' ? this.fs.isFile(abs) : this.fs.exists(abs);
        });
        if (r.error) io.err(`bash: ${name}: ${r.error}\n`);
        return r.code;
      }
      case 'read': {
        // one line off the open input; at end of file (a last line without a newline included)
        // read still assigns what it got but returns 1 (bash builtins/read.def)
        const names = argv.slice(1).filter((a) => !a.startsWith('-'));
        const src = io.input ? io.input.rest : io.stdin;
        const nl = src.indexOf('\n');
        const line = nl < 0 ? src : src.slice(0, nl);
        if (io.input) io.input.rest = nl < 0 ? '' : src.slice(nl + 1);
        const fields = line.split(/\s+/).filter(Boolean);
        names.forEach((n, i) => this.setVar(n, i === names.length - 1 ? fields.slice(i).join(' ') : fields[i] ?? ''));
        return nl < 0 ? 1 : 0;
      }
      case 'source':
      case '.': {
        const p = argv[1];
        if (!p) {
          io.err(`bash: ${name}: filename argument required\n`);
          return 2;
        }
        let list: List;
        try {
          // read with pauses for Ctrl-C, as the command line itself
          list = await parsePaced(this.fs.readFile(this.fs.resolve(this.cwd, p)), () => this.breathe());
        } catch (e) {
          // Ctrl-C and the sandbox's budgets end the whole line, as they do outside `source`
          if (!(e instanceof FsError || e instanceof ParseError)) throw e;
          io.err(`bash: ${p}: ${e instanceof FsError ? 'No such file or directory' : e.message.replace(/^bash: /, '')}\n`);
          return 1;
        }
        if (this.sourceNest >= MAX_SOURCE_NEST) {
          io.err(`bash: ${name}: maximum source nesting level exceeded (${MAX_SOURCE_NEST})\n`);
          return 1;
        }
        this.sourceNest++;
        try {
          return await this.execList(list, io);
        } catch (e) {
          // `return` in a sourced file ends the file (unless a function inside it is returning)
          if (e instanceof ReturnSignal) return e.code;
          throw e;
        } finally {
          this.sourceNest--;
        }
      }
      default:
        return undefined;
    }
  }

  // ---- expansion -------------------------------------------------------------------------

  private async expandParts(word: Word, io: Io): Promise<ExpandedPart[]> {
    const out: ExpandedPart[] = [];
    for (const [i, p] of word.entries()) {
      switch (p.t) {
        case 'lit':
          // tilde expansion: an unquoted ~ that starts the word, alone or before a slash, is $HOME
          if (i === 0 && !p.quoted && (p.v === '~' ? word.length === 1 || (word[1].t === 'lit' && !word[1].quoted && word[1].v.startsWith('/')) : p.v.startsWith('~/'))) {
            out.push({ text: this.getVar('HOME') ?? HOME, quoted: true, glob: false });
            out.push({ text: p.v.slice(1), quoted: false, glob: true });
            break;
          }
          out.push({ text: p.v, quoted: p.quoted, glob: !p.quoted });
          break;
        case 'param': {
          if (p.name === '@' && p.quoted && !p.op) {
            // "$@": each positional parameter a word of its own; none at all without parameters
            this.positional.forEach((a, k) => out.push({ text: a, quoted: true, glob: false, newField: k > 0 }));
            break;
          }
          let v = this.getVar(p.name);
          const arg = async (): Promise<string> => (p.arg ? this.expandWordNoSplit(p.arg, io) : '');
          switch (p.op) {
            case ':-':
              if (!v) v = await arg();
              break;
            case '-':
              if (v === undefined) v = await arg();
              break;
            case ':=':
              if (!v) {
                v = await arg();
                this.setVar(p.name, v);
              }
              break;
            case ':+':
              v = v ? await arg() : '';
              break;
            case 'len':
              v = String((v ?? '').length);
              break;
            case '#':
            case '##':
            case '%':
            case '%%':
              v = removeMatch(v ?? '', await arg(), p.op);
              break;
          }
          out.push({ text: v ?? '', quoted: p.quoted, glob: false });
          break;
        }
        case 'cmd': {
          let buf = '';
          const savedCwd = this.cwd;
          await this.deeper(() => this.execList(p.script, { stdin: '', out: (s) => (buf += s), err: io.err }));
          this.cwd = savedCwd;
          out.push({ text: buf.replace(/\n+$/, ''), quoted: p.quoted, glob: false });
          break;
        }
        case 'procsub': {
          // bash runs the list with its output on a pipe and passes the pipe's name, /dev/fd/63 for the
          // first (then 62, …; subst.c process_substitute); here the output is collected into that file
          let buf = '';
          const savedCwd = this.cwd;
          await this.deeper(() => this.execList(p.script, { stdin: '', out: (s) => (buf += s), err: io.err }));
          this.cwd = savedCwd;
          const path = `/dev/fd/${63 - (this.procSubs.length % 54)}`;
          this.fs.mkdirp('/dev/fd');
          this.fs.writeFile(path, buf);
          this.procSubs.push(path);
          out.push({ text: path, quoted: true, glob: false });
          break;
        }
        case 'arith': {
          const expr = await this.deeper(() => this.expandWordNoSplit(parseHeredocBody(p.expr, this.expansionDepth), io));
          try {
            out.push({ text: String(evalArith(expr, (n) => this.getVar(n) ?? '', (n, val) => this.setVar(n, val))), quoted: p.quoted, glob: false });
          } catch (e) {
            io.err(`bash: ${e instanceof ArithError ? e.message : String(e)}\n`);
            out.push({ text: '0', quoted: p.quoted, glob: false });
          }
          break;
        }
      }
    }
    // bash grows a word until malloc fails (subst.c: "xrealloc: cannot allocate N bytes"); the
    // sandbox stops at MAX_WORD, long before a JavaScript string limit or the tab's memory
    let size = 0;
    for (const p of out) size += p.text.length;
    if (size > MAX_WORD) throw new BudgetError(`bash: xrealloc: cannot allocate ${size + 1} bytes (песочница: в одном слове не больше ${MAX_WORD / 1024 / 1024} МиБ)`);
    return out;
  }

  /** Runs a nested expansion one level deeper; too deep ends the command line like a syntax error. */
  private async deeper<T>(f: () => Promise<T>): Promise<T> {
    if (this.expansionDepth >= MAX_NESTING) throw nestingError();
    this.expansionDepth++;
    try {
      return await f();
    } finally {
      this.expansionDepth--;
    }
  }

  /** Expansion without field splitting or globbing (assignments, redirection targets, here-documents). */
  async expandWordNoSplit(word: Word, io: Io): Promise<string> {
    return (await this.expandParts(word, io)).map((p) => p.text).join('');
  }

  /** A command's words: brace expansion first (braces.ts), then each resulting word fully expanded. */
  async expandWords(words: Word[], io: Io): Promise<string[]> {
    const out: string[] = [];
    for (const word of words) {
      let braced: Word[];
      try {
        braced = expandBraces(word);
      } catch (e) {
        if (e instanceof BraceError) throw new BudgetError(`bash: ${e.message}`);
        throw e;
      }
      for (const [i, w] of braced.entries()) {
        if (i % 16_384 === 16_383) await this.breathe();
        // a plain unquoted literal with nothing to split, glob or expand is itself ({1..100000})
        const only = w.length === 1 ? w[0] : undefined;
        if (braced.length > 1 && only?.t === 'lit' && !only.quoted && !/[\s*?[~]/.test(only.v)) out.push(only.v);
        else for (const item of await this.expandWord(w, io)) out.push(item);
      }
    }
    return out;
  }

  /** Full expansion: unquoted results are split on blanks, then globbed against the file system. */
  async expandWord(word: Word, io: Io): Promise<string[]> {
    const parts = await this.expandParts(word, io);
    const fields: { text: string; globbable: boolean }[] = [];
    let cur: { text: string; globbable: boolean } | undefined;
    let sawQuoted = false;
    for (const p of parts) {
      if (p.newField) {
        fields.push(cur ?? { text: '', globbable: false });
        cur = undefined;
        sawQuoted = false;
      }
      if (p.quoted || p.glob) {
        if (p.quoted) sawQuoted = true;
        cur ??= { text: '', globbable: false };
        cur.text += p.text;
        if (p.glob && /[*?[]/.test(p.text)) cur.globbable = true;
        continue;
      }
      // unquoted expansion result: split on IFS, with pauses for Ctrl-C ($(seq 1 1000000) is a million fields)
      const blanks = /[ \t\n]+/g;
      let at = 0;
      for (let i = 0; ; i++) {
        if (i % 16_384 === 16_383) await this.breathe();
        const m = blanks.exec(p.text);
        const piece = p.text.slice(at, m ? m.index : p.text.length);
        if (i > 0) {
          if (cur && (cur.text !== '' || sawQuoted)) fields.push(cur);
          cur = undefined;
          sawQuoted = false;
        }
        if (piece !== '') {
          cur ??= { text: '', globbable: false };
          cur.text += piece;
        }
        if (!m) break;
        at = m.index + m[0].length;
      }
    }
    if (cur && (cur.text !== '' || sawQuoted)) fields.push(cur);
    const out: string[] = [];
    for (const [i, f] of fields.entries()) {
      if (i % 16_384 === 16_383) await this.breathe();
      if (f.globbable) {
        const m = this.fs.glob(this.cwd, f.text);
        if (m.length) {
          for (const item of m) out.push(item);
          continue;
        }
      }
      out.push(f.text);
    }
    return out;
  }
}

export { AbortError };

/** A piece of an expanded word; `newField`: a word boundary before it ("$@" between parameters). */
interface ExpandedPart {
  text: string;
  quoted: boolean;
  glob: boolean;
  newField?: boolean;
}

/** `/usr/bin/curl` runs `curl`: a command named by its path in one of PATH's directories. */
function binName(name: string): string {
  const m = name.match(/^\/(?:usr\/(?:local\/)?)?s?bin\/([^/]+)$/);
  return m ? m[1] : name;
}
