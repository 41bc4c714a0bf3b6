/**
 * Istio's kinds in every served version: an object sent in any version is stored once and read
 * back in every version with the same spec (Istio's CRDs convert with strategy None: only
 * apiVersion changes), through the REST paths and through kubectl.
 */
import { describe, expect, it } from 'vitest';
import { ISTIO_CRDS } from '../../istio/kinds';
import { ManualClock } from '../core/clock';
import { SeededRandom } from '../core/random';
import { Sandbox } from '../sandbox';
import { ApiClient } from './client';
import { ClusterIpAllocator, installBuiltinStrategies } from './defaults';
import { apiResources, kindByName, resolveResource } from './kinds';
import { ApiServer, resourcePath } from './server';
import type { KubeList } from './server';
import type { KubeObject } from './types';

function setup() {
  const server = new ApiServer(new ManualClock('2025-01-15T10:00:00Z'), new SeededRandom(7));
  installBuiltinStrategies(server.admission, new ClusterIpAllocator());
  const client = new ApiClient(server);
  client.create(client.kind('Namespace'), { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'demo' } });
  return { server, client };
}

const SPEC: Record<string, Record<string, unknown>> = {
  VirtualService: { hosts: ['reviews'], http: [{ route: [{ destination: { host: 'reviews', subset: 'v1' } }] }] },
  Gateway: { selector: { istio: 'ingressgateway' }, servers: [{ port: { number: 80, name: 'http', protocol: 'HTTP' }, hosts: ['*'] }] },
  DestinationRule: { host: 'reviews', subsets: [{ name: 'v1', labels: { version: 'v1' } }] },
  EnvoyFilter: { workloadSelector: { labels: { app: 'web' } }, configPatches: [] },
  WasmPlugin: { url: 'oci://ghcr.io/example/plugin:1.0' },
};
const specOf = (kind: string): Record<string, unknown> => SPEC[kind] ?? { selector: { matchLabels: { app: 'web' } } };

describe('Istio kinds as Istio 1.29 serves them', () => {
  it('lists every kind of the 1.29 CRDs in its served versions, preferred version first', () => {
    const byKind = Object.fromEntries(ISTIO_CRDS.map((c) => [`${c.group}/${c.kind}`, c.versions]));
    expect(byKind).toEqual({
      'networking.istio.io/Gateway': ['v1', 'v1beta1', 'v1alpha3'],
      'networking.istio.io/VirtualService': ['v1', 'v1beta1', 'v1alpha3'],
      'networking.istio.io/DestinationRule': ['v1', 'v1beta1', 'v1alpha3'],
      'networking.istio.io/ServiceEntry': ['v1', 'v1beta1', 'v1alpha3'],
      'networking.istio.io/Sidecar': ['v1', 'v1beta1', 'v1alpha3'],
      'networking.istio.io/WorkloadEntry': ['v1', 'v1beta1', 'v1alpha3'],
      'networking.istio.io/WorkloadGroup': ['v1', 'v1beta1', 'v1alpha3'],
      'networking.istio.io/ProxyConfig': ['v1beta1'],
      'networking.istio.io/EnvoyFilter': ['v1alpha3'],
      'security.istio.io/AuthorizationPolicy': ['v1', 'v1beta1'],
      'security.istio.io/PeerAuthentication': ['v1', 'v1beta1'],
      'security.istio.io/RequestAuthentication': ['v1', 'v1beta1'],
      'telemetry.istio.io/Telemetry': ['v1', 'v1alpha1'],
      'extensions.istio.io/WasmPlugin': ['v1alpha1'],
    });
  });

  const cases = ISTIO_CRDS.flatMap((c) => c.versions.map((v) => ({ c, v })));
  it.each(cases.map(({ c, v }) => [`${c.kind} ${v}`, c, v] as const))('%s: stored once, read back in every served version', (_, c, sent) => {
    const { server, client } = setup();
    const r = kindByName(c.kind, c.group)!;
    const obj: KubeObject = { apiVersion: `${c.group}/${sent}`, kind: c.kind, metadata: { name: 'x', namespace: 'demo' }, spec: specOf(c.kind) };
    const created = client.create(r, obj);
    expect(created.ok && created.value.apiVersion).toBe(`${c.group}/${sent}`);
    for (const v of c.versions) {
      const path = resourcePath({ ...r, versions: [v] }, 'demo', 'x');
      const got = server.handle({ method: 'GET', path });
      expect(got.code).toBe(200);
      const o = got.body as KubeObject;
      expect(o.apiVersion).toBe(`${c.group}/${v}`);
      expect(o.spec).toEqual(specOf(c.kind));
      const list = server.handle({ method: 'GET', path: resourcePath({ ...r, versions: [v] }, 'demo') }).body as KubeList;
      expect(list.items.map((i) => [i.apiVersion, i.metadata.name])).toEqual([[`${c.group}/${v}`, 'x']]);
    }
    // one object, whatever the version: a second create in another version conflicts
    const other = c.versions.find((v) => v !== sent);
    if (other) {
      const again = client.create(r, { ...obj, apiVersion: `${c.group}/${other}` });
      expect(again.ok ? 'created' : again.status.reason).toBe('AlreadyExists');
    }
  });

  it('resolves kubectl resource names with a version: virtualservices.v1alpha3.networking.istio.io', () => {
    expect(resolveResource('virtualservices.v1alpha3.networking.istio.io')?.versions[0]).toBe('v1alpha3');
    expect(resolveResource('vs.v1beta1.networking.istio.io')?.versions[0]).toBe('v1beta1');
    expect(resolveResource('virtualservices.networking.istio.io')?.versions[0]).toBe('v1');
    expect(resolveResource('envoyfilters')?.versions).toEqual(['v1alpha3']);
    expect(resolveResource('telemetry')?.kind).toBe('Telemetry');
    expect(resolveResource('crd')?.kind).toBe('CustomResourceDefinition');
    expect(resolveResource('virtualservices.v2.networking.istio.io')).toBeUndefined();
  });

  it('lists api-resources as kubectl does: grouped (core first), preferred versions, short names', () => {
    const rows = apiResources();
    const istio = rows.filter((r) => r.apiVersion.includes('istio.io')).map((r) => `${r.name} ${r.shortNames.join(',')} ${r.apiVersion}`);
    expect(istio).toEqual([
      'wasmplugins  extensions.istio.io/v1alpha1',
      'destinationrules dr networking.istio.io/v1',
      'envoyfilters  networking.istio.io/v1alpha3',
      'gateways gw networking.istio.io/v1',
      'proxyconfigs  networking.istio.io/v1beta1',
      'serviceentries se networking.istio.io/v1',
      'sidecars  networking.istio.io/v1',
      'virtualservices vs networking.istio.io/v1',
      'workloadentries we networking.istio.io/v1',
      'workloadgroups wg networking.istio.io/v1',
      'authorizationpolicies ap security.istio.io/v1',
      'peerauthentications pa security.istio.io/v1',
      'requestauthentications ra security.istio.io/v1',
      'telemetries telemetry telemetry.istio.io/v1',
    ]);
    expect(rows[0].apiVersion).toBe('v1');
    expect(rows.find((r) => r.name === 'virtualservices')?.categories).toEqual(['istio-io', 'networking-istio-io']);
  });
});

describe('kubectl with Istio manifests of any served version', () => {
  const reviews = `apiVersion: networking.istio.io/v1alpha3
kind: VirtualService
metadata:
  name: reviews
spec:
  hosts:
  - reviews
  http:
  - route:
    - destination:
        host: reviews
        subset: v1
`;

  it('applies the istio.io v1alpha3 VirtualService and reads it in any version', async () => {
    const sb = new Sandbox({ seed: 1, examples: { 'reviews.yaml': reviews } });
    const applied = await sb.exec('kubectl apply -f ~/examples/reviews.yaml');
    expect(applied.stderr).toBe('');
    expect(applied.stdout).toBe('virtualservice.networking.istio.io/reviews created\n');
    expect((await sb.exec('kubectl apply -f ~/examples/reviews.yaml')).stdout).toBe('virtualservice.networking.istio.io/reviews unchanged\n');
    const alpha = await sb.exec('kubectl get virtualservices.v1alpha3.networking.istio.io reviews -o jsonpath={.apiVersion}');
    expect(alpha.stdout).toBe('networking.istio.io/v1alpha3');
    const v1 = await sb.exec('kubectl get vs reviews -o jsonpath={.apiVersion}');
    expect(v1.stdout).toBe('networking.istio.io/v1');
  });

  it('lists the CRDs of Istio with their creation time', async () => {
    const sb = new Sandbox({ seed: 1 });
    const { stdout } = await sb.exec('kubectl get crd');
    const lines = stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^NAME\s+CREATED AT$/);
    expect(lines.slice(1).map((l) => l.split(/\s+/)[0])).toContain('virtualservices.networking.istio.io');
    expect(lines).toHaveLength(1 + ISTIO_CRDS.length);
    expect(lines[1]).toMatch(/^authorizationpolicies\.security\.istio\.io\s+\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    const crd = await sb.exec('kubectl get crd virtualservices.networking.istio.io -o jsonpath={.status.storedVersions}');
    expect(crd.stdout).toBe('["v1alpha3"]');
  });
});
