/**
 * istio.io's egress tasks through the shell with their published commands: TLS origination for
 * egress traffic (content/en/docs/tasks/traffic-management/egress/egress-tls-origination), and the
 * "double TLS" mistake it warns about.
 */
import { describe, expect, it } from 'vitest';
import { Sandbox } from '../sandbox';
import { readExamples, SAMPLES_DIR, steps } from '../testing';

const samples = readExamples(SAMPLES_DIR);

const serviceEntry = (targetPort: string): string => `kubectl apply -f - <<EOF
apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata:
  name: edition-cnn-com
spec:
  hosts:
  - edition.cnn.com
  ports:
  - number: 80
    name: http-port
    protocol: HTTP${targetPort}
  - number: 443
    name: https-port
    protocol: HTTPS
  resolution: DNS
EOF`;

const destinationRule = (policy: string): string => `kubectl apply -f - <<EOF
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata:
  name: edition-cnn-com
spec:
  host: edition.cnn.com
  trafficPolicy:
${policy}
EOF`;

async function run(sb: Sandbox, command: string): Promise<{ code: number; stdout: string; stderr: string }> {
  const r = await sb.exec(command);
  await sb.cluster.advance(2000);
  return r;
}

describe('istio.io task: Egress TLS Origination', () => {
  it('http:// gets a 301 to https until the sidecar originates TLS on port 80 (targetPort 443); then HTTP/1.1 200 OK', { timeout: 60_000 }, async () => {
    const sb = new Sandbox({ samples, seed: 41 });
    await steps(sb, 'kubectl label namespace default istio-injection=enabled\nkubectl apply -f samples/curl/curl.yaml');
    await sb.cluster.advance(20_000);
    await steps(sb, 'export SOURCE_POD=$(kubectl get pod -l app=curl -o jsonpath={.items..metadata.name})');
    await run(sb, serviceEntry(''));
    const curl = 'kubectl exec "${SOURCE_POD}" -c curl -- curl -sSL -o /dev/null -D - http://edition.cnn.com/politics';
    const before = await run(sb, curl);
    expect(before.stdout).toMatch(/^HTTP\/1\.1 301 Moved Permanently\n[^]*location: https:\/\/edition\.cnn\.com\/politics\n[^]*\n\nHTTP\/2 200 \n/);

    await run(sb, serviceEntry('\n    targetPort: 443'));
    // port-level tls for port 80 only, as the task writes it
    await run(sb, destinationRule('    portLevelSettings:\n    - port:\n        number: 80\n      tls:\n        mode: SIMPLE # initiates HTTPS when accessing edition.cnn.com'));
    const after = await run(sb, curl);
    expect(after.stdout).toMatch(/^HTTP\/1\.1 200 OK\n/);
    expect(after.stdout).not.toMatch(/301/);
    // the request left through the port-80 cluster to the site's port 443
    const log = (await sb.exec('kubectl logs "${SOURCE_POD}" -c istio-proxy | tail -1')).stdout;
    expect(log).toMatch(/"GET \/politics HTTP\/1\.1" 200 - via_upstream .* "edition\.cnn\.com" "151\.101\.3\.5:443" outbound\|80\|\|edition\.cnn\.com /);
    // https:// from the application still passes through the 443 cluster untouched
    expect((await run(sb, 'kubectl exec "${SOURCE_POD}" -c curl -- curl -sS -o /dev/null -w "%{http_code}" https://edition.cnn.com/politics')).stdout).toBe('200');
  });

  it('without targetPort the originated TLS goes to port 80 and the site resets it', { timeout: 60_000 }, async () => {
    const sb = new Sandbox({ samples, seed: 42 });
    await steps(sb, 'kubectl label namespace default istio-injection=enabled\nkubectl apply -f samples/curl/curl.yaml');
    await sb.cluster.advance(20_000);
    await run(sb, serviceEntry(''));
    await run(sb, destinationRule('    portLevelSettings:\n    - port:\n        number: 80\n      tls:\n        mode: SIMPLE'));
    const r = await run(sb, 'kubectl exec deploy/curl -c curl -- curl -s -o /dev/null -w "%{http_code}" http://edition.cnn.com/politics');
    expect(r.stdout).toBe('503');
    // the failed handshake is a connection failure: Istio's default retry policy (connect-failure) retries it twice
    const body = await run(sb, 'kubectl exec deploy/curl -c curl -- curl -s http://edition.cnn.com/politics');
    expect(body.stdout).toBe('upstream connect error or disconnect/reset before headers. retried and the latest reset reason: remote connection failure, transport failure reason: TLS_error:|268435703:SSL routines:OPENSSL_internal:WRONG_VERSION_NUMBER:TLS_error_end');
    expect((await sb.exec('kubectl logs deploy/curl -c istio-proxy | tail -1')).stdout).toMatch(/" 503 UF,URX upstream_reset_before_response_started\{remote_connection_failure\|TLS_error:\|268435703:SSL_routines:OPENSSL_internal:WRONG_VERSION_NUMBER:TLS_error_end\} - "TLS_error:\|268435703:SSL_routines:OPENSSL_internal:WRONG_VERSION_NUMBER:TLS_error_end" .* "151\.101\.3\.5:80" outbound\|80\|\|edition\.cnn\.com /);
  });

  it('double TLS: TLS originated for a client that already speaks TLS ends in curl exit 35, wrong version number', { timeout: 60_000 }, async () => {
    const sb = new Sandbox({ samples, seed: 43 });
    await steps(sb, 'kubectl label namespace default istio-injection=enabled\nkubectl apply -f samples/curl/curl.yaml');
    await sb.cluster.advance(20_000);
    await run(sb, serviceEntry(''));
    await run(sb, destinationRule('    tls:\n      mode: SIMPLE'));
    const r = await run(sb, 'kubectl exec deploy/curl -c curl -- curl -sS -o /dev/null https://edition.cnn.com/politics');
    expect(r.code).toBe(35);
    expect(r.stderr).toMatch(/^curl: \(35\) OpenSSL\/[\d.]+: error:0A00010B:SSL routines::wrong version number\ncommand terminated with exit code 35\n$/);
    // the sidecar saw a successful TCP connection to the site's 443
    expect((await sb.exec('kubectl logs deploy/curl -c istio-proxy | tail -1')).stdout).toMatch(/^\[.*\] "- - -" 0 - - - "-" \d+ \d+ \d+ - "-" "-" "-" "-" "151\.101\.3\.5:443" outbound\|443\|\|edition\.cnn\.com /);
  });

  it('egress gateway TLS origination (egress-gateway-tls-origination): sidecar → egress gateway over HTTP, the gateway originates TLS to port 443', { timeout: 60_000 }, async () => {
    const sb = new Sandbox({ samples, seed: 44 });
    await steps(sb, 'istioctl install -y --set meshConfig.accessLogFile=/dev/stdout --set "components.egressGateways[0].name=istio-egressgateway" --set "components.egressGateways[0].enabled=true"');
    await steps(sb, 'kubectl label namespace default istio-injection=enabled\nkubectl apply -f samples/curl/curl.yaml');
    await sb.cluster.advance(20_000);
    await run(sb, serviceEntry(''));
    await run(sb, `kubectl apply -f - <<EOF
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
      name: http-port-for-tls-origination
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
          number: 443
      weight: 100
EOF`);
    await run(sb, destinationRule('    portLevelSettings:\n    - port:\n        number: 443\n      tls:\n        mode: SIMPLE # initiates HTTPS for connections to edition.cnn.com'));
    const r = await run(sb, 'kubectl exec deploy/curl -c curl -- curl -sSL -o /dev/null -D - http://edition.cnn.com/politics');
    expect(r.stdout).toMatch(/^HTTP\/1\.1 200 OK\n/);
    // the sidecar sent the request to the gateway's subset; the gateway to the site's 443, over TLS
    expect((await sb.exec('kubectl logs deploy/curl -c istio-proxy | tail -1')).stdout).toMatch(/"GET \/politics HTTP\/1\.1" 200 - via_upstream .* "edition\.cnn\.com" "10\.\d+\.\d+\.\d+:8080" outbound\|80\|cnn\|istio-egressgateway\.istio-system\.svc\.cluster\.local /);
    // the gateway's port 80 is named http2, so the sidecar speaks HTTP/2 to it: istio.io's log line for this
    // task reads "GET /politics HTTP/2" 200 (content/en/docs/tasks/traffic-management/egress/egress-gateway-tls-origination)
    expect((await sb.exec('kubectl logs -l istio=egressgateway -n istio-system -c istio-proxy --tail=1')).stdout).toMatch(/"GET \/politics HTTP\/2" 200 - via_upstream .* "edition\.cnn\.com" "151\.101\.3\.5:443" outbound\|443\|\|edition\.cnn\.com /);
    // the DestinationRule for port 443 applies to the sidecars too: an application's own https:// is wrapped in TLS again
    const https = await run(sb, 'kubectl exec deploy/curl -c curl -- curl -sS -o /dev/null https://edition.cnn.com/politics');
    expect(https.code).toBe(35);
  });
});
