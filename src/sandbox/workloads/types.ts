/** What a simulated container image does when it runs in a pod. */
import type { Random } from '../core/random';
import type { HttpRequest, HttpResponse, HttpResult } from '../network/http';

export interface PodIdentity {
  name: string;
  namespace: string;
  ip: string;
  labels: Record<string, string>;
}

export interface WorkloadContext {
  pod: PodIdentity;
  env: Record<string, string>;
  rng: Random;
  /** The connection's remote address as the container sees it (127.0.0.6 behind a sidecar). */
  peer?: { ip: string; port: number };
  /** An outbound HTTP call from this pod (DNS from the pod's namespace, through its sidecar if it has one). */
  fetch(url: string, init: { method?: string; headers?: Record<string, string>; body?: string }, startMs: number): HttpResult;
  /** Appends a line to this container's log. */
  log(line: string, atMs: number): void;
}

export interface Workload {
  /** TCP ports the container listens on. */
  readonly ports: number[];
  /** Serves one request that arrived on `port`; durationMs in the response is the time spent. */
  handle(req: HttpRequest, port: number, ctx: WorkloadContext, startMs: number): HttpResult;
  /** Lines printed when the container starts. */
  startupLog?(ctx: WorkloadContext, atMs: number): string[];
}

export interface ContainerSpecLite {
  name: string;
  image: string;
  env: Record<string, string>;
  command?: string[];
  args?: string[];
  ports: { name?: string; containerPort: number }[];
}

/** Go's time.Duration.String() for a number of milliseconds: "1.234ms", "523.1µs", "2.5s". */
export function goDuration(ms: number): string {
  if (ms === 0) return '0s';
  const ns = Math.round(ms * 1e6);
  const trim = (x: number, digits: number): string => x.toFixed(digits).replace(/\.?0+$/, '');
  if (ns < 1000) return `${ns}ns`;
  if (ns < 1e6) return `${trim(ns / 1e3, 3)}µs`;
  if (ns < 1e9) return `${trim(ns / 1e6, 6)}ms`;
  const s = ns / 1e9;
  if (s < 60) return `${trim(s, 9)}s`;
  const m = Math.floor(s / 60);
  return `${m}m${trim(s - m * 60, 9)}s`;
}

/** Go's "2006-01-02T15:04:05.000000" in UTC: how fake-service prints start_time/end_time. */
export function goMicroTime(ms: number, micros = 0): string {
  const iso = new Date(Math.floor(ms)).toISOString();
  const frac = Math.floor((ms - Math.floor(ms)) * 1000) + micros;
  return `${iso.slice(0, 19)}.${iso.slice(20, 23)}${String(frac % 1000).padStart(3, '0')}`;
}

export function json(status: number, body: unknown, ms: number, indent = 2): HttpResponse {
  const text = JSON.stringify(body, null, indent) + '\n';
  return { status, headers: { 'content-type': 'application/json', 'content-length': String(text.length) }, body: text, durationMs: ms };
}
