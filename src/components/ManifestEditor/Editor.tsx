/**
 * The Monaco editor of one manifest block (lazy chunk: imported only when a learner clicks into
 * a manifest or presses «Редактировать»). Owns the Monaco model; the block owns the text state
 * and gets every change through onChange. External changes (reset, silencing a rule, a shared
 * link) come in through the imperative handle as undoable edits.
 */
import React, {useEffect, useImperativeHandle, useRef} from 'react';
import {useColorMode} from '@docusaurus/theme-common';
import type {Diagnostic} from '../../validation/types';
import {MARKER_OWNER, toMarkers} from './monaco/markers';
import {MAX_YAML_MODEL, onLeave, setupMonaco, THEME, type Monaco} from './monaco/setup';
import type {TextEdit} from './suppress';
import styles from './styles.module.css';

type CodeEditor = ReturnType<Monaco['editor']['create']>;
type TextModel = NonNullable<ReturnType<CodeEditor['getModel']>>;

export interface EditorHandle {
  focus(): void;
  /** Puts the cursor at line:column, scrolls it into view and focuses the editor. */
  reveal(line: number, column: number): void;
  /** Replaces the whole text as one undoable edit. */
  replaceAll(text: string): void;
  /** Applies an offset-based edit as one undoable edit. */
  applyEdit(edit: TextEdit): void;
  getValue(): string;
}

export interface EditorProps {
  /** Block file, e.g. "ingress-service-a/virtual-service.yaml": the model's URI. */
  file: string;
  initialValue: string;
  initialPosition?: {line: number; column: number};
  diagnostics: readonly Diagnostic[];
  ariaLabel: string;
  /** Font metrics of the static code block, so swapping it for the editor does not jump. */
  fontSize?: number;
  lineHeight?: number;
  maxHeight?: number;
  onChange(text: string): void;
  /** Esc outside any editor widget: the block moves focus to its next control. */
  onEscape(): void;
  onReady?(): void;
  ref?: React.Ref<EditorHandle>;
}

function monoFont(): string {
  if (typeof document === 'undefined') return 'monospace';
  const value = getComputedStyle(document.documentElement).getPropertyValue('--ifm-font-family-monospace').trim();
  return value || 'monospace';
}

export default function Editor(props: EditorProps): React.JSX.Element {
  const {file, initialValue, initialPosition, diagnostics, ariaLabel, fontSize = 14, lineHeight = 21, maxHeight = 640, ref} = props;
  const container = useRef<HTMLDivElement>(null);
  const editorRef = useRef<CodeEditor | null>(null);
  const monacoRef = useRef<Monaco | null>(null);
  const callbacks = useRef(props);
  callbacks.current = props;
  const {colorMode} = useColorMode();

  useEffect(() => {
    const element = container.current;
    if (!element) return undefined;
    const monaco = setupMonaco();
    monacoRef.current = monaco;
    const uri = monaco.Uri.parse(`file:///examples/${file}`);
    monaco.editor.getModel(uri)?.dispose();
    const big = initialValue.length > MAX_YAML_MODEL;
    const model = monaco.editor.createModel(initialValue, big ? 'plaintext' : 'yaml', uri);
    model.updateOptions({tabSize: 2, insertSpaces: true});
    const editor = monaco.editor.create(element, {
      model,
      ariaLabel,
      theme: document.documentElement.dataset.theme === 'dark' ? THEME.dark : THEME.light,
      automaticLayout: true,
      minimap: {enabled: false},
      scrollBeyondLastLine: false,
      scrollbar: {alwaysConsumeMouseWheel: false, useShadows: false},
      fontFamily: monoFont(),
      fontSize,
      lineHeight,
      lineNumbersMinChars: 3,
      glyphMargin: false,
      folding: true,
      fixedOverflowWidgets: true,
      detectIndentation: false,
      tabSize: 2,
      insertSpaces: true,
      renderLineHighlight: 'line',
      stickyScroll: {enabled: false},
      unicodeHighlight: {ambiguousCharacters: false, invisibleCharacters: true},
      quickSuggestions: {other: true, comments: false, strings: true},
      // Completion comes from the schemas; words picked from comments would only add noise.
      wordBasedSuggestions: 'off',
      padding: {top: 8, bottom: 8},
      hover: {delay: 300},
      wordWrap: 'off',
      accessibilitySupport: 'auto',
    });
    editorRef.current = editor;

    const fit = () => {
      const height = Math.min(editor.getContentHeight(), maxHeight);
      element.style.height = `${height}px`;
      editor.layout();
    };
    fit();
    const subscriptions = [
      editor.onDidContentSizeChange(fit),
      model.onDidChangeContent(() => {
        const value = model.getValue();
        const wantYaml = value.length <= MAX_YAML_MODEL;
        if (wantYaml !== (model.getLanguageId() === 'yaml')) monaco.editor.setModelLanguage(model, wantYaml ? 'yaml' : 'plaintext');
        callbacks.current.onChange(value);
      }),
    ];
    subscriptions.push(onLeave(editor, () => callbacks.current.onEscape()));
    if (initialPosition) {
      editor.setPosition({lineNumber: initialPosition.line, column: initialPosition.column});
      editor.revealPositionInCenterIfOutsideViewport({lineNumber: initialPosition.line, column: initialPosition.column});
    }
    editor.focus();
    callbacks.current.onReady?.();
    return () => {
      for (const s of subscriptions) s.dispose();
      editor.dispose();
      model.dispose();
      editorRef.current = null;
    };
    // The editor is created once per block; later changes go through the handle.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  useEffect(() => {
    monacoRef.current?.editor.setTheme(colorMode === 'dark' ? THEME.dark : THEME.light);
  }, [colorMode]);

  useEffect(() => {
    const monaco = monacoRef.current;
    const model: TextModel | null | undefined = editorRef.current?.getModel();
    if (!monaco || !model) return;
    const severities = {error: monaco.MarkerSeverity.Error, warning: monaco.MarkerSeverity.Warning, info: monaco.MarkerSeverity.Info};
    const markers = toMarkers(diagnostics, severities, model.getLineCount(), (line) => model.getLineLength(line));
    monaco.editor.setModelMarkers(model, MARKER_OWNER, markers);
  }, [diagnostics]);

  useImperativeHandle(
    ref,
    (): EditorHandle => ({
      focus: () => editorRef.current?.focus(),
      reveal(line, column) {
        const editor = editorRef.current;
        if (!editor) return;
        editor.setPosition({lineNumber: line, column});
        editor.revealPositionInCenterIfOutsideViewport({lineNumber: line, column});
        editor.focus();
      },
      replaceAll(text) {
        const editor = editorRef.current;
        const model = editor?.getModel();
        if (!editor || !model || model.getValue() === text) return;
        editor.pushUndoStop();
        editor.executeEdits('manifest-block', [{range: model.getFullModelRange(), text}]);
        editor.pushUndoStop();
      },
      applyEdit(edit) {
        const editor = editorRef.current;
        const model = editor?.getModel();
        const monaco = monacoRef.current;
        if (!editor || !model || !monaco) return;
        const start = model.getPositionAt(edit.offset);
        const end = model.getPositionAt(edit.offset + edit.length);
        editor.pushUndoStop();
        editor.executeEdits('manifest-block', [
          {range: new monaco.Range(start.lineNumber, start.column, end.lineNumber, end.column), text: edit.insert},
        ]);
        editor.pushUndoStop();
      },
      getValue: () => editorRef.current?.getValue() ?? '',
    }),
    [],
  );

  return <div ref={container} className={styles.editor} style={{height: `${Math.min(initialValue.split('\n').length * lineHeight + 16, maxHeight)}px`}} />;
}
