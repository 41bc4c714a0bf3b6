/**
 * Synchronous signature verification for the algorithms X.509 and JWT use here:
 * RSASSA-PKCS1-v1_5 with SHA-256 (sha256WithRSAEncryption, RS256; RFC 8017 8.2.2) and
 * ECDSA P-256 with SHA-256 (ecdsa-with-SHA256, ES256; SEC 1 4.1.4).
 */
import { children, concat, read, toBigInt } from './der';
import { sha256 } from './hash';

export type PublicKey = { kind: 'rsa'; n: bigint; e: bigint; bits: number } | { kind: 'ec'; curve: 'P-256'; x: bigint; y: bigint };

function modPow(b: bigint, e: bigint, m: bigint): bigint {
  let r = 1n;
  b %= m;
  while (e > 0n) {
    if (e & 1n) r = (r * b) % m;
    b = (b * b) % m;
    e >>= 1n;
  }
  return r;
}

function toBytes(v: bigint, len: number): Uint8Array {
  const out = new Uint8Array(len);
  for (let i = len - 1; i >= 0; i--) {
    out[i] = Number(v & 0xffn);
    v >>= 8n;
  }
  return out;
}

// DigestInfo prefix for SHA-256 (RFC 8017 9.2 note 1)
const SHA256_PREFIX = new Uint8Array([0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01, 0x05, 0x00, 0x04, 0x20]);

export function verifyRsaSha256(key: { n: bigint; e: bigint }, data: Uint8Array, sig: Uint8Array): boolean {
  const k = Math.ceil(key.n.toString(16).length / 2);
  if (sig.length !== k) return false;
  const s = toBigInt(sig);
  if (s >= key.n) return false;
  const em = toBytes(modPow(s, key.e, key.n), k);
  const t = concat(SHA256_PREFIX, sha256(data));
  if (k < t.length + 11 || em[0] !== 0 || em[1] !== 1) return false;
  const psEnd = k - t.length - 1;
  for (let i = 2; i < psEnd; i++) if (em[i] !== 0xff) return false;
  if (em[psEnd] !== 0) return false;
  for (let i = 0; i < t.length; i++) if (em[psEnd + 1 + i] !== t[i]) return false;
  return true;
}

// ---- P-256 (FIPS 186-4 D.1.2.3) --------------------------------------------------------------

const P = 0xffffffff00000001000000000000000000000000ffffffffffffffffffffffffn;
const N = 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n;
const A = P - 3n;
const G = { x: 0x6b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296n, y: 0x4fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f5n };
type Pt = { x: bigint; y: bigint } | null;

const mod = (a: bigint, m: bigint): bigint => ((a % m) + m) % m;
function inv(a: bigint, m: bigint): bigint {
  let [r0, r1] = [mod(a, m), m];
  let [s0, s1] = [1n, 0n];
  while (r1 !== 0n) {
    const q = r0 / r1;
    [r0, r1] = [r1, r0 - q * r1];
    [s0, s1] = [s1, s0 - q * s1];
  }
  return mod(s0, m);
}

function add(p: Pt, q: Pt): Pt {
  if (!p) return q;
  if (!q) return p;
  if (p.x === q.x && mod(p.y + q.y, P) === 0n) return null;
  const l = p.x === q.x ? mod((3n * p.x * p.x + A) * inv(2n * p.y, P), P) : mod((q.y - p.y) * inv(q.x - p.x, P), P);
  const x = mod(l * l - p.x - q.x, P);
  return { x, y: mod(l * (p.x - x) - p.y, P) };
}

function mul(k: bigint, p: Pt): Pt {
  let r: Pt = null;
  for (let b = p; k > 0n; k >>= 1n, b = add(b, b)) if (k & 1n) r = add(r, b);
  return r;
}

export function onCurve(x: bigint, y: bigint): boolean {
  return mod(y * y - (x * x * x + A * x + 0x5ac635d8aa3a93e7b3ebbd55769886bc651d06b0cc53b0f63bce3c3e27d2604bn), P) === 0n;
}

/** ECDSA P-256/SHA-256 with the signature as r‖s (JWS) or as DER SEQUENCE { r, s } (X.509). */
export function verifyEcdsaP256(key: { x: bigint; y: bigint }, data: Uint8Array, sig: Uint8Array): boolean {
  let r: bigint;
  let s: bigint;
  if (sig.length === 64) {
    r = toBigInt(sig.subarray(0, 32));
    s = toBigInt(sig.subarray(32));
  } else {
    try {
      const [rn, sn] = children(read(sig));
      r = toBigInt(rn.content);
      s = toBigInt(sn.content);
    } catch {
      return false;
    }
  }
  if (r <= 0n || r >= N || s <= 0n || s >= N) return false;
  const z = toBigInt(sha256(data));
  const w = inv(s, N);
  const pt = add(mul(mod(z * w, N), G), mul(mod(r * w, N), { x: key.x, y: key.y }));
  return !!pt && mod(pt.x, N) === r;
}

export function verifySignature(key: PublicKey, data: Uint8Array, sig: Uint8Array): boolean {
  return key.kind === 'rsa' ? verifyRsaSha256(key, data, sig) : verifyEcdsaP256(key, data, sig);
}
