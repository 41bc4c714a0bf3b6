/**
 * A lesson followed on a shared cluster: the resilience lesson's setup and first request, each command line
 * mapped as a cluster room's run buttons map it (../namespaceMap.ts), typed into a participant's
 * PTY running the real kubectl v1.35.2 against the sandbox served over HTTPS. Everything lands in
 * the participant's own namespace; nothing is refused, nothing is made in `shop`. Then the two
 * lessons with a second namespace of their own, each by a participant of its own: authorization
 * (a client in analytics let in by an AuthorizationPolicy's `namespaces`) and mtls (a client in
 * legacy, outside the mesh, shut out by STRICT), in the participant's further namespaces.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RealClock } from '../../sandbox/core/clock';
import { kubeconfigFor } from '../../sandbox/http/kubeconfig';
import { serveSandbox, type ServedSandbox } from '../../sandbox/http/node';
import { Sandbox } from '../../sandbox/sandbox';
import { splitCommands } from '../../terminal/splitCommands';
import { lessonBashBlocks } from '../../terminal/testSupport';
import { realKubectl } from '../../../tests/conformance/realKubectl';
import type { ClusterMode } from '../clusterMode';
import { mapCommand } from '../namespaceMap';
import { createClusterMode, lessonMapping } from './index';
import { PtyDriver } from './ptyDriver';

/** A further participant of the room, at their prompt. */
async function participant(id: string): Promise<{ ns: string; term: PtyDriver }> {
  const own = (await mode.provision(ROOM, id, id, LESSONS)).namespace;
  const t = new PtyDriver(mode, ROOM, id, own);
  others.push(t);
  await t.prompt();
  return { ns: own, term: t };
}

/** The lesson's bash blocks `blocks`, each line mapped for the participant and typed; the transcript and each line's exit status. */
async function follow(t: PtyDriver, doc: string, lessonDir: string, own: string, blocks: number[]): Promise<{ text: string; runs: { line: string; out: string; code: number }[] }> {
  const mapping = lessonMapping(EXAMPLES, lessonDir, own)!;
  const all = lessonBashBlocks(doc);
  const runs: { line: string; out: string; code: number }[] = [];
  for (const line of blocks.flatMap((b) => splitCommands(all[b]))) {
    const mapped = mapCommand(line, mapping);
    runs.push({ line, ...(await t.run(mapped, 60_000)) });
  }
  return { text: runs.map((r) => `$ ${r.line}\n${r.out}`).join(''), runs };
}

const ROOM = 'LN5S7P';
const EXAMPLES = join(__dirname, '../../../examples');
const LESSONS = ['resilience', 'authorization', 'mtls'];
let served: ServedSandbox;
let mode: ClusterMode;
let dataDir: string;
let ns: string;
let term: PtyDriver;
const others: PtyDriver[] = [];

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'workshop-lesson-ns-'));
  served = await serveSandbox(new Sandbox({ seed: 11, clock: new RealClock() }), { token: 'organiser-token', rateLimit: 10_000 });
  const admin = join(dataDir, 'admin.kubeconfig');
  writeFileSync(admin, kubeconfigFor(served.url, 'organiser-token', served.caPem));
  mode = await createClusterMode(admin, { dataDir, kubectl: realKubectl(), examplesDir: EXAMPLES, isolate: false });
  ns = (await mode.provision(ROOM, 'pLesson_1', 'Лена', LESSONS)).namespace;
  term = new PtyDriver(mode, ROOM, 'pLesson_1', ns);
  await term.prompt();
}, 60_000);

afterAll(async () => {
  term?.pty.kill();
  for (const t of others) t.pty.kill();
  await mode?.cleanupRoom(ROOM);
  await served?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('a lesson on a shared cluster, in the participant’s namespace', () => {
  it('runs the resilience lesson’s first step and its request with the namespace mapped, as the participant', async () => {
    const mapping = lessonMapping(EXAMPLES, 'resilience', ns);
    expect(mapping?.from).toBe('shop');
    // the participant's copy of the lesson's manifests names their namespace
    const home = join(dataDir, 'cluster', ROOM.toLowerCase(), ns, 'home');
    expect(readFileSync(join(home, 'examples/resilience/client.yaml'), 'utf8')).toContain(`namespace: ${ns}`);

    const lines = lessonBashBlocks('docs/practice/resilience.mdx').slice(0, 2).flatMap(splitCommands);
    const transcript: string[] = [];
    for (const line of lines) {
      const mapped = mapCommand(line, mapping!);
      expect(mapped).not.toMatch(/\bshop\b/);
      const r = await term.run(mapped, 60_000);
      transcript.push(`$ ${mapped}\n${r.out}`);
      expect(r.code, transcript.join('')).toBe(0);
    }
    const text = transcript.join('');
    expect(text).not.toMatch(/Forbidden|forbidden|Error/);
    // step 1's answer, from the participant's own inventory
    expect(text).toContain('42 items in stock');
    expect(text).toMatch(new RegExp(`^deployment "inventory" successfully rolled out$`, 'm'));
    const pods = await term.run('kubectl get deployments -o name');
    expect(pods.out.split('\n').filter(Boolean).sort()).toEqual(['deployment.apps/client', 'deployment.apps/fortio', 'deployment.apps/inventory']);
    // nothing was made in the lesson's own namespace: it does not exist
    const theirs = await term.run('kubectl get deployments -n shop 2>&1');
    expect(theirs.out).toMatch(/forbidden/);
  }, 120_000);

  it.concurrent('runs the authorization lesson with its analytics client in the participant’s further namespace: the policy’s namespaces let it read, not write', async () => {
    const { ns: own, term: t } = await participant('pLesson_auth');
    // setup, both clients' first requests, the orders-allow step, the deny-export step
    const { text, runs } = await follow(t, 'docs/practice/authorization.mdx', 'authorization', own, [0, 1, 4, 7]);
    expect(text).not.toMatch(/Forbidden|forbidden|Error|error:/);
    expect(runs[0].out).toMatch(/уже созданы для вас/);
    expect(runs.every((r) => r.code === 0), text).toBe(true);
    expect(text).toMatch(new RegExp(`^deployment "reports" successfully rolled out$`, 'm'));
    const codes = (from: string): string[] => runs.filter((r) => r.line.startsWith('kubectl exec') && r.line.includes(from)).map((r) => r.out.trim().split('\n').pop()!);
    // as docs/practice/authorization.mdx shows: before any policy 200; after orders-allow the analytics
    // client may GET (200) but not POST or read /metrics (403); the export is denied to it (403)
    expect(codes('deploy/reports')).toEqual(['200', '200', '403', '403', '403']);
    expect(codes('deploy/frontend')).toEqual(['200', '200', '200', '200']);
    expect((await t.run(`kubectl get authorizationpolicy orders-allow -n ${own} -o jsonpath='{.spec.rules[1].from[0].source.namespaces[0]}'`)).out).toBe(`${own}-analytics`);
  }, 180_000);

  it.concurrent('runs the mtls lesson with its legacy client outside the mesh in the participant’s further namespace: STRICT shuts it out', async () => {
    const { ns: own, term: t } = await participant('pLesson_mtls');
    const { text, runs } = await follow(t, 'docs/practice/mtls.mdx', 'mtls', own, [0, 1, 4]);
    expect(text).not.toMatch(/Forbidden|forbidden|Error from server/);
    // legacy's pod has no sidecar (istio-injection=disabled, as examples/mtls/namespaces.yaml says)
    const legacyPods = runs.find((r) => r.line === 'kubectl get pods -n legacy')!.out;
    expect(legacyPods).toMatch(/^client-\S+ +1\/1 +Running /m);
    expect(runs.find((r) => r.line === 'kubectl get pods -n bank')!.out).toMatch(/^ledger-\S+ +3\/3 +Running /m);
    const calls = runs.filter((r) => r.line.startsWith('kubectl exec'));
    expect(calls.map((r) => r.out.trim())).toEqual(['200', '200', 'curl: (56) Recv failure: Connection reset by peer\ncommand terminated with exit code 56']);
  }, 180_000);
});
