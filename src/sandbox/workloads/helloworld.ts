/**
 * Istio's small sample servers (istio/istio samples/): helloworld (Flask app.py: GET /hello
 * answers "Hello version: <SERVICE_VERSION>, instance: <HOSTNAME>", /health), tcp-echo
 * (samples/tcp-echo/src/main.go: a TCP server that writes "<prefix> <line>" back; an HTTP
 * client gets that line instead of an HTTP response) and fortio's server (fortio/fortio
 * `fortio server`: 8080 echoes the request body back).
 */
import type { HttpRequest, HttpResponse, HttpResult } from '../network/http';
import { splitPathQuery } from '../network/http';
import type { Workload, WorkloadContext } from './types';

export class HelloWorld implements Workload {
  readonly ports = [5000];
  constructor(private readonly version: string) {}

  startupLog(): string[] {
    return [' * Serving Flask app \'app\'', ' * Debug mode: off'];
  }

  handle(req: HttpRequest, _port: number, ctx: WorkloadContext, startMs: number): HttpResponse {
    const { pathname } = splitPathQuery(req.path);
    const date = new Date(startMs).toUTCString().replace(/GMT$/, '').trim();
    const text = pathname === '/hello' ? `Hello version: ${ctx.env.SERVICE_VERSION ?? this.version}, instance: ${ctx.pod.name}\n` : pathname === '/health' ? 'Helloworld is healthy' : undefined;
    if (text === undefined) {
      const body = '<!doctype html>\n<html lang=en>\n<title>404 Not Found</title>\n<h1>Not Found</h1>\n<p>The requested URL was not found on the server. If you entered the URL manually please check your spelling and try again.</p>\n';
      ctx.log(`127.0.0.6 - - [${date}] "${req.method} ${req.path} HTTP/1.1" 404 -`, startMs);
      return { status: 404, headers: { 'content-type': 'text/html; charset=utf-8', 'content-length': String(body.length) }, body, durationMs: 1 };
    }
    ctx.log(`127.0.0.6 - - [${date}] "${req.method} ${req.path} HTTP/1.1" 200 -`, startMs);
    // app.py sleeps ~100 ms to simulate work
    return { status: 200, headers: { 'content-type': 'text/html; charset=utf-8', 'content-length': String(text.length) }, body: text, durationMs: 100 + ctx.rng.next() * 20 };
  }
}

export class TcpEcho implements Workload {
  readonly ports: number[];
  private readonly prefix: string;
  constructor(args: string[]) {
    this.ports = (args[0] ?? '9000').split(',').map(Number).filter((n) => n > 0);
    this.prefix = args[1] ?? '';
  }

  startupLog(): string[] {
    return this.ports.map((p) => `listening on [::]:${p}, prefix: ${this.prefix}`);
  }

  handle(req: HttpRequest): HttpResult {
    // a TCP client's lines come back as "<prefix> <line>" (main.go handleConnection: bufio ReadString('\n'),
    // then fmt.Fprintf(conn, "%s %s", prefix, line))
    if (req.raw) {
      const lines = req.body.split(/(?<=\n)/).filter((l) => l !== '');
      return { status: 0, headers: {}, body: lines.map((l) => `${this.prefix} ${l}`).join(''), durationMs: 0.5 };
    }
    // The echo of the request line is not an HTTP response: clients report it as such.
    return { error: 'EMPTY', message: `${this.prefix} ${req.method} ${req.path} HTTP/1.1`, durationMs: 0.5 };
  }
}

export class FortioServer implements Workload {
  readonly ports = [8080, 8079];
  handle(req: HttpRequest): HttpResponse {
    return { status: 200, headers: { 'content-length': String(req.body.length) }, body: req.body, durationMs: 0.2 };
  }
}
