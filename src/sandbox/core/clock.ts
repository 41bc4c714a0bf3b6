/**
 * Time for the sandbox. Every component reads time from a Clock, never from Date.now(),
 * so tests can run on virtual time (ManualClock) and the browser on real time (RealClock).
 */
export interface Clock {
  /** Milliseconds since the Unix epoch. */
  now(): number;
  /** Waits `ms` milliseconds of this clock's time. Rejects with AbortError when the token is cancelled. */
  sleep(ms: number, token?: CancelToken): Promise<void>;
  /** Optional: moves the clock forward at once (virtual clocks). Restoring a snapshot uses it to catch up. */
  skip?(ms: number): void;
}

/** An AbortSignal-like token: Ctrl-C in the terminal and step budgets cancel it. */
export interface CancelToken {
  readonly cancelled: boolean;
  readonly reason: string;
  onCancel(cb: () => void): () => void;
}

export class AbortError extends Error {
  constructor(reason = 'interrupted') {
    super(reason);
    this.name = 'AbortError';
  }
}

export class CancelSource implements CancelToken {
  private listeners = new Set<() => void>();
  cancelled = false;
  reason = '';
  cancel(reason = 'interrupted'): void {
    if (this.cancelled) return;
    this.cancelled = true;
    this.reason = reason;
    for (const cb of [...this.listeners]) cb();
    this.listeners.clear();
  }
  onCancel(cb: () => void): () => void {
    if (this.cancelled) {
      cb();
      return () => undefined;
    }
    this.listeners.add(cb);
    return () => this.listeners.delete(cb);
  }
  get token(): CancelToken {
    return this;
  }
}

export function throwIfCancelled(token: CancelToken | undefined): void {
  if (token?.cancelled) throw new AbortError(token.reason);
}

/**
 * Waits for work done outside the engine (WebCrypto's key generation runs on another thread:
 * an RSA key takes 0.1–1 s, longer for 4096 bits) and stops at Ctrl-C without waiting for it.
 */
export function untilCancelled<T>(work: Promise<T>, token: CancelToken | undefined): Promise<T> {
  if (!token) return work;
  return new Promise<T>((resolve, reject) => {
    if (token.cancelled) {
      reject(new AbortError(token.reason));
      return;
    }
    const off = token.onCancel(() => reject(new AbortError(token.reason)));
    work.then(
      (v) => {
        off();
        resolve(v);
      },
      (e: unknown) => {
        off();
        reject(e);
      },
    );
  });
}

let lastBreath = 0;

/**
 * For a command's long loop (kubectl apply of thousands of documents): every ~20 ms of wall
 * time, yields one macrotask so the host can deliver Ctrl-C, then stops if it was pressed.
 * Wall time only paces yielding; results stay deterministic.
 */
export async function breathe(token: CancelToken | undefined): Promise<void> {
  throwIfCancelled(token);
  const now = Date.now();
  if (now - lastBreath < 20) return;
  lastBreath = now;
  await new Promise<void>((resolve) => setTimeout(resolve, 0));
  throwIfCancelled(token);
}

/** Virtual time: sleep() advances the clock instantly. Deterministic. */
export class ManualClock implements Clock {
  private t: number;
  constructor(start: number | string = '2025-01-15T10:00:00.000Z') {
    this.t = typeof start === 'number' ? start : Date.parse(start);
  }
  now(): number {
    return this.t;
  }
  advance(ms: number): void {
    if (ms > 0) this.t += ms;
  }
  skip(ms: number): void {
    this.advance(ms);
  }
  async sleep(ms: number, token?: CancelToken): Promise<void> {
    throwIfCancelled(token);
    this.advance(ms);
    // yield to the event loop so a Ctrl-C issued meanwhile can be observed
    await Promise.resolve();
    throwIfCancelled(token);
  }
}

/** Wall-clock time; sleep() really waits (a 5 s injected delay takes 5 s). */
export class RealClock implements Clock {
  now(): number {
    return Date.now();
  }
  sleep(ms: number, token?: CancelToken): Promise<void> {
    return new Promise((resolve, reject) => {
      if (token?.cancelled) {
        reject(new AbortError(token.reason));
        return;
      }
      let off: () => void = () => undefined;
      const id = setTimeout(() => {
        off();
        resolve();
      }, Math.max(0, ms));
      if (token) {
        off = token.onCancel(() => {
          clearTimeout(id);
          reject(new AbortError(token.reason));
        });
      }
    });
  }
}

/** RFC 3339 timestamp with milliseconds, as Envoy prints %START_TIME%. */
export function isoMillis(ms: number): string {
  return new Date(ms).toISOString();
}

/** RFC 3339 timestamp with seconds, as Kubernetes stores creationTimestamp. */
export function isoSeconds(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

/** kubectl's human-readable age: 5s, 2m10s, 12m, 3h5m, 2d4h, 45d (k8s.io/apimachinery duration.HumanDuration). */
export function humanDuration(ms: number): string {
  const seconds = Math.floor(Math.max(0, ms) / 1000);
  if (seconds < 60 * 2) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 10) {
    const s = seconds % 60;
    return s === 0 ? `${minutes}m` : `${minutes}m${s}s`;
  }
  if (minutes < 60 * 3) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 8) {
    const m = minutes % 60;
    return m === 0 ? `${hours}h` : `${hours}h${m}m`;
  }
  if (hours < 48) return `${hours}h`;
  if (hours < 24 * 8) {
    const h = hours % 24;
    const d = Math.floor(hours / 24);
    return h === 0 ? `${d}d` : `${d}d${h}h`;
  }
  if (hours < 24 * 365 * 2) return `${Math.floor(hours / 24)}d`;
  return `${Math.floor(hours / 24 / 365)}y`;
}
