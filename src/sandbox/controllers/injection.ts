/**
 * Istio's sidecar injector, as the mutating admission webhook istiod serves: a Pod created
 * in a namespace labelled istio-injection=enabled (unless the pod opts out with the label
 * sidecar.istio.io/inject: "false") gets the istio-init init container and the istio-proxy
 * sidecar, plus Istio's labels and annotations.
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
    readinessProbe: { failureThreshold: 4, httpGet: { path: '/healthz/ready', port: 15021, scheme: 'HTTP' }, periodSeconds: 15, timeoutSeconds: 3 },
    resources: { limits: { cpu: '2', memory: '1Gi' }, requests: { cpu: '100m', memory: '128Mi' } },
    securityContext: { allowPrivilegeEscalation: false, privileged: false, readOnlyRootFilesystem: true, runAsGroup: 1337, runAsNonRoot: true, runAsUser: 1337 },
    imagePullPolicy: 'IfNotPresent',
    terminationMessagePath: '/dev/termination-log',
    terminationMessagePolicy: 'File',
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

export function inject(pod: KubeObject, nativeSidecars = true): void {
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
    imagePullPolicy: 'IfNotPresent',
    resources: { limits: { cpu: '2', memory: '1Gi' }, requests: { cpu: '100m', memory: '128Mi' } },
    securityContext: { allowPrivilegeEscalation: false, capabilities: { add: ['NET_ADMIN', 'NET_RAW'], drop: ['ALL'] }, privileged: false, readOnlyRootFilesystem: false, runAsGroup: 0, runAsNonRoot: false, runAsUser: 0 },
    terminationMessagePath: '/dev/termination-log',
    terminationMessagePolicy: 'File',
  };
  const own = Array.isArray(spec.initContainers) ? spec.initContainers : [];
  if (native) {
    // reorderPod: {istio-init} => proxy => the pod's own init containers
    spec.initContainers = [istioInit, nativeSidecar(), ...own];
  } else {
    // reorderPod: the pod's own init containers, then istio-init last
    spec.initContainers = [...own, istioInit];
    spec.containers = [...containers, sidecarContainer('sidecar')];
  }
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
    startupProbe: { failureThreshold: 600, httpGet: { path: '/healthz/ready', port: 15021, scheme: 'HTTP' }, periodSeconds: 1, timeoutSeconds: 3 },
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
