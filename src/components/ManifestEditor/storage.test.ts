import {describe, expect, it} from 'vitest';
import {
  clearBackup,
  clearEdit,
  editKey,
  editedFiles,
  hashText,
  inspectEdit,
  loadBackup,
  loadEdit,
  memoryStorage,
  normalizeLesson,
  saveBackup,
  saveEdit,
  vettedChangedSince,
} from './storage';

const lesson = '/docs/scenarios/ingress-service-a';
const file = 'ingress-service-a/virtual-service.yaml';
const vetted = 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: demo\n';

describe('storage of edits', () => {
  it('keys edits by lesson and block; a trailing slash is the same lesson', () => {
    expect(normalizeLesson('/docs/gateway/')).toBe('/docs/gateway');
    expect(normalizeLesson('/docs/gateway?x=1#top')).toBe('/docs/gateway');
    expect(normalizeLesson('/')).toBe('/');
    expect(editKey('/docs/gateway/', 'gateway/gateway.yaml')).toBe(editKey('/docs/gateway', 'gateway/gateway.yaml'));
    expect(editKey('/docs/a', 'x.yaml')).not.toBe(editKey('/docs/b', 'x.yaml'));
  });

  it('saves, loads and clears an edit', () => {
    const storage = memoryStorage();
    expect(loadEdit(storage, lesson, file)).toBeNull();
    expect(saveEdit(storage, lesson, file, `${vetted}# mine\n`, vetted, 1000)).toEqual({ok: true});
    expect(loadEdit(storage, lesson, file)).toEqual({v: 1, text: `${vetted}# mine\n`, vettedHash: hashText(vetted), savedAt: 1000});
    expect(editedFiles(storage, lesson)).toEqual([file]);
    expect(editedFiles(storage, '/docs/other')).toEqual([]);
    clearEdit(storage, lesson, file);
    expect(loadEdit(storage, lesson, file)).toBeNull();
  });

  it('forgets the edit when the text is the vetted manifest again', () => {
    const storage = memoryStorage();
    saveEdit(storage, lesson, file, 'changed', vetted);
    expect(saveEdit(storage, lesson, file, vetted, vetted)).toEqual({ok: true, removed: true});
    expect(loadEdit(storage, lesson, file)).toBeNull();
    expect(storage.length).toBe(0);
  });

  it('keeps the vetted hash the edit started from, to notice a course update', () => {
    const storage = memoryStorage();
    saveEdit(storage, lesson, file, 'edit 1', vetted);
    saveEdit(storage, lesson, file, 'edit 2', `${vetted}# updated by the course\n`);
    const edit = loadEdit(storage, lesson, file)!;
    expect(edit.text).toBe('edit 2');
    expect(vettedChangedSince(edit, vetted)).toBe(false);
    expect(vettedChangedSince(edit, `${vetted}# updated by the course\n`)).toBe(true);
  });

  it('reports a full storage and leaves the older saved edit untouched', () => {
    const storage = memoryStorage(2000);
    saveEdit(storage, lesson, file, 'small edit', vetted);
    const huge = 'x'.repeat(5000);
    expect(saveEdit(storage, lesson, file, huge, vetted)).toEqual({ok: false, reason: 'quota'});
    expect(loadEdit(storage, lesson, file)?.text).toBe('small edit');
  });

  it('works without storage (disabled, private mode) and ignores garbage', () => {
    expect(saveEdit(undefined, lesson, file, 'x', vetted)).toEqual({ok: false, reason: 'unavailable'});
    expect(loadEdit(undefined, lesson, file)).toBeNull();
    const storage = memoryStorage();
    storage.setItem(editKey(lesson, file), '{not json');
    expect(loadEdit(storage, lesson, file)).toBeNull();
    storage.setItem(editKey(lesson, file), JSON.stringify({v: 2, text: 1}));
    expect(loadEdit(storage, lesson, file)).toBeNull();
    const throwing = {...memoryStorage(), getItem: () => {
      throw new Error('SecurityError');
    }};
    expect(loadEdit(throwing, lesson, file)).toBeNull();
  });

  it('sets the learner’s own edit aside when a shared link replaces it', () => {
    const storage = memoryStorage();
    saveEdit(storage, lesson, file, 'mine', vetted, 5);
    const mine = loadEdit(storage, lesson, file)!;
    expect(saveBackup(storage, lesson, file, mine)).toEqual({ok: true});
    saveEdit(storage, lesson, file, 'shared', vetted);
    expect(loadBackup(storage, lesson, file)?.text).toBe('mine');
    expect(editedFiles(storage, lesson)).toEqual([file]);
    clearBackup(storage, lesson, file);
    expect(loadBackup(storage, lesson, file)).toBeNull();
  });

  it('hashes deterministically', () => {
    expect(hashText('')).toBe('811c9dc5');
    expect(hashText('a')).toBe('e40c292c');
    expect(hashText('apiVersion: v1')).not.toBe(hashText('apiVersion: v2'));
  });
});

describe('a damaged saved edit', () => {
  const key = editKey(lesson, file);
  it.each([
    ['not JSON', '{"v":1,"text":"kind: Gat', null, 'discarded'],
    ['not an edit', '[1,2,3]', null, 'discarded'],
    ['text of the wrong type', '{"v":1,"text":{"toString":"x"},"vettedHash":"0","savedAt":1}', null, 'discarded'],
    ['readable text, broken fields', '{"v":"1","text":"kind: Gateway\\n","vettedHash":5}', 'kind: Gateway\n', 'repaired'],
  ])('%s → %s', (_name, raw, text, state) => {
    const storage = memoryStorage();
    storage.setItem(key, raw);
    const r = inspectEdit(storage, lesson, file, vetted, 7);
    expect(r.state).toBe(state);
    expect(r.edit?.text ?? null).toBe(text);
    // what is left in storage reads cleanly next time, and a repaired edit is not taken for a course update
    expect(inspectEdit(storage, lesson, file, vetted).state).toBe('ok');
    if (r.edit) expect(vettedChangedSince(r.edit, vetted)).toBe(false);
    else expect(storage.getItem(key)).toBeNull();
  });

  it('leaves a sound edit alone', () => {
    const storage = memoryStorage();
    saveEdit(storage, lesson, file, 'edited', vetted, 1);
    expect(inspectEdit(storage, lesson, file, vetted)).toEqual({edit: loadEdit(storage, lesson, file), state: 'ok'});
  });
});

describe('hasStoredEdit (the static shell’s one key lookup)', () => {
  it('is true for a block with a saved (or damaged) edit, false otherwise and when storage is off', async () => {
    const {hasStoredEdit} = await import('./editKey');
    const storage = memoryStorage();
    const g = globalThis as {window?: unknown};
    const before = g.window;
    try {
      g.window = {localStorage: storage};
      expect(hasStoredEdit(`${lesson}/`, file)).toBe(false);
      expect(saveEdit(storage, lesson, file, `${vetted}# mine\n`, vetted).ok).toBe(true);
      expect(hasStoredEdit(`${lesson}/`, file)).toBe(true);
      expect(hasStoredEdit(lesson, 'ingress-service-a/gateway.yaml')).toBe(false);
      storage.setItem(editKey(lesson, file), '{"v":1,"text":');
      expect(hasStoredEdit(lesson, file)).toBe(true);
      g.window = {
        get localStorage(): never {
          throw new Error('SecurityError');
        },
      };
      expect(hasStoredEdit(lesson, file)).toBe(false);
    } finally {
      g.window = before;
    }
  });
});
