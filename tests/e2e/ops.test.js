// ops.test.js: operating a deployment: backups under write load,
// `ctip restore`, key rotation by another account or through a symlink,
// databases newer than the binary or read-only, signals.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import test from 'node:test';
import { addUser, signIn } from './users.js';
import {
	BIN, fileMode, initDb, personCount, request, run, runOk, sha256, sleep, sqlite, startServer, stopOk,
} from './lib.js';

const isRoot = process.getuid?.() === 0;
const NOBODY = 65534;
const hasSetpriv = spawnSync('setpriv', ['--version']).status === 0;

// A shell pipeline in its own process group, killed with it.
function spawnGroup(script) {
	const child = spawn('/bin/sh', ['-c', script], { detached: true, stdio: 'ignore' });
	const kill = (sig = 'SIGKILL') => {
		try {
			process.kill(-child.pid, sig);
		} catch {
			// already gone
		}
	};
	process.on('exit', () => kill());
	return { child, kill };
}

// A process that commits to db without pause (as a busy server does).
function writerLoop(db) {
	sqlite(db, 'create table if not exists e2e_writes (x)');
	return spawnGroup(`while :; do echo "insert into e2e_writes values (1);"; done | ` +
		`sqlite3 -cmd '.timeout 10000' -cmd 'pragma synchronous=off' '${db}' >/dev/null 2>&1`);
}

// Grow db by about mb MiB of pages that the copy must carry.
function pad(db, mb) {
	sqlite(db, `create table e2e_pad (x); with recursive n(i) as (select 1 union all select i + 1 from n ` +
		`where i < ${mb * 256}) insert into e2e_pad select randomblob(4000) from n`);
}

// ctip as the account uid (root only), with its environment cleaned as
// run() does.
function runAs(uid, args, { cwd } = {}) {
	const env = { ...process.env };
	for (const k of ['CTIP_DB', 'CTIP_KEY', 'CTIP_DATA', 'CTIP_WEB', 'CTIP_DEBUG'])
		delete env[k];
	const r = spawnSync('setpriv', [`--reuid=${uid}`, `--regid=${uid}`, '--clear-groups', BIN, ...args],
		{ encoding: 'utf8', env, cwd, timeout: 30000 });
	return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

test('backup finishes while another process commits without pause, and a killed one leaves nothing under its name',
	async () => {
		const { db, dir } = await initDb({ demo: 0, name: 'busy' });
		pad(db, 24);
		const writer = writerLoop(db);
		try {
			await sleep(300);
			const before = Number(sqlite(db, 'select count(*) from e2e_writes'));
			assert.ok(before > 0, 'the writer commits');
			const file = path.join(dir, 'busy-backup.db');
			const r = await run(['backup', '--db', db, file], { timeout: 20000 });
			assert.equal(r.code, 0, r.stderr);
			assert.equal(sqlite(file, 'pragma integrity_check'), 'ok');
			assert.equal(sqlite(file, 'pragma journal_mode'), 'delete');
			assert.ok(Number(sqlite(file, 'select count(*) from e2e_writes')) >= before);
			assert.equal(fileMode(file).toString(8), '600');
			assert.deepEqual(fs.readdirSync(dir).filter((f) => f.startsWith('busy-backup.db')),
				['busy-backup.db']);

			// Killed during the copy: nothing at the backup's name, or
			// the whole copy.
			const killed = path.join(dir, 'killed.db');
			const child = spawn(BIN, ['backup', '--db', db, killed], { stdio: 'ignore' });
			const closed = new Promise((resolve) => child.on('close', resolve));
			await sleep(150);
			child.kill('SIGKILL');
			await closed;
			if (fs.existsSync(killed)) {
				assert.equal(sqlite(killed, 'pragma integrity_check'), 'ok');
				assert.equal(sqlite(killed, 'select count(*) from e2e_pad'), String(24 * 256));
			}
			assert.ok(!fs.existsSync(`${killed}-journal`), 'a hot journal beside the backup');
		} finally {
			writer.kill();
		}
	});

test('restore after a crash puts the backup back: the old database\'s -wal is not replayed onto it', async () => {
	const { db, key, dir } = await initDb({ demo: 200, name: 'crash' });
	const backup = path.join(dir, 'before.db');
	// A session at the time of the backup, ended afterwards: it must not
	// come back with the restore.
	const account = await addUser(db, key, 'crash.cw', { adminCode: '00004', roles: ['case_worker'] });
	const first = await startServer({ db, key });
	try {
		await signIn(first.url, account);
	} finally {
		await stopOk(first);
	}
	await runOk(['backup', '--db', db, backup]);
	const persons = personCount(backup);
	const hash = sha256(backup);
	assert.notEqual(sqlite(backup, 'select count(*) from session'), '0');
	// Writes after the backup, then a crash that leaves them in the -wal
	// (no checkpoint, no clean close).
	const { child, kill } = spawnGroup(`(echo "pragma wal_autocheckpoint=0; create table e2e_after (x); ` +
		`insert into e2e_after select randomblob(3000) from person; update person set sex = sex; ` +
		`delete from person where id % 3 = 0; select 'written';"; sleep 60) | sqlite3 '${db}'`);
	for (let i = 0; i < 100 && !(fs.existsSync(`${db}-wal`) && fs.statSync(`${db}-wal`).size > 500000); i++)
		await sleep(50);
	const closed = new Promise((resolve) => child.on('close', resolve));
	kill();
	await closed;
	assert.ok(fs.statSync(`${db}-wal`).size > 500000, 'the crash left a -wal behind');

	const r = await run(['restore', backup, '--db', db, '--key', key]);
	assert.equal(r.code, 0, r.stderr);
	assert.match(r.stdout, /^ctip: restored .*crash\.db from .*before\.db \(its contents replaced; schema version \d+, integrity check ok; the key file .* opens it\)$/m);
	assert.equal(r.stderr, '');
	assert.equal(sqlite(db, 'pragma integrity_check'), 'ok');
	assert.equal(personCount(db), persons);
	assert.equal(sqlite(db, "select count(*) from sqlite_master where name = 'e2e_after'"), '0');
	assert.equal(sha256(backup), hash, 'the backup is only read');
	// No session of the backup, and the restore is in the audit log.
	assert.equal(sqlite(db, 'select count(*) from session'), '0');
	assert.match(r.stdout, /every session ended/);
	assert.equal(sqlite(db, "select username || ' ' || ip || ' ' || object_type || ' ' || object_id from audit_log "
		+ "where action = 'db.restore'"), 'system cli backup_file before.db');
	// A ctip database again: audit chain, server.
	await runOk(['audit', 'verify', '--db', db, '--key', key]);
	const server = await startServer({ db, key });
	try {
		assert.equal((await request(`${server.url}/api/meta`)).status, 200);
	} finally {
		await stopOk(server);
	}
	assert.equal(sqlite(db, 'pragma integrity_check'), 'ok');
});

test('restore refuses while a server has the database open, and changes nothing', async () => {
	const { db, key, dir } = await initDb({ demo: 20, name: 'inuse' });
	const backup = path.join(dir, 'b.db');
	await runOk(['backup', '--db', db, backup]);
	// A mark the backup lacks (a row: a schema of its own would be refused).
	sqlite(db, "insert into meta (key, value) values ('e2e_marker', 'x')");
	const server = await startServer({ db, key });
	try {
		const r = await run(['restore', backup, '--db', db, '--key', key]);
		assert.equal(r.code, 1, r.stderr);
		assert.match(r.stderr, /^ctip: database ".*inuse\.db" is in use by another process .*nothing was changed\n$/);
		assert.equal((await request(`${server.url}/api/meta`)).status, 200);
	} finally {
		await stopOk(server);
	}
	assert.equal(sqlite(db, "select count(*) from meta where key = 'e2e_marker'"), '1');
	assert.deepEqual(fs.readdirSync(dir).filter((f) => f.includes('.restore-')), []);
	await runOk(['restore', backup, '--db', db, '--key', key]);
	assert.equal(sqlite(db, "select count(*) from meta where key = 'e2e_marker'"), '0');
});

test('restore refuses a backup that is not a usable ctip database, or that the key file does not open, and changes nothing',
	async () => {
		const { db, key, dir } = await initDb({ demo: 20, name: 'target' });
		const other = await initDb({ demo: 0, name: 'other' });
		const good = path.join(dir, 'good.db');
		await runOk(['backup', '--db', db, good]);
		const write = (name, fill) => {
			const f = path.join(dir, name);
			fill(f);
			return f;
		};
		const newer = write('newer.db', (f) => {
			fs.copyFileSync(good, f);
			sqlite(f, "insert into schema_migration values (999, 'future', '2099-01-01')");
		});
		const foreign = write('foreign.db', (f) => sqlite(f, 'create table t (x); insert into t values (1)'));
		const junk = write('junk.db', (f) => fs.writeFileSync(f, 'not a database\n'.repeat(500)));
		const damaged = write('damaged.db', (f) => {
			fs.copyFileSync(good, f);
			const buf = fs.readFileSync(f);
			buf.fill(0x55, 4096 * 3, 4096 * 6); // pages 4 to 6
			fs.writeFileSync(f, buf);
		});
		const hash = sha256(db);
		const cases = [
			[newer, key, 3, /backup ".*newer\.db" is at schema version 999, newer than this ctip \(\d+\): upgrade ctip/],
			[foreign, key, 3, /backup ".*foreign\.db" is not a ctip database/],
			[junk, key, 3, /could not read backup ".*junk\.db": file is not a database/],
			[damaged, key, 3, /backup ".*damaged\.db" (is damaged|refused)|could not read backup/],
			[good, other.key, 3, /backup ".*good\.db" refused, nothing was changed: the key file does not belong/],
			[path.join(dir, 'missing.db'), key, 4, /could not restore from ".*missing\.db": it does not exist/],
		];
		for (const [backup, k, code, message] of cases) {
			const r = await run(['restore', backup, '--db', db, '--key', k]);
			assert.equal(r.code, code, `${backup}: ${r.stderr}`);
			assert.match(r.stderr, /^ctip: [^\n]*\n$/);
			assert.match(r.stderr, message);
			assert.equal(sha256(db), hash, `${backup} changed the database`);
		}
		assert.deepEqual(fs.readdirSync(dir).filter((f) => f.includes('.restore-')), []);
	});

test('restore to a new file creates it, but not beside the -wal of another database', async () => {
	const { db, key, dir } = await initDb({ demo: 20, name: 'src' });
	const backup = path.join(dir, 'b.db');
	await runOk(['backup', '--db', db, backup]);
	const fresh = path.join(dir, 'fresh.db');
	const r = await run(['restore', backup, '--db', fresh, '--key', key]);
	assert.equal(r.code, 0, r.stderr);
	assert.match(r.stdout, /\(a new file; /);
	assert.equal(personCount(fresh), personCount(db));
	assert.equal(fileMode(fresh).toString(8), '600');
	const moved = path.join(dir, 'moved.db');
	fs.writeFileSync(`${moved}-wal`, 'the -wal of the damaged database moved aside');
	const r2 = await run(['restore', backup, '--db', moved, '--key', key]);
	assert.equal(r2.code, 3, r2.stderr);
	assert.match(r2.stderr, /^ctip: could not restore to ".*moved\.db": ".*moved\.db-wal" of another database is beside it/);
	assert.ok(!fs.existsSync(moved));
});

test('key rotate keeps the key file\'s mode, replaces a symlink\'s target, and says to replace offline copies',
	async () => {
		const { db, key, dir } = await initDb({ demo: 20, name: 'rot' });
		fs.chmodSync(key, 0o400);
		let out = await runOk(['key', 'rotate', '--db', db, '--key', key]);
		assert.equal(fileMode(key).toString(8), '400');
		assert.match(out, /^ctip: replace every offline copy of the key file with .*rot\.key now: backups made from now on need key 2$/m);
		// The key on another mount, linked to.
		const secure = path.join(dir, 'secure');
		fs.mkdirSync(secure);
		const real = path.join(secure, 'real.key');
		fs.renameSync(key, real);
		const link = path.join(dir, 'link.key');
		fs.symlinkSync('secure/real.key', link);
		out = await runOk(['key', 'rotate', '--db', db, '--key', link]);
		assert.match(out, /key 3 added/);
		assert.ok(fs.lstatSync(link).isSymbolicLink(), 'the link was replaced by a file');
		assert.match(fs.readFileSync(real, 'utf8'), /^key 3 /m);
		assert.deepEqual(fs.readdirSync(dir).filter((f) => f.endsWith('.new')), []);
		await runOk(['audit', 'verify', '--db', db, '--key', real]);
	});

test('key rotate run by root keeps the owner and group of a service account\'s key file',
	{ skip: !isRoot && 'needs root' }, async () => {
		const { db, key } = await initDb({ demo: 20, name: 'svc' });
		fs.chownSync(key, NOBODY, NOBODY);
		await runOk(['key', 'rotate', '--db', db, '--key', key]);
		const st = fs.statSync(key);
		assert.deepEqual([st.uid, st.gid, st.mode & 0o777], [NOBODY, NOBODY, 0o600]);
	});

test('key rotate refuses, changing nothing, when it cannot keep the key file\'s group',
	{ skip: !(isRoot && hasSetpriv) && 'needs root and setpriv' }, async () => {
		const { db, key, dir } = await initDb({ demo: 20, name: 'grp' });
		fs.chmodSync(dir, 0o755);
		for (const f of fs.readdirSync(dir))
			fs.chownSync(path.join(dir, f), NOBODY, NOBODY);
		fs.chownSync(dir, NOBODY, NOBODY);
		fs.chownSync(key, NOBODY, 0); // a group the service account is not in
		const before = fs.readFileSync(key, 'utf8');
		const r = runAs(NOBODY, ['key', 'rotate', '--db', db, '--key', key], { cwd: dir });
		assert.equal(r.code, 1, r.stderr);
		assert.match(r.stderr, /^ctip: could not give the new ".*grp\.key" its owner and group .*nothing was changed\n$/);
		assert.equal(fs.readFileSync(key, 'utf8'), before);
		assert.equal(fs.statSync(key).gid, 0);
		assert.equal(sqlite(db, "select count(*) from audit_log where action = 'key.rotate'"), '0');
	});

test('every command refuses a database whose schema is newer than the binary, with exit 1', async () => {
	const { db, key, dir } = await initDb({ demo: 0, name: 'future' });
	sqlite(db, "insert into schema_migration values (999, 'future', '2099-01-01')");
	const hash = sha256(db);
	const csvFile = path.join(dir, 'x.csv');
	fs.writeFileSync(csvFile, 'ref\n');
	const commands = [
		['serve', '--listen', '127.0.0.1:0', '--db', db, '--key', key],
		['user', 'add', 'x', '--name', 'X', '--admin-code', '00004', '--roles', 'case_worker', '--db', db, '--key', key],
		['user', 'list', '--db', db],
		['import', '--db', db, '--key', key, csvFile],
		['key', 'rotate', '--db', db, '--key', key],
		['audit', 'verify', '--db', db, '--key', key],
		['backup', '--db', db, path.join(dir, 'copy.db')],
		['ref', 'stats', '--db', db],
		['migrate', '--db', db],
	];
	for (const args of commands) {
		const r = await run(args, { timeout: 15000 });
		assert.equal(r.code, 1, `ctip ${args.slice(0, 2).join(' ')}: ${r.stdout}${r.stderr}`);
		assert.match(r.stderr, /^ctip: [^\n]*schema version 999[^\n]*newer than this ctip \(\d+\)[^\n]*upgrade ctip\n$/,
			args.slice(0, 2).join(' '));
		assert.doesNotMatch(r.stdout, /listening/);
	}
	assert.equal(sha256(db), hash);
	assert.ok(!fs.existsSync(path.join(dir, 'copy.db')));
});

test('serve refuses a read-only database or directory, naming the file and the cause',
	{ skip: !(isRoot && hasSetpriv) && 'needs root and setpriv (root writes any file)' }, async () => {
		const { db, key, dir } = await initDb({ demo: 0, name: 'ro' });
		fs.chmodSync(dir, 0o755);
		for (const f of fs.readdirSync(dir))
			fs.chownSync(path.join(dir, f), NOBODY, NOBODY);
		fs.chownSync(dir, NOBODY, NOBODY);
		const serve = () => runAs(NOBODY, ['serve', '--listen', '127.0.0.1:1', '--db', db, '--key', key], { cwd: dir });
		fs.chmodSync(db, 0o400);
		let r = serve();
		assert.equal(r.code, 1, r.stdout + r.stderr);
		assert.match(r.stderr, /^ctip: database ".*ro\.db" is read-only: the file is not writable by this account/);
		assert.doesNotMatch(r.stdout, /listening/);
		fs.chmodSync(db, 0o600);
		fs.chmodSync(dir, 0o555);
		try {
			r = serve();
			assert.equal(r.code, 1, r.stdout + r.stderr);
			assert.match(r.stderr, /^ctip: .*".*ro\.db".*directory ".*" is not writable by this account/);
			assert.equal(r.stderr.split('\n').length, 2, r.stderr);
		} finally {
			fs.chmodSync(dir, 0o755);
		}
	});

test('SIGHUP does not stop the server: it is logged and ignored', async () => {
	const { db, key } = await initDb({ demo: 0, name: 'hup' });
	const server = await startServer({ db, key });
	try {
		server.child.kill('SIGHUP');
		for (let i = 0; i < 50 && !/SIGHUP/.test(server.stderr); i++)
			await sleep(50);
		assert.match(server.stderr, /received SIGHUP: ignored/);
		assert.equal((await request(`${server.url}/api/meta`)).status, 200);
	} finally {
		await stopOk(server);
	}
});

test('serve refuses a key file of another database with exit 3, as audit verify does; a directory as --key is named so',
	async () => {
		const { db, dir } = await initDb({ demo: 0, name: 'kx' });
		const other = await initDb({ demo: 0, name: 'ky' });
		const serve = await run(['serve', '--listen', '127.0.0.1:0', '--db', db, '--key', other.key]);
		const verify = await run(['audit', 'verify', '--db', db, '--key', other.key]);
		assert.match(serve.stderr, /does not belong to this database/);
		assert.equal(verify.code, 3, verify.stderr);
		assert.equal(serve.code, 3, serve.stderr);
		const kd = path.join(dir, 'kd');
		fs.mkdirSync(kd, { mode: 0o700 });
		fs.chmodSync(kd, 0o755);
		const r = await run(['serve', '--listen', '127.0.0.1:0', '--db', db, '--key', kd]);
		assert.equal(r.code, 3, r.stderr);
		assert.match(r.stderr, /^ctip: key file ".*kd" is a directory/);
	});
