/**
 * The real-cluster mode against the sandbox served over HTTPS (no cluster on this machine): two
 * participants are provisioned through the Kubernetes API, then participant A's PTY runs the real
 * kubectl v1.35.2 and sees what a participant on a real cluster sees.
 */
import { copyFileSync, existsSync, mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RealClock } from '../../sandbox/core/clock';
import { kubeconfigFor } from '../../sandbox/http/kubeconfig';
import { serveSandbox, type ServedSandbox } from '../../sandbox/http/node';
import { Sandbox } from '../../sandbox/sandbox';
import { realKubectl, runKubectl } from '../../../tests/conformance/realKubectl';
import type { ClusterMode } from '../clusterMode';
import { createClusterMode } from './index';
import { DEFAULT_LIMITS, namespaceFor } from './provision';
import { onPath } from './pty';
import { isolationAvailable } from './isolate';
import { PtyDriver } from './ptyDriver';

let served: ServedSandbox;
let mode: ClusterMode;
let dataDir: string;
let nsA: string;
let nsB: string;
let term: PtyDriver;

const ROOM = 'QX7K2M';

const run = (line: string, timeoutMs?: number): Promise<{ out: string; code: number }> => term.run(line, timeoutMs);

beforeAll(async () => {
  const bin = realKubectl();
  dataDir = mkdtempSync(join(tmpdir(), 'workshop-cluster-'));
  const sb = new Sandbox({ seed: 7, clock: new RealClock() });
  served = await serveSandbox(sb, { token: 'organiser-token', rateLimit: 10_000 });
  const admin = join(dataDir, 'admin.kubeconfig');
  writeFileSync(admin, kubeconfigFor(served.url, 'organiser-token', served.caPem));
  process.env.WORKSHOP_INSTRUCTOR_KEY = 'must-not-leak';
  mode = await createClusterMode(admin, { dataDir, kubectl: bin, examplesDir: join(__dirname, '../../../examples'), limits: { ...DEFAULT_LIMITS, quota: { ...DEFAULT_LIMITS.quota, pods: '1' } } });
  nsA = (await mode.provision(ROOM, 'pAlice_1', 'Alice')).namespace;
  nsB = (await mode.provision(ROOM, 'pBob-2', 'Bob')).namespace;
  term = new PtyDriver(mode, ROOM, 'pAlice_1', nsA);
  await term.prompt();
}, 60_000);

afterAll(async () => {
  term?.pty.kill();
  delete process.env.WORKSHOP_INSTRUCTOR_KEY;
  await served?.close();
});

describe('real-cluster mode, participant A in a PTY with the real kubectl', () => {
  it('names the namespaces ws-<room>-<hash> and labels them for the mesh and the room', async () => {
    expect(nsA).toBe(namespaceFor(ROOM, 'pAlice_1'));
    expect(nsA).toMatch(/^ws-qx7k2m-[0-9a-f]{10}$/);
    expect(nsB).not.toBe(nsA);
    const r = await runKubectl(realKubectl(), join(dataDir, 'admin.kubeconfig'), ['get', 'ns', '-l', 'workshop.istio-practicum/room=qx7k2m', '-o', "jsonpath={range .items[*]}{.metadata.name} {.metadata.labels.istio-injection}{'\\n'}{end}"]);
    expect(r.stdout.split('\n').filter(Boolean).sort()).toEqual([`${nsA} enabled`, `${nsB} enabled`].sort());
  });

  it('runs in a clean environment: its own KUBECONFIG (0600) and HOME, nothing of the server', async () => {
    const r = await run('echo "$KUBECONFIG|$HOME|[$WORKSHOP_INSTRUCTOR_KEY]"');
    const [kubeconfig, home, leaked] = r.out.trim().split('|');
    expect(kubeconfig.startsWith(join(dataDir, 'cluster'))).toBe(true);
    expect(statSync(kubeconfig).mode & 0o777).toBe(0o600);
    expect(home.startsWith(join(dataDir, 'cluster'))).toBe(true);
    expect(leaked).toBe('[]');
  });

  it('finds kubectl on a relative PATH entry as an absolute path (the shell starts in HOME)', () => {
    const bin = realKubectl();
    const rel = relative(process.cwd(), dirname(bin));
    expect(onPath('kubectl', `nowhere${delimiter}${rel}`)).toBe(bin);
  });

  // needs user namespaces (isolate.ts); without them the server runs shells unconfined and says so at start
  it.skipIf(!isolationAvailable())("cannot see the server's files, the other participants' directories or the server's processes", async () => {
    writeFileSync(join(dataDir, 'secret'), 'token-hmac-key');
    // Bob's terminal directory exists on the server once his PTY opened
    const bob = mode.openPty(ROOM, 'pBob-2', { cols: 80, rows: 24 }, () => undefined, () => undefined);
    const until = Date.now() + 5000;
    while (!existsSync(join(dataDir, 'cluster', 'qx7k2m', nsB, 'kubeconfig')) && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
    expect((await run(`cat ${join(dataDir, 'secret')} 2>&1`)).out).toBe(`cat: ${join(dataDir, 'secret')}: No such file or directory\n`);
    expect((await run(`ls ${join(dataDir, 'cluster', 'qx7k2m')}`)).out).toBe(`${nsA}\n`);
    expect((await run(`cat ${join(dataDir, 'admin.kubeconfig')} 2>&1`)).out).toMatch(/No such file or directory/);
    expect((await run('ps -e -o comm= | grep -c node')).out).toBe('0\n');
    bob.kill();
  });

  it("has the course's examples in HOME, so a lesson's kubectl apply -f examples/… finds its files", async () => {
    expect((await run('ls examples/resilience/namespace.yaml')).out).toBe('examples/resilience/namespace.yaml\n');
  });

  it('lists the pods of its own namespace', async () => {
    expect(await run('kubectl get pods')).toEqual({ out: `No resources found in ${nsA} namespace.\n`, code: 0 });
  });

  it("is refused another participant's namespace with the apiserver's Forbidden line", async () => {
    expect(await run(`kubectl get pods -n ${nsB}`)).toEqual({
      out: `Error from server (Forbidden): pods is forbidden: User "system:serviceaccount:${nsA}:participant" cannot list resource "pods" in API group "" in the namespace "${nsB}"\n`,
      code: 1,
    });
  });

  it('may create deployments, not namespaces (kubectl auth can-i)', async () => {
    expect(await run('kubectl auth can-i create deployments')).toEqual({ out: 'yes\n', code: 0 });
    const ns = await run('kubectl auth can-i create namespaces 2>/dev/null');
    expect(ns).toEqual({ out: 'no\n', code: 1 });
  });

  it('lists what it may do (kubectl auth can-i --list, SelfSubjectRulesReview)', async () => {
    const r = await run('kubectl auth can-i --list');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^Resources +Non-Resource URLs +Resource Names +Verbs\n/);
    expect(r.out).toMatch(/\npods\/exec +\[\] +\[\] +\[get create\]\n/);
    expect(r.out).toMatch(/\n\*\.networking\.istio\.io +\[\] +\[\] +\[get list watch create update patch delete deletecollection\]\n/);
    // in another participant's namespace only what every authenticated user has
    expect((await run(`kubectl auth can-i --list -n ${nsB}`)).out).not.toMatch(/\npods/);
  });

  it("is held to the namespace's ResourceQuota with the apiserver's words", async () => {
    expect((await run('kubectl run web --image=nginx')).out).toBe('pod/web created\n');
    expect(await run('kubectl run second --image=nginx')).toEqual({
      out: 'Error from server (Forbidden): pods "second" is forbidden: exceeded quota: participant, requested: pods=1, used: pods=1, limited: pods=1\n',
      code: 1,
    });
    // the LimitRange gave the container its defaults
    expect((await run("kubectl get pod web -o jsonpath='{.spec.containers[0].resources.requests.cpu}'")).out).toBe('50m');
  });

  it('resets a participant: a fresh namespace (what they made is gone) and a terminal with a new token', async () => {
    term.pty.kill();
    await mode.resetParticipant?.(ROOM, 'pAlice_1');
    term = new PtyDriver(mode, ROOM, 'pAlice_1', nsA);
    await term.prompt();
    expect(await run('kubectl get pods')).toEqual({ out: `No resources found in ${nsA} namespace.\n`, code: 0 });
    expect(await run('kubectl auth can-i create deployments')).toEqual({ out: 'yes\n', code: 0 });
  });

  it('deletes the room namespaces by label when the room ends, closes the terminals, and the token stops working', async () => {
    const kubeconfig = (await run('echo "$KUBECONFIG"')).out.trim();
    const saved = join(dataDir, 'saved.kubeconfig');
    copyFileSync(kubeconfig, saved);
    await mode.cleanupRoom(ROOM);
    const until = Date.now() + 5000;
    while (term.exited === undefined && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
    expect(term.exited).toBeDefined();
    expect(existsSync(join(dataDir, 'cluster', 'qx7k2m'))).toBe(false);
    const admin = await runKubectl(realKubectl(), join(dataDir, 'admin.kubeconfig'), ['get', 'ns', nsA, nsB]);
    expect(admin.stderr).toBe(`Error from server (NotFound): namespaces "${nsA}" not found\nError from server (NotFound): namespaces "${nsB}" not found\n`);
    const participant = await runKubectl(realKubectl(), saved, ['get', 'pods'], { cacheDir: join(dataDir, 'cache') });
    // kubectl asks for discovery first, with a fresh cache: its last line is the verdict
    expect(participant.code).toBe(1);
    expect(participant.stderr.trim().split('\n').pop()).toBe('error: You must be logged in to the server (the server has asked for the client to provide credentials)');
  });
});
