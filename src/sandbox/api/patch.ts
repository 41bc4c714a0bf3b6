/**
 * The three PATCH bodies the apiserver accepts besides server-side apply:
 *
 *   application/json-patch+json            RFC 6902 operations (evanphx/json-patch)
 *   application/merge-patch+json           RFC 7386 merge (the only one for custom resources)
 *   application/strategic-merge-patch+json strategic merge: lists merged by their merge key
 *                                          (k8s.io/apimachinery/pkg/util/strategicpatch)
 *
 * Each function returns the patched object or a PatchError whose message the apiserver puts
 * in its Status. Inputs are never mutated.
 */
import { deepClone, isRecord } from './types';

export class PatchError extends Error {}

type Json = unknown;
type Obj = Record<string, unknown>;

// ---- RFC 7386 merge patch --------------------------------------------------------------

export function mergePatch(target: Json, patch: Json): Json {
  if (!isRecord(patch)) return deepClone(patch);
  const out: Obj = isRecord(target) ? { ...target } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = mergePatch(out[k], v);
  }
  return out;
}

// ---- RFC 6902 JSON patch ---------------------------------------------------------------

interface Op {
  op: string;
  path: string;
  from?: string;
  value?: unknown;
}

function pointer(path: string): string[] {
  if (path === '') return [];
  if (!path.startsWith('/')) throw new PatchError(`JSON pointer "${path}" does not start with "/"`);
  return path
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function parentOf(doc: Json, parts: string[], op: string, path: string): { parent: Obj | unknown[]; key: string } {
  let cur: unknown = doc;
  for (const p of parts.slice(0, -1)) {
    if (Array.isArray(cur)) cur = cur[Number(p)];
    else if (isRecord(cur)) cur = cur[p];
    else cur = undefined;
    if (cur === undefined || cur === null) throw new PatchError(`${op} operation does not apply: doc is missing path: "${path}": missing value`);
  }
  if (!Array.isArray(cur) && !isRecord(cur)) throw new PatchError(`${op} operation does not apply: doc is missing path: "${path}": missing value`);
  return { parent: cur, key: parts[parts.length - 1] };
}

function indexOf(arr: unknown[], key: string, op: string, allowEnd: boolean): number {
  if (key === '-' && allowEnd) return arr.length;
  if (!/^\d+$/.test(key)) throw new PatchError(`${op} operation does not apply: invalid array index: ${key}`);
  const i = Number(key);
  if (i > arr.length || (!allowEnd && i === arr.length)) throw new PatchError(`${op} operation does not apply: index out of bounds: ${i}`);
  return i;
}

function getAt(doc: Json, path: string, op: string): unknown {
  const parts = pointer(path);
  if (parts.length === 0) return doc;
  const { parent, key } = parentOf(doc, parts, op, path);
  const v = Array.isArray(parent) ? parent[indexOf(parent, key, op, false)] : parent[key];
  if (v === undefined) throw new PatchError(`${op} operation does not apply: doc is missing key: ${path}: missing value`);
  return v;
}

function removeAt(doc: Json, path: string, op: string): unknown {
  const parts = pointer(path);
  const { parent, key } = parentOf(doc, parts, op, path);
  if (Array.isArray(parent)) return parent.splice(indexOf(parent, key, op, false), 1)[0];
  if (!(key in parent)) throw new PatchError(`${op} operation does not apply: doc is missing key: ${path}: missing value`);
  const v = parent[key];
  delete parent[key];
  return v;
}

function addAt(doc: Json, path: string, value: unknown, op: string): Json {
  const parts = pointer(path);
  if (parts.length === 0) return value;
  const { parent, key } = parentOf(doc, parts, op, path);
  if (Array.isArray(parent)) parent.splice(indexOf(parent, key, op, true), 0, value);
  else parent[key] = value;
  return doc;
}

export function jsonPatch(target: Json, ops: unknown): Json {
  if (!Array.isArray(ops)) throw new PatchError('json: cannot unmarshal object into Go value of type jsonpatch.Patch');
  let doc = deepClone(target);
  for (const raw of ops) {
    if (!isRecord(raw) || typeof raw.op !== 'string') throw new PatchError('Unexpected kind: unknown');
    const o = raw as unknown as Op;
    if (typeof o.path !== 'string') throw new PatchError(`${o.op} operation does not apply: doc is missing path: ""`);
    switch (o.op) {
      case 'add':
        doc = addAt(doc, o.path, deepClone(o.value), 'add');
        break;
      case 'remove':
        removeAt(doc, o.path, 'remove');
        break;
      case 'replace':
        getAt(doc, o.path, 'replace');
        if (pointer(o.path).length === 0) doc = deepClone(o.value);
        else {
          removeAt(doc, o.path, 'replace');
          doc = addAt(doc, o.path, deepClone(o.value), 'replace');
        }
        break;
      case 'move': {
        const v = removeAt(doc, o.from ?? '', 'move');
        doc = addAt(doc, o.path, v, 'move');
        break;
      }
      case 'copy':
        doc = addAt(doc, o.path, deepClone(getAt(doc, o.from ?? '', 'copy')), 'copy');
        break;
      case 'test':
        if (JSON.stringify(getAt(doc, o.path, 'test')) !== JSON.stringify(o.value)) throw new PatchError(`testing value ${o.path} failed: test failed`);
        break;
      default:
        throw new PatchError(`Unexpected kind: ${o.op}`);
    }
  }
  return doc;
}

// ---- strategic merge patch --------------------------------------------------------------

/**
 * The patch strategy of a list field of the built-in kinds: `{ key }` merges items by that key
 * (patchMergeKey in k8s.io/api's struct tags), 'set' merges a list of scalars as a set,
 * undefined replaces the list. `path` is the chain of field names from the object's root.
 */
export function listStrategy(path: readonly string[], field: string): { key: string } | 'set' | undefined {
  const parent = path[path.length - 1];
  switch (field) {
    case 'containers':
    case 'initContainers':
    case 'ephemeralContainers':
    case 'volumes':
    case 'imagePullSecrets':
    case 'env':
    case 'resourceClaims':
    case 'schedulingGates':
      return { key: 'name' };
    case 'volumeMounts':
      return { key: 'mountPath' };
    case 'volumeDevices':
      return { key: 'devicePath' };
    case 'hostAliases':
      return { key: 'ip' };
    case 'topologySpreadConstraints':
      return { key: 'topologyKey' };
    case 'ownerReferences':
      return parent === 'metadata' ? { key: 'uid' } : undefined;
    case 'finalizers':
      return parent === 'metadata' ? 'set' : undefined;
    case 'conditions':
      return parent === 'status' ? { key: 'type' } : undefined;
    case 'addresses':
      return parent === 'status' ? { key: 'type' } : undefined;
    case 'ports':
      // core/v1 Container.ports (containerPort) and ServiceSpec.ports (port)
      if (path.includes('containers') || path.includes('initContainers') || path.includes('ephemeralContainers')) return { key: 'containerPort' };
      if (parent === 'spec' && path.length === 1) return { key: 'port' };
      return undefined;
    default:
      return undefined;
  }
}

const DIRECTIVE = '$patch';
const SET_ORDER = '$setElementOrder/';
const DELETE_FROM = '$deleteFromPrimitiveList/';
const RETAIN_KEYS = '$retainKeys';

export function strategicMergePatch(target: Json, patch: Json): Json {
  if (!isRecord(patch)) throw new PatchError('Unable to strategic merge patch: the patch is not a JSON object');
  return mergeMap(isRecord(target) ? target : {}, patch, []);
}

function mergeMap(orig: Obj, patch: Obj, path: string[]): Obj | undefined {
  const directive = patch[DIRECTIVE];
  if (directive === 'delete') return undefined;
  if (directive === 'replace') {
    const r: Obj = {};
    for (const [k, v] of Object.entries(patch)) if (k !== DIRECTIVE) r[k] = stripDirectives(v);
    return r;
  }
  if (directive !== undefined) throw new PatchError(`Unknown patch type: ${String(directive)}`);
  let out: Obj = { ...orig };
  const retain = patch[RETAIN_KEYS];
  if (Array.isArray(retain)) {
    const keep = new Set(retain.map(String));
    out = Object.fromEntries(Object.entries(out).filter(([k]) => keep.has(k) || k in patch));
  }
  // primitive deletions and element order first, then the fields
  for (const [k, v] of Object.entries(patch)) {
    if (k.startsWith(DELETE_FROM)) {
      const field = k.slice(DELETE_FROM.length);
      const drop = new Set((Array.isArray(v) ? v : []).map((x) => JSON.stringify(x)));
      if (Array.isArray(out[field])) out[field] = (out[field] as unknown[]).filter((x) => !drop.has(JSON.stringify(x)));
    }
  }
  for (const [k, v] of Object.entries(patch)) {
    if (k === DIRECTIVE || k === RETAIN_KEYS || k.startsWith(SET_ORDER) || k.startsWith(DELETE_FROM)) continue;
    if (v === null) {
      delete out[k];
      continue;
    }
    if (isRecord(v)) {
      const m = mergeMap(isRecord(out[k]) ? (out[k] as Obj) : {}, v, [...path, k]);
      if (m === undefined) delete out[k];
      else out[k] = m;
      continue;
    }
    if (Array.isArray(v)) {
      out[k] = mergeList(Array.isArray(out[k]) ? (out[k] as unknown[]) : [], v, path, k);
      continue;
    }
    out[k] = v;
  }
  for (const [k, v] of Object.entries(patch)) {
    if (!k.startsWith(SET_ORDER)) continue;
    const field = k.slice(SET_ORDER.length);
    if (Array.isArray(out[field]) && Array.isArray(v)) out[field] = reorder(out[field] as unknown[], v, listStrategy(path, field));
  }
  return out;
}

function mergeList(orig: unknown[], patch: unknown[], path: string[], field: string): unknown[] {
  if (patch.some((x) => isRecord(x) && x[DIRECTIVE] === 'replace')) return patch.filter((x) => !(isRecord(x) && x[DIRECTIVE] === 'replace')).map(stripDirectives);
  const strategy = listStrategy(path, field);
  if (strategy === undefined) return patch.map(stripDirectives);
  if (strategy === 'set') {
    const seen = new Set(orig.map((x) => JSON.stringify(x)));
    return [...orig, ...patch.filter((x) => !seen.has(JSON.stringify(x)))];
  }
  const key = strategy.key;
  const out = [...orig];
  for (const item of patch) {
    if (!isRecord(item)) throw new PatchError(`merging an object in json but data type is not struct, instead is: ${typeof item}`);
    const i = out.findIndex((x) => isRecord(x) && x[key] === item[key]);
    if (item[DIRECTIVE] === 'delete') {
      if (i >= 0) out.splice(i, 1);
      continue;
    }
    if (item[key] === undefined) throw new PatchError(`map: ${JSON.stringify(item)} does not contain declared merge key: ${key}`);
    if (i >= 0) out[i] = mergeMap(out[i] as Obj, item, [...path, field]) ?? out[i];
    else out.push(mergeMap({}, item, [...path, field]));
  }
  return out;
}

/** $setElementOrder: the patch's order for the items it names; the others keep their place after them. */
function reorder(items: unknown[], order: unknown[], strategy: { key: string } | 'set' | undefined): unknown[] {
  const id = (x: unknown): string => (strategy && strategy !== 'set' && isRecord(x) ? JSON.stringify(x[strategy.key]) : JSON.stringify(x));
  const wanted = order.map(id);
  const ranked = items.map((x, i) => ({ x, i, r: wanted.indexOf(id(x)) }));
  ranked.sort((a, b) => (a.r < 0 ? Infinity : a.r) - (b.r < 0 ? Infinity : b.r) || a.i - b.i);
  return ranked.map((e) => e.x);
}

function stripDirectives(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(stripDirectives);
  if (!isRecord(v)) return v;
  const out: Obj = {};
  for (const [k, x] of Object.entries(v)) if (k !== DIRECTIVE && k !== RETAIN_KEYS && !k.startsWith(SET_ORDER) && !k.startsWith(DELETE_FROM)) out[k] = stripDirectives(x);
  return out;
}
