/* audit.c: the hash-chained audit log and its group-commit queue. */
#include "core/audit.h"
#include "core/person.h"

#include <pthread.h>
#include <sodium.h>

/* The chain's key: derived from the index key, which key rotation keeps. */
static void
chain_key(unsigned char key[32], const struct ctip_keyring *kr)
{
	static const char label[] = "ctip audit chain v1";

	crypto_generichash(key, 32, (const unsigned char *)label,
			   sizeof(label) - 1, kr->index_key, CTIP_KEY_BYTES);
}

static void
mac_field(crypto_generichash_state *h, const char *s)
{
	unsigned char len[4];
	size_t n = s ? strlen(s) : 0;

	len[0] = (unsigned char)(n >> 24);
	len[1] = (unsigned char)(n >> 16);
	len[2] = (unsigned char)(n >> 8);
	len[3] = (unsigned char)n;
	crypto_generichash_update(h, len, 4);
	if (n > 0)
		crypto_generichash_update(h, (const unsigned char *)s, n);
}

/* mac of row r after the row whose mac was prev. */
static void
row_mac(unsigned char out[32], const unsigned char key[32],
	const unsigned char prev[32], const struct ctip_audit_row *r)
{
	crypto_generichash_state h;
	char num[3][24];

	snprintf(num[0], sizeof(num[0]), "%lld", (long long)r->id);
	snprintf(num[1], sizeof(num[1]), "%lld", (long long)r->user_id);
	snprintf(num[2], sizeof(num[2]), "%lld", (long long)r->org_unit_id);
	crypto_generichash_init(&h, key, 32, 32);
	crypto_generichash_update(&h, prev, 32);
	mac_field(&h, num[0]);
	mac_field(&h, r->at);
	mac_field(&h, num[1]);
	mac_field(&h, r->username);
	mac_field(&h, num[2]);
	mac_field(&h, r->action);
	mac_field(&h, r->object_type);
	mac_field(&h, r->object_id);
	mac_field(&h, r->ip);
	mac_field(&h, r->reason);
	mac_field(&h, r->outcome);
	crypto_generichash_final(&h, out, 32);
}

/* Append ev after the row (*last, prev); both then describe the new row. */
static enum ctip_status
append_after(struct ctip_store *st, const unsigned char key[32], int64_t *last,
	     unsigned char prev[32], const struct ctip_audit_event *ev,
	     struct ctip_err *err)
{
	struct ctip_audit_row r;
	char now[24];
	enum ctip_status rc;

	memset(&r, 0, sizeof(r));
	ctip_now(now);
	r.id = *last + 1;
	r.at = now;
	r.user_id = ev->who ? ev->who->user_id : 0;
	r.username = ev->who ? ev->who->username
			     : (ev->username ? ev->username : "");
	r.org_unit_id = ev->who ? ev->who->unit_id : 0;
	r.action = ev->action;
	r.object_type = ev->object_type;
	r.object_id = ev->object_id ? ev->object_id : "";
	r.ip = ev->who ? ev->who->ip : (ev->ip ? ev->ip : "");
	r.reason = ev->reason ? ev->reason : "";
	r.outcome = ev->outcome ? ev->outcome : "ok";
	row_mac(r.mac, key, prev, &r);
	if ((rc = st->ops->audit_insert(st, &r, err)) == CTIP_OK) {
		*last = r.id;
		memcpy(prev, r.mac, 32);
	}
	return rc;
}

enum ctip_status
ctip_audit_append(struct ctip_store *st, const struct ctip_keyring *kr,
		  const struct ctip_audit_event *ev, struct ctip_err *err)
{
	unsigned char key[32], prev[32];
	enum ctip_status rc;
	int64_t last;

	if ((rc = st->ops->audit_last(&last, prev, st, err)) != CTIP_OK)
		return rc;
	chain_key(key, kr);
	rc = append_after(st, key, &last, prev, ev, err);
	sodium_memzero(key, sizeof(key));
	return rc;
}

enum ctip_status
ctip_audit_write(struct ctip_store *st, const struct ctip_keyring *kr,
		 const struct ctip_audit_event *ev, struct ctip_err *err)
{
	enum ctip_status rc;

	if ((rc = st->ops->begin(st, err)) != CTIP_OK)
		return rc;
	return ctip_audit_commit(st, kr, ev, CTIP_OK, err);
}

enum ctip_status
ctip_audit_commit(struct ctip_store *st, const struct ctip_keyring *kr,
		  const struct ctip_audit_event *ev, enum ctip_status rc,
		  struct ctip_err *err)
{
	if (rc == CTIP_OK)
		rc = ctip_audit_append(st, kr, ev, err);
	if (rc == CTIP_OK)
		rc = st->ops->commit(st, err);
	if (rc != CTIP_OK)
		st->ops->rollback(st);
	return rc;
}

enum ctip_status
ctip_audit_log(struct ctip_auditq *q, struct ctip_store *st,
	       const struct ctip_keyring *kr, const struct ctip_audit_event *ev,
	       int n, struct ctip_err *err)
{
	enum ctip_status rc;
	int i;

	if (q != NULL)
		return ctip_auditq_log(q, ev, n, err);
	if ((rc = st->ops->begin(st, err)) != CTIP_OK)
		return rc;
	for (i = 0; i < n && rc == CTIP_OK; i++)
		rc = ctip_audit_append(st, kr, &ev[i], err);
	if (rc == CTIP_OK)
		rc = st->ops->commit(st, err);
	if (rc != CTIP_OK)
		st->ops->rollback(st);
	return rc;
}

enum ctip_status
ctip_audit_refusal(struct ctip_auditq *q, struct ctip_store *st,
		   const struct ctip_keyring *kr, struct ctip_audit_event *ev,
		   enum ctip_status rc, struct ctip_err *err)
{
	struct ctip_err logged = { 0 };

	ev->outcome = "denied";
	if (ctip_audit_log(q, st, kr, ev, 1, &logged) != CTIP_OK) {
		*err = logged;
		return logged.code;
	}
	return rc;
}

enum ctip_status
ctip_audit_denied(struct ctip_auditq *q, struct ctip_store *st,
		  const struct ctip_keyring *kr, const struct ctip_principal *p,
		  const char *action, const char *object_type, int64_t id,
		  enum ctip_status rc, struct ctip_err *err)
{
	char object_id[24];
	struct ctip_audit_event ev = { .who = p,
				       .action = action,
				       .object_type = object_type,
				       .object_id = object_id };

	snprintf(object_id, sizeof(object_id), "%lld", (long long)id);
	return ctip_audit_refusal(q, st, kr, &ev, rc, err);
}

struct verify_state {
	unsigned char key[32];
	unsigned char prev[32];
	int64_t expect_id;
	int64_t bad_id;
	long n;
};

static int
verify_row(const struct ctip_audit_row *r, void *arg)
{
	struct verify_state *v = arg;
	unsigned char mac[32];

	v->n++;
	row_mac(mac, v->key, v->prev, r);
	if (r->id != v->expect_id || sodium_memcmp(mac, r->mac, 32) != 0) {
		/* The chain breaks at the id expected: a changed row has
		 * it, a missing one is the gap before the next id found,
		 * and a row below 1 (which sorts first) must not report 0,
		 * "intact". */
		v->bad_id = v->expect_id;
		return 1;
	}
	memcpy(v->prev, r->mac, 32);
	v->expect_id++;
	return 0;
}

enum ctip_status
ctip_audit_verify(int64_t *bad_id, long *n_rows, struct ctip_store *st,
		  const struct ctip_keyring *kr, struct ctip_err *err)
{
	struct verify_state v;
	enum ctip_status rc;

	memset(&v, 0, sizeof(v));
	chain_key(v.key, kr);
	v.expect_id = 1;
	rc = st->ops->audit_walk(st, verify_row, &v, err);
	sodium_memzero(v.key, sizeof(v.key));
	*bad_id = v.bad_id;
	*n_rows = v.n;
	return rc;
}

/* One queued entry: a copy of the event, and whom to tell when written. */
struct qentry {
	struct qentry *next;
	struct ctip_principal who;
	bool has_who;
	char username[65], action[48], object_type[32], object_id[32];
	char reason[256], outcome[16], ip[64];
	ctip_audit_done_fn done; /* called by the writer after the commit */
	void *arg;
};

/*
 * Group commit: a writer thread takes every entry waiting, writes them in
 * one transaction on its own connection, then calls each entry's done
 * function. While it writes, new entries gather for the next batch, so
 * batches grow with the load.
 */
struct ctip_auditq {
	pthread_mutex_t lock;
	pthread_cond_t work;        /* entries queued, or stopping */
	struct qentry *head, *tail; /* waiting for the next batch */
	bool stopping;
	pthread_t thread;
	struct ctip_store *st; /* the writer's */
	unsigned char key[32]; /* the chain's key */
};

static void
copy(char *dst, size_t cap, const char *src)
{
	snprintf(dst, cap, "%s", src ? src : "");
}

/* Write batch in one transaction; its status and error in *rc, *err. */
static void
write_batch(struct ctip_auditq *q, struct qentry *batch, enum ctip_status *rc,
	    struct ctip_err *err)
{
	struct ctip_audit_event ev;
	struct qentry *e;
	unsigned char prev[32];
	int64_t last;

	memset(err, 0, sizeof(*err));
	*rc = q->st->ops->begin(q->st, err);
	/* The chain's end is read once, inside the transaction that holds
	 * the write lock. */
	if (*rc == CTIP_OK)
		*rc = q->st->ops->audit_last(&last, prev, q->st, err);
	for (e = batch; e != NULL && *rc == CTIP_OK; e = e->next) {
		memset(&ev, 0, sizeof(ev));
		ev.who = e->has_who ? &e->who : NULL;
		ev.username = e->username;
		ev.action = e->action;
		ev.object_type = e->object_type;
		ev.object_id = e->object_id;
		ev.reason = e->reason;
		ev.outcome = e->outcome;
		ev.ip = e->ip;
		*rc = append_after(q->st, q->key, &last, prev, &ev, err);
	}
	if (*rc == CTIP_OK)
		*rc = q->st->ops->commit(q->st, err);
	if (*rc != CTIP_OK)
		q->st->ops->rollback(q->st);
}

static void *
writer(void *arg)
{
	struct ctip_auditq *q = arg;
	struct qentry *batch, *e, *next;
	struct ctip_err err;
	enum ctip_status rc;

	pthread_mutex_lock(&q->lock);
	for (;;) {
		while (q->head == NULL && !q->stopping)
			pthread_cond_wait(&q->work, &q->lock);
		if (q->head == NULL)
			break;
		batch = q->head;
		q->head = q->tail = NULL;
		pthread_mutex_unlock(&q->lock);
		write_batch(q, batch, &rc, &err);
		for (e = batch; e != NULL; e = next) {
			next = e->next; /* e is freed by done */
			e->done(e->arg, rc, &err);
			free(e);
		}
		pthread_mutex_lock(&q->lock);
	}
	pthread_mutex_unlock(&q->lock);
	return NULL;
}

enum ctip_status
ctip_auditq_start(struct ctip_auditq **out, const char *db_url,
		  const struct ctip_keyring *kr, struct ctip_err *err)
{
	struct ctip_auditq *q = ctip_xmalloc(sizeof(*q));
	enum ctip_status rc;

	memset(q, 0, sizeof(*q));
	rc = ctip_store_open(&q->st, db_url, CTIP_OPEN_EXISTING, err);
	if (rc != CTIP_OK) {
		free(q);
		return rc;
	}
	chain_key(q->key, kr);
	pthread_mutex_init(&q->lock, NULL);
	pthread_cond_init(&q->work, NULL);
	if (pthread_create(&q->thread, NULL, writer, q) != 0) {
		q->st->ops->close(q->st);
		sodium_memzero(q->key, sizeof(q->key));
		free(q);
		return ctip_err_set(err, CTIP_EINTERNAL,
				    "could not start the audit writer");
	}
	*out = q;
	return CTIP_OK;
}

enum ctip_status
ctip_auditq_submit(struct ctip_auditq *q, const struct ctip_audit_event *ev,
		   ctip_audit_done_fn done, void *arg, struct ctip_err *err)
{
	struct qentry *e = ctip_xmalloc(sizeof(*e));

	memset(e, 0, sizeof(*e));
	if (ev->who != NULL) {
		e->who = *ev->who;
		e->has_who = true;
	}
	copy(e->username, sizeof(e->username), ev->username);
	copy(e->action, sizeof(e->action), ev->action);
	copy(e->object_type, sizeof(e->object_type), ev->object_type);
	copy(e->object_id, sizeof(e->object_id), ev->object_id);
	copy(e->reason, sizeof(e->reason), ev->reason);
	copy(e->outcome, sizeof(e->outcome), ev->outcome ? ev->outcome : "ok");
	copy(e->ip, sizeof(e->ip), ev->ip);
	e->done = done;
	e->arg = arg;
	pthread_mutex_lock(&q->lock);
	if (q->stopping) {
		pthread_mutex_unlock(&q->lock);
		free(e);
		return ctip_err_set(err, CTIP_EINTERNAL,
				    "the audit log is closing");
	}
	if (q->tail != NULL)
		q->tail->next = e;
	else
		q->head = e;
	q->tail = e;
	pthread_cond_signal(&q->work);
	pthread_mutex_unlock(&q->lock);
	return CTIP_OK;
}

/* A caller of ctip_auditq_log waiting for its entry. */
/* Waits for the entries a caller submitted. */
struct waiter {
	pthread_mutex_t lock;
	pthread_cond_t cond;
	int pending;
	enum ctip_status rc;
	struct ctip_err err;
};

static void
wake(void *arg, enum ctip_status rc, const struct ctip_err *err)
{
	struct waiter *w = arg;

	pthread_mutex_lock(&w->lock);
	if (rc != CTIP_OK && w->rc == CTIP_OK) {
		w->rc = rc;
		w->err = *err;
	}
	if (--w->pending == 0)
		pthread_cond_signal(&w->cond);
	pthread_mutex_unlock(&w->lock);
}

enum ctip_status
ctip_auditq_log(struct ctip_auditq *q, const struct ctip_audit_event *ev, int n,
		struct ctip_err *err)
{
	struct waiter w;
	enum ctip_status rc = CTIP_OK;
	int i;

	memset(&w, 0, sizeof(w));
	pthread_mutex_init(&w.lock, NULL);
	pthread_cond_init(&w.cond, NULL);
	/* Submitted together, the entries share the writer's commits:
	 * one wait for a whole search page rather than one per person. */
	for (i = 0; i < n && rc == CTIP_OK; i++) {
		pthread_mutex_lock(&w.lock);
		w.pending++;
		pthread_mutex_unlock(&w.lock);
		rc = ctip_auditq_submit(q, &ev[i], wake, &w, err);
		if (rc != CTIP_OK) {
			pthread_mutex_lock(&w.lock);
			w.pending--;
			pthread_mutex_unlock(&w.lock);
		}
	}
	pthread_mutex_lock(&w.lock);
	while (w.pending > 0)
		pthread_cond_wait(&w.cond, &w.lock);
	pthread_mutex_unlock(&w.lock);
	if (rc == CTIP_OK && w.rc != CTIP_OK) {
		rc = w.rc;
		if (err != NULL)
			*err = w.err;
	}
	pthread_mutex_destroy(&w.lock);
	pthread_cond_destroy(&w.cond);
	return rc;
}

void
ctip_auditq_close(struct ctip_auditq *q)
{
	if (q == NULL)
		return;
	pthread_mutex_lock(&q->lock);
	if (q->stopping) {
		pthread_mutex_unlock(&q->lock);
		return;
	}
	q->stopping = true;
	pthread_cond_signal(&q->work);
	pthread_mutex_unlock(&q->lock);
	/* The writer writes what is queued, calls back, then ends. */
	pthread_join(q->thread, NULL);
}

void
ctip_auditq_stop(struct ctip_auditq *q)
{
	if (q == NULL)
		return;
	ctip_auditq_close(q);
	q->st->ops->close(q->st);
	sodium_memzero(q->key, sizeof(q->key));
	pthread_mutex_destroy(&q->lock);
	pthread_cond_destroy(&q->work);
	free(q);
}

enum ctip_status
ctip_audit_change(struct ctip_store *st, const struct ctip_keyring *kr,
		  const struct ctip_principal *p, const char *action,
		  const char *object_type, int64_t id, const char *reason,
		  struct ctip_err *err)
{
	char object_id[24];
	struct ctip_audit_event ev = { .who = p,
				       .action = action,
				       .object_type = object_type,
				       .object_id = object_id,
				       .reason = reason };

	snprintf(object_id, sizeof(object_id), "%lld", (long long)id);
	return ctip_audit_append(st, kr, &ev, err);
}
