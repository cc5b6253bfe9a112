// Field walks in headless Chromium at phone width, run by tests/app/e2e_field.rs:
// a specialist's Monday (plan two visits, log one), a contact day worked by two people
// at once, a do-not-contact employer refused, a Finnish occupation search, a profile
// with two named municipalities and its matches, the same pages in Swedish, and the
// layout at 360 px. Every page visited gets `check` (overflow, axe, screenshots).
//   node e2e/field.mjs
// Env: BASE_URL, E2E_EMAIL, E2E_EMAIL2, E2E_PASSWORD, E2E_FIXTURE (JSON, below),
//      SCREENSHOT_DIR, CHROMIUM_PATH (default /usr/bin/chromium).
// E2E_FIXTURE: {"today":"YYYY-MM-DD","E1":id,"E2":id,"DNC":id,"DNC_REASON":"...",
//               "DAY":id,"CLIENT":id,"LEAD_NOKIA":"title","email2":"..."}
// Prints one `e2e: <step>` line per step and `e2e: done` at the end; exits 1 on failure.
import {
  PHONE, SMALL_PHONE, step, expect, path, htmlLang, bodyText, launch, newContext, newPage,
  check, overflowOk, tapTargetsOk, submit, login, run,
} from './lib.mjs';

const base = (process.env.BASE_URL || '').replace(/\/+$/, '');
const email = process.env.E2E_EMAIL;
const password = process.env.E2E_PASSWORD;
let fx = {};
try {
  fx = JSON.parse(process.env.E2E_FIXTURE || '{}');
} catch (err) {
  fx = { error: String(err) };
}
const email2 = process.env.E2E_EMAIL2 || fx.email2;

const LEAD_FROM_CALL = 'Tiskaaja, iltaisin';
const LEAD_TYPED = 'E2E Siivooja aamuisin';

/** The in-person counter on /plan: logged count, planned count and the planned part's text. */
async function readCounter(page) {
  const logged = Number(((await page.locator('.counter .big-number strong').first().textContent()) || '').trim());
  const part = page.locator('.counter .planned-part');
  const plannedPart = (await part.count()) ? ((await part.first().textContent()) || '').trim().replace(/\s+/g, ' ') : '';
  const words = ((await page.locator('.counter .counter-words').first().textContent()) || '').trim().replace(/\s+/g, ' ');
  const m = words.match(/(\d+) kirjattu ja (\d+) suunniteltu, tavoite (\d+)/);
  expect(Number.isFinite(logged), `the logged count (.counter .big-number strong) is a number (got "${logged}")`);
  expect(m, `.counter-words reads "N kirjattu ja M suunniteltu, tavoite T" (got "${words}")`);
  expect(Number(m[1]) === logged, `.counter-words agrees with the big number (${words} vs ${logged})`);
  return { logged, planned: Number(m[2]), target: Number(m[3]), plannedPart, words };
}

function plannedReads(c, n) {
  return c.plannedPart === `+ ${n}` || c.words.includes(`${n} suunniteltu`);
}

/** Submits a plan or contact form; when it comes back with colleagues' contacts, acknowledges and submits again. */
async function submitAcknowledging(page, button) {
  await submit(page, button);
  const ack = page.locator('input[name=acknowledge_collisions]');
  if (await ack.count()) {
    step('  a collision warning: acknowledged');
    await ack.first().check();
    await submit(page, button);
  }
}

async function fieldErrors(page) {
  const errs = await page.locator('.field-error, .form-error').allInnerTexts().catch(() => []);
  return errs.join(' | ');
}

/** Waits until the contact day's total tally shows these values; the message says what it shows. */
async function waitForTally(page, want, who) {
  try {
    await page.waitForFunction((w) => {
      const v = (k) => (document.querySelector(`[data-tally="total"] [data-k="${k}"]`)?.textContent || '').trim();
      return Object.entries(w).every(([k, n]) => v(k) === String(n));
    }, want, { timeout: 15_000, polling: 250 });
  } catch {
    const seen = await page.evaluate(() => Object.fromEntries(
      Array.from(document.querySelectorAll('[data-tally="total"] [data-k]'))
        .map((el) => [el.dataset.k, (el.textContent || '').trim()]),
    ));
    throw new Error(`${who} did not see the tally ${JSON.stringify(want)} within 15 s without reloading `
      + `(shows ${JSON.stringify(seen)}, visibility ${await page.evaluate(() => document.visibilityState)})`);
  }
}

/** Marks the document so a later test can tell it was not reloaded. */
const markDocument = (page) => page.evaluate(() => { window.__e2eNoReload = true; });
const sameDocument = (page) => page.evaluate(() => window.__e2eNoReload === true);

async function scenario() {
  expect(base, 'BASE_URL is set');
  expect(email && password, 'E2E_EMAIL and E2E_PASSWORD are set');
  expect(email2, 'E2E_EMAIL2 (or the fixture\'s email2) is set');
  for (const k of ['today', 'E1', 'E2', 'DNC', 'DNC_REASON', 'DAY', 'CLIENT', 'LEAD_NOKIA']) {
    expect(fx[k] !== undefined && fx[k] !== null && fx[k] !== '', `E2E_FIXTURE has ${k} (got ${JSON.stringify(fx)})`);
  }
  expect(/^\d{4}-\d{2}-\d{2}$/.test(fx.today), `the fixture's today is YYYY-MM-DD (got ${fx.today})`);

  step('launch chromium');
  await launch();

  // (a) Monday morning: the week, two visits planned, one logged from the plan.
  step('a: log in as the specialist');
  const ctxA = await newContext(PHONE);
  const a = await newPage(ctxA, 'A');
  await a.goto(`${base}/login`);
  await check(a, 'login');
  await a.fill('input#email', email);
  await a.fill('input#password', password);
  await Promise.all([
    a.waitForURL((u) => u.pathname !== '/login'),
    a.click('form#login-form button[type=submit]'),
  ]);
  expect(path(a) === '/plan', `a specialist lands on /plan (at ${a.url()})`);
  await check(a, 'plan');
  const before = await readCounter(a);
  step(`  counter: ${before.words}`);

  step('a: plan two in-person visits for today');
  const visits = [[fx.E1, '08:00'], [fx.E2, '09:00']];
  for (const [i, [employer, time]] of visits.entries()) {
    await a.goto(`${base}/plan/new?employer_id=${employer}`);
    await check(a, `plan-form-${i + 1}`);
    await a.fill('#planned_on', fx.today);
    await a.fill('#planned_time', time);
    await a.selectOption('#plan-form select[name=channel]', 'in_person');
    await submitAcknowledging(a, '#plan-form button[type=submit]');
    expect(path(a) === '/plan',
      `the visit at ${time} was planned and the week shown (at ${a.url()}; ${await fieldErrors(a)})`);
  }
  await a.goto(`${base}/plan`);
  await check(a, 'plan-two-planned');
  const planned = await readCounter(a);
  expect(plannedReads(planned, before.planned + 2),
    `the planned part reads "+ ${before.planned + 2}" (got "${planned.plannedPart}", "${planned.words}")`);
  expect(planned.logged === before.logged, 'planning logs nothing');

  step('a: log the 08:00 visit from the plan');
  const doneLink = a.locator('.day.today a[href^="/outreach/new?plan="]').first();
  expect((await doneLink.count()) === 1, 'today\'s column has a "log it" link (a[href^="/outreach/new?plan="])');
  await Promise.all([a.waitForEvent('load'), doneLink.click()]);
  expect(path(a) === '/outreach/new', `the log form opens (at ${a.url()})`);
  const occurred = await a.inputValue('#occurred_at');
  expect(occurred === `${fx.today}T08:00`, `#occurred_at is the planned time ${fx.today}T08:00 (got "${occurred}")`);
  await check(a, 'log-planned-visit');
  await submitAcknowledging(a, '#outreach-form button[type=submit].primary');
  expect(path(a) !== '/outreach' && path(a) !== '/outreach/new',
    `the contact was logged (at ${a.url()}; ${await fieldErrors(a)})`);
  if (path(a) !== '/plan') await a.goto(`${base}/plan`);
  await check(a, 'plan-one-logged');
  const after = await readCounter(a);
  expect(after.logged === before.logged + 1,
    `the logged count went up by one (${before.logged} → ${after.logged})`);
  expect(plannedReads(after, before.planned + 1),
    `the planned part now reads "+ ${before.planned + 1}" (got "${after.plannedPart}", "${after.words}")`);
  await tapTargetsOk(a, '.pi-actions a.button, .pi-actions button');

  // (b) A contact day worked by two specialists at once.
  step('b: two participants open the contact day');
  const dayPath = `/contact-days/${fx.DAY}`;
  const ctxB = await newContext(PHONE);
  const b = await newPage(ctxB, 'B');
  await login(b, base, email2, password);
  await a.goto(`${base}${dayPath}`);
  await b.goto(`${base}${dayPath}`);
  await check(a, 'contact-day');
  await check(b, 'contact-day-colleague');
  const firstList = a.locator('.call-list').first();
  expect((await firstList.count()) === 1, 'the call lists show (.call-list)');
  expect(await firstList.evaluate((el) => el.classList.contains('mine')), 'my list comes first (.call-list.mine)');
  const myRows = a.locator('.call-list.mine .call-row');
  expect((await myRows.count()) >= 1, 'my list has rows (.call-row)');
  expect((await a.locator('.call-list.mine .call-row .call-person').count()) >= 1,
    'a row names the contact person (.call-person)');
  const dials = await a.$$eval('.call-list.mine .call-row a.call', (els) => els.map((e) => e.getAttribute('href')));
  expect(dials.length >= 1 && dials.every((h) => /^tel:\+?\d{5,}$/.test(h)),
    `every call link dials a number (got ${JSON.stringify(dials)})`);
  await tapTargetsOk(a, '.call-actions a, .call-actions button');
  await markDocument(b);

  step('b: A logs a call with a lead and a meeting');
  const logCall = a.locator('.call-list.mine .call-row a.button.primary[href*="day="]').first();
  expect((await logCall.count()) === 1, 'the first row has "Kirjaa puhelu" (a.button.primary[href*="day="])');
  const called = new URL(await logCall.getAttribute('href'), base).searchParams.get('employer_id');
  expect(called, 'the "Kirjaa puhelu" link names the employer');
  await Promise.all([a.waitForEvent('load'), logCall.click()]);
  expect(path(a) === '/outreach/new', `the log form opens (at ${a.url()})`);
  expect((await a.inputValue('#channel')) === 'phone', `the channel is "phone" (got "${await a.inputValue('#channel')}")`);
  expect(await a.isChecked('input[name=result][value=reached]'), 'the result "reached" is chosen');
  await check(a, 'log-call-form');
  await a.fill('#found_lead', LEAD_FROM_CALL);
  await a.check('input[name=result][value=meeting_booked]');
  await submit(a, '#outreach-form .actions button[type=submit]');
  // B's 15 s start now, while A's page is looked at.
  const bSees = waitForTally(b, { attempted: 1, leads_found: 1, meetings_booked: 1 }, 'B')
    .then(() => null, (err) => err);
  expect(path(a) === dayPath, `back on the contact day (at ${a.url()}; ${await fieldErrors(a)})`);
  const row = a.locator(`#e-${called}`);
  expect((await row.count()) === 1, `the row #e-${called} is on the page`);
  expect(await row.evaluate((el) => el.classList.contains('call-row') && el.classList.contains('done')),
    `the row #e-${called} is ticked off (.call-row.done)`);
  await check(a, 'contact-day-one-call');

  step('b: B sees the tally move without reloading');
  const bFailed = await bSees;
  if (bFailed) throw bFailed;
  expect(await sameDocument(b), 'B did not reload');

  step('b: B taps "Ei vastannut"; A sees it without reloading');
  await markDocument(a);
  const noAnswer = '.call-list.mine .call-row .call-actions form[action$="/no-answer"] button';
  expect((await b.locator(noAnswer).count()) >= 1, `B's first row has "Ei vastannut" (${noAnswer})`);
  await submit(b, noAnswer);
  expect(path(b) === dayPath, `B is back on the contact day (at ${b.url()})`);
  await waitForTally(a, { attempted: 2, reached: 1 }, 'A');
  expect(await sameDocument(a), 'A did not reload');

  step('b: the summary lists the lead');
  await a.reload();
  const summary = a.locator('#summary');
  expect((await summary.count()) === 1, 'the summary shows on the day (#summary)');
  const leadsFound = ((await summary.locator('ul').first().innerText()) || '');
  expect(leadsFound.includes(LEAD_FROM_CALL),
    `the summary's leads list names "${LEAD_FROM_CALL}" (got "${leadsFound.trim()}")`);
  await check(a, 'contact-day-summary');
  await ctxB.close();

  // (c) A do-not-contact employer: no way to log, and a direct post is refused.
  step('c: a do-not-contact employer');
  await a.goto(`${base}/employers/${fx.DNC}`);
  expect((await a.locator('.stop').count()) >= 1, 'the stop box shows (.stop)');
  const logLinks = await a.evaluate((dnc) => Array.from(document.querySelectorAll('a[href]')).filter((el) => {
    const u = new URL(el.href, location.href);
    return u.pathname === '/outreach/new' && u.searchParams.get('employer_id') === String(dnc);
  }).length, fx.DNC);
  expect(logLinks === 0, `no link to /outreach/new?employer_id=${fx.DNC} (found ${logLinks})`);
  const contactsBefore = await a.locator('#timeline .tl-contact').count();
  await check(a, 'employer-do-not-contact');
  step('c: logging it directly is refused');
  const direct = await a.goto(`${base}/outreach/new?employer_id=${fx.DNC}`);
  if ((await a.locator('#outreach-form').count()) === 1) {
    const [answer] = await Promise.all([
      a.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/outreach'),
      submit(a, '#outreach-form .actions button[type=submit]'),
    ]);
    expect([409, 422].includes(answer.status()), `the post is refused with 409 or 422 (got ${answer.status()})`);
  } else {
    // The form itself may already be refused.
    expect([409, 422].includes(direct.status()),
      `without a form, the page answers 409 or 422 (got ${direct.status()})`);
  }
  expect((await bodyText(a)).includes(fx.DNC_REASON), `the answer gives the reason "${fx.DNC_REASON}"`);
  await check(a, 'do-not-contact-refused');
  await a.goto(`${base}/employers/${fx.DNC}`);
  expect((await a.locator('#timeline .tl-contact').count()) === contactsBefore, 'nothing was logged');

  // (d) A Finnish word finds the occupation; the server resolves it on save.
  step('d: occupation search in Finnish');
  await a.goto(`${base}/leads/new?employer_id=${fx.E1}`);
  await check(a, 'lead-form');
  const searched = a.waitForResponse((r) => {
    const u = new URL(r.url());
    return u.pathname === '/api/v1/occupations' && u.searchParams.get('q') === 'siivooja';
  });
  await a.locator('#isco_code').click();
  await a.locator('#isco_code').pressSequentially('siivooja', { delay: 60 });
  const res = await searched;
  expect(res.status() === 200, `the occupation search answers 200 (got ${res.status()})`);
  // The unit groups the page starts with are replaced by the search's (at most 20) hits.
  await a.waitForFunction(() => {
    const opts = Array.from(document.querySelectorAll('#occupations option'));
    return opts.length > 0 && opts.length <= 20 && opts.some((o) => o.value.startsWith('9112'));
  }, null, { timeout: 5_000 });
  const api = await a.evaluate(async () => {
    const r = await fetch('/api/v1/occupations?q=siivooja', { credentials: 'same-origin' });
    return { status: r.status, body: await r.json().catch(() => null) };
  });
  expect(api.status === 200, `GET /api/v1/occupations?q=siivooja answers 200 (got ${api.status})`);
  const first = api.body && api.body.items && api.body.items[0];
  expect(first && first.isco_code === '9112', `the first hit is 9112 (got ${JSON.stringify(first)})`);
  expect(String(first.isco_title || '').toLowerCase().includes('siivooj'),
    `the hit's title is Finnish (got "${first.isco_title}")`);
  await a.fill('#title', LEAD_TYPED);
  expect((await a.inputValue('#isco_code')) === 'siivooja', 'the typed word stays in #isco_code');
  await submit(a, '#lead-form button[type=submit]');
  expect((await a.locator('#lead-form').count()) === 0 || path(a) !== '/leads',
    `the lead was saved (at ${a.url()}; ${await fieldErrors(a)})`);
  await a.goto(`${base}/leads?q=${encodeURIComponent(LEAD_TYPED)}`);
  const leadRow = a.locator('.lead-row', { hasText: LEAD_TYPED });
  expect((await leadRow.count()) >= 1, `the lead "${LEAD_TYPED}" is listed on /leads`);
  const leadLine = await leadRow.first().innerText();
  expect(leadLine.includes('9112'), `the saved lead has occupation 9112 (row: "${leadLine.replace(/\s+/g, ' ')}")`);
  await check(a, 'leads-list');

  // (e) A profile naming two municipalities, and a lead there among the matches.
  step('e: profile with two municipalities');
  await a.goto(`${base}/clients/${fx.CLIENT}/profile`);
  await check(a, 'profile-form');
  await a.fill('#occupations', 'siivooja');
  await a.fill('#work_municipality_codes', 'Nokia, Ylöjärvi');
  await a.selectOption('#home_municipality_code', '837');
  await a.fill('#max_commute_km', '5');
  await submit(a, '#profile-form button[type=submit].primary');
  expect(path(a) === `/clients/${fx.CLIENT}`,
    `the profile was saved and the job seeker shown (at ${a.url()}; ${await fieldErrors(a)})`);
  step('e: the matches');
  const match = a.locator('#matches .match', { hasText: fx.LEAD_NOKIA });
  if ((await match.count()) === 0) {
    const shown = ((await a.locator('#matches').innerText().catch(() => '')) || '').replace(/\s+/g, ' ');
    throw new Error(`expectation failed: #matches lists "${fx.LEAD_NOKIA}" (shows: ${shown.slice(0, 600)})`);
  }
  const reasons = (await match.first().locator('.reasons').innerText()) || '';
  expect(reasons.includes('Nokia'), `a reason names Nokia (reasons: "${reasons.replace(/\s+/g, ' ')}")`);
  await check(a, 'job-seeker-matches');

  // (f) The same pages in Swedish.
  step('f: in Swedish');
  await a.goto(`${base}/plan`);
  await submit(a, 'form#lang-form button[name=lang][value=sv]');
  expect((await htmlLang(a)) === 'sv', `html lang is "sv" after switching (got "${await htmlLang(a)}")`);
  const svPages = [
    ['plan-sv', '/plan'],
    ['contact-day-sv', dayPath],
    ['lead-form-sv', `/leads/new?employer_id=${fx.E1}`],
    ['profile-form-sv', `/clients/${fx.CLIENT}/profile`],
    ['employers-sv', '/employers'],
    ['fidelity-sv', '/fidelity'],
  ];
  for (const [name, p] of svPages) {
    await a.goto(`${base}${p}`);
    expect((await htmlLang(a)) === 'sv', `${p} is in Swedish (html lang "${await htmlLang(a)}")`);
    await check(a, name);
    const text = await bodyText(a);
    const iso = text.match(/\d{4}-W\d{2}/);
    expect(!iso, `no ISO week code in ${p}'s text (found "${iso && iso[0]}")`);
    if (p === '/plan') expect(text.includes('v. '), '/plan shows the Swedish week label ("v. ")');
  }
  await submit(a, 'form#lang-form button[name=lang][value=fi]');
  expect((await htmlLang(a)) === 'fi', `back in Finnish (html lang "${await htmlLang(a)}")`);

  // (g) The narrowest phones, and the header's height.
  step('g: 360 px wide');
  await a.setViewportSize(SMALL_PHONE);
  for (const p of ['/plan', '/leads', '/fidelity', '/employers', dayPath]) {
    await a.goto(`${base}${p}`);
    await overflowOk(a, `${p} at 360 px`);
  }
  await a.setViewportSize(PHONE);
  await a.goto(`${base}/plan`);
  const header = await a.locator('header.topbar').boundingBox();
  expect(header, 'the header (header.topbar) shows');
  expect(header.height <= 64, `the header is at most 64 px tall at 390 px (got ${Math.round(header.height)})`);
  await ctxA.close();
}

await run(scenario, { timeoutMs: 240_000 });
