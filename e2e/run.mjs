// End-to-end test in headless Chromium, run by tests/app/e2e.rs against the real app.
//   node e2e/run.mjs
// Env: BASE_URL (e.g. http://127.0.0.1:34567), E2E_EMAIL, E2E_PASSWORD,
//      SCREENSHOT_DIR (created if missing), CHROMIUM_PATH (default /usr/bin/chromium).
// Prints one `e2e: <step>` line per step and `e2e: done` at the end; exits 1 on failure.
import { chromium } from 'playwright-core';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

const base = (process.env.BASE_URL || '').replace(/\/+$/, '');
const email = process.env.E2E_EMAIL;
const password = process.env.E2E_PASSWORD;
const shots = process.env.SCREENSHOT_DIR || 'screenshots';

const PHONE = { width: 390, height: 844 };
const LAPTOP = { width: 1366, height: 900 };
const GLOBAL_TIMEOUT_MS = 90_000;

let browser;
let page;
let shotNo = 0;

function step(text) {
  console.log(`e2e: ${text}`);
}

function expect(cond, message) {
  if (!cond) throw new Error(`expectation failed: ${message}`);
}

// Full-page screenshots at phone and laptop widths: NN-name-phone.png, NN-name-laptop.png.
async function screenshots(name) {
  shotNo += 1;
  const n = String(shotNo).padStart(2, '0');
  try {
    await page.setViewportSize(PHONE);
    await page.screenshot({ path: join(shots, `${n}-${name}-phone.png`), fullPage: true });
  } finally {
    await page.setViewportSize(LAPTOP);
  }
  await page.screenshot({ path: join(shots, `${n}-${name}-laptop.png`), fullPage: true });
  step(`screenshots ${n}-${name}`);
}

// Clicks something that submits a form and waits until the resulting page
// (after any redirect) has loaded, even when the URL stays the same.
async function submit(selector) {
  await Promise.all([page.waitForEvent('load'), page.click(selector)]);
}

const htmlLang = () => page.evaluate(() => document.documentElement.lang);
const bodyText = async () => (await page.innerText('body')) ?? '';
const h1Text = async () => ((await page.textContent('h1')) ?? '').trim();

async function reportFailure(err) {
  console.error(`e2e: FAILED: ${err && err.message ? err.message : err}`);
  if (!page) return;
  try {
    console.error(`e2e: at ${page.url()}`);
    console.error((await bodyText()).replace(/\s+\n/g, '\n').slice(0, 2000));
    await page.screenshot({ path: join(shots, 'failure.png'), fullPage: true });
  } catch {
    // the page may be gone; the message above is what matters
  }
}

async function scenario() {
  expect(base, 'BASE_URL is set');
  expect(email && password, 'E2E_EMAIL and E2E_PASSWORD are set');
  mkdirSync(shots, { recursive: true });

  step('launch chromium');
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const context = await browser.newContext({ locale: 'fi-FI', viewport: LAPTOP });
  context.setDefaultTimeout(15_000);
  page = await context.newPage();

  // (a) login page, in Finnish for a Finnish browser
  step('login page');
  await page.goto(`${base}/login`);
  expect((await htmlLang()) === 'fi', `the login page is in Finnish (html lang="${await htmlLang()}")`);
  await page.waitForSelector('form#login-form input#email');
  await screenshots('login');
  step('log in');
  await page.fill('input#email', email);
  await page.fill('input#password', password);
  // A specialist lands on their own week.
  await Promise.all([
    page.waitForURL((u) => u.pathname === '/plan'),
    page.click('form#login-form button[type=submit]'),
  ]);

  // (b) employer list
  step('employer list');
  await page.goto(`${base}/employers`);
  expect((await page.locator('.employer-row').count()) > 0, 'employers are listed (.employer-row)');
  await screenshots('employers');

  // (c) a wrong business id is refused, with a message by the field
  step('new employer with a wrong business id');
  await Promise.all([
    page.waitForURL((u) => u.pathname === '/employers/new'),
    page.click('a#new-employer'),
  ]);
  await page.fill('#name', 'E2E Testi Oy');
  await page.fill('#business_id', '1234567-8');
  await submit('form#employer-form button[type=submit]');
  expect(!/\/employers\/\d+\/?$/.test(new URL(page.url()).pathname), `nothing was saved (at ${page.url()})`);
  const fieldError = page.locator(
    '#business_id-error.field-error, #business_id ~ .field-error, :has(> #business_id) .field-error',
  );
  expect((await fieldError.count()) > 0, 'a .field-error is shown by #business_id');
  expect((await page.getAttribute('#business_id', 'aria-invalid')) === 'true',
    '#business_id has aria-invalid="true"');
  expect((await page.inputValue('#name')) === 'E2E Testi Oy', 'the form keeps what was typed');
  await screenshots('employer-form-error');

  // (d) the fixed form saves
  step('fix the business id and save');
  await page.fill('#business_id', '1572860-0');
  await page.selectOption('#industry', 'G');
  await page.selectOption('#municipality_code', '837');
  await Promise.all([
    page.waitForURL((u) => /^\/employers\/\d+\/?$/.test(u.pathname)),
    page.click('form#employer-form button[type=submit]'),
  ]);
  expect((await h1Text()) === 'E2E Testi Oy', `the employer page h1 is "E2E Testi Oy" (got "${await h1Text()}")`);

  // (e) a contact person
  step('add a contact person');
  await page.fill('#contact-name', 'Maija Esimerkki');
  await page.fill('#contact-title', 'Myymäläpäällikkö');
  await page.fill('#contact-email', 'maija@example.com');
  await page.check('#contact-can_hire');
  await submit('form#contact-form button[type=submit]');
  expect(/^\/employers\/\d+\/?$/.test(new URL(page.url()).pathname),
    `back on the employer page after adding a contact (at ${page.url()})`);
  const card = page.locator('#contacts .contact-card', { hasText: 'Maija Esimerkki' });
  expect((await card.count()) === 1, 'a .contact-card in #contacts shows "Maija Esimerkki"');
  await screenshots('employer-page');

  // (f) switch to English: the same page, in English
  step('switch to English');
  const employerUrl = page.url();
  await submit('form#lang-form button[name=lang][value=en]');
  expect((await htmlLang()) === 'en', `html lang is "en" after switching (got "${await htmlLang()}")`);
  expect(new URL(page.url()).pathname === new URL(employerUrl).pathname,
    `the same page is shown after switching (at ${page.url()})`);
  expect((await bodyText()).includes('E2E Testi Oy'), 'the employer page still shows "E2E Testi Oy"');
  expect((await bodyText()).includes('Contact persons'), 'the labels are in English ("Contact persons")');
  await screenshots('employer-page-en');

  // The preference stays English: the employer list is in English too.
  step('employer list in English');
  await page.goto(`${base}/employers`);
  expect((await htmlLang()) === 'en', 'the language choice is kept');
  expect((await bodyText()).includes('Employers'), 'the list page shows "Employers"');
  await screenshots('employers-en');

  step('account page in English');
  await page.goto(`${base}/account`);
  expect((await htmlLang()) === 'en', 'the account page is in English');
  await screenshots('account-en');

  // Issue 3: log a contact from the employer page, plan the next one, see the week.
  step('log a contact from the employer page');
  await page.goto(employerUrl);
  await Promise.all([page.waitForEvent('load'), page.click('a#log-contact')]);
  expect((await page.inputValue('#occurred_at')).length === 16, 'the time is filled in');
  await page.fill('#learned', 'They need help with morning shifts in the bakery.');
  await screenshots('log-contact-form');
  await submit('#outreach-form button[type=submit]');
  expect(new URL(page.url()).pathname === new URL(employerUrl).pathname, `back on the employer page (at ${page.url()})`);
  expect((await page.locator('#timeline .tl-contact').count()) === 1, 'the contact is on the timeline');
  expect((await bodyText()).includes('morning shifts'), 'what was learnt shows');
  await screenshots('employer-timeline');

  step('plan the next visit');
  const employerId = new URL(employerUrl).pathname.split('/').pop();
  await page.goto(`${base}/plan/new?employer_id=${employerId}`);
  await page.fill('#planned_time', '10:30');
  await submit('#plan-form button[type=submit]');
  expect(/\/plan\?week=/.test(page.url()), `the week is shown (at ${page.url()})`);
  expect((await bodyText()).includes('E2E Testi Oy'), 'the planned visit is on the week');
  expect((await page.locator('.counter .big-number strong').textContent()).trim() === '1', 'one in-person contact this week');
  await screenshots('plan-week');

  step('team week, follow-ups, leads');
  await page.goto(`${base}/plan/team`);
  expect((await page.locator('.team-table tbody tr').count()) >= 1, 'the team is listed');
  await screenshots('team-week');
  await page.goto(`${base}/leads/new?employer_id=${employerId}`);
  await screenshots('lead-form');

  // Issue 4: a job seeker's page with the leads that fit and why.
  step('job seekers and matches');
  await page.goto(`${base}/clients?specialist=all`);
  expect((await page.locator('.client-row').count()) > 0, 'the demo job seekers are listed');
  await screenshots('job-seekers');
  await Promise.all([page.waitForEvent('load'), page.click('.client-row a.row-name')]);
  expect((await page.locator('#matches').count()) === 1, 'the matches section shows');
  await screenshots('job-seeker-page');
  await page.click('a[href$="/profile"]');
  await page.waitForSelector('#profile-form');
  await screenshots('profile-form');

  // Issue 5: an employer contact day, planned and its call lists built.
  step('contact day');
  await page.goto(`${base}/contact-days/new`);
  await page.fill('#date', new Date(Date.now() + 2 * 86400000).toISOString().slice(0, 10));
  await page.fill('#place', 'Toimisto, huone 2');
  await page.fill('#theme', 'Kahvilat');
  await page.fill('#tag', 'kahvila');
  await screenshots('contact-day-form');
  await submit('#day-form button[type=submit]');
  expect(/\/contact-days\/\d+$/.test(page.url()), `the day page opens (at ${page.url()})`);
  await submit('form[action$="/call-lists"] button[type=submit]');
  expect((await page.locator('.call-list.card').count()) >= 1, 'the call lists show');
  await screenshots('contact-day');

  step('move the contact day: a wrong time is shown, then fixed');
  await page.click('.day-changes summary');
  await page.fill('#m-ends', '08:00');
  await submit('#move-form button[type=submit]');
  expect((await page.locator('#m-ends-error').count()) === 1, 'the end time error shows');
  await screenshots('contact-day-move-error');
  await page.fill('#m-ends', '15:30');
  await submit('#move-form button[type=submit]');
  expect((await bodyText()).includes('15:30'), 'the new end time shows');

  step('e-mail switches on the account page');
  await page.goto(`${base}/account#mail`);
  expect((await page.locator('#mail-form input[type=checkbox]').count()) === 8, 'eight kinds of message');
  await screenshots('account-mail');

  // Issue 6: partners, the partner's page and its member-list import.
  step('partners');
  await page.goto(`${base}/partners`);
  expect((await page.locator('.employer-row').count()) >= 2, 'the demo partners are listed');
  await screenshots('partners');
  await Promise.all([page.waitForEvent('load'), page.click('a.row-name:has-text("Tampereen Yrittäjät")')]);
  expect((await bodyText()).includes('Yrittäjäaamiainen'), 'the joint event shows');
  await screenshots('partner-page');
  // The member list through the import page: preview, then the valid rows.
  await Promise.all([page.waitForEvent('load'), page.click('#import-members a')]);
  await page.click('#import-form details.more summary');
  await page.fill('#csv', 'nimi;kunta\nE2E Uusi Oy;Tampere\nRikki Oy;Atlantis\n');
  await submit('#import-form button[value=preview]');
  expect((await bodyText()).includes('Atlantis'), 'the refused row is shown');
  await page.check('input[value=valid_rows]');
  await submit('#import-form button[value=import]');
  expect((await bodyText()).includes('E2E Uusi Oy'), 'the new member is listed');
  await screenshots('partner-import');

  // Issue 7: the fidelity page with its charts.
  step('fidelity');
  await page.goto(`${base}/fidelity`);
  expect((await page.locator('svg.chart').count()) === 4, 'four charts');
  expect((await page.locator('.fidelity-table tbody tr').count()) >= 9, 'every figure is listed');
  await screenshots('fidelity');
  await page.goto(`${base}/agenda`);
  expect((await page.locator('#agenda-fidelity').count()) === 1, 'the agenda shows the figures');
  await screenshots('agenda');

  step('done');
}

const timer = setTimeout(async () => {
  await reportFailure(new Error(`timed out after ${GLOBAL_TIMEOUT_MS / 1000} s`));
  // Playwright kills the browser it launched when this process exits.
  process.exit(1);
}, GLOBAL_TIMEOUT_MS);

let failed = false;
try {
  await scenario();
} catch (err) {
  failed = true;
  await reportFailure(err);
} finally {
  clearTimeout(timer);
  if (browser) await browser.close().catch(() => {});
}
process.exit(failed ? 1 : 0);
