// api.js: JSON calls to the ctip API. Errors become ApiError carrying the
// problem's stable code, shown to people through i18n ("error.<code>").
export class ApiError extends Error {
  constructor(status, code, message, field) {
    super(message);
    this.status = status;
    this.code = code;
    this.field = field;
  }
}

export async function get(path) {
  let r;
  try {
    r = await fetch(path, { headers: { Accept: 'application/json' } });
  } catch {
    throw new ApiError(0, 'network', 'network error');
  }
  const body = await r.json().catch(() => ({}));
  if (!r.ok) throw new ApiError(r.status, body.code ?? 'internal', body.message ?? '', body.field);
  return body;
}
