/**
 * Wraps the theme's CodeBlock:
 *  - in a scenario lesson (a page with a sandbox terminal), bash blocks get a «Выполнить»
 *    button that types the commands into the terminal and runs them;
 *  - a block the page was served with keeps its server-rendered tokens through hydration
 *    (./Content);
 *  - a `live` block (theme-live-codeblock) loads its editor, its JSX compiler and the routing
 *    playground (react-live, sucrase, re2js: ~100 KB gzip) only when the block comes near the
 *    viewport or the reader points at it or tabs into it; until then it shows its code as text.
 *    Going through @theme-original would put them on every page; loading them with the page
 *    would make a lesson with a live block twice as heavy as a plain page (npm run bench:pages).
 */
import React, { Suspense, lazy, useEffect, useMemo, useRef, useState } from 'react';
import CodeBlock from '@theme-init/CodeBlock';
import type CodeBlockType from '@theme/CodeBlock';
import type { WrapperProps } from '@docusaurus/types';
import { terminalStore } from '@site/src/terminal/store';
import { useTerminalStore, warmOnIntent } from '@site/src/components/Terminal/launcher';
import styles from './styles.module.css';

type Props = WrapperProps<typeof CodeBlockType>;

function textOf(children: React.ReactNode): string {
  if (typeof children === 'string') return children;
  if (Array.isArray(children)) return children.map(textOf).join('');
  return '';
}

const LiveCodeBlock = lazy(() => import('@theme/LiveCodeBlock'));

function isLive(props: Props): props is Props & { live: true; children?: string } {
  return Boolean((props as { live?: boolean }).live) && (props.children === undefined || typeof props.children === 'string');
}

/** How far below (or above) the viewport a live block starts loading, so it is ready when scrolled to. */
const LIVE_MARGIN = '300px 0px';

function LiveWhenNear(props: Props & { live: true; children?: string }): React.JSX.Element {
  const box = useRef<HTMLDivElement>(null);
  const [near, setNear] = useState(false);
  useEffect(() => {
    const element = box.current;
    if (near || !element) return undefined;
    if (typeof IntersectionObserver === 'undefined') {
      setNear(true);
      return undefined;
    }
    const observer = new IntersectionObserver((entries) => entries.some((e) => e.isIntersecting) && setNear(true), { rootMargin: LIVE_MARGIN });
    observer.observe(element);
    return () => observer.disconnect();
  }, [near]);
  const wake = near ? undefined : () => setNear(true);
  return (
    <div ref={box} onPointerEnter={wake} onFocus={wake} data-live-block={near ? 'loaded' : 'waiting'}>
      {near ? (
        <Suspense fallback={<CodeBlock {...props} />}>
          <LiveCodeBlock {...props} />
        </Suspense>
      ) : (
        <CodeBlock {...props} />
      )}
    </div>
  );
}

const SHELL = new Set(['bash', 'sh', 'shell']);

export default function CodeBlockWrapper(props: Props): React.JSX.Element {
  const { scenario } = useTerminalStore();
  // the block itself does not change with the page's scenario: it re-renders only with its props
  const block = useMemo(() => <CodeBlock {...props} />, [props]);
  if (isLive(props)) return <LiveWhenNear {...props} />;
  const language = props.language ?? /language-(\w+)/.exec(props.className ?? '')?.[1];
  if (!SHELL.has(language ?? '') || props.metastring?.includes('norun')) return block;
  // A shell block sits in the same <div> with or without its button: the scenario is known once
  // the terminal registers it, after hydration, and the button then joins the block instead of
  // the block being built again inside a new parent.
  const runnable = scenario !== undefined;
  const text = textOf(props.children).replace(/\n$/, '');
  return (
    <div className={runnable ? styles.runnable : undefined}>
      {block}
      {runnable && (
        <button type="button" className={styles.run} onClick={() => void terminalStore.run(text)} title="Ввести команду в терминал песочницы и выполнить" data-run-command={text} {...warmOnIntent}>
          ▶ Выполнить
        </button>
      )}
    </div>
  );
}
