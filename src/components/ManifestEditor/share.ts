/**
 * Share links: the edited manifest travels in the URL's hash fragment, compressed, so it never
 * reaches a server and the link works on a static site.
 *
 *   /docs/scenarios/ingress-service-a#manifest=ingress-service-a%2Fvirtual-service.yaml&yaml=<payload>
 *
 * payload = base64url(deflate-raw(UTF-8 text)), made with the platform's CompressionStream
 * (browsers and Node 20 ship it, so no compression library is downloaded).
 */

import {buildShareHash} from './shareHash';

export {buildShareHash, parseShareHash, type ShareTarget} from './shareHash';

/** Longest payload a share link carries; longer edits are downloaded instead. */
export const MAX_SHARE_PAYLOAD = 60_000;
/** Largest text a payload may inflate to (a link is untrusted input: no decompression bombs). */
export const MAX_SHARED_TEXT = 1024 * 1024;

export class ShareError extends Error {
  constructor(
    message: string,
    readonly reason: 'too-large' | 'corrupt',
  ) {
    super(message);
    this.name = 'ShareError';
  }
}

function toBase64Url(bytes: Uint8Array): string {
  let binary = '';
  const chunk = 0x8000;
  for (let i = 0; i < bytes.length; i += chunk) binary += String.fromCharCode(...bytes.subarray(i, i + chunk));
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64Url(text: string): Uint8Array {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) throw new ShareError('the payload is not base64url', 'corrupt');
  const base64 = text.replace(/-/g, '+').replace(/_/g, '/');
  const padded = base64 + '='.repeat((4 - (base64.length % 4)) % 4);
  let binary: string;
  try {
    binary = atob(padded);
  } catch {
    throw new ShareError('the payload is not base64url', 'corrupt');
  }
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i += 1) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

async function readAll(stream: ReadableStream<Uint8Array>, limit: number): Promise<Uint8Array> {
  const reader = stream.getReader();
  const parts: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const {done, value} = await reader.read();
    if (done) break;
    size += value.length;
    if (size > limit) {
      await reader.cancel();
      throw new ShareError(`the shared text is larger than ${limit} bytes`, 'too-large');
    }
    parts.push(value);
  }
  const out = new Uint8Array(size);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

async function transform(bytes: Uint8Array, stream: CompressionStream | DecompressionStream, limit: number): Promise<Uint8Array> {
  const writer = stream.writable.getWriter();
  // Errors surface on the readable side; the writer's promises are only awaited to avoid
  // unhandled rejections.
  writer.write(bytes as Uint8Array<ArrayBuffer>).catch(() => undefined);
  writer.close().catch(() => undefined);
  return readAll(stream.readable as ReadableStream<Uint8Array>, limit);
}

/** base64url(deflate-raw(UTF-8 text)). */
export async function encodeSharePayload(text: string): Promise<string> {
  const bytes = new TextEncoder().encode(text);
  const deflated = await transform(bytes, new CompressionStream('deflate-raw'), Infinity);
  return toBase64Url(deflated);
}

/** The text of a payload; throws ShareError on anything that is not a payload we made. */
export async function decodeSharePayload(payload: string, maxBytes: number = MAX_SHARED_TEXT): Promise<string> {
  const deflated = fromBase64Url(payload);
  let inflated: Uint8Array;
  try {
    inflated = await transform(deflated, new DecompressionStream('deflate-raw'), maxBytes);
  } catch (error) {
    if (error instanceof ShareError) throw error;
    throw new ShareError('the payload does not inflate', 'corrupt');
  }
  try {
    return new TextDecoder('utf-8', {fatal: true}).decode(inflated);
  } catch {
    throw new ShareError('the payload is not UTF-8 text', 'corrupt');
  }
}

/** A full share URL for `text` in block `file` of the page at `pageUrl` (its hash is replaced). */
export async function buildShareUrl(pageUrl: string, file: string, text: string): Promise<string> {
  const payload = await encodeSharePayload(text);
  if (payload.length > MAX_SHARE_PAYLOAD) {
    throw new ShareError(`the compressed manifest takes ${payload.length} characters, more than ${MAX_SHARE_PAYLOAD}`, 'too-large');
  }
  return `${pageUrl.replace(/#.*$/, '')}${buildShareHash({file, payload})}`;
}
