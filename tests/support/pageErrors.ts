import type {Page} from '@playwright/test';

/** Collects what a learner would see as breakage: console errors, page errors and failed requests. */
export function watchForErrors(page: Page): string[] {
  const problems: string[] = [];
  page.on('console', (message) => {
    // playwright.config.ts blocks service workers (serviceWorkers: 'block'), so the PWA plugin's registration gets no
    // registration object and says so; in a browser that allows them this does not happen (tests/e2e/offline.spec.ts)
    if (message.type() === 'error' && !message.text().startsWith('registerSW failed')) problems.push(`console: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('requestfailed', (request) => {
    // Prefetches cut short by the test's own navigation (a reload, a new page) are not failures.
    if (request.failure()?.errorText !== 'net::ERR_ABORTED') problems.push(`request failed: ${request.url()}`);
  });
  page.on('response', (response) => {
    if (response.status() >= 400) problems.push(`HTTP ${response.status()}: ${response.url()}`);
  });
  return problems;
}
