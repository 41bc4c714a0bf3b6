/**
 * Node-only helpers for the workshop's tests and its benchmark: a server on 127.0.0.1:0 with a
 * fresh data directory, rooms made over the real HTTP API, and simulated participants — the
 * real ParticipantClient over the `ws` package, with a SandboxConnection on its transport, as
 * the room page has.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join as pathJoin, resolve } from 'node:path';
import WebSocket from 'ws';
import { SandboxConnection } from '../terminal/connection';
import { ParticipantClient, participantSocketUrl, type ParticipantClientEvents, type WebSocketConstructor } from './client';
import type { JoinAnswer, RoomInfo } from './protocol';
import { startWorkshopServer, type WorkshopServer, type WorkshopServerOptions } from './server';

const ROOT = resolve(__dirname, '../..');

export function tempDataDir(): string {
  return mkdtempSync(pathJoin(tmpdir(), 'workshop-test-'));
}

/** A server on 127.0.0.1:0; a data directory it made itself is removed when it closes. */
export async function startTestServer(opts: Partial<WorkshopServerOptions> = {}): Promise<WorkshopServer> {
  const own = opts.dataDir === undefined ? tempDataDir() : undefined;
  const server = await startWorkshopServer({
    port: 0,
    host: '127.0.0.1',
    dataDir: opts.dataDir ?? own!,
    examplesDir: pathJoin(ROOT, 'examples'),
    samplesDir: pathJoin(ROOT, 'samples'),
    threads: 1,
    instructorKey: 'test-instructor-key',
    ...opts,
  });
  if (!own) return server;
  return { ...server, close: () => server.close().finally(() => rmSync(own, { recursive: true, force: true })) };
}

export async function api<T = unknown>(server: WorkshopServer, method: string, path: string, body?: unknown, key: string | null = server.instructorKey): Promise<{ status: number; body: T }> {
  const res = await fetch(server.url + path, {
    method,
    headers: { 'content-type': 'application/json', ...(key !== null && { authorization: `Bearer ${key}` }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    /* CSV */
  }
  return { status: res.status, body: parsed as T };
}

export async function createRoom(server: WorkshopServer, over: Partial<{ title: string; lessons: string[]; capacity: number; durationMinutes: number }> = {}): Promise<RoomInfo> {
  const r = await api<RoomInfo>(server, 'POST', '/api/rooms', { title: 'Тест', lessons: ['practice/resilience'], capacity: 10, durationMinutes: 60, ...over });
  if (r.status !== 201) throw new Error(`create room: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body;
}

export async function join(server: WorkshopServer, code: string, name: string): Promise<JoinAnswer> {
  const r = await api<JoinAnswer>(server, 'POST', `/api/rooms/${code}/join`, { name }, null);
  if (r.status !== 201) throw new Error(`join: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body;
}

/** `ws` with an Origin header, as a browser page of that origin sends it. */
export function wsWithOrigin(origin: string | undefined): WebSocketConstructor {
  return class extends WebSocket {
    constructor(url: string) {
      super(url, origin === undefined ? {} : { origin });
    }
  } as unknown as WebSocketConstructor;
}

export interface SimulatedParticipant {
  client: ParticipantClient;
  conn: SandboxConnection;
  output: () => string;
  clearOutput: () => void;
  errors: string[];
  frames: { type: string; code?: string; text?: string; room?: RoomInfo }[];
  close(): void;
}

export function participant(server: WorkshopServer, token: string, opts: { origin?: string; heartbeatMs?: number; events?: ParticipantClientEvents } = {}): SimulatedParticipant {
  let text = '';
  const errors: string[] = [];
  const frames: SimulatedParticipant['frames'] = [];
  const client = new ParticipantClient({
    url: participantSocketUrl(server.url, token),
    WebSocket: wsWithOrigin(opts.origin ?? server.url),
    backoffMs: 20,
    maxBackoffMs: 200,
    heartbeatMs: opts.heartbeatMs,
    events: {
      ...opts.events,
      error: (code, message) => {
        frames.push({ type: 'error', code });
        errors.push(message);
        opts.events?.error?.(code, message);
      },
      broadcast: (t) => frames.push({ type: 'broadcast', text: t }),
      room: (room) => frames.push({ type: 'room', room }),
      reset: () => frames.push({ type: 'reset' }),
    },
  });
  const conn = new SandboxConnection(client.transport(), { output: (d) => (text += d), error: (m) => errors.push(m) });
  client.connect();
  return { client, conn, output: () => text, clearOutput: () => (text = ''), errors, frames, close: () => client.close() };
}

/** Waits for `cond`, polling, at most `ms`. */
export function until(cond: () => boolean, ms = 5000, what = 'condition'): Promise<void> {
  const end = Date.now() + ms;
  return new Promise((resolve, reject) => {
    const tick = (): void => {
      if (cond()) resolve();
      else if (Date.now() > end) reject(new Error(`timed out waiting for ${what}`));
      else setTimeout(tick, 5);
    };
    tick();
  });
}

/** A promise with a deadline (a test never hangs on a lost answer). */
export function within<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  return Promise.race([p, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`timed out: ${what}`)), ms)))]).finally(() => clearTimeout(timer));
}
