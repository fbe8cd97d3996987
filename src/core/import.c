/* import.c: bulk import of persons and events from CSV. */
#include "core/import.h"
#include "core/audit.h"
#include "core/org.h"
#include "util/csv.h"

#include <pthread.h>
#include <sodium.h>

enum col {
	C_REF,
	C_ACCOMPANIES_REF,
	C_ROLE,
	C_FULL_NAME,
	C_SEX,
	C_BIRTH_DATE,
	C_BIRTH_YEAR,
	C_ETHNICITY,
	C_NATIONALITY,
	C_CITIZENSHIP,
	C_CITIZEN_ID,
	C_PHONE,
	C_ADDRESS,
	C_PROVINCE,
	C_COMMUNE,
	C_EVENT_ABROAD,
	C_DESTINATION,
	C_PURPOSES,
	C_RECRUITMENT_MEANS,
	C_RECRUITED_ON,
	C_DISCOVERY,
	C_DISCOVERED_ON,
	C_RECEIVED_ON, /* optional: files of format 1.0 lack it */
	C_N
};

static const char *const col_names[C_N] = { "ref",
					    "accompanies_ref",
					    "role",
					    "full_name",
					    "sex",
					    "birth_date",
					    "birth_year",
					    "ethnicity",
					    "nationality",
					    "citizenship",
					    "citizen_id",
					    "phone",
					    "address",
					    "province",
					    "commune",
					    "event_abroad",
					    "destination",
					    "purposes",
					    "recruitment_means",
					    "recruited_on",
					    "discovery",
					    "discovered_on",
					    "received_on" };

const char ctip_import_header[] =
	"ref,accompanies_ref,role,full_name,sex,birth_date,birth_year,"
	"ethnicity,nationality,citizenship,citizen_id,phone,address,province,"
	"commune,event_abroad,destination,purposes,recruitment_means,"
	"recruited_on,discovery,discovered_on,received_on";

/*
 * The CSV column an error of core is about: core names a few fields
 * differently from the file (and org units by "admin_code").
 */
static const char *
column_of(const char *field, const char *const *f)
{
	if (strcmp(field, "accompanies_id") == 0)
		return "accompanies_ref";
	if (strcmp(field, "received_on") == 0)
		return f[C_RECEIVED_ON][0] != '\0' ? "received_on"
						   : "discovered_on";
	if (strcmp(field, "admin_code") == 0)
		return f[C_COMMUNE][0] != '\0' ? "commune" : "province";
	return field;
}

/* Report err of row line as "line N: column: reason". */
static enum ctip_status
row_error(struct ctip_err *err, const struct ctip_err *e, long line,
	  const char *const *f)
{
	const char *col, *reason = e->msg;
	size_t n = strlen(e->field);

	if (n == 0)
		return ctip_err_set(err, e->code, "line %ld: %s", line, e->msg);
	col = column_of(e->field, f);
	/* Core's messages start with its own field name: replace it. */
	if (strncmp(reason, e->field, n) == 0 && reason[n] == ':')
		reason += n + 1 + (reason[n + 1] == ' ');
	return ctip_err_field(err, e->code, col, "line %ld: %s: %s", line, col,
			      reason);
}

/*
 * The import runs as a pipeline of two threads when the database has a
 * second connection: one reads, validates and seals rows (its reference
 * checks on that connection) into batches; the other stores them in one
 * transaction. An in-memory database does both in turn on one thread.
 * docs/decisions.md ("Bulk import on two threads") says why.
 */
#define BATCH_ROWS       256
#define N_BATCHES        4
#define PURPOSES_LEN_MAX 255 /* bytes of the purposes column */

/* A row ready to store, its strings in its batch's arena. */
struct item {
	long line;
	long adult;        /* index in the file of the adult, or -1 */
	const char *place; /* the owning unit's commune, else province */
	const char *f[C_N];
	struct ctip_person_row person;
	bool has_event;
	struct ctip_event_input ev_in; /* event.purposes points into it */
	struct ctip_event_row event;
};

struct batch {
	struct ctip_arena a;
	struct item items[BATCH_ROWS];
	int n;
	long first; /* index in the file of items[0] */
};

/* What the reading side keeps: the file and what earlier lines were. */
struct reader {
	struct ctip_csv c;
	int map[C_N];
	int n_header;          /* fields of the header: every row has as many */
	struct ctip_store *st; /* reference checks */
	struct ctip_ref_seen *memo;
	const struct ctip_keyring *kr;
	const char *now;
	bool demo;
	struct ctip_strmap refs;       /* ref -> index in the file + 1 */
	struct ctip_adult_ref *adults; /* by index in the file */
	size_t cap;
	long n; /* rows read */
	uint64_t checksum;
};

/* What the storing side keeps. */
struct writer {
	struct ctip_store *st;
	struct ctip_org_cache orgs;
	const char *now;
	int64_t *ids; /* person id by index in the file */
	size_t cap;
	struct ctip_import_stats *out;
};

static const char *
opt(const char *s)
{
	return s[0] == '\0' ? NULL : s;
}

/* Validate the event columns of the row in it into it->event; the id of
 * the person is the writer's to fill in. */
static enum ctip_status
read_event(struct item *it, struct reader *r, struct ctip_arena *a,
	   struct ctip_err *err)
{
	const char *const *f = it->f;
	char *purposes, *save, *tok;
	enum ctip_status rc;

	memset(&it->ev_in, 0, sizeof(it->ev_in));
	if (strcmp(f[C_EVENT_ABROAD], "1") == 0)
		it->ev_in.abroad = true;
	else if (strcmp(f[C_EVENT_ABROAD], "0") != 0)
		return ctip_err_field(err, CTIP_EINVAL, "event_abroad",
				      "event_abroad: must be 0 or 1");
	it->ev_in.destination_country = opt(f[C_DESTINATION]);
	it->ev_in.recruitment_means = opt(f[C_RECRUITMENT_MEANS]);
	it->ev_in.recruited_on = opt(f[C_RECRUITED_ON]);
	it->ev_in.discovery = f[C_DISCOVERY];
	it->ev_in.discovered_on = f[C_DISCOVERED_ON];
	if (strlen(f[C_PURPOSES]) > PURPOSES_LEN_MAX ||
	    (purposes = ctip_arena_strdup(a, f[C_PURPOSES])) == NULL)
		return ctip_err_field(err, CTIP_EINVAL, "purposes",
				      "purposes: too long");
	for (tok = strtok_r(purposes, ";", &save); tok != NULL;
	     tok = strtok_r(NULL, ";", &save)) {
		if (it->ev_in.n_purposes == CTIP_PURPOSES_MAX)
			return ctip_err_field(err, CTIP_EINVAL, "purposes",
					      "purposes: more than %d",
					      CTIP_PURPOSES_MAX);
		it->ev_in.purposes[it->ev_in.n_purposes++] = tok;
	}
	if ((rc = ctip_event_prepare(&it->event, r->st, r->memo, 0,
				     it->person.province_code, &it->ev_in,
				     r->now, 0, err)) != CTIP_OK)
		return rc;
	return ctip_event_birth_check(&it->ev_in, it->person.birth_date,
				      it->person.birth_year, err);
}

/* Validate and seal the row in it->f (copies in a, the batch's arena)
 * into it; the reader remembers the row for the minors of later lines. */
static enum ctip_status
read_row(struct item *it, struct reader *r, struct ctip_arena *a,
	 struct ctip_err *err)
{
	struct ctip_person_input p;
	const char *const *f = it->f;
	struct ctip_adult_ref *self;
	enum ctip_status rc;
	long idx = r->n;
	char *end;

	memset(&p, 0, sizeof(p));
	it->adult = -1;
	if (f[C_REF][0] == '\0')
		return ctip_err_field(err, CTIP_EINVAL, "ref", "ref: required");
	if (ctip_strmap_get(&r->refs, f[C_REF]) != 0)
		return ctip_err_field(err, CTIP_EINVAL, "ref",
				      "ref: \"%s\" appears twice", f[C_REF]);
	p.role = f[C_ROLE];
	if (f[C_ACCOMPANIES_REF][0] != '\0') {
		/* The map holds index + 1: 0 is "none". */
		it->adult = ctip_strmap_get(&r->refs, f[C_ACCOMPANIES_REF]) - 1;
		if (it->adult < 0)
			return ctip_err_field(err, CTIP_EINVAL,
					      "accompanies_ref",
					      "accompanies_ref: no earlier "
					      "line has ref \"%s\"",
					      f[C_ACCOMPANIES_REF]);
		p.adult = &r->adults[it->adult];
	}
	p.full_name = f[C_FULL_NAME];
	p.sex = f[C_SEX];
	p.birth_date = opt(f[C_BIRTH_DATE]);
	if (f[C_BIRTH_YEAR][0] != '\0') {
		p.birth_year = (int)strtol(f[C_BIRTH_YEAR], &end, 10);
		if (*end != '\0' || p.birth_year <= 0)
			return ctip_err_field(err, CTIP_EINVAL, "birth_year",
					      "birth_year: not a year");
	}
	p.ethnicity_code = opt(f[C_ETHNICITY]);
	p.nationality = opt(f[C_NATIONALITY]);
	p.citizenship = f[C_CITIZENSHIP];
	p.citizen_id = opt(f[C_CITIZEN_ID]);
	p.phone = opt(f[C_PHONE]);
	p.address = opt(f[C_ADDRESS]);
	p.province_code = f[C_PROVINCE];
	p.commune_code = opt(f[C_COMMUNE]);
	/* Received on the day given, else when discovered (an event's
	 * date), else today. */
	p.received_on = opt(f[C_RECEIVED_ON]);
	if (p.received_on == NULL)
		p.received_on = opt(f[C_DISCOVERED_ON]);
	p.is_demo = r->demo;
	it->place = p.commune_code ? p.commune_code : p.province_code;
	rc = ctip_person_prepare(&it->person, a, r->st, r->memo, r->kr, &p,
				 r->now, err);
	if (rc != CTIP_OK)
		return rc;
	if ((size_t)idx >= r->cap) {
		r->cap = r->cap ? 2 * r->cap : 4096;
		r->adults =
			ctip_xrealloc(r->adults, r->cap * sizeof(*r->adults));
	}
	/* A copy: the batch's strings are gone when a later line needs it. */
	self = &r->adults[idx];
	self->minor = strcmp(p.role, "accompanying_minor") == 0;
	snprintf(self->received_on, sizeof(self->received_on), "%s",
		 it->person.received_on);
	if (!ctip_strmap_put(&r->refs, f[C_REF], idx + 1))
		return ctip_err_set(err, CTIP_ETOOBIG, "too many refs");
	it->has_event = f[C_DISCOVERED_ON][0] != '\0';
	return it->has_event ? read_event(it, r, a, err) : CTIP_OK;
}

/* Fill b with the next rows of the file; false at its end. On an error
 * *rc is set and b holds the rows before the bad one. */
static bool
read_batch(struct batch *b, struct reader *r, enum ctip_status *rc,
	   struct ctip_err *err)
{
	struct ctip_err e = { 0 };
	struct item *it;
	int i, k;

	ctip_arena_reset(&b->a);
	b->n = 0;
	b->first = r->n;
	while (b->n < BATCH_ROWS) {
		k = ctip_csv_next(&r->c, &e);
		if (k == 0)
			return b->n > 0;
		if (k < 0) {
			*rc = ctip_err_set(err, CTIP_EINVAL, "%s", e.msg);
			for (i = 0; i < C_N && r->c.bad_field >= 0; i++)
				if (r->map[i] == r->c.bad_field)
					ctip_err_field(err, CTIP_EINVAL,
						       col_names[i],
						       "line %ld: %s: not "
						       "valid UTF-8",
						       r->c.line, col_names[i]);
			return false;
		}
		it = &b->items[b->n];
		it->line = r->c.line;
		/* A row cut short (or run on) by a broken export is not a
		 * person with blank fields. */
		if (r->c.n_fields != r->n_header) {
			*rc = ctip_err_set(err, CTIP_EINVAL,
					   "line %ld: expected %d fields as "
					   "in the header, got %d",
					   it->line, r->n_header,
					   r->c.n_fields);
			return false;
		}
		for (i = 0; i < C_N; i++) {
			it->f[i] = ctip_arena_strdup(
				&b->a,
				r->map[i] >= 0 && r->map[i] < r->c.n_fields
					? r->c.fields[r->map[i]]
					: "");
			if (it->f[i] == NULL) {
				*rc = ctip_err_set(err, CTIP_ETOOBIG,
						   "line %ld: too long",
						   it->line);
				return false;
			}
			r->checksum = ctip_fnv_add(r->checksum, it->f[i]);
		}
		if ((*rc = read_row(it, r, &b->a, &e)) != CTIP_OK) {
			row_error(err, &e, it->line, it->f);
			return false;
		}
		r->n++;
		b->n++;
	}
	return true;
}

/* Store the rows of b. */
static enum ctip_status
write_batch(struct writer *w, const struct batch *b, struct ctip_err *err)
{
	struct ctip_err e = { 0 };
	enum ctip_status rc = CTIP_OK;
	struct ctip_person_row person;
	struct ctip_event_row event;
	const struct item *it;
	int64_t id, event_id;
	int i;

	if ((size_t)(b->first + b->n) > w->cap) {
		w->cap = 2 * (size_t)(b->first + b->n);
		w->ids = ctip_xrealloc(w->ids, w->cap * sizeof(*w->ids));
	}
	for (i = 0; i < b->n && rc == CTIP_OK; i++) {
		it = &b->items[i];
		person = it->person;
		if (it->adult >= 0)
			person.accompanies_id = w->ids[it->adult];
		rc = ctip_org_for_place(&person.owner_unit_id, &w->orgs, w->st,
					it->place, w->now, &e);
		if (rc == CTIP_OK)
			rc = w->st->ops->person_insert(&id, w->st, &person, &e);
		if (rc == CTIP_OK) {
			w->ids[b->first + i] = id;
			w->out->persons++;
		}
		if (rc == CTIP_OK && it->has_event) {
			event = it->event;
			event.person_id = id;
			rc = w->st->ops->event_insert(&event_id, w->st, &event,
						      &e);
			if (rc == CTIP_OK)
				w->out->events++;
		}
		if (rc != CTIP_OK)
			row_error(err, &e, it->line, it->f);
	}
	return rc;
}

/* The batches between the two threads: [head, head + filled) are read
 * and wait to be stored. */
struct pipe {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct batch *b;
	long head, filled;
	bool done;    /* the reader has finished */
	bool stopped; /* the writer has failed: stop reading */
	struct reader *r;
	enum ctip_status rc; /* the reader's */
	struct ctip_err err;
};

static void *
reader_main(void *arg)
{
	struct pipe *p = arg;
	struct batch *b;
	bool more = true;
	long tail = 0;

	while (more) {
		pthread_mutex_lock(&p->mu);
		while (p->filled == N_BATCHES && !p->stopped)
			pthread_cond_wait(&p->cv, &p->mu);
		more = !p->stopped;
		pthread_mutex_unlock(&p->mu);
		if (!more)
			break;
		b = &p->b[tail % N_BATCHES];
		more = read_batch(b, p->r, &p->rc, &p->err);
		pthread_mutex_lock(&p->mu);
		if (b->n > 0) {
			p->filled++;
			tail++;
		}
		pthread_cond_signal(&p->cv);
		pthread_mutex_unlock(&p->mu);
	}
	pthread_mutex_lock(&p->mu);
	p->done = true;
	pthread_cond_signal(&p->cv);
	pthread_mutex_unlock(&p->mu);
	return NULL;
}

/* Read on a second thread (r->st, a connection of its own) and store
 * here. */
static enum ctip_status
run_threads(struct reader *r, struct writer *w, struct batch *b,
	    struct ctip_err *err)
{
	struct pipe p = { .b = b, .r = r, .rc = CTIP_OK };
	enum ctip_status rc = CTIP_OK;
	bool empty;
	pthread_t t;

	pthread_mutex_init(&p.mu, NULL);
	pthread_cond_init(&p.cv, NULL);
	if (pthread_create(&t, NULL, reader_main, &p) != 0) {
		rc = ctip_err_set(err, CTIP_EIO, "could not start a thread");
		goto out;
	}
	for (;;) {
		pthread_mutex_lock(&p.mu);
		while (p.filled == 0 && !p.done)
			pthread_cond_wait(&p.cv, &p.mu);
		empty = p.filled == 0;
		pthread_mutex_unlock(&p.mu);
		if (empty)
			break; /* the reader is done, and all is stored */
		rc = write_batch(w, &b[p.head % N_BATCHES], err);
		pthread_mutex_lock(&p.mu);
		p.head++;
		p.filled--;
		p.stopped = rc != CTIP_OK;
		pthread_cond_signal(&p.cv);
		pthread_mutex_unlock(&p.mu);
		if (rc != CTIP_OK)
			break;
	}
	pthread_join(t, NULL);
	/* The writer's error is of an earlier line than the reader's. */
	if (rc == CTIP_OK && p.rc != CTIP_OK) {
		rc = p.rc;
		*err = p.err;
	}
out:
	pthread_cond_destroy(&p.cv);
	pthread_mutex_destroy(&p.mu);
	return rc;
}

/* Read and store in turn, on one connection. */
static enum ctip_status
run_in_turn(struct reader *r, struct writer *w, struct batch *b,
	    struct ctip_err *err)
{
	enum ctip_status rc = CTIP_OK, read_rc = CTIP_OK;
	bool more = true;

	while (more && read_rc == CTIP_OK && rc == CTIP_OK) {
		more = read_batch(b, r, &read_rc, err);
		if (b->n > 0)
			rc = write_batch(w, b, err);
	}
	return rc != CTIP_OK ? rc : read_rc;
}

void
ctip_import_file_id(char out[33], const char *text, size_t len)
{
	unsigned char h[16];

	crypto_generichash(h, sizeof(h), (const unsigned char *)text, len, NULL,
			   0);
	sodium_bin2hex(out, 33, h, sizeof(h));
}

enum ctip_status
ctip_import_persons(struct ctip_import_stats *out, struct ctip_store *st,
		    const struct ctip_keyring *kr, const char *text, size_t len,
		    const char *owner_agency, bool demo, struct ctip_err *err)
{
	struct ctip_store *rd = NULL;
	struct ctip_err e = { 0 };
	struct reader r;
	struct writer w;
	struct batch *b;
	char now[24], file_id[33];
	enum ctip_status rc;
	int i, k;

	memset(out, 0, sizeof(*out));
	memset(&r, 0, sizeof(r));
	memset(&w, 0, sizeof(w));
	ctip_now(now);
	ctip_strmap_init(&r.refs, (size_t)1 << 30);
	r.kr = kr;
	r.now = w.now = now;
	r.demo = demo;
	r.checksum = CTIP_FNV_INIT;
	w.st = st;
	w.out = out;
	ctip_csv_open(&r.c, text, len);
	k = ctip_csv_next(&r.c, &e);
	if (k <= 0) {
		ctip_csv_close(&r.c);
		ctip_strmap_free(&r.refs);
		return ctip_err_set(err, CTIP_EINVAL, "%s",
				    k == 0 ? "empty file: no header line"
					   : e.msg);
	}
	r.n_header = r.c.n_fields;
	for (i = 0; i < C_N; i++) {
		r.map[i] = ctip_csv_find(&r.c, col_names[i]);
		if (r.map[i] < 0 && i != C_RECEIVED_ON) {
			ctip_csv_close(&r.c);
			ctip_strmap_free(&r.refs);
			return ctip_err_field(err, CTIP_EINVAL, col_names[i],
					      "header: no column \"%s\"",
					      col_names[i]);
		}
	}
	r.memo = ctip_ref_seen_new();
	b = ctip_xmalloc(N_BATCHES * sizeof(*b));
	for (i = 0; i < N_BATCHES; i++)
		ctip_arena_init(&b[i].a, (size_t)64 << 20);
	ctip_org_cache_init(&w.orgs, owner_agency);
	/* The reading connection starts before the load changes the
	 * schema (load_indexes) and reads only committed reference data. */
	if (st->ops->open_again(&rd, st, &e) != CTIP_OK)
		rd = NULL;
	r.st = rd != NULL ? rd : st;
	if ((rc = st->ops->bulk(st, true, err)) != CTIP_OK ||
	    (rc = st->ops->begin(st, err)) != CTIP_OK ||
	    (rc = st->ops->load_indexes(st, true, err)) != CTIP_OK)
		goto out;
	rc = rd != NULL ? run_threads(&r, &w, b, err)
			: run_in_turn(&r, &w, b, err);
	if (rd != NULL) {
		/* Before the commit, so that its checkpoint is not held back
		 * by this connection's snapshot. */
		rd->ops->close(rd);
		rd = NULL;
	}
	if (rc == CTIP_OK) {
		/* Who loaded the rows is in the log with them: a bulk load
		 * is a change like any other. */
		struct ctip_audit_event ev = { .username = "system",
					       .action = "person.import",
					       .object_type = "import_file",
					       .object_id = file_id,
					       .ip = "cli" };

		ctip_import_file_id(file_id, text, len);
		rc = ctip_audit_append(st, kr, &ev, err);
	}
	if (rc == CTIP_OK &&
	    (rc = st->ops->load_indexes(st, false, err)) == CTIP_OK)
		rc = st->ops->commit(st, err);
out:
	if (rd != NULL)
		rd->ops->close(rd);
	if (rc != CTIP_OK) {
		st->ops->rollback(st);
		out->persons = out->events = 0;
	}
	out->checksum = r.checksum;
	/* Foreign keys back on, or say so: the connection is unsafe for
	 * other writes without them, stored rows or not. */
	if (st->ops->bulk(st, false, &e) != CTIP_OK && rc == CTIP_OK)
		rc = ctip_err_set(err, e.code,
				  "the rows were stored, but this connection "
				  "could not leave bulk mode: %s",
				  e.msg);
	ctip_org_cache_free(&w.orgs);
	for (i = 0; i < N_BATCHES; i++)
		ctip_arena_free(&b[i].a);
	free(b);
	free(w.ids);
	free(r.adults);
	ctip_ref_seen_free(r.memo);
	ctip_strmap_free(&r.refs);
	ctip_csv_close(&r.c);
	return rc;
}
