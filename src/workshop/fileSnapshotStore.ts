/**
 * The workshop server's SnapshotStore (src/terminal/host.ts): one file per participant per
 * lesson under DATA/snapshots/<participant>/, written atomically (a temporary file renamed over
 * the old one), so a crash mid-write leaves the previous snapshot. As in the browser's store,
 * any failure means "no snapshot".
 */
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { SnapshotStore } from '../terminal/host';

/** A file name for a lesson id ("practice/mtls" → "practice%2Fmtls.json"). */
const fileOf = (scenario: string): string => `${encodeURIComponent(scenario).replace(/\./g, '%2E')}.json`;

let tmpCounter = 0;

/** Writes `text` to `path` atomically. */
export async function writeAtomic(path: string, text: string): Promise<void> {
  const tmp = `${path}.${process.pid}.${++tmpCounter}.tmp`;
  await writeFile(tmp, text, { mode: 0o600 });
  await rename(tmp, path);
}

export function fileSnapshotStore(dir: string): SnapshotStore {
  let writes: Promise<void> = Promise.resolve();
  return {
    load: async (scenario) => {
      await writes;
      try {
        return JSON.parse(await readFile(join(dir, fileOf(scenario)), 'utf8')) as unknown;
      } catch {
        return undefined;
      }
    },
    // saves of one participant go in order: an older snapshot never lands after a newer one
    save: (scenario, snapshot) => {
      writes = writes.then(async () => {
        try {
          await mkdir(dir, { recursive: true });
          await writeAtomic(join(dir, fileOf(scenario)), JSON.stringify(snapshot));
        } catch {
          /* no snapshot: the next start replays */
        }
      });
      return writes;
    },
    clear: (scenario) => {
      writes = writes.then(() => rm(join(dir, fileOf(scenario)), { force: true }).catch(() => undefined));
      return writes;
    },
  };
}
