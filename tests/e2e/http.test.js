// http.test.js: `ctip serve` over HTTP on 127.0.0.1: the API, problem
// responses, limits, security headers, static files and keep-alive.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { SECRET, WEB_FILES, makeWebDir, rawRequest, request, sharedDb, startServer, stopOk } from './lib.js';

let server;
let web;

before(async () => {
	const { db } = await sharedDb();
	web = makeWebDir();
	server = await startServer({ db, web });
});

after(async () => {
	if (server)
		await server.stop().catch(() => {});
});

const url = (p) => server.url + p;

// A problem response: status, JSON content type, the stable code.
function assertProblem(res, status, code) {
	assert.equal(res.status, status, res.body);
	assert.match(res.headers['content-type'], /^application\/problem\+json\b/);
	const body = JSON.parse(res.body);
	assert.equal(body.code, code);
	assert.equal(typeof body.message, 'string');
	assert.ok(body.message.length > 0);
	return body;
}

function assertSecurityHeaders(res, what) {
	const csp = res.headers['content-security-policy'];
	assert.ok(csp, `${what}: no Content-Security-Policy`);
	assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/, what);
	assert.match(csp, /default-src 'self'/, what);
	assert.match(csp, /frame-ancestors 'none'/, what);
	assert.equal(res.headers['x-frame-options'], 'DENY', what);
	assert.equal(res.headers['x-content-type-options'], 'nosniff', what);
	assert.ok(res.headers['referrer-policy'], `${what}: no Referrer-Policy`);
}

test('GET /healthz answers 200 {"status":"ok"}', async () => {
	const res = await fetch(url('/healthz'));
	assert.equal(res.status, 200);
	assert.match(res.headers.get('content-type'), /^application\/json\b/);
	const body = await res.json();
	assert.equal(body.status, 'ok');
	assert.match(body.version, /^\d+\.\d+\.\d+$/);
});

test('GET /api/ref/stats answers the reference counts', async () => {
	const res = await fetch(url('/api/ref/stats'));
	assert.equal(res.status, 200);
	assert.equal(res.headers.get('cache-control'), 'no-store');
	const s = await res.json();
	assert.equal(s.provinces, 34);
	assert.equal(s.communes, 3321);
	assert.equal(s.ethnic_groups, 54);
	assert.equal(s.support_types, 10);
	assert.ok(s.countries >= 249);
});

test('GET /api/meta says the database holds 200 demo persons', async () => {
	const res = await fetch(url('/api/meta'));
	assert.equal(res.status, 200);
	const m = await res.json();
	assert.equal(m.demo, true);
	assert.equal(m.demo_persons, 200);
	assert.ok(Number.isInteger(m.schema) && m.schema >= 1);
});

test('a query string does not change which resource answers', async () => {
	assert.equal((await request(url('/api/meta?x=1&y=%ff'))).status, 200);
	const res = await request(url('/app.js?v=123'));
	assert.equal(res.status, 200);
	assert.equal(res.body, WEB_FILES['app.js']);
});

test('unknown API paths answer 404 problem JSON with code "not_found"', async () => {
	for (const p of ['/api/x', '/api/', '/api/ref/stats/extra', '/api/meta/', '/api/REF/STATS', '/healthz/x']) {
		const body = assertProblem(await request(url(p)), 404, 'not_found');
		assert.ok(!('field' in body) || typeof body.field === 'string', p);
	}
	assertProblem(await request(url('/api/x'), { method: 'POST', body: '{}' }), 404, 'not_found');
});

test('a wrong method answers 405 with Allow: GET and code "method_not_allowed"', async () => {
	for (const [method, p] of [['POST', '/healthz'], ['PUT', '/api/meta'], ['DELETE', '/api/ref/stats'],
		['PATCH', '/healthz']]) {
		const res = await request(url(p), { method, body: method === 'DELETE' ? undefined : '{}' });
		assertProblem(res, 405, 'method_not_allowed');
		assert.equal(res.headers.allow, 'GET', `${method} ${p}`);
	}
});

test('a literal path segment is not taken as an id: GET on a POST-only path is 405 with Allow', async () => {
	for (const p of ['/api/reports/submit', '/api/reports/deadlines', '/api/plans/import']) {
		const res = await request(url(p));
		assertProblem(res, 405, 'method_not_allowed');
		assert.equal(res.headers.allow, 'POST', p);
	}
	// An id is still one: the route is found (then sign-in is needed).
	assertProblem(await request(url('/api/reports/12')), 401, 'unauthenticated');
	const res = await request(url('/api/plans/12'), { method: 'PUT', body: '{}' });
	assertProblem(res, 405, 'method_not_allowed');
	assert.equal(res.headers.allow, 'GET');
});

test('a NUL (%00) in the path is refused, not read as the path before it', async () => {
	for (const p of ['/api/persons/2005%00abc', '/api/meta%00', '/healthz%00', '/index.html%00.js', '/%00'])
		assertProblem(await request(url(p)), 400, 'invalid');
	// Elsewhere in a query string it is no path: what ignores it answers.
	assert.equal((await request(url('/api/meta?x=%00'))).status, 200);
	assert.equal((await request(url('/api/meta?x=%41%2500'))).status, 200);
});

test('a body of exactly 1 MiB is read; one byte more answers 413 "too_big"', async () => {
	const mib = 1 << 20;
	assertProblem(await request(url('/healthz'), { method: 'POST', body: Buffer.alloc(mib, 'a') }),
		405, 'method_not_allowed');
	assertProblem(await request(url('/healthz'), { method: 'POST', body: Buffer.alloc(mib + 1, 'a') }),
		413, 'too_big');
});

test('a 2 MiB POST body answers 413 "too_big" and the server keeps serving', async () => {
	const big = Buffer.alloc(2 << 20, 'x');
	for (const p of ['/healthz', '/api/meta', '/api/nothing-here', '/index.html']) {
		const res = await request(url(p), { method: 'POST', body: big });
		assertProblem(res, 413, 'too_big');
		assertSecurityHeaders(res, `413 ${p}`);
	}
	// Chunked, with no Content-Length up front.
	const res = await new Promise((resolve, reject) => {
		const req = http.request(url('/api/meta'), { method: 'POST', agent: false }, (r) => {
			let body = '';
			r.on('data', (c) => (body += c));
			r.on('end', () => resolve({ status: r.statusCode, headers: r.headers, body }));
		});
		req.on('error', reject);
		for (let i = 0; i < 32; i++)
			req.write(Buffer.alloc(64 << 10, 'y'));
		req.end();
	});
	assertProblem(res, 413, 'too_big');
	assert.equal((await request(url('/healthz'))).status, 200);
});

test('security headers are on API, problem and static responses', async () => {
	const cases = [
		['/healthz', 200], ['/api/meta', 200], ['/api/ref/stats', 200], ['/api/nope', 404],
		['/', 200], ['/app.js', 200], ['/style.css', 200], ['/missing.html', 404],
	];
	for (const [p, status] of cases) {
		const res = await request(url(p));
		assert.equal(res.status, status, p);
		assertSecurityHeaders(res, p);
	}
	const post = await request(url('/healthz'), { method: 'POST' });
	assertSecurityHeaders(post, 'POST /healthz');
	const first = await request(url('/app.js'));
	const notModified = await request(url('/app.js'), { headers: { 'If-None-Match': first.headers.etag } });
	assert.equal(notModified.status, 304);
	assertSecurityHeaders(notModified, '304 /app.js');
});

test('"/" serves index.html as text/html', async () => {
	for (const p of ['/', '/index.html']) {
		const res = await request(url(p));
		assert.equal(res.status, 200, p);
		assert.match(res.headers['content-type'], /^text\/html\b/, p);
		assert.equal(res.body, WEB_FILES['index.html'], p);
		assert.equal(res.headers['content-length'], String(Buffer.byteLength(WEB_FILES['index.html'])));
	}
});

test('static files are served with their content types and revalidated', async () => {
	for (const [name, type] of [['app.js', /^text\/javascript\b/], ['style.css', /^text\/css\b/]]) {
		const res = await request(url(`/${name}`));
		assert.equal(res.status, 200, name);
		assert.match(res.headers['content-type'], type, name);
		assert.equal(res.body, WEB_FILES[name], name);
		assert.equal(res.headers['cache-control'], 'no-cache', name);
	}
	const api = await request(url('/api/meta'));
	assert.equal(api.headers['cache-control'], 'no-store');
});

test('an ETag is sent and If-None-Match with it answers 304 without a body', async () => {
	for (const p of ['/', '/app.js', '/style.css']) {
		const first = await request(url(p));
		const etag = first.headers.etag;
		assert.match(etag ?? '', /^"[^"]+"$/, `${p}: ETag ${etag}`);
		const again = await request(url(p), { headers: { 'If-None-Match': etag } });
		assert.equal(again.status, 304, p);
		assert.equal(again.raw.length, 0, p);
		assert.equal(again.headers.etag, etag, p);
		const other = await request(url(p), { headers: { 'If-None-Match': '"something-else"' } });
		assert.equal(other.status, 200, p);
		assert.equal(other.body, first.body, p);
	}
});

test('a changed file gets a new ETag', async () => {
	const file = path.join(web, 'changing.txt');
	fs.writeFileSync(file, 'one\n');
	const first = await request(url('/changing.txt'));
	assert.equal(first.status, 200);
	fs.writeFileSync(file, 'two, longer\n');
	const second = await request(url('/changing.txt'), { headers: { 'If-None-Match': first.headers.etag } });
	assert.equal(second.status, 200);
	assert.equal(second.body, 'two, longer\n');
	assert.notEqual(second.headers.etag, first.headers.etag);
});

test('path traversal and hidden files answer 404, never file contents', async () => {
	const paths = [
		'/../secret.txt', '/%2e%2e/secret.txt', '/%2E%2E/secret.txt', '/..%2fsecret.txt',
		'/%2e%2e%2fsecret.txt', '/app.js/../../secret.txt', '/./../secret.txt', '/.%2e/secret.txt',
		'/..\\secret.txt', '/%5c..%5csecret.txt', '/.hidden', '/%2ehidden', '/./.hidden',
		'/web/../../secret.txt', '//../secret.txt', '/../../../../../../etc/passwd', '/etc/passwd',
		'/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd', '/..;/secret.txt', `/${'a/'.repeat(150)}../secret.txt`,
	];
	for (const p of paths) {
		// node:http sends the path as given; fetch would normalise it.
		const res = await request(`${server.url}${p}`);
		assertProblem(res, 404, 'not_found');
		assert.ok(!res.body.includes(SECRET), `${p} leaked the secret`);
		assert.ok(!res.body.includes('root:x:0:0'), `${p} leaked /etc/passwd`);
	}
	// The same over a raw socket, in case a client library tidied the path.
	for (const p of ['/../secret.txt', '/%2e%2e/secret.txt', '/.hidden']) {
		const r = await rawRequest(server.port, `GET ${p} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`);
		assert.equal(r.status, 404, p);
		assert.ok(!r.text.includes(SECRET), `${p} leaked the secret`);
	}
});

test('a directory is not listed or served', async () => {
	fs.mkdirSync(path.join(web, 'sub'), { recursive: true });
	fs.writeFileSync(path.join(web, 'sub', 'x.txt'), 'x\n');
	for (const p of ['/sub', '/sub/'])
		assertProblem(await request(url(p)), 404, 'not_found');
	assert.equal((await request(url('/sub/x.txt'))).body, 'x\n');
});

test('HEAD answers the headers of GET without a body', async () => {
	for (const p of ['/', '/app.js', '/api/meta', '/healthz', '/api/nope', '/nope.js']) {
		const get = await request(url(p));
		const head = await request(url(p), { method: 'HEAD' });
		assert.equal(head.status, get.status, p);
		assert.equal(head.raw.length, 0, p);
		assert.equal(head.headers['content-type'], get.headers['content-type'], p);
		assert.equal(head.headers.etag, get.headers.etag, p);
		// A problem's message names the method, so only a 200's length
		// must be the same.
		if (get.status === 200)
			assert.equal(head.headers['content-length'], get.headers['content-length'], `${p}: Content-Length`);
		else
			assert.ok(Number(head.headers['content-length']) > 0, `${p}: Content-Length`);
	}
	// On one connection: a body after the HEAD response would be taken
	// for the start of the next response.
	const r = await rawRequest(server.port,
		'HEAD /app.js HTTP/1.1\r\nHost: x\r\n\r\nGET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n',
		{ responses: Infinity });
	const parts = r.text.split(/(?=HTTP\/1\.1 )/);
	assert.equal(parts.length, 2, r.text);
	assert.match(parts[0], /^HTTP\/1\.1 200 .*\r\n\r\n$/s);
	assert.match(parts[1], /^HTTP\/1\.1 200 [^]*\r\n\r\n\{"status":"ok"/);
});

test('keep-alive: sequential requests reuse one connection', async () => {
	const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
	try {
		const paths = ['/healthz', '/api/meta', '/app.js', '/api/nope', '/api/ref/stats'];
		const results = [];
		for (const p of paths)
			results.push(await request(url(p), { agent }));
		const [first, ...rest] = results;
		assert.equal(first.reused, false);
		for (const [i, res] of rest.entries()) {
			assert.equal(res.reused, true, `${paths[i + 1]} came on a new connection`);
			assert.equal(res.socket, first.socket, paths[i + 1]);
		}
		for (const res of results)
			assert.notEqual(res.headers.connection, 'close');
		// A 405 and a 304 keep the connection too.
		const post = await request(url('/healthz'), { method: 'POST', body: 'x', agent });
		assert.equal(post.status, 405);
		const etag = results[2].headers.etag;
		const cached = await request(url('/app.js'), { agent, headers: { 'If-None-Match': etag } });
		assert.equal(cached.status, 304);
		assert.equal((await request(url('/healthz'), { agent })).socket, first.socket);
	} finally {
		agent.destroy();
	}
});

test('concurrent requests all get their answers', async () => {
	const ps = [];
	for (let i = 0; i < 60; i++)
		ps.push(request(url(['/healthz', '/api/meta', '/api/ref/stats', '/app.js'][i % 4])));
	const results = await Promise.all(ps);
	assert.deepEqual([...new Set(results.map((r) => r.status))], [200]);
});

test('the server exits 0 on SIGTERM after all of this', async () => {
	await stopOk(server);
});
