// intake.test.js: issue 4's intakes against the real binary on 127.0.0.1:
// a hotline call classified as a trafficking tip and carried through the
// legal clock of the Criminal Procedure Code Art. 147 (20 days, complex 2
// months, one procuracy extension of 2 more) to a decision; denunciations
// on the clock from the start; non-tips resolved; stale versions;
// idempotency keys (sequential and concurrent); bad input; scope (other
// communes, the province supervisor's pseudonymised view, repeat contacts);
// overdue and due-soon lists; identity at rest; the audit trail.
//
// One database and one server for the file; the users sign in once.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, test } from 'node:test';
import { IDENTIFIED, initDb, sqlite, startServer, stopOk } from './lib.js';
import { addUser, ok, problem, signIn } from './users.js';

// The hotline call of the scenario: a reporter who gives a name and a
// phone, and the phones and names the caller mentions.
const REPORTER = { anonymous: false, name: 'Trịnh Thị Khuyên', phone: '0934 567 812' };
const REPORTER_PHONE = '0934567812'; // as stored: digits only
const MENTIONED_PHONE = '0977 123 459';
const MENTIONED_PHONE_DIGITS = '0977123459';
const MENTIONED_NAME = 'Phùng Văn Lượng';
const SUMMARY = 'Người gọi báo con gái Ánh bị môi giới Quảng Ninh hứa việc làm nhà hàng, nghi bị đưa qua biên giới';

let db;
let key;
let server;
const acc = {};
const as = {};
let foreignCommune; // a commune outside province 01
const intakes = {}; // ids by name, for the audit and at-rest tests

// Time stamps: yyyy-mm-ddThh:mm:ssZ, as the API speaks them.
const iso = (ms) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
const DAY = 86400000;
const ago = (ms) => iso(Math.floor(Date.now() / 1000) * 1000 - ms);
const plusDays = (at, days) => iso(Date.parse(at) + days * DAY);
// at + n calendar months, on the last day of the month when the month has
// no such day (Criminal Procedure Code Art. 133).
function plusMonths(at, n) {
	const d = new Date(Date.parse(at));
	const y = d.getUTCFullYear();
	const m = d.getUTCMonth() + n;
	const last = new Date(Date.UTC(y, m + 1, 0)).getUTCDate();
	return iso(Date.UTC(y, m, Math.min(d.getUTCDate(), last), d.getUTCHours(), d.getUTCMinutes(),
		d.getUTCSeconds()));
}

function intake(over = {}) {
	return {
		received_at: ago(2 * 3600000),
		channel: 'HOTLINE_111',
		language: 'vi',
		province: '01',
		commune: '00004',
		summary: SUMMARY,
		reporter: REPORTER,
		mentioned_phones: [MENTIONED_PHONE],
		mentioned_names: [MENTIONED_NAME],
		classification: null,
		purpose: null,
		urgency: 'high',
		...over,
	};
}

const count = () => Number(sqlite(db, 'select count(*) from intake'));

async function create(client, body, headers = {}) {
	const r = await client.post('/api/intakes', body, { headers });
	assert.equal(r.status, 201, r.text);
	return r.body;
}

// The intake as the operator sees it now.
async function current(id, client = as.op) {
	const r = await client.get(`/api/intakes/${id}`);
	assert.equal(r.status, 200, r.text);
	return r.body;
}

async function listIds(client, qs = '') {
	const r = await client.get(`/api/intakes${qs}`);
	assert.equal(r.status, 200, r.text);
	return r.body.items.map((i) => i.id);
}

before(async () => {
	({ db, key } = await initDb({ demo: 10 }));
	server = await startServer({ db });
	const users = {
		op: { adminCode: '00004', roles: ['hotline_operator'] }, // Ba Đình, Hà Nội
		inv: { adminCode: '00004', roles: ['investigator'] }, // the same unit
		cw: { adminCode: '00004', roles: ['case_worker'] },
		op2: { adminCode: '00008', roles: ['hotline_operator', 'investigator'] }, // Ngọc Hà
		sup: { adminCode: '01', roles: ['supervisor'] },
		stat: { adminCode: 'VN', roles: ['statistician'] },
		aud: { adminCode: 'VN', roles: ['auditor'] },
	};
	for (const [name, u] of Object.entries(users))
		acc[name] = await addUser(db, key, `in${name}`, { name: `E2E ${name}`, ...u });
	await Promise.all(Object.keys(users).map(async (n) => {
		as[n] = await signIn(server.url, acc[n]);
	}));
	foreignCommune = sqlite(db, "select code from admin_unit where level='commune' and province_code<>'01' limit 1");
	assert.match(foreignCommune, /^\d{5}$/);
});

after(async () => {
	if (server)
		await stopOk(server);
});

// 1. A hotline call through the legal clock to a decision.

test('a hotline operator records a call: 201, received, no legal clock, identity shown to the unit', async () => {
	const body = intake();
	const r = await as.op.post('/api/intakes', body);
	assert.equal(r.status, 201, r.text);
	const i = r.body;
	intakes.tip = i.id;
	assert.ok(Number.isInteger(i.id) && i.id > 0);
	assert.equal(i.status, 'received');
	assert.equal(i.legal, null);
	assert.equal(i.version, 1);
	assert.equal(i.classification, null);
	assert.equal(i.received_at, body.received_at);
	assert.equal(i.channel, 'HOTLINE_111');
	assert.equal(i.province, '01');
	assert.equal(i.commune, '00004');
	assert.equal(i.urgency, 'high');
	assert.equal(i.owner_unit_id, as.op.user.org_unit.id);
	assert.equal(i.summary, SUMMARY);
	assert.deepEqual(i.reporter, { anonymous: false, name: REPORTER.name, phone: REPORTER_PHONE });
	assert.deepEqual(i.mentioned_phones, [MENTIONED_PHONE_DIGITS]);
	assert.deepEqual(i.mentioned_names, [MENTIONED_NAME]);
	assert.deepEqual(await current(i.id), i);
});

test('classified a trafficking tip, the deadline is receipt + 20 days exactly', async () => {
	const before = await current(intakes.tip);
	const r = await as.op.post(`/api/intakes/${intakes.tip}/classify`, {
		classification: 'trafficking_tip', purpose: 'SEX.PROSTITUTION', urgency: 'critical', version: before.version,
	});
	assert.equal(r.status, 200, r.text);
	assert.equal(r.body.status, 'classified');
	assert.equal(r.body.classification, 'trafficking_tip');
	assert.equal(r.body.purpose, 'SEX.PROSTITUTION');
	assert.equal(r.body.urgency, 'critical');
	assert.equal(r.body.version, before.version + 1);
	assert.ok(r.body.legal, r.text);
	assert.equal(r.body.legal.deadline, plusDays(before.received_at, 20));
	assert.equal(r.body.legal.extension, 'none');
	assert.equal(r.body.legal.decision, null);
	assert.equal(r.body.legal.overdue, false);
	assert.equal(r.body.legal.due_soon, false);
});

test('the hotline operator may not extend or decide: 403', async () => {
	const i = await current(intakes.tip);
	problem(await as.op.post(`/api/intakes/${i.id}/extend`, { kind: 'complex', version: i.version }), 403,
		'forbidden');
	problem(await as.op.post(`/api/intakes/${i.id}/decide`, { decision: 'initiate', version: i.version }), 403,
		'forbidden');
});

test('an investigator of the unit extends: complex = receipt + 2 months, procuracy + 2 more, only once', async () => {
	let i = await current(intakes.tip, as.inv);
	// The procuracy extends only after the complex-case extension.
	problem(await as.inv.post(`/api/intakes/${i.id}/extend`, { kind: 'procuracy', version: i.version }), 409,
		'conflict');
	problem(await as.inv.post(`/api/intakes/${i.id}/extend`, { kind: 'simple', version: i.version }), 400,
		'invalid', 'kind');
	let r = await as.inv.post(`/api/intakes/${i.id}/extend`, { kind: 'complex', version: i.version });
	assert.equal(r.status, 200, r.text);
	assert.equal(r.body.legal.extension, 'complex');
	assert.equal(r.body.legal.deadline, plusMonths(i.received_at, 2));
	assert.equal(r.body.version, i.version + 1);
	i = r.body;
	problem(await as.inv.post(`/api/intakes/${i.id}/extend`, { kind: 'complex', version: i.version }), 409,
		'conflict');
	r = await as.inv.post(`/api/intakes/${i.id}/extend`, { kind: 'procuracy', version: i.version });
	assert.equal(r.status, 200, r.text);
	assert.equal(r.body.legal.extension, 'procuracy');
	assert.equal(r.body.legal.deadline, plusMonths(plusMonths(i.received_at, 2), 2));
	i = r.body;
	const again = await as.inv.post(`/api/intakes/${i.id}/extend`, { kind: 'procuracy', version: i.version });
	problem(again, 409, 'conflict');
	assert.notEqual(again.body.field, 'version', 'refused for the version, not for the second extension');
	assert.equal((await current(i.id)).legal.deadline, i.legal.deadline);
});

test('a deadline that has ended is not extended: the tip is decided late, and counts so', async () => {
	// (Extensions at a month end: test_intake.c, complex_at_a_month_end.)
	let i = await create(as.op, intake({ channel: 'DENUNCIATION', received_at: '2025-07-31T09:00:00Z',
		classification: 'trafficking_tip' }));
	assert.equal(i.legal.deadline, '2025-08-20T09:00:00Z');
	assert.equal(i.legal.overdue, true);
	const r = await as.inv.post(`/api/intakes/${i.id}/extend`, { kind: 'complex', version: i.version });
	problem(r, 409, 'conflict', 'kind');
	assert.match(r.body.message, /deadline ended at 2025-08-20T09:00:00Z/);
	assert.equal(r.body.rule, 'extend_ended');
	assert.equal((await current(i.id)).legal.deadline, '2025-08-20T09:00:00Z');
	// A suspension states its ground (Art. 148), as a decision not to initiate does.
	for (const decision of ['suspend', 'not_initiate'])
		problem(await as.inv.post(`/api/intakes/${i.id}/decide`, { decision, note: ' ', version: i.version }), 400,
			'invalid', 'note');
	i = ok(await as.inv.post(`/api/intakes/${i.id}/decide`, { decision: 'suspend',
		note: 'Chờ kết luận giám định', version: i.version }));
	assert.equal(i.status, 'resolved');
	assert.equal(i.legal.decision, 'suspend');
	const k = ok(await as.inv.get('/api/kpi/intakes?from=2025-07-31&to=2025-07-31'));
	assert.deepEqual([k.tips, k.tips_resolved, k.tips_resolved_in_time], [1, 1, 0]);
});

test('an intake is classified before it is decided or resolved: classified never counts fewer than resolved', async () => {
	const tip = await create(as.op, intake({ channel: 'DENUNCIATION', received_at: ago(DAY) }));
	const call = await create(as.op, intake({ channel: 'HOTLINE_111', received_at: ago(DAY) }));
	for (const [i, who, step, body] of [[tip, as.inv, 'decide', { decision: 'initiate' }],
		[call, as.op, 'resolve', { resolution: 'Đã hướng dẫn người gọi' }]]) {
		const r = await who.post(`/api/intakes/${i.id}/${step}`, { ...body, version: i.version });
		problem(r, 409, 'conflict', 'classification');
		assert.match(r.body.message, /is not classified: classify it first/);
		// The rule by its stable name, for clients to tell it apart.
		assert.equal(r.body.rule, 'intake_unclassified');
		const now = await current(i.id);
		assert.deepEqual([now.status, now.version], ['received', i.version], 'nothing changed');
	}
	let t = ok(await as.inv.post(`/api/intakes/${tip.id}/classify`,
		{ classification: 'trafficking_tip', version: tip.version }));
	t = ok(await as.inv.post(`/api/intakes/${tip.id}/decide`, { decision: 'initiate', version: t.version }));
	assert.equal(t.status, 'resolved');
	// Now classified, a resolved intake keeps its classification.
	problem(await as.inv.post(`/api/intakes/${tip.id}/classify`, { classification: 'other', version: t.version }),
		409, 'conflict');
	// One resolved unclassified before this rule (as an older database
	// holds them) may be classified still: it stays resolved, no clock.
	sqlite(db, `UPDATE intake SET status = 'resolved', resolved_at = received_at WHERE id = ${call.id}`);
	const c = ok(await as.op.post(`/api/intakes/${call.id}/classify`,
		{ classification: 'trafficking_tip', version: call.version }));
	assert.deepEqual([c.status, c.classification, c.legal], ['resolved', 'trafficking_tip', null]);
});

test('a stale version on any step is a 409 conflict on the field version', async () => {
	const i = await current(intakes.tip, as.inv);
	const stale = i.version - 1;
	problem(await as.inv.post(`/api/intakes/${i.id}/classify`, { classification: 'trafficking_tip', version: stale }),
		409, 'conflict', 'version');
	problem(await as.inv.post(`/api/intakes/${i.id}/extend`, { kind: 'procuracy', version: stale }), 409,
		'conflict', 'version');
	problem(await as.inv.post(`/api/intakes/${i.id}/decide`, { decision: 'initiate', version: stale }), 409,
		'conflict', 'version');
	problem(await as.inv.post(`/api/intakes/${i.id}/decide`, { decision: 'initiate', version: i.version + 1 }), 409,
		'conflict', 'version');
	problem(await as.inv.post(`/api/intakes/${i.id}/decide`, { decision: 'initiate' }), 400, 'invalid', 'version');
	// The non-tip step on a stale version too.
	const info = await create(as.op, intake({ classification: 'information', mentioned_phones: [], mentioned_names: [] }));
	problem(await as.op.post(`/api/intakes/${info.id}/resolve`, { resolution: 'x', version: info.version + 1 }), 409,
		'conflict', 'version');
	const after = await current(i.id);
	assert.equal(after.version, i.version);
	assert.equal(after.status, 'classified');
	intakes.staleInfo = info.id;
});

test('the investigator decides "initiate": resolved, decided_at; a second decision is a 409', async () => {
	const i = await current(intakes.tip, as.inv);
	problem(await as.inv.post(`/api/intakes/${i.id}/decide`, { decision: 'arrest', version: i.version }), 400,
		'invalid', 'decision');
	const t0 = iso(Math.floor(Date.now() / 1000) * 1000);
	const r = await as.inv.post(`/api/intakes/${i.id}/decide`, {
		decision: 'initiate', note: 'Quyết định khởi tố vụ án số 17', version: i.version,
	});
	assert.equal(r.status, 200, r.text);
	assert.equal(r.body.status, 'resolved');
	assert.equal(r.body.legal.decision, 'initiate');
	assert.match(r.body.legal.decided_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
	assert.ok(r.body.legal.decided_at >= t0, `${r.body.legal.decided_at} < ${t0}`);
	assert.equal(r.body.legal.overdue, false);
	assert.equal(r.body.legal.due_soon, false);
	assert.equal(r.body.legal.deadline, i.legal.deadline);
	const v = r.body.version;
	for (const decision of ['initiate', 'not_initiate', 'suspend'])
		problem(await as.inv.post(`/api/intakes/${i.id}/decide`, { decision, note: 'x', version: v }), 409, 'conflict');
	problem(await as.inv.post(`/api/intakes/${i.id}/extend`, { kind: 'procuracy', version: v }), 409, 'conflict');
	problem(await as.inv.post(`/api/intakes/${i.id}/classify`, { classification: 'other', version: v }), 409,
		'conflict');
	assert.equal((await current(i.id)).legal.decision, 'initiate');
});

test('two investigators deciding at once: one wins, the other gets a 409 on version', async () => {
	const i = await create(as.op, intake({ channel: 'CRIME_REPORT', received_at: ago(DAY), classification: 'trafficking_tip' }));
	const rs = await Promise.all(['initiate', 'not_initiate', 'suspend', 'initiate'].map((decision) =>
		as.inv.post(`/api/intakes/${i.id}/decide`, { decision, note: 'Căn cứ', version: i.version })));
	const ok = rs.filter((r) => r.status === 200);
	assert.equal(ok.length, 1, rs.map((r) => r.text).join('\n'));
	for (const r of rs.filter((x) => x.status !== 200))
		problem(r, 409, 'conflict', 'version');
	const after = await current(i.id);
	assert.equal(after.version, i.version + 1);
	assert.equal(after.legal.decision, ok[0].body.legal.decision);
});

test('a denunciation is on the clock from its creation', async () => {
	for (const channel of ['DENUNCIATION', 'CRIME_REPORT', 'PROSECUTION_RECOMMENDATION']) {
		const body = intake({ channel, received_at: ago(3 * DAY), reporter: { anonymous: true } });
		const i = await create(as.op, body);
		assert.equal(i.status, 'received');
		assert.ok(i.legal, `${channel}: no legal clock`);
		assert.equal(i.legal.deadline, plusDays(body.received_at, 20), channel);
		assert.equal(i.legal.extension, 'none');
		assert.equal(i.legal.decision, null);
		assert.deepEqual(i.reporter, { anonymous: true });
		if (channel === 'DENUNCIATION')
			intakes.denunciation = i.id;
	}
	// Classified as something else, a denunciation stays a tip.
	const d = await current(intakes.denunciation);
	const r = await as.op.post(`/api/intakes/${d.id}/classify`, { classification: 'information', version: d.version });
	assert.equal(r.status, 200, r.text);
	assert.equal(r.body.legal.deadline, d.legal.deadline);
	problem(await as.op.post(`/api/intakes/${d.id}/resolve`, { resolution: 'x', version: r.body.version }), 409,
		'conflict');
});

test('a non-tip is resolved; resolve on a tip and decide on a non-tip are 409s', async () => {
	const i = await create(as.op, intake({ classification: 'information', channel: 'ONLINE' }));
	intakes.info = i.id;
	assert.equal(i.status, 'classified');
	assert.equal(i.legal, null);
	problem(await as.inv.post(`/api/intakes/${i.id}/decide`, { decision: 'initiate', version: i.version }), 409,
		'conflict');
	problem(await as.inv.post(`/api/intakes/${i.id}/extend`, { kind: 'complex', version: i.version }), 409,
		'conflict');
	problem(await as.op.post(`/api/intakes/${i.id}/resolve`, { version: i.version }), 400, 'invalid', 'resolution');
	problem(await as.op.post(`/api/intakes/${i.id}/resolve`, { resolution: '   ', version: i.version }), 400, 'invalid',
		'resolution');
	const r = await as.op.post(`/api/intakes/${i.id}/resolve`, {
		resolution: 'Đã hướng dẫn người gọi liên hệ Phòng LĐ-TB&XH', version: i.version,
	});
	assert.equal(r.status, 200, r.text);
	assert.equal(r.body.status, 'resolved');
	assert.equal(r.body.legal, null);
	assert.equal(r.body.resolution, 'Đã hướng dẫn người gọi liên hệ Phòng LĐ-TB&XH');
	problem(await as.op.post(`/api/intakes/${i.id}/resolve`, { resolution: 'x', version: r.body.version }), 409,
		'conflict');
	// Resolve on a tip: the denunciation and a classified hotline tip.
	const tip = await create(as.op, intake({ classification: 'trafficking_tip' }));
	assert.ok(tip.legal);
	assert.equal(tip.legal.deadline, plusDays(tip.received_at, 20));
	problem(await as.op.post(`/api/intakes/${tip.id}/resolve`, { resolution: 'x', version: tip.version }), 409,
		'conflict');
	assert.equal((await current(tip.id)).status, 'classified');
});

// 2. Idempotency keys.

test('the same Idempotency-Key twice gives one intake: 201, then 200 with the same id', async () => {
	const k = 'call-2026-11-24-0001';
	const n0 = count();
	const a = await as.op.post('/api/intakes', intake(), { headers: { 'idempotency-key': k } });
	assert.equal(a.status, 201, a.text);
	const b = await as.op.post('/api/intakes', intake({ summary: 'bấm lại' }), { headers: { 'idempotency-key': k } });
	assert.equal(b.status, 200, b.text);
	assert.equal(b.body.id, a.body.id);
	assert.equal(b.body.summary, SUMMARY, 'the repeat answers the record first created');
	assert.equal(count(), n0 + 1);
	assert.equal(Number(sqlite(db, `select count(*) from intake where idempotency_key = '${k}'`)), 1);
	// Another user's key is its own: the same key creates a second record.
	const c = await as.cw.post('/api/intakes', intake(), { headers: { 'idempotency-key': k } });
	assert.equal(c.status, 201, c.text);
	assert.notEqual(c.body.id, a.body.id);
	const d = await as.cw.post('/api/intakes', intake(), { headers: { 'idempotency-key': k } });
	assert.equal(d.status, 200, d.text);
	assert.equal(d.body.id, c.body.id);
	assert.equal(count(), n0 + 2);
	const mine = await listIds(as.op, '?limit=200');
	assert.equal(mine.filter((id) => id === a.body.id).length, 1);
});

test('five concurrent POSTs with one Idempotency-Key create exactly one intake', async () => {
	const k = 'concurrent_Key-0002';
	const n0 = count();
	const rs = await Promise.all(Array.from({ length: 5 }, () =>
		as.op.post('/api/intakes', intake(), { headers: { 'idempotency-key': k } })));
	const statuses = rs.map((r) => r.status).sort();
	assert.deepEqual(statuses, [200, 200, 200, 200, 201], rs.map((r) => r.text).join('\n'));
	const ids = new Set(rs.map((r) => r.body.id));
	assert.equal(ids.size, 1);
	assert.equal(count(), n0 + 1);
	const [id] = ids;
	const listed = await listIds(as.op, '?limit=200');
	assert.equal(listed.filter((x) => x === id).length, 1);
});

test('a malformed Idempotency-Key is a 400 on the field Idempotency-Key, nothing created', async () => {
	const n0 = count();
	for (const k of ['abc', 'with spaces in it', 'x'.repeat(65), 'bad/key/12345', 'kh%C3%B3a-12345', 'semi;colon1'])
		problem(await as.op.post('/api/intakes', intake(), { headers: { 'idempotency-key': k } }), 400, 'invalid',
			'Idempotency-Key');
	assert.equal(count(), n0);
	// The limits themselves are fine.
	for (const k of ['A1_-b2c3', 'k'.repeat(64)]) {
		const r = await as.op.post('/api/intakes', intake(), { headers: { 'idempotency-key': k } });
		assert.equal(r.status, 201, `${k}: ${r.text}`);
	}
});

// 3. Bad input: a 400 naming the field, and nothing created.

test('bad input is a 400 problem naming the field, and creates nothing', async () => {
	const n0 = count();
	const future = iso(Date.now() + 3600000);
	const cases = [
		['summary', intake({ summary: undefined })],
		['summary', intake({ summary: '' })],
		['summary', intake({ summary: ' \n\t ' })],
		['summary', intake({ summary: 'ệ'.repeat(4001) })],
		['summary', intake({ summary: 42 })],
		['received_at', intake({ received_at: future })],
		['received_at', intake({ received_at: '2026-11-24 08:15:00' })],
		['received_at', intake({ received_at: '2026-11-24T08:15:00' })],
		['received_at', intake({ received_at: '2026-13-01T00:00:00Z' })],
		['received_at', intake({ received_at: '2026-02-30T00:00:00Z' })],
		['received_at', intake({ received_at: '2026-11-20T24:00:00Z' })],
		['received_at', intake({ received_at: '2026-11-20T08:15:00.000Z' })],
		['received_at', intake({ received_at: undefined })],
		['channel', intake({ channel: 'PIGEON' })],
		['channel', intake({ channel: undefined })],
		['province', intake({ province: '99' })],
		['province', intake({ province: '00004', commune: undefined })],
		['province', intake({ province: undefined })],
		['commune', intake({ commune: foreignCommune })],
		['commune', intake({ commune: '123' })],
		['commune', intake({ commune: '01' })],
		['reporter', intake({ reporter: { anonymous: true, name: 'Ẩn Danh' } })],
		['reporter', intake({ reporter: { anonymous: true, phone: '0912345678' } })],
		['reporter', intake({ reporter: undefined })],
		['reporter', intake({ reporter: { name: 'x' } })],
		['reporter.phone', intake({ reporter: { anonymous: false, name: 'A', phone: 'không có' } })],
		['mentioned_phones', intake({ mentioned_phones: Array.from({ length: 11 }, (_, i) => `09120000${10 + i}`) })],
		['mentioned_phones', intake({ mentioned_phones: ['12'] })],
		['mentioned_phones', intake({ mentioned_phones: '0912345678' })],
		['mentioned_names', intake({ mentioned_names: Array.from({ length: 11 }, (_, i) => `Tên ${i}`) })],
		['mentioned_names', intake({ mentioned_names: [''] })],
		['purpose', intake({ purpose: 'NOT_A_PURPOSE' })],
		['urgency', intake({ urgency: 'urgent' })],
		['classification', intake({ classification: 'tip' })],
		['language', intake({ language: 'Vietnamese' })],
	];
	for (const [field, body] of cases) {
		const r = await as.op.post('/api/intakes', body);
		problem(r, 400, 'invalid', field);
	}
	// Bodies that are not an object.
	for (const raw of ['{"summary": ', 'not json', '[]', JSON.stringify([intake()]), '"text"', 'null', ''])
		problem(await as.op.post('/api/intakes', raw), 400, 'invalid');
	assert.equal(count(), n0);
});

test('a summary of exactly 4,000 characters is accepted', async () => {
	const i = await create(as.op, intake({ summary: 'ệ'.repeat(4000) }));
	assert.equal([...(await current(i.id)).summary].length, 4000);
});

test('a body over 1 MiB is a 413 and creates nothing', async () => {
	const n0 = count();
	const r = await as.op.post('/api/intakes', intake({ summary: 'a'.repeat((1 << 20) + 10) }));
	problem(r, 413, 'too_big');
	assert.equal(count(), n0);
	// The server is still fine.
	assert.equal((await as.op.get('/api/intakes?limit=1')).status, 200);
});

// 4. Scope.

test('an operator of another commune gets 404 and does not see the intake in its list', async () => {
	const r = await as.op2.get(`/api/intakes/${intakes.tip}`);
	problem(r, 404, 'not_found');
	const missing = await as.op2.get('/api/intakes/99999999');
	assert.equal(r.text.replaceAll(String(intakes.tip), 'ID'), missing.text.replaceAll('99999999', 'ID'));
	assert.ok(!(await listIds(as.op2, '?limit=200')).includes(intakes.tip));
	assert.ok(!(await listIds(as.op2, '?due=overdue')).includes(intakes.tip));
	// Nor may it take a step on it.
	for (const [step, body] of [['classify', { classification: 'other', version: 1 }],
		['extend', { kind: 'complex', version: 1 }], ['decide', { decision: 'suspend', note: 'x', version: 1 }],
		['resolve', { resolution: 'x', version: 1 }]])
		problem(await as.op2.post(`/api/intakes/${intakes.denunciation}/${step}`, body), 404, 'not_found');
	// Its own intake is its own.
	const own = await create(as.op2, intake({ commune: '00008', reporter: { anonymous: true },
		mentioned_phones: ['0911 000 222'] }));
	assert.ok((await listIds(as.op2)).includes(own.id));
	assert.ok(!(await listIds(as.op, '?limit=200')).includes(own.id));
});

test('repeat contacts: the owner finds the intake by phone, another commune finds nothing', async () => {
	for (const phone of [REPORTER_PHONE, '+84 934-567-812', MENTIONED_PHONE]) {
		const r = await as.op.get(`/api/intakes/repeat?phone=${encodeURIComponent(phone)}`);
		assert.equal(r.status, 200, r.text);
		assert.ok(Array.isArray(r.body.intakes) && Array.isArray(r.body.persons), r.text);
		const hit = r.body.intakes.find((x) => x.id === intakes.tip);
		assert.ok(hit, `${phone}: ${r.text}`);
		assert.match(hit.received_at, /Z$/);
	}
	for (const phone of [REPORTER_PHONE, MENTIONED_PHONE]) {
		const r = await as.op2.get(`/api/intakes/repeat?phone=${encodeURIComponent(phone)}`);
		assert.equal(r.status, 200, r.text);
		assert.deepEqual(r.body, { intakes: [], persons: [] });
	}
	problem(await as.op.get('/api/intakes/repeat?phone=abc'), 400, 'invalid', 'phone');
	problem(await as.op.get('/api/intakes/repeat'), 400, 'invalid', 'phone');
});

test('repeat contacts name the unit\'s persons with that phone by pseudonym, not across communes', async () => {
	const p = await as.cw.post('/api/persons', {
		role: 'victim', identification: IDENTIFIED, sex: 'F', birth_date: '2001-05-06', citizenship: 'vn_citizen', nationality: 'VN',
		full_name: 'Trịnh Thị Khuyên', phone: REPORTER.phone, province: '01', commune: '00004',
	});
	assert.equal(p.status, 201, p.text);
	const r = await as.op.get(`/api/intakes/repeat?phone=${REPORTER_PHONE}`);
	assert.equal(r.status, 200, r.text);
	assert.deepEqual(r.body.persons, [{ id: p.body.id, pseudonym: p.body.pseudonym }]);
	assert.match(r.body.persons[0].pseudonym, /^P-[0-9A-F]{12}$/);
	assert.ok(!r.text.includes(REPORTER.name), 'the repeat notice names no one');
	// Finding a person by phone ties the phone to the record: audited, as a search is.
	const log = await as.aud.get(`/api/audit?${new URLSearchParams({ action: 'person.search', limit: '500' })}`);
	assert.equal(log.status, 200, log.text);
	assert.ok(log.body.items.some((e) => e.object_id === String(p.body.id) && e.username === 'inop'), log.text);
	const other = await as.op2.get(`/api/intakes/repeat?phone=${REPORTER_PHONE}`);
	assert.equal(other.status, 200, other.text);
	assert.deepEqual(other.body, { intakes: [], persons: [] });
});

test('the province supervisor sees the intake pseudonymised', async () => {
	const r = await as.sup.get(`/api/intakes/${intakes.tip}`);
	assert.equal(r.status, 200, r.text);
	assert.equal(r.body.id, intakes.tip);
	assert.equal(r.body.summary, null);
	assert.equal(r.body.reporter, null);
	assert.equal(r.body.mentioned_phones, null);
	assert.equal(r.body.mentioned_names, null);
	assert.equal(r.body.legal.decision, 'initiate');
	assert.equal(r.body.legal.note ?? null, null);
	for (const s of [REPORTER.name, REPORTER_PHONE, REPORTER.phone, SUMMARY, SUMMARY.slice(0, 20), MENTIONED_NAME,
		MENTIONED_PHONE_DIGITS, 'khởi tố vụ án số 17'])
		assert.ok(!r.text.includes(s), `the supervisor's view holds "${s}"`);
	const info = await as.sup.get(`/api/intakes/${intakes.info}`);
	assert.equal(info.status, 200, info.text);
	assert.equal(info.body.resolution, null);
	// Supervisors do not take intakes.
	problem(await as.sup.post('/api/intakes', intake()), 403, 'forbidden');
});

test('a statistician may not create or read intakes', async () => {
	const n0 = count();
	problem(await as.stat.post('/api/intakes', intake()), 403, 'forbidden');
	problem(await as.stat.get(`/api/intakes/${intakes.tip}`), 404, 'not_found');
	problem(await as.aud.post('/api/intakes', intake()), 403, 'forbidden');
	assert.equal(count(), n0);
});

// 5. Overdue and due soon.

test('overdue and due-soon lists: 25 days old is overdue, 18 days is due soon, resolved is in neither', async () => {
	const over = await create(as.op, intake({ channel: 'DENUNCIATION', received_at: ago(25 * DAY) }));
	const soon = await create(as.op, intake({ channel: 'DENUNCIATION', received_at: ago(18 * DAY) }));
	const done = await create(as.op, intake({ channel: 'CRIME_REPORT', received_at: ago(25 * DAY),
		classification: 'trafficking_tip' }));
	const far = await create(as.op, intake({ channel: 'DENUNCIATION', received_at: ago(2 * DAY) }));
	assert.equal(over.legal.overdue, true);
	assert.equal(over.legal.due_soon, false);
	assert.equal(soon.legal.overdue, false);
	assert.equal(soon.legal.due_soon, true);
	assert.equal(far.legal.overdue, false);
	assert.equal(far.legal.due_soon, false);
	assert.equal(done.legal.overdue, true);
	// An overdue tip can still be decided.
	const d = await as.inv.post(`/api/intakes/${done.id}/decide`, { decision: 'not_initiate',
		note: 'Không có sự việc phạm tội', version: done.version });
	assert.equal(d.status, 200, d.text);
	assert.equal(d.body.legal.overdue, false);
	assert.equal(d.body.legal.due_soon, false);
	intakes.overdue = over.id;

	const r = await as.op.get('/api/intakes?due=overdue');
	assert.equal(r.status, 200, r.text);
	const o = r.body.items.map((x) => x.id);
	assert.ok(o.includes(over.id));
	assert.ok(!o.includes(soon.id) && !o.includes(done.id) && !o.includes(far.id) && !o.includes(intakes.tip));
	for (const x of r.body.items) {
		assert.equal(x.legal.overdue, true);
		assert.notEqual(x.status, 'resolved');
	}
	const deadlines = r.body.items.map((x) => x.legal.deadline);
	assert.deepEqual(deadlines, [...deadlines].sort(), 'oldest deadline first');

	const s = await as.op.get('/api/intakes?due=soon');
	assert.equal(s.status, 200, s.text);
	const sIds = s.body.items.map((x) => x.id);
	assert.ok(sIds.includes(soon.id));
	assert.ok(!sIds.includes(over.id) && !sIds.includes(done.id) && !sIds.includes(far.id));
	for (const x of s.body.items)
		assert.equal(x.legal.due_soon, true);
	// The other commune's lists hold none of them.
	assert.deepEqual(await listIds(as.op2, '?due=overdue'), []);
	problem(await as.op.get('/api/intakes?due=late'), 400, 'invalid', 'due');
	problem(await as.op.get('/api/intakes?limit=0'), 400, 'invalid', 'limit');
});

// docs/api.md lists status= for GET /api/intakes; the handler ignores it
// (the filter belongs in the store's intake_list, which takes no status).
test('GET /api/intakes?status= lists only intakes of that status',
	async () => {
		for (const status of ['received', 'classified', 'resolved']) {
			const r = await as.op.get(`/api/intakes?status=${status}&limit=200`);
			assert.equal(r.status, 200, r.text);
			assert.ok(r.body.items.length > 0, status);
			for (const x of r.body.items)
				assert.equal(x.status, status);
		}
		problem(await as.op.get('/api/intakes?status=lost'), 400, 'invalid', 'status');
	});

// 6. Identity at rest and the audit trail.

test('the reporter, the phones, the names and the summary are not in the database file', () => {
	sqlite(db, 'select count(*) from intake'); // a reader: the WAL stays
	const bytes = Buffer.concat([db, `${db}-wal`].filter((f) => fs.existsSync(f)).map((f) => fs.readFileSync(f)));
	for (const s of [REPORTER.name, REPORTER.name.normalize('NFD'), REPORTER_PHONE, REPORTER.phone, SUMMARY,
		SUMMARY.slice(0, 24), MENTIONED_NAME, MENTIONED_PHONE_DIGITS, MENTIONED_PHONE, 'khởi tố vụ án số 17',
		'Phòng LĐ-TB&XH'])
		assert.ok(!bytes.includes(Buffer.from(s, 'utf8')), `"${s}" is in the database file`);
	// The rows are there, sealed.
	const row = sqlite(db, `select length(summary_enc) > 0, length(reporter_name_enc) > 0, reporter_phone_bidx is not null from intake where id = ${intakes.tip}`);
	assert.equal(row, '1|1|1');
});

test('the auditor sees intake.create, classify, extend, decide, resolve and read for these intakes', async () => {
	const audit = async (action) => {
		const r = await as.aud.get(`/api/audit?${new URLSearchParams({ action, limit: '500' })}`);
		assert.equal(r.status, 200, r.text);
		for (const e of r.body.items)
			assert.equal(e.object_type, 'intake');
		return r.body.items;
	};
	const has = (entries, id, user) => entries.some((e) => e.object_id === String(id) && e.username === user);
	assert.ok(has(await audit('intake.create'), intakes.tip, 'inop'));
	assert.ok(has(await audit('intake.create'), intakes.overdue, 'inop'));
	assert.ok(has(await audit('intake.classify'), intakes.tip, 'inop'));
	const ext = (await audit('intake.extend')).filter((e) => e.object_id === String(intakes.tip));
	assert.equal(ext.length, 2, 'complex and procuracy');
	assert.ok(ext.every((e) => e.username === 'ininv'));
	const dec = (await audit('intake.decide')).filter((e) => e.object_id === String(intakes.tip));
	assert.equal(dec.length, 1, 'one decision; the refused ones left no entry');
	assert.equal(dec[0].username, 'ininv');
	assert.ok(has(await audit('intake.resolve'), intakes.info, 'inop'));
	const all = await audit('intake.read');
	const reads = all.filter((e) => e.outcome === 'ok');
	assert.ok(has(reads, intakes.tip, 'inop'));
	assert.ok(has(reads, intakes.tip, 'ininv'));
	// The pseudonymised view of the supervisor is not an identity read.
	assert.ok(!has(all, intakes.tip, 'insup'));
	// Another commune's attempts on Ba Đình's intakes were refused (404),
	// and each refusal is in the log, for the auditor to see.
	const denied = all.filter((e) => e.outcome === 'denied');
	assert.ok(has(denied, intakes.tip, 'inop2'), JSON.stringify(denied));
	assert.ok(has(denied, 99999999, 'inop2'), 'a missing id alike');
	assert.ok(!has(reads, intakes.tip, 'inop2'));
});
