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
  // Telemetry, WasmPlugin, WorkloadGroup, ProxyConfig (validation.go ValidateTelemetry, ValidateWasmPlugin,
  // ValidateWorkloadGroup, ValidateProxyConfig). Rows marked "schema first" are refused by the CRD's own
  // schema before the webhook at apply; the webhook's rule is still the one a copy without the schema meets.
  {
    rule: 'Telemetry: a provider has a name',
    valid: obj('Telemetry', { accessLogging: [{ providers: [{ name: 'envoy' }] }] }, 'telemetry.istio.io'),
    invalid: obj('Telemetry', { accessLogging: [{ providers: [{ name: '' }] }] }, 'telemetry.istio.io'),
    message: 'providers.name may not be empty',
    path: ['spec', 'accessLogging', 0, 'providers', 0],
  },
  {
    rule: 'Telemetry: an UPSERT tag override needs a value',
    valid: obj('Telemetry', { metrics: [{ providers: [{ name: 'prometheus' }], overrides: [{ tagOverrides: { request_host: { value: 'request.host' } } }] }] }, 'telemetry.istio.io'),
    invalid: obj('Telemetry', { metrics: [{ providers: [{ name: 'prometheus' }], overrides: [{ tagOverrides: { request_host: { operation: 'UPSERT' } } }] }] }, 'telemetry.istio.io'),
    message: 'tagOverrides.value must be set when operation is UPSERT',
    path: ['spec', 'metrics', 0, 'overrides', 0, 'tagOverrides', 'request_host'],
  },
  {
    rule: 'Telemetry: a REMOVE tag override has no value',
    valid: obj('Telemetry', { metrics: [{ overrides: [{ tagOverrides: { request_protocol: { operation: 'REMOVE' } } }] }] }, 'telemetry.istio.io'),
    invalid: obj('Telemetry', { metrics: [{ overrides: [{ tagOverrides: { request_protocol: { operation: 'REMOVE', value: 'x' } } }] }] }, 'telemetry.istio.io'),
    message: 'tagOverrides.value may only be set when operation is UPSERT',
  },
  {
    rule: 'Telemetry: a literal custom tag has a value',
    valid: obj('Telemetry', { tracing: [{ customTags: { env: { literal: { value: 'prod' } } } }] }, 'telemetry.istio.io'),
    invalid: obj('Telemetry', { tracing: [{ customTags: { env: { literal: { value: '' } } } }] }, 'telemetry.istio.io'),
    message: 'literal tag value may not be empty',
  },
  {
    rule: 'Telemetry: randomSamplingPercentage in [0, 100] (schema first)',
    valid: obj('Telemetry', { tracing: [{ randomSamplingPercentage: 10 }] }, 'telemetry.istio.io'),
    invalid: obj('Telemetry', { tracing: [{ randomSamplingPercentage: 150 }] }, 'telemetry.istio.io'),
    message: 'randomSamplingPercentage must be in range [0.0, 100.0]',
  },
  {
    rule: 'Telemetry: selector or targetRefs, not both',
    valid: obj('Telemetry', { selector: { matchLabels: { app: 'web' } }, accessLogging: [{ providers: [{ name: 'envoy' }] }] }, 'telemetry.istio.io'),
    invalid: obj('Telemetry', { selector: { matchLabels: { app: 'web' } }, targetRefs: [{ kind: 'Gateway', group: 'gateway.networking.k8s.io', name: 'gw' }] }, 'telemetry.istio.io'),
    message: 'only one of targetRefs or workloadSelector can be set',
  },
  {
    rule: 'WasmPlugin: url scheme is file, http, https or oci',
    valid: obj('WasmPlugin', { url: 'oci://ghcr.io/istio-ecosystem/wasm-extensions/basic_auth:1.12.0' }, 'extensions.istio.io'),
    invalid: obj('WasmPlugin', { url: 'ftp://example.com/plugin.wasm' }, 'extensions.istio.io'),
    message: 'url contains unsupported scheme: ftp',
    path: ['spec', 'url'],
  },
  {
    rule: 'WasmPlugin: sha256 is 64 hex characters',
    valid: obj('WasmPlugin', { url: 'https://example.com/p.wasm', sha256: 'a'.repeat(64) }, 'extensions.istio.io'),
    invalid: obj('WasmPlugin', { url: 'https://example.com/p.wasm', sha256: 'abc' }, 'extensions.istio.io'),
    message: 'sha256 field must be 64 characters long',
  },
  {
    rule: 'WasmPlugin: sha256 is lower-case hex',
    valid: obj('WasmPlugin', { url: 'https://example.com/p.wasm', sha256: '0'.repeat(64) }, 'extensions.istio.io'),
    invalid: obj('WasmPlugin', { url: 'https://example.com/p.wasm', sha256: 'A'.repeat(64) }, 'extensions.istio.io'),
    message: 'sha256 field must match [a-f0-9]{64} pattern',
  },
  {
    rule: 'WasmPlugin: vmConfig env names are unique',
    valid: obj('WasmPlugin', { url: 'oci://ghcr.io/x/y:1', vmConfig: { env: [{ name: 'A', value: '1' }, { name: 'B', value: '2' }] } }, 'extensions.istio.io'),
    invalid: obj('WasmPlugin', { url: 'oci://ghcr.io/x/y:1', vmConfig: { env: [{ name: 'A', value: '1' }, { name: 'A', value: '2' }] } }, 'extensions.istio.io'),
    message: 'duplicate env',
    path: ['spec', 'vmConfig', 'env', 1],
  },
  {
    rule: 'WasmPlugin: an env value only with valueFrom INLINE',
    valid: obj('WasmPlugin', { url: 'oci://ghcr.io/x/y:1', vmConfig: { env: [{ name: 'POD_NAME', valueFrom: 'HOST' }] } }, 'extensions.istio.io'),
    invalid: obj('WasmPlugin', { url: 'oci://ghcr.io/x/y:1', vmConfig: { env: [{ name: 'POD_NAME', valueFrom: 'HOST', value: 'x' }] } }, 'extensions.istio.io'),
    message: 'value may only be set when valueFrom is INLINE',
  },
  {
    rule: 'WasmPlugin: match ports in 1..65535 (schema first)',
    valid: obj('WasmPlugin', { url: 'oci://ghcr.io/x/y:1', match: [{ ports: [{ number: 8080 }] }] }, 'extensions.istio.io'),
    invalid: obj('WasmPlugin', { url: 'oci://ghcr.io/x/y:1', match: [{ ports: [{ number: 70000 }] }] }, 'extensions.istio.io'),
    message: 'spec.Match[0].Ports[0] is out of range: 70000',
  },
  {
    rule: 'WorkloadGroup: a template is required (schema first)',
    valid: obj('WorkloadGroup', { template: { serviceAccount: 'web' } }),
    invalid: obj('WorkloadGroup', { metadata: { labels: { app: 'web' } } }),
    message: 'template is required',
  },
  {
    rule: 'WorkloadGroup: metadata labels are label keys and values',
    valid: obj('WorkloadGroup', { metadata: { labels: { app: 'web' } }, template: { serviceAccount: 'web' } }),
    invalid: obj('WorkloadGroup', { metadata: { labels: { 'a b': 'web' } }, template: { serviceAccount: 'web' } }),
    message: 'invalid labels: 1 error occurred:\n\t* invalid tag key: "a b"\n\n',
  },
  {
    rule: 'WorkloadGroup: a probe names its method',
    valid: obj('WorkloadGroup', { template: { serviceAccount: 'web' }, probe: { periodSeconds: 5, httpGet: { port: 8080, path: '/ready' } } }),
    invalid: obj('WorkloadGroup', { template: { serviceAccount: 'web' }, probe: { periodSeconds: 5 } }),
    message: 'unknown health check method <nil>',
  },
  {
    rule: 'WorkloadGroup: an httpGet probe port is a port',
    valid: obj('WorkloadGroup', { template: { serviceAccount: 'web' }, probe: { tcpSocket: { port: 3306 } } }),
    invalid: obj('WorkloadGroup', { template: { serviceAccount: 'web' }, probe: { httpGet: { port: 0, path: '/ready' } } }),
    message: 'port number 0 must be in the range 1..65535',
  },
  {
    rule: 'WorkloadGroup: probe header names are tokens of letters, digits and -',
    valid: obj('WorkloadGroup', { template: { serviceAccount: 'web' }, probe: { httpGet: { port: 8080, httpHeaders: [{ name: 'X-Probe', value: '1' }] } } }),
    invalid: obj('WorkloadGroup', { template: { serviceAccount: 'web' }, probe: { httpGet: { port: 8080, httpHeaders: [{ name: 'x_probe', value: '1' }] } } }),
    message: 'header name x_probe is not a valid header name',
  },
  {
    rule: 'ProxyConfig: concurrency is not negative (schema first)',
    valid: { ...obj('ProxyConfig', { concurrency: 0 }), apiVersion: 'networking.istio.io/v1beta1' },
    invalid: { ...obj('ProxyConfig', { concurrency: -1 }), apiVersion: 'networking.istio.io/v1beta1' },
    message: 'concurrency must be greater than or equal to 0',
    path: ['spec', 'concurrency'],
  },
  {
    rule: 'ProxyConfig: no wildcard in the selector (schema first)',
    valid: { ...obj('ProxyConfig', { selector: { matchLabels: { app: 'web' } }, concurrency: 2 }), apiVersion: 'networking.istio.io/v1beta1' },
    invalid: { ...obj('ProxyConfig', { selector: { matchLabels: { app: '*' } }, concurrency: 2 }), apiVersion: 'networking.istio.io/v1beta1' },
    message: 'wildcard is not supported in selector: "app=*"',
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

describe('kubectl apply of Telemetry, WasmPlugin, WorkloadGroup and ProxyConfig', () => {
  const DENIED = 'Error from server: error when creating "x.yaml": admission webhook "validation.istio.io" denied the request: configuration is invalid: ';
  it.each([
    ['a Telemetry provider without a name', 'apiVersion: telemetry.istio.io/v1\nkind: Telemetry\nmetadata: {name: t}\nspec:\n  accessLogging:\n  - providers:\n    - name: ""\n', `${DENIED}providers.name may not be empty\n`],
    ['a WasmPlugin from ftp://', 'apiVersion: extensions.istio.io/v1alpha1\nkind: WasmPlugin\nmetadata: {name: w}\nspec:\n  url: ftp://example.com/plugin.wasm\n', `${DENIED}url contains unsupported scheme: ftp\n`],
    ['a WorkloadGroup probe without a method', 'apiVersion: networking.istio.io/v1\nkind: WorkloadGroup\nmetadata: {name: g}\nspec:\n  template:\n    serviceAccount: web\n  probe:\n    periodSeconds: 5\n', `${DENIED}unknown health check method <nil>\n`],
    // the CRD's schema answers before the webhook
    ['a WorkloadGroup without template', 'apiVersion: networking.istio.io/v1\nkind: WorkloadGroup\nmetadata: {name: g}\nspec:\n  metadata:\n    labels: {app: web}\n', 'The WorkloadGroup "g" is invalid: spec.template: Required value\n'],
    ['a ProxyConfig with concurrency -1', 'apiVersion: networking.istio.io/v1beta1\nkind: ProxyConfig\nmetadata: {name: p}\nspec:\n  concurrency: -1\n', 'The ProxyConfig "p" is invalid: spec.concurrency: Invalid value: -1: spec.concurrency in body should be greater than or equal to 0\n'],
  ])('%s', async (_name, text, stderr) => {
    // with the CRD schemas in admission, as the served sandbox has them (src/validation/sandbox.ts)
    const { schemaValidator } = await import('../../validation/index');
    const sb = new Sandbox({ seed: 1, validator: (o) => schemaValidator(o) });
    await sb.exec(`cat > x.yaml <<'EOF'\n${text}EOF`);
    const r = await sb.exec('kubectl apply -f x.yaml');
    expect(r.stderr).toBe(stderr);
    expect(r.stdout).toBe('');
  });

  it('a warning of the webhook is printed and the object is stored', async () => {
    const sb = new Sandbox({ seed: 1 });
    await sb.exec("cat > x.yaml <<'EOF'\napiVersion: networking.istio.io/v1beta1\nkind: ProxyConfig\nmetadata: {name: p}\nspec:\n  selector: {}\n  concurrency: 2\nEOF");
    const r = await sb.exec('kubectl apply -f x.yaml');
    expect(r.stderr).toBe('Warning: workload selector specified without labels\n');
    expect(r.stdout).toBe('proxyconfig.networking.istio.io/p created\n');
  });
});
