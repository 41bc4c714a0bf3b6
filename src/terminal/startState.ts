/**
 * A lesson's start state, prepared when the site is built: the sandbox right after the
 * scenario's setup commands (examples/<lesson>/scenario.ts), as a snapshot. The worker restores
 * it instead of running the setup (an `istioctl install` and a few deployments cost up to half
 * a second in the browser), moved in time to the moment the terminal starts.
 *
 * scripts/start-states.ts writes one file per distinct setup into START_STATES_DIR (lessons with
 * the same setup share it); webpack bundles each as its own chunk (src/terminal/worker.ts),
 * loaded by the worker only for its lesson. src/terminal/startState.test.ts proves that a
 * restored start state is the state the setup builds.
 */
import { SNAPSHOT_VERSION, type SandboxSnapshot } from '../sandbox/index';

/** The wall-clock time the start states are prepared at (fixed: the same sources give the same files). */
export const START_STATE_EPOCH = Date.UTC(2026, 0, 1);

/** The seed the start states are prepared with: the one a terminal starts with unless told otherwise. */
export const START_STATE_SEED = 1;

/** Where scripts/start-states.ts writes them (git-ignored; the worker's bundle imports from it). */
export const START_STATES_DIR = 'src/terminal/startStates';

export interface StartState {
  /** The setup commands the snapshot is the result of (checked against the scenario's own). */
  setup: string[];
  epoch: number;
  seed: number;
  snapshot: SandboxSnapshot;
}

/**
 * The file name of a setup's start state: FNV-1a of the setup lines. The worker finds the file
 * from the scenario it bundles, so a changed setup never picks up an old file.
 */
export function startStateKey(setup: readonly string[]): string {
  let h = 0x811c9dc5;
  for (const ch of JSON.stringify(setup)) {
    h ^= ch.codePointAt(0) ?? 0;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, '0');
}

/** Whether `v` is a start state for exactly this setup and seed (the snapshot's shape is checked by restore). */
export function isStartStateFor(v: unknown, setup: readonly string[], seed: number): v is StartState {
  if (typeof v !== 'object' || v === null) return false;
  const s = v as Partial<StartState>;
  return (
    Array.isArray(s.setup) &&
    s.setup.length === setup.length &&
    s.setup.every((line, i) => line === setup[i]) &&
    s.seed === seed &&
    typeof s.epoch === 'number' &&
    typeof s.snapshot === 'object' &&
    s.snapshot !== null &&
    (s.snapshot as { version?: unknown }).version === SNAPSHOT_VERSION
  );
}
