/** Istio behaviour end to end through the sandbox: gateway → sidecars → workloads. */
import { describe, expect, it } from 'vitest';
import { Sandbox } from '../sandbox';

/** A namespace (sidecar injection on or off) with a curl client Deployment in it. */
function namespaceWithClient(ns: string, injected: boolean): string {
  return `apiVersion: v1
kind: Namespace
metadata: {name: ${ns}${injected ? ', labels: {istio-injection: enabled}' : ''}}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: client, namespace: ${ns}}
spec:
  selector: {matchLabels: {app: client}}
  template:
    metadata: {labels: {app: client}}
    spec: {containers: [{name: curl, image: curlimages/curl:8.11.1, command: [sleep, infinity]}]}
`;
}

const base = namespaceWithClient('demo', true);

function app(name: string, version: string, env: Record<string, string> = {}): string {
  const e = Object.entries({ NAME: `${name}-${version}`, ...env })
    .map(([k, v]) => `{name: ${k}, value: "${v}"}`)
    .join(', ');
  return `---
apiVersion: apps/v1
kind: Deployment
metadata: {name: ${name}-${version}, namespace: demo}
spec:
  selector: {matchLabels: {app: ${name}, version: ${version}}}
  template:
    metadata: {labels: {app: ${name}, version: ${version}}}
    spec: {containers: [{name: app, image: nicholasjackson/fake-service:v0.26.2, ports: [{name: http, containerPort: 9090}], env: [${e}]}]}
`;
}

function svc(name: string): string {
  return `---
apiVersion: v1
kind: Service
metadata: {name: ${name}, namespace: demo}
spec: {selector: {app: ${name}}, ports: [{name: http, port: 80, targetPort: 9090}]}
`;
}

async function mesh(yaml: string, seed = 1): Promise<Sandbox> {
  const sb = new Sandbox({ seed });
  const r = await sb.exec(`kubectl apply -f - <<'EOF'\n${yaml}\nEOF`);
  if (r.code !== 0) throw new Error(r.stderr);
  await sb.exec('sleep 8');
  return sb;
}

const fromClient = (path: string, flags = "-s -o /dev/null -w '%{http_code}'") => `kubectl exec deploy/client -n demo -c curl -- curl ${flags} ${path}`;

async function names(sb: Sandbox, n: number, url: string, header = ''): Promise<Record<string, number>> {
  const r = await sb.exec(`for i in $(seq 1 ${n}); do kubectl exec deploy/client -n demo -c curl -- curl -s ${header} ${url} | grep -o '"name": "[a-z0-9-]*"' | head -1; done | sort | uniq -c`);
  const out: Record<string, number> = {};
  for (const l of r.stdout.trim().split('\n')) {
    const m = l.trim().match(/^(\d+) "name": "(.*)"$/);
    if (m) out[m[2]] = Number(m[1]);
  }
  return out;
}

describe('mesh routing', () => {
  it('splits traffic by weight within tolerance, reproducibly for a seed', async () => {
    const yaml = `${base}${app('reviews', 'v1')}${app('reviews', 'v2')}${svc('reviews')}---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: reviews, namespace: demo}
spec:
  host: reviews
  subsets: [{name: v1, labels: {version: v1}}, {name: v2, labels: {version: v2}}]
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: reviews, namespace: demo}
spec:
  hosts: [reviews]
  http:
    - route:
        - {destination: {host: reviews, subset: v1}, weight: 80}
        - {destination: {host: reviews, subset: v2}, weight: 20}
`;
    const sb = await mesh(yaml, 42);
    const counts = await names(sb, 400, 'http://reviews/');
    expect(counts['reviews-v1'] + counts['reviews-v2']).toBe(400);
    expect(Math.abs(counts['reviews-v1'] / 400 - 0.8)).toBeLessThan(0.06);
    const again = await names(await mesh(yaml, 42), 400, 'http://reviews/');
    expect(again).toEqual(counts);
    // two sandboxes and 800 requests: about 6 s on a busy 2-core machine
  }, 30_000);

  it('matches headers and uri prefixes in order; no match → 404 NR', async () => {
    const sb = await mesh(`${base}${app('reviews', 'v1')}${app('reviews', 'v2')}${svc('reviews')}---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: reviews, namespace: demo}
spec: {host: reviews, subsets: [{name: v1, labels: {version: v1}}, {name: v2, labels: {version: v2}}]}
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: reviews, namespace: demo}
spec:
  hosts: [reviews]
  http:
    - match: [{headers: {end-user: {exact: jason}}}]
      route: [{destination: {host: reviews, subset: v2}}]
    - match: [{uri: {prefix: /v1}}]
      route: [{destination: {host: reviews, subset: v1}}]
`);
    expect(await names(sb, 5, 'http://reviews/', '-H "end-user: jason"')).toEqual({ 'reviews-v2': 5 });
    expect(await names(sb, 5, 'http://reviews/v1/items')).toEqual({ 'reviews-v1': 5 });
    expect((await sb.exec(fromClient('http://reviews/other'))).stdout).toBe('404');
    const log = await sb.exec('kubectl logs deploy/client -n demo -c istio-proxy --tail=1');
    expect(log.stdout).toMatch(/"GET \/other HTTP\/1\.1" 404 NR route_not_found /);
  });

  it('fault abort (FI), timeout (UT) and retries (URX) show in responses and access logs', async () => {
    const sb = await mesh(`${base}${app('slow', 'v1', { TIMING_50_PERCENTILE: '3s' })}${svc('slow')}${app('broken', 'v1', { ERROR_RATE: '1', ERROR_CODE: '500' })}${svc('broken')}${app('ok', 'v1')}${svc('ok')}---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: slow, namespace: demo}
spec:
  hosts: [slow]
  http: [{timeout: 1s, route: [{destination: {host: slow}}]}]
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: broken, namespace: demo}
spec:
  hosts: [broken]
  http: [{retries: {attempts: 3, retryOn: 5xx}, route: [{destination: {host: broken}}]}]
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: ok, namespace: demo}
spec:
  hosts: [ok]
  http: [{fault: {abort: {httpStatus: 418, percentage: {value: 100}}}, route: [{destination: {host: ok}}]}]
`);
    const slow = await sb.exec(fromClient('http://slow/', '-s -w " %{http_code}"'));
    expect(slow.stdout).toBe('upstream request timeout 504');
    expect((await sb.exec('kubectl logs deploy/client -n demo -c istio-proxy --tail=1')).stdout).toMatch(/" 504 UT response_timeout /);
    expect((await sb.exec(fromClient('http://broken/'))).stdout).toBe('500');
    expect((await sb.exec('kubectl logs deploy/client -n demo -c istio-proxy --tail=1')).stdout).toMatch(/" 500 URX via_upstream /);
    const inbound = await sb.exec("kubectl logs deploy/broken-v1 -n demo -c istio-proxy | grep -c 'inbound|9090||'");
    expect(inbound.stdout).toBe('4\n');
    expect((await sb.exec(fromClient('http://ok/', '-s -w " %{http_code}"'))).stdout).toBe('fault filter abort 418');
    expect((await sb.exec('kubectl logs deploy/client -n demo -c istio-proxy --tail=1')).stdout).toMatch(/" 418 FI fault_filter_abort /);
  });

  it('returns 503 UH when the service has no ready endpoint', async () => {
    const sb = await mesh(`${base}${app('ok', 'v1')}${svc('ok')}`);
    await sb.exec('kubectl scale deploy ok-v1 -n demo --replicas=0 && sleep 3');
    const r = await sb.exec(fromClient('http://ok/', '-s -w " %{http_code}"'));
    expect(r.stdout).toBe('no healthy upstream 503');
  });
});

describe('ingress gateway', () => {
  const gw = `---
apiVersion: networking.istio.io/v1
kind: Gateway
metadata: {name: gw, namespace: demo}
spec:
  selector: {istio: ingressgateway}
  servers: [{port: {number: 80, name: http, protocol: HTTP}, hosts: ["*"]}]
`;
  it('404 NR without a VirtualService, then routes; every proxy crossed writes a line', async () => {
    const sb = await mesh(`${base}${app('web', 'v1')}${svc('web')}${gw}`);
    const ip = (await sb.exec("kubectl -n istio-system get svc istio-ingressgateway -o jsonpath='{.status.loadBalancer.ingress[0].ip}'")).stdout;
    expect((await sb.exec(`curl -s -o /dev/null -w '%{http_code}' http://${ip}/`)).stdout).toBe('404');
    await sb.exec(`kubectl apply -f - <<'EOF'
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: web, namespace: demo}
spec:
  hosts: ["*"]
  gateways: [gw]
  http: [{route: [{destination: {host: web.demo.svc.cluster.local, port: {number: 80}}}]}]
EOF`);
    const body = JSON.parse((await sb.exec(`curl -s http://${ip}/`)).stdout) as { name: string; code: number };
    expect(body).toMatchObject({ name: 'web-v1', code: 200 });
    const gwLog = (await sb.exec('kubectl logs -l app=istio-ingressgateway -n istio-system -c istio-proxy --tail=1')).stdout;
    const appLog = (await sb.exec('kubectl logs deploy/web-v1 -n demo -c istio-proxy --tail=1')).stdout;
    expect(gwLog).toMatch(/"GET \/ HTTP\/1\.1" 200 - via_upstream - "-" 0 \d+ \d+ \d+ "10\.244\.0\.1" "curl\/8\.5\.0" "[0-9a-f-]{36}" "172\.18\.255\.\d+" "10\.244\.\d+\.\d+:9090" outbound\|80\|\|web\.demo\.svc\.cluster\.local /);
    expect(appLog).toMatch(/ inbound\|9090\|\| 127\.0\.0\.6:\d+ 10\.244\.\d+\.\d+:9090 10\.244\.\d+\.\d+:\d+ outbound_\.80_\._\.web\.demo\.svc\.cluster\.local default$/m);
    const rid = gwLog.match(/"([0-9a-f-]{36})"/)![1];
    expect(appLog).toContain(rid);
    const v = await sb.exec(`curl -sv http://${ip}/ -o /dev/null`);
    expect(v.stderr).toMatch(/< HTTP\/1\.1 200 OK\n/);
    expect(v.stderr).toMatch(/< server: istio-envoy\n/);
    expect(v.stderr).toMatch(/< x-envoy-upstream-service-time: \d+\n/);
  });
});

describe('outbound traffic policy', () => {
  it('ALLOW_ANY passes through; REGISTRY_ONLY answers 502 block_all until a ServiceEntry registers the host', async () => {
    const sb = await mesh(base);
    expect((await sb.exec(fromClient('http://httpbin.org/get'))).stdout).toBe('200');
    expect((await sb.exec('kubectl logs deploy/client -n demo -c istio-proxy --tail=1')).stdout).toMatch(/ PassthroughCluster .* allow_any\n$/);
    await sb.exec('istioctl install -y --set meshConfig.accessLogFile=/dev/stdout --set meshConfig.outboundTrafficPolicy.mode=REGISTRY_ONLY');
    expect((await sb.exec(fromClient('http://httpbin.org/get'))).stdout).toBe('502');
    expect((await sb.exec('kubectl logs deploy/client -n demo -c istio-proxy --tail=1')).stdout).toMatch(/" 502 - direct_response - .* block_all\n$/);
    const tls = await sb.exec(fromClient('https://httpbin.org/get', '-sS -o /dev/null'));
    expect(tls.stderr).toBe('curl: (35) Recv failure: Connection reset by peer\ncommand terminated with exit code 35\n');
    await sb.exec(`kubectl apply -f - <<'EOF'
apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata: {name: httpbin, namespace: demo}
spec:
  hosts: [httpbin.org]
  ports: [{number: 80, name: http, protocol: HTTP}]
  location: MESH_EXTERNAL
  resolution: DNS
EOF`);
    expect((await sb.exec(fromClient('http://httpbin.org/get'))).stdout).toBe('200');
    expect((await sb.exec('kubectl logs deploy/client -n demo -c istio-proxy --tail=1')).stdout).toMatch(/ outbound\|80\|\|httpbin\.org /);
    const headers = await sb.exec(fromClient('http://httpbin.org/headers', '-s'));
    expect(JSON.parse(headers.stdout).headers.Host).toBe('httpbin.org');
  });

  it('an unknown host does not resolve', async () => {
    const sb = await mesh(base);
    const r = await sb.exec(fromClient('http://no-such-host.example/', '-sS'));
    expect(r.stderr).toBe('curl: (6) Could not resolve host: no-such-host.example\ncommand terminated with exit code 6\n');
  });
});

describe('security', () => {
  const plain = `---\n${namespaceWithClient('legacy', false)}`;
  it('PeerAuthentication STRICT refuses plaintext from outside the mesh and keeps mesh traffic working', async () => {
    const sb = await mesh(`${base}${plain}${app('web', 'v1')}${svc('web')}`);
    const legacy = "kubectl exec deploy/client -n legacy -- curl -sS -o /dev/null -w '%{http_code}' http://web.demo/";
    expect((await sb.exec(legacy)).stdout).toBe('200');
    await sb.exec(`kubectl apply -f - <<'EOF'
apiVersion: security.istio.io/v1
kind: PeerAuthentication
metadata: {name: default, namespace: demo}
spec: {mtls: {mode: STRICT}}
EOF`);
    const r = await sb.exec(legacy);
    expect(r.stderr).toBe('curl: (56) Recv failure: Connection reset by peer\ncommand terminated with exit code 56\n');
    expect((await sb.exec(fromClient('http://web/'))).stdout).toBe('200');
    expect((await sb.exec('kubectl logs deploy/web-v1 -n demo -c istio-proxy | grep filter_chain_not_found')).stdout).toMatch(/"- - -" 0 NR filter_chain_not_found /);
  });

  it('a DestinationRule with tls DISABLE sends plaintext to a STRICT sidecar: the connection is closed, 503 UC connection termination', async () => {
    const sb = await mesh(`${base}${app('web', 'v1')}${svc('web')}`);
    await sb.exec(`kubectl apply -f - <<'EOF'
apiVersion: security.istio.io/v1
kind: PeerAuthentication
metadata: {name: default, namespace: demo}
spec: {mtls: {mode: STRICT}}
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: web, namespace: demo}
spec: {host: web.demo.svc.cluster.local, trafficPolicy: {tls: {mode: DISABLE}}}
EOF`);
    const r = await sb.exec(fromClient('http://web/', '-s -w " %{http_code}"'));
    expect(r.stdout).toBe('upstream connect error or disconnect/reset before headers. reset reason: connection termination 503');
    expect((await sb.exec('kubectl logs deploy/client -n demo -c istio-proxy --tail=1')).stdout).toMatch(/" 503 UC upstream_reset_before_response_started\{connection_termination\} - "-" 0 95 /);
    expect((await sb.exec('kubectl logs deploy/web-v1 -n demo -c istio-proxy --tail=1')).stdout).toMatch(/"- - -" 0 NR filter_chain_not_found /);
  });

  it('AuthorizationPolicy answers 403 RBAC: access denied', async () => {
    const sb = await mesh(`${base}${app('web', 'v1')}${svc('web')}`);
    await sb.exec(`kubectl apply -f - <<'EOF'
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: {name: only-get-root, namespace: demo}
spec:
  selector: {matchLabels: {app: web}}
  action: ALLOW
  rules:
    - from: [{source: {namespaces: [demo]}}]
      to: [{operation: {methods: [GET], paths: ["/"]}}]
EOF`);
    expect((await sb.exec(fromClient('http://web/'))).stdout).toBe('200');
    expect((await sb.exec(fromClient('http://web/admin', '-s -w " %{http_code}"'))).stdout).toBe('RBAC: access denied 403');
    expect((await sb.exec('kubectl logs deploy/web-v1 -n demo -c istio-proxy --tail=1')).stdout).toMatch(/" 403 - rbac_access_denied_matched_policy\[none\] /);
  });
});

describe('more route actions', () => {
  it('redirect, directResponse, rewrite and mirror', async () => {
    const sb = await mesh(`${base}${app('web', 'v1')}${svc('web')}${app('shadow', 'v1')}${svc('shadow')}---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: web, namespace: demo}
spec:
  hosts: [web]
  http:
    - match: [{uri: {prefix: /old}}]
      redirect: {uri: /new}
    - match: [{uri: {exact: /health}}]
      directResponse: {status: 200, body: {string: "ok"}}
    - match: [{uri: {prefix: /api}}]
      rewrite: {uri: /}
      route: [{destination: {host: web}}]
    - route: [{destination: {host: web}}]
      mirror: {host: shadow}
      mirrorPercentage: {value: 100}
`);
    const redir = await sb.exec(fromClient('http://web/old', '-s -o /dev/null -w "%{http_code} %{redirect_url}"'));
    expect(redir.stdout.startsWith('301')).toBe(true);
    const loc = await sb.exec(fromClient('http://web/old', '-sI'));
    expect(loc.stdout).toMatch(/^HTTP\/1\.1 301 Moved Permanently\n[\s\S]*location: http:\/\/web\/new\n/);
    expect((await sb.exec(fromClient('http://web/health', '-s'))).stdout).toBe('ok');
    const rewritten = JSON.parse((await sb.exec(fromClient('http://web/api', '-s'))).stdout) as { uri: string };
    expect(rewritten.uri).toBe('/');
    expect((await sb.exec('kubectl logs deploy/web-v1 -n demo -c istio-proxy --tail=1')).stdout).toMatch(/"GET \/api HTTP\/1\.1" 200 /);
    await sb.exec(fromClient('http://web/mirrored', '-s'));
    expect((await sb.exec('kubectl logs deploy/shadow-v1 -n demo -c istio-proxy --tail=1')).stdout).toMatch(/"GET \/mirrored HTTP\/1\.1" 200 .*"web-shadow"/);
  });

  it('JSON access logs with meshConfig.accessLogEncoding=JSON', async () => {
    const sb = await mesh(`${base}${app('web', 'v1')}${svc('web')}`);
    await sb.exec('istioctl install -y --set meshConfig.accessLogFile=/dev/stdout --set meshConfig.accessLogEncoding=JSON');
    await sb.exec(fromClient('http://web/'));
    const line = (await sb.exec('kubectl logs deploy/client -n demo -c istio-proxy --tail=1')).stdout;
    const o = JSON.parse(line) as Record<string, unknown>;
    expect(o).toMatchObject({ method: 'GET', path: '/', response_code: 200, response_flags: '-', upstream_cluster: 'outbound|80||web.demo.svc.cluster.local' });
  });
});

describe('gateway httpsRedirect', () => {
  it('answers 301 to https on the HTTP server', async () => {
    const sb = await mesh(`${base}${app('web', 'v1')}${svc('web')}---
apiVersion: networking.istio.io/v1
kind: Gateway
metadata: {name: gw, namespace: demo}
spec:
  selector: {istio: ingressgateway}
  servers: [{port: {number: 80, name: http, protocol: HTTP}, hosts: [example.com], tls: {httpsRedirect: true}}]
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: web, namespace: demo}
spec:
  hosts: [example.com]
  gateways: [gw]
  http: [{route: [{destination: {host: web}}]}]
`);
    const ip = (await sb.exec("kubectl -n istio-system get svc istio-ingressgateway -o jsonpath='{.status.loadBalancer.ingress[0].ip}'")).stdout;
    const r = await sb.exec(`curl -sI -H "Host: example.com" http://${ip}/a?b=1`);
    expect(r.stdout).toMatch(/^HTTP\/1\.1 301 Moved Permanently\n[\s\S]*location: https:\/\/example\.com\/a\?b=1\n/);
  });
});
