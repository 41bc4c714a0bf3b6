/**
 * <Challenge step="…" title="…" hints={[…]}> in a practice lesson: a break-and-fix task. The
 * learner reads what is broken (the children), may open the hints one at a time, and checks the
 * repair with the scenario step named by `step` (the same probes as <StepCheck />). Backticks in a
 * hint mark code, as in Markdown.
 */
import React, { useState } from 'react';
import StepCheck from '@site/src/components/StepCheck';
import styles from './styles.module.css';

export interface ChallengeProps {
  step: string;
  title: string;
  hints: string[];
  children?: React.ReactNode;
}

/** `code` spans of a hint as <code>; everything else as text. */
function renderHint(hint: string): React.ReactNode[] {
  return hint.split('`').map((part, i) => (i % 2 === 1 ? <code key={i}>{part}</code> : <React.Fragment key={i}>{part}</React.Fragment>));
}

export default function Challenge({ step, title, hints, children }: ChallengeProps): React.JSX.Element {
  const [shown, setShown] = useState(0);
  return (
    <section className={styles.challenge} data-challenge={step} aria-label={`Задание: ${title}`}>
      <div className={styles.label}>Задание: найдите и исправьте</div>
      <div className={styles.title}>{title}</div>
      <div className={styles.body}>{children}</div>
      {shown > 0 && (
        <ol className={styles.hints}>
          {hints.slice(0, shown).map((h, i) => (
            <li key={i} data-hint={i + 1}>
              {renderHint(h)}
            </li>
          ))}
        </ol>
      )}
      {shown < hints.length && (
        <button type="button" className="button button--secondary button--sm" onClick={() => setShown(shown + 1)}>
          {shown === 0 ? `Показать подсказку (1 из ${hints.length})` : `Следующая подсказка (${shown + 1} из ${hints.length})`}
        </button>
      )}
      <div className={styles.check}>
        <StepCheck step={step} />
      </div>
    </section>
  );
}
