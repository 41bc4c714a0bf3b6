/**
 * JSON Web Tokens as Envoy's jwt_authn filter checks them (envoyproxy/envoy
 * source/extensions/filters/http/jwt_authn, with the status strings of google/jwt_verify_lib
 * src/status.cc): format, issuer, time constraints, audiences, key by kid/alg, RS256/ES256 signature.
 */
import { toBigInt } from './der';
import { verifyEcdsaP256, verifyRsaSha256 } from './signature';

export interface Jwk {
  kty: string;
  kid?: string;
  alg?: string;
  n?: string;
  e?: string;
  crv?: string;
  x?: string;
  y?: string;
}

export interface JwtProvider {
  issuer: string;
  /** The provider's keys; undefined when istiod could not fetch jwksUri (every token then fails). */
  keys?: Jwk[];
  audiences?: string[];
  /** Where the token is read: headers with a value prefix (default Authorization: "Bearer "), query parameters (default access_token). */
  fromHeaders: { name: string; prefix: string }[];
  fromParams: string[];
  forwardOriginalToken: boolean;
}

export type JwtResult = { ok: true; issuer: string; subject: string; claims: Record<string, unknown> } | { ok: false; message: string };

export function base64UrlDecode(s: string): Uint8Array | undefined {
  if (!/^[A-Za-z0-9_-]*$/.test(s)) return undefined;
  try {
    const bin = atob(s.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (s.length % 4)) % 4));
    return Uint8Array.from(bin, (c) => c.charCodeAt(0));
  } catch {
    return undefined;
  }
}

function json(part: string): Record<string, unknown> | 'b64' | 'json' {
  const bytes = base64UrlDecode(part);
  if (!bytes) return 'b64';
  try {
    const v: unknown = JSON.parse(new TextDecoder().decode(bytes));
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : 'json';
  } catch {
    return 'json';
  }
}

function keyVerifies(k: Jwk, alg: string, data: Uint8Array, sig: Uint8Array): boolean {
  if (alg === 'RS256' && k.kty === 'RSA' && k.n && k.e) {
    const n = base64UrlDecode(k.n);
    const e = base64UrlDecode(k.e);
    return !!n && !!e && verifyRsaSha256({ n: toBigInt(n), e: toBigInt(e) }, data, sig);
  }
  if (alg === 'ES256' && k.kty === 'EC' && k.x && k.y) {
    const x = base64UrlDecode(k.x);
    const y = base64UrlDecode(k.y);
    return !!x && !!y && sig.length === 64 && verifyEcdsaP256({ x: toBigInt(x), y: toBigInt(y) }, data, sig);
  }
  return false;
}

/** Verifies `token` against the providers (the one whose issuer it names); nowMs is the sandbox clock. */
export function verifyJwt(token: string, providers: readonly JwtProvider[], nowMs: number): JwtResult {
  const parts = token.split('.');
  if (parts.length !== 3) return { ok: false, message: 'Jwt is not in the form of Header.Payload.Signature with two dots and 3 sections' };
  const header = json(parts[0]);
  if (header === 'b64') return { ok: false, message: 'Jwt header is an invalid Base64url encoded' };
  if (header === 'json') return { ok: false, message: 'Jwt header is an invalid JSON' };
  const payload = json(parts[1]);
  if (payload === 'b64') return { ok: false, message: 'Jwt payload is an invalid Base64url encoded' };
  if (payload === 'json') return { ok: false, message: 'Jwt payload is an invalid JSON' };
  const sig = base64UrlDecode(parts[2]);
  if (!sig) return { ok: false, message: 'Jwt signature is an invalid Base64url encoded' };
  const alg = String(header.alg ?? '');
  if (!['RS256', 'RS384', 'RS512', 'ES256', 'ES384', 'ES512', 'PS256', 'PS384', 'PS512', 'HS256', 'HS384', 'HS512', 'EdDSA'].includes(alg)) return { ok: false, message: 'Jwt is not in the form of Header.Payload.Signature with two dots and 3 sections' };
  const iss = typeof payload.iss === 'string' ? payload.iss : '';
  const provider = providers.find((p) => p.issuer === iss);
  if (!provider) return { ok: false, message: 'Jwt issuer is not configured' };
  const now = Math.floor(nowMs / 1000);
  // jwt_verify_lib allows a 60 s clock skew
  if (typeof payload.nbf === 'number' && payload.nbf > now + 60) return { ok: false, message: 'Jwt not yet valid' };
  if (typeof payload.exp === 'number' && payload.exp < now - 60) return { ok: false, message: 'Jwt is expired' };
  if (provider.audiences?.length) {
    const aud = Array.isArray(payload.aud) ? payload.aud.map(String) : typeof payload.aud === 'string' ? [payload.aud] : [];
    if (!aud.some((a) => provider.audiences!.includes(a))) return { ok: false, message: 'Audiences in Jwt are not allowed' };
  }
  const keys = (provider.keys ?? []).filter((k) => (!header.kid || !k.kid || k.kid === header.kid) && (!k.alg || k.alg === alg));
  if (provider.keys && !keys.length) return { ok: false, message: "Jwks doesn't have key to match kid or alg from Jwt" };
  const data = new TextEncoder().encode(`${parts[0]}.${parts[1]}`);
  if (!keys.some((k) => keyVerifies(k, alg, data, sig))) return { ok: false, message: 'Jwt verification fails' };
  return { ok: true, issuer: iss, subject: typeof payload.sub === 'string' ? payload.sub : '', claims: payload };
}

/** The token a provider extracts from a request, if any (Envoy's JwtLocation extractor). */
export function extractToken(p: JwtProvider, headers: Record<string, string>, query: Record<string, string>): { token: string; header?: string } | undefined {
  for (const h of p.fromHeaders) {
    const v = headers[h.name.toLowerCase()];
    if (v === undefined) continue;
    if (h.prefix && !v.startsWith(h.prefix)) continue;
    return { token: v.slice(h.prefix.length).trim(), header: h.name.toLowerCase() };
  }
  for (const q of p.fromParams) if (query[q] !== undefined) return { token: query[q] };
  return undefined;
}
