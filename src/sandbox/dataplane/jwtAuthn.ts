/**
 * Envoy's jwt_authn filter as Istio configures it from RequestAuthentication
 * (istio/istio pilot/pkg/security/authn/policy_applier.go): one provider per jwtRule, required as
 * "any provider, or no token at all" (requires_any + allow_missing), so a request without a
 * token passes (AuthorizationPolicy decides), a token that fails gets 401 with Envoy's message.
 */
import { extractToken, verifyJwt, type JwtProvider } from '../pki/jwt';

export type AuthnOutcome =
  | { outcome: 'none' }
  | { outcome: 'ok'; principal: string; claims: Record<string, unknown>; /** header to remove before forwarding (forwardOriginalToken false) */ strip?: string }
  | { outcome: 'deny'; message: string };

export function authenticate(providers: readonly JwtProvider[], headers: Record<string, string>, query: Record<string, string>, nowMs: number): AuthnOutcome {
  if (!providers.length) return { outcome: 'none' };
  for (const p of providers) {
    const found = extractToken(p, headers, query);
    if (!found) continue;
    const r = verifyJwt(found.token, providers, nowMs);
    if (!r.ok) return { outcome: 'deny', message: r.message };
    const provider = providers.find((x) => x.issuer === r.issuer)!;
    return { outcome: 'ok', principal: `${r.issuer}/${r.subject}`, claims: r.claims, strip: provider.forwardOriginalToken ? undefined : found.header };
  }
  return { outcome: 'none' };
}

/** Envoy's WWW-Authenticate for a rejected token (filter.cc onComplete): the original URI without its query. */
export function wwwAuthenticate(scheme: string, authority: string, path: string, missing: boolean): string {
  return `Bearer realm="${scheme}://${authority}${path.split('?')[0]}"${missing ? '' : ', error="invalid_token"'}`;
}
