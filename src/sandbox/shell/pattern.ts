/**
 * Bash's pattern matching (`*`, `?`, `[…]`, `\x`) for `${V#pat}`, `${V%pat}` and file-name
 * globbing, compiled to RE2 (re2js) so that matching is linear in the input whatever the
 * pattern. A `[` without its closing `]` is an ordinary character, as in bash (lib/glob/
 * sm_loop.c: BRACKMATCH returns no match and the `[` is matched literally).
 */
import { RE2JS } from 're2js';

/** One element of a pattern, as RE2 source: a literal, `?`, a bracket expression or a star. */
type Element = { re: string; star: boolean };

const CLASSES = new Set(['alnum', 'alpha', 'ascii', 'blank', 'cntrl', 'digit', 'graph', 'lower', 'print', 'punct', 'space', 'upper', 'word', 'xdigit']);

const quote = (c: string): string => (/[\\.+*?()|[\]{}^$]/.test(c) ? `\\${c}` : c);

/** A bracket expression starting at pat[i] === '[': its RE2 source and the index after `]`, or undefined. */
function bracket(pat: string, i: number, anyChar: string): { re: string; next: number } | undefined {
  let j = i + 1;
  let negate = false;
  if (pat[j] === '!' || pat[j] === '^') {
    negate = true;
    j++;
  }
  let body = '';
  let first = true;
  while (j < pat.length) {
    const c = pat[j];
    if (c === ']' && !first) {
      const re = `[${negate ? '^' : ''}${anyChar === '[^/]' && negate ? '/' : ''}${body}]`;
      try {
        RE2JS.compile(re);
      } catch {
        return undefined; // e.g. a reversed range [z-a]: bash matches nothing there; read the `[` literally
      }
      return { re, next: j + 1 };
    }
    first = false;
    const cls = c === '[' && pat[j + 1] === ':' ? /^\[:([a-z]+):\]/.exec(pat.slice(j, j + 12)) : null;
    if (cls && CLASSES.has(cls[1])) {
      body += cls[0];
      j += cls[0].length;
      continue;
    }
    if (c === '\\' && j + 1 < pat.length) {
      body += quote(pat[j + 1]);
      j += 2;
      continue;
    }
    body += c === '-' ? '-' : quote(c);
    j++;
  }
  return undefined;
}

/** Splits a pattern into elements. `anyChar` is what `*` and `?` may match (`[^/]` when globbing file names). */
function elements(pat: string, anyChar: string): Element[] {
  const out: Element[] = [];
  const lastClose = pat.lastIndexOf(']');
  for (let i = 0; i < pat.length; ) {
    const c = pat[i];
    if (c === '*') {
      if (!out[out.length - 1]?.star) out.push({ re: anyChar, star: true });
      i++;
    } else if (c === '?') {
      out.push({ re: anyChar, star: false });
      i++;
    } else if (c === '[') {
      // no `]` after this one: no bracket expression can close, and looking for one from every
      // `[` would be quadratic (`$[$[$[…` ×9000 took seconds)
      const b = i < lastClose ? bracket(pat, i, anyChar) : undefined;
      if (b) {
        out.push({ re: b.re, star: false });
        i = b.next;
      } else {
        out.push({ re: '\\[', star: false });
        i++;
      }
    } else if (c === '\\' && i + 1 < pat.length) {
      out.push({ re: quote(pat[i + 1]), star: false });
      i += 2;
    } else {
      const cp = pat.codePointAt(i)!;
      const ch = String.fromCodePoint(cp);
      out.push({ re: quote(ch), star: false });
      i += ch.length;
    }
  }
  return out;
}

const source = (els: Element[], lazy: boolean): string => els.map((e) => (e.star ? `${e.re}*${lazy ? '?' : ''}` : e.re)).join('');

/** Whether the pattern has any special character (else it is a plain string). */
export function hasGlobChars(pat: string): boolean {
  return /[*?[]/.test(pat);
}

/** A compiled pattern that matches whole strings (file-name globbing: `*` and `?` do not cross `/`). */
export function globMatcher(pat: string, opts: { pathname?: boolean } = {}): (s: string) => boolean {
  const re = RE2JS.compile(source(elements(pat, opts.pathname ? '[^/]' : '(?s:.)'), false), RE2JS.DOTALL);
  return (s) => re.testExact(s);
}

const reverse = (s: string): string => Array.from(s).reverse().join('');

/**
 * `${V#pat}` (shortest prefix removed), `${V##pat}` (longest prefix), `${V%pat}` (shortest
 * suffix), `${V%%pat}` (longest suffix). A suffix is found as a prefix of the reversed value
 * with the reversed pattern, so every case is one linear-time anchored match.
 */
export function removeMatch(value: string, pat: string, op: '#' | '##' | '%' | '%%'): string {
  const suffix = op.startsWith('%');
  const longest = op.length === 2;
  let els = elements(pat, '(?s:.)');
  if (suffix) els = [...els].reverse();
  const re = RE2JS.compile(source(els, !longest), RE2JS.DOTALL | (longest ? RE2JS.LONGEST_MATCH : 0));
  const subject = suffix ? reverse(value) : value;
  const m = re.matcher(subject);
  if (!m.lookingAt()) return value;
  const rest = subject.slice(m.end());
  return suffix ? reverse(rest) : rest;
}
