/**
 * The participant client against a bare `ws` server that speaks just enough of the protocol to
 * show the client's own duties: hello with lastSeq after every reconnect, duplicates dropped,
 * frames queued while disconnected sent after the welcome, terminal messages through the Transport.
 * The whole server is exercised in server.test.ts.
 */
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket, { WebSocketServer } from 'ws';
import { ParticipantClient, type WebSocketConstructor } from './client';
import type { ParticipantClientFrame, ParticipantServerFrame } from './protocol';
import type { ServerMessage } from '../terminal/protocol';

const room = { code: 'ABC123', title: 't', lessons: [], capacity: 5, joined: 1, state: 'ready' as const, mode: 'sandbox' as const, endsAt: 0 };

function until(cond: () => boolean, ms = 3000): Promise<void> {
  const end = Date.now() + ms;
  return new Promise((resolve, reject) => {
    const tick = (): void => {
      if (cond()) resolve();
      else if (Date.now() > end) reject(new Error('timed out'));
      else setTimeout(tick, 5);
    };
    tick();
  });
}

let wss: WebSocketServer | undefined;
function listen(): Promise<{ server: WebSocketServer; port: number }> {
  const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  wss = server;
  return new Promise((resolve) => server.on('listening', () => resolve({ server, port: (server.address() as { port: number }).port })));
}
afterEach(async () => {
  for (const c of wss?.clients ?? []) c.terminate();
  await new Promise<void>((r) => (wss ? wss.close(() => r()) : r()));
  wss = undefined;
});

describe('ParticipantClient', () => {
  it('presents lastSeq on reconnect, drops duplicates, sends queued frames after the welcome', async () => {
    const hellos: number[] = [];
    const received: ParticipantClientFrame[] = [];
    const sent: ParticipantServerFrame[] = [];
    let seq = 0;
    const { server, port } = await listen();
    server.on('connection', (ws) => {
      ws.on('message', (raw) => {
        const f = JSON.parse(String(raw)) as ParticipantClientFrame;
        received.push(f);
        if (f.type === 'hello') {
          hellos.push(f.lastSeq);
          ws.send(JSON.stringify({ type: 'welcome', participantId: 'p1', name: 'Аня', room, resumed: hellos.length > 1 }));
          // replay everything, including what the client already has: it must drop those
          for (const s of sent) ws.send(JSON.stringify(s));
        }
        if (f.type === 'terminal' && f.msg.type === 'run') {
          const frame: ParticipantServerFrame = { type: 'terminal', seq: ++seq, msg: { type: 'output', stream: 'stdout', data: `${f.msg.line}\n` } };
          sent.push(frame);
          ws.send(JSON.stringify(frame));
        }
      });
    });
    const out: string[] = [];
    const client = new ParticipantClient({ url: `ws://127.0.0.1:${port}/ws/participant?token=x`, WebSocket: WebSocket as unknown as WebSocketConstructor, backoffMs: 10 });
    client.transport().listen((m: ServerMessage) => {
      if (m.type === 'output') out.push(m.data);
    });
    client.transport().send({ type: 'run', line: 'one' }); // before the socket exists: queued
    client.connect();
    await until(() => out.length === 1);
    client.dropConnection();
    client.transport().send({ type: 'run', line: 'two' }); // while reconnecting: queued
    await until(() => out.length === 2);
    expect(out).toEqual(['one\n', 'two\n']);
    expect(hellos).toEqual([0, 1]);
    expect(client.lastSeq).toBe(2);
    expect(received.filter((f) => f.type === 'terminal')).toHaveLength(2);
    client.close();
  });

  it('stops reconnecting after a refused token and reports the Russian message', async () => {
    let connections = 0;
    const { server, port } = await listen();
    server.on('connection', (ws) => {
      connections++;
      ws.send(JSON.stringify({ type: 'error', code: 'token', message: 'Ссылка на комнату недействительна.' }));
      ws.close();
    });
    const errors: string[] = [];
    const client = new ParticipantClient({ url: `ws://127.0.0.1:${port}/`, WebSocket: WebSocket as unknown as WebSocketConstructor, backoffMs: 5, events: { error: (_c, m) => errors.push(m) } });
    client.connect();
    await until(() => errors.length === 1);
    await new Promise((r) => setTimeout(r, 100));
    expect(connections).toBe(1);
    expect(client.state).toBe('closed');
    expect(errors[0]).toMatch(/недействительна/);
  });
});
