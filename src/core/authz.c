/* authz.c: who may do what. The table of roles is the policy:
 *
 *   identity roles  hotline_operator, case_worker, investigator: persons
 *                   of their own unit and granted to it, with identity;
 *                   at a province unit, every person of the province,
 *                   with identity and a stated reason (case_worker and
 *                   investigator only)
 *   supervisor      the same records, pseudonymised
 *   statistician    aggregates only (issue 6), no person
 *   administrator   users and org units, no person
 *   auditor         the audit log, no person
 *   national units  aggregates only: no person by id or search; the
 *                   intakes they receive themselves (the national
 *                   hotline 111), which they refer (intake.c)
 *
 * Criminal cases have their own scope, by the justice chain of the case's
 * province: ctip_authz_case below (and its table in authz.h).
 */
#include "core/authz.h"

static const char *const role_names[] = {
	"hotline_operator", "case_worker",   "investigator",
	"procurator",       "judge",         "statistician",
	"supervisor",       "administrator", "auditor",
};

unsigned
ctip_role_bit(const char *name)
{
	size_t i;

	for (i = 0; i < CTIP_NELEM(role_names); i++)
		if (strcmp(role_names[i], name) == 0)
			return 1u << i;
	return 0;
}

const char *
ctip_role_name(unsigned bit)
{
	size_t i;

	for (i = 0; i < CTIP_NELEM(role_names); i++)
		if (bit == 1u << i)
			return role_names[i];
	return NULL;
}

unsigned
ctip_roles_parse(const char *list)
{
	char name[32];
	unsigned bits = 0;
	size_t n;

	while (*list != '\0') {
		n = strcspn(list, ",");
		if (n < sizeof(name)) {
			memcpy(name, list, n);
			name[n] = '\0';
			bits |= ctip_role_bit(name);
		}
		list += n;
		if (*list == ',')
			list++;
	}
	return bits;
}

#define IDENTITY_ROLES                                                         \
	(CTIP_ROLE_HOTLINE_OPERATOR | CTIP_ROLE_CASE_WORKER |                  \
	 CTIP_ROLE_INVESTIGATOR)
#define PROVINCE_IDENTITY_ROLES (CTIP_ROLE_CASE_WORKER | CTIP_ROLE_INVESTIGATOR)
#define READ_ROLES              (IDENTITY_ROLES | CTIP_ROLE_SUPERVISOR)
#define CASEWORK_ROLES          (CTIP_ROLE_CASE_WORKER | CTIP_ROLE_INVESTIGATOR)
#define CASE_WRITE_ROLES                                                       \
	(CTIP_ROLE_INVESTIGATOR | CTIP_ROLE_PROCURATOR | CTIP_ROLE_JUDGE)
#define CASE_READ_ROLES (CASE_WRITE_ROLES | CTIP_ROLE_SUPERVISOR)

bool
ctip_authz_can(const struct ctip_principal *p, enum ctip_perm perm)
{
	if (p->must_change_password)
		return false;
	switch (perm) {
	case CTIP_PERM_PERSON_READ:
		return (p->roles & READ_ROLES) != 0 &&
		       strcmp(p->level, "nation") != 0;
	case CTIP_PERM_PERSON_CREATE:
		return (p->roles & IDENTITY_ROLES) != 0 &&
		       strcmp(p->level, "nation") != 0;
	case CTIP_PERM_USER_ADMIN:
		return (p->roles & CTIP_ROLE_ADMINISTRATOR) != 0;
	case CTIP_PERM_AUDIT_READ:
		return (p->roles & CTIP_ROLE_AUDITOR) != 0;
	case CTIP_PERM_CASEWORK:
		return (p->roles & CASEWORK_ROLES) != 0 &&
		       strcmp(p->level, "nation") != 0;
	case CTIP_PERM_CASE_READ:
		return (p->roles & CASE_READ_ROLES) != 0;
	case CTIP_PERM_CASE_WRITE:
		return (p->roles & CASE_WRITE_ROLES) != 0;
	}
	return false;
}

bool
ctip_authz_within(const struct ctip_principal *p, const char *admin_code,
		  const char *province_code)
{
	if (strcmp(p->level, "nation") == 0)
		return true;
	if (strcmp(p->level, "province") == 0)
		return province_code != NULL &&
		       strcmp(province_code, p->province_code) == 0;
	return admin_code != NULL && strcmp(admin_code, p->admin_code) == 0;
}

bool
ctip_authz_administers(const struct ctip_principal *p,
		       const struct ctip_org_unit_row *u)
{
	return ctip_authz_can(p, CTIP_PERM_USER_ADMIN) &&
	       ctip_authz_within(p, u->admin_code, u->province_code);
}

enum ctip_status
ctip_authz_person(enum ctip_view *view, bool *needs_reason,
		  struct ctip_store *st, const struct ctip_principal *p,
		  const struct ctip_person_rec *rec, struct ctip_err *err)
{
	bool mine = rec->owner_unit_id == p->unit_id, granted = false;
	enum ctip_status rc;

	*view = CTIP_VIEW_NONE;
	*needs_reason = false;
	if (!ctip_authz_can(p, CTIP_PERM_PERSON_READ))
		return CTIP_OK;
	if (!mine) {
		rc = st->ops->access_granted(&granted, st, "person", rec->id,
					     p->unit_id, err);
		if (rc != CTIP_OK)
			return rc;
	}
	if (mine || granted) {
		*view = p->roles & IDENTITY_ROLES ? CTIP_VIEW_IDENTITY
						  : CTIP_VIEW_PSEUDONYM;
		return CTIP_OK;
	}
	if (strcmp(p->level, "province") == 0 &&
	    strcmp(p->province_code, rec->province_code) == 0) {
		if (p->roles & PROVINCE_IDENTITY_ROLES) {
			*view = CTIP_VIEW_IDENTITY;
			*needs_reason = true;
		} else {
			*view = CTIP_VIEW_PSEUDONYM;
		}
	}
	return CTIP_OK;
}

bool
ctip_authz_person_scope(struct ctip_person_scope *out,
			const struct ctip_principal *p)
{
	if (!ctip_authz_can(p, CTIP_PERM_PERSON_READ))
		return false;
	out->unit_id = p->unit_id;
	out->province_code =
		strcmp(p->level, "province") == 0 ? p->province_code : NULL;
	return true;
}

/* The agency of a province unit whose users may hold cases of the
 * province: the roles that act there. */
static unsigned
province_case_roles(const struct ctip_principal *p)
{
	if (strcmp(p->agency, "POLICE") == 0)
		return CTIP_ROLE_INVESTIGATOR | CTIP_ROLE_SUPERVISOR;
	if (strcmp(p->agency, "PROCURACY") == 0)
		return CTIP_ROLE_PROCURATOR | CTIP_ROLE_SUPERVISOR;
	if (strcmp(p->agency, "COURT") == 0)
		return CTIP_ROLE_JUDGE | CTIP_ROLE_SUPERVISOR;
	return 0;
}

void
ctip_authz_case(struct ctip_case_scope *out, const struct ctip_principal *p,
		int64_t owner_unit_id, const char *province_code)
{
	unsigned roles = p->roles & CASE_READ_ROLES;

	memset(out, 0, sizeof(*out));
	if (!ctip_authz_can(p, CTIP_PERM_CASE_READ) ||
	    strcmp(p->level, "nation") == 0)
		return;
	if (owner_unit_id != p->unit_id) {
		if (strcmp(p->level, "province") != 0 ||
		    strcmp(p->province_code, province_code) != 0)
			return;
		roles &= province_case_roles(p);
	}
	if (roles & CASE_WRITE_ROLES)
		out->view = CTIP_VIEW_IDENTITY;
	else if (roles & CTIP_ROLE_SUPERVISOR)
		out->view = CTIP_VIEW_PSEUDONYM;
	out->investigate = (roles & CTIP_ROLE_INVESTIGATOR) != 0;
	out->prosecute = (roles & CTIP_ROLE_PROCURATOR) != 0;
	out->adjudicate = (roles & CTIP_ROLE_JUDGE) != 0;
}

const char *
ctip_authz_case_province(const struct ctip_principal *p)
{
	if (!ctip_authz_can(p, CTIP_PERM_CASE_READ) ||
	    strcmp(p->level, "nation") == 0)
		return NULL;
	if (strcmp(p->level, "province") == 0 &&
	    (p->roles & province_case_roles(p)) != 0)
		return p->province_code;
	return "";
}
