/**
 * `kubectl port-forward` with the real kubectl v1.35.2 against the served sandbox: the WebSocket
 * tunnel kubectl tries first and the SPDY/3.1 upgrade it falls back to
 * (KUBECTL_PORT_FORWARD_WEBSOCKETS=false), real HTTP clients through the forwarded port, and the
 * kubelet's error when nothing listens in the pod.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { request } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RealClock } from '../../src/sandbox/core/clock';
import { kubeconfigFor } from '../../src/sandbox/http/kubeconfig';
import { serveSandbox, type ServedSandbox } from '../../src/sandbox/http/node';
import { Sandbox } from '../../src/sandbox/sandbox';
import { realKubectl, tempDir } from './realKubectl';

let sb: Sandbox;
let served: ServedSandbox;
let kubeconfig: string;
let bin: string;
let work: string;
const children: ChildProcess[] = [];

const EXAMPLES: Record<string, string> = Object.fromEntries(readdirSync('examples/gateway').map((f) => [`gateway/${f}`, readFileSync(join('examples/gateway', f), 'utf8')]));

beforeAll(async () => {
  bin = realKubectl();
  work = tempDir('sandbox-portforward-');
  sb = new Sandbox({ seed: 7, clock: new RealClock(), examples: EXAMPLES });
  served = await serveSandbox(sb, { token: 'pf-token', rateLimit: 10_000 });
  kubeconfig = join(work, 'kubeconfig');
  writeFileSync(kubeconfig, kubeconfigFor(served.url, 'pf-token', served.caPem));
  for (const f of ['namespace', 'web', 'gateway', 'virtual-service']) expect((await sb.exec(`kubectl apply -f examples/gateway/${f}.yaml`)).code).toBe(0);
  const ready = await sb.exec('kubectl wait --for=condition=Ready pod --all -n shop --timeout=60s');
  expect(ready.code, ready.stderr).toBe(0);
}, 90_000);

afterAll(async () => {
  for (const c of children) c.kill('SIGKILL');
  await served?.close();
});

interface Forward {
  port: number;
  child: ChildProcess;
  out: () => string;
  err: () => string;
  exited: Promise<number>;
}

/** Starts the real `kubectl port-forward … :REMOTE` and waits for its "Forwarding from" line. */
function portForward(args: string[], env: Record<string, string> = {}): Promise<Forward> {
  return new Promise((resolve, reject) => {
    const child = spawn(bin, ['--kubeconfig', kubeconfig, 'port-forward', ...args], { env: { PATH: process.env.PATH ?? '', HOME: work, ...env } });
    children.push(child);
    let out = '';
    let err = '';
    let settled = false;
    const exited = new Promise<number>((res) => child.on('close', (code) => res(code ?? -1)));
    const t = setTimeout(() => reject(new Error(`no "Forwarding from" line: ${out}${err}`)), 15_000);
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = out.match(/Forwarding from 127\.0\.0\.1:(\d+) -> (\d+)/);
      if (!m || settled) return;
      const done = (): void => {
        if (settled) return;
        settled = true;
        clearTimeout(t);
        resolve({ port: Number(m[1]), child, out: () => out, err: () => err, exited });
      };
      // the [::1] line comes in a write of its own: wait for it (or give up on it after 2 s)
      if (/Forwarding from \[::1\]:/.test(out)) done();
      else setTimeout(done, 2000);
    });
    child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  });
}

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

function get(port: number, path: string, headers: Record<string, string>, method = 'GET', body?: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method, headers, agent: false }, (res) => {
      let b = '';
      res.on('data', (c: Buffer) => (b += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: b }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('kubectl port-forward (the real binary) into the served sandbox', () => {
  for (const [transport, env] of [
    ['WebSocket tunnel', {}],
    ['SPDY/3.1 upgrade (KUBECTL_PORT_FORWARD_WEBSOCKETS=false)', { KUBECTL_PORT_FORWARD_WEBSOCKETS: 'false' }],
  ] as const) {
    it(`forwards HTTP to the ingress gateway's listener over the ${transport}`, async () => {
      const fw = await portForward(['-n', 'istio-system', 'service/istio-ingressgateway', ':80'], env);
      // kubectl maps the Service port to the pod's targetPort itself
      expect(fw.out()).toMatch(/^Forwarding from 127\.0\.0\.1:\d+ -> 8080\nForwarding from \[::1\]:\d+ -> 8080\n/);
      const a = await get(fw.port, '/through-port-forward', { Host: 'example.com' });
      expect(a.status).toBe(200);
      expect(a.headers.server).toBe('istio-envoy');
      expect(a.body).toContain('"body": "Hello from web"');
      // a body goes through too, and a host the Gateway does not serve is the gateway's 404 NR
      const posted = await get(fw.port, '/post', { Host: 'example.com', 'Content-Type': 'text/plain' }, 'POST', 'x'.repeat(70_000));
      expect(posted.status).toBe(200);
      expect((await get(fw.port, '/', { Host: 'other.example' })).status).toBe(404);
      // a request in absolute form (RFC 9112 §3.2.2), as a client talking to a proxy sends it
      expect((await get(fw.port, 'http://example.com/absolute-form', { Host: 'example.com' })).status).toBe(200);
      const log = await sb.exec('kubectl logs -n istio-system deploy/istio-ingressgateway --tail=4');
      expect(log.stdout).toMatch(/"GET \/absolute-form HTTP\/1\.1" 200 /);
      // the gateway sees the connection coming from localhost, as the kubelet dials it
      expect(log.stdout).toMatch(/"GET \/through-port-forward HTTP\/1\.1" 200 - via_upstream .* "example\.com" .* outbound\|80\|\|web\.shop\.svc\.cluster\.local .* 127\.0\.0\.1:\d+ - -/);
      expect(log.stdout).toMatch(/"POST \/post HTTP\/1\.1" 200 - via_upstream - "-" 70000 /);
      expect(log.stdout).toMatch(/"GET \/ HTTP\/1\.1" 404 NR route_not_found/);
      expect(fw.out()).toMatch(/Handling connection for \d+\n/);
      fw.child.kill('SIGINT');
      await fw.exited;
    }, 60_000);
  }

  it('terminates TLS on a forwarded HTTPS port with the credentialName secret, as the gateway lesson does it', async () => {
    // the lesson's commands in the sandbox's own terminal: openssl, the secret, the HTTPS Gateway
    for (const line of [
      'openssl req -x509 -newkey rsa:2048 -nodes -days 365 -subj "/CN=example.com" -addext "subjectAltName=DNS:example.com" -keyout example.com.key -out example.com.crt',
      'kubectl -n istio-system create secret tls example-com-cert --key=example.com.key --cert=example.com.crt',
      'kubectl apply -f examples/gateway/gateway-https.yaml',
    ])
      expect((await sb.exec(line)).code, line).toBe(0);
    const ca = (await sb.exec('cat example.com.crt')).stdout;
    const fw = await portForward(['-n', 'istio-system', 'service/istio-ingressgateway', ':443']);
    expect(fw.out()).toMatch(/-> 8443\n/);
    const https = (servername: string): Promise<Answer & { cert: string }> =>
      new Promise((resolve, reject) => {
        const req = httpsRequest({ host: '127.0.0.1', port: fw.port, path: '/tls', servername, ca, headers: { Host: `${servername}:${fw.port}` }, agent: false }, (res) => {
          let b = '';
          const cert = String((res.socket as import('node:tls').TLSSocket).getPeerCertificate().subject?.CN ?? '');
          res.on('data', (c: Buffer) => (b += c.toString()));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: b, cert }));
        });
        req.on('error', reject);
        req.end();
      });
    const a = await https('example.com');
    expect(a.status).toBe(200);
    expect(a.cert).toBe('example.com');
    expect(a.body).toContain('"name": "web"');
    // the SNI is in the gateway's access log, as Envoy's %REQUESTED_SERVER_NAME%
    expect((await sb.exec('kubectl logs -n istio-system deploy/istio-ingressgateway --tail=1')).stdout).toMatch(/"GET \/tls HTTP\/1\.1" 200 .* 127\.0\.0\.1:\d+ example\.com -\n/);
    // a name no filter chain serves: the gateway ends the handshake
    await expect(https('other.example')).rejects.toThrow();
    fw.child.kill('SIGINT');
    await fw.exited;
  }, 60_000);

  it('reports the kubelet\'s error when nothing listens on the port in the pod, and kubectl gives up', async () => {
    // nothing listens on the gateway pod's port 15443 (no Gateway server for it)
    const fw = await portForward(['-n', 'istio-system', 'deployment/istio-ingressgateway', ':15443']);
    expect(fw.out()).toMatch(/-> 15443\n/);
    await expect(get(fw.port, '/', { Host: 'example.com' })).rejects.toThrow(/socket hang up|ECONNRESET/);
    const code = await fw.exited;
    expect(code).toBe(1);
    expect(fw.err()).toMatch(
      /"Unhandled Error" err="an error occurred forwarding \d+ -> 15443: error forwarding port 15443 to pod [0-9a-f]{64}, uid : failed to execute portforward in network namespace \\"\/var\/run\/netns\/cni-[0-9a-f-]{36}\\": failed to connect to localhost:15443 inside namespace \\"[0-9a-f]{64}\\", IPv4: dial tcp4 127\.0\.0\.1:15443: connect: connection refused IPv6 dial tcp6 \[::1\]:15443: connect: connection refused "/,
    );
    expect(fw.err()).toMatch(/error: lost connection to pod\n?$/);
  }, 30_000);
});
