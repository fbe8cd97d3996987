// report.test.js: the periodic reports in Debian's chromium, driven by
// playwright-core against the real server with demo data. A commune
// statistician of Ba Đình records an activity (and is told in Vietnamese
// what is missing), opens the half-year report 2026-H1 laid out like the
// paper form, sees the API's numbers, is told to explain the warning,
// submits with a note; the province statistician of Hà Nội sees it in the
// completeness table and returns it with a comment; the commune sees the
// comment and submits again; the province approves, and opens the first
// submission from the steps: the rows as submitted under a banner saying
// it is submission 1, returned with the comment. The print view has the
// national header; the statistics page draws the trend of 8 quarters; a
// national supervisor sees the 34 provinces in the completeness table,
// and a province's communes (a commune form, a province chosen) without
// a commune report of its own. In English the reminders name the form in
// English and the national report's place is "Viet Nam".
// Saves tests/browser/screenshots/report-*.png (report-submission.png:
// the earlier submission), activities.png and
// stats-trend.png.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { initDb, sqlite, startServer, stopOk } from '../e2e/lib.js';
import { addUser, signIn as apiSignIn } from '../e2e/users.js';
import { openBrowser, shots, h1, unlabelled, describedBy, VIETNAM } from './lib.js';

const FORM = 'BC_XA_6T';
const PERIOD = '2026-H1';

let server;
let ui;
let bd;
let hn;
let bdApi;
let vn;

before(async () => {
  const { db, key } = await initDb({ demo: 300 });
  bd = await addUser(db, key, 'tk.badinh', { name: 'Lê Thị Xã', adminCode: '00004', roles: ['statistician'] });
  hn = await addUser(db, key, 'tk.hanoi', { name: 'Phạm Văn Tỉnh', adminCode: '01', roles: ['statistician'] });
  vn = await addUser(db, key, 'tk.quocgia', { name: 'Đỗ Văn Bộ', adminCode: 'VN', roles: ['supervisor'] });
  // Persons of Ba Đình received in the half-year, and some received
  // earlier but identified in it: the report warns about those.
  sqlite(db, "UPDATE person SET province_code = '01', commune_code = '00004', "
    + "received_on = '2026-02-0' || (1 + id % 9), identified_on = CASE WHEN id % 2 = 0 "
    + "THEN '2026-03-01' END WHERE id % 6 = 0");
  sqlite(db, "UPDATE person SET province_code = '01', commune_code = '00004', "
    + "received_on = '2025-10-01', identified_on = '2026-03-02' WHERE id % 6 = 1");
  server = await startServer({ db, key });
  bdApi = await apiSignIn(server.url, bd);
  await apiSignIn(server.url, hn);
  await apiSignIn(server.url, vn);
  ui = await openBrowser(server, { context: { viewport: { width: 1366, height: 900 }, ...VIETNAM } });
});

after(async () => {
  await ui?.close();
  if (server) await stopOk(server);
});

async function apiView() {
  const r = await bdApi.get(`/api/reports?form=${FORM}&period=${PERIOD}`);
  assert.equal(r.status, 200, r.text);
  return r.body;
}

const row = (page, item, by = '') => page.locator(`table.report-form tr[data-item="${item}"][data-by="${by}"]`);

test('a commune records an activity, submits its report, the province returns it and approves it', async () => {
  // --- the activity, recorded in the UI ---
  const cp = await ui.pageFor(bd);
  await cp.locator('nav').getByRole('link', { name: 'Hoạt động' }).click();
  await h1(cp).filter({ hasText: 'Hoạt động phòng, chống mua bán người' }).waitFor();
  const kinds = await cp.getByLabel('Loại hoạt động').locator('option').allTextContents();
  assert.deepEqual(kinds.slice(1), ['Tuyên truyền', 'Tập huấn', 'Kiểm tra', 'Đợt cao điểm']);
  await cp.getByRole('button', { name: 'Ghi nhận', exact: true }).click();
  await cp.getByText('Vui lòng chọn loại hoạt động.').waitFor();
  await cp.getByText('Vui lòng nhập tên hoạt động.').waitFor();
  await cp.getByLabel('Loại hoạt động').selectOption('training');
  await cp.getByLabel('Tên hoạt động').fill('Tập huấn nhận diện nạn nhân');
  await cp.getByLabel('Từ ngày').fill('2026-04-03');
  await cp.getByLabel('Đến ngày').fill('2026-04-01');
  await cp.getByLabel('Số lượt người tham dự').fill('3');
  // The server's refusal, at its field, in Vietnamese.
  await cp.getByRole('button', { name: 'Ghi nhận', exact: true }).click();
  await cp.getByText('Ngày kết thúc không hợp lệ: không trước ngày bắt đầu, không sau hôm nay.').waitFor();
  await cp.getByLabel('Từ ngày').fill('2026-04-02');
  await cp.getByLabel('Đến ngày').fill('2026-04-03');
  await cp.getByRole('button', { name: 'Ghi nhận', exact: true }).click();
  await cp.getByText('Đã ghi nhận hoạt động.').waitFor();
  const actRow = cp.locator('table.activities tbody tr[data-kind="training"]');
  await actRow.waitFor();
  assert.equal(await actRow.locator('td.num').textContent(), '3');
  // Edited in place (with its version): 3 -> 4 participants.
  await actRow.getByRole('button', { name: 'Sửa' }).click();
  await cp.getByRole('heading', { name: /^Sửa hoạt động: Tập huấn/ }).waitFor();
  await cp.getByLabel('Số lượt người tham dự').fill('4');
  await cp.getByRole('button', { name: 'Lưu thay đổi' }).click();
  await cp.getByText('Đã lưu thay đổi.').waitFor();
  await actRow.locator('td.num').filter({ hasText: /^4$/ }).waitFor();
  assert.deepEqual(await unlabelled(cp), []);
  await cp.screenshot({ path: `${shots}activities.png`, fullPage: true });

  // --- the commune's report: the default period is the last one ended ---
  await cp.locator('nav').getByRole('link', { name: /^Báo cáo định kỳ/ }).click();
  await h1(cp).filter({ hasText: 'Báo cáo định kỳ' }).waitFor();
  const formSel = cp.getByLabel('Biểu mẫu', { exact: true });
  await formSel.locator(`option[value="${FORM}"]`).waitFor({ state: 'attached' });
  await formSel.selectOption(FORM);
  assert.equal(await cp.getByLabel('Kỳ báo cáo', { exact: true }).inputValue(), PERIOD);
  await cp.locator('.report-own .report-status').filter({ hasText: 'Chưa gửi' }).waitFor();
  await cp.getByRole('link', { name: 'Xem và gửi báo cáo' }).click();
  await cp.waitForURL(/#\/reports\/view\?/);
  await h1(cp).filter({ hasText: 'Báo cáo 6 tháng kết quả phòng, chống mua bán người của xã' }).waitFor();

  const want = await apiView();
  assert.equal(want.warnings, 1);
  const find = (item, by = null) => want.report.rows.find((r) => r.item === item && (r.by ?? null) === by);
  assert.ok(find('V_RECEIVED').total > 0);
  for (const item of ['V_RECEIVED', 'V_IDENTIFIED', 'ACT_TRAINING', 'ACT_TRAINING_PEOPLE'])
    assert.equal(await row(cp, item).locator('td.num').textContent(), String(find(item).total), item);
  assert.equal(find('ACT_TRAINING_PEOPLE').total, 4);
  // Sections as header rows, the split by sex as indented sub-rows.
  assert.equal(await cp.locator('table.report-form tr.section').first().textContent(),
    'I. Tiếp nhận, giải quyết tố giác, tin báo');
  for (const c of find('V_RECEIVED', 'sex').cells)
    assert.equal(await cp.locator(`tr.cell[data-item="V_RECEIVED"][data-by="sex"][data-category="${c.category}"] td.num`)
      .textContent(), String(c.value));
  assert.match(await row(cp, 'KPI_CLASSIFIED').textContent(), /từ 100 %/);

  // The warning asks for a note: without one, said in Vietnamese.
  await cp.locator('.findings-warnings').filter({ hasText: 'Số người được xác định là nạn nhân lớn hơn' }).waitFor();
  const exportXlsx = cp.locator('a.export[data-format="xlsx"]');
  assert.match(await exportXlsx.getAttribute('href'), /format=xlsx/);
  assert.doesNotMatch(await exportXlsx.getAttribute('href'), /suppress/);
  await cp.getByLabel('Bản công bố (ẩn các ô nhỏ hơn 5)').check();
  assert.match(await exportXlsx.getAttribute('href'), /suppress=5/);
  const dl = await cp.request.get(`${server.url}${await exportXlsx.getAttribute('href')}`);
  assert.equal(dl.status(), 200);
  assert.match(dl.headers()['content-disposition'], /attachment/);

  assert.deepEqual(await unlabelled(cp), []);
  await cp.getByRole('button', { name: 'Gửi báo cáo' }).click();
  await cp.getByText('Báo cáo có cảnh báo: vui lòng nhập nội dung giải trình trước khi gửi.').waitFor();
  await cp.screenshot({ path: `${shots}report-note-needed.png`, fullPage: true });
  await cp.getByLabel('Giải trình').fill('Các trường hợp tiếp nhận từ kỳ trước, đã rà soát');
  await cp.getByRole('button', { name: 'Gửi báo cáo' }).click();
  await cp.getByText('Đã gửi báo cáo lên cấp trên.').waitFor();
  await cp.locator('.report-facts .report-status').filter({ hasText: 'Đã gửi, chờ duyệt' }).waitFor();
  await cp.locator('.report-steps tr[data-action="submit"]').waitFor();
  const submitted = await apiView();
  assert.equal(submitted.status, 'submitted');

  // --- the province: completeness, then return with a comment ---
  const pp = await ui.pageFor(hn);
  const want0 = await apiView();
  assert.ok(want0.report.form.name_en && want0.report.form.name_en !== want0.report.form.name_vi);
  await pp.locator('nav').getByRole('link', { name: /^Báo cáo định kỳ \(\d+\)$/ }).click();
  await pp.locator('.reminders li[data-kind="review"]').filter({ hasText: '1 báo cáo chờ duyệt' }).waitFor();
  // In English the reminder names the form in English (relabelled in place).
  const rem = pp.locator(`.reminders li[data-kind="review"][data-form="${FORM}"] a`);
  assert.equal(await rem.textContent(), `1 báo cáo chờ duyệt: ${want0.report.form.name_vi}`);
  await pp.getByRole('button', { name: 'English' }).click();
  await rem.filter({ hasText: `Reports waiting for review (1): ${want0.report.form.name_en}` }).waitFor();
  await pp.getByRole('button', { name: 'Tiếng Việt' }).click();
  await rem.filter({ hasText: `1 báo cáo chờ duyệt: ${want0.report.form.name_vi}` }).waitFor();
  await pp.getByLabel('Biểu mẫu', { exact: true }).locator(`option[value="${FORM}"]`).waitFor({ state: 'attached' });
  await pp.getByLabel('Biểu mẫu', { exact: true }).selectOption(FORM);
  const place = pp.locator('table.completeness tr[data-place="00004"]');
  await place.filter({ hasText: 'Đã gửi, chờ duyệt' }).waitFor();
  assert.equal(await place.locator('[data-timeliness]').textContent(), 'Nộp muộn');
  assert.equal(await pp.locator('[data-count="submitted"] strong').textContent(), '1');
  await pp.locator('table.completeness tr[data-place="00008"]').filter({ hasText: 'Chưa nộp' }).waitFor();
  assert.deepEqual(await unlabelled(pp), []);
  await pp.screenshot({ path: `${shots}report-completeness.png` });
  await place.getByRole('link', { name: 'Xem' }).click();
  await pp.waitForURL(new RegExp(`#/reports/${submitted.id}$`));
  await pp.getByRole('heading', { name: 'Duyệt báo cáo' }).waitFor();
  assert.equal(await row(pp, 'V_RECEIVED').locator('td.num').textContent(), String(find('V_RECEIVED').total));
  await pp.getByRole('button', { name: 'Trả lại' }).click();
  await pp.getByText('Vui lòng nhập ý kiến khi trả lại báo cáo.').waitFor();
  await pp.getByLabel('Ý kiến của cấp trên').fill('Đề nghị bổ sung số liệu tháng 5');
  await pp.getByRole('button', { name: 'Trả lại' }).click();
  await pp.getByText('Đã trả lại báo cáo.').waitFor();
  await pp.locator('.report-facts .report-status').filter({ hasText: 'Bị trả lại' }).waitFor();

  // --- the commune sees the comment and submits again ---
  await cp.goto(`${server.url}/#/reports/view?form=${FORM}&period=${PERIOD}`);
  await cp.reload(); // the same address: load it afresh
  await cp.locator('.report-returned .comment').filter({ hasText: 'Đề nghị bổ sung số liệu tháng 5' }).waitFor();
  await cp.screenshot({ path: `${shots}report-returned.png`, fullPage: true });
  await cp.getByLabel('Giải trình').fill('Đã bổ sung số liệu tháng 5');
  await cp.getByRole('button', { name: 'Gửi báo cáo' }).click();
  await cp.getByText('Đã gửi báo cáo lên cấp trên.').waitFor();

  // --- the province approves ---
  await pp.reload();
  await pp.getByRole('heading', { name: 'Duyệt báo cáo' }).waitFor();
  await pp.getByRole('button', { name: 'Duyệt', exact: true }).click();
  await pp.getByText('Đã duyệt báo cáo.').waitFor();
  await pp.locator('.report-facts .report-status').filter({ hasText: 'Đã duyệt' }).waitFor();
  assert.deepEqual(await pp.locator('.report-steps tbody tr').evaluateAll((rs) => rs.map((r) => r.dataset.action)),
    ['submit', 'return', 'submit', 'approve']);
  assert.equal((await apiView()).status, 'approved');
  await pp.screenshot({ path: `${shots}report-approved.png`, fullPage: true });
  // In English the form is relabelled in place, numbers kept.
  await pp.getByRole('button', { name: 'English' }).click();
  await h1(pp).filter({ hasText: 'Commune half-year report on the prevention of human trafficking' }).waitFor();
  assert.equal(await pp.locator('.report-facts .report-status').textContent(), 'Approved');
  assert.equal(await row(pp, 'V_RECEIVED').locator('th').textContent(), 'Persons received');
  await pp.getByRole('button', { name: 'Tiếng Việt' }).click();
  await h1(pp).filter({ hasText: 'Báo cáo 6 tháng' }).waitFor();

  // --- the first submission, as submitted, under its banner ---
  await pp.locator('.report-steps tr[data-submission="1"]').getByRole('link', { name: 'Xem lần gửi 1' }).click();
  await pp.waitForURL(new RegExp(`#/reports/${submitted.id}\\?submission=1$`));
  const banner = pp.locator('.submission-banner[data-submission="1"][data-status-after="returned"]');
  await banner.waitFor();
  assert.equal(await banner.locator('.submission-title').textContent(),
    'Đây là lần gửi thứ 1 (số liệu như khi gửi, chỉ xem), đã bị cấp trên trả lại với ý kiến:');
  assert.equal(await banner.locator('.comment').textContent(), 'Đề nghị bổ sung số liệu tháng 5');
  const first = await bdApi.get(`/api/reports/${submitted.id}/submissions/1`);
  assert.equal(first.status, 200, first.text);
  assert.deepEqual(first.body.snapshot.rows, submitted.report.rows);
  for (const item of ['V_RECEIVED', 'V_IDENTIFIED', 'ACT_TRAINING_PEOPLE'])
    assert.equal(await row(pp, item).locator('td.num').textContent(),
      String(first.body.snapshot.rows.find((r) => r.item === item && !r.by).total), item);
  assert.equal(await pp.locator('.submitted-by').textContent(), 'Lê Thị Xã (Công an phường Ba Đình)');
  // Read only: no review form, no exports of the report as it is now.
  assert.equal(await pp.locator('form.report-review').count(), 0);
  assert.equal(await pp.locator('a.export').count(), 0);
  assert.equal(await pp.locator('.report-steps a[aria-current="page"]').textContent(), 'Xem lần gửi 1');
  assert.deepEqual(await unlabelled(pp), []);
  await pp.screenshot({ path: `${shots}report-submission.png`, fullPage: true });
  // The second is the approved one; back to the report as it is now.
  await pp.getByRole('link', { name: 'Xem lần gửi 2' }).click();
  await pp.locator('.submission-banner[data-submission="2"][data-status-after="approved"]').waitFor();
  await pp.getByRole('link', { name: '← Quay lại báo cáo hiện tại' }).click();
  await pp.waitForURL(new RegExp(`#/reports/${submitted.id}$`));
  await pp.locator('.report-facts .report-status').filter({ hasText: 'Đã duyệt' }).waitFor();
  // A submission the report does not have (a stale or typed link): the
  // report as it is now, with a notice, not an error page.
  await pp.evaluate((x) => { location.hash = x; }, `#/reports/${submitted.id}?submission=9`);
  await pp.locator('.submission-missing[role="alert"]').filter({ hasText: 'lần thứ 9' }).waitFor();
  await pp.locator('.report-facts .report-status').filter({ hasText: 'Đã duyệt' }).waitFor();
  assert.equal(await pp.locator('.submission-banner').count(), 0);

  // --- the print view: A4, the national header, the place, the table ---
  await cp.reload();
  await cp.getByRole('link', { name: 'In báo cáo' }).click();
  await cp.waitForURL(/#\/reports\/print\?/);
  await cp.locator('.print-nation .nation').filter({ hasText: 'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM' }).waitFor();
  assert.equal(await cp.locator('.print-nation .motto').textContent(), 'Độc lập - Tự do - Hạnh phúc');
  assert.equal(await cp.locator('.print-place').textContent(), 'Phường Ba Đình');
  assert.equal(await row(cp, 'V_RECEIVED').locator('td.num').textContent(), String(find('V_RECEIVED').total));
  await cp.emulateMedia({ media: 'print' });
  assert.equal(await cp.locator('#nav').isVisible(), false);
  await cp.screenshot({ path: `${shots}report-print.png`, fullPage: true });
  await cp.emulateMedia({ media: 'screen' });

  await cp.done();
  await pp.done();
});

test('the statistics page draws the last 8 quarters, the running one marked partial', async () => {
  const page = await ui.pageFor(bd);
  await page.goto(`${server.url}/#/stats`);
  const ind = page.getByLabel('Chỉ tiêu', { exact: true });
  await ind.locator('option[value="V_RECEIVED"]').waitFor({ state: 'attached' });
  await ind.selectOption('V_RECEIVED');
  await page.getByLabel('Xã, phường, đặc khu', { exact: true }).locator('option[value="00004"]')
    .waitFor({ state: 'attached' });
  await page.getByRole('button', { name: 'Xem số liệu' }).click();
  const want = await bdApi.get('/api/stats/trend?indicator=V_RECEIVED&period_type=quarter&count=8&commune=00004');
  assert.equal(want.status, 200, want.text);
  await page.locator('svg.trend-chart').waitFor();
  assert.equal(await page.locator('svg.trend-chart circle.trend-point').count(), 8);
  assert.equal(await page.locator('svg.trend-chart circle.partial').count(),
    want.body.items.filter((x) => x.partial).length);
  for (const it of want.body.items)
    assert.equal(await page.locator(`table.trend-table tr[data-period="${it.period}"] td.num`).getAttribute('data-total'),
      String(it.total), it.period);
  await page.locator('.stats-trend').screenshot({ path: `${shots}stats-trend.png` });
  await page.done();
});

test('a national supervisor sees the province forms and the 34 provinces reporting', async () => {
  const page = await ui.pageFor(vn);
  await page.goto(`${server.url}/#/reports`);
  const formSel = page.getByLabel('Biểu mẫu', { exact: true });
  await formSel.locator('option[value="BC_TINH_6T"]').waitFor({ state: 'attached' });
  // Its own level and those below (commune forms for their completeness).
  assert.ok(await formSel.locator('option[value="BC_XA_6T"]').count());
  assert.ok(await formSel.locator('option[value="BC_QG_6T"]').count());
  assert.equal(await page.getByLabel('Tỉnh, thành phố', { exact: true }).isVisible(), false);
  await formSel.selectOption('BC_TINH_6T');
  await page.locator('table.completeness tr[data-place="01"]').waitFor();
  assert.equal(await page.locator('table.completeness tbody tr').count(), 34);
  assert.equal(await page.locator('[data-count="expected"] strong').textContent(), '34');

  // Its own report: the place VN, named in English in English.
  await formSel.selectOption('BC_QG_6T');
  const place = page.locator('.report-own dd.place');
  await place.filter({ hasText: 'Nước Cộng hòa xã hội chủ nghĩa Việt Nam' }).waitFor();
  await page.getByRole('button', { name: 'English' }).click();
  await place.filter({ hasText: /^Viet Nam$/ }).waitFor();
  await page.getByRole('button', { name: 'Tiếng Việt' }).click();
  await place.filter({ hasText: 'Nước Cộng hòa xã hội chủ nghĩa Việt Nam' }).waitFor();
  await page.done();
});

test('a national supervisor sees a province\'s communes reporting a commune form', async () => {
  const page = await ui.pageFor(vn);
  // An address with a commune form is kept (it fell back to BC_QG_6T).
  await page.goto(`${server.url}/#/reports?form=${FORM}&period=${PERIOD}`);
  const formSel = page.getByLabel('Biểu mẫu', { exact: true });
  await formSel.locator(`option[value="${FORM}"]`).waitFor({ state: 'attached' });
  assert.equal(await formSel.inputValue(), FORM);
  // No province chosen: asked for one, no report of its own to submit.
  await page.locator('.report-province-needed')
    .filter({ hasText: 'Chọn tỉnh, thành phố để xem tình hình nộp báo cáo của các xã.' }).waitFor();
  assert.equal(await page.locator('.report-own').count(), 0);
  const province = page.getByLabel('Tỉnh, thành phố', { exact: true });
  await province.locator('option[value="01"]').waitFor({ state: 'attached' });
  await province.selectOption('01');
  const bdRow = page.locator('table.completeness tr[data-place="00004"]');
  await bdRow.filter({ hasText: 'Đã duyệt' }).waitFor();
  await page.locator('table.completeness tr[data-place="00008"]').filter({ hasText: 'Chưa nộp' }).waitFor();
  const want = await (await apiSignIn(server.url, { ...vn, changed: true }))
    .get(`/api/reports/completeness?form=${FORM}&period=${PERIOD}&province=01`);
  assert.equal(want.status, 200, want.text);
  assert.equal(await page.locator('table.completeness tbody tr').count(), want.body.places.length);
  assert.equal(await page.locator('[data-count="expected"] strong').textContent(), String(want.body.counts.expected));
  assert.equal(await page.locator('.report-own').count(), 0);
  assert.equal(await page.getByRole('link', { name: 'Xem và gửi báo cáo' }).count(), 0);
  assert.match(page.url(), /province=01/);
  assert.deepEqual(await unlabelled(page), []);
  await page.screenshot({ path: `${shots}report-nation-communes.png` });
  // The address with the province opens the same table.
  await page.reload();
  await page.locator('table.completeness tr[data-place="00004"]').filter({ hasText: 'Đã duyệt' }).waitFor();
  assert.equal(await province.inputValue(), '01');
  await page.done();
});

test('the province sets its own deadline for its half-year report', async () => {
  const page = await ui.pageFor(hn);
  await page.goto(`${server.url}/#/reports?form=BC_TINH_6T&period=${PERIOD}`);
  // Typed as dates are shown, dd/mm, with the form said next to it.
  const input = page.getByLabel('Hạn nộp báo cáo của tỉnh kỳ này (ngày/tháng)');
  await input.waitFor();
  assert.equal(await input.inputValue(), '18/06');
  assert.match((await describedBy(input)).join(' '), /dd\/mm/);
  // A day that does not exist: the field says why, nothing changes.
  await input.fill('30/02');
  await page.getByRole('button', { name: 'Lưu hạn nộp' }).click();
  await page.locator('.report-deadline .field-error:not([hidden])').waitFor();
  await input.fill('25/06');
  await page.getByRole('button', { name: 'Lưu hạn nộp' }).click();
  await page.locator('dd', { hasText: '25/06/2026' }).waitFor();
  const r = await (await apiSignIn(server.url, { ...hn, changed: true })).get(`/api/reports?form=BC_TINH_6T&period=${PERIOD}`);
  assert.equal(r.body.due_on, '2026-06-25');
  await page.done();
});
