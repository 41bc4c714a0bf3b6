/**
 * A worker thread of the workshop server: the sandboxes (SandboxHost, as in the browser's Web
 * Worker, src/terminal/worker.ts) of the participants assigned to it. The engine yields between
 * its steps, so one participant's endless loop shares this thread with the others here and
 * never holds the server's main thread; Ctrl-C reaches it as in the browser.
 *
 * Main → worker: { t: 'msg', pid, msg } (a terminal ClientMessage) | { t: 'drop', pid } | { t: 'flush' }
 * Worker → main: { t: 'msg', pid, msg } (a ServerMessage) | { t: 'ready' } | { t: 'flushed' }
 *
 * Snapshots are saved at most every SNAPSHOT_EVERY_MS per participant (the newest state when
 * the interval ends), not after every command: a snapshot of a lesson's sandbox costs a few ms of
 * this thread and a ~250 KB write, and a room firing commands quickly would spend a large part
 * of the cores on them. A crash loses at most that much of a participant's work; a shutdown
 * (`flush`) and the end of a room (`drop`) save what was waiting.
 */
import { join } from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import { SandboxHost } from '../terminal/host';
import { sandboxValidation } from '../validation/sandbox';
// the same reader the terminal's tests use, with the browser worker's filter (src/terminal/examples.ts)
import { readExamples } from '../sandbox/testing';
import { fileSnapshotStore } from './fileSnapshotStore';

export interface SandboxWorkerData {
  /** DATA/snapshots: one directory per participant. */
  snapshotsDir: string;
  examplesDir: string;
  samplesDir: string;
}

export type ToWorker = { t: 'msg'; pid: string; msg: unknown } | { t: 'drop'; pid: string } | { t: 'flush' };
export type FromWorker = { t: 'msg'; pid: string; msg: unknown } | { t: 'ready' } | { t: 'flushed' };

/** At most one snapshot per participant this often (see above). */
export const SNAPSHOT_EVERY_MS = 5_000;

const port = parentPort;
if (port) {
  const data = workerData as SandboxWorkerData;
  const MOUNTED = /\.(ya?ml|md)$/;
  const examples = readExamples(data.examplesDir, MOUNTED);
  let samples: Record<string, string> | undefined;
  try {
    samples = readExamples(data.samplesDir, MOUNTED);
  } catch {
    samples = undefined;
  }
  // loaded once per thread (the static import above) and shared by its sandboxes
  const loadValidation = (): Promise<typeof sandboxValidation> => Promise.resolve(sandboxValidation);
  const hosts = new Map<string, SandboxHost>();
  const hostOf = (pid: string): SandboxHost => {
    let host = hosts.get(pid);
    if (!host) {
      host = new SandboxHost({
        post: (msg) => port.postMessage({ t: 'msg', pid, msg } satisfies FromWorker),
        examples,
        samples,
        store: fileSnapshotStore(join(data.snapshotsDir, pid)),
        snapshotEveryMs: SNAPSHOT_EVERY_MS,
        loadValidation,
      });
      hosts.set(pid, host);
    }
    return host;
  };
  port.on('message', (m: ToWorker) => {
    if (m.t === 'msg') void hostOf(m.pid).handle(m.msg);
    else if (m.t === 'drop') {
      const host = hosts.get(m.pid);
      hosts.delete(m.pid);
      void host?.flushSnapshot();
      host?.handle({ type: 'interrupt' });
    } else if (m.t === 'flush') {
      void Promise.all([...hosts.values()].map((h) => h.flushSnapshot())).then(() => port.postMessage({ t: 'flushed' } satisfies FromWorker));
    }
  });
  port.postMessage({ t: 'ready' } satisfies FromWorker);
}
