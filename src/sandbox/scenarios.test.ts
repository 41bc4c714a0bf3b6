/**
 * Scenario tests: the commands of the course's scenario lessons, run in the sandbox against
 * the real manifests in examples/, asserting what the lessons promise.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { ENVOY_FILTER_WARNING } from '../istio/validation/envoyFilter';
import { Sandbox } from './sandbox';
import { readExamples, steps } from './testing';

let examples: Record<string, string> = {};
beforeAll(() => {
  examples = readExamples();
});

async function ingress(sb: Sandbox): Promise<string> {
  return (await sb.exec("kubectl -n istio-system get service istio-ingressgateway -o jsonpath='{.status.loadBalancer.ingress[0].ip}'")).stdout;
}

async function counts(sb: Sandbox, n: number): Promise<Record<string, number>> {
  const ip = await ingress(sb);
  const r = await sb.exec(`for i in $(seq 1 ${n}); do curl -s http://${ip}/ | grep -o '"name": "service-[bc]"'; done | sort | uniq -c`);
  const out: Record<string, number> = {};
  for (const l of r.stdout.trim().split('\n').filter(Boolean)) {
    const m = l.trim().match(/^(\d+) "name": "(service-[bc])"$/);
    if (m) out[m[2]] = Number(m[1]);
  }
  return out;
}

const SCENARIO_A = `kubectl apply -f examples/ingress-service-a/namespace.yaml
kubectl apply -f examples/ingress-service-a/`;
const SCENARIO_B = `kubectl apply -f examples/service-a-service-b/
kubectl rollout status deployment/service-a -n demo --timeout=60s`;
const SCENARIO_C = `kubectl apply -f examples/traffic-split/service-c.yaml -f examples/traffic-split/service.yaml
kubectl rollout status deployment/service-c -n demo --timeout=60s`;

describe('scenario: ingress → ServiceA', () => {
  it('404 before the VirtualService, then ServiceA answers; logs on both proxies; 503 UH without pods', async () => {
    const sb = new Sandbox({ examples, seed: 8 });
    const out = await steps(
      sb,
      `kubectl apply -f examples/ingress-service-a/namespace.yaml
kubectl apply -f examples/ingress-service-a/service-a.yaml -f examples/ingress-service-a/service.yaml
kubectl apply -f examples/ingress-service-a/gateway.yaml`,
    );
    expect(out).toContain('namespace/demo created');
    expect(out).toContain('deployment.apps/service-a created');
    expect(out).toContain('gateway.networking.istio.io/demo-gateway created');
    const ip = await ingress(sb);
    expect((await sb.exec(`curl -s -o /dev/null -w '%{http_code}\\n' http://${ip}/`)).stdout).toBe('404\n');
    expect((await sb.exec('kubectl logs -l app=istio-ingressgateway -n istio-system -c istio-proxy --tail=1')).stdout).toMatch(/" 404 NR route_not_found /);
    await steps(sb, 'kubectl apply -f examples/ingress-service-a/virtual-service.yaml');
    const body = JSON.parse((await sb.exec(`curl -s http://${ip}/`)).stdout) as Record<string, unknown>;
    expect(body).toMatchObject({ name: 'service-a', uri: '/', type: 'HTTP', body: 'Hello from ServiceA', code: 200 });
    expect(Object.keys(body)).toEqual(['name', 'uri', 'type', 'ip_addresses', 'start_time', 'end_time', 'duration', 'body', 'code']);
    const gw = (await sb.exec('kubectl logs -l app=istio-ingressgateway -n istio-system -c istio-proxy --tail=1')).stdout;
    expect(gw).toMatch(/"GET \/ HTTP\/1\.1" 200 - via_upstream .* outbound\|80\|\|service-a\.demo\.svc\.cluster\.local /);
    const side = (await sb.exec('kubectl logs -l app=service-a-app -n demo -c istio-proxy --tail=1')).stdout;
    expect(side).toMatch(/ inbound\|9090\|\| .* outbound_\.80_\._\.service-a\.demo\.svc\.cluster\.local default\n$/);
    await steps(sb, 'kubectl scale deployment service-a -n demo --replicas=0');
    expect((await sb.exec(`curl -s http://${ip}/`)).stdout).toBe('no healthy upstream');
    expect((await sb.exec('kubectl logs -l app=istio-ingressgateway -n istio-system -c istio-proxy --tail=1')).stdout).toMatch(/" 503 UH no_healthy_upstream /);
  });
});

describe('scenario: ServiceA → ServiceB', () => {
  it('ServiceA calls producer-internal-host and nests ServiceB’s answer; retries hide most injected errors', async () => {
    const sb = new Sandbox({ examples, seed: 9 });
    await steps(sb, `${SCENARIO_A}\n${SCENARIO_B}`);
    const ip = await ingress(sb);
    const body = JSON.parse((await sb.exec(`curl -s http://${ip}/`)).stdout) as { upstream_calls: Record<string, { name: string; body: string; code: number }> };
    expect(body.upstream_calls['http://producer-internal-host']).toMatchObject({ name: 'service-b', body: 'Hello from ServiceB', code: 200 });
    const aLog = (await sb.exec("kubectl logs -l app=service-a-app -n demo -c istio-proxy --tail=2 | grep 'outbound|80||producer-internal-host'")).stdout;
    expect(aLog).toMatch(/"producer-internal-host" "10\.244\.\d+\.\d+:9090" outbound\|80\|\|producer-internal-host\.demo\.svc\.cluster\.local /);
    // fake-service copies the caller's headers upstream (HTTP_CLIENT_APPEND_REQUEST defaults to true): curl's User-Agent
    expect(aLog).toMatch(/ "curl\/[\d.]+" "[0-9a-f-]{36}" "producer-internal-host" /);
    await steps(sb, 'kubectl set env deployment/service-b -n demo ERROR_RATE=0.5\nkubectl rollout status deployment/service-b -n demo --timeout=60s');
    const codes = (await sb.exec(`for i in $(seq 1 50); do curl -s -o /dev/null -w '%{http_code}\\n' http://${ip}/; done | sort | uniq -c`)).stdout;
    const ok = Number(codes.match(/(\d+) 200/)?.[1] ?? 0);
    // 3 retries on 5xx: a request fails only if 4 attempts fail (1/16)
    expect(ok).toBeGreaterThanOrEqual(40);
  });
});

describe('scenario: traffic split', () => {
  it.each([
    ['virtual-service-90-10.yaml', 0.9],
    ['virtual-service-50-50.yaml', 0.5],
    ['virtual-service-10-90.yaml', 0.1],
    ['virtual-service-0-100.yaml', 0],
  ])('%s sends about %f to ServiceB', async (file, shareB) => {
    const sb = new Sandbox({ examples, seed: 10 });
    await steps(sb, `${SCENARIO_A}\n${SCENARIO_B}\n${SCENARIO_C}\nkubectl apply -f examples/traffic-split/${file}`);
    const c = await counts(sb, 300);
    const b = c['service-b'] ?? 0;
    const total = b + (c['service-c'] ?? 0);
    expect(total).toBe(300);
    expect(Math.abs(b / total - shareB)).toBeLessThan(0.06);
  });
});

describe('scenario: egress', () => {
  it('ALLOW_ANY, REGISTRY_ONLY + ServiceEntry, and mesh → egress gateway → ingress gateway → service-ext', async () => {
    const sb = new Sandbox({ examples, seed: 11 });
    await steps(sb, `${SCENARIO_A}\n${SCENARIO_B}\n${SCENARIO_C}\nkubectl apply -f examples/traffic-split/virtual-service-0-100.yaml\nkubectl apply -f examples/egress/client.yaml\nkubectl rollout status deployment/client -n demo`);
    const viaClient = (flags: string, url: string) => `kubectl exec deploy/client -n demo -c curl -- curl ${flags} ${url}`;
    expect((await sb.exec(viaClient("-s -o /dev/null -w '%{http_code}\\n'", 'http://httpbin.org/get'))).stdout).toBe('200\n');
    expect((await sb.exec('kubectl logs deploy/client -n demo -c istio-proxy --tail=1')).stdout).toMatch(/PassthroughCluster .* allow_any\n$/);
    await steps(sb, 'istioctl install -y --set meshConfig.accessLogFile=/dev/stdout --set meshConfig.outboundTrafficPolicy.mode=REGISTRY_ONLY');
    expect((await sb.exec("kubectl get configmap istio -n istio-system -o jsonpath='{.data.mesh}' | grep -A1 outboundTrafficPolicy")).stdout).toBe('outboundTrafficPolicy:\n  mode: REGISTRY_ONLY\n');
    expect((await sb.exec(viaClient("-s -o /dev/null -w '%{http_code}\\n'", 'http://httpbin.org/get'))).stdout).toBe('502\n');
    expect((await sb.exec('kubectl logs deploy/client -n demo -c istio-proxy --tail=1')).stdout).toMatch(/" 502 - direct_response - .* block_all\n$/);
    const tls = await sb.exec(viaClient('-sS -o /dev/null', 'https://httpbin.org/get'));
    expect(tls.stderr).toBe('curl: (35) Recv failure: Connection reset by peer\ncommand terminated with exit code 35\n');
    expect((await sb.exec('kubectl logs deploy/client -n demo -c istio-proxy --tail=1')).stdout).toMatch(/^\[.*\] "- - -" 0 UH - - "-" 0 0 0 - "-" "-" "-" "-" "-" BlackHoleCluster - [\d.]+:443 /);
    await steps(sb, 'kubectl apply -f examples/egress/service-entry.yaml');
    expect((await sb.exec(viaClient("-s -o /dev/null -w '%{http_code}\\n'", 'http://httpbin.org/get'))).stdout).toBe('200\n');
    expect((await sb.exec('kubectl logs deploy/client -n demo -c istio-proxy --tail=1')).stdout).toMatch(/"httpbin\.org" "[\d.]+:80" outbound\|80\|\|httpbin\.org /);
    await steps(sb, 'kubectl apply -f examples/egress/external-namespace.yaml\nkubectl apply -f examples/egress/service-ext.yaml -f examples/egress/ingress-route.yaml');
    const pods = (await sb.exec('kubectl get pods -n external-cluster')).stdout;
    expect(pods).toMatch(/service-ext-[a-z0-9]+-[a-z0-9]{5}\s+1\/1\s+Running/);
    const ext = JSON.parse((await sb.exec(viaClient('-s', 'http://istio-ingressgateway.istio-system.svc.cluster.local/service-ext'))).stdout) as Record<string, unknown>;
    expect(ext).toMatchObject({ name: 'service-ext', uri: '/', body: 'Hello from the external system' });
    await steps(sb, 'kubectl apply -f examples/egress/service-c.yaml\nkubectl rollout status deployment/service-c -n demo');
    const ip = await ingress(sb);
    expect((await sb.exec(`curl -s http://${ip}/ | grep -o '"name": "[a-z-]*"'`)).stdout).toBe('"name": "service-a"\n"name": "service-c"\n"name": "service-ext"\n');
    await steps(
      sb,
      `istioctl install -y --set meshConfig.accessLogFile=/dev/stdout --set meshConfig.outboundTrafficPolicy.mode=REGISTRY_ONLY --set "components.egressGateways[0].name=istio-egressgateway" --set "components.egressGateways[0].enabled=true"
kubectl apply -f examples/egress/egress-gateway.yaml -f examples/egress/egress-virtual-service.yaml`,
    );
    expect((await sb.exec('kubectl get pods -n istio-system -l istio=egressgateway')).stdout).toMatch(/istio-egressgateway-[a-z0-9]+-[a-z0-9]{5}\s+1\/1\s+Running/);
    const full = JSON.parse((await sb.exec(`curl -s http://${ip}/`)).stdout) as { upstream_calls: Record<string, { upstream_calls: Record<string, { name: string }> }> };
    expect(full.upstream_calls['http://producer-internal-host'].upstream_calls['http://istio-ingressgateway.istio-system.svc.cluster.local/service-ext'].name).toBe('service-ext');
    const cLog = (await sb.exec('kubectl logs -l app=service-c-app -n demo -c istio-proxy --tail=2 | grep outbound')).stdout;
    expect(cLog).toMatch(/"GET \/service-ext HTTP\/1\.1" 200 .* outbound\|80\|\|istio-egressgateway\.istio-system\.svc\.cluster\.local /);
    const egLog = (await sb.exec('kubectl logs -l istio=egressgateway -n istio-system -c istio-proxy --tail=1')).stdout;
    // both gateways' port 80 is named http2: the proxy before each speaks HTTP/2 to it (istio/istio
    // pilot/pkg/networking/core/cluster_builder.go setUpstreamProtocol), and the gateway logs HTTP/2
    expect(egLog).toMatch(/"GET \/service-ext HTTP\/2" 200 .* outbound\|80\|\|istio-ingressgateway\.istio-system\.svc\.cluster\.local /);
    const inLog = (await sb.exec('kubectl logs -l app=istio-ingressgateway -n istio-system -c istio-proxy --tail=2')).stdout;
    expect(inLog).toMatch(/"GET \/service-ext HTTP\/2" 200 .* outbound\|80\|\|service-ext\.external-cluster\.svc\.cluster\.local /);
  });
});

describe('every manifest in examples/ applies cleanly (dry run)', () => {
  it('each directory', async () => {
    const sb = new Sandbox({ examples });
    const dirs = [...new Set(Object.keys(examples).map((k) => k.split('/')[0]))];
    // namespaces first, as a person would (later scenarios use the namespaces of earlier ones)
    for (const f of Object.keys(examples).filter((k) => /kind:\s*Namespace/.test(examples[k]))) await sb.exec(`kubectl apply -f examples/${f}`);
    for (const d of dirs) {
      const r = await sb.exec(`kubectl apply -f examples/${d}/ --dry-run=server`);
      // Istio's webhook warns about every EnvoyFilter, however right: not a defect of the manifest
      const stderr = r.stderr.split('\n').filter((l) => l !== `Warning: ${ENVOY_FILTER_WARNING}`).join('\n');
      expect({ dir: d, stderr }).toEqual({ dir: d, stderr: '' });
    }
  });
});

describe('lesson: DestinationRule (outlier detection, circuit breaking)', () => {
  it('ejects the faulty pod after 3 errors and overflows the pool under 30 parallel requests', async () => {
    const sb = new Sandbox({ examples, seed: 13 });
    await steps(
      sb,
      `kubectl apply -f examples/destination-rule/namespace.yaml
kubectl apply -f examples/destination-rule/payments.yaml -f examples/destination-rule/payments-faulty.yaml -f examples/destination-rule/service.yaml
kubectl apply -f examples/destination-rule/client.yaml -f examples/destination-rule/virtual-service.yaml
kubectl -n billing rollout status deployment/client`,
    );
    const loop = `kubectl -n billing exec deploy/client -- sh -c 'for i in $(seq 1 20); do curl -s -o /dev/null -w "%{http_code}\\n" http://payments/; done' | sort | uniq -c`;
    // the seed decides which pods the 20 requests reach (least-request picks at random among idle hosts)
    const before = (await sb.exec(loop)).stdout;
    expect(before).toMatch(/\d+ 503/);
    await steps(sb, 'kubectl apply -f examples/destination-rule/destination-rule.yaml');
    const first = (await sb.exec(loop)).stdout;
    expect(first).toMatch(/^\s+17 200\n\s+3 503\n$/);
    expect((await sb.exec(loop)).stdout).toMatch(/^\s+20 200\n$/);
    const stats = (await sb.exec('kubectl -n billing exec deploy/client -c istio-proxy -- pilot-agent request GET stats | grep payments.billing | grep -E "ejections_(active|enforced_total)"')).stdout;
    expect(stats).toBe('cluster.outbound|80||payments.billing.svc.cluster.local.outlier_detection.ejections_active: 1\ncluster.outbound|80||payments.billing.svc.cluster.local.outlier_detection.ejections_enforced_total: 1\n');
    const burst = (await sb.exec(`kubectl -n billing exec deploy/client -- sh -c 'for i in $(seq 1 30); do curl -s -o /dev/null -w "%{http_code}\\n" http://payments/ & done; wait' | sort | uniq -c`)).stdout;
    expect(burst).toMatch(/^\s+10 200\n\s+20 503\n$/);
    expect((await sb.exec('kubectl -n billing exec deploy/client -c istio-proxy -- pilot-agent request GET stats | grep upstream_rq_pending_overflow | grep payments')).stdout).toMatch(/upstream_rq_pending_overflow: 20\n$/);
  });
});

describe('lesson: Gateway over HTTPS', () => {
  it('terminates TLS with the secret named by credentialName; curl verifies the certificate', async () => {
    const sb = new Sandbox({ examples, seed: 13 });
    await steps(
      sb,
      `kubectl apply -f examples/gateway/namespace.yaml
kubectl apply -f examples/gateway/web.yaml -f examples/gateway/gateway.yaml -f examples/gateway/virtual-service.yaml
kubectl apply -f examples/gateway/gateway-https.yaml`,
    );
    const ip = await ingress(sb);
    const https = `curl -sS --resolve example.com:443:${ip} --cacert example.com.crt https://example.com/`;
    expect((await sb.exec(https)).stderr).toBe('curl: (35) OpenSSL SSL_connect: SSL_ERROR_SYSCALL in connection to example.com:443 \n');
    await steps(
      sb,
      `openssl req -x509 -newkey rsa:2048 -nodes -days 365 -subj "/CN=example.com" -addext "subjectAltName=DNS:example.com" -keyout example.com.key -out example.com.crt
kubectl -n istio-system create secret tls example-com-cert --key=example.com.key --cert=example.com.crt`,
    );
    expect(JSON.parse((await sb.exec(https)).stdout).name).toBe('web');
    expect((await sb.exec(`curl -sS --resolve example.com:443:${ip} https://example.com/`)).stderr).toMatch(/^curl: \(60\) SSL certificate problem: self-signed certificate\n/);
    expect((await sb.exec(`curl -sk --resolve example.com:443:${ip} https://example.com/ -o /dev/null -w '%{http_code}'`)).stdout).toBe('200');
  });
});

describe('with the schema validator of src/validation at admission', () => {
  it('scenarios 8 and 9 still apply and answer', async () => {
    const { schemaValidator } = await import('../validation/index');
    const sb = new Sandbox({ examples, seed: 14, validator: (o) => schemaValidator(o) });
    const out = await steps(sb, `${SCENARIO_A}\n${SCENARIO_B}`);
    expect(out).not.toMatch(/error|invalid/i);
    const ip = await ingress(sb);
    const body = JSON.parse((await sb.exec(`curl -s http://${ip}/`)).stdout) as { upstream_calls: Record<string, { name: string }> };
    expect(body.upstream_calls['http://producer-internal-host'].name).toBe('service-b');
    const bad = await sb.exec("kubectl apply -f - <<'EOF'\napiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: {name: v, namespace: demo}\nspec:\n  hosts: [a]\n  http: [{route: [{destination: {hots: a}}]}]\nEOF");
    expect(bad.stderr).toMatch(/^Error from server \(BadRequest\): error when creating "STDIN": VirtualService in version "v1" cannot be handled as a VirtualService: strict decoding error: unknown field "spec\.http\[0\]\.route\[0\]\.destination\.hots"/);
  });
});

describe('lesson: ServiceEntry', () => {
  it('registers example.com (HTTP and TLS); a namespace Sidecar with REGISTRY_ONLY blocks the rest', async () => {
    const sb = new Sandbox({ examples, seed: 15 });
    await steps(sb, 'kubectl apply -f examples/service-entry/namespace.yaml\nkubectl apply -f examples/service-entry/client.yaml\nkubectl -n integrations rollout status deployment/client');
    const code = (url: string) => sb.exec(`kubectl -n integrations exec deploy/client -- curl -s -o /dev/null -w "%{http_code}\\n" ${url}`);
    expect((await code('http://example.com/')).stdout).toBe('200\n');
    expect((await sb.exec('istioctl proxy-config cluster deploy/client -n integrations --fqdn example.com')).stdout).toMatch(/^SERVICE FQDN\s+PORT\s+SUBSET\s+DIRECTION\s+TYPE\s+DESTINATION RULE\n$/);
    await steps(sb, 'kubectl apply -f examples/service-entry/service-entry.yaml\nkubectl apply -f examples/service-entry/virtual-service.yaml\nkubectl apply -f examples/service-entry/destination-rule.yaml');
    expect((await sb.exec('istioctl proxy-config cluster deploy/client -n integrations --fqdn example.com')).stdout).toMatch(/example\.com\s+80\s+-\s+outbound\s+STRICT_DNS\s+example-com\.integrations\nexample\.com\s+443\s+-\s+outbound\s+STRICT_DNS\s+example-com\.integrations\n$/);
    expect((await sb.exec('istioctl proxy-config routes deploy/client -n integrations --name 80 | grep example.com')).stdout).toMatch(/^80\s+example\.com:80\s+example\.com\s+\/\*\s+example-com\.integrations\n$/);
    expect((await code('http://example.com/')).stdout).toBe('200\n');
    expect((await code('https://example.com/')).stdout).toBe('200\n');
    await steps(sb, 'kubectl apply -f examples/service-entry/sidecar-registry-only.yaml');
    expect((await code('http://example.com/')).stdout).toBe('200\n');
    expect((await code('https://example.com/')).stdout).toBe('200\n');
    expect((await code('http://example.org/')).stdout).toBe('502\n');
    const tls = await code('https://example.org/');
    expect(tls.stdout + tls.stderr).toBe('000\ncommand terminated with exit code 35\n');
    expect((await sb.exec('kubectl logs deploy/client -n integrations -c istio-proxy | grep example.com | tail -1')).stdout).toMatch(/^\[.*\] "- - -" 0 - - - "-" \d+ \d+ \d+ - "-" "-" "-" "-" "[\d.]+:443" outbound\|443\|\|example\.com [\d.:]+ [\d.]+:443 [\d.:]+ example\.com -\n$/);
  });
});

describe('lesson: architecture (proxy-config)', () => {
  it('listeners, routes, clusters and endpoints of ServiceA’s sidecar', async () => {
    const sb = new Sandbox({ examples, seed: 16 });
    await steps(sb, `${SCENARIO_A}\n${SCENARIO_B}`);
    const l = (await sb.exec('istioctl proxy-config listeners deploy/service-a -n demo')).stdout;
    expect(l.split('\n')[0]).toMatch(/^ADDRESSES\s+PORT\s+MATCH\s+DESTINATION$/);
    expect(l).toMatch(/\n10\.96\.0\.10\s+53\s+ALL\s+Cluster: outbound\|53\|\|kube-dns\.kube-system\.svc\.cluster\.local\n/);
    expect(l).toMatch(/\n0\.0\.0\.0\s+80\s+Trans: raw_buffer; App: http\/1\.1,h2c\s+Route: 80\n0\.0\.0\.0\s+80\s+ALL\s+PassthroughCluster\n/);
    expect(l).toMatch(/\n10\.96\.0\.1\s+443\s+ALL\s+Cluster: outbound\|443\|\|kubernetes\.default\.svc\.cluster\.local\n/);
    expect(l).toMatch(/\n0\.0\.0\.0\s+15006\s+Trans: tls; App: istio,istio-peer-exchange,istio-http\/1\.0,istio-http\/1\.1,istio-h2; Addr: \*:9090\s+Cluster: inbound\|9090\|\|\n/);
    const r = (await sb.exec('istioctl proxy-config routes deploy/service-a -n demo --name 80')).stdout;
    expect(r).toMatch(/\n80\s+producer-internal-host\.demo\.svc\.cluster\.local:80\s+producer-internal-host, producer-internal-host\.demo \+ 1 more\.\.\.\s+\/\*\s+producer-internal-host\.demo\n/);
    // istioctl's route.go leaves out a route straight to PassthroughCluster (allow_any), and --name the nameless backend routes
    expect(r).not.toMatch(/allow_any|backend/);
    const e = (await sb.exec('istioctl proxy-config endpoints deploy/service-a -n demo --cluster "outbound|80||producer-internal-host.demo.svc.cluster.local"')).stdout;
    expect(e).toMatch(/^ENDPOINT\s+STATUS\s+OUTLIER CHECK\s+CLUSTER\n10\.244\.\d+\.\d+:9090\s+HEALTHY\s+OK\s+outbound\|80\|\|producer-internal-host\.demo\.svc\.cluster\.local\n/);
  });
});

describe('determinism', () => {
  it('the same seed replays a session exactly', async () => {
    const run = async (seed: number): Promise<string> => {
      const sb = new Sandbox({ examples, seed });
      let out = await steps(sb, `${SCENARIO_A}\n${SCENARIO_B}`);
      const ip = await ingress(sb);
      out += (await sb.exec(`for i in $(seq 1 20); do curl -s http://${ip}/; done; kubectl get pods -A; kubectl logs -l app=istio-ingressgateway -n istio-system -c istio-proxy --tail=5`)).stdout;
      return out;
    };
    const a = await run(21);
    expect(await run(21)).toBe(a);
    expect(await run(22)).not.toBe(a);
  });
});

describe('istioctl x describe, proxy-config secret', () => {
  it('describe shows the services, virtual services and mTLS mode of a pod', async () => {
    const sb = new Sandbox({ examples, seed: 17 });
    await steps(sb, SCENARIO_A);
    const pod = (await sb.exec("kubectl get pod -n demo -l app=service-a-app -o jsonpath='{.items[0].metadata.name}'")).stdout;
    const d = (await sb.exec(`istioctl x describe pod ${pod} -n demo`)).stdout;
    expect(d).toMatch(/^Pod: service-a-\w+-\w{5}\n   Pod Revision: default\n   Pod Ports: 9090 \(service-a\)\n/);
    expect(d).toMatch(/Service: service-a\n   Port: http 80\/HTTP targets pod port 9090\n/);
    // istioctl describe.go: services, then the effective PeerAuthentication, then the ingress gateways, each after a
    // separator; a name in the described namespace goes without it; a route without match or weight says "1 HTTP route(s)"
    expect(d).toMatch(/\n--------------------\nEffective PeerAuthentication:\n   Workload mTLS mode: PERMISSIVE\n--------------------\nExposed on Ingress Gateway http:\/\/172\.18\.255\.\d+\nVirtualService: service-a\n   1 HTTP route\(s\)\n$/);
    expect((await sb.exec('istioctl proxy-config secret deploy/service-a -n demo')).stdout).toMatch(/^RESOURCE NAME\s+TYPE\s+STATUS\s+VALID CERT\s+SERIAL NUMBER\s+NOT AFTER\s+NOT BEFORE\ndefault\s+Cert Chain\s+ACTIVE\s+true\s+[0-9a-f]{32}\s/);
  });
});
