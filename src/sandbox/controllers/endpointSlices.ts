/**
 * The endpointslice controller (kubernetes staging/src/k8s.io/endpointslice reconciler.go and
 * utils.go): for each Service with a selector, discovery.k8s.io/v1 EndpointSlices listing the
 * selected pods — one slice per set of resolved ports, a placeholder slice with no endpoints
 * when no pod is selected. Unlike the Endpoints controller it keeps terminating pods, marked
 * `ready: false, terminating: true` (podToEndpoint).
 */
import type { ApiClient } from '../api/client';
import { fromMap, matches } from '../api/labels';
import { deepClone, isRecord, jsonEqual, type KubeObject } from '../api/types';
import { SeededRandom, randomSuffix } from '../core/random';
import type { Controller } from './controller';
import { podReady } from './deployment';
import { findPort } from './endpoints';

/** discovery.LabelServiceName, discovery.LabelManagedBy, v1.IsHeadlessService (k8s.io/api). */
export const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';
const MANAGED_BY_LABEL = 'endpointslice.kubernetes.io/managed-by';
const HEADLESS_LABEL = 'service.kubernetes.io/headless';
const CONTROLLER_NAME = 'endpointslice-controller.k8s.io';

type R = Record<string, unknown>;

/** setEndpointSliceLabels: the Service's labels but the reserved ones, then the reserved ones set. */
function sliceLabels(svc: KubeObject): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const [k, v] of Object.entries(svc.metadata.labels ?? {})) if (k !== SERVICE_NAME_LABEL && k !== MANAGED_BY_LABEL && k !== HEADLESS_LABEL) labels[k] = v;
  const clusterIP = isRecord(svc.spec) ? svc.spec.clusterIP : undefined;
  if (clusterIP === 'None' || !clusterIP) labels[HEADLESS_LABEL] = '';
  labels[SERVICE_NAME_LABEL] = svc.metadata.name ?? '';
  labels[MANAGED_BY_LABEL] = CONTROLLER_NAME;
  return labels;
}

/** getEndpointPorts: every service port the pod resolves, its name always set ("" when unnamed). */
function endpointPorts(svc: KubeObject, pod: KubeObject): R[] {
  const spec = isRecord(svc.spec) ? svc.spec : {};
  const out: R[] = [];
  for (const sp of (Array.isArray(spec.ports) ? spec.ports : []).filter(isRecord)) {
    const port = findPort(pod, sp);
    if (port === undefined) continue;
    out.push({ name: typeof sp.name === 'string' ? sp.name : '', port, protocol: sp.protocol ?? 'TCP', ...(sp.appProtocol ? { appProtocol: sp.appProtocol } : {}) });
  }
  return out;
}

/** podToEndpoint. */
function podToEndpoint(svc: KubeObject, pod: KubeObject): R {
  const serving = podReady(pod);
  const terminating = !!pod.metadata.deletionTimestamp;
  const publishNotReady = isRecord(svc.spec) && svc.spec.publishNotReadyAddresses === true;
  const status = isRecord(pod.status) ? pod.status : {};
  const ips = Array.isArray(status.podIPs) ? status.podIPs.filter(isRecord).map((i) => String(i.ip)) : [String(status.podIP)];
  const ep: R = {
    addresses: ips.filter((ip) => !ip.includes(':')),
    conditions: { ready: publishNotReady || (serving && !terminating), serving, terminating },
  };
  const spec = isRecord(pod.spec) ? pod.spec : {};
  if (typeof spec.nodeName === 'string' && spec.nodeName) ep.nodeName = spec.nodeName;
  ep.targetRef = { kind: 'Pod', name: pod.metadata.name, namespace: pod.metadata.namespace, uid: pod.metadata.uid };
  return ep;
}

/** ShouldPodBeInEndpoints(pod, includeTerminating=true): an IP, and not ended. */
function podInSlices(pod: KubeObject): boolean {
  const status = isRecord(pod.status) ? pod.status : {};
  if (status.phase === 'Succeeded' || status.phase === 'Failed') return false;
  return typeof status.podIP === 'string' && status.podIP !== '';
}

export class EndpointSliceController implements Controller {
  readonly name = 'endpointslice-controller';
  constructor(private readonly client: ApiClient) {}

  reconcile(): boolean {
    const c = this.client;
    const S = c.kind('Service');
    const ES = c.kind('EndpointSlice');
    const svcs = c.cached(S);
    const slices = c.cached(ES);
    const pods = c.cached(c.kind('Pod'));
    if (!svcs.ok || !slices.ok || !pods.ok) return false;
    let changed = false;
    const owned = new Map<string, KubeObject[]>();
    for (const s of slices.value) {
      if (s.metadata.labels?.[MANAGED_BY_LABEL] !== CONTROLLER_NAME) continue;
      const owner = (s.metadata.ownerReferences ?? []).find((o) => o.kind === 'Service' && o.apiVersion === 'v1');
      if (!owner) continue;
      owned.set(owner.uid, [...(owned.get(owner.uid) ?? []), s]);
    }
    const live = new Set<string>();
    for (const svc of svcs.value) {
      const spec = isRecord(svc.spec) ? svc.spec : {};
      if (!isRecord(spec.selector)) continue;
      const uid = svc.metadata.uid ?? '';
      live.add(uid);
      const sel = fromMap(spec.selector as Record<string, string>);
      // desired slices: one per resolved port set, endpoints in IP order
      const groups = new Map<string, { ports: R[]; endpoints: R[] }>();
      for (const p of pods.value) {
        if (p.metadata.namespace !== svc.metadata.namespace || !matches(p.metadata.labels, sel) || !podInSlices(p)) continue;
        const ports = endpointPorts(svc, p);
        const key = JSON.stringify(ports);
        const g = groups.get(key) ?? { ports, endpoints: [] };
        groups.set(key, g);
        g.endpoints.push(podToEndpoint(svc, p));
      }
      for (const g of groups.values()) g.endpoints.sort((a, b) => String((a.addresses as string[])[0]).localeCompare(String((b.addresses as string[])[0]), undefined, { numeric: true }));
      // the placeholder slice of a service with no endpoints (reconciler.go reconcileByAddressType)
      if (groups.size === 0) groups.set('[]', { ports: [], endpoints: [] });
      const labels = sliceLabels(svc);
      const taken = new Set(slices.value.filter((s) => s.metadata.namespace === svc.metadata.namespace).map((s) => s.metadata.name ?? ''));
      const existing = [...(owned.get(uid) ?? [])];
      for (const [key, g] of groups) {
        const body = { addressType: 'IPv4', endpoints: g.endpoints.length ? g.endpoints : null, ...(g.ports.length ? { ports: g.ports } : {}) };
        const i = existing.findIndex((s) => JSON.stringify(s.ports ?? []) === key);
        if (i < 0) {
          const slice: KubeObject = {
            apiVersion: 'discovery.k8s.io/v1',
            kind: 'EndpointSlice',
            metadata: {
              name: sliceName(svc, taken),
              namespace: svc.metadata.namespace,
              labels,
              ownerReferences: [{ apiVersion: 'v1', kind: 'Service', name: svc.metadata.name ?? '', uid, controller: true, blockOwnerDeletion: true }],
            },
            ...body,
          };
          if (c.create(ES, slice).ok) changed = true;
          continue;
        }
        const [cur] = existing.splice(i, 1);
        if (jsonEqual(cur.endpoints ?? null, body.endpoints) && jsonEqual(cur.metadata.labels ?? {}, labels)) continue;
        const u = deepClone(cur);
        u.metadata.labels = labels;
        u.endpoints = body.endpoints;
        if (c.update(ES, u).ok) changed = true;
      }
      for (const s of existing) if (c.delete(ES, s.metadata.namespace, s.metadata.name ?? '').ok) changed = true;
    }
    // slices of deleted services (the garbage collector follows their ownerReferences)
    for (const [uid, list] of owned) if (!live.has(uid)) for (const s of list) if (c.delete(ES, s.metadata.namespace, s.metadata.name ?? '').ok) changed = true;
    return changed;
  }
}

/**
 * getEndpointSlicePrefix + the apiserver's generateName: `<service>-<5 characters>`. The
 * characters come from the service's uid, not the cluster's random sequence, so adding slices
 * leaves every other generated name (pods, request ids) as it was.
 */
function sliceName(svc: KubeObject, taken: Set<string>): string {
  let seed = 0;
  for (const ch of `${svc.metadata.uid}`) seed = (Math.imul(seed, 31) + ch.charCodeAt(0)) >>> 0;
  const rng = new SeededRandom(seed);
  for (;;) {
    const name = `${svc.metadata.name}-${randomSuffix(rng, 5)}`;
    if (taken.has(name)) continue;
    taken.add(name);
    return name;
  }
}
