import { describe, expect, it } from 'vitest';
import { readExamples as readDir, SAMPLES_DIR } from '../sandbox/testing';
import { shiftSnapshot, shiftTimesInText } from '../sandbox/snapshotTime';
import { InProcessTransport, SandboxConnection } from './connection';
import { prepareStartState, SandboxHost, type HostOptions } from './host';
import { SCENARIOS } from './scenarios';
import { isStartStateFor, START_STATE_EPOCH, startStateKey, type StartState } from './startState';
import { readExamples } from './testSupport';

const examples = readExamples();
const samples = readDir(SAMPLES_DIR, /\.(ya?ml|md)$/);
/** The learner opens the terminal long after the build (a whole second: see shiftSnapshot). */
const OPENED = START_STATE_EPOCH + 400 * 86_400_000 + 3_723_000;

/** A terminal's host on a fixed wall clock, with the build's start states or without. */
function open(startState?: HostOptions['startState']): { conn: SandboxConnection; host: () => SandboxHost; output: () => string } {
  let host: SandboxHost | undefined;
  let text = '';
  const transport = new InProcessTransport((post) => (host = new SandboxHost({ examples, samples, flushMs: 0, virtualTime: true, wall: () => OPENED, post, startState })));
  const conn = new SandboxConnection(transport, { output: (d) => (text += d) });
  return { conn, host: () => host!, output: () => text };
}

/** The sandbox's whole state as stored (JSON: an absent field and an undefined one are the same). */
const snapshotOf = (h: SandboxHost): unknown => JSON.parse(JSON.stringify((h as unknown as { sandbox: { snapshot(o: { maxLogLines: number }): unknown } }).sandbox.snapshot({ maxLogLines: Infinity })));

/** Each distinct setup of the course once, with a scenario that uses it. */
const setups = [...new Map(Object.values(SCENARIOS).filter((s) => s.setup.length).map((s) => [startStateKey(s.setup), s])).values()];

describe('start states prepared at build time', () => {
  it.each(setups.map((s) => [s.id, s] as const))('%s: the restored start state is the state its setup builds', async (_id, scenario) => {
    const prepared = await prepareStartState(scenario.setup, { examples, samples, wall: () => START_STATE_EPOCH });
    // through JSON, as the build writes it
    const file: StartState = JSON.parse(JSON.stringify(prepared));
    const loaded: string[] = [];
    const restored = open(async (key) => (loaded.push(key), key === startStateKey(scenario.setup) ? file : undefined));
    await restored.conn.start(scenario.id);
    expect(loaded).toEqual([startStateKey(scenario.setup)]);
    const replayed = open();
    await replayed.conn.start(scenario.id);
    expect(snapshotOf(restored.host())).toEqual(snapshotOf(replayed.host()));
    // what the learner sees: the same pods, ages counted from the terminal's start, not from the build
    const pods = 'kubectl get pods -A';
    expect(await restored.conn.run(pods)).toBe(0);
    expect(await replayed.conn.run(pods)).toBe(0);
    expect(restored.output()).toBe(replayed.output());
    // no AGE (the last column) in days
    expect(restored.output()).not.toMatch(/\s\d+d(\d+h)?$/m);
  });

  it('a start state for another setup or seed is not used, and the setup runs', async () => {
    const scenario = SCENARIOS.egress; // its setup ends with the traffic-split lesson's service-c
    const other = await prepareStartState(['istioctl install -y'], { examples, samples, wall: () => START_STATE_EPOCH });
    expect(isStartStateFor(other, scenario.setup, 1)).toBe(false);
    const t = open(async () => JSON.parse(JSON.stringify(other)));
    await t.conn.start(scenario.id);
    expect(await t.conn.run('kubectl get deploy -n demo service-c -o name')).toBe(0);
    expect(t.output()).toContain('deployment.apps/service-c');
  });

  it('a damaged start state falls back to the setup', async () => {
    const scenario = SCENARIOS['service-a-service-b'];
    const prepared = await prepareStartState(scenario.setup, { examples, samples, wall: () => START_STATE_EPOCH });
    const broken = { ...prepared, snapshot: { ...prepared.snapshot, cluster: { ...prepared.snapshot.cluster, api: 'oops' } } };
    const t = open(async () => broken);
    await t.conn.start(scenario.id);
    expect(await t.conn.run('kubectl get pods -n demo')).toBe(0);
    expect(t.output()).toMatch(/service-a-\S+\s+2\/2\s+Running/);
  });
});

describe('shiftSnapshot', () => {
  it('moves RFC 3339 times in text by whole seconds and keeps their precision', () => {
    expect(shiftTimesInText('2026-01-01T00:00:22.000000Z\tinfo\tEnvoy proxy is ready', 86_400_000)).toBe('2026-01-02T00:00:22.000000Z\tinfo\tEnvoy proxy is ready');
    expect(shiftTimesInText('[2026-12-31T23:59:59.123Z] "GET / HTTP/1.1" 200', 2_000)).toBe('[2027-01-01T00:00:01.123Z] "GET / HTTP/1.1" 200');
    expect(shiftTimesInText('created 2026-01-01T00:00:00Z', 61_000)).toBe('created 2026-01-01T00:01:01Z');
    expect(shiftTimesInText('image: kindest/kindnetd:v20250512-df8de77b', 61_000)).toBe('image: kindest/kindnetd:v20250512-df8de77b');
  });

  it('refuses a move by part of a second', async () => {
    const prepared = await prepareStartState([], { examples: {}, wall: () => START_STATE_EPOCH });
    expect(() => shiftSnapshot(prepared.snapshot, 1_500)).toThrow(/whole seconds/);
  });
});
