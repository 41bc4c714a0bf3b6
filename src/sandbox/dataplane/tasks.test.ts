/**
 * istio.io tasks run through the shell with their published commands, asserting what istio.io
 * prints: secure ingress (SIMPLE, MUTUAL), and the dataplane behaviours of issue 9.
 */
import { describe, expect, it } from 'vitest';
import { Sandbox } from '../sandbox';
import { readExamples, SAMPLES_DIR, steps } from '../testing';

const samples = readExamples(SAMPLES_DIR);

async function run(sb: Sandbox, line: string): Promise<{ code: number; stdout: string; stderr: string }> {
  const r = await sb.exec(line);
  await sb.cluster.advance(2000);
  return r;
}

/** Istio installed, httpbin in default with a sidecar, INGRESS_HOST and SECURE_INGRESS_PORT set as the task does. */
async function httpbinBehindIngress(seed: number): Promise<Sandbox> {
  const sb = new Sandbox({ samples, seed });
  await steps(
    sb,
    `kubectl label namespace default istio-injection=enabled
kubectl apply -f samples/httpbin/httpbin.yaml`,
  );
  await sb.cluster.advance(20_000);
  await steps(
    sb,
    `export INGRESS_HOST=$(kubectl -n istio-system get service istio-ingressgateway -o jsonpath='{.status.loadBalancer.ingress[0].ip}')
export SECURE_INGRESS_PORT=$(kubectl -n istio-system get service istio-ingressgateway -o jsonpath='{.spec.ports[?(@.name=="https")].port}')`,
  );
  return sb;
}

const gateway = (mode: string): string => `cat <<EOF | kubectl apply -f -
apiVersion: networking.istio.io/v1
kind: Gateway
metadata:
  name: mygateway
spec:
  selector:
    istio: ingressgateway # use istio default ingress gateway
  servers:
  - port:
      number: 443
      name: https
      protocol: HTTPS
    tls:
      mode: ${mode}
      credentialName: httpbin-credential # must be the same as secret
    hosts:
    - httpbin.example.com
EOF`;

const virtualService = `cat <<EOF | kubectl apply -f -
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: httpbin
spec:
  hosts:
  - "httpbin.example.com"
  gateways:
  - mygateway
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
EOF`;

const curlHttpbin = (extra: string): string =>
  `curl -s -S -HHost:httpbin.example.com --resolve "httpbin.example.com:$SECURE_INGRESS_PORT:$INGRESS_HOST" ${extra} "https://httpbin.example.com:$SECURE_INGRESS_PORT/status/418"`;

describe('istio.io task: Secure Gateways', () => {
  it('SIMPLE: a teapot over TLS with the CA; the old CA after rotation fails verification', { timeout: 60_000 }, async () => {
    const sb = await httpbinBehindIngress(3);
    await steps(
      sb,
      `openssl req -x509 -sha256 -nodes -days 365 -newkey rsa:2048 -subj '/O=example Inc./CN=example.com' -keyout example.com.key -out example.com.crt
openssl req -out httpbin.example.com.csr -newkey rsa:2048 -nodes -keyout httpbin.example.com.key -subj "/CN=httpbin.example.com/O=httpbin organization"
openssl x509 -req -sha256 -days 365 -CA example.com.crt -CAkey example.com.key -set_serial 0 -in httpbin.example.com.csr -out httpbin.example.com.crt
kubectl create -n istio-system secret tls httpbin-credential --key=httpbin.example.com.key --cert=httpbin.example.com.crt`,
    );
    expect((await run(sb, gateway('SIMPLE'))).stdout).toBe('gateway.networking.istio.io/mygateway created\n');
    await run(sb, virtualService);
    const ok = await run(sb, curlHttpbin('--cacert example.com.crt'));
    expect(ok.stdout).toContain('-=[ teapot ]=-');
    expect((await run(sb, `${curlHttpbin('--cacert example.com.crt')} -o /dev/null -w '%{http_code}'`)).stdout).toBe('418');
    // no CA given: the system bundle does not know example.com's CA
    expect((await run(sb, curlHttpbin(''))).stderr).toMatch(/^curl: \(60\) SSL certificate problem: unable to get local issuer certificate\n/);
    // SNI for a host the gateway has no server for: no filter chain, the handshake is cut
    const wrongName = await run(sb, `curl -s -S --resolve "foo.example.com:$SECURE_INGRESS_PORT:$INGRESS_HOST" --cacert example.com.crt "https://foo.example.com:$SECURE_INGRESS_PORT/status/418"`);
    expect(wrongName.stderr).toBe(`curl: (35) OpenSSL SSL_connect: SSL_ERROR_SYSCALL in connection to foo.example.com:443 \n`);
    // rotation: a new CA with the same name; the old CA no longer verifies the gateway
    await steps(
      sb,
      `kubectl -n istio-system delete secret httpbin-credential
mkdir new_certificates
openssl req -x509 -sha256 -nodes -days 365 -newkey rsa:2048 -subj '/O=example Inc./CN=example.com' -keyout new_certificates/example.com.key -out new_certificates/example.com.crt
openssl req -out new_certificates/httpbin.example.com.csr -newkey rsa:2048 -nodes -keyout new_certificates/httpbin.example.com.key -subj "/CN=httpbin.example.com/O=httpbin organization"
openssl x509 -req -days 365 -CA new_certificates/example.com.crt -CAkey new_certificates/example.com.key -set_serial 0 -in new_certificates/httpbin.example.com.csr -out new_certificates/httpbin.example.com.crt
kubectl create -n istio-system secret tls httpbin-credential --key=new_certificates/httpbin.example.com.key --cert=new_certificates/httpbin.example.com.crt`,
    );
    expect((await run(sb, curlHttpbin('--cacert new_certificates/example.com.crt'))).stdout).toContain('-=[ teapot ]=-');
    // OpenSSL finds the old CA by name (the v1 leaf has no key identifiers) and the signature fails
    expect((await run(sb, curlHttpbin('--cacert example.com.crt'))).stderr).toMatch(/^curl: \(60\) SSL certificate problem: certificate signature failure\n/);
  });

  it('MUTUAL: no client certificate → tlsv13 alert certificate required; with --cert/--key a teapot', { timeout: 60_000 }, async () => {
    const sb = await httpbinBehindIngress(4);
    await steps(
      sb,
      `openssl req -x509 -sha256 -nodes -days 365 -newkey rsa:2048 -subj '/O=example Inc./CN=example.com' -keyout example.com.key -out example.com.crt
openssl req -out httpbin.example.com.csr -newkey rsa:2048 -nodes -keyout httpbin.example.com.key -subj "/CN=httpbin.example.com/O=httpbin organization"
openssl x509 -req -sha256 -days 365 -CA example.com.crt -CAkey example.com.key -set_serial 0 -in httpbin.example.com.csr -out httpbin.example.com.crt
kubectl create -n istio-system secret generic httpbin-credential --from-file=tls.key=httpbin.example.com.key --from-file=tls.crt=httpbin.example.com.crt --from-file=ca.crt=example.com.crt`,
    );
    await run(sb, gateway('MUTUAL'));
    await run(sb, virtualService);
    expect((await run(sb, curlHttpbin('--cacert example.com.crt'))).stderr).toBe('curl: (56) OpenSSL SSL_read: error:0A00045C:SSL routines::tlsv13 alert certificate required, errno 0\n');
    await steps(
      sb,
      `openssl req -out client.example.com.csr -newkey rsa:2048 -nodes -keyout client.example.com.key -subj "/CN=client.example.com/O=client organization"
openssl x509 -req -days 365 -CA example.com.crt -CAkey example.com.key -set_serial 1 -in client.example.com.csr -out client.example.com.crt`,
    );
    const ok = await run(sb, curlHttpbin('--cacert example.com.crt --cert client.example.com.crt --key client.example.com.key'));
    expect(ok.stdout).toContain('-=[ teapot ]=-');
    // a client certificate from a CA the gateway does not trust
    await steps(
      sb,
      `openssl req -x509 -sha256 -nodes -days 365 -newkey rsa:2048 -subj '/O=other Inc./CN=other.com' -keyout other.key -out other.crt`,
    );
    expect((await run(sb, curlHttpbin('--cacert example.com.crt --cert other.crt --key other.key'))).stderr).toBe('curl: (56) OpenSSL SSL_read: error:0A000418:SSL routines::tlsv1 alert unknown ca, errno 0\n');
    expect((await run(sb, curlHttpbin('--cacert example.com.crt --cert client.example.com.crt --key other.key'))).stderr).toBe('curl: (58) Private key does not match the certificate public key\n');
    // the gateway's SDS resources: the certificate and, for MUTUAL, the CA as <name>-cacert
    const secrets = (await run(sb, 'istioctl proxy-config secret deploy/istio-ingressgateway -n istio-system')).stdout;
    expect(secrets).toMatch(/^kubernetes:\/\/httpbin-credential {2,}Cert Chain {2,}ACTIVE {2,}true {2,}0 {2,}\d{4}-\d\d-\d\dT[\d:]+Z {2,}\S+Z$/m);
    expect(secrets).toMatch(/^kubernetes:\/\/httpbin-credential-cacert {2,}CA {2,}ACTIVE {2,}true /m);
    expect(secrets.indexOf('kubernetes://')).toBeLessThan(secrets.indexOf('\ndefault '));
  });

  it('a credentialName with no Secret in the namespace of the gateway pods: WARMING, IST0101, a cut handshake', { timeout: 60_000 }, async () => {
    const sb = await httpbinBehindIngress(8);
    sb.useValidation((await import('../../validation/sandbox')).sandboxValidation);
    await steps(
      sb,
      `openssl req -x509 -sha256 -nodes -days 365 -newkey rsa:2048 -subj '/O=example Inc./CN=example.com' -keyout example.com.key -out example.com.crt
openssl req -out httpbin.example.com.csr -newkey rsa:2048 -nodes -keyout httpbin.example.com.key -subj "/CN=httpbin.example.com/O=httpbin organization"
openssl x509 -req -sha256 -days 365 -CA example.com.crt -CAkey example.com.key -set_serial 0 -in httpbin.example.com.csr -out httpbin.example.com.crt
kubectl create -n default secret tls httpbin-credential --key=httpbin.example.com.key --cert=httpbin.example.com.crt`,
    );
    await run(sb, gateway('SIMPLE'));
    await run(sb, virtualService);
    // the secret sits beside the Gateway (default), not beside the gateway pods (istio-system)
    expect((await run(sb, curlHttpbin('--cacert example.com.crt'))).stderr).toBe('curl: (35) OpenSSL SSL_connect: SSL_ERROR_SYSCALL in connection to httpbin.example.com:443 \n');
    const secrets = (await run(sb, 'istioctl proxy-config secret deploy/istio-ingressgateway -n istio-system')).stdout;
    expect(secrets.split('\n')[1]).toMatch(/^kubernetes:\/\/httpbin-credential {2,}WARMING {2,}false\s*$/);
    const analyze = await run(sb, 'istioctl analyze');
    expect(analyze.stdout + analyze.stderr).toContain('Error [IST0101] (Gateway mygateway.default) Referenced credentialName not found: "httpbin-credential"');
    await steps(sb, 'kubectl create -n istio-system secret tls httpbin-credential --key=httpbin.example.com.key --cert=httpbin.example.com.crt');
    const ok = await run(sb, `${curlHttpbin('--cacert example.com.crt')} -v`);
    expect(ok.stdout).toContain('-=[ teapot ]=-');
    // no subjectAltName in the certificate: curl matches the host against the CN
    expect(ok.stderr).toContain('*  common name: httpbin.example.com (matched)\n');
    expect(ok.stderr).not.toContain('subjectAltName');
    expect((await run(sb, 'istioctl analyze')).stdout).not.toContain('IST0101');
    // the gateway logs the HTTP/2 request with the SNI of the connection it terminated
    expect((await sb.exec('kubectl logs -n istio-system deploy/istio-ingressgateway --tail=1')).stdout).toMatch(/"GET \/status\/418 HTTP\/2" 418 .* httpbin\.example\.com -\n$/);
  });
});

const localRateLimit = (context: string, selector: string, extra = ''): string => `kubectl apply -f - <<EOF
apiVersion: networking.istio.io/v1alpha3
kind: EnvoyFilter
metadata:
  name: filter-local-ratelimit-svc
  namespace: istio-system
spec:
  workloadSelector:
    labels:
      ${selector}
  configPatches:
    - applyTo: HTTP_FILTER
${context ? `      match:\n        context: ${context}\n` : ''}      listener:
        filterChain:
          filter:
            name: "envoy.http_connection_manager"
      patch:
        operation: INSERT_BEFORE
        value:
          name: envoy.filters.http.local_ratelimit
          typed_config:
            "@type": type.googleapis.com/udpa.type.v1.TypedStruct
            type_url: type.googleapis.com/envoy.extensions.filters.http.local_ratelimit.v3.LocalRateLimit
            value:
              stat_prefix: http_local_rate_limiter
              token_bucket:
                max_tokens: 10
                tokens_per_fill: 10
                fill_interval: 60s
              filter_enabled:
                runtime_key: local_rate_limit_enabled
                default_value:
                  numerator: 100
                  denominator: HUNDRED
              filter_enforced:
                runtime_key: local_rate_limit_enforced
                default_value:
                  numerator: 100
                  denominator: HUNDRED
              response_headers_to_add:
                - append: false
                  header:
                    key: x-local-rate-limit
                    value: 'true'
${extra}EOF`;

describe('istio.io task: Local rate limiting (EnvoyFilter)', () => {
  it('productpage lets 10 requests a minute through, then 429 local_rate_limited with RL in its access log', { timeout: 60_000 }, async () => {
    const sb = new Sandbox({ samples, seed: 5 });
    await steps(sb, `kubectl label namespace default istio-injection=enabled\nkubectl apply -f samples/bookinfo/platform/kube/bookinfo.yaml`);
    await sb.cluster.advance(30_000);
    expect((await run(sb, localRateLimit('', 'app: productpage'))).stdout).toBe('envoyfilter.networking.istio.io/filter-local-ratelimit-svc created\n');
    const cmd = `kubectl exec "$(kubectl get pod -l app=ratings -o jsonpath='{.items[0].metadata.name}')" -c ratings -- curl -sS productpage:9080/productpage | grep -o "<title>.*</title>"`;
    const titles: string[] = [];
    for (let i = 0; i < 12; i++) titles.push((await sb.exec(cmd)).stdout);
    expect(titles.filter((t) => t === '<title>Simple Bookstore App</title>\n')).toHaveLength(10);
    const limited = await sb.exec(`kubectl exec deploy/ratings-v1 -c ratings -- curl -s -i productpage:9080/productpage`);
    expect(limited.stdout).toMatch(/^HTTP\/1\.1 429 Too Many Requests\n/);
    // response_headers_to_add come first: they are set on the local reply before content-length and content-type
    expect(limited.stdout).toMatch(/^HTTP\/1\.1 429 Too Many Requests\nx-local-rate-limit: true\ncontent-length: 18\ncontent-type: text\/plain\n/);
    expect(limited.stdout).toMatch(/\n\nlocal_rate_limited$/);
    const log = (await sb.exec('kubectl logs deploy/productpage-v1 -c istio-proxy --tail=1')).stdout;
    expect(log).toMatch(/"GET \/productpage HTTP\/1\.1" 429 RL local_rate_limited - "-" 0 18 0 - /);
    expect(log).toMatch(/ inbound\|9080\|\| /);
    const stats = (await sb.exec('kubectl exec deploy/productpage-v1 -c istio-proxy -- pilot-agent request GET stats | grep http_local_rate_limit')).stdout;
    expect(stats).toMatch(/^http_local_rate_limiter\.http_local_rate_limit\.rate_limited: [1-9]\d*$/m);
    // a minute later the bucket is full again
    await sb.cluster.advance(60_000);
    expect((await sb.exec(cmd)).stdout).toBe('<title>Simple Bookstore App</title>\n');
  });

  it('GATEWAY context: the ingress gateway answers 429 after the bucket empties', { timeout: 60_000 }, async () => {
    const sb = await httpbinBehindIngress(6);
    await steps(sb, 'kubectl apply -f samples/httpbin/httpbin-gateway.yaml\nexport INGRESS_PORT=80');
    await run(sb, localRateLimit('GATEWAY', 'istio: ingressgateway'));
    const codes = (await sb.exec(`for i in $(seq 1 12); do curl -s -o /dev/null -w "%{http_code}\\n" "http://$INGRESS_HOST:$INGRESS_PORT/headers"; done | sort | uniq -c`)).stdout;
    expect(codes).toBe('     10 200\n      2 429\n');
    const log = (await sb.exec('kubectl logs -n istio-system deploy/istio-ingressgateway --tail=1')).stdout;
    expect(log).toMatch(/" 429 RL local_rate_limited /);
  });

  it('counters exist at 0 once the filter is configured; filter_enforced 0 % counts rate_limited but lets requests through; a changed config starts a full bucket', { timeout: 60_000 }, async () => {
    const sb = new Sandbox({ samples, seed: 5 });
    await steps(sb, `kubectl label namespace default istio-injection=enabled\nkubectl apply -f samples/bookinfo/platform/kube/bookinfo.yaml`);
    await sb.cluster.advance(30_000);
    const stats = async (): Promise<string> => (await sb.exec('kubectl exec deploy/productpage-v1 -c istio-proxy -- pilot-agent request GET stats | grep http_local_rate_limit')).stdout;
    await run(sb, localRateLimit('SIDECAR_INBOUND', 'app: productpage').replace(/(filter_enforced:[\s\S]*?numerator: )100/, '$10'));
    expect(await stats()).toBe(['enabled', 'enforced', 'ok', 'rate_limited'].map((k) => `http_local_rate_limiter.http_local_rate_limit.${k}: 0\n`).join(''));
    const code = `kubectl exec deploy/ratings-v1 -c ratings -- curl -s -o /dev/null -w '%{http_code}\\n' productpage:9080/productpage`;
    const codes: string[] = [];
    for (let i = 0; i < 12; i++) codes.push((await sb.exec(code)).stdout);
    expect(new Set(codes)).toEqual(new Set(['200\n']));
    expect(await stats()).toMatch(/enabled: 12\n.*enforced: 0\n.*ok: 10\n.*rate_limited: 2\n$/s);
    // enforcing it is a new filter config: a new bucket, full, so 10 more pass before the 429s
    await run(sb, localRateLimit('SIDECAR_INBOUND', 'app: productpage'));
    codes.length = 0;
    for (let i = 0; i < 12; i++) codes.push((await sb.exec(code)).stdout);
    expect(codes.filter((c) => c === '200\n')).toHaveLength(10);
    expect(codes.slice(10)).toEqual(['429\n', '429\n']);
  });
});

describe('istio.io task: Authorization with JWT (RequestAuthentication)', () => {
  it('401 for an invalid token, 403 without one once requestPrincipals is required, 200 with demo.jwt; claims[groups]', { timeout: 60_000 }, async () => {
    const sb = new Sandbox({ samples, seed: 7 });
    await steps(sb, `kubectl create ns foo\nkubectl label namespace foo istio-injection=enabled\nkubectl apply -f samples/httpbin/httpbin.yaml -n foo\nkubectl apply -f samples/curl/curl.yaml -n foo`);
    await sb.cluster.advance(30_000);
    const code = (extra: string): string => `kubectl exec "$(kubectl get pod -l app=curl -n foo -o jsonpath={.items..metadata.name})" -c curl -n foo -- curl "http://httpbin.foo:8000/headers" -sS -o /dev/null ${extra} -w "%{http_code}\\n"`;
    expect((await run(sb, code(''))).stdout).toBe('200\n');
    await run(
      sb,
      `kubectl apply -f - <<EOF
apiVersion: security.istio.io/v1
kind: RequestAuthentication
metadata:
  name: "jwt-example"
  namespace: foo
spec:
  selector:
    matchLabels:
      app: httpbin
  jwtRules:
  - issuer: "testing@secure.istio.io"
    jwksUri: "https://raw.githubusercontent.com/istio/istio/release-1.29/security/tools/jwt/samples/jwks.json"
EOF`,
    );
    expect((await run(sb, code('-H "Authorization: Bearer invalidToken"'))).stdout).toBe('401\n');
    const body = await run(sb, `kubectl exec deploy/curl -n foo -c curl -- curl -s -i "http://httpbin.foo:8000/headers" -H "Authorization: Bearer invalidToken"`);
    expect(body.stdout).toMatch(/^HTTP\/1\.1 401 Unauthorized\n/);
    expect(body.stdout).toMatch(/\nwww-authenticate: Bearer realm="http:\/\/httpbin\.foo:8000\/headers", error="invalid_token"\n/);
    expect(body.stdout).toMatch(/\n\nJwt is not in the form of Header\.Payload\.Signature with two dots and 3 sections$/);
    expect((await sb.exec('kubectl logs deploy/httpbin -n foo -c istio-proxy --tail=1')).stdout).toMatch(/" 401 - jwt_authn_access_denied\{Jwt_is_not_in_the_form_of_Header\.Payload\.Signature_with_two_dots_and_3_sections\} /);
    expect((await run(sb, code(''))).stdout).toBe('200\n');
    await run(
      sb,
      `kubectl apply -f - <<EOF
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata:
  name: require-jwt
  namespace: foo
spec:
  selector:
    matchLabels:
      app: httpbin
  action: ALLOW
  rules:
  - from:
    - source:
       requestPrincipals: ["testing@secure.istio.io/testing@secure.istio.io"]
EOF`,
    );
    await steps(sb, 'TOKEN=$(curl https://raw.githubusercontent.com/istio/istio/release-1.29/security/tools/jwt/samples/demo.jwt -s)');
    expect((await run(sb, code('-H "Authorization: Bearer $TOKEN"'))).stdout).toBe('200\n');
    expect((await run(sb, code(''))).stdout).toBe('403\n');
    // the token is verified with the issuer's key: a changed payload fails
    const forged = 'eyJhbGciOiJSUzI1NiIsImtpZCI6IkRIRmJwb0lVcXJZOHQyenBBMnFYZkNtcjVWTzVaRXI0UnpIVV8tZW52dlEiLCJ0eXAiOiJKV1QifQ.eyJleHAiOjQ2ODU5ODk3MDAsImZvbyI6ImJheiIsImlhdCI6MTUzMjM4OTcwMCwiaXNzIjoidGVzdGluZ0BzZWN1cmUuaXN0aW8uaW8iLCJzdWIiOiJ0ZXN0aW5nQHNlY3VyZS5pc3Rpby5pbyJ9';
    expect((await run(sb, `kubectl exec deploy/curl -n foo -c curl -- curl -s "http://httpbin.foo:8000/headers" -H "Authorization: Bearer ${forged}.$(echo $TOKEN | cut -d . -f3)"`)).stdout).toBe('Jwt verification fails');
    // the application does not see the token (forwardOriginalToken: false)
    expect((await run(sb, `kubectl exec deploy/curl -n foo -c curl -- curl -s "http://httpbin.foo:8000/headers" -H "Authorization: Bearer $TOKEN"`)).stdout).not.toMatch(/Authorization/);
    await run(
      sb,
      `kubectl apply -f - <<EOF
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata:
  name: require-jwt
  namespace: foo
spec:
  selector:
    matchLabels:
      app: httpbin
  action: ALLOW
  rules:
  - from:
    - source:
       requestPrincipals: ["testing@secure.istio.io/testing@secure.istio.io"]
    when:
    - key: request.auth.claims[groups]
      values: ["group1"]
EOF`,
    );
    await steps(sb, 'TOKEN_GROUP=$(curl https://raw.githubusercontent.com/istio/istio/release-1.29/security/tools/jwt/samples/groups-scope.jwt -s)');
    expect((await run(sb, code('-H "Authorization: Bearer $TOKEN_GROUP"'))).stdout).toBe('200\n');
    expect((await run(sb, code('-H "Authorization: Bearer $TOKEN"'))).stdout).toBe('403\n');
  });
});

describe('istio.io task: Envoy access logs with the Telemetry API', () => {
  it('mesh-wide envoy provider turns logs on; a workload Telemetry with disabled: true turns its own off; SERVER mode logs inbound only', { timeout: 60_000 }, async () => {
    const sb = new Sandbox({ samples, seed: 8 });
    await steps(sb, `kubectl label namespace default istio-injection=enabled\nkubectl apply -f samples/httpbin/httpbin.yaml\nkubectl apply -f samples/curl/curl.yaml\nkubectl -n istio-system get cm istio -o jsonpath='{.data.mesh}'`);
    await sb.cluster.advance(30_000);
    const call = 'kubectl exec deploy/curl -c curl -- curl -sS -o /dev/null http://httpbin:8000/status/418';
    const lines = async (app: string): Promise<number> => (await sb.exec(`kubectl logs -l app=${app} -c istio-proxy | grep -c 'GET /status/418'`)).stdout.trim() as unknown as number;
    const mesh = (await sb.exec("kubectl -n istio-system get cm istio -o jsonpath='{.data.mesh}'")).stdout;
    await run(sb, call);
    const before = [Number(await lines('curl')), Number(await lines('httpbin'))];
    expect(before).toEqual(mesh.includes('accessLogFile') ? [1, 1] : [0, 0]);
    await run(sb, `kubectl apply -f - <<EOF
apiVersion: telemetry.istio.io/v1
kind: Telemetry
metadata:
  name: mesh-logging-default
  namespace: istio-system
spec:
  accessLogging:
  - providers:
    - name: envoy
EOF`);
    await run(sb, call);
    expect([Number(await lines('curl')), Number(await lines('httpbin'))]).toEqual([before[0] + 1, before[1] + 1]);
    await run(sb, `kubectl apply -f - <<EOF
apiVersion: telemetry.istio.io/v1
kind: Telemetry
metadata:
  name: disable-httpbin-logging
spec:
  selector:
    matchLabels:
      app: httpbin
  accessLogging:
  - providers:
    - name: envoy
    disabled: true
EOF`);
    await run(sb, call);
    expect([Number(await lines('curl')), Number(await lines('httpbin'))]).toEqual([before[0] + 2, before[1] + 1]);
    await run(sb, `kubectl apply -f - <<EOF
apiVersion: telemetry.istio.io/v1
kind: Telemetry
metadata:
  name: mesh-logging-default
  namespace: istio-system
spec:
  accessLogging:
  - providers:
    - name: envoy
    match:
      mode: SERVER
EOF`);
    await run(sb, 'kubectl delete telemetry disable-httpbin-logging');
    await run(sb, call);
    // SERVER mode: inbound lines (httpbin) only
    expect([Number(await lines('curl')), Number(await lines('httpbin'))]).toEqual([before[0] + 2, before[1] + 2]);
  });
});

describe('istio.io task: Telemetry access-log filter with a CEL expression', () => {
  it('filter.expression response.code >= 400 logs the errors only; a workload Telemetry without a filter logs everything again', { timeout: 60_000 }, async () => {
    const sb = new Sandbox({ samples, seed: 8 });
    await steps(sb, `kubectl label namespace default istio-injection=enabled\nkubectl apply -f samples/httpbin/httpbin.yaml\nkubectl apply -f samples/curl/curl.yaml`);
    await sb.cluster.advance(30_000);
    const call = (code: number): string => `kubectl exec deploy/curl -c curl -- curl -sS -o /dev/null http://httpbin:8000/status/${code}`;
    const logged = async (app: string, code: number): Promise<number> => Number((await sb.exec(`kubectl logs -l app=${app} -c istio-proxy | grep -c 'GET /status/${code} '`)).stdout.trim());
    await run(sb, `kubectl apply -f - <<EOF
apiVersion: telemetry.istio.io/v1
kind: Telemetry
metadata:
  name: errors-only
spec:
  accessLogging:
  - providers:
    - name: envoy
    filter:
      expression: response.code >= 400
EOF`);
    for (const code of [200, 404, 503]) await run(sb, call(code));
    expect([await logged('curl', 200), await logged('curl', 404), await logged('curl', 503)]).toEqual([0, 1, 1]);
    expect([await logged('httpbin', 200), await logged('httpbin', 404), await logged('httpbin', 503)]).toEqual([0, 1, 1]);
    // the workload's own Telemetry replaces the namespace's entry, filter included
    await run(sb, `kubectl apply -f - <<EOF
apiVersion: telemetry.istio.io/v1
kind: Telemetry
metadata:
  name: httpbin-all
spec:
  selector:
    matchLabels:
      app: httpbin
  accessLogging:
  - providers:
    - name: envoy
EOF`);
    await run(sb, call(200));
    expect([await logged('curl', 200), await logged('httpbin', 200)]).toEqual([0, 1]);
  });
});

describe('PeerAuthentication portLevelMtls (istio.io mTLS migration and authn-policy tasks)', () => {
  it('STRICT resets a client without sidecar; a workload policy with portLevelMtls DISABLE on 8080 lets it in; mesh clients keep working', { timeout: 60_000 }, async () => {
    const sb = new Sandbox({ samples, seed: 9 });
    await steps(sb, `kubectl create ns foo\nkubectl label namespace foo istio-injection=enabled\nkubectl apply -f samples/httpbin/httpbin.yaml -n foo\nkubectl apply -f samples/curl/curl.yaml -n foo\nkubectl create ns legacy\nkubectl apply -f samples/curl/curl.yaml -n legacy`);
    await sb.cluster.advance(30_000);
    const from = (ns: string): string => `kubectl exec deploy/curl -c curl -n ${ns} -- curl http://httpbin.foo:8000/ip -s -o /dev/null -w "%{http_code}\\n"`;
    await run(sb, `kubectl apply -n foo -f - <<EOF
apiVersion: security.istio.io/v1
kind: PeerAuthentication
metadata:
  name: "default"
spec:
  mtls:
    mode: STRICT
EOF`);
    expect((await run(sb, from('foo'))).stdout).toBe('200\n');
    const legacy = await run(sb, from('legacy'));
    expect([legacy.stdout, legacy.code]).toEqual(['000\n', 56]);
    await run(sb, `kubectl apply -n foo -f - <<EOF
apiVersion: security.istio.io/v1
kind: PeerAuthentication
metadata:
  name: "httpbin"
spec:
  selector:
    matchLabels:
      app: httpbin
  mtls:
    mode: STRICT
  portLevelMtls:
    8080:
      mode: DISABLE
EOF`);
    expect((await run(sb, from('legacy'))).stdout).toBe('200\n');
    expect((await run(sb, from('foo'))).stdout).toBe('200\n');
    // the mesh client now talks plaintext to that port: no SNI on httpbin's inbound line
    expect((await sb.exec('kubectl logs deploy/httpbin -n foo -c istio-proxy --tail=1')).stdout).toMatch(/ 10\.\d+\.\d+\.\d+:\d+ - default\n$/);
  });
});

/**
 * istio.io task "Ingress Gateway without TLS Termination"
 * (content/en/docs/tasks/traffic-management/ingress/ingress-sni-passthrough): nginx terminates TLS with
 * its own certificate; the gateway's PASSTHROUGH server routes the connection by SNI (VirtualService
 * `tls:` with sniHosts) as TCP, so the access logs show TCP lines ("- - -" 0, no HTTP fields).
 */
describe('istio.io task: Ingress Gateway without TLS Termination (PASSTHROUGH)', () => {
  const nginxConf = `cat <<\\EOF > ./nginx.conf
events {
}

http {
  log_format main '$remote_addr - $remote_user [$time_local]  $status '
  '"$request" $body_bytes_sent "$http_referer" '
  '"$http_user_agent" "$http_x_forwarded_for"';
  access_log /var/log/nginx/access.log main;
  error_log  /var/log/nginx/error.log;

  server {
    listen 443 ssl;

    root /usr/share/nginx/html;
    index index.html;

    server_name nginx.example.com;
    ssl_certificate /etc/nginx-server-certs/tls.crt;
    ssl_certificate_key /etc/nginx-server-certs/tls.key;
  }
}
EOF`;
  const nginxApp = `cat <<EOF | kubectl apply -f -
apiVersion: v1
kind: Service
metadata:
  name: my-nginx
  labels:
    run: my-nginx
spec:
  ports:
  - port: 443
    protocol: TCP
  selector:
    run: my-nginx
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: my-nginx
spec:
  selector:
    matchLabels:
      run: my-nginx
  replicas: 1
  template:
    metadata:
      labels:
        run: my-nginx
        sidecar.istio.io/inject: "true"
    spec:
      containers:
      - name: my-nginx
        image: nginx
        ports:
        - containerPort: 443
        volumeMounts:
        - name: nginx-config
          mountPath: /etc/nginx
          readOnly: true
        - name: nginx-server-certs
          mountPath: /etc/nginx-server-certs
          readOnly: true
      volumes:
      - name: nginx-config
        configMap:
          name: nginx-configmap
      - name: nginx-server-certs
        secret:
          secretName: nginx-server-certs
EOF`;
  const passthroughGateway = `kubectl apply -f - <<EOF
apiVersion: networking.istio.io/v1alpha3
kind: Gateway
metadata:
  name: mygateway
spec:
  selector:
    istio: ingressgateway # use istio default ingress gateway
  servers:
  - port:
      number: 443
      name: https
      protocol: HTTPS
    tls:
      mode: PASSTHROUGH
    hosts:
    - nginx.example.com
EOF`;
  const tlsRoute = `kubectl apply -f - <<EOF
apiVersion: networking.istio.io/v1alpha3
kind: VirtualService
metadata:
  name: nginx
spec:
  hosts:
  - nginx.example.com
  gateways:
  - mygateway
  tls:
  - match:
    - port: 443
      sniHosts:
      - nginx.example.com
    route:
    - destination:
        host: my-nginx
        port:
          number: 443
EOF`;

  it('curl --cacert reaches nginx through the gateway: nginx presents its own certificate over HTTP/1.1; TCP lines in both proxies', { timeout: 60_000 }, async () => {
    const sb = new Sandbox({ samples, seed: 17 });
    await steps(
      sb,
      `mkdir example_certs
openssl req -x509 -sha256 -nodes -days 365 -newkey rsa:2048 -subj '/O=example Inc./CN=example.com' -keyout example_certs/example.com.key -out example_certs/example.com.crt
openssl req -out example_certs/nginx.example.com.csr -newkey rsa:2048 -nodes -keyout example_certs/nginx.example.com.key -subj "/CN=nginx.example.com/O=some organization"
openssl x509 -req -sha256 -days 365 -CA example_certs/example.com.crt -CAkey example_certs/example.com.key -set_serial 0 -in example_certs/nginx.example.com.csr -out example_certs/nginx.example.com.crt
kubectl create secret tls nginx-server-certs --key example_certs/nginx.example.com.key --cert example_certs/nginx.example.com.crt`,
    );
    await run(sb, nginxConf);
    expect((await run(sb, 'kubectl create configmap nginx-configmap --from-file=nginx.conf=./nginx.conf')).stdout).toBe('configmap/nginx-configmap created\n');
    expect((await run(sb, nginxApp)).stdout).toBe('service/my-nginx created\ndeployment.apps/my-nginx created\n');
    await sb.cluster.advance(20_000);

    // inside the pod, nginx answers TLS on 443 with its certificate; -k goes on after the failed verification
    const inPod = await run(sb, 'kubectl exec "$(kubectl get pod  -l run=my-nginx -o jsonpath={.items..metadata.name})" -c istio-proxy -- curl -sS -v -k --resolve nginx.example.com:443:127.0.0.1 https://nginx.example.com');
    expect(inPod.stderr).toContain('* ALPN: server accepted http/1.1\n* Server certificate:\n*  subject: CN = nginx.example.com, O = some organization\n');
    expect(inPod.stderr).toContain('*  issuer: O = example Inc., CN = example.com\n*  SSL certificate verify result: unable to get local issuer certificate (20), continuing anyway.\n');
    expect(inPod.stderr).toContain('< HTTP/1.1 200 OK\n');
    expect(inPod.stderr).toContain('< server: nginx/1.27.3\n');
    expect(inPod.stdout).toContain('<title>Welcome to nginx!</title>');

    // before the gateway: nothing listens on the gateway's 443
    await steps(
      sb,
      `export INGRESS_HOST=$(kubectl -n istio-system get service istio-ingressgateway -o jsonpath='{.status.loadBalancer.ingress[0].ip}')
export SECURE_INGRESS_PORT=$(kubectl -n istio-system get service istio-ingressgateway -o jsonpath='{.spec.ports[?(@.name=="https")].port}')`,
    );
    const curl = 'curl -v --resolve "nginx.example.com:$SECURE_INGRESS_PORT:$INGRESS_HOST" --cacert example_certs/example.com.crt "https://nginx.example.com:$SECURE_INGRESS_PORT"';
    expect((await run(sb, curl)).stderr).toMatch(/curl: \(7\) Failed to connect to nginx\.example\.com port 443/);
    expect((await run(sb, passthroughGateway)).stdout).toBe('gateway.networking.istio.io/mygateway created\n');
    // a PASSTHROUGH server no tls route serves builds no chain, so still no listener (gateway.go
    // "must have more than 0 chains in listener")
    expect((await run(sb, curl)).stderr).toMatch(/curl: \(7\) Failed to connect/);
    expect((await run(sb, tlsRoute)).stdout).toBe('virtualservice.networking.istio.io/nginx created\n');

    const r = await run(sb, curl);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('*  subject: CN = nginx.example.com, O = some organization\n');
    expect(r.stderr).toContain('*  common name: nginx.example.com (matched)\n*  issuer: O = example Inc., CN = example.com\n*  SSL certificate verify ok.\n');
    expect(r.stderr).toContain('< HTTP/1.1 200 OK\n');
    expect(r.stderr).toContain('< server: nginx/1.27.3\n');
    expect(r.stdout).toContain('<title>Welcome to nginx!</title>');

    expect((await run(sb, 'istioctl proxy-config listeners deploy/istio-ingressgateway -n istio-system --port 8443')).stdout).toBe(
      'ADDRESSES PORT MATCH                  DESTINATION\n0.0.0.0   8443 SNI: nginx.example.com Cluster: outbound|443||my-nginx.default.svc.cluster.local\n',
    );
    // the gateway proxies TCP: no method, path, protocol or response code; the SNI in %REQUESTED_SERVER_NAME%
    const gw = (await sb.exec('kubectl logs -n istio-system deploy/istio-ingressgateway | tail -1')).stdout;
    expect(gw).toMatch(/^\[[^\]]+\] "- - -" 0 - - - "-" \d+ \d+ \d+ - "-" "-" "-" "-" "10\.244\.\d+\.\d+:443" outbound\|443\|\|my-nginx\.default\.svc\.cluster\.local 10\.244\.\d+\.\d+:\d+ 10\.244\.\d+\.\d+:8443 \S+ nginx\.example\.com -\n$/);
    // nginx's sidecar: TCP inbound (the TLS inside Istio's mTLS is no HTTP), SNI of the mTLS connection
    const side = (await sb.exec('kubectl logs deploy/my-nginx -c istio-proxy | tail -1')).stdout;
    expect(side).toMatch(/^\[[^\]]+\] "- - -" 0 - - - "-" \d+ \d+ \d+ - "-" "-" "-" "-" "10\.244\.\d+\.\d+:443" inbound\|443\|\| 127\.0\.0\.6:\d+ 10\.244\.\d+\.\d+:443 10\.244\.\d+\.\d+:\d+ outbound_\.443_\._\.my-nginx\.default\.svc\.cluster\.local -\n$/);
    // nginx logs the request with the task's log_format, from the sidecar's 127.0.0.6
    const app = (await sb.exec('kubectl logs deploy/my-nginx -c my-nginx | tail -1')).stdout;
    expect(app).toMatch(/^127\.0\.0\.6 - - \[\d\d\/\w{3}\/\d{4}:\d\d:\d\d:\d\d \+0000\]  200 "GET \/ HTTP\/1\.1" 121 "-" "curl\/8\.5\.0" "-"\n$/);

    // an SNI no chain matches: Envoy closes the connection during the handshake
    const other = await run(sb, 'curl -sS --resolve "other.example.com:$SECURE_INGRESS_PORT:$INGRESS_HOST" --cacert example_certs/example.com.crt "https://other.example.com:$SECURE_INGRESS_PORT"');
    expect(other.stderr).toBe('curl: (35) OpenSSL SSL_connect: SSL_ERROR_SYSCALL in connection to other.example.com:443 \n');
    // Istio's listener access log (NR only) records the connection no chain took
    expect((await sb.exec('kubectl logs -n istio-system deploy/istio-ingressgateway | tail -1')).stdout).toMatch(
      /^\[[^\]]+\] "- - -" 0 NR filter_chain_not_found - "-" 0 0 0 - "-" "-" "-" "-" "-" - - 10\.244\.\d+\.\d+:8443 \S+ other\.example\.com -\n$/,
    );
    // plain HTTP to nginx's TLS port: nginx's own 400
    const plain = await run(sb, 'kubectl exec deploy/my-nginx -c istio-proxy -- curl -sS http://localhost:443/');
    expect(plain.stdout).toContain('<center>The plain HTTP request was sent to HTTPS port</center>');
  });
});

describe('Gateway PASSTHROUGH filter chains (gateway.go buildGatewayNetworkFiltersFromTLSRoutes)', () => {
  const gw = `kubectl apply -f - <<EOF
apiVersion: networking.istio.io/v1
kind: Gateway
metadata:
  name: mygateway
spec:
  selector:
    istio: ingressgateway
  servers:
  - port: {number: 443, name: https, protocol: HTTPS}
    tls: {mode: PASSTHROUGH}
    hosts: ["*.example.com"]
EOF`;
  const svc = (name: string): string => `kubectl create service clusterip ${name} --tcp=443:443`;
  const vs = (name: string, match: string, route: string): string => `kubectl apply -f - <<EOF
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: ${name}
spec:
  hosts: ["*.example.com"]
  gateways: [mygateway]
  tls:
  - match:
    - ${match}
    route:
${route}
EOF`;
  const to = (host: string, weight?: number): string => `    - destination: {host: ${host}, port: {number: 443}}${weight === undefined ? '' : `\n      weight: ${weight}`}`;

  it.each([
    ['a match on another port gives no chain (and no listener)', [vs('a', '{port: 8443, sniHosts: [a.example.com]}', to('svc-a'))], ''],
    ['a match for another gateway gives no chain', [vs('a', '{gateways: [other], sniHosts: [a.example.com]}', to('svc-a'))], ''],
    ['one destination: tcp_proxy to its cluster', [vs('a', '{port: 443, sniHosts: [a.example.com]}', to('svc-a'))], 'SNI: a.example.com Cluster: outbound|443||svc-a.default.svc.cluster.local'],
    ['weighted destinations: weighted_clusters (istioctl prints no single cluster)', [vs('a', '{sniHosts: [a.example.com]}', `${to('svc-a', 80)}\n${to('svc-b', 20)}`)], 'SNI: a.example.com Cluster:'],
    [
      'the same SNI in a later VirtualService is skipped (duplicate SNI host names)',
      [vs('a', '{sniHosts: [a.example.com]}', to('svc-a')), vs('b', '{sniHosts: [a.example.com]}', to('svc-b')), vs('c', '{sniHosts: [c.example.com]}', to('svc-b'))],
      // istioctl sorts a listener's rows by destination, descending (configdump/listener.go PrintListenerSummary)
      'SNI: c.example.com Cluster: outbound|443||svc-b.default.svc.cluster.local\nSNI: a.example.com Cluster: outbound|443||svc-a.default.svc.cluster.local',
    ],
  ])('%s', { timeout: 60_000 }, async (_name, routes, want) => {
    const sb = new Sandbox({ seed: 3 });
    await run(sb, svc('svc-a'));
    await run(sb, svc('svc-b'));
    await run(sb, gw);
    for (const r of routes) expect((await run(sb, r)).stderr).toBe('');
    const out = (await sb.exec('istioctl proxy-config listeners deploy/istio-ingressgateway -n istio-system --port 8443')).stdout;
    const rows = out.split('\n').slice(1).filter(Boolean).map((l) => l.replace(/^0\.0\.0\.0\s+8443\s+/, '').replace(/\s+/g, ' ').trim());
    expect(rows.join('\n')).toBe(want);
  });
});
