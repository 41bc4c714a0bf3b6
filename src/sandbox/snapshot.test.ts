/**
 * Sandbox.snapshot / restore / fork: a JSON round trip gives a sandbox that prints the same and
 * then behaves the same, command for command.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from './core/clock';
import { Sandbox, type SandboxOptions } from './sandbox';
import { SNAPSHOT_VERSION, type SandboxSnapshot } from './snapshot';
import { readExamples, steps } from './testing';

let examples: Record<string, string> = {};
beforeAll(() => {
  examples = readExamples();
});

const opts = (): SandboxOptions => ({ examples, seed: 9, clock: new ManualClock() });

async function run(sb: Sandbox, line: string): Promise<string> {
  const r = await sb.exec(line);
  return `${r.code}\n${r.stdout}${r.stderr}`;
}

/** Scenario 9 (ingress → service-a → service-b) as a learner types it, time passing between commands. */
async function scenario9(sb: Sandbox): Promise<void> {
  await steps(sb, [
    'kubectl apply -f examples/ingress-service-a/namespace.yaml',
    'kubectl apply -f examples/ingress-service-a/',
    'kubectl apply -f examples/service-a-service-b/',
    'kubectl rollout status deployment/service-a -n demo --timeout=60s',
  ]);
}

const IP = "$(kubectl -n istio-system get service istio-ingressgateway -o jsonpath='{.status.loadBalancer.ingress[0].ip}')";

const roundTrip = (s: SandboxSnapshot): unknown => JSON.parse(JSON.stringify(s));

const OBSERVE = [
  'echo "last status $?"',
  'kubectl get pods -A -o wide',
  'kubectl get all -n demo',
  'kubectl get vs -A -o yaml',
  'kubectl get pods -n demo -o yaml',
  'kubectl logs -n demo -l app=service-a-app -c istio-proxy',
  'kubectl logs -n demo -l app=service-b-app -c service-b',
  'kubectl get events -n demo',
  'echo "$GREETING"',
  'pwd',
  'cat notes.txt',
  'ls -la ~ ~/examples/ingress-service-a',
  'history',
  'env | sort',
  'kubectl config view --minify',
];

async function observe(sb: Sandbox): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const c of OBSERVE) out[c] = await run(sb, c);
  return out;
}

describe('Sandbox snapshot', () => {
  let original: Sandbox;
  let snap: SandboxSnapshot;

  beforeAll(async () => {
    original = new Sandbox(opts());
    await scenario9(original);
    await original.run(`for i in 1 2 3 4 5; do curl -s http://${IP}/ > /dev/null; done`);
    await original.run('export GREETING=hello');
    await original.run('kubectl config set-context --current --namespace=demo');
    await original.run('cd examples');
    await original.run('echo "my notes" > notes.txt');
    await original.run('rm service-entry/*.yaml');
    await original.run('false');
  });

  it('is plain JSON with a version', () => {
    snap = original.snapshot();
    expect(snap.version).toBe(SNAPSHOT_VERSION);
    expect(roundTrip(snap)).toEqual(snap);
  });

  it('a restored sandbox prints the same (uids, resourceVersions, timestamps, logs, events, shell, files)', async () => {
    const restored = Sandbox.fromSnapshot(roundTrip(original.snapshot()), opts());
    expect(restored.cluster.clock.now()).toBe(original.cluster.clock.now());
    const [a, b] = [await observe(original), await observe(restored)];
    for (const c of OBSERVE) expect(b[c], c).toBe(a[c]);
    expect(a['echo "last status $?"']).toBe('0\nlast status 1\n');
    expect(a['kubectl get vs -A -o yaml']).toMatch(/uid: /);
    expect(a['kubectl logs -n demo -l app=service-a-app -c istio-proxy']).toMatch(/"GET \/ HTTP\/1.1" 200/);
    expect(a['echo "$GREETING"']).toBe('0\nhello\n');
    expect(a['cat notes.txt']).toBe('0\nmy notes\n');
    expect(await run(restored, 'ls ~/examples/service-entry')).toBe(await run(original, 'ls ~/examples/service-entry'));
    expect(restored.prompt()).toEqual({ namespace: 'demo', cwd: '~/examples' });
  });

  it('then the same commands give byte-identical output (determinism)', async () => {
    const restored = Sandbox.fromSnapshot(roundTrip(original.snapshot()), opts());
    const script = [
      `for i in $(seq 1 20); do curl -s -i http://${IP}/; done`,
      'kubectl logs -n demo -l app=service-a-app -c istio-proxy --tail=30',
      'kubectl logs -n istio-system -l app=istio-ingressgateway --tail=10',
      'kubectl scale deployment service-b -n demo --replicas=3',
      'sleep 1',
      'kubectl get pods -n demo',
      'sleep 5',
      `for i in $(seq 1 10); do curl -s http://${IP}/; done`,
      'kubectl get pods -n demo -o wide',
      'kubectl get events -n demo',
      'kubectl exec -n demo deploy/service-a -c istio-proxy -- pilot-agent request GET stats | grep upstream_rq_total',
      'echo $RANDOM',
    ];
    for (const line of script) expect(await run(restored, line), line).toBe(await run(original, line));
    // again, now that service-a's proxy balances over three service-b endpoints
    const again = Sandbox.fromSnapshot(roundTrip(original.snapshot()), opts());
    const curls = `for i in $(seq 1 12); do curl -s http://${IP}/ | grep -A6 upstream_calls | grep -o '10\\.244[.0-9]*'; done`;
    const picked = await run(original, curls);
    expect(new Set(picked.split('\n').filter((l) => l.startsWith('10.244'))).size).toBe(3);
    expect(await run(again, curls)).toBe(picked);
  });

  it('a pod in ContainerCreating keeps its timeline after restore and becomes Running', async () => {
    const sb = new Sandbox(opts());
    await sb.run('kubectl create namespace web && kubectl create deployment web --image=kennethreitz/httpbin -n web');
    await sb.cluster.advance(1000);
    expect(await run(sb, 'kubectl get pods -n web')).toMatch(/ContainerCreating/);
    const restored = Sandbox.fromSnapshot(roundTrip(sb.snapshot()), opts());
    expect(await run(restored, 'kubectl get pods -n web')).toBe(await run(sb, 'kubectl get pods -n web'));
    for (const s of [sb, restored]) await s.cluster.advance(3000);
    const after = await run(restored, 'kubectl get pods -n web');
    expect(after).toMatch(/1\/1\s+Running\s+0/);
    expect(after).toBe(await run(sb, 'kubectl get pods -n web'));
    expect(await run(restored, 'kubectl get events -n web')).toBe(await run(sb, 'kubectl get events -n web'));
  });

  it('an outlier-detection ejection survives the round trip', async () => {
    const sb = new Sandbox(opts());
    await steps(sb, [
      'kubectl apply -f examples/destination-rule/namespace.yaml',
      'kubectl apply -f examples/destination-rule/payments.yaml -f examples/destination-rule/payments-faulty.yaml -f examples/destination-rule/service.yaml',
      'kubectl apply -f examples/destination-rule/client.yaml -f examples/destination-rule/virtual-service.yaml -f examples/destination-rule/destination-rule.yaml',
      'kubectl -n billing rollout status deployment/client',
    ]);
    const loop = `kubectl -n billing exec deploy/client -- sh -c 'for i in $(seq 1 20); do curl -s -o /dev/null -w "%{http_code}\\n" http://payments/; done' | sort | uniq -c`;
    expect(await run(sb, loop)).toMatch(/\d+ 503/);
    const restored = Sandbox.fromSnapshot(roundTrip(sb.snapshot()), opts());
    const next = await run(sb, loop);
    expect(next).toMatch(/^0\n\s+20 200\n$/);
    expect(await run(restored, loop)).toBe(next);
  });

  it('restoring fires no creation side effects: no new events, log lines or uids', async () => {
    const restored = Sandbox.fromSnapshot(roundTrip(original.snapshot()), opts());
    expect(JSON.stringify(restored.snapshot())).toBe(JSON.stringify(original.snapshot()));
  });

  it('fork(): probes in the fork leave the original untouched', async () => {
    const logs = 'kubectl logs -n demo -l app=service-a-app -c istio-proxy';
    const logsBefore = await run(original, logs);
    const before = JSON.stringify(original.snapshot());
    const fork = original.fork();
    expect(fork.cluster.clock.now()).toBe(original.cluster.clock.now());
    expect(await run(fork, logs)).toBe(logsBefore);
    expect((await fork.exec(`curl -s http://${IP}/`)).stdout).toMatch(/"name": "service-a"/);
    expect(await run(fork, logs)).not.toBe(logsBefore);
    expect(JSON.stringify(original.snapshot())).toBe(before);
    expect(await run(original, logs)).toBe(logsBefore);
  });

  it('caps logs at 1000 lines per container and stays small', async () => {
    const sb = new Sandbox(opts());
    await scenario9(sb);
    const setup = JSON.stringify(sb.snapshot()).length;
    await sb.run(`for i in $(seq 1 1000); do curl -s http://${IP}/ > /dev/null; done`);
    const s = sb.snapshot();
    const loaded = JSON.stringify(s).length;
    for (const lines of Object.values(s.cluster.logs)) expect(lines.length).toBeLessThanOrEqual(1000);
    console.log(`snapshot JSON size: after scenario 9 ${setup} bytes, after 1000 requests ${loaded} bytes`);
    // ~200 KB: the objects of a small cluster, the two CA bundles of every namespace among them
    expect(setup).toBeLessThan(250_000);
    expect(loaded).toBeLessThan(2_000_000);
  });

  it('refuses an unknown version or a malformed snapshot with a clear Error; the sandbox stays usable', async () => {
    const sb = new Sandbox(opts());
    await sb.run('export KEEP=1');
    const good = roundTrip(sb.snapshot()) as SandboxSnapshot;
    const bad: [unknown, RegExp][] = [
      [null, /not an object/],
      ['garbage', /not an object/],
      [{ ...good, version: 99 }, /unsupported sandbox snapshot version 99/],
      [{ version: SNAPSHOT_VERSION }, /snapshot\.cluster must be an object/],
      [{ ...good, shell: { ...good.shell, history: 'x' } }, /snapshot\.shell\.history must be an array/],
      [{ ...good, cluster: { ...good.cluster, api: { ...good.cluster.api, objects: [{ apiVersion: 'v9', kind: 'Nope', metadata: { name: 'x', uid: 'u' } }] } } }, /objects\[0\] must be an object of a known kind/],
      [{ ...good, fs: { ...good.fs, files: [['/home/learner/examples/not-mounted.yaml', 0, null]] } }, /not mounted here/],
    ];
    for (const [input, msg] of bad) expect(() => sb.restore(input)).toThrow(msg);
    expect(await run(sb, 'echo $KEEP && kubectl get ns default -o name')).toBe('0\n1\nnamespace/default\n');
  });

  it('refuses objects whose fields have the wrong types before anything changes (found by npm run fuzz)', async () => {
    const sb = new Sandbox(opts());
    await sb.run('kubectl create deployment web --image=nginx && export KEEP=2');
    await sb.cluster.advance(5000);
    const good = roundTrip(sb.snapshot()) as SandboxSnapshot;
    const objects = good.cluster.api.objects;
    const pod = objects.findIndex((o) => o.kind === 'Pod');
    const deploy = objects.findIndex((o) => o.kind === 'Deployment');
    const withObject = (i: number, o: unknown): unknown => ({ ...good, cluster: { ...good.cluster, api: { ...good.cluster.api, objects: objects.map((x, j) => (j === i ? o : x)) } } });
    const svc = objects.findIndex((o) => o.kind === 'Service');
    const ports = (objects[svc].spec as { ports: object[] }).ports;
    const bad: [unknown, RegExp][] = [
      // was accepted, and the ReplicaSet controller created pods without end (the next sync took seconds, then minutes)
      [withObject(deploy, { ...objects[deploy], metadata: { ...objects[deploy].metadata, namespace: undefined } }), /objects\[\d+\]\.metadata\.namespace must be set \(Deployment is a namespaced kind\)/],
      [withObject(objects.findIndex((o) => o.kind === 'Namespace'), { ...objects.find((o) => o.kind === 'Namespace')!, metadata: { name: 'x', uid: 'u', namespace: 'default' } }), /metadata\.namespace must be absent \(Namespace is a cluster-scoped kind\)/],
      // was accepted, and the ReplicaSet controller created pods without end (found by npm run fuzz, snapshots #4410)
      [withObject(deploy, { ...objects[deploy], metadata: { ...objects[deploy].metadata, uid: undefined } }), /objects\[\d+\]\.metadata\.uid must be a string/],
      // were accepted, and kubectl get showed [object Object] in READY / UP-TO-DATE / AVAILABLE, or the next sync threw
      [withObject(deploy, { ...objects[deploy], status: { ...(objects[deploy].status as object), readyReplicas: { toString: 1 } } }), /objects\[\d+\]\.status\.readyReplicas must be a finite number/],
      [withObject(deploy, { ...objects[deploy], status: { ...(objects[deploy].status as object), conditions: [null] } }), /status\.conditions\[0\] must be an object/],
      [withObject(pod, { ...objects[pod], status: { ...(objects[pod].status as object), containerStatuses: [{ name: 'c', restartCount: { toString: 0 } }] } }), /status\.containerStatuses\[0\]\.restartCount must be a finite number/],
      // was accepted, and kubectl get svc showed [object Object] in PORT(S)
      [withObject(svc, { ...objects[svc], spec: { ...(objects[svc].spec as object), ports: [{ ...ports[0], port: { toString: 443 } }] } }), /objects\[\d+\]\.spec\.ports\[0\]\.port must be a finite number/],
      [withObject(deploy, { ...objects[deploy], spec: { ...(objects[deploy].spec as object), template: { spec: { containers: [{ name: 'c', ports: [{ containerPort: '80' }] }] } } } }), /containers\[0\]\.ports\[0\]\.containerPort must be a finite number/],
      // was accepted, and the next kubectl apply threw "(o.metadata.ownerReferences ?? []).some is not a function"
      [withObject(pod, { ...objects[pod], metadata: { ...objects[pod].metadata, ownerReferences: { toString: 'x' } } }), /objects\[\d+\]\.metadata\.ownerReferences must be an array/],
      [withObject(pod, { ...objects[pod], metadata: { ...objects[pod].metadata, labels: { app: { valueOf: 1 } } } }), /metadata\.labels\.app must be a string/],
      [withObject(deploy, { ...objects[deploy], spec: { ...(objects[deploy].spec as object), template: { spec: { containers: 'nginx' } } } }), /spec\.template\.spec\.containers must be an array/],
      [{ ...good, fs: { ...good.fs, files: [...good.fs.files, ['/home/learner/.bashrc/x', 0, 'y'], ['/home/learner/.bashrc', 0, 'z']] } }, /is both a file and a directory/],
      // threw "TypeError: spec is not a function": the kind was looked up on a plain object's prototype (npm run fuzz, snapshots #833)
      [withObject(pod, { ...objects[pod], kind: '__proto__' }), /objects\[\d+\] must be an object of a known kind/],
      [withObject(pod, { ...objects[pod], kind: 'constructor' }), /objects\[\d+\] must be an object of a known kind/],
    ];
    for (const [input, msg] of bad) expect(() => sb.restore(input)).toThrow(msg);
    expect(await run(sb, 'echo $KEEP && kubectl get deploy -o name')).toBe('0\n2\ndeployment.apps/web\n');
  });
});
