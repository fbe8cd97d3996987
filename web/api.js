// api.js: JSON calls to the ctip API. Errors become ApiError carrying the
// problem's stable code, shown to people through i18n ("error.<code>").
//
// The session cookie is HttpOnly; the CSRF token that goes with it is kept
// here, in memory only, and sent as X-CSRF-Token on every write.
export class ApiError extends Error {
  // body: the whole problem object (e.g. the candidates of a 409
  // duplicate_suspected).
  constructor(status, code, message, field, body = null) {
    super(message);
    this.status = status;
    this.code = code;
    this.field = field;
    this.body = body;
    // The record's rule that refused the action (a 409), if any.
    this.rule = body?.rule ?? null;
  }
}

let csrf = null;
const handlers = { unauthenticated: null, password_change_required: null };

export function setCsrf(token) {
  csrf = token ?? null;
}

// on('unauthenticated', fn): a 401 from any call, unless the call says
// {redirect: false} or the problem names a field (a wrong current password
// is about the input, not the session);
// on('password_change_required', fn): a 403 of that code.
export function on(event, fn) {
  handlers[event] = fn;
}

// Options: redirect (see on()), headers (added to the request), full
// (resolve with { status, data } instead of the data, e.g. to tell a 201
// "created" from a 200 "that one already"), type (send body as it is, of
// that content type, instead of as JSON).
async function call(method, path, body, { redirect = true, headers: extra = {}, full = false, type = null } = {}) {
  const headers = { Accept: 'application/json', ...extra };
  if (body !== undefined) headers['Content-Type'] = type ?? 'application/json';
  if (method !== 'GET' && csrf) headers['X-CSRF-Token'] = csrf;
  let r;
  try {
    r = await fetch(path, {
      method,
      headers,
      body: body === undefined || type ? body : JSON.stringify(body),
      credentials: 'same-origin',
      cache: 'no-store',
    });
  } catch {
    throw new ApiError(0, 'network', 'network error');
  }
  const text = await r.text().catch(() => '');
  let data = null;
  try {
    data = text ? JSON.parse(text) : null;
  } catch {
    data = null;
  }
  if (!r.ok) {
    const p = data ?? {};
    const code = p.code ?? (r.status === 401 ? 'unauthenticated' : r.status === 413 ? 'too_big' : 'internal');
    const err = new ApiError(r.status, code, p.message ?? '', p.field, p);
    if (r.status === 401 && redirect && !p.field && handlers.unauthenticated) {
      err.handled = true;
      handlers.unauthenticated(err);
    } else if (code === 'password_change_required' && handlers.password_change_required) {
      err.handled = true;
      handlers.password_change_required(err);
    }
    throw err;
  }
  if (data && typeof data.csrf_token === 'string') csrf = data.csrf_token;
  return full ? { status: r.status, data } : data;
}

// path plus a query string of the non-empty values of params.
export function withQuery(path, params = {}) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params))
    if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s ? `${path}?${s}` : path;
}

export const get = (path, opts) => call('GET', path, undefined, opts);
export const post = (path, body = {}, opts) => call('POST', path, body, opts);
export const put = (path, body = {}, opts) => call('PUT', path, body, opts);
export const patch = (path, body = {}, opts) => call('PATCH', path, body, opts);
export const del = (path, opts) => call('DELETE', path, undefined, opts);
// POST the bytes of a file (a Blob) as text/plain: the server judges
// whether it is text (a plan document).
export const postText = (path, blob, opts) =>
  call('POST', path, blob, { ...opts, type: 'text/plain; charset=utf-8' });
