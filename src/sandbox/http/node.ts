/**
 * The Node adapter: KubeHttpApi on node:http, pods/exec on WebSocket (ws). Thin on purpose:
 * all decisions are in handler.ts and exec.ts.
 *
 * WebSocket channels (k8s.io/apimachinery/pkg/util/httpstream/wsstream, KEP-4006): every
 * binary message starts with its channel byte: 0 stdin, 1 stdout, 2 stderr, 3 error (a
 * metav1.Status in v4 and v5), 4 resize; v5.channel.k8s.io adds 255 "close" ([255, channel]),
 * which is how a client says its stdin ended.
 */
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { createServer } from 'node:https';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { parsePath } from '../api/server';
import { isStatus, type Status } from '../api/status';
import { prepareExec } from './exec';
import { podTarget } from './podConnection';
import { PortForwardSession } from './portforward';
import { jsonResponse, KubeHttpApi, MAX_BODY_BYTES, statusOf, type KubeHttpOptions } from './handler';
import { isStream, type HttpResponse } from './types';
import type { Sandbox } from '../sandbox';
import { selfSignedCert } from './tls';

/** kubectl ≥ 1.31 port-forward: SPDY frames tunneled in WebSocket binary messages (KEP-4006, client-go tools/portforward/tunneling_dialer.go). */
export const PORTFORWARD_WS_PROTOCOL = 'SPDY/3.1+portforward.k8s.io';

export const CHANNEL_PROTOCOLS = ['v5.channel.k8s.io', 'v4.channel.k8s.io', 'v3.channel.k8s.io', 'v2.channel.k8s.io', 'channel.k8s.io'];

/** How often the controllers run while serving (the cluster moves on real time). */
const SYNC_MS = 250;

export interface ServedSandbox {
  server: Server;
  api: KubeHttpApi;
  url: string;
  /** The serving certificate (PEM): the kubeconfig's certificate-authority-data. */
  caPem: string;
  close(): Promise<void>;
}

export async function serveSandbox(sb: Sandbox, opts: KubeHttpOptions & { host?: string; port?: number }): Promise<ServedSandbox> {
  const host = opts.host ?? '127.0.0.1';
  const api = new KubeHttpApi(sb, opts);
  const sockets = new Set<Duplex>();
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_BODY_BYTES, handleProtocols: (offered) => (offered.has(PORTFORWARD_WS_PROTOCOL) ? PORTFORWARD_WS_PROTOCOL : CHANNEL_PROTOCOLS.find((p) => offered.has(p)) ?? false) });
  const tls = await selfSignedCert(host);
  const server = createServer({ key: tls.keyPem, cert: tls.certPem }, (req, res) => onRequest(api, req, res));
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  server.on('upgrade', (req, socket, head) => onUpgrade(api, wss, req, socket, head));
  server.on('clientError', (_e, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
  });
  const timer = setInterval(() => {
    try {
      sb.cluster.sync();
    } catch {
      // a controller's failure must not stop the server; the next tick tries again
    }
  }, SYNC_MS);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => resolve());
  });
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : opts.port ?? 0;
  const url = `https://${host.includes(':') ? `[${host}]` : host}:${port}`;
  if (!opts.serverAddress) api.opts.serverAddress = `${host}:${port}`;
  return {
    server,
    api,
    url,
    caPem: tls.certPem,
    close: () =>
      new Promise<void>((resolve) => {
        clearInterval(timer);
        for (const c of wss.clients) c.terminate();
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

function headersOf(req: IncomingMessage): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(req.headers)) out[k] = Array.isArray(v) ? v.join(', ') : v;
  return out;
}

function send(res: ServerResponse, r: HttpResponse): void {
  res.writeHead(r.status, r.headers);
  res.end(r.body);
}

function onRequest(api: KubeHttpApi, req: IncomingMessage, res: ServerResponse): void {
  const chunks: Buffer[] = [];
  let size = 0;
  let tooLarge = false;
  req.on('data', (c: Buffer) => {
    size += c.length;
    if (size > MAX_BODY_BYTES) {
      if (!tooLarge) send(res, jsonResponse(413, statusOf(413, 'RequestEntityTooLarge', `Request entity too large: limit is ${MAX_BODY_BYTES}`)));
      tooLarge = true;
      req.destroy();
      return;
    }
    chunks.push(c);
  });
  req.on('error', () => undefined);
  req.on('end', () => {
    if (tooLarge) return;
    const raw = Buffer.concat(chunks);
    const r = api.handle({ method: req.method ?? 'GET', url: req.url ?? '/', headers: headersOf(req), body: raw.toString('utf8'), bytes: raw });
    if (!isStream(r)) {
      send(res, r);
      return;
    }
    res.writeHead(r.status, r.headers);
    res.flushHeaders();
    let open = true;
    const stop = r.start({
      write: (s) => {
        if (open) res.write(s);
      },
      end: () => {
        if (open) res.end();
        open = false;
      },
    });
    res.on('close', () => {
      open = false;
      stop();
    });
  });
}

function refuse(socket: Duplex, s: Status): void {
  const body = JSON.stringify(s);
  const reason = { 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 429: 'Too Many Requests' }[s.code] ?? 'Error';
  socket.end(`HTTP/1.1 ${s.code} ${reason}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
}

function onUpgrade(api: KubeHttpApi, wss: WebSocketServer, req: IncomingMessage, socket: Duplex, head: Buffer): void {
  socket.on('error', () => undefined);
  try {
    const denied = api.admit(req.method ?? 'GET', req.url ?? '/', headersOf(req)) ?? api.throttle();
    if (denied) return refuse(socket, JSON.parse(denied.body) as Status);
    const u = new URL(req.url ?? '/', 'http://sandbox');
    const p = parsePath(u.pathname);
    if ('error' in p || p.resource.kind !== 'Pod' || !p.name) return refuse(socket, statusOf(404, 'NotFound', 'the server could not find the requested resource'));
    if (p.subresource === 'portforward') return onPortForward(api, wss, req, socket, head, p.namespace ?? '', p.name);
    if (p.subresource === 'attach') return refuse(socket, statusOf(400, 'BadRequest', `pods/${p.subresource} is not served by the sandbox's apiserver`));
    if (p.subresource !== 'exec') return refuse(socket, statusOf(404, 'NotFound', 'the server could not find the requested resource'));
    if ((req.headers.upgrade ?? '').toLowerCase() !== 'websocket') return refuse(socket, statusOf(400, 'BadRequest', 'Upgrade request required'));
    api.sandbox.cluster.sync();
    const q = u.searchParams;
    const session = prepareExec(api.sandbox, p, {
      command: q.getAll('command'),
      container: q.get('container') ?? undefined,
      stdin: q.get('stdin') === 'true' || q.get('stdin') === '1',
      tty: q.get('tty') === 'true' || q.get('tty') === '1',
    });
    if (isStatus(session)) return refuse(socket, session);
    wss.handleUpgrade(req, socket, head, (ws: WebSocket) => {
      const v5 = ws.protocol === 'v5.channel.k8s.io';
      const structured = v5 || ws.protocol === 'v4.channel.k8s.io';
      const frame = (ch: number, data: string | Buffer): void => {
        if (ws.readyState === ws.OPEN) ws.send(Buffer.concat([Buffer.from([ch]), typeof data === 'string' ? Buffer.from(data, 'utf8') : data]));
      };
      let idle: ReturnType<typeof setTimeout> | undefined;
      // before v5 a client cannot say "stdin ended": a pause in its input stands for it
      const bumpIdle = (): void => {
        if (v5 || !session.opts.stdin || session.opts.tty) return;
        if (idle) clearTimeout(idle);
        idle = setTimeout(() => session.closeInput(), 300);
      };
      ws.on('message', (data: Buffer) => {
        if (!Buffer.isBuffer(data) || data.length === 0) return;
        const ch = data[0];
        if (ch === 0) {
          session.input(data.subarray(1).toString('utf8'));
          bumpIdle();
        } else if (ch === 255 && v5 && data[1] === 0) session.closeInput();
      });
      ws.on('close', () => {
        if (idle) clearTimeout(idle);
        session.kill();
      });
      bumpIdle();
      session.start({
        out: (ch, s) => frame(ch, s),
        exit: (status) => {
          if (structured) frame(3, JSON.stringify(status));
          else if (status.status !== 'Success') frame(3, String(status.message ?? ''));
          ws.close(1000);
        },
      });
    });
  } catch (e) {
    refuse(socket, statusOf(500, 'InternalError', `Internal error occurred: ${e instanceof Error ? e.message : String(e)}`));
  }
}

/**
 * pods/portforward: the WebSocket tunnel kubectl tries first, or the SPDY/3.1 upgrade it falls
 * back to (client-go tools/portforward/fallback_dialer.go); both carry the same SPDY session.
 */
function onPortForward(api: KubeHttpApi, wss: WebSocketServer, req: IncomingMessage, socket: Duplex, head: Buffer, namespace: string, name: string): void {
  api.sandbox.cluster.sync();
  const got = api.sandbox.cluster.server.handle({ method: 'GET', path: `/api/v1/namespaces/${namespace}/pods/${name}` });
  if (isStatus(got.body)) return refuse(socket, got.body);
  const pod = api.sandbox.cluster.network.podByName(namespace, name);
  // the kubelet's answer for a pod it does not run (kubelet server.go getPodCoordinates)
  if (!pod || !pod.running) return refuse(socket, statusOf(400, 'BadRequest', `pod does not exist`));
  const upgrade = (req.headers.upgrade ?? '').toLowerCase();
  if (upgrade === 'websocket') {
    if (!String(req.headers['sec-websocket-protocol'] ?? '').split(',').map((x) => x.trim()).includes(PORTFORWARD_WS_PROTOCOL))
      return refuse(socket, statusOf(400, 'BadRequest', 'unable to upgrade: unsupported WebSocket subprotocol for port-forward'));
    // `ws` accepts only RFC 7230 tokens as subprotocols and this one has a '/': the handshake is
    // made without the header and the chosen protocol added to the 101 answer
    delete req.headers['sec-websocket-protocol'];
    const addProtocol = (headers: string[], r: IncomingMessage): void => {
      if (r === req) headers.push(`Sec-WebSocket-Protocol: ${PORTFORWARD_WS_PROTOCOL}`);
    };
    wss.on('headers', addProtocol);
    wss.handleUpgrade(req, socket, head, (ws: WebSocket) => {
      wss.off('headers', addProtocol);
      const session = new PortForwardSession(podTarget(api.sandbox, pod), (b) => {
        if (ws.readyState === ws.OPEN) ws.send(b);
      }, () => ws.close());
      ws.on('message', (data: Buffer, isBinary: boolean) => {
        if (isBinary) session.receive(Buffer.isBuffer(data) ? data : Buffer.from(data as unknown as ArrayBuffer));
      });
      ws.on('close', () => session.close());
      ws.on('error', () => session.close());
    });
    return;
  }
  if (upgrade === 'spdy/3.1' && String(req.headers['x-stream-protocol-version'] ?? '').split(',').map((x) => x.trim()).includes('portforward.k8s.io')) {
    socket.write('HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: SPDY/3.1\r\nX-Stream-Protocol-Version: portforward.k8s.io\r\n\r\n');
    const session = new PortForwardSession(podTarget(api.sandbox, pod), (b) => {
      if (socket.writable) socket.write(b);
    }, () => socket.end());
    socket.on('data', (b: Buffer) => session.receive(b));
    socket.on('close', () => session.close());
    if (head.length) session.receive(head);
    return;
  }
  return refuse(socket, statusOf(400, 'BadRequest', 'Upgrade request required'));
}
