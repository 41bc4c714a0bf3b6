import { describe, expect, it } from 'vitest';
import { analyzeObjects, formatIstioctl, parseManifests, validateText } from './index';

/** A small healthy "shop": what a lesson has applied before the manifest under test. */
const SHOP = `apiVersion: v1
kind: Namespace
metadata:
  name: shop
  labels:
    istio-injection: enabled
---
apiVersion: v1
kind: Service
metadata:
  name: reviews
  namespace: shop
spec:
  selector:
    app: reviews
  ports:
    - name: http
      port: 80
      targetPort: 9090
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: reviews-v1
  namespace: shop
spec:
  selector:
    matchLabels: {app: reviews, version: v1}
  template:
    metadata:
      labels: {app: reviews, version: v1}
    spec:
      containers: [{name: reviews, image: fake, ports: [{name: http, containerPort: 9090}]}]
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: reviews-v2
  namespace: shop
spec:
  selector:
    matchLabels: {app: reviews, version: v2}
  template:
    metadata:
      labels: {app: reviews, version: v2}
    spec:
      containers: [{name: reviews, image: fake, ports: [{name: http, containerPort: 9090}]}]
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata:
  name: reviews
  namespace: shop
spec:
  host: reviews.shop.svc.cluster.local
  subsets:
    - name: v1
      labels: {version: v1}
    - name: v2
      labels: {version: v2}
---
apiVersion: networking.istio.io/v1
kind: Gateway
metadata:
  name: shop-gateway
  namespace: shop
spec:
  selector:
    istio: ingressgateway
  servers:
    - port: {number: 80, name: http, protocol: HTTP}
      hosts: ["shop.example.com"]
`;

const context = [SHOP];

const vs = (spec: string, meta = '') => `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: reviews
  namespace: shop
${meta}spec:
${spec}`;

interface Case {
  name: string;
  text: string;
  code: string;
  line: number;
  column?: number;
  severity?: string;
  says?: string;
}

const cases: Case[] = [
  {
    name: 'VirtualService names a Gateway that does not exist',
    text: vs('  hosts: [shop.example.com]\n  gateways:\n    - shop-gatway\n  http:\n    - route:\n        - destination: {host: reviews}\n'),
    code: 'IST0101',
    line: 9,
    column: 7,
    says: 'Referenced gateway not found: "shop-gatway"',
  },
  {
    name: 'Gateway in another namespace needs ns/name',
    text: vs('  hosts: [shop.example.com]\n  gateways:\n    - istio-system/shop-gateway\n  http:\n    - route:\n        - destination: {host: reviews}\n'),
    code: 'IST0101',
    line: 9,
    says: 'shop/shop-gateway',
  },
  {
    name: 'destination host matches no Service or ServiceEntry',
    text: vs('  hosts: [reviews]\n  http:\n    - route:\n        - destination:\n            host: reviewz\n'),
    code: 'IST0101',
    line: 11,
    column: 19,
    says: 'Referenced host not found: "reviewz"',
  },
  {
    name: 'name.namespace is not expanded by Istio',
    text: vs('  hosts: [reviews]\n  http:\n    - route:\n        - destination:\n            host: reviews.shop\n'),
    code: 'IST0101',
    line: 11,
    says: 'reviews.shop.svc.cluster.local',
  },
  {
    name: 'subset that no DestinationRule defines',
    text: vs('  hosts: [reviews]\n  http:\n    - route:\n        - destination:\n            host: reviews\n            subset: v3\n'),
    code: 'IST0101',
    line: 12,
    column: 21,
    says: 'Referenced host+subset in destinationrule not found: "reviews+v3"',
  },
  {
    name: 'subset whose labels select no pod template',
    text: 'apiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata:\n  name: reviews\n  namespace: shop\nspec:\n  host: reviews\n  subsets:\n    - name: v1\n      labels: {version: v1}\n    - name: v3\n      labels:\n        version: v3\n',
    code: 'IST0173',
    line: 12,
    column: 7,
    says: 'The Subset v3 defined in the DestinationRule does not select any pods',
  },
  {
    name: 'weights that do not add up to 100',
    text: vs('  hosts: [reviews]\n  http:\n    - route:\n        - destination: {host: reviews, subset: v1}\n          weight: 90\n        - destination: {host: reviews, subset: v2}\n          weight: 20\n'),
    code: 'PRK001',
    line: 9,
    column: 7,
    severity: 'info',
    says: 'v1: 81.8%, v2: 18.2%',
  },
  {
    name: 'two VirtualServices claim the same host for the mesh',
    text: `${vs('  hosts: [reviews]\n  http:\n    - route:\n        - destination: {host: reviews, subset: v1}\n')}---\n${vs('  hosts: [reviews.shop.svc.cluster.local]\n  http:\n    - route:\n        - destination: {host: reviews, subset: v2}\n').replace('name: reviews', 'name: reviews-canary')}`,
    code: 'IST0109',
    line: 7,
    column: 11,
    says: 'shop/reviews,shop/reviews-canary',
  },
  {
    name: 'two VirtualServices claim the same host on the same gateway',
    text: `${vs('  hosts: [shop.example.com]\n  gateways: [shop-gateway]\n  http:\n    - route:\n        - destination: {host: reviews}\n')}---\n${vs('  hosts: [shop.example.com]\n  gateways: [shop/shop-gateway]\n  http:\n    - route:\n        - destination: {host: reviews}\n').replace('name: reviews', 'name: other')}`,
    code: 'PRK002',
    line: 7,
    severity: 'warning',
  },
  {
    name: 'host not accepted by the bound Gateway',
    text: vs('  hosts: [api.example.com]\n  gateways: [shop-gateway]\n  http:\n    - route:\n        - destination: {host: reviews}\n'),
    code: 'IST0132',
    line: 7,
    column: 11,
  },
  {
    name: 'Gateway selector matches no gateway workload',
    text: 'apiVersion: networking.istio.io/v1\nkind: Gateway\nmetadata:\n  name: gw\n  namespace: shop\nspec:\n  selector:\n    istio: ingress-gateway\n  servers:\n    - port: {number: 80, name: http, protocol: HTTP}\n      hosts: ["*"]\n',
    code: 'IST0101',
    line: 7,
    column: 3,
    says: 'Referenced selector not found: "istio=ingress-gateway"',
  },
  {
    name: 'Gateway port the gateway Service does not expose',
    text: 'apiVersion: networking.istio.io/v1\nkind: Gateway\nmetadata:\n  name: gw\n  namespace: shop\nspec:\n  selector:\n    istio: ingressgateway\n  servers:\n    - port:\n        number: 8088\n        name: http\n        protocol: HTTP\n      hosts: ["*"]\n',
    code: 'IST0162',
    line: 11,
    column: 17,
    says: 'port 8088',
  },
  {
    name: 'Service port name outside the naming convention',
    text: 'apiVersion: v1\nkind: Service\nmetadata:\n  name: reviews\n  namespace: shop\nspec:\n  selector: {app: reviews}\n  ports:\n    - name: web\n      port: 80\n',
    code: 'IST0118',
    line: 9,
    column: 13,
    severity: 'info',
    says: 'Port name web (port: 80, targetPort: 80)',
  },
  {
    name: 'EnvoyFilter with a relative patch operation and no priority',
    text: 'apiVersion: networking.istio.io/v1alpha3\nkind: EnvoyFilter\nmetadata:\n  name: rl\n  namespace: shop\nspec:\n  configPatches:\n    - applyTo: HTTP_FILTER\n      patch:\n        operation: INSERT_BEFORE\n        value: {name: envoy.filters.http.local_ratelimit}\n',
    code: 'IST0151',
    line: 8,
    column: 7,
    severity: 'warning',
    says: 'does not have a priority',
  },
  {
    name: 'appProtocol Istio does not know',
    text: 'apiVersion: v1\nkind: Service\nmetadata:\n  name: reviews\n  namespace: shop\nspec:\n  selector: {app: reviews}\n  ports:\n    - name: web\n      port: 80\n      appProtocol: rest\n',
    code: 'PRK003',
    line: 11,
    column: 20,
  },
  {
    name: 'Deployment without a version label',
    text: 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ratings\n  namespace: shop\nspec:\n  selector:\n    matchLabels: {app: ratings}\n  template:\n    metadata:\n      labels:\n        app: ratings\n    spec:\n      containers: [{name: r, image: fake}]\n',
    code: 'PRK004',
    line: 11,
    column: 7,
    says: 'метки version',
  },
  {
    name: 'namespace without sidecar injection for workloads in the mesh',
    text: `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n---\n${vs('  hosts: [reviews]\n  http:\n    - route:\n        - destination: {host: reviews}\n')}`,
    code: 'IST0102',
    line: 3,
    severity: 'warning',
    says: "kubectl label namespace shop istio-injection=enabled",
  },
  {
    name: 'invalid RE2 regular expression in a match',
    text: vs('  hosts: [reviews]\n  http:\n    - match:\n        - uri:\n            regex: "/v(?=2)"\n      route:\n        - destination: {host: reviews}\n'),
    code: 'IST0122',
    line: 11,
    column: 20,
    says: 'regular expression invalid: "/v(?=2)"',
  },
  {
    name: 'regular expression that does not parse',
    text: vs('  hosts: [reviews]\n  http:\n    - match:\n        - headers:\n            end-user:\n              regex: "jas(on"\n      route:\n        - destination: {host: reviews}\n'),
    code: 'IST0122',
    line: 12,
  },
  {
    name: 'misspelled Istio annotation',
    text: 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ratings\n  namespace: shop\nspec:\n  selector:\n    matchLabels: {app: ratings}\n  template:\n    metadata:\n      labels: {app: ratings, version: v1}\n      annotations:\n        sidecar.istio.io/injet: "false"\n    spec:\n      containers: [{name: r, image: fake}]\n',
    code: 'IST0108',
    line: 13,
    column: 9,
    says: 'sidecar.istio.io/inject',
  },
  {
    name: 'Service that selects no pods',
    text: 'apiVersion: v1\nkind: Service\nmetadata:\n  name: ratings\n  namespace: shop\nspec:\n  selector:\n    app: ratings\n  ports:\n    - name: http\n      port: 80\n',
    code: 'PRK005',
    line: 7,
  },
  {
    name: 'destination without a port on a multi-port Service',
    text: `apiVersion: v1\nkind: Service\nmetadata:\n  name: multi\n  namespace: shop\nspec:\n  selector: {app: reviews}\n  ports:\n    - {name: http, port: 80}\n    - {name: http-admin, port: 8080}\n---\n${vs('  hosts: [multi]\n  http:\n    - route:\n        - destination:\n            host: multi\n')}`,
    code: 'IST0112',
    line: 22,
  },
];

describe('cross-resource analysis', () => {
  it.each(cases)('$name → $code at line $line', ({ text, code, line, column, severity, says }) => {
    const r = validateText(text, { context });
    const d = r.diagnostics.find((x) => x.code === code);
    expect(d, JSON.stringify(r.diagnostics.map((x) => [x.code, x.range?.start.line, x.message]))).toBeDefined();
    expect(d!.range!.start.line).toBe(line);
    if (column !== undefined) expect(d!.range!.start.column).toBe(column);
    if (severity) expect(d!.severity).toBe(severity);
    if (says) expect(`${d!.message} ${d!.original ?? ''}`).toContain(says);
    expect(d!.explanation).toMatch(/[а-яё]/i);
    expect(d!.link).toMatch(/^\/docs\//);
    // nothing about the healthy context
    expect(r.diagnostics.every((x) => x.documentIndex !== undefined)).toBe(true);
  });
});

describe('no false alarms', () => {
  const clean: Array<{ name: string; text: string }> = [
    { name: 'the shop itself', text: SHOP },
    { name: 'short host names in the rule namespace', text: vs('  hosts: [reviews]\n  http:\n    - route:\n        - destination: {host: reviews, subset: v1}\n          weight: 75\n        - destination: {host: reviews, subset: v2}\n          weight: 25\n') },
    { name: 'fully qualified host, ns/gateway reference, wildcard gateway host', text: `apiVersion: networking.istio.io/v1\nkind: Gateway\nmetadata: {name: wild, namespace: shop}\nspec:\n  selector: {istio: ingressgateway}\n  servers:\n    - port: {number: 443, name: https, protocol: HTTPS}\n      hosts: ["*.example.com"]\n      tls: {mode: SIMPLE, credentialName: cert}\n---\n${vs('  hosts: [api.example.com]\n  gateways: [shop/wild]\n  http:\n    - route:\n        - destination: {host: reviews.shop.svc.cluster.local, port: {number: 80}}\n')}` },
    { name: 'a ServiceEntry host with a wildcard', text: `apiVersion: networking.istio.io/v1\nkind: ServiceEntry\nmetadata: {name: ext, namespace: shop}\nspec:\n  hosts: ["*.httpbin.org"]\n  ports: [{number: 443, name: tls, protocol: TLS}]\n  resolution: NONE\n---\n${vs('  hosts: [api.httpbin.org]\n  tls:\n    - match: [{port: 443, sniHosts: [api.httpbin.org]}]\n      route:\n        - destination: {host: api.httpbin.org}\n')}` },
    { name: 'exportTo "." separates VirtualServices of one host', text: `${vs('  exportTo: ["."]\n  hosts: [reviews.shop.svc.cluster.local]\n  http:\n    - route:\n        - destination: {host: reviews}\n')}---\n${vs('  exportTo: ["."]\n  hosts: [reviews.shop.svc.cluster.local]\n  http:\n    - route:\n        - destination: {host: reviews.shop.svc.cluster.local}\n').replace('namespace: shop', 'namespace: other')}` },
    { name: 'valid RE2 with named groups and flags', text: vs('  hosts: [reviews]\n  http:\n    - match:\n        - uri: {regex: "(?i)/v(?P<n>[0-9]+)/.*"}\n      route:\n        - destination: {host: reviews}\n') },
    { name: 'a replacement manifest of the same VirtualService', text: `${vs('  hosts: [reviews]\n  http:\n    - route:\n        - destination: {host: reviews}\n')}---\n${vs('  hosts: [reviews]\n  http:\n    - route:\n        - destination: {host: reviews, subset: v2}\n')}` },
  ];
  it.each(clean)('$name', ({ text }) => {
    const r = validateText(text, { context });
    expect(r.diagnostics.map((d) => `${d.code} ${d.range?.start.line} ${d.message}`)).toEqual([]);
  });
});

describe('silencing a rule for one manifest', () => {
  const broken = (meta: string) => vs('  hosts: [reviews]\n  http:\n    - route:\n        - destination: {host: reviewz}\n          weight: 90\n        - destination: {host: reviews}\n          weight: 20\n', meta);

  it('galley.istio.io/analyze-suppress silences listed codes on that object only', () => {
    const r = validateText(broken('  annotations:\n    galley.istio.io/analyze-suppress: "IST0101"\n'), { context });
    expect(r.diagnostics.map((d) => d.code)).toEqual(['PRK001']);
  });

  it('"*" silences every analyzer code, never schema errors', () => {
    const text = broken('  annotations:\n    galley.istio.io/analyze-suppress: "*"\n').replace('hosts: [reviews]', 'hosts: [reviews]\n  hostz: []');
    const r = validateText(text, { context });
    expect(r.diagnostics.map((d) => d.code)).toEqual(['K8S003']);
  });

  it('--suppress silences a code everywhere', () => {
    const r = validateText(broken(''), { context, suppress: ['IST0101', 'prk001'] });
    expect(r.diagnostics).toEqual([]);
  });
});

describe('the sandbox API: analysis over cluster objects', () => {
  it('reports with resource references and formats like istioctl analyze', () => {
    const objects = [...parseManifests(SHOP), ...parseManifests(vs('  hosts: [shop.example.com]\n  gateways: [missing]\n  http:\n    - route:\n        - destination: {host: reviews}\n'))];
    const ds = analyzeObjects(objects, { baseline: 'istio-default' });
    const d = ds.find((x) => x.code === 'IST0101')!;
    expect(d.range).toBeUndefined();
    expect(d.path).toEqual(['spec', 'gateways', 0]);
    expect(d.resource).toMatchObject({ kind: 'VirtualService', name: 'reviews', namespace: 'shop' });
    expect(formatIstioctl(d)).toBe('Error [IST0101] (VirtualService reviews.shop) Referenced gateway not found: "missing"');
  });

  it('without a baseline the gateway workload must be among the objects', () => {
    const ds = analyzeObjects(parseManifests(SHOP));
    expect(ds.map((d) => formatIstioctl(d))).toContain('Error [IST0101] (Gateway shop-gateway.shop) Referenced selector not found: "istio=ingressgateway"');
  });
});
