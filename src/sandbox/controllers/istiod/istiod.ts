/**
 * istiod: watches the apiserver, keeps a PushContext, and computes each proxy's
 * configuration (listeners → route configurations → clusters → endpoints), the way
 * pilot/pkg/networking/core does for sidecars and gateways.
 */
import type { ApiClient } from '../../api/client';
import { fromMap, matches } from '../../api/labels';
import type { ApiServer } from '../../api/server';
import type { Cluster, ClusterLoadAssignment, Listener, PassthroughFilterChain, ProxyConfig, Route, RouteConfiguration, TlsFilterChain, VirtualHost } from '../../dataplane/types';
import { isRecord } from '../../api/types';
import { BLACKHOLE_CLUSTER, buildOutboundClusters, PASSTHROUGH_CLUSTER } from './cluster';
import { sidecarScopeFor, type SidecarScope } from './sidecarScope';
import { hostMatches, hostsIntersect, resolveGatewayRef, resolveShortname, serviceDomains, splitGatewayHost } from './hosts';
import type { Destination, GatewaySpec, ServerSpec, VirtualServiceSpec } from './istioTypes';
import { buildPushContext, isHttpProtocol, type Config, type MeshConfig, type PodInfo, type PushContext } from './pushContext';
import { authorizationPolicies, jwtProviders, peerAuthenticationMode, peerAuthenticationPorts } from './security';
import { envoyFilterEffects, unexecutedEnvoyFilterPatches } from './envoyFilter';
import { accessLogFor } from './telemetry';
import { clusterName, defaultRoute, destinationCluster, translateVirtualService, type RouteContext } from './virtualService';
import { servicesVisibleTo, virtualServicesForGateway } from './visibility';

const WATCHED = new Set(['Service', 'Endpoints', 'Pod', 'VirtualService', 'DestinationRule', 'Gateway', 'ServiceEntry', 'PeerAuthentication', 'AuthorizationPolicy', 'Sidecar', 'EnvoyFilter', 'RequestAuthentication', 'Telemetry', 'Namespace', 'Secret']);

export class Istiod {
  private version = 0;
  private push: PushContext | undefined;
  private cache = new Map<string, ProxyConfig>();

  constructor(
    private readonly client: ApiClient,
    server: ApiServer,
    private readonly meshConfig: () => MeshConfig,
  ) {
    server.watch((e) => {
      if (WATCHED.has(e.resource.kind)) this.invalidate();
    });
  }

  /** Called on any relevant change (and when the mesh config changes). */
  invalidate(): void {
    this.version++;
    this.push = undefined;
    this.cache.clear();
  }

  pushContext(): PushContext {
    if (!this.push) this.push = buildPushContext(this.client, this.meshConfig(), this.version);
    return this.push;
  }

  /**
   * EnvoyFilter patches istiod accepted but the sandbox's Envoy does not execute (all but the HTTP
   * local rate limit), as Russian sandbox notes, for one namespace or all.
   */
  notExecuted(namespace?: string): string[] {
    return unexecutedEnvoyFilterPatches(this.pushContext(), namespace);
  }

  /** The configuration of the proxy in pod `namespace/name`, or undefined if it has no proxy. */
  configFor(namespace: string, name: string): ProxyConfig | undefined {
    const key = `${namespace}/${name}`;
    const cached = this.cache.get(key);
    if (cached) return cached;
    const push = this.pushContext();
    const pod = push.pods.find((p) => p.namespace === namespace && p.name === name);
    if (!pod || (!pod.sidecar && !pod.gateway) || !pod.ip) return undefined;
    const cfg = pod.gateway ? buildGatewayConfig(push, pod) : buildSidecarConfig(push, pod);
    this.cache.set(key, cfg);
    return cfg;
  }
}

function baseConfig(push: PushContext, pod: PodInfo, type: ProxyConfig['type'], services = push.services): ProxyConfig {
  const { clusters, endpoints } = buildOutboundClusters(push, pod, services);
  const cmap = new Map<string, Cluster>(clusters.map((c) => [c.name, c]));
  cmap.set(PASSTHROUGH_CLUSTER.name, PASSTHROUGH_CLUSTER);
  cmap.set(BLACKHOLE_CLUSTER.name, BLACKHOLE_CLUSTER);
  return {
    id: `${pod.name}.${pod.namespace}`,
    type,
    podIp: pod.ip ?? '',
    namespace: pod.namespace,
    labels: pod.labels,
    listeners: [],
    routes: new Map(),
    clusters: cmap,
    endpoints: new Map<string, ClusterLoadAssignment>(endpoints.map((e) => [e.clusterName, e])),
    accessLogFile: push.mesh.accessLogFile,
    accessLogEncoding: push.mesh.accessLogEncoding,
    accessLog: accessLogFor(push, pod),
    outboundTrafficPolicy: push.mesh.outboundTrafficPolicy,
    principal: `spiffe://cluster.local/ns/${pod.namespace}/sa/${pod.serviceAccount}`,
    mtlsMode: peerAuthenticationMode(push, pod),
    mtlsPorts: peerAuthenticationPorts(push, pod),
    authorization: authorizationPolicies(push, pod),
    envoyFilters: envoyFilterEffects(push, pod),
    jwtProviders: jwtProviders(push, pod),
  };
}

/** The mesh VirtualService (of those the proxy imports) whose hosts name `hostname`: the oldest wins, as Istio picks one per host. */
function meshVirtualServiceFor(scope: SidecarScope, hostname: string): Config<VirtualServiceSpec> | undefined {
  return scope.virtualServices.find((vs) => (vs.spec.hosts ?? []).some((h) => hostMatches(resolveShortname(h, vs.namespace), hostname)));
}

/**
 * A sidecar's filter chains for a TLS/HTTPS port from the tls routes of the mesh VirtualService for the
 * host, as istio/istio pilot/pkg/networking/core/tls.go buildSidecarOutboundTLSFilterChainOpts builds
 * them: each match that fits (l4MultiMatch: its port, if set, is the listener's; its gateways, or else the
 * VirtualService's, include "mesh"; its sourceLabels select the proxy) gives a chain for its sniHosts,
 * proxied to the route's destinations (buildOutboundNetworkFilters, weighted_clusters for several). With
 * no such match the host keeps its own chain (the "!hasTLSMatch" default) — the caller's fallback.
 */
function meshTlsRoutes(push: PushContext, vs: Config<VirtualServiceSpec> | undefined, port: number, proxyLabels: Record<string, string>): { serverNames: string[]; clusters: { cluster: string; weight: number }[] }[] {
  if (!vs) return [];
  const vsGateways = vs.spec.gateways && vs.spec.gateways.length ? vs.spec.gateways : ['mesh'];
  const tls = Array.isArray((vs.spec as Record<string, unknown>).tls) ? ((vs.spec as Record<string, unknown>).tls as unknown[]).filter(isRecord) : [];
  const out: { serverNames: string[]; clusters: { cluster: string; weight: number }[] }[] = [];
  for (const rule of tls) {
    for (const m of Array.isArray(rule.match) ? rule.match.filter(isRecord) : []) {
      if (typeof m.port === 'number' && m.port !== 0 && m.port !== port) continue;
      const mg = Array.isArray(m.gateways) && m.gateways.length ? m.gateways.filter((g): g is string => typeof g === 'string') : vsGateways;
      if (!mg.includes('mesh')) continue;
      if (isRecord(m.sourceLabels) && !matches(proxyLabels, fromMap(m.sourceLabels as Record<string, string>))) continue;
      const sniHosts = Array.isArray(m.sniHosts) ? m.sniHosts.filter((h): h is string => typeof h === 'string').map((h) => h.toLowerCase()) : [];
      const routes = Array.isArray(rule.route) ? rule.route.filter(isRecord) : [];
      const clusters = routes
        .map((r) => ({ cluster: destinationCluster(r.destination as Destination | undefined, vs.namespace, push, port).cluster, weight: typeof r.weight === 'number' ? r.weight : routes.length === 1 ? 100 : 0 }))
        .filter((c) => c.weight > 0);
      if (sniHosts.length && clusters.length) out.push({ serverNames: sniHosts, clusters });
    }
  }
  return out;
}

function catchAll(policy: 'ALLOW_ANY' | 'REGISTRY_ONLY'): VirtualHost {
  return policy === 'REGISTRY_ONLY'
    ? {
        name: 'block_all',
        domains: ['*'],
        routes: [{ name: 'block_all', match: { path: { prefix: '/' }, headers: [], queryParams: [] }, action: { type: 'direct', status: 502 } }],
      }
    : {
        name: 'allow_any',
        domains: ['*'],
        routes: [
          {
            name: 'allow_any',
            match: { path: { prefix: '/' }, headers: [], queryParams: [] },
            action: { type: 'route', clusters: [{ cluster: 'PassthroughCluster', host: '', weight: 100 }], timeoutMs: 0 },
          },
        ],
      };
}

export function buildSidecarConfig(push: PushContext, pod: PodInfo): ProxyConfig {
  const scope = sidecarScopeFor(push, pod);
  const cfg = baseConfig(push, pod, 'sidecar', scope.services);
  const policy = scope.outboundTrafficPolicy;
  cfg.outboundTrafficPolicy = policy;
  const routeConfigs = new Map<number, RouteConfiguration>();
  const perIp: Listener[] = [];
  const sniByPort = new Map<number, Record<string, string>>();
  const sniSplitsByPort = new Map<number, Record<string, { cluster: string; weight: number }[]>>();
  const vhostFor = (svc: (typeof push.services)[number], port: (typeof svc.ports)[number]): VirtualHost => {
    const vs = meshVirtualServiceFor(scope, svc.hostname);
    const ctx: RouteContext = { push, gateways: new Set(['mesh']), proxyLabels: pod.labels, proxyNamespace: pod.namespace, port: port.port };
    const routes: Route[] = vs ? translateVirtualService(vs, ctx) : [defaultRoute(clusterName('outbound', port.port, undefined, svc.hostname), svc.hostname)];
    return { name: `${svc.hostname}:${port.port}`, domains: serviceDomains(svc.hostname, port.port, pod.namespace, svc.address), routes };
  };
  for (const svc of scope.services) {
    for (const port of svc.ports) {
      const cluster = clusterName('outbound', port.port, undefined, svc.hostname);
      if (isHttpProtocol(port.protocol) || (port.protocol === 'AUTO' && !svc.address)) {
        let rc = routeConfigs.get(port.port);
        if (!rc) {
          rc = { name: String(port.port), virtualHosts: [] };
          routeConfigs.set(port.port, rc);
        }
        rc.virtualHosts.push(vhostFor(svc, port));
      } else if (port.protocol === 'AUTO') {
        // sniffed port of a service with a ClusterIP: its own listener, HTTP route config and TCP fallback
        const rcName = `${svc.hostname}:${port.port}`;
        cfg.routes.set(rcName, { name: rcName, virtualHosts: [{ ...vhostFor(svc, port), domains: ['*'] }] });
        perIp.push({ name: `${svc.address}_${port.port}`, address: svc.address!, port: port.port, kind: 'outbound', routeConfigName: rcName, tcpCluster: cluster });
      } else if (svc.address) {
        perIp.push({ name: `${svc.address}_${port.port}`, address: svc.address, port: port.port, kind: 'outbound', tcpCluster: cluster });
      } else if (port.protocol === 'TLS' || port.protocol === 'HTTPS') {
        const m = sniByPort.get(port.port) ?? {};
        const routed = meshTlsRoutes(push, meshVirtualServiceFor(scope, svc.hostname), port.port, pod.labels);
        if (routed.length) {
          for (const r of routed)
            for (const sni of r.serverNames) {
              if (r.clusters.length === 1) m[sni] = r.clusters[0].cluster;
              else {
                const splits = sniSplitsByPort.get(port.port) ?? {};
                splits[sni] = r.clusters;
                sniSplitsByPort.set(port.port, splits);
              }
            }
        } else m[svc.hostname] = cluster;
        sniByPort.set(port.port, m);
      }
    }
  }
  for (const [port, rc] of [...routeConfigs].sort((a, b) => a[0] - b[0])) {
    rc.virtualHosts.push(catchAll(policy));
    cfg.routes.set(rc.name, rc);
    cfg.listeners.push({ name: `0.0.0.0_${port}`, address: '0.0.0.0', port, kind: 'outbound', routeConfigName: rc.name, ...(sniByPort.has(port) ? { sniClusters: sniByPort.get(port) } : {}), ...(sniSplitsByPort.has(port) ? { sniSplits: sniSplitsByPort.get(port) } : {}) });
    sniByPort.delete(port);
  }
  for (const [port, sni] of sniByPort) cfg.listeners.push({ name: `0.0.0.0_${port}`, address: '0.0.0.0', port, kind: 'outbound', sniClusters: sni, ...(sniSplitsByPort.has(port) ? { sniSplits: sniSplitsByPort.get(port) } : {}) });
  cfg.listeners.push(...perIp);
  cfg.listeners.sort((a, b) => a.port - b.port || (a.address === '0.0.0.0' ? 1 : 0) - (b.address === '0.0.0.0' ? 1 : 0));
  cfg.listeners.push({ name: 'virtualOutbound', address: '0.0.0.0', port: 15001, kind: 'outbound' });
  cfg.listeners.push({ name: 'virtualInbound', address: '0.0.0.0', port: 15006, kind: 'inbound' });
  // inbound clusters for the ports of the services that select this pod
  for (const svc of push.services) {
    if (svc.source !== 'kubernetes') continue;
    for (const inst of svc.instances) {
      if (inst.ip !== pod.ip) continue;
      for (const port of svc.ports) {
        const tp = inst.ports[port.name];
        if (tp === undefined) continue;
        const name = clusterName('inbound', tp, undefined, '');
        cfg.clusters.set(name, { name, type: 'ORIGINAL_DST', direction: 'inbound', port: tp, lbPolicy: 'PASSTHROUGH', tlsMode: 'DISABLE' });
      }
    }
  }
  return cfg;
}

/** The container port a gateway server port maps to: the targetPort of the gateway's Service, as Istio computes it. */
function gatewayListenerPort(push: PushContext, pod: PodInfo, server: ServerSpec): number {
  const n = server.port?.number ?? 0;
  for (const svc of push.services) {
    if (svc.source !== 'kubernetes' || svc.namespace !== pod.namespace || !svc.selector) continue;
    if (!matches(pod.labels, fromMap(svc.selector))) continue;
    const p = svc.ports.find((x) => x.port === n);
    if (p && typeof p.targetPort === 'number') return p.targetPort;
  }
  return server.port?.targetPort ?? n;
}

export function buildGatewayConfig(push: PushContext, pod: PodInfo): ProxyConfig {
  // DefaultSidecarScopeForGateway: the services exported to the gateway's namespace
  const cfg = baseConfig(push, pod, 'router', servicesVisibleTo(push, pod.namespace));
  const gateways = push.gateways.filter((g) => g.spec.selector && Object.keys(g.spec.selector).length > 0 && matches(pod.labels, fromMap(g.spec.selector)));
  // listener port → servers (with their gateway) merged on it
  type Srv = { gw: Config<(typeof gateways)[number]['spec']>; server: ServerSpec };
  const byPort = new Map<number, Srv[]>();
  const tlsByPort = new Map<number, Srv[]>();
  const passthroughByPort = new Map<number, PassthroughFilterChain[]>();
  const tcpByPort = new Map<number, NonNullable<Listener['tcpRoute']>>();
  // listener port → SNI hosts already taken by a passthrough chain (model.CheckDuplicates)
  const tlsHostsByPort = new Map<number, Set<string>>();
  for (const gw of gateways)
    for (const server of gw.spec.servers ?? []) {
      const proto = (server.port?.protocol ?? '').toUpperCase();
      const lp = gatewayListenerPort(push, pod, server);
      if ((proto === 'HTTPS' || proto === 'TLS') && server.tls?.mode === 'PASSTHROUGH') {
        const taken = tlsHostsByPort.get(lp) ?? new Set<string>();
        tlsHostsByPort.set(lp, taken);
        const chains = passthroughChains(push, pod, gw, server, taken);
        if (chains.length) passthroughByPort.set(lp, [...(passthroughByPort.get(lp) ?? []), ...chains]);
        continue;
      }
      if (proto === 'TCP') {
        // servers merged on one port: the first TCP server keeps it (model.MergeGateways)
        if (!tcpByPort.has(lp)) {
          const route = gatewayTcpRoute(push, pod, gw, server);
          if (route) tcpByPort.set(lp, route);
        }
        continue;
      }
      // HTTPS with SIMPLE/MUTUAL/ISTIO_MUTUAL: TLS termination and HTTP routes; TLS with those modes: TLS
      // termination and tcp routes (gateway.go buildGatewayTCPBasedFilterChains, createGatewayTCPFilterChainOpts).
      // AUTO_PASSTHROUGH (multi-network east-west, SNI = cluster name) gets no chain here: not modelled.
      const terminatesTls = (proto === 'HTTPS' || proto === 'TLS') && ['SIMPLE', 'MUTUAL', 'ISTIO_MUTUAL'].includes(server.tls?.mode ?? 'SIMPLE');
      if (terminatesTls) {
        const list = tlsByPort.get(lp) ?? [];
        list.push({ gw, server });
        tlsByPort.set(lp, list);
        continue;
      }
      if (!['HTTP', 'HTTP2', 'GRPC'].includes(proto)) continue;
      const list = byPort.get(lp) ?? [];
      list.push({ gw, server });
      byPort.set(lp, list);
    }
  const virtualHosts = (servers: Srv[]): VirtualHost[] => {
    const vhosts = new Map<string, VirtualHost>();
    for (const { gw, server } of servers) {
      const gwRef = `${gw.namespace}/${gw.name}`;
      const serverPort = server.port?.number ?? 0;
      for (const vs of virtualServicesForGateway(push, pod.namespace, gwRef)) {
        for (const rawHost of vs.spec.hosts ?? []) {
          const vsHost = rawHost.toLowerCase();
          const allowed = (server.hosts ?? []).some((sh) => {
            const { namespace, host } = splitGatewayHost(sh, gw.namespace);
            return (namespace === '*' || namespace === vs.namespace) && hostsIntersect(host, vsHost);
          });
          if (!allowed) continue;
          const ctx: RouteContext = { push, gateways: new Set([gwRef]), proxyLabels: pod.labels, proxyNamespace: pod.namespace, port: serverPort };
          const routes = translateVirtualService(vs, ctx);
          const name = `${vsHost}:${serverPort}`;
          const existing = vhosts.get(name);
          if (existing) existing.routes.push(...routes);
          else vhosts.set(name, { name, domains: vsHost === '*' ? ['*'] : [vsHost, `${vsHost}:*`], routes });
        }
      }
    }
    // a server without any VirtualService still gets a listener: Istio's blackhole virtual host answers 404
    if (vhosts.size === 0) return [{ name: `blackhole:${servers[0]?.server.port?.number ?? 80}`, domains: ['*'], routes: [] }];
    if (servers.some((x) => x.server.tls?.httpsRedirect)) for (const vh of vhosts.values()) vh.requireTls = true;
    return [...vhosts.values()];
  };
  for (const [lp, servers] of [...byPort].sort((a, b) => a[0] - b[0])) {
    const rcName = `http.${lp}`;
    cfg.routes.set(rcName, { name: rcName, virtualHosts: virtualHosts(servers) });
    cfg.listeners.push({ name: `0.0.0.0_${lp}`, address: '0.0.0.0', port: lp, kind: 'gateway', routeConfigName: rcName });
  }
  for (const [lp, servers] of [...tlsByPort].sort((a, b) => a[0] - b[0])) {
    const chains = servers.flatMap(({ gw, server }): TlsFilterChain[] => {
      // a TLS server terminates for the tcp route that fits it; without one it gets no chain
      // ("gateway %s:%d listener missed network filter")
      const isTcp = (server.port?.protocol ?? '').toUpperCase() === 'TLS';
      const tcpRoute = isTcp ? gatewayTcpRoute(push, pod, gw, server) : undefined;
      if (isTcp && !tcpRoute) return [];
      const rcName = `https.${server.port?.number ?? lp}.${server.port?.name ?? 'https'}.${gw.name}.${gw.namespace}`;
      if (!isTcp) cfg.routes.set(rcName, { name: rcName, virtualHosts: virtualHosts([{ gw, server }]) });
      const credentialName = server.tls?.credentialName ?? '';
      const cred = push.tlsSecrets.get(`${pod.namespace}/${credentialName}`);
      const mode: TlsFilterChain['mode'] = server.tls?.mode === 'MUTUAL' || server.tls?.mode === 'ISTIO_MUTUAL' ? server.tls.mode : 'SIMPLE';
      return [{
        serverNames: (server.hosts ?? []).map((h) => splitGatewayHost(h, gw.namespace).host),
        credentialName,
        // ISTIO_MUTUAL: the gateway's own workload certificate from the mesh CA (not modelled as X.509:
        // no client outside the mesh trusts it), and clients must hold one from the mesh CA too
        certificate: mode === 'ISTIO_MUTUAL' ? '' : cred?.cert,
        mode,
        // MUTUAL needs the CA in the credential (ca.crt, cacert, or the <name>-cacert secret)
        clientCa: mode === 'MUTUAL' ? cred?.ca ?? '' : mode === 'ISTIO_MUTUAL' ? '' : undefined,
        ...(tcpRoute ? { tcpRoute } : { routeConfigName: rcName }),
      }];
    });
    const passthrough = passthroughByPort.get(lp);
    passthroughByPort.delete(lp);
    if (!chains.length && !passthrough) continue;
    cfg.listeners.push({ name: `0.0.0.0_${lp}`, address: '0.0.0.0', port: lp, kind: 'gateway', filterChains: chains, ...(passthrough ? { passthroughChains: passthrough } : {}) });
  }
  // A port with passthrough servers only: a listener of tcp_proxy chains. A server that no
  // VirtualService tls route serves gives no chain, and a listener without chains is not built
  // (gateway.go MutableGatewayListener.build: "must have more than 0 chains in listener").
  for (const [lp, passthrough] of passthroughByPort) cfg.listeners.push({ name: `0.0.0.0_${lp}`, address: '0.0.0.0', port: lp, kind: 'gateway', passthroughChains: passthrough });
  // A TCP server with a tcp route that fits it: a listener with one tcp_proxy; without one, no listener
  // (the connection is refused)
  for (const [lp, tcpRoute] of tcpByPort) if (!cfg.listeners.some((l) => l.port === lp)) cfg.listeners.push({ name: `0.0.0.0_${lp}`, address: '0.0.0.0', port: lp, kind: 'gateway', tcpRoute });
  cfg.listeners.sort((a, b) => a.port - b.port);
  return cfg;
}

/**
 * A TCP server's tcp_proxy, as istio/istio pilot/pkg/networking/core/gateway.go
 * buildGatewayNetworkFiltersFromTCPRoutes builds it: the first VirtualService bound to the gateway whose
 * hosts meet the server's hosts (pickMatchingGatewayHosts) and has a tcp rule whose matches fit the server
 * (l4MultiMatch: no match, or a match whose port, if any, is the server's and whose gateways, if any,
 * name this gateway) gives the route's destinations (buildOutboundNetworkFilters: weighted_clusters for several).
 */
function gatewayTcpRoute(push: PushContext, pod: PodInfo, gw: Config<GatewaySpec>, server: ServerSpec): Listener['tcpRoute'] {
  const gwRef = `${gw.namespace}/${gw.name}`;
  const serverPort = server.port?.number ?? 0;
  for (const vs of virtualServicesForGateway(push, pod.namespace, gwRef)) {
    if (!serverHostsMeet(gw, server, vs)) continue;
    const tcp = Array.isArray((vs.spec as Record<string, unknown>).tcp) ? ((vs.spec as Record<string, unknown>).tcp as unknown[]).filter(isRecord) : [];
    for (const rule of tcp) {
      const matchList = Array.isArray(rule.match) ? rule.match.filter(isRecord) : [];
      const fits = (m: Record<string, unknown>): boolean => {
        if (typeof m.port === 'number' && m.port !== 0 && m.port !== serverPort) return false;
        const mg = Array.isArray(m.gateways) ? m.gateways.filter((g): g is string => typeof g === 'string') : [];
        return !mg.length || mg.some((g) => resolveGatewayRef(g, vs.namespace) === gwRef);
      };
      if (matchList.length && !matchList.some(fits)) continue;
      const routes = Array.isArray(rule.route) ? rule.route.filter(isRecord) : [];
      const clusters = routes
        .map((r) => ({ cluster: destinationCluster(r.destination as Destination | undefined, vs.namespace, push, serverPort).cluster, weight: typeof r.weight === 'number' ? r.weight : routes.length === 1 ? 100 : 0 }))
        .filter((c) => c.weight > 0);
      return { clusters, origin: `${vs.namespace}/${vs.name}` };
    }
  }
  return undefined;
}

/** pickMatchingGatewayHosts: a VirtualService host meets a server host (its namespace part included). */
function serverHostsMeet(gw: Config<GatewaySpec>, server: ServerSpec, vs: Config<VirtualServiceSpec>): boolean {
  return (vs.spec.hosts ?? []).some((vh) =>
    (server.hosts ?? []).some((sh) => {
      const { namespace, host } = splitGatewayHost(sh, gw.namespace);
      return (namespace === '*' || namespace === vs.namespace) && hostsIntersect(host, vh.toLowerCase());
    }),
  );
}

/**
 * The filter chains of a PASSTHROUGH server, as istio/istio pilot/pkg/networking/core/gateway.go
 * buildGatewayNetworkFiltersFromTLSRoutes builds them: for each VirtualService bound to the gateway
 * whose hosts meet the server's hosts (pickMatchingGatewayHosts, the namespace part included), each
 * tls route match that fits the server (l4SingleMatch: its port, if any, is the server's port; its
 * gateways, if any, name this gateway) becomes one chain matching the match's sniHosts, proxied to the
 * route's destinations (buildOutboundNetworkFilters: tcp_proxy, weighted_clusters for several). SNI
 * hosts already taken on the listener port skip the match ("skipping VirtualService … duplicate SNI
 * host names", model.CheckDuplicates). AUTO_PASSTHROUGH (multi-network east-west) is not modelled.
 */
function passthroughChains(push: PushContext, pod: PodInfo, gw: Config<GatewaySpec>, server: ServerSpec, taken: Set<string>): PassthroughFilterChain[] {
  const gwRef = `${gw.namespace}/${gw.name}`;
  const serverPort = server.port?.number ?? 0;
  const out: PassthroughFilterChain[] = [];
  for (const vs of virtualServicesForGateway(push, pod.namespace, gwRef)) {
    if (!serverHostsMeet(gw, server, vs)) continue;
    const tls = Array.isArray((vs.spec as Record<string, unknown>).tls) ? ((vs.spec as Record<string, unknown>).tls as unknown[]).filter(isRecord) : [];
    for (const rule of tls) {
      const matchList = Array.isArray(rule.match) ? rule.match.filter(isRecord) : [];
      for (const m of matchList) {
        if (typeof m.port === 'number' && m.port !== 0 && m.port !== serverPort) continue;
        const mg = Array.isArray(m.gateways) ? m.gateways.filter((g): g is string => typeof g === 'string') : [];
        if (mg.length && !mg.some((g) => resolveGatewayRef(g, vs.namespace) === gwRef)) continue;
        const sniHosts = Array.isArray(m.sniHosts) ? m.sniHosts.filter((h): h is string => typeof h === 'string') : [];
        if (sniHosts.some((h) => taken.has(h))) continue;
        for (const h of sniHosts) taken.add(h);
        const routes = Array.isArray(rule.route) ? rule.route.filter(isRecord) : [];
        const clusters = routes
          .map((r) => ({ cluster: destinationCluster(r.destination as Destination | undefined, vs.namespace, push, serverPort).cluster, weight: typeof r.weight === 'number' ? r.weight : routes.length === 1 ? 100 : 0 }))
          .filter((c) => c.weight > 0);
        out.push({ serverNames: sniHosts, clusters, origin: `${vs.namespace}/${vs.name}` });
      }
    }
  }
  return out;
}
