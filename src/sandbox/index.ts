/** Public entry of the sandbox engine. */
export { Sandbox, type SandboxOptions } from './sandbox';
export { Cluster } from './cluster';
export { ManualClock, RealClock, CancelSource, type Clock, type CancelToken } from './core/clock';
export { SeededRandom, type Random } from './core/random';
export type { SchemaValidator } from './api/admission';
