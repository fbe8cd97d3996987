// person.test.js: the persons pages in Debian's chromium, driven by
// playwright-core against the real server. A commune case worker registers
// a woman under identification and the boy of 7 with her through the
// pages, meets the duplicate warning once (the same name without
// diacritics) and registers anyway, finds her by name, verifies and
// identifies her (Art. 32.1 evidence and the confirming document), records
// a trafficking event and a support service; on the boy's page sees
// vocational training refused with the reason in Vietnamese (and records it
// with an override reason), records a consent through his mother as his
// representative; then closes the woman's record with a reason and reads
// her timeline. A case worker of another commune opening her page sees the
// not-found page. The province and commune pickers load their lists from
// the server (the commune list follows the province, by keyboard, and the
// names follow the language); a supervisor of her unit and a province case
// worker with a reason read her record without any way to change it
// ("may_change"); a step on a stale record says so and offers to reload.
// Saves tests/browser/screenshots/person-*.png.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { initDb, startServer, stopOk } from '../e2e/lib.js';
import { addUser, signIn as apiSignIn } from '../e2e/users.js';
import { openBrowser, shots, h1, VIETNAM, until, success, open } from './lib.js';

let server;
let ui;
let worker;
let other;
let supervisor;
let provinceWorker;
let workerApi;
let womanId;
let boyId;

before(async () => {
  const { db, key } = await initDb({ demo: 0 });
  worker = await addUser(db, key, 'cb.badinh', { name: 'Nguyễn Thị Lan', adminCode: '00004', roles: ['case_worker'] });
  other = await addUser(db, key, 'cb.khac', { name: 'Trần Văn Khác', adminCode: '00008', roles: ['case_worker'] });
  supervisor = await addUser(db, key, 'gs.badinh', { name: 'Đỗ Văn Giám', adminCode: '00004', roles: ['supervisor'] });
  provinceWorker = await addUser(db, key, 'cb.hanoi', { name: 'Hoàng Thị Tỉnh', adminCode: '01',
    roles: ['case_worker'] });
  server = await startServer({ db, key });
  // The one-time passwords changed over HTTP.
  workerApi = await apiSignIn(server.url, worker);
  await apiSignIn(server.url, other);
  await apiSignIn(server.url, supervisor);
  await apiSignIn(server.url, provinceWorker);
  ui = await openBrowser(server, { context: { viewport: { width: 1366, height: 900 }, ...VIETNAM } });
});

after(async () => {
  await ui?.close();
  if (server) await stopOk(server);
});

const idOf = async (link) => Number(/#\/persons\/(\d+)$/.exec(await link.getAttribute('href'))[1]);

test('a case worker registers a woman under identification and the boy with her', async () => {
  const page = await ui.pageFor(worker);
  await page.getByRole('navigation').getByRole('link', { name: 'Nạn nhân và người được hỗ trợ' }).click();
  await page.waitForURL(/#\/persons$/);
  await h1(page).filter({ hasText: 'Nạn nhân và người được hỗ trợ' }).waitFor();
  await page.locator('section.visits').getByText('Không có lần thăm hỏi nào đến hạn.').waitFor();
  await page.getByRole('link', { name: 'Đăng ký người mới' }).click();
  await page.waitForURL(/#\/persons\/new$/);
  await h1(page).filter({ hasText: 'Đăng ký nạn nhân, người đang trong quá trình xác định là nạn nhân' }).waitFor();

  const form = page.locator('form.person-form');
  // The unit's place is the default residence.
  // The unit's place is the default residence, the commune picked from
  // the province's communes (GET /api/ref/communes).
  const commune = form.getByLabel('Xã, phường, đặc khu');
  await until(async () => await commune.inputValue() === '00004');
  assert.equal(await form.getByLabel('Tỉnh, thành phố nơi cư trú').inputValue(), '01');
  assert.equal(await commune.locator('option:checked').textContent(), 'Ba Đình, phường (00004)');
  // Nothing typed: said at the field, nothing sent.
  await form.getByRole('button', { name: 'Đăng ký', exact: true }).click();
  await form.getByText('Vui lòng nhập họ và tên.').waitFor();

  await form.getByLabel('Đối tượng').selectOption('under_identification');
  await form.getByLabel('Họ và tên').fill('Vàng Thị Mai');
  await form.getByLabel('Giới tính').selectOption('F');
  await form.getByLabel('Dân tộc').selectOption({ label: 'HMông' });
  await form.getByLabel('Năm sinh').fill('1999');
  // Two of the three birth fields: said at the field.
  await form.getByLabel('Tuổi ước tính').fill('27');
  await form.getByRole('button', { name: 'Đăng ký', exact: true }).click();
  await form.getByText('Chỉ nhập một trong: ngày sinh, năm sinh, tuổi ước tính.').waitFor();
  await form.getByLabel('Tuổi ước tính').fill('');
  await form.getByLabel('Số định danh cá nhân (CCCD)').fill('001199012345');
  await form.getByLabel('Số điện thoại').fill('0912 345 678');
  await form.getByLabel('Địa chỉ').fill('Thôn Sín Chải, xã Tả Phìn');
  await form.getByLabel('Liên hệ khác').fill('Chồng: Giàng A Pao, 0987 654 321');
  await form.getByRole('button', { name: 'Đăng ký', exact: true }).click();
  await success(page, 'Đã đăng ký P-');
  womanId = await idOf(page.locator('.success').getByRole('link', { name: /^Mở hồ sơ/ }));

  // The boy with her: from the success message.
  await page.locator('.success').getByRole('link', { name: 'Thêm người dưới 18 tuổi đi cùng' }).click();
  await page.waitForURL(new RegExp(`#/persons/new\\?accompanies=${womanId}$`));
  await h1(page).filter({ hasText: 'Đăng ký người dưới 18 tuổi đi cùng' }).waitFor();
  await page.locator('.adult-note').getByText('Vàng Thị Mai').waitFor();
  // Prefilled from the adult.
  assert.equal(await form.getByLabel('Dân tộc').inputValue(), '08');
  assert.equal(await form.getByLabel('Đối tượng').inputValue(), 'accompanying_minor');
  await form.getByLabel('Họ và tên').fill('Giàng A Tú');
  await form.getByLabel('Giới tính').selectOption('M');
  await form.getByLabel('Tuổi ước tính').fill('7');
  await form.getByRole('button', { name: 'Đăng ký người đi cùng' }).click();
  await success(page, 'Đã đăng ký người dưới 18 tuổi đi cùng P-');
  boyId = await idOf(page.locator('.success').getByRole('link', { name: /^Mở hồ sơ/ }));
  await page.screenshot({ path: `${shots}person-new.png`, fullPage: true });

  // The same woman again, without diacritics: the duplicate warning.
  await open(page, `#/persons/new`);
  await h1(page).filter({ hasText: 'Đăng ký nạn nhân, người đang trong quá trình xác định là nạn nhân' }).waitFor();
  await form.getByLabel('Họ và tên').fill('Vang Thi Mai');
  await form.getByLabel('Năm sinh').fill('2000');
  await form.getByRole('button', { name: 'Đăng ký', exact: true }).click();
  const dup = page.locator('section.duplicates');
  await dup.getByRole('heading', { name: 'Người này có thể đã được đăng ký' }).waitFor();
  const rows = dup.locator('tbody tr');
  assert.equal(await rows.count(), 1);
  assert.match(await rows.first().textContent(), /Nữ, 1999/);
  assert.match(await rows.first().textContent(), /01 \/ 00004/);
  assert.match(await rows.first().textContent(), /Đã tiếp nhận/);
  assert.equal(await idOf(rows.first().getByRole('link', { name: /^Mở P-/ })), womanId);
  await page.screenshot({ path: `${shots}person-duplicate.png`, fullPage: true });
  await dup.getByRole('button', { name: 'Vẫn đăng ký người mới' }).click();
  await success(page, 'Đã đăng ký P-');
  const twinId = await idOf(page.locator('.success').getByRole('link', { name: /^Mở hồ sơ/ }));
  assert.notEqual(twinId, womanId);
  assert.ok(await dup.isHidden());

  // Found by name without diacritics: both, with names (own unit).
  await page.getByRole('link', { name: 'Về danh sách người' }).click();
  await page.waitForURL(/#\/persons$/);
  await h1(page).filter({ hasText: 'Nạn nhân và người được hỗ trợ' }).waitFor();
  await page.getByLabel('Họ và tên').fill('vang thi mai');
  await page.getByRole('button', { name: 'Tìm kiếm' }).click();
  const results = page.locator('table.persons tbody tr');
  await results.filter({ hasText: 'Vang Thi Mai' }).waitFor();
  assert.equal(await results.count(), 2);
  // The name is not written to the address (the browser's history keeps
  // it), but going back from a person shows the search again.
  assert.doesNotMatch(await page.evaluate(() => location.href), /vang|mai/i);
  await results.first().getByRole('link').first().click();
  await page.waitForURL(/#\/persons\/\d+$/);
  await page.goBack();
  await results.filter({ hasText: 'Vang Thi Mai' }).waitFor();
  assert.equal(await page.getByLabel('Họ và tên').inputValue(), 'vang thi mai');
  assert.equal(await results.count(), 2);
  assert.match(await results.filter({ hasText: 'Vàng Thị Mai' }).textContent(),
    /Người đang trong quá trình xác định là nạn nhân/);
  // By citizen ID: only her.
  await page.getByRole('button', { name: 'Xóa điều kiện' }).click();
  await page.getByLabel('Số định danh cá nhân (CCCD)').fill('001199012345');
  await page.getByRole('button', { name: 'Tìm kiếm' }).click();
  await page.locator('.table-foot').getByText('1 người').waitFor();
  await results.filter({ hasText: 'Vàng Thị Mai' }).waitFor();
  await page.screenshot({ path: `${shots}persons.png`, fullPage: true });
  await results.getByRole('link').first().click();
  await page.waitForURL(new RegExp(`#/persons/${womanId}$`));
  await h1(page).filter({ hasText: 'Vàng Thị Mai' }).waitFor();
  await page.done();
});

test('the commune picker follows the province, by keyboard, and its names follow the language', async () => {
  const page = await ui.pageFor(worker);
  await open(page, '#/persons/new');
  await h1(page).filter({ hasText: 'Đăng ký nạn nhân, người đang trong quá trình xác định là nạn nhân' }).waitFor();
  const form = page.locator('form.person-form');
  const province = form.getByLabel('Tỉnh, thành phố nơi cư trú');
  const commune = form.getByLabel('Xã, phường, đặc khu');
  await until(async () => await commune.inputValue() === '00004');
  // The 34 provinces, from the server (their list may arrive after the
  // commune's).
  await until(async () => await province.locator('option:not([value=""])').count() === 34);
  // Keyboard only: the province by its code, the commune by its name.
  await province.focus();
  await page.keyboard.type('79');
  await until(async () => await province.inputValue() === '79');
  await until(async () => await commune.locator('option[value="26743"]').count() === 1);
  assert.equal(await commune.inputValue(), '', 'another province: no commune chosen yet');
  // Tab: the box that narrows the communes; a name without diacritics,
  // Enter: the first that matches is chosen, and the list has the focus.
  await page.keyboard.press('Tab');
  await page.keyboard.type('ben thanh');
  assert.equal(await commune.locator('option:not([hidden]):not([value=""])').count(), 1);
  await page.keyboard.press('Enter');
  await until(async () => await commune.inputValue() === '26743');
  assert.ok(await commune.evaluate((el) => el === document.activeElement), 'the focus is on the communes');
  assert.equal(await commune.locator('option:checked').textContent(), 'Bến Thành, phường (26743)');
  // Arrows move in the list as usual.
  await page.keyboard.press('ArrowUp');
  await until(async () => await commune.inputValue() !== '26743');
  await page.keyboard.press('ArrowDown');
  await until(async () => await commune.inputValue() === '26743');
  await form.getByLabel('Họ và tên').fill('Lò Thị Hoa');
  await form.getByLabel('Năm sinh').fill('2002');
  await form.getByRole('button', { name: 'Đăng ký', exact: true }).click();
  await success(page, 'Đã đăng ký P-');
  const hoaId = await idOf(page.locator('.success').getByRole('link', { name: /^Mở hồ sơ/ }));

  // Her page names the place; in English, with the English names.
  await open(page, `#/persons/${hoaId}`);
  const facts = page.locator('.person-facts');
  await facts.getByText('79 – Thành phố Hồ Chí Minh / Phường Bến Thành (26743)').waitFor();
  await page.getByRole('button', { name: 'English' }).click();
  await facts.getByText('79 – Ho Chi Minh City / Ben Thanh Ward (26743)').waitFor();
  await page.getByRole('button', { name: 'Tiếng Việt' }).click();
  await facts.getByText('Phường Bến Thành').waitFor();

  // Found by the commune of another province.
  await open(page, '#/persons');
  const search = page.locator('form.person-search');
  const sProvince = search.getByLabel('Tỉnh, thành phố', { exact: true });
  const sCommune = search.getByLabel('Xã, phường, đặc khu');
  await until(async () => await sProvince.inputValue() === '01');
  await sProvince.selectOption('79');
  await until(async () => await sCommune.locator('option[value="26743"]').count() === 1);
  await sCommune.selectOption('26743');
  await search.getByRole('button', { name: 'Tìm kiếm' }).click();
  await page.waitForFunction(() => /commune=26743/.test(location.hash));
  await page.locator('.table-foot').getByText('1 người').waitFor();
  assert.match(await page.locator('table.persons tbody tr').first().textContent(), /Lò Thị Hoa/);
  // A reload shows the same search, the picker too.
  await page.reload();
  await page.locator('table.persons').getByText('Lò Thị Hoa').waitFor();
  await until(async () => await sCommune.inputValue() === '26743');
  assert.equal(await sProvince.inputValue(), '79');
  // The list names the place, not its codes "79 / 26743".
  const row = page.locator('table.persons tbody tr').first();
  await row.getByText('79 – Thành phố Hồ Chí Minh / Phường Bến Thành (26743)').waitFor();
  // In English: one person, not "1 persons"; the Vietnamese data (her
  // name, the commune that has no English name in a Vietnamese text) is
  // marked lang="vi" for screen readers.
  await page.getByRole('button', { name: 'English' }).click();
  await page.locator('.table-foot').getByText('1 person', { exact: true }).waitFor();
  await row.getByText('Ho Chi Minh City').waitFor();
  assert.equal(await row.locator('.person-name').getAttribute('lang'), 'vi');
  assert.equal(await page.locator('#who-name').getAttribute('lang'), 'vi');
  assert.equal(await page.locator('#who-unit').getAttribute('lang'), 'vi');
  await page.getByRole('button', { name: 'Tiếng Việt' }).click();
  await page.done();
});

test('the case worker verifies and identifies her, and records an event and a support', async () => {
  const page = await ui.pageFor(worker);
  await open(page, `#/persons/${womanId}`);
  await h1(page).filter({ hasText: 'Hồ sơ Vàng Thị Mai' }).waitFor();
  const facts = page.locator('.person-facts');
  await facts.getByText('001199012345').waitFor();
  assert.match(await facts.textContent(), /Giàng A Pao/);
  assert.match(await facts.textContent(), /HMông/);
  assert.match(await facts.textContent(), /03 ngày kể từ khi tiếp nhận/);
  await page.locator('section.minors').getByRole('link', { name: `Hồ sơ người số ${boyId}` }).waitFor();
  const steps = page.locator('.step-buttons');
  assert.deepEqual(await steps.getByRole('button').allTextContents(),
    ['Bắt đầu xác minh', 'Xác định là nạn nhân', 'Kết luận không phải nạn nhân', 'Đóng hồ sơ']);

  // Verify.
  await steps.getByRole('button', { name: 'Bắt đầu xác minh' }).click();
  await page.locator('form.pform-step-verify').getByRole('button', { name: 'Bắt đầu xác minh' }).click();
  await success(page, 'Đã ghi nhận bắt đầu xác minh.');
  await page.locator('.person-status-line').getByText('Đang xác minh').waitFor();

  // Identify: the evidence is required.
  await steps.getByRole('button', { name: 'Xác định là nạn nhân' }).click();
  const identify = page.locator('form.pform-step-identify');
  await identify.getByRole('button', { name: 'Ghi nhận xác định nạn nhân' }).click();
  await identify.getByText('Vui lòng chọn ít nhất một căn cứ theo Điều 32 khoản 1.').waitFor();
  await identify.getByLabel('b) Tài liệu, chứng cứ của cơ quan giải cứu').check();
  await identify.getByLabel('e) Lời khai, tài liệu của người đang trong quá trình xác định là nạn nhân').check();
  await identify.getByLabel('đ) Tài liệu, chứng cứ của cơ quan, tổ chức có thẩm quyền của nước ngoài').check();
  await identify.getByLabel('Loại giấy tờ').selectOption({ label: 'Giấy xác nhận của cơ quan giải cứu' });
  await identify.getByLabel('Cơ quan cấp').fill('Đồn Biên phòng cửa khẩu Ma Lù Thàng');
  await identify.getByLabel('Số văn bản').fill('127/XN-BP');
  const today = await page.evaluate(() => {
    const d = new Date();
    return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
  });
  await identify.getByLabel('Ngày cấp').fill(today);
  await identify.scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${shots}person-identify.png` });
  await identify.getByRole('button', { name: 'Ghi nhận xác định nạn nhân' }).click();
  await success(page, 'là nạn nhân.');
  await page.locator('.person-status-line').getByText('Đã xác định là nạn nhân').waitFor();
  const history = page.locator('table.steps');
  assert.match(await history.textContent(), /b, đ, e/);
  assert.match(await history.textContent(), /127\/XN-BP/);
  assert.match(await history.textContent(), /Đang xác minh → Đã xác định là nạn nhân/);
  assert.match(await facts.textContent(), /Ngày xác định là nạn nhân/);

  // A trafficking event: taken to China for a forced marriage, rescued.
  await page.locator('section.events summary').filter({ hasText: 'Thêm vụ việc' }).click();
  const event = page.locator('form.pform-event');
  await event.getByLabel('Mục đích mua bán').selectOption(['OTHER.FORCED_MARRIAGE']);
  await event.getByLabel('Bị đưa ra nước ngoài').check();
  await event.getByLabel('Nước đến').fill('CN');
  await event.getByLabel('Cách phát hiện').selectOption('rescued');
  await event.getByLabel('Ngày phát hiện').fill(today);
  await event.getByLabel('Phương thức dụ dỗ, tuyển mộ').selectOption('online_ad');
  await event.getByRole('button', { name: 'Lưu vụ việc' }).click();
  await success(page, 'Đã thêm vụ việc mua bán người.');
  assert.match(await page.locator('table.events').textContent(), /Ép buộc làm vợ, làm chồng.*Nước ngoài: Trung Quốc/);

  // Support: essential needs for 10 days.
  const ent = page.locator('table.entitlements');
  await ent.locator('tr[data-support="ESSENTIAL"]').getByText('Được hưởng').waitFor();
  assert.match(await ent.locator('tr[data-support="ESSENTIAL"]').textContent(), /Đã hỗ trợ 0\/120 ngày/);
  const service = page.locator('form.pform-service');
  await service.getByLabel('Loại hỗ trợ').selectOption('ESSENTIAL');
  assert.equal(await service.getByLabel('Đơn vị tính').inputValue(), 'day');
  await service.getByLabel('Cơ sở, tổ chức hỗ trợ').fill('Trung tâm Công tác xã hội Hà Nội');
  await service.getByLabel('Số lượng').fill('10');
  await service.getByLabel('Số tiền (đồng)').fill('1500000');
  await service.getByRole('button', { name: 'Ghi nhận hỗ trợ' }).click();
  await success(page, 'Đã ghi nhận khoản hỗ trợ.');
  const ledger = page.locator('table.ledger');
  await ledger.getByText('Trung tâm Công tác xã hội Hà Nội').waitFor();
  assert.match(await ledger.locator('tfoot').textContent(), /Tổng cộng\s*1\.500\.000\s*₫/);
  await ent.locator('tr[data-support="ESSENTIAL"]').getByText('Đã hỗ trợ 10/120 ngày').waitFor();
  await page.screenshot({ path: `${shots}person-detail-full.png`, fullPage: true });
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: `${shots}person-detail.png` });
  await page.done();
});

test('the boy: vocational training refused in Vietnamese, a consent through his mother', async () => {
  const page = await ui.pageFor(worker);
  await open(page, `#/persons/${womanId}`);
  await page.locator('section.minors').getByRole('link', { name: `Hồ sơ người số ${boyId}` }).click();
  await page.waitForURL(new RegExp(`#/persons/${boyId}$`));
  await h1(page).filter({ hasText: 'Giàng A Tú' }).waitFor();
  await page.locator('.person-facts').getByRole('link', { name: `Hồ sơ người số ${womanId}` }).waitFor();
  // A minor is not verified or identified.
  assert.deepEqual(await page.locator('.step-buttons').getByRole('button').allTextContents(),
    ['Chuyển sang bảo vệ', 'Chuyển sang hỗ trợ', 'Hòa nhập cộng đồng', 'Đóng hồ sơ']);

  const voc = page.locator('table.entitlements tr[data-support="VOCATIONAL"]');
  await voc.getByText('Không được hưởng').waitFor();
  assert.match(await voc.textContent(), /Không thuộc các chế độ hỗ trợ dành cho người dưới 18 tuổi đi cùng/);

  const service = page.locator('form.pform-service');
  await service.getByLabel('Loại hỗ trợ').selectOption('VOCATIONAL');
  await service.getByRole('button', { name: 'Ghi nhận hỗ trợ' }).click();
  const refused = service.locator('.refused-box');
  await refused.getByText('Không được hưởng: Hỗ trợ học nghề, tư vấn, tạo điều kiện để có việc làm').waitFor();
  assert.match(await refused.textContent(),
    /Không thuộc các chế độ hỗ trợ dành cho người dưới 18 tuổi đi cùng \(công dân Việt Nam\) theo Luật 53\/2024 Điều 37\.2/);
  await service.scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${shots}person-refused.png` });
  // Recorded anyway, with a reason.
  await service.getByRole('button', { name: 'Vẫn ghi nhận (có lý do)' }).click();
  await service.getByText('Vui lòng nêu lý do vẫn ghi nhận hỗ trợ này.').waitFor();
  await service.getByLabel('Lý do vẫn ghi nhận').fill('Khóa học nghề ngắn hạn do Hội Phụ nữ tài trợ, mẹ đề nghị.');
  await service.getByRole('button', { name: 'Vẫn ghi nhận (có lý do)' }).click();
  await success(page, 'Đã ghi nhận khoản hỗ trợ.');
  await page.locator('table.ledger').getByText('Ghi nhận ngoài chế độ').waitFor();

  // A consent: not by himself (under 18), through his mother.
  await page.locator('section.consents summary').filter({ hasText: 'Ghi nhận sự đồng ý' }).click();
  const consent = page.locator('form.pform-consent');
  assert.equal(await consent.getByLabel('Người đồng ý').inputValue(), 'representative');
  await consent.getByLabel('Người đồng ý').selectOption('self');
  await consent.getByRole('button', { name: 'Lưu sự đồng ý' }).click();
  await consent.getByText('Người dưới 18 tuổi phải đồng ý thông qua người đại diện hợp pháp.').waitFor();
  await consent.getByLabel('Người đồng ý').selectOption('representative');
  await consent.getByLabel('Phạm vi đồng ý').selectOption('contact_family');
  await consent.getByLabel('Người đại diện (họ tên, quan hệ)').fill('Vàng Thị Mai, mẹ');
  await consent.getByRole('button', { name: 'Lưu sự đồng ý' }).click();
  await success(page, 'Đã ghi nhận sự đồng ý.');
  const consents = page.locator('table.consents');
  await consents.getByText('Người đại diện hợp pháp: Vàng Thị Mai, mẹ').waitFor();
  assert.match(await consents.textContent(), /Liên hệ với gia đình.*Đang hiệu lực/);
  // Withdrawn later: the reason is shown.
  await consents.getByRole('button', { name: 'Rút lại' }).click();
  const withdraw = consents.locator('form.inline-form');
  await withdraw.getByLabel('Lý do').fill('Mẹ không muốn liên hệ với gia đình bên nội nữa.');
  await withdraw.getByRole('button', { name: 'Xác nhận rút' }).click();
  await success(page, 'Đã ghi nhận việc rút lại sự đồng ý.');
  await consents.getByText('Lý do: Mẹ không muốn liên hệ với gia đình bên nội nữa.').waitFor();
  assert.match(await consents.textContent(), /Đã rút ngày/);
  await page.done();
});

test('the case worker closes her record with a reason and reads the timeline', async () => {
  const page = await ui.pageFor(worker);
  await open(page, `#/persons/${womanId}`);
  await h1(page).filter({ hasText: 'Vàng Thị Mai' }).waitFor();
  const steps = page.locator('.step-buttons');
  await steps.getByRole('button', { name: 'Đóng hồ sơ' }).click();
  const close = page.locator('form.pform-step-close');
  await close.getByRole('button', { name: 'Đóng hồ sơ' }).click();
  await close.getByText('Vui lòng nêu lý do.').waitFor();
  await close.getByLabel('Lý do').fill('Chị Mai đã về gia đình tại Lào Cai, không cần hỗ trợ thêm.');
  await close.getByRole('button', { name: 'Đóng hồ sơ' }).click();
  await success(page, 'Đã đóng hồ sơ P-');
  await page.locator('.person-status-line').getByText('Đã đóng hồ sơ').waitFor();
  assert.deepEqual(await steps.getByRole('button').allTextContents(), ['Mở lại hồ sơ']);
  assert.match(await page.locator('table.steps').textContent(), /Chị Mai đã về gia đình/);
  // Closed: nothing is given until reopened, said in words.
  await page.locator('table.entitlements tr[data-support="ESSENTIAL"]')
    .getByText('Hồ sơ đang ở tình trạng "Đã đóng hồ sơ": mở lại hồ sơ để hỗ trợ.').waitFor();
  await page.screenshot({ path: `${shots}person-closed.png`, fullPage: true });

  await page.getByRole('link', { name: 'Dòng thời gian' }).click();
  await page.waitForURL(new RegExp(`#/persons/${womanId}/timeline$`));
  await h1(page).filter({ hasText: `Dòng thời gian của hồ sơ số ${womanId}` }).waitFor();
  const tl = page.locator('ol.timeline');
  await tl.getByText('Đóng hồ sơ').waitFor();
  const text = await tl.textContent();
  for (const s of ['Tiếp nhận', 'Xác minh', 'Xác định là nạn nhân', 'Vụ việc mua bán người', 'Hỗ trợ nhu cầu thiết yếu',
    'Chị Mai đã về gia đình'])
    assert.ok(text.includes(s), `${s} in the timeline`);
  assert.ok(text.indexOf('Xác minh') < text.indexOf('Đóng hồ sơ'), 'oldest first');
  await page.screenshot({ path: `${shots}person-timeline.png`, fullPage: true });
  await page.done();
});

test('a case worker of another commune does not find her', async () => {
  const page = await ui.pageFor(other);
  await open(page, `#/persons/${womanId}`);
  await h1(page).filter({ hasText: 'Không tìm thấy trang' }).waitFor();
  await page.getByText('Không tìm thấy hồ sơ này, hoặc hồ sơ không thuộc phạm vi của đơn vị bạn.').waitFor();
  assert.equal(await page.getByText('Vàng Thị Mai').count(), 0);
  // Nor by name.
  await open(page, `#/persons?q=vang%20thi%20mai`);
  await page.locator('table.persons').getByText('Không có người nào phù hợp.').waitFor();
  await page.done();
});

test('a supervisor and a province case worker with a reason read her record, with no way to change it', async () => {
  // The supervisor of her unit: pseudonymised, read only.
  let page = await ui.pageFor(supervisor);
  await open(page, `#/persons/${womanId}`);
  await page.locator('.person-status-line').getByText('Đã đóng hồ sơ').waitFor();
  await page.locator('p.read-only').getByText('Bạn chỉ được xem hồ sơ này').waitFor();
  assert.equal(await page.locator('.step-buttons, details.add-form, form.action').count(), 0);
  assert.equal(await page.getByRole('button', { name: 'Mở lại hồ sơ' }).count(), 0);
  assert.equal(await page.getByText('Vàng Thị Mai').count(), 0, 'pseudonymised');
  await page.done();

  // A province case worker: with a reason, her identity, still read only.
  page = await ui.pageFor(provinceWorker);
  await open(page, `#/persons/${womanId}`);
  const why = page.locator('form.reason-form');
  await why.getByLabel('Lý do xem thông tin định danh').fill('Rà soát hồ sơ theo đề nghị của Sở Y tế');
  await why.getByRole('button', { name: 'Xem hồ sơ' }).click();
  await h1(page).filter({ hasText: 'Vàng Thị Mai' }).waitFor();
  await page.locator('p.read-only').getByText('Bạn đang xem hồ sơ ngoài đơn vị với lý do đã nêu').waitFor();
  assert.equal(await page.locator('.step-buttons, details.add-form, form.action').count(), 0);
  assert.equal(await page.getByRole('button', { name: 'Mở lại hồ sơ' }).count(), 0);
  await page.screenshot({ path: `${shots}person-read-only.png`, fullPage: true });
  await page.done();
});

test('a step on a record changed meanwhile says so and offers to reload it', async () => {
  const r = await workerApi.post('/api/persons', { role: 'under_identification', sex: 'M', birth_year: 1990,
    citizenship: 'vn_citizen', province: '01', commune: '00004', full_name: 'Sùng A Lử' });
  assert.equal(r.status, 201, r.text);
  const id = r.body.id;
  const page = await ui.pageFor(worker);
  await open(page, `#/persons/${id}`);
  await h1(page).filter({ hasText: 'Sùng A Lử' }).waitFor();
  await page.locator('.step-buttons').getByRole('button', { name: 'Đóng hồ sơ' }).click();
  // Meanwhile, someone else starts the verification.
  const s = await workerApi.post(`/api/persons/${id}/steps`, { step: 'verify', version: r.body.version });
  assert.equal(s.status, 201, s.text);
  const close = page.locator('form.pform-step-close');
  await close.getByLabel('Lý do').fill('Trùng với hồ sơ khác.');
  await close.getByRole('button', { name: 'Đóng hồ sơ' }).click();
  await close.getByText('Hồ sơ vừa được người khác thay đổi. Vui lòng tải lại hồ sơ rồi thử lại.').waitFor();
  await close.scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${shots}person-conflict.png` });
  await close.getByRole('button', { name: 'Tải lại hồ sơ' }).click();
  await success(page, `Đã tải lại hồ sơ ${r.body.pseudonym}.`);
  await page.locator('.person-status-line').getByText('Đang xác minh').waitFor();
  assert.doesNotMatch(await page.locator('table.steps').textContent(), /Trùng với hồ sơ khác/);

  // A visit due today: in the unit's list, by the person's pseudonym.
  const d = new Date(Date.now() + 7 * 3600 * 1000).toISOString().slice(0, 10);
  const f = await workerApi.post(`/api/persons/${id}/follow-ups`, { due_on: d, note: 'Gọi điện hỏi thăm' });
  assert.equal(f.status, 201, f.text);
  await open(page, '#/persons');
  const due = page.locator('section.visits').getByRole('link', { name: r.body.pseudonym });
  await due.waitFor();
  assert.equal(await due.getAttribute('href'), `#/persons/${id}`);
  await page.done();
});
