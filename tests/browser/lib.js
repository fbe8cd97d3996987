// lib.js: helpers of the browser tests. Debian's chromium (or $CHROMIUM),
// driven by playwright-core, against a ctip server that the end-to-end
// helpers start and fill with users (../e2e/lib.js, ../e2e/users.js).
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { PASSWORD } from '../e2e/users.js';

// Where the tests save their screenshots (ends with a slash).
export const shots = fileURLToPath(new URL('./screenshots/', import.meta.url));

// A laptop screen; pages that are long take a taller one.
export const VIEWPORT = { width: 1366, height: 768 };

// An office in Vietnam: the date-time input shows dd/mm/yyyy hh:mm, and
// local time is UTC+7 (times are sent in UTC).
export const VIETNAM = { locale: 'vi-VN', timezoneId: 'Asia/Ho_Chi_Minh' };

// What signIn looks for on the login page: the Vietnamese texts, or those
// of either language (for pages whose language a test switches).
export const LOGIN_VI = { title: 'Đăng nhập', username: 'Tên đăng nhập', password: /^Mật khẩu$/ };
export const LOGIN_ANY = {
  title: /Đăng nhập|Sign in/,
  username: /Tên đăng nhập|Username/,
  password: /^(Mật khẩu|Password)$/,
};

export const h1 = (page) => page.locator('main h1');

// Launch chromium for the pages of server and make the screenshots
// directory. context: the options of each page's browser context
// (viewport, locale...); loginTexts: the texts signIn looks for. Resolves with
// { browser, newPage, signIn, pageFor, close }.
export async function openBrowser(server, { context = { viewport: VIEWPORT, ...VIETNAM }, loginTexts = LOGIN_VI } = {}) {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  mkdirSync(shots, { recursive: true });

  // A page in a context of its own (its own cookies), in lang if given
  // (the app's choice in localStorage). page.problems collects script
  // errors, CSP violations, writes sent without a CSRF token and answers
  // 5xx; page.done() insists there are none and closes the context.
  async function newPage({ lang } = {}) {
    const ctx = await browser.newContext(context);
    if (lang) await ctx.addInitScript((l) => localStorage.setItem('ctip.lang', l), lang);
    const page = await ctx.newPage();
    page.problems = [];
    page.on('pageerror', (e) => page.problems.push(`page error: ${e.message}`));
    page.on('console', (m) => {
      // A 4xx answer is logged by chromium as a failed load; it is expected
      // (401 before sign-in, 400 for bad input) and checked by the tests.
      if (m.type() === 'error' && !/Failed to load resource: .*status of 4\d\d/.test(m.text()))
        page.problems.push(`console: ${m.text()}`);
    });
    page.on('request', (r) => {
      const url = new URL(r.url());
      const write = !['GET', 'HEAD'].includes(r.method());
      const login = r.method() === 'POST' && url.pathname === '/api/session';
      if (url.pathname.startsWith('/api/') && write && !login && !r.headers()['x-csrf-token'])
        page.problems.push(`no X-CSRF-Token on ${r.method()} ${url.pathname}`);
    });
    page.on('response', (r) => {
      if (r.status() >= 500) page.problems.push(`${r.status()} from ${r.request().method()} ${r.url()}`);
    });
    page.done = async () => {
      assert.deepEqual(page.problems, [], 'no script errors, CSP violations, missing CSRF tokens or 5xx');
      await ctx.close();
    };
    return page;
  }

  // Fill in the login page and press Enter (what follows is the test's).
  async function signIn(page, username, password) {
    await page.goto(`${server.url}/#/login`);
    await h1(page).filter({ hasText: loginTexts.title }).waitFor();
    await page.getByLabel(loginTexts.username).fill(username);
    await page.getByLabel(loginTexts.password).fill(password);
    await page.getByLabel(loginTexts.password).press('Enter');
  }

  // A new page signed in as account, on the home page: an account made by
  // addUser whose one-time password signIn of ../e2e/users.js changed.
  async function pageFor(account) {
    const page = await newPage();
    await signIn(page, account.username, PASSWORD);
    await page.waitForURL(/#\/home$/);
    return page;
  }

  return { browser, newPage, signIn, pageFor, close: () => browser.close() };
}

// On the forced change of a one-time password: change it from current to
// password and wait for the home page.
export async function changePassword(page, current, password) {
  await h1(page).filter({ hasText: 'Đổi mật khẩu' }).waitFor();
  await page.getByLabel('Mật khẩu hiện tại').fill(current);
  await page.getByLabel('Mật khẩu mới', { exact: true }).fill(password);
  await page.getByLabel('Nhập lại mật khẩu mới').fill(password);
  await page.getByRole('button', { name: 'Đổi mật khẩu' }).click();
  await page.waitForURL(/#\/home$/);
}

// Inputs, selects and text areas that are visible and have no label.
export function unlabelled(page) {
  return page.evaluate(() => [...document.querySelectorAll('input, select, textarea')]
    .filter((el) => el.type !== 'hidden' && !el.hidden && el.offsetParent !== null)
    .filter((el) => !(el.labels?.length) && !el.getAttribute('aria-label'))
    .map((el) => el.outerHTML));
}

// The texts of the visible elements an element's aria-describedby names.
export function describedBy(locator) {
  return locator.evaluate((el) => (el.getAttribute('aria-describedby') ?? '').split(/\s+/)
    .map((id) => document.getElementById(id))
    .filter((d) => d && !d.hidden && d.textContent.trim())
    .map((d) => d.textContent.trim()));
}

// Wait until check() resolves true (the value of a field filled late).
export async function until(check, ms = 5000) {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`not true within ${ms} ms: ${check}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

// Wait for the success message (role status) that says text.
export const success = (page, text) => page.locator('.success[role="status"]').filter({ hasText: text }).waitFor();

// Go to a page of the app (a new hash: no reload, as a link would).
export async function open(page, hash) {
  await page.evaluate((x) => { location.hash = x; }, hash);
  await page.waitForURL((u) => u.hash === hash);
}
