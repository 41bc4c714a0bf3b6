/**
 * Headless sandbox.
 *
 *   npm run --silent sandbox -- --script FILE [--seed N] [--mount DIR] [--think SECONDS] [--real-time] [--strict]
 *   npm run sandbox                          (interactive shell in this terminal)
 *   npm run --silent sandbox -- --bench      (performance figures)
 *   npm run --silent sandbox -- --serve [HOST:]PORT --kubeconfig FILE [--script SETUP] [--seed N]
 *
 * --script runs the file's commands one by one and prints a transcript: each command after
 * "$ ", then its output. Lines ending in "\" and here-documents belong to one command.
 * --mount DIR makes DIR's files available under ~/examples (default: ./examples).
 * --think S lets S seconds of virtual time pass after each command (default 2), as a person
 * reading the output would; pods started by one command are running a few commands later.
 * --strict exits with the status of the last command.
 * --no-validation skips src/validation's schema check at admission (structural checks only).
 * --serve serves the sandbox's Kubernetes API over HTTP (127.0.0.1 unless a host is given) for
 * the real kubectl and client libraries, on real time; --script runs a setup script first.
 * It writes a kubeconfig with a fresh bearer token to FILE and runs until interrupted.
 */
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { Sandbox } from '../src/sandbox/sandbox';
import { RealClock } from '../src/sandbox/core/clock';
import { isIncomplete } from '../src/sandbox/shell/parser';
import { sandboxValidation } from '../src/validation/sandbox';
import { serveSandbox } from '../src/sandbox/http/node';
import { kubeconfigFor } from '../src/sandbox/http/kubeconfig';

async function serve(sb: Sandbox, listen: string, kubeconfig: string | undefined): Promise<void> {
  if (!kubeconfig) {
    process.stderr.write('sandbox: --serve needs --kubeconfig FILE (where to write the kubeconfig)\n');
    process.exit(2);
  }
  const m = /^(?:(.+):)?(\d+)$/.exec(listen);
  if (!m || Number(m[2]) > 65535) {
    process.stderr.write(`sandbox: --serve expects [HOST:]PORT, got "${listen}"\n`);
    process.exit(2);
  }
  const host = (m[1] ?? '127.0.0.1').replace(/^\[(.*)\]$/, '$1');
  const token = randomBytes(24).toString('hex');
  let served;
  try {
    served = await serveSandbox(sb, { token, host, port: Number(m[2]) });
  } catch (e) {
    process.stderr.write(`sandbox: cannot listen on ${listen}: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  }
  writeFileSync(kubeconfig, kubeconfigFor(served.url, token, served.caPem), { mode: 0o600 });
  process.stdout.write(`Kubernetes API of the sandbox at ${served.url}\nkubeconfig written to ${kubeconfig}: kubectl --kubeconfig ${kubeconfig} get pods -A\nPress Ctrl-C to stop.\n`);
  await new Promise<void>((resolve) => process.once('SIGINT', () => resolve()));
  await served.close();
  process.exit(0);
}

function readTree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string): void => {
    for (const name of readdirSync(d)) {
      // scenario.ts beside a lesson's manifests is the course's own data, not a learner's file
      if (name.startsWith('.') || name === 'node_modules' || name === 'scenario.ts') continue;
      const p = join(d, name);
      const st = statSync(p);
      if (st.isDirectory()) walk(p);
      else if (st.size < 2 * 1024 * 1024) out[relative(dir, p)] = readFileSync(p, 'utf8');
    }
  };
  walk(dir);
  return out;
}

/** Splits a script into command units: continuation lines and here-documents stay together. */
export function splitCommands(text: string): string[] {
  const lines = text.split('\n');
  const units: string[] = [];
  let cur: string[] = [];
  let heredoc: string[] = [];
  let depth = 0;
  for (const line of lines) {
    if (heredoc.length) {
      cur.push(line);
      const want = heredoc[0];
      if (line.replace(/^\t+/, '') === want) heredoc.shift();
      if (heredoc.length === 0 && depth === 0 && !line.endsWith('\\')) {
        units.push(cur.join('\n'));
        cur = [];
      }
      continue;
    }
    if (cur.length === 0 && (line.trim() === '' || line.trim().startsWith('#'))) continue;
    cur.push(line);
    // <<EOF, <<'EOF', <<"EOF", <<\EOF (as src/terminal/splitCommands.ts)
    for (const m of line.matchAll(/<<-?\s*\\?(['"]?)([A-Za-z_][A-Za-z0-9_]*)\1/g)) heredoc.push(m[2]);
    const opens = (line.match(/\b(do|then)\b|\{\s*$/g) ?? []).length;
    const closes = (line.match(/\b(done|fi)\b|^\s*\}/g) ?? []).length;
    depth = Math.max(0, depth + opens - closes);
    if (heredoc.length === 0 && depth === 0 && !line.endsWith('\\') && !/(\||&&|\|\|)\s*$/.test(line)) {
      units.push(cur.join('\n'));
      cur = [];
    }
  }
  if (cur.length) units.push(cur.join('\n'));
  return units;
}

/** --bench: the figures issue 3 asks for (ready time, apply time, 1000 requests, memory per sandbox). */
async function bench(examples: Record<string, string>): Promise<void> {
  const ms = (t: number): string => `${(performance.now() - t).toFixed(1)} ms`;
  // warm up the JIT once, as a long-lived worker would be
  new Sandbox({ examples });
  const readies: number[] = [];
  for (let i = 0; i < 5; i++) {
    const t = performance.now();
    new Sandbox({ examples });
    readies.push(performance.now() - t);
  }
  readies.sort((a, b) => a - b);
  const sb = new Sandbox({ examples, seed: 1 });
  let t = performance.now();
  for (const cmd of ['kubectl apply -f examples/ingress-service-a/namespace.yaml', 'kubectl apply -f examples/ingress-service-a/', 'kubectl apply -f examples/service-a-service-b/']) {
    const r = await sb.exec(cmd);
    if (r.code !== 0) throw new Error(r.stderr);
  }
  const applyTime = ms(t);
  await sb.cluster.advance(15_000);
  const ip = sb.cluster.network.loadBalancerIp('istio-system', 'istio-ingressgateway') ?? '';
  t = performance.now();
  const r = await sb.exec(`for i in $(seq 1 1000); do curl -s -o /dev/null -w '%{http_code}\\n' http://${ip}/; done | sort | uniq -c`);
  const reqMs = performance.now() - t;
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  const before = process.memoryUsage().heapUsed;
  const keep: Sandbox[] = [];
  for (let i = 0; i < 20; i++) {
    const s = new Sandbox({ examples });
    await s.exec('kubectl apply -f examples/ingress-service-a/namespace.yaml && kubectl apply -f examples/ingress-service-a/ && kubectl apply -f examples/service-a-service-b/');
    await s.cluster.advance(10_000);
    keep.push(s);
  }
  gc?.();
  const per = (process.memoryUsage().heapUsed - before) / keep.length / 1024 / 1024;
  process.stdout.write(
    [
      `new sandbox → ready:        ${readies[2].toFixed(1)} ms (median of 5, min ${readies[0].toFixed(1)} ms)`,
      `apply scenarios 8+9:        ${applyTime}`,
      `1000 requests ingress → ServiceA → ServiceB (shell loop with curl): ${reqMs.toFixed(0)} ms, ${Math.round(1000 / (reqMs / 1000))} req/s`,
      `  responses: ${r.stdout.trim()}`,
      `memory per sandbox (scenario 8+9 applied): ${per.toFixed(2)} MB${gc ? '' : ' (run node with --expose-gc for a steadier figure)'}`,
    ].join('\n') + '\n',
  );
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const opt = (name: string): string | undefined => {
    const i = args.indexOf(name);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const mount = resolve(opt('--mount') ?? 'examples');
  let examples: Record<string, string> = {};
  try {
    examples = readTree(mount);
  } catch {
    if (opt('--mount')) {
      process.stderr.write(`sandbox: cannot read ${mount}\n`);
      process.exit(2);
    }
  }
  let samples: Record<string, string> | undefined;
  try {
    samples = readTree(resolve('samples'));
  } catch {
    samples = undefined;
  }
  if (args.includes('--bench')) {
    await bench(examples);
    return;
  }
  const seed = Number(opt('--seed') ?? '1');
  const script = opt('--script');
  const listen = opt('--serve');
  const realTime = args.includes('--real-time') || !script || listen !== undefined;
  const thinkMs = realTime ? 0 : Number(opt('--think') ?? '2') * 1000;
  const sb = new Sandbox({ seed, examples, samples, clock: realTime ? new RealClock() : undefined, ...(args.includes('--no-validation') ? {} : sandboxValidation) });
  if (script) {
    const text = readFileSync(script, 'utf8');
    let status = 0;
    let last = '\n';
    const write = (s: string): void => {
      if (s) {
        process.stdout.write(s);
        last = s[s.length - 1];
      }
    };
    for (const unit of splitCommands(text)) {
      // a command whose output did not end with a newline (curl -s of "no healthy upstream") must not glue onto the next prompt
      if (last !== '\n') write('\n');
      write(`$ ${unit}\n`);
      status = await sb.run(unit, write, write);
      // a person reads the output before typing the next command: let the cluster's time pass
      if (thinkMs > 0) await sb.cluster.advance(thinkMs);
    }
    if (last !== '\n') write('\n');
    if (listen === undefined) process.exit(args.includes('--strict') ? status : 0);
  }
  if (listen !== undefined) return serve(sb, listen, opt('--kubeconfig'));
  // interactive
  const rl = createInterface({ input: process.stdin, output: process.stdout, prompt: 'learner@sandbox:~$ ', terminal: process.stdin.isTTY });
  sb.shell.onClear = () => process.stdout.write('\x1b[2J\x1b[H');
  let running = false;
  rl.on('SIGINT', () => {
    if (running) sb.interrupt();
    else {
      process.stdout.write('^C\n');
      rl.prompt();
    }
  });
  let buffer = '';
  const prompt = (): void => {
    const { namespace, cwd } = sb.prompt();
    rl.setPrompt(`learner@sandbox:${cwd}${namespace === 'default' ? '' : ` (${namespace})`}$ `);
    rl.prompt();
  };
  prompt();
  for await (const line of rl) {
    buffer = buffer ? `${buffer}\n${line}` : line;
    if (isIncomplete(buffer)) {
      process.stdout.write('> ');
      continue;
    }
    running = true;
    await sb.run(buffer, (s) => process.stdout.write(s), (s) => process.stderr.write(s));
    running = false;
    buffer = '';
    prompt();
  }
}

void main();
