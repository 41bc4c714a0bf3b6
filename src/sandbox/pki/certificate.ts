/**
 * X.509 certificates (RFC 5280) and PKCS#10 requests (RFC 2986), read synchronously from PEM:
 * names, validity, public key, the extensions TLS checks (subjectAltName, basicConstraints,
 * key identifiers), and the signed bytes with their signature.
 */
import { bits, children, DerError, pemBlocks, read, readOid, readString, readTime, Tag, toBigInt, type Node } from './der';
import { onCurve, type PublicKey } from './signature';

export const OID = {
  rsaEncryption: '1.2.840.113549.1.1.1',
  sha256WithRSAEncryption: '1.2.840.113549.1.1.11',
  ecPublicKey: '1.2.840.10045.2.1',
  prime256v1: '1.2.840.10045.3.1.7',
  ecdsaWithSHA256: '1.2.840.10045.4.3.2',
  subjectKeyIdentifier: '2.5.29.14',
  keyUsage: '2.5.29.15',
  subjectAltName: '2.5.29.17',
  basicConstraints: '2.5.29.19',
  authorityKeyIdentifier: '2.5.29.35',
  extKeyUsage: '2.5.29.37',
  extensionRequest: '1.2.840.113549.1.9.14',
} as const;

/** Attribute types of distinguished names, with OpenSSL's short names. */
export const NAME_TYPES: [string, string][] = [
  ['C', '2.5.4.6'],
  ['ST', '2.5.4.8'],
  ['L', '2.5.4.7'],
  ['O', '2.5.4.10'],
  ['OU', '2.5.4.11'],
  ['CN', '2.5.4.3'],
  ['emailAddress', '1.2.840.113549.1.9.1'],
];

export interface NameAttr {
  type: string; // short name (CN, O…) or the dotted OID
  value: string;
}

export interface Name {
  attrs: NameAttr[];
  /** The DER encoding, compared byte for byte when chaining (RFC 5280 7.1, as OpenSSL does in practice). */
  der: Uint8Array;
}

export interface Extensions {
  dnsNames: string[];
  ipAddresses: string[];
  uris: string[];
  basicConstraints?: { ca: boolean; critical: boolean };
  subjectKeyId?: Uint8Array;
  authorityKeyId?: Uint8Array;
  /** OIDs present, in order, with their criticality (for `openssl x509 -text`). */
  present: { oid: string; critical: boolean; value: Uint8Array }[];
}

export interface Certificate {
  pem: string;
  der: Uint8Array;
  version: number;
  serial: Uint8Array;
  signatureAlgorithm: string;
  issuer: Name;
  subject: Name;
  notBefore: number;
  notAfter: number;
  publicKey: PublicKey;
  spki: Uint8Array;
  extensions: Extensions;
  tbs: Uint8Array;
  signature: Uint8Array;
}

export interface CertificateRequest {
  der: Uint8Array;
  subject: Name;
  publicKey: PublicKey;
  spki: Uint8Array;
  extensions: Extensions;
  info: Uint8Array;
  signatureAlgorithm: string;
  signature: Uint8Array;
}

const shortName = (oid: string): string => NAME_TYPES.find(([, o]) => o === oid)?.[0] ?? oid;

function readName(n: Node): Name {
  const attrs: NameAttr[] = [];
  for (const rdn of children(n))
    for (const atv of children(rdn)) {
      const [t, v] = children(atv);
      attrs.push({ type: shortName(readOid(t)), value: readString(v) });
    }
  return { attrs, der: n.raw };
}

/** OpenSSL's one-line form (`-nameopt oneline` defaults of 3.x): "O = example Inc., CN = example.com". */
export function formatName(name: Name): string {
  return name.attrs.map((a) => `${a.type} = ${a.value}`).join(', ');
}

export function commonName(name: Name): string | undefined {
  return [...name.attrs].reverse().find((a) => a.type === 'CN')?.value;
}

export function readPublicKey(spki: Node): PublicKey {
  const [alg, key] = children(spki);
  const [algOid, params] = children(alg);
  const oid = readOid(algOid);
  if (oid === OID.rsaEncryption) {
    const [n, e] = children(read(bits(key)));
    const nv = toBigInt(n.content);
    return { kind: 'rsa', n: nv, e: toBigInt(e.content), bits: nv.toString(2).length };
  }
  if (oid === OID.ecPublicKey && params && readOid(params) === OID.prime256v1) {
    const p = bits(key);
    if (p[0] !== 4 || p.length !== 65) throw new DerError('compressed EC point');
    const x = toBigInt(p.subarray(1, 33));
    const y = toBigInt(p.subarray(33));
    if (!onCurve(x, y)) throw new DerError('point not on curve');
    return { kind: 'ec', curve: 'P-256', x, y };
  }
  throw new DerError(`unsupported key algorithm ${oid}`);
}

function readExtensions(list: Node[]): Extensions {
  const ext: Extensions = { dnsNames: [], ipAddresses: [], uris: [], present: [] };
  for (const e of list) {
    const parts = children(e);
    const oid = readOid(parts[0]);
    const critical = parts.length === 3 && parts[1].tag === Tag.BOOLEAN && parts[1].content[0] !== 0;
    const value = parts[parts.length - 1].content;
    ext.present.push({ oid, critical, value });
    const inner = read(value);
    if (oid === OID.subjectAltName)
      for (const g of children(inner)) {
        if (g.tag === 0x82) ext.dnsNames.push(readString(g));
        else if (g.tag === 0x86) ext.uris.push(readString(g));
        else if (g.tag === 0x87 && g.content.length === 4) ext.ipAddresses.push([...g.content].join('.'));
      }
    else if (oid === OID.basicConstraints) {
      const c = children(inner);
      ext.basicConstraints = { ca: c[0]?.tag === Tag.BOOLEAN && c[0].content[0] !== 0, critical };
    } else if (oid === OID.subjectKeyIdentifier) ext.subjectKeyId = inner.content;
    else if (oid === OID.authorityKeyIdentifier) ext.authorityKeyId = children(inner).find((c) => c.tag === 0x80)?.content;
  }
  return ext;
}

export function parseCertificateDer(der: Uint8Array, pemText = ''): Certificate {
  const [tbs, sigAlg, sig] = children(read(der));
  const f = children(tbs);
  let i = 0;
  let version = 1;
  if (f[0].tag === 0xa0) {
    version = Number(toBigInt(children(f[0])[0].content)) + 1;
    i++;
  }
  const serial = f[i++].content;
  i++; // signature algorithm inside tbs
  const issuer = readName(f[i++]);
  const [nb, na] = children(f[i++]);
  const subject = readName(f[i++]);
  const spkiNode = f[i++];
  const extNode = f.slice(i).find((n) => n.tag === 0xa3);
  return {
    pem: pemText,
    der,
    version,
    serial,
    signatureAlgorithm: readOid(children(sigAlg)[0]),
    issuer,
    subject,
    notBefore: readTime(nb),
    notAfter: readTime(na),
    publicKey: readPublicKey(spkiNode),
    spki: spkiNode.raw,
    extensions: readExtensions(extNode ? children(children(extNode)[0]) : []),
    tbs: tbs.raw,
    signature: bits(sig),
  };
}

/** Every certificate in a PEM text (a bundle or chain); blocks that do not parse are skipped. */
export function parseCertificates(text: string): Certificate[] {
  const out: Certificate[] = [];
  for (const b of pemBlocks(text, 'CERTIFICATE')) {
    try {
      out.push(parseCertificateDer(b.der, text));
    } catch {
      // a damaged block: OpenSSL would refuse the file; callers see fewer certificates
    }
  }
  return out;
}

export function parseCertificateRequest(text: string): CertificateRequest | undefined {
  const b = pemBlocks(text, 'CERTIFICATE REQUEST')[0];
  if (!b) return undefined;
  try {
    const [info, sigAlg, sig] = children(read(b.der));
    const [, subj, spki, attrs] = children(info);
    let extensions: Extensions = { dnsNames: [], ipAddresses: [], uris: [], present: [] };
    for (const attr of attrs ? children(attrs) : []) {
      const [t, vals] = children(attr);
      if (readOid(t) === OID.extensionRequest) extensions = readExtensions(children(children(vals)[0]));
    }
    return {
      der: b.der,
      subject: readName(subj),
      publicKey: readPublicKey(spki),
      spki: spki.raw,
      extensions,
      info: info.raw,
      signatureAlgorithm: readOid(children(sigAlg)[0]),
      signature: bits(sig),
    };
  } catch {
    return undefined;
  }
}

export const sameBytes = (a: Uint8Array | undefined, b: Uint8Array | undefined): boolean => !!a && !!b && a.length === b.length && a.every((x, i) => x === b[i]);
