/**
 * <SandboxTerminal scenario="…" /> in a scenario lesson: a card in the text and a terminal
 * docked at the bottom of the window. xterm.js and the sandbox load only when the learner
 * opens the terminal (the button, a «Выполнить» button or a step check).
 */
import React, { useCallback, useEffect, useRef, useState, useSyncExternalStore } from 'react';
import clsx from 'clsx';
import BrowserOnly from '@docusaurus/BrowserOnly';
import { terminalStore } from '@site/src/terminal/store';
import { prewarmSandbox } from '@site/src/terminal/sandboxTransport';
import { clampFont, clampHeight, FONT_MAX, FONT_MIN, HEIGHT_MIN, loadDockPrefs, saveDockPrefs, type DockPrefs } from '@site/src/terminal/dockPrefs';
import type { SessionState } from '@site/src/terminal/session';
import { TerminalPanels, TerminalTabList, useTerminalTabs } from './TerminalTabs';
import styles from './styles.module.css';

type XtermViewModule = typeof import('./XtermView');
/** The «Трафик» view: its own chunk, loaded when the learner opens it. */
const TrafficView = React.lazy(() => import('../TrafficView'));
let xtermView: XtermViewModule | undefined;
const loadXtermView = (): Promise<XtermViewModule> => import('./XtermView').then((m) => (xtermView = m));

/**
 * The xterm view once its chunk is loaded. Not React.lazy + Suspense: React holds content
 * that resolves after a Suspense fallback for up to 300 ms, which the learner would wait for
 * even when the chunk was prefetched on hover.
 */
function useXtermView(): { view?: XtermViewModule; failed: boolean } {
  const [view, setView] = useState(xtermView);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    if (view) return undefined;
    let live = true;
    loadXtermView().then(
      (m) => live && setView(m),
      () => live && setFailed(true),
    );
    return () => {
      live = false;
    };
  }, [view]);
  return { view, failed };
}

let warmed = false;
/**
 * The learner is about to open the terminal (pointer over, focus on or touch of a button that
 * opens it): start loading xterm.js and the sandbox worker now, not on the click.
 */
export function warmTerminal(): void {
  if (warmed || typeof window === 'undefined') return;
  warmed = true;
  performance.mark('terminal:intent');
  terminalStore.starting();
  void loadXtermView();
  prewarmSandbox(terminalStore.getSnapshot().scenario);
}

/** Props that warm the terminal on intent, for any button that opens it. */
export const warmOnIntent = { onPointerEnter: warmTerminal, onFocus: warmTerminal, onTouchStart: warmTerminal } as const;

export function useTerminalStore() {
  return useSyncExternalStore(terminalStore.subscribe, terminalStore.getSnapshot, terminalStore.getSnapshot);
}

export interface SandboxTerminalProps {
  scenario: string;
}

export default function SandboxTerminal({ scenario }: SandboxTerminalProps): React.JSX.Element {
  const { dock } = useTerminalStore();
  useEffect(() => terminalStore.register(scenario), [scenario]);
  return (
    <>
      <aside className={styles.card} aria-label="Песочница урока">
        <div>
          <strong>Песочница урока.</strong> Кластер Kubernetes с Istio прямо в браузере: в нём уже сделано всё, что нужно к началу урока, а
          манифесты лежат в <code>~/examples</code>. Кнопки «Выполнить» у команд запускают их в терминале.
        </div>
        <div className={styles.cardButtons}>
          <button type="button" className="button button--primary button--sm" onClick={() => terminalStore.setDock('open')} disabled={dock !== 'closed'} {...warmOnIntent}>
            Запустить терминал
          </button>
          <ResetLessonButton />
        </div>
      </aside>
      {dock !== 'closed' && <BrowserOnly>{() => <Dock scenario={scenario} />}</BrowserOnly>}
    </>
  );
}

/**
 * The one reset of a lesson, behind both reset buttons (the lesson's and the dock's): it asks first, then
 * brings the sandbox back to the lesson's start and clears the history and the passed steps.
 * Resolves to false when the learner declined.
 */
async function resetLesson(): Promise<boolean> {
  if (!window.confirm('Сбросить урок? Песочница вернётся к началу урока, история команд и отметки шагов будут удалены.')) return false;
  try {
    await (await terminalStore.ready()).reset();
  } finally {
    terminalStore.bumpProgress();
  }
  return true;
}

function ResetLessonButton(): React.JSX.Element {
  const [busy, setBusy] = useState(false);
  return (
    <button
      type="button"
      className="button button--secondary button--sm"
      disabled={busy}
      onClick={() => {
        setBusy(true);
        void resetLesson().finally(() => setBusy(false));
      }}>
      Сбросить урок
    </button>
  );
}

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

function Dock({ scenario }: { scenario: string }): React.JSX.Element {
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
  const { view, failed } = useXtermView();
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
