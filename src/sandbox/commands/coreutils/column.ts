/**
 * util-linux column (text-utils/column.c): `column -t` builds a table (cells split at any of the
 * -s characters, default space and tab; without -s runs of separators count as one, with -s every
 * separator splits), columns padded to their widest cell and joined by -o (default two spaces), the
 * last column not padded (libsmartcols); empty lines are skipped. Without -t the entries fill
 * columns across the output width (-c, else $COLUMNS, else 80) with tabs, as columnate_fillcols does.
 */
import { FsError } from '../../shell/vfs';
import { flag, has, parseArgs } from '../args';
import type { CommandContext, CommandSpec } from '../types';
import { linesPaced, outLines } from './io';

const TAB = 8;

function cells(line: string, seps: string, greedy: boolean): string[] {
  const out: string[] = [];
  let cur = '';
  for (const ch of line) {
    if (seps.includes(ch)) {
      // strtok (greedy) skips empty cells; the non-greedy split keeps them
      if (!greedy || cur !== '') out.push(cur);
      cur = '';
    } else cur += ch;
  }
  if (!greedy || cur !== '') out.push(cur);
  return out;
}

async function table(ctx: CommandContext, lines: string[], seps: string, greedy: boolean, outSep: string): Promise<void> {
  const rows = lines.map((l) => cells(l, seps, greedy));
  const widths: number[] = [];
  for (const r of rows) r.forEach((c, i) => (widths[i] = Math.max(widths[i] ?? 0, [...c].length)));
  const text = rows.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c + ' '.repeat(widths[i] - [...c].length))).join(outSep));
  await outLines(ctx, text);
}

function fillColumns(ents: string[], termwidth: number): string {
  const maxlength = (Math.max(...ents.map((e) => [...e].length)) + TAB) & ~(TAB - 1);
  if (maxlength > termwidth) return ents.map((e) => `${e}\n`).join('');
  const numcols = Math.max(1, Math.floor(termwidth / maxlength));
  const numrows = Math.ceil(ents.length / numcols);
  let out = '';
  for (let row = 0; row < numrows; row++) {
    let endcol = maxlength;
    let chcnt = 0;
    for (let base = row, col = 0; col < numcols; col++) {
      out += ents[base];
      chcnt += [...ents[base]].length;
      if ((base += numrows) >= ents.length) break;
      for (let cnt = (chcnt + TAB) & ~(TAB - 1); cnt <= endcol; cnt = (chcnt + TAB) & ~(TAB - 1)) {
        out += '\t';
        chcnt = cnt;
      }
      endcol += maxlength;
    }
    out += '\n';
  }
  return out;
}

export const column: CommandSpec = {
  name: 'column',
  summary: 'columnate lists: column -t aligns a table',
  async run(ctx) {
    const p = parseArgs(ctx.argv.slice(1), { withValue: ['s', 'o', 'c'], boolean: ['t'], aliases: { table: 't', separator: 's', 'output-separator': 'o', 'output-width': 'c' } });
    if (p.unknown.length) {
      ctx.err(`column: ${p.unknown[0].startsWith('--') ? `unrecognized option '${p.unknown[0]}'` : `invalid option -- '${p.unknown[0].slice(1)}'`}\nTry 'column --help' for more information.\n`);
      return 1;
    }
    let code = 0;
    let text = '';
    for (const f of p.positional.length ? p.positional : ['-']) {
      if (f === '-') {
        text += ctx.stdin;
        continue;
      }
      try {
        text += ctx.fs.readFile(ctx.fs.resolve(ctx.cwd, f));
      } catch (e) {
        if (!(e instanceof FsError)) throw e;
        ctx.err(`column: ${f}: ${e.message.endsWith('Is a directory') ? 'Is a directory' : 'No such file or directory'}\n`);
        code = 1;
      }
    }
    // read_input: leading blanks skipped, empty lines ignored
    const lines = (await linesPaced(ctx, text)).map((l) => l.replace(/^\s+/, '')).filter((l) => l !== '');
    if (has(p, 't')) {
      const seps = flag(p, 's');
      await table(ctx, lines, seps ?? ' \t', seps === undefined, flag(p, 'o') ?? '  ');
      return code;
    }
    if (lines.length === 0) return code;
    const width = Number(flag(p, 'c') ?? ctx.env.COLUMNS ?? 80) || 80;
    ctx.out(fillColumns(lines, width));
    return code;
  },
};
