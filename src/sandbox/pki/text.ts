/**
 * `openssl x509 -text -noout` and `openssl req -text -noout`, laid out as OpenSSL 3.0 prints them
 * (crypto/x509/t_x509.c, t_req.c, v3_*.c).
 */
import { formatName, OID, type Certificate, type CertificateRequest, type Extensions } from './certificate';
import { children, hex, read, readOid, toBigInt } from './der';
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

/** v3_bitst.c key_usage_type_table, in bit order. */
const KEY_USAGES = ['Digital Signature', 'Non Repudiation', 'Key Encipherment', 'Data Encipherment', 'Key Agreement', 'Certificate Sign', 'CRL Sign', 'Encipher Only', 'Decipher Only'];
/** The long names of the extended key usages (OpenSSL's objects.txt). */
const EXT_KEY_USAGES: Record<string, string> = {
  '1.3.6.1.5.5.7.3.1': 'TLS Web Server Authentication',
  '1.3.6.1.5.5.7.3.2': 'TLS Web Client Authentication',
  '1.3.6.1.5.5.7.3.3': 'Code Signing',
  '1.3.6.1.5.5.7.3.4': 'E-mail Protection',
  '1.3.6.1.5.5.7.3.8': 'Time Stamping',
  '1.3.6.1.5.5.7.3.9': 'OCSP Signing',
};

/** The value line of a Key Usage (BIT STRING) or Extended Key Usage (SEQUENCE OF OID) extension; undefined if unreadable. */
function usageText(oidStr: string, value: Uint8Array): string | undefined {
  try {
    const node = read(value);
    if (oidStr === OID.keyUsage) {
      const b = node.content.subarray(1);
      return KEY_USAGES.filter((_, i) => (b[i >> 3] ?? 0) & (0x80 >> (i & 7))).join(', ');
    }
    return children(node).map((n) => { const o = readOid(n); return EXT_KEY_USAGES[o] ?? o; }).join(', ');
  } catch {
    return undefined;
  }
}

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
    else if ((e.oid === OID.keyUsage || e.oid === OID.extKeyUsage) && usageText(e.oid, e.value) !== undefined) value = usageText(e.oid, e.value)!;
    else value = hexBlock(e.value, 18, 0).replace(/\n/g, `\n${pad}    `);
    out += `${pad}    ${value}\n`;
  }
  return out;
}

export function certificateText(c: Certificate): string {
  // the INTEGER's value without the 0x00 that keeps a high first byte positive (OpenSSL prints ASN1_INTEGER data)
  const serialBytes = c.serial.length > 1 && c.serial[0] === 0 && c.serial[1] & 0x80 ? c.serial.subarray(1) : c.serial;
  // X509_print_ex: a value that fits a long in decimal, anything larger in hex
  const value = toBigInt(serialBytes);
  const serial = serialBytes.length <= 8 && value <= 0x7fffffffffffffffn ? ` ${value} (0x${value.toString(16)})` : `\n            ${hex(serialBytes)}`;
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
