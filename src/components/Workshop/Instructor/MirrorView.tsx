/**
 * A read-only live copy of one participant's terminal (its first terminal): xterm.js fed with
 * the frames the server mirrors — the recent ones first, then live — with input disabled.
 * Loaded lazily, as the lesson terminal's XtermView is.
 */
import React, { useEffect, useRef } from 'react';
import { Terminal } from '@xterm/xterm';
import { FitAddon } from '@xterm/addon-fit';
import '@xterm/xterm/css/xterm.css';
import { useColorMode } from '@docusaurus/theme-common';
import { mirrorText, type MirrorFrame } from '@site/src/workshop/mirrorText';
import { themeFor } from '@site/src/components/Terminal/theme';

export type { MirrorFrame };

export default function MirrorView({ subscribe, name }: { subscribe: (write: (f: MirrorFrame) => void) => () => void; name: string }): React.JSX.Element {
  const host = useRef<HTMLDivElement>(null);
  const termRef = useRef<Terminal | null>(null);
  const { colorMode } = useColorMode();
  useEffect(() => {
    const el = host.current;
    if (!el) return undefined;
    const term = new Terminal({
      disableStdin: true,
      convertEol: true,
      cursorBlink: false,
      screenReaderMode: true,
      fontFamily: 'ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace',
      fontSize: 13,
      scrollback: 3000,
      theme: themeFor(document.documentElement.dataset.theme === 'dark' ? 'dark' : 'light'),
    });
    termRef.current = term;
    const fit = new FitAddon();
    term.loadAddon(fit);
    term.open(el);
    // read-only: the screen reader's input field says so and takes no text
    el.querySelector('textarea')?.setAttribute('readonly', '');
    try {
      fit.fit();
    } catch {
      // not laid out yet
    }
    const observer = new ResizeObserver(() => {
      try {
        fit.fit();
      } catch {
        // hidden
      }
    });
    observer.observe(el);
    const stop = subscribe((f) => {
      const text = mirrorText(f);
      if (text) {
        term.write(text);
        el.dataset.frames = String(Number(el.dataset.frames ?? 0) + 1);
      }
    });
    return () => {
      stop();
      observer.disconnect();
      term.dispose();
      termRef.current = null;
    };
  }, [subscribe]);
  useEffect(() => {
    if (termRef.current) termRef.current.options.theme = themeFor(colorMode);
  }, [colorMode]);
  return <div ref={host} style={{ height: '100%' }} aria-label={`Терминал участника ${name}, только просмотр`} role="region" data-testid="mirror-screen" />;
}
