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
});
