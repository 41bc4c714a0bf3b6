/**
 * A learner's edits, kept per lesson and manifest block in localStorage across reloads.
 *
 * One key per block: `istio-practicum:manifest-edit:v1:<lesson path>:<file>` holding a
 * StoredEdit. A block whose text equals the vetted manifest has no key (not edited). The hash
 * of the vetted text at the time of the edit tells the block when the course has since changed
 * the manifest under the learner's edit.
 */

/** The part of the Web Storage API used here (a Map-backed fake in tests). */
export interface StorageLike {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
  key(index: number): string | null;
  readonly length: number;
}

export interface StoredEdit {
  v: 1;
  text: string;
  /** hashText() of the vetted manifest the edit started from. */
  vettedHash: string;
  /** Date.now() of the last save. */
  savedAt: number;
}

export type SaveResult = {ok: true; removed?: boolean} | {ok: false; reason: 'quota' | 'unavailable'};

import {EDIT_PREFIX as PREFIX, editKey, normalizeLesson} from './editKey';

export {editKey, normalizeLesson};

const BACKUP_PREFIX = 'istio-practicum:manifest-backup:v1:';

function backupKey(lesson: string, file: string): string {
  return `${BACKUP_PREFIX}${normalizeLesson(lesson)}:${file}`;
}

/** FNV-1a, 32 bit, hex: enough to notice that a vetted manifest changed. */
export function hashText(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i += 1) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0).toString(16).padStart(8, '0');
}

function isStoredEdit(value: unknown): value is StoredEdit {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return v.v === 1 && typeof v.text === 'string' && typeof v.vettedHash === 'string' && typeof v.savedAt === 'number';
}

function read(storage: StorageLike | undefined, key: string): StoredEdit | null {
  if (!storage) return null;
  let raw: string | null;
  try {
    raw = storage.getItem(key);
  } catch {
    return null;
  }
  if (raw === null) return null;
  try {
    const parsed: unknown = JSON.parse(raw);
    return isStoredEdit(parsed) ? parsed : null;
  } catch {
    return null;
  }
}

function isQuotaError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  return error.name === 'QuotaExceededError' || error.name === 'NS_ERROR_DOM_QUOTA_REACHED' || /quota/i.test(error.message);
}

function write(storage: StorageLike | undefined, key: string, value: StoredEdit): SaveResult {
  if (!storage) return {ok: false, reason: 'unavailable'};
  try {
    storage.setItem(key, JSON.stringify(value));
    return {ok: true};
  } catch (error) {
    return {ok: false, reason: isQuotaError(error) ? 'quota' : 'unavailable'};
  }
}

function remove(storage: StorageLike | undefined, key: string): void {
  try {
    storage?.removeItem(key);
  } catch {
    // Storage disabled: nothing was kept either.
  }
}

export function loadEdit(storage: StorageLike | undefined, lesson: string, file: string): StoredEdit | null {
  return read(storage, editKey(lesson, file));
}

/**
 * What a block finds in storage when the lesson opens: `ok` (an edit, or none), `repaired` (the
 * record was damaged but its text was readable: kept, the record rewritten), or `discarded`
 * (unreadable: removed). Anything may have written the key (an older build, an extension).
 */
export type EditInspection = {edit: StoredEdit | null; state: 'ok' | 'repaired' | 'discarded'};

export function inspectEdit(storage: StorageLike | undefined, lesson: string, file: string, vetted: string, now: number = Date.now()): EditInspection {
  const key = editKey(lesson, file);
  let raw: string | null = null;
  try {
    raw = storage?.getItem(key) ?? null;
  } catch {
    return {edit: null, state: 'ok'};
  }
  if (raw === null) return {edit: null, state: 'ok'};
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    parsed = undefined;
  }
  if (isStoredEdit(parsed)) return {edit: parsed, state: 'ok'};
  const text = typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>).text : undefined;
  if (typeof text === 'string') {
    const edit: StoredEdit = {v: 1, text, vettedHash: hashText(vetted), savedAt: now};
    write(storage, key, edit);
    return {edit, state: 'repaired'};
  }
  remove(storage, key);
  return {edit: null, state: 'discarded'};
}

/**
 * Keeps `text` as the block's edit, or forgets the edit when the text is the vetted manifest
 * again. A failed save (quota, storage disabled) leaves any older saved edit untouched: the
 * caller keeps the text in memory and tells the learner.
 */
export function saveEdit(
  storage: StorageLike | undefined,
  lesson: string,
  file: string,
  text: string,
  vetted: string,
  now: number = Date.now(),
): SaveResult {
  const key = editKey(lesson, file);
  if (text === vetted) {
    remove(storage, key);
    return {ok: true, removed: true};
  }
  const previous = read(storage, key);
  // An edit keeps the vetted version it started from, so a later course update is noticed.
  const vettedHash = previous?.vettedHash ?? hashText(vetted);
  return write(storage, key, {v: 1, text, vettedHash, savedAt: now});
}

export function clearEdit(storage: StorageLike | undefined, lesson: string, file: string): void {
  remove(storage, editKey(lesson, file));
}

/** Files of a lesson that have a saved edit. */
export function editedFiles(storage: StorageLike | undefined, lesson: string): string[] {
  if (!storage) return [];
  const prefix = `${PREFIX}${normalizeLesson(lesson)}:`;
  const out: string[] = [];
  try {
    for (let i = 0; i < storage.length; i += 1) {
      const key = storage.key(i);
      if (key?.startsWith(prefix)) out.push(key.slice(prefix.length));
    }
  } catch {
    return [];
  }
  return out.sort();
}

/** True when the vetted manifest changed after the learner started editing it. */
export function vettedChangedSince(edit: StoredEdit, vetted: string): boolean {
  return edit.vettedHash !== hashText(vetted);
}

/**
 * The learner's own edit, set aside when a shared link replaces it, so that opening someone
 * else's link never destroys work.
 */
export function saveBackup(storage: StorageLike | undefined, lesson: string, file: string, edit: StoredEdit): SaveResult {
  return write(storage, backupKey(lesson, file), edit);
}

export function loadBackup(storage: StorageLike | undefined, lesson: string, file: string): StoredEdit | null {
  return read(storage, backupKey(lesson, file));
}

export function clearBackup(storage: StorageLike | undefined, lesson: string, file: string): void {
  remove(storage, backupKey(lesson, file));
}

/** window.localStorage when it exists and works (private modes may throw on access). */
export function browserStorage(): StorageLike | undefined {
  try {
    if (typeof window === 'undefined') return undefined;
    return window.localStorage ?? undefined;
  } catch {
    return undefined;
  }
}

/** A Map-backed StorageLike with an optional size limit, for tests and for when storage is off. */
export function memoryStorage(limitChars = Infinity): StorageLike {
  const map = new Map<string, string>();
  const used = () => [...map].reduce((sum, [k, v]) => sum + k.length + v.length, 0);
  return {
    getItem: (key) => map.get(key) ?? null,
    setItem: (key, value) => {
      const before = map.get(key);
      const size = used() - (before === undefined ? 0 : key.length + before.length) + key.length + value.length;
      if (size > limitChars) {
        const error = new Error('The quota has been exceeded.');
        error.name = 'QuotaExceededError';
        throw error;
      }
      map.set(key, value);
    },
    removeItem: (key) => {
      map.delete(key);
    },
    key: (index) => [...map.keys()][index] ?? null,
    get length() {
      return map.size;
    },
  };
}
