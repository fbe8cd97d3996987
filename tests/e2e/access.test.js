// access.test.js: issue 3's attacks on the access controls, against the real
// binary on 127.0.0.1: scope without existence leaks, reasons for province
// reads and their audit, pseudonymised views, roles, CSRF, API tokens,
// login throttling and sessions, tampering with the audit log, identity
// unreadable in the database file and the log, key rotation while serving.
//
// One database and one server for the whole file: each Argon2id login costs
// ~0.1 s, so the users sign in once (before()) and keep their sessions. The
// tests run in order; the last ones stop the server and tamper with copies
// of the database.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { IDENTIFIED, initDb, personCount, run, runOk, sleep, sqlite, startServer, stopOk, tempDir } from './lib.js';
import { Client, PASSWORD, addToken, addUser, ok, problem, setCookie, signIn } from './users.js';

// The person of commune A (Ba Đình, 00004) at the centre of the attacks.
const DAO = {
	role: 'victim', identification: IDENTIFIED, sex: 'F', birth_date: '1998-03-14', citizenship: 'vn_citizen', nationality: 'VN',
	ethnicity: '01', full_name: 'Nguyễn Thị Đào', citizen_id: '001198012345', phone: '0912 345 678',
	address: 'Nhà 4321 tổ dân phố Thử Nghiệm', province: '01', commune: '00004',
};
const DAO_PHONE = '0912345678'; // as stored: digits only
const REASON = 'Hồ sơ 2026/117: xác minh theo yêu cầu của Viện kiểm sát';

// More persons with distinctive identities, for the at-rest checks.
const OTHERS = [
	{ full_name: 'Lò Thị Xuyến', citizen_id: '014302987654', phone: '+84 987.654.321', stored: '0987654321' },
	{ full_name: 'Hoàng Văn Quýnh', citizen_id: '008096551122', phone: '(024) 3826-1177', stored: '02438261177' },
	{ full_name: 'Đặng Thị Ngọc Huyền', citizen_id: '036187440099', phone: '0369-555-012', stored: '0369555012' },
];

let db;
let key;
let server;
let url;
const acc = {}; // accounts from `ctip user add` (one-time passwords)
const as = {}; // their signed-in Clients
let daoId; // id of DAO, registered by commune A
let missingId; // an id no person has

// The forms of a name someone could look for in bytes: as typed (NFC), in
// NFD, without diacritics (đ as d), in lower and upper case.
function nameForms(name) {
	const plain = name.normalize('NFD').replace(/\p{M}/gu, '').replace(/đ/g, 'd').replace(/Đ/g, 'D');
	return [...new Set([name, name.normalize('NFD'), plain, plain.toLowerCase(), plain.toUpperCase(),
		name.toLowerCase(), name.toUpperCase()])];
}

// Every secret of DAO and OTHERS, as strings that must appear nowhere.
function secrets() {
	const s = [...nameForms(DAO.full_name), DAO.citizen_id, DAO_PHONE, DAO.phone, DAO.address];
	for (const o of OTHERS)
		s.push(...nameForms(o.full_name), o.citizen_id, o.phone, o.stored);
	return s;
}

// Two 404 answers tell nothing apart: same status, headers that matter,
// keys, code, and the same message once each asked id is blanked out.
function sameNotFound(a, aId, b, bId) {
	problem(a, 404, 'not_found');
	problem(b, 404, 'not_found');
	assert.equal(a.headers.get('content-type'), b.headers.get('content-type'));
	assert.deepEqual(Object.keys(a.body).sort(), Object.keys(b.body).sort());
	const blank = (r, id) => r.text.replaceAll(String(id), 'ID');
	assert.equal(blank(a, aId), blank(b, bId));
}

const ids = (r) => r.body.items.map((p) => p.id);

// Audit entries (newest first) of the auditor's GET /api/audit?query.
async function audit(query) {
	const r = await as.aud.get(`/api/audit?${new URLSearchParams(query)}`);
	assert.equal(r.status, 200, r.text);
	return r.body.items;
}

function ctipVerify(dbFile, extra = []) {
	return run(['audit', 'verify', '--db', dbFile, '--key', key, ...extra]);
}

before(async () => {
	({ db, key } = await initDb({ demo: 50 }));
	// Debug logging: the log must hold no identity even at its most verbose.
	server = await startServer({ db, env: { CTIP_DEBUG: '1' } });
	url = server.url;
	const users = {
		cwA: { adminCode: '00004', roles: ['case_worker'] }, // commune A, province 01
		cwB: { adminCode: '00008', roles: ['case_worker'] }, // commune B, province 01
		provCw: { adminCode: '01', roles: ['case_worker'] },
		provSup: { adminCode: '01', roles: ['supervisor'] },
		otherProv: { adminCode: '04', roles: ['case_worker', 'supervisor'] }, // Cao Bằng
		stat: { adminCode: 'VN', roles: ['statistician'] },
		adm: { adminCode: 'VN', roles: ['administrator'] },
		admProv: { adminCode: '04', roles: ['administrator'] }, // Cao Bằng's administrator
		admCommune: { adminCode: '00008', roles: ['administrator'] }, // commune B's
		aud: { adminCode: 'VN', roles: ['auditor'] },
		// for the login and session tests
		fresh: { adminCode: '00004', roles: ['case_worker'] },
		lock: { adminCode: '00004', roles: ['case_worker'] },
		race: { adminCode: '00004', roles: ['case_worker'] },
		dis: { adminCode: '00004', roles: ['case_worker'] },
		rst: { adminCode: '00004', roles: ['case_worker'] },
	};
	for (const [name, u] of Object.entries(users))
		acc[name] = await addUser(db, key, name.toLowerCase(), { name: `E2E ${name}`, ...u });
	const signed = ['cwA', 'cwB', 'provCw', 'provSup', 'otherProv', 'stat', 'adm', 'admProv', 'admCommune', 'aud',
		'dis', 'rst'];
	await Promise.all(signed.map(async (n) => {
		as[n] = await signIn(url, acc[n]);
	}));
	missingId = Number(sqlite(db, 'select max(id) from person')) + 100000;
});

after(async () => {
	if (server)
		await server.stop().catch(() => {});
});

// 1. Scope: commune A's person is invisible to commune B.

test('a commune case worker registers a person and sees its identity', async () => {
	const r = await as.cwA.post('/api/persons', DAO);
	assert.equal(r.status, 201, r.text);
	daoId = r.body.id;
	assert.ok(Number.isInteger(daoId) && daoId > 0);
	assert.equal(r.body.owner_unit_id, as.cwA.user.org_unit.id);
	assert.deepEqual(r.body.identity, {
		full_name: DAO.full_name, citizen_id: DAO.citizen_id, phone: DAO_PHONE, address: DAO.address,
		contacts: null,
	});
	const g = await as.cwA.get(`/api/persons/${daoId}`);
	assert.equal(g.status, 200, g.text);
	assert.equal(g.body.identity.full_name, DAO.full_name);
	assert.equal(g.body.birth_date, DAO.birth_date);
	assert.match(g.body.pseudonym, /^P-[0-9A-F]{12}$/);
	// Its own unit needs no reason, but the read is audited.
	const reads = await audit({ action: 'person.read', user: 'cwa' });
	assert.ok(reads.some((e) => e.object_id === String(daoId) && e.reason === '' && e.outcome === 'ok'));
});

test('the owner finds the person by name without diacritics, with đ typed as d, by citizen ID and phone', async () => {
	for (const q of ['nguyen thi dao', 'Nguyễn Thị Đào', 'NGUYEN THI DAO', 'Nguyen Thi Dao', 'dao nguyen',
		'Đào', 'dao', 'nguyễn thị đào'.normalize('NFD')]) {
		const r = await as.cwA.get(`/api/persons?q=${encodeURIComponent(q)}`);
		assert.equal(r.status, 200, r.text);
		assert.ok(ids(r).includes(daoId), `"${q}" does not find ${DAO.full_name}`);
		const p = r.body.items.find((x) => x.id === daoId);
		assert.equal(p.identity.full_name, DAO.full_name);
	}
	for (const qs of [`citizen_id=${DAO.citizen_id}`, `phone=${encodeURIComponent('+84 912-345-678')}`,
		`phone=${DAO_PHONE}`]) {
		const r = await as.cwA.get(`/api/persons?${qs}`);
		assert.equal(r.status, 200, r.text);
		assert.deepEqual(ids(r), [daoId], qs);
	}
	// A name it does not have finds nothing.
	const none = await as.cwA.get(`/api/persons?q=${encodeURIComponent('nguyen thi dao xuyen')}`);
	assert.deepEqual(none.body.items, []);
});

test('commune B gets the same 404 for the person as for an id that does not exist', async () => {
	const hidden = await as.cwB.get(`/api/persons/${daoId}`);
	const missing = await as.cwB.get(`/api/persons/${missingId}`);
	sameNotFound(hidden, daoId, missing, missingId);
	// A reason does not widen a commune's scope.
	const withReason = await as.cwB.get(`/api/persons/${daoId}?reason=${encodeURIComponent(REASON)}`);
	sameNotFound(withReason, daoId, missing, missingId);
	// Nor can B name it as the adult a minor accompanies.
	const minor = { role: 'accompanying_minor', sex: 'F', citizenship: 'vn_citizen', province: '01',
		full_name: 'Trẻ Em Thử', birth_date: '2019-01-01' };
	const a = await as.cwB.post('/api/persons', { ...minor, accompanies_id: daoId });
	const b = await as.cwB.post('/api/persons', { ...minor, accompanies_id: missingId });
	problem(a, 400, 'invalid');
	assert.equal(a.body.field, 'accompanies_id');
	assert.equal(a.text, b.text);
	// Each refused read is in the audit log, for the hidden id as for the
	// missing one: the auditor sees the probing, the prober nothing.
	const refused = (await audit({ action: 'person.read', user: 'cwb' })).filter((e) => e.outcome === 'denied');
	for (const id of [daoId, missingId])
		assert.ok(refused.some((e) => e.object_id === String(id)), JSON.stringify(refused));
	assert.ok(refused.some((e) => e.object_id === String(daoId) && e.reason === REASON), JSON.stringify(refused));
	// So is each refused adult, under the registration it was named in.
	const adults = (await audit({ action: 'person.create', user: 'cwb' })).filter((e) => e.outcome === 'denied');
	assert.deepEqual(adults.map((e) => e.object_id).sort(), [daoId, missingId].map(String).sort());
	// The auditor asks for the refusals alone.
	const only = await audit({ outcome: 'denied', user: 'cwb' });
	assert.ok(only.length >= 5 && only.every((e) => e.outcome === 'denied'), JSON.stringify(only));
	assert.deepEqual(only.map((e) => e.id), [...refused, ...adults].map((e) => e.id).sort((x, y) => y - x));
	problem(await as.aud.get('/api/audit?outcome=maybe'), 400, 'invalid', 'outcome');
});

test('commune B finds nothing by name, citizen ID or phone, and its list leaves the person out', async () => {
	const queries = ['q=nguyen%20thi%20dao', `q=${encodeURIComponent(DAO.full_name)}`, 'q=dao',
		`citizen_id=${DAO.citizen_id}`, `phone=${DAO_PHONE}`, `phone=${encodeURIComponent(DAO.phone)}`,
		`q=dao&reason=${encodeURIComponent(REASON)}`, `citizen_id=${DAO.citizen_id}&reason=x`];
	for (const qs of queries) {
		const r = await as.cwB.get(`/api/persons?${qs}`);
		assert.equal(r.status, 200, `${qs}: ${r.text}`);
		assert.deepEqual(r.body.items, [], qs);
	}
	const list = await as.cwB.get('/api/persons?limit=200');
	assert.equal(list.status, 200);
	assert.ok(!ids(list).includes(daoId));
	for (const p of list.body.items)
		assert.equal(p.owner_unit_id, as.cwB.user.org_unit.id);
	for (const s of secrets())
		assert.ok(!list.text.includes(s), `B's list holds "${s}"`);
});

// 2. Province scope, reasons, pseudonyms, roles.

test('a province case worker needs a reason, which is audited with the read', async () => {
	for (const qs of ['', '?reason=', '?reason=%20%20%09']) {
		const r = await as.provCw.get(`/api/persons/${daoId}${qs}`);
		const body = problem(r, 403, 'reason_required');
		assert.equal(body.field, 'reason');
		assert.ok(!r.text.includes('Đào') && !r.text.includes(DAO.citizen_id));
	}
	const r = await as.provCw.get(`/api/persons/${daoId}?reason=${encodeURIComponent(REASON)}`);
	assert.equal(r.status, 200, r.text);
	assert.equal(r.body.identity.full_name, DAO.full_name);
	assert.equal(r.body.identity.citizen_id, DAO.citizen_id);
	const [e] = await audit({ action: 'person.read', user: 'provcw' });
	assert.ok(e, 'no person.read entry of provcw');
	assert.equal(e.object_type, 'person');
	assert.equal(e.object_id, String(daoId));
	assert.equal(e.reason, REASON);
	assert.equal(e.username, 'provcw');
	assert.equal(e.org_unit_id, as.provCw.user.org_unit.id);
	assert.equal(e.outcome, 'ok');
	assert.equal(e.ip, '127.0.0.1');
});

test('a province case worker searching by identity without a reason learns nothing, with one it is audited', async () => {
	// Without a reason the search must not confirm that the name, citizen ID
	// or phone belongs to a person of another unit (unaudited).
	for (const qs of [`citizen_id=${DAO.citizen_id}`, 'q=nguyen%20thi%20dao', `phone=${DAO_PHONE}`]) {
		const r = await as.provCw.get(`/api/persons?${qs}`);
		assert.equal(r.status, 200, r.text);
		assert.ok(!ids(r).includes(daoId), `${qs} without a reason finds the person`);
	}
	const before = (await audit({ action: 'person.search', user: 'provcw' })).length;
	const r = await as.provCw.get(`/api/persons?citizen_id=${DAO.citizen_id}&reason=${encodeURIComponent(REASON)}`);
	assert.equal(r.status, 200, r.text);
	assert.deepEqual(ids(r), [daoId]);
	assert.equal(r.body.items[0].identity.full_name, DAO.full_name);
	const entries = await audit({ action: 'person.search', user: 'provcw' });
	assert.equal(entries.length, before + 1);
	assert.equal(entries[0].object_id, String(daoId));
	assert.equal(entries[0].reason, REASON);
});

test('another province sees nothing of the person, even with a reason', async () => {
	const missing = await as.otherProv.get(`/api/persons/${missingId}`);
	for (const qs of ['', `?reason=${encodeURIComponent(REASON)}`])
		sameNotFound(await as.otherProv.get(`/api/persons/${daoId}${qs}`), daoId, missing, missingId);
	for (const qs of ['q=nguyen%20thi%20dao', `citizen_id=${DAO.citizen_id}&reason=x`, `phone=${DAO_PHONE}&reason=x`,
		'limit=200']) {
		const r = await as.otherProv.get(`/api/persons?${qs}`);
		assert.equal(r.status, 200, r.text);
		assert.ok(!ids(r).includes(daoId), qs);
		for (const p of r.body.items)
			assert.equal(p.province, '04', qs);
	}
});

test('a province supervisor sees the person pseudonymised, never its identity', async () => {
	const a = await as.cwA.get(`/api/persons/${daoId}`);
	for (const qs of ['', `?reason=${encodeURIComponent(REASON)}`]) {
		const r = await as.provSup.get(`/api/persons/${daoId}${qs}`);
		assert.equal(r.status, 200, r.text);
		assert.equal(r.body.identity, null);
		assert.equal(r.body.pseudonym, a.body.pseudonym);
		assert.equal(r.body.birth_date, null);
		assert.equal(r.body.birth_year, 1998);
		assert.equal(r.body.province, '01');
		for (const s of [...secrets(), DAO.birth_date])
			assert.ok(!r.text.includes(s), `the supervisor's view holds "${s}"`);
	}
	const list = await as.provSup.get('/api/persons?limit=200');
	assert.equal(list.status, 200);
	const p = list.body.items.find((x) => x.id === daoId);
	assert.ok(p, 'the province list leaves the person out');
	assert.equal(p.identity, null);
	for (const x of list.body.items) {
		assert.equal(x.identity, null);
		assert.equal(x.birth_date, null);
	}
	for (const s of secrets())
		assert.ok(!list.text.includes(s), `the supervisor's list holds "${s}"`);
	// Its reads of pseudonymised data leave no identity-read entry.
	assert.deepEqual(await audit({ action: 'person.read', user: 'provsup' }), []);
});

test('a province supervisor cannot re-identify a pseudonym by searching names, citizen IDs or phones', async () => {
	for (const qs of ['q=nguyen%20thi%20dao', `q=${encodeURIComponent(DAO.full_name)}`, 'q=dao',
		`citizen_id=${DAO.citizen_id}`, `phone=${DAO_PHONE}`,
		`citizen_id=${DAO.citizen_id}&reason=${encodeURIComponent(REASON)}`]) {
		const r = await as.provSup.get(`/api/persons?${qs}`);
		assert.ok(r.status === 200 || r.status === 403, `${qs}: ${r.text}`);
		if (r.status === 200)
			assert.ok(!ids(r).includes(daoId), `${qs} tells the supervisor who ${DAO.full_name} is`);
		else
			problem(r, 403, 'forbidden');
	}
});

test('a national statistician gets 403 for any person and for searches', async () => {
	const r = await as.stat.get(`/api/persons/${daoId}`);
	const m = await as.stat.get(`/api/persons/${missingId}`);
	problem(r, 403, 'forbidden');
	problem(m, 403, 'forbidden');
	assert.equal(r.text, m.text, 'the same answer whether the person exists or not');
	for (const qs of ['', '?q=dao', `?citizen_id=${DAO.citizen_id}`, '?limit=10'])
		problem(await as.stat.get(`/api/persons${qs}`), 403, 'forbidden');
	problem(await as.stat.post('/api/persons', DAO), 403, 'forbidden');
});

test('administrators and auditors may not read, search or register persons', async () => {
	for (const who of ['adm', 'aud']) {
		const c = as[who];
		for (const qs of ['', '?q=dao', `?citizen_id=${DAO.citizen_id}`])
			problem(await c.get(`/api/persons${qs}`), 403, 'forbidden');
		problem(await c.post('/api/persons', DAO), 403, 'forbidden');
		// By id: refused for the role, with no hint whether it exists.
		const r = await c.get(`/api/persons/${daoId}`);
		problem(r, 403, 'forbidden');
		assert.ok(!r.text.includes('Đào') && !r.text.includes(DAO.citizen_id));
		const m = await c.get(`/api/persons/${missingId}`);
		assert.equal(r.status, m.status);
		assert.equal(r.text.replaceAll(String(daoId), 'ID'), m.text.replaceAll(String(missingId), 'ID'));
	}
	// A supervisor may see but not register.
	problem(await as.provSup.post('/api/persons', DAO), 403, 'forbidden');
});

test('case workers and supervisors may not touch users, org units or the audit log', async () => {
	const n = Number(sqlite(db, 'select count(*) from app_user'));
	for (const who of ['cwA', 'provCw', 'provSup', 'stat']) {
		const c = as[who];
		for (const p of ['/api/users', '/api/audit', '/api/audit?limit=1', '/api/org-units'])
			problem(await c.get(p), 403, 'forbidden');
		problem(await c.post('/api/users', { username: `x${who.toLowerCase()}`, display_name: 'X',
			org_unit_id: 1, roles: ['administrator'] }), 403, 'forbidden');
		problem(await c.post(`/api/users/${acc.adm.id}/disable`), 403, 'forbidden');
		problem(await c.post(`/api/users/${acc.adm.id}/reset-password`), 403, 'forbidden');
		problem(await c.post('/api/org-units', { agency: 'POLICE', admin_code: '00008' }), 403, 'forbidden');
	}
	assert.equal(Number(sqlite(db, 'select count(*) from app_user')), n);
	// The administrator manages users but reads no audit log; the auditor
	// the reverse.
	assert.equal((await as.adm.get('/api/users')).status, 200);
	problem(await as.adm.get('/api/audit'), 403, 'forbidden');
	problem(await as.aud.get('/api/users'), 403, 'forbidden');
	assert.equal((await as.aud.get('/api/audit')).status, 200);
});

test('an administrator manages only the accounts and units of its own place', async () => {
	const units = async (c) => ok(await c.get('/api/org-units')).items;
	const unitOf = async (code) => (await units(as.adm)).find((u) => u.admin_code === code && u.agency === 'POLICE');
	const unitA = await unitOf('00004');
	const unitCaoBang = await unitOf('04');
	const countUsers = () => Number(sqlite(db, 'select count(*) from app_user'));
	const countUnits = () => Number(sqlite(db, 'select count(*) from org_unit'));

	// What each one sees: the nation all; a province its own; a commune its own.
	const all = ok(await as.adm.get('/api/users')).items.map((u) => u.username);
	assert.ok(all.includes(acc.cwA.username) && all.includes(acc.admProv.username));
	const prov = ok(await as.admProv.get('/api/users')).items.map((u) => u.username);
	assert.ok(prov.includes(acc.otherProv.username) && prov.includes(acc.admProv.username), prov.join());
	assert.ok(!prov.includes(acc.cwA.username) && !prov.includes(acc.adm.username), prov.join());
	const commune = ok(await as.admCommune.get('/api/users')).items.map((u) => u.username);
	assert.deepEqual(commune.sort(), [acc.admCommune.username, acc.cwB.username].sort());
	assert.ok((await units(as.admProv)).every((u) => u.province_code === '04'));
	assert.deepEqual((await units(as.admCommune)).map((u) => u.admin_code), ['00008']);

	// Neither can make itself a way into commune A: no account there, no
	// unit there, no reset or disabling of A's accounts (which answer as
	// accounts that do not exist); nothing changes.
	const [nUsers, nUnits] = [countUsers(), countUnits()];
	for (const c of [as.admProv, as.admCommune]) {
		problem(await c.post('/api/users', { username: 'mole', display_name: 'Nội gián',
			org_unit_id: unitA.id, roles: ['case_worker'] }), 403, 'forbidden', 'org_unit_id');
		problem(await c.post('/api/org-units', { agency: 'HEALTH', admin_code: '00004' }), 403, 'forbidden',
			'admin_code');
		const missing = await c.post('/api/users/999999/reset-password');
		problem(missing, 404, 'not_found');
		for (const action of ['reset-password', 'disable']) {
			const r = await c.post(`/api/users/${acc.cwA.id}/${action}`);
			problem(r, 404, 'not_found');
			assert.equal(r.body.message.replace(String(acc.cwA.id), 'ID'), missing.body.message.replace('999999', 'ID'));
		}
	}
	problem(await as.admCommune.post('/api/users', { username: 'mole2', display_name: 'Nội gián',
		org_unit_id: unitCaoBang.id, roles: ['case_worker'] }), 403, 'forbidden', 'org_unit_id');
	// An auditor reads the log of every place: not theirs to make, even at home.
	const own = { admProv: unitCaoBang, admCommune: (await units(as.admCommune))[0] };
	for (const who of ['admProv', 'admCommune'])
		problem(await as[who].post('/api/users', { username: `aud.${who.toLowerCase()}`, display_name: 'Kiểm tra',
			org_unit_id: own[who].id, roles: ['auditor'] }), 403, 'forbidden', 'roles');
	assert.equal(countUsers(), nUsers);
	assert.equal(countUnits(), nUnits);
	assert.equal(ok(await as.cwA.get(`/api/persons/${daoId}`)).identity.full_name, DAO.full_name, 'cwA still signed in');

	// Within its own place it works: Cao Bằng's administrator adds a unit
	// of a Cao Bằng commune and an account in it.
	const communeCaoBang = ok(await as.admProv.get('/api/ref/communes?province=04')).items[0].code;
	const health = ok(await as.admProv.post('/api/org-units', { agency: 'HEALTH', admin_code: communeCaoBang }), 201);
	const made = ok(await as.admProv.post('/api/users', { username: 'caobang.yte', display_name: 'Y tế Cao Bằng',
		org_unit_id: health.id, roles: ['case_worker'] }), 201);
	assert.equal(made.user.org_unit_id, health.id);
	assert.ok(ok(await as.admProv.get('/api/users')).items.some((u) => u.id === made.user.id));
	assert.ok(!ok(await as.admCommune.get('/api/users')).items.some((u) => u.id === made.user.id));
	// The nation's administrator may make an auditor anywhere.
	ok(await as.adm.post('/api/users', { username: 'caobang.kiemtra', display_name: 'Kiểm tra Cao Bằng',
		org_unit_id: unitCaoBang.id, roles: ['auditor'] }), 201);
});

// 3. CSRF and API tokens.

test('a cookie write without X-CSRF-Token is refused and creates nothing', async () => {
	const n = personCount(db);
	for (const csrf of [null, '', 'x', 'A'.repeat(43)]) {
		const r = await as.cwA.post('/api/persons', { ...DAO, full_name: 'Không Được Tạo' }, { csrf });
		const body = problem(r, 403, 'csrf');
		assert.equal(body.field, 'X-CSRF-Token');
	}
	// The token in a query string or a cookie does not count either.
	const q = await as.cwA.req('POST', `/api/persons?csrf_token=${as.cwA.csrf}`,
		{ body: DAO, csrf: null, headers: { cookie: `ctip_session=${as.cwA.cookie}; csrf_token=${as.cwA.csrf}` } });
	problem(q, 403, 'csrf');
	assert.equal(personCount(db), n);
	// The other writes are guarded too: no logout, no password change.
	problem(await as.cwA.req('DELETE', '/api/session', { csrf: null }), 403, 'csrf');
	problem(await as.cwA.post('/api/session/password', { current_password: PASSWORD, new_password: 'a new one 123456' },
		{ csrf: null }), 403, 'csrf');
	problem(await as.adm.post('/api/users', { username: 'csrfvictim', display_name: 'X', org_unit_id: 1,
		roles: ['administrator'] }, { csrf: null }), 403, 'csrf');
	assert.equal(sqlite(db, "select count(*) from app_user where username = 'csrfvictim'"), '0');
	assert.equal((await as.cwA.get('/api/session')).status, 200, 'the session survived');
});

test('the CSRF token of an ended session and another user\'s token are refused', async () => {
	const n = personCount(db);
	const c = new Client(url);
	assert.equal((await c.login('cwa', PASSWORD)).status, 200);
	const old = { cookie: c.cookie, csrf: c.csrf };
	assert.equal((await c.logout()).status, 204);
	assert.equal((await c.login('cwa', PASSWORD)).status, 200);
	assert.notEqual(c.csrf, old.csrf);
	problem(await c.post('/api/persons', DAO, { csrf: old.csrf }), 403, 'csrf');
	// The main session of the same user has a token of its own.
	problem(await c.post('/api/persons', DAO, { csrf: as.cwA.csrf }), 403, 'csrf');
	// Another user's token.
	problem(await as.cwA.post('/api/persons', DAO, { csrf: as.cwB.csrf }), 403, 'csrf');
	problem(await as.cwB.post('/api/persons', DAO, { csrf: as.cwA.csrf }), 403, 'csrf');
	// The ended session's own cookie and token together: no session.
	problem(await c.post('/api/persons', DAO, old), 401, 'unauthenticated');
	assert.equal(personCount(db), n);
	// GET /api/session hands out the current token, which works.
	const s = await c.get('/api/session');
	assert.equal(s.body.csrf_token, c.csrf);
	assert.equal((await c.logout()).status, 204);
});

let token; // API token of cwa

test('an API token works as a Bearer without CSRF; unknown and revoked ones get 401', async () => {
	token = await addToken(db, key, 'cwa', 'e2e system');
	const sys = new Client(url, { bearer: token });
	const g = await sys.get(`/api/persons/${daoId}`);
	assert.equal(g.status, 200, g.text);
	assert.equal(g.body.identity.full_name, DAO.full_name);
	assert.equal(setCookie(g.res), undefined, 'a bearer request got a cookie');
	const p = await sys.post('/api/persons', { ...DAO, full_name: 'Hệ Thống Tạo', citizen_id: null, phone: null });
	assert.equal(p.status, 201, p.text);
	assert.equal(p.body.owner_unit_id, as.cwA.user.org_unit.id);
	// Bearer tokens have no session to end.
	problem(await sys.req('DELETE', '/api/session'), 400, 'invalid');
	// A token does not widen the user's scope.
	assert.equal((await sys.get('/api/audit')).status, 403);
	// Unknown, malformed, and a valid cookie does not rescue a bad bearer.
	for (const t of ['ctip_' + 'A'.repeat(43), 'nonsense', token + 'x', token.slice(0, -1)]) {
		problem(await sys.get(`/api/persons/${daoId}`, { bearer: t }), 401, 'unauthenticated');
		problem(await as.cwA.get(`/api/persons/${daoId}`, { bearer: t }), 401, 'unauthenticated');
		const n = personCount(db);
		problem(await sys.post('/api/persons', DAO, { bearer: t }), 401, 'unauthenticated');
		assert.equal(personCount(db), n);
	}
	// Revoked (there is no CLI for it yet: as the store would).
	sqlite(db, "update api_token set revoked_at = '2026-01-01T00:00:00Z' where name = 'e2e system'");
	problem(await sys.get(`/api/persons/${daoId}`), 401, 'unauthenticated');
	problem(await sys.post('/api/persons', DAO), 401, 'unauthenticated');
	assert.ok(!(await sys.get(`/api/persons/${daoId}`)).text.includes('Đào'));
});

// 4. Login, throttling, sessions.

test('a wrong password and an unknown user get the same 401', async () => {
	const c = new Client(url);
	const wrong = await c.login('cwb', 'not the password 123');
	const unknown = await c.login('nosuchuser', 'not the password 123');
	const empty = await c.login('cwb', '');
	problem(wrong, 401, 'unauthenticated');
	problem(unknown, 401, 'unauthenticated');
	assert.equal(wrong.text, unknown.text);
	assert.equal(setCookie(wrong.res), undefined);
	assert.equal(setCookie(unknown.res), undefined);
	assert.equal(problem(empty, 400, 'invalid').field, 'password');
	const fails = await audit({ action: 'session.login', user: 'nosuchuser' });
	assert.equal(fails[0]?.outcome, 'failed');
});

test('after 5 wrong passwords even the right one gets the wrong password\'s 401, and the attempts are audited', async () => {
	const c = new Client(url);
	const wrong = [];
	for (let i = 0; i < 5; i++)
		wrong.push(problem(await c.login('lock', `wrong password ${i}`), 401, 'unauthenticated'));
	const r = await c.login('lock', acc.lock.password);
	// Locked, but the answer says no more than a wrong password's: the
	// same bytes as for a name that does not exist.
	problem(r, 401, 'unauthenticated');
	assert.equal(r.text, (await c.login('nosuchuser', 'wrong password 0')).text);
	assert.equal(r.text, JSON.stringify(wrong[0]));
	assert.equal(setCookie(r.res), undefined);
	problem(await c.login('lock', 'wrong again 123'), 401, 'unauthenticated');
	const entries = (await audit({ action: 'session.login', user: 'lock' })).reverse();
	assert.deepEqual(entries.map((e) => e.outcome),
		['failed', 'failed', 'failed', 'failed', 'locked', 'locked', 'locked']);
	for (const e of entries) {
		assert.equal(e.object_id, 'lock');
		assert.equal(e.ip, '127.0.0.1');
	}
});

test('5 wrong passwords sent at once lock the account as well', async () => {
	// Logins in parallel must not lose each other's failure count.
	const srv = await startServer({ db, threads: 8 });
	try {
		const c = new Client(srv.url);
		const rs = await Promise.all(Array.from({ length: 5 }, (_, i) => c.login('race', `wrong password ${i}`)));
		for (const r of rs)
			problem(r, 401, 'unauthenticated');
		problem(await c.login('race', acc.race.password), 401, 'unauthenticated');
		assert.ok(sqlite(db, "select locked_until from app_user where username = 'race'") > new Date().toISOString());
	} finally {
		await stopOk(srv);
	}
});

test('until the one-time password is changed only the session routes answer', async () => {
	const c = new Client(url);
	const r = await c.login('fresh', acc.fresh.password);
	assert.equal(r.status, 200, r.text);
	assert.equal(r.body.user.must_change_password, true);
	assert.equal(r.body.user.username, 'fresh');
	assert.deepEqual(r.body.user.roles, ['case_worker']);
	assert.equal(r.body.user.org_unit.admin_code, '00004');
	assert.equal(typeof r.body.csrf_token, 'string');
	const n = personCount(db);
	problem(await c.get('/api/persons'), 403, 'password_change_required');
	problem(await c.get(`/api/persons/${daoId}`), 403, 'password_change_required');
	problem(await c.post('/api/persons', DAO), 403, 'password_change_required');
	assert.equal(personCount(db), n);
	assert.equal((await c.get('/api/session')).status, 200);
	// API tokens of such a user are held back too.
	const t = await addToken(db, key, 'fresh');
	problem(await new Client(url, { bearer: t }).get('/api/persons'), 403, 'password_change_required');
	// Bad changes name the field.
	let p = await c.post('/api/session/password', { current_password: 'wrong one 12345', new_password: PASSWORD });
	assert.equal(problem(p, 400, 'invalid').field, 'current_password');
	p = await c.post('/api/session/password', { current_password: acc.fresh.password, new_password: 'short' });
	assert.equal(problem(p, 400, 'invalid').field, 'new_password');
	p = await c.post('/api/session/password', { current_password: acc.fresh.password, new_password: acc.fresh.password });
	assert.equal(problem(p, 400, 'invalid').field, 'new_password');
	problem(await c.get('/api/persons'), 403, 'password_change_required');
	p = await c.post('/api/session/password', { current_password: acc.fresh.password, new_password: PASSWORD });
	assert.equal(p.status, 204, p.text);
	assert.equal((await c.get('/api/persons')).status, 200);
	assert.equal((await c.get('/api/session')).body.user.must_change_password, false);
	// The one-time password is spent.
	problem(await new Client(url).login('fresh', acc.fresh.password), 401, 'unauthenticated');
});

test('the session cookie is HttpOnly, SameSite=Strict, Path=/; logout clears it and ends the session', async () => {
	const c = new Client(url);
	const r = await c.login('cwb', PASSWORD);
	assert.equal(r.status, 200);
	const { header, value } = setCookie(r.res);
	const attrs = header.split(/;\s*/).slice(1).map((a) => a.toLowerCase());
	assert.ok(attrs.includes('httponly'), header);
	assert.ok(attrs.includes('samesite=strict'), header);
	assert.ok(attrs.includes('path=/'), header);
	assert.ok(!attrs.some((a) => a.startsWith('domain')), header);
	assert.match(value, /^[A-Za-z0-9_-]{43}$/);
	// The token is not the CSRF token, and neither is in the body twice.
	assert.notEqual(value, r.body.csrf_token);
	assert.ok(!r.text.includes(value), 'the session token is readable from the body');
	assert.equal(r.headers.get('cache-control'), 'no-store');
	const old = c.cookie;
	assert.equal((await c.get('/api/persons')).status, 200);
	const out = await c.logout();
	assert.equal(out.status, 204);
	const cleared = setCookie(out.res);
	assert.ok(cleared, 'logout does not clear the cookie');
	assert.equal(cleared.value, '');
	assert.match(cleared.header, /Max-Age=0/i);
	for (const p of ['/api/session', '/api/persons', `/api/persons/${daoId}`])
		problem(await c.get(p, { cookie: old }), 401, 'unauthenticated');
	problem(await c.req('DELETE', '/api/session', { cookie: old, csrf: r.body.csrf_token }), 401, 'unauthenticated');
	// Other sessions of the same user live on.
	assert.equal((await as.cwB.get('/api/session')).status, 200);
	const e = await audit({ action: 'session.logout', user: 'cwb' });
	assert.equal(e[0]?.outcome, 'ok');
});

test('disabling a user ends its sessions and its tokens; it cannot sign in again', async () => {
	const t = await addToken(db, key, 'dis');
	assert.equal((await as.dis.get('/api/persons')).status, 200);
	assert.equal((await new Client(url, { bearer: t }).get('/api/persons')).status, 200);
	// By the administrator over the API, with its CSRF token.
	problem(await as.adm.post(`/api/users/${acc.dis.id}/disable`, undefined, { csrf: null }), 403, 'csrf');
	assert.equal((await as.dis.get('/api/persons')).status, 200);
	const r = await as.adm.post(`/api/users/${acc.dis.id}/disable`);
	assert.equal(r.status, 200, r.text);
	assert.equal(r.body.disabled, true);
	problem(await as.dis.get('/api/persons'), 401, 'unauthenticated');
	problem(await as.dis.get('/api/session'), 401, 'unauthenticated');
	problem(await new Client(url, { bearer: t }).get('/api/persons'), 401, 'unauthenticated');
	const again = await new Client(url).login('dis', PASSWORD);
	const unknown = await new Client(url).login('nosuchuser', PASSWORD);
	problem(again, 401, 'unauthenticated');
	assert.equal(again.text, unknown.text);
	const e = await audit({ action: 'user.disable', user: 'adm' });
	assert.equal(e[0]?.object_id, String(acc.dis.id));
});

test('a password reset (CLI) ends the sessions and spends the old password', async () => {
	assert.equal((await as.rst.get('/api/persons')).status, 200);
	const out = await runOk(['user', 'reset-password', 'rst', '--db', db, '--key', key]);
	const fresh = /new one-time password of rst: (\S+)/.exec(out)?.[1];
	assert.ok(fresh, out);
	problem(await as.rst.get('/api/persons'), 401, 'unauthenticated');
	problem(await new Client(url).login('rst', PASSWORD), 401, 'unauthenticated');
	const c = new Client(url);
	const r = await c.login('rst', fresh);
	assert.equal(r.status, 200, r.text);
	assert.equal(r.body.user.must_change_password, true);
	problem(await c.get('/api/persons'), 403, 'password_change_required');
});

// 6. Identity is not readable in the database files or the log.

test('names, citizen IDs and phones appear in no database file and not in the log', async () => {
	for (const o of OTHERS) {
		const r = await as.cwB.post('/api/persons', {
			role: 'victim', identification: IDENTIFIED, sex: 'U', citizenship: 'vn_citizen', province: '01', commune: '00008',
			full_name: o.full_name, citizen_id: o.citizen_id, phone: o.phone, birth_year: 1990,
		});
		assert.equal(r.status, 201, r.text);
		assert.equal(r.body.identity.phone, o.stored);
		// Searched for, so that the query strings pass through the server.
		const s = await as.cwB.get(`/api/persons?q=${encodeURIComponent(o.full_name)}&citizen_id=${o.citizen_id}`
			+ `&phone=${encodeURIComponent(o.phone)}`);
		assert.deepEqual(ids(s), [r.body.id]);
	}
	const files = fs.readdirSync(path.dirname(db)).filter((f) => f.startsWith(path.basename(db)))
		.map((f) => path.join(path.dirname(db), f));
	assert.ok(files.some((f) => f.endsWith('-wal')), `no WAL file among ${files}`);
	const check = (what, bytes) => {
		for (const s of secrets()) {
			assert.equal(bytes.indexOf(Buffer.from(s, 'utf8')), -1, `${what} holds "${s}"`);
			assert.equal(bytes.indexOf(Buffer.from(s, 'utf16le')), -1, `${what} holds "${s}" (UTF-16)`);
		}
	};
	for (const f of files)
		check(f, fs.readFileSync(f));
	// Nor do the credentials: sessions and API tokens are stored hashed.
	for (const f of files) {
		const bytes = fs.readFileSync(f);
		for (const [who, c] of Object.entries(as))
			if (c.cookie)
				assert.equal(bytes.indexOf(c.cookie), -1, `${f} holds the session token of ${who}`);
		assert.equal(bytes.indexOf(token), -1, `${f} holds an API token`);
		assert.equal(bytes.indexOf(PASSWORD), -1, `${f} holds a password`);
	}
	check('the server log', Buffer.from(server.stderr));
	check('the server output', Buffer.from(server.stdout));
	assert.match(server.stderr, /debug GET \/api\/persons 200/, 'debug logging is not on');
});

// 7. Key rotation while serving.

test('key rotation while serving: no failed request, old and new persons open, audit intact', async () => {
	const before = fs.readFileSync(key, 'utf8');
	assert.equal(before.match(/^key /gm).length, 1);
	let busy = true;
	const seen = [];
	// Owner reads all through the rotation: none may fail.
	const reader = (async () => {
		while (busy) {
			const r = await as.cwA.get(`/api/persons/${daoId}`);
			seen.push(r.status === 200 && r.body.identity?.full_name === DAO.full_name ? 'ok' : `${r.status} ${r.text}`);
			await sleep(20);
		}
	})();
	const r = await run(['key', 'rotate', '--db', db, '--key', key]);
	busy = false;
	await reader;
	assert.equal(r.code, 0, r.stderr + server.stderr);
	assert.match(r.stdout, /key 2 added/);
	assert.deepEqual(seen.filter((s) => s !== 'ok'), [], server.stderr);
	assert.ok(seen.length > 10, `only ${seen.length} reads during the rotation`);
	const after = fs.readFileSync(key, 'utf8');
	assert.equal(after.match(/^key /gm).length, 2);
	assert.equal((fs.statSync(key).mode & 0o777), 0o600);
	// Old persons open for their owners, the province with a reason, and
	// by the blind indexes (the index key is kept).
	const g = await as.cwA.get(`/api/persons/${daoId}`);
	assert.equal(g.body.identity.citizen_id, DAO.citizen_id);
	const pr = await as.provCw.get(`/api/persons/${daoId}?reason=${encodeURIComponent(REASON)}`);
	assert.equal(pr.body.identity.full_name, DAO.full_name);
	const s = await as.cwA.get('/api/persons?q=nguyen%20thi%20dao');
	assert.ok(ids(s).includes(daoId));
	const sb = await as.cwB.get(`/api/persons?citizen_id=${OTHERS[0].citizen_id}`);
	assert.equal(sb.body.items[0]?.identity.full_name, OTHERS[0].full_name);
	// A person created after the rotation opens.
	const c = await as.cwA.post('/api/persons', { ...DAO, full_name: 'Sau Khi Đổi Khoá', citizen_id: '001199000777',
		phone: null });
	assert.equal(c.status, 201, c.text);
	const cg = await as.cwA.get(`/api/persons/${c.body.id}`);
	assert.equal(cg.body.identity.full_name, 'Sau Khi Đổi Khoá');
	assert.equal(cg.body.identity.citizen_id, '001199000777');
	// Every identity in the database is sealed under key 2 (byte 0 the
	// format, bytes 1-4 the key id): the rotation left no old blob behind,
	// and the server sealed the new person with the new key.
	for (const col of ['name_enc', 'citizen_id_enc', 'phone_enc', 'address_enc'])
		assert.equal(sqlite(db, `select count(*) from person where ${col} is not null
			and hex(substr(${col}, 1, 5)) != '0100000002'`), '0', col);
	assert.equal(sqlite(db, `select hex(substr(name_enc, 1, 5)) from person where id = ${c.body.id}`), '0100000002');
	const v = await ctipVerify(db);
	assert.equal(v.code, 0, v.stderr);
	assert.match(v.stdout, /intact/);
	assert.equal((await audit({ action: 'key.rotate' })).length, 1);
	assert.doesNotMatch(server.stderr, / error /, server.stderr);
});

// 5. Tampering with the audit log (last: stops the server).

test('audit_log is append-only for sqlite3 too: UPDATE and DELETE fail', async () => {
	const n = sqlite(db, 'select count(*) from audit_log');
	for (const sql of ["update audit_log set reason = 'x' where id = 1", 'delete from audit_log where id = 1',
		'delete from audit_log']) {
		const r = spawnSync('sqlite3', [db, sql], { encoding: 'utf8' });
		assert.notEqual(r.status, 0, sql);
		assert.match(r.stderr, /append-only/, sql);
	}
	assert.equal(sqlite(db, 'select count(*) from audit_log'), n);
	assert.equal(sqlite(db, "select count(*) from audit_log where reason = 'x'"), '0');
});

test('audit verify names the first changed, removed or forged entry', async () => {
	await stopOk(server);
	server = undefined;
	assert.ok(!fs.existsSync(`${db}-wal`) || fs.statSync(`${db}-wal`).size === 0, 'WAL left after a clean stop');
	const v = await ctipVerify(db);
	assert.equal(v.code, 0, v.stderr);
	const total = Number(/intact \((\d+) entries\)/.exec(v.stdout)?.[1]);
	assert.ok(total > 50, v.stdout);
	// The province read's entry, with its reason.
	const readId = Number(sqlite(db, `select id from audit_log where action = 'person.read' and reason != ''
		order by id limit 1`));
	// A failed login, to be passed off as a successful one.
	const failedId = Number(sqlite(db, `select id from audit_log where action = 'session.login'
		and outcome = 'failed' order by id limit 1`));
	assert.ok(readId > 1 && readId < total && failedId > 1 && failedId < total);
	const dir = tempDir('ctip-e2e-tamper');
	const copy = (name) => {
		const f = path.join(dir, `${name}.db`);
		fs.copyFileSync(db, f);
		return f;
	};
	const cases = [
		['reason', readId, `drop trigger audit_log_no_update;
			update audit_log set reason = 'kiểm tra định kỳ' where id = ${readId}`],
		['outcome', failedId, `drop trigger audit_log_no_update;
			update audit_log set outcome = 'ok' where id = ${failedId}`],
		['delete', readId, `drop trigger audit_log_no_delete; delete from audit_log where id = ${readId}`],
		['forge', total + 1, `insert into audit_log (id, at, user_id, username, org_unit_id, action, object_type,
			object_id, ip, reason, outcome, mac) select ${total + 1}, at, user_id, username, org_unit_id, action,
			object_type, object_id, ip, reason, outcome, mac from audit_log where id = ${total}`],
		// Before the first: the walk must not start past a forged row.
		['before', null, `insert into audit_log (id, at, user_id, username, org_unit_id, action, object_type,
			object_id, ip, reason, outcome, mac) select 0, at, user_id, username, org_unit_id, action,
			object_type, object_id, ip, reason, outcome, mac from audit_log where id = 1`],
	];
	for (const [name, bad, sql] of cases) {
		const f = copy(name);
		sqlite(f, sql);
		const r = await ctipVerify(f);
		assert.equal(r.code, 1, `${name}: ${r.stdout}${r.stderr}`);
		assert.match(r.stderr, new RegExp(`broken at entry ${bad ?? '-?\\d+'}\\b`), name);
		assert.doesNotMatch(r.stdout, /intact/);
	}
	// The original is untouched.
	const again = await ctipVerify(db);
	assert.equal(again.code, 0, again.stderr);
	assert.match(again.stdout, /^ctip: audit log intact \(\d+ entries\); head (\d+):([0-9a-f]{16})\n/);
	// Entries removed from the end leave a valid chain: the head recorded
	// earlier shows it.
	const [, headId, headMac] = /head (\d+):([0-9a-f]{16})/.exec(again.stdout);
	assert.equal((await ctipVerify(db, ['--head', `${headId}:${headMac}`])).code, 0);
	const cut = copy('truncate');
	sqlite(cut, `drop trigger audit_log_no_delete; delete from audit_log where id >= ${Number(headId) - 2}`);
	const t = await ctipVerify(cut);
	assert.equal(t.code, 0, 'a truncated chain is still a valid chain');
	const th = await ctipVerify(cut, ['--head', `${headId}:${headMac}`]);
	assert.equal(th.code, 1, th.stdout);
	assert.match(th.stderr, new RegExp(`entry ${headId}, recorded earlier as the head, is gone`));
});
