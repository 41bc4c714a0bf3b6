/**
 * The workshop server's limits and its memory: a restart on the same data directory resumes
 * every participant; oversized frames, floods, a full room, a foreign page's origin, malformed
 * frames and an expired room are refused with Russian messages.
 */
import { existsSync, rmSync } from 'node:fs';
import { join as pathJoin } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { MAX_FRAME_BYTES, type ParticipantServerFrame, type Roster, type RoomInfo } from './protocol';
import type { WorkshopServer } from './server';
import { api, createRoom, join, participant, startTestServer, tempDataDir, until, within, type SimulatedParticipant } from './testSupport';

const open: SimulatedParticipant[] = [];
afterAll(() => {
  for (const p of open) p.close();
});

describe('workshop server: restart', () => {
  it('resumes rooms, tokens, progress and each sandbox from its snapshot', async () => {
    const dataDir = tempDataDir();
    const first = await startTestServer({ dataDir });
    let code: string;
    let token: string;
    let pid: string;
    try {
      code = (await createRoom(first)).code;
      const answer = await join(first, code, 'Постоянная');
      ({ token, participantId: pid } = answer);
      const p = participant(first, token);
      await within(p.conn.start('resilience'), 15_000, 'ready');
      p.client.progress('practice/resilience', 'retries', ['setup']);
      expect(await p.conn.run('kubectl create namespace survives-restart')).toBe(0);
      await until(() => existsSync(pathJoin(dataDir, 'snapshots', pid, 'resilience.json')), 5000, 'snapshot on disk');
      // within SNAPSHOT_EVERY_MS of that save: this one is saved by the shutdown's flush
      expect(await p.conn.run('kubectl create namespace saved-at-shutdown')).toBe(0);
      p.close();
    } finally {
      await first.close();
    }

    const second = await startTestServer({ dataDir });
    try {
      expect((await api<RoomInfo>(second, 'GET', `/api/rooms/${code}`, undefined, null)).body).toMatchObject({ code, joined: 1 });
      const roster = (await api<Roster>(second, 'GET', `/api/rooms/${code}/roster`)).body;
      expect(roster.participants[0]).toMatchObject({ id: pid, name: 'Постоянная', step: 'retries', passed: { 'practice/resilience': ['setup'] } });
      let resumed: boolean | undefined;
      const p = participant(second, token, { events: { welcome: (w) => (resumed = w.resumed) } });
      open.push(p);
      // the server brings the participant's lesson back by itself; the page's own start restores it as well
      await within(p.conn.adopt('resilience'), 15_000, 'restored');
      expect(resumed).toBe(true);
      p.clearOutput();
      expect(await within(p.conn.run('kubectl get namespace survives-restart'), 5000, 'get')).toBe(0);
      expect(p.output()).toMatch(/^survives-restart\s+Active/m);
      expect(await within(p.conn.run('kubectl get namespace saved-at-shutdown'), 5000, 'get')).toBe(0);
    } finally {
      await second.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 60_000);
});

describe('workshop server: limits', () => {
  let server: WorkshopServer;
  let clock = Date.parse('2026-12-05T10:00:00Z');
  beforeAll(async () => {
    server = await startTestServer({ now: () => clock });
  }, 30_000);
  afterAll(() => server.close());

  function raw(token: string, origin = server.url): Promise<{ ws: WebSocket; frames: ParticipantServerFrame[] }> {
    const ws = new WebSocket(`${server.url.replace('http', 'ws')}/ws/participant?token=${encodeURIComponent(token)}`, { origin });
    const frames: ParticipantServerFrame[] = [];
    ws.on('message', (d) => frames.push(JSON.parse(String(d)) as ParticipantServerFrame));
    ws.on('error', () => undefined);
    return new Promise((resolve) => ws.on('open', () => resolve({ ws, frames })));
  }
  const errorCodes = (frames: ParticipantServerFrame[]): string[] => frames.flatMap((f) => (f.type === 'error' ? [f.code] : []));

  it('refuses an oversized frame, a flood and a malformed frame, and keeps the socket', async () => {
    const room = await createRoom(server);
    const { token } = await join(server, room.code, 'Шумный');
    const { ws, frames } = await raw(token);
    ws.send(JSON.stringify({ type: 'hello', version: 1, lastSeq: 0 }));
    await until(() => frames.some((f) => f.type === 'welcome'), 3000, 'welcome');
    ws.send(JSON.stringify({ type: 'terminal', msg: { type: 'run', line: 'x'.repeat(MAX_FRAME_BYTES + 10) } }));
    await until(() => errorCodes(frames).includes('too-large'), 3000, 'too-large');
    ws.send('{"type":"terminal","msg":{"type":"run"}}');
    ws.send('not json');
    await until(() => errorCodes(frames).filter((c) => c === 'bad-frame').length === 2, 3000, 'bad-frame');
    for (let i = 0; i < 300; i++) ws.send('{"type":"ping"}');
    await until(() => errorCodes(frames).includes('rate'), 3000, 'rate');
    expect(frames.find((f) => f.type === 'error' && f.code === 'rate')).toMatchObject({ message: 'Слишком много сообщений подряд: сервер пропустил часть из них. Подождите секунду и повторите.' });
    const pongs = frames.filter((f) => f.type === 'pong').length;
    expect(pongs).toBeGreaterThan(0);
    expect(pongs).toBeLessThan(300);
    expect(ws.readyState).toBe(WebSocket.OPEN);
    ws.close();
  });

  it('refuses a foreign origin, and a participant beyond the capacity', async () => {
    const room = await createRoom(server, { capacity: 1 });
    const { token } = await join(server, room.code, 'Первый');
    const full = await api<{ error: string }>(server, 'POST', `/api/rooms/${room.code}/join`, { name: 'Второй' }, null);
    expect(full).toEqual({ status: 409, body: { error: 'В комнате нет свободных мест.' } });
    const evil = participant(server, token, { origin: 'https://evil.example' });
    open.push(evil);
    await until(() => evil.frames.some((f) => f.code === 'origin'), 3000, 'origin refusal');
    expect(evil.errors[0]).toBe('Подключение с чужого сайта отклонено: откройте комнату по ссылке ведущего.');
    expect(evil.client.state).toBe('closed');
    const named = await api<{ error: string }>(server, 'POST', `/api/rooms/${room.code}/join`, { name: '   ' }, null);
    expect(named.status).toBe(400);
    expect((await api(server, 'POST', '/api/rooms/NOPE42/join', { name: 'x' }, null)).status).toBe(404);
  });

  it('closes an expired room: no joins, sockets told and closed, state "expired"', async () => {
    const room = await createRoom(server, { durationMinutes: 30 });
    const { token } = await join(server, room.code, 'Опоздавший');
    const p = participant(server, token);
    open.push(p);
    await until(() => p.client.state === 'open', 3000, 'open');
    clock += 31 * 60_000;
    await until(() => p.frames.some((f) => f.code === 'expired'), 3000, 'expiry');
    expect(p.client.state).toBe('closed');
    expect((await api<RoomInfo>(server, 'GET', `/api/rooms/${room.code}`, undefined, null)).body.state).toBe('expired');
    const late = await api<{ error: string }>(server, 'POST', `/api/rooms/${room.code}/join`, { name: 'Ещё один' }, null);
    expect(late.status).toBe(410);
    const again = await raw(token);
    await until(() => errorCodes(again.frames).includes('expired'), 3000, 'refused on connect');
  });

  it('ends a room on the instructor\'s request', async () => {
    const room = await createRoom(server);
    const { token } = await join(server, room.code, 'До конца');
    const p = participant(server, token);
    open.push(p);
    await until(() => p.client.state === 'open', 3000, 'open');
    expect((await api(server, 'POST', `/api/rooms/${room.code}/end`, {}, 'wrong')).status).toBe(401);
    const ended = await api<RoomInfo>(server, 'POST', `/api/rooms/${room.code}/end`, {});
    expect(ended.body.state).toBe('ended');
    await until(() => p.client.state === 'closed', 3000, 'closed');
    expect(p.frames.some((f) => f.type === 'room' && f.room?.state === 'ended')).toBe(true);
  });
});

describe('workshop server: heartbeat', () => {
  it('drops a socket silent for three intervals; a pinging client stays connected', async () => {
    const server = await startTestServer({ heartbeatMs: 100 });
    try {
      const room = await createRoom(server);
      const { token } = await join(server, room.code, 'Молчун');
      const ws = new WebSocket(`${server.url.replace('http', 'ws')}/ws/participant?token=${encodeURIComponent(token)}`, { origin: server.url });
      ws.on('error', () => undefined);
      await new Promise((r) => ws.on('open', r));
      ws.send(JSON.stringify({ type: 'hello', version: 1, lastSeq: 0 }));
      const closed = new Promise<void>((r) => ws.on('close', () => r()));
      const t0 = Date.now();
      await within(closed, 3000, 'silent socket dropped');
      expect(Date.now() - t0).toBeGreaterThanOrEqual(300);
      const { token: t2 } = await join(server, room.code, 'Болтун');
      let opened = false;
      let drops = 0;
      const talker = participant(server, t2, {
        heartbeatMs: 100,
        events: {
          state: (st) => {
            if (st === 'open') opened = true;
            else if (opened) drops++;
          },
        },
      });
      open.push(talker);
      await until(() => opened, 3000, 'open');
      await new Promise((r) => setTimeout(r, 800));
      expect(drops).toBe(0);
      talker.close();
    } finally {
      await server.close();
    }
  });
});
