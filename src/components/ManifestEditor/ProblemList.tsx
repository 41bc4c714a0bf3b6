/**
 * The problems of one manifest under its editor: severity, place, Russian message, code, the
 * lesson that explains the fix, why it is flagged, and a button to silence an analyzer rule for
 * this manifest. Clicking a problem moves the cursor to it. The list is a polite live region,
 * so a screen reader announces what changed after each check.
 */
import React, {useMemo, useState} from 'react';
import Link from '@docusaurus/Link';
import clsx from 'clsx';
import type {Diagnostic} from '../../validation/types';
import {countOf, summaryText, toProblemViews, type Counts, type ProblemView} from './problems';
import styles from './styles.module.css';

export type CheckState = 'pending' | 'done' | 'timeout' | 'failed';

export interface ProblemListProps {
  id: string;
  state: CheckState;
  diagnostics: readonly Diagnostic[];
  silenced: ReadonlyArray<{index: number; codes: string[]}>;
  multiDocument: boolean;
  onJump(problem: ProblemView): void;
  onSuppress(problem: ProblemView): void;
  onUnsuppress(index: number, code: string): void;
}

const SHOWN = 20;

function statusText(state: CheckState, counts: Counts): string {
  if (state === 'timeout') return 'Проверка остановлена: она заняла слишком много времени. Упростите текст и проверьте снова.';
  if (state === 'failed') return 'Проверка не удалась. Попробуйте ещё раз.';
  return summaryText(counts);
}

export default function ProblemList(props: ProblemListProps): React.JSX.Element {
  const {id, state, diagnostics, silenced, multiDocument, onJump, onSuppress, onUnsuppress} = props;
  const problems = useMemo(() => toProblemViews(diagnostics), [diagnostics]);
  const counts = useMemo(() => countOf(diagnostics), [diagnostics]);
  const [showAll, setShowAll] = useState(false);
  const shown = showAll ? problems : problems.slice(0, SHOWN);
  const clean = state === 'done' && problems.length === 0;
  return (
    <section className={styles.problems} aria-labelledby={`${id}-problems-title`} data-check-state={state}>
      <div className={styles.problemsHeader}>
        <span id={`${id}-problems-title`} className={styles.problemsTitle}>
          Проверка манифеста
        </span>
        {state === 'pending' && <span className={styles.pending}>проверяем…</span>}
      </div>
      <div aria-live="polite" aria-relevant="additions text" className={styles.problemsLive}>
        <p className={clsx(styles.summary, clean && styles.summaryClean, counts.error > 0 && styles.summaryErrors)} data-testid="problem-summary">
          {statusText(state, counts)}
        </p>
        {shown.length > 0 && (
          <ol className={styles.problemItems}>
            {shown.map((p) => (
              <li key={p.key} className={clsx(styles.problem, styles[`problem_${p.severity}`])} data-code={p.code} data-line={p.line}>
                <button type="button" className={styles.problemJump} onClick={() => onJump(p)} aria-label={`${p.severityLabel}, ${p.place}: ${p.message}. Перейти к месту в редакторе`}>
                  <span className={styles.problemSeverity}>{p.severityLabel}</span>
                  <span className={styles.problemPlace}>{p.place}</span>
                  <span className={styles.problemMessage}>{p.message}</span>
                </button>
                <div className={styles.problemMeta}>
                  <code className={styles.problemCode} title={p.istioCode ? `в istioctl analyze: ${p.istioCode}` : undefined}>
                    {p.code}
                  </code>
                  {p.link && (
                    <Link to={p.link} className={styles.problemLink}>
                      {p.linkLabel}
                    </Link>
                  )}
                  {p.suppressible && (
                    <button type="button" className={styles.linkButton} onClick={() => onSuppress(p)}>
                      Отключить {p.code} для этого манифеста
                    </button>
                  )}
                </div>
                {p.explanation && (
                  <details className={styles.problemDetails}>
                    <summary>Почему это проблема и как исправить</summary>
                    <p>{p.explanation}</p>
                  </details>
                )}
              </li>
            ))}
          </ol>
        )}
      </div>
      {problems.length > SHOWN && (
        <button type="button" className={styles.linkButton} onClick={() => setShowAll((v) => !v)}>
          {showAll ? 'Показать только первые' : `Показать все (${problems.length})`}
        </button>
      )}
      {silenced.length > 0 && (
        <p className={styles.silenced}>
          Отключены аннотацией <code>galley.istio.io/analyze-suppress</code>:{' '}
          {silenced.flatMap(({index, codes}) =>
            codes.map((code) => (
              <span key={`${index}:${code}`} className={styles.silencedItem}>
                <code>{code}</code>
                {multiDocument ? ` (документ ${index + 1})` : ''}{' '}
                {code !== '*' && (
                  <button type="button" className={styles.linkButton} onClick={() => onUnsuppress(index, code)}>
                    включить снова
                  </button>
                )}
              </span>
            )),
          )}
        </p>
      )}
    </section>
  );
}
