/**
 * jq 1.7's tokens (src/lexer.l): numbers, strings with `\(…)` interpolation (lexed recursively up to
 * the matching paren), identifiers, `.field`, `$var`, `@format`, keywords and operators; and bison's
 * names for them in "syntax error, unexpected …".
 */

export type Tok =
  | { k: 'num'; v: number; line: number }
  | { k: 'str'; parts: (string | Tok[])[]; line: number }
  | { k: 'ident' | 'field' | 'var' | 'format' | 'op' | 'kw'; v: string; line: number }
  | { k: 'eof'; line: number }
  | { k: 'bad'; v: string; line: number };

const KEYWORDS = new Set(['def', 'if', 'then', 'elif', 'else', 'end', 'as', 'reduce', 'foreach', 'try', 'catch', 'label', 'import', 'include', 'and', 'or', '__loc__']);
const OPS = ['?//=', '|=', '+=', '-=', '*=', '/=', '%=', '//=', '==', '!=', '<=', '>=', '//', '..', '?//', '|', ',', '+', '-', '*', '/', '%', '=', '<', '>', '.', '[', ']', '(', ')', '{', '}', ':', ';', '?', '$'];

export function lex(src: string, start: number, line: number, stopAtParen: boolean): { toks: Tok[]; end: number; line: number } {
  const toks: Tok[] = [];
  let i = start;
  let depth = 0;
  while (i < src.length) {
    const c = src[i];
    if (c === '\n') {
      line++;
      i++;
      continue;
    }
    if (c === ' ' || c === '\t' || c === '\r') {
      i++;
      continue;
    }
    if (c === '#') {
      while (i < src.length && src[i] !== '\n') i++;
      continue;
    }
    if (stopAtParen && c === ')' && depth === 0) return { toks, end: i + 1, line };
    if (c === '"') {
      const parts: (string | Tok[])[] = [];
      let text = '';
      const startLine = line;
      i++;
      for (;;) {
        if (i >= src.length) return { toks: [...toks, { k: 'bad', v: 'QQSTRING_START', line: startLine }], end: i, line };
        const d = src[i++];
        if (d === '"') break;
        if (d === '\\') {
          const e = src[i++];
          if (e === '(') {
            if (text) parts.push(text);
            text = '';
            const inner = lex(src, i, line, true);
            parts.push(inner.toks);
            i = inner.end;
            line = inner.line;
          } else if (e === 'u' && /^[0-9a-fA-F]{4}$/.test(src.slice(i, i + 4))) {
            text += String.fromCharCode(parseInt(src.slice(i, i + 4), 16));
            i += 4;
          } else if (e !== undefined && '"\\/bfnrt'.includes(e)) text += ({ b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' } as Record<string, string>)[e] ?? e;
          else return { toks: [...toks, { k: 'bad', v: 'INVALID_CHARACTER', line }], end: src.length, line };
        } else {
          if (d === '\n') line++;
          text += d;
        }
      }
      if (text || parts.length === 0) parts.push(text);
      toks.push({ k: 'str', parts, line: startLine });
      continue;
    }
    const num = /^(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?/.exec(src.slice(i, i + 64));
    if (num && !(c === '.' && !/\d/.test(src[i + 1] ?? ''))) {
      toks.push({ k: 'num', v: Number(num[0]), line });
      i += num[0].length;
      continue;
    }
    const word = /^[a-zA-Z_][a-zA-Z0-9_]*(?:::[a-zA-Z_][a-zA-Z0-9_]*)*/.exec(src.slice(i, i + 256));
    if (word) {
      toks.push({ k: KEYWORDS.has(word[0]) ? 'kw' : 'ident', v: word[0], line });
      i += word[0].length;
      continue;
    }
    if (c === '.' && /[a-zA-Z_]/.test(src[i + 1] ?? '')) {
      const f = /^[a-zA-Z_][a-zA-Z0-9_]*/.exec(src.slice(i + 1, i + 257))![0];
      toks.push({ k: 'field', v: f, line });
      i += 1 + f.length;
      continue;
    }
    if ((c === '$' || c === '@') && /[a-zA-Z_]/.test(src[i + 1] ?? '')) {
      const f = /^[a-zA-Z_][a-zA-Z0-9_]*/.exec(src.slice(i + 1, i + 257))![0];
      toks.push({ k: c === '$' ? 'var' : 'format', v: f, line });
      i += 1 + f.length;
      continue;
    }
    const op = OPS.find((o) => src.startsWith(o, i));
    if (!op) {
      toks.push({ k: 'bad', v: 'INVALID_CHARACTER', line });
      return { toks, end: src.length, line };
    }
    if (op === '(') depth++;
    if (op === ')') depth--;
    toks.push({ k: 'op', v: op, line });
    i += op.length;
  }
  if (stopAtParen) toks.push({ k: 'bad', v: 'end of file', line });
  return { toks, end: i, line };
}

/** bison's name for a token in "syntax error, unexpected …". */
export function tokName(t: Tok): string {
  switch (t.k) {
    case 'eof':
      return 'end of file';
    case 'num':
      return 'LITERAL';
    case 'str':
      return 'QQSTRING_START';
    case 'ident':
      return 'IDENT';
    case 'field':
      return 'FIELD';
    case 'var':
      return '$';
    case 'format':
      return 'FORMAT';
    case 'kw':
      return t.v;
    case 'bad':
      return t.v;
    default:
      return t.v.length === 1 ? `'${t.v}'` : t.v;
  }
}
