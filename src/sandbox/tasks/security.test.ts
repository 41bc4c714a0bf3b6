/**
 * istio.io's security tasks, run from their published commands against ~/samples, asserting what
 * istio.io shows: Authorization > HTTP Traffic (content/en/docs/tasks/security/authorization/authz-http,
 * commands from its snips.sh, checks from its test.sh) and Authentication > Mutual TLS Migration
 * (content/en/docs/tasks/security/authentication/mtls-migration, its index.md and test.sh) and
 * Authorization > TCP Traffic (content/en/docs/tasks/security/authorization/authz-tcp, with tcp-echo).
 */
import { describe, expect, it, vi } from 'vitest';
import { Sandbox } from '../sandbox';
import { readExamples, SAMPLES_DIR, steps } from '../testing';

const samples = readExamples(SAMPLES_DIR);
// Bookinfo plus a few dozen requests: seconds on a loaded machine
vi.setConfig({ testTimeout: 60_000 });

/** `kubectl apply [-n NS] -f - <<EOF` with the manifest as the task prints it; a couple of seconds pass after. */
async function apply(sb: Sandbox, manifest: string, namespace?: string): Promise<string> {
  const r = await sb.exec(`kubectl apply ${namespace ? `-n ${namespace} ` : ''}-f - <<EOF\n${manifest.trim()}\nEOF`);
  await sb.cluster.advance(2000);
  return r.stdout + r.stderr;
}

describe('istio.io Authorization: HTTP Traffic', () => {
  // test.sh's verify(): the curl pod asks the ingress gateway for the product page
  const verify = `kubectl exec "$(kubectl get pod -l app=curl -n default -o 'jsonpath={.items..metadata.name}')" -c curl -n "default" -- curl "http://istio-ingressgateway.istio-system/productpage" -X "GET" -sS -w "\\n%{http_code}\\n"`;

  it('allow-nothing denies the product page; viewers for productpage, details, reviews and ratings open it step by step', async () => {
    const sb = new Sandbox({ samples, seed: 13 });
    // test.sh: the curl client, startup_bookinfo_sample (tests/util/samples.sh), reviews v3 so ratings are called
    await steps(
      sb,
      `kubectl label namespace default istio-injection=enabled --overwrite
kubectl apply -f samples/curl/curl.yaml
kubectl apply -f samples/bookinfo/platform/kube/bookinfo.yaml
kubectl apply -f samples/bookinfo/networking/bookinfo-gateway.yaml
kubectl apply -f samples/bookinfo/networking/destination-rule-all.yaml
kubectl apply -f samples/bookinfo/networking/virtual-service-reviews-v3.yaml`,
    );
    await sb.exec('sleep 20');
    // the "browser" checks go through $GATEWAY_URL as the Bookinfo page exports it
    await sb.exec(`export INGRESS_HOST=$(kubectl -n istio-system get service istio-ingressgateway -o jsonpath='{.status.loadBalancer.ingress[0].ip}')`);
    await sb.exec(`export INGRESS_PORT=$(kubectl -n istio-system get service istio-ingressgateway -o jsonpath='{.spec.ports[?(@.name=="http2")].port}')`);
    await sb.exec('export GATEWAY_URL=$INGRESS_HOST:$INGRESS_PORT');
    const page = async (): Promise<string> => (await sb.exec('curl -s "http://$GATEWAY_URL/productpage"')).stdout;
    expect(await page()).toContain('<font color="red">');

    // 1. allow-nothing: "You should see "RBAC: access denied""
    expect(
      await apply(
        sb,
        `
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata:
  name: allow-nothing
  namespace: default
spec:
  {}`,
      ),
    ).toBe('authorizationpolicy.security.istio.io/allow-nothing created\n');
    expect((await sb.exec(verify)).stdout).toBe('RBAC: access denied\n403\n');
    expect(await page()).toBe('RBAC: access denied');

    // 2. productpage-viewer: the page, but "Error fetching product details" and "... reviews"
    await apply(
      sb,
      `
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata:
  name: "productpage-viewer"
  namespace: default
spec:
  selector:
    matchLabels:
      app: productpage
  action: ALLOW
  rules:
  - to:
    - operation:
        methods: ["GET"]`,
    );
    let r = (await sb.exec(verify)).stdout;
    expect(r).toMatch(/\n200\n$/);
    for (const text of ['William Shakespeare', 'Error fetching product details', 'Error fetching product reviews']) expect(r).toContain(text);
    // GET only: other methods are still denied
    expect((await sb.exec(verify.replace('-X "GET"', '-X "POST"'))).stdout).toBe('RBAC: access denied\n403\n');

    // 3-4. details-viewer and reviews-viewer for productpage's principal: details and reviews, but no ratings
    await apply(
      sb,
      `
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata:
  name: "details-viewer"
  namespace: default
spec:
  selector:
    matchLabels:
      app: details
  action: ALLOW
  rules:
  - from:
    - source:
        principals: ["cluster.local/ns/default/sa/bookinfo-productpage"]
    to:
    - operation:
        methods: ["GET"]`,
    );
    await apply(
      sb,
      `
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata:
  name: "reviews-viewer"
  namespace: default
spec:
  selector:
    matchLabels:
      app: reviews
  action: ALLOW
  rules:
  - from:
    - source:
        principals: ["cluster.local/ns/default/sa/bookinfo-productpage"]
    to:
    - operation:
        methods: ["GET"]`,
    );
    r = (await sb.exec(verify)).stdout;
    expect(r).toMatch(/\n200\n$/);
    for (const text of ['William Shakespeare', 'PublisherA', 'Ratings service is currently unavailable']) expect(r).toContain(text);
    expect(r).not.toContain('Error fetching');
    // the principal is productpage's: another workload of the mesh is still denied by reviews and details
    const direct = await sb.exec('kubectl exec deploy/curl -c curl -- curl -sS -w "\\n%{http_code}\\n" http://reviews:9080/reviews/0');
    expect(direct.stdout).toBe('RBAC: access denied\n403\n');

    // 5. ratings-viewer for reviews' principal: the stars come back
    await apply(
      sb,
      `
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata:
  name: "ratings-viewer"
  namespace: default
spec:
  selector:
    matchLabels:
      app: ratings
  action: ALLOW
  rules:
  - from:
    - source:
        principals: ["cluster.local/ns/default/sa/bookinfo-reviews"]
    to:
    - operation:
        methods: ["GET"]`,
    );
    r = (await sb.exec(verify)).stdout;
    expect(r).toMatch(/\n200\n$/);
    for (const text of ['William Shakespeare', 'Book Details', 'Book Reviews', 'glyphicon glyphicon-star']) expect(r).toContain(text);
    expect(r).not.toContain('Ratings service is currently unavailable');
    expect(await page()).toContain('<font color="red">');

    // clean up (snip_clean_up_1): every policy deleted, the page as before
    const cleanup = await steps(
      sb,
      `kubectl delete authorizationpolicy.security.istio.io/allow-nothing
kubectl delete authorizationpolicy.security.istio.io/productpage-viewer
kubectl delete authorizationpolicy.security.istio.io/details-viewer
kubectl delete authorizationpolicy.security.istio.io/reviews-viewer
kubectl delete authorizationpolicy.security.istio.io/ratings-viewer`,
    );
    for (const n of ['allow-nothing', 'productpage-viewer', 'details-viewer', 'reviews-viewer', 'ratings-viewer']) expect(cleanup).toContain(`authorizationpolicy.security.istio.io "${n}" deleted`);
    expect((await sb.exec('kubectl exec deploy/curl -c curl -- curl -s -o /dev/null -w "%{http_code}" http://reviews:9080/reviews/0')).stdout).toBe('200');
  });
});

describe('istio.io Mutual TLS Migration', () => {
  // the task's one-liner: every curl pod to httpbin.foo and httpbin.bar
  const loop = `for from in "foo" "bar" "legacy"; do for to in "foo" "bar"; do kubectl exec "$(kubectl get pod -l app=curl -n \${from} -o jsonpath={.items..metadata.name})" -c curl -n \${from} -- curl http://httpbin.\${to}:8000/ip -s -o /dev/null -w "curl.\${from} to httpbin.\${to}: %{http_code}\\n"; done; done`;

  /**
   * The loop's lines as the terminal shows them, kubectl's "command terminated" line (stderr) right after
   * the exec's own output: the loop as published, with 2>&1 so the two streams keep that order here.
   */
  async function reach(sb: Sandbox): Promise<string> {
    const r = await sb.exec(`${loop} 2>&1`);
    return r.stdout;
  }

  it('PERMISSIVE lets the legacy client in; STRICT in foo, then mesh-wide, resets it (000, exit code 56)', async () => {
    const sb = new Sandbox({ samples, seed: 17 });
    // Set up the cluster: httpbin and curl with sidecars by kube-inject in foo and bar, curl without one in legacy
    const setup = await steps(
      sb,
      `kubectl create ns foo
kubectl apply -f <(istioctl kube-inject -f samples/httpbin/httpbin.yaml) -n foo
kubectl apply -f <(istioctl kube-inject -f samples/curl/curl.yaml) -n foo
kubectl create ns bar
kubectl apply -f <(istioctl kube-inject -f samples/httpbin/httpbin.yaml) -n bar
kubectl apply -f <(istioctl kube-inject -f samples/curl/curl.yaml) -n bar
kubectl create ns legacy
kubectl apply -f samples/curl/curl.yaml -n legacy`,
    );
    expect(setup).not.toMatch(/error|Error/);
    await sb.exec('sleep 30');
    const pods = (await sb.exec('kubectl get pods -n foo')).stdout + (await sb.exec('kubectl get pods -n legacy')).stdout;
    expect(pods).toMatch(/\nhttpbin-[a-z0-9]+-[a-z0-9]{5} +2\/2 +Running /);
    expect(pods).toMatch(/\ncurl-[a-z0-9]+-[a-z0-9]{5} +1\/1 +Running /);
    expect(await reach(sb)).toBe(
      'curl.foo to httpbin.foo: 200\ncurl.foo to httpbin.bar: 200\ncurl.bar to httpbin.foo: 200\ncurl.bar to httpbin.bar: 200\ncurl.legacy to httpbin.foo: 200\ncurl.legacy to httpbin.bar: 200\n',
    );
    const pa = await sb.exec('kubectl get peerauthentication --all-namespaces');
    expect(pa.stderr).toBe('No resources found\n');
    expect((await sb.exec('kubectl get destinationrule --all-namespaces')).stderr).toBe('No resources found\n');

    // Lock down to mutual TLS by namespace
    expect(
      await apply(
        sb,
        `apiVersion: security.istio.io/v1
kind: PeerAuthentication
metadata:
  name: default
spec:
  mtls:
    mode: STRICT`,
        'foo',
      ),
    ).toBe('peerauthentication.security.istio.io/default created\n');
    expect(await reach(sb)).toBe(
      'curl.foo to httpbin.foo: 200\ncurl.foo to httpbin.bar: 200\ncurl.bar to httpbin.foo: 200\ncurl.bar to httpbin.bar: 200\ncurl.legacy to httpbin.foo: 000\ncommand terminated with exit code 56\ncurl.legacy to httpbin.bar: 200\n',
    );

    // "If you installed Istio with values.global.proxy.privileged=true, you can use tcpdump": on this install
    // (the default) the sidecar may not escalate privileges, so sudo refuses as it does on a real cluster
    expect(await sb.exec(`kubectl exec -nfoo "$(kubectl get pod -nfoo -lapp=httpbin -ojsonpath={.items..metadata.name})" -c istio-proxy -- sudo tcpdump dst port 80  -A`)).toEqual({
      code: 1,
      stdout: '',
      stderr:
        'sudo: The "no new privileges" flag is set, which prevents sudo from running as root.\nsudo: If sudo is running in a container, you may need to adjust the container configuration to disable the flag.\ncommand terminated with exit code 1\n',
    });

    // Lock down mutual TLS for the entire mesh (test.sh's expected output)
    expect(
      await apply(
        sb,
        `apiVersion: security.istio.io/v1
kind: PeerAuthentication
metadata:
  name: default
spec:
  mtls:
    mode: STRICT`,
        'istio-system',
      ),
    ).toBe('peerauthentication.security.istio.io/default created\n');
    expect(await reach(sb)).toBe(
      'curl.foo to httpbin.foo: 200\ncurl.foo to httpbin.bar: 200\ncurl.bar to httpbin.foo: 200\ncurl.bar to httpbin.bar: 200\ncurl.legacy to httpbin.foo: 000\ncommand terminated with exit code 56\ncurl.legacy to httpbin.bar: 000\ncommand terminated with exit code 56\n',
    );

    // Clean up the example
    const cleanup = await steps(sb, ['kubectl delete peerauthentication -n foo default', 'kubectl delete peerauthentication -n istio-system default']);
    expect(cleanup).toContain('peerauthentication.security.istio.io "default" deleted');
    expect(await reach(sb)).toContain('curl.legacy to httpbin.bar: 200\n');
  });
});

describe('istio.io Authorization: TCP Traffic', () => {
  const CURL_POD = '"$(kubectl get pod -l app=curl -n foo -o jsonpath={.items..metadata.name})"';
  const probe = (port: 9000 | 9001): string => `kubectl exec ${CURL_POD} -c curl -n foo -- sh -c 'echo "port ${port}" | nc tcp-echo ${port}' | grep "hello" && echo 'connection succeeded' || echo 'connection rejected'`;
  const probe9002 = `kubectl exec ${CURL_POD} -c curl -n foo -- sh -c "echo \\"port 9002\\" | nc $TCP_ECHO_IP 9002" | grep "hello" && echo 'connection succeeded' || echo 'connection rejected'`;
  const policy = (action: 'ALLOW' | 'DENY', operation: string): string => `apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata:
  name: tcp-policy
  namespace: foo
spec:
  selector:
    matchLabels:
      app: tcp-echo
  action: ${action}
  rules:
  - to:
    - operation:
${operation}`;

  it('ports-only ALLOW admits 9000/9001 and not 9002; HTTP-only fields make ALLOW match nothing and DENY match more', async () => {
    const sb = new Sandbox({ samples, seed: 19 });
    await steps(
      sb,
      `kubectl create ns foo
kubectl apply -f <(istioctl kube-inject -f samples/tcp-echo/tcp-echo.yaml) -n foo
kubectl apply -f <(istioctl kube-inject -f samples/curl/curl.yaml) -n foo`,
    );
    await sb.exec('sleep 30');
    const run = async (cmd: string): Promise<string> => (await sb.exec(cmd)).stdout;
    expect(await run(probe(9000))).toBe('hello port 9000\nconnection succeeded\n');
    expect(await run(probe(9001))).toBe('hello port 9001\nconnection succeeded\n');
    await sb.exec(`TCP_ECHO_IP=$(kubectl get pod "$(kubectl get pod -l app=tcp-echo -n foo -o jsonpath={.items..metadata.name})" -n foo -o jsonpath="{.status.podIP}")`);
    expect(await run(probe9002)).toBe('hello port 9002\nconnection succeeded\n');

    // ALLOW for ports 9000 and 9001
    expect(await apply(sb, policy('ALLOW', '        ports: ["9000", "9001"]'))).toBe('authorizationpolicy.security.istio.io/tcp-policy created\n');
    expect(await run(probe(9000))).toBe('hello port 9000\nconnection succeeded\n');
    expect(await run(probe(9001))).toBe('hello port 9001\nconnection succeeded\n');
    expect(await run(probe9002)).toBe('connection rejected\n');

    // ALLOW with an HTTP-only field (methods): the rule is ignored for TCP, so nothing is allowed
    expect(await apply(sb, policy('ALLOW', '        methods: ["GET"]\n        ports: ["9000"]'))).toBe('authorizationpolicy.security.istio.io/tcp-policy configured\n');
    expect(await run(probe(9000))).toBe('connection rejected\n');
    expect(await run(probe(9001))).toBe('connection rejected\n');

    // DENY with methods only: the HTTP-only field is dropped, so every connection is denied
    await apply(sb, policy('DENY', '        methods: ["GET"]'));
    expect(await run(probe(9000))).toBe('connection rejected\n');
    expect(await run(probe(9001))).toBe('connection rejected\n');

    // DENY with methods and port 9000: only 9000 is denied
    await apply(sb, policy('DENY', '        methods: ["GET"]\n        ports: ["9000"]'));
    expect(await run(probe(9000))).toBe('connection rejected\n');
    expect(await run(probe(9001))).toBe('hello port 9001\nconnection succeeded\n');
    // the tcp-echo sidecar's access log names the matched policy for the denied connection
    expect((await sb.exec('kubectl logs deploy/tcp-echo -c istio-proxy -n foo | grep rbac_access_denied | tail -1')).stdout).toMatch(/"- - -" 0 - - rbac_access_denied_matched_policy\[ns\[foo\]-policy\[tcp-policy\]-rule\[0\]\] /);

    expect((await sb.exec('kubectl delete namespace foo')).stdout).toBe('namespace "foo" deleted\n');
  });
});
