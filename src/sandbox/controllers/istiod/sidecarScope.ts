/**
 * The Sidecar resource: which services and mesh VirtualServices a sidecar proxy knows, and its
 * outbound traffic policy. Follows istio/istio pilot/pkg/model/sidecar.go (ConvertToSidecarScope,
 * convertIstioListenerToWrapper, selectServices, matchingService, needsPortMatch),
 * pilot/pkg/model/virtualservice.go (SelectVirtualServices) and pilot/pkg/model/push_context.go
 * (getSidecarScope). Gateways are not scoped by Sidecar resources (they use the default scope).
 */
import { fromMap, matches } from '../../api/labels';
import { isRecord } from '../../api/types';
import { hostMatches, hostsIntersect, resolveShortname } from './hosts';
import type { VirtualServiceSpec } from './istioTypes';
import type { Config, PodInfo, PushContext, ServiceInfo } from './pushContext';
import { servicesVisibleTo, virtualServicesForGateway } from './visibility';

export interface SidecarScope {
  /** The Sidecar resource as "namespace/name", or undefined for Istio's default scope (egress `*\/*`). */
  sidecar?: string;
  services: ServiceInfo[];
  /** VirtualServices bound to the mesh that this proxy imports, in VirtualServicesForGateway's order (its namespace's own first, then exported to it, then public; oldest first within each). */
  virtualServices: Config<VirtualServiceSpec>[];
  outboundTrafficPolicy: 'ALLOW_ANY' | 'REGISTRY_ONLY';
}

interface EgressListener {
  /** Imported host patterns by namespace ("*" for any namespace). */
  hosts: Map<string, string[]>;
  /** The listener's port, when it names one (services are trimmed to that port). */
  port?: number;
}

type SidecarConfig = Config<Record<string, unknown>>;

function workloadSelector(sc: SidecarConfig): Record<string, string> | undefined {
  const ws = sc.spec.workloadSelector;
  if (!isRecord(ws) || !isRecord(ws.labels)) return undefined;
  return ws.labels as Record<string, string>;
}

/**
 * getSidecarScope: in the proxy's namespace, the first (oldest) Sidecar whose workloadSelector the
 * pod's labels satisfy, else the namespace's Sidecar without a selector, else the root namespace's
 * Sidecar without a selector (it applies to every namespace that has none).
 */
export function sidecarFor(push: PushContext, pod: PodInfo): SidecarConfig | undefined {
  const own = push.sidecars.filter((s) => s.namespace === pod.namespace);
  const selected = own.find((s) => {
    const sel = workloadSelector(s);
    return sel !== undefined && matches(pod.labels, fromMap(sel));
  });
  return selected ?? own.find((s) => !workloadSelector(s)) ?? push.sidecars.find((s) => s.namespace === push.rootNamespace && !workloadSelector(s));
}

/** convertIstioListenerToWrapper: "ns/host" entries, "." meaning the namespace the scope applies to. */
function egressListeners(spec: Record<string, unknown>, configNamespace: string): EgressListener[] {
  const egress = Array.isArray(spec.egress) ? spec.egress.filter(isRecord) : [];
  // An empty egress list means one listener importing */* (ConvertToSidecarScope).
  const raw = egress.length ? egress : [{ hosts: ['*/*'] }];
  return raw.map((e) => {
    const hosts = new Map<string, string[]>();
    for (const h of Array.isArray(e.hosts) ? e.hosts : []) {
      if (typeof h !== 'string') continue;
      const i = h.indexOf('/');
      if (i < 0) continue; // "host must be of form namespace/dnsName" (istiod logs and skips it)
      const ns = h.slice(0, i) === '.' ? configNamespace : h.slice(0, i);
      hosts.set(ns, [...(hosts.get(ns) ?? []), h.slice(i + 1).toLowerCase()]);
    }
    const port = isRecord(e.port) ? e.port : undefined;
    const number = typeof port?.number === 'number' ? port.number : 0;
    // needsPortMatch: a listener with a port trims services to it, unless its protocol is HTTP_PROXY
    const proxy = typeof port?.protocol === 'string' && port.protocol.toUpperCase() === 'HTTP_PROXY';
    return { hosts, port: number && !proxy ? number : undefined };
  });
}

/** matchingService: the service (trimmed to the listener's port) if its hostname is a subset of an imported host. */
function matchingService(imported: string[], svc: ServiceInfo, listener: EgressListener): ServiceInfo | undefined {
  if (!imported.some((h) => hostMatches(h, svc.hostname))) return undefined;
  return trimToPort(svc, listener);
}

function trimToPort(svc: ServiceInfo, listener: EgressListener): ServiceInfo | undefined {
  if (listener.port === undefined) return svc;
  const ports = svc.ports.filter((p) => p.port === listener.port);
  return ports.length ? { ...svc, ports } : undefined;
}

/** selectServices: an explicit namespace import wins over the wildcard namespace for that service's namespace. */
function selectServices(visible: ServiceInfo[], listener: EgressListener): ServiceInfo[] {
  const out: ServiceInfo[] = [];
  const wildcard = listener.hosts.get('*');
  for (const svc of visible) {
    const explicit = listener.hosts.get(svc.namespace);
    const imported = explicit ?? wildcard;
    if (!imported) continue;
    const m = matchingService(imported, svc, listener);
    if (m) out.push(m);
  }
  return out;
}

/** SelectVirtualServices: a mesh VirtualService whose hosts meet the hosts imported from its namespace or from "*". */
function selectVirtualServices(vses: Config<VirtualServiceSpec>[], listener: EgressListener): Config<VirtualServiceSpec>[] {
  return vses.filter((vs) => {
    const hosts = (vs.spec.hosts ?? []).map((h) => resolveShortname(h, vs.namespace));
    const meets = (imported: string[] | undefined): boolean => !!imported && imported.some((ih) => hosts.some((h) => hostsIntersect(h, ih)));
    return meets(listener.hosts.get(vs.namespace)) || meets(listener.hosts.get('*'));
  });
}

function destinationHosts(vs: Config<VirtualServiceSpec>): string[] {
  const out: string[] = [];
  const spec = vs.spec as Record<string, unknown>;
  for (const kind of ['http', 'tcp', 'tls']) {
    const rules = Array.isArray(spec[kind]) ? (spec[kind] as unknown[]).filter(isRecord) : [];
    for (const rule of rules) {
      const routes = Array.isArray(rule.route) ? rule.route.filter(isRecord) : [];
      for (const r of routes) {
        const d = isRecord(r.destination) ? r.destination : undefined;
        if (typeof d?.host === 'string') out.push(resolveShortname(d.host, vs.namespace));
      }
    }
  }
  return out;
}

export function sidecarScopeFor(push: PushContext, pod: PodInfo): SidecarScope {
  const sc = sidecarFor(push, pod);
  // exportTo: the services and mesh VirtualServices the proxy's namespace sees (visibility.ts)
  const visible = servicesVisibleTo(push, pod.namespace);
  const vses = virtualServicesForGateway(push, pod.namespace, 'mesh');
  const meshPolicy = push.mesh.outboundTrafficPolicy;
  if (!sc) return { services: visible, virtualServices: vses, outboundTrafficPolicy: meshPolicy };
  const listeners = egressListeners(sc.spec, pod.namespace);
  const services = new Map<string, ServiceInfo>();
  const add = (svc: ServiceInfo | undefined): void => {
    if (!svc) return;
    const found = services.get(svc.hostname);
    if (!found) services.set(svc.hostname, svc);
    // a later listener can add ports of the same service (merged only within one namespace)
    else if (found.namespace === svc.namespace) services.set(svc.hostname, { ...found, ports: [...found.ports, ...svc.ports.filter((p) => !found.ports.some((q) => q.port === p.port))] });
  };
  const imported: Config<VirtualServiceSpec>[] = [];
  for (const listener of listeners) {
    for (const svc of selectServices(visible, listener)) add(svc);
    const own = selectVirtualServices(vses, listener);
    for (const vs of own) if (!imported.includes(vs)) imported.push(vs);
    // Destinations of imported VirtualServices become visible too, preferring the scope's namespace.
    for (const vs of own) {
      for (const host of destinationHosts(vs)) {
        if (services.has(host)) continue;
        // pickFirstVisibleNamespace: only a namespace that sees the service
        const candidates = visible.filter((s) => s.hostname === host).sort((a, b) => (a.namespace === pod.namespace ? -1 : b.namespace === pod.namespace ? 1 : a.namespace.localeCompare(b.namespace)));
        add(candidates[0] && trimToPort(candidates[0], listener));
      }
    }
  }
  const otp = isRecord(sc.spec.outboundTrafficPolicy) ? sc.spec.outboundTrafficPolicy.mode : undefined;
  // The scope keeps the push context's service order: each hostname's first position, indexed once.
  const order = new Map<string, number>();
  push.services.forEach((s, i) => {
    if (!order.has(s.hostname)) order.set(s.hostname, i);
  });
  const rank = (svc: ServiceInfo): number => order.get(svc.hostname) ?? -1;
  return {
    sidecar: `${sc.namespace}/${sc.name}`,
    services: [...services.values()].sort((a, b) => rank(a) - rank(b)),
    virtualServices: vses.filter((vs) => imported.includes(vs)),
    outboundTrafficPolicy: otp === 'REGISTRY_ONLY' || otp === 'ALLOW_ANY' ? otp : meshPolicy,
  };
}
