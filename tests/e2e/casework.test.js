// casework.test.js: issue 5's victim casework against the real binary on
// 127.0.0.1: the process state machine from reception to reintegration
// (and its refused transitions), support services checked against the
// entitlement matrix of Law 53/2024 Art. 37 and the dated limits of the
// 2011 and 2024 regimes, consents, protection, follow-up visits, the
// duplicate warning, the search filters, the timeline, scope on every
// endpoint, secrecy of notes at rest and in the log, and bad input.
//
// One database and one server for the whole file; the users sign in once
// (before()) and the tests run in order, each on persons of its own.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { DATA, IDENTIFIED, initDb, sqlite, startServer, stopOk } from './lib.js';
import { addOrg, addUser, ok, problem, signIn } from './users.js';

let db;
let key;
let server;
const acc = {}; // accounts from `ctip user add`
const as = {}; // their signed-in Clients
let missingId; // an id no person has

// --- dates (Viet Nam's days, UTC+7, as the server counts them) ---

const iso = (d) => d.toISOString().slice(0, 10);
const today = () => iso(new Date(Date.now() + 7 * 3600000));
// The day in Viet Nam of a date or a UTC timestamp (a timeline's order).
const vnDay = (on) => (on.length > 10 ? iso(new Date(Date.parse(on) + 7 * 3600000)) : on);
function addDays(date, n) {
	const d = new Date(`${date}T12:00:00Z`);
	d.setUTCDate(d.getUTCDate() + n);
	return iso(d);
}

// --- the reference data, read independently of the server ---

// Rows of a CSV file (RFC 4180 quoting) as objects keyed by the header.
function readCsv(file) {
	const text = fs.readFileSync(path.join(DATA, file), 'utf8');
	const rows = [];
	let row = [];
	let field = '';
	let quoted = false;
	for (let i = 0; i < text.length; i++) {
		const c = text[i];
		if (quoted) {
			if (c === '"' && text[i + 1] === '"') {
				field += '"';
				i++;
			} else if (c === '"') {
				quoted = false;
			} else {
				field += c;
			}
		} else if (c === '"') {
			quoted = true;
		} else if (c === ',') {
			row.push(field);
			field = '';
		} else if (c === '\n' || c === '\r') {
			if (c === '\r' && text[i + 1] === '\n')
				i++;
			row.push(field);
			field = '';
			if (row.length > 1 || row[0] !== '')
				rows.push(row);
			row = [];
		} else {
			field += c;
		}
	}
	if (field !== '' || row.length > 0) {
		row.push(field);
		rows.push(row);
	}
	const [head, ...body] = rows;
	return body.map((r) => Object.fromEntries(head.map((h, i) => [h, r[i] ?? ''])));
}

const SUPPORT_CODES = readCsv('support-types.csv').map((r) => r.code);
const MATRIX = new Map(); // "code role citizenship location" -> row
for (const r of readCsv('support-entitlements.csv'))
	MATRIX.set(`${r.support_code} ${r.person_role} ${r.citizenship} ${r.location}`, r);
const AMOUNTS = readCsv('support-amounts.csv');

function cell(code, role, citizenship, location) {
	const r = MATRIX.get(`${code} ${role} ${citizenship} ${location}`);
	assert.ok(r, `support-entitlements.csv has no row ${code} ${role} ${citizenship} ${location}`);
	assert.ok(r.entitled === 'yes' || r.entitled === 'no', JSON.stringify(r));
	return { entitled: r.entitled === 'yes', legal_basis: r.legal_basis };
}

// The dated parameters of code on date, as the API shows them (by unit).
function limitsOn(code, date) {
	return AMOUNTS.filter((r) => r.support_code === code && r.valid_from <= date &&
		(r.valid_to === '' || r.valid_to >= date))
		.map((r) => ({
			unit: r.unit, amount_vnd: r.amount_vnd === '' ? null : Number(r.amount_vnd),
			max_units: r.max_units === '' ? null : Number(r.max_units), used: 0, legal_basis: r.legal_basis,
		}))
		.sort((a, b) => (a.unit < b.unit ? -1 : a.unit > b.unit ? 1 : 0));
}

// A unit each support type is counted in (the 2024 regime's first, else one
// of the free list).
function unitOf(code) {
	return limitsOn(code, today())[0]?.unit ?? 'session';
}

// The entitlements a person should have, computed from the CSV files: the
// cell of its role and citizenship at location; a minor gets the minor's
// cell with the adult's citizenship and never more than the adult.
function expectedEntitlements(p, adult, location) {
	const citizenship = adult ? adult.citizenship : p.citizenship;
	const out = {};
	for (const code of SUPPORT_CODES) {
		const own = cell(code, p.role, citizenship, location);
		const theirs = adult ? cell(code, adult.role, citizenship, location) : { entitled: true };
		out[code] = { entitled: own.entitled && theirs.entitled, legal_basis: own.legal_basis };
	}
	return out;
}

// --- answers ---

// Two 404 answers tell nothing apart: same status, content type, keys,
// code, and the same text once each asked id is blanked out.
function sameNotFound(a, aId, b, bId, what) {
	problem(a, 404, 'not_found');
	problem(b, 404, 'not_found');
	assert.equal(a.headers.get('content-type'), b.headers.get('content-type'), what);
	assert.deepEqual(Object.keys(a.body).sort(), Object.keys(b.body).sort(), what);
	const blank = (r, id) => r.text.replaceAll(String(id), 'ID');
	assert.equal(blank(a, aId), blank(b, bId), what);
}

// --- persons ---

let seq = 0;
const GIVEN = ['Lan', 'Huệ', 'Mai', 'Đào', 'Cúc', 'Hồng', 'Trúc', 'Quỳnh', 'Thảo', 'Nhung', 'Oanh', 'Yến'];
const FAMILY = ['Nguyễn', 'Trần', 'Lê', 'Phạm', 'Hoàng', 'Vũ', 'Võ', 'Đặng', 'Bùi', 'Đỗ', 'Hồ', 'Ngô'];
const MIDDLE = ['Thị', 'Ngọc', 'Thu', 'Minh', 'Kim', 'Thanh', 'Bích', 'Diệu', 'Hải', 'Khánh', 'Phương', 'Xuân'];

// A name no other person of the file has.
function uniqueName() {
	const n = seq++;
	return `${FAMILY[n % 12]} ${MIDDLE[Math.floor(n / 12) % 12]} ${GIVEN[Math.floor(n / 144) % 12]} ` +
		`${GIVEN[(n * 7 + 3) % 12]}${['', ' Anh', ' Châu', ' Dung'][Math.floor(n / 1728) % 4]}`;
}

function adultInput(extra = {}) {
	return {
		role: 'under_identification', sex: 'F', birth_year: 1996, citizenship: 'vn_citizen', nationality: 'VN',
		province: '01', commune: '00004', full_name: uniqueName(), confirm_new: true, ...extra,
	};
}

function minorInput(adultId, extra = {}) {
	return {
		role: 'accompanying_minor', accompanies_id: adultId, sex: 'M', birth_date: '2016-04-02',
		citizenship: 'vn_citizen', nationality: 'VN', province: '01', commune: '00004', full_name: uniqueName(),
		confirm_new: true, ...extra,
	};
}

async function register(client, body) {
	return ok(await client.post('/api/persons', body), 201);
}

async function getPerson(client, id, query = '') {
	return ok(await client.get(`/api/persons/${id}${query}`));
}

// A step on person id as the version the client sees now.
async function step(client, id, name, extra = {}) {
	const p = await getPerson(client, id);
	return client.post(`/api/persons/${id}/steps`, { step: name, version: p.version, ...extra });
}

async function stepOk(client, id, name, extra = {}) {
	return ok(await step(client, id, name, extra), 201);
}

function identification(date, number = 'Số 17/XN-BĐBP') {
	return {
		evidence: ['a', 'dd'],
		document: { type: 'rescue_confirmation', issuer: 'Đồn Biên phòng cửa khẩu Lào Cai', number, date },
	};
}

function service(client, id, support, extra = {}) {
	return client.post(`/api/persons/${id}/services`, {
		support, unit: unitOf(support), quantity: 1, amount_vnd: 0, ...extra,
	});
}

async function entitlements(client, id, location) {
	const r = ok(await client.get(`/api/persons/${id}/entitlements?location=${location}`));
	assert.equal(r.location, location);
	assert.deepEqual(r.items.map((e) => e.support).sort(), [...SUPPORT_CODES].sort());
	return Object.fromEntries(r.items.map((e) => [e.support, e]));
}

const ledger = (id) => sqlite(db, `select count(*) || ':' || coalesce(sum(quantity), 0) || ':' ||
	coalesce(sum(amount_vnd), 0) from support_service where person_id = ${Number(id)}`);

// Row counts of every casework table, to see that refused calls change
// nothing.
const TABLES = ['person_step', 'trafficking_event', 'consent', 'support_service', 'protection_measure',
	'follow_up'];
function counts() {
	return Object.fromEntries(TABLES.map((t) => [t, Number(sqlite(db, `select count(*) from ${t}`))]));
}

async function audit(query) {
	const r = await as.aud.get(`/api/audit?${new URLSearchParams({ limit: '500', ...query })}`);
	return ok(r).items;
}

// The next steps each status allows, straight from docs/api.md.
const NEXT = {
	adult: {
		received: ['verify', 'identify', 'reject', 'close'],
		verifying: ['identify', 'reject', 'close'],
		identified: ['protect', 'support', 'reintegrate', 'close'],
		protection: ['support', 'reintegrate', 'close'],
		support: ['protect', 'reintegrate', 'close'],
		reintegration: ['close'],
		closed: ['reopen'],
		not_victim: ['reopen'],
	},
	minor: {
		received: ['protect', 'support', 'reintegrate', 'close'],
		protection: ['support', 'reintegrate', 'close'],
		support: ['protect', 'reintegrate', 'close'],
		reintegration: ['close'],
		closed: ['reopen'],
	},
};

// Notes that must never be stored or logged in plain text: each holds an
// ASCII marker, found whatever the normalisation of the rest.
const SECRET = {
	verifyReason: 'Sở Y tế nhận hồ sơ, MARK-VERIFY-REASON-4417',
	docNumber: 'QĐ-MARK-DOCNUM-9921/BĐBP',
	closeReason: 'Đã tái hòa nhập ổn định MARK-CLOSE-REASON-3310',
	reopenReason: 'Đối tượng quay lại đe dọa MARK-REOPEN-REASON-5521',
	contacts: 'Chị gái Nguyễn Thị Gấm, MARK-CONTACTS-7781',
	representative: 'Mẹ đẻ Lò Thị Xuân, MARK-REPRESENTATIVE-6613',
	withdrawal: 'Không muốn chia sẻ nữa MARK-WITHDRAWAL-2290',
	serviceNote: 'Khám phụ khoa, MARK-SERVICE-NOTE-8843',
	override: 'Giám đốc Sở quyết định MARK-OVERRIDE-1174',
	protectionNote: 'Canh gác nhà số 12, MARK-PROTECTION-NOTE-3356',
	followUpNote: 'Gặp tại nhà bà ngoại MARK-FOLLOWUP-NOTE-9087',
	visitNote: 'Đã có việc làm MARK-VISIT-NOTE-4452',
	rejectReason: 'Không đủ căn cứ MARK-REJECT-REASON-1209',
};

before(async () => {
	({ db, key } = await initDb({ demo: 5 }));
	// Debug logging: the log must hold no note even at its most verbose.
	server = await startServer({ db, env: { CTIP_DEBUG: '1' } });
	const users = {
		cw: { adminCode: '00004', roles: ['case_worker'] }, // commune A police (Ba Đình)
		inv: { adminCode: '00004', roles: ['investigator'] },
		sup: { adminCode: '00004', roles: ['supervisor'] },
		op: { adminCode: '00004', roles: ['hotline_operator'] },
		other: { adminCode: '00008', roles: ['case_worker'] }, // commune B police (Ngọc Hà)
		prov: { adminCode: '01', roles: ['case_worker'] }, // Hà Nội province police
		aud: { adminCode: 'VN', roles: ['auditor'] },
	};
	const units = new Set(Object.values(users).map((u) => `${u.agency ?? 'POLICE'} ${u.adminCode}`));
	for (const u of units) {
		const [agency, adminCode] = u.split(' ');
		await addOrg(db, { agency, adminCode });
	}
	await Promise.all(Object.entries(users).map(async ([name, u]) => {
		acc[name] = await addUser(db, key, `cw-${name.toLowerCase()}`, { name: `E2E ${name}`, ...u });
		as[name] = await signIn(server.url, acc[name]);
	}));
	missingId = Number(sqlite(db, 'select max(id) from person')) + 100000;
});

after(async () => {
	if (server)
		await stopOk(server);
});

// 1. The process.

test('the full process: received, verified, identified, protected, supported, reintegrated, closed, reopened', async () => {
	const unit = as.cw.user.org_unit.id;
	const p0 = await register(as.cw, adultInput({ received_on: '2025-08-01', contacts: SECRET.contacts }));
	assert.equal(p0.status, 'received');
	assert.equal(p0.role, 'under_identification');
	assert.equal(p0.received_on, '2025-08-01');
	assert.equal(p0.verify_due, '2025-08-04', 'verification within 3 days of reception (Art. 27.3)');
	assert.equal(p0.identified_on, null);
	assert.equal(p0.identity.contacts, SECRET.contacts);
	const id = p0.id;
	let p = await getPerson(as.cw, id);
	assert.equal(p.steps.length, 1);
	assert.deepEqual({ ...p.steps[0], id: 0, at: '' }, {
		id: 0, step: 'receive', from: null, to: 'received', on: '2025-08-01', unit_id: unit, reason: null, at: '',
	});
	assert.deepEqual(p.next_steps, NEXT.adult.received);
	const v0 = p.version;

	const plan = [
		['verify', '2025-08-02', { reason: SECRET.verifyReason }, 'verifying'],
		['identify', '2025-08-04', identification('2025-08-03', SECRET.docNumber), 'identified'],
		['protect', '2025-08-05', {}, 'protection'],
		['support', '2025-08-10', {}, 'support'],
		['reintegrate', '2025-08-31', {}, 'reintegration'],
		['close', '2025-09-15', { reason: SECRET.closeReason }, 'closed'],
		['reopen', '2025-09-20', { reason: SECRET.reopenReason }, 'reintegration'],
	];
	for (const [i, [name, on, extra, to]] of plan.entries()) {
		const from = p.status;
		const r = await stepOk(as.cw, id, name, { on, ...extra });
		assert.ok(Number.isInteger(r.id) && r.id > 0);
		p = await getPerson(as.cw, id);
		assert.equal(p.status, to, name);
		assert.equal(p.version, v0 + i + 1, `${name} increments the version once`);
		assert.equal(p.steps.length, i + 2);
		const s = p.steps.at(-1);
		assert.equal(s.id, r.id);
		assert.equal(s.step, name);
		assert.equal(s.from, from);
		assert.equal(s.to, to);
		assert.equal(s.on, on);
		assert.equal(s.unit_id, unit);
		assert.equal(s.reason, extra.reason ?? null);
		assert.match(s.at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
		assert.deepEqual(p.next_steps, NEXT.adult[to], `next steps after ${name}`);
		if (name === 'identify') {
			assert.equal(p.role, 'victim', 'identification makes the person a victim');
			assert.equal(p.identified_on, '2025-08-04');
			assert.deepEqual(s.identification, {
				evidence: 'a,dd',
				document: { type: 'rescue_confirmation', issuer: 'Đồn Biên phòng cửa khẩu Lào Cai',
					number: SECRET.docNumber, date: '2025-08-03' },
			});
		} else {
			assert.equal(s.identification, undefined);
		}
		if (name === 'reintegrate') {
			// Visits after 1, 3, 6 and 12 months; a month end stays one.
			assert.deepEqual(p.follow_ups.map((f) => [f.due_on, f.done_on, f.outcome]), [
				['2025-09-30', null, null], ['2025-11-30', null, null], ['2026-02-28', null, null],
				['2026-08-31', null, null],
			]);
		}
	}
	assert.equal(p.role, 'victim');
	assert.equal(p.identified_on, '2025-08-04');
	assert.equal(p.follow_ups.length, 4, 'a reopening schedules no second set of visits');
	// Each step is audited.
	const steps = (await audit({ action: 'person.step' })).filter((e) => e.object_id === String(id));
	assert.equal(steps.length, plan.length);
	assert.ok(steps.every((e) => e.username === acc.cw.username && e.outcome === 'ok'));
});

test('a victim is registered with how they were identified, recorded as the identify step; without it 400', async () => {
	const before = counts();
	// Without the identification, nothing is written: register them under identification instead.
	let b = problem(await as.cw.post('/api/persons', adultInput({ role: 'victim' })), 400, 'invalid',
		'identification');
	assert.match(b.message, /Art\. 32-33/);
	problem(await as.cw.post('/api/persons', adultInput({ identification: IDENTIFIED })), 400, 'invalid',
		'identification');
	b = problem(await as.cw.post('/api/persons', adultInput({ role: 'victim', received_on: '2025-08-01',
		identification: { ...IDENTIFIED, on: '2025-07-31' } })), 400, 'invalid', 'identification.on');
	problem(await as.cw.post('/api/persons', adultInput({ role: 'victim',
		identification: { ...IDENTIFIED, document: { ...IDENTIFIED.document, type: 'hearsay' } } })), 400,
	'invalid', 'identification.document.type');
	problem(await as.cw.post('/api/persons', adultInput({ role: 'victim', identification: 'yes' })), 400,
		'invalid', 'identification');
	// Nor through an intake, nor for a minor.
	const intake = ok(await as.cw.post('/api/intakes', {
		received_at: new Date(Date.now() - 3600000).toISOString().replace(/\.\d{3}Z$/, 'Z'), channel: 'WALK_IN',
		language: 'vi', province: '01', commune: '00004', summary: 'Một phụ nữ trở về, xin hỗ trợ',
		reporter: { anonymous: true }, classification: 'victim_help', urgency: 'normal',
	}), 201);
	problem(await as.cw.post(`/api/intakes/${intake.id}/persons`, { person: adultInput({ role: 'victim' }),
		confirm_new: true }), 400, 'invalid', 'person.identification');
	problem(await as.cw.post(`/api/intakes/${intake.id}/persons`, {
		person: adultInput({ role: 'victim', identification: IDENTIFIED }),
		minors: [minorInput(undefined, { identification: IDENTIFIED })], confirm_new: true,
	}), 400, 'invalid', 'minors[0].identification');
	assert.deepEqual(counts(), before);

	// With it: identified on that day, the step naming its evidence and document.
	const p = await register(as.cw, adultInput({ role: 'victim', received_on: '2025-08-01',
		identification: { ...IDENTIFIED, on: '2025-08-03' } }));
	assert.equal(p.role, 'victim');
	assert.equal(p.status, 'identified');
	assert.equal(p.identified_on, '2025-08-03');
	assert.equal(p.verify_due, null, 'identified: no verification due');
	const got = await getPerson(as.cw, p.id);
	assert.deepEqual(got.steps.map((s) => [s.step, s.from, s.to, s.on]),
		[['receive', null, 'received', '2025-08-01'], ['identify', 'received', 'identified', '2025-08-03']]);
	assert.deepEqual(got.steps[1].identification, { evidence: 'a,e', document: IDENTIFIED.document });
	// Through an intake too, on the day of reception by default.
	const [adult] = ok(await as.cw.post(`/api/intakes/${intake.id}/persons`, {
		person: adultInput({ role: 'victim', received_on: '2025-08-05', identification: IDENTIFIED }),
		confirm_new: true,
	}), 201).person_ids;
	assert.equal((await getPerson(as.cw, adult)).identified_on, '2025-08-05');
	// The registration and its identification are audited, each once.
	for (const action of ['person.create', 'person.step'])
		assert.equal((await audit({ action })).filter((e) => e.object_id === String(p.id)).length, 1, action);
	// Refused before the duplicate search: the same name again, unconfirmed, is 400, not 409,
	// and nobody is read (no person.search entry).
	const searches = (await audit({ action: 'person.search' })).length;
	problem(await as.cw.post('/api/persons', adultInput({ role: 'victim', full_name: got.identity.full_name,
		confirm_new: false })), 400, 'invalid', 'identification');
	assert.equal((await audit({ action: 'person.search' })).length, searches);
});

test('a person found not to be a victim is reopened into verification; a closed victim returns to where it was', async () => {
	const a = await register(as.cw, adultInput({ received_on: addDays(today(), -10) }));
	problem(await step(as.cw, a.id, 'reject', { on: addDays(today(), -9) }), 400, 'invalid', 'reason');
	await stepOk(as.cw, a.id, 'reject', { on: addDays(today(), -9), reason: SECRET.rejectReason });
	let p = await getPerson(as.cw, a.id);
	assert.equal(p.status, 'not_victim');
	assert.equal(p.role, 'under_identification');
	assert.deepEqual(p.next_steps, NEXT.adult.not_victim);
	problem(await step(as.cw, a.id, 'close', { reason: 'x' }), 409, 'transition_refused');
	await stepOk(as.cw, a.id, 'reopen', { reason: 'Có chứng cứ mới' });
	p = await getPerson(as.cw, a.id);
	assert.equal(p.status, 'verifying');

	// A victim registered as one starts identified on its reception date.
	const v = await register(as.cw, adultInput({ role: 'victim', identification: IDENTIFIED, received_on: addDays(today(), -3) }));
	assert.equal(v.status, 'identified');
	assert.equal(v.identified_on, addDays(today(), -3));
	await stepOk(as.cw, v.id, 'support');
	await stepOk(as.cw, v.id, 'close', { reason: 'Chuyển tỉnh khác' });
	await stepOk(as.cw, v.id, 'reopen', { reason: 'Trở về địa phương' });
	assert.equal((await getPerson(as.cw, v.id)).status, 'support');

	// An accompanying minor must be under 18: the error names the field
	// the age was given in.
	for (const [age, field] of [[{ birth_date: '2000-03-04' }, 'birth_date'], [{ birth_year: 2000 }, 'birth_year'],
		[{ estimated_age: 30 }, 'estimated_age']]) {
		const r = await as.cw.post('/api/persons', { ...minorInput(v.id, age), birth_date: undefined, ...age });
		problem(r, 400, 'invalid', field);
		assert.match(r.body.message, /under 18 \(is \d+\)/);
	}
	// An accompanying minor goes from reception to support and back.
	const m = await register(as.cw, minorInput(v.id));
	p = await getPerson(as.cw, m.id);
	assert.equal(p.status, 'received');
	assert.equal(p.verify_due, null);
	assert.deepEqual(p.next_steps, NEXT.minor.received);
	for (const [name, to] of [['protect', 'protection'], ['support', 'support'], ['reintegrate', 'reintegration'],
		['close', 'closed'], ['reopen', 'reintegration']]) {
		await stepOk(as.cw, m.id, name, name === 'close' || name === 'reopen' ? { reason: 'Theo mẹ' } : {});
		p = await getPerson(as.cw, m.id);
		assert.equal(p.status, to, name);
		assert.equal(p.role, 'accompanying_minor');
		assert.deepEqual(p.next_steps, NEXT.minor[to], name);
	}
	assert.deepEqual((await getPerson(as.cw, v.id)).minor_ids, [m.id]);
});

// 2. Refused transitions.

test('refused transitions answer 409 transition_refused naming the current status, and change nothing', async () => {
	const before = counts();
	// Identification only from received or verifying.
	const v = await register(as.cw, adultInput({ role: 'victim', identification: IDENTIFIED }));
	await stepOk(as.cw, v.id, 'protect');
	const vp = await getPerson(as.cw, v.id);
	let b = problem(await step(as.cw, v.id, 'identify', identification(today())), 409, 'transition_refused');
	assert.match(b.message, /\bprotection\b/);
	assert.equal(b.rule, 'person_step');
	b = problem(await step(as.cw, v.id, 'verify'), 409, 'transition_refused');
	assert.match(b.message, /\bprotection\b/);
	b = problem(await step(as.cw, v.id, 'reopen', { reason: 'x' }), 409, 'transition_refused');
	assert.match(b.message, /\bprotection\b/, 'reopen when not closed');
	b = problem(await step(as.cw, v.id, 'protect'), 409, 'transition_refused');
	assert.match(b.message, /\bprotection\b/);
	assert.deepEqual(await getPerson(as.cw, v.id), vp, 'a refused step changes nothing');

	// Nothing but reopen when closed.
	await stepOk(as.cw, v.id, 'close', { reason: 'Đóng' });
	const vc = await getPerson(as.cw, v.id);
	for (const name of ['support', 'protect', 'reintegrate', 'verify', 'identify', 'close']) {
		b = problem(await step(as.cw, v.id, name, { reason: 'x', ...identification(today()) }), 409,
			'transition_refused');
		assert.match(b.message, /\bclosed\b/, name);
	}
	assert.deepEqual(await getPerson(as.cw, v.id), vc);

	// A person under identification is not reintegrated, protected or
	// supported before it is identified.
	const u = await register(as.cw, adultInput());
	const up = await getPerson(as.cw, u.id);
	for (const name of ['reintegrate', 'protect', 'support', 'reopen']) {
		b = problem(await step(as.cw, u.id, name, { reason: 'x' }), 409, 'transition_refused');
		assert.match(b.message, /\breceived\b/, name);
	}
	assert.deepEqual(await getPerson(as.cw, u.id), up);

	// An accompanying minor is not verified, identified or rejected.
	const m = await register(as.cw, minorInput(u.id));
	const mp = await getPerson(as.cw, m.id);
	for (const name of ['verify', 'identify', 'reject']) {
		b = problem(await step(as.cw, m.id, name, { reason: 'x', ...identification(today()) }), 409,
			'transition_refused');
		assert.match(b.message, /accompanying minor/, name);
	}
	assert.deepEqual(await getPerson(as.cw, m.id), mp);
	const after = counts();
	// Receptions of v, u and m, v's identification; v protected and closed.
	assert.equal(after.person_step, before.person_step + 3 + 1 + 2, 'only the steps that were allowed');
});

test('a stale version is a 409 conflict; dates in the future or before the last step are 400 on', async () => {
	const u = await register(as.cw, adultInput({ received_on: addDays(today(), -5) }));
	const p = await getPerson(as.cw, u.id);
	problem(await as.cw.post(`/api/persons/${u.id}/steps`, { step: 'verify', version: p.version + 1 }), 409,
		'conflict');
	await stepOk(as.cw, u.id, 'verify', { on: addDays(today(), -3) });
	problem(await as.cw.post(`/api/persons/${u.id}/steps`, { step: 'reject', reason: 'x', version: p.version }),
		409, 'conflict');
	const cur = await getPerson(as.cw, u.id);
	problem(await step(as.cw, u.id, 'reject', { reason: 'x', on: addDays(today(), 1) }), 400, 'invalid', 'on');
	problem(await step(as.cw, u.id, 'reject', { reason: 'x', on: addDays(today(), -4) }), 400, 'invalid', 'on');
	problem(await step(as.cw, u.id, 'reject', { reason: 'x', on: '2026-02-30' }), 400, 'invalid', 'on');
	problem(await step(as.cw, u.id, 'reject', { reason: 'x', on: 'yesterday' }), 400, 'invalid', 'on');
	// The day of the last step itself is fine.
	assert.deepEqual(await getPerson(as.cw, u.id), cur);
	await stepOk(as.cw, u.id, 'identify', identification(addDays(today(), -3)));
	assert.equal((await getPerson(as.cw, u.id)).steps.at(-1).on, today());
	assert.equal((await getPerson(as.cw, u.id)).identified_on, today());
});

test('reject, close and reopen need a reason; identify needs evidence and a document (400 naming the field)', async () => {
	const u = await register(as.cw, adultInput());
	const p = await getPerson(as.cw, u.id);
	for (const name of ['reject', 'close'])
		for (const reason of [undefined, '', '   '])
			problem(await step(as.cw, u.id, name, { reason }), 400, 'invalid', 'reason');
	const doc = identification(today());
	problem(await step(as.cw, u.id, 'identify', { document: doc.document }), 400, 'invalid', 'evidence');
	problem(await step(as.cw, u.id, 'identify', { evidence: [], document: doc.document }), 400, 'invalid',
		'evidence');
	problem(await step(as.cw, u.id, 'identify', { evidence: ['a', 'a'], document: doc.document }), 400,
		'invalid', 'evidence');
	problem(await step(as.cw, u.id, 'identify', { evidence: ['f'], document: doc.document }), 400, 'invalid',
		'evidence');
	problem(await step(as.cw, u.id, 'identify', { evidence: ['a'] }), 400, 'invalid', 'document.type');
	problem(await step(as.cw, u.id, 'identify', { evidence: ['a'], document: { ...doc.document, type: 'letter' } }),
		400, 'invalid', 'document.type');
	for (const f of ['issuer', 'number'])
		problem(await step(as.cw, u.id, 'identify', { evidence: ['a'], document: { ...doc.document, [f]: '' } }),
			400, 'invalid', `document.${f}`);
	problem(await step(as.cw, u.id, 'identify', { evidence: ['a'], document: { ...doc.document, date: null } }),
		400, 'invalid', 'document.date');
	problem(await step(as.cw, u.id, 'identify', {
		evidence: ['a'], document: { ...doc.document, date: addDays(today(), 1) },
	}), 400, 'invalid', 'document.date');
	assert.deepEqual(await getPerson(as.cw, u.id), p);
	// Every letter of Art. 32.1 at once is fine.
	await stepOk(as.cw, u.id, 'identify', {
		evidence: ['a', 'b', 'c', 'd', 'dd', 'e', 'g', 'h', 'i'], document: doc.document,
	});
	await stepOk(as.cw, u.id, 'close', { reason: 'Đóng' });
	problem(await step(as.cw, u.id, 'reopen', {}), 400, 'invalid', 'reason');
});

// 3. Entitlements.

test('GET entitlements matches support-entitlements.csv for every role, citizenship class and location', async () => {
	const regime = today() < '2025-07-01' ? '2011' : '2024';
	for (const citizenship of ['vn_citizen', 'stateless_resident', 'foreigner']) {
		for (const role of ['victim', 'under_identification']) {
			const adult = await register(as.cw, adultInput({ role, citizenship, nationality: null,
				identification: role === 'victim' ? IDENTIFIED : undefined }));
			// The minor's own class differs on purpose: the adult's counts.
			const minor = await register(as.cw, minorInput(adult.id, {
				citizenship: citizenship === 'vn_citizen' ? 'foreigner' : 'vn_citizen',
			}));
			for (const location of ['in_vn', 'abroad']) {
				for (const [p, a] of [[adult, null], [minor, adult]]) {
					const got = await entitlements(as.cw, p.id, location);
					const want = expectedEntitlements(p, a, location);
					for (const code of SUPPORT_CODES) {
						const e = got[code];
						const what = `${code} for ${p.role} (${citizenship}${a ? ` with ${a.role}` : ''}) ${location}`;
						assert.equal(e.entitled, want[code].entitled, what);
						assert.equal(e.legal_basis, want[code].legal_basis, what);
						assert.equal(e.regime, regime, what);
						assert.deepEqual(e.limits, limitsOn(code, today()), what);
						if (e.entitled) {
							assert.equal(e.refusal, null, what);
							assert.equal(e.refusal_code, null, what);
						} else {
							assert.equal(typeof e.refusal, 'string', what);
							assert.ok(e.refusal.length > 10, what);
							// The person's own cell says no, or only the adult's.
							const own = cell(code, p.role, (a ?? p).citizenship, location).entitled;
							assert.equal(e.refusal_code, a && own ? 'adult_not_entitled' : 'not_in_matrix',
								what);
						}
					}
				}
			}
		}
	}
	problem(await as.cw.get(`/api/persons/${missingId}/entitlements?location=mars`), 400, 'invalid', 'location');
	const any = await register(as.cw, adultInput());
	problem(await as.cw.get(`/api/persons/${any.id}/entitlements?location=mars`), 400, 'invalid', 'location');
	const def = ok(await as.cw.get(`/api/persons/${any.id}/entitlements`));
	assert.equal(def.location, 'in_vn');
});

test('entitlement refusals are 422 not_entitled naming the legal basis, and leave the ledger as it was', async () => {
	// An accompanying minor gets no vocational training.
	const victim = await register(as.cw, adultInput({ role: 'victim', identification: IDENTIFIED }));
	const minor = await register(as.cw, minorInput(victim.id));
	let b = problem(await service(as.cw, minor.id, 'VOCATIONAL'), 422, 'not_entitled', 'support');
	assert.ok(b.message.includes(cell('VOCATIONAL', 'accompanying_minor', 'vn_citizen', 'in_vn').legal_basis),
		b.message);
	assert.equal(ledger(minor.id), '0:0:0');

	// Under identification abroad: points a-d only.
	const u = await register(as.cw, adultInput());
	for (const code of SUPPORT_CODES) {
		const want = cell(code, 'under_identification', 'vn_citizen', 'abroad');
		const before = ledger(u.id);
		const r = await service(as.cw, u.id, code, { location: 'abroad', provider: 'Đại sứ quán Việt Nam' });
		if (['ESSENTIAL', 'MEDICAL', 'INTERPRETATION', 'LEGAL_COUNSEL'].includes(code)) {
			assert.ok(want.entitled, `the CSV gives ${code} abroad`);
			ok(r, 201);
		} else {
			assert.ok(!want.entitled, `the CSV refuses ${code} abroad`);
			b = problem(r, 422, 'not_entitled', 'support');
			assert.ok(b.message.includes(want.legal_basis), `${code}: ${b.message}`);
			assert.ok(b.message.includes(code), b.message);
			assert.equal(ledger(u.id), before, `${code} refused but recorded`);
		}
	}

	// A minor accompanying a person under identification: no schooling,
	// though a minor with a victim would have it.
	const um = await register(as.cw, minorInput(u.id));
	assert.ok(cell('EDUCATION', 'accompanying_minor', 'vn_citizen', 'in_vn').entitled);
	b = problem(await service(as.cw, um.id, 'EDUCATION'), 422, 'not_entitled', 'support');
	assert.ok(b.message.includes(cell('EDUCATION', 'under_identification', 'vn_citizen', 'in_vn').legal_basis),
		b.message);
	assert.equal(ledger(um.id), '0:0:0');
	ok(await service(as.cw, minor.id, 'EDUCATION'), 201);

	// Abroad, a minor with a victim keeps a-h (Art. 37.2): the journey
	// home, legal aid, psychological support and schooling; a minor with a
	// person under identification gets a-d only (Art. 37.3), refused by
	// the adult's row.
	const abroad = { location: 'abroad', provider: 'Đại sứ quán Việt Nam' };
	for (const code of ['LEGAL_AID', 'TRAVEL', 'PSYCHOLOGICAL', 'EDUCATION']) {
		ok(await service(as.cw, minor.id, code, abroad), 201);
		b = problem(await service(as.cw, um.id, code, abroad), 422, 'not_entitled', 'support');
		assert.ok(b.message.includes('the person under identification the minor accompanies'), b.message);
	}
	const e = (await entitlements(as.cw, um.id, 'abroad')).TRAVEL;
	assert.equal(e.refusal_code, 'adult_not_entitled');
});

test('essential needs stop at 120 days under the 2024 regime and at 60 for persons identified before 2025-07-01', async () => {
	// 2024 regime: identified after 2025-07-01.
	const v = await register(as.cw, adultInput({ role: 'victim', identification: IDENTIFIED, received_on: '2025-07-01' }));
	let e = (await entitlements(as.cw, v.id, 'in_vn')).ESSENTIAL;
	assert.equal(e.regime, '2024');
	assert.deepEqual(e.limits.map((l) => [l.unit, l.max_units]), [['day', 120]]);
	ok(await service(as.cw, v.id, 'ESSENTIAL', { quantity: 100, provided_on: '2025-07-02' }), 201);
	let b = problem(await service(as.cw, v.id, 'ESSENTIAL', { quantity: 21 }), 422, 'not_entitled', 'support');
	assert.match(b.message, /\b100\b.*\b120\b/);
	assert.ok(b.message.includes('Decree 162/2025/NĐ-CP Art. 17'), b.message);
	assert.equal(ledger(v.id), '1:100:0');
	ok(await service(as.cw, v.id, 'ESSENTIAL', { quantity: 20 }), 201);
	problem(await service(as.cw, v.id, 'ESSENTIAL', { quantity: 1 }), 422, 'not_entitled', 'support');
	assert.equal(ledger(v.id), '2:120:0');
	e = (await entitlements(as.cw, v.id, 'in_vn')).ESSENTIAL;
	assert.equal(e.limits[0].used, 120);
	// Other types count on their own.
	ok(await service(as.cw, v.id, 'MEDICAL'), 201);
	problem(await service(as.cw, v.id, 'MEDICAL'), 422, 'not_entitled', 'support');
	// A unit the regime does not count the support in is 400.
	problem(await service(as.cw, v.id, 'ESSENTIAL', { unit: 'kit' }), 400, 'invalid', 'unit');

	// 2011 regime: received and identified before 2025-07-01.
	const old = await register(as.cw, adultInput({ received_on: '2025-06-10' }));
	assert.equal((await entitlements(as.cw, old.id, 'in_vn')).ESSENTIAL.regime, '2011', 'received before');
	// Identified without an on date: today, after the switch.
	await stepOk(as.cw, old.id, 'identify', identification('2025-06-20'));
	assert.equal((await getPerson(as.cw, old.id)).identified_on, today());
	assert.equal((await entitlements(as.cw, old.id, 'in_vn')).ESSENTIAL.regime, '2024', 'identified today');
	// Identified with a date before the switch.
	const old2 = await register(as.cw, adultInput({ received_on: '2025-06-10' }));
	await stepOk(as.cw, old2.id, 'identify', { on: '2025-06-20', ...identification('2025-06-19') });
	assert.equal((await getPerson(as.cw, old2.id)).identified_on, '2025-06-20');
	e = (await entitlements(as.cw, old2.id, 'in_vn')).ESSENTIAL;
	assert.equal(e.regime, '2011');
	assert.deepEqual(e.limits, limitsOn('ESSENTIAL', '2025-06-20'));
	assert.deepEqual(e.limits.map((l) => [l.unit, l.max_units]), [['day', 60], ['kit', 1]]);
	b = problem(await service(as.cw, old2.id, 'ESSENTIAL', { quantity: 61 }), 422, 'not_entitled', 'support');
	assert.ok(b.message.includes('Decree 09/2013/NĐ-CP Art. 19'), b.message);
	assert.match(b.message, /\b60\b/);
	assert.equal(ledger(old2.id), '0:0:0');
	ok(await service(as.cw, old2.id, 'ESSENTIAL', { quantity: 60 }), 201);
	problem(await service(as.cw, old2.id, 'ESSENTIAL', { quantity: 1 }), 422, 'not_entitled', 'support');
	const p = await getPerson(as.cw, old2.id);
	assert.deepEqual(p.services.map((s) => [s.support, s.quantity, s.regime]), [['ESSENTIAL', 60, '2011']]);

	// Received before the switch but identified after: the 2024 regime.
	const late = await register(as.cw, adultInput({ received_on: '2025-06-25' }));
	await stepOk(as.cw, late.id, 'identify', { on: '2025-07-01', ...identification('2025-06-30') });
	e = (await entitlements(as.cw, late.id, 'in_vn')).ESSENTIAL;
	assert.equal(e.regime, '2024', 'identified on 2025-07-01 itself');
	ok(await service(as.cw, late.id, 'ESSENTIAL', { quantity: 61 }), 201);

	// A victim registered as one on 2025-06-30 was identified then: 2011.
	const direct = await register(as.cw, adultInput({ role: 'victim', identification: IDENTIFIED, received_on: '2025-06-30' }));
	assert.equal((await entitlements(as.cw, direct.id, 'in_vn')).ESSENTIAL.regime, '2011');
});

test('closed persons and persons found not to be victims are entitled to nothing until reopened', async () => {
	const v = await register(as.cw, adultInput({ role: 'victim', identification: IDENTIFIED }));
	await stepOk(as.cw, v.id, 'close', { reason: 'Đóng hồ sơ' });
	for (const e of Object.values(await entitlements(as.cw, v.id, 'in_vn'))) {
		assert.equal(e.entitled, false, e.support);
		assert.equal(e.refusal_code, 'closed', e.support);
		assert.match(e.refusal, /closed/);
	}
	const b = problem(await service(as.cw, v.id, 'MEDICAL'), 422, 'not_entitled', 'support');
	assert.match(b.message, /closed/);
	assert.equal(ledger(v.id), '0:0:0');
	await stepOk(as.cw, v.id, 'reopen', { reason: 'Mở lại' });
	ok(await service(as.cw, v.id, 'MEDICAL'), 201);

	const n = await register(as.cw, adultInput());
	await stepOk(as.cw, n.id, 'reject', { reason: 'Không phải nạn nhân' });
	problem(await service(as.cw, n.id, 'ESSENTIAL'), 422, 'not_entitled', 'support');
	assert.equal(ledger(n.id), '0:0:0');
});

test('override_reason records a refused service anyway, sealed, and audited as person.support.override', async () => {
	const victim = await register(as.cw, adultInput({ role: 'victim', identification: IDENTIFIED }));
	const minor = await register(as.cw, minorInput(victim.id));
	const r = ok(await service(as.cw, minor.id, 'VOCATIONAL', {
		override_reason: SECRET.override, note: SECRET.serviceNote, provider: 'Trường nghề Hà Nội',
		amount_vnd: 1500000,
	}), 201);
	// An override given where none is needed is no override.
	ok(await service(as.cw, minor.id, 'MEDICAL', { override_reason: 'không cần' }), 201);
	const p = await getPerson(as.cw, minor.id);
	assert.deepEqual(p.services.map((s) => [s.id === r.id, s.support, s.override, s.override_reason, s.note]), [
		[true, 'VOCATIONAL', true, SECRET.override, SECRET.serviceNote],
		[false, 'MEDICAL', false, null, null],
	]);
	assert.equal(p.services[0].provider, 'Trường nghề Hà Nội');
	assert.equal(p.services[0].provider_unit_id, as.cw.user.org_unit.id);
	assert.equal(p.services_total_vnd, 1500000);
	const overrides = (await audit({ action: 'person.support.override' }))
		.filter((e) => e.object_id === String(minor.id));
	assert.equal(overrides.length, 1);
	assert.equal(overrides[0].username, acc.cw.username);
	assert.equal(overrides[0].object_type, 'person');
	const plain = (await audit({ action: 'person.support' })).filter((e) => e.object_id === String(minor.id));
	assert.equal(plain.length, 1);
});

// 4. Consents, protection, follow-up visits.

test('consents: a minor consents through a representative; a consent is withdrawn once', async () => {
	const u = await register(as.cw, adultInput({ birth_year: 1990, received_on: addDays(today(), -10) }));
	const m = await register(as.cw, minorInput(u.id));
	problem(await as.cw.post(`/api/persons/${m.id}/consents`, { scope: 'data_processing', given_by: 'self' }), 400,
		'invalid', 'given_by');
	problem(await as.cw.post(`/api/persons/${m.id}/consents`, {
		scope: 'data_processing', given_by: 'representative',
	}), 400, 'invalid', 'representative');
	problem(await as.cw.post(`/api/persons/${m.id}/consents`, { scope: 'tiktok', given_by: 'self' }), 400,
		'invalid', 'scope');
	problem(await as.cw.post(`/api/persons/${m.id}/consents`, { scope: 'media', given_by: 'parent' }), 400,
		'invalid', 'given_by');
	const mc = ok(await as.cw.post(`/api/persons/${m.id}/consents`, {
		scope: 'data_processing', given_by: 'representative', representative: SECRET.representative,
		given_on: today(),
	}), 201);
	let p = await getPerson(as.cw, m.id);
	assert.deepEqual(p.consents, [{
		id: mc.id, scope: 'data_processing', given_by: 'representative', representative: SECRET.representative,
		given_on: today(), withdrawn_on: null, withdrawal_reason: null, version: 1,
	}]);

	const c = ok(await as.cw.post(`/api/persons/${u.id}/consents`, {
		scope: 'data_sharing', given_by: 'self', given_on: addDays(today(), -2),
	}), 201);
	const c2 = ok(await as.cw.post(`/api/persons/${u.id}/consents`, { scope: 'media', given_by: 'self' }), 201);
	problem(await as.cw.post(`/api/persons/${u.id}/consents/${c.id}/withdraw`, {
		on: addDays(today(), -3), version: 1,
	}), 400, 'invalid', 'on');
	problem(await as.cw.post(`/api/persons/${u.id}/consents/${c.id}/withdraw`, { on: today() }), 400, 'invalid',
		'version');
	ok(await as.cw.post(`/api/persons/${u.id}/consents/${c.id}/withdraw`, {
		on: today(), reason: SECRET.withdrawal, version: 1,
	}));
	p = await getPerson(as.cw, u.id);
	const got = p.consents.find((x) => x.id === c.id);
	assert.equal(got.withdrawn_on, today());
	assert.equal(got.withdrawal_reason, SECRET.withdrawal);
	assert.equal(got.version, 2);
	assert.equal(p.consents.find((x) => x.id === c2.id).withdrawn_on, null);
	const b = problem(await as.cw.post(`/api/persons/${u.id}/consents/${c.id}/withdraw`, { version: 2 }), 409,
		'transition_refused');
	assert.ok(b.message.includes(today()), b.message);
	problem(await as.cw.post(`/api/persons/${u.id}/consents/${c2.id}/withdraw`, { version: 5 }), 409, 'conflict');
	// A consent of another person is not this person's.
	problem(await as.cw.post(`/api/persons/${u.id}/consents/${mc.id}/withdraw`, { version: 1 }), 404, 'not_found');
	assert.equal((await getPerson(as.cw, m.id)).consents[0].withdrawn_on, null);
	const actions = (await audit({})).filter((e) => e.object_id === String(u.id)).map((e) => e.action);
	assert.ok(actions.includes('person.consent') && actions.includes('person.consent.withdraw'), actions.join());
});

test('protection measures: added, ended once; a second end is 409', async () => {
	const v = await register(as.cw, adultInput({ role: 'victim', identification: IDENTIFIED, received_on: addDays(today(), -10) }));
	problem(await as.cw.post(`/api/persons/${v.id}/protection`, { kind: 'bodyguard' }), 400, 'invalid', 'kind');
	problem(await as.cw.post(`/api/persons/${v.id}/protection`, { kind: 'escort', beneficiary: 'friend' }), 400,
		'invalid', 'beneficiary');
	problem(await as.cw.post(`/api/persons/${v.id}/protection`, {
		kind: 'escort', start_on: today(), end_on: addDays(today(), -1),
	}), 400, 'invalid', 'end_on');
	const m = ok(await as.cw.post(`/api/persons/${v.id}/protection`, {
		kind: 'residence_guard', beneficiary: 'relative', start_on: addDays(today(), -7), note: SECRET.protectionNote,
	}), 201);
	const m2 = ok(await as.cw.post(`/api/persons/${v.id}/protection`, { kind: 'identity_secrecy' }), 201);
	let p = await getPerson(as.cw, v.id);
	assert.deepEqual(p.protection.find((x) => x.id === m.id), {
		id: m.id, kind: 'residence_guard', beneficiary: 'relative', start_on: addDays(today(), -7), end_on: null,
		note: SECRET.protectionNote, version: 1,
	});
	assert.equal(p.protection.find((x) => x.id === m2.id).beneficiary, 'person');
	problem(await as.cw.post(`/api/persons/${v.id}/protection/${m.id}/end`, {
		on: addDays(today(), -8), version: 1,
	}), 400, 'invalid', 'on');
	ok(await as.cw.post(`/api/persons/${v.id}/protection/${m.id}/end`, { on: today(), version: 1 }));
	p = await getPerson(as.cw, v.id);
	assert.equal(p.protection.find((x) => x.id === m.id).end_on, today());
	problem(await as.cw.post(`/api/persons/${v.id}/protection/${m.id}/end`, { on: today(), version: 2 }), 409,
		'transition_refused');
	problem(await as.cw.post(`/api/persons/${v.id}/protection/${m2.id}/end`, { version: 7 }), 409, 'conflict');
	problem(await as.cw.post(`/api/persons/${v.id}/protection/${m2.id + 1000}/end`, { version: 1 }), 404,
		'not_found');
	assert.equal((await getPerson(as.cw, v.id)).protection.find((x) => x.id === m2.id).end_on, null);
});

test('a name that would display as another (a bidirectional override) or hold an escape sequence is refused', async () => {
	const before = Number(sqlite(db, 'SELECT count(*) FROM person'));
	for (const full_name of ['Nguy\u202en Thị Lan', 'Lan\u001b[2J', '\u2066Trần\u2069 Văn Ba']) {
		const r = await as.cw.post('/api/persons', adultInput({ full_name }));
		problem(r, 400, 'invalid', 'full_name');
		assert.match(r.body.message, /^full_name: holds a control character \(U\+[0-9A-F]{4}\)$/);
	}
	assert.equal(Number(sqlite(db, 'SELECT count(*) FROM person')), before, 'nothing stored');
});

test('dates on a person\'s own timeline: not before birth, casework not before reception (400 naming the field)', async () => {
	const person = (extra) => as.cw.post('/api/persons', adultInput(extra));
	problem(await person({ birth_year: undefined, birth_date: addDays(today(), -5), received_on: addDays(today(), -10) }),
		400, 'invalid', 'received_on');
	problem(await person({ birth_year: undefined, birth_date: '2000-01-01', received_on: '1990-01-01' }), 400,
		'invalid', 'received_on');
	// The birth year only: compared with the year.
	problem(await person({ birth_year: 2000, received_on: '1999-12-31' }), 400, 'invalid', 'received_on');
	ok(await person({ birth_year: 2000, received_on: '2000-01-01' }), 201);

	const received = addDays(today(), -10);
	const v = await register(as.cw, adultInput({ role: 'victim', identification: IDENTIFIED, birth_year: undefined, birth_date: '1990-05-05',
		received_on: received }));
	const m = await register(as.cw, minorInput(v.id));
	const before = counts();
	const refused = async (url, body, field) =>
		problem(await as.cw.post(`/api/persons/${v.id}/${url}`, body), 400, 'invalid', field);
	// A consent before birth, given by "self" (which once slipped past the
	// under-18 rule with a negative age), and one before reception.
	problem(await as.cw.post(`/api/persons/${m.id}/consents`, {
		scope: 'media', given_by: 'self', given_on: '2010-01-01',
	}), 400, 'invalid', 'given_on');
	await refused('consents', { scope: 'media', given_by: 'self', given_on: '1980-01-01' }, 'given_on');
	await refused('consents', { scope: 'media', given_by: 'self', given_on: addDays(received, -1) }, 'given_on');
	await refused('protection', { kind: 'escort', beneficiary: 'person', start_on: addDays(received, -1) },
		'start_on');
	const fu = ok(await as.cw.post(`/api/persons/${v.id}/follow-ups`, { due_on: today() }), 201);
	await refused(`follow-ups/${fu.id}/visit`, { done_on: addDays(received, -1), outcome: 'stable', version: 1 },
		'done_on');
	// Trafficking precedes reception, never birth.
	const event = { abroad: false, discovery: 'rescued', purposes: ['OTHER.FORCED_MARRIAGE'] };
	await refused('events', { ...event, discovered_on: '1950-01-01' }, 'discovered_on');
	await refused('events', { ...event, recruited_on: '1989-12-31', discovered_on: addDays(received, -1) },
		'recruited_on');
	assert.deepEqual(counts(), { ...before, follow_up: before.follow_up + 1 });
	ok(await as.cw.post(`/api/persons/${v.id}/events`, {
		...event, recruited_on: '2020-01-01', discovered_on: addDays(received, -1),
	}), 201);
	ok(await as.cw.post(`/api/persons/${v.id}/consents`, { scope: 'media', given_by: 'self', given_on: received }),
		201);
});

test('follow-up visits: scheduled, visited with an outcome; GET /api/follow-ups lists the unit\'s open ones, overdue first', async () => {
	const v = await register(as.cw, adultInput({ role: 'victim', identification: IDENTIFIED, received_on: addDays(today(), -30) }));
	problem(await as.cw.post(`/api/persons/${v.id}/follow-ups`, { note: 'x' }), 400, 'invalid', 'due_on');
	problem(await as.cw.post(`/api/persons/${v.id}/follow-ups`, { due_on: '2026-13-01' }), 400, 'invalid',
		'due_on');
	const soon = ok(await as.cw.post(`/api/persons/${v.id}/follow-ups`, {
		due_on: addDays(today(), 10), note: SECRET.followUpNote,
	}), 201);
	const later = ok(await as.cw.post(`/api/persons/${v.id}/follow-ups`, { due_on: addDays(today(), 40) }), 201);
	const late = ok(await as.cw.post(`/api/persons/${v.id}/follow-ups`, { due_on: addDays(today(), -5) }), 201);
	const done = ok(await as.cw.post(`/api/persons/${v.id}/follow-ups`, { due_on: addDays(today(), -2) }), 201);
	problem(await as.cw.post(`/api/persons/${v.id}/follow-ups/${done.id}/visit`, {
		done_on: today(), outcome: 'happy', version: 1,
	}), 400, 'invalid', 'outcome');
	problem(await as.cw.post(`/api/persons/${v.id}/follow-ups/${done.id}/visit`, {
		done_on: addDays(today(), 1), outcome: 'stable', version: 1,
	}), 400, 'invalid', 'done_on');
	ok(await as.cw.post(`/api/persons/${v.id}/follow-ups/${done.id}/visit`, {
		done_on: today(), outcome: 'needs_support', note: SECRET.visitNote, version: 1,
	}));
	problem(await as.cw.post(`/api/persons/${v.id}/follow-ups/${done.id}/visit`, {
		done_on: today(), outcome: 'stable', version: 2,
	}), 409, 'transition_refused');
	problem(await as.cw.post(`/api/persons/${v.id}/follow-ups/${late.id}/visit`, {
		outcome: 'stable', version: 3,
	}), 409, 'conflict');
	const p = await getPerson(as.cw, v.id);
	assert.deepEqual(p.follow_ups.find((f) => f.id === done.id), {
		id: done.id, due_on: addDays(today(), -2), done_on: today(), outcome: 'needs_support', note: SECRET.visitNote,
		version: 2,
	});
	assert.equal(p.follow_ups.find((f) => f.id === soon.id).note, SECRET.followUpNote);

	const list = async (client, days) => ok(await client.get(`/api/follow-ups${days === undefined ? '' : `?days=${days}`}`)).items;
	const items = await list(as.cw, 30);
	const ids = items.map((f) => f.id);
	assert.ok(ids.includes(late.id) && ids.includes(soon.id), JSON.stringify(items));
	assert.ok(!ids.includes(later.id), 'due after 30 days');
	assert.ok(!ids.includes(done.id), 'visited');
	assert.ok(ids.indexOf(late.id) < ids.indexOf(soon.id));
	const firstOpen = items.findIndex((f) => !f.overdue);
	assert.ok(items.slice(0, firstOpen < 0 ? items.length : firstOpen).every((f) => f.overdue));
	assert.ok(items.slice(firstOpen < 0 ? items.length : firstOpen).every((f) => !f.overdue));
	for (const f of items) {
		assert.equal(f.overdue, f.due_on < today(), JSON.stringify(f));
		assert.ok(f.due_on <= addDays(today(), 30), JSON.stringify(f));
	}
	assert.deepEqual(items.map((f) => f.due_on), items.map((f) => f.due_on).sort());
	assert.deepEqual(items.find((f) => f.id === late.id),
		{ id: late.id, person_id: v.id, pseudonym: p.pseudonym, due_on: addDays(today(), -5), overdue: true,
			version: 1 });
	assert.ok((await list(as.cw, 60)).some((f) => f.id === later.id));
	assert.ok((await list(as.cw)).some((f) => f.id === soon.id), 'default: 14 days');
	assert.ok(!(await list(as.cw, 0)).some((f) => f.id === soon.id));
	// Another unit sees none of them.
	assert.ok(!(await list(as.other, 366)).some((f) => f.person_id === v.id));
	for (const bad of ['-1', '367', 'abc', '7days', '1e2'])
		problem(await as.cw.get(`/api/follow-ups?days=${bad}`), 400, 'invalid', 'days');
	// Empty is absent, as for every parameter: the default 14 days.
	assert.deepEqual(ok(await as.cw.get('/api/follow-ups?days=')), ok(await as.cw.get('/api/follow-ups')));
	problem(await as.sup.get('/api/follow-ups'), 403, 'forbidden');
	problem(await as.op.get('/api/follow-ups'), 403, 'forbidden');
});

// 5. Duplicate warning.

test('duplicate warning: same citizen ID, or same name, birth year within one and commune; confirm_new registers', async () => {
	const base = {
		role: 'under_identification', sex: 'F', birth_year: 1995, citizenship: 'vn_citizen', province: '01',
		commune: '00004', full_name: 'Đặng Thị Hường Điệp', citizen_id: '001195077001',
	};
	const first = await register(as.cw, { ...base, confirm_new: true });
	const dup = async (body) => {
		const r = await as.cw.post('/api/persons', body);
		problem(r, 409, 'duplicate_suspected');
		assert.ok(Array.isArray(r.body.candidates), r.text);
		assert.ok(r.body.candidates.some((c) => c.id === first.id), r.text);
		for (const c of r.body.candidates) {
			assert.equal(c.identity, null, 'candidates are pseudonymised');
			assert.equal(c.birth_date, null);
			assert.match(c.pseudonym, /^P-[0-9A-F]{12}$/);
		}
		assert.ok(!r.text.includes('Hường') && !r.text.includes(base.citizen_id));
		return r.body;
	};
	const before = Number(sqlite(db, 'select count(*) from person'));
	// The same citizen ID under another name, year and commune.
	await dup({ ...base, full_name: 'Lò Văn Khác', birth_year: 1970, commune: '00008' });
	// The same name without diacritics, đ as d, a year off, same commune.
	await dup({ ...base, citizen_id: undefined, full_name: 'Dang Thi Huong Diep', birth_year: 1996 });
	await dup({ ...base, citizen_id: undefined, full_name: 'dang thi huong diep', birth_year: 1994 });
	await dup({ ...base, citizen_id: undefined, full_name: 'DANG THI HUONG DIEP', birth_date: '1996-12-31',
		birth_year: undefined });
	// An unknown birth year or commune matches.
	await dup({ ...base, citizen_id: undefined, birth_year: undefined });
	await dup({ ...base, citizen_id: undefined, commune: undefined });
	assert.equal(Number(sqlite(db, 'select count(*) from person')), before, 'a warning registers nothing');
	// Two years off, or another commune: no warning.
	await register(as.cw, { ...base, citizen_id: undefined, birth_year: 1997 });
	await register(as.cw, { ...base, citizen_id: undefined, commune: '00008' });
	// Confirmed as new.
	const again = await register(as.cw, { ...base, confirm_new: true });
	assert.notEqual(again.id, first.id);
	// Another commune's unit never sees commune A's person as a candidate.
	const b = await as.other.post('/api/persons', { ...base });
	assert.equal(b.status, 201, `commune B is warned of a person it may not see: ${b.text}`);
	const b2 = await as.other.post('/api/persons', { ...base, commune: '00008' });
	problem(b2, 409, 'duplicate_suspected');
	assert.deepEqual(b2.body.candidates.map((c) => c.id), [b.body.id], 'only its own person');
	assert.ok(b2.body.candidates.every((c) => c.owner_unit_id === as.other.user.org_unit.id));
});

// 6. Search filters.

test('search filters: commune, status, role, purpose (with its sub-codes), destination, overdue=verify', async () => {
	const ids = (r) => ok(r).items.map((p) => p.id);
	const find = async (qs) => ids(await as.cw.get(`/api/persons?limit=200&${qs}`));
	const a = await register(as.cw, adultInput({ received_on: addDays(today(), -10), commune: '00004' }));
	const b = await register(as.cw, adultInput({ role: 'victim', identification: IDENTIFIED, commune: '00008' }));
	const m = await register(as.cw, minorInput(b.id, { commune: '00008' }));
	const fresh = await register(as.cw, adultInput());
	const verifying = await register(as.cw, adultInput({ received_on: addDays(today(), -10) }));
	await stepOk(as.cw, verifying.id, 'verify', { on: addDays(today(), -9) });
	const verified = await register(as.cw, adultInput({ received_on: addDays(today(), -10) }));
	await stepOk(as.cw, verified.id, 'identify', identification(addDays(today(), -9)));
	ok(await as.cw.post(`/api/persons/${a.id}/events`, {
		abroad: true, destination: 'KH', recruitment_means: 'online_ad', recruited_on: addDays(today(), -200),
		discovery: 'foreign_handover', discovered_on: addDays(today(), -12), purposes: ['LABOUR.FORCED_CRIMINALITY'],
	}), 201);
	ok(await as.cw.post(`/api/persons/${b.id}/events`, {
		abroad: false, discovery: 'rescued', discovered_on: addDays(today(), -1), purposes: ['SEX.PROSTITUTION', 'MONEY'],
	}), 201);

	let r = await as.cw.get('/api/persons?limit=200&commune=00008');
	assert.ok(ok(r).items.every((p) => p.commune === '00008'));
	assert.ok(ids(r).includes(b.id) && ids(r).includes(m.id) && !ids(r).includes(a.id));
	r = await as.cw.get('/api/persons?limit=200&status=verifying');
	assert.ok(ok(r).items.every((p) => p.status === 'verifying'));
	assert.ok(ids(r).includes(verifying.id) && !ids(r).includes(a.id));
	r = await as.cw.get('/api/persons?limit=200&role=accompanying_minor');
	assert.ok(ok(r).items.every((p) => p.role === 'accompanying_minor'));
	assert.ok(ids(r).includes(m.id) && !ids(r).includes(b.id));
	r = await as.cw.get('/api/persons?limit=200&role=victim&commune=00008');
	assert.ok(ids(r).includes(b.id) && !ids(r).includes(m.id));
	assert.deepEqual(await find('purpose=LABOUR.FORCED_CRIMINALITY'), [a.id]);
	assert.deepEqual(await find('purpose=LABOUR'), [a.id], 'a parent purpose matches its sub-codes');
	assert.deepEqual(await find('purpose=SEX'), [b.id]);
	assert.deepEqual(await find('purpose=MONEY'), [b.id]);
	assert.deepEqual(await find('purpose=ORGAN'), []);
	assert.deepEqual(await find('destination=KH'), [a.id]);
	assert.deepEqual(await find('destination=TH'), []);
	assert.deepEqual(await find('destination=KH&purpose=SEX'), []);
	const overdue = await find('overdue=verify');
	assert.ok(overdue.includes(a.id) && overdue.includes(verifying.id), 'received or verifying past verify_due');
	assert.ok(!overdue.includes(fresh.id) && !overdue.includes(verified.id) && !overdue.includes(b.id));
	// Another commune's unit finds none of them by filter.
	const theirs = ids(await as.other.get('/api/persons?limit=200&purpose=LABOUR'));
	assert.ok(!theirs.includes(a.id));
	for (const [qs, field] of [['commune=99999', 'commune'], ['commune=01', 'commune'], ['status=rescued', 'status'],
		['role=child', 'role'], ['purpose=FUN', 'purpose'], ['destination=ZZ', 'destination'],
		['overdue=identify', 'overdue'], ['limit=0', 'limit'], ['limit=201', 'limit']])
		problem(await as.cw.get(`/api/persons?${qs}`), 400, 'invalid', field);
});

// 7. Timeline.

let scoped; // { id, consent, measure, followUp }: the person of the scope tests

test('the timeline holds the reception, intake, events, services, consents, protection, visits and referrals, oldest first', async () => {
	// 20:00 UTC is 03:00 the next morning in Viet Nam: the intake came in
	// the day after the event of 4 days ago, although the UTC dates match.
	// It is recorded a second before the event, so that ordering by the UTC
	// date would put it first (records of one second keep their order).
	const received = `${addDays(today(), -4)}T20:00:00Z`;
	const intake = ok(await as.cw.post('/api/intakes', {
		received_at: received, channel: 'HOTLINE_111', language: 'vi', province: '01', commune: '00004',
		summary: 'Người nhà báo con gái bị lừa sang Campuchia', reporter: { anonymous: true },
		classification: 'victim_help', urgency: 'high',
	}), 201);
	await new Promise((resolve) => setTimeout(resolve, 1100));
	const reg = ok(await as.cw.post(`/api/intakes/${intake.id}/persons`, {
		person: { role: 'under_identification', sex: 'F', full_name: uniqueName(), citizenship: 'vn_citizen',
			province: '01', commune: '00004', birth_year: 2001, received_on: addDays(today(), -2) },
	}), 201);
	const id = reg.person_ids[0];
	assert.deepEqual((await getPerson(as.cw, id)).intake_ids, [intake.id]);
	// A minor registered later with her came from the same intake.
	const minor = ok(await as.cw.post('/api/persons', {
		role: 'accompanying_minor', accompanies_id: id, sex: 'M', full_name: uniqueName(),
		citizenship: 'vn_citizen', province: '01', commune: '00004', birth_year: 2019,
		received_on: addDays(today(), -2),
	}), 201);
	assert.deepEqual((await getPerson(as.cw, minor.id)).intake_ids, [intake.id]);
	assert.deepEqual(ok(await as.cw.get(`/api/intakes/${intake.id}`)).person_ids.sort((a, b) => a - b),
		[id, minor.id].sort((a, b) => a - b));
	ok(await as.cw.post(`/api/persons/${id}/events`, {
		abroad: true, destination: 'KH', discovery: 'rescued', discovered_on: addDays(today(), -4),
		purposes: ['LABOUR.FORCED_CRIMINALITY'],
	}), 201);
	await stepOk(as.cw, id, 'verify', { on: addDays(today(), -1), reason: 'Giao Sở Y tế' });
	const consent = ok(await as.cw.post(`/api/persons/${id}/consents`, { scope: 'data_sharing', given_by: 'self' }),
		201);
	ok(await service(as.cw, id, 'ESSENTIAL', { provided_on: addDays(today(), -1), quantity: 2, note: 'Ăn ở' }), 201);
	const measure = ok(await as.cw.post(`/api/persons/${id}/protection`, { kind: 'identity_secrecy' }), 201);
	const followUp = ok(await as.cw.post(`/api/persons/${id}/follow-ups`, { due_on: addDays(today(), 30) }), 201);
	scoped = { id, consent: consent.id, measure: measure.id, followUp: followUp.id };

	const t = ok(await as.cw.get(`/api/persons/${id}/timeline`)).items;
	const kinds = t.map((e) => e.kind);
	for (const k of ['intake', 'event', 'step', 'consent', 'service', 'protection', 'visit_due'])
		assert.ok(kinds.includes(k), `no ${k} in ${kinds}`);
	const days = t.map((e) => vnDay(e.on));
	assert.deepEqual(days, [...days].sort(), 'oldest first, by the day in Viet Nam');
	assert.deepEqual(t.filter((e) => e.kind === 'step').map((e) => [e.what, e.on]),
		[['receive', addDays(today(), -2)], ['verify', addDays(today(), -1)]]);
	assert.equal(t.find((e) => e.kind === 'step' && e.what === 'verify').detail, 'Giao Sở Y tế');
	assert.deepEqual(t.find((e) => e.kind === 'intake'), {
		on: received, kind: 'intake', id: intake.id, what: 'HOTLINE_111', detail: null,
	});
	assert.equal(t.find((e) => e.kind === 'event').what, 'LABOUR.FORCED_CRIMINALITY');
	assert.equal(t.find((e) => e.kind === 'service').what, 'ESSENTIAL');
	assert.equal(t.find((e) => e.kind === 'service').detail, 'Ăn ở');
	assert.equal(t[0].kind, 'event', 'the event of 4 days ago is the oldest');
	for (const e of t)
		assert.deepEqual(Object.keys(e).sort(), ['detail', 'id', 'kind', 'on', 'what']);
});

// 8. Scope.

// Every casework endpoint of person id, with the sub-records' ids.
function endpoints(id, s) {
	return [
		['GET', `/api/persons/${id}`],
		['GET', `/api/persons/${id}/timeline`],
		['GET', `/api/persons/${id}/entitlements?location=in_vn`],
		['POST', `/api/persons/${id}/steps`, { step: 'close', reason: 'Thử', version: 1 }],
		['POST', `/api/persons/${id}/events`, { discovery: 'rescued', discovered_on: today(), purposes: ['SEX'] }],
		['POST', `/api/persons/${id}/services`, { support: 'MEDICAL', unit: 'year', quantity: 1 }],
		['POST', `/api/persons/${id}/consents`, { scope: 'media', given_by: 'self' }],
		['POST', `/api/persons/${id}/consents/${s.consent}/withdraw`, { version: 1 }],
		['POST', `/api/persons/${id}/protection`, { kind: 'escort' }],
		['POST', `/api/persons/${id}/protection/${s.measure}/end`, { version: 1 }],
		['POST', `/api/persons/${id}/follow-ups`, { due_on: today() }],
		['POST', `/api/persons/${id}/follow-ups/${s.followUp}/visit`, { outcome: 'stable', version: 1 }],
	];
}

function call(client, [method, p, body]) {
	return method === 'GET' ? client.get(p) : client.post(p, body);
}

test('scope: another commune\'s case worker gets the same 404 as for a missing id on every endpoint', async () => {
	assert.ok(scoped, 'the timeline test made the person');
	const owner = await getPerson(as.cw, scoped.id);
	const before = counts();
	const mine = endpoints(scoped.id, scoped);
	const none = endpoints(missingId, scoped);
	for (let i = 0; i < mine.length; i++) {
		const hidden = await call(as.other, mine[i]);
		const missing = await call(as.other, none[i]);
		sameNotFound(hidden, scoped.id, missing, missingId, `${mine[i][0]} ${mine[i][1]}`);
		// And the owner's unit gets the same 404 for the missing id.
		const own = await call(as.cw, none[i]);
		sameNotFound(own, missingId, missing, missingId, `owner: ${none[i][0]} ${none[i][1]}`);
	}
	assert.deepEqual(counts(), before, 'refused calls changed nothing');
	assert.deepEqual(await getPerson(as.cw, scoped.id), owner);
	// Each refused write left a trace, the hidden id as the missing one.
	const denied = (await audit({ outcome: 'denied', user: acc.other.username }))
		.map((e) => `${e.action} ${e.object_id}`);
	for (const action of ['person.step', 'person.event', 'person.support', 'person.consent',
		'person.consent.withdraw', 'person.protection', 'person.protection.end', 'person.follow_up',
		'person.visit'])
		for (const id of [scoped.id, missingId])
			assert.ok(denied.includes(`${action} ${id}`), `no denied ${action} of ${id} in ${denied}`);
});

test('scope: a supervisor of the unit reads pseudonymised with notes null, and may write nothing', async () => {
	const before = counts();
	const p = await getPerson(as.sup, scoped.id);
	assert.equal(p.identity, null);
	assert.equal(p.birth_date, null);
	assert.deepEqual(p.intake_ids, []);
	assert.ok(p.steps.length >= 2);
	assert.ok(p.steps.every((s) => s.reason === null), 'step reasons hidden');
	assert.ok(p.services.every((s) => s.note === null && s.override_reason === null));
	assert.ok(p.consents.every((c) => c.representative === null));
	assert.ok(p.protection.every((m) => m.note === null));
	assert.ok(p.follow_ups.every((f) => f.note === null));
	const t = ok(await as.sup.get(`/api/persons/${scoped.id}/timeline`)).items;
	assert.ok(t.length > 0 && t.every((e) => e.detail === null), JSON.stringify(t));
	// A victim's document number is hidden too.
	const v = await register(as.cw, adultInput());
	await stepOk(as.cw, v.id, 'identify', identification(today(), 'SỐ-ẨN-123'));
	const sv = await getPerson(as.sup, v.id);
	assert.equal(sv.steps.at(-1).identification.document.number, null);
	assert.equal(sv.steps.at(-1).identification.document.issuer, 'Đồn Biên phòng cửa khẩu Lào Cai');
	assert.ok(!JSON.stringify(sv).includes('SỐ-ẨN-123'));
	ok(await as.sup.get(`/api/persons/${scoped.id}/entitlements`));
	const c = counts();
	for (const e of endpoints(scoped.id, scoped).filter((x) => x[0] === 'POST'))
		problem(await call(as.sup, e), 403, 'forbidden');
	assert.deepEqual(counts(), c);
	assert.equal(c.person_step, before.person_step + 2);
});

test('scope: a province case worker reads with a reason but may write only once the person is referred to its unit', async () => {
	const p = await getPerson(as.cw, scoped.id);
	problem(await as.prov.get(`/api/persons/${scoped.id}`), 403, 'reason_required', 'reason');
	const reason = 'Kiểm tra hồ sơ theo kế hoạch 12/KH';
	const r = await getPerson(as.prov, scoped.id, `?reason=${encodeURIComponent(reason)}`);
	assert.equal(r.identity.full_name, p.identity.full_name);
	ok(await as.prov.get(`/api/persons/${scoped.id}/timeline?reason=${encodeURIComponent(reason)}`));
	problem(await as.prov.get(`/api/persons/${scoped.id}/timeline`), 403, 'reason_required');
	ok(await as.prov.get(`/api/persons/${scoped.id}/entitlements`));
	const before = counts();
	for (const e of endpoints(scoped.id, scoped).filter((x) => x[0] === 'POST'))
		problem(await call(as.prov, e), 403, 'forbidden', undefined);
	assert.deepEqual(counts(), before);
	assert.deepEqual(await getPerson(as.cw, scoped.id), p);

	// Referred to the province unit: now it may work on the person.
	ok(await as.cw.post('/api/referrals', {
		object_type: 'person', object_id: scoped.id, to_unit_id: as.prov.user.org_unit.id,
		note: 'Chuyển Công an tỉnh',
	}), 201);
	const q = await getPerson(as.prov, scoped.id);
	assert.equal(q.identity.full_name, p.identity.full_name, 'no reason needed once referred');
	ok(await as.prov.post(`/api/persons/${scoped.id}/protection`, { kind: 'escort' }), 201);
	const s = ok(await step(as.prov, scoped.id, 'identify', identification(today())), 201);
	const after = await getPerson(as.cw, scoped.id);
	assert.equal(after.status, 'identified');
	assert.equal(after.steps.find((x) => x.id === s.id).unit_id, as.prov.user.org_unit.id);
	const t = ok(await as.cw.get(`/api/persons/${scoped.id}/timeline`)).items;
	assert.ok(t.some((e) => e.kind === 'referral'), 'the referral is on the timeline');
	const days = t.map((e) => vnDay(e.on));
	assert.deepEqual(days, [...days].sort());
});

test('scope: a hotline operator of the unit registers and reads persons but records no casework', async () => {
	const before = counts();
	const p = await getPerson(as.op, scoped.id);
	assert.ok(p.identity);
	for (const e of endpoints(scoped.id, scoped).filter((x) => x[0] === 'POST'))
		problem(await call(as.op, e), 403, 'forbidden');
	assert.deepEqual(counts(), before);
	// An investigator of the unit may.
	ok(await as.inv.post(`/api/persons/${scoped.id}/follow-ups`, { due_on: addDays(today(), 60) }), 201);
});

test('scope: write access through a referral ends when the referral is withdrawn', async () => {
	const v = await register(as.cw, adultInput({ role: 'victim', identification: IDENTIFIED }));
	const ref = ok(await as.cw.post('/api/referrals', {
		object_type: 'person', object_id: v.id, to_unit_id: as.prov.user.org_unit.id,
	}), 201);
	const visit = ok(await as.prov.post(`/api/persons/${v.id}/follow-ups`, { due_on: addDays(today(), 9) }), 201);
	// A visit due is the person's, whoever scheduled it: on both units'
	// lists while the referral stands, on the owner's alone after.
	const due = async (client) => ok(await client.get('/api/follow-ups?days=30')).items.map((f) => f.id);
	assert.ok((await due(as.prov)).includes(visit.id));
	assert.ok((await due(as.cw)).includes(visit.id));
	ok(await as.cw.post(`/api/referrals/${ref.id}/withdraw`, { version: ref.version }));
	assert.ok(!(await due(as.prov)).includes(visit.id), 'the province no longer sees the person');
	assert.ok((await due(as.cw)).includes(visit.id));
	const p = await getPerson(as.cw, v.id);
	const before = counts();
	problem(await as.prov.post(`/api/persons/${v.id}/follow-ups`, { due_on: addDays(today(), 9) }), 403,
		'forbidden');
	problem(await as.prov.post(`/api/persons/${v.id}/steps`, { step: 'close', reason: 'x', version: p.version }),
		403, 'forbidden');
	assert.deepEqual(counts(), before);
	assert.deepEqual(await getPerson(as.cw, v.id), p);
	// Closed, the person is out of the unit's care: no visit is due.
	ok(await as.cw.post(`/api/persons/${v.id}/steps`, { step: 'close', reason: 'Chuyển nơi cư trú', version: p.version }),
		201);
	assert.ok(!(await due(as.cw)).includes(visit.id), 'a closed person\'s visits are not due');
});

// 9. More rules: races, dates, ages.

test('concurrent steps on one version: exactly one is recorded, the others are 409', async () => {
	const v = await register(as.cw, adultInput({ role: 'victim', identification: IDENTIFIED }));
	const p = await getPerson(as.cw, v.id);
	const rs = await Promise.all(['protect', 'support', 'reintegrate', 'close', 'protect', 'support'].map((name) =>
		as.cw.post(`/api/persons/${v.id}/steps`, { step: name, reason: 'Đồng thời', version: p.version })));
	assert.equal(rs.filter((r) => r.status === 201).length, 1, rs.map((r) => r.status).join());
	for (const r of rs.filter((x) => x.status !== 201)) {
		assert.equal(r.status, 409, r.text);
		assert.ok(['conflict', 'transition_refused'].includes(r.body.code), r.text);
	}
	const q = await getPerson(as.cw, v.id);
	assert.equal(q.version, p.version + 1);
	assert.equal(q.steps.length, p.steps.length + 1);
});

test('concurrent services cannot pass the limit together', async () => {
	const v = await register(as.cw, adultInput({ role: 'victim', identification: IDENTIFIED }));
	const rs = await Promise.all(Array.from({ length: 6 }, () => service(as.cw, v.id, 'ESSENTIAL', { quantity: 50 })));
	assert.equal(rs.filter((r) => r.status === 201).length, 2, rs.map((r) => r.status).join());
	assert.ok(rs.filter((r) => r.status !== 201).every((r) => r.status === 422 && r.body.code === 'not_entitled'));
	assert.equal(ledger(v.id), '2:100:0');
});

test('a service is not dated before the reception or after today; a consent not in the future', async () => {
	const v = await register(as.cw, adultInput({ role: 'victim', identification: IDENTIFIED, received_on: addDays(today(), -5) }));
	problem(await service(as.cw, v.id, 'MEDICAL', { provided_on: addDays(today(), -6) }), 400, 'invalid',
		'provided_on');
	problem(await service(as.cw, v.id, 'MEDICAL', { provided_on: addDays(today(), 1) }), 400, 'invalid',
		'provided_on');
	ok(await service(as.cw, v.id, 'MEDICAL', { provided_on: addDays(today(), -5) }), 201);
	problem(await as.cw.post(`/api/persons/${v.id}/consents`, {
		scope: 'media', given_by: 'self', given_on: addDays(today(), 1),
	}), 400, 'invalid', 'given_on');
	const r = ok(await as.cw.get(`/api/persons/${v.id}/entitlements?location=`));
	assert.equal(r.location, 'in_vn', 'a blank location is Viet Nam');
});

test('a person registered with an estimated age under 18 consents through a representative', async () => {
	const u = await register(as.cw, adultInput({ birth_year: undefined, estimated_age: 16 }));
	assert.equal(u.birth_estimated, true);
	assert.equal(u.birth_year, Number(today().slice(0, 4)) - 16);
	problem(await as.cw.post(`/api/persons/${u.id}/consents`, { scope: 'data_processing', given_by: 'self' }), 400,
		'invalid', 'given_by');
	ok(await as.cw.post(`/api/persons/${u.id}/consents`, {
		scope: 'data_processing', given_by: 'representative', representative: 'Bố, Vàng A Sử',
	}), 201);
	// An adult of unknown age consents herself.
	const a = await register(as.cw, adultInput({ birth_year: undefined }));
	ok(await as.cw.post(`/api/persons/${a.id}/consents`, { scope: 'data_processing', given_by: 'self' }), 201);
});

test('GET /api/follow-ups?days=N includes the visits due on the Nth day, and today\'s with days=0', async () => {
	const v = await register(as.cw, adultInput({ role: 'victim', identification: IDENTIFIED }));
	const t = ok(await as.cw.post(`/api/persons/${v.id}/follow-ups`, { due_on: today() }), 201);
	const w = ok(await as.cw.post(`/api/persons/${v.id}/follow-ups`, { due_on: addDays(today(), 7) }), 201);
	const list = async (days) => ok(await as.cw.get(`/api/follow-ups?days=${days}`)).items.map((f) => f.id);
	assert.ok((await list(0)).includes(t.id), 'due today, asked for the visits due within 0 days');
	assert.ok(!(await list(6)).includes(w.id));
	assert.ok((await list(7)).includes(w.id), 'due in 7 days, asked for the visits due within 7 days');
	const item = ok(await as.cw.get('/api/follow-ups?days=0')).items.find((f) => f.id === t.id);
	assert.equal(item.overdue, false, 'due today is not overdue yet');
});

test('the timeline read is audited as a read of the person', async () => {
	const v = await register(as.cw, adultInput({ role: 'victim', identification: IDENTIFIED }));
	const n = async () => (await audit({ action: 'person.read' })).filter((e) => e.object_id === String(v.id)).length;
	const before = await n();
	ok(await as.cw.get(`/api/persons/${v.id}/timeline`));
	assert.equal(await n(), before + 1);
});

test('a province case worker is warned of the duplicates it may see without a reason, not of a commune\'s', async () => {
	const base = {
		role: 'victim', identification: IDENTIFIED, sex: 'M', birth_year: 1988, citizenship: 'vn_citizen', province: '01', commune: '00004',
		full_name: 'Khổng Văn Tỉnh Lược',
	};
	// The commune's person: to tie the name to it, the province needs a
	// reason (as a search by name does), so registering does not tell.
	const first = await register(as.cw, { ...base, confirm_new: true });
	const r = await as.prov.post('/api/persons', { ...base });
	assert.equal(r.status, 201, r.text);
	assert.notEqual(r.body.id, first.id);
	// Its own registration is a candidate, pseudonymised, and audited as
	// the search it is.
	const again = await as.prov.post('/api/persons', { ...base });
	problem(again, 409, 'duplicate_suspected');
	assert.deepEqual(again.body.candidates.map((c) => [c.id, c.identity]), [[r.body.id, null]]);
	const searches = (await audit({ action: 'person.search', user: acc.prov.username })).map((e) => e.object_id);
	assert.ok(searches.includes(String(r.body.id)), JSON.stringify(searches));
	assert.ok(!searches.includes(String(first.id)), JSON.stringify(searches));
});

test('an event with a purpose given twice is a 400 naming purposes, not a store error', async () => {
	const v = await register(as.cw, adultInput({ role: 'victim', identification: IDENTIFIED }));
	const r = await as.cw.post(`/api/persons/${v.id}/events`, {
		discovery: 'rescued', discovered_on: today(), purposes: ['SEX', 'SEX'],
	});
	problem(r, 400, 'invalid', 'purposes');
	problem(await as.cw.post(`/api/persons/${v.id}/events`, {
		discovery: 'rescued', discovered_on: addDays(today(), 1), purposes: ['SEX'],
	}), 400, 'invalid', 'discovered_on');
	problem(await as.cw.post(`/api/persons/${v.id}/events`, {
		discovery: 'rescued', discovered_on: today(), recruited_on: addDays(today(), 1), purposes: ['SEX'],
	}), 400, 'invalid', 'recruited_on');
	assert.deepEqual((await getPerson(as.cw, v.id)).events, []);
});

// 10. Secrecy at rest and in the log.

test('notes, reasons, document numbers, contacts and representatives are in no database file and not in the log', async () => {
	const files = fs.readdirSync(path.dirname(db)).filter((f) => f.startsWith(path.basename(db)))
		.map((f) => path.join(path.dirname(db), f));
	assert.ok(files.length >= 1);
	const markers = Object.values(SECRET).map((s) => /MARK-[A-Z-]+-\d+/.exec(s)[0]);
	const check = (what, bytes) => {
		for (const s of [...Object.values(SECRET), ...markers]) {
			for (const form of new Set([s, s.normalize('NFD')])) {
				assert.equal(bytes.indexOf(Buffer.from(form, 'utf8')), -1, `${what} holds "${form}"`);
				assert.equal(bytes.indexOf(Buffer.from(form, 'utf16le')), -1, `${what} holds "${form}" (UTF-16)`);
			}
		}
	};
	for (const f of files)
		check(f, fs.readFileSync(f));
	check('the server log', Buffer.from(server.stderr));
	check('the server output', Buffer.from(server.stdout));
	assert.match(server.stderr, /debug POST \/api\/persons\/\d+\/steps 201/, 'debug logging is not on');
	// They are stored, sealed: the owner reads them back.
	const n = Number(sqlite(db, `select count(*) from person_step where reason_enc is not null`));
	assert.ok(n >= 3);
});

// 11. Bad input.

test('bad input: wrong JSON types, huge strings, unknown codes and odd ids are 400 or 404 with a field, never 500', async () => {
	const v = await register(as.cw, adultInput());
	assert.equal(v.version, 1);
	const P = `/api/persons/${v.id}`;
	const consent = ok(await as.cw.post(`${P}/consents`, { scope: 'media', given_by: 'self' }), 201);
	const before = counts();
	const huge = 'ư'.repeat(100000);
	const cases = [
		[`${P}/steps`, { step: 5, version: 1 }, 'step'],
		[`${P}/steps`, { step: 'fly', version: 1 }, 'step'],
		[`${P}/steps`, { step: 'close', reason: 'x', version: '1' }, 'version'],
		[`${P}/steps`, { step: 'close', reason: 'x', version: 0 }, 'version'],
		[`${P}/steps`, { step: 'close', reason: 'x', version: 1.5 }, 'version'],
		[`${P}/steps`, { step: 'close', reason: 'x' }, 'version'],
		[`${P}/steps`, { step: 'close', reason: ['x'], version: 1 }, 'reason'],
		[`${P}/steps`, { step: 'close', reason: huge, version: 1 }, 'reason'],
		[`${P}/steps`, { step: 'close', reason: 'x', on: 20260101, version: 1 }, 'on'],
		[`${P}/steps`, { step: 'identify', evidence: 'a', version: 1 }, 'evidence'],
		[`${P}/steps`, { step: 'identify', evidence: [1], version: 1 }, 'evidence'],
		[`${P}/steps`, { step: 'identify', evidence: ['a', 'b', 'c', 'd', 'dd', 'e', 'g', 'h', 'i', 'a'], version: 1 },
			'evidence'],
		[`${P}/steps`, { step: 'identify', evidence: ['a'], document: 'QĐ 1', version: 1 }, 'document'],
		[`${P}/steps`, { step: 'identify', evidence: ['a'], document: { type: 7 }, version: 1 }, 'document.type'],
		[`${P}/steps`, { step: 'identify', evidence: ['a'], document: { type: 'other', number: ['1'] }, version: 1 },
			'document.number'],
		[`${P}/steps`, { step: 'identify', evidence: ['a'], document: { type: 'other', issuer: 'X', number: huge,
			date: today() }, version: 1 }, 'document.number'],
		[`${P}/consents/${consent.id}/withdraw`, { version: 1, reason: huge }, 'reason'],
		[`${P}/events`, { discovery: 'rescued', discovered_on: today(), purposes: 'SEX' }, 'purposes'],
		[`${P}/events`, { discovery: 'rescued', discovered_on: today(), purposes: [] }, 'purposes'],
		[`${P}/events`, { discovery: 'rescued', discovered_on: today(), purposes: ['FUN'] }, 'purposes'],
		[`${P}/events`, { discovery: 'teleported', discovered_on: today(), purposes: ['SEX'] }, 'discovery'],
		[`${P}/events`, { discovery: 'rescued', discovered_on: today(), purposes: ['SEX'], destination: 5 },
			'destination'],
		[`${P}/events`, { abroad: true, discovery: 'rescued', discovered_on: today(), purposes: ['SEX'],
			destination: 'ZZ' }, 'destination'],
		[`${P}/events`, { abroad: true, discovery: 'rescued', discovered_on: today(), purposes: ['SEX'] },
			'destination'],
		[`${P}/services`, { support: 'MASSAGE', unit: 'day' }, 'support'],
		[`${P}/services`, { support: 'MEDICAL', unit: 'year', quantity: '1' }, 'quantity'],
		[`${P}/services`, { support: 'MEDICAL', unit: 'year', quantity: 0 }, 'quantity'],
		[`${P}/services`, { support: 'MEDICAL', unit: 'year', quantity: 2.5 }, 'quantity'],
		[`${P}/services`, { support: 'MEDICAL', unit: 'year', amount_vnd: -1 }, 'amount_vnd'],
		[`${P}/services`, { support: 'MEDICAL', unit: 'year', amount_vnd: 1e18 }, 'amount_vnd'],
		[`${P}/services`, { support: 'MEDICAL', unit: 'litre' }, 'unit'],
		[`${P}/services`, { support: 'MEDICAL', unit: 'year', location: 'mars' }, 'location'],
		[`${P}/services`, { support: 'MEDICAL', unit: 'year', provided_on: '2026-02-29' }, 'provided_on'],
		[`${P}/services`, { support: 'MEDICAL', unit: 'year', note: huge }, 'note'],
		[`${P}/services`, { support: 'MEDICAL', unit: 'year', provider: huge }, 'provider'],
		[`${P}/services`, { support: ['MEDICAL'], unit: 'year' }, 'support'],
		[`${P}/consents`, { scope: 'media', given_by: 'representative', representative: huge }, 'representative'],
		[`${P}/consents`, { scope: 'media', given_by: 'self', given_on: true }, 'given_on'],
		[`${P}/protection`, { kind: 'escort', note: huge }, 'note'],
		[`${P}/protection`, { kind: 'escort', start_on: '01/02/2026' }, 'start_on'],
		[`${P}/follow-ups`, { due_on: today(), note: huge }, 'note'],
		[`${P}/follow-ups`, { due_on: 20260101 }, 'due_on'],
	];
	for (const [p, body, field] of cases) {
		const r = await as.cw.post(p, body);
		problem(r, 400, 'invalid', field);
	}
	// Bodies that are not a JSON object.
	for (const body of ['{"step":', '[1,2]', '"close"', 'null', '']) {
		const r = await as.cw.post(`${P}/steps`, body);
		assert.equal(r.status, 400, `${JSON.stringify(body)}: ${r.status} ${r.text}`);
	}
	// Ids that are not ids.
	for (const p of ['/api/persons/abc/steps', '/api/persons/0/steps', '/api/persons/-1/steps',
		'/api/persons/1e3/steps', '/api/persons/99999999999999999999/steps', `${P}/consents/abc/withdraw`,
		`${P}/consents/0/withdraw`, `${P}/protection/x/end`, `${P}/follow-ups/1.5/visit`,
		`${P}/consents/${Number.MAX_SAFE_INTEGER}/withdraw`]) {
		const r = await as.cw.post(p, { step: 'close', reason: 'x', version: 1, outcome: 'stable' });
		problem(r, 404, 'not_found');
	}
	for (const p of ['/api/persons/abc/timeline', '/api/persons/0/entitlements', '/api/persons/07/timeline'])
		problem(await as.cw.get(p), 404, 'not_found');
	assert.deepEqual(counts(), before, 'nothing recorded');
	ok(await as.cw.get('/healthz'));
	ok(await as.cw.get(`${P}`));
	// The log's line of a request: "debug METHOD PATH STATUS TIMEms" (a
	// time of 500.75ms is no 500).
	assert.doesNotMatch(server.stderr, /debug [A-Z]+ \S+ 500 /, 'a request answered 500');
});

test('reference lists for pickers come from the data files: provinces, communes of a province, ethnic groups, countries', async () => {
	const units = readCsv('admin-units.csv');
	const list = async (what) => ok(await as.cw.get(`/api/ref/${what}`)).items;
	const provinces = await list('provinces');
	assert.deepEqual(provinces.map((p) => p.code),
		units.filter((u) => u.level === 'province').map((u) => u.code).sort());
	const hanoi = await list('communes?province=01');
	assert.deepEqual(hanoi.map((c) => c.code),
		units.filter((u) => u.level === 'commune' && u.province_code === '01').map((u) => u.code).sort());
	assert.ok(hanoi.every((c) => c.name && c.name_en), JSON.stringify(hanoi[0]));
	assert.deepEqual((await list('ethnic-groups')).map((e) => e.code),
		readCsv('ethnic-groups.csv').map((e) => e.code).sort());
	const countries = await list('countries');
	assert.equal(countries.length, readCsv('countries.csv').length);
	assert.equal(countries.find((c) => c.code === 'KH').name_en, 'Cambodia');
	assert.deepEqual(await list('communes?province=99'), []);
	for (const bad of ['', '1', 'ab', '001'])
		problem(await as.cw.get(`/api/ref/communes?province=${bad}`), 400, 'invalid', 'province');
	problem(await as.cw.get('/api/ref/communes'), 400, 'invalid', 'province');
	problem(await as.cw.get('/api/ref/passwords'), 404, 'not_found');
	const anon = await fetch(`${server.url}/api/ref/provinces`);
	assert.equal(anon.status, 401);
});

test('registering a person from an intake warns of a probable duplicate too, unless confirm_new', async () => {
	const intake = ok(await as.cw.post('/api/intakes', {
		received_at: new Date(Date.now() - 3600e3).toISOString().replace(/\.\d{3}Z$/, 'Z'),
		channel: 'HOTLINE_111', language: 'vi', province: '01', commune: '00004',
		summary: 'Người nhà báo tin một phụ nữ đã trở về', reporter: { anonymous: true },
		classification: 'victim_help', urgency: 'normal',
	}), 201);
	const name = uniqueName();
	const first = await register(as.cw, adultInput({ full_name: name, birth_year: 1999, commune: '00004' }));
	// Typed again at the hotline, without diacritics.
	const person = { role: 'under_identification', sex: 'F', citizenship: 'vn_citizen', province: '01',
		commune: '00004', birth_year: 2000, full_name: name.normalize('NFD').replace(/\p{M}/gu, '')
			.replaceAll('đ', 'd').replaceAll('Đ', 'D') };
	const before = Number(sqlite(db, 'select count(*) from person'));
	const b = problem(await as.cw.post(`/api/intakes/${intake.id}/persons`, { person }), 409,
		'duplicate_suspected');
	assert.deepEqual(b.candidates.map((c) => c.id), [first.id]);
	assert.equal(b.candidates[0].identity, null);
	assert.equal(Number(sqlite(db, 'select count(*) from person')), before);
	const reg = ok(await as.cw.post(`/api/intakes/${intake.id}/persons`, { person, confirm_new: true }), 201);
	assert.equal(reg.person_ids.length, 1);
	assert.notEqual(reg.person_ids[0], first.id);
});
