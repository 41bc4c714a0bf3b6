import { describe, expect, it } from 'vitest';
import { ISTIO_DEMO_JWT, ISTIO_JWKS } from './istioJwtSamples';
import { verifyJwt, type JwtProvider } from './jwt';

const provider = (over: Partial<JwtProvider> = {}): JwtProvider => ({
  issuer: 'testing@secure.istio.io',
  keys: JSON.parse(ISTIO_JWKS).keys,
  fromHeaders: [{ name: 'Authorization', prefix: 'Bearer ' }],
  fromParams: ['access_token'],
  forwardOriginalToken: false,
  ...over,
});
const demo = ISTIO_DEMO_JWT.trim();
const NOW = Date.UTC(2026, 0, 1);
const b64 = (o: unknown): string => btoa(JSON.stringify(o)).replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_');
const [h, , sig] = demo.split('.');

describe("Envoy jwt_authn's verdicts (jwt_verify_lib status strings)", () => {
  it.each<[string, string, JwtProvider[], number, string]>([
    ['Istio demo token', demo, [provider()], NOW, 'ok'],
    ['two parts', 'a.b', [provider()], NOW, 'Jwt is not in the form of Header.Payload.Signature with two dots and 3 sections'],
    ['header not base64url', '@@.b.c', [provider()], NOW, 'Jwt header is an invalid Base64url encoded'],
    ['issuer not configured', demo, [provider({ issuer: 'other@example.com' })], NOW, 'Jwt issuer is not configured'],
    ['expired (exp 4685989700 is in 2118)', demo, [provider()], 4685989700_000 + 61_000, 'Jwt is expired'],
    ['audience not allowed', demo, [provider({ audiences: ['bookinfo'] })], NOW, 'Audiences in Jwt are not allowed'],
    ['JWKS without the kid', demo, [provider({ keys: [{ ...JSON.parse(ISTIO_JWKS).keys[0], kid: 'other' }] })], NOW, "Jwks doesn't have key to match kid or alg from Jwt"],
    ['payload changed, signature kept', `${h}.${b64({ iss: 'testing@secure.istio.io', sub: 'admin', exp: 4685989700 })}.${sig}`, [provider()], NOW, 'Jwt verification fails'],
    ["istiod's fake JWKS (kid abc) for a jwksUri it could not fetch", demo, [provider({ keys: [{ kty: 'RSA', kid: 'abc', e: 'AQAB', n: 'aHR0cHM6Ly9leGFtcGxl' }] })], NOW, "Jwks doesn't have key to match kid or alg from Jwt"],
    ['a key that does not verify', demo, [provider({ keys: [{ ...JSON.parse(ISTIO_JWKS).keys[0], n: 'aHR0cHM6Ly9leGFtcGxl' }] })], NOW, 'Jwt verification fails'],
  ])('%s', (_n, token, providers, now, want) => {
    const r = verifyJwt(token, providers, now);
    expect(r.ok ? 'ok' : r.message).toBe(want);
  });

  it('returns iss/sub and the claims', () => {
    const r = verifyJwt(demo, [provider()], NOW);
    expect(r.ok && [r.issuer, r.subject, r.claims.foo]).toEqual(['testing@secure.istio.io', 'testing@secure.istio.io', 'bar']);
  });
});
