/**
 * Split charts: how a batch of requests came out across the destinations of a weighted route,
 * against the weights istiod configured, with the range the count may take by chance.
 *
 * Each request picks a destination independently with probability weight/total (Envoy's
 * weighted_clusters draw a random number per request and take the cluster whose interval
 * [begin, begin + weight) holds random_value % total_cluster_weight: envoyproxy/envoy
 * source/common/router/config_impl.cc, RouteEntryImplBase::clusterEntry / pickCluster),
 * so the count of one destination among n requests is Binomial(n, p). The expected range is the
 * central interval of that distribution with exact binomial quantiles (not Wilson's or the normal
 * approximation: the weights are known, we predict the count, we do not estimate p). The lesson
 * checks of the traffic-split lesson (src/terminal/scenarioKit.ts splitProbe) use the same function.
 */
import type { ProxyHop, RequestTrace } from '../sandbox/network/traffic';

/** How sure the range is: 99 % of batches of a correct configuration fall inside it. */
export const SPLIT_CONFIDENCE = 0.99;

/**
 * The central `confidence` interval [low, high] of Binomial(n, p): low is the largest count with
 * P(X < low) ≤ α/2 and high the smallest with P(X > high) ≤ α/2, α = 1 − confidence.
 */
export function binomialRange(n: number, p: number, confidence = SPLIT_CONFIDENCE): { low: number; high: number } {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`n must be a non-negative integer, got ${n}`);
  if (!(p >= 0 && p <= 1)) throw new RangeError(`p must be within [0, 1], got ${p}`);
  if (p === 0) return { low: 0, high: 0 };
  if (p === 1) return { low: n, high: n };
  const tail = (1 - confidence) / 2;
  // pmf in log space so that large n does not underflow: log pmf(k+1) = log pmf(k) + log((n-k)/(k+1)) + log(p/(1-p))
  const ratio = Math.log(p / (1 - p));
  let logPmf = n * Math.log1p(-p);
  let cdf = 0;
  let low: number | undefined;
  for (let k = 0; k <= n; k++) {
    cdf += Math.exp(logPmf);
    if (low === undefined && cdf > tail) low = k;
    if (cdf >= 1 - tail) return { low: low ?? k, high: k };
    logPmf += Math.log((n - k) / (k + 1)) + ratio;
  }
  return { low: low ?? n, high: n };
}

export interface SplitRow {
  cluster: string;
  /** The destination as a reader names it: the service host, and ":subset" when there is one. */
  label: string;
  /** Configured share, 0..1. */
  weight: number;
  observed: number;
  /** Observed share, 0..1. */
  share: number;
  /** The range of `observed` expected by chance at SPLIT_CONFIDENCE. */
  expected: { low: number; high: number };
  within: boolean;
}

export interface SplitChart {
  /** The proxy that split the traffic (gateway or caller's sidecar) as "namespace/app". */
  proxy: string;
  virtualService: string;
  rule: number;
  total: number;
  rows: SplitRow[];
}

/** The destination of an Envoy cluster name: `outbound|80|v2|reviews.default.svc.cluster.local` → "reviews:v2". */
export function clusterLabel(cluster: string): string {
  const m = cluster.match(/^outbound\|\d+\|([^|]*)\|(.+)$/);
  if (!m) return cluster;
  const host = m[2].replace(/\.svc\.cluster\.local$/, '');
  return m[1] ? `${host}:${m[1]}` : host;
}

/**
 * The split of the latest batch per weighted route: requests that took the same rule of the same
 * VirtualService at the same proxy with the same weights, counted by the destination they got.
 * A change of weights starts a new batch (the older one is dropped).
 */
export function splitCharts(traces: readonly RequestTrace[]): SplitChart[] {
  const batches = new Map<string, { chart: SplitChart; weightsKey: string }>();
  for (const t of traces)
    for (const h of t.hops) {
      if (h.type !== 'proxy' || h.direction === 'inbound' || !h.route || h.route.weights.length < 2 || !h.cluster) continue;
      const chart = batchFor(batches, h);
      const row = chart.rows.find((r) => r.cluster === h.cluster);
      if (!row) continue;
      row.observed++;
      chart.total++;
    }
  const out: SplitChart[] = [];
  for (const { chart } of batches.values()) {
    for (const r of chart.rows) {
      r.share = chart.total ? r.observed / chart.total : 0;
      r.expected = binomialRange(chart.total, r.weight);
      r.within = r.observed >= r.expected.low && r.observed <= r.expected.high;
    }
    out.push(chart);
  }
  return out;
}

function batchFor(batches: Map<string, { chart: SplitChart; weightsKey: string }>, h: ProxyHop): SplitChart {
  const route = h.route!;
  const proxy = `${h.proxy.namespace ?? ''}/${h.proxy.app ?? h.proxy.name}`;
  const key = `${proxy}|${route.virtualService ?? ''}|${route.rule ?? 0}`;
  const weightsKey = JSON.stringify(route.weights);
  const known = batches.get(key);
  if (known && known.weightsKey === weightsKey) return known.chart;
  const totalWeight = route.weights.reduce((a, w) => a + w.weight, 0) || 1;
  const chart: SplitChart = {
    proxy,
    virtualService: route.virtualService ?? '',
    rule: route.rule ?? 0,
    total: 0,
    rows: route.weights.map((w) => ({ cluster: w.cluster, label: clusterLabel(w.cluster), weight: w.weight / totalWeight, observed: 0, share: 0, expected: { low: 0, high: 0 }, within: true })),
  };
  batches.delete(key); // re-insert: the newest batch comes last
  batches.set(key, { chart, weightsKey });
  return chart;
}
