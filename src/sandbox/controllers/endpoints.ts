/**
 * The endpoints controller: for each Service with a selector, an Endpoints object listing
 * the IPs of the selected pods (ready ones under addresses, the rest under
 * notReadyAddresses) and the target ports, named ports resolved from the pods' containers.
 */
import type { ApiClient } from '../api/client';
import { fromMap, matches } from '../api/labels';
import { deepClone, isRecord, jsonEqual, type KubeObject } from '../api/types';
import type { Controller } from './controller';
import { podReady } from './deployment';
import { NODE_NAME } from './kubelet';

/**
 * podutil.FindPort (kubernetes pkg/api/v1/pod/util.go): a numeric targetPort as it is; a named
 * one looked up among the containers' ports of the same protocol, then among the sidecar
 * (restartable init) containers'. The targetPort defaults to the port.
 */
export function findPort(pod: KubeObject, servicePort: Record<string, unknown>): number | undefined {
  const target = servicePort.targetPort ?? servicePort.port;
  if (typeof target === 'number') return target;
  if (typeof target === 'string' && /^\d+$/.test(target)) return Number(target);
  const protocol = servicePort.protocol ?? 'TCP';
  const spec = isRecord(pod.spec) ? pod.spec : {};
  const containers = [
    ...(Array.isArray(spec.containers) ? spec.containers : []),
    ...(Array.isArray(spec.initContainers) ? spec.initContainers.filter((c) => isRecord(c) && c.restartPolicy === 'Always') : []),
  ];
  for (const c of containers)
    if (isRecord(c) && Array.isArray(c.ports))
      for (const p of c.ports) if (isRecord(p) && p.name === target && (p.protocol ?? 'TCP') === protocol && typeof p.containerPort === 'number') return p.containerPort;
  return undefined;
}

export class EndpointsController implements Controller {
  readonly name = 'endpoints-controller';
  constructor(private readonly client: ApiClient) {}

  reconcile(): boolean {
    const c = this.client;
    const S = c.kind('Service');
    const E = c.kind('Endpoints');
    const P = c.kind('Pod');
    const svcs = c.cached(S);
    const eps = c.cached(E);
    const pods = c.cached(P);
    if (!svcs.ok || !eps.ok || !pods.ok) return false;
    let changed = false;
    const epByKey = new Map(eps.value.map((e) => [`${e.metadata.namespace}/${e.metadata.name}`, e]));
    for (const s of svcs.value) {
      const spec = isRecord(s.spec) ? s.spec : {};
      if (!isRecord(spec.selector)) continue;
      const sel = fromMap(spec.selector as Record<string, string>);
      const selected = pods.value.filter(
        (p) => p.metadata.namespace === s.metadata.namespace && matches(p.metadata.labels, sel) && isRecord(p.status) && typeof p.status.podIP === 'string' && !p.metadata.deletionTimestamp,
      );
      const ports = (Array.isArray(spec.ports) ? spec.ports : []).filter(isRecord);
      // group pods by their resolved port set (as the real controller does)
      const groups = new Map<string, { ports: Record<string, unknown>[]; addresses: Record<string, unknown>[]; notReady: Record<string, unknown>[] }>();
      for (const p of selected) {
        const pp: Record<string, unknown>[] = [];
        for (const sp of ports) {
          const port = findPort(p, sp);
          if (port !== undefined) pp.push({ ...(sp.name ? { name: sp.name } : {}), port, protocol: sp.protocol ?? 'TCP' });
        }
        if (pp.length === 0) continue;
        const key = JSON.stringify(pp);
        const g = groups.get(key) ?? { ports: pp, addresses: [], notReady: [] };
        groups.set(key, g);
        const addr = {
          ip: (p.status as Record<string, unknown>).podIP,
          nodeName: NODE_NAME,
          targetRef: { kind: 'Pod', namespace: p.metadata.namespace, name: p.metadata.name, uid: p.metadata.uid },
        };
        (podReady(p) ? g.addresses : g.notReady).push(addr);
      }
      const subsets = [...groups.values()].map((g) => {
        const sub: Record<string, unknown> = {};
        if (g.addresses.length) sub.addresses = g.addresses.sort((a, b) => String(a.ip).localeCompare(String(b.ip), undefined, { numeric: true }));
        if (g.notReady.length) sub.notReadyAddresses = g.notReady;
        sub.ports = g.ports;
        return sub;
      });
      const key = `${s.metadata.namespace}/${s.metadata.name}`;
      const existing = epByKey.get(key);
      const labels = { ...(s.metadata.labels ?? {}) };
      if (!existing) {
        const body: KubeObject = { apiVersion: 'v1', kind: 'Endpoints', metadata: { name: s.metadata.name, namespace: s.metadata.namespace, labels } };
        if (subsets.length) body.subsets = subsets;
        if (c.create(E, body).ok) changed = true;
      } else if (!jsonEqual(existing.subsets ?? [], subsets) || !jsonEqual(existing.metadata.labels ?? {}, labels)) {
        const u = deepClone(existing);
        u.metadata.labels = labels;
        if (subsets.length) u.subsets = subsets;
        else delete u.subsets;
        if (c.update(E, u).ok) changed = true;
      }
    }
    // Endpoints of deleted services go with them
    const svcKeys = new Set(svcs.value.map((s) => `${s.metadata.namespace}/${s.metadata.name}`));
    for (const e of eps.value)
      if (!svcKeys.has(`${e.metadata.namespace}/${e.metadata.name}`) && !e.metadata.labels?.['endpoints.sandbox/manual'])
        if (c.delete(E, e.metadata.namespace, e.metadata.name ?? '').ok) changed = true;
    return changed;
  }
}

/** Garbage collector: deletes objects whose controlling owner no longer exists. */
export class GarbageCollector implements Controller {
  readonly name = 'garbage-collector';
  constructor(private readonly client: ApiClient) {}
  reconcile(): boolean {
    const c = this.client;
    const kinds = [c.kind('ReplicaSet'), c.kind('Pod')];
    const owners = new Set<string>();
    for (const k of [c.kind('Deployment'), c.kind('ReplicaSet')]) {
      const l = c.cached(k);
      if (l.ok) for (const o of l.value) owners.add(o.metadata.uid ?? '');
    }
    let changed = false;
    for (const k of kinds) {
      const l = c.cached(k);
      if (!l.ok) continue;
      for (const o of l.value) {
        const ref = (o.metadata.ownerReferences ?? []).find((r) => r.controller);
        if (ref && !owners.has(ref.uid) && !o.metadata.deletionTimestamp) if (c.delete(k, o.metadata.namespace, o.metadata.name ?? '').ok) changed = true;
      }
    }
    return changed;
  }
}

export interface LoadBalancerSnapshot {
  next: number;
  /** Service uid → external IP. */
  assigned: Record<string, string>;
}

/** A cloud load-balancer controller (like MetalLB in kind): gives LoadBalancer Services an external IP. */
export class LoadBalancerController implements Controller {
  readonly name = 'service-lb-controller';
  private next = 200;
  private assigned = new Map<string, string>();
  constructor(private readonly client: ApiClient) {}
  snapshot(): LoadBalancerSnapshot {
    return { next: this.next, assigned: Object.fromEntries(this.assigned) };
  }
  restore(s: LoadBalancerSnapshot): void {
    this.next = s.next;
    this.assigned = new Map(Object.entries(s.assigned));
  }
  reconcile(): boolean {
    const c = this.client;
    const S = c.kind('Service');
    const l = c.cached(S);
    if (!l.ok) return false;
    let changed = false;
    for (const s of l.value) {
      const spec = isRecord(s.spec) ? s.spec : {};
      if (spec.type !== 'LoadBalancer') continue;
      const st = isRecord(s.status) ? s.status : {};
      const lb = isRecord(st.loadBalancer) ? st.loadBalancer : {};
      if (Array.isArray(lb.ingress) && lb.ingress.length) continue;
      const key = s.metadata.uid ?? '';
      let ip = this.assigned.get(key);
      if (!ip) {
        ip = `172.18.255.${this.next++}`;
        this.assigned.set(key, ip);
      }
      const u = deepClone(s);
      u.status = { loadBalancer: { ingress: [{ ip, ipMode: 'VIP' }] } };
      if (c.updateStatus(S, u).ok) changed = true;
    }
    return changed;
  }
}
