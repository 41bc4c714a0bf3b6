/**
 * Seeds for the generators, read from the repository: the course's manifests (examples/) and
 * the shell commands its lessons show (docs/, ```bash blocks).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parseAllDocuments } from 'yaml';

export const ROOT = resolve(dirname(__filename), '..', '..');

function walk(dir: string, keep: (name: string) => boolean, out: string[] = []): string[] {
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p, keep, out);
    else if (keep(name)) out.push(p);
  }
  return out;
}

let manifests: string[] | undefined;
/** The text of every manifest under examples/. */
export function exampleManifests(): string[] {
  manifests ??= walk(join(ROOT, 'examples'), (n) => /\.ya?ml$/.test(n)).map((p) => readFileSync(p, 'utf8'));
  return manifests;
}

let objects: Record<string, unknown>[] | undefined;
/** Every document of examples/ as a plain object. */
export function exampleObjects(): Record<string, unknown>[] {
  objects ??= exampleManifests().flatMap((t) =>
    parseAllDocuments(t, { version: '1.1' })
      .map((d) => d.toJS() as unknown)
      .filter((v): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)),
  );
  return objects;
}

let commands: string[] | undefined;
/** The command lines the lessons show in ```bash blocks (continuation lines joined). */
export function courseCommands(): string[] {
  if (commands) return commands;
  const out = new Set<string>();
  for (const file of walk(join(ROOT, 'docs'), (n) => /\.mdx?$/.test(n))) {
    const text = readFileSync(file, 'utf8');
    for (const block of text.matchAll(/```(?:bash|sh|shell)[^\n]*\n([\s\S]*?)```/g)) {
      const lines = block[1].replace(/\\\n\s*/g, '').split('\n');
      for (const l of lines) {
        const line = l.replace(/^\$ /, '').trim();
        if (line && !line.startsWith('#')) out.add(line);
      }
    }
  }
  commands = [...out];
  return commands;
}
