/**
 * istio.io's tasks at the mesh's edges, from their published commands against ~/samples:
 * Egress > Accessing External Services, Ingress > Ingress Gateways, Traffic Management >
 * Mirroring (istio/istio.io content/en/docs/tasks/traffic-management/{egress/egress-control,
 * ingress/ingress-control,mirroring}).
 */
import { describe, expect, it, vi } from 'vitest';
import { Sandbox } from '../sandbox';
import { readExamples, SAMPLES_DIR, steps } from '../testing';

const samples = readExamples(SAMPLES_DIR);
vi.setConfig({ testTimeout: 30_000 });

async function withCurl(): Promise<Sandbox> {
  const sb = new Sandbox({ samples, seed: 11 });
  await steps(sb, ['kubectl label namespace default istio-injection=enabled', 'kubectl apply -f samples/curl/curl.yaml']);
  await sb.exec('sleep 15');
  await sb.exec(`export SOURCE_POD=$(kubectl get pod -l app=curl -o jsonpath='{.items..metadata.name}')`);
  return sb;
}

describe('istio.io Accessing External Services', () => {
  it('ALLOW_ANY reaches the Internet; REGISTRY_ONLY blocks it until a ServiceEntry opens a host', async () => {
    const sb = await withCurl();
    const probe = `kubectl exec "$SOURCE_POD" -c curl -- curl -sSI https://www.google.com | grep  "HTTP/"; kubectl exec "$SOURCE_POD" -c curl -- curl -sI https://edition.cnn.com | grep "HTTP/"`;
    expect((await sb.exec(probe)).stdout).toBe('HTTP/2 200 \nHTTP/2 200 \n');
    await steps(sb, ['istioctl install -y --set meshConfig.accessLogFile=/dev/stdout --set meshConfig.outboundTrafficPolicy.mode=REGISTRY_ONLY', 'sleep 5']);
    const blocked = await sb.exec(probe);
    expect(blocked.stdout).toBe('');
    expect(blocked.stderr).toMatch(/command terminated with exit code 35\n[^]*command terminated with exit code 35\n$/);
    await sb.exec(`kubectl apply -f - <<EOF
apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata:
  name: httpbin-ext
spec:
  hosts:
  - httpbin.org
  ports:
  - number: 80
    name: http
    protocol: HTTP
  resolution: DNS
  location: MESH_EXTERNAL
EOF`);
    await sb.exec('sleep 2');
    const headers = await sb.exec('kubectl exec "$SOURCE_POD" -c curl -- curl -sS http://httpbin.org/headers');
    const body = JSON.parse(headers.stdout) as { headers: Record<string, string> };
    expect(body.headers.Host).toBe('httpbin.org');
    expect(body.headers['User-Agent']).toMatch(/^curl\/8\./);
    await sb.exec(`kubectl apply -f - <<EOF
apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata:
  name: google
spec:
  hosts:
  - www.google.com
  ports:
  - number: 443
    name: https
    protocol: HTTPS
  resolution: DNS
  location: MESH_EXTERNAL
EOF`);
    await sb.exec('sleep 2');
    expect((await sb.exec(`kubectl exec "$SOURCE_POD" -c curl -- curl -sSI https://www.google.com | grep  "HTTP/"`)).stdout).toBe('HTTP/2 200 \n');
  });
});

describe('istio.io Ingress Gateways', () => {
  it('routes httpbin.example.com through the gateway; other paths get 404', async () => {
    const sb = new Sandbox({ samples, seed: 2 });
    await steps(sb, ['kubectl label namespace default istio-injection=enabled', 'kubectl apply -f samples/httpbin/httpbin.yaml']);
    await sb.exec(`kubectl apply -f - <<EOF
apiVersion: networking.istio.io/v1
kind: Gateway
metadata:
  name: httpbin-gateway
spec:
  # The selector matches the ingress gateway pod labels.
  # If you installed Istio using Helm following the standard documentation, this would be "istio=ingress"
  selector:
    istio: ingressgateway
  servers:
  - port:
      number: 80
      name: http
      protocol: HTTP
    hosts:
    - "httpbin.example.com"
EOF`);
    await sb.exec(`kubectl apply -f - <<EOF
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: httpbin
spec:
  hosts:
  - "httpbin.example.com"
  gateways:
  - httpbin-gateway
  http:
  - match:
    - uri:
        prefix: /status
    - uri:
        prefix: /delay
    route:
    - destination:
        port:
          number: 8000
        host: httpbin
EOF`);
    await sb.exec('sleep 15');
    await sb.exec(`export INGRESS_HOST=$(kubectl -n istio-system get service istio-ingressgateway -o jsonpath='{.status.loadBalancer.ingress[0].ip}')`);
    await sb.exec(`export INGRESS_PORT=$(kubectl -n istio-system get service istio-ingressgateway -o jsonpath='{.spec.ports[?(@.name=="http2")].port}')`);
    const ok = await sb.exec('curl -s -I -HHost:httpbin.example.com "http://$INGRESS_HOST:$INGRESS_PORT/status/200"');
    expect(ok.stdout).toMatch(/^HTTP\/1\.1 200 OK\n/);
    expect(ok.stdout).toContain('\nserver: istio-envoy\n');
    const missing = await sb.exec('curl -s -I -HHost:httpbin.example.com "http://$INGRESS_HOST:$INGRESS_PORT/headers"');
    expect(missing.stdout).toMatch(/^HTTP\/1\.1 404 Not Found\n/);
    // the node's shell reaches the Service's ClusterIP and the gateway's NodePort too
    expect((await sb.exec(`curl -s -o /dev/null -w '%{http_code}' http://$(kubectl get svc httpbin -o jsonpath='{.spec.clusterIP}'):8000/status/418`)).stdout).toBe('418');
    const nodePort = (await sb.exec(`kubectl -n istio-system get service istio-ingressgateway -o jsonpath='{.spec.ports[?(@.name=="http2")].nodePort}'`)).stdout;
    const node = (await sb.exec(`kubectl get nodes -o jsonpath='{.items[0].status.addresses[?(@.type=="InternalIP")].address}'`)).stdout;
    expect((await sb.exec(`curl -s -o /dev/null -w '%{http_code}' -HHost:httpbin.example.com http://${node}:${nodePort}/status/200`)).stdout).toBe('200');
  });
});

describe('istio.io Mirroring', () => {
  it('mirrors requests for v1 to v2, whose log shows them', async () => {
    const sb = new Sandbox({ samples, seed: 4 });
    await steps(sb, ['kubectl label namespace default istio-injection=enabled', 'kubectl apply -f samples/curl/curl.yaml']);
    for (const v of ['v1', 'v2'])
      await sb.exec(`cat <<EOF | kubectl create -f -
apiVersion: apps/v1
kind: Deployment
metadata:
  name: httpbin-${v}
spec:
  replicas: 1
  selector:
    matchLabels:
      app: httpbin
      version: ${v}
  template:
    metadata:
      labels:
        app: httpbin
        version: ${v}
    spec:
      containers:
      - image: docker.io/mccutchen/go-httpbin:v2.15.0
        imagePullPolicy: IfNotPresent
        name: httpbin
        ports:
        - containerPort: 8080
EOF`);
    await sb.exec(`kubectl create -f - <<EOF
apiVersion: v1
kind: Service
metadata:
  name: httpbin
  labels:
    app: httpbin
spec:
  ports:
  - name: http
    port: 8000
    targetPort: 8080
  selector:
    app: httpbin
EOF`);
    await sb.exec(`kubectl apply -f - <<EOF
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata:
  name: httpbin
spec:
  host: httpbin
  subsets:
  - name: v1
    labels:
      version: v1
  - name: v2
    labels:
      version: v2
EOF`);
    await sb.exec(`kubectl apply -f - <<EOF
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: httpbin
spec:
  hosts:
  - httpbin
  http:
  - route:
    - destination:
        host: httpbin
        subset: v1
      weight: 100
    mirror:
      host: httpbin
      subset: v2
    mirrorPercentage:
      value: 100.0
EOF`);
    await sb.exec('sleep 15');
    await sb.exec(`export CURL_POD=$(kubectl get pod -l app=curl -o jsonpath={.items..metadata.name})`);
    const r = await sb.exec(`kubectl exec "$CURL_POD" -c curl -- curl -sS http://httpbin:8000/headers`);
    expect(JSON.parse(r.stdout)).toHaveProperty('headers');
    const v1 = (await sb.exec('kubectl logs deploy/httpbin-v1 -c httpbin')).stdout;
    const v2 = (await sb.exec('kubectl logs deploy/httpbin-v2 -c httpbin')).stdout;
    expect(v1).toMatch(/status=200 method="GET" uri="\/headers" size_bytes=\d+ duration_ms=[\d.]+/);
    expect(v2).toMatch(/status=200 method="GET" uri="\/headers" size_bytes=\d+ duration_ms=[\d.]+/);
  });
});

describe('a TLS server that terminates for tcp routes (gateway.go createGatewayTCPFilterChainOpts)', () => {
  it('the gateway ends TLS with the credential, proxies the plaintext stream to the tcp route, and lists the chain', async () => {
    const sb = new Sandbox({ samples, seed: 5 });
    await steps(sb, [
      'istioctl install --set profile=demo -y --set meshConfig.accessLogFile=/dev/stdout',
      'kubectl label namespace default istio-injection=enabled',
      'kubectl apply -f samples/httpbin/httpbin.yaml',
      "openssl req -x509 -sha256 -nodes -days 365 -newkey rsa:2048 -subj '/O=example Inc./CN=example.com' -keyout example.com.key -out example.com.crt",
      'openssl req -out httpbin.example.com.csr -newkey rsa:2048 -nodes -keyout httpbin.example.com.key -subj "/CN=httpbin.example.com/O=httpbin organization"',
      'openssl x509 -req -sha256 -days 365 -CA example.com.crt -CAkey example.com.key -set_serial 0 -in httpbin.example.com.csr -out httpbin.example.com.crt',
      'kubectl create -n istio-system secret tls httpbin-credential --key=httpbin.example.com.key --cert=httpbin.example.com.crt',
    ]);
    await sb.exec(`kubectl apply -f - <<EOF
apiVersion: networking.istio.io/v1
kind: Gateway
metadata:
  name: tls-tcp-gateway
spec:
  selector:
    istio: ingressgateway
  servers:
  - port:
      number: 31400
      name: tls-tcp
      protocol: TLS
    tls:
      mode: SIMPLE
      credentialName: httpbin-credential
    hosts:
    - httpbin.example.com
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: httpbin-tcp
spec:
  hosts:
  - httpbin.example.com
  gateways:
  - tls-tcp-gateway
  tcp:
  - route:
    - destination:
        host: httpbin.default.svc.cluster.local
        port:
          number: 8000
EOF`);
    await sb.exec('sleep 15');
    await sb.exec(`export INGRESS_HOST=$(kubectl -n istio-system get service istio-ingressgateway -o jsonpath='{.status.loadBalancer.ingress[0].ip}')`);
    const ok = await sb.exec('curl -sS -o /dev/null -w "%{http_code}" --resolve "httpbin.example.com:31400:$INGRESS_HOST" --cacert example.com.crt "https://httpbin.example.com:31400/status/418"');
    expect(ok.stderr).toBe('');
    expect(ok.stdout).toBe('418');
    // the certificate curl verified is the credential's
    const verbose = await sb.exec('curl -v -s -o /dev/null --resolve "httpbin.example.com:31400:$INGRESS_HOST" --cacert example.com.crt "https://httpbin.example.com:31400/headers" 2>&1');
    expect(verbose.stdout).toContain('subject: CN = httpbin.example.com, O = httpbin organization');
    // a TCP server's TLS context still offers h2 and http/1.1 (listener.go BuildListenerTLSContext: util.ALPNHttp)
    expect(verbose.stdout).toContain('* ALPN: server accepted h2');
    // no HTTP routing at the gateway: httpbin itself answers for any path (a tcp_proxy, not a route table)
    expect((await sb.exec('curl -s -o /dev/null -w "%{http_code}" --resolve "httpbin.example.com:31400:$INGRESS_HOST" --cacert example.com.crt "https://httpbin.example.com:31400/get"')).stdout).toBe('200');
    // the listener's filter chain: the server's SNI and the tcp_proxy's cluster
    expect((await sb.exec('istioctl proxy-config listeners deploy/istio-ingressgateway -n istio-system --port 31400')).stdout).toBe(
      'ADDRESSES PORT  MATCH                    DESTINATION\n0.0.0.0   31400 SNI: httpbin.example.com Cluster: outbound|8000||httpbin.default.svc.cluster.local\n',
    );
    // the gateway logs the connection as TCP with the SNI it terminated
    expect((await sb.exec('kubectl logs deploy/istio-ingressgateway -n istio-system | tail -1')).stdout).toMatch(/"- - -" 0 - - - "-" \d+ \d+ \d+ - "-" "-" "-" "-" "[\d.]+:8080" outbound\|8000\|\|httpbin\.default\.svc\.cluster\.local [\d.]+:\d+ [\d.]+:31400 [\d.]+:\d+ httpbin\.example\.com -/);
    // plaintext to the TLS server: no chain accepts it
    expect((await sb.exec('curl -s -o /dev/null -w "%{http_code}" "http://$INGRESS_HOST:31400/get"; echo " $?"')).stdout).toBe('000 52\n');
  });
});
