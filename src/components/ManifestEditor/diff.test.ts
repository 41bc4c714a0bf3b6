import {describe, expect, it} from 'vitest';
import {diffLines, splitLines, summarize, toHunks, unifiedDiff} from './diff';

const vetted = ['apiVersion: v1', 'kind: Service', 'metadata:', '  name: web', 'spec:', '  ports:', '    - port: 80', ''].join('\n');

describe('diff of an edit against the vetted manifest', () => {
  it('splits lines the way editors count them', () => {
    expect(splitLines('')).toEqual([]);
    expect(splitLines('a\nb\n')).toEqual(['a', 'b']);
    expect(splitLines('a\r\nb')).toEqual(['a', 'b']);
  });

  it('finds nothing for equal texts', () => {
    expect(summarize(diffLines(vetted, vetted))).toEqual({added: 0, removed: 0, identical: true});
    expect(toHunks(diffLines(vetted, vetted))).toEqual([]);
    expect(unifiedDiff(vetted, vetted, {from: 'a', to: 'b'})).toBe('');
  });

  it('counts a changed line as one removed and one added', () => {
    const edited = vetted.replace('name: web', 'name: shop');
    expect(summarize(diffLines(vetted, edited))).toEqual({added: 1, removed: 1, identical: false});
    expect(unifiedDiff(vetted, edited, {from: 'examples/x.yaml', to: 'ваша версия'})).toBe(
      [
        '--- examples/x.yaml',
        '+++ ваша версия',
        '@@ -1,7 +1,7 @@',
        ' apiVersion: v1',
        ' kind: Service',
        ' metadata:',
        '-  name: web',
        '+  name: shop',
        ' spec:',
        '   ports:',
        '     - port: 80',
        '',
      ].join('\n'),
    );
  });

  it('numbers lines on both sides', () => {
    const edited = vetted.replace('spec:\n', 'spec:\n  type: ClusterIP\n');
    const lines = diffLines(vetted, edited);
    const added = lines.find((l) => l.kind === 'add')!;
    expect(added).toEqual({kind: 'add', text: '  type: ClusterIP', newLine: 6});
    const after = lines[lines.indexOf(added) + 1];
    expect(after).toEqual({kind: 'same', text: '  ports:', oldLine: 6, newLine: 7});
  });

  it('groups distant changes into separate hunks with context', () => {
    const long = Array.from({length: 40}, (_, i) => `line ${i + 1}`).join('\n');
    const edited = long.replace('line 3\n', 'line three\n').replace('line 35\n', '');
    const hunks = toHunks(diffLines(long, edited), 2);
    expect(hunks.map((h) => [h.oldStart, h.oldCount, h.newStart, h.newCount])).toEqual([
      [1, 5, 1, 5],
      [33, 5, 33, 4],
    ]);
  });

  it('handles texts that are wholly added or removed', () => {
    expect(summarize(diffLines('', vetted))).toMatchObject({added: 7, removed: 0});
    expect(summarize(diffLines(vetted, ''))).toMatchObject({added: 0, removed: 7});
    expect(toHunks(diffLines('', 'a\n'))[0]).toMatchObject({oldStart: 0, oldCount: 0, newStart: 1, newCount: 1});
  });

  it('stays fast and bounded on a huge paste', () => {
    const huge = Array.from({length: 50_000}, (_, i) => `k${i}: ${i % 7}`).join('\n');
    const started = performance.now();
    const summary = summarize(diffLines(vetted, huge));
    expect(performance.now() - started).toBeLessThan(2000);
    expect(summary.added).toBe(50_000);
    expect(summary.removed).toBe(7);
  });

  it('finds the minimal script (Myers) on interleaved edits', () => {
    const a = 'a\nb\nc\na\nb\nb\na\n';
    const b = 'c\nb\na\nb\na\nc\n';
    const s = summarize(diffLines(a, b));
    expect(s.added + s.removed).toBe(5);
  });
});
