/**
 * The course's examples/ for one participant on a shared cluster: each lesson directory's
 * manifests with the lesson's namespace mapped to the participant's (../namespaceMap.ts), copied
 * into their HOME, and the mapping the lesson's command lines go through.
 */
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { definesOnlyNamespace, lessonInjection, lessonNamespaces, mapManifest, type NamespaceMapping } from '../namespaceMap';
import { extraNamespaceName, type ExtraNamespaceSpec } from './provision';

const MANIFEST = /\.ya?ml$/;

function manifestsOf(dir: string): string[] {
  return readdirSync(dir).filter((f) => MANIFEST.test(f) && statSync(join(dir, f)).isFile());
}

/**
 * The mapping of one lesson directory of examples/ (e.g. "resilience") for a participant's
 * namespace: its primary namespace to theirs, each further one to theirs for it
 * (provision.ts extraNamespaceName); undefined for a directory whose manifests name no namespace
 * of their own.
 */
export function lessonMapping(examplesDir: string, lessonDir: string, to: string): NamespaceMapping | undefined {
  const dir = join(examplesDir, lessonDir);
  const files = manifestsOf(dir);
  const texts = files.map((f) => readFileSync(join(dir, f), 'utf8'));
  const [from, ...further] = lessonNamespaces(texts);
  if (!from) return undefined;
  const extra = further.map((ns) => ({ from: ns, to: extraNamespaceName(to, ns), injection: lessonInjection(texts, ns) }));
  const namespaceOnlyFiles = new Set(files.filter((_, i) => definesOnlyNamespace(texts[i], from, ...further)).map((f) => `examples/${lessonDir}/${f}`));
  return { from, to, ...(extra.length > 0 && { extra }), namespaceOnlyFiles };
}

/** The further lesson namespaces of a room's lesson directories (each one once), to provision for each participant. */
export function extraNamespacesOf(examplesDir: string, lessonDirs: readonly string[]): ExtraNamespaceSpec[] {
  const found = new Map<string, ExtraNamespaceSpec>();
  for (const lessonDir of lessonDirs) {
    if (!/^[a-z0-9-]+$/.test(lessonDir) || !existsSync(join(examplesDir, lessonDir))) continue;
    for (const e of lessonMapping(examplesDir, lessonDir, 'ws')?.extra ?? []) if (!found.has(e.from)) found.set(e.from, { from: e.from, injection: e.injection });
  }
  return [...found.values()];
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
