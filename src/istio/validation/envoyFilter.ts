/**
 * EnvoyFilter (istio/istio pkg/config/validation/envoyfilter/envoyfilter.go: ValidateEnvoyFilter).
 * Every EnvoyFilter carries Istio's standing warning; each config patch must name what it applies
 * to, an operation and (unless it removes) a value, and its match must suit its applyTo. Istio
 * also builds the patch value as an xDS proto; the sandbox has no Envoy protos, so that check
 * (unknown fields, unknown `@type`s) is not made here.
 */
import { RE2JS } from 're2js';
import { arr, isRecord, quote, str } from './common';
import type { Findings } from './errors';

const LISTENER_CLASS = new Set(['LISTENER', 'FILTER_CHAIN', 'NETWORK_FILTER', 'HTTP_FILTER']);
const ROUTE_CLASS = new Set(['ROUTE_CONFIGURATION', 'VIRTUAL_HOST', 'HTTP_ROUTE']);
const HCM = 'envoy.filters.network.http_connection_manager';

/** xds.ReverseDeprecatedFilterNames: the old names Istio still matches, with the one to use. */
const DEPRECATED_FILTER_NAMES: Record<string, string> = {
  'envoy.http_connection_manager': HCM,
  'envoy.tcp_proxy': 'envoy.filters.network.tcp_proxy',
  'envoy.router': 'envoy.filters.http.router',
  'envoy.cors': 'envoy.filters.http.cors',
  'envoy.fault': 'envoy.filters.http.fault',
  'envoy.lua': 'envoy.filters.http.lua',
  'envoy.ext_authz': 'envoy.filters.http.ext_authz',
  'envoy.rate_limit': 'envoy.filters.http.ratelimit',
  'envoy.grpc_web': 'envoy.filters.http.grpc_web',
  'envoy.health_check': 'envoy.filters.http.health_check',
};

export const ENVOY_FILTER_WARNING =
  'EnvoyFilter exposes internal implementation details that may change at any time. Prefer other APIs if possible, and exercise extreme caution, especially around upgrades.';

function deprecatedName(f: Findings, name: string, ...rel: Array<string | number>): void {
  const newer = DEPRECATED_FILTER_NAMES[name];
  if (newer) f.warn(`using deprecated filter name ${quote(name)}; use ${quote(newer)} instead`, ...rel);
}

export function validateEnvoyFilter(f: Findings, spec: Record<string, unknown>): void {
  f.warn(ENVOY_FILTER_WARNING, 'spec');
  // ValidateAlphaWorkloadSelector
  if (isRecord(spec.workloadSelector)) {
    const labels = isRecord(spec.workloadSelector.labels) ? spec.workloadSelector.labels : {};
    for (const [k, v] of Object.entries(labels)) {
      if (k === '') f.listError(`empty key is not supported in selector: ${quote(`${k}=${str(v)}`)}`, 'spec', 'workloadSelector', 'labels');
      if (k.includes('*') || str(v).includes('*')) f.listError(`wildcard is not supported in selector: ${quote(`${k}=${str(v)}`)}`, 'spec', 'workloadSelector', 'labels', k);
    }
    if (Object.keys(labels).length === 0) f.warn('Envoy filter: workload selector specified without labels, will be applied to all services in namespace', 'spec', 'workloadSelector');
  }
  arr(spec.configPatches).forEach((cp, i) => {
    const at = (...rel: Array<string | number>): Array<string | number> => ['spec', 'configPatches', i, ...rel];
    if (!isRecord(cp)) return f.listError('Envoy filter: null config patch', ...at());
    const applyTo = str(cp.applyTo);
    if (applyTo === '' || applyTo === 'INVALID') return f.listError('Envoy filter: missing applyTo', ...at());
    if (!isRecord(cp.patch)) return f.listError('Envoy filter: missing patch', ...at());
    const op = str(cp.patch.operation);
    if (op === '' || op === 'INVALID') return f.listError('Envoy filter: missing patch operation', ...at('patch'));
    if (op !== 'REMOVE' && !isRecord(cp.patch.value)) return f.listError('Envoy filter: missing patch value for non-remove operation', ...at('patch'));
    const match = isRecord(cp.match) ? cp.match : undefined;
    const proxyVersion = match && isRecord(match.proxy) ? str(match.proxy.proxyVersion) : '';
    if (proxyVersion) {
      try {
        RE2JS.compile(proxyVersion);
      } catch (e) {
        return f.listError(`Envoy filter: invalid regex for proxy version, [${e instanceof Error ? e.message : String(e)}]`, ...at('match', 'proxy', 'proxyVersion'));
      }
    }
    // the match's object type (listener, routeConfiguration or cluster) must suit applyTo
    const objectType = match && (['listener', 'routeConfiguration', 'cluster'] as const).find((k) => match[k] !== undefined);
    if (!objectType) return;
    if (LISTENER_CLASS.has(applyTo)) {
      if (objectType !== 'listener') return f.listError('Envoy filter: applyTo for listener class objects cannot have non listener match', ...at('match'));
      const listener = isRecord(match.listener) ? match.listener : {};
      const chain = isRecord(listener.filterChain) ? listener.filterChain : undefined;
      const filter = chain && isRecord(chain.filter) ? chain.filter : undefined;
      if (!filter) return;
      const where = at('match', 'listener', 'filterChain', 'filter');
      if (applyTo === 'LISTENER' || applyTo === 'FILTER_CHAIN') f.warn(`Envoy filter: filter match has no effect when used with ${applyTo}`, ...where);
      const name = str(filter.name);
      if (name === '') return f.listError('Envoy filter: filter match has no name to match on', ...where);
      const sub = isRecord(filter.subFilter) ? filter.subFilter : undefined;
      if (sub) {
        if (applyTo !== 'HTTP_FILTER') return f.listError('Envoy filter: subfilter match can be used with applyTo HTTP_FILTER only', ...where, 'subFilter');
        if (name !== HCM && name !== 'envoy.http_connection_manager') return f.listError(`Envoy filter: subfilter match requires filter match with ${HCM}`, ...where, 'subFilter');
        if (str(sub.name) === '') return f.listError('Envoy filter: subfilter match has no name to match on', ...where, 'subFilter');
      }
      deprecatedName(f, name, ...where, 'name');
      if (sub) deprecatedName(f, str(sub.name), ...where, 'subFilter', 'name');
    } else if (ROUTE_CLASS.has(applyTo)) {
      if (objectType !== 'routeConfiguration') f.listError('Envoy filter: applyTo for http route class objects cannot have non route configuration match', ...at('match'));
    } else if (applyTo === 'CLUSTER') {
      if (objectType !== 'cluster') f.listError('Envoy filter: applyTo for cluster class objects cannot have non cluster match', ...at('match'));
    }
  });
}
