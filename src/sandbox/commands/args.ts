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
