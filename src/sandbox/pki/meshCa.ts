/**
 * The mesh's certificate authority as istiod runs it by default (no plugged-in `cacerts`): a self-signed
 * root for the trust domain and a workload certificate for each proxy, made the first time something
 * looks at them (`istioctl proxy-config secret`), never at sandbox start (RSA key generation through
 * WebCrypto takes a tenth of a second or more per key). What the certificates hold, byte for byte where
 * it shows:
 *   root      istio/istio security/pkg/pki/ca/ca.go NewSelfSignedIstioCAOptions: O=<trust domain>,
 *             RSA 2048, 10 years (DefaultSelfSignedCACertTTL 3650 days) from istiod's start;
 *             security/pkg/pki/util/generate_cert.go genCertTemplateFromOptions (IsCA): Key Usage
 *             critical Certificate Sign, Basic Constraints critical CA:TRUE; Go's x509 adds the Subject
 *             Key Identifier (SHA-1 of the key bits) and no Authority Key Identifier for a self-signed CA
 *   workload  generate_cert.go genCertTemplateFromCSR: empty subject, 128-bit random serial (genSerialNum),
 *             NotBefore = issue time − ClockSkewGracePeriod (2 min), NotAfter = issue time + 24 h
 *             (the default workload cert TTL), Key Usage critical Digital Signature, Key Encipherment,
 *             Extended Key Usage TLS Web Server/Client Authentication, Basic Constraints critical
 *             CA:FALSE, Authority Key Identifier = the root's key id, and the critical Subject
 *             Alternative Name URI:spiffe://<trust domain>/ns/<namespace>/sa/<service account>
 *             (BuildSubjectAltNameExtension); the proxy's key is RSA 2048 (pilot-agent's default)
 * The layout was checked against a real Istio config dump (istioctl's testdata/secret/istio/config_dump.json,
 * decoded with openssl x509 -text). The agent renews the certificate when half its life has passed
 * (security/pkg/nodeagent/cache/secretcache.go rotateTime, SECRET_GRACE_PERIOD_RATIO 0.5): generation n
 * of a workload's certificate is issued 12 h × n after its proxy started.
 */
import { bool, octets, oid, printable, seq, set, tlv, utf8 } from './der';
import { OID, type Certificate } from './certificate';
import { sha256 } from './hash';
import { extension, keyIdentifier, sanExtension, signCertificate } from './issue';
import { generateKey, type PrivateKey } from './keys';

const HOUR = 3_600_000;
export const ROOT_TTL_MS = 3650 * 24 * HOUR;
export const WORKLOAD_TTL_MS = 24 * HOUR;
export const CLOCK_SKEW_GRACE_MS = 2 * 60_000;
/** The agent rotates at half the certificate's life (ExpireTime − CreatedTime = 24 h). */
export const ROTATION_MS = WORKLOAD_TTL_MS / 2;

const OID_O = '2.5.4.10';
const EKU_SERVER_AUTH = '1.3.6.1.5.5.7.3.1';
const EKU_CLIENT_AUTH = '1.3.6.1.5.5.7.3.2';

/** Go's x509 writes a name's string as PrintableString when every character allows it, else UTF8String. */
function goString(s: string): Uint8Array {
  return /^[A-Za-z0-9 '()+,\-./:=?]*$/.test(s) ? printable(s) : utf8(s);
}

/** A KeyUsage BIT STRING as Go encodes it: the named bits, trailing zero bits counted as unused. */
function keyUsage(bitsSet: number[]): Uint8Array {
  const bytes = [0, 0];
  for (const b of bitsSet) bytes[b >> 3] |= 0x80 >> (b & 7);
  const used = bytes[1] ? 2 : 1;
  const last = bytes[used - 1];
  let unused = 0;
  while (unused < 7 && !(last & (1 << unused))) unused++;
  return tlv(0x03, new Uint8Array([unused, ...bytes.slice(0, used)]));
}

/** A 128-bit serial drawn from `seed` (genSerialNum draws rand.Int below 2^128; here it is reproducible). */
function serialFrom(seed: string): Uint8Array {
  return sha256(new TextEncoder().encode(seed)).slice(0, 16);
}

export interface WorkloadIdentity {
  /** Something unique per proxy (the pod's uid). */
  id: string;
  namespace: string;
  serviceAccount: string;
  /** When the proxy started: its first certificate is issued then. */
  startedAt: number;
}

export interface IssuedCertificate {
  cert: Certificate;
  /** The PEM chain the agent hands to Envoy: the workload certificate, then the root. */
  chainPem: string;
  issuedAt: number;
  /** 0 for the certificate issued at start, n after the n-th rotation. */
  generation: number;
}

export interface RootCertificate {
  cert: Certificate;
  key: PrivateKey;
}

export class MeshCa {
  private root?: Promise<RootCertificate>;
  private readonly workloads = new Map<string, Promise<IssuedCertificate>>();

  /**
   * @param trustDomain meshConfig.trustDomain (cluster.local by default)
   * @param startedAt when istiod made its root (its start)
   * @param seed something stable per cluster, for the root's serial number
   */
  constructor(
    readonly trustDomain: string,
    private readonly startedAt: number,
    private readonly seed: string,
  ) {}

  rootCertificate(): Promise<RootCertificate> {
    this.root ??= (async () => {
      const key = await generateKey({ kind: 'rsa', bits: 2048 });
      const name = seq(set(seq(oid(OID_O), goString(this.trustDomain))));
      const cert = await signCertificate({
        signer: key,
        serial: serialFrom(`${this.seed}/root`),
        issuer: name,
        subject: name,
        notBefore: this.startedAt,
        notAfter: this.startedAt + ROOT_TTL_MS,
        spki: key.spki,
        extensions: [
          extension(OID.keyUsage, true, keyUsage([5])), // keyCertSign
          extension(OID.basicConstraints, true, seq(bool(true))),
          extension(OID.subjectKeyIdentifier, false, octets(keyIdentifier(key.spki))),
        ],
      });
      return { cert, key };
    })();
    this.root.catch(() => (this.root = undefined));
    return this.root;
  }

  spiffeId(w: Pick<WorkloadIdentity, 'namespace' | 'serviceAccount'>): string {
    return `spiffe://${this.trustDomain}/ns/${w.namespace}/sa/${w.serviceAccount}`;
  }

  /** The certificate the proxy holds at `now` (the latest rotation not after it). */
  workloadCertificate(w: WorkloadIdentity, now: number): Promise<IssuedCertificate> {
    const generation = Math.max(0, Math.floor((now - w.startedAt) / ROTATION_MS));
    const cacheKey = `${w.id}/${generation}`;
    let issued = this.workloads.get(cacheKey);
    if (!issued) {
      issued = this.issue(w, generation);
      this.workloads.set(cacheKey, issued);
      issued.catch(() => this.workloads.delete(cacheKey));
    }
    return issued;
  }

  private async issue(w: WorkloadIdentity, generation: number): Promise<IssuedCertificate> {
    const root = await this.rootCertificate();
    const key = await generateKey({ kind: 'rsa', bits: 2048 });
    const issuedAt = w.startedAt + generation * ROTATION_MS;
    const rootKeyId = root.cert.extensions.subjectKeyId ?? keyIdentifier(root.cert.spki);
    const eku = seq(oid(EKU_SERVER_AUTH), oid(EKU_CLIENT_AUTH));
    const cert = await signCertificate({
      signer: root.key,
      serial: serialFrom(`${w.id}/${generation}`),
      issuer: root.cert.subject.der,
      subject: seq(),
      notBefore: issuedAt - CLOCK_SKEW_GRACE_MS,
      notAfter: issuedAt + WORKLOAD_TTL_MS,
      spki: key.spki,
      extensions: [
        extension(OID.keyUsage, true, keyUsage([0, 2])), // digitalSignature, keyEncipherment
        extension(OID.extKeyUsage, false, eku),
        extension(OID.basicConstraints, true, seq()),
        extension(OID.authorityKeyIdentifier, false, seq(tlv(0x80, rootKeyId))),
        sanExtension({ dns: [], ip: [], uri: [this.spiffeId(w)] }, true),
      ],
    });
    return { cert, chainPem: cert.pem + root.cert.pem, issuedAt, generation };
  }
}

const authorities = new WeakMap<object, MeshCa>();

/** The mesh CA of one cluster (`owner`), made on first use and kept as long as the cluster lives. */
export function meshCaFor(owner: object, trustDomain: string, startedAt: number, seed: string): MeshCa {
  let ca = authorities.get(owner);
  if (!ca || ca.trustDomain !== trustDomain) {
    ca = new MeshCa(trustDomain, startedAt, seed);
    authorities.set(owner, ca);
  }
  return ca;
}
