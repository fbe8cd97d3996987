// home.test.js: the home page in Debian's chromium, driven by
// playwright-core: Vietnamese by default, the demo-data banner, the English
// toggle, keyboard focus. Saves a screenshot in tests/browser/screenshots/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { tempDir, run, startServer } from '../e2e/lib.js';

const shots = fileURLToPath(new URL('./screenshots/', import.meta.url));
let server;
let browser;

before(async () => {
  const dir = tempDir();
  const init = await run(['init', '--db', `${dir}/ctip.db`, '--key', `${dir}/ctip.key`, '--demo', '50']);
  assert.equal(init.code, 0, init.stderr);
  server = await startServer({ db: `${dir}/ctip.db` });
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  mkdirSync(shots, { recursive: true });
});

after(async () => {
  await browser?.close();
  assert.equal(await server?.stop(), 0);
});

test('the home page speaks Vietnamese and flags the synthetic data', async () => {
  const page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  await page.goto(server.url);
  await page.locator('#communes').filter({ hasText: '3.321' }).waitFor();
  assert.equal(await page.getAttribute('html', 'lang'), 'vi');
  assert.equal(await page.textContent('h1'), 'Chào mừng');
  assert.equal(await page.textContent('#provinces'), '34');
  const banner = page.locator('#demo');
  assert.ok(await banner.isVisible());
  assert.match(await banner.textContent(), /DỮ LIỆU MẪU.*50 hồ sơ hư cấu/);
  await page.screenshot({ path: `${shots}/home-vi.png` });
  assert.deepEqual(errors, [], 'no script errors and no CSP violations');
  await page.close();
});

test('the language toggle switches to English and is reachable by keyboard', async () => {
  const page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
  await page.goto(server.url);
  await page.locator('#communes').filter({ hasText: '3.321' }).waitFor();
  await page.keyboard.press('Tab'); // skip link
  await page.keyboard.press('Tab'); // language toggle
  assert.equal(await page.evaluate(() => document.activeElement.id), 'lang');
  await page.keyboard.press('Enter');
  await page.locator('h1', { hasText: 'Welcome' }).waitFor();
  assert.equal(await page.getAttribute('html', 'lang'), 'en');
  assert.match(await page.textContent('#demo'), /DEMO DATA.*50 fictional records/);
  assert.equal(await page.textContent('#communes'), '3,321');
  await page.screenshot({ path: `${shots}/home-en.png` });
  await page.close();
});
