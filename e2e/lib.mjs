// Shared helpers for the browser tests (playwright-core driving Debian's chromium).
//   import { run, launch, newContext, newPage, check, ... } from './lib.mjs';
// Env: SCREENSHOT_DIR (created if missing), CHROMIUM_PATH (default /usr/bin/chromium).
// axe-core is read from e2e/node_modules/axe-core/axe.min.js.
import { chromium } from 'playwright-core';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const PHONE = { width: 390, height: 844 };
export const LAPTOP = { width: 1366, height: 900 };
export const SMALL_PHONE = { width: 360, height: 740 };
/** The smallest comfortable tap target, in CSS pixels (WCAG 2.5.5). */
export const MIN_TAP = 44;

const AXE_PATH = fileURLToPath(new URL('./node_modules/axe-core/axe.min.js', import.meta.url));
const shots = process.env.SCREENSHOT_DIR || 'screenshots';

let browser;
let shotNo = 0;
/** The page that navigated last: the one a failure report describes. */
let lastPage;
/** Console errors, uncaught exceptions and 5xx answers seen on any tracked page. */
const problems = [];

export function step(text) {
  console.log(`e2e: ${text}`);
}

export function expect(cond, message) {
  if (!cond) throw new Error(`expectation failed: ${message}`);
}

export const path = (page) => new URL(page.url()).pathname;
export const htmlLang = (page) => page.evaluate(() => document.documentElement.lang);
export const bodyText = async (page) => (await page.innerText('body')) ?? '';

// A short CSS-ish description of an element (tag#id.class.class, up to four levels),
// as source text so it can be used inside page.evaluate.
const DESCRIBE_SRC = `(el) => {
  const parts = [];
  let n = el;
  for (let i = 0; n && n.nodeType === 1 && i < 4; i += 1, n = n.parentElement) {
    let s = n.tagName.toLowerCase();
    if (n.id) { parts.unshift(s + '#' + n.id); break; }
    const cls = Array.from(n.classList).slice(0, 3);
    if (cls.length) s += '.' + cls.join('.');
    const name = n.getAttribute('name');
    if (name) s += '[name=' + name + ']';
    parts.unshift(s);
  }
  return parts.join(' > ');
}`;

export async function launch() {
  mkdirSync(shots, { recursive: true });
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  return browser;
}

/** A fresh browser context (its own cookies: one signed-in person) at this viewport. */
export async function newContext(viewport = PHONE, extra = {}) {
  expect(browser, 'launch() was called before newContext()');
  const context = await browser.newContext({
    locale: 'fi-FI',
    viewport,
    // axe is injected as an inline script; a strict CSP must not stop it.
    bypassCSP: true,
    ...extra,
  });
  context.setDefaultTimeout(15_000);
  return context;
}

/**
 * A page that records console errors, uncaught exceptions and answers >= 500; the run
 * fails at the end if any were seen. `label` names the page in messages (e.g. "A").
 */
export async function newPage(context, label) {
  const page = await context.newPage();
  page.on('console', (msg) => {
    if (msg.type() !== 'error') return;
    const text = msg.text();
    // A form shown again with messages answers 409/422: the browser logs that, it is
    // expected; 5xx answers are caught below with their address.
    if (/status of [1-4]\d\d\b/.test(text)) return;
    problems.push(`${label}: console error at ${page.url()}: ${text}`);
  });
  page.on('pageerror', (err) => {
    problems.push(`${label}: uncaught exception at ${page.url()}: ${err && err.message ? err.message : err}`);
  });
  page.on('response', (res) => {
    if (res.status() >= 500) {
      problems.push(`${label}: HTTP ${res.status()} for ${res.request().method()} ${res.url()}`);
    }
  });
  page.on('framenavigated', (frame) => {
    if (frame === page.mainFrame()) lastPage = page;
  });
  lastPage = page;
  return page;
}

/** Throws when any tracked page logged a console error or got an answer >= 500. */
export function assertNoProblems() {
  if (problems.length) {
    throw new Error(`console errors or server errors were seen:\n  ${problems.join('\n  ')}`);
  }
}

/** Clicks something that submits a form and waits until the resulting page has loaded. */
export async function submit(page, selector) {
  await Promise.all([page.waitForEvent('load'), page.locator(selector).first().click()]);
}

/** Signs in on /login; resolves once the browser has left the login page. */
export async function login(page, base, email, password) {
  await page.goto(`${base}/login`);
  await page.fill('input#email', email);
  await page.fill('input#password', password);
  await Promise.all([
    page.waitForURL((u) => u.pathname !== '/login'),
    page.click('form#login-form button[type=submit]'),
  ]);
}

/** No horizontal scrolling at the current viewport; names the widest offender if any. */
export async function overflowOk(page, name) {
  const r = await page.evaluate((describeSrc) => {
    const describe = (0, eval)(describeSrc);
    const width = window.innerWidth;
    const scrollWidth = document.documentElement.scrollWidth;
    if (scrollWidth <= width) return { ok: true, width, scrollWidth };
    // Inside a scrolling or clipping box an element cannot widen the page.
    const clipped = (el) => {
      for (let n = el.parentElement; n && n !== document.body && n !== document.documentElement; n = n.parentElement) {
        const o = getComputedStyle(n).overflowX;
        if (o !== 'visible') return true;
      }
      return false;
    };
    const offenders = [];
    for (const el of document.body.querySelectorAll('*')) {
      const rect = el.getBoundingClientRect();
      if (rect.width === 0 || rect.right <= width + 0.5) continue;
      if (clipped(el)) continue;
      offenders.push({ sel: describe(el), right: Math.round(rect.right), width: Math.round(rect.width) });
    }
    // The one reaching furthest right; of those, the narrowest (the innermost culprit).
    offenders.sort((a, b) => b.right - a.right || a.width - b.width);
    return { ok: false, width, scrollWidth, offenders: offenders.slice(0, 4), count: offenders.length };
  }, DESCRIBE_SRC);
  if (!r.ok) {
    const list = (r.offenders || [])
      .map((o) => `${o.sel} (right edge ${o.right} px, ${o.width} px wide)`)
      .join('; ');
    throw new Error(`horizontal overflow on ${name} at ${r.width} px: the page is ${r.scrollWidth} px wide; `
      + `widest: ${list || 'no single element found'}${r.count > 4 ? ` (and ${r.count - 4} more)` : ''}`);
  }
}

/** axe-core on the page: fails on any violation of impact "serious" or "critical". */
export async function axeOk(page, name) {
  const loaded = await page.evaluate(() => typeof window.axe !== 'undefined');
  if (!loaded) await page.addScriptTag({ path: AXE_PATH });
  const bad = await page.evaluate(async () => {
    const res = await window.axe.run(document, { resultTypes: ['violations'] });
    return res.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => ({
        id: v.id,
        impact: v.impact,
        help: v.help,
        count: v.nodes.length,
        targets: v.nodes.slice(0, 3).map((n) => n.target.join(' ')),
      }));
  });
  if (bad.length) {
    const list = bad
      .map((v) => `${v.id} (${v.impact}, ${v.count}×: ${v.help}): ${v.targets.join(' | ')}`)
      .join('\n  ');
    throw new Error(`accessibility violations on ${name} (${page.url()}):\n  ${list}`);
  }
}

/** Full-page screenshots NN-name-phone.png and NN-name-laptop.png; the viewport is restored. */
export async function screenshots(page, name) {
  shotNo += 1;
  const n = String(shotNo).padStart(2, '0');
  const before = page.viewportSize();
  try {
    await page.setViewportSize(PHONE);
    await page.screenshot({ path: join(shots, `${n}-${name}-phone.png`), fullPage: true });
    await page.setViewportSize(LAPTOP);
    await page.screenshot({ path: join(shots, `${n}-${name}-laptop.png`), fullPage: true });
  } finally {
    if (before) await page.setViewportSize(before);
  }
  step(`screenshots ${n}-${name}`);
}

/** Every check a visited page gets: no horizontal overflow, axe, screenshots. */
export async function check(page, name) {
  await overflowOk(page, name);
  await axeOk(page, name);
  await screenshots(page, name);
}

/** Every visible element matching `selector` is at least 44×44 px; at least one must match. */
export async function tapTargetsOk(page, selector) {
  const r = await page.evaluate(([sel, describeSrc, min]) => {
    const describe = (0, eval)(describeSrc);
    const visible = (el) => el.getClientRects().length > 0 && getComputedStyle(el).visibility !== 'hidden';
    const els = Array.from(document.querySelectorAll(sel)).filter(visible);
    const small = els
      .map((el) => {
        const b = el.getBoundingClientRect();
        return { sel: describe(el), text: (el.textContent || '').trim().slice(0, 40), w: b.width, h: b.height };
      })
      // Half a pixel of rounding is forgiven.
      .filter((x) => x.w + 0.5 < min || x.h + 0.5 < min);
    return { seen: els.length, small };
  }, [selector, DESCRIBE_SRC, MIN_TAP]);
  expect(r.seen > 0, `some visible element matches "${selector}" (for the tap-target check)`);
  if (r.small.length) {
    const list = r.small
      .map((x) => `${x.sel} "${x.text}" ${Math.round(x.w)}×${Math.round(x.h)}`)
      .join('; ');
    throw new Error(`tap targets under ${MIN_TAP}×${MIN_TAP} px for "${selector}" at ${page.url()}: ${list}`);
  }
}

async function withTimeout(promise, ms) {
  let t;
  const timeout = new Promise((_, reject) => { t = setTimeout(() => reject(new Error('timeout')), ms); });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(t);
  }
}

export async function reportFailure(err) {
  console.error(`e2e: FAILED: ${err && err.message ? err.message : err}`);
  if (problems.length) console.error(`e2e: also seen:\n  ${problems.join('\n  ')}`);
  const page = lastPage;
  if (!page) return;
  try {
    console.error(`e2e: at ${page.url()}`);
    const text = await withTimeout(bodyText(page), 5_000);
    console.error(text.replace(/\s+\n/g, '\n').slice(0, 2000));
    await withTimeout(page.screenshot({ path: join(shots, 'failure.png'), fullPage: true }), 10_000);
  } catch {
    // the page may be gone or hung; the message above is what matters
  }
}

/**
 * Runs the scenario under a global timeout; prints `e2e: done` and exits 0 when it
 * passes with no console or server errors seen, else reports and exits 1.
 */
export async function run(scenario, { timeoutMs = 240_000 } = {}) {
  const timer = setTimeout(async () => {
    await reportFailure(new Error(`timed out after ${timeoutMs / 1000} s`));
    // Playwright kills the browser it launched when this process exits.
    process.exit(1);
  }, timeoutMs);
  let failed = false;
  try {
    await scenario();
    assertNoProblems();
    step('done');
  } catch (err) {
    failed = true;
    await reportFailure(err);
  } finally {
    clearTimeout(timer);
    if (browser) await browser.close().catch(() => {});
  }
  process.exit(failed ? 1 : 0);
}
