import { chromium } from 'playwright-core';
const base = 'http://127.0.0.1:8098';
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
const ctx = await browser.newContext({ viewport: { width: 360, height: 740 } });
const page = await ctx.newPage();
await page.goto(base + '/login');
await page.fill('input[name=email]', process.env.WHO || 'sanna.lehtonen@demo.placefirst.fi');
await page.fill('input[name=password]', 'placefirst-demo');
await Promise.all([page.waitForEvent('load'), page.click('#login-form button[type=submit]')]);
for (const p of process.argv.slice(2)) {
  await page.goto(base + p);
  console.log(p, JSON.stringify(await page.evaluate(() => [...document.querySelectorAll('table, pre, code, svg, img')].map((t) => [t.tagName, t.className?.baseVal ?? t.className, Math.round(t.getBoundingClientRect().right), (t.querySelector('th,td')?.innerText || '').slice(0, 30)]).filter((x) => x[2] > 360))));
}
await browser.close();
