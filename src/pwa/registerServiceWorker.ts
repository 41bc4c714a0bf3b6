/**
 * Registers the site's service worker (@docusaurus/plugin-pwa's sw.js) once the page no longer
 * needs the network for itself. On its first visit
 * the service worker precaches the whole build (~15 MB); started at hydration, that download
 * competes with the terminal the learner is opening. So it waits:
 *   - a learner opening the terminal (the `terminal:intent` mark, src/components/Terminal): until
 *     the terminal is ready for input (`terminal:ready`, XtermView), at most TERMINAL_WAIT_MS;
 *   - otherwise, until the page has loaded and stayed quiet for QUIET_MS, at its next idle moment.
 * Whichever comes first. The offline promise holds: after the first visit the site works offline
 * (tests/e2e/offline.spec.ts), only the precache starts a few seconds later.
 *
 * The registration itself is this module's own (`registerServiceWorker` below), not plugin-pwa's
 * registerSw.js: that one brings workbox-window and the offline-mode strategies (3.2 KiB gzip run
 * on every page, ~1.5 % of a lesson's JavaScript, issue #15's page-weight budget), where this site
 * needs one strategy ('always') and the update prompt.
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

/**
 * The service worker's address as plugin-pwa's registerSw.js builds it
 * (@docusaurus/plugin-pwa/lib/registerSw.js, createServiceWorkerUrl): sw.js reads its `params`
 * (lib/sw.js, parseSwParams) and precaches the build only with `offlineMode`. The same address
 * keeps the registrations of earlier visits: a different one would be a new service worker.
 * docusaurus.config.ts sets the one activation strategy 'always'; the others (mobile, saveData,
 * appInstalled, standalone, queryString) are not implemented here.
 */
export function serviceWorkerUrl(): string {
  const offlineMode = (process.env.PWA_OFFLINE_MODE_ACTIVATION_STRATEGIES as unknown as string[]).includes('always');
  return `${process.env.PWA_SERVICE_WORKER_URL}?params=${encodeURIComponent(JSON.stringify({ offlineMode, debug: process.env.PWA_DEBUG }))}`;
}

/**
 * A new version of the site installed while an older one controls the page waits: plugin-pwa's
 * reload popup offers it, and its button tells the waiting worker to take over (sw.js answers the
 * `SKIP_WAITING` message), then reloads — what registerSw.js does in offline mode.
 */
function offerReload(waiting: ServiceWorker): void {
  void import('@docusaurus/plugin-pwa/lib/renderReloadPopup.js').then(({ renderReloadPopup }) =>
    renderReloadPopup({
      onReload() {
        navigator.serviceWorker.addEventListener('controllerchange', () => window.location.reload(), { once: true });
        waiting.postMessage({ type: 'SKIP_WAITING' });
      },
    }),
  );
}

export async function registerServiceWorker(container: ServiceWorkerContainer = navigator.serviceWorker): Promise<void> {
  const registration = await container.register(serviceWorkerUrl());
  // a first install (no controller yet) activates at once; an update waits for the learner's consent.
  // The installing worker can be seen twice (already installing when register() resolves, and in
  // the updatefound event queued for it): it is watched once.
  const watched = new WeakSet<ServiceWorker>();
  const whenInstalled = (worker: ServiceWorker): void => {
    if (watched.has(worker)) return;
    watched.add(worker);
    worker.addEventListener('statechange', () => {
      if (worker.state === 'installed' && container.controller) offerReload(worker);
    });
  };
  if (registration.waiting && container.controller) offerReload(registration.waiting);
  if (registration.installing) whenInstalled(registration.installing);
  registration.addEventListener('updatefound', () => {
    if (registration.installing) whenInstalled(registration.installing);
  });
}

if (ExecutionEnvironment.canUseDOM && 'serviceWorker' in navigator) {
  scheduleRegistration(() => {
    registerServiceWorker().catch((e: unknown) => console.error('registerSW failed', e));
  });
}
