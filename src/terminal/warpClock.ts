/**
 * Real time that can be fast-forwarded. The browser sandbox runs on wall-clock time (a 5 s
 * injected delay really takes 5 s), but preparing a lesson's start state or replaying the
 * learner's commands after a reload must not make them wait for pods to start: in warp mode
 * sleep() returns at once and moves the clock forward instead.
 */
import { AbortError, type CancelToken, type Clock } from '../sandbox/core/clock';

export class WarpClock implements Clock {
  private offset = 0;
  private warping = 0;

  constructor(private readonly wall: () => number = () => Date.now()) {}

  now(): number {
    return this.wall() + this.offset;
  }

  /** Moves the clock forward without waiting. */
  skip(ms: number): void {
    if (ms > 0) this.offset += ms;
  }

  /** Runs `fn` with instant sleeps. */
  async warp<T>(fn: () => Promise<T>): Promise<T> {
    this.warping++;
    try {
      return await fn();
    } finally {
      this.warping--;
    }
  }

  get warpActive(): boolean {
    return this.warping > 0;
  }

  sleep(ms: number, token?: CancelToken): Promise<void> {
    if (token?.cancelled) return Promise.reject(new AbortError(token.reason));
    if (this.warping > 0) {
      this.skip(ms);
      return Promise.resolve();
    }
    return new Promise((resolve, reject) => {
      let off: () => void = () => undefined;
      const id = setTimeout(() => {
        off();
        resolve();
      }, Math.max(0, ms));
      if (token)
        off = token.onCancel(() => {
          clearTimeout(id);
          reject(new AbortError(token.reason));
        });
    });
  }
}
