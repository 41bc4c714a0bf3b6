import {chromium} from '@playwright/test';
import {chromiumLaunchOptions} from './playwright.config';
import {recordScripts, runOnPage, serveBuild} from './scripts/support/site';
(async () => {
  const site = await serveBuild('.bench/plain-site/build');
  const browser = await chromium.launch(chromiumLaunchOptions);
  for (const l of ['PLAIN']) {
    const context = await browser.newContext({serviceWorkers: 'block'});
    const scripts = recordScripts(context);
    const page = await context.newPage();
    await page.goto(`${site.base}/docs/page-2`, {waitUntil: 'networkidle'});
    await page.waitForTimeout(6000);
    const run = await runOnPage(page, scripts);
    console.log(l);
    for (const s of run) console.log(`  ${(s.gzip/1024).toFixed(1).padStart(6)} KiB gz ${(s.bytes/1024).toFixed(1).padStart(7)} KiB  ${s.url.split('/').pop()}`);
    await context.close();
  }
  await browser.close(); site.stop();
})();
