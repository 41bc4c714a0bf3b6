/**
 * A snapshot of everything istiod reads from the apiserver: the service registry
 * (Kubernetes Services + Endpoints + ServiceEntries) and the Istio configuration.
 */
import type { ApiClient } from '../../api/client';
import { isRecord, type KubeObject } from '../../api/types';
import { CLUSTER_DOMAIN } from './hosts';
import type {
  DestinationRuleSpec,
  GatewaySpec,
  PeerAuthenticationSpec,
  ServiceEntrySpec,
  VirtualServiceSpec,
} from './istioTypes';
import { exportToAnnotation } from './visibility';
import { proxyContainer } from '../injection';

/** AUTO: a port whose name names no protocol; Istio sniffs HTTP on it. */
export type Protocol = 'HTTP' | 'HTTP2' | 'GRPC' | 'HTTPS' | 'TLS' | 'TCP' | 'AUTO';

export interface ServicePort {
  name: string;
  port: number;
  /** Number or container port name (Kubernetes targetPort). */
  targetPort: number | string;
  protocol: Protocol;
}

export interface ServiceInstance {
  ip: string;
  /** Port per service port name (resolved targetPort). */
  ports: Record<string, number>;
  labels: Record<string, string>;
  ready: boolean;
  pod?: string; // ns/name
  istio: boolean;
  hostname?: string; // DNS resolution of ServiceEntry
}

export interface ServiceInfo {
  hostname: string;
  namespace: string;
  name: string;
  source: 'kubernetes' | 'serviceentry';
  address?: string;
  ports: ServicePort[];
  resolution: 'EDS' | 'DNS' | 'NONE' | 'STATIC';
  external: boolean;
  instances: ServiceInstance[];
  /** Kubernetes Service type, for LoadBalancer ingress lookups. */
  type?: string;
  selector?: Record<string, string>;
  /** Namespaces that see the service (visibility.ts); absent: the mesh default, every namespace. */
  exportTo?: string[];
}

export interface Config<S> {
  name: string;
  namespace: string;
  spec: S;
  creationTimestamp: string;
}

export interface PodInfo {
  name: string;
  namespace: string;
  ip?: string;
  labels: Record<string, string>;
  sidecar: boolean;
  gateway: boolean;
  running: boolean;
  serviceAccount: string;
}

export interface MeshConfig {
  accessLogFile: string;
  accessLogEncoding: 'TEXT' | 'JSON';
  outboundTrafficPolicy: 'ALLOW_ANY' | 'REGISTRY_ONLY';
  enableAutoMtls: boolean;
}

export interface PushContext {
  version: number;
  services: ServiceInfo[];
  byHost: Map<string, ServiceInfo>;
  virtualServices: Config<VirtualServiceSpec>[];
  destinationRules: Config<DestinationRuleSpec>[];
  gateways: Config<GatewaySpec>[];
  serviceEntries: Config<ServiceEntrySpec>[];
  peerAuthentications: Config<PeerAuthenticationSpec>[];
  authorizationPolicies: Config<Record<string, unknown>>[];
  pods: PodInfo[];
  sidecars: Config<Record<string, unknown>>[];
  envoyFilters: Config<Record<string, unknown>>[];
  requestAuthentications: Config<Record<string, unknown>>[];
  telemetries: Config<Record<string, unknown>>[];
  mesh: MeshConfig;
  rootNamespace: string;
  /** Secrets by "namespace/name" as Istio reads them for credentialName (decoded PEM). */
  tlsSecrets: Map<string, TlsCredential>;
}

/** A credentialName's contents: server (or client) certificate and key, and the CA that verifies the peer. */
export interface TlsCredential {
  cert?: string;
  key?: string;
  ca?: string;
}

/**
 * Istio's secret formats (istio/istio pilot/pkg/credentials/kube/secrets.go; istio.io secure-ingress
 * "Key formats"): tls.crt/tls.key/ca.crt, or cert/key/cacert; the CA may also sit in a separate
 * secret named `<name>-cacert`.
 */
function tlsCredentials(secrets: KubeObject[]): Map<string, TlsCredential> {
  const data = new Map<string, Record<string, string>>();
  for (const x of secrets) if (isRecord(x.data)) data.set(`${x.metadata.namespace}/${x.metadata.name}`, x.data as Record<string, string>);
  const out = new Map<string, TlsCredential>();
  for (const [key, d] of data) {
    const get = (k: string): string | undefined => (typeof d[k] === 'string' ? decodeBase64(d[k]) : undefined);
    const cert = get('tls.crt') ?? get('cert');
    const separate = data.get(`${key}-cacert`);
    const ca = get('ca.crt') ?? get('cacert') ?? (separate && typeof (separate.cacert ?? separate['ca.crt']) === 'string' ? decodeBase64(separate.cacert ?? separate['ca.crt']) : undefined);
    if (cert || ca) out.set(key, { cert, key: get('tls.key') ?? get('key'), ca });
  }
  return out;
}

export function protocolFromPortName(name: string | undefined, appProtocol?: string): Protocol {
  const p = (appProtocol ?? (name ?? '').split('-')[0]).toLowerCase();
  switch (p) {
    case 'http':
      return 'HTTP';
    case 'http2':
      return 'HTTP2';
    case 'grpc':
    case 'grpc-web':
      return 'GRPC';
    case 'https':
      return 'HTTPS';
    case 'tls':
      return 'TLS';
    case 'tcp':
    case 'dns':
    case 'mongo':
    case 'redis':
    case 'mysql':
      return 'TCP';
    default:
      // Unnamed or unknown names: Istio sniffs the protocol (HTTP is detected as HTTP).
      return 'AUTO';
  }
}

export function isHttpProtocol(p: Protocol): boolean {
  return p === 'HTTP' || p === 'HTTP2' || p === 'GRPC';
}

function configs<S>(objs: KubeObject[]): Config<S>[] {
  return objs
    .map((o) => ({
      name: o.metadata.name ?? '',
      namespace: o.metadata.namespace ?? '',
      spec: (o.spec ?? {}) as S,
      creationTimestamp: o.metadata.creationTimestamp ?? '',
    }))
    .sort((a, b) => a.creationTimestamp.localeCompare(b.creationTimestamp) || `${a.namespace}/${a.name}`.localeCompare(`${b.namespace}/${b.name}`));
}

function podInfo(p: KubeObject): PodInfo {
  const spec = isRecord(p.spec) ? p.spec : {};
  const status = isRecord(p.status) ? p.status : {};
  const labels = p.metadata.labels ?? {};
  // istio-proxy: a container, or a native sidecar among the init containers
  const proxy = proxyContainer(spec);
  const sidecar = !!proxy && !('istio' in labels && String(labels.istio).endsWith('gateway'));
  const gateway = !!proxy && Array.isArray(proxy.args) && proxy.args.includes('router');
  return {
    name: p.metadata.name ?? '',
    namespace: p.metadata.namespace ?? '',
    ip: typeof status.podIP === 'string' ? status.podIP : undefined,
    labels,
    sidecar: sidecar && !gateway,
    gateway,
    running: status.phase === 'Running' && !p.metadata.deletionTimestamp,
    serviceAccount: typeof spec.serviceAccountName === 'string' ? spec.serviceAccountName : 'default',
  };
}

function decodeBase64(s: string): string {
  try {
    return atob(s);
  } catch {
    return s;
  }
}

export function buildPushContext(client: ApiClient, mesh: MeshConfig, version: number): PushContext {
  const list = (kind: string, group?: string): KubeObject[] => {
    const r = client.cached(client.kind(kind, group));
    return r.ok ? r.value : [];
  };
  const podObjs = list('Pod');
  const pods = podObjs.map(podInfo);
  const podInfoByKey = new Map(pods.map((p) => [`${p.namespace}/${p.name}`, p]));
  const endpoints = new Map(list('Endpoints').map((e) => [`${e.metadata.namespace}/${e.metadata.name}`, e]));
  const services: ServiceInfo[] = [];

  for (const s of list('Service')) {
    const spec = isRecord(s.spec) ? s.spec : {};
    const ns = s.metadata.namespace ?? 'default';
    const name = s.metadata.name ?? '';
    // Istio does not proxy UDP (kube-dns's port 53/UDP)
    const ports: ServicePort[] = (Array.isArray(spec.ports) ? spec.ports.filter(isRecord).filter((p) => (p.protocol ?? 'TCP') !== 'UDP') : []).map((p) => ({
      name: typeof p.name === 'string' ? p.name : '',
      port: Number(p.port),
      targetPort: (typeof p.targetPort === 'string' ? p.targetPort : Number(p.targetPort ?? p.port)) as number | string,
      protocol: protocolFromPortName(typeof p.name === 'string' ? p.name : undefined, typeof p.appProtocol === 'string' ? p.appProtocol : undefined),
    }));
    const instances: ServiceInstance[] = [];
    const ep = endpoints.get(`${ns}/${name}`);
    const subsets = ep && Array.isArray(ep.subsets) ? ep.subsets.filter(isRecord) : [];
    for (const sub of subsets) {
      const epPorts = Array.isArray(sub.ports) ? sub.ports.filter(isRecord) : [];
      const add = (addrs: unknown, ready: boolean): void => {
        for (const a of Array.isArray(addrs) ? addrs.filter(isRecord) : []) {
          const ref = isRecord(a.targetRef) ? a.targetRef : {};
          const podKey = `${String(ref.namespace ?? ns)}/${String(ref.name ?? '')}`;
          const pi = podInfoByKey.get(podKey);
          const portsByName: Record<string, number> = {};
          for (const sp of ports) {
            const match = epPorts.find((x) => (x.name ?? '') === sp.name) ?? (epPorts.length === 1 ? epPorts[0] : undefined);
            if (match) portsByName[sp.name] = Number(match.port);
          }
          instances.push({
            ip: String(a.ip),
            ports: portsByName,
            labels: pi?.labels ?? {},
            ready,
            pod: pi ? podKey : undefined,
            istio: pi ? pi.sidecar || pi.gateway : false,
          });
        }
      };
      add(sub.addresses, true);
      add(sub.notReadyAddresses, false);
    }
    services.push({
      hostname: `${name}.${ns}.${CLUSTER_DOMAIN}`,
      namespace: ns,
      name,
      source: 'kubernetes',
      address: typeof spec.clusterIP === 'string' && spec.clusterIP !== 'None' ? spec.clusterIP : undefined,
      ports,
      resolution: 'EDS',
      external: false,
      instances,
      type: typeof spec.type === 'string' ? spec.type : 'ClusterIP',
      selector: isRecord(spec.selector) ? (spec.selector as Record<string, string>) : undefined,
      exportTo: exportToAnnotation(s.metadata.annotations),
    });
  }

  const serviceEntries = configs<ServiceEntrySpec>(list('ServiceEntry', 'networking.istio.io'));
  for (const se of serviceEntries) {
    const ports: ServicePort[] = (se.spec.ports ?? []).map((p) => ({
      name: p.name ?? `${(p.protocol ?? 'tcp').toLowerCase()}-${p.number}`,
      port: Number(p.number),
      targetPort: Number(p.targetPort ?? p.number),
      protocol: ((): Protocol => {
        const up = String(p.protocol ?? 'TCP').toUpperCase();
        return (['HTTP', 'HTTP2', 'GRPC', 'HTTPS', 'TLS', 'TCP'] as const).find((x) => x === up) ?? 'TCP';
      })(),
    }));
    for (const host of se.spec.hosts ?? []) {
      const instances: ServiceInstance[] = [];
      const res = se.spec.resolution ?? 'NONE';
      if (se.spec.endpoints && se.spec.endpoints.length)
        for (const e of se.spec.endpoints) {
          const portsByName: Record<string, number> = {};
          for (const p of ports) portsByName[p.name] = e.ports?.[p.name] ?? Number(p.targetPort);
          instances.push({ ip: e.address ?? '', ports: portsByName, labels: e.labels ?? {}, ready: true, istio: false, hostname: res === 'DNS' ? e.address : undefined });
        }
      else if (res === 'DNS' || res === 'DNS_ROUND_ROBIN') {
        const portsByName: Record<string, number> = {};
        for (const p of ports) portsByName[p.name] = Number(p.targetPort);
        instances.push({ ip: host, ports: portsByName, labels: {}, ready: true, istio: false, hostname: host });
      }
      services.push({
        hostname: host.toLowerCase(),
        namespace: se.namespace,
        name: se.name,
        source: 'serviceentry',
        address: se.spec.addresses?.[0],
        ports,
        resolution: res === 'DNS' || res === 'DNS_ROUND_ROBIN' ? 'DNS' : res === 'STATIC' ? 'STATIC' : 'NONE',
        external: (se.spec.location ?? 'MESH_EXTERNAL') === 'MESH_EXTERNAL',
        instances,
        exportTo: se.spec.exportTo?.length ? se.spec.exportTo : undefined,
      });
    }
  }

  const byHost = new Map<string, ServiceInfo>();
  for (const s of services) if (!byHost.has(s.hostname)) byHost.set(s.hostname, s);

  return {
    version,
    services,
    byHost,
    virtualServices: configs<VirtualServiceSpec>(list('VirtualService', 'networking.istio.io')),
    destinationRules: configs<DestinationRuleSpec>(list('DestinationRule', 'networking.istio.io')),
    gateways: configs<GatewaySpec>(list('Gateway', 'networking.istio.io')),
    serviceEntries,
    peerAuthentications: configs<PeerAuthenticationSpec>(list('PeerAuthentication', 'security.istio.io')),
    authorizationPolicies: configs<Record<string, unknown>>(list('AuthorizationPolicy', 'security.istio.io')),
    sidecars: configs<Record<string, unknown>>(list('Sidecar', 'networking.istio.io')),
    envoyFilters: configs<Record<string, unknown>>(list('EnvoyFilter', 'networking.istio.io')),
    requestAuthentications: configs<Record<string, unknown>>(list('RequestAuthentication', 'security.istio.io')),
    telemetries: configs<Record<string, unknown>>(list('Telemetry', 'telemetry.istio.io')),
    pods,
    mesh,
    rootNamespace: 'istio-system',
    tlsSecrets: tlsCredentials(list('Secret')),
  };
}
