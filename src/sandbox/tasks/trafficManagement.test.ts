/**
 * istio.io's traffic-management tasks, run from their published commands against ~/samples
 * (istio/istio.io content/en/docs/tasks/traffic-management/*), asserting what istio.io shows:
 * which reviews version answers, the fault-injection and timeout texts, fortio's counts.
 */
import { describe, expect, it, vi } from 'vitest';
import { Sandbox } from '../sandbox';
import { readExamples, SAMPLES_DIR, steps } from '../testing';

const samples = readExamples(SAMPLES_DIR);
// each task installs Bookinfo and sends dozens of requests: seconds on a loaded machine
vi.setConfig({ testTimeout: 30_000 });

async function bookinfo(seed = 7): Promise<Sandbox> {
  const sb = new Sandbox({ samples, seed });
  await steps(
    sb,
    `kubectl label namespace default istio-injection=enabled
kubectl apply -f samples/bookinfo/platform/kube/bookinfo.yaml
kubectl apply -f samples/bookinfo/networking/bookinfo-gateway.yaml
kubectl apply -f samples/bookinfo/networking/destination-rule-all.yaml`,
  );
  await sb.exec('sleep 20');
  await sb.exec(`export INGRESS_HOST=$(kubectl -n istio-system get service istio-ingressgateway -o jsonpath='{.status.loadBalancer.ingress[0].ip}')`);
  await sb.exec(`export INGRESS_PORT=$(kubectl -n istio-system get service istio-ingressgateway -o jsonpath='{.spec.ports[?(@.name=="http2")].port}')`);
  await sb.exec('export GATEWAY_URL=$INGRESS_HOST:$INGRESS_PORT');
  return sb;
}

/** Signs in as the productpage's login form does; the session cookie lands in jar.txt. */
async function login(sb: Sandbox, user: string): Promise<void> {
  const r = await sb.exec(`curl -s -c jar.txt -e "http://$GATEWAY_URL/productpage" -d username=${user} -d passwd= -o /dev/null -w '%{http_code}' "http://$GATEWAY_URL/login"`);
  expect(r.stdout).toBe('302');
}

/** The stars a page shows: "none", "black" or "red". */
async function stars(sb: Sandbox, asUser: boolean): Promise<string> {
  const page = (await sb.exec(`curl -s ${asUser ? '-b jar.txt ' : ''}"http://$GATEWAY_URL/productpage"`)).stdout;
  expect(page).toContain('<title>Simple Bookstore App</title>');
  const color = page.match(/<font color="(black|red)">/);
  return color ? color[1] : 'none';
}

describe('istio.io Getting Started with Bookinfo', () => {
  it('serves the product page inside the mesh and through the gateway', async () => {
    const sb = await bookinfo();
    const pods = (await sb.exec('kubectl get pods')).stdout;
    for (const d of ['details-v1', 'productpage-v1', 'ratings-v1', 'reviews-v1', 'reviews-v2', 'reviews-v3']) expect(pods).toMatch(new RegExp(`${d}-[a-z0-9]+-[a-z0-9]{5} +2/2 +Running`));
    const inside = await sb.exec(`kubectl exec "$(kubectl get pod -l app=ratings -o jsonpath='{.items[0].metadata.name}')" -c ratings -- curl -sS productpage:9080/productpage | grep -o "<title>.*</title>"`);
    expect(inside.stdout).toBe('<title>Simple Bookstore App</title>\n');
    const outside = await sb.exec('curl -s "http://${GATEWAY_URL}/productpage" | grep -o "<title>.*</title>"');
    expect(outside.stdout).toBe('<title>Simple Bookstore App</title>\n');
    // without routing rules each request goes to one of the three reviews versions (LEAST_REQUEST
    // picks among idle hosts at random): 30 requests miss one of them with a chance of 3·(2/3)^30
    const seen = new Set<string>();
    for (let i = 0; i < 30; i++) seen.add(await stars(sb, false));
    expect([...seen].sort()).toEqual(['black', 'none', 'red']);
    expect((await sb.exec('curl -s "http://$GATEWAY_URL/api/v1/products"')).stdout).toMatch(/^\[\{"id": 0, "title": "The Comedy of Errors", /);
  });
});

describe('istio.io Request Routing', () => {
  it('routes everyone to reviews v1, then jason to v2', async () => {
    const sb = await bookinfo();
    await sb.exec('kubectl apply -f samples/bookinfo/networking/virtual-service-all-v1.yaml');
    for (let i = 0; i < 5; i++) expect(await stars(sb, false)).toBe('none');
    expect((await sb.exec('kubectl apply -f samples/bookinfo/networking/virtual-service-reviews-test-v2.yaml')).stdout).toBe('virtualservice.networking.istio.io/reviews configured\n');
    await login(sb, 'jason');
    const page = (await sb.exec('curl -s -b jar.txt "http://$GATEWAY_URL/productpage"')).stdout;
    expect(page).toContain('jason ( <a href="logout">sign out</a> )');
    for (let i = 0; i < 5; i++) expect(await stars(sb, true)).toBe('black');
    for (let i = 0; i < 3; i++) expect(await stars(sb, false)).toBe('none');
  });
});

describe('istio.io Fault Injection', () => {
  it('a 7s delay for jason breaks the page after productpage gives up (3s + one retry)', async () => {
    const sb = await bookinfo();
    await steps(sb, ['kubectl apply -f samples/bookinfo/networking/virtual-service-all-v1.yaml', 'kubectl apply -f samples/bookinfo/networking/virtual-service-reviews-test-v2.yaml', 'kubectl apply -f samples/bookinfo/networking/virtual-service-ratings-test-delay.yaml']);
    await login(sb, 'jason');
    const r = await sb.exec(`curl -s -b jar.txt -w '\\n%{time_total}' "http://$GATEWAY_URL/productpage"`);
    expect(r.stdout).toContain('<h4 class="text-center text-primary">Error fetching product reviews!</h4>\n      <p>Sorry, product reviews are currently unavailable for this book.</p>');
    const seconds = Number(r.stdout.trim().split('\n').pop());
    expect(seconds).toBeGreaterThan(6);
    expect(seconds).toBeLessThan(6.5);
    // other users are not delayed
    expect(await stars(sb, false)).toBe('none');
  });

  it('an HTTP abort for jason shows the ratings error', async () => {
    const sb = await bookinfo();
    await steps(sb, ['kubectl apply -f samples/bookinfo/networking/virtual-service-all-v1.yaml', 'kubectl apply -f samples/bookinfo/networking/virtual-service-reviews-test-v2.yaml', 'kubectl apply -f samples/bookinfo/networking/virtual-service-ratings-test-abort.yaml']);
    await login(sb, 'jason');
    const page = (await sb.exec('curl -s -b jar.txt "http://$GATEWAY_URL/productpage"')).stdout;
    expect(page.match(/Ratings service is currently unavailable/g)).toHaveLength(2);
    // the fault filter runs in the calling sidecar: reviews-v2's proxy logs the injected abort
    const log = (await sb.exec('kubectl logs deploy/reviews-v2 -c istio-proxy')).stdout;
    expect(log).toMatch(/"GET \/ratings\/0 HTTP\/1\.1" 500 FI fault_filter_abort /);
  });
});

describe('istio.io Traffic Shifting', () => {
  it('50% of traffic to v3, then all of it', async () => {
    const sb = await bookinfo(3);
    await sb.exec('kubectl apply -f samples/bookinfo/networking/virtual-service-all-v1.yaml');
    await sb.exec('kubectl apply -f samples/bookinfo/networking/virtual-service-reviews-50-v3.yaml');
    const counts = { none: 0, red: 0, black: 0 } as Record<string, number>;
    for (let i = 0; i < 40; i++) counts[await stars(sb, false)]++;
    expect(counts.black).toBe(0);
    expect(counts.red).toBeGreaterThan(10);
    expect(counts.none).toBeGreaterThan(10);
    await sb.exec('kubectl apply -f samples/bookinfo/networking/virtual-service-reviews-v3.yaml');
    for (let i = 0; i < 5; i++) expect(await stars(sb, false)).toBe('red');
  });
});

describe('istio.io Request Timeouts', () => {
  it('a 2s ratings delay slows the page; a 0.5s reviews timeout cuts it to about a second', async () => {
    const sb = await bookinfo();
    await sb.exec('kubectl apply -f samples/bookinfo/networking/virtual-service-all-v1.yaml');
    await sb.exec(
      `kubectl apply -f - <<EOF
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: reviews
spec:
  hosts:
    - reviews
  http:
  - route:
    - destination:
        host: reviews
        subset: v2
EOF`,
    );
    await sb.exec(
      `kubectl apply -f - <<EOF
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: ratings
spec:
  hosts:
  - ratings
  http:
  - fault:
      delay:
        percentage:
          value: 100
        fixedDelay: 2s
    route:
    - destination:
        host: ratings
        subset: v1
EOF`,
    );
    const slow = await sb.exec(`curl -s -w '\\n%{time_total}' "http://$GATEWAY_URL/productpage"`);
    expect(slow.stdout).toContain('<font color="black">');
    expect(Number(slow.stdout.trim().split('\n').pop())).toBeGreaterThan(2);
    await sb.exec(`kubectl apply -f - <<EOF
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: reviews
spec:
  hosts:
  - reviews
  http:
  - route:
    - destination:
        host: reviews
        subset: v2
    timeout: 0.5s
EOF`);
    await sb.exec('sleep 2');
    const cut = await sb.exec(`curl -s -w '\\n%{time_total}' "http://$GATEWAY_URL/productpage"`);
    expect(cut.stdout).toContain('Sorry, product reviews are currently unavailable for this book.');
    const seconds = Number(cut.stdout.trim().split('\n').pop());
    expect(seconds).toBeGreaterThan(1);
    expect(seconds).toBeLessThan(1.2);
  });
});

describe('istio.io Circuit Breaking', () => {
  it('fortio trips the breaker with three connections; the sidecar counts the overflow', async () => {
    const sb = new Sandbox({ samples, seed: 5 });
    await steps(sb, ['kubectl label namespace default istio-injection=enabled', 'kubectl apply -f samples/httpbin/httpbin.yaml', 'kubectl apply -f samples/httpbin/sample-client/fortio-deploy.yaml']);
    await sb.exec(
      `kubectl apply -f - <<EOF
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata:
  name: httpbin
spec:
  host: httpbin
  trafficPolicy:
    connectionPool:
      tcp:
        maxConnections: 1
      http:
        http1MaxPendingRequests: 1
        maxRequestsPerConnection: 1
    outlierDetection:
      consecutive5xxErrors: 1
      interval: 1s
      baseEjectionTime: 3m
      maxEjectionPercent: 100
EOF`,
    );
    await sb.exec('sleep 20');
    await sb.exec(`export FORTIO_POD=$(kubectl get pods -l app=fortio -o 'jsonpath={.items[0].metadata.name}')`);
    const one = await sb.exec('kubectl exec "$FORTIO_POD" -c fortio -- /usr/bin/fortio curl -quiet http://httpbin:8000/get');
    expect(one.stdout).toMatch(/^HTTP\/1\.1 200 OK\n/);
    // go-httpbin v2 lists each header's values
    expect(one.stdout).toMatch(/"User-Agent": \[\n\s+"fortio\.org\/fortio-/);
    const two = await sb.exec('kubectl exec "$FORTIO_POD" -c fortio -- /usr/bin/fortio load -c 2 -qps 0 -n 20 -loglevel Warning http://httpbin:8000/get');
    expect(two.stdout).toMatch(/^Fortio \S+ running at 0 queries per second, \S+ procs, for 20 calls: http:\/\/httpbin:8000\/get\nStarting at max qps with 2 thread\(s\) \[gomax \d+\] for exactly 20 calls \(10 per thread \+ 0\)\n/);
    expect(two.stdout).toMatch(/\nCode 200 : (1[5-9]|20) \(\d+\.\d %\)\n/);
    const three = await sb.exec('kubectl exec "$FORTIO_POD" -c fortio -- /usr/bin/fortio load -c 3 -qps 0 -n 30 -loglevel Warning http://httpbin:8000/get');
    const ok = Number(three.stdout.match(/\nCode 200 : (\d+) /)![1]);
    const overflow = Number(three.stdout.match(/\nCode 503 : (\d+) /)![1]);
    expect(ok + overflow).toBe(30);
    expect(overflow).toBeGreaterThan(3);
    expect(three.stderr).toContain('"msg":"Non ok http code","code":503,"status":"HTTP/1.1 503"');
    const stats = await sb.exec('kubectl exec "$FORTIO_POD" -c istio-proxy -- pilot-agent request GET stats | grep httpbin | grep pending');
    const counted = Number(stats.stdout.match(/upstream_rq_pending_overflow: (\d+)/)![1]);
    expect(counted).toBe(overflow + (two.stdout.match(/\nCode 503 : (\d+) /)?.[1] ? Number(two.stdout.match(/\nCode 503 : (\d+) /)![1]) : 0));
  });
});

describe('istio.io TCP Traffic Shifting', () => {
  it('the demo profile exposes tcp 31400; all connections reach tcp-echo v1, then about 20 % reach v2', async () => {
    const sb = new Sandbox({ samples, seed: 3 });
    await steps(
      sb,
      `istioctl install --set profile=demo -y
kubectl create namespace istio-io-tcp-traffic-shifting
kubectl label namespace istio-io-tcp-traffic-shifting istio-injection=enabled
kubectl apply -f samples/curl/curl.yaml -n istio-io-tcp-traffic-shifting
kubectl apply -f samples/tcp-echo/tcp-echo-services.yaml -n istio-io-tcp-traffic-shifting
kubectl apply -f samples/tcp-echo/tcp-echo-all-v1.yaml -n istio-io-tcp-traffic-shifting`,
    );
    await sb.exec('sleep 20');
    await sb.exec(`export INGRESS_HOST=$(kubectl -n istio-system get service istio-ingressgateway -o jsonpath='{.status.loadBalancer.ingress[0].ip}')`);
    await sb.exec(`export TCP_INGRESS_PORT=$(kubectl -n istio-system get service istio-ingressgateway -o jsonpath='{.spec.ports[?(@.name=="tcp")].port}')`);
    expect((await sb.exec('echo $TCP_INGRESS_PORT')).stdout).toBe('31400\n');
    // the task's loop, as published (brace expansion, a subshell piped into busybox nc)
    const loop = `for i in {1..20}; do \\
kubectl exec "$(kubectl get pod -l app=curl -n istio-io-tcp-traffic-shifting -o jsonpath={.items..metadata.name})" \\
-c curl -n istio-io-tcp-traffic-shifting -- sh -c "(date; sleep 1) | nc $INGRESS_HOST $TCP_INGRESS_PORT"; \\
done`;
    const v1 = (await sb.exec(loop)).stdout.trim().split('\n');
    expect(v1).toHaveLength(20);
    for (const line of v1) expect(line).toMatch(/^one \w{3} \w{3} [ \d]\d \d\d:\d\d:\d\d UTC \d{4}$/);
    expect((await sb.exec('istioctl proxy-config listeners deploy/istio-ingressgateway -n istio-system --port 31400')).stdout).toContain(
      '0.0.0.0   31400 ALL   Cluster: outbound|9000|v1|tcp-echo.istio-io-tcp-traffic-shifting.svc.cluster.local',
    );

    await sb.exec('kubectl apply -f samples/tcp-echo/tcp-echo-20-v2.yaml -n istio-io-tcp-traffic-shifting');
    await sb.exec('sleep 5');
    const split = (await sb.exec(loop.replace('{1..20}', '{1..100}'))).stdout.trim().split('\n');
    const two = split.filter((l) => l.startsWith('two ')).length;
    expect(split.filter((l) => l.startsWith('one ')).length + two).toBe(100);
    // 80/20 per connection: 99 % of binomial(100, 0.2) outcomes lie in 10..31
    expect(two).toBeGreaterThanOrEqual(10);
    expect(two).toBeLessThanOrEqual(31);
    // the gateway logs each connection as a TCP line with its upstream cluster
    expect((await sb.exec('kubectl logs deploy/istio-ingressgateway -n istio-system | tail -1')).stdout).toMatch(/"- - -" 0 - - - "-" \d+ \d+ \d+ - "-" "-" "-" "-" "[\d.]+:9000" outbound\|9000\|v[12]\|tcp-echo\.istio-io-tcp-traffic-shifting\.svc\.cluster\.local /);
  });
});
