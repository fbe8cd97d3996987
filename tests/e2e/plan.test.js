// plan.test.js: issue 7, plans against the real binary on 127.0.0.1: a
// province plan with sections and tasks, its checks naming the field,
// who sees it; a commune's plan cascaded from it and the coverage shown
// above; progress with an activity and a stale version; the due list;
// the roll-up; the JSON export; the import of the seed documents and of
// bad files; the audit entries of every write.
//
// One database and one server for the whole file; the tests run in order.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { ROOT, initDb, sqlite, startServer, stopOk } from './lib.js';
import { addUser, ok, problem, signIn } from './users.js';
import { readSheet } from './xlsx.js';

let db;
let key;
let server;
const as = {};

const SEEDS = path.join(ROOT, 'tests/unit/data/plans');

// A day n days from today in Viet Nam (UTC+7), yyyy-mm-dd.
function day(n) {
	return new Date(Date.now() + 7 * 3600e3 + n * 86400e3).toISOString().slice(0, 10);
}

// POST the bytes of a document to /api/plans/import as text/plain.
async function importText(client, bytes) {
	const res = await fetch(client.url + '/api/plans/import', {
		method: 'POST',
		headers: {
			cookie: `ctip_session=${client.cookie}`,
			'x-csrf-token': client.csrf,
			'content-type': 'text/plain; charset=utf-8',
		},
		body: bytes,
	});
	const text = await res.text();
	let body = null;
	if (/json/.test(res.headers.get('content-type') ?? '') && text !== '')
		body = JSON.parse(text);
	return { status: res.status, headers: res.headers, text, body };
}

before(async () => {
	({ db, key } = await initDb({ demo: 0 }));
	server = await startServer({ db });
	const users = {
		hn: { adminCode: '01', roles: ['supervisor'], agency: 'PEOPLES_COMMITTEE' },
		hnpol: { adminCode: '01', roles: ['investigator'], agency: 'POLICE' },
		hnedu: { adminCode: '01', roles: ['case_worker'], agency: 'EDUCATION' },
		bd: { adminCode: '00004', roles: ['statistician'], agency: 'PEOPLES_COMMITTEE' },
		nh: { adminCode: '00008', roles: ['statistician'], agency: 'PEOPLES_COMMITTEE' },
		hcm: { adminCode: '79', roles: ['supervisor'], agency: 'PEOPLES_COMMITTEE' },
		adm: { adminCode: '01', roles: ['administrator'], agency: 'POLICE' },
		aud: { adminCode: '01', roles: ['auditor'], agency: 'POLICE' },
	};
	for (const [name, u] of Object.entries(users)) {
		const acc = await addUser(db, key, `plan-${name}`, { name: `E2E ${name}`, ...u });
		as[name] = await signIn(server.url, acc);
	}
});

after(async () => {
	await stopOk(server);
});

let plan;

const body = () => ({
	number: '45/KH-UBND',
	title: 'Kế hoạch phòng, chống mua bán người năm 2026',
	issued_on: '2026-01-15',
	legal_basis: 'Luật Phòng, chống mua bán người 2024',
	period_from: '2026-01-01',
	period_to: '2026-12-31',
	sections: [
		{ key: 'II', number: 'II', title: 'NHIỆM VỤ' },
		{ key: '1', number: '1', title: 'Truyền thông', parent: 'II' },
	],
	tasks: [
		{ section: '1', number: '1.1', text: 'Điều tra, xử lý các vụ mua bán người', expected_output: 'Báo cáo',
			timing: { kind: 'once', due_on: day(-5) }, lead: [{ agency: 'POLICE' }], coordinate: [{ agency: 'HEALTH' }] },
		{ section: '1', number: '1.2', text: 'Tuyên truyền trong đợt cao điểm',
			timing: { kind: 'once', due_on: day(12) }, lead: [{ all_units: true, phrase: 'các sở, ban, ngành' }] },
		{ section: 'II', number: '2', text: 'Rà soát hằng năm',
			timing: { kind: 'yearly', from: '01-01', to: '12-31' }, lead: [{ agency: 'POLICE' }] },
	],
});

test('a province plan is created with its sections and tasks, and read back', async () => {
	const bad = body();
	bad.tasks[2].timing = { kind: 'yearly', from: '07-01' };
	problem(await as.hn.post('/api/plans', bad), 400, 'invalid', 'tasks[2].timing');
	bad.tasks[2].timing = { kind: 'once', due_on: '2026-13-01' };
	problem(await as.hn.post('/api/plans', bad), 400, 'invalid', 'tasks[2].timing');
	bad.tasks[2].timing = { kind: 'continuous' };
	bad.tasks[1].lead = [{ all_units: 'yes', phrase: 'các sở' }]; // a flag is true or false
	problem(await as.hn.post('/api/plans', bad), 400, 'invalid', 'tasks[1].lead[0]');
	bad.tasks[1].lead = [];
	problem(await as.hn.post('/api/plans', bad), 400, 'invalid', 'tasks[1].lead');
	problem(await as.hn.post('/api/plans', { ...body(), title: '' }), 400, 'invalid', 'title');
	// Issued once signed: not in the future, nor before 2000.
	problem(await as.hn.post('/api/plans', { ...body(), issued_on: day(1) }), 400, 'invalid', 'issued_on');
	problem(await as.hn.post('/api/plans', { ...body(), issued_on: '1900-01-01' }), 400, 'invalid', 'issued_on');
	problem(await as.hnpol.post('/api/plans', body()), 403, 'forbidden');
	assert.equal(sqlite(db, 'SELECT count(*) FROM plan'), '0');

	plan = ok(await as.hn.post('/api/plans', body()), 201);
	assert.equal(plan.admin_code, '01');
	assert.equal(plan.version, 1);
	assert.equal(plan.sections.length, 2);
	assert.equal(plan.tasks.length, 3);
	assert.equal(plan.tasks[0].lead[0].unit_id, as.hnpol.user.org_unit.id);
	assert.equal(plan.tasks[0].overdue, true);
	assert.equal(plan.tasks[0].status, 'not_started');
	assert.equal(plan.tasks[1].lead[0].all_units, true);
	// A yearly task is due on its last day of this year.
	assert.equal(plan.tasks[2].timing.to, '12-31');
	assert.equal(plan.tasks[2].due_on, `${day(0).slice(0, 4)}-12-31`);
	assert.equal(plan.tasks[2].overdue, false);
	const again = ok(await as.hn.get(`/api/plans/${plan.id}`));
	assert.deepEqual(again, plan);
});

test('scope: other provinces see nothing, administrators and auditors are refused', async () => {
	ok(await as.bd.get(`/api/plans/${plan.id}`));
	problem(await as.hcm.get(`/api/plans/${plan.id}`), 404, 'not_found');
	problem(await as.hcm.get('/api/plans/999999'), 404, 'not_found');
	problem(await as.adm.get(`/api/plans/${plan.id}`), 403, 'forbidden');
	problem(await as.aud.get('/api/plans'), 403, 'forbidden');
	const mine = ok(await as.bd.get('/api/plans'));
	assert.deepEqual(mine.items.map((p) => p.id), [plan.id]);
	assert.equal(mine.items[0].tasks, 3);
	assert.equal(mine.items[0].overdue, 1);
	assert.deepEqual(ok(await as.hcm.get('/api/plans')).items, []);
	// A plan names units of its own place and below, not another province's.
	const other = body();
	other.tasks[0].lead = [{ unit_id: as.hcm.user.org_unit.id }];
	problem(await as.hn.post('/api/plans', other), 400, 'invalid', 'tasks[0].lead[0]');
});

let lower;

test('a commune plan cascades from the province plan, and coverage shows above', async () => {
	const req = { task_ids: [plan.tasks[0].id, plan.tasks[1].id], title: 'Kế hoạch xã Ba Đình', issued_on: '2026-02-01', period_from: '2026-01-01', period_to: '2026-12-31' };
	problem(await as.bd.post(`/api/plans/${plan.id}/cascade`, { ...req, task_ids: [] }), 400, 'invalid', 'task_ids');
	problem(await as.bd.post(`/api/plans/${plan.id}/cascade`, { ...req, task_ids: [plan.tasks[0].id, plan.tasks[0].id] }),
		400, 'invalid', 'task_ids');
	problem(await as.hn.post(`/api/plans/${plan.id}/cascade`, req), 403, 'forbidden');
	problem(await as.hcm.post(`/api/plans/${plan.id}/cascade`, req), 404, 'not_found');
	lower = ok(await as.bd.post(`/api/plans/${plan.id}/cascade`, req), 201);
	assert.equal(lower.parent_plan_id, plan.id);
	assert.equal(lower.admin_code, '00004');
	assert.deepEqual(lower.tasks.map((t) => t.source_task_id), req.task_ids);
	assert.equal(lower.tasks[0].lead[0].unit_id, as.bd.user.org_unit.id);
	ok(await as.nh.post(`/api/plans/${plan.id}/cascade`, { ...req, task_ids: [plan.tasks[0].id] }), 201);
	const up = ok(await as.hn.get(`/api/plans/${plan.id}`));
	assert.deepEqual(up.tasks[0].coverage, { plans: 2, places: ['00004', '00008'] });
	assert.deepEqual(up.tasks[1].coverage, { plans: 1, places: ['00004'] });
	assert.deepEqual(up.tasks[2].coverage, { plans: 0, places: [] });
	// The other commune does not see Ba Đình's plan, nor that it made one.
	problem(await as.nh.get(`/api/plans/${lower.id}`), 404, 'not_found');
	const fromNh = ok(await as.nh.get(`/api/plans/${plan.id}`));
	assert.deepEqual(fromNh.tasks[0].coverage, { plans: 1, places: ['00008'] });
	assert.deepEqual(fromNh.tasks[1].coverage, { plans: 0, places: [] });
	assert.deepEqual(ok(await as.bd.get(`/api/plans/${plan.id}`)).tasks[0].coverage, { plans: 1, places: ['00004'] });
});

test('progress: the units named report, with evidence, activities and versions', async () => {
	const t0 = plan.tasks[0].id;
	const a = ok(await as.hnpol.post('/api/activities', {
		kind: 'operation', title: 'Đợt truy quét', started_on: '2026-03-01', ended_on: '2026-03-05', participants: 20,
	}), 201);
	const entry = { period: '2026-H1', status: 'in_progress', evidence: 'Đã lập 2 chuyên án', activity_ids: [a.id], version: 0 };
	problem(await as.hnedu.post(`/api/plans/${plan.id}/tasks/${t0}/progress`, entry), 403, 'forbidden');
	problem(await as.hnpol.post(`/api/plans/${plan.id}/tasks/${t0}/progress`, { ...entry, status: 'cannot_do' }), 400, 'invalid', 'reason');
	problem(await as.hnpol.post(`/api/plans/${plan.id}/tasks/${t0}/progress`, { ...entry, period: '2026-Q2' }), 400, 'invalid', 'period');
	// Only periods of the plan's own (2026): not 2099, nor the half year
	// whose statistical cut-off starts in December 2026.
	for (const period of ['2099', '2025', '2025-H2', '2027-H1'])
		problem(await as.hnpol.post(`/api/plans/${plan.id}/tasks/${t0}/progress`, { ...entry, period }), 400, 'invalid',
			'period');
	problem(await as.hnpol.post(`/api/plans/${plan.id}/tasks/${t0}/progress`, { ...entry, report_ids: [42] }), 400, 'invalid', 'report_ids');
	let p = ok(await as.hnpol.post(`/api/plans/${plan.id}/tasks/${t0}/progress`, entry));
	let g = p.tasks[0].progress[0];
	assert.equal(g.status, 'in_progress');
	assert.equal(g.evidence, 'Đã lập 2 chuyên án');
	assert.equal(g.version, 1);
	assert.deepEqual(g.activities.map((x) => x.id), [a.id]);
	assert.equal(p.tasks[0].status, 'in_progress');
	assert.equal(sqlite(db, `SELECT plan_task_id FROM activity WHERE id = ${a.id}`), String(t0));
	problem(await as.hnpol.post(`/api/plans/${plan.id}/tasks/${t0}/progress`, entry), 409, 'conflict', 'version');
	p = ok(await as.hnpol.post(`/api/plans/${plan.id}/tasks/${t0}/progress`, { ...entry, status: 'done', version: 1 }));
	assert.equal(p.tasks[0].status, 'done');
	assert.equal(p.tasks[0].overdue, false);
	problem(await as.hnpol.post(`/api/plans/${plan.id}/tasks/${t0}/progress`, { ...entry, version: 1 }), 409, 'conflict', 'version');
	// All units of the place report on an all-units task.
	p = ok(await as.hnedu.post(`/api/plans/${plan.id}/tasks/${plan.tasks[1].id}/progress`,
		{ period: '2026', status: 'cannot_do', reason: 'Chưa có kinh phí', version: 0 }));
	assert.equal(p.tasks[1].status, 'cannot_do');
	// An activity is linked by the unit that recorded it, no other: the
	// education department may see the police's but not take it over.
	problem(await as.hnedu.post(`/api/plans/${plan.id}/tasks/${plan.tasks[1].id}/progress`,
		{ period: '2026', status: 'in_progress', activity_ids: [a.id], version: 1 }), 400, 'invalid', 'activity_ids');
	assert.equal(sqlite(db, `SELECT plan_task_id FROM activity WHERE id = ${a.id}`), String(t0));
});

test('a commune reading the province plan sees its own progress, not other communes\'', async () => {
	const t0 = lower.tasks[0].source_task_id;
	// The province's units reported on the province plan: a commune sees
	// the plan and its tasks' status, not their entries.
	const seenByCommune = ok(await as.nh.get(`/api/plans/${plan.id}`));
	const units = seenByCommune.tasks.flatMap((t) => t.progress.map((g) => g.unit_id));
	assert.deepEqual(units, [], 'Ngọc Hà sees none of the province units\' entries');
	// The status still counts every lead unit's progress.
	assert.equal(seenByCommune.tasks.find((t) => t.id === t0).status, 'done');
	const seenByProvince = ok(await as.hn.get(`/api/plans/${plan.id}`));
	assert.ok(seenByProvince.tasks.flatMap((t) => t.progress).length >= 2);
});

test('the due list holds the unit\'s overdue and soon-due tasks', async () => {
	const pol = ok(await as.hnpol.get('/api/plans/due?days=30'));
	// Task 0 is done; task 1 is all units' and due in 12 days (the
	// yearly task 2 is listed too in the last month of the year).
	assert.deepEqual(pol.items.map((x) => x.task_id).filter((t) => t !== plan.tasks[2].id), [plan.tasks[1].id]);
	assert.equal(pol.items[0].days_left, 12);
	assert.equal(pol.items[0].overdue, false);
	problem(await as.hnpol.get('/api/plans/due?days=abc'), 400, 'invalid', 'days');
	const edu = ok(await as.hnedu.get('/api/plans/due'));
	assert.deepEqual(edu.items, []); // cannot_do settles it
	const bd = ok(await as.bd.get('/api/plans/due?days=60'));
	assert.ok(bd.items.some((x) => x.plan_id === lower.id && x.overdue === true), JSON.stringify(bd));
});

test('the roll-up counts by unit and by section', async () => {
	problem(await as.hn.get(`/api/plans/${plan.id}/rollup`), 400, 'invalid', 'period');
	const r = ok(await as.hn.get(`/api/plans/${plan.id}/rollup?period=2026-H1`));
	const pol = r.by_unit.find((u) => u.unit_id === plan.tasks[0].lead[0].unit_id);
	assert.equal(pol.tasks, 2);
	assert.equal(pol.done, 1);
	assert.equal(pol.not_started, 1);
	const sec = r.by_section.find((s) => s.number === '1');
	assert.equal(sec.tasks, 2);
	assert.equal(sec.done, 1);
	assert.equal(sec.not_started, 1);
	problem(await as.hcm.get(`/api/plans/${plan.id}/rollup?period=2026`), 404, 'not_found');
	// A commune's roll-up counts the same sections, but by unit only its
	// own: other units' counts are their progress, which it does not see.
	const bd = ok(await as.bd.get(`/api/plans/${plan.id}/rollup?period=2026-H1`));
	assert.deepEqual(bd.by_section, r.by_section);
	assert.deepEqual(bd.by_unit, r.by_unit.filter((u) => u.unit_id === as.bd.user.org_unit.id));
	assert.ok(r.by_unit.length > bd.by_unit.length);
});

test('a task is changed by the issuing unit at the version read', async () => {
	const t2 = plan.tasks[2];
	const change = { text: 'Rà soát, cập nhật danh sách', timing: { kind: 'year' }, lead: [{ agency: 'POLICE' }], coordinate: [{ agency: 'WOMENS_UNION' }], version: 1 };
	problem(await as.bd.post(`/api/plans/${plan.id}/tasks/${t2.id}`, change), 403, 'forbidden');
	problem(await as.hn.post(`/api/plans/${plan.id}/tasks/${t2.id}`, { ...change, timing: { kind: 'once' } }), 400, 'invalid', 'timing');
	// A unit once per task: lead and coordinating at once, or twice, says which.
	problem(await as.hn.post(`/api/plans/${plan.id}/tasks/${t2.id}`, { ...change, coordinate: [{ agency: 'WOMENS_UNION' },
		{ agency: 'POLICE' }] }), 400, 'invalid', 'coordinate[1]');
	problem(await as.hn.post(`/api/plans/${plan.id}/tasks/${t2.id}`, { ...change, lead: [{ agency: 'POLICE' },
		{ agency: 'POLICE' }] }), 400, 'invalid', 'lead[1]');
	const p = ok(await as.hn.post(`/api/plans/${plan.id}/tasks/${t2.id}`, change));
	assert.equal(p.version, 2);
	assert.equal(p.tasks[2].text, change.text);
	assert.equal(p.tasks[2].coordinate.length, 1);
	problem(await as.hn.post(`/api/plans/${plan.id}/tasks/${t2.id}`, change), 409, 'conflict', 'version');
});

test('the plan is exported as JSON and XLSX to download', async () => {
	const r = await as.bd.get(`/api/plans/${plan.id}/export?format=json`);
	assert.equal(r.status, 200, r.text);
	assert.match(r.headers.get('content-disposition'), /attachment; filename="?plan_\d+\.json/);
	const j = JSON.parse(r.text);
	assert.equal(j.id, plan.id);
	assert.equal(j.tasks.length, 3);
	problem(await as.bd.get(`/api/plans/${plan.id}/export?format=pdf`), 400, 'invalid', 'format');
	problem(await as.bd.get(`/api/plans/${plan.id}/export?format=xlsx&lang=fr`), 400, 'invalid', 'lang');
	const res = await fetch(`${server.url}/api/plans/${plan.id}/export?format=xlsx`, {
		headers: { cookie: `ctip_session=${as.bd.cookie}` },
	});
	assert.equal(res.status, 200);
	assert.match(res.headers.get('content-disposition'), /attachment; filename="?plan_\d+\.xlsx/);
	const buf = Buffer.from(await res.arrayBuffer());
	assert.equal(buf.subarray(0, 2).toString('latin1'), 'PK');
	const texts = Object.values(readSheet(buf)).filter((x) => typeof x === 'string');
	for (const t of j.tasks)
		assert.ok(texts.some((x) => x.includes(t.text)), `no cell holds "${t.text}"`);
	problem(await as.hcm.get(`/api/plans/${plan.id}/export?format=json`), 404, 'not_found');
});

test('the seed documents are proposed with their tasks; nothing is saved', async () => {
	const before = sqlite(db, 'SELECT count(*) FROM plan');
	for (const f of fs.readdirSync(SEEDS).filter((n) => n.endsWith('.txt'))) {
		const expected = fs.readFileSync(path.join(SEEDS, f.replace(/\.txt$/, '.expected')), 'utf8')
			.split('\n').filter((l) => l !== '' && !l.startsWith('#')).length;
		const r = await importText(as.hn, fs.readFileSync(path.join(SEEDS, f)));
		assert.equal(r.status, 200, `${f}: ${r.text.slice(0, 300)}`);
		assert.equal(r.body.proposal.tasks.length, expected, f);
		assert.equal(r.body.stats.tasks, expected, f);
		assert.ok(r.body.stats.with_lead > 0, f);
		for (const t of r.body.proposal.tasks)
			for (const u of [...t.lead, ...t.coordinate]) {
				assert.equal(typeof u.all_units, 'boolean');
				if (u.agency === 'ALL')
					assert.equal(u.all_units, true);
			}
	}
	assert.equal(sqlite(db, 'SELECT count(*) FROM plan'), before);
	// The province's police unit exists: its phrases are matched to it.
	const r = await importText(as.hn, fs.readFileSync(path.join(SEEDS, '004_55e8217417afd0fc.txt')));
	const police = plan.tasks[0].lead[0].unit_id;
	assert.ok(r.body.proposal.tasks.some((t) => t.lead.some((u) => u.agency === 'POLICE' && u.unit_id === police)));
});

test('an imported task with a dated deadline is proposed as done once by that date', async () => {
	const doc = ['KẾ HOẠCH', 'Thực hiện Chương trình phòng, chống mua bán người', 'I. NHIỆM VỤ',
		'1. Công an tỉnh chủ trì rà soát các cơ sở kinh doanh có điều kiện, hoàn thành trước ngày 30/6/2026.',
		'2. Sở Y tế chủ trì tập huấn cho cán bộ y tế cơ sở, chậm nhất ngày 15 tháng 12 năm 2026.',
		'3. Sở Tư pháp chủ trì trợ giúp pháp lý, trước ngày 31/2/2026.', ''].join('\n');
	const r = await importText(as.hn, Buffer.from(doc));
	assert.equal(r.status, 200, r.text);
	assert.deepEqual(r.body.proposal.tasks.map((t) => t.timing), [
		{ kind: 'once', due_on: '2026-06-30' }, { kind: 'once', due_on: '2026-12-15' },
		null, // 31 February: left to the reviewer
	]);
});

test('bad documents are refused naming the file; a body over 1 MiB is too big', async () => {
	let r = await importText(as.hn, Buffer.alloc(0));
	problem(r, 400, 'invalid', 'file');
	assert.match(r.body.message, /empty/);
	r = await importText(as.hn, Buffer.from('KẾ HOẠCH\n\0\n1. Việc'));
	problem(r, 400, 'invalid', 'file');
	assert.match(r.body.message, /binary: NUL byte at byte \d+/);
	r = await importText(as.hn, Buffer.from([0x31, 0x2e, 0x20, 0xc3, 0x28, 0x0a]));
	problem(r, 400, 'invalid', 'file');
	assert.match(r.body.message, /not UTF-8/);
	r = await importText(as.hn, Buffer.from('Một đoạn văn không có nhiệm vụ nào.\n'));
	problem(r, 400, 'invalid', 'file');
	assert.match(r.body.message, /no tasks found/);
	r = await importText(as.hn, Buffer.alloc((1 << 20) + 10, 'a'));
	assert.equal(r.status, 413, r.text);
	problem(await importText(as.hnpol, Buffer.from('1. Việc\n')), 403, 'forbidden');
});

test('every write is in the audit log', async () => {
	const count = (action) => Number(sqlite(db, `SELECT count(*) FROM audit_log WHERE action = '${action}'`));
	assert.equal(count('plan.create'), 1);
	assert.equal(count('plan.cascade'), 2);
	assert.equal(count('plan.progress'), 3);
	assert.equal(count('plan.task.update'), 1);
});

// After the audit counts above: a plan of its own, with no number and no
// legal basis. The export leaves out what the plan lacks ("Số: , ngày"
// and an empty "Căn cứ: " were printed), and English counts one activity
// and one participant in the singular.
test('the XLSX export leaves out a missing number and legal basis; one activity is singular', async () => {
	const bare = ok(await as.hn.post('/api/plans', {
		...body(), number: null, legal_basis: null, issued_on: '2026-02-10',
		tasks: [{ number: '1', text: 'Truy quét tội phạm mua bán người', timing: { kind: 'continuous' },
			lead: [{ agency: 'POLICE' }] }],
		sections: [],
	}), 201);
	assert.equal(bare.number, null);
	const t0 = bare.tasks[0].id;
	const a = ok(await as.hnpol.post('/api/activities', {
		kind: 'operation', title: 'Đợt cao điểm', started_on: '2026-03-10', ended_on: '2026-03-12', participants: 35,
	}), 201);
	const one = ok(await as.hnpol.post('/api/activities', {
		kind: 'training', title: 'Tập huấn một người', started_on: '2026-04-10', ended_on: '2026-04-10', participants: 1,
	}), 201);
	ok(await as.hnpol.post(`/api/plans/${bare.id}/tasks/${t0}/progress`,
		{ period: '2026-H1', status: 'in_progress', evidence: 'Đang triển khai', activity_ids: [a.id], version: 0 }));
	const xlsx = async (lang) => {
		const res = await fetch(`${server.url}/api/plans/${bare.id}/export?format=xlsx&lang=${lang}`, {
			headers: { cookie: `ctip_session=${as.hn.cookie}` },
		});
		assert.equal(res.status, 200);
		const buf = Buffer.from(await res.arrayBuffer());
		return [readSheet(buf, 1), readSheet(buf, 2)];
	};
	const strings = (sheet) => Object.values(sheet).filter((x) => typeof x === 'string');
	const [viPlan, viProgress] = await xlsx('vi');
	assert.equal(viPlan.A2, 'Ngày 10/02/2026');
	assert.equal(viProgress.A2, 'Ngày 10/02/2026');
	for (const s of [...strings(viPlan), ...strings(viProgress)]) {
		assert.doesNotMatch(s, /^Số:/, s);
		assert.doesNotMatch(s, /^Căn cứ/, s);
	}
	assert.ok(strings(viProgress).includes('1 hoạt động (35 lượt người)'), strings(viProgress).join(' | '));
	const [enPlan, enProgress] = await xlsx('en');
	assert.equal(enPlan.A2, 'Dated 10/02/2026');
	for (const s of [...strings(enPlan), ...strings(enProgress)]) {
		assert.doesNotMatch(s, /^No\.:/, s);
		assert.doesNotMatch(s, /^Legal basis/, s);
	}
	assert.ok(strings(enProgress).includes('1 activity (35 participants)'), strings(enProgress).join(' | '));
	// Two activities, 36 participants: the plural.
	ok(await as.hnpol.post(`/api/plans/${bare.id}/tasks/${t0}/progress`,
		{ period: '2026-H1', status: 'in_progress', evidence: 'Đang triển khai', activity_ids: [a.id, one.id], version: 1 }));
	assert.ok(strings((await xlsx('en'))[1]).includes('2 activities (36 participants)'));
	// The plan with its number and legal basis keeps both lines.
	const res = await fetch(`${server.url}/api/plans/${plan.id}/export?format=xlsx&lang=en`, {
		headers: { cookie: `ctip_session=${as.hn.cookie}` },
	});
	const full = readSheet(Buffer.from(await res.arrayBuffer()), 1);
	assert.equal(full.A2, 'No.: 45/KH-UBND, dated 15/01/2026');
	assert.equal(full.A6, 'Legal basis: Luật Phòng, chống mua bán người 2024');
});
