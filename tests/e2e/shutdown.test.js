// shutdown.test.js: SIGTERM while clients keep their connections alive.
// Once the stop has begun, a request that comes on a kept-alive
// connection is refused with 503 `shutting_down` and the connection
// closed, before any work or audit; the requests already in progress
// finish normally with their audit entries; none gets a 500.
import assert from 'node:assert/strict';
import http from 'node:http';
import net from 'node:net';
import test from 'node:test';
import { IDENTIFIED, initDb, sleep, sqlite, startServer } from './lib.js';
import { addUser, signIn } from './users.js';

const PERSON = {
	role: 'victim', identification: IDENTIFIED, sex: 'F', birth_date: '1996-05-02', citizenship: 'vn_citizen',
	nationality: 'VN', ethnicity: '01', full_name: 'Phạm Thị Dừng', citizen_id: '001196054321', phone: '0912 000 111',
	address: 'Nhà 12 ngõ Thử Nghiệm', province: '01', commune: '00004', confirm_new: true,
};

// A server with a case worker of commune 00004 signed in and one person
// of that commune registered; resolves with { db, server, cw, personId }.
async function setUp() {
	const { db, key } = await initDb({ demo: 0 });
	const account = await addUser(db, key, 'cw.shutdown', { adminCode: '00004', roles: ['case_worker'] });
	const server = await startServer({ db, threads: 4 });
	try {
		const cw = await signIn(server.url, account);
		const r = await cw.post('/api/persons', PERSON);
		assert.equal(r.status, 201, r.text);
		return { db, server, cw, personId: r.body.id };
	} catch (e) {
		server.child.kill('SIGKILL');
		throw e;
	}
}

const personReads = (db) =>
	Number(sqlite(db, "select count(*) from audit_log where action = 'person.read' and outcome = 'ok'"));

// A kept-alive connection written by hand, one request at a time:
// send() resolves with the next complete response { status, headers,
// body }, or null when the server closed the connection first.
class Conn {
	constructor(port) {
		this.sock = net.connect(port, '127.0.0.1');
		this.buf = Buffer.alloc(0);
		this.closed = false;
		this.wake = () => {};
		this.sock.on('data', (d) => {
			this.buf = Buffer.concat([this.buf, d]);
			this.wake();
		});
		this.sock.on('error', () => {});
		this.sock.on('close', () => {
			this.closed = true;
			this.wake();
		});
		this.ready = new Promise((resolve) => this.sock.on('connect', resolve));
	}

	// The first complete response in the buffer, taken out of it.
	take() {
		const end = this.buf.indexOf('\r\n\r\n');
		if (end < 0)
			return null;
		const head = this.buf.subarray(0, end).toString('latin1');
		const len = Number(/\r\ncontent-length: *(\d+)/i.exec(head)?.[1] ?? 0);
		if (this.buf.length < end + 4 + len)
			return null;
		const body = this.buf.subarray(end + 4, end + 4 + len).toString('utf8');
		this.buf = this.buf.subarray(end + 4 + len);
		const headers = {};
		for (const line of head.split('\r\n').slice(1)) {
			const i = line.indexOf(':');
			headers[line.slice(0, i).toLowerCase()] = line.slice(i + 1).trim();
		}
		return { status: Number(/^HTTP\/1\.1 (\d{3})/.exec(head)[1]), headers, body };
	}

	async send(text) {
		await this.ready;
		if (!this.closed)
			this.sock.write(text);
		for (;;) {
			const res = this.take();
			if (res !== null)
				return res;
			if (this.closed)
				return null;
			await new Promise((resolve) => {
				this.wake = resolve;
			});
		}
	}

	// Resolves when the server has closed the connection (true), or
	// after ms (false).
	async closedWithin(ms) {
		for (let i = 0; i < ms / 10 && !this.closed; i++)
			await sleep(10);
		return this.closed;
	}
}

function get(cw, path) {
	return `GET ${path} HTTP/1.1\r\nHost: x\r\nCookie: ctip_session=${cw.cookie}\r\n\r\n`;
}

function post(cw, path, body) {
	const data = Buffer.from(JSON.stringify(body));
	return `POST ${path} HTTP/1.1\r\nHost: x\r\nCookie: ctip_session=${cw.cookie}\r\n` +
		`X-CSRF-Token: ${cw.csrf}\r\nContent-Type: application/json\r\nContent-Length: ${data.length}\r\n\r\n${data}`;
}

function assertShuttingDown(res, what) {
	assert.ok(res, `${what}: connection closed without an answer`);
	assert.equal(res.status, 503, `${what}: ${res.status} ${res.body}`);
	assert.match(res.headers['content-type'], /^application\/problem\+json\b/);
	assert.equal(res.headers.connection, 'close');
	const body = JSON.parse(res.body);
	assert.equal(body.code, 'shutting_down');
	assert.match(body.message, /shutting down/);
}

test('after SIGTERM a request on a kept-alive connection gets 503 shutting_down and the connection closes', async () => {
	const { db, server, cw, personId } = await setUp();
	const reader = new Conn(server.port);
	const writer = new Conn(server.port);
	let r = await reader.send(get(cw, `/api/persons/${personId}`));
	assert.equal(r.status, 200, r.body);
	r = await writer.send(get(cw, '/api/session'));
	assert.equal(r.status, 200, r.body);
	const persons = sqlite(db, 'select count(*) from person');
	const reads = personReads(db);
	// A request in progress holds the stop in its grace period: its
	// headers are in, its body is not.
	const slow = new Conn(server.port);
	await slow.ready;
	slow.sock.write('GET /api/meta HTTP/1.1\r\nHost: x\r\nConnection: close\r\nExpect: 100-continue\r\n' +
		'Content-Length: 10\r\n\r\n');
	for (let i = 0; i < 500 && !/^HTTP\/1\.1 100 /.test(slow.buf.toString('latin1')); i++)
		await sleep(10);
	assert.match(slow.buf.toString('latin1'), /^HTTP\/1\.1 100 .*\r\n\r\n/s, 'no 100 Continue');
	slow.buf = slow.buf.subarray(slow.buf.indexOf('\r\n\r\n') + 4);
	server.child.kill('SIGTERM');
	// The server says when it refuses new requests.
	for (let i = 0; i < 500 && !/refusing new requests/.test(server.stderr); i++)
		await sleep(10);
	assert.match(server.stderr, /refusing new requests/);
	assert.equal(server.child.exitCode, null, 'ctip exited with a request in flight');
	// New requests on the open connections: refused before any work.
	assertShuttingDown(await reader.send(get(cw, `/api/persons/${personId}`)), 'read');
	assert.ok(await reader.closedWithin(2000), 'the connection stayed open after the 503');
	assertShuttingDown(await writer.send(post(cw, '/api/persons', { ...PERSON, full_name: 'Phạm Thị Muộn' })),
		'write');
	assert.ok(await writer.closedWithin(2000), 'the connection stayed open after the 503');
	// The request in progress completes normally.
	const done = slow.send('1234567890');
	r = await done;
	assert.ok(r, 'the request in progress got no answer');
	assert.equal(r.status, 200, r.body);
	assert.equal(await server.exited, 0, server.stderr);
	assert.equal(sqlite(db, 'select count(*) from person'), persons, 'a write was accepted after the stop began');
	assert.equal(personReads(db), reads, 'a refused read was audited');
	assert.doesNotMatch(server.stderr, /Sanitizer|runtime error/);
});

test('SIGTERM under keep-alive load: no 500, and every audited read answered has its entry', async () => {
	const { db, server, cw, personId } = await setUp();
	const agent = new http.Agent({ keepAlive: true, maxSockets: 16 });
	const headers = { cookie: `ctip_session=${cw.cookie}`, 'x-csrf-token': cw.csrf };
	const one = (method, path, body) => new Promise((resolve) => {
		const h = { ...headers };
		let data;
		if (body !== undefined) {
			data = JSON.stringify(body);
			h['content-type'] = 'application/json';
		}
		const req = http.request(`${server.url}${path}`, { method, headers: h, agent }, (res) => {
			const chunks = [];
			res.on('data', (c) => chunks.push(c));
			res.on('end', () => resolve({ status: res.statusCode, body: Buffer.concat(chunks).toString('utf8') }));
			res.on('error', () => resolve(null));
		});
		req.setTimeout(15000, () => req.destroy());
		req.on('error', () => resolve(null));
		req.end(data);
	});
	const before = personReads(db);
	const statuses = {};
	const fivexx = [];
	let identityReads = 0;
	const t0 = Date.now();
	let killed = false;
	async function loop(k) {
		for (let i = 0; Date.now() - t0 < 15000; i++) {
			const write = (k + i) % 5 === 0;
			const r = write
				? await one('POST', `/api/persons/${personId}/follow-ups`, { due_on: '2027-01-01', note: 'load' })
				: await one('GET', `/api/persons/${personId}`);
			if (r === null)
				return; // the connection was closed: the server is going
			statuses[r.status] = (statuses[r.status] ?? 0) + 1;
			// 503 shutting_down is the answer expected once stopping.
			if (r.status >= 500 && !(r.status === 503 && JSON.parse(r.body).code === 'shutting_down'))
				fivexx.push(`${r.status} ${r.body}`);
			if (!write && r.status === 200 && JSON.parse(r.body).identity)
				identityReads++;
			if (r.status === 503)
				return;
		}
	}
	const loops = Array.from({ length: 16 }, (_, k) => loop(k));
	await sleep(800);
	server.child.kill('SIGTERM');
	killed = true;
	await Promise.all(loops);
	agent.destroy();
	assert.ok(killed);
	assert.equal(await server.exited, 0, server.stderr);
	assert.deepEqual(fivexx.slice(0, 3), [], `statuses ${JSON.stringify(statuses)}`);
	assert.ok(statuses[200] > 0, JSON.stringify(statuses));
	assert.ok(Date.now() - t0 < 15000, 'the load outlived the stop');
	const added = personReads(db) - before;
	assert.ok(added >= identityReads, `${identityReads} reads answered, ${added} audited`);
});
