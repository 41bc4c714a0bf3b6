/**
 * nicholasjackson/fake-service: answers every path with a JSON document describing itself,
 * after calling each of UPSTREAM_URIS in turn (through the pod's sidecar, like the real
 * container whose traffic iptables redirects) and nesting their answers under upstream_calls.
 *
 * Environment: NAME (default "Service"), MESSAGE ("Hello World"), UPSTREAM_URIS,
 * LISTEN_ADDR ("0.0.0.0:9090"), ERROR_RATE (0..1), ERROR_CODE (500), ERROR_TYPE
 * (http_error | delay), ERROR_DELAY, TIMING_50_PERCENTILE/_90/_99, HTTP_CLIENT_APPEND_REQUEST (true).
 */
import { parseDuration } from '../controllers/istiod/istioTypes';
import type { HttpRequest, HttpResponse } from '../network/http';
import { httpDate, isNetError, reasonPhrase, splitPathQuery } from '../network/http';
import { goDuration, goMicroTime, type Workload, type WorkloadContext } from './types';

interface FakeResponse {
  name?: string;
  uri?: string;
  type?: string;
  ip_addresses?: string[];
  start_time?: string;
  end_time?: string;
  duration?: string;
  headers?: Record<string, string>;
  body?: unknown;
  upstream_calls?: Record<string, FakeResponse>;
  code: number;
  error?: string;
}

/** Go's encoding/json: map keys sorted, struct fields in declaration order, HTML escaped, 2-space indent. */
function goJson(r: FakeResponse): string {
  const order: (keyof FakeResponse)[] = ['name', 'uri', 'type', 'ip_addresses', 'start_time', 'end_time', 'duration', 'headers', 'body', 'upstream_calls', 'code', 'error'];
  const norm = (x: FakeResponse): Record<string, unknown> => {
    const o: Record<string, unknown> = {};
    for (const k of order) {
      const v = x[k];
      if (v === undefined || (k !== 'code' && (v === '' || (Array.isArray(v) && v.length === 0)))) continue;
      if (k === 'upstream_calls' && v && typeof v === 'object') {
        const m: Record<string, unknown> = {};
        for (const key of Object.keys(v).sort()) m[key] = norm((v as Record<string, FakeResponse>)[key]);
        o[k] = m;
      } else if (k === 'headers' && v && typeof v === 'object') {
        const m: Record<string, unknown> = {};
        for (const key of Object.keys(v).sort()) m[key] = (v as Record<string, string>)[key];
        o[k] = m;
      } else o[k] = v;
    }
    return o;
  };
  return JSON.stringify(norm(r), null, 2).replace(/[<>&]/g, (c) => `\\u00${c.charCodeAt(0).toString(16)}`) + '\n';
}

function canonicalHeader(h: string): string {
  return h
    .split('-')
    .map((p) => (p ? p[0].toUpperCase() + p.slice(1).toLowerCase() : p))
    .join('-');
}

function parseMessage(m: string): unknown {
  const t = m.trimStart();
  if (!t.startsWith('{') && !t.startsWith('[')) return m;
  try {
    const v: unknown = JSON.parse(m);
    if (typeof v === 'object' && v !== null) return v;
  } catch {
    /* plain text */
  }
  return m;
}

export class FakeService implements Workload {
  readonly ports: number[];
  private requestCount = 0;
  constructor(private readonly env: Record<string, string>) {
    const addr = env.LISTEN_ADDR ?? '0.0.0.0:9090';
    this.ports = [Number(addr.split(':').pop()) || 9090];
  }

  startupLog(_ctx: WorkloadContext, atMs: number): string[] {
    const t = new Date(atMs).toISOString().replace(/\.(\d{3})Z$/, '.$1Z');
    const e = this.env;
    return [
      `${t} [INFO]  Using seed: seed=${Math.floor(atMs / 1000)}`,
      `${t} [INFO]  Adding handler for UI static files`,
      `${t} [INFO]  Settings CORS options: allow_creds=false allow_headers=Accept,Accept-Language,Content-Language,Origin,Content-Type allow_origins=*`,
      `${t} [INFO]  Started service: name=${e.NAME ?? 'Service'} upstreamURIs=${e.UPSTREAM_URIS ?? ''} upstreamWorkers=1 listenAddress=${e.LISTEN_ADDR ?? '0.0.0.0:9090'}`,
    ];
  }

  private timing(ctx: WorkloadContext): number {
    const p50 = parseDuration(this.env.TIMING_50_PERCENTILE) ?? 0;
    const p90 = parseDuration(this.env.TIMING_90_PERCENTILE) ?? p50;
    const p99 = parseDuration(this.env.TIMING_99_PERCENTILE) ?? p90;
    const x = ctx.rng.next();
    const base = x < 0.5 ? p50 : x < 0.9 ? p90 : x < 0.99 ? p99 : p99;
    const variance = Number(this.env.TIMING_VARIANCE ?? '0') / 100;
    return base * (1 + (ctx.rng.next() * 2 - 1) * variance);
  }

  handle(req: HttpRequest, _port: number, ctx: WorkloadContext, startMs: number): HttpResponse {
    const { pathname } = splitPathQuery(req.path);
    if (pathname === '/health') return this.text(200, 'OK', 0.05);
    if (pathname === '/ready') return this.text(200, 'OK', 0.05);
    this.requestCount++;
    const name = this.env.NAME ?? 'Service';
    let elapsed = 0.3 + ctx.rng.next() * 1.2;
    // hclog prints multi-line values as an indented block
    const reqLines = [`${req.method} ${req.path} ${req.protocol ?? 'HTTP/1.1'}`, `Host: ${req.authority}`, ...Object.entries(req.headers).map(([k, v]) => `${k}: ${v}`)];
    ctx.log(`${new Date(startMs).toISOString()} [INFO]  Handle inbound request:\n  request=\n${reqLines.map((l) => `  | ${l}`).join('\n')}\n`, startMs);
    const out: FakeResponse = { name, uri: pathname || '/', type: 'HTTP', ip_addresses: [ctx.pod.ip], code: 200 };

    const errorRate = Number(this.env.ERROR_RATE ?? '0');
    const errorType = this.env.ERROR_TYPE ?? 'http_error';
    const inject = errorRate > 0 && ctx.rng.next() < errorRate;
    if (inject && errorType === 'delay') elapsed += parseDuration(this.env.ERROR_DELAY) ?? 0;
    elapsed += this.timing(ctx);

    const uris = (this.env.UPSTREAM_URIS ?? '').split(',').map((u) => u.trim()).filter(Boolean);
    const append = (this.env.HTTP_CLIENT_APPEND_REQUEST ?? 'true') !== 'false';
    let upstreamFailed: string | undefined;
    if (uris.length) out.upstream_calls = {};
    for (const uri of uris) {
      let target = uri;
      const headers: Record<string, string> = {};
      if (append) {
        if (pathname && pathname !== '/') target = uri.replace(/\/$/, '') + pathname;
        const qs = req.path.includes('?') ? req.path.slice(req.path.indexOf('?')) : '';
        target += qs;
        // fake-service's client/http.go appendHeaders copies every header of the incoming request (Go keeps Host
        // out of the header map), so the caller's User-Agent and Accept travel upstream too. Envoy's own
        // x-envoy-*, XFCC and x-forwarded-proto are set afresh by the outbound sidecar.
        for (const [k, v] of Object.entries(req.headers))
          if (k !== 'host' && k !== 'content-length' && !k.startsWith('x-envoy') && k !== 'x-forwarded-client-cert' && k !== 'x-forwarded-proto') headers[k] = v;
      }
      // Go's http.Transport adds these when the request has none (net/http: defaultUserAgent, DisableCompression).
      headers['user-agent'] ??= 'Go-http-client/1.1';
      headers['accept-encoding'] ??= 'gzip';
      const callStart = startMs + elapsed;
      ctx.log(`${new Date(callStart).toISOString()} [INFO]  Calling upstream service: uri=${uri} type=HTTP`, callStart);
      const r = ctx.fetch(target, { method: 'GET', headers }, callStart);
      ctx.log(`${new Date(callStart + r.durationMs).toISOString()} [${isNetError(r) || r.status !== 200 ? 'ERROR' : 'INFO'}]  ${isNetError(r) ? `Error communicating with upstream service: uri=${uri} error="${r.message}"` : `Received response from upstream: uri=${uri} code=${r.status}`}`, callStart + r.durationMs);
      elapsed += r.durationMs;
      let entry: FakeResponse;
      if (isNetError(r)) {
        entry = { uri, code: -1, error: `Error communicating with upstream service: Get "${target}": ${r.message}` };
        upstreamFailed ??= uri;
      } else {
        let parsed: FakeResponse | undefined;
        try {
          const v: unknown = JSON.parse(r.body);
          if (typeof v === 'object' && v !== null && 'code' in v) parsed = v as FakeResponse;
        } catch {
          parsed = undefined;
        }
        entry = parsed ? { ...parsed, uri } : { uri, code: r.status };
        entry.headers = {};
        for (const [k, v] of Object.entries(r.headers)) entry.headers[canonicalHeader(k)] = v;
        if (!entry.headers.Date) entry.headers.Date = httpDate(callStart + r.durationMs);
        entry.code = r.status;
        if (r.status !== 200) {
          entry.error = entry.error ?? `Error processing upstream request: ${target}/, expected code 200, got ${r.status}`;
          upstreamFailed ??= target;
        }
      }
      out.upstream_calls![uri] = entry;
    }
    const end = startMs + elapsed;
    out.start_time = goMicroTime(startMs);
    out.end_time = goMicroTime(end);
    out.duration = goDuration(elapsed);
    if (upstreamFailed) {
      out.code = 500;
      out.error = `Error processing upstream request: ${upstreamFailed}/`;
    } else if (inject && errorType === 'http_error') {
      out.code = Number(this.env.ERROR_CODE ?? '500');
      out.error = 'Service error automatically injected';
    } else out.body = parseMessage(this.env.MESSAGE ?? 'Hello World');
    const body = goJson(out);
    ctx.log(`${new Date(end).toISOString()} [INFO]  Finished handling request: duration=${goDuration(elapsed)}`, end);
    return {
      status: out.code > 0 ? out.code : 500,
      headers: { date: httpDate(end), 'content-length': String(body.length), 'content-type': 'text/plain; charset=utf-8' },
      body,
      durationMs: elapsed,
    };
  }

  private text(status: number, body: string, ms: number): HttpResponse {
    return { status, headers: { 'content-type': 'text/plain; charset=utf-8', 'content-length': String(body.length) }, body, durationMs: ms };
  }
}

export { reasonPhrase };
