/**
 * Istio's sidecar injector, as the mutating admission webhook istiod serves: a Pod created
 * in a namespace labelled istio-injection=enabled (unless the pod opts out with the label
 * sidecar.istio.io/inject: "false") gets the istio-init init container and the istio-proxy
 * sidecar, plus Istio's labels and annotations; istio-proxy carries the injection template's
 * environment and mounts, and the pod the template's volumes.
 *
 * Istio 1.29 injects istio-proxy as a Kubernetes native sidecar (an init container with
 * restartPolicy: Always) when every node's kubelet is 1.33 or newer: ENABLE_NATIVE_SIDECARS is
 * "auto" since 1.27 (istio/istio pilot/pkg/features/pilot.go; pkg/kube/inject/webhook.go
 * detectNativeSidecar). The sandbox's node runs kubelet v1.35.2, so its pods get native sidecars,
 * laid out as istio/istio pkg/kube/inject/testdata/inject/native-sidecar.yaml.injected shows
 * (istio-init, then istio-proxy, then the pod's own init containers: webhook.go reorderPod).
 * The annotation sidecar.istio.io/nativeSidecar: "false" asks for the classic layout.
 */
import type { ApiClient } from '../api/client';
import type { MutatingPlugin } from '../api/admission';
import { isRecord, type KubeObject } from '../api/types';
import { API_TOKEN_MOUNT_PATH } from './serviceAccounts';

import { PROXY_IMAGE } from '../../istio/version';

// The version lives in src/istio/version.ts; re-exported for the modules that import it from here.
export { ISTIO_VERSION, PROXY_IMAGE } from '../../istio/version';

export function shouldInject(pod: KubeObject, nsLabels: Record<string, string>): boolean {
  const podLabel = pod.metadata.labels?.['sidecar.istio.io/inject'] ?? pod.metadata.annotations?.['sidecar.istio.io/inject'];
  if (podLabel === 'false') return false;
  if (nsLabels['istio-injection'] === 'disabled') return false;
  if (nsLabels['istio-injection'] === 'enabled') return true;
  if (nsLabels['istio.io/rev']) return true;
  return podLabel === 'true';
}

export function sidecarContainer(kind: 'sidecar' | 'router'): Record<string, unknown> {
  return {
    name: 'istio-proxy',
    image: PROXY_IMAGE,
    args: ['proxy', kind, '--domain', '$(POD_NAMESPACE).svc.cluster.local', '--proxyLogLevel=warning', '--proxyComponentLogLevel=misc:error', '--log_output_level=default:info'],
    ports: [
      ...(kind === 'router'
        ? [
            { containerPort: 15021, name: 'status-port', protocol: 'TCP' },
            { containerPort: 8080, name: 'http2', protocol: 'TCP' },
            { containerPort: 8443, name: 'https', protocol: 'TCP' },
          ]
        : []),
      { containerPort: 15090, name: 'http-envoy-prom', protocol: 'TCP' },
    ],
    readinessProbe: { failureThreshold: 4, httpGet: { path: '/healthz/ready', port: 15021 }, periodSeconds: 15, timeoutSeconds: 3 },
    resources: { limits: { cpu: '2', memory: '1Gi' }, requests: { cpu: '100m', memory: '128Mi' } },
    securityContext: { allowPrivilegeEscalation: false, privileged: false, readOnlyRootFilesystem: true, runAsGroup: 1337, runAsNonRoot: true, runAsUser: 1337 },
  };
}

/** A native sidecar: an init container that keeps running (restartPolicy: Always, KEP-753). */
export function isRestartableInit(c: unknown): boolean {
  return isRecord(c) && c.restartPolicy === 'Always';
}

/** The pod's istio-proxy container, a regular container or a native sidecar. */
export function proxyContainer(spec: unknown): Record<string, unknown> | undefined {
  const s = isRecord(spec) ? spec : {};
  const all = [...(Array.isArray(s.containers) ? s.containers : []), ...(Array.isArray(s.initContainers) ? s.initContainers.filter(isRestartableInit) : [])];
  return all.filter(isRecord).find((c) => c.name === 'istio-proxy');
}

/** detectNativeSidecar in auto mode: every node's kubelet at 1.33 or newer. */
export function nodesRunNativeSidecars(client: ApiClient): boolean {
  const nodes = client.list(client.kind('Node'));
  if (!nodes.ok || nodes.value.length === 0) return false;
  return nodes.value.every((n) => {
    const info = isRecord(n.status) && isRecord(n.status.nodeInfo) ? n.status.nodeInfo : {};
    const minor = /^v?\d+\.(\d+)/.exec(String(info.kubeletVersion ?? ''));
    return !!minor && Number(minor[1]) >= 33;
  });
}

/** The workload a pod belongs to, as the injector names it in ISTIO_META_WORKLOAD_NAME and ISTIO_META_OWNER. */
export interface WorkloadMeta {
  name: string;
  kind: string;
  apiVersion: string;
  namespace: string;
}

/**
 * GetDeployMetaFromPod (istio/istio pkg/kube/inject/webhook.go): the pod's controller, with a
 * ReplicaSet named `<deployment>-<pod-template-hash>` read as its Deployment; a pod without a
 * controller is its own workload.
 */
export function workloadOfPod(pod: KubeObject): WorkloadMeta {
  const namespace = pod.metadata.namespace || 'default';
  const owner = (pod.metadata.ownerReferences ?? []).find((r) => r.controller === true);
  if (!owner) return { name: pod.metadata.name ?? '', kind: 'Pod', apiVersion: 'v1', namespace };
  const hash = pod.metadata.labels?.['pod-template-hash'];
  if (owner.kind === 'ReplicaSet' && hash && owner.name.endsWith(`-${hash}`)) return { name: owner.name.slice(0, -hash.length - 1), kind: 'Deployment', apiVersion: 'apps/v1', namespace };
  return { name: owner.name, kind: owner.kind, apiVersion: owner.apiVersion, namespace };
}

const fieldRef = (fieldPath: string): Record<string, unknown> => ({ valueFrom: { fieldRef: { fieldPath } } });
const resourceRef = (resource: string): Record<string, unknown> => ({ valueFrom: { resourceFieldRef: { divisor: '0', resource } } });

/** A container port as Go's encoding/json writes a corev1.ContainerPort (omitempty fields left out, in field order). */
function portJson(p: Record<string, unknown>): string {
  const out: Record<string, unknown> = {};
  for (const k of ['name', 'hostPort', 'containerPort', 'protocol', 'hostIP']) if (p[k] !== undefined && p[k] !== '' && p[k] !== 0) out[k] = p[k];
  return JSON.stringify(out);
}

/**
 * The istio-proxy container's environment from the injection template (istio/istio
 * manifests/charts/istio-control/istio-discovery/files/injection-template.yaml, as
 * pkg/kube/inject/testdata/inject/native-sidecar.yaml.injected shows it rendered). The pod's
 * ports and container names are the application's; the mesh and cluster are the defaults.
 */
function proxyEnv(containers: Record<string, unknown>[], workload: WorkloadMeta): Record<string, unknown>[] {
  const ports = containers.flatMap((c) => (Array.isArray(c.ports) ? c.ports.filter(isRecord) : []));
  const podPorts = `[${ports.map((p, i) => `\n    ${i ? ',' : ''}${portJson(p)}`).join('')}\n]`;
  const plural = `${workload.kind.toLowerCase()}s`;
  return [
    { name: 'PILOT_CERT_PROVIDER', value: 'istiod' },
    { name: 'CA_ADDR', value: 'istiod.istio-system.svc:15012' },
    { name: 'POD_NAME', ...fieldRef('metadata.name') },
    { name: 'POD_NAMESPACE', ...fieldRef('metadata.namespace') },
    { name: 'INSTANCE_IP', ...fieldRef('status.podIP') },
    { name: 'SERVICE_ACCOUNT', ...fieldRef('spec.serviceAccountName') },
    { name: 'HOST_IP', ...fieldRef('status.hostIP') },
    { name: 'ISTIO_CPU_LIMIT', ...resourceRef('limits.cpu') },
    { name: 'PROXY_CONFIG', value: '{}\n' },
    { name: 'ISTIO_META_POD_PORTS', value: podPorts },
    { name: 'ISTIO_META_APP_CONTAINERS', value: containers.map((c) => String(c.name ?? '')).join(',') },
    { name: 'GOMEMLIMIT', ...resourceRef('limits.memory') },
    { name: 'GOMAXPROCS', ...resourceRef('limits.cpu') },
    { name: 'ISTIO_META_CLUSTER_ID', value: 'Kubernetes' },
    { name: 'ISTIO_META_NODE_NAME', ...fieldRef('spec.nodeName') },
    { name: 'ISTIO_META_INTERCEPTION_MODE', value: 'REDIRECT' },
    { name: 'ISTIO_META_WORKLOAD_NAME', value: workload.name },
    { name: 'ISTIO_META_OWNER', value: `kubernetes://apis/${workload.apiVersion}/namespaces/${workload.namespace}/${plural}/${workload.name}` },
    { name: 'ISTIO_META_MESH_ID', value: 'cluster.local' },
    { name: 'TRUST_DOMAIN', value: 'cluster.local' },
  ];
}

/**
 * Where istio-proxy mounts the template's volumes. Istio 1.29 has no istio-ca-crl volume yet (the
 * CRL ConfigMap came with 1.30, istio/istio#56308).
 */
const PROXY_MOUNTS = [
  { mountPath: '/var/run/secrets/workload-spiffe-uds', name: 'workload-socket' },
  { mountPath: '/var/run/secrets/credential-uds', name: 'credential-socket' },
  { mountPath: '/var/run/secrets/workload-spiffe-credentials', name: 'workload-certs' },
  { mountPath: '/var/run/secrets/istio', name: 'istiod-ca-cert' },
  { mountPath: '/var/lib/istio/data', name: 'istio-data' },
  { mountPath: '/etc/istio/proxy', name: 'istio-envoy' },
  { mountPath: '/var/run/secrets/tokens', name: 'istio-token' },
  { mountPath: '/etc/istio/pod', name: 'istio-podinfo' },
];

/**
 * The template's volumes, in its order (the names sidecar.istio.io/status lists). The three
 * sockets' volumes have an empty `emptyDir:` there, so they render with no source (as kube-inject
 * prints them) and the apiserver's defaulting makes them emptyDir: {} on a cluster.
 */
function proxyVolumes(): Record<string, unknown>[] {
  return [
    { name: 'workload-socket' },
    { name: 'credential-socket' },
    { name: 'workload-certs' },
    { name: 'istio-envoy', emptyDir: { medium: 'Memory' } },
    { name: 'istio-data', emptyDir: {} },
    {
      name: 'istio-podinfo',
      downwardAPI: {
        items: [
          { fieldRef: { fieldPath: 'metadata.labels' }, path: 'labels' },
          { fieldRef: { fieldPath: 'metadata.annotations' }, path: 'annotations' },
        ],
      },
    },
    { name: 'istio-token', projected: { sources: [{ serviceAccountToken: { audience: 'istio-ca', expirationSeconds: 43200, path: 'istio-token' } }] } },
    { name: 'istiod-ca-cert', configMap: { name: 'istio-ca-root-cert' } },
  ];
}

export function inject(pod: KubeObject, nativeSidecars = true, workload: WorkloadMeta = workloadOfPod(pod)): void {
  const spec = isRecord(pod.spec) ? pod.spec : {};
  const containers = Array.isArray(spec.containers) ? spec.containers.filter(isRecord) : [];
  if (proxyContainer(spec)) return;
  // the template: ne (annotation `sidecar.istio.io/nativeSidecar` | default .NativeSidecars) "false"
  const native = (pod.metadata.annotations?.['sidecar.istio.io/nativeSidecar'] ?? String(nativeSidecars)) !== 'false';
  const first = String(containers[0]?.name ?? '');
  const labels = pod.metadata.labels ?? {};
  const app = labels.app ?? labels['app.kubernetes.io/name'] ?? (pod.metadata.generateName ?? pod.metadata.name ?? '').replace(/-[a-z0-9]+-$/, '');
  pod.metadata.labels = {
    ...labels,
    'security.istio.io/tlsMode': 'istio',
    'service.istio.io/canonical-name': app,
    'service.istio.io/canonical-revision': labels.version ?? labels['app.kubernetes.io/version'] ?? 'latest',
  };
  pod.metadata.annotations = {
    ...(pod.metadata.annotations ?? {}),
    'istio.io/rev': 'default',
    'kubectl.kubernetes.io/default-container': first,
    'kubectl.kubernetes.io/default-logs-container': first,
    'prometheus.io/path': '/stats/prometheus',
    'prometheus.io/port': '15020',
    'prometheus.io/scrape': 'true',
    'sidecar.istio.io/status': JSON.stringify({
      initContainers: native ? ['istio-init', 'istio-proxy'] : ['istio-init'],
      containers: native ? null : ['istio-proxy'],
      volumes: ['workload-socket', 'credential-socket', 'workload-certs', 'istio-envoy', 'istio-data', 'istio-podinfo', 'istio-token', 'istiod-ca-cert'],
      imagePullSecrets: null,
      revision: 'default',
    }),
  };
  const istioInit = {
    name: 'istio-init',
    image: PROXY_IMAGE,
    args: ['istio-iptables', '-p', '15001', '-z', '15006', '-u', '1337', '-m', 'REDIRECT', '-i', '*', '-x', '', '-b', '*', '-d', '15090,15021,15020', '--log_output_level=default:info'],
    resources: { limits: { cpu: '2', memory: '1Gi' }, requests: { cpu: '100m', memory: '128Mi' } },
    securityContext: { allowPrivilegeEscalation: false, capabilities: { add: ['NET_ADMIN', 'NET_RAW'], drop: ['ALL'] }, privileged: false, readOnlyRootFilesystem: false, runAsGroup: 0, runAsNonRoot: false, runAsUser: 0 },
  };
  const own = Array.isArray(spec.initContainers) ? spec.initContainers : [];
  const proxy = native ? nativeSidecar() : sidecarContainer('sidecar');
  proxy.env = proxyEnv(containers, workload);
  proxy.securityContext = { ...(proxy.securityContext as Record<string, unknown>), capabilities: { drop: ['ALL'] } };
  proxy.volumeMounts = PROXY_MOUNTS.map((m) => ({ ...m }));
  // On a cluster the injected containers carry the service account token mount the app's
  // containers got from the ServiceAccount admission plugin (kubectl get pod -o yaml of any
  // injected pod: istio-init and istio-proxy mount kube-api-access-* read-only).
  const tokenMount = containers.flatMap((c) => (Array.isArray(c.volumeMounts) ? c.volumeMounts.filter(isRecord) : [])).find((m) => m.mountPath === API_TOKEN_MOUNT_PATH);
  if (tokenMount) for (const c of [istioInit, proxy] as Record<string, unknown>[]) c.volumeMounts = [...(Array.isArray(c.volumeMounts) ? c.volumeMounts : []), { ...tokenMount }];
  if (native) {
    // reorderPod: {istio-init} => proxy => the pod's own init containers
    spec.initContainers = [istioInit, proxy, ...own];
  } else {
    // reorderPod: the pod's own init containers, then istio-init last
    spec.initContainers = [...own, istioInit];
    spec.containers = [...containers, proxy];
  }
  // the template's volumes come first, the pod's own after them
  spec.volumes = [...proxyVolumes(), ...(Array.isArray(spec.volumes) ? spec.volumes : [])];
  pod.spec = spec;
}

/**
 * istio-proxy as a native sidecar: the sidecar container with restartPolicy: Always, the startup
 * probe that holds the application's containers until Envoy is ready, and the preStop hook that
 * drains it (native-sidecar.yaml.injected).
 */
function nativeSidecar(): Record<string, unknown> {
  return {
    ...sidecarContainer('sidecar'),
    lifecycle: { preStop: { exec: { command: ['pilot-agent', 'request', '--debug-port=15020', 'POST', 'drain'] } } },
    restartPolicy: 'Always',
    startupProbe: { failureThreshold: 600, httpGet: { path: '/healthz/ready', port: 15021 }, periodSeconds: 1, timeoutSeconds: 3 },
  };
}

export function sidecarInjector(client: ApiClient, enabled: () => boolean): MutatingPlugin {
  return {
    name: 'istio-sidecar-injector',
    admit(req) {
      if (req.operation !== 'CREATE' || req.resource.kind !== 'Pod' || !enabled()) return;
      const ns = client.get(client.kind('Namespace'), undefined, req.object.metadata.namespace ?? 'default');
      const nsLabels = ns.ok ? ns.value.metadata.labels ?? {} : {};
      if (shouldInject(req.object, nsLabels)) inject(req.object, nodesRunNativeSidecars(client));
    },
  };
}
