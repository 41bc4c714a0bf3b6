import {chromium} from '@playwright/test';
const [url, prefix, theme, w] = process.argv.slice(2);
const browser = await chromium.launch({executablePath: '/usr/bin/chromium', args: ['--headless','--no-sandbox','--disable-gpu']});
const page = await browser.newPage({viewport: {width: +w || 1280, height: 900}});
await page.addInitScript(t => localStorage.setItem('theme', t), theme);
await page.goto(url);
await page.waitForTimeout(3000);
const els = await page.locator('.docusaurus-mermaid-container').all();
for (const [i, el] of els.entries()) await el.screenshot({path: `${prefix}-${i}.png`});
const quiz = page.locator('section', {has: page.getByText('Проверьте себя')}).first();
if (await quiz.count()) { await quiz.getByRole('radio').first().click(); await quiz.screenshot({path: `${prefix}-quiz.png`}); }
await browser.close();
