/**
 * The Web Worker entry: the sandbox runs here, on real time, off the page's main thread.
 * Each lesson's sandbox is saved to IndexedDB after the learner's commands; the validation
 * engine (schemas, analyzers) loads as a separate chunk once the sandbox is ready, and a
 * lesson's start state (src/terminal/startState.ts) as a chunk of its own when it starts.
 */
import { bundledExamples, bundledSamples } from './examples';
import { SandboxHost } from './host';
import type { ServerMessage } from './protocol';
import { indexedDbStore } from './snapshotStore';

interface WorkerScope {
  postMessage(msg: ServerMessage): void;
  onmessage: ((e: MessageEvent<unknown>) => void) | null;
}

// the worker's code is loaded and evaluated (the start's first point, see host.ts)
performance.mark('sandbox:script');
const scope = self as unknown as WorkerScope;
const host = new SandboxHost({
  post: (m) => scope.postMessage(m),
  examples: bundledExamples(),
  samples: bundledSamples(),
  store: indexedDbStore(),
  loadValidation: () => import(/* webpackChunkName: "sandbox-validation" */ '../validation/sandbox').then((m) => m.sandboxValidation),
  // the lesson's start state prepared at build time (scripts/start-states.ts), one chunk per setup;
  // a key with no file (a dev server before the first build) rejects, and the setup runs instead
  startState: (key) => import(/* webpackChunkName: "sandbox-start-[request]" */ './startStates/' + key + '.json').then((m: { default?: unknown }) => m.default ?? m),
});
scope.onmessage = (e) => {
  void host.handle(e.data);
};
