import { describe, expect, it } from 'vitest';
import { Terminal } from '@xterm/xterm';
import { blockTerminalReports, safeLink } from './replies';

/** A real xterm.js terminal (not attached to a page): what it "types" back for `output`. */
async function repliesTo(output: string, guarded: boolean): Promise<{ replies: string[]; term: Terminal }> {
  const term = new Terminal({ allowProposedApi: true });
  if (guarded) blockTerminalReports(term);
  const replies: string[] = [];
  term.onData((d) => replies.push(d));
  await new Promise<void>((resolve) => term.write(output, resolve));
  return { replies, term };
}

const QUERIES: [string, string][] = [
  ['DA1', '\x1b[c'],
  ['DA2', '\x1b[>c'],
  ['DSR status', '\x1b[5n'],
  ['cursor position', '\x1b[6n'],
  ['DEC cursor position', '\x1b[?6n'],
  ['DECRQM', '\x1b[?25$p'],
  ['DECRQM (ANSI)', '\x1b[4$p'],
  ['DECRQSS', '\x1bP$qm\x1b\\'],
];
/** Queries this xterm answers only with options or a renderer (window reports, colours): guarded all the same. */
const LATENT: [string, string][] = [
  ['window size', '\x1b[18t'],
  ['background colour', '\x1b]11;?\x07'],
  ['palette colour', '\x1b]4;1;?\x1b\\'],
];

describe('terminal output cannot become input', () => {
  it.each(QUERIES)('xterm answers %s by itself (what the guard is for)', async (_name, query) => {
    expect((await repliesTo(query, false)).replies).not.toEqual([]);
  });

  it.each([...QUERIES, ...LATENT])('no reply to %s once guarded', async (_name, query) => {
    expect((await repliesTo(query, true)).replies).toEqual([]);
  });

  it('does not turn on mouse or focus reports, and still draws text, colours and the cursor', async () => {
    expect((await repliesTo('\x1b[?1000h', false)).term.modes.mouseTrackingMode).toBe('vt200');
    const { replies, term } = await repliesTo('\x1b[?1000h\x1b[?1004;1006h\x1b[?25hok \x1b[31mred\x1b[0m', true);
    expect(replies).toEqual([]);
    expect(term.modes.mouseTrackingMode).toBe('none');
    expect(term.buffer.active.getLine(0)?.translateToString(true)).toBe('ok red');
  });
});

describe('safeLink', () => {
  it.each([
    ['https://istio.io/latest/docs/', 'https://istio.io/latest/docs/'],
    ['http://127.0.0.1:8080/', 'http://127.0.0.1:8080/'],
    ['javascript:alert(1)', undefined],
    ['JavaScript:alert(1)', undefined],
    ['data:text/html,<script>alert(1)</script>', undefined],
    ['file:///etc/passwd', undefined],
    ['not a url', undefined],
  ])('%s → %s', (uri, want) => {
    expect(safeLink(uri)).toBe(want);
  });
});
