/**
 * Confirmation before discarding a learner's edit: what will be lost, as a unified diff of the
 * edit against the vetted manifest. A native modal <dialog>: focus stays inside while it is
 * open, Esc cancels, and focus returns to the button that opened it.
 */
import React, {useEffect, useMemo, useRef} from 'react';
import clsx from 'clsx';
import {diffLines, summarize, toHunks} from './diff';
import {plural} from './plural';
import styles from './styles.module.css';

export interface ResetDialogProps {
  id: string;
  open: boolean;
  file: string;
  vetted: string;
  edited: string;
  onConfirm(): void;
  onCancel(): void;
}

const MAX_SHOWN_LINES = 400;

export function changeSummary(added: number, removed: number): string {
  const parts: string[] = [];
  if (added) parts.push(`${plural(added, 'добавлена', 'добавлены', 'добавлено')} ${added} ${plural(added, 'строка', 'строки', 'строк')}`);
  if (removed) parts.push(`${plural(removed, 'удалена', 'удалены', 'удалено')} ${removed} ${plural(removed, 'строка', 'строки', 'строк')}`);
  return parts.length ? parts.join(', ') : 'изменены только пробелы в конце текста';
}

export default function ResetDialog({id, open, file, vetted, edited, onConfirm, onCancel}: ResetDialogProps): React.JSX.Element {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) dialog.showModal();
    if (!open && dialog.open) dialog.close();
  }, [open]);

  const {hunks, summary} = useMemo(() => {
    if (!open) return {hunks: [], summary: {added: 0, removed: 0, identical: true}};
    const lines = diffLines(vetted, edited);
    return {hunks: toHunks(lines), summary: summarize(lines)};
  }, [open, vetted, edited]);

  let budget = MAX_SHOWN_LINES;
  let hidden = 0;

  return (
    <dialog
      ref={ref}
      className={styles.dialog}
      aria-labelledby={`${id}-reset-title`}
      aria-describedby={`${id}-reset-text`}
      onClose={() => {
        if (open) onCancel();
      }}
      onCancel={(event) => {
        event.preventDefault();
        onCancel();
      }}>
      {open && (
        <>
          <h2 id={`${id}-reset-title`} className={styles.dialogTitle}>
            Сбросить ваши правки?
          </h2>
          <p id={`${id}-reset-text`}>
            Манифест <code>examples/{file}</code> вернётся к проверенной версии курса, ваши правки будут удалены из браузера (в
            редакторе их ещё можно вернуть через Ctrl+Z). Что будет отменено: {changeSummary(summary.added, summary.removed)}.
          </p>
          <div className={styles.diff} role="region" aria-label="Ваши изменения относительно проверенной версии" tabIndex={0}>
            {hunks.map((hunk) => (
              <div key={`${hunk.oldStart}:${hunk.newStart}`} className={styles.diffHunk}>
                <div className={styles.diffHeader}>
                  @@ −{hunk.oldStart},{hunk.oldCount} +{hunk.newStart},{hunk.newCount} @@
                </div>
                {hunk.lines.map((line, index) => {
                  if (budget <= 0) {
                    hidden += 1;
                    return null;
                  }
                  budget -= 1;
                  const key = `${line.oldLine ?? ''}:${line.newLine ?? ''}:${index}`;
                  if (line.kind === 'add')
                    return (
                      <ins key={key} className={clsx(styles.diffLine, styles.diffAdd)}>
                        <span aria-hidden="true">+ </span>
                        {line.text || ' '}
                      </ins>
                    );
                  if (line.kind === 'del')
                    return (
                      <del key={key} className={clsx(styles.diffLine, styles.diffDel)}>
                        <span aria-hidden="true">− </span>
                        {line.text || ' '}
                      </del>
                    );
                  return (
                    <span key={key} className={styles.diffLine}>
                      <span aria-hidden="true">{'  '}</span>
                      {line.text || ' '}
                    </span>
                  );
                })}
              </div>
            ))}
            {hidden > 0 && <p className={styles.diffMore}>…и ещё {hidden} {plural(hidden, 'строка', 'строки', 'строк')}</p>}
          </div>
          <div className={styles.dialogButtons}>
            <button type="button" className="button button--secondary" onClick={onCancel} autoFocus>
              Оставить правки
            </button>
            <button type="button" className="button button--danger" onClick={onConfirm}>
              Сбросить
            </button>
          </div>
        </>
      )}
    </dialog>
  );
}
