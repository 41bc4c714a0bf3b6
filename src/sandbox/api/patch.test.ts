import { describe, expect, it } from 'vitest';
import { jsonPatch, mergePatch, PatchError, strategicMergePatch } from './patch';

const pod = {
  metadata: { name: 'p', labels: { app: 'a', tier: 'x' }, finalizers: ['a'] },
  spec: {
    containers: [
      { name: 'app', image: 'app:1', env: [{ name: 'A', value: '1' }], ports: [{ containerPort: 80 }] },
      { name: 'istio-proxy', image: 'proxyv2' },
    ],
  },
};

describe('strategic merge patch (k8s.io/apimachinery/pkg/util/strategicpatch)', () => {
  type Pod = typeof pod;
  it.each<[string, unknown, (o: Pod) => unknown, unknown]>([
    ['merges containers by name', { spec: { containers: [{ name: 'app', image: 'app:2' }] } }, (o) => [o.spec.containers.map((c) => c.image), o.spec.containers[0].env], [['app:2', 'proxyv2'], [{ name: 'A', value: '1' }]]],
    ['adds an unknown container at the end', { spec: { containers: [{ name: 'new', image: 'n' }] } }, (o) => o.spec.containers.map((c) => c.name), ['app', 'istio-proxy', 'new']],
    ['deletes an item with $patch: delete', { spec: { containers: [{ name: 'istio-proxy', $patch: 'delete' }] } }, (o) => o.spec.containers.map((c) => c.name), ['app']],
    ['replaces a list with a $patch: replace item', { spec: { containers: [{ name: 'only', image: 'o' }, { $patch: 'replace' }] } }, (o) => o.spec.containers, [{ name: 'only', image: 'o' }]],
    ['merges env by name inside a container', { spec: { containers: [{ name: 'app', env: [{ name: 'B', value: '2' }] }] } }, (o) => o.spec.containers[0].env, [{ name: 'A', value: '1' }, { name: 'B', value: '2' }]],
    ['merges container ports by containerPort', { spec: { containers: [{ name: 'app', ports: [{ containerPort: 80, name: 'http' }] }] } }, (o) => o.spec.containers[0].ports, [{ containerPort: 80, name: 'http' }]],
    ['removes a label with null', { metadata: { labels: { tier: null } } }, (o) => o.metadata.labels, { app: 'a' }],
    ['unions finalizers and drops with $deleteFromPrimitiveList', { metadata: { finalizers: ['b'], '$deleteFromPrimitiveList/finalizers': ['a'] } }, (o) => o.metadata.finalizers, ['b']],
    ['orders by $setElementOrder', { spec: { '$setElementOrder/containers': [{ name: 'istio-proxy' }, { name: 'app' }] } }, (o) => o.spec.containers.map((c) => c.name), ['istio-proxy', 'app']],
  ])('%s', (_name, patch, pick, want) => {
    expect(pick(strategicMergePatch(pod, patch) as Pod)).toEqual(want);
  });

  it('never changes its input', () => {
    const before = JSON.stringify(pod);
    strategicMergePatch(pod, { spec: { containers: [{ name: 'app', image: 'x' }] } });
    expect(JSON.stringify(pod)).toBe(before);
  });

  it('refuses an item without its merge key', () => {
    expect(() => strategicMergePatch(pod, { spec: { containers: [{ image: 'x' }] } })).toThrow(/does not contain declared merge key: name/);
  });
});

describe('merge patch (RFC 7386)', () => {
  it('replaces lists, merges maps, deletes with null', () => {
    expect(mergePatch({ a: { b: 1, c: 2 }, l: [1, 2] }, { a: { c: null, d: 3 }, l: [3] })).toEqual({ a: { b: 1, d: 3 }, l: [3] });
  });
});

describe('JSON patch (RFC 6902)', () => {
  const doc = { spec: { replicas: 1, list: ['a', 'b'] } };
  it.each([
    [[{ op: 'replace', path: '/spec/replicas', value: 3 }], { spec: { replicas: 3, list: ['a', 'b'] } }],
    [[{ op: 'add', path: '/spec/list/-', value: 'c' }], { spec: { replicas: 1, list: ['a', 'b', 'c'] } }],
    [[{ op: 'add', path: '/spec/list/0', value: 'z' }], { spec: { replicas: 1, list: ['z', 'a', 'b'] } }],
    [[{ op: 'remove', path: '/spec/list/1' }], { spec: { replicas: 1, list: ['a'] } }],
    [[{ op: 'move', from: '/spec/replicas', path: '/spec/count' }], { spec: { count: 1, list: ['a', 'b'] } }],
    [[{ op: 'copy', from: '/spec/replicas', path: '/spec/count' }], { spec: { replicas: 1, count: 1, list: ['a', 'b'] } }],
    [[{ op: 'test', path: '/spec/replicas', value: 1 }], doc],
  ])('%j', (ops, want) => {
    expect(jsonPatch(doc, ops)).toEqual(want);
  });

  it.each([
    [[{ op: 'replace', path: '/spec/missing/x', value: 1 }], /replace operation does not apply: doc is missing path/],
    [[{ op: 'remove', path: '/spec/nope' }], /remove operation does not apply: doc is missing key: \/spec\/nope/],
    [[{ op: 'test', path: '/spec/replicas', value: 2 }], /testing value \/spec\/replicas failed/],
    [[{ op: 'frobnicate', path: '/x' }], /Unexpected kind: frobnicate/],
    [{ op: 'add' }, /cannot unmarshal object/],
  ])('%j fails with the library\'s words', (ops, msg) => {
    expect(() => jsonPatch(doc, ops)).toThrow(PatchError);
    expect(() => jsonPatch(doc, ops)).toThrow(msg);
  });
});
