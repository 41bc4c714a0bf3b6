import React from 'react';
import {useTerminalStore, warmOnIntent} from '@site/src/components/Terminal/launcher';

/**
 * «Применить в песочнице»: shown on a lesson with a sandbox terminal. The block's interactive part
 * (Interactive.tsx) writes the manifest's current (possibly edited, possibly from a share link) text
 * into the sandbox as ~/edited/<file> and runs `kubectl apply -f` on that file; the text travels as
 * data: nothing in it can become a command.
 */
export default function ApplyToSandbox({file, onApply}: {file: string; onApply(event: React.MouseEvent<HTMLElement>): void}): React.JSX.Element | null {
  const {scenario} = useTerminalStore();
  if (scenario === undefined) return null;
  return (
    <button
      type="button"
      className="button button--sm button--primary"
      data-action="apply"
      title={`Записать этот текст в ~/edited/${file} и выполнить kubectl apply в терминале песочницы`}
      onClick={onApply}
      {...warmOnIntent}>
      Применить в песочнице
    </button>
  );
}
