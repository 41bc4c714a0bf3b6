/** kubectl describe: the human-readable views of pods, deployments, services, and the generic one for the rest (custom resources). */
import { resolveResource, type ResourceKind } from '../../api/kinds';
import { isRecord, type KubeObject } from '../../api/types';
import { humanDuration } from '../../core/clock';
import { flagSet } from '../args';
import type { CommandContext } from '../types';
import { selector, type KubectlCommand } from './common';

type R = Record<string, unknown>;
const rec = (v: unknown): R => (isRecord(v) ? v : {});
const arr = (v: unknown): R[] => (Array.isArray(v) ? v.filter(isRecord) : []);

function kv(label: string, value: string, width = 16): string {
  return `${`${label}:`.padEnd(width)}${value}\n`;
}

function mapLines(label: string, m: Record<string, string> | undefined, width = 16): string {
  const e = Object.entries(m ?? {});
  if (e.length === 0) return kv(label, '<none>', width);
  return e.map(([k, v], i) => (i === 0 ? kv(label, `${k}=${v}`, width) : `${''.padEnd(width)}${k}=${v}\n`)).join('');
}

function cap(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

function generic(v: unknown, indent: number): string {
  const pad = ' '.repeat(indent);
  if (Array.isArray(v)) {
    return v
      .map((x) => {
        if (isRecord(x)) return generic(x, indent);
        return `${pad}${String(x)}\n`;
      })
      .join('');
  }
  if (isRecord(v)) {
    let out = '';
    for (const [k, x] of Object.entries(v)) {
      if (isRecord(x) || (Array.isArray(x) && x.length && isRecord(x[0]))) out += `${pad}${cap(k)}:\n${generic(x, indent + 2)}`;
      else if (Array.isArray(x)) out += `${pad}${cap(k)}:\n${generic(x, indent + 2)}`;
      else out += `${pad}${cap(k)}:${' '.repeat(Math.max(1, 2))}${String(x)}\n`;
    }
    return out;
  }
  return `${pad}${String(v)}\n`;
}

function describePod(o: KubeObject, now: number, evs: readonly KubeObject[]): string {
  const spec = rec(o.spec);
  const st = rec(o.status);
  let out = '';
  out += kv('Name', o.metadata.name ?? '', 17);
  out += kv('Namespace', o.metadata.namespace ?? '', 17);
  out += kv('Priority', '0', 17);
  out += kv('Service Account', String(spec.serviceAccountName ?? 'default'), 17);
  out += kv('Node', `${spec.nodeName ?? '<none>'}/172.18.0.2`, 17);
  out += kv('Start Time', new Date(Date.parse(String(st.startTime ?? o.metadata.creationTimestamp))).toUTCString().replace('GMT', '+0000'), 17);
  out += mapLines('Labels', o.metadata.labels, 17);
  out += mapLines('Annotations', Object.fromEntries(Object.entries(o.metadata.annotations ?? {}).filter(([k]) => k !== 'sidecar.istio.io/status')), 17);
  out += kv('Status', o.metadata.deletionTimestamp ? 'Terminating' : String(st.phase ?? 'Pending'), 17);
  out += kv('IP', String(st.podIP ?? ''), 17);
  const owner = (o.metadata.ownerReferences ?? [])[0];
  out += kv('Controlled By', owner ? `${owner.kind}/${owner.name}` : '<none>', 17);
  const containerBlock = (c: R, statusOf: R | undefined): string => {
    let b = `  ${c.name}:\n`;
    b += `    Image:          ${c.image}\n`;
    const ports = arr(c.ports);
    b += `    Port${ports.length > 1 ? 's' : ''}:          ${ports.length ? ports.map((p) => `${p.containerPort}/${p.protocol ?? 'TCP'}`).join(', ') : '<none>'}\n`;
    const state = rec(statusOf?.state);
    if (isRecord(state.running)) b += `    State:          Running\n      Started:      ${new Date(String(state.running.startedAt)).toUTCString().replace('GMT', '+0000')}\n`;
    else if (isRecord(state.waiting)) b += `    State:          Waiting\n      Reason:       ${state.waiting.reason}\n`;
    else if (isRecord(state.terminated)) b += `    State:          Terminated\n      Reason:       ${state.terminated.reason}\n      Exit Code:    ${state.terminated.exitCode}\n`;
    b += `    Ready:          ${statusOf?.ready ? 'True' : 'False'}\n`;
    b += `    Restart Count:  ${statusOf?.restartCount ?? 0}\n`;
    const env = arr(c.env);
    if (env.length) b += `    Environment:\n${env.map((e) => `      ${e.name}:  ${e.value ?? ''}\n`).join('')}`;
    else b += `    Environment:    <none>\n`;
    return b;
  };
  const inits = arr(spec.initContainers);
  if (inits.length) {
    out += 'Init Containers:\n';
    for (const c of inits) out += containerBlock(c, arr(st.initContainerStatuses).find((x) => x.name === c.name));
  }
  out += 'Containers:\n';
  for (const c of arr(spec.containers)) out += containerBlock(c, arr(st.containerStatuses).find((x) => x.name === c.name));
  out += 'Conditions:\n  Type                        Status\n';
  for (const c of arr(st.conditions)) out += `  ${String(c.type).padEnd(28)}${c.status}\n`;
  out += `QoS Class:                   ${st.qosClass ?? 'BestEffort'}\n`;
  out += 'Node-Selectors:              <none>\n';
  out += 'Tolerations:                 node.kubernetes.io/not-ready:NoExecute op=Exists for 300s\n                             node.kubernetes.io/unreachable:NoExecute op=Exists for 300s\n';
  out += eventsTable(evs, o, now);
  return out;
}

/** The Events table of kubectl describe, from the Event objects about `o`. */
export function eventsTable(all: readonly KubeObject[], o: KubeObject, now: number, pad = 'Events:'): string {
  const evs = all
    .filter((e) => rec(e.involvedObject).uid === o.metadata.uid)
    .sort((a, b) => String(a.firstTimestamp ?? '').localeCompare(String(b.firstTimestamp ?? '')) || Number(a.metadata.resourceVersion) - Number(b.metadata.resourceVersion));
  if (evs.length === 0) return `${pad.padEnd(29)}<none>\n`;
  const rows = evs.map((e) => {
    const last = now - Date.parse(String(e.lastTimestamp));
    const first = now - Date.parse(String(e.firstTimestamp));
    const count = Number(e.count ?? 1);
    const age = count > 1 ? `${humanDuration(last)} (x${count} over ${humanDuration(first)})` : humanDuration(last);
    const src = rec(e.source);
    return [String(e.type), String(e.reason), age, String(src.component ?? ''), String(e.message ?? '')];
  });
  const head = ['Type', 'Reason', 'Age', 'From', 'Message'];
  const dash = ['----', '------', '----', '----', '-------'];
  const all2 = [head, dash, ...rows];
  const w = head.map((_, i) => Math.max(...all2.map((r) => r[i].length)));
  return `Events:\n${all2.map((r) => `  ${r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(w[i] + 2))).join('')}\n`).join('')}`;
}

function describeDeployment(o: KubeObject, now: number, evs: readonly KubeObject[]): string {
  const spec = rec(o.spec);
  const st = rec(o.status);
  let out = '';
  out += kv('Name', o.metadata.name ?? '', 24);
  out += kv('Namespace', o.metadata.namespace ?? '', 24);
  out += kv('CreationTimestamp', new Date(o.metadata.creationTimestamp ?? '').toUTCString().replace('GMT', '+0000'), 24);
  out += mapLines('Labels', o.metadata.labels, 24);
  out += mapLines('Annotations', { 'deployment.kubernetes.io/revision': '1' }, 24);
  out += kv('Selector', Object.entries(rec(rec(spec.selector).matchLabels)).map(([a, b]) => `${a}=${b}`).join(','), 24);
  const want = Number(spec.replicas ?? 1);
  out += kv('Replicas', `${want} desired | ${st.updatedReplicas ?? 0} updated | ${st.replicas ?? 0} total | ${st.availableReplicas ?? 0} available | ${st.unavailableReplicas ?? 0} unavailable`, 24);
  out += kv('StrategyType', 'RollingUpdate', 24);
  out += kv('MinReadySeconds', '0', 24);
  out += kv('RollingUpdateStrategy', '25% max unavailable, 25% max surge', 24);
  const tpl = rec(spec.template);
  out += 'Pod Template:\n';
  out += `  Labels:  ${Object.entries(rec(rec(tpl.metadata).labels)).map(([a, b]) => `${a}=${b}`).join('\n           ')}\n`;
  out += '  Containers:\n';
  for (const c of arr(rec(tpl.spec).containers)) {
    out += `   ${c.name}:\n    Image:      ${c.image}\n`;
    const ports = arr(c.ports);
    out += `    Port:       ${ports.length ? ports.map((p) => `${p.containerPort}/${p.protocol ?? 'TCP'}`).join(', ') : '<none>'}\n`;
    const env = arr(c.env);
    out += env.length ? `    Environment:\n${env.map((e) => `      ${e.name}:  ${e.value ?? ''}\n`).join('')}` : '    Environment:  <none>\n';
  }
  out += 'Conditions:\n  Type           Status  Reason\n  ----           ------  ------\n';
  for (const c of arr(st.conditions)) out += `  ${String(c.type).padEnd(15)}${String(c.status).padEnd(8)}${c.reason}\n`;
  out += eventsTable(evs, o, now);
  return out;
}

function describeService(o: KubeObject, endpoints: KubeObject | undefined): string {
  const spec = rec(o.spec);
  const st = rec(o.status);
  let out = '';
  out += kv('Name', o.metadata.name ?? '', 25);
  out += kv('Namespace', o.metadata.namespace ?? '', 25);
  out += mapLines('Labels', o.metadata.labels, 25);
  out += mapLines('Annotations', undefined, 25);
  out += kv('Selector', Object.entries(rec(spec.selector)).map(([a, b]) => `${a}=${b}`).join(',') || '<none>', 25);
  out += kv('Type', String(spec.type ?? 'ClusterIP'), 25);
  out += kv('IP Family Policy', String(spec.ipFamilyPolicy ?? 'SingleStack'), 25);
  out += kv('IP Families', 'IPv4', 25);
  out += kv('IP', String(spec.clusterIP ?? ''), 25);
  out += kv('IPs', String(spec.clusterIP ?? ''), 25);
  const ing = arr(rec(st.loadBalancer).ingress);
  if (ing.length) out += kv('LoadBalancer Ingress', `${ing[0].ip} (VIP)`, 25);
  const eps: Record<string, string[]> = {};
  for (const s of arr(endpoints?.subsets))
    for (const p of arr(s.ports)) for (const a of arr(s.addresses)) (eps[String(p.name ?? '')] ??= []).push(`${a.ip}:${p.port}`);
  for (const p of arr(spec.ports)) {
    out += kv('Port', `${p.name ?? '<unset>'}  ${p.port}/${p.protocol ?? 'TCP'}`, 25);
    out += kv('TargetPort', `${p.targetPort}/${p.protocol ?? 'TCP'}`, 25);
    if (p.nodePort) out += kv('NodePort', `${p.name ?? '<unset>'}  ${p.nodePort}/${p.protocol ?? 'TCP'}`, 25);
    out += kv('Endpoints', (eps[String(p.name ?? '')] ?? []).join(',') || '', 25);
  }
  out += kv('Session Affinity', 'None', 25);
  if (spec.type === 'LoadBalancer') out += kv('External Traffic Policy', 'Cluster', 25);
  out += kv('Internal Traffic Policy', 'Cluster', 25);
  out += kv('Events', '<none>', 25);
  return out;
}

function describeGeneric(o: KubeObject): string {
  let out = '';
  out += kv('Name', o.metadata.name ?? '', 14);
  if (o.metadata.namespace) out += kv('Namespace', o.metadata.namespace, 14);
  out += mapLines('Labels', o.metadata.labels, 14);
  out += mapLines('Annotations', Object.fromEntries(Object.entries(o.metadata.annotations ?? {}).filter(([k]) => !k.includes('last-applied'))), 14);
  out += kv('API Version', o.apiVersion, 14);
  out += kv('Kind', o.kind, 14);
  out += 'Metadata:\n';
  out += `  Creation Timestamp:  ${o.metadata.creationTimestamp}\n  Generation:          ${o.metadata.generation ?? 1}\n  Resource Version:    ${o.metadata.resourceVersion}\n  UID:                 ${o.metadata.uid}\n`;
  if (o.spec) out += `Spec:\n${generic(o.spec, 2)}`;
  if (o.data) out += `Data\n====\n${Object.entries(rec(o.data)).map(([k, v]) => `${k}:\n----\n${v}\n`).join('\n')}`;
  out += 'Events:  <none>\n';
  return out;
}

export async function describe(ctx: CommandContext, ns: string, allNs: boolean, args: string[], selector?: string): Promise<number> {
  const c = ctx.cluster.client;
  if (args.length === 0) {
    ctx.err('You must specify the type of resource to describe. Use "kubectl api-resources" for a complete list of supported resources.\n');
    return 1;
  }
  let r: ResourceKind | undefined;
  let names: string[];
  if (args[0].includes('/')) {
    r = resolveResource(args[0].split('/')[0]);
    names = [args[0].split('/')[1]];
  } else {
    r = resolveResource(args[0]);
    names = args.slice(1);
  }
  if (!r) {
    ctx.err(`error: the server doesn't have a resource type "${args[0].split('/')[0]}"\n`);
    return 1;
  }
  const namespace = r.namespaced ? ns : undefined;
  let objs: KubeObject[] = [];
  if (names.length === 0) {
    const l = c.list(r, allNs ? undefined : namespace, selector);
    objs = l.ok ? l.value : [];
    if (objs.length === 0) {
      ctx.err(`No resources found in ${ns} namespace.\n`);
      return 0;
    }
  } else
    for (const n of names) {
      // kubectl describe also accepts a name prefix
      const g = c.get(r, namespace, n);
      if (g.ok) objs.push(g.value);
      else {
        const l = c.list(r, namespace);
        const pref = l.ok ? l.value.filter((o) => (o.metadata.name ?? '').startsWith(n)) : [];
        if (pref.length) objs.push(...pref);
        else {
          ctx.err(`Error from server (NotFound): ${g.status.message}\n`);
          return 1;
        }
      }
    }
  const now = ctx.cluster.clock.now();
  const ev = c.cached(c.kind('Event'));
  const evs = ev.ok ? ev.value : [];
  ctx.out(
    objs
      .map((o) => {
        if (r!.kind === 'Pod') return describePod(o, now, evs);
        if (r!.kind === 'Deployment') return describeDeployment(o, now, evs);
        if (r!.kind === 'Service') {
          const ep = c.get(c.kind('Endpoints'), o.metadata.namespace, o.metadata.name ?? '');
          return describeService(o, ep.ok ? ep.value : undefined);
        }
        return describeGeneric(o);
      })
      .join('\n\n'),
  );
  return 0;
}

export const describeCommand: KubectlCommand = {
  name: 'describe',
  short: 'Show details of a specific resource or group of resources.',
  usage: 'kubectl describe [(-f FILENAME | TYPE [NAME_PREFIX | -l label] | TYPE/NAME)] [options]',
  flags: flagSet(['-A, --all-namespaces=false', '--chunk-size=500', '-f, --filename=[]', "-k, --kustomize=''", '-R, --recursive=false', "-l, --selector=''", '--show-events=true']),
  run: (k, args) => describe(k.ctx, k.ns, k.allNs, args, selector(k)),
};
