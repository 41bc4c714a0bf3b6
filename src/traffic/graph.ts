/**
 * The mesh graph of the «Трафик» view: workloads and gateways by namespace (with their versions),
 * the learner's machine and outside hosts as nodes; an edge per caller → callee with the requests
 * of the last window, their rate, response codes and flags, and whether they went over mTLS.
 *
 * A request counts once per caller, as the caller's proxy saw it (like Istio's source-reported
 * istio_requests_total that Kiali draws): an edge from a sidecar or a gateway comes from that
 * proxy's record (its code is the one the caller got, retries included, so an injected fault shows
 * up on the edge though nothing crossed the wire); an edge from a caller without a proxy (the
 * learner's node, a pod without a sidecar) comes from the crossing of the wire.
 */
import type { Party, ProxyHop, RequestTrace, TrafficReport, WireHop } from '../sandbox/network/traffic';
import { clusterLabel } from './split';

/** How far back the graph looks by default (virtual time of the sandbox). */
export const GRAPH_WINDOW_MS = 60_000;

export interface GraphNode {
  id: string;
  kind: 'client' | 'workload' | 'gateway' | 'outside' | 'service';
  label: string;
  namespace?: string;
  versions: string[];
  sidecar: boolean;
}

export interface GraphEdge {
  id: string;
  from: string;
  to: string;
  requests: number;
  /** Requests per second over the window. */
  rate: number;
  /** Count per response code ("0" when there was no HTTP response: reset, timeout, TCP). */
  codes: Record<string, number>;
  /** Count per Envoy response flag (FI, UH, URX…). */
  flags: Record<string, number>;
  errors: number;
  /** How many of the requests went over Istio mTLS. */
  mtls: number;
  /** TCP connections (no HTTP). */
  tcp: boolean;
}

export interface MeshGraph {
  nodes: GraphNode[];
  edges: GraphEdge[];
  windowMs: number;
}

/** The node a party is drawn as. */
export function nodeId(p: Party): string {
  if (p.kind === 'client') return 'client';
  if (p.kind === 'outside') return `outside:${p.name}`;
  return `${p.namespace ?? ''}/${p.app ?? p.name}`;
}

function nodeOf(p: Party): GraphNode {
  if (p.kind === 'client') return { id: 'client', kind: 'client', label: 'клиент (узел)', versions: [], sidecar: false };
  if (p.kind === 'outside') return { id: nodeId(p), kind: 'outside', label: p.name, versions: [], sidecar: false };
  return { id: nodeId(p), kind: p.gateway ? 'gateway' : 'workload', label: p.app ?? p.name, namespace: p.namespace, versions: p.version ? [p.version] : [], sidecar: !!p.sidecar };
}

/** Control-plane and cluster pods are not drawn unless traffic reaches them. */
const HIDDEN_NAMESPACES = new Set(['kube-system', 'local-path-storage']);
const hidden = (p: Party): boolean => (p.namespace !== undefined && HIDDEN_NAMESPACES.has(p.namespace)) || p.app === 'istiod';

/** The graph of the traces that started within the last `windowMs` before `now` (default: the newest trace). */
export function buildGraph(report: TrafficReport, opts: { now?: number; windowMs?: number } = {}): MeshGraph {
  const windowMs = opts.windowMs ?? GRAPH_WINDOW_MS;
  const now = opts.now ?? Math.max(0, ...report.traces.map((t) => t.at + t.durationMs));
  const nodes = new Map<string, GraphNode>();
  const addNode = (n: GraphNode): void => {
    const known = nodes.get(n.id);
    if (!known) nodes.set(n.id, { ...n, versions: [...n.versions] });
    else {
      for (const v of n.versions) if (!known.versions.includes(v)) known.versions.push(v);
      known.sidecar ||= n.sidecar;
    }
  };
  for (const w of report.workloads) if (!hidden(w)) addNode(nodeOf(w));
  const edges = new Map<string, GraphEdge>();
  const count = (from: GraphNode, to: GraphNode, code: number, flags: readonly string[], mtls: boolean, tcp: boolean): void => {
    addNode(from);
    addNode(to);
    const id = `${from.id}→${to.id}`;
    let e = edges.get(id);
    if (!e) {
      e = { id, from: from.id, to: to.id, requests: 0, rate: 0, codes: {}, flags: {}, errors: 0, mtls: 0, tcp };
      edges.set(id, e);
    }
    e.requests++;
    e.codes[String(code)] = (e.codes[String(code)] ?? 0) + 1;
    for (const f of flags) e.flags[f] = (e.flags[f] ?? 0) + 1;
    if (code === 0 || code >= 500) e.errors++;
    if (mtls) e.mtls++;
  };
  for (const t of report.traces) {
    if (t.at < now - windowMs || t.at > now) continue;
    for (const h of t.hops) {
      if (h.type === 'proxy') countProxy(h, count);
      else if (h.type === 'wire') countWire(h, count);
    }
  }
  const seconds = windowMs / 1000;
  for (const e of edges.values()) e.rate = e.requests / seconds;
  return { nodes: [...nodes.values()].sort(byNamespaceThenLabel), edges: [...edges.values()], windowMs };
}

type Count = (from: GraphNode, to: GraphNode, code: number, flags: readonly string[], mtls: boolean, tcp: boolean) => void;

function countProxy(h: ProxyHop, count: Count): void {
  if (h.direction === 'inbound') return;
  // where the request went: the pod or outside host behind the endpoint; else (no endpoint was
  // reached: a fault, no route, no healthy upstream) the service the route named
  const cluster = h.cluster ?? h.route?.weights[0]?.cluster;
  const to = h.upstream && h.upstream.kind !== 'client' ? nodeOf(h.upstream) : cluster ? serviceNode(cluster) : undefined;
  if (!to) return;
  count(nodeOf(h.proxy), to, h.code, h.flags, h.mtls, h.method === '-');
}

function countWire(h: WireHop, count: Count): void {
  // a caller with a proxy is counted from the proxy's record
  if (h.from.kind === 'pod' && (h.from.sidecar || h.from.gateway)) return;
  count(nodeOf(h.from), nodeOf(h.to), h.code ?? 0, [], h.mtls, false);
}

function serviceNode(cluster: string): GraphNode | undefined {
  if (cluster === 'PassthroughCluster' || cluster === 'BlackHoleCluster') return { id: `cluster:${cluster}`, kind: 'service', label: cluster, versions: [], sidecar: false };
  const m = cluster.match(/^outbound\|\d+\|[^|]*\|([^.]+)\.([^.]+)\.svc\.cluster\.local$/);
  if (m) return { id: `service:${m[2]}/${m[1]}`, kind: 'service', label: m[1], namespace: m[2], versions: [], sidecar: false };
  return { id: `service:${cluster}`, kind: 'service', label: clusterLabel(cluster), versions: [], sidecar: false };
}

const KIND_ORDER: Record<GraphNode['kind'], number> = { client: 0, gateway: 1, workload: 2, service: 3, outside: 4 };

function byNamespaceThenLabel(a: GraphNode, b: GraphNode): number {
  return KIND_ORDER[a.kind] - KIND_ORDER[b.kind] || (a.namespace ?? '').localeCompare(b.namespace ?? '') || a.label.localeCompare(b.label);
}

/** A code class for colour and text: 2xx…5xx, or "сбой" when no HTTP response came back. */
export function codeClass(code: string): '2xx' | '3xx' | '4xx' | '5xx' | 'none' {
  const n = Number(code);
  if (n >= 200 && n < 300) return '2xx';
  if (n >= 300 && n < 400) return '3xx';
  if (n >= 400 && n < 500) return '4xx';
  if (n >= 500) return '5xx';
  return 'none';
}

/** The traces of a report as the view keeps them: the newest `max`, by id. */
export function mergeTraces(kept: readonly RequestTrace[], fresh: readonly RequestTrace[], max = 200): RequestTrace[] {
  const byId = new Map(kept.map((t) => [t.id, t]));
  for (const t of fresh) byId.set(t.id, t);
  return [...byId.values()].sort((a, b) => a.id - b.id).slice(-max);
}
