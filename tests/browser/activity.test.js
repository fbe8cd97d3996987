// activity.test.js: the activities page of a province unit in Debian's
// chromium, driven by playwright-core against the real server. The list
// holds the province's activities, a commune's among them: the caption
// says so, and "Sửa" is only on the rows the province unit recorded (the
// server lets only the recording unit change one). The province edits its
// own. Saves tests/browser/screenshots/activities-province.png.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { initDb, startServer, stopOk } from '../e2e/lib.js';
import { addUser, ok, signIn as apiSignIn } from '../e2e/users.js';
import { openBrowser, shots, h1, unlabelled } from './lib.js';

let server;
let ui;
let hn;
let bd;
let hnApi;
let bdApi;

before(async () => {
  const { db, key } = await initDb({ demo: 0 });
  hn = await addUser(db, key, 'tk.hanoi', { name: 'Phạm Văn Tỉnh', adminCode: '01', roles: ['statistician'] });
  bd = await addUser(db, key, 'tk.badinh', { name: 'Lê Thị Xã', adminCode: '00004', roles: ['statistician'] });
  server = await startServer({ db, key });
  hnApi = await apiSignIn(server.url, hn);
  bdApi = await apiSignIn(server.url, bd);
  ui = await openBrowser(server);
});

after(async () => {
  await ui?.close();
  if (server) await stopOk(server);
});

test('a province sees its communes\' activities but edits only its own', async () => {
  const mine = ok(await hnApi.post('/api/activities', { kind: 'training', title: 'Tập huấn cấp tỉnh',
    started_on: '2026-03-02', ended_on: '2026-03-03', participants: 40 }), 201);
  const theirs = ok(await bdApi.post('/api/activities', { kind: 'communication', title: 'Tuyên truyền tại phường',
    started_on: '2026-03-05', ended_on: '2026-03-05', participants: 120 }), 201);
  assert.notEqual(mine.unit_id, theirs.unit_id);

  const page = await ui.pageFor(hn);
  await page.locator('nav').getByRole('link', { name: 'Hoạt động' }).click();
  await h1(page).filter({ hasText: 'Hoạt động phòng, chống mua bán người' }).waitFor();
  const own = page.locator(`table.activities tbody tr[data-id="${mine.id}"]`);
  const other = page.locator(`table.activities tbody tr[data-id="${theirs.id}"]`);
  await own.waitFor();
  await other.waitFor();
  // Both are listed, each with its unit; only the own one can be edited.
  assert.equal(await other.locator('td').nth(3).textContent(), theirs.unit_name);
  assert.equal(await own.getByRole('button', { name: 'Sửa' }).count(), 1);
  assert.equal(await other.getByRole('button', { name: 'Sửa' }).count(), 0);
  assert.equal(await page.locator('table.activities tbody button').count(), 1);
  // Its name says which activity it edits (each row's button is "Sửa").
  await own.getByRole('button', { name: 'Sửa hoạt động “Tập huấn cấp tỉnh”', exact: true }).waitFor();
  // The caption says whose activities these are: not "the unit's".
  assert.equal(await page.locator('table.activities caption').textContent(),
    'Hoạt động trên địa bàn tỉnh (gồm các đơn vị cấp xã)');
  await page.locator('.activity-list .hint')
    .filter({ hasText: 'Chỉ đơn vị đã ghi nhận hoạt động mới sửa được hoạt động đó.' }).waitFor();
  assert.deepEqual(await unlabelled(page), []);
  await page.screenshot({ path: `${shots}activities-province.png`, fullPage: true });

  // The own one is edited in place.
  await own.getByRole('button', { name: 'Sửa' }).click();
  await page.getByRole('heading', { name: /^Sửa hoạt động: Tập huấn cấp tỉnh/ }).waitFor();
  await page.getByLabel('Số lượt người tham dự').fill('45');
  await page.getByRole('button', { name: 'Lưu thay đổi' }).click();
  await page.getByText('Đã lưu thay đổi.').waitFor();
  await own.locator('td.num').filter({ hasText: /^45$/ }).waitFor();
  assert.equal(await other.getByRole('button', { name: 'Sửa' }).count(), 0);

  // In English, the same.
  await page.getByRole('button', { name: 'English' }).click();
  await page.locator('table.activities caption').filter({ hasText: 'Activities in your province (communes included)' })
    .waitFor();
  await own.getByRole('button', { name: 'Edit the activity “Tập huấn cấp tỉnh”', exact: true }).waitFor();
  // The Vietnamese data is marked so: the title and the unit.
  assert.equal(await other.locator('th .title').getAttribute('lang'), 'vi');
  assert.equal(await other.locator('td').nth(3).getAttribute('lang'), 'vi');
  await page.done();
});

test('a commune\'s caption names its commune, and it edits what it recorded', async () => {
  const page = await ui.pageFor(bd);
  await page.goto(`${server.url}/#/activities`);
  await page.locator('table.activities caption').filter({ hasText: 'Hoạt động trên địa bàn xã' }).waitFor();
  const rows = page.locator('table.activities tbody tr[data-id]');
  await rows.first().waitFor();
  // Ba Đình sees its own activity only (not the province's), with "Sửa".
  assert.equal(await rows.count(), 1);
  assert.equal(await rows.getByRole('button', { name: 'Sửa' }).count(), 1);
  await page.done();
});
