/* store.c: backend selection and the reference-table column lists shared
 * by every backend. */
#include "store/migrations.h"
#include "store/store.h"

enum ctip_status
ctip_store_open(struct ctip_store **out, const char *url,
		enum ctip_open_mode mode, struct ctip_err *err)
{
	if (strncmp(url, "sqlite:", 7) == 0)
		return ctip_store_sqlite_open(out, url + 7, mode, err);
	if (strncmp(url, "postgres:", 9) == 0 ||
	    strncmp(url, "postgresql:", 11) == 0)
		return ctip_err_set(err, CTIP_EINVAL,
				    "could not open database \"%s\": the "
				    "PostgreSQL backend is not built yet",
				    url);
	return ctip_store_sqlite_open(out, url, mode, err);
}

enum ctip_status
ctip_store_restore(struct ctip_restore_info *out, const char *url,
		   const char *from, ctip_restore_check check, void *arg,
		   struct ctip_err *err)
{
	if (strncmp(url, "sqlite:", 7) == 0)
		url += 7;
	else if (strncmp(url, "postgres:", 9) == 0 ||
		 strncmp(url, "postgresql:", 11) == 0)
		return ctip_err_set(err, CTIP_EINVAL,
				    "could not restore \"%s\": the PostgreSQL "
				    "backend is not built yet",
				    url);
	return ctip_store_sqlite_restore(out, url, from, check, arg, err);
}

enum ctip_status
ctip_store_read_end(struct ctip_store *st, enum ctip_status rc,
		    struct ctip_err *err)
{
	struct ctip_err e2 = { 0 };

	if (st->ops->read_snapshot(st, false, &e2) != CTIP_OK &&
	    rc == CTIP_OK) {
		*err = e2;
		rc = e2.code;
	}
	return rc;
}

static const char *const admin_unit_cols[] = {
	"code",          "level",        "name",     "full_name", "unit_type",
	"province_code", "full_name_en", "name_key", NULL
};
static const char *const ethnic_cols[] = { "code", "name", "name_en", NULL };
static const char *const country_cols[] = { "alpha2",  "alpha3",  "numeric",
					    "name_en", "name_vi", NULL };
static const char *const purpose_cols[] = { "code", "parent_code", "name_vi",
					    "name_en", NULL };
static const char *const support_type_cols[] = { "code",     "article",
						 "name_vi",  "name_en",
						 "max_days", NULL };
static const char *const entitlement_cols[] = { "support_code", "person_role",
						"citizenship",  "location",
						"entitled",     "legal_basis",
						"note",         NULL };
static const char *const amount_cols[] = {
	"support_code", "valid_from",  "valid_to", "amount_vnd", "unit",
	"max_units",    "legal_basis", "note",     NULL
};
static const char *const channel_cols[] = { "code", "name_vi", "name_en",
					    NULL };
static const char *const agency_cols[] = { "code", "name_vi", "name_en",
					   "levels", NULL };
static const char *const indicator_cols[] = { "code",       "name_vi",
					      "name_en",    "counts",
					      "measure",    "filter",
					      "dimensions", NULL };
static const char *const rate_cols[] = { "code",        "name_vi",
					 "name_en",     "numerator",
					 "denominator", "target_percent",
					 "comparison",  "legal_basis",
					 NULL };
static const char *const form_cols[] = { "code",   "name_vi",     "name_en",
					 "level",  "period_type", "deadlines",
					 "layout", "legal_basis", NULL };
static const char *const form_row_cols[] = {
	"layout",   "seq",      "section_vi", "section_en", "label_no",
	"label_vi", "label_en", "item",       "by",         NULL
};
static const char *const alias_cols[] = { "alias", "agency", NULL };
static const char *const rule_cols[] = { "code",       "left",     "op",
					 "right",      "severity", "message_vi",
					 "message_en", NULL };

const char *const *
ctip_ref_columns(enum ctip_ref_kind kind)
{
	switch (kind) {
	case CTIP_REF_ADMIN_UNIT:
		return admin_unit_cols;
	case CTIP_REF_ETHNIC_GROUP:
		return ethnic_cols;
	case CTIP_REF_COUNTRY:
		return country_cols;
	case CTIP_REF_PURPOSE:
		return purpose_cols;
	case CTIP_REF_SUPPORT_TYPE:
		return support_type_cols;
	case CTIP_REF_SUPPORT_ENTITLEMENT:
		return entitlement_cols;
	case CTIP_REF_SUPPORT_AMOUNT:
		return amount_cols;
	case CTIP_REF_INTAKE_CHANNEL:
		return channel_cols;
	case CTIP_REF_AGENCY:
		return agency_cols;
	case CTIP_REF_INDICATOR:
		return indicator_cols;
	case CTIP_REF_KPI_RATE:
		return rate_cols;
	case CTIP_REF_FORM:
		return form_cols;
	case CTIP_REF_FORM_ROW:
		return form_row_cols;
	case CTIP_REF_RULE:
		return rule_cols;
	case CTIP_REF_PLAN_ALIAS:
		return alias_cols;
	case CTIP_REF_N_KINDS:
		break;
	}
	assert(!"unknown reference kind");
	return NULL;
}

const char *
ctip_ref_name(enum ctip_ref_kind kind)
{
	static const char *const names[] = {
		"admin units",      "ethnic groups",    "countries",
		"purposes",         "support types",    "support entitlements",
		"support amounts",  "intake channels",  "agencies",
		"indicators",       "KPI rates",        "report forms",
		"report form rows", "validation rules", "plan agency aliases"
	};

	assert((int)kind >= 0 && kind < CTIP_REF_N_KINDS);
	return names[kind];
}

const char *
ctip_ref_key(enum ctip_ref_kind kind)
{
	static const char *const keys[] = {
		"admin_units",      "ethnic_groups",    "countries",
		"purposes",         "support_types",    "support_entitlements",
		"support_amounts",  "intake_channels",  "agencies",
		"indicators",       "kpi_rates",        "report_forms",
		"report_form_rows", "validation_rules", "plan_agency_aliases"
	};

	assert((int)kind >= 0 && kind < CTIP_REF_N_KINDS);
	return keys[kind];
}

int
ctip_store_schema_latest(void)
{
	return ctip_n_migrations;
}
