// lib.js: helpers of the end-to-end tests. They run the real ctip binary
// ($CTIP_BIN, else build/ctip) and talk to it on 127.0.0.1 only.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
export const ROOT = path.resolve(here, '../..');
export const BIN = path.resolve(process.env.CTIP_BIN || path.join(ROOT, 'build/ctip'));
export const DATA = path.join(ROOT, 'data');

if (!fs.existsSync(BIN))
	throw new Error(`ctip binary not found at ${BIN}: build it or set CTIP_BIN`);

// A sanitizer report anywhere on stderr fails the command that printed it.
const SANITIZER = /ERROR: (Address|Leak)Sanitizer|runtime error:|SUMMARY: \w+Sanitizer/;

// Children still running, killed if the test process exits first.
const live = new Set();
const tempDirs = [];
process.on('exit', () => {
	for (const child of live)
		child.kill('SIGKILL');
	if (!process.env.CTIP_E2E_KEEP)
		for (const dir of tempDirs)
			fs.rmSync(dir, { recursive: true, force: true });
});

// A fresh directory under the system's temp dir, removed at exit
// (kept when CTIP_E2E_KEEP is set).
export function tempDir(name = 'ctip-e2e') {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), `${name}-`));
	tempDirs.push(dir);
	return dir;
}

// Commands run in a scratch directory, so that a test that forgets --db
// never writes into the repository, and with none of the CTIP_* variables
// of the caller's environment.
let scratch;
function scratchDir() {
	scratch ??= tempDir('ctip-e2e-cwd');
	return scratch;
}

function childEnv(extra = {}) {
	const env = { ...process.env };
	for (const k of ['CTIP_DB', 'CTIP_KEY', 'CTIP_DATA', 'CTIP_WEB', 'CTIP_DEBUG'])
		delete env[k];
	return { ...env, ...extra };
}

function spawnCtip(args, { env, cwd, umask } = {}) {
	// A umask needs a shell: node cannot set one for a child only.
	const [file, argv] = umask === undefined
		? [BIN, args]
		: ['/bin/sh', ['-c', `umask ${umask} && exec "$0" "$@"`, BIN, ...args]];
	const child = spawn(file, argv, {
		env: childEnv(env),
		cwd: cwd ?? scratchDir(),
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	live.add(child);
	child.on('exit', () => live.delete(child));
	return child;
}

function checkSanitizer(what, stderr) {
	if (SANITIZER.test(stderr))
		throw new Error(`sanitizer report from ${what}:\n${stderr}`);
}

// Run `ctip ...args`; resolves with { code, stdout, stderr }. Options: env
// (added to the environment), cwd, umask (e.g. '000'), timeout (ms).
export function run(args, { env, cwd, umask, timeout = 30000 } = {}) {
	return new Promise((resolve, reject) => {
		const child = spawnCtip(args, { env, cwd, umask });
		let stdout = '';
		let stderr = '';
		child.stdout.setEncoding('utf8').on('data', (d) => (stdout += d));
		child.stderr.setEncoding('utf8').on('data', (d) => (stderr += d));
		const timer = setTimeout(() => {
			child.kill('SIGKILL');
			reject(new Error(`ctip ${args.join(' ')} took more than ${timeout} ms\n${stderr}`));
		}, timeout);
		child.on('error', reject);
		child.on('close', (code, signal) => {
			clearTimeout(timer);
			try {
				checkSanitizer(`ctip ${args.join(' ')}`, stderr);
			} catch (e) {
				reject(e);
				return;
			}
			if (signal !== null)
				reject(new Error(`ctip ${args.join(' ')} killed by ${signal}\n${stderr}`));
			else
				resolve({ code, stdout, stderr });
		});
	});
}

// Run ctip and insist on exit 0; resolves with its stdout.
export async function runOk(args, opts) {
	const r = await run(args, opts);
	assert.equal(r.code, 0, `ctip ${args.join(' ')} exited ${r.code}:\n${r.stderr}`);
	return r.stdout;
}

// The key file `ctip init` created beside db: same directory and base
// name, ".key" for ".db" (initDb() and `ctip init --db X.db --key X.key`).
export function keyFor(db) {
	return db.replace(/\.db$/, '') + '.key';
}

// Start `ctip serve --listen 127.0.0.1:0 --db DB --key KEY [--web WEB]
// ...args` and wait for its "listening on" line. key defaults to
// keyFor(db); key: null leaves --key out. Resolves with { url, port,
// stop(), stderr, exited }: stop() sends SIGTERM and resolves with the
// exit code (a string "signal X" if a signal ended it); it rejects if ctip
// is still running timeout ms after the signal.
export function startServer({ db, key, web, args = [], env, threads } = {}) {
	const argv = ['serve', '--listen', '127.0.0.1:0', '--db', db];
	if (key === undefined)
		key = keyFor(db);
	if (key !== null)
		argv.push('--key', key);
	if (web !== undefined)
		argv.push('--web', web);
	if (threads !== undefined)
		argv.push('--threads', String(threads));
	argv.push(...args);
	const child = spawnCtip(argv, { env });
	let stdout = '';
	let stderr = '';
	child.stdout.setEncoding('utf8');
	child.stderr.setEncoding('utf8').on('data', (d) => (stderr += d));
	const exited = new Promise((resolve) => {
		child.on('exit', (code, signal) => resolve(code !== null ? code : `signal ${signal}`));
	});
	const server = {
		child,
		pid: child.pid,
		exited,
		get stderr() {
			return stderr;
		},
		get stdout() {
			return stdout;
		},
		async stop({ signal = 'SIGTERM', timeout = 5000 } = {}) {
			if (child.exitCode === null && child.signalCode === null)
				child.kill(signal);
			let timer;
			const late = new Promise((resolve) => {
				timer = setTimeout(() => resolve('late'), timeout);
			});
			const code = await Promise.race([exited, late]);
			clearTimeout(timer);
			if (code === 'late') {
				child.kill('SIGKILL');
				throw new Error(`ctip serve still running ${timeout} ms after ${signal}\n${stderr}`);
			}
			return code;
		},
	};
	return new Promise((resolve, reject) => {
		const timer = setTimeout(() => {
			child.kill('SIGKILL');
			reject(new Error(`ctip serve printed no "listening on" line in 15 s\n${stderr}`));
		}, 15000);
		child.stdout.on('data', (d) => {
			stdout += d;
			const m = /^ctip: listening on (http:\/\/127\.0\.0\.1:(\d+))\//m.exec(stdout);
			if (m && server.url === undefined) {
				clearTimeout(timer);
				server.url = m[1];
				server.port = Number(m[2]);
				resolve(server);
			}
		});
		exited.then((code) => {
			clearTimeout(timer);
			if (server.url === undefined)
				reject(new Error(`ctip serve exited (${code}) before listening\n${stderr}`));
		});
	});
}

// Stop a server and insist on a clean exit: code 0 and no sanitizer report.
export async function stopOk(server) {
	const code = await server.stop();
	checkSanitizer('ctip serve', server.stderr);
	assert.equal(code, 0, `ctip serve exited ${code} on SIGTERM:\n${server.stderr}`);
}

// `ctip init` of a database with 200 demo persons in a new temp dir;
// resolves with { dir, db, key, stdout }.
export async function initDb({ demo = 200, name = 'ctip' } = {}) {
	const dir = tempDir('ctip-e2e-db');
	const db = path.join(dir, `${name}.db`);
	const key = path.join(dir, `${name}.key`);
	const stdout = await runOk(['init', '--db', db, '--key', key, '--data', DATA, '--demo', String(demo)]);
	return { dir, db, key, stdout };
}

// One initialised database per test file (each file is its own process).
let shared;
export function sharedDb() {
	shared ??= initDb();
	return shared;
}

// A web directory with the three files of a UI, a hidden file, and a
// secret next to it (outside the web root) that must never be served.
export const WEB_FILES = {
	'index.html': '<!doctype html>\n<title>ctip e2e</title>\n<script src="app.js"></script>\n',
	'app.js': 'console.log("ctip e2e app");\n',
	'style.css': 'body { color: #123456; }\n',
};
export const SECRET = 'TOP-SECRET-e2e-7f3a9c';

// How a person registered as a victim was identified (Law Art. 32-33): on
// the day of reception (the default), by a return certificate.
export const IDENTIFIED = Object.freeze({
	evidence: ['a', 'e'],
	document: { type: 'return_certificate', issuer: 'Đồn Biên phòng cửa khẩu quốc tế Lào Cai', number: '01/GCN',
		date: '2020-01-01' },
});
export function makeWebDir() {
	const dir = tempDir('ctip-e2e-web');
	const web = path.join(dir, 'web');
	fs.mkdirSync(web);
	for (const [name, text] of Object.entries(WEB_FILES))
		fs.writeFileSync(path.join(web, name), text);
	fs.writeFileSync(path.join(web, '.hidden'), `${SECRET} hidden\n`);
	fs.writeFileSync(path.join(dir, 'secret.txt'), `${SECRET} outside\n`);
	return web;
}

// An HTTP request with node:http. Options: method, headers, body, agent
// (default: a new connection, closed after the response), timeout.
// Resolves with { status, headers, body (string), raw (Buffer), socket,
// reused (whether a kept-alive connection carried it), json() }.
export function request(url, { method = 'GET', headers = {}, body, agent = false, timeout = 10000 } = {}) {
	return new Promise((resolve, reject) => {
		const req = http.request(url, { method, headers, agent }, (res) => {
			const chunks = [];
			res.on('data', (c) => chunks.push(c));
			res.on('error', reject);
			res.on('end', () => {
				const raw = Buffer.concat(chunks);
				resolve({
					status: res.statusCode,
					headers: res.headers,
					raw,
					body: raw.toString('utf8'),
					socket: req.socket,
					reused: req.reusedSocket,
					json: () => JSON.parse(raw.toString('utf8')),
				});
			});
		});
		req.setTimeout(timeout, () => req.destroy(new Error(`${method} ${url}: no answer in ${timeout} ms`)));
		req.on('error', reject);
		req.end(body);
	});
}

// How many complete responses data holds (each needs a Content-Length,
// or a status that has no body).
function completeResponses(data) {
	let n = 0;
	let at = 0;
	for (;;) {
		const end = data.indexOf('\r\n\r\n', at, 'latin1');
		if (end < 0)
			return n;
		const head = data.subarray(at, end).toString('latin1');
		const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(head)?.[1]);
		const cl = /\r\ncontent-length: *(\d+)/i.exec(head);
		let len;
		if (cl)
			len = Number(cl[1]);
		else if (status === 304 || status === 204 || (status >= 100 && status < 200))
			len = 0;
		else
			return n; // delimited by the close
		if (data.length < end + 4 + len)
			return n;
		n++;
		at = end + 4 + len;
	}
}

// Send raw bytes on a new TCP connection and collect what comes back until
// `responses` complete responses are in (Infinity: until the server
// closes), or wait ms pass. Resolves with { data (Buffer), text, status
// (of the first status line, or null), closed }.
export function rawRequest(port, bytes, { wait = 3000, responses = 1 } = {}) {
	return new Promise((resolve) => {
		const chunks = [];
		let closed = false;
		let finished = false;
		const sock = net.connect(port, '127.0.0.1');
		const done = () => {
			if (finished)
				return;
			finished = true;
			clearTimeout(timer);
			sock.destroy();
			const data = Buffer.concat(chunks);
			const text = data.toString('latin1');
			const m = /^HTTP\/1\.[01] (\d{3})/.exec(text);
			resolve({ data, text, status: m ? Number(m[1]) : null, closed });
		};
		const timer = setTimeout(done, wait);
		sock.on('data', (c) => {
			chunks.push(c);
			if (completeResponses(Buffer.concat(chunks)) >= responses)
				setImmediate(done); // a close right behind is seen too
		});
		sock.on('error', () => {
			closed = true; // reset by the server counts as closed
		});
		sock.on('close', () => {
			closed = true;
			done();
		});
		sock.on('connect', () => sock.write(bytes));
	});
}

// sqlite3 CLI on a database file; resolves with its trimmed stdout.
export function sqlite(db, sql) {
	const r = spawnSync('sqlite3', [db, sql], { encoding: 'utf8' });
	assert.equal(r.status, 0, `sqlite3 ${db} '${sql}': ${r.stderr}`);
	return r.stdout.trim();
}

export function personCount(db) {
	return Number(sqlite(db, 'select count(*) from person'));
}

export function sha256(file) {
	return crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}

export function fileMode(file) {
	return fs.statSync(file).mode & 0o777;
}

// The persons CSV format's header (ctip_import_header in src/core/import.c).
export const CSV_HEADER =
	'ref,accompanies_ref,role,full_name,sex,birth_date,birth_year,' +
	'ethnicity,nationality,citizenship,citizen_id,phone,address,province,' +
	'commune,event_abroad,destination,purposes,recruitment_means,' +
	'recruited_on,discovery,discovered_on,received_on';
const CSV_COLUMNS = CSV_HEADER.split(',');

// CSV text of rows given as objects keyed by column name.
export function csv(rows) {
	const quote = (v) => (/[",\n]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v);
	const lines = rows.map((r) => CSV_COLUMNS.map((c) => quote(String(r[c] ?? ''))).join(','));
	return [CSV_HEADER, ...lines].join('\n') + '\n';
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
