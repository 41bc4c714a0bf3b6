import {describe, expect, it} from 'vitest';
import {parseAllDocuments} from 'yaml';
import {dataHref, fileName, lessonBundleName} from './download';
import {joinManifests} from './joinManifests';

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

  it('puts Namespaces first, so their objects find them on a fresh cluster', () => {
    const text = joinManifests([
      {file: 'a/gateway.yaml', text: 'apiVersion: networking.istio.io/v1\nkind: Gateway\nmetadata:\n  name: g\n  namespace: shop\n'},
      {file: 'a/namespace.yaml', text: '# the lesson\'s namespace\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n  labels:\n    name: not-the-name\n'},
      {file: 'a/web.yaml', text: 'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n  namespace: shop\n'},
    ]);
    const docs = parseAllDocuments(text).map((d) => d.toJS() as {kind: string; metadata: {name: string}});
    expect(docs.map((d) => `${d.kind}/${d.metadata.name}`)).toEqual(['Namespace/shop', 'Gateway/g', 'Service/web']);
    expect(text.startsWith("---\n# examples/a/namespace.yaml\n# the lesson's namespace\napiVersion: v1\n")).toBe(true);
  });

  it('leaves out a later variant of the same object and names it at the top', () => {
    const gateway = (port: number): string =>
      `apiVersion: networking.istio.io/v1\nkind: Gateway\nmetadata:\n  name: example-gateway # the same name\n  namespace: "shop"\nspec:\n  servers:\n  - port:\n      number: ${port}\n`;
    const text = joinManifests([
      {file: 'g/gateway.yaml', text: gateway(80)},
      {file: 'g/gateway-https.yaml', text: gateway(443)},
      // same name, other kind or namespace or group: different objects, all kept
      {file: 'g/service.yaml', text: 'apiVersion: v1\nkind: Service\nmetadata:\n  name: example-gateway\n  namespace: shop\n'},
      {file: 'g/other-ns.yaml', text: 'apiVersion: networking.istio.io/v1\nkind: Gateway\nmetadata:\n  name: example-gateway\n  namespace: other\n'},
      {file: 'g/gateway-api.yaml', text: 'apiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\nmetadata:\n  name: example-gateway\n  namespace: shop\n'},
    ]);
    expect(text.split('\n')[0]).toBe('# Альтернативный вариант Gateway example-gateway (examples/g/gateway-https.yaml) не включён: скачайте его отдельно');
    expect(text).not.toContain('number: 443');
    expect(text).not.toContain('# examples/g/gateway-https.yaml');
    const docs = parseAllDocuments(text).map((d) => d.toJS() as {apiVersion: string; kind: string; metadata: {namespace: string}} | null).filter((d) => d !== null);
    expect(docs.map((d) => `${d.apiVersion} ${d.kind} ${d.metadata.namespace}`)).toEqual([
      'networking.istio.io/v1 Gateway shop',
      'v1 Service shop',
      'networking.istio.io/v1 Gateway other',
      'gateway.networking.k8s.io/v1 Gateway shop',
    ]);
  });

  it('keeps documents it cannot identify as they are', () => {
    const text = joinManifests([
      {file: 'x/a.yaml', text: 'kind: ConfigMap\nmetadata: {name: c}\n'},
      {file: 'x/b.yaml', text: 'kind: ConfigMap\nmetadata: {name: c}\n'},
    ]);
    expect(text).toBe('---\n# examples/x/a.yaml\nkind: ConfigMap\nmetadata: {name: c}\n---\n# examples/x/b.yaml\nkind: ConfigMap\nmetadata: {name: c}\n');
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
