// storage.test.js: `ctip import`, `ctip backup` and `ctip migrate` against
// real database files: all-or-nothing imports, identity data encrypted at
// rest, online backups, the repair of development builds' databases and the
// schema check.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import test from 'node:test';
import { spawn, spawnSync } from 'node:child_process';
import {
	BIN, DATA, csv, fileMode, initDb, personCount, request, run, runOk, sha256, sharedDb, sleep, sqlite, startServer,
	stopOk, tempDir,
} from './lib.js';
import { addOrg, addUser, ok, signIn } from './users.js';

// Three persons: a victim with an event abroad, a person under
// identification, and a minor accompanying the first.
function goodRows(prefix = 'A') {
	return [
		{
			ref: `${prefix}1`, role: 'victim', full_name: 'Nguyễn Thị Lan', sex: 'F', birth_date: '1998-03-14',
			ethnicity: '01', nationality: 'VN', citizenship: 'vn_citizen', citizen_id: '001198001234',
			phone: '0912345678', address: '12 Phố Huế, Hà Nội', province: '01', commune: '00004',
			event_abroad: '1', destination: 'CN', purposes: 'SEX;MONEY', recruitment_means: 'broker',
			recruited_on: '2024-01-10', discovery: 'rescued', discovered_on: '2024-06-01',
		},
		{
			ref: `${prefix}2`, role: 'under_identification', full_name: 'Trần Văn Minh', sex: 'M',
			birth_year: '1985', citizenship: 'vn_citizen', province: '01', event_abroad: '0',
		},
		{
			ref: `${prefix}3`, accompanies_ref: `${prefix}1`, role: 'accompanying_minor',
			full_name: 'Nguyễn Bé Na', sex: 'F', birth_date: '2016-07-02', citizenship: 'vn_citizen',
			province: '01', event_abroad: '0',
		},
	];
}

function writeCsv(dir, name, text) {
	const file = path.join(dir, name);
	fs.writeFileSync(file, text);
	return file;
}

// n valid persons with refs prefix0, prefix1, ... for bulk imports.
function manyRows(n, prefix) {
	return Array.from({ length: n }, (_, i) => ({
		ref: `${prefix}${i}`, role: 'victim', full_name: `Phạm Thị Số ${i}`, sex: 'F', birth_year: '1990',
		citizenship: 'vn_citizen', province: '01', event_abroad: '0',
	}));
}

test('import of a valid CSV adds its persons and events', async () => {
	const { db, key, dir } = await sharedDb();
	const before = personCount(db);
	const maxId = Number(sqlite(db, 'select max(id) from person'));
	const file = writeCsv(dir, 'good.csv', csv(goodRows('G')));
	const r = await run(['import', '--db', db, '--key', key, file]);
	assert.equal(r.code, 0, r.stderr);
	assert.match(r.stdout, /^ctip: imported 3 persons and 1 event from .*good\.csv/);
	assert.equal(personCount(db), before + 3);
	// The minor points at the victim of the same file; none is demo data.
	assert.equal(sqlite(db, `select count(*), sum(is_demo) from person where id > ${maxId}`), '3|0');
	assert.equal(sqlite(db, `select count(*) from person m join person a on m.accompanies_id = a.id
		where m.id > ${maxId} and m.role = 'accompanying_minor' and a.role = 'victim'`), '1');
});

test('import --demo marks the imported persons as demo data', async () => {
	const { db, key, dir } = await sharedDb();
	const before = Number(sqlite(db, 'select count(*) from person where is_demo = 1'));
	const file = writeCsv(dir, 'demo.csv', csv(goodRows('D')));
	await runOk(['import', '--demo', '--db', db, '--key', key, file]);
	assert.equal(Number(sqlite(db, 'select count(*) from person where is_demo = 1')), before + 3);
});

// Each case: what to do to the good rows, and the line and field the
// error must name, by its CSV column (line 1 is the header).
const BAD_IMPORTS = {
	'an unknown sex': { edit: (rows) => (rows[1].sex = 'Q'), line: 3, field: 'sex' },
	'an unknown province': { edit: (rows) => (rows[2].province = '99'), line: 4, field: 'province' },
	'a short citizen ID': { edit: (rows) => (rows[0].citizen_id = '12345'), line: 2, field: 'citizen_id' },
	'a commune that is not 5 digits': {
		edit: (rows) => (rows[0].commune = '4'), line: 2, field: 'commune',
	},
	'a minor accompanying an unknown ref': {
		edit: (rows) => (rows[2].accompanies_ref = 'nobody'), line: 4, field: 'accompanies_ref',
	},
	'a minor accompanying another minor': {
		edit: (rows) => rows.push({ ...rows[2], ref: 'Bm2', accompanies_ref: rows[2].ref }), line: 5,
		field: 'accompanies_ref',
	},
	'a minor who is 18 or older': {
		edit: (rows) => (rows[2].birth_date = '2000-01-01'), line: 4, field: 'birth_date',
	},
	'a commune of another province': {
		// 00004 is in Hà Nội (01); the second row says Hải Phòng (31), so the memo of valid codes must not let the pair pass.
		edit: (rows) => rows.splice(1, 0, { ...rows[0], ref: 'Bhp', province: '31' }), line: 3,
		field: 'commune',
	},
	'a ref that appears twice': { edit: (rows) => (rows[2].ref = rows[1].ref), line: 4, field: 'ref' },
	'a discovery date in the future': {
		edit: (rows) => (rows[0].discovered_on = '2999-01-01'), line: 2, field: 'discovered_on',
	},
	'an unknown purpose': { edit: (rows) => (rows[0].purposes = 'SEX;NOPE'), line: 2, field: 'purposes' },
	'an abroad event without destination': {
		edit: (rows) => (rows[0].destination = ''), line: 2, field: 'destination',
	},
	'a birth year that is not a number': {
		edit: (rows) => (rows[1].birth_year = '19x5'), line: 3, field: 'birth_year',
	},
	'an empty full name': { edit: (rows) => (rows[1].full_name = ''), line: 3, field: 'full_name' },
	'a reception date in the future': { edit: (rows) => (rows[1].received_on = '2999-01-01'), line: 3,
		field: 'received_on' },
};

async function importBad(edit) {
	const { db, key, dir } = await sharedDb();
	const rows = goodRows('B');
	edit(rows);
	const file = writeCsv(dir, 'bad.csv', csv(rows));
	const before = personCount(db);
	const r = await run(['import', '--db', db, '--key', key, file]);
	return { ...r, added: personCount(db) - before };
}

for (const [what, { edit, line, field }] of Object.entries(BAD_IMPORTS)) {
	test(`import of a CSV with ${what} exits 3, names the line, and adds nothing`, async () => {
		const r = await importBad(edit);
		assert.equal(r.code, 3, r.stderr);
		assert.match(r.stderr, new RegExp(`^ctip: line ${line}: ${field}\\b`, 'm'));
		assert.match(r.stderr, /nothing was imported/);
		assert.equal(r.stdout, '');
		assert.equal(r.added, 0);
	});
}

test('import takes the reception date from received_on, else from discovered_on; the column may be missing', async () => {
	const { db, key, dir } = await sharedDb();
	const rows = goodRows('R');
	rows[0].received_on = '2024-03-05';
	const withColumn = writeCsv(dir, 'received.csv', csv(rows));
	const r = await run(['import', '--db', db, '--key', key, withColumn]);
	assert.equal(r.code, 0, r.stderr);
	const last = Number(sqlite(db, 'select max(id) from person'));
	const got = sqlite(db, `select received_on from person where id > ${last - rows.length} order by id`).split('\n');
	assert.equal(got[0], '2024-03-05');
	// Without a date of its own: the day of the import in Viet Nam.
	const today = new Date(Date.now() + 7 * 3600000).toISOString().slice(0, 10);
	for (let i = 1; i < rows.length; i++)
		assert.equal(got[i], rows[i].discovered_on ?? today, `row ${i}`);
	// A file of format 1.0, without the column, still imports.
	const old = csv(goodRows('O')).split('\n').map((l) => l.split(',').slice(0, -1).join(',')).join('\n');
	const r2 = await run(['import', '--db', db, '--key', key, writeCsv(dir, 'v10.csv', old)]);
	assert.equal(r2.code, 0, r2.stderr);
});

test('import links a minor to an adult a thousand lines earlier, and counts what it stored', async () => {
	// The import reads and stores in batches of a few hundred rows on two
	// threads: the adult is stored batches before the minor is read.
	const { db, key, dir } = await sharedDb();
	const rows = manyRows(1000, 'L');
	rows.push({
		ref: 'Lminor', accompanies_ref: 'L3', role: 'accompanying_minor', full_name: 'Phạm Bé Út', sex: 'M',
		birth_date: '2019-05-05', citizenship: 'vn_citizen', province: '01', event_abroad: '0',
	});
	const maxId = Number(sqlite(db, 'select max(id) from person'));
	const r = await run(['import', '--db', db, '--key', key, writeCsv(dir, 'far-minor.csv', csv(rows))]);
	assert.equal(r.code, 0, r.stderr);
	assert.match(r.stdout, /imported 1001 persons and 0 events/);
	assert.equal(sqlite(db, `select count(*) from person where id > ${maxId}`), '1001');
	// Rows are stored in file order: L3 is the fourth new id.
	assert.equal(sqlite(db, `select accompanies_id - ${maxId} from person where id > ${maxId}
		and role = 'accompanying_minor'`), '4');
});

test('import checks a minor against an adult read more than 4,096 lines before', async () => {
	// What the reader keeps of each line grows as the file is read; the
	// adult's reception date must survive it (an 18-year-old "minor" is
	// refused by that date, a 17-year-old accepted).
	const { db, key, dir } = await sharedDb();
	const rows = manyRows(5000, 'K');
	rows[1].received_on = '2024-01-01';
	const minor = {
		ref: 'Kminor', accompanies_ref: 'K1', role: 'accompanying_minor', full_name: 'Phạm Văn Út', sex: 'M',
		birth_date: '2006-02-01', citizenship: 'vn_citizen', province: '01', event_abroad: '0',
	};
	const before = personCount(db);
	const old = await run(['import', '--db', db, '--key', key,
		writeCsv(dir, 'far-adult-18.csv', csv([...rows, { ...minor, birth_date: '2005-12-31' }]))]);
	assert.equal(old.code, 3, old.stderr);
	assert.match(old.stderr, /line 5002: birth_date: .*under 18 \(is 18\)/);
	assert.equal(personCount(db), before);
	const ok = await run(['import', '--db', db, '--key', key,
		writeCsv(dir, 'far-adult-17.csv', csv([...rows, minor]))]);
	assert.equal(ok.code, 0, ok.stderr);
	assert.equal(personCount(db), before + 5001);
});

test('import of a bad row after a thousand good ones adds none of them', async () => {
	const { db, key, dir } = await sharedDb();
	const rows = manyRows(1000, 'M');
	rows.push({ ...rows[0], ref: 'Mbad', sex: 'X' });
	const file = writeCsv(dir, 'late-bad.csv', csv(rows));
	const before = personCount(db);
	const r = await run(['import', '--db', db, '--key', key, file]);
	assert.equal(r.code, 3, r.stderr);
	assert.match(r.stderr, /line 1002: sex/);
	assert.equal(personCount(db), before);
});

test('import of malformed files exits 3 and adds nothing', async () => {
	const { db, key, dir } = await sharedDb();
	const good = csv(goodRows('F'));
	// A full name with the bytes ff fe: not UTF-8.
	const badUtf8 = Buffer.from(good.replace('Trần Văn Minh', 'Tr@@n'));
	badUtf8.write('\xff\xfe', badUtf8.indexOf('@@'), 'latin1');
	const cases = {
		'empty.csv': ['', /empty file/],
		'no-id-column.csv': [good.replace(',citizen_id,', ',cid,'), /header: no column "citizen_id"/],
		'unterminated.csv': [good.replace('Trần Văn Minh', '"Trần Văn Minh'), /line \d+: .*quote/],
		'bad-utf8.csv': [badUtf8, /line 3: full_name: not valid UTF-8/],
		// A row cut short by a broken export, or run on: not a person
		// with blank fields.
		'short-row.csv': [good.split('\n').map((l, i) => (i === 2 ? l.split(',').slice(0, 15).join(',') : l)).join('\n'),
			/line 3: expected \d+ fields as in the header, got 15/],
		'long-row.csv': [good.split('\n').map((l, i) => (i === 1 ? `${l},x,y` : l)).join('\n'),
			/line 2: expected (\d+) fields as in the header, got \d+/],
	};
	const before = personCount(db);
	for (const [name, [content, why]] of Object.entries(cases)) {
		const file = writeCsv(dir, name, content);
		const r = await run(['import', '--db', db, '--key', key, file]);
		assert.equal(r.code, 3, `${name}: ${r.stderr}`);
		assert.match(r.stderr, why, name);
	}
	assert.equal(personCount(db), before);
});

test('the same file imported twice is refused, unless --again: its persons would be registered twice', async () => {
	const { db, key, dir } = await sharedDb();
	const file = writeCsv(dir, 'twice.csv', csv(goodRows('T')));
	const before = personCount(db);
	await runOk(['import', '--db', db, '--key', key, file]);
	assert.equal(personCount(db), before + 3);
	let r = await run(['import', '--db', db, '--key', key, file]);
	assert.equal(r.code, 3, r.stderr);
	assert.match(r.stderr, /twice\.csv was imported already \(on \d{4}-\d\d-\d\dT[\d:]+Z, 3 persons\): pass --again/);
	assert.equal(personCount(db), before + 3);
	// The same bytes under another name are the same file.
	const copy = writeCsv(dir, 'twice-copy.csv', fs.readFileSync(file));
	assert.equal((await run(['import', '--db', db, '--key', key, copy])).code, 3);
	r = await run(['import', '--db', db, '--key', key, '--again', file]);
	assert.equal(r.code, 0, r.stderr);
	assert.equal(personCount(db), before + 6);
	// Each load is in the audit log, the file by its id (that of the
	// record of its import); the refused ones changed nothing and are not.
	const id = sqlite(db, "SELECT substr(key, 10) FROM meta WHERE value LIKE '%, 3 persons' AND key LIKE 'imported:%'"
		+ ' ORDER BY rowid DESC LIMIT 1');
	assert.match(id, /^[0-9a-f]{32}$/);
	assert.equal(sqlite(db, `SELECT group_concat(username || ' ' || ip || ' ' || outcome, ';') FROM audit_log
		WHERE action = 'person.import' AND object_type = 'import_file' AND object_id = '${id}'`),
	'system cli ok;system cli ok');
	await runOk(['audit', 'verify', '--db', db, '--key', key]);
});

test('import after refused imports still works', async () => {
	const { db, key, dir } = await sharedDb();
	const before = personCount(db);
	const file = writeCsv(dir, 'after.csv', csv(goodRows('H')));
	await runOk(['import', '--db', db, '--key', key, file]);
	assert.equal(personCount(db), before + 3);
});

test('import of a missing file or without its key file fails and adds nothing', async () => {
	const { db, key, dir } = await sharedDb();
	const file = writeCsv(dir, 'nokey.csv', csv(goodRows('K')));
	const before = personCount(db);
	let r = await run(['import', '--db', db, '--key', key, path.join(dir, 'no-such.csv')]);
	assert.equal(r.code, 4, r.stderr);
	assert.match(r.stderr, /^ctip: .*no-such\.csv/);
	r = await run(['import', '--db', db, '--key', path.join(dir, 'no-such.key'), file]);
	assert.equal(r.code, 4, r.stderr);
	assert.match(r.stderr, /^ctip: .*no-such\.key/);
	assert.equal(personCount(db), before);
});

test('import with the key file of another database is refused',
	async () => {
		const { db, dir } = await sharedDb();
		const other = await initDb({ demo: 0, name: 'other' });
		const file = writeCsv(dir, 'otherkey.csv', csv(goodRows('O')));
		const before = personCount(db);
		const r = await run(['import', '--db', db, '--key', other.key, file]);
		assert.equal(r.code, 3, r.stderr);
		assert.match(r.stderr, /key file does not belong to this database/);
		assert.equal(personCount(db), before);
	});

test('a key file with another data key under a known id, or without a known key, is refused, by a running server too',
	async () => {
		const { db, key, dir } = await initDb({ demo: 0, name: 'keys' });
		const file = writeCsv(dir, 'keys.csv', csv(goodRows('Q')));
		const good = fs.readFileSync(key, 'utf8');
		const write = (name, text) => {
			const f = path.join(dir, name);
			fs.writeFileSync(f, text, { mode: 0o600 });
			return f;
		};
		// The right index key (so the file passes for this database's),
		// another key 1: what it sealed no right file would open.
		const wrong = write('wrong.key', good.replace(/^key 1 [0-9a-f]{64}$/m, `key 1 ${'ab'.repeat(32)}`));
		assert.notEqual(fs.readFileSync(wrong, 'utf8'), good);
		let r = await run(['import', '--db', db, '--key', wrong, file]);
		assert.equal(r.code, 3, r.stderr);
		assert.match(r.stderr, /^ctip: key 1 of the key file is not the one this database was sealed with/);
		await assert.rejects(startServer({ db, key: wrong }), /key 1 of the key file is not the one/);
		assert.equal(personCount(db), 0);
		// After a rotation the database knows keys 1 and 2: a file
		// without key 1 cannot open what it sealed, nor the file of
		// before the rotation what is sealed now.
		const before = write('before.key', good);
		await runOk(['key', 'rotate', '--db', db, '--key', key]);
		r = await run(['import', '--db', db, '--key', before, file]);
		assert.equal(r.code, 3, r.stderr);
		assert.match(r.stderr, /^ctip: the key file lacks key 2, which sealed data in this database/);
		const rotated = fs.readFileSync(key, 'utf8');
		const lacking = write('lacking.key', rotated.replace(/^key 1 [0-9a-f]{64}\n/m, ''));
		r = await run(['import', '--db', db, '--key', lacking, file]);
		assert.equal(r.code, 3, r.stderr);
		assert.match(r.stderr, /^ctip: the key file lacks key 1, which sealed data in this database/);
		// A running server does not take a wrong file written over its own,
		// and goes on with the keys it has.
		const live = write('live.key', rotated);
		const server = await startServer({ db, key: live });
		try {
			await new Promise((resolve) => setTimeout(resolve, 1100));
			fs.writeFileSync(live, rotated.replace(/^key 2 [0-9a-f]{64}$/m, `key 2 ${'cd'.repeat(32)}`));
			await new Promise((resolve) => setTimeout(resolve, 1100));
			assert.equal((await request(`${server.url}/api/meta`)).status, 200);
			for (let i = 0; i < 20 && !/not reloaded/.test(server.stderr); i++)
				await new Promise((resolve) => setTimeout(resolve, 100));
			assert.match(server.stderr, /key file changed but was not reloaded: key 2 of the key file is not the one/);
		} finally {
			await stopOk(server);
		}
		await runOk(['import', '--db', db, '--key', key, file]);
		assert.equal(personCount(db), 3);
	});

// Every file of the database (main, -wal, -shm, -journal).
function databaseBytes(db) {
	const dir = path.dirname(db);
	const base = path.basename(db);
	return Buffer.concat(fs.readdirSync(dir).filter((f) => f.startsWith(base))
		.map((f) => fs.readFileSync(path.join(dir, f))));
}

test('imported identity fields are not stored in plain text', async () => {
	const { db, key, dir } = await initDb({ demo: 0 });
	const secret = {
		full_name: 'Đặng Thị Xuyến Độcnhất',
		citizen_id: '079301987654',
		phone: '0987 654 321',
		address: 'Số 77 ngõ Bíẩn, phường Thử',
	};
	const rows = goodRows('P');
	Object.assign(rows[0], secret);
	const file = writeCsv(dir, 'identity.csv', csv(rows));
	await runOk(['import', '--db', db, '--key', key, file]);
	const backup = path.join(dir, 'identity-backup.db');
	await runOk(['backup', '--db', db, backup]);
	for (const [where, bytes] of [['database', databaseBytes(db)], ['backup', fs.readFileSync(backup)]]) {
		for (const [field, value] of Object.entries(secret))
			assert.equal(bytes.indexOf(Buffer.from(value)), -1, `${field} in plain text in the ${where}`);
		assert.equal(bytes.indexOf(Buffer.from('987654321')), -1, `phone digits in the ${where}`);
		assert.equal(bytes.indexOf(Buffer.from('Độcnhất')), -1, `part of the name in the ${where}`);
	}
	// The row is there: the values are stored, just not readable.
	assert.equal(Number(sqlite(db, 'select count(*) from person where citizen_id_enc is not null ' +
		'and phone_enc is not null and address_enc is not null')), 1);
});

test('backup while the server answers requests gives a consistent copy', async () => {
	const { db, dir } = await sharedDb();
	const server = await startServer({ db });
	try {
		const statuses = [];
		let busy = true;
		const load = (async () => {
			while (busy) {
				for (const p of ['/api/ref/stats', '/api/meta', '/healthz'])
					statuses.push((await request(server.url + p)).status);
			}
		})();
		const file = path.join(dir, 'live-backup.db');
		const r = await run(['backup', '--db', db, file], { umask: '000' });
		busy = false;
		await load;
		assert.equal(r.code, 0, r.stderr);
		assert.match(r.stdout, /^ctip: backed up /);
		assert.ok(statuses.length > 0);
		assert.deepEqual([...new Set(statuses)], [200]);
		assert.equal(sqlite(file, 'pragma integrity_check'), 'ok');
		assert.equal(personCount(file), personCount(db));
		assert.equal(fileMode(file).toString(8), '600');
		// The copy is a ctip database in its own right.
		assert.match(await runOk(['ref', 'stats', '--db', file]), /^communes\s+3321$/m);
		assert.match(await runOk(['migrate', '--db', file]), /0 migrations applied/);
		// And the server still answers afterwards.
		assert.equal((await request(`${server.url}/api/meta`)).status, 200);
	} finally {
		await stopOk(server);
	}
});

test('backup to an existing file is refused and leaves the file as it was', async () => {
	const { db, dir } = await sharedDb();
	const file = path.join(dir, 'existing.db');
	fs.writeFileSync(file, 'not a database, and not to be overwritten\n');
	const hash = sha256(file);
	const r = await run(['backup', '--db', db, file]);
	assert.notEqual(r.code, 0);
	assert.match(r.stderr, /^ctip: .*exists/);
	assert.equal(sha256(file), hash);
	// An existing backup is no more overwritten than any other file.
	const first = path.join(dir, 'first.db');
	await runOk(['backup', '--db', db, first]);
	const firstHash = sha256(first);
	assert.notEqual((await run(['backup', '--db', db, first])).code, 0);
	assert.equal(sha256(first), firstHash);
});

test('backup during an import holds all of its rows or none', async () => {
	const { db, key, dir } = await initDb({ demo: 0 });
	const file = writeCsv(dir, 'bulk.csv', csv(manyRows(3000, 'Z')));
	const before = personCount(db);
	const backups = [];
	const imp = run(['import', '--db', db, '--key', key, file]);
	for (let i = 0; i < 3; i++) {
		const out = path.join(dir, `during-${i}.db`);
		const r = await run(['backup', '--db', db, out]);
		assert.equal(r.code, 0, r.stderr);
		backups.push(out);
	}
	const ri = await imp;
	assert.equal(ri.code, 0, ri.stderr);
	assert.equal(personCount(db), before + 3000);
	for (const out of backups) {
		assert.equal(sqlite(out, 'pragma integrity_check'), 'ok');
		assert.ok([before, before + 3000].includes(personCount(out)), `${out}: ${personCount(out)} persons`);
	}
});

// --- databases of development builds, and schemas no repair knows ---

// Row counts of every table of db, by name.
function tableCounts(db) {
	const names = sqlite(db, "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
		.split('\n');
	return Object.fromEntries(names.map((n) => [n, Number(sqlite(db, `SELECT count(*) FROM "${n}"`))]));
}

// As development builds left them (docs/internals/storage.md): 003_intake
// without intake_person (65b0f8e, b16aa4e, 7a43485), access_grant of the
// CHECK before referrals of intakes (c990c71..65b0f8e), plan_task_unit
// without id (2cf1e4c..0113051); at schema version 13.
const DEV_BUILD_SQL = `
DROP TABLE intake_person;
CREATE TABLE ag (object_type TEXT NOT NULL CHECK (object_type = 'person'), object_id INTEGER NOT NULL,
	unit_id INTEGER NOT NULL REFERENCES org_unit (id), granted_at TEXT NOT NULL,
	granted_by INTEGER REFERENCES app_user (id), PRIMARY KEY (object_type, object_id, unit_id));
INSERT INTO ag SELECT * FROM access_grant WHERE object_type = 'person';
DROP TABLE access_grant; ALTER TABLE ag RENAME TO access_grant;
CREATE INDEX access_grant_unit ON access_grant (unit_id, object_type, object_id);
CREATE TABLE ptu (task_id INTEGER NOT NULL REFERENCES plan_task (id),
	role TEXT NOT NULL CHECK (role = 'lead' OR role = 'coordinate'), org_unit_id INTEGER REFERENCES org_unit (id),
	all_units INTEGER NOT NULL DEFAULT 0 CHECK (all_units IN (0, 1)), phrase TEXT,
	CHECK ((org_unit_id IS NULL) = (all_units = 1)));
INSERT INTO ptu SELECT task_id, role, org_unit_id, all_units, phrase FROM plan_task_unit ORDER BY id;
DROP TABLE plan_task_unit; ALTER TABLE ptu RENAME TO plan_task_unit;
CREATE INDEX plan_task_unit_task ON plan_task_unit (task_id);
CREATE INDEX plan_task_unit_unit ON plan_task_unit (org_unit_id, task_id);
DELETE FROM schema_migration WHERE version >= 14;`;

test('migrate repairs the databases of development builds with every row, and their intakes, persons and plans read again',
	{ timeout: 120000 }, async () => {
		const { db, key } = await initDb({ demo: 20 });
		const lan = await addUser(db, key, 'lan', {
			adminCode: '00004', agency: 'POLICE', roles: ['case_worker', 'hotline_operator', 'investigator'],
		});
		const unit = sqlite(db, "SELECT org_unit_id FROM app_user WHERE username = 'lan'");
		const other = (await addOrg(db, { agency: 'HEALTH', adminCode: '01' })).id;
		let srv = await startServer({ db, key });
		let c, intake, person;
		try {
			c = await signIn(srv.url, lan);
			intake = ok(await c.post('/api/intakes', {
				received_at: '2026-01-05T08:15:00Z', channel: 'HOTLINE_111', language: 'vi', province: '01',
				commune: '00004', summary: 'QA', reporter: { anonymous: true }, urgency: 'high',
			}), 201);
			person = ok(await c.post('/api/persons', {
				full_name: 'Trần Thị Nạn', sex: 'F', birth_year: 2001, role: 'under_identification',
				citizenship: 'vn_citizen', province: '01', commune: '00004', received_on: '2026-01-06',
			}), 201);
			ok(await c.post('/api/referrals', {
				object_type: 'person', object_id: person.id, to_unit_id: other, reason: 'QA', urgency: 'normal',
			}), 201);
		} finally {
			await stopOk(srv);
		}
		// A plan of lan's commune, its units in a gap of rowids.
		sqlite(db, `INSERT INTO plan (id, org_unit_id, admin_code, province_code, title, issued_on, period_from,
			period_to, created_by, created_at, updated_at) VALUES (1, ${unit}, '00004', '01', 'KH', '2026-01-05',
			'2026-01-01', '2026-12-31', ${lan.id}, '2026-01-05T00:00:00Z', '2026-01-05T00:00:00Z');
			INSERT INTO plan_task (id, plan_id, seq, number, text, timing) VALUES (1, 1, 1, '1', 'T', 'continuous');
			INSERT INTO plan_task_unit (id, task_id, role, org_unit_id, all_units, phrase) VALUES
				(4, 1, 'lead', ${unit}, 0, 'Công an xã'), (9, 1, 'coordinate', NULL, 1, 'các sở')`);
		const before = tableCounts(db);
		sqlite(db, DEV_BUILD_SQL);
		assert.equal(sqlite(db, 'SELECT group_concat(rowid) FROM plan_task_unit'), '1,2');
		// The version is older: serve refuses until migrated.
		let r = await run(['serve', '--listen', '127.0.0.1:0', '--db', db, '--key', key]);
		assert.equal(r.code, 1);
		assert.match(r.stderr, /run "ctip migrate"/);
		assert.match(await runOk(['migrate', '--db', db]),
			/schema version 14 \(1 migration applied\); reference data reloaded/);
		// Every row kept (the intake-person links went with the table
		// the development build never had).
		assert.deepEqual(tableCounts(db), { ...before, intake_person: 0 });
		assert.equal(sqlite(db, 'SELECT group_concat(id) FROM plan_task_unit ORDER BY id'), '1,2');
		srv = await startServer({ db, key });
		try {
			c = await signIn(srv.url, lan);
			ok(await c.get(`/api/intakes/${intake.id}`));
			ok(await c.get(`/api/persons/${person.id}?reason=qa`));
			const plan = ok(await c.get('/api/plans/1'));
			assert.deepEqual(plan.tasks[0].lead.map((u) => u.phrase), ['Công an xã']);
			ok(await c.post('/api/referrals', {
				object_type: 'intake', object_id: intake.id, to_unit_id: other, reason: 'QA', urgency: 'normal',
			}), 201);
		} finally {
			await stopOk(srv);
		}
		assert.match(await runOk(['migrate', '--db', db]), /\(0 migrations applied\)$/m);
	});

test('a schema no repair knows is refused by migrate and serve, naming what differs, and nothing is changed', async () => {
	const { db: fresh, key } = await sharedDb();
	const cases = [
		['ALTER TABLE person ADD COLUMN nickname TEXT', /table person differs from ctip's definition/],
		['ALTER TABLE app_user DROP COLUMN version', /table app_user differs from ctip's definition/],
		['DROP INDEX person_owner', /index person_owner is missing/],
		['CREATE TABLE notes (x TEXT)', /table notes is not in ctip's schema/],
	];
	for (const [sql, what] of cases) {
		for (const pending of [false, true]) {
			const db = path.join(tempDir(), 'x.db');
			await runOk(['backup', '--db', fresh, db]);
			sqlite(db, sql + (pending ? '; DELETE FROM schema_migration WHERE version >= 14' : ''));
			const state = () => [sqlite(db, 'SELECT type, name, sql FROM sqlite_master ORDER BY name'), tableCounts(db)];
			const before = state();
			let r = await run(['migrate', '--db', db]);
			assert.equal(r.code, 1, r.stderr);
			assert.match(r.stderr, new RegExp(`^ctip: could not migrate "[^"]*": schema is not ctip's: ${what.source}\\n$`));
			assert.deepEqual(state(), before, `${sql}: changed by a refused migrate`);
			if (pending)
				continue;
			r = await run(['serve', '--listen', '127.0.0.1:0', '--db', db, '--key', key]);
			assert.equal(r.code, 1, r.stderr);
			assert.match(r.stderr, new RegExp(`^ctip: database "[^"]*": schema is not ctip's: ${what.source}\\n$`));
			assert.doesNotMatch(r.stdout, /listening/);
		}
	}
});

test('a reference reload that fails or is killed after a migration is redone by the next migrate; serve refuses meanwhile',
	{ timeout: 120000 }, async () => {
		const { db: fresh, key } = await sharedDb();
		const db = path.join(tempDir(), 'r.db');
		const forms = 'SELECT count(*) FROM report_form';
		await runOk(['backup', '--db', fresh, db]);
		const n = sqlite(db, forms);
		// A failed reload: the data directory is missing.
		sqlite(db, 'DELETE FROM schema_migration WHERE version >= 14');
		let r = await run(['migrate', '--db', db, '--data', path.join(tempDir(), 'none')]);
		assert.equal(r.code, 4, r.stderr);
		assert.match(r.stderr, /^ctip: the schema of "[^"]*" is migrated \(version 14\), but its reference data could not be reloaded from "[^"]*": .*; fix that and run "ctip migrate" again \("ctip serve" refuses the database until then\)\n$/);
		assert.equal(sqlite(db, 'SELECT max(version) FROM schema_migration'), '14');
		r = await run(['serve', '--listen', '127.0.0.1:0', '--db', db, '--key', key]);
		assert.equal(r.code, 1, r.stderr);
		assert.match(r.stderr, /reference data were not loaded again since its last migration: run "ctip migrate"/);
		assert.match(await runOk(['migrate', '--db', db]), /\(0 migrations applied\); reference data reloaded/);
		// A killed reload: a reference file that is a FIFO holds the
		// reload after the schema's commit until SIGKILL.
		sqlite(db, 'DELETE FROM schema_migration WHERE version >= 14');
		const data = tempDir();
		for (const f of fs.readdirSync(DATA))
			if (fs.statSync(path.join(DATA, f)).isFile())
				fs.copyFileSync(path.join(DATA, f), path.join(data, f));
		fs.rmSync(path.join(data, 'admin-units.csv'));
		spawnSync('mkfifo', [path.join(data, 'admin-units.csv')]);
		const child = spawn(BIN, ['migrate', '--db', db, '--data', data], { stdio: 'ignore' });
		for (let i = 0; i < 200 && sqlite(db, 'SELECT max(version) FROM schema_migration') !== '14'; i++)
			await sleep(50);
		assert.equal(sqlite(db, 'SELECT max(version) FROM schema_migration'), '14');
		await sleep(200);
		child.kill('SIGKILL');
		await new Promise((resolve) => child.on('exit', resolve));
		assert.equal(sqlite(db, "SELECT count(*) FROM meta WHERE key = 'refdata_digest'"), '0');
		r = await run(['serve', '--listen', '127.0.0.1:0', '--db', db, '--key', key]);
		assert.equal(r.code, 1, r.stderr);
		assert.match(await runOk(['migrate', '--db', db]), /\(0 migrations applied\); reference data reloaded/);
		assert.equal(sqlite(db, forms), n);
		const srv = await startServer({ db, key });
		await stopOk(srv);
	});
