/**
 * Draws the social card (static/img/social-card.png, 1200×630: the size Open Graph and X's
 * summary_large_image show without cropping) from the site's title, tagline and logo. It never
 * changes with the lessons, so it is drawn once and committed; run again after changing the
 * title or the logo:
 *
 *   npm run social-card
 */
import fs from 'node:fs';
import path from 'node:path';
import {chromium} from '@playwright/test';
import {chromiumLaunchOptions} from '../playwright.config';

const root = path.resolve(__dirname, '..');
const logo = fs.readFileSync(path.join(root, 'static', 'img', 'logo.svg'), 'utf8');
const out = path.join(root, 'static', 'img', 'social-card.png');

const html = `<!doctype html>
<html lang="ru"><head><meta charset="utf-8"><style>
  html, body { margin: 0; width: 1200px; height: 630px; }
  body {
    box-sizing: border-box; padding: 72px 88px; display: flex; flex-direction: column; justify-content: space-between;
    background: linear-gradient(135deg, #14233f 0%, #1f3a6b 60%, #2f5fb3 100%); color: #fff;
    font-family: 'DejaVu Sans', 'Liberation Sans', Arial, sans-serif;
  }
  header { display: flex; align-items: center; gap: 28px; }
  header svg { width: 112px; height: 112px; background: #fff; border-radius: 24px; padding: 14px; box-sizing: border-box; }
  h1 { font-size: 76px; margin: 0; letter-spacing: -1px; }
  p { font-size: 40px; line-height: 1.35; margin: 0; max-width: 1000px; color: #e3ecff; }
  footer { display: flex; gap: 18px; flex-wrap: wrap; }
  footer span { font-family: 'DejaVu Sans Mono', monospace; font-size: 26px; padding: 10px 18px; border-radius: 10px; background: rgba(255,255,255,0.13); }
</style></head><body>
  <header>${logo}<h1>Istio-практикум</h1></header>
  <p>Интерактивный курс по service mesh и Istio с песочницей Kubernetes&nbsp;+&nbsp;Istio прямо в&nbsp;браузере</p>
  <footer><span>kubectl apply</span><span>VirtualService</span><span>mTLS</span><span>istioctl analyze</span></footer>
</body></html>`;

async function main(): Promise<void> {
  const browser = await chromium.launch(chromiumLaunchOptions);
  try {
    const page = await browser.newPage({viewport: {width: 1200, height: 630}, deviceScaleFactor: 1});
    await page.setContent(html);
    await page.screenshot({path: out, type: 'png'});
  } finally {
    await browser.close();
  }
  console.log(`social card: ${path.relative(root, out)}`);
}

void main();
