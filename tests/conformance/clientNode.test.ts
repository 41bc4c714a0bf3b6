/**
 * @kubernetes/client-node 1.4 (the JavaScript client) against the served sandbox: list, watch
 * and exec, the three things a script or the workshop server does.
 */
import { CoreV1Api, Exec, KubeConfig, Watch, type V1Pod, type V1Status } from '@kubernetes/client-node';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/sandbox/core/clock';
import { kubeconfigFor } from '../../src/sandbox/http/kubeconfig';
import { serveSandbox, type ServedSandbox } from '../../src/sandbox/http/node';
import { Sandbox } from '../../src/sandbox/sandbox';

let sb: Sandbox;
let served: ServedSandbox;
let kc: KubeConfig;

const DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: default
spec:
  selector:
    matchLabels: { app: web }
  template:
    metadata:
      labels: { app: web }
    spec:
      containers:
      - name: web
        image: nicholasjackson/fake-service:v0.26.2
`;

beforeAll(async () => {
  // virtual time: the test moves the cluster on with advance(), so nothing depends on the machine's speed
  sb = new Sandbox({ seed: 3, clock: new ManualClock(), examples: { 'web.yaml': DEPLOYMENT } });
  await sb.exec('kubectl apply -f examples/web.yaml');
  await sb.cluster.advance(20_000);
  served = await serveSandbox(sb, { token: 'client-node-token' });
  kc = new KubeConfig();
  kc.loadFromString(kubeconfigFor(served.url, 'client-node-token', served.caPem));
}, 30_000);

afterAll(async () => {
  await served?.close();
});

describe('@kubernetes/client-node against the served sandbox', () => {
  it('lists pods with a label selector and gets a NotFound as an error with the Status', async () => {
    const core = kc.makeApiClient(CoreV1Api);
    const list = await core.listNamespacedPod({ namespace: 'default', labelSelector: 'app=web' });
    expect(list.items.map((p) => p.metadata?.name)).toEqual([expect.stringMatching(/^web-[a-z0-9]+-[a-z0-9]{5}$/)]);
    expect(list.items[0].status?.phase).toBe('Running');
    await expect(core.readNamespacedPod({ namespace: 'default', name: 'nope' })).rejects.toMatchObject({ code: 404 });
  });

  it('watches: existing pods arrive as ADDED, a change as MODIFIED', async () => {
    const seen: string[] = [];
    const watch = new Watch(kc);
    const done = new Promise<void>((resolve) => {
      void watch
        .watch(
          '/api/v1/namespaces/default/pods',
          { labelSelector: 'app=web' },
          (type: string, obj: V1Pod) => {
            seen.push(`${type} ${obj.metadata?.labels?.touched ?? ''}`.trim());
            if (type === 'MODIFIED') resolve();
          },
          () => undefined,
        )
        .then((ctl) => {
          setTimeout(() => void sb.exec('kubectl label pods -l app=web touched=yes'), 200);
          void done.then(() => ctl.abort());
        });
    });
    await done;
    expect(seen).toEqual(['ADDED', 'MODIFIED yes']);
  });

  it('execs a command in the pod over WebSocket, with its output and exit status', async () => {
    const pod = (await kc.makeApiClient(CoreV1Api).listNamespacedPod({ namespace: 'default', labelSelector: 'app=web' })).items[0].metadata!.name!;
    const out = new PassThrough();
    const err = new PassThrough();
    let stdout = '';
    let stderr = '';
    out.on('data', (d: Buffer) => (stdout += d.toString()));
    err.on('data', (d: Buffer) => (stderr += d.toString()));
    const status = await new Promise<V1Status>((resolve) => {
      void new Exec(kc).exec('default', pod, 'web', ['sh', '-c', 'echo hello; echo oops >&2; false'], out, err, null, false, resolve);
    });
    expect(stdout).toBe('hello\n');
    expect(stderr).toBe('oops\n');
    expect(status).toMatchObject({ status: 'Failure', reason: 'NonZeroExitCode', details: { causes: [{ reason: 'ExitCode', message: '1' }] } });
  });
});
