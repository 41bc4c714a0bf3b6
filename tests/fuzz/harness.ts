/**
 * The fuzzing harness: classes of generated input, each run against its target with a time
 * budget, and every input classified as
 *  - crash: an exception escapes, the shell's catch-all for internal errors fires, a JavaScript
 *    error text reaches the learner (TypeError, `is not a function`, `Maximum call stack`…), a
 *    corrupted snapshot is refused with a JavaScript error, or the sandbox is dead afterwards;
 *  - hang: more than 2 s of engine time — the CPU time of the thread that runs the engine
 *    (targets.ts cpuMs) — for one action (a command line, the editor's validation of a text, a
 *    snapshot restore), or more than 20 s of wall time (waiting that burns no CPU), or, for shell
 *    input stopped with Ctrl-C after the patience, more than 100 ms of wall time to stop;
 *  - ok (with `stopped` counting inputs that Ctrl-C ended in time).
 * Seeded: (class, seed, index) always produces the same input.
 */
import fc from 'fast-check';
import { internalErrors } from '../../src/sandbox/shell/interpreter';
import { validationErrors } from '../../src/validation/index';
import * as gen from './generators';
import { corruptSnapshot, cpuMs, runObject, runShell, runSnapshot, runYaml, SandboxPool, type Outcome } from './targets';

export const HANG_MS = 2000;
export const CTRL_C_MS = 100;
/** Wall time that is a hang whatever the CPU says (an action that waits without end). */
export const WAIT_MS = 20_000;

export interface FuzzClass {
  name: string;
  /** Input generator; inputs are shown (and stored) via `show`. */
  arbitrary: fc.Arbitrary<unknown>;
  run: (input: unknown, pool: SandboxPool, patienceMs: number) => Promise<Outcome & { interruptedAt?: number }>;
  show?: (input: unknown) => string;
  /** Whether the target is the shell (Ctrl-C applies). */
  shell?: boolean;
}

const shellClass = (name: string, arbitrary: fc.Arbitrary<string>): FuzzClass => ({
  name,
  arbitrary,
  shell: true,
  run: (input, pool, patience) => runShell(pool.get(), input as string, patience),
});

export const CLASSES: FuzzClass[] = [
  { name: 'yaml-mutation', arbitrary: gen.yamlMutation, run: (i, pool, p) => runYaml(pool, i as string, p) },
  { name: 'yaml-deep', arbitrary: gen.yamlDeep, run: (i, pool, p) => runYaml(pool, i as string, p) },
  { name: 'yaml-wide', arbitrary: gen.yamlWide, run: (i, pool, p) => runYaml(pool, i as string, p) },
  { name: 'type-confusion', arbitrary: gen.typeConfusion, run: (i, pool, p) => runObject(pool, i as Record<string, unknown>, p), show: (i) => JSON.stringify(i) },
  { name: 'type-confusion-yaml', arbitrary: gen.typeConfusionYaml, run: (i, pool, p) => runYaml(pool, i as string, p) },
  shellClass('shell-soup', gen.shellSoup),
  shellClass('course-commands', gen.courseMutation),
  shellClass('shell-nesting', gen.shellNesting),
  shellClass('heredocs', gen.heredocs),
  shellClass('bombs', gen.bombs),
  shellClass('huge-output', gen.hugeOutput),
  shellClass('regex-tools', gen.regexTools),
  shellClass('cli-grammar', gen.cliGrammar),
  {
    name: 'snapshots',
    arbitrary: gen.snapshotEdits,
    run: async (edits, _pool, p) => runSnapshot(await corruptSnapshot(edits as gen.SnapshotEdit[]), p),
    show: (i) => JSON.stringify(i),
  },
];

/** JavaScript's own error texts: never meant for a learner. */
const JS_LEAKS = /internal error|RangeError|TypeError|ReferenceError|SyntaxError:|Maximum call stack|is not a function|is not iterable|Cannot read propert|Cannot set propert|Cannot convert|undefined is not|null is not|Invalid regular expression: \/|Invalid array length|Invalid string length|Invalid time value|\[object Object\]|внутренняя ошибка песочницы|out of memory|RE2JS|Unexpected token .* in JSON|\bat [\w.$<>]+ \([^)]*:\d+:\d+\)/;

export interface Verdict {
  kind: 'ok' | 'stopped' | 'crash' | 'hang';
  /** Wall time of the slowest action. */
  ms: number;
  /** Engine CPU time of the costliest action (the 2 s bound). */
  cpuMs: number;
  detail?: string;
}

/** Runs one input and classifies it. */
export async function judge(cls: FuzzClass, input: unknown, pool: SandboxPool, patienceMs: number, limits: { hangMs: number; ctrlCMs: number } = { hangMs: HANG_MS, ctrlCMs: CTRL_C_MS }): Promise<Verdict> {
  const shown = cls.show ? cls.show(input) : String(input);
  const internal: string[] = [];
  internalErrors.onError = (e, command) => internal.push(`${command}: ${e instanceof Error ? (e.stack ?? e.message).split('\n').slice(0, 4).join(' | ') : String(e)}`);
  validationErrors.onError = (e, where) => internal.push(`validation ${where}: ${e instanceof Error ? (e.stack ?? e.message).split('\n').slice(0, 4).join(' | ') : String(e)}`);
  const start = performance.now();
  const cpuStart = cpuMs();
  let outcome: Outcome & { interruptedAt?: number };
  try {
    outcome = await cls.run(input, pool, patienceMs);
  } catch (e) {
    pool.renew();
    return { kind: 'crash', ms: performance.now() - start, cpuMs: cpuMs() - cpuStart, detail: `exception: ${e instanceof Error ? (e.stack ?? e.message).split('\n').slice(0, 5).join(' | ') : String(e)}` };
  } finally {
    internalErrors.onError = undefined;
    validationErrors.onError = undefined;
  }
  const end = performance.now();
  // a target that runs several actions a learner starts one by one is judged by the slowest
  const ms = outcome.slowestMs ?? end - start;
  const cpu = outcome.slowestCpuMs ?? cpuMs() - cpuStart;
  if (internal.length) return { kind: 'crash', ms, cpuMs: cpu, detail: `internal error: ${internal[0]}` };
  if (outcome.note) return { kind: 'crash', ms, cpuMs: cpu, detail: outcome.note };
  const leak = JS_LEAKS.exec(outcome.text);
  if (leak && !shown.includes(leak[0])) {
    const at = Math.max(0, leak.index - 80);
    return { kind: 'crash', ms, cpuMs: cpu, detail: `shown to the learner: …${outcome.text.slice(at, leak.index + 120)}…` };
  }
  if (cls.shell) {
    const alive = await runShell(pool.get(), 'echo alive', 2000);
    if (alive.text !== 'alive\n') {
      pool.renew();
      return { kind: 'crash', ms, cpuMs: cpu, detail: `dead sandbox afterwards: ${JSON.stringify(alive.text.slice(0, 200))}` };
    }
  }
  if (outcome.interruptedAt !== undefined) {
    const latency = end - outcome.interruptedAt;
    return latency > limits.ctrlCMs ? { kind: 'hang', ms, cpuMs: cpu, detail: `Ctrl-C took ${latency.toFixed(0)} ms` } : { kind: 'stopped', ms, cpuMs: cpu };
  }
  // the bound is engine time: a machine shared with other jobs stretches wall time, not CPU time
  if (cpu > limits.hangMs || ms > WAIT_MS) return { kind: 'hang', ms, cpuMs: cpu, detail: `took ${cpu.toFixed(0)} ms of engine CPU time (${ms.toFixed(0)} ms wall)` };
  return { kind: 'ok', ms, cpuMs: cpu };
}

/** The i-th input of a class for a seed: generated on its own (deterministic, and no need to hold 10 000 inputs). */
export function inputAt(cls: FuzzClass, seed: number, index: number): unknown {
  return fc.sample(cls.arbitrary, { seed: (seed * 1_000_003 + index) | 0, numRuns: 1 })[0];
}

export interface ClassReport {
  name: string;
  inputs: number;
  crashes: number;
  hangs: number;
  stopped: number;
  /** The worst wall time and the worst engine CPU time (of any input; not necessarily the same one). */
  worstMs: number;
  worstCpuMs: number;
  totalMs: number;
  failures: { index: number; input: string; verdict: Verdict }[];
}

/** Runs `count` inputs of a class in this process (a hang that never yields is not survivable here: see run.ts). */
export function emptyReport(name: string): ClassReport {
  return { name, inputs: 0, crashes: 0, hangs: 0, stopped: 0, worstMs: 0, worstCpuMs: 0, totalMs: 0, failures: [] };
}

export function record(report: ClassReport, index: number, input: string, v: Verdict): void {
  report.inputs++;
  report.worstMs = Math.max(report.worstMs, v.ms);
  if (Number.isFinite(v.cpuMs)) report.worstCpuMs = Math.max(report.worstCpuMs, v.cpuMs); // unknown for a worker the watchdog ended
  report.totalMs += v.ms;
  if (v.kind === 'crash') report.crashes++;
  if (v.kind === 'hang') report.hangs++;
  if (v.kind === 'stopped') report.stopped++;
  if (v.kind === 'crash' || v.kind === 'hang') report.failures.push({ index, input: input.slice(0, 400), verdict: v });
}

/** Runs one input; a hang is judged twice (wall time on a shared machine is noisy). */
export async function judgeAt(cls: FuzzClass, seed: number, index: number, pool: SandboxPool, patienceMs: number, limits?: { hangMs: number; ctrlCMs: number }): Promise<{ input: string; verdict: Verdict }> {
  const input = inputAt(cls, seed, index);
  let verdict = await judge(cls, input, pool, patienceMs, limits);
  if (verdict.kind === 'hang') {
    pool.renew();
    verdict = await judge(cls, input, pool, patienceMs, limits);
  }
  return { input: cls.show ? cls.show(input) : String(input), verdict };
}

/** Runs inputs `from`…`from + count - 1` of a class in this process (run.ts adds a watchdog for hangs that never yield). */
export async function runClass(cls: FuzzClass, opts: { seed: number; count: number; from?: number; patienceMs?: number; limits?: { hangMs: number; ctrlCMs: number } }): Promise<ClassReport> {
  const pool = new SandboxPool();
  const report = emptyReport(cls.name);
  const from = opts.from ?? 0;
  for (let i = from; i < from + opts.count; i++) {
    const { input, verdict } = await judgeAt(cls, opts.seed, i, pool, opts.patienceMs ?? 300, opts.limits);
    record(report, i, input, verdict);
  }
  return report;
}
