/* routes_session.c: signing in and out, and changing one's password. */
#include "http/routes.h"
#include "core/auth.h"

#include <sodium.h>

/* {"user": User, "csrf_token"} for the signed-in principal p. */
static json_t *
session_json(const struct ctip_principal *p)
{
	json_t *roles = json_array();
	unsigned bit;

	for (bit = 1; bit != 0 && bit <= CTIP_ROLE_AUDITOR; bit <<= 1)
		if (p->roles & bit)
			json_array_append_new(roles,
					      json_string(ctip_role_name(bit)));
	return json_pack(
		"{s:{s:I, s:s, s:s, s:o, s:{s:I, s:s, s:s, s:s, s:s, s:s?}, "
		"s:b}, s:s}",
		"user", "id", (json_int_t)p->user_id, "username", p->username,
		"display_name", p->display_name, "roles", roles, "org_unit",
		"id", (json_int_t)p->unit_id, "name", p->unit_name, "agency",
		p->agency, "admin_code", p->admin_code, "level", p->level,
		"province_code", p->province_code[0] ? p->province_code : NULL,
		"must_change_password", p->must_change_password, "csrf_token",
		p->csrf);
}

/* POST /api/session {"username","password"}: sign in; 401 alike for a
 * wrong name or password and a locked or disabled account, 429
 * too_many_attempts when the address failed too often. */
void
ctip_h_session_create(struct ctip_req *req, struct ctip_resp *resp)
{
	char token[CTIP_TOKEN_LEN + 1];
	struct ctip_principal p;
	struct ctip_err err = { 0 };
	const char *user, *pass;
	json_t *body = ctip_req_json(req, resp);

	if (body == NULL)
		return;
	if (!ctip_json_str(&user, body, "username", resp) ||
	    !ctip_json_str(&pass, body, "password", resp))
		goto out;
	if (user == NULL || user[0] == '\0') {
		ctip_resp_problem(resp, CTIP_EINVAL, "username",
				  "username: required");
		goto out;
	}
	if (pass == NULL || pass[0] == '\0') {
		ctip_resp_problem(resp, CTIP_EINVAL, "password",
				  "password: required");
		goto out;
	}
	if (ctip_auth_login(&p, token, req->store, req->access.kr, user, pass,
			    req->ip, &err) != CTIP_OK) {
		ctip_resp_err(resp, &err);
		goto out;
	}
	ctip_resp_session_cookie(req, resp, token);
	ctip_resp_json(resp, 200, session_json(&p));
	sodium_memzero(token, sizeof(token));
	sodium_memzero(&p, sizeof(p));
out:
	json_decref(body);
}

/* GET /api/session: who is signed in, and the CSRF token. */
void
ctip_h_session_get(struct ctip_req *req, struct ctip_resp *resp)
{
	ctip_resp_json(resp, 200, session_json(req->who));
}

/* DELETE /api/session: sign out. */
void
ctip_h_session_delete(struct ctip_req *req, struct ctip_resp *resp)
{
	struct ctip_err err = { 0 };

	if (req->who->via_token) {
		ctip_resp_problem(resp, CTIP_EINVAL, NULL,
				  "API tokens have no session to end");
		return;
	}
	if (ctip_auth_logout(req->store, req->access.kr, req->who, &err) !=
	    CTIP_OK) {
		ctip_resp_err(resp, &err);
		return;
	}
	ctip_resp_session_cookie(req, resp, NULL);
	resp->status = 204;
}

/* POST /api/session/password {"current_password","new_password"}: 204;
 * 400 naming the field; 401 naming current_password when this wrong
 * password locked the account and ended its sessions (the cookie is
 * cleared); 429 locked while the account is locked. */
void
ctip_h_session_password(struct ctip_req *req, struct ctip_resp *resp)
{
	struct ctip_principal p = *req->who;
	struct ctip_err err = { 0 };
	const char *cur, *next;
	json_t *body = ctip_req_json(req, resp);

	if (body == NULL)
		return;
	if (!ctip_json_str(&cur, body, "current_password", resp) ||
	    !ctip_json_str(&next, body, "new_password", resp))
		goto out;
	if (cur == NULL || next == NULL) {
		ctip_resp_problem(
			resp, CTIP_EINVAL,
			cur == NULL ? "current_password" : "new_password",
			"%s: required",
			cur == NULL ? "current_password" : "new_password");
		goto out;
	}
	if (ctip_auth_change_password(req->store, req->access.kr, &p, cur, next,
				      &err) != CTIP_OK) {
		ctip_resp_err(resp, &err);
		if (err.code == CTIP_EAUTH && !p.via_token)
			ctip_resp_session_cookie(req, resp, NULL);
		goto out;
	}
	resp->status = 204;
out:
	sodium_memzero(&p, sizeof(p));
	json_decref(body);
}
