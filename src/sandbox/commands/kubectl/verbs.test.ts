import { describe, expect, it } from 'vitest';
import { ManualClock, type CancelToken } from '../../core/clock';
import { Sandbox } from '../../sandbox';

const APP = (name: string, replicas = 1) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  namespace: demo
spec:
  replicas: ${replicas}
  selector:
    matchLabels: {app: ${name}}
  template:
    metadata:
      labels: {app: ${name}}
    spec:
      containers:
        - name: ${name}
          image: nicholasjackson/fake-service:v0.26.2
---
`;

async function demo(sb: Sandbox, yaml: string): Promise<void> {
  const r = await sb.exec(`kubectl create namespace demo && kubectl apply -f - <<'EOF'\n${yaml}EOF`);
  if (r.code) throw new Error(r.stderr);
  await sb.exec('sleep 10');
}

function podsOf(sb: Sandbox, app: string) {
  const c = sb.cluster.client;
  const l = c.list(c.kind('Pod'), 'demo', `app=${app}`);
  return l.ok ? l.value : [];
}

describe('kubectl flags as kubectl parses them', () => {
  it('refuses an unknown flag with kubectl words and the verb in the hint', async () => {
    const sb = new Sandbox();
    const r = await sb.exec('kubectl get pods --replicas=3');
    expect(r.code).toBe(1);
    expect(r.stderr).toBe("error: unknown flag: --replicas\nSee 'kubectl get --help' for usage.\n");
    expect((await sb.exec('kubectl logs -fx pod')).stderr).toBe("error: unknown shorthand flag: 'x' in -x\nSee 'kubectl logs --help' for usage.\n");
    expect((await sb.exec('kubectl scale deploy/x')).stderr).toBe('error: required flag(s) "replicas" not set\n');
    expect((await sb.exec('kubectl gett pods')).stderr).toBe('error: unknown command "gett" for "kubectl"\n\nDid you mean this?\n\tset\n\tget\n');
  });

  it('takes global flags before the verb and shorthand combinations', async () => {
    const sb = new Sandbox();
    await demo(sb, APP('web'));
    expect((await sb.exec('kubectl -n demo get deploy -ojsonpath={.items[0].metadata.name}')).stdout).toBe('web');
    expect((await sb.exec('kubectl get deploy -ndemo --no-headers')).stdout).toMatch(/^web\s+1\/1/);
  });

  it('logs -l prints 10 lines per pod unless --tail says otherwise', async () => {
    const sb = new Sandbox();
    await demo(sb, APP('web', 2));
    const pods = podsOf(sb, 'web');
    expect(pods).toHaveLength(2);
    for (const p of pods) for (let i = 0; i < 30; i++) sb.cluster.logs.append(p.metadata.uid ?? '', 'web', `line ${i}`, sb.cluster.clock.now());
    const count = async (cmd: string) => (await sb.exec(`${cmd} | grep -c '^line'`)).stdout.trim();
    expect(await count('kubectl logs -l app=web -n demo')).toBe('20');
    expect(await count('kubectl logs -l app=web -n demo --tail=5')).toBe('10');
    expect(await count('kubectl logs -l app=web -n demo --tail=-1')).toBe('60');
  });

  it('rollout restart TYPE restarts every object of the type in the namespace', async () => {
    const sb = new Sandbox();
    await demo(sb, APP('a') + APP('b'));
    const r = await sb.exec('kubectl rollout restart deployment -n demo');
    expect(r.stdout).toBe('deployment.apps/a restarted\ndeployment.apps/b restarted\n');
  });
});

describe('kubectl logs -f', () => {
  it('prints lines written while it follows, and stops on Ctrl-C', async () => {
    // a clock that writes a log line at 3 s and interrupts the command at 6 s of following
    const clock = new ManualClock();
    let onSleep: (t: number) => void = () => undefined;
    const sleep = clock.sleep.bind(clock);
    clock.sleep = async (ms: number, token?: CancelToken) => {
      await sleep(ms, token);
      onSleep(clock.now());
    };
    const sb = new Sandbox({ clock });
    await demo(sb, APP('web'));
    const [pod] = podsOf(sb, 'web');
    const start = clock.now();
    let wrote = false;
    onSleep = (t) => {
      if (!wrote && t - start >= 3000) {
        wrote = true;
        sb.cluster.logs.append(pod.metadata.uid ?? '', 'web', 'a new request arrived', t);
      }
      if (t - start >= 6000) sb.interrupt();
    };
    const r = await sb.exec(`kubectl logs -f ${pod.metadata.name} -n demo --tail=0`);
    expect(r.stdout).toBe('a new request arrived\n');
  });
});

describe('kubectl patch, edit, top', () => {
  it('patches with strategic merge (containers by name), merge and json patches', async () => {
    const sb = new Sandbox();
    await demo(sb, APP('web'));
    const p1 = await sb.exec(`kubectl patch deployment web -n demo -p '{"spec":{"template":{"spec":{"containers":[{"name":"web","env":[{"name":"A","value":"1"}]}]}}}}'`);
    expect(p1.stdout).toBe('deployment.apps/web patched\n');
    expect((await sb.exec('kubectl get deploy web -n demo -o jsonpath={.spec.template.spec.containers[0].image}')).stdout).toBe('nicholasjackson/fake-service:v0.26.2');
    expect((await sb.exec('kubectl get deploy web -n demo -o jsonpath={.spec.template.spec.containers[0].env[0].value}')).stdout).toBe('1');
    expect((await sb.exec(`kubectl patch deployment web -n demo --type=merge -p '{"spec":{"replicas":3}}'`)).stdout).toBe('deployment.apps/web patched\n');
    expect((await sb.exec(`kubectl patch deployment web -n demo --type=merge -p '{"spec":{"replicas":3}}'`)).stdout).toBe('deployment.apps/web patched (no change)\n');
    expect((await sb.exec(`kubectl patch deployment web -n demo --type=json -p '[{"op":"replace","path":"/spec/replicas","value":1}]'`)).stdout).toBe('deployment.apps/web patched\n');
    expect((await sb.exec('kubectl get deploy web -n demo -o jsonpath={.spec.replicas}')).stdout).toBe('1');
    expect((await sb.exec(`kubectl patch deployment web -n demo --type=merge -p '{"spec":{"replicas":2}}' --dry-run=server`)).stdout).toBe('deployment.apps/web patched (server dry run)\n');
    expect((await sb.exec('kubectl get deploy web -n demo -o jsonpath={.spec.replicas}')).stdout).toBe('1');
  });

  it('edit without an editor answers as kubectl does; with the host editor it applies the saved text', async () => {
    const sb = new Sandbox();
    await demo(sb, APP('web'));
    expect((await sb.exec('kubectl edit deploy web -n demo')).stderr).toBe('error: unable to launch the editor "vi"\n');
    sb.shell.editor = async (file) => file.text.replace('replicas: 1', 'replicas: 2');
    expect((await sb.exec('kubectl edit deploy web -n demo')).stdout).toBe('deployment.apps/web edited\n');
    expect((await sb.exec('kubectl get deploy web -n demo -o jsonpath={.spec.replicas}')).stdout).toBe('2');
    sb.shell.editor = async (file) => file.text;
    expect((await sb.exec('kubectl edit deploy web -n demo')).stdout).toBe('Edit cancelled, no changes made.\n');
  });

  it('top without a metrics server', async () => {
    const r = await new Sandbox().exec('kubectl top pods');
    expect(r.stderr).toBe('error: Metrics API not available\n');
  });

  it('create deployment --dry-run=client -o yaml prints the object without creating it', async () => {
    const sb = new Sandbox();
    const r = await sb.exec('kubectl create deployment x --image=nginx:1.25 --dry-run=client -o yaml');
    // the real kubectl v1.35.2 prints exactly this
    expect(r.stdout).toBe(
      'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  labels:\n    app: x\n  name: x\nspec:\n  replicas: 1\n  selector:\n    matchLabels:\n      app: x\n  strategy: {}\n  template:\n    metadata:\n      labels:\n        app: x\n    spec:\n      containers:\n      - image: nginx:1.25\n        name: nginx\n        resources: {}\nstatus: {}\n',
    );
    expect((await sb.exec('kubectl get deploy x')).stderr).toBe('Error from server (NotFound): deployments.apps "x" not found\n');
  });

  it('create configmap: keys from --from-literal and --from-file=[key=]path, stored as plain data', async () => {
    const sb = new Sandbox();
    await sb.exec("printf 'events {}\\n' > nginx.conf");
    expect((await sb.exec('kubectl create configmap nginx-configmap --from-file=nginx.conf=./nginx.conf --from-literal=mode=tls')).stdout).toBe('configmap/nginx-configmap created\n');
    expect((await sb.exec("kubectl get cm nginx-configmap -o jsonpath='{.data}'")).stdout).toBe('{"mode":"tls","nginx.conf":"events {}\\n"}');
    expect((await sb.exec('kubectl create configmap other --from-file=./missing.conf')).stderr).toBe('error: error reading ./missing.conf: no such file or directory\n');
  });

  // the expected texts are the real kubectl v1.35.2's (against this sandbox served over HTTPS, and --dry-run=client with no server)
  it('create serviceaccount and create quota: the objects, their refusals in the generators\' words', async () => {
    const sb = new Sandbox();
    expect((await sb.exec('kubectl create sa demo')).stdout).toBe('serviceaccount/demo created\n');
    expect((await sb.exec('kubectl create sa demo')).stderr).toBe('error: failed to create serviceaccount: serviceaccounts "demo" already exists\n');
    expect((await sb.exec('kubectl create sa x -n nonexist')).stderr).toBe('error: failed to create serviceaccount: namespaces "nonexist" not found\n');
    expect((await sb.exec('kubectl create quota q --hard=pods=2,cpu=500m,memory=1024Mi')).stdout).toBe('resourcequota/q created\n');
    expect((await sb.exec("kubectl get quota q -o jsonpath='{.spec.hard}'")).stdout).toBe('{"cpu":"500m","memory":"1Gi","pods":"2"}');
    expect((await sb.exec('kubectl create quota q --hard=pods=2')).stderr).toBe('error: failed to create quota: resourcequotas "q" already exists\n');
    expect((await sb.exec('kubectl create quota q --hard=pods=2,cpu=1,memory=1G --scopes=BestEffort --dry-run=client -o yaml')).stdout).toBe(
      'apiVersion: v1\nkind: ResourceQuota\nmetadata:\n  name: q\nspec:\n  hard:\n    cpu: "1"\n    memory: 1G\n    pods: "2"\n  scopes:\n  - BestEffort\nstatus: {}\n',
    );
    expect((await sb.exec('kubectl create quota q3 --dry-run=client -o yaml')).stdout).toBe('apiVersion: v1\nkind: ResourceQuota\nmetadata:\n  name: q3\nspec: {}\nstatus: {}\n');
    expect((await sb.exec('kubectl create sa foo -n bar --dry-run=client -o json')).stdout).toBe(
      '{\n    "kind": "ServiceAccount",\n    "apiVersion": "v1",\n    "metadata": {\n        "name": "foo",\n        "namespace": "bar"\n    }\n}\n',
    );
    expect((await sb.exec('kubectl create quota q --hard=pods')).stderr).toBe('error: Invalid argument syntax pods, expected <resource>=<value>\n');
    expect((await sb.exec('kubectl create quota q --hard=pods=abc')).stderr).toBe("error: quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'\n");
    expect((await sb.exec('kubectl create quota q --scopes=a,,b')).stderr).toBe('error: invalid resource quota scope ""\n');
    expect((await sb.exec('kubectl create sa')).stderr).toBe("error: exactly one NAME is required, got 0\nSee 'kubectl create serviceaccount -h' for help and examples\n");
  });
});

describe('kubectl patch on a custom resource', () => {
  it('refuses the strategic type as the apiserver does and accepts a merge patch', async () => {
    const sb = new Sandbox();
    await sb.exec(`kubectl create namespace demo && kubectl apply -f - <<'EOF'
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: r, namespace: demo}
spec: {host: reviews}
EOF`);
    const s = await sb.exec(`kubectl patch dr r -n demo -p '{"spec":{"host":"ratings"}}'`);
    expect(s.code).toBe(1);
    expect(s.stderr).toBe('Error from server (UnsupportedMediaType): the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml\n');
    expect((await sb.exec(`kubectl patch dr r -n demo --type=merge -p '{"spec":{"host":"ratings"}}'`)).stdout).toBe('destinationrule.networking.istio.io/r patched\n');
    expect((await sb.exec('kubectl get dr r -n demo -o jsonpath={.spec.host}')).stdout).toBe('ratings');
  });
});

describe('kubectl expose and rollout history/undo (kubectl/pkg/cmd/expose, cmd/rollout)', () => {
  it('exposes a deployment with its selector, labels and container ports; refuses what cannot be exposed', async () => {
    const sb = new Sandbox();
    await sb.exec('kubectl create namespace demo');
    await sb.exec('kubectl -n demo create deployment web --image=nginx --port=80');
    await sb.exec('kubectl -n demo create deployment bare --image=nginx');
    expect((await sb.exec('kubectl -n demo expose deployment web')).stdout).toBe('service/web exposed\n');
    expect((await sb.exec("kubectl -n demo get svc web -o jsonpath='{.metadata.labels} {.spec.selector} {.spec.ports}'")).stdout).toBe(
      '{"app":"web"} {"app":"web"} [{"port":80,"protocol":"TCP","targetPort":80}]',
    );
    expect((await sb.exec('kubectl -n demo expose deploy bare')).stderr).toBe("error: couldn't find port via --port flag or introspection\n");
    expect((await sb.exec('kubectl -n demo expose deploy bare --port=8080 --target-port=http --name=b2')).stdout).toBe('service/b2 exposed\n');
    expect((await sb.exec("kubectl -n demo get svc b2 -o jsonpath='{.spec.ports[0].targetPort}'")).stdout).toBe('http');
    await sb.exec('kubectl -n demo create configmap c --from-literal=a=1');
    expect((await sb.exec('kubectl -n demo expose cm c --port=80')).stderr).toBe('error: cannot expose a ConfigMap\n');
    expect((await sb.exec('kubectl -n demo expose deploy nope --port=80')).stderr).toBe('Error from server (NotFound): deployments.apps "nope" not found\n');
  });

  it('lists revisions with their change-cause and rolls back to the previous one', async () => {
    const sb = new Sandbox();
    await sb.exec('kubectl create namespace demo && kubectl -n demo create deployment web --image=nginx:1.26');
    await sb.exec('sleep 10');
    expect((await sb.exec('kubectl -n demo rollout undo deploy/web')).stderr).toBe('error: no rollout history found for deployment "web"\n');
    await sb.exec('kubectl -n demo set image deploy/web nginx=nginx:1.27 && kubectl -n demo annotate deploy/web kubernetes.io/change-cause="nginx 1.27"');
    await sb.exec('sleep 10');
    expect((await sb.exec('kubectl -n demo rollout history deploy/web')).stdout).toBe('deployment.apps/web \nREVISION  CHANGE-CAUSE\n1         <none>\n2         nginx 1.27\n\n');
    expect((await sb.exec('kubectl -n demo rollout history deploy/web --revision=1')).stdout).toMatch(/^deployment\.apps\/web with revision #1\nPod Template:\n[\s\S]*Image:\s+nginx:1\.26\n/);
    expect((await sb.exec('kubectl -n demo rollout undo deploy/web')).stdout).toBe('deployment.apps/web rolled back\n');
    await sb.exec('sleep 10');
    expect((await sb.exec("kubectl -n demo get deploy web -o jsonpath='{.spec.template.spec.containers[0].image} {.metadata.annotations}'")).stdout).toBe(
      'nginx:1.26 {"deployment.kubernetes.io/revision":"3"}',
    );
    expect((await sb.exec('kubectl -n demo rollout history deploy/web')).stdout).toBe('deployment.apps/web \nREVISION  CHANGE-CAUSE\n2         nginx 1.27\n3         <none>\n\n');
    expect((await sb.exec('kubectl -n demo rollout undo deploy/web --to-revision=3')).stdout).toBe('deployment.apps/web skipped rollback (current template already matches revision 3)\n');
    expect((await sb.exec('kubectl -n demo rollout undo deploy/web --to-revision=9')).stderr).toBe('error: unable to find specified revision 9 in history\n');
  });
});

