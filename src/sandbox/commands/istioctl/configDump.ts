/**
 * `istioctl proxy-config … -o json`: the proxy's xDS resources as Envoy's config dump holds them, in
 * protojson's camelCase field names, in each message's field declaration order, and with protojson's
 * encodings (Durations as "10s"/"0.500s", int64 as strings, default values left out), indented by four
 * spaces (istio/istio istioctl/pkg/writer/envoy/configdump/{cluster,route,listener}.go: json.MarshalIndent
 * of the message slice). The sandbox's ProxyConfig (dataplane/types.ts) holds the fields the simulation
 * uses; this module spells them as istiod builds them:
 *   routes    pilot/pkg/networking/core/route/route.go (translateRoute, BuildDefaultHTTPOutboundRoute),
 *             route/retry/retry.go (DefaultPolicy), fault and mirror percentages as FractionalPercent
 *             of a MILLION (translatePercentToFractionalPercent)
 *   clusters  pilot/pkg/networking/core/cluster_builder.go (buildCluster: connectTimeout 10s, EDS via ADS,
 *             default circuit breaker thresholds of math.MaxUint32, istio metadata)
 *   listeners pilot/pkg/networking/core/listener.go (outbound HTTP listeners with RDS, tcp_proxy for TCP)
 * What the sandbox does not model (stats, access-log and telemetry filters, TLS contexts) is left out.
 */
import type { Cluster, ClusterLoadAssignment, HeaderMatcher, Listener, Route, RouteConfiguration, StringMatch } from '../../dataplane/types';

type Json = Record<string, unknown>;

/** protojson's Duration: whole seconds as "10s", fractions with 3, 6 or 9 digits ("0.500s"). */
export function protoDuration(ms: number): string {
  if (ms % 1000 === 0) return `${ms / 1000}s`;
  return `${(ms / 1000).toFixed(3)}s`;
}

/** translatePercentToFractionalPercent: a percent as parts per MILLION. */
function fractionalPercent(percent: number): Json {
  return { numerator: Math.round(percent * 10_000), denominator: 'MILLION' };
}

const ADS_CONFIG = { ads: {}, initialFetchTimeout: '0s', resourceApiVersion: 'V3' };
const MAX_UINT32 = 4294967295;

function stringMatcher(m: StringMatch): Json {
  if ('exact' in m) return { exact: m.exact };
  if ('prefix' in m) return { prefix: m.prefix };
  return { safeRegex: { regex: m.regex } };
}

function headerMatcher(h: HeaderMatcher): Json {
  const out: Json = { name: h.name };
  if (h.match) out.stringMatch = stringMatcher(h.match);
  else out.presentMatch = true;
  if (h.invert) out.invertMatch = true;
  return out;
}

function routeMatch(r: Route): Json {
  const m = r.match;
  const out: Json = {};
  const p = m.path ?? { prefix: '/' };
  if ('prefix' in p) out.prefix = p.prefix;
  else if ('exact' in p) out.path = p.exact;
  else out.safeRegex = { regex: p.regex };
  if (m.ignoreUriCase) out.caseSensitive = false;
  if (m.headers.length) out.headers = m.headers.map(headerMatcher);
  if (m.queryParams.length) out.queryParameters = m.queryParams.map((q) => (q.match ? { name: q.name, stringMatch: stringMatcher(q.match) } : { name: q.name, presentMatch: true }));
  return out;
}

function headersToAdd(set: Record<string, string> | undefined, add: Record<string, string> | undefined): Json[] {
  const out: Json[] = [];
  for (const [key, value] of Object.entries(set ?? {})) out.push({ header: { key, value }, appendAction: 'OVERWRITE_IF_EXISTS_OR_ADD' });
  for (const [key, value] of Object.entries(add ?? {})) out.push({ header: { key, value } });
  return out;
}

function routeJson(r: Route, origin: string | undefined): Json {
  const out: Json = {};
  if (r.name) out.name = r.name;
  out.match = routeMatch(r);
  const a = r.action;
  if (a.type === 'route') {
    const action: Json = {};
    if (a.clusters.length === 1) action.cluster = a.clusters[0].cluster;
    else action.weightedClusters = { clusters: a.clusters.map((c) => ({ name: c.cluster, weight: c.weight })) };
    if (a.prefixRewrite !== undefined) action.prefixRewrite = a.prefixRewrite;
    if (a.regexRewrite) action.regexRewrite = { pattern: { regex: a.regexRewrite.pattern }, substitution: a.regexRewrite.substitution };
    if (a.hostRewrite) action.hostRewriteLiteral = a.hostRewrite;
    action.timeout = protoDuration(a.timeoutMs);
    if (a.retry) {
      const retry: Json = { retryOn: a.retry.retryOn.join(','), numRetries: a.retry.attempts };
      if (a.retry.perTryTimeoutMs !== undefined) retry.perTryTimeout = protoDuration(a.retry.perTryTimeoutMs);
      retry.retryHostPredicate = [{ name: 'envoy.retry_host_predicates.previous_hosts', typedConfig: { '@type': 'type.googleapis.com/envoy.extensions.retry.host.previous_hosts.v3.PreviousHostsPredicate' } }];
      retry.hostSelectionRetryMaxAttempts = '5';
      if (a.retry.retriableStatusCodes?.length) retry.retriableStatusCodes = a.retry.retriableStatusCodes;
      action.retryPolicy = retry;
    }
    if (a.mirror) action.requestMirrorPolicies = [{ cluster: a.mirror.cluster, runtimeFraction: { defaultValue: fractionalPercent(a.mirror.percentage) }, traceSampled: false }];
    action.maxStreamDuration = { maxStreamDuration: '0s', grpcTimeoutHeaderMax: '0s' };
    out.route = action;
  } else if (a.type === 'redirect') {
    const redirect: Json = {};
    if (a.schemeRedirect) redirect.schemeRedirect = a.schemeRedirect;
    if (a.hostRedirect) redirect.hostRedirect = a.hostRedirect;
    if (a.portRedirect) redirect.portRedirect = a.portRedirect;
    if (a.pathRedirect) redirect.pathRedirect = a.pathRedirect;
    // MOVED_PERMANENTLY (301) is the enum's zero value and protojson leaves it out
    const codes: Record<number, string> = { 302: 'FOUND', 303: 'SEE_OTHER', 307: 'TEMPORARY_REDIRECT', 308: 'PERMANENT_REDIRECT' };
    if (codes[a.responseCode]) redirect.responseCode = codes[a.responseCode];
    out.redirect = redirect;
  } else {
    out.directResponse = a.body !== undefined ? { status: a.status, body: { inlineString: a.body } } : { status: a.status };
  }
  if (origin) {
    const [ns, name] = origin.split('/');
    out.metadata = { filterMetadata: { istio: { config: `/apis/networking.istio.io/v1/namespaces/${ns}/virtual-service/${name}` } } };
  }
  const first = a.type === 'route' ? a.clusters[0] : undefined;
  if (first && first.cluster.includes('|')) {
    const [, port, , host] = first.cluster.split('|');
    out.decorator = { operation: `${host}:${port}/*` };
  }
  if (r.fault) {
    const fault: Json = { '@type': 'type.googleapis.com/envoy.extensions.filters.http.fault.v3.HTTPFault' };
    if (r.fault.delay) fault.delay = { fixedDelay: protoDuration(r.fault.delay.fixedDelayMs), percentage: fractionalPercent(r.fault.delay.percentage) };
    if (r.fault.abort) fault.abort = { httpStatus: r.fault.abort.httpStatus, percentage: fractionalPercent(r.fault.abort.percentage) };
    out.typedPerFilterConfig = { 'envoy.filters.http.fault': fault };
  }
  const reqAdd = headersToAdd(r.requestHeaders?.set, r.requestHeaders?.add);
  if (reqAdd.length) out.requestHeadersToAdd = reqAdd;
  const respAdd = headersToAdd(r.responseHeaders?.set, r.responseHeaders?.add);
  if (respAdd.length) out.responseHeadersToAdd = respAdd;
  if (r.responseHeaders?.remove?.length) out.responseHeadersToRemove = r.responseHeaders.remove;
  if (r.requestHeaders?.remove?.length) out.requestHeadersToRemove = r.requestHeaders.remove;
  return out;
}

/** A RouteConfiguration as RDS sends it. */
export function routeConfigJson(rc: RouteConfiguration): Json {
  return {
    name: rc.name,
    virtualHosts: rc.virtualHosts.map((vh) => {
      const out: Json = { name: vh.name, domains: vh.domains, routes: vh.routes.map((r) => routeJson(r, r.origin)) };
      if (vh.requireTls) out.requireTls = 'ALL';
      out.includeRequestAttemptCount = true;
      return out;
    }),
    validateClusters: false,
    maxDirectResponseBodySizeBytes: 1048576,
    ignorePortInHostMatching: true,
  };
}

const CLUSTER_TYPES: Record<Cluster['type'], string | undefined> = { STATIC: undefined, STRICT_DNS: 'STRICT_DNS', EDS: 'EDS', ORIGINAL_DST: 'ORIGINAL_DST' };

/** A Cluster as CDS sends it. */
export function clusterJson(c: Cluster, cla: ClusterLoadAssignment | undefined): Json {
  const out: Json = { name: c.name };
  // STATIC is the enum's zero value: protojson leaves it out
  if (CLUSTER_TYPES[c.type]) out.type = CLUSTER_TYPES[c.type];
  if (c.type === 'EDS') out.edsClusterConfig = { edsConfig: ADS_CONFIG, serviceName: c.name };
  out.connectTimeout = '10s';
  // ROUND_ROBIN is the zero value; ORIGINAL_DST clusters use CLUSTER_PROVIDED
  const lb = c.type === 'ORIGINAL_DST' ? 'CLUSTER_PROVIDED' : c.lbPolicy === 'PASSTHROUGH' || c.lbPolicy === 'ROUND_ROBIN' ? undefined : c.lbPolicy;
  if (lb) out.lbPolicy = lb;
  if (c.type === 'STRICT_DNS' && cla)
    out.loadAssignment = {
      clusterName: c.name,
      endpoints: [{ locality: {}, lbEndpoints: cla.endpoints.map((e) => ({ endpoint: { address: { socketAddress: { address: e.hostname ?? e.address, portValue: e.port } } }, loadBalancingWeight: 1 })), loadBalancingWeight: cla.endpoints.length }],
    };
  if (c.name !== 'BlackHoleCluster') {
    const pool = c.connectionPool;
    out.circuitBreakers = {
      thresholds: [
        {
          maxConnections: pool?.maxConnections ?? MAX_UINT32,
          maxPendingRequests: pool?.http1MaxPendingRequests ?? MAX_UINT32,
          maxRequests: pool?.http2MaxRequests ?? MAX_UINT32,
          maxRetries: MAX_UINT32,
          trackRemaining: true,
        },
      ],
    };
  }
  if (c.type === 'STRICT_DNS') {
    out.dnsLookupFamily = 'V4_ONLY';
    out.respectDnsTtl = true;
  }
  if (c.outlierDetection) {
    const o = c.outlierDetection;
    out.outlierDetection = {
      consecutive5xx: o.consecutive5xxErrors,
      interval: protoDuration(o.intervalMs),
      baseEjectionTime: protoDuration(o.baseEjectionTimeMs),
      maxEjectionPercent: o.maxEjectionPercent,
      enforcingConsecutive5xx: 100,
      enforcingSuccessRate: 0,
      ...(o.consecutiveGatewayErrors !== undefined ? { consecutiveGatewayFailure: o.consecutiveGatewayErrors, enforcingConsecutiveGatewayFailure: 100 } : {}),
    };
  }
  if (c.direction !== 'none') out.commonLbConfig = {};
  if (c.serviceHost) {
    const [name, namespace] = c.serviceHost.split('.');
    const istio: Json = {};
    if (c.destinationRule) {
      const [drNs, drName] = c.destinationRule.split('/');
      istio.config = `/apis/networking.istio.io/v1/namespaces/${drNs}/destination-rule/${drName}`;
    }
    istio.services = [{ host: c.serviceHost, name, namespace }];
    if (c.subset) istio.subset = c.subset;
    out.metadata = { filterMetadata: { istio } };
  }
  if (c.tlsMode === 'ISTIO_MUTUAL')
    out.transportSocketMatches = [
      { name: 'tlsMode-istio', match: { tlsMode: 'istio' }, transportSocket: { name: 'envoy.transport_sockets.tls', typedConfig: { '@type': 'type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext', sni: `outbound_.${c.port}_.${c.subset ?? ''}_.${c.serviceHost ?? ''}` } } },
      { name: 'tlsMode-disabled', match: {}, transportSocket: { name: 'envoy.transport_sockets.raw_buffer', typedConfig: { '@type': 'type.googleapis.com/envoy.extensions.transport_sockets.raw_buffer.v3.RawBuffer' } } },
    ];
  else if (c.tlsMode === 'SIMPLE' || c.tlsMode === 'MUTUAL')
    out.transportSocket = { name: 'envoy.transport_sockets.tls', typedConfig: { '@type': 'type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext', sni: c.sni ?? c.serviceHost ?? '' } };
  return out;
}

function socketAddress(address: string, port: number): Json {
  return { socketAddress: { address, portValue: port } };
}

function tcpProxy(cluster: string): Json {
  return { name: 'envoy.filters.network.tcp_proxy', typedConfig: { '@type': 'type.googleapis.com/envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy', statPrefix: cluster, cluster } };
}

/** tcp_proxy of weighted destinations (buildOutboundNetworkFilters: weighted_clusters when there are several). */
function tcpProxyRoute(clusters: { cluster: string; weight: number }[]): Json {
  if (clusters.length === 1) return tcpProxy(clusters[0].cluster);
  return {
    name: 'envoy.filters.network.tcp_proxy',
    typedConfig: { '@type': 'type.googleapis.com/envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy', statPrefix: 'weighted', weightedClusters: { clusters: clusters.map((c) => ({ name: c.cluster, weight: c.weight })) } },
  };
}

function httpConnectionManager(statPrefix: string, routeConfigName: string): Json {
  return {
    name: 'envoy.filters.network.http_connection_manager',
    typedConfig: { '@type': 'type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager', statPrefix, rds: { configSource: ADS_CONFIG, routeConfigName } },
  };
}

/** A Listener as LDS sends it (the filter chains' matches and their network filters). */
export function listenerJson(l: Listener): Json {
  const virtualPort = l.name === 'virtualOutbound' ? 15001 : l.name === 'virtualInbound' ? 15006 : l.port;
  const out: Json = { name: l.name, address: socketAddress(l.address, virtualPort) };
  const chains: Json[] = [];
  const prefix = `outbound_${l.address}_${l.port}`;
  for (const [sni, cluster] of Object.entries(l.sniClusters ?? {})) chains.push({ filterChainMatch: { serverNames: [sni] }, filters: [tcpProxy(cluster)] });
  for (const c of l.passthroughChains ?? []) chains.push({ filterChainMatch: { serverNames: c.serverNames }, filters: [tcpProxyRoute(c.clusters)] });
  if (l.tcpRoute) chains.push({ filters: [tcpProxyRoute(l.tcpRoute.clusters)] });
  for (const c of l.filterChains ?? []) chains.push({ filterChainMatch: { serverNames: c.serverNames }, filters: [c.tcpRoute ? tcpProxyRoute(c.tcpRoute.clusters) : httpConnectionManager(prefix, c.routeConfigName ?? '')] });
  if (l.routeConfigName)
    chains.push(l.kind === 'gateway' ? { filters: [httpConnectionManager(prefix, l.routeConfigName)] } : { filterChainMatch: { transportProtocol: 'raw_buffer', applicationProtocols: ['http/1.1', 'h2c'] }, filters: [httpConnectionManager(prefix, l.routeConfigName)] });
  if (l.tcpCluster) chains.push({ filters: [tcpProxy(l.tcpCluster)] });
  if (chains.length) out.filterChains = chains;
  if (l.kind === 'outbound' && l.name !== 'virtualOutbound' && !l.tcpCluster) out.defaultFilterChain = { filters: [tcpProxy('PassthroughCluster')] };
  if (l.name === 'virtualOutbound' || l.name === 'virtualInbound') out.useOriginalDst = true;
  if (l.kind !== 'gateway') out.trafficDirection = l.kind === 'inbound' ? 'INBOUND' : 'OUTBOUND';
  if (l.kind === 'outbound' && l.name !== 'virtualOutbound') out.bindToPort = false;
  return out;
}

/** What `proxy-config endpoints -o json` prints: Envoy's /clusters?format=json host statuses. */
export function endpointsJson(cla: ClusterLoadAssignment): Json {
  return {
    name: cla.clusterName,
    addedViaApi: true,
    hostStatuses: cla.endpoints.map((e) => ({
      address: socketAddress(e.address, e.port),
      healthStatus: { edsHealthStatus: e.healthy ? 'HEALTHY' : 'UNHEALTHY' },
      weight: 1,
      locality: {},
    })),
  };
}

/** json.MarshalIndent(…, "", "    ") and the newline Fprintln adds. */
export function printJson(value: unknown): string {
  return `${JSON.stringify(value, null, 4)}\n`;
}
