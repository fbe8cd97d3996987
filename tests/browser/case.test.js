// case.test.js: the criminal-case pages in Debian's chromium, driven by
// playwright-core against the real server. A commune police investigator
// opens a lead with the page's form, initiates the case, links a victim of
// 14 (the page warns that Art. 151 applies), records an offender, moves the
// case to solved, meets a stale version, reclassifies to Art. 151 (the
// warning goes); the province procuracy's procurator, in a second browser
// context, finds the case in its list, indicts it, and reads the KPI
// rates. An intake links the case opened from it. An auditor reads the
// reasons the server wrote for these steps in Vietnamese (and English).
// Saves tests/browser/screenshots/case-detail.png, cases.png and
// case-audit.png.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { IDENTIFIED, initDb, startServer, stopOk } from '../e2e/lib.js';
import { addOrg, addUser, signIn as apiSignIn } from '../e2e/users.js';
import { openBrowser, shots, h1, VIETNAM } from './lib.js';

let server;
let ui;
let inv;
let proc;
let auditor;
let invApi;
let girlId;
let caseId;

before(async () => {
  const { db, key } = await initDb({ demo: 0 });
  await addOrg(db, { agency: 'POLICE', adminCode: '00004' });
  await addOrg(db, { agency: 'PROCURACY', adminCode: '01' });
  inv = await addUser(db, key, 'dtv.badinh', { name: 'Phạm Văn Điều', adminCode: '00004', roles: ['investigator'] });
  proc = await addUser(db, key, 'ksv.hanoi', { name: 'Lê Thị Kiểm', adminCode: '01', agency: 'PROCURACY',
    roles: ['procurator'] });
  auditor = await addUser(db, key, 'kiemtra.vuan', { name: 'Đỗ Thị Kiểm Tra', adminCode: 'VN', roles: ['auditor'] });
  server = await startServer({ db, key });
  await apiSignIn(server.url, auditor);
  invApi = await apiSignIn(server.url, inv);
  await apiSignIn(server.url, proc);
  // The victim, registered through the API: a girl born 2011, 14 or 15 today.
  const r = await invApi.post('/api/persons', {
    role: 'victim', identification: IDENTIFIED, sex: 'F', birth_date: '2011-12-31', citizenship: 'vn_citizen', nationality: 'VN',
    ethnicity: '01', full_name: 'Giàng Thị Mỷ', province: '01', commune: '00004',
  });
  assert.equal(r.status, 201, r.text);
  girlId = r.body.id;
  ui = await openBrowser(server, { context: { viewport: { width: 1366, height: 900 }, ...VIETNAM } });
});

after(async () => {
  await ui?.close();
  if (server) await stopOk(server);
});

const status = (page, text) => page.getByRole('status').filter({ hasText: text }).waitFor();

test('the investigator opens a lead, initiates it, links a victim of 14 and is warned about Art. 151', async () => {
  const page = await ui.pageFor(inv);
  // From the home page's role card to the cases page.
  await page.locator('.role-card').getByRole('link', { name: 'Vụ án hình sự và chỉ tiêu' }).click();
  await h1(page).filter({ hasText: 'Vụ án hình sự' }).waitFor();
  await page.locator('table.cases td').filter({ hasText: 'Không có vụ án nào.' }).waitFor();

  // An empty title is said at the field, nothing sent.
  const form = page.locator('form.case-new');
  await form.getByRole('button', { name: 'Mở nguồn tin' }).click();
  await form.getByText('Vui lòng nhập tên vụ việc.').waitFor();
  await form.getByLabel('Tên vụ việc').fill('Đường dây đưa trẻ em gái sang biên giới');
  await form.getByLabel('Điều luật (Bộ luật Hình sự)').selectOption('150');
  await form.getByRole('button', { name: 'Mở nguồn tin' }).click();
  await page.waitForURL(/#\/cases\/\d+$/);
  caseId = Number(/#\/cases\/(\d+)$/.exec(page.url())[1]);
  await h1(page).filter({ hasText: `Vụ án số ${caseId}` }).waitFor();
  const facts = page.locator('.facts');
  await facts.getByText('Đường dây đưa trẻ em gái sang biên giới').waitFor();
  await facts.locator('.badge.case-stage').filter({ hasText: 'Nguồn tin' }).waitFor();

  // Initiate: the case number is asked only for this step.
  const stage = page.locator('form.case-stage_form');
  assert.deepEqual(await stage.getByLabel('Bước tiếp theo').locator('option').allTextContents(),
    ['Khởi tố vụ án', 'Tạm đình chỉ', 'Đình chỉ']);
  await stage.getByRole('button', { name: 'Ghi nhận' }).click();
  await stage.getByText('Vui lòng nhập số quyết định khởi tố').waitFor();
  await stage.getByLabel('Số quyết định khởi tố').fill('12/2026/QĐ-CSHS');
  await stage.getByLabel('Lý do, ghi chú').fill('Đủ căn cứ khởi tố vụ án');
  await stage.getByRole('button', { name: 'Ghi nhận' }).click();
  await status(page, `Đã ghi nhận bước chuyển giai đoạn của vụ án số ${caseId}.`);
  await facts.getByText('12/2026/QĐ-CSHS').waitFor();
  await page.locator('table.case-history').getByText('Đủ căn cứ khởi tố vụ án').waitFor();
  // Suspending needs a reason (not sent without one).
  await stage.getByLabel('Bước tiếp theo').selectOption('suspended');
  assert.equal(await stage.getByLabel('Số quyết định khởi tố').isVisible(), false);
  await stage.getByRole('button', { name: 'Ghi nhận' }).click();
  await stage.getByText('Vui lòng nêu lý do.').waitFor();

  // Link the victim: 14 or 15 when the case was initiated, under 16 either way.
  const victim = page.locator('form.case-victim');
  await victim.getByLabel('Số hồ sơ nạn nhân').fill(String(girlId + 1000));
  await victim.getByRole('button', { name: 'Liên kết' }).click();
  await victim.getByText('Không tìm thấy hồ sơ này trong phạm vi của bạn.').waitFor();
  await victim.getByLabel('Số hồ sơ nạn nhân').fill(String(girlId));
  await victim.getByRole('button', { name: 'Liên kết' }).click();
  await status(page, `Đã liên kết nạn nhân với vụ án số ${caseId}.`);
  const warning = page.locator('.case-warnings [data-code="art151_expected"]');
  await warning.waitFor();
  assert.match(await warning.textContent(), /dưới 16 tuổi.*Điều 151/);
  const row = page.locator(`table.case-victims tr[data-person="${girlId}"]`);
  assert.match(await row.textContent(), /^P-[0-9A-F]{12}Nữ2011/);
  assert.doesNotMatch(await page.locator('main').textContent(), /Giàng Thị Mỷ/);

  // An offender, with a wrong citizen ID first.
  const off = page.locator('form.case-offender');
  await off.getByLabel('Vai trò').selectOption('recruiter');
  await off.getByLabel('Họ và tên').fill('Sùng A Tủa');
  await off.getByLabel('Số định danh cá nhân').fill('12345');
  await off.getByRole('button', { name: 'Thêm đối tượng' }).click();
  await off.getByText('Số định danh cá nhân gồm đúng 12 chữ số.').waitFor();
  await off.getByLabel('Số định danh cá nhân').fill('011089001234');
  await off.getByLabel('Giới tính').selectOption('M');
  await off.getByLabel('Năm sinh').fill('1989');
  await off.getByLabel('Quốc tịch').fill('vn');
  await off.getByRole('button', { name: 'Thêm đối tượng' }).click();
  await status(page, `Đã thêm đối tượng vào vụ án số ${caseId}.`);
  const offenders = page.locator('table.case-offenders tbody');
  assert.match(await offenders.textContent(), /Tuyển mộSùng A Tủa011089001234Nam1989VN/);
  // The three tables are named by their captions.
  for (const name of ['Quá trình tố tụng', 'Đối tượng', 'Nạn nhân'])
    await page.getByRole('table', { name, exact: true }).waitFor();
  // The text fields take no more than the server does.
  assert.deepEqual(await page.locator('main input[type="text"]:visible, main textarea:visible').evaluateAll(
    (els) => els.filter((el) => !el.maxLength || el.maxLength < 0).map((el) => el.name)), []);

  // Investigated, solved; then the police have no indict step.
  await stage.getByLabel('Bước tiếp theo').selectOption('investigated');
  await stage.getByRole('button', { name: 'Ghi nhận' }).click();
  await status(page, 'Đã ghi nhận bước chuyển giai đoạn');
  await facts.locator('.badge.case-stage').filter({ hasText: 'Đã điều tra' }).waitFor();
  await stage.getByLabel('Bước tiếp theo').selectOption('solved');
  await stage.getByRole('button', { name: 'Ghi nhận' }).click();
  await facts.locator('.badge.case-stage').filter({ hasText: 'Đã khám phá' }).waitFor();
  assert.deepEqual(await stage.getByLabel('Bước tiếp theo').locator('option').allTextContents(),
    ['Tạm đình chỉ', 'Đình chỉ']);

  // A stale version: someone else edited the case meanwhile.
  const cur = (await invApi.get(`/api/cases/${caseId}`)).body;
  const r = await invApi.post(`/api/cases/${caseId}/edit`, { version: cur.version, title: 'Đường dây đưa trẻ em gái qua biên giới' });
  assert.equal(r.status, 200, r.text);
  const edit = page.locator('form.case-edit');
  await edit.getByLabel('Điều luật (Bộ luật Hình sự)').selectOption('151');
  await edit.getByRole('button', { name: 'Lưu' }).click();
  await edit.getByRole('alert').filter({ hasText: 'Vụ án đã được người khác cập nhật, vui lòng tải lại.' }).waitFor();
  await page.reload();
  await h1(page).filter({ hasText: `Vụ án số ${caseId}` }).waitFor();
  await facts.getByText('Đường dây đưa trẻ em gái qua biên giới').waitFor();
  await warning.waitFor();
  await page.screenshot({ path: `${shots}case-detail.png`, fullPage: true });
  // Reclassified to Art. 151: the warning goes.
  await edit.getByLabel('Điều luật (Bộ luật Hình sự)').selectOption('151');
  await edit.getByRole('button', { name: 'Lưu' }).click();
  await status(page, `Đã lưu thông tin vụ án số ${caseId}.`);
  await facts.getByText('Điều 151 – Tội mua bán người dưới 16 tuổi').waitFor();
  assert.equal(await page.locator('.case-warnings [data-code]').count(), 0);
  await page.done();
});

test('the province procurator finds the case, indicts it and reads the KPI rates', async () => {
  const page = await ui.pageFor(proc);
  const nav = page.getByRole('navigation');
  await nav.getByRole('link', { name: 'Vụ án hình sự' }).click();
  await h1(page).filter({ hasText: 'Vụ án hình sự' }).waitFor();
  // No new-lead form for a procurator; the province's case in the list.
  assert.equal(await page.locator('form.case-new').count(), 0);
  const row = page.locator(`table.cases tr[data-id="${caseId}"]`);
  await row.waitFor();
  assert.match(await row.textContent(), /12\/2026\/QĐ-CSHS.*Điều 151.*Đã khám phá/);
  // Dates read dd/mm/yyyy, as everywhere in the UI.
  assert.match(await row.locator('td').nth(4).textContent(), /^\d{2}\/\d{2}\/\d{4}$/);
  // The KPIs of this year: one case initiated and solved, none indicted yet.
  const kpi = page.locator('table.kpi');
  await kpi.waitFor();
  assert.match(await kpi.locator('caption').textContent(), /1 vụ$/);
  assert.match(await kpi.locator('tr[data-rate="solved"]').textContent(), /1 \/ 1100,0 %trên 90 %Đạt/);
  assert.match(await kpi.locator('tr[data-rate="indicted"]').textContent(), /0 \/ 10,0 %từ 95 %Chưa đạt/);
  assert.match(await kpi.locator('tr[data-rate="tried"]').textContent(), /0 \/ 0—từ 90 %Chưa có số liệu/);

  await row.getByRole('link', { name: String(caseId) }).click();
  await h1(page).filter({ hasText: `Vụ án số ${caseId}` }).waitFor();
  await page.locator('table.case-offenders').getByText('Sùng A Tủa').waitFor();
  // The procurator may indict (or stop the case), not record offenders.
  assert.equal(await page.locator('form.case-offender').count(), 0);
  const stage = page.locator('form.case-stage_form');
  assert.deepEqual(await stage.getByLabel('Bước tiếp theo').locator('option').allTextContents(),
    ['Truy tố', 'Tạm đình chỉ', 'Đình chỉ']);
  await stage.getByLabel('Lý do, ghi chú').fill('Cáo trạng số 30/CT-VKS');
  await stage.getByRole('button', { name: 'Ghi nhận' }).click();
  await status(page, `Đã ghi nhận bước chuyển giai đoạn của vụ án số ${caseId}.`);
  await page.locator('.facts .badge.case-stage').filter({ hasText: 'Đã truy tố' }).waitFor();
  // Trying is the court's: the procuracy may still suspend or close.
  assert.deepEqual(await stage.getByLabel('Bước tiếp theo').locator('option').allTextContents(),
    ['Tạm đình chỉ', 'Đình chỉ']);

  await nav.getByRole('link', { name: 'Vụ án hình sự' }).click();
  await page.locator('table.kpi tr[data-rate="indicted"]').filter({ hasText: /Đạt$/ }).waitFor();
  assert.match(await page.locator('table.kpi tr[data-rate="tried"]').textContent(), /0 \/ 10,0 %từ 90 %Chưa đạt/);
  await page.screenshot({ path: `${shots}cases.png`, fullPage: true });
  await page.done();
});

test('an intake links the criminal case opened from it', async () => {
  const received = new Date(Date.now() - 3600 * 1000).toISOString().replace(/\.\d+Z$/, 'Z');
  const intake = await invApi.post('/api/intakes', { received_at: received, channel: 'DENUNCIATION', province: '01',
    commune: '00004', summary: 'Tố giác đưa người qua biên giới trái phép', reporter: { anonymous: true } });
  assert.equal(intake.status, 201, intake.text);
  const lead = await invApi.post(`/api/intakes/${intake.body.id}/case`, { article: '150', title: 'Từ tố giác' });
  assert.equal(lead.status, 201, lead.text);
  const page = await ui.pageFor(inv);
  await page.evaluate((x) => { location.hash = x; }, `#/intakes/${intake.body.id}`);
  const link = page.locator('.intake-detail dl.facts').getByRole('link', { name: `Vụ án số ${lead.body.case_id}` });
  await link.click();
  await page.waitForURL(new RegExp(`#/cases/${lead.body.case_id}$`));
  await h1(page).filter({ hasText: `Vụ án số ${lead.body.case_id}` }).waitFor();
  await page.done();
});

test('the auditor reads the reasons the server wrote, in Vietnamese and in English', async () => {
  const page = await ui.pageFor(auditor);
  await page.getByRole('navigation').getByRole('link', { name: 'Nhật ký truy cập' }).click();
  await h1(page).filter({ hasText: 'Nhật ký truy cập' }).waitFor();
  const reasons = page.locator('table.audit td.reason');
  const only = async (action) => {
    await page.getByLabel('Thao tác').selectOption(action);
    await page.getByRole('button', { name: 'Lọc', exact: true }).click();
    await page.waitForFunction((a) => {
      const rows = [...document.querySelectorAll('main tbody tr')];
      return rows.length > 0 && rows.every((tr) => tr.children[2]?.querySelector('[title]')?.title === a);
    }, action);
    return reasons.allTextContents();
  };
  // Stage steps: the stage names of the case pages, the date dd/mm/yyyy.
  const stages = await only('case.stage');
  const day = /\d{2}\/\d{2}\/\d{4}$/.source;
  for (const [from, to] of [['Nguồn tin', 'Đã khởi tố'], ['Đã khởi tố', 'Đã điều tra'],
    ['Đã điều tra', 'Đã khám phá'], ['Đã khám phá', 'Đã truy tố']])
    assert.ok(stages.some((r) => new RegExp(`^Chuyển giai đoạn từ “${from}” sang “${to}” ngày ${day}`).test(r)),
      `${from} -> ${to} in ${stages.join(' | ')}`);
  assert.deepEqual(await only('case.offender_add'), ['Thêm đối tượng (Tuyển mộ)']);
  // (The refused link of a person not found has no reason.)
  assert.deepEqual((await only('case.victim_link')).filter(Boolean), [`Nạn nhân: người số ${girlId}`]);
  await page.screenshot({ path: `${shots}case-audit.png` });
  // In English, relabelled in place.
  await page.getByRole('button', { name: 'English' }).click();
  await h1(page).filter({ hasText: /^Audit log$/ }).waitFor();
  await reasons.filter({ hasText: `Victim: person ${girlId}` }).waitFor();
  // A reason the server did not write (a user's, to read a record) as it is.
  const asIs = await page.evaluate(async () => {
    const { reasonText } = await import('/views/audit.js');
    return [reasonText({ action: 'person.read', reason: 'intake 12' }),
      reasonText({ action: 'case.intake_link', reason: 'intake 12' })];
  });
  assert.deepEqual(asIs, ['intake 12', 'Intake 12 linked']);
  await page.getByRole('button', { name: 'Tiếng Việt' }).click();
  await h1(page).filter({ hasText: 'Nhật ký truy cập' }).waitFor();
  await page.done();
});
