import React from 'react';
import {terminalStore} from '@site/src/terminal/store';
import {useTerminalStore, warmOnIntent} from '@site/src/components/Terminal/launcher';

/**
 * «Применить в песочнице»: on a lesson with a sandbox terminal, writes the manifest's current
 * (possibly edited, possibly from a share link) text into the sandbox as ~/edited/<file> and runs
 * `kubectl apply -f` on that file. The text travels as data: nothing in it can become a command.
 */
export default function ApplyToSandbox({file, text}: {file: string; text: () => string}): React.JSX.Element | null {
  const {scenario} = useTerminalStore();
  if (scenario === undefined) return null;
  return (
    <button
      type="button"
      className="button button--sm button--primary"
      title={`Записать этот текст в ~/edited/${file} и выполнить kubectl apply в терминале песочницы`}
      onClick={() => void terminalStore.applyManifest(file, text())}
      {...warmOnIntent}>
      Применить в песочнице
    </button>
  );
}
