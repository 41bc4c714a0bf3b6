/**
 * Silencing one analyzer rule for one manifest the way `istioctl analyze` does it: the
 * object carries `galley.istio.io/analyze-suppress: "IST0101,PRK004"` in metadata.annotations.
 * The change is made as one small text edit (the rest of the manifest, its comments and
 * formatting stay as the learner wrote them), so the editor can apply it as an undoable edit
 * and the silencing travels with the manifest to the sandbox or a real cluster.
 */
import {isMap, isScalar, isSeq, parseAllDocuments, type Document, type Pair, type YAMLMap} from 'yaml';

/** A replacement of text[offset, offset + length) by `insert`. */
export interface TextEdit {
  offset: number;
  length: number;
  insert: string;
}

export function applyEdit(text: string, edit: TextEdit): string {
  return text.slice(0, edit.offset) + edit.insert + text.slice(edit.offset + edit.length);
}

import {parseCodes, SUPPRESS_ANNOTATION} from './rules';

export {isSuppressible, parseCodes, SUPPRESS_ANNOTATION} from './rules';

type PairNode = Pair<unknown, unknown>;

function keyOf(pair: PairNode): unknown {
  return isScalar(pair.key) ? pair.key.value : pair.key;
}

function findPair(map: YAMLMap<unknown, unknown>, key: string): PairNode | undefined {
  return map.items.find((pair) => keyOf(pair) === key);
}

function lineStart(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

function lineEnd(text: string, offset: number): number {
  const nl = text.indexOf('\n', offset);
  return nl < 0 ? text.length : nl + 1;
}

/** Column of a block-map key when it starts its own line (the indentation of that map). */
function blockIndent(text: string, pair: PairNode): number | null {
  const key = pair.key as {range?: [number, number, number]} | null;
  const start = key?.range?.[0];
  if (start === undefined) return null;
  const from = lineStart(text, start);
  return /^[ ]*$/.test(text.slice(from, start)) ? start - from : null;
}

function isBlockMap(node: unknown): node is YAMLMap<unknown, unknown> {
  return isMap(node) && !node.flow && node.items.length > 0;
}

function quote(value: string): string {
  return JSON.stringify(value);
}

function documents(text: string): Document.Parsed[] {
  return parseAllDocuments(text, {version: '1.1', uniqueKeys: false, prettyErrors: false}) as Document.Parsed[];
}

/** The codes an object's annotation silences, read from document `index` of `text`. */
export function suppressedCodesIn(text: string, index: number): string[] {
  const doc = documents(text)[index];
  if (!doc || !isMap(doc.contents)) return [];
  const metadata = findPair(doc.contents, 'metadata')?.value;
  if (!isMap(metadata)) return [];
  const annotations = findPair(metadata, 'annotations')?.value;
  if (!isMap(annotations)) return [];
  const value = findPair(annotations, SUPPRESS_ANNOTATION)?.value;
  return isScalar(value) && typeof value.value === 'string' ? parseCodes(value.value) : [];
}

/** The same change made by re-printing the document: for flow-style or unusual metadata. */
function rewriteDocument(text: string, doc: Document.Parsed, codes: string[]): TextEdit | null {
  const clone = doc.clone();
  const root: unknown = clone.contents;
  if (!isMap(root)) return null;
  const existing: unknown = root.get('metadata', true);
  let meta: YAMLMap<unknown, unknown>;
  if (isMap(existing)) meta = existing;
  else {
    if (!codes.length) return null;
    meta = clone.createNode({}) as YAMLMap<unknown, unknown>;
    root.set('metadata', meta);
  }
  const current: unknown = meta.get('annotations', true);
  if (codes.length) {
    let annotations: YAMLMap<unknown, unknown>;
    if (isMap(current)) annotations = current;
    else {
      annotations = clone.createNode({}) as YAMLMap<unknown, unknown>;
      meta.set('annotations', annotations);
    }
    annotations.set(SUPPRESS_ANNOTATION, codes.join(','));
  } else if (isMap(current)) {
    current.delete(SUPPRESS_ANNOTATION);
    if (current.items.length === 0) meta.delete('annotations');
  }
  const [start, , end] = doc.range;
  let printed = clone.toString({lineWidth: 0});
  if (!text.slice(start, end).endsWith('\n')) printed = printed.replace(/\n$/, '');
  return {offset: start, length: end - start, insert: printed};
}

/**
 * The edit that makes document `index` of `text` silence exactly `codes` (an empty list removes
 * the annotation, and `annotations:` when nothing else is left in it). Null when the document
 * is not an object.
 */
export function setSuppressedCodes(text: string, index: number, codes: string[]): TextEdit | null {
  const doc = documents(text)[index];
  if (!doc || !isMap(doc.contents) || doc.errors.length) return null;
  const root = doc.contents;
  const value = codes.length ? quote(codes.join(',')) : '';
  const metadataPair = findPair(root, 'metadata');
  const metadata = metadataPair?.value;

  if (!metadataPair) {
    if (!codes.length) return null;
    return rewriteDocument(text, doc, codes);
  }
  if (!isBlockMap(metadata)) return rewriteDocument(text, doc, codes);
  const metaIndent = blockIndent(text, metadata.items[0]);
  if (metaIndent === null) return rewriteDocument(text, doc, codes);

  const annotationsPair = findPair(metadata, 'annotations');
  const annotations = annotationsPair?.value;

  if (!annotationsPair) {
    if (!codes.length) return null;
    const parentIndent = blockIndent(text, metadataPair) ?? 0;
    const step = Math.max(1, metaIndent - parentIndent);
    // Right after the `metadata:` line, before any comment that belongs to its first field.
    const at = lineEnd(text, (metadataPair.key as {range: [number, number, number]}).range[0]);
    const pad = ' '.repeat(metaIndent);
    return {offset: at, length: 0, insert: `${pad}annotations:\n${pad}${' '.repeat(step)}${SUPPRESS_ANNOTATION}: ${value}\n`};
  }
  if (!isBlockMap(annotations)) {
    // `annotations: {}`, `annotations:` with no value, or a flow map.
    if (isMap(annotations) && annotations.items.length) return rewriteDocument(text, doc, codes);
    if (!codes.length) return null;
    const keyNode = annotationsPair.key as {range: [number, number, number]};
    const from = keyNode.range[0];
    const to = lineEnd(text, from);
    const pad = ' '.repeat(metaIndent);
    const step = metaIndent > 0 ? metaIndent - (blockIndent(text, metadataPair) ?? 0) : 2;
    const newline = text.slice(from, to).endsWith('\n') ? '\n' : '';
    return {
      offset: lineStart(text, from),
      length: to - lineStart(text, from),
      insert: `${pad}annotations:\n${pad}${' '.repeat(Math.max(1, step))}${SUPPRESS_ANNOTATION}: ${value}${newline}`,
    };
  }

  const annIndent = blockIndent(text, annotations.items[0]);
  if (annIndent === null) return rewriteDocument(text, doc, codes);
  const suppressPair = findPair(annotations, SUPPRESS_ANNOTATION);

  if (!suppressPair) {
    if (!codes.length) return null;
    const at = lineEnd(text, (annotationsPair.key as {range: [number, number, number]}).range[0]);
    return {offset: at, length: 0, insert: `${' '.repeat(annIndent)}${SUPPRESS_ANNOTATION}: ${value}\n`};
  }

  const keyStart = (suppressPair.key as {range: [number, number, number]}).range[0];
  if (!codes.length) {
    if (annotations.items.length === 1) {
      // Remove `annotations:` with its only entry.
      const from = lineStart(text, (annotationsPair.key as {range: [number, number, number]}).range[0]);
      const valueNode = suppressPair.value as {range?: [number, number, number]} | null;
      const to = lineEnd(text, valueNode?.range?.[1] ?? keyStart);
      return {offset: from, length: to - from, insert: ''};
    }
    const from = lineStart(text, keyStart);
    const valueNode = suppressPair.value as {range?: [number, number, number]} | null;
    const to = lineEnd(text, valueNode?.range?.[1] ?? keyStart);
    return {offset: from, length: to - from, insert: ''};
  }
  const valueNode = suppressPair.value;
  if (isScalar(valueNode) && valueNode.range && valueNode.range[1] > valueNode.range[0]) {
    return {offset: valueNode.range[0], length: valueNode.range[1] - valueNode.range[0], insert: value};
  }
  if (isSeq(valueNode) || isMap(valueNode)) return rewriteDocument(text, doc, codes);
  // `galley.istio.io/analyze-suppress:` with no value: put it after the colon.
  const to = lineEnd(text, keyStart);
  const line = text.slice(keyStart, to).replace(/\n$/, '');
  return {offset: keyStart, length: line.length, insert: `${SUPPRESS_ANNOTATION}: ${value}`};
}

/** The edit adding `code` to what document `index` silences (null: nothing to change). */
export function suppressCode(text: string, index: number, code: string): TextEdit | null {
  const current = suppressedCodesIn(text, index);
  if (current.includes('*') || current.includes(code.toUpperCase())) return null;
  return setSuppressedCodes(text, index, [...current, code.toUpperCase()]);
}

/** The edit that stops silencing `code` in document `index` (null: it was not silenced). */
export function unsuppressCode(text: string, index: number, code: string): TextEdit | null {
  const current = suppressedCodesIn(text, index);
  const wanted = code.toUpperCase();
  if (!current.includes(wanted)) return null;
  return setSuppressedCodes(
    text,
    index,
    current.filter((c) => c !== wanted),
  );
}

/** Every document's silenced codes, for the "silenced rules" line under the problem list. */
export function suppressedByDocument(text: string): Array<{index: number; codes: string[]}> {
  const out: Array<{index: number; codes: string[]}> = [];
  let docs: Document.Parsed[];
  try {
    docs = documents(text);
  } catch {
    return out;
  }
  docs.forEach((_, index) => {
    const codes = suppressedCodesIn(text, index);
    if (codes.length) out.push({index, codes});
  });
  return out;
}
