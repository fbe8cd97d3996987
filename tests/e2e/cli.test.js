// cli.test.js: the ctip command line: help, usage errors, init, migrate,
// ref stats, and the exit codes of src/cli/cli.h.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import test from 'node:test';
import { DATA, fileMode, initDb, run, runOk, sha256, sharedDb, sqlite, tempDir } from './lib.js';

const EXIT = { OK: 0, FAIL: 1, USAGE: 2, INPUT: 3, MISSING: 4 };

const COMMANDS = ['init', 'migrate', 'backup', 'restore', 'ref stats', 'ref load', 'import', 'serve', 'plan import', 'version'];

// s as a regular expression that matches it literally.
function escapeRe(s) {
	return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

// Files in dir whose names start with one of the given prefixes.
function leftovers(dir, ...prefixes) {
	return fs.readdirSync(dir).filter((f) => prefixes.some((p) => f.startsWith(p)));
}

// A copy of the reference data directory, changed by edit(dir).
function dataCopy(edit) {
	const dir = path.join(tempDir('ctip-e2e-data'), 'data');
	fs.cpSync(DATA, dir, { recursive: true });
	edit(dir);
	return dir;
}

test('ctip --help lists every command and exits 0', async () => {
	for (const flag of ['--help', '-h', 'help']) {
		const r = await run([flag]);
		assert.equal(r.code, EXIT.OK, flag);
		assert.match(r.stdout, /^usage: ctip COMMAND/, flag);
		for (const cmd of COMMANDS)
			assert.match(r.stdout, new RegExp(`^  ${cmd} `, 'm'), `${flag} lists ${cmd}`);
		assert.equal(r.stderr, '');
	}
});

for (const cmd of COMMANDS) {
	test(`ctip ${cmd} --help prints its usage and exits 0`, async () => {
		const r = await run([...cmd.split(' '), '--help']);
		assert.equal(r.code, EXIT.OK, r.stderr);
		assert.match(r.stdout, new RegExp(`^usage: ctip ${cmd}( |$)`, 'm'));
		assert.match(r.stdout, /--help/);
		assert.equal(r.stderr, '');
	});

	test(`ctip ${cmd} with an unknown option exits 2 with one line on stderr`, async () => {
		const r = await run([...cmd.split(' '), '--no-such-option']);
		assert.equal(r.code, EXIT.USAGE);
		assert.equal(r.stdout, '');
		assert.match(r.stderr, /^ctip[^\n]*--no-such-option[^\n]*\n$/);
	});
}

test('ctip with no command prints the usage on stderr and exits 2', async () => {
	const r = await run([]);
	assert.equal(r.code, EXIT.USAGE);
	assert.match(r.stderr, /^usage: ctip COMMAND/);
	assert.equal(r.stdout, '');
});

test('an unknown command exits 2 with one line on stderr starting "ctip"', async () => {
	for (const args of [['frobnicate'], ['ref', 'bogus'], ['--bogus']]) {
		const r = await run(args);
		assert.equal(r.code, EXIT.USAGE, args.join(' '));
		assert.equal(r.stdout, '');
		assert.match(r.stderr, /^ctip[^\n]*unknown command[^\n]*\n$/, args.join(' '));
	}
});

const GROUPS = {
	ref: ['stats', 'load'],
	user: ['add', 'list', 'disable', 'reset-password'],
	org: ['add', 'list'],
	token: ['create'],
	audit: ['verify'],
	key: ['rotate'],
	plan: ['import'],
};

test('a command group without its subcommand exits 2 saying it is missing and listing the subcommands', async () => {
	for (const [group, subs] of Object.entries(GROUPS)) {
		for (const args of [[group], [group, '--db', 'x.db']]) {
			const r = await run(args);
			assert.equal(r.code, EXIT.USAGE, args.join(' '));
			assert.equal(r.stdout, '');
			assert.match(r.stderr, new RegExp(`^ctip ${group}: missing subcommand: ${subs.join(', ')};[^\n]*\n$`),
				args.join(' '));
			assert.doesNotMatch(r.stderr, /unknown command/, args.join(' '));
		}
	}
	// An unknown subcommand names the group's subcommands too.
	const r = await run(['user', 'remove']);
	assert.equal(r.code, EXIT.USAGE);
	assert.match(r.stderr, /^ctip: unknown command "user remove"; "user" takes add, list, disable, reset-password;/);
});

test('ctip GROUP --help lists the group\'s subcommands on stdout and exits 0', async () => {
	const r = await run(['user', '--help']);
	assert.equal(r.code, EXIT.OK, r.stderr);
	assert.equal(r.stderr, '');
	assert.match(r.stdout, /^usage: ctip user SUBCOMMAND/);
	for (const sub of GROUPS.user)
		assert.match(r.stdout, new RegExp(`^  user ${sub} `, 'm'), sub);
	assert.doesNotMatch(r.stdout, /^ {2}ref /m);
});

// The options a command's --help lists, in order.
async function helpOptions(args) {
	const out = await runOk([...args, '--help']);
	return [...out.matchAll(/^ {2}(--[\w-]+)/gm)].map((m) => m[1]);
}

test('each ref subcommand\'s help lists only its own options', async () => {
	assert.deepEqual(await helpOptions(['ref', 'stats']), ['--db', '--help']);
	assert.deepEqual(await helpOptions(['ref', 'load']), ['--db', '--data', '--help']);
	const r = await run(['ref', 'stats', '--data', DATA]);
	assert.equal(r.code, EXIT.USAGE);
	assert.match(r.stderr, /^ctip ref stats: unknown option "--data"/);
});

test('bad command lines exit 2 with one line on stderr', async () => {
	const { db } = await sharedDb();
	const cases = [
		['init', '--demo'], // option without its value
		['init', '--demo', 'lots'],
		['init', '--demo', '-1'],
		['init', '--seed', 'x'],
		['version', 'extra'], // unexpected positional argument
		['migrate', 'extra'],
		['backup'], // FILE missing
		['import'],
		['import', 'a.csv', 'b.csv'],
		['serve', '--db', db, '--threads', '0'],
		['serve', '--db', db, '--listen', 'not-an-address'],
		['serve', '--db', db, '--listen', '127.0.0.1:70000'],
	];
	for (const args of cases) {
		const r = await run(args);
		assert.equal(r.code, EXIT.USAGE, `${args.join(' ')}: ${r.stderr}`);
		assert.match(r.stderr, /^ctip[^\n]*\n$/, args.join(' '));
	}
});

test('version and --version print the version', async () => {
	for (const args of [['version'], ['--version']]) {
		const out = await runOk(args);
		assert.match(out, /^ctip \d+\.\d+\.\d+\n$/);
	}
});

test('init prints the reference counts, the demo data and a one-time password', async () => {
	const { stdout, db } = await sharedDb();
	assert.match(stdout, new RegExp(`^ctip: initialised ${db.replace(/[.]/g, '\\.')}$`, 'm'));
	assert.match(stdout, /reference data: 34 provinces, 3321 communes, 54 ethnic groups, \d+ countries/);
	assert.match(stdout, /demo data: 200 SYNTHETIC persons/);
	assert.match(stdout, /^ {2}administrator: admin$/m);
	const pw = /^ {2}one-time password: (\S+)$/m.exec(stdout);
	assert.ok(pw, `no one-time password line in:\n${stdout}`);
	assert.ok(pw[1].length >= 12, `password "${pw[1]}" is too short`);
});

test('init gives each database a different one-time password', async () => {
	const a = await initDb({ demo: 0 });
	const b = await initDb({ demo: 0 });
	const pw = (s) => /one-time password: (\S+)/.exec(s)[1];
	assert.notEqual(pw(a.stdout), pw(b.stdout));
});

test('init creates the key file and the database with mode 0600 even under umask 000', async () => {
	const dir = tempDir();
	const db = path.join(dir, 'ctip.db');
	const key = path.join(dir, 'ctip.key');
	await runOk(['init', '--db', db, '--key', key, '--data', DATA, '--demo', '5'], { umask: '000' });
	assert.equal(fileMode(key).toString(8), '600');
	assert.equal(fileMode(db).toString(8), '600');
	for (const f of leftovers(dir, 'ctip.db'))
		assert.equal(fileMode(path.join(dir, f)).toString(8), '600', f);
});

test('init on an existing database fails, says it exists and leaves it untouched', async () => {
	const { db, key } = await initDb({ demo: 3 });
	const before = [sha256(db), sha256(key), fs.statSync(db).mtimeMs];
	const r = await run(['init', '--db', db, '--key', key, '--data', DATA, '--demo', '0']);
	assert.notEqual(r.code, EXIT.OK);
	assert.match(r.stderr, /^ctip: .*already exists/);
	assert.doesNotMatch(r.stdout, /one-time password/);
	assert.deepEqual([sha256(db), sha256(key), fs.statSync(db).mtimeMs], before);
	assert.match(await runOk(['migrate', '--db', db]), /0 migrations applied/);
});

const BAD_DATA = {
	'a missing directory': () => path.join(tempDir(), 'no-such-dir'),
	'an empty directory': () => tempDir(),
	'a directory without countries.csv': () => dataCopy((d) => fs.rmSync(path.join(d, 'countries.csv'))),
	'a malformed CSV file': () =>
		dataCopy((d) => fs.appendFileSync(path.join(d, 'ethnic-groups.csv'), '99,"unterminated\n')),
	'a commune of an unknown province': () =>
		dataCopy((d) =>
			fs.appendFileSync(path.join(d, 'admin-units.csv'), 'commune,99999,X,Xã X,Xã,98,X Commune\n'),
		),
};

for (const [what, make] of Object.entries(BAD_DATA)) {
	test(`init with ${what} as --data fails and leaves no database or key behind`, async () => {
		const data = make();
		const dir = tempDir();
		const db = path.join(dir, 'ctip.db');
		const key = path.join(dir, 'ctip.key');
		const r = await run(['init', '--db', db, '--key', key, '--data', data, '--demo', '10']);
		assert.notEqual(r.code, EXIT.OK, r.stdout);
		assert.match(r.stderr, /^ctip: /);
		assert.doesNotMatch(r.stdout, /one-time password/);
		assert.deepEqual(leftovers(dir, 'ctip.'), []);
	});
}

test('init that fails keeps a key file that existed before', async () => {
	const { key: oldKey } = await sharedDb();
	const dir = tempDir();
	const key = path.join(dir, 'ctip.key');
	fs.copyFileSync(oldKey, key);
	fs.chmodSync(key, 0o600);
	const hash = sha256(key);
	const r = await run(['init', '--db', path.join(dir, 'ctip.db'), '--key', key, '--data', tempDir()]);
	assert.notEqual(r.code, EXIT.OK);
	assert.equal(sha256(key), hash);
	assert.deepEqual(leftovers(dir, 'ctip.'), ['ctip.key']);
});

test('init with an existing key file readable by others is refused', async () => {
	const { key: oldKey } = await sharedDb();
	const dir = tempDir();
	const key = path.join(dir, 'ctip.key');
	fs.copyFileSync(oldKey, key);
	fs.chmodSync(key, 0o644);
	const r = await run(['init', '--db', path.join(dir, 'ctip.db'), '--key', key, '--demo', '0']);
	assert.notEqual(r.code, EXIT.OK);
	assert.match(r.stderr, /^ctip: .*key file/);
	assert.deepEqual(leftovers(dir, 'ctip.'), ['ctip.key']);
});

test('init with a bad administrator name exits 3 and creates nothing', async () => {
	const dir = tempDir();
	const r = await run(['init', '--db', path.join(dir, 'ctip.db'), '--key', path.join(dir, 'ctip.key'),
		'--admin', 'x', '--demo', '0']);
	assert.equal(r.code, EXIT.INPUT);
	assert.match(r.stderr, /^ctip: .*username/);
	assert.deepEqual(leftovers(dir, 'ctip.'), []);
});

test('migrate on an up-to-date database applies 0 migrations, every time', async () => {
	const { db } = await sharedDb();
	for (let i = 0; i < 2; i++) {
		const r = await run(['migrate', '--db', db]);
		assert.equal(r.code, EXIT.OK, r.stderr);
		assert.match(r.stdout, /is at schema version \d+ \(0 migrations applied\)$/m);
	}
});

test('migrate reloads reference data corrected in the data directory, once', async () => {
	const { db } = await initDb({ demo: 0 });
	const cell = "select entitled from support_entitlement where support_code = 'TRAVEL' and " +
		"person_role = 'accompanying_minor' and citizenship = 'vn_citizen' and location = 'abroad'";
	assert.equal(sqlite(db, cell), '1');
	// A correction as a newer ctip would bring it: the row flips.
	const data = dataCopy((d) => {
		const f = path.join(d, 'support-entitlements.csv');
		const text = fs.readFileSync(f, 'utf8');
		const row = /^TRAVEL,accompanying_minor,vn_citizen,abroad,yes,/m;
		assert.match(text, row);
		fs.writeFileSync(f, text.replace(row, 'TRAVEL,accompanying_minor,vn_citizen,abroad,no,'));
	});
	let out = await runOk(['migrate', '--db', db, '--data', data]);
	assert.match(out, /\(0 migrations applied\); reference data reloaded from the data directory$/m);
	assert.equal(sqlite(db, cell), '0');
	out = await runOk(['migrate', '--db', db, '--data', data]);
	assert.match(out, /\(0 migrations applied\)$/m);
	// A data directory that cannot be read changes nothing.
	const r = await run(['migrate', '--db', db, '--data', path.join(tempDir(), 'none')]);
	assert.equal(r.code, EXIT.MISSING, r.stderr);
	assert.equal(sqlite(db, cell), '0');
});

test('commands on a missing database exit 4, say to run "ctip init" and create nothing', async () => {
	const dir = tempDir();
	const db = path.join(dir, 'missing.db');
	const { key } = await sharedDb();
	const csvFile = path.join(dir, 'empty.csv');
	fs.writeFileSync(csvFile, 'ref\n');
	for (const args of [
		['migrate'],
		['ref', 'stats'],
		['ref', 'load', '--data', DATA],
		['backup', path.join(dir, 'backup.db')],
		['import', '--key', key, csvFile],
	]) {
		const r = await run([...args, '--db', db]);
		assert.equal(r.code, EXIT.MISSING, `${args.join(' ')}: ${r.stderr}`);
		assert.match(r.stderr, /^ctip: .*run "ctip init"/, args.join(' '));
		assert.deepEqual(fs.readdirSync(dir), ['empty.csv'], args.join(' '));
	}
});

test('backup to an existing directory exits 3 saying it is a directory, and leaves it as it was', async () => {
	const { db } = await sharedDb();
	const dir = tempDir('ctip-e2e-backup');
	fs.writeFileSync(path.join(dir, 'other.txt'), 'x');
	const r = await run(['backup', '--db', db, dir]);
	assert.equal(r.code, EXIT.INPUT, r.stderr);
	assert.equal(r.stdout, '');
	assert.match(r.stderr, /^ctip: could not back up to "[^"]+": it is a directory[^\n]*\n$/);
	assert.doesNotMatch(r.stderr, /file exists/);
	assert.deepEqual(fs.readdirSync(dir), ['other.txt']);
	// An existing file is still "the file exists", and is kept.
	const file = path.join(dir, 'other.txt');
	const f = await run(['backup', '--db', db, file]);
	assert.equal(f.code, EXIT.INPUT);
	assert.match(f.stderr, /^ctip: could not back up to "[^"]+": the file exists\n$/);
	assert.equal(fs.readFileSync(file, 'utf8'), 'x');
});

test('backup into a missing directory exits 4 naming the directory and creates nothing', async () => {
	const { db } = await sharedDb();
	const dir = tempDir('ctip-e2e-backup');
	const missing = path.join(dir, 'no-such-dir');
	const r = await run(['backup', '--db', db, path.join(missing, 'backup.db')]);
	assert.equal(r.code, EXIT.MISSING, r.stderr);
	assert.equal(r.stdout, '');
	assert.match(r.stderr, new RegExp(`^ctip: could not back up to "[^"]+": directory "${escapeRe(missing)}" does not exist\n$`));
	assert.deepEqual(fs.readdirSync(dir), []);
	// A backup into a directory that exists still works.
	const good = path.join(dir, 'backup.db');
	assert.match(await runOk(['backup', '--db', db, good]), /^ctip: backed up /);
	assert.match(await runOk(['ref', 'stats', '--db', good]), /^provinces\s+34$/m);
});

test('user add refuses an empty or unknown role in --roles, naming it, and creates no user', async () => {
	const { db, key } = await sharedDb();
	const cases = [
		['case_worker,,supervisor', /role 2 is empty/],
		['case_worker,', /role 2 is empty/],
		[',case_worker', /role 1 is empty/],
		['', /role 1 is empty/],
		['case_worker,bogus', /unknown role "bogus"; the roles are hotline_operator, case_worker,/],
		['case_worker, supervisor', /unknown role " supervisor"/],
	];
	for (const [i, [roles, why]] of cases.entries()) {
		const r = await run(['user', 'add', '--db', db, '--key', key, '--name', 'Role Test',
			'--admin-code', 'VN', '--roles', roles, `roletest${i}`]);
		assert.equal(r.code, EXIT.INPUT, `--roles "${roles}": ${r.stdout}${r.stderr}`);
		assert.match(r.stderr, why, `--roles "${roles}"`);
		assert.equal(r.stderr.split('\n').length, 2, `one line for --roles "${roles}"`);
		assert.doesNotMatch(r.stdout, /one-time password/);
	}
	assert.doesNotMatch(await runOk(['user', 'list', '--db', db]), /^roletest/m);
	const ok = await runOk(['user', 'add', '--db', db, '--key', key, '--name', 'Role Test',
		'--admin-code', 'VN', '--roles', 'case_worker,supervisor', 'roletest_ok']);
	assert.match(ok, /created user roletest_ok/);
	assert.match(await runOk(['user', 'list', '--db', db]), /^roletest_ok\s+active\s+\S*case_worker/m);
});

test('user add and org add refuse an agency at a level it has no unit at (agencies.csv), creating nothing', async () => {
	const { db, key } = await sharedDb();
	const units = () => sqlite(db, 'select count(*) from org_unit');
	const before = units();
	for (const [agency, place, level] of [['HOTLINE_111', '01', 'province'], ['PEOPLES_COMMITTEE', 'VN', 'nation'],
		['PROCURACY', '00004', 'commune']]) {
		for (const args of [['user', 'add', '--db', db, '--key', key, '--name', 'Level Test', '--agency', agency,
			'--admin-code', place, '--roles', 'case_worker', `level_${agency.toLowerCase()}`],
		['org', 'add', '--db', db, '--agency', agency, '--admin-code', place]]) {
			const r = await run(args);
			assert.equal(r.code, EXIT.INPUT, `${args.join(' ')}: ${r.stderr}`);
			assert.equal(r.stderr, `ctip: agency: ${agency} has no unit at the ${level} level\n`);
		}
	}
	assert.equal(units(), before);
	assert.doesNotMatch(await runOk(['user', 'list', '--db', db]), /^level_/m);
	assert.match(await runOk(['org', 'add', '--db', db, '--agency', 'HOTLINE_111', '--admin-code', 'VN']),
		/Tổng đài/);
});

test('a database path given by CTIP_DB is used when --db is not', async () => {
	const { db } = await sharedDb();
	const r = await run(['ref', 'stats'], { env: { CTIP_DB: db } });
	assert.equal(r.code, EXIT.OK, r.stderr);
	assert.match(r.stdout, /^provinces\s+34$/m);
});

function parseStats(text) {
	const stats = {};
	for (const line of text.trim().split('\n')) {
		const m = /^(.*?)\s+(\d+)$/.exec(line);
		assert.ok(m, `unexpected line "${line}"`);
		stats[m[1]] = Number(m[2]);
	}
	return stats;
}

test('ref stats prints the row counts of the reference data', async () => {
	const { db } = await sharedDb();
	const s = parseStats(await runOk(['ref', 'stats', '--db', db]));
	assert.equal(s.provinces, 34);
	assert.equal(s.communes, 3321);
	assert.equal(s['ethnic groups'], 54);
	assert.equal(s['support types'], 10);
	assert.ok(s.countries >= 249, `countries: ${s.countries}`);
	assert.ok(s.purposes > 0 && s.agencies > 0 && s['intake channels'] > 0);
});

test('plan import prints the proposed structure of each seed plan; --json gives the API\'s proposal', async () => {
	const { db } = await sharedDb();
	const plans = path.join(DATA, '..', 'tests', 'unit', 'data', 'plans');
	for (const f of fs.readdirSync(plans).filter((x) => x.endsWith('.txt'))) {
		// The hand-checked expected file has one line per task.
		const expected = fs.readFileSync(path.join(plans, f.replace(/\.txt$/, '.expected')), 'utf8')
			.split('\n').filter((l) => l.trim() !== '' && !l.startsWith('#')).length;
		const out = await runOk(['plan', 'import', '--db', db, '--place', '01', path.join(plans, f)]);
		assert.match(out, new RegExp(`^${expected} tasks, \\d+ with a lead unit`, 'm'), f);
		const json = JSON.parse(await runOk(['plan', 'import', '--db', db, '--json', path.join(plans, f)]));
		assert.equal(json.proposal.tasks.length, expected, f);
		assert.equal(json.stats.tasks, expected, f);
	}
});

test('plan import aligns the task text whatever the number: "đ" is one column', async () => {
	const { db } = await sharedDb();
	const plan = path.join(DATA, '..', 'tests', 'unit', 'data', 'plans', '000_4563534232ebab9a.txt');
	const out = await runOk(['plan', 'import', '--db', db, '--place', '01', plan]);
	const tasks = [...out.matchAll(/^ {2}(\S+) +(\S.*)$/gm)];
	assert.ok(tasks.some((m) => m[1] === 'đ'), 'the plan has a task numbered đ');
	for (const m of tasks) {
		// Columns of the text: one per code point before it.
		const column = [...m[0]].length - [...m[2]].length;
		assert.equal(column, 9, `task ${m[1]}: "${m[0].slice(0, 20)}"`);
	}
});

test('plan import refuses an empty, binary, huge or task-less file with exit 3 and one line naming it', async () => {
	const { db } = await sharedDb();
	const dir = tempDir('ctip-e2e-plan');
	const cases = {
		'empty.txt': [Buffer.alloc(0), /is empty/],
		'binary.txt': [Buffer.from([0x4b, 0x48, 0x00, 0x01, 0xff]), /binary: NUL byte at byte 2/],
		'latin1.txt': [Buffer.from('K\xe9 ho\xe1ch', 'latin1'), /not UTF-8 text: invalid byte at byte 1/],
		'notasks.txt': [Buffer.from('Một đoạn văn không có nhiệm vụ nào.\n'), /no tasks found/],
		'huge.txt': [Buffer.alloc(50 * 1024 * 1024, 0x61), /larger than 4194304 bytes/],
	};
	for (const [name, [bytes, why]] of Object.entries(cases)) {
		const file = path.join(dir, name);
		fs.writeFileSync(file, bytes);
		const r = await run(['plan', 'import', '--db', db, file]);
		assert.equal(r.code, EXIT.INPUT, `${name}: ${r.stderr}`);
		assert.match(r.stderr, why, name);
		assert.match(r.stderr, new RegExp(name.replace('.', '\\.')), name);
		assert.equal(r.stderr.trim().split('\n').length, 1, name);
		assert.equal(r.stdout, '');
	}
	const r = await run(['plan', 'import', '--db', db, '--place', '99999', path.join(dir, 'notasks.txt')]);
	assert.equal(r.code, EXIT.INPUT);
});

test('ref load reloads the reference data and keeps the same counts', async () => {
	const { db } = await initDb({ demo: 0 });
	const before = await runOk(['ref', 'stats', '--db', db]);
	const after = await runOk(['ref', 'load', '--db', db, '--data', DATA]);
	assert.deepEqual(parseStats(after), parseStats(before));
});

test('ref load with a missing data directory fails and keeps the reference data', async () => {
	const { db } = await initDb({ demo: 0 });
	const before = await runOk(['ref', 'stats', '--db', db]);
	const r = await run(['ref', 'load', '--db', db, '--data', path.join(tempDir(), 'none')]);
	assert.notEqual(r.code, EXIT.OK);
	assert.match(r.stderr, /^ctip: /);
	assert.equal(await runOk(['ref', 'stats', '--db', db]), before);
});
