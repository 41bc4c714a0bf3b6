/**
 * GNU findutils xargs (xargs/xargs.c): reads items from stdin (blanks and newlines separate them,
 * quotes and backslashes as read_line does; -0/-d: one item per delimiter as read_string does) and
 * runs the command (default echo) through the sandbox's shell with as many as fit, or -n per run,
 * -L lines per run, -I R once per line with R replaced. Exit status as xargs documents: 123 when a
 * run exited 1–125, 124 when one exited 255 (xargs stops), 127 when the command is not found.
 */
import { breathe } from '../../core/clock';
import type { CommandContext, CommandSpec } from '../types';

const USAGE = "Usage: xargs [OPTION]... COMMAND [INITIAL-ARGS]...\nTry 'xargs --help' for more information.\n";
/** bc_use_sensible_arg_max: the default limit of one command line, in bytes. */
const ARG_MAX = 128 * 1024;

interface Item {
  arg: string;
  /** The item ends an input line (counts for -L). */
  eol: boolean;
}

class XargsError extends Error {}

interface Options {
  delimiter?: string;
  maxArgs: number;
  maxLines: number;
  replace?: string;
  noRunIfEmpty: boolean;
  verbose: boolean;
  eof?: string;
  argFile?: string;
  command: string[];
}

/** get_input_delimiter: one character, or an escape (\n, \t, \0, \x41, \101). */
function delimiterOf(s: string): string {
  if (s.length === 1) return s;
  const simple: Record<string, string> = { a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '\\': '\\' };
  if (s[0] === '\\' && simple[s[1]] && s.length === 2) return simple[s[1]];
  if (s[0] === '\\' && /^\\(x[0-9a-fA-F]+|[0-7]+)$/.test(s)) return String.fromCharCode(s[1] === 'x' ? parseInt(s.slice(2), 16) : parseInt(s.slice(1), 8));
  throw new XargsError(`Invalid input delimiter specification ${s}: the delimiter must be either a single character or an escape sequence starting with \\.`);
}

/** xargs.c parse_num */
function num(v: string | undefined, opt: string): number {
  const n = Number(v);
  if (v === undefined || v === '' || !/^[-+]?\d+$/.test(v.trim())) throw new XargsError(`invalid number "${v ?? ''}" for -${opt} option\n${USAGE}`);
  if (n < 1) throw new XargsError(`value ${v} for -${opt} option should be >= 1\n${USAGE}`);
  return n;
}

/** getopt_long("+0a:E:e::i::I:l::L:n:prs:txP:d:"): options end at the command. */
function parseOptions(argv: string[]): Options {
  const o: Options = { maxArgs: 0, maxLines: 0, noRunIfEmpty: false, verbose: false, command: [] };
  const withValue = new Set(['a', 'E', 'I', 'L', 'n', 's', 'P', 'd']);
  const long: Record<string, string> = { null: '0', 'arg-file': 'a', delimiter: 'd', eof: 'e', replace: 'i', 'max-lines': 'l', 'max-args': 'n', interactive: 'p', 'no-run-if-empty': 'r', 'max-chars': 's', verbose: 't', exit: 'x', 'max-procs': 'P' };
  const set = (f: string, v: string | undefined): void => {
    switch (f) {
      case '0':
        o.delimiter = '\0';
        break;
      case 'd':
        o.delimiter = delimiterOf(v ?? '');
        break;
      case 'a':
        o.argFile = v;
        break;
      case 'E':
      case 'e':
        o.eof = v || undefined;
        break;
      case 'I':
      case 'i':
        // -I excludes -n and -L
        o.replace = v || '{}';
        o.maxArgs = 0;
        o.maxLines = 0;
        break;
      case 'L':
      case 'l':
        o.maxLines = v === undefined && f === 'l' ? 1 : num(v, f);
        o.maxArgs = 0;
        o.replace = undefined;
        break;
      case 'n':
        o.maxArgs = num(v, 'n');
        o.maxLines = 0;
        if (o.maxArgs === 1 && o.replace) o.maxArgs = 0;
        else o.replace = undefined;
        break;
      case 'r':
        o.noRunIfEmpty = true;
        break;
      case 't':
      case 'p':
        // -p would ask on /dev/tty before each run; the sandbox shows the command as -t does and runs it
        o.verbose = true;
        break;
      case 's':
        num(v, 's');
        break;
      case 'P':
      case 'x':
        break;
    }
  };
  let i = 0;
  for (; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') {
      i++;
      break;
    }
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      const name = eq < 0 ? a.slice(2) : a.slice(2, eq);
      const f = long[name];
      if (!f) throw new XargsError(`unrecognized option '${a}'\n${USAGE}`);
      const optional = f === 'e' || f === 'i' || f === 'l';
      set(f, eq >= 0 ? a.slice(eq + 1) : withValue.has(f) && !optional ? argv[++i] : undefined);
      continue;
    }
    if (!a.startsWith('-') || a === '-') break;
    for (let j = 1; j < a.length; j++) {
      const f = a[j];
      if (!'0aEeiIlLnprstxPd'.includes(f)) throw new XargsError(`invalid option -- '${f}'\n${USAGE}`);
      if (withValue.has(f)) {
        const v = j + 1 < a.length ? a.slice(j + 1) : argv[++i];
        if (v === undefined) throw new XargsError(`option requires an argument -- '${f}'\n${USAGE}`);
        set(f, v);
        break;
      }
      if (f === 'e' || f === 'i' || f === 'l') {
        // optional values attach: -i{} -l2
        set(f, a.slice(j + 1) || undefined);
        break;
      }
      set(f, undefined);
    }
  }
  o.command = argv.slice(i);
  return o;
}

/** read_line: blanks separate items, a newline ends a line, quotes and backslashes as in the shell; with -I a line is one item. */
function readLines(input: string, o: Options): Item[] {
  const items: Item[] = [];
  let cur = '';
  let seen = false;
  let quote = '';
  let prev = '';
  const push = (eol: boolean): boolean => {
    if (o.eof !== undefined && cur === o.eof) return false;
    items.push({ arg: cur, eol });
    cur = '';
    seen = false;
    return true;
  };
  for (let i = 0; i < input.length; i++) {
    const c = input[i];
    if (quote) {
      if (c === '\n') throw new XargsError(`unmatched ${quote === '"' ? 'double' : 'single'} quote; by default quotes are special to xargs unless you use the -0 option`);
      if (c === quote) quote = '';
      else cur += c;
      prev = c;
      continue;
    }
    if (c === '\n') {
      if (seen || cur !== '') {
        if (!push(true)) return items;
      } else if (items.length && prev !== ' ' && prev !== '\t' && o.replace === undefined) items[items.length - 1].eol = true;
      prev = c;
      continue;
    }
    if ((c === ' ' || c === '\t') && (o.replace === undefined || (!seen && cur === ''))) {
      if ((seen || cur !== '') && !push(false)) return items;
      prev = c;
      continue;
    }
    seen = true;
    if (c === '\\' && i + 1 < input.length) cur += input[++i];
    else if (c === "'" || c === '"') quote = c;
    else cur += c;
    prev = c;
  }
  if (quote) throw new XargsError(`unmatched ${quote === '"' ? 'double' : 'single'} quote; by default quotes are special to xargs unless you use the -0 option`);
  if (seen || cur !== '') push(true);
  return items;
}

/** read_string: one item per delimiter, no quoting; a last item without its delimiter counts. */
function readDelimited(input: string, delim: string): Item[] {
  const parts = input.split(delim);
  if (parts[parts.length - 1] === '') parts.pop();
  return parts.map((arg) => ({ arg, eol: true }));
}

export const xargs: CommandSpec = {
  name: 'xargs',
  summary: 'build command lines from input: kubectl get pods -o name | xargs kubectl delete',
  async run(ctx) {
    let o: Options;
    let items: Item[];
    try {
      o = parseOptions(ctx.argv.slice(1));
      let input = ctx.stdin;
      if (o.argFile !== undefined) {
        try {
          input = ctx.fs.readFile(ctx.fs.resolve(ctx.cwd, o.argFile));
        } catch {
          ctx.err(`xargs: ${o.argFile}: No such file or directory\n`);
          return 1;
        }
      }
      items = o.delimiter !== undefined ? readDelimited(input, o.delimiter) : readLines(input, o);
    } catch (e) {
      if (!(e instanceof XargsError)) throw e;
      ctx.err(`xargs: ${e.message}${e.message.endsWith('\n') ? '' : '\n'}`);
      return 1;
    }
    const command = o.command.length ? o.command : ['echo'];
    const runs: string[][] = [];
    if (o.replace !== undefined) {
      const r = o.replace;
      for (const it of items) runs.push([command[0], ...command.slice(1).map((a) => a.split(r).join(it.arg))]);
    } else {
      let batch: string[] = [];
      let lines = 0;
      let size = command.reduce((n, a) => n + a.length + 1, 0);
      const base = size;
      for (const it of items) {
        if (batch.length && size + it.arg.length + 1 > ARG_MAX) {
          runs.push([...command, ...batch]);
          batch = [];
          lines = 0;
          size = base;
        }
        batch.push(it.arg);
        size += it.arg.length + 1;
        if (it.eol) lines++;
        if ((o.maxArgs && batch.length >= o.maxArgs) || (o.maxLines && lines >= o.maxLines)) {
          runs.push([...command, ...batch]);
          batch = [];
          lines = 0;
          size = base;
        }
      }
      if (batch.length) runs.push([...command, ...batch]);
      // "SYSV xargs seems to do at least one exec, even if the input is empty" (unless -r)
      if (runs.length === 0 && !o.noRunIfEmpty) runs.push([...command]);
    }
    let status = 0;
    for (const argv of runs) {
      await breathe(ctx.token);
      if (o.verbose) ctx.err(`${argv.join(' ')}\n`);
      // the command's stdin is /dev/null (prep_child_for_exec)
      const r = await ctx.runSubcommand(argv, { stdin: '' });
      ctx.out(r.stdout);
      ctx.err(r.stderr);
      if (r.code === 127 && r.stdout === '' && r.stderr === '') {
        ctx.err(`xargs: ${argv[0]}: No such file or directory\n`);
        return 127;
      }
      if (r.code === 255) {
        ctx.err(`xargs: ${argv[0]}: exited with status 255; aborting\n`);
        return 124;
      }
      if (r.code !== 0) status = 123;
    }
    return status;
  },
};
