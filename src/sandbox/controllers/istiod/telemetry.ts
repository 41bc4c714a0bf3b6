/**
 * Telemetry accessLogging for one workload, the way istiod merges Telemetry resources
 * (istio/istio pilot/pkg/model/telemetry.go): the root namespace's (mesh-wide), then the
 * workload's namespace-wide one, then one whose selector picks the workload; the most specific
 * wins. `providers: [{name: envoy}]` logs to /dev/stdout (the built-in envoy provider) even without
 * meshConfig.accessLogFile; `disabled: true` turns logging off; `match.mode` limits it to
 * CLIENT (outbound) or SERVER (inbound); `filter.expression` is a CEL expression Envoy evaluates for
 * each entry (istio/istio pilot/pkg/networking/core/accesslog.go adds it as the
 * envoy.access_loggers.extension_filters.cel filter; see dataplane/celFilter.ts).
 */
import { fromMap, matches } from '../../api/labels';
import { isRecord } from '../../api/types';
import type { Config, PodInfo, PushContext } from './pushContext';

type Direction = { client: boolean; server: boolean; clientFilter?: string; serverFilter?: string };

function selects(t: Config<Record<string, unknown>>, pod: PodInfo): boolean | 'namespace' {
  const sel = isRecord(t.spec.selector) && isRecord(t.spec.selector.matchLabels) ? (t.spec.selector.matchLabels as Record<string, string>) : undefined;
  if (!sel) return 'namespace';
  return matches(pod.labels, fromMap(sel));
}

/** Applies one Telemetry's accessLogging entries over `base`. */
function apply(base: Direction, spec: Record<string, unknown>, meshDefault: boolean): Direction {
  const out = { ...base };
  for (const al of (Array.isArray(spec.accessLogging) ? spec.accessLogging : []).filter(isRecord)) {
    const providers = (Array.isArray(al.providers) ? al.providers : []).filter(isRecord).map((p) => String(p.name ?? ''));
    // without providers the entry speaks of the default provider (envoy when meshConfig.accessLogFile is set)
    const on = al.disabled === true ? false : providers.length ? providers.includes('envoy') : meshDefault || al.disabled === false;
    const mode = isRecord(al.match) ? String(al.match.mode ?? 'CLIENT_AND_SERVER') : 'CLIENT_AND_SERVER';
    // filter.expression (CEL) travels with the entry: a more specific Telemetry replaces it, with or without one
    const filter = isRecord(al.filter) && typeof al.filter.expression === 'string' ? al.filter.expression : undefined;
    if (mode !== 'SERVER') [out.client, out.clientFilter] = [on, filter];
    if (mode !== 'CLIENT') [out.server, out.serverFilter] = [on, filter];
  }
  return out;
}

/** Undefined when no Telemetry with accessLogging applies (the mesh config alone decides). */
export function accessLogFor(push: PushContext, pod: PodInfo): Direction | undefined {
  const withLogging = push.telemetries.filter((t) => Array.isArray(t.spec.accessLogging));
  const mesh = withLogging.find((t) => t.namespace === push.rootNamespace && selects(t, pod) === 'namespace');
  const ns = withLogging.find((t) => t.namespace === pod.namespace && t.namespace !== push.rootNamespace && selects(t, pod) === 'namespace');
  const workload = withLogging.find((t) => t.namespace === pod.namespace && selects(t, pod) === true);
  if (!mesh && !ns && !workload) return undefined;
  const meshDefault = !!push.mesh.accessLogFile;
  // once a Telemetry speaks of access logging, it alone decides (meshConfig.accessLogFile no longer does)
  let d: Direction = { client: false, server: false };
  for (const t of [mesh, ns, workload]) if (t) d = apply(d, t.spec, meshDefault);
  return d;
}
