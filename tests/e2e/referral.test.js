// referral.test.js: issue 4's referrals (chuyển tuyến) against the real
// binary on 127.0.0.1: an intake or a person sent from a commune police
// unit to a provincial health department or social facility, accepted,
// refused, completed or withdrawn; the receiving unit's access to exactly
// the referred record while the referral stands; the audit of every step;
// conflicts, bad input, the 48-hour acknowledgement flag, roles.
//
// One database and one server for the whole file; the users sign in once
// (before()) and the tests run in order, each on records of its own.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { IDENTIFIED, initDb, sqlite, startServer, stopOk } from './lib.js';
import { addOrg, addUser, ok, problem, signIn } from './users.js';

let db;
let key;
let server;
const acc = {}; // accounts from `ctip user add`
const as = {}; // their signed-in Clients
const unit = {}; // org unit ids: police (00004), other (00008), health, social

const ago = (ms) => new Date(Date.now() - ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

// An intake of commune A (Ba Đình, 00004): a victim asking for help.
function intake(summary, extra = {}) {
	return {
		received_at: ago(3600000), channel: 'HOTLINE_111', language: 'vi', province: '01',
		commune: '00004', summary, reporter: { anonymous: false, name: 'Trần Văn Báo', phone: '0987 111 222' },
		classification: 'victim_help', urgency: 'high', ...extra,
	};
}

async function newIntake(client, summary, extra) {
	return ok(await client.post('/api/intakes', intake(summary, extra)), 201);
}

async function refer(client, objectType, objectId, toUnitId, note) {
	const body = { object_type: objectType, object_id: objectId, to_unit_id: toUnitId };
	if (note !== undefined)
		body.note = note;
	return client.post('/api/referrals', body);
}

// A step on referral r as the version it had; resolves with the answer.
function step(client, r, what, extra = {}) {
	return client.post(`/api/referrals/${r.id}/${what}`, { version: r.version, ...extra });
}

const referralCount = () => Number(sqlite(db, 'select count(*) from referral'));

// Audit entries (newest first) with action, as the auditor sees them.
async function audit(action) {
	const r = await as.aud.get(`/api/audit?${new URLSearchParams({ action, limit: '500' })}`);
	return ok(r).items;
}

function assertReferral(r, want) {
	assert.deepEqual(Object.keys(r).sort(), ['ack_due_at', 'closed_at', 'from_unit_id', 'id', 'late', 'note',
		'object_id', 'object_type', 'refusal_reason', 'responded_at', 'sent_at', 'status', 'to_unit_id',
		'version'].sort());
	for (const [k, v] of Object.entries(want))
		assert.deepEqual(r[k], v, `${k} of ${JSON.stringify(r)}`);
}

before(async () => {
	({ db, key } = await initDb({ demo: 5 }));
	server = await startServer({ db });
	const users = {
		op: { adminCode: '00004', roles: ['hotline_operator'] }, // commune A police
		cw: { adminCode: '00004', roles: ['case_worker'] },
		other: { adminCode: '00008', roles: ['case_worker'] }, // commune B police
		health: { adminCode: '01', agency: 'HEALTH', roles: ['case_worker'] },
		health2: { adminCode: '01', agency: 'HEALTH', roles: ['case_worker'] },
		healthSup: { adminCode: '01', agency: 'HEALTH', roles: ['supervisor'] },
		social: { adminCode: '01', agency: 'SOCIAL_FACILITY', roles: ['case_worker'] },
		stat: { adminCode: 'VN', roles: ['statistician'] },
		adm: { adminCode: 'VN', roles: ['administrator'] },
		aud: { adminCode: 'VN', roles: ['auditor'] },
		nat: { adminCode: 'VN', roles: ['case_worker', 'supervisor'] }, // Bộ Công an
		hotline: { adminCode: 'VN', agency: 'HOTLINE_111', roles: ['hotline_operator'] }, // Tổng đài 111
		hotinv: { adminCode: 'VN', agency: 'HOTLINE_111', roles: ['investigator'] },
		pinv: { adminCode: '01', roles: ['investigator'] }, // Công an Thành phố Hà Nội
	};
	// The units first, one at a time (two `ctip user add` creating the same
	// unit at once can collide); then the accounts, each an Argon2id hash to
	// create and two to sign in, in parallel.
	const units = new Set(Object.values(users).map((u) => `${u.agency ?? 'POLICE'} ${u.adminCode}`));
	for (const u of units) {
		const [agency, adminCode] = u.split(' ');
		await addOrg(db, { agency, adminCode });
	}
	await Promise.all(Object.entries(users).map(async ([name, u]) => {
		acc[name] = await addUser(db, key, `ref-${name.toLowerCase()}`, { name: `E2E ${name}`, ...u });
		as[name] = await signIn(server.url, acc[name]);
	}));
});

after(async () => {
	if (server)
		await stopOk(server);
});

test('GET /api/units lists the units one can refer to, health and social facility included', async () => {
	const items = ok(await as.op.get('/api/units')).items;
	const find = (agency, code) => items.find((u) => u.agency === agency && u.admin_code === code);
	for (const [name, agency, code] of [['police', 'POLICE', '00004'], ['other', 'POLICE', '00008'],
		['health', 'HEALTH', '01'], ['social', 'SOCIAL_FACILITY', '01'], ['nation', 'POLICE', 'VN']]) {
		const u = find(agency, code);
		assert.ok(u, `no unit ${agency} ${code} in ${JSON.stringify(items)}`);
		assert.ok(Number.isInteger(u.id) && u.id > 0);
		unit[name] = u.id;
	}
	assert.equal(as.op.user.org_unit.id, unit.police);
	assert.equal(as.health.user.org_unit.id, unit.health);
	assert.equal(find('HEALTH', '01').level, 'province');
	// Any signed-in user may read the directory; nobody signed out.
	ok(await as.stat.get('/api/units'));
	assert.equal((await fetch(`${server.url}/api/units`)).status, 401);
});

test('an intake referred to the health department: seen with identity while it stands, accepted, completed, audited', async () => {
	const summary = 'Nạn nhân cần hỗ trợ y tế khẩn cấp sau khi trốn thoát';
	const i = await newIntake(as.op, summary);
	// Before: the health department's case worker gets 404, like for an id that does not exist.
	const hidden = await as.health.get(`/api/intakes/${i.id}`);
	assert.ok(!ok(await as.health.get('/api/intakes/repeat?phone=0987111222')).intakes.some((x) => x.id === i.id));
	const missing = await as.health.get(`/api/intakes/${i.id + 100000}`);
	problem(hidden, 404, 'not_found');
	// (The department's supervisor sees the province's intakes pseudonymised.)
	assert.equal(ok(await as.healthSup.get(`/api/intakes/${i.id}`)).summary, null);
	assert.equal(hidden.text.replaceAll(String(i.id), 'ID'), missing.text.replaceAll(String(i.id + 100000), 'ID'));

	const note = 'Đề nghị khám và điều trị cho nạn nhân';
	const sent = ok(await refer(as.op, 'intake', i.id, unit.health, note), 201);
	assertReferral(sent, {
		object_type: 'intake', object_id: i.id, from_unit_id: unit.police, to_unit_id: unit.health,
		status: 'sent', note, refusal_reason: null, late: false, version: 1, responded_at: null, closed_at: null,
	});
	// 48 hours to answer.
	assert.equal(Date.parse(sent.ack_due_at) - Date.parse(sent.sent_at), 48 * 3600 * 1000);

	// After: the health case worker sees it with identity, needing no reason.
	const seen = ok(await as.health.get(`/api/intakes/${i.id}`));
	assert.equal(seen.summary, summary);
	assert.equal(seen.reporter.name, 'Trần Văn Báo');
	assert.equal(seen.owner_unit_id, unit.police);
	// Another case worker of the same unit too: the grant is to the unit.
	assert.equal(ok(await as.health2.get(`/api/intakes/${i.id}`)).summary, summary);
	// And the reporter's phone finds it as an earlier contact (before, nothing).
	const repeat = ok(await as.health.get('/api/intakes/repeat?phone=0987111222'));
	assert.ok(repeat.intakes.some((x) => x.id === i.id), JSON.stringify(repeat));
	// The unit's supervisor: pseudonymised, as before; the referral without its note; no steps.
	const sup = ok(await as.healthSup.get(`/api/intakes/${i.id}`));
	assert.equal(sup.summary, null);
	assert.equal(sup.reporter, null);
	const supRef = ok(await as.healthSup.get(`/api/referrals/${sent.id}`));
	assert.equal(supRef.note, null);
	assert.equal(supRef.status, 'sent');
	assert.equal(ok(await as.healthSup.get('/api/referrals')).inbox.sent, 1);
	problem(await step(as.healthSup, sent, 'accept'), 403, 'forbidden');
	problem(await refer(as.healthSup, 'intake', i.id, unit.social), 403, 'forbidden');
	// The inbox and the outbox.
	const inbox = ok(await as.health.get('/api/referrals?box=in'));
	assert.deepEqual(inbox.items.map((r) => r.id), [sent.id]);
	// Listed without its free text, which opening it gives (audited).
	assert.deepEqual(inbox.items[0], { ...sent, note: null });
	assert.deepEqual(inbox.inbox, { sent: 1, accepted: 0, refused: 0, completed: 0, withdrawn: 0, late: 0 });
	assert.deepEqual(ok(await as.health.get('/api/referrals')).items.map((r) => r.id), [sent.id]); // in by default
	assert.deepEqual(ok(await as.health.get('/api/referrals?box=out')).items, []);
	const outbox = ok(await as.op.get('/api/referrals?box=out'));
	assert.deepEqual(outbox.items.map((r) => r.id), [sent.id]);
	assert.deepEqual(ok(await as.op.get('/api/referrals?box=in')).items, []);
	assert.deepEqual(ok(await as.op.get(`/api/referrals/${sent.id}`)), sent);
	assert.deepEqual(ok(await as.health.get(`/api/referrals/${sent.id}`)), sent);
	assert.deepEqual(ok(await as.health.get('/api/referrals?box=in&status=sent')).items.map((r) => r.id), [sent.id]);
	assert.deepEqual(ok(await as.health.get('/api/referrals?box=in&status=accepted')).items, []);
	problem(await as.health.get('/api/referrals?status=lost'), 400, 'invalid', 'status');
	problem(await as.health.get('/api/referrals?box=sideways'), 400, 'invalid', 'box');

	// Accept, then complete: access stays.
	const acc1 = ok(await step(as.health, sent, 'accept'));
	assertReferral(acc1, { status: 'accepted', version: 2, closed_at: null, late: false });
	assert.ok(acc1.responded_at);
	// Completing at a stale version fails.
	problem(await step(as.health, sent, 'complete'), 409, 'conflict', 'version');
	const done = ok(await step(as.health, acc1, 'complete'));
	assertReferral(done, { status: 'completed', version: 3, responded_at: acc1.responded_at });
	assert.ok(done.closed_at);
	assert.equal(ok(await as.health.get(`/api/intakes/${i.id}`)).summary, summary);
	// Seeing is not handling: the intake stays the police's to classify and resolve.
	problem(await as.health.post(`/api/intakes/${i.id}/classify`, { classification: 'other', version: seen.version }),
		403, 'forbidden');
	problem(await as.health.post(`/api/intakes/${i.id}/resolve`, { resolution: 'Đã khám', version: seen.version }),
		403, 'forbidden');
	const after = ok(await as.op.get(`/api/intakes/${i.id}`));
	assert.equal(after.version, i.version);
	assert.equal(after.classification, 'victim_help');
	assert.equal(after.status, i.status);
	// Nothing more to do with it.
	assert.equal(problem(await step(as.op, done, 'withdraw'), 409, 'conflict').rule, 'referral_closed');
	assert.equal(problem(await step(as.health, done, 'accept'), 409, 'conflict').rule, 'referral_answered');
	assert.equal(problem(await step(as.health, done, 'complete'), 409, 'conflict').rule, 'referral_not_accepted');
	problem(await step(as.health, done, 'refuse', { reason: 'muộn' }), 409, 'conflict');
	assert.equal(ok(await as.health.get(`/api/intakes/${i.id}`)).summary, summary);
	assert.deepEqual(ok(await as.health.get('/api/referrals')).inbox,
		{ sent: 0, accepted: 0, refused: 0, completed: 1, withdrawn: 0, late: 0 });

	// Every step in the audit log, with the record as object.
	const reason = `referral ${sent.id} from unit ${unit.police} to ${unit.health}`;
	for (const [action, user] of [['referral.send', 'op'], ['referral.accept', 'health'],
		['referral.complete', 'health']]) {
		const e = (await audit(action)).filter((x) => x.reason === reason);
		assert.equal(e.length, 1, `${action}: ${JSON.stringify(e)}`);
		assert.equal(e[0].username, acc[user].username);
		assert.equal(e[0].object_type, 'intake');
		assert.equal(e[0].object_id, String(i.id));
		assert.equal(e[0].outcome, 'ok');
	}
	// The health department's read of the referred intake is audited as its own.
	assert.ok((await audit('intake.read')).some((e) => e.username === acc.health.username && e.object_id === String(i.id)));
});

test('a refused referral shows its reason to both units and ends access; refusing needs a reason', async () => {
	const i = await newIntake(as.op, 'Người bị lừa sang biên giới, cần nơi tạm trú');
	const sent = ok(await refer(as.op, 'intake', i.id, unit.health), 201);
	assert.equal(sent.note, null);
	assert.ok(ok(await as.health.get(`/api/intakes/${i.id}`)).summary);

	for (const body of [{}, { reason: '' }, { reason: null }, { reason: ' \t\n ' }])
		problem(await step(as.health, sent, 'refuse', body), 400, 'invalid', 'reason');
	problem(await step(as.health, sent, 'refuse', { reason: 'x'.repeat(2001) }), 400, 'invalid', 'reason');
	problem(await step(as.health, sent, 'refuse', { reason: 42 }), 400, 'invalid', 'reason');
	// The sender cannot answer its own referral.
	problem(await step(as.op, sent, 'refuse', { reason: 'tự từ chối' }), 403, 'forbidden');

	const why = 'Không thuộc chức năng của Sở Y tế: chuyển Sở LĐ-TB&XH';
	const refused = ok(await step(as.health, sent, 'refuse', { reason: why }));
	assertReferral(refused, { status: 'refused', refusal_reason: why, version: 2 });
	assert.ok(refused.responded_at);
	assert.ok(refused.closed_at);
	assert.equal(ok(await as.op.get(`/api/referrals/${sent.id}`)).refusal_reason, why);
	assert.equal(ok(await as.health.get(`/api/referrals/${sent.id}`)).refusal_reason, why);
	// A list holds no free text: opening a referral does (audited).
	const reads = (await audit('referral.read')).length;
	const listed = ok(await as.op.get('/api/referrals?box=out&status=refused')).items[0];
	assert.equal(listed.id, sent.id);
	assert.equal(listed.refusal_reason, null);
	assert.equal(listed.note, null);
	assert.equal((await audit('referral.read')).length, reads);
	// Access ended: 404 again, for reading and for changing it.
	problem(await as.health.get(`/api/intakes/${i.id}`), 404, 'not_found');
	problem(await as.health.post(`/api/intakes/${i.id}/resolve`, { resolution: 'x', version: i.version }),
		404, 'not_found');
	// Nor can the refusing unit pass it on.
	problem(await refer(as.health, 'intake', i.id, unit.social), 404, 'not_found');
	// The refusal is plaintext nowhere in the database.
	assert.equal(sqlite(db, `select count(*) from referral where id = ${sent.id} and ` +
		`instr(cast(refusal_reason_enc as text), 'Sở Y tế') > 0`), '0');
	assert.equal((await audit('referral.refuse')).filter((e) => e.username === acc.health.username &&
		e.reason === `referral ${sent.id} from unit ${unit.police} to ${unit.health}`).length, 1);
	// Once refused, it may be sent again (and then seen again).
	const again = ok(await refer(as.op, 'intake', i.id, unit.health, 'Xin xem xét lại'), 201);
	assert.ok(ok(await as.health.get(`/api/intakes/${i.id}`)).summary);
	ok(await step(as.op, again, 'withdraw'));
	problem(await as.health.get(`/api/intakes/${i.id}`), 404, 'not_found');
});

test('withdrawal by the sender ends access; the wrong unit gets 403; a third unit 404', async () => {
	const i = await newIntake(as.op, 'Tin báo về người bị giữ tại cơ sở massage');
	const sent = ok(await refer(as.op, 'intake', i.id, unit.health), 201);

	// Steps by the wrong side.
	problem(await step(as.health, sent, 'withdraw'), 403, 'forbidden');
	problem(await step(as.op, sent, 'accept'), 403, 'forbidden');
	problem(await step(as.op, sent, 'complete'), 403, 'forbidden');
	// Completing before accepting.
	problem(await step(as.health, sent, 'complete'), 409, 'conflict');

	// A third unit sees neither the referral nor the intake, as if neither existed.
	const missingRef = sent.id + 100000;
	for (const [a, b] of [
		[await as.other.get(`/api/referrals/${sent.id}`), await as.other.get(`/api/referrals/${missingRef}`)],
		[await step(as.other, sent, 'accept'), await step(as.other, { ...sent, id: missingRef }, 'accept')],
		[await step(as.other, sent, 'withdraw'), await step(as.other, { ...sent, id: missingRef }, 'withdraw')],
		[await as.other.get(`/api/intakes/${i.id}`), await as.other.get(`/api/intakes/${i.id + 100000}`)],
	]) {
		problem(a, 404, 'not_found');
		problem(b, 404, 'not_found');
		assert.equal(a.text.replace(/\d+/g, 'N'), b.text.replace(/\d+/g, 'N'));
	}
	assert.deepEqual(ok(await as.other.get('/api/referrals?box=in')).items, []);
	assert.deepEqual(ok(await as.other.get('/api/referrals?box=out')).items, []);
	// Its tries are in the log, the hidden referral as the missing one.
	const tried = (await audit('referral.read')).filter((e) => e.username === acc.other.username);
	assert.deepEqual(tried.map((e) => [e.object_id, e.outcome]).sort(),
		[[String(sent.id), 'denied'], [String(missingRef), 'denied']].sort());
	const readBy = async (who) => (await audit('referral.read')).filter((e) => e.username === acc[who].username &&
		e.object_id === String(sent.id) && e.outcome === 'ok').length;
	const healthReads = await readBy('health');

	// Withdrawn while sent: access ends at once.
	const w = ok(await step(as.op, sent, 'withdraw'));
	assertReferral(w, { status: 'withdrawn', version: 2, responded_at: null });
	assert.ok(w.closed_at);
	problem(await as.health.get(`/api/intakes/${i.id}`), 404, 'not_found');
	// The receiving unit still sees the referral itself, withdrawn.
	assert.equal(ok(await as.health.get(`/api/referrals/${sent.id}`)).status, 'withdrawn');
	// A handler's read, which holds the note, is logged.
	assert.equal(await readBy('health'), healthReads + 1);
	problem(await step(as.health, w, 'accept'), 409, 'conflict');
	problem(await step(as.op, w, 'withdraw'), 409, 'conflict');

	// Withdrawn after acceptance: access ends too.
	const s2 = ok(await refer(as.op, 'intake', i.id, unit.health), 201);
	const a2 = ok(await step(as.health, s2, 'accept'));
	ok(await as.health.get(`/api/intakes/${i.id}`));
	const w2 = ok(await step(as.op, a2, 'withdraw'));
	assert.equal(w2.status, 'withdrawn');
	problem(await as.health.get(`/api/intakes/${i.id}`), 404, 'not_found');
	const withdrawn = (await audit('referral.withdraw')).filter((e) => e.object_id === String(i.id));
	assert.deepEqual(withdrawn.map((e) => e.reason).sort(), [
		`referral ${s2.id} from unit ${unit.police} to ${unit.health}`,
		`referral ${sent.id} from unit ${unit.police} to ${unit.health}`,
	].sort());
});

test('a person referred to a social facility: identity without a reason while it stands; after withdrawal a reason again, or 404 outside its province', async () => {
	const person = {
		role: 'victim', identification: IDENTIFIED, sex: 'F', birth_date: '2001-07-09', citizenship: 'vn_citizen', nationality: 'VN',
		ethnicity: '01', full_name: 'Vàng Thị Mỷ', citizen_id: '002301778899', phone: '0977 123 456',
		address: 'Bản Thử Nghiệm, xã Thử', province: '01', commune: '00004',
	};
	const p = ok(await as.cw.post('/api/persons', person), 201);
	// Before: the provincial social facility's case worker needs a stated
	// reason (province scope); its list has the person pseudonymised only,
	// and a search by citizen ID finds nothing.
	const pseudonymised = async () => {
		problem(await as.social.get(`/api/persons/${p.id}`), 403, 'reason_required');
		const listed = ok(await as.social.get('/api/persons?limit=200')).items.find((x) => x.id === p.id);
		assert.equal(listed?.identity, null);
		assert.deepEqual(ok(await as.social.get(`/api/persons?citizen_id=${person.citizen_id}`)).items, []);
	};
	await pseudonymised();

	const sent = ok(await refer(as.cw, 'person', p.id, unit.social, 'Tiếp nhận vào cơ sở bảo trợ'), 201);
	assertReferral(sent, { object_type: 'person', object_id: p.id, from_unit_id: unit.police, to_unit_id: unit.social });
	const seen = ok(await as.social.get(`/api/persons/${p.id}`));
	assert.equal(seen.identity.full_name, person.full_name);
	assert.equal(seen.identity.citizen_id, person.citizen_id);
	const listed = ok(await as.social.get('/api/persons?limit=200')).items.find((x) => x.id === p.id);
	assert.ok(listed, 'the referred person is not in the social facility\'s list');
	assert.equal(listed.identity.full_name, person.full_name);
	assert.deepEqual(ok(await as.social.get(`/api/persons?citizen_id=${person.citizen_id}`)).items.map((x) => x.id),
		[p.id]);
	// Its read is audited without a reason: the referral is the ground.
	const reads = (await audit('person.read')).filter((e) => e.username === acc.social.username && e.object_id === String(p.id));
	assert.ok(reads.length > 0 && reads.every((e) => e.reason === ''), JSON.stringify(reads));
	// Health, a third unit, still needs a reason.
	problem(await as.health.get(`/api/persons/${p.id}`), 403, 'reason_required');
	// Commune B not at all.
	problem(await as.other.get(`/api/persons/${p.id}`), 404, 'not_found');
	assert.deepEqual(ok(await as.social.get('/api/referrals')).inbox,
		{ sent: 1, accepted: 0, refused: 0, completed: 0, withdrawn: 0, late: 0 });

	ok(await step(as.cw, sent, 'withdraw'));
	// After: back to no identity without a reason.
	await pseudonymised();

	// A person of another province (found in Hà Nội, from Cao Bằng): for
	// the social facility of Hà Nội it is 404 before and after.
	const far = ok(await as.cw.post('/api/persons', { ...person, full_name: 'Nông Thị Lả', citizen_id: '004301112233',
		phone: '0911 000 111', province: '04', commune: null }), 201);
	problem(await as.social.get(`/api/persons/${far.id}`), 404, 'not_found');
	const s2 = ok(await refer(as.cw, 'person', far.id, unit.social), 201);
	assert.equal(ok(await as.social.get(`/api/persons/${far.id}`)).identity.full_name, 'Nông Thị Lả');
	ok(await step(as.cw, s2, 'withdraw'));
	problem(await as.social.get(`/api/persons/${far.id}`), 404, 'not_found');
	problem(await as.social.get(`/api/persons/${far.id}?reason=${encodeURIComponent('Hồ sơ 12')}`), 404, 'not_found');
});

test('duplicates, one\'s own unit, unknown units and records, bad types and versions', async () => {
	const i = await newIntake(as.op, 'Cuộc gọi xin giúp đỡ cho con gái ở nước ngoài');
	const sent = ok(await refer(as.op, 'intake', i.id, unit.health), 201);
	let n = referralCount();

	// The same record to the same unit while open: 409, by anyone of the unit.
	problem(await refer(as.op, 'intake', i.id, unit.health), 409, 'conflict');
	problem(await refer(as.cw, 'intake', i.id, unit.health), 409, 'conflict');
	// Still 409 once accepted.
	const accepted = ok(await step(as.health, sent, 'accept'));
	problem(await refer(as.op, 'intake', i.id, unit.health), 409, 'conflict');
	// To another unit it is fine.
	const toSocial = ok(await refer(as.op, 'intake', i.id, unit.social), 201);
	n += 1;

	// Bad input: nothing is created.
	problem(await refer(as.op, 'intake', i.id, unit.police), 400, 'invalid', 'to_unit_id');
	// A national unit sees aggregates only and could never answer.
	problem(await refer(as.op, 'intake', i.id, unit.nation), 400, 'invalid', 'to_unit_id');
	problem(await as.nat.get(`/api/intakes/${i.id}`), 404, 'not_found');
	// Even with a grant (one from before that rule): no identity at a national unit.
	sqlite(db, 'insert into access_grant (object_type, object_id, unit_id, granted_at) ' +
		`values ('intake', ${i.id}, ${unit.nation}, '2026-01-01T00:00:00Z')`);
	problem(await as.nat.get(`/api/intakes/${i.id}`), 404, 'not_found');
	problem(await refer(as.nat, 'intake', i.id, unit.health), 404, 'not_found');
	sqlite(db, `delete from access_grant where unit_id = ${unit.nation}`);
	problem(await refer(as.op, 'intake', i.id, 999999), 400, 'invalid', 'to_unit_id');
	problem(await refer(as.op, 'intake', i.id, 0), 400, 'invalid', 'to_unit_id');
	problem(await refer(as.op, 'intake', i.id, '5'), 400, 'invalid', 'to_unit_id');
	problem(await refer(as.op, 'intake', i.id, undefined), 400, 'invalid', 'to_unit_id');
	problem(await refer(as.op, 'case', i.id, unit.health), 400, 'invalid', 'object_type');
	problem(await refer(as.op, undefined, i.id, unit.health), 400, 'invalid', 'object_type');
	problem(await refer(as.op, 'intake', -1, unit.health), 400, 'invalid', 'object_id');
	problem(await refer(as.op, 'intake', 'x', unit.health), 400, 'invalid', 'object_id');
	problem(await refer(as.op, 'intake', i.id, unit.other, 'ú'.repeat(2001)), 400, 'invalid', 'note');
	problem(await as.op.post('/api/referrals', '{"object_type": "intake",'), 400, 'invalid');
	// A record of another commune, or none: 404, the same for both, and
	// the unit it was meant for gains nothing.
	const theirs = await newIntake(as.other, 'Tin của xã khác', { commune: '00008' });
	const a = await refer(as.op, 'intake', theirs.id, unit.health);
	const b = await refer(as.op, 'intake', theirs.id + 100000, unit.health);
	problem(a, 404, 'not_found');
	problem(b, 404, 'not_found');
	assert.equal(a.text.replace(/\d+/g, 'N'), b.text.replace(/\d+/g, 'N'));
	problem(await as.health.get(`/api/intakes/${theirs.id}`), 404, 'not_found');
	const demoPerson = Number(sqlite(db, `select id from person where owner_unit_id <> ${unit.police} limit 1`));
	problem(await refer(as.op, 'person', demoPerson, unit.health), 404, 'not_found');
	// 404 before the unit is looked at: an unknown unit tells nothing either.
	problem(await refer(as.op, 'intake', theirs.id, 999999), 404, 'not_found');
	assert.equal(referralCount(), n);
	assert.equal(sqlite(db, `select count(*) from access_grant where object_type = 'intake' and object_id = ${theirs.id}`),
		'0');

	// Versions: stale → 409 on version; missing or bad → 400 on version.
	problem(await step(as.health, sent, 'complete'), 409, 'conflict', 'version');
	problem(await step(as.op, toSocial, 'withdraw', { version: 7 }), 409, 'conflict', 'version');
	for (const v of [undefined, null, '1', 0, -1, 1.5, 2 ** 31])
		problem(await as.social.post(`/api/referrals/${toSocial.id}/accept`, v === undefined ? {} : { version: v }),
			400, 'invalid', 'version');
	problem(await as.social.post(`/api/referrals/${toSocial.id}/accept`, 'not json'), 400, 'invalid');
	problem(await as.social.get('/api/referrals/abc'), 404, 'not_found');
	// Stale on accept.
	const s2 = ok(await step(as.social, toSocial, 'accept'));
	problem(await step(as.social, toSocial, 'accept'), 409, 'conflict', 'version');
	assert.equal(s2.version, 2);
	ok(await step(as.health, accepted, 'complete'));

	// Two sends of the same record to the same unit at the same moment: one wins.
	const j = await newIntake(as.op, 'Hai lần gửi cùng lúc');
	const rs = await Promise.all([as.op, as.cw, as.op, as.cw].map((c) => refer(c, 'intake', j.id, unit.health)));
	assert.deepEqual(rs.map((r) => r.status).sort(), [201, 409, 409, 409], rs.map((r) => r.text).join('\n'));
	assert.equal(sqlite(db, `select count(*) from referral where object_id = ${j.id} and object_type = 'intake'`), '1');
});

test('a referral unanswered past ack_due_at is late, in the referral and the inbox count', async () => {
	const i = await newIntake(as.op, 'Chờ phản hồi quá hạn');
	const sent = ok(await refer(as.op, 'intake', i.id, unit.social), 201);
	const before = ok(await as.social.get('/api/referrals?box=in')).inbox;
	assert.equal(before.late, 0);
	sqlite(db, `update referral set ack_due_at = '2020-01-01T00:00:00Z' where id = ${sent.id}`);
	const late = ok(await as.social.get(`/api/referrals/${sent.id}`));
	assert.equal(late.late, true);
	assert.equal(late.ack_due_at, '2020-01-01T00:00:00Z');
	assert.equal(ok(await as.op.get(`/api/referrals/${sent.id}`)).late, true);
	const box = ok(await as.social.get('/api/referrals?box=in'));
	assert.equal(box.inbox.late, 1);
	assert.equal(box.items.find((r) => r.id === sent.id).late, true);
	// The sender's own inbox counts are not the receiver's.
	assert.equal(ok(await as.op.get('/api/referrals?box=out')).inbox.late, 0);
	// Answered, even late, it is late no more.
	const acc2 = ok(await step(as.social, late, 'accept'));
	assert.equal(acc2.late, false);
	assert.equal(ok(await as.social.get('/api/referrals?box=in')).inbox.late, 0);
});

test('a unit that completed a referral keeps the record when a later referral of it is refused or withdrawn', async () => {
	const summary = 'Hồ sơ chuyển hai lần';
	const i = await newIntake(as.op, summary);
	const first = ok(await refer(as.op, 'intake', i.id, unit.health), 201);
	const done = ok(await step(as.health, ok(await step(as.health, first, 'accept')), 'complete'));
	assert.equal(done.status, 'completed');
	// Sent again (a follow-up), then withdrawn: the completed referral still stands.
	const second = ok(await refer(as.op, 'intake', i.id, unit.health, 'Tái khám'), 201);
	ok(await step(as.op, second, 'withdraw'));
	assert.equal(ok(await as.health.get(`/api/intakes/${i.id}`)).summary, summary);
	const third = ok(await refer(as.op, 'intake', i.id, unit.health, 'Tái khám lần 2'), 201);
	ok(await step(as.health, third, 'refuse', { reason: 'Đã xử lý trong lần chuyển trước' }));
	assert.equal(ok(await as.health.get(`/api/intakes/${i.id}`)).summary, summary);
});

test('a busy unit: the duplicate check and the kept access look past its newest thousand referrals', async () => {
	const x = await newIntake(as.op, 'Hồ sơ cũ vẫn đang mở');
	const open = ok(await refer(as.op, 'intake', x.id, unit.health), 201);
	const y = await newIntake(as.op, 'Hồ sơ cũ đã hoàn thành');
	const first = ok(await refer(as.op, 'intake', y.id, unit.health), 201);
	ok(await step(as.health, ok(await step(as.health, first, 'accept')), 'complete'));
	// 1,200 newer referrals to the health department, all completed.
	const uid = Number(sqlite(db, `select id from app_user where username = '${acc.op.username}'`));
	sqlite(db, 'with recursive n(k) as (select 1 union all select k + 1 from n where k < 1200) ' +
		'insert into referral (object_type, object_id, from_unit_id, to_unit_id, status, sent_at, sent_by, ' +
		`ack_due_at, responded_at, responded_by, closed_at, closed_by) select 'intake', 900000 + k, ${unit.police}, ` +
		`${unit.health}, 'completed', '2026-01-01T00:00:00Z', ${uid}, '2026-01-03T00:00:00Z', ` +
		`'2026-01-02T00:00:00Z', ${uid}, '2026-01-02T00:00:00Z', ${uid} from n`);
	problem(await refer(as.op, 'intake', x.id, unit.health), 409, 'conflict');
	assert.equal(sqlite(db, `select count(*) from referral where object_type = 'intake' and object_id = ${x.id}`), '1');
	const again = ok(await refer(as.op, 'intake', y.id, unit.health), 201);
	ok(await step(as.op, again, 'withdraw'));
	ok(await as.health.get(`/api/intakes/${y.id}`));
	ok(await step(as.op, open, 'withdraw'));
	problem(await as.health.get(`/api/intakes/${x.id}`), 404, 'not_found');
});

test('statisticians, administrators and auditors may neither refer nor see referrals', async () => {
	const i = await newIntake(as.op, 'Vai trò không được chuyển tuyến');
	const sent = ok(await refer(as.op, 'intake', i.id, unit.health), 201);
	for (const who of ['stat', 'adm', 'aud']) {
		problem(await refer(as[who], 'intake', i.id, unit.health), 403, 'forbidden');
		problem(await as[who].get('/api/referrals'), 403, 'forbidden');
		problem(await as[who].get('/api/referrals?box=out'), 403, 'forbidden');
		problem(await as[who].get(`/api/referrals/${sent.id}`), 403, 'forbidden');
		problem(await step(as[who], sent, 'accept'), 403, 'forbidden');
	}
	// Signed out: 401; without the CSRF token: 403.
	assert.equal((await fetch(`${server.url}/api/referrals`)).status, 401);
	const noCsrf = await as.health.post(`/api/referrals/${sent.id}/accept`, { version: 1 }, { csrf: null });
	problem(noCsrf, 403, 'csrf');
	assert.equal(ok(await as.health.get(`/api/referrals/${sent.id}`)).status, 'sent');
});

test('the national hotline 111 receives a call, sees only its own intakes, and refers one to the province', async () => {
	const call = await newIntake(as.hotline, 'Tổng đài 111: một cô gái bị giữ ở Ba Đình, xin giúp đỡ');
	const seen = ok(await as.hotline.get(`/api/intakes/${call.id}`));
	assert.equal(seen.summary, 'Tổng đài 111: một cô gái bị giữ ở Ba Đình, xin giúp đỡ');
	assert.equal(seen.reporter.name, 'Trần Văn Báo');
	assert.deepEqual(ok(await as.hotline.get('/api/intakes')).items.map((x) => x.id), [call.id]);
	// Of anyone else's, nothing: a commune's intake is 404, as a missing one.
	const local = await newIntake(as.op, 'Tin báo của phường, không phải của tổng đài');
	problem(await as.hotline.get(`/api/intakes/${local.id}`), 404, 'not_found');
	problem(await refer(as.hotline, 'intake', local.id, unit.health), 404, 'not_found');
	// Other national users still see aggregates only.
	problem(await as.nat.get(`/api/intakes/${call.id}`), 404, 'not_found');
	// It refers the call to the competent local unit, who then sees it;
	// no national unit takes a referral.
	problem(await refer(as.hotline, 'intake', call.id, unit.nation), 400, 'invalid', 'to_unit_id');
	ok(await refer(as.hotline, 'intake', call.id, unit.health), 201);
	assert.equal(ok(await as.health.get(`/api/intakes/${call.id}`)).summary, seen.summary);
	// It registers no person (a national unit holds none), and takes no
	// procedural step: that is the province's investigation body's.
	const person = { role: 'under_identification', sex: 'F', birth_date: '2004-02-03', citizenship: 'vn_citizen',
		nationality: 'VN', province: '01', commune: '00004', full_name: 'Lê Thị Gọi' };
	problem(await as.hotline.post(`/api/intakes/${call.id}/persons`, { person }), 403, 'forbidden');
	const tip = await newIntake(as.hotinv, 'Tổng đài 111: tố giác một đường dây môi giới', {
		channel: 'DENUNCIATION', classification: 'trafficking_tip' });
	const v = ok(await as.hotinv.get(`/api/intakes/${tip.id}`)).version;
	for (const [path, body] of [['decide', { decision: 'initiate', version: v }],
		['extend', { kind: 'complex', version: v }], ['case', { article: '150', title: 'Vụ từ tổng đài' }]]) {
		const b = problem(await as.hotinv.post(`/api/intakes/${tip.id}/${path}`, body), 403, 'forbidden');
		assert.match(b.message, /refer the tip to the province's investigation body/, path);
	}
	// Other national units receive no intake.
	problem(await as.nat.post('/api/intakes', intake('Bộ Công an ghi nhận trực tiếp')), 403, 'forbidden');

	// The province registers the person the call was about: the hotline is
	// not told who (no person ids), nor anything of others' intakes, even
	// with a grant to its unit made outside the rules.
	const [pid] = ok(await as.health.post(`/api/intakes/${call.id}/persons`, { person, confirm_new: true }),
		201).person_ids;
	assert.deepEqual(ok(await as.health.get(`/api/intakes/${call.id}`)).person_ids, [pid]);
	assert.deepEqual(ok(await as.hotline.get(`/api/intakes/${call.id}`)).person_ids, []);
	sqlite(db, 'insert into access_grant (object_type, object_id, unit_id, granted_at) ' +
		`values ('intake', ${local.id}, ${as.hotline.user.org_unit.id}, '2026-01-01T00:00:00Z')`);
	const own = [call.id, tip.id].sort();
	assert.deepEqual(ok(await as.hotline.get('/api/intakes')).items.map((x) => x.id).sort(), own);
	// Many calls, with long summaries, list as well (each is read to check it is the hotline's own).
	const many = [];
	for (let k = 0; k < 30; k++)
		many.push((await newIntake(as.hotline, `Cuộc gọi ${k}: ${'nội dung dài '.repeat(300)}`,
			{ reporter: { anonymous: true } })).id);
	const listed = ok(await as.hotline.get('/api/intakes?limit=200')).items.map((x) => x.id);
	assert.deepEqual(listed.filter((x) => many.includes(x)).sort(), many.sort());
	assert.ok(!listed.includes(local.id));
	assert.deepEqual(ok(await as.hotline.get('/api/intakes/repeat?phone=0987111222')).intakes.map((x) => x.id)
		.sort(), own);
	sqlite(db, `delete from access_grant where unit_id = ${as.hotline.user.org_unit.id}`);

	// Referred to the province police and accepted, the tip is theirs: they
	// decide it, on the clock that began with the call; the hotline has
	// handed it over.
	const police = as.pinv.user.org_unit.id;
	const clock = ok(await as.hotinv.get(`/api/intakes/${tip.id}`)).legal.deadline;
	const sent = ok(await refer(as.hotinv, 'intake', tip.id, police), 201);
	problem(await as.pinv.post(`/api/intakes/${tip.id}/decide`, { decision: 'initiate', note: 'Khởi tố',
		version: ok(await as.pinv.get(`/api/intakes/${tip.id}`)).version }), 403, 'forbidden');
	ok(await step(as.pinv, sent, 'accept'));
	const theirs = ok(await as.pinv.get(`/api/intakes/${tip.id}`));
	assert.equal(theirs.owner_unit_id, police);
	assert.equal(theirs.legal.deadline, clock);
	const decided = ok(await as.pinv.post(`/api/intakes/${tip.id}/decide`, { decision: 'initiate',
		note: 'Khởi tố vụ án', version: theirs.version }));
	assert.equal(decided.legal.decision, 'initiate');
	problem(await as.hotinv.get(`/api/intakes/${tip.id}`), 404, 'not_found');
	// A commune's referral that is accepted hands nothing over.
	const own2 = await newIntake(as.op, 'Tin báo của phường, chuyển tỉnh');
	ok(await step(as.pinv, ok(await refer(as.op, 'intake', own2.id, police), 201), 'accept'));
	assert.equal(ok(await as.op.get(`/api/intakes/${own2.id}`)).owner_unit_id, as.op.user.org_unit.id);
});
