import { describe, expect, it } from 'vitest';
import { Sandbox } from '../sandbox';
import type { KubeObject } from '../api/types';
import { inCidr, ingressAllowed, type PolicyPeer } from './networkPolicy';

const np = (namespace: string, spec: Record<string, unknown>): KubeObject => ({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'p', namespace }, spec });
const target = { namespace: 'ws-b', labels: { app: 'web' }, namedPorts: { http: 9090 } };
const nsLabels = (ns: string): Record<string, string> => ({ 'kubernetes.io/metadata.name': ns, ...(ns.startsWith('ws-') ? { 'workshop/room': 'r1' } : {}) });
const fromPod = (namespace: string, labels: Record<string, string> = {}): PolicyPeer => ({ ip: '10.244.0.9', pod: { namespace, labels } });

const denyAll = np('ws-b', { podSelector: {}, policyTypes: ['Ingress'] });
const sameNamespaceAndIstio = np('ws-b', {
  podSelector: {},
  ingress: [{ from: [{ podSelector: {} }, { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'istio-system' } } }] }],
});

describe('NetworkPolicy ingress (networking.k8s.io/v1 semantics)', () => {
  it.each<[string, KubeObject[], PolicyPeer, number, boolean]>([
    ['no policy: everything gets in', [], fromPod('ws-a'), 9090, true],
    ['default deny: nothing from another namespace', [denyAll], fromPod('ws-a'), 9090, false],
    ['default deny: nothing from its own namespace either', [denyAll], fromPod('ws-b'), 9090, false],
    ['a policy of another namespace does not isolate this pod', [np('ws-a', { podSelector: {} })], fromPod('ws-a'), 9090, true],
    ['a policy selecting other pods does not isolate this one', [np('ws-b', { podSelector: { matchLabels: { app: 'db' } } })], fromPod('ws-a'), 9090, true],
    ['same namespace allowed by podSelector {}', [sameNamespaceAndIstio], fromPod('ws-b'), 9090, true],
    ['istio-system allowed by namespaceSelector', [sameNamespaceAndIstio], fromPod('istio-system', { app: 'istio-ingressgateway' }), 9090, true],
    ['another participant refused', [sameNamespaceAndIstio], fromPod('ws-a'), 9090, false],
    ['namespaceSelector and podSelector in one peer: both must match', [np('ws-b', { podSelector: {}, ingress: [{ from: [{ namespaceSelector: {}, podSelector: { matchLabels: { app: 'client' } } }] }] })], fromPod('ws-a', { app: 'other' }), 9090, false],
    ['named port', [np('ws-b', { podSelector: {}, ingress: [{ ports: [{ port: 'http' }] }] })], fromPod('ws-a'), 9090, true],
    ['another port', [np('ws-b', { podSelector: {}, ingress: [{ ports: [{ port: 8080 }] }] })], fromPod('ws-a'), 9090, false],
    ['port range with endPort', [np('ws-b', { podSelector: {}, ingress: [{ ports: [{ port: 9000, endPort: 9100 }] }] })], fromPod('ws-a'), 9090, true],
    ['ipBlock with except', [np('ws-b', { podSelector: {}, ingress: [{ from: [{ ipBlock: { cidr: '10.244.0.0/16', except: ['10.244.0.0/24'] } }] }] })], fromPod('ws-a'), 9090, false],
    ['egress-only policy does not isolate ingress', [np('ws-b', { podSelector: {}, policyTypes: ['Egress'] })], fromPod('ws-a'), 9090, true],
  ])('%s', (_name, policies, src, port, allowed) => {
    expect(ingressAllowed(policies, target, src, port, nsLabels)).toBe(allowed);
  });

  it('matches CIDRs', () => {
    expect(inCidr('10.244.1.7', '10.244.0.0/16')).toBe(true);
    expect(inCidr('10.245.1.7', '10.244.0.0/16')).toBe(false);
    expect(inCidr('1.2.3.4', '0.0.0.0/0')).toBe(true);
  });
});

describe('NetworkPolicy in the sandbox network', () => {
  it('a default-deny policy makes a curl from another namespace time out; its own namespace still gets through', async () => {
    const sb = new Sandbox({ seed: 5 });
    const ns = (n: string): string => `apiVersion: v1
kind: Namespace
metadata: {name: ${n}}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: client, namespace: ${n}}
spec:
  selector: {matchLabels: {app: client}}
  template:
    metadata: {labels: {app: client}}
    spec: {containers: [{name: curl, image: curlimages/curl:8.11.1, command: [sleep, infinity]}]}
---`;
    const r = await sb.exec(`kubectl apply -f - <<'EOF'
${ns('ws-a')}
${ns('ws-b')}
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: ws-b}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: app, image: nicholasjackson/fake-service:v0.26.2, ports: [{name: http, containerPort: 9090}], env: [{name: NAME, value: web}]}]}
---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: ws-b}
spec: {selector: {app: web}, ports: [{name: http, port: 80, targetPort: 9090}]}
EOF`);
    expect(r.code).toBe(0);
    await sb.exec('sleep 8');
    const curl = (from: string): string => `kubectl exec deploy/client -n ${from} -- curl -sS -m 5 -o /dev/null -w '%{http_code}' http://web.ws-b/`;
    expect((await sb.exec(curl('ws-a'))).stdout).toBe('200');
    await sb.exec(`kubectl apply -f - <<'EOF'
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: participants, namespace: ws-b}
spec:
  podSelector: {}
  ingress:
  - from: [{podSelector: {}}]
EOF`);
    const refused = await sb.exec(curl('ws-a'));
    expect(refused.stderr).toBe('curl: (28) Connection timed out after 5001 milliseconds\ncommand terminated with exit code 28\n');
    expect((await sb.exec(curl('ws-b'))).stdout).toBe('200');
    expect((await sb.exec('kubectl get networkpolicy -n ws-b')).stdout).toMatch(/^NAME\s+POD-SELECTOR\s+AGE\nparticipants\s+<none>\s+\d+s\n$/);
  });

  it('through a sidecar the dropped connection is Envoy\'s connect timeout, retried: 503 after about 30 s', async () => {
    const sb = new Sandbox({ seed: 6 });
    const ns = (n: string): string => `apiVersion: v1
kind: Namespace
metadata: {name: ${n}, labels: {istio-injection: enabled}}
---`;
    await sb.exec(`kubectl apply -f - <<'EOF'
${ns('ws-a')}
${ns('ws-b')}
apiVersion: apps/v1
kind: Deployment
metadata: {name: client, namespace: ws-a}
spec:
  selector: {matchLabels: {app: client}}
  template:
    metadata: {labels: {app: client}}
    spec: {containers: [{name: curl, image: curlimages/curl:8.11.1, command: [sleep, infinity]}]}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: ws-b}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: app, image: nicholasjackson/fake-service:v0.26.2, ports: [{name: http, containerPort: 9090}], env: [{name: NAME, value: web}]}]}
---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: ws-b}
spec: {selector: {app: web}, ports: [{name: http, port: 80, targetPort: 9090}]}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: participants, namespace: ws-b}
spec:
  podSelector: {}
  ingress:
  - from: [{podSelector: {}}]
EOF`);
    await sb.exec('sleep 8');
    const r = await sb.exec("kubectl exec deploy/client -n ws-a -c curl -- curl -s -w ' %{http_code} %{time_total}' http://web.ws-b/");
    const m = /^upstream connect error or disconnect\/reset before headers\. retried and the latest reset reason: connection timeout 503 (\d+\.\d+)$/.exec(r.stdout);
    expect(m, r.stdout).not.toBeNull();
    expect(Number(m![1])).toBeGreaterThanOrEqual(30);
    expect(Number(m![1])).toBeLessThan(31);
    expect((await sb.exec('kubectl logs deploy/client -n ws-a -c istio-proxy --tail=1')).stdout).toMatch(/" 503 UF,URX upstream_reset_before_response_started\{connection_timeout\} /);
  });
});
