/**
 * exportTo of VirtualServices, Kubernetes Services and ServiceEntries as a learner sees it: which
 * gateway routes and which sidecar clusters exist, and what a request gets (pilot/pkg/model
 * push_context.go: IsServiceVisible, VirtualServicesForGateway).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { Sandbox } from '../../sandbox';
import { readExamples, steps } from '../../testing';

let examples: Record<string, string> = {};
beforeAll(() => {
  examples = readExamples();
});

const SETUP = `kubectl apply -f examples/ingress-service-a/namespace.yaml
kubectl apply -f examples/ingress-service-a/
kubectl create namespace other
kubectl label namespace other istio-injection=enabled
kubectl create deployment client --image=curlimages/curl -n other -- sleep 3600
kubectl rollout status deployment/service-a -n demo --timeout=60s
export INGRESS_HOST=$(kubectl -n istio-system get service istio-ingressgateway -o jsonpath='{.status.loadBalancer.ingress[0].ip}')`;

async function sandbox(seed: number): Promise<Sandbox> {
  const sb = new Sandbox({ examples, seed });
  await steps(sb, SETUP);
  await sb.cluster.advance(20_000);
  return sb;
}

async function run(sb: Sandbox, command: string): Promise<void> {
  const r = await sb.exec(command);
  expect(r.stderr).toBe('');
  await sb.cluster.advance(2000);
}

const status = async (sb: Sandbox): Promise<string> => (await sb.exec('curl -s -o /dev/null -w "%{http_code}" http://$INGRESS_HOST/')).stdout;

describe('VirtualService exportTo', () => {
  it('a gateway VirtualService private to its namespace is not seen by the ingress gateway in istio-system; exported to istio-system it is', async () => {
    const sb = await sandbox(3);
    expect(await status(sb)).toBe('200');
    await run(sb, `kubectl patch virtualservice service-a -n demo --type merge -p '{"spec":{"exportTo":["."]}}'`);
    expect(await status(sb)).toBe('404');
    expect((await sb.exec('istioctl proxy-config routes deploy/istio-ingressgateway -n istio-system')).stdout).not.toContain('service-a.demo');
    await run(sb, `kubectl patch virtualservice service-a -n demo --type merge -p '{"spec":{"exportTo":[".","istio-system"]}}'`);
    expect(await status(sb)).toBe('200');
    await run(sb, `kubectl patch virtualservice service-a -n demo --type merge -p '{"spec":{"exportTo":["other"]}}'`);
    expect(await status(sb)).toBe('404');
    // "~" (no one) is for ServiceEntries only: the webhook refuses it on a VirtualService (validation.go validateExportTo)
    expect((await sb.exec(`kubectl patch virtualservice service-a -n demo --type merge -p '{"spec":{"exportTo":["~"]}}'`)).stderr).toContain('only . or * or valid DNS 1123 label is allowed as exportTo entry');
  });
});

describe('Service exportTo (networking.istio.io/exportTo annotation)', () => {
  it('a Service exported only to its namespace has no cluster in another namespace: calls leave through PassthroughCluster', async () => {
    const sb = await sandbox(5);
    const clusters = 'istioctl proxy-config clusters deploy/client -n other --fqdn service-a.demo.svc.cluster.local';
    expect((await sb.exec(clusters)).stdout).toMatch(/service-a.demo.svc.cluster.local +80 +- +outbound +EDS/);
    await run(sb, 'kubectl annotate service service-a -n demo networking.istio.io/exportTo=.');
    expect((await sb.exec(clusters)).stdout).not.toContain('service-a.demo.svc.cluster.local');
    // the gateway in istio-system no longer has the cluster either: its route points at nothing (503 NC)
    expect(await status(sb)).toBe('503');
    await run(sb, 'kubectl exec deploy/client -n other -- curl -s -o /dev/null http://service-a.demo');
    const log = (await sb.exec('kubectl logs deploy/client -n other -c istio-proxy | tail -1')).stdout;
    expect(log).toContain('PassthroughCluster');
    await run(sb, 'kubectl annotate service service-a -n demo networking.istio.io/exportTo=other,istio-system --overwrite');
    expect((await sb.exec(clusters)).stdout).toMatch(/service-a.demo.svc.cluster.local +80 +- +outbound +EDS/);
    expect(await status(sb)).toBe('200');
  });
});

describe('ServiceEntry exportTo', () => {
  it('a ServiceEntry exported to no one ("~") gives no cluster; exported to the client namespace it does', async () => {
    const sb = await sandbox(7);
    const entry = (exportTo: string): string => `kubectl apply -f - <<'YAML'
apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata: {name: httpbin-ext, namespace: demo}
spec:
  hosts: [httpbin.org]
  exportTo: [${exportTo}]
  ports: [{number: 80, name: http, protocol: HTTP}]
  resolution: DNS
  location: MESH_EXTERNAL
YAML`;
    const clusters = 'istioctl proxy-config clusters deploy/client -n other --fqdn httpbin.org';
    await run(sb, entry('"~"'));
    expect((await sb.exec(clusters)).stdout).not.toContain('httpbin.org');
    await run(sb, entry('other'));
    expect((await sb.exec(clusters)).stdout).toMatch(/httpbin\.org +80 +- +outbound +STRICT_DNS/);
    expect((await sb.exec('istioctl proxy-config clusters deploy/service-a -n demo --fqdn httpbin.org')).stdout).not.toContain('httpbin.org');
  });
});
