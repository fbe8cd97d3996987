// fuzz.test.js: the house rule on bad input, across every write route of
// the API, against the real binary (run it on the ASan+UBSan build): bad
// input gets a clear error and changes nothing. Each POST route gets
//
// - hostile bodies: null, [], "x", 42, {}, invalid JSON, a NUL escape, a
//   lone surrogate, invalid UTF-8, deep nesting, 100 KB strings, a body
//   over the 1 MiB limit;
// - each documented field set, one at a time in an otherwise valid body, to
//   wrong types, empty and 10,000-character strings, non-NFC Vietnamese,
//   control characters, impossible dates, numbers out of range (1e308,
//   2^63, 2^53 + 1, -0, floats) and ids that do not exist;
// - path ids 0, -1, 1e3, 2^63, 20 digits, ... in each {id} of the route;
// - a few mutations drawn from a seeded generator (the same every run);
// - for POST /api/plans/import (a text document, not JSON): binary, huge,
//   deeply numbered and odd documents.
//
// Every answer must be a 4xx problem (application/problem+json with a
// string code and message; no 5xx, no dropped connection) and, when a
// field of the body was at fault and the answer is 400, name that field.
// Around each route's batch the database must not change: every table
// hashed with sqlite3's .sha3sum, except the sessions and the audit log,
// and the audit log must not grow: refused writes are not audited, except
// a failed login (session.login). The query strings of
// a few GET routes get the same treatment (a search is audited, nothing
// else changes). At the end the server still answers /healthz, printed no
// sanitizer report, and exits 0 on SIGTERM.
//
// Values that are valid input on a route are left out there (a blank
// string is "absent" for an optional field, ctip_text_blank in core); the
// others must all be refused. CTIP_FUZZ_SHOW=n lists more wrong answers.
//
// One database and one server for the whole file; the records the {id}
// routes need are created once in before().
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { after, before, test } from 'node:test';
import { IDENTIFIED, initDb, request, sqlite, startServer, stopOk } from './lib.js';
import { Client, PASSWORD, addOrg, addUser, ok, signIn } from './users.js';

let db;
let key;
let server;
const as = {}; // signed-in Clients by name
const rec = {}; // the records the routes act on

// --- dates (Viet Nam's days, as the server counts them) ---

const iso = (d) => d.toISOString().slice(0, 10);
const today = () => iso(new Date(Date.now() + 7 * 3600000));

// --- hostile values ---

// A JSON text put in the body as it is (JSON.stringify cannot write it).
// syntax: jansson refuses the whole body, before any field is looked at.
const raw = (text, syntax = false) => ({ raw: text, syntax });
const isRaw = (v) => v !== null && typeof v === 'object' && 'raw' in v;

const BIG = 'x'.repeat(10000);
const HUGE = 'y'.repeat(100 << 10);
const NON_NFC = 'Nguye\u0302\u0303n Thi\u0323 Ma\u0300i'; // decomposed "Nguyễn Thị Mài"
const CONTROL = 'a\u0001b\u001bc\u007f\u200bd\n\te';

const WRONG = [42, -1, 1.5, true, false, {}, [], ['x'], { a: { b: [1] } }];
const JANSSON = [raw('"a\\u0000b"', true), raw('"\\ud800"', true), raw('"\\udc00x"', true)];
// Free text: wrong types, too long, characters jansson refuses.
const TEXT = [...WRONG, BIG, HUGE, ...JANSSON];
// A required text.
const REQUIRED = [...TEXT, '', ' \t '];
// A code or an enumerated value.
// (A long non-ASCII one too: a message quoting it cut on a byte, not a
// character, is not UTF-8.)
const CODE = [...REQUIRED, NON_NFC, CONTROL, 'null', '%s%s%n%x', "x' OR '1'='1", '\u{1F642}', 'z'.repeat(300),
	'\u1eef'.repeat(200)];
const DATE = [...CODE, '2026-02-30', '0000-00-00', '9999-99-99', ' 2026-01-01', '2026-01-01 ', '2026-1-1',
	'2026-13-01', '2026-00-10', '26-01-01', '2026/01/01', '+2026-01-01', '\u0662\u0660\u0662\u0666-01-01',
	'2026-01-01T00:00:00Z'];
// A whole number.
const INT = ['1', '', true, {}, [], [1], 1.5, 1e308, -1, 2 ** 31, 2 ** 53, raw('9007199254740993'),
	raw('9223372036854775807'), raw('-9223372036854775808'), raw('1.0'), raw('1E2'),
	raw('9223372036854775808', true), raw('-9223372036854775809', true), raw('1e400', true)];
// A record's id: also 0, -0 and ids no record has.
const ID = [...INT, 0, raw('-0'), 999999999];
// The version seen: also 0 and a stale one.
const VERSION = [...INT, 0, raw('-0'), 999999, 2 ** 31 - 1];
const BOOL = ['true', 'false', 1, 0, 'yes', {}, [], [true]];
const OBJECT = ['x', 42, true, [], [{}], BIG];
const LIST = ['x', 42, true, {}, [42], [{}], [null], [[]], [''], [BIG], [NON_NFC], ['%s%n'],
	Array(5000).fill('x')];
const ID_LIST = ['1', 42, true, {}, [0], [-1], ['1'], [1.5], [1e308], [999999999], [[1]],
	Array(5000).fill(999999999)];

const without = (list, ...drop) => list.filter((v) => !drop.some((d) => JSON.stringify(d) === JSON.stringify(v)));
// Optional values where a blank string means absent (ctip_text_blank in
// core: the default, e.g. today for a date): blank is valid there.
const OPT_CODE = without(CODE, '', ' \t ');
const OPT_DATE = without(DATE, '', ' \t ');

// --- a seeded generator (mulberry32), for the same mutations every run ---

function mulberry32(seed) {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

const ALPHABET = ['a', 'Z', '0', ' ', '"', '\\', '/', '%', '{', '}', '\u0300', '\u0301', '\u0323', 'đ', 'Đ', 'ư',
	'\u200b', '\u202e', '\ufeff', '\u{1F600}', '\u0007', '\u001f', '\u00a0', '\ufffd', '\u4e00'];

// A junk value: a string of random characters, a number, or a container.
function junk(next, depth = 0) {
	const k = Math.floor(next() * (depth > 2 ? 3 : 5));
	if (k === 0)
		return '~' + Array.from({ length: Math.floor(next() * 40) }, () => ALPHABET[Math.floor(next() * ALPHABET.length)]).join('');
	if (k === 1)
		return [0, -1, 2 ** 31, -(2 ** 31) - 1, 1e-300, 3.5, 1e308][Math.floor(next() * 7)];
	if (k === 2)
		return 'x'.repeat(1 + Math.floor(next() * 20000));
	if (k === 3)
		return Array.from({ length: Math.floor(next() * 4) }, () => junk(next, depth + 1));
	return { [junk(next, 3)]: junk(next, depth + 1) };
}

// --- request bodies ---

// [key, index, key, ...] of "tasks[0].timing.due_on".
function pathOf(name) {
	return name.split('.').flatMap((part) => {
		const m = /^([^[]*)((?:\[\d+\])*)$/.exec(part);
		const out = m[1] === '' ? [] : [m[1]];
		for (const i of m[2].matchAll(/\[(\d+)\]/g))
			out.push(Number(i[1]));
		return out;
	});
}

function setPath(obj, name, value) {
	const keys = pathOf(name);
	let o = obj;
	for (const k of keys.slice(0, -1))
		o = o[k];
	o[keys.at(-1)] = value;
}

const MARK = '@@fuzz-raw@@';

// The text of body with field name set to value (a raw value verbatim).
function bodyWith(base, name, value) {
	const b = structuredClone(base);
	if (isRaw(value)) {
		setPath(b, name, MARK);
		return JSON.stringify(b).replace(JSON.stringify(MARK), value.raw);
	}
	setPath(b, name, value);
	return JSON.stringify(b);
}

function describe(v) {
	const s = isRaw(v) ? `raw ${v.raw}` : JSON.stringify(v);
	return s.length > 70 ? `${s.slice(0, 60)}... (${s.length} chars)` : s;
}

// Bodies that are wrong as a whole. field: a 400 must name a field (a
// required one is missing).
const BODIES = [
	['null', 'null'],
	['[]', '[]'],
	['"x"', '"x"'],
	['42', '42'],
	['-0', '-0'],
	['1e308', '1e308'],
	['true', 'true'],
	['an empty body', ''],
	['{}', '{}', { field: true }],
	['{} with a 100 KB unknown member', JSON.stringify({ zzz: HUGE }), { field: true }],
	['a truncated object', '{"a":'],
	['a trailing comma', '{"a":1,}'],
	['single quotes', "{'a':1}"],
	['NaN', '{"a":NaN}'],
	['a comment', '{/*x*/}'],
	['duplicate keys', '{"version":1,"version":2}'],
	['a NUL escape', '{"a":"x\\u0000y"}'],
	['a lone surrogate', '{"a":"\\ud800"}'],
	['a raw NUL byte', '{"a":"x\u0000y"}'],
	['invalid UTF-8', Buffer.concat([Buffer.from('{"a":"'), Buffer.from([0xff, 0xfe, 0xc0, 0x80]), Buffer.from('"}')])],
	['a byte order mark', '\ufeff{}'],
	['100,000 nested arrays', '['.repeat(100000)],
	['20,000 nested objects', '{"a":'.repeat(20000) + '1' + '}'.repeat(20000)],
	['a 100 KB string', JSON.stringify(HUGE)],
	['a body over 1 MiB', JSON.stringify({ a: 'z'.repeat(1100 << 10) })],
];

const PATH_IDS = ['0', '-1', '1e3', 'abc', '0x10', '+1', '01', '1.0', '%00', '%2e', '%ff', '999999999',
	'9223372036854775807', '9223372036854775808', '99999999999999999999'];

// --- sending, and checking an answer ---

// One request as client (its cookie and CSRF token). Resolves with
// { status, ctype, text } or { error } when no answer came.
async function send(client, method, path, body, { contentType = 'application/json' } = {}) {
	const headers = {};
	if (client.cookie)
		headers.cookie = `ctip_session=${client.cookie}`;
	if (client.csrf && method !== 'GET')
		headers['x-csrf-token'] = client.csrf;
	if (body !== undefined)
		headers['content-type'] = contentType;
	try {
		const res = await fetch(server.url + path, { method, headers, body, redirect: 'manual' });
		const text = await res.text();
		return { status: res.status, ctype: res.headers.get('content-type') ?? '', text };
	} catch (e) {
		return { error: `${e.message}${e.cause ? `: ${e.cause.code ?? e.cause.message}` : ''}` };
	}
}

// How many wrong answers a failure lists (CTIP_FUZZ_SHOW for more).
const SHOW = Number(process.env.CTIP_FUZZ_SHOW ?? 60);

const REFUSED = new Set([400, 403, 404, 409, 413, 422]);

// What is wrong with answer r to a refused request, or null. field: the
// field at fault, which a 400 must name (the same path, or one inside or
// around it: "person.sex" for "person", "tasks[0].timing" for
// "tasks[0].timing.due_on"), or alt; true: some field.
function fault(r, { field, alt, get = false, also = [] } = {}) {
	if (r.error)
		return `no answer: ${r.error}`;
	if (get && r.status === 200) {
		try {
			JSON.parse(r.text);
		} catch {
			return `200 without JSON: ${r.text.slice(0, 120)}`;
		}
		return null;
	}
	if (also.includes(r.status) && r.status < 400)
		return null; // an answer the route may give (a 200 proposal)
	if (!REFUSED.has(r.status) && !also.includes(r.status))
		return `${r.status} ${r.text.slice(0, 200)}`;
	if (!/^application\/problem\+json\b/.test(r.ctype))
		return `${r.status} with Content-Type ${r.ctype}: ${r.text.slice(0, 120)}`;
	let p;
	try {
		p = JSON.parse(r.text);
	} catch {
		return `${r.status} body is not JSON: ${r.text.slice(0, 120)}`;
	}
	if (typeof p.code !== 'string' || typeof p.message !== 'string')
		return `${r.status} problem without a string code and message: ${r.text.slice(0, 120)}`;
	if (r.status === 400 && field !== undefined) {
		if (typeof p.field !== 'string' || p.field === '')
			return `400 without field: ${r.text.slice(0, 200)}`;
		const near = (a, b) => a === b || a.startsWith(`${b}.`) || a.startsWith(`${b}[`);
		if (field !== true && !near(p.field, field) && !near(field, p.field) && p.field !== alt)
			return `400 names ${p.field}, not ${field}: ${r.text.slice(0, 200)}`;
	}
	return null;
}

// Run fns (each () => Promise) with at most n at once.
async function pool(fns, n = 8) {
	const out = new Array(fns.length);
	let next = 0;
	await Promise.all(Array.from({ length: n }, async () => {
		while (next < fns.length) {
			const i = next++;
			out[i] = await fns[i]();
		}
	}));
	return out;
}

// --- the database, before and after ---

const UNHASHED = new Set(['audit_log', 'session']);
let TABLES;

// sha3 of each table but the unhashed ones, and the audit log's last id.
function snapshot() {
	const args = [db, ...TABLES.map((t) => `.sha3sum ${t}`), 'select coalesce(max(id), 0) from audit_log'];
	const r = spawnSync('sqlite3', args, { encoding: 'utf8' });
	assert.equal(r.status, 0, r.stderr);
	const lines = r.stdout.trim().split('\n');
	const audit = Number(lines.pop());
	const tables = Object.fromEntries(lines.map((l) => l.split('|').reverse()));
	return { tables, audit };
}

function changedTables(a, b) {
	return Object.keys(a.tables).filter((t) => a.tables[t] !== b.tables[t]);
}

// The audit entries written since snapshot a: "action type id".
function auditedSince(a) {
	const out = sqlite(db, `select action || ' ' || object_type || ' ' || replace(object_id, char(10), ' ') ` +
		`from audit_log where id > ${a.audit} order by id`);
	return out === '' ? [] : out.split('\n');
}

// --- records and users ---

let seq = 0;
const uniqueName = () => `Lò Thị Fuzz ${['An', 'Bình', 'Chi', 'Dung', 'Giang', 'Hà', 'Khuê', 'Linh'][seq % 8]} ${seq++}`;

function personInput(extra = {}) {
	return {
		role: 'under_identification', sex: 'F', birth_year: 1996, citizenship: 'vn_citizen', nationality: 'VN',
		province: '01', commune: '00004', full_name: uniqueName(), citizen_id: '001196000123', phone: '0912345678',
		address: 'Số 1 phố Hàng Bài', contacts: 'Chị gái', received_on: today(), ethnicity: '01', confirm_new: true,
		...extra,
	};
}

function intakeInput(extra = {}) {
	return {
		received_at: new Date(Date.now() - 3600000).toISOString().slice(0, 19) + 'Z',
		channel: 'HOTLINE_111', language: 'vi', province: '01', commune: '00004',
		summary: 'Người nhà báo tin con gái bị đưa sang biên giới',
		reporter: { anonymous: false, name: 'Nguyễn Văn Báo', phone: '0987654321' },
		mentioned_phones: ['0911222333'], mentioned_names: ['Tên Môi Giới'],
		classification: null, purpose: null, urgency: 'high', ...extra,
	};
}

function planInput(extra = {}) {
	return {
		number: '12/KH-FZ', title: 'Kế hoạch phòng, chống mua bán người (fuzz)', issued_on: '2026-01-15',
		legal_basis: 'Luật Phòng, chống mua bán người 2024', parent_plan_id: null,
		period_from: '2026-01-01', period_to: '2026-12-31',
		sections: [{ key: 's1', number: 'I', title: 'NHIỆM VỤ' }],
		tasks: [{
			section: 's1', number: '1', text: 'Tuyên truyền', expected_output: 'Báo cáo',
			timing: { kind: 'once', due_on: '2026-06-30' }, source_task_id: null,
			lead: [{ agency: 'POLICE' }], coordinate: [{ agency: 'HEALTH' }],
		}],
		...extra,
	};
}

async function version(client, path) {
	return ok(await client.get(path)).version;
}

before(async () => {
	({ db, key } = await initDb({ demo: 5 }));
	server = await startServer({ db });
	TABLES = sqlite(db, "select name from sqlite_schema where type = 'table' and name not like 'sqlite_%' order by name")
		.split('\n').filter((t) => !UNHASHED.has(t));
	for (const adminCode of ['00004', '00008', '01'])
		await addOrg(db, { adminCode });
	const users = {
		adm: { adminCode: '01', roles: ['administrator'] },
		cw: { adminCode: '00004', roles: ['case_worker'] }, // Ba Đình commune police
		other: { adminCode: '00008', roles: ['case_worker'] }, // Ngọc Hà: receives the referral
		inv: { adminCode: '00004', roles: ['investigator'] },
		st: { adminCode: '00004', roles: ['statistician'] },
		sup: { adminCode: '01', roles: ['supervisor'] }, // Hà Nội province police
		pw: { adminCode: '00004', roles: ['case_worker'] }, // changes its password under fire
	};
	for (const [name, u] of Object.entries(users)) {
		const a = await addUser(db, key, `fz-${name}`, { name: `Fuzz ${name}`, ...u });
		as[name] = await signIn(server.url, a);
	}
	rec.pwUser = as.pw.user.id;
	const { cw, inv, st, sup, other } = as;

	// Persons: one under identification (steps, events, referral), one
	// victim (services, consents, protection, follow-ups).
	rec.person = ok(await cw.post('/api/persons', personInput()), 201).id;
	rec.victim = ok(await cw.post('/api/persons', personInput({ role: 'victim', identification: IDENTIFIED })), 201).id;
	rec.spare = ok(await cw.post('/api/persons', personInput({ role: 'victim', identification: IDENTIFIED })), 201).id;
	rec.consent = ok(await cw.post(`/api/persons/${rec.victim}/consents`,
		{ scope: 'data_sharing', given_by: 'self', given_on: today() }), 201).id;
	rec.measure = ok(await cw.post(`/api/persons/${rec.victim}/protection`,
		{ kind: 'escort', beneficiary: 'person', start_on: today(), note: 'Hộ tống' }), 201).id;
	rec.followUp = ok(await cw.post(`/api/persons/${rec.victim}/follow-ups`,
		{ due_on: today(), note: 'Thăm tại nhà' }), 201).id;

	// Intakes: a tip (extend, decide, case) and a plain one (resolve).
	rec.tip = ok(await cw.post('/api/intakes', intakeInput({ channel: 'DENUNCIATION' })), 201).id;
	rec.info = ok(await cw.post('/api/intakes', intakeInput({ classification: 'information' })), 201).id;

	// A case of the investigator.
	rec.case = ok(await inv.post('/api/cases', { title: 'Vụ án fuzz', article: '150' }), 201).id;

	// A referral of the person to Ngọc Hà.
	rec.otherUnit = other.user.org_unit.id;
	rec.referral = ok(await cw.post('/api/referrals',
		{ object_type: 'person', object_id: rec.person, to_unit_id: rec.otherUnit, note: 'Chuyển xác minh' }), 201).id;

	// A commune report submitted for the province to review.
	const q = 'form=BC_XA_6T&period=2026-H1&place=00004';
	const draft = ok(await st.get(`/api/reports?${q}`));
	rec.report = ok(await st.post('/api/reports/submit',
		{ form: 'BC_XA_6T', period: '2026-H1', place: '00004', note: 'Số liệu đã rà soát', version: draft.version ?? 0 })).id;

	// An activity of the commune.
	rec.activity = ok(await cw.post('/api/activities', {
		kind: 'training', title: 'Tập huấn', started_on: '2026-03-02', ended_on: '2026-03-03', participants: 12,
	}), 201).id;

	// A province plan with a task led by the province police (the
	// supervisor's own unit), for the commune to cascade.
	const plan = ok(await sup.post('/api/plans', planInput()), 201);
	rec.plan = plan.id;
	rec.task = plan.tasks[0].id;
});

after(async () => {
	if (server)
		await stopOk(server);
});

// --- the write routes ---

// Each route: who sends it, its path (the records' ids filled in), a
// valid body, and the hostile values of each of its documented fields.
// skip: values of a field that are valid input there (sending them would
// write). bodyless: the route reads no body (only its path is fuzzed, the
// hostile bodies go to an id no record has).
function routes() {
	return [
		// Sessions.
		{
			route: 'POST /api/session', as: () => new Client(server.url), path: '/api/session',
			base: () => ({ username: 'fz-nobody', password: 'không phải mật khẩu' }),
			fields: { username: CODE, password: REQUIRED },
			audits: ['session.login'], // a failed login is audited
			also: [401], // a wrong username or password
		},
		{
			route: 'POST /api/session/password', as: 'pw', path: '/api/session/password',
			base: () => ({ current_password: PASSWORD, new_password: 'mật khẩu mới rất dài 2027' }),
			fields: {
				current_password: REQUIRED,
				new_password: [...REQUIRED, 'short', 'z'.repeat(129), PASSWORD, 'fz-pw-fz-pw-fz-pw'.slice(0, 5)],
			},
		},
		// Administration.
		{
			route: 'POST /api/org-units', as: 'adm', path: '/api/org-units',
			base: () => ({ agency: 'HEALTH', admin_code: '00004' }),
			fields: { agency: CODE, admin_code: [...CODE, '0', '99999', '000040', 'VN '] },
		},
		{
			route: 'POST /api/users', as: 'adm', path: '/api/users',
			base: () => ({ username: 'fz-new-user', display_name: 'Người dùng mới', org_unit_id: as.cw.user.org_unit.id, roles: ['case_worker'] }),
			fields: {
				username: without(CODE, 'null'), display_name: REQUIRED, org_unit_id: ID,
				roles: [...LIST, [], ['root'], ['case_worker', 'case_worker'], Array(16).fill('case_worker')],
			},
		},
		{ route: 'POST /api/users/{id}/disable', as: 'adm', path: '/api/users/{id}/disable', ids: { id: () => rec.pwUser }, bodyless: true },
		{ route: 'POST /api/users/{id}/reset-password', as: 'adm', path: '/api/users/{id}/reset-password', ids: { id: () => rec.pwUser }, bodyless: true },
		// Persons. A write refused for a record it names (missing, or
		// another unit's: a path id, person_id, intake_id, object_id,
		// accompanies_id) is audited as denied, like a refused read; so
		// are the writes to intakes, cases and referrals below.
		{
			route: 'POST /api/persons', as: 'cw', audits: ['person.create'], path: '/api/persons',
			base: () => personInput(),
			fields: personFields(''),
		},
		{
			route: 'POST /api/persons/{id}/steps', as: 'cw', audits: ['person.step'], path: '/api/persons/{id}/steps', ids: { id: () => rec.person },
			base: async () => ({
				step: 'identify', on: today(), reason: 'Xác định nạn nhân', evidence: ['a', 'dd'],
				document: { type: 'rescue_confirmation', issuer: 'Đồn Biên phòng', number: '17/XN', date: today() },
				version: await version(as.cw, `/api/persons/${rec.person}`),
			}),
			fields: {
				step: CODE, on: OPT_DATE, reason: TEXT, version: VERSION,
				// (A blank letter is skipped, as a blank string is absent.)
				evidence: [...without(LIST, ['']), [], ['a', 'a'], ['z'], Array(20).fill('a')],
				document: [...OBJECT, {}], 'document.type': CODE, 'document.issuer': REQUIRED, 'document.number': REQUIRED,
				'document.date': [...DATE, '2099-01-01'],
			},
		},
		{
			route: 'POST /api/persons/{id}/events', as: 'cw', audits: ['person.event'], path: '/api/persons/{id}/events', ids: { id: () => rec.person },
			base: () => ({
				abroad: true, destination: 'KH', recruitment_means: 'online_ad', recruited_on: '2026-01-10',
				discovery: 'rescued', discovered_on: '2026-02-01', purposes: ['LABOUR'],
			}),
			fields: {
				abroad: BOOL, destination: CODE, recruitment_means: CODE, recruited_on: DATE, discovery: CODE,
				discovered_on: DATE, purposes: [...LIST, []],
			},
		},
		{
			route: 'POST /api/persons/{id}/services', as: 'cw', audits: ['person.support'], path: '/api/persons/{id}/services', ids: { id: () => rec.victim },
			base: () => ({
				support: 'ESSENTIAL', provider: 'Cơ sở bảo trợ xã hội', provided_on: today(), location: 'in_vn',
				unit: 'day', quantity: 1, amount_vnd: 0, note: 'Ăn ở',
			}),
			fields: {
				support: CODE, provider: TEXT, provided_on: OPT_DATE, location: OPT_CODE, unit: CODE, note: TEXT,
				override_reason: TEXT, quantity: [...INT, 0, 100001], amount_vnd: [...without(INT, 2 ** 31), 1000000000001],
			},
		},
		{
			route: 'POST /api/persons/{id}/consents', as: 'cw', audits: ['person.consent'], path: '/api/persons/{id}/consents', ids: { id: () => rec.victim },
			base: () => ({ scope: 'research', given_by: 'self', representative: null, given_on: today() }),
			fields: { scope: CODE, given_by: CODE, representative: TEXT, given_on: OPT_DATE },
		},
		{
			route: 'POST /api/persons/{id}/consents/{cid}/withdraw', as: 'cw', audits: ['person.consent.withdraw'], path: '/api/persons/{id}/consents/{cid}/withdraw',
			ids: { id: () => rec.victim, cid: () => rec.consent },
			base: async () => ({ on: today(), reason: 'Không đồng ý nữa', version: await version(as.cw, `/api/persons/${rec.victim}`) }),
			fields: { on: OPT_DATE, reason: TEXT, version: VERSION },
		},
		{
			route: 'POST /api/persons/{id}/protection', as: 'cw', audits: ['person.protection'], path: '/api/persons/{id}/protection', ids: { id: () => rec.victim },
			base: () => ({ kind: 'residence_guard', beneficiary: 'person', start_on: today(), end_on: null, note: 'Canh gác' }),
			fields: { kind: CODE, beneficiary: OPT_CODE, start_on: OPT_DATE, end_on: OPT_DATE, note: TEXT },
		},
		{
			route: 'POST /api/persons/{id}/protection/{mid}/end', as: 'cw', audits: ['person.protection.end'], path: '/api/persons/{id}/protection/{mid}/end',
			ids: { id: () => rec.victim, mid: () => rec.measure },
			base: async () => ({ on: today(), version: await version(as.cw, `/api/persons/${rec.victim}`) }),
			fields: { on: OPT_DATE, version: VERSION },
		},
		{
			route: 'POST /api/persons/{id}/follow-ups', as: 'cw', audits: ['person.follow_up'], path: '/api/persons/{id}/follow-ups', ids: { id: () => rec.victim },
			base: () => ({ due_on: '2027-01-15', note: 'Thăm lại' }),
			fields: { due_on: DATE, note: TEXT },
		},
		{
			route: 'POST /api/persons/{id}/follow-ups/{fid}/visit', as: 'cw', audits: ['person.visit'], path: '/api/persons/{id}/follow-ups/{fid}/visit',
			ids: { id: () => rec.victim, fid: () => rec.followUp },
			base: async () => ({ done_on: today(), outcome: 'stable', note: 'Ổn định', version: await version(as.cw, `/api/persons/${rec.victim}`) }),
			fields: { done_on: OPT_DATE, outcome: CODE, note: TEXT, version: VERSION },
		},
		// Intakes.
		{
			route: 'POST /api/intakes', as: 'cw', path: '/api/intakes',
			base: () => intakeInput(),
			fields: {
				received_at: [...without(DATE, '2026-01-01T00:00:00Z'), '2026-02-30T08:00:00Z', '2099-01-01T00:00:00Z',
					'2026-01-01T25:00:00Z', '2026-01-01T00:00:00+25:00'],
				channel: CODE, language: CODE, province: CODE, commune: CODE, summary: REQUIRED,
				classification: CODE, purpose: CODE, urgency: CODE,
				reporter: [...OBJECT, {}, { anonymous: 'no' }], 'reporter.anonymous': BOOL, 'reporter.name': TEXT,
				'reporter.phone': [...TEXT, 'abc'],
				mentioned_phones: [...LIST, Array(11).fill('0911222333')], mentioned_names: [...without(LIST, [NON_NFC], ['%s%n']), Array(11).fill('Tên')],
			},
		},
		{
			route: 'POST /api/intakes/{id}/classify', as: 'cw', audits: ['intake.classify'], path: '/api/intakes/{id}/classify', ids: { id: () => rec.info },
			base: async () => ({ classification: 'victim_help', purpose: 'LABOUR', urgency: 'normal', version: await version(as.cw, `/api/intakes/${rec.info}`) }),
			fields: { classification: CODE, purpose: CODE, urgency: CODE, version: VERSION },
		},
		{
			route: 'POST /api/intakes/{id}/extend', as: 'cw', path: '/api/intakes/{id}/extend', ids: { id: () => rec.tip },
			base: async () => ({ kind: 'complex', version: await version(as.cw, `/api/intakes/${rec.tip}`) }),
			fields: { kind: CODE, version: VERSION },
		},
		{
			route: 'POST /api/intakes/{id}/decide', as: 'cw', path: '/api/intakes/{id}/decide', ids: { id: () => rec.tip },
			base: async () => ({ decision: 'initiate', note: 'Khởi tố', version: await version(as.cw, `/api/intakes/${rec.tip}`) }),
			fields: { decision: CODE, note: TEXT, version: VERSION },
		},
		{
			route: 'POST /api/intakes/{id}/resolve', as: 'cw', audits: ['intake.resolve'], path: '/api/intakes/{id}/resolve', ids: { id: () => rec.info },
			base: async () => ({ resolution: 'Đã tư vấn', version: await version(as.cw, `/api/intakes/${rec.info}`) }),
			fields: { resolution: REQUIRED, version: VERSION },
		},
		{
			route: 'POST /api/intakes/{id}/persons', as: 'cw', audits: ['intake.person'], path: '/api/intakes/{id}/persons', ids: { id: () => rec.tip },
			base: () => ({ person: personInput({ role: 'victim', identification: IDENTIFIED }), minors: [minorInput()], confirm_new: true }),
			fields: {
				person: OBJECT, minors: [...without(OBJECT, []), [42], ['x'], [[]], Array(200).fill(minorInput())], confirm_new: BOOL,
				...personFields('person.', ['accompanies_id', 'confirm_new']),
				'minors[0].role': CODE, 'minors[0].sex': CODE, 'minors[0].birth_date': [...DATE, '2000-01-01'],
				'minors[0].full_name': REQUIRED,
			},
		},
		{
			route: 'POST /api/intakes/{id}/case', as: 'inv', audits: ['case.create'], path: '/api/intakes/{id}/case', ids: { id: () => rec.tip },
			base: () => ({ article: '151', title: 'Vụ án từ tin báo' }),
			fields: { article: CODE, title: TEXT },
		},
		// Cases.
		{
			route: 'POST /api/cases', as: 'inv', path: '/api/cases',
			base: () => ({ title: 'Vụ án mới', article: 'other' }),
			fields: { title: TEXT, article: CODE },
		},
		{
			route: 'POST /api/cases/{id}/stage', as: 'inv', audits: ['case.stage'], path: '/api/cases/{id}/stage', ids: { id: () => rec.case },
			base: async () => ({ to: 'initiated', on: today(), note: 'Khởi tố vụ án', case_number: '01/2026', article: '150', version: await version(as.inv, `/api/cases/${rec.case}`) }),
			fields: { to: CODE, on: DATE, note: TEXT, case_number: [...REQUIRED, 'z'.repeat(41)], article: CODE, version: VERSION },
		},
		{
			route: 'POST /api/cases/{id}/edit', as: 'inv', audits: ['case.update'], path: '/api/cases/{id}/edit', ids: { id: () => rec.case },
			base: async () => ({ title: 'Vụ án đã sửa', article: '150', version: await version(as.inv, `/api/cases/${rec.case}`) }),
			fields: { title: TEXT, article: CODE, case_number: [...TEXT, 'z'.repeat(41)], version: VERSION },
		},
		{
			route: 'POST /api/cases/{id}/offenders', as: 'inv', audits: ['case.offender_add'], path: '/api/cases/{id}/offenders', ids: { id: () => rec.case },
			base: async () => ({
				role: 'recruiter', sex: 'M', birth_year: 1980, nationality: 'VN', name: 'Đối tượng A',
				citizen_id: '001080000123', version: await version(as.inv, `/api/cases/${rec.case}`),
			}),
			fields: {
				role: CODE, sex: CODE, birth_year: [...INT, 1899, 3000, 0], nationality: CODE, name: TEXT,
				citizen_id: [...CODE, '12345678901', '1234567890123', '00108000012a'], version: VERSION,
			},
		},
		{
			route: 'POST /api/cases/{id}/victims', as: 'inv', audits: ['case.victim_link'], path: '/api/cases/{id}/victims', ids: { id: () => rec.case },
			base: async () => ({ person_id: rec.victim, reason: 'Điều tra', version: await version(as.inv, `/api/cases/${rec.case}`) }),
			fields: { person_id: ID, reason: TEXT, version: VERSION },
		},
		{
			route: 'POST /api/cases/{id}/intakes', as: 'inv', audits: ['case.intake_link'], path: '/api/cases/{id}/intakes', ids: { id: () => rec.case },
			base: async () => ({ intake_id: rec.info, version: await version(as.inv, `/api/cases/${rec.case}`) }),
			fields: { intake_id: ID, version: VERSION },
		},
		// Referrals.
		{
			route: 'POST /api/referrals', as: 'cw', audits: ['referral.send'], path: '/api/referrals',
			base: () => ({ object_type: 'person', object_id: rec.spare, to_unit_id: rec.otherUnit, note: 'Chuyển hỗ trợ' }),
			fields: { object_type: CODE, object_id: ID, to_unit_id: ID, note: TEXT },
			// to_unit_id is checked before the person is read (with its
			// identity, audited): a referral refused for anything but its
			// record audits nothing; a missing or hidden record is denied.
		},
		...['accept', 'refuse', 'complete'].map((s) => ({
			route: `POST /api/referrals/{id}/${s}`, as: 'other', audits: [`referral.${s}`], path: `/api/referrals/{id}/${s}`, ids: { id: () => rec.referral },
			base: async () => ({ version: await version(as.other, `/api/referrals/${rec.referral}`), ...(s === 'refuse' ? { reason: 'Không đúng thẩm quyền' } : {}) }),
			fields: { version: VERSION, ...(s === 'refuse' ? { reason: REQUIRED } : {}) },
		})),
		{
			route: 'POST /api/referrals/{id}/withdraw', as: 'cw', audits: ['referral.withdraw'], path: '/api/referrals/{id}/withdraw', ids: { id: () => rec.referral },
			base: async () => ({ version: await version(as.cw, `/api/referrals/${rec.referral}`) }),
			fields: { version: VERSION },
		},
		// Reports.
		{
			route: 'POST /api/reports/submit', as: 'st', path: '/api/reports/submit',
			base: () => ({ form: 'BC_XA_NAM', period: '2025', place: '00004', note: 'Đã rà soát', version: 0 }),
			fields: {
				form: CODE, period: [...CODE, '2026-Q5', '2026-H3', '0000', '99999', '2026-H1 ', '2030'], place: OPT_CODE,
				note: TEXT, version: without(VERSION, 0, raw('-0')),
			},
		},
		{
			route: 'POST /api/reports/deadlines', as: 'sup', path: '/api/reports/deadlines',
			base: () => ({ form: 'BC_TINH_6T', period_no: 2, month_day: '12-20' }),
			fields: { form: CODE, period_no: [...INT, 0, 5], month_day: [...DATE, '02-30', '13-01', '00-00', '1-1', '12-32'] },
		},
		{
			route: 'POST /api/reports/{id}/review', as: 'sup', path: '/api/reports/{id}/review', ids: { id: () => rec.report },
			base: async () => ({ decision: 'return', comment: 'Bổ sung số liệu', version: await version(as.sup, `/api/reports/${rec.report}`) }),
			fields: { decision: CODE, comment: TEXT, version: VERSION },
		},
		// Activities.
		{
			route: 'POST /api/activities', as: 'cw', path: '/api/activities',
			base: () => ({ kind: 'communication', title: 'Truyền thông', started_on: '2026-04-01', ended_on: '2026-04-01', participants: 40, note: 'Tại nhà văn hóa' }),
			fields: {
				kind: CODE, title: REQUIRED, started_on: DATE, ended_on: [...DATE, '2026-03-31'], note: TEXT,
				participants: [...INT, 10000001],
			},
		},
		{
			route: 'POST /api/activities/{id}/edit', as: 'cw', path: '/api/activities/{id}/edit', ids: { id: () => rec.activity },
			base: async () => ({ kind: 'training', title: 'Tập huấn lại', started_on: '2026-03-02', ended_on: '2026-03-03', participants: 13, note: null, version: await version(as.cw, `/api/activities/${rec.activity}`) }),
			fields: {
				kind: CODE, title: REQUIRED, started_on: DATE, ended_on: [...DATE, '2026-03-01'], note: TEXT,
				participants: [...INT, 10000001], version: VERSION,
			},
		},
		// Plans.
		{
			route: 'POST /api/plans', as: 'sup', path: '/api/plans',
			base: () => planInput(),
			fields: {
				number: TEXT, title: REQUIRED, issued_on: DATE, legal_basis: TEXT, parent_plan_id: ID,
				period_from: DATE, period_to: [...DATE, '2025-12-31'],
				sections: [...OBJECT, [42], [{}], [{ key: 's1' }, { key: 's1' }],
					Array.from({ length: 501 }, (_, i) => ({ key: i ? `k${i}` : 's1', number: `${i}`, title: 'Mục' }))],
				'sections[0].key': CODE, 'sections[0].title': TEXT, 'sections[0].parent': OPT_CODE,
				tasks: [...OBJECT, [42], [{}], Array(2001).fill(planInput().tasks[0])], 'tasks[0].section': OPT_CODE, 'tasks[0].text': REQUIRED,
				'tasks[0].expected_output': TEXT, 'tasks[0].timing': [...OBJECT, {}, { kind: 'never' }, { kind: 'yearly', from: '02-30', to: '13-01' }],
				'tasks[0].timing.kind': CODE, 'tasks[0].timing.due_on': DATE, 'tasks[0].source_task_id': ID,
				'tasks[0].lead': [...OBJECT, [], [42], [{}], [{ unit_id: 999999999 }], [{ agency: 'NOPE' }], [{ all_units: 'yes' }],
					Array(51).fill({ agency: 'POLICE' }), Array(5000).fill({ all_units: true })],
				'tasks[0].lead[0].unit_id': ID, 'tasks[0].lead[0].agency': CODE,
				'tasks[0].coordinate': [...without(OBJECT, []), [42], [{}]],
			},
			// Without its section (or its key) the task's section is unknown.
			alt: { sections: 'tasks[0].section', 'sections[0].key': 'tasks[0].section' },
		},
		{
			route: 'POST /api/plans/{id}/cascade', as: 'st', path: '/api/plans/{id}/cascade', ids: { id: () => rec.plan },
			base: () => ({ task_ids: [rec.task], number: '3/KH-UBND', title: 'Kế hoạch của xã', issued_on: '2026-02-01', period_from: '2026-01-01', period_to: '2026-12-31' }),
			fields: {
				task_ids: [...ID_LIST, []], number: TEXT, title: REQUIRED, issued_on: DATE, period_from: DATE,
				period_to: [...DATE, '2025-01-01'],
			},
		},
		{
			route: 'POST /api/plans/{id}/tasks/{tid}', as: 'sup', path: '/api/plans/{id}/tasks/{tid}',
			ids: { id: () => rec.plan, tid: () => rec.task },
			base: async () => ({
				text: 'Tuyên truyền (sửa)', expected_output: 'Báo cáo', timing: { kind: 'continuous' },
				lead: [{ agency: 'POLICE' }], coordinate: [], version: await version(as.sup, `/api/plans/${rec.plan}`),
			}),
			fields: {
				text: REQUIRED, expected_output: TEXT, timing: [...OBJECT, {}, { kind: 'once' }, { kind: 'once', due_on: '2026-02-30' }],
				'timing.kind': CODE, lead: [...OBJECT, [], [42], [{}], [{ unit_id: 999999999 }]], 'lead[0].agency': CODE,
				coordinate: [...without(OBJECT, []), [42], [{}]], version: VERSION,
			},
		},
		{
			// The body is a document (text/plain), not JSON: parsed, not
			// saved. A bad document is a 400 naming "file"; one with tasks
			// is a 200 proposal, and nothing is written either way.
			route: 'POST /api/plans/import', as: 'sup', path: '/api/plans/import', document: true, also: [200],
		},
		{
			route: 'POST /api/plans/{id}/tasks/{tid}/progress', as: 'sup', path: '/api/plans/{id}/tasks/{tid}/progress',
			ids: { id: () => rec.plan, tid: () => rec.task },
			base: () => ({ period: '2026-H1', status: 'in_progress', reason: null, evidence: 'Đã làm', activity_ids: [], report_ids: [], version: 0 }),
			fields: {
				period: [...CODE, '2026-Q1', '2026-H3', '0000', '2026-H1 '], status: CODE, reason: TEXT, evidence: TEXT,
				activity_ids: ID_LIST, report_ids: ID_LIST, version: without(VERSION, 0, raw('-0')),
			},
		},
	];
}

// The fields of a person input, under prefix ("" or "person.").
function personFields(prefix, leave = []) {
	const f = {
		role: CODE, accompanies_id: ID, sex: CODE, birth_date: [...DATE, '2030-01-01'],
		birth_year: [...INT, 0, 1800, 3000], estimated_age: [...INT, 0, 200], ethnicity: CODE, nationality: CODE,
		citizenship: CODE, province: CODE, commune: CODE, received_on: [...DATE, '2099-01-01'], full_name: REQUIRED,
		citizen_id: [...CODE, '12345678901', '0011960001234', '00119600012a'], phone: [...TEXT, 'abc', '+'],
		address: TEXT, contacts: TEXT, confirm_new: BOOL,
	};
	return Object.fromEntries(Object.entries(f).filter(([k]) => !leave.includes(k)).map(([k, vs]) => [prefix + k, vs]));
}

function minorInput() {
	return {
		role: 'accompanying_minor', sex: 'M', birth_date: '2016-04-02', citizenship: 'vn_citizen', nationality: 'VN',
		province: '01', commune: '00004', full_name: uniqueName(),
	};
}

// Plan documents: binary, huge, deep, and odd but readable ones.
const TASK_LINE = 'a) Công an tỉnh chủ trì, phối hợp với Sở Y tế tuyên truyền phòng, chống mua bán người.\n';
const DOCUMENTS = [
	['a NUL byte', Buffer.from('KẾ HOẠCH\nII. NHIỆM VỤ\n1. Tuyên\u0000truyền\n')],
	['invalid UTF-8', Buffer.concat([Buffer.from('II. NHIỆM VỤ\n1. '), Buffer.from([0xc3, 0x28, 0xff, 0xfe]), Buffer.from('\n')])],
	['an overlong UTF-8 slash', Buffer.from([0x49, 0x49, 0x2e, 0x20, 0xc0, 0xaf, 0x0a])],
	['a truncated UTF-8 character', Buffer.from([0x31, 0x2e, 0x20, 0xe1, 0xbb])],
	['only whitespace', ' \n\t\r\n   \n'],
	['a byte order mark only', '\ufeff'],
	['random bytes', Buffer.from(Array.from({ length: 8192 }, (_, i) => (i * 2654435761 >>> 24) & 0xff))],
	['one line of 900 KB', 'II. NHIỆM VỤ\n1. ' + 'x'.repeat(900 << 10)],
	['numbering 5,000 levels deep', 'II. NHIỆM VỤ\n' + Array.from({ length: 5000 }, (_, i) => `${'1.'.repeat(i + 1)} Việc\n`).join('')],
	['a 20,000-part number', `II. NHIỆM VỤ\n${'1.'.repeat(20000)} Việc\n`],
	['12,000 tasks', 'II. NHIỆM VỤ\n1. Truyền thông\n' + TASK_LINE.repeat(12000)],
	['600 sections', Array.from({ length: 600 }, (_, i) => `${i + 1}. Mục ${i}\n${TASK_LINE}`).join('')],
	['roman numerals gone wild', 'MMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMM. NHIỆM VỤ\nIIIIIIIIIIIIIIII. X\n' + TASK_LINE],
	['CR line ends', 'KẾ HOẠCH\rII. NHIỆM VỤ\r1. Truyền thông\r' + TASK_LINE.replace('\n', '\r')],
	['control characters', 'II. NHIỆM VỤ\n1. \u0001\u0002\u001b[31m\u007f\n' + TASK_LINE.replace('Công', '\u0007Công')],
	['non-NFC Vietnamese', 'II. NHIE\u0323\u0302M VU\u0323\n1. Tuye\u0302n truye\u0300n\n' + TASK_LINE.normalize('NFD')],
	['%s format strings', 'II. %s%s%s%n\n1. %x%x%n\n' + TASK_LINE.replace('Công', '%s%n')],
	['a JSON body', JSON.stringify(planInput())],
];

// The path of route with its ids, one replaced by bad.
function fill(r, bad = {}) {
	return r.path.replace(/\{(\w+)\}/g, (_, name) => (name in bad ? bad[name] : String(r.ids[name]())));
}

// The requests of one route: [{ what, path, body, field }].
async function cases(r, next) {
	const out = [];
	if (r.document) {
		for (const [what, body] of [...BODIES, ...DOCUMENTS])
			out.push({ what: `document ${what}`, path: r.path, body, field: 'file', type: 'text/plain; charset=utf-8' });
		return out;
	}
	if (r.bodyless) {
		const nowhere = fill(r, { id: '999999999' });
		for (const [what, body] of BODIES)
			out.push({ what: `body ${what} (no such id)`, path: nowhere, body });
	} else {
		const base = await r.base();
		const path = fill(r);
		for (const [what, body, o] of BODIES)
			out.push({ what: `body ${what}`, path, body, field: o?.field ? true : undefined });
		const nulls = Object.fromEntries(Object.keys(base).map((k) => [k, null]));
		out.push({ what: 'every field null', path, body: JSON.stringify(nulls), field: true });
		for (const [name, values] of Object.entries(r.fields)) {
			for (const value of values) {
				out.push({
					what: `${name} = ${describe(value)}`, path, body: bodyWith(base, name, value),
					field: isRaw(value) && value.syntax ? undefined : name, alt: r.alt?.[name],
				});
			}
		}
		// Seeded mutations: a random code or date field set to junk (never
		// valid there, never blank), and a new member set to junk (ignored).
		const names = Object.keys(r.fields).filter((n) => r.fields[n].includes(NON_NFC));
		for (let i = 0; i < 6 && names.length > 0; i++) {
			const name = names[Math.floor(next() * names.length)];
			const value = junk(next);
			const b = structuredClone(base);
			setPath(b, name, value);
			b[`zz${Math.floor(next() * 1000)}`] = junk(next);
			out.push({ what: `seeded ${name} = ${describe(value)}`, path, body: JSON.stringify(b), field: name });
		}
	}
	// Bad ids in the path, with the valid body.
	const body = r.bodyless ? undefined : JSON.stringify(await r.base());
	for (const name of Object.keys(r.ids ?? {})) {
		for (const bad of PATH_IDS)
			out.push({ what: `{${name}} = ${bad}`, path: fill(r, { [name]: bad }), body, also: [405] });
	}
	return out;
}

const next = mulberry32(20261124);

for (const r of routes()) {
	test(`${r.route}: hostile input is refused with a problem naming the field, and changes nothing`, async () => {
		const client = typeof r.as === 'string' ? as[r.as] : r.as();
		const list = await cases(r, next);
		const before = snapshot();
		const answers = await pool(list.map((c) => () => send(client, 'POST', c.path, c.body, { contentType: c.type })));
		const after = snapshot();
		const faults = [];
		list.forEach((c, i) => {
			const f = fault(answers[i], { field: c.field, alt: c.alt, also: [...(r.also ?? []), ...(c.also ?? [])] });
			if (f)
				faults.push(`${c.what} [${c.path}]: ${f}`);
		});
		const changed = changedTables(before, after);
		if (changed.length > 0)
			faults.push(`the requests changed the tables ${changed.join(', ')}`);
		const audited = auditedSince(before).filter((e) => !(r.audits ?? []).includes(e.split(' ')[0]));
		if (audited.length > 0)
			faults.push(`the requests wrote ${audited.length} audit entries: ${[...new Set(audited)].join(', ')}`);
		assert.ok(faults.length === 0, `${r.route}: ${faults.length} of ${list.length} answers wrong:\n  ${faults.slice(0, SHOW).join('\n  ')}`);
		const h = await request(`${server.url}/healthz`);
		assert.equal(h.status, 200, `no /healthz after ${r.route}`);
	});
}

// --- query strings of GET routes ---

const QUERIES = [
	{ route: 'GET /api/persons', as: 'cw', path: '/api/persons', base: { q: 'Lò', limit: '10' },
		params: ['q', 'citizen_id', 'phone', 'commune', 'status', 'role', 'purpose', 'destination', 'overdue', 'reason', 'limit'] },
	{ route: 'GET /api/stats/values', as: 'st', path: '/api/stats/values',
		base: { indicator: 'V_RECEIVED', from: '2026-01-01', to: '2026-06-30', by: 'sex' },
		params: ['indicator', 'from', 'to', 'commune', 'province', 'by'] },
	{ route: 'GET /api/reports', as: 'st', path: '/api/reports', base: { form: 'BC_XA_6T', period: '2026-H1', place: '00004' },
		params: ['form', 'period', 'place'] },
	{ route: 'GET /api/intakes', as: 'cw', path: '/api/intakes', base: { due: 'overdue', status: 'received', limit: '10' },
		params: ['due', 'status', 'limit'] },
];

// Values of a query parameter, already percent-encoded where they must be.
const QUERY_VALUES = ['', '%00', 'a%00b', '%ff%fe', '%c0%80', encodeURIComponent(CONTROL), encodeURIComponent(NON_NFC),
	encodeURIComponent(BIG), '-1', '0', '1e308', '99999999999999999999', '9223372036854775808', '1.5', '2026-02-30',
	'0000-00-00', '9999-99-99', '%202026-01-01', encodeURIComponent("' OR 1=1 --"), '%25s%25s%25n', '%', '%zz'];

for (const qr of QUERIES) {
	test(`${qr.route}: hostile query strings get 200 or a problem naming the parameter`, async () => {
		const client = as[qr.as];
		const list = [];
		for (const p of qr.params) {
			for (const v of QUERY_VALUES) {
				const rest = Object.entries(qr.base).filter(([k]) => k !== p).map(([k, x]) => `${k}=${encodeURIComponent(x)}`);
				list.push({ what: `${p}=${v.length > 40 ? `${v.slice(0, 30)}...` : v}`, query: [...rest, `${p}=${v}`].join('&'), field: p });
			}
			list.push({ what: `${p} twice`, query: `${p}=a&${p}=b&${new URLSearchParams(qr.base)}`, field: true });
		}
		const before = snapshot();
		const answers = await pool(list.map((c) => () => send(client, 'GET', `${qr.path}?${c.query}`)));
		const after = snapshot();
		const faults = [];
		list.forEach((c, i) => {
			const f = fault(answers[i], { field: c.field, get: true });
			if (f)
				faults.push(`${c.what}: ${f}`);
		});
		const changed = changedTables(before, after);
		if (changed.length > 0)
			faults.push(`GET requests changed the tables ${changed.join(', ')}`);
		assert.ok(faults.length === 0, `${qr.route}: ${faults.length} of ${list.length} answers wrong:\n  ${faults.slice(0, SHOW).join('\n  ')}`);
	});
}

// Numeric query parameters take a whole number in range, nothing else:
// strtol alone would read "7x" as 7 and "abc" as 0.
const NUMBERS = [
	['cw', '/api/persons?q=L%C3%B2', 'limit'], ['cw', '/api/intakes?', 'limit'], ['cw', '/api/referrals?', 'limit'],
	['inv', '/api/cases?', 'limit'], ['inv', '/api/cases?', 'before'], ['cw', '/api/follow-ups?', 'days'], ['cw', '/api/activities?', 'limit'],
	['cw', '/api/activities?', 'before'], ['cw', '/api/plans/due?', 'days'],
	['st', '/api/stats/trend?indicator=V_RECEIVED&period_type=quarter', 'count'],
	['st', '/api/reports/export?form=BC_XA_6T&period=2026-H1&place=00004&format=csv', 'suppress'],
];
const NOT_NUMBERS = ['7x', 'abc', '1e3', '%205', '5%20', '%2B5', '0x10', '-1', '1.5', '99999999999999999999', '100000'];

test('numeric query parameters refuse anything but a whole number in range, naming the parameter', async () => {
	const faults = [];
	for (const [who, path, p] of NUMBERS) {
		const sep = path.endsWith('?') ? '' : '&';
		const good = await send(as[who], 'GET', `${path}${sep}${p}=1`);
		if (good.status !== 200)
			faults.push(`${path} ${p}=1: ${good.status} ${good.text.slice(0, 200)}`);
		// (100000 is out of range for all but an id to page from.)
		for (const v of NOT_NUMBERS.filter((x) => p !== 'before' || x !== '100000')) {
			const r = await send(as[who], 'GET', `${path}${sep}${p}=${v}`);
			if (r.status !== 400 || JSON.parse(r.text).field !== p)
				faults.push(`${path} ${p}=${v}: ${r.status} ${r.text.slice(0, 200)}`);
		}
	}
	assert.deepEqual(faults, []);
});

test('after all that the server still answers, printed no sanitizer report, and exits cleanly', async () => {
	const h = await request(`${server.url}/healthz`);
	assert.equal(h.status, 200);
	assert.equal(JSON.parse(h.body).status, 'ok');
	assert.doesNotMatch(server.stderr, /ERROR: (Address|Leak)Sanitizer|runtime error:|SUMMARY: \w+Sanitizer/, server.stderr);
	// The records fuzzed are as they were made: nothing half-written.
	const p = ok(await as.cw.get(`/api/persons/${rec.person}`));
	assert.equal(p.status, 'received');
	assert.equal(p.steps.length, 1);
	const k = ok(await as.inv.get(`/api/cases/${rec.case}`));
	assert.equal(k.stage, 'lead');
	assert.deepEqual(k.offenders, []);
	assert.deepEqual(k.victims, []);
});
