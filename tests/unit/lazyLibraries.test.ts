import {describe, expect, it} from 'vitest';
import {dependencyTree, packagesOf} from '../../src/plugins/lazy-libraries';

describe('lazy-libraries plugin', () => {
  it('names every package a module file lies in, scoped and nested ones too', () => {
    expect(packagesOf('/site/node_modules/@mermaid-js/parser/node_modules/chevrotain/lib/api.js')).toEqual(['@mermaid-js/parser', 'chevrotain']);
    expect(packagesOf('/site/node_modules/react-dom/index.js')).toEqual(['react-dom']);
    expect(packagesOf('/site/src/theme/Mermaid/index.tsx')).toEqual([]);
  });

  it("collects a library's dependency tree from the installed packages", () => {
    const mermaid = dependencyTree('mermaid', process.cwd());
    expect(mermaid.has('mermaid')).toBe(true);
    expect(mermaid.has('dagre-d3-es')).toBe(true);
    expect(mermaid.has('react')).toBe(false);
    expect(dependencyTree('monaco-yaml', process.cwd()).has('yaml')).toBe(true);
  });
});
