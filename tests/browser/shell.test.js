// shell.test.js: the web shell in Debian's chromium, driven by
// playwright-core against the real server: sign-in (Vietnamese errors),
// the forced change of the one-time password, the home page and the
// navigation by role, the administrator's users page, the auditor's log,
// sign-out, session resume and expiry, the English toggle, keyboard use.
// Saves screenshots in tests/browser/screenshots/ (shell-*.png).
//
// The tests run in order and share one server: the first ones change the
// administrator's one-time password, the later ones sign in with the new one.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { initDb, startServer } from '../e2e/lib.js';
import { openBrowser, changePassword, shots, h1, unlabelled, describedBy, VIEWPORT, LOGIN_ANY } from './lib.js';

const ADMIN_PASSWORD = 'mật khẩu mới của quản trị 2026';
let server;
let ui;
let oneTime; // the administrator's one-time password, from `ctip init`
const admin = { username: 'admin', password: null }; // password once changed

before(async () => {
  const { db, key, stdout } = await initDb({ demo: 50 });
  oneTime = /one-time password: (\S+)/.exec(stdout)?.[1];
  assert.ok(oneTime, `no one-time password in the output of ctip init:\n${stdout}`);
  server = await startServer({ db, key });
  // No locale: the app's own default language; signIn in either language.
  ui = await openBrowser(server, { context: { viewport: VIEWPORT }, loginTexts: LOGIN_ANY });
});

after(async () => {
  await ui?.close();
  assert.equal(await server?.stop(), 0);
});

test('the login page speaks Vietnamese, labels its fields and flags demo data', async () => {
  const page = await ui.newPage();
  await page.goto(server.url);
  await page.waitForURL(/#\/login$/);
  await h1(page).filter({ hasText: 'Đăng nhập' }).waitFor();
  assert.equal(await page.getAttribute('html', 'lang'), 'vi');
  assert.match(await page.title(), /Đăng nhập/);
  assert.ok(await page.getByLabel('Tên đăng nhập').isVisible());
  assert.ok(await page.getByLabel('Mật khẩu').isVisible());
  assert.equal(await page.getByLabel('Mật khẩu').getAttribute('type'), 'password');
  assert.deepEqual(await unlabelled(page), []);
  // Both fields are required, said by the control and shown by a mark that
  // screen readers skip (the name stays the label), explained once above;
  // and they take no more than the server does.
  for (const [label, max] of [['Tên đăng nhập', '64'], ['Mật khẩu', '128']]) {
    const input = page.getByLabel(label);
    assert.equal(await input.evaluate((el) => el.required), true, label);
    assert.equal(await input.getAttribute('maxlength'), max, label);
    const mark = page.locator('.field').filter({ has: input }).locator('.req');
    assert.ok(await mark.isVisible(), label);
    assert.equal(await mark.getAttribute('aria-hidden'), 'true');
  }
  assert.equal(await page.getByRole('textbox', { name: 'Tên đăng nhập', exact: true }).count(), 1);
  await page.locator('form .req-legend').filter({ hasText: 'Các trường có dấu * là bắt buộc.' }).waitFor();
  assert.equal(await page.locator('form .req-legend').count(), 1);
  // The demo banner is in a landmark of its own.
  assert.ok(await page.getByRole('region', { name: 'Dữ liệu mẫu' }).isVisible());
  // Signed out: no navigation, no sign-out button.
  assert.equal(await page.locator('nav').isVisible(), false);
  assert.equal(await page.locator('#logout').isVisible(), false);
  const banner = page.locator('#demo');
  assert.ok(await banner.isVisible());
  assert.match(await banner.textContent(), /DỮ LIỆU MẪU.*50 hồ sơ hư cấu/);
  // The username field has the focus: one can type at once.
  assert.equal(await page.evaluate(() => document.activeElement.name), 'username');
  await page.screenshot({ path: `${shots}/shell-login.png` });
  await page.done();
});

test('a wrong password shows the Vietnamese error in an alert', async () => {
  const page = await ui.newPage();
  await ui.signIn(page, 'admin', 'not the password');
  const alert = page.locator('main [role="alert"]').filter({ hasText: /\S/ });
  await alert.waitFor();
  assert.equal(await alert.textContent(), 'Sai tên đăng nhập hoặc mật khẩu.');
  assert.match(page.url(), /#\/login$/);
  // The password is cleared and focused for another try; the username stays.
  assert.equal(await page.getByLabel('Mật khẩu').inputValue(), '');
  assert.equal(await page.evaluate(() => document.activeElement.name), 'password');
  assert.equal(await page.getByLabel('Tên đăng nhập').inputValue(), 'admin');
  // Empty fields are caught before any request, next to the field.
  await page.getByLabel('Tên đăng nhập').fill('');
  await page.getByRole('button', { name: 'Đăng nhập' }).click();
  assert.deepEqual(await describedBy(page.getByLabel('Tên đăng nhập')), ['Vui lòng nhập tên đăng nhập.']);
  await page.screenshot({ path: `${shots}/shell-login-error.png` });
  await page.done();
});

test('the one-time password forces a password change before anything else', async () => {
  const page = await ui.newPage();
  await ui.signIn(page, 'admin', oneTime);
  await page.waitForURL(/#\/password$/);
  await h1(page).filter({ hasText: 'Đổi mật khẩu' }).waitFor();
  // Only the form: no navigation; other pages lead back here.
  assert.equal(await page.locator('nav').isVisible(), false);
  await page.evaluate(() => { location.hash = '#/users'; });
  await page.waitForURL(/#\/password$/);
  await h1(page).filter({ hasText: 'Đổi mật khẩu' }).waitFor();
  assert.deepEqual(await unlabelled(page), []);

  const current = page.getByLabel('Mật khẩu hiện tại');
  const fresh = page.getByLabel('Mật khẩu mới', { exact: true });
  const confirm = page.getByLabel('Nhập lại mật khẩu mới');
  // Checked in the browser: at least 12 characters, both the same.
  await current.fill(oneTime);
  await fresh.fill('ngắn quá');
  await confirm.fill('khác');
  await confirm.press('Enter');
  assert.ok((await describedBy(fresh)).includes('Mật khẩu mới phải có ít nhất 12 ký tự.'));
  assert.ok((await describedBy(confirm)).includes('Hai lần nhập mật khẩu mới không khớp nhau.'));
  assert.equal(await fresh.getAttribute('aria-invalid'), 'true');
  assert.equal(await page.evaluate(() => document.activeElement.name), 'new_password');
  await page.screenshot({ path: `${shots}/shell-password.png` });

  // Checked by the server: a wrong current password, shown at that field.
  await current.fill('not the current password');
  await fresh.fill(ADMIN_PASSWORD);
  await confirm.fill(ADMIN_PASSWORD);
  await confirm.press('Enter');
  await page.locator(`#${await current.getAttribute('id')}[aria-invalid="true"]`).waitFor();
  const said = (await describedBy(current)).join(' ');
  assert.match(said, /\S/, 'the server error is shown next to the current password');
  assert.match(page.url(), /#\/password$/);

  await current.fill(oneTime);
  await confirm.press('Enter');
  await page.waitForURL(/#\/home$/);
  admin.password = ADMIN_PASSWORD;
  await h1(page).filter({ hasText: 'Quản trị hệ thống' }).waitFor();
  await page.done();
});

test('the home page shows the administrator, the unit and the role navigation', async () => {
  assert.ok(admin.password, 'the password change test ran');
  const page = await ui.newPage();
  await ui.signIn(page, admin.username, admin.password);
  await page.waitForURL(/#\/home$/);
  await h1(page).filter({ hasText: 'Xin chào, Quản trị hệ thống' }).waitFor();
  assert.equal(await page.locator('#who-name').textContent(), 'Quản trị hệ thống');
  assert.match(await page.locator('#who-unit').textContent(), /\S/);
  const nav = page.getByRole('navigation');
  assert.deepEqual(await nav.getByRole('link').allTextContents(),
    ['Trang chủ', 'Người dùng', 'Đơn vị', 'Đổi mật khẩu']);
  assert.equal(await nav.getByRole('link', { name: 'Trang chủ' }).getAttribute('aria-current'), 'page');
  assert.ok(await page.getByRole('heading', { name: 'Quản trị hệ thống', level: 3 }).isVisible());
  assert.match(await page.locator('#demo').textContent(), /50 hồ sơ hư cấu/);
  await page.locator('.facts dd').filter({ hasText: '3.321' }).waitFor();
  assert.ok(await page.getByRole('button', { name: 'Đăng xuất' }).isVisible());
  await page.screenshot({ path: `${shots}/shell-home.png` });

  // A reload resumes the session (GET /api/session), on the same page.
  await nav.getByRole('link', { name: 'Người dùng' }).click();
  await page.waitForURL(/#\/users$/);
  await page.reload();
  await h1(page).filter({ hasText: 'Người dùng' }).waitFor();
  assert.match(page.url(), /#\/users$/);
  // "#/" (the address with its slash) is the home page too.
  await page.evaluate(() => { location.hash = '#/'; });
  await page.waitForURL(/#\/home$/);
  await h1(page).filter({ hasText: 'Xin chào, Quản trị hệ thống' }).waitFor();
  // A page the roles may not open says so.
  await page.evaluate(() => { location.hash = '#/audit'; });
  await h1(page).filter({ hasText: 'Không có quyền truy cập' }).waitFor();
  await page.done();
});

let auditor; // { username, oneTime } of the auditor the next test creates
let investigator; // and of an investigator, whose account the lock test locks

test('the administrator creates users and sees each one-time password once', async () => {
  const page = await ui.newPage();
  await ui.signIn(page, admin.username, admin.password);
  await page.waitForURL(/#\/home$/);
  await page.getByRole('navigation').getByRole('link', { name: 'Người dùng' }).click();
  await h1(page).filter({ hasText: 'Người dùng' }).waitFor();
  const table = page.getByRole('table', { name: 'Danh sách người dùng' });
  await table.getByRole('rowheader', { name: 'admin' }).waitFor();
  assert.equal(await table.locator('thead th[scope="col"]').count(), 6);
  assert.deepEqual(await unlabelled(page), []);

  // Nothing filled in: errors next to the fields, no request.
  await page.getByRole('button', { name: 'Tạo người dùng' }).click();
  assert.ok((await describedBy(page.getByLabel('Tên đăng nhập'))).some((s) => /3–64 ký tự/.test(s)));
  assert.ok((await describedBy(page.getByLabel('Đơn vị'))).includes('Vui lòng chọn đơn vị.'));
  assert.match(await page.locator('fieldset .field-error').textContent(), /ít nhất một vai trò/);

  // The org units come from GET /api/org-units.
  const units = await page.getByLabel('Đơn vị').locator('option').count();
  assert.ok(units > 1, 'the org unit list is loaded');

  async function create(username, name, role) {
    await page.getByLabel('Tên đăng nhập').fill(username);
    await page.getByLabel('Họ và tên').fill(name);
    await page.getByLabel('Đơn vị').selectOption({ index: 1 });
    await page.getByRole('checkbox', { name: role }).check();
    await page.getByRole('button', { name: 'Tạo người dùng' }).click();
    const secret = page.locator('.secret').filter({ hasText: username });
    await secret.waitFor();
    const password = await secret.locator('code').textContent();
    assert.match(password, /^\S{12,}$/);
    await table.getByRole('rowheader', { name: username }).waitFor();
    return password;
  }
  const auditorOneTime = await create('kiemtra.nguyen', 'Nguyễn Thị Kiểm Tra', 'Cán bộ kiểm tra nhật ký');
  await page.screenshot({ path: `${shots}/shell-users.png`, fullPage: true });
  // The form is cleared: the password is not shown again.
  assert.equal(await page.getByLabel('Tên đăng nhập').inputValue(), '');
  const row = table.getByRole('row').filter({ hasText: 'kiemtra.nguyen' });
  assert.match(await row.textContent(), /Chưa đổi mật khẩu lần đầu/);
  auditor = { username: 'kiemtra.nguyen', oneTime: auditorOneTime };
  investigator = { username: 'dieutra.le', oneTime: await create('dieutra.le', 'Lê Văn Điều Tra', 'Điều tra viên') };

  // A taken username: the error is at the field.
  await page.getByLabel('Tên đăng nhập').fill('kiemtra.nguyen');
  await page.getByLabel('Họ và tên').fill('Trùng tên');
  await page.getByLabel('Đơn vị').selectOption({ index: 1 });
  await page.getByRole('checkbox', { name: 'Điều tra viên' }).check();
  await page.getByRole('button', { name: 'Tạo người dùng' }).click();
  await page.getByLabel('Tên đăng nhập').and(page.locator('[aria-invalid="true"]')).waitFor();
  assert.ok((await describedBy(page.getByLabel('Tên đăng nhập'))).some((s) => /\S/.test(s)));

  // Each row's buttons are named with its account (no two alike).
  const names = await table.getByRole('button').evaluateAll((bs) => bs.map((b) => b.getAttribute('aria-label') ?? b.textContent));
  assert.equal(new Set(names).size, names.length, names.join(', '));
  const reset = table.getByRole('button', { name: 'Đặt lại mật khẩu của dieutra.le', exact: true });
  assert.equal(await reset.textContent(), 'Đặt lại mật khẩu');
  await table.getByRole('button', { name: 'Vô hiệu hóa tài khoản dieutra.le', exact: true }).waitFor();
  // Resetting a password asks first; declined, nothing is sent.
  const posts = [];
  page.on('request', (r) => { if (r.method() === 'POST') posts.push(r.url()); });
  const asked = new Promise((resolve) => page.once('dialog', async (d) => {
    resolve(d.message());
    await d.dismiss();
  }));
  await reset.click();
  assert.match(await asked, /Đặt lại mật khẩu của tài khoản dieutra\.le\?/);
  await page.waitForTimeout(200);
  assert.deepEqual(posts, []);
  await page.done();
});

test('the auditor reads the audit log in an accessible table', async () => {
  assert.ok(auditor, 'the users test ran');
  const page = await ui.newPage();
  await ui.signIn(page, auditor.username, auditor.oneTime);
  await changePassword(page, auditor.oneTime, 'kiểm tra nhật ký mỗi ngày');
  await h1(page).filter({ hasText: 'Nguyễn Thị Kiểm Tra' }).waitFor();
  const nav = page.getByRole('navigation');
  assert.deepEqual(await nav.getByRole('link').allTextContents(),
    ['Trang chủ', 'Nhật ký truy cập', 'Đổi mật khẩu']);
  await nav.getByRole('link', { name: 'Nhật ký truy cập' }).click();
  await h1(page).filter({ hasText: 'Nhật ký truy cập' }).waitFor();
  const table = page.getByRole('table', { name: /Nhật ký truy cập/ });
  await table.locator('tbody tr th[scope="row"]').first().waitFor();
  assert.equal(await table.locator('thead th[scope="col"]').count(), 7);
  assert.ok(await table.locator('tbody tr').count() > 0);
  // The administrator's sign-ins and the failed one are in the log.
  assert.ok(await table.getByRole('rowheader', { name: 'admin' }).count() > 0);
  assert.deepEqual(await unlabelled(page), []);
  // Filter by user.
  await page.getByLabel('Tên đăng nhập').fill('kiemtra.nguyen');
  await page.getByLabel('Tên đăng nhập').press('Enter');
  await page.waitForFunction(() => {
    const names = [...document.querySelectorAll('main tbody th')].map((th) => th.textContent);
    return names.length > 0 && names.every((n) => n === 'kiemtra.nguyen');
  });
  // Filter by action, chosen by name.
  await page.getByLabel('Thao tác').selectOption({ label: 'Đổi mật khẩu' });
  await page.getByRole('button', { name: 'Lọc', exact: true }).click();
  await page.waitForFunction(() => {
    const cells = [...document.querySelectorAll('main tbody tr td:nth-child(3)')];
    return cells.length > 0 && cells.every((td) => td.textContent === 'Đổi mật khẩu');
  });
  await page.getByRole('button', { name: 'Xóa bộ lọc' }).click();
  await table.getByRole('rowheader', { name: 'admin' }).first().waitFor();
  // Filter by outcome: the administrator's failed sign-in, alone.
  await page.getByLabel('Kết quả').selectOption({ label: 'Thất bại' });
  await page.getByRole('button', { name: 'Lọc', exact: true }).click();
  await page.waitForFunction(() => {
    const rows = [...document.querySelectorAll('main tbody tr')];
    return rows.length > 0 && rows.every((tr) => tr.children[4]?.textContent === 'Thất bại');
  });
  assert.ok(await table.getByRole('rowheader', { name: 'admin' }).count() > 0);
  await page.getByRole('button', { name: 'Xóa bộ lọc' }).click();
  await page.waitForFunction(() =>
    [...document.querySelectorAll('main tbody tr')].some((tr) => tr.children[4]?.textContent === 'Thành công'));
  await page.screenshot({ path: `${shots}/shell-audit.png` });
  await page.done();
});

test('a locked account says only "wrong username or password", even to its right password', async () => {
  assert.ok(investigator, 'the users test ran');
  const page = await ui.newPage();
  await page.goto(`${server.url}/#/login`);
  await h1(page).filter({ hasText: 'Đăng nhập' }).waitFor();
  const alert = page.locator('main [role="alert"]').filter({ hasText: /\S/ });
  // Seven wrong passwords (the fifth locks it), then the right one: one
  // answer for all, so the page never tells that the account exists or
  // is locked (the audit log does).
  const passwords = [...Array.from({ length: 7 }, (_, i) => `sai mật khẩu ${i}`), investigator.oneTime];
  for (const password of passwords) {
    await page.getByLabel('Tên đăng nhập').fill(investigator.username);
    await page.getByLabel('Mật khẩu').fill(password);
    const answer = page.waitForResponse((r) => r.url().endsWith('/api/session'));
    await page.getByLabel('Mật khẩu').press('Enter');
    assert.equal((await answer).status(), 401);
    await alert.waitFor();
    assert.equal(await alert.textContent(), 'Sai tên đăng nhập hoặc mật khẩu.');
  }
  await page.done();
});

test('the language toggle switches the signed-in shell to English and back', async () => {
  const page = await ui.newPage();
  await ui.signIn(page, admin.username, admin.password);
  await h1(page).filter({ hasText: 'Xin chào' }).waitFor();
  const toggle = page.locator('#lang');
  assert.equal(await toggle.textContent(), 'English');
  assert.equal(await toggle.getAttribute('lang'), 'en');
  await toggle.click();
  await h1(page).filter({ hasText: 'Hello, Quản trị hệ thống' }).waitFor();
  assert.equal(await page.getAttribute('html', 'lang'), 'en');
  assert.deepEqual(await page.getByRole('navigation').getByRole('link').allTextContents(),
    ['Home', 'Users', 'Org units', 'Change password']);
  assert.match(await page.locator('#demo').textContent(), /DEMO DATA.*50 fictional records/);
  assert.equal(await page.getByRole('button', { name: 'Sign out' }).isVisible(), true);
  await page.locator('.facts dd').filter({ hasText: '3,321' }).waitFor();
  // Vietnamese data in the English UI is marked lang="vi": the header's
  // name and unit, the users' names and units.
  assert.equal(await page.locator('#who-unit').getAttribute('lang'), 'vi');
  await page.getByRole('navigation').getByRole('link', { name: 'Users' }).click();
  const users = page.getByRole('table', { name: 'Users' });
  await users.getByRole('cell', { name: 'Lê Văn Điều Tra' }).waitFor();
  assert.equal(await users.getByRole('cell', { name: 'Lê Văn Điều Tra' }).getAttribute('lang'), 'vi');
  assert.equal(await page.locator('select[name="org_unit_id"] option[value]:not([value=""])').first().getAttribute('lang'), 'vi');
  await page.getByRole('navigation').getByRole('link', { name: 'Home' }).click();
  assert.equal(await toggle.textContent(), 'Tiếng Việt');
  await page.screenshot({ path: `${shots}/shell-home-en.png` });
  // The choice survives a reload; the login page follows it too.
  await page.reload();
  await h1(page).filter({ hasText: 'Hello' }).waitFor();
  await toggle.click();
  await h1(page).filter({ hasText: 'Xin chào' }).waitFor();
  assert.equal(await page.getAttribute('html', 'lang'), 'vi');
  await page.done();

  const en = await ui.newPage({ lang: 'en' });
  await ui.signIn(en, 'admin', 'wrong password');
  await en.locator('main [role="alert"]').filter({ hasText: 'Wrong username or password.' }).waitFor();
  await en.done();
});

test('sign-out returns to the login page and ends the session', async () => {
  const page = await ui.newPage();
  await ui.signIn(page, admin.username, admin.password);
  await h1(page).filter({ hasText: 'Xin chào' }).waitFor();
  assert.equal(await page.evaluate(async () => (await fetch('/api/session')).status), 200);
  await page.getByRole('button', { name: 'Đăng xuất' }).click();
  await page.waitForURL(/#\/login$/);
  await h1(page).filter({ hasText: 'Đăng nhập' }).waitFor();
  assert.match(await page.locator('main [role="status"]').textContent(), /đã đăng xuất/);
  assert.equal(await page.locator('nav').isVisible(), false);
  assert.equal(await page.evaluate(async () => (await fetch('/api/session')).status), 401);
  // Back to a signed-in page: the login page again.
  await page.evaluate(() => { location.hash = '#/users'; });
  await page.waitForURL(/#\/login$/);
  await page.done();
});

test('a session that ends elsewhere leads to the login page on the next call', async () => {
  const page = await ui.newPage();
  await ui.signIn(page, admin.username, admin.password);
  await h1(page).filter({ hasText: 'Xin chào' }).waitFor();
  // Another tab of the same browser signs out: the cookie's session is gone.
  const other = await page.context().newPage();
  await other.goto(server.url);
  await other.getByRole('button', { name: 'Đăng xuất' }).click();
  await other.waitForURL(/#\/login$/);
  // The first tab's next API call answers 401: back to sign-in, with a note.
  await page.getByRole('navigation').getByRole('link', { name: 'Người dùng' }).click();
  await page.waitForURL(/#\/login$/);
  await page.locator('main [role="status"]').filter({ hasText: 'Phiên làm việc đã kết thúc' }).waitFor();
  // Signing in again goes back to the page that was asked for.
  await page.getByLabel('Tên đăng nhập').fill(admin.username);
  await page.getByLabel('Mật khẩu').fill(admin.password);
  await page.getByLabel('Mật khẩu').press('Enter');
  await page.waitForURL(/#\/users$/);
  await page.done();
});

test('keyboard only: sign in, move through the navigation, see the focus', async () => {
  const page = await ui.newPage();
  await page.goto(server.url);
  await h1(page).filter({ hasText: 'Đăng nhập' }).waitFor();
  // Tab order: skip link, language, username (focused at load), password, button.
  const focused = () => page.evaluate(() => {
    const a = document.activeElement;
    return a.id === 'skip' || a.id === 'lang' ? a.id : a.name || a.type;
  });
  assert.equal(await focused(), 'username');
  const order = [];
  for (const key of ['Shift+Tab', 'Shift+Tab', 'Tab', 'Tab', 'Tab', 'Tab']) {
    await page.keyboard.press(key);
    order.push(await focused());
  }
  assert.deepEqual(order, ['lang', 'skip', 'lang', 'username', 'password', 'submit']);
  // The focus is visible: an outline of 3px.
  const outline = await page.evaluate(() => getComputedStyle(document.activeElement).outlineWidth);
  assert.equal(outline, '3px');
  await page.getByLabel('Tên đăng nhập').focus();
  await page.keyboard.type(admin.username);
  await page.keyboard.press('Tab');
  await page.keyboard.type(admin.password);
  await page.keyboard.press('Enter');
  await h1(page).filter({ hasText: 'Xin chào' }).waitFor();
  // Through the navigation to the users page with Tab and Enter.
  for (let i = 0; i < 20; i++) {
    await page.keyboard.press('Tab');
    if (await page.evaluate(() => document.activeElement.textContent === 'Người dùng'
      && document.activeElement.closest('nav') !== null)) break;
  }
  await page.keyboard.press('Enter');
  await h1(page).filter({ hasText: 'Người dùng' }).waitFor();
  // The new page's heading has the focus, for screen readers.
  assert.equal(await page.evaluate(() => document.activeElement.tagName), 'H1');
  await page.done();
});
