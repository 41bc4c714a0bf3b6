/**
 * A small DER (ASN.1 Distinguished Encoding Rules, ITU-T X.690) encoder and reader: enough for
 * X.509 certificates, PKCS#10 requests, PKCS#8 keys and SubjectPublicKeyInfo.
 */

export const Tag = {
  BOOLEAN: 0x01,
  INTEGER: 0x02,
  BIT_STRING: 0x03,
  OCTET_STRING: 0x04,
  NULL: 0x05,
  OID: 0x06,
  UTF8_STRING: 0x0c,
  PRINTABLE_STRING: 0x13,
  IA5_STRING: 0x16,
  UTC_TIME: 0x17,
  GENERALIZED_TIME: 0x18,
  SEQUENCE: 0x30,
  SET: 0x31,
} as const;

// ---- encoding ---------------------------------------------------------------------------

function lengthBytes(n: number): number[] {
  if (n < 0x80) return [n];
  const out: number[] = [];
  while (n > 0) {
    out.unshift(n & 0xff);
    n = Math.floor(n / 256);
  }
  return [0x80 | out.length, ...out];
}

export function tlv(tag: number, content: Uint8Array): Uint8Array {
  const len = lengthBytes(content.length);
  const out = new Uint8Array(1 + len.length + content.length);
  out[0] = tag;
  out.set(len, 1);
  out.set(content, 1 + len.length);
  return out;
}

export function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let i = 0;
  for (const p of parts) {
    out.set(p, i);
    i += p.length;
  }
  return out;
}

export const seq = (...items: Uint8Array[]): Uint8Array => tlv(Tag.SEQUENCE, concat(...items));
export const set = (...items: Uint8Array[]): Uint8Array => tlv(Tag.SET, concat(...items));
export const nul = (): Uint8Array => tlv(Tag.NULL, new Uint8Array());
export const bool = (v: boolean): Uint8Array => tlv(Tag.BOOLEAN, new Uint8Array([v ? 0xff : 0]));
export const octets = (b: Uint8Array): Uint8Array => tlv(Tag.OCTET_STRING, b);
export const bitString = (b: Uint8Array): Uint8Array => tlv(Tag.BIT_STRING, concat(new Uint8Array([0]), b));
/** [n] EXPLICIT (constructed context-specific tag). */
export const explicit = (n: number, inner: Uint8Array): Uint8Array => tlv(0xa0 | n, inner);
export const utf8 = (s: string): Uint8Array => tlv(Tag.UTF8_STRING, new TextEncoder().encode(s));
export const printable = (s: string): Uint8Array => tlv(Tag.PRINTABLE_STRING, new TextEncoder().encode(s));

/** An INTEGER from unsigned big-endian bytes (a leading 0 keeps it positive). */
export function uint(bytes: Uint8Array): Uint8Array {
  let i = 0;
  while (i < bytes.length - 1 && bytes[i] === 0) i++;
  const b = bytes.slice(i);
  return tlv(Tag.INTEGER, b[0] & 0x80 ? concat(new Uint8Array([0]), b) : b.length ? b : new Uint8Array([0]));
}

export function int(n: number | bigint): Uint8Array {
  let v = BigInt(n);
  const out: number[] = [];
  do {
    out.unshift(Number(v & 0xffn));
    v >>= 8n;
  } while (v > 0n);
  return uint(new Uint8Array(out));
}

export function oid(dotted: string): Uint8Array {
  const parts = dotted.split('.').map(Number);
  const out: number[] = [parts[0] * 40 + parts[1]];
  for (const p of parts.slice(2)) {
    const b: number[] = [p & 0x7f];
    let v = Math.floor(p / 128);
    while (v > 0) {
      b.unshift(0x80 | (v & 0x7f));
      v = Math.floor(v / 128);
    }
    out.push(...b);
  }
  return tlv(Tag.OID, new Uint8Array(out));
}

/** X.509 Time: UTCTime through 2049, GeneralizedTime after (RFC 5280 4.1.2.5). */
export function time(ms: number): Uint8Array {
  const d = new Date(ms);
  const p = (n: number, w = 2): string => String(n).padStart(w, '0');
  const rest = `${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}${p(d.getUTCHours())}${p(d.getUTCMinutes())}${p(d.getUTCSeconds())}Z`;
  const y = d.getUTCFullYear();
  return y < 2050 ? tlv(Tag.UTC_TIME, new TextEncoder().encode(`${p(y % 100)}${rest}`)) : tlv(Tag.GENERALIZED_TIME, new TextEncoder().encode(`${p(y, 4)}${rest}`));
}

// ---- reading ----------------------------------------------------------------------------

export interface Node {
  tag: number;
  /** The whole element (tag, length, content). */
  raw: Uint8Array;
  content: Uint8Array;
}

export class DerError extends Error {}

export function read(buf: Uint8Array, at = 0): Node {
  if (at + 2 > buf.length) throw new DerError('truncated');
  const tag = buf[at];
  let len = buf[at + 1];
  let hdr = 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    if (n === 0 || n > 4 || at + 2 + n > buf.length) throw new DerError('bad length');
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + buf[at + 2 + i];
    hdr += n;
  }
  if (at + hdr + len > buf.length) throw new DerError('truncated');
  return { tag, raw: buf.subarray(at, at + hdr + len), content: buf.subarray(at + hdr, at + hdr + len) };
}

export function children(n: Node): Node[] {
  const out: Node[] = [];
  let i = 0;
  while (i < n.content.length) {
    const c = read(n.content, i);
    out.push(c);
    i += c.raw.length;
  }
  return out;
}

export function readOid(n: Node): string {
  const b = n.content;
  const parts = [Math.floor(b[0] / 40), b[0] % 40];
  let v = 0;
  for (let i = 1; i < b.length; i++) {
    v = v * 128 + (b[i] & 0x7f);
    if (!(b[i] & 0x80)) {
      parts.push(v);
      v = 0;
    }
  }
  return parts.join('.');
}

export function readTime(n: Node): number {
  const s = new TextDecoder().decode(n.content);
  const m = n.tag === Tag.UTC_TIME ? s.match(/^(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)?Z$/) : s.match(/^(\d{4})(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)?Z$/);
  if (!m) throw new DerError('bad time');
  let y = Number(m[1]);
  if (n.tag === Tag.UTC_TIME) y += y < 50 ? 2000 : 1900;
  return Date.UTC(y, Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6] ?? 0));
}

export function readString(n: Node): string {
  return new TextDecoder().decode(n.content);
}

/** BIT STRING content without its unused-bits byte. */
export function bits(n: Node): Uint8Array {
  return n.content.subarray(1);
}

export function toBigInt(b: Uint8Array): bigint {
  let v = 0n;
  for (const x of b) v = (v << 8n) | BigInt(x);
  return v;
}

// ---- PEM and hex ------------------------------------------------------------------------

export function toBase64(b: Uint8Array): string {
  let s = '';
  for (const x of b) s += String.fromCharCode(x);
  return btoa(s);
}

export function fromBase64(s: string): Uint8Array {
  const bin = atob(s.replace(/\s+/g, ''));
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

export function pem(label: string, der: Uint8Array): string {
  return `-----BEGIN ${label}-----\n${toBase64(der).replace(/(.{64})/g, '$1\n').replace(/\n$/, '')}\n-----END ${label}-----\n`;
}

/** Every PEM block of `text` with the given label (all labels when omitted). */
export function pemBlocks(text: string, label?: string): { label: string; der: Uint8Array }[] {
  const out: { label: string; der: Uint8Array }[] = [];
  const re = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    if (label && m[1] !== label) continue;
    try {
      out.push({ label: m[1], der: fromBase64(m[2]) });
    } catch {
      // not base64: skip the block, as a PEM reader would fail on it
    }
  }
  return out;
}

export function hex(b: Uint8Array, sep = ':'): string {
  return [...b].map((x) => x.toString(16).padStart(2, '0')).join(sep);
}
