import { chromium } from 'playwright-core';
const base = 'http://127.0.0.1:8098';
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
const ctx = await browser.newContext({ viewport: { width: 360, height: 740 }, locale: 'fi-FI' });
const page = await ctx.newPage();
const errors = [];
page.on('console', (m) => { if (m.type() === 'error') errors.push(`${page.url()}: ${m.text()}`); });
await page.goto(base + '/login');
await page.fill('input[name=email]', process.env.WHO || 'mikko.virtanen@demo.placefirst.fi');
await page.fill('input[name=password]', 'placefirst-demo');
await Promise.all([page.waitForEvent('load'), page.click('#login-form button[type=submit]')]);
console.log('after login', page.url());
if (process.env.LANG_SET) {
  await Promise.all([page.waitForEvent('load'), page.click(`form#lang-form button[value=${process.env.LANG_SET}]`)]);
}
const paths = (process.env.PATHS || '/plan,/plan/team,/employers,/leads,/fidelity,/contact-days,/follow-ups,/clients,/partners,/outreach,/agenda,/account').split(',');
for (const p of paths) {
  await page.goto(base + p);
  const r = await page.evaluate(() => {
    const w = document.documentElement.scrollWidth;
    let widest = null; let max = window.innerWidth;
    for (const el of document.querySelectorAll('body *')) {
      const b = el.getBoundingClientRect();
      if (b.right > max + 1) { max = b.right; widest = el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + (el.className && typeof el.className === 'string' ? '.' + el.className.split(' ').join('.') : ''); }
    }
    const h = document.querySelector('header.topbar')?.getBoundingClientRect().height;
    const iso = (document.body.innerText.match(/\d{4}-W\d{2}|\d{4}-Q\d|\b\d{4}-\d{2}-\d{2}\b/g) || []).slice(0, 5);
    return { w, widest, max, h, iso, lang: document.documentElement.lang };
  });
  await page.addScriptTag({ path: '/work/main/e2e/node_modules/axe-core/axe.min.js' });
  const axe = await page.evaluate(async () => (await window.axe.run()).violations.filter((v) => ['serious', 'critical'].includes(v.impact)).map((v) => `${v.id}(${v.impact}): ${v.nodes.slice(0, 2).map((n) => n.target.join(' ')).join(' | ')}`));
  console.log(p, JSON.stringify(r), axe.length ? 'AXE ' + axe.join('; ') : '');
  if (process.env.SHOTS) await page.screenshot({ path: `/tmp/shots/${p.replace(/\W+/g, '_')}-${process.env.LANG_SET || 'fi'}.png`, fullPage: true });
}
console.log('console errors', errors);
await browser.close();
