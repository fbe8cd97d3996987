// report.test.js: issue 6, the periodic reports against the real binary on
// 127.0.0.1: a commune records an activity and submits its half-year
// report; the snapshot stays as submitted when records change; the
// province returns it, the commune submits again, the province approves;
// completeness; the exports (XLSX read back cell by cell, CSV, JSON) hold
// the report's numbers, with small cells suppressed on request; scope and
// bad input answer with problem JSON naming the field. Every submission
// stays readable as it was submitted (/api/reports/{id}/submissions/{n}),
// also after migrating a database of schema 11, which kept only the last.
//
// One database and one server for the whole file; the tests run in order.
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { initDb, runOk, sqlite, startServer, stopOk } from './lib.js';
import { addOrg, addUser, ok, problem, signIn } from './users.js';
import { readSheet, sheetNames } from './xlsx.js';

let db;
let key;
let server;
const as = {};
const accounts = {};

const H1 = '2026-H1';
const Q = `form=BC_XA_6T&period=${H1}`;

function row(report, item, by = null) {
	const r = report.rows.find((x) => x.item === item && (x.by ?? null) === by);
	assert.ok(r, `no row ${item} ${by}`);
	return r;
}

before(async () => {
	({ db, key } = await initDb({ demo: 300 }));
	server = await startServer({ db });
	const users = {
		bd: { adminCode: '00004', roles: ['statistician'] },
		bdcw: { adminCode: '00004', roles: ['case_worker'] },
		nh: { adminCode: '00008', roles: ['statistician'] },
		hn: { adminCode: '01', roles: ['supervisor'] },
		hcm: { adminCode: '79', roles: ['statistician'] },
		vn: { adminCode: 'VN', roles: ['statistician'] },
		vnsup: { adminCode: 'VN', roles: ['supervisor'] },
	};
	for (const code of ['00004', '00008', '01', '79', 'VN'])
		await addOrg(db, { adminCode: code });
	for (const [name, u] of Object.entries(users)) {
		const acc = await addUser(db, key, `rep-${name}`, { name: `E2E ${name}`, ...u });
		as[name] = await signIn(server.url, acc);
		accounts[name] = acc;
	}
	// Persons of Ba Đình received and identified in the half-year.
	sqlite(db, "UPDATE person SET province_code = '01', commune_code = '00004', "
		+ "received_on = '2026-02-0' || (1 + id % 9), identified_on = CASE WHEN id % 2 = 0 "
		+ "THEN '2026-03-01' END WHERE id % 6 = 0");
});

after(async () => {
	await stopOk(server);
});

let draft;

test('an activity recorded by the commune is counted in its draft', async () => {
	const a = ok(await as.bdcw.post('/api/activities', {
		kind: 'training', title: 'Tập huấn nhận diện nạn nhân', started_on: '2026-04-02',
		ended_on: '2026-04-03', participants: 3,
	}), 201);
	assert.equal(a.commune_code, '00004');
	problem(await as.bdcw.post('/api/activities', { kind: 'party', title: 'x', started_on: '2026-04-02', ended_on: '2026-04-02', participants: 1 }), 400, 'invalid', 'kind');
	problem(await as.bdcw.post('/api/activities', { kind: 'training', title: 'x', started_on: '2026-04-02', ended_on: '2026-04-02', participants: 'ba' }), 400, 'invalid', 'participants');
	// Recorded once held: it cannot have ended after today (in Viet Nam).
	const tomorrow = new Date(Date.now() + 7 * 3600e3 + 86400e3).toISOString().slice(0, 10);
	problem(await as.bdcw.post('/api/activities', { kind: 'training', title: 'x', started_on: '2026-04-02', ended_on: tomorrow, participants: 1 }), 400, 'invalid', 'ended_on');
	problem(await as.nh.get(`/api/activities/${a.id}`), 404, 'not_found');
	const v = ok(await as.bd.get(`/api/reports?${Q}`));
	assert.equal(v.status, 'draft');
	assert.equal(v.id, null);
	assert.equal(v.may_submit, true);
	assert.equal(v.due_on, '2026-06-15');
	assert.equal(v.report.place.code, '00004');
	assert.equal(row(v.report, 'ACT_TRAINING').total, 1);
	assert.equal(row(v.report, 'ACT_TRAINING_PEOPLE').total, 3);
	// The draft's count is the database's.
	const received = Number(sqlite(db, "SELECT count(*) FROM person WHERE commune_code = '00004' "
		+ "AND role <> 'accompanying_minor' AND received_on BETWEEN '2025-12-15' AND '2026-06-14'"));
	assert.ok(received > 0);
	assert.equal(row(v.report, 'V_RECEIVED').total, received);
	const bySex = row(v.report, 'V_RECEIVED', 'sex');
	assert.equal(bySex.cells.reduce((s, c) => s + c.value, 0), received);
	assert.deepEqual(bySex.cells.map((c) => c.category).slice(0, 3), ['M', 'F', 'U']);
	draft = v;
});

test('scope: other communes, provinces and roles get nothing', async () => {
	problem(await as.nh.get(`/api/reports?${Q}&place=00004`), 403, 'forbidden', 'place');
	problem(await as.hcm.get(`/api/reports?${Q}&place=00004`), 403, 'forbidden', 'place');
	problem(await as.bd.get(`/api/reports?form=BC_XA_6T&period=2026-H3`), 400, 'invalid', 'period');
	problem(await as.bd.get(`/api/reports?form=NOPE&period=${H1}`), 404, 'not_found', 'form');
	problem(await as.hn.get(`/api/reports?${Q}&place=01`), 400, 'invalid', 'place');
	problem(await as.bdcw.post('/api/reports/submit', { form: 'BC_XA_6T', period: H1, note: 'x', version: 0 }), 403, 'forbidden');
	problem(await as.bd.post('/api/reports/submit', { form: 'BC_XA_6T', period: '2026-H2', note: 'x', version: 0 }), 400, 'invalid', 'period');
	problem(await as.bd.post('/api/reports/submit', { form: 'BC_XA_6T', period: H1, note: 'x' }), 400, 'invalid', 'version');
	assert.equal(sqlite(db, 'SELECT count(*) FROM report'), '0');
});

let id;
let frozen;

test('submitted, the report stays as it was when records change', async () => {
	const body = { form: 'BC_XA_6T', period: H1, version: 0 };
	if (draft.warnings > 0)
		problem(await as.bd.post('/api/reports/submit', body), 400, 'invalid', 'note');
	const v = ok(await as.bd.post('/api/reports/submit', { ...body, note: 'Số liệu đã rà soát' }));
	assert.equal(v.status, 'submitted');
	assert.equal(v.may_submit, false);
	id = v.id;
	frozen = v.report;
	problem(await as.bd.post('/api/reports/submit', { ...body, note: 'x' }), 409, 'conflict', 'version');
	// More persons of Ba Đình in the half-year.
	sqlite(db, "UPDATE person SET province_code = '01', commune_code = '00004', "
		+ "received_on = '2026-05-05' WHERE id % 6 = 1");
	const again = ok(await as.bd.get(`/api/reports/${id}`));
	assert.deepEqual(again.report.rows, frozen.rows);
	assert.equal(again.steps.length, 1);
	assert.equal(again.steps[0].action, 'submit');
	const live = ok(await as.vn.get(`/api/stats/values?indicator=V_RECEIVED&from=2025-12-15&to=2026-06-14&commune=00004`));
	assert.ok(live.total > row(frozen, 'V_RECEIVED').total);
});

test('the province returns it with a comment, the commune submits again, the province approves', async () => {
	problem(await as.nh.post(`/api/reports/${id}/review`, { decision: 'approve', version: 1 }), 404, 'not_found');
	problem(await as.bd.post(`/api/reports/${id}/review`, { decision: 'approve', version: 1 }), 403, 'forbidden');
	problem(await as.hn.post(`/api/reports/${id}/review`, { decision: 'return', version: 1 }), 400, 'invalid', 'comment');
	const c = ok(await as.hn.get('/api/reports/completeness?form=BC_XA_6T&period=2026-H1'));
	assert.equal(c.due_on, '2026-06-15');
	assert.equal(c.counts.submitted, 1);
	assert.equal(c.counts.late, 1);
	assert.equal(c.places.find((p) => p.code === '00004').status, 'submitted');
	assert.equal(c.places.find((p) => p.code === '00008').timeliness, 'overdue');
	assert.equal(c.counts.expected, Number(sqlite(db, "SELECT count(*) FROM admin_unit WHERE province_code = '01'")));
	problem(await as.bd.get('/api/reports/completeness?form=BC_XA_6T&period=2026-H1'), 403, 'forbidden');
	const rem = ok(await as.hn.get('/api/reports/reminders'));
	assert.ok(rem.items.some((r) => r.kind === 'review' && r.form === 'BC_XA_6T' && r.period === H1 && r.count === 1));

	let v = ok(await as.hn.post(`/api/reports/${id}/review`, { decision: 'return', comment: 'Bổ sung số liệu tháng 5', version: 1 }));
	assert.equal(v.status, 'returned');
	v = ok(await as.bd.get(`/api/reports?${Q}`));
	assert.equal(v.status, 'returned');
	assert.equal(v.review_comment, 'Bổ sung số liệu tháng 5');
	// Returned: to be sent again, no longer counted as in.
	const back = ok(await as.hn.get('/api/reports/completeness?form=BC_XA_6T&period=2026-H1'));
	assert.deepEqual([back.counts.submitted, back.counts.returned, back.counts.late], [0, 1, 1]);
	assert.equal(back.counts.missing, back.counts.expected - 1);
	assert.equal(v.may_submit, true);
	assert.ok(row(v.report, 'V_RECEIVED').total > row(frozen, 'V_RECEIVED').total, 'a returned report is a draft again');
	v = ok(await as.bd.post('/api/reports/submit', { form: 'BC_XA_6T', period: H1, note: 'Đã bổ sung', version: v.version }));
	assert.equal(v.status, 'submitted');
	v = ok(await as.hn.post(`/api/reports/${id}/review`, { decision: 'approve', version: v.version }));
	assert.equal(v.status, 'approved');
	assert.deepEqual(v.steps.map((s) => s.action), ['submit', 'return', 'submit', 'approve']);
	assert.equal(sqlite(db, "SELECT count(*) FROM audit_log WHERE object_type = 'report'"), '4');
});

test('every submission stays readable as it was submitted, in scope only', async () => {
	const v = ok(await as.hn.get(`/api/reports/${id}`));
	assert.deepEqual(v.steps.map((s) => s.submission ?? null), [1, null, 2, null]);
	assert.deepEqual(v.steps.map((s) => s.kept ?? null), [true, null, true, null]);
	const s1 = ok(await as.hn.get(`/api/reports/${id}/submissions/1`));
	assert.equal(s1.report_id, id);
	assert.equal(s1.submission, 1);
	assert.equal(s1.submitted_at, v.steps[0].at);
	assert.equal(s1.submitted_by, 'E2E bd');
	assert.equal(s1.note, 'Số liệu đã rà soát');
	assert.equal(s1.status_after, 'returned');
	assert.equal(s1.comment, 'Bổ sung số liệu tháng 5');
	assert.equal(s1.reviewed_by, 'E2E hn');
	// The first submission as it was, not as the report is now.
	assert.deepEqual(s1.snapshot, frozen);
	assert.ok(row(v.report, 'V_RECEIVED').total > row(s1.snapshot, 'V_RECEIVED').total);
	const s2 = ok(await as.bd.get(`/api/reports/${id}/submissions/2`));
	assert.equal(s2.status_after, 'approved');
	assert.equal(s2.comment, null);
	assert.deepEqual(s2.snapshot, v.report);
	// Another commune or province: as if there were no such report.
	problem(await as.nh.get(`/api/reports/${id}/submissions/1`), 404, 'not_found');
	problem(await as.hcm.get(`/api/reports/${id}/submissions/2`), 404, 'not_found');
	problem(await as.hn.get(`/api/reports/${id}/submissions/3`), 404, 'not_found');
	problem(await as.hn.get('/api/reports/99999/submissions/1'), 404, 'not_found');
	for (const n of ['0', '-1', 'x', '1x', '01', '99999999999'])
		problem(await as.hn.get(`/api/reports/${id}/submissions/${n}`), 400, 'invalid', 'n');
	// Reading is not a change: nothing more in the audit log.
	assert.equal(sqlite(db, "SELECT count(*) FROM audit_log WHERE object_type = 'report'"), '4');
});

test('migrating a schema-11 database keeps the current snapshot as the latest submission', async () => {
	// A copy as schema 11 had it: no snapshot column on the steps, the
	// report's snapshot the last submission's.
	const old = path.join(path.dirname(db), 'schema-11.db');
	await runOk(['backup', '--db', db, old]);
	const latest = Number(sqlite(db, 'SELECT max(version) FROM schema_migration'));
	sqlite(old, 'ALTER TABLE report_step DROP COLUMN snapshot; DELETE FROM schema_migration WHERE version >= 12');
	assert.equal(sqlite(old, 'SELECT max(version) FROM schema_migration'), '11');
	const n = latest - 11;
	assert.match(await runOk(['migrate', '--db', old]),
		new RegExp(`at schema version ${latest} \\(${n} migrations? applied\\)`));
	assert.equal(sqlite(old, `SELECT count(*) FROM report_step s JOIN report r ON r.id = s.report_id
		WHERE s.report_id = ${id} AND s.action = 'submit' AND s.snapshot = r.snapshot`), '1');
	assert.equal(sqlite(old, 'SELECT count(*) FROM report_step WHERE snapshot IS NOT NULL'),
		sqlite(old, 'SELECT count(*) FROM report'));
	const srv = await startServer({ db: old, key });
	try {
		const c = await signIn(srv.url, accounts.hn);
		const v = ok(await c.get(`/api/reports/${id}`));
		assert.deepEqual(v.steps.map((s) => s.submission ?? null), [1, null, 2, null]);
		assert.deepEqual(v.steps.map((s) => s.kept ?? null), [false, null, true, null]);
		const s2 = ok(await c.get(`/api/reports/${id}/submissions/2`));
		assert.deepEqual(s2.snapshot, v.report);
		assert.equal(s2.status_after, 'approved');
		// The first was overwritten before versions were kept.
		problem(await c.get(`/api/reports/${id}/submissions/1`), 404, 'not_found');
	} finally {
		await stopOk(srv);
	}
});

test('the XLSX export holds the report\'s numbers, cell by cell', async () => {
	const v = ok(await as.bd.get(`/api/reports/${id}`));
	const r = await as.bd.req('GET', `/api/reports/export?${Q}&format=xlsx`);
	assert.equal(r.status, 200);
	assert.match(r.headers.get('content-disposition'), /attachment; filename="BC_XA_6T_2026-H1_00004\.xlsx"/);
	const res = await fetch(`${server.url}/api/reports/export?${Q}&format=xlsx`, {
		headers: { cookie: `ctip_session=${as.bd.cookie}` },
	});
	const buf = Buffer.from(await res.arrayBuffer());
	assert.equal(buf.subarray(0, 2).toString('latin1'), 'PK');
	const cells = readSheet(buf);
	const texts = Object.values(cells).filter((x) => typeof x === 'string');
	assert.ok(texts.some((t) => /CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM/.test(t)));
	// Every count row's label is in the sheet with its total to its right.
	for (const rw of v.report.rows.filter((x) => x.kind === 'count' && !x.by)) {
		const at = Object.entries(cells).find(([, val]) => val === rw.label_vi);
		assert.ok(at, `no cell holds "${rw.label_vi}"`);
		const rowNo = at[0].replace(/^[A-Z]+/, '');
		const nums = Object.entries(cells).filter(([ref, val]) => ref.replace(/^[A-Z]+/, '') === rowNo && typeof val === 'number');
		assert.ok(nums.some(([, val]) => val === rw.total), `row ${rw.no} ${rw.label_vi}: ${rw.total} not in ${JSON.stringify(nums)}`);
	}
});

test('published exports suppress small counts; CSV and JSON hold the same numbers', async () => {
	const v = ok(await as.bd.get(`/api/reports/${id}`));
	let r = await as.bd.get(`/api/reports/export?${Q}&format=json`);
	assert.equal(r.status, 200);
	assert.deepEqual(JSON.parse(r.text).rows, v.report.rows);
	r = await as.bd.get(`/api/reports/export?${Q}&format=csv`);
	assert.equal(r.status, 200);
	assert.match(r.headers.get('content-type'), /^text\/csv/);
	assert.match(r.text, /Tập huấn|Số lớp tập huấn/);
	r = await as.bd.get(`/api/reports/export?${Q}&format=csv&suppress=5`);
	const trainees = row(v.report, 'ACT_TRAINING_PEOPLE');
	assert.equal(trainees.total, 3);
	const line = r.text.split(/\r?\n/).find((l) => l.includes(trainees.label_vi));
	assert.ok(line, 'the participants row is in the CSV');
	assert.match(line, /,x$/);
	assert.doesNotMatch(line, /,3(,|$)/);
	// The JSON with suppress is the published copy too.
	r = await as.bd.get(`/api/reports/export?${Q}&format=json&suppress=5`);
	const pub = JSON.parse(r.text);
	assert.equal(pub.suppress, 5);
	assert.deepEqual([row(pub, 'ACT_TRAINING_PEOPLE').total, row(pub, 'ACT_TRAINING_PEOPLE').suppressed], [null, true]);
	checkPublished(v.report, pub);
	problem(await as.bd.get(`/api/reports/export?${Q}&format=pdf`), 400, 'invalid', 'format');
	problem(await as.bd.get(`/api/reports/export?${Q}&format=csv&suppress=-1`), 400, 'invalid', 'suppress');
	problem(await as.nh.get(`/api/reports/export?${Q}&place=00004&format=csv`), 403, 'forbidden', 'place');
});

test('a province sets its own deadline; trends by quarter', async () => {
	problem(await as.bd.post('/api/reports/deadlines', { form: 'BC_TINH_6T', period_no: 1, month_day: '06-25' }), 403, 'forbidden');
	problem(await as.hn.post('/api/reports/deadlines', { form: 'BC_TINH_6T', period_no: 1, month_day: '13-01' }), 400, 'invalid', 'month_day');
	ok(await as.hn.post('/api/reports/deadlines', { form: 'BC_TINH_6T', period_no: 1, month_day: '06-25' }));
	const v = ok(await as.hn.get(`/api/reports?form=BC_TINH_6T&period=${H1}`));
	assert.equal(v.due_on, '2026-06-25');
	const t = ok(await as.vn.get('/api/stats/trend?indicator=V_RECEIVED&period_type=quarter&count=4&commune=00004'));
	assert.equal(t.items.length, 4);
	for (const p of t.items) {
		const s = ok(await as.vn.get(`/api/stats/values?indicator=V_RECEIVED&from=${p.from}&to=${p.to}&commune=00004`));
		assert.equal(p.total, s.total, p.period);
	}
	problem(await as.vn.get('/api/stats/trend?indicator=V_RECEIVED&period_type=week'), 400, 'invalid', 'period_type');
	problem(await as.vn.get('/api/stats/trend?indicator=V_RECEIVED&period_type=quarter&count=40'), 400, 'invalid', 'count');
});

// The published copy as a reader who knows the rules sees it: what it
// shows is the report's, no count from 1 to 4, an item's total shown in
// every row or in none (with its whole breakdown when hidden), and in a
// split that partitions a shown total, hidden cells that are none, or
// two or more holding at least 2 x 5 - 1 and more than one each on
// average, so that neither a subtraction nor their sum gives one away.
function checkPublished(report, pub) {
	assert.equal(pub.rows.length, report.rows.length);
	const totals = new Map();
	report.rows.forEach((r, i) => {
		const p = pub.rows[i];
		if (r.kind === 'rate') {
			if (!p.suppressed)
				assert.deepEqual(p, r, `rate ${r.no}`);
			else
				assert.deepEqual([p.numerator, p.denominator, p.rate], [null, null, null]);
			return;
		}
		const hidden = p.total === null;
		assert.ok(hidden || p.total === r.total, `row ${r.no}`);
		assert.ok(hidden || !(r.total >= 1 && r.total < 5), `row ${r.no}: ${r.total} shown`);
		if (totals.has(r.item))
			assert.equal(hidden, totals.get(r.item), `${r.item}: shown in one row, hidden in another`);
		totals.set(r.item, hidden);
		const cells = r.cells ?? [];
		let rest = r.total;
		let n = 0;
		cells.forEach((c, k) => {
			const pc = p.cells[k];
			if (pc.value === null) {
				assert.equal(pc.suppressed, true);
				n++;
				return;
			}
			assert.ok(!hidden, `row ${r.no}: a cell of a hidden total is shown`);
			assert.equal(pc.value, c.value);
			assert.ok(!(c.value >= 1 && c.value < 5), `row ${r.no}: ${c.value} shown`);
			rest -= c.value;
		});
		if (!hidden && r.partitions && n > 0)
			assert.ok(n >= 2 && rest >= 9 && rest > n, `row ${r.no}: ${n} hidden hold ${rest}`);
	});
	for (const r of pub.rows.filter((x) => x.kind === 'rate' && !x.suppressed)) {
		// A rate of a hidden total would give it back.
		const hiddenTotals = pub.rows.filter((x) => x.kind === 'count' && x.total === null)
			.map((x) => report.rows[pub.rows.indexOf(x)].total);
		assert.ok(!hiddenTotals.includes(r.numerator) && !hiddenTotals.includes(r.denominator), `rate ${r.no}`);
	}
}

test('a published export hides a total in every row or none, in every format', async () => {
	// Six persons received in Ngọc Hà in 2025, one man and five women: the
	// old export showed 6 in row 5 and hid it in row 5.1 next to
	// "Nam <5" and "Nữ x" (x only ever 5 or more): 1 man, 5 women. Its
	// JSON ignored suppress altogether.
	sqlite(db, "UPDATE person SET received_on = '2024-01-01' WHERE commune_code = '00008' "
		+ "AND received_on BETWEEN '2024-12-15' AND '2025-12-14'");
	sqlite(db, "UPDATE person SET province_code = '01', commune_code = '00008', received_on = '2025-03-10', "
		+ "sex = 'F' WHERE id IN (SELECT id FROM person WHERE role <> 'accompanying_minor' "
		+ 'AND id % 6 = 2 ORDER BY id LIMIT 6)');
	sqlite(db, "UPDATE person SET sex = 'M' WHERE id = (SELECT min(id) FROM person "
		+ "WHERE commune_code = '00008' AND received_on = '2025-03-10')");
	const Y = 'form=BC_XA_NAM&period=2025';
	const report = ok(await as.nh.get(`/api/reports?${Y}`)).report;
	assert.equal(row(report, 'V_RECEIVED').total, 6);
	assert.deepEqual(row(report, 'V_RECEIVED', 'sex').cells.map((c) => [c.category, c.value]),
		[['M', 1], ['F', 5], ['U', 0]]);

	// JSON: without suppress the report as it is; with it, the published
	// copy: hidden counts null and flagged, no findings.
	let r = await as.nh.get(`/api/reports/export?${Y}&format=json`);
	assert.deepEqual(JSON.parse(r.text).rows, report.rows);
	r = await as.nh.get(`/api/reports/export?${Y}&format=json&suppress=5`);
	assert.equal(r.status, 200);
	const pub = JSON.parse(r.text);
	assert.equal(pub.suppress, 5);
	assert.equal(pub.findings, undefined);
	assert.equal(pub.form.code, 'BC_XA_NAM');
	checkPublished(report, pub);
	for (const x of pub.rows.filter((y) => y.item === 'V_RECEIVED')) {
		assert.deepEqual([x.total, x.suppressed], [null, true], `row ${x.no}`);
		assert.ok((x.cells ?? []).every((c) => c.value === null), `row ${x.no}`);
	}
	assert.doesNotMatch(r.text, /"value": [1-4],/);

	// CSV: "x" where the JSON has null, nothing else hidden, no "<5".
	r = await as.nh.get(`/api/reports/export?${Y}&format=csv&suppress=5`);
	assert.doesNotMatch(r.text, /<5/);
	// (A draft: its line says so under the header.)
	const body = r.text.trim().split('\r\n').slice(1);
	assert.match(body[0], /^,,"DỰ THẢO/);
	const values = body.slice(1).map((l) => l.slice(l.lastIndexOf(',') + 1));
	const expected = pub.rows.flatMap((x) => (x.kind === 'rate' ? [null]
		: [x.total, ...(x.cells ?? []).map((c) => c.value)].map((v) => (v === null ? 'x' : String(v)))));
	assert.equal(values.length, expected.length);
	expected.forEach((e, i) => e === null || assert.equal(values[i], e, `CSV line ${i + 3}`));
	const lines = r.text.split('\r\n');
	assert.ok(lines.filter((l) => l.startsWith('5,') || l.startsWith('5.1,')).every((l) => l.endsWith(',x')));

	// XLSX: the same cells "x", one sheet (no findings).
	const res = await fetch(`${server.url}/api/reports/export?${Y}&format=xlsx&suppress=5`, {
		headers: { cookie: `ctip_session=${as.nh.cookie}` },
	});
	const buf = Buffer.from(await res.arrayBuffer());
	assert.deepEqual(sheetNames(buf), ['Báo cáo']);
	const cells = readSheet(buf);
	assert.ok(!Object.values(cells).includes('<5'));
	const at = Number(Object.entries(cells).find(([ref, v]) => /^A\d+$/.test(ref) && v === '5.1')[0].slice(1));
	assert.deepEqual([cells[`B${at - 1}`], cells[`D${at - 1}`]], [row(report, 'V_RECEIVED').label_vi, 'x']);
	assert.deepEqual([0, 1, 2, 3].map((k) => cells[`D${at + k}`]), ['x', 'x', 'x', 'x']);
});

test('the nation\'s report, with no level above it, is reviewed by another national official, not its submitter', async () => {
	const sent = ok(await as.vn.post('/api/reports/submit', { form: 'BC_QG_6T', period: '2026-H1', version: 0 }));
	assert.equal(sent.status, 'submitted');
	problem(await as.vn.post(`/api/reports/${sent.id}/review`, { decision: 'approve', version: sent.version }),
		403, 'forbidden');
	const viewed = ok(await as.vnsup.get(`/api/reports/${sent.id}`));
	assert.equal(viewed.may_review, true);
	const done = ok(await as.vnsup.post(`/api/reports/${sent.id}/review`, { decision: 'approve', version: sent.version }));
	assert.equal(done.status, 'approved');
	// No province sees it, let alone reviews it.
	problem(await as.hn.post(`/api/reports/${sent.id}/review`, { decision: 'return', comment: 'x', version: 2 }),
		404, 'not_found');
});

test('a draft says so in every export format; a submitted report does not', async () => {
	const get = async (query, format) => {
		const res = await fetch(`${server.url}/api/reports/export?${query}&format=${format}`, {
			headers: { cookie: `ctip_session=${as.nh.cookie}` },
		});
		assert.equal(res.status, 200);
		return Buffer.from(await res.arrayBuffer());
	};
	const DRAFT = /^DỰ THẢO: báo cáo chưa gửi/;
	// Ngọc Hà's first half of 2026: never submitted.
	const q = 'form=BC_XA_6T&period=2026-H1&place=00008';
	assert.equal(JSON.parse(await get(q, 'json')).status, 'draft');
	assert.match((await get(q, 'csv')).toString('utf8').split('\r\n')[1], /^,,"DỰ THẢO: báo cáo chưa gửi/);
	assert.ok(Object.values(readSheet(await get(q, 'xlsx'))).some((t) => DRAFT.test(t)));
	const en = (await get(`${q}&lang=en`, 'csv')).toString('utf8');
	assert.match(en, /"DRAFT: the report is not submitted/);
	// Submitted: as it was sent, with no such line.
	ok(await as.nh.post('/api/reports/submit', { form: 'BC_XA_6T', period: '2026-H1', version: 0 }));
	assert.equal(JSON.parse(await get(q, 'json')).status, 'submitted');
	assert.doesNotMatch((await get(q, 'csv')).toString('utf8'), /DỰ THẢO/);
	assert.ok(!Object.values(readSheet(await get(q, 'xlsx'))).some((t) => DRAFT.test(t)));
});

