import { describe, expect, it } from 'vitest';
import { containerResourceValue, extractFieldPathAsString, formatMap } from './fieldpath';

const meta = { name: 'web-1', namespace: 'demo', uid: 'u-1', labels: { version: 'v1', app: 'web' }, annotations: { note: 'say "hi"' } };

describe('extractFieldPathAsString (pkg/fieldpath)', () => {
  it.each([
    ['metadata.name', 'web-1'],
    ['metadata.namespace', 'demo'],
    ['metadata.uid', 'u-1'],
    ['metadata.labels', 'app="web"\nversion="v1"'],
    ["metadata.labels['app']", 'web'],
    ["metadata.annotations['note']", 'say "hi"'],
    ["metadata.labels['missing']", ''],
    ['metadata.annotations', 'note="say \\"hi\\""'],
    ['status.podIP', undefined],
    ['spec.nodeName', undefined],
  ])('%s → %j', (path, want) => expect(extractFieldPathAsString(meta, path)).toBe(want));

  it('formats an empty map as nothing', () => expect(formatMap(undefined)).toBe(''));
});

describe('containerResourceValue (ExtractContainerResourceValue)', () => {
  const c = { resources: { limits: { cpu: '1500m', memory: '1Gi' }, requests: { cpu: '100m', memory: '128Mi' } } };
  it.each([
    [{ resource: 'limits.cpu' }, c, undefined, '2'],
    [{ resource: 'limits.cpu', divisor: '1m' }, c, undefined, '1500'],
    [{ resource: 'limits.memory' }, c, undefined, '1073741824'],
    [{ resource: 'limits.memory', divisor: '1Mi' }, c, undefined, '1024'],
    [{ resource: 'requests.cpu' }, c, undefined, '1'],
    [{ resource: 'limits.cpu', divisor: '0' }, {}, undefined, '0'],
    [{ resource: 'limits.cpu' }, {}, '8', '8'],
    [{ resource: 'requests.cpu' }, {}, '8', '0'],
    [{ resource: 'limits.ephemeral-storage' }, {}, undefined, '0'],
    [{ resource: 'status.podIP' }, c, undefined, ''],
  ])('%j of %j (node %s) → %s', (ref, container, fallback, want) => expect(containerResourceValue(ref, container, fallback)).toBe(want));
});
