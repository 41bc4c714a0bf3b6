/**
 * What a cluster with a default Istio installation (`istioctl install --set profile=demo`)
 * already holds and the lessons rely on: the ingress and egress gateway workloads and their
 * Services in istio-system. The CLI and the editor analyze manifests against this baseline;
 * the sandbox passes its real cluster objects instead.
 */
import type { AnalysisInput } from './model';

function gateway(name: string, istioLabel: string, ports: Array<[string, number, number]>): AnalysisInput[] {
  const labels = { app: name, istio: istioLabel };
  return [
    {
      context: true,
      object: {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name, namespace: 'istio-system', labels },
        spec: {
          selector: { matchLabels: labels },
          template: {
            metadata: { labels: { ...labels, 'sidecar.istio.io/inject': 'false' } },
            spec: { containers: [{ name: 'istio-proxy', image: 'auto', ports: ports.map(([n, , target]) => ({ name: n, containerPort: target })) }] },
          },
        },
      },
    },
    {
      context: true,
      object: {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name, namespace: 'istio-system', labels },
        spec: { selector: labels, ports: ports.map(([n, port, target]) => ({ name: n, port, targetPort: target })) },
      },
    },
  ];
}

export const ISTIO_DEFAULT_BASELINE: AnalysisInput[] = [
  { context: true, object: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'istio-system' } } },
  ...gateway('istio-ingressgateway', 'ingressgateway', [
    ['status-port', 15021, 15021],
    ['http2', 80, 8080],
    ['https', 443, 8443],
  ]),
  ...gateway('istio-egressgateway', 'egressgateway', [
    ['http2', 80, 8080],
    ['https', 443, 8443],
  ]),
];
