/**
 * Benchmark of the manifest editor, measured in Chromium against the production build
 * (built first when build/ is missing):
 *   - keystroke → updated markers: from the keydown of a character that breaks a manifest
 *     (an unknown field) to its squiggle on screen, and from the Backspace that fixes it to the
 *     squiggle gone (debounce + validation worker + Monaco render). Target < 300 ms.
 *   - the JavaScript a lesson page loads before any interaction (the widget shows highlighted
 *     text only), and after opening the editor (Monaco, monaco-yaml, the validation worker),
 *     as decoded bytes and gzip bytes, page scripts and worker scripts separately.
 *
 *   npx tsx scripts/bench-editor.ts [--keystrokes=20] [--dir=build] [--json]
 */
import {chromium, type Browser, type Page} from '@playwright/test';
import {chromiumLaunchOptions} from '../playwright.config';
import {kb, recordScripts, scriptKinds, serveBuild, splitByKind, type Split} from './support/site';

const LESSONS = ['scenarios/ingress-service-a', 'virtual-service', 'scenarios/traffic-split'];
const KEYSTROKE_TARGET_MS = 300;

function arg(name: string, fallback: number): number {
  const found = process.argv.find((a) => a.startsWith(`--${name}=`));
  return found ? Number(found.split('=')[1]) : fallback;
}

const BUILD_DIR = process.argv.find((a) => a.startsWith('--dir='))?.slice('--dir='.length) ?? 'build';

async function settle(page: Page): Promise<void> {
  await page.waitForLoadState('networkidle');
  await page.waitForTimeout(500);
}

interface PageBytes {
  lesson: string;
  /** Editor, validation or Monaco chunks among the scripts loaded before any interaction. */
  editorCodeBeforeInteraction: string[];
  beforeInteraction: Split;
  afterOpeningEditor: Split;
  /** What opening the editor added, by kind. */
  added: Split;
}

async function measureBytes(browser: Browser, base: string, lesson: string): Promise<PageBytes> {
  const context = await browser.newContext();
  const scripts = recordScripts(context);
  const page = await context.newPage();
  await page.goto(`${base}/docs/${lesson}`);
  await page.waitForSelector('html[data-has-hydrated=true]', {state: 'attached'});
  await settle(page);
  const before = [...scripts];
  const manifest = page.locator('figure[data-manifest]').first();
  await manifest.getByRole('button', {name: 'Редактировать'}).click();
  await manifest.locator('.monaco-editor').waitFor({timeout: 30_000});
  await manifest.locator('[data-check-state=done]').waitFor({timeout: 30_000});
  // Hover once so monaco-yaml's worker starts, as it does for a learner within seconds.
  await manifest.locator('.view-line').first().hover();
  await page.waitForTimeout(1500);
  await settle(page);
  const after = [...scripts];
  const kind = await scriptKinds(page);
  await context.close();
  if (process.env.BENCH_DEBUG) for (const s of after) console.log(kind.get(s.url) ?? 'worker', s.bytes, s.url);
  return {
    lesson,
    editorCodeBeforeInteraction: before.filter((s) => /manifest-(editor|validation|tools|suppress)/.test(s.url)).map((s) => s.url),
    beforeInteraction: splitByKind(before, kind),
    afterOpeningEditor: splitByKind(after, kind),
    added: splitByKind(
      after.filter((s) => !before.includes(s)),
      kind,
    ),
  };
}

interface Keystrokes {
  samples: number[];
  median: number;
  p95: number;
  min: number;
  max: number;
}

/** keydown → squiggle shown (break) and keydown → squiggle gone (fix), `count` samples. */
async function measureKeystrokes(browser: Browser, base: string, count: number): Promise<Keystrokes> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${base}/docs/scenarios/ingress-service-a`);
  const manifest = page.locator('figure[data-manifest="ingress-service-a/virtual-service.yaml"]');
  await manifest.scrollIntoViewIfNeeded(); // its interactive part loads as it nears the viewport
  await manifest.and(page.locator('[data-interactive]')).waitFor();
  await manifest.getByRole('button', {name: 'Редактировать'}).click();
  await manifest.locator('.monaco-editor').waitFor({timeout: 30_000});
  await manifest.locator('[data-check-state=done]').waitFor({timeout: 30_000});
  await page.waitForTimeout(500);
  await manifest.locator('.view-line', {hasText: '- route:'}).first().click();
  await page.keyboard.press('End');
  await page.keyboard.press('ArrowLeft');

  // Plain script text: tsx would wrap named functions in a helper the page does not have.
  // Squiggles are decorations Monaco adds to the DOM: a MutationObserver sees them appear or
  // go in the same task as Monaco renders them.
  await page.evaluate(`(() => {
    const state = {start: 0, want: '', done: true, ms: 0};
    window.__bench = state;
    const root = document.querySelector('figure[data-manifest="ingress-service-a/virtual-service.yaml"]');
    const check = () => {
      if (state.done) return;
      const shown = root.querySelectorAll('.squiggly-error').length > 0;
      if ((state.want === 'shown') === shown) {
        state.ms = performance.now() - state.start;
        state.done = true;
      }
    };
    new MutationObserver(check).observe(root, {subtree: true, childList: true, attributes: true, attributeFilter: ['class']});
    root.addEventListener('keydown', () => {
      state.start = performance.now();
      state.done = false;
    }, true);
  })()`);

  const samples: number[] = [];
  for (let i = 0; i < count; i += 1) {
    const breaking = i % 2 === 0;
    await page.evaluate((want) => {
      (window as unknown as {__bench: {want: string}}).__bench.want = want;
    }, breaking ? 'shown' : 'gone');
    // `route` → `routex` (unknown field), then Backspace back to `route`.
    await page.keyboard.press(breaking ? 'x' : 'Backspace');
    try {
      await page.waitForFunction(() => (window as unknown as {__bench: {done: boolean}}).__bench.done, undefined, {timeout: 10_000, polling: 50});
    } catch (e) {
      if (process.env.BENCH_DEBUG) {
        await manifest.screenshot({path: '/tmp/shots/bench-fail.png'});
        console.log(await page.evaluate(() => JSON.stringify((window as unknown as {__bench: unknown}).__bench)));
      }
      throw e;
    }
    samples.push(await page.evaluate(() => (window as unknown as {__bench: {ms: number}}).__bench.ms));
    await page.waitForTimeout(150);
  }
  await context.close();
  const sorted = [...samples].sort((a, b) => a - b);
  const round = (x: number) => Math.round(x * 10) / 10;
  return {
    samples: samples.map(round),
    median: round(sorted[Math.floor(sorted.length / 2)]),
    p95: round(sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.95))]),
    min: round(sorted[0]),
    max: round(sorted[sorted.length - 1]),
  };
}

async function main(): Promise<void> {
  const site = await serveBuild(BUILD_DIR, process.env.BENCH_EDITOR_PORT ? Number(process.env.BENCH_EDITOR_PORT) : undefined);
  const base = site.base;
  const browser = await chromium.launch(chromiumLaunchOptions);
  try {
    const pages: PageBytes[] = [];
    for (const lesson of LESSONS) pages.push(await measureBytes(browser, base, lesson));
    const keystrokes = await measureKeystrokes(browser, base, arg('keystrokes', 20));
    const result = {keystrokeToMarkerMs: keystrokes, targetMs: KEYSTROKE_TARGET_MS, pages};
    if (process.argv.includes('--json')) console.log(JSON.stringify(result, null, 2));
    else {
      console.log(
        `manifest editor, keystroke → markers updated: median ${keystrokes.median} ms, p95 ${keystrokes.p95} ms, ` +
          `min ${keystrokes.min} ms, max ${keystrokes.max} ms over ${keystrokes.samples.length} keystrokes ` +
          `(target < ${KEYSTROKE_TARGET_MS} ms) ${keystrokes.p95 < KEYSTROKE_TARGET_MS ? 'OK' : 'SLOW'}`,
      );
      for (const p of pages) {
        const b = p.beforeInteraction;
        const a = p.added;
        console.log(
          `manifest editor, JS of /docs/${p.lesson} before any interaction: ${kb(b.page.bytes)} run on the page (${kb(b.page.gzip)} gzip, ${b.page.files} files)` +
            ` + ${kb(b.prefetch.bytes)} prefetched for other pages (${kb(b.prefetch.gzip)} gzip); ` +
            (p.editorCodeBeforeInteraction.length ? `EDITOR CODE LOADED: ${p.editorCodeBeforeInteraction.join(', ')}` : 'no editor code'),
        );
        console.log(
          `manifest editor, JS of /docs/${p.lesson} after opening the editor: +${kb(a.page.bytes)} on the page (${kb(a.page.gzip)} gzip, ${a.page.files} files)` +
            ` + ${kb(a.worker.bytes)} in workers (${kb(a.worker.gzip)} gzip, ${a.worker.files} files);` +
            ` page total ${kb(p.afterOpeningEditor.page.bytes)} (${kb(p.afterOpeningEditor.page.gzip)} gzip)`,
        );
      }
    }
    if (keystrokes.p95 >= KEYSTROKE_TARGET_MS || pages.some((p) => p.editorCodeBeforeInteraction.length)) process.exitCode = 1;
  } finally {
    await browser.close();
    site.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
