/** Monaco's ESM entry points used by setup.ts without declarations of their own. */
declare module 'monaco-editor/esm/vs/basic-languages/yaml/yaml.contribution.js';
