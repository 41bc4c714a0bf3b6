/** The sandbox's public-key infrastructure: real keys, X.509 certificates and their verification. */
export { parseCertificates, parseCertificateRequest, formatName, commonName, type Certificate, type CertificateRequest, type Name } from './certificate';
export { verifyChain, matchesHost, VERIFY_ERRORS, type VerifyErrorKind, type VerifyResult } from './verify';
export { generateKey, importPrivateKey, privateKeyPem, type PrivateKey } from './keys';
export { createCertificate, createRequest, parseSubject, parseSan, randomSerial } from './issue';
