/**
 * Reading manifests the way kubectl does: -f FILE, -f DIR (its .yaml/.yml/.json files in
 * order, -R to recurse), -f - (stdin); multi-document YAML; errors worded like kubectl's.
 * Defends against alias bombs, huge or binary input and deep nesting.
 */
import { Composer, LineCounter, Parser, type Tags } from 'yaml';
import { breathe, type CancelToken } from '../../core/clock';
import { isRecord, type KubeObject } from '../../api/types';
import type { Vfs } from '../../shell/vfs';
import { flowNestingTooDeep } from '../../../validation/yaml/nesting';
import { selfContainingAnchor } from '../../../validation/yaml/anchors';
import { goYamlSyntaxError } from '../../../validation/yaml/goyaml';

export interface ManifestDoc {
  source: string; // file name as kubectl prints it ("STDIN" for -)
  obj: KubeObject;
}

export interface LoadResult {
  docs: ManifestDoc[];
  errors: string[];
}

const MAX_INPUT = 8 * 1024 * 1024;
const MAX_DEPTH = 200;
/**
 * The largest YAML document read: etcd stores objects of up to 1.5 MiB (--max-request-bytes
 * 1572864; "etcdserver: request is too large" beyond), and one document is parsed in one block
 * that Ctrl-C cannot enter (3.5 MiB take a second).
 */
const MAX_DOCUMENT = 1.5 * 1024 * 1024;

/** The length of the longest stretch of text between two document markers (`---` or `...` at a line start). */
function longestDocument(text: string): number {
  let longest = 0;
  let start = 0;
  const marker = /^(?:---|\.\.\.)(?=[ \t\r\n]|$)/gm;
  for (let m = marker.exec(text); m; m = marker.exec(text)) {
    longest = Math.max(longest, m.index - start);
    start = m.index + 3;
  }
  return Math.max(longest, text.length - start);
}

/**
 * Whether a value nests deeper than MAX_DEPTH. Aliases make the value a graph that shares
 * subtrees, so each shared object is measured once (a walk over every path took exponential time).
 */
function tooDeep(root: unknown): boolean {
  const heights = new Map<object, number>();
  const height = (v: unknown, d: number): number => {
    if (d > MAX_DEPTH) return Infinity;
    if (!Array.isArray(v) && !isRecord(v)) return 0;
    const known = heights.get(v);
    if (known !== undefined) return known;
    let h = 0;
    for (const x of Array.isArray(v) ? v : Object.values(v)) h = Math.max(h, 1 + height(x, d + 1));
    if (h !== Infinity) heights.set(v, h);
    return h;
  };
  return height(root, 0) > MAX_DEPTH;
}


/**
 * How kubectl reads YAML: sigs.k8s.io/yaml's YAMLToJSON with go-yaml v2, a YAML 1.1 reader —
 * yes/no/on/off/y/n are booleans, 0755 is octal, `<<` merges — where timestamps stay strings
 * (decode.go keeps a timestamp-looking value a string for interface{}) and base-60 numbers
 * ("1:20") are strings (resolve.go has no sexagesimal ints). Duplicate keys: the last one wins.
 */
export const YAML_1_1 = {
  version: '1.1' as const,
  merge: true,
  prettyErrors: false,
  uniqueKeys: false,
  customTags: (tags: Tags): Tags => tags.filter((t) => !(typeof t === 'object' && (t.tag === 'tag:yaml.org,2002:timestamp' || ('format' in t && t.format === 'TIME')))),
};

/** Reads a manifest text document by document: each item is an object or one of kubectl's errors. */
function* readManifests(text: string, source: string): Generator<ManifestDoc | string> {
  if (text.length > MAX_INPUT) {
    yield `error: error reading ${source}: input is larger than the sandbox accepts (${Math.round(text.length / 1024 / 1024)} MB > 8 MB)`;
    return;
  }
  const longest = longestDocument(text);
  if (longest > MAX_DOCUMENT) {
    yield `error: error reading ${source}: a YAML document of ${(longest / 1024 / 1024).toFixed(1)} MiB is larger than the sandbox reads (1.5 MiB, the largest object etcd stores)`;
    return;
  }
  // binary junk: NUL bytes or a high share of control characters
  const ctrl = (text.slice(0, 4096).match(/[\x00-\x08\x0e-\x1f]/g) ?? []).length;
  if (text.includes('\u0000') || ctrl > 16) {
    yield `error: error parsing ${source}: error converting YAML to JSON: yaml: control characters are not allowed`;
    return;
  }
  // checked before parsing: the yaml package parses flow collections recursively
  if (flowNestingTooDeep(text, MAX_DEPTH)) {
    yield `error: error parsing ${source}: error converting YAML to JSON: yaml: exceeded max depth of ${MAX_DEPTH}`;
    return;
  }
  // parseAllDocuments, one document at a time (the parser and the composer are lazy)
  const lines = new LineCounter();
  const documents = new Composer(YAML_1_1).compose(new Parser(lines.addNewLine).parse(text));
  for (;;) {
    let next;
    try {
      next = documents.next();
    } catch (e) {
      yield `error: error parsing ${source}: error converting YAML to JSON: yaml: ${e instanceof Error ? e.message : String(e)}`;
      return;
    }
    if (next.done) return;
    const d = next.value;
    if (d.errors.length) {
      yield `error: error parsing ${source}: error converting YAML to JSON: ${goYamlSyntaxError(d.errors[0], text, lines)}`;
      continue;
    }
    const cyclic = selfContainingAnchor(d);
    if (cyclic) {
      yield `error: error parsing ${source}: error converting YAML to JSON: yaml: anchor '${cyclic.anchor}' value contains itself`;
      continue;
    }
    let v: unknown;
    try {
      v = d.toJS({ maxAliasCount: 100 });
    } catch (e) {
      const m = e instanceof Error ? e.message : String(e);
      yield `error: error parsing ${source}: error converting YAML to JSON: yaml: ${/alias/i.test(m) ? 'document contains excessive aliasing' : m}`;
      continue;
    }
    if (v === null || v === undefined) continue;
    if (tooDeep(v)) {
      yield `error: error parsing ${source}: error converting YAML to JSON: yaml: exceeded max depth of ${MAX_DEPTH}`;
      continue;
    }
    if (!isRecord(v)) {
      yield `error: error validating "${source}": error validating data: invalid object to validate; if you choose to ignore these errors, turn validation off with --validate=false`;
      continue;
    }
    if (v.kind === 'List' && Array.isArray(v.items)) {
      for (const it of v.items) if (isRecord(it)) yield { source, obj: it as KubeObject };
      continue;
    }
    if (typeof v.apiVersion !== 'string' || v.apiVersion === '') {
      yield `error: error validating "${source}": error validating data: apiVersion not set; if you choose to ignore these errors, turn validation off with --validate=false`;
      continue;
    }
    if (typeof v.kind !== 'string' || v.kind === '') {
      yield `error: error validating "${source}": error validating data: kind not set; if you choose to ignore these errors, turn validation off with --validate=false`;
      continue;
    }
    if (!isRecord(v.metadata)) v.metadata = {};
    yield { source, obj: v as KubeObject };
  }
}

function collect(items: Iterable<ManifestDoc | string>, into: LoadResult): LoadResult {
  for (const item of items) {
    if (typeof item === 'string') into.errors.push(item);
    else into.docs.push(item);
  }
  return into;
}

export function parseManifests(text: string, source: string): LoadResult {
  return collect(readManifests(text, source), { docs: [], errors: [] });
}

/** The texts `-f` names, with the names kubectl prints, or its error for a path. */
function* inputs(fs: Vfs, cwd: string, files: string[], stdin: string, recursive: boolean): Generator<{ text: string; source: string } | string> {
  for (const f of files) {
    if (f === '-') {
      yield { text: stdin, source: 'STDIN' };
      continue;
    }
    if (/^https?:\/\//.test(f)) {
      yield `error: unable to read URL "${f}", server reported 404 Not Found, status code=404 (the sandbox has no Internet access for kubectl; use the files in examples/)`;
      continue;
    }
    const abs = fs.resolve(cwd, f);
    if (!fs.exists(abs)) {
      yield `error: the path "${f}" does not exist`;
      continue;
    }
    const paths = fs.isDir(abs)
      ? (recursive ? fs.walk(abs) : fs.list(abs).map((n) => `${abs}/${n}`).filter((p) => fs.isFile(p))).filter((p) => /\.(ya?ml|json)$/.test(p))
      : [abs];
    for (const p of paths) yield { text: fs.readFile(p), source: fs.isDir(abs) ? `${f.replace(/\/$/, '')}/${p.slice(abs.length + 1)}` : f };
  }
}

export function loadManifests(fs: Vfs, cwd: string, files: string[], stdin: string, recursive: boolean): LoadResult {
  const out: LoadResult = { docs: [], errors: [] };
  for (const input of inputs(fs, cwd, files, stdin, recursive)) {
    if (typeof input === 'string') out.errors.push(input);
    else collect(readManifests(input.text, input.source), out);
  }
  return out;
}

/**
 * loadManifests for kubectl apply/delete: thousands of documents take a while to decode, so
 * Ctrl-C is checked between documents (kubectl, too, decodes every object before it sends one).
 */
export async function loadManifestsPaced(fs: Vfs, cwd: string, files: string[], stdin: string, recursive: boolean, token: CancelToken): Promise<LoadResult> {
  const out: LoadResult = { docs: [], errors: [] };
  for (const input of inputs(fs, cwd, files, stdin, recursive)) {
    if (typeof input === 'string') {
      out.errors.push(input);
      continue;
    }
    for (const item of readManifests(input.text, input.source)) {
      await breathe(token);
      if (typeof item === 'string') out.errors.push(item);
      else out.docs.push(item);
    }
  }
  return out;
}
