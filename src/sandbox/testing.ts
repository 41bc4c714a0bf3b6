/**
 * Node-only helpers for tests (never imported by the engine itself): the course's examples/
 * as the sandbox mounts them, and running lines the way a person types them.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import type { Sandbox } from './sandbox';

export const EXAMPLES_DIR = resolve(__dirname, '..', '..', 'examples');
/** Istio's sample manifests as ~/samples holds them. */
export const SAMPLES_DIR = resolve(__dirname, '..', '..', 'samples');

/**
 * Files under `dir` as relative path → text, optionally only those whose name matches. A lesson's
 * scenario.ts (the course's own data, see src/terminal/scenarios.ts) is never mounted.
 */
export function readExamples(dir = EXAMPLES_DIR, only?: RegExp): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string): void => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (name !== 'scenario.ts' && (!only || only.test(name))) out[relative(dir, p)] = readFileSync(p, 'utf8');
    }
  };
  walk(dir);
  return out;
}

/** Runs lines like a person would: a couple of seconds pass between commands. Returns stdout + stderr. */
export async function steps(sb: Sandbox, lines: string | readonly string[]): Promise<string> {
  let out = '';
  for (const line of typeof lines === 'string' ? lines.trim().split('\n') : lines) {
    const r = await sb.exec(line.trim());
    out += r.stdout + r.stderr;
    await sb.cluster.advance(2000);
  }
  return out;
}
