/**
 * The xterm.js screen of the lesson terminal. Loaded lazily (its own chunk, with xterm and
 * its CSS), only when the learner opens the terminal. The sandbox runs in a Web Worker, or on
 * the workshop server in a room (src/terminal/sandboxTransport.ts).
 */
import React, { useEffect, useRef } from 'react';
import { Terminal, type IDisposable } from '@xterm/xterm';
import { FitAddon } from '@xterm/addon-fit';
import { WebLinksAddon } from '@xterm/addon-web-links';
import '@xterm/xterm/css/xterm.css';
import { useColorMode } from '@docusaurus/theme-common';
import { TerminalSession, type SessionState } from '@site/src/terminal/session';
import { blockTerminalReports, safeLink } from '@site/src/terminal/replies';
import { terminalStore, type TerminalController } from '@site/src/terminal/store';
import { takeSandboxTransport } from '@site/src/terminal/sandboxTransport';
import { PtySession } from '@site/src/workshop/ptyTerminal';
import { roomLink } from '@site/src/workshop/roomLink';
import { markRequests } from './requestMarker';
import { themeFor } from './theme';
import styles from './styles.module.css';

export interface XtermViewProps {
  scenario: string;
  onState: (s: SessionState) => void;
  /** Font size in CSS pixels (the dock's A−/A+). */
  fontSize: number;
  /** The tab on screen: run buttons, checks and the focus go to its terminal. */
  active: boolean;
  /** A further terminal: its shell session `id` on the sandbox of `primary` (the first terminal's session). */
  attach?: { id: string; primary: TerminalSession };
  /** The first terminal hands its session out, for further terminals to attach to. */
  onSession?: (s: TerminalSession | undefined) => void;
  /** Whether becoming the active tab moves the focus into this terminal (not while arrowing through the tabs). */
  focusOnActivate?: React.MutableRefObject<boolean>;
}

/** Markers after commands' output kept clickable (older ones lose their button). */
const MAX_MARKS = 500;

// Screen readers announce these (xterm's own strings are English).
Terminal.strings.promptLabel = 'Ввод терминала';
Terminal.strings.tooMuchOutput = 'Слишком много вывода, чтобы зачитать его';

export default function XtermView({ scenario, onState, fontSize, active, attach, onSession, focusOnActivate }: XtermViewProps): React.JSX.Element {
  const host = useRef<HTMLDivElement>(null);
  const termRef = useRef<Terminal | null>(null);
  const fitRef = useRef<FitAddon | null>(null);
  const controllerRef = useRef<TerminalController | null>(null);
  const activeRef = useRef(active);
  activeRef.current = active;
  const fontRef = useRef(fontSize);
  fontRef.current = fontSize;
  const { colorMode } = useColorMode();

  useEffect(() => {
    const el = host.current;
    if (!el) return undefined;
    performance.mark('terminal:xterm-loaded');
    const term = new Terminal({
      screenReaderMode: true,
      convertEol: true,
      cursorBlink: true,
      fontFamily: 'ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace',
      fontSize: fontRef.current,
      scrollback: 5000,
      // registerDecoration (the markers after commands' requests, requestMarker.ts) is a proposed API in xterm.js 6
      allowProposedApi: true,
      theme: themeFor(document.documentElement.dataset.theme === 'dark' ? 'dark' : 'light'),
      // OSC 8 hyperlinks in output: only http(s) targets are links, opened without access to this page
      linkHandler: { activate: (_e, uri) => openLink(uri), allowNonHttpProtocols: false },
    });
    termRef.current = term;
    // output must not answer for the learner: device and status queries get no reply
    const unblock = blockTerminalReports(term);
    const fit = new FitAddon();
    fitRef.current = fit;
    term.loadAddon(fit);
    term.loadAddon(new WebLinksAddon((_e, uri) => openLink(uri)));
    term.open(el);
    try {
      fit.fit();
    } catch {
      // not laid out yet
    }
    // the markers after commands' output (requestMarker.ts), until the sandbox starts afresh
    const marks: IDisposable[] = [];
    // a cluster room: the participant's PTY on the workshop server (a further tab has none of its own)
    const link = attach ? undefined : roomLink();
    const session = link?.clusterRoom
      ? new PtySession({
          link: link.pty(),
          scenario,
          screen: term,
          onState: (s) => {
            el.dataset.state = s;
            onState(s);
          },
        })
      : new TerminalSession({
      scenario,
      screen: {
        write: (d) => term.write(d),
        clear: () => term.clear(),
        get cols() {
          return term.cols;
        },
        markRequests: (requests) => {
          marks.push(
            markRequests(term, requests, (id) => {
              terminalStore.showRequest(id);
              term.focus();
            }),
          );
          // the oldest are far up the scrollback by now (or trimmed from it)
          if (marks.length > MAX_MARKS) marks.shift()?.dispose();
        },
        forgetRequests: () => {
          for (const m of marks.splice(0)) m.dispose();
        },
      },
      makeTransport: takeSandboxTransport,
      attach,
      onRun: (n) => {
        el.dataset.runs = String(n);
      },
      onState: (s) => {
        el.dataset.state = s;
        onState(s);
      },
    });
    term.attachCustomKeyEventHandler((ev) => {
      // Ctrl-C with a selection copies, as in desktop terminals; Ctrl-Shift-C always copies
      const copy = ev.type === 'keydown' && (ev.ctrlKey || ev.metaKey) && ev.key.toLowerCase() === 'c' && (ev.shiftKey || term.hasSelection());
      if (copy) {
        void navigator.clipboard?.writeText(term.getSelection()).catch(() => undefined);
        return false;
      }
      return true;
    });
    const data = term.onData((d) => session.input(d));
    // keys typed between «Запустить терминал» (or «+») and this screen: delivered first, in order
    for (const d of terminalStore.takeEarlyInput()) session.input(d);
    if (activeRef.current) term.focus();
    // In screen-reader mode xterm ignores text inserted without a key press (on-screen
    // keyboards, some input methods, dictation); pass it on unless a keydown already did.
    let keyed = '';
    const onKeyDown = (e: KeyboardEvent): void => {
      keyed = e.key.length === 1 && e.keyCode !== 229 ? e.key : '';
    };
    const onInput = (e: Event): void => {
      const ie = e as InputEvent;
      if (ie.inputType === 'insertText' && ie.data && !ie.isComposing && ie.data !== keyed) session.input(ie.data);
      keyed = '';
    };
    el.addEventListener('keydown', onKeyDown, true);
    el.addEventListener('input', onInput);
    const resize = term.onResize(({ cols, rows }) => session.resize(cols, rows));
    const observer = new ResizeObserver(() => {
      try {
        fit.fit();
      } catch {
        // hidden
      }
    });
    observer.observe(el);
    const controller: TerminalController = {
      runCommands: (text) => session.runCommands(text),
      applyManifest: (file, text) => session.applyManifest(file, text),
      check: (probes) => session.check(probes),
      traffic: (since) => session.traffic(since),
      reset: () => session.reset(),
      focus: () => term.focus(),
    };
    controllerRef.current = controller;
    if (activeRef.current) terminalStore.attach(controller);
    onSession?.(session instanceof TerminalSession ? session : undefined);
    void session.start().then(() => {
      if (attach) return;
      performance.mark('terminal:ready');
      terminalStore.started();
      if (activeRef.current) term.focus();
    });
    return () => {
      terminalStore.detach(controller);
      controllerRef.current = null;
      onSession?.(undefined);
      unblock();
      observer.disconnect();
      el.removeEventListener('keydown', onKeyDown, true);
      el.removeEventListener('input', onInput);
      data.dispose();
      resize.dispose();
      session.dispose();
      term.dispose();
      termRef.current = null;
    };
    // attach and onSession are fixed for a tab's lifetime
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [scenario, onState]);

  // the tab on screen takes run buttons, checks and the keyboard
  useEffect(() => {
    const c = controllerRef.current;
    if (!active || !c) return;
    terminalStore.attach(c);
    if (focusOnActivate?.current !== false) termRef.current?.focus();
  }, [active, focusOnActivate]);

  useEffect(() => {
    if (termRef.current) termRef.current.options.theme = themeFor(colorMode);
  }, [colorMode]);

  useEffect(() => {
    const term = termRef.current;
    if (!term || term.options.fontSize === fontSize) return;
    term.options.fontSize = fontSize;
    try {
      fitRef.current?.fit();
    } catch {
      // hidden
    }
  }, [fontSize]);

  return <div ref={host} className={styles.screen} data-state="starting" data-runs="0" data-testid="terminal-screen" />;
}

function openLink(uri: string): void {
  const url = safeLink(uri);
  if (url) window.open(url, '_blank', 'noopener,noreferrer');
}
