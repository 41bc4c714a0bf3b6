/**
 * A workshop room's Wi-Fi: after one visit online the site works with the network gone — a
 * reload, another lesson, the terminal with its sandbox, the manifest editor and its validation.
 * The service worker (@docusaurus/plugin-pwa, offline mode 'always') precaches the whole build.
 */
import {createServer} from 'node:http';
import type {AddressInfo} from 'node:net';
import {expect, test, type Page} from '@playwright/test';
import {launchTerminal, screenText, type} from '../support/terminal';

test.use({serviceWorkers: 'allow'});

/** Waits until the service worker is active: its install step has stored every file of the build. */
async function precached(page: Page): Promise<number> {
  return page.evaluate(async () => {
    await navigator.serviceWorker.ready;
    const names = await caches.keys();
    let n = 0;
    for (const name of names) n += (await (await caches.open(name)).keys()).length;
    return n;
  });
}

test('after one visit, the lessons, the terminal and the editor work offline', async ({page, context}) => {
  test.setTimeout(180_000);
  const consoleErrors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') consoleErrors.push(m.text());
  });
  await page.goto('/docs/scenarios/ingress-service-a');
  expect(await precached(page), 'files in the precache').toBeGreaterThan(100);

  await context.setOffline(true);

  // a reload with the network gone: the page comes from the service worker
  await page.reload();
  await expect(page.getByRole('heading', {level: 1})).toContainText('Ingress');

  // the terminal and its sandbox (a worker chunk) start offline and run commands
  await launchTerminal(page);
  await type(page, 'kubectl get ns');
  await expect(screenText(page)).toContainText('istio-system');

  // another lesson, opened by its address, and its manifest editor (Monaco and the YAML worker)
  await page.goto('/docs/destination-rule');
  const manifest = page.locator('figure[data-manifest="destination-rule/destination-rule.yaml"]');
  await manifest.scrollIntoViewIfNeeded();
  await expect(manifest).toHaveAttribute('data-interactive', 'true');
  await manifest.getByRole('button', {name: 'Редактировать'}).click();
  await expect(manifest.locator('.monaco-editor')).toBeVisible({timeout: 30_000});
  await expect(page.getByText('На странице произошёл сбой')).toHaveCount(0);
  // the service worker registered without complaint (other tests block it: tests/support/pageErrors.ts)
  expect(consoleErrors.filter((e) => e.includes('registerSW'))).toEqual([]);
});

test('the precache waits for a terminal opened at once, then starts', async ({page}) => {
  test.setTimeout(60_000);
  // when the page asks for the service worker (plugin-pwa's registerSw, via src/pwa/registerServiceWorker.ts)
  await page.addInitScript(() => {
    const sw = navigator.serviceWorker;
    const register = sw.register.bind(sw);
    sw.register = (...args: Parameters<ServiceWorkerContainer['register']>) => {
      (window as unknown as {swRegisteredAt: number}).swRegisteredAt = performance.now();
      return register(...args);
    };
  });
  // the page is still loading when the learner opens the terminal: an image of the page is held
  // until the terminal is ready, so its load event (and with it the quiet-page path) cannot come
  // first however slow the machine is (on a loaded CI machine the page used to load and stay
  // quiet for 2 s before the test's click, and the precache rightly started then)
  let release: () => void = () => {};
  const held = new Promise<void>((r) => (release = r));
  await page.route('**/held-image.png', async (route) => {
    await held;
    await route.fulfill({status: 404, body: ''});
  });
  await page.addInitScript(() => {
    document.addEventListener('DOMContentLoaded', () => {
      const img = document.createElement('img');
      img.src = '/held-image.png';
      img.alt = '';
      document.body.appendChild(img);
    });
  });
  await page.goto('/docs/scenarios/traffic-split', {waitUntil: 'domcontentloaded'});
  await page.waitForSelector('html[data-has-hydrated=true]', {state: 'attached'});
  expect(await page.evaluate(() => document.readyState), 'the page is still loading').not.toBe('complete');
  await launchTerminal(page);
  const terminalReady = await page.evaluate(() => performance.getEntriesByName('terminal:ready')[0]?.startTime);
  expect(terminalReady).toBeGreaterThan(0);
  release();
  await page.waitForFunction(() => (window as unknown as {swRegisteredAt?: number}).swRegisteredAt !== undefined, undefined, {timeout: 20_000});
  const registeredAt = await page.evaluate(() => (window as unknown as {swRegisteredAt: number}).swRegisteredAt);
  expect(registeredAt, 'the service worker registers after the terminal is ready').toBeGreaterThanOrEqual(terminalReady);
  expect(await precached(page), 'files in the precache').toBeGreaterThan(100);
});

/**
 * The build served through a proxy on a free loopback port whose sw.js can be made to change, as a
 * new deployment's does (its precache manifest lists new file revisions): the browser's update check
 * of the service worker script is not a request Playwright's routing sees.
 */
async function redeployableSite(target: string): Promise<{base: string; redeploy: () => void; close: () => Promise<void>}> {
  let deployment = 0;
  const server = createServer((req, res) => {
    void (async () => {
      const upstream = await fetch(new URL(req.url ?? '/', target), {redirect: 'manual'});
      const headers: Record<string, string> = {};
      upstream.headers.forEach((value, key) => {
        if (!['content-length', 'content-encoding', 'transfer-encoding'].includes(key)) headers[key] = value;
      });
      let body = Buffer.from(await upstream.arrayBuffer());
      if (/^\/sw\.js(\?|$)/.test(req.url ?? '') && deployment > 0) body = Buffer.concat([body, Buffer.from(`\n// deployment ${deployment}\n`)]);
      res.writeHead(upstream.status, headers);
      res.end(body);
    })().catch(() => res.writeHead(502).end());
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const {port} = server.address() as AddressInfo;
  return {
    base: `http://127.0.0.1:${port}`,
    redeploy: () => (deployment += 1),
    close: () => new Promise((r) => server.close(() => r())),
  };
}

test('a new version of the site: the page offers it, and «Обновить» reloads under the new service worker', async ({page, baseURL}) => {
  test.setTimeout(120_000);
  const site = await redeployableSite(baseURL ?? '');
  try {
    // the first visit installs the service worker and its precache
    await page.goto(`${site.base}/docs/service-mesh`);
    expect(await precached(page), 'files in the precache').toBeGreaterThan(100);
    const version = (): Promise<string | null> => page.evaluate(async () => (await (await fetch('/sw.js', {cache: 'no-store'})).text()).match(/deployment \d+/)?.[0] ?? null);
    expect(await version()).toBeNull();

    // the site is deployed again; the next visit finds the new service worker, which waits
    site.redeploy();
    await page.reload();
    const popup = page.getByText('Доступна новая версия');
    await expect(popup, 'the reload popup of a waiting update').toBeVisible({timeout: 30_000});
    expect(await page.evaluate(async () => (await navigator.serviceWorker.getRegistration())?.waiting?.state)).toBe('installed');

    // «Обновить»: the waiting worker takes over and the page reloads under it
    const reloaded = page.waitForEvent('load');
    await page.getByRole('button', {name: 'Обновить'}).click();
    await reloaded;
    await expect(popup).toHaveCount(0);
    await expect.poll(() => page.evaluate(async () => (await navigator.serviceWorker.getRegistration())?.waiting ?? null)).toBeNull();
    await expect.poll(() => page.evaluate(() => navigator.serviceWorker.controller?.state)).toBe('activated');
  } finally {
    await site.close();
  }
});
