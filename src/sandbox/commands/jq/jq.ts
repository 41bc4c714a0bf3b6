/**
 * jq 1.7 (src/main.c): `jq [options] FILTER [FILES…]` with -r -j -c -s -n -e -S -a --tab
 * --indent N --arg --argjson; messages and exit codes as main.c has them: 2 usage or input error,
 * 3 compile error, 5 a runtime error (the last one), -e: 1 when the last output was false or
 * null, 4 when there was none. No colour: the sandbox's commands write plain text (jq colours
 * only a terminal, and -M is the default here).
 */
import { breathe } from '../../core/clock';
import type { CommandSpec } from '../types';
import { builtins } from './builtins';
import { Evaluator, JqError, JqUndefined, type Env } from './eval';
import { dump, parseStream, type JObject, type Json, type PrintOptions } from './json';
import { JqCompileError, parse, type Node } from './parser';

const USAGE_HINT = 'Use jq --help for help with command-line options,\nor see the jq manpage, or online docs  at https://jqlang.github.io/jq\n';
/** Filter steps between two pauses for Ctrl-C, and the most one run may take (`[range(1e9)]`). */
const STEPS_PER_PAUSE = 20_000;
const MAX_STEPS = 5_000_000;

let sharedBuiltins: ReturnType<typeof builtins> | undefined;

function compileError(program: string, e: JqCompileError): string {
  const line = program.split('\n')[e.line - 1] ?? '';
  return `jq: error: ${e.message} at <top-level>, line ${e.line}:\n${line}\njq: 1 compile error\n`;
}

export const jq: CommandSpec = {
  name: 'jq',
  summary: "JSON processor: kubectl get pods -o json | jq -r '.items[].metadata.name'",
  async run(ctx) {
    const args = ctx.argv.slice(1);
    const print: PrintOptions = { indent: 2, tab: false, sortKeys: false, ascii: false };
    let raw = false;
    let join = false;
    let slurp = false;
    let nullInput = false;
    let exitStatus = false;
    let rawInput = false;
    const named: JObject = new Map();
    const vars = new Map<string, Json>();
    let program: string | undefined;
    const files: string[] = [];
    for (let i = 0; i < args.length; i++) {
      const a = args[i];
      if (program !== undefined && !a.startsWith('-')) {
        files.push(a);
        continue;
      }
      const short = /^-[a-zA-Z]+$/.test(a) ? a.slice(1).split('') : undefined;
      if (short && short.every((c) => 'rjcsneSaCMR'.includes(c))) {
        for (const c of short) {
          if (c === 'r') raw = true;
          else if (c === 'j') raw = join = true;
          else if (c === 'c') print.indent = 0;
          else if (c === 's') slurp = true;
          else if (c === 'n') nullInput = true;
          else if (c === 'e') exitStatus = true;
          else if (c === 'S') print.sortKeys = true;
          else if (c === 'a') print.ascii = true;
          else if (c === 'R') rawInput = true;
        }
        continue;
      }
      const long: Record<string, () => void> = {
        '--raw-output': () => (raw = true),
        '--join-output': () => (raw = join = true),
        '--compact-output': () => (print.indent = 0),
        '--slurp': () => (slurp = true),
        '--null-input': () => (nullInput = true),
        '--exit-status': () => (exitStatus = true),
        '--sort-keys': () => (print.sortKeys = true),
        '--ascii-output': () => (print.ascii = true),
        '--raw-input': () => (rawInput = true),
        '--tab': () => (print.tab = true),
        '--monochrome-output': () => undefined,
        '--color-output': () => undefined,
      };
      if (long[a]) {
        long[a]();
        continue;
      }
      if (a === '--indent') {
        const n = Number(args[++i]);
        if (!Number.isInteger(n) || n < 0 || n > 7) {
          ctx.err(n > 7 ? 'jq: Cannot indent more than 7 characters\n' + USAGE_HINT : `jq: --indent takes one parameter\n${USAGE_HINT}`);
          return 2;
        }
        print.indent = n;
        continue;
      }
      if (a === '--arg' || a === '--argjson') {
        const name = args[i + 1];
        const value = args[i + 2];
        if (name === undefined || value === undefined) {
          ctx.err(`jq: ${a} takes two parameters (e.g. ${a} varname ${a === '--arg' ? 'value' : 'text'})\n${USAGE_HINT}`);
          return 2;
        }
        let v: Json = value;
        if (a === '--argjson') {
          const p = parseStream(value);
          if (p.error || p.values.length !== 1) {
            ctx.err(`jq: invalid JSON text passed to --argjson\n${USAGE_HINT}`);
            return 2;
          }
          v = p.values[0].value;
        }
        vars.set(name, v);
        named.set(name, v);
        i += 2;
        continue;
      }
      if (a.startsWith('-') && a !== '-') {
        ctx.err(`jq: Unknown option: ${a}\n${USAGE_HINT}`);
        return 2;
      }
      program = a;
    }
    if (program === undefined) {
      ctx.err('Usage:\tjq [OPTIONS] FILTER [FILES...]\n\tjq [OPTIONS] --args FILTER [ARGUMENTS...]\n\tjq [OPTIONS] --jsonargs FILTER [JSON_VALUES...]\n\n' + USAGE_HINT);
      return 2;
    }
    let ast: Node;
    try {
      ast = parse(program);
    } catch (e) {
      if (!(e instanceof JqCompileError)) throw e;
      ctx.err(compileError(program, e));
      return 3;
    }
    // the inputs: stdin or the files, one stream of JSON values
    let text = '';
    let where = '<stdin>';
    for (const f of files) {
      try {
        text += ctx.fs.readFile(ctx.fs.resolve(ctx.cwd, f));
        where = f;
      } catch {
        ctx.err(`jq: error: Could not open ${f}: No such file or directory\n`);
        return 2;
      }
    }
    if (files.length === 0) text = ctx.stdin;
    let inputs: { value: Json; line: number }[];
    let parseError: string | undefined;
    if (rawInput) inputs = (text.endsWith('\n') ? text.slice(0, -1) : text).split('\n').filter((_, i, all) => text !== '' || all.length > 1).map((l, i) => ({ value: l, line: i + 1 }));
    else ({ values: inputs, error: parseError } = parseStream(text));
    if (slurp) inputs = [{ value: rawInput ? text : inputs.map((x) => x.value), line: inputs[inputs.length - 1]?.line ?? 0 }];
    vars.set('ENV', new Map(Object.entries(ctx.env)));
    vars.set('__loc__', null);
    vars.set('__prog_args', new Map<string, Json>([['positional', []], ['named', named]]));
    const queue = [...inputs];
    vars.set('__inputs', { next: () => queue.shift()?.value } as unknown as Json);
    let steps = 0;
    let pausedAt = 0;
    const env: Env = {
      vars,
      fns: new Map(),
      closures: new Map(),
      budget: {
        steps: 0,
        tick: () => {
          if (++steps > MAX_STEPS) throw new JqError(`the sandbox stopped this filter after ${MAX_STEPS} steps`);
        },
      },
    };
    const ev = new Evaluator((sharedBuiltins ??= builtins()));
    let status = 0;
    let last: Json | undefined;
    let out = '';
    const runOne = async (input: Json, line: number): Promise<void> => {
      const it = ev.run(ast, input, env);
      for (;;) {
        let r: IteratorResult<Json>;
        try {
          r = it.next();
        } catch (e) {
          if (e instanceof JqUndefined) throw e;
          if (!(e instanceof JqError)) {
            if (e instanceof RangeError) {
              ctx.err(`jq: error (at ${where}:${line}): the filter nests too deeply for the sandbox\n`);
              status = 5;
              return;
            }
            throw e;
          }
          const v = e.value;
          ctx.err(typeof v === 'string' ? `jq: error (at ${where}:${line}): ${v}\n` : `jq: error (at ${where}:${line}) (not a string): ${dump(v)}\n`);
          status = 5;
          return;
        }
        if (r.done) return;
        last = r.value;
        out += raw && typeof r.value === 'string' ? r.value : dump(r.value, print);
        if (!join) out += '\n';
        if (out.length > 64 * 1024) {
          ctx.out(out);
          out = '';
        }
        if (steps - pausedAt > STEPS_PER_PAUSE) {
          pausedAt = steps;
          await breathe(ctx.token);
        }
      }
    };
    try {
      if (nullInput) await runOne(null, 0);
      else
        while (queue.length) {
          const next = queue.shift()!;
          await runOne(next.value, next.line);
          await breathe(ctx.token);
        }
    } catch (e) {
      if (!(e instanceof JqUndefined)) throw e;
      ctx.out(out);
      ctx.err(`jq: error: ${e.message} at <top-level>, line 1:\n${program.split('\n')[0]}\njq: 1 compile error\n`);
      return 3;
    }
    ctx.out(out);
    if (parseError) {
      ctx.err(`jq: error (at ${where}:${inputs[inputs.length - 1]?.line ?? 0}): ${parseError}\n`.replace(/^jq: error \(at [^)]*\): /, 'jq: parse error: '));
      return 2;
    }
    if (status) return status;
    if (exitStatus) return last === undefined ? 4 : last === null || last === false ? 1 : 0;
    return 0;
  },
};
