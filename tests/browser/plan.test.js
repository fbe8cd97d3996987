// plan.test.js: plans in Debian's chromium, driven by playwright-core
// against the real server. A province supervisor of Hà Nội uploads the
// Lào Cai plan (tests/unit/data/plans/004_*.txt) on the import page, sees
// the summary of the server's proposal, corrects a task's lead unit,
// drops a task and saves; a commune statistician of Ba Đình builds a
// commune plan from two of its tasks and records one of them done with
// evidence; the province sees the coverage below. An empty and a binary
// file are refused in Vietnamese. The import offers only the units of the
// province and its communes (not Hồ Chí Minh City's police). Saves tests/browser/screenshots/
// plan-import-review.png, plan-detail.png, plan-commune.png and
// plan-print.png.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { ROOT, initDb, startServer, stopOk } from '../e2e/lib.js';
import { addOrg, addUser, signIn as apiSignIn } from '../e2e/users.js';
import { openBrowser, shots, h1, unlabelled, VIETNAM } from './lib.js';

const SEEDS = path.join(ROOT, 'tests/unit/data/plans');
const LAO_CAI = path.join(SEEDS, fs.readdirSync(SEEDS).find((f) => /^004_.*\.txt$/.test(f)));

let server;
let ui;
let hn;
let bd;
let hnApi;
let bdApi;
let plan; // the province plan saved from the document
let hcm; // an org unit of another province

before(async () => {
  const { db, key } = await initDb({ demo: 0 });
  hn = await addUser(db, key, 'gs.hanoi', { name: 'Trần Văn Tỉnh', adminCode: '01', roles: ['supervisor'],
    agency: 'PEOPLES_COMMITTEE' });
  bd = await addUser(db, key, 'tk.badinh', { name: 'Lê Thị Xã', adminCode: '00004', roles: ['statistician'],
    agency: 'PEOPLES_COMMITTEE' });
  hcm = await addOrg(db, { agency: 'POLICE', adminCode: '79' });
  server = await startServer({ db, key });
  hnApi = await apiSignIn(server.url, hn);
  bdApi = await apiSignIn(server.url, bd);
  ui = await openBrowser(server, { context: { viewport: { width: 1366, height: 900 }, ...VIETNAM } });
});

after(async () => {
  await ui?.close();
  if (server) await stopOk(server);
});

// The server's proposal for the document, as the page gets it.
async function apiProposal() {
  const res = await fetch(`${server.url}/api/plans/import`, {
    method: 'POST',
    headers: { cookie: `ctip_session=${hnApi.cookie}`, 'x-csrf-token': hnApi.csrf, 'content-type': 'text/plain' },
    body: fs.readFileSync(LAO_CAI),
  });
  assert.equal(res.status, 200);
  return res.json();
}

const taskRow = (page, ref) => page.locator(`table.plan-import-table tr.task[data-ref="${ref}"]`);

test('a province imports the Lào Cai plan, corrects a lead unit, drops a task and saves', async () => {
  const want = await apiProposal();
  const page = await ui.pageFor(hn);
  await page.locator('nav').getByRole('link', { name: 'Kế hoạch' }).click();
  await h1(page).filter({ hasText: 'Kế hoạch phòng, chống mua bán người' }).waitFor();
  await page.locator('.plan-due-list').filter({ hasText: 'Không có nhiệm vụ quá hạn' }).waitFor();
  await page.getByRole('link', { name: 'Nhập kế hoạch từ văn bản' }).click();
  await h1(page).filter({ hasText: 'Nhập kế hoạch từ văn bản' }).waitFor();
  await page.getByLabel('Tệp văn bản kế hoạch (.txt, .md)').setInputFiles(LAO_CAI);

  // The summary says what the server recognised; the table holds it all.
  const s = want.stats;
  await page.locator('.plan-import-summary').filter({ hasText: `Nhận diện ${s.tasks} nhiệm vụ, ${s.with_lead} có `
    + `đơn vị chủ trì, ${s.unmatched_units} cụm từ chưa khớp.` }).waitFor();
  assert.equal(s.tasks, want.proposal.tasks.length);
  assert.equal(await page.locator('table.plan-import-table tr.task').count(), s.tasks);
  assert.equal(await page.locator('table.plan-import-table tr.section').count(), want.proposal.sections.length);
  const withLead = await page.locator('table.plan-import-table tr.task')
    .evaluateAll((rs) => rs.filter((r) => r.querySelector('.chips[data-role="lead"] .chip')).length);
  assert.equal(withLead, s.with_lead);
  // Phrases not recognised are amber, with the words of the document.
  assert.equal(await page.locator('.chip.unmatched').count(), s.unmatched_units);
  const others = want.proposal.tasks.flatMap((t) => [...t.lead, ...t.coordinate]).filter((u) => u.agency === 'OTHER');
  assert.equal(await page.locator('.chip.other').count(), others.length);
  const unit = want.proposal.tasks.find((t) => t.ref === 'IV/1/1.1').lead[0];
  assert.equal(await taskRow(page, 'IV/1/1.1').locator('.chips[data-role="lead"] .chip select').inputValue(),
    unit.unit_id ? `u:${unit.unit_id}` : `a:${unit.agency}`);
  assert.equal(await taskRow(page, 'IV/1/1.1').locator('.chip .phrase').first().textContent(), unit.phrase);

  // The press is "another agency" in the proposal: the reviewer makes it
  // the culture and information agency; and drops task III/1/1.2.
  const press = taskRow(page, 'III/2/2.1');
  assert.match(await press.locator('.chips[data-role="lead"] .phrase').textContent(), /Các cơ quan báo chí/);
  await press.locator('.chips[data-role="lead"] .chip select').selectOption('a:CULTURE_INFO');
  await press.locator('.chips[data-role="lead"] .chip.changed').waitFor();
  assert.equal(await press.locator('.chips[data-role="lead"] .chip.other').count(), 0);
  await taskRow(page, 'III/1/1.2').getByLabel('Bỏ nhiệm vụ 1.2').check();
  await page.locator('.plan-import-live').filter({ hasText: `Sẽ lưu ${s.tasks - 1} nhiệm vụ (bỏ 1)` }).waitFor();
  await page.getByLabel('Số kế hoạch').fill('25/KH-UBND');
  await page.getByLabel('Ngày ban hành').fill('2026-02-10');
  assert.equal(await page.getByLabel('Tên kế hoạch').inputValue(), want.proposal.title);
  assert.deepEqual(await unlabelled(page), []);
  await page.screenshot({ path: `${shots}plan-import-review.png`, fullPage: true });

  await page.getByRole('button', { name: 'Lưu kế hoạch' }).click();
  await page.waitForURL(/#\/plans\/\d+$/);
  const id = Number(/#\/plans\/(\d+)$/.exec(page.url())[1]);
  const r = await hnApi.get(`/api/plans/${id}`);
  assert.equal(r.status, 200, r.text);
  plan = r.body;
  assert.equal(plan.tasks.length, s.tasks - 1);
  assert.equal(plan.number, '25/KH-UBND');
  await h1(page).filter({ hasText: want.proposal.title }).waitFor();
  await page.locator('table.plan-tasks caption').filter({ hasText: `${s.tasks - 1} nhiệm vụ` }).waitFor();
  // The corrected task: led by the culture unit, the phrase kept.
  const fixed = plan.tasks.find((t) => /^Các cơ quan báo chí/.test(t.text));
  assert.ok(fixed.lead[0].unit_id);
  assert.equal(fixed.lead[0].phrase, 'Các cơ quan báo chí');
  assert.equal(await page.locator(`tr.task[data-task="${fixed.id}"] td.lead-units`).textContent(), fixed.lead[0].unit_name);
  assert.equal(await page.locator('tr.task .badge[data-status="not_started"]').count(), plan.tasks.length);
  assert.ok(!plan.tasks.some((t) => /^Tổ chức kiểm tra, đôn đốc, theo dõi, hướng dẫn việc triển khai/.test(t.text)));
  await page.screenshot({ path: `${shots}plan-detail.png` });

  // The print view: the national header and the tasks table.
  await page.getByRole('link', { name: 'In kế hoạch' }).click();
  await page.waitForURL(/#\/plans\/\d+\/print$/);
  await page.locator('.print-nation .nation').filter({ hasText: 'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM' }).waitFor();
  assert.equal(await page.locator('.print-nation .motto').textContent(), 'Độc lập - Tự do - Hạnh phúc');
  assert.deepEqual(await page.locator('table.plan-print-table thead th').allTextContents(),
    ['STT', 'Nội dung nhiệm vụ', 'Chủ trì', 'Phối hợp', 'Thời gian']);
  assert.equal(await page.locator('table.plan-print-table tbody tr[data-task]').count(), plan.tasks.length);
  await page.emulateMedia({ media: 'print' });
  assert.equal(await page.locator('#nav').isVisible(), false);
  await page.screenshot({ path: `${shots}plan-print.png` });
  await page.emulateMedia({ media: 'screen' });
  await page.done();
});

test('a commune builds its plan from two tasks, records one done; the province sees the coverage', async () => {
  assert.ok(plan, 'the province plan of the first test');
  const [t1, t2] = plan.tasks.filter((t) => t.lead.some((u) => u.all_units)).slice(0, 2);
  const cp = await ui.pageFor(bd);
  await cp.goto(`${server.url}/#/plans`);
  await cp.locator(`table.plans-list tr[data-id="${plan.id}"]`).getByRole('link').click();
  await h1(cp).filter({ hasText: plan.title }).waitFor();
  await cp.getByRole('button', { name: 'Xây dựng kế hoạch cấp dưới' }).click();
  await cp.getByRole('button', { name: 'Tạo kế hoạch cấp dưới' }).click();
  await cp.getByText('Vui lòng chọn ít nhất một nhiệm vụ.').waitFor();
  await cp.locator(`#cas-${t1.id}`).check();
  await cp.locator(`#cas-${t2.id}`).check();
  await cp.locator('.cascade-form').getByLabel('Số kế hoạch').fill('07/KH-UBND');
  await cp.getByRole('button', { name: 'Tạo kế hoạch cấp dưới' }).click();
  await cp.waitForURL((u) => /#\/plans\/\d+$/.test(u.hash) && !u.hash.endsWith(`/${plan.id}`));
  const lowerId = Number(/#\/plans\/(\d+)$/.exec(cp.url())[1]);
  await cp.locator('.parent-link').filter({ hasText: plan.title }).waitFor();
  assert.equal(await cp.locator('table.plan-tasks tr.task').count(), 2);
  const lower = (await bdApi.get(`/api/plans/${lowerId}`)).body;
  assert.deepEqual(lower.tasks.map((t) => t.source_task_id), [t1.id, t2.id]);

  // Progress on the first task: done in 2026-H1, with evidence.
  const task = lower.tasks[0];
  const row = cp.locator(`tr.task-detail[data-task="${task.id}"]`);
  await row.getByRole('button', { name: 'Cập nhật tiến độ' }).click();
  const form = cp.locator(`form.progress-form[data-task="${task.id}"]`);
  await form.getByLabel('Kỳ báo cáo').selectOption('2026-H1');
  await form.getByLabel('Tình trạng').selectOption('cannot_do');
  await form.getByRole('button', { name: 'Lưu tiến độ' }).click();
  await form.getByText('Vui lòng nêu lý do không thực hiện được.').waitFor();
  await form.getByLabel('Tình trạng').selectOption('done');
  await form.getByLabel('Minh chứng, kết quả').fill('Đã tổ chức 3 buổi tuyên truyền tại các tổ dân phố');
  assert.deepEqual(await unlabelled(cp), []);
  await form.getByRole('button', { name: 'Lưu tiến độ' }).click();
  await cp.getByText('Đã lưu tiến độ.').waitFor();
  const entry = cp.locator(`tr.task-detail[data-task="${task.id}"] table.progress-history tbody tr`);
  await entry.filter({ hasText: 'Đã tổ chức 3 buổi tuyên truyền' }).waitFor();
  assert.equal(await entry.getAttribute('data-period'), '2026-H1');
  assert.equal(await cp.locator(`tr.task[data-task="${task.id}"] td.status .plan-status`).textContent(), 'Hoàn thành');
  await cp.screenshot({ path: `${shots}plan-commune.png`, fullPage: true });

  // The roll-up of the commune plan counts it.
  await cp.getByRole('button', { name: 'Tổng hợp tiến độ' }).click();
  await cp.getByLabel('Kỳ', { exact: true }).selectOption('2026-H1');
  await cp.locator('table.rollup-unit tbody tr td[data-count="done"]').filter({ hasText: /^1$/ }).waitFor();

  // --- the province sees the commune's plan below the two tasks ---
  const pp = await ui.pageFor(hn);
  await pp.goto(`${server.url}/#/plans/${plan.id}`);
  await h1(pp).filter({ hasText: plan.title }).waitFor();
  for (const t of [t1, t2]) {
    const cov = pp.locator(`tr.task-detail[data-task="${t.id}"] .coverage`);
    await cov.filter({ hasText: '1 kế hoạch cấp dưới: Phường Ba Đình' }).waitFor();
  }
  const other = plan.tasks.find((t) => t.id !== t1.id && t.id !== t2.id);
  assert.equal(await pp.locator(`tr.task-detail[data-task="${other.id}"] .coverage`).textContent(),
    '0 kế hoạch cấp dưới');
  await cp.done();
  await pp.done();
});

test('an empty file and a binary file are refused in Vietnamese', async () => {
  const page = await ui.pageFor(hn);
  await page.goto(`${server.url}/#/plans/import`);
  const input = page.getByLabel('Tệp văn bản kế hoạch (.txt, .md)');
  await input.setInputFiles({ name: 'rong.txt', mimeType: 'text/plain', buffer: Buffer.alloc(0) });
  await page.getByText('Tệp rỗng: không có nội dung để đọc.').waitFor();
  await input.setInputFiles({ name: 'ke-hoach.txt', mimeType: 'text/plain',
    buffer: Buffer.concat([Buffer.from('KẾ HOẠCH\n1. Việc\n'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0x0d])]) });
  await page.getByText(/^Tệp không phải văn bản dạng chữ \(có byte rỗng ở vị trí \d+\)/).waitFor();
  assert.equal(await page.locator('table.plan-import-table').count(), 0);
  await page.screenshot({ path: `${shots}plan-import-binary.png` });
  await page.done();
});

test('the import offers the units of the plan\'s place and below it, no others', async () => {
  const all = (await hnApi.get('/api/units')).body.items;
  assert.ok(all.some((u) => u.id === hcm.id), 'the referral list holds every unit');
  const want = all.filter((u) => u.admin_code === '01' || u.province_code === '01').map((u) => `u:${u.id}`).sort();
  assert.ok(want.length >= 2, JSON.stringify(all));
  const page = await ui.pageFor(hn);
  await page.goto(`${server.url}/#/plans/import`);
  await page.getByLabel('Tệp văn bản kế hoạch (.txt, .md)').setInputFiles(LAO_CAI);
  await page.locator('table.plan-import-table tr.task').first().waitFor();
  const offered = (sel) => sel.evaluate((el) => [...el.querySelectorAll('option')].map((o) => o.value)
    .filter((v) => v.startsWith('u:')).sort());
  // The select that adds a lead unit to a task, and the one of a chip.
  assert.deepEqual(await offered(taskRow(page, 'IV/1/1.1').locator('.chips[data-role="lead"] select.add')), want);
  assert.deepEqual(await offered(taskRow(page, 'IV/1/1.1').locator('.chips[data-role="lead"] .chip select').first()),
    want);
  assert.ok(!want.includes(`u:${hcm.id}`));
  await page.done();
});
