/**
 * Syntax layer: YAML text → documents (AST + plain value) and syntax diagnostics with exact
 * positions. Reads YAML the way kubectl does (sigs.k8s.io/yaml over a YAML 1.1 parser: `yes`,
 * `on` are booleans, duplicate keys are errors) and survives hostile input: size and alias
 * limits are checked before any expensive work, and nothing recurses on user data without a
 * depth bound.
 */
import { Alias, isAlias, isMap, isPair, isScalar, isSeq, LineCounter, parseAllDocuments, type Document, type Node as YamlNode, type Pair } from 'yaml';
import { diag } from '../codes';
import type { Diagnostic, FieldPath, Position, Range } from '../types';
import { selfContainingAnchor } from './anchors';
import { goYamlCounterpart } from './goyaml';
import { flowNestingTooDeep } from './nesting';

export interface Limits {
  /** Largest text accepted, in UTF-16 code units (~bytes for manifests). */
  maxLength: number;
  /** Aliases expanded per document before it is treated as an alias bomb. */
  maxAliasCount: number;
  /** Deepest nesting of collections. */
  maxDepth: number;
  /** Most syntax diagnostics reported for one text. */
  maxSyntaxDiagnostics: number;
  /** Most documents in one text. */
  maxDocuments: number;
}

export const DEFAULT_LIMITS: Limits = {
  maxLength: 1024 * 1024,
  maxAliasCount: 100,
  maxDepth: 100,
  maxSyntaxDiagnostics: 50,
  maxDocuments: 2000,
};

export interface ParsedDocument {
  index: number;
  /** The yaml AST (Document.Parsed); undefined for a document skipped by a limit. */
  ast: Document.Parsed;
  /** Plain JS value of the document (undefined if the document is empty or failed). */
  value: unknown;
  /** The whole document's range. */
  range: Range;
  /** True for a document with no content (`---` alone, comments only): kubectl skips these. */
  empty: boolean;
  /** True when the document has a syntax error: schema and analysis skip it. */
  broken: boolean;
}

export interface ParseResult {
  text: string;
  documents: ParsedDocument[];
  diagnostics: Diagnostic[];
  lineCounter: LineCounter;
}

export function position(lc: LineCounter, text: string, offset: number): Position {
  const o = Math.max(0, Math.min(offset, text.length));
  const p = lc.linePos(o);
  return { line: p.line, column: p.col, offset: o };
}

export function rangeOf(lc: LineCounter, text: string, start: number, end: number): Range {
  return { start: position(lc, text, start), end: position(lc, text, Math.max(start, end)) };
}

/** Index of the first character YAML forbids (C0 controls other than TAB, LF, CR; DEL is allowed in YAML 1.2 but not useful). */
function firstBinaryChar(text: string): number {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) return i;
    if (c === 0xfffe || c === 0xffff) return i;
  }
  return -1;
}

const YAML_CODE: Record<string, string> = {
  DUPLICATE_KEY: 'YAML002',
  TAB_AS_INDENT: 'YAML003',
  RESOURCE_EXHAUSTION: 'YAML005',
};

export function parseYaml(text: string, limits: Limits = DEFAULT_LIMITS): ParseResult {
  const lineCounter = new LineCounter();
  const diagnostics: Diagnostic[] = [];
  const documents: ParsedDocument[] = [];
  const result: ParseResult = { text, documents, diagnostics, lineCounter };

  if (text.length > limits.maxLength) {
    // Nothing is parsed: a position needs the line counter, so compute line 1 by hand.
    diagnostics.push(
      diag('YAML006', {
        range: { start: { line: 1, column: 1, offset: 0 }, end: { line: 1, column: 1, offset: 0 } },
        args: { size: text.length, limit: limits.maxLength },
      }),
    );
    return result;
  }
  const bin = firstBinaryChar(text);
  if (bin >= 0) {
    let line = 1;
    let col = 1;
    for (let i = 0; i < bin; i++) {
      if (text.charCodeAt(i) === 10) {
        line++;
        col = 1;
      } else col++;
    }
    diagnostics.push(
      diag('YAML007', {
        range: { start: { line, column: col, offset: bin }, end: { line, column: col + 1, offset: bin + 1 } },
        args: { code: text.charCodeAt(bin).toString(16).padStart(4, '0') },
      }),
    );
    return result;
  }

  const deep = flowNestingTooDeep(text, limits.maxDepth);
  if (deep) {
    let line = 1;
    let last = -1;
    for (let i = text.indexOf('\n'); i >= 0 && i < deep.offset; i = text.indexOf('\n', i + 1)) {
      line++;
      last = i;
    }
    const at = { line, column: deep.offset - last, offset: deep.offset };
    diagnostics.push(diag('YAML008', { range: { start: at, end: { ...at, column: at.column + 1, offset: at.offset + 1 } }, args: { limit: limits.maxDepth } }));
    return result;
  }
  let docs: Array<Document.Parsed>;
  try {
    const parsed = parseAllDocuments(text, { lineCounter, uniqueKeys: false, version: '1.1', prettyErrors: false, strict: true });
    // An empty stream (comments only) is a valid text with no documents.
    docs = Array.isArray(parsed) ? parsed : [];
  } catch (e) {
    diagnostics.push(deepOrInternal(e));
    return result;
  }
  if (docs.length > limits.maxDocuments) {
    diagnostics.push(diag('YAML009', { range: rangeOf(lineCounter, text, docs[limits.maxDocuments].range[0], docs[limits.maxDocuments].range[0]), args: { limit: limits.maxDocuments } }));
    docs = docs.slice(0, limits.maxDocuments);
  }

  let syntaxCount = 0;
  docs.forEach((ast, index) => {
    const range = rangeOf(lineCounter, text, ast.range[0], ast.range[1]);
    const c = ast.contents as YamlNode | null;
    const empty = c === null || (isScalar(c) && c.value === null && !c.source && !c.tag);
    const doc: ParsedDocument = { index, ast, value: undefined, range, empty, broken: false };
    documents.push(doc);
    for (const e of ast.errors) {
      doc.broken = true;
      if (syntaxCount++ >= limits.maxSyntaxDiagnostics) continue;
      const msg = firstLine(e.message);
      if (/call stack/i.test(msg)) {
        diagnostics.push(diag('YAML008', { range: rangeOf(lineCounter, text, e.pos[0], e.pos[1]), documentIndex: index, args: { limit: limits.maxDepth } }));
        continue;
      }
      const code = YAML_CODE[e.code] ?? 'YAML001';
      let [start, end] = e.pos;
      // The parser notices a missing closing quote at the end of the text; point at the opening one.
      const quote = e.code === 'MISSING_CHAR' ? /closing (["'])/.exec(msg)?.[1] : undefined;
      if (quote) {
        const open = openingQuote(text, quote, start);
        if (open >= 0) {
          start = open;
          end = lineEnd(text, open);
        }
      }
      // what kubectl would say of it, in go-yaml's words (YAML001 quotes them when there are some)
      const kubectl = code === 'YAML001' ? goYamlCounterpart(e, text, lineCounter) : undefined;
      diagnostics.push(diag(code, { range: rangeOf(lineCounter, text, start, Math.max(end, start + 1)), documentIndex: index, args: { detail: msg, ...(kubectl ? { kubectl } : {}) } }));
    }
    if (doc.broken || doc.empty) return;
    // Structure checks the yaml package leaves to us: depth, duplicate keys (O(n) here, where the
    // package's own check is quadratic in the number of keys).
    const structural = checkStructure(ast, limits);
    if (structural.tooDeep !== undefined) {
      doc.broken = true;
      diagnostics.push(diag('YAML008', { range: rangeOf(lineCounter, text, structural.tooDeep, structural.tooDeep + 1), documentIndex: index, args: { limit: limits.maxDepth } }));
      return;
    }
    for (const dup of structural.duplicates) {
      doc.broken = true;
      if (syntaxCount++ >= limits.maxSyntaxDiagnostics) break;
      const r = rangeOf(lineCounter, text, dup.start, dup.end);
      diagnostics.push(diag('YAML002', { range: r, documentIndex: index, args: { key: dup.key, line: r.start.line } }));
    }
    if (doc.broken) return;
    const cyclic = selfContainingAnchor(ast);
    if (cyclic) {
      doc.broken = true;
      const r = cyclic.alias.range;
      diagnostics.push(diag('YAML011', { range: r ? rangeOf(lineCounter, text, r[0], Math.max(r[1], r[0] + 1)) : range, documentIndex: index, args: { anchor: cyclic.anchor } }));
      return;
    }
    try {
      doc.value = ast.toJS({ maxAliasCount: limits.maxAliasCount });
    } catch (e) {
      doc.broken = true;
      const isBomb = e instanceof Error && /alias/i.test(e.message);
      if (isBomb) {
        diagnostics.push(diag('YAML005', { range: range, documentIndex: index, args: { limit: limits.maxAliasCount } }));
      } else {
        const d = deepOrInternal(e);
        d.range = range;
        d.documentIndex = index;
        diagnostics.push(d);
      }
      return;
    }
    if (!isMap(ast.contents)) {
      doc.broken = true;
      const c = ast.contents as YamlNode;
      const r = c.range ? rangeOf(lineCounter, text, c.range[0], c.range[1]) : range;
      diagnostics.push(diag('YAML004', { range: r, documentIndex: index, args: { type: describeNode(c) } }));
    }
  });
  return result;
}

/** The quote that opens a scalar (after `key:`, `-`, `[`, `{`, `,` or at a line start) last before `before`. */
function openingQuote(text: string, quote: string, before: number): number {
  for (let i = Math.min(before, text.length - 1); i >= 0; i--) {
    if (text[i] !== quote) continue;
    let j = i - 1;
    while (j >= 0 && text[j] === ' ') j--;
    if (j < 0 || ':-[{,\n'.includes(text[j])) return i;
  }
  return -1;
}

function firstLine(s: string): string {
  return s.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
}

function deepOrInternal(e: unknown): Diagnostic {
  const message = e instanceof Error ? e.message : String(e);
  if (e instanceof RangeError || /call stack/i.test(message)) {
    return diag('YAML008', { args: { limit: DEFAULT_LIMITS.maxDepth } });
  }
  return diag('YAML001', { args: { detail: message } });
}

function describeNode(n: YamlNode): string {
  if (isSeq(n)) return 'список';
  if (isScalar(n)) return `скаляр ${JSON.stringify(String(n.source ?? n.value)).slice(0, 40)}`;
  if (isAlias(n)) return 'псевдоним';
  return 'не объект';
}

interface StructureReport {
  tooDeep?: number;
  duplicates: Array<{ key: string; start: number; end: number }>;
}

/** Iterative walk (no recursion on user data): nesting depth and duplicate keys. */
function checkStructure(ast: Document.Parsed, limits: Limits): StructureReport {
  const report: StructureReport = { duplicates: [] };
  const stack: Array<{ node: unknown; depth: number }> = [{ node: ast.contents, depth: 0 }];
  while (stack.length) {
    const { node, depth } = stack.pop()!;
    if (isMap(node) || isSeq(node)) {
      if (depth > limits.maxDepth) {
        report.tooDeep = node.range?.[0] ?? 0;
        return report;
      }
    }
    if (isMap(node)) {
      const seen = new Set<string>();
      for (const item of node.items) {
        const key = keyString(item);
        if (key !== undefined) {
          if (seen.has(key)) {
            const k = item.key as YamlNode | null;
            const r = k?.range ?? node.range ?? [0, 0, 0];
            report.duplicates.push({ key, start: r[0], end: r[1] });
          } else seen.add(key);
        }
        stack.push({ node: item.value, depth: depth + 1 });
      }
    } else if (isSeq(node)) {
      for (const item of node.items) stack.push({ node: item, depth: depth + 1 });
    }
  }
  return report;
}

function keyString(pair: Pair): string | undefined {
  const k = pair.key;
  if (k === null || k === undefined) return '';
  if (isScalar(k)) return String(k.value);
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Path → source range

/**
 * Each mapping's pairs by key (the first pair of a key, as the scan found it), built once per
 * mapping: a finding per key of a 16 000-key selector made locate() quadratic (seconds).
 */
const pairsByKey = new WeakMap<object, Map<string, Pair>>();

function pairOf(map: { items: unknown[] }, key: string): Pair | undefined {
  let index = pairsByKey.get(map);
  if (!index) {
    index = new Map();
    for (const item of map.items) {
      if (!isPair(item)) continue;
      const k = keyString(item);
      if (k !== undefined && !index.has(k)) index.set(k, item);
    }
    pairsByKey.set(map, index);
  }
  return index.get(key);
}

export type Target = 'key' | 'value' | 'entry';

/**
 * The range of the field at `path` in a document: its key (`key`), its value (`value`), or the
 * nearest existing ancestor when the path does not exist in the text (a missing field).
 */
export function locate(doc: ParsedDocument, lc: LineCounter, text: string, path: FieldPath, target: Target): Range {
  let node: unknown = doc.ast.contents;
  let keyNode: YamlNode | null = null;
  let lastGood: { key: YamlNode | null; value: unknown } = { key: null, value: node };
  for (let i = 0; i < path.length; i++) {
    if (isAlias(node)) node = (node as Alias).resolve(doc.ast);
    const seg = path[i];
    let next: unknown = undefined;
    let nextKey: YamlNode | null = null;
    let found = false;
    if (isMap(node)) {
      const item = pairOf(node, String(seg));
      if (item) {
        next = item.value;
        nextKey = item.key as YamlNode;
        found = true;
      }
    } else if (isSeq(node) && typeof seg === 'number' && seg < node.items.length) {
      next = node.items[seg];
      nextKey = null;
      found = true;
    }
    if (!found) break;
    node = next;
    keyNode = nextKey;
    lastGood = { key: keyNode, value: node };
  }
  const pick = (): [number, number] | undefined => {
    const v = lastGood.value as YamlNode | null | undefined;
    const k = lastGood.key;
    if (target === 'key' && k?.range) return [k.range[0], k.range[1]];
    if (target === 'value' && v && v.range) {
      // For a collection value show its first line only (the whole block is too large a marker).
      if (isMap(v) || isSeq(v)) {
        if (k?.range) return [k.range[0], k.range[1]];
        return [v.range[0], lineEnd(text, v.range[0])];
      }
      return [v.range[0], v.range[1]];
    }
    if (k?.range) return [k.range[0], k.range[1]];
    if (v && v.range) return [v.range[0], lineEnd(text, v.range[0])];
    return undefined;
  };
  const r = pick() ?? [doc.ast.range[0], lineEnd(text, doc.ast.range[0])];
  return rangeOf(lc, text, r[0], Math.max(r[1], r[0] + 1));
}

function lineEnd(text: string, from: number): number {
  const nl = text.indexOf('\n', from);
  return nl < 0 ? text.length : nl;
}
