/**
 * The graph and split models on the course's scenarios, run in the sandbox with fixed seeds:
 * the traces the engine records are what the «Трафик» view draws.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { Sandbox } from '../sandbox/sandbox';
import { readExamples, steps } from '../sandbox/testing';
import { SCENARIOS } from '../terminal/scenarios';
import { finalState as afterTrafficSplit } from '../../examples/traffic-split/scenario';
import { buildGraph, mergeTraces } from './graph';
import { binomialRange, clusterLabel, splitCharts } from './split';
import { hopSummary, inPathOrder } from './path';
import { probeOk } from '../terminal/host';

let examples: Record<string, string> = {};
beforeAll(() => {
  examples = readExamples();
});

async function scenarioSandbox(id: string, seed: number, setup = SCENARIOS[id].setup): Promise<Sandbox> {
  const sb = new Sandbox({ examples, seed });
  await steps(sb, setup);
  await sb.cluster.advance(30_000);
  return sb;
}

describe('binomialRange (exact central interval)', () => {
  it('matches exact binomial quantiles', () => {
    // Binomial(100, 0.1): P(X ≤ 2) = 0.0019, P(X ≤ 3) = 0.0078; P(X ≤ 17) = 0.9904, P(X ≤ 18) = 0.9961
    expect(binomialRange(100, 0.1, 0.99)).toEqual({ low: 3, high: 18 });
    // 95 %: P(X ≤ 4) = 0.0237 ≤ 0.025 < P(X ≤ 5); P(X ≤ 15) = 0.9601 < 0.975 ≤ P(X ≤ 16) = 0.9794
    expect(binomialRange(100, 0.1, 0.95)).toEqual({ low: 5, high: 16 });
    expect(binomialRange(10, 0.5, 0.99)).toEqual({ low: 1, high: 9 });
  });
  it('is symmetric in p ↔ 1 − p and handles the edges', () => {
    const a = binomialRange(60, 0.1);
    const b = binomialRange(60, 0.9);
    expect(b).toEqual({ low: 60 - a.high, high: 60 - a.low });
    expect(binomialRange(0, 0.3)).toEqual({ low: 0, high: 0 });
    expect(binomialRange(50, 0)).toEqual({ low: 0, high: 0 });
    expect(binomialRange(50, 1)).toEqual({ low: 50, high: 50 });
    expect(binomialRange(100_000, 0.1).low).toBeGreaterThan(9_000);
    expect(() => binomialRange(-1, 0.5)).toThrow(RangeError);
    expect(() => binomialRange(10, 1.5)).toThrow(RangeError);
  });
});

describe('split chart on the traffic-split lesson', () => {
  it('counts each destination of the 90/10 rule as the responses show it, within the expected range', async () => {
    const sb = await scenarioSandbox('traffic-split', 4, afterTrafficSplit);
    await steps(sb, 'kubectl apply -f examples/traffic-split/virtual-service-90-10.yaml');
    await sb.cluster.advance(10_000);
    const out = (await sb.exec(`for i in $(seq 1 100); do curl -s http://$INGRESS_HOST/ | grep -o '"name": "service-[bc]"'; done`)).stdout;
    const c = out.match(/service-c/g)?.length ?? 0;
    const b = out.match(/service-b/g)?.length ?? 0;
    expect(b + c).toBe(100);
    const charts = splitCharts(sb.cluster.network.traffic.list());
    expect(charts).toHaveLength(1);
    const [chart] = charts;
    expect(chart).toMatchObject({ proxy: 'demo/service-a-app', virtualService: 'demo/producer-internal-host', rule: 0, total: 100 });
    expect(chart.rows.map((r) => [r.label, r.weight])).toEqual([
      ['producer-internal-host.demo', 0.9],
      ['service-c.demo', 0.1],
    ]);
    expect(chart.rows.map((r) => r.observed)).toEqual([b, c]);
    expect(chart.rows[1].expected).toEqual(binomialRange(100, 0.1));
    expect(chart.rows.every((r) => r.within)).toBe(true);
  });

  it('starts a new batch when the weights change', async () => {
    const sb = await scenarioSandbox('traffic-split', 6, afterTrafficSplit);
    await steps(sb, 'kubectl apply -f examples/traffic-split/virtual-service-90-10.yaml');
    await sb.cluster.advance(10_000);
    await sb.exec('for i in $(seq 1 20); do curl -s -o /dev/null http://$INGRESS_HOST/; done');
    expect(splitCharts(sb.cluster.network.traffic.list())[0].total).toBe(20);
    await steps(sb, "sed 's/weight: 90/weight: 50/; s/weight: 10/weight: 50/' examples/traffic-split/virtual-service-90-10.yaml | kubectl apply -f -");
    await sb.cluster.advance(10_000);
    await sb.exec('for i in $(seq 1 10); do curl -s -o /dev/null http://$INGRESS_HOST/; done');
    const charts = splitCharts(sb.cluster.network.traffic.list());
    expect(charts).toHaveLength(1);
    expect(charts[0].total).toBe(10);
    expect(charts[0].rows.map((r) => r.weight)).toEqual([0.5, 0.5]);
  });

  it("the lesson's split check uses the chart's range: it fails for 0/100 and 50/50, passes for 90/10", async () => {
    const sb = await scenarioSandbox('traffic-split', 5, afterTrafficSplit);
    const probes = SCENARIOS['traffic-split'].steps.find((s) => s.id === 'split')!.probes.filter((p) => p.atMost !== undefined);
    expect(probes.map((p) => [p.atLeast, p.atMost])).toEqual([
      [binomialRange(60, 0.9).low, binomialRange(60, 0.9).high],
      [binomialRange(60, 0.1).low, binomialRange(60, 0.1).high],
    ]);
    const verdict = async (): Promise<boolean[]> => Promise.all(probes.map(async (p) => probeOk(p, 0, (await sb.fork().exec(p.command)).stdout)));
    expect(await verdict()).toEqual([false, false]); // 0/100: no ServiceB, ServiceC far above its range
    await steps(sb, "sed 's/weight: 90/weight: 50/; s/weight: 10/weight: 50/' examples/traffic-split/virtual-service-90-10.yaml | kubectl apply -f -");
    await sb.cluster.advance(10_000);
    expect(await verdict()).toEqual([false, false]);
    await steps(sb, 'kubectl apply -f examples/traffic-split/virtual-service-90-10.yaml');
    await sb.cluster.advance(10_000);
    expect(await verdict()).toEqual([true, true]);
  });

  it('names destinations after the service host and subset', () => {
    expect(clusterLabel('outbound|9080|v2|reviews.default.svc.cluster.local')).toBe('reviews.default:v2');
    expect(clusterLabel('outbound|80||service-c.demo.svc.cluster.local')).toBe('service-c.demo');
    expect(clusterLabel('PassthroughCluster')).toBe('PassthroughCluster');
  });
});

describe('mesh graph', () => {
  it('draws the ingress → ServiceA → ServiceB chain with counts, codes and mTLS', async () => {
    const sb = await scenarioSandbox('traffic-split', 2);
    await sb.exec('for i in $(seq 1 5); do curl -s -o /dev/null http://$INGRESS_HOST/; done');
    const report = sb.cluster.network.trafficReport(0);
    const g = buildGraph(report);
    const edge = (from: string, to: string) => g.edges.find((e) => e.from === from && e.to === to);
    expect(edge('client', 'istio-system/istio-ingressgateway')).toMatchObject({ requests: 5, codes: { 200: 5 }, mtls: 0 });
    expect(edge('istio-system/istio-ingressgateway', 'demo/service-a-app')).toMatchObject({ requests: 5, codes: { 200: 5 }, mtls: 5 });
    expect(edge('demo/service-a-app', 'demo/service-b-app')).toMatchObject({ requests: 5, mtls: 5, errors: 0 });
    expect(g.edges).toHaveLength(3);
    const a = g.nodes.find((n) => n.id === 'demo/service-a-app')!;
    expect(a).toMatchObject({ kind: 'workload', namespace: 'demo', sidecar: true });
    expect(g.nodes.find((n) => n.id === 'istio-system/istio-ingressgateway')?.kind).toBe('gateway');
    expect(g.nodes.some((n) => n.label === 'istiod')).toBe(false);
    // the window: a minute later the edges are gone, the workloads stay
    const later = buildGraph(report, { now: report.traces.at(-1)!.at + 61_000 });
    expect(later.edges).toEqual([]);
    expect(later.nodes.length).toBeGreaterThan(2);
  });

  it('shows an injected fault on the edge though nothing crossed the wire', async () => {
    const sb = new Sandbox({ examples, seed: 3 });
    await steps(sb, `kubectl apply -f examples/resilience/namespace.yaml
kubectl apply -f examples/resilience/inventory.yaml -f examples/resilience/client.yaml
kubectl rollout status deployment/inventory -n shop
kubectl rollout status deployment/client -n shop
kubectl apply -f examples/resilience/virtual-service-fault.yaml`);
    for (let i = 0; i < 3; i++) await sb.exec("kubectl exec deploy/client -n shop -- curl -s -H 'x-fault: abort' -o /dev/null http://inventory:9090/");
    const g = buildGraph(sb.cluster.network.trafficReport(0));
    const e = g.edges.find((x) => x.from === 'shop/client')!;
    expect(e).toMatchObject({ to: 'service:shop/inventory', requests: 3, codes: { 503: 3 }, flags: { FI: 3 }, errors: 3 });
  });

  it('the egress lesson draws an outside host reached through PassthroughCluster', async () => {
    const sb = await scenarioSandbox('egress', 1);
    await steps(sb, 'kubectl apply -f examples/egress/client.yaml\nkubectl rollout status deployment/client -n demo');
    expect((await sb.exec("kubectl exec deploy/client -n demo -c curl -- curl -s -o /dev/null -w '%{http_code}' http://httpbin.org/get")).stdout).toBe('200');
    const g = buildGraph(sb.cluster.network.trafficReport(0));
    expect(g.nodes.find((n) => n.id === 'outside:httpbin.org')).toMatchObject({ kind: 'outside', label: 'httpbin.org' });
    expect(g.edges.find((e) => e.to === 'outside:httpbin.org')).toMatchObject({ from: 'demo/client', requests: 1, codes: { 200: 1 }, mtls: 0 });
  });

  it('mergeTraces keeps the newest by id', () => {
    const t = (id: number) => ({ id, at: id, durationMs: 0, from: { kind: 'client' as const, name: 'node' }, method: 'GET', url: '', hops: [] });
    expect(mergeTraces([t(1), t(2)], [t(2), t(3), t(4)], 3).map((x) => x.id)).toEqual([2, 3, 4]);
  });
});

describe('path of a request', () => {
  it('lists the hops of an ingress curl in the order the request met them', async () => {
    const sb = await scenarioSandbox('traffic-split', 2);
    await sb.exec('curl -s -o /dev/null http://$INGRESS_HOST/');
    const t = sb.cluster.network.traffic.list().at(-1)!;
    expect(inPathOrder(t.hops).map(hopSummary)).toEqual([
      'wire client→istio-ingressgateway',
      'proxy gateway istio-ingressgateway',
      'wire istio-ingressgateway→service-a-app',
      'proxy inbound service-a-app',
      'app service-a-app',
      'proxy outbound service-a-app',
      'wire service-a-app→service-b-app',
      'proxy inbound service-b-app',
      'app service-b-app',
    ]);
  });
});
