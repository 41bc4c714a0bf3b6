import {describe, expect, it} from 'vitest';
import {dependencyTree, packagesOf} from '../../src/plugins/lazy-libraries';

describe('lazy-libraries plugin', () => {
  it('names every package a module file lies in, scoped and nested ones too', () => {
    expect(packagesOf('/site/node_modules/@mermaid-js/parser/node_modules/chevrotain/lib/api.js')).toEqual(['@mermaid-js/parser', 'chevrotain']);
    expect(packagesOf('/site/node_modules/react-dom/index.js')).toEqual(['react-dom']);
    expect(packagesOf('/site/src/theme/CodeBlock/index.tsx')).toEqual([]);
  });

  it("collects a library's dependency tree from the installed packages", () => {
    const monacoYaml = dependencyTree('monaco-yaml', process.cwd());
    expect(monacoYaml.has('monaco-yaml')).toBe(true);
    expect(monacoYaml.has('yaml')).toBe(true);
    expect(monacoYaml.has('react')).toBe(false);
  });
});
