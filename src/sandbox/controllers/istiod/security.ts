/**
 * PeerAuthentication and AuthorizationPolicy for one workload, the way istiod picks them:
 * workload selector in the workload's namespace > namespace-wide > mesh-wide (root namespace).
 */
import { fromMap, matches } from '../../api/labels';
import { isRecord } from '../../api/types';
import type { RbacPolicy, RbacRule } from '../../dataplane/rbac';
import type { Config, PodInfo, PushContext } from './pushContext';
import type { Jwk, JwtProvider } from '../../pki/jwt';
import { jwksFromUri } from '../../pki/istioJwtSamples';

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

/**
 * The mode on one workload port: a workload PeerAuthentication's portLevelMtls (keyed by the
 * container port; only honoured with a selector, as Istio does) over the workload-wide mode.
 */
export function peerAuthenticationPortMode(push: PushContext, pod: PodInfo, port: number): MtlsMode {
  const workload = push.peerAuthentications.find((p) => p.namespace === pod.namespace && p.spec.selector?.matchLabels && selects(p.spec as Record<string, unknown>, pod));
  const plm = workload && isRecord((workload.spec as Record<string, unknown>).portLevelMtls) ? ((workload.spec as Record<string, unknown>).portLevelMtls as Record<string, unknown>) : undefined;
  const entry = plm?.[String(port)];
  const m = isRecord(entry) ? entry.mode : undefined;
  return m === 'STRICT' || m === 'PERMISSIVE' || m === 'DISABLE' ? m : peerAuthenticationMode(push, pod);
}

/** portLevelMtls of the workload PeerAuthentication selecting the pod, as port → mode. */
export function peerAuthenticationPorts(push: PushContext, pod: PodInfo): Record<number, MtlsMode> {
  const out: Record<number, MtlsMode> = {};
  const workload = push.peerAuthentications.find((p) => p.namespace === pod.namespace && p.spec.selector?.matchLabels && selects(p.spec as Record<string, unknown>, pod));
  const plm = workload && isRecord((workload.spec as Record<string, unknown>).portLevelMtls) ? ((workload.spec as Record<string, unknown>).portLevelMtls as Record<string, unknown>) : {};
  for (const [k, v] of Object.entries(plm ?? {})) {
    const m = isRecord(v) ? v.mode : undefined;
    if (m === 'STRICT' || m === 'PERMISSIVE' || m === 'DISABLE') out[Number(k)] = m;
  }
  return out;
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
        return {
          principals: strs(s.principals),
          notPrincipals: strs(s.notPrincipals),
          requestPrincipals: strs(s.requestPrincipals),
          notRequestPrincipals: strs(s.notRequestPrincipals),
          namespaces: strs(s.namespaces),
          notNamespaces: strs(s.notNamespaces),
          ipBlocks: strs(s.ipBlocks),
        };
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

/**
 * RequestAuthentications selecting the workload → jwt_authn providers. istiod fetches jwksUri and
 * inlines the keys; when it cannot, it inlines a fake JWKS so every token fails
 * (istio/istio pilot/pkg/model/jwks_resolver.go, CreateFakeJwks).
 */
export function jwtProviders(push: PushContext, pod: PodInfo): JwtProvider[] {
  const out: JwtProvider[] = [];
  for (const ra of push.requestAuthentications) {
    if (ra.namespace !== pod.namespace && ra.namespace !== push.rootNamespace) continue;
    if (!selects(ra.spec, pod)) continue;
    for (const rule of (Array.isArray(ra.spec.jwtRules) ? ra.spec.jwtRules : []).filter(isRecord)) {
      const text = typeof rule.jwks === 'string' ? rule.jwks : typeof rule.jwksUri === 'string' ? jwksFromUri(rule.jwksUri) : undefined;
      let keys: Jwk[] | undefined;
      try {
        const parsed: unknown = text === undefined ? undefined : JSON.parse(text);
        keys = isRecord(parsed) && Array.isArray(parsed.keys) ? (parsed.keys.filter(isRecord) as unknown as Jwk[]) : undefined;
      } catch {
        keys = undefined;
      }
      const fromHeaders = (Array.isArray(rule.fromHeaders) ? rule.fromHeaders : []).filter(isRecord).map((h) => ({ name: String(h.name ?? ''), prefix: String(h.prefix ?? '') }));
      const fromParams = strs(rule.fromParams) ?? [];
      out.push({
        issuer: String(rule.issuer ?? ''),
        // a JWKS istiod could not fetch becomes its fake JWKS: one key, kid "abc" (CreateFakeJwks)
        keys: keys ?? [{ kty: 'RSA', kid: 'abc', e: 'AQAB', n: btoa(String(rule.jwksUri ?? '')).replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_') }],
        audiences: strs(rule.audiences),
        // Istio's defaults: Authorization: Bearer <token>, or ?access_token=
        fromHeaders: fromHeaders.length || fromParams.length ? fromHeaders : [{ name: 'Authorization', prefix: 'Bearer ' }],
        fromParams: fromHeaders.length || fromParams.length ? fromParams : ['access_token'],
        forwardOriginalToken: rule.forwardOriginalToken === true,
      });
    }
  }
  return out;
}
