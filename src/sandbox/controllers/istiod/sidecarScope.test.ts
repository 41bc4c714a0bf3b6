/**
 * The Sidecar resource's egress hosts and outbound policy, seen as a learner sees them: the
 * clusters istioctl lists, the cluster a request leaves through, and what the caller gets.
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
kubectl apply -f examples/service-a-service-b/
kubectl rollout status deployment/service-a -n demo --timeout=60s`;

function sidecar(spec: string, name = 'default'): string {
  return `kubectl apply -f - <<'YAML'\napiVersion: networking.istio.io/v1\nkind: Sidecar\nmetadata: {name: ${name}, namespace: demo}\nspec:\n${spec}\nYAML`;
}

/** A heredoc apply is one command (steps() runs a line at a time); then the pods' proxies get the push. */
async function apply(sb: Sandbox, command: string): Promise<void> {
  const r = await sb.exec(command);
  expect(r.stderr).toBe('');
  await sb.cluster.advance(2000);
}

async function callB(sb: Sandbox): Promise<{ code: number; name?: string }> {
  const ip = (await sb.exec("kubectl -n istio-system get service istio-ingressgateway -o jsonpath='{.status.loadBalancer.ingress[0].ip}'")).stdout;
  const body = JSON.parse((await sb.exec(`curl -s http://${ip}/`)).stdout) as { upstream_calls: Record<string, { code: number; name?: string }> };
  return body.upstream_calls['http://producer-internal-host'];
}

const clusters = async (sb: Sandbox): Promise<string> => (await sb.exec('istioctl proxy-config clusters deploy/service-a -n demo --fqdn producer-internal-host.demo.svc.cluster.local')).stdout;
const lastOutbound = async (sb: Sandbox): Promise<string> => (await sb.exec('kubectl logs deploy/service-a -n demo -c istio-proxy | grep producer-internal-host | tail -1')).stdout;

describe('Sidecar egress hosts (pilot/pkg/model/sidecar.go)', () => {
  it('a service the Sidecar does not import has no cluster; calls leave through PassthroughCluster, or 502 under REGISTRY_ONLY', async () => {
    const sb = new Sandbox({ examples, seed: 31 });
    await steps(sb, SETUP);
    expect(await clusters(sb)).toMatch(/\nproducer-internal-host\.demo\.svc\.cluster\.local\s+80\s+-\s+outbound\s+EDS/);
    await apply(sb, sidecar('  egress:\n  - hosts: ["istio-system/*"]'));
    expect(await clusters(sb)).toMatch(/^SERVICE FQDN\s+PORT\s+SUBSET\s+DIRECTION\s+TYPE\s+DESTINATION RULE\n$/);
    expect(await callB(sb)).toMatchObject({ code: 200, name: 'service-b' });
    expect(await lastOutbound(sb)).toMatch(/"producer-internal-host" "10\.96\.[\d.]+:80" PassthroughCluster .* allow_any\n$/);

    await apply(sb, sidecar('  egress:\n  - hosts: ["istio-system/*"]\n  outboundTrafficPolicy:\n    mode: REGISTRY_ONLY'));
    expect(await callB(sb)).toMatchObject({ code: 502 });
    expect(await lastOutbound(sb)).toMatch(/"GET \/ HTTP\/1\.1" 502 - direct_response .* block_all\n$/);
  });

  it('"./host" imports the service from the workload\'s namespace; a workloadSelector Sidecar wins for the pods it selects', async () => {
    const sb = new Sandbox({ examples, seed: 32 });
    await steps(sb, SETUP);
    await apply(sb, sidecar('  egress:\n  - hosts: ["./producer-internal-host.demo.svc.cluster.local"]\n  outboundTrafficPolicy:\n    mode: REGISTRY_ONLY'));
    expect(await clusters(sb)).toMatch(/\nproducer-internal-host\.demo\.svc\.cluster\.local\s+80\s+-\s+outbound\s+EDS/);
    expect(await callB(sb)).toMatchObject({ code: 200, name: 'service-b' });
    expect(await lastOutbound(sb)).toMatch(/ outbound\|80\|\|producer-internal-host\.demo\.svc\.cluster\.local /);
    // a Sidecar for service-a's pods alone: it imports nothing of demo, so the namespace's Sidecar no longer applies to them
    await apply(sb, sidecar('  workloadSelector:\n    labels:\n      app: service-a-app\n  egress:\n  - hosts: ["~/*"]\n  outboundTrafficPolicy:\n    mode: REGISTRY_ONLY', 'service-a'));
    expect(await clusters(sb)).toMatch(/^SERVICE FQDN\s+PORT\s+SUBSET\s+DIRECTION\s+TYPE\s+DESTINATION RULE\n$/);
    // no listener on port 80 any more: virtualOutbound sends the connection to BlackHoleCluster, a reset (fake-service's code -1)
    expect(await callB(sb)).toMatchObject({ code: -1 });
    expect((await sb.exec('kubectl logs deploy/service-a -n demo -c istio-proxy | tail -2 | head -1')).stdout).toMatch(/^\[.*\] "- - -" 0 UH - - "-" 0 0 \d+ - "-" "-" "-" "-" "-" BlackHoleCluster - 10\.96\.[\d.]+:80 /);
    // the other workloads of demo keep the namespace's Sidecar
    expect((await sb.exec('istioctl proxy-config clusters deploy/service-b -n demo --fqdn producer-internal-host.demo.svc.cluster.local')).stdout).toMatch(/\nproducer-internal-host\.demo\.svc\.cluster\.local\s+80/);
  });

  it('a VirtualService imported by the egress hosts brings its destinations into view', async () => {
    const sb = new Sandbox({ examples, seed: 33 });
    await steps(sb, SETUP);
    await apply(sb, 'kubectl apply -f - <<\'YAML\'\napiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: {name: alias, namespace: demo}\nspec:\n  hosts: [alias.example.internal]\n  http:\n  - route:\n    - destination: {host: producer-internal-host}\nYAML');
    await apply(sb, sidecar('  egress:\n  - hosts: ["./alias.example.internal"]'));
    expect(await clusters(sb)).toMatch(/\nproducer-internal-host\.demo\.svc\.cluster\.local\s+80\s+-\s+outbound\s+EDS/);
  });
});
