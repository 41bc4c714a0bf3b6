/**
 * The configuration istiod computes for one proxy, shaped after Envoy's xDS resources
 * (LDS listeners, RDS route configurations, CDS clusters, EDS endpoints), reduced to the
 * fields the simulation uses. `istioctl proxy-config` prints these.
 */

export type StringMatch = { exact: string } | { prefix: string } | { regex: string };

export interface HeaderMatcher {
  name: string;
  match?: StringMatch; // absent: presence match
  invert?: boolean;
}

export interface RouteMatch {
  /** Path match; absent matches every path (Envoy's prefix "/"). */
  path?: StringMatch;
  ignoreUriCase?: boolean;
  headers: HeaderMatcher[];
  queryParams: { name: string; match?: StringMatch }[];
}

export interface HeaderOps {
  set?: Record<string, string>;
  add?: Record<string, string>;
  remove?: string[];
}

export interface WeightedCluster {
  cluster: string;
  weight: number;
  /** Destination host as written in the VirtualService (for logs and proxy-config). */
  host: string;
  requestHeaders?: HeaderOps;
  responseHeaders?: HeaderOps;
}

export interface RetryPolicy {
  attempts: number;
  perTryTimeoutMs?: number;
  retryOn: string[];
  /** Envoy's retriable_status_codes: what `retriable-status-codes` retries (Istio: the numbers in retryOn). */
  retriableStatusCodes?: number[];
}

export interface FaultPolicy {
  delay?: { fixedDelayMs: number; percentage: number };
  abort?: { httpStatus: number; percentage: number };
}

export interface RouteAction {
  type: 'route';
  clusters: WeightedCluster[];
  prefixRewrite?: string;
  regexRewrite?: { pattern: string; substitution: string };
  hostRewrite?: string;
  timeoutMs: number; // 0 = no timeout (Istio's default for HTTP routes)
  retry?: RetryPolicy;
  mirror?: { cluster: string; percentage: number };
}

export interface RedirectAction {
  type: 'redirect';
  pathRedirect?: string;
  hostRedirect?: string;
  schemeRedirect?: string;
  portRedirect?: number;
  responseCode: number;
}

export interface DirectResponseAction {
  type: 'direct';
  status: number;
  body?: string;
}

export interface Route {
  /** HTTPRoute.name from the VirtualService, "default" for Istio's generated routes, or absent. */
  name?: string;
  match: RouteMatch;
  action: RouteAction | RedirectAction | DirectResponseAction;
  requestHeaders?: HeaderOps;
  responseHeaders?: HeaderOps;
  fault?: FaultPolicy;
  /** Where the route came from: "demo/service-a" for a VirtualService. */
  origin?: string;
  /** The index of the VirtualService's http[] rule this route was made from (for the traffic view). */
  rule?: number;
}

export interface VirtualHost {
  name: string;
  domains: string[];
  routes: Route[];
  /** Gateway server with tls.httpsRedirect: every plaintext request gets 301 to https. */
  requireTls?: boolean;
}

export interface RouteConfiguration {
  name: string;
  virtualHosts: VirtualHost[];
}

export type ListenerKind = 'outbound' | 'inbound' | 'gateway';

export interface Listener {
  name: string; // 0.0.0.0_80, virtualInbound, 0.0.0.0_8080
  address: string;
  port: number;
  kind: ListenerKind;
  /** HTTP listeners: the route configuration to use (RDS name). */
  routeConfigName?: string;
  /** TLS-terminating gateway listeners: one filter chain per server, chosen by SNI. */
  filterChains?: TlsFilterChain[];
  /** TCP proxy (per-IP listeners of TCP ports, and the TCP fallback of sniffed ports). */
  tcpCluster?: string;
  /** TLS origination by the app (https to a ServiceEntry host): SNI → cluster. */
  sniClusters?: Record<string, string>;
  /** SNI → weighted clusters, for a mesh VirtualService tls route with several destinations. */
  sniSplits?: Record<string, { cluster: string; weight: number }[]>;
  /** Gateway servers with tls.mode PASSTHROUGH: SNI-matched filter chains with a tcp_proxy each. */
  passthroughChains?: PassthroughFilterChain[];
  /** A gateway's TCP server: the tcp_proxy of the VirtualService tcp route that fits it (weighted clusters). */
  tcpRoute?: { clusters: { cluster: string; weight: number }[]; origin: string };
}

/**
 * A gateway filter chain that does not terminate TLS: it matches the ClientHello's SNI against
 * the VirtualService tls match's sniHosts and proxies the connection, TLS and all, to a cluster
 * (istio/istio pilot/pkg/networking/core/gateway.go buildGatewayNetworkFiltersFromTLSRoutes).
 */
export interface PassthroughFilterChain {
  serverNames: string[];
  /** tcp_proxy's cluster, or weighted_clusters when the tls route has several destinations. */
  clusters: { cluster: string; weight: number }[];
  /** The VirtualService as "namespace/name". */
  origin: string;
}

export interface TlsFilterChain {
  /** SNI names the chain accepts ("*" matches any). */
  serverNames: string[];
  /** Secret (in the gateway's namespace) with the server certificate. */
  credentialName: string;
  /** PEM of tls.crt when the secret exists; undefined makes the handshake fail. */
  certificate?: string;
  /** tls.mode MUTUAL / ISTIO_MUTUAL: the client must present a certificate this CA bundle verifies. */
  clientCa?: string;
  mode: 'SIMPLE' | 'MUTUAL' | 'ISTIO_MUTUAL';
  /** An HTTPS server: the HTTP connection manager's route configuration (RDS name). */
  routeConfigName?: string;
  /**
   * A TLS server that terminates (SIMPLE, MUTUAL, ISTIO_MUTUAL): after the handshake the plaintext
   * stream goes to the tcp_proxy of the VirtualService tcp route that fits the server
   * (istio/istio pilot/pkg/networking/core/gateway.go createGatewayTCPFilterChainOpts, "TCP with TLS termination").
   */
  tcpRoute?: { clusters: { cluster: string; weight: number }[]; origin: string };
}

export type LbPolicy = 'ROUND_ROBIN' | 'LEAST_REQUEST' | 'RANDOM' | 'PASSTHROUGH' | 'RING_HASH';

export interface ConsistentHash {
  httpHeaderName?: string;
  httpCookie?: string;
  useSourceIp?: boolean;
  httpQueryParameterName?: string;
}

export interface ConnectionPool {
  maxConnections?: number;
  http1MaxPendingRequests?: number;
  maxRequestsPerConnection?: number;
  http2MaxRequests?: number;
}

export interface OutlierDetection {
  consecutive5xxErrors: number;
  consecutiveGatewayErrors?: number;
  intervalMs: number;
  baseEjectionTimeMs: number;
  maxEjectionPercent: number;
}

export interface Cluster {
  /** outbound|80|v1|service-a.demo.svc.cluster.local, inbound|9090||, PassthroughCluster, BlackHoleCluster */
  name: string;
  type: 'EDS' | 'ORIGINAL_DST' | 'STATIC' | 'STRICT_DNS';
  direction: 'outbound' | 'inbound' | 'none';
  serviceHost?: string;
  port?: number;
  subset?: string;
  lbPolicy: LbPolicy;
  consistentHash?: ConsistentHash;
  connectionPool?: ConnectionPool;
  outlierDetection?: OutlierDetection;
  /**
   * ISTIO_MUTUAL when both sides have sidecars (auto mTLS); SIMPLE/MUTUAL: the proxy originates TLS
   * to the endpoint (DestinationRule tls), with `sni` or else the service host as the server name.
   */
  tlsMode: 'ISTIO_MUTUAL' | 'DISABLE' | 'SIMPLE' | 'MUTUAL';
  sni?: string;
  /** Which DestinationRule shaped this cluster, for proxy-config output. */
  destinationRule?: string;
  /**
   * The upstream connection speaks HTTP/2: the service port's protocol is HTTP2 or GRPC (a port named
   * `http2`, `grpc`, …), as istio/istio pilot/pkg/networking/core/cluster_builder.go setUpstreamProtocol
   * sets http2_protocol_options for `port.Protocol.IsHTTP2()`.
   */
  http2?: boolean;
}

export interface LbEndpoint {
  address: string;
  port: number;
  healthy: boolean;
  /** Namespace/name of the pod behind the address, if any. */
  pod?: string;
  /** Endpoint has an Istio sidecar (mTLS possible). */
  istio: boolean;
  /** An external host reached by DNS (ServiceEntry resolution DNS). */
  hostname?: string;
  labels: Record<string, string>;
}

export interface ClusterLoadAssignment {
  clusterName: string;
  endpoints: LbEndpoint[];
}

export interface ProxyConfig {
  /** pod-name.namespace, as istioctl names proxies. */
  id: string;
  type: 'sidecar' | 'router';
  podIp: string;
  namespace: string;
  labels: Record<string, string>;
  listeners: Listener[];
  routes: Map<string, RouteConfiguration>;
  clusters: Map<string, Cluster>;
  endpoints: Map<string, ClusterLoadAssignment>;
  accessLogFile: string;
  accessLogEncoding: 'TEXT' | 'JSON';
  /** Telemetry accessLogging for this workload, when a Telemetry resource decides it (client = outbound/gateway, server = inbound). */
  accessLog?: { client: boolean; server: boolean; clientFilter?: string; serverFilter?: string };
  outboundTrafficPolicy: 'ALLOW_ANY' | 'REGISTRY_ONLY';
  /** This workload's SPIFFE identity (from its service account). */
  principal: string;
  /** Effective PeerAuthentication mode on inbound. */
  mtlsMode: 'STRICT' | 'PERMISSIVE' | 'DISABLE';
  /** PeerAuthentication portLevelMtls: the mode on a container port, over mtlsMode. */
  mtlsPorts?: Record<number, 'STRICT' | 'PERMISSIVE' | 'DISABLE'>;
  /** AuthorizationPolicies that select this workload. */
  authorization: import('./rbac').RbacPolicy[];
  /** jwt_authn providers from the RequestAuthentications selecting this workload. */
  jwtProviders: import('../pki/jwt').JwtProvider[];
  /** What the EnvoyFilters selecting this workload add that the sandbox executes (local rate limits). */
  envoyFilters: import('../controllers/istiod/envoyFilter').EnvoyFilterEffects;
}
