/**
 * Benchmark of the sandbox's Kubernetes API over HTTPS (src/sandbox/http):
 *   - `GET pods` as kubectl asks for it (Table, all namespaces) from 8 concurrent keep-alive
 *     clients: requests per second and p50/p99 latency;
 *   - the real `kubectl get pods -A` (v1.35.2, warm discovery cache): runs per second and p99
 *     of the whole process;
 *   - watch fan-out: 200 watchers on pods, 50 pod writes: events delivered per second and p99
 *     delay from the write to each watcher's receipt.
 *
 *   npx tsx scripts/bench-http.ts
 */
import { Agent, request } from 'node:https';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Sandbox } from '../src/sandbox/sandbox';
import { RealClock } from '../src/sandbox/core/clock';
import { serveSandbox } from '../src/sandbox/http/node';
import { kubeconfigFor } from '../src/sandbox/http/kubeconfig';
import { realKubectl, runKubectl, tempDir } from '../tests/conformance/realKubectl';

const TOKEN = 'bench-token';
const TABLE = 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json';

const pct = (xs: number[], p: number): number => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((xs.length * p) / 100))];

async function main(): Promise<void> {
  const sb = new Sandbox({ seed: 1, clock: new RealClock() });
  const served = await serveSandbox(sb, { token: TOKEN, rateLimit: 1_000_000 });
  const url = new URL(served.url);
  const agent = new Agent({ keepAlive: true, maxSockets: 64, ca: served.caPem });
  const call = (method: string, path: string, body?: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string }> =>
    new Promise((resolve, reject) => {
      const req = request({ host: url.hostname, port: url.port, method, path, agent, headers: { Authorization: `Bearer ${TOKEN}`, ...headers } }, (res) => {
        let b = '';
        res.on('data', (c: Buffer) => (b += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: b }));
      });
      req.on('error', reject);
      req.end(body);
    });

  // 1. GET pods (Table), 8 concurrent clients
  for (let i = 0; i < 200; i++) await call('GET', '/api/v1/pods?limit=500', undefined, { Accept: TABLE });
  const N = 4000;
  const lat: number[] = [];
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (next < N) {
        next++;
        const t = performance.now();
        const r = await call('GET', '/api/v1/pods?limit=500', undefined, { Accept: TABLE });
        if (r.status !== 200) throw new Error(`GET pods: ${r.status}`);
        lat.push(performance.now() - t);
      }
    }),
  );
  const secs = (performance.now() - t0) / 1000;
  const lines = [`GET /api/v1/pods as Table, 8 clients: ${Math.round(N / secs)} req/s, p50 ${pct(lat, 50).toFixed(2)} ms, p99 ${pct(lat, 99).toFixed(2)} ms`];

  // 2. the real kubectl get pods -A
  const dir = tempDir('sandbox-bench-');
  const kubeconfig = join(dir, 'kubeconfig');
  writeFileSync(kubeconfig, kubeconfigFor(served.url, TOKEN, served.caPem));
  const bin = realKubectl();
  const cacheDir = join(dir, 'cache');
  await runKubectl(bin, kubeconfig, ['get', 'pods', '-A'], { cacheDir });
  const runs: number[] = [];
  const k0 = performance.now();
  for (let i = 0; i < 20; i++) {
    const t = performance.now();
    const r = await runKubectl(bin, kubeconfig, ['get', 'pods', '-A'], { cacheDir });
    if (r.code !== 0) throw new Error(r.stderr);
    runs.push(performance.now() - t);
  }
  const kSecs = (performance.now() - k0) / 1000;
  lines.push(`real kubectl get pods -A (whole process, warm cache): ${(20 / kSecs).toFixed(1)} runs/s, p50 ${pct(runs, 50).toFixed(0)} ms, p99 ${pct(runs, 99).toFixed(0)} ms`);

  // 3. watch fan-out
  const W = 200;
  const WRITES = 50;
  const sentAt = new Map<string, number>();
  const delays: number[] = [];
  let received = 0;
  const start = JSON.parse((await call('GET', '/api/v1/namespaces/kube-system/pods')).body) as { metadata: { resourceVersion: string } };
  const watchers = await Promise.all(
    Array.from(
      { length: W },
      () =>
        new Promise<() => void>((resolve, reject) => {
          const req = request(
            { host: url.hostname, port: url.port, path: `/api/v1/namespaces/kube-system/pods?watch=true&resourceVersion=${start.metadata.resourceVersion}`, agent: new Agent({ ca: served.caPem }), headers: { Authorization: `Bearer ${TOKEN}` } },
            (res) => {
              let buf = '';
              res.on('data', (c: Buffer) => {
                buf += c.toString();
                let i;
                while ((i = buf.indexOf('\n')) >= 0) {
                  const ev = JSON.parse(buf.slice(0, i)) as { object: { metadata: { labels?: Record<string, string> } } };
                  buf = buf.slice(i + 1);
                  const at = sentAt.get(ev.object.metadata.labels?.bench ?? '');
                  if (at !== undefined) {
                    delays.push(performance.now() - at);
                    received++;
                  }
                }
              });
              resolve(() => req.destroy());
            },
          );
          req.on('error', reject);
          req.end();
        }),
    ),
  );
  const w0 = performance.now();
  for (let i = 0; i < WRITES; i++) {
    sentAt.set(String(i), performance.now());
    const r = await call('PATCH', '/api/v1/namespaces/kube-system/pods/etcd-sandbox', JSON.stringify({ metadata: { labels: { bench: String(i) } } }), { 'Content-Type': 'application/merge-patch+json' });
    if (r.status !== 200) throw new Error(`PATCH: ${r.status} ${r.body}`);
  }
  while (received < W * WRITES && performance.now() - w0 < 30_000) await new Promise((r) => setTimeout(r, 10));
  const wSecs = (performance.now() - w0) / 1000;
  lines.push(
    `watch fan-out, ${W} watchers × ${WRITES} writes: ${received}/${W * WRITES} events, ${Math.round(received / wSecs)} events/s, p50 ${pct(delays, 50).toFixed(1)} ms, p99 ${pct(delays, 99).toFixed(1)} ms from write to watcher`,
  );
  for (const stop of watchers) stop();
  agent.destroy();
  await served.close();
  process.stdout.write(`${lines.join('\n')}\n`);
  process.exit(0);
}

void main();
