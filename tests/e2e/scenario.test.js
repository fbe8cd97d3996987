// scenario.test.js: issue 4's scenario through the API: a hotline-111 call
// is recorded, classified, referred to the provincial health department,
// accepted, the person registered and the intake resolved, and the KPIs
// of the commune and of the province move as they should.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { initDb, startServer } from './lib.js';
import { addUser, signIn } from './users.js';

let server;
let op; // commune police hotline operator (00004)
let health; // provincial health department case worker (HEALTH, 01)
let stat; // provincial statistician (01)
let inv; // commune police investigator (00004)
let other; // investigator of another commune (00008)
let healthUnit;

const YEAR = { from: '2026-01-01', to: '2026-12-31' };
const kpi = async (c) => {
	const r = await c.get(`/api/kpi/intakes?from=${YEAR.from}&to=${YEAR.to}`);
	assert.equal(r.status, 200, r.text);
	return r.body;
};

before(async () => {
	const { db, key } = await initDb({ demo: 0, name: 'scenario' });
	server = await startServer({ db });
	const acc = {
		op: await addUser(db, key, 'scen.op', { adminCode: '00004', roles: ['hotline_operator', 'case_worker'] }),
		health: await addUser(db, key, 'scen.health', { agency: 'HEALTH', adminCode: '01', roles: ['case_worker'] }),
		stat: await addUser(db, key, 'scen.stat', { adminCode: '01', roles: ['statistician'] }),
		inv: await addUser(db, key, 'scen.inv', { adminCode: '00004', roles: ['investigator'] }),
		other: await addUser(db, key, 'scen.other', { adminCode: '00008', roles: ['investigator'] }),
	};
	[op, health, stat, inv, other] = await Promise.all([signIn(server.url, acc.op),
		signIn(server.url, acc.health), signIn(server.url, acc.stat), signIn(server.url, acc.inv),
		signIn(server.url, acc.other)]);
	const units = await op.get('/api/units');
	healthUnit = units.body.items.find((u) => u.agency === 'HEALTH' && u.admin_code === '01').id;
});

after(async () => {
	await server?.stop();
});

test('a hotline-111 call goes from intake to referral to resolution, and the KPIs follow', async () => {
	const before = await kpi(op);
	assert.equal(before.received, 0);
	assert.equal(before.share_classified, null, 'no intakes: no share');

	// 1. The call, recorded before it is classified.
	let r = await op.post('/api/intakes', {
		received_at: '2026-11-20T09:30:00Z', channel: 'HOTLINE_111', province: '01', commune: '00004',
		summary: 'Chị gái gọi báo em gái bị lừa sang Campuchia, nay đã trốn về đến cửa khẩu, cần hỗ trợ y tế.',
		reporter: { anonymous: false, name: 'Phạm Thị Hồng', phone: '0912 000 111' }, urgency: 'high',
	}, { headers: { 'Idempotency-Key': 'scenario-call-0001' } });
	assert.equal(r.status, 201, r.text);
	const call = r.body;
	assert.equal(call.status, 'received');
	let k = await kpi(op);
	assert.equal(k.received, 1);
	assert.equal(k.classified, 0);
	assert.equal(k.share_classified, 0);

	// 2. Classified: a person needing help, forced criminality abroad.
	r = await op.post(`/api/intakes/${call.id}/classify`, {
		classification: 'victim_help', purpose: 'LABOUR.FORCED_CRIMINALITY', urgency: 'critical',
		version: call.version,
	});
	assert.equal(r.status, 200, r.text);
	assert.equal(r.body.status, 'classified');
	k = await kpi(op);
	assert.equal(k.share_classified, 1);
	assert.equal(k.resolved, 0);

	// 3. Referred to the provincial health department, which sees it.
	assert.equal((await health.get(`/api/intakes/${call.id}`)).status, 404, 'not before the referral');
	r = await op.post('/api/referrals', { object_type: 'intake', object_id: call.id, to_unit_id: healthUnit,
		note: 'Đề nghị tiếp nhận, khám sức khỏe' });
	assert.equal(r.status, 201, r.text);
	const ref = r.body;
	r = await health.get(`/api/intakes/${call.id}`);
	assert.equal(r.status, 200, r.text);
	assert.match(r.body.summary, /Campuchia/);
	r = await health.get('/api/referrals?box=in');
	assert.equal(r.body.inbox.sent, 1);
	k = await kpi(op);
	assert.equal(k.referred, 1);
	assert.deepEqual(k.referrals_by_agency, { HEALTH: 1 });
	assert.ok(k.median_hours_to_referral > 0, 'received days before it was referred');

	// 4. Accepted by the health department.
	r = await health.post(`/api/referrals/${ref.id}/accept`, { version: ref.version });
	assert.equal(r.status, 200, r.text);
	assert.equal(r.body.status, 'accepted');

	// 5. The person registered from the intake, with the link both ways.
	r = await op.post(`/api/intakes/${call.id}/persons`, {
		person: { role: 'under_identification', sex: 'F', full_name: 'Phạm Thị Lan', citizenship: 'vn_citizen',
			province: '01', commune: '00004', birth_year: 2003 },
	});
	assert.equal(r.status, 201, r.text);
	const [personId] = r.body.person_ids;
	r = await op.get(`/api/persons/${personId}`);
	assert.deepEqual(r.body.intake_ids, [call.id]);

	// 6. Resolved; the referral completed by the health department.
	const cur = (await op.get(`/api/intakes/${call.id}`)).body;
	assert.deepEqual(cur.person_ids, [personId]);
	r = await op.post(`/api/intakes/${call.id}/resolve`, {
		resolution: 'Đã chuyển Sở Y tế tiếp nhận, lập hồ sơ xác định nạn nhân.', version: cur.version,
	});
	assert.equal(r.status, 200, r.text);
	r = await health.post(`/api/referrals/${ref.id}/complete`, { version: ref.version + 1 });
	assert.equal(r.status, 200, r.text);

	k = await kpi(op);
	assert.equal(k.received, 1);
	assert.equal(k.resolved, 1);
	assert.equal(k.share_resolved, 1);
	assert.equal(k.tips, 0, 'help requests have no legal clock');

	// The province sees the same counts for its territory.
	const p = await kpi(stat);
	assert.equal(p.scope.province, '01');
	assert.equal(p.received, 1);
	assert.equal(p.resolved, 1);
});

test('a denunciation decided in time counts as resolved within the legal time', async () => {
	const k0 = await kpi(op);
	const received = new Date(Date.now() - 2 * 86400e3).toISOString().replace(/\.\d+Z$/, 'Z');
	let r = await op.post('/api/intakes', {
		received_at: received, channel: 'DENUNCIATION', province: '01', commune: '00004',
		summary: 'Tố giác đường dây môi giới',
		reporter: { anonymous: true },
	});
	assert.equal(r.status, 201, r.text);
	assert.ok(r.body.legal?.deadline > received);
	const k1 = await kpi(op);
	assert.equal(k1.tips, k0.tips + 1);
	assert.equal(k1.tips_resolved_in_time, k0.tips_resolved_in_time);
	assert.equal(k1.share_tips_resolved_in_time, 0);
	// Only an investigator decides: the operator is refused.
	r = await op.post(`/api/intakes/${r.body.id}/decide`, { decision: 'initiate', version: r.body.version });
	assert.equal(r.status, 403, r.text);
});

test('KPI periods and scopes are checked', async () => {
	let r = await op.get('/api/kpi/intakes?from=2026-12-31&to=2026-01-01');
	assert.equal(r.status, 400);
	assert.equal(r.body.field, 'to');
	r = await op.get('/api/kpi/intakes?from=2026-02-30&to=2026-12-31');
	assert.equal(r.status, 400);
	assert.equal(r.body.field, 'from');
	r = await stat.get('/api/kpi/intakes?from=2026-01-01&to=2026-12-31&province=04');
	assert.equal(r.status, 403, 'a province statistician sees only its province');
	r = await op.get('/api/kpi/intakes?from=2025-01-01&to=2025-12-31');
	assert.equal(r.body.received, 0, 'nothing received in 2025');
});

test('a record counts on its day in Viet Nam: a call at 06:16 on 15 March in Ha Noi (23:16Z on the 14th)', async () => {
	const r = await op.post('/api/intakes', {
		received_at: '2026-03-14T23:16:00Z', channel: 'HOTLINE_111', province: '01', commune: '00004',
		summary: 'Cuộc gọi lúc sáng sớm', reporter: { anonymous: true },
	});
	assert.equal(r.status, 201, r.text);
	const day = async (c, from, to) => {
		const k = await c.get(`/api/kpi/intakes?from=${from}&to=${to}`);
		const v = await c.get(`/api/stats/values?indicator=INT_RECEIVED&from=${from}&to=${to}`);
		assert.equal(k.status, 200, k.text);
		assert.equal(v.status, 200, v.text);
		return [k.body.received, v.body.total];
	};
	assert.deepEqual(await day(op, '2026-03-15', '2026-03-15'), [1, 1]);
	assert.deepEqual(await day(op, '2026-03-14', '2026-03-14'), [0, 0]);
	// The first quarter ends at 17:00Z on 31 March; the province sees the same.
	assert.deepEqual(await day(stat, '2026-01-01', '2026-03-14'), [0, 0]);
	assert.deepEqual(await day(stat, '2026-03-15', '2026-03-31'), [1, 1]);
	// One rounding for a share and its KPI, and reals as written (0.9, not
	// 0.90000000000000002); hours to two decimals.
	const y = await op.get('/api/kpi/intakes?from=2026-01-01&to=2026-12-31');
	// The programme's rate is of crime tips, with the shares' rounding.
	const kc = y.body.kpi_classified;
	assert.deepEqual([kc.count, kc.of], [y.body.tips_classified, y.body.tips]);
	assert.equal(kc.rate, Math.round((kc.count / kc.of) * 1e4) / 1e4);
	assert.equal(y.body.share_tips_resolved_in_time,
		Math.round((y.body.tips_resolved_in_time / y.body.tips) * 1e4) / 1e4);
	assert.doesNotMatch(y.text, /\.\d*(0{6}|9{6})/, y.text);
	assert.match(y.text, /"target":0\.9,/);
	assert.match(String(y.body.median_hours_to_referral), /^\d+(\.\d{1,2})?$/);
});

test('an investigator opens a criminal-case lead from a denunciation, linked both ways', async () => {
	let r = await inv.post('/api/intakes', {
		received_at: '2026-11-22T10:00:00Z', channel: 'DENUNCIATION', province: '01', commune: '00004',
		summary: 'Tố giác đối tượng tuyển người đi Campuchia qua mạng xã hội', reporter: { anonymous: true },
	});
	assert.equal(r.status, 201, r.text);
	const intake = r.body;
	assert.deepEqual(intake.case_ids, []);

	// Only investigators open cases; bad input names its field.
	r = await op.post(`/api/intakes/${intake.id}/case`, { article: '150', title: 'Vụ việc' });
	assert.equal(r.status, 403, r.text);
	r = await inv.post(`/api/intakes/${intake.id}/case`, { article: '152', title: 'Vụ việc' });
	assert.equal(r.status, 400);
	assert.equal(r.body.field, 'article');
	r = await inv.post(`/api/intakes/${intake.id}/case`, { article: '150', title: '   ' });
	assert.equal(r.status, 400);
	assert.equal(r.body.field, 'title');
	// Another commune's investigator cannot reach the intake.
	r = await other.post(`/api/intakes/${intake.id}/case`, { article: '150', title: 'Vụ việc' });
	assert.equal(r.status, 404, r.text);

	r = await inv.post(`/api/intakes/${intake.id}/case`, {
		article: '150', title: 'Đường dây tuyển người đi Campuchia',
	});
	assert.equal(r.status, 201, r.text);
	const caseId = r.body.case_id;
	r = await inv.get(`/api/cases/${caseId}`);
	assert.equal(r.status, 200, r.text);
	assert.equal(r.body.stage, 'lead');
	assert.equal(r.body.article, '150');
	assert.equal(r.body.title, 'Đường dây tuyển người đi Campuchia');
	assert.deepEqual(r.body.intake_ids, [intake.id]);
	r = await inv.get(`/api/intakes/${intake.id}`);
	assert.deepEqual(r.body.case_ids, [caseId]);
	// The case is the opening unit's: another commune gets nothing.
	r = await other.get(`/api/cases/${caseId}`);
	assert.equal(r.status, 404);
	r = await other.get(`/api/cases/${caseId + 1000}`);
	assert.equal(r.status, 404);
});

test('an intake counts at its place, on the KPI page as in the statistics and reports, whoever records it', async () => {
	const q = `from=${YEAR.from}&to=${YEAR.to}`;
	const count = async (c, where) => {
		const k = ok200(await c.get(`/api/kpi/intakes?${q}${where}`));
		const v = ok200(await c.get(`/api/stats/values?indicator=INT_RECEIVED&${q}${where}`));
		return [k.received, v.total];
	};
	const mine0 = await count(op, '');
	const there0 = await count(stat, '&commune=00008');
	// Ba Đình's operator records a call about Ngọc Hà (00008).
	const r = await op.post('/api/intakes', {
		received_at: '2026-05-05T03:00:00Z', channel: 'HOTLINE_111', province: '01', commune: '00008',
		summary: 'Người gọi báo về một trường hợp ở phường bên cạnh', reporter: { anonymous: true },
	});
	assert.equal(r.status, 201, r.text);
	assert.deepEqual(await count(op, ''), mine0, 'not in Ba Đình');
	const there = await count(stat, '&commune=00008');
	assert.deepEqual(there, [there0[0] + 1, there0[1] + 1]);
	assert.equal(there[0], there[1], 'the KPI page and the statistics agree');
	const k = ok200(await stat.get(`/api/kpi/intakes?${q}&commune=00008`));
	assert.deepEqual(k.scope, { commune: '00008', province: '01' });
	// A commune outside the caller's scope is refused, naming the field.
	const out = await op.get(`/api/kpi/intakes?${q}&commune=00008`);
	assert.equal(out.status, 403, out.text);
	assert.equal(out.body.field, 'commune');
});

function ok200(r) {
	assert.equal(r.status, 200, r.text);
	return r.body;
}
