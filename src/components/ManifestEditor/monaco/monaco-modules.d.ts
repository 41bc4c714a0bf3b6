/** Monaco's ESM entry points used by setup.ts; the core API has the types of 'monaco-editor'. */
declare module 'monaco-editor/esm/vs/editor/edcore.main.js' {
  export * from 'monaco-editor';
}
declare module 'monaco-editor/esm/vs/basic-languages/yaml/yaml.contribution.js';
