/**
 * The docked terminal of a scenario lesson: its bar (tabs, status, font size, «Трафик», full
 * screen, reset, close), the resizable edge, the terminals' screens and the «Трафик» view. Its
 * own chunk: it loads when the learner opens the terminal or shows the intent to (launcher.ts).
 */
import React, { useCallback, useEffect, useRef, useState } from 'react';
import clsx from 'clsx';
import { terminalStore } from '@site/src/terminal/store';
import { prewarmSandbox } from '@site/src/terminal/sandboxTransport';
import { clampFont, clampHeight, FONT_MAX, FONT_MIN, HEIGHT_MIN, loadDockPrefs, saveDockPrefs, type DockPrefs } from '@site/src/terminal/dockPrefs';
import type { SessionState } from '@site/src/terminal/session';
import { resetLesson, useLazyModule, useTerminalStore, xtermViewModule } from './launcher';
import { TerminalPanels, TerminalTabList, useTerminalTabs } from './TerminalTabs';
import styles from './styles.module.css';

/** The «Трафик» view: its own chunk, loaded when the learner opens it. */
const TrafficView = React.lazy(() => import('../TrafficView'));

/** The dock's height and font size, kept across lessons and reloads. */
function useDockPrefs(): [DockPrefs, (patch: Partial<DockPrefs>, persist?: boolean) => void] {
  const [prefs, setPrefs] = useState<DockPrefs>(loadDockPrefs);
  const update = useCallback((patch: Partial<DockPrefs>, persist = true) => {
    setPrefs((prev) => {
      const next = { ...prev, ...patch };
      if (persist) saveDockPrefs(next);
      return next;
    });
  }, []);
  return [prefs, update];
}

/** The dock's top edge: drag it, or focus it and press ↑/↓, to change the terminal's height. */
function ResizeHandle({ height, onResize }: { height: number; onResize: (px: number, done: boolean) => void }): React.JSX.Element {
  const onPointerDown = (e: React.PointerEvent<HTMLDivElement>): void => {
    e.preventDefault();
    const el = e.currentTarget;
    el.setPointerCapture(e.pointerId);
    const move = (ev: PointerEvent): void => onResize(window.innerHeight - ev.clientY, false);
    const up = (ev: PointerEvent): void => {
      el.removeEventListener('pointermove', move);
      el.removeEventListener('pointerup', up);
      el.removeEventListener('pointercancel', up);
      onResize(window.innerHeight - ev.clientY, true);
    };
    el.addEventListener('pointermove', move);
    el.addEventListener('pointerup', up);
    el.addEventListener('pointercancel', up);
  };
  const onKeyDown = (e: React.KeyboardEvent<HTMLDivElement>): void => {
    const step = e.shiftKey ? 100 : 20;
    if (e.key === 'ArrowUp') onResize(height + step, true);
    else if (e.key === 'ArrowDown') onResize(height - step, true);
    else return;
    e.preventDefault();
  };
  return (
    <div
      className={styles.resizer}
      role="separator"
      aria-orientation="horizontal"
      aria-label="Высота терминала: перетащите или нажмите ↑ и ↓"
      aria-valuemin={HEIGHT_MIN}
      aria-valuemax={Math.max(HEIGHT_MIN, window.innerHeight - 60)}
      aria-valuenow={height}
      tabIndex={0}
      data-testid="terminal-resizer"
      onPointerDown={onPointerDown}
      onKeyDown={onKeyDown}
    />
  );
}

export default function Dock({ scenario }: { scenario: string }): React.JSX.Element {
  const { dock, shownRequest } = useTerminalStore();
  const [prefs, updatePrefs] = useDockPrefs();
  const [viewport, setViewport] = useState(() => window.innerHeight);
  useEffect(() => {
    const onResize = (): void => setViewport(window.innerHeight);
    window.addEventListener('resize', onResize);
    return () => window.removeEventListener('resize', onResize);
  }, []);
  const height = clampHeight(prefs.height ?? Math.min(viewport * 0.45, 420), viewport);
  useEffect(() => {
    document.body.style.setProperty('--terminal-dock-height', `${height}px`);
    return () => {
      document.body.style.removeProperty('--terminal-dock-height');
    };
  }, [height]);
  const tabs = useTerminalTabs();
  const state: SessionState = tabs.states[tabs.active] ?? 'starting';
  const full = dock === 'fullscreen';
  const { module: view, failed } = useLazyModule(xtermViewModule);
  const [traffic, setTraffic] = useState(false);
  // a marker after a command's output asks for the path of its requests (asks made before this dock opened are old news)
  const [request, setRequest] = useState<{ id: number; seq: number }>();
  const askedSeq = useRef(shownRequest?.seq);
  useEffect(() => {
    if (!shownRequest || shownRequest.seq === askedSeq.current) return;
    askedSeq.current = shownRequest.seq;
    setRequest(shownRequest);
    setTraffic(true);
  }, [shownRequest]);

  useEffect(() => {
    performance.mark('terminal:open');
    prewarmSandbox(scenario);
    document.body.classList.add(styles.withDock);
    return () => document.body.classList.remove(styles.withDock);
  }, [scenario]);
  useEffect(() => {
    if (!full) return undefined;
    const onKey = (e: KeyboardEvent): void => {
      if (e.key === 'Escape' && e.shiftKey) terminalStore.setDock('open');
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [full]);

  const label = state === 'starting' ? 'запускается…' : state === 'busy' ? 'выполняется команда' : 'готов';
  return (
    <section className={clsx(styles.dock, full && styles.fullscreen, 'terminal-dock')} aria-label="Терминал песочницы" data-testid="terminal" data-state={state}>
      {!full && <ResizeHandle height={height} onResize={(px, done) => updatePrefs({ height: clampHeight(px, viewport) }, done)} />}
      <header className={styles.bar}>
        <span className={styles.title}>
          <TerminalTabList model={tabs} />
          <span className={styles.status} role="status">
            {label}
          </span>
        </span>
        <span className={styles.barButtons}>
          <button
            type="button"
            className={styles.barButton}
            onClick={() => updatePrefs({ fontSize: clampFont(prefs.fontSize - 1) })}
            disabled={prefs.fontSize <= FONT_MIN}
            aria-label="Уменьшить шрифт терминала"
            title="Уменьшить шрифт">
            A−
          </button>
          <span className={styles.fontSize} aria-live="polite" aria-label={`Размер шрифта: ${prefs.fontSize}`} data-testid="terminal-font-size">
            {prefs.fontSize}
          </span>
          <button
            type="button"
            className={styles.barButton}
            onClick={() => updatePrefs({ fontSize: clampFont(prefs.fontSize + 1) })}
            disabled={prefs.fontSize >= FONT_MAX}
            aria-label="Увеличить шрифт терминала"
            title="Увеличить шрифт">
            A+
          </button>
          <button
            type="button"
            className={styles.barButton}
            onClick={() => {
              setTraffic((t) => !t);
              setRequest(undefined);
            }}
            aria-pressed={traffic}
            aria-controls={traffic ? 'traffic-view' : undefined}
            title="Граф mesh, доли трафика и путь каждого запроса"
            data-testid="traffic-toggle">
            Трафик
          </button>
          <button type="button" className={styles.barButton} onClick={() => {
              terminalStore.setDock(full ? 'open' : 'fullscreen');
              void terminalStore.ready().then((c) => c.focus());
            }}
            aria-pressed={full}>
            {full ? 'Обычный размер' : 'Во весь экран'}
          </button>
          <button type="button" className={styles.barButton} title="Сбросить урок: песочница вернётся к началу урока" onClick={() => void resetLesson()}>
            Сбросить
          </button>
          <button type="button" className={styles.barButton} onClick={() => terminalStore.setDock('closed')} aria-label="Закрыть терминал">
            ✕
          </button>
        </span>
      </header>
      <div className={styles.body}>
        <div className={styles.terminals}>
          {view ? (
            <TerminalPanels model={tabs} view={view.default} scenario={scenario} fontSize={prefs.fontSize} />
          ) : (
            <div className={styles.loading} role={failed ? 'alert' : undefined}>
              {failed ? 'Не удалось загрузить терминал: проверьте соединение и обновите страницу. Правки в манифестах сохранены.' : 'Загружаем терминал…'}
            </div>
          )}
        </div>
        {traffic && (
          <React.Suspense fallback={<div className={styles.loading}>Загружаем вид трафика…</div>}>
            <TrafficView request={request} />
          </React.Suspense>
        )}
      </div>
    </section>
  );
}
