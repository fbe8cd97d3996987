/* routes_admin.c: users and org units, for administrators. */
#include "http/routes.h"
#include "core/auth.h"
#include "core/org.h"
#include "core/person.h"

static json_t *
user_json(const struct ctip_user_row *u)
{
	json_t *roles = json_array();
	const char *r = u->roles;
	size_t n;

	while (*r != '\0') {
		n = strcspn(r, ",");
		json_array_append_new(roles, json_stringn(r, n));
		r += n + (r[n] == ',');
	}
	return json_pack("{s:I, s:s, s:s, s:I, s:o, s:b, s:b}", "id",
			 (json_int_t)u->id, "username", u->username,
			 "display_name", u->display_name, "org_unit_id",
			 (json_int_t)u->org_unit_id, "roles", roles,
			 "must_change_password", u->must_change_password,
			 "disabled", u->disabled);
}

/* GET /api/org-units */
void
ctip_h_org_units(struct ctip_req *req, struct ctip_resp *resp)
{
	struct ctip_org_unit_row *units;
	struct ctip_err err = { 0 };
	json_t *items;
	int n, i;

	if (!ctip_require(req, resp, CTIP_PERM_USER_ADMIN))
		return;
	if (req->store->ops->org_unit_list(&units, &n, req->store, req->arena,
					   &err) != CTIP_OK) {
		ctip_resp_err(resp, &err);
		return;
	}
	items = json_array();
	for (i = 0; i < n; i++)
		if (ctip_authz_administers(req->who, &units[i]))
			json_array_append_new(items,
					      ctip_json_org_unit(&units[i]));
	ctip_resp_json(resp, 200, json_pack("{s:o}", "items", items));
}

/* POST /api/org-units {"agency","admin_code"} */
void
ctip_h_org_unit_create(struct ctip_req *req, struct ctip_resp *resp)
{
	struct ctip_audit_event ev = { .who = req->who,
				       .action = "org_unit.create",
				       .object_type = "org_unit" };
	struct ctip_org_unit_row o;
	struct ctip_admin_unit au;
	struct ctip_err err = { 0 };
	const char *agency, *admin;
	char now[24], id[24];
	int64_t unit;
	enum ctip_status rc;
	json_t *body;

	if (!ctip_require(req, resp, CTIP_PERM_USER_ADMIN) ||
	    (body = ctip_req_json(req, resp)) == NULL)
		return;
	if (!ctip_json_str(&agency, body, "agency", resp) ||
	    !ctip_json_str(&admin, body, "admin_code", resp))
		goto out;
	if (agency == NULL || admin == NULL) {
		ctip_resp_problem(resp, CTIP_EINVAL,
				  agency == NULL ? "agency" : "admin_code",
				  "%s: required",
				  agency == NULL ? "agency" : "admin_code");
		goto out;
	}
	/* Within the administrator's place, checked before anything is
	 * written (an unknown code is ctip_org_ensure's to refuse). */
	rc = req->store->ops->admin_unit_get(&au, req->store, admin, req->arena,
					     &err);
	if (rc == CTIP_OK &&
	    !ctip_authz_within(req->who, admin,
			       strcmp(au.level, "province") == 0
				       ? au.code
				       : au.province_code)) {
		ctip_resp_problem(resp, CTIP_EFORBIDDEN, "admin_code",
				  "admin_code: %s is outside your "
				  "administration",
				  admin);
		goto out;
	}
	ctip_now(now);
	rc = req->store->ops->begin(req->store, &err);
	if (rc == CTIP_OK)
		rc = ctip_org_add(&unit, req->store, agency, admin, now, &err);
	if (rc == CTIP_OK) {
		snprintf(id, sizeof(id), "%lld", (long long)unit);
		ev.object_id = id;
		rc = ctip_audit_append(req->store, req->access.kr, &ev, &err);
	}
	if (rc == CTIP_OK)
		rc = req->store->ops->commit(req->store, &err);
	if (rc != CTIP_OK)
		req->store->ops->rollback(req->store);
	if (rc == CTIP_OK)
		rc = req->store->ops->org_unit_get(&o, req->store, unit,
						   req->arena, &err);
	if (rc != CTIP_OK)
		ctip_resp_err(resp, &err);
	else
		ctip_resp_json(resp, 201, ctip_json_org_unit(&o));
out:
	json_decref(body);
}

static int
unit_cmp(const void *a, const void *b)
{
	int64_t x = ((const struct ctip_org_unit_row *)a)->id;
	int64_t y = ((const struct ctip_org_unit_row *)b)->id;

	return (x > y) - (x < y);
}

/* GET /api/users */
void
ctip_h_users(struct ctip_req *req, struct ctip_resp *resp)
{
	struct ctip_org_unit_row *units, *u, key = { 0 };
	struct ctip_user_row *users;
	struct ctip_err err = { 0 };
	json_t *items;
	int n, n_units, i;

	if (!ctip_require(req, resp, CTIP_PERM_USER_ADMIN))
		return;
	if (req->store->ops->user_list(&users, &n, req->store, req->arena,
				       &err) != CTIP_OK ||
	    req->store->ops->org_unit_list(&units, &n_units, req->store,
					   req->arena, &err) != CTIP_OK) {
		ctip_resp_err(resp, &err);
		return;
	}
	/* The accounts of the units the administrator administers. */
	qsort(units, (size_t)n_units, sizeof(*units), unit_cmp);
	items = json_array();
	for (i = 0; i < n; i++) {
		key.id = users[i].org_unit_id;
		u = bsearch(&key, units, (size_t)n_units, sizeof(*units),
			    unit_cmp);
		if (u != NULL && ctip_authz_administers(req->who, u))
			json_array_append_new(items, user_json(&users[i]));
	}
	ctip_resp_json(resp, 200, json_pack("{s:o}", "items", items));
}

/* POST /api/users {"username","display_name","org_unit_id","roles":[]} */
void
ctip_h_user_create(struct ctip_req *req, struct ctip_resp *resp)
{
	char password[CTIP_PASSWORD_GEN_LEN + 1];
	const char *roles[16], *name, *display;
	struct ctip_user_row u;
	struct ctip_err err = { 0 };
	json_t *body, *jr, *v;
	int64_t unit, id;
	size_t i;

	if (!ctip_require(req, resp, CTIP_PERM_USER_ADMIN) ||
	    (body = ctip_req_json(req, resp)) == NULL)
		return;
	if (!ctip_json_str(&name, body, "username", resp) ||
	    !ctip_json_str(&display, body, "display_name", resp))
		goto out;
	v = json_object_get(body, "org_unit_id");
	unit = json_is_integer(v) ? (int64_t)json_integer_value(v) : 0;
	jr = json_object_get(body, "roles");
	if (name == NULL || display == NULL) {
		ctip_resp_problem(resp, CTIP_EINVAL,
				  name == NULL ? "username" : "display_name",
				  "%s: required",
				  name == NULL ? "username" : "display_name");
		goto out;
	}
	if (unit <= 0) {
		ctip_resp_problem(resp, CTIP_EINVAL, "org_unit_id",
				  "org_unit_id: a unit id is required");
		goto out;
	}
	if (!json_is_array(jr) || json_array_size(jr) == 0 ||
	    json_array_size(jr) >= CTIP_NELEM(roles)) {
		ctip_resp_problem(resp, CTIP_EINVAL, "roles",
				  "roles: a list of 1 to %zu roles",
				  CTIP_NELEM(roles) - 1);
		goto out;
	}
	json_array_foreach(jr, i, v)
	{
		if (!json_is_string(v)) {
			ctip_resp_problem(resp, CTIP_EINVAL, "roles",
					  "roles: must be strings");
			goto out;
		}
		roles[i] = json_string_value(v);
	}
	roles[i] = NULL;
	if (req->store->ops->org_unit_get(&(struct ctip_org_unit_row){ 0 },
					  req->store, unit, req->arena,
					  &err) != CTIP_OK) {
		ctip_resp_problem(resp, CTIP_EINVAL, "org_unit_id",
				  "org_unit_id: no such unit");
		goto out;
	}
	if (ctip_account_create(&id, password, req->store, req->access.kr,
				req->who, name, display, unit, roles,
				&err) != CTIP_OK ||
	    req->store->ops->user_get(&u, req->store, id, req->arena, &err) !=
		    CTIP_OK) {
		ctip_resp_err(resp, &err);
		goto out;
	}
	ctip_resp_json(resp, 201,
		       json_pack("{s:o, s:s}", "user", user_json(&u),
				 "password", password));
out:
	json_decref(body);
}

/* POST /api/users/{id}/disable */
void
ctip_h_user_disable(struct ctip_req *req, struct ctip_resp *resp)
{
	struct ctip_user_row u;
	struct ctip_err err = { 0 };
	int64_t id;

	if (!ctip_require(req, resp, CTIP_PERM_USER_ADMIN) ||
	    (id = ctip_req_id(req, resp, 0)) == 0)
		return;
	if (id == req->who->user_id) {
		ctip_resp_problem(resp, CTIP_EINVAL, NULL,
				  "you cannot disable your own account");
		return;
	}
	if (ctip_account_disable(req->store, req->access.kr, req->who, id,
				 &err) != CTIP_OK ||
	    req->store->ops->user_get(&u, req->store, id, req->arena, &err) !=
		    CTIP_OK) {
		ctip_resp_err(resp, &err);
		return;
	}
	ctip_resp_json(resp, 200, user_json(&u));
}

/* POST /api/users/{id}/reset-password */
void
ctip_h_user_reset(struct ctip_req *req, struct ctip_resp *resp)
{
	char password[CTIP_PASSWORD_GEN_LEN + 1];
	struct ctip_err err = { 0 };
	int64_t id;

	if (!ctip_require(req, resp, CTIP_PERM_USER_ADMIN) ||
	    (id = ctip_req_id(req, resp, 0)) == 0)
		return;
	if (ctip_account_reset_password(password, req->store, req->access.kr,
					req->who, id, &err) != CTIP_OK) {
		ctip_resp_err(resp, &err);
		return;
	}
	ctip_resp_json(resp, 200, json_pack("{s:s}", "password", password));
}
