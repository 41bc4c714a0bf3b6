/**
 * The Web Worker entry: the sandbox runs here, on real time, off the page's main thread.
 */
import { bundledExamples } from './examples';
import { SandboxHost } from './host';
import type { ServerMessage } from './protocol';

interface WorkerScope {
  postMessage(msg: ServerMessage): void;
  onmessage: ((e: MessageEvent<unknown>) => void) | null;
}

const scope = self as unknown as WorkerScope;
const host = new SandboxHost({ post: (m) => scope.postMessage(m), examples: bundledExamples() });
scope.onmessage = (e) => {
  void host.handle(e.data);
};
