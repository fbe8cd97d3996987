// stats.test.js: the statistics page in Debian's chromium, driven by
// playwright-core against the real server filled with demo data. A
// national statistician opens the page from the home page, picks an
// indicator, a period (a quick choice, then a wider start) and a
// disaggregation, and sees the total the API gives for the same query, with
// a bar per category; the KPI cards show the rates of the KPI endpoints;
// the provinces are ranked. A commune case worker asking for another
// province is told, in Vietnamese, that it is outside the scope. Saves
// tests/browser/screenshots/stats.png, stats-rank.png and stats-refused.png.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { initDb, startServer, stopOk } from '../e2e/lib.js';
import { addUser, signIn as apiSignIn } from '../e2e/users.js';
import { openBrowser, shots, h1, unlabelled, describedBy, VIETNAM } from './lib.js';

let server;
let ui;
let stat;
let cw;
let statApi;

before(async () => {
  const { db, key } = await initDb({ demo: 300 });
  stat = await addUser(db, key, 'tk.quocgia', { name: 'Nguyễn Thị Thống Kê', adminCode: 'VN', roles: ['statistician'] });
  cw = await addUser(db, key, 'cb.badinh', { name: 'Trần Văn Xã', adminCode: '00004', roles: ['case_worker'] });
  server = await startServer({ db, key });
  statApi = await apiSignIn(server.url, stat);
  // Three intakes of the commune, so that the intake lights have
  // something to show (the demo data has none): two crime tips (a call
  // classified as one, a denunciation not yet classified) and a call for
  // information, which the programme's rates leave out.
  const cwApi = await apiSignIn(server.url, cw);
  const at = new Date(Date.now() - 3600e3).toISOString().replace(/\.\d+Z$/, 'Z');
  for (const [i, classification, channel] of [['1', 'trafficking_tip', 'HOTLINE_111'],
    ['2', 'information', 'HOTLINE_111'], ['3', null, 'DENUNCIATION']]) {
    const r = await cwApi.post('/api/intakes', { received_at: at, channel, language: 'vi',
      province: '01', commune: '00004', summary: `Tin báo thử số ${i}`, reporter: { anonymous: true },
      classification, purpose: null, urgency: 'normal' }, { headers: { 'Idempotency-Key': `stats-intake-${i}` } });
    assert.equal(r.status, 201, r.text);
  }
  ui = await openBrowser(server, { context: { viewport: { width: 1366, height: 1000 }, ...VIETNAM } });
});

after(async () => {
  await ui?.close();
  if (server) await stopOk(server);
});

// As kpi.js shows a rate in Vietnamese: 0.905 -> "90,5 %", null -> "—".
const percent = (x) => (x === null ? '—' : `${(x * 100).toFixed(1).replace('.', ',')} %`);

async function apiGet(path) {
  const r = await statApi.get(path);
  assert.equal(r.status, 200, r.text);
  return r.body;
}

test('a statistician sees an indicator by sex with the API total, and the KPI lights', async () => {
  const page = await ui.pageFor(stat);
  await page.locator('.role-card').getByRole('link', { name: 'Thống kê, chỉ tiêu' }).click();
  await page.waitForURL(/#\/stats$/);
  await h1(page).filter({ hasText: /^Thống kê$/ }).waitFor();
  await page.locator('nav a[aria-current="page"]').filter({ hasText: /^Thống kê$/ }).waitFor();

  // Indicators grouped by what they count, named in Vietnamese.
  const ind = page.getByLabel('Chỉ tiêu', { exact: true });
  await ind.locator('optgroup[data-counts="persons"] option[value="V_RECEIVED"]').waitFor({ state: 'attached' });
  assert.equal(await ind.locator('optgroup[data-counts="persons"]').getAttribute('label'),
    'Nạn nhân, người đang trong quá trình xác định là nạn nhân');
  // Nothing chosen: said at the field, nothing sent.
  await page.getByRole('button', { name: 'Xem số liệu' }).click();
  await page.getByText('Vui lòng chọn chỉ tiêu.').waitFor();
  await ind.selectOption('V_RECEIVED');
  const by = page.getByLabel('Phân tổ theo');
  assert.ok((await by.locator('option').allTextContents()).includes('Giới tính'));

  // Quick periods fill the dates; the peak period is 1/7–30/9 of this year.
  const year = new Date(Date.now() + 7 * 3600e3).getUTCFullYear();
  await page.getByRole('button', { name: 'Cao điểm 1/7–30/9' }).click();
  assert.equal(await page.getByLabel('Từ ngày').inputValue(), `${year}-07-01`);
  assert.equal(await page.getByLabel('Đến ngày').inputValue(), `${year}-09-30`);
  await page.getByRole('button', { name: 'Cả năm' }).click();
  assert.equal(await page.getByLabel('Từ ngày').inputValue(), `${year}-01-01`);
  assert.equal(await page.getByLabel('Đến ngày').inputValue(), `${year}-12-31`);
  // A wider start, so that the demo persons of earlier years count too.
  const from = `${year - 5}-01-01`;
  const to = `${year}-12-31`;
  await page.getByLabel('Từ ngày').fill(from);
  await by.selectOption('sex');
  await page.getByRole('button', { name: 'Xem số liệu' }).click();

  const want = await apiGet(`/api/stats/values?indicator=V_RECEIVED&from=${from}&to=${to}&by=sex`);
  assert.ok(want.total > 0, 'the demo data has persons received in the period');
  const total = page.locator('.stats-total .total');
  await total.waitFor();
  assert.equal(await total.getAttribute('data-total'), String(want.total));
  assert.equal((await total.textContent()).replace(/\D/g, ''), String(want.total));
  const rows = page.locator('table.stats-values tbody tr');
  assert.equal(await rows.count(), want.values.length);
  const names = { F: 'Nữ', M: 'Nam', U: 'Chưa rõ', unknown: 'Chưa rõ' };
  for (const v of want.values) {
    const row = page.locator(`table.stats-values tr[data-category="${v.category}"]`);
    assert.equal(await row.locator('th').textContent(), names[v.category]);
    assert.equal((await row.locator('td.num').textContent()).replace(/\D/g, ''), String(v.value));
    assert.ok(await row.locator('.bar').isVisible() || v.value === 0);
  }

  // The KPI cards: the rates of the KPI endpoints for the same period.
  const ik = await apiGet(`/api/kpi/intakes?from=${from}&to=${to}`);
  const ck = await apiGet(`/api/kpi/cases?from=${from}&to=${to}`);
  const cards = page.locator('.kpi-cards');
  await cards.locator('[data-kpi="tried"]').waitFor();
  const expect = {
    classified: [ik.kpi_classified.rate, ik.tips_classified, ik.tips],
    resolved: [ik.kpi_resolved.rate, ik.tips_resolved, ik.tips],
    solved: [ck.solved.rate, ck.solved.count, ck.solved.of],
    indicted: [ck.indicted.rate, ck.indicted.count, ck.indicted.of],
    tried: [ck.tried.rate, ck.tried.count, ck.tried.of],
  };
  for (const [name, [rate, count, of]] of Object.entries(expect)) {
    const c = cards.locator(`[data-kpi="${name}"]`);
    assert.equal(await c.locator('.kpi-rate').textContent(), percent(rate), name);
    assert.equal((await c.locator('.kpi-count').textContent()).replace(/\s/g, ''),
      `${count.toLocaleString('vi-VN')}/${of.toLocaleString('vi-VN')}`.replace(/\s/g, ''), name);
    // The light is written in words too.
    assert.match(await c.locator('.badge').textContent(), /^(Đạt|Gần đạt|Chưa đạt|Chưa có số liệu)$/, name);
  }
  assert.deepEqual([ik.received, ik.tips, ik.tips_classified], [3, 2, 1]);
  assert.equal(await cards.locator('[data-kpi="classified"] .kpi-rate').textContent(), '50,0 %');
  assert.equal(await cards.locator('[data-kpi="classified"] .badge').textContent(), 'Chưa đạt');
  for (const n of ['solved', 'indicted', 'tried']) {
    const words = { green: 'Đạt', amber: 'Gần đạt', red: 'Chưa đạt', none: 'Chưa có số liệu' }[ck[n].status];
    assert.equal(await cards.locator(`[data-kpi="${n}"] .badge`).textContent(), words, n);
  }
  assert.match(await cards.locator('[data-kpi="classified"] .kpi-target').textContent(), /từ 100 %/);
  assert.match(await cards.locator('[data-kpi="resolved"] .kpi-target').textContent(), /trên 90 %/);
  assert.deepEqual(await unlabelled(page), []);
  await page.screenshot({ path: `${shots}stats.png`, fullPage: true });

  // A disaggregation by province: names from the reference list.
  await by.selectOption('age_band');
  await page.getByRole('button', { name: 'Xem số liệu' }).click();
  const ages = await apiGet(`/api/stats/values?indicator=V_RECEIVED&from=${from}&to=${to}&by=age_band`);
  await page.locator('table.stats-values caption').filter({ hasText: 'Nhóm tuổi' }).waitFor();
  assert.equal(await page.locator('.stats-total .total').getAttribute('data-total'), String(ages.total));
  assert.equal(await page.locator('tr[data-category="under_16"] th').textContent(), 'Dưới 16 tuổi');
  // The age bands youngest first (the API gives them in code order, which
  // puts "under 16" last), unknown ages after them.
  const band = (c) => ['under_16', '16_17', '18_30', 'over_30'].indexOf(c) >>> 0;
  const order = ages.values.map((v) => v.category).sort((a, b) => band(a) - band(b));
  assert.ok(order.length > 1 && order[0] === 'under_16', `the demo data has several bands: ${order}`);
  assert.deepEqual(await page.locator('table.stats-values tbody tr').evaluateAll(
    (trs) => trs.map((tr) => tr.dataset.category)), order);
  // The period in dd/mm/yyyy, as everywhere in the UI.
  assert.equal((await page.locator('.stats-scope').textContent()).trim(),
    `Toàn quốc, từ 01/01/${year - 5} đến 31/12/${year}`);

  // The provinces ranked: 34 rows, highest first, the sum is the nation's.
  await page.getByRole('button', { name: 'Xếp hạng 34 tỉnh, thành phố' }).click();
  await page.getByText('Đã tính 34 tỉnh, thành phố.').waitFor({ timeout: 20000 });
  const ranked = page.locator('table.stats-rank-table tbody tr');
  assert.equal(await ranked.count(), 34);
  const values = (await ranked.locator('td.num:nth-of-type(2)').allTextContents()).map((s) => Number(s.replace(/\D/g, '')));
  assert.deepEqual(values, [...values].sort((a, b) => b - a));
  const top = await ranked.first().getAttribute('data-category');
  const one = await apiGet(`/api/stats/values?indicator=V_RECEIVED&from=${from}&to=${to}&province=${top}`);
  assert.equal(values[0], one.total);
  assert.match(await ranked.first().locator('th').textContent(), new RegExp(`^${top} – \\S`));
  assert.equal(await page.locator('table.stats-rank-table caption').textContent(),
    `Từ 01/01/${year - 5} đến 31/12/${year}`);
  await page.locator('.stats-rank').screenshot({ path: `${shots}stats-rank.png` });
  await page.done();
});

test('a commune case worker asking for another province is refused in Vietnamese', async () => {
  const page = await ui.pageFor(cw);
  await page.locator('nav').getByRole('link', { name: 'Thống kê' }).click();
  await h1(page).filter({ hasText: 'Thống kê' }).waitFor();
  // No ranking of provinces below the national level.
  assert.equal(await page.locator('.stats-rank').count(), 0);
  const ind = page.getByLabel('Chỉ tiêu', { exact: true });
  await ind.locator('option[value="INT_RECEIVED"]').waitFor({ state: 'attached' });
  await ind.selectOption('INT_RECEIVED');
  // Its own commune is chosen to start with, and answers.
  await page.getByLabel('Xã, phường, đặc khu', { exact: true }).locator('option[value="00004"]')
    .waitFor({ state: 'attached' });
  assert.equal(await page.getByLabel('Xã, phường, đặc khu', { exact: true }).inputValue(), '00004');
  await page.getByRole('button', { name: 'Xem số liệu' }).click();
  await page.locator('.stats-total .total').waitFor();
  const scope = page.locator('.stats-scope');
  await scope.filter({ hasText: /xã\/phường: \S/ }).waitFor();
  // In English the page is relabelled in place, the place name kept.
  await page.getByRole('button', { name: 'English' }).click();
  await h1(page).filter({ hasText: /^Statistics$/ }).waitFor();
  await scope.filter({ hasText: /, commune: \S/ }).waitFor();
  assert.equal(await page.locator('select[name="indicator"] option:checked').textContent(), 'Intakes received');
  // Rates with the English decimal point (1 of the 2 crime tips classified).
  assert.equal(await page.locator('[data-kpi="classified"] .kpi-rate').textContent(), '50.0 %');
  await page.getByRole('button', { name: 'Tiếng Việt' }).click();
  await h1(page).filter({ hasText: /^Thống kê$/ }).waitFor();
  assert.equal(await page.locator('[data-kpi="classified"] .kpi-rate').textContent(), '50,0 %');
  // A period the server refuses (the end before the start): said once, at
  // the end date, which has the focus; not again by the KPIs or the trend.
  const toDate = page.getByLabel('Đến ngày');
  const toWas = await toDate.inputValue();
  await toDate.fill('2000-01-01');
  await page.getByRole('button', { name: 'Xem số liệu' }).click();
  await page.locator('[aria-invalid="true"]').waitFor();
  assert.deepEqual(await describedBy(toDate), ['Ngày kết thúc không hợp lệ hoặc trước ngày bắt đầu.']);
  assert.equal(await page.evaluate(() => document.activeElement.name), 'to');
  await page.waitForTimeout(300);
  assert.deepEqual(await page.locator('main [role="alert"]:visible').allTextContents(),
    ['Ngày kết thúc không hợp lệ hoặc trước ngày bắt đầu.']);
  await toDate.fill(toWas);
  // Another province (04, Cao Bằng): 403, said in Vietnamese.
  await page.getByLabel('Tỉnh, thành phố', { exact: true }).selectOption('04');
  await page.getByRole('button', { name: 'Xem số liệu' }).click();
  const refusals = page.getByRole('alert').filter({ hasText: 'Địa bàn này nằm ngoài phạm vi của bạn' });
  // Said once, for the values (the KPIs of that place are not asked for).
  await refusals.first().waitFor();
  await page.waitForTimeout(300);
  assert.equal(await refusals.count(), 1);
  assert.equal(await page.locator('.stats-total').count(), 0);
  await page.screenshot({ path: `${shots}stats-refused.png`, fullPage: true });
  await page.done();
});
