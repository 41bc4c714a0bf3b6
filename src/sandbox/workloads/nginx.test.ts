/** The nginx image: which ports its configuration opens and what a client sees on each. */
import { describe, expect, it } from 'vitest';
import type { HttpRequest, HttpResult } from '../network/http';
import { Nginx } from './nginx';
import type { WorkloadContext } from './types';
import { mountedFiles } from './volumes';

const ctx = (logs: string[]): WorkloadContext =>
  ({ pod: { name: 'p', namespace: 'default', ip: '10.0.0.1', labels: {} }, env: {}, rng: { next: () => 0.5, int: () => 0 }, peer: { ip: '127.0.0.6', port: 1 }, fetch: () => ({ error: 'ECONNREFUSED', message: '', durationMs: 0 }), log: (l: string) => logs.push(l) }) as unknown as WorkloadContext;

const req = (tls: boolean): HttpRequest => ({ method: 'GET', scheme: tls ? 'https' : 'http', authority: 'nginx.example.com', path: '/', headers: { 'user-agent': 'curl/8.5.0' }, body: '', ...(tls ? { sni: 'nginx.example.com', tlsOnWire: true } : {}) });

const TLS_CONF = 'events {}\nhttp {\n  server {\n    listen 443 ssl;\n    server_name nginx.example.com;\n    ssl_certificate /etc/certs/tls.crt;\n  }\n}\n';

/** What a client sees: status, the presented certificate, the ALPN, or the connection error. */
function seen(r: HttpResult): string {
  if ('error' in r) return `${r.error} ${r.message}`;
  return [String(r.status), r.tls ? `tls:${r.tls.certificate}` : 'plain', r.tls?.alpn ?? ''].join(' ').trim();
}

describe('nginx (docker.io/library/nginx)', () => {
  it.each([
    ['the image config: plain HTTP on 80', {}, [], 80, false, '200 plain'],
    ['the image config: TLS on 80 is no TLS server (the client reads "wrong version number")', {}, [], 80, true, 'ECONNRESET wrong version number'],
    ['listen 443 ssl: TLS gets the certificate file, over http/1.1', { '/etc/nginx/nginx.conf': TLS_CONF, '/etc/certs/tls.crt': 'CERT' }, ['/etc/nginx'], 443, true, '200 tls:CERT http/1.1'],
    ['listen 443 ssl http2: h2 is offered', { '/etc/nginx/nginx.conf': TLS_CONF.replace('ssl;', 'ssl http2;'), '/etc/certs/tls.crt': 'CERT' }, ['/etc/nginx'], 443, true, '200 tls:CERT'],
    ['listen 443 ssl: plain HTTP gets nginx\'s 400', { '/etc/nginx/nginx.conf': TLS_CONF, '/etc/certs/tls.crt': 'CERT' }, ['/etc/nginx'], 443, false, '400 plain'],
    ['a mounted /etc/nginx hides the image\'s conf.d: nothing on 80', { '/etc/nginx/nginx.conf': TLS_CONF, '/etc/certs/tls.crt': 'CERT' }, ['/etc/nginx'], 80, false, 'ECONNREFUSED Connection refused'],
  ] as const)('%s', (_name, files, mounts, port, tls, want) => {
    const n = new Nginx({ ...files }, [...mounts]);
    const r = n.ports.includes(port) ? n.handle(req(tls), port, ctx([]), 0) : { error: 'ECONNREFUSED' as const, message: 'Connection refused', durationMs: 0 };
    expect(seen(r)).toBe(want);
  });

  it('a TLS server whose certificate file is not mounted does not start: its port stays closed', () => {
    expect(new Nginx({ '/etc/nginx/nginx.conf': TLS_CONF }, ['/etc/nginx']).ports).toEqual([]);
  });

  it('logs each request with the configured log_format', () => {
    const logs: string[] = [];
    const conf = TLS_CONF.replace('http {', `http {\n  log_format main '$remote_addr - $remote_user [$time_local]  $status '\n  '"$request" $body_bytes_sent "$http_referer" '\n  '"$http_user_agent" "$http_x_forwarded_for"';\n  access_log /var/log/nginx/access.log main;`);
    new Nginx({ '/etc/nginx/nginx.conf': conf, '/etc/certs/tls.crt': 'CERT' }, ['/etc/nginx']).handle(req(true), 443, ctx(logs), Date.parse('2025-01-15T10:00:36Z'));
    expect(logs).toEqual(['127.0.0.6 - - [15/Jan/2025:10:00:36 +0000]  200 "GET / HTTP/1.1" 121 "-" "curl/8.5.0" "-"']);
  });
});

describe('configMap and secret volumes (mountedFiles)', () => {
  const spec = {
    containers: [{ name: 'web', volumeMounts: [{ name: 'conf', mountPath: '/etc/nginx' }, { name: 'certs', mountPath: '/etc/certs/' }, { name: 'one', mountPath: '/etc/app/app.conf', subPath: 'app.conf' }] }],
    volumes: [
      { name: 'conf', configMap: { name: 'nginx-configmap' } },
      { name: 'certs', secret: { secretName: 'tls', items: [{ key: 'tls.crt', path: 'server.crt' }] } },
      { name: 'one', configMap: { name: 'app' } },
    ],
  };
  it('projects every key, only the listed items of a secret (decoded), and a subPath file', () => {
    const m = mountedFiles(spec, 'web', {
      configMap: (n): Record<string, string> | undefined => ({ 'nginx-configmap': { 'nginx.conf': 'events {}' }, app: { 'app.conf': 'x=1', other: 'y' } } as Record<string, Record<string, string>>)[n],
      secret: (n) => (n === 'tls' ? { 'tls.crt': btoa('CERT'), 'tls.key': btoa('KEY') } : undefined),
    });
    expect(m.files).toEqual({ '/etc/nginx/nginx.conf': 'events {}', '/etc/certs/server.crt': 'CERT', '/etc/app/app.conf': 'x=1' });
    expect(m.mountPaths).toEqual(['/etc/nginx', '/etc/certs', '/etc/app/app.conf']);
  });
});
