/** A small getopt for commands: short flags (-sSv, -n 5, -n5), long flags (--tail=5, --tail 5), "--". */
export interface ParsedArgs {
  flags: Map<string, string[]>;
  positional: string[];
  /** Arguments after "--". */
  rest: string[];
  unknown: string[];
}

export interface FlagSpec {
  /** Flags that take a value, e.g. ['n', 'tail', 'o']. */
  withValue: string[];
  /** Flags without value. */
  boolean: string[];
  /** Aliases: short → long. */
  aliases?: Record<string, string>;
  /**
   * Options end at the first operand, as getopt with a leading "+" in its option string (POSIXLY_CORRECT):
   * the operand and everything after it land in `rest` (watch, env, nice: the rest is a command line).
   */
  stopAtOperand?: boolean;
}

export function parseArgs(argv: string[], spec: FlagSpec): ParsedArgs {
  const flags = new Map<string, string[]>();
  const positional: string[] = [];
  const unknown: string[] = [];
  let rest: string[] = [];
  const canon = (f: string): string => spec.aliases?.[f] ?? f;
  const add = (f: string, v: string): void => {
    const k = canon(f);
    flags.set(k, [...(flags.get(k) ?? []), v]);
  };
  const takes = (f: string): boolean => spec.withValue.includes(f) || spec.withValue.includes(canon(f));
  const known = (f: string): boolean => takes(f) || spec.boolean.includes(f) || spec.boolean.includes(canon(f));
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') {
      rest = argv.slice(i + 1);
      break;
    }
    if (a.startsWith('--') && a.length > 2) {
      const eq = a.indexOf('=');
      const name = eq < 0 ? a.slice(2) : a.slice(2, eq);
      if (!known(name)) {
        unknown.push(a);
        continue;
      }
      if (takes(name)) add(name, eq < 0 ? argv[++i] ?? '' : a.slice(eq + 1));
      else add(name, eq < 0 ? 'true' : a.slice(eq + 1));
      continue;
    }
    if (a.startsWith('-') && a.length > 1 && !/^-\d+$/.test(a)) {
      for (let j = 1; j < a.length; j++) {
        const f = a[j];
        if (!known(f)) {
          unknown.push(`-${f}`);
          continue;
        }
        if (takes(f)) {
          let v = a.slice(j + 1);
          if (v.startsWith('=')) v = v.slice(1);
          add(f, v !== '' ? v : argv[++i] ?? '');
          break;
        }
        add(f, 'true');
      }
      continue;
    }
    if (spec.stopAtOperand) {
      rest = argv.slice(i);
      break;
    }
    positional.push(a);
  }
  return { flags, positional, rest, unknown };
}

export function flag(p: ParsedArgs, name: string): string | undefined {
  const v = p.flags.get(name);
  return v ? v[v.length - 1] : undefined;
}

export function has(p: ParsedArgs, name: string): boolean {
  return p.flags.has(name);
}

// ---- pflag: the flag parser of kubectl and istioctl (github.com/spf13/pflag flag.go) ----------

export type FlagKind = 'bool' | 'string' | 'int' | 'stringArray' | 'duration';

export interface FlagDef {
  name: string;
  shorthand?: string;
  kind: FlagKind;
  /** The default, as `--help` prints it (`''` for an empty string, `[]` for an empty list). */
  defValue: string;
  /** The value of a flag given without one (pflag's NoOptDefVal: "true" for booleans). */
  noOptDefVal?: string;
}

/**
 * A flag set from kubectl's own help lines, e.g. `-A, --all-namespaces=false`, `--tail=-1`,
 * `-f, --filename=[]`, `--since=0s`, `--dry-run='none'` (the kind follows from the default).
 * `noOpt` gives NoOptDefVal for non-boolean flags (kubectl's --dry-run is "unchanged").
 */
export function flagSet(lines: string[], noOpt: Record<string, string> = {}): FlagDef[] {
  return lines.map((line) => {
    const m = line.trim().match(/^(?:-(\w), )?--([\w-]+)=(.*)$/);
    if (!m) throw new Error(`bad flag line ${line}`);
    const [, shorthand, name, def] = m;
    let kind: FlagKind = 'string';
    let defValue = def;
    if (def === 'true' || def === 'false') kind = 'bool';
    else if (def.startsWith('[')) kind = 'stringArray';
    else if (/^-?\d+$/.test(def)) kind = 'int';
    else if (/^(\d+[hms])+$/.test(def)) kind = 'duration';
    else defValue = def.replace(/^'(.*)'$/, '$1');
    return { name, shorthand, kind, defValue, noOptDefVal: kind === 'bool' ? 'true' : noOpt[name] };
  });
}

/** What pflag parsed: the flags that were set (every value, in order) and the arguments. */
export class Flags {
  constructor(
    readonly defs: FlagDef[],
    readonly values: Map<string, string[]>,
    readonly args: string[],
    /** pflag's ArgsLenAtDash: how many arguments came before "--" (-1 without "--"). */
    readonly argsLenAtDash: number,
  ) {}

  private def(name: string): FlagDef | undefined {
    return this.defs.find((d) => d.name === name);
  }

  changed(name: string): boolean {
    return this.values.has(name);
  }

  string(name: string): string {
    const v = this.values.get(name);
    return v ? v[v.length - 1] : this.def(name)?.defValue ?? '';
  }

  bool(name: string): boolean {
    return this.string(name) === 'true';
  }

  int(name: string): number {
    return Number(this.string(name));
  }

  array(name: string): string[] {
    return this.values.get(name) ?? [];
  }

  /** Arguments after "--" (a command for exec/run). */
  get dashArgs(): string[] {
    return this.argsLenAtDash < 0 ? [] : this.args.slice(this.argsLenAtDash);
  }

  /** Arguments before "--". */
  get positional(): string[] {
    return this.argsLenAtDash < 0 ? this.args : this.args.slice(0, this.argsLenAtDash);
  }
}

export class FlagError extends Error {}

const GO_BOOL = new Set(['1', 't', 'T', 'TRUE', 'true', 'True', '0', 'f', 'F', 'FALSE', 'false', 'False']);

/** Go's time.ParseDuration: undefined when valid, else its error text (time/format.go). */
export function goDurationError(orig: string): string | undefined {
  const invalid = `time: invalid duration "${orig}"`;
  let s = orig.replace(/^[-+]/, '');
  if (s === '0') return undefined;
  if (s === '') return invalid;
  while (s !== '') {
    const num = s.match(/^(\d*)(\.?)(\d*)/)!;
    if (num[1] === '' && num[3] === '') return invalid;
    s = s.slice(num[0].length);
    const unit = s.match(/^[^.\d]*/)![0];
    if (unit === '') return `time: missing unit in duration "${orig}"`;
    if (!['ns', 'us', 'µs', 'μs', 'ms', 's', 'm', 'h'].includes(unit)) return `time: unknown unit "${unit}" in duration "${orig}"`;
    s = s.slice(unit.length);
  }
  return undefined;
}

function checkValue(d: FlagDef, value: string): string {
  const shown = d.shorthand ? `-${d.shorthand}, --${d.name}` : `--${d.name}`;
  const bad = (why: string): never => {
    throw new FlagError(`invalid argument "${value}" for "${shown}" flag: ${why}`);
  };
  if (d.kind === 'bool') {
    if (!GO_BOOL.has(value)) bad(`strconv.ParseBool: parsing "${value}": invalid syntax`);
    return ['1', 't', 'T', 'TRUE', 'true', 'True'].includes(value) ? 'true' : 'false';
  }
  if (d.kind === 'int' && !/^[-+]?\d+$/.test(value)) bad(`strconv.ParseInt: parsing "${value}": invalid syntax`);
  if (d.kind === 'duration') {
    const e = goDurationError(value);
    if (e) bad(e);
  }
  return value;
}

/**
 * Parses argv as pflag does with interspersed arguments: `--name=v`, `--name v`, `--bool`,
 * `-abc` shorthand combinations, `-nVALUE`, `-n=VALUE`, `-n VALUE`, "--" ends the flags.
 * Throws FlagError with pflag's wording (`unknown flag: --x`, `unknown shorthand flag: 'x' in -x`,
 * `flag needs an argument: 'n' in -n`, `invalid argument …`).
 */
export function parseFlags(argv: string[], defs: FlagDef[]): Flags {
  const values = new Map<string, string[]>();
  const args: string[] = [];
  let argsLenAtDash = -1;
  const set = (d: FlagDef, v: string): void => {
    const value = checkValue(d, v);
    if (d.kind === 'stringArray') values.set(d.name, [...(values.get(d.name) ?? []), ...(d.name === 'filename' || d.name === 'image' ? value.split(',') : [value])]);
    else values.set(d.name, [value]);
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') {
      argsLenAtDash = args.length;
      for (const item of argv.slice(i + 1)) args.push(item);
      break;
    }
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      const name = eq < 0 ? a.slice(2) : a.slice(2, eq);
      const d = defs.find((x) => x.name === name);
      if (!d) throw new FlagError(`unknown flag: --${name}`);
      if (eq >= 0) set(d, a.slice(eq + 1));
      else if (d.noOptDefVal !== undefined) set(d, d.noOptDefVal);
      else if (i + 1 < argv.length) set(d, argv[++i]);
      else throw new FlagError(`flag needs an argument: --${name}`);
      continue;
    }
    if (a.startsWith('-') && a.length > 1) {
      let shorts = a.slice(1);
      while (shorts.length > 0) {
        const c = shorts[0];
        const d = defs.find((x) => x.shorthand === c);
        if (!d) throw new FlagError(`unknown shorthand flag: '${c}' in -${shorts}`);
        if (shorts.length > 2 && shorts[1] === '=') {
          set(d, shorts.slice(2));
          shorts = '';
        } else if (d.noOptDefVal !== undefined) {
          set(d, d.noOptDefVal);
          shorts = shorts.slice(1);
        } else if (shorts.length > 1) {
          set(d, shorts.slice(1));
          shorts = '';
        } else if (i + 1 < argv.length) {
          set(d, argv[++i]);
          shorts = '';
        } else throw new FlagError(`flag needs an argument: '${c}' in -${shorts}`);
      }
      continue;
    }
    args.push(a);
  }
  return new Flags(defs, values, args, argsLenAtDash);
}
