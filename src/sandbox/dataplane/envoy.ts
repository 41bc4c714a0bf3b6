/**
 * One Envoy proxy: a sidecar (outbound + inbound) or a gateway (router). It takes the
 * configuration istiod computed (ProxyConfig) and processes one HTTP request:
 *
 *   listener → route configuration → virtual host (by :authority) → first matching route
 *   → fault injection → weighted cluster → rewrite/headers → endpoint (load balancer,
 *   outlier detection) → upstream, with retries and timeouts → access-log line.
 */
import type { Random } from '../core/random';
import { uuid } from '../core/random';
import type { HttpRequest, HttpResponse, HttpResult, NetError } from '../network/http';
import { httpDate, isNetError, splitPathQuery } from '../network/http';
import { formatAccessLog, formatAccessLogJson, type AccessLogEntry } from './accessLog';
import { celAllows } from './celFilter';
import { endpointKey, fnv1a, hashKeyFor, newLbState, pickEndpoint, type LbState } from './loadBalancer';
import { isEjected, recordResult, type OutlierHostState, type OutlierState } from './outlierDetection';
import { ResponseCodeDetails as D, ResponseFlag as F } from './responseFlags';
import { authorize, authorizeTcp } from './rbac';
import { authenticate, wwwAuthenticate } from './jwtAuthn';
import { consume, newBucket, type LocalRateLimitConfig, type TokenBucketState } from './localRateLimit';
import { serverClientCheck } from '../pki/tls';
import { pickWeighted, rewritePath, selectRoute, selectVirtualHost } from './route';
import type { ProxyEvent } from '../network/traffic';
import type { Cluster, HeaderOps, LbEndpoint, PassthroughFilterChain, ProxyConfig, Route, RouteAction, TlsFilterChain } from './types';

export interface Peer {
  ip: string;
  port: number;
}

/** Istio's default upstream connect timeout (meshConfig.connectTimeout: 10s). */
const ISTIO_CONNECT_TIMEOUT_MS = 10_000;

/** What the proxy needs from the network around it. */
export interface ProxyHost {
  /** Opens a connection from this proxy to an upstream endpoint and sends the request. */
  forward(req: HttpRequest, to: { address: string; port: number; hostname?: string }, from: Peer, tls: { sni?: string; principal?: string }, startMs: number): HttpResult;
  /** DNS for STRICT_DNS clusters (ServiceEntry resolution: DNS): the address the upstream host resolves to. */
  resolve(hostname: string): string | undefined;
  /** Inbound: hands the request to the application container on localhost:port. */
  deliverLocal(req: HttpRequest, port: number, from: Peer, startMs: number): HttpResult;
  /** Fires a mirrored request; its response is ignored. */
  mirror(req: HttpRequest, cluster: string, startMs: number): void;
  /** Appends a line to the istio-proxy container's log. */
  log(line: string, atMs: number): void;
  /** Every request the proxy finishes, as a structured record (the traffic view), access log on or off. */
  trace?(e: ProxyEvent): void;
  rng: Random;
  now(): number;
}

export interface ProxyState {
  lb: Map<string, LbState>;
  outlier: Map<string, OutlierState>;
  /** Requests in flight per cluster as [start, end) in virtual time (connection-pool limits). */
  inflight: Map<string, { start: number; end: number }[]>;
  /** Local rate limit token buckets, per filter instance (listener) or per route config. */
  buckets: Map<string, TokenBucketState>;
}

export function newProxyState(): ProxyState {
  return { lb: new Map(), outlier: new Map(), inflight: new Map(), buckets: new Map() };
}

/**
 * A proxy's data-plane state in a snapshot (keyed by cluster name): round-robin cursors and
 * active requests, outlier-detection records (ejections), requests in flight, stats counters.
 */
export interface EnvoySnapshot {
  lb: Record<string, { rrIndex: number; active: Record<string, number> }>;
  outlier: Record<string, Record<string, OutlierHostState>>;
  inflight: Record<string, { start: number; end: number }[]>;
  stats: Record<string, number>;
  buckets?: Record<string, TokenBucketState>;
}

const mapValues = <A, B>(m: Map<string, A>, f: (a: A) => B): Record<string, B> => Object.fromEntries([...m].map(([k, v]) => [k, f(v)]));

/** Clears `target` and fills it from a snapshot's record. */
function refill<A, B>(target: Map<string, B>, from: Record<string, A>, f: (a: A) => B): void {
  target.clear();
  for (const [k, v] of Object.entries(from)) target.set(k, f(v));
}

/**
 * Circuit breaking: how many requests may be active on a cluster at once. HTTP/1.1 allows
 * maxConnections active plus http1MaxPendingRequests queued; http2MaxRequests caps the
 * total. Envoy's defaults are 1024 for each, so only a DestinationRule makes it bite.
 */
export function requestCapacity(pool: Cluster['connectionPool']): number {
  if (!pool) return Infinity;
  const conns = pool.maxConnections ?? 1024;
  const pending = pool.http1MaxPendingRequests ?? 1024;
  return Math.min(conns + pending, pool.http2MaxRequests ?? 1024);
}

function applyHeaderOps(h: Record<string, string>, ops: HeaderOps | undefined): void {
  if (!ops) return;
  for (const k of ops.remove ?? []) delete h[k.toLowerCase()];
  for (const [k, v] of Object.entries(ops.set ?? {})) h[k.toLowerCase()] = v;
  for (const [k, v] of Object.entries(ops.add ?? {})) {
    const key = k.toLowerCase();
    h[key] = h[key] ? `${h[key]},${v}` : v;
  }
}

function envoyResponse(status: number, body: string, durationMs: number, extra: Record<string, string> = {}): HttpResponse {
  const headers: Record<string, string> = body ? { 'content-length': String(body.length), 'content-type': 'text/plain' } : { 'content-length': '0' };
  return { status, headers: { ...headers, ...extra }, body, durationMs };
}

/**
 * The host of a redirect's location when the route does not set one: the request's Host, keeping its
 * port unless a port_redirect replaces it or the scheme changes away from the port's default
 * (envoyproxy/envoy source/common/router/config_impl.cc, RouteEntryImplBase::processRequestHost).
 */
export function redirectHost(requestHost: string, requestProto: string, newScheme: string, newPort: string): string {
  const portStart = requestHost.startsWith('[') ? (requestHost.lastIndexOf(']:') < 0 ? -1 : requestHost.lastIndexOf(']:') + 1) : requestHost.lastIndexOf(':');
  if (portStart < 0) return requestHost;
  const requestPort = requestHost.slice(portStart);
  let removePort = newPort !== '';
  if (newScheme !== requestProto) removePort ||= (requestProto === 'https' && requestPort === ':443') || (requestProto === 'http' && requestPort === ':80');
  return removePort ? requestHost.slice(0, portStart) : requestHost;
}

/** A mirrored request's Host: "-shadow" appended to the host, before any port (envoy source/common/http/utility.cc, shadowAppendedHost). */
export function shadowHost(host: string): string {
  const portStart = host.startsWith('[') ? (host.lastIndexOf(']:') < 0 ? -1 : host.lastIndexOf(']:') + 1) : host.lastIndexOf(':');
  return portStart < 0 ? `${host}-shadow` : `${host.slice(0, portStart)}-shadow${host.slice(portStart)}`;
}

function ephemeralPort(rng: Random): number {
  return 32768 + rng.int(28000);
}

interface AttemptOutcome {
  result: HttpResult;
  flags: string[];
  details: string;
  upstreamHost?: string;
  upstreamLocal?: string;
  upstreamFailure?: string;
  elapsed: number;
  /** The connection to the endpoint was Istio mTLS (the traffic view). */
  mtls?: boolean;
  /** How many attempts the router made (the traffic view's retries). */
  attempts?: number;
}

/** What the traffic view learns of a routed request beside its access-log line. */
type TraceContext = Pick<ProxyEvent, 'route' | 'attempts' | 'mtls'>;

// Envoy's router retry conditions on a response (envoyproxy/envoy source/common/router/retry_state_impl.cc)
const RETRIABLE_ON: Record<string, (s: number, codes: number[]) => boolean> = {
  '5xx': (s) => s >= 500,
  'gateway-error': (s) => s === 502 || s === 503 || s === 504,
  'retriable-status-codes': (s, codes) => codes.includes(s),
};

function retriableStatus(retry: { retryOn: string[]; retriableStatusCodes?: number[] }, status: number): boolean {
  return retry.retryOn.some((r) => RETRIABLE_ON[r]?.(status, retry.retriableStatusCodes ?? []));
}

function retriableConnectFailure(retryOn: string[]): boolean {
  return retryOn.some((r) => r === 'connect-failure' || r === '5xx' || r === 'gateway-error' || r === 'reset');
}

export class Envoy {
  readonly state = newProxyState();
  /** Envoy statistics (counters), as `pilot-agent request GET stats` prints them. */
  readonly stats = new Map<string, number>();

  snapshot(): EnvoySnapshot {
    return {
      lb: mapValues(this.state.lb, (l) => ({ rrIndex: l.rrIndex, active: Object.fromEntries(l.active) })),
      outlier: mapValues(this.state.outlier, (o) => mapValues(o, (h) => ({ ...h }))),
      inflight: mapValues(this.state.inflight, (l) => l.map((x) => ({ ...x }))),
      stats: Object.fromEntries(this.stats),
      buckets: mapValues(this.state.buckets, (b) => ({ ...b })),
    };
  }

  restore(s: EnvoySnapshot): void {
    refill(this.state.lb, s.lb, (l) => ({ rrIndex: l.rrIndex, active: new Map(Object.entries(l.active)) }));
    refill(this.state.outlier, s.outlier, (o) => new Map(Object.entries(o).map(([k, h]) => [k, { ...h }])));
    refill(this.state.inflight, s.inflight, (l) => l.map((x) => ({ ...x })));
    refill(this.stats, s.stats, (n) => n);
    refill(this.state.buckets, s.buckets ?? {}, (b) => ({ ...b }));
  }

  private inc(cluster: string, stat: string, by = 1): void {
    const k = `cluster.${cluster}.${stat}`;
    this.stats.set(k, (this.stats.get(k) ?? 0) + by);
  }

  private incListener(listener: string, stat: string): void {
    const k = `listener.${listener}.${stat}`;
    this.stats.set(k, (this.stats.get(k) ?? 0) + 1);
  }

  /** The stats text: counters of every cluster that saw traffic, plus outlier gauges. */
  statsText(now: number): string {
    const lines = new Map(this.stats);
    for (const [cluster, state] of this.state.outlier) {
      let active = 0;
      for (const h of state.values()) if (h.ejectedUntil > now) active++;
      lines.set(`cluster.${cluster}.outlier_detection.ejections_active`, active);
      const k = `cluster.${cluster}.outlier_detection.ejections_enforced_total`;
      if (!lines.has(k)) lines.set(k, 0);
    }
    for (const name of this.config.clusters.keys()) {
      if (!name.startsWith('outbound|') && !name.startsWith('inbound|')) continue;
      for (const st of ['upstream_rq_total', 'upstream_rq_pending_overflow', 'upstream_rq_retry', 'upstream_rq_timeout']) {
        const k = `cluster.${name}.${st}`;
        if (!lines.has(k)) lines.set(k, 0);
      }
    }
    // Envoy creates a local rate limit filter's counters with its config, so they show as 0 before
    // any request (envoyproxy/envoy source/extensions/filters/http/local_ratelimit/local_ratelimit.cc:
    // generateStats, ALL_LOCAL_RATE_LIMIT_STATS(POOL_COUNTER_PREFIX(scope, "<stat_prefix>.http_local_rate_limit"))).
    const gateway = this.config.type === 'router';
    const fx = this.config.envoyFilters;
    for (const p of [...fx.httpFilters, ...fx.routeConfigs]) {
      if (p.context !== 'ANY' && (p.context === 'GATEWAY') !== gateway) continue;
      for (const st of ['enabled', 'enforced', 'ok', 'rate_limited']) {
        const k = `${p.config.statPrefix}.http_local_rate_limit.${st}`;
        if (!lines.has(k)) lines.set(k, 0);
      }
    }
    return [...lines].sort((a, b) => a[0].localeCompare(b[0])).map(([k, v]) => `${k}: ${v}\n`).join('');
  }
  constructor(
    private current: ProxyConfig,
    private readonly host: ProxyHost,
  ) {}

  get config(): ProxyConfig {
    return this.current;
  }

  /**
   * A push from istiod. A cluster whose definition changed is a new cluster in Envoy (CDS
   * replaces it, and its outlier detector starts with no ejections): envoyproxy/envoy
   * source/common/upstream/cluster_manager_impl.cc (addOrUpdateCluster builds a new cluster when
   * the config hash differs). Counters survive: they live in the stats store by name.
   */
  set config(next: ProxyConfig) {
    for (const name of [...this.state.outlier.keys()]) {
      const before = this.current.clusters.get(name);
      const after = next.clusters.get(name);
      if (!after || !before || (before !== after && JSON.stringify(before) !== JSON.stringify(after))) this.state.outlier.delete(name);
    }
    this.current = next;
  }

  /**
   * A request arriving at an outbound listener (sidecar: the app's connection redirected
   * to 15001; gateway: a connection to one of its listener ports).
   * `original` is the destination the downstream connected to (ClusterIP:port, LB IP:port…).
   */
  handleOutbound(reqIn: HttpRequest, original: Peer, downstream: Peer, startMs: number): HttpResult {
    const cfg = this.config;
    const isGateway = cfg.type === 'router';
    // the most specific listener wins: the destination IP's own listener, then 0.0.0.0
    const listener =
      cfg.listeners.find((l) => l.port === original.port && l.address === original.ip && l.kind !== 'inbound') ??
      cfg.listeners.find((l) => l.port === original.port && l.address === '0.0.0.0' && (l.routeConfigName || l.filterChains || l.passthroughChains || l.sniClusters || l.sniSplits || l.tcpCluster || l.tcpRoute));
    // plain TCP from the application (nc): a TCP port's tcp_proxy, else the passthrough/blackhole cluster
    if (reqIn.raw && !isGateway) {
      if (listener?.tcpCluster) return this.tcpProxy(reqIn, listener.tcpCluster, original, downstream, startMs, undefined);
      if (!listener) return this.passthroughTcp(reqIn, original, downstream, startMs);
      return { error: 'EMPTY', message: 'Empty reply from server', durationMs: 0.5 };
    }
    // a gateway's TCP server: tcp_proxy to the tcp route's cluster, one pick per connection
    if (isGateway && listener?.tcpRoute) {
      const target = pickCluster(listener.tcpRoute.clusters, this.host.rng.next());
      if (!target) return { error: 'ECONNRESET', message: 'Connection reset by peer', durationMs: 0.5 };
      return this.tcpProxy(reqIn, target, original, downstream, startMs, undefined);
    }
    if (listener && !isGateway) {
      // TLS from the application (https://…): no HTTP to see; route by SNI or proxy TCP
      if (reqIn.scheme === 'https') {
        const sni = (reqIn.sni ?? reqIn.authority.replace(/:\d+$/, '')).toLowerCase();
        const split = listener.sniSplits?.[sni];
        const byName = split ? pickCluster(split, this.host.rng.next()) : listener.sniClusters?.[sni];
        if (byName) return this.tcpProxy(reqIn, byName, original, downstream, startMs, sni);
        if (listener.tcpCluster) return this.tcpProxy(reqIn, listener.tcpCluster, original, downstream, startMs, undefined);
        return this.passthroughTcp(reqIn, original, downstream, startMs);
      }
      if (!listener.routeConfigName && listener.tcpCluster) return this.tcpProxy(reqIn, listener.tcpCluster, original, downstream, startMs, undefined);
      if (!listener.routeConfigName) return this.passthroughTcp(reqIn, original, downstream, startMs);
    }
    let routeConfigName = listener?.routeConfigName;
    let presented: string | undefined;
    let tlsSni: string | undefined;
    if (listener?.filterChains || listener?.passthroughChains) {
      // TLS inspector: pick the filter chain by SNI; no chain or no certificate → the handshake fails
      if (reqIn.scheme !== 'https') return { error: 'EMPTY', message: 'Empty reply from server', durationMs: 0.5 };
      const sni = (reqIn.sni ?? reqIn.authority.replace(/:\d+$/, '')).toLowerCase();
      type Candidate = { names: string[]; tls?: TlsFilterChain; passthrough?: PassthroughFilterChain };
      const candidates: Candidate[] = [...(listener.filterChains ?? []).map((c) => ({ names: c.serverNames, tls: c })), ...(listener.passthroughChains ?? []).map((c) => ({ names: c.serverNames, passthrough: c }))];
      const picked = bySni(candidates, sni);
      if (picked?.passthrough) {
        // PASSTHROUGH: no TLS context on the chain; tcp_proxy carries the client's TLS to the backend,
        // which terminates it and presents its own certificate
        const target = pickCluster(picked.passthrough.clusters, this.host.rng.next());
        if (!target) return { error: 'ECONNRESET', message: 'TLS handshake failed', durationMs: 0.5 };
        return this.tcpProxy(reqIn, target, original, downstream, startMs, sni);
      }
      if (!picked) {
        // no filter chain for the SNI: Envoy closes the connection, and Istio's listener access log (its
        // filter logs response flag NR only) writes the line (istio/istio pilot/pkg/networking/core/
        // accesslog.go setListenerAccessLog, listenerAccessLogFilter)
        this.writeLog({ ...tcpLogEntry(startMs, { ip: cfg.podIp, port: listener.port }, downstream), flags: [F.NoRouteFound], details: 'filter_chain_not_found', requestedServerName: sni });
        return { error: 'ECONNRESET', message: 'TLS handshake failed', durationMs: 0.5 };
      }
      const chain = picked.tls;
      if (!chain || chain.certificate === undefined) return { error: 'ECONNRESET', message: 'TLS handshake failed', durationMs: 0.5 };
      if (chain.clientCa !== undefined) {
        // MUTUAL: Envoy's require_client_certificate with the credential's CA as validation context
        const alert = serverClientCheck(reqIn.clientCertificate, chain.clientCa, startMs);
        if (alert) {
          this.incListener(listener.name, alert === 'certificate required' ? 'ssl.connection_error' : 'ssl.fail_verify_error');
          return { error: 'ECONNRESET', message: `TLS alert: ${alert}`, durationMs: 1 };
        }
      }
      if (chain.tcpRoute) {
        // a TLS server terminating for a tcp route: the plaintext stream goes to the route's tcp_proxy
        // (gateway.go createGatewayTCPFilterChainOpts), and the client sees the server's certificate
        const target = pickCluster(chain.tcpRoute.clusters, this.host.rng.next());
        if (!target) return { error: 'ECONNRESET', message: 'Connection reset by peer', durationMs: 0.5 };
        const { tlsOnWire: _terminated, ...plain } = reqIn;
        const res = this.tcpProxy({ ...plain, scheme: 'http' }, target, original, downstream, startMs, sni);
        return isNetError(res) ? res : { ...res, tls: { certificate: chain.certificate } };
      }
      routeConfigName = chain.routeConfigName;
      presented = chain.certificate;
      tlsSni = sni;
    }
    if (!listener) {
      if (isGateway) return { error: 'ECONNREFUSED', message: 'Connection refused', durationMs: 0 };
      return this.passthroughTcp(reqIn, original, downstream, startMs);
    }
    // from here on the proxy speaks HTTP: any TLS of the client's has been terminated on this listener
    const { tlsOnWire: _terminated, ...plain } = reqIn;
    const req: HttpRequest = { ...plain, headers: { ...reqIn.headers } };
    if (!req.headers['x-request-id']) req.headers['x-request-id'] = uuid(this.host.rng);
    if (isGateway) {
      req.headers['x-forwarded-for'] = req.headers['x-forwarded-for'] ? `${req.headers['x-forwarded-for']}, ${downstream.ip}` : downstream.ip;
      req.headers['x-forwarded-proto'] = req.scheme;
      req.headers['x-envoy-external-address'] = downstream.ip;
    }
    const local = isGateway ? `${cfg.podIp}:${listener.port}` : `${original.ip}:${original.port}`;
    const base = {
      startTime: startMs,
      method: req.method,
      path: req.path,
      protocol: req.protocol ?? 'HTTP/1.1',
      bytesReceived: req.body.length,
      xForwardedFor: req.headers['x-forwarded-for'],
      userAgent: req.headers['user-agent'],
      requestId: req.headers['x-request-id'],
      authority: req.authority,
      downstreamLocalAddress: local,
      downstreamRemoteAddress: `${downstream.ip}:${downstream.port}`,
      // %REQUESTED_SERVER_NAME%: the SNI of the TLS connection the gateway terminated (envoy
      // source/common/formatter/stream_info_formatter.cc, downstreamAddressProvider().requestedServerName())
      requestedServerName: tlsSni,
    };
    const rc = cfg.routes.get(routeConfigName ?? '');
    const vhost = rc && selectVirtualHost(rc.virtualHosts, req.authority);
    const overhead = 0.4 + this.host.rng.next() * 0.8;
    if (vhost?.requireTls && req.scheme === 'http') {
      const location = `https://${req.authority.replace(/:\d+$/, '')}${req.path}`;
      const res = envoyResponse(301, '', overhead, { location, date: httpDate(startMs + overhead), server: this.serverName() });
      this.writeLog({ ...base, responseCode: 301, flags: [], details: 'direct_response', bytesSent: 0, durationMs: overhead });
      return res;
    }
    const route = vhost && selectRoute(vhost.routes, req);
    if (!route) {
      const res: HttpResponse = { ...envoyResponse(404, '', overhead, { date: httpDate(startMs + overhead), server: this.serverName() }), ...(presented ? { tls: { certificate: presented } } : {}) };
      this.writeLog({ ...base, responseCode: 404, flags: [F.NoRouteFound], details: D.routeNotFound, bytesSent: 0, durationMs: overhead });
      return res;
    }
    const limited = this.localRateLimit(isGateway ? 'GATEWAY' : 'SIDECAR_OUTBOUND', listener.name, listener.port, vhost?.name, route.name, startMs);
    if (limited) {
      const res = this.rateLimitedResponse(limited, startMs + overhead, overhead);
      const act = route.action;
      this.writeLog({ ...base, responseCode: res.status, flags: [F.RateLimited], details: D.localRateLimited, bytesSent: res.body.length, durationMs: overhead, routeName: route.name, upstreamCluster: act.type === 'route' ? act.clusters[0]?.cluster : undefined }, false, { route });
      return presented ? { ...res, tls: { certificate: presented } } : res;
    }
    let routed = req;
    if (isGateway && (cfg.jwtProviders.length || cfg.authorization.length)) {
      const denied = this.authFilters(req, listener.port, downstream.ip, undefined, startMs);
      if ('response' in denied) {
        const act = route.action;
        this.writeLog({ ...base, responseCode: denied.response.status, flags: [], details: denied.details, bytesSent: denied.response.body.length, durationMs: overhead, routeName: route.name, upstreamCluster: act.type === 'route' ? act.clusters[0]?.cluster : undefined }, false, { route });
        return presented ? { ...denied.response, tls: { certificate: presented } } : denied.response;
      }
      routed = denied.req;
    }
    const res = this.routeRequest(routed, route, base, original, overhead, startMs);
    return presented && !isNetError(res) ? { ...res, tls: { certificate: presented } } : res;
  }

  private routeRequest(
    req: HttpRequest,
    route: Route,
    base: Omit<AccessLogEntry, 'responseCode' | 'flags' | 'details' | 'bytesSent' | 'durationMs'>,
    original: Peer,
    overhead: number,
    startMs: number,
  ): HttpResult {
    const flags: string[] = [];
    let elapsed = overhead;
    const rng = this.host.rng;
    const routeName = route.name;
    let trace: TraceContext = { route };
    const fin = (res: HttpResponse, details: string, extra: Partial<AccessLogEntry> = {}): HttpResponse => {
      res.headers.date ??= httpDate(startMs + elapsed);
      res.headers.server = this.serverName();
      applyHeaderOps(res.headers, route.responseHeaders);
      res.durationMs = elapsed;
      this.writeLog({ ...base, responseCode: res.status, flags, details, bytesSent: res.body.length, durationMs: elapsed, routeName, ...extra }, false, trace);
      return res;
    };
    // fault injection (envoy.filters.http.fault runs before the router)
    if (route.fault?.delay && rng.next() * 100 < route.fault.delay.percentage) {
      elapsed += route.fault.delay.fixedDelayMs;
      flags.push(F.DelayInjected);
    }
    if (route.fault?.abort && rng.next() * 100 < route.fault.abort.percentage) {
      flags.push(F.FaultInjected);
      return fin(envoyResponse(route.fault.abort.httpStatus, 'fault filter abort', 0, {}), D.faultAbort);
    }
    const action = route.action;
    if (action.type === 'direct') {
      const res = envoyResponse(action.status, action.body ?? '', 0, {});
      return fin(res, D.directResponse, routeName === 'block_all' ? { upstreamCluster: undefined } : {});
    }
    if (action.type === 'redirect') {
      const scheme = action.schemeRedirect ?? req.scheme;
      const path = action.pathRedirect ?? req.path;
      const port = action.portRedirect ? `:${action.portRedirect}` : '';
      const host = action.hostRedirect ?? redirectHost(req.authority, req.headers['x-forwarded-proto'] ?? req.scheme, scheme, port);
      const res = envoyResponse(action.responseCode, '', 0, { location: `${scheme}://${host}${port}${path}` });
      return fin(res, D.directResponse);
    }
    const wc = pickWeighted(action.clusters, rng.next());
    const cluster = wc && this.config.clusters.get(wc.cluster);
    if (!wc || !cluster) {
      flags.push(F.NoClusterFound);
      return fin(envoyResponse(503, '', 0, {}), D.clusterNotFound, { upstreamCluster: wc?.cluster });
    }
    const up: HttpRequest = { ...req, headers: { ...req.headers } };
    const newPath = rewritePath(req.path, route.match, action.prefixRewrite, action.regexRewrite);
    if (newPath !== req.path) {
      up.path = newPath;
      up.headers['x-envoy-original-path'] = req.path;
    }
    if (action.hostRewrite) up.authority = action.hostRewrite;
    applyHeaderOps(up.headers, route.requestHeaders);
    applyHeaderOps(up.headers, wc.requestHeaders);
    if (action.mirror && rng.next() * 100 < action.mirror.percentage)
      this.host.mirror({ ...up, authority: shadowHost(up.authority) }, action.mirror.cluster, startMs + elapsed);

    const outcome = this.sendWithRetries(up, cluster, action, original, startMs + elapsed);
    elapsed += outcome.elapsed;
    flags.push(...outcome.flags);
    trace = { route, attempts: outcome.attempts, mtls: outcome.mtls };
    const logExtra: Partial<AccessLogEntry> = {
      upstreamCluster: cluster.name === 'PassthroughCluster' || cluster.name === 'BlackHoleCluster' ? cluster.name : cluster.name,
      upstreamHost: outcome.upstreamHost,
      upstreamLocalAddress: outcome.upstreamLocal,
      upstreamTransportFailureReason: outcome.upstreamFailure,
    };
    const r = outcome.result;
    if (isNetError(r)) {
      // the downstream gave up (curl --max-time): Envoy logs 0 DC
      flags.push(F.DownstreamConnectionTermination);
      this.writeLog({ ...base, responseCode: 0, flags, details: D.downstreamReset, bytesSent: 0, durationMs: elapsed, routeName, ...logExtra }, false, trace);
      return { ...r, durationMs: elapsed };
    }
    const res: HttpResponse = { ...r, headers: { ...r.headers } };
    if (outcome.details === D.viaUpstream) res.headers['x-envoy-upstream-service-time'] = String(Math.max(0, Math.round(outcome.elapsed - 0.3)));
    // the HTTP connection manager overwrites Server with its server_name
    applyHeaderOps(res.headers, wc.responseHeaders);
    return fin(res, outcome.details, {
      ...logExtra,
      upstreamServiceTimeMs: outcome.details === D.viaUpstream ? Math.max(0, Math.round(outcome.elapsed - 0.3)) : undefined,
    });
  }

  private sendWithRetries(req: HttpRequest, cluster: Cluster, action: RouteAction, original: Peer, startMs: number): AttemptOutcome {
    const retry = action.retry;
    const maxAttempts = 1 + (retry?.attempts ?? 0);
    const retryOn = retry?.retryOn ?? [];
    let elapsed = 0;
    let last: AttemptOutcome | undefined;
    // Istio's retry policy carries the previous_hosts predicate: a retry goes to another endpoint when there is one
    const tried = new Set<string>();
    for (let attempt = 1; attempt <= maxAttempts; attempt++) {
      if (attempt > 1) this.inc(cluster.name, 'upstream_rq_retry');
      const o = this.attempt(req, cluster, original, startMs + elapsed, retry?.perTryTimeoutMs, tried);
      if (o.upstreamHost) tried.add(o.upstreamHost);
      if (o.flags.includes(F.UpstreamOverflow)) return { ...o, elapsed: elapsed + o.elapsed, attempts: attempt };
      elapsed += o.elapsed;
      last = { ...o, elapsed, attempts: attempt };
      // global route timeout
      if (action.timeoutMs > 0 && elapsed >= action.timeoutMs) {
        this.inc(cluster.name, 'upstream_rq_timeout');
        return {
          result: envoyResponse(504, 'upstream request timeout', 0, {}),
          flags: [F.UpstreamRequestTimeout],
          details: D.responseTimeout,
          upstreamHost: o.upstreamHost,
          upstreamLocal: o.upstreamLocal,
          elapsed: action.timeoutMs,
          mtls: o.mtls,
          attempts: attempt,
        };
      }
      const r = o.result;
      // A connection failure (UF: refused, or a failed upstream TLS handshake) is a reset with reason
      // remote connection failure, which retry_on connect-failure covers (envoyproxy/envoy
      // source/common/router/retry_state_impl.cc wouldRetryFromReset)
      const retriable = isNetError(r) || o.flags.includes(F.UpstreamConnectionFailure)
        ? retriableConnectFailure(retryOn)
        : o.details === D.responseTimeout
          ? retryOn.some((x) => x === '5xx' || x === 'gateway-error')
          : o.flags.includes(F.NoHealthyUpstream)
            ? false
            : retriableStatus({ retryOn, retriableStatusCodes: retry?.retriableStatusCodes }, r.status);
      if (!retriable) return last;
      if (attempt === maxAttempts) {
        if (retry && attempt > 1) {
          last.flags = [...last.flags, F.UpstreamRetryLimitExceeded];
          // the local reply of a reset that was retried says so (envoyproxy/envoy source/common/router/router.cc
          // onUpstreamReset: "retried and the latest reset reason: …")
          const prefix = 'upstream connect error or disconnect/reset before headers. reset reason: ';
          const res = last.result as HttpResponse;
          if (!isNetError(last.result) && res.body.startsWith(prefix)) {
            const body = `upstream connect error or disconnect/reset before headers. retried and the latest reset reason: ${res.body.slice(prefix.length)}`;
            last.result = envoyResponse(res.status, body, 0);
          }
        }
        return last;
      }
      // exponential back-off with jitter: 25 ms base
      elapsed += this.host.rng.next() * 25 * 2 ** (attempt - 1);
    }
    return last!;
  }

  private attempt(req: HttpRequest, cluster: Cluster, original: Peer, startMs: number, perTryTimeoutMs?: number, exclude: Set<string> = new Set()): AttemptOutcome {
    const rng = this.host.rng;
    const sourcePort = ephemeralPort(rng);
    const upstreamLocal = `${this.config.podIp}:${sourcePort}`;
    if (cluster.name === 'PassthroughCluster') {
      const r = this.host.forward(req, { address: original.ip, port: original.port }, { ip: this.config.podIp, port: sourcePort }, {}, startMs);
      return this.outcomeOf(r, `${original.ip}:${original.port}`, upstreamLocal);
    }
    if (cluster.name === 'BlackHoleCluster') return { result: envoyResponse(502, '', 0), flags: [], details: D.directResponse, elapsed: 0 };
    const cla = this.config.endpoints.get(cluster.name);
    const now = startMs;
    const outlier = this.state.outlier.get(cluster.name) ?? new Map();
    this.state.outlier.set(cluster.name, outlier);
    let eps: LbEndpoint[] = (cla?.endpoints ?? []).map((e) => ({ ...e, healthy: e.healthy && !isEjected(outlier, endpointKey(e), now) }));
    if (exclude.size && eps.some((e) => e.healthy && !exclude.has(endpointKey(e)))) eps = eps.map((e) => (exclude.has(endpointKey(e)) ? { ...e, healthy: false } : e));
    // connection pool: count the requests of this cluster still in flight at startMs
    const live = (this.state.inflight.get(cluster.name) ?? []).filter((x) => x.end > startMs);
    this.state.inflight.set(cluster.name, live);
    if (live.length >= requestCapacity(cluster.connectionPool)) {
      this.inc(cluster.name, 'upstream_rq_pending_overflow');
      return {
        result: envoyResponse(503, 'upstream connect error or disconnect/reset before headers. reset reason: overflow', 0),
        flags: [F.UpstreamOverflow],
        details: D.overflow,
        elapsed: 0,
      };
    }
    let lbState = this.state.lb.get(cluster.name);
    if (!lbState) {
      lbState = newLbState();
      this.state.lb.set(cluster.name, lbState);
    }
    const { query } = splitPathQuery(req.path);
    const ep = pickEndpoint({
      endpoints: eps,
      policy: cluster.lbPolicy,
      state: lbState,
      draw: () => rng.next(),
      hashKey: hashKeyFor(cluster.consistentHash, req.headers, this.config.podIp, query),
    });
    if (!ep) return { result: envoyResponse(503, 'no healthy upstream', 0), flags: [F.NoHealthyUpstream], details: D.noHealthyUpstream, elapsed: 0 };
    const sni = ep.istio && cluster.tlsMode === 'ISTIO_MUTUAL' && cluster.serviceHost ? `outbound_.${cluster.port}_.${cluster.subset ?? ''}_.${cluster.serviceHost}` : undefined;
    const resolved = ep.hostname ? this.host.resolve(ep.hostname) : undefined;
    const key = resolved ? `${resolved}:${ep.port}` : endpointKey(ep);
    const active = lbState.active;
    active.set(key, (active.get(key) ?? 0) + 1);
    // DestinationRule tls SIMPLE/MUTUAL: the proxy opens TLS to an endpoint outside the mesh, naming
    // the DR's sni or else the service host (istio/istio pilot/pkg/networking/core/cluster_tls.go).
    // The upstream connection has its own protocol: HTTP/1.1 to an http-named port, whatever the downstream
    // negotiated (an HTTP/2 client of the gateway is logged there as HTTP/2, upstream as HTTP/1.1);
    // HTTP/2 to an http2/grpc port (cluster.http2), which the next proxy then logs as HTTP/2.
    const upstreamBase: HttpRequest = cluster.http2 && cluster.direction === 'outbound' ? { ...req, protocol: 'HTTP/2' } : req.protocol ? { ...req, protocol: undefined } : req;
    const upstreamReq = originatesTls(cluster) && !ep.istio && req.scheme === 'http' ? { ...upstreamBase, scheme: 'https' as const, sni: cluster.sni ?? cluster.serviceHost, tlsOnWire: true } : upstreamBase;
    const r = this.host.forward(upstreamReq, { address: resolved ?? ep.address, port: ep.port, hostname: resolved ? undefined : ep.hostname }, { ip: this.config.podIp, port: sourcePort }, sni ? { sni, principal: this.config.principal } : {}, startMs);
    active.set(key, (active.get(key) ?? 1) - 1);
    live.push({ start: startMs, end: startMs + r.durationMs });
    this.inc(cluster.name, 'upstream_rq_total');
    if (!isNetError(r)) this.inc(cluster.name, `upstream_rq_${Math.floor(r.status / 100)}xx`);
    else this.inc(cluster.name, 'upstream_cx_connect_fail');
    let outcome = this.outcomeOf(r, isNetError(r) && r.error === 'ENOTFOUND' ? undefined : key, upstreamLocal);
    if (perTryTimeoutMs !== undefined && outcome.elapsed > perTryTimeoutMs && !isNetError(r))
      outcome = { result: envoyResponse(504, 'upstream request timeout', 0), flags: [F.UpstreamRequestTimeout], details: D.responseTimeout, upstreamHost: key, upstreamLocal, elapsed: perTryTimeoutMs };
    if (cluster.outlierDetection) {
      const status = isNetError(outcome.result) ? 503 : outcome.result.status;
      if (recordResult(outlier, cluster.outlierDetection, key, status, now + outcome.elapsed, eps.length)) this.inc(cluster.name, 'outlier_detection.ejections_enforced_total');
    }
    return { ...outcome, mtls: sni !== undefined };
  }

  private outcomeOf(r: HttpResult, upstreamHost: string | undefined, upstreamLocal: string): AttemptOutcome {
    // The connection was accepted and then closed before any response (e.g. plaintext sent to a STRICT
    // sidecar, which finds no filter chain): Envoy's router resets the stream with reason
    // ConnectionTermination, flag UC (envoyproxy/envoy source/common/router/router.cc onUpstreamReset,
    // source/common/http/utility.cc resetReasonToString "connection termination").
    // TLS the proxy originated met a server that does not speak TLS: the handshake fails, a
    // connection failure (UF) with BoringSSL's reason, as Envoy reports a failed upstream handshake
    if (isNetError(r) && r.error === 'ECONNRESET' && r.message === 'wrong version number') {
      return {
        // the handshake fails when the server's plaintext answer arrives: a remote close while connecting,
        // reset reason "remote connection failure" (envoyproxy/envoy source/common/http/utility.cc
        // resetReasonToString); the response details add the transport failure reason after "|"
        // (source/common/router/router.cc onUpstreamReset, spaces replaced by underscores)
        result: envoyResponse(503, 'upstream connect error or disconnect/reset before headers. reset reason: remote connection failure, transport failure reason: TLS_error:|268435703:SSL routines:OPENSSL_internal:WRONG_VERSION_NUMBER:TLS_error_end', 0),
        flags: [F.UpstreamConnectionFailure],
        details: D.tlsWrongVersion,
        upstreamHost,
        upstreamLocal: undefined,
        upstreamFailure: 'TLS_error:|268435703:SSL_routines:OPENSSL_internal:WRONG_VERSION_NUMBER:TLS_error_end',
        elapsed: r.durationMs + 1,
      };
    }
    if (isNetError(r) && r.error === 'ECONNRESET') {
      return {
        result: envoyResponse(503, 'upstream connect error or disconnect/reset before headers. reset reason: connection termination', 0),
        flags: [F.UpstreamConnectionTermination],
        details: D.connectionTermination,
        upstreamHost,
        upstreamLocal,
        elapsed: r.durationMs + 1,
      };
    }
    if (isNetError(r) && r.error === 'ETIMEDOUT') {
      // nothing answers the SYN (a NetworkPolicy drop, a filtered port): Envoy gives up after the cluster's
      // connect_timeout, Istio's meshConfig.connectTimeout of 10 s (istio/istio pkg/config/mesh/mesh.go
      // DefaultMeshConfig), with reset reason "connection timeout" (envoyproxy/envoy source/common/http/utility.cc
      // resetReasonToString), which retry_on connect-failure retries (source/common/router/retry_state_impl.cc)
      return {
        result: envoyResponse(503, 'upstream connect error or disconnect/reset before headers. reset reason: connection timeout', 0),
        flags: [F.UpstreamConnectionFailure],
        details: D.connectionTimeout,
        upstreamHost,
        upstreamLocal: undefined,
        elapsed: Math.min(r.durationMs, ISTIO_CONNECT_TIMEOUT_MS),
      };
    }
    if (isNetError(r)) {
      if (r.error === 'ECONNREFUSED' || r.error === 'ENOTFOUND' || r.error === 'EMPTY') {
        const body = 'upstream connect error or disconnect/reset before headers. retried and the latest reset reason: remote connection failure, transport failure reason: delayed connect error: Connection refused';
        return {
          result: envoyResponse(503, body, 0),
          flags: [F.UpstreamConnectionFailure],
          details: D.connectionFailure,
          upstreamHost,
          upstreamLocal: undefined,
          upstreamFailure: 'delayed_connect_error:_Connection_refused',
          elapsed: r.durationMs + 1,
        };
      }
    }
    const res = r as HttpResponse;
    return { result: res, flags: [], details: D.viaUpstream, upstreamHost, upstreamLocal, elapsed: res.durationMs + 0.3 };
  }

  /** Envoy's tcp_proxy: one upstream connection to an endpoint of `clusterName`, a TCP access-log line. */
  private tcpProxy(req: HttpRequest, clusterName: string, original: Peer, downstream: Peer, startMs: number, sni: string | undefined): HttpResult {
    const cluster = this.config.clusters.get(clusterName);
    const base: AccessLogEntry = { ...tcpLogEntry(startMs, original, downstream), upstreamCluster: clusterName, requestedServerName: sni };
    if (!cluster) {
      this.writeLog({ ...base, flags: [F.NoClusterFound] });
      return { error: 'ECONNRESET', message: 'Connection reset by peer', durationMs: 0.5 };
    }
    const o = this.attempt(req, cluster, original, startMs);
    const r = o.result;
    if (o.flags.includes(F.NoHealthyUpstream) || o.flags.includes(F.UpstreamConnectionFailure) || o.flags.includes(F.UpstreamOverflow)) {
      this.writeLog({ ...base, flags: o.flags, upstreamHost: o.upstreamHost, durationMs: o.elapsed });
      return { error: 'ECONNRESET', message: 'Connection reset by peer', durationMs: o.elapsed + 0.5 };
    }
    const res = r as HttpResponse;
    const d = o.elapsed + 0.5;
    // "double TLS": the client's own TLS travels inside the TLS the proxy originates; the server
    // answers the inner ClientHello with a plaintext error the client cannot read as TLS
    const doubleTls = originatesTls(cluster) && req.scheme === 'https';
    const handshake = tlsHandshakeBytes(req, res);
    this.writeLog({
      ...base,
      bytesReceived: req.body.length + req.path.length + 80 + handshake.received,
      bytesSent: doubleTls ? 167 : res.body.length + 160 + handshake.sent,
      durationMs: d,
      upstreamHost: o.upstreamHost,
      upstreamLocalAddress: o.upstreamLocal,
    });
    if (doubleTls) return { error: 'ECONNRESET', message: 'wrong version number', durationMs: d };
    return { ...res, durationMs: d };
  }

  /** No HTTP listener on the port: Istio's PassthroughCluster (ALLOW_ANY) or BlackHoleCluster (REGISTRY_ONLY), as TCP. */
  private passthroughTcp(req: HttpRequest, original: Peer, downstream: Peer, startMs: number): HttpResult {
    const cfg = this.config;
    const base = tcpLogEntry(startMs, original, downstream);
    if (cfg.outboundTrafficPolicy === 'REGISTRY_ONLY') {
      this.writeLog({ ...base, flags: [F.NoHealthyUpstream], upstreamCluster: 'BlackHoleCluster' });
      return { error: 'ECONNRESET', message: 'Connection reset by peer', durationMs: 1 };
    }
    const port = ephemeralPort(this.host.rng);
    const r = this.host.forward(req, { address: original.ip, port: original.port }, { ip: cfg.podIp, port }, {}, startMs);
    const d = r.durationMs + 1;
    this.writeLog({
      ...base,
      bytesReceived: req.body.length + req.path.length + 60,
      bytesSent: isNetError(r) ? 0 : r.body.length + 150,
      durationMs: d,
      upstreamHost: `${original.ip}:${original.port}`,
      upstreamCluster: 'PassthroughCluster',
      upstreamLocalAddress: `${cfg.podIp}:${port}`,
      flags: isNetError(r) ? [F.UpstreamConnectionFailure] : [],
    });
    return isNetError(r) ? r : { ...r, durationMs: d };
  }

  /** Inbound: a connection to the pod's IP redirected to 15006 (virtualInbound). */
  handleInbound(req: HttpRequest, port: number, downstream: Peer, mtls: { sni?: string; principal?: string }, startMs: number): HttpResult {
    const cfg = this.config;
    const sni = mtls.sni;
    // PeerAuthentication STRICT: plaintext finds no filter chain; the connection is closed
    const mode = cfg.mtlsPorts?.[port] ?? cfg.mtlsMode;
    if (mode === 'STRICT' && !sni) {
      this.writeLog({
        startTime: startMs,
        method: '-',
        path: '-',
        protocol: '-',
        responseCode: 0,
        flags: [F.NoRouteFound],
        details: 'filter_chain_not_found',
        bytesReceived: 0,
        bytesSent: 0,
        durationMs: 0,
        authority: '',
        downstreamLocalAddress: `${cfg.podIp}:${port}`,
        downstreamRemoteAddress: `${downstream.ip}:${downstream.port}`,
      }, true);
      return { error: 'ECONNRESET', message: 'Connection reset by peer', durationMs: 0.2 };
    }
    // TLS the application terminates itself (a passthrough gateway's or a client's own https): after any
    // mTLS, the sniffed bytes are no HTTP, so the inbound chain is a tcp_proxy to inbound|<port>||
    // (istio/istio pilot/pkg/networking/core/listener_inbound.go: the TCP chain of a sniffed port)
    if (req.tlsOnWire || req.raw) return this.inboundTcp(req, port, downstream, sni, startMs, sni ? mtls.principal : undefined);
    // the inbound HTTP connection manager generates x-request-id when the caller (a client outside the mesh) sent none
    if (!req.headers['x-request-id']) req = { ...req, headers: { ...req.headers, 'x-request-id': uuid(this.host.rng) } };
    const limited = this.localRateLimit('SIDECAR_INBOUND', 'virtualInbound', port, `inbound|http|${port}`, 'default', startMs);
    if (limited) {
      const res = this.rateLimitedResponse(limited, startMs, 0.3);
      this.writeLog({
        ...inboundLogBase(req, cfg.podIp, port, downstream, sni, startMs),
        responseCode: res.status,
        flags: [F.RateLimited],
        details: D.localRateLimited,
        bytesSent: res.body.length,
        durationMs: 0.3,
      }, true);
      return res;
    }
    const denied = this.authFilters(req, port, downstream.ip, sni ? mtls.principal : undefined, startMs);
    if ('response' in denied) {
      this.writeLog({ ...inboundLogBase(req, cfg.podIp, port, downstream, sni, startMs), responseCode: denied.response.status, flags: [], details: denied.details, bytesSent: denied.response.body.length, durationMs: 0.3 }, true);
      return denied.response;
    }
    req = denied.req;
    const upstreamLocalPort = ephemeralPort(this.host.rng);
    // mTLS: the inbound sidecar tells the app who called (x-forwarded-client-cert)
    if (sni && mtls.principal) {
      const hash = Array.from({ length: 8 }, (_, i) => fnv1a(`${mtls.principal}#${i}`).toString(16).padStart(8, '0')).join('');
      req = { ...req, headers: { ...req.headers, 'x-forwarded-client-cert': `By=${cfg.principal};Hash=${hash};Subject="";URI=${mtls.principal}` } };
    }
    const r = this.host.deliverLocal(req, port, { ip: '127.0.0.6', port: upstreamLocalPort }, startMs);
    const overhead = 0.2 + this.host.rng.next() * 0.6;
    const cluster = `inbound|${port}||`;
    const base: AccessLogEntry = {
      startTime: startMs,
      method: req.method,
      path: req.headers['x-envoy-original-path'] ?? req.path,
      protocol: req.protocol ?? 'HTTP/1.1',
      responseCode: 0,
      flags: [],
      details: '',
      bytesReceived: req.body.length,
      bytesSent: 0,
      durationMs: 0,
      xForwardedFor: req.headers['x-forwarded-for'],
      userAgent: req.headers['user-agent'],
      requestId: req.headers['x-request-id'],
      authority: req.authority,
      upstreamHost: `${cfg.podIp}:${port}`,
      upstreamCluster: cluster,
      upstreamLocalAddress: `127.0.0.6:${upstreamLocalPort}`,
      downstreamLocalAddress: `${cfg.podIp}:${port}`,
      downstreamRemoteAddress: `${downstream.ip}:${downstream.port}`,
      requestedServerName: sni,
      routeName: 'default',
    };
    if (isNetError(r)) {
      const body = 'upstream connect error or disconnect/reset before headers. reset reason: connection failure';
      const res = envoyResponse(503, body, overhead + 1);
      this.writeLog({ ...base, responseCode: 503, flags: [F.UpstreamConnectionFailure], details: D.connectionFailure, bytesSent: body.length, durationMs: overhead + 1, upstreamLocalAddress: undefined, upstreamTransportFailureReason: 'delayed_connect_error:_Connection_refused' }, true);
      return res;
    }
    const total = r.durationMs + overhead;
    this.writeLog({ ...base, responseCode: r.status, details: D.viaUpstream, bytesSent: r.body.length, durationMs: total, upstreamServiceTimeMs: r.durationMs }, true);
    const headers = { ...r.headers, 'x-envoy-upstream-service-time': String(Math.round(r.durationMs)), server: 'envoy' };
    return { ...r, headers, durationMs: total };
  }

  /** Inbound tcp_proxy: the connection's bytes to the app on 127.0.0.6 → podIP:port, a TCP access-log line. */
  private inboundTcp(req: HttpRequest, port: number, downstream: Peer, sni: string | undefined, startMs: number, principal?: string): HttpResult {
    const cfg = this.config;
    // the network RBAC filter of the TCP chain (AuthorizationPolicy for TCP traffic): a denied
    // connection is closed before any byte reaches the app
    if (req.raw) {
      const verdict = authorizeTcp(cfg.authorization, { method: '', path: '', host: '', port, headers: {}, sourceIp: downstream.ip, principal });
      if (verdict) {
        this.writeLog({ ...tcpLogEntry(startMs, { ip: cfg.podIp, port }, downstream), requestedServerName: sni, connectionTerminationDetails: `rbac_access_denied_matched_policy[${verdict.by}]` }, true);
        return { error: 'EMPTY', message: '', durationMs: 0.3 };
      }
    }
    const upstreamLocalPort = ephemeralPort(this.host.rng);
    const r = this.host.deliverLocal(req, port, { ip: '127.0.0.6', port: upstreamLocalPort }, startMs);
    const base: AccessLogEntry = {
      ...tcpLogEntry(startMs, { ip: cfg.podIp, port }, downstream),
      upstreamCluster: `inbound|${port}||`,
      upstreamHost: `${cfg.podIp}:${port}`,
      requestedServerName: sni,
    };
    if (isNetError(r)) {
      this.writeLog({ ...base, flags: [F.UpstreamConnectionFailure], durationMs: 0.2, upstreamTransportFailureReason: 'delayed_connect_error:_Connection_refused' }, true);
      return { error: 'ECONNRESET', message: 'Connection reset by peer', durationMs: 0.5 };
    }
    const d = r.durationMs + 0.3;
    const handshake = tlsHandshakeBytes(req, r);
    this.writeLog({ ...base, bytesReceived: req.body.length + req.path.length + 80 + handshake.received, bytesSent: r.body.length + 160 + handshake.sent, durationMs: d, upstreamLocalAddress: `127.0.0.6:${upstreamLocalPort}` }, true);
    return { ...r, durationMs: d };
  }

  /**
   * The HTTP local rate limit filters of this listener (inserted by EnvoyFilter), with any per-route
   * configuration overriding the filter's: the config that rejects the request, or undefined.
   */
  private localRateLimit(context: 'SIDECAR_INBOUND' | 'SIDECAR_OUTBOUND' | 'GATEWAY', listener: string, port: number, vhost: string | undefined, route: string | undefined, now: number): LocalRateLimitConfig | undefined {
    const fx = this.config.envoyFilters;
    const applies = (p: { context: string; portNumber?: number }): boolean => (p.context === 'ANY' || p.context === context) && (p.portNumber === undefined || p.portNumber === port);
    for (const f of fx.httpFilters.filter(applies)) {
      const perRoute = fx.routeConfigs.find((r) => applies(r) && (r.vhostName === undefined || r.vhostName === vhost) && (r.routeName === undefined || r.routeName === route));
      const cfg = perRoute?.config ?? f.config;
      const bucketCfg = cfg.tokenBucket;
      if (!bucketCfg) continue;
      const stat = (k: string): void => {
        const name = `${cfg.statPrefix}.http_local_rate_limit.${k}`;
        this.stats.set(name, (this.stats.get(name) ?? 0) + 1);
      };
      if (this.host.rng.next() * 100 >= cfg.enabledPercent) continue;
      stat('enabled');
      // A changed filter config is a new FilterConfig in Envoy, with its own token bucket that starts
      // full (envoyproxy/envoy source/extensions/filters/http/local_ratelimit/local_ratelimit.cc:
      // the FilterConfig constructor builds the LocalRateLimiterImpl), so the config is part of the key.
      const at = perRoute ? `route|${perRoute.origin}|${vhost ?? ''}|${route ?? ''}` : `filter|${f.origin}|${listener}`;
      const key = `${at}|${JSON.stringify(cfg)}`;
      let bucket = this.state.buckets.get(key);
      if (!bucket) {
        bucket = newBucket(bucketCfg, now);
        this.state.buckets.set(key, bucket);
      }
      if (consume(bucket, bucketCfg, now)) {
        stat('ok');
        continue;
      }
      stat('rate_limited');
      if (this.host.rng.next() * 100 < cfg.enforcedPercent) {
        stat('enforced');
        return cfg;
      }
    }
    return undefined;
  }

  /**
   * The security filters of Istio's HTTP chain, in order: jwt_authn (RequestAuthentication: 401 for
   * a token that fails) then RBAC (AuthorizationPolicy: 403 RBAC: access denied). Returns the
   * request to pass on (without the token header unless forwardOriginalToken) or the local reply.
   */
  private authFilters(req: HttpRequest, port: number, sourceIp: string, principal: string | undefined, startMs: number): { req: HttpRequest } | { response: HttpResponse; details: string } {
    const cfg = this.config;
    const { query } = splitPathQuery(req.path);
    const authn = authenticate(cfg.jwtProviders, req.headers, query, startMs);
    if (authn.outcome === 'deny') {
      const response = envoyResponse(401, authn.message, 0.3, { 'www-authenticate': wwwAuthenticate(req.scheme, req.authority, req.path, false), date: httpDate(startMs), server: this.serverName() });
      return { response, details: `jwt_authn_access_denied{${authn.message.replace(/\s/g, '_')}}` };
    }
    if (authn.outcome === 'ok' && authn.strip) {
      const headers = { ...req.headers };
      delete headers[authn.strip];
      req = { ...req, headers };
    }
    if (cfg.authorization.length) {
      const verdict = authorize(cfg.authorization, {
        method: req.method,
        path: req.path,
        host: req.authority,
        port,
        headers: req.headers,
        sourceIp,
        principal,
        requestPrincipal: authn.outcome === 'ok' ? authn.principal : undefined,
        claims: authn.outcome === 'ok' ? authn.claims : undefined,
      });
      if (verdict) return { response: envoyResponse(403, 'RBAC: access denied', 0.3, { date: httpDate(startMs), server: this.serverName() }), details: `rbac_access_denied_matched_policy[${verdict.by}]` };
    }
    return { req };
  }

  /** The 429 the local rate limit filter answers with (body local_rate_limited, flag RL). */
  private rateLimitedResponse(cfg: LocalRateLimitConfig, startMs: number, durationMs: number): HttpResponse {
    // The filter's response_headers_to_add run in sendLocalReply's modify_headers, on a header map
    // that holds only :status; content-length and content-type follow, date and server come last
    // from the connection manager (envoyproxy/envoy source/common/http/utility.cc prepareLocalReply).
    const added: Record<string, string> = {};
    for (const h of cfg.responseHeaders) added[h.key] = h.append && added[h.key] ? `${added[h.key]},${h.value}` : h.value;
    const res = envoyResponse(cfg.status, 'local_rate_limited', durationMs, { date: httpDate(startMs), server: this.serverName() });
    return { ...res, headers: { ...added, ...res.headers } };
  }

  /** Istio names gateways' HTTP connection managers istio-envoy; sidecars keep Envoy's default. */
  private serverName(): string {
    return this.config.type === 'router' ? 'istio-envoy' : 'envoy';
  }

  /** Access logging: the mesh's accessLogFile, or what Telemetry says for this direction (server = inbound). */
  private writeLog(e: AccessLogEntry, inbound = false, ctx: TraceContext = {}): void {
    this.host.trace?.({ entry: e, inbound, gateway: this.config.type === 'router', ...ctx });
    const al = this.config.accessLog;
    const on = al ? (inbound ? al.server : al.client) : !!this.config.accessLogFile;
    if (!on) return;
    // Telemetry filter.expression: Envoy's CEL access-log filter, the entry is written only when it is true
    const filter = al && (inbound ? al.serverFilter : al.clientFilter);
    if (filter !== undefined && !celAllows(filter, e)) return;
    this.host.log(this.config.accessLogEncoding === 'JSON' ? formatAccessLogJson(e) : formatAccessLog(e), e.startTime + e.durationMs);
  }
}

export type { NetError };

/** The fields of an inbound HTTP access-log line answered by the sidecar itself (no upstream). */
function inboundLogBase(req: HttpRequest, podIp: string, port: number, downstream: Peer, sni: string | undefined, startMs: number): Omit<AccessLogEntry, 'responseCode' | 'flags' | 'details' | 'bytesSent' | 'durationMs'> {
  return {
    startTime: startMs,
    method: req.method,
    path: req.headers['x-envoy-original-path'] ?? req.path,
    protocol: req.protocol ?? 'HTTP/1.1',
    bytesReceived: req.body.length,
    xForwardedFor: req.headers['x-forwarded-for'],
    userAgent: req.headers['user-agent'],
    requestId: req.headers['x-request-id'],
    authority: req.authority,
    upstreamCluster: `inbound|${port}||`,
    downstreamLocalAddress: `${podIp}:${port}`,
    downstreamRemoteAddress: `${downstream.ip}:${downstream.port}`,
    requestedServerName: sni,
    routeName: 'default',
  };
}

/** The fields of a TCP access-log line (no HTTP request) before the outcome is known. */
function tcpLogEntry(startMs: number, original: Peer, downstream: Peer): AccessLogEntry {
  return {
    startTime: startMs,
    method: '-',
    path: '-',
    protocol: '-',
    responseCode: 0,
    flags: [],
    details: '',
    bytesReceived: 0,
    bytesSent: 0,
    durationMs: 0,
    authority: '',
    downstreamLocalAddress: `${original.ip}:${original.port}`,
    downstreamRemoteAddress: `${downstream.ip}:${downstream.port}`,
  };
}

/**
 * Envoy's filter chain match on server_names: an exact name first, then the longest wildcard
 * suffix ("*.example.com"), then a chain without names ("*" here: Istio leaves server_names empty
 * for a gateway host "*") (envoyproxy/envoy source/common/listener_manager/filter_chain_manager_impl.cc,
 * findFilterChainForServerName).
 */
export function bySni<T extends { names: string[] }>(chains: T[], sni: string): T | undefined {
  const exact = chains.find((c) => c.names.some((n) => n.toLowerCase() === sni));
  if (exact) return exact;
  let best: T | undefined;
  let bestLen = -1;
  for (const c of chains)
    for (const n of c.names) {
      const suffix = n.toLowerCase().slice(1);
      if (n.startsWith('*.') && sni.endsWith(suffix) && suffix.length > bestLen) {
        best = c;
        bestLen = suffix.length;
      }
    }
  return best ?? chains.find((c) => c.names.length === 0 || c.names.includes('*'));
}

/** tcp_proxy's weighted_clusters: one cluster by weight (the only one when there is one). */
function pickCluster(clusters: { cluster: string; weight: number }[], draw: number): string | undefined {
  const total = clusters.reduce((a, c) => a + c.weight, 0);
  let x = draw * total;
  for (const c of clusters) {
    if (x < c.weight) return c.cluster;
    x -= c.weight;
  }
  return clusters[clusters.length - 1]?.cluster;
}

/**
 * Bytes a TLS handshake adds to a TCP connection's counters when the proxy carries TLS it does not
 * terminate (an estimate of the records' sizes, not a byte-exact TLS 1.3 transcript): the client's
 * ClientHello and Finished upstream; ServerHello, the certificate chain (its DER size) and Finished back.
 */
function tlsHandshakeBytes(req: HttpRequest, res: HttpResponse): { received: number; sent: number } {
  if (!req.tlsOnWire || !res.tls) return { received: 0, sent: 0 };
  const der = Math.round((res.tls.certificate.replace(/-----[^-]+-----|\s/g, '').length * 3) / 4);
  return { received: 517 + 80, sent: 128 + der + 300 };
}

/** A cluster whose DestinationRule makes the proxy originate TLS (not Istio's mTLS). */
function originatesTls(cluster: Cluster): boolean {
  return cluster.tlsMode === 'SIMPLE' || cluster.tlsMode === 'MUTUAL';
}
