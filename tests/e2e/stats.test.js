// stats.test.js: issue 6 (phase 1), the statistical indicators against the
// real binary on 127.0.0.1. Synthetic persons (ctip init --demo, fixed
// seed) plus persons, steps, services, intakes, a case with offenders and
// a referral made through the API; then every indicator of the catalogue,
// at national, province and commune level and by its first dimension, is
// compared with a count written here in JS from the database's rows.
// Scope by role and level; bad input names its field.
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
const units = {};

const FROM = '2020-01-01';
// Tomorrow in Viet Nam (UTC+7): whatever is recorded today counts.
const TO = new Date(Date.now() + 7 * 3600000 + 86400000).toISOString().slice(0, 10);

function values(client, params) {
	return client.get(`/api/stats/values?${new URLSearchParams({ from: FROM, to: TO, ...params })}`);
}

before(async () => {
	({ db, key } = await initDb({ demo: 400 }));
	server = await startServer({ db });
	const users = {
		cw: { adminCode: '00004', roles: ['case_worker', 'investigator'] },
		cw2: { adminCode: '00008', roles: ['case_worker'] },
		sup: { adminCode: '01', roles: ['supervisor'] },
		stat: { adminCode: 'VN', roles: ['statistician'] },
		hot: { adminCode: '00004', roles: ['hotline_operator'] },
		adm: { adminCode: 'VN', roles: ['administrator'] },
	};
	for (const code of ['00004', '00008', '01', 'VN'])
		units[code] = await addOrg(db, { adminCode: code });
	for (const [name, u] of Object.entries(users)) {
		acc[name] = await addUser(db, key, `stats-${name}`, { name: `E2E ${name}`, ...u });
		as[name] = await signIn(server.url, acc[name]);
	}
});

after(async () => {
	if (server)
		await stopOk(server);
});

const PERSON = {
	citizenship: 'vn_citizen', nationality: 'VN', ethnicity: '01', province: '01', confirm_new: true,
};

test('records made through the API: persons, a verification, services, an intake, a case, a referral', async () => {
	const a = ok(await as.cw.post('/api/persons', {
		...PERSON, role: 'victim', identification: IDENTIFIED, sex: 'F', birth_year: 2001, full_name: 'Thống Kê An', commune: '00004',
	}), 201);
	const b = ok(await as.cw.post('/api/persons', {
		...PERSON, role: 'under_identification', sex: 'M', birth_year: 1990, full_name: 'Thống Kê Bình',
		commune: '00004',
	}), 201);
	const c = ok(await as.cw2.post('/api/persons', {
		...PERSON, role: 'victim', identification: IDENTIFIED, sex: 'F', birth_year: 2009, full_name: 'Thống Kê Chi', commune: '00008',
	}), 201);
	ok(await as.cw.post(`/api/persons/${b.id}/steps`, { step: 'verify', version: b.version }), 201);
	// Two services of one person: one person supported, two services.
	ok(await as.cw.post(`/api/persons/${a.id}/services`,
		{ support: 'ESSENTIAL', unit: 'day', quantity: 1, amount_vnd: 0 }), 201);
	ok(await as.cw.post(`/api/persons/${a.id}/services`,
		{ support: 'MEDICAL', unit: 'year', quantity: 1, amount_vnd: 0 }), 201);
	ok(await as.cw2.post(`/api/persons/${c.id}/services`,
		{ support: 'ESSENTIAL', unit: 'day', quantity: 1, amount_vnd: 0 }), 201);
	const i = ok(await as.cw.post('/api/intakes', {
		received_at: new Date(Date.now() - 3600000).toISOString().replace(/\.\d+Z$/, 'Z'),
		channel: 'HOTLINE_111', language: 'vi', province: '01', commune: '00004',
		summary: 'Tin báo về một đường dây', reporter: { anonymous: true },
		classification: 'trafficking_tip', purpose: 'SEX', urgency: 'normal',
	}), 201);
	ok(await as.cw.post('/api/referrals', { object_type: 'intake', object_id: i.id, to_unit_id: units['01'].id }), 201);
	let k = ok(await as.cw.post('/api/cases', { title: 'Vụ thống kê', article: '151' }), 201);
	k = ok(await as.cw.post(`/api/cases/${k.id}/stage`, {
		to: 'initiated', on: new Date(Date.now() + 7 * 3600000).toISOString().slice(0, 10),
		case_number: '01/2026', version: k.version,
	}));
	k = ok(await as.cw.post(`/api/cases/${k.id}/offenders`, { role: 'recruiter', sex: 'M', version: k.version }), 201);
	ok(await as.cw.post(`/api/cases/${k.id}/offenders`,
		{ role: 'broker', sex: 'F', citizen_id: '001090012345', version: k.version }), 201);
});

// --- the independent count, from the database's rows ---

function rows(sql) {
	const out = sqlite(db, sql);
	return out === '' ? [] : out.split('\n').map((l) => l.split('|'));
}

// Every countable item of each measure: { key, date, prov, comm, cats },
// cats giving the category of a dimension.
function items() {
	const parent = Object.fromEntries(rows('select code, coalesce(parent_code, code) from purpose'));
	const persons = new Map(rows(`select id, role, sex, province_code, coalesce(commune_code, ''),
		received_on, coalesce(identified_on, '') from person`).map((r) => [r[0], {
		id: r[0], role: r[1], sex: r[2], prov: r[3], comm: r[4], received: r[5], identified: r[6],
	}]));
	const m = {};
	const add = (measure, it) => (m[measure] ??= []).push(it);
	const personItem = (p, key, date, extra = {}) => ({
		key, date, prov: p.prov, comm: p.comm,
		cats: { sex: p.sex, province: p.prov, commune: p.comm || 'unknown' }, ...extra,
	});
	for (const p of persons.values()) {
		add(p.role === 'accompanying_minor' ? 'minors_accompanying' : 'persons_received',
			personItem(p, p.id, p.received));
		if (p.identified)
			add('persons_identified', personItem(p, p.id, p.identified));
	}
	for (const [pid, step, on] of rows('select person_id, step, on_date from person_step')) {
		if (step === 'verify')
			add('persons_verified', personItem(persons.get(pid), pid, on));
		if (step === 'reintegrate')
			add('persons_reintegrated', personItem(persons.get(pid), pid, on));
	}
	for (const [id, pid, support, on] of rows('select id, person_id, support_code, provided_on from support_service')) {
		add('persons_supported', personItem(persons.get(pid), pid, on, { support }));
		add('services_given', personItem(persons.get(pid), `s${id}`, on, { support }));
	}
	for (const [id, prov, comm, at, cls, status, deadline, resolved, purpose] of rows(`select id, province_code,
		coalesce(commune_code, ''), received_at, coalesce(classification, ''), status, coalesce(deadline, ''),
		coalesce(resolved_at, ''), coalesce(purpose_code, '') from intake`)) {
		const it = {
			key: id, date: at, prov, comm,
			cats: { purpose: purpose ? parent[purpose] : 'unknown', province: prov, commune: comm || 'unknown' },
		};
		add('intakes_received', it);
		if (cls)
			add('intakes_classified', it);
		if (status === 'resolved')
			add('intakes_resolved', it);
		if (deadline && status === 'resolved' && resolved <= deadline)
			add('intakes_resolved_in_time', it);
		// Crime tips: those on the legal clock.
		if (deadline) {
			add('tips_received', it);
			if (cls)
				add('tips_classified', it);
			if (status === 'resolved')
				add('tips_resolved', it);
		}
	}
	const cases = new Map();
	for (const [id, prov, admin, level, article, ...on] of rows(`select c.id, c.province_code, a.code, a.level,
		coalesce(c.article, ''), coalesce(initiated_on, ''), coalesce(solved_on, ''), coalesce(indicted_on, ''),
		coalesce(tried_on, '') from criminal_case c join org_unit u on u.id = c.owner_unit_id
		join admin_unit a on a.code = u.admin_code`)) {
		const comm = level === 'commune' ? admin : '';
		const k = { prov, comm, article: article || 'unknown', initiated: on[0] };
		cases.set(id, k);
		['cases_initiated', 'cases_solved', 'cases_indicted', 'cases_tried'].forEach((measure, n) => {
			if (on[n])
				add(measure, {
					key: id, date: on[n], prov, comm,
					cats: { article: k.article, province: prov, commune: comm || 'none' },
				});
		});
	}
	for (const [id, bidx, sex, cid] of rows(`select id, coalesce(hex(citizen_id_bidx), ''), sex, case_id
		from case_offender`)) {
		const k = cases.get(cid);
		if (k.initiated)
			add('offenders', {
				key: bidx ? `b${bidx}` : `o${id}`, date: k.initiated, prov: k.prov, comm: k.comm,
				cats: { sex, article: k.article, province: k.prov, commune: k.comm || 'none' },
			});
	}
	for (const [id, admin, level, prov, at] of rows(`select r.id, a.code, a.level, coalesce(a.province_code, ''),
		r.sent_at from referral r join org_unit u on u.id = r.from_unit_id join admin_unit a on a.code = u.admin_code`)) {
		const p = level === 'commune' ? prov : level === 'province' ? admin : '';
		const comm = level === 'commune' ? admin : '';
		add('referrals', { key: id, date: at, prov: p, comm, cats: { province: p || 'none', commune: comm || 'none' } });
	}
	return m;
}

// The expected { total, values } of an indicator at a place by dim.
function expected(all, ind, level, place, dim) {
	const keep = (all[ind.measure] ?? []).filter((it) => it.date.slice(0, 10) >= FROM &&
		it.date.slice(0, 10) <= TO && (!ind.filter || it.support === ind.filter) &&
		(level === 'nation' || (level === 'province' ? it.prov : it.comm) === place));
	const total = new Set(keep.map((it) => it.key)).size;
	const by = new Map();
	for (const it of keep) {
		const cat = it.cats[dim];
		assert.ok(cat !== undefined, `${ind.code}: no category ${dim} in the JS count`);
		(by.get(cat) ?? by.set(cat, new Set()).get(cat)).add(it.key);
	}
	const vals = [...by.entries()].map(([category, keys]) => ({ category, value: keys.size }))
		.sort((x, y) => (x.category < y.category ? -1 : x.category > y.category ? 1 : 0));
	return { total, values: vals };
}

test('every indicator equals the count made here, at the nation, a province and a commune, by its first dimension', async () => {
	const catalogue = ok(await as.stat.get('/api/stats/indicators')).items;
	assert.ok(catalogue.length >= 27);
	for (const code of ['INT_RECEIVED', 'INT_CLASSIFIED', 'INT_RESOLVED', 'INT_RESOLVED_IN_TIME', 'V_RECEIVED',
		'V_VERIFIED', 'V_IDENTIFIED', 'V_SUPPORTED', 'V_SUPPORTED_MEDICAL', 'V_REINTEGRATED', 'V_MINORS',
		'CASE_INITIATED', 'CASE_SOLVED', 'CASE_INDICTED', 'CASE_TRIED', 'OFFENDERS', 'REFERRALS'])
		assert.ok(catalogue.some((i) => i.code === code), code);
	const all = items();
	let nonzero = 0;
	for (const ind of catalogue) {
		assert.deepEqual(Object.keys(ind).sort(),
			['code', 'counts', 'dimensions', 'filter', 'measure', 'name_en', 'name_vi']);
		const dim = ind.dimensions.includes('sex') ? 'sex' : ind.dimensions[0];
		for (const [level, place] of [['nation', null], ['province', '01'], ['commune', '00004']]) {
			const params = { indicator: ind.code, by: dim };
			if (place)
				params[level] = place;
			const got = ok(await values(as.stat, params));
			assert.deepEqual(Object.keys(got).sort(), ['by', 'from', 'indicator', 'scope', 'to', 'total', 'values']);
			assert.deepEqual(got.scope, { level, code: place });
			const want = expected(all, ind, level, place, dim);
			assert.equal(got.total, want.total, `${ind.code} ${level} ${place ?? ''}`);
			assert.deepEqual(got.values, want.values, `${ind.code} ${level} ${place ?? ''} by ${dim}`);
			if (level === 'commune' && got.total > 0)
				nonzero++;
		}
	}
	// The commune has the API's records: most indicators count something.
	assert.ok(nonzero >= 10, `only ${nonzero} indicators count something in 00004`);
});

test('unique persons: two services of one person are one person supported', async () => {
	const supported = ok(await values(as.cw, { indicator: 'V_SUPPORTED' }));
	const services = ok(await values(as.cw, { indicator: 'SVC_GIVEN' }));
	assert.deepEqual(supported.scope, { level: 'commune', code: '00004' });
	assert.equal(supported.total, 1);
	assert.equal(services.total, 2);
	// The province's persons by commune add up to its total, and each
	// commune is what the commune itself gets.
	const byCommune = ok(await values(as.sup, { indicator: 'V_RECEIVED', by: 'commune' }));
	assert.deepEqual(byCommune.scope, { level: 'province', code: '01' });
	assert.equal(byCommune.values.reduce((s, v) => s + v.value, 0), byCommune.total);
	for (const commune of ['00004', '00008']) {
		const one = ok(await values(as.sup, { indicator: 'V_RECEIVED', commune }));
		assert.equal(byCommune.values.find((v) => v.category === commune)?.value ?? 0, one.total, commune);
	}
});

test('scope: a commune unit its commune, a province unit its province and communes, national units everything', async () => {
	ok(await values(as.cw, { indicator: 'V_RECEIVED', commune: '00004' }));
	problem(await values(as.cw, { indicator: 'V_RECEIVED', commune: '00008' }), 403, 'forbidden', 'commune');
	problem(await values(as.cw, { indicator: 'V_RECEIVED', province: '01' }), 403, 'forbidden', 'province');
	ok(await values(as.sup, { indicator: 'V_RECEIVED', commune: '00008' }));
	problem(await values(as.sup, { indicator: 'V_RECEIVED', province: '04' }), 403, 'forbidden', 'province');
	const nation = ok(await values(as.stat, { indicator: 'V_RECEIVED' }));
	assert.deepEqual(nation.scope, { level: 'nation', code: null });
	ok(await values(as.stat, { indicator: 'V_RECEIVED', province: '04' }));
	problem(await values(as.hot, { indicator: 'V_RECEIVED' }), 403, 'forbidden');
	problem(await as.hot.get('/api/stats/indicators'), 403, 'forbidden');
	problem(await values(as.adm, { indicator: 'V_RECEIVED' }), 403, 'forbidden');
});

test('bad input names its field', async () => {
	problem(await values(as.stat, { indicator: 'NOPE' }), 404, 'not_found', 'indicator');
	problem(await values(as.stat, {}), 400, 'invalid', 'indicator');
	problem(await values(as.stat, { indicator: 'CASE_TRIED', by: 'sex' }), 400, 'invalid', 'by');
	problem(await values(as.stat, { indicator: 'V_RECEIVED', by: 'colour' }), 400, 'invalid', 'by');
	problem(await values(as.stat, { indicator: 'V_RECEIVED', from: '2025-02-30' }), 400, 'invalid', 'from');
	problem(await values(as.stat, { indicator: 'V_RECEIVED', from: '2025-02-01', to: '2025-01-01' }), 400,
		'invalid', 'to');
	problem(await values(as.stat, { indicator: 'V_RECEIVED', commune: '99999' }), 400, 'invalid', 'commune');
	problem(await values(as.stat, { indicator: 'V_RECEIVED', province: '99' }), 400, 'invalid', 'province');
	problem(await values(as.stat, { indicator: 'V_RECEIVED', commune: '00004', province: '01' }), 400, 'invalid',
		'commune');
});
