/** axe-core (WCAG 2 A and AA rules) on a page: its serious and critical violations, one line each. */
import AxeBuilder from '@axe-core/playwright';
import type {Page} from '@playwright/test';

export async function seriousViolations(page: Page): Promise<string[]> {
  const r = await new AxeBuilder({page}).withTags(['wcag2a', 'wcag2aa']).analyze();
  return r.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.nodes.length}): ${v.nodes.slice(0, 3).map((n) => `${n.target.join(' ')} — ${n.any[0]?.message ?? n.failureSummary ?? ''}`).join(' | ')}`);
}
