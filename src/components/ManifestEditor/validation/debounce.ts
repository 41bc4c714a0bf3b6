/** A trailing-edge debounce with flush, for validating as the learner types. */

/**
 * Runs `run` once `delayMs` after the last call to `schedule()`; `flush()` runs it now.
 * The editor validates this way as the learner types.
 */
export function debounce(run: () => void, delayMs: number): {schedule(): void; flush(): void; cancel(): void; pending(): boolean} {
  let timer: ReturnType<typeof setTimeout> | null = null;
  return {
    schedule() {
      if (timer) clearTimeout(timer);
      timer = setTimeout(() => {
        timer = null;
        run();
      }, delayMs);
    },
    flush() {
      if (timer) clearTimeout(timer);
      timer = null;
      run();
    },
    cancel() {
      if (timer) clearTimeout(timer);
      timer = null;
    },
    pending() {
      return timer !== null;
    },
  };
}
