/** The small Unix tools tutorials pipe kubectl and curl into. GNU wording for errors. */
import { breathe } from '../core/clock';
import { FsError } from '../shell/vfs';
import { flag, has, parseArgs } from './args';
import { linesPaced, outLines, readInputs, SLICE, unescape } from './coreutils/io';
import { compile, RegexError, type Regex } from './coreutils/regex';
import { column } from './coreutils/column';
import { diff } from './coreutils/diff';
import { xargs } from './coreutils/xargs';
import { jq } from './jq/jq';
import { sed } from './sed/sed';
import type { CommandContext, CommandSpec } from './types';

/** The first `n` lines of a text, or all but its last `-n` (head -n -N), without splitting all of it. */
function headOf(text: string, n: number): string[] {
  const out: string[] = [];
  let at = 0;
  while (out.length < n && at < text.length) {
    const nl = text.indexOf('\n', at);
    out.push(text.slice(at, nl < 0 ? text.length : nl));
    at = nl < 0 ? text.length : nl + 1;
  }
  return out;
}

/** The last `n` lines of a text, found from its end. */
function tailOf(text: string, n: number): string[] {
  const out: string[] = [];
  if (text === '') return out;
  let end = text.endsWith('\n') ? text.length - 1 : text.length;
  while (out.length < n) {
    const nl = end > 0 ? text.lastIndexOf('\n', end - 1) : -1;
    out.push(text.slice(nl + 1, end));
    if (nl < 0) break;
    end = nl;
  }
  return out.reverse();
}

/**
 * A stable merge sort that pauses for Ctrl-C: runs of SLICE elements sorted by the engine, then
 * merged pairwise, a pause every SLICE moves (Array.prototype.sort of 700 000 lines is one
 * uninterruptible block of a third of a second).
 */
export async function sortPaced<T>(a: T[], cmp: (x: T, y: T) => number, token: CommandContext['token']): Promise<T[]> {
  let src = a.slice();
  for (let lo = 0; lo < src.length; lo += SLICE) {
    const run = src.slice(lo, lo + SLICE).sort(cmp);
    for (let i = 0; i < run.length; i++) src[lo + i] = run[i];
    await breathe(token);
  }
  let dst: T[] = new Array<T>(src.length);
  let moves = 0;
  for (let width = SLICE; width < src.length; width *= 2) {
    for (let lo = 0; lo < src.length; lo += 2 * width) {
      const mid = Math.min(lo + width, src.length);
      const hi = Math.min(lo + 2 * width, src.length);
      let i = lo;
      let j = mid;
      for (let k = lo; k < hi; k++) {
        // ties take the left run first: stable
        dst[k] = i < mid && (j >= hi || cmp(src[i], src[j]) <= 0) ? src[i++] : src[j++];
        if (++moves % SLICE === 0) await breathe(token);
      }
    }
    [src, dst] = [dst, src];
  }
  return src;
}

const echo: CommandSpec = {
  name: 'echo',
  summary: 'print arguments',
  async run(ctx) {
    let args = ctx.argv.slice(1);
    let newline = true;
    let escapes = false;
    while (args.length && /^-[neE]+$/.test(args[0])) {
      if (args[0].includes('n')) newline = false;
      if (args[0].includes('e')) escapes = true;
      args = args.slice(1);
    }
    const text = args.join(' ');
    ctx.out((escapes ? unescape(text) : text) + (newline ? '\n' : ''));
    return 0;
  },
};

const printf: CommandSpec = {
  name: 'printf',
  summary: 'format and print',
  async run(ctx) {
    const [fmt, ...args] = ctx.argv.slice(1);
    if (fmt === undefined) {
      ctx.err('printf: usage: printf [-v var] format [arguments]\n');
      return 2;
    }
    let i = 0;
    let out = '';
    do {
      out += unescape(fmt).replace(/%(-?\d*)(\.\d+)?([sdfx%])/g, (_m, w: string, prec: string | undefined, conv: string) => {
        if (conv === '%') return '%';
        const a = args[i++] ?? '';
        let s = conv === 'd' ? String(Math.trunc(Number(a) || 0)) : conv === 'f' ? (Number(a) || 0).toFixed(prec ? Number(prec.slice(1)) : 6) : conv === 'x' ? (Number(a) || 0).toString(16) : a;
        const width = Number(w.replace('-', '')) || 0;
        if (s.length < width) s = w.startsWith('-') ? s.padEnd(width) : s.padStart(width);
        return s;
      });
    } while (i < args.length && /%[sdfx]/.test(fmt));
    ctx.out(out);
    return 0;
  },
};

const cat: CommandSpec = {
  name: 'cat',
  summary: 'print files',
  async run(ctx) {
    const p = parseArgs(ctx.argv.slice(1), { withValue: [], boolean: ['n'] });
    const r = readInputs(ctx, p.positional, 'cat');
    if (has(p, 'n')) await outLines(ctx, await linesPaced(ctx, r.text), (l, i) => `${String(i + 1).padStart(6)}\t${l}\n`);
    else ctx.out(r.text);
    return r.ok ? 0 : 1;
  },
};

const ls: CommandSpec = {
  name: 'ls',
  summary: 'list files',
  async run(ctx) {
    const p = parseArgs(ctx.argv.slice(1), { withValue: [], boolean: ['l', 'a', '1', 'R', 'h'] });
    const targets = p.positional.length ? p.positional : ['.'];
    let code = 0;
    const long = has(p, 'l');
    const files: string[] = [];
    const dirs: string[] = [];
    for (const t of targets) {
      const abs = ctx.fs.resolve(ctx.cwd, t);
      if (!ctx.fs.exists(abs)) {
        ctx.err(`ls: cannot access '${t}': No such file or directory\n`);
        code = 2;
      } else if (ctx.fs.isDir(abs)) dirs.push(t);
      else files.push(t);
    }
    const line = (full: string, n: string): string => {
      const dir = ctx.fs.isDir(full);
      const d = new Date(ctx.fs.mtime(full) || ctx.cluster.clock.now());
      const mon = d.toUTCString().slice(8, 11);
      const stamp = `${mon} ${String(d.getUTCDate()).padStart(2)} ${String(d.getUTCHours()).padStart(2, '0')}:${String(d.getUTCMinutes()).padStart(2, '0')}`;
      return `${dir ? 'drwxr-xr-x' : '-rw-r--r--'} ${dir ? 2 : 1} learner learner ${String(ctx.fs.size(full)).padStart(5)} ${stamp} ${n}\n`;
    };
    const print = (entries: { full: string; name: string }[]): void => {
      if (entries.length === 0) return;
      if (long) for (const e of entries) ctx.out(line(e.full, e.name));
      else ctx.out(entries.map((e) => e.name).join(has(p, '1') ? '\n' : '  ') + '\n');
    };
    print(files.map((f) => ({ full: ctx.fs.resolve(ctx.cwd, f), name: f })));
    dirs.forEach((t, idx) => {
      const abs = ctx.fs.resolve(ctx.cwd, t);
      const names = ctx.fs.list(abs);
      if (targets.length > 1) ctx.out(`${idx > 0 || files.length ? '\n' : ''}${t}:\n`);
      if (long) ctx.out(`total ${names.length * 4}\n`);
      print(names.map((n) => ({ full: `${abs}/${n}`, name: n })));
    });
    return code;
  },
};

const grep: CommandSpec = {
  name: 'grep',
  summary: 'print lines that match a pattern',
  async run(ctx) {
    const p = parseArgs(ctx.argv.slice(1), { withValue: ['e', 'm', 'A', 'B', 'C'], boolean: ['i', 'v', 'c', 'n', 'E', 'o', 'q', 'w', 'x', 'F', 'h', 'l', 'r', 's'] });
    if (p.unknown.length) {
      ctx.err(`grep: invalid option -- '${p.unknown[0].replace(/^-+/, '')}'\nUsage: grep [OPTION]... PATTERNS [FILE]...\nTry 'grep --help' for more information.\n`);
      return 2;
    }
    const patterns = p.flags.get('e') ?? [];
    const pos = [...p.positional];
    if (patterns.length === 0) {
      const first = pos.shift();
      if (first === undefined) {
        ctx.err("Usage: grep [OPTION]... PATTERNS [FILE]...\nTry 'grep --help' for more information.\n");
        return 2;
      }
      patterns.push(first);
    }
    let res: Regex[];
    try {
      // GNU grep's BRE/ERE on RE2: linear time whatever the pattern (coreutils/regex.ts)
      res = patterns.flatMap((pat) => pat.split('\n')).map((pat) => compile(pat, has(p, 'E') ? 'extended' : 'basic', { ignoreCase: has(p, 'i'), literal: has(p, 'F'), word: has(p, 'w'), line: has(p, 'x') }));
    } catch (e) {
      ctx.err(`grep: ${e instanceof RegexError ? e.message : 'Invalid regular expression'}\n`);
      return 2;
    }
    const r = readInputs(ctx, pos, 'grep');
    const max = flag(p, 'm') !== undefined ? Number(flag(p, 'm')) : Infinity;
    let count = 0;
    let out = '';
    const after = Number(flag(p, 'A') ?? flag(p, 'C') ?? 0);
    const before = Number(flag(p, 'B') ?? flag(p, 'C') ?? 0);
    const all = await linesPaced(ctx, r.text);
    let lastPrinted = -1;
    let afterLeft = 0;
    const emit = (i: number): void => {
      if ((before || after) && lastPrinted >= 0 && i > lastPrinted + 1) out += '--\n';
      out += `${has(p, 'n') ? `${i + 1}:` : ''}${all[i]}\n`;
      lastPrinted = i;
    };
    for (const [i, l] of all.entries()) {
      if (i % SLICE === SLICE - 1) await breathe(ctx.token);
      const hit = res.some((re) => re.test(l));
      if (hit === has(p, 'v')) {
        if (afterLeft > 0 && !has(p, 'c') && !has(p, 'q')) {
          emit(i);
          afterLeft--;
        }
        continue;
      }
      if (count >= max) break;
      count++;
      if (has(p, 'c') || has(p, 'q')) continue;
      if (has(p, 'o') && !has(p, 'v')) {
        for (const re of res) for (const m of re.matches(l)) if (m.end > m.start) out += `${l.slice(m.start, m.end)}\n`;
        continue;
      }
      for (let j = Math.max(lastPrinted + 1, i - before); j < i; j++) emit(j);
      emit(i);
      afterLeft = after;
    }
    if (has(p, 'c')) out = `${count}\n`;
    if (!has(p, 'q')) ctx.out(out);
    return !r.ok ? 2 : count > 0 ? 0 : 1;
  },
};

const sort: CommandSpec = {
  name: 'sort',
  summary: 'sort lines',
  async run(ctx) {
    const p = parseArgs(ctx.argv.slice(1), { withValue: ['k', 't'], boolean: ['n', 'r', 'u', 'h'] });
    const r = readInputs(ctx, p.positional, 'sort');
    let l = await linesPaced(ctx, r.text);
    const key = flag(p, 'k');
    const sep = flag(p, 't');
    const keyOf = (s: string): string => {
      if (!key) return s;
      const k = Number(key.split(',')[0]) - 1;
      const fields = sep ? s.split(sep) : s.trim().split(/\s+/);
      return fields.slice(k).join(sep ?? ' ');
    };
    const num = has(p, 'n');
    // keys computed once per line, not once per comparison
    const keyed: { line: string; k: string; n: number }[] = new Array(l.length);
    for (let i = 0; i < l.length; i++) {
      if (i % SLICE === 0) await breathe(ctx.token);
      const k = keyOf(l[i]);
      keyed[i] = { line: l[i], k, n: num ? parseFloat(k) || 0 : 0 };
    }
    const sorted = await sortPaced(keyed, (a, b) => (num ? a.n - b.n : 0) || (a.k < b.k ? -1 : a.k > b.k ? 1 : 0), ctx.token);
    l = sorted.map((x) => x.line);
    if (has(p, 'r')) l.reverse();
    if (has(p, 'u')) l = l.filter((x, i) => i === 0 || x !== l[i - 1]);
    await outLines(ctx, l);
    return r.ok ? 0 : 2;
  },
};

const uniq: CommandSpec = {
  name: 'uniq',
  summary: 'report or omit repeated lines',
  async run(ctx) {
    const p = parseArgs(ctx.argv.slice(1), { withValue: [], boolean: ['c', 'd', 'u'] });
    const r = readInputs(ctx, p.positional.slice(0, 1), 'uniq');
    const all = await linesPaced(ctx, r.text);
    let out = '';
    // a group is written when the next one starts
    const flush = (line: string, n: number): void => {
      if (has(p, 'd') && n < 2) return;
      if (has(p, 'u') && n > 1) return;
      out += has(p, 'c') ? `${String(n).padStart(7)} ${line}\n` : `${line}\n`;
    };
    let n = 0;
    for (let i = 0; i < all.length; i++) {
      if (i > 0 && all[i] !== all[i - 1]) {
        flush(all[i - 1], n);
        n = 0;
      }
      n++;
      if (i % SLICE === SLICE - 1) {
        ctx.out(out);
        out = '';
        await breathe(ctx.token);
      }
    }
    if (all.length) flush(all[all.length - 1], n);
    ctx.out(out);
    return r.ok ? 0 : 1;
  },
};

function headTail(which: 'head' | 'tail'): CommandSpec {
  return {
    name: which,
    summary: which === 'head' ? 'first lines' : 'last lines',
    async run(ctx) {
      // the obsolete `head -5` form; `-n -5` (all but the last 5) keeps its value
      const argv = ctx.argv.slice(1).map((a, i, all) => (/^-\d+$/.test(a) && !/^-(n|c|-lines|-bytes)$/.test(all[i - 1] ?? '') ? `-n${a.slice(1)}` : a));
      const p = parseArgs(argv, { withValue: ['n', 'c'], boolean: ['f', 'q'], aliases: { lines: 'n', bytes: 'c' } });
      const r = readInputs(ctx, p.positional, which);
      const cRaw = flag(p, 'c');
      if (cRaw !== undefined) {
        // -c/--bytes: counted in bytes of the input, written as they are (GNU coreutils head.c head_bytes /
        // elide_tail_bytes, tail.c tail_bytes: "-c -N" all but the last N, "-c +N" from byte N on)
        const c = Number(cRaw.replace(/^[+-]/, ''));
        if (!/^[+-]?\d+$/.test(cRaw) || !Number.isSafeInteger(c)) {
          ctx.err(`${which}: invalid number of bytes: '${cRaw}'\n`);
          return 1;
        }
        const bytes = new TextEncoder().encode(r.text);
        const part =
          which === 'head'
            ? cRaw.startsWith('-') ? bytes.subarray(0, Math.max(0, bytes.length - c)) : bytes.subarray(0, c)
            : cRaw.startsWith('+') ? bytes.subarray(Math.max(0, c - 1)) : bytes.subarray(Math.max(0, bytes.length - c));
        ctx.out(new TextDecoder().decode(part));
        return r.ok ? 0 : 1;
      }
      const nRaw = flag(p, 'n') ?? '10';
      const n = Number(nRaw.replace(/^[+-]/, ''));
      if (!/^[+-]?\d+$/.test(nRaw) || !Number.isSafeInteger(n)) {
        ctx.err(`${which}: invalid number of lines: '${nRaw}'\n`);
        return 1;
      }
      let sel: string[];
      if (which === 'head' && nRaw.startsWith('-')) {
        const all = await linesPaced(ctx, r.text);
        sel = all.slice(0, Math.max(0, all.length - n));
      } else if (which === 'head') sel = headOf(r.text, n);
      else sel = nRaw.startsWith('+') ? (await linesPaced(ctx, r.text)).slice(Math.max(0, n - 1)) : tailOf(r.text, n);
      await outLines(ctx, sel);
      return r.ok ? 0 : 1;
    },
  };
}

/** wc's counts in one pass (a 10 MB file without building arrays of its lines or words). */
async function count(t: string, token: CommandContext['token']): Promise<{ lines: number; words: number; chars: number; bytes: number }> {
  let lines = 0;
  let words = 0;
  let chars = 0;
  let bytes = 0;
  let inWord = false;
  for (let i = 0; i < t.length; i++) {
    // a pause for Ctrl-C every MiB
    if ((i & 0xfffff) === 0xfffff) await breathe(token);
    const c = t.charCodeAt(i);
    if (c === 10) lines++;
    const space = c === 32 || (c >= 9 && c <= 13);
    if (!space && !inWord) words++;
    inWord = !space;
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < t.length) {
      const d = t.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        i++;
        chars++;
        bytes += 4;
        continue;
      }
    }
    chars++;
    bytes += c < 0x80 ? 1 : c < 0x800 ? 2 : 3;
  }
  return { lines, words, chars, bytes };
}

const wc: CommandSpec = {
  name: 'wc',
  summary: 'count lines, words, bytes',
  async run(ctx) {
    const p = parseArgs(ctx.argv.slice(1), { withValue: [], boolean: ['l', 'w', 'c', 'm'] });
    const r = readInputs(ctx, p.positional, 'wc');
    const { lines: nl, words: nw, chars: nm, bytes: nc } = await count(r.text, ctx.token);
    // GNU wc's column order: lines, words, characters, bytes
    const sel = [has(p, 'l') && nl, has(p, 'w') && nw, has(p, 'm') && nm, has(p, 'c') && nc].filter((x) => x !== false) as number[];
    const vals = sel.length ? sel : [nl, nw, nc];
    const name = p.positional.length ? ` ${p.positional.join(' ')}` : '';
    ctx.out(vals.length === 1 && !name ? `${vals[0]}\n` : `${vals.map((v) => String(v).padStart(vals.length === 1 ? 0 : 7)).join(' ')}${name}\n`);
    return r.ok ? 0 : 1;
  },
};

const seq: CommandSpec = {
  name: 'seq',
  summary: 'print a sequence of numbers',
  async run(ctx) {
    const nums = ctx.argv.slice(1).filter((a) => !a.startsWith('-') || /^-\d/.test(a)).map(Number);
    if (nums.length === 0 || nums.some((n) => Number.isNaN(n))) {
      ctx.err(`seq: ${nums.length === 0 ? 'missing operand' : `invalid floating point argument: '${ctx.argv.slice(1).find((a) => Number.isNaN(Number(a)))}'`}\nTry 'seq --help' for more information.\n`);
      return 1;
    }
    const [first, step, last] = nums.length === 1 ? [1, 1, nums[0]] : nums.length === 2 ? [nums[0], 1, nums[1]] : nums;
    if (step === 0) {
      ctx.err("seq: invalid Zero increment value: '0'\n");
      return 1;
    }
    const count = Math.floor((last - first) / step) + 1;
    if (count > 1_000_000) {
      ctx.err('seq: sequence too long for the sandbox (more than 1000000 numbers)\n');
      return 1;
    }
    // in chunks, pausing between them: a million numbers take a while, and Ctrl-C stops them
    for (let from = 0; from < count; from += 20_000) {
      const chunk: string[] = [];
      for (let i = from; i < Math.min(count, from + 20_000); i++) chunk.push(`${first + i * step}\n`);
      ctx.out(chunk.join(''));
      await breathe(ctx.token);
    }
    return 0;
  },
};

export function parseSleep(s: string): number | undefined {
  const m = s.match(/^(\d+(?:\.\d+)?)([smhd]?)$/);
  if (!m) return undefined;
  const n = Number(m[1]);
  return n * (m[2] === 'm' ? 60_000 : m[2] === 'h' ? 3_600_000 : m[2] === 'd' ? 86_400_000 : 1000);
}

const sleep: CommandSpec = {
  name: 'sleep',
  summary: 'wait a number of seconds',
  async run(ctx) {
    const args = ctx.argv.slice(1);
    if (args.length === 0) {
      ctx.err("sleep: missing operand\nTry 'sleep --help' for more information.\n");
      return 1;
    }
    let total = 0;
    for (const a of args) {
      if (a === 'infinity') total = Number.MAX_SAFE_INTEGER;
      else {
        const ms = parseSleep(a);
        if (ms === undefined) {
          ctx.err(`sleep: invalid time interval '${a}'\nTry 'sleep --help' for more information.\n`);
          return 1;
        }
        total += ms;
      }
    }
    await sleepOnCluster(ctx, total);
    return 0;
  },
};

/** Lets time pass in steps so the cluster keeps reconciling and Ctrl-C is honoured. */
export async function sleepOnCluster(ctx: CommandContext, ms: number): Promise<void> {
  let left = ms;
  while (left > 0) {
    const d = Math.min(left, 500);
    await ctx.cluster.clock.sleep(d, ctx.token);
    left -= d;
    ctx.cluster.sync();
    // virtual time never waits on a timer: let a Ctrl-C in (`watch -n 1e9` sleeps 31 days in 500 ms steps)
    await breathe(ctx.token);
  }
}

const tr: CommandSpec = {
  name: 'tr',
  summary: 'translate or delete characters',
  async run(ctx) {
    const p = parseArgs(ctx.argv.slice(1), { withValue: [], boolean: ['d', 's'] });
    const expand = (s: string): string => unescape(s).replace(/(.)-(.)/g, (_, a: string, b: string) => {
      let r = '';
      for (let c = a.charCodeAt(0); c <= b.charCodeAt(0); c++) r += String.fromCharCode(c);
      return r;
    }).replace('[:lower:]', 'abcdefghijklmnopqrstuvwxyz').replace('[:upper:]', 'ABCDEFGHIJKLMNOPQRSTUVWXYZ').replace('[:space:]', ' \t\n');
    const set1 = expand(p.positional[0] ?? '');
    const set2 = expand(p.positional[1] ?? '');
    let out = '';
    for (const ch of ctx.stdin) {
      const i = set1.indexOf(ch);
      if (i < 0) out += ch;
      else if (!has(p, 'd')) out += set2[Math.min(i, set2.length - 1)] ?? '';
    }
    if (has(p, 's') && set2) out = out.replace(new RegExp(`([${set2.replace(/[\]\\^-]/g, '\\$&')}])\\1+`, 'g'), '$1');
    ctx.out(out);
    return 0;
  },
};

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/**
 * GNU coreutils base64 (src/basenc.c): encodes with lines wrapped at 76 columns (-w N, 0 = no
 * wrap); -d decodes, skipping newlines, and on a character outside the alphabet or a last group
 * without its padding writes what it decoded so far, then "base64: invalid input", exit 1.
 * The istio.io JWT tasks decode a token's payload with it.
 */
const base64: CommandSpec = {
  name: 'base64',
  summary: 'encode or decode base64',
  async run(ctx) {
    const p = parseArgs(ctx.argv.slice(1), { withValue: ['w'], boolean: ['d', 'i'], aliases: { decode: 'd', wrap: 'w', 'ignore-garbage': 'i' } });
    const r = readInputs(ctx, p.positional, 'base64');
    if (!r.ok) return 1;
    if (has(p, 'd')) {
      const bytes: number[] = [];
      let quad: number[] = [];
      let pad = 0;
      let ended = false; // a padded group ends the data
      let bad = false;
      for (const ch of r.text) {
        if (ch === '\n') continue;
        const v = B64.indexOf(ch);
        if (v < 0 && ch !== '=' && has(p, 'i')) continue;
        if (ended || (ch === '=' ? quad.length < 2 : v < 0 || pad > 0)) {
          bad = true;
          break;
        }
        if (ch === '=') pad++;
        quad.push(ch === '=' ? 0 : v);
        if (quad.length === 4) {
          const n = (quad[0] << 18) | (quad[1] << 12) | (quad[2] << 6) | quad[3];
          bytes.push(...[(n >> 16) & 255, (n >> 8) & 255, n & 255].slice(0, 3 - pad));
          ended = pad > 0;
          quad = [];
          pad = 0;
        }
      }
      if (!bad && quad.length > 0) {
        // an unpadded last group: its whole bytes are still written, then the error
        const n = [...quad, 0, 0, 0].slice(0, 4).reduce((a, x) => (a << 6) | x, 0);
        bytes.push(...[(n >> 16) & 255, (n >> 8) & 255, n & 255].slice(0, Math.max(0, quad.length - 1 - pad)));
        bad = true;
      }
      ctx.out(new TextDecoder().decode(Uint8Array.from(bytes)));
      if (bad) {
        ctx.err('base64: invalid input\n');
        return 1;
      }
      return 0;
    }
    const data = new TextEncoder().encode(r.text);
    let enc = '';
    for (let i = 0; i < data.length; i += 3) {
      const n = (data[i] << 16) | ((data[i + 1] ?? 0) << 8) | (data[i + 2] ?? 0);
      enc += B64[(n >> 18) & 63] + B64[(n >> 12) & 63] + (i + 1 < data.length ? B64[(n >> 6) & 63] : '=') + (i + 2 < data.length ? B64[n & 63] : '=');
    }
    const wrap = Number(flag(p, 'w') ?? '76');
    if (!Number.isInteger(wrap) || wrap < 0) {
      ctx.err(`base64: invalid wrap size: '${flag(p, 'w')}'\n`);
      return 1;
    }
    const out = wrap === 0 || enc === '' ? enc : (enc.match(new RegExp(`.{1,${wrap}}`, 'g')) ?? []).join('\n');
    ctx.out(out === '' ? '' : wrap === 0 ? out : `${out}\n`);
    return 0;
  },
};

const cut: CommandSpec = {
  name: 'cut',
  summary: 'select fields of lines',
  async run(ctx) {
    const p = parseArgs(ctx.argv.slice(1), { withValue: ['d', 'f', 'c'], boolean: [] });
    const r = readInputs(ctx, p.positional, 'cut');
    const d = flag(p, 'd') ?? '\t';
    const spec = flag(p, 'f') ?? flag(p, 'c') ?? '1';
    const pick = (n: number): boolean =>
      spec.split(',').some((part) => {
        const [a, b] = part.split('-');
        const lo = a === '' ? 1 : Number(a);
        const hi = b === undefined ? lo : b === '' ? Infinity : Number(b);
        return n >= lo && n <= hi;
      });
    const out = (await linesPaced(ctx, r.text)).map((l) => (flag(p, 'c') !== undefined ? [...l].filter((_, i) => pick(i + 1)).join('') : l.includes(d) ? l.split(d).filter((_, i) => pick(i + 1)).join(d) : l));
    await outLines(ctx, out);
    return r.ok ? 0 : 1;
  },
};

const awk: CommandSpec = {
  name: 'awk',
  summary: "print fields: awk '{print $1}' (a small subset)",
  async run(ctx) {
    const p = parseArgs(ctx.argv.slice(1), { withValue: ['F'], boolean: [] });
    const prog = p.positional[0] ?? '';
    const m = prog.match(/^\s*(?:(NR\s*[><=!]=?\s*\d+|\/[^/]*\/)\s*)?\{\s*print\s*([^}]*)\}\s*$/);
    if (!m) {
      ctx.err(`awk: the sandbox's awk only understands '{print $N, …}' programs\n`);
      return 2;
    }
    const r = readInputs(ctx, p.positional.slice(1), 'awk');
    const sep = flag(p, 'F');
    let pattern: Regex | undefined;
    let fieldSep: Regex | undefined;
    try {
      // POSIX EREs on RE2 (coreutils/regex.ts): linear time on any line
      if (m[1]?.startsWith('/')) pattern = compile(m[1].slice(1, -1), 'extended');
      if (sep && sep.length > 1) fieldSep = compile(sep, 'extended');
    } catch (e) {
      ctx.err(`awk: cmd. line:1: error: ${e instanceof RegexError ? e.message : 'Invalid regular expression'}\n`);
      return 2;
    }
    const split = (l: string): string[] => {
      if (!sep) return l.trim().split(/\s+/);
      if (!fieldSep) return l.split(sep === 't' ? '\t' : sep);
      const out: string[] = [];
      let at = 0;
      for (const mm of fieldSep.matches(l)) {
        if (mm.end === mm.start) continue;
        out.push(l.slice(at, mm.start));
        at = mm.end;
      }
      out.push(l.slice(at));
      return out;
    };
    let out = '';
    const all = await linesPaced(ctx, r.text);
    for (let i = 0; i < all.length; i++) {
      const l = all[i];
      if (i % SLICE === SLICE - 1) {
        ctx.out(out);
        out = '';
        await breathe(ctx.token);
      }
      const cond = m[1];
      if (pattern && !pattern.test(l)) continue;
      if (cond?.startsWith('NR')) {
        const [, op, n] = cond.match(/NR\s*([><=!]=?)\s*(\d+)/) ?? [];
        const nr = i + 1;
        const v = Number(n);
        if (!(op === '>' ? nr > v : op === '<' ? nr < v : op === '>=' ? nr >= v : op === '<=' ? nr <= v : op === '!=' ? nr !== v : nr === v)) continue;
      }
      const fields = split(l);
      const items = (m[2].trim() || '$0').split(/\s*,\s*/).map((x) => {
        if (x === '$0') return l;
        if (x === 'NF') return String(fields.length);
        if (x === 'NR') return String(i + 1);
        if (x === '$NF') return fields[fields.length - 1] ?? '';
        const f = x.match(/^\$(\d+)$/);
        if (f) return fields[Number(f[1]) - 1] ?? '';
        return x.replace(/^"|"$/g, '');
      });
      out += items.join(' ') + '\n';
    }
    ctx.out(out);
    return r.ok ? 0 : 2;
  },
};

const tee: CommandSpec = {
  name: 'tee',
  summary: 'copy input to files and output',
  async run(ctx) {
    const p = parseArgs(ctx.argv.slice(1), { withValue: [], boolean: ['a'] });
    // GNU tee: a file it cannot open is reported, the others and stdout still get the input, exit 1
    let code = 0;
    for (const f of p.positional) {
      const abs = ctx.fs.resolve(ctx.cwd, f);
      try {
        ctx.fs.writeFile(abs, ctx.stdin, has(p, 'a'));
      } catch (e) {
        if (!(e instanceof FsError)) throw e;
        ctx.err(`tee: ${f}: ${e.message.replace(`${abs}: `, '')}\n`);
        code = 1;
      }
    }
    ctx.out(ctx.stdin);
    return code;
  },
};

const mkdir: CommandSpec = {
  name: 'mkdir',
  summary: 'make directories',
  async run(ctx) {
    const p = parseArgs(ctx.argv.slice(1), { withValue: [], boolean: ['p'] });
    for (const d of p.positional) {
      const abs = ctx.fs.resolve(ctx.cwd, d);
      if (ctx.fs.exists(abs) && !has(p, 'p')) {
        ctx.err(`mkdir: cannot create directory '${d}': File exists\n`);
        return 1;
      }
      ctx.fs.mkdirp(abs);
    }
    return 0;
  },
};

const rm: CommandSpec = {
  name: 'rm',
  summary: 'remove files',
  async run(ctx) {
    const p = parseArgs(ctx.argv.slice(1), { withValue: [], boolean: ['r', 'f', 'R'] });
    let code = 0;
    for (const f of p.positional) {
      try {
        ctx.fs.remove(ctx.fs.resolve(ctx.cwd, f), has(p, 'r') || has(p, 'R'));
      } catch (e) {
        if (!has(p, 'f')) {
          ctx.err(`rm: ${e instanceof Error ? e.message.replace(/'\/[^']*'/, `'${f}'`) : ''}\n`);
          code = 1;
        }
      }
    }
    return code;
  },
};

const touch: CommandSpec = {
  name: 'touch',
  summary: 'create empty files',
  async run(ctx) {
    let code = 0;
    for (const f of ctx.argv.slice(1)) {
      const abs = ctx.fs.resolve(ctx.cwd, f);
      try {
        if (!ctx.fs.exists(abs)) ctx.fs.writeFile(abs, '');
      } catch (e) {
        if (!(e instanceof FsError)) throw e;
        ctx.err(`touch: cannot touch '${f}': ${e.message.replace(`${abs}: `, '')}\n`);
        code = 1;
      }
    }
    return code;
  },
};

/** C's ctime() in UTC, without the newline: "Wed Jan 15 10:00:00 2025". */
function ctime(d: Date): string {
  const [dow, day, mon, year, time] = d.toUTCString().replace(',', '').split(' '); // "Wed, 15 Jan 2025 10:00:00 GMT"
  return `${dow} ${mon} ${day.replace(/^0/, '').padStart(2)} ${time} ${year}`;
}

const date: CommandSpec = {
  name: 'date',
  summary: 'print the date',
  async run(ctx) {
    const d = new Date(ctx.cluster.clock.now());
    const arg = ctx.argv[1];
    if (arg === '+%s') ctx.out(`${Math.floor(d.getTime() / 1000)}\n`);
    else if (arg && arg.startsWith('+')) ctx.out(`${d.toISOString()}\n`);
    else {
      const [dow, mon, day, time, year] = ctime(d).split(/ +/);
      ctx.out(`${dow} ${mon} ${day.padStart(2)} ${time} UTC ${year}\n`);
    }
    return 0;
  },
};

const clear: CommandSpec = {
  name: 'clear',
  summary: 'clear the terminal',
  async run(ctx) {
    ctx.clear();
    return 0;
  },
};

const history: CommandSpec = {
  name: 'history',
  summary: 'show the commands typed so far',
  async run(ctx) {
    ctx.out(ctx.history.map((h, i) => `${String(i + 1).padStart(5)}  ${h}\n`).join(''));
    return 0;
  },
};

const env: CommandSpec = {
  name: 'env',
  summary: 'print the environment',
  async run(ctx) {
    ctx.out(Object.entries(ctx.env).sort().map(([k, v]) => `${k}=${v}\n`).join(''));
    return 0;
  },
};

const which: CommandSpec = {
  name: 'which',
  summary: 'locate a command',
  async run(ctx) {
    let code = 0;
    for (const n of ctx.argv.slice(1)) {
      if (['kubectl', 'istioctl', 'curl'].includes(n)) ctx.out(`/usr/local/bin/${n}\n`);
      else if (n) ctx.out(`/usr/bin/${n}\n`);
      else code = 1;
    }
    return code;
  },
};

const watch: CommandSpec = {
  name: 'watch',
  summary: 'run a command repeatedly (every -n seconds) until Ctrl-C',
  async run(ctx) {
    // procps-ng src/watch.c: getopt_long(argc, argv, "+bced::ghn:pvtwx", …) — the "+" ends watch's options at the
    // command, so `watch -n 1 kubectl get pods -n demo` leaves `-n demo` to kubectl
    const p = parseArgs(ctx.argv.slice(1), {
      withValue: ['n'],
      boolean: ['t', 'd', 'b', 'c', 'e', 'g', 'p', 'w', 'x'],
      aliases: { interval: 'n', 'no-title': 't', differences: 'd', beep: 'b', color: 'c', errexit: 'e', chgexit: 'g', precise: 'p', 'no-wrap': 'w', exec: 'x' },
      stopAtOperand: true,
    });
    // procps-ng src/watch.c: an interval that is not a number is refused ("failed to parse argument");
    // one below 0.1 s becomes 0.1 s (so `watch -n -1` runs every 0.1 s), one above 31 days becomes 31 days
    const raw = flag(p, 'n') ?? '2';
    const seconds = Number(raw.replace(',', '.'));
    if (raw.trim() === '' || !Number.isFinite(seconds)) {
      ctx.err(`watch: failed to parse argument: '${raw}'\n`);
      return 1;
    }
    const interval = Math.min(Math.max(0.1, seconds), 31 * 24 * 3600) * 1000;
    const cmd = [...p.positional, ...p.rest];
    if (cmd.length === 0) {
      ctx.err('Usage:\n watch [options] command\n');
      return 1;
    }
    const cmdline = cmd.join(' ');
    // like kubectl get -w, the sandbox stops once the output stayed the same for SANDBOX_WATCH_IDLE seconds (default 60)
    const idleLimit = (Number(ctx.env.SANDBOX_WATCH_IDLE ?? '60') || 60) * 1000;
    let idle = 0;
    let last: string | undefined;
    while (idle < idleLimit) {
      const r = await ctx.runSubcommand(['sh', '-c', cmdline], {});
      const text = r.stdout + r.stderr;
      idle = text === last ? idle + interval : 0;
      last = text;
      ctx.clear();
      if (!has(p, 't')) {
        // watch.c output_header: "Every N.Ns: COMMAND" on the left, "HOSTNAME: ctime" on the right of the window
        const left = `Every ${(interval / 1000).toFixed(1)}s: ${cmdline}`;
        const right = `${ctx.env.HOSTNAME ?? 'sandbox'}: ${ctime(new Date(ctx.cluster.clock.now()))}`;
        const width = Number(ctx.env.COLUMNS) || 80;
        ctx.out(`${left}${' '.repeat(Math.max(1, width - left.length - right.length))}${right}\n\n`);
      }
      ctx.out(text);
      await sleepOnCluster(ctx, interval);
    }
    return 0;
  },
};

export const COREUTILS: CommandSpec[] = [echo, printf, cat, ls, grep, sort, uniq, headTail('head'), headTail('tail'), wc, seq, sleep, tr, base64, cut, awk, sed, xargs, column, jq, diff, tee, mkdir, rm, touch, date, clear, history, env, which, watch];
