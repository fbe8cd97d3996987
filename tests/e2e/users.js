// users.js: accounts for the end-to-end tests. Users and org units are
// created with the CLI (`ctip user add`, `ctip org add`, `ctip token
// create`), and signed in over HTTP by a Client that keeps the session
// cookie and CSRF token by hand (global fetch, a manual Cookie header).
import assert from 'node:assert/strict';
import { runOk } from './lib.js';

// What every test user sets as its own password after the first login.
export const PASSWORD = 'e2e mật khẩu dài 2026';

// `ctip user add USERNAME` in the unit of agency at adminCode; resolves with
// { username, id, password (the one-time one) }.
export async function addUser(db, key, username, { name = username, adminCode, roles, agency } = {}) {
	const args = ['user', 'add', username, '--db', db, '--key', key, '--name', name,
		'--admin-code', adminCode, '--roles', roles.join(',')];
	if (agency !== undefined)
		args.push('--agency', agency);
	const out = await runOk(args);
	const m = /created user (\S+) \(id (\d+)\)\n\s*one-time password: (\S+)\n/.exec(out);
	assert.ok(m, `no one-time password in the output of ctip user add:\n${out}`);
	assert.equal(m[1], username);
	return { username, id: Number(m[2]), password: m[3] };
}

// `ctip org add`; resolves with { id, name }.
export async function addOrg(db, { agency = 'POLICE', adminCode }) {
	const out = await runOk(['org', 'add', '--db', db, '--agency', agency, '--admin-code', adminCode]);
	const m = /^(\d+)\t(.+)\n$/.exec(out);
	assert.ok(m, out);
	return { id: Number(m[1]), name: m[2] };
}

// `ctip token create USERNAME --name NAME`; resolves with the token.
export async function addToken(db, key, username, name = 'e2e') {
	const out = await runOk(['token', 'create', username, '--db', db, '--key', key, '--name', name]);
	const m = /^(ctip_[A-Za-z0-9_-]{43})$/m.exec(out);
	assert.ok(m, `no token in the output of ctip token create:\n${out}`);
	return m[1];
}

// The value of cookie `name` in the Set-Cookie headers of a response, and
// the whole header; undefined when not set.
export function setCookie(res, name = 'ctip_session') {
	for (const h of res.headers.getSetCookie()) {
		const m = new RegExp(`^${name}=([^;]*)`).exec(h);
		if (m)
			return { value: m[1], header: h };
	}
	return undefined;
}

// An HTTP client of one ctip server acting for one user: holds the session
// cookie and the CSRF token (or a bearer token) between requests.
export class Client {
	constructor(url, { bearer } = {}) {
		this.url = url;
		this.cookie = null;
		this.csrf = null;
		this.bearer = bearer ?? null;
		this.user = null;
	}

	// One request. Sends the cookie and, on writes, the CSRF token unless
	// told otherwise (cookie/csrf: null leaves them out, a string replaces
	// them). Resolves with { status, headers, text, body (parsed JSON or
	// null) }.
	async req(method, path, { body, cookie = this.cookie, csrf = this.csrf, bearer = this.bearer, headers = {} } = {}) {
		const h = { ...headers };
		if (cookie)
			h.cookie = `ctip_session=${cookie}`;
		if (csrf && method !== 'GET' && method !== 'HEAD')
			h['x-csrf-token'] = csrf;
		if (bearer)
			h.authorization = `Bearer ${bearer}`;
		let data;
		if (body !== undefined) {
			h['content-type'] = 'application/json';
			data = typeof body === 'string' ? body : JSON.stringify(body);
		}
		const res = await fetch(this.url + path, { method, headers: h, body: data, redirect: 'manual' });
		const text = await res.text();
		let parsed = null;
		if (/json/.test(res.headers.get('content-type') ?? '') && text !== '')
			parsed = JSON.parse(text);
		return { status: res.status, headers: res.headers, text, body: parsed, res };
	}

	get(path, opts) {
		return this.req('GET', path, opts);
	}

	post(path, body, opts = {}) {
		return this.req('POST', path, { ...opts, body });
	}

	// POST /api/session; on 200 keeps the cookie and the CSRF token.
	async login(username, password) {
		const r = await this.req('POST', '/api/session', { body: { username, password }, cookie: null, csrf: null });
		if (r.status === 200) {
			const c = setCookie(r.res);
			assert.ok(c, 'POST /api/session set no ctip_session cookie');
			this.cookie = c.value;
			this.csrf = r.body.csrf_token;
			this.user = r.body.user;
		}
		return r;
	}

	// DELETE /api/session; forgets the cookie and the CSRF token.
	async logout() {
		const r = await this.req('DELETE', '/api/session');
		this.cookie = null;
		this.csrf = null;
		return r;
	}
}

// Sign account in with its one-time password and change it to PASSWORD
// (insisting on the answers the API promises); resolves with its Client.
export async function signIn(url, account) {
	const c = new Client(url);
	if (account.changed) {
		const r = await c.login(account.username, PASSWORD);
		assert.equal(r.status, 200, r.text);
		return c;
	}
	let r = await c.login(account.username, account.password);
	assert.equal(r.status, 200, r.text);
	assert.equal(r.body.user.must_change_password, true);
	r = await c.post('/api/session/password', { current_password: account.password, new_password: PASSWORD });
	assert.equal(r.status, 204, r.text);
	account.changed = true;
	return c;
}

// The body of a successful answer of status (200 unless said).
export function ok(r, status = 200) {
	assert.equal(r.status, status, `${status} expected: ${r.status} ${r.text}`);
	return r.body;
}

// A problem answer: status, the stable code, a message, the field if given.
export function problem(r, status, code, field) {
	assert.equal(r.status, status, `${status} ${code} ${field ?? ''} expected: ${r.status} ${r.text}`);
	assert.match(r.headers.get('content-type'), /^application\/problem\+json\b/);
	assert.equal(r.body.code, code, r.text);
	assert.equal(typeof r.body.message, 'string');
	if (field !== undefined)
		assert.equal(r.body.field, field, r.text);
	return r.body;
}
