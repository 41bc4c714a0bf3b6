/**
 * The manifests of one lesson page: each block registers its file and current text, so a block
 * is validated with the lesson's other manifests as context (as the CLI validates a file with
 * the rest of its folder) and the page can offer all of them as one download.
 */

export interface BlockEntry {
  file: string;
  title?: string;
  vetted: string;
  /** Current text: the learner's edit, or the vetted manifest. */
  text: string;
  /** Bumped on every text change: a cheap signature of the page's context. */
  version: number;
}

export type BlockInit = Omit<BlockEntry, 'version'>;

type Listener = () => void;

export class ManifestRegistry {
  private entries: BlockEntry[] = [];
  private snapshot: readonly BlockEntry[] = [];
  private readonly listeners = new Set<Listener>();

  /** Adds (or replaces) a block; returns its unregister function. */
  register(init: BlockInit): () => void {
    const entry: BlockEntry = {...init, version: 0};
    const index = this.entries.findIndex((e) => e.file === entry.file);
    if (index >= 0) this.entries[index] = entry;
    else this.entries.push(entry);
    this.emit();
    return () => {
      const at = this.entries.findIndex((e) => e.file === entry.file);
      if (at >= 0) {
        this.entries.splice(at, 1);
        this.emit();
      }
    };
  }

  update(file: string, text: string): void {
    const entry = this.entries.find((e) => e.file === file);
    if (!entry || entry.text === text) return;
    entry.text = text;
    entry.version += 1;
    this.emit();
  }

  get(file: string): BlockEntry | undefined {
    return this.snapshot.find((e) => e.file === file);
  }

  /** Blocks in page order (registration order is tree order). */
  getSnapshot = (): readonly BlockEntry[] => this.snapshot;

  subscribe = (listener: Listener): (() => void) => {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  };

  /** "file@version" of the other blocks: changes exactly when a block's context changes. */
  static contextSignature(blocks: readonly BlockEntry[], file: string): string {
    return blocks
      .filter((e) => e.file !== file)
      .map((e) => `${e.file}@${e.version}`)
      .join('|');
  }

  /** The other blocks' current texts: the context a block is validated with. */
  othersOf(file: string): Array<{file: string; text: string}> {
    return this.snapshot.filter((e) => e.file !== file).map(({file: f, text}) => ({file: f, text}));
  }

  private emit(): void {
    this.snapshot = this.entries.map((e) => ({...e}));
    for (const listener of [...this.listeners]) listener();
  }
}

/** Server snapshot for useSyncExternalStore: nothing is registered before hydration. */
export const EMPTY_BLOCKS: readonly BlockEntry[] = Object.freeze([]);
