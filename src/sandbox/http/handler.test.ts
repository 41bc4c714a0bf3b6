import { describe, expect, it } from 'vitest';
import { Sandbox } from '../sandbox';
import { aggregatedDiscovery } from './discovery';
import { KubeHttpApi, MAX_BODY_BYTES } from './handler';
import { isStream, type HttpRequest, type HttpResponse } from './types';

const sb = new Sandbox({ seed: 2 });
const api = new KubeHttpApi(sb, { token: 't0ken', rateLimit: 100_000 });

function call(method: string, url: string, body = '', headers: Record<string, string> = {}): HttpResponse & { json: Record<string, unknown> } {
  const req: HttpRequest = { method, url, headers: { authorization: 'Bearer t0ken', ...headers }, body };
  const r = api.handle(req);
  if (isStream(r)) throw new Error('stream');
  let json: Record<string, unknown> = {};
  try {
    json = JSON.parse(r.body) as Record<string, unknown>;
  } catch {
    // text answers (healthz)
  }
  return { ...r, json };
}

describe('the HTTP front of the apiserver', () => {
  it.each<[string, string, string, Record<string, string>, number, string]>([
    ['no token', 'GET', '/api/v1/pods', { authorization: '' }, 401, 'Unauthorized'],
    ['a wrong token', 'GET', '/api/v1/pods', { authorization: 'Bearer nope' }, 401, 'Unauthorized'],
    ['an unknown path', 'GET', '/nope', {}, 404, 'NotFound'],
    ['an unknown resource', 'GET', '/api/v1/widgets', {}, 404, 'NotFound'],
    ['a malformed selector', 'GET', '/api/v1/pods?labelSelector=a%20in%20(', {}, 400, 'BadRequest'],
    ['an unsupported field selector', 'GET', '/api/v1/pods?fieldSelector=spec.foo=1', {}, 400, 'BadRequest'],
    ['a method the resource does not take', 'POST', '/api/v1/namespaces/default/pods/x', {}, 405, 'MethodNotAllowed'],
  ])('answers %s with a Status', (_name, method, url, headers, code, reason) => {
    const r = call(method, url, '', headers);
    expect(r.status).toBe(code);
    expect(r.json).toMatchObject({ kind: 'Status', apiVersion: 'v1', status: 'Failure', code, reason });
  });

  it('turns a malformed body into 400 BadRequest, and a body over the limit into 413', () => {
    expect(call('POST', '/api/v1/namespaces/default/configmaps', '{"kind": ', { 'content-type': 'application/json' }).json).toMatchObject({ code: 400, reason: 'BadRequest' });
    expect(call('POST', '/api/v1/namespaces/default/configmaps', 'x'.repeat(MAX_BODY_BYTES + 1)).json).toMatchObject({ code: 413, reason: 'RequestEntityTooLarge' });
  });

  it('throttles a client over the rate limit with 429 and Retry-After', () => {
    const slow = new KubeHttpApi(sb, { token: 't0ken', rateLimit: 1 });
    const codes = Array.from({ length: 4 }, () => (slow.handle({ method: 'GET', url: '/version', headers: { authorization: 'Bearer t0ken' }, body: '' }) as HttpResponse).status);
    expect(codes).toEqual([200, 200, 429, 429]);
  });

  it('serves version, health and discovery', () => {
    expect(call('GET', '/version').json).toMatchObject({ gitVersion: 'v1.35.2', major: '1', minor: '35' });
    expect(call('GET', '/readyz').body).toBe('ok');
    const agg = call('GET', '/apis', '', { accept: 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList' });
    expect(agg.headers['Content-Type']).toBe('application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList');
    const core = (aggregatedDiscovery('api') as { items: { versions: { resources: { resource: string; shortNames?: string[]; categories?: string[]; subresources?: { subresource: string }[] }[] }[] }[] }).items[0].versions[0].resources;
    const pods = core.find((r) => r.resource === 'pods');
    expect(pods).toMatchObject({ shortNames: ['po'], categories: ['all'] });
    expect(pods?.subresources?.map((s) => s.subresource)).toEqual(['exec', 'log', 'portforward', 'status']);
    expect(call('GET', '/apis/apps/v1').json).toMatchObject({ kind: 'APIResourceList', groupVersion: 'apps/v1' });
  });

  it('lists in pages with limit and continue, and as a Table with wide columns at priority 1', () => {
    const first = call('GET', '/api/v1/namespaces/kube-system/pods?limit=2').json as { items: { metadata: { name: string } }[]; metadata: { continue?: string; remainingItemCount?: number } };
    expect(first.items).toHaveLength(2);
    const rest = call('GET', `/api/v1/namespaces/kube-system/pods?continue=${encodeURIComponent(first.metadata.continue ?? '')}`).json as { items: { metadata: { name: string } }[] };
    expect(rest.items).toHaveLength(first.metadata.remainingItemCount ?? -1);
    const all = call('GET', '/api/v1/namespaces/kube-system/pods').json as { items: { metadata: { name: string } }[] };
    expect([...first.items, ...rest.items].map((p) => p.metadata.name)).toEqual(all.items.map((p) => p.metadata.name));
    const table = call('GET', '/api/v1/namespaces/kube-system/pods', '', { accept: 'application/json;as=Table;v=v1;g=meta.k8s.io' }).json as {
      kind: string;
      columnDefinitions: { name: string; priority: number }[];
      rows: { cells: string[]; object: { kind: string; metadata: { name: string } } }[];
    };
    expect(table.kind).toBe('Table');
    expect(table.columnDefinitions.map((c) => `${c.name}:${c.priority}`)).toEqual(['Name:0', 'Ready:0', 'Status:0', 'Restarts:0', 'Age:0', 'IP:1', 'Node:1', 'Nominated Node:1', 'Readiness Gates:1']);
    expect(table.rows[0].object.kind).toBe('PartialObjectMetadata');
    expect(table.rows.map((r) => r.cells[0])).toEqual(all.items.map((p) => p.metadata.name));
  });

  it('server-side apply records the manager and reports a conflict with another one', () => {
    const cm = (v: string): string => JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'default' }, data: { k: v } });
    const apply = (manager: string, v: string, force = false): ReturnType<typeof call> =>
      call('PATCH', `/api/v1/namespaces/default/configmaps/c?fieldManager=${manager}${force ? '&force=true' : ''}`, cm(v), { 'content-type': 'application/apply-patch+yaml' });
    expect(apply('alice', '1').status).toBe(201);
    expect(apply('alice', '1').status).toBe(200);
    const c = apply('bob', '2');
    expect(c.json).toMatchObject({ code: 409, reason: 'Conflict', message: 'Apply failed with 1 conflict: conflict with "alice": .data.k' });
    const forced = apply('bob', '2', true);
    expect(forced.json).toMatchObject({ data: { k: '2' } });
    expect(((forced.json.metadata as Record<string, unknown>).managedFields as { manager: string }[]).map((m) => m.manager)).toEqual(['bob']);
  });
});

describe('pods/log?follow=true', () => {
  it('writes each line the container writes while the client follows, and ends when the pod goes', async () => {
    const s = new Sandbox({ seed: 3 });
    const a = new KubeHttpApi(s, { token: 't', rateLimit: 100_000 });
    const pod = (await s.exec('kubectl get pods -n kube-system -l k8s-app=kube-dns -o jsonpath={.items[0].metadata.name}')).stdout;
    const r = a.handle({ method: 'GET', url: `/api/v1/namespaces/kube-system/pods/${pod}/log?follow=true&tailLines=0`, headers: { authorization: 'Bearer t' }, body: '' });
    if (!isStream(r)) throw new Error(`not a stream: ${r.body}`);
    const chunks: string[] = [];
    let ended = false;
    r.start({ write: (c) => chunks.push(c), end: () => (ended = true) });
    expect(chunks.join('')).toBe('');
    const obj = s.cluster.server.handle({ method: 'GET', path: `/api/v1/namespaces/kube-system/pods/${pod}` }).body as unknown as { metadata: { uid: string }; spec: { containers: { name: string }[] } };
    const uid = obj.metadata.uid;
    const container = obj.spec.containers[0].name;
    s.cluster.logs.append(uid, container, 'first line', s.cluster.clock.now());
    s.cluster.logs.append(uid, 'another-container', 'not this one', s.cluster.clock.now());
    s.cluster.logs.append(uid, container, 'second line', s.cluster.clock.now());
    expect(chunks.join('')).toBe('first line\nsecond line\n');
    expect(ended).toBe(false);
    await s.exec(`kubectl delete pod ${pod} -n kube-system`);
    expect(ended).toBe(false); // terminating: the container still runs
    await s.exec('sleep 60');
    s.cluster.sync();
    expect((await s.exec(`kubectl get pod ${pod} -n kube-system`)).stderr).toMatch(/NotFound|not found/);
    expect(ended).toBe(true);
  });
});
