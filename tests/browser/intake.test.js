// intake.test.js: the intake form and list in Debian's chromium, driven by
// playwright-core against the real server: a hotline operator of a commune
// unit (created with the CLI) fills an intake with the keyboard only
// (Tab, typing, Alt+3, Ctrl+Enter), the repeat-contact notice, double
// submission (a double click, a replayed request), the place picker (the
// commune list follows the province chosen, by keyboard), field errors
// from the browser and from the server next to the field, the list with
// its overdue and due-soon filters. Saves
// tests/browser/screenshots/intake-*.png.
//
// The tests run in order and share one server and one operator.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { initDb, startServer, stopOk } from '../e2e/lib.js';
import { addUser } from '../e2e/users.js';
import { openBrowser, changePassword, shots, h1, unlabelled, describedBy, until } from './lib.js';

const PASSWORD = 'tổng đài 111 trực suốt ngày đêm';
let server;
let ui;
let operator; // { username, password (one-time), id } of the hotline operator

before(async () => {
  const { db, key } = await initDb({ demo: 20 });
  operator = await addUser(db, key, 'tongdai.pham', { name: 'Phạm Thị Tổng Đài', adminCode: '00004',
    roles: ['hotline_operator'] });
  server = await startServer({ db, key });
  ui = await openBrowser(server);
});

after(async () => {
  await ui?.close();
  if (server) await stopOk(server);
});

// A page of its own in an office in Vietnam (received_at is shown in local
// time, UTC+7, and sent in UTC); page.posts lists the Idempotency-Key of
// each POST /api/intakes sent.
async function intakePage() {
  const page = await ui.newPage();
  page.posts = [];
  page.on('request', (r) => {
    if (r.method() === 'POST' && new URL(r.url()).pathname === '/api/intakes')
      page.posts.push(r.headers()['idempotency-key']);
  });
  return page;
}

// The operator, signed in with the password set in the first test.
async function operatorPage() {
  const page = await intakePage();
  await ui.signIn(page, operator.username, PASSWORD);
  await page.waitForURL(/#\/(home|password)$/);
  await h1(page).filter({ hasText: 'Xin chào' }).waitFor();
  return page;
}

async function openForm(page) {
  await page.evaluate(() => { location.hash = '#/intake/new'; });
  await h1(page).filter({ hasText: 'Tiếp nhận tin báo' }).waitFor();
}

// The intakes of the operator's unit (GET /api/intakes with the page's cookie).
function intakes(page, query = '') {
  return page.evaluate(async (q) => {
    const r = await fetch(`/api/intakes${q}`, { credentials: 'same-origin' });
    if (!r.ok) throw new Error(`GET /api/intakes${q}: ${r.status}`);
    return (await r.json()).items;
  }, query);
}

// The province and commune pickers of the form.
const provinceOf = (page) => page.getByLabel('Tỉnh, thành phố', { exact: true });
const communeOf = (page) => page.getByLabel('Xã, phường, đặc khu', { exact: true });

// The communes of province, from the server (GET /api/ref/communes).
const communesOf = (page, province) => page.evaluate(async (p) => {
  const r = await fetch(`/api/ref/communes?province=${p}`, { credentials: 'same-origin' });
  if (!r.ok) throw new Error(`GET /api/ref/communes?province=${p}: ${r.status}`);
  return (await r.json()).items;
}, province);

// What identifies the focused element: its name (or type), by id for buttons.
const focused = (page) => page.evaluate(() => {
  const a = document.activeElement;
  if (a.tagName === 'BUTTON') return `button:${a.type}`;
  return a.name || a.id || a.tagName;
});

// Press Tab until the focus is on name (at most 20 presses); resolves
// with the presses it took.
async function tabTo(page, name) {
  for (let i = 1; i <= 20; i++) {
    await page.keyboard.press('Tab');
    if (await focused(page) === name) return i;
  }
  assert.fail(`Tab never reached ${name} (at ${await focused(page)})`);
}

test('the operator changes the one-time password and finds the intake pages', async () => {
  const page = await intakePage();
  await ui.signIn(page, operator.username, operator.password);
  await page.waitForURL(/#\/(home|password)$/);
  await changePassword(page, operator.password, PASSWORD);
  const nav = page.getByRole('navigation');
  await nav.getByRole('link').first().waitFor();
  assert.deepEqual(await nav.getByRole('link').allTextContents(),
    ['Trang chủ', 'Tiếp nhận tin báo', 'Danh sách tin báo', 'Chuyển tuyến', 'Nạn nhân và người được hỗ trợ',
      'Kế hoạch', 'Đổi mật khẩu']);
  // The role card links to both.
  assert.ok(await page.locator('.role-card').getByRole('link', { name: 'Tiếp nhận tin báo' }).isVisible());
  await nav.getByRole('link', { name: 'Tiếp nhận tin báo' }).click();
  await page.waitForURL(/#\/intake\/new$/);
  await h1(page).filter({ hasText: 'Tiếp nhận tin báo' }).waitFor();
  await nav.locator('a[aria-current="page"]').filter({ hasText: 'Tiếp nhận tin báo' }).waitFor();
  await page.done();
});

test('keyboard only: an intake is filled with Tab, typing, Alt+3 and saved with Ctrl+Enter', async () => {
  const page = await operatorPage();
  await openForm(page);
  assert.deepEqual(await unlabelled(page), []);
  // The shortcuts are said on the page.
  assert.match(await page.locator('.kbd-hint').textContent(),
    /Ctrl\+Enter lưu tin báo · Alt\+1…Alt\+4 chọn mức độ khẩn cấp · ←→ ↑↓ đổi thời điểm tiếp nhận/);
  // Defaults: hotline 111, now, Vietnamese, normal urgency, the unit's place.
  assert.equal(await focused(page), 'channel', 'the focus starts on the first field');
  assert.equal(await page.getByLabel('Kênh tiếp nhận').inputValue(), 'HOTLINE_111');
  assert.equal(await page.getByLabel('Ngôn ngữ của người báo tin').inputValue(), 'vi');
  // The place is chosen from the lists the server has (GET /api/ref/...).
  await until(async () => await communeOf(page).inputValue() === '00004');
  assert.equal(await provinceOf(page).inputValue(), '01');
  assert.equal(await provinceOf(page).locator('option:checked').textContent(), '01 – Thành phố Hà Nội');
  assert.equal(await communeOf(page).locator('option:checked').textContent(), 'Ba Đình, phường (00004)');
  assert.ok(await page.getByRole('radio', { name: 'Bình thường' }).isChecked());
  const receivedAt = await page.getByLabel('Thời điểm tiếp nhận').inputValue();
  assert.match(receivedAt, /^\d{4}-\d\d-\d\dT\d\d:\d\d$/);
  // The value is local time (the page's, UTC+7): as UTC, as the page sends it.
  const receivedUtc = await page.evaluate((v) => new Date(v).toISOString().replace(/\.000Z$/, 'Z'), receivedAt);
  assert.ok(Math.abs(Date.parse(receivedUtc) - Date.now()) < 120000, 'received_at defaults to now');
  assert.equal(await page.locator('.counter').textContent(), '0/4.000 ký tự');

  // The tab order: one Tab per field (the date-time input too: the arrow
  // keys move between its parts), and the box that narrows the communes.
  const order = ['channel'];
  for (let i = 0; i < 20 && order.at(-1) !== 'button:submit'; i++) {
    await page.keyboard.press('Tab');
    order.push(await focused(page));
  }
  assert.deepEqual(order, ['channel', 'received_at', 'language', 'anonymous', 'reporter_name', 'reporter_phone',
    'province', 'commune_filter', 'commune', 'urgency', 'summary', 'mentioned_phones', 'mentioned_names', 'classification',
    'purpose', 'button:submit']);
  // Back to the first field, then fill it in with the keyboard only.
  for (let i = 0; i < 40 && await focused(page) !== 'channel'; i++) await page.keyboard.press('Shift+Tab');
  assert.equal(await focused(page), 'channel');
  await tabTo(page, 'reporter_name');
  await page.keyboard.type('Nguyễn Văn Báo');
  await page.keyboard.press('Enter'); // Enter alone sends nothing
  await page.keyboard.press('Tab');
  await page.keyboard.type('0912 345 678');
  await tabTo(page, 'summary');
  const text = 'Người gọi báo con gái 17 tuổi được hứa việc nhẹ lương cao ở nước ngoài, đã mất liên lạc 3 ngày.';
  await page.keyboard.type(text);
  await page.keyboard.press('Alt+3');
  assert.ok(await page.getByRole('radio', { name: 'Cao' }).isChecked(), 'Alt+3 sets the urgency to high');
  assert.equal(await focused(page), 'summary', 'Alt+3 leaves the focus where it was');
  assert.equal(await page.locator('.counter').textContent(), `${[...text].length}/4.000 ký tự`);
  await page.keyboard.press('Tab');
  await page.keyboard.type('0987654321, +84 977 000 111');
  await page.keyboard.press('Tab');
  await page.keyboard.type('Trần Văn Môi\nLý Thị Giới');
  await page.keyboard.press('Tab');
  await page.keyboard.press('ArrowDown'); // — Chưa phân loại — -> Tin báo về tội phạm mua bán người
  assert.equal(await page.getByLabel('Phân loại').inputValue(), 'trafficking_tip');
  assert.deepEqual(page.posts, [], 'nothing sent yet');
  await page.screenshot({ path: `${shots}/intake-form.png`, fullPage: true });

  const answer = page.waitForResponse((r) => r.url().endsWith('/api/intakes') && r.request().method() === 'POST');
  await page.keyboard.press('Control+Enter');
  assert.equal((await answer).status(), 201);
  const done = page.locator('main .success');
  await done.filter({ hasText: /Đã lưu tin báo số \d+\./ }).waitFor();
  // Cleared, with the focus on the first field again.
  assert.equal(await focused(page), 'channel');
  assert.equal(await page.getByLabel('Nội dung tin báo').inputValue(), '');
  assert.equal(await page.getByLabel('Họ và tên người báo tin').inputValue(), '');
  assert.ok(await page.getByRole('radio', { name: 'Bình thường' }).isChecked());
  assert.equal(await page.getByLabel('Phân loại').inputValue(), '');

  const items = await intakes(page);
  assert.equal(items.length, 1);
  const [i] = items;
  assert.match(await done.textContent(), new RegExp(`số ${i.id}\\.`));
  assert.equal(i.channel, 'HOTLINE_111');
  assert.equal(i.urgency, 'high');
  assert.equal(i.classification, 'trafficking_tip');
  assert.equal(i.status, 'classified');
  assert.equal(i.summary, text);
  assert.equal(i.province, '01');
  assert.equal(i.commune, '00004');
  assert.equal(i.language, 'vi');
  assert.equal(i.reporter.anonymous, false);
  assert.equal(i.reporter.name, 'Nguyễn Văn Báo');
  assert.equal(i.reporter.phone, '0912345678');
  assert.equal(i.mentioned_phones.length, 2);
  assert.deepEqual(i.mentioned_names, ['Trần Văn Môi', 'Lý Thị Giới']);
  assert.equal(i.received_at, receivedUtc);
  assert.ok(i.legal?.deadline, 'a trafficking tip runs the legal clock');
  // One request, with a 32-hex-digit idempotency key.
  assert.equal(page.posts.length, 1);
  assert.match(page.posts[0], /^[0-9a-f]{32}$/);
  await page.done();
});

test('the reporter\'s phone brings up earlier contacts; a double click saves one intake', async () => {
  const page = await operatorPage();
  await openForm(page);
  const [first] = await intakes(page);
  // The time received, a year back with the keyboard: Right, Right to the
  // year (dd/mm/yyyy), Down.
  const received = page.getByLabel('Thời điểm tiếp nhận');
  const now = await received.inputValue();
  await page.keyboard.press('Tab');
  assert.equal(await focused(page), 'received_at');
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowDown');
  const yearAgo = await received.inputValue();
  assert.equal(yearAgo, `${Number(now.slice(0, 4)) - 1}${now.slice(4)}`);
  await page.keyboard.press('Tab');
  assert.equal(await focused(page), 'language');
  const phone = page.getByLabel('Số điện thoại người báo tin');
  await phone.focus();
  await page.keyboard.type('+84 912 345 678');
  const repeat = page.waitForResponse((r) => r.url().includes('/api/intakes/repeat?'));
  await page.keyboard.press('Tab');
  assert.equal((await repeat).status(), 200);
  const notice = page.locator('#intake-repeat .repeat');
  await notice.waitFor();
  assert.match(await notice.textContent(), new RegExp(`Số điện thoại này đã liên hệ 1 lần trước:.*Tin báo số ${first.id} lúc`));
  // Said to screen readers too: the notice is part of the phone's description.
  assert.ok((await describedBy(phone)).some((s) => /đã liên hệ 1 lần trước/.test(s)));
  await page.screenshot({ path: `${shots}/intake-repeat.png` });

  await page.getByLabel('Nội dung tin báo').fill('Gọi lại lần hai: đã có tin của con gái.');
  const button = page.getByRole('button', { name: /Lưu tin báo/ });
  await button.dblclick();
  await page.locator('main .success').filter({ hasText: 'Đã lưu tin báo số' }).waitFor();
  // The button was disabled at the first click: one request, one record.
  assert.equal(page.posts.length, 1);
  const items = await intakes(page);
  assert.equal(items.length, 2);
  const second = items.find((i) => i.id !== first.id);
  // Typed in Hà Nội time (UTC+7), saved in UTC.
  const [, y, mo, d, hh, mi] = /^(\d+)-(\d+)-(\d+)T(\d+):(\d+)$/.exec(yearAgo).map(Number);
  assert.equal(second.received_at, new Date(Date.UTC(y, mo - 1, d, hh - 7, mi)).toISOString().replace(/\.000Z$/, 'Z'));
  assert.equal(second.legal, null, 'no legal clock for an unclassified hotline call');
  // The notice went with the form.
  assert.equal(await page.locator('#intake-repeat .repeat').count(), 0);
  await page.done();
});

test('a request sent twice with its idempotency key makes one record, and says so', async () => {
  const page = await operatorPage();
  await openForm(page);
  const before = (await intakes(page)).length;
  // The network sends the save twice (a retry after a lost answer): the
  // page sees the second answer.
  const statuses = [];
  await page.route('**/api/intakes', async (route) => {
    if (route.request().method() !== 'POST') return route.continue();
    const a = await route.fetch();
    const b = await route.fetch();
    statuses.push(a.status(), b.status());
    return route.fulfill({ response: b });
  });
  // Anonymous, with Space on the checkbox: no name or phone fields.
  await page.getByLabel(/^Ẩn danh/).focus();
  await page.keyboard.press('Space');
  assert.equal(await page.getByLabel('Họ và tên người báo tin').isVisible(), false);
  assert.equal(await page.getByLabel('Số điện thoại người báo tin').isVisible(), false);
  await page.getByLabel('Nội dung tin báo').focus();
  await page.keyboard.type('Tin nặc danh: có nhóm tuyển lao động đi Campuchia qua mạng xã hội.');
  await page.keyboard.press('Alt+4');
  await page.keyboard.press('Control+Enter');
  const done = page.locator('main .success');
  await done.filter({ hasText: /đã được lưu trước đó/ }).waitFor();
  assert.deepEqual(statuses, [201, 200]);
  const items = await intakes(page);
  assert.equal(items.length, before + 1, 'one record for two requests');
  assert.match(await done.textContent(), new RegExp(`số ${items[0].id}\\)`));
  assert.deepEqual(items[0].reporter, { anonymous: true });
  assert.equal(items[0].urgency, 'critical');
  await page.unroute('**/api/intakes');
  await page.done();
});

test('the commune list follows the province chosen, by keyboard; Ctrl+Enter in its filter saves', async () => {
  const page = await operatorPage();
  await openForm(page);
  const before = (await intakes(page)).length;
  const province = provinceOf(page);
  const commune = communeOf(page);
  const filter = page.getByLabel('Lọc danh sách xã, phường theo tên');
  await until(async () => await commune.inputValue() === '00004');
  // The 34 provinces, and the communes of Hà Nội, from the server.
  assert.equal(await province.locator('option:not([value=""])').count(), 34);
  const codes = (items) => items.map((c) => c.code).sort();
  const optionCodes = async () => (await commune.locator('option:not([value=""])')
    .evaluateAll((os) => os.map((o) => o.value))).sort();
  assert.deepEqual(await optionCodes(), codes(await communesOf(page, '01')));
  // Another province, by its code: its communes, none chosen yet.
  await province.focus();
  await page.keyboard.type('79');
  await until(async () => await province.inputValue() === '79');
  await until(async () => await commune.locator('option[value="26743"]').count() === 1);
  const hcm = await communesOf(page, '79');
  assert.deepEqual(await optionCodes(), codes(hcm));
  assert.equal(await commune.locator('option[value="00004"]').count(), 0, 'no commune of Hà Nội left');
  assert.equal(await commune.inputValue(), '', 'another province: no commune chosen yet');
  // Tab: the box that narrows the communes; a name without diacritics,
  // Enter picks the first that matches (and sends nothing).
  await page.keyboard.press('Tab');
  assert.equal(await focused(page), 'commune_filter');
  await page.keyboard.type('ben thanh');
  assert.equal(await commune.locator('option:not([hidden]):not([value=""])').count(), 1);
  await page.keyboard.press('Enter');
  await until(async () => await commune.inputValue() === '26743');
  assert.equal(await focused(page), 'commune', 'the focus is on the communes');
  assert.equal(await commune.locator('option:checked').textContent(), 'Bến Thành, phường (26743)');
  assert.deepEqual(page.posts, []);
  // Back to no province: no communes, and the province is asked for.
  await province.selectOption('');
  assert.equal(await commune.isDisabled(), true);
  assert.equal(await commune.locator('option:checked').textContent(), '— Chọn tỉnh, thành phố trước —');
  await page.getByLabel('Nội dung tin báo').fill('Người gọi ở TP. Hồ Chí Minh báo có người bị giữ tại quán karaoke.');
  await page.keyboard.press('Control+Enter');
  await page.locator('[name="province"][aria-invalid="true"]').waitFor();
  assert.ok((await describedBy(province)).includes('Vui lòng chọn tỉnh, thành phố.'));
  assert.equal(await focused(page), 'province');
  assert.deepEqual(page.posts, [], 'nothing sent without a province');
  // Chosen again (the error goes), the commune picked by its name; then
  // Ctrl+Enter in the filter box saves, it does not pick.
  await province.selectOption('79');
  assert.equal(await province.getAttribute('aria-invalid'), null);
  await until(async () => await filter.isEnabled());
  await filter.focus();
  await page.keyboard.type('ben thanh');
  await page.keyboard.press('ArrowDown');
  await until(async () => await commune.inputValue() === '26743');
  // Emptied, the box shows every commune: a pick would take the first.
  await filter.focus();
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Backspace');
  assert.equal(await commune.locator('option[hidden]').count(), 0);
  await page.keyboard.press('Control+Enter');
  await page.locator('main .success').filter({ hasText: 'Đã lưu tin báo số' }).waitFor();
  assert.equal(page.posts.length, 1);
  const items = await intakes(page);
  assert.equal(items.length, before + 1);
  const saved = items.find((i) => i.summary.includes('karaoke'));
  assert.equal(saved.province, '79');
  assert.equal(saved.commune, '26743');
  // A new intake starts from the unit's place again.
  await until(async () => await commune.inputValue() === '00004');
  assert.equal(await province.inputValue(), '01');
  await page.done();
});

test('a commune the server refuses is said in Vietnamese next to the commune field', async () => {
  const page = await operatorPage();
  // A commune list gone stale (the page keeps the lists for the session):
  // Cao Bằng's list with Ba Đình (of Hà Nội) in it.
  await page.route('**/api/ref/communes?province=04', async (route) => {
    const res = await route.fetch();
    const { items } = await res.json();
    items.push({ code: '00004', name: 'Phường Ba Đình', name_en: 'Ba Dinh Ward' });
    return route.fulfill({ response: res, json: { items } });
  });
  await openForm(page);
  const before = (await intakes(page)).length;
  const province = provinceOf(page);
  const commune = communeOf(page);
  await until(async () => await commune.inputValue() === '00004');
  await page.getByLabel('Nội dung tin báo').fill('Tin báo thử xã không thuộc tỉnh.');
  await province.selectOption('04');
  await until(async () => await commune.locator('option[value="00004"]').count() === 1);
  await commune.selectOption('00004');
  // Well-formed but not a commune of the province (Ba Đình is in Hà Nội,
  // not Cao Bằng): the server's field error, at the field.
  const answer = page.waitForResponse((r) => r.url().endsWith('/api/intakes') && r.request().method() === 'POST');
  await commune.press('Control+Enter');
  const res = await answer;
  assert.equal(res.status(), 400);
  assert.equal((await res.json()).field, 'commune');
  await page.locator('[name="commune"][aria-invalid="true"]').waitFor();
  assert.ok((await describedBy(commune)).includes(
    'Mã xã, phường, đặc khu không tồn tại hoặc không thuộc tỉnh, thành phố đã chọn.'));
  assert.equal(await focused(page), 'commune');
  await page.screenshot({ path: `${shots}/intake-error.png` });
  // Corrected, the same intake is saved with the same key: another
  // province clears the commune and its error.
  await province.selectOption('01');
  await until(async () => await commune.locator('option[value="00004"]').count() === 1);
  assert.equal(await commune.getAttribute('aria-invalid'), null);
  await commune.selectOption('00004');
  await commune.press('Control+Enter');
  await page.locator('main .success').filter({ hasText: 'Đã lưu tin báo số' }).waitFor();
  assert.equal(page.posts.length, 2);
  assert.equal(page.posts[0], page.posts[1]);
  assert.equal(await commune.getAttribute('aria-invalid'), null);
  const items = await intakes(page);
  assert.equal(items.length, before + 1);
  assert.equal(items.find((i) => i.summary === 'Tin báo thử xã không thuộc tỉnh.').commune, '00004');
  await page.unroute('**/api/ref/communes?province=04');
  await page.done();
});

test('the list shows the intakes, overdue ones in words, with due filters', async () => {
  const page = await operatorPage();
  // Two older ones with the legal clock: a tip 25 days old (overdue), a
  // denunciation 18 days old (due in 2 days).
  await page.evaluate(async () => {
    const { csrf_token: csrf } = await (await fetch('/api/session')).json();
    const ago = (days) => new Date(Date.now() - days * 86400000).toISOString().replace(/\.\d{3}Z$/, 'Z');
    const post = (body) => fetch('/api/intakes', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': csrf },
      body: JSON.stringify({ language: 'vi', province: '01', commune: null, reporter: { anonymous: true },
        mentioned_phones: [], mentioned_names: [], purpose: null, urgency: 'normal', ...body }),
    }).then((r) => { if (r.status !== 201) throw new Error(`POST /api/intakes: ${r.status}`); });
    await post({ received_at: ago(25), channel: 'LETTER', summary: 'Đơn tố cáo cũ.',
      classification: 'trafficking_tip', purpose: 'LABOUR.FORCED_CRIMINALITY' });
    await post({ received_at: ago(18), channel: 'DENUNCIATION', summary: 'Tố giác.', classification: null });
  });
  const all = await intakes(page);
  await page.getByRole('navigation').getByRole('link', { name: 'Danh sách tin báo' }).click();
  await h1(page).filter({ hasText: 'Danh sách tin báo' }).waitFor();
  const table = page.getByRole('table', { name: /Tin báo của đơn vị/ });
  await table.locator('tbody th[scope="row"]').first().waitFor();
  assert.deepEqual(await table.locator('thead th').allTextContents(),
    ['Số', 'Thời điểm tiếp nhận', 'Kênh', 'Mức độ khẩn cấp', 'Phân loại', 'Trạng thái', 'Thời hạn giải quyết']);
  assert.equal(await table.locator('tbody tr').count(), all.length);
  const overdue = all.find((i) => i.legal?.overdue);
  assert.ok(overdue, 'the 25-day-old tip is overdue');
  const row = table.getByRole('row').filter({ has: page.getByRole('rowheader', { name: String(overdue.id), exact: true }) });
  // Overdue in words, and in red.
  assert.match(await row.locator('td.deadline').textContent(), /Quá hạn/i);
  assert.equal(await row.locator('td.deadline').evaluate((td) => getComputedStyle(td).color), 'rgb(180, 35, 24)');
  assert.match(await row.textContent(), /Đơn, thư.*Bình thường.*Tin báo về tội phạm mua bán người.*Đã phân loại/);
  const soonRow = table.getByRole('row').filter({ hasText: 'Tố giác' });
  assert.match(await soonRow.locator('td.deadline').textContent(), /Sắp đến hạn/);
  // No deadline for an intake off the clock.
  assert.ok(await table.getByRole('cell', { name: 'Không áp dụng' }).count() > 0);
  assert.match(await page.locator('.table-foot').textContent(), new RegExp(`${all.length} tin báo`));
  await page.screenshot({ path: `${shots}/intake-list.png`, fullPage: true });

  // Filters, by keyboard: the overdue one only, then the due-soon one.
  const tab = (name) => page.getByRole('button', { name, exact: true });
  await tab('Quá hạn').focus();
  await page.keyboard.press('Enter');
  await page.locator('table[aria-busy]').waitFor({ state: 'detached' });
  await page.getByRole('table', { name: /quá hạn giải quyết/ }).waitFor();
  assert.equal(await page.locator('main tbody th[scope="row"]').count(), 1);
  assert.equal(await page.locator('main tbody th[scope="row"]').textContent(), String(overdue.id));
  assert.equal(await tab('Quá hạn').getAttribute('aria-pressed'), 'true');
  assert.match(page.url(), /#\/intakes\?due=overdue$/);
  await tab('Sắp đến hạn (3 ngày)').click();
  await page.locator('table[aria-busy]').waitFor({ state: 'detached' });
  await page.getByRole('table', { name: /sắp đến hạn/ }).waitFor();
  assert.equal(await page.locator('main tbody th[scope="row"]').count(), 1);
  assert.match(await page.locator('main tbody tr').textContent(), /Tố giác/);
  // A reload keeps the filter.
  await page.reload();
  await page.getByRole('table', { name: /sắp đến hạn/ }).waitFor();
  assert.equal(await tab('Sắp đến hạn (3 ngày)').getAttribute('aria-pressed'), 'true');
  await page.done();
});

test('an unclassified intake is classified before it can be closed: the page says so', async () => {
  const page = await operatorPage();
  const id = await page.evaluate(async () => {
    const { csrf_token: csrf } = await (await fetch('/api/session')).json();
    const r = await fetch('/api/intakes', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': csrf },
      body: JSON.stringify({ received_at: new Date(Date.now() - 3600000).toISOString().replace(/\.\d{3}Z$/, 'Z'),
        channel: 'HOTLINE_111', language: 'vi', province: '01', commune: null, reporter: { anonymous: true },
        summary: 'Hỏi thông tin về thủ tục hỗ trợ.', mentioned_phones: [], mentioned_names: [],
        classification: null, purpose: null, urgency: 'normal' }),
    });
    if (r.status !== 201) throw new Error(`POST /api/intakes: ${r.status}`);
    return (await r.json()).id;
  });
  await page.evaluate((i) => { location.hash = `#/intakes/${i}`; }, id);
  const hint = page.locator('[data-hint="classify-first"]');
  await hint.waitFor();
  assert.equal(await hint.textContent(), 'Phân loại tin báo trước khi kết thúc xử lý.');
  const close = page.getByRole('button', { name: 'Kết thúc', exact: true });
  assert.equal(await close.count(), 0);
  const save = page.getByRole('button', { name: 'Lưu phân loại' });
  const form = page.locator('form').filter({ has: save });
  await form.getByLabel('Phân loại', { exact: true }).selectOption('information');
  await save.click();
  await close.waitFor();
  assert.equal(await hint.count(), 0);
  // An empty resolution is said at the field, nothing sent.
  await close.click();
  await page.locator('form.action-resolve').getByText('Vui lòng nhập kết quả giải quyết.').waitFor();
  await page.done();
});
