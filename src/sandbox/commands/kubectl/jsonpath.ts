/**
 * kubectl's JSONPath templates: {.a.b[0].c}, {.items[*].metadata.name}, {.a['x.y']},
 * {range .items[*]}…{end}, {"\n"}, filters [?(@.type=="Ready")], and plain text between.
 */
import { goJsonCompact } from './goyaml';

export class JsonPathError extends Error {}

type Seg = { kind: 'field'; name: string } | { kind: 'index'; index: number | '*'; end?: number } | { kind: 'filter'; path: string[]; op?: string; value?: string } | { kind: 'recursive'; name: string };

function parsePath(expr: string): Seg[] {
  const segs: Seg[] = [];
  let s = expr.trim();
  if (s.startsWith('$')) s = s.slice(1);
  let i = 0;
  while (i < s.length) {
    if (s.startsWith('..', i)) {
      const m = s.slice(i + 2).match(/^[A-Za-z0-9_-]+/);
      if (!m) throw new JsonPathError(`unrecognized identifier ${s.slice(i)}`);
      segs.push({ kind: 'recursive', name: m[0] });
      i += 2 + m[0].length;
    } else if (s[i] === '.') {
      const m = s.slice(i + 1).match(/^[A-Za-z0-9_\-/]+/);
      if (!m) {
        if (i + 1 >= s.length) break;
        throw new JsonPathError(`unrecognized character in action: U+${s.charCodeAt(i + 1).toString(16).toUpperCase().padStart(4, '0')} '${s[i + 1]}'`);
      }
      segs.push({ kind: 'field', name: m[0] });
      i += 1 + m[0].length;
    } else if (s[i] === '[') {
      const end = s.indexOf(']', i);
      if (end < 0) throw new JsonPathError('unterminated array');
      const inner = s.slice(i + 1, end).trim();
      i = end + 1;
      if (inner === '*') segs.push({ kind: 'index', index: '*' });
      else if (/^-?\d+$/.test(inner)) segs.push({ kind: 'index', index: Number(inner) });
      else if (/^-?\d*:-?\d*$/.test(inner)) {
        const [a, b] = inner.split(':');
        segs.push({ kind: 'index', index: a === '' ? 0 : Number(a), end: b === '' ? undefined : Number(b) });
      } else if (/^'.*'$|^".*"$/.test(inner)) segs.push({ kind: 'field', name: inner.slice(1, -1) });
      else if (inner.startsWith('?(') && inner.endsWith(')')) {
        const f = inner.slice(2, -1).trim();
        const m = f.match(/^@((?:\.[A-Za-z0-9_-]+)+)\s*(==|!=|<|>)?\s*(?:"([^"]*)"|'([^']*)'|(\S+))?$/);
        if (!m) throw new JsonPathError(`unrecognized filter ${f}`);
        segs.push({ kind: 'filter', path: m[1].split('.').filter(Boolean), op: m[2], value: m[3] ?? m[4] ?? m[5] });
      } else throw new JsonPathError(`invalid array index ${inner}`);
    } else throw new JsonPathError(`unrecognized character in action: '${s[i]}'`);
  }
  return segs;
}

function get(v: unknown, name: string): unknown {
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>)[name] : undefined;
}

export function evaluate(root: unknown, expr: string): unknown[] {
  let cur: unknown[] = [root];
  for (const seg of parsePath(expr)) {
    const next: unknown[] = [];
    for (const v of cur) {
      if (seg.kind === 'field') {
        const x = get(v, seg.name);
        if (x !== undefined) next.push(x);
      } else if (seg.kind === 'index') {
        if (!Array.isArray(v)) continue;
        if (seg.index === '*') for (const item of v) next.push(item);
        else if (seg.end !== undefined || expr.includes(':')) {
          const a = seg.index < 0 ? v.length + seg.index : seg.index;
          const b = seg.end === undefined ? v.length : seg.end < 0 ? v.length + seg.end : seg.end;
          for (const item of v.slice(a, b)) next.push(item);
        } else {
          const idx = seg.index < 0 ? v.length + seg.index : seg.index;
          if (idx >= v.length || idx < 0) throw new JsonPathError('array index out of bounds: index ' + seg.index + ', length ' + v.length);
          next.push(v[idx]);
        }
      } else if (seg.kind === 'filter') {
        const items = Array.isArray(v) ? v : [v];
        for (const it of items) {
          let x: unknown = it;
          for (const p of seg.path) x = get(x, p);
          if (seg.op === undefined ? x !== undefined : seg.op === '==' ? String(x) === seg.value : seg.op === '!=' ? String(x) !== seg.value : seg.op === '<' ? Number(x) < Number(seg.value) : Number(x) > Number(seg.value))
            next.push(it);
        }
      } else {
        const walk = (x: unknown): void => {
          if (Array.isArray(x)) x.forEach(walk);
          else if (x && typeof x === 'object') {
            for (const [k, y] of Object.entries(x)) {
              if (k === seg.name) next.push(y);
              walk(y);
            }
          }
        };
        walk(v);
      }
    }
    cur = next;
  }
  return cur;
}

function format(v: unknown): string {
  if (typeof v === 'string') return v;
  if (v === null) return 'null';
  // k8s.io/client-go/util/jsonpath evalToText: json.Marshal, so map keys sorted and <>& escaped
  if (typeof v === 'object') return goJsonCompact(v);
  return String(v);
}

/** Renders a kubectl JSONPath template against an object (or a List). */
export function renderTemplate(template: string, data: unknown): string {
  let t = template.trim();
  if (!t.includes('{')) t = `{${t}}`;
  // tokens: text and {actions}
  const tokens: { text?: string; action?: string }[] = [];
  let i = 0;
  while (i < t.length) {
    const open = t.indexOf('{', i);
    if (open < 0) {
      tokens.push({ text: t.slice(i) });
      break;
    }
    if (open > i) tokens.push({ text: t.slice(i, open) });
    let depth = 0;
    let j = open;
    let quote: string | undefined;
    for (; j < t.length; j++) {
      const c = t[j];
      if (quote) {
        if (c === quote) quote = undefined;
        continue;
      }
      if (c === '"' || c === "'") quote = c;
      else if (c === '{') depth++;
      else if (c === '}') {
        depth--;
        if (depth === 0) break;
      }
    }
    if (j >= t.length) throw new JsonPathError(`unclosed action`);
    tokens.push({ action: t.slice(open + 1, j).trim() });
    i = j + 1;
  }
  const run = (toks: typeof tokens, ctx: unknown): string => {
    let out = '';
    for (let k = 0; k < toks.length; k++) {
      const tk = toks[k];
      if (tk.text !== undefined) {
        out += tk.text;
        continue;
      }
      const a = tk.action!;
      if (a.startsWith('range ')) {
        let depth = 1;
        let e = k + 1;
        for (; e < toks.length; e++) {
          const x = toks[e].action;
          if (x?.startsWith('range ')) depth++;
          if (x === 'end' && --depth === 0) break;
        }
        if (e >= toks.length) throw new JsonPathError('not in range, nothing to end');
        const items = evaluate(ctx, a.slice(6).trim());
        const flat = items.length === 1 && Array.isArray(items[0]) ? (items[0] as unknown[]) : items;
        for (const it of flat) out += run(toks.slice(k + 1, e), it);
        k = e;
        continue;
      }
      if (a === 'end') throw new JsonPathError('not in range, nothing to end');
      if (/^".*"$|^'.*'$/.test(a)) {
        out += a.slice(1, -1).replace(/\\n/g, '\n').replace(/\\t/g, '\t');
        continue;
      }
      const vals = evaluate(ctx, a.startsWith('.') || a.startsWith('[') || a.startsWith('$') ? a : `.${a}`);
      out += vals.map(format).join(' ');
    }
    return out;
  };
  return run(tokens, data);
}
