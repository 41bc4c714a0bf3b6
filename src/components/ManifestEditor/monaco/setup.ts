/**
 * Monaco for the manifest editor, loaded on the first click into a manifest (this module is
 * the root of the lazy "monaco" chunk): the editor core with the features listed in
 * features.ts (no other languages than YAML), monaco-yaml for hover documentation and completion from the engine's
 * JSON Schemas, web workers via webpack 5's `new Worker(new URL(…, import.meta.url))`, and
 * two themes matching the site's code blocks.
 *
 * Markers come from our own engine only (monaco-yaml's `validate` is off): the engine checks
 * the same schemas plus syntax and cross-resource analysis, in Russian, and its diagnostics
 * are the ones the problem list shows; a second, English set of squiggles would duplicate them.
 *
 * monaco-editor is held at 0.52: monaco-yaml 5 creates its worker through
 * `editor.createWebWorker({moduleId, label, createData})`, which 0.53+ no longer supports
 * (remcohaszing/monaco-yaml#272). Monaco's own UI strings (find widget, context menu) are
 * therefore English; Russian ESM messages ship only from 0.53.
 */
import './features';
import * as monaco from 'monaco-editor/esm/vs/editor/editor.api.js';
import 'monaco-editor/esm/vs/basic-languages/yaml/yaml.contribution.js';
import {configureMonacoYaml, type MonacoYamlOptions} from 'monaco-yaml';
import {getValidationClient} from '../validation/browser';

export {monaco};
export type Monaco = typeof monaco;

export const THEME = {light: 'practicum-light', dark: 'practicum-dark'} as const;

/** Above this size the model is plain text: YAML tokenizing and the language worker are skipped. */
export const MAX_YAML_MODEL = 1024 * 1024;

let configured = false;

type CodeEditor = ReturnType<Monaco['editor']['create']>;

/** Esc belongs to these widgets first (close suggestions, find, hover…); otherwise it leaves. */
const ESCAPE_WHEN =
  'editorTextFocus && !suggestWidgetVisible && !findWidgetVisible && !parameterHintsVisible && !renameInputVisible && ' +
  '!markersNavigationVisible && !editorHoverVisible && !inSnippetMode && !accessibilityHelpWidgetVisible && ' +
  '!referenceSearchVisible && !inReferenceSearchEditor && !editorHasMultipleSelections';
const LEAVE_COMMAND = 'istio-practicum.leaveEditor';
const leaveHandlers = new WeakMap<CodeEditor, () => void>();
let leaveRegistered = false;

/**
 * Esc in `editor` calls `handler` (the block moves focus to its next control). One command
 * serves every editor of the page and asks which one has focus: Monaco's per-editor
 * `addCommand` keybindings are global, so with several editors the last one would win.
 */
export function onLeave(editor: CodeEditor, handler: () => void): {dispose(): void} {
  leaveHandlers.set(editor, handler);
  if (!leaveRegistered) {
    leaveRegistered = true;
    monaco.editor.addCommand({
      id: LEAVE_COMMAND,
      run: () => {
        const focused = monaco.editor.getEditors().find((e) => e.hasTextFocus());
        if (focused) leaveHandlers.get(focused as CodeEditor)?.();
      },
    });
    monaco.editor.addKeybindingRule({keybinding: monaco.KeyCode.Escape, command: LEAVE_COMMAND, when: ESCAPE_WHEN});
  }
  return {dispose: () => leaveHandlers.delete(editor)};
}

const YAML_OPTIONS: MonacoYamlOptions = {
  validate: false,
  hover: true,
  hoverSchemaSource: false,
  completion: true,
  enableSchemaRequest: false,
  isKubernetes: true,
  yamlVersion: '1.1',
  indentation: '  ',
  schemas: [],
};

interface MonacoEnvironmentLike {
  getWorker(moduleId: string, label: string): Worker;
}

function setEnvironment(): void {
  const environment: MonacoEnvironmentLike = {
    getWorker(_moduleId, label) {
      if (label === 'yaml') return new Worker(new URL('monaco-yaml/yaml.worker.js', import.meta.url));
      return new Worker(new URL('monaco-editor/esm/vs/editor/editor.worker.js', import.meta.url));
    },
  };
  (globalThis as {MonacoEnvironment?: MonacoEnvironmentLike}).MonacoEnvironment = environment;
}

function defineThemes(): void {
  // Backgrounds of the site's code blocks (prism github / dracula).
  // Token colours of vs / vs-dark that fall below 4.5:1 on these backgrounds get a darker (lighter) shade of the
  // same hue: YAML keys (type), numbers, comments and line numbers (tests/e2e/accessibility.spec.ts).
  monaco.editor.defineTheme(THEME.light, {
    base: 'vs',
    inherit: true,
    rules: [
      {token: 'type', foreground: '0a6e6b'},
      {token: 'number', foreground: '07704a'},
    ],
    colors: {'editor.background': '#f6f8fa', 'editorGutter.background': '#f6f8fa', 'editorLineNumber.foreground': '#59636e'},
  });
  monaco.editor.defineTheme(THEME.dark, {
    base: 'vs-dark',
    inherit: true,
    rules: [{token: 'comment', foreground: '8fb47a'}],
    colors: {'editor.background': '#282a36', 'editorGutter.background': '#282a36', 'editorLineNumber.foreground': '#a0a0a0'},
  });
}

/**
 * Configures Monaco once per page. monaco-yaml is configured when the schemas arrive from the
 * validation worker (a fraction of a second): configuring it earlier and updating it then would
 * start its worker twice.
 */
export function setupMonaco(): Monaco {
  if (configured) return monaco;
  configured = true;
  setEnvironment();
  defineThemes();
  const configure = (schemas: MonacoYamlOptions['schemas']) => configureMonacoYaml(monaco, {...YAML_OPTIONS, schemas});
  getValidationClient()
    .schemas()
    .then(
      (schemas) => configure(schemas as MonacoYamlOptions['schemas']),
      // Without schemas the editor still edits, and our engine still validates.
      () => configure([]),
    );
  return monaco;
}
