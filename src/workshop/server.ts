/**
 * The workshop server: the built site, the rooms' HTTP API and the WebSockets of protocol.ts on
 * one port. `npm run workshop` (scripts/workshop.ts) starts it; tests start it on 127.0.0.1:0.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { attachInstructor } from './instructor';
import { isFollowTarget, MAX_BROADCAST } from './frames';
import { HEARTBEAT_MS, MAX_FRAME_BYTES, type CreateRoomRequest } from './protocol';
import { rosterCsv } from './roster';
import { serveStatic } from './static';
import { randomKey, secretEquals } from './tokens';
import { Workshop, WorkshopError, type WorkshopOptions } from './workshop';

export interface WorkshopServerOptions extends WorkshopOptions {
  port: number;
  host?: string;
  /** The built site (build/); absent: only the API and sockets. */
  siteDir?: string;
  instructorKey?: string;
  /** Origins allowed on the sockets besides the server's own (e.g. a reverse proxy's). */
  allowOrigins?: string[];
}

export interface WorkshopServer {
  url: string;
  port: number;
  instructorKey: string;
  workshop: Workshop;
  server: Server;
  close(): Promise<void>;
}

const MAX_BODY = 64 * 1024;

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' }).end(JSON.stringify(body));
}

function readBody(req: IncomingMessage): Promise<unknown> {
  return new Promise((resolve, reject) => {
    let size = 0;
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        reject(new WorkshopError(413, 'Слишком большой запрос.'));
        req.destroy();
      } else chunks.push(c);
    });
    req.on('end', () => {
      if (size === 0) return resolve({});
      try {
        resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')));
      } catch {
        reject(new WorkshopError(400, 'Тело запроса — не JSON.'));
      }
    });
    req.on('error', () => reject(new WorkshopError(400, 'Запрос оборвался.')));
  });
}

function createRequest(v: unknown): CreateRoomRequest {
  const b = (v ?? {}) as Record<string, unknown>;
  const bad = (m: string): never => {
    throw new WorkshopError(400, m);
  };
  if (typeof b.title !== 'string' || !b.title.trim() || b.title.length > 200) bad('Укажите название комнаты (title): от 1 до 200 символов.');
  if (!Array.isArray(b.lessons) || b.lessons.length > 50 || !b.lessons.every((l) => typeof l === 'string' && /^[\w./-]{1,100}$/.test(l))) bad('Поле lessons — список id уроков, например ["practice/resilience"].');
  if (!Number.isInteger(b.capacity) || (b.capacity as number) < 1 || (b.capacity as number) > 1000) bad('Поле capacity — целое число мест от 1 до 1000.');
  if (!Number.isInteger(b.durationMinutes) || (b.durationMinutes as number) < 1 || (b.durationMinutes as number) > 7 * 24 * 60) bad('Поле durationMinutes — длительность в минутах, от 1 до 10080.');
  return { title: b.title as string, lessons: b.lessons as string[], capacity: b.capacity as number, durationMinutes: b.durationMinutes as number };
}

export async function startWorkshopServer(opts: WorkshopServerOptions): Promise<WorkshopServer> {
  const workshop = new Workshop(opts);
  const key = opts.instructorKey ?? randomKey();
  const heartbeatMs = opts.heartbeatMs ?? HEARTBEAT_MS;

  const instructor = (req: IncomingMessage): void => {
    const auth = req.headers.authorization ?? '';
    const given = auth.startsWith('Bearer ') ? auth.slice(7) : '';
    if (!secretEquals(key, given)) throw new WorkshopError(401, 'Нужен ключ ведущего: заголовок Authorization: Bearer <ключ>.');
  };

  const api = async (req: IncomingMessage, res: ServerResponse, path: string[]): Promise<void> => {
    const method = req.method ?? 'GET';
    // ['', 'api', 'rooms', CODE, verb, participant id, 'reset']
    if (path[2] !== 'rooms') throw new WorkshopError(404, 'Нет такого адреса API.');
    if (path.length === 3 && method === 'POST') {
      instructor(req);
      const room = workshop.createRoom(createRequest(await readBody(req)));
      return json(res, 201, workshop.info(room));
    }
    const room = workshop.room(path[3] ?? '');
    const verb = path[4];
    if (path.length === 4 && method === 'GET') return json(res, 200, workshop.info(room));
    if (verb === 'join' && path.length === 5 && method === 'POST') {
      const body = (await readBody(req)) as { name?: unknown };
      return json(res, 201, await workshop.join(room.code, body?.name));
    }
    instructor(req);
    if (verb === 'roster' && path.length === 5 && method === 'GET') return json(res, 200, workshop.roster(room));
    if (verb === 'roster.csv' && path.length === 5 && method === 'GET') {
      res.writeHead(200, { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': `attachment; filename="room-${room.code}.csv"`, 'cache-control': 'no-store' });
      // a BOM so spreadsheet programs read the Cyrillic names as UTF-8
      res.end('\ufeff' + rosterCsv(workshop.roster(room).participants));
      return;
    }
    if (method !== 'POST' || path.length < 5) throw new WorkshopError(404, 'Нет такого адреса API.');
    if (verb === 'broadcast') {
      const { text } = (await readBody(req)) as { text?: unknown };
      if (typeof text !== 'string' || !text.trim() || text.length > MAX_BROADCAST) throw new WorkshopError(400, `Текст объявления (text): от 1 до ${MAX_BROADCAST} символов.`);
      workshop.broadcast(room, text.trim());
      return json(res, 200, { ok: true });
    }
    if (verb === 'follow') {
      const body = await readBody(req);
      if (body !== null && Object.keys(body as object).length > 0 && !isFollowTarget(body)) throw new WorkshopError(400, 'Укажите урок (lesson) и, если нужно, шаг (step).');
      workshop.follow(room, isFollowTarget(body) ? body : null);
      return json(res, 200, workshop.info(room));
    }
    if (verb === 'participants' && path[6] === 'reset' && path.length === 7) {
      workshop.reset(room, path[5]);
      return json(res, 200, { ok: true });
    }
    if (verb === 'end' && path.length === 5) {
      await workshop.end(room);
      return json(res, 200, workshop.info(room));
    }
    throw new WorkshopError(404, 'Нет такого адреса API.');
  };

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname.startsWith('/api/')) {
      const path = url.pathname.replace(/\/+$/, '').split('/').map((s) => decodeURIComponent(s));
      api(req, res, path).catch((e: unknown) => {
        if (res.headersSent) return res.end();
        if (e instanceof WorkshopError) json(res, e.status, { error: e.message });
        else json(res, 500, { error: 'Внутренняя ошибка сервера мастер-класса.' });
      });
      return;
    }
    if (opts.siteDir) serveStatic(opts.siteDir, req, res);
    else res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('Сайт не собран: запустите npm run build.');
  });

  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES * 2 });
  const heard = new WeakMap<WebSocket, number>();
  const allowed = new Set((opts.allowOrigins ?? []).map((o) => o.replace(/\/+$/, '')));
  const originOk = (req: IncomingMessage): boolean => {
    const origin = req.headers.origin;
    // browsers always send Origin on a WebSocket; a client without one (a script) is no cross-site page
    if (origin === undefined) return true;
    if (allowed.has(origin)) return true;
    try {
      return new URL(origin).host === req.headers.host;
    } catch {
      return false;
    }
  };

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname !== '/ws/participant' && url.pathname !== '/ws/instructor') {
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      heard.set(ws, Date.now());
      ws.on('message', () => heard.set(ws, Date.now()));
      ws.on('error', () => undefined);
      if (!originOk(req)) {
        ws.send(JSON.stringify({ type: 'error', code: url.pathname === '/ws/participant' ? 'origin' : 'bad-frame', message: 'Подключение с чужого сайта отклонено: откройте комнату по ссылке ведущего.' }));
        ws.close(1008);
        return;
      }
      if (url.pathname === '/ws/participant') workshop.attachParticipant(ws, url.searchParams.get('token') ?? '');
      else attachInstructor(workshop, key, ws, url.searchParams.get('room') ?? '');
    });
  });

  // the server's side of the heartbeat: a socket silent for three intervals is dropped
  const sweep = setInterval(() => {
    const now = Date.now();
    for (const ws of wss.clients) if (now - (heard.get(ws) ?? now) > 3 * heartbeatMs) ws.terminate();
  }, Math.min(heartbeatMs, 5000));
  sweep.unref();

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host ?? '127.0.0.1', () => resolve());
  });
  const addr = server.address() as { port: number; address: string };
  const hostForUrl = addr.address.includes(':') ? `[${addr.address}]` : addr.address;
  return {
    url: `http://${hostForUrl}:${addr.port}`,
    port: addr.port,
    instructorKey: key,
    workshop,
    server,
    close: async () => {
      clearInterval(sweep);
      for (const ws of wss.clients) ws.terminate();
      await new Promise<void>((r) => server.close(() => r()));
      server.closeAllConnections?.();
      await workshop.close();
    },
  };
}
