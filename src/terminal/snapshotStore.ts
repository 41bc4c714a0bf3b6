/**
 * The worker's SnapshotStore: one sandbox snapshot per lesson in IndexedDB (available in
 * workers, large quota, stores the object without JSON text). Every failure — no IndexedDB,
 * private mode, quota — degrades to "no snapshot", and the terminal falls back to replay.
 */
import type { SnapshotStore } from './host';

const DB_NAME = 'istio-practicum-sandbox';
const STORE = 'snapshots';

function request<T>(r: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error ?? new Error('IndexedDB request failed'));
  });
}

export function indexedDbStore(factory: IDBFactory | undefined = globalThis.indexedDB): SnapshotStore {
  let db: Promise<IDBDatabase> | undefined;
  const open = (): Promise<IDBDatabase> => {
    if (!factory) return Promise.reject(new Error('no IndexedDB'));
    db ??= new Promise((resolve, reject) => {
      const r = factory.open(DB_NAME, 1);
      r.onupgradeneeded = () => r.result.createObjectStore(STORE);
      r.onsuccess = () => resolve(r.result);
      r.onerror = () => reject(r.error ?? new Error('IndexedDB open failed'));
    });
    return db;
  };
  const tx = async <T>(mode: IDBTransactionMode, op: (s: IDBObjectStore) => IDBRequest<T>): Promise<T> => {
    const d = await open();
    return request(op(d.transaction(STORE, mode).objectStore(STORE)));
  };
  return {
    load: (scenario) => tx('readonly', (s) => s.get(scenario)).catch(() => undefined),
    save: (scenario, snapshot) => tx('readwrite', (s) => s.put(snapshot, scenario)).then(() => undefined, () => undefined),
    clear: (scenario) => tx('readwrite', (s) => s.delete(scenario)).then(() => undefined, () => undefined),
  };
}
