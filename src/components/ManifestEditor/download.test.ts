import {describe, expect, it} from 'vitest';
import {parseAllDocuments} from 'yaml';
import {dataHref, fileName, joinManifests, lessonBundleName} from './download';

describe('downloads', () => {
  it('joins a lesson’s manifests into one multi-document YAML', () => {
    const text = joinManifests([
      {file: 'a/namespace.yaml', text: 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: demo\n'},
      {file: 'a/two.yaml', text: '---\napiVersion: v1\nkind: Service\nmetadata:\n  name: s\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n\n\n'},
      {file: 'a/no-newline.yaml', text: 'apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: sa'},
    ]);
    expect(text).toBe(
      [
        '---',
        '# examples/a/namespace.yaml',
        'apiVersion: v1',
        'kind: Namespace',
        'metadata:',
        '  name: demo',
        '---',
        '# examples/a/two.yaml',
        'apiVersion: v1',
        'kind: Service',
        'metadata:',
        '  name: s',
        '---',
        'apiVersion: v1',
        'kind: ConfigMap',
        'metadata:',
        '  name: c',
        '---',
        '# examples/a/no-newline.yaml',
        'apiVersion: v1',
        'kind: ServiceAccount',
        'metadata:',
        '  name: sa',
        '',
      ].join('\n'),
    );
    const kinds = parseAllDocuments(text).map((d) => (d.toJS() as {kind: string}).kind);
    expect(kinds).toEqual(['Namespace', 'Service', 'ConfigMap', 'ServiceAccount']);
  });

  it('names files', () => {
    expect(lessonBundleName('/docs/scenarios/ingress-service-a')).toBe('ingress-service-a-manifests.yaml');
    expect(lessonBundleName('/docs/gateway/')).toBe('gateway-manifests.yaml');
    expect(fileName('ingress-service-a/gateway.yaml')).toBe('gateway.yaml');
  });

  it('makes a data: URL that decodes back to the text', () => {
    const text = 'name: «демо» # 100%\n';
    const href = dataHref(text);
    expect(href.startsWith('data:application/yaml;charset=utf-8,')).toBe(true);
    expect(decodeURIComponent(href.slice(href.indexOf(',') + 1))).toBe(text);
  });
});
