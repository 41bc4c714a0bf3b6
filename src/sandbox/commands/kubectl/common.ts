/**
 * What every kubectl verb shares: the command shape (kubectl/pkg/cmd/<verb>: its flags, its help,
 * its run function), the invocation context, resource arguments ("pods", "pod/x", "pods,svc"),
 * and the pod and container choice of logs/exec/port-forward (kubectl/pkg/polymorphichelpers,
 * kubectl/pkg/cmd/util/podcmd).
 */
import { qualifiedSingular, resolveResource, type ResourceKind } from '../../api/kinds';
import { fromLabelSelector, matches } from '../../api/labels';
import type { Status } from '../../api/status';
import { isRecord, type KubeObject } from '../../api/types';
import { podReady } from '../../controllers/deployment';
import type { FlagDef, Flags } from '../args';
import type { CommandContext } from '../types';
import { formatServerError } from './apply';
import { toJson, toYaml } from './printers';

/** One kubectl command (a cobra.Command): `kubectl <name> …` or `kubectl <parent> <name> …`. */
export interface KubectlCommand {
  name: string;
  aliases?: string[];
  /** The first line of its help (cobra's Short). */
  short: string;
  /** cobra's Use line, e.g. `kubectl scale [--resource-version=version] … (-f FILENAME | TYPE NAME)`. */
  usage: string;
  flags: FlagDef[];
  /** Flags marked required (cobra's MarkFlagRequired). */
  required?: string[];
  subcommands?: KubectlCommand[];
  run?(k: Kctx, args: string[]): Promise<number>;
}

/** One invocation: the shell's context, the parsed flags and the namespace in effect. */
export interface Kctx {
  ctx: CommandContext;
  flags: Flags;
  /** `kubectl rollout restart` etc.: the command path for "See 'kubectl … -h'". */
  path: string;
  ns: string;
  /** -n as given (undefined without -n). */
  explicitNs?: string;
  allNs: boolean;
  /** Warnings already printed by this kubectl process (client-go's warning writer deduplicates). */
  warned?: Set<string>;
}

/** client-go's warning handler: each apiserver Warning as a `Warning: ` line on stderr, once per process. */
export function printWarnings(k: Kctx, warnings: string[] | undefined): void {
  for (const w of warnings ?? []) {
    k.warned ??= new Set();
    if (k.warned.has(w)) continue;
    k.warned.add(w);
    k.ctx.err(`Warning: ${w}\n`);
  }
}

export function err(ctx: CommandContext, s: string): number {
  ctx.err(s.endsWith('\n') ? s : `${s}\n`);
  return 1;
}

/** cmdutil.UsageErrorf: the message and "See 'kubectl VERB -h' for help and examples". */
export function usageError(k: Kctx, msg: string): number {
  return err(k.ctx, `error: ${msg}\nSee '${k.path} -h' for help and examples`);
}

export function serverError(ctx: CommandContext, s: Status): number {
  return err(ctx, formatServerError(s, 'retrieving'));
}

export function client(k: Kctx) {
  return k.ctx.cluster.client;
}

/** -l / --selector as given ('' when unset). */
export function selector(k: Kctx): string | undefined {
  const s = k.flags.defs.some((d) => d.name === 'selector') ? k.flags.string('selector') : '';
  return s === '' ? undefined : s;
}

export function resourceOrError(k: Kctx, name: string): ResourceKind | undefined {
  const r = resolveResource(name);
  if (!r) err(k.ctx, `error: the server doesn't have a resource type "${name}"`);
  return r;
}

/** "pods", "pod/name", "deploy/x", "pods,svc" → [resource, names][] (resource.Builder's argument forms). */
export function targets(k: Kctx, args: string[]): { r: ResourceKind; names: string[] }[] | undefined {
  if (args.length === 0) return [];
  const out: { r: ResourceKind; names: string[] }[] = [];
  if (args[0].includes('/')) {
    for (const a of args) {
      const [t, n] = a.split('/');
      if (!n) {
        err(k.ctx, `error: arguments in resource/name form must have a single resource and name`);
        return undefined;
      }
      const r = resourceOrError(k, t);
      if (!r) return undefined;
      out.push({ r, names: [n] });
    }
    return out;
  }
  const types = args[0] === 'all' ? ['pods', 'services', 'deployments', 'replicasets'] : args[0].split(',');
  for (const t of types) {
    const r = resourceOrError(k, t);
    if (!r) return undefined;
    out.push({ r, names: args.slice(1) });
  }
  return out;
}

/**
 * The pod behind POD, pod/NAME, deploy/NAME, rs/NAME, svc/NAME (polymorphichelpers.AttachablePodForObject).
 * Only `logs` says which pod it took (polymorphichelpers/logsforobject.go prints "Found N pods, using pod/X");
 * exec and port-forward pick silently (attachablepodforobject.go), as the real kubectl v1.35.2 does.
 */
export function pickPod(k: Kctx, ref: string, opts: { announce?: boolean } = {}): KubeObject | undefined {
  const { ctx } = k;
  const c = client(k);
  if (!ref.includes('/') || ref.startsWith('pod/') || ref.startsWith('pods/') || ref.startsWith('po/')) {
    const name = ref.includes('/') ? ref.split('/')[1] : ref;
    const r = c.get(c.kind('Pod'), k.ns, name);
    if (!r.ok) {
      serverError(ctx, r.status);
      return undefined;
    }
    return r.value;
  }
  const [type, name] = ref.split('/');
  const r = resolveResource(type);
  if (!r || !['Deployment', 'ReplicaSet', 'Service'].includes(r.kind)) {
    err(ctx, `error: cannot attach to ${type}: selector for ${type} not implemented`);
    return undefined;
  }
  const owner = c.get(r, k.ns, name);
  if (!owner.ok) {
    serverError(ctx, owner.status);
    return undefined;
  }
  const cand = podsOf(k, r, owner.value);
  if (cand.length === 0) {
    err(ctx, `error: unable to find a pod for ${ref}`);
    return undefined;
  }
  if (cand.length > 1 && opts.announce) ctx.err(`Found ${cand.length} pods, using pod/${cand[0].metadata.name}\n`);
  return cand[0];
}

/** The pods a Deployment/ReplicaSet/Service selects, most active first. */
export function podsOf(k: Kctx, r: ResourceKind, owner: KubeObject): KubeObject[] {
  const c = client(k);
  const spec = isRecord(owner.spec) ? owner.spec : {};
  const reqs = r.kind === 'Service' ? fromLabelSelector({ matchLabels: spec.selector }) : fromLabelSelector(spec.selector);
  const pods = c.list(c.kind('Pod'), owner.metadata.namespace);
  // terminating pods count too: GetPodList lists by selector and filters nothing
  // (kubernetes/kubernetes staging/src/k8s.io/kubectl/pkg/polymorphichelpers/helpers.go)
  const cand = (pods.ok ? pods.value : []).filter((p) => matches(p.metadata.labels, reqs));
  cand.sort(mostActiveFirst);
  return cand;
}

/**
 * kubectl's GetFirstPod order: sort.Reverse(podutils.ActivePods) (kubernetes/kubectl pkg/util/podutils/podutils.go):
 * assigned before unassigned, Running before Unknown before Pending, ready before not ready, ready for longer first,
 * fewer restarts first, older first.
 */
function mostActiveFirst(a: KubeObject, b: KubeObject): number {
  const st = (p: KubeObject): Record<string, unknown> => (isRecord(p.status) ? p.status : {});
  const assigned = (p: KubeObject): number => Number(isRecord(p.spec) && Boolean(p.spec.nodeName));
  const phase = (p: KubeObject): number => ({ Pending: 0, Unknown: 1, Running: 2 } as Record<string, number>)[String(st(p).phase)] ?? 0;
  const readySince = (p: KubeObject): number => {
    const conds = Array.isArray(st(p).conditions) ? (st(p).conditions as unknown[]).filter(isRecord) : [];
    const c = conds.find((x) => x.type === 'Ready' && x.status === 'True');
    return c && typeof c.lastTransitionTime === 'string' ? Date.parse(c.lastTransitionTime) : Infinity;
  };
  const restarts = (p: KubeObject): number =>
    (Array.isArray(st(p).containerStatuses) ? (st(p).containerStatuses as unknown[]).filter(isRecord) : []).reduce((n, c) => Math.max(n, Number(c.restartCount ?? 0)), 0);
  const created = (p: KubeObject): number => Date.parse(p.metadata.creationTimestamp ?? '') || Infinity;
  return (
    assigned(b) - assigned(a) ||
    phase(b) - phase(a) ||
    Number(podReady(b)) - Number(podReady(a)) ||
    (podReady(a) && podReady(b) ? readySince(a) - readySince(b) : 0) ||
    restarts(a) - restarts(b) ||
    created(a) - created(b)
  );
}

export function containerNames(pod: KubeObject): { main: string[]; init: string[] } {
  const spec = isRecord(pod.spec) ? pod.spec : {};
  const names = (f: string): string[] => (Array.isArray(spec[f]) ? (spec[f] as unknown[]).filter(isRecord).map((c) => String(c.name)) : []);
  return { main: names('containers'), init: names('initContainers') };
}

/** podcmd.FindOrDefaultContainerByName: the annotation silently, else the first container (with a notice). */
export function chooseContainer(k: Kctx, pod: KubeObject, explicit: string | undefined, quiet = false): string | undefined {
  const { main, init } = containerNames(pod);
  if (explicit) return explicit;
  const def = pod.metadata.annotations?.['kubectl.kubernetes.io/default-container'];
  if (def) {
    if (main.includes(def)) return def;
    k.ctx.err(`Default container name "${def}" in annotation not found in a pod\n`);
  }
  if (main.length === 0) {
    err(k.ctx, `error: pod ${pod.metadata.name} does not have any containers`);
    return undefined;
  }
  if (!quiet && (main.length > 1 || init.length > 0)) k.ctx.err(`Defaulted container "${main[0]}" out of: ${[...main, ...init.map((i) => `${i} (init)`)].join(', ')}\n`);
  return main[0];
}

/** --dry-run (cmdutil.GetDryRunStrategy): none | client | server. */
export function dryRunStrategy(k: Kctx): 'none' | 'client' | 'server' | { error: string } {
  const v = k.flags.string('dry-run');
  if (v === 'unchanged') {
    klogWarning(k.ctx, 'helpers.go:719', '--dry-run is deprecated and can be replaced with --dry-run=client.');
    return 'client';
  }
  if (v === 'client' || v === 'server' || v === 'none') return v;
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(v)) return 'client';
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(v)) return 'none';
  return { error: `error: Invalid dry-run value (${v}). Must be "none", "server", or "client".` };
}

/** The suffix kubectl's printers add for a dry run (cmdutil.PrintFlagsWithDryRunStrategy). */
export function dryRunSuffix(s: 'none' | 'client' | 'server'): string {
  return s === 'client' ? ' (dry run)' : s === 'server' ? ' (server dry run)' : '';
}

/** A klog warning line as kubectl writes it to stderr: `W1204 17:10:13.493808   12102 helpers.go:719] …`. */
export function klogWarning(ctx: CommandContext, where: string, msg: string): void {
  const d = new Date(ctx.cluster.clock.now());
  const p2 = (n: number): string => String(n).padStart(2, '0');
  const stamp = `${p2(d.getUTCMonth() + 1)}${p2(d.getUTCDate())} ${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())}.${String(d.getUTCMilliseconds()).padStart(3, '0')}000`;
  ctx.err(`W${stamp}   12102 ${where}] ${msg}\n`);
}

/**
 * What a mutating verb prints for each object (printers.NamePrinter with the operation, or
 * -o yaml|json|name): `deployment.apps/x created (dry run)`.
 */
export function printObject(k: Kctx, r: ResourceKind, obj: KubeObject, operation: string, dryRun: 'none' | 'client' | 'server' = 'none', typed = false): number {
  const o = k.flags.defs.some((d) => d.name === 'output') ? k.flags.string('output') : '';
  const id = `${qualifiedSingular(r)}/${obj.metadata.name ?? ''}`;
  if (o === '') k.ctx.out(`${id} ${operation}${dryRunSuffix(dryRun)}\n`);
  else if (o === 'name') k.ctx.out(`${id}\n`);
  else if (o === 'yaml') k.ctx.out(toYaml(obj));
  else if (o === 'json') k.ctx.out(toJson(obj, typed));
  else return err(k.ctx, `error: unable to match a printer suitable for the output format "${o}", allowed formats are: json,name,yaml`);
  return 0;
}
