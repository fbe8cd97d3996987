/* authz.h: who may do what, in one place. Every handler asks here before
 * it reads or writes. */
#ifndef CTIP_AUTHZ_H
#define CTIP_AUTHZ_H

#include "store/store.h"

/* Roles, as bits of struct ctip_principal.roles. */
enum ctip_role {
	CTIP_ROLE_HOTLINE_OPERATOR = 1 << 0,
	CTIP_ROLE_CASE_WORKER = 1 << 1,
	CTIP_ROLE_INVESTIGATOR = 1 << 2,
	CTIP_ROLE_PROCURATOR = 1 << 3,
	CTIP_ROLE_JUDGE = 1 << 4,
	CTIP_ROLE_STATISTICIAN = 1 << 5,
	CTIP_ROLE_SUPERVISOR = 1 << 6,
	CTIP_ROLE_ADMINISTRATOR = 1 << 7,
	CTIP_ROLE_AUDITOR = 1 << 8,
};

/* The signed-in user a request acts for. */
struct ctip_principal {
	int64_t user_id;
	char username[65];
	char display_name[256];
	unsigned roles; /* enum ctip_role bits */
	bool must_change_password;
	bool via_token; /* API token: no cookie, no CSRF */
	int64_t unit_id;
	char unit_name[256];
	char agency[32];
	char admin_code[8];
	char level[12];        /* nation, province, commune */
	char province_code[4]; /* "" for the nation */
	char ip[64];           /* where the request came from */
	char csrf[48];         /* the session's CSRF token */
	unsigned char session_hash[32];
};

/* Actions that depend on the role only. */
enum ctip_perm {
	CTIP_PERM_PERSON_READ,   /* see persons (identity or pseudonymised) */
	CTIP_PERM_PERSON_CREATE, /* register a person */
	CTIP_PERM_USER_ADMIN,    /* manage users and org units */
	CTIP_PERM_AUDIT_READ,    /* browse the audit log */
	CTIP_PERM_CASEWORK,      /* record a person's process, consents,
				    support, protection and follow-ups */
	CTIP_PERM_CASE_READ,     /* see criminal cases */
	CTIP_PERM_CASE_WRITE,    /* open cases, move their stages */
};

/* How a principal may see one record. */
enum ctip_view {
	CTIP_VIEW_NONE,      /* not at all: answer 404 */
	CTIP_VIEW_PSEUDONYM, /* without identity fields */
	CTIP_VIEW_IDENTITY,  /* everything */
};

/* Role bit of a role name, 0 if unknown; and the name of a bit. */
unsigned ctip_role_bit(const char *name);
const char *ctip_role_name(unsigned bit);

/* Parse a comma-separated role list into bits. */
unsigned ctip_roles_parse(const char *list);

/* Whether p's roles allow perm (regardless of any record). */
bool ctip_authz_can(const struct ctip_principal *p, enum ctip_perm perm);

/*
 * Whether the place admin_code (province_code: its province, NULL for the
 * nation) lies within p's unit's own place: all for a national unit, the
 * province's own places for a province unit, the commune itself for a
 * commune unit. What a unit sees of other units' plan progress, and what
 * an administrator administers.
 */
bool ctip_authz_within(const struct ctip_principal *p, const char *admin_code,
		       const char *province_code);

/*
 * Whether administrator p administers org unit u: a national unit's
 * administrators every unit, a province unit's the units of its province,
 * a commune unit's those of its commune. Accounts are managed only within
 * it, so an administrator cannot give itself a way into another place's
 * records. False unless p has CTIP_PERM_USER_ADMIN.
 */
bool ctip_authz_administers(const struct ctip_principal *p,
			    const struct ctip_org_unit_row *u);

/*
 * How p may see person rec: *view, and *needs_reason when the access
 * comes from p's province-level scope rather than p's own unit or a
 * grant (a reason must then be given and audited).
 */
CTIP_MUST_CHECK enum ctip_status
ctip_authz_person(enum ctip_view *view, bool *needs_reason,
		  struct ctip_store *st, const struct ctip_principal *p,
		  const struct ctip_person_rec *rec, struct ctip_err *err);

/* The scope of p's person searches; false when p may search none. */
bool ctip_authz_person_scope(struct ctip_person_scope *out,
			     const struct ctip_principal *p);

/* What p may do with one criminal case (see ctip_authz_case). */
struct ctip_case_scope {
	enum ctip_view view; /* NONE: 404; PSEUDONYM: no sealed field */
	bool investigate;    /* lead to solved, edit, offenders, victims */
	bool prosecute;      /* solved to indicted; suspend or close then */
	bool adjudicate;     /* indicted to tried to verdict */
};

/*
 * The case scope, by the owning unit and the province of the case:
 *   the owning unit          investigators see everything and
 *                            investigate; its procurators prosecute,
 *                            its judges adjudicate; supervisors see it
 *                            pseudonymised (no title, notes, offender
 *                            identity)
 *   province police units    the same for the province's cases
 *   province procuracy       procurators see everything and prosecute;
 *                            supervisors pseudonymised
 *   province court           judges see everything and adjudicate;
 *                            supervisors pseudonymised
 *   anyone else, national    nothing (404): national units see case
 *   units included           aggregates only
 */
void ctip_authz_case(struct ctip_case_scope *out,
		     const struct ctip_principal *p, int64_t owner_unit_id,
		     const char *province_code);

/* The province whose cases p may list as a province unit ("" when p
 * lists only its own unit's, NULL when p may list none). */
const char *ctip_authz_case_province(const struct ctip_principal *p);

#endif
