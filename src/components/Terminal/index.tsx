/**
 * <SandboxTerminal scenario="…" /> in a scenario lesson: a card in the text and a terminal
 * docked at the bottom of the window. The dock, xterm.js and the sandbox load only when the
 * learner opens the terminal (the button, a «Выполнить» button or a step check) or points at a
 * button that opens it (launcher.ts).
 */
import React, { useEffect, useState } from 'react';
import BrowserOnly from '@docusaurus/BrowserOnly';
import { terminalStore } from '@site/src/terminal/store';
import { dockModule, resetLesson, useLazyModule, useTerminalStore, warmOnIntent } from './launcher';
import styles from './styles.module.css';

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
      {dock !== 'closed' && <BrowserOnly>{() => <LazyDock scenario={scenario} />}</BrowserOnly>}
    </>
  );
}

/** The dock once its chunk is here; if it cannot load, a note in its place (the page keeps working). */
function LazyDock({ scenario }: { scenario: string }): React.JSX.Element | null {
  const { module, failed } = useLazyModule(dockModule);
  if (module) return <module.default scenario={scenario} />;
  if (!failed) return null;
  return (
    <section className={styles.dock} aria-label="Терминал песочницы" data-testid="terminal">
      <div className={styles.loading} role="alert">
        Не удалось загрузить терминал: проверьте соединение и обновите страницу. Правки в манифестах сохранены.{' '}
        <button type="button" className="button button--link button--sm" onClick={() => terminalStore.setDock('closed')}>
          Закрыть
        </button>
      </div>
    </section>
  );
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
