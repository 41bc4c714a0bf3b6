/** Public entry of the sandbox engine. */
export { MAIN_SESSION, Sandbox, type SandboxOptions } from './sandbox';
export { Cluster } from './cluster';
export { AbortError, ManualClock, RealClock, CancelSource, type Clock, type CancelToken } from './core/clock';
export type { Completion } from './shell/completion';
export { HOME } from './shell/vfs';
export { SNAPSHOT_LOG_LINES, SNAPSHOT_VERSION, type SandboxSnapshot } from './snapshot';
export { SeededRandom, type Random } from './core/random';
export type { SchemaValidator } from './api/admission';
