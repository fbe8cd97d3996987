// login.test.js: what a guesser and a cross-site form learn from the
// sign-in routes, against the real binary on 127.0.0.1: a locked or
// disabled account answers as a wrong password does (the same bytes, as
// slowly), wrong current passwords count toward the lock, one address that
// fails too often is held back whatever the name, and JSON bodies must say
// so in their Content-Type (no login CSRF by a text/plain form).
//
// One database for the file. The throttle of failed logins by address
// lives in the server's memory, and every test here logs in from
// 127.0.0.1: each test starts a server of its own, so that one test's
// failures do not hold back the next.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { before, test } from 'node:test';
import { ROOT, initDb, request, runOk, sqlite, startServer, stopOk } from './lib.js';
import { Client, PASSWORD, addUser, problem, setCookie, signIn } from './users.js';

let db;
let key;
const acc = {}; // accounts from `ctip user add` (one-time passwords)

before(async () => {
	({ db, key } = await initDb({ demo: 0 }));
	const users = {
		locky: { adminCode: '00004', roles: ['case_worker'] },
		dis: { adminCode: '00004', roles: ['case_worker'] },
		guess: { adminCode: '00004', roles: ['case_worker'] },
		thr: { adminCode: '00004', roles: ['case_worker'] },
		media: { adminCode: '00004', roles: ['case_worker'] },
		sup: { adminCode: '01', roles: ['supervisor'], agency: 'PEOPLES_COMMITTEE' },
	};
	for (const [name, u] of Object.entries(users))
		acc[name] = await addUser(db, key, name, u);
});

// Run fn(url) against a server of its own on the file's database.
async function withServer(fn) {
	const server = await startServer({ db });
	try {
		await fn(server.url);
	} finally {
		await stopOk(server);
	}
}

// The outcomes of the audit entries of action by username, oldest first.
function outcomes(action, username) {
	const out = sqlite(db, `select outcome from audit_log where action = '${action}' ` +
		`and username = '${username}' order by id`);
	return out === '' ? [] : out.split('\n');
}

const auditRows = () => Number(sqlite(db, 'select count(*) from audit_log'));

// A login and how long its answer took, in milliseconds.
async function timedLogin(url, username, password) {
	const t0 = performance.now();
	const r = await new Client(url).login(username, password);
	return { r, ms: performance.now() - t0 };
}

test('a locked account answers with the bytes of a wrong password, as slowly, and the auditor sees the lock', async () => {
	await withServer(async (url) => {
		const c = new Client(url);
		for (let i = 0; i < 5; i++)
			problem(await c.login('locky', `wrong password ${i}`), 401, 'unauthenticated');
		// Locked now: the right password, a wrong one, a name that does
		// not exist all get the same answer, the password verified each
		// time (Argon2id, tens of ms), not skipped.
		let locked = Infinity;
		let unknown = Infinity;
		let reference;
		for (let i = 0; i < 3; i++) {
			const u = await timedLogin(url, 'nobody-at-all', `wrong password ${i}`);
			const l = await timedLogin(url, 'locky', i === 0 ? acc.locky.password : `wrong password ${i}`);
			for (const { r } of [u, l]) {
				problem(r, 401, 'unauthenticated');
				assert.equal(setCookie(r.res), undefined);
				reference ??= r;
				assert.equal(r.text, reference.text);
				assert.equal(r.headers.get('content-type'), reference.headers.get('content-type'));
				assert.equal(r.headers.get('content-length'), reference.headers.get('content-length'));
			}
			unknown = Math.min(unknown, u.ms);
			locked = Math.min(locked, l.ms);
		}
		assert.ok(locked >= unknown / 2,
			`a locked account answered in ${locked.toFixed(1)} ms, an unknown name in ${unknown.toFixed(1)} ms`);
		assert.deepEqual(outcomes('session.login', 'locky'),
			['failed', 'failed', 'failed', 'failed', 'locked', 'locked', 'locked', 'locked']);
	});
});

test('a disabled account answers as a wrong password, before its lock and after', async () => {
	const id = String(acc.dis.id);
	await runOk(['user', 'disable', acc.dis.username, '--db', db, '--key', key]);
	assert.equal(sqlite(db, `select disabled from app_user where id = ${id}`), '1');
	await withServer(async (url) => {
		const c = new Client(url);
		const unknown = await c.login('nobody-at-all', acc.dis.password);
		for (let i = 0; i < 7; i++) {
			const r = await c.login('dis', i % 2 ? acc.dis.password : `wrong password ${i}`);
			problem(r, 401, 'unauthenticated');
			assert.equal(r.text, unknown.text);
		}
		assert.deepEqual(outcomes('session.login', 'dis'),
			['failed', 'failed', 'failed', 'failed', 'locked', 'locked', 'locked']);
	});
});

test('wrong current passwords are audited and count: the fifth locks the account and ends all its sessions', async () => {
	await withServer(async (url) => {
		const c = await signIn(url, acc.guess);
		const other = new Client(url);
		assert.equal((await other.login('guess', PASSWORD)).status, 200);
		for (let i = 0; i < 4; i++) {
			const r = await c.post('/api/session/password',
				{ current_password: `wrong password ${i}`, new_password: 'mật khẩu mới rất dài 2027' });
			assert.equal(problem(r, 400, 'invalid').field, 'current_password');
			// The session goes on meanwhile.
			assert.equal((await c.get('/api/session')).status, 200);
		}
		assert.deepEqual(outcomes('user.password_change', 'guess'), ['ok', 'failed', 'failed', 'failed', 'failed']);
		const r = await c.post('/api/session/password',
			{ current_password: 'wrong password 4', new_password: 'mật khẩu mới rất dài 2027' });
		// Naming the field: the page says why (a 401 without one sends
		// the browser to the login page as an expired session).
		problem(r, 401, 'unauthenticated', 'current_password');
		assert.equal(setCookie(r.res)?.value, '', 'the session cookie is not cleared');
		assert.deepEqual(outcomes('user.password_change', 'guess').slice(-1), ['locked']);
		// Every session of the account ended, the guesser's and the others.
		problem(await c.get('/api/session'), 401, 'unauthenticated');
		problem(await other.get('/api/session'), 401, 'unauthenticated');
		assert.equal(sqlite(db, `select count(*) from session where user_id = ${acc.guess.id}`), '0');
		// And the account is locked: the right password does not sign in.
		const again = await new Client(url).login('guess', PASSWORD);
		problem(again, 401, 'unauthenticated');
		assert.equal(setCookie(again.res), undefined);
		assert.deepEqual(outcomes('session.login', 'guess').slice(-1), ['locked']);
	});
});

test('after 20 failed logins from one address, sent at once or not, the next get 429 too_many_attempts, whatever the name', async () => {
	await withServer(async (url) => {
		// Signed in before: a session is no login, and goes on.
		const thr = await signIn(url, acc.thr);
		// Thirty at once: twenty are checked, the rest refused before
		// any of the twenty has failed (they are under way).
		const tries = await Promise.all(Array.from({ length: 30 },
			(_, i) => new Client(url).login(`at-once-${i}`, `wrong password ${i}`)));
		const fails = tries.filter((r) => r.status === 401);
		assert.equal(fails.length, 20);
		for (const r of fails)
			problem(r, 401, 'unauthenticated');
		for (const r of tries.filter((r) => r.status !== 401))
			problem(r, 429, 'too_many_attempts');
		const rows = auditRows();
		const right = await new Client(url).login('thr', PASSWORD);
		const unknown = await new Client(url).login('nobody-else', 'wrong password');
		for (const r of [right, unknown]) {
			problem(r, 429, 'too_many_attempts');
			assert.equal(setCookie(r.res), undefined);
			assert.doesNotMatch(r.text, /thr|nobody/);
		}
		// The same answer whatever the name: it tells nothing about accounts.
		assert.equal(right.text, unknown.text);
		// Refused before any check: nothing verified, nothing audited.
		assert.equal(auditRows(), rows);
		assert.equal((await thr.get('/api/session')).status, 200);
	});
	// The count is the server's, in memory: the account itself is not
	// locked, and another server process lets it in.
	await withServer(async (url) => {
		assert.equal((await new Client(url).login('thr', PASSWORD)).status, 200);
	});
});

test('behind a trusted proxy the throttle counts the client X-Forwarded-For names; from anyone else it is ignored', async () => {
	const loginFrom = (url, xff, i) => new Client(url).req('POST', '/api/session', {
		body: { username: `nobody-${i}`, password: `wrong password ${i}` }, cookie: null, csrf: null,
		headers: { 'X-Forwarded-For': xff },
	});
	const server = await startServer({ db, args: ['--trusted-proxy', '127.0.0.1'] });
	try {
		// The proxy appends the address it saw; what came before is the
		// client's own word.
		for (let i = 0; i < 20; i++)
			problem(await loginFrom(server.url, `10.9.9.${i}, 198.51.100.7`, i), 401, 'unauthenticated');
		problem(await loginFrom(server.url, '198.51.100.7', 20), 429, 'too_many_attempts');
		// A proxy that adds its own line after the client's: the last line
		// is the proxy's word.
		const twoLines = await request(`${server.url}/api/session`, {
			method: 'POST', headers: { 'Content-Type': 'application/json', 'X-Forwarded-For': ['6.6.6.6', '198.51.100.7'] },
			body: JSON.stringify({ username: 'nobody-x', password: 'wrong password x' }),
		});
		assert.equal(twoLines.status, 429, twoLines.body);
		// Another client behind the same proxy is not blocked, and the log
		// has its address.
		problem(await loginFrom(server.url, '198.51.100.8', 21), 401, 'unauthenticated');
		assert.equal(sqlite(db, "select ip from audit_log where username = 'nobody-21'"), '198.51.100.8');
		// A proxy that names no client: the log says so, once a minute (a
		// second time only if the minute turned between these requests).
		for (const [i, xff] of ['unknown', '', '1.2.3.4:5678', 'unknown', 'unknown'].entries())
			problem(await loginFrom(server.url, xff, 22 + i), 401, 'unauthenticated');
		for (let i = 0; i < 20 && !/names no client/.test(server.stderr); i++)
			await new Promise((resolve) => setTimeout(resolve, 100));
		const warned = server.stderr.match(/trusted proxy 127\.0\.0\.1 names no client address/g)?.length ?? 0;
		assert.ok(warned === 1 || warned === 2, server.stderr);
	} finally {
		await stopOk(server);
	}
	// Without --trusted-proxy the header is the client's word: ignored.
	await withServer(async (url) => {
		for (let i = 0; i < 20; i++)
			problem(await loginFrom(url, `198.51.100.${100 + i}`, 30 + i), 401, 'unauthenticated');
		problem(await loginFrom(url, '198.51.100.200', 50), 429, 'too_many_attempts');
		assert.equal(sqlite(db, "select ip from audit_log where username = 'nobody-30'"), '127.0.0.1');
	});
	await assert.rejects(startServer({ db, args: ['--trusted-proxy', 'proxy.local'] }),
		/--trusted-proxy: "proxy.local" is not an IP address/);
});

// A request with exactly these headers and body (fetch would add a
// Content-Type of its own to a string body).
async function post(url, path, body, headers) {
	const r = await request(url + path, { method: 'POST', body, headers });
	return { status: r.status, text: r.body, body: r.body ? JSON.parse(r.body) : null, headers: new Headers(r.headers) };
}

test('a JSON body sent as text/plain, a form or with no Content-Type gets 415: no login CSRF', async () => {
	await withServer(async (url) => {
		const creds = JSON.stringify({ username: 'media', password: acc.media.password });
		const rows = auditRows();
		for (const type of ['text/plain', 'text/plain; charset=utf-8', 'application/x-www-form-urlencoded',
			'multipart/form-data; boundary=x', undefined, '', 'application/jsonx', 'application/json-patch+json',
			'text/json', 'application/problem+json', 'application/ json']) {
			const r = await post(url, '/api/session', creds, type === undefined ? {} : { 'content-type': type });
			assert.equal(problem(r, 415, 'unsupported_media_type', 'Content-Type').message,
				'Content-Type must be application/json', `${type}`);
			assert.equal(r.headers.get('set-cookie'), null, `${type}`);
		}
		// Refused before the password is looked at: no session, no audit.
		assert.equal(auditRows(), rows);
		assert.equal(sqlite(db, `select count(*) from session where user_id = ${acc.media.id}`), '0');
		// The media type is case-insensitive, parameters are allowed.
		for (const type of ['application/json', 'application/json; charset=utf-8', 'APPLICATION/JSON;charset=UTF-8',
			'Application/Json ; charset="utf-8"']) {
			const r = await post(url, '/api/session', creds, { 'content-type': type });
			assert.equal(r.status, 200, `${type}: ${r.text}`);
		}
	});
});

test('writes of a signed-in user need application/json too; a plan document keeps text/plain', async () => {
	await withServer(async (url) => {
		const c = await signIn(url, acc.media);
		const body = JSON.stringify({ current_password: PASSWORD, new_password: 'mật khẩu mới rất dài 2027' });
		const rows = auditRows();
		const r = await post(url, '/api/session/password', body,
			{ cookie: `ctip_session=${c.cookie}`, 'x-csrf-token': c.csrf, 'content-type': 'text/plain' });
		problem(r, 415, 'unsupported_media_type', 'Content-Type');
		assert.equal(auditRows(), rows);
		assert.equal((await c.get('/api/session')).status, 200);
		// POST /api/plans/import reads a document, not JSON.
		const sup = await signIn(url, acc.sup);
		const seeds = path.join(ROOT, 'tests/unit/data/plans');
		const doc = fs.readFileSync(path.join(seeds, fs.readdirSync(seeds).find((f) => f.endsWith('.txt'))));
		const imp = await post(url, '/api/plans/import', doc,
			{ cookie: `ctip_session=${sup.cookie}`, 'x-csrf-token': sup.csrf, 'content-type': 'text/plain; charset=utf-8' });
		assert.equal(imp.status, 200, imp.text);
		assert.ok(imp.body.proposal.tasks.length > 0, imp.text);
	});
});
