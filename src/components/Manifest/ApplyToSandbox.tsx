import React from 'react';
import {terminalStore} from '@site/src/terminal/store';
import {useTerminalStore, warmOnIntent} from '@site/src/components/Terminal';

/**
 * «Применить в песочнице»: on a lesson with a sandbox terminal, runs `kubectl apply -f -` with the
 * manifest's current (possibly edited) text, typed into the terminal like any other command.
 */
export default function ApplyToSandbox({text}: {text: () => string}): React.JSX.Element | null {
  const {scenario} = useTerminalStore();
  if (scenario === undefined) return null;
  return (
    <button
      type="button"
      className="button button--sm button--primary"
      title="Выполнить kubectl apply с текстом этого манифеста в терминале песочницы"
      onClick={() => void terminalStore.applyManifest(text())}
      {...warmOnIntent}>
      Применить в песочнице
    </button>
  );
}
