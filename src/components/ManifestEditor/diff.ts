/**
 * Line diff of a learner's edit against the vetted manifest, for the reset confirmation:
 * Myers' O(ND) algorithm over lines, grouped into unified-diff hunks with context, plus a
 * summary ("+3 −1"). Bounded: past MAX_EDITS differences (a pasted megabyte) the middle is
 * reported as replaced wholesale instead of searched.
 */

export type DiffKind = 'same' | 'add' | 'del';

export interface DiffLine {
  kind: DiffKind;
  text: string;
  /** 1-based line in the vetted text (same, del). */
  oldLine?: number;
  /** 1-based line in the edited text (same, add). */
  newLine?: number;
}

export interface DiffHunk {
  oldStart: number;
  oldCount: number;
  newStart: number;
  newCount: number;
  lines: DiffLine[];
}

export interface DiffSummary {
  added: number;
  removed: number;
  /** True when the texts are equal. */
  identical: boolean;
}

export const MAX_EDITS = 1000;

export function splitLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.split(/\r\n|\r|\n/);
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/** Myers' shortest edit script between a and b (already trimmed of common ends). */
function myers(a: string[], b: string[], maxEdits: number): DiffLine[] | null {
  const n = a.length;
  const m = b.length;
  const max = Math.min(n + m, maxEdits);
  const offset = max + 1;
  const v = new Int32Array(2 * max + 3);
  const trace: Int32Array[] = [];
  for (let d = 0; d <= max; d += 1) {
    trace.push(v.slice());
    for (let k = -d; k <= d; k += 2) {
      let x: number;
      if (k === -d || (k !== d && v[offset + k - 1] < v[offset + k + 1])) x = v[offset + k + 1];
      else x = v[offset + k - 1] + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x += 1;
        y += 1;
      }
      v[offset + k] = x;
      if (x >= n && y >= m) return backtrack(a, b, trace, d, offset);
    }
  }
  return null;
}

function backtrack(a: string[], b: string[], trace: Int32Array[], dEnd: number, offset: number): DiffLine[] {
  const out: DiffLine[] = [];
  let x = a.length;
  let y = b.length;
  for (let d = dEnd; d > 0; d -= 1) {
    const v = trace[d];
    const k = x - y;
    const prevK = k === -d || (k !== d && v[offset + k - 1] < v[offset + k + 1]) ? k + 1 : k - 1;
    const prevX = v[offset + prevK];
    const prevY = prevX - prevK;
    while (x > prevX && y > prevY) {
      out.push({kind: 'same', text: a[x - 1]});
      x -= 1;
      y -= 1;
    }
    if (x === prevX) {
      out.push({kind: 'add', text: b[y - 1]});
      y -= 1;
    } else {
      out.push({kind: 'del', text: a[x - 1]});
      x -= 1;
    }
  }
  while (x > 0 && y > 0) {
    out.push({kind: 'same', text: a[x - 1]});
    x -= 1;
    y -= 1;
  }
  return out.reverse();
}

/** Every line of both texts, in order, marked same/add/del with line numbers. */
export function diffLines(vetted: string, edited: string, maxEdits: number = MAX_EDITS): DiffLine[] {
  const a = splitLines(vetted);
  const b = splitLines(edited);
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start += 1;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA -= 1;
    endB -= 1;
  }
  const midA = a.slice(start, endA);
  const midB = b.slice(start, endB);
  const middle = myers(midA, midB, maxEdits) ?? [
    ...midA.map((text): DiffLine => ({kind: 'del', text})),
    ...midB.map((text): DiffLine => ({kind: 'add', text})),
  ];
  const lines: DiffLine[] = [
    ...a.slice(0, start).map((text): DiffLine => ({kind: 'same', text})),
    ...middle,
    ...a.slice(endA).map((text): DiffLine => ({kind: 'same', text})),
  ];
  let oldLine = 0;
  let newLine = 0;
  for (const line of lines) {
    if (line.kind !== 'add') line.oldLine = ++oldLine;
    if (line.kind !== 'del') line.newLine = ++newLine;
  }
  return lines;
}

export function summarize(lines: DiffLine[]): DiffSummary {
  let added = 0;
  let removed = 0;
  for (const line of lines) {
    if (line.kind === 'add') added += 1;
    else if (line.kind === 'del') removed += 1;
  }
  return {added, removed, identical: added === 0 && removed === 0};
}

/** Unified-diff hunks with `context` unchanged lines around each change. */
export function toHunks(lines: DiffLine[], context = 3): DiffHunk[] {
  const changed = lines.map((line, index) => (line.kind === 'same' ? -1 : index)).filter((index) => index >= 0);
  if (!changed.length) return [];
  const ranges: Array<[number, number]> = [];
  for (const index of changed) {
    const from = Math.max(0, index - context);
    const to = Math.min(lines.length - 1, index + context);
    const last = ranges[ranges.length - 1];
    if (last && from <= last[1] + 1) last[1] = Math.max(last[1], to);
    else ranges.push([from, to]);
  }
  return ranges.map(([from, to]) => {
    const slice = lines.slice(from, to + 1);
    const firstOld = slice.find((line) => line.oldLine !== undefined)?.oldLine;
    const firstNew = slice.find((line) => line.newLine !== undefined)?.newLine;
    const oldCount = slice.filter((line) => line.kind !== 'add').length;
    const newCount = slice.filter((line) => line.kind !== 'del').length;
    // An empty side starts at the line before the hunk, as `diff -u` prints it.
    const before = lines.slice(0, from);
    const oldBefore = before.filter((line) => line.kind !== 'add').length;
    const newBefore = before.filter((line) => line.kind !== 'del').length;
    return {
      oldStart: oldCount ? (firstOld ?? oldBefore + 1) : oldBefore,
      oldCount,
      newStart: newCount ? (firstNew ?? newBefore + 1) : newBefore,
      newCount,
      lines: slice,
    };
  });
}

/** `diff -u`-style text of the change (for copying and for tests). */
export function unifiedDiff(vetted: string, edited: string, names: {from: string; to: string}, context = 3): string {
  const hunks = toHunks(diffLines(vetted, edited), context);
  if (!hunks.length) return '';
  const out = [`--- ${names.from}`, `+++ ${names.to}`];
  for (const hunk of hunks) {
    out.push(`@@ -${hunk.oldStart},${hunk.oldCount} +${hunk.newStart},${hunk.newCount} @@`);
    for (const line of hunk.lines) out.push(`${line.kind === 'add' ? '+' : line.kind === 'del' ? '-' : ' '}${line.text}`);
  }
  return `${out.join('\n')}\n`;
}
