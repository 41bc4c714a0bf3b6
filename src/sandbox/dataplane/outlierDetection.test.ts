/**
 * Outlier detection across pushes: ejections belong to the Envoy cluster, so they last while
 * the cluster is unchanged and are gone when a new DestinationRule redefines the cluster
 * (envoyproxy/envoy cluster_manager_impl.cc addOrUpdateCluster: a changed cluster is a new one).
 */
import { describe, expect, it } from 'vitest';
import { Sandbox } from '../sandbox';
import { readExamples, steps } from '../testing';

const examples = readExamples();
const ENDPOINTS = "istioctl proxy-config endpoints deploy/client -n shop --cluster 'outbound|9090||inventory.shop.svc.cluster.local'";
const CALLS = "for i in $(seq 1 20); do kubectl exec deploy/client -n shop -- curl -s -o /dev/null http://inventory:9090/; done";

async function ejected(): Promise<Sandbox> {
  const sb = new Sandbox({ examples, seed: 5 });
  await steps(sb, [
    'kubectl apply -f examples/resilience/namespace.yaml',
    'kubectl apply -f examples/resilience/inventory.yaml -f examples/resilience/client.yaml -f examples/resilience/inventory-faulty.yaml',
    'kubectl apply -f examples/resilience/destination-rule-outlier-detection.yaml',
  ]);
  await sb.cluster.advance(20_000);
  await steps(sb, CALLS);
  expect((await sb.exec(ENDPOINTS)).stdout).toMatch(/HEALTHY +FAILED +outbound/);
  return sb;
}

describe('outlier detection and pushes', () => {
  it('keeps an ejection while the cluster is unchanged (a push for another reason)', { timeout: 60_000 }, async () => {
    const sb = await ejected();
    await steps(sb, 'kubectl apply -f examples/resilience/virtual-service-no-retries.yaml');
    expect((await sb.exec(ENDPOINTS)).stdout).toMatch(/HEALTHY +FAILED +outbound/);
  });

  it('forgets the ejections when a DestinationRule change replaces the cluster', { timeout: 60_000 }, async () => {
    const sb = await ejected();
    // the DestinationRule now names a host in another namespace: inventory.shop's cluster has no outlier detection
    await steps(sb, 'kubectl apply -f examples/resilience/challenge-destination-rule.yaml');
    expect((await sb.exec(ENDPOINTS)).stdout).not.toMatch(/FAILED/);
    await steps(sb, CALLS);
    expect((await sb.exec(ENDPOINTS)).stdout).not.toMatch(/FAILED/);
  });
});
