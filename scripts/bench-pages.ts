/**
 * Page weight of the lessons against a plain Docusaurus doc page: the JavaScript each lesson page runs on load
 * (gzip; what the page executes before the reader does anything, not what it only prefetches for other pages),
 * divided by what a doc page of a stock Docusaurus site (preset-classic, same installed packages, same locale)
 * runs. That plain site is built from scratch in .bench/plain-site/ (again when package-lock.json changes).
 * Target: ≤ 1.2× for every lesson.
 *
 *   npx tsx scripts/bench-pages.ts [--json]      (BENCH_DIR=… serves another build of this site)
 */
import {chromium, type Browser} from '@playwright/test';
import {chromiumLaunchOptions} from '../playwright.config';
import {lessons} from '../src/course';
import {buildPlainSite} from './support/plainSite';
import {kb, recordScripts, runOnPage, serveBuild, total, type Bytes} from './support/site';

const TARGET = 1.2;
/**
 * How long after its load event a page is watched for scripts it runs by itself: the site registers its service
 * worker (and loads the registration's code) once the page has been quiet for 2 s, at the next idle moment, at most
 * 2 s later (QUIET_MS in src/pwa/registerServiceWorker.ts). Watching for less counted that code on some pages and not
 * on others, run to run.
 */
const AFTER_LOAD_MS = 5_000;

/** Scripts the page runs on load: after the network is idle and the page's own deferred work, before any interaction. */
async function pageScripts(browser: Browser, url: string): Promise<Bytes | undefined> {
  // The registration's code runs and is counted; the service worker itself is not installed (its precache of the
  // whole build would only slow the benchmark down).
  const context = await browser.newContext({colorScheme: 'light', serviceWorkers: 'block'});
  const scripts = recordScripts(context);
  const page = await context.newPage();
  const response = await page.goto(url, {waitUntil: 'networkidle'});
  if (response?.status() !== 200) {
    await context.close();
    return undefined; // not in this build
  }
  await page.waitForSelector('html[data-has-hydrated=true]', {state: 'attached'});
  await page.waitForFunction(
    (ms) => {
      const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming | undefined;
      return nav !== undefined && nav.loadEventEnd > 0 && performance.now() - nav.loadEventEnd > ms;
    },
    AFTER_LOAD_MS,
    {polling: 250, timeout: AFTER_LOAD_MS + 30_000},
  );
  await page.waitForLoadState('networkidle');
  const run = total(await runOnPage(page, scripts));
  await context.close();
  return run;
}

async function main(): Promise<void> {
  const plainBuild = buildPlainSite();
  const site = await serveBuild(process.env.BENCH_DIR ?? 'build');
  const plain = await serveBuild(plainBuild);
  const browser = await chromium.launch(chromiumLaunchOptions);
  try {
    const baseline = await pageScripts(browser, `${plain.base}/docs/page-2`);
    if (!baseline) throw new Error('the plain site has no /docs/page-2');
    const rows: {lesson: string; gzip: number; files: number; ratio: number}[] = [];
    for (const lesson of lessons) {
      const js = await pageScripts(browser, `${site.base}/docs/${lesson.id}`);
      if (js) rows.push({lesson: lesson.id, gzip: js.gzip, files: js.files, ratio: js.gzip / baseline.gzip});
      else console.error(`${lesson.id}: not in this build`);
    }
    if (process.argv.includes('--json')) console.log(JSON.stringify({baseline, rows}));
    else {
      console.log(`pages: JavaScript run on load (gzip) vs a plain Docusaurus doc page (${kb(baseline.gzip)}, ${baseline.files} files); target ≤ ${TARGET}×`);
      for (const row of rows) {
        const over = row.ratio > TARGET ? `  (over the ${TARGET}× target)` : '';
        console.log(`  ${row.lesson.padEnd(30)} ${kb(row.gzip).padStart(8)} in ${String(row.files).padStart(2)} files  ${row.ratio.toFixed(2)}×${over}`);
      }
      console.log(`pages: worst ${Math.max(...rows.map((r) => r.ratio)).toFixed(2)}×`);
    }
    if (rows.some((r) => r.ratio > TARGET)) process.exitCode = 1;
  } finally {
    await browser.close();
    site.stop();
    plain.stop();
  }
}

void main();
