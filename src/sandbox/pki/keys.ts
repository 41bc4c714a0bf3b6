/**
 * Keys and signing through WebCrypto (asynchronous; fine for commands such as openssl):
 * RSA and EC P-256 key pairs, PKCS#8 PEM in and out, signatures for certificates and requests.
 */
import { bitString, children, int, nul, octets, oid, pem, pemBlocks, read, readOid, seq, uint } from './der';
import { OID } from './certificate';

export type KeySpec = { kind: 'rsa'; bits: number } | { kind: 'ec' };

export interface PrivateKey {
  kind: 'rsa' | 'ec';
  key: CryptoKey;
  /** SubjectPublicKeyInfo DER of the matching public key. */
  spki: Uint8Array;
  pkcs8: Uint8Array;
}

const RSA = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' } as const;
const EC = { name: 'ECDSA', namedCurve: 'P-256' } as const;

function subtle(): SubtleCrypto {
  const s = globalThis.crypto?.subtle;
  if (!s) throw new Error('WebCrypto is not available');
  return s;
}

export async function generateKey(spec: KeySpec): Promise<PrivateKey> {
  const s = subtle();
  const pair =
    spec.kind === 'rsa'
      ? ((await s.generateKey({ ...RSA, modulusLength: spec.bits, publicExponent: new Uint8Array([1, 0, 1]) }, true, ['sign', 'verify'])) as CryptoKeyPair)
      : ((await s.generateKey(EC, true, ['sign', 'verify'])) as CryptoKeyPair);
  const spki = new Uint8Array(await s.exportKey('spki', pair.publicKey));
  const pkcs8 = new Uint8Array(await s.exportKey('pkcs8', pair.privateKey));
  return { kind: spec.kind, key: pair.privateKey, spki, pkcs8 };
}

export function privateKeyPem(k: PrivateKey): string {
  return pem('PRIVATE KEY', k.pkcs8);
}

/** Reads a PKCS#8 "PRIVATE KEY" (OpenSSL 3's default) or a PKCS#1 "RSA PRIVATE KEY"; undefined if none parses. */
export async function importPrivateKey(text: string): Promise<PrivateKey | undefined> {
  const s = subtle();
  let block = pemBlocks(text, 'PRIVATE KEY')[0]?.der;
  if (!block) {
    const rsa1 = pemBlocks(text, 'RSA PRIVATE KEY')[0]?.der;
    // wrap PKCS#1 in PKCS#8: SEQUENCE { version 0, AlgorithmIdentifier rsaEncryption, OCTET STRING }
    if (rsa1) block = seq(int(0), seq(oid(OID.rsaEncryption), nul()), octets(rsa1));
  }
  if (!block) return undefined;
  try {
    const alg = readOid(children(children(read(block))[1])[0]);
    const kind = alg === OID.rsaEncryption ? 'rsa' : alg === OID.ecPublicKey ? 'ec' : undefined;
    if (!kind) return undefined;
    const params = kind === 'rsa' ? RSA : EC;
    const key = await s.importKey('pkcs8', new Uint8Array(block), params, true, ['sign']);
    // the public half, through JWK (WebCrypto cannot export spki from a private key directly)
    const jwk = await s.exportKey('jwk', key);
    const pub = await s.importKey('jwk', kind === 'rsa' ? { kty: 'RSA', n: jwk.n, e: jwk.e, alg: 'RS256', ext: true } : { kty: 'EC', crv: 'P-256', x: jwk.x, y: jwk.y, ext: true }, params, true, ['verify']);
    return { kind, key, spki: new Uint8Array(await s.exportKey('spki', pub)), pkcs8: block };
  } catch {
    return undefined;
  }
}

/** The AlgorithmIdentifier a key signs with (sha256WithRSAEncryption has NULL parameters; ECDSA none). */
export function signatureAlgorithm(k: PrivateKey): Uint8Array {
  return k.kind === 'rsa' ? seq(oid(OID.sha256WithRSAEncryption), nul()) : seq(oid(OID.ecdsaWithSHA256));
}

/** Signs `data`; ECDSA signatures are DER-encoded as X.509 wants them. */
export async function sign(k: PrivateKey, data: Uint8Array): Promise<Uint8Array> {
  const s = subtle();
  if (k.kind === 'rsa') return new Uint8Array(await s.sign(RSA, k.key, new Uint8Array(data)));
  const raw = new Uint8Array(await s.sign({ name: 'ECDSA', hash: 'SHA-256' }, k.key, new Uint8Array(data)));
  return seq(uint(raw.subarray(0, 32)), uint(raw.subarray(32)));
}

export const signedStructure = async (k: PrivateKey, body: Uint8Array): Promise<Uint8Array> => seq(body, signatureAlgorithm(k), bitString(await sign(k, body)));
