/**
 * Wraps the theme's CodeBlock:
 *  - in a scenario lesson (a page with a sandbox terminal), bash blocks get a «Выполнить»
 *    button that types the commands into the terminal and runs them;
 *  - a `live` block (theme-live-codeblock) loads its editor and JSX compiler (react-live,
 *    sucrase: ~200 KB) only on a page that has one; until then it shows its code as text.
 *    Going through @theme-original would put them on every page.
 */
import React, { Suspense, lazy } from 'react';
import CodeBlock from '@theme-init/CodeBlock';
import type CodeBlockType from '@theme/CodeBlock';
import type { WrapperProps } from '@docusaurus/types';
import { terminalStore } from '@site/src/terminal/store';
import { useTerminalStore, warmOnIntent } from '@site/src/components/Terminal';
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

export default function CodeBlockWrapper(props: Props): React.JSX.Element {
  const { scenario } = useTerminalStore();
  if (isLive(props))
    return (
      <Suspense fallback={<CodeBlock {...props} />}>
        <LiveCodeBlock {...props} />
      </Suspense>
    );
  const language = props.language ?? /language-(\w+)/.exec(props.className ?? '')?.[1];
  const runnable = scenario !== undefined && (language === 'bash' || language === 'sh' || language === 'shell') && !props.metastring?.includes('norun');
  if (!runnable) return <CodeBlock {...props} />;
  const text = textOf(props.children).replace(/\n$/, '');
  return (
    <div className={styles.runnable}>
      <CodeBlock {...props} />
      <button type="button" className={styles.run} onClick={() => void terminalStore.run(text)} title="Ввести команду в терминал песочницы и выполнить" data-run-command={text} {...warmOnIntent}>
        ▶ Выполнить
      </button>
    </div>
  );
}
