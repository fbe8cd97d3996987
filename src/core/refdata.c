/* refdata.c: loading the reference data in data/ into the store. */
#include "core/refdata.h"
#include "core/report.h"
#include "core/stats.h"
#include "util/csv.h"
#include "util/fs.h"
#include "util/text.h"

#include <sodium.h>

#define REF_FILE_LIMIT (16u << 20)

/* Files in load order: parents before the rows that refer to them. */
static const struct {
	enum ctip_ref_kind kind;
	const char *file;
} files[] = {
	{ CTIP_REF_ADMIN_UNIT, "admin-units.csv" },
	{ CTIP_REF_ETHNIC_GROUP, "ethnic-groups.csv" },
	{ CTIP_REF_COUNTRY, "countries.csv" },
	{ CTIP_REF_PURPOSE, "purposes.csv" },
	{ CTIP_REF_SUPPORT_TYPE, "support-types.csv" },
	{ CTIP_REF_SUPPORT_ENTITLEMENT, "support-entitlements.csv" },
	{ CTIP_REF_SUPPORT_AMOUNT, "support-amounts.csv" },
	{ CTIP_REF_INTAKE_CHANNEL, "intake-channels.csv" },
	{ CTIP_REF_AGENCY, "agencies.csv" },
	{ CTIP_REF_INDICATOR, "indicators/indicators.csv" },
	{ CTIP_REF_KPI_RATE, "indicators/rates.csv" },
	{ CTIP_REF_FORM, "forms/forms.csv" },
	{ CTIP_REF_FORM_ROW, "forms/rows.csv" },
	{ CTIP_REF_RULE, "forms/rules.csv" },
	{ CTIP_REF_PLAN_ALIAS, "plan-agency-aliases.csv" },
};

/* Per-row fix-ups: CSV values into stored values. */
static enum ctip_status
prepare_row(enum ctip_ref_kind kind, const char **vals, char *key,
	    size_t key_cap, struct ctip_err *err)
{
	switch (kind) {
	case CTIP_REF_ADMIN_UNIT:
		/* Column 7 (name_key) is derived, not read. */
		if (ctip_text_key(key, key_cap, vals[2]) < 0)
			return ctip_err_field(err, CTIP_EINVAL, "name",
					      "name is not valid UTF-8 or too "
					      "long");
		vals[7] = key;
		if (strcmp(vals[1], "province") != 0 &&
		    strcmp(vals[1], "commune") != 0)
			return ctip_err_field(err, CTIP_EINVAL, "level",
					      "level must be province or "
					      "commune, not \"%s\"",
					      vals[1]);
		if (strcmp(vals[1], "province") == 0)
			vals[5] = NULL;
		break;
	case CTIP_REF_SUPPORT_ENTITLEMENT:
		if (strcmp(vals[4], "yes") == 0)
			vals[4] = "1";
		else if (strcmp(vals[4], "no") == 0)
			vals[4] = "0";
		else
			return ctip_err_field(err, CTIP_EINVAL, "entitled",
					      "entitled must be yes or no, not "
					      "\"%s\"",
					      vals[4]);
		break;
	default:
		break;
	}
	return CTIP_OK;
}

/* The digest of every reference file of data_dir, as 64 hex digits. */
static enum ctip_status
digest_files(char hex[65], const char *data_dir, struct ctip_err *err)
{
	crypto_generichash_state digest;
	unsigned char d[32];
	char path[4096];
	enum ctip_status rc;
	size_t f, len;
	char *text;

	crypto_generichash_init(&digest, NULL, 0, sizeof(d));
	for (f = 0; f < CTIP_NELEM(files); f++) {
		snprintf(path, sizeof(path), "%s/%s", data_dir, files[f].file);
		rc = ctip_fs_read(&text, &len, path, REF_FILE_LIMIT, err);
		if (rc != CTIP_OK)
			return rc;
		crypto_generichash_update(&digest, (const unsigned char *)text,
					  len);
		free(text);
	}
	crypto_generichash_final(&digest, d, sizeof(d));
	sodium_bin2hex(hex, 65, d, sizeof(d));
	return CTIP_OK;
}

static enum ctip_status
load_file(struct ctip_store *st, const char *data_dir, int f,
	  struct ctip_err *err)
{
	enum ctip_ref_kind kind = files[f].kind;
	const char *const *cols = ctip_ref_columns(kind);
	const char *vals[CTIP_CSV_MAX_FIELDS];
	int map[CTIP_CSV_MAX_FIELDS];
	char path[4096], key[512];
	struct ctip_csv c;
	struct ctip_err e = { 0 };
	size_t len;
	char *text;
	int n_cols, n_header, i, r;
	enum ctip_status rc;

	snprintf(path, sizeof(path), "%s/%s", data_dir, files[f].file);
	if ((rc = st->ops->ref_clear(st, kind, err)) != CTIP_OK)
		return rc;
	rc = ctip_fs_read(&text, &len, path, REF_FILE_LIMIT, err);
	if (rc != CTIP_OK)
		return rc;
	ctip_csv_open(&c, text, len);
	r = ctip_csv_next(&c, &e);
	if (r <= 0) {
		rc = ctip_err_set(err, CTIP_EINVAL, "%s: %s", path,
				  r == 0 ? "empty file" : e.msg);
		goto out;
	}
	n_header = c.n_fields;
	for (n_cols = 0; cols[n_cols] != NULL; n_cols++) {
		map[n_cols] = ctip_csv_find(&c, cols[n_cols]);
		/* name_key of admin units is computed, not read. */
		if (map[n_cols] < 0 &&
		    !(kind == CTIP_REF_ADMIN_UNIT &&
		      strcmp(cols[n_cols], "name_key") == 0)) {
			rc = ctip_err_set(err, CTIP_EINVAL,
					  "%s: no column \"%s\" in the header",
					  path, cols[n_cols]);
			goto out;
		}
	}
	while ((r = ctip_csv_next(&c, &e)) == 1) {
		/* A short row would leave columns NULL that prepare_row and
		 * the NOT NULL checks rely on; a long one is a shifted row. */
		if (c.n_fields != n_header) {
			rc = ctip_err_set(err, CTIP_EINVAL,
					  "%s line %ld: %d fields, the header "
					  "has %d",
					  path, c.line, c.n_fields, n_header);
			goto out;
		}
		for (i = 0; i < n_cols; i++)
			vals[i] = map[i] >= 0 ? c.fields[map[i]] : NULL;
		if (vals[0] == NULL || vals[0][0] == '\0') {
			rc = ctip_err_set(err, CTIP_EINVAL,
					  "%s line %ld: %s is empty", path,
					  c.line, cols[0]);
			goto out;
		}
		rc = prepare_row(kind, vals, key, sizeof(key), &e);
		if (rc == CTIP_OK && kind == CTIP_REF_INDICATOR)
			rc = ctip_stats_indicator_check(st, vals, &e);
		if (rc == CTIP_OK)
			rc = st->ops->ref_upsert(st, kind, vals, &e);
		if (rc != CTIP_OK) {
			rc = ctip_err_set(err, e.code, "%s line %ld: %s", path,
					  c.line, e.msg);
			goto out;
		}
	}
	if (r < 0)
		rc = ctip_err_set(err, CTIP_EINVAL, "%s: %s", path, e.msg);
out:
	ctip_csv_close(&c);
	free(text);
	return rc;
}

enum ctip_status
ctip_refdata_stats(struct ctip_ref_stats *out, struct ctip_store *st,
		   struct ctip_err *err)
{
	enum ctip_status rc;
	int k;

	memset(out, 0, sizeof(*out));
	for (k = 0; k < CTIP_REF_N_KINDS; k++)
		if ((rc = st->ops->ref_count(&out->rows[k], st,
					     (enum ctip_ref_kind)k, err)) != 0)
			return rc;
	if ((rc = st->ops->count(&out->provinces, st, CTIP_COUNT_PROVINCES,
				 err)) != 0)
		return rc;
	return st->ops->count(&out->communes, st, CTIP_COUNT_COMMUNES, err);
}

enum ctip_status
ctip_refdata_load(struct ctip_store *st, const char *data_dir,
		  struct ctip_err *err)
{
	char hex[65];
	struct ctip_ref_stats s;
	enum ctip_status rc;
	size_t f;

	if ((rc = digest_files(hex, data_dir, err)) != CTIP_OK)
		return rc;
	if ((rc = st->ops->begin(st, err)) != CTIP_OK)
		return rc;
	for (f = 0; f < CTIP_NELEM(files) && rc == CTIP_OK; f++)
		rc = load_file(st, data_dir, (int)f, err);
	if (rc == CTIP_OK)
		rc = ctip_refdata_stats(&s, st, err);
	/* Counts the law fixes: a short file must not pass unnoticed. */
	if (rc == CTIP_OK && (s.provinces != 34 || s.communes != 3321))
		rc = ctip_err_set(err, CTIP_EINVAL,
				  "admin units: expected 34 provinces and "
				  "3321 communes, found %ld and %ld",
				  s.provinces, s.communes);
	if (rc == CTIP_OK && s.rows[CTIP_REF_ETHNIC_GROUP] != 54)
		rc = ctip_err_set(err, CTIP_EINVAL,
				  "ethnic groups: expected 54, found %ld",
				  s.rows[CTIP_REF_ETHNIC_GROUP]);
	if (rc == CTIP_OK)
		rc = ctip_report_catalogue_check(st, err);
	if (rc == CTIP_OK && s.rows[CTIP_REF_SUPPORT_TYPE] != 10)
		rc = ctip_err_set(err, CTIP_EINVAL,
				  "support types: expected the 10 of Law "
				  "Art. 37, found %ld",
				  s.rows[CTIP_REF_SUPPORT_TYPE]);
	if (rc == CTIP_OK)
		rc = st->ops->meta_set(st, "refdata_digest", hex, err);
	if (rc == CTIP_OK)
		rc = st->ops->commit(st, err);
	if (rc != CTIP_OK)
		st->ops->rollback(st);
	return rc;
}

enum ctip_status
ctip_refdata_changed(bool *out, struct ctip_store *st, const char *data_dir,
		     struct ctip_err *err)
{
	struct ctip_err e = { 0 };
	struct ctip_arena a;
	char hex[65], *held;
	enum ctip_status rc;

	if ((rc = digest_files(hex, data_dir, err)) != CTIP_OK)
		return rc;
	ctip_arena_init(&a, 256);
	rc = st->ops->meta_get(&held, st, "refdata_digest", &a, &e);
	if (rc == CTIP_OK || rc == CTIP_ENOTFOUND) {
		*out = rc == CTIP_ENOTFOUND || strcmp(held, hex) != 0;
		rc = CTIP_OK;
	} else {
		rc = ctip_err_set(err, e.code, "%s", e.msg);
	}
	ctip_arena_free(&a);
	return rc;
}
