import {expect, test, type Page} from '@playwright/test';
import {lessons} from '../../src/course';
import {lessonSource, manifestFiles, mermaidBlockCount} from '../support/docs';
import {watchForErrors} from '../support/pageErrors';

async function expectDiagramsRendered(page: Page, count: number): Promise<void> {
  // Diagrams are drawn when they come near the viewport: visit each one as a reader would.
  const places = page.locator('.docusaurus-mermaid-container');
  await expect(places).toHaveCount(count);
  for (const place of await places.all()) {
    await place.scrollIntoViewIfNeeded();
    await expect(place.locator('svg')).toHaveCount(1, {timeout: 20_000});
  }
  const diagrams = page.locator('.docusaurus-mermaid-container svg');
  await expect(diagrams).toHaveCount(count);
  for (const diagram of await diagrams.all()) {
    const box = await diagram.boundingBox();
    expect(box?.width ?? 0).toBeGreaterThan(50);
    // A diagram that failed to parse renders Mermaid's error graphic instead of text labels.
    await expect(diagram).not.toContainText('Syntax error');
  }
}

for (const lesson of lessons) {
  test(`lesson ${lesson.id} renders its title, diagrams and manifests`, async ({page}) => {
    const source = lessonSource(lesson.id);
    const title = source.match(/^title:\s*(.+)$/m)?.[1].trim().replace(/^['"]|['"]$/g, '');
    const problems = watchForErrors(page);

    await page.goto(`/docs/${lesson.id}`);
    await expect(page.locator('html')).toHaveAttribute('lang', 'ru');
    await expect(page.locator('article h1')).toHaveText(title ?? '');

    const files = manifestFiles(source);
    const manifests = page.locator('figure[data-manifest]');
    await expect(manifests).toHaveCount(files.length);
    for (const [index, file] of files.entries()) {
      const manifest = manifests.nth(index);
      await expect(manifest).toHaveAttribute('data-manifest', file);
      await expect(manifest.locator('pre')).toContainText('apiVersion:');
      await expect(manifest.getByRole('link', {name: /Скачать/})).toHaveAttribute('href', /^data:application\/yaml/);
      await expect(manifest.getByRole('button', {name: 'Редактировать'})).toBeVisible();
    }
    // Manifests are highlighted text until the learner asks for the editor.
    await expect(page.locator('.monaco-editor')).toHaveCount(0);
    if (files.length >= 2) {
      await expect(page.getByRole('complementary', {name: 'Все манифесты урока'})).toHaveAttribute('data-lesson-manifests', String(files.length));
    }

    const diagrams = mermaidBlockCount(source);
    await expectDiagramsRendered(page, diagrams);

    // Both themes: switch to dark and check every diagram is drawn again.
    await page.evaluate(() => window.localStorage.setItem('theme', 'dark'));
    await page.reload();
    await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
    await expectDiagramsRendered(page, diagrams);

    expect(problems).toEqual([]);
  });
}

test('diagrams far below the first screen are drawn only when the reader gets near them', async ({page}) => {
  await page.goto('/docs/scenarios/egress');
  const last = page.locator('.docusaurus-mermaid-container').last();
  const first = page.locator('.docusaurus-mermaid-container').first();
  await first.scrollIntoViewIfNeeded();
  await expect(first.locator('svg')).toHaveCount(1, {timeout: 20_000});
  // Mermaid is loaded and idle now; an eager page would have drawn the last diagram by this time.
  await page.waitForTimeout(1500);
  await expect(last).toHaveAttribute('data-mermaid', 'pending');
  await expect(last.locator('svg')).toHaveCount(0);
  await last.scrollIntoViewIfNeeded();
  await expect(last).toHaveAttribute('data-mermaid', 'rendered', {timeout: 20_000});
  await expect(last.locator('svg')).toHaveCount(1);
});

test("a lesson's HTML preloads the chunks of its route, and the page uses every one of them", async ({page}) => {
  const unused: string[] = [];
  page.on('console', (m) => {
    if (/preloaded using link preload but not used/.test(m.text())) unused.push(m.text());
  });
  await page.goto('/docs/scenarios/egress');
  const preloads = await page.locator('link[rel=preload][as=script]').evaluateAll((links) => links.map((l) => (l as HTMLLinkElement).href));
  expect(preloads.length).toBeGreaterThanOrEqual(3);
  await page.waitForSelector('html[data-has-hydrated=true]', {state: 'attached'});
  // each chunk file registers itself with webpack when it runs: every preloaded one did
  const registered = await page.evaluate(() =>
    ((window as unknown as {webpackChunkistio_practicum?: [Array<string | number>][]}).webpackChunkistio_practicum ?? []).flatMap((entry) => entry[0].map(String)),
  );
  for (const href of preloads) {
    const text = await (await page.request.get(href)).text();
    const ids = /\.push\(\[\[([^\]]*)\]/.exec(text)?.[1].split(',').map((id) => id.replace(/["']/g, '')) ?? [];
    expect(ids.length, `${href} is a webpack chunk`).toBeGreaterThan(0);
    expect(registered, `${href} was run by the page`).toEqual(expect.arrayContaining(ids));
  }
  await page.waitForTimeout(3500); // Chromium reports an unused preload after ~3 s
  expect(unused).toEqual([]);
});

test('home page lists every lesson of the course', async ({page}) => {
  const problems = watchForErrors(page);
  await page.goto('/');
  for (const lesson of lessons) {
    await expect(page.locator(`main a[href="/docs/${lesson.id}"]`)).toContainText(lesson.label);
  }
  await page.getByRole('link', {name: 'Начать с первого урока'}).click();
  await expect(page).toHaveURL(/\/docs\/service-mesh$/);
  expect(problems).toEqual([]);
});

test('sidebar leads through all lessons in order with "next" links', async ({page}) => {
  await page.goto(`/docs/${lessons[0].id}`);
  for (const lesson of lessons.slice(1)) {
    // the previous page's link is gone once the new page is shown: click the link to this lesson
    const next = page.locator('a.pagination-nav__link--next');
    await expect(next).toHaveAttribute('href', `/docs/${lesson.id}`);
    await next.click();
    await expect(page).toHaveURL(new RegExp(`/docs/${lesson.id}$`));
  }
  await expect(page.locator('a.pagination-nav__link--next')).toHaveCount(0);
});
