import { describe, expect, it } from 'vitest';
import { parseManifests } from './manifests';

const goYaml = (text: string): string => parseManifests(text, 'STDIN').errors.join('\n');
const prefix = 'error: error parsing STDIN: error converting YAML to JSON: ';

describe('kubectl apply: YAML syntax errors in go-yaml v2 words', () => {
  it('`key: -` is a block entry where none may start (scannerc.go yaml_parser_fetch_block_entry)', () => {
    // go-yaml's own test: `value: -` → "yaml: block sequence entries are not allowed in this context" (no line on line 1)
    expect(goYaml('value: -\n')).toBe(`${prefix}yaml: block sequence entries are not allowed in this context`);
    expect(goYaml('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: k\n  labels:\n    l0: \n    l1: -\n')).toBe(`${prefix}yaml: line 7: block sequence entries are not allowed in this context`);
    expect(goYaml('x: 1\na: - b\n')).toBe(`${prefix}yaml: line 2: block sequence entries are not allowed in this context`);
  });

  it("a ':' go-yaml cannot take is reported on its own line (yaml_parser_fetch_value)", () => {
    expect(goYaml('a: b: c\n')).toBe(`${prefix}yaml: mapping values are not allowed in this context`);
    expect(goYaml('x: 1\na: b: c\n')).toBe(`${prefix}yaml: line 2: mapping values are not allowed in this context`);
    expect(goYaml('kind: Service\n  metadata: x\n')).toBe(`${prefix}yaml: line 2: mapping values are not allowed in this context`);
  });

  it("a line of a block mapping without its ':' is a key the scanner gives up on at the next token (yaml_parser_stale_simple_keys)", () => {
    expect(goYaml('apiVersion: v1\nkind Namespace\nmetadata:\n  name: a\n')).toBe(`${prefix}yaml: line 3: could not find expected ':'`);
    expect(goYaml('a:\n  x: 1\n  y\n')).toBe(`${prefix}yaml: line 4: could not find expected ':'`);
    expect(goYaml('a: 1\n\n# c\nb\n\n  # x\nc: 2\n')).toBe(`${prefix}yaml: line 7: could not find expected ':'`);
    // at the top of a document or first under a key, the line is a plain scalar continued on the next line
    expect(goYaml('foo\na: 1\n')).toBe(`${prefix}yaml: line 2: mapping values are not allowed in this context`);
    expect(goYaml('a:\n  y\n  z: 2\n')).toBe(`${prefix}yaml: line 3: mapping values are not allowed in this context`);
  });

  it('an unclosed quote reads to the end of the stream; a tab or a reserved character cannot start a token', () => {
    expect(goYaml("x: 1\na: 'x\ny: 2\n")).toBe(`${prefix}yaml: line 4: found unexpected end of stream`);
    expect(goYaml('a: 1\n\tb: 2\n')).toBe(`${prefix}yaml: line 2: found character that cannot start any token`);
    expect(goYaml('x: 1\na: @x\n')).toBe(`${prefix}yaml: line 2: found character that cannot start any token`);
    expect(goYaml('a: `x\n')).toBe(`${prefix}yaml: found character that cannot start any token`);
  });
});
