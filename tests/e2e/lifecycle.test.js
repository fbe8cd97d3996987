// lifecycle.test.js: starting and stopping `ctip serve`: clean exits on
// SIGTERM and SIGINT, requests in flight finish, start-up failures.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import test from 'node:test';
import { keyFor, makeWebDir, request, run, sharedDb, sleep, startServer, stopOk, tempDir } from './lib.js';

// Whether the process is still running.
const alive = (server) => server.child.exitCode === null && server.child.signalCode === null;

// Open a connection and send the head of a request with a body of length
// bytes and "Expect: 100-continue": the "100 Continue" answer shows that
// ctip has begun the request. Resolves with { sock, text() }.
async function begin(server, head, length) {
	const sock = net.connect(server.port, '127.0.0.1');
	let text = '';
	sock.setEncoding('latin1').on('data', (d) => (text += d));
	sock.on('error', () => {});
	await new Promise((resolve) => sock.on('connect', resolve));
	sock.write(`${head}\r\nHost: x\r\nConnection: close\r\nExpect: 100-continue\r\n` +
		`Content-Length: ${length}\r\n\r\n`);
	for (let i = 0; i < 500 && !/^HTTP\/1\.1 100 /.test(text); i++)
		await sleep(10);
	assert.match(text, /^HTTP\/1\.1 100 /, 'no 100 Continue');
	return { sock, text: () => text };
}

test('SIGTERM stops the server with exit 0 within 5 s', async () => {
	const { db } = await sharedDb();
	const server = await startServer({ db });
	assert.equal((await request(`${server.url}/api/meta`)).status, 200);
	const t0 = Date.now();
	await stopOk(server);
	assert.ok(Date.now() - t0 < 5000, `took ${Date.now() - t0} ms`);
	assert.match(server.stderr, /SIGTERM/);
});

test('SIGINT stops the server with exit 0 too', async () => {
	const { db } = await sharedDb();
	const server = await startServer({ db });
	assert.equal((await request(`${server.url}/healthz`)).status, 200);
	assert.equal(await server.stop({ signal: 'SIGINT' }), 0, server.stderr);
});

test('a request in flight when SIGTERM arrives still gets its answer', async () => {
	const { db } = await sharedDb();
	const server = await startServer({ db });
	const { sock, text } = await begin(server, 'GET /api/meta HTTP/1.1', 10);
	const closed = new Promise((resolve) => sock.on('close', resolve));
	sock.write('12345');
	const t0 = Date.now();
	server.child.kill('SIGTERM');
	await sleep(250);
	assert.ok(alive(server), 'ctip exited with a request in flight');
	sock.write('67890');
	await Promise.race([closed, sleep(5000)]);
	sock.destroy();
	assert.match(text(), /\r\n\r\nHTTP\/1\.1 200 /, text());
	assert.match(text(), /"demo_persons":200/);
	assert.equal(await server.stop(), 0, server.stderr);
	assert.ok(Date.now() - t0 < 5000);
});

test('a download in flight when SIGTERM arrives is sent in full', async () => {
	const { db } = await sharedDb();
	const web = makeWebDir();
	const size = 24 << 20;
	fs.writeFileSync(path.join(web, 'big.bin'), Buffer.alloc(size, 0x5a));
	const server = await startServer({ db, web });
	const got = await new Promise((resolve, reject) => {
		const req = http.get(`${server.url}/big.bin`, { agent: false }, (res) => {
			let n = 0;
			res.on('data', (c) => (n += c.length));
			res.on('end', () => resolve({ status: res.statusCode, n, length: res.headers['content-length'] }));
			res.on('error', reject);
			// Stop reading, so that most of the file is still to be
			// sent when the signal comes.
			res.pause();
			server.child.kill('SIGTERM');
			setTimeout(() => res.resume(), 300);
		});
		req.on('error', reject);
	});
	assert.equal(got.status, 200);
	assert.equal(got.length, String(size));
	assert.equal(got.n, size, `received ${got.n} of ${size} bytes`);
	assert.equal(await server.stop(), 0, server.stderr);
});

test('an idle keep-alive connection does not hold up the stop', async () => {
	const { db } = await sharedDb();
	const server = await startServer({ db });
	const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
	try {
		assert.equal((await request(`${server.url}/healthz`, { agent })).status, 200);
		assert.equal((await request(`${server.url}/healthz`, { agent })).reused, true);
		const t0 = Date.now();
		await stopOk(server);
		assert.ok(Date.now() - t0 < 2000, `took ${Date.now() - t0} ms with an idle connection open`);
	} finally {
		agent.destroy();
	}
});

test('a client that stalls mid-request cannot keep the server up past 5 s', async () => {
	const { db } = await sharedDb();
	const server = await startServer({ db });
	const { sock } = await begin(server, 'POST /healthz HTTP/1.1', 1000);
	sock.write('only a little');
	try {
		const t0 = Date.now();
		await stopOk(server); // rejects after 5 s
		assert.ok(Date.now() - t0 < 5000);
	} finally {
		sock.destroy();
	}
});

test('serve on a port already in use exits non-zero with a clear message', async () => {
	const { db } = await sharedDb();
	const first = await startServer({ db });
	try {
		const r = await run(['serve', '--listen', `127.0.0.1:${first.port}`, '--db', db, '--key', keyFor(db)]);
		assert.notEqual(r.code, 0);
		assert.match(r.stderr, new RegExp(`^ctip: could not listen on 127\\.0\\.0\\.1:${first.port}: .*in use`, 'm'));
		assert.doesNotMatch(r.stdout, /listening on/);
		// Every line that names a port names the right one.
		for (const m of r.stderr.matchAll(/port (\d+)/g))
			assert.equal(Number(m[1]), first.port, r.stderr);
		// The first server is unharmed.
		assert.equal((await request(`${first.url}/healthz`)).status, 200);
	} finally {
		await stopOk(first);
	}
	// A port held by some other program.
	const other = net.createServer();
	await new Promise((resolve) => other.listen(0, '127.0.0.1', resolve));
	try {
		const port = other.address().port;
		const r = await run(['serve', '--listen', `127.0.0.1:${port}`, '--db', db, '--key', keyFor(db)]);
		assert.notEqual(r.code, 0);
		assert.match(r.stderr, new RegExp(`could not listen on 127\\.0\\.0\\.1:${port}`));
	} finally {
		other.close();
	}
});

test('serve on a missing database exits 4 and says to run "ctip init"', async () => {
	const dir = tempDir();
	const db = path.join(dir, 'missing.db');
	const r = await run(['serve', '--listen', '127.0.0.1:0', '--db', db]);
	assert.equal(r.code, 4, r.stderr);
	assert.match(r.stderr, /^ctip: .*run "ctip init"/);
	assert.doesNotMatch(r.stdout, /listening on/);
	assert.deepEqual(fs.readdirSync(dir), []);
});

test('serve on a file that is not a ctip database fails before listening', async () => {
	const dir = tempDir();
	const cases = {
		'empty.db': '',
		'text.db': 'this is not a database\n'.repeat(100),
	};
	for (const [name, content] of Object.entries(cases)) {
		const db = path.join(dir, name);
		fs.writeFileSync(db, content);
		const r = await run(['serve', '--listen', '127.0.0.1:0', '--db', db]);
		assert.notEqual(r.code, 0, name);
		assert.match(r.stderr, /^ctip: /, name);
		assert.doesNotMatch(r.stdout, /listening on/, name);
	}
});
