/**
 * Participant tokens and the instructor key. A token is `base64url(payload).base64url(HMAC-SHA256)`
 * over the payload with the server's secret (kept in the data directory, so tokens survive a
 * restart); comparisons are timing-safe.
 */
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export interface TokenClaims {
  /** Room code. */
  r: string;
  /** Participant id. */
  p: string;
}

const b64 = (b: Buffer): string => b.toString('base64url');

function mac(secret: Buffer, payload: string): Buffer {
  return createHmac('sha256', secret).update(payload).digest();
}

export function signToken(secret: Buffer, claims: TokenClaims): string {
  const payload = b64(Buffer.from(JSON.stringify({ r: claims.r, p: claims.p })));
  return `${payload}.${b64(mac(secret, payload))}`;
}

/** The claims of a token this server signed, or undefined (altered, forged, malformed). */
export function verifyToken(secret: Buffer, token: string): TokenClaims | undefined {
  if (typeof token !== 'string' || token.length > 512) return undefined;
  const dot = token.indexOf('.');
  if (dot <= 0) return undefined;
  const payload = token.slice(0, dot);
  const given = Buffer.from(token.slice(dot + 1), 'base64url');
  const expected = mac(secret, payload);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
  try {
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Partial<TokenClaims>;
    return typeof claims.r === 'string' && typeof claims.p === 'string' ? { r: claims.r, p: claims.p } : undefined;
  } catch {
    return undefined;
  }
}

/** Timing-safe equality of two secrets of any length (both are hashed to the same length first). */
export function secretEquals(expected: string, given: unknown): boolean {
  if (typeof given !== 'string') return false;
  const a = createHash('sha256').update(expected).digest();
  const b = createHash('sha256').update(given).digest();
  return timingSafeEqual(a, b) && expected.length === given.length;
}

export function randomKey(bytes = 24): string {
  return b64(randomBytes(bytes));
}

/** Short codes people type: no 0/O, 1/I/L. */
const CODE_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';

export function randomCode(length = 6): string {
  const bytes = randomBytes(length);
  let s = '';
  for (const b of bytes) s += CODE_ALPHABET[b % CODE_ALPHABET.length];
  return s;
}
