/**
 * The instructor's side of a room: the roster (progress from the page and from the sandbox's
 * checks and exit codes, stuck participants), the CSV export, broadcast, follow-me, reset and
 * the read-only mirror — over the real HTTP API and sockets.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { InstructorServerFrame, Roster, RoomInfo } from './protocol';
import { mirrorText, type MirrorFrame } from './mirrorText';
import type { WorkshopServer } from './server';
import { api, createRoom, join, participant, startTestServer, until, within, type SimulatedParticipant } from './testSupport';

let server: WorkshopServer;
let clock = Date.parse('2026-12-05T10:00:00Z');
const open: SimulatedParticipant[] = [];
const sockets: WebSocket[] = [];

beforeAll(async () => {
  server = await startTestServer({ now: () => clock, stuckMinutes: 5 });
  await within(server.workshop.pool.ready, 20_000, 'pool ready');
}, 30_000);

afterAll(async () => {
  for (const p of open) p.close();
  for (const s of sockets) s.terminate();
  await server.close();
});

async function joined(code: string, name: string): Promise<SimulatedParticipant & { id: string }> {
  const answer = await join(server, code, name);
  const p = participant(server, answer.token);
  open.push(p);
  await within(p.conn.start('resilience'), 15_000, `${name} ready`);
  return Object.assign(p, { id: answer.participantId });
}

function instructorSocket(code: string, key: string): { ws: WebSocket; frames: InstructorServerFrame[]; send(f: unknown): void } {
  const ws = new WebSocket(`${server.url.replace('http', 'ws')}/ws/instructor?room=${code}`, { origin: server.url });
  sockets.push(ws);
  const frames: InstructorServerFrame[] = [];
  ws.on('message', (d) => frames.push(JSON.parse(String(d)) as InstructorServerFrame));
  ws.on('open', () => ws.send(JSON.stringify({ type: 'instructor-hello', key, version: 1 })));
  return { ws, frames, send: (f) => ws.send(JSON.stringify(f)) };
}

const lastRoster = (frames: InstructorServerFrame[]): Roster | undefined => frames.filter((f): f is Extract<InstructorServerFrame, { type: 'roster' }> => f.type === 'roster').at(-1)?.roster;

describe('workshop server: instructor', () => {
  it('needs the key for the roster, over HTTP and on the socket', async () => {
    const room = await createRoom(server);
    expect((await api(server, 'GET', `/api/rooms/${room.code}/roster`, undefined, 'wrong')).status).toBe(401);
    expect((await api(server, 'GET', `/api/rooms/${room.code}/roster`, undefined, null)).status).toBe(401);
    expect((await api(server, 'POST', '/api/rooms', { title: 'x', lessons: [], capacity: 1, durationMinutes: 1 }, 'wrong')).body).toEqual({ error: 'Нужен ключ ведущего: заголовок Authorization: Bearer <ключ>.' });
    const bad = instructorSocket(room.code, 'wrong');
    await until(() => bad.frames.length > 0, 3000, 'refusal');
    expect(bad.frames[0]).toMatchObject({ type: 'error', code: 'key', message: 'Неверный ключ ведущего.' });
    const good = instructorSocket(room.code, server.instructorKey);
    await until(() => lastRoster(good.frames) !== undefined, 3000, 'roster');
    expect(lastRoster(good.frames)!.room.code).toBe(room.code);
  });

  it('tracks progress from the page and the sandbox, marks the stuck, exports CSV', async () => {
    const room = await createRoom(server);
    const a = await joined(room.code, 'Иванов, "Ваня"');
    const b = await joined(room.code, '=HYPERLINK("x")');
    const watch = instructorSocket(room.code, server.instructorKey);
    a.client.progress('practice/resilience', 'retries', ['setup']);
    // a passing check while the page says it is on "retries": that step is passed
    const results = await within(a.conn.check([{ command: 'kubectl get ns istio-system', missing: 'istio-system' }]), 5000, 'check');
    expect(results[0].ok).toBe(true);
    for (let i = 0; i < 3; i++) await b.conn.run('kubectl get pod no-such-pod');
    await until(() => lastRoster(watch.frames)?.participants.find((p) => p.id === b.id)?.recentErrors === 3, 3000, 'errors in roster');
    const roster = lastRoster(watch.frames)!;
    const ra = roster.participants.find((p) => p.id === a.id)!;
    const rb = roster.participants.find((p) => p.id === b.id)!;
    expect(ra).toMatchObject({ name: 'Иванов, "Ваня"', connected: true, lesson: 'practice/resilience', step: 'retries', passed: { 'practice/resilience': ['setup', 'retries'] }, stuck: false });
    expect(rb).toMatchObject({ recentErrors: 3, stuck: true });

    clock += 6 * 60_000; // six quiet minutes: no progress for longer than the threshold
    const http = await api<Roster>(server, 'GET', `/api/rooms/${room.code}/roster`);
    expect(http.body.participants.find((p) => p.id === a.id)!.stuck).toBe(true);
    // errors older than five minutes no longer count
    expect(http.body.participants.find((p) => p.id === b.id)!.recentErrors).toBe(0);

    const csv = await fetch(`${server.url}/api/rooms/${room.code}/roster.csv`, { headers: { authorization: `Bearer ${server.instructorKey}` } });
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    const lines = (await csv.text()).replace(/^\ufeff/, '').split('\r\n');
    expect(lines[0]).toBe('name,id,connected,lesson,step,passed_steps,passed,last_progress,recent_errors,stuck');
    expect(lines[1]).toBe(`"Иванов, ""Ваня""",${a.id},true,practice/resilience,retries,2,practice/resilience#setup practice/resilience#retries,${new Date(ra.lastProgressAt).toISOString()},0,true`);
    // a formula is not run by a spreadsheet
    expect(lines[2].startsWith(`"'=HYPERLINK(""x"")",${b.id},`)).toBe(true);
  }, 30_000);

  it('broadcasts, moves the room with follow-me, resets a participant, mirrors a terminal', async () => {
    const room = await createRoom(server);
    const a = await joined(room.code, 'Аня');
    const b = await joined(room.code, 'Борис');
    const inst = instructorSocket(room.code, server.instructorKey);
    await until(() => lastRoster(inst.frames) !== undefined, 3000, 'roster');

    inst.send({ type: 'broadcast', text: 'Перерыв 10 минут' });
    expect((await api(server, 'POST', `/api/rooms/${room.code}/broadcast`, { text: 'Продолжаем' })).status).toBe(200);
    for (const p of [a, b]) await until(() => p.frames.filter((f) => f.type === 'broadcast').length === 2, 3000, 'broadcasts');
    expect(a.frames.filter((f) => f.type === 'broadcast').map((f) => f.text)).toEqual(['Перерыв 10 минут', 'Продолжаем']);

    inst.send({ type: 'follow', target: { lesson: 'practice/resilience', step: 'retries', heading: 'Шаг 2. Повторы' } });
    await until(() => b.frames.some((f) => f.type === 'room' && f.room?.follow?.step === 'retries'), 3000, 'follow');
    expect((await api<RoomInfo>(server, 'GET', `/api/rooms/${room.code}`, undefined, null)).body.follow).toEqual({ lesson: 'practice/resilience', step: 'retries', heading: 'Шаг 2. Повторы' });

    // the mirror: the recent screen first, then live — the lines Аня ran as well as their output, as her screen shows them
    await a.conn.run('echo before-$((6*7))');
    inst.send({ type: 'mirror', participantId: a.id });
    const mirrored = (): string =>
      inst.frames
        .filter((f): f is MirrorFrame => (f.type === 'mirror-frame' || f.type === 'mirror-input') && f.participantId === a.id)
        .map(mirrorText)
        .join('');
    await until(() => mirrored().includes('before-42'), 3000, 'mirror replay');
    expect(mirrored()).toContain('echo before-$((6*7))\r\nbefore-42');
    await a.conn.run('echo live-$((6*7))');
    await until(() => mirrored().includes('live-42'), 3000, 'mirror live');
    expect(mirrored()).toMatch(/\$ echo live-\$\(\(6\*7\)\)\r\nlive-42/);
    expect(mirrored()).not.toContain('Борис');
    inst.send({ type: 'mirror', participantId: 'nobody' });
    await until(() => inst.frames.some((f) => f.type === 'error' && f.code === 'unknown-participant'), 3000, 'unknown participant');

    // reset: a fresh start of the lesson, the namespace Аня made is gone
    await a.conn.run('kubectl create namespace before-reset');
    a.conn.ready = false;
    const ready = a.conn.whenReady();
    inst.send({ type: 'reset', participantId: a.id });
    await until(() => a.frames.some((f) => f.type === 'reset'), 3000, 'reset frame');
    await within(ready, 10_000, 'ready after reset');
    a.clearOutput();
    expect(await a.conn.run('kubectl get namespace before-reset')).toBe(1);
    expect(a.output()).toContain('NotFound');
  }, 30_000);
});
