import { chromium } from '/work/main/e2e/node_modules/playwright-core/index.mjs';
const base = 'http://127.0.0.1:8098';
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
const w = Number(process.env.W || 390);
const ctx = await browser.newContext({ viewport: { width: w, height: 844 }, locale: 'fi-FI' });
const page = await ctx.newPage();
await page.goto(base + '/login');
await page.fill('input[name=email]', process.env.WHO || 'mikko.virtanen@demo.placefirst.fi');
await page.fill('input[name=password]', 'placefirst-demo');
await Promise.all([page.waitForEvent('load'), page.click('#login-form button[type=submit]')]);
if (process.env.LANG_SET) await Promise.all([page.waitForEvent('load'), page.click(`form#lang-form button[value=${process.env.LANG_SET}]`)]);
for (const p of (process.env.PATHS || '/plan').split(',')) {
  await page.goto(base + p);
  if (process.env.SCROLL) await page.evaluate((s) => document.querySelector(s)?.scrollIntoView(), process.env.SCROLL);
  await page.screenshot({ path: `/tmp/shots/top-${p.replace(/\W+/g, '_')}-${w}.png`, fullPage: !!process.env.FULL });
}
await browser.close();
