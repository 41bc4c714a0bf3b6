/**
 * A manifest block in a lesson: the vetted manifest from examples/ as highlighted text (server
 * rendered, no editor code loaded), which turns into a Monaco editor validated by our engine
 * when the learner clicks into it or presses «Редактировать». Edits are kept per lesson and
 * block in localStorage; reset shows a diff first; share puts the edit into a link.
 *
 * State and decisions live in plain modules under src/components/ManifestEditor (storage,
 * share, diff, suppress, problems, registry); this component wires them to the page.
 */
import React, {Suspense, lazy, useCallback, useEffect, useId, useMemo, useRef, useState} from 'react';
import clsx from 'clsx';
import CodeBlock from '@theme/CodeBlock';
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
  saveEdit,
  vettedChangedSince,
  type SaveResult,
} from '../ManifestEditor/storage';
import {useBlockValidation} from '../ManifestEditor/useBlockValidation';
import {debounce} from '../ManifestEditor/validation/debounce';
import styles from '../ManifestEditor/styles.module.css';
import ApplyToSandbox from './ApplyToSandbox';

export interface ManifestProps {
  /** Path under examples/, e.g. "ingress-service-a/gateway.yaml". */
  file: string;
  /** Optional caption shown above the manifest. */
  title?: string;
  /** The file's text, filled in at build time by src/remark/manifestSource. */
  source?: string;
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

const SAVE_DELAY_MS = 300;
const NOTICE_MS = 8000;
/** The static view highlights at most this much; a huge saved edit shows its beginning only. */
const STATIC_VIEW_LINES = 400;
const STATIC_VIEW_CHARS = 60_000;
const NO_DIAGNOSTICS: readonly Diagnostic[] = [];
/** Links with the text in a data: URL only for modest texts; larger ones download via a blob. */
const DATA_HREF_LIMIT = 100_000;

/** The share links' codec (compression and base64url): loaded when a link is made or opened. */
const loadShare = () => import(/* webpackChunkName: "manifest-tools" */ '../ManifestEditor/share');

function prefetchEditor(): void {
  void import(/* webpackChunkName: "manifest-editor" */ '../ManifestEditor/Editor').catch(() => undefined);
}

async function copyText(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    const area = document.createElement('textarea');
    area.value = text;
    area.setAttribute('readonly', '');
    area.style.position = 'fixed';
    area.style.opacity = '0';
    document.body.appendChild(area);
    area.select();
    let ok = false;
    try {
      ok = document.execCommand('copy');
    } catch {
      ok = false;
    }
    area.remove();
    return ok;
  }
}

function saveProblemText(result: SaveResult, size: number): string | null {
  if (result.ok) return null;
  const mb = (size / (1024 * 1024)).toFixed(1);
  return result.reason === 'quota'
    ? `Правка не сохранена в браузере: она слишком большая (${mb} МБ). Текст останется в редакторе до перезагрузки — скачайте файл, чтобы не потерять его.`
    : 'Браузер не даёт сохранять данные (приватный режим?): правка пропадёт после перезагрузки. Скачайте файл, чтобы не потерять её.';
}

class EditorBoundary extends React.Component<{fallback: React.ReactNode; onError(): void; children: React.ReactNode}, {failed: boolean}> {
  override state = {failed: false};
  static getDerivedStateFromError(): {failed: boolean} {
    return {failed: true};
  }
  override componentDidCatch(): void {
    this.props.onError();
  }
  override render(): React.ReactNode {
    return this.state.failed ? this.props.fallback : this.props.children;
  }
}

export default function Manifest({file, title, source}: ManifestProps): React.JSX.Element {
  if (source === undefined) {
    throw new Error(`<Manifest file="${file}"> has no source: is the manifestSource remark plugin configured?`);
  }
  const vetted = source;
  const id = useId().replace(/:/g, '');
  const location = useLocation();
  const history = useHistory();
  const lesson = normalizeLesson(location.pathname);
  const registry = useLessonRegistry();

  const [text, setText] = useState(vetted);
  const [mode, setMode] = useState<'static' | 'editor'>('static');
  const [checked, setChecked] = useState(false);
  const [startAt, setStartAt] = useState<{line: number; column: number} | undefined>();
  const [editorReady, setEditorReady] = useState(false);
  const [notice, setNotice] = useState<Notice | null>(null);
  const [saveProblem, setSaveProblem] = useState<string | null>(null);
  const [resetOpen, setResetOpen] = useState(false);
  const [shareUrl, setShareUrl] = useState<string | null>(null);
  const [metrics, setMetrics] = useState<{fontSize: number; lineHeight: number} | null>(null);
  /** Set once hydrated: the buttons work from here on (tests wait for it). */
  const [interactive, setInteractive] = useState(false);
  useEffect(() => setInteractive(true), []);

  const figureRef = useRef<HTMLElement>(null);
  const staticRef = useRef<HTMLDivElement>(null);
  const editorRef = useRef<EditorHandle>(null);
  const checkButtonRef = useRef<HTMLButtonElement>(null);
  const resetButtonRef = useRef<HTMLButtonElement>(null);
  const shareInputRef = useRef<HTMLInputElement>(null);
  const textRef = useRef(text);
  textRef.current = text;

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

  // ---- persistence -------------------------------------------------------------------------
  const persistNow = useCallback(
    (next: string) => {
      const result = saveEdit(browserStorage(), lesson, file, next, vetted);
      setSaveProblem(saveProblemText(result, next.length));
    },
    [lesson, file, vetted],
  );
  const saver = useMemo(() => debounce(() => persistNow(textRef.current), SAVE_DELAY_MS), [persistNow]);
  // Leaving the lesson or closing the tab within the save delay still keeps the last keystrokes.
  useEffect(() => {
    const flush = () => {
      if (saver.pending()) saver.flush();
    };
    window.addEventListener('pagehide', flush);
    return () => {
      window.removeEventListener('pagehide', flush);
      flush();
    };
  }, [saver]);

  /** Every change of the text by the learner goes through here. */
  const changeText = useCallback(
    (next: string, when: 'now' | 'debounced' = 'debounced') => {
      textRef.current = next;
      setText(next);
      if (when === 'now') {
        saver.cancel();
        persistNow(next);
      } else saver.schedule();
    },
    [saver, persistNow],
  );

  // ---- registry: the page's manifests ------------------------------------------------------
  useEffect(() => registry.register({file, title, vetted, text: textRef.current}), [registry, file, title, vetted]);
  useEffect(() => registry.update(file, text), [registry, file, text]);

  // ---- restore: saved edit, then a shared link aimed at this block ------------------------
  useEffect(() => {
    const storage = browserStorage();
    const {edit: saved, state} = inspectEdit(storage, lesson, file, vetted);
    if (saved && saved.text !== vetted) {
      textRef.current = saved.text;
      setText(saved.text);
      if (vettedChangedSince(saved, vetted)) {
        setNotice({tone: 'warning', text: 'Курс обновил этот манифест после вашей правки. Нажмите «Сбросить», чтобы увидеть разницу с новой версией.'});
      }
    }
    if (state === 'repaired') setNotice({tone: 'warning', text: 'Сохранённая в браузере правка этого манифеста была частично повреждена: её текст восстановлен.'});
    if (state === 'discarded') setNotice({tone: 'warning', text: 'Сохранённая в браузере правка этого манифеста повреждена и не читается: она отброшена, показан манифест урока.'});
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

  const onDownload = (event: React.MouseEvent<HTMLAnchorElement>) => {
    event.preventDefault();
    saveAsFile(textRef.current, name);
  };

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
    saver.cancel();
    textRef.current = vetted;
    setText(vetted);
    clearEdit(browserStorage(), lesson, file);
    setSaveProblem(null);
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

  // ---- render ------------------------------------------------------------------------------
  const downloadHref = useMemo(() => (text.length <= DATA_HREF_LIMIT ? dataHref(text) : dataHref(vetted)), [text, vetted]);
  const maxHeight = typeof window === 'undefined' ? 640 : Math.max(320, Math.round(window.innerHeight * 0.7));

  const shown = useMemo(() => {
    const trimmed = text.trimEnd();
    if (trimmed.length <= STATIC_VIEW_CHARS) return {code: trimmed, cut: false};
    const lines = trimmed.slice(0, STATIC_VIEW_CHARS).split('\n').slice(0, STATIC_VIEW_LINES);
    return {code: lines.join('\n'), cut: true};
  }, [text]);

  const staticView = (loading: boolean) => (
    <div
      ref={staticRef}
      className={clsx(styles.static, loading && styles.staticLoading)}
      onClick={loading ? undefined : onStaticClick}
      aria-busy={loading || undefined}
      title={loading ? undefined : 'Нажмите, чтобы редактировать'}>
      <CodeBlock language="yaml" showLineNumbers className={styles.code}>
        {shown.code}
      </CodeBlock>
      {shown.cut && <p className={styles.cut}>Показано только начало: текст слишком большой. Откройте редактор, чтобы увидеть его целиком.</p>}
    </div>
  );

  return (
    <figure ref={figureRef} className={styles.manifest} data-manifest={file} data-edited={edited || undefined} data-mode={mode} data-interactive={interactive || undefined}>
      {title && <figcaption className={styles.caption}>{title}</figcaption>}
      <div className={clsx(styles.frame, mode === 'editor' && editorReady && styles.frameEditing)}>
        <div className={styles.header}>
          <code className={styles.path}>examples/{file}</code>
          {edited && (
            <span className={styles.badge} data-testid="edited-badge">
              изменён
            </span>
          )}
          <span className={styles.hint} id={`${id}-hint`}>
            {mode === 'editor' ? (editorReady ? 'Esc — выйти из редактора, Ctrl+Пробел — подсказки' : 'Загружаем редактор…') : null}
          </span>
        </div>
        {mode === 'static' ? (
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
        )}
      </div>

      <div className={styles.toolbar} role="toolbar" aria-label={`Действия с манифестом ${name}`}>
        {mode === 'static' && (
          <button type="button" className="button button--sm button--primary" onClick={() => openEditor()} onPointerEnter={prefetchEditor} onFocus={prefetchEditor}>
            Редактировать
          </button>
        )}
        <button ref={checkButtonRef} type="button" className="button button--sm button--secondary" onClick={onCheck}>
          Проверить
        </button>
        <button ref={resetButtonRef} type="button" className="button button--sm button--secondary" onClick={onReset} aria-disabled={!edited}>
          Сбросить
        </button>
        <button type="button" className="button button--sm button--secondary" onClick={onCopy}>
          Копировать
        </button>
        <a className="button button--sm button--secondary" href={downloadHref} download={name} onClick={onDownload}>
          Скачать<span className={styles.toolbarFile}> {name}</span>
        </a>
        <button type="button" className="button button--sm button--secondary" onClick={onShare}>
          Поделиться
        </button>
        <ApplyToSandbox file={file} text={() => textRef.current} />
      </div>

      <div role="status" aria-live="polite" className={styles.status}>
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
      </div>
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

      <p className={styles.apply}>
        <code>kubectl apply -f examples/{file}</code>
      </p>

      {resetOpen && (
        <Suspense fallback={null}>
          <ResetDialog id={id} open={resetOpen} file={file} vetted={vetted} edited={text} onConfirm={confirmReset} onCancel={closeReset} />
        </Suspense>
      )}
    </figure>
  );
}
