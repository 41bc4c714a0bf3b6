/**
 * The interactive part of a manifest block, loaded by the block's static shell (index.tsx) when
 * the learner shows intent: the Monaco editor validated by our engine (on a click into the code or
 * «Редактировать»), edits kept per lesson and block in localStorage, reset with a diff, share links,
 * «Применить в песочнице». It renders the same figure as the shell (View.tsx) and performs the
 * clicks the shell queued before it had loaded.
 *
 * State and decisions live in plain modules under src/components/ManifestEditor (storage,
 * share, diff, suppress, problems, registry); this component wires them to the page.
 */
import React, {Suspense, lazy, useCallback, useEffect, useId, useMemo, useRef, useState} from 'react';
import clsx from 'clsx';
import {useHistory, useLocation} from '@docusaurus/router';
import type {Diagnostic} from '../../validation/types';
import type {EditorHandle} from '../ManifestEditor/Editor';
import {positionFromClick} from '../ManifestEditor/caret';
import {dataHref, fileName as baseName, saveAsFile} from '../ManifestEditor/download';
import {useLessonRegistry} from '../ManifestEditor/LessonContext';
import type {ProblemView} from '../ManifestEditor/problems';
import {parseShareHash} from '../ManifestEditor/shareHash';
import {
  browserStorage,
  clearBackup,
  clearEdit,
  inspectEdit,
  loadBackup,
  loadEdit,
  normalizeLesson,
  saveBackup,
  vettedChangedSince,
} from '../ManifestEditor/storage';
import {useBlockValidation} from '../ManifestEditor/useBlockValidation';
import styles from '../ManifestEditor/styles.module.css';
import {terminalStore} from '@site/src/terminal/store';
import {copyText} from './clipboard';
import EditorBoundary from './EditorBoundary';
import {useEditedText} from './useEditedText';
import {ManifestView, StaticCode, type PendingAction, type ToolbarAction} from './View';

/** For the shell: a click into its code made before this part had loaded. */
export {positionFromClick};

export interface InteractiveManifestProps {
  /** Path under examples/, e.g. "ingress-service-a/gateway.yaml". */
  file: string;
  title?: string;
  /** The vetted manifest (examples/<file>). */
  vetted: string;
  /** Clicks made on the shell before this part had loaded, in order: performed once, on mount. */
  pending: readonly PendingAction[];
  /** The shell's button that had the keyboard focus: it gets it back here. */
  focus?: ToolbarAction;
}

const Editor = lazy(() => import(/* webpackChunkName: "manifest-editor" */ '../ManifestEditor/Editor'));
// The problem list and the reset dialog (with its diff) are needed only after an interaction.
const ProblemList = lazy(() => import(/* webpackChunkName: "manifest-tools" */ '../ManifestEditor/ProblemList'));
const ResetDialog = lazy(() => import(/* webpackChunkName: "manifest-tools" */ '../ManifestEditor/ResetDialog'));

type Tone = 'info' | 'success' | 'warning' | 'danger';

interface Notice {
  tone: Tone;
  text: string;
  /** A one-click way back (restore the learner's own edit after a shared link replaced it). */
  action?: {label: string; run(): void};
}

const NOTICE_MS = 8000;
const NO_DIAGNOSTICS: readonly Diagnostic[] = [];
/** Links with the text in a data: URL only for modest texts; larger ones download via a blob. */
const DATA_HREF_LIMIT = 100_000;

/** The share links' codec (compression and base64url): loaded when a link is made or opened. */
const loadShare = () => import(/* webpackChunkName: "manifest-tools" */ '../ManifestEditor/share');

export default function InteractiveManifest({file, title, vetted, pending, focus}: InteractiveManifestProps): React.JSX.Element {
  const id = useId().replace(/:/g, '');
  const location = useLocation();
  const history = useHistory();
  const lesson = normalizeLesson(location.pathname);
  const registry = useLessonRegistry();

  const {text, textRef, changeText, showText, saveProblem, clearSaveProblem} = useEditedText(lesson, file, vetted);
  const [mode, setMode] = useState<'static' | 'editor'>('static');
  const [checked, setChecked] = useState(false);
  const [startAt, setStartAt] = useState<{line: number; column: number} | undefined>();
  const [editorReady, setEditorReady] = useState(false);
  const [notice, setNotice] = useState<Notice | null>(null);
  const [resetOpen, setResetOpen] = useState(false);
  const [shareUrl, setShareUrl] = useState<string | null>(null);
  const [metrics, setMetrics] = useState<{fontSize: number; lineHeight: number} | null>(null);
  /** Set once the stored edit is back in `text`: the shell's queued clicks act on it. */
  const [restored, setRestored] = useState(false);

  const figureRef = useRef<HTMLElement>(null);
  const staticRef = useRef<HTMLDivElement>(null);
  const editorRef = useRef<EditorHandle>(null);
  const checkButtonRef = useRef<HTMLButtonElement>(null);
  const resetButtonRef = useRef<HTMLButtonElement>(null);
  const shareInputRef = useRef<HTMLInputElement>(null);

  // Confirmations fade after a while; warnings and offers to undo stay until replaced.
  useEffect(() => {
    if (!notice || notice.action || (notice.tone !== 'success' && notice.tone !== 'info')) return undefined;
    const timer = setTimeout(() => setNotice((current) => (current === notice ? null : current)), NOTICE_MS);
    return () => clearTimeout(timer);
  }, [notice]);

  const edited = text !== vetted;
  const name = baseName(file);
  const active = mode === 'editor' || checked;
  const validation = useBlockValidation(file, text, active, registry);

  // ---- registry: the page's manifests (the shell registers the block) -----------------------
  useEffect(() => registry.update(file, text), [registry, file, text]);

  // ---- restore: saved edit, then a shared link aimed at this block ------------------------
  useEffect(() => {
    const storage = browserStorage();
    const {edit: saved, state} = inspectEdit(storage, lesson, file, vetted);
    if (saved && saved.text !== vetted) {
      showText(saved.text);
      if (vettedChangedSince(saved, vetted)) {
        setNotice({tone: 'warning', text: 'Курс обновил этот манифест после вашей правки. Нажмите «Сбросить», чтобы увидеть разницу с новой версией.'});
      }
    }
    if (state === 'repaired') setNotice({tone: 'warning', text: 'Сохранённая в браузере правка этого манифеста была частично повреждена: её текст восстановлен.'});
    if (state === 'discarded') setNotice({tone: 'warning', text: 'Сохранённая в браузере правка этого манифеста повреждена и не читается: она отброшена, показан манифест урока.'});
    setRestored(true);
    const target = parseShareHash(window.location.hash);
    if (!target || target.file !== file) return;
    let cancelled = false;
    void (async () => {
      let shared: string;
      try {
        shared = await (await loadShare()).decodeSharePayload(target.payload);
      } catch {
        if (!cancelled) setNotice({tone: 'danger', text: 'Ссылка повреждена: правку из неё восстановить не удалось. Показан ваш текст.'});
        return;
      }
      if (cancelled) return;
      const mine = loadEdit(storage, lesson, file);
      const backedUp = Boolean(mine && mine.text !== shared && saveBackup(storage, lesson, file, mine).ok);
      changeText(shared, 'now');
      setChecked(true);
      history.replace({pathname: window.location.pathname, search: window.location.search, hash: ''});
      figureRef.current?.scrollIntoView({block: 'start'});
      setNotice({
        tone: 'info',
        text: backedUp ? 'Открыта правка из ссылки. Ваша прежняя правка сохранена.' : 'Открыта правка из ссылки.',
        action: backedUp
          ? {
              label: 'Вернуть мою правку',
              run: () => {
                const backup = loadBackup(browserStorage(), lesson, file);
                if (!backup) return;
                if (editorRef.current) editorRef.current.replaceAll(backup.text);
                changeText(backup.text, 'now');
                clearBackup(browserStorage(), lesson, file);
                setNotice({tone: 'success', text: 'Ваша прежняя правка возвращена.'});
              },
            }
          : undefined,
      });
    })();
    return () => {
      cancelled = true;
    };
    // Runs once per block and lesson: restoring must not re-run as the learner types.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [lesson, file, vetted]);

  // ---- editor ------------------------------------------------------------------------------
  const openEditor = useCallback(
    (position?: {line: number; column: number}) => {
      if (mode === 'editor') {
        if (position) editorRef.current?.reveal(position.line, position.column);
        else editorRef.current?.focus();
        return;
      }
      const code = staticRef.current?.querySelector('pre code');
      if (code) {
        const style = getComputedStyle(code);
        const fontSize = parseFloat(style.fontSize);
        const lineHeight = parseFloat(style.lineHeight);
        if (fontSize > 0 && lineHeight > 0) setMetrics({fontSize, lineHeight});
      }
      setStartAt(position);
      setEditorReady(false);
      setMode('editor');
    },
    [mode],
  );

  const onStaticClick = (event: React.MouseEvent<HTMLDivElement>) => {
    if ((event.target as Element).closest('button, a')) return;
    const selection = window.getSelection();
    if (selection && !selection.isCollapsed && staticRef.current?.contains(selection.anchorNode)) return;
    openEditor(staticRef.current ? (positionFromClick(staticRef.current, event) ?? undefined) : undefined);
  };

  const onEditorChange = useCallback((next: string) => changeText(next), [changeText]);
  const onEscape = useCallback(() => checkButtonRef.current?.focus(), []);
  const onEditorFailed = useCallback(() => {
    setMode('static');
    setNotice({tone: 'danger', text: 'Не удалось загрузить редактор. Проверьте соединение и попробуйте ещё раз.'});
  }, []);

  // ---- toolbar -----------------------------------------------------------------------------
  const onCheck = async () => {
    setChecked(true);
    await validation.checkNow();
  };

  const onCopy = async () => {
    const ok = await copyText(textRef.current);
    setNotice(ok ? {tone: 'success', text: 'Манифест скопирован в буфер обмена.'} : {tone: 'danger', text: 'Браузер не дал скопировать текст: выделите его и нажмите Ctrl+C.'});
  };

  const onDownload = () => saveAsFile(textRef.current, name);

  const onShare = async () => {
    let share: Awaited<ReturnType<typeof loadShare>> | undefined;
    try {
      share = await loadShare();
      const url = await share.buildShareUrl(window.location.href, file, textRef.current);
      setShareUrl(url);
      const ok = await copyText(url);
      setNotice(
        ok
          ? {tone: 'success', text: 'Ссылка с вашей версией манифеста скопирована. Кто её откроет, увидит правку в этом же блоке.'}
          : {tone: 'info', text: 'Скопируйте ссылку из поля ниже.'},
      );
      requestAnimationFrame(() => shareInputRef.current?.select());
    } catch (error) {
      setShareUrl(null);
      setNotice({
        tone: 'danger',
        text: share && error instanceof share.ShareError && error.reason === 'too-large' ? 'Манифест слишком большой для ссылки. Скачайте файл и передайте его.' : 'Не удалось сделать ссылку.',
      });
    }
  };

  const onReset = () => {
    if (!edited) {
      setNotice({tone: 'info', text: 'Манифест не изменён: сбрасывать нечего.'});
      return;
    }
    setResetOpen(true);
  };

  const closeReset = () => {
    setResetOpen(false);
    requestAnimationFrame(() => resetButtonRef.current?.focus());
  };

  const confirmReset = () => {
    if (editorRef.current) editorRef.current.replaceAll(vetted);
    showText(vetted);
    clearEdit(browserStorage(), lesson, file);
    clearSaveProblem();
    setShareUrl(null);
    setNotice({tone: 'success', text: mode === 'editor' ? 'Правки сброшены. Ctrl+Z в редакторе вернёт их.' : 'Правки сброшены.'});
    closeReset();
  };

  // ---- problems ----------------------------------------------------------------------------
  const outcome = validation.outcome;
  const multiDocument = /^---\s*$/m.test(text.replace(/^\s*---\s*\n/, ''));

  const onJump = (p: ProblemView) => openEditor({line: p.line, column: p.column});

  const editSuppression = async (kind: 'add' | 'remove', index: number, code: string) => {
    const {applyEdit, suppressCode, unsuppressCode} = await import(/* webpackChunkName: "manifest-suppress" */ '../ManifestEditor/suppress');
    const current = textRef.current;
    const edit = kind === 'add' ? suppressCode(current, index, code) : unsuppressCode(current, index, code);
    if (!edit) {
      setNotice({tone: 'danger', text: 'Не получилось изменить аннотацию: исправьте сначала синтаксис YAML.'});
      return;
    }
    if (editorRef.current) editorRef.current.applyEdit(edit);
    else changeText(applyEdit(current, edit), 'now');
    setNotice({
      tone: 'info',
      text:
        kind === 'add'
          ? `Правило ${code} отключено для этого объекта: в metadata.annotations добавлена аннотация galley.istio.io/analyze-suppress, как для istioctl analyze.`
          : `Правило ${code} снова проверяется.`,
    });
  };

  // ---- toolbar actions, and the clicks the shell queued ------------------------------------
  const perform = (action: ToolbarAction, position?: {line: number; column: number}): void => {
    if (action === 'edit') openEditor(position);
    else if (action === 'check') void onCheck();
    else if (action === 'reset') onReset();
    else if (action === 'copy') void onCopy();
    else if (action === 'download') onDownload();
    else if (action === 'share') void onShare();
    else void terminalStore.applyManifest(file, textRef.current);
  };
  const onAction = (action: ToolbarAction, event: React.MouseEvent<HTMLElement>): void => {
    if (action === 'download') event.preventDefault(); // a blob download: no size limit of data: URLs
    perform(action);
  };
  const performRef = useRef(perform);
  performRef.current = perform;
  useEffect(() => {
    if (!restored) return;
    if (focus) figureRef.current?.querySelector<HTMLElement>(`[data-action="${focus}"]`)?.focus();
    for (const click of pending) performRef.current(click.action, click.position);
    // Once, after the stored edit is back in the text: the queue is the clicks made before loading.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [restored]);

  // ---- render ------------------------------------------------------------------------------
  const downloadHref = useMemo(() => (text.length <= DATA_HREF_LIMIT ? dataHref(text) : dataHref(vetted)), [text, vetted]);
  const maxHeight = typeof window === 'undefined' ? 640 : Math.max(320, Math.round(window.innerHeight * 0.7));
  const staticView = (loading: boolean) => <StaticCode text={text} loading={loading} onClick={onStaticClick} staticRef={staticRef} />;

  return (
    <ManifestView
      file={file}
      title={title}
      name={name}
      figureRef={figureRef}
      edited={edited}
      mode={mode}
      interactive
      editing={mode === 'editor' && editorReady}
      hint={mode === 'editor' ? (editorReady ? 'Esc — выйти из редактора, Ctrl+Пробел — подсказки' : 'Загружаем редактор…') : null}
      hintId={`${id}-hint`}
      body={
        mode === 'static' ? (
          staticView(false)
        ) : (
          <EditorBoundary fallback={staticView(false)} onError={onEditorFailed}>
            <Suspense fallback={staticView(true)}>
              <Editor
                ref={editorRef}
                file={file}
                initialValue={textRef.current}
                initialPosition={startAt}
                diagnostics={outcome?.diagnostics ?? NO_DIAGNOSTICS}
                ariaLabel={`Манифест examples/${file}, редактор YAML. Esc — выйти из редактора.`}
                fontSize={metrics?.fontSize}
                lineHeight={metrics?.lineHeight}
                maxHeight={maxHeight}
                onChange={onEditorChange}
                onEscape={onEscape}
                onReady={() => setEditorReady(true)}
              />
            </Suspense>
          </EditorBoundary>
        )
      }
      downloadHref={downloadHref}
      onAction={onAction}
      checkButtonRef={checkButtonRef}
      resetButtonRef={resetButtonRef}
      status={
        <>
          {notice && (
            <p className={clsx(styles.notice, styles[`notice_${notice.tone}`])}>
              {notice.text}
              {notice.action && (
                <>
                  {' '}
                  <button type="button" className={styles.linkButton} onClick={notice.action.run}>
                    {notice.action.label}
                  </button>
                </>
              )}
            </p>
          )}
          {saveProblem && <p className={clsx(styles.notice, styles.notice_warning)}>{saveProblem}</p>}
        </>
      }
      details={
        <>
          {shareUrl && (
            <div className={styles.share}>
              <label htmlFor={`${id}-share`}>Ссылка на вашу версию</label>
              <input ref={shareInputRef} id={`${id}-share`} type="text" readOnly value={shareUrl} onFocus={(e) => e.currentTarget.select()} />
            </div>
          )}
          {active && (
            <Suspense fallback={null}>
              <ProblemList
                id={id}
                state={validation.check}
                diagnostics={outcome?.diagnostics ?? NO_DIAGNOSTICS}
                silenced={outcome?.silenced ?? []}
                multiDocument={multiDocument}
                onJump={onJump}
                onSuppress={(p) => p.documentIndex !== undefined && void editSuppression('add', p.documentIndex, p.code)}
                onUnsuppress={(index, code) => void editSuppression('remove', index, code)}
              />
            </Suspense>
          )}
        </>
      }
      dialog={
        resetOpen && (
          <Suspense fallback={null}>
            <ResetDialog id={id} open={resetOpen} file={file} vetted={vetted} edited={text} onConfirm={confirmReset} onCancel={closeReset} />
          </Suspense>
        )
      }
    />
  );
}
