import {expect, test, type Page} from '@playwright/test';
import {lessons} from '../../src/course';
import {lessonSource, manifestFiles, mermaidBlockCount} from '../support/docs';
import {watchForErrors} from '../support/pageErrors';

type Theme = 'light' | 'dark';
const other = (theme: Theme): Theme => (theme === 'light' ? 'dark' : 'light');

/** Each diagram shows the picture of the page's theme, loaded and described; the other theme's picture is hidden. */
async function expectDiagramsShown(page: Page, count: number, theme: Theme): Promise<void> {
  const figures = page.locator('article figure.diagram');
  await expect(figures).toHaveCount(count);
  for (const figure of await figures.all()) {
    const picture = figure.locator(`img.diagram__picture--${theme}`);
    await picture.scrollIntoViewIfNeeded();
    await expect(picture).toBeVisible();
    await expect(figure.locator(`img.diagram__picture--${other(theme)}`)).toBeHidden();
    // the SVG file was found and drawn (a broken picture has no natural size)
    await expect.poll(() => picture.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth), {timeout: 10_000}).toBeGreaterThan(50);
    expect((await picture.boundingBox())?.width ?? 0).toBeGreaterThan(50);
    await expect(picture).toHaveAttribute('alt', /^(Схема|Диаграмма последовательности)[^]{20,}/);
  }
}

/** Scripts that carry Mermaid's code (its API object and its parser's error class are in every build of it). */
function watchForMermaid(page: Page): string[] {
  const found: string[] = [];
  page.on('response', async (response) => {
    const url = response.url();
    if (!/\.m?js(\?|$)/.test(url)) return;
    if (/mermaid/i.test(url)) found.push(url);
    else {
      const body = await response.text().catch(() => '');
      if (/mermaidAPI|UnknownDiagramError/.test(body)) found.push(url);
    }
  });
  return found;
}

for (const lesson of lessons) {
  test(`lesson ${lesson.id} renders its title, diagrams and manifests`, async ({page}) => {
    const source = lessonSource(lesson.id);
    const title = source.match(/^title:\s*(.+)$/m)?.[1].trim().replace(/^['"]|['"]$/g, '');
    const problems = watchForErrors(page);
    const mermaidScripts = watchForMermaid(page);

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
    await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
    await expectDiagramsShown(page, diagrams, 'light');

    // Both themes: a reader who chose the dark one sees the dark pictures.
    await page.evaluate(() => window.localStorage.setItem('theme', 'dark'));
    await page.reload();
    await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
    await expectDiagramsShown(page, diagrams, 'dark');

    expect(mermaidScripts).toEqual([]);
    expect(problems).toEqual([]);
  });
}

test('the theme toggle switches the diagrams to the other theme\'s pictures at once, with no script of Mermaid', async ({page}) => {
  const mermaidScripts = watchForMermaid(page);
  const requested: string[] = [];
  page.on('request', (request) => {
    if (request.url().includes('/diagrams/')) requested.push(new URL(request.url()).pathname);
  });
  await page.goto('/docs/scenarios/egress');
  await page.waitForSelector('html[data-has-hydrated=true]', {state: 'attached'});
  await expectDiagramsShown(page, 3, 'light');
  // the dark pictures are not downloaded while the page is light
  expect(requested.filter((p) => p.endsWith('-dark.svg'))).toEqual([]);
  // the navbar's toggle steps through the modes (system, light, dark): click until the page is dark
  const toggle = page.getByRole('button', {name: /Переключение между темным и светлым режимом/});
  for (let i = 0; i < 3 && (await page.locator('html').getAttribute('data-theme')) !== 'dark'; i += 1) await toggle.click();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await expectDiagramsShown(page, 3, 'dark');
  expect(requested.filter((p) => p.endsWith('-dark.svg'))).toHaveLength(3);
  expect(mermaidScripts).toEqual([]);
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
