/**
 * Field ownership (metadata.managedFields) and server-side apply, after
 * sigs.k8s.io/structured-merge-diff as the apiserver uses it
 * (k8s.io/apiserver/pkg/endpoints/handlers/fieldmanager):
 *
 *  - every write that names a field manager records the fields it set, as a FieldsV1 tree
 *    (`{"f:spec":{"f:replicas":{}}}`; list items by merge key: `k:{"name":"web"}`);
 *  - an apply (PATCH application/apply-patch+yaml) merges the applied configuration into the
 *    live object, removes the fields the same manager applied before and no longer does, and
 *    fails with a Conflict when it would change a field another manager owns, unless forced.
 *
 * Simplified: ownership is tracked per leaf field; atomic lists are one leaf; the status of
 * kinds with a status subresource is left to their controllers.
 */
import { listStrategy } from './patch';
import { deepClone, isRecord, jsonEqual, type KubeObject } from './types';

type Obj = Record<string, unknown>;

export interface ManagedFieldsEntry {
  manager: string;
  operation: 'Apply' | 'Update';
  apiVersion: string;
  time: string;
  fieldsType: 'FieldsV1';
  fieldsV1: Obj;
  subresource?: string;
}

/** One path element of FieldsV1: `f:name`, `k:{"name":"c"}`, `v:"x"`, or `.` (the node itself). */
type PathEl = string;

/** Fields of the object that ownership is tracked for (not identity, not system metadata, not status). */
const SKIP_TOP = new Set(['apiVersion', 'kind', 'status']);
const SKIP_META = new Set(['name', 'namespace', 'uid', 'resourceVersion', 'generation', 'creationTimestamp', 'deletionTimestamp', 'managedFields', 'selfLink', 'generateName']);

/**
 * Every owned path of an object: leaves, list items (`.`), and for an update also the maps it
 * wrote (`.`: an updater that created a map owns it; an applier owns only what it sets).
 */
export function fieldPaths(obj: KubeObject, apply = false): PathEl[][] {
  const out: PathEl[][] = [];
  const walk = (v: unknown, names: string[], path: PathEl[], field: string): void => walkValue(v, names, path, field, out, apply);
  for (const [k, v] of Object.entries(obj)) {
    if (SKIP_TOP.has(k) || v === undefined) continue;
    if (k === 'metadata' && isRecord(v)) {
      for (const [mk, mv] of Object.entries(v)) if (!SKIP_META.has(mk) && mv !== undefined) walk(mv, ['metadata'], [`f:metadata`, `f:${mk}`], mk);
      continue;
    }
    walk(v, [], [`f:${k}`], k);
  }
  return out;
}

function walkValue(v: unknown, names: string[], path: PathEl[], field: string, out: PathEl[][], apply: boolean): void {
  const walk = (x: unknown, n: string[], p: PathEl[], f: string, o: PathEl[][]): void => walkValue(x, n, p, f, o, apply);
  if (Array.isArray(v)) {
    const strategy = listStrategy(names, field);
    if (strategy === undefined || v.length === 0) {
      out.push(path);
      return;
    }
    for (const item of v) {
      if (strategy === 'set' || !isRecord(item)) {
        out.push([...path, `v:${JSON.stringify(item)}`]);
        continue;
      }
      const el = [...path, `k:${JSON.stringify({ [strategy.key]: item[strategy.key] })}`];
      out.push([...el, '.']);
      for (const [k, x] of Object.entries(item)) if (x !== undefined) walk(x, [...names, field], [...el, `f:${k}`], k, out);
    }
    return;
  }
  if (isRecord(v)) {
    const entries = Object.entries(v).filter(([, x]) => x !== undefined);
    // maps of strings (labels, annotations, data, selectors) own themselves too
    if (entries.length === 0 || (!apply && entries.every(([, x]) => typeof x === 'string'))) out.push([...path, '.']);
    for (const [k, x] of entries) walk(x, [...names, field], [...path, `f:${k}`], k, out);
    return;
  }
  out.push(path);
}

const keyOf = (p: PathEl[]): string => p.join('\u0000');

export function toFieldsV1(paths: PathEl[][]): Obj {
  const root: Obj = {};
  for (const p of paths) {
    let cur = root;
    for (const el of p) {
      if (!isRecord(cur[el])) cur[el] = {};
      cur = cur[el] as Obj;
    }
  }
  return root;
}

export function fromFieldsV1(tree: unknown, prefix: PathEl[] = [], out: PathEl[][] = []): PathEl[][] {
  if (!isRecord(tree)) return out;
  const keys = Object.keys(tree);
  if (keys.length === 0 && prefix.length) out.push(prefix);
  for (const k of keys) fromFieldsV1(tree[k], [...prefix, k], out);
  return out;
}

/** The value at a FieldsV1 path ('.' ends the walk at the node). */
function valueAt(obj: unknown, path: PathEl[]): unknown {
  let cur: unknown = obj;
  for (const el of path) {
    if (el === '.') return cur;
    if (el.startsWith('f:')) cur = isRecord(cur) ? cur[el.slice(2)] : undefined;
    else if (el.startsWith('k:')) {
      const want = JSON.parse(el.slice(2)) as Obj;
      cur = Array.isArray(cur) ? cur.find((x) => isRecord(x) && Object.entries(want).every(([k, v]) => x[k] === v)) : undefined;
    } else if (el.startsWith('v:')) {
      const want = el.slice(2);
      cur = Array.isArray(cur) ? cur.find((x) => JSON.stringify(x) === want) : undefined;
    }
    if (cur === undefined) return undefined;
  }
  return cur;
}

/** Removes the value at a path (a map key, a keyed list item or a set member). */
function removeAt(obj: Obj, path: PathEl[]): void {
  const p = path[path.length - 1] === '.' ? path.slice(0, -1) : path;
  const parent = valueAt(obj, p.slice(0, -1));
  const last = p[p.length - 1];
  if (last.startsWith('f:') && isRecord(parent)) delete parent[last.slice(2)];
  else if (Array.isArray(parent)) {
    const i = parent.findIndex((x) => valueAt([x], [last]) !== undefined);
    if (i >= 0) parent.splice(i, 1);
  }
}

/** `.spec.containers[name="web"].image`: how the apiserver names a field in a conflict. */
export function describePath(path: PathEl[]): string {
  let s = '';
  for (const el of path) {
    if (el === '.') continue;
    if (el.startsWith('f:')) s += `.${el.slice(2)}`;
    else if (el.startsWith('k:')) s += `[${Object.entries(JSON.parse(el.slice(2)) as Obj).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(',')}]`;
    else if (el.startsWith('v:')) s += `[${el.slice(2)}]`;
  }
  return s;
}

function entriesOf(o: KubeObject): ManagedFieldsEntry[] {
  const mf = o.metadata.managedFields;
  return Array.isArray(mf) ? (mf.filter(isRecord) as unknown as ManagedFieldsEntry[]) : [];
}

function withEntry(entries: ManagedFieldsEntry[], e: ManagedFieldsEntry): ManagedFieldsEntry[] {
  const rest = entries.filter((x) => !(x.manager === e.manager && x.operation === e.operation && (x.subresource ?? '') === (e.subresource ?? '')));
  return [...rest, e].filter((x) => Object.keys(x.fieldsV1).length > 0);
}

/**
 * Ownership after an update (create, replace or a non-apply patch) by `manager`: it owns
 * what it added or changed; a field it removed or changed is no longer anyone else's.
 */
export function recordUpdate(old: KubeObject | undefined, next: KubeObject, manager: string, time: string): void {
  const before = old ? new Map(fieldPaths(old).map((p) => [keyOf(p), p])) : new Map<string, PathEl[]>();
  const after = fieldPaths(next);
  const afterKeys = new Set(after.map(keyOf));
  const changed = after.filter((p) => {
    if (p[p.length - 1] === '.') return !before.has(keyOf(p));
    return !before.has(keyOf(p)) || !jsonEqual(valueAt(old, p), valueAt(next, p));
  });
  const changedKeys = new Set(changed.map(keyOf));
  let entries = (old ? entriesOf(old) : entriesOf(next)).map((e) => {
    const keep = fromFieldsV1(e.fieldsV1).filter((p) => afterKeys.has(keyOf(p)) && !(e.manager !== manager && changedKeys.has(keyOf(p))));
    return { ...e, fieldsV1: toFieldsV1(keep) };
  });
  entries = entries.filter((e) => Object.keys(e.fieldsV1).length > 0);
  if (changed.length === 0 && !(old === undefined)) {
    next.metadata.managedFields = entries.length ? entries : undefined;
    return;
  }
  const mine = entries.find((e) => e.manager === manager && e.operation === 'Update' && !e.subresource);
  const owned = [...(mine ? fromFieldsV1(mine.fieldsV1) : []), ...changed];
  const uniq = new Map(owned.map((p) => [keyOf(p), p]));
  next.metadata.managedFields = withEntry(entries, {
    manager,
    operation: 'Update',
    apiVersion: next.apiVersion,
    time,
    fieldsType: 'FieldsV1',
    fieldsV1: toFieldsV1([...uniq.values()].filter((p) => afterKeys.has(keyOf(p)))),
  });
  if (!(next.metadata.managedFields as unknown[]).length) delete next.metadata.managedFields;
}

export interface ApplyConflict {
  manager: string;
  operation: 'Apply' | 'Update';
  apiVersion: string;
  field: string;
}

/**
 * Server-side apply of `applied` by `manager` onto `live` (undefined: the object is created).
 * Returns the new object (managedFields updated) or the conflicts.
 */
export function serverSideApply(
  live: KubeObject | undefined,
  applied: KubeObject,
  manager: string,
  force: boolean,
  time: string,
): { object: KubeObject } | { conflicts: ApplyConflict[] } {
  const appliedPaths = fieldPaths(applied, true);
  const appliedKeys = new Set(appliedPaths.map(keyOf));
  const base: KubeObject = live ? deepClone(live) : { apiVersion: applied.apiVersion, kind: applied.kind, metadata: {} };
  const entries = entriesOf(base);
  const conflicts: ApplyConflict[] = [];
  const updated = entries.map((e) => {
    if (e.manager === manager && e.operation === 'Apply') return e;
    const owned = fromFieldsV1(e.fieldsV1);
    const keep = owned.filter((p) => {
      if (!appliedKeys.has(keyOf(p)) || p[p.length - 1] === '.') return true;
      if (jsonEqual(valueAt(base, p), valueAt(applied, p))) return true; // shared ownership
      if (!force) conflicts.push({ manager: e.manager, operation: e.operation, apiVersion: e.apiVersion, field: describePath(p) });
      return false;
    });
    return { ...e, fieldsV1: toFieldsV1(keep) };
  });
  if (conflicts.length) return { conflicts };
  // fields this manager applied before and no longer applies, and nobody else owns, go away
  const previous = entries.find((e) => e.manager === manager && e.operation === 'Apply');
  const othersOwn = new Set(updated.filter((e) => !(e.manager === manager && e.operation === 'Apply')).flatMap((e) => fromFieldsV1(e.fieldsV1).map(keyOf)));
  const merged = mergeApplied(base, applied, []) as KubeObject;
  if (previous)
    for (const p of fromFieldsV1(previous.fieldsV1)) if (!appliedKeys.has(keyOf(p)) && !othersOwn.has(keyOf(p)) && p[p.length - 1] !== '.') removeAt(merged, p);
  merged.metadata.managedFields = withEntry(updated, { manager, operation: 'Apply', apiVersion: applied.apiVersion, time, fieldsType: 'FieldsV1', fieldsV1: toFieldsV1(appliedPaths) });
  return { object: merged };
}

/** The applied configuration merged into the live object: maps by key, keyed lists by merge key, the rest replaced. */
function mergeApplied(live: unknown, applied: unknown, names: string[], field = ''): unknown {
  if (isRecord(applied)) {
    const out: Obj = isRecord(live) ? { ...live } : {};
    for (const [k, v] of Object.entries(applied)) if (v !== undefined) out[k] = mergeApplied(out[k], v, field ? [...names, field] : names, k);
    return out;
  }
  if (Array.isArray(applied)) {
    const strategy = listStrategy(names, field);
    if (strategy === undefined || !Array.isArray(live)) return deepClone(applied);
    if (strategy === 'set') return [...live, ...applied.filter((x) => !live.some((y) => jsonEqual(x, y)))];
    const out = [...live];
    for (const item of applied) {
      const i = out.findIndex((x) => isRecord(x) && isRecord(item) && x[strategy.key] === item[strategy.key]);
      if (i >= 0) out[i] = mergeApplied(out[i], item, [...names, field]);
      else out.push(deepClone(item));
    }
    return out;
  }
  return applied;
}

/** The apiserver's Conflict message for an apply (fieldmanager's ConflictsToError wording). */
export function conflictMessage(conflicts: ApplyConflict[]): string {
  const n = conflicts.length;
  const head = `Apply failed with ${n} conflict${n === 1 ? '' : 's'}: `;
  const groups = new Map<string, string[]>();
  for (const c of conflicts) {
    const k = c.operation === 'Update' ? `"${c.manager}" using ${c.apiVersion}` : `"${c.manager}"`;
    groups.set(k, [...(groups.get(k) ?? []), c.field]);
  }
  if (n === 1) return `${head}conflict with ${[...groups.keys()][0]}: ${conflicts[0].field}`;
  return head + [...groups].map(([who, fields]) => `conflicts with ${who}:\n${fields.map((f) => `- ${f}`).join('\n')}`).join('\n');
}
