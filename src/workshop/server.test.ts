/**
 * The workshop server with simulated participants over real WebSockets on 127.0.0.1:
 * each participant reaches only its own sandbox, a busy participant does not stall the others,
 * a dropped socket loses no output, a takeover closes the older socket.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signToken } from './tokens';
import { createRoom, join, participant, startTestServer, until, within, type SimulatedParticipant } from './testSupport';
import type { WorkshopServer } from './server';

let server: WorkshopServer;
const open: SimulatedParticipant[] = [];

beforeAll(async () => {
  server = await startTestServer({ threads: 2 });
  await within(server.workshop.pool.ready, 20_000, 'pool ready');
}, 30_000);

afterAll(async () => {
  for (const p of open) p.close();
  await server.close();
});

async function joined(code: string, name: string): Promise<SimulatedParticipant & { id: string; token: string }> {
  const answer = await join(server, code, name);
  const p = participant(server, answer.token);
  open.push(p);
  await within(p.conn.start('resilience'), 15_000, `${name} ready`);
  return Object.assign(p, { id: answer.participantId, token: answer.token });
}

describe('workshop server: participants', () => {
  it('gives each participant its own sandbox and refuses a forged or altered token', async () => {
    const room = await createRoom(server);
    const a = await joined(room.code, 'Аня');
    const b = await joined(room.code, 'Борис');
    expect(await within(a.conn.run('kubectl create namespace only-anya'), 5000, 'create')).toBe(0);
    expect(a.output()).toContain('namespace/only-anya created');
    b.clearOutput();
    expect(await within(b.conn.run('kubectl get namespace only-anya'), 5000, 'get')).toBe(1);
    expect(b.output()).toContain('Error from server (NotFound): namespaces "only-anya" not found');

    // Аня's payload with Борис's id, still signed by Аня's MAC: refused
    const [payload, mac] = a.token.split('.');
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as { r: string; p: string };
    const altered = `${Buffer.from(JSON.stringify({ ...claims, p: b.id })).toString('base64url')}.${mac}`;
    // a token signed with another secret: refused
    const forged = signToken(Buffer.from('another-secret'), { r: room.code, p: b.id });
    for (const token of [altered, forged, 'garbage']) {
      const evil = participant(server, token);
      open.push(evil);
      await until(() => evil.frames.some((f) => f.code === 'token'), 3000, 'token refusal');
      expect(evil.errors[0]).toMatch(/недействительна/);
      expect(evil.client.state).toBe('closed');
    }
    // Борис's sandbox is untouched
    b.clearOutput();
    await b.conn.run('kubectl get namespace only-anya');
    expect(b.output()).toContain('NotFound');
  }, 30_000);

  it("answers another participant while one runs an endless loop, and Ctrl-C stops the loop", async () => {
    const room = await createRoom(server);
    const a = await joined(room.code, 'Цикл');
    const b = await joined(room.code, 'Соседка');
    const loop = a.conn.run('while true; do :; done');
    await new Promise((r) => setTimeout(r, 50));
    b.clearOutput();
    const started = Date.now();
    expect(await within(b.conn.run('kubectl get pods -n istio-system'), 5000, 'neighbour answers')).toBe(0);
    expect(b.output()).toMatch(/istiod-\S+\s+1\/1\s+Running/);
    expect(Date.now() - started).toBeLessThan(3000);
    expect(a.conn.busy).toBe(true); // the loop still runs
    a.conn.interrupt();
    const code = await within(loop, 5000, 'loop stops');
    expect([0, 1, 130]).toContain(code);
    expect(server.workshop.pool.spread().every((n) => n > 0)).toBe(true);
  }, 30_000);

  it('replays what a dropped socket missed: the output equals an uninterrupted run', async () => {
    const room = await createRoom(server);
    const line = 'for i in $(seq 1 60); do echo "line $i"; sleep 0.01; done';
    const steady = await joined(room.code, 'Ровный');
    await within(steady.conn.run(line), 10_000, 'steady run');
    const shaky = await joined(room.code, 'Шаткий');
    let dropped = 0;
    const run = shaky.conn.run(line);
    await until(() => shaky.output().includes('line 5'), 5000, 'some output');
    shaky.client.dropConnection();
    dropped++;
    await until(() => shaky.output().includes('line 30'), 5000, 'output after reconnect');
    shaky.client.dropConnection();
    dropped++;
    expect(await within(run, 10_000, 'shaky run')).toBe(0);
    expect(dropped).toBe(2);
    expect(shaky.output()).toBe(steady.output());
    expect(shaky.output().match(/^line \d+$/gm)).toHaveLength(60);
  }, 30_000);

  it('a second socket with the same token takes over; the first page stops', async () => {
    const room = await createRoom(server);
    const answer = await join(server, room.code, 'Два окна');
    let takenOver = false;
    const first = participant(server, answer.token, { events: { takenOver: () => (takenOver = true) } });
    open.push(first);
    await within(first.conn.start('resilience'), 15_000, 'first ready');
    const second = participant(server, answer.token);
    open.push(second);
    await until(() => takenOver, 3000, 'take over');
    expect(first.client.state).toBe('closed');
    expect(await within(second.conn.run('echo hi'), 5000, 'second runs')).toBe(0);
    expect(second.output()).toContain('hi');
  }, 30_000);
});
