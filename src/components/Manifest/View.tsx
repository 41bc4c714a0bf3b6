/**
 * The markup of a manifest block, shared by its light static shell (index.tsx, what a lesson page
 * loads) and its interactive part (Interactive.tsx, loaded when the learner shows intent): both
 * render the same figure, so the page looks the same before and after the swap.
 */
import React from 'react';
import clsx from 'clsx';
import CodeBlock from '@theme/CodeBlock';
import styles from '../ManifestEditor/styles.module.css';
import ApplyToSandbox from './ApplyToSandbox';

/** What the toolbar's buttons do (the same names in both parts: a click queued by the shell is performed by name). */
export type ToolbarAction = 'edit' | 'check' | 'reset' | 'copy' | 'download' | 'share' | 'apply';

/** A toolbar click or a click into the code, made before the interactive part had loaded. */
export interface PendingAction {
  action: ToolbarAction;
  /** Where in the code a click into it landed (the editor opens there). */
  position?: {line: number; column: number};
  /** The shell's record of a click into the code: where on the page (its line and column are found once the caret code has loaded). */
  at?: {pageX: number; pageY: number};
}

/** The static view highlights at most this much; a huge saved edit shows its beginning only. */
const STATIC_VIEW_LINES = 400;
const STATIC_VIEW_CHARS = 60_000;

export function prefetchEditor(): void {
  void import(/* webpackChunkName: "manifest-editor" */ '../ManifestEditor/Editor').catch(() => undefined);
}

interface StaticCodeProps {
  text: string;
  /** The editor is loading: dimmed, not clickable. */
  loading?: boolean;
  onClick?(event: React.MouseEvent<HTMLDivElement>): void;
  staticRef?: React.Ref<HTMLDivElement>;
}

/** The manifest as highlighted text (server rendered); a click into it opens the editor there. */
export function StaticCode({text, loading = false, onClick, staticRef}: StaticCodeProps): React.JSX.Element {
  const trimmed = text.trimEnd();
  const cut = trimmed.length > STATIC_VIEW_CHARS;
  const code = cut ? trimmed.slice(0, STATIC_VIEW_CHARS).split('\n').slice(0, STATIC_VIEW_LINES).join('\n') : trimmed;
  return (
    <div
      ref={staticRef}
      className={clsx(styles.static, loading && styles.staticLoading)}
      onClick={loading ? undefined : onClick}
      aria-busy={loading || undefined}
      title={loading ? undefined : 'Нажмите, чтобы редактировать'}>
      <CodeBlock language="yaml" showLineNumbers className={styles.code}>
        {code}
      </CodeBlock>
      {cut && <p className={styles.cut}>Показано только начало: текст слишком большой. Откройте редактор, чтобы увидеть его целиком.</p>}
    </div>
  );
}

interface ManifestViewProps {
  file: string;
  title?: string;
  name: string;
  figureRef?: React.Ref<HTMLElement>;
  edited: boolean;
  mode: 'static' | 'editor';
  /** The interactive part runs this block. */
  interactive: boolean;
  /** The editor is shown and ready (the frame gets the editing outline). */
  editing: boolean;
  hint: string | null;
  hintId: string;
  /** The static code or the editor. */
  body: React.ReactNode;
  downloadHref: string;
  onAction(action: ToolbarAction, event: React.MouseEvent<HTMLElement>): void;
  checkButtonRef?: React.Ref<HTMLButtonElement>;
  resetButtonRef?: React.Ref<HTMLButtonElement>;
  /** The polite status region's content (notices). */
  status?: React.ReactNode;
  /** Under the status: the share link field and the problem list. */
  details?: React.ReactNode;
  /** After the `kubectl apply` line: the reset dialog. */
  dialog?: React.ReactNode;
  /** The pointer entered the block or something in it took the focus (the shell loads its interactive part). */
  onIntent?(): void;
}

export function ManifestView(props: ManifestViewProps): React.JSX.Element {
  const {file, title, name, edited, mode, onAction} = props;
  const button = (action: ToolbarAction, label: string, extra?: React.ButtonHTMLAttributes<HTMLButtonElement> & {ref?: React.Ref<HTMLButtonElement>}) => (
    <button type="button" className="button button--sm button--secondary" data-action={action} onClick={(e) => onAction(action, e)} {...extra}>
      {label}
    </button>
  );
  return (
    <figure ref={props.figureRef} className={styles.manifest} data-manifest={file} data-edited={edited || undefined} data-mode={mode} data-interactive={props.interactive || undefined}
      onPointerEnter={props.onIntent}
      onFocus={props.onIntent}>
      {title && <figcaption className={styles.caption}>{title}</figcaption>}
      <div className={clsx(styles.frame, props.editing && styles.frameEditing)}>
        <div className={styles.header}>
          <code className={styles.path}>examples/{file}</code>
          {edited && (
            <span className={styles.badge} data-testid="edited-badge">
              изменён
            </span>
          )}
          <span className={styles.hint} id={props.hintId}>
            {props.hint}
          </span>
        </div>
        {props.body}
      </div>

      <div className={styles.toolbar} role="toolbar" aria-label={`Действия с манифестом ${name}`}>
        {mode === 'static' && (
          <button
            type="button"
            className="button button--sm button--primary"
            data-action="edit"
            onClick={(e) => onAction('edit', e)}
            onPointerEnter={prefetchEditor}
            onFocus={prefetchEditor}>
            Редактировать
          </button>
        )}
        {button('check', 'Проверить', {ref: props.checkButtonRef})}
        {button('reset', 'Сбросить', {ref: props.resetButtonRef, 'aria-disabled': !edited})}
        {button('copy', 'Копировать')}
        <a className="button button--sm button--secondary" data-action="download" href={props.downloadHref} download={name} onClick={(e) => onAction('download', e)}>
          Скачать<span className={styles.toolbarFile}> {name}</span>
        </a>
        {button('share', 'Поделиться')}
        <ApplyToSandbox file={file} onApply={(e) => onAction('apply', e)} />
      </div>

      <div role="status" aria-live="polite" className={styles.status}>
        {props.status}
      </div>
      {props.details}

      <p className={styles.apply}>
        <code>kubectl apply -f examples/{file}</code>
      </p>

      {props.dialog}
    </figure>
  );
}
