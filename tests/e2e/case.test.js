// case.test.js: issue 5's criminal cases against the real binary on
// 127.0.0.1: a case from lead to verdict moved by the police, the
// procuracy and the court of the province; refused stage transitions
// (409 transition_refused), stale versions, dates; offenders with sealed
// identity; victims linked from the victim database and the Art. 150/151
// warning; intakes; the scope (another unit or province gets 404,
// identical to a missing case); the KPI rates; bad input.
//
// One database and one server for the whole file; the tests run in order.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { IDENTIFIED, initDb, sqlite, startServer, stopOk } from './lib.js';
import { addOrg, addUser, ok, problem, signIn } from './users.js';

let db;
let key;
let server;
const acc = {};
const as = {};

// The day n days from today in Viet Nam (UTC+7), yyyy-mm-dd.
function vnDay(n = 0) {
	return new Date(Date.now() + 7 * 3600000 + n * 86400000).toISOString().slice(0, 10);
}

async function newCase(client, title = 'Đường dây đưa phụ nữ sang biên giới', article = '150') {
	return ok(await client.post('/api/cases', { title, article }), 201);
}

// A step on case c as the version it had; resolves with the answer.
function step(client, c, to, on, extra = {}) {
	return client.post(`/api/cases/${c.id}/stage`, { to, on, version: c.version, ...extra });
}

async function move(client, c, to, on, extra) {
	return ok(await step(client, c, to, on, extra));
}

async function audit(action) {
	const r = await as.aud.get(`/api/audit?${new URLSearchParams({ action, limit: '500' })}`);
	return ok(r).items;
}

const PERSON = {
	role: 'victim', identification: IDENTIFIED, sex: 'F', birth_date: '2011-05-20', citizenship: 'vn_citizen', nationality: 'VN',
	ethnicity: '01', full_name: 'Lò Thị Mai', province: '01', commune: '00004',
};

before(async () => {
	({ db, key } = await initDb({ demo: 5 }));
	server = await startServer({ db });
	const users = {
		inv: { adminCode: '00004', roles: ['investigator'] }, // commune A police
		sup: { adminCode: '00004', roles: ['supervisor'] },
		cw: { adminCode: '00004', roles: ['case_worker'] },
		other: { adminCode: '00008', roles: ['investigator'] }, // commune B police
		provInv: { adminCode: '01', roles: ['investigator'] }, // Hà Nội police
		proc: { adminCode: '01', agency: 'PROCURACY', roles: ['procurator'] },
		judge: { adminCode: '01', agency: 'COURT', roles: ['judge'] },
		procSup: { adminCode: '01', agency: 'PROCURACY', roles: ['supervisor'] },
		healthSup: { adminCode: '01', agency: 'HEALTH', roles: ['supervisor'] },
		proc04: { adminCode: '04', agency: 'PROCURACY', roles: ['procurator'] }, // Cao Bằng
		inv04: { adminCode: '04', roles: ['investigator'] },
		stat: { adminCode: 'VN', roles: ['statistician'] },
		natInv: { adminCode: 'VN', roles: ['investigator', 'supervisor'] },
		adm: { adminCode: 'VN', roles: ['administrator'] },
		aud: { adminCode: 'VN', roles: ['auditor'] },
	};
	const units = new Set(Object.values(users).map((u) => `${u.agency ?? 'POLICE'} ${u.adminCode}`));
	for (const u of units) {
		const [agency, adminCode] = u.split(' ');
		await addOrg(db, { agency, adminCode });
	}
	await Promise.all(Object.entries(users).map(async ([name, u]) => {
		acc[name] = await addUser(db, key, `case-${name.toLowerCase()}`, { name: `E2E ${name}`, ...u });
		as[name] = await signIn(server.url, acc[name]);
	}));
});

after(async () => {
	if (server)
		await stopOk(server);
});

test('a case from lead to verdict: police, procuracy and court of the province each move their stages', async () => {
	let c = await newCase(as.inv);
	assert.equal(c.stage, 'lead');
	assert.equal(c.article, '150');
	assert.equal(c.title, 'Đường dây đưa phụ nữ sang biên giới');
	assert.equal(c.owner_unit_id, as.inv.user.org_unit.id);
	assert.equal(c.province, '01');
	assert.equal(c.view, 'identity');
	assert.equal(c.version, 1);
	assert.deepEqual(c.stages, []);
	assert.deepEqual(c.next, ['initiated', 'suspended', 'closed']);

	// Initiating needs a case number.
	problem(await step(as.inv, c, 'initiated', '2026-01-05'), 400, 'invalid', 'case_number');
	c = await move(as.inv, c, 'initiated', '2026-01-05', { case_number: '05/2026/QĐ-CSHS', note: 'Khởi tố vụ án' });
	assert.equal(c.stage, 'initiated');
	assert.equal(c.case_number, '05/2026/QĐ-CSHS');
	assert.equal(c.initiated_on, '2026-01-05');
	assert.equal(c.stage_on, '2026-01-05');
	assert.equal(c.version, 2);
	assert.equal(c.stages.length, 1);
	assert.deepEqual({ ...c.stages[0], id: 0, created_at: '' }, {
		id: 0, from: 'lead', to: 'initiated', on: '2026-01-05', unit_id: as.inv.user.org_unit.id,
		by: 'E2E inv', note: 'Khởi tố vụ án', created_at: '',
	});
	c = await move(as.inv, c, 'investigated', '2026-02-10');
	c = await move(as.inv, c, 'solved', '2026-03-01');
	// The police cannot indict: that is the procuracy's step.
	assert.deepEqual(c.next, ['suspended', 'closed']);
	problem(await step(as.inv, c, 'indicted', '2026-03-15'), 403, 'forbidden', 'to');
	// The province's procuracy sees the commune's case and indicts.
	const seen = ok(await as.proc.get(`/api/cases/${c.id}`));
	assert.equal(seen.title, c.title);
	assert.deepEqual(seen.next, ['indicted', 'suspended', 'closed']);
	c = await move(as.proc, c, 'indicted', '2026-03-15');
	problem(await step(as.proc, c, 'tried', '2026-04-01'), 403, 'forbidden');
	c = await move(as.judge, c, 'tried', '2026-04-20');
	c = await move(as.judge, c, 'verdict', '2026-04-22', { note: 'Tuyên án 12 năm tù' });
	assert.equal(c.stage, 'verdict');
	assert.deepEqual([c.initiated_on, c.investigated_on, c.solved_on, c.indicted_on, c.tried_on, c.verdict_on],
		['2026-01-05', '2026-02-10', '2026-03-01', '2026-03-15', '2026-04-20', '2026-04-22']);
	assert.deepEqual(c.stages.map((s) => `${s.from}>${s.to}@${s.on}`), [
		'lead>initiated@2026-01-05', 'initiated>investigated@2026-02-10', 'investigated>solved@2026-03-01',
		'solved>indicted@2026-03-15', 'indicted>tried@2026-04-20', 'tried>verdict@2026-04-22']);
	assert.deepEqual(c.stages.map((s) => s.unit_id), [1, 1, 1, 2, 3, 3].map((k) =>
		[null, as.inv, as.proc, as.judge][k].user.org_unit.id));
	assert.equal(c.version, 7);
	assert.deepEqual(c.next, []);
	// A verdict is final.
	const r = problem(await step(as.judge, c, 'closed', '2026-05-01', { note: 'x' }), 409, 'transition_refused', 'to');
	assert.match(r.message, /verdict/);
	assert.match(r.message, /closed/);

	// Every step is in the audit log, by the user who took it.
	const steps = (await audit('case.stage')).filter((e) => e.object_id === String(c.id));
	assert.deepEqual(steps.map((e) => e.username).reverse(), ['case-inv', 'case-inv', 'case-inv', 'case-proc',
		'case-judge', 'case-judge']);
	assert.equal(steps.at(-1).reason, 'stage lead -> initiated on 2026-01-05');
	assert.ok((await audit('case.create')).some((e) => e.object_id === String(c.id)));
	assert.ok((await audit('case.read')).some((e) => e.object_id === String(c.id) && e.username === 'case-proc'));
	// The note is sealed at rest.
	assert.ok(!sqlite(db, "select hex(note_enc) from case_stage").includes(
		Buffer.from('Tuyên án').toString('hex').toUpperCase()));
});

test('refused transitions answer 409 transition_refused naming both stages, and change nothing', async () => {
	let c = await newCase(as.inv, 'Vụ việc thử chuyển giai đoạn');
	const before = sqlite(db, `select stage, version from criminal_case where id = ${c.id}`);
	for (const to of ['investigated', 'solved', 'indicted', 'tried', 'verdict', 'resumed']) {
		const r = problem(await step(as.inv, c, to, '2026-01-05'), 409, 'transition_refused', 'to');
		assert.match(r.message, new RegExp(`is lead: it cannot be ${to} now`));
	}
	assert.equal(sqlite(db, `select stage, version from criminal_case where id = ${c.id}`), before);
	assert.equal(sqlite(db, `select count(*) from case_stage where case_id = ${c.id}`), '0');

	c = await move(as.inv, c, 'initiated', '2026-02-01', { case_number: '07/2026' });
	problem(await step(as.inv, c, 'initiated', '2026-02-02', { case_number: '08/2026' }), 409, 'transition_refused');
	problem(await step(as.inv, c, 'solved', '2026-02-02'), 409, 'transition_refused');
	// Suspend (a reason is required), then only resume or close.
	problem(await step(as.inv, c, 'suspended', '2026-02-03'), 400, 'invalid', 'note');
	problem(await step(as.inv, c, 'suspended', '2026-02-03', { note: '   ' }), 400, 'invalid', 'note');
	c = await move(as.inv, c, 'suspended', '2026-02-03', { note: 'Chờ kết quả tương trợ tư pháp' });
	assert.equal(c.stage, 'suspended');
	assert.equal(c.suspended_from, 'initiated');
	assert.deepEqual(c.next, ['resumed', 'closed']);
	problem(await step(as.inv, c, 'investigated', '2026-02-04'), 409, 'transition_refused');
	problem(await step(as.inv, c, 'suspended', '2026-02-04', { note: 'lần nữa' }), 409, 'transition_refused');
	c = await move(as.inv, c, 'resumed', '2026-03-01', { note: 'Đã có kết quả' });
	assert.equal(c.stage, 'initiated');
	assert.equal(c.suspended_from, null);
	assert.equal(c.stages.at(-1).from, 'suspended');
	assert.equal(c.stages.at(-1).to, 'initiated');
	// Dates: not before the current stage's day, not in the future, real dates.
	problem(await step(as.inv, c, 'investigated', '2026-02-28'), 400, 'invalid', 'on');
	problem(await step(as.inv, c, 'investigated', vnDay(2)), 400, 'invalid', 'on');
	problem(await step(as.inv, c, 'investigated', '2026-02-30'), 400, 'invalid', 'on');
	problem(await step(as.inv, c, 'investigated', null), 400, 'invalid', 'on');
	c = await move(as.inv, c, 'investigated', vnDay(0));
	// A stale version: 409 conflict, not transition_refused.
	const stale = { ...c, version: c.version - 1 };
	problem(await step(as.inv, stale, 'solved', vnDay(0)), 409, 'conflict', 'version');
	// Close with a reason; closed is final.
	c = await move(as.inv, c, 'closed', vnDay(0), { note: 'Đình chỉ điều tra' });
	problem(await step(as.inv, c, 'resumed', vnDay(0)), 409, 'transition_refused');
	problem(await step(as.inv, c, 'solved', vnDay(0)), 409, 'transition_refused');
	assert.equal(c.investigated_on, vnDay(0));
	assert.equal(c.solved_on, null);
});

test('a lead\'s first step is not before the intake it came from, nor before 2000 without one', async () => {
	let c = await newCase(as.inv, 'Vụ việc thử ngày khởi tố');
	problem(await step(as.inv, c, 'initiated', '1990-01-01', { case_number: '01/1990' }), 400, 'invalid', 'on');
	problem(await step(as.inv, c, 'closed', '1999-12-31', { note: 'Không có dấu hiệu tội phạm' }), 400, 'invalid',
		'on');
	c = await move(as.inv, c, 'initiated', '2000-01-01', { case_number: '01/2000' });
	assert.equal(c.initiated_on, '2000-01-01');

	// Received at 20:00 UTC: the next day in Viet Nam.
	const intake = ok(await as.inv.post('/api/intakes', {
		received_at: '2026-03-01T20:00:00Z', channel: 'DENUNCIATION', province: '01', commune: '00004',
		summary: 'Tố giác đưa người qua biên giới', reporter: { anonymous: true },
	}), 201);
	const lead = ok(await as.inv.post(`/api/intakes/${intake.id}/case`, { article: '150', title: 'Từ tố giác' }), 201);
	c = ok(await as.inv.get(`/api/cases/${lead.case_id}`));
	const r = problem(await step(as.inv, c, 'initiated', '2026-03-01', { case_number: '02/2026' }), 400, 'invalid',
		'on');
	assert.match(r.message, /intake \d+ .*2026-03-02/);
	assert.equal(sqlite(db, `select count(*) from case_stage where case_id = ${c.id}`), '0');
	c = await move(as.inv, c, 'initiated', '2026-03-02', { case_number: '02/2026' });
	assert.equal(c.initiated_on, '2026-03-02');
});

test('offenders with their role; name and citizen ID sealed, shown only to those who hold the case', async () => {
	let c = await newCase(as.inv, 'Vụ môi giới kết hôn trái phép');
	c = ok(await as.inv.post(`/api/cases/${c.id}/offenders`, {
		version: c.version, role: 'recruiter', sex: 'M', birth_year: 1985, nationality: 'VN',
		name: 'Trần Văn Tuyển', citizen_id: '001085123456',
	}), 201);
	c = ok(await as.inv.post(`/api/cases/${c.id}/offenders`, { version: c.version, role: 'buyer', nationality: 'CN' }), 201);
	assert.equal(c.offenders.length, 2);
	assert.deepEqual({ ...c.offenders[0], id: 0, created_at: '' }, {
		id: 0, role: 'recruiter', sex: 'M', birth_year: 1985, nationality: 'VN', name: 'Trần Văn Tuyển',
		citizen_id: '001085123456', created_at: '',
	});
	assert.deepEqual([c.offenders[1].role, c.offenders[1].sex, c.offenders[1].name, c.offenders[1].birth_year],
		['buyer', 'U', null, null]);
	// At rest: no name, no citizen ID.
	const hex = sqlite(db, 'select hex(name_enc) || hex(citizen_id_enc) from case_offender where name_enc is not null');
	assert.ok(!hex.includes(Buffer.from('Tuyển').toString('hex').toUpperCase()));
	assert.equal(sqlite(db, "select count(*) from case_offender where citizen_id_enc like '%001085123456%'"), '0');
	assert.equal(sqlite(db, 'select count(*) from case_offender where length(citizen_id_bidx) = 16'), '1');

	// The unit's supervisor: pseudonymised (no title, names, notes) and no steps.
	const sup = ok(await as.sup.get(`/api/cases/${c.id}`));
	assert.equal(sup.view, 'pseudonym');
	assert.equal(sup.title, null);
	assert.deepEqual(sup.offenders.map((o) => [o.role, o.name, o.citizen_id]),
		[['recruiter', null, null], ['buyer', null, null]]);
	assert.deepEqual(sup.next, []);
	assert.ok(!JSON.stringify(sup).includes('Tuyển'));
	problem(await step(as.sup, sup, 'initiated', '2026-01-05', { case_number: '1' }), 403, 'forbidden');
	// The province procuracy's supervisor too; a health supervisor sees nothing.
	assert.equal(ok(await as.procSup.get(`/api/cases/${c.id}`)).title, null);
	problem(await as.healthSup.get(`/api/cases/${c.id}`), 404, 'not_found');
	// Procurators do not record offenders.
	problem(await as.proc.post(`/api/cases/${c.id}/offenders`, { version: c.version, role: 'broker' }), 403, 'forbidden');

	// Field errors.
	const bad = [
		['role', { role: 'boss' }], ['role', {}], ['sex', { role: 'broker', sex: 'X' }],
		['birth_year', { role: 'broker', birth_year: 1800 }], ['birth_year', { role: 'broker', birth_year: '1985' }],
		['nationality', { role: 'broker', nationality: 'XX' }], ['nationality', { role: 'broker', nationality: 'VNM' }],
		['citizen_id', { role: 'broker', citizen_id: '12345' }], ['name', { role: 'broker', name: 'x'.repeat(201) }],
		['name', { role: 'broker', name: 42 }],
	];
	for (const [field, body] of bad)
		problem(await as.inv.post(`/api/cases/${c.id}/offenders`, { version: c.version, ...body }), 400, 'invalid', field);
	assert.equal(ok(await as.inv.get(`/api/cases/${c.id}`)).offenders.length, 2);
	// Reading a case with identity is audited.
	assert.ok((await audit('case.offender_add')).filter((e) => e.object_id === String(c.id)).length === 2);
});

test('victims from the victim database and intakes; Art. 151 warnings from the victim\'s age at the time', async () => {
	// A girl born 2011-05-20: 14 in 2026.
	const girl = ok(await as.inv.post('/api/persons', PERSON), 201);
	const woman = ok(await as.inv.post('/api/persons', { ...PERSON, full_name: 'Lò Thị Hoa', birth_date: null,
		birth_year: 1990 }), 201);
	const unknown = ok(await as.inv.post('/api/persons', { ...PERSON, full_name: 'Lò Thị Ánh', birth_date: null }), 201);
	const theirs = ok(await as.other.post('/api/persons', { ...PERSON, full_name: 'Vàng Thị Sua', commune: '00008' }), 201);

	let c = await newCase(as.inv, 'Vụ mua bán trẻ em gái', '150');
	c = await move(as.inv, c, 'initiated', '2026-03-02', { case_number: '11/2026' });
	assert.deepEqual(c.warnings, []);
	c = ok(await as.inv.post(`/api/cases/${c.id}/victims`, { version: c.version, person_id: woman.id }));
	assert.deepEqual(c.warnings, []);
	assert.deepEqual([c.victims[0].age_min, c.victims[0].age_max, c.victims[0].age_on], [35, 36, '2026-03-02']);
	c = ok(await as.inv.post(`/api/cases/${c.id}/victims`, { version: c.version, person_id: girl.id }));
	assert.deepEqual(c.warnings, [{ code: 'art151_expected', person_id: girl.id, age: 14 }]);
	const v = c.victims.find((x) => x.person_id === girl.id);
	assert.deepEqual([v.birth_year, v.age_min, v.age_max, v.sex], [2011, 14, 14, 'F']);
	assert.match(v.pseudonym, /^P-[0-9A-F]{12}$/);
	assert.ok(!JSON.stringify(c.victims).includes('Lò Thị'), 'no victim identity in the case');
	// Linked twice: 409 exists. The person's timeline sees the case.
	problem(await as.inv.post(`/api/cases/${c.id}/victims`, { version: c.version, person_id: girl.id }), 409, 'exists');
	// Another unit's person, and one that does not exist: the same 404.
	const a = problem(await as.inv.post(`/api/cases/${c.id}/victims`, { version: c.version, person_id: theirs.id }),
		404, 'not_found', 'person_id');
	const b = problem(await as.inv.post(`/api/cases/${c.id}/victims`, { version: c.version, person_id: theirs.id + 9999 }),
		404, 'not_found', 'person_id');
	assert.equal(a.message.replace(String(theirs.id), 'ID'), b.message.replace(String(theirs.id + 9999), 'ID'));
	problem(await as.inv.post(`/api/cases/${c.id}/victims`, { version: c.version, person_id: 'x' }), 400, 'invalid', 'person_id');
	problem(await as.inv.post(`/api/cases/${c.id}/victims`, { version: c.version }), 400, 'invalid', 'person_id');

	// Reclassified to Art. 151: the warning goes.
	c = ok(await as.inv.post(`/api/cases/${c.id}/edit`, { version: c.version, article: '151' }));
	assert.equal(c.article, '151');
	assert.deepEqual(c.warnings, []);
	// Art. 151 with only adult victims: art150_expected; an unknown age says nothing.
	let d = await newCase(as.inv, 'Vụ khác', '151');
	d = ok(await as.inv.post(`/api/cases/${d.id}/victims`, { version: d.version, person_id: woman.id }));
	assert.deepEqual(d.warnings, [{ code: 'art150_expected', person_id: null, age: null }]);
	d = ok(await as.inv.post(`/api/cases/${d.id}/victims`, { version: d.version, person_id: unknown.id }));
	assert.deepEqual(d.warnings, []);
	assert.deepEqual([d.victims[1].age_min, d.victims[1].age_max], [null, null]);
	assert.equal(sqlite(db, `select group_concat(case_id) from case_person where person_id = ${woman.id}`),
		`${c.id},${d.id}`);

	// Intakes: one the unit handles, linked once; another unit's is 404.
	const intake = ok(await as.inv.post('/api/intakes', {
		received_at: '2026-03-01T08:00:00Z', channel: 'DENUNCIATION', province: '01', commune: '00004',
		summary: 'Tố giác mua bán trẻ em', reporter: { anonymous: true },
	}), 201);
	const otherIntake = ok(await as.other.post('/api/intakes', {
		received_at: '2026-03-01T08:00:00Z', channel: 'DENUNCIATION', province: '01', commune: '00008',
		summary: 'Tố giác khác', reporter: { anonymous: true },
	}), 201);
	c = ok(await as.inv.post(`/api/cases/${c.id}/intakes`, { version: c.version, intake_id: intake.id }));
	assert.deepEqual(c.intake_ids, [intake.id]);
	assert.deepEqual(ok(await as.inv.get(`/api/intakes/${intake.id}`)).case_ids, [c.id]);
	problem(await as.inv.post(`/api/cases/${c.id}/intakes`, { version: c.version, intake_id: intake.id }), 409, 'exists');
	problem(await as.inv.post(`/api/cases/${c.id}/intakes`, { version: c.version, intake_id: otherIntake.id }),
		404, 'not_found', 'intake_id');
	// A lead opened from an intake is the same kind of case.
	const lead = ok(await as.inv.post(`/api/intakes/${intake.id}/case`, { article: '151', title: 'Từ tố giác' }), 201);
	const l = ok(await as.inv.get(`/api/cases/${lead.case_id}`));
	assert.deepEqual([l.stage, l.intake_ids, l.title], ['lead', [intake.id], 'Từ tố giác']);
	assert.ok((await audit('case.victim_link')).some((e) => e.object_id === String(c.id)));
	assert.ok((await audit('case.intake_link')).some((e) => e.object_id === String(c.id)));
});

test('scope: another unit, another province, national units get 404 identical to a missing case', async () => {
	const c = await newCase(as.inv, 'Vụ bí mật của xã A');
	const missing = c.id + 100000;
	for (const who of ['other', 'inv04', 'proc04', 'natInv', 'stat', 'healthSup']) {
		const r = problem(await as[who].get(`/api/cases/${c.id}`), 404, 'not_found');
		const m = await as[who].get(`/api/cases/${missing}`);
		assert.equal(r.message.replace(String(c.id), 'ID'), m.body.message.replace(String(missing), 'ID'), who);
		assert.ok(!JSON.stringify(r).includes('bí mật'));
	}
	// Each refused read is in the audit log, the missing id's as the hidden one's.
	const denied = (await audit('case.read')).filter((e) => e.outcome === 'denied');
	for (const id of [c.id, missing])
		assert.ok(denied.some((e) => e.object_id === String(id) && e.username === acc.other.username),
			`${id}: ${JSON.stringify(denied)}`);
	// Writes too: 404 for the other commune, as for a missing case.
	for (const [path, body] of [['stage', { to: 'initiated', on: '2026-01-05', case_number: '1' }],
		['offenders', { role: 'broker' }], ['edit', { title: 'x' }], ['victims', { person_id: 1 }],
		['intakes', { intake_id: 1 }]]) {
		const r = await as.other.post(`/api/cases/${c.id}/${path}`, { version: c.version, ...body });
		const m = await as.other.post(`/api/cases/${missing}/${path}`, { version: c.version, ...body });
		problem(r, 404, 'not_found');
		assert.equal(r.text.replace(String(c.id), 'ID'), m.text.replace(String(missing), 'ID'), path);
	}
	assert.equal(ok(await as.inv.get(`/api/cases/${c.id}`)).version, 1, 'nothing changed');
	// The province police sees and may investigate a commune's case.
	const p = ok(await as.provInv.get(`/api/cases/${c.id}`));
	assert.equal(p.title, 'Vụ bí mật của xã A');
	assert.deepEqual(p.next, ['initiated', 'suspended', 'closed']);
	// Listings: own unit for a commune; the province for province units; none nationally.
	const mine = ok(await as.inv.get('/api/cases?limit=200')).items.map((x) => x.id);
	assert.ok(mine.includes(c.id));
	assert.ok(!ok(await as.other.get('/api/cases')).items.some((x) => x.id === c.id));
	assert.ok(ok(await as.proc.get('/api/cases?limit=200')).items.some((x) => x.id === c.id));
	assert.deepEqual(ok(await as.proc04.get('/api/cases')).items, []);
	problem(await as.stat.get('/api/cases'), 403, 'forbidden');
	problem(await as.cw.get('/api/cases'), 403, 'forbidden');
	problem(await as.cw.get(`/api/cases/${c.id}`), 404, 'not_found');
	problem(await as.cw.post('/api/cases', { title: 'x' }), 403, 'forbidden');
	problem(await as.proc.post('/api/cases', { title: 'x' }), 403, 'forbidden');
	problem(await as.natInv.post('/api/cases', { title: 'x' }), 403, 'forbidden');
	// The list has no sealed field; newest first; stage filter and paging.
	const items = ok(await as.inv.get('/api/cases?stage=lead&limit=2')).items;
	assert.equal(items.length, 2);
	assert.ok(items[0].id > items[1].id);
	assert.ok(items.every((x) => x.stage === 'lead' && !('title' in x)));
	const next = ok(await as.inv.get(`/api/cases?stage=lead&limit=2&before=${items[1].id}`)).items;
	assert.ok(next.every((x) => x.id < items[1].id));
	problem(await as.inv.get('/api/cases?stage=flying'), 400, 'invalid', 'stage');
	problem(await as.inv.get('/api/cases?limit=0'), 400, 'invalid', 'limit');
	problem(await as.inv.get('/api/cases?limit=abc'), 400, 'invalid', 'limit');
	problem(await as.inv.get('/api/cases?before=-1'), 400, 'invalid', 'before');
});

test('KPIs: rates of the cases initiated in a period, per unit, province and nation, with targets', async () => {
	const Y = '2025';
	const chain = ['initiated', 'investigated', 'solved', 'indicted', 'tried', 'verdict'];
	const who = { initiated: 'inv', investigated: 'inv', solved: 'inv', indicted: 'proc', tried: 'judge',
		verdict: 'judge' };
	// Run case c (of client's unit) up to stage last, then optionally stop it.
	async function run(client, last, stop) {
		let c = await newCase(client, 'Vụ thống kê');
		for (let i = 0; i <= chain.indexOf(last); i++) {
			const to = chain[i];
			const actor = to === 'initiated' || to === 'investigated' || to === 'solved' ? client : as[who[to]];
			c = await move(actor, c, to, `${Y}-0${i + 2}-10`, to === 'initiated' ? { case_number: `K-${c.id}` } : {});
		}
		if (stop)
			c = await move(stop === 'suspended' && chain.indexOf(last) >= 3 ? as.proc : client, c, stop,
				`${Y}-09-01`, { note: 'Lý do' });
		return c;
	}
	// Commune A: 5 initiated, 4 solved, 3 indicted, 2 tried (1 verdict); 1 suspended, 1 closed.
	await run(as.inv, 'verdict');
	await run(as.inv, 'tried');
	await run(as.inv, 'indicted');
	await run(as.inv, 'solved', 'closed');
	await run(as.inv, 'initiated', 'suspended');
	// Province police: 1 case, tried.
	await run(as.provInv, 'tried');
	// Cao Bằng: 1 initiated only; a lead is never counted.
	await run(as.inv04, 'initiated');
	await newCase(as.inv);

	const kpi = async (client, qs) => ok(await client.get(`/api/kpi/cases?from=${Y}-01-01&to=${Y}-12-31${qs ?? ''}`));
	let k = await kpi(as.inv);
	assert.deepEqual(k.period, { from: `${Y}-01-01`, to: `${Y}-12-31` });
	assert.deepEqual(k.scope, { unit_id: as.inv.user.org_unit.id, province: null });
	assert.deepEqual(k.counts, { initiated: 5, investigated: 4, solved: 4, indicted: 3, tried: 2, verdict: 1,
		suspended: 1, closed: 1 });
	assert.deepEqual(k.solved, { count: 4, of: 5, rate: 0.8, target: 0.9, comparison: 'above', status: 'amber' });
	assert.deepEqual(k.indicted, { count: 3, of: 4, rate: 0.75, target: 0.95, comparison: 'at_least', status: 'red' });
	assert.deepEqual(k.tried, { count: 2, of: 3, rate: 0.6667, target: 0.9, comparison: 'at_least', status: 'red' });
	// The province: commune A and the province police.
	k = await kpi(as.provInv);
	assert.deepEqual(k.scope, { unit_id: 0, province: '01' });
	assert.deepEqual([k.counts.initiated, k.counts.solved, k.counts.indicted, k.counts.tried], [6, 5, 4, 3]);
	k = await kpi(as.provInv, `&unit=${as.provInv.user.org_unit.id}`);
	assert.deepEqual([k.solved.status, k.indicted.status, k.tried.status], ['green', 'green', 'green']);
	assert.deepEqual([k.solved.rate, k.tried.rate], [1, 1]);
	// The nation, and one province from it.
	k = await kpi(as.stat);
	assert.deepEqual(k.scope, { unit_id: 0, province: null });
	assert.equal(k.counts.initiated, 7);
	assert.equal((await kpi(as.stat, '&province=04')).counts.initiated, 1);
	assert.equal((await kpi(as.stat, `&unit=${as.inv.user.org_unit.id}`)).counts.initiated, 5);
	// Nothing in the period: rates null, status none.
	k = ok(await as.inv.get('/api/kpi/cases?from=2024-01-01&to=2024-12-31'));
	assert.deepEqual(k.solved, { count: 0, of: 0, rate: null, target: 0.9, comparison: 'above', status: 'none' });
	// Both days of the period are included.
	assert.equal(ok(await as.inv.get(`/api/kpi/cases?from=${Y}-02-10&to=${Y}-02-10`)).counts.initiated, 5);
	// Scope and input.
	problem(await as.inv.get(`/api/kpi/cases?from=${Y}-01-01&to=${Y}-12-31&province=01`), 403, 'forbidden', 'province');
	problem(await as.provInv.get(`/api/kpi/cases?from=${Y}-01-01&to=${Y}-12-31&province=04`), 403, 'forbidden', 'province');
	problem(await as.provInv.get(`/api/kpi/cases?from=${Y}-01-01&to=${Y}-12-31&unit=${as.inv04.user.org_unit.id}`),
		403, 'forbidden', 'unit');
	problem(await as.stat.get(`/api/kpi/cases?from=${Y}-01-01&to=${Y}-12-31&province=99`), 400, 'invalid', 'province');
	problem(await as.stat.get(`/api/kpi/cases?from=${Y}-01-01&to=${Y}-12-31&unit=999999`), 400, 'invalid', 'unit');
	problem(await as.stat.get(`/api/kpi/cases?from=${Y}-01-01&to=${Y}-12-31&unit=abc`), 400, 'invalid', 'unit');
	problem(await as.stat.get(`/api/kpi/cases?from=${Y}-01-01&to=${Y}-12-31&unit=1&province=01`), 400, 'invalid', 'unit');
	problem(await as.stat.get(`/api/kpi/cases?from=${Y}-02-30&to=${Y}-12-31`), 400, 'invalid', 'from');
	problem(await as.stat.get(`/api/kpi/cases?from=${Y}-12-31&to=${Y}-01-01`), 400, 'invalid', 'to');
	problem(await as.adm.get(`/api/kpi/cases?from=${Y}-01-01&to=${Y}-12-31`), 403, 'forbidden');
	problem(await as.aud.get(`/api/kpi/cases?from=${Y}-01-01&to=${Y}-12-31`), 403, 'forbidden');
});

test('bad input never writes and never crashes: bad JSON, wrong types, huge strings, unknown codes', async () => {
	const c = await newCase(as.inv, 'Vụ kiểm tra đầu vào');
	const count = () => sqlite(db, 'select count(*) from criminal_case') + '/' +
		sqlite(db, 'select count(*) from case_stage') + '/' + sqlite(db, 'select count(*) from case_offender');
	const at = count();
	const url = `/api/cases/${c.id}/stage`;
	problem(await as.inv.post(url, '{"to": '), 400, 'invalid');
	problem(await as.inv.post(url, '[1,2]'), 400, 'invalid');
	problem(await as.inv.post(url, { to: 'initiated', on: '2026-01-05' }), 400, 'invalid', 'version');
	problem(await as.inv.post(url, { to: 'initiated', on: '2026-01-05', version: '1' }), 400, 'invalid', 'version');
	problem(await as.inv.post(url, { to: 42, on: '2026-01-05', version: 1 }), 400, 'invalid', 'to');
	problem(await as.inv.post(url, { to: 'teleported', on: '2026-01-05', version: 1 }), 400, 'invalid', 'to');
	problem(await as.inv.post(url, { to: 'initiated', on: 20260105, version: 1 }), 400, 'invalid', 'on');
	problem(await as.inv.post(url, { to: 'initiated', on: '2026-01-05', version: 1, case_number: 'x'.repeat(41) }),
		400, 'invalid', 'case_number');
	problem(await as.inv.post(url, { to: 'initiated', on: '2026-01-05', version: 1, case_number: 'a\nb' }),
		400, 'invalid', 'case_number');
	problem(await as.inv.post(url, { to: 'initiated', on: '2026-01-05', version: 1, case_number: '1', article: '152' }),
		400, 'invalid', 'article');
	problem(await as.inv.post(url, { to: 'investigated', on: '2026-01-05', version: 1, article: '151' }),
		409, 'transition_refused');
	problem(await as.inv.post(url, { to: 'closed', on: '2026-01-05', version: 1, note: 'x'.repeat(2001) }),
		400, 'invalid', 'note');
	problem(await as.inv.post(url, { to: 'closed', on: '2026-01-05', version: 1, note: '\udc00' }), 400, 'invalid');
	problem(await as.inv.post('/api/cases', { title: 'x'.repeat(501) }), 400, 'invalid', 'title');
	problem(await as.inv.post('/api/cases', { title: '' }), 400, 'invalid', 'title');
	problem(await as.inv.post('/api/cases', { title: ['x'] }), 400, 'invalid', 'title');
	problem(await as.inv.post('/api/cases', { title: 'x', article: 150 }), 400, 'invalid', 'article');
	problem(await as.inv.post('/api/cases', { title: 'x', article: '999' }), 400, 'invalid', 'article');
	problem(await as.inv.post(`/api/cases/${c.id}/edit`, { version: 1, case_number: '12' }), 400, 'invalid', 'case_number');
	problem(await as.inv.post(`/api/cases/${c.id}/edit`, { version: 1, title: '  ' }), 400, 'invalid', 'title');
	problem(await as.inv.post('/api/cases', { title: 'x'.repeat(2 << 20) }), 413, 'too_big');
	problem(await as.inv.get('/api/cases/abc'), 404, 'not_found');
	problem(await as.inv.get('/api/cases/0'), 404, 'not_found');
	problem(await as.inv.get('/api/cases/99999999999999999999'), 404, 'not_found');
	problem(await as.inv.post(`/api/cases/${c.id}/stage`, { to: 'initiated', on: '2026-01-05', version: 2 ** 40 }),
		400, 'invalid', 'version');
	assert.equal(count(), at);
	// Without a session or CSRF token.
	assert.equal((await fetch(`${server.url}/api/cases/${c.id}`)).status, 401);
	problem(await as.inv.post('/api/cases', { title: 'x' }, { csrf: null }), 403, 'csrf');
	assert.equal(count(), at);
});
