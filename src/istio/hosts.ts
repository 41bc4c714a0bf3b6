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
