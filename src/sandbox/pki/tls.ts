/**
 * The TLS handshake's certificate decisions, for both ends of a connection in the sandbox:
 * a client (curl) checking the server it reached, and a server (an Envoy listener with
 * tls.mode MUTUAL) checking the client's certificate.
 */
import { commonName, parseCertificates, sameBytes } from './certificate';
import { importPrivateKey } from './keys';
import { matchesHost, verifyChain, VERIFY_ERRORS, type VerifyErrorKind } from './verify';

/** curl's message for a server certificate that fails (exit code 60), or undefined when it is accepted. */
export function curlServerCheck(serverChainPem: string, caBundle: string | undefined, host: string, nowMs: number): string | undefined {
  const presented = parseCertificates(serverChainPem);
  if (!presented.length) return 'SSL certificate problem: unable to get local issuer certificate';
  // without --cacert, curl trusts the system bundle, which holds none of the sandbox's CAs
  const trusted = caBundle === undefined ? [] : parseCertificates(caBundle);
  const r = verifyChain(presented, trusted, nowMs);
  if (!r.ok) return `SSL certificate problem: ${VERIFY_ERRORS[r.error]}`;
  // curl's ossl_verifyhost: subjectAltName DNS names, or the subject's CN when there are none
  if (!matchesHost(presented[0], host)) {
    const leaf = presented[0];
    if (leaf.extensions.dnsNames.length || leaf.extensions.ipAddresses.length) return `SSL: no alternative certificate subject name matches target host name '${host}'`;
    return `SSL: certificate subject name '${commonName(leaf.subject) ?? ''}' does not match target host name '${host}'`;
  }
  return undefined;
}

/** The TLS alert a server sends when the client certificate is missing or fails (RFC 8446 6.2). */
export type ClientCertAlert = 'certificate required' | 'unknown ca' | 'certificate expired' | 'bad certificate' | 'decrypt error';

const ALERT_OF: Record<VerifyErrorKind, ClientCertAlert> = {
  'unable-to-get-local-issuer': 'unknown ca',
  'self-signed': 'unknown ca',
  'self-signed-in-chain': 'unknown ca',
  'invalid-ca': 'unknown ca',
  'bad-signature': 'decrypt error',
  expired: 'certificate expired',
  'not-yet-valid': 'bad certificate',
};

/** A server requiring a client certificate (Envoy's require_client_certificate with a validation context). */
export function serverClientCheck(clientChainPem: string | undefined, caBundle: string, nowMs: number): ClientCertAlert | undefined {
  const presented = clientChainPem ? parseCertificates(clientChainPem) : [];
  if (!presented.length) return 'certificate required';
  const r = verifyChain(presented, parseCertificates(caBundle), nowMs);
  return r.ok ? undefined : ALERT_OF[r.error];
}

/**
 * What OpenSSL (as curl links it) prints when the server's alert arrives: TLS 1.3 sends the
 * client's certificate after the handshake, so the alert shows on the first read (curl exit 56).
 */
export const OPENSSL_ALERT_ERRORS: Record<ClientCertAlert, string> = {
  'certificate required': 'error:0A00045C:SSL routines::tlsv13 alert certificate required',
  'unknown ca': 'error:0A000418:SSL routines::tlsv1 alert unknown ca',
  'certificate expired': 'error:0A000415:SSL routines::sslv3 alert certificate expired',
  'bad certificate': 'error:0A000412:SSL routines::sslv3 alert bad certificate',
  'decrypt error': 'error:0A000433:SSL routines::tlsv1 alert decrypt error',
};

/**
 * curl --cert/--key: the client certificate chain to present, or curl's error (exit 58) when the
 * files cannot be read or the key does not belong to the certificate (lib/vtls/openssl.c cert_stuff).
 */
export async function clientCertificate(readFile: (f: string) => string, certFile: string, keyFile: string | undefined): Promise<{ pem: string } | { error: string }> {
  let certText: string;
  try {
    certText = readFile(certFile);
  } catch {
    return { error: `could not load PEM client certificate from ${certFile}, OpenSSL error error:80000002:system library::No such file or directory, (no key found, wrong pass phrase, or wrong file format?)` };
  }
  const certs = parseCertificates(certText);
  if (!certs.length) return { error: `could not load PEM client certificate from ${certFile}, OpenSSL error error:0480006C:PEM routines::no start line, (no key found, wrong pass phrase, or wrong file format?)` };
  const kf = keyFile ?? certFile;
  let keyText: string;
  try {
    keyText = readFile(kf);
  } catch {
    return { error: `unable to set private key file: '${kf}' type PEM` };
  }
  const key = await importPrivateKey(keyText);
  if (!key) return { error: `unable to set private key file: '${kf}' type PEM` };
  if (!sameBytes(key.spki, certs[0].spki)) return { error: 'Private key does not match the certificate public key' };
  return { pem: certText };
}
