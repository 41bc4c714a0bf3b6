/**
 * Benchmark of src/validation: the time to validate a generated 1000-line multi-document file
 * (syntax + schema + Istio's webhook rules + cross-resource analysis), in Node, twice: all Istio
 * objects in v1, and the same file with its Istio objects spread over v1, v1beta1 and v1alpha3
 * (each version validated against its own schema). Target: under 50 ms each.
 *
 *   npx tsx scripts/bench-validation.ts [--lines=1000] [--runs=30] [--json]
 */
import { validateText } from '../src/validation/index';

function arg(name: string, def: number): number {
  const a = process.argv.find((x) => x.startsWith(`--${name}=`));
  return a ? Number(a.split('=')[1]) : def;
}

/** One "service" worth of manifests: Deployment, Service, DestinationRule, VirtualService (~70 lines). */
function service(i: number, multiVersion = false): string {
  const name = `svc-${i}`;
  const net = multiVersion ? ['v1', 'v1beta1', 'v1alpha3'][i % 3] : 'v1';
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}-v1
  namespace: bench
spec:
  replicas: 2
  selector:
    matchLabels: {app: ${name}, version: v1}
  template:
    metadata:
      labels: {app: ${name}, version: v1}
    spec:
      containers:
        - name: app
          image: nicholasjackson/fake-service:v0.26.2
          ports:
            - name: http
              containerPort: 9090
          env:
            - name: NAME
              value: ${name}
          resources:
            requests: {cpu: 10m, memory: 32Mi}
---
apiVersion: v1
kind: Service
metadata:
  name: ${name}
  namespace: bench
spec:
  selector:
    app: ${name}
  ports:
    - name: http
      port: 80
      targetPort: 9090
---
apiVersion: networking.istio.io/${net}
kind: DestinationRule
metadata:
  name: ${name}
  namespace: bench
spec:
  host: ${name}.bench.svc.cluster.local
  trafficPolicy:
    loadBalancer:
      simple: ROUND_ROBIN
    connectionPool:
      tcp: {maxConnections: 10}
  subsets:
    - name: v1
      labels: {version: v1}
---
apiVersion: networking.istio.io/${net}
kind: VirtualService
metadata:
  name: ${name}
  namespace: bench
spec:
  hosts:
    - ${name}
  http:
    - match:
        - uri:
            prefix: /api
        - headers:
            x-user:
              regex: "^(alice|bob)$"
      route:
        - destination:
            host: ${name}
            subset: v1
      timeout: 5s
      retries: {attempts: 3, perTryTimeout: 2s}
    - route:
        - destination:
            host: ${name}
`;
}

export function generateManifests(lines: number, multiVersion = false): string {
  let text = 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: bench\n  labels:\n    istio-injection: enabled\n';
  let i = 0;
  while (text.split('\n').length < lines) text += `---\n${service(i++, multiVersion)}`;
  return text.split('\n').slice(0, lines).join('\n').replace(/\n[^\n]*$/, '\n');
}

function measure(lines: number, runs: number, multiVersion: boolean) {
  // Whole documents only: cut at the first document boundary at or after `lines`.
  let text = generateManifests(lines + 120, multiVersion);
  const head = text.split('\n').slice(0, lines).join('\n');
  const cut = text.indexOf('\n---\n', head.length);
  text = `${text.slice(0, cut < 0 ? text.length : cut)}\n`;
  const actualLines = text.split('\n').length - 1;
  const docs = text.split('\n---\n').length;

  const first = validateText(text);
  const errors = first.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length) {
    console.error('the generated file is not clean:', errors.slice(0, 3).map((d) => `${d.range?.start.line}: ${d.code} ${d.message}`));
    process.exit(1);
  }
  for (let w = 0; w < 5; w++) validateText(text);
  const times: number[] = [];
  for (let r = 0; r < runs; r++) {
    const t = performance.now();
    validateText(text);
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  const median = times[Math.floor(times.length / 2)];
  const p95 = times[Math.min(times.length - 1, Math.floor(times.length * 0.95))];
  const result = { versions: multiVersion ? 'v1+v1beta1+v1alpha3' : 'v1', lines: actualLines, documents: docs, runs, firstRunMs: 0, medianMs: +median.toFixed(2), p95Ms: +p95.toFixed(2), minMs: +times[0].toFixed(2), targetMs: 50 };
  const t0 = performance.now();
  validateText(text.replace(/svc-/g, 'svd-'));
  result.firstRunMs = +(performance.now() - t0).toFixed(2);
  return result;
}

function main(): void {
  const lines = arg('lines', 1000);
  const runs = arg('runs', 30);
  const results = [measure(lines, runs, false), measure(lines, runs, true)];
  if (process.argv.includes('--json')) console.log(JSON.stringify(results.length === 1 ? results[0] : results));
  else
    for (const result of results)
      console.log(
        `validation of a ${result.lines}-line file with ${result.documents} documents (Istio ${result.versions}): median ${result.medianMs} ms, p95 ${result.p95Ms} ms, min ${result.minMs} ms over ${runs} runs (target < 50 ms) ${result.medianMs < 50 ? 'OK' : 'SLOW'}`,
      );
  if (results.some((r) => r.medianMs >= 50)) process.exitCode = 1;
}

main();
