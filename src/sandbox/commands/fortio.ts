/**
 * fortio, the program in the fortio/fortio image (run with `kubectl exec … -c fortio --
 * /usr/bin/fortio …`): `load` (load test and report, see workloads/fortio.ts), `load -curl`
 * and `curl` (one request, headers and body). Go-style flags: -c -qps -n -t -H -loglevel
 * -quiet -timeout.
 */
import { isNetError, reasonPhrase } from '../network/http';
import { FortioServer } from '../workloads/helloworld';
import { FORTIO_VERSION, runLoad } from '../workloads/fortio';
import type { CommandContext, CommandSpec } from './types';

const VALUE_FLAGS = new Set(['c', 'qps', 'n', 't', 'H', 'loglevel', 'timeout', 'payload', 'content-type', 'p', 'r', 'json', 'a', 'labels', 'X']);
const BOOL_FLAGS = new Set(['curl', 'quiet', 'k', 'h2', 'stdclient', 'allow-initial-errors', 'nocatchup', 'uniform', 'jitter', 'sequential-warmup', 'no-reresolve', 'L']);

function parseGoFlags(argv: string[]): { flags: Map<string, string[]>; args: string[]; bad?: string } {
  const flags = new Map<string, string[]>();
  let i = 0;
  for (; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') {
      i++;
      break;
    }
    if (!a.startsWith('-') || a === '-') break;
    const body = a.replace(/^--?/, '');
    const eq = body.indexOf('=');
    const name = eq < 0 ? body : body.slice(0, eq);
    if (BOOL_FLAGS.has(name)) flags.set(name, [eq < 0 ? 'true' : body.slice(eq + 1)]);
    else if (VALUE_FLAGS.has(name)) {
      const v = eq < 0 ? argv[++i] : body.slice(eq + 1);
      if (v === undefined) return { flags, args: [], bad: `flag needs an argument: -${name}` };
      flags.set(name, [...(flags.get(name) ?? []), v]);
    } else return { flags, args: [], bad: `flag provided but not defined: -${name}` };
  }
  return { flags, args: argv.slice(i) };
}

function goDurationMs(s: string): number | undefined {
  const m = s.match(/^(\d+(?:\.\d+)?)(ms|s|m|h)$/);
  if (!m) return undefined;
  return Number(m[1]) * { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[m[2] as 'ms' | 's' | 'm' | 'h'];
}

export const fortio: CommandSpec = {
  name: 'fortio',
  summary: 'load testing (in the fortio/fortio image): fortio load -c 2 -qps 0 -n 20 URL, fortio curl URL',
  async run(ctx: CommandContext) {
    const origin = ctx.origin;
    const here = origin.kind === 'pod' ? origin.pod.containers.find((c) => c.name === (origin.container ?? c.name)) : undefined;
    if (origin.kind !== 'pod' || !(here?.workload instanceof FortioServer)) {
      ctx.err(`bash: ${ctx.argv[0]}: command not found\n`);
      return 127;
    }
    const [cmd, ...rest] = ctx.argv.slice(1);
    if (cmd !== 'load' && cmd !== 'curl') {
      ctx.err(`Φορτίο ${FORTIO_VERSION} usage:\n\tfortio command [flags] target\nwhere command is one of: load (load testing), server (starts ui, rest api,\n http-echo, redirect, proxies, tcp-echo, udp-echo and grpc ping servers),\n tcp-echo (only the tcp-echo server), report (report only UI server),\n redirect (only the redirect server), proxies (only the -M and -P configured proxies),\n grpcping (grpc client), or curl (single URL debug), or nc (single tcp or udp:// connection),\n or version (prints the full version and build details).\n`);
      return 1;
    }
    const { flags, args, bad } = parseGoFlags(rest);
    if (bad) {
      ctx.err(`${bad}\n`);
      return 1;
    }
    const url0 = args[0];
    if (!url0) {
      ctx.err(`Error: fortio ${cmd} needs a url or destination\n`);
      return 1;
    }
    const url = /^[a-z]+:\/\//i.test(url0) ? url0 : `http://${url0}`;
    const headers: Record<string, string> = { 'user-agent': `fortio.org/fortio-${FORTIO_VERSION}` };
    for (const h of flags.get('H') ?? []) {
      const i = h.indexOf(':');
      if (i > 0) headers[h.slice(0, i).trim().toLowerCase()] = h.slice(i + 1).trim();
    }
    const timeoutMs = goDurationMs(flags.get('timeout')?.[0] ?? '3s') ?? 3000;
    const net = ctx.cluster.network;
    const send = (at: number) => {
      const r = net.request(origin, url, { method: 'GET', headers }, at);
      return r.durationMs > timeoutMs ? { error: 'ETIMEDOUT' as const, message: 'timeout', durationMs: timeoutMs } : r;
    };
    const start = ctx.cluster.clock.now();
    if (cmd === 'curl' || flags.has('curl')) {
      const r = send(start);
      await ctx.cluster.clock.sleep(r.durationMs, ctx.token);
      ctx.cluster.sync();
      if (isNetError(r)) {
        ctx.err(`{"ts":${((start + r.durationMs) / 1000).toFixed(6)},"level":"err","r":1,"file":"http_client.go","line":1033,"msg":"Unable to connect","dest":"${url.replace(/^https?:\/\//, '').split('/')[0]}","err":"${r.message}"}\n`);
        return 1;
      }
      let text = `HTTP/1.1 ${r.status} ${reasonPhrase(r.status)}\n`;
      for (const [k, v] of Object.entries(r.headers)) text += `${k}: ${v}\n`;
      ctx.out(`${text}\n${r.body}`);
      return r.status >= 200 && r.status < 300 ? 0 : 1;
    }
    const c = Number(flags.get('c')?.[0] ?? '4');
    const qps = Number(flags.get('qps')?.[0] ?? '8');
    const n = flags.has('n') ? Number(flags.get('n')![0]) : Math.round(((goDurationMs(flags.get('t')?.[0] ?? '5s') ?? 5000) / 1000) * (qps > 0 ? qps : 100 * c));
    if (!(c > 0) || !(n > 0) || Number.isNaN(qps)) {
      ctx.err('Error: invalid -c, -qps or -n value\n');
      return 1;
    }
    const host = url.replace(/^https?:\/\//, '').split(/[/?#]/)[0];
    const [name, port] = host.includes(':') ? [host.slice(0, host.lastIndexOf(':')), host.slice(host.lastIndexOf(':') + 1)] : [host, url.startsWith('https') ? '443' : '80'];
    const ip = net.resolve(name, origin.pod.namespace);
    if (!ip) {
      ctx.err(`{"ts":${(start / 1000).toFixed(6)},"level":"err","r":1,"file":"http_client.go","line":229,"msg":"Unable to lookup","host":"${name}","err":"lookup ${name} on 10.96.0.10:53: no such host"}\n`);
      ctx.err(`Aborting because of lookup ${name} on 10.96.0.10:53: no such host\n`);
      return 1;
    }
    const level = (flags.get('loglevel')?.[0] ?? 'Info').toLowerCase();
    const res = runLoad({ url, threads: c, qps, calls: n, resolved: `${ip}:${port}`, startMs: start, logLevelWarning: level === 'warning', rand: () => ctx.cluster.rng.next() }, send);
    await ctx.cluster.clock.sleep(res.durationMs, ctx.token);
    ctx.cluster.sync();
    ctx.err(res.stderr);
    ctx.out(res.stdout);
    return 0;
  },
};
