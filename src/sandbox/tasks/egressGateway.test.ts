/**
 * istio.io's Egress Gateways task (content/en/docs/tasks/traffic-management/egress/egress-gateway,
 * Istio APIs tab), run from its published commands against ~/samples: HTTP to edition.cnn.com through
 * istio-egressgateway, then application TLS passed through it. Outputs asserted as the task shows them
 * and as its test.sh / http_test.sh / https_test.sh check them (the 301 then HTTP/2 200, the gateway's
 * "GET /politics HTTP/2" line, "outbound|443||edition.cnn.com" and "- - -" for passthrough, the gateway
 * certificate's SPIFFE id through `istioctl pc secret -ojson | jq | base64 -d | openssl x509`).
 */
import { describe, expect, it, vi } from 'vitest';
import { Sandbox } from '../sandbox';
import { readExamples, SAMPLES_DIR, steps } from '../testing';

const samples = readExamples(SAMPLES_DIR);
vi.setConfig({ testTimeout: 60_000 });

/** `kubectl apply -f - <<EOF` as the task prints it; a couple of seconds pass after. */
async function apply(sb: Sandbox, manifest: string): Promise<string> {
  const r = await sb.exec(`kubectl apply -f - <<EOF\n${manifest.trim()}\nEOF`);
  await sb.cluster.advance(2000);
  return r.stdout + r.stderr;
}

const CURL_HTTP = 'kubectl exec "$SOURCE_POD" -c curl -- curl -sSL -o /dev/null -D - http://edition.cnn.com/politics';
const CURL_HTTPS = 'kubectl exec "$SOURCE_POD" -c curl -- curl -sSL -o /dev/null -D - https://edition.cnn.com/politics';

/** "Before you begin" and "Deploy Istio egress gateway": the curl client, access logs, the gateway. */
async function setup(seed: number): Promise<Sandbox> {
  const sb = new Sandbox({ samples, seed });
  await steps(sb, ['kubectl label namespace default istio-injection=enabled', 'kubectl apply -f samples/curl/curl.yaml']);
  await sb.cluster.advance(20_000);
  await steps(sb, 'export SOURCE_POD=$(kubectl get pod -l app=curl -o jsonpath={.items..metadata.name})');
  // "If no pods are returned, deploy the Istio egress gateway"
  const none = await sb.exec('kubectl get pod -l istio=egressgateway -n istio-system');
  expect(none.stderr).toBe('No resources found in istio-system namespace.\n');
  await steps(sb, 'istioctl install -y --set meshConfig.accessLogFile=/dev/stdout --set "components.egressGateways[0].name=istio-egressgateway" --set "components.egressGateways[0].enabled=true"');
  await sb.cluster.advance(10_000);
  expect((await sb.exec('kubectl get pod -l istio=egressgateway -n istio-system')).stdout).toMatch(/^NAME +READY +STATUS +RESTARTS +AGE\nistio-egressgateway-[a-z0-9]+-[a-z0-9]{5} +1\/1 +Running +0 +\d+s\n$/);
  return sb;
}

describe('istio.io Egress Gateways', () => {
  it('HTTP traffic: the sidecar sends edition.cnn.com:80 to the egress gateway, which logs "GET /politics HTTP/2" 301 and forwards to the site', async () => {
    const sb = await setup(21);
    expect(
      await apply(
        sb,
        `
apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata:
  name: cnn
spec:
  hosts:
  - edition.cnn.com
  ports:
  - number: 80
    name: http-port
    protocol: HTTP
  - number: 443
    name: https
    protocol: HTTPS
  resolution: DNS`,
      ),
    ).toBe('serviceentry.networking.istio.io/cnn created\n');
    // "HTTP/1.1 301 Moved Permanently … location: https://edition.cnn.com/politics … HTTP/2 200, Content-Type: text/html; charset=utf-8"
    // (HTTP/2 header names are lower case on the wire and curl prints them as received)
    const direct = (await sb.exec(CURL_HTTP)).stdout;
    expect(direct).toMatch(/^HTTP\/1\.1 301 Moved Permanently\n[^]*\nlocation: https:\/\/edition\.cnn\.com\/politics\n[^]*\n\nHTTP\/2 200 \n[^]*content-type: text\/html; charset=utf-8\n/);
    expect((await sb.exec('kubectl logs "$SOURCE_POD" -c istio-proxy --tail=2')).stdout).toMatch(/"GET \/politics HTTP\/1\.1" 301 - via_upstream .* "151\.101\.\d+\.\d+:80" outbound\|80\|\|edition\.cnn\.com /);

    expect(
      await apply(
        sb,
        `
apiVersion: networking.istio.io/v1
kind: Gateway
metadata:
  name: istio-egressgateway
spec:
  selector:
    istio: egressgateway
  servers:
  - port:
      number: 80
      name: http
      protocol: HTTP
    hosts:
    - edition.cnn.com
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata:
  name: egressgateway-for-cnn
spec:
  host: istio-egressgateway.istio-system.svc.cluster.local
  subsets:
  - name: cnn`,
      ),
    ).toBe('gateway.networking.istio.io/istio-egressgateway created\ndestinationrule.networking.istio.io/egressgateway-for-cnn created\n');
    expect(
      await apply(
        sb,
        `
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: direct-cnn-through-egress-gateway
spec:
  hosts:
  - edition.cnn.com
  gateways:
  - istio-egressgateway
  - mesh
  http:
  - match:
    - gateways:
      - mesh
      port: 80
    route:
    - destination:
        host: istio-egressgateway.istio-system.svc.cluster.local
        subset: cnn
        port:
          number: 80
      weight: 100
  - match:
    - gateways:
      - istio-egressgateway
      port: 80
    route:
    - destination:
        host: edition.cnn.com
        port:
          number: 80
      weight: 100`,
      ),
    ).toBe('virtualservice.networking.istio.io/direct-cnn-through-egress-gateway created\n');
    // "The output should be the same as in the step 2."
    const viaGateway = (await sb.exec(CURL_HTTP)).stdout;
    expect(viaGateway).toMatch(/^HTTP\/1\.1 301 Moved Permanently\n[^]*\nlocation: https:\/\/edition\.cnn\.com\/politics\n[^]*\n\nHTTP\/2 200 \n[^]*content-type: text\/html; charset=utf-8\n/);
    // the gateway's line: "GET /politics HTTP/2" 301 … "edition.cnn.com" "151.101.65.67:80" outbound|80||edition.cnn.com
    const gw = (await sb.exec('kubectl logs -l istio=egressgateway -c istio-proxy -n istio-system | tail')).stdout;
    expect(gw).toMatch(/\n\[[^\]]+\] "GET \/politics HTTP\/2" 301 - via_upstream - "-" 0 0 \d+ \d+ "10\.244\.\d+\.\d+" "curl\/[\d.]+" "[0-9a-f-]{36}" "edition\.cnn\.com" "151\.101\.\d+\.\d+:80" outbound\|80\|\|edition\.cnn\.com 10\.244\.\d+\.\d+:\d+ 10\.244\.\d+\.\d+:8080 10\.244\.\d+\.\d+:\d+ - -\n$/);
    // the sidecar sent it to the gateway's subset; the redirected https request went straight out on 443
    const side = (await sb.exec('kubectl logs "$SOURCE_POD" -c istio-proxy --tail=2')).stdout;
    expect(side).toMatch(/"GET \/politics HTTP\/1\.1" 301 - via_upstream .* "10\.244\.\d+\.\d+:8080" outbound\|80\|cnn\|istio-egressgateway\.istio-system\.svc\.cluster\.local /);
    expect(side).toMatch(/"- - -" 0 - - - .* outbound\|443\|\|edition\.cnn\.com .* edition\.cnn\.com -\n$/);

    // the tip "If mutual TLS Authentication is enabled … verify the certificate is correct": the gateway's
    // workload certificate from its config dump, decoded by openssl, carries its service account's SPIFFE id
    const san = await sb.exec(`istioctl pc secret -n istio-system "$(kubectl get pod -l istio=egressgateway -n istio-system -o jsonpath='{.items[0].metadata.name}')" -ojson | jq '[.dynamicActiveSecrets[] | select(.name == "default")][0].secret.tlsCertificate.certificateChain.inlineBytes' -r | base64 -d | openssl x509 -text -noout | grep 'Subject Alternative Name' -A 1`);
    expect(san).toEqual({ code: 0, stdout: '            X509v3 Subject Alternative Name: critical\n                URI:spiffe://cluster.local/ns/istio-system/sa/istio-egressgateway-service-account\n', stderr: '' });

    // Cleanup HTTP gateway
    const cleanup = await steps(
      sb,
      `kubectl delete serviceentry cnn
kubectl delete gateway istio-egressgateway
kubectl delete virtualservice direct-cnn-through-egress-gateway
kubectl delete destinationrule egressgateway-for-cnn`,
    );
    for (const o of ['serviceentry.networking.istio.io "cnn"', 'gateway.networking.istio.io "istio-egressgateway"', 'virtualservice.networking.istio.io "direct-cnn-through-egress-gateway"', 'destinationrule.networking.istio.io "egressgateway-for-cnn"'])
      expect(cleanup).toContain(`${o} deleted`);
  });

  it('HTTPS traffic: TLS from the application is routed by SNI to the egress gateway and passed through to edition.cnn.com:443', async () => {
    const sb = await setup(22);
    await apply(
      sb,
      `
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
  resolution: DNS`,
    );
    expect((await sb.exec(CURL_HTTPS)).stdout).toMatch(/^HTTP\/2 200 \n[^]*content-type: text\/html; charset=utf-8\n/);
    expect(
      await apply(
        sb,
        `
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
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: direct-cnn-through-egress-gateway
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
      port: 443
      sniHosts:
      - edition.cnn.com
    route:
    - destination:
        host: istio-egressgateway.istio-system.svc.cluster.local
        subset: cnn
        port:
          number: 443
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
      weight: 100`,
      ),
    ).toBe(
      'gateway.networking.istio.io/istio-egressgateway created\ndestinationrule.networking.istio.io/egressgateway-for-cnn created\nvirtualservice.networking.istio.io/direct-cnn-through-egress-gateway created\n',
    );
    // "The output should be the same as before."
    expect((await sb.exec(CURL_HTTPS)).stdout).toMatch(/^HTTP\/2 200 \n[^]*content-type: text\/html; charset=utf-8\n/);
    // the gateway's line: "- - -" 0 - - - "-" 839 2504306 231 - "-" "-" "-" "-" "151.101.195.5:443" outbound|443||edition.cnn.com … edition.cnn.com -
    const gw = (await sb.exec('kubectl logs -l istio=egressgateway -n istio-system')).stdout;
    expect(gw).toMatch(/\n\[[^\]]+\] "- - -" 0 - - - "-" \d+ \d+ \d+ - "-" "-" "-" "-" "151\.101\.\d+\.\d+:443" outbound\|443\|\|edition\.cnn\.com 10\.244\.\d+\.\d+:\d+ 10\.244\.\d+\.\d+:8443 10\.244\.\d+\.\d+:\d+ edition\.cnn\.com -\n$/);
    // the sidecar's SNI chain for edition.cnn.com now leads to the gateway's subset
    expect((await sb.exec('kubectl logs "$SOURCE_POD" -c istio-proxy --tail=1')).stdout).toMatch(/"- - -" 0 - - - "-" \d+ \d+ \d+ - "-" "-" "-" "-" "10\.244\.\d+\.\d+:8443" outbound\|443\|cnn\|istio-egressgateway\.istio-system\.svc\.cluster\.local /);
    expect((await sb.exec('istioctl proxy-config listeners "$SOURCE_POD" --port 443')).stdout).toMatch(/SNI: edition\.cnn\.com +Cluster: outbound\|443\|cnn\|istio-egressgateway\.istio-system\.svc\.cluster\.local/);

    // "Apply Kubernetes network policies", the parts that do not need a NetworkPolicy: a pod without a
    // sidecar in test-egress reaches the site directly; with a sidecar (and the DestinationRule in its
    // namespace) it goes through the egress gateway
    await steps(sb, ['kubectl create namespace test-egress', 'kubectl apply -n test-egress -f samples/curl/curl.yaml']);
    await sb.cluster.advance(15_000);
    const pod = '"$(kubectl get pod -n test-egress -l app=curl -o jsonpath={.items..metadata.name})"';
    expect((await sb.exec(`kubectl get pod ${pod} -n test-egress`)).stdout).toMatch(/^NAME +READY +STATUS +RESTARTS +AGE\ncurl-[a-z0-9]+-[a-z0-9]{5} +1\/1 +Running +0 +\d+s\n$/);
    expect((await sb.exec(`kubectl exec ${pod} -n test-egress -c curl -- curl -s -o /dev/null -w "%{http_code}\\n"  https://edition.cnn.com/politics`)).stdout).toBe('200\n');
    await steps(sb, ['kubectl label namespace test-egress istio-injection=enabled', 'kubectl delete deployment curl -n test-egress', 'kubectl apply -f samples/curl/curl.yaml -n test-egress']);
    await sb.cluster.advance(20_000);
    // Istio 1.29 on a 1.35 node: istio-proxy is a native sidecar among the init containers
    expect((await sb.exec(`kubectl get pod ${pod} -n test-egress -o jsonpath='{.spec.containers[*].name} / {.spec.initContainers[*].name}'`)).stdout).toBe('curl / istio-init istio-proxy');
    await sb.exec(`kubectl apply -n test-egress -f - <<EOF
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata:
  name: egressgateway-for-cnn
spec:
  host: istio-egressgateway.istio-system.svc.cluster.local
  subsets:
  - name: cnn
EOF`);
    await sb.cluster.advance(2000);
    expect((await sb.exec(`kubectl exec ${pod} -n test-egress -c curl -- curl -sS -o /dev/null -w "%{http_code}\\n" https://edition.cnn.com/politics`)).stdout).toBe('200\n');
    const lines = (await sb.exec('kubectl logs -l istio=egressgateway -n istio-system')).stdout.trim().split('\n');
    expect(lines.filter((l) => l.includes('outbound|443||edition.cnn.com'))).toHaveLength(2);
  });
});
