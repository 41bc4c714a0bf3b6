/**
 * Presenter mode on or off for this tab (and the room it leads, if any), shared by the lesson's
 * «Режим ведущего» toggle, the presenter bar and the room's presenter page.
 */
import { useSyncExternalStore } from 'react';
import { loadPresenter, savePresenter, type PresenterState } from '@site/src/workshop/pageState';

const OFF: PresenterState = { on: false };
let state: PresenterState | undefined;
const listeners = new Set<() => void>();

function get(): PresenterState {
  state ??= loadPresenter();
  return state;
}

export const presenterStore = {
  get,
  set(next: PresenterState): void {
    state = next;
    savePresenter(next);
    for (const l of [...listeners]) l();
  },
  subscribe(l: () => void): () => void {
    listeners.add(l);
    return () => listeners.delete(l);
  },
};

/** The presenter state; off during server rendering and hydration's first pass. */
export function usePresenter(): PresenterState {
  return useSyncExternalStore(presenterStore.subscribe, presenterStore.get, () => OFF);
}
