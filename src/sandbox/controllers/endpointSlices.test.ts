import { describe, expect, it } from 'vitest';
import { Sandbox } from '../sandbox';

const MANIFEST = `apiVersion: v1
kind: Namespace
metadata:
  name: demo
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: demo
spec:
  replicas: 2
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: web
        image: nicholasjackson/fake-service:v0.26.2
        ports:
        - {name: http, containerPort: 9090}
---
apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: demo
  labels: {tier: front}
spec:
  selector: {app: web}
  ports:
  - {name: http, port: 80, targetPort: http}
  - {name: metrics, port: 8080, targetPort: 9090}
---
apiVersion: v1
kind: Service
metadata:
  name: plain
  namespace: demo
spec:
  selector: {app: web}
  ports:
  - {port: 8080, targetPort: 9090}
---
apiVersion: v1
kind: Service
metadata:
  name: lonely
  namespace: demo
spec:
  selector: {app: nobody}
  ports:
  - {port: 80}
`;

async function cluster(): Promise<Sandbox> {
  const sb = new Sandbox({ seed: 3 });
  const r = await sb.exec(`kubectl apply -f - <<'EOF'\n${MANIFEST}EOF`);
  expect(r.stderr).toBe('');
  await sb.exec('sleep 10');
  return sb;
}

const json = async (sb: Sandbox, cmd: string): Promise<Record<string, any>> => JSON.parse((await sb.exec(cmd)).stdout);

describe('the endpointslice controller (k8s.io/endpointslice reconciler)', () => {
  it('keeps one slice per service: its labels, owner, resolved ports and ready endpoints in address order', async () => {
    const sb = await cluster();
    const list = await json(sb, 'kubectl get endpointslices -n demo -l kubernetes.io/service-name=web -o json');
    expect(list.items).toHaveLength(1);
    const [slice] = list.items;
    expect(slice.metadata.name).toMatch(/^web-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    expect(slice.metadata.labels).toEqual({ tier: 'front', 'kubernetes.io/service-name': 'web', 'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io' });
    expect(slice.metadata.ownerReferences).toEqual([expect.objectContaining({ apiVersion: 'v1', kind: 'Service', name: 'web', controller: true, blockOwnerDeletion: true })]);
    expect(slice.metadata.generation).toBeGreaterThanOrEqual(1);
    expect(slice.addressType).toBe('IPv4');
    // the named targetPort is resolved from the pods' containers (podutil.FindPort)
    expect(slice.ports).toEqual([
      { name: 'http', port: 9090, protocol: 'TCP' },
      { name: 'metrics', port: 9090, protocol: 'TCP' },
    ]);
    // an unnamed service port still gets name: "" (getEndpointPorts)
    const [plain] = (await json(sb, 'kubectl get endpointslices -n demo -l kubernetes.io/service-name=plain -o json')).items;
    expect(plain.ports).toEqual([{ name: '', port: 9090, protocol: 'TCP' }]);
    const pods = await json(sb, 'kubectl get pods -n demo -o json');
    const ips = pods.items.map((p: any) => p.status.podIP).sort((a: string, b: string) => a.localeCompare(b, undefined, { numeric: true }));
    expect(slice.endpoints.map((e: any) => e.addresses[0])).toEqual(ips);
    expect(slice.endpoints[0].conditions).toEqual({ ready: true, serving: true, terminating: false });
    expect(slice.endpoints[0].targetRef.kind).toBe('Pod');
    expect(slice.endpoints[0].nodeName).toBe('sandbox');
  });

  it('gives a service with no pods a placeholder slice: no ports, endpoints null', async () => {
    const sb = await cluster();
    const [slice] = (await json(sb, 'kubectl get endpointslices -n demo -l kubernetes.io/service-name=lonely -o json')).items;
    expect(slice.endpoints).toBeNull();
    expect(slice.ports).toBeUndefined();
    const table = (await sb.exec('kubectl get endpointslices -n demo -l kubernetes.io/service-name=lonely')).stdout;
    expect(table).toMatch(/^NAME\s+ADDRESSTYPE\s+PORTS\s+ENDPOINTS\s+AGE\nlonely-\w{5}\s+IPv4\s+<unset>\s+<unset>\s+\d+s\n$/);
    // describe.go formatEndpointSlices: a slice with no ready endpoint prints an empty value
    expect((await sb.exec('kubectl describe svc lonely -n demo')).stdout).toMatch(/^Endpoints: *$/m);
  });

  it('keeps a terminating pod as not ready while Endpoints drop it, and deletes the slices with their service', async () => {
    const sb = await cluster();
    const pods = await json(sb, 'kubectl get pods -n demo -o json');
    const victim = pods.items[0].metadata.name;
    await sb.exec(`kubectl delete pod ${victim} -n demo --wait=false`);
    const [slice] = (await json(sb, 'kubectl get endpointslices -n demo -l kubernetes.io/service-name=web -o json')).items;
    const gone = slice.endpoints.find((e: any) => e.targetRef.name === victim);
    expect(gone.conditions).toEqual({ ready: false, serving: true, terminating: true });
    expect(slice.metadata.generation).toBeGreaterThan(1);
    const eps = await json(sb, 'kubectl get endpoints web -n demo -o json');
    expect(JSON.stringify(eps.subsets)).not.toContain(victim);
    await sb.exec('kubectl delete svc web -n demo');
    expect((await sb.exec('kubectl get endpointslices -n demo -l kubernetes.io/service-name=web')).stderr).toBe('No resources found in demo namespace.\n');
  });

  it('serves the apiserver\'s own slice, and v1 Endpoints with the deprecation warning, printed once', async () => {
    const sb = await cluster();
    const r = await sb.exec('kubectl get endpointslices kubernetes');
    expect(r.stdout).toMatch(/^kubernetes\s+IPv4\s+6443\s+172\.18\.0\.2\s+/m);
    const ep = await sb.exec('kubectl get ep kubernetes web -n default');
    expect(ep.stderr.split('\n').filter((l) => l.startsWith('Warning: '))).toEqual(['Warning: v1 Endpoints is deprecated in v1.33+; use discovery.k8s.io/v1 EndpointSlice']);
    expect((await sb.exec('kubectl get endpointslices -A')).stderr).toBe('');
  });
});

describe('kubectl get endpoints (printers.go formatEndpoints)', () => {
  it('lists each port\'s addresses in turn, three at most', async () => {
    const sb = await cluster();
    const out = (await sb.exec('kubectl get endpoints web -n demo')).stdout;
    const pods = await json(sb, 'kubectl get pods -n demo -o json');
    const [a, b] = pods.items.map((p: any) => p.status.podIP).sort((x: string, y: string) => x.localeCompare(y, undefined, { numeric: true }));
    expect(out).toContain(`${a}:9090,${b}:9090,${a}:9090 + 1 more...`);
  });
});
