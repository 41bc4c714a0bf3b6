/**
 * Certificate path validation as OpenSSL's X509_verify_cert does it for a TLS peer
 * (openssl crypto/x509/x509_vfy.c): build the chain from the presented certificates and the
 * trusted store, then check signatures and validity; the host name is checked afterwards by the
 * client (curl's ossl_verifyhost, Envoy's SAN matchers).
 */
import { commonName, sameBytes, type Certificate } from './certificate';
import { OID } from './certificate';
import { verifySignature } from './signature';

/** X509_V_ERR_* kinds, with OpenSSL 3's X509_verify_cert_error_string wording. */
export const VERIFY_ERRORS = {
  'unable-to-get-local-issuer': 'unable to get local issuer certificate',
  'self-signed': 'self-signed certificate',
  'self-signed-in-chain': 'self-signed certificate in certificate chain',
  'bad-signature': 'certificate signature failure',
  expired: 'certificate has expired',
  'not-yet-valid': 'certificate is not yet valid',
  'invalid-ca': 'invalid CA certificate',
} as const;

export type VerifyErrorKind = keyof typeof VERIFY_ERRORS;

export type VerifyResult = { ok: true; chain: Certificate[] } | { ok: false; error: VerifyErrorKind; depth: number; cert: Certificate };

const selfIssued = (c: Certificate): boolean => sameBytes(c.issuer.der, c.subject.der);

function issues(issuer: Certificate, child: Certificate): boolean {
  if (!sameBytes(issuer.subject.der, child.issuer.der)) return false;
  const aki = child.extensions.authorityKeyId;
  const ski = issuer.extensions.subjectKeyId;
  return !(aki && ski && !sameBytes(aki, ski));
}

export function signedBy(child: Certificate, issuer: Certificate): boolean {
  if (child.signatureAlgorithm !== OID.sha256WithRSAEncryption && child.signatureAlgorithm !== OID.ecdsaWithSHA256) return false;
  if ((child.signatureAlgorithm === OID.sha256WithRSAEncryption) !== (issuer.publicKey.kind === 'rsa')) return false;
  return verifySignature(issuer.publicKey, child.tbs, child.signature);
}

/**
 * Validates `presented` (leaf first, then any intermediates the peer sent) against `trusted`.
 * `nowMs` is the sandbox clock.
 */
export function verifyChain(presented: Certificate[], trusted: Certificate[], nowMs: number): VerifyResult {
  const leaf = presented[0];
  const chain: Certificate[] = [leaf];
  const inTrust = (c: Certificate): boolean => trusted.some((t) => sameBytes(t.der, c.der));
  // build: prefer a trusted issuer, then an untrusted one the peer sent
  for (let cur = leaf; chain.length < 10; ) {
    if (inTrust(cur)) break;
    const issuer = trusted.find((t) => issues(t, cur)) ?? presented.slice(1).find((p) => issues(p, cur) && !chain.includes(p));
    if (!issuer) {
      if (selfIssued(cur)) {
        const depth = chain.length - 1;
        return { ok: false, error: depth === 0 ? 'self-signed' : 'self-signed-in-chain', depth, cert: cur };
      }
      return { ok: false, error: 'unable-to-get-local-issuer', depth: chain.length - 1, cert: cur };
    }
    if (issuer === cur) break;
    chain.push(issuer);
    cur = issuer;
    if (inTrust(issuer)) break;
  }
  // check from the trust anchor down: CA flag, signature, validity
  for (let d = chain.length - 1; d >= 0; d--) {
    const c = chain[d];
    const issuer = chain[d + 1] ?? c;
    if (d + 1 < chain.length && issuer.version === 3 && issuer.extensions.basicConstraints && !issuer.extensions.basicConstraints.ca) return { ok: false, error: 'invalid-ca', depth: d + 1, cert: issuer };
    // a trust anchor's own signature is not checked (no X509_V_FLAG_CHECK_SS_SIGNATURE)
    if (!(d === chain.length - 1 && inTrust(c)) && !signedBy(c, issuer)) return { ok: false, error: 'bad-signature', depth: d, cert: c };
    if (nowMs < c.notBefore) return { ok: false, error: 'not-yet-valid', depth: d, cert: c };
    if (nowMs > c.notAfter) return { ok: false, error: 'expired', depth: d, cert: c };
  }
  return { ok: true, chain };
}

/** RFC 6125 host matching as OpenSSL's X509_check_host: DNS SANs, or the CN when there are none. */
export function matchesHost(cert: Certificate, host: string): boolean {
  const h = host.toLowerCase().replace(/\.$/, '');
  const match = (pattern: string): boolean => {
    const p = pattern.toLowerCase();
    if (p === h) return true;
    // one wildcard, the whole left-most label
    if (p.startsWith('*.')) {
      const rest = p.slice(1);
      return h.endsWith(rest) && !h.slice(0, -rest.length).includes('.') && h.length > rest.length;
    }
    return false;
  };
  if (/^\d+\.\d+\.\d+\.\d+$/.test(h)) return cert.extensions.ipAddresses.includes(h);
  if (cert.extensions.dnsNames.length) return cert.extensions.dnsNames.some(match);
  const cn = commonName(cert.subject);
  return !!cn && match(cn);
}
