import { describe, expect, it } from 'vitest';
import { Cluster } from '../cluster';
import { isRecord, type KubeObject } from '../api/types';
import { podStatusReason } from '../commands/kubectl/printers';
import { inject, shouldInject } from './injection';
import { podStatusAt, restartsAt } from './kubelet';
import { podTemplateHash, safeEncode } from './podTemplateHash';

const pod = (containers: Record<string, unknown>[], init: Record<string, unknown>[] = []): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'p', namespace: 'demo', uid: 'u1', creationTimestamp: '2025-01-15T10:00:00Z' },
  spec: { containers, ...(init.length ? { initContainers: init } : {}) },
});
const fake = { name: 'app', image: 'nicholasjackson/fake-service:v0.26.2' };
const proxy = { name: 'istio-proxy', image: 'docker.io/istio/proxyv2:1.29.2', args: ['proxy', 'sidecar'] };
const init = { name: 'istio-init', image: 'docker.io/istio/proxyv2:1.29.2' };
const nativeProxy = { ...proxy, restartPolicy: 'Always' };

function statusAt(p: KubeObject, ms: number) {
  const st = podStatusAt(p, ms, Date.parse('2025-01-15T10:00:00Z'), '10.244.0.9');
  return podStatusReason({ ...p, status: st });
}

describe('kubelet pod timeline', () => {
  it.each<[string, KubeObject, number, string, string]>([
    ['plain pod, creating', pod([fake]), 100, '0/1', 'ContainerCreating'],
    ['plain pod, running', pod([fake]), 2000, '1/1', 'Running'],
    ['injected, init', pod([fake, proxy], [init]), 100, '0/2', 'Init:0/1'],
    ['injected, initializing', pod([fake, proxy], [init]), 2000, '0/2', 'ContainerCreating'],
    ['injected, sidecar not ready yet', pod([fake, proxy], [init]), 3200, '1/2', 'Running'],
    ['injected, ready', pod([fake, proxy], [init]), 5000, '2/2', 'Running'],
    // a native sidecar (printers.go printPod: restartable init containers count in READY once started)
    ['native sidecar, istio-init runs', pod([fake], [init, nativeProxy]), 100, '0/2', 'Init:0/2'],
    ['native sidecar, proxy starting', pod([fake], [init, nativeProxy]), 2200, '0/2', 'Init:1/2'],
    ['native sidecar, proxy ready, app starting', pod([fake], [init, nativeProxy]), 3000, '2/2', 'Running'],
    ['native sidecar, ready', pod([fake], [init, nativeProxy]), 5000, '2/2', 'Running'],
    ['unknown image, pulling fails', pod([{ name: 'app', image: 'nicholasjackson/fake-servce:v0.26.2' }]), 2000, '0/1', 'ErrImagePull'],
    ['unknown image, back-off', pod([{ name: 'app', image: 'nicholasjackson/fake-service:v9.9.9' }]), 8000, '0/1', 'ImagePullBackOff'],
    ['curl without a command crashes', pod([{ name: 'c', image: 'curlimages/curl:8.11.1' }]), 20_000, '0/1', 'CrashLoopBackOff'],
    ['curl sleeping stays up', pod([{ name: 'c', image: 'curlimages/curl:8.11.1', command: ['sleep', 'infinity'] }]), 20_000, '1/1', 'Running'],
  ])('%s', (_n, p, ms, ready, status) => {
    const s = statusAt(p, ms);
    expect(s.ready).toBe(ready);
    expect(s.status).toBe(status);
  });

  it('back-off restarts: 10 s, 20 s, 40 s …', () => {
    expect(restartsAt(5000).restarts).toBe(0);
    expect(restartsAt(11_000).restarts).toBe(1);
    expect(restartsAt(32_000).restarts).toBe(2);
  });
});

describe('pod-template-hash', () => {
  it('is stable for the same template and changes with it', () => {
    const a = { metadata: { labels: { app: 'a' } }, spec: { containers: [{ name: 'c', image: 'x' }] } };
    const b = { spec: { containers: [{ image: 'x', name: 'c' }] }, metadata: { labels: { app: 'a' } } };
    expect(podTemplateHash(a)).toBe(podTemplateHash(b));
    expect(podTemplateHash(a)).not.toBe(podTemplateHash({ ...a, spec: { containers: [{ name: 'c', image: 'y' }] } }));
    expect(podTemplateHash(a)).toMatch(/^[4-9bcdf]{6,10}$/);
    expect(safeEncode('0123456789')).toBe('456789bcdf');
  });
});

describe('sidecar injection', () => {
  it.each([
    [{ 'istio-injection': 'enabled' }, {}, true],
    [{}, {}, false],
    [{ 'istio-injection': 'enabled' }, { 'sidecar.istio.io/inject': 'false' }, false],
    [{ 'istio-injection': 'disabled' }, { 'sidecar.istio.io/inject': 'true' }, false],
    [{}, { 'sidecar.istio.io/inject': 'true' }, true],
    [{ 'istio.io/rev': 'default' }, {}, true],
  ])('ns %j pod %j → %s', (nsLabels, podLabels, want) => {
    const p = pod([fake]);
    p.metadata.labels = podLabels;
    expect(shouldInject(p, nsLabels)).toBe(want);
  });

  it('adds istio-init, istio-proxy as a native sidecar, and Istio labels', () => {
    const p = pod([fake]);
    p.metadata.labels = { app: 'web', version: 'v1' };
    p.spec = { ...p.spec, initContainers: [{ name: 'migrate', image: 'busybox' }] };
    inject(p);
    const spec = p.spec as { containers: { name: string }[]; initContainers: { name: string; restartPolicy?: string }[] };
    expect(spec.containers.map((c) => c.name)).toEqual(['app']);
    // reorderPod: istio-init, then the proxy, then the pod's own init containers
    expect(spec.initContainers.map((c) => `${c.name}:${c.restartPolicy ?? ''}`)).toEqual(['istio-init:', 'istio-proxy:Always', 'migrate:']);
    expect(JSON.parse(p.metadata.annotations?.['sidecar.istio.io/status'] ?? '{}')).toMatchObject({ initContainers: ['istio-init', 'istio-proxy'], containers: null });
    expect(p.metadata.labels?.['security.istio.io/tlsMode']).toBe('istio');
    expect(p.metadata.labels?.['service.istio.io/canonical-revision']).toBe('v1');
    expect(p.metadata.annotations?.['kubectl.kubernetes.io/default-container']).toBe('app');
  });

  it("gives istio-proxy the template's environment, mounts and volumes (native-sidecar.yaml.injected)", () => {
    const p = pod([{ ...fake, ports: [{ name: 'http', containerPort: 9090, protocol: 'TCP' }] }, { name: 'metrics', image: 'prom/statsd-exporter', ports: [{ containerPort: 9102 }] }]);
    p.metadata.name = 'web-5db7f7974f-x84hb';
    p.metadata.labels = { app: 'web', 'pod-template-hash': '5db7f7974f' };
    p.metadata.ownerReferences = [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-5db7f7974f', uid: 'rs', controller: true }];
    inject(p);
    const spec = p.spec as { initContainers: Record<string, unknown>[]; volumes: { name: string }[] };
    const proxyC = spec.initContainers[1];
    const env = Object.fromEntries((proxyC.env as { name: string; value?: string; valueFrom?: unknown }[]).map((e) => [e.name, e.value ?? e.valueFrom]));
    expect(Object.keys(env)).toEqual([
      'PILOT_CERT_PROVIDER', 'CA_ADDR', 'POD_NAME', 'POD_NAMESPACE', 'INSTANCE_IP', 'SERVICE_ACCOUNT', 'HOST_IP', 'ISTIO_CPU_LIMIT', 'PROXY_CONFIG',
      'ISTIO_META_POD_PORTS', 'ISTIO_META_APP_CONTAINERS', 'GOMEMLIMIT', 'GOMAXPROCS', 'ISTIO_META_CLUSTER_ID', 'ISTIO_META_NODE_NAME',
      'ISTIO_META_INTERCEPTION_MODE', 'ISTIO_META_WORKLOAD_NAME', 'ISTIO_META_OWNER', 'ISTIO_META_MESH_ID', 'TRUST_DOMAIN',
    ]);
    // the ports of every application container, laid out as the template's range writes them
    expect(env.ISTIO_META_POD_PORTS).toBe('[\n    {"name":"http","containerPort":9090,"protocol":"TCP"}\n    ,{"containerPort":9102}\n]');
    expect(env.ISTIO_META_APP_CONTAINERS).toBe('app,metrics');
    expect(env.POD_NAME).toEqual({ fieldRef: { fieldPath: 'metadata.name' } });
    expect(env.GOMAXPROCS).toEqual({ resourceFieldRef: { divisor: '0', resource: 'limits.cpu' } });
    // GetDeployMetaFromPod: the ReplicaSet's name less the pod-template-hash is the Deployment
    expect(env.ISTIO_META_WORKLOAD_NAME).toBe('web');
    expect(env.ISTIO_META_OWNER).toBe('kubernetes://apis/apps/v1/namespaces/demo/deployments/web');
    expect((proxyC.volumeMounts as { name: string; mountPath: string }[]).map((m) => `${m.name}:${m.mountPath}`)).toEqual([
      'workload-socket:/var/run/secrets/workload-spiffe-uds', 'credential-socket:/var/run/secrets/credential-uds', 'workload-certs:/var/run/secrets/workload-spiffe-credentials',
      'istiod-ca-cert:/var/run/secrets/istio', 'istio-data:/var/lib/istio/data', 'istio-envoy:/etc/istio/proxy', 'istio-token:/var/run/secrets/tokens', 'istio-podinfo:/etc/istio/pod',
    ]);
    expect(proxyC.securityContext).toMatchObject({ capabilities: { drop: ['ALL'] }, runAsUser: 1337, readOnlyRootFilesystem: true });
    // the volumes sidecar.istio.io/status names, in its order
    const status = JSON.parse(p.metadata.annotations?.['sidecar.istio.io/status'] ?? '{}') as { volumes: string[] };
    expect(spec.volumes.map((v) => v.name)).toEqual(status.volumes);
    // a pod of its own is its own workload
    const bare = pod([fake]);
    inject(bare);
    const bareEnv = ((bare.spec as { initContainers: Record<string, unknown>[] }).initContainers[1].env as { name: string; value?: string }[]).find((e) => e.name === 'ISTIO_META_OWNER');
    expect(bareEnv?.value).toBe('kubernetes://apis/v1/namespaces/demo/pods/p');
  });

  it('keeps the classic layout when native sidecars are off or the pod asks for it', () => {
    const classic = (p: ReturnType<typeof pod>) => {
      const spec = p.spec as { containers: { name: string }[]; initContainers: { name: string }[] };
      return `${spec.containers.map((c) => c.name).join(',')} / ${spec.initContainers.map((c) => c.name).join(',')}`;
    };
    const off = pod([fake]);
    off.spec = { ...off.spec, initContainers: [{ name: 'migrate', image: 'busybox' }] };
    inject(off, false);
    expect(classic(off)).toBe('app,istio-proxy / migrate,istio-init');
    const optOut = pod([fake]);
    optOut.metadata.annotations = { 'sidecar.istio.io/nativeSidecar': 'false' };
    inject(optOut, true);
    expect(classic(optOut)).toBe('app,istio-proxy / istio-init');
  });
});

describe('controllers on the clock', () => {
  function apply(c: Cluster, objs: KubeObject[]): void {
    for (const o of objs) {
      const r = c.client.create(c.client.kind(o.kind, o.apiVersion.includes('/') ? o.apiVersion.split('/')[0] : ''), o);
      if (!r.ok) throw new Error(r.status.message);
    }
    c.sync();
  }
  const ns: KubeObject = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'demo', labels: { 'istio-injection': 'enabled' } } };
  const dep: KubeObject = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'demo' },
    spec: { replicas: 2, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ ...fake, ports: [{ name: 'http', containerPort: 9090 }] }] } } },
  };
  const svc: KubeObject = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'demo' }, spec: { selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 'http' }] } };

  it('Deployment → ReplicaSet → Pods with real-looking names, Endpoints once ready', async () => {
    const c = new Cluster({ seed: 3 });
    apply(c, [ns, dep, svc]);
    const rs = c.client.list(c.client.kind('ReplicaSet'), 'demo');
    expect(rs.ok && rs.value.map((r) => r.metadata.name)).toEqual([expect.stringMatching(/^web-[4-9bcdf]{6,10}$/)]);
    const pods = c.client.list(c.client.kind('Pod'), 'demo');
    const names = pods.ok ? pods.value.map((p) => p.metadata.name ?? '') : [];
    expect(names).toHaveLength(2);
    const rsName = rs.ok ? rs.value[0].metadata.name : '';
    for (const n of names) expect(n).toMatch(new RegExp(`^${rsName}-[bcdfghjklmnpqrstvwxz2456789]{5}$`));
    const ep0 = c.client.get(c.client.kind('Endpoints'), 'demo', 'web');
    expect(ep0.ok && ep0.value.subsets).toBeUndefined();
    await c.advance(6000);
    const ep = c.client.get(c.client.kind('Endpoints'), 'demo', 'web');
    const subsets = ep.ok && Array.isArray(ep.value.subsets) ? ep.value.subsets : [];
    expect(subsets).toHaveLength(1);
    const sub = subsets[0] as { addresses: unknown[]; ports: { port: number }[] };
    expect(sub.addresses).toHaveLength(2);
    expect(sub.ports[0].port).toBe(9090);
    const d = c.client.get(c.client.kind('Deployment'), 'demo', 'web');
    expect(d.ok && isRecord(d.value.status) && d.value.status.readyReplicas).toBe(2);
  });

  it('a template change rolls out a new ReplicaSet and scales the old one down', async () => {
    const c = new Cluster({ seed: 3 });
    apply(c, [ns, dep]);
    await c.advance(6000);
    const D = c.client.kind('Deployment');
    const cur = c.client.get(D, 'demo', 'web');
    if (!cur.ok) throw new Error('get');
    const next = structuredClone(cur.value);
    ((next.spec as { template: { spec: { containers: { env?: unknown[] }[] } } }).template.spec.containers[0]).env = [{ name: 'NAME', value: 'v2' }];
    c.client.update(D, next);
    c.sync();
    await c.advance(8000);
    const rs = c.client.list(c.client.kind('ReplicaSet'), 'demo');
    const replicas = rs.ok ? rs.value.map((r) => (r.spec as { replicas: number }).replicas).sort() : [];
    expect(replicas).toEqual([0, 2]);
    await c.advance(3000);
    const pods = c.client.list(c.client.kind('Pod'), 'demo');
    expect(pods.ok && pods.value.length).toBe(2);
  });

  it('deleting a Deployment garbage-collects its ReplicaSets and Pods', async () => {
    const c = new Cluster({ seed: 3 });
    apply(c, [ns, dep]);
    c.client.delete(c.client.kind('Deployment'), 'demo', 'web');
    c.sync();
    await c.advance(3000);
    expect((c.client.list(c.client.kind('ReplicaSet'), 'demo') as { value: unknown[] }).value).toEqual([]);
    expect((c.client.list(c.client.kind('Pod'), 'demo') as { value: unknown[] }).value).toEqual([]);
  });

  it('starts with a Ready node, kube-system pods and Istio (ingress gateway with an external IP)', () => {
    const c = new Cluster();
    const pods = c.client.list(c.client.kind('Pod'));
    const byNs = (ns: string) => (pods.ok ? pods.value.filter((p) => p.metadata.namespace === ns).map((p) => p.metadata.name ?? '') : []);
    expect(byNs('kube-system').some((n) => n.startsWith('coredns-'))).toBe(true);
    expect(byNs('istio-system').some((n) => n.startsWith('istiod-'))).toBe(true);
    expect(byNs('istio-system').some((n) => n.startsWith('istio-ingressgateway-'))).toBe(true);
    const gw = c.client.get(c.client.kind('Service'), 'istio-system', 'istio-ingressgateway');
    if (!gw.ok) throw new Error('gw');
    const spec = gw.value.spec as { type: string; ports: { name: string; port: number; targetPort: number }[] };
    expect(spec.type).toBe('LoadBalancer');
    expect(spec.ports.map((p) => `${p.name}:${p.port}->${p.targetPort}`)).toEqual(['status-port:15021->15021', 'http2:80->8080', 'https:443->8443']);
    expect((gw.value.status as { loadBalancer: { ingress: { ip: string }[] } }).loadBalancer.ingress[0].ip).toMatch(/^172\.18\.255\./);
    expect(c.meshConfig().accessLogFile).toBe('/dev/stdout');
  });
});
