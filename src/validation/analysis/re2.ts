/**
 * Is this a valid RE2 regular expression (the syntax Envoy uses)? JavaScript's RegExp is a
 * different dialect, so: reject what RE2 lacks (lookaround, backreferences, possessive and
 * atomic groups), translate what only RE2 has (?P<name>, \A, \z, leading flag groups, POSIX
 * classes) and let RegExp judge the rest. Returns a Russian reason, or undefined when valid.
 */
const UNSUPPORTED: Array<[RegExp, string]> = [
  [/\(\?<?[=!]/, 'RE2 не поддерживает опережающие и ретроспективные проверки (?=, ?!, ?<=, ?<!)'],
  [/\\[1-9]/, 'RE2 не поддерживает обратные ссылки (\\1)'],
  [/\(\?>/, 'RE2 не поддерживает атомарные группы (?>…)'],
  [/[*+?}]\+/, 'RE2 не поддерживает «жадные» квантификаторы вида *+'],
  [/\\k<[^>]*>/, 'RE2 не поддерживает именованные обратные ссылки'],
];

const POSIX: Record<string, string> = {
  alnum: '0-9A-Za-z',
  alpha: 'A-Za-z',
  ascii: '\\x00-\\x7F',
  blank: '\\t ',
  cntrl: '\\x00-\\x1F\\x7F',
  digit: '0-9',
  graph: '!-~',
  lower: 'a-z',
  print: ' -~',
  punct: '!-/:-@[-`{-~',
  space: '\\t\\n\\v\\f\\r ',
  upper: 'A-Z',
  word: '0-9A-Za-z_',
  xdigit: '0-9A-Fa-f',
};

export function re2Problem(re: string): string | undefined {
  if (re.length > 10000) return 'выражение слишком длинное';
  for (const [pattern, why] of UNSUPPORTED) if (pattern.test(stripClasses(re))) return why;
  let src = re;
  let flags = '';
  const lead = /^\(\?([imsU]+)\)/.exec(src);
  if (lead) {
    src = src.slice(lead[0].length);
    if (lead[1].includes('i')) flags += 'i';
    if (lead[1].includes('s')) flags += 's';
    if (lead[1].includes('m')) flags += 'm';
  }
  src = src
    .replace(/\(\?P<([A-Za-z_][A-Za-z0-9_]*)>/g, '(?<$1>')
    .replace(/\\A/g, '^')
    .replace(/\\z/g, '$')
    .replace(/\[:\^?([a-z]+):\]/g, (m, name: string) => (POSIX[name] ? (m.includes('^') ? `^${POSIX[name]}` : POSIX[name]) : m));
  if (/\(\?[imsU-]+[:)]/.test(src)) {
    // Inline flag groups in the middle: valid RE2; modern engines accept (?i:…), older do not.
    src = src.replace(/\(\?[imsU-]+\)/g, '').replace(/\(\?[imsU-]+:/g, '(?:');
  }
  try {
    new RegExp(src, flags);
    return undefined;
  } catch (e) {
    const m = e instanceof Error ? e.message : String(e);
    return `не разбирается: ${m.replace(/^Invalid regular expression: /, '')}`;
  }
}

/** Remove bracket expressions so that `[+]` or `[(?=]` do not look like unsupported syntax. */
function stripClasses(re: string): string {
  let out = '';
  let inClass = false;
  for (let i = 0; i < re.length; i++) {
    const c = re[i];
    if (c === '\\' && i + 1 < re.length) {
      if (!inClass) out += c + re[i + 1];
      i++;
      continue;
    }
    if (!inClass && c === '[') {
      inClass = true;
      out += 'X';
      if (re[i + 1] === ']') i++;
      continue;
    }
    if (inClass) {
      if (c === ']') inClass = false;
      continue;
    }
    out += c;
  }
  return out;
}
