/**
 * A small in-memory file system: the learner's home with the course's examples/ mounted,
 * /tmp for scratch files, and /dev/null. Paths are POSIX.
 */
import { globMatcher, hasGlobChars } from './pattern';

export class FsError extends Error {}

interface Dir {
  kind: 'dir';
  entries: Map<string, Node>;
  mtime: number;
}
interface File {
  kind: 'file';
  content: string;
  mtime: number;
}
type Node = Dir | File;

export const HOME = '/home/learner';
const MAX_FILE = 16 * 1024 * 1024;

export function normalize(path: string): string {
  const out: string[] = [];
  for (const part of path.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') out.pop();
    else out.push(part);
  }
  return '/' + out.join('/');
}

/**
 * The file system in a snapshot: every directory and file with its mtime, in tree order. A
 * file's content is `null` when it is what mount() put there (the examples come from the
 * sandbox's options again), so the course's manifests are not stored.
 */
export interface VfsSnapshot {
  dirs: [path: string, mtime: number][];
  files: [path: string, mtime: number, content: string | null][];
}

export class Vfs {
  private root: Dir = { kind: 'dir', entries: new Map(), mtime: 0 };
  /** What mount() placed (absolute path → content): the baseline snapshots refer to. */
  private readonly mounted = new Map<string, string>();
  constructor(private readonly now: () => number = () => 0) {
    this.mkdirp(HOME);
    this.mkdirp('/tmp');
    this.mkdirp('/dev');
    this.writeFile('/dev/null', '');
  }

  resolve(cwd: string, path: string): string {
    if (path === '~' || path.startsWith('~/')) path = HOME + path.slice(1);
    return normalize(path.startsWith('/') ? path : `${cwd}/${path}`);
  }

  private lookup(abs: string): Node | undefined {
    let node: Node = this.root;
    for (const part of abs.split('/').filter(Boolean)) {
      if (node.kind !== 'dir') return undefined;
      const next = node.entries.get(part);
      if (!next) return undefined;
      node = next;
    }
    return node;
  }

  exists(abs: string): boolean {
    return this.lookup(abs) !== undefined;
  }
  isDir(abs: string): boolean {
    return this.lookup(abs)?.kind === 'dir';
  }
  isFile(abs: string): boolean {
    return this.lookup(abs)?.kind === 'file';
  }
  mtime(abs: string): number {
    return this.lookup(abs)?.mtime ?? 0;
  }
  size(abs: string): number {
    const n = this.lookup(abs);
    return n?.kind === 'file' ? n.content.length : 4096;
  }

  mkdirp(abs: string): void {
    let node: Dir = this.root;
    for (const part of abs.split('/').filter(Boolean)) {
      let next = node.entries.get(part);
      if (!next) {
        next = { kind: 'dir', entries: new Map(), mtime: this.now() };
        node.entries.set(part, next);
      }
      if (next.kind !== 'dir') throw new FsError(`mkdir: cannot create directory '${abs}': Not a directory`);
      node = next;
    }
  }

  readFile(abs: string): string {
    const n = this.lookup(abs);
    if (!n) throw new FsError(`${abs}: No such file or directory`);
    if (n.kind === 'dir') throw new FsError(`${abs}: Is a directory`);
    return n.content;
  }

  writeFile(abs: string, content: string, append = false): void {
    if (abs === '/dev/null') return;
    const parts = abs.split('/').filter(Boolean);
    const name = parts.pop();
    if (!name) throw new FsError(`${abs}: Is a directory`);
    const parent = this.lookup('/' + parts.join('/'));
    if (!parent || parent.kind !== 'dir') throw new FsError(`${abs}: No such file or directory`);
    const existing = parent.entries.get(name);
    if (existing?.kind === 'dir') throw new FsError(`${abs}: Is a directory`);
    const next = append && existing?.kind === 'file' ? existing.content + content : content;
    if (next.length > MAX_FILE) throw new FsError(`${abs}: File too large`);
    parent.entries.set(name, { kind: 'file', content: next, mtime: this.now() });
  }

  remove(abs: string, recursive = false): void {
    const parts = abs.split('/').filter(Boolean);
    const name = parts.pop();
    const parent = this.lookup('/' + parts.join('/'));
    if (!name || !parent || parent.kind !== 'dir' || !parent.entries.has(name)) throw new FsError(`cannot remove '${abs}': No such file or directory`);
    const n = parent.entries.get(name)!;
    if (n.kind === 'dir' && !recursive) throw new FsError(`cannot remove '${abs}': Is a directory`);
    parent.entries.delete(name);
  }

  list(abs: string): string[] {
    const n = this.lookup(abs);
    if (!n) throw new FsError(`cannot access '${abs}': No such file or directory`);
    if (n.kind === 'file') return [abs.split('/').pop() ?? abs];
    return [...n.entries.keys()].sort();
  }

  /** All files under a directory, recursively, sorted (iterative: directories may nest deeply). */
  walk(abs: string): string[] {
    const out: string[] = [];
    const stack: [string, Node | undefined][] = [[abs, this.lookup(abs)]];
    while (stack.length) {
      const [path, n] = stack.pop()!;
      if (!n) continue;
      if (n.kind === 'file') {
        out.push(path);
        continue;
      }
      const names = [...n.entries.keys()].sort().reverse();
      for (const name of names) stack.push([`${path === '/' ? '' : path}/${name}`, n.entries.get(name)]);
    }
    return out;
  }

  /** Copies a set of files (relative paths → content) under a directory. */
  mount(target: string, files: Record<string, string>): void {
    this.mkdirp(target);
    for (const [rel, content] of Object.entries(files)) {
      const abs = normalize(`${target}/${rel}`);
      this.mkdirp(abs.split('/').slice(0, -1).join('/') || '/');
      this.writeFile(abs, content);
      this.mounted.set(abs, content);
    }
  }

  snapshot(): VfsSnapshot {
    const out: VfsSnapshot = { dirs: [], files: [] };
    const stack: [string, Node][] = [['/', this.root]];
    while (stack.length) {
      const [path, n] = stack.pop()!;
      if (n.kind === 'file') {
        out.files.push([path, n.mtime, this.mounted.get(path) === n.content ? null : n.content]);
        continue;
      }
      if (path !== '/') out.dirs.push([path, n.mtime]);
      // by name, as list() and walk() show them: the same tree gives the same snapshot whatever order it was built in
      const children = [...n.entries].sort(([a], [b]) => (a < b ? 1 : a > b ? -1 : 0));
      for (const [name, child] of children) stack.push([`${path === '/' ? '' : path}/${name}`, child]);
    }
    return out;
  }

  /** Paths of files the snapshot takes from mount() but this file system did not mount. */
  missingMounts(s: VfsSnapshot): string[] {
    return s.files.filter(([path, , content]) => content === null && !this.mounted.has(path)).map(([path]) => path);
  }

  /** Replaces the whole tree (files absent from the snapshot, mounted ones too, are gone). */
  restore(s: VfsSnapshot): void {
    const missing = this.missingMounts(s);
    if (missing.length) throw new FsError(`snapshot refers to files that are not mounted here: ${missing.slice(0, 3).join(', ')}`);
    const root: Dir = { kind: 'dir', entries: new Map(), mtime: 0 };
    const parentOf = (path: string): Dir => {
      let d = root;
      for (const part of path.split('/').filter(Boolean).slice(0, -1)) {
        let next = d.entries.get(part);
        if (!next) d.entries.set(part, (next = { kind: 'dir', entries: new Map(), mtime: 0 }));
        if (next.kind !== 'dir') throw new FsError(`${path}: Not a directory`);
        d = next;
      }
      return d;
    };
    const base = (path: string): string => path.split('/').pop() ?? '';
    for (const [path, mtime] of s.dirs) {
      const parent = parentOf(path);
      const existing = parent.entries.get(base(path));
      if (existing?.kind === 'dir') existing.mtime = mtime;
      else parent.entries.set(base(path), { kind: 'dir', entries: new Map(), mtime });
    }
    for (const [path, mtime, content] of s.files) parentOf(path).entries.set(base(path), { kind: 'file', content: content ?? this.mounted.get(path)!, mtime });
    this.root = root;
  }

  /** Expands a glob pattern (* ? [..]) relative to cwd; returns matches sorted, or [] when none. */
  glob(cwd: string, pattern: string): string[] {
    const absolute = pattern.startsWith('/');
    const parts = pattern.split('/').filter((p, i) => p !== '' || i === 0);
    let bases: string[] = [absolute ? '/' : cwd];
    let rels: string[] = [absolute ? '/' : ''];
    for (const part of parts) {
      if (part === '') continue;
      const nb: string[] = [];
      const nr: string[] = [];
      const re = hasGlobChars(part) ? globMatcher(part, { pathname: true }) : undefined;
      bases.forEach((b, i) => {
        if (!re) {
          const abs = normalize(`${b}/${part}`);
          if (this.exists(abs)) {
            nb.push(abs);
            nr.push(rels[i] === '' ? part : rels[i] === '/' ? `/${part}` : `${rels[i]}/${part}`);
          }
          return;
        }
        if (!this.isDir(b)) return;
        for (const name of this.list(b)) {
          if (name.startsWith('.') && !part.startsWith('.')) continue;
          if (re(name)) {
            nb.push(normalize(`${b}/${name}`));
            nr.push(rels[i] === '' ? name : rels[i] === '/' ? `/${name}` : `${rels[i]}/${name}`);
          }
        }
      });
      bases = nb;
      rels = nr;
    }
    return rels.sort();
  }
}
