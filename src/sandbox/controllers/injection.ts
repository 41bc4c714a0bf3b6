/**
 * Istio's sidecar injector, as the mutating admission webhook istiod serves: a Pod created
 * in a namespace labelled istio-injection=enabled (unless the pod opts out with the label
 * sidecar.istio.io/inject: "false") gets the istio-init init container and the istio-proxy
 * container, plus Istio's labels and annotations.
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

export function inject(pod: KubeObject): void {
  const spec = isRecord(pod.spec) ? pod.spec : {};
  const containers = Array.isArray(spec.containers) ? spec.containers.filter(isRecord) : [];
  if (containers.some((c) => c.name === 'istio-proxy')) return;
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
      initContainers: ['istio-init'],
      containers: ['istio-proxy'],
      volumes: ['workload-socket', 'credential-socket', 'workload-certs', 'istio-envoy', 'istio-data', 'istio-podinfo', 'istio-token', 'istiod-ca-cert'],
      imagePullSecrets: null,
      revision: 'default',
    }),
  };
  spec.initContainers = [
    ...(Array.isArray(spec.initContainers) ? spec.initContainers : []),
    {
      name: 'istio-init',
      image: PROXY_IMAGE,
      args: ['istio-iptables', '-p', '15001', '-z', '15006', '-u', '1337', '-m', 'REDIRECT', '-i', '*', '-x', '', '-b', '*', '-d', '15090,15021,15020', '--log_output_level=default:info'],
      imagePullPolicy: 'IfNotPresent',
      resources: { limits: { cpu: '2', memory: '1Gi' }, requests: { cpu: '100m', memory: '128Mi' } },
      securityContext: { allowPrivilegeEscalation: false, capabilities: { add: ['NET_ADMIN', 'NET_RAW'], drop: ['ALL'] }, privileged: false, readOnlyRootFilesystem: false, runAsGroup: 0, runAsNonRoot: false, runAsUser: 0 },
      terminationMessagePath: '/dev/termination-log',
      terminationMessagePolicy: 'File',
    },
  ];
  spec.containers = [...containers, sidecarContainer('sidecar')];
  pod.spec = spec;
}

export function sidecarInjector(client: ApiClient, enabled: () => boolean): MutatingPlugin {
  return {
    name: 'istio-sidecar-injector',
    admit(req) {
      if (req.operation !== 'CREATE' || req.resource.kind !== 'Pod' || !enabled()) return;
      const ns = client.get(client.kind('Namespace'), undefined, req.object.metadata.namespace ?? 'default');
      const nsLabels = ns.ok ? ns.value.metadata.labels ?? {} : {};
      if (shouldInject(req.object, nsLabels)) inject(req.object);
    },
  };
}
