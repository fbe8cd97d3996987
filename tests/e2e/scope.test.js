// scope.test.js: the leaks the access model guards against, checked route by
// route against the real binary on 127.0.0.1. Commune A (Ba Đình, 00004,
// Hà Nội) records one of everything, with marker strings in every
// identity and free-text field: an intake (hotline call with a reporter and
// mentions), a victim and the minor with her (consents, protection, a
// service, a follow-up visit, a step, an event), a criminal case (offender,
// victim, intake), a referral, an activity, a plan with a task and progress
// (and progress on the province's plan), a submitted periodic report.
// Then users of commune B of the same province (Ngọc Hà, 00008), of a
// commune of another province and of that province's units (Cao Bằng, 04),
// in every role, try each route of src/http/routes.c that takes an id:
//   - with A's ids, and with ids that do not exist: the two answers must be
//     the same (403 or 404, the same body once the numbers are blanked),
//     so that existence itself does not leak, and hold none of A's markers;
//   - with A's ids inside their own records (B's person with A's consent,
//     B's case with A's victim, B's plan with A's task, A's activity or
//     report as evidence, A's plan as a parent...): the same rule;
// and every list, search, KPI and statistics route must hold none of A's
// records or markers (B's counts are B's own). A's records read the same
// to A afterwards, and no table holding records changed. A's reads are in
// the audit log; the outsiders have no successful entry on A's records and
// cannot read the log. Last, checks beyond commune B: a province handler
// learns nothing from a phone number (repeat contacts) without a reason,
// and registering A's victim elsewhere raises no duplicate warning.
// (access.test.js has the persons' GET and search for commune B in depth.)
//
// One database and one server for the file; the users sign in once and the
// tests run in order.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { after, before, test } from 'node:test';
import { IDENTIFIED, initDb, run, sqlite, startServer, stopOk } from './lib.js';
import { addOrg, addUser, ok, signIn } from './users.js';

let db;
let key;
let server;
const acc = {}; // accounts from `ctip user add`
const as = {}; // their signed-in Clients
const unit = {}; // org unit ids
let communeC; // a commune of province 04

// --- dates (Viet Nam's days, UTC+7) ---

const vnDay = (n = 0) => new Date(Date.now() + 7 * 3600000 + n * 86400000).toISOString().slice(0, 10);
const TODAY = vnDay();
const YEAR = TODAY.slice(0, 4);
const ago = (ms) => new Date(Math.floor((Date.now() - ms) / 1000) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');

// --- commune A's secrets ---

const A = {
	name: 'Lò Thị Bí Mật', cid: '001199076543', phone: '0911 222 333', phoneDigits: '0911222333',
	address: 'MARKER-A-address ngõ Kín 9', contacts: 'MARKER-A-contacts bà ngoại 0903 888 777',
	minorName: 'Lò Văn Bé Mật',
	reporterName: 'Đinh Thị Người Báo', reporterPhone: '0915 246 813', reporterDigits: '0915246813',
	mentionedPhone: '0986 135 792', mentionedDigits: '0986135792', mentionedName: 'Mã Văn Môi Giới',
	offenderName: 'Mã Văn Kẻ Buôn', offenderCid: '001085099887',
	idempotencyKey: 'scope-A-call-0001',
};

// The forms of a name someone could find in bytes.
function nameForms(name) {
	const plain = name.normalize('NFD').replace(/\p{M}/gu, '').replace(/đ/g, 'd').replace(/Đ/g, 'D');
	return [...new Set([name, name.normalize('NFD'), plain, plain.toLowerCase(), plain.toUpperCase(),
		name.toLowerCase(), name.toUpperCase()])];
}

// Strings none of the outsiders' answers may hold. Every free-text field
// of A's records holds "MARKER-A"; the pseudonyms of A's persons are added
// once they exist.
const SECRETS = [
	'MARKER-A', ...nameForms(A.name), ...nameForms(A.minorName), ...nameForms(A.reporterName),
	...nameForms(A.mentionedName), ...nameForms(A.offenderName), A.cid, A.phone, A.phoneDigits,
	A.reporterPhone, A.reporterDigits, A.mentionedPhone, A.mentionedDigits, A.offenderCid, '0903888777',
];

function leaks(text) {
	return SECRETS.filter((s) => text.includes(s));
}

function noLeak(r, what) {
	assert.deepEqual(leaks(r.text), [], `${what}: the answer holds A's secrets: ${r.text.slice(0, 400)}`);
}

// --- the actors ---

// Commune A's own users (POLICE 00004).
const INSIDERS = {
	aop: ['00004', 'POLICE', ['hotline_operator']],
	acw: ['00004', 'POLICE', ['case_worker']],
	ainv: ['00004', 'POLICE', ['investigator']],
	asup: ['00004', 'POLICE', ['supervisor']],
	astat: ['00004', 'POLICE', ['statistician']],
	hn: ['01', 'POLICE', ['supervisor']], // Hà Nội police: issues the province plan
	hncw: ['01', 'POLICE', ['case_worker']], // Hà Nội police: for the repeat-contact check
	aud: ['VN', 'POLICE', ['auditor']],
};
// The outsiders: commune B of the same province; a commune of province 04
// (communeC, filled in before()); province 04's police and procuracy.
const OUTSIDERS = {
	bop: ['00008', 'POLICE', ['hotline_operator']],
	bcw: ['00008', 'POLICE', ['case_worker']],
	binv: ['00008', 'POLICE', ['investigator']],
	bsup: ['00008', 'POLICE', ['supervisor']],
	bstat: ['00008', 'POLICE', ['statistician']],
	cop: ['C', 'POLICE', ['hotline_operator']],
	ccw: ['C', 'POLICE', ['case_worker']],
	cinv: ['C', 'POLICE', ['investigator']],
	csup: ['C', 'POLICE', ['supervisor']],
	cstat: ['C', 'POLICE', ['statistician']],
	pcw: ['04', 'POLICE', ['case_worker']],
	pinv: ['04', 'POLICE', ['investigator']],
	psup: ['04', 'POLICE', ['supervisor']],
	pstat: ['04', 'POLICE', ['statistician']],
	pproc: ['04', 'PROCURACY', ['procurator', 'supervisor']],
};
const OUT = Object.keys(OUTSIDERS);
const B_UNIT = ['bop', 'bcw', 'binv', 'bsup', 'bstat'];

// --- the records ---

const ids = {}; // A's ids
const bIds = {}; // the outsiders' own records (positive controls)
const missing = {}; // ids nothing has, key by key as in ids
let snapshot = {}; // A's records as A read them before the attacks
let tablesBefore;

// Two answers compared: the same status, content type and words for a
// record outside the scope as for none. Every number is blanked out: the
// ids differ, and ids of several kinds may be equal (person 1, intake 1).
function sameAnswer(r, m, what) {
	const blank = (t) => t.replace(/[0-9]+/g, '#');
	assert.ok(r.status === 403 || r.status === 404 || r.status === 400,
		`${what}: ${r.status} ${r.text.slice(0, 300)}`);
	assert.equal(r.status, m.status, `${what}: ${r.status} for A's record, ${m.status} for none: ${r.text} / ${m.text}`);
	assert.equal(r.headers.get('content-type'), m.headers.get('content-type'), what);
	assert.equal(blank(r.text), blank(m.text), `${what}: the answers differ`);
}

// The hash of every table that holds records (not the log, sessions or
// accounts), by the sqlite3 shell's .sha3sum.
function tableHashes() {
	const names = sqlite(db, "select name from sqlite_master where type = 'table' and name not in "
		+ "('audit_log', 'session', 'app_user', 'api_token', 'meta') order by name").split('\n');
	const r = spawnSync('sqlite3', [db], { input: names.map((n) => `.sha3sum ${n}\n`).join(''), encoding: 'utf8' });
	assert.equal(r.status, 0, r.stderr);
	const out = {};
	for (const line of r.stdout.trim().split('\n')) {
		const [hash, name] = line.split('|');
		out[name] = hash;
	}
	assert.equal(Object.keys(out).length, names.length, r.stdout);
	return out;
}

async function audit(query) {
	return ok(await as.aud.get(`/api/audit?${new URLSearchParams({ limit: '500', ...query })}`)).items;
}

before(async () => {
	({ db, key } = await initDb({ demo: 0 }));
	server = await startServer({ db });
	communeC = sqlite(db, "select code from admin_unit where level = 'commune' and province_code = '04' "
		+ 'order by code limit 1');
	assert.match(communeC, /^\d{5}$/);
	const all = { ...INSIDERS, ...OUTSIDERS };
	const units = new Set(Object.values(all).map(([code, agency]) => `${agency} ${code === 'C' ? communeC : code}`));
	units.add('HEALTH 01');
	for (const u of units) {
		const [agency, adminCode] = u.split(' ');
		unit[u] = (await addOrg(db, { agency, adminCode })).id;
	}
	await Promise.all(Object.entries(all).map(async ([name, [code, agency, roles]]) => {
		acc[name] = await addUser(db, key, `sc-${name}`, {
			name: `E2E ${name}`, adminCode: code === 'C' ? communeC : code, agency, roles,
		});
		as[name] = await signIn(server.url, acc[name]);
	}));
	unit.A = unit['POLICE 00004'];
	unit.B = unit['POLICE 00008'];
	assert.equal(as.acw.user.org_unit.id, unit.A);
	assert.equal(as.bcw.user.org_unit.id, unit.B);
});

after(async () => {
	if (server)
		await stopOk(server);
});

// 1. Commune A records one of everything.

test('commune A records an intake, a victim with a minor, casework, a case, a referral, an activity, a plan, a report', async () => {
	// The hotline call, classified as a tip.
	const r = await as.aop.post('/api/intakes', {
		received_at: ago(2 * 3600000), channel: 'HOTLINE_111', language: 'vi', province: '01', commune: '00004',
		summary: 'MARKER-A-summary: con gái bị đưa sang biên giới', urgency: 'high',
		reporter: { anonymous: false, name: A.reporterName, phone: A.reporterPhone },
		mentioned_phones: [A.mentionedPhone], mentioned_names: [A.mentionedName],
	}, { headers: { 'idempotency-key': A.idempotencyKey } });
	let i = ok(r, 201);
	ids.intake = i.id;
	i = ok(await as.aop.post(`/api/intakes/${i.id}/classify`, {
		classification: 'trafficking_tip', purpose: 'SEX.PROSTITUTION', urgency: 'critical', version: i.version,
	}));
	assert.equal(i.reporter.name, A.reporterName);

	// The victim and the minor with her, from the intake.
	const reg = ok(await as.aop.post(`/api/intakes/${ids.intake}/persons`, {
		person: {
			role: 'victim', identification: IDENTIFIED, sex: 'F', birth_date: '1999-07-21', citizenship: 'vn_citizen', nationality: 'VN',
			ethnicity: '01', province: '01', commune: '00004', full_name: A.name, citizen_id: A.cid, phone: A.phone,
			address: A.address, contacts: A.contacts,
		},
		minors: [{ sex: 'M', birth_date: '2017-02-03', citizenship: 'vn_citizen', nationality: 'VN', province: '01',
			commune: '00004', full_name: A.minorName }],
		confirm_new: true,
	}), 201);
	[ids.person, ids.minor] = reg.person_ids;
	assert.ok(ids.person && ids.minor);

	// Casework, by the case worker of the unit.
	const p = (path, body) => as.acw.post(`/api/persons/${ids.person}${path}`, body);
	ids.consent = ok(await p('/consents', { scope: 'data_processing', given_by: 'self', given_on: TODAY }), 201).id;
	ids.minorConsent = ok(await as.acw.post(`/api/persons/${ids.minor}/consents`, {
		scope: 'data_processing', given_by: 'representative', representative: `MARKER-A-rep ${A.name} (mẹ)`,
		given_on: TODAY,
	}), 201).id;
	ids.protection = ok(await p('/protection', { kind: 'identity_secrecy', beneficiary: 'person', start_on: TODAY,
		note: 'MARKER-A-protection giấu nơi ở' }), 201).id;
	ids.followUp = ok(await p('/follow-ups', { due_on: vnDay(7), note: 'MARKER-A-followup thăm nhà' }), 201).id;
	ids.event = ok(await p('/events', { abroad: true, destination: 'CN', recruited_on: vnDay(-40), discovery: 'rescued',
		discovered_on: vnDay(-10), purposes: ['SEX.PROSTITUTION'] }), 201).id;
	let v = ok(await as.acw.get(`/api/persons/${ids.person}`));
	ids.step = ok(await p('/steps', { step: 'protect', reason: 'MARKER-A-step-reason', version: v.version }), 201).id;
	const ent = ok(await as.acw.get(`/api/persons/${ids.person}/entitlements?location=in_vn`));
	const e = ent.items.find((x) => x.entitled);
	assert.ok(e, JSON.stringify(ent));
	ids.service = ok(await p('/services', { support: e.support, unit: e.limits[0]?.unit ?? 'session', quantity: 1,
		amount_vnd: 0, provider: 'MARKER-A-provider', note: 'MARKER-A-service-note' }), 201).id;
	v = ok(await as.acw.get(`/api/persons/${ids.person}`));
	assert.equal(v.identity.full_name, A.name);
	assert.equal(v.services.length, 1);
	assert.equal(v.protection[0].note, 'MARKER-A-protection giấu nơi ở');
	assert.equal(v.minor_ids[0], ids.minor);
	SECRETS.push(v.pseudonym, ok(await as.acw.get(`/api/persons/${ids.minor}`)).pseudonym);
	// A searches its person by name (audited).
	assert.deepEqual(ok(await as.acw.get('/api/persons?q=lo%20thi%20bi%20mat')).items.map((x) => x.id), [ids.person]);

	// The criminal case: a lead from the intake, initiated, an offender, the victim.
	ids.case = ok(await as.ainv.post(`/api/intakes/${ids.intake}/case`, { article: '150',
		title: 'MARKER-A-case-title' }), 201).case_id;
	let c = ok(await as.ainv.get(`/api/cases/${ids.case}`));
	c = ok(await as.ainv.post(`/api/cases/${ids.case}/stage`, { to: 'initiated', on: TODAY,
		case_number: 'MARKER-A-05/2026', note: 'MARKER-A-stage-note', version: c.version }));
	c = ok(await as.ainv.post(`/api/cases/${ids.case}/offenders`, { role: 'recruiter', sex: 'M', birth_year: 1985,
		nationality: 'VN', name: A.offenderName, citizen_id: A.offenderCid, version: c.version }), 201);
	c = ok(await as.ainv.post(`/api/cases/${ids.case}/victims`, { person_id: ids.person, version: c.version }));
	assert.deepEqual(c.intake_ids, [ids.intake]);
	assert.equal(c.offenders[0].name, A.offenderName);

	// The intake referred to the province's health department.
	ids.referral = ok(await as.aop.post('/api/referrals', { object_type: 'intake', object_id: ids.intake,
		to_unit_id: unit['HEALTH 01'], note: 'MARKER-A-referral-note' }), 201).id;

	// An activity.
	ids.activity = ok(await as.acw.post('/api/activities', { kind: 'communication', title: 'MARKER-A-activity',
		started_on: vnDay(-3), ended_on: vnDay(-2), participants: 12, note: 'MARKER-A-activity-note' }), 201).id;

	// The half-year report, submitted.
	const rep = ok(await as.astat.post('/api/reports/submit', { form: 'BC_XA_6T', period: '2026-H1',
		note: 'MARKER-A-report-note', version: 0 }));
	assert.equal(rep.status, 'submitted');
	ids.report = rep.id;

	// The province's plan names A and B on a task; A's plan implements it.
	const period = { period_from: `${YEAR}-01-01`, period_to: vnDay(365) };
	const prov = ok(await as.hn.post('/api/plans', {
		number: '12/KH-CAT', title: 'Kế hoạch của tỉnh', issued_on: `${YEAR}-01-01`, ...period,
		sections: [{ key: 'I', number: 'I', title: 'Nhiệm vụ' }],
		tasks: [{ section: 'I', number: '1', text: 'Rà soát địa bàn', timing: { kind: 'continuous' },
			lead: [{ unit_id: unit.A }, { unit_id: unit.B }] }],
	}), 201);
	ids.provPlan = prov.id;
	ids.provTask = prov.tasks[0].id;
	const plan = ok(await as.astat.post('/api/plans', {
		number: 'MARKER-A-KH', title: 'MARKER-A-plan-title', issued_on: `${YEAR}-01-01`,
		legal_basis: 'MARKER-A-legal', parent_plan_id: ids.provPlan, ...period,
		sections: [{ key: 's1', number: 'I', title: 'MARKER-A-section' }],
		tasks: [{ section: 's1', number: '1', text: 'MARKER-A-task', expected_output: 'MARKER-A-output',
			timing: { kind: 'once', due_on: vnDay(20) }, source_task_id: ids.provTask, lead: [{ unit_id: unit.A }] }],
	}), 201);
	ids.plan = plan.id;
	ids.task = plan.tasks[0].id;
	let g = ok(await as.acw.post(`/api/plans/${ids.plan}/tasks/${ids.task}/progress`, { period: YEAR,
		status: 'in_progress', evidence: 'MARKER-A-progress', activity_ids: [ids.activity], report_ids: [ids.report],
		version: 0 }));
	assert.equal(g.tasks[0].progress[0].evidence, 'MARKER-A-progress');
	g = ok(await as.acw.post(`/api/plans/${ids.provPlan}/tasks/${ids.provTask}/progress`, { period: YEAR,
		status: 'in_progress', evidence: 'MARKER-A-prov-progress', version: 0 }));
	assert.ok(g.tasks[0].progress.some((x) => x.evidence === 'MARKER-A-prov-progress'));
	ids.user = acc.acw.id;

	let n = 990001;
	for (const k of Object.keys(ids))
		missing[k] = n++;
});

// 2. The outsiders' own records: the positive controls of the lists.

test('the outsiders record their own: an intake (with A\'s idempotency key), a person, a case, an activity, a plan', async () => {
	// The same Idempotency-Key as A's call is another user's: a new record.
	const i = ok(await as.bop.post('/api/intakes', {
		received_at: ago(3600000), channel: 'HOTLINE_111', language: 'vi', province: '01', commune: '00008',
		summary: 'Cuộc gọi của xã B', urgency: 'normal', reporter: { anonymous: true },
	}, { headers: { 'idempotency-key': A.idempotencyKey } }), 201);
	assert.notEqual(i.id, ids.intake);
	noLeak({ text: JSON.stringify(i) }, 'B\'s intake with A\'s idempotency key');
	bIds.intake = i.id;
	bIds.person = ok(await as.bcw.post('/api/persons', { role: 'victim', identification: IDENTIFIED, sex: 'F', birth_year: 1995,
		citizenship: 'vn_citizen', province: '01', commune: '00008', full_name: 'Hà Thị Xã Bê', confirm_new: true }),
	201).id;
	bIds.case = ok(await as.binv.post('/api/cases', { title: 'Vụ của xã B', article: '150' }), 201).id;
	bIds.activity = ok(await as.bcw.post('/api/activities', { kind: 'training', title: 'Tập huấn xã B',
		started_on: vnDay(-3), ended_on: vnDay(-3), participants: 3 }), 201).id;
	const pb = ok(await as.bstat.post('/api/plans', {
		number: '3/KH-B', title: 'Kế hoạch xã B', issued_on: `${YEAR}-01-01`, period_from: `${YEAR}-01-01`,
		period_to: vnDay(365), sections: [],
		tasks: [{ number: '1', text: 'Việc của xã B', timing: { kind: 'continuous' }, lead: [{ unit_id: unit.B }] }],
	}), 201);
	bIds.plan = pb.id;
	bIds.task = pb.tasks[0].id;
	// B reports on the province's task that names it too.
	const g = ok(await as.bcw.post(`/api/plans/${ids.provPlan}/tasks/${ids.provTask}/progress`, { period: YEAR,
		status: 'in_progress', evidence: 'Tiến độ của xã B', version: 0 }));
	noLeak({ text: JSON.stringify(g) }, 'the province plan as B reported on it');
	// Another province's commune records an intake too.
	bIds.cIntake = ok(await as.cop.post('/api/intakes', {
		received_at: ago(3600000), channel: 'HOTLINE_111', language: 'vi', province: '04', commune: communeC,
		summary: 'Cuộc gọi ở Cao Bằng', urgency: 'normal', reporter: { anonymous: true },
	}), 201).id;
});

// A's records as A sees them: the reference the attacks must not change.
async function aView() {
	const get = async (c, path) => ok(await as[c].get(path));
	return {
		person: await get('acw', `/api/persons/${ids.person}`),
		minor: await get('acw', `/api/persons/${ids.minor}`),
		timeline: await get('acw', `/api/persons/${ids.person}/timeline`),
		followUps: await get('acw', '/api/follow-ups?days=366'),
		intake: await get('aop', `/api/intakes/${ids.intake}`),
		case: await get('ainv', `/api/cases/${ids.case}`),
		referral: await get('aop', `/api/referrals/${ids.referral}`),
		activity: await get('acw', `/api/activities/${ids.activity}`),
		plan: await get('astat', `/api/plans/${ids.plan}`),
		provPlan: await get('acw', `/api/plans/${ids.provPlan}`),
		report: await get('astat', `/api/reports/${ids.report}`),
	};
}

test('A sees its records whole; the reference copy is taken', async () => {
	snapshot = await aView();
	assert.equal(snapshot.intake.summary, 'MARKER-A-summary: con gái bị đưa sang biên giới');
	assert.equal(snapshot.case.title, 'MARKER-A-case-title');
	assert.equal(snapshot.referral.note, 'MARKER-A-referral-note');
	assert.equal(snapshot.activity.note, 'MARKER-A-activity-note');
	assert.equal(snapshot.plan.title, 'MARKER-A-plan-title');
	assert.equal(snapshot.report.note, 'MARKER-A-report-note');
	assert.ok(snapshot.followUps.items.some((f) => f.id === ids.followUp));
	tablesBefore = tableHashes();
});

// 3. Every route with an id, with A's ids and with missing ones.

const REASON = encodeURIComponent('Hồ sơ 2026/99: xác minh theo yêu cầu');

// [route, method, path(x), body(x)]: x is A's ids or the missing ones;
// versions are A's current ones, so that only the scope can refuse.
function idRoutes() {
	const s = snapshot;
	const pv = s.person.version;
	return [
		['GET /api/persons/{id}', 'GET', (x) => `/api/persons/${x.person}`],
		['GET /api/persons/{id}?reason=', 'GET', (x) => `/api/persons/${x.person}?reason=${REASON}`],
		['GET /api/persons/{minor}', 'GET', (x) => `/api/persons/${x.minor}`],
		['GET /api/persons/{id}/timeline', 'GET', (x) => `/api/persons/${x.person}/timeline`],
		['GET /api/persons/{id}/timeline?reason=', 'GET', (x) => `/api/persons/${x.person}/timeline?reason=${REASON}`],
		['GET /api/persons/{id}/entitlements', 'GET', (x) => `/api/persons/${x.person}/entitlements?location=in_vn`],
		['POST /api/persons/{id}/steps', 'POST', (x) => `/api/persons/${x.person}/steps`,
			() => ({ step: 'support', reason: 'B', version: pv })],
		['POST /api/persons/{id}/events', 'POST', (x) => `/api/persons/${x.person}/events`,
			() => ({ abroad: false, discovery: 'rescued', discovered_on: TODAY, purposes: ['SEX.PROSTITUTION'] })],
		['POST /api/persons/{id}/services', 'POST', (x) => `/api/persons/${x.person}/services`,
			() => ({ support: s.person.services[0].support, unit: s.person.services[0].unit, quantity: 1,
				amount_vnd: 0, note: 'B' })],
		['POST /api/persons/{id}/consents', 'POST', (x) => `/api/persons/${x.person}/consents`,
			() => ({ scope: 'media', given_by: 'self', given_on: TODAY })],
		['POST /api/persons/{id}/consents/{cid}/withdraw', 'POST',
			(x) => `/api/persons/${x.person}/consents/${x.consent}/withdraw`,
			() => ({ on: TODAY, reason: 'B rút', version: s.person.consents[0].version })],
		['POST /api/persons/{minor}/consents/{cid}/withdraw', 'POST',
			(x) => `/api/persons/${x.minor}/consents/${x.minorConsent}/withdraw`,
			() => ({ on: TODAY, reason: 'B rút', version: s.minor.consents[0].version })],
		['POST /api/persons/{id}/protection', 'POST', (x) => `/api/persons/${x.person}/protection`,
			() => ({ kind: 'escort', beneficiary: 'person', start_on: TODAY, note: 'B' })],
		['POST /api/persons/{id}/protection/{mid}/end', 'POST',
			(x) => `/api/persons/${x.person}/protection/${x.protection}/end`,
			() => ({ on: TODAY, version: s.person.protection[0].version })],
		['POST /api/persons/{id}/follow-ups', 'POST', (x) => `/api/persons/${x.person}/follow-ups`,
			() => ({ due_on: vnDay(3), note: 'B' })],
		['POST /api/persons/{id}/follow-ups/{fid}/visit', 'POST',
			(x) => `/api/persons/${x.person}/follow-ups/${x.followUp}/visit`,
			() => ({ done_on: TODAY, outcome: 'stable', note: 'B', version: s.person.follow_ups[0].version })],
		['GET /api/intakes/{id}', 'GET', (x) => `/api/intakes/${x.intake}`],
		['POST /api/intakes/{id}/classify', 'POST', (x) => `/api/intakes/${x.intake}/classify`,
			() => ({ classification: 'other', urgency: 'low', version: s.intake.version })],
		['POST /api/intakes/{id}/extend', 'POST', (x) => `/api/intakes/${x.intake}/extend`,
			() => ({ kind: 'complex', version: s.intake.version })],
		['POST /api/intakes/{id}/decide', 'POST', (x) => `/api/intakes/${x.intake}/decide`,
			() => ({ decision: 'not_initiate', note: 'B', version: s.intake.version })],
		['POST /api/intakes/{id}/resolve', 'POST', (x) => `/api/intakes/${x.intake}/resolve`,
			() => ({ resolution: 'B', version: s.intake.version })],
		['POST /api/intakes/{id}/persons', 'POST', (x) => `/api/intakes/${x.intake}/persons`,
			() => ({ person: { role: 'victim', identification: IDENTIFIED, sex: 'F', birth_year: 1990, citizenship: 'vn_citizen', province: '01',
				full_name: 'Người Thử Của Kẻ Khác' }, confirm_new: true })],
		['POST /api/intakes/{id}/case', 'POST', (x) => `/api/intakes/${x.intake}/case`,
			() => ({ article: '150', title: 'B' })],
		['GET /api/cases/{id}', 'GET', (x) => `/api/cases/${x.case}`],
		['POST /api/cases/{id}/stage', 'POST', (x) => `/api/cases/${x.case}/stage`,
			() => ({ to: 'investigated', on: TODAY, version: s.case.version })],
		['POST /api/cases/{id}/edit', 'POST', (x) => `/api/cases/${x.case}/edit`,
			() => ({ title: 'B', version: s.case.version })],
		['POST /api/cases/{id}/offenders', 'POST', (x) => `/api/cases/${x.case}/offenders`,
			() => ({ role: 'broker', version: s.case.version })],
		['POST /api/cases/{id}/victims', 'POST', (x) => `/api/cases/${x.case}/victims`,
			() => ({ person_id: bIds.person, version: s.case.version })],
		['POST /api/cases/{id}/intakes', 'POST', (x) => `/api/cases/${x.case}/intakes`,
			() => ({ intake_id: bIds.intake, version: s.case.version })],
		['GET /api/referrals/{id}', 'GET', (x) => `/api/referrals/${x.referral}`],
		...['accept', 'refuse', 'complete', 'withdraw'].map((step) => [`POST /api/referrals/{id}/${step}`, 'POST',
			(x) => `/api/referrals/${x.referral}/${step}`, () => ({ version: s.referral.version, reason: 'B' })]),
		['GET /api/activities/{id}', 'GET', (x) => `/api/activities/${x.activity}`],
		['POST /api/activities/{id}/edit', 'POST', (x) => `/api/activities/${x.activity}/edit`,
			() => ({ kind: 'training', title: 'B', started_on: vnDay(-3), ended_on: vnDay(-3), participants: 1,
				version: s.activity.version })],
		['GET /api/plans/{id}', 'GET', (x) => `/api/plans/${x.plan}`],
		['GET /api/plans/{id}/rollup', 'GET', (x) => `/api/plans/${x.plan}/rollup?period=${YEAR}`],
		['GET /api/plans/{id}/export', 'GET', (x) => `/api/plans/${x.plan}/export?format=json`],
		['POST /api/plans/{id}/cascade', 'POST', (x) => `/api/plans/${x.plan}/cascade`,
			(x) => ({ task_ids: [x.task], number: 'B', title: 'B', issued_on: TODAY, period_from: `${YEAR}-01-01`,
				period_to: vnDay(365) })],
		['POST /api/plans/{id}/tasks/{tid}', 'POST', (x) => `/api/plans/${x.plan}/tasks/${x.task}`,
			() => ({ text: 'B', timing: { kind: 'continuous' }, lead: [{ all_units: true }], version: s.plan.version })],
		['POST /api/plans/{id}/tasks/{tid}/progress', 'POST', (x) => `/api/plans/${x.plan}/tasks/${x.task}/progress`,
			() => ({ period: YEAR, status: 'done', evidence: 'B', version: 1 })],
		['GET /api/reports/{id}', 'GET', (x) => `/api/reports/${x.report}`],
		['GET /api/reports/{id}/submissions/{n}', 'GET', (x) => `/api/reports/${x.report}/submissions/1`],
		['POST /api/reports/{id}/review', 'POST', (x) => `/api/reports/${x.report}/review`,
			() => ({ decision: 'return', comment: 'B', version: s.report.version })],
		['POST /api/users/{id}/disable', 'POST', (x) => `/api/users/${x.user}/disable`],
		['POST /api/users/{id}/reset-password', 'POST', (x) => `/api/users/${x.user}/reset-password`],
	];
}

function call(client, method, path, body) {
	return method === 'GET' ? client.get(path) : client.post(path, body ?? {});
}

// Each outsider allowed by whom ('all' or a list) calls each route with
// A's ids and with ids nothing has: the answers must be the same and hold
// nothing of A's. rows: [route, whom, method, path(x), body(x)].
async function refusedAsMissing(rows) {
	const failures = [];
	await Promise.all(OUT.map(async (who) => {
		for (const [route, whom, method, path, body] of rows) {
			if (whom !== 'all' && !whom.includes(who))
				continue;
			const r = await call(as[who], method, path(ids), body?.(ids));
			const m = await call(as[who], method, path(missing), body?.(missing));
			try {
				noLeak(r, `${route} as ${who}`);
				sameAnswer(r, m, `${route} as ${who}`);
			} catch (e) {
				failures.push(e.message);
			}
		}
	}));
	assert.deepEqual(failures, []);
}

test('every route with an id: A\'s records answer the outsiders as records that do not exist, with nothing of A\'s', async () => {
	await refusedAsMissing(idRoutes().map(([route, method, path, body]) => [route, 'all', method, path, body]));
});

// 4. A's ids inside the outsiders' own requests and records.

// [route, who (a list or 'all'), method, path(x), body(x)]: x is A's ids or
// the missing ones.
function crossRoutes() {
	const planBody = (extra) => ({
		number: '9/KH', title: 'Kế hoạch thử', issued_on: TODAY, period_from: `${YEAR}-01-01`, period_to: vnDay(365),
		sections: [], tasks: [{ number: '1', text: 'Việc', timing: { kind: 'continuous' }, lead: [{ all_units: true }],
			...extra.task }], ...extra.plan,
	});
	const minor = (x) => ({ role: 'accompanying_minor', accompanies_id: x.person, sex: 'F', citizenship: 'vn_citizen',
		province: '01', full_name: 'Trẻ Em Thử Phạm Vi', birth_date: '2019-01-01', confirm_new: true });
	return [
		['POST /api/persons {accompanies_id: A\'s}', OUT, 'POST', () => '/api/persons', minor],
		['POST /api/referrals {person: A\'s}', OUT, 'POST', () => '/api/referrals',
			(x) => ({ object_type: 'person', object_id: x.person, to_unit_id: unit['HEALTH 01'], note: 'B' })],
		['POST /api/referrals {intake: A\'s}', OUT, 'POST', () => '/api/referrals',
			(x) => ({ object_type: 'intake', object_id: x.intake, to_unit_id: unit['HEALTH 01'], note: 'B' })],
		['POST /api/cases/{B\'s}/victims {person_id: A\'s}', B_UNIT, 'POST', () => `/api/cases/${bIds.case}/victims`,
			(x) => ({ person_id: x.person, version: 1 })],
		['POST /api/cases/{B\'s}/intakes {intake_id: A\'s}', B_UNIT, 'POST', () => `/api/cases/${bIds.case}/intakes`,
			(x) => ({ intake_id: x.intake, version: 1 })],
		['POST /api/plans {parent_plan_id: A\'s}', OUT, 'POST', () => '/api/plans',
			(x) => planBody({ plan: { parent_plan_id: x.plan } })],
		['POST /api/plans {source_task_id: A\'s}', OUT, 'POST', () => '/api/plans',
			(x) => planBody({ plan: { parent_plan_id: ids.provPlan }, task: { source_task_id: x.task } })],
		['POST /api/plans/{province\'s}/tasks/{A\'s}/progress', OUT, 'POST',
			(x) => `/api/plans/${ids.provPlan}/tasks/${x.task}/progress`,
			() => ({ period: YEAR, status: 'done', evidence: 'B', version: 1 })],
		['POST /api/plans/{province\'s}/tasks/{t}/progress {activity_ids: A\'s}', OUT, 'POST',
			() => `/api/plans/${ids.provPlan}/tasks/${ids.provTask}/progress`,
			(x) => ({ period: YEAR, status: 'in_progress', activity_ids: [x.activity], version: 1 })],
		['POST /api/plans/{province\'s}/tasks/{t}/progress {report_ids: A\'s}', OUT, 'POST',
			() => `/api/plans/${ids.provPlan}/tasks/${ids.provTask}/progress`,
			(x) => ({ period: YEAR, status: 'in_progress', report_ids: [x.report], version: 1 })],
		['POST /api/plans/{B\'s}/tasks/{A\'s}', B_UNIT, 'POST', (x) => `/api/plans/${bIds.plan}/tasks/${x.task}`,
			() => ({ text: 'B', timing: { kind: 'continuous' }, lead: [{ all_units: true }], version: 1 })],
		['POST /api/plans/{B\'s}/tasks/{A\'s}/progress', B_UNIT, 'POST',
			(x) => `/api/plans/${bIds.plan}/tasks/${x.task}/progress`,
			() => ({ period: YEAR, status: 'done', evidence: 'B', version: 0 })],
		['POST /api/persons/{B\'s}/consents/{A\'s}/withdraw', B_UNIT, 'POST',
			(x) => `/api/persons/${bIds.person}/consents/${x.consent}/withdraw`,
			() => ({ on: TODAY, reason: 'B', version: 1 })],
		['POST /api/persons/{B\'s}/protection/{A\'s}/end', B_UNIT, 'POST',
			(x) => `/api/persons/${bIds.person}/protection/${x.protection}/end`, () => ({ on: TODAY, version: 1 })],
		['POST /api/persons/{B\'s}/follow-ups/{A\'s}/visit', B_UNIT, 'POST',
			(x) => `/api/persons/${bIds.person}/follow-ups/${x.followUp}/visit`,
			() => ({ done_on: TODAY, outcome: 'stable', version: 1 })],
	];
}

test('A\'s ids inside the outsiders\' own requests: refused as ids that do not exist', async () => {
	await refusedAsMissing(crossRoutes());
});

// 5. Lists, searches, KPIs and statistics.

const Y = `from=${YEAR}-01-01&to=${YEAR}-12-31`;

// [path, the ids of A's records an answer must not list, from its body].
function listRoutes() {
	const items = (b) => b.items ?? [];
	const idsOf = (b) => items(b).map((x) => x.id);
	return [
		['/api/persons?limit=200', (b) => idsOf(b)],
		[`/api/persons?limit=200&reason=${REASON}`, (b) => idsOf(b)],
		['/api/persons?q=lo%20thi%20bi%20mat', (b) => idsOf(b)],
		[`/api/persons?q=${encodeURIComponent(A.minorName)}&reason=${REASON}`, (b) => idsOf(b)],
		[`/api/persons?citizen_id=${A.cid}&reason=${REASON}`, (b) => idsOf(b)],
		[`/api/persons?phone=${A.phoneDigits}&reason=${REASON}`, (b) => idsOf(b)],
		['/api/persons?commune=00004&limit=200', (b) => idsOf(b)],
		['/api/intakes?limit=200', (b) => idsOf(b)],
		['/api/intakes?due=overdue', (b) => idsOf(b)],
		['/api/intakes?due=soon', (b) => idsOf(b)],
		...[A.reporterDigits, A.mentionedDigits, A.phoneDigits].map((ph) => [`/api/intakes/repeat?phone=${ph}`,
			(b) => [...(b.intakes ?? []).map((x) => x.id), ...(b.persons ?? []).map((x) => x.id)]]),
		['/api/cases?limit=200', (b) => idsOf(b)],
		['/api/referrals?box=in', (b) => idsOf(b)],
		['/api/referrals?box=out', (b) => idsOf(b)],
		['/api/follow-ups?days=366', (b) => [...idsOf(b), ...items(b).map((x) => x.person_id)]],
		['/api/activities?limit=200', (b) => idsOf(b)],
		['/api/plans', (b) => idsOf(b)],
		['/api/plans/due?days=366', (b) => [...items(b).map((x) => x.plan_id), ...items(b).map((x) => x.task_id)]],
		[`/api/plans/${ids.provPlan}`, () => []],
		[`/api/plans/${ids.provPlan}/rollup?period=${YEAR}`, () => []],
		[`/api/plans/${ids.provPlan}/export?format=json`, () => []],
		['/api/reports/reminders', () => []],
		['/api/reports/completeness?form=BC_XA_6T&period=2026-H1', () => []],
		['/api/reports/completeness?form=BC_TINH_6T&period=2026-H1', () => []],
		['/api/audit?limit=500', () => []],
		['/api/units', () => []],
		[`/api/kpi/intakes?${Y}`, () => []],
		[`/api/kpi/cases?${Y}`, () => []],
		['/api/stats/indicators', () => []],
		[`/api/stats/values?indicator=V_RECEIVED&${Y}&by=sex`, () => []],
		[`/api/stats/values?indicator=INT_RECEIVED&${Y}&by=commune`, () => []],
		['/api/stats/trend?indicator=V_RECEIVED&period_type=quarter&count=4', () => []],
	];
}

// The A ids each list must leave out (persons, intakes, ... as one set:
// an id of another kind that happens to be equal is filtered by kind in
// listRoutes already).
function aIdsFor(path) {
	if (path.startsWith('/api/persons') || path.startsWith('/api/follow-ups'))
		return [ids.person, ids.minor, ids.followUp];
	if (path.startsWith('/api/intakes/repeat'))
		return [ids.intake, ids.person, ids.minor];
	if (path.startsWith('/api/intakes'))
		return [ids.intake];
	if (path.startsWith('/api/cases'))
		return [ids.case];
	if (path.startsWith('/api/referrals'))
		return [ids.referral];
	if (path.startsWith('/api/activities'))
		return [ids.activity];
	if (path.startsWith('/api/plans'))
		return [ids.plan, ids.task];
	return [];
}

test('lists, searches, KPIs and statistics: none of A\'s records or secrets', async () => {
	const failures = [];
	await Promise.all(OUT.map(async (who) => {
		for (const [path, listed] of listRoutes()) {
			const r = await as[who].get(path);
			const route = `GET ${path.replace(/\?.*/, '').replace(String(ids.provPlan), '{province plan}')}`;
			try {
				assert.ok(r.status === 200 || r.status === 403 || r.status === 404, `${path} as ${who}: ${r.status} ${r.text}`);
				noLeak(r, `${path} as ${who}`);
				if (r.status === 200 && r.body !== null) {
					const bad = listed(r.body).filter((id) => aIdsFor(path).includes(id));
					assert.deepEqual(bad, [], `${path} as ${who} lists A's records`);
				}
			} catch (e) {
				failures.push(e.message);
			}
		}
	}));
	assert.deepEqual(failures, []);
});

test('the outsiders\' lists hold their own records (the lists above were not empty by accident)', async () => {
	const idsOf = async (c, path) => ok(await as[c].get(path)).items.map((x) => x.id);
	assert.ok((await idsOf('bop', '/api/intakes')).includes(bIds.intake));
	assert.ok((await idsOf('bcw', '/api/persons?limit=200')).includes(bIds.person));
	assert.ok((await idsOf('binv', '/api/cases')).includes(bIds.case));
	assert.ok((await idsOf('bcw', '/api/activities')).includes(bIds.activity));
	assert.ok((await idsOf('bstat', '/api/plans')).includes(bIds.plan));
	assert.ok((await idsOf('cop', '/api/intakes')).includes(bIds.cIntake));
	// B sees the province's plan with its own progress, not A's.
	const prov = ok(await as.bcw.get(`/api/plans/${ids.provPlan}`));
	const entries = prov.tasks[0].progress;
	assert.ok(entries.some((g) => g.evidence === 'Tiến độ của xã B'), JSON.stringify(entries));
	assert.ok(!entries.some((g) => g.unit_id === unit.A), JSON.stringify(entries));
	// So does the plan's export.
	const exported = ok(await as.bcw.get(`/api/plans/${ids.provPlan}/export?format=json`)).tasks[0].progress;
	assert.deepEqual(exported.map((g) => g.unit_id), [unit.B]);
	// Nor does its roll-up by unit: a unit's counts are its progress.
	const rollup = ok(await as.bcw.get(`/api/plans/${ids.provPlan}/rollup?period=${YEAR}`));
	assert.deepEqual(rollup.by_unit.map((u) => u.unit_id), [unit.B]);
	// Nor its coverage: B does not learn that A made a plan from the task.
	assert.ok(prov.tasks.every((t) => !t.coverage.places.includes('00004')), JSON.stringify(prov.tasks));
});

test('the outsiders\' counts are their own: A\'s records add nothing to them', async () => {
	// B has one intake, one person (received today) and one case (a lead);
	// province 04 one intake (of communeC), no person, no case.
	for (const who of OUT) {
		const k = await as[who].get(`/api/kpi/intakes?${Y}`);
		if (k.status === 200)
			assert.equal(k.body.received, 1, `kpi/intakes as ${who}: ${k.text}`);
		const c = await as[who].get(`/api/kpi/cases?${Y}`);
		if (c.status === 200)
			assert.equal(c.body.counts.initiated, 0, `kpi/cases as ${who}: ${c.text}`);
		const v = await as[who].get(`/api/stats/values?indicator=V_RECEIVED&${Y}`);
		if (v.status === 200)
			assert.equal(v.body.total, B_UNIT.includes(who) ? 1 : 0, `V_RECEIVED as ${who}: ${v.text}`);
	}
	// A's own counts do hold its records (the checks above can fail).
	assert.equal(ok(await as.aop.get(`/api/kpi/intakes?${Y}`)).received, 1);
	assert.equal(ok(await as.ainv.get(`/api/kpi/cases?${Y}`)).counts.initiated, 1);
	assert.equal(ok(await as.astat.get(`/api/stats/values?indicator=V_RECEIVED&${Y}`)).total, 1);
});

test('asking for A\'s place by name: 403, and nothing of A\'s', async () => {
	const asks = [
		'/api/reports?form=BC_XA_6T&period=2026-H1&place=00004',
		'/api/reports/export?form=BC_XA_6T&period=2026-H1&place=00004&format=json',
		'/api/reports/completeness?form=BC_XA_6T&period=2026-H1&province=01',
		`/api/stats/values?indicator=V_RECEIVED&${Y}&commune=00004`,
		`/api/stats/values?indicator=V_RECEIVED&${Y}&province=01`,
		'/api/stats/trend?indicator=V_RECEIVED&period_type=quarter&count=4&commune=00004',
		`/api/kpi/cases?${Y}&unit=${unit.A}`,
		`/api/kpi/cases?${Y}&province=01`,
		`/api/kpi/intakes?${Y}&province=01`,
		'/api/activities?commune=00004',
		'/api/activities?province=01',
	];
	const failures = [];
	await Promise.all(OUT.map(async (who) => {
		for (const path of asks) {
			const r = await as[who].get(path);
			try {
				// Province 01 is B's province too: B's units may name it
				// and get their own activities, none of A's.
				const own = B_UNIT.includes(who) && path === '/api/activities?province=01' && r.status === 200 &&
					r.body.items.every((x) => x.unit_id === unit.B);
				assert.ok(r.status === 403 || r.status === 400 || own,
					`${path} as ${who}: ${r.status} ${r.text.slice(0, 300)}`);
				noLeak(r, `${path} as ${who}`);
			} catch (e) {
				failures.push(e.message);
			}
		}
		const s = await as[who].post('/api/reports/submit', { form: 'BC_XA_6T', period: '2026-H1', place: '00004',
			note: 'B', version: 1 });
		try {
			assert.ok(s.status === 403 || s.status === 400, `submit for A as ${who}: ${s.status} ${s.text}`);
			noLeak(s, `submit for A as ${who}`);
		} catch (e) {
			failures.push(e.message);
		}
	}));
	assert.deepEqual(failures, []);
});

// 6. Nothing changed.

test('A\'s records read the same to A afterwards, and no table of records changed', async () => {
	const now = await aView();
	for (const k of Object.keys(snapshot))
		assert.deepEqual(now[k], snapshot[k], `${k} changed`);
	const tables = tableHashes();
	const changed = Object.keys(tables).filter((t) => tables[t] !== tablesBefore[t]);
	assert.deepEqual(changed, [], 'tables changed by the outsiders\' requests');
	// Nor can A's records be found changed in the database directly.
	assert.equal(sqlite(db, `select count(*) from consent where withdrawn_on is not null`), '0');
	assert.equal(sqlite(db, `select count(*) from access_grant where unit_id != ${unit['HEALTH 01']}`), '0');
});

// 7. The audit log.

test('A\'s reads and writes of identified data are audited', async () => {
	const has = (items, objectId, what) => assert.ok(items.some((e) => e.object_id === String(objectId)
		&& e.outcome === 'ok'), `no ${what} entry on ${objectId}: ${JSON.stringify(items.slice(0, 5))}`);
	has(await audit({ action: 'person.read', user: 'sc-acw' }), ids.person, 'person.read');
	has(await audit({ action: 'person.search', user: 'sc-acw' }), ids.person, 'person.search');
	has(await audit({ action: 'intake.read', user: 'sc-aop' }), ids.intake, 'intake.read');
	has(await audit({ action: 'case.read', user: 'sc-ainv' }), ids.case, 'case.read');
	for (const action of ['person.consent', 'person.protection', 'person.follow_up', 'person.step', 'person.event'])
		has(await audit({ action, user: 'sc-acw' }), ids.person, action);
	has(await audit({ action: 'case.offender_add', user: 'sc-ainv' }), ids.case, 'case.offender_add');
	has(await audit({ action: 'case.victim_link', user: 'sc-ainv' }), ids.case, 'case.victim_link');
	has(await audit({ action: 'referral.send', user: 'sc-aop' }), ids.intake, 'referral.send');
	has(await audit({ action: 'activity.create', user: 'sc-acw' }), ids.activity, 'activity.create');
	has(await audit({ action: 'plan.create', user: 'sc-astat' }), ids.plan, 'plan.create');
	has(await audit({ action: 'report.submit', user: 'sc-astat' }), ids.report, 'report.submit');
	// A's reads of the records after the attacks were audited too: the
	// attacks did not stop the log.
	const reads = await audit({ action: 'person.read', user: 'sc-acw' });
	assert.ok(reads.filter((e) => e.object_id === String(ids.person)).length >= 4, JSON.stringify(reads.slice(0, 6)));
});

test('a write refused for a record it names is audited as denied, for A\'s id and a missing one alike', async () => {
	// [action, object type, key of ids]: a path id, or an id in the body.
	const refusals = [
		...['classify', 'extend', 'decide', 'resolve', 'person'].map((a) => [`intake.${a}`, 'intake', 'intake']),
		['case.create', 'intake', 'intake'],
		...['stage', 'update', 'offender_add', 'victim_link', 'intake_link'].map((a) => [`case.${a}`, 'case', 'case']),
		['case.victim_link', 'person', 'person'],
		['case.intake_link', 'intake', 'intake'],
		...['accept', 'refuse', 'complete', 'withdraw'].map((a) => [`referral.${a}`, 'referral', 'referral']),
		['referral.send', 'person', 'person'],
		['referral.send', 'intake', 'intake'],
		['person.create', 'person', 'person'],
		['person.step', 'person', 'person'],
	];
	const lacking = [];
	for (const action of new Set(refusals.map(([a]) => a))) {
		const denied = new Set((await audit({ action, outcome: 'denied' }))
			.filter((e) => OUT.includes(e.username.replace(/^sc-/, '')))
			.map((e) => `${e.object_type}:${e.object_id}`));
		for (const [a, type, key] of refusals)
			for (const x of a === action ? [ids, missing] : [])
				if (!denied.has(`${type}:${x[key]}`))
					lacking.push(`${action} ${type}:${x[key]}${x === missing ? ' (missing)' : ''}`);
	}
	assert.deepEqual(lacking, []);
});

test('the outsiders have no successful entry on A\'s records, cannot read the log, and the chain is intact', async () => {
	const aKeys = new Set([`person:${ids.person}`, `person:${ids.minor}`, `intake:${ids.intake}`, `case:${ids.case}`,
		`activity:${ids.activity}`, `plan:${ids.plan}`, `plan_task:${ids.task}`, `report:${ids.report}`,
		`user:${ids.user}`, `referral:${ids.referral}`]);
	const bad = [];
	for (const who of OUT) {
		const mine = await audit({ user: `sc-${who}` });
		for (const e of mine)
			if (e.outcome === 'ok' && aKeys.has(`${e.object_type}:${e.object_id}`))
				bad.push(`${who}: ${e.action} ${e.object_type} ${e.object_id}`);
		noLeak({ text: JSON.stringify(mine) }, `the audit entries of ${who}`);
		const r = await as[who].get('/api/audit');
		assert.equal(r.status, 403, `${who} reads the audit log: ${r.text.slice(0, 200)}`);
	}
	assert.deepEqual(bad, []);
	const v = await run(['audit', 'verify', '--db', db, '--key', key]);
	assert.equal(v.code, 0, v.stderr);
	assert.match(v.stdout, /intact/);
});

// 8. Beyond commune B.

test('a province handler learns nothing of A\'s intakes or persons from a phone number without a reason', async () => {
	// Hà Nội's police case worker may read A's person with a stated
	// reason; without one, a search by phone finds nothing (access.c), and
	// province handlers see no commune intake unless it is referred.
	const failures = [];
	for (const ph of [A.phoneDigits, A.reporterDigits, A.mentionedDigits]) {
		const s = ok(await as.hncw.get(`/api/persons?phone=${ph}`));
		assert.deepEqual(s.items, [], `GET /api/persons?phone=${ph}`);
		const r = await as.hncw.get(`/api/intakes/repeat?phone=${ph}`);
		assert.equal(r.status, 200, r.text);
		if (r.body.intakes.length > 0 || r.body.persons.length > 0)
			failures.push(`GET /api/intakes/repeat?phone=${ph} as a province case worker without a reason: ${r.text}`);
	}
	// The intake itself is not the province case worker's to see.
	assert.equal((await as.hncw.get(`/api/intakes/${ids.intake}`)).status, 404);
	assert.deepEqual(failures, []);
});

test('registering A\'s victim in another commune or province raises no duplicate warning naming A\'s', async () => {
	for (const [who, province, commune] of [['bcw', '01', '00008'], ['ccw', '04', communeC]]) {
		const r = await as[who].post('/api/persons', { role: 'victim', identification: IDENTIFIED, sex: 'F', birth_date: '1999-07-21',
			citizenship: 'vn_citizen', nationality: 'VN', province, commune, full_name: A.name, citizen_id: A.cid });
		assert.equal(r.status, 201, `${who}: ${r.text}`);
		assert.notEqual(r.body.id, ids.person);
		assert.ok(!JSON.stringify(r.body).includes(snapshot.person.pseudonym));
	}
});

test('a province case worker registering A\'s victim gets no duplicate warning without a reason, and no search is logged', async () => {
	const r = await as.hncw.post('/api/persons', { role: 'victim', identification: IDENTIFIED, sex: 'F', birth_date: '1999-07-21',
		citizenship: 'vn_citizen', nationality: 'VN', province: '01', commune: '00008', full_name: A.name,
		citizen_id: A.cid });
	assert.equal(r.status, 201, r.text);
	assert.ok(!JSON.stringify(r.body).includes(snapshot.person.pseudonym));
	// The same question as a search by citizen ID, which needs a reason.
	assert.deepEqual(ok(await as.hncw.get(`/api/persons?citizen_id=${A.cid}`)).items.map((x) => x.id), [r.body.id]);
	const found = await audit({ action: 'person.search', user: 'sc-hncw' });
	assert.ok(!found.some((e) => e.object_id === String(ids.person)), JSON.stringify(found));
	// Its own registration, once more, warns of itself: the check works.
	const again = await as.hncw.post('/api/persons', { role: 'victim', identification: IDENTIFIED, sex: 'F', birth_date: '1999-07-21',
		citizenship: 'vn_citizen', nationality: 'VN', province: '01', commune: '00008', full_name: A.name,
		citizen_id: A.cid });
	assert.equal(again.status, 409, again.text);
	assert.deepEqual(again.body.candidates.map((x) => x.id), [r.body.id]);
});
