/**
 * kubectl explain (kubectl/pkg/cmd/explain, kubectl/pkg/explain/v2): the OpenAPI v3 document of the
 * resource's group-version, rendered as kubectl's templates/plaintext.tmpl renders it. The
 * documents are the ones the sandbox's HTTP API serves (src/sandbox/http/openapi.ts, built from the
 * same schemas admission validates with), plugged in through the shell's `openApi`.
 */
import { KINDS, resolveResource, type ResourceKind } from '../../api/kinds';
import { flagSet } from '../args';
import { err, type Kctx, type KubectlCommand } from './common';

type Schema = Record<string, unknown>;
type Doc = { components?: { schemas?: Record<string, Schema> } };

const FLAGS = flagSet(["--api-version=''", "-o, --output='plaintext'", '--recursive=false']);

/** Go template truthiness: empty maps, slices and strings, false, 0 and nil are false. */
function truthy(v: unknown): boolean {
  if (v === undefined || v === null || v === false || v === 0 || v === '') return false;
  if (Array.isArray(v)) return v.length > 0;
  if (typeof v === 'object') return Object.keys(v).length > 0;
  return true;
}

const isMap = (v: unknown): v is Schema => typeof v === 'object' && v !== null && !Array.isArray(v);

/** funcs.go resolveRef: "#/components/schemas/X" within the document. */
function resolveRef(ref: unknown, doc: Doc): Schema | undefined {
  if (typeof ref !== 'string' || !ref.startsWith('#')) return undefined;
  let cur: unknown = doc;
  for (const part of ref.slice(1).split('/')) {
    if (!part) continue;
    if (!isMap(cur) || !isMap(cur[part])) return undefined;
    cur = cur[part];
  }
  return cur as Schema;
}

/** A map-valued additionalProperties (a boolean one does not count). */
const mapValues = (s: Schema): Schema | undefined => (isMap(s.additionalProperties) && truthy(s.additionalProperties) ? s.additionalProperties : undefined);
const items = (s: Schema): Schema | undefined => (isMap(s.items) && truthy(s.items) ? s.items : undefined);
const allOf = (s: Schema): Schema[] => (Array.isArray(s.allOf) ? s.allOf.filter(isMap) : []);
const properties = (s: Schema): Record<string, Schema> => (isMap(s.properties) ? (s.properties as Record<string, Schema>) : {});

/**
 * mitchellh/go-wordwrap WrapString (kubectl's term.NewWordWrapWriter): breaks at white space so
 * that lines stay within `lim`, keeps existing line breaks, never splits a word.
 */
export function wrapString(s: string, lim: number): string {
  let out = '';
  let current = 0;
  let word = '';
  let space = '';
  for (const ch of s) {
    if (ch === '\n') {
      if (word.length === 0) {
        if (current + space.length > lim) current = 0;
        else out += space;
      } else out += space + word;
      space = '';
      word = '';
      out += ch;
      current = 0;
    } else if (/\s/.test(ch)) {
      if (space.length === 0 || word.length > 0) {
        current += space.length + word.length;
        out += space + word;
        space = '';
        word = '';
      }
      space += ch;
    } else {
      word += ch;
      if (current + space.length + word.length > lim && word.length < lim) {
        out += '\n';
        current = 0;
        space = '';
      }
    }
  }
  if (word.length === 0) {
    if (current + space.length <= lim) out += space;
  } else out += space + word;
  return out;
}

/** funcs.go indent: the pad before the text and after each of its line breaks. */
function indent(amount: number, s: string): string {
  const pad = ' '.repeat(amount);
  return pad + s.split('\n').join(`\n${pad}`);
}

/** The "typeGuess" template: string, Object, []Object, map[string]string, a ref's type name. */
function typeGuess(s: Schema, doc: Doc): string {
  const it = items(s);
  if (it) return `[]${typeGuess(it, doc)}`;
  const ap = mapValues(s);
  if (ap) return `map[string]${typeGuess(ap, doc)}`;
  const all = allOf(s);
  if (all.length === 1 && !truthy(s.properties)) return typeGuess(all[0], doc);
  const ref = s.$ref;
  if (typeof ref === 'string' && ref) {
    const target = resolveRef(ref, doc);
    if (!target || !truthy(target.type) || target.type === 'object') return ref.split('/').pop()!.split('.').pop() || 'Object';
    return String(target.type);
  }
  return s.type === 'object' ? 'Object' : truthy(s.type) ? String(s.type) : 'Object';
}

/** The "extractEnum" template: `ENUM:` one per line (long view) or `enum: a, b, c, d, ....` (field lists). */
function extractEnum(s: Schema, long: boolean, limit: number, indentAmount = 0): string {
  if (!Array.isArray(s.enum) || s.enum.length === 0) return '';
  let out = long ? 'ENUM:' : `\n${' '.repeat(indentAmount)}enum: `;
  for (const [i, e] of s.enum.entries()) {
    if (limit > -1 && i >= limit) {
      out += ', ....';
      break;
    }
    if (i > 0 && !long) out += ', ';
    else if (long) out += '\n    ';
    out += e === '' ? '""' : String(e);
  }
  return out;
}

/** The "description" template: the schema's description, then its allOf's, items' and values' ones. */
function description(s: Schema, doc: Doc): string {
  const r = resolveRef(s.$ref, doc) ?? s;
  let out = truthy(r.description) ? `${String(r.description)}\n` : '';
  for (const a of allOf(r)) out += description(a, doc);
  const it = items(r);
  if (it) out += description(it, doc);
  const ap = mapValues(r);
  if (ap) out += description(ap, doc);
  return out;
}

/** The "externalDocs" template (under DESCRIPTION). */
function externalDocs(s: Schema): string {
  const ed = isMap(s.externalDocs) ? s.externalDocs : undefined;
  if (!ed) return '';
  let out = 'EXTERNAL DOCS:\n';
  if (truthy(ed.description)) out += `${indent(4, wrapString(String(ed.description), 76))}\n`;
  if (truthy(ed.url)) out += `${indent(4, `URL: ${String(ed.url)}`)}\n`;
  return out;
}

/** The "fieldDetail" template: `name<TAB><type> -required-` and, unless short, the wrapped description. */
function fieldDetail(name: string, parent: Schema, short: boolean, level: number, doc: Doc): string {
  const ind = level * 2;
  const field = properties(parent)[name];
  const required = Array.isArray(parent.required) && parent.required.includes(name);
  let out = `${indent(ind, name)}\t<${typeGuess(field, doc)}>${required ? ' -required-' : ''}${extractEnum(field, false, 4, ind)}\n`;
  if (!short) {
    out += `${indent(ind + 2, wrapString(truthy(field.description) ? String(field.description) : '<no description>', 78 - ind))}\n`;
    if (isMap(field.externalDocs)) {
      out += `${indent(ind + 2, 'EXTERNAL DOCS:')}\n`;
      if (truthy(field.externalDocs.description)) out += `${indent(ind + 4, wrapString(String(field.externalDocs.description), 76 - ind))}\n`;
      if (truthy(field.externalDocs.url)) out += `${indent(ind + 4, `URL: ${String(field.externalDocs.url)}`)}\n`;
    }
    out += '\n';
  }
  return out;
}

/** The "fieldList" template: every property (sorted), recursing into refs, allOf, items and values; cycles end. */
function fieldList(s: Schema, level: number, history: ReadonlySet<string>, doc: Doc, recursive: boolean): string {
  const ref = typeof s.$ref === 'string' ? s.$ref : '';
  if (ref && history.has(ref)) return '';
  const next = new Set(history).add(ref);
  const r = resolveRef(ref, doc) ?? s;
  let out = '';
  const props = properties(r);
  for (const name of Object.keys(props).sort()) {
    out += fieldDetail(name, r, recursive, level, doc);
    if (recursive) out += fieldList(props[name], level + 1, next, doc, recursive);
  }
  for (const a of allOf(r)) out += fieldList(a, level, next, doc, recursive);
  const it = items(r);
  if (it) out += fieldList(it, level, next, doc, recursive);
  const ap = mapValues(r);
  if (ap) out += fieldList(ap, level, next, doc, recursive);
  return out;
}

/** The "output" template: follow the field path, then FIELD/DESCRIPTION/FIELDS; '' when a field does not exist. */
function output(s: Schema, history: ReadonlySet<string>, doc: Doc, path: readonly string[], recursive: boolean): string {
  const ref = typeof s.$ref === 'string' ? s.$ref : '';
  const next = new Set(history).add(ref);
  const r = resolveRef(ref, doc) ?? s;
  if (path.length === 0) {
    let out = `DESCRIPTION:\n${indent(4, wrapString(description(r, doc) || '<empty>', 76))}\n`;
    const docs = externalDocs(r);
    if (docs) out += `\n${docs}`;
    const fields = fieldList(r, 1, new Set(), doc, recursive);
    if (fields) out += `FIELDS:\n${fields}`;
    return out;
  }
  if (ref && history.has(ref)) return '';
  const sub = properties(r)[path[0]];
  if (truthy(r.properties) && truthy(sub)) {
    const head = path.length === 1 ? `FIELD: ${path[0]} <${typeGuess(sub, doc)}>\n${extractEnum(sub, true, -1)}\n\n` : '';
    return head + output(sub, new Set(), doc, path.slice(1), recursive);
  }
  const it = items(r);
  if (it) return output(it, next, doc, path, recursive);
  const ap = mapValues(r);
  if (ap) return output(ap, next, doc, path, recursive);
  for (const a of allOf(r)) {
    const o = output(a, next, doc, path, recursive);
    if (o) return o;
  }
  return '';
}

function gvPath(group: string, version: string): string {
  return group ? `apis/${group}/${version}` : `api/${version}`;
}

async function run(k: Kctx, args: string[]): Promise<number> {
  const { ctx, flags } = k;
  if (args.length === 0) return err(ctx, 'error: You must specify the type of resource to explain. Use "kubectl api-resources" for a complete list of supported resources.');
  if (args.length > 1) return err(ctx, 'error: We accept only this format: explain RESOURCE');
  const format = flags.string('output');
  if (format !== 'plaintext' && format !== 'plaintext-openapiv2') return err(ctx, `error: unrecognized format: ${format}`);
  // explain.SplitAndParseResourceRequest: the resource before the first dot, then the field path
  const [name, ...path] = args[0].split('.');
  const found = resolveResource(name);
  if (!found) return err(ctx, `the server doesn't have a resource type "${name}"`);
  // the v2 template needs /openapi/v2, which this apiserver does not serve (nor do current clusters by default)
  if (format === 'plaintext-openapiv2') return err(ctx, 'Error from server (NotFound): the server could not find the requested resource');
  let r: ResourceKind = found;
  let version = found.versions[0];
  const apiVersion = flags.string('api-version');
  if (apiVersion) {
    const slash = apiVersion.indexOf('/');
    const group = slash < 0 ? '' : apiVersion.slice(0, slash);
    version = slash < 0 ? apiVersion : apiVersion.slice(slash + 1);
    const served = KINDS.find((x) => x.group === group && x.plural === found.plural && x.versions.includes(version));
    if (!served) return err(ctx, `error: couldn't find resource for "${group}/${version}, Resource=${found.plural}"`);
    r = served;
  }
  const text = ctx.openApi?.(gvPath(r.group, version));
  if (text === undefined) return err(ctx, 'error: failed to fetch the OpenAPI schemas: the schemas are not loaded in this sandbox (it was started without validation)');
  const doc = JSON.parse(text) as Doc;
  const schemas = doc.components?.schemas ?? {};
  const schema = Object.values(schemas).find((s) => {
    const gvks = s['x-kubernetes-group-version-kind'];
    return Array.isArray(gvks) && gvks.some((g) => isMap(g) && g.group === r.group && g.version === version && g.kind === r.kind);
  });
  const header = `${r.group ? `GROUP:      ${r.group}\n` : ''}KIND:       ${r.kind}\nVERSION:    ${version}\n\n`;
  if (!schema) return err(ctx, `error: GVK ${r.group}/${version}, Kind=${r.kind} not found in OpenAPI schema`);
  const body = output(schema, new Set(), doc, path, flags.bool('recursive'));
  ctx.out(header);
  if (!body) return err(ctx, `error: field "${path[path.length - 1]}" does not exist`);
  ctx.out(`${body}\n`);
  return 0;
}

export const explainCommand: KubectlCommand = {
  name: 'explain',
  short: 'Get documentation for a resource',
  usage: 'kubectl explain TYPE [--recursive=FALSE|TRUE] [--api-version=api-version-group] [--output=plaintext|plaintext-openapiv2] [options]',
  flags: FLAGS,
  run,
};
