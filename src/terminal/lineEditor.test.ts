import { describe, expect, it } from 'vitest';
import { LineEditor, sanitize, visibleWidth } from './lineEditor';

function typed(ed: LineEditor, ...keys: string[]): void {
  for (const k of keys) ed.feed(k);
}

describe('LineEditor', () => {
  it('inserts, moves and deletes by code point (Cyrillic included)', () => {
    const ed = new LineEditor();
    ed.begin('$ ');
    typed(ed, 'echo привет', '\x1b[D', '\x1b[D', '\x7f', 'X');
    expect(ed.line).toBe('echo приXет');
    typed(ed, '\x01', '\x1b[3~');
    expect(ed.line).toBe('cho приXет');
    typed(ed, '\x05', '\x17');
    expect(ed.line).toBe('cho ');
    typed(ed, 'a b', '\x01', '\x0b');
    expect(ed.line).toBe('');
  });

  it('submits, remembers history, walks it with ↑/↓ and keeps the draft', () => {
    const ed = new LineEditor();
    ed.begin('$ ');
    typed(ed, 'one');
    expect(ed.feed('\r').effects).toEqual([{ kind: 'submit', line: 'one' }]);
    ed.begin('$ ');
    typed(ed, 'two', '\r');
    ed.begin('$ ');
    typed(ed, 'dra', '\x1b[A');
    expect(ed.line).toBe('two');
    typed(ed, '\x1b[A', '\x1b[A');
    expect(ed.line).toBe('one');
    typed(ed, '\x1b[B', '\x1b[B');
    expect(ed.line).toBe('dra');
  });

  it('searches history backwards with Ctrl-R', () => {
    const ed = new LineEditor();
    ed.setHistory(['kubectl get pods', 'curl -s http://x/', 'kubectl apply -f a.yaml']);
    ed.begin('$ ');
    typed(ed, '\x12', 'kubectl');
    expect(ed.render()).toContain("(поиск в истории)'kubectl': kubectl apply -f a.yaml");
    typed(ed, '\x12');
    expect(ed.render()).toContain('kubectl get pods');
    expect(ed.feed('\r').effects).toEqual([{ kind: 'submit', line: 'kubectl get pods' }]);
  });

  it('turns Tab, Ctrl-C, Ctrl-L into effects', () => {
    const ed = new LineEditor();
    ed.begin('$ ');
    typed(ed, 'kub');
    expect(ed.feed('\t').effects).toEqual([{ kind: 'complete', line: 'kub', cursor: 3 }]);
    expect(ed.feed('\x03').effects).toEqual([{ kind: 'interrupt' }]);
    expect(ed.feed('\x0c').effects).toEqual([{ kind: 'clearScreen' }]);
  });

  it('splits a multi-line paste into lines, the last one staying in the editor', () => {
    const ed = new LineEditor();
    ed.begin('$ ');
    typed(ed, 'echo ');
    const r = ed.feed('a\rkubectl get pods\recho par');
    expect(r.effects).toEqual([{ kind: 'paste', lines: ['echo a', 'kubectl get pods'] }]);
    expect(ed.line).toBe('echo par');
  });

  it('drops control characters from pasted text', () => {
    expect(sanitize('ok\x1b[31mred\x07\x00')).toBe('okred');
    expect(visibleWidth('\x1b[32mдемо\x1b[0m $ ')).toBe(7);
  });

  it('redraws wrapped lines and puts the cursor back in place', () => {
    const ed = new LineEditor(10);
    ed.begin('$ ');
    const out = ed.feed('abcdefghijkl').write; // 14 columns: two rows
    expect(out.endsWith('\r\x1b[4C')).toBe(true);
    const left = ed.feed('\x01').write;
    expect(left.startsWith('\x1b[1A\r\x1b[J')).toBe(true);
    expect(left.endsWith('\x1b[1A\r\x1b[2C')).toBe(true);
  });
});
