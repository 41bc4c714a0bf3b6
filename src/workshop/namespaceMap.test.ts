/** The lesson → participant namespace mapping of cluster rooms, on the course's own manifests and commands. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { splitCommands } from '../terminal/splitCommands';
import { lessonBashBlocks } from '../terminal/testSupport';
import { lessonMapping } from './cluster/lessonFiles';
import { extraNamespaceName } from './cluster/provision';
import { definesOnlyNamespace, lessonNamespaces, mapCommand, mapManifest, namespaceReady, namespacesKept, participantHost } from './namespaceMap';

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
    // lessons with further namespaces of their own: the primary one first
    expect(lessonNamespaces(manifests('mtls'))).toEqual(['bank', 'legacy']);
    expect(lessonNamespaces(manifests('authorization'))).toEqual(['shop', 'analytics']);
    expect(lessonNamespaces(manifests('egress'))).toEqual(['demo', 'external-cluster']);
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

/** Every string (keys and values) of a mapped manifest, comments left out. */
function strings(text: string): string[] {
  const out: string[] = [];
  const walk = (v: unknown): void => {
    if (typeof v === 'string') out.push(v);
    else if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object')
      for (const [k, x] of Object.entries(v)) {
        out.push(k);
        walk(x);
      }
  };
  for (const doc of parseAllDocuments(text)) walk(doc.toJS());
  return out;
}

/** A lesson namespace standing alone or as a part of a dotted/slashed name (not inside the participant's `…-analytics`). */
const naming = (ns: string): RegExp => new RegExp(`(?<![\\w-])${ns.replace(/-/g, '\\-')}(?![\\w-])`);

describe('lessons with further namespaces of their own: each mapped to one of the participant’s', () => {
  const LESSONS = [
    { dir: 'authorization', doc: 'docs/practice/authorization.mdx', from: 'shop', extra: [{ from: 'analytics', injection: 'enabled' }] },
    { dir: 'mtls', doc: 'docs/practice/mtls.mdx', from: 'bank', extra: [{ from: 'legacy', injection: 'disabled' }] },
    { dir: 'egress', doc: 'docs/scenarios/egress.mdx', from: 'demo', extra: [{ from: 'external-cluster', injection: 'disabled' }] },
  ];

  it('names the further namespaces <participant>-<lesson namespace>, a DNS-1123 label of at most 63 characters', () => {
    expect(extraNamespaceName(TO, 'analytics')).toBe(`${TO}-analytics`);
    const long = extraNamespaceName('ws-abcdefghijklmnopqrst-0123456789', 'a-very-long-lesson-namespace-name-indeed');
    expect(long.length).toBeLessThanOrEqual(63);
    expect(long).toMatch(/^ws-abcdefghijklmnopqrst-0123456789-a-very-long-lesson-na-[0-9a-f]{6}$/);
    expect(long).not.toBe(extraNamespaceName('ws-abcdefghijklmnopqrst-0123456789', 'a-very-long-lesson-namespace-name-again'));
  });

  for (const lesson of LESSONS)
    it(`${lesson.dir}: every manifest mapped, nothing left naming ${[lesson.from, ...lesson.extra.map((e) => e.from)].join(' or ')}`, () => {
      const mapping = lessonMapping(EXAMPLES, lesson.dir, TO)!;
      expect(mapping.from).toBe(lesson.from);
      expect(mapping.extra).toEqual(lesson.extra.map((e) => ({ ...e, to: `${TO}-${e.from}` })));
      const files = readdirSync(join(EXAMPLES, lesson.dir)).filter((f) => /\.ya?ml$/.test(f));
      // the check below finds the lesson's namespaces in the files as they are
      for (const ns of [mapping.from, ...mapping.extra!.map((e) => e.from)]) expect(files.some((f) => strings(readFileSync(join(EXAMPLES, lesson.dir, f), 'utf8')).some((s) => naming(ns).test(s)))).toBe(true);
      for (const file of files) {
        const mapped = mapManifest(readFileSync(join(EXAMPLES, lesson.dir, file), 'utf8'), mapping);
        for (const s of strings(mapped)) for (const ns of [mapping.from, ...mapping.extra!.map((e) => e.from)]) expect(s, `${file}: ${s}`).not.toMatch(naming(ns));
      }
      for (const line of lessonBashBlocks(lesson.doc).flatMap(splitCommands)) {
        const mapped = mapCommand(line, mapping);
        if (mapped.startsWith("echo '")) continue; // the note that replaces creating or deleting the lesson's namespaces
        for (const ns of [mapping.from, ...mapping.extra!.map((e) => e.from)]) expect(mapped, line).not.toMatch(naming(ns));
      }
    });

  it('maps principals, namespaces lists, ns/name references, hosts and metadata.namespace to the right namespace', () => {
    const auth = lessonMapping(EXAMPLES, 'authorization', TO)!;
    const allow = mapManifest(readFileSync(join(EXAMPLES, 'authorization/orders-allow.yaml'), 'utf8'), auth);
    expect(allow).toContain(`principals: ["cluster.local/ns/${TO}/sa/frontend"]`);
    expect(allow).toContain(`namespaces: ["${TO}-analytics"]`);
    expect(mapManifest(readFileSync(join(EXAMPLES, 'authorization/reports.yaml'), 'utf8'), auth)).toContain(`  namespace: ${TO}-analytics\n`);
    expect(mapCommand("kubectl exec deploy/reports -n analytics -- curl -s http://orders.shop:9090/api/orders", auth)).toBe(`kubectl exec deploy/reports -n ${TO}-analytics -- curl -s http://orders.${TO}:9090/api/orders`);
    // both Namespaces of namespaces.yaml are the participant's already
    expect(auth.namespaceOnlyFiles).toEqual(new Set(['examples/authorization/namespaces.yaml']));
    expect(mapCommand('kubectl apply -f examples/authorization/namespaces.yaml', auth)).toBe(namespaceReady(auth));
    expect(namespaceReady(auth)).toBe(`echo 'Namespaces ${TO} (istio-injection=enabled — вместо shop), ${TO}-analytics (istio-injection=enabled — вместо analytics) уже созданы для вас: урок работает в них.'`);

    const egress = lessonMapping(EXAMPLES, 'egress', TO)!;
    const route = mapManifest(readFileSync(join(EXAMPLES, 'egress/ingress-route.yaml'), 'utf8'), egress);
    expect(route).toContain(`  namespace: ${TO}-external-cluster\n`);
    expect(route).toContain(`    - ${TO}/demo-gateway\n`);
    expect(route).toContain(`host: service-ext.${TO}-external-cluster.svc.cluster.local\n`);
    expect(route).toContain('- istio-ingressgateway.istio-system.svc.cluster.local\n');
    expect(mapCommand('kubectl delete namespace demo external-cluster', egress)).toBe(namespacesKept([TO, `${TO}-external-cluster`]));
    expect(mapCommand('kubectl apply -f examples/egress/external-namespace.yaml', egress)).toBe(namespaceReady(egress));
    expect(mapCommand('kubectl get pods -n external-cluster', egress)).toBe(`kubectl get pods -n ${TO}-external-cluster`);

    const mtls = lessonMapping(EXAMPLES, 'mtls', TO)!;
    expect(mapCommand("kubectl exec deploy/client -n legacy -- curl -sS http://ledger.bank:9090/", mtls)).toBe(`kubectl exec deploy/client -n ${TO}-legacy -- curl -sS http://ledger.${TO}:9090/`);
    expect(namespaceReady(mtls)).toContain(`${TO}-legacy (istio-injection=disabled — вместо legacy)`);
  });

  it('maps block lists, exportTo and Sidecar egress hosts; leaves other namespaces and longer words alone', () => {
    const m = { from: 'shop', to: TO, extra: [{ from: 'analytics', to: `${TO}-analytics`, injection: 'enabled' as const }] };
    const sidecar = 'kind: Sidecar\nspec:\n  egress:\n  - hosts:\n    - "./*"\n    - "analytics/*"\n    - istio-system/*\n';
    expect(mapManifest(sidecar, m)).toBe(`kind: Sidecar\nspec:\n  egress:\n  - hosts:\n    - "./*"\n    - "${TO}-analytics/*"\n    - istio-system/*\n`);
    const vs = 'kind: VirtualService\nspec:\n  exportTo:\n  - "."\n  - analytics # the reports team\n  - analyticsx\n';
    expect(mapManifest(vs, m)).toBe(`kind: VirtualService\nspec:\n  exportTo:\n  - "."\n  - ${TO}-analytics # the reports team\n  - analyticsx\n`);
    const ap = 'spec:\n  rules:\n  - from:\n    - source:\n        notNamespaces:\n        - shop\n        - istio-system\n      to:\n      - operation:\n          paths: ["/shop/analytics"]\n';
    expect(mapManifest(ap, m)).toBe(`spec:\n  rules:\n  - from:\n    - source:\n        notNamespaces:\n        - ${TO}\n        - istio-system\n      to:\n      - operation:\n          paths: ["/shop/analytics"]\n`);
    expect(mapManifest('exportTo: ["shop", "analytics", "*"]\n', m)).toBe(`exportTo: ["${TO}", "${TO}-analytics", "*"]\n`);
  });
});
