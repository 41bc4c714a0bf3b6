/**
 * kubectl's printers: the table columns of `kubectl get` per kind (as the apiserver's table
 * convertor and the CRDs' additionalPrinterColumns define them), and -o yaml|json|name.
 */
import { humanDuration } from '../../core/clock';
import { qualifiedSingular, type ResourceKind } from '../../api/kinds';
import { isRecord, type KubeObject } from '../../api/types';
import { goJson, goYaml } from './goyaml';

type R = Record<string, unknown>;
const rec = (v: unknown): R => (isRecord(v) ? v : {});
const arr = (v: unknown): R[] => (Array.isArray(v) ? v.filter(isRecord) : []);

/** printers.go listWithMoreString: three items, then "+ N more...". */
function listWithMore(list: string[], empty: string): string {
  if (list.length > 3) return `${list.slice(0, 3).join(',')} + ${list.length - 3} more...`;
  return list.join(',') || empty;
}

/**
 * printers.go formatEndpoints: for each subset, for each port, its ready addresses as ip:port
 * (the addresses alone when the subset has no ports), three at most.
 */
function formatEndpoints(o: KubeObject): string {
  const list: string[] = [];
  for (const s of arr(o.subsets)) {
    const ports = arr(s.ports);
    const addrs = arr(s.addresses).map((ad) => String(ad.ip));
    if (ports.length === 0) list.push(...addrs);
    else for (const p of ports) for (const ip of addrs) list.push(ip.includes(':') ? `[${ip}]:${p.port}` : `${ip}:${p.port}`);
  }
  return listWithMore(list, '<none>');
}

export function age(o: KubeObject, now: number): string {
  const t = Date.parse(o.metadata.creationTimestamp ?? '');
  return Number.isNaN(t) ? '<unknown>' : humanDuration(now - t);
}

/** The STATUS column of `kubectl get pods` (printers.go printPod). */
export function podStatusReason(p: KubeObject): { ready: string; status: string; restarts: string; restartCount: number } {
  const st = rec(p.status);
  const spec = rec(p.spec);
  let reason = typeof st.reason === 'string' ? st.reason : typeof st.phase === 'string' ? st.phase : 'Pending';
  const containers = arr(spec.containers);
  const cs = arr(st.containerStatuses);
  const ics = arr(st.initContainerStatuses);
  let restarts = 0;
  let lastRestart: string | undefined;
  let initializing = false;
  let readyCount = 0;
  // native sidecars (restartPolicy: Always) count among the pod's containers (printers.go printPod)
  const restartable = new Set(arr(spec.initContainers).filter((c) => c.restartPolicy === 'Always').map((c) => String(c.name)));
  let sidecarRestarts = 0;
  ics.forEach((c, i) => {
    if (initializing) return;
    restarts += Number(c.restartCount ?? 0);
    if (restartable.has(String(c.name))) sidecarRestarts += Number(c.restartCount ?? 0);
    const state = rec(c.state);
    if (isRecord(state.terminated) && state.terminated.exitCode === 0) return;
    if (restartable.has(String(c.name)) && c.started === true) {
      if (c.ready) readyCount++;
      return;
    }
    if (isRecord(state.terminated)) reason = `Init:${state.terminated.reason ?? `Signal:${state.terminated.signal}`}`;
    else if (isRecord(state.waiting) && state.waiting.reason && state.waiting.reason !== 'PodInitializing') reason = `Init:${state.waiting.reason}`;
    else reason = `Init:${i}/${arr(spec.initContainers).length}`;
    initializing = true;
  });
  if (!initializing) {
    restarts = sidecarRestarts;
    let hasRunning = false;
    for (let i = cs.length - 1; i >= 0; i--) {
      const c = cs[i];
      restarts += Number(c.restartCount ?? 0);
      const state = rec(c.state);
      const last = rec(rec(c.lastState).terminated);
      if (typeof last.finishedAt === 'string') lastRestart = last.finishedAt;
      if (isRecord(state.waiting) && state.waiting.reason) reason = String(state.waiting.reason);
      else if (isRecord(state.terminated) && state.terminated.reason) reason = String(state.terminated.reason);
      else if (isRecord(state.running) && c.ready) {
        hasRunning = true;
        readyCount++;
      } else if (isRecord(state.running)) hasRunning = true;
    }
    if (reason === 'Completed' && hasRunning) reason = 'Running';
  } else for (const c of cs) restarts += Number(c.restartCount ?? 0);
  if (p.metadata.deletionTimestamp) reason = 'Terminating';
  return { ready: `${readyCount}/${containers.length + restartable.size}`, status: reason, restarts: String(restarts), restartCount: restarts, ...(lastRestart ? { lastRestart } : {}) } as {
    ready: string;
    status: string;
    restarts: string;
    restartCount: number;
  };
}

function servicePorts(spec: R): string {
  const ports = arr(spec.ports);
  if (ports.length === 0) return '<none>';
  return ports.map((p) => `${p.port}${p.nodePort && (spec.type === 'NodePort' || spec.type === 'LoadBalancer') ? `:${p.nodePort}` : ''}/${p.protocol ?? 'TCP'}`).join(',');
}

function selectorString(sel: unknown): string {
  const s = rec(sel);
  const ml = isRecord(s.matchLabels) ? s.matchLabels : s;
  const parts = Object.entries(ml)
    .filter(([k]) => k !== 'matchExpressions')
    .map(([k, v]) => `${k}=${v}`);
  return parts.length ? parts.join(',') : '<none>';
}

function containersOf(tpl: unknown): { names: string; images: string } {
  const cs = arr(rec(rec(tpl).spec).containers);
  return { names: cs.map((c) => c.name).join(','), images: cs.map((c) => c.image).join(',') };
}

/** metav1.FormatLabelSelector: matchLabels as k=v, then matchExpressions (`k in (a,b)`, `!k`), "<none>" when empty. */
export function formatLabelSelector(sel: unknown): string {
  const s = rec(sel);
  const parts: [string, string][] = Object.entries(rec(s.matchLabels)).map(([k, v]) => [k, `${k}=${String(v)}`]);
  for (const e of arr(s.matchExpressions)) {
    const vals = Array.isArray(e.values) ? e.values.map(String).sort() : [];
    const key = String(e.key ?? '');
    if (e.operator === 'In') parts.push([key, `${key} in (${vals.join(',')})`]);
    else if (e.operator === 'NotIn') parts.push([key, `${key} notin (${vals.join(',')})`]);
    else if (e.operator === 'Exists') parts.push([key, key]);
    else if (e.operator === 'DoesNotExist') parts.push([key, `!${key}`]);
  }
  // labels.Selector.String() sorts the requirements by key
  parts.sort((x, y) => (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : 0));
  return parts.length ? parts.map((p) => p[1]).join(',') : '<none>';
}

function jsonList(v: unknown): string {
  return Array.isArray(v) ? JSON.stringify(v) : '';
}

export interface Table {
  headers: string[];
  rows: string[][];
}

export function tableFor(r: ResourceKind, items: KubeObject[], now: number, wide: boolean): Table {
  const a = (o: KubeObject): string => age(o, now);
  const name = (o: KubeObject): string => o.metadata.name ?? '';
  switch (r.kind) {
    case 'Pod':
      return {
        headers: wide ? ['NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE', 'IP', 'NODE', 'NOMINATED NODE', 'READINESS GATES'] : ['NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE'],
        rows: items.map((o) => {
          const s = podStatusReason(o) as ReturnType<typeof podStatusReason> & { lastRestart?: string };
          const restarts = s.lastRestart ? `${s.restarts} (${humanDuration(now - Date.parse(s.lastRestart))} ago)` : s.restarts;
          const base = [name(o), s.ready, s.status, restarts, a(o)];
          const st = rec(o.status);
          return wide ? [...base, String(st.podIP ?? '<none>'), String(rec(o.spec).nodeName ?? '<none>'), '<none>', '<none>'] : base;
        }),
      };
    case 'Service':
      return {
        headers: wide ? ['NAME', 'TYPE', 'CLUSTER-IP', 'EXTERNAL-IP', 'PORT(S)', 'AGE', 'SELECTOR'] : ['NAME', 'TYPE', 'CLUSTER-IP', 'EXTERNAL-IP', 'PORT(S)', 'AGE'],
        rows: items.map((o) => {
          const spec = rec(o.spec);
          const ing = arr(rec(rec(o.status).loadBalancer).ingress);
          const ext = spec.type === 'LoadBalancer' ? (ing.length ? ing.map((x) => x.ip ?? x.hostname).join(',') : '<pending>') : spec.type === 'ExternalName' ? String(spec.externalName) : '<none>';
          const base = [name(o), String(spec.type ?? 'ClusterIP'), String(spec.clusterIP ?? '<none>'), ext, servicePorts(spec), a(o)];
          return wide ? [...base, selectorString(spec.selector)] : base;
        }),
      };
    case 'Deployment':
      return {
        headers: wide ? ['NAME', 'READY', 'UP-TO-DATE', 'AVAILABLE', 'AGE', 'CONTAINERS', 'IMAGES', 'SELECTOR'] : ['NAME', 'READY', 'UP-TO-DATE', 'AVAILABLE', 'AGE'],
        rows: items.map((o) => {
          const st = rec(o.status);
          const spec = rec(o.spec);
          const base = [name(o), `${st.readyReplicas ?? 0}/${spec.replicas ?? 1}`, String(st.updatedReplicas ?? 0), String(st.availableReplicas ?? 0), a(o)];
          const c = containersOf(spec.template);
          return wide ? [...base, c.names, c.images, selectorString(spec.selector)] : base;
        }),
      };
    case 'ReplicaSet':
      return {
        headers: wide ? ['NAME', 'DESIRED', 'CURRENT', 'READY', 'AGE', 'CONTAINERS', 'IMAGES', 'SELECTOR'] : ['NAME', 'DESIRED', 'CURRENT', 'READY', 'AGE'],
        rows: items.map((o) => {
          const st = rec(o.status);
          const spec = rec(o.spec);
          const base = [name(o), String(spec.replicas ?? 0), String(st.replicas ?? 0), String(st.readyReplicas ?? 0), a(o)];
          const c = containersOf(spec.template);
          return wide ? [...base, c.names, c.images, selectorString(spec.selector)] : base;
        }),
      };
    case 'Endpoints':
      return { headers: ['NAME', 'ENDPOINTS', 'AGE'], rows: items.map((o) => [name(o), formatEndpoints(o), a(o)]) };
    case 'EndpointSlice':
      // printers.go printEndpointSlice: formatDiscoveryPorts, formatDiscoveryEndpoints
      return {
        headers: ['NAME', 'ADDRESSTYPE', 'PORTS', 'ENDPOINTS', 'AGE'],
        rows: items.map((o) => [
          name(o),
          String(o.addressType ?? ''),
          listWithMore(arr(o.ports).map((p) => (p.port !== undefined ? String(p.port) : p.name !== undefined ? String(p.name) : '*')), '<unset>'),
          listWithMore(arr(o.endpoints).flatMap((e) => (Array.isArray(e.addresses) ? e.addresses.map(String) : [])), '<unset>'),
          a(o),
        ]),
      };
    case 'Namespace':
      return { headers: ['NAME', 'STATUS', 'AGE'], rows: items.map((o) => [name(o), String(rec(o.status).phase ?? 'Active'), a(o)]) };
    case 'Node':
      return {
        headers: wide ? ['NAME', 'STATUS', 'ROLES', 'AGE', 'VERSION', 'INTERNAL-IP', 'EXTERNAL-IP', 'OS-IMAGE', 'KERNEL-VERSION', 'CONTAINER-RUNTIME'] : ['NAME', 'STATUS', 'ROLES', 'AGE', 'VERSION'],
        rows: items.map((o) => {
          const st = rec(o.status);
          const ready = arr(st.conditions).find((c) => c.type === 'Ready');
          const roles = Object.keys(o.metadata.labels ?? {}).filter((k) => k.startsWith('node-role.kubernetes.io/')).map((k) => k.split('/')[1]);
          const info = rec(st.nodeInfo);
          const base = [name(o), ready?.status === 'True' ? 'Ready' : 'NotReady', roles.join(',') || '<none>', a(o), String(info.kubeletVersion ?? '')];
          const ip = arr(st.addresses).find((x) => x.type === 'InternalIP')?.address;
          return wide ? [...base, String(ip ?? '<none>'), '<none>', String(info.osImage ?? ''), String(info.kernelVersion ?? ''), String(info.containerRuntimeVersion ?? '')] : base;
        }),
      };
    case 'ConfigMap':
      return { headers: ['NAME', 'DATA', 'AGE'], rows: items.map((o) => [name(o), String(Object.keys(rec(o.data)).length), a(o)]) };
    case 'Secret':
      return { headers: ['NAME', 'TYPE', 'DATA', 'AGE'], rows: items.map((o) => [name(o), String(o.type ?? 'Opaque'), String(Object.keys(rec(o.data)).length), a(o)]) };
    case 'ServiceAccount':
      return { headers: ['NAME', 'SECRETS', 'AGE'], rows: items.map((o) => [name(o), '0', a(o)]) };
    case 'Event': {
      const sorted = [...items].sort((x, y) => String(x.lastTimestamp ?? '').localeCompare(String(y.lastTimestamp ?? '')) || Number(x.metadata.resourceVersion) - Number(y.metadata.resourceVersion));
      items.splice(0, items.length, ...sorted);
      return {
        headers: ['LAST SEEN', 'TYPE', 'REASON', 'OBJECT', 'MESSAGE'],
        rows: sorted.map((o) => {
          const io = rec(o.involvedObject);
          const seen = humanDuration(now - Date.parse(String(o.lastTimestamp ?? o.metadata.creationTimestamp)));
          return [seen, String(o.type ?? ''), String(o.reason ?? ''), `${String(io.kind ?? '').toLowerCase()}/${io.name}`, String(o.message ?? '')];
        }),
      };
    }
    case 'VirtualService':
      return { headers: ['NAME', 'GATEWAYS', 'HOSTS', 'AGE'], rows: items.map((o) => [name(o), jsonList(rec(o.spec).gateways), jsonList(rec(o.spec).hosts), a(o)]) };
    case 'DestinationRule':
      return { headers: ['NAME', 'HOST', 'AGE'], rows: items.map((o) => [name(o), String(rec(o.spec).host ?? ''), a(o)]) };
    case 'ServiceEntry':
      return {
        headers: ['NAME', 'HOSTS', 'LOCATION', 'RESOLUTION', 'AGE'],
        rows: items.map((o) => [name(o), jsonList(rec(o.spec).hosts), String(rec(o.spec).location ?? ''), String(rec(o.spec).resolution ?? ''), a(o)]),
      };
    case 'PeerAuthentication':
      return { headers: ['NAME', 'MODE', 'AGE'], rows: items.map((o) => [name(o), String(rec(rec(o.spec).mtls).mode ?? ''), a(o)]) };
    case 'AuthorizationPolicy':
      // the CRD's column is .spec.action as stored: a policy that leaves it out (ALLOW by default,
      // e.g. the allow-nothing `spec: {}`) shows an empty cell (istio/istio manifests/charts/base/files/crd-all.gen.yaml)
      return { headers: ['NAME', 'ACTION', 'AGE'], rows: items.map((o) => [name(o), String(rec(o.spec).action ?? ''), a(o)]) };
    case 'RoleBinding':
    case 'ClusterRoleBinding':
      // printers.go printRoleBinding / printClusterRoleBinding: ROLE is Kind/name; the subjects only in -o wide
      // (kubernetes/kubernetes pkg/printers/internalversion/printers.go, SubjectsStrings)
      return {
        headers: wide ? ['NAME', 'ROLE', 'AGE', 'USERS', 'GROUPS', 'SERVICEACCOUNTS'] : ['NAME', 'ROLE', 'AGE'],
        rows: items.map((o) => {
          const ref = rec(o.roleRef);
          const base = [name(o), `${String(ref.kind ?? '')}/${String(ref.name ?? '')}`, a(o)];
          if (!wide) return base;
          const subjects = arr(o.subjects);
          const of = (kind: string): R[] => subjects.filter((x) => x.kind === kind);
          const sas = of('ServiceAccount').map((x) => `${String(x.namespace ?? '')}/${String(x.name ?? '')}`);
          return [...base, of('User').map((x) => String(x.name)).join(', '), of('Group').map((x) => String(x.name)).join(', '), sas.join(', ')];
        }),
      };
    case 'NetworkPolicy':
      // printers.go printNetworkPolicy: metav1.FormatLabelSelector(&spec.podSelector), "<none>" when empty
      return { headers: ['NAME', 'POD-SELECTOR', 'AGE'], rows: items.map((o) => [name(o), formatLabelSelector(rec(o.spec).podSelector), a(o)]) };
    case 'ResourceQuota':
      // printers.go printResourceQuota: "resource: used/hard" over status.hard sorted by name, limits.* in LIMIT
      return {
        headers: ['NAME', 'AGE', 'REQUEST', 'LIMIT'],
        rows: items.map((o) => {
          const st = rec(o.status);
          const hard = rec(st.hard);
          const used = rec(st.used);
          const req: string[] = [];
          const lim: string[] = [];
          for (const k of Object.keys(hard).sort()) (k.split('.')[0] === 'limits' && k.includes('.') ? lim : req).push(`${k}: ${String(used[k] ?? '0')}/${String(hard[k])}`);
          return [name(o), a(o), req.join(', '), lim.join(', ')];
        }),
      };
    case 'Role':
    case 'ClusterRole':
    case 'LimitRange':
    case 'CustomResourceDefinition':
      // no table convertor of their own: the apiserver's default table, NAME and CREATED AT (RFC 3339)
      // (k8s.io/apiserver pkg/registry/rest/table.go defaultTableConvertor)
      return { headers: ['NAME', 'CREATED AT'], rows: items.map((o) => [name(o), String(o.metadata.creationTimestamp ?? '')]) };
    default:
      return { headers: ['NAME', 'AGE'], rows: items.map((o) => [name(o), a(o)]) };
  }
}

/** tabwriter with 3 spaces of padding, as kubectl prints tables. */
export function renderTable(t: Table, opts: { namespaceColumn?: string[]; prefix?: string; noHeaders?: boolean; minWidths?: number[]; padding?: number } = {}): string {
  const headers = opts.namespaceColumn ? ['NAMESPACE', ...t.headers] : t.headers;
  const rows = t.rows.map((r, i) => {
    const row = [...r];
    if (opts.prefix) row[0] = `${opts.prefix}/${row[0]}`;
    return opts.namespaceColumn ? [opts.namespaceColumn[i], ...row] : row;
  });
  const all = opts.noHeaders ? rows : [headers, ...rows];
  const widths = headers.map((_, c) => Math.max(opts.minWidths?.[c] ?? 0, ...all.map((r) => (r[c] ?? '').length)));
  return all.map((r) => r.map((cell, c) => (c === r.length - 1 ? cell : cell.padEnd(widths[c] + (opts.padding ?? 3)))).join('').trimEnd() + '\n').join('');
}

/** Column widths of a rendered table (kubectl get -w keeps them for the rows that follow). */
export function tableWidths(t: Table, namespaceColumn?: string[]): number[] {
  const headers = namespaceColumn ? ['NAMESPACE', ...t.headers] : t.headers;
  const rows = t.rows.map((r, i) => (namespaceColumn ? [namespaceColumn[i], ...r] : r));
  return headers.map((h, c) => Math.max(h.length, ...rows.map((r) => (r[c] ?? '').length)));
}

/** kubectl hides metadata.managedFields unless --show-managed-fields (cmd/get's printer wrapper). */
function hideManagedFields(o: unknown): unknown {
  if (!isRecord(o)) return o;
  if (Array.isArray(o.items)) return { ...o, items: o.items.map(hideManagedFields) };
  if (isRecord(o.metadata) && 'managedFields' in o.metadata) return { ...o, metadata: { ...o.metadata, managedFields: undefined } };
  return o;
}

/** -o yaml: sigs.k8s.io/yaml's layout (see goyaml.ts). */
export function toYaml(o: unknown): string {
  return goYaml(hideManagedFields(o));
}

/** -o json: keys sorted as for the unstructured objects `get` reads, or in a typed struct's order. */
export function toJson(o: unknown, typed = false): string {
  return goJson(hideManagedFields(o), typed);
}

export function asList(items: KubeObject[]): R {
  return { apiVersion: 'v1', items, kind: 'List', metadata: { resourceVersion: '' } };
}

export function nameOf(r: ResourceKind, o: KubeObject): string {
  return `${qualifiedSingular(r)}/${o.metadata.name}`;
}
