/** What the text tools share: reading their inputs, splitting lines and writing them with pauses for Ctrl-C. */
import { breathe } from '../../core/clock';
import { FsError } from '../../shell/vfs';
import type { CommandContext } from '../types';

/** Lines per slice of work between two pauses for Ctrl-C (a pause costs nothing unless 20 ms have passed). */
export const SLICE = 8192;

/** A text's lines (a last line without its newline counts), split with a pause every SLICE lines. */
export async function linesPaced(ctx: CommandContext, text: string): Promise<string[]> {
  const out: string[] = [];
  let at = 0;
  while (at < text.length) {
    const nl = text.indexOf('\n', at);
    out.push(text.slice(at, nl < 0 ? text.length : nl));
    at = nl < 0 ? text.length : nl + 1;
    if (out.length % SLICE === 0) await breathe(ctx.token);
  }
  return out;
}

/** Writes lines in slices, pausing between them: a million sorted lines still hear Ctrl-C. */
export async function outLines(ctx: CommandContext, l: readonly string[], fmt: (line: string, i: number) => string = (x) => `${x}\n`): Promise<void> {
  for (let from = 0; from < l.length; from += SLICE) {
    let chunk = '';
    for (let i = from; i < Math.min(l.length, from + SLICE); i++) chunk += fmt(l[i], i);
    ctx.out(chunk);
    await breathe(ctx.token);
  }
}

export function readInputs(ctx: CommandContext, files: string[], cmd: string): { text: string; ok: boolean } {
  if (files.length === 0 || (files.length === 1 && files[0] === '-')) return { text: ctx.stdin, ok: true };
  let text = '';
  let ok = true;
  for (const f of files) {
    if (f === '-') {
      text += ctx.stdin;
      continue;
    }
    try {
      text += ctx.fs.readFile(ctx.fs.resolve(ctx.cwd, f));
    } catch (e) {
      ok = false;
      ctx.err(`${cmd}: ${f}: ${e instanceof FsError && e.message.endsWith('Is a directory') ? 'Is a directory' : 'No such file or directory'}\n`);
    }
  }
  return { text, ok };
}

export function unescape(s: string): string {
  return s.replace(/\\(n|t|\\|e|0\d{0,3}|a|r)/g, (_, c: string) => (c === 'n' ? '\n' : c === 't' ? '\t' : c === '\\' ? '\\' : c === 'e' ? '\x1b' : c === 'r' ? '\r' : c === 'a' ? '\x07' : String.fromCharCode(parseInt(c.slice(1) || '0', 8))));
}

