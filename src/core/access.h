/* access.h: reading and registering persons on behalf of a signed-in
 * user: authorization first, the audit entry before any identity leaves,
 * decryption last. */
#ifndef CTIP_ACCESS_H
#define CTIP_ACCESS_H

#include "core/audit.h"
#include "core/person.h"

/* A person as a user may see it. Strings live in the caller's arena. */
struct ctip_person_view {
	struct ctip_person_rec rec; /* sealed fields cleared */
	enum ctip_view view;
	char pseudonym[16]; /* "P-" and 12 hex digits, stable per person */
	/* identity: set only for CTIP_VIEW_IDENTITY */
	const char *full_name, *citizen_id, *phone, *address, *contacts;
};

/* Where audit entries of reads go: a server's queue, or NULL to write
 * each in a transaction of its own (CLI, tests). */
struct ctip_access {
	struct ctip_store *st;
	const struct ctip_keyring *kr;
	struct ctip_auditq *q;
};

/*
 * Person id as p may see it. CTIP_EFORBIDDEN when p's role may not read
 * persons at all; CTIP_ENOTFOUND when it does not exist or is outside p's
 * scope (the same answer: no existence leak); CTIP_EREASON
 * when the access needs a reason and reason is NULL or blank. An identity
 * view is audited ("person.read") before it is decrypted.
 */
CTIP_MUST_CHECK enum ctip_status
ctip_person_read(struct ctip_person_view *out, const struct ctip_access *ax,
		 const struct ctip_principal *p, int64_t id, const char *reason,
		 struct ctip_arena *a, struct ctip_err *err);

/*
 * The two halves of ctip_person_read, for a server that waits for the
 * audit entry without holding a thread: ctip_person_authorize checks
 * everything and says whether an entry must be logged (pp->audit, with
 * ctip_person_audit_event); only after that entry is committed may
 * ctip_person_release decrypt. A refusal as missing (or outside the
 * scope) comes with pp->audit set too, for a read by id to log (outcome
 * "denied"; ctip_person_read does). pp lives in the caller's arena.
 */
struct ctip_person_pending {
	struct ctip_person_rec rec;
	enum ctip_view view;
	bool audit;  /* log an entry before releasing, or before refusing */
	bool denied; /* the read is refused (missing or hidden) */
	const char *reason; /* to log, or NULL */
	char object_id[24];
};

CTIP_MUST_CHECK enum ctip_status ctip_person_authorize(
	struct ctip_person_pending *pp, const struct ctip_access *ax,
	const struct ctip_principal *p, int64_t id, const char *reason,
	struct ctip_arena *a, struct ctip_err *err);

/*
 * Person id into rec (strings in a) if p may change its record: p sees
 * its identity through p's own unit or a grant (not through province
 * scope). CTIP_ENOTFOUND, in the same words as for a missing id, when p
 * may not see it at all; CTIP_EFORBIDDEN when p sees it otherwise.
 */
CTIP_MUST_CHECK enum ctip_status
ctip_person_writable(struct ctip_person_rec *rec, const struct ctip_access *ax,
		     const struct ctip_principal *p, int64_t id,
		     struct ctip_arena *a, struct ctip_err *err);

/* Whether p, authorized as pp, may change the person's record (casework):
 * a casework role seeing its identity through p's own unit or a grant. */
bool ctip_person_may_change(const struct ctip_principal *p,
			    const struct ctip_person_pending *pp);

/* The pseudonym of person id ("P-" and 12 hex digits), as in its views. */
void ctip_person_pseudonym(char out[16], const struct ctip_keyring *kr,
			   int64_t id);

/* The entry to log for pp (borrows from pp and p). */
void ctip_person_audit_event(struct ctip_audit_event *ev,
			     const struct ctip_person_pending *pp,
			     const struct ctip_principal *p);

CTIP_MUST_CHECK enum ctip_status
ctip_person_release(struct ctip_person_view *out, const struct ctip_keyring *kr,
		    const struct ctip_person_pending *pp, struct ctip_arena *a,
		    struct ctip_err *err);

/* A search: words of a name (with or without diacritics), citizen ID or
 * phone; NULL or "" for unused criteria. */
struct ctip_person_search {
	const char *name;
	const char *citizen_id;
	const char *phone;
	/* and criteria of the record, NULL or "" when unused */
	const char *commune, *status, *role, *purpose, *destination;
	bool verify_overdue; /* verification due date passed */
	const char *reason;  /* to see identities outside the own unit */
	int limit;           /* 1..200 */
};

/*
 * Persons matching s within p's scope, newest first. Results reached only
 * through p's province scope are pseudonymised unless s->reason is given.
 * A search by name, citizen ID or phone returns only persons whose identity
 * p may see (with the reason, if one is needed). Every identity returned
 * is audited ("person.search"). CTIP_EFORBIDDEN if p may not read persons
 * at all.
 */
CTIP_MUST_CHECK enum ctip_status
ctip_person_find(struct ctip_person_view **out, int *n_out,
		 const struct ctip_access *ax, const struct ctip_principal *p,
		 const struct ctip_person_search *s, struct ctip_arena *a,
		 struct ctip_err *err);

/*
 * Persons p sees with identity without a reason (its unit's, and those
 * referred to it) who may be the one in about to be registered: the same
 * citizen ID, or the same name with a birth year within a year and the
 * same commune (either unknown matches). Each is audited as a
 * person.search. Pseudonymised views: the registrar opens a candidate
 * (audited) to compare.
 */
CTIP_MUST_CHECK enum ctip_status ctip_person_duplicates(
	struct ctip_person_view **out, int *n_out, const struct ctip_access *ax,
	const struct ctip_principal *p, const struct ctip_person_input *in,
	struct ctip_arena *a, struct ctip_err *err);

/* Record the first step of person id's process, its reception by p, in
 * the caller's transaction (registration does; so must any other way of
 * registering a person on behalf of a user). */
CTIP_MUST_CHECK enum ctip_status
ctip_person_record_reception(struct ctip_store *st,
			     const struct ctip_principal *p, int64_t id,
			     const char *now, struct ctip_err *err);

/* Register a person owned by p's unit, audited ("person.create") in the
 * same transaction. CTIP_EFORBIDDEN if p's role may not. An accompanying
 * minor's adult must be in p's own unit or granted to it; the minor is
 * linked to the intakes the adult was registered from. */
CTIP_MUST_CHECK enum ctip_status
ctip_person_register(int64_t *out, const struct ctip_access *ax,
		     const struct ctip_principal *p,
		     struct ctip_person_input *in, struct ctip_err *err);

#endif
