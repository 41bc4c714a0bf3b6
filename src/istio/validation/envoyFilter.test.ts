/** EnvoyFilter rules of istiod's webhook (pkg/config/validation/envoyfilter/envoyfilter.go): a valid and an invalid patch each. */
import { describe, expect, it } from 'vitest';
import { Sandbox } from '../../sandbox/sandbox';
import { ENVOY_FILTER_WARNING } from './envoyFilter';
import { formatErrors } from './errors';
import { validateIstioObject } from './index';

type Spec = Record<string, unknown>;
const ef = (spec: Spec) => ({ apiVersion: 'networking.istio.io/v1alpha3', kind: 'EnvoyFilter', metadata: { name: 'f', namespace: 'demo' }, spec });
const patch = (p: Spec): Spec => ({ configPatches: [p] });
const lrl = { name: 'envoy.filters.http.local_ratelimit', typed_config: { '@type': 'type.googleapis.com/udpa.type.v1.TypedStruct' } };

const ROWS: Array<[string, Spec, Spec, string]> = [
  ['applyTo is required', patch({ applyTo: 'HTTP_FILTER', patch: { operation: 'ADD', value: lrl } }), patch({ patch: { operation: 'ADD', value: lrl } }), 'Envoy filter: missing applyTo'],
  ['a patch is required', patch({ applyTo: 'CLUSTER', patch: { operation: 'REMOVE' } }), patch({ applyTo: 'CLUSTER' }), 'Envoy filter: missing patch'],
  ['the operation is required', patch({ applyTo: 'CLUSTER', patch: { operation: 'REMOVE' } }), patch({ applyTo: 'CLUSTER', patch: { value: {} } }), 'Envoy filter: missing patch operation'],
  ['only REMOVE goes without a value', patch({ applyTo: 'CLUSTER', patch: { operation: 'REMOVE' } }), patch({ applyTo: 'CLUSTER', patch: { operation: 'MERGE' } }), 'Envoy filter: missing patch value for non-remove operation'],
  [
    'the proxy version is an RE2 regex',
    patch({ applyTo: 'CLUSTER', match: { proxy: { proxyVersion: '^1\\.2[0-9].*' } }, patch: { operation: 'REMOVE' } }),
    patch({ applyTo: 'CLUSTER', match: { proxy: { proxyVersion: '1.(2' } }, patch: { operation: 'REMOVE' } }),
    'Envoy filter: invalid regex for proxy version, [error parsing regexp: missing closing ): `1.(2`]',
  ],
  [
    'a listener-class patch matches a listener',
    patch({ applyTo: 'HTTP_FILTER', match: { listener: { portNumber: 80 } }, patch: { operation: 'INSERT_BEFORE', value: lrl } }),
    patch({ applyTo: 'HTTP_FILTER', match: { cluster: { portNumber: 80 } }, patch: { operation: 'INSERT_BEFORE', value: lrl } }),
    'Envoy filter: applyTo for listener class objects cannot have non listener match',
  ],
  [
    'a route-class patch matches a route configuration',
    patch({ applyTo: 'HTTP_ROUTE', match: { routeConfiguration: { vhost: { name: 'a:80' } } }, patch: { operation: 'MERGE', value: {} } }),
    patch({ applyTo: 'HTTP_ROUTE', match: { listener: { portNumber: 80 } }, patch: { operation: 'MERGE', value: {} } }),
    'Envoy filter: applyTo for http route class objects cannot have non route configuration match',
  ],
  [
    'a cluster patch matches a cluster',
    patch({ applyTo: 'CLUSTER', match: { cluster: { service: 'a' } }, patch: { operation: 'MERGE', value: {} } }),
    patch({ applyTo: 'CLUSTER', match: { listener: { portNumber: 80 } }, patch: { operation: 'MERGE', value: {} } }),
    'Envoy filter: applyTo for cluster class objects cannot have non cluster match',
  ],
  [
    'a filter match names its filter',
    patch({ applyTo: 'HTTP_FILTER', match: { listener: { filterChain: { filter: { name: 'envoy.filters.network.http_connection_manager' } } } }, patch: { operation: 'INSERT_BEFORE', value: lrl } }),
    patch({ applyTo: 'HTTP_FILTER', match: { listener: { filterChain: { filter: { subFilter: { name: 'envoy.filters.http.router' } } } } }, patch: { operation: 'INSERT_BEFORE', value: lrl } }),
    'Envoy filter: filter match has no name to match on',
  ],
  [
    'a subfilter match sits under the HTTP connection manager',
    patch({ applyTo: 'HTTP_FILTER', match: { listener: { filterChain: { filter: { name: 'envoy.filters.network.http_connection_manager', subFilter: { name: 'envoy.filters.http.router' } } } } }, patch: { operation: 'INSERT_BEFORE', value: lrl } }),
    patch({ applyTo: 'HTTP_FILTER', match: { listener: { filterChain: { filter: { name: 'envoy.filters.network.tcp_proxy', subFilter: { name: 'envoy.filters.http.router' } } } } }, patch: { operation: 'INSERT_BEFORE', value: lrl } }),
    'Envoy filter: subfilter match requires filter match with envoy.filters.network.http_connection_manager',
  ],
];

describe('EnvoyFilter rules of validation.istio.io', () => {
  it.each(ROWS)('%s', (_, valid, invalid, message) => {
    expect(validateIstioObject(ef(valid)).errors).toEqual([]);
    // AppendValidation over a nil error: a list even when alone
    expect(formatErrors(validateIstioObject(ef(invalid)).errors)).toBe(`1 error occurred:\n\t* ${message}\n\n`);
  });

  it('every EnvoyFilter gets the standing warning; deprecated filter names and empty selectors warn too', () => {
    const { warnings } = validateIstioObject(ef({ workloadSelector: {}, configPatches: [{ applyTo: 'HTTP_FILTER', match: { listener: { filterChain: { filter: { name: 'envoy.http_connection_manager' } } } }, patch: { operation: 'INSERT_BEFORE', value: lrl } }] }));
    expect(warnings.map((w) => w.message)).toEqual([
      ENVOY_FILTER_WARNING,
      'Envoy filter: workload selector specified without labels, will be applied to all services in namespace',
      'using deprecated filter name "envoy.http_connection_manager"; use "envoy.filters.network.http_connection_manager" instead',
    ]);
  });

  it('kubectl apply prints the warnings of an allowed EnvoyFilter, and only the denial of a refused one', async () => {
    const sb = new Sandbox({ seed: 1 });
    await sb.exec('kubectl create ns demo');
    const apply = (body: string) => sb.exec(`kubectl apply -f - <<'EOF'\napiVersion: networking.istio.io/v1alpha3\nkind: EnvoyFilter\nmetadata: {name: f, namespace: demo}\nspec:\n${body}\nEOF`);
    const ok = await apply('  configPatches:\n  - applyTo: CLUSTER\n    patch: {operation: REMOVE}');
    expect(ok.stdout).toBe('envoyfilter.networking.istio.io/f created\n');
    expect(ok.stderr.split('\n')[0]).toBe(`Warning: ${ENVOY_FILTER_WARNING}`);
    // the same manifest again: kubectl sends no patch, so nothing warns
    expect((await apply('  configPatches:\n  - applyTo: CLUSTER\n    patch: {operation: REMOVE}')).stderr).not.toMatch(/Warning/);
    const bad = await apply('  configPatches:\n  - applyTo: CLUSTER\n    patch: {operation: MERGE}');
    // a denial carries no warnings (server.go returns only the error)
    expect(bad.stderr).toMatch(/^Error from server: .*admission webhook "validation\.istio\.io" denied the request: configuration is invalid: 1 error occurred:\n\t\* Envoy filter: missing patch value for non-remove operation\n/);
    expect(bad.stderr).not.toMatch(/Warning/);
  });
});
