/** Paths into a value (`path`, `del`, `=`, `|=`, `+=`…): setting and deleting along one (jv_aux.c jv_setpath, jv_delpaths). */
import { kind, type JObject, type Json } from './json';
import { index, JqError } from './values';

export type Path = (string | number | JObject)[];

export function setPath(root: Json, path: Path, value: Json): Json {
  if (path.length === 0) return value;
  const [k, ...rest] = path;
  if (typeof k === 'string') {
    if (root !== null && !(root instanceof Map)) throw new JqError(`Cannot index ${kind(root)} with "${k}"`);
    const m = new Map(root ?? []);
    m.set(k, setPath(m.get(k) ?? null, rest, value));
    return m;
  }
  if (typeof k === 'number') {
    if (root !== null && !Array.isArray(root)) throw new JqError(`Cannot index ${kind(root)} with number`);
    const a = [...(root ?? [])];
    const i = k < 0 ? a.length + k : k;
    if (i < 0) throw new JqError('Out of bounds negative array index');
    while (a.length < i) a.push(null);
    a[i] = setPath(a[i] ?? null, rest, value);
    return a;
  }
  throw new JqError('Cannot update field at object index of array');
}

export function delPath(root: Json, path: Path): Json {
  if (root === null) return null;
  const [k, ...rest] = path;
  if (rest.length) {
    const sub = index(root, k as Json);
    return sub === null ? root : setPath(root, [k], delPath(sub, rest));
  }
  if (root instanceof Map && typeof k === 'string') {
    const m = new Map(root);
    m.delete(k);
    return m;
  }
  if (Array.isArray(root) && typeof k === 'number') return root.filter((_, i) => i !== (k < 0 ? root.length + k : k));
  throw new JqError(`Cannot delete field at ${kind(k as Json)} index of ${kind(root)}`);
}
