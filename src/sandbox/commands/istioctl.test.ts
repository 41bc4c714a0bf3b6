import { describe, expect, it } from 'vitest';
import { Sandbox } from '../sandbox';

describe('istioctl', () => {
  it('version and x precheck', async () => {
    const sb = new Sandbox();
    expect((await sb.exec('istioctl version')).stdout).toBe('client version: 1.29.2\ncontrol plane version: 1.29.2\ndata plane version: 1.29.2 (1 proxies)\n');
    expect((await sb.exec('istioctl x precheck')).stdout).toMatch(/^✔ No issues found when checking the cluster/);
  });

  it('proxy-status: one row per proxy sorted by proxy ID, the istiod pod named, columns padded by 5 as its tabwriter does', async () => {
    const sb = new Sandbox();
    await sb.exec('kubectl create ns demo && kubectl label ns demo istio-injection=enabled && kubectl create deployment zeta --image=nginx -n demo');
    await sb.cluster.advance(30_000);
    const lines = (await sb.exec('istioctl proxy-status')).stdout.trimEnd().split('\n');
    const istiod = (await sb.exec('kubectl get pods -n istio-system -l app=istiod -o name')).stdout.trim().replace('pod/', '');
    expect(lines[0]).toMatch(/^NAME {5,}CLUSTER {5,}CDS {5,}LDS {5,}EDS {5,}RDS {5,}ECDS {5,}ISTIOD {5,}VERSION$/);
    expect(lines.slice(1).map((l) => l.split(/ +/)[0].split('.')[1])).toEqual(['istio-system', 'demo']);
    expect(lines.slice(1).map((l) => l.split(/ +/)[0])).toEqual([...lines.slice(1).map((l) => l.split(/ +/)[0])].sort());
    for (const line of lines.slice(1)) expect(line).toMatch(new RegExp(`IGNORED {5}${istiod} {5}1\\.29\\.2$`));
    expect(lines[1].indexOf('VERSION') < 0 && lines[0].indexOf('VERSION')).toBe(lines[1].indexOf('1.29.2'));
  });

  it('install adds the egress gateway and prints the familiar lines; settings not repeated reset', async () => {
    const sb = new Sandbox();
    const r = await sb.exec('istioctl install -y --set "components.egressGateways[0].name=istio-egressgateway" --set "components.egressGateways[0].enabled=true"');
    expect(r.stdout).toMatch(/✔ Istio core installed ⛵️\n✔ Istiod installed 🧠\n✔ Egress gateways installed 🛫\n✔ Ingress gateways installed 🛬\n✔ Installation complete\n$/);
    expect((await sb.exec('kubectl get svc istio-egressgateway -n istio-system -o name')).stdout).toBe('service/istio-egressgateway\n');
    // accessLogFile was not repeated: back to the profile default (off)
    // (the default profile renders no accessLogFile key at all, so grep finds nothing)
    expect((await sb.exec("kubectl get cm istio -n istio-system -o jsonpath='{.data.mesh}' | grep accessLogFile")).stdout).toBe('');
    const bad = await sb.exec('istioctl install -y --set meshConfig.outboundTrafficPolicy.mode=SOMETIMES');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/^Error: /);
    const no = await sb.exec('istioctl install');
    expect(no.stdout).toMatch(/Proceed\? \(y\/N\) Cancelled\.\n$/);
  });

  it('analyze reports missing hosts and gateways with exit code 79', async () => {
    const { sandboxValidation } = await import('../../validation/sandbox');
    const sb = new Sandbox({ ...sandboxValidation });
    await sb.exec('kubectl create ns demo && kubectl label ns demo istio-injection=enabled');
    expect((await sb.exec('istioctl analyze -n demo')).stderr).toBe('✔ No validation issues found when analyzing namespace: demo.\n');
    await sb.exec("kubectl apply -f - <<'EOF'\napiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: {name: bad, namespace: demo}\nspec:\n  hosts: [nothere]\n  gateways: [no-gw]\n  http: [{route: [{destination: {host: nothere}}]}]\nEOF");
    const r = await sb.exec('istioctl analyze -n demo');
    expect(r.code).toBe(79);
    expect(r.stdout).toBe('Error [IST0101] (VirtualService bad.demo) Referenced gateway not found: "no-gw"\nError [IST0101] (VirtualService bad.demo) Referenced host not found: "nothere"\n');
  });

  it('an EnvoyFilter patch the sandbox does not execute is named in a sandbox note on apply and after analyze', async () => {
    const { sandboxValidation } = await import('../../validation/sandbox');
    const sb = new Sandbox({ ...sandboxValidation });
    await sb.exec('kubectl create ns demo && kubectl create ns other');
    const lua = (ns: string) =>
      `kubectl apply -f - <<'EOF'\napiVersion: networking.istio.io/v1alpha3\nkind: EnvoyFilter\nmetadata: {name: lua, namespace: ${ns}}\nspec:\n  priority: 1\n  configPatches:\n  - applyTo: HTTP_FILTER\n    match: {context: SIDECAR_INBOUND}\n    patch:\n      operation: INSERT_FIRST\n      value: {name: envoy.filters.http.lua}\nEOF`;
    const note = (ns: string) => `(песочница: EnvoyFilter ${ns}/lua: патч 0 (HTTP_FILTER: INSERT_FIRST envoy.filters.http.lua) сохранён, но не выполняется: Envoy песочницы выполняет только локальное ограничение частоты запросов (envoy.filters.http.local_ratelimit))\n`;
    const applied = await sb.exec(lua('demo'));
    expect(applied.stdout).toBe('envoyfilter.networking.istio.io/lua created\n');
    // istiod's webhook answers every EnvoyFilter with its standing warning, then the sandbox's note
    const warning = 'Warning: EnvoyFilter exposes internal implementation details that may change at any time. Prefer other APIs if possible, and exercise extreme caution, especially around upgrades.\n';
    expect(applied.stderr).toBe(warning + note('demo'));
    await sb.exec(lua('other'));
    // the analysis itself is istioctl's; the note for the analyzed namespace follows it
    expect((await sb.exec('istioctl analyze -n demo')).stderr).toBe(`✔ No validation issues found when analyzing namespace: demo.\n${note('demo')}`);
    expect((await sb.exec('istioctl analyze -A')).stderr).toBe(`✔ No validation issues found when analyzing all namespaces.\n${note('demo')}${note('other')}`);
    // a local rate limit runs, so nothing is said about it
    const rl = await sb.exec(`kubectl apply -f - <<'EOF'\napiVersion: networking.istio.io/v1alpha3\nkind: EnvoyFilter\nmetadata: {name: rl, namespace: demo}\nspec:\n  configPatches:\n  - applyTo: HTTP_FILTER\n    match: {context: SIDECAR_INBOUND}\n    patch:\n      operation: INSERT_BEFORE\n      value:\n        name: envoy.filters.http.local_ratelimit\n        typed_config:\n          "@type": type.googleapis.com/udpa.type.v1.TypedStruct\n          type_url: type.googleapis.com/envoy.extensions.filters.http.local_ratelimit.v3.LocalRateLimit\n          value: {stat_prefix: http_local_rate_limiter}\nEOF`);
    expect(rl.stderr).toBe(warning);
  });

  it('analyze reads the files and directories it is given, with the course’s validation engine', async () => {
    const { sandboxValidation } = await import('../../validation/sandbox');
    const examples = { 'ingress-service-a/namespace.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata: {name: demo}\n' };
    const sb = new Sandbox({ ...sandboxValidation, examples });
    await sb.exec('kubectl create ns demo && kubectl label ns demo istio-injection=enabled');
    await sb.exec("cat > vs.yaml <<'EOF'\napiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: {name: bad, namespace: demo}\nspec:\n  hosts: [nothere]\n  gateways: [no-gw]\n  http: [{route: [{destination: {host: nothere}}]}]\nEOF");
    const r = await sb.exec('istioctl analyze -n demo vs.yaml');
    expect(r.code).toBe(79);
    expect(r.stdout).toBe('Error [IST0101] (VirtualService bad.demo vs.yaml:6) Referenced gateway not found: "no-gw"\nError [IST0101] (VirtualService bad.demo vs.yaml:7) Referenced host not found: "nothere"\n');
    expect((await sb.exec('istioctl analyze -n demo examples/ingress-service-a/')).stderr).toBe('✔ No validation issues found when analyzing namespace: demo.\n');
    const missing = await sb.exec('istioctl analyze -n demo nothere.yaml');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toBe('Error: open nothere.yaml: no such file or directory\n');
  });

  it('analyze without the analyzers says so', async () => {
    const r = await new Sandbox().exec('istioctl analyze -n demo');
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('Error: the analyzers are not loaded in this sandbox (it was started without validation)\n');
  });

  it('proxy-config shows what istiod computed', async () => {
    const sb = new Sandbox();
    const pod = (await sb.exec("kubectl get pods -n istio-system -l app=istio-ingressgateway -o jsonpath='{.items[0].metadata.name}'")).stdout;
    const clusters = (await sb.exec(`istioctl proxy-config clusters ${pod}.istio-system`)).stdout;
    expect(clusters.split('\n')[0]).toMatch(/^SERVICE FQDN\s+PORT\s+SUBSET\s+DIRECTION\s+TYPE\s+DESTINATION RULE$/);
    expect(clusters).toMatch(/istiod\.istio-system\.svc\.cluster\.local\s+15010\s+-\s+outbound\s+EDS/);
    expect((await sb.exec(`istioctl proxy-config listeners ${pod} -n istio-system`)).stdout).not.toMatch(/8080/);
  });
});

describe('istioctl x describe pod', () => {
  it('prints a several-port service per port, the DestinationRule TLS mode, port-level mTLS and the applied policies, as istioctl 1.29 does', async () => {
    const { readExamples } = await import('../testing');
    const sb = new Sandbox({ examples: readExamples() });
    await sb.exec('kubectl apply -f ~/examples/mtls/namespaces.yaml');
    await sb.exec('kubectl apply -f ~/examples/mtls/ledger.yaml -f ~/examples/mtls/peer-authentication-strict.yaml -f ~/examples/mtls/peer-authentication-ledger.yaml -f ~/examples/mtls/destination-rule-disable.yaml');
    await sb.exec('kubectl rollout status deployment/ledger -n bank');
    const pod = (await sb.exec("kubectl get pod -n bank -l app=ledger -o jsonpath='{.items[0].metadata.name}'")).stdout;
    expect((await sb.exec(`istioctl x describe pod ${pod} -n bank`)).stdout).toBe(
      `Pod: ${pod}\n   Pod Revision: default\n   Pod Ports: 9090 (ledger), 9102 (metrics)\n--------------------\n` +
        'Service: ledger\n   Port: http 9090/HTTP targets pod port 9090\n   Port: http-metrics 9102/HTTP targets pod port 9102\n' +
        '9090:\n   DestinationRule: ledger for "ledger.bank.svc.cluster.local"\n      Traffic Policy TLS Mode: DISABLE\n' +
        '9102:\n   DestinationRule: ledger for "ledger.bank.svc.cluster.local"\n      Traffic Policy TLS Mode: DISABLE\n--------------------\n' +
        'Effective PeerAuthentication:\n   Workload mTLS mode: STRICT\n   Port Level mTLS mode:\n      9102: PERMISSIVE\nApplied PeerAuthentication:\n   default.bank, ledger.bank\n',
    );
  });
});

describe('istioctl root flags, validate, proxy-config filters', () => {
  it('takes -c, --context, -n and -i before or after the subcommand', async () => {
    const sb = new Sandbox();
    expect((await sb.exec('istioctl -c ~/.kube/config install -y')).code).toBe(0);
    expect((await sb.exec('istioctl -c /nowhere version')).stderr).toBe('Error: stat /nowhere: no such file or directory\n');
    expect((await sb.exec('istioctl --context other version')).stderr).toBe('Error: context was not found for specified context: other\n');
    const a = await sb.exec('istioctl -n istio-system -i istio-system proxy-config clusters deploy/istio-ingressgateway --fqdn istiod --port 15012');
    const b = await sb.exec('istioctl proxy-config clusters deploy/istio-ingressgateway --fqdn istiod --port 15012 -n istio-system');
    expect(a.stdout).toBe(b.stdout);
    expect(a.stdout.trim().split('\n').slice(1)).toEqual([expect.stringMatching(/^istiod\.istio-system\.svc\.cluster\.local\s+15012\s+-\s+outbound\s+EDS/)]);
  });

  it('validate -f says which files are valid, on stderr as istioctl does', async () => {
    const sb = new Sandbox({ examples: { 'vs.yaml': 'apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata:\n  name: r\nspec:\n  hosts: [reviews]\n  http:\n  - route:\n    - destination: {host: reviews}\n' } });
    const r = await sb.exec('istioctl validate -f examples/vs.yaml');
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('"examples/vs.yaml" is valid\n');
    expect((await sb.exec('istioctl validate -f examples/none.yaml')).stderr).toBe('Error: 1 error occurred:\n\t* cannot read file "examples/none.yaml": open examples/none.yaml: no such file or directory\n\n');
  });
});
