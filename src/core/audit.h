/* audit.h: the append-only, hash-chained audit log. Each row's mac is a
 * keyed BLAKE2b of the previous row's mac, its own id and fields: a row
 * changed, removed or inserted anywhere breaks the chain from there on,
 * and without the key file the chain cannot be recomputed. */
#ifndef CTIP_AUDIT_H
#define CTIP_AUDIT_H

#include "core/authz.h"
#include "util/crypto.h"

/* What happened, to what, for whom. Strings are borrowed. */
struct ctip_audit_event {
	const struct ctip_principal *who; /* NULL: system or unknown user */
	const char *username; /* when who is NULL (e.g. a failed login) */
	const char *action;   /* "person.read", "session.login", ... */
	const char *object_type;
	const char *object_id;
	const char *reason;  /* NULL when none */
	const char *outcome; /* "ok", "denied", "failed", "locked" */
	const char *ip;      /* when who is NULL */
};

/*
 * Append ev to the log inside the caller's write transaction (begun with
 * st->ops->begin), so the entry commits or rolls back with the change it
 * records.
 */
CTIP_MUST_CHECK enum ctip_status
ctip_audit_append(struct ctip_store *st, const struct ctip_keyring *kr,
		  const struct ctip_audit_event *ev, struct ctip_err *err);

/* Append "p did action to object_type id" (reason: why, or NULL) inside
 * the caller's write transaction, as ctip_audit_append. */
CTIP_MUST_CHECK enum ctip_status
ctip_audit_change(struct ctip_store *st, const struct ctip_keyring *kr,
		  const struct ctip_principal *p, const char *action,
		  const char *object_type, int64_t id, const char *reason,
		  struct ctip_err *err);

/* Append ev in a transaction of its own. */
CTIP_MUST_CHECK enum ctip_status
ctip_audit_write(struct ctip_store *st, const struct ctip_keyring *kr,
		 const struct ctip_audit_event *ev, struct ctip_err *err);

/* End the caller's write transaction, whose change so far returned rc:
 * if it is CTIP_OK, append ev and commit; on any failure roll back.
 * Returns the first failure. */
CTIP_MUST_CHECK enum ctip_status
ctip_audit_commit(struct ctip_store *st, const struct ctip_keyring *kr,
		  const struct ctip_audit_event *ev, enum ctip_status rc,
		  struct ctip_err *err);

/*
 * Walk the whole log: *n_rows = rows checked, *bad_id = the first row
 * whose mac, id sequence or predecessor does not match (0 when intact).
 */
CTIP_MUST_CHECK enum ctip_status
ctip_audit_verify(int64_t *bad_id, long *n_rows, struct ctip_store *st,
		  const struct ctip_keyring *kr, struct ctip_err *err);

/*
 * Group commit for reads. A server answers many reads of identified data
 * at once; each must be in the log before its answer leaves, but one
 * transaction (and fsync) per read would cap the server at the disk's
 * commit rate. A writer thread writes all entries waiting in one
 * transaction, then tells each submitter.
 */
struct ctip_auditq;

/* Log the n events ev[0..n) and return once they are committed: through
 * the queue q (a server's), or, with q NULL, in a transaction of their
 * own (CLI, tests). */
CTIP_MUST_CHECK enum ctip_status
ctip_audit_log(struct ctip_auditq *q, struct ctip_store *st,
	       const struct ctip_keyring *kr, const struct ctip_audit_event *ev,
	       int n, struct ctip_err *err);

/* Log ev, a read refused as rc (its outcome set to "denied"), as
 * ctip_audit_log does, and return rc with err as the caller set it; or the
 * log's own failure. So that probing leaves a trace. */
CTIP_MUST_CHECK enum ctip_status
ctip_audit_refusal(struct ctip_auditq *q, struct ctip_store *st,
		   const struct ctip_keyring *kr, struct ctip_audit_event *ev,
		   enum ctip_status rc, struct ctip_err *err);

/* Log that p was refused action on object_type id, a write naming a
 * record that is missing or outside p's scope (rc CTIP_ENOTFOUND), as
 * ctip_audit_refusal does; outside any write transaction. */
CTIP_MUST_CHECK enum ctip_status
ctip_audit_denied(struct ctip_auditq *q, struct ctip_store *st,
		  const struct ctip_keyring *kr, const struct ctip_principal *p,
		  const char *action, const char *object_type, int64_t id,
		  enum ctip_status rc, struct ctip_err *err);

/* Called on the writer thread once the entry is committed (rc CTIP_OK)
 * or failed; must not block for long. */
typedef void (*ctip_audit_done_fn)(void *arg, enum ctip_status rc,
				   const struct ctip_err *err);

CTIP_MUST_CHECK enum ctip_status
ctip_auditq_start(struct ctip_auditq **out, const char *db_url,
		  const struct ctip_keyring *kr, struct ctip_err *err);

/* Queue ev (copied); done(arg, ...) follows once it is written. A server
 * suspends the request meanwhile instead of holding a thread. */
CTIP_MUST_CHECK enum ctip_status
ctip_auditq_submit(struct ctip_auditq *q, const struct ctip_audit_event *ev,
		   ctip_audit_done_fn done, void *arg, struct ctip_err *err);

/* Log the n events ev[0..n) and wait until they are all committed (or
 * one failed: then the caller must not release the data it was about
 * to). */
CTIP_MUST_CHECK enum ctip_status
ctip_auditq_log(struct ctip_auditq *q, const struct ctip_audit_event *ev, int n,
		struct ctip_err *err);

/* Write what is queued (calling its submitters back) and stop the
 * writer; later submissions fail. The queue stays allocated, so a late
 * submitter gets an error, not freed memory. */
void ctip_auditq_close(struct ctip_auditq *q);

/* Close if still open, and free. No submitter may be left (stop the
 * server's workers first). */
void ctip_auditq_stop(struct ctip_auditq *q);

#endif
