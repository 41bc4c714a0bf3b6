/**
 * GNU diffutils diff: the normal format (`2c2`, `< old`, `---`, `> new`) and -u (unified: `---`/`+++`
 * headers with the files' times as "%Y-%m-%d %H:%M:%S.%N %z", `@@ -l,s +l,s @@` hunks with 3
 * lines of context, -U N). Exit status 0 same, 1 different, 2 trouble. The line matching is
 * Myers' O(ND) algorithm (as analyze.c's diag()), with a work budget: past it, what lies between
 * the common head and tail is reported as one change (GNU diff also gives up on the minimal
 * script for huge inputs, with its heuristics).
 */
import { breathe } from '../../core/clock';
import type { CommandContext, CommandSpec } from '../types';

/** Snake steps Myers may take before the middle is reported as one change. */
const MAX_WORK = 5_000_000;

type Op = { kind: '=' | '-' | '+'; a: number; b: number };

/** The edit script from a to b: '=' keeps a[a], '-' deletes a[a], '+' inserts b[b]. */
export function editScript(a: string[], b: string[]): Op[] {
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++;
  const A = a.slice(head, a.length - tail);
  const B = b.slice(head, b.length - tail);
  const mid = myers(A, B) ?? [...A.map((_, i) => ({ kind: '-' as const, a: i, b: 0 })), ...B.map((_, j) => ({ kind: '+' as const, a: A.length, b: j }))];
  const ops: Op[] = [];
  for (let i = 0; i < head; i++) ops.push({ kind: '=', a: i, b: i });
  for (const o of mid) ops.push({ kind: o.kind, a: o.a + head, b: o.b + head });
  for (let i = 0; i < tail; i++) ops.push({ kind: '=', a: a.length - tail + i, b: b.length - tail + i });
  return ops;
}

function myers(a: string[], b: string[]): Op[] | undefined {
  const n = a.length;
  const m = b.length;
  const max = n + m;
  const off = max;
  let v = new Int32Array(2 * max + 2);
  const trace: Int32Array[] = [];
  let work = 0;
  for (let d = 0; d <= max; d++) {
    // the trace keeps one V per step: bounded too
    if ((d + 1) * v.length > 4 * MAX_WORK) return undefined;
    trace.push(v.slice());
    for (let k = -d; k <= d; k += 2) {
      let x = k === -d || (k !== d && v[off + k - 1] < v[off + k + 1]) ? v[off + k + 1] : v[off + k - 1] + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x++;
        y++;
        if (++work > MAX_WORK) return undefined;
      }
      v[off + k] = x;
      if (x >= n && y >= m) return backtrack(trace, a, b, d, off);
    }
    work += d;
    if (work > MAX_WORK) return undefined;
  }
  return [];
}

function backtrack(trace: Int32Array[], a: string[], b: string[], dEnd: number, off: number): Op[] {
  const ops: Op[] = [];
  let x = a.length;
  let y = b.length;
  for (let d = dEnd; d > 0; d--) {
    const v = trace[d];
    const k = x - y;
    const prevK = k === -d || (k !== d && v[off + k - 1] < v[off + k + 1]) ? k + 1 : k - 1;
    const px = v[off + prevK];
    const py = px - prevK;
    while (x > px && y > py) ops.push({ kind: '=', a: --x, b: --y });
    if (x === px) ops.push({ kind: '+', a: x, b: --y });
    else ops.push({ kind: '-', a: --x, b: y });
  }
  while (x > 0 && y > 0) ops.push({ kind: '=', a: --x, b: --y });
  return ops.reverse();
}

interface Side {
  lines: string[];
  /** The file ends without a newline. */
  noEol: boolean;
}

function split(text: string): Side {
  if (text === '') return { lines: [], noEol: false };
  const noEol = !text.endsWith('\n');
  return { lines: (noEol ? text : text.slice(0, -1)).split('\n'), noEol };
}

const NO_EOL = '\\ No newline at end of file\n';

function lineOut(prefix: string, side: Side, i: number): string {
  return `${prefix}${side.lines[i]}\n${side.noEol && i === side.lines.length - 1 ? NO_EOL : ''}`;
}

/** Runs of changes: [startA, endA) replaced by [startB, endB). */
function changes(ops: Op[]): { a0: number; a1: number; b0: number; b1: number }[] {
  const out: { a0: number; a1: number; b0: number; b1: number }[] = [];
  let i = 0;
  while (i < ops.length) {
    if (ops[i].kind === '=') {
      i++;
      continue;
    }
    const a0 = ops[i].a;
    const b0 = ops[i].b;
    let a1 = a0;
    let b1 = b0;
    while (i < ops.length && ops[i].kind !== '=') {
      if (ops[i].kind === '-') a1 = ops[i].a + 1;
      else b1 = ops[i].b + 1;
      i++;
    }
    out.push({ a0, a1: Math.max(a0, a1), b0, b1: Math.max(b0, b1) });
  }
  return out;
}

function normal(ops: Op[], A: Side, B: Side): string {
  const range = (lo: number, hi: number): string => (hi - lo > 1 ? `${lo + 1},${hi}` : `${hi === lo ? lo : lo + 1}`);
  let out = '';
  for (const c of changes(ops)) {
    const del = c.a1 > c.a0;
    const add = c.b1 > c.b0;
    out += `${range(c.a0, c.a1)}${del && add ? 'c' : del ? 'd' : 'a'}${range(c.b0, c.b1)}\n`;
    for (let i = c.a0; i < c.a1; i++) out += lineOut('< ', A, i);
    if (del && add) out += '---\n';
    for (let j = c.b0; j < c.b1; j++) out += lineOut('> ', B, j);
  }
  return out;
}

function unified(ops: Op[], A: Side, B: Side, ctxLines: number): string {
  const cs = changes(ops);
  let out = '';
  let i = 0;
  while (i < cs.length) {
    // a hunk takes the changes whose context overlaps
    let j = i;
    while (j + 1 < cs.length && cs[j + 1].a0 - cs[j].a1 <= 2 * ctxLines) j++;
    const a0 = Math.max(0, cs[i].a0 - ctxLines);
    const a1 = Math.min(A.lines.length, cs[j].a1 + ctxLines);
    const b0 = Math.max(0, cs[i].b0 - ctxLines);
    const b1 = Math.min(B.lines.length, cs[j].b1 + ctxLines);
    const range = (lo: number, hi: number): string => (hi - lo === 1 ? `${lo + 1}` : `${hi === lo ? lo : lo + 1},${hi - lo}`);
    out += `@@ -${range(a0, a1)} +${range(b0, b1)} @@\n`;
    let a = a0;
    for (let k = i; k <= j; k++) {
      for (; a < cs[k].a0; a++) out += lineOut(' ', A, a);
      for (let x = cs[k].a0; x < cs[k].a1; x++) out += lineOut('-', A, x);
      for (let y = cs[k].b0; y < cs[k].b1; y++) out += lineOut('+', B, y);
      a = cs[k].a1;
    }
    for (; a < a1; a++) out += lineOut(' ', A, a);
    i = j + 1;
  }
  return out;
}

/** "%Y-%m-%d %H:%M:%S.%N %z" in UTC, as diff -u labels a file. */
function stamp(ms: number): string {
  const d = new Date(ms);
  const p = (n: number, w = 2): string => String(n).padStart(w, '0');
  return `${d.getUTCFullYear()}-${p(d.getUTCMonth() + 1)}-${p(d.getUTCDate())} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}.${p(d.getUTCMilliseconds(), 3)}000000 +0000`;
}

export const diff: CommandSpec = {
  name: 'diff',
  summary: 'compare files line by line: diff -u old new',
  async run(ctx: CommandContext) {
    const args = ctx.argv.slice(1);
    let unifiedCtx: number | undefined;
    let brief = false;
    const files: string[] = [];
    const bad = (msg: string): number => {
      ctx.err(`diff: ${msg}\ndiff: Try 'diff --help' for more information.\n`);
      return 2;
    };
    for (let i = 0; i < args.length; i++) {
      const a = args[i];
      if (a === '-u' || a === '--unified') unifiedCtx = 3;
      else if (/^-U\d*$/.test(a) || a.startsWith('--unified=')) {
        const v = a.startsWith('--') ? a.slice(10) : a.length > 2 ? a.slice(2) : args[++i];
        if (!/^\d+$/.test(v ?? '')) return bad(`invalid context length '${v ?? ''}'`);
        unifiedCtx = Number(v);
      } else if (a === '-q' || a === '--brief') brief = true;
      else if (a === '--') files.push(...args.slice(i + 1)), (i = args.length);
      else if (a.startsWith('-') && a !== '-') return bad(a.startsWith('--') ? `unrecognized option '${a}'` : `invalid option -- '${a[1]}'`);
      else files.push(a);
    }
    if (files.length < 2) return bad(files.length === 0 ? 'missing operand' : `missing operand after '${files[0]}'`);
    if (files.length > 2) return bad(`extra operand '${files[2]}'`);
    const sides: { text: string; mtime: number }[] = [];
    for (const f of files) {
      if (f === '-') {
        sides.push({ text: ctx.stdin, mtime: ctx.cluster.clock.now() });
        continue;
      }
      const abs = ctx.fs.resolve(ctx.cwd, f);
      try {
        sides.push({ text: ctx.fs.readFile(abs), mtime: ctx.fs.mtime(abs) || ctx.cluster.clock.now() });
      } catch {
        ctx.err(`diff: ${f}: ${ctx.fs.isDir(abs) ? 'Is a directory' : 'No such file or directory'}\n`);
        return 2;
      }
    }
    if (sides[0].text === sides[1].text) return 0;
    if (brief) {
      ctx.out(`Files ${files[0]} and ${files[1]} differ\n`);
      return 1;
    }
    await breathe(ctx.token);
    const A = split(sides[0].text);
    const B = split(sides[1].text);
    // a last line that differs only by its newline is a change of that line
    const la = [...A.lines];
    const lb = [...B.lines];
    if (A.noEol !== B.noEol) {
      if (A.noEol && la.length) la[la.length - 1] += '\0';
      if (B.noEol && lb.length) lb[lb.length - 1] += '\0';
    }
    const ops = editScript(la, lb);
    await breathe(ctx.token);
    if (unifiedCtx !== undefined) ctx.out(`--- ${files[0]}\t${stamp(sides[0].mtime)}\n+++ ${files[1]}\t${stamp(sides[1].mtime)}\n${unified(ops, A, B, unifiedCtx)}`);
    else ctx.out(normal(ops, A, B));
    return 1;
  },
};
