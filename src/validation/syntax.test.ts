import { describe, expect, it } from 'vitest';
import { validateText } from './index';

interface Case {
  name: string;
  text: string;
  code: string;
  line: number;
  column?: number;
}

const ns = (extra = '') => `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n${extra}`;

const cases: Case[] = [
  { name: 'duplicate key', text: 'apiVersion: v1\nkind: Namespace\nkind: Namespace\nmetadata:\n  name: a\n', code: 'YAML002', line: 3, column: 1 },
  { name: 'nested duplicate key', text: ns('  labels:\n    a: "1"\n    a: "2"\n'), code: 'YAML002', line: 7, column: 5 },
  { name: 'tab in indentation', text: 'apiVersion: v1\nkind: Namespace\nmetadata:\n\tname: a\n', code: 'YAML003', line: 4, column: 1 },
  { name: 'list at top level', text: '- apiVersion: v1\n  kind: Namespace\n', code: 'YAML004', line: 1, column: 1 },
  { name: 'scalar document', text: 'just text\n', code: 'YAML004', line: 1, column: 1 },
  { name: 'second document is a list', text: `${ns()}---\n- a\n- b\n`, code: 'YAML004', line: 6, column: 1 },
  { name: 'bad indentation', text: 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: a\n labels: {}\n', code: 'YAML001', line: 5 },
  { name: 'unclosed quote', text: 'apiVersion: "v1\nkind: Namespace\n', code: 'YAML001', line: 1 },
  { name: 'unclosed flow sequence', text: 'apiVersion: v1\nkind: Namespace\nmetadata: {name: [a, b}\n', code: 'YAML001', line: 3 },
  { name: 'missing colon makes a multiline key', text: 'apiVersion: v1\nkind Namespace\nmetadata:\n  name: a\n', code: 'YAML001', line: 2 },
];

describe('syntax diagnostics', () => {
  it.each(cases)('$name → $code at line $line', ({ text, code, line, column }) => {
    const r = validateText(text, { analysis: false });
    const d = r.diagnostics.find((x) => x.code === code);
    expect(d, JSON.stringify(r.diagnostics.map((x) => [x.code, x.range?.start.line, x.message]))).toBeDefined();
    expect(d!.range!.start.line).toBe(line);
    if (column !== undefined) expect(d!.range!.start.column).toBe(column);
    expect(d!.severity).toBe('error');
    expect(d!.message).toMatch(/[а-яё]/i);
  });

  it('skips empty documents like kubectl', () => {
    const r = validateText(`---\n# only a comment\n---\n${ns()}---\n`);
    expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(r.documents).toHaveLength(1);
  });

  it('reads YAML 1.1 like kubectl: an unquoted yes is a boolean', () => {
    const r = validateText(ns('  labels:\n    enabled: yes\n'), { analysis: false });
    const d = r.diagnostics.find((x) => x.code === 'K8S004');
    expect(d?.message).toContain('логическое значение true');
    expect(d?.range?.start).toMatchObject({ line: 6, column: 14 });
  });

  it("a syntax error quotes what kubectl apply would say of it, in go-yaml's words", () => {
    const r = validateText(ns('  labels:\n    a: -\n'), { analysis: false });
    const d = r.diagnostics.find((x) => x.code === 'YAML001');
    expect(d?.message).toBe('Ошибка синтаксиса YAML: Unexpected block-seq-ind on same line with key (kubectl: "yaml: line 6: block sequence entries are not allowed in this context")');
    expect(d?.original).toBe('yaml: line 6: block sequence entries are not allowed in this context');
    // an error go-yaml words otherwise, at a place this mapping cannot place, keeps the yaml package's words alone
    const flow = validateText('apiVersion: v1\nkind: Namespace\nmetadata: {name: [a, b}\n', { analysis: false }).diagnostics.find((x) => x.code === 'YAML001');
    expect(flow?.message).not.toContain('kubectl:');
  });

  it('an empty text has no diagnostics', () => {
    expect(validateText('').diagnostics).toEqual([]);
  });
});

describe('hostile input ends in a clear diagnostic, quickly', () => {
  const timed = (text: string) => {
    const t = performance.now();
    const r = validateText(text);
    return { r, ms: performance.now() - t };
  };

  it('alias bomb (billion laughs)', () => {
    let text = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n';
    const names = 'bcdefghij';
    for (let i = 0; i < names.length; i++) {
      const prev = i === 0 ? 'a' : names[i - 1];
      text += `${names[i]}: &${names[i]} [${Array(9).fill(`*${prev}`).join(',')}]\n`;
    }
    const { r, ms } = timed(text);
    expect(r.diagnostics.map((d) => d.code)).toContain('YAML005');
    expect(ms).toBeLessThan(1000);
  });

  it('a 5 MB document', () => {
    const line = 'key: value value value value value value value value value value\n';
    const text = `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: big}\ndata:\n${Array.from({ length: Math.ceil((5 * 1024 * 1024) / line.length) }, (_, i) => `  k${i}${line.slice(3)}`).join('')}`;
    expect(text.length).toBeGreaterThan(5 * 1024 * 1024);
    const { r, ms } = timed(text);
    expect(r.diagnostics.map((d) => d.code)).toEqual(['YAML006']);
    expect(ms).toBeLessThan(200);
  });

  it('binary data', () => {
    const bytes = Array.from({ length: 200_000 }, (_, i) => String.fromCharCode((i * 7919) % 256)).join('');
    const { r, ms } = timed(bytes);
    expect(r.diagnostics.map((d) => d.code)).toEqual(['YAML007']);
    expect(r.diagnostics[0].range!.start.line).toBe(1);
    expect(ms).toBeLessThan(200);
  });

  it('deep flow nesting', () => {
    const n = 100_000;
    const { r, ms } = timed(`a: ${'['.repeat(n)}${']'.repeat(n)}\n`);
    expect(r.diagnostics.map((d) => d.code)).toContain('YAML008');
    expect(ms).toBeLessThan(3000);
  });

  it('deep block nesting', () => {
    let text = '';
    for (let i = 0; i < 500; i++) text += `${' '.repeat(i)}k:\n`;
    const { r, ms } = timed(text);
    expect(r.diagnostics.map((d) => d.code)).toContain('YAML008');
    expect(ms).toBeLessThan(2000);
  });

  it('a very long line', () => {
    const text = `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: long}\ndata:\n  k: ${'x'.repeat(900_000)}\n`;
    const { r, ms } = timed(text);
    expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(ms).toBeLessThan(1000);
  });

  it('many keys in one map stay linear (no quadratic duplicate check)', () => {
    const keys = Array.from({ length: 30_000 }, (_, i) => `  k${i}: v`).join('\n');
    const { r, ms } = timed(`apiVersion: v1\nkind: ConfigMap\nmetadata: {name: many}\ndata:\n${keys}\n  k7: again\n`);
    expect(r.diagnostics.map((d) => d.code)).toEqual(['YAML002']);
    expect(r.diagnostics[0].range!.start.line).toBe(30_005);
    expect(ms).toBeLessThan(3000);
  });

  it("an anchor whose value contains an alias to itself is go-yaml's error at the alias, not a cyclic value (issue 16)", () => {
    const { r } = timed('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: deep\ndata: &a {b: [*a, [*a, 1]]}\n');
    expect(r.diagnostics.map((d) => [d.code, d.message, d.range?.start.line, d.range?.start.column])).toEqual([
      ['YAML011', 'Якорь &a содержит сам себя: внутри его значения стоит ссылка *a', 5, 15],
    ]);
    expect(r.documents[0].object).toBeUndefined();
    // an alias to an anchor that is not its ancestor is an ordinary shared value
    expect(timed('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: s\n  labels: &l {a: b}\n  annotations: *l\n').r.diagnostics).toEqual([]);
  });

  it('many syntax errors are capped', () => {
    const text = Array.from({ length: 500 }, () => 'a: "unterminated\n---\n').join('');
    const { r } = timed(text);
    expect(r.diagnostics.length).toBeLessThanOrEqual(60);
  });
});
