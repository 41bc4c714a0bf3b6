/**
 * httpbin (kennethreitz/httpbin, mccutchen/go-httpbin, and httpbin.org in the outside world):
 * /get, /headers, /ip, /user-agent, /status/{code}, /delay/{s}, /anything.
 */
import type { HttpRequest, HttpResponse } from '../network/http';
import { splitPathQuery } from '../network/http';
import { json, type Workload, type WorkloadContext } from './types';

function titleCase(h: string): string {
  return h
    .split('-')
    .map((p) => (p ? p[0].toUpperCase() + p.slice(1) : p))
    .join('-');
}

export interface HttpbinOptions {
  /** Host name used in "url" (httpbin.org reports the Host header). */
  public: boolean;
  /**
   * mccutchen/go-httpbin v2 reports each header as a list of values ("Accept": ["text/html"]), as Go's
   * http.Header is (go-httpbin httpbin/responses.go: Headers http.Header); kennethreitz/httpbin as a string.
   */
  headerLists?: boolean;
}

export function httpbinRespond(req: HttpRequest, clientIp: string, opts: HttpbinOptions): HttpResponse {
  const { pathname, query } = splitPathQuery(req.path);
  const headers: Record<string, string> = { Host: req.authority };
  for (const [k, v] of Object.entries(req.headers)) {
    if (k === 'x-envoy-peer-metadata' || k === 'x-envoy-peer-metadata-id') continue;
    headers[titleCase(k)] = v;
  }
  if (opts.public) headers['X-Amzn-Trace-Id'] = `Root=1-${Math.floor(Date.UTC(2025, 0, 15) / 1000).toString(16)}-${'0'.repeat(24)}`;
  const sorted: Record<string, string | string[]> = {};
  for (const k of Object.keys(headers).sort()) sorted[k] = opts.headerLists ? [headers[k]] : headers[k];
  const url = `${req.scheme}://${req.authority}${req.path}`;
  const args: Record<string, string> = query;
  const base = 1 + (req.path.length % 3);
  let m: RegExpMatchArray | null;
  if (pathname === '/get' || pathname === '/anything' || pathname.startsWith('/anything/'))
    return json(200, { args, headers: sorted, ...(pathname === '/get' ? {} : { method: req.method, data: req.body }), origin: clientIp, url }, base);
  if (pathname === '/headers') return json(200, { headers: sorted }, base);
  if (pathname === '/ip') return json(200, { origin: clientIp }, base);
  if (pathname === '/user-agent') return json(200, { 'user-agent': req.headers['user-agent'] ?? '' }, base);
  if ((m = pathname.match(/^\/status\/(\d{3})$/))) {
    const code = Number(m[1]);
    const body = code === 418 ? '\n    -=[ teapot ]=-\n\n       _...._\n     .\'  _ _ `.\n    | ."` ^ `". _,\n    \\_;`"---"`|//\n      |       ;/\n      \\_     _/\n        `"""`\n' : '';
    return { status: code, headers: { 'content-type': 'text/html; charset=utf-8', 'content-length': String(body.length) }, body, durationMs: base };
  }
  if ((m = pathname.match(/^\/delay\/(\d+(?:\.\d+)?)$/))) {
    const s = Math.min(10, Number(m[1]));
    return json(200, { args, data: '', files: {}, form: {}, headers: sorted, origin: clientIp, url }, base + s * 1000);
  }
  if (pathname === '/' || pathname === '') {
    const body = '<!DOCTYPE html>\n<html lang="en">\n<head><title>httpbin.org</title></head>\n<body>A simple HTTP Request &amp; Response Service.</body>\n</html>\n';
    return { status: 200, headers: { 'content-type': 'text/html; charset=utf-8', 'content-length': String(body.length) }, body, durationMs: base };
  }
  const body = '<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 3.2 Final//EN">\n<title>404 Not Found</title>\n<h1>Not Found</h1>\n<p>The requested URL was not found on the server.  If you entered the URL manually please check your spelling and try again.</p>\n';
  return { status: 404, headers: { 'content-type': 'text/html; charset=utf-8', 'content-length': String(body.length) }, body, durationMs: base };
}

export class Httpbin implements Workload {
  readonly ports: number[];
  constructor(
    port = 80,
    /** mccutchen/go-httpbin (logs each request) rather than kennethreitz/httpbin (gunicorn). */
    private readonly go = false,
  ) {
    this.ports = [port];
  }

  startupLog(_ctx: WorkloadContext, atMs: number): string[] {
    const t = new Date(atMs).toISOString().replace('Z', '');
    return this.go
      ? [`time="${t.slice(0, 23)}" msg="go-httpbin listening on http://0.0.0.0:${this.ports[0]}"`]
      : [`[${t.slice(0, 19).replace('T', ' ')} +0000] [1] [INFO] Starting gunicorn 19.9.0`, `[${t.slice(0, 19).replace('T', ' ')} +0000] [1] [INFO] Listening at: http://0.0.0.0:${this.ports[0]} (1)`];
  }

  handle(req: HttpRequest, _port: number, ctx: WorkloadContext, startMs: number): HttpResponse {
    // go-httpbin: the first X-Forwarded-For address, else the connection's remote address
    const xff = req.headers['x-forwarded-for'];
    const r = httpbinRespond(req, xff ? xff.split(',')[0].trim() : ctx.peer?.ip ?? '127.0.0.6', { public: false, headerLists: this.go });
    if (this.go) {
      // go-httpbin's request log (mccutchen/go-httpbin httpbin/middleware.go, StdLogObserver)
      // dateFmt "2006-01-02T15:04:05.9999": up to 4 fractional digits, trailing zeros dropped
      const end = startMs + r.durationMs;
      const t = `${new Date(end).toISOString().slice(0, 19)}${`.${String(Math.floor((end % 1000) * 10)).padStart(4, '0')}`.replace(/\.?0+$/, '')}`;
      ctx.log(`time="${t}" status=${r.status} method="${req.method}" uri="${req.path}" size_bytes=${r.body.length} duration_ms=${r.durationMs.toFixed(2)} user_agent="${req.headers['user-agent'] ?? ''}" client_ip=${xff ? xff.split(',')[0].trim() : ctx.peer?.ip ?? '127.0.0.6'}`, startMs + r.durationMs);
    }
    return r;
  }
}
