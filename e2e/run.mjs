// End-to-end test in headless Chromium, run by tests/app/e2e.rs against the real app.
// Env: BASE_URL, E2E_EMAIL, E2E_PASSWORD, SCREENSHOT_DIR, CHROMIUM_PATH.
import { chromium } from 'playwright-core';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

const base = process.env.BASE_URL;
const email = process.env.E2E_EMAIL;
const password = process.env.E2E_PASSWORD;
const shots = process.env.SCREENSHOT_DIR || 'screenshots';
mkdirSync(shots, { recursive: true });

const PHONE = { width: 390, height: 844 };
const LAPTOP = { width: 1366, height: 900 };
let shotNo = 0;

function expect(cond, message) {
  if (!cond) throw new Error(`expectation failed: ${message}`);
}

async function screenshots(page, name) {
  shotNo += 1;
  const n = String(shotNo).padStart(2, '0');
  await page.setViewportSize(PHONE);
  await page.screenshot({ path: join(shots, `${n}-${name}-phone.png`), fullPage: true });
  await page.setViewportSize(LAPTOP);
  await page.screenshot({ path: join(shots, `${n}-${name}-laptop.png`), fullPage: true });
  console.log(`e2e: screenshots ${n}-${name}`);
}

const htmlLang = (page) => page.evaluate(() => document.documentElement.lang);

const timer = setTimeout(() => {
  console.error('e2e: timed out after 90 s');
  process.exit(1);
}, 90_000);

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync'],
});
const context = await browser.newContext({ locale: 'fi-FI', viewport: LAPTOP });
const page = await context.newPage();
let failed = false;
try {
  console.log('e2e: login page');
  await page.goto(`${base}/login`);
  expect((await htmlLang(page)) === 'fi', 'the login page is in Finnish for a Finnish browser');
  await screenshots(page, 'login');
  await page.fill('#email', email);
  await page.fill('#password', password);
  await Promise.all([page.waitForURL(/\/employers$/), page.click('#login-form button[type=submit]')]);

  console.log('e2e: employer list');
  expect(await page.locator('.employer-row').count() > 0, 'the demo employers are listed');
  await screenshots(page, 'employers');

  console.log('e2e: a wrong business id is refused with a message by the field');
  await page.click('a#new-employer');
  await page.waitForURL(/\/employers\/new$/);
  await page.fill('#name', 'E2E Testi Oy');
  await page.fill('#business_id', '1234567-8');
  await page.click('#employer-form button[type=submit]');
  await page.waitForSelector('#business_id-error');
  expect(!/\/employers\/\d+$/.test(page.url()), 'nothing was saved');
  expect((await page.getAttribute('#business_id', 'aria-invalid')) === 'true', 'the field is marked invalid');
  await screenshots(page, 'employer-form-error');

  console.log('e2e: the fixed form saves');
  await page.fill('#business_id', '1572860-0');
  await page.selectOption('#industry', 'G');
  await page.selectOption('#municipality_code', '837');
  await Promise.all([page.waitForURL(/\/employers\/\d+$/), page.click('#employer-form button[type=submit]')]);
  expect((await page.textContent('h1')).trim() === 'E2E Testi Oy', 'the employer page shows the new employer');

  console.log('e2e: a contact person');
  await page.fill('#contact-name', 'Maija Esimerkki');
  await page.fill('#contact-title', 'Myymäläpäällikkö');
  await page.fill('#contact-email', 'maija@example.com');
  await page.check('#contact-can_hire');
  await Promise.all([page.waitForURL(/\/employers\/\d+/), page.click('#contact-form button[type=submit]')]);
  await page.waitForSelector('.contact-card');
  expect((await page.locator('#contacts .contact-card', { hasText: 'Maija Esimerkki' }).count()) === 1, 'the contact card shows');
  await screenshots(page, 'employer-page');

  console.log('e2e: switch to English');
  await Promise.all([page.waitForLoadState('load'), page.click('#lang-form button[value=en]')]);
  await page.waitForFunction(() => document.documentElement.lang === 'en');
  expect((await page.textContent('h1')).includes('E2E Testi Oy'), 'the same page, in English');
  expect((await page.textContent('body')).includes('Contact persons'), 'English labels');
  await screenshots(page, 'employer-page-en');

  await page.goto(`${base}/employers`);
  expect((await page.textContent('h1')).includes('Employers'), 'the list is in English');
  await screenshots(page, 'employers-en');

  await page.goto(`${base}/account`);
  await screenshots(page, 'account-en');
  console.log('e2e: done');
} catch (err) {
  failed = true;
  console.error(`e2e: FAILED: ${err.message}`);
  console.error(`e2e: at ${page.url()}`);
  try {
    console.error((await page.textContent('body')).slice(0, 2000));
    await page.screenshot({ path: join(shots, 'failure.png'), fullPage: true });
  } catch {}
} finally {
  await browser.close();
  clearTimeout(timer);
}
process.exit(failed ? 1 : 0);
