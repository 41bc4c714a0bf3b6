/**
 * A room whose lessons use further namespaces of their own (authorization: analytics, mtls:
 * legacy): each participant gets one namespace more per such lesson namespace. Checked with the
 * real kubectl v1.35.2 against the sandbox served over HTTPS (no cluster needed): the
 * participant's ServiceAccount works in its further namespaces and is Forbidden in the other
 * participant's, every one has the quota, limits and isolation of the main one, and a reset and
 * the room's end take them all.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RealClock } from '../../sandbox/core/clock';
import { kubeconfigFor } from '../../sandbox/http/kubeconfig';
import { serveSandbox, type ServedSandbox } from '../../sandbox/http/node';
import { Sandbox } from '../../sandbox/sandbox';
import { realKubectl, runKubectl, type Run } from '../../../tests/conformance/realKubectl';
import type { ClusterMode } from '../clusterMode';
import { createClusterMode } from './index';
import { KubeApi } from './kubeApi';
import { extraNamespacesOf } from './lessonFiles';
import { provisionParticipant } from './provision';

const ROOM = 'XN4T8R';
const EXAMPLES = join(__dirname, '../../../examples');
const LESSONS = ['resilience', 'authorization', 'mtls'];
let served: ServedSandbox;
let mode: ClusterMode;
let dir: string;
let admin: string;
let nsA: string;
let nsB: string;
let extraA: string[];
let extraB: string[];
let asA: string;

const kubectl = (kubeconfig: string, args: string[]): Promise<Run> => runKubectl(realKubectl(), kubeconfig, args, { cacheDir: join(dir, 'cache') });
const forbidden = (verb: string, resource: string, group: string, ns: string): string =>
  `User "system:serviceaccount:${nsA}:participant" cannot ${verb} resource "${resource}" in API group "${group}" in the namespace "${ns}"`;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'workshop-extra-ns-'));
  served = await serveSandbox(new Sandbox({ seed: 5, clock: new RealClock() }), { token: 'organiser-token', rateLimit: 10_000 });
  admin = join(dir, 'admin.kubeconfig');
  writeFileSync(admin, kubeconfigFor(served.url, 'organiser-token', served.caPem));
  mode = await createClusterMode(admin, { dataDir: dir, kubectl: realKubectl(), examplesDir: EXAMPLES, isolate: false });
  ({ namespace: nsA, extraNamespaces: extraA = [] } = await mode.provision(ROOM, 'pAnna_1', 'Анна', LESSONS));
  ({ namespace: nsB, extraNamespaces: extraB = [] } = await mode.provision(ROOM, 'pBoris_2', 'Борис', LESSONS));
  // Anna's token: provisioning again keeps what exists and issues a fresh one
  const again = await provisionParticipant(KubeApi.fromFile(admin), ROOM, 'pAnna_1', undefined, extraNamespacesOf(EXAMPLES, LESSONS));
  expect(again.extraNamespaces).toEqual(extraA);
  asA = join(dir, 'anna.kubeconfig');
  writeFileSync(asA, again.kubeconfig, { mode: 0o600 });
}, 60_000);

afterAll(async () => {
  await served?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("a participant's further namespaces for the room's lessons", () => {
  it('are <namespace>-<lesson namespace>, labelled for the room and the participant, with the lesson’s istio-injection', async () => {
    expect(extraA).toEqual([`${nsA}-analytics`, `${nsA}-legacy`]);
    expect(extraB).toEqual([`${nsB}-analytics`, `${nsB}-legacy`]);
    // the page's mapping names the same namespaces
    expect(mode.lessonMapping?.('authorization', nsA)?.extra).toEqual([{ from: 'analytics', to: `${nsA}-analytics`, injection: 'enabled' }]);
    const r = await kubectl(admin, ['get', 'ns', '-l', `workshop.istio-practicum/room=${ROOM.toLowerCase()}`, '-o', "jsonpath={range .items[*]}{.metadata.name} {.metadata.labels.istio-injection} {.metadata.labels.workshop\\.istio-practicum/participant}{'\\n'}{end}"]);
    const hex = (ns: string): string => ns.slice(ns.lastIndexOf('-') + 1);
    expect(r.stdout.split('\n').filter(Boolean).sort()).toEqual(
      [
        `${nsA} enabled ${hex(nsA)}`,
        `${nsA}-analytics enabled ${hex(nsA)}`,
        // mtls's legacy is outside the mesh on purpose (examples/mtls/namespaces.yaml)
        `${nsA}-legacy disabled ${hex(nsA)}`,
        `${nsB} enabled ${hex(nsB)}`,
        `${nsB}-analytics enabled ${hex(nsB)}`,
        `${nsB}-legacy disabled ${hex(nsB)}`,
      ].sort(),
    );
  });

  it('let the participant’s ServiceAccount create and get there', async () => {
    expect(await kubectl(asA, ['create', 'deployment', 'reports', '--image=curlimages/curl:8.11.1', '-n', `${nsA}-analytics`])).toMatchObject({ code: 0, stdout: 'deployment.apps/reports created\n' });
    expect(await kubectl(asA, ['get', 'deployment', 'reports', '-n', `${nsA}-analytics`, '-o', 'name'])).toMatchObject({ code: 0, stdout: 'deployment.apps/reports\n' });
    expect(await kubectl(asA, ['auth', 'can-i', 'create', 'authorizationpolicies.security.istio.io', '-n', `${nsA}-legacy`])).toMatchObject({ code: 0, stdout: 'yes\n' });
  });

  it('are Forbidden to the other participant, main and further namespaces alike, in the apiserver’s words', async () => {
    for (const ns of [nsB, ...extraB]) {
      const get = await kubectl(asA, ['get', 'pods', '-n', ns]);
      expect(get.code).toBe(1);
      expect(get.stderr).toBe(`Error from server (Forbidden): pods is forbidden: ${forbidden('list', 'pods', '', ns)}\n`);
    }
    const create = await kubectl(asA, ['create', 'deployment', 'reports', '--image=curlimages/curl:8.11.1', '-n', `${nsB}-analytics`]);
    expect(create.code).toBe(1);
    expect(create.stderr).toBe(`error: failed to create deployment: deployments.apps is forbidden: ${forbidden('create', 'deployments', 'apps', `${nsB}-analytics`)}\n`);
  });

  it('hold the same Role binding, quota, limits and isolation as the main namespace', async () => {
    const binding = await kubectl(admin, ['get', 'rolebinding', 'participant', '-n', `${nsA}-legacy`, '-o', "jsonpath={.roleRef.name} {.subjects[0].kind} {.subjects[0].namespace}/{.subjects[0].name}"]);
    expect(binding.stdout).toBe(`participant ServiceAccount ${nsA}/participant`);
    for (const ns of [nsA, ...extraA]) {
      expect((await kubectl(admin, ['get', 'resourcequota', 'participant', '-n', ns, '-o', 'jsonpath={.spec.hard.pods}'])).stdout).toBe('20');
      expect((await kubectl(admin, ['get', 'limitrange', 'participant', '-n', ns, '-o', 'jsonpath={.spec.limits[0].default.cpu}'])).stdout).toBe('500m');
      const np = JSON.parse((await kubectl(admin, ['get', 'networkpolicy', 'participant-isolation', '-n', ns, '-o', 'json'])).stdout) as { spec: unknown };
      // ingress from Anna's own namespaces (by the room and participant labels all of them carry) and from istio-system
      expect(np.spec).toEqual({
        podSelector: {},
        policyTypes: ['Ingress'],
        ingress: [
          {
            from: [
              { namespaceSelector: { matchLabels: { 'workshop.istio-practicum/room': ROOM.toLowerCase(), 'workshop.istio-practicum/participant': nsA.slice(nsA.lastIndexOf('-') + 1) } } },
              { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'istio-system' } } },
            ],
          },
        ],
      });
    }
  });

  it('are emptied by a reset with the main one, and deleted when the room ends', async () => {
    await mode.resetParticipant?.(ROOM, 'pAnna_1', LESSONS);
    const fresh = await provisionParticipant(KubeApi.fromFile(admin), ROOM, 'pAnna_1', undefined, extraNamespacesOf(EXAMPLES, LESSONS));
    writeFileSync(asA, fresh.kubeconfig, { mode: 0o600 });
    expect(await kubectl(asA, ['get', 'deployments', '-n', `${nsA}-analytics`])).toMatchObject({ code: 0, stderr: `No resources found in ${nsA}-analytics namespace.\n` });
    expect(await kubectl(asA, ['auth', 'can-i', 'create', 'deployments', '-n', `${nsA}-legacy`])).toMatchObject({ stdout: 'yes\n' });

    await mode.cleanupRoom(ROOM);
    const all = [nsA, ...extraA, nsB, ...extraB];
    const gone = await kubectl(admin, ['get', 'ns', ...all]);
    expect(gone.stderr).toBe(all.map((ns) => `Error from server (NotFound): namespaces "${ns}" not found\n`).join(''));
  });
});
