/**
 * EnvoyFilter → what the sandbox's Envoy can execute, the way istiod applies patches
 * (istio/istio pilot/pkg/networking/core/envoyfilter): filters in the root namespace apply to
 * every workload their workloadSelector picks, filters in a namespace to that namespace's
 * workloads; each patch matches a context (SIDECAR_INBOUND, SIDECAR_OUTBOUND, GATEWAY, ANY) and
 * optionally a listener port or a virtual host. The sandbox runs the HTTP local rate limit
 * (HTTP_FILTER insertion of envoy.filters.http.local_ratelimit, and its typed_per_filter_config
 * on HTTP_ROUTE / VIRTUAL_HOST); every other patch is stored and reported as not executed.
 */
import { fromMap, matches } from '../../api/labels';
import { isRecord } from '../../api/types';
import { fractionPercent, type LocalRateLimitConfig } from '../../dataplane/localRateLimit';
import { parseDuration } from './istioTypes';
import type { Config, PodInfo, PushContext } from './pushContext';

export type PatchContext = 'SIDECAR_INBOUND' | 'SIDECAR_OUTBOUND' | 'GATEWAY' | 'ANY';

export interface RateLimitPatch {
  context: PatchContext;
  portNumber?: number;
  /** HTTP_ROUTE / VIRTUAL_HOST: the virtual host name to match ("inbound|http|9080", "*:80"); absent: any. */
  vhostName?: string;
  routeName?: string;
  config: LocalRateLimitConfig;
  /** "namespace/name" of the EnvoyFilter. */
  origin: string;
}

export interface EnvoyFilterEffects {
  /** envoy.filters.http.local_ratelimit inserted into HTTP connection managers. */
  httpFilters: RateLimitPatch[];
  /** typed_per_filter_config for the local rate limit on routes or virtual hosts. */
  routeConfigs: RateLimitPatch[];
}

const LOCAL_RL = 'envoy.filters.http.local_ratelimit';
const LOCAL_RL_TYPE = 'type.googleapis.com/envoy.extensions.filters.http.local_ratelimit.v3.LocalRateLimit';

/** A typed_config either of the LocalRateLimit type or a (udpa|xds).type.v(1|3).TypedStruct wrapping it. */
function localRateLimitValue(tc: unknown): Record<string, unknown> | undefined {
  if (!isRecord(tc)) return undefined;
  const type = String(tc['@type'] ?? '');
  if (type === LOCAL_RL_TYPE) return tc;
  if (/TypedStruct$/.test(type) && tc.type_url === LOCAL_RL_TYPE && isRecord(tc.value)) return tc.value;
  return undefined;
}

export function parseLocalRateLimit(v: Record<string, unknown>): LocalRateLimitConfig {
  const tb = isRecord(v.token_bucket) ? v.token_bucket : undefined;
  const headers = (Array.isArray(v.response_headers_to_add) ? v.response_headers_to_add : []).filter(isRecord).map((h) => {
    const hv = isRecord(h.header) ? h.header : {};
    return { key: String(hv.key ?? '').toLowerCase(), value: String(hv.value ?? ''), append: h.append === true || h.append_action === 'APPEND_IF_EXISTS_OR_ADD' };
  });
  const st = isRecord(v.status) ? v.status.code : undefined;
  return {
    statPrefix: String(v.stat_prefix ?? ''),
    tokenBucket: tb
      ? {
          maxTokens: Number(tb.max_tokens ?? 0),
          tokensPerFill: Number(tb.tokens_per_fill ?? 1),
          fillIntervalMs: parseDuration(typeof tb.fill_interval === 'string' ? tb.fill_interval : undefined) ?? 0,
        }
      : undefined,
    enabledPercent: fractionPercent(v.filter_enabled),
    enforcedPercent: fractionPercent(v.filter_enforced),
    responseHeaders: headers,
    status: typeof st === 'number' ? st : 429,
  };
}

export interface PatchSupport {
  index: number;
  applyTo: string;
  supported: boolean;
  /** Why the sandbox does not execute it: a Russian sandbox note for kubectl apply and istioctl analyze. */
  reason?: string;
}

/** For each patch of an EnvoyFilter: does the sandbox's Envoy execute it? */
export function envoyFilterSupport(spec: Record<string, unknown>): PatchSupport[] {
  const patches = Array.isArray(spec.configPatches) ? spec.configPatches.filter(isRecord) : [];
  return patches.map((p, index) => {
    const applyTo = String(p.applyTo ?? '');
    const patch = isRecord(p.patch) ? p.patch : {};
    const value = isRecord(patch.value) ? patch.value : {};
    const op = String(patch.operation ?? '');
    if (applyTo === 'HTTP_FILTER' && ['INSERT_BEFORE', 'INSERT_AFTER', 'INSERT_FIRST', 'ADD'].includes(op) && value.name === LOCAL_RL && localRateLimitValue(value.typed_config))
      return { index, applyTo, supported: true };
    if ((applyTo === 'HTTP_ROUTE' || applyTo === 'VIRTUAL_HOST') && op === 'MERGE' && isRecord(value.typed_per_filter_config) && Object.keys(value.typed_per_filter_config).every((k) => k === LOCAL_RL) && localRateLimitValue(value.typed_per_filter_config[LOCAL_RL]))
      return { index, applyTo, supported: true };
    const what = applyTo === 'HTTP_FILTER' || applyTo === 'NETWORK_FILTER' ? `${op} ${String(value.name ?? '?')}` : op;
    return { index, applyTo, supported: false, reason: `патч ${index} (${applyTo}: ${what}) сохранён, но не выполняется: Envoy песочницы выполняет только локальное ограничение частоты запросов (envoy.filters.http.local_ratelimit)` };
  });
}

function selects(ef: Config<Record<string, unknown>>, pod: PodInfo, rootNamespace: string): boolean {
  if (ef.namespace !== rootNamespace && ef.namespace !== pod.namespace) return false;
  const ws = isRecord(ef.spec.workloadSelector) && isRecord(ef.spec.workloadSelector.labels) ? (ef.spec.workloadSelector.labels as Record<string, string>) : undefined;
  return !ws || matches(pod.labels, fromMap(ws));
}

/** The executable effects of the EnvoyFilters that apply to `pod`: root namespace first, then its own; by priority. */
export function envoyFilterEffects(push: PushContext, pod: PodInfo): EnvoyFilterEffects {
  const out: EnvoyFilterEffects = { httpFilters: [], routeConfigs: [] };
  const applicable = push.envoyFilters
    .filter((ef) => selects(ef, pod, push.rootNamespace))
    .sort((a, b) => Number(a.spec.priority ?? 0) - Number(b.spec.priority ?? 0) || (a.namespace === push.rootNamespace ? 0 : 1) - (b.namespace === push.rootNamespace ? 0 : 1));
  for (const ef of applicable) {
    const support = envoyFilterSupport(ef.spec);
    const patches = Array.isArray(ef.spec.configPatches) ? ef.spec.configPatches.filter(isRecord) : [];
    patches.forEach((p, i) => {
      if (!support[i]?.supported) return;
      const match = isRecord(p.match) ? p.match : {};
      const ctx = String(match.context ?? 'ANY');
      const context: PatchContext = ctx === 'SIDECAR_INBOUND' || ctx === 'SIDECAR_OUTBOUND' || ctx === 'GATEWAY' ? ctx : 'ANY';
      const listener = isRecord(match.listener) ? match.listener : isRecord(p.listener) ? p.listener : {};
      const portNumber = typeof listener.portNumber === 'number' ? listener.portNumber : undefined;
      const value = (isRecord(p.patch) && isRecord(p.patch.value) ? p.patch.value : {}) as Record<string, unknown>;
      const origin = `${ef.namespace}/${ef.name}`;
      if (p.applyTo === 'HTTP_FILTER') {
        out.httpFilters.push({ context, portNumber, config: parseLocalRateLimit(localRateLimitValue(value.typed_config)!), origin });
        return;
      }
      const rc = isRecord(match.routeConfiguration) ? match.routeConfiguration : {};
      const vh = isRecord(rc.vhost) ? rc.vhost : {};
      const route = isRecord(vh.route) ? vh.route : {};
      const tpfc = value.typed_per_filter_config as Record<string, unknown>;
      out.routeConfigs.push({
        context,
        portNumber: typeof rc.portNumber === 'number' ? rc.portNumber : portNumber,
        vhostName: typeof vh.name === 'string' ? vh.name : undefined,
        routeName: typeof route.name === 'string' ? route.name : undefined,
        config: parseLocalRateLimit(localRateLimitValue(tpfc[LOCAL_RL])!),
        origin,
      });
    });
  }
  return out;
}

/** Sandbox notes for one EnvoyFilter: a line per patch the sandbox stores but does not execute. */
export function envoyFilterNotes(namespace: string, name: string, spec: Record<string, unknown>): string[] {
  return envoyFilterSupport(spec)
    .filter((s) => !s.supported)
    .map((s) => `(песочница: EnvoyFilter ${namespace}/${name}: ${s.reason})`);
}

/** The notes for the EnvoyFilters of a namespace, or of the whole cluster (for istioctl analyze). */
export function unexecutedEnvoyFilterPatches(push: PushContext, namespace?: string): string[] {
  return push.envoyFilters.filter((ef) => namespace === undefined || ef.namespace === namespace).flatMap((ef) => envoyFilterNotes(ef.namespace, ef.name, ef.spec));
}
