import { describe, expect, it } from 'vitest';
import { parseManifests } from './index';
import { sandboxValidation } from './sandbox';

const GATEWAY = `apiVersion: networking.istio.io/v1
kind: Gateway
metadata: {name: web-gateway, namespace: shop}
spec:
  selector: {istio: ingressgateway}
  servers: [{port: {number: 80, name: http, protocol: HTTP}, hosts: ["*"]}]
`;
const VS = `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: web
  namespace: shop
spec:
  hosts: ["*"]
  gateways:
    - web-gateway
  http:
    - route:
        - destination:
            host: web
          weight: 30
`;
const objects = (yaml: string) => parseManifests(yaml);

describe("the sandbox's istioctl analyze", () => {
  it('prints Istio findings only, in istioctl format, never the course hints', () => {
    const lines = sandboxValidation.analyzer(objects(VS), 'shop', []);
    expect(lines).toEqual(['Error [IST0101] (VirtualService web.shop) Referenced gateway not found: "web-gateway"', 'Error [IST0101] (VirtualService web.shop) Referenced host not found: "web"']);
  });

  it('names the file and line of a finding in a file given on the command line', () => {
    const lines = sandboxValidation.analyzer([], 'shop', [{ name: 'vs.yaml', text: VS }]);
    expect(lines).toContain('Error [IST0101] (VirtualService web.shop vs.yaml:9) Referenced gateway not found: "web-gateway"');
  });

  it('reads each file with the cluster and the other files around it; a file replaces the cluster object of its name', () => {
    const withGateway = sandboxValidation.analyzer([], 'shop', [
      { name: 'gw.yaml', text: GATEWAY },
      { name: 'vs.yaml', text: VS },
    ]);
    expect(withGateway.join('\n')).not.toContain('Referenced gateway not found');
    const fixed = VS.replace('- web-gateway', '- other-gateway');
    const lines = sandboxValidation.analyzer(objects(`${GATEWAY}---\n${VS}`), 'shop', [{ name: 'vs.yaml', text: fixed }]);
    expect(lines).toContain('Error [IST0101] (VirtualService web.shop vs.yaml:9) Referenced gateway not found: "other-gateway"');
    expect(lines.filter((l) => l.includes('(VirtualService web.shop)'))).toEqual([]);
  });

  it('reports IST0102 for the analyzed namespace only, every namespace with --all-namespaces', () => {
    const pods = (ns: string) => `apiVersion: v1\nkind: Namespace\nmetadata: {name: ${ns}}\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: ${ns}}\nspec: {containers: [{name: c, image: nginx}]}\n`;
    const cluster = objects(`${pods('shop')}---\n${pods('other')}`);
    const ist0102 = (ns: string | undefined) => sandboxValidation.analyzer(cluster, ns, []).filter((l) => l.includes('IST0102'));
    expect(ist0102('shop')).toEqual([
      "Info [IST0102] (Namespace shop) The namespace is not enabled for Istio injection. Run 'kubectl label namespace shop istio-injection=enabled' to enable it, or 'kubectl label namespace shop istio-injection=disabled' to explicitly mark it as not needing injection.",
    ]);
    expect(ist0102(undefined).map((l) => l.slice(0, 36)).sort()).toEqual(['Info [IST0102] (Namespace other) The', 'Info [IST0102] (Namespace shop) The ']);
  });
});
