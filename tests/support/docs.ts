/** Reads the lessons' MDX sources: what each lesson promises to render (diagrams, manifests). */
import fs from 'node:fs';
import path from 'node:path';

export const rootDir = path.resolve(__dirname, '../..');
export const docsDir = path.join(rootDir, 'docs');
export const examplesDir = path.join(rootDir, 'examples');

export function lessonSource(id: string): string {
  return fs.readFileSync(path.join(docsDir, `${id}.mdx`), 'utf8');
}

export function mermaidBlockCount(source: string): number {
  return source.match(/^```mermaid\s*$/gm)?.length ?? 0;
}

/** The `file` attribute of every <Manifest> element in a lesson, in order. */
export function manifestFiles(source: string): string[] {
  return [...source.matchAll(/<Manifest\b[^>]*?\bfile="([^"]+)"/g)].map((match) => match[1]);
}

export function listFiles(dir: string): string[] {
  return fs.readdirSync(dir, {withFileTypes: true, recursive: true})
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(dir, path.join(entry.parentPath, entry.name)))
    .sort();
}
