/**
 * Where the lesson's terminal runs its sandbox: in a Web Worker in this tab (the default), or on
 * the workshop server when the page was opened through a room link (the participant's seat is
 * in sessionStorage, see src/workshop/pageState.ts). Only the choice lives here; the worker side
 * is workerPool.ts (sandboxWorker.ts creates the worker), the room side src/workshop/roomLink.ts.
 */
import type { Transport } from './connection';
import { roomLink } from '../workshop/roomLink';
import { inRoom } from './sandboxWorker';
import { prewarmWorker, takeTransport } from './workerPool';


/** Starts preparing the sandbox ahead of the terminal: a worker in this tab (the room's sandbox needs no warming). */
export function prewarmSandbox(scenario?: string): void {
  if (!inRoom()) prewarmWorker(scenario);
}

/** The transport for a new terminal connection. */
export function takeSandboxTransport(): Transport & { prestarted?: string } {
  return roomLink()?.transport() ?? takeTransport();
}
