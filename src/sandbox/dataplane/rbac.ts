/**
 * Envoy's RBAC filter as Istio configures it from AuthorizationPolicy: DENY policies first,
 * then ALLOW (if any ALLOW policy applies to the workload, a request must match one of them).
 * Pure evaluation over the request and the peer identity from mTLS.
 */
export interface RbacRule {
  from: { principals?: string[]; notPrincipals?: string[]; requestPrincipals?: string[]; notRequestPrincipals?: string[]; namespaces?: string[]; notNamespaces?: string[]; ipBlocks?: string[] }[];
  to: { methods?: string[]; notMethods?: string[]; paths?: string[]; notPaths?: string[]; ports?: string[]; hosts?: string[] }[];
  when: { key: string; values?: string[]; notValues?: string[] }[];
}

export interface RbacPolicy {
  /** namespace/name of the AuthorizationPolicy. */
  name: string;
  action: 'ALLOW' | 'DENY';
  rules: RbacRule[];
}

export interface RbacRequest {
  method: string;
  path: string;
  host: string;
  port: number;
  headers: Record<string, string>;
  sourceIp: string;
  /** spiffe://cluster.local/ns/NS/sa/SA when the request came over Istio mTLS. */
  principal?: string;
  /** iss/sub of a JWT that jwt_authn verified (RequestAuthentication), and its claims. */
  requestPrincipal?: string;
  claims?: Record<string, unknown>;
}

/** Istio's string match: exact, "prefix*", "*suffix", or "*". */
export function istioMatch(pattern: string, value: string): boolean {
  if (pattern === '*') return value !== '';
  if (pattern.endsWith('*')) return value.startsWith(pattern.slice(0, -1));
  if (pattern.startsWith('*')) return value.endsWith(pattern.slice(1));
  return pattern === value;
}

const any = (patterns: string[] | undefined, v: string | undefined): boolean => patterns === undefined || (v !== undefined && patterns.some((p) => istioMatch(p, v)));
const none = (patterns: string[] | undefined, v: string | undefined): boolean => patterns === undefined || v === undefined || !patterns.some((p) => istioMatch(p, v));

function principalName(p: string | undefined): string | undefined {
  return p?.replace(/^spiffe:\/\//, '');
}

function sourceNamespace(p: string | undefined): string | undefined {
  return p?.match(/\/ns\/([^/]+)\//)?.[1];
}

export function ruleMatches(rule: RbacRule, r: RbacRequest): boolean {
  const fromOk =
    rule.from.length === 0 ||
    rule.from.some(
      (f) =>
        any(f.principals, principalName(r.principal)) &&
        none(f.notPrincipals, principalName(r.principal)) &&
        any(f.requestPrincipals, r.requestPrincipal) &&
        none(f.notRequestPrincipals, r.requestPrincipal) &&
        any(f.namespaces, sourceNamespace(r.principal)) &&
        none(f.notNamespaces, sourceNamespace(r.principal)) &&
        (f.ipBlocks === undefined || f.ipBlocks.some((b) => b === r.sourceIp || b === `${r.sourceIp}/32`)),
    );
  const path = r.path.split('?')[0];
  const toOk =
    rule.to.length === 0 ||
    rule.to.some(
      (t) =>
        any(t.methods, r.method) &&
        none(t.notMethods, r.method) &&
        any(t.paths, path) &&
        none(t.notPaths, path) &&
        any(t.ports, String(r.port)) &&
        any(t.hosts, r.host),
    );
  const whenOk = rule.when.every((c) => {
    const m = c.key.match(/^request\.headers\[(.+)\]$/);
    const claim = c.key.match(/^request\.auth\.claims\[(.+)\]$/);
    if (claim) {
      // a claim may be a list: any element matches (Istio's list-typed claim matching)
      const raw = claim[1].split('][').reduce<unknown>((o, k) => (o && typeof o === 'object' ? (o as Record<string, unknown>)[k] : undefined), r.claims);
      const vals = Array.isArray(raw) ? raw.map(String) : raw === undefined ? [] : [String(raw)];
      return (c.values === undefined || vals.some((v) => any(c.values, v))) && (c.notValues === undefined || !vals.some((v) => !none(c.notValues, v)));
    }
    const v = m
      ? r.headers[m[1].toLowerCase()]
      : c.key === 'source.principal'
        ? principalName(r.principal)
        : c.key === 'source.namespace'
          ? sourceNamespace(r.principal)
          : c.key === 'request.auth.principal'
            ? r.requestPrincipal
            : c.key === 'source.ip'
              ? r.sourceIp
              : undefined;
    return any(c.values, v) && none(c.notValues, v);
  });
  return fromOk && toOk && whenOk;
}

/** Returns the policy that denied the request, "none" when no ALLOW policy matched, or undefined when allowed. */
export function authorize(policies: readonly RbacPolicy[], r: RbacRequest): { denied: true; by: string } | undefined {
  for (const p of policies.filter((x) => x.action === 'DENY')) {
    const i = p.rules.findIndex((rule) => ruleMatches(rule, r));
    if (i >= 0) return { denied: true, by: `ns[${p.name.split('/')[0]}]-policy[${p.name.split('/')[1]}]-rule[${i}]` };
  }
  const allows = policies.filter((x) => x.action === 'ALLOW');
  if (allows.length === 0) return undefined;
  if (allows.some((p) => p.rules.some((rule) => ruleMatches(rule, r)))) return undefined;
  return { denied: true, by: 'none' };
}

/** Fields only an HTTP request has (pilot/pkg/security/authz/model: the "HTTP-only" attributes). */
function httpOnly(rule: RbacRule): boolean {
  return (
    rule.to.some((t) => t.methods !== undefined || t.notMethods !== undefined || t.paths !== undefined || t.notPaths !== undefined || t.hosts !== undefined) ||
    rule.from.some((f) => f.requestPrincipals !== undefined || f.notRequestPrincipals !== undefined) ||
    rule.when.some((c) => c.key.startsWith('request.'))
  );
}

/** The rule with its HTTP-only fields left out (what a DENY rule becomes on a TCP filter chain). */
function withoutHttp(rule: RbacRule): RbacRule {
  return {
    from: rule.from.map(({ requestPrincipals: _rp, notRequestPrincipals: _nrp, ...f }) => f),
    to: rule.to.map(({ methods: _m, notMethods: _nm, paths: _p, notPaths: _np, hosts: _h, ...t }) => t),
    when: rule.when.filter((c) => !c.key.startsWith('request.')),
  };
}

/**
 * The network RBAC filter Istio builds for a TCP filter chain (istio/istio pilot/pkg/security/authz/builder
 * BuildTCP; istio.io tasks/security/authorization/authz-tcp): an ALLOW rule that uses HTTP-only fields
 * (methods, paths, hosts, request principals, request.* conditions) is left out, so it matches nothing; a
 * DENY rule is kept without those fields, so it denies more. A denied connection is closed.
 */
export function authorizeTcp(policies: readonly RbacPolicy[], r: RbacRequest): { denied: true; by: string } | undefined {
  const tcp = policies.map((p) => ({ ...p, rules: p.action === 'DENY' ? p.rules.map(withoutHttp) : p.rules.filter((rule) => !httpOnly(rule)) }));
  for (const p of tcp.filter((x) => x.action === 'DENY')) {
    const i = p.rules.findIndex((rule) => ruleMatches(rule, r));
    if (i >= 0) return { denied: true, by: `ns[${p.name.split('/')[0]}]-policy[${p.name.split('/')[1]}]-rule[${i}]` };
  }
  const allows = tcp.filter((x) => x.action === 'ALLOW');
  if (allows.length === 0) return undefined;
  if (allows.some((p) => p.rules.some((rule) => ruleMatches(rule, r)))) return undefined;
  return { denied: true, by: 'none' };
}
