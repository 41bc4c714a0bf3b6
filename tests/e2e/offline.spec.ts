/**
 * A workshop room's Wi-Fi: after one visit online the site works with the network gone — a
 * reload, another lesson, the terminal with its sandbox, the manifest editor and its validation.
 * The service worker (@docusaurus/plugin-pwa, offline mode 'always') precaches the whole build.
 */
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
