/**
 * Host names as Istio resolves and compares them (istio/istio pkg/config/host/name.go: Name.Matches,
 * Name.SubsetOf; pkg/config/model.ResolveShortnameToFQDN). Pure functions, shared by istiod, the
 * webhook rules and the analyzers.
 */

export const CLUSTER_DOMAIN = 'svc.cluster.local';

/**
 * Istio's ResolveShortnameToFQDN: a name without dots is a Kubernetes short name in the
 * namespace of the config ("reviews" in "demo" → "reviews.demo.svc.cluster.local");
 * anything with a dot, and wildcards, are taken as written.
 */
export function resolveShortname(host: string, namespace: string): string {
  if (host === '*' || host.includes('.')) return host.toLowerCase();
  if (host.startsWith('*')) return host.toLowerCase();
  return `${host}.${namespace}.${CLUSTER_DOMAIN}`.toLowerCase();
}

/** Whether a (possibly wildcard) host pattern matches a concrete host: "*.example.com" matches "a.example.com". */
export function hostMatches(pattern: string, host: string): boolean {
  const p = pattern.toLowerCase();
  const h = host.toLowerCase();
  if (p === '*' || p === h) return true;
  if (p.startsWith('*')) return h.endsWith(p.slice(1));
  return false;
}

/** host.Name.SubsetOf: every host `sub` names is also named by `of` ("a.b.com" ⊂ "*.b.com", "*.a.b.com" ⊂ "*.b.com"). */
export function hostSubsetOf(sub: string, of: string): boolean {
  return hostMatches(of, sub);
}

/** Two host patterns overlap (either can match what the other names): host.Name.Matches. */
export function hostsIntersect(a: string, b: string): boolean {
  return hostMatches(a, b) || hostMatches(b, a);
}

/** Gateway server host "ns/host", "./host", "*\/host" or plain "host" → namespace part and host part. */
export function splitGatewayHost(h: string, gatewayNamespace: string): { namespace: string; host: string } {
  const i = h.indexOf('/');
  if (i < 0) return { namespace: '*', host: h };
  const ns = h.slice(0, i);
  return { namespace: ns === '.' ? gatewayNamespace : ns, host: h.slice(i + 1) };
}

/** VirtualService gateway reference "name" or "ns/name" → "ns/name"; "mesh" stays. */
export function resolveGatewayRef(ref: string, vsNamespace: string): string {
  if (ref === 'mesh') return 'mesh';
  return ref.includes('/') ? ref : `${vsNamespace}/${ref}`;
}

/**
 * The domains a sidecar's virtual host answers to for a Kubernetes service, as Istio
 * generates them: FQDN, and the short forms that resolve from the proxy's namespace.
 */
export function serviceDomains(hostname: string, port: number, proxyNamespace: string, address?: string): string[] {
  const out = [hostname];
  const m = hostname.match(/^([^.]+)\.([^.]+)\.svc\.cluster\.local$/);
  if (m) {
    out.push(`${m[1]}.${m[2]}.svc`, `${m[1]}.${m[2]}`);
    if (m[2] === proxyNamespace) out.push(m[1]);
  }
  if (address) out.push(address);
  const withPort = out.map((d) => `${d}:${port}`);
  return port === 80 ? [...out, ...withPort] : [...withPort, ...out.filter((d) => d === hostname || d === address)].filter((d, i, a) => a.indexOf(d) === i);
}

/**
 * The pairs (i, j), i < j, of hosts that match each other (host.Name.Matches either way), in the
 * order of Istio's nested loop over the list (validation/virtualservice.go, "duplicate hosts in
 * virtual service"), at most `limit` of them. Indexed by exact name and by the suffixes after
 * each dot, so a list of 50 000 hosts takes milliseconds instead of Istio's n² comparisons.
 */
export function duplicateHostPairs(hosts: readonly string[], limit: number): [number, number][] {
  const lower = hosts.map((h) => h.toLowerCase());
  // without a wildcard, only equal names match: the suffix indexes (two strings per host) are not built
  const hasWildcard = lower.some((h) => h.startsWith('*'));
  const byName = new Map<string, number[]>();
  const bySuffix = new Map<string, number[]>(); // ".b.com" → hosts ending with it
  const wildcards = new Map<string, number[]>(); // "*.b.com" as ".b.com"; "*" as ""
  const push = (m: Map<string, number[]>, k: string, i: number): void => {
    const list = m.get(k);
    if (list) list.push(i);
    else m.set(k, [i]);
  };
  const suffixes = (h: string): string[] => {
    const out: string[] = [];
    for (let at = h.indexOf('.'); at >= 0; at = h.indexOf('.', at + 1)) out.push(h.slice(at));
    return out;
  };
  lower.forEach((h, i) => {
    push(byName, h, i);
    if (!hasWildcard) return;
    for (const s of suffixes(h)) push(bySuffix, s, i);
    if (h.startsWith('*')) push(wildcards, h.slice(1), i);
  });
  const oddWildcards = [...wildcards].filter(([s]) => s !== '' && !s.startsWith('.'));
  const out: [number, number][] = [];
  let i = 0;
  let partners: number[] = [];
  const add = (list: number[] | undefined): void => {
    if (list) for (const j of list) if (j > i) partners.push(j);
  };
  for (; i < lower.length && out.length < limit; i++) {
    const h = lower[i];
    partners = [];
    add(byName.get(h));
    if (hasWildcard) {
      if (h.startsWith('*')) {
        const s = h.slice(1);
        if (s.startsWith('.')) add(bySuffix.get(s));
        else for (let j = i + 1; j < lower.length; j++) if (lower[j].endsWith(s)) partners.push(j);
      }
      add(wildcards.get(''));
      for (const s of suffixes(h)) add(wildcards.get(s));
      // "*x.com"-style patterns (no dot after the star) are refused before this check; keep their meaning anyway
      for (const [s, list] of oddWildcards) if (h.endsWith(s)) add(list);
    }
    if (!partners.length) continue;
    for (const j of [...new Set(partners)].sort((a, b) => a - b)) {
      if (out.length >= limit) break;
      out.push([i, j]);
    }
  }
  return out;
}
