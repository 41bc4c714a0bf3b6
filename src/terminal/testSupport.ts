/**
 * Node-only helpers for the terminal's tests: the examples directory as the worker bundles
 * it, a connection to an in-process host, and a lesson's runnable bash blocks.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { EXAMPLES_DIR, readExamples as readSandboxExamples } from '../sandbox/testing';
import { InProcessTransport, SandboxConnection } from './connection';
import { SandboxHost, type HostOptions } from './host';

const ROOT = resolve(__dirname, '../..');

/** examples/ as the worker bundles it (manifests and READMEs). */
export function readExamples(): Record<string, string> {
  return readSandboxExamples(EXAMPLES_DIR, /\.(ya?ml|md)$/);
}

let cachedExamples: Record<string, string> | undefined;

export function connect(opts: Partial<HostOptions> = {}): { conn: SandboxConnection; transport: InProcessTransport; output: () => string; clearOutput: () => void } {
  cachedExamples ??= readExamples();
  let text = '';
  const transport = new InProcessTransport((post) => new SandboxHost({ examples: cachedExamples ?? {}, flushMs: 0, virtualTime: true, wall: () => Date.parse('2025-03-14T09:00:00Z'), post, ...opts }));
  const conn = new SandboxConnection(transport, { output: (d) => (text += d) });
  return { conn, transport, output: () => text, clearOutput: () => (text = '') };
}

/** A lesson's text up to its clean-up section ("## Уборка"), which the tests do not run. */
function lessonBody(mdxPath: string): string {
  const text = readFileSync(join(ROOT, mdxPath), 'utf8');
  const cut = text.indexOf('\n## Уборка');
  return cut >= 0 ? text.slice(0, cut) : text;
}

/** The runnable bash blocks of a piece of a lesson: blocks inside :::tip asides are left out. */
function bashBlocksOf(body: string): string[] {
  const blocks: string[] = [];
  let inTip = false;
  const re = /^(:::tip[^\n]*|:::)$|^```bash\n([\s\S]*?)^```$/gm;
  let m: RegExpExecArray | null;
  while ((m = re.exec(body))) {
    if (m[1]?.startsWith(':::tip')) inTip = true;
    else if (m[1] === ':::') inTip = false;
    else if (m[2] !== undefined && !inTip) blocks.push(m[2]);
  }
  return blocks;
}

/**
 * The bash blocks a learner runs in a lesson, in order. Blocks inside :::tip asides
 * (alternatives for a real cluster) and everything from "## Уборка" on are left out.
 */
export function lessonBashBlocks(mdxPath: string): string[] {
  return bashBlocksOf(lessonBody(mdxPath));
}

/**
 * The break-and-fix challenges of a lesson (`<Challenge step="…">`), each with the number of
 * runnable bash blocks (as lessonBashBlocks counts them) that come before it on the page.
 */
export function lessonChallenges(mdxPath: string): Array<{ step: string; blocksBefore: number }> {
  const body = lessonBody(mdxPath);
  return [...body.matchAll(/<Challenge\s[^>]*?step="([^"]+)"/g)].map((m) => ({ step: m[1], blocksBefore: bashBlocksOf(body.slice(0, m.index)).length }));
}

/**
 * Each runnable bash block of a lesson with the sample output the lesson shows for it: the first
 * text block after it, before the next bash block (undefined when the lesson shows none).
 */
export function lessonSamples(mdxPath: string): Array<{ block: string; sample?: string }> {
  const body = lessonBody(mdxPath);
  const out: Array<{ block: string; sample?: string }> = [];
  let inTip = false;
  const re = /^(:::tip[^\n]*|:::)$|^```(bash|text)([^\n]*)\n([\s\S]*?)^```$/gm;
  let m: RegExpExecArray | null;
  while ((m = re.exec(body))) {
    if (m[1]?.startsWith(':::tip')) inTip = true;
    else if (m[1] === ':::') inTip = false;
    else if (m[2] === 'bash') {
      if (!inTip && m[3] === '') out.push({ block: m[4] });
      else out.push({ block: '' }); // a block the tests do not run still ends the previous block's sample
    } else if (m[2] === 'text' && out.length && out[out.length - 1].sample === undefined) out[out.length - 1].sample = m[4];
  }
  return out.filter((x) => x.block !== '');
}

