/**
 * Istio's webhook rules as a table: for each rule a manifest Istio accepts and one it denies,
 * with Istio's own message (istio/istio pkg/config/validation/*.go and their _test.go tables).
 */
import { describe, expect, it } from 'vitest';
import { Sandbox } from '../../sandbox/sandbox';
import { validateIstioObject, webhookDenialMessage } from './index';
import { formatErrors } from './errors';

type Spec = Record<string, unknown>;
const vs = (spec: Spec, apiVersion = 'networking.istio.io/v1') => ({ apiVersion, kind: 'VirtualService', metadata: { name: 'r', namespace: 'demo' }, spec });
const route = (extra: Spec = {}): Spec => ({ route: [{ destination: { host: 'reviews' } }], ...extra });
const obj = (kind: string, spec: Spec, group = 'networking.istio.io', name = 'x') => ({ apiVersion: `${group}/v1`, kind, metadata: { name, namespace: 'demo' }, spec });

interface Row {
  rule: string;
  valid: Record<string, unknown>;
  invalid: Record<string, unknown>;
  message: string;
  /** where the editor marks it */
  path?: Array<string | number>;
}

const ROWS: Row[] = [
  {
    rule: 'a mesh VirtualService may not use host *',
    valid: vs({ hosts: ['*'], gateways: ['istio-system/gw'], http: [route()] }),
    invalid: vs({ hosts: ['*'], http: [route()] }),
    message: 'wildcard host * is not allowed for virtual services bound to the mesh gateway',
    path: ['spec', 'hosts', 0],
  },
  {
    rule: 'a VirtualService needs http, tcp or tls',
    valid: vs({ hosts: ['reviews'], http: [route()] }),
    invalid: vs({ hosts: ['reviews'] }),
    message: 'http, tcp or tls must be provided in virtual service',
    path: ['spec'],
  },
  {
    rule: 'hosts are DNS names (wildcard only in the first label)',
    valid: vs({ hosts: ['*.example.com'], http: [route()] }),
    invalid: vs({ hosts: ['foo.*.com'], http: [route()] }),
    // Istio checks the labels after the first one as their own domain name, and names that
    message: 'domain name "*.com" invalid (label "*" invalid)',
  },
  {
    rule: 'duplicate hosts',
    valid: vs({ hosts: ['a.example.com', 'b.example.com'], http: [route()] }),
    invalid: vs({ hosts: ['*.example.com', 'a.example.com'], http: [route()] }),
    message: 'duplicate hosts in virtual service: *.example.com & a.example.com',
  },
  {
    rule: 'an http rule needs route, redirect or directResponse',
    valid: vs({ hosts: ['reviews'], http: [{ directResponse: { status: 503 } }] }),
    invalid: vs({ hosts: ['reviews'], http: [{ timeout: '1s' }] }),
    message: 'HTTP route, redirect or direct_response is required',
    path: ['spec', 'http', 0],
  },
  {
    rule: 'route and redirect exclude each other',
    valid: vs({ hosts: ['reviews'], http: [{ redirect: { uri: '/v2' } }] }),
    invalid: vs({ hosts: ['reviews'], http: [route({ redirect: { uri: '/v2' } })] }),
    message: 'HTTP route cannot contain both route and redirect',
  },
  {
    rule: 'regexes are RE2 (Go regexp words)',
    valid: vs({ hosts: ['reviews'], http: [route({ match: [{ uri: { regex: '/api/v[0-9]+/.*' } }] })] }),
    invalid: vs({ hosts: ['reviews'], http: [route({ match: [{ uri: { regex: '(abc' } }] })] }),
    message: '"uri": error parsing regexp: missing closing ): `(abc`; Istio uses RE2 style regex-based match (https://github.com/google/re2/wiki/Syntax)',
    path: ['spec', 'http', 0, 'match', 0, 'uri'],
  },
  {
    rule: 'RE2 has no lookahead',
    valid: vs({ hosts: ['reviews'], http: [route({ match: [{ headers: { 'x-user': { regex: 'ja(son|ne)' } } }] })] }),
    invalid: vs({ hosts: ['reviews'], http: [route({ match: [{ headers: { 'x-user': { regex: 'ja(?!ne)' } } }] })] }),
    message: '"headers": error parsing regexp: invalid or unsupported Perl syntax: `(?!`; Istio uses RE2 style regex-based match (https://github.com/google/re2/wiki/Syntax)',
  },
  {
    rule: 'header names',
    valid: vs({ hosts: ['reviews'], http: [route({ match: [{ headers: { 'end-user': { exact: 'jason' } } }] })] }),
    invalid: vs({ hosts: ['reviews'], http: [route({ match: [{ headers: { 'end user': { exact: 'jason' } } }] })] }),
    message: 'header name end user is not a valid header name',
  },
  {
    rule: 'retryOn policies are Envoy retry-on values or status codes',
    valid: vs({ hosts: ['reviews'], http: [route({ retries: { attempts: 3, retryOn: 'gateway-error,connect-failure,503' } })] }),
    invalid: vs({ hosts: ['reviews'], http: [route({ retries: { attempts: 3, retryOn: '5xx,timeout' } })] }),
    message: '"timeout" is not a valid retryOn policy',
    path: ['spec', 'http', 0, 'retries', 'retryOn'],
  },
  {
    rule: 'attempts 0 disables retries: no retryOn then',
    valid: vs({ hosts: ['reviews'], http: [route({ retries: { attempts: 0 } })] }),
    invalid: vs({ hosts: ['reviews'], http: [route({ retries: { attempts: 0, retryOn: '5xx' } })] }),
    message: 'http retry policy configured when attempts are set to 0 (disabled)',
  },
  {
    rule: 'negative attempts (a list of one, as multierror.Append makes it)',
    valid: vs({ hosts: ['reviews'], http: [route({ retries: { attempts: 2 } })] }),
    invalid: vs({ hosts: ['reviews'], http: [route({ retries: { attempts: -1 } })] }),
    message: '1 error occurred:\n\t* attempts cannot be negative\n\n',
  },
  {
    rule: 'fault percentages are 0 or 0.0001..100',
    valid: vs({ hosts: ['reviews'], http: [route({ fault: { abort: { httpStatus: 503, percentage: { value: 50 } } } })] }),
    invalid: vs({ hosts: ['reviews'], http: [route({ fault: { abort: { httpStatus: 503, percentage: { value: 150 } } } })] }),
    message: 'percentage 150 is neither 0.0, nor in range [0.0001, 100.0]',
    path: ['spec', 'http', 0, 'fault', 'abort', 'percentage', 'value'],
  },
  {
    rule: 'abort status 200..599',
    valid: vs({ hosts: ['reviews'], http: [route({ fault: { abort: { httpStatus: 500 } } })] }),
    invalid: vs({ hosts: ['reviews'], http: [route({ fault: { abort: { httpStatus: 700 } } })] }),
    message: 'HTTP status 700 is not in range 200-599',
  },
  {
    rule: 'a fault needs an abort or a delay',
    valid: vs({ hosts: ['reviews'], http: [route({ fault: { delay: { fixedDelay: '5s', percentage: { value: 100 } } } })] }),
    invalid: vs({ hosts: ['reviews'], http: [route({ fault: {} })] }),
    message: '1 error occurred:\n\t* HTTP fault injection must have an abort and/or a delay\n\n',
  },
  {
    rule: 'durations are at least 1ms, in ms precision',
    valid: vs({ hosts: ['reviews'], http: [route({ timeout: '1.5s' })] }),
    invalid: vs({ hosts: ['reviews'], http: [route({ timeout: '500us' })] }),
    message: 'duration must be greater than 1ms',
  },
  {
    rule: 'weights are not negative',
    valid: vs({ hosts: ['reviews'], http: [{ route: [{ destination: { host: 'a' }, weight: 90 }, { destination: { host: 'b' }, weight: 10 }] }] }),
    invalid: vs({ hosts: ['reviews'], http: [{ route: [{ destination: { host: 'a' }, weight: -10 }, { destination: { host: 'b' }, weight: 110 }] }] }),
    message: 'weight -10 < 0',
  },
  {
    rule: 'several destinations cannot all weigh 0',
    valid: vs({ hosts: ['reviews'], http: [{ route: [{ destination: { host: 'a' } }] }] }),
    invalid: vs({ hosts: ['reviews'], http: [{ route: [{ destination: { host: 'a' }, weight: 0 }, { destination: { host: 'b' }, weight: 0 }] }] }),
    message: 'total destination weight = 0',
  },
  {
    rule: 'destination host * is not a service',
    valid: vs({ hosts: ['reviews'], http: [{ route: [{ destination: { host: 'reviews.demo.svc.cluster.local' } }] }] }),
    invalid: vs({ hosts: ['reviews'], http: [{ route: [{ destination: { host: '*' } }] }] }),
    message: 'invalid destination host *',
  },
  {
    rule: 'subset names are DNS labels',
    valid: vs({ hosts: ['reviews'], http: [{ route: [{ destination: { host: 'reviews', subset: 'v1' } }] }] }),
    invalid: vs({ hosts: ['reviews'], http: [{ route: [{ destination: { host: 'reviews', subset: 'v1.0' } }] }] }),
    message: 'subset name is invalid: v1.0',
  },
  {
    rule: 'destination ports 1..65535',
    valid: vs({ hosts: ['reviews'], http: [{ route: [{ destination: { host: 'reviews', port: { number: 9080 } } }] }] }),
    invalid: vs({ hosts: ['reviews'], http: [{ route: [{ destination: { host: 'reviews', port: { number: 70000 } } }] }] }),
    message: 'port number 70000 must be in the range 1..65535',
  },
  {
    rule: 'redirect codes are 3xx',
    valid: vs({ hosts: ['reviews'], http: [{ redirect: { uri: '/x', redirectCode: 308 } }] }),
    invalid: vs({ hosts: ['reviews'], http: [{ redirect: { uri: '/x', redirectCode: 200 } }] }),
    message: '200 is not a valid redirect code, must be 3xx',
  },
  {
    rule: 'gateway references are namespace/name',
    valid: vs({ hosts: ['reviews.example.com'], gateways: ['istio-system/main-gateway'], http: [route()] }),
    invalid: vs({ hosts: ['reviews.example.com'], gateways: ['istio-system/Main_Gateway'], http: [route()] }),
    message: 'invalid value for gateway name: "Main_Gateway"',
  },
  {
    rule: 'a TCP rule needs a route',
    valid: vs({ hosts: ['db'], tcp: [{ route: [{ destination: { host: 'db' } }] }] }),
    invalid: vs({ hosts: ['db'], tcp: [{ match: [{ port: 3306 }] }] }),
    message: 'TCP route is required',
  },
  {
    rule: 'a Gateway needs servers',
    valid: obj('Gateway', { selector: { istio: 'ingressgateway' }, servers: [{ port: { number: 80, name: 'http', protocol: 'HTTP' }, hosts: ['*'] }] }),
    invalid: obj('Gateway', { selector: { istio: 'ingressgateway' } }),
    message: 'gateway must have at least one server',
  },
  {
    rule: 'gateway server hosts are FQDNs (no short names)',
    valid: obj('Gateway', { servers: [{ port: { number: 80, name: 'http', protocol: 'HTTP' }, hosts: ['demo/*.example.com'] }] }),
    invalid: obj('Gateway', { servers: [{ port: { number: 80, name: 'http', protocol: 'HTTP' }, hosts: ['reviews'] }] }),
    message: 'short names (non FQDN) are not allowed',
  },
  {
    rule: 'HTTPS servers need tls',
    valid: obj('Gateway', { servers: [{ port: { number: 443, name: 'https', protocol: 'HTTPS' }, hosts: ['a.example.com'], tls: { mode: 'SIMPLE', credentialName: 'a-cert' } }] }),
    invalid: obj('Gateway', { servers: [{ port: { number: 443, name: 'https', protocol: 'HTTPS' }, hosts: ['a.example.com'] }] }),
    message: 'server must have TLS settings for HTTPS/TLS protocols',
  },
  {
    rule: 'SIMPLE TLS without credentialName needs files',
    valid: obj('Gateway', { servers: [{ port: { number: 443, name: 'https', protocol: 'HTTPS' }, hosts: ['a.example.com'], tls: { mode: 'SIMPLE', serverCertificate: '/c', privateKey: '/k' } }] }),
    invalid: obj('Gateway', { servers: [{ port: { number: 443, name: 'https', protocol: 'HTTPS' }, hosts: ['a.example.com'], tls: { mode: 'SIMPLE', privateKey: '/k' } }] }),
    message: 'SIMPLE TLS requires a server certificate',
  },
  {
    rule: 'gateway port names are unique',
    valid: obj('Gateway', { servers: [{ port: { number: 80, name: 'http', protocol: 'HTTP' }, hosts: ['*'] }, { port: { number: 8080, name: 'http2', protocol: 'HTTP' }, hosts: ['*'] }] }),
    invalid: obj('Gateway', { servers: [{ port: { number: 80, name: 'http', protocol: 'HTTP' }, hosts: ['*'] }, { port: { number: 8080, name: 'http', protocol: 'HTTP' }, hosts: ['*'] }] }),
    message: 'port names in servers must be unique: duplicate name http',
  },
  {
    rule: 'DestinationRule subsets are unique',
    valid: obj('DestinationRule', { host: 'reviews', subsets: [{ name: 'v1', labels: { version: 'v1' } }, { name: 'v2', labels: { version: 'v2' } }] }),
    invalid: obj('DestinationRule', { host: 'reviews', subsets: [{ name: 'v1', labels: { version: 'v1' } }, { name: 'v1', labels: { version: 'v2' } }] }),
    message: 'duplicate subset names: v1',
  },
  {
    rule: 'a traffic policy is not empty',
    valid: obj('DestinationRule', { host: 'reviews', trafficPolicy: { loadBalancer: { simple: 'RANDOM' } } }),
    invalid: obj('DestinationRule', { host: 'reviews', trafficPolicy: {} }),
    message: 'traffic policy must have at least one field',
  },
  {
    rule: 'outlier detection percentages 0..100',
    valid: obj('DestinationRule', { host: 'reviews', trafficPolicy: { outlierDetection: { consecutive5xxErrors: 1, interval: '1s', baseEjectionTime: '3m', maxEjectionPercent: 100 } } }),
    invalid: obj('DestinationRule', { host: 'reviews', trafficPolicy: { outlierDetection: { maxEjectionPercent: 120 } } }),
    message: 'percentage 120 is not in range 0..100',
  },
  {
    rule: 'DNS ServiceEntries without endpoints resolve FQDNs',
    valid: obj('ServiceEntry', { hosts: ['api.example.com'], ports: [{ number: 443, name: 'tls', protocol: 'TLS' }], resolution: 'DNS' }),
    invalid: obj('ServiceEntry', { hosts: ['*.example.com'], ports: [{ number: 443, name: 'tls', protocol: 'TLS' }], resolution: 'DNS' }),
    message: 'hosts must be FQDN if no endpoints are provided for resolution mode DNS',
  },
  {
    rule: 'ServiceEntry host * is refused',
    valid: obj('ServiceEntry', { hosts: ['*.example.com'], ports: [{ number: 443, name: 'tls', protocol: 'TLS' }], resolution: 'NONE' }),
    invalid: obj('ServiceEntry', { hosts: ['*'], ports: [{ number: 443, name: 'tls', protocol: 'TLS' }], resolution: 'NONE' }),
    message: 'invalid host *',
  },
  {
    rule: 'port-level mTLS needs a workload selector',
    valid: obj('PeerAuthentication', { selector: { matchLabels: { app: 'web' } }, portLevelMtls: { 8080: { mode: 'DISABLE' } } }, 'security.istio.io'),
    invalid: obj('PeerAuthentication', { portLevelMtls: { 8080: { mode: 'DISABLE' } } }, 'security.istio.io'),
    message: 'mesh/namespace peer authentication cannot have port level mTLS',
  },
  {
    rule: 'AuthorizationPolicy: from.source is not empty',
    valid: obj('AuthorizationPolicy', { rules: [{ from: [{ source: { namespaces: ['demo'] } }] }] }, 'security.istio.io', 'allow'),
    invalid: obj('AuthorizationPolicy', { rules: [{ from: [{ source: {} }] }] }, 'security.istio.io', 'allow'),
    message: 'invalid policy allow.demo: `from.source` must not be empty, found at rule 0',
  },
  {
    rule: 'AuthorizationPolicy: DENY without rules',
    valid: obj('AuthorizationPolicy', { action: 'DENY', rules: [{}] }, 'security.istio.io', 'deny'),
    invalid: obj('AuthorizationPolicy', { action: 'DENY' }, 'security.istio.io', 'deny'),
    message:
      'invalid policy deny.demo: DENY action without `rules` is meaningless as it will never be triggered, add an empty rule `{}` if you want it be triggered for every request',
  },
  {
    rule: 'AuthorizationPolicy: when needs values',
    valid: obj('AuthorizationPolicy', { rules: [{ when: [{ key: 'request.headers[x]', values: ['1'] }] }] }, 'security.istio.io', 'p'),
    invalid: obj('AuthorizationPolicy', { rules: [{ when: [{ key: 'request.headers[x]' }] }] }, 'security.istio.io', 'p'),
    message: 'invalid policy p.demo: at least one of `values` or `notValues` must be set for key request.headers[x]',
  },
  {
    rule: 'RequestAuthentication: issuer is set',
    valid: obj('RequestAuthentication', { jwtRules: [{ issuer: 'testing@secure.istio.io', jwksUri: 'https://example.com/jwks.json' }] }, 'security.istio.io'),
    invalid: obj('RequestAuthentication', { jwtRules: [{ jwksUri: 'https://example.com/jwks.json' }] }, 'security.istio.io'),
    message: '1 error occurred:\n\t* issuer must be set\n\n',
  },
  {
    rule: 'Sidecar egress hosts are namespace/host',
    valid: obj('Sidecar', { egress: [{ hosts: ['./*', 'istio-system/*'] }] }),
    invalid: obj('Sidecar', { egress: [{ hosts: ['reviews.demo.svc.cluster.local'] }] }),
    message: 'host must be of form namespace/dnsName',
  },
];

describe("istiod's webhook rules (validation.istio.io)", () => {
  it.each(ROWS.map((r) => [r.rule, r] as const))('%s', (_, row) => {
    expect(validateIstioObject(row.valid).errors).toEqual([]);
    const { errors } = validateIstioObject(row.invalid);
    expect(formatErrors(errors)).toBe(row.message);
    if (row.path) expect(errors[0].path).toEqual(row.path);
  });

  it('words several errors as go-multierror does', () => {
    const { errors } = validateIstioObject(vs({ hosts: ['*'], http: [route({ retries: { attempts: 3, retryOn: 'bogus' } })] }));
    expect(webhookDenialMessage(errors)).toBe(
      'admission webhook "validation.istio.io" denied the request: configuration is invalid: 2 errors occurred:\n\t* wildcard host * is not allowed for virtual services bound to the mesh gateway\n\t* "bogus" is not a valid retryOn policy\n\n',
    );
  });

  it('judges every served version by the same rules', () => {
    for (const v of ['v1', 'v1beta1', 'v1alpha3']) expect(formatErrors(validateIstioObject(vs({ hosts: ['r'] }, `networking.istio.io/${v}`)).errors)).toBe('http, tcp or tls must be provided in virtual service');
  });
});

describe('kubectl apply through the webhook', () => {
  it('is denied with kubectl\'s and Istio\'s words, and nothing is stored', async () => {
    const text = 'apiVersion: networking.istio.io/v1alpha3\nkind: VirtualService\nmetadata:\n  name: reviews\nspec:\n  hosts:\n  - reviews\n';
    const sb = new Sandbox({ seed: 1, examples: { 'x.yaml': text } });
    const r = await sb.exec('kubectl apply -f ~/examples/x.yaml');
    expect(r.code).not.toBe(0);
    expect(r.stderr).toBe(
      'Error from server: error when creating "/home/learner/examples/x.yaml": admission webhook "validation.istio.io" denied the request: configuration is invalid: http, tcp or tls must be provided in virtual service\n',
    );
    expect((await sb.exec('kubectl get vs')).stderr).toBe('No resources found in default namespace.\n');
  });
});
