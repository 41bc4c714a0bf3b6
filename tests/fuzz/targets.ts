/**
 * What each class of input is thrown at: the sandbox's shell (a sandbox reused across inputs,
 * renewed every so often), the validation engine's entry points, `kubectl apply` with the
 * schema validator plugged in, and Sandbox.fromSnapshot. A target returns what a learner would
 * see; an exception that escapes is a crash.
 */
import { ManualClock } from '../../src/sandbox/core/clock';
import { Sandbox } from '../../src/sandbox/sandbox';
import type { SandboxSnapshot } from '../../src/sandbox/snapshot';
import { readExamples } from '../../src/sandbox/testing';
import { analyzeObjects, formatIstioctl, validateObject, validateObjectDiagnostics, validateText, type KubeObjectLike } from '../../src/validation/index';
import { sandboxValidation } from '../../src/validation/sandbox';
import { CONFUSING_VALUES, PROTO_KEY_NAMES, type SnapshotEdit } from './generators';

export interface Outcome {
  /** Everything a learner would see. */
  text: string;
  /** Set when the engine itself reports trouble (e.g. a refused snapshot whose reason leaks JS). */
  note?: string;
  /**
   * The engine time of the slowest single action, when a target runs several that a learner
   * would start one by one (the editor's validation, `kubectl apply`, `istioctl analyze`):
   * each must answer within the budget. Without it, the target's total time counts.
   */
  slowestMs?: number;
  /** The engine's CPU time (cpuMs) of the action with the most of it; without it, the target's total. */
  slowestCpuMs?: number;
}

import { readFileSync } from 'node:fs';

const MAIN_THREAD_SCHEDSTAT = `/proc/self/task/${process.pid}/schedstat`;
let schedstat = true;

/**
 * The engine's own CPU time in ms: the CPU time of this process's main thread, the one thread
 * that runs the sandbox's JavaScript (as the page's Web Worker does), its garbage collection
 * pauses included. Linux gives it in nanoseconds in the thread's schedstat, first field
 * (Documentation/scheduler/sched-stats.rst: "time spent on the cpu"); Node 20 has no
 * process.threadCpuUsage(). Elsewhere, the process's CPU time (every thread: the garbage
 * collector's helpers too), a little more than the engine's.
 */
export function cpuMs(): number {
  if (schedstat) {
    try {
      return Number(readFileSync(MAIN_THREAD_SCHEDSTAT, 'utf8').split(' ')[0]) / 1e6;
    } catch {
      schedstat = false;
    }
  }
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

/** Times each action of a target: the longest wall time of one action, and the most engine CPU time of one. */
class Stopwatch {
  slowest = 0;
  slowestCpu = 0;
  private since = performance.now();
  private cpuSince = cpuMs();
  lap(): void {
    const now = performance.now();
    const cpu = cpuMs();
    this.slowest = Math.max(this.slowest, now - this.since);
    this.slowestCpu = Math.max(this.slowestCpu, cpu - this.cpuSince);
    this.since = now;
    this.cpuSince = cpu;
  }
}

let examples: Record<string, string> | undefined;
const exampleFiles = (): Record<string, string> => (examples ??= readExamples());

/** A sandbox shared by the inputs of one class, renewed every 200 inputs (state piles up). */
export class SandboxPool {
  private sb: Sandbox | undefined;
  private uses = 0;
  get(): Sandbox {
    if (!this.sb || this.uses++ >= 200) {
      this.sb = new Sandbox({ examples: exampleFiles(), seed: 1, clock: new ManualClock(), ...sandboxValidation });
      this.uses = 0;
    }
    return this.sb;
  }
  renew(): void {
    this.sb = undefined;
  }
}

/** Runs one command line; Ctrl-C after `patienceMs` of wall time. Returns the output and when Ctrl-C was pressed. */
export async function runShell(sb: Sandbox, line: string, patienceMs: number): Promise<Outcome & { interruptedAt?: number }> {
  let text = '';
  let interruptedAt: number | undefined;
  // the moment the learner presses Ctrl-C; the engine hears it only when it yields, as a worker
  // hears the host's message only then: the time to stop counts from the press
  const pressedAt = performance.now() + patienceMs;
  const timer = setTimeout(() => {
    interruptedAt = pressedAt;
    sb.interrupt();
  }, patienceMs);
  try {
    await sb.run(
      line,
      (s) => {
        if (text.length < 1_000_000) text += s;
      },
      (s) => {
        if (text.length < 1_000_000) text += s;
      },
    );
  } finally {
    clearTimeout(timer);
  }
  return { text, interruptedAt };
}

/** The validation engine's entry points over YAML text, then `kubectl apply` of the same text. */
export async function runYaml(pool: SandboxPool, text: string, patienceMs: number): Promise<Outcome> {
  let out = '';
  const watch = new Stopwatch();
  // the editor: markers as the learner types
  const result = validateText(text, { context: [] });
  out += result.diagnostics.map((d) => `${d.code} ${d.message}`).join('\n');
  for (const doc of result.documents) if (doc.object) out += validateObject(doc.object).map((e) => `${e.field} ${e.detail ?? ''}`).join('\n');
  watch.lap();
  out += analyzeObjects(result.documents.flatMap((d) => (d.object ? [d.object] : []))).map((d) => formatIstioctl(d)).join('\n');
  watch.lap();
  const sb = pool.get();
  sb.fs.writeFile('/tmp/fuzz.yaml', text);
  out += (await runShell(sb, 'kubectl apply -f /tmp/fuzz.yaml', patienceMs)).text;
  watch.lap();
  return { text: out, slowestMs: watch.slowest, slowestCpuMs: watch.slowestCpu };
}

/** An object with confusing types: every object entry point, then YAML/JSON through kubectl. */
export async function runObject(pool: SandboxPool, obj: Record<string, unknown>, patienceMs: number): Promise<Outcome> {
  let out = '';
  const watch = new Stopwatch();
  const o = obj as KubeObjectLike;
  out += validateObject(o).map((e) => `${e.field} ${e.detail ?? ''}`).join('\n');
  out += validateObjectDiagnostics(o).map((d) => d.message).join('\n');
  watch.lap();
  out += analyzeObjects([o]).map((d) => formatIstioctl(d)).join('\n');
  out += validateText('', { context: [o] }).diagnostics.length;
  watch.lap();
  const sb = pool.get();
  let json: string;
  try {
    json = JSON.stringify(obj);
  } catch {
    json = '{}';
  }
  sb.fs.writeFile('/tmp/fuzz.json', json);
  out += (await runShell(sb, 'kubectl apply -f /tmp/fuzz.json', patienceMs)).text;
  watch.lap();
  out += (await runShell(sb, 'istioctl analyze -A /tmp/fuzz.json', patienceMs)).text;
  watch.lap();
  return { text: out, slowestMs: watch.slowest, slowestCpuMs: watch.slowestCpu };
}

let baseSnapshot: SandboxSnapshot | undefined;

/** A snapshot of a sandbox that ran a scenario (taken once per process). */
export async function scenarioSnapshot(): Promise<SandboxSnapshot> {
  if (baseSnapshot) return baseSnapshot;
  const sb = new Sandbox({ examples: exampleFiles(), seed: 3, clock: new ManualClock() });
  for (const line of ['kubectl apply -f examples/ingress-service-a/', 'kubectl apply -f examples/service-a-service-b/']) {
    await sb.run(line);
    await sb.cluster.advance(20_000);
  }
  await sb.run('curl -s http://172.18.255.200/ > /dev/null; export A=1; cd examples');
  baseSnapshot = sb.snapshot();
  return baseSnapshot;
}

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

function jsonPaths(v: Json, prefix: (string | number)[], out: (string | number)[][]): void {
  out.push(prefix);
  if (Array.isArray(v)) v.forEach((x, i) => jsonPaths(x, [...prefix, i], out));
  else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) jsonPaths(x, [...prefix, k], out);
}

let allPaths: (string | number)[][] | undefined;

/** A real snapshot with a few values replaced, deleted, duplicated or given prototype-named keys. */
export async function corruptSnapshot(edits: SnapshotEdit[]): Promise<unknown> {
  const base = (await scenarioSnapshot()) as unknown as Json;
  if (!allPaths) {
    allPaths = [];
    jsonPaths(base, [], allPaths);
  }
  const copy = JSON.parse(JSON.stringify(base)) as Json;
  for (const e of edits) {
    const path = allPaths[e.path % allPaths.length];
    if (path.length === 0) continue;
    let parent: Json = copy;
    for (const seg of path.slice(0, -1)) parent = (parent as Record<string, Json>)?.[seg] ?? null;
    if (!parent || typeof parent !== 'object') continue;
    const key = path[path.length - 1];
    const p = parent as Record<string | number, Json>;
    const value = JSON.parse(JSON.stringify(CONFUSING_VALUES[e.value] ?? null)) as Json;
    switch (e.op) {
      case 0:
        p[key] = value;
        break;
      case 1:
        if (Array.isArray(parent)) parent.splice(Number(key), 1);
        else delete p[key];
        break;
      case 2:
        p[key] = JSON.parse(`{${JSON.stringify(PROTO_KEY_NAMES[e.value % PROTO_KEY_NAMES.length])}: ${JSON.stringify(p[key] ?? null)}}`) as Json;
        break;
      case 3:
        if (Array.isArray(parent)) parent.push(JSON.parse(JSON.stringify(p[key] ?? null)) as Json);
        else p[key] = [p[key] ?? null];
        break;
      default:
        p[key] = typeof p[key] === 'string' ? `${p[key] as string}x` : typeof p[key] === 'number' ? -(p[key] as number) - 1 : JSON.stringify(p[key] ?? null); // String() throws on a toString key
    }
  }
  return copy;
}

/** Restores a (corrupted) snapshot; if accepted, the restored sandbox must keep working. */
export async function runSnapshot(snapshot: unknown, patienceMs: number): Promise<Outcome> {
  let sb: Sandbox;
  const watch = new Stopwatch();
  try {
    sb = Sandbox.fromSnapshot(snapshot, { examples: exampleFiles(), clock: new ManualClock(), ...sandboxValidation });
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    const clear = e instanceof Error && !(e instanceof TypeError || e instanceof RangeError || e instanceof ReferenceError || e instanceof SyntaxError) && /^(invalid sandbox snapshot|unsupported sandbox snapshot version|snapshot refers to)/.test(message);
    return { text: message, note: clear ? undefined : `refused with ${e instanceof Error ? e.constructor.name : typeof e}: ${message}` };
  }
  watch.lap();
  let text = '';
  for (const line of ['kubectl get all -A', 'kubectl apply -f ~/examples/ingress-service-a/', 'kubectl delete -f ~/examples/service-a-service-b/', 'kubectl get pods -A -o yaml | head -5', 'curl -s http://172.18.255.200/ | head -3', 'istioctl analyze -A', 'ls; echo $A; history | tail -2']) {
    text += (await runShell(sb, line, patienceMs)).text;
    await sb.cluster.advance(3000);
    watch.lap();
  }
  JSON.stringify(sb.snapshot());
  watch.lap();
  return { text, slowestMs: watch.slowest, slowestCpuMs: watch.slowestCpu };
}
