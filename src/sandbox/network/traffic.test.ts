/**
 * The structured trace of each request (the traffic view's data), on the course's own scenarios
 * with fixed seeds: what hops a curl went through, which VirtualService rule matched and why,
 * the fault and its response flag, mTLS and the contour of each crossing.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { Sandbox } from '../sandbox';
import { readExamples, steps } from '../testing';
import type { ProxyHop, WireHop } from './traffic';
import { MAX_TRACES } from './traffic';

let examples: Record<string, string> = {};
beforeAll(() => {
  examples = readExamples();
});

const RESILIENCE = `kubectl apply -f examples/resilience/namespace.yaml
kubectl apply -f examples/resilience/inventory.yaml -f examples/resilience/client.yaml
kubectl rollout status deployment/inventory -n shop
kubectl rollout status deployment/client -n shop`;

describe('request traces', () => {
  it('a fault-injected request names the matched rule, the match that held and the FI flag; no wire hop follows', async () => {
    const sb = new Sandbox({ examples, seed: 3 });
    await steps(sb, `${RESILIENCE}\nkubectl apply -f examples/resilience/virtual-service-fault.yaml`);
    const before = sb.cluster.network.traffic.list().length;
    const out = await sb.exec("kubectl exec deploy/client -n shop -- curl -s -H 'x-fault: abort' -o /dev/null -w '%{http_code}' http://inventory:9090/");
    expect(out.stdout).toBe('503');
    const traces = sb.cluster.network.traffic.list();
    expect(traces.length).toBe(before + 1);
    const t = traces[traces.length - 1];
    expect(t).toMatchObject({ method: 'GET', url: 'http://inventory:9090/', code: 503, from: { kind: 'pod', namespace: 'shop', app: 'client' } });
    const proxy = t.hops.filter((h): h is ProxyHop => h.type === 'proxy');
    expect(proxy).toHaveLength(1);
    expect(proxy[0]).toMatchObject({
      direction: 'outbound',
      code: 503,
      flags: ['FI'],
      details: 'fault_filter_abort',
      route: { virtualService: 'shop/inventory', rule: 0, match: 'header x-fault exact abort', fault: { abortStatus: 503, abortPercent: 100 } },
    });
    expect(t.hops.some((h) => h.type === 'wire')).toBe(false);
  });

  it('a plain request goes client sidecar → mTLS over the mesh contour → inbound sidecar → app, matched by the catch-all rule', async () => {
    const sb = new Sandbox({ examples, seed: 3 });
    await steps(sb, RESILIENCE);
    await sb.exec('kubectl exec deploy/client -n shop -- curl -s http://inventory:9090/');
    const t = sb.cluster.network.traffic.list().at(-1)!;
    expect(t.code).toBe(200);
    const kinds = t.hops.map((h) => (h.type === 'proxy' ? `proxy:${h.direction}` : h.type));
    // hops are recorded as they finish: the app, then its sidecar, the wire, the client's sidecar
    expect(kinds).toEqual(['app', 'proxy:inbound', 'wire', 'proxy:outbound']);
    const wire = t.hops.find((h): h is WireHop => h.type === 'wire')!;
    expect(wire).toMatchObject({ mtls: true, contour: 'mesh', port: 9090, from: { app: 'client' }, to: { app: 'inventory', namespace: 'shop' } });
    const out = t.hops.find((h): h is ProxyHop => h.type === 'proxy' && h.direction === 'outbound')!;
    expect(out.route).toMatchObject({ name: 'default', match: 'uri prefix /' });
    expect(out.route?.virtualService).toBeUndefined();
    expect(out).toMatchObject({ mtls: true, cluster: 'outbound|9090||inventory.shop.svc.cluster.local', upstream: { app: 'inventory' } });
    const inbound = t.hops.find((h): h is ProxyHop => h.type === 'proxy' && h.direction === 'inbound')!;
    expect(inbound.mtls).toBe(true);
  });

  it('counts retries of the router', async () => {
    const sb = new Sandbox({ examples, seed: 5 });
    await steps(sb, `${RESILIENCE}\nkubectl set env deployment/inventory -n shop ERROR_RATE=1 ERROR_CODE=503\nkubectl rollout status deployment/inventory -n shop\nkubectl apply -f examples/resilience/virtual-service-retries.yaml`);
    await sb.exec('kubectl exec deploy/client -n shop -- curl -s -o /dev/null http://inventory:9090/');
    const t = sb.cluster.network.traffic.list().at(-1)!;
    const out = t.hops.find((h): h is ProxyHop => h.type === 'proxy' && h.direction === 'outbound')!;
    expect(out.flags).toContain('URX');
    expect(out.retries).toBeGreaterThan(0);
    expect(t.hops.filter((h) => h.type === 'wire')).toHaveLength(out.retries + 1);
  });

  it('a request from the node through the ingress gateway crosses the ingress contour first', async () => {
    const sb = new Sandbox({ examples, seed: 8 });
    await steps(sb, 'kubectl apply -f examples/ingress-service-a/namespace.yaml\nkubectl apply -f examples/ingress-service-a/\nkubectl rollout status deployment/service-a -n demo');
    const ip = (await sb.exec("kubectl -n istio-system get service istio-ingressgateway -o jsonpath='{.status.loadBalancer.ingress[0].ip}'")).stdout;
    await sb.exec(`curl -s http://${ip}/`);
    const t = sb.cluster.network.traffic.list().at(-1)!;
    const wires = t.hops.filter((h): h is WireHop => h.type === 'wire');
    expect(wires.map((w) => [w.from.kind, w.to.app, w.contour, w.mtls])).toEqual([
      ['pod', 'service-a-app', 'mesh', true],
      ['client', 'istio-ingressgateway', 'ingress', false],
    ]);
    const gw = t.hops.find((h): h is ProxyHop => h.type === 'proxy' && h.direction === 'gateway')!;
    expect(gw.route).toMatchObject({ virtualService: 'demo/service-a', rule: 0, match: '' });
    expect(gw.listener).toMatch(/:8080$/);
  });

  it('keeps only the last MAX_TRACES requests', async () => {
    const sb = new Sandbox({ examples, seed: 1 });
    const r = sb.cluster.network.traffic;
    for (let i = 0; i < MAX_TRACES + 5; i++) {
      r.begin({ kind: 'client', name: 'node' }, 'GET', `http://x/${i}`, i);
      r.end({ status: 200, durationMs: 1 });
    }
    const all = r.list();
    expect(all).toHaveLength(MAX_TRACES);
    expect(all[0].url).toBe('http://x/5');
    expect(r.list(all[all.length - 2].id).map((t) => t.url)).toEqual([`http://x/${MAX_TRACES + 4}`]);
  });
});
