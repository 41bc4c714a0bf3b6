/** The lesson → participant namespace mapping of cluster rooms, on the course's own manifests and commands. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { definesOnlyNamespace, lessonNamespaces, mapCommand, mapManifest, namespaceReady, participantHost, secondaryNamespaces } from './namespaceMap';

const EXAMPLES = join(__dirname, '../../examples');
const manifests = (lesson: string): string[] =>
  readdirSync(join(EXAMPLES, lesson))
    .filter((f) => /\.ya?ml$/.test(f))
    .map((f) => readFileSync(join(EXAMPLES, lesson, f), 'utf8'));
const TO = 'ws-k7qm2p-0123456789';
const shop = { from: 'shop', to: TO, namespaceOnlyFiles: new Set(['examples/resilience/namespace.yaml']) };

describe('namespace mapping for a shared cluster', () => {
  it("finds each lesson's own namespace, most used first, never istio-system", () => {
    expect(lessonNamespaces(manifests('resilience'))).toEqual(['shop']);
    expect(lessonNamespaces(manifests('ingress-service-a'))).toEqual(['demo']);
    expect(lessonNamespaces(manifests('rate-limit'))).toEqual(['store']);
    // lessons that need a second namespace of their own: it stays unmapped (the page says so)
    expect(secondaryNamespaces(manifests('mtls'))).toHaveLength(1);
    expect(secondaryNamespaces(manifests('resilience'))).toEqual([]);
  });

  it('maps metadata.namespace and service hosts, and leaves the Namespace object out', () => {
    const ns = readFileSync(join(EXAMPLES, 'resilience/namespace.yaml'), 'utf8');
    expect(definesOnlyNamespace(ns, 'shop')).toBe(true);
    expect(mapManifest(ns, shop)).not.toMatch(/kind: Namespace/);
    const client = mapManifest(readFileSync(join(EXAMPLES, 'resilience/client.yaml'), 'utf8'), shop);
    expect(client).toContain(`  namespace: ${TO}\n`);
    expect(client).not.toMatch(/namespace: shop\b/);
    expect(mapManifest('spec:\n  hosts:\n  - inventory.shop.svc.cluster.local\n  - "inventory.shop"\n', shop)).toBe(`spec:\n  hosts:\n  - inventory.${TO}.svc.cluster.local\n  - "inventory.${TO}"\n`);
    // not a namespace: a file name, a longer word
    expect(mapManifest('metadata:\n  name: shopping\n  namespace: shopping\n', shop)).toBe('metadata:\n  name: shopping\n  namespace: shopping\n');
  });

  it('maps the namespace in command lines, whole words only', () => {
    expect(mapCommand('kubectl rollout status deployment/inventory -n shop', shop)).toBe(`kubectl rollout status deployment/inventory -n ${TO}`);
    expect(mapCommand('kubectl get pods --namespace=shop -o wide', shop)).toBe(`kubectl get pods --namespace=${TO} -o wide`);
    expect(mapCommand('kubectl get pods --namespace shop', shop)).toBe(`kubectl get pods --namespace ${TO}`);
    expect(mapCommand("for i in $(seq 1 20); do kubectl exec deploy/client -n shop -- curl -s http://inventory.shop.svc.cluster.local:9090/; done", shop)).toBe(
      `for i in $(seq 1 20); do kubectl exec deploy/client -n ${TO} -- curl -s http://inventory.${TO}.svc.cluster.local:9090/; done`,
    );
    expect(mapCommand('kubectl create namespace shop', shop)).toBe(namespaceReady(TO));
    expect(mapCommand('kubectl create ns shop && kubectl label namespace shop istio-injection=enabled', shop)).toBe(`${namespaceReady(TO)} && kubectl label namespace ${TO} istio-injection=enabled`);
    expect(mapCommand('kubectl get pods -n shopping', shop)).toBe('kubectl get pods -n shopping');
    expect(mapCommand('kubectl get pods -n istio-system', shop)).toBe('kubectl get pods -n istio-system');
  });

  it('applies no Namespace of the lesson: a file of only that becomes a look at the participant’s namespace', () => {
    expect(mapCommand('kubectl apply -f examples/resilience/namespace.yaml', shop)).toBe(namespaceReady(TO));
    expect(mapCommand('kubectl apply -f examples/resilience/namespace.yaml -f examples/resilience/client.yaml', shop)).toBe('kubectl apply -f examples/resilience/client.yaml');
    expect(mapCommand('kubectl apply -f examples/resilience/inventory.yaml', shop)).toBe('kubectl apply -f examples/resilience/inventory.yaml');
  });

  it('gives the participant their own host on the shared ingress gateway instead of "*"', () => {
    const demo = { from: 'demo', to: TO };
    const host = participantHost(TO);
    for (const f of ['gateway.yaml', 'virtual-service.yaml']) {
      const mapped = mapManifest(readFileSync(join(EXAMPLES, 'ingress-service-a', f), 'utf8'), demo);
      expect(mapped).toContain(`- "${host}"`);
      expect(mapped).not.toContain('"*"');
    }
    // a mesh VirtualService (no gateways) keeps its hosts
    expect(mapManifest('kind: VirtualService\nspec:\n  hosts:\n  - "*"\n', demo)).toContain('- "*"');
    expect(mapCommand("curl -s -o /dev/null -w '%{http_code}\\n' http://$INGRESS_HOST/", demo)).toBe(`curl -H 'Host: ${host}' -s -o /dev/null -w '%{http_code}\\n' http://$INGRESS_HOST/`);
    expect(mapCommand('curl -s -H "Host: example.com" http://$INGRESS_HOST/', demo)).toBe('curl -s -H "Host: example.com" http://$INGRESS_HOST/');
    expect(mapCommand('curl -s http://inventory:9090/', demo)).toBe('curl -s http://inventory:9090/');
  });
});
