/**
 * Brace expansion, bash's first expansion (bash(1) "Brace Expansion"; bash braces.c): an unquoted
 * `{a,b,c}` or sequence `{x..y[..incr]}` in a word makes one word per item, preamble and postscript
 * kept, left to right, nested braces expanded in turn. `{a}`, `{}` and `{x..}` stay as they are. Only
 * words that are split and globbed get it (not assignments or redirection targets). Sequences of
 * integers keep a zero-padded width ({01..10}); letters run through ASCII.
 */
import type { Word, WordPart } from './ast';

/** More words than this is the size at which bash gives up (braces.c: "failed to allocate memory"). */
export const MAX_BRACE_WORDS = 1_000_000;

export class BraceError extends Error {}

interface Found {
  part: number;
  start: number;
  end: number;
  items: string[];
}

/** The items of a sequence expression's body (without braces), or undefined when it is not one. */
function sequence(body: string): string[] | undefined {
  const m = /^(-?\d+|[A-Za-z])\.\.(-?\d+|[A-Za-z])(?:\.\.(-?\d+))?$/.exec(body);
  if (!m) return undefined;
  const [, a, b, incrText] = m;
  const numeric = /\d/.test(a);
  if (numeric !== /\d/.test(b)) return undefined;
  let incr = Math.abs(Number(incrText ?? 1)) || 1;
  if (numeric) {
    const from = Number(a);
    const to = Number(b);
    const count = Math.floor(Math.abs(to - from) / incr) + 1;
    if (count > MAX_BRACE_WORDS) throw new BraceError(`brace expansion: failed to allocate memory for ${count} elements`);
    const padded = /^-?0\d/.test(a) || /^-?0\d/.test(b);
    const width = padded ? Math.max(a.length, b.length) : 0;
    const step = from <= to ? incr : -incr;
    const out: string[] = [];
    for (let i = 0, n = from; i < count; i++, n += step) {
      const digits = String(Math.abs(n)).padStart(width - (n < 0 ? 1 : 0), '0');
      out.push(n < 0 ? `-${digits}` : digits);
    }
    return out;
  }
  const from = a.charCodeAt(0);
  const to = b.charCodeAt(0);
  incr = from <= to ? incr : -incr;
  const out: string[] = [];
  for (let c = from; from <= to ? c <= to : c >= to; c += incr) out.push(String.fromCharCode(c));
  return out;
}

/** Splits a comma list's body at its top-level commas; undefined when there is none. */
function commaItems(body: string): string[] | undefined {
  const items: string[] = [];
  let depth = 0;
  let at = 0;
  for (let i = 0; i < body.length; i++) {
    const ch = body[i];
    if (ch === '\\') i++;
    else if (ch === '{') depth++;
    else if (ch === '}') depth--;
    else if (ch === ',' && depth === 0) {
      items.push(body.slice(at, i));
      at = i + 1;
    }
  }
  if (!items.length) return undefined;
  items.push(body.slice(at));
  return items;
}

/** The first brace expression of an unquoted literal part (its closing brace in the same part). */
function findBrace(word: Word): Found | undefined {
  for (let part = 0; part < word.length; part++) {
    const p = word[part];
    if (p.t !== 'lit' || p.quoted) continue;
    const text = p.v;
    for (let start = text.indexOf('{'); start >= 0; start = text.indexOf('{', start + 1)) {
      if (start > 0 && text[start - 1] === '$') continue;
      let depth = 0;
      for (let i = start; i < text.length; i++) {
        const ch = text[i];
        if (ch === '\\') i++;
        else if (ch === '{') depth++;
        else if (ch === '}' && --depth === 0) {
          const body = text.slice(start + 1, i);
          const items = sequence(body) ?? commaItems(body);
          if (items) return { part, start, end: i + 1, items };
          break;
        }
      }
    }
  }
  return undefined;
}

/** The words a word brace-expands to (itself alone when it has no brace expression). */
export function expandBraces(word: Word): Word[] {
  const out: Word[] = [];
  // a stack, last alternative pushed first, so that words come out left to right
  const stack: Word[] = [word];
  while (stack.length) {
    const w = stack.pop()!;
    const found = findBrace(w);
    if (!found) {
      out.push(w);
      continue;
    }
    const lit = w[found.part] as Extract<WordPart, { t: 'lit' }>;
    const before = lit.v.slice(0, found.start);
    const after = lit.v.slice(found.end);
    for (let i = found.items.length - 1; i >= 0; i--) stack.push([...w.slice(0, found.part), { t: 'lit', v: before + found.items[i] + after, quoted: false }, ...w.slice(found.part + 1)]);
    if (stack.length + out.length > MAX_BRACE_WORDS) throw new BraceError(`brace expansion: failed to allocate memory for ${stack.length + out.length} elements`);
  }
  return out;
}
