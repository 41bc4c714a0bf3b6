/**
 * The course's examples/ for one participant on a shared cluster: each lesson directory's
 * manifests with the lesson's namespace mapped to the participant's (../namespaceMap.ts), copied
 * into their HOME, and the mapping the lesson's command lines go through.
 */
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { definesOnlyNamespace, lessonNamespaces, mapManifest, type NamespaceMapping } from '../namespaceMap';

const MANIFEST = /\.ya?ml$/;

function manifestsOf(dir: string): string[] {
  return readdirSync(dir).filter((f) => MANIFEST.test(f) && statSync(join(dir, f)).isFile());
}

/**
 * The mapping of one lesson directory of examples/ (e.g. "resilience") for a participant's
 * namespace; undefined for a directory whose manifests name no namespace of their own.
 */
export function lessonMapping(examplesDir: string, lessonDir: string, to: string): NamespaceMapping | undefined {
  const dir = join(examplesDir, lessonDir);
  const files = manifestsOf(dir);
  const texts = files.map((f) => readFileSync(join(dir, f), 'utf8'));
  const from = lessonNamespaces(texts)[0];
  if (!from) return undefined;
  const namespaceOnlyFiles = new Set(files.filter((_, i) => definesOnlyNamespace(texts[i], from)).map((f) => `examples/${lessonDir}/${f}`));
  return { from, to, namespaceOnlyFiles };
}

/** Copies examplesDir to dest (once: an existing copy is the participant's own and stays), each lesson's manifests mapped. */
export function seedMappedExamples(examplesDir: string, dest: string, to: string): void {
  if (existsSync(dest) || !existsSync(examplesDir)) return;
  mkdirSync(dest, { recursive: true });
  for (const entry of readdirSync(examplesDir)) {
    const src = join(examplesDir, entry);
    if (!statSync(src).isDirectory()) {
      cpSync(src, join(dest, entry));
      continue;
    }
    cpSync(src, join(dest, entry), { recursive: true });
    const mapping = lessonMapping(examplesDir, entry, to);
    if (!mapping) continue;
    for (const f of manifestsOf(src)) writeFileSync(join(dest, entry, f), mapManifest(readFileSync(join(src, f), 'utf8'), mapping));
  }
}
