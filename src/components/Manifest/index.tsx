/**
 * A manifest block in a lesson: `<Manifest file="dir/name.yaml" title="…" />`.
 *
 * What a lesson page loads is this light shell: the vetted manifest from examples/ as highlighted
 * text (server rendered) with the block's toolbar, registered in the page's registry. Its
 * interactive part (Interactive.tsx: editor, stored edits, share links, validation, reset,
 * «Применить в песочнице») is a chunk loaded when the learner shows intent: the block comes near
 * the viewport, the pointer enters it, it takes the focus — or at once when the page was opened
 * with a share link for it or the browser keeps an edit of it. A click made before that part has
 * loaded is queued and performed once it has.
 */
import React, {useCallback, useEffect, useId, useRef, useState} from 'react';
import clsx from 'clsx';
import {useLocation} from '@docusaurus/router';
import {dataHref, fileName} from '../ManifestEditor/download';
import {hasStoredEdit, normalizeLesson} from '../ManifestEditor/editKey';
import {useLessonRegistry} from '../ManifestEditor/LessonContext';
import {parseShareHash} from '../ManifestEditor/shareHash';
import styles from '../ManifestEditor/styles.module.css';
import type {InteractiveManifestProps} from './Interactive';
import {ManifestView, StaticCode, type PendingAction, type ToolbarAction} from './View';

export interface ManifestProps {
  /** Path under examples/, e.g. "ingress-service-a/gateway.yaml". */
  file: string;
  /** Optional caption shown above the manifest. */
  title?: string;
  /** The file's text, filled in at build time by src/remark/manifestSource. */
  source?: string;
}

/** How near the viewport a block starts loading its interactive part: a screen's scroll ahead of the learner. */
const NEAR_VIEWPORT = '50% 0px';

type Interactive = React.ComponentType<InteractiveManifestProps>;

const loadInteractive = () => import(/* webpackChunkName: "manifest-block" */ './Interactive');

export default function Manifest({file, title, source}: ManifestProps): React.JSX.Element {
  if (source === undefined) {
    throw new Error(`<Manifest file="${file}"> has no source: is the manifestSource remark plugin configured?`);
  }
  const vetted = source;
  const id = useId().replace(/:/g, '');
  const {pathname} = useLocation();
  const registry = useLessonRegistry();
  const figureRef = useRef<HTMLElement>(null);
  const staticRef = useRef<HTMLDivElement>(null);
  const [Loaded, setLoaded] = useState<{component: Interactive; focus?: ToolbarAction} | null>(null);
  const [failed, setFailed] = useState(false);
  const pending = useRef<PendingAction[]>([]);
  const loading = useRef(false);

  // The page's registry knows every block from hydration on (the lesson's «all manifests» download,
  // the validation context of the other blocks); the interactive part keeps its text up to date.
  useEffect(() => registry.register({file, title, vetted, text: vetted}), [registry, file, title, vetted]);

  const load = useCallback(() => {
    if (loading.current) return;
    loading.current = true;
    setFailed(false);
    loadInteractive().then(
      (module) => {
        // A click into the code: its line and column in the shell's code, still on the page.
        for (const click of pending.current) {
          if (click.at && staticRef.current) {
            const at = {clientX: click.at.pageX - window.scrollX, clientY: click.at.pageY - window.scrollY, target: null};
            click.position = module.positionFromClick(staticRef.current, at) ?? undefined;
          }
        }
        // The shell's button with the keyboard focus hands it to the same button of the interactive part.
        const active = document.activeElement;
        const focus = active instanceof HTMLElement && figureRef.current?.contains(active) ? (active.dataset.action as ToolbarAction | undefined) : undefined;
        setLoaded({component: module.default, focus});
      },
      () => {
        loading.current = false;
        setFailed(true);
      },
    );
  }, []);

  // Intent: near the viewport; opened with a share link for this block; an edit of it in the browser.
  useEffect(() => {
    if (parseShareHash(window.location.hash)?.file === file || hasStoredEdit(normalizeLesson(pathname), file)) {
      load();
      return undefined;
    }
    const figure = figureRef.current;
    if (!figure || typeof IntersectionObserver === 'undefined') {
      load();
      return undefined;
    }
    const observer = new IntersectionObserver((entries) => {
      if (entries.some((entry) => entry.isIntersecting)) {
        observer.disconnect();
        load();
      }
    }, {rootMargin: NEAR_VIEWPORT});
    observer.observe(figure);
    return () => observer.disconnect();
  }, [file, pathname, load]);

  if (Loaded) {
    const Component = Loaded.component;
    return <Component file={file} title={title} vetted={vetted} pending={pending.current} focus={Loaded.focus} />;
  }

  const queue = (click: PendingAction): void => {
    if (!pending.current.some((p) => p.action === click.action)) pending.current.push(click);
    load();
  };
  const onAction = (action: ToolbarAction, event: React.MouseEvent<HTMLElement>): void => {
    event.preventDefault(); // the download too: the interactive part saves the current text
    queue({action});
  };
  const onStaticClick = (event: React.MouseEvent<HTMLDivElement>): void => {
    const selection = window.getSelection();
    if (selection && !selection.isCollapsed && staticRef.current?.contains(selection.anchorNode)) return;
    queue({action: 'edit', at: {pageX: event.pageX, pageY: event.pageY}});
  };

  return (
    <ManifestView
        file={file}
        title={title}
        name={fileName(file)}
        figureRef={figureRef}
        edited={false}
        mode="static"
        interactive={false}
        editing={false}
        hint={null}
        hintId={`${id}-hint`}
        body={<StaticCode text={vetted} onClick={onStaticClick} staticRef={staticRef} />}
        downloadHref={dataHref(vetted)}
        onAction={onAction}
        status={failed && <p className={clsx(styles.notice, styles.notice_danger)}>Не удалось загрузить этот блок. Проверьте соединение и нажмите кнопку ещё раз.</p>}
        onIntent={load}
      />
  );
}
