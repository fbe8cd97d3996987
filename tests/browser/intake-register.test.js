// intake-register.test.js: the two actions on an intake that lead out of it,
// in Debian's chromium, driven by playwright-core against the real server.
// A commune case worker opens an intake of her unit (made over the API, in
// another province than her unit's), follows "register the person" to the
// person form (#/persons/new?intake=ID, prefilled with the intake's place),
// meets a field error from the server next to its field in Vietnamese
// (nothing stored), registers the woman, sees her pseudonym, and finds her
// on the intake's page; the same woman again meets the duplicate warning
// and is registered all the same. An investigator of the commune police
// opens a criminal-case lead from a tip (a missing title said at the field,
// nothing sent), and the case link appears on the intake. Checked against
// the API and the database. Saves
// tests/browser/screenshots/intake-register-*.png.
//
// The tests run in order and share one server.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { initDb, startServer, stopOk, sqlite } from '../e2e/lib.js';
import { addOrg, addUser, signIn as apiSignIn, ok } from '../e2e/users.js';
import { openBrowser, shots, h1, unlabelled, describedBy, VIETNAM, until, success, open } from './lib.js';

let db;
let server;
let ui;
let worker; // a case worker of the Ba Đình People's Committee (commune 00004)
let inv; // an investigator of the Ba Đình police
let workerApi;
let invApi;
let intakeId; // the case worker's intake, in Bến Thành (79 / 26743)
let womanId;
let healthKey;
let hotline; // an operator of the national hotline 111
let hotlineApi;
let ministry; // a case worker of the Ministry of Public Security

before(async () => {
  let key;
  ({ db, key } = await initDb({ demo: 0 }));
  await addOrg(db, { agency: 'POLICE', adminCode: '00004' });
  worker = await addUser(db, key, 'cb.badinh', { name: 'Nguyễn Thị Lan', adminCode: '00004',
    agency: 'PEOPLES_COMMITTEE', roles: ['case_worker'] });
  inv = await addUser(db, key, 'dtv.badinh', { name: 'Phạm Văn Điều', adminCode: '00004', roles: ['investigator'] });
  healthKey = key;
  hotline = await addUser(db, key, 'td.111', { name: 'Trần Văn Tổng', adminCode: 'VN', agency: 'HOTLINE_111',
    roles: ['hotline_operator'] });
  ministry = await addUser(db, key, 'bca.cw', { name: 'Lê Văn Bộ', adminCode: 'VN', roles: ['case_worker'] });
  server = await startServer({ db, key });
  // The one-time passwords changed over HTTP.
  workerApi = await apiSignIn(server.url, worker);
  invApi = await apiSignIn(server.url, inv);
  hotlineApi = await apiSignIn(server.url, hotline);
  await apiSignIn(server.url, ministry);
  ui = await openBrowser(server, { context: { viewport: { width: 1366, height: 900 }, ...VIETNAM } });
});

after(async () => {
  await ui?.close();
  if (server) await stopOk(server);
});

// An hour ago, as the API takes it.
const anHourAgo = () => new Date(Date.now() - 3600 * 1000).toISOString().replace(/\.\d+Z$/, 'Z');

// POST /api/intakes as client; resolves with the intake.
async function newIntake(client, body) {
  return ok(await client.post('/api/intakes', { received_at: anHourAgo(), language: 'vi',
    reporter: { anonymous: true }, mentioned_phones: [], mentioned_names: [], urgency: 'normal', ...body }), 201);
}

const count = (sql) => Number(sqlite(db, sql));

// The requests page sends to path with method POST (their bodies).
function posts(page, path) {
  const sent = [];
  page.on('request', (r) => {
    if (r.method() === 'POST' && new URL(r.url()).pathname === path) sent.push(r.postDataJSON());
  });
  return sent;
}

test('a case worker registers the woman an intake is about from the intake\'s page', async () => {
  const intake = await newIntake(workerApi, { channel: 'HOTLINE_111', province: '79', commune: '26743',
    summary: 'Người gọi báo một phụ nữ bị giữ tại quán karaoke ở phường Bến Thành.', classification: null });
  intakeId = intake.id;
  const page = await ui.pageFor(worker);
  const sent = posts(page, `/api/intakes/${intakeId}/persons`);
  await open(page, `#/intakes/${intakeId}`);
  await h1(page).filter({ hasText: `Tin báo số ${intakeId}` }).waitFor();
  const card = page.locator('section.action-register');
  await card.getByRole('heading', { name: 'Đăng ký người mà tin báo phản ánh' }).waitFor();
  assert.equal(await card.locator('.hint').textContent(),
    'Nạn nhân hoặc người đang trong quá trình xác định là nạn nhân; hồ sơ được liên kết với tin báo này.');
  // Only investigators open a case lead, and from a tip only.
  assert.equal(await page.locator('form.action-case').count(), 0);
  await page.screenshot({ path: `${shots}intake-register-detail.png`, fullPage: true });

  await card.getByRole('link', { name: 'Đăng ký người' }).click();
  await page.waitForURL(new RegExp(`#/persons/new\\?intake=${intakeId}$`));
  await h1(page).filter({ hasText: `Đăng ký người từ tin báo số ${intakeId}` }).waitFor();
  assert.match(await page.title(), new RegExp(`^Đăng ký người từ tin báo số ${intakeId} — `));
  // The note links back to the intake.
  const note = page.locator('.adult-note');
  const back = note.getByRole('link', { name: `tin báo số ${intakeId}` });
  await back.waitFor();
  assert.equal(await back.getAttribute('href'), `#/intakes/${intakeId}`);
  const form = page.locator('form.person-form');
  assert.deepEqual(await unlabelled(page), []);
  // The intake's place, not the unit's (Ba Đình, Hà Nội).
  const commune = form.getByLabel('Xã, phường, đặc khu');
  await until(async () => await commune.inputValue() === '26743');
  assert.equal(await form.getByLabel('Tỉnh, thành phố nơi cư trú').inputValue(), '79');
  assert.equal(await commune.locator('option:checked').textContent(), 'Bến Thành, phường (26743)');
  // The roles of a registration of its own.
  assert.deepEqual(await form.getByLabel('Đối tượng').locator('option').evaluateAll((os) => os.map((o) => o.value)),
    ['under_identification', 'victim']);
  assert.equal(await form.getByRole('link', { name: 'Hủy' }).getAttribute('href'), `#/intakes/${intakeId}`);

  // How a victim was identified is asked for once the role is victim.
  const identification = form.locator('.identification');
  assert.ok(await identification.isHidden());
  await form.getByLabel('Đối tượng').selectOption('victim');
  assert.ok(await identification.isVisible());
  await form.getByLabel('Họ và tên').fill('Lò Thị Hoa');
  await form.getByLabel('Giới tính').selectOption('F');
  await form.getByLabel('Năm sinh').fill('2001');
  await form.getByRole('button', { name: 'Đăng ký', exact: true }).click();
  await form.getByText('Vui lòng chọn ít nhất một căn cứ theo Điều 32 khoản 1.').waitFor();
  assert.equal(sent.length, 0, 'nothing sent without the identification');
  await form.getByLabel('a) Tài liệu, chứng cứ của cơ quan tiến hành tố tụng').check();
  await form.getByLabel('Loại giấy tờ').selectOption('return_certificate');
  await form.getByLabel('Cơ quan cấp').fill('Đồn Biên phòng cửa khẩu quốc tế Mộc Bài');
  await form.getByLabel('Số văn bản').fill('12/GCN');
  await form.getByLabel('Ngày cấp').fill(await form.getByLabel('Ngày tiếp nhận').inputValue());
  // A phone number the page lets through and the server refuses: said at
  // the field, in Vietnamese, and nothing is stored.
  const phone = form.getByLabel('Số điện thoại');
  await phone.fill('gọi qua Zalo');
  const refused = page.waitForResponse((r) => r.url().endsWith(`/api/intakes/${intakeId}/persons`));
  await form.getByRole('button', { name: 'Đăng ký', exact: true }).click();
  const res = await refused;
  assert.equal(res.status(), 400);
  assert.equal((await res.json()).field, 'person.phone');
  await form.locator('[name="phone"][aria-invalid="true"]').waitFor();
  assert.ok((await describedBy(phone)).includes('Số điện thoại không hợp lệ.'));
  assert.equal(await page.evaluate(() => document.activeElement.name), 'phone');
  assert.ok(await page.locator('main .alert').isHidden(), 'a field error, not an alert');
  await page.screenshot({ path: `${shots}intake-register-error.png`, fullPage: true });
  assert.equal(count('select count(*) from person'), 0);
  assert.equal(count('select count(*) from intake_person'), 0);

  // Corrected: registered and linked to the intake.
  await phone.fill('0912 345 678');
  assert.equal(await phone.getAttribute('aria-invalid'), 'true', 'the error stays until sent again');
  await form.getByRole('button', { name: 'Đăng ký', exact: true }).click();
  await success(page, 'Đã đăng ký P-');
  assert.equal(await phone.getAttribute('aria-invalid'), null);
  const done = page.locator('.success');
  const openLink = done.getByRole('link', { name: /^Mở hồ sơ P-/ });
  womanId = Number(/#\/persons\/(\d+)$/.exec(await openLink.getAttribute('href'))[1]);
  const woman = ok(await workerApi.get(`/api/persons/${womanId}`));
  assert.match(await done.textContent(), new RegExp(`Đã đăng ký ${woman.pseudonym}\\.`));
  assert.equal(await done.getByRole('link', { name: 'Thêm người dưới 18 tuổi đi cùng' }).getAttribute('href'),
    `#/persons/new?accompanies=${womanId}`);
  assert.equal(sent.length, 2);
  assert.deepEqual(Object.keys(sent[1]).sort(), ['confirm_new', 'person']);
  assert.equal(sent[1].confirm_new, false);
  assert.equal(sent[1].person.full_name, 'Lò Thị Hoa');
  assert.deepEqual(sent[1].person.identification.evidence, ['a']);
  assert.equal(sent[1].person.identification.document.number, '12/GCN');
  assert.equal(sent[1].person.identification.on, undefined, 'the day of reception');
  // As stored: a victim in Bến Thành, identified on reception, linked both ways.
  assert.equal(woman.role, 'victim');
  assert.equal(woman.identified_on, woman.received_on);
  assert.deepEqual(woman.steps.map((x) => x.step), ['receive', 'identify']);
  assert.equal(woman.province, '79');
  assert.equal(woman.commune, '26743');
  assert.equal(woman.identity.full_name, 'Lò Thị Hoa');
  assert.deepEqual(woman.intake_ids, [intakeId]);
  assert.deepEqual(ok(await workerApi.get(`/api/intakes/${intakeId}`)).person_ids, [womanId]);
  assert.equal(count(`select count(*) from intake_person where intake_id = ${intakeId} and person_id = ${womanId}`), 1);
  // The form is empty again, at the intake's place.
  assert.equal(await form.getByLabel('Họ và tên').inputValue(), '');
  await until(async () => await commune.inputValue() === '26743');
  await page.screenshot({ path: `${shots}intake-register-done.png`, fullPage: true });

  // Back to the intake: the woman is listed.
  await done.getByRole('link', { name: `Về tin báo số ${intakeId}` }).click();
  await page.waitForURL(new RegExp(`#/intakes/${intakeId}$`));
  const person = page.locator('.intake-detail dl.facts').getByRole('link', { name: `Hồ sơ người số ${womanId}` });
  await person.waitFor();
  assert.equal(await person.getAttribute('href'), `#/persons/${womanId}`);
  await page.done();
});

test('the same woman again from the intake meets the duplicate warning and is registered all the same', async () => {
  const page = await ui.pageFor(worker);
  const sent = posts(page, `/api/intakes/${intakeId}/persons`);
  await open(page, `#/persons/new?intake=${intakeId}`);
  await h1(page).filter({ hasText: `Đăng ký người từ tin báo số ${intakeId}` }).waitFor();
  const form = page.locator('form.person-form');
  await until(async () => await form.getByLabel('Xã, phường, đặc khu').inputValue() === '26743');
  await form.getByLabel('Họ và tên').fill('Lo Thi Hoa');
  await form.getByLabel('Năm sinh').fill('2001');
  await form.getByRole('button', { name: 'Đăng ký', exact: true }).click();
  const dup = page.locator('section.duplicates');
  await dup.getByRole('heading', { name: 'Người này có thể đã được đăng ký' }).waitFor();
  const rows = dup.locator('tbody tr');
  assert.equal(await rows.count(), 1);
  assert.equal(await rows.first().getByRole('link', { name: /^Mở P-/ }).getAttribute('href'), `#/persons/${womanId}`);
  assert.equal(count('select count(*) from person'), 1, 'nothing stored on the warning');
  await dup.getByRole('button', { name: 'Vẫn đăng ký người mới' }).click();
  await success(page, 'Đã đăng ký P-');
  assert.ok(await dup.isHidden());
  assert.deepEqual(sent.map((b) => b.confirm_new), [false, true]);
  const twinId = Number(/#\/persons\/(\d+)$/.exec(await page.locator('.success')
    .getByRole('link', { name: /^Mở hồ sơ P-/ }).getAttribute('href'))[1]);
  assert.notEqual(twinId, womanId);
  assert.deepEqual(ok(await workerApi.get(`/api/intakes/${intakeId}`)).person_ids.sort((a, b) => a - b),
    [womanId, twinId].sort((a, b) => a - b));
  await page.done();
});

test('a unit the intake was referred to registers the person; classifying and referring stay the owner\'s', async () => {
  const health = await addUser(db, healthKey, 'yte.hanoi', { name: 'Trần Thị Y Tế', agency: 'HEALTH',
    adminCode: '01', roles: ['case_worker'] });
  const healthApi = await apiSignIn(server.url, health);
  const units = ok(await workerApi.get('/api/units')).items;
  const healthUnit = units.find((u) => u.agency === 'HEALTH' && u.admin_code === '01').id;
  const intake = await newIntake(workerApi, { channel: 'HOTLINE_111', province: '01', commune: '00004',
    summary: 'Một phụ nữ trở về cần khám sức khỏe.', classification: 'victim_help' });
  // Before the referral the health department gets nothing of it.
  assert.equal((await healthApi.get(`/api/intakes/${intake.id}`)).status, 404);
  const ref = ok(await workerApi.post('/api/referrals', { object_type: 'intake', object_id: intake.id,
    to_unit_id: healthUnit, note: 'Đề nghị tiếp nhận, khám sức khỏe.' }), 201);
  ok(await healthApi.post(`/api/referrals/${ref.id}/accept`, { version: ref.version }));
  const page = await ui.pageFor(health);
  await open(page, `#/intakes/${intake.id}`);
  await h1(page).filter({ hasText: `Tin báo số ${intake.id}` }).waitFor();
  await page.locator('section.action-register').waitFor();
  for (const key of ['classify', 'refer', 'resolve'])
    assert.equal(await page.locator(`form.action-${key}`).count(), 0, key);
  await page.locator('section.action-register').getByRole('link').click();
  await h1(page).filter({ hasText: `Đăng ký người từ tin báo số ${intake.id}` }).waitFor();
  const form = page.locator('form.person-form');
  await until(async () => await form.getByLabel('Xã, phường, đặc khu').inputValue() === '00004');
  await form.getByLabel('Họ và tên').fill('Đinh Thị Mai');
  await form.getByLabel('Năm sinh').fill('1999');
  await form.getByRole('button', { name: 'Đăng ký', exact: true }).click();
  await success(page, 'Đã đăng ký P-');
  const [personId] = ok(await healthApi.get(`/api/intakes/${intake.id}`)).person_ids;
  assert.ok(personId > 0);
  assert.equal(count(`select count(*) from intake_person where intake_id = ${intake.id} and person_id = ${personId}`),
    1);
  await page.done();
});

test('an investigator opens a criminal-case lead from a tip and the case link appears', async () => {
  const tip = await newIntake(invApi, { channel: 'DENUNCIATION', province: '01', commune: '00004',
    summary: 'Tố giác một đường dây đưa phụ nữ sang biên giới.', classification: 'trafficking_tip' });
  assert.ok(tip.legal, 'a tip runs the legal clock');
  // Not a tip: no lead to open from it.
  const call = await newIntake(invApi, { channel: 'HOTLINE_111', province: '01', commune: '00004',
    summary: 'Hỏi thông tin về hỗ trợ nạn nhân.', classification: null });
  assert.equal(call.legal, null);
  const page = await ui.pageFor(inv);
  await open(page, `#/intakes/${call.id}`);
  await h1(page).filter({ hasText: `Tin báo số ${call.id}` }).waitFor();
  await page.locator('section.action-register').waitFor();
  assert.equal(await page.locator('form.action-case').count(), 0);

  const sent = posts(page, `/api/intakes/${tip.id}/case`);
  await open(page, `#/intakes/${tip.id}`);
  await h1(page).filter({ hasText: `Tin báo số ${tip.id}` }).waitFor();
  const form = page.locator('form.action-case');
  await form.getByRole('heading', { name: 'Mở nguồn tin vụ án hình sự' }).waitFor();
  assert.deepEqual(await form.getByLabel('Điều luật (Bộ luật Hình sự)').locator('option').allTextContents(),
    ['Chưa xác định', 'Điều 150 – Tội mua bán người', 'Điều 151 – Tội mua bán người dưới 16 tuổi',
      'Điều luật liên quan khác']);
  assert.equal(await page.locator('.intake-detail dl.facts').getByText('Vụ án hình sự').count(), 0);
  // No title: said at the field, nothing sent.
  await form.getByRole('button', { name: 'Mở nguồn tin' }).click();
  await form.getByText('Vui lòng nhập tên vụ việc.').waitFor();
  assert.equal(await form.getByLabel('Tên vụ việc').getAttribute('aria-invalid'), 'true');
  assert.deepEqual(sent, []);
  await page.screenshot({ path: `${shots}intake-register-case-form.png`, fullPage: true });
  await form.getByLabel('Tên vụ việc').fill('Đường dây đưa phụ nữ sang biên giới');
  await form.getByLabel('Điều luật (Bộ luật Hình sự)').selectOption('150');
  await form.getByRole('button', { name: 'Mở nguồn tin' }).click();
  await success(page, `Đã mở nguồn tin vụ án từ tin báo số ${tip.id}.`);
  assert.deepEqual(sent, [{ article: '150', title: 'Đường dây đưa phụ nữ sang biên giới' }]);

  // Linked both ways, a lead of the investigator's unit.
  const after = ok(await invApi.get(`/api/intakes/${tip.id}`));
  assert.equal(after.case_ids.length, 1);
  const [caseId] = after.case_ids;
  const c = ok(await invApi.get(`/api/cases/${caseId}`));
  assert.equal(c.stage, 'lead');
  assert.equal(c.article, '150');
  assert.equal(c.title, 'Đường dây đưa phụ nữ sang biên giới');
  assert.deepEqual(c.intake_ids, [tip.id]);
  assert.equal(count(`select count(*) from intake_case where intake_id = ${tip.id} and case_id = ${caseId}`), 1);
  // The case link shows; the form stays, empty, for another lead (a unit
  // the intake was referred to may need its own).
  const link = page.locator('.intake-detail dl.facts').getByRole('link', { name: `Vụ án số ${caseId}` });
  await link.waitFor();
  assert.equal(await page.locator('form.action-case').getByLabel('Tên vụ việc').inputValue(), '');
  await page.screenshot({ path: `${shots}intake-register-case.png`, fullPage: true });
  await link.click();
  await page.waitForURL(new RegExp(`#/cases/${caseId}$`));
  await h1(page).filter({ hasText: `Vụ án số ${caseId}` }).waitFor();
  await page.done();
});

test('national units see the pages they may use: the hotline its intakes, neither any person', async () => {
  const navOf = async (page) => page.getByRole('navigation').getByRole('link').allTextContents();
  let page = await ui.pageFor(hotline);
  await open(page, '#/home');
  await h1(page).filter({ hasText: 'Xin chào, Trần Văn Tổng' }).waitFor();
  let nav = await navOf(page);
  for (const item of ['Tiếp nhận tin báo', 'Danh sách tin báo', 'Chuyển tuyến'])
    assert.ok(nav.includes(item), `${item} in ${nav}`);
  assert.ok(!nav.some((x) => /Nạn nhân/.test(x)), `no persons in ${nav}`);
  assert.equal(await page.locator('.role-card a[href="#/persons"]').count(), 0);
  assert.equal(await page.locator('.role-card a[href="#/intakes"]').count(), 1);
  await open(page, '#/persons');
  await h1(page).filter({ hasText: 'Không có quyền truy cập' }).waitFor();
  // Its call: classified and referred from its page, nothing else offered.
  const call = await newIntake(hotlineApi, { channel: 'DENUNCIATION', province: '01', commune: '00004',
    summary: 'Tổng đài 111: tố giác một người môi giới việc làm ở nước ngoài.', classification: 'trafficking_tip' });
  await open(page, `#/intakes/${call.id}`);
  await h1(page).filter({ hasText: `Tin báo số ${call.id}` }).waitFor();
  await page.locator('form.action-refer').waitFor();
  await page.locator('form.action-classify').waitFor();
  for (const form of ['action-register', 'action-decide', 'action-extend', 'action-case'])
    assert.equal(await page.locator(`.${form}`).count(), 0, form);
  await page.done();

  page = await ui.pageFor(ministry);
  await open(page, '#/home');
  await h1(page).filter({ hasText: 'Xin chào, Lê Văn Bộ' }).waitFor();
  nav = await navOf(page);
  assert.ok(!nav.some((x) => /tin báo|Chuyển tuyến|Nạn nhân/.test(x)), `only what it may use: ${nav}`);
  assert.equal(await page.locator('.role-card a[href="#/intakes"], .role-card a[href="#/persons"]').count(), 0);
  await open(page, '#/intake/new');
  await h1(page).filter({ hasText: 'Không có quyền truy cập' }).waitFor();
  await page.done();
});
