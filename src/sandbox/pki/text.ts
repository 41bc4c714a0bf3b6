/**
 * `openssl x509 -text -noout` and `openssl req -text -noout`, laid out as OpenSSL 3.0 prints them
 * (crypto/x509/t_x509.c, t_req.c, v3_*.c).
 */
import { formatName, OID, type Certificate, type CertificateRequest, type Extensions } from './certificate';
import { hex, toBigInt } from './der';
import type { PublicKey } from './signature';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** ASN1_TIME_print: "Dec  4 17:22:12 2026 GMT". */
export function opensslDate(ms: number): string {
  const d = new Date(ms);
  const p = (n: number): string => String(n).padStart(2, '0');
  return `${MONTHS[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2, ' ')} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} ${d.getUTCFullYear()} GMT`;
}

const SIG_NAMES: Record<string, string> = { [OID.sha256WithRSAEncryption]: 'sha256WithRSAEncryption', [OID.ecdsaWithSHA256]: 'ecdsa-with-SHA256' };

function bigHex(v: bigint): Uint8Array {
  let h = v.toString(16);
  if (h.length % 2) h = `0${h}`;
  const b = Uint8Array.from(h.match(/../g)!.map((x) => parseInt(x, 16)));
  return b[0] & 0x80 ? Uint8Array.from([0, ...b]) : b;
}

function hexBlock(b: Uint8Array, perLine: number, indent: number): string {
  const parts = [...b].map((x) => x.toString(16).padStart(2, '0'));
  const lines: string[] = [];
  for (let i = 0; i < parts.length; i += perLine) lines.push(' '.repeat(indent) + parts.slice(i, i + perLine).join(':') + (i + perLine < parts.length ? ':' : ''));
  return lines.join('\n');
}

function publicKeyText(k: PublicKey): string {
  if (k.kind === 'rsa')
    return `            Public Key Algorithm: rsaEncryption\n                Public-Key: (${k.bits} bit)\n                Modulus:\n${hexBlock(bigHex(k.n), 15, 20)}\n                Exponent: ${k.e} (0x${k.e.toString(16)})\n`;
  const pt = Uint8Array.from([4, ...bigHex(k.x).slice(-32).map((x) => x), ...bigHex(k.y).slice(-32)]);
  return `            Public Key Algorithm: id-ecPublicKey\n                Public-Key: (256 bit)\n                pub:\n${hexBlock(pt, 15, 20)}\n                ASN1 OID: prime256v1\n                NIST CURVE: P-256\n`;
}

const EXT_NAMES: Record<string, string> = {
  [OID.subjectKeyIdentifier]: 'X509v3 Subject Key Identifier',
  [OID.authorityKeyIdentifier]: 'X509v3 Authority Key Identifier',
  [OID.basicConstraints]: 'X509v3 Basic Constraints',
  [OID.subjectAltName]: 'X509v3 Subject Alternative Name',
  [OID.keyUsage]: 'X509v3 Key Usage',
  [OID.extKeyUsage]: 'X509v3 Extended Key Usage',
};

function extensionsText(ext: Extensions, indent: number): string {
  const pad = ' '.repeat(indent);
  let out = '';
  for (const e of ext.present) {
    out += `${pad}${EXT_NAMES[e.oid] ?? e.oid}: ${e.critical ? 'critical' : ''}\n`;
    let value: string;
    if (e.oid === OID.subjectKeyIdentifier) value = hex(ext.subjectKeyId ?? new Uint8Array()).toUpperCase();
    else if (e.oid === OID.authorityKeyIdentifier) value = hex(ext.authorityKeyId ?? new Uint8Array()).toUpperCase();
    else if (e.oid === OID.basicConstraints) value = `CA:${ext.basicConstraints?.ca ? 'TRUE' : 'FALSE'}`;
    else if (e.oid === OID.subjectAltName) value = [...ext.dnsNames.map((d) => `DNS:${d}`), ...ext.ipAddresses.map((i) => `IP Address:${i}`), ...ext.uris.map((u) => `URI:${u}`)].join(', ');
    else value = hexBlock(e.value, 18, 0).replace(/\n/g, `\n${pad}    `);
    out += `${pad}    ${value}\n`;
  }
  return out;
}

export function certificateText(c: Certificate): string {
  const serial = c.serial.length <= 8 ? (() => {
    const v = toBigInt(c.serial);
    return ` ${v} (0x${v.toString(16)})`;
  })() : `\n            ${hex(c.serial)}`;
  let out = 'Certificate:\n    Data:\n';
  out += `        Version: ${c.version} (0x${(c.version - 1).toString(16)})\n`;
  out += `        Serial Number:${serial}\n`;
  out += `        Signature Algorithm: ${SIG_NAMES[c.signatureAlgorithm] ?? c.signatureAlgorithm}\n`;
  out += `        Issuer: ${formatName(c.issuer)}\n`;
  out += `        Validity\n            Not Before: ${opensslDate(c.notBefore)}\n            Not After : ${opensslDate(c.notAfter)}\n`;
  out += `        Subject: ${formatName(c.subject)}\n`;
  out += `        Subject Public Key Info:\n${publicKeyText(c.publicKey)}`;
  if (c.extensions.present.length) out += `        X509v3 extensions:\n${extensionsText(c.extensions, 12)}`;
  out += `    Signature Algorithm: ${SIG_NAMES[c.signatureAlgorithm] ?? c.signatureAlgorithm}\n    Signature Value:\n${hexBlock(c.signature, 18, 8)}\n`;
  return out;
}

export function requestText(r: CertificateRequest): string {
  let out = 'Certificate Request:\n    Data:\n        Version: 1 (0x0)\n';
  out += `        Subject: ${formatName(r.subject)}\n`;
  out += `        Subject Public Key Info:\n${publicKeyText(r.publicKey)}`;
  if (r.extensions.present.length) out += `        Attributes:\n            Requested Extensions:\n${extensionsText(r.extensions, 16)}`;
  else out += '        Attributes:\n            (none)\n            Requested Extensions:\n';
  out += `    Signature Algorithm: ${SIG_NAMES[r.signatureAlgorithm] ?? r.signatureAlgorithm}\n    Signature Value:\n${hexBlock(r.signature, 18, 8)}\n`;
  return out;
}
