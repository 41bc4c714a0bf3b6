/**
 * Making certificates and requests the way `openssl req` and `openssl x509 -req` do:
 * names, validity, key identifiers, basic constraints, subjectAltName; signed with WebCrypto.
 */
import { bool, children, explicit, int, octets, oid, pem, printable, read, seq, set, time, tlv, uint, utf8 } from './der';
import { NAME_TYPES, OID, parseCertificateDer, type Certificate, type NameAttr } from './certificate';
import { sha1 } from './hash';
import { signatureAlgorithm, signedStructure, type PrivateKey } from './keys';

export function encodeName(attrs: NameAttr[]): Uint8Array {
  return seq(
    ...attrs.map((a) => {
      const o = NAME_TYPES.find(([n]) => n === a.type)?.[1] ?? a.type;
      // OpenSSL 3's default string_mask (utf8only); countryName must be a PrintableString
      return set(seq(oid(o), a.type === 'C' ? printable(a.value) : utf8(a.value)));
    }),
  );
}

/** Parses `-subj "/C=US/O=example Inc./CN=example.com"` (OpenSSL's slash form; `\/` escapes). */
export function parseSubject(subj: string): NameAttr[] | string {
  if (!subj.startsWith('/')) return `name is expected to be in the format /type0=value0/type1=value1/type2=... where characters may be escaped by \\. This name is not in that format: '${subj}'`;
  const attrs: NameAttr[] = [];
  for (const part of subj.slice(1).split(/(?<!\\)\//)) {
    if (!part) continue;
    const i = part.indexOf('=');
    if (i < 0) return `Hit end of string before finding the '='`;
    const type = part.slice(0, i);
    if (!NAME_TYPES.some(([n]) => n === type)) return `Subject Attribute ${type} has no known NID, skipped`;
    const value = part.slice(i + 1).replace(/\\\//g, '/');
    if (value) attrs.push({ type, value });
  }
  return attrs;
}

/** Key identifier: SHA-1 of the subjectPublicKey bits (RFC 5280 4.2.1.2 method 1, OpenSSL's "hash"). */
export function keyIdentifier(spki: Uint8Array): Uint8Array {
  const [, key] = children(read(spki));
  return sha1(key.content.subarray(1));
}

export interface SubjectAltNames {
  dns: string[];
  ip: string[];
  uri: string[];
}

/** "DNS:a.example.com,IP:10.0.0.1,URI:spiffe://…" → names; undefined for a kind OpenSSL knows but we do not. */
export function parseSan(text: string): SubjectAltNames | undefined {
  const out: SubjectAltNames = { dns: [], ip: [], uri: [] };
  for (const raw of text.split(',')) {
    const item = raw.trim();
    const i = item.indexOf(':');
    const kind = item.slice(0, i).toUpperCase();
    const v = item.slice(i + 1);
    if (kind === 'DNS') out.dns.push(v);
    else if (kind === 'IP' && /^\d+\.\d+\.\d+\.\d+$/.test(v)) out.ip.push(v);
    else if (kind === 'URI') out.uri.push(v);
    else return undefined;
  }
  return out;
}

export function sanExtension(san: SubjectAltNames, critical = false): Uint8Array {
  const enc = (t: number, s: string): Uint8Array => tlv(t, new TextEncoder().encode(s));
  const names = [...san.dns.map((d) => enc(0x82, d)), ...san.ip.map((ip) => tlv(0x87, new Uint8Array(ip.split('.').map(Number)))), ...san.uri.map((u) => enc(0x86, u))];
  return extension(OID.subjectAltName, critical, seq(...names));
}

export function extension(o: string, critical: boolean, value: Uint8Array): Uint8Array {
  return critical ? seq(oid(o), bool(true), octets(value)) : seq(oid(o), octets(value));
}

export interface CertificateParams {
  subject: NameAttr[];
  /** Public key (SubjectPublicKeyInfo DER) the certificate binds. */
  spki: Uint8Array;
  serial: Uint8Array;
  notBefore: number;
  notAfter: number;
  /** Issuer certificate and key; absent: self-signed with `selfKey`. */
  issuer?: { cert: Certificate; key: PrivateKey };
  selfKey?: PrivateKey;
  /** basicConstraints critical CA:TRUE (req -x509's v3_ca section). */
  ca?: boolean;
  san?: SubjectAltNames;
  /** Add subjectKeyIdentifier and authorityKeyIdentifier (OpenSSL 3's default). */
  keyIds?: boolean;
  /** A version 1 certificate: no extensions at all (OpenSSL 3.0's `x509 -req` without -extfile). */
  v1?: boolean;
}

export async function createCertificate(p: CertificateParams): Promise<Certificate> {
  const signer = p.issuer?.key ?? p.selfKey;
  if (!signer) throw new Error('no signing key');
  const exts: Uint8Array[] = [];
  if (p.keyIds !== false && !p.v1) {
    exts.push(extension(OID.subjectKeyIdentifier, false, octets(keyIdentifier(p.spki))));
    const authorityKey = p.issuer ? (p.issuer.cert.extensions.subjectKeyId ?? keyIdentifier(p.issuer.cert.spki)) : keyIdentifier(p.spki);
    exts.push(extension(OID.authorityKeyIdentifier, false, seq(tlv(0x80, authorityKey))));
  }
  if (p.ca && !p.v1) exts.push(extension(OID.basicConstraints, true, seq(bool(true))));
  if (!p.v1 && p.san && p.san.dns.length + p.san.ip.length + p.san.uri.length) exts.push(sanExtension(p.san));
  return signCertificate({
    signer,
    serial: p.serial,
    issuer: p.issuer ? p.issuer.cert.subject.der : encodeName(p.subject),
    subject: encodeName(p.subject),
    notBefore: p.notBefore,
    notAfter: p.notAfter,
    spki: p.spki,
    extensions: exts,
    v1: p.v1,
  });
}

export interface TbsParts {
  signer: PrivateKey;
  serial: Uint8Array;
  /** Issuer and subject names, DER-encoded. */
  issuer: Uint8Array;
  subject: Uint8Array;
  notBefore: number;
  notAfter: number;
  spki: Uint8Array;
  /** Encoded Extension structures, in the order the certificate lists them. */
  extensions: Uint8Array[];
  v1?: boolean;
}

/** Assembles a TBSCertificate (RFC 5280 4.1) from its parts and signs it. */
export async function signCertificate(t: TbsParts): Promise<Certificate> {
  const tbs = seq(
    ...(t.v1 ? [] : [explicit(0, int(2))]),
    uint(t.serial.length ? t.serial : new Uint8Array([0])),
    signatureAlgorithm(t.signer),
    t.issuer,
    seq(time(t.notBefore), time(t.notAfter)),
    t.subject,
    t.spki,
    ...(t.extensions.length ? [explicit(3, seq(...t.extensions))] : []),
  );
  const der = await signedStructure(t.signer, tbs);
  const cert = parseCertificateDer(der);
  cert.pem = pem('CERTIFICATE', der);
  return cert;
}

/** A PKCS#10 request (`openssl req -new`), with subjectAltName as an extensionRequest when given. */
export async function createRequest(subject: NameAttr[], key: PrivateKey, san?: SubjectAltNames): Promise<Uint8Array> {
  const attrs = san ? explicit(0, seq(oid(OID.extensionRequest), set(seq(sanExtension(san))))) : tlv(0xa0, new Uint8Array());
  const info = seq(int(0), encodeName(subject), key.spki, attrs);
  return signedStructure(key, info);
}

/** 20 random bytes with the top bit clear, as OpenSSL 3 draws serial numbers. */
export function randomSerial(next: () => number): Uint8Array {
  const b = new Uint8Array(20);
  for (let i = 0; i < b.length; i++) b[i] = Math.floor(next() * 256);
  b[0] &= 0x7f;
  return b;
}
