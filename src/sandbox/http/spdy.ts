/**
 * SPDY/3 framing as the kubelet's streaming server speaks it to kubectl for port-forward
 * (github.com/moby/spdystream and its spdy package, draft-mbelshe-httpbis-spdy-00). kubectl 1.35
 * tunnels these frames inside WebSocket binary messages (subprotocol `SPDY/3.1+portforward.k8s.io`,
 * KEP-4006), or, as a fallback, over the raw connection after an `Upgrade: SPDY/3.1`.
 *
 * Only what port-forward needs: SYN_STREAM in, SYN_REPLY/DATA/RST_STREAM/PING/GOAWAY out.
 * spdystream does no flow control (WINDOW_UPDATE is read and ignored), nor do we.
 */

import { constants as zlibConstants, createInflate } from 'node:zlib';

export const CONTROL_SYN_STREAM = 1;
export const CONTROL_SYN_REPLY = 2;
export const CONTROL_RST_STREAM = 3;
export const CONTROL_SETTINGS = 4;
export const CONTROL_PING = 6;
export const CONTROL_GOAWAY = 7;
export const CONTROL_HEADERS = 8;
export const CONTROL_WINDOW_UPDATE = 9;

export const FLAG_FIN = 0x01;

/** RST_STREAM status codes (spdy types.go). */
export const RST_PROTOCOL_ERROR = 1;
export const RST_INVALID_STREAM = 2;
export const RST_REFUSED_STREAM = 3;
export const RST_CANCEL = 5;

/** The largest DATA payload we send in one frame (spdystream writes at most this much too). */
export const MAX_DATA_LENGTH = 64 * 1024;
/** A frame longer than this is refused (the length field allows 16 MiB; nothing here needs it). */
const MAX_FRAME_LENGTH = 1 << 24;

export type Frame =
  | { kind: 'data'; streamId: number; flags: number; data: Buffer }
  | { kind: 'control'; type: number; version: number; flags: number; payload: Buffer };

/** Splits a byte stream into frames; bytes of an incomplete frame wait for the next push. */
export class FrameReader {
  private buf: Buffer = Buffer.alloc(0);

  push(bytes: Buffer): Frame[] {
    this.buf = this.buf.length === 0 ? bytes : Buffer.concat([this.buf, bytes]);
    const frames: Frame[] = [];
    while (this.buf.length >= 8) {
      const length = this.buf.readUIntBE(5, 3);
      if (length >= MAX_FRAME_LENGTH) throw new Error('spdy: frame too large');
      if (this.buf.length < 8 + length) break;
      const flags = this.buf[4];
      const payload = this.buf.subarray(8, 8 + length);
      if (this.buf[0] & 0x80) frames.push({ kind: 'control', version: this.buf.readUInt16BE(0) & 0x7fff, type: this.buf.readUInt16BE(2), flags, payload });
      else frames.push({ kind: 'data', streamId: this.buf.readUInt32BE(0) & 0x7fffffff, flags, data: payload });
      this.buf = this.buf.subarray(8 + length);
    }
    return frames;
  }
}

function controlFrame(type: number, flags: number, payload: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt16BE(0x8000 | 3, 0);
  head.writeUInt16BE(type, 2);
  head[4] = flags;
  head.writeUIntBE(payload.length, 5, 3);
  return Buffer.concat([head, payload]);
}

export function dataFrame(streamId: number, data: Buffer, fin: boolean): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(streamId & 0x7fffffff, 0);
  head[4] = fin ? FLAG_FIN : 0;
  head.writeUIntBE(data.length, 5, 3);
  return Buffer.concat([head, data]);
}

export function synReplyFrame(streamId: number, compressedHeaders: Buffer, fin = false): Buffer {
  const id = Buffer.alloc(4);
  id.writeUInt32BE(streamId & 0x7fffffff, 0);
  return controlFrame(CONTROL_SYN_REPLY, fin ? FLAG_FIN : 0, Buffer.concat([id, compressedHeaders]));
}

export function rstStreamFrame(streamId: number, status: number): Buffer {
  const p = Buffer.alloc(8);
  p.writeUInt32BE(streamId & 0x7fffffff, 0);
  p.writeUInt32BE(status, 4);
  return controlFrame(CONTROL_RST_STREAM, 0, p);
}

export function pingFrame(id: number): Buffer {
  const p = Buffer.alloc(4);
  p.writeUInt32BE(id >>> 0, 0);
  return controlFrame(CONTROL_PING, 0, p);
}

export function goAwayFrame(lastGoodStreamId: number, status: number): Buffer {
  const p = Buffer.alloc(8);
  p.writeUInt32BE(lastGoodStreamId & 0x7fffffff, 0);
  p.writeUInt32BE(status, 4);
  return controlFrame(CONTROL_GOAWAY, 0, p);
}

/** SYN_STREAM's fixed fields; the header block follows them (still compressed). */
export function parseSynStream(payload: Buffer): { streamId: number; headerBlock: Buffer } | undefined {
  if (payload.length < 10) return undefined;
  return { streamId: payload.readUInt32BE(0) & 0x7fffffff, headerBlock: payload.subarray(10) };
}

// ---- header blocks ----------------------------------------------------------------------

/**
 * The zlib dictionary of SPDY/3 header blocks (draft-mbelshe-httpbis-spdy-00 §2.6.10.1): these
 * names and values, each behind a 32-bit length, then the text below as it is. It must be
 * byte-exact: the peer's zlib checks its Adler-32.
 */
const DICTIONARY_WORDS = [
  'options', 'head', 'post', 'put', 'delete', 'trace', 'accept', 'accept-charset', 'accept-encoding', 'accept-language',
  'accept-ranges', 'age', 'allow', 'authorization', 'cache-control', 'connection', 'content-base', 'content-encoding',
  'content-language', 'content-length', 'content-location', 'content-md5', 'content-range', 'content-type', 'date', 'etag',
  'expect', 'expires', 'from', 'host', 'if-match', 'if-modified-since', 'if-none-match', 'if-range', 'if-unmodified-since',
  'last-modified', 'location', 'max-forwards', 'pragma', 'proxy-authenticate', 'proxy-authorization', 'range', 'referer',
  'retry-after', 'server', 'te', 'trailer', 'transfer-encoding', 'upgrade', 'user-agent', 'vary', 'via', 'warning',
  'www-authenticate', 'method', 'get', 'status', '200 OK', 'version', 'HTTP/1.1', 'url', 'public', 'set-cookie', 'keep-alive',
  'origin',
];
const DICTIONARY_TEXT =
  '100101201202205206300302303304305306307402405406407408409410411412413414415416417502504505' +
  '203 Non-Authoritative Information204 No Content301 Moved Permanently400 Bad Request401 Unauthorized' +
  '403 Forbidden404 Not Found500 Internal Server Error501 Not Implemented503 Service Unavailable' +
  'Jan Feb Mar Apr May Jun Jul Aug Sept Oct Nov Dec 00:00:00 Mon, Tue, Wed, Thu, Fri, Sat, Sun, GMT' +
  'chunked,text/html,image/png,image/jpg,image/gif,application/xml,application/xhtml+xml,text/plain,' +
  'text/javascript,publicprivatemax-age=gzip,deflate,sdchcharset=utf-8charset=iso-8859-1,utf-,*,enq=0.';

export const HEADER_DICTIONARY: Buffer = Buffer.concat([
  ...DICTIONARY_WORDS.map((w) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(w.length, 0);
    return Buffer.concat([len, Buffer.from(w, 'latin1')]);
  }),
  Buffer.from(DICTIONARY_TEXT, 'latin1'),
]);

export function adler32(b: Buffer): number {
  let a = 1;
  let s = 0;
  for (let i = 0; i < b.length; i++) {
    a = (a + b[i]) % 65521;
    s = (s + a) % 65521;
  }
  return ((s << 16) | a) >>> 0;
}

/** An uncompressed SPDY/3 header block: a count, then length-prefixed names and values. */
export function encodeHeaderBlock(headers: [string, string][]): Buffer {
  const parts: Buffer[] = [];
  const u32 = (n: number): Buffer => {
    const b = Buffer.alloc(4);
    b.writeUInt32BE(n, 0);
    return b;
  };
  parts.push(u32(headers.length));
  for (const [k, v] of headers) {
    const kb = Buffer.from(k.toLowerCase(), 'utf8');
    const vb = Buffer.from(v, 'utf8');
    parts.push(u32(kb.length), kb, u32(vb.length), vb);
  }
  return Buffer.concat(parts);
}

/** Reads an uncompressed header block; several values of one name are NUL-separated. */
export function decodeHeaderBlock(b: Buffer): Map<string, string[]> | undefined {
  const out = new Map<string, string[]>();
  if (b.length < 4) return undefined;
  const n = b.readUInt32BE(0);
  let at = 4;
  const str = (): string | undefined => {
    if (at + 4 > b.length) return undefined;
    const len = b.readUInt32BE(at);
    at += 4;
    if (at + len > b.length) return undefined;
    const s = b.toString('utf8', at, at + len);
    at += len;
    return s;
  };
  for (let i = 0; i < n; i++) {
    const k = str();
    const v = str();
    if (k === undefined || v === undefined) return undefined;
    out.set(k.toLowerCase(), [...(out.get(k.toLowerCase()) ?? []), ...v.split('\0')]);
  }
  return out;
}

/**
 * Our side of the header compression: one zlib stream per connection, as SPDY requires, written
 * as stored (uncompressed) deflate blocks ending in a sync-flush marker. A reader decodes them without looking anything up in
 * the dictionary, but the zlib header still names it (FDICT and its Adler-32), as Go's
 * zlib.NewReaderDict insists.
 */
export class HeaderCompressor {
  private started = false;

  compress(block: Buffer): Buffer {
    const parts: Buffer[] = [];
    if (!this.started) {
      this.started = true;
      // CMF 0x78 (deflate, 32 KiB window); FLG with FDICT, FCHECK making CMF·256+FLG a multiple of 31
      const cmf = 0x78;
      const flg = 0x20 + ((31 - ((cmf * 256 + 0x20) % 31)) % 31);
      const dictId = Buffer.alloc(4);
      dictId.writeUInt32BE(adler32(HEADER_DICTIONARY), 0);
      parts.push(Buffer.from([cmf, flg]), dictId);
    }
    const stored = (chunk: Buffer): void => {
      const head = Buffer.alloc(5);
      head[0] = 0; // BFINAL 0, BTYPE 00: a stored block, byte-aligned
      head.writeUInt16LE(chunk.length, 1);
      head.writeUInt16LE(~chunk.length & 0xffff, 3);
      parts.push(head, chunk);
    };
    for (let at = 0; at < block.length; at += 0xffff) stored(block.subarray(at, at + 0xffff));
    // then an empty stored block, as Z_SYNC_FLUSH ends a block: Go's flate hands out what it
    // decoded only when it reaches one (compress/flate inflate.go dataBlock, n == 0)
    stored(Buffer.alloc(0));
    return Buffer.concat(parts);
  }
}

/**
 * The peer's header blocks: one zlib stream for the whole connection (SPDY/3 §2.6.10.1), each
 * block ending with a sync flush. Node's zlib is asynchronous, so blocks are inflated in order.
 */
export class HeaderDecompressor {
  private readonly z = createInflate({ dictionary: HEADER_DICTIONARY });
  private out: Buffer[] = [];
  private failed: Error | undefined;

  constructor() {
    this.z.on('data', (c: Buffer) => this.out.push(c));
    this.z.on('error', (e: Error) => {
      this.failed = e;
    });
  }

  decompress(block: Buffer): Promise<Buffer> {
    return new Promise((resolve, reject) => {
      if (this.failed) return reject(this.failed);
      this.z.write(block);
      this.z.flush(zlibConstants.Z_SYNC_FLUSH, () => {
        if (this.failed) return reject(this.failed);
        const r = Buffer.concat(this.out);
        this.out = [];
        resolve(r);
      });
    });
  }

  close(): void {
    this.z.destroy();
  }
}
