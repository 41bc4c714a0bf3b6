import { describe, expect, it } from 'vitest';
import { validateText } from './index';

interface Case {
  name: string;
  text: string;
  code: string;
  line: number;
  column?: number;
  /** Text the message must contain (the apiserver's wording, quoted). */
  says?: string;
}

const vs = (http: string) => `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: reviews
  namespace: shop
spec:
  hosts:
    - reviews
  http:
${http}`;

const cases: Case[] = [
  {
    name: 'unknown field in an Istio CRD (strict field validation)',
    text: vs('    - rout:\n        - destination:\n            host: reviews\n'),
    code: 'K8S003',
    line: 10,
    column: 7,
    says: 'unknown field "spec.http[0].rout"',
  },
  {
    name: 'unknown field suggests the right one',
    text: vs('    - route:\n        - destinaton:\n            host: reviews\n'),
    code: 'K8S003',
    line: 11,
    says: '«destination»',
  },
  {
    name: 'unknown field in metadata',
    text: 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n  lables:\n    a: b\n',
    code: 'K8S003',
    line: 5,
    column: 3,
    says: 'unknown field "metadata.lables"',
  },
  {
    name: 'unknown field in a Deployment container',
    text: 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  selector:\n    matchLabels: {app: web}\n  template:\n    metadata:\n      labels: {app: web, version: v1}\n    spec:\n      containers:\n        - name: web\n          image: nginx\n          port: 80\n',
    code: 'K8S003',
    line: 15,
    column: 11,
    says: 'spec.template.spec.containers[0].port',
  },
  {
    name: 'string where the schema wants an integer',
    text: 'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  ports:\n    - name: http\n      port: "80"\n',
    code: 'K8S004',
    line: 8,
    column: 13,
    says: 'spec.ports[0].port in body must be of type integer',
  },
  {
    name: 'a map where a list is expected',
    text: vs('    route:\n      destination:\n        host: reviews\n'),
    code: 'K8S004',
    line: 9,
    column: 3,
    says: 'spec.http in body must be of type array',
  },
  {
    name: 'a number label value',
    text: 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n  labels:\n    version: 1\n',
    code: 'K8S004',
    line: 6,
    column: 14,
    says: 'metadata.labels.version',
  },
  {
    name: 'missing required field',
    text: 'apiVersion: networking.istio.io/v1\nkind: Gateway\nmetadata:\n  name: gw\nspec:\n  selector:\n    istio: ingressgateway\n  servers:\n    - port:\n        number: 80\n        protocol: HTTP\n      hosts: ["*"]\n',
    code: 'K8S005',
    line: 9,
    column: 7,
    says: 'spec.servers[0].port.name: Required value',
  },
  {
    name: 'missing metadata.name',
    text: 'apiVersion: v1\nkind: Namespace\nmetadata:\n  labels: {a: b}\n',
    code: 'K8S005',
    line: 3,
    says: 'metadata.name: Required value',
  },
  {
    name: 'enum value with a typo',
    text: 'apiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata:\n  name: r\nspec:\n  host: reviews\n  trafficPolicy:\n    loadBalancer:\n      simple: ROUND_ROBN\n',
    code: 'K8S006',
    line: 9,
    column: 15,
    says: '«ROUND_ROBIN»',
  },
  {
    name: 'enum of a Kubernetes field',
    text: 'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  type: LoadBalancr\n  ports:\n    - name: http\n      port: 80\n',
    code: 'K8S006',
    line: 6,
    column: 9,
    says: 'Unsupported value',
  },
  {
    name: 'number out of range (uint32 from the Istio validator)',
    text: 'apiVersion: networking.istio.io/v1\nkind: Gateway\nmetadata:\n  name: gw\nspec:\n  servers:\n    - port:\n        number: -80\n        name: http\n        protocol: HTTP\n      hosts: ["*"]\n',
    code: 'K8S007',
    line: 8,
    column: 17,
    says: 'should be greater than or equal to 0',
  },
  {
    name: 'oneOf: exact and prefix together',
    text: vs('    - match:\n        - uri:\n            exact: /a\n            prefix: /a\n      route:\n        - destination:\n            host: reviews\n'),
    code: 'K8S008',
    line: 11,
    column: 11,
    says: 'must validate one and only one schema (oneOf)',
  },
  {
    name: 'missing apiVersion',
    text: 'kind: Namespace\nmetadata:\n  name: shop\n',
    code: 'K8S001',
    line: 1,
    says: 'apiVersion not set',
  },
  {
    name: 'kind with a typo',
    text: 'apiVersion: networking.istio.io/v1\nkind: VirtualServise\nmetadata:\n  name: a\n',
    code: 'K8S002',
    line: 2,
    column: 7,
    says: 'no matches for kind "VirtualServise" in version "networking.istio.io/v1"',
  },
  {
    name: 'kind in a version that does not serve it',
    text: 'apiVersion: networking.istio.io/v2\nkind: Gateway\nmetadata:\n  name: a\n',
    code: 'K8S002',
    line: 2,
    says: 'v1, networking.istio.io/v1beta1, networking.istio.io/v1alpha3',
  },
  {
    name: 'Deployment in the core group',
    text: 'apiVersion: v1\nkind: Deployment\nmetadata:\n  name: a\n',
    code: 'K8S002',
    line: 2,
    says: 'apps/v1',
  },
  {
    name: 'invalid object name',
    text: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: My_Config\n',
    code: 'K8S009',
    line: 4,
    column: 9,
    says: 'RFC 1123 subdomain',
  },
  {
    name: 'Service names are DNS-1035 labels',
    text: 'apiVersion: v1\nkind: Service\nmetadata:\n  name: 1web\nspec:\n  ports: [{name: http, port: 80}]\n',
    code: 'K8S009',
    line: 4,
    says: 'DNS-1035 label',
  },
  {
    name: 'invalid label value',
    text: 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n  labels:\n    team: "a b"\n',
    code: 'K8S010',
    line: 6,
    column: 11,
    says: 'a valid label must be an empty string',
  },
  {
    name: 'Deployment selector does not match the template',
    text: 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  selector:\n    matchLabels: {app: web}\n  template:\n    metadata:\n      labels: {app: api, version: v1}\n    spec:\n      containers: [{name: web, image: nginx}]\n',
    code: 'PRK006',
    line: 10,
    says: '`selector` does not match template `labels`',
  },
  {
    name: 'Istio webhook: all weights zero',
    text: vs('    - route:\n        - destination: {host: reviews, subset: v1}\n          weight: 0\n        - destination: {host: reviews, subset: v2}\n          weight: 0\n'),
    code: 'IST0106',
    line: 10,
    column: 7,
    says: 'total destination weight = 0',
  },
  {
    name: 'Istio webhook: HTTP rule without a route',
    text: vs('    - match:\n        - uri: {prefix: /}\n'),
    code: 'IST0106',
    line: 10,
    says: 'HTTP route, redirect or direct_response is required',
  },
  {
    name: 'Istio webhook: STATIC endpoint with a host name',
    text: 'apiVersion: networking.istio.io/v1\nkind: ServiceEntry\nmetadata:\n  name: ext\nspec:\n  hosts: [api.example.com]\n  ports: [{number: 443, name: https, protocol: TLS}]\n  resolution: STATIC\n  endpoints:\n    - address: api.example.com\n',
    code: 'IST0106',
    line: 10,
    says: 'endpoint address "api.example.com" is not a valid IP address',
  },
  {
    name: 'Istio webhook: DNS resolution of a wildcard host',
    text: 'apiVersion: networking.istio.io/v1\nkind: ServiceEntry\nmetadata:\n  name: ext\nspec:\n  hosts: ["*.example.com"]\n  ports: [{number: 443, name: tls, protocol: TLS}]\n  resolution: DNS\n',
    code: 'IST0106',
    line: 6,
    says: 'hosts must be FQDN if no endpoints are provided for resolution mode DNS',
  },
  {
    name: 'Istio webhook: NONE resolution with endpoints',
    text: 'apiVersion: networking.istio.io/v1\nkind: ServiceEntry\nmetadata:\n  name: ext\nspec:\n  hosts: [api.example.com]\n  ports: [{number: 80, name: http, protocol: HTTP}]\n  resolution: NONE\n  endpoints: [{address: 1.2.3.4}]\n',
    code: 'IST0106',
    line: 8,
    says: 'no endpoints should be provided for resolution type none',
  },
  {
    name: 'Istio webhook: HTTPS server without tls',
    text: 'apiVersion: networking.istio.io/v1\nkind: Gateway\nmetadata:\n  name: gw\nspec:\n  selector: {istio: ingressgateway}\n  servers:\n    - port: {number: 443, name: https, protocol: HTTPS}\n      hosts: [example.com]\n',
    code: 'IST0106',
    line: 8,
    says: 'server must have TLS settings for HTTPS/TLS protocols',
  },
];

describe('schema diagnostics', () => {
  it.each(cases)('$name → $code at line $line', ({ text, code, line, column, says }) => {
    const r = validateText(text, { analysis: false });
    const d = r.diagnostics.find((x) => x.code === code);
    expect(d, JSON.stringify(r.diagnostics.map((x) => [x.code, x.range?.start.line, x.message]))).toBeDefined();
    expect(d!.range!.start.line).toBe(line);
    if (column !== undefined) expect(d!.range!.start.column).toBe(column);
    if (says) expect(d!.message + (d!.original ?? '')).toContain(says);
    expect(d!.message).toMatch(/[а-яё]/i);
    expect(d!.explanation).toBeTruthy();
    expect(d!.link).toMatch(/^\/docs\//);
  });

  it('the range covers exactly the offending key', () => {
    const text = vs('    - rout:\n        - destination:\n            host: reviews\n');
    const d = validateText(text, { analysis: false }).diagnostics[0];
    expect(text.slice(d.range!.start.offset, d.range!.end.offset)).toBe('rout');
  });

  it('the range covers exactly the offending value', () => {
    const text = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  ports:\n    - name: http\n      port: "80"\n';
    const d = validateText(text, { analysis: false }).diagnostics[0];
    expect(text.slice(d.range!.start.offset, d.range!.end.offset)).toBe('"80"');
  });

  it('schema errors of Istio kinds map to IST0106 for istioctl', () => {
    const d = validateText(vs('    - rout: []\n'), { analysis: false }).diagnostics[0];
    expect(d.istioCode).toBe('IST0106');
  });

  it('the three served Istio versions share one schema', () => {
    for (const v of ['v1', 'v1beta1', 'v1alpha3']) {
      const r = validateText(vs('    - rout: []\n').replace('networking.istio.io/v1', `networking.istio.io/${v}`), { analysis: false });
      expect(r.diagnostics.map((d) => d.code)).toEqual(['K8S003']);
    }
  });

  it('security.istio.io kinds are known', () => {
    const text = 'apiVersion: security.istio.io/v1\nkind: PeerAuthentication\nmetadata:\n  name: default\n  namespace: shop\nspec:\n  mtls:\n    mode: STRICTT\n';
    const r = validateText(text, { analysis: false });
    expect(r.diagnostics.map((d) => [d.code, d.range!.start.line])).toEqual([['K8S006', 8]]);
  });
});
