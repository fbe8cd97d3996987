// referral.test.js: the intake detail page and the referral inbox in
// Debian's chromium, driven by playwright-core against the real server. A
// commune hotline operator (police, also an investigator) opens an intake
// recorded through the API, classifies it and refers it to the Hanoi health
// department with the page's forms; a health department case worker, in a
// second browser context, sees "Chuyển tuyến (1)", accepts and completes
// the referral; the operator sees it completed under Sent. A 409 that is
// a rule of the intake's state (the procuracy's extension before the
// complex-case one) is said at its field, not as a stale version. A person
// referred is a link in the inbox. Saves
// tests/browser/screenshots/intake-detail.png and referral-inbox.png.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { initDb, startServer, stopOk } from '../e2e/lib.js';
import { addUser, signIn as apiSignIn } from '../e2e/users.js';
import { openBrowser, shots, h1, describedBy } from './lib.js';

let server;
let ui;
let operator;
let health;
let intakeId;

before(async () => {
  const { db, key } = await initDb({ demo: 0 });
  operator = await addUser(db, key, 'congan.xa', { name: 'Lê Văn Trực', adminCode: '00004',
    roles: ['hotline_operator', 'investigator'] });
  health = await addUser(db, key, 'yte.hanoi', { name: 'Trần Thị Y Tế', adminCode: '01', agency: 'HEALTH',
    roles: ['case_worker'] });
  server = await startServer({ db, key });
  // The one-time passwords changed over HTTP; the intake recorded through the API.
  const op = await apiSignIn(server.url, operator);
  await apiSignIn(server.url, health);
  const r = await op.post('/api/intakes', {
    received_at: new Date(Date.now() - 3600e3).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    channel: 'HOTLINE_111', language: 'vi', province: '01', commune: '00004',
    summary: 'Người gọi báo một cô gái 16 tuổi bị đưa sang biên giới, cần hỗ trợ y tế.',
    reporter: { anonymous: false, name: 'Nguyễn Văn Báo', phone: '0912345678' },
    mentioned_phones: ['0987654321'], mentioned_names: ['Chị Hoa'],
    classification: null, purpose: null, urgency: 'normal',
  }, { headers: { 'Idempotency-Key': 'referral-test-0001' } });
  assert.equal(r.status, 201, r.text);
  intakeId = r.body.id;
  ui = await openBrowser(server);
});

after(async () => {
  await ui?.close();
  if (server) await stopOk(server);
});

test('the operator opens the intake, classifies it and refers it to the health department', async () => {
  const page = await ui.pageFor(operator);
  const nav = page.getByRole('navigation');
  await nav.getByRole('link', { name: 'Chuyển tuyến' }).waitFor();
  // From the list to the detail page.
  await nav.getByRole('link', { name: 'Danh sách tin báo' }).click();
  await page.locator('table.intakes').getByRole('link', { name: String(intakeId), exact: true }).click();
  await page.waitForURL(new RegExp(`#/intakes/${intakeId}$`));
  await h1(page).filter({ hasText: `Tin báo số ${intakeId}` }).waitFor();
  const facts = page.locator('.facts');
  await facts.getByText('Nguyễn Văn Báo').waitFor();
  // The place by name (the codes kept), not as bare codes.
  const place = facts.locator('.place').filter({ hasText: 'Phường Ba Đình (00004)' });
  await place.waitFor();
  assert.match(await place.textContent(), /^01 – .*Hà Nội \/ Phường Ba Đình \(00004\)$/);
  assert.match(await facts.textContent(), /Người gọi báo một cô gái 16 tuổi/);
  assert.match(await facts.textContent(), /0987654321/);
  assert.match(await facts.textContent(), /Chị Hoa/);
  // Not a tip yet, nor classified: no legal clock, no decide form, and
  // no resolve form until it is classified (intake.test.js).
  assert.match(await facts.textContent(), /Không áp dụng/);
  assert.equal(await page.locator('form.action-decide').count(), 0);
  assert.equal(await page.locator('form.action-resolve').count(), 0);
  await page.locator('[data-hint="classify-first"]').waitFor();

  // Classify: a trafficking tip for sexual exploitation, high urgency.
  const classify = page.locator('form.action-classify');
  await classify.getByLabel('Phân loại').selectOption('trafficking_tip');
  await classify.getByLabel('Mục đích').selectOption('SEX');
  await classify.getByLabel('Mức độ khẩn cấp').selectOption('high');
  await classify.getByRole('button', { name: 'Lưu phân loại' }).click();
  await page.getByRole('status').filter({ hasText: `Đã lưu phân loại tin báo số ${intakeId}.` }).waitFor();
  // Now a tip: the legal clock (20 days), extend and decide for the investigator.
  await facts.getByText('Tin báo về tội phạm mua bán người').waitFor();
  assert.equal(await page.locator('.facts .deadline time').count(), 1);
  await page.locator('form.action-decide').waitFor();
  await page.locator('form.action-extend').waitFor();
  assert.equal(await page.locator('form.action-resolve').count(), 0);
  // A suspension states its ground: asked for at the note, nothing sent.
  const decide = page.locator('form.action-decide');
  const decided = [];
  page.on('request', (r) => {
    if (r.method() === 'POST' && r.url().endsWith(`/api/intakes/${intakeId}/decide`)) decided.push(r.url());
  });
  await decide.getByLabel('Quyết định').selectOption('suspend');
  await decide.getByRole('button', { name: 'Lưu quyết định' }).click();
  await decide.getByText('Vui lòng ghi căn cứ của quyết định không khởi tố hoặc tạm đình chỉ.').waitFor();
  assert.equal(await page.evaluate(() => document.activeElement.name), 'note');
  assert.deepEqual(decided, []);
  await decide.getByLabel('Quyết định').selectOption('initiate');

  // A stale version: someone else classified it meanwhile.
  await page.evaluate(async (id) => {
    const s = await (await fetch('/api/session')).json();
    const i = await (await fetch(`/api/intakes/${id}`)).json();
    const r = await fetch(`/api/intakes/${id}/classify`, { method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': s.csrf_token },
      body: JSON.stringify({ classification: 'trafficking_tip', purpose: 'SEX', urgency: 'critical', version: i.version }) });
    if (!r.ok) throw new Error(`classify: ${r.status}`);
  }, intakeId);
  await classify.getByRole('button', { name: 'Lưu phân loại' }).click();
  await classify.getByRole('alert').filter({ hasText: 'Tin báo đã được người khác cập nhật, vui lòng tải lại' }).waitFor();
  await page.reload();
  await h1(page).filter({ hasText: `Tin báo số ${intakeId}` }).waitFor();
  await page.locator('.facts').getByText('Khẩn cấp', { exact: true }).waitFor();

  // A rule, not a stale version: the procuracy extends only after the
  // complex-case extension (409 conflict naming "kind"), said at the field.
  const extend = page.locator('form.action-extend');
  const kind = extend.getByLabel('Căn cứ gia hạn');
  await kind.selectOption('procuracy');
  await extend.getByRole('button', { name: 'Gia hạn' }).click();
  const rule = 'Viện kiểm sát chỉ gia hạn một lần, sau khi đã gia hạn do vụ việc phức tạp.';
  await extend.locator('.field-error').filter({ hasText: rule }).waitFor();
  assert.deepEqual(await describedBy(kind), [rule]);
  assert.doesNotMatch(await extend.textContent(), /người khác cập nhật/);
  assert.equal(await extend.locator('.alert').isVisible(), false);

  // The same reading of a 409 for every page (errors.js): only a stale
  // version asks to reload; a rule is told by its name (the problem's
  // "rule"), its values read from the message; an unknown rule, or values
  // the message no longer gives, get the general text.
  const read = await page.evaluate(async () => {
    const m = await import('/views/errors.js');
    const e = (status, code, message, field, rule) => ({ status, code, message, field, rule });
    return {
      stale: m.isStale(e(409, 'conflict', 'intake 3 was changed by someone else: reload it', 'version')),
      personStale: m.isStale(e(409, 'conflict',
        'the person was changed by someone else (version 3, not 2); reload and try again', 'version')),
      noField: m.isStale(e(409, 'conflict', 'a rule the page does not know yet')),
      ended: m.stateError(e(409, 'conflict',
        'kind: the deadline ended at 2025-08-20T09:00:00Z; a deadline is extended before it ends', 'kind',
        'extend_ended')),
      rule: m.isStale(e(409, 'conflict', 'kind: already extended as complex', 'kind', 'extend_complex')),
      ruleText: m.stateError(e(409, 'conflict', 'reworded, whatever it says', 'kind', 'extend_complex')),
      answered: m.stateError(e(409, 'conflict', 'referral 3 is completed, not waiting for an answer', undefined,
        'referral_answered')),
      step: m.stateError(e(409, 'transition_refused', 'step: "identify" is not allowed while the person is closed',
        'step', 'person_step')),
      other: m.stateError(e(409, 'conflict', 'a rule the page does not know yet', undefined, 'new_rule')),
      noRule: m.stateError(e(409, 'conflict', 'kind: already extended as complex', 'kind')),
      noValues: m.stateError(e(409, 'conflict', 'referral 3 has another answer now', undefined,
        'referral_answered')),
      notState: m.stateError(e(400, 'invalid', 'kind: complex or procuracy', 'kind')),
    };
  });
  assert.equal(read.stale, true);
  assert.equal(read.personStale, true);
  assert.equal(read.noField, false);
  assert.equal(read.ended.key, 'error.state.extend_ended');
  assert.equal(read.ended.field, 'kind');
  assert.match(read.ended.args.at, /^20\/08\/2025 \d\d:00:00$/);
  assert.equal(read.rule, false);
  assert.deepEqual(read.ruleText, { key: 'error.state.extend_complex', args: {}, field: 'kind' });
  assert.deepEqual(read.answered, { key: 'error.state.referral_answered', args: { status: 'Đã hoàn thành' },
    field: null });
  assert.deepEqual(read.step, { key: 'error.state.person_step',
    args: { step: 'Xác định là nạn nhân', status: 'Đã đóng hồ sơ' }, field: 'step' });
  assert.deepEqual(read.other, { key: 'error.state.other', args: {}, field: null });
  assert.deepEqual(read.noRule, { key: 'error.state.other', args: {}, field: 'kind' });
  assert.deepEqual(read.noValues, { key: 'error.state.other', args: {}, field: null });
  assert.equal(read.notState, null);

  // Refer to the Hanoi health department, the unit shown by name.
  const refer = page.locator('form.action-refer');
  const options = await refer.getByLabel('Chuyển đến đơn vị').locator('option').allTextContents();
  assert.ok(options.includes('Sở Y tế Hà Nội'), options.join(', '));
  // No unit chosen: said at the field.
  await refer.getByRole('button', { name: 'Chuyển tuyến' }).click();
  await refer.getByText('Vui lòng chọn đơn vị nhận.').waitFor();
  await refer.getByLabel('Chuyển đến đơn vị').selectOption({ label: 'Sở Y tế Hà Nội' });
  await refer.getByLabel('Ghi chú chuyển tuyến').fill('Nạn nhân cần khám sức khỏe và hỗ trợ tâm lý.');
  await refer.getByRole('button', { name: 'Chuyển tuyến' }).click();
  await page.getByRole('status').filter({ hasText: `Đã chuyển tuyến tin báo số ${intakeId}.` }).waitFor();
  await page.screenshot({ path: `${shots}intake-detail.png`, fullPage: true });
  await page.done();
});

test('the health department accepts and completes the referral', async () => {
  const page = await ui.pageFor(health);
  const nav = page.getByRole('navigation');
  await nav.getByRole('link', { name: 'Chuyển tuyến (1)' }).click();
  await page.waitForURL(/#\/referrals$/);
  await h1(page).filter({ hasText: 'Chuyển tuyến' }).waitFor();
  const summary = page.locator('.referral-summary');
  await summary.filter({ hasText: '1 chờ phản hồi' }).waitFor();
  const row = page.locator('table.referrals tbody tr').first();
  await row.getByRole('link', { name: `Tin báo số ${intakeId}` }).waitFor();
  assert.match(await row.textContent(), /Công an phường Ba Đình/);
  assert.match(await row.textContent(), /Sở Y tế Hà Nội/);
  assert.match(await row.textContent(), /Chờ phản hồi/);
  assert.doesNotMatch(await row.textContent(), /QUÁ HẠN PHẢN HỒI/);
  await page.screenshot({ path: `${shots}referral-inbox.png`, fullPage: true });

  // Refusing needs a reason (not sent without one).
  await row.getByRole('button', { name: 'Từ chối chuyển tuyến số' }).click();
  await row.getByRole('button', { name: 'Xác nhận từ chối' }).click();
  await row.getByText('Vui lòng nêu lý do từ chối.').waitFor();

  await row.getByRole('button', { name: 'Tiếp nhận chuyển tuyến số' }).click();
  await page.getByRole('status').filter({ hasText: 'Đã tiếp nhận chuyển tuyến số' }).waitFor();
  await row.getByText('Đã tiếp nhận').waitFor();
  await nav.getByRole('link', { name: 'Chuyển tuyến', exact: true }).waitFor();
  // The referred intake is readable by the receiving unit.
  await row.getByRole('button', { name: 'Hoàn thành chuyển tuyến số' }).click();
  await page.getByRole('status').filter({ hasText: 'Đã hoàn thành chuyển tuyến số' }).waitFor();
  await row.getByText('Đã hoàn thành').waitFor();
  await summary.filter({ hasText: '1 đã hoàn thành' }).waitFor();
  await page.done();
});

test('the operator sees the referral completed under Sent', async () => {
  const page = await ui.pageFor(operator);
  await page.getByRole('navigation').getByRole('link', { name: 'Chuyển tuyến', exact: true }).click();
  await h1(page).filter({ hasText: 'Chuyển tuyến' }).waitFor();
  await page.locator('table.referrals tbody td').filter({ hasText: 'Không có chuyển tuyến nào đến đơn vị.' }).waitFor();
  await page.getByRole('button', { name: 'Đã gửi' }).click();
  await page.waitForURL(/#\/referrals\?box=out$/);
  const row = page.locator('table.referrals tbody tr').first();
  await row.getByText('Đã hoàn thành').waitFor();
  assert.match(await row.textContent(), /Sở Y tế Hà Nội/);
  await row.getByRole('link', { name: `Tin báo số ${intakeId}` }).click();
  await h1(page).filter({ hasText: `Tin báo số ${intakeId}` }).waitFor();
  await page.done();
});

test('at 1280x800 the intake list fits the page, its decision and extension in words', async () => {
  // The intake decided after the complex-case extension: the longest deadline cell.
  const op = await apiSignIn(server.url, operator);
  const i = await op.get(`/api/intakes/${intakeId}`);
  assert.equal(i.status, 200, i.text);
  const x = await op.post(`/api/intakes/${intakeId}/extend`, { kind: 'complex', version: i.body.version });
  assert.equal(x.status, 200, x.text);
  const d = await op.post(`/api/intakes/${intakeId}/decide`, { decision: 'initiate', note: null,
    version: x.body.version });
  assert.equal(d.status, 200, d.text);

  const page = await ui.pageFor(operator);
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.getByRole('navigation').getByRole('link', { name: 'Danh sách tin báo' }).click();
  // Ordered by when the intake was recorded, and the caption says so.
  const table = page.getByRole('table',
    { name: 'Tin báo của đơn vị, tin báo được ghi nhận vào hệ thống gần nhất ở trên' });
  const cell = table.locator('td.deadline').filter({ hasText: 'Đã ra quyết định' });
  await cell.waitFor();
  assert.match(await cell.textContent(), /\(đã gia hạn: vụ việc phức tạp\)/);
  // No horizontal scrolling to read it.
  const fit = await table.evaluate((t) => ({ table: t.getBoundingClientRect().width,
    wrap: t.parentElement.clientWidth, scroll: t.parentElement.scrollWidth }));
  assert.ok(fit.scroll <= fit.wrap, `the table fits its column: ${JSON.stringify(fit)}`);
  await page.screenshot({ path: `${shots}intake-list-1280.png`, fullPage: true });
  await page.done();
});

test('a person referred to the health department is a link in its inbox', async () => {
  const op = await apiSignIn(server.url, operator);
  const p = await op.post('/api/persons', { role: 'under_identification', sex: 'F', birth_year: 2009,
    citizenship: 'vn_citizen', province: '01', commune: '00004', full_name: 'Lò Thị Xuân' });
  assert.equal(p.status, 201, p.text);
  const units = await op.get('/api/units');
  assert.equal(units.status, 200, units.text);
  const to = units.body.items.find((u) => u.name === 'Sở Y tế Hà Nội');
  assert.ok(to, 'the health department is a unit one can refer to');
  const r = await op.post('/api/referrals', { object_type: 'person', object_id: p.body.id, to_unit_id: to.id,
    note: 'Cần khám sức khỏe.' });
  assert.equal(r.status, 201, r.text);

  const page = await ui.pageFor(health);
  await page.getByRole('navigation').getByRole('link', { name: 'Chuyển tuyến (1)' }).click();
  await h1(page).filter({ hasText: 'Chuyển tuyến' }).waitFor();
  const row = page.locator(`table.referrals tbody tr[data-id="${r.body.id}"]`);
  const link = row.getByRole('link', { name: `Người số ${p.body.id}` });
  await link.waitFor();
  assert.equal(await link.getAttribute('href'), `#/persons/${p.body.id}`);
  // The receiving unit opens the record while the referral stands.
  await link.click();
  await page.waitForURL(new RegExp(`#/persons/${p.body.id}$`));
  await h1(page).filter({ hasText: 'Lò Thị Xuân' }).waitFor();
  await page.done();
});
