/**
 * Accessibility of the course in both themes, checked with axe-core (WCAG 2 A and AA rules): no
 * serious or critical violation on the home page and on lessons of each kind, with the terminal
 * open and a manifest in the editor. Contrast includes the code colours (src/theme/prismThemes.ts).
 * The workshop's room pages are checked in tests/e2e/workshop.spec.ts, which starts their server.
 */
import {expect, test} from '@playwright/test';
import {seriousViolations} from '../support/axe';
import {launchTerminal, type} from '../support/terminal';

const PAGES = ['/', '/docs/service-mesh', '/docs/virtual-service', '/docs/scenarios/egress', '/docs/practice/mtls', '/docs/commands'];

for (const scheme of ['light', 'dark'] as const) {
  test.describe(`${scheme} theme`, () => {
    test.use({colorScheme: scheme});

    // a test per page: axe on a long lesson takes 15–25 s on a loaded CI machine, six in one test ran out of time
    for (const path of PAGES) {
      test(`${path} has no serious accessibility violations`, async ({page}) => {
        await page.goto(path);
        await expect(page.locator('main')).toBeVisible();
        expect(await seriousViolations(page), path).toEqual([]);
      });
    }

    test('a lesson with its terminal running and a manifest in the editor has none either', async ({page}) => {
      test.setTimeout(120_000);
      await page.goto('/docs/practice/mtls');
      await launchTerminal(page);
      await type(page, 'kubectl get pods -A');
      const manifest = page.locator('figure[data-manifest="mtls/ledger.yaml"]');
      await manifest.scrollIntoViewIfNeeded();
      await expect(manifest).toHaveAttribute('data-interactive', 'true');
      await manifest.getByRole('button', {name: 'Редактировать'}).click();
      await expect(manifest.locator('.monaco-editor')).toBeVisible({timeout: 30_000});
      expect(await seriousViolations(page)).toEqual([]);
    });
  });
}
