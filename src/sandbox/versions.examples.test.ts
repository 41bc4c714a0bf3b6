/**
 * examples/ stay on v1; a learner may bring the same manifests in any other served version
 * (istio.io still shows v1alpha3 and v1beta1). Each example directory is applied as written and
 * again converted to every other served version: the stored specs, the proxies' routes and a
 * request through the ingress gateway must be identical.
 */
import { describe, expect, it } from 'vitest';
import { ISTIO_CRDS } from '../istio/kinds';
import { Sandbox } from './sandbox';
import { readExamples } from './testing';

const examples = readExamples(undefined, /\.ya?ml$/);
const dirs = [...new Set(Object.keys(examples).map((p) => p.split('/')[0]))].sort();

/** Every `apiVersion: <group>/<v>` line of an Istio kind rewritten to `version` where that kind serves it. */
function convert(text: string, version: string): string {
  return text
    .split(/^---$/m)
    .map((doc) => {
      const kind = /^kind:\s*(\w+)/m.exec(doc)?.[1];
      const crd = ISTIO_CRDS.find((c) => c.kind === kind && new RegExp(`^apiVersion:\\s*${c.group.replace(/\./g, '\\.')}/`, 'm').test(doc));
      if (!crd || !crd.versions.includes(version)) return doc;
      return doc.replace(/^apiVersion:\s*\S+/m, `apiVersion: ${crd.group}/${version}`);
    })
    .join('---');
}

async function observe(files: Record<string, string>, dir: string): Promise<string> {
  const sb = new Sandbox({ seed: 7, examples: files });
  // the namespaces an earlier scenario would have made; then twice, as a reader does when a
  // namespace sorts after the files that use it
  for (const ns of ['demo', 'shop']) await sb.exec(`kubectl create namespace ${ns}`);
  const first = await sb.exec(`kubectl apply -f ~/examples/${dir}/`);
  const apply = await sb.exec(`kubectl apply -f ~/examples/${dir}/`);
  await sb.exec('sleep 20');
  const listed = await sb.exec('kubectl get virtualservices,destinationrules,gateways,serviceentries,sidecars,peerauthentications,authorizationpolicies -A -o json');
  const items = (JSON.parse(listed.stdout || '{"items":[]}') as { items: Array<{ kind: string; metadata: { namespace: string; name: string }; spec: unknown }> }).items;
  const specs = items.map((o) => `${o.kind} ${o.metadata.namespace}/${o.metadata.name} ${JSON.stringify(o.spec)}`).join('\n');
  const routes = await sb.exec('istioctl proxy-config routes deploy/istio-ingressgateway -n istio-system');
  const ip = (await sb.exec("kubectl -n istio-system get service istio-ingressgateway -o jsonpath='{.status.loadBalancer.ingress[0].ip}'")).stdout;
  const curl = await sb.exec(`curl -s -o /dev/null -w '%{http_code}' http://${ip}/`);
  return [first.stdout, apply.stdout, apply.stderr, specs, routes.stdout, curl.stdout].join('\n#\n');
}

describe('examples applied in every served version behave the same', () => {
  for (const dir of dirs) {
    const files = Object.fromEntries(Object.entries(examples).filter(([p]) => p.startsWith(`${dir}/`)));
    const texts = Object.values(files).join('\n');
    if (!/networking\.istio\.io|security\.istio\.io/.test(texts)) continue;
    it(`${dir}: v1 and its v1beta1/v1alpha3 copies`, async () => {
      const original = await observe(files, dir);
      // some directories lean on an earlier scenario's namespace: what matters is that the copies behave alike
      expect(original).toMatch(/istio\.io\/\S+ created/);
      for (const version of ['v1beta1', 'v1alpha3']) {
        const converted = Object.fromEntries(Object.entries(files).map(([p, t]) => [p, convert(t, version)]));
        if (version === 'v1alpha3' && /networking\.istio\.io/.test(texts)) expect(Object.values(converted).join('\n')).toMatch(/networking\.istio\.io\/v1alpha3/);
        expect(await observe(converted, dir)).toBe(original);
      }
    }, 60_000);
  }
});
