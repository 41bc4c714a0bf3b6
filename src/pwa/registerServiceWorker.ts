/**
 * Registers the site's service worker (@docusaurus/plugin-pwa's own registerSw.js, loaded as
 * this module's chunk) once the page no longer needs the network for itself. On its first visit
 * the service worker precaches the whole build (~15 MB); started at hydration, that download
 * competes with the terminal the learner is opening. So it waits:
 *   - a learner opening the terminal (the `terminal:intent` mark, src/components/Terminal): until
 *     the terminal is ready for input (`terminal:ready`, XtermView), at most TERMINAL_WAIT_MS;
 *   - otherwise, until the page has loaded and stayed quiet for QUIET_MS, at its next idle moment.
 * Whichever comes first. The offline promise holds: after the first visit the site works offline
 * (tests/e2e/offline.spec.ts), only the precache starts a few seconds later.
 *
 * Set as plugin-pwa's `swRegister` client module in docusaurus.config.ts.
 */
import ExecutionEnvironment from '@docusaurus/ExecutionEnvironment';

/** How long the page stays quiet after its load event before the precache starts. */
export const QUIET_MS = 2_000;
/** How long a terminal being opened may hold the precache back. */
export const TERMINAL_WAIT_MS = 15_000;

function whenIdle(run: () => void): void {
  if (typeof requestIdleCallback === 'function') requestIdleCallback(run, { timeout: QUIET_MS });
  else setTimeout(run, 0);
}

function afterLoad(run: () => void): void {
  if (document.readyState === 'complete') run();
  else window.addEventListener('load', run, { once: true });
}

/** Calls `register` once: on terminal ready, after a terminal intent's wait, or after the quiet load. */
export function scheduleRegistration(register: () => void): void {
  let done = false;
  let terminalOpening = false;
  let observer: PerformanceObserver | undefined;
  const once = (): void => {
    if (done) return;
    done = true;
    observer?.disconnect();
    register();
  };
  const onMark = (name: string): void => {
    if (name === 'terminal:ready') once();
    else if (name === 'terminal:intent' && !terminalOpening) {
      terminalOpening = true;
      setTimeout(once, TERMINAL_WAIT_MS);
    }
  };
  if (typeof PerformanceObserver === 'function' && PerformanceObserver.supportedEntryTypes?.includes('mark')) {
    observer = new PerformanceObserver((list) => list.getEntries().forEach((e) => onMark(e.name)));
    // buffered: the marks set before this module ran count too
    observer.observe({ type: 'mark', buffered: true });
  }
  afterLoad(() =>
    setTimeout(
      () =>
        whenIdle(() => {
          if (!terminalOpening) once();
        }),
      QUIET_MS,
    ),
  );
}

if (ExecutionEnvironment.canUseDOM && 'serviceWorker' in navigator) {
  scheduleRegistration(() => {
    // plugin-pwa's registration module registers on evaluation (and reports its own failures)
    import('@docusaurus/plugin-pwa/lib/registerSw.js').catch((e: unknown) => console.error('registerSW failed', e));
  });
}
