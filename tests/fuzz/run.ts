/**
 * `npm run fuzz` — the fuzzing suite (see harness.ts for the classes and the verdicts).
 *
 *   npm run fuzz -- [--seed N] [--count N] [--class NAME[,NAME…]] [--from N] [--patience MS] [--jobs N] [--verbose]
 *
 * Each class runs in a child process; a watchdog ends a worker that spends more than 20 s of
 * engine CPU time on one input (a hang that never yields to Ctrl-C: it can report nothing itself),
 * counts it and goes on with the next input. Wall time alone ends a worker only after 10 minutes
 * on one input: at nice 19 on a busy machine a worker may wait minutes for a CPU.
 * Prints per class: inputs, crashes, hangs, inputs stopped by Ctrl-C and the worst time, then
 * the failing inputs (class, index: re-run one with `--class C --from I --count 1`). Exit 1 on any
 * crash or hang.
 */
import { fork } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { CLASSES, emptyReport, record, WAIT_MS, type ClassReport, type Verdict } from './harness';

interface Args {
  seed: number;
  count: number;
  from: number;
  classes: string[];
  patienceMs: number;
  jobs: number;
  verbose: boolean;
}

function parseArgs(argv: string[]): Args {
  const a: Args = { seed: 1, count: 200, from: 0, classes: CLASSES.map((c) => c.name), patienceMs: 300, jobs: 1, verbose: false };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split('=', 2);
    const value = (): string => inline ?? argv[++i] ?? '';
    if (flag === '--seed') a.seed = Number(value());
    else if (flag === '--count') a.count = Number(value());
    else if (flag === '--from') a.from = Number(value());
    else if (flag === '--class') a.classes = value().split(',');
    else if (flag === '--patience') a.patienceMs = Number(value());
    else if (flag === '--jobs') a.jobs = Math.max(1, Number(value()));
    else if (flag === '--verbose') a.verbose = true;
    else {
      console.error(`fuzz: unknown argument ${argv[i]}\nusage: npm run fuzz -- [--seed N] [--count N] [--class NAME,…] [--from N] [--patience MS] [--jobs N] [--verbose]`);
      process.exit(2);
    }
  }
  const unknown = a.classes.filter((c) => !CLASSES.some((k) => k.name === c));
  if (unknown.length) {
    console.error(`fuzz: unknown class ${unknown.join(', ')}; classes: ${CLASSES.map((c) => c.name).join(', ')}`);
    process.exit(2);
  }
  return a;
}

const WATCHDOG_MS = 20_000;
const WATCHDOG_WALL_MS = 600_000;

/** A child's engine CPU time in ms (its main thread's, as targets.ts cpuMs measures), or undefined off Linux. */
function childCpuMs(pid: number | undefined): number | undefined {
  try {
    return Number(readFileSync(`/proc/${pid}/task/${pid}/schedstat`, 'utf8').split(' ')[0]) / 1e6;
  } catch {
    return undefined;
  }
}

function runInWorkers(name: string, args: Args): Promise<ClassReport> {
  const report = emptyReport(name);
  const end = args.from + args.count;
  return new Promise((resolve) => {
    const startWorker = (from: number): void => {
      if (from >= end) return resolve(report);
      const job = { className: name, seed: args.seed, from, to: end, patienceMs: args.patienceMs };
      const worker = fork(join(dirname(__filename), 'worker.ts'), [JSON.stringify(job)], { execArgv: ['--import', 'tsx', '--max-old-space-size=3072', '--stack-size=984'] });
      let current = from;
      let since = Date.now();
      // CPU time at the start of the current input; undefined while the worker starts up
      let cpuSince: number | undefined;
      let finished = false;
      const watchdog = setInterval(() => {
        const cpu = childCpuMs(worker.pid);
        const spent = cpu !== undefined && cpuSince !== undefined ? cpu - cpuSince : undefined;
        const wall = Date.now() - since;
        if ((spent ?? (cpu === undefined ? wall : 0)) < WATCHDOG_MS && wall < WATCHDOG_WALL_MS) return;
        finished = true;
        clearInterval(watchdog);
        worker.kill();
        record(report, current, '(see the class generator at this index)', { kind: 'hang', ms: wall, cpuMs: spent ?? NaN, detail: `never yielded: the worker was terminated after ${spent === undefined ? '' : `${spent.toFixed(0)} ms of engine CPU time, `}${wall} ms wall` });
        startWorker(current + 1);
      }, 1000);
      worker.on('message', (m: { type: string; index: number; verdict?: Verdict; input?: string }) => {
        current = m.index;
        since = Date.now();
        cpuSince = childCpuMs(worker.pid);
        if (m.type !== 'done') return;
        record(report, m.index, m.input ?? '', m.verdict!);
        if (args.verbose && m.verdict!.kind !== 'ok') console.log(`${name} #${m.index}: ${m.verdict!.kind} ${m.verdict!.detail ?? ''}`);
        if (m.index + 1 >= end) {
          finished = true;
          clearInterval(watchdog);
          worker.kill();
          resolve(report);
        }
      });
      worker.on('error', (e) => {
        if (finished) return;
        finished = true;
        clearInterval(watchdog);
        record(report, current, '(worker died)', { kind: 'crash', ms: Date.now() - since, cpuMs: NaN, detail: `worker died: ${e.message}` });
        startWorker(current + 1);
      });
      worker.on('exit', (code, signal) => {
        if (finished) return;
        if (current === args.from && code !== null && code !== 0 && report.inputs === 0) {
          console.error(`fuzz: the worker for ${name} failed to start (exit ${code})`);
          process.exit(2);
        }
        finished = true;
        clearInterval(watchdog);
        record(report, current, '(worker exited)', { kind: 'crash', ms: Date.now() - since, cpuMs: NaN, detail: `worker exited (${signal ?? code}; out of memory?)` });
        startWorker(current + 1);
      });
    };
    startWorker(args.from);
  });
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const started = Date.now();
  console.log(`fuzz: seed ${args.seed}, ${args.count} inputs per class from #${args.from}, Ctrl-C after ${args.patienceMs} ms, hang > 2000 ms of engine CPU time (> ${WAIT_MS} ms wall) or Ctrl-C > 100 ms`);
  const queue = [...args.classes];
  const reports = new Map<string, ClassReport>();
  await Promise.all(
    Array.from({ length: args.jobs }, async () => {
      for (let name = queue.shift(); name; name = queue.shift()) {
        const r = await runInWorkers(name, args);
        reports.set(name, r);
        console.log(`  ${name.padEnd(20)} ${String(r.inputs).padStart(6)} inputs ${String(r.crashes).padStart(5)} crashes ${String(r.hangs).padStart(5)} hangs ${String(r.stopped).padStart(6)} stopped by Ctrl-C   worst ${r.worstMs.toFixed(0).padStart(5)} ms wall ${r.worstCpuMs.toFixed(0).padStart(5)} ms CPU   mean ${(r.totalMs / Math.max(1, r.inputs)).toFixed(1)} ms`);
      }
    }),
  );
  const all = args.classes.map((n) => reports.get(n)!);
  console.log('\nclass                 inputs  crashes  hangs  stopped  worst ms wall  worst ms CPU  mean ms wall');
  for (const r of all) console.log(`${r.name.padEnd(20)} ${String(r.inputs).padStart(7)} ${String(r.crashes).padStart(8)} ${String(r.hangs).padStart(6)} ${String(r.stopped).padStart(8)} ${r.worstMs.toFixed(0).padStart(14)} ${r.worstCpuMs.toFixed(0).padStart(13)} ${(r.totalMs / Math.max(1, r.inputs)).toFixed(1).padStart(8)}`);
  const total = all.reduce((a, r) => ({ inputs: a.inputs + r.inputs, crashes: a.crashes + r.crashes, hangs: a.hangs + r.hangs }), { inputs: 0, crashes: 0, hangs: 0 });
  console.log(`${'total'.padEnd(20)} ${String(total.inputs).padStart(7)} ${String(total.crashes).padStart(8)} ${String(total.hangs).padStart(6)}   in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  const failures = all.flatMap((r) => r.failures.map((f) => ({ cls: r.name, ...f })));
  if (failures.length) {
    console.log(`\nfailures (first 40 of ${failures.length}):`);
    for (const f of failures.slice(0, 40)) console.log(`- ${f.cls} #${f.index} ${f.verdict.kind} (${f.verdict.ms.toFixed(0)} ms wall, ${f.verdict.cpuMs.toFixed(0)} ms CPU): ${f.verdict.detail ?? ''}\n    input: ${JSON.stringify(f.input.slice(0, 300))}`);
  }
  process.exitCode = total.crashes + total.hangs > 0 ? 1 : 0;
}

void main();
