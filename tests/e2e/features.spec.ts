import {lessons} from '../../src/course';
import {expect, test} from '@playwright/test';

test('search finds Russian words by their stem, not only the exact form', async ({page}) => {
  await page.goto('/docs/service-mesh');
  const search = page.getByLabel('Поиск', {exact: true});
  // "шлюзами" never has to appear verbatim: the Russian stemmer reduces it to the stem of "шлюз".
  await search.fill('шлюзами');
  const suggestions = page.getByRole('option');
  await expect(suggestions.first()).toBeVisible();
  await expect(suggestions.first()).toContainText(/шлюз/i);
  // At least one hit is another word form than the query: matching went through the stem.
  const marked = await page.getByRole('listbox').locator('mark').allInnerTexts();
  const forms = marked.map((text) => text.toLowerCase().replace(/[^а-яё]/g, ''));
  expect(forms.some((form) => form.startsWith('шлюз') && form !== 'шлюзами')).toBe(true);
});

test('the quiz explains a wrong answer and confirms the right one', async ({page}) => {
  await page.goto('/docs/service-mesh');
  const quiz = page.locator('section', {has: page.getByText('Проверьте себя')}).first();
  const options = quiz.getByRole('radio');
  const count = await options.count();
  expect(count).toBeGreaterThan(1);
  let sawWrong = false;
  let sawRight = false;
  for (let index = 0; index < count; index += 1) {
    await options.nth(index).click();
    await expect(options.nth(index)).toHaveAttribute('aria-checked', 'true');
    const verdict = await quiz.locator('[aria-live] strong').innerText();
    if (verdict.startsWith('Верно')) sawRight = true;
    if (verdict.startsWith('Не совсем')) sawWrong = true;
  }
  expect(sawRight && sawWrong).toBe(true);
});

test('a lesson fits a phone screen without horizontal scrolling', async ({browser}) => {
  const context = await browser.newContext({viewport: {width: 375, height: 740}, isMobile: true, hasTouch: true});
  const page = await context.newPage();
  await page.goto('/docs/scenarios/ingress-service-a');
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  await page.getByRole('button', {name: /навигац|меню/i}).first().click();
  await expect(page.locator('.navbar-sidebar')).toBeVisible();
  await context.close();
});

test('every page names its canonical address and the social card; the sitemap lists every lesson', async ({page, request}) => {
  await page.goto('/docs/gateway');
  const canonical = await page.locator('link[rel="canonical"]').getAttribute('href');
  expect(canonical).toMatch(/^https:\/\/[^/]+\/docs\/gateway$/);
  const site = new URL(canonical!).origin;
  await expect(page.locator('meta[property="og:url"]')).toHaveAttribute('content', canonical!);
  await expect(page.locator('meta[property="og:image"]')).toHaveAttribute('content', `${site}/img/social-card.png`);
  await expect(page.locator('meta[name="twitter:card"]')).toHaveAttribute('content', 'summary_large_image');
  // the card is served and has the size Open Graph shows uncropped (PNG IHDR: width and height)
  const card = await request.get('/img/social-card.png');
  expect(card.status()).toBe(200);
  const png = await card.body();
  expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([1200, 630]);
  const sitemap = await (await request.get('/sitemap.xml')).text();
  for (const lesson of lessons) expect(sitemap, lesson.id).toContain(`<loc>${site}/docs/${lesson.id}</loc>`);
});
