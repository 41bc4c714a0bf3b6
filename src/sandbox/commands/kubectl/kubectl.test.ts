import { describe, expect, it } from 'vitest';
import { Sandbox } from '../../sandbox';

const NS = `apiVersion: v1
kind: Namespace
metadata:
  name: demo
  labels:
    istio-injection: enabled
`;
const DEP = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: demo
spec:
  replicas: 1
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
        version: v1
    spec:
      containers:
        - name: web
          image: nicholasjackson/fake-service:v0.26.2
          ports:
            - name: http
              containerPort: 9090
          env:
            - name: NAME
              value: web
`;
const SVC = `apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: demo
spec:
  selector:
    app: web
  ports:
    - name: http
      port: 80
      targetPort: 9090
`;

function sandbox(): Sandbox {
  return new Sandbox({ examples: { 'app/namespace.yaml': NS, 'app/web.yaml': DEP, 'app/svc.yaml': SVC, 'bad/unknown.yaml': 'apiVersion: bar/v1\nkind: Foo\nmetadata:\n  name: x\n' } });
}

describe('kubectl apply', () => {
  it('prints created, then unchanged, then configured', async () => {
    const sb = sandbox();
    expect((await sb.exec('kubectl apply -f examples/app/namespace.yaml')).stdout).toBe('namespace/demo created\n');
    expect((await sb.exec('kubectl apply -f examples/app/')).stdout).toBe('namespace/demo unchanged\nservice/web created\ndeployment.apps/web created\n');
    expect((await sb.exec('kubectl apply -f examples/app/')).stdout).toBe('namespace/demo unchanged\nservice/web unchanged\ndeployment.apps/web unchanged\n');
    const r2 = await sb.exec('kubectl apply -f - <<EOF\n' + DEP.replace('replicas: 1', 'replicas: 2') + 'EOF');
    expect(r2.stdout).toBe('deployment.apps/web configured\n');
  });

  it('prints a warning the apiserver repeats for several objects once per invocation, as kubectl deduplicates', async () => {
    const ef = (name: string): string => `apiVersion: networking.istio.io/v1alpha3\nkind: EnvoyFilter\nmetadata:\n  name: ${name}\n  namespace: default\nspec:\n  workloadSelector:\n    labels: {app: x}\n`;
    const r = await sandbox().exec(`kubectl apply -f - <<EOF\n${ef('a')}---\n${ef('b')}EOF`);
    expect(r.stdout).toBe('envoyfilter.networking.istio.io/a created\nenvoyfilter.networking.istio.io/b created\n');
    expect(r.stderr).toBe('Warning: EnvoyFilter exposes internal implementation details that may change at any time. Prefer other APIs if possible, and exercise extreme caution, especially around upgrades.\n');
  });

  it('rejects an unknown kind with the resource-mapping error', async () => {
    const r = await sandbox().exec('kubectl apply -f examples/bad/unknown.yaml');
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('error: resource mapping not found for name: "x" namespace: "" from "examples/bad/unknown.yaml": no matches for kind "Foo" in version "bar/v1"\nensure CRDs are installed first\n');
  });

  it('reports a missing namespace as the apiserver does', async () => {
    const r = await sandbox().exec('kubectl apply -f examples/app/web.yaml');
    expect(r.stderr).toBe('Error from server (NotFound): error when creating "examples/app/web.yaml": namespaces "demo" not found\n');
  });

  it('reports invalid objects and YAML errors', async () => {
    const sb = sandbox();
    await sb.exec('kubectl apply -f examples/app/namespace.yaml');
    const bad = DEP.replace('        app: web\n        version', '        app: other\n        version');
    const r = await sb.exec(`kubectl apply -f - <<'EOF'\n${bad}EOF`);
    expect(r.stderr).toMatch(/^The Deployment "web" is invalid: spec\.template\.metadata\.labels: Invalid value: .*`selector` does not match template `labels`\n$/);
    const y = await sb.exec("kubectl apply -f - <<'EOF'\nkind: Service\n  metadata: x\nEOF");
    expect(y.stderr).toMatch(/^error: error parsing STDIN: error converting YAML to JSON: yaml: line \d+:/);
    const k = await sb.exec("kubectl apply -f - <<'EOF'\napiVersion: v1\nmetadata:\n  name: x\nEOF");
    expect(k.stderr).toBe('error: error validating "STDIN": error validating data: kind not set; if you choose to ignore these errors, turn validation off with --validate=false\n');
  });

  it('keeps the manifest, the last-applied annotation and the stored object apart (no shared values between applies)', async () => {
    const sb = sandbox();
    const cm = (data: string): string => `kubectl apply -f - <<'EOF'\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  annotations:\n    note: one\n${data}EOF`;
    const lastApplied = async (): Promise<string> => (await sb.exec(`kubectl get cm c -o json | jq -r '.metadata.annotations["kubectl.kubernetes.io/last-applied-configuration"]'`)).stdout;
    expect((await sb.exec(cm('data:\n  a: "1"\n  b: "2"\n'))).stdout).toBe('configmap/c created\n');
    expect(await lastApplied()).toBe('{"apiVersion":"v1","data":{"a":"1","b":"2"},"kind":"ConfigMap","metadata":{"annotations":{"note":"one"},"name":"c","namespace":"default"}}\n\n'); // the annotation ends in a newline, jq -r adds one
    // a server-side dry run changes nothing stored
    expect((await sb.exec(cm('data:\n  a: "9"\n').replace('kubectl apply', 'kubectl apply --dry-run=server'))).stdout).toBe('configmap/c configured (server dry run)\n');
    expect((await sb.exec("kubectl get cm c -o jsonpath='{.data}'")).stdout).toBe('{"a":"1","b":"2"}');
    expect((await sb.exec(cm('data:\n  a: "3"\n'))).stdout).toBe('configmap/c configured\n');
    expect((await sb.exec("kubectl get cm c -o jsonpath='{.data}'")).stdout).toBe('{"a":"3"}');
    expect(await lastApplied()).toBe('{"apiVersion":"v1","data":{"a":"3"},"kind":"ConfigMap","metadata":{"annotations":{"note":"one"},"name":"c","namespace":"default"}}\n\n'); // the annotation ends in a newline, jq -r adds one
    expect((await sb.exec(cm('data:\n  a: "3"\n'))).stdout).toBe('configmap/c unchanged\n');
  });

  it('complains about a path that does not exist', async () => {
    const r = await sandbox().exec('kubectl apply -f nope.yaml');
    expect(r.stderr).toBe('error: the path "nope.yaml" does not exist\n');
  });
});

describe('kubectl get', () => {
  it('prints tables with kubectl columns', async () => {
    const sb = sandbox();
    await sb.exec('kubectl apply -f examples/app/namespace.yaml && kubectl apply -f examples/app/');
    const pods = await sb.exec('kubectl get pods -n demo');
    expect(pods.stdout).toMatch(/^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE\nweb-[a-z0-9]+-[a-z0-9]{5}\s+0\/2\s+Init:0\/2\s+0\s+0s\n$/);
    await sb.exec('sleep 10');
    const later = await sb.exec('kubectl get pods -n demo');
    expect(later.stdout).toMatch(/2\/2\s+Running\s+0\s+10s/);
    const svc = await sb.exec('kubectl get svc web -n demo');
    expect(svc.stdout).toMatch(/^NAME\s+TYPE\s+CLUSTER-IP\s+EXTERNAL-IP\s+PORT\(S\)\s+AGE\nweb\s+ClusterIP\s+10\.96\.\d+\.\d+\s+<none>\s+80\/TCP\s+10s\n$/);
    const dep = await sb.exec('kubectl get deploy -n demo');
    expect(dep.stdout).toMatch(/^NAME\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+AGE\nweb\s+1\/1\s+1\s+1\s+10s\n$/);
    const ep = await sb.exec('kubectl get endpoints web -n demo');
    expect(ep.stdout).toMatch(/web\s+10\.244\.\d+\.\d+:9090\s+10s/);
    const nodes = await sb.exec('kubectl get nodes');
    expect(nodes.stdout).toMatch(/^NAME\s+STATUS\s+ROLES\s+AGE\s+VERSION\nsandbox\s+Ready\s+control-plane\s+\d+m\s+v1\.35\.2\n$/);
  });

  it('supports -o name, yaml, json, jsonpath, wide, -A and -l', async () => {
    const sb = sandbox();
    await sb.exec('kubectl apply -f examples/app/namespace.yaml && kubectl apply -f examples/app/');
    expect((await sb.exec('kubectl get deploy -n demo -o name')).stdout).toBe('deployment.apps/web\n');
    const yaml = (await sb.exec('kubectl get svc web -n demo -o yaml')).stdout;
    expect(yaml).toMatch(/^apiVersion: v1\nkind: Service\nmetadata:\n/);
    const json = JSON.parse((await sb.exec('kubectl get svc web -n demo -o json')).stdout) as { kind: string };
    expect(json.kind).toBe('Service');
    const ip = (await sb.exec("kubectl -n istio-system get service istio-ingressgateway -o jsonpath='{.status.loadBalancer.ingress[0].ip}'")).stdout;
    expect(ip).toMatch(/^172\.18\.255\.\d+$/);
    const port = (await sb.exec(`kubectl -n istio-system get service istio-ingressgateway -o jsonpath='{.spec.ports[?(@.name=="http2")].port}'`)).stdout;
    expect(port).toBe('80');
    const names = (await sb.exec("kubectl get pods -A -o jsonpath='{range .items[*]}{.metadata.namespace}{\"\\n\"}{end}'")).stdout;
    expect(names.split('\n')).toContain('istio-system');
    const wide = (await sb.exec('kubectl get pods -n demo -o wide')).stdout;
    expect(wide.split('\n')[0]).toMatch(/NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE\s+IP\s+NODE\s+NOMINATED NODE\s+READINESS GATES/);
    const all = (await sb.exec('kubectl get pods -A')).stdout;
    expect(all.split('\n')[0]).toMatch(/^NAMESPACE\s+NAME/);
    const sel = (await sb.exec('kubectl get pods -n istio-system -l app=istiod -o name')).stdout;
    expect(sel).toMatch(/^pod\/istiod-[a-z0-9]+-[a-z0-9]{5}\n$/);
  });

  it('prints errors and empty results like kubectl', async () => {
    const sb = sandbox();
    const nf = await sb.exec('kubectl get deployment nope');
    expect(nf.stderr).toBe('Error from server (NotFound): deployments.apps "nope" not found\n');
    const empty = await sb.exec('kubectl get pods');
    expect(empty.stderr).toBe('No resources found in default namespace.\n');
    // across namespaces (and for cluster-scoped kinds) kubectl prints it with Fprintln, no full stop
    // (kubectl pkg/cmd/get/get.go; istio.io mtls-migration: `kubectl get peerauthentication --all-namespaces`)
    expect((await sb.exec('kubectl get peerauthentication --all-namespaces')).stderr).toBe('No resources found\n');
    expect((await sb.exec('kubectl get namespaces -l team=none')).stderr).toBe('No resources found\n');
    const bad = await sb.exec('kubectl get foos');
    expect(bad.stderr).toBe('error: the server doesn\'t have a resource type "foos"\n');
  });

  it('shows Istio kinds by short names with their printer columns', async () => {
    const sb = sandbox();
    await sb.exec('kubectl apply -f examples/app/namespace.yaml');
    await sb.exec(`kubectl apply -f - <<'EOF'
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: web
  namespace: demo
spec:
  hosts: [web]
  gateways: [mesh]
  http:
    - route:
        - destination:
            host: web
EOF`);
    const r = await sb.exec('kubectl get vs -n demo');
    expect(r.stdout).toMatch(/^NAME\s+GATEWAYS\s+HOSTS\s+AGE\nweb\s+\["mesh"\]\s+\["web"\]\s+\d+s\n$/);
  });

  it('AuthorizationPolicy: ACTION is .spec.action as stored, empty when the policy leaves it out', async () => {
    const sb = sandbox();
    await sb.exec(`kubectl create ns demo && kubectl apply -f - <<EOF
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata:
  name: allow-nothing
  namespace: demo
spec: {}
---
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata:
  name: deny-all
  namespace: demo
spec:
  action: DENY
  rules: [{}]
EOF`);
    const r = await sb.exec('kubectl get authorizationpolicy -n demo');
    expect(r.stdout).toMatch(/^NAME {12}ACTION {3}AGE\nallow-nothing {12}\d+s\ndeny-all {8}DENY {5}\d+s\n$/);
  });
});

describe('kubectl other verbs', () => {
  it('delete: a pod terminates gracefully; --force removes it at once with kubectl\'s warning; --grace-period=0 alone is 1', async () => {
    const sb = sandbox();
    await sb.exec('kubectl apply -f examples/app/namespace.yaml && kubectl apply -f examples/app/ && sleep 6');
    const pods = async (): Promise<string[]> => (await sb.exec('kubectl get pods -n demo -o name')).stdout.trim().split('\n');
    const [first] = await pods();
    const name = first.replace('pod/', '');
    const graceful = await sb.exec(`kubectl delete pod ${name} -n demo --grace-period=0 --wait=false`);
    expect(graceful.stdout).toBe(`pod "${name}" deleted from demo namespace\n`);
    expect((await sb.exec(`kubectl get pod ${name} -n demo`)).stdout).toMatch(/Terminating/);
    const forced = await sb.exec(`kubectl delete pod ${name} -n demo --force --grace-period=0`);
    expect(forced.stderr).toBe('Warning: Immediate deletion does not wait for confirmation that the running resource has been terminated. The resource may continue to run on the cluster indefinitely.\n');
    expect(forced.stdout).toBe(`pod "${name}" force deleted from demo namespace\n`);
    expect((await sb.exec(`kubectl get pod ${name} -n demo`)).stderr).toBe(`Error from server (NotFound): pods "${name}" not found\n`);
  });

  it('logs with the default container notice, exec, label, scale, delete', async () => {
    const sb = sandbox();
    await sb.exec('kubectl apply -f examples/app/namespace.yaml && kubectl apply -f examples/app/ && sleep 6');
    const logs = await sb.exec('kubectl logs deploy/web -n demo');
    // Istio's injector sets kubectl.kubernetes.io/default-container, so kubectl says nothing
    expect(logs.stderr).toBe('');
    expect(logs.stdout).toMatch(/Started service: name=web/);
    const ex = await sb.exec('kubectl exec deploy/web -n demo -c web -- curl -s http://web/');
    expect(JSON.parse(ex.stdout).name).toBe('web');
    expect((await sb.exec('kubectl label ns demo team=a')).stdout).toBe('namespace/demo labeled\n');
    expect((await sb.exec('kubectl label ns demo team=b')).stderr).toBe("error: 'team' already has a value (a), and --overwrite is false\n");
    expect((await sb.exec('kubectl scale deploy web -n demo --replicas=3')).stdout).toBe('deployment.apps/web scaled\n');
    expect((await sb.exec('kubectl rollout status deploy/web -n demo')).stdout).toMatch(/deployment "web" successfully rolled out\n$/);
    expect((await sb.exec('kubectl get deploy web -n demo -o jsonpath={.status.readyReplicas}')).stdout).toBe('3');
    expect((await sb.exec('kubectl delete svc web -n demo')).stdout).toBe('service "web" deleted from demo namespace\n');
    expect((await sb.exec('kubectl delete svc web -n demo')).stderr).toBe('Error from server (NotFound): services "web" not found\n');
    expect((await sb.exec('kubectl delete -f examples/app/web.yaml')).stdout).toBe('deployment.apps "web" deleted from demo namespace\n');
  });

  it('logs --since keeps only the lines of the last DURATION', async () => {
    const sb = sandbox();
    await sb.exec('kubectl apply -f examples/app/namespace.yaml && kubectl apply -f examples/app/ && sleep 6');
    await sb.exec('kubectl exec deploy/web -n demo -c web -- curl -s http://web/ > /dev/null; sleep 180');
    await sb.exec('kubectl exec deploy/web -n demo -c web -- curl -s http://web/ > /dev/null');
    const proxy = 'kubectl logs deploy/web -n demo -c istio-proxy';
    const requests = async (cmd: string): Promise<number> => (await sb.exec(cmd)).stdout.split('\n').filter((l) => l.includes('"GET / HTTP/1.1"')).length;
    const all = await requests(proxy);
    expect(all).toBeGreaterThanOrEqual(2);
    expect(await requests(`${proxy} --since=1m`)).toBe(all / 2);
    expect(await requests(`${proxy} --since=1h`)).toBe(all);
    expect((await sb.exec(`${proxy} --since=5x`)).stderr).toBe('error: invalid argument "5x" for "--since" flag: time: unknown unit "x" in duration "5x"\nSee \'kubectl logs --help\' for usage.\n');
  });

  it('config set-context changes the default namespace', async () => {
    const sb = sandbox();
    await sb.exec('kubectl apply -f examples/app/namespace.yaml && kubectl apply -f examples/app/');
    expect((await sb.exec('kubectl config set-context --current --namespace=demo')).stdout).toBe('Context "kind-sandbox" modified.\n');
    expect((await sb.exec('kubectl get deploy -o name')).stdout).toBe('deployment.apps/web\n');
  });

  it('an unknown image ends in ErrImagePull / ImagePullBackOff', async () => {
    const sb = sandbox();
    await sb.exec('kubectl apply -f examples/app/namespace.yaml');
    await sb.exec(`kubectl apply -f - <<'EOF'\n${DEP.replace('fake-service:v0.26.2', 'fake-service:v0.99.0')}EOF`);
    await sb.exec('sleep 3');
    expect((await sb.exec('kubectl get pods -n demo')).stdout).toMatch(/ErrImagePull/);
    await sb.exec('sleep 5');
    expect((await sb.exec('kubectl get pods -n demo')).stdout).toMatch(/ImagePullBackOff/);
    const d = (await sb.exec('kubectl describe pods -n demo')).stdout;
    // kubectl 1.35 prefixes an event's message with the involved object's fieldPath
    expect(d).toMatch(/Warning\s+Failed\s+\S+\s+kubelet\s+spec\.containers\{web\}: Error: ErrImagePull\n/);
    expect(d).toMatch(/Normal\s+BackOff\s+\S+\s+kubelet\s+spec\.containers\{web\}: Back-off pulling image "nicholasjackson\/fake-service:v0\.99\.0"\n/);
    const ev = (await sb.exec('kubectl get events -n demo')).stdout;
    expect(ev.split('\n')[0]).toMatch(/^LAST SEEN\s+TYPE\s+REASON\s+OBJECT\s+MESSAGE$/);
    expect(ev).toMatch(/Normal\s+ScalingReplicaSet\s+deployment\/web\s+Scaled up replica set web-\w+ to 1/);
    expect(ev).toMatch(/Normal\s+Scheduled\s+pod\/web-\w+-\w{5}\s+Successfully assigned demo\/web-\w+-\w{5} to sandbox/);
  });
});

describe('kubectl get -w', () => {
  it('prints the table, then a row per change, and stops after the idle limit', async () => {
    const sb = sandbox();
    await sb.exec('kubectl apply -f examples/app/namespace.yaml');
    const r = await sb.exec('kubectl apply -f examples/app/ > /dev/null && SANDBOX_WATCH_IDLE=5 kubectl get pods -n demo -w');
    const lines = r.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE$/);
    expect(lines[1]).toMatch(/0\/2\s+Init:0\/2/);
    expect(lines[lines.length - 1]).toMatch(/2\/2\s+Running/);
    expect(lines.length).toBeGreaterThanOrEqual(4);
  });
});
