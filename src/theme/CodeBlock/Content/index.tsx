/**
 * The highlighted code of a code block. A block the page was served with keeps its
 * server-rendered tokens through hydration: Prism does not tokenize it again and React does not
 * build a fiber per token span (a scenario lesson has hundreds), the `<pre>` itself stays
 * React's (its word-wrap ref, its colours). React 19 keeps an element's server children when it
 * is hydrated with `dangerouslySetInnerHTML` and updates them only when `__html` changes
 * (react-dom-client: prepareToHydrateHostInstance, setProp 'dangerouslySetInnerHTML').
 *
 * Token colours are inline styles of the colour mode the page was served in; when the mode
 * changes (a stored dark theme applied after hydration, the toggle), the block renders its tokens
 * as the theme's own Content does from then on. Blocks that mount later (client-side
 * navigation) render as the theme's own Content does.
 */
import React, { useState, useSyncExternalStore, type ReactNode } from 'react';
import clsx from 'clsx';
import { usePrismTheme, useColorMode } from '@docusaurus/theme-common';
import { useCodeBlockContext } from '@docusaurus/theme-common/internal';
import Content from '@theme-original/CodeBlock/Content';
import type { Props } from '@theme/CodeBlock/Content';
// the theme's own module: the same class names as the <pre> the server rendered
import styles from '@docusaurus/theme-classic/lib/theme/CodeBlock/Content/styles.module.css';

/** Keeps the server's children: the same `__html` on every render, so React never writes it. */
const SERVER_MARKUP = { __html: '' };

const noSubscription = (): (() => void) => () => undefined;

/** True while React hydrates server markup (and on the server), false in a client render. */
function useHydrating(): boolean {
  return useSyncExternalStore(
    noSubscription,
    () => false,
    () => true,
  );
}

export default function CodeBlockContent(props: Props): ReactNode {
  const hydrating = useHydrating();
  const { colorMode } = useColorMode();
  const [served] = useState(() => (typeof window !== 'undefined' && hydrating ? colorMode : undefined));
  const [kept, setKept] = useState(served !== undefined);
  if (kept && colorMode !== served) setKept(false);
  if (!kept) return <Content {...props} />;
  return <ServedContent className={props.className} />;
}

/** The `<pre>` the theme's Content renders (prism-react-renderer's Highlight: className, root style), its tokens kept. */
function ServedContent({ className }: Props): ReactNode {
  const { metadata, wordWrap } = useCodeBlockContext();
  const prismTheme = usePrismTheme();
  return (
    <pre
      ref={wordWrap.codeBlockRef}
      tabIndex={0}
      className={clsx(className, `prism-code language-${metadata.language.toLowerCase()}`, styles.codeBlock, 'thin-scrollbar')}
      style={prismTheme.plain}
      dangerouslySetInnerHTML={SERVER_MARKUP}
      suppressHydrationWarning
    />
  );
}
