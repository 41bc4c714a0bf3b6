/**
 * What a lesson page needs of the terminal while it is closed: the page-level store for React,
 * warming on intent, the lesson reset, and the loaders of the terminal's own chunks (the dock,
 * the xterm.js view, the sandbox's worker). Everything else of the terminal loads when the
 * learner opens it or shows the intent to (tests/e2e/terminal.spec.ts, npm run bench:pages).
 */
import { useEffect, useState, useSyncExternalStore } from 'react';
import { startWorkerEarly } from '../../terminal/sandboxWorker';
import { terminalStore } from '../../terminal/store';

/** A module of its own chunk, loaded once and then at hand synchronously. */
export interface LazyModule<T> {
  load(): Promise<T>;
  /** The module once loaded. */
  current(): T | undefined;
}

export function lazyModule<T>(importer: () => Promise<T>): LazyModule<T> {
  let loaded: T | undefined;
  let pending: Promise<T> | undefined;
  return {
    load() {
      pending ??= importer().then(
        (m) => (loaded = m),
        (e: unknown) => {
          pending = undefined; // a later try may succeed (the connection came back)
          throw e;
        },
      );
      return pending;
    },
    current: () => loaded,
  };
}

/**
 * A lazily loaded module for a component: at hand at once when it was loaded before (warmed on
 * intent). Not React.lazy + Suspense: React holds content that resolves after a Suspense
 * fallback for up to 300 ms, which the learner would wait for even when the chunk was
 * prefetched on hover.
 */
export function useLazyModule<T>(module: LazyModule<T>): { module?: T; failed: boolean } {
  const [loaded, setLoaded] = useState(module.current);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    if (loaded) return undefined;
    let live = true;
    module.load().then(
      (m) => live && setLoaded(() => m),
      () => live && setFailed(true),
    );
    return () => {
      live = false;
    };
  }, [module, loaded]);
  return { module: loaded, failed };
}

/** The docked terminal (its bar, tabs, resizing, the «Трафик» view). */
export const dockModule = lazyModule(() => import(/* webpackChunkName: "terminal-dock" */ './Dock'));
/** The terminal's screen: xterm.js and the session over the sandbox. */
export const xtermViewModule = lazyModule(() => import('./XtermView'));

/** Starts preparing the lesson's sandbox (a worker in this tab; a room's sandbox needs no warming). */
export function prewarmSandbox(scenario: string | undefined): void {
  void import(/* webpackChunkName: "terminal-dock" */ '../../terminal/sandboxTransport').then(
    (m) => m.prewarmSandbox(scenario),
    () => undefined, // the dock reports a chunk that does not load
  );
}

let warmed = false;
/**
 * The learner is about to open the terminal (pointer over, focus on or touch of a button that
 * opens it): start loading xterm.js, the dock and the sandbox worker now, not on the click.
 */
export function warmTerminal(): void {
  if (warmed || typeof window === 'undefined') return;
  warmed = true;
  performance.mark('terminal:intent');
  // the sandbox's worker first: its script is the longest to load, and the pool that adopts it comes with the dock's chunk
  startWorkerEarly();
  terminalStore.starting();
  void xtermViewModule.load().catch(() => undefined);
  void dockModule.load().catch(() => undefined);
  prewarmSandbox(terminalStore.getSnapshot().scenario);
}

/** Props that warm the terminal on intent, for any button that opens it. */
export const warmOnIntent = { onPointerEnter: warmTerminal, onFocus: warmTerminal, onTouchStart: warmTerminal } as const;

export function useTerminalStore() {
  return useSyncExternalStore(terminalStore.subscribe, terminalStore.getSnapshot, terminalStore.getSnapshot);
}

/**
 * The one reset of a lesson, behind both reset buttons (the lesson's and the dock's): it asks first, then
 * brings the sandbox back to the lesson's start and clears the history and the passed steps.
 * Resolves to false when the learner declined.
 */
export async function resetLesson(): Promise<boolean> {
  if (!window.confirm('Сбросить урок? Песочница вернётся к началу урока, история команд и отметки шагов будут удалены.')) return false;
  try {
    await (await terminalStore.ready()).reset();
  } finally {
    terminalStore.bumpProgress();
  }
  return true;
}
