import { describe, expect, it } from 'vitest';
import { ManualClock } from '../core/clock';
import { SeededRandom } from '../core/random';
import { ApiClient } from './client';
import { ClusterIpAllocator, installBuiltinStrategies } from './defaults';
import { resolveResource, kindFor } from './kinds';
import { ApiServer } from './server';
import type { KubeObject } from './types';

function setup() {
  const clock = new ManualClock('2025-01-15T10:00:00Z');
  const server = new ApiServer(clock, new SeededRandom(7));
  installBuiltinStrategies(server.admission, new ClusterIpAllocator());
  const client = new ApiClient(server);
  client.create(client.kind('Namespace'), { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'demo' } });
  return { clock, server, client };
}

const deployment = (name: string, labels: Record<string, string> = { app: name }): KubeObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name, namespace: 'demo', labels },
  spec: { selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { containers: [{ name: 'c', image: 'nicholasjackson/fake-service:v0.26.2' }] } } },
});

describe('ApiServer', () => {
  it('creates with uid, resourceVersion, creationTimestamp from the clock and defaults', () => {
    const { client } = setup();
    const r = client.create(client.kind('Deployment'), deployment('web'));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.metadata.uid).toMatch(/^[0-9a-f-]{36}$/);
    expect(r.value.metadata.creationTimestamp).toBe('2025-01-15T10:00:00Z');
    expect(Number(r.value.metadata.resourceVersion)).toBeGreaterThan(0);
    expect(r.value.spec?.replicas).toBe(1);
    expect(r.value.metadata.generation).toBe(1);
  });

  it('words NotFound and AlreadyExists like the apiserver', () => {
    const { client } = setup();
    const missing = client.get(client.kind('Deployment'), 'demo', 'x');
    expect(missing.ok).toBe(false);
    if (!missing.ok) {
      expect(missing.status.reason).toBe('NotFound');
      expect(missing.status.message).toBe('deployments.apps "x" not found');
      expect(missing.status.code).toBe(404);
    }
    client.create(client.kind('Deployment'), deployment('web'));
    const again = client.create(client.kind('Deployment'), deployment('web'));
    expect(!again.ok && again.status.message).toBe('deployments.apps "web" already exists');
    const vs = client.get(client.kind('VirtualService'), 'demo', 'nope');
    expect(!vs.ok && vs.status.message).toBe('virtualservices.networking.istio.io "nope" not found');
  });

  it('rejects an object in a namespace that does not exist', () => {
    const { client } = setup();
    const d = deployment('web');
    d.metadata.namespace = 'ghost';
    const r = client.create(client.kind('Deployment'), d);
    expect(!r.ok && r.status.message).toBe('namespaces "ghost" not found');
  });

  it('returns Invalid with field causes and stores nothing', () => {
    const { client } = setup();
    const bad = deployment('web');
    (bad.spec as Record<string, unknown>).template = { metadata: { labels: { app: 'other' } }, spec: { containers: [{ name: 'c', image: 'x' }] } };
    const r = client.create(client.kind('Deployment'), bad);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.status.reason).toBe('Invalid');
      expect(r.status.message).toBe('Deployment.apps "web" is invalid: spec.template.metadata.labels: Invalid value: {"app":"other"}: `selector` does not match template `labels`');
      expect(r.status.details?.causes?.[0].field).toBe('spec.template.metadata.labels');
    }
    expect(client.get(client.kind('Deployment'), 'demo', 'web').ok).toBe(false);
  });

  it.each([
    ['', 'metadata.name: Required value: name or generateName is required'],
    ['Web_App', 'metadata.name: Invalid value: "Web_App"'],
  ])('validates metadata.name %j', (name, msg) => {
    const { client } = setup();
    const r = client.create(client.kind('Deployment'), deployment(name));
    expect(!r.ok && r.status.message).toContain(msg);
  });

  it('bumps resourceVersion and generation on spec changes, keeps them on no-op updates', () => {
    const { client } = setup();
    const D = client.kind('Deployment');
    const created = client.create(D, deployment('web'));
    if (!created.ok) throw new Error('create');
    const same = client.update(D, { ...created.value, metadata: { ...created.value.metadata } });
    expect(same.ok && same.value.metadata.resourceVersion).toBe(created.value.metadata.resourceVersion);
    const changed = client.update(D, { ...created.value, spec: { ...created.value.spec, replicas: 3 } });
    expect(changed.ok && Number(changed.value.metadata.resourceVersion)).toBeGreaterThan(Number(created.value.metadata.resourceVersion));
    expect(changed.ok && changed.value.metadata.generation).toBe(2);
  });

  it('rejects stale writes with Conflict', () => {
    const { client } = setup();
    const D = client.kind('Deployment');
    const created = client.create(D, deployment('web'));
    if (!created.ok) throw new Error('create');
    client.update(D, { ...created.value, spec: { ...created.value.spec, replicas: 2 } });
    const stale = client.update(D, { ...created.value, spec: { ...created.value.spec, replicas: 5 } });
    expect(!stale.ok && stale.status.reason).toBe('Conflict');
  });

  it('lists by label selector and across namespaces', () => {
    const { client } = setup();
    const D = client.kind('Deployment');
    client.create(D, deployment('a', { app: 'a', tier: 'web' }));
    client.create(D, deployment('b', { app: 'b', tier: 'db' }));
    const l = client.list(D, 'demo', 'tier=web');
    expect(l.ok && l.value.map((o) => o.metadata.name)).toEqual(['a']);
    const all = client.list(D);
    expect(all.ok && all.value.length).toBe(2);
    const bad = client.list(D, 'demo', 'tier in (');
    expect(bad.ok).toBe(false);
  });

  it('allocates a ClusterIP and keeps it across updates', () => {
    const { client } = setup();
    const S = client.kind('Service');
    const svc: KubeObject = { apiVersion: 'v1', kind: 'Service', metadata: { name: 's', namespace: 'demo' }, spec: { selector: { app: 's' }, ports: [{ port: 80, targetPort: 9090 }] } };
    const r = client.create(S, svc);
    if (!r.ok) throw new Error('create');
    expect(r.value.spec?.clusterIP).toMatch(/^10\.96\./);
    const u = client.update(S, { ...svc, metadata: { ...svc.metadata } });
    expect(u.ok && u.value.spec?.clusterIP).toBe(r.value.spec?.clusterIP);
  });

  it('serves Istio kinds in v1, v1beta1 and v1alpha3', () => {
    const { server } = setup();
    for (const v of ['v1', 'v1beta1', 'v1alpha3']) {
      const res = server.handle({
        method: 'POST',
        path: `/apis/networking.istio.io/${v}/namespaces/demo/gateways`,
        body: { apiVersion: `networking.istio.io/${v}`, kind: 'Gateway', metadata: { name: `gw-${v}` }, spec: {} },
      });
      expect(res.code).toBe(201);
      expect((res.body as KubeObject).apiVersion).toBe(`networking.istio.io/${v}`);
    }
    const got = server.handle({ method: 'GET', path: '/apis/networking.istio.io/v1/namespaces/demo/gateways/gw-v1alpha3' });
    expect((got.body as KubeObject).apiVersion).toBe('networking.istio.io/v1');
  });

  it('runs admission validators from the hook before storing', () => {
    const { client, server } = setup();
    server.admission.registerValidator('schema', (obj) => (obj.kind === 'VirtualService' && !(obj.spec as { hosts?: unknown }).hosts ? [{ field: 'spec.hosts', type: 'Required' }] : []));
    const r = client.create(client.kind('VirtualService'), { apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: { name: 'v', namespace: 'demo' }, spec: {} });
    expect(!r.ok && r.status.message).toBe('VirtualService.networking.istio.io "v" is invalid: spec.hosts: Required value');
    expect(client.list(client.kind('VirtualService'), 'demo').ok && (client.list(client.kind('VirtualService'), 'demo') as { value: unknown[] }).value).toEqual([]);
  });

  it('deletes a namespace with its contents; pods terminate gracefully', () => {
    const { client, clock, server } = setup();
    const P = client.kind('Pod');
    client.create(P, { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'demo' }, spec: { containers: [{ name: 'c', image: 'busybox' }] } });
    const d = client.delete(P, 'demo', 'p');
    expect(d.ok && d.value.metadata.deletionTimestamp).toBeTruthy();
    expect(client.get(P, 'demo', 'p').ok).toBe(true);
    clock.advance(2000);
    server.forceRemove(P, 'demo', 'p');
    expect(client.get(P, 'demo', 'p').ok).toBe(false);
    client.create(client.kind('Deployment'), deployment('web'));
    client.delete(client.kind('Namespace'), undefined, 'demo');
    expect(client.list(client.kind('Deployment')).ok && (client.list(client.kind('Deployment')) as { value: unknown[] }).value).toEqual([]);
  });
});

describe('the store, indexed by resource', () => {
  const names = (r: { ok: boolean; value?: KubeObject[] } | { ok: false }): string[] => ('value' in r && r.value ? r.value.map((o) => `${o.metadata.namespace ?? ''}/${o.metadata.name}`) : []);

  it('lists exactly the objects of the resource asked for through creates, updates, deletes, a namespace deletion and a restored snapshot', () => {
    const { client, server, clock } = setup();
    client.create(client.kind('Namespace'), { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'other' } });
    const CM = client.kind('ConfigMap');
    const S = client.kind('Service');
    const SE = client.kind('ServiceEntry');
    for (let i = 0; i < 300; i++) client.create(CM, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `c${i}`, namespace: i % 2 ? 'demo' : 'other' }, data: { i: String(i) } });
    client.create(S, { apiVersion: 'v1', kind: 'Service', metadata: { name: 's', namespace: 'demo', labels: { app: 's' } }, spec: { ports: [{ port: 80 }] } });
    client.create(SE, { apiVersion: 'networking.istio.io/v1', kind: 'ServiceEntry', metadata: { name: 'se', namespace: 'demo' }, spec: { hosts: ['x.example.com'], ports: [{ number: 80, name: 'http', protocol: 'HTTP' }] } });
    client.create(client.kind('Deployment'), deployment('web'));

    expect(names(client.list(S))).toEqual(['demo/s']);
    expect(names(client.cached(S, 'demo', 'app=s'))).toEqual(['demo/s']);
    expect(names(client.list(SE, 'demo'))).toEqual(['demo/se']);
    expect(names(client.list(CM, 'demo'))).toHaveLength(150);
    expect(names(client.cached(CM))).toHaveLength(300);
    const ns = client.list(client.kind('Namespace'));
    expect(ns.ok && ns.value.every((o) => o.kind === 'Namespace')).toBe(true);
    expect(names(ns)).toEqual(expect.arrayContaining(['/demo', '/other']));

    // an update keeps one entry; a delete removes it from the lists
    const c1 = client.get(CM, 'demo', 'c1');
    if (!c1.ok) throw new Error('get c1');
    client.update(CM, { ...c1.value, data: { i: 'changed' } });
    expect(names(client.list(CM, 'demo'))).toHaveLength(150);
    expect(client.list(CM, 'demo').ok && (client.list(CM, 'demo') as { value: KubeObject[] }).value.find((o) => o.metadata.name === 'c1')?.data).toEqual({ i: 'changed' });
    client.delete(CM, 'demo', 'c3');
    expect(names(client.list(CM, 'demo'))).not.toContain('demo/c3');
    expect(names(client.list(CM, 'demo'))).toHaveLength(149);

    // a namespace's deletion empties its lists, others stay
    client.delete(client.kind('Namespace'), undefined, 'other');
    clock.advance(1000);
    expect(names(client.list(CM, 'other'))).toEqual([]);
    expect(names(client.cached(CM))).toHaveLength(149);

    // a restored store lists the same
    const restored = setup().server;
    restored.restore(server.snapshot());
    const rc = new ApiClient(restored);
    expect(names(rc.list(CM))).toEqual(names(client.list(CM)));
    expect(names(rc.list(S))).toEqual(['demo/s']);
    expect(names(rc.cached(SE, 'demo'))).toEqual(['demo/se']);
  });
});

describe('kinds', () => {
  it.each([
    ['po', 'Pod'],
    ['svc', 'Service'],
    ['deploy', 'Deployment'],
    ['rs', 'ReplicaSet'],
    ['ep', 'Endpoints'],
    ['ns', 'Namespace'],
    ['gw', 'Gateway'],
    ['vs', 'VirtualService'],
    ['dr', 'DestinationRule'],
    ['se', 'ServiceEntry'],
    ['virtualservices.networking.istio.io', 'VirtualService'],
    ['Deployment', 'Deployment'],
  ])('resolves %s to %s', (name, kind) => {
    expect(resolveResource(name)?.kind).toBe(kind);
  });

  it.each([
    ['apps/v1', 'Deployment', true],
    ['v1', 'Deployment', false],
    ['networking.istio.io/v1alpha3', 'VirtualService', true],
    ['security.istio.io/v1', 'AuthorizationPolicy', true],
    ['bar/v1', 'Foo', false],
  ])('kindFor(%s, %s) known=%s', (av, kind, known) => {
    expect(kindFor(av, kind) !== undefined).toBe(known);
  });
});
