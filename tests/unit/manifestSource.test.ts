import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import manifestSource from '../../src/remark/manifestSource';

function manifestNode(file: string) {
  return {
    type: 'mdxJsxFlowElement',
    name: 'Manifest',
    attributes: [{type: 'mdxJsxAttribute' as const, name: 'file', value: file}],
    children: [],
  };
}

function withExamples(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'examples-'));
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), {recursive: true});
    fs.writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

describe('manifestSource remark plugin', () => {
  const examplesDir = withExamples({'demo/gateway.yaml': 'kind: Gateway\n'});
  const transform = manifestSource({examplesDir});

  it('fills the source attribute from examples/', () => {
    const node = manifestNode('demo/gateway.yaml');
    transform({type: 'root', children: [{type: 'paragraph', children: [node]}]}, {path: 'lesson.mdx'});
    expect(node.attributes).toContainEqual({type: 'mdxJsxAttribute', name: 'source', value: 'kind: Gateway\n'});
  });

  it('fails the build on a missing file', () => {
    expect(() => transform({type: 'root', children: [manifestNode('demo/missing.yaml')]}, {})).toThrow(
      'examples/demo/missing.yaml does not exist',
    );
  });

  it('refuses paths that leave examples/', () => {
    expect(() => transform({type: 'root', children: [manifestNode('../package.json')]}, {})).toThrow(
      'the path leaves examples/',
    );
  });
});
