/**
 * Go's text/tabwriter as kubectl describe uses it (tabwriter.NewWriter(out, 0, 8, 2, ' ', 0)):
 * tab-terminated cells, column blocks of consecutive lines, each column as wide as its widest
 * cell plus 2, the last cell of a line never padded; and kubectl's PrefixWriter on top
 * (two spaces per level).
 */
const PADDING = 2;

function format(lines: string[][], out: string[]): void {
  const widths: number[] = [];
  const writeLines = (l0: number, l1: number): void => {
    for (let i = l0; i < l1; i++) {
      const line = lines[i];
      let s = '';
      line.forEach((cell, j) => {
        s += cell;
        if (j < widths.length && j < line.length - 1) s += ' '.repeat(Math.max(0, widths[j] - [...cell].length));
      });
      out.push(s);
    }
  };
  const fmt = (line0: number, line1: number): void => {
    const column = widths.length;
    for (let t = line0; t < line1; t++) {
      if (column >= lines[t].length - 1) continue;
      writeLines(line0, t);
      line0 = t;
      let width = 0;
      for (; t < line1; t++) {
        const line = lines[t];
        if (column >= line.length - 1) break;
        width = Math.max(width, [...line[column]].length + PADDING);
      }
      widths.push(width);
      fmt(line0, t);
      widths.pop();
      line0 = t;
      t--;
    }
    writeLines(line0, line1);
  };
  fmt(0, lines.length);
}

/** describe.PrefixWriter over a tabwriter: Write(level, text), WriteLine, Flush. */
export class PrefixWriter {
  private pending = '';
  private done = '';

  write(level: number, text: string): void {
    this.pending += '  '.repeat(level) + text;
  }

  writeLine(text: string): void {
    this.pending += `${text}\n`;
  }

  /** Formats what was written so far as one table (the events table starts a new one). */
  flush(): void {
    if (this.pending === '') return;
    const complete = this.pending.endsWith('\n');
    const rows = (complete ? this.pending.slice(0, -1) : this.pending).split('\n').map((l) => l.split('\t'));
    const out: string[] = [];
    format(rows, out);
    this.done += out.join('\n') + (complete ? '\n' : '');
    this.pending = '';
  }

  toString(): string {
    this.flush();
    return this.done;
  }
}
