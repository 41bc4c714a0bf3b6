/**
 * A lesson followed on a shared cluster: the resilience lesson's setup and first request, each command line
 * mapped as a cluster room's run buttons map it (../namespaceMap.ts), typed into a participant's
 * PTY running the real kubectl v1.35.2 against the sandbox served over HTTPS. Everything lands in
 * the participant's own namespace; nothing is refused, nothing is made in `shop`.
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

const ROOM = 'LN5S7P';
const EXAMPLES = join(__dirname, '../../../examples');
let served: ServedSandbox;
let mode: ClusterMode;
let dataDir: string;
let ns: string;
let term: PtyDriver;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'workshop-lesson-ns-'));
  served = await serveSandbox(new Sandbox({ seed: 11, clock: new RealClock() }), { token: 'organiser-token', rateLimit: 10_000 });
  const admin = join(dataDir, 'admin.kubeconfig');
  writeFileSync(admin, kubeconfigFor(served.url, 'organiser-token', served.caPem));
  mode = await createClusterMode(admin, { dataDir, kubectl: realKubectl(), examplesDir: EXAMPLES, isolate: false });
  ns = (await mode.provision(ROOM, 'pLesson_1', 'Лена')).namespace;
  term = new PtyDriver(mode, ROOM, 'pLesson_1', ns);
  await term.prompt();
}, 60_000);

afterAll(async () => {
  term?.pty.kill();
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
});
