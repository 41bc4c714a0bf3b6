/**
 * Route selection as Envoy's router does it: virtual host by :authority (exact domain, then
 * the longest suffix wildcard, then prefix wildcards, then "*"), then the first route whose
 * match accepts the request. Pure functions.
 */
import type { HttpRequest } from '../network/http';
import { splitPathQuery } from '../network/http';
import { fullMatch, replaceAll } from './regex';
import type { HeaderMatcher, Route, RouteMatch, StringMatch, VirtualHost } from './types';

export function matchString(m: StringMatch, value: string, ignoreCase = false): boolean {
  const v = ignoreCase ? value.toLowerCase() : value;
  if ('exact' in m) return v === (ignoreCase ? m.exact.toLowerCase() : m.exact);
  if ('prefix' in m) return v.startsWith(ignoreCase ? m.prefix.toLowerCase() : m.prefix);
  // RE2, full-string match, case-sensitive whatever ignoreCase says (dataplane/regex.ts)
  return fullMatch(m.regex, value);
}

function domainMatches(domain: string, host: string): 'exact' | 'suffix' | 'prefix' | 'any' | undefined {
  if (domain === '*') return 'any';
  if (domain === host) return 'exact';
  if (domain.startsWith('*') && host.endsWith(domain.slice(1)) && host.length > domain.length - 1) return 'suffix';
  if (domain.endsWith('*') && host.startsWith(domain.slice(0, -1)) && host.length > domain.length - 1) return 'prefix';
  return undefined;
}

/**
 * Picks the virtual host for an authority. Envoy's order: exact domains first, then suffix
 * wildcards (longest first), then prefix wildcards (longest first), then the catch-all "*".
 */
export function selectVirtualHost(vhosts: readonly VirtualHost[], authority: string): VirtualHost | undefined {
  const host = authority.toLowerCase();
  let best: { vh: VirtualHost; rank: number; len: number } | undefined;
  const rankOf = { exact: 4, suffix: 3, prefix: 2, any: 1 } as const;
  for (const vh of vhosts)
    for (const d of vh.domains) {
      const kind = domainMatches(d.toLowerCase(), host);
      if (!kind) continue;
      const rank = rankOf[kind];
      if (!best || rank > best.rank || (rank === best.rank && d.length > best.len)) best = { vh, rank, len: d.length };
    }
  return best?.vh;
}

function headerValue(req: HttpRequest, name: string): string | undefined {
  const n = name.toLowerCase();
  if (n === ':authority' || n === 'host') return req.authority;
  if (n === ':method') return req.method;
  if (n === ':path') return req.path;
  if (n === ':scheme') return req.scheme;
  return req.headers[n];
}

export function matchHeader(h: HeaderMatcher, req: HttpRequest): boolean {
  const v = headerValue(req, h.name);
  const ok = v !== undefined && (h.match === undefined || matchString(h.match, v));
  return h.invert ? !ok : ok;
}

export function matchRoute(m: RouteMatch, req: HttpRequest): boolean {
  const { pathname, query } = splitPathQuery(req.path);
  if (m.path && !matchString(m.path, pathname, m.ignoreUriCase)) return false;
  if (!m.headers.every((h) => matchHeader(h, req))) return false;
  for (const q of m.queryParams) {
    const v = query[q.name];
    if (v === undefined) return false;
    if (q.match && !matchString(q.match, v)) return false;
  }
  return true;
}

/** The first route that matches, as in Envoy (and as in a VirtualService: order matters). */
export function selectRoute(routes: readonly Route[], req: HttpRequest): Route | undefined {
  return routes.find((r) => matchRoute(r.match, req));
}

/**
 * Weighted choice: Envoy draws a number in [0, total) and walks the clusters, so weights
 * are relative. `draw` is in [0, 1). Entries with weight 0 are never picked.
 */
export function pickWeighted<T extends { weight: number }>(items: readonly T[], draw: number): T | undefined {
  const total = items.reduce((s, i) => s + Math.max(0, i.weight), 0);
  if (items.length === 0) return undefined;
  if (total <= 0) return items[0];
  let x = draw * total;
  for (const i of items) {
    const w = Math.max(0, i.weight);
    if (x < w) return i;
    x -= w;
  }
  return items[items.length - 1];
}

/** Applies prefix/regex rewrites of a route to a path (query string kept). */
export function rewritePath(
  path: string,
  match: RouteMatch,
  prefixRewrite: string | undefined,
  regexRewrite: { pattern: string; substitution: string } | undefined,
): string {
  const qi = path.indexOf('?');
  const pathname = qi < 0 ? path : path.slice(0, qi);
  const query = qi < 0 ? '' : path.slice(qi);
  if (regexRewrite) {
    const rewritten = replaceAll(regexRewrite.pattern, pathname, regexRewrite.substitution);
    return rewritten === undefined ? path : rewritten + query;
  }
  if (prefixRewrite === undefined) return path;
  if (match.path && 'prefix' in match.path) return prefixRewrite + pathname.slice(match.path.prefix.length) + query;
  if (match.path && 'exact' in match.path) return prefixRewrite + query;
  // Istio without a prefix match rewrites the whole "/" prefix.
  return prefixRewrite + pathname.slice(1) + query;
}
