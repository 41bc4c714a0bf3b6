/**
 * Presenter mode on a lesson page: the lesson in large type on the left, the terminal on the
 * right, sections revealed one at a time, and — when the presenter leads a room — follow-me and
 * the room's QR code (PresenterBar.tsx). Off, it is one button, «Режим ведущего», above the
 * lesson; the bar's code loads only when the mode is on.
 */
import React, { Suspense, lazy } from 'react';
import { useDoc } from '@docusaurus/plugin-content-docs/client';
import { presenterStore, usePresenter } from './store';
import styles from './styles.module.css';

const PresenterBar = lazy(() => import(/* webpackChunkName: "presenter-bar" */ './PresenterBar'));

export default function PresenterMode(): React.JSX.Element {
  const { on, room } = usePresenter();
  const { metadata } = useDoc();
  if (!on) {
    return (
      <div className={styles.toggleRow}>
        <button type="button" className="button button--sm button--outline button--primary" onClick={() => presenterStore.set({ on: true, room: presenterStore.get().room })} data-testid="presenter-toggle">
          Режим ведущего
        </button>
      </div>
    );
  }
  return (
    <Suspense fallback={null}>
      <PresenterBar lesson={metadata.id} room={room} />
    </Suspense>
  );
}
