/**
 * `istioctl proxy-config secret POD [-o json|yaml]`: the proxy's SDS secrets as Envoy's config dump holds
 * them (envoy.admin.v3.SecretsConfigDump), and istioctl's summary table of the same list.
 *
 * Which secrets a proxy holds and in what order (envoyproxy/envoy source/common/secret/secret_manager_impl.cc
 * dumpSecretConfigs: the TLS-certificate providers first, then the validation-context providers; a provider
 * with no secret yet is a warming one, with versionInfo "uninitialized" as in istioctl's
 * testdata/secret/istio/config_dump.json):
 *   default      the workload certificate chain from pilot-agent's SDS (the mesh CA, pki/meshCa.ts), its
 *                private key redacted by Envoy's MessageUtil::redact ("[redacted]")
 *   kubernetes://<credentialName>          a gateway's server certificate from istiod (pilot/pkg/xds/sds.go)
 *   kubernetes://<credentialName>-cacert   MUTUAL: the CA that verifies clients, as a validation context
 *   ROOTCA       the mesh's root certificate, as a validation context (trustedCa)
 * versionInfo: pilot-agent's SDS answers with `<RFC 3339 time>/<n>`, n counting its responses
 * (security/pkg/nodeagent/sds/sdsservice.go generate): default is the first, ROOTCA the second, each
 * rotation of default one more. istiod's pushes carry the same shape with its push counter, which the
 * sandbox does not keep (shown as 1). lastUpdated: when the proxy received it (Envoy's milliseconds).
 *
 * JSON: protojson of the message re-indented by four spaces, then a newline (istio/istio
 * istioctl/pkg/writer/envoy/configdump/configdump.go PrintSecretDump, pkg/util/protomarshal
 * ToJSONWithIndent); fields in proto declaration order (DynamicSecret: name, version_info, last_updated,
 * secret; Secret: name, tls_certificate, validation_context; bytes as base64).
 * Table: istioctl/pkg/util/configdump GetEnvoySecrets (warming, then active) and secretMetaFromCert
 * (serial in hex, dates in RFC 3339, VALID CERT = now within the dates), tabwriter padding 5
 * (testdata/secret/istio/output).
 */
import { parse as parseYaml } from 'yaml';
import { isRecord, type KubeObject } from '../../api/types';
import type { TlsFilterChain } from '../../dataplane/types';
import { parseCertificates } from '../../pki';
import { toBase64 } from '../../pki/der';
import { meshCaFor } from '../../pki/meshCa';
import { renderTable } from '../kubectl/printers';
import type { CommandContext } from '../types';

const SECRET_TYPE = 'type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.Secret';
/** base64 of "[redacted]": Envoy's redaction of a private key's bytes. */
const REDACTED = toBase64(new TextEncoder().encode('[redacted]'));

export interface DynamicSecret {
  name: string;
  versionInfo: string;
  lastUpdated: number;
  /** 'cert': a tls_certificate (chain + key); 'ca': a validation_context (trusted CA). */
  kind: 'cert' | 'ca';
  /** The PEM bytes; undefined while warming. */
  pem?: string;
}

const rfc3339 = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

/** protojson's Timestamp: no fraction for whole seconds, else 3 digits (Envoy keeps milliseconds). */
function protoTimestamp(ms: number): string {
  const iso = new Date(ms).toISOString();
  return ms % 1000 === 0 ? iso.replace(/\.000Z$/, 'Z') : iso;
}

function timeOf(value: unknown): number | undefined {
  const t = typeof value === 'string' ? Date.parse(value) : NaN;
  return Number.isNaN(t) ? undefined : t;
}

/** When the pod's istio-proxy container started (its agent asks for the certificate then). */
export function proxyStartedAt(pod: KubeObject): number | undefined {
  const status = isRecord(pod.status) ? pod.status : {};
  for (const field of ['initContainerStatuses', 'containerStatuses']) {
    const list = Array.isArray(status[field]) ? (status[field] as unknown[]) : [];
    for (const s of list) {
      if (!isRecord(s) || s.name !== 'istio-proxy' || !isRecord(s.state)) continue;
      const state = s.state;
      const started = timeOf(isRecord(state.running) ? state.running.startedAt : undefined) ?? timeOf(isRecord(state.terminated) ? state.terminated.startedAt : undefined);
      if (started !== undefined) return started;
    }
  }
  return timeOf(status.startTime) ?? timeOf(pod.metadata.creationTimestamp);
}

/** meshConfig.trustDomain from the istio ConfigMap (istiod's default: cluster.local). */
function meshTrustDomain(ctx: CommandContext): string {
  const c = ctx.cluster.client;
  const cm = c.get(c.kind('ConfigMap'), 'istio-system', 'istio');
  const text = cm.ok && isRecord(cm.value.data) && typeof cm.value.data.mesh === 'string' ? cm.value.data.mesh : '';
  try {
    const mesh: unknown = parseYaml(text);
    if (isRecord(mesh) && typeof mesh.trustDomain === 'string' && mesh.trustDomain) return mesh.trustDomain;
  } catch {
    // an unreadable mesh config: istiod keeps its default
  }
  return 'cluster.local';
}

/** The secrets of one proxy, in the order Envoy dumps them. */
export async function proxySecrets(ctx: CommandContext, pod: KubeObject, chains: TlsFilterChain[]): Promise<DynamicSecret[]> {
  const now = ctx.cluster.clock.now();
  const started = Math.min(proxyStartedAt(pod) ?? now, now);
  const c = ctx.cluster.client;
  const istiod = c.get(c.kind('Deployment'), 'istio-system', 'istiod');
  const istiodStart = (istiod.ok ? timeOf(istiod.value.metadata.creationTimestamp) : undefined) ?? started;
  const trustDomain = meshTrustDomain(ctx);
  const ca = meshCaFor(ctx.cluster, trustDomain, istiodStart, istiod.ok ? istiod.value.metadata.uid ?? 'istiod' : 'istiod');
  const spec = isRecord(pod.spec) ? pod.spec : {};
  const namespace = pod.metadata.namespace ?? 'default';
  const issued = await ca.workloadCertificate({ id: pod.metadata.uid ?? `${namespace}/${pod.metadata.name}`, namespace, serviceAccount: typeof spec.serviceAccountName === 'string' ? spec.serviceAccountName : 'default', startedAt: started }, now);
  const root = await ca.rootCertificate();

  const certs: DynamicSecret[] = [];
  const cas: DynamicSecret[] = [];
  const seen = new Set<string>();
  const gatewaySecret = (name: string, kind: 'cert' | 'ca', pem: string | undefined, credential: string): void => {
    if (seen.has(name)) return;
    seen.add(name);
    const secret = c.get(c.kind('Secret'), namespace, credential);
    const at = Math.max(started, (secret.ok ? timeOf(secret.value.metadata.creationTimestamp) : undefined) ?? started);
    (kind === 'cert' ? certs : cas).push(pem ? { name, kind, pem, versionInfo: `${rfc3339(at)}/1`, lastUpdated: at } : { name, kind, versionInfo: 'uninitialized', lastUpdated: started });
  };
  for (const chain of chains) {
    if (!chain.credentialName || chain.mode === 'ISTIO_MUTUAL') continue;
    gatewaySecret(`kubernetes://${chain.credentialName}`, 'cert', chain.certificate, chain.credentialName);
    if (chain.mode === 'MUTUAL') gatewaySecret(`kubernetes://${chain.credentialName}-cacert`, 'ca', chain.clientCa, chain.credentialName);
  }
  const defaultVersion = issued.generation === 0 ? 1 : issued.generation + 2;
  certs.push({ name: 'default', kind: 'cert', pem: issued.chainPem, versionInfo: `${rfc3339(issued.issuedAt)}/${defaultVersion}`, lastUpdated: issued.issuedAt });
  // the agent's trust bundle: the root PEMs joined without a final newline (secretcache.go concatCerts)
  cas.push({ name: 'ROOTCA', kind: 'ca', pem: root.cert.pem.replace(/\n$/, ''), versionInfo: `${rfc3339(started)}/2`, lastUpdated: started });
  return [...certs, ...cas];
}

/** The SecretsConfigDump message as protojson writes it. */
export function secretsConfigDump(secrets: DynamicSecret[]): Record<string, unknown> {
  const entry = (s: DynamicSecret): Record<string, unknown> => {
    const secret: Record<string, unknown> = { '@type': SECRET_TYPE, name: s.name };
    if (s.pem !== undefined) {
      const bytes = toBase64(new TextEncoder().encode(s.pem));
      if (s.kind === 'cert') secret.tlsCertificate = { certificateChain: { inlineBytes: bytes }, privateKey: { inlineBytes: REDACTED } };
      else secret.validationContext = { trustedCa: { inlineBytes: bytes } };
    }
    return { name: s.name, versionInfo: s.versionInfo, lastUpdated: protoTimestamp(s.lastUpdated), secret };
  };
  const active = secrets.filter((s) => s.pem !== undefined);
  const warming = secrets.filter((s) => s.pem === undefined);
  const out: Record<string, unknown> = {};
  if (active.length) out.dynamicActiveSecrets = active.map(entry);
  if (warming.length) out.dynamicWarmingSecrets = warming.map(entry);
  return out;
}

/** istioctl's table: warming secrets, then active ones, each with its certificate's serial and dates. */
export function secretsTable(secrets: DynamicSecret[], now: number): string {
  const rows: string[][] = [];
  for (const s of [...secrets.filter((x) => x.pem === undefined), ...secrets.filter((x) => x.pem !== undefined)]) {
    const cert = s.pem ? parseCertificates(s.pem)[0] : undefined;
    if (!cert) {
      rows.push([s.name, '', s.pem === undefined ? 'WARMING' : 'ACTIVE', 'false', '', '', '']);
      continue;
    }
    const serial = cert.serial.length ? BigInt(`0x${[...cert.serial].map((b) => b.toString(16).padStart(2, '0')).join('')}`).toString(16) : '0';
    const type = cert.extensions.basicConstraints?.ca ? 'CA' : 'Cert Chain';
    rows.push([s.name, type, 'ACTIVE', String(now >= cert.notBefore && now <= cert.notAfter), serial, rfc3339(cert.notAfter), rfc3339(cert.notBefore)]);
  }
  return renderTable({ headers: ['RESOURCE NAME', 'TYPE', 'STATUS', 'VALID CERT', 'SERIAL NUMBER', 'NOT AFTER', 'NOT BEFORE'], rows }, { padding: 5 });
}
