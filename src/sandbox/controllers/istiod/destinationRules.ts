/**
 * Which DestinationRule a proxy applies to a service, as istio/istio pilot/pkg/model does it:
 *
 * - push_context.go setDestinationRules: rules sorted with workloadSelector first, then by creation
 *   time, name, namespace (sortConfigBySelectorAndCreationTime); a rule with a workloadSelector is
 *   private to its namespace ("should not be exported to other namespaces"); each rule joins its own
 *   namespace's local index when its exportTo is empty or has "*", "." or its namespace; it is exported
 *   unless private-only (exportTo exactly "." or its own namespace); a private-only rule of the root
 *   namespace goes to the root's local index.
 * - destination_rule.go mergeDestinationRule: rules for the same host in one index merge — unique
 *   subsets appended, the first top-level trafficPolicy kept, the first non-empty exportTo kept — except
 *   that rules with different selectors stay apart, and a selector rule is also merged into (gets the
 *   subsets of) the catch-all rules around it while staying its own entry.
 * - push_context.go destinationRule(proxyNamespace, service): the proxy's namespace local index (or,
 *   for a proxy in the root namespace, the root's local index), then the rules the service's namespace
 *   exports to the proxy's namespace, then those the root namespace exports; in each, the exact host
 *   before the most specific wildcard (MostSpecificHostMatch).
 * - sidecar.go SidecarScope.DestinationRule: among the rules found, a selector rule of the proxy's own
 *   namespace whose matchLabels the proxy's labels include (outbound only), else the catch-all rule.
 */
import { isRecord } from '../../api/types';
import { hostMatches, resolveShortname } from './hosts';
import type { DestinationRuleSpec } from './istioTypes';
import type { Config, PushContext } from './pushContext';

interface Consolidated {
  rule: Config<DestinationRuleSpec>;
  /** The exportTo the index keeps for the host (the first non-empty one), "." resolved to the namespace. */
  exportTo: Set<string>;
}

/** host → consolidated rules, exact hosts and wildcard hosts apart as Istio keeps them. */
type HostIndex = Map<string, Consolidated[]>;

interface DestinationRuleIndex {
  namespaceLocal: Map<string, HostIndex>;
  exportedByNamespace: Map<string, HostIndex>;
  rootNamespaceLocal: HostIndex;
}

const selectorOf = (dr: Config<DestinationRuleSpec>): Record<string, string> | undefined => {
  const ws = (dr.spec as Record<string, unknown>).workloadSelector;
  if (!isRecord(ws)) return undefined;
  return isRecord(ws.matchLabels) ? (ws.matchLabels as Record<string, string>) : {};
};

const sameLabels = (a: Record<string, string> | undefined, b: Record<string, string> | undefined): boolean =>
  !!a && !!b && Object.keys(a).length === Object.keys(b).length && Object.entries(a).every(([k, v]) => b[k] === v);

function merge(index: HostIndex, dr: Config<DestinationRuleSpec>, exportTo: Set<string>): void {
  const host = resolveShortname(dr.spec.host ?? '', dr.namespace);
  const list = index.get(host);
  const incoming = { ...dr, spec: { ...dr.spec, host } };
  if (!list) {
    index.set(host, [{ rule: incoming, exportTo }]);
    return;
  }
  const sel = selectorOf(dr);
  let addAsNew = true;
  for (const mdr of list) {
    const existing = selectorOf(mdr.rule);
    if (sel && existing && !sameLabels(sel, existing)) continue;
    if ((!sel && !existing) || (sel && sameLabels(sel, existing))) addAsNew = false;
    const names = new Set((mdr.rule.spec.subsets ?? []).map((s) => s.name));
    const subsets = [...(mdr.rule.spec.subsets ?? []), ...(dr.spec.subsets ?? []).filter((s) => !names.has(s.name))];
    mdr.rule = { ...mdr.rule, spec: { ...mdr.rule.spec, subsets, trafficPolicy: mdr.rule.spec.trafficPolicy ?? dr.spec.trafficPolicy } };
    if (mdr.exportTo.size === 0 && exportTo.size > 0) mdr.exportTo = exportTo;
  }
  if (addAsNew) list.push({ rule: incoming, exportTo });
}

const indexes = new WeakMap<PushContext, DestinationRuleIndex>();

function indexFor(push: PushContext): DestinationRuleIndex {
  const cached = indexes.get(push);
  if (cached) return cached;
  const sorted = [...push.destinationRules].sort(
    (a, b) =>
      (selectorOf(a) ? 0 : 1) - (selectorOf(b) ? 0 : 1) ||
      a.creationTimestamp.localeCompare(b.creationTimestamp) ||
      a.name.localeCompare(b.name) ||
      a.namespace.localeCompare(b.namespace),
  );
  const idx: DestinationRuleIndex = { namespaceLocal: new Map(), exportedByNamespace: new Map(), rootNamespaceLocal: new Map() };
  const at = (m: Map<string, HostIndex>, ns: string): HostIndex => m.get(ns) ?? m.set(ns, new Map()).get(ns)!;
  for (const dr of sorted) {
    const ns = dr.namespace;
    const exportTo = new Set(selectorOf(dr) ? ['.'] : dr.spec.exportTo ?? []);
    if (exportTo.size === 0 || exportTo.has('*') || exportTo.has('.') || exportTo.has(ns)) merge(at(idx.namespaceLocal, ns), dr, exportTo);
    // the mesh's defaultDestinationRuleExportTo is unset in the sandbox: "*"
    const privateOnly = exportTo.size === 1 && (exportTo.has('.') || exportTo.has(ns));
    if (!privateOnly) merge(at(idx.exportedByNamespace, ns), dr, exportTo);
    else if (ns === push.rootNamespace) merge(idx.rootNamespaceLocal, dr, exportTo);
  }
  indexes.set(push, idx);
  return idx;
}

/** MostSpecificHostMatch: the exact host, else the longest wildcard that matches. */
function mostSpecific(index: HostIndex | undefined, host: string): Consolidated[] | undefined {
  if (!index) return undefined;
  const exact = index.get(host);
  if (exact && !host.startsWith('*')) return exact;
  let best: string | undefined;
  for (const key of index.keys()) if (key.startsWith('*') && hostMatches(key, host) && (best === undefined || key.length > best.length)) best = key;
  return best === undefined ? exact : index.get(best);
}

function exportedFrom(idx: DestinationRuleIndex, owner: string, host: string, client: string): Consolidated[] {
  const found = mostSpecific(idx.exportedByNamespace.get(owner), host) ?? [];
  return found.filter((c) => c.exportTo.size === 0 || c.exportTo.has('*') || c.exportTo.has(client));
}

/** The rules (consolidated) push_context.go destinationRule returns for a proxy namespace and a service. */
function destinationRules(push: PushContext, proxyNamespace: string, host: string, serviceNamespace: string): Consolidated[] {
  const idx = indexFor(push);
  const local = proxyNamespace !== push.rootNamespace ? mostSpecific(idx.namespaceLocal.get(proxyNamespace), host) : mostSpecific(idx.rootNamespaceLocal, host);
  if (local?.length) return local;
  if (serviceNamespace) {
    const out = exportedFrom(idx, serviceNamespace, host, proxyNamespace);
    if (out.length) return out;
  }
  return exportedFrom(idx, push.rootNamespace, host, proxyNamespace);
}

/** The DestinationRule a proxy (its namespace and labels) applies to a service's outbound clusters. */
export function destinationRuleFor(push: PushContext, host: string, proxy: { namespace: string; labels: Record<string, string> }, serviceNamespace: string): Config<DestinationRuleSpec> | undefined {
  let catchAll: Config<DestinationRuleSpec> | undefined;
  for (const c of destinationRules(push, proxy.namespace, host, serviceNamespace)) {
    const sel = selectorOf(c.rule);
    if (!sel) catchAll = c.rule;
    else if (c.rule.namespace === proxy.namespace && Object.entries(sel).every(([k, v]) => proxy.labels[k] === v)) return c.rule;
  }
  return catchAll;
}
