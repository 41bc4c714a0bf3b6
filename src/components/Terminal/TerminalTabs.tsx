/**
 * Several terminals on the lesson's one sandbox: tabs «Терминал 1», «Терминал 2»… in the dock's
 * bar (a WAI-ARIA tablist: ←/→, Home/End move between tabs, Delete closes one) and their
 * screens. Each further terminal is its own shell session on the sandbox of the first (see
 * TerminalSession's `attach`); the first cannot be closed: it is the lesson's terminal, which a
 * reload restores. Run buttons and step checks go to the terminal on screen.
 */
import React, { useCallback, useRef, useState } from 'react';
import clsx from 'clsx';
import type { SessionState, TerminalSession } from '@site/src/terminal/session';
import { terminalStore } from '@site/src/terminal/store';
import type XtermViewDefault from './XtermView';
import styles from './styles.module.css';

/** At most this many terminals at once (each is an xterm.js screen and a shell in the worker). */
export const MAX_TERMINALS = 4;
const MAIN = '1';

interface Tab {
  /** The shell session's id on the sandbox: never reused, so a closed terminal's late output cannot reach a new one. */
  id: string;
  /** The number in its label: the smallest free one. */
  n: number;
}

export interface TerminalTabs {
  tabs: Tab[];
  active: string;
  states: Record<string, SessionState>;
  primary: TerminalSession | undefined;
  setPrimary: (s: TerminalSession | undefined) => void;
  onState: (id: string) => (s: SessionState) => void;
  add: () => void;
  close: (id: string, focusTab?: boolean) => void;
  select: (id: string, focusTerminal: boolean) => void;
  /** Whether the terminal just activated takes the focus (a click, «+»), or the tab keeps it (arrow keys). */
  focusOnActivate: React.MutableRefObject<boolean>;
}

export function useTerminalTabs(): TerminalTabs {
  const [tabs, setTabs] = useState<Tab[]>([{ id: MAIN, n: 1 }]);
  const [active, setActive] = useState(MAIN);
  const [states, setStates] = useState<Record<string, SessionState>>({});
  const [primary, setPrimary] = useState<TerminalSession>();
  const nextId = useRef(2);
  const focusOnActivate = useRef(true);
  const stateSetters = useRef(new Map<string, (s: SessionState) => void>());
  const onState = useCallback((id: string) => {
    let f = stateSetters.current.get(id);
    if (!f) {
      f = (s: SessionState) => setStates((prev) => (prev[id] === s ? prev : { ...prev, [id]: s }));
      stateSetters.current.set(id, f);
    }
    return f;
  }, []);
  const add = useCallback(() => {
    const id = String(nextId.current++);
    terminalStore.openingTerminal();
    focusOnActivate.current = true;
    setTabs((prev) => {
      if (prev.length >= MAX_TERMINALS) return prev;
      const used = new Set(prev.map((t) => t.n));
      let n = 2;
      while (used.has(n)) n++;
      return [...prev, { id, n }];
    });
    setActive(id);
  }, []);
  const close = useCallback(
    (id: string, focusTab = false) => {
      if (id === MAIN) return;
      const i = tabs.findIndex((t) => t.id === id);
      if (i < 0) return;
      const rest = tabs.filter((t) => t.id !== id);
      setTabs(rest);
      stateSetters.current.delete(id);
      if (active === id) {
        const next = rest[Math.min(i, rest.length - 1)].id;
        focusOnActivate.current = !focusTab;
        setActive(next);
        if (focusTab) requestAnimationFrame(() => document.getElementById(tabId(next))?.focus());
      }
    },
    [tabs, active],
  );
  const select = useCallback((id: string, focusTerminal: boolean) => {
    focusOnActivate.current = focusTerminal;
    setActive(id);
  }, []);
  return { tabs, active, states, primary, setPrimary, onState, add, close, select, focusOnActivate };
}

const tabId = (id: string): string => `terminal-tab-${id}`;
const panelId = (id: string): string => `terminal-panel-${id}`;

/** The tabs and the «+» button, in the dock's bar. */
export function TerminalTabList({ model }: { model: TerminalTabs }): React.JSX.Element {
  const { tabs, active, add, close, select, primary } = model;
  const onKeyDown = (e: React.KeyboardEvent<HTMLButtonElement>, id: string): void => {
    const i = tabs.findIndex((t) => t.id === id);
    let to: number | undefined;
    if (e.key === 'ArrowRight') to = (i + 1) % tabs.length;
    else if (e.key === 'ArrowLeft') to = (i - 1 + tabs.length) % tabs.length;
    else if (e.key === 'Home') to = 0;
    else if (e.key === 'End') to = tabs.length - 1;
    else if (e.key === 'Delete' && id !== MAIN) {
      e.preventDefault();
      close(id, true);
      return;
    } else return;
    e.preventDefault();
    const next = tabs[to].id;
    select(next, false);
    document.getElementById(tabId(next))?.focus();
  };
  const full = tabs.length >= MAX_TERMINALS;
  return (
    <span className={styles.tabs}>
      <span role="tablist" aria-label="Терминалы песочницы" className={styles.tabList}>
        {tabs.map((t) => (
          <button
            key={t.id}
            type="button"
            role="tab"
            id={tabId(t.id)}
            aria-selected={t.id === active}
            aria-controls={panelId(t.id)}
            aria-keyshortcuts={t.id === MAIN ? undefined : 'Delete'}
            tabIndex={t.id === active ? 0 : -1}
            className={clsx(styles.tab, t.id === active && styles.tabActive)}
            data-testid={`terminal-tab-${t.n}`}
            onClick={() => select(t.id, true)}
            onKeyDown={(e) => onKeyDown(e, t.id)}>
            Терминал {t.n}
            {t.id !== MAIN && (
              // for the mouse; from the keyboard a focused tab closes with Delete
              <span
                className={styles.tabClose}
                aria-hidden="true"
                title={`Закрыть «Терминал ${t.n}» (Delete)`}
                onClick={(e) => {
                  e.stopPropagation();
                  close(t.id);
                }}>
                ×
              </span>
            )}
          </button>
        ))}
      </span>
      <button
        type="button"
        className={clsx(styles.barButton, styles.addTab)}
        onClick={add}
        disabled={full || !primary}
        aria-label="Открыть ещё один терминал"
        title={full ? `Открыто терминалов: ${MAX_TERMINALS}, больше нельзя` : 'Ещё один терминал в той же песочнице'}
        data-testid="terminal-add">
        +
      </button>
    </span>
  );
}

/** The terminals' screens: all stay mounted (their shells keep running), the one on screen is shown. */
export function TerminalPanels({ model, view: View, scenario, fontSize }: { model: TerminalTabs; view: typeof XtermViewDefault; scenario: string; fontSize: number }): React.JSX.Element {
  const { tabs, active, primary, setPrimary, onState, focusOnActivate } = model;
  return (
    <>
      {tabs.map((t) => (
        <div key={t.id} role="tabpanel" id={panelId(t.id)} aria-labelledby={tabId(t.id)} hidden={t.id !== active} className={styles.panel} data-testid={`terminal-panel-${t.n}`}>
          {t.id === MAIN ? (
            <View scenario={scenario} onState={onState(t.id)} fontSize={fontSize} active={t.id === active} onSession={setPrimary} focusOnActivate={focusOnActivate} />
          ) : (
            primary && <View scenario={scenario} onState={onState(t.id)} fontSize={fontSize} active={t.id === active} attach={{ id: t.id, primary }} focusOnActivate={focusOnActivate} />
          )}
        </div>
      ))}
    </>
  );
}
