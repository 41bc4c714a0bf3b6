/**
 * A sidecar's outbound TLS chains from a mesh VirtualService's tls routes (istio/istio
 * pilot/pkg/networking/core/tls.go buildSidecarOutboundTLSFilterChainOpts): the match's sniHosts go to
 * the route's destinations, weighted when there are several; a match for other source labels or another
 * port does not apply, and then the host keeps its own chain.
 */
import { describe, expect, it } from 'vitest';
import { Sandbox } from '../../sandbox';
import { readExamples, SAMPLES_DIR, steps } from '../../testing';

const samples = readExamples(SAMPLES_DIR);

const SETUP = `kubectl apply -f - <<EOF
apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata:
  name: cnn
spec:
  hosts:
  - edition.cnn.com
  ports:
  - number: 443
    name: tls
    protocol: TLS
  resolution: DNS
---
apiVersion: networking.istio.io/v1
kind: Gateway
metadata:
  name: istio-egressgateway
spec:
  selector:
    istio: egressgateway
  servers:
  - port:
      number: 443
      name: tls
      protocol: TLS
    hosts:
    - edition.cnn.com
    tls:
      mode: PASSTHROUGH
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata:
  name: egressgateway-for-cnn
spec:
  host: istio-egressgateway.istio-system.svc.cluster.local
  subsets:
  - name: cnn
EOF`;

function virtualService(meshMatch: string, meshRoute: string): string {
  return `kubectl apply -f - <<EOF
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: cnn
spec:
  hosts:
  - edition.cnn.com
  gateways:
  - mesh
  - istio-egressgateway
  tls:
  - match:
    - gateways:
      - mesh
${meshMatch}
      sniHosts:
      - edition.cnn.com
    route:
${meshRoute}
  - match:
    - gateways:
      - istio-egressgateway
      port: 443
      sniHosts:
      - edition.cnn.com
    route:
    - destination:
        host: edition.cnn.com
        port:
          number: 443
EOF`;
}

const TO_GATEWAY = `    - destination:
        host: istio-egressgateway.istio-system.svc.cluster.local
        subset: cnn
        port:
          number: 443`;

async function mesh(seed: number): Promise<Sandbox> {
  const sb = new Sandbox({ samples, seed });
  await steps(sb, [
    'istioctl install -y --set meshConfig.accessLogFile=/dev/stdout --set "components.egressGateways[0].name=istio-egressgateway" --set "components.egressGateways[0].enabled=true"',
    'kubectl label namespace default istio-injection=enabled',
    'kubectl apply -f samples/curl/curl.yaml',
  ]);
  await sb.exec(SETUP);
  await sb.cluster.advance(20_000);
  return sb;
}

async function clustersOf(sb: Sandbox, n: number): Promise<string[]> {
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    expect((await sb.exec("kubectl exec deploy/curl -c curl -- curl -s -o /dev/null -w '%{http_code}' https://edition.cnn.com/politics")).stdout).toBe('200');
    out.push((await sb.exec('kubectl logs deploy/curl -c istio-proxy --tail=1')).stdout.match(/ (outbound\|443\|[^ ]*) /)?.[1] ?? '?');
  }
  return out;
}

describe('mesh VirtualService tls routes on a sidecar', () => {
  it('weighted destinations split the connections by SNI', async () => {
    const sb = await mesh(31);
    await sb.exec(virtualService('      port: 443', `${TO_GATEWAY}\n      weight: 50\n    - destination:\n        host: edition.cnn.com\n        port:\n          number: 443\n      weight: 50`));
    await sb.cluster.advance(2000);
    const seen = await clustersOf(sb, 24);
    const viaGateway = seen.filter((c) => c === 'outbound|443|cnn|istio-egressgateway.istio-system.svc.cluster.local').length;
    const direct = seen.filter((c) => c === 'outbound|443||edition.cnn.com').length;
    expect(viaGateway + direct).toBe(24);
    expect(viaGateway).toBeGreaterThan(4);
    expect(direct).toBeGreaterThan(4);
  });

  it('a match for other source labels, or for another port, leaves the host on its own cluster', async () => {
    const sb = await mesh(32);
    await sb.exec(virtualService('      port: 443\n      sourceLabels:\n        app: other', TO_GATEWAY));
    await sb.cluster.advance(2000);
    expect(await clustersOf(sb, 2)).toEqual(['outbound|443||edition.cnn.com', 'outbound|443||edition.cnn.com']);
    await sb.exec(virtualService('      port: 8443', TO_GATEWAY));
    await sb.cluster.advance(2000);
    expect(await clustersOf(sb, 2)).toEqual(['outbound|443||edition.cnn.com', 'outbound|443||edition.cnn.com']);
    await sb.exec(virtualService('      sourceLabels:\n        app: curl', TO_GATEWAY));
    await sb.cluster.advance(2000);
    expect(await clustersOf(sb, 2)).toEqual(['outbound|443|cnn|istio-egressgateway.istio-system.svc.cluster.local', 'outbound|443|cnn|istio-egressgateway.istio-system.svc.cluster.local']);
  });
});
