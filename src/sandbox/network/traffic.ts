/**
 * The path of each request through the simulated cluster, as structured records (not parsed
 * access-log text): what the «Трафик» view of the terminal dock draws (the mesh graph, the split
 * chart, the hops of one request). A trace starts when a process sends a request (the learner's
 * curl on the node, or a program in a pod that is not itself answering a traced request) and
 * collects, in the order they finish, every hop the request causes:
 *
 * - `proxy`: an Envoy handled it (gateway listener, sidecar outbound or inbound): the route that
 *   matched (VirtualService and http[] rule, and the match that held), the cluster and endpoint,
 *   retries, injected faults, the response code, flags and details as the access log has them;
 * - `wire`: bytes crossed the network between two parties (pod, node, outside host), with or
 *   without Istio mTLS, and which network contour of the first lesson (docs/service-mesh.mdx,
 *   «Три изолированных сетевых контура») the crossing belongs to;
 * - `app`: the application container answered on its port (after its sidecar, over loopback).
 *
 * Recording is on whether or not the access log is: the view does not depend on meshConfig.
 * Kept in a ring of the last MAX_TRACES requests; not part of the sandbox snapshot (a reload
 * starts with an empty list, as the view shows only what the learner sent since).
 */
import type { AccessLogEntry } from '../dataplane/accessLog';
import type { Route, RouteMatch, StringMatch } from '../dataplane/types';

export const MAX_TRACES = 200;
/** Hops one trace keeps (a request fanning out through many services stays bounded). */
export const MAX_HOPS = 64;

/**
 * The contours of docs/service-mesh.mdx: 1 external (client → ingress gateway), 2 the mesh
 * (sidecar ↔ sidecar with mTLS, carried by 3), 3 the node network (CNI: plain pod ↔ pod traffic);
 * plus the loopback inside a pod and the way out of the cluster to an outside host.
 */
export type Contour = 'ingress' | 'mesh' | 'node' | 'pod' | 'internet';

/** Who sends or receives: the learner's node (outside the pods), a pod, an outside host. */
export interface Party {
  kind: 'client' | 'pod' | 'outside';
  /** Pod name, outside host name, or "node" for the learner's machine. */
  name: string;
  namespace?: string;
  /** The pod's `app` label (else `istio`, else its name without the ReplicaSet suffixes). */
  app?: string;
  version?: string;
  gateway?: boolean;
  sidecar?: boolean;
}

export interface RouteInfo {
  /** HTTPRoute.name, "default" for Istio's generated route, absent otherwise. */
  name?: string;
  /** The VirtualService as "namespace/name"; absent for Istio's default route of a service. */
  virtualService?: string;
  /** Index of the rule in the VirtualService's http[] (0-based). */
  rule?: number;
  /** The match that held, in VirtualService terms ("uri prefix /", "header end-user exact jason"); "" when the rule has none. */
  match: string;
  /** Weighted destinations of the rule (weights as istiod computed them). */
  weights: { cluster: string; weight: number }[];
  fault?: { delayMs?: number; delayPercent?: number; abortStatus?: number; abortPercent?: number };
}

export interface ProxyHop {
  type: 'proxy';
  at: number;
  durationMs: number;
  proxy: Party;
  direction: 'gateway' | 'outbound' | 'inbound';
  /** The listener's address (%DOWNSTREAM_LOCAL_ADDRESS%). */
  listener: string;
  method: string;
  path: string;
  authority: string;
  route?: RouteInfo;
  cluster?: string;
  /** %UPSTREAM_HOST% and the pod or outside host behind it. */
  endpoint?: string;
  upstream?: Party;
  code: number;
  flags: string[];
  details: string;
  /** Retries the router made (attempts - 1). */
  retries: number;
  /** The upstream connection (outbound) or the downstream one (inbound) was Istio mTLS. */
  mtls: boolean;
  upstreamServiceTimeMs?: number;
}

export interface WireHop {
  type: 'wire';
  at: number;
  durationMs: number;
  from: Party;
  to: Party;
  port: number;
  mtls: boolean;
  /** TLS nobody terminated yet on the wire (a client's own https, TLS origination). */
  tls: boolean;
  contour: Contour;
  code?: number;
  error?: string;
}

export interface AppHop {
  type: 'app';
  at: number;
  durationMs: number;
  pod: Party;
  container: string;
  port: number;
  code?: number;
  error?: string;
}

export type Hop = ProxyHop | WireHop | AppHop;

export interface RequestTrace {
  id: number;
  at: number;
  durationMs: number;
  from: Party;
  method: string;
  url: string;
  code?: number;
  error?: string;
  hops: Hop[];
}

/** What the traffic view gets from the sandbox: new traces and the pods that run now. */
export interface TrafficReport {
  traces: RequestTrace[];
  workloads: Party[];
  /** The id of the newest trace recorded (0: none): below the `since` asked for, the sandbox was replaced. */
  latest: number;
}

/** What an Envoy reports for each request it finishes (beside its access-log line). */
export interface ProxyEvent {
  entry: AccessLogEntry;
  inbound: boolean;
  gateway: boolean;
  route?: Route;
  attempts?: number;
  mtls?: boolean;
}

export class TrafficRecorder {
  private readonly traces: RequestTrace[] = [];
  private current: RequestTrace | undefined;
  private depth = 0;
  private seq = 0;

  /** A request is sent; the outermost one opens a trace, nested ones (a service calling another) join it. */
  begin(from: Party, method: string, url: string, at: number): void {
    if (this.depth++ > 0) return;
    this.current = { id: ++this.seq, at, durationMs: 0, from, method, url, hops: [] };
  }

  end(result: { status?: number; error?: string; durationMs: number }): void {
    if (--this.depth > 0) return;
    this.depth = 0;
    const t = this.current;
    this.current = undefined;
    if (!t) return;
    t.durationMs = result.durationMs;
    if (result.status !== undefined) t.code = result.status;
    if (result.error !== undefined) t.error = result.error;
    this.traces.push(t);
    if (this.traces.length > MAX_TRACES) this.traces.splice(0, this.traces.length - MAX_TRACES);
  }

  /** A hop of the request being traced (dropped when none is: health probes, port-forward). */
  add(hop: Hop): void {
    const t = this.current;
    if (t && t.hops.length < MAX_HOPS) t.hops.push(hop);
  }

  /** The id of the newest trace (0 before any). */
  get latest(): number {
    return this.seq;
  }

  /** The traces recorded after trace `since` (all kept ones without it), oldest first. */
  list(since = 0): RequestTrace[] {
    return this.traces.filter((t) => t.id > since);
  }
}

function stringMatchText(m: StringMatch): string {
  if ('exact' in m) return `exact ${m.exact}`;
  if ('prefix' in m) return `prefix ${m.prefix}`;
  return `regex ${m.regex}`;
}

/** The match of a route in VirtualService terms: what held for the request that took it ("" for a rule without match). */
export function describeMatch(m: RouteMatch): string {
  const parts: string[] = [];
  if (m.path) parts.push(`uri ${stringMatchText(m.path)}${m.ignoreUriCase ? ' (ignoreUriCase)' : ''}`);
  for (const h of m.headers) {
    const what = h.name === ':method' ? 'method' : h.name === ':authority' ? 'authority' : h.name === ':scheme' ? 'scheme' : `header ${h.name}`;
    const cond = h.match ? stringMatchText(h.match) : 'present';
    parts.push(h.invert ? `withoutHeaders ${h.name} ${cond}` : `${what} ${cond}`);
  }
  for (const q of m.queryParams) parts.push(`queryParams ${q.name} ${q.match ? stringMatchText(q.match) : 'present'}`);
  return parts.join(', ');
}

const routeInfos = new WeakMap<Route, RouteInfo>();

/** What a trace says of a route (computed once per route istiod built, shared by the hops that took it). */
export function routeInfo(r: Route): RouteInfo {
  let info = routeInfos.get(r);
  if (!info) {
    info = newRouteInfo(r);
    routeInfos.set(r, info);
  }
  return info;
}

function newRouteInfo(r: Route): RouteInfo {
  const f = r.fault;
  return {
    ...(r.name !== undefined ? { name: r.name } : {}),
    ...(r.origin ? { virtualService: r.origin } : {}),
    ...(r.rule !== undefined ? { rule: r.rule } : {}),
    match: describeMatch(r.match),
    weights: r.action.type === 'route' ? r.action.clusters.map((c) => ({ cluster: c.cluster, weight: c.weight })) : [],
    ...(f
      ? {
          fault: {
            ...(f.delay ? { delayMs: f.delay.fixedDelayMs, delayPercent: f.delay.percentage } : {}),
            ...(f.abort ? { abortStatus: f.abort.httpStatus, abortPercent: f.abort.percentage } : {}),
          },
        }
      : {}),
  };
}

/** The contour a crossing from `from` to `to` belongs to. */
export function contourOf(from: Party, to: Party, mtls: boolean): Contour {
  if (to.kind === 'outside') return 'internet';
  if (from.kind === 'client') return to.gateway ? 'ingress' : 'node';
  return mtls ? 'mesh' : 'node';
}

/** A pod's workload name: its `app` label, else `istio` (gateways), else the name without ReplicaSet suffixes. */
export function appOf(name: string, labels: Record<string, string>): string {
  return labels.app ?? labels['app.kubernetes.io/name'] ?? labels.istio ?? name.replace(/-[a-z0-9]{8,10}-[a-z0-9]{5}$/, '');
}
