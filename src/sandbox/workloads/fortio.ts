/**
 * fortio's load generator (fortio/fortio periodic/ and fhttp/, stats/stats.go), as the
 * circuit-breaking task runs it inside the fortio pod:
 *
 *   fortio load -c 2 -qps 0 -n 20 -loglevel Warning http://httpbin:8000/get
 *   fortio curl http://httpbin:8000/get        (also `fortio load -curl URL`)
 *
 * `c` threads each send their share of `n` calls back to back; a call starts when the
 * thread's previous one ended, in virtual time, so the sidecar's connection pool sees the
 * real overlap (the circuit breaker trips with -c 3 on maxConnections: 1 +
 * http1MaxPendingRequests: 1). The report is fortio's: histogram with its bucket bounds,
 * percentiles, sockets, IP distribution, "Code 200 : 17 (85.0 %)" lines; logs are fortio's
 * JSON lines (the output of `kubectl exec` without -t is not a terminal).
 */
import type { HttpResult } from '../network/http';
import { isNetError, reasonPhrase } from '../network/http';
import { goDuration } from './types';

export const FORTIO_VERSION = '1.69.5';

/** Go's %g / %.Ng (strconv 'g' with shortest or N significant digits). */
export function goG(v: number, prec?: number): string {
  if (v === 0) return '0';
  if (!Number.isFinite(v)) return v > 0 ? '+Inf' : v < 0 ? '-Inf' : 'NaN';
  const neg = v < 0;
  const [m, e] = (prec === undefined ? Math.abs(v).toExponential() : Math.abs(v).toExponential(Math.max(prec, 1) - 1)).split('e');
  const digits = m.replace('.', '').replace(/0+$/, '') || '0';
  const nd = digits.length;
  const dp = Number(e) + 1;
  let eprec = prec === undefined ? nd : Math.max(prec, 1);
  if (eprec > nd && nd >= dp) eprec = nd;
  if (prec === undefined) eprec = 6;
  const exp = dp - 1;
  let out: string;
  if (exp < -4 || exp >= eprec) {
    const x = Math.abs(exp);
    out = `${digits[0]}${nd > 1 ? `.${digits.slice(1)}` : ''}e${exp < 0 ? '-' : '+'}${x < 10 ? `0${x}` : x}`;
  } else if (dp <= 0) out = `0.${'0'.repeat(-dp)}${digits}`;
  else if (dp >= nd) out = digits + '0'.repeat(dp - nd);
  else out = `${digits.slice(0, dp)}.${digits.slice(dp)}`;
  return neg ? `-${out}` : out;
}

// stats.go histogramBucketValues (milliseconds: the divider is 0.001 for seconds)
const BUCKETS = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 14, 16, 18, 20, 25, 30, 35, 40, 45, 50, 60, 70, 80, 90, 100, 120, 140, 160, 180, 200, 250, 300, 350, 400, 450, 500, 600, 700, 800, 900, 1000, 2000, 3000, 4000, 5000, 7500, 10000, 20000, 30000, 40000, 50000, 75000, 100000];
const PERCENTILES = [50, 75, 90, 99, 99.9];

/** stats.Counter + Histogram.Export().Print(): the lines fortio prints for a set of values. */
export function histogramLines(title: string, values: number[], divider: number, withPercentiles = true): string[] {
  if (values.length === 0) return [`${title} : no data`];
  const count = values.length;
  const sum = values.reduce((a, b) => a + b, 0);
  const min = Math.min(...values);
  const max = Math.max(...values);
  const avg = sum / count;
  const std = Math.sqrt(Math.max(0, values.reduce((a, b) => a + b * b, 0) / count - avg * avg));
  const hdata = new Array<number>(BUCKETS.length + 1).fill(0);
  for (const v of values) {
    const scaled = v / divider - 0.0001;
    let idx: number;
    if (scaled <= BUCKETS[0]) idx = 0;
    else if (scaled > BUCKETS[BUCKETS.length - 1]) idx = BUCKETS.length;
    else idx = BUCKETS.findIndex((b) => b > Math.floor(scaled));
    hdata[idx]++;
  }
  const data: { start: number; end: number; percent: number; count: number }[] = [];
  let prev = BUCKETS[0];
  let total = 0;
  const last = hdata.reduce((acc, n, i) => (n > 0 ? i : acc), -1);
  for (let i = 0; i <= last; i++) {
    if (hdata[i] === 0) {
      if (i < BUCKETS.length) prev = BUCKETS[i];
      continue;
    }
    total += hdata[i];
    const b = { start: data.length === 0 ? min : divider * prev, end: 0, percent: (100 * total) / count, count: hdata[i] };
    if (i < BUCKETS.length) {
      b.end = divider * BUCKETS[i];
      prev = BUCKETS[i];
    } else {
      b.start = divider * prev;
      b.end = max;
    }
    data.push(b);
  }
  data[data.length - 1].end = max;
  const percentile = (p: number): number => {
    if (p >= 100) return max;
    let pp = 100 / count;
    if (p <= pp) return min;
    for (const cur of data) {
      if (p <= cur.percent) return cur.start + ((p - pp) / (cur.percent - pp)) * (cur.end - cur.start);
      pp = cur.percent;
    }
    return max;
  };
  const lines = [`${title} : count ${count} avg ${goG(avg, 8)} +/- ${goG(std, 4)} min ${goG(min)} max ${goG(max)} sum ${goG(sum, 9)}`];
  if (!withPercentiles) return lines;
  lines.push('# range, mid point, percentile, count');
  data.forEach((b, i) => lines.push(`${i === 0 ? '>=' : '>'} ${goG(b.start, 6)} <= ${goG(b.end, 6)} , ${goG((b.start + b.end) / 2, 6)} , ${b.percent.toFixed(2)}, ${b.count}`));
  for (const p of PERCENTILES) lines.push(`# target ${goG(p)}% ${goG(percentile(p), 6)}`);
  return lines;
}

export interface FortioCall {
  /** Sends one request at `atMs` (virtual time) and returns what came back. */
  (atMs: number): HttpResult;
}

export interface LoadOptions {
  url: string;
  threads: number;
  qps: number;
  calls: number;
  /** The address the URL's host resolved to, "ip:port". */
  resolved: string;
  startMs: number;
  logLevelWarning: boolean;
  /** A random number in [0, 1). */
  rand(): number;
}

export interface LoadResult {
  stdout: string;
  stderr: string;
  durationMs: number;
}

function logLine(level: 'info' | 'warn', ms: number, r: number, file: string, line: number, msg: string, extra = ''): string {
  return `{"ts":${(ms / 1000).toFixed(6)},"level":"${level}","r":${r},"file":"${file}","line":${line},"msg":"${msg}"${extra}}\n`;
}

/** Runs the load and formats fortio's report. */
export function runLoad(o: LoadOptions, call: FortioCall): LoadResult {
  const c = Math.max(1, o.threads);
  const perThread = Math.floor(o.calls / c);
  const extra = o.calls % c;
  let stdout = '';
  let stderr = '';
  if (o.logLevelWarning) stderr += logLine('info', o.startMs, 1, 'logger.go', 298, 'Log level is now 3 Warning (was 2 Info)');
  stdout += `Fortio ${FORTIO_VERSION} running at ${goG(o.qps)} queries per second, 2->2 procs, for ${o.calls} calls: ${o.url}\n`;
  stdout += o.qps > 0 ? `Starting at ${goG(o.qps)} qps with ${c} thread(s) [gomax 2] : exactly ${o.calls}, ${perThread} calls each (total ${o.calls} + ${extra})\n` : `Starting at max qps with ${c} thread(s) [gomax 2] for exactly ${o.calls} calls (${perThread} per thread + ${extra})\n`;
  const next = Array.from({ length: c }, (_, i) => o.startMs + i * 0.02 + o.rand() * 0.05);
  const left = Array.from({ length: c }, (_, i) => perThread + (i < extra ? 1 : 0));
  const sockets = new Array<number>(c).fill(0);
  const connTimes: number[] = [];
  const times: number[] = [];
  const errorTimes: number[] = [];
  const codes = new Map<number, number>();
  const headerSizes: number[] = [];
  const totalSizes: number[] = [];
  const interval = o.qps > 0 ? (1000 * c) / o.qps : 0;
  let end = o.startMs;
  for (;;) {
    let t = -1;
    for (let i = 0; i < c; i++) if (left[i] > 0 && (t < 0 || next[i] < next[t])) t = i;
    if (t < 0) break;
    const at = next[t];
    if (sockets[t] === 0) {
      sockets[t]++;
      connTimes.push(Math.round(40_000 + o.rand() * 1_500_000) / 1e9);
    }
    const r = call(at);
    // client-side work: writing the request, parsing the answer
    // (fortio measures time.Duration: whole nanoseconds)
    const took = Math.round((r.durationMs + 0.15 + o.rand() * 0.35) * 1e6) / 1e6;
    const code = isNetError(r) ? -1 : r.status;
    times.push(Math.round(took * 1e6) / 1e9);
    codes.set(code, (codes.get(code) ?? 0) + 1);
    const headerSize = isNetError(r) ? 0 : 17 + reasonPhrase(r.status).length + Object.entries(r.headers).reduce((a, [k, v]) => a + k.length + v.length + 4, 0);
    headerSizes.push(code === 200 ? headerSize : 0);
    totalSizes.push(isNetError(r) ? 0 : headerSize + r.body.length);
    if (code !== 200) {
      errorTimes.push(Math.round(took * 1e6) / 1e9);
      if (code > 0) stderr += logLine('warn', at + took, 2 + c + t, 'http_client.go', 1151, 'Non ok http code', `,"code":${code},"status":"HTTP/1.1 ${code}","thread":${t},"run":0`);
      // the proxy closes the connection after an error: the next call opens a new socket
      if (left[t] > 1) {
        sockets[t]++;
        connTimes.push(Math.round(40_000 + o.rand() * 1_500_000) / 1e9);
      }
    }
    left[t]--;
    next[t] = interval > 0 ? Math.max(at + took, at + interval) : at + took;
    end = Math.max(end, at + took);
  }
  const elapsed = end - o.startMs;
  const qpsDone = o.calls / (elapsed / 1000);
  stdout += `Ended after ${goDuration(elapsed)} : ${o.calls} calls. qps=${goG(qpsDone, 5)}\n`;
  stdout += histogramLines('Aggregated Function Time', times, 0.001).join('\n') + '\n';
  stdout += histogramLines('Error cases', errorTimes, 0.001).join('\n') + '\n';
  stdout += '# Socket and IP used for each connection:\n';
  let k = 0;
  for (let i = 0; i < c; i++) {
    const mine = connTimes.slice(k, k + sockets[i]);
    k += sockets[i];
    stdout += `[${i}] ${String(sockets[i]).padStart(3)} socket used, resolved to ${o.resolved}, ${histogramLines('connection timing', mine, 1e-6, false)[0]}\n`;
  }
  stdout += histogramLines('Connection time (s)', connTimes, 0.001, false)[0] + '\n';
  const totalSockets = sockets.reduce((a, b) => a + b, 0);
  stdout += `Sockets used: ${totalSockets} (for perfect keepalive, would be ${c})\n`;
  stdout += `Uniform: false, Jitter: false, Catchup allowed: true\n`;
  stdout += `IP addresses distribution:\n${o.resolved}: ${totalSockets}\n`;
  for (const [code, n] of [...codes].sort((a, b) => a[0] - b[0])) stdout += `Code ${code} : ${n} (${((100 * n) / o.calls).toFixed(1)} %)\n`;
  stdout += histogramLines('Response Header Sizes', headerSizes, 1, false)[0] + '\n';
  stdout += histogramLines('Response Body/Total Sizes', totalSizes, 1, false)[0] + '\n';
  stdout += `All done ${o.calls} calls (plus 0 warmup) ${((times.reduce((a, b) => a + b, 0) / times.length) * 1000).toFixed(3)} ms avg, ${qpsDone.toFixed(1)} qps\n`;
  return { stdout, stderr, durationMs: elapsed };
}
