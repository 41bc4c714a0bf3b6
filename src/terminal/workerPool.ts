/**
 * Creates the sandbox's Web Worker. As soon as the learner shows the intent to open the
 * terminal, a worker is started and already told to prepare the lesson's sandbox, so that
 * work overlaps with loading xterm.js; the terminal then takes that worker over.
 */
import { WORKER_FAILED, WorkerTransport, type Transport } from './connection';
import { loadLessonState } from './persistence';
import type { ServerMessage } from './protocol';
import { isServerMessage } from './protocol';
import { createSandboxWorker, takeEarlyWorker, WORKER_ERROR } from './sandboxWorker';

interface Spare {
  worker: Worker;
  scenario: string | undefined;
  buffered: ServerMessage[];
}

let spare: Spare | undefined;
/**
 * The workers terminals have taken and not closed. A prewarm for a lesson whose terminal already
 * has its worker starts no other: the dock's own prewarm runs after its terminal (a child, whose
 * effect runs first) took the warmed worker, and a second sandbox would start beside the first,
 * taking the cores the terminal's start needs.
 */
const inUse = new Set<PrestartedTransport>();

/** A worker not told to start anything yet: the one started on intent (sandboxWorker.ts), else a new one. */
function newSpare(): Spare {
  const early = takeEarlyWorker();
  const s: Spare = { worker: early?.worker ?? createSandboxWorker(), scenario: undefined, buffered: [] };
  const take = (m: unknown): void => {
    if (m === WORKER_ERROR) s.buffered.push(WORKER_FAILED);
    else if (isServerMessage(m)) s.buffered.push(m);
  };
  for (const m of early?.messages ?? []) take(m);
  s.worker.onmessage = (e: MessageEvent<unknown>) => take(e.data);
  s.worker.onerror = () => take(WORKER_ERROR);
  return s;
}

/** Starts a worker; with a scenario, it also starts preparing that lesson's sandbox. */
export function prewarmWorker(scenario?: string): void {
  if (typeof Worker === 'undefined') return;
  if (scenario !== undefined && [...inUse].some((t) => t.prestarted === scenario)) return;
  spare ??= newSpare();
  if (scenario && spare.scenario !== scenario) {
    spare.scenario = scenario;
    spare.worker.postMessage({ type: 'start', scenario, replay: loadLessonState(scenario).journal });
  }
}

/** A transport over a worker that may have been started already (see `prestarted`). */
export class PrestartedTransport extends WorkerTransport {
  constructor(
    worker: Worker,
    /** The scenario the worker was already told to start, if any. */
    readonly prestarted: string | undefined,
    private readonly buffered: ServerMessage[],
  ) {
    super(worker);
  }
  override listen(onMessage: (msg: ServerMessage) => void): void {
    for (const m of this.buffered.splice(0)) onMessage(m);
    super.listen(onMessage);
  }
  override close(): void {
    inUse.delete(this);
    super.close();
  }
}

export function takeTransport(): Transport & { prestarted?: string } {
  const s = spare ?? newSpare();
  spare = undefined;
  const transport = new PrestartedTransport(s.worker, s.scenario, s.buffered);
  inUse.add(transport);
  return transport;
}
