/**
 * POSIX regular expressions (basic for grep and sed, extended for grep -E, sed -E and awk) run
 * on RE2 (re2js): matching is linear in the input whatever the pattern, so `(a|a)*$` or
 * `([a-z]+)*[0-9]` on a long line cannot hang the sandbox. The syntax is translated to RE2's:
 * in a basic expression `\( \) \{ \} \| \+ \?` are the operators and the bare characters are
 * literal; a `*` at the start is literal; a backslash inside brackets is literal. Errors are
 * worded like GNU grep's (gnulib regcomp.c's messages). Back references (`\1`) have no RE2
 * equivalent and are refused with a clear message.
 */
import { RE2JS } from 're2js';

export class RegexError extends Error {}

export type Dialect = 'basic' | 'extended';

const BRE_OPS = new Set(['(', ')', '{', '}', '|', '+', '?']);

/** POSIX syntax → RE2 syntax. */
export function toRe2(pattern: string, dialect: Dialect): string {
  let out = '';
  let atStart = true;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '[') {
      let j = i + 1;
      if (pattern[j] === '^') j++;
      if (pattern[j] === ']') j++;
      let body = '';
      for (; j < pattern.length && pattern[j] !== ']'; j++) {
        const cls = /^\[[:.=][^\]]*[:.=]\]/.exec(pattern.slice(j, j + 14));
        if (cls) {
          if (cls[0][1] !== ':') throw new RegexError('Unmatched [, [^, [:, [., or [=');
          body += cls[0];
          j += cls[0].length - 1;
        } else body += pattern[j] === '\\' ? '\\\\' : pattern[j] === '[' ? '\\[' : pattern[j];
      }
      if (j >= pattern.length) throw new RegexError('Unmatched [, [^, [:, [., or [=');
      const head = pattern.slice(i + 1, i + 1 + (pattern[i + 1] === '^' ? 1 : 0) + (pattern[i + 1 + (pattern[i + 1] === '^' ? 1 : 0)] === ']' ? 1 : 0));
      if (/^\[:[a-z]+:\]$/.test(pattern.slice(i, j + 1)) && !head) throw new RegexError('character class syntax is [[:space:]], not [:space:]');
      out += `[${head.replace(']', '\\]')}${body}]`;
      i = j;
      atStart = false;
      continue;
    }
    if (c === '\\') {
      const n = pattern[i + 1];
      if (n === undefined) throw new RegexError('Trailing backslash');
      i++;
      if (/[1-9]/.test(n)) throw new RegexError('обратные ссылки (\\1…\\9) песочница не поддерживает: её регулярные выражения работают по правилам RE2');
      if (dialect === 'basic' && BRE_OPS.has(n)) out += n;
      else if ('wWsSbB<>`\''.includes(n)) out += n === '<' || n === '>' ? '\\b' : n === '`' ? '\\A' : n === "'" ? '\\z' : `\\${n}`;
      else if (n === 'n') out += '\\n';
      else if (n === 't') out += '\\t';
      else out += quote(n);
      atStart = dialect === 'basic' && n === '(';
      continue;
    }
    if (dialect === 'basic' && BRE_OPS.has(c)) {
      out += `\\${c}`;
      atStart = false;
      continue;
    }
    if (c === '*' && atStart) {
      out += '\\*';
      atStart = false;
      continue;
    }
    if (dialect === 'extended' && (c === '+' || c === '?' || c === '{') && atStart) {
      out += `\\${c}`;
      atStart = false;
      continue;
    }
    out += c === '$' && dialect === 'basic' && i !== pattern.length - 1 && !(pattern[i + 1] === '\\' && pattern[i + 2] === ')') ? '\\$' : c;
    atStart = c === '^' || (dialect === 'extended' && (c === '(' || c === '|'));
  }
  return out;
}

const quote = (c: string): string => (/[\\.+*?()|[\]{}^$]/.test(c) ? `\\${c}` : c);

/** RE2's complaint → GNU's wording. */
function gnuMessage(e: unknown): string {
  const m = e instanceof Error ? e.message : String(e);
  if (/missing closing \]/.test(m)) return 'Unmatched [, [^, [:, [., or [=';
  if (/missing closing \)/.test(m)) return 'Unmatched ( or \\(';
  if (/unexpected \)/.test(m)) return 'Unmatched ) or \\)';
  if (/invalid character class range/.test(m)) return 'Invalid range end';
  if (/invalid character class/.test(m)) return 'Invalid character class name';
  if (/invalid repeat count/.test(m)) return 'Invalid content of \\{\\}';
  if (/missing argument to repetition operator|invalid nested repetition/.test(m)) return 'Invalid preceding regular expression';
  if (/trailing backslash/.test(m)) return 'Trailing backslash';
  if (/expression too large|pattern too large/.test(m)) return 'Regular expression too big';
  return 'Invalid regular expression';
}

export interface Regex {
  test(s: string): boolean;
  /** How many capturing groups the expression has (sed checks `\\N` in a replacement against it). */
  groups: number;
  /** Every non-overlapping match: [start, end) in UTF-16 units, with the groups' texts. */
  matches(s: string): { start: number; end: number; groups: (string | undefined)[] }[];
}

/** Compiles a POSIX expression to a linear-time matcher; throws RegexError with GNU's words. */
export function compile(pattern: string, dialect: Dialect, opts: { ignoreCase?: boolean; literal?: boolean; word?: boolean; line?: boolean } = {}): Regex {
  let src: string;
  if (opts.literal) src = pattern.replace(/[\\.+*?()|[\]{}^$]/g, '\\$&');
  else src = toRe2(pattern, dialect);
  if (opts.word) src = `\\b(?:${src})\\b`;
  if (opts.line) src = `^(?:${src})$`;
  let re: RE2JS;
  try {
    re = RE2JS.compile(src, opts.ignoreCase ? RE2JS.CASE_INSENSITIVE : 0);
  } catch (e) {
    throw new RegexError(gnuMessage(e));
  }
  return {
    test: (s) => re.test(s),
    groups: re.groupCount(),
    matches: (s) => {
      const out: { start: number; end: number; groups: (string | undefined)[] }[] = [];
      const m = re.matcher(s);
      let from = 0;
      while (from <= s.length && m.find(from)) {
        const start = m.start();
        const end = m.end();
        const groups: (string | undefined)[] = [];
        for (let g = 0; g <= m.groupCount(); g++) groups.push(m.group(g) ?? undefined);
        out.push({ start, end, groups });
        from = end === start ? end + 1 : end;
        if (out.length > 1_000_000) break;
      }
      return out;
    },
  };
}
