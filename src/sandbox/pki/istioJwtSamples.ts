/**
 * Istio's JWT samples (istio/istio security/tools/jwt/samples): the public test issuer
 * `testing@secure.istio.io`, its JWKS and demo tokens, as raw.githubusercontent.com serves them
 * for any release branch, so istio.io's authentication tasks run verbatim. Public test material
 * published by Istio; key.pem (the matching private key) is public as well.
 */
export const ISTIO_TEST_ISSUER = 'testing@secure.istio.io';

export const ISTIO_JWKS = '{ "keys":[ {"e":"AQAB","kid":"DHFbpoIUqrY8t2zpA2qXfCmr5VO5ZEr4RzHU_-envvQ","kty":"RSA","n":"xAE7eB6qugXyCAG3yhh7pkDkT65pHymX-P7KfIupjf59vsdo91bSP9C8H07pSAGQO1MV_xFj9VswgsCg4R6otmg5PV2He95lZdHtOcU5DXIg_pbhLdKXbi66GlVeK6ABZOUW3WYtnNHD-91gVuoeJT_DwtGGcp4ignkgXfkiEm4sw-4sfb4qdt5oLbyVpmW6x9cfa7vs2WTfURiCrBoUqgBo_-4WTiULmmHSGZHOjzwa8WtrtOQGsAFjIbno85jp6MnGGGZPYZbDAa_b3y5u-YpW7ypZrvD8BgtKVjgtQgZhLAGezMt0ua3DRrWnKqTZ0BJ_EyxOGuHJrLsn00fnMQ"}]}\n';

/** exp 4685989700 (2118), sub testing@secure.istio.io, foo: bar. */
export const ISTIO_DEMO_JWT =
  'eyJhbGciOiJSUzI1NiIsImtpZCI6IkRIRmJwb0lVcXJZOHQyenBBMnFYZkNtcjVWTzVaRXI0UnpIVV8tZW52dlEiLCJ0eXAiOiJKV1QifQ.eyJleHAiOjQ2ODU5ODk3MDAsImZvbyI6ImJhciIsImlhdCI6MTUzMjM4OTcwMCwiaXNzIjoidGVzdGluZ0BzZWN1cmUuaXN0aW8uaW8iLCJzdWIiOiJ0ZXN0aW5nQHNlY3VyZS5pc3Rpby5pbyJ9.CfNnxWP2tcnR9q0vxyxweaF3ovQYHYZl82hAUsn21bwQd9zP7c-LS9qd_vpdLG4Tn1A15NxfCjp5f7QNBUo-KC9PJqYpgGbaXhaGx7bEdFWjcwv3nZzvc7M__ZpaCERdwU7igUmJqYGBYQ51vr2njU9ZimyKkfDe3axcyiBZde7G6dabliUosJvvKOPcKIWPccCgefSj_GNfwIip3-SsFdlR7BtbVUcqR-yv-XOxJ3Uc1MI0tz3uMiiZcyPV7sNCU4KRnemRIMHVOfuvHsU60_GhGbiSFzgPTAa9WTltbnarTbxudb_YEOx12JiwYToeX0DCPb43W1tzIBxgm8NxUg\n';

/** The same issuer with groups ["group1","group2"] and scope ["scope1","scope2"]. */
export const ISTIO_GROUPS_SCOPE_JWT =
  'eyJhbGciOiJSUzI1NiIsImtpZCI6IkRIRmJwb0lVcXJZOHQyenBBMnFYZkNtcjVWTzVaRXI0UnpIVV8tZW52dlEiLCJ0eXAiOiJKV1QifQ.eyJleHAiOjM1MzczOTExMDQsImdyb3VwcyI6WyJncm91cDEiLCJncm91cDIiXSwiaWF0IjoxNTM3MzkxMTA0LCJpc3MiOiJ0ZXN0aW5nQHNlY3VyZS5pc3Rpby5pbyIsInNjb3BlIjpbInNjb3BlMSIsInNjb3BlMiJdLCJzdWIiOiJ0ZXN0aW5nQHNlY3VyZS5pc3Rpby5pbyJ9.EdJnEZSH6X8hcyEii7c8H5lnhgjB5dwo07M5oheC8Xz8mOllyg--AHCFWHybM48reunF--oGaG6IXVngCEpVF0_P5DwsUoBgpPmK1JOaKN6_pe9sh0ZwTtdgK_RP01PuI7kUdbOTlkuUi2AO-qUyOm7Art2POzo36DLQlUXv8Ad7NBOqfQaKjE9ndaPWT7aexUsBHxmgiGbz1SyLH879f7uHYPbPKlpHU6P9S-DaKnGLaEchnoKnov7ajhrEhGXAQRukhDPKUHO9L30oPIr5IJllEQfHYtt6IZvlNUGeLUcif3wpry1R5tBXRicx2sXMQ7LyuDremDbcNy_iE76Upg\n';

const FILES: Record<string, string> = { 'jwks.json': ISTIO_JWKS, 'demo.jwt': ISTIO_DEMO_JWT, 'groups-scope.jwt': ISTIO_GROUPS_SCOPE_JWT };

/** raw.githubusercontent.com/istio/istio/<branch>/security/tools/jwt/samples/<file>, or undefined. */
export function istioJwtSampleAt(path: string): string | undefined {
  const m = path.split('?')[0].match(/^\/istio\/istio\/(?:master|release-1\.\d+|\d+\.\d+\.\d+)\/security\/tools\/jwt\/samples\/([a-z.-]+)$/);
  return m ? FILES[m[1]] : undefined;
}

/** The JWKS istiod gets for a jwksUri (it fetches and inlines it); undefined when the URI cannot be fetched. */
export function jwksFromUri(uri: string): string | undefined {
  const m = uri.match(/^https?:\/\/raw\.githubusercontent\.com(\/.*)$/);
  return m ? istioJwtSampleAt(m[1]) : undefined;
}
