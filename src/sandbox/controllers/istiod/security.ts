/**
 * PeerAuthentication and AuthorizationPolicy for one workload, the way istiod picks them:
 * workload selector in the workload's namespace > namespace-wide > mesh-wide (root namespace).
 */
import { fromMap, matches } from '../../api/labels';
import { isRecord } from '../../api/types';
import type { RbacPolicy, RbacRule } from '../../dataplane/rbac';
import type { Config, PodInfo, PushContext } from './pushContext';

export type MtlsMode = 'STRICT' | 'PERMISSIVE' | 'DISABLE';

function selects(spec: Record<string, unknown>, pod: PodInfo): boolean {
  const sel = isRecord(spec.selector) ? spec.selector : undefined;
  const ml = sel && isRecord(sel.matchLabels) ? (sel.matchLabels as Record<string, string>) : undefined;
  return ml === undefined || matches(pod.labels, fromMap(ml));
}

export function peerAuthenticationMode(push: PushContext, pod: PodInfo): MtlsMode {
  const pas = push.peerAuthentications;
  const modeOf = (c: Config<{ mtls?: { mode?: string } }> | undefined): MtlsMode | undefined => {
    const m = c?.spec.mtls?.mode;
    return m === 'STRICT' || m === 'PERMISSIVE' || m === 'DISABLE' ? m : undefined;
  };
  const workload = pas.find((p) => p.namespace === pod.namespace && p.spec.selector?.matchLabels && selects(p.spec as Record<string, unknown>, pod));
  const ns = pas.find((p) => p.namespace === pod.namespace && !p.spec.selector?.matchLabels);
  const mesh = pas.find((p) => p.namespace === push.rootNamespace && !p.spec.selector?.matchLabels);
  return modeOf(workload) ?? modeOf(ns) ?? modeOf(mesh) ?? 'PERMISSIVE';
}

const strs = (v: unknown): string[] | undefined => (Array.isArray(v) ? v.map(String) : undefined);

export function authorizationPolicies(push: PushContext, pod: PodInfo): RbacPolicy[] {
  const out: RbacPolicy[] = [];
  for (const ap of push.authorizationPolicies) {
    if (ap.namespace !== pod.namespace && ap.namespace !== push.rootNamespace) continue;
    const spec = ap.spec;
    if (!selects(spec, pod)) continue;
    const action = spec.action === 'DENY' ? 'DENY' : spec.action === undefined || spec.action === 'ALLOW' ? 'ALLOW' : undefined;
    if (!action) continue; // AUDIT, CUSTOM: not modelled
    const rules: RbacRule[] = (Array.isArray(spec.rules) ? spec.rules : []).filter(isRecord).map((r) => ({
      from: (Array.isArray(r.from) ? r.from : []).filter(isRecord).map((f) => {
        const s = isRecord(f.source) ? f.source : {};
        return { principals: strs(s.principals), notPrincipals: strs(s.notPrincipals), namespaces: strs(s.namespaces), notNamespaces: strs(s.notNamespaces), ipBlocks: strs(s.ipBlocks) };
      }),
      to: (Array.isArray(r.to) ? r.to : []).filter(isRecord).map((t) => {
        const o = isRecord(t.operation) ? t.operation : {};
        return { methods: strs(o.methods), notMethods: strs(o.notMethods), paths: strs(o.paths), notPaths: strs(o.notPaths), ports: strs(o.ports), hosts: strs(o.hosts) };
      }),
      when: (Array.isArray(r.when) ? r.when : []).filter(isRecord).map((w) => ({ key: String(w.key), values: strs(w.values), notValues: strs(w.notValues) })),
    }));
    out.push({ name: `${ap.namespace}/${ap.name}`, action, rules });
  }
  return out;
}
