/**
 * istioctl's root (persistent) flags, taken before or after the subcommand as cobra does
 * (istioctl/pkg/cli/options.go AddRootFlags): -c/--kubeconfig, --context, -n/--namespace,
 * -i/--istioNamespace, and --vklog from the logging options.
 */
export interface RootFlags {
  kubeconfig?: string;
  context?: string;
  istioNamespace: string;
  /** The subcommand's argv: everything but the root flags except -n (subcommands read it). */
  argv: string[];
  /** The first argument that is not a flag (the subcommand), or undefined. */
  sub?: string;
  error?: string;
}

const VALUE_FLAGS: Record<string, keyof RootFlags | 'namespace' | 'vklog'> = {
  c: 'kubeconfig',
  kubeconfig: 'kubeconfig',
  context: 'context',
  i: 'istioNamespace',
  istioNamespace: 'istioNamespace',
  n: 'namespace',
  namespace: 'namespace',
  vklog: 'vklog',
};

export function parseRootFlags(args: string[]): RootFlags {
  const out: RootFlags = { istioNamespace: 'istio-system', argv: [] };
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--') {
      out.argv.push(...args.slice(i));
      break;
    }
    const long = a.match(/^--([\w-]+)(?:=(.*))?$/s);
    const short = a.match(/^-(\w)(=?)(.*)$/s);
    const name = long ? long[1] : short && !a.startsWith('--') ? short[1] : undefined;
    const target = name !== undefined ? VALUE_FLAGS[name] : undefined;
    if (!target) {
      if (out.sub === undefined && !a.startsWith('-')) out.sub = a;
      else out.argv.push(a);
      continue;
    }
    let value: string | undefined = long ? long[2] : short![3] !== '' ? short![3] : undefined;
    if (value === undefined) {
      if (i + 1 >= args.length) return { ...out, error: `Error: flag needs an argument: ${long ? `--${name}` : `'${name}' in -${name}`}` };
      value = args[++i];
    }
    if (target === 'namespace') out.argv.push(`--namespace=${value}`);
    else if (target === 'kubeconfig' || target === 'context' || target === 'istioNamespace') out[target] = value;
  }
  return out;
}
