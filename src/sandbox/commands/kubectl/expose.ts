/**
 * kubectl expose (kubectl/pkg/cmd/expose/expose.go): a Service for a Deployment, ReplicaSet, Pod
 * or Service, its selector, ports, protocols and labels taken from the object unless given.
 * The helpers are polymorphichelpers' CanBeExposedFn, MapBasedSelectorForObjectFn,
 * PortsForObjectFn and MultiProtocolsForObjectFn.
 */
import type { ResourceKind } from '../../api/kinds';
import { isRecord, type KubeObject } from '../../api/types';
import { flagSet } from '../args';
import { createGenerated } from './create';
import { client, err, serverError, targets, type Kctx, type KubectlCommand } from './common';

type R = Record<string, unknown>;
const rec = (v: unknown): R => (isRecord(v) ? v : {});
const list = (v: unknown): R[] => (Array.isArray(v) ? v.filter(isRecord) : []);

const NONE = "error: You must provide one or more resources by argument or filename.\nExample resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n   '<resource> <name>'\n   '<resource>'";

/** canbeexposed.go: the kinds a Service can be made for; "cannot expose a <GroupKind>" otherwise. */
const EXPOSABLE = new Set(['Deployment', 'ReplicaSet', 'ReplicationController', 'Pod', 'Service']);

function groupKind(r: ResourceKind): string {
  return r.group ? `${r.kind}.${r.group}` : r.kind;
}

/** polymorphichelpers.MakeLabels: "k=v,k2=v2". */
function makeLabels(m: unknown): string {
  return Object.entries(rec(m))
    .map(([k, v]) => `${k}=${String(v)}`)
    .join(',');
}

/** expose.go parseLabels. */
function parseLabels(spec: string): Record<string, string> | string {
  if (!spec) return 'no label spec passed';
  const out: Record<string, string> = {};
  for (const part of spec.split(',')) {
    const kv = part.split('=');
    if (kv.length !== 2) return `unexpected label spec: ${part}`;
    if (!kv[0]) return 'unexpected empty label key';
    out[kv[0]] = kv[1];
  }
  return out;
}

/** mapbasedselectorforobject.go. */
function selectorFor(o: KubeObject): string | { error: string } {
  const spec = rec(o.spec);
  switch (o.kind) {
    case 'Pod':
      return Object.keys(rec(o.metadata.labels)).length ? makeLabels(o.metadata.labels) : { error: 'the pod has no labels and cannot be exposed' };
    case 'Service':
      return isRecord(spec.selector) ? makeLabels(spec.selector) : { error: 'the service has no pod selector set' };
    case 'ReplicationController':
      return makeLabels(spec.selector);
    default: {
      const sel = rec(spec.selector);
      if (Object.keys(rec(sel.matchLabels)).length === 0) return { error: `invalid ${o.kind === 'Deployment' ? 'deployment' : 'replicaset'}: no selectors, therefore cannot be exposed` };
      if (list(sel.matchExpressions).length) return { error: `couldn't convert expressions - "${JSON.stringify(sel.matchExpressions)}" to map-based selector format` };
      return makeLabels(sel.matchLabels);
    }
  }
}

function podSpecOf(o: KubeObject): R {
  return o.kind === 'Pod' ? rec(o.spec) : rec(rec(rec(o.spec).template).spec);
}

/** portsforobject.go (containers' ports; a Service's own ports) with multiprotocolsforobject.go's protocols. */
function portsFor(o: KubeObject): { port: string; protocol: string }[] {
  if (o.kind === 'Service') return list(rec(o.spec).ports).map((p) => ({ port: String(p.port), protocol: String(p.protocol ?? 'TCP') }));
  return list(podSpecOf(o).containers).flatMap((c) => list(c.ports).map((p) => ({ port: String(p.containerPort), protocol: String(p.protocol ?? 'TCP') })));
}

export const exposeCommand: KubectlCommand = {
  name: 'expose',
  short: 'Take a replication controller, service, deployment or pod and expose it as a new Kubernetes service.',
  usage: 'kubectl expose (-f FILENAME | TYPE NAME) [--port=port] [--protocol=TCP|UDP|SCTP] [--target-port=number-or-name] [--name=name] [--external-ip=external-ip-of-service] [--type=type] [options]',
  flags: flagSet(
    [
      '--allow-missing-template-keys=true',
      "--cluster-ip=''",
      "--dry-run='none'",
      "--external-ip=''",
      "--field-manager='kubectl-expose'",
      '-f, --filename=[]',
      "-k, --kustomize=''",
      "-l, --labels=''",
      "--load-balancer-ip=''",
      "--name=''",
      "-o, --output=''",
      "--override-type='merge'",
      "--overrides=''",
      "--port=''",
      "--protocol=''",
      '-R, --recursive=false',
      '--save-config=false',
      "--selector=''",
      "--session-affinity=''",
      '--show-managed-fields=false',
      "--target-port=''",
      "--template=''",
      "--type=''",
    ],
    { 'dry-run': 'unchanged' },
  ),
  async run(k, args) {
    const { ctx, flags } = k;
    const ts = targets(k, args);
    if (!ts) return 1;
    if (ts.length === 0 || ts.every((t) => t.names.length === 0)) return err(ctx, NONE);
    let code = 0;
    for (const t of ts)
      for (const n of t.names) {
        const cur = client(k).get(t.r, k.ns, n);
        if (!cur.ok) {
          code = serverError(ctx, cur.status);
          continue;
        }
        const o = cur.value;
        if (!EXPOSABLE.has(t.r.kind)) {
          code = err(ctx, `error: cannot expose a ${groupKind(t.r)}`);
          continue;
        }
        let selector = flags.string('selector');
        if (!selector) {
          const s = selectorFor(o);
          if (typeof s !== 'string') {
            code = err(ctx, `error: couldn't retrieve selectors via --selector flag or introspection: ${s.error}`);
            continue;
          }
          selector = s;
        }
        const headless = flags.string('cluster-ip') === 'None';
        const found = portsFor(o);
        const portList = flags.string('port') ? [flags.string('port')] : found.map((p) => p.port);
        if (portList.length === 0 && !headless) {
          code = err(ctx, "error: couldn't find port via --port flag or introspection");
          continue;
        }
        const sel = parseLabels(selector);
        if (typeof sel === 'string') {
          code = err(ctx, `error: ${sel}`);
          continue;
        }
        const labelSpec = flags.string('labels') || makeLabels(o.metadata.labels);
        const labels = labelSpec ? parseLabels(labelSpec) : undefined;
        if (typeof labels === 'string') {
          code = err(ctx, `error: ${labels}`);
          continue;
        }
        const ports: R[] = [];
        let bad = '';
        const target = flags.string('target-port');
        portList.forEach((p, i) => {
          if (!/^[+-]?\d+$/.test(p)) bad ||= `strconv.Atoi: parsing "${p}": invalid syntax`;
          // createService: the protocol given; else the object's for that port (one Service port
          // per protocol, named port-N-<protocol>, when the object serves it over several); else TCP
          const protocols = flags.string('protocol') ? [flags.string('protocol')] : [...new Set(found.filter((f) => f.port === p).map((f) => f.protocol))];
          if (protocols.length === 0) protocols.push('TCP');
          for (const protocol of protocols) {
            const port: R = {};
            if (protocols.length > 1) port.name = `port-${i + 1}-${protocol.toLowerCase()}`;
            else if (portList.length > 1) port.name = `port-${i + 1}`;
            port.protocol = protocol;
            port.port = Number(p);
            // intstr.Parse: a number when it parses as one, a port name otherwise; the port itself by default
            port.targetPort = target ? (/^-?\d+$/.test(target) ? Number(target) : target) : Number(p);
            ports.push(port);
          }
        });
        if (bad) {
          code = err(ctx, `error: ${bad}`);
          continue;
        }
        const spec: R = { ports, selector: sel };
        if (flags.string('external-ip')) spec.externalIPs = [flags.string('external-ip')];
        if (flags.string('type')) spec.type = flags.string('type');
        if (spec.type === 'LoadBalancer' && flags.string('load-balancer-ip')) spec.loadBalancerIP = flags.string('load-balancer-ip');
        const affinity = flags.string('session-affinity');
        if (affinity) {
          if (affinity !== 'None' && affinity !== 'ClientIP') {
            code = err(ctx, `error: unknown session affinity: ${affinity}`);
            continue;
          }
          spec.sessionAffinity = affinity;
        }
        if (flags.string('cluster-ip')) spec.clusterIP = flags.string('cluster-ip');
        const name = flags.string('name') || (o.metadata.name ?? '').slice(0, 63);
        const svc: KubeObject = { kind: 'Service', apiVersion: 'v1', metadata: labels && Object.keys(labels).length ? { name, labels } : { name }, spec, status: { loadBalancer: {} } };
        const r = createGenerated(k, svc, 'exposed');
        if (r !== 0) code = r;
      }
    ctx.cluster.sync();
    return code;
  },
};
