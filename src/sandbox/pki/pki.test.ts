import { describe, expect, it } from 'vitest';
import { pem } from './der';
import { createCertificate, createRequest, generateKey, importPrivateKey, matchesHost, parseCertificateRequest, parseCertificates, parseSubject, privateKeyPem, verifyChain, type Certificate, type PrivateKey } from './index';

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 11, 4, 12, 0, 0);
const serial = (n: number): Uint8Array => new Uint8Array([n]);

async function ca(cn: string, key: PrivateKey): Promise<Certificate> {
  return createCertificate({ subject: [{ type: 'O', value: 'example Inc.' }, { type: 'CN', value: cn }], spki: key.spki, serial: serial(1), notBefore: NOW, notAfter: NOW + 365 * DAY, selfKey: key, ca: true });
}

describe('pki: issue and verify (OpenSSL semantics)', async () => {
  const caKey = await generateKey({ kind: 'ec' });
  const otherKey = await generateKey({ kind: 'ec' });
  const leafKey = await generateKey({ kind: 'ec' });
  const root = await ca('example.com', caKey);
  const otherRoot = await ca('example.com', otherKey); // same name, different key
  const leaf = await createCertificate({ subject: [{ type: 'CN', value: 'httpbin.example.com' }, { type: 'O', value: 'httpbin organization' }], spki: leafKey.spki, serial: serial(0), notBefore: NOW, notAfter: NOW + 365 * DAY, issuer: { cert: root, key: caKey } });
  const noIds = await createCertificate({ subject: [{ type: 'CN', value: 'n' }], spki: leafKey.spki, serial: serial(4), notBefore: NOW, notAfter: NOW + DAY, issuer: { cert: root, key: caKey }, keyIds: false });
  const withSan = await createCertificate({ subject: [{ type: 'CN', value: 'x' }], spki: leafKey.spki, serial: serial(2), notBefore: NOW, notAfter: NOW + DAY, issuer: { cert: root, key: caKey }, san: { dns: ['*.example.com', 'helloworld.example.com'], ip: [], uri: [] } });

  it.each<[string, () => Certificate[], () => Certificate[], number, string | true]>([
    ['leaf signed by the trusted CA', () => [leaf], () => [root], NOW + DAY, true],
    ['self-signed root trusted as itself', () => [root], () => [root], NOW + DAY, true],
    ['no trust: self-signed', () => [root], () => [], NOW + DAY, 'self-signed'],
    ['no trust: leaf of an unknown CA', () => [leaf], () => [], NOW + DAY, 'unable-to-get-local-issuer'],
    ['leaf + its root sent, root not trusted', () => [leaf, root], () => [], NOW + DAY, 'self-signed-in-chain'],
    // the authority key id names another key: no issuer candidate, as in OpenSSL's check_issued
    ['trusted CA with the same name but another key', () => [leaf], () => [otherRoot], NOW + DAY, 'unable-to-get-local-issuer'],
    ['same name, another key, no key ids', () => [noIds], () => [otherRoot], NOW + DAY, 'bad-signature'],
    ['expired', () => [leaf], () => [root], NOW + 400 * DAY, 'expired'],
    ['not yet valid', () => [leaf], () => [root], NOW - DAY, 'not-yet-valid'],
  ])('%s', (_name, presented, trusted, now, want) => {
    const r = verifyChain(presented(), trusted(), now);
    expect(r.ok ? true : r.error).toBe(want);
  });

  it.each<[string, () => Certificate, string, boolean]>([
    ['CN when no SAN', () => leaf, 'httpbin.example.com', true],
    ['CN mismatch', () => leaf, 'helloworld.example.com', false],
    ['SAN exact', () => withSan, 'helloworld.example.com', true],
    ['SAN wildcard one label', () => withSan, 'foo.example.com', true],
    ['SAN wildcard not two labels', () => withSan, 'a.b.example.com', false],
    ['CN ignored when SANs exist', () => withSan, 'x', false],
  ])('host: %s', (_n, cert, host, want) => expect(matchesHost(cert(), host)).toBe(want));

  it('round-trips PEM: certificate fields, key, CSR', async () => {
    const [back] = parseCertificates(leaf.pem);
    expect(back.subject.attrs).toEqual([{ type: 'CN', value: 'httpbin.example.com' }, { type: 'O', value: 'httpbin organization' }]);
    expect(back.extensions.authorityKeyId).toEqual(root.extensions.subjectKeyId);
    const k = await importPrivateKey(privateKeyPem(leafKey));
    expect(k?.spki).toEqual(leafKey.spki);
    const csr = parseCertificateRequest(pem('CERTIFICATE REQUEST', await createRequest(parseSubject('/CN=a.example.com/O=a org') as never, leafKey, { dns: ['a.example.com'], ip: [], uri: [] })));
    expect(csr?.subject.attrs.map((a) => a.value)).toEqual(['a.example.com', 'a org']);
    expect(csr?.extensions.dnsNames).toEqual(['a.example.com']);
  });

  it('RSA 2048 signatures verify synchronously', async () => {
    const rsa = await generateKey({ kind: 'rsa', bits: 2048 });
    const r = await ca('rsa.example.com', rsa);
    expect(verifyChain([r], [r], NOW).ok).toBe(true);
    const l = await createCertificate({ subject: [{ type: 'CN', value: 'l' }], spki: leafKey.spki, serial: serial(3), notBefore: NOW, notAfter: NOW + DAY, issuer: { cert: r, key: rsa } });
    expect(verifyChain([l], [r], NOW).ok).toBe(true);
    expect(verifyChain([l], [root], NOW).ok).toBe(false);
  });

  it('reads subjects as openssl -subj does', () => {
    expect(parseSubject('/O=example Inc./CN=example.com')).toEqual([{ type: 'O', value: 'example Inc.' }, { type: 'CN', value: 'example.com' }]);
    expect(parseSubject('CN=x')).toMatch(/not in that format/);
  });
});

describe('pki: openssl x509 -text of serial numbers', async () => {
  const key = await generateKey({ kind: 'ec' });
  const make = (bytes: number[]): Promise<Certificate> => createCertificate({ subject: [{ type: 'CN', value: 's' }], spki: key.spki, serial: new Uint8Array(bytes), notBefore: NOW, notAfter: NOW + DAY, selfKey: key });
  it.each<[string, number[], string]>([
    // a high first byte is stored with a leading 0x00 (a positive INTEGER); OpenSSL prints the value's bytes
    ['16 bytes, top bit set', [0x99, 0x59, 0x6b, 0xa2, 0x5a, 0xf4, 0x20, 0xf4, 0x03, 0xd7, 0xf0, 0xbc, 0x59, 0xf5, 0xd8, 0x40], '        Serial Number:\n            99:59:6b:a2:5a:f4:20:f4:03:d7:f0:bc:59:f5:d8:40\n'],
    ['16 bytes, top bit clear', [0x6f, 0xbe, 0xe2, 0x54, 0xc2, 0x29, 0, 0x61, 0x5c, 0xb1, 0xf7, 0x4e, 0x3d, 0x2f, 0x17, 0x13], '        Serial Number:\n            6f:be:e2:54:c2:29:00:61:5c:b1:f7:4e:3d:2f:17:13\n'],
    // OpenSSL 3.0.19: -set_serial 0x8000000000000001 prints hex (too big for a long), 0x7000000000000001 decimal
    ['8 bytes above LONG_MAX: hex', [0x80, 0, 0, 0, 0, 0, 0, 1], '        Serial Number:\n            80:00:00:00:00:00:00:01\n'],
    ['8 bytes within a long: decimal', [0x70, 0, 0, 0, 0, 0, 0, 1], '        Serial Number: 8070450532247928833 (0x7000000000000001)\n'],
    ['one byte', [5], '        Serial Number: 5 (0x5)\n'],
  ])('%s', async (_, bytes, expected) => {
    const { certificateText } = await import('./text');
    expect(certificateText(await make(bytes)).split(/(?=        Signature Algorithm)/)[0].split('\n').slice(3).join('\n')).toBe(expected);
  });
});
