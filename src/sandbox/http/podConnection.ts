/**
 * A port-forwarded TCP connection into a sandbox pod. The sandbox's network carries HTTP
 * exchanges, not bytes, so the connection reads HTTP/1.1 requests off the byte stream
 * (RFC 9112: request line, header fields, Content-Length or chunked body; keep-alive), hands
 * each to the pod as the kubelet's localhost dial would reach it, and writes the answer back as
 * bytes. Anything that is not HTTP/1.x gets what the server in the pod would say to it.
 */
import { createHash } from 'node:crypto';
import { Duplex } from 'node:stream';
import { createSecureContext, TLSSocket, type SecureContext } from 'node:tls';
import type { Sandbox } from '../sandbox';
import { bySni } from '../dataplane/envoy';
import type { TlsFilterChain } from '../dataplane/types';
import type { PodRuntime } from '../network/fabric';
import { isNetError, REASON_PHRASES, type HttpRequest, type HttpResult } from '../network/http';
import type { ConnectionEvents, PodConnection, PodTarget } from './portforward';

export interface Http1Request {
  method: string;
  target: string;
  version: string;
  headers: [string, string][];
  body: Buffer;
}

/** Envoy's default max_request_headers_kb (60 KiB); Go's net/http allows 1 MiB. */
const MAX_HEAD_BYTES = 60 * 1024;
const MAX_BODY_BYTES = 16 * 1024 * 1024;

type Parsed = Http1Request | { error: 'bad' | 'too-large' };

/** Reads requests off a byte stream; an incomplete one waits for more bytes. */
export class Http1RequestReader {
  private buf: Buffer = Buffer.alloc(0);
  private failed = false;

  push(bytes: Buffer): Parsed[] {
    if (this.failed) return [];
    this.buf = this.buf.length === 0 ? bytes : Buffer.concat([this.buf, bytes]);
    const out: Parsed[] = [];
    for (;;) {
      const r = this.next();
      if (!r) break;
      out.push(r);
      if ('error' in r) {
        this.failed = true;
        break;
      }
    }
    return out;
  }

  private next(): Parsed | undefined {
    // RFC 9112 §2.2: empty lines before the request line are ignored
    while (this.buf.length >= 2 && this.buf[0] === 0x0d && this.buf[1] === 0x0a) this.buf = this.buf.subarray(2);
    const end = this.buf.indexOf('\r\n\r\n');
    if (end < 0) return this.buf.length > MAX_HEAD_BYTES ? { error: 'too-large' } : undefined;
    if (end > MAX_HEAD_BYTES) return { error: 'too-large' };
    const lines = this.buf.toString('latin1', 0, end).split('\r\n');
    const m = lines[0].match(/^([!#$%&'*+.^_`|~0-9A-Za-z-]+) (\S+) HTTP\/(1\.[01])$/);
    if (!m) return { error: 'bad' };
    const headers: [string, string][] = [];
    for (const line of lines.slice(1)) {
      const h = line.match(/^([!#$%&'*+.^_`|~0-9A-Za-z-]+):[ \t]*(.*?)[ \t]*$/);
      if (!h) return { error: 'bad' };
      headers.push([h[1].toLowerCase(), Buffer.from(h[2], 'latin1').toString('utf8')]);
    }
    const get = (n: string): string | undefined => headers.find(([k]) => k === n)?.[1];
    let at = end + 4;
    let body: Buffer = Buffer.alloc(0);
    if ((get('transfer-encoding') ?? '').toLowerCase().split(',').map((x) => x.trim()).includes('chunked')) {
      const parts: Buffer[] = [];
      let size = 0;
      for (;;) {
        const eol = this.buf.indexOf('\r\n', at);
        if (eol < 0) return undefined;
        const len = parseInt(this.buf.toString('latin1', at, eol).split(';')[0].trim(), 16);
        if (!Number.isFinite(len) || len < 0) return { error: 'bad' };
        if ((size += len) > MAX_BODY_BYTES) return { error: 'too-large' };
        if (len === 0) {
          // trailer fields up to the empty line
          const fin = this.buf.indexOf('\r\n\r\n', eol);
          if (fin < 0 && this.buf.subarray(eol, eol + 4).toString('latin1') !== '\r\n\r\n') return undefined;
          at = (fin < 0 ? eol : fin) + 4;
          break;
        }
        if (this.buf.length < eol + 2 + len + 2) return undefined;
        parts.push(this.buf.subarray(eol + 2, eol + 2 + len));
        at = eol + 2 + len + 2;
      }
      body = Buffer.concat(parts);
    } else if (get('content-length') !== undefined) {
      const cl = get('content-length')!;
      if (!/^\d+$/.test(cl)) return { error: 'bad' };
      const len = Number(cl);
      if (len > MAX_BODY_BYTES) return { error: 'too-large' };
      if (this.buf.length < at + len) return undefined;
      body = Buffer.from(this.buf.subarray(at, at + len));
      at += len;
    }
    this.buf = this.buf.subarray(at);
    return { method: m[1], target: m[2], version: m[3], headers, body };
  }
}

export function serializeResponse(status: number, headers: [string, string][], body: Buffer, head: boolean): Buffer {
  const lines = [`HTTP/1.1 ${status} ${REASON_PHRASES[status] ?? ''}`];
  const has = (n: string): boolean => headers.some(([k]) => k.toLowerCase() === n);
  const all = [...headers];
  if (!has('content-length') && !has('transfer-encoding') && status !== 204 && status !== 304) all.push(['content-length', String(body.length)]);
  for (const [k, v] of all) lines.push(`${k}: ${v}`);
  return Buffer.concat([Buffer.from(lines.join('\r\n') + '\r\n\r\n', 'utf8'), head ? Buffer.alloc(0) : body]);
}

/** What the pod does with one request. */
export type Exchange = (req: Http1Request) => Promise<HttpResult>;

/**
 * One connection: requests answered in order (pipelined ones wait their turn), keep-alive
 * unless the client or the answer says close.
 */
export function http1Connection(exchange: Exchange, events: ConnectionEvents, badRequest: () => Buffer, resetText: string): PodConnection {
  const reader = new Http1RequestReader();
  let chain: Promise<void> = Promise.resolve();
  let done = false;
  let clientEnded = false;
  let pending = 0;
  const close = (error?: string): void => {
    if (done) return;
    done = true;
    events.close(error);
  };
  const answer = async (r: Parsed): Promise<void> => {
    if (done) return;
    if ('error' in r) {
      events.data(badRequest());
      return close();
    }
    const res = await exchange(r);
    if (done) return;
    if (isNetError(res)) {
      // the server in the pod reset or closed the connection: containerd's copy ends with the read error
      if (res.error === 'ECONNRESET') return close(resetText);
      return close();
    }
    const head = r.method === 'HEAD';
    const hs = Object.entries(res.headers);
    events.data(serializeResponse(res.status, hs, Buffer.from(res.body, 'utf8'), head));
    const conn = (k: [string, string][]): string => (k.find(([n]) => n === 'connection')?.[1] ?? '').toLowerCase();
    const closing = conn(hs) === 'close' || conn(r.headers) === 'close' || (r.version === '1.0' && conn(r.headers) !== 'keep-alive');
    if (closing) close();
  };
  return {
    write(bytes) {
      if (done) return;
      for (const r of reader.push(bytes)) {
        pending++;
        chain = chain
          .then(() => answer(r))
          .catch(() => close())
          .finally(() => {
            pending--;
            if (clientEnded && pending === 0) close();
          });
      }
    },
    end() {
      clientEnded = true;
      if (pending === 0) close();
    },
    destroy() {
      done = true;
    },
  };
}

/** Deterministic CRI ids for a pod: the sandbox id containerd shows and its network namespace. */
function sandboxIds(pod: PodRuntime): { sandboxId: string; netnsPath: string } {
  const h = createHash('sha256').update(`pod-sandbox:${pod.uid}`).digest('hex');
  return { sandboxId: h, netnsPath: `/var/run/netns/cni-${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}` };
}

/** The TLS a forwarded connection carried, as the pod's server saw it. */
interface TlsSeen {
  sni?: string;
  clientCertificate?: string;
}

function derToPem(der: Buffer): string {
  return `-----BEGIN CERTIFICATE-----\n${der.toString('base64').replace(/.{64}/g, '$&\n').replace(/\n?$/, '\n')}-----END CERTIFICATE-----\n`;
}

/**
 * A gateway listener with TLS filter chains, terminated for real: the chain is picked by SNI as
 * Envoy's filter chain match does, its certificate and key are the ones SDS hands Envoy from the
 * credentialName secret, and MUTUAL asks for a client certificate its CA verifies. The decrypted
 * bytes go to the HTTP/1.1 reader; ALPN offers http/1.1 only (the sandbox's HTTP is HTTP/1.1 here).
 */
function tlsTerminated(chains: TlsFilterChain[], keyOf: (chain: TlsFilterChain) => string | undefined, events: ConnectionEvents, plain: (seen: TlsSeen, out: ConnectionEvents) => PodConnection): PodConnection {
  const contexts = new Map<TlsFilterChain, SecureContext | undefined>();
  const contextOf = (chain: TlsFilterChain | undefined): SecureContext | undefined => {
    if (!chain || !chain.certificate) return undefined;
    if (!contexts.has(chain)) {
      const key = keyOf(chain);
      let ctx: SecureContext | undefined;
      try {
        ctx = key ? createSecureContext({ cert: chain.certificate, key, ...(chain.clientCa ? { ca: chain.clientCa } : {}) }) : undefined;
      } catch {
        ctx = undefined; // a key that does not fit its certificate: Envoy rejects the secret, no handshake
      }
      contexts.set(chain, ctx);
    }
    return contexts.get(chain);
  };
  // the same filter chain match Envoy makes on the routed request (exact name, longest wildcard, catch-all)
  const pick = (sni: string): TlsFilterChain | undefined => bySni(chains.map((c) => ({ names: c.serverNames, chain: c })), sni)?.chain;
  // a client without SNI gets the catch-all chain, if there is one
  let chosen = pick('');
  let ended = false;
  const wire = new Duplex({
    read() {},
    write(chunk: Buffer, _enc, cb) {
      events.data(chunk);
      cb();
    },
    final(cb) {
      cb();
    },
  });
  const mutual = chains.some((c) => c.clientCa !== undefined);
  const sock = new TLSSocket(wire as unknown as import('node:net').Socket, {
    isServer: true,
    ALPNProtocols: ['http/1.1'],
    requestCert: mutual,
    rejectUnauthorized: false,
    secureContext: contextOf(chosen) ?? createSecureContext({}),
    SNICallback: (name, cb) => {
      chosen = pick(name.toLowerCase());
      const ctx = contextOf(chosen);
      if (ctx) cb(null, ctx);
      else cb(new Error('no filter chain'));
    },
  });
  let inner: PodConnection | undefined;
  const finish = (): void => {
    if (ended) return;
    ended = true;
    events.close();
  };
  sock.on('secure', () => {
    // MUTUAL: Envoy's require_client_certificate; the routing below sees the same certificate
    if (chosen?.clientCa !== undefined && !sock.authorized) {
      sock.destroy();
      return finish();
    }
    const peer = sock.getPeerCertificate(true);
    const seen: TlsSeen = { sni: (sock as unknown as { servername?: string }).servername || undefined, ...(peer && peer.raw ? { clientCertificate: derToPem(peer.raw) } : {}) };
    inner = plain(seen, {
      data: (b) => {
        if (!sock.destroyed) sock.write(b);
      },
      close: (err) => {
        if (ended) return;
        sock.end(() => {
          ended = true;
          events.close(err);
        });
      },
    });
  });
  sock.on('data', (b: Buffer) => inner?.write(b));
  sock.on('end', () => inner?.end());
  sock.on('error', () => {
    sock.destroy();
    finish();
  });
  sock.on('close', () => finish());
  return {
    write: (b) => {
      wire.push(b);
    },
    end: () => {
      wire.push(null);
    },
    destroy: () => {
      ended = true;
      inner?.destroy();
      sock.destroy();
    },
  };
}

/** The kubelet's view of a sandbox pod for port-forward: dials, and HTTP/1.1 over each connection. */
export function podTarget(sb: Sandbox, pod: PodRuntime): PodTarget {
  const ids = sandboxIds(pod);
  const fabric = sb.cluster.network;
  const http = (port: number, scheme: 'http' | 'https', tls: TlsSeen, events: ConnectionEvents): PodConnection => {
    const exchange: Exchange = async (r) => {
      const headers: Record<string, string> = {};
      for (const [k, v] of r.headers) headers[k] = headers[k] !== undefined ? `${headers[k]},${v}` : v;
      const authority = headers.host ?? `127.0.0.1:${port}`;
      delete headers.host;
      const req: HttpRequest = { method: r.method, scheme, authority, path: r.target.startsWith('/') ? r.target : r.target.replace(/^https?:\/\/[^/]*/i, '') || '/', headers, body: r.body.toString('utf8'), ...(scheme === 'https' ? { sni: tls.sni ?? '', ...(tls.clientCertificate ? { clientCertificate: tls.clientCertificate } : {}) } : {}) };
      sb.cluster.sync();
      const res = fabric.portForwardRequest(pod, port, req, sb.cluster.clock.now());
      // the answer arrives when the sandbox says it took (real time while serving)
      await new Promise((resolve) => setTimeout(resolve, Math.min(Math.max(0, res.durationMs), 120_000)));
      sb.cluster.sync();
      return res;
    };
    // what the pod's server says to bytes that are not HTTP/1.x: Envoy's HTTP/1 codec and Go's net/http both answer 400
    const badRequest = (): Buffer =>
      pod.gateway
        ? serializeResponse(400, [['content-length', '11'], ['content-type', 'text/plain'], ['connection', 'close']], Buffer.from('Bad Request'), false)
        : Buffer.from('HTTP/1.1 400 Bad Request\r\nContent-Type: text/plain; charset=utf-8\r\nConnection: close\r\n\r\n400 Bad Request', 'latin1');
    const reset = `read tcp4 127.0.0.1:${32768 + (sb.cluster.clock.now() % 28000 | 0)}->127.0.0.1:${port}: read: connection reset by peer`;
    return http1Connection(exchange, events, badRequest, reset);
  };
  return {
    ...ids,
    connect(port, events) {
      if (!fabric.portForwardListens(pod, port))
        return `failed to connect to localhost:${port} inside namespace "${ids.sandboxId}", IPv4: dial tcp4 127.0.0.1:${port}: connect: connection refused IPv6 dial tcp6 [::1]:${port}: connect: connection refused `;
      const chains = pod.gateway ? fabric.envoyFor(pod)?.config.listeners.find((l) => l.port === port && l.kind !== 'inbound')?.filterChains : undefined;
      if (!chains) return http(port, 'http', {}, events);
      // the private key SDS gives Envoy with the certificate (istiod reads the credentialName secret)
      const keyOf = (c: TlsFilterChain): string | undefined => sb.cluster.istiod.pushContext().tlsSecrets.get(`${pod.namespace}/${c.credentialName}`)?.key;
      return tlsTerminated(chains, keyOf, events, (seen, out) => http(port, 'https', seen, out));
    },
  };
}
