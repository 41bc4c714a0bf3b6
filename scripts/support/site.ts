/**
 * Shared by the browser benchmarks: serve a production build on a free port, and account for
 * the JavaScript a page loads (run on the page, prefetched for other pages, or loaded by workers).
 */
import {spawn, spawnSync, type ChildProcess} from 'node:child_process';
import {existsSync} from 'node:fs';
import {createServer} from 'node:net';
import {gzipSync} from 'node:zlib';
import type {BrowserContext, Page} from '@playwright/test';

/** A free TCP port, so a leftover server from another run is never measured by mistake. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export interface Site {
  base: string;
  stop(): void;
}

/** Builds the site when `dir` is the default build/ and missing, then serves it (`docusaurus serve`). */
export async function serveBuild(dir: string, port?: number): Promise<Site> {
  if (!existsSync(`${dir}/index.html`)) {
    if (dir !== 'build') throw new Error(`${dir}/index.html is missing`);
    console.error('build/ is missing: building the site first…');
    if (spawnSync('npm', ['run', 'build'], {stdio: 'inherit'}).status !== 0) throw new Error('npm run build failed');
  }
  const p = port ?? (await freePort());
  const base = `http://127.0.0.1:${p}`;
  const server: ChildProcess = spawn('npx', ['docusaurus', 'serve', '--dir', dir, '--port', String(p), '--host', '127.0.0.1', '--no-open'], {
    stdio: 'ignore',
    detached: true,
  });
  // Started detached, as the leader of its own process group: stopping ends that group.
  const stop = (): void => {
    try {
      if (server.pid) process.kill(-server.pid, 'SIGTERM');
    } catch {
      // already gone
    }
  };
  for (let i = 0; i < 150; i += 1) {
    try {
      if ((await fetch(`${base}/`)).ok) return {base, stop};
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  stop();
  throw new Error('the static server did not start');
}

export interface Script {
  url: string;
  bytes: number;
  gzip: number;
  /** The webpack chunk ids the file registers when it runs (none for the runtime and for workers). */
  chunkIds: string[];
}

/** `(self.webpackChunk… = …).push([[ids], …` at the start of a webpack chunk file. */
export function chunkIdsOf(text: string): string[] {
  return /\.push\(\[\[([^\]]*)\]/.exec(text.slice(0, 500))?.[1].split(',').map((id) => id.replace(/["']/g, '').trim()).filter(Boolean) ?? [];
}

/** Records every script the context loads, page and worker ones alike (decoded and gzip sizes). */
export function recordScripts(context: BrowserContext): Script[] {
  const scripts: Script[] = [];
  const seen = new Set<string>();
  context.on('response', async (response) => {
    const url = response.url();
    if (!/\.js(\?|$)/.test(url) || seen.has(url) || response.status() !== 200) return;
    seen.add(url);
    try {
      const body = await response.body();
      scripts.push({url, bytes: body.length, gzip: gzipSync(body).length, chunkIds: chunkIdsOf(body.toString('utf8', 0, 500))});
    } catch {
      // the body of a redirect or an aborted request
    }
  });
  return scripts;
}

export type ScriptKind = 'page' | 'prefetch' | 'worker';

/**
 * How the page got each script, from its resource timing: <script> (webpack chunk loading) is
 * run on the page, <link rel=prefetch> (Docusaurus prefetching the routes of visible links) is
 * only downloaded, and what the page's timeline does not list was loaded by a Web Worker.
 */
export async function scriptKinds(page: Page): Promise<Map<string, ScriptKind>> {
  const entries = await page.evaluate(() =>
    performance.getEntriesByType('resource').map((e) => [e.name, (e as PerformanceResourceTiming).initiatorType] as const),
  );
  // A prefetched chunk that the page later runs is listed twice: running wins.
  const rank: Record<ScriptKind, number> = {page: 2, worker: 1, prefetch: 0};
  const out = new Map<string, ScriptKind>();
  for (const [name, initiator] of entries) {
    const kind: ScriptKind = initiator === 'script' ? 'page' : initiator === 'link' ? 'prefetch' : 'worker';
    const known = out.get(name);
    if (!known || rank[kind] > rank[known]) out.set(name, kind);
  }
  return out;
}

/**
 * The scripts the page has run: loaded by a <script> element, or a webpack chunk whose ids the page registered
 * (a chunk preloaded by <link rel=preload> and then run counts; one only prefetched or preloaded does not).
 */
export async function runOnPage(page: Page, scripts: readonly Script[]): Promise<Script[]> {
  const kind = await scriptKinds(page);
  const registered = new Set(
    await page.evaluate(() =>
      Object.keys(window)
        .filter((key) => key.startsWith('webpackChunk'))
        .flatMap((key) => ((window as unknown as Record<string, [Array<string | number>][]>)[key] ?? []).flatMap((entry) => entry[0].map(String))),
    ),
  );
  return scripts.filter((s) => kind.get(s.url) === 'page' || (s.chunkIds.length > 0 && s.chunkIds.every((id) => registered.has(id))));
}

export interface Bytes {
  files: number;
  bytes: number;
  gzip: number;
}

export interface Split {
  /** Scripts run on the page. */
  page: Bytes;
  /** Scripts only downloaded ahead (Docusaurus prefetches the routes of visible links). */
  prefetch: Bytes;
  /** Scripts loaded by Web Workers. */
  worker: Bytes;
}

export function total(scripts: readonly Script[]): Bytes {
  return {files: scripts.length, bytes: scripts.reduce((s, x) => s + x.bytes, 0), gzip: scripts.reduce((s, x) => s + x.gzip, 0)};
}

export function splitByKind(scripts: readonly Script[], kind: Map<string, ScriptKind>): Split {
  const of = (k: ScriptKind) => scripts.filter((s) => (kind.get(s.url) ?? 'worker') === k);
  return {page: total(of('page')), prefetch: total(of('prefetch')), worker: total(of('worker'))};
}

export const kb = (n: number): string => `${(n / 1024).toFixed(0)} KiB`;
