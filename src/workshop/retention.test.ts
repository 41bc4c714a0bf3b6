/**
 * Retention of closed rooms: an expired or ended room keeps its roster (the CSV after the
 * workshop) and its participants' snapshots for the retention period, then it is removed from
 * state.json and its snapshots are deleted — also when the period passed while the server was down.
 */
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join as pathJoin } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { RoomInfo } from './protocol';
import { api, createRoom, join, participant, startTestServer, tempDataDir, until, within, type SimulatedParticipant } from './testSupport';
import { RETENTION_DAYS } from './workshop';

const DAY = 86_400_000;
const open: SimulatedParticipant[] = [];
const dirs: string[] = [];
afterAll(() => {
  for (const p of open) p.close();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const roomCodesOnDisk = (dataDir: string): string[] => {
  const state = JSON.parse(readFileSync(pathJoin(dataDir, 'state.json'), 'utf8')) as { rooms: { code: string }[] };
  return state.rooms.map((r) => r.code);
};

describe('workshop server: retention of closed rooms', () => {
  it(`keeps an expired room and its snapshots for ${RETENTION_DAYS} days by default, then removes both`, async () => {
    const dataDir = tempDataDir();
    dirs.push(dataDir);
    let clock = Date.parse('2026-12-05T10:00:00Z');
    const server = await startTestServer({ dataDir, now: () => clock });
    try {
      const room = await createRoom(server, { durationMinutes: 60 });
      const answer = await join(server, room.code, 'Архивная');
      const p = participant(server, answer.token);
      open.push(p);
      await within(p.conn.start('resilience'), 15_000, 'ready');
      expect(await p.conn.run('kubectl create namespace kept-for-a-while')).toBe(0);
      const snapshots = pathJoin(dataDir, 'snapshots', answer.participantId);
      await until(() => existsSync(snapshots), 5000, 'a snapshot on disk');

      // expired: closed, but the roster and the snapshots are still there
      clock += 61 * 60_000;
      await until(() => p.client.state === 'closed', 3000, 'closed at expiry');
      clock += RETENTION_DAYS * DAY - 2 * 60_000;
      await new Promise((r) => setTimeout(r, 1500)); // the server's once-a-second sweep ran
      expect((await api(server, 'GET', `/api/rooms/${room.code}/roster.csv`)).status).toBe(200);
      expect(existsSync(snapshots)).toBe(true);
      const kept = await createRoom(server, { durationMinutes: 60 });

      // past the retention period: gone, from the API, from state.json and from the disk
      clock += 2 * 60_000;
      await until(() => !existsSync(snapshots), 3000, 'snapshots deleted');
      const gone = await api<{ error: string }>(server, 'GET', `/api/rooms/${room.code}`, undefined, null);
      expect(gone.status).toBe(404);
      await until(() => !roomCodesOnDisk(dataDir).includes(room.code), 3000, 'state.json without the room');
      // a room still running is untouched
      expect(roomCodesOnDisk(dataDir)).toContain(kept.code);
      expect((await api<RoomInfo>(server, 'GET', `/api/rooms/${kept.code}`, undefined, null)).body.state).toBe('ready');
    } finally {
      await server.close();
    }
  }, 30_000);

  it('removes an ended room whose retention period passed while the server was down (--retention-days)', async () => {
    const dataDir = tempDataDir();
    dirs.push(dataDir);
    let clock = Date.parse('2026-12-05T10:00:00Z');
    const first = await startTestServer({ dataDir, now: () => clock, retentionDays: 1 });
    const room = await createRoom(first, { durationMinutes: 60 * 24 * 7 });
    expect((await api(first, 'POST', `/api/rooms/${room.code}/end`)).status).toBe(200);
    await first.close();
    expect(roomCodesOnDisk(dataDir)).toContain(room.code);

    // ended 20 hours ago: still kept; 25 hours: removed at start (the room's own end time is days away)
    clock += 20 * 3_600_000;
    const second = await startTestServer({ dataDir, now: () => clock, retentionDays: 1 });
    await new Promise((r) => setTimeout(r, 1200));
    expect((await api<RoomInfo>(second, 'GET', `/api/rooms/${room.code}`, undefined, null)).body.state).toBe('ended');
    clock += 5 * 3_600_000;
    await until(() => !roomCodesOnDisk(dataDir).includes(room.code), 3000, 'state.json without the room');
    expect((await api(second, 'GET', `/api/rooms/${room.code}`, undefined, null)).status).toBe(404);
    await second.close();
  }, 30_000);
});
