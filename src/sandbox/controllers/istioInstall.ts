/**
 * What `istioctl install` renders: the istio-system namespace, istiod, the gateways and the
 * mesh configuration (ConfigMap istio-system/istio, key "mesh"). Like the real command it
 * renders the whole installation from the profile plus the --set flags given this time:
 * a setting not repeated goes back to the profile's default.
 */
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import type { ApiClient } from '../api/client';
import { deepClone, isRecord, jsonEqual, type KubeObject } from '../api/types';
import type { MeshConfig } from './istiod/pushContext';
import { istioCrdObjects } from '../../istio/crds';
import { PILOT_IMAGE } from '../../istio/version';
import { sidecarContainer } from './injection';

export interface InstallOptions {
  profile: 'default' | 'demo' | 'minimal' | 'empty';
  ingressGateway: boolean;
  egressGateway: boolean;
  mesh: MeshConfig;
}

export function profileDefaults(profile: InstallOptions['profile']): InstallOptions {
  const mesh: MeshConfig = { accessLogFile: '', accessLogEncoding: 'TEXT', outboundTrafficPolicy: 'ALLOW_ANY', enableAutoMtls: true };
  switch (profile) {
    case 'demo':
      return { profile, ingressGateway: true, egressGateway: true, mesh: { ...mesh, accessLogFile: '/dev/stdout' } };
    case 'minimal':
      return { profile, ingressGateway: false, egressGateway: false, mesh };
    case 'empty':
      return { profile, ingressGateway: false, egressGateway: false, mesh };
    default:
      return { profile: 'default', ingressGateway: true, egressGateway: false, mesh };
  }
}

/** Applies `--set path=value` flags. Returns an error message for an unknown or invalid path. */
export function applySetFlag(opts: InstallOptions, flag: string): string | undefined {
  const i = flag.indexOf('=');
  if (i < 0) return `--set ${flag}: expected key=value`;
  const key = flag.slice(0, i).trim();
  const value = flag.slice(i + 1).trim();
  const bool = (v: string): boolean | undefined => (v === 'true' ? true : v === 'false' ? false : undefined);
  let m: RegExpMatchArray | null;
  if (key === 'profile') {
    if (!['default', 'demo', 'minimal', 'empty'].includes(value)) return `could not load profile "${value}"`;
    Object.assign(opts, { ...profileDefaults(value as InstallOptions['profile']), mesh: { ...profileDefaults(value as InstallOptions['profile']).mesh } });
    return;
  }
  if (key === 'meshConfig.accessLogFile') {
    opts.mesh.accessLogFile = value;
    return;
  }
  if (key === 'meshConfig.accessLogEncoding') {
    if (value !== 'TEXT' && value !== 'JSON') return `unknown value "${value}" for meshConfig.accessLogEncoding`;
    opts.mesh.accessLogEncoding = value;
    return;
  }
  if (key === 'meshConfig.outboundTrafficPolicy.mode') {
    if (value !== 'ALLOW_ANY' && value !== 'REGISTRY_ONLY') return `unknown value "${value}" for enum istio.mesh.v1alpha1.MeshConfig_OutboundTrafficPolicy_Mode`;
    opts.mesh.outboundTrafficPolicy = value;
    return;
  }
  if (key === 'meshConfig.enableAutoMtls') {
    opts.mesh.enableAutoMtls = bool(value) ?? true;
    return;
  }
  if ((m = key.match(/^components\.(egressGateways|ingressGateways)\[(\d+)\]\.(enabled|name)$/))) {
    if (m[3] === 'enabled') {
      const b = bool(value);
      if (b === undefined) return `could not set ${key}: expected a boolean`;
      if (m[1] === 'egressGateways') opts.egressGateway = b;
      else opts.ingressGateway = b;
    }
    return;
  }
  if ((m = key.match(/^components\.(egressGateways|ingressGateways)\.enabled$/))) return;
  if (key.startsWith('values.') || key.startsWith('meshConfig.') || key.startsWith('components.')) return; // accepted, no effect here
  return `unknown field "${key.split('.')[0]}" in IstioOperator spec`;
}

// The `mesh` of ConfigMap istio-system/istio as the istio-discovery chart renders it
// (istio/istio manifests/charts/istio-control/istio-discovery/templates/configmap.yaml: the chart's own mesh merged
// with .Values.meshConfig, printed with toYaml, keys sorted). The default profile sets no accessLogFile, so the key
// appears only once a value is given (`--set meshConfig.accessLogFile=/dev/stdout`).
function meshYaml(mesh: MeshConfig): string {
  const m: Record<string, unknown> = {
    ...(mesh.accessLogFile ? { accessLogFile: mesh.accessLogFile } : {}),
    defaultConfig: { discoveryAddress: 'istiod.istio-system.svc:15012' },
    defaultProviders: { metrics: ['prometheus'] },
    enablePrometheusMerge: true,
    rootNamespace: 'istio-system',
    trustDomain: 'cluster.local',
  };
  if (mesh.accessLogEncoding !== 'TEXT') m.accessLogEncoding = mesh.accessLogEncoding;
  if (mesh.outboundTrafficPolicy !== 'ALLOW_ANY') m.outboundTrafficPolicy = { mode: mesh.outboundTrafficPolicy };
  if (!mesh.enableAutoMtls) m.enableAutoMtls = false;
  return stringifyYaml(m);
}

/** Reads meshConfig from ConfigMap istio-system/istio, as istiod does; defaults when absent. */
export function readMeshConfig(client: ApiClient): MeshConfig {
  const cm = client.get(client.kind('ConfigMap'), 'istio-system', 'istio');
  const mesh: MeshConfig = { accessLogFile: '', accessLogEncoding: 'TEXT', outboundTrafficPolicy: 'ALLOW_ANY', enableAutoMtls: true };
  if (!cm.ok || !isRecord(cm.value.data) || typeof cm.value.data.mesh !== 'string') return mesh;
  let m: unknown;
  try {
    m = parseYaml(cm.value.data.mesh);
  } catch {
    return mesh;
  }
  if (!isRecord(m)) return mesh;
  if (typeof m.accessLogFile === 'string') mesh.accessLogFile = m.accessLogFile;
  if (m.accessLogEncoding === 'JSON') mesh.accessLogEncoding = 'JSON';
  if (isRecord(m.outboundTrafficPolicy) && m.outboundTrafficPolicy.mode === 'REGISTRY_ONLY') mesh.outboundTrafficPolicy = 'REGISTRY_ONLY';
  if (m.enableAutoMtls === false) mesh.enableAutoMtls = false;
  return mesh;
}

function gatewayDeployment(name: string, istioLabel: string): KubeObject {
  const labels = { app: name, istio: istioLabel };
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: 'istio-system', labels: { ...labels, 'install.operator.istio.io/owning-resource': 'unknown', 'istio.io/rev': 'default', 'operator.istio.io/component': istioLabel === 'ingressgateway' ? 'IngressGateways' : 'EgressGateways' } },
    spec: {
      replicas: 1,
      selector: { matchLabels: labels },
      template: {
        metadata: {
          labels: { ...labels, 'sidecar.istio.io/inject': 'false', 'service.istio.io/canonical-name': name, 'service.istio.io/canonical-revision': 'latest', 'istio.io/rev': 'default' },
          annotations: { 'prometheus.io/path': '/stats/prometheus', 'prometheus.io/port': '15020', 'prometheus.io/scrape': 'true' },
        },
        spec: { serviceAccountName: `${name}-service-account`, containers: [sidecarContainer('router')] },
      },
    },
  };
}

function gatewayService(name: string, istioLabel: string, type: string, profile: InstallOptions['profile']): KubeObject {
  const ports =
    type === 'LoadBalancer'
      ? [
          { name: 'status-port', port: 15021, protocol: 'TCP', targetPort: 15021 },
          { name: 'http2', port: 80, protocol: 'TCP', targetPort: 8080 },
          { name: 'https', port: 443, protocol: 'TCP', targetPort: 8443 },
          // the demo profile adds tcp and tls (istio/istio manifests/profiles/demo.yaml), which
          // istio.io's TCP Traffic Shifting task reads as TCP_INGRESS_PORT
          ...(profile === 'demo'
            ? [
                { name: 'tcp', port: 31400, protocol: 'TCP', targetPort: 31400 },
                { name: 'tls', port: 15443, protocol: 'TCP', targetPort: 15443 },
              ]
            : []),
        ]
      : [
          { name: 'http2', port: 80, protocol: 'TCP', targetPort: 8080 },
          { name: 'https', port: 443, protocol: 'TCP', targetPort: 8443 },
        ];
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace: 'istio-system', labels: { app: name, istio: istioLabel, 'istio.io/rev': 'default', 'operator.istio.io/component': istioLabel === 'ingressgateway' ? 'IngressGateways' : 'EgressGateways' } },
    spec: { type, selector: { app: name, istio: istioLabel }, ports },
  };
}

export function renderInstallation(opts: InstallOptions): { component: string; objects: KubeObject[] }[] {
  const core: KubeObject[] = [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'istio-system' } },
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'istio-reader-service-account', namespace: 'istio-system' } },
    // the base chart's CRDs (kubectl get crd lists them with the install's creation time)
    ...(istioCrdObjects() as unknown as KubeObject[]),
  ];
  const istiod: KubeObject[] = [
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'istiod', namespace: 'istio-system' } },
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'istio', namespace: 'istio-system', labels: { 'istio.io/rev': 'default' } }, data: { mesh: meshYaml(opts.mesh), meshNetworks: 'networks: {}' } },
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'istiod', namespace: 'istio-system', labels: { app: 'istiod', istio: 'pilot', 'istio.io/rev': 'default' } },
      spec: {
        replicas: 1,
        selector: { matchLabels: { istio: 'pilot' } },
        template: {
          metadata: { labels: { app: 'istiod', istio: 'pilot', 'sidecar.istio.io/inject': 'false', 'istio.io/rev': 'default' } },
          spec: {
            serviceAccountName: 'istiod',
            containers: [
              {
                name: 'discovery',
                image: PILOT_IMAGE,
                args: ['discovery', '--monitoringAddr=:15014', '--log_output_level=default:info', '--domain', 'cluster.local', '--keepaliveMaxServerConnectionAge', '30m'],
                ports: [
                  { containerPort: 8080, protocol: 'TCP' },
                  { containerPort: 15010, protocol: 'TCP' },
                  { containerPort: 15017, protocol: 'TCP' },
                ],
                resources: { requests: { cpu: '500m', memory: '2Gi' } },
              },
            ],
          },
        },
      },
    },
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'istiod', namespace: 'istio-system', labels: { app: 'istiod', istio: 'pilot', 'istio.io/rev': 'default' } },
      spec: {
        selector: { app: 'istiod', istio: 'pilot' },
        ports: [
          { name: 'grpc-xds', port: 15010, protocol: 'TCP' },
          { name: 'https-dns', port: 15012, protocol: 'TCP' },
          { name: 'https-webhook', port: 443, protocol: 'TCP', targetPort: 15017 },
          { name: 'http-monitoring', port: 15014, protocol: 'TCP' },
        ],
      },
    },
  ];
  const out = [
    { component: 'Istio core', objects: core },
    { component: 'Istiod', objects: istiod },
  ];
  // One component per gateway, as istioctl reports them: ServiceAccount, Deployment, Service.
  const gateway = (component: string, name: string, istioLabel: string, serviceType: 'ClusterIP' | 'LoadBalancer') => ({
    component,
    objects: [
      { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: `${name}-service-account`, namespace: 'istio-system' } },
      gatewayDeployment(name, istioLabel),
      gatewayService(name, istioLabel, serviceType, opts.profile),
    ],
  });
  if (opts.egressGateway) out.push(gateway('Egress gateways', 'istio-egressgateway', 'egressgateway', 'ClusterIP'));
  if (opts.ingressGateway) out.push(gateway('Ingress gateways', 'istio-ingressgateway', 'ingressgateway', 'LoadBalancer'));
  return out;
}

/** Creates or updates what the installation renders and prunes gateways it no longer has. Returns error messages. */
export function applyInstallation(client: ApiClient, opts: InstallOptions): string[] {
  const errors: string[] = [];
  for (const { objects } of renderInstallation(opts))
    for (const o of objects) {
      const k = client.kind(o.kind, o.apiVersion.includes('/') ? o.apiVersion.split('/')[0] : '');
      const cur = client.get(k, o.metadata.namespace, o.metadata.name ?? '');
      if (!cur.ok) {
        const r = client.create(k, deepClone(o));
        if (!r.ok) errors.push(r.status.message);
      } else {
        const next = deepClone(cur.value);
        const desired = deepClone(o);
        if (desired.spec !== undefined) next.spec = desired.spec;
        if (desired.data !== undefined) next.data = desired.data;
        next.metadata.labels = { ...(cur.value.metadata.labels ?? {}), ...(desired.metadata.labels ?? {}) };
        if (!jsonEqual(next, cur.value)) {
          const r = client.update(k, next);
          if (!r.ok) errors.push(r.status.message);
        }
      }
    }
  const D = client.kind('Deployment');
  const S = client.kind('Service');
  if (!opts.egressGateway) {
    client.delete(D, 'istio-system', 'istio-egressgateway');
    client.delete(S, 'istio-system', 'istio-egressgateway');
  }
  if (!opts.ingressGateway) {
    client.delete(D, 'istio-system', 'istio-ingressgateway');
    client.delete(S, 'istio-system', 'istio-ingressgateway');
  }
  return errors;
}
