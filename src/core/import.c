/* import.c: bulk import of persons and events from CSV. */
#include "core/import.h"
#include "core/org.h"
#include "util/csv.h"

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

uint64_t
ctip_fnv_add(uint64_t h, const char *s)
{
	for (; *s != '\0'; s++) {
		h ^= (unsigned char)*s;
		h *= 0x100000001b3ull;
	}
	h ^= 0x1f; /* field separator */
	return h * 0x100000001b3ull;
}

/* ref -> person id, open addressing; refs copied into an arena. */
struct refmap {
	struct ctip_arena arena;
	const char **keys;
	int64_t *ids;
	size_t cap, n;
};

static uint64_t
hash_str(const char *s)
{
	return ctip_fnv_add(CTIP_FNV_INIT, s);
}

static void
refmap_grow(struct refmap *m)
{
	size_t old = m->cap, i, j;
	const char **keys = m->keys;
	int64_t *ids = m->ids;

	m->cap = old ? 2 * old : 1024;
	m->keys = calloc(m->cap, sizeof(*m->keys));
	m->ids = ctip_xmalloc(m->cap * sizeof(*m->ids));
	if (m->keys == NULL)
		abort();
	for (i = 0; i < old; i++) {
		if (keys[i] == NULL)
			continue;
		for (j = hash_str(keys[i]) & (m->cap - 1); m->keys[j] != NULL;
		     j = (j + 1) & (m->cap - 1))
			;
		m->keys[j] = keys[i];
		m->ids[j] = ids[i];
	}
	free(keys);
	free(ids);
}

static int64_t
refmap_get(const struct refmap *m, const char *ref)
{
	size_t j;

	if (m->cap == 0)
		return 0;
	for (j = hash_str(ref) & (m->cap - 1); m->keys[j] != NULL;
	     j = (j + 1) & (m->cap - 1))
		if (strcmp(m->keys[j], ref) == 0)
			return m->ids[j];
	return 0;
}

/* false when the arena is full */
static bool
refmap_put(struct refmap *m, const char *ref, int64_t id)
{
	size_t j;

	if (2 * (m->n + 1) > m->cap)
		refmap_grow(m);
	for (j = hash_str(ref) & (m->cap - 1); m->keys[j] != NULL;
	     j = (j + 1) & (m->cap - 1))
		;
	m->keys[j] = ctip_arena_strdup(&m->arena, ref);
	if (m->keys[j] == NULL)
		return false;
	m->ids[j] = id;
	m->n++;
	return true;
}

static void
refmap_free(struct refmap *m)
{
	ctip_arena_free(&m->arena);
	free(m->keys);
	free(m->ids);
}

/*
 * The CSV column an error of core is about: core names a few fields
 * differently from the file (and org units by "admin_code").
 */
static const char *
column_of(const char *field, const char **f)
{
	if (strcmp(field, "accompanies_id") == 0)
		return "accompanies_ref";
	if (strcmp(field, "destination_country") == 0)
		return "destination";
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
	  const char **f)
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

static const char *
opt(const char *s)
{
	return s[0] == '\0' ? NULL : s;
}

static enum ctip_status
import_row(struct ctip_import_stats *out, struct ctip_store *st,
	   const struct ctip_keyring *kr, struct ctip_org_cache *orgs,
	   struct refmap *refs, const char **f, const char *now, bool demo,
	   struct ctip_err *err)
{
	struct ctip_person_input p;
	struct ctip_event_input ev;
	char purposes[256], *save, *tok;
	int64_t person_id, event_id;
	enum ctip_status rc;
	char *end;

	memset(&p, 0, sizeof(p));
	if (f[C_REF][0] == '\0')
		return ctip_err_field(err, CTIP_EINVAL, "ref", "ref: required");
	if (refmap_get(refs, f[C_REF]) != 0)
		return ctip_err_field(err, CTIP_EINVAL, "ref",
				      "ref: \"%s\" appears twice", f[C_REF]);
	p.role = f[C_ROLE];
	if (f[C_ACCOMPANIES_REF][0] != '\0') {
		p.accompanies_id = refmap_get(refs, f[C_ACCOMPANIES_REF]);
		if (p.accompanies_id == 0)
			return ctip_err_field(err, CTIP_EINVAL,
					      "accompanies_ref",
					      "accompanies_ref: no earlier "
					      "line has ref \"%s\"",
					      f[C_ACCOMPANIES_REF]);
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
	p.is_demo = demo;
	rc = ctip_org_for_place(
		&p.owner_unit_id, orgs, st,
		p.commune_code ? p.commune_code : p.province_code, now, err);
	if (rc == CTIP_OK)
		rc = ctip_person_create(&person_id, st, kr, &p, now, err);
	if (rc != CTIP_OK)
		return rc;
	if (!refmap_put(refs, f[C_REF], person_id))
		return ctip_err_set(err, CTIP_ETOOBIG, "too many refs");
	out->persons++;
	if (f[C_DISCOVERED_ON][0] == '\0')
		return CTIP_OK;
	memset(&ev, 0, sizeof(ev));
	if (strcmp(f[C_EVENT_ABROAD], "1") == 0)
		ev.abroad = true;
	else if (strcmp(f[C_EVENT_ABROAD], "0") != 0)
		return ctip_err_field(err, CTIP_EINVAL, "event_abroad",
				      "event_abroad: must be 0 or 1");
	ev.destination_country = opt(f[C_DESTINATION]);
	ev.recruitment_means = opt(f[C_RECRUITMENT_MEANS]);
	ev.recruited_on = opt(f[C_RECRUITED_ON]);
	ev.discovery = f[C_DISCOVERY];
	ev.discovered_on = f[C_DISCOVERED_ON];
	if ((size_t)snprintf(purposes, sizeof(purposes), "%s", f[C_PURPOSES]) >=
	    sizeof(purposes))
		return ctip_err_field(err, CTIP_EINVAL, "purposes",
				      "purposes: too long");
	for (tok = strtok_r(purposes, ";", &save); tok != NULL;
	     tok = strtok_r(NULL, ";", &save)) {
		if (ev.n_purposes == CTIP_PURPOSES_MAX)
			return ctip_err_field(err, CTIP_EINVAL, "purposes",
					      "purposes: more than %d",
					      CTIP_PURPOSES_MAX);
		ev.purposes[ev.n_purposes++] = tok;
	}
	rc = ctip_event_create(&event_id, st, person_id, p.province_code, &ev,
			       now, 0, err);
	if (rc == CTIP_OK)
		out->events++;
	return rc;
}

enum ctip_status
ctip_import_persons(struct ctip_import_stats *out, struct ctip_store *st,
		    const struct ctip_keyring *kr, const char *text, size_t len,
		    const char *owner_agency, bool demo, struct ctip_err *err)
{
	struct ctip_org_cache orgs;
	struct refmap refs;
	struct ctip_csv c;
	struct ctip_err e = { 0 };
	const char *f[C_N];
	int map[C_N];
	char now[24];
	enum ctip_status rc;
	int i, r;

	memset(out, 0, sizeof(*out));
	out->checksum = CTIP_FNV_INIT;
	memset(&refs, 0, sizeof(refs));
	ctip_arena_init(&refs.arena, (size_t)1 << 30);
	ctip_now(now);
	ctip_csv_open(&c, text, len);
	r = ctip_csv_next(&c, &e);
	if (r <= 0) {
		ctip_csv_close(&c);
		return ctip_err_set(err, CTIP_EINVAL, "%s",
				    r == 0 ? "empty file: no header line"
					   : e.msg);
	}
	for (i = 0; i < C_N; i++) {
		map[i] = ctip_csv_find(&c, col_names[i]);
		if (map[i] < 0 && i != C_RECEIVED_ON) {
			ctip_csv_close(&c);
			return ctip_err_field(err, CTIP_EINVAL, col_names[i],
					      "header: no column \"%s\"",
					      col_names[i]);
		}
	}
	ctip_org_cache_init(&orgs, owner_agency);
	if ((rc = st->ops->bulk(st, true, err)) != CTIP_OK ||
	    (rc = st->ops->begin(st, err)) != CTIP_OK ||
	    (rc = st->ops->load_indexes(st, true, err)) != CTIP_OK)
		goto out;
	while ((r = ctip_csv_next(&c, &e)) == 1) {
		for (i = 0; i < C_N; i++) {
			f[i] = map[i] >= 0 && map[i] < c.n_fields
				       ? c.fields[map[i]]
				       : "";
			out->checksum = ctip_fnv_add(out->checksum, f[i]);
		}
		rc = import_row(out, st, kr, &orgs, &refs, f, now, demo, &e);
		if (rc != CTIP_OK) {
			row_error(err, &e, c.line, f);
			goto out;
		}
	}
	if (r < 0) {
		rc = ctip_err_set(err, CTIP_EINVAL, "%s", e.msg);
		for (i = 0; i < C_N && c.bad_field >= 0; i++)
			if (map[i] == c.bad_field)
				ctip_err_field(err, CTIP_EINVAL, col_names[i],
					       "line %ld: %s: not valid UTF-8",
					       c.line, col_names[i]);
		goto out;
	}
	if ((rc = st->ops->load_indexes(st, false, err)) == CTIP_OK)
		rc = st->ops->commit(st, err);
out:
	if (rc != CTIP_OK) {
		st->ops->rollback(st);
		out->persons = out->events = 0;
	}
	st->ops->bulk(st, false, &e);
	ctip_org_cache_free(&orgs);
	refmap_free(&refs);
	ctip_csv_close(&c);
	return rc;
}
