// demo.test.js: `ctip init --demo-records`: what the README's trial user
// (a case worker of Phường Ba Đình, 00004) and a hotline operator of the
// same unit find through the API in a fresh demo database: intakes with
// their legal clock, persons registered from them, referrals sent to the
// health department, criminal cases and the KPIs; and that the account
// "demo" that made them cannot sign in, even with a password.
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { DATA, run, runOk, sqlite, startServer, stopOk, tempDir } from './lib.js';
import { Client, addUser, ok, signIn } from './users.js';

const MARK = '[DỮ LIỆU MẪU] ';
let db;
let key;
let initOut;
let server;
const as = {};

before(async () => {
	const dir = tempDir('ctip-e2e-demo');
	db = path.join(dir, 'ctip.db');
	key = path.join(dir, 'ctip.key');
	initOut = await runOk(['init', '--db', db, '--key', key, '--data', DATA, '--demo', '50', '--demo-records']);
	server = await startServer({ db, key });
	const lan = await addUser(db, key, 'lan', { name: 'Nguyễn Thị Lan', adminCode: '00004', roles: ['case_worker'] });
	const op = await addUser(db, key, 'tongdai', { adminCode: '00004', roles: ['hotline_operator'] });
	const inv = await addUser(db, key, 'dieutra', { adminCode: '00004', roles: ['investigator'] });
	[as.lan, as.op, as.inv] = await Promise.all([lan, op, inv].map((a) => signIn(server.url, a)));
});

after(async () => {
	if (server)
		await stopOk(server);
});

test('init says what it made, and where', () => {
	assert.match(initOut, /demo data: 50 SYNTHETIC persons/);
	assert.match(initOut, /demo casework: 12 intakes, 5 persons, 2 referrals, 2 cases, 2 activities in Phường Ba Đình \(00004\), Hà Nội \(SYNTHETIC/);
});

test('without demo persons --demo-records is refused', async () => {
	const dir = tempDir('ctip-e2e-demo0');
	const r = await run(['init', '--db', path.join(dir, 'x.db'), '--key', path.join(dir, 'x.key'), '--data', DATA,
		'--demo', '0', '--demo-records']);
	assert.equal(r.code, 2, r.stderr);
	assert.match(r.stderr, /--demo-records needs the demo persons/);
});

test('the intakes of Ba Đình, one overdue, all marked as made up', async () => {
	const all = ok(await as.op.get('/api/intakes?limit=200')).items;
	assert.equal(all.length, 12);
	for (const i of all) {
		assert.ok(i.summary.startsWith(MARK), i.summary);
		assert.equal(i.commune, '00004');
	}
	// The legal clock of tips (Criminal Procedure Code Art. 147).
	assert.equal(all.filter((i) => i.legal?.overdue).length, 1);
	assert.ok(all.some((i) => i.legal?.due_soon));
	assert.ok(all.filter((i) => i.legal && i.status !== 'resolved' && !i.legal.overdue).length >= 3);
	assert.deepEqual(all.filter((i) => i.legal?.decision).map((i) => i.legal.decision).sort(),
		['initiate', 'not_initiate']);
	assert.equal(all.filter((i) => i.status === 'resolved').length, 5);
	assert.equal(ok(await as.op.get('/api/intakes?due=overdue')).items.length, 1);
	// The case worker of the README sees the same list.
	assert.equal(ok(await as.lan.get('/api/intakes?limit=200')).items.length, 12);
});

test('persons registered from intakes, with their casework', async () => {
	const found = ok(await as.lan.get('/api/persons?commune=00004&limit=200')).items;
	// Told apart from the imported synthetic persons by the mark; flagged
	// synthetic as they are.
	const mine = found.filter((p) => p.identity?.address?.startsWith(MARK));
	assert.equal(mine.length, 5, JSON.stringify(found));
	assert.ok(mine.every((p) => p.demo === true));
	const adult = mine.find((p) => p.role === 'victim' && p.status === 'support' &&
		mine.some((m) => m.accompanies_id === p.id));
	assert.ok(adult, JSON.stringify(mine));
	const p = ok(await as.lan.get(`/api/persons/${adult.id}`));
	assert.equal(p.intake_ids.length, 1);
	assert.ok(p.identity.address.startsWith(MARK));
	assert.ok(p.services.length >= 1, JSON.stringify(p.services));
	assert.ok(p.follow_ups.some((f) => !f.done_on), JSON.stringify(p.follow_ups));
	const intake = ok(await as.lan.get(`/api/intakes/${p.intake_ids[0]}`));
	assert.ok(intake.summary.startsWith(MARK));
});

test('referrals to the health department in the outbox', async () => {
	const out = ok(await as.lan.get('/api/referrals?box=out')).items;
	assert.equal(out.length, 2);
	assert.deepEqual(out.map((r) => r.status).sort(), ['accepted', 'sent']);
	// Their notes, as each is opened, are marked as made up.
	for (const r of out)
		assert.ok(ok(await as.lan.get(`/api/referrals/${r.id}`)).note.startsWith(MARK), r.id);
});

test('criminal cases and the KPIs', async () => {
	const cases = ok(await as.inv.get('/api/cases')).items;
	assert.equal(cases.length, 2);
	assert.deepEqual(cases.map((c) => c.stage).sort(), ['initiated', 'solved']);
	const y = new Date().getUTCFullYear();
	const from = `${y - 1}-01-01`;
	const to = `${y}-12-31`;
	const k = ok(await as.inv.get(`/api/kpi/cases?from=${from}&to=${to}`));
	assert.equal(k.counts.initiated, 2);
	assert.equal(k.counts.solved, 1);
	const ik = ok(await as.op.get(`/api/kpi/intakes?from=${from}&to=${to}`));
	assert.equal(ik.received, 12);
	assert.equal(ik.resolved, 5);
	assert.equal(ik.tips_resolved_in_time, 2);
	assert.equal(ik.referred, 1);
	assert.equal(ok(await as.lan.get('/api/activities')).items.length, 2);
});

test('the demo account is disabled and cannot sign in', async () => {
	const list = await runOk(['user', 'list', '--db', db]);
	assert.match(list, /^demo\s+disabled\s/m);
	const c = new Client(server.url);
	assert.equal((await c.login('demo', 'whatever password 1')).status, 401);
	// Not even with a password an administrator sets.
	const out = await runOk(['user', 'reset-password', 'demo', '--db', db, '--key', key]);
	const pw = /one-time password of demo: (\S+)/.exec(out)[1];
	assert.equal((await c.login('demo', pw)).status, 401);
	// Everything it made is in the audit log under its name.
	assert.ok(Number(sqlite(db, "select count(*) from audit_log where username = 'demo'")) > 50);
	await runOk(['audit', 'verify', '--db', db, '--key', key]);
});
