/**
 * The participants' sandboxes spread over worker threads (sandboxWorker.ts), one pool per
 * server, sized to the machine's cores. A participant stays on the thread it was given (its
 * sandbox lives there); new participants go to the thread with the fewest.
 */
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { ClientMessage, ServerMessage } from '../terminal/protocol';
import type { FromWorker, SandboxWorkerData, ToWorker } from './sandboxWorker';

export interface PoolOptions extends SandboxWorkerData {
  threads?: number;
  /** A sandbox's message for its participant. */
  onMessage: (pid: string, msg: ServerMessage) => void;
}

interface Thread {
  worker: Worker;
  participants: Set<string>;
  ready: Promise<void>;
  /** Called when the thread answers `flush` (its sandboxes' waiting snapshots are on disk). */
  flushed?: () => void;
}

/** How long a shutdown waits for the threads' waiting snapshots. */
const FLUSH_TIMEOUT_MS = 5_000;

/** Starts a TypeScript worker under tsx (the server runs under tsx, tests under vitest). */
function tsWorker(file: string, workerData: SandboxWorkerData): Worker {
  const boot = `require(${JSON.stringify(require.resolve('tsx/cjs'))}); require(${JSON.stringify(file)});`;
  return new Worker(boot, { eval: true, workerData });
}

export class SandboxPool {
  private readonly threads: Thread[] = [];
  private readonly assigned = new Map<string, Thread>();
  private closed = false;
  private deaths: number[] = [];
  /** Resolves when every thread has loaded the course files and the validation engine. */
  readonly ready: Promise<void>;

  constructor(private readonly opts: PoolOptions) {
    const n = Math.max(1, opts.threads ?? availableParallelism());
    for (let i = 0; i < n; i++) this.threads.push(this.spawn());
    this.ready = Promise.all(this.threads.map((t) => t.ready)).then(() => undefined);
  }

  private spawn(participants = new Set<string>()): Thread {
    const worker = tsWorker(join(__dirname, 'sandboxWorker.ts'), { snapshotsDir: this.opts.snapshotsDir, examplesDir: this.opts.examplesDir, samplesDir: this.opts.samplesDir });
    let markReady: () => void = () => undefined;
    const thread: Thread = { worker, participants, ready: new Promise((r) => (markReady = r)) };
    worker.on('message', (m: FromWorker) => {
      if (m.t === 'ready') markReady();
      else if (m.t === 'flushed') thread.flushed?.();
      else this.opts.onMessage(m.pid, m.msg as ServerMessage);
    });
    worker.on('error', (e) => process.stderr.write(`workshop: a sandbox thread failed: ${e instanceof Error ? e.message : String(e)}\n`)); // 'exit' follows
    worker.on('exit', () => {
      markReady();
      if (this.closed) return;
      // a thread that keeps dying (a broken build) is not restarted in a loop
      const now = Date.now();
      this.deaths = [...this.deaths.filter((t) => now - t < 60_000), now];
      if (this.deaths.length > 5) return;
      // a thread died (out of memory, a bug): its participants get a new one; their next
      // start restores their snapshots
      const i = this.threads.indexOf(thread);
      if (i < 0) return;
      const next = this.spawn(thread.participants);
      this.threads[i] = next;
      for (const pid of thread.participants) {
        this.assigned.set(pid, next);
        this.opts.onMessage(pid, { type: 'error', message: 'Песочница на сервере перезапустилась. Нажмите «Сбросить урок» или обновите страницу: ваше сохранённое состояние восстановится.' });
      }
    });
    return thread;
  }

  private threadOf(pid: string): Thread {
    let t = this.assigned.get(pid);
    if (!t) {
      t = this.threads.reduce((a, b) => (b.participants.size < a.participants.size ? b : a));
      t.participants.add(pid);
      this.assigned.set(pid, t);
    }
    return t;
  }

  /** Whether this participant's sandbox lives in this process (false after a server restart until the next start). */
  has(pid: string): boolean {
    return this.assigned.has(pid);
  }

  send(pid: string, msg: ClientMessage): void {
    this.threadOf(pid).worker.postMessage({ t: 'msg', pid, msg } satisfies ToWorker);
  }

  /** Forgets a participant's sandbox (room ended or expired); its snapshots stay on disk. */
  drop(pid: string): void {
    const t = this.assigned.get(pid);
    if (!t) return;
    t.worker.postMessage({ t: 'drop', pid } satisfies ToWorker);
    t.participants.delete(pid);
    this.assigned.delete(pid);
  }

  /** Participants per thread (the bench and tests look). */
  spread(): number[] {
    return this.threads.map((t) => t.participants.size);
  }

  /** Saves every snapshot still waiting for its interval (sandboxWorker.ts), at most FLUSH_TIMEOUT_MS. */
  flush(): Promise<void> {
    return Promise.all(
      this.threads.map(
        (t) =>
          new Promise<void>((resolve) => {
            const timer = setTimeout(resolve, FLUSH_TIMEOUT_MS);
            t.flushed = () => {
              clearTimeout(timer);
              resolve();
            };
            t.worker.postMessage({ t: 'flush' } satisfies ToWorker);
          }),
      ),
    ).then(() => undefined);
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.flush();
    await Promise.all(this.threads.map((t) => t.worker.terminate()));
  }
}
