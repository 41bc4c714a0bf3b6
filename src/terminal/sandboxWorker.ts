/**
 * The sandbox's Web Worker, created apart from the pool (workerPool.ts) and the connection code
 * it brings: the lesson page starts the worker on the learner's intent from code already on the
 * page (src/components/Terminal/launcher.ts), so the worker's script loads and runs while the
 * terminal's own chunks load, not after them. The pool adopts that worker with what it said.
 */
import { loadSeat } from '../workshop/pageState';

/** Whether this page's terminals use the workshop server's sandbox (the page was opened through a room link). */
export function inRoom(): boolean {
  return loadSeat() !== undefined;
}

export function createSandboxWorker(): Worker {
  return new Worker(new URL('./worker.ts', import.meta.url), { name: 'istio-sandbox' });
}

/** Stands in an early worker's messages for its `error` event, in the order they came. */
export const WORKER_ERROR: unique symbol = Symbol('worker error');

/** A worker started before the pool was on the page, with what it posted since. */
export interface EarlyWorker {
  worker: Worker;
  messages: unknown[];
}

let early: EarlyWorker | undefined;

/** Starts the sandbox's worker now (once; not in a room, whose sandbox is on the server). */
export function startWorkerEarly(): void {
  if (early || typeof Worker === 'undefined' || inRoom()) return;
  const e: EarlyWorker = { worker: createSandboxWorker(), messages: [] };
  e.worker.onmessage = (m: MessageEvent<unknown>) => void e.messages.push(m.data);
  e.worker.onerror = () => void e.messages.push(WORKER_ERROR);
  early = e;
}

/** The worker started early, if there is one nobody took yet (the pool then owns it). */
export function takeEarlyWorker(): EarlyWorker | undefined {
  const e = early;
  early = undefined;
  return e;
}
