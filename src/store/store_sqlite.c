/* store_sqlite.c: the SQLite backend (embedded default). One struct per
 * connection; statements are prepared once and cached. */
#include "store/migrations.h"
#include "store/sqlite_int.h"
#include "util/crypto.h"

#include <fcntl.h>
#include <pthread.h>
#include <time.h>
#include <unistd.h>

/* Reference tables: upsert SQL, integer columns (bit i = value i), table
 * and key column. */
static const struct {
	const char *upsert;
	unsigned int_cols;
	const char *count, *exists, *codes;
	const char *clear; /* kinds loaded whole */
} ref_sql[CTIP_REF_N_KINDS] = {
	[CTIP_REF_ADMIN_UNIT] = { "INSERT INTO admin_unit (code, level, name, "
				  "full_name, "
				  "unit_type, province_code, name_en, "
				  "name_key) VALUES "
				  "(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) ON "
				  "CONFLICT (code) DO UPDATE "
				  "SET level = excluded.level, name = "
				  "excluded.name, full_name = "
				  "excluded.full_name, unit_type = "
				  "excluded.unit_type, "
				  "province_code = excluded.province_code, "
				  "name_en = "
				  "excluded.name_en, name_key = "
				  "excluded.name_key",
				  0,
				  "SELECT count(*) FROM admin_unit WHERE level "
				  "<> 'nation'",
				  "SELECT 1 FROM admin_unit WHERE code = ?1",
				  "SELECT code FROM admin_unit ORDER BY code" },
	[CTIP_REF_ETHNIC_GROUP] = { "INSERT INTO ethnic_group (code, name, "
				    "name_en) VALUES "
				    "(?1, ?2, ?3) ON CONFLICT (code) DO UPDATE "
				    "SET name = "
				    "excluded.name, name_en = excluded.name_en",
				    0, "SELECT count(*) FROM ethnic_group",
				    "SELECT 1 FROM ethnic_group WHERE code = "
				    "?1",
				    "SELECT code FROM ethnic_group ORDER BY "
				    "code" },
	[CTIP_REF_COUNTRY] = { "INSERT INTO country (alpha2, alpha3, "
			       "numeric_code, name_en, "
			       "name_vi) VALUES (?1, ?2, ?3, ?4, ?5) ON "
			       "CONFLICT (alpha2) DO "
			       "UPDATE SET alpha3 = excluded.alpha3, "
			       "numeric_code = "
			       "excluded.numeric_code, name_en = "
			       "excluded.name_en, name_vi = "
			       "excluded.name_vi",
			       0, "SELECT count(*) FROM country",
			       "SELECT 1 FROM country WHERE alpha2 = ?1",
			       "SELECT alpha2 FROM country ORDER BY alpha2" },
	[CTIP_REF_PURPOSE] = { "INSERT INTO purpose (code, parent_code, "
			       "name_vi, name_en) "
			       "VALUES (?1, ?2, ?3, ?4) ON CONFLICT (code) DO "
			       "UPDATE SET "
			       "parent_code = excluded.parent_code, name_vi = "
			       "excluded.name_vi, name_en = excluded.name_en",
			       0, "SELECT count(*) FROM purpose",
			       "SELECT 1 FROM purpose WHERE code = ?1",
			       "SELECT code FROM purpose ORDER BY code" },
	[CTIP_REF_SUPPORT_TYPE] = { "INSERT INTO support_type (code, article, "
				    "name_vi, name_en, "
				    "max_days) VALUES (?1, ?2, ?3, ?4, ?5) ON "
				    "CONFLICT (code) DO "
				    "UPDATE SET article = excluded.article, "
				    "name_vi = "
				    "excluded.name_vi, name_en = "
				    "excluded.name_en, max_days = "
				    "excluded.max_days",
				    1u << 4,
				    "SELECT count(*) FROM support_type",
				    "SELECT 1 FROM support_type WHERE code = "
				    "?1",
				    /* In the order of Art. 37.1: a, b, c,
				     * d, đ, e... (đ sorts as "dz"). */
				    "SELECT code FROM support_type ORDER BY "
				    "replace(article, 'đ', 'dz')" },
	[CTIP_REF_SUPPORT_ENTITLEMENT] = { "INSERT INTO support_entitlement "
					   "(support_code, person_role, "
					   "citizenship, location, entitled, "
					   "legal_basis, note) VALUES (?1, ?2, "
					   "?3, ?4, ?5, ?6, ?7) ON CONFLICT "
					   "(support_code, person_role, "
					   "citizenship, location) DO UPDATE "
					   "SET entitled = excluded.entitled, "
					   "legal_basis = "
					   "excluded.legal_basis, note = "
					   "excluded.note",
					   1u << 4,
					   "SELECT count(*) FROM "
					   "support_entitlement",
					   "SELECT 1 FROM support_entitlement "
					   "WHERE support_code = ?1",
					   "SELECT DISTINCT support_code FROM "
					   "support_entitlement "
					   "ORDER BY support_code" },
	[CTIP_REF_SUPPORT_AMOUNT] = { "INSERT INTO support_amount "
				      "(support_code, valid_from, "
				      "valid_to, amount_vnd, unit, max_units, "
				      "legal_basis, note) "
				      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) "
				      "ON CONFLICT "
				      "(support_code, valid_from, unit) DO "
				      "UPDATE SET valid_to = "
				      "excluded.valid_to, amount_vnd = "
				      "excluded.amount_vnd, "
				      "max_units = excluded.max_units, "
				      "legal_basis = "
				      "excluded.legal_basis, note = "
				      "excluded.note",
				      1u << 3 | 1u << 5,
				      "SELECT count(*) FROM support_amount",
				      "SELECT 1 FROM support_amount WHERE "
				      "support_code = ?1",
				      "SELECT DISTINCT support_code FROM "
				      "support_amount "
				      "ORDER BY support_code" },
	[CTIP_REF_INTAKE_CHANNEL] = { "INSERT INTO intake_channel (code, "
				      "name_vi, name_en) VALUES "
				      "(?1, ?2, ?3) ON CONFLICT (code) DO "
				      "UPDATE SET name_vi = "
				      "excluded.name_vi, name_en = "
				      "excluded.name_en",
				      0, "SELECT count(*) FROM intake_channel",
				      "SELECT 1 FROM intake_channel WHERE code "
				      "= ?1",
				      "SELECT code FROM intake_channel ORDER "
				      "BY code" },
	[CTIP_REF_AGENCY] = { "INSERT INTO agency (code, name_vi, name_en, "
			      "levels) VALUES "
			      "(?1, ?2, ?3, ?4) ON CONFLICT (code) DO UPDATE "
			      "SET name_vi = "
			      "excluded.name_vi, name_en = excluded.name_en, "
			      "levels = "
			      "excluded.levels",
			      0, "SELECT count(*) FROM agency",
			      "SELECT 1 FROM agency WHERE code = ?1",
			      "SELECT code FROM agency ORDER BY code" },
	[CTIP_REF_INDICATOR] = { "INSERT INTO indicator (code, name_vi, "
				 "name_en, counts, measure, filter, "
				 "dimensions) VALUES (?1, ?2, ?3, ?4, ?5, ?6, "
				 "?7) ON CONFLICT (code) DO UPDATE SET "
				 "name_vi = excluded.name_vi, name_en = "
				 "excluded.name_en, counts = excluded.counts, "
				 "measure = excluded.measure, filter = "
				 "excluded.filter, dimensions = "
				 "excluded.dimensions",
				 0, "SELECT count(*) FROM indicator",
				 "SELECT 1 FROM indicator WHERE code = ?1",
				 "SELECT code FROM indicator ORDER BY code" },
	[CTIP_REF_KPI_RATE] = { "INSERT INTO kpi_rate (code, name_vi, name_en, "
				"numerator, denominator, target_percent, "
				"comparison, legal_basis) VALUES (?1, ?2, ?3, "
				"?4, ?5, ?6, ?7, ?8) ON CONFLICT (code) DO "
				"UPDATE SET name_vi = excluded.name_vi, "
				"name_en = excluded.name_en, numerator = "
				"excluded.numerator, denominator = "
				"excluded.denominator, target_percent = "
				"excluded.target_percent, comparison = "
				"excluded.comparison, legal_basis = "
				"excluded.legal_basis",
				1u << 5, "SELECT count(*) FROM kpi_rate",
				"SELECT 1 FROM kpi_rate WHERE code = ?1",
				"SELECT code FROM kpi_rate ORDER BY code" },
	[CTIP_REF_FORM] = { "INSERT INTO report_form (code, name_vi, name_en, "
			    "level, period_type, deadlines, layout, "
			    "legal_basis) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, "
			    "?8) ON CONFLICT (code) DO UPDATE SET name_vi = "
			    "excluded.name_vi, name_en = excluded.name_en, "
			    "level = excluded.level, period_type = "
			    "excluded.period_type, deadlines = "
			    "excluded.deadlines, layout = excluded.layout, "
			    "legal_basis = excluded.legal_basis",
			    0, "SELECT count(*) FROM report_form",
			    "SELECT 1 FROM report_form WHERE code = ?1",
			    "SELECT code FROM report_form ORDER BY code" },
	[CTIP_REF_FORM_ROW] = { "INSERT INTO form_row (layout, seq, "
				"section_vi, section_en, label_no, label_vi, "
				"label_en, item, by_dim) VALUES (?1, ?2, ?3, "
				"?4, ?5, ?6, ?7, ?8, ?9)",
				1u << 1, "SELECT count(*) FROM form_row",
				"SELECT 1 FROM form_row WHERE layout = ?1",
				"SELECT DISTINCT layout FROM form_row ORDER "
				"BY layout",
				"DELETE FROM form_row" },
	[CTIP_REF_RULE] = { "INSERT INTO validation_rule (code, left_item, op, "
			    "right_item, severity, message_vi, message_en) "
			    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
			    0, "SELECT count(*) FROM validation_rule",
			    "SELECT 1 FROM validation_rule WHERE code = ?1",
			    "SELECT code FROM validation_rule ORDER BY code",
			    "DELETE FROM validation_rule" },
	[CTIP_REF_PLAN_ALIAS] = { "INSERT INTO plan_agency_alias (alias, "
				  "agency) VALUES (?1, ?2)",
				  0, "SELECT count(*) FROM plan_agency_alias",
				  "SELECT 1 FROM plan_agency_alias WHERE alias "
				  "= ?1",
				  "SELECT alias FROM plan_agency_alias ORDER "
				  "BY alias",
				  "DELETE FROM plan_agency_alias" },
};

static const char *const count_sql[CTIP_COUNT_N_KINDS] = {
	[CTIP_COUNT_PROVINCES] =
		"SELECT count(*) FROM admin_unit WHERE level = 'province'",
	[CTIP_COUNT_COMMUNES] =
		"SELECT count(*) FROM admin_unit WHERE level = 'commune'",
	[CTIP_COUNT_ORG_UNITS] = "SELECT count(*) FROM org_unit",
	[CTIP_COUNT_USERS] = "SELECT count(*) FROM app_user",
	[CTIP_COUNT_PERSONS] = "SELECT count(*) FROM person",
	[CTIP_COUNT_EVENTS] = "SELECT count(*) FROM trafficking_event",
};

/* The persons a search may return: ?1 the unit, ?2 its province (or NULL
 * below province level), and records granted to the unit. */
#define PERSON_SCOPE                                                           \
	"(p.owner_unit_id = ?1 OR p.province_code = ?2 OR EXISTS (SELECT 1 "   \
	"FROM access_grant g WHERE g.object_type = 'person' AND g.object_id "  \
	"= p.id AND g.unit_id = ?1))"

/* A name word ?N (blinded) of the person pid in province prov. */
#define NAME_TOKEN(t, n, prov, pid)                                            \
	"EXISTS (SELECT 1 FROM person_name_token " t " WHERE " t ".token = " n \
	" AND " t ".province_code = " prov " AND " t ".person_id = " pid ")"

/* The further name words ?4-?6 of a search, each ignored when NULL. */
#define NAME_WORDS(prov, pid)                                                  \
	" AND (?4 IS NULL OR " NAME_TOKEN(                                     \
		"t4", "?4", prov,                                              \
		pid) ") AND (?5 "                                              \
		     "IS NULL OR " NAME_TOKEN(                                 \
			     "t5", "?5", prov,                                 \
			     pid) ") AND (?6 IS NULL "                         \
				  "OR " NAME_TOKEN("t6", "?6", prov, pid) ")"

/* The other criteria of a person search (struct ctip_person_query) on
 * person p, each ignored when NULL: ?7 citizen ID, ?8 phone, ?10 commune,
 * ?11 status, ?12 role, ?13 purpose (or its sub-purposes), ?14
 * destination country, ?15 verification overdue on that date. */
#define RECORD_FILTERS                                                         \
	" AND (?7 IS NULL OR p.citizen_id_bidx = ?7) AND (?8 IS NULL OR "      \
	"p.phone_bidx = ?8) AND (?10 IS NULL OR p.commune_code = ?10) AND "    \
	"(?11 IS NULL OR p.status = ?11) AND (?12 IS NULL OR p.role = ?12) "   \
	"AND (?13 IS NULL OR EXISTS (SELECT 1 FROM trafficking_event e JOIN "  \
	"event_purpose ep ON ep.event_id = e.id JOIN purpose pu ON pu.code = " \
	"ep.purpose_code WHERE e.person_id = p.id AND (pu.code = ?13 OR "      \
	"pu.parent_code = ?13))) AND (?14 IS NULL OR EXISTS (SELECT 1 FROM "   \
	"trafficking_event d WHERE d.person_id = p.id AND "                    \
	"d.destination_country = ?14)) AND (?15 IS NULL OR (p.verify_due < "   \
	"?15 AND (p.status = 'received' OR p.status = 'verifying')))"

/* A search by name ?3 among the unit's own persons (?1), the persons of
 * its province (?2, through the province's part of the name index) and
 * the persons granted to it. */
#define SEARCH_OWN                                                             \
	"SELECT p.id AS id FROM person p WHERE p.owner_unit_id = ?1 "          \
	"AND " NAME_TOKEN("t3", "?3", "p.province_code", "p.id")               \
		NAME_WORDS("p.province_code", "p.id") RECORD_FILTERS           \
		" ORDER BY p.id DESC LIMIT ?9"
#define SEARCH_PROVINCE                                                        \
	"SELECT t.person_id AS id FROM person_name_token t JOIN person p ON "  \
	"p.id = t.person_id WHERE t.token = ?3 AND t.province_code = "         \
	"?2" NAME_WORDS("?2", "t.person_id") RECORD_FILTERS                    \
		" ORDER BY t.person_id DESC LIMIT ?9"
#define SEARCH_GRANTED                                                         \
	"SELECT p.id AS id FROM access_grant g JOIN person p ON p.id = "       \
	"g.object_id WHERE g.unit_id = ?1 AND g.object_type = 'person' "       \
	"AND " NAME_TOKEN("t3", "?3", "p.province_code", "p.id")               \
		NAME_WORDS("p.province_code", "p.id") RECORD_FILTERS           \
		" ORDER BY p.id DESC LIMIT ?9"

/* A search without a name (?3 unused): every criterion, newest first. */
#define PERSON_FILTERS                                                         \
	NAME_WORDS("p.province_code", "p.id")                                  \
	RECORD_FILTERS " ORDER BY p.id DESC LIMIT ?9"

static const char *
stmt_sql(enum stmt_id id)
{
	if (id >= S_REF_UPSERT && id < S_REF_COUNT)
		return ref_sql[id - S_REF_UPSERT].upsert;
	if (id >= S_REF_COUNT && id < S_REF_EXISTS)
		return ref_sql[id - S_REF_COUNT].count;
	if (id >= S_REF_EXISTS && id < S_REF_CODES)
		return ref_sql[id - S_REF_EXISTS].exists;
	if (id >= S_REF_CODES && id < S_REF_CLEAR)
		return ref_sql[id - S_REF_CODES].codes;
	if (id >= S_REF_CLEAR && id < S_COUNT)
		return ref_sql[id - S_REF_CLEAR].clear;
	if (id >= S_COUNT && id < S_COMMUNES)
		return count_sql[id - S_COUNT];
	switch (id) {
	case S_META_GET:
		return "SELECT value FROM meta WHERE key = ?1";
	case S_META_SET:
		return "INSERT INTO meta (key, value) VALUES (?1, ?2) "
		       "ON CONFLICT (key) DO UPDATE SET value = excluded.value";
	case S_COMMUNES:
		return "SELECT code, province_code FROM admin_unit "
		       "WHERE level = 'commune' ORDER BY code";
	case S_ADMIN_UNIT_GET:
		return "SELECT code, level, name, full_name, province_code "
		       "FROM admin_unit WHERE code = ?1";
	case S_AGENCY_LEVELS:
		return "SELECT levels FROM agency WHERE code = ?1";
	case S_ORG_GET:
		return "SELECT id FROM org_unit WHERE agency_code = ?1 "
		       "AND admin_code = ?2";
	case S_ORG_INSERT:
		return "INSERT INTO org_unit (agency_code, admin_code, name, "
		       "created_at) VALUES (?1, ?2, ?3, ?4) ON CONFLICT "
		       "(agency_code, admin_code) DO NOTHING";
	case S_USER_INSERT:
		return "INSERT INTO app_user (username, display_name, "
		       "org_unit_id, password_hash, created_at, updated_at) "
		       "VALUES (?1, ?2, ?3, ?4, ?5, ?5)";
	case S_ROLE_INSERT:
		return "INSERT INTO user_role (user_id, role) VALUES (?1, ?2)";
	case S_PERSON_INSERT:
		return "INSERT INTO person (owner_unit_id, province_code, "
		       "commune_code, role, accompanies_id, sex, birth_date, "
		       "birth_year, ethnicity_code, nationality, citizenship, "
		       "name_bidx, name_enc, citizen_id_enc, citizen_id_bidx, "
		       "phone_enc, phone_bidx, address_enc, is_demo, "
		       "created_at, created_by, updated_at, updated_by, "
		       "contacts_enc, birth_estimated, status, received_on, "
		       "verify_due, identified_on) VALUES "
		       "(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, "
		       "?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?20, ?21, "
		       "?22, ?23, ?24, ?25, ?26, ?27)";
	case S_EVENT_INSERT:
		return "INSERT INTO trafficking_event (person_id, "
		       "province_code, abroad, destination_country, "
		       "recruitment_means, recruited_on, exploited_from, "
		       "exploited_to, discovery, discovered_on, created_at, "
		       "created_by) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, "
		       "?9, ?10, ?11, ?12)";
	case S_ORG_UNIT_GET:
		return "SELECT o.id, o.name, o.agency_code, o.admin_code, "
		       "a.level, "
		       "CASE WHEN a.level = 'commune' THEN a.province_code "
		       "WHEN "
		       "a.level = 'province' THEN a.code END FROM org_unit o "
		       "JOIN "
		       "admin_unit a ON a.code = o.admin_code WHERE o.id = ?1";
	case S_ORG_UNIT_LIST:
		return "SELECT o.id, o.name, o.agency_code, o.admin_code, "
		       "a.level, "
		       "CASE WHEN a.level = 'commune' THEN a.province_code "
		       "WHEN "
		       "a.level = 'province' THEN a.code END FROM org_unit o "
		       "JOIN "
		       "admin_unit a ON a.code = o.admin_code ORDER BY "
		       "o.admin_code, o.agency_code";
	case S_USER_GET:
		return "SELECT u.id, u.username, u.display_name, "
		       "u.org_unit_id, "
		       "u.password_hash, (SELECT group_concat(r.role, ',') "
		       "FROM "
		       "(SELECT role FROM user_role WHERE user_id = u.id ORDER "
		       "BY "
		       "role) r), u.must_change_password, u.disabled, "
		       "u.failed_logins, u.locked_until, u.version FROM "
		       "app_user u "
		       "WHERE u.id = ?1";
	case S_USER_FIND:
		return "SELECT u.id, u.username, u.display_name, "
		       "u.org_unit_id, "
		       "u.password_hash, (SELECT group_concat(r.role, ',') "
		       "FROM "
		       "(SELECT role FROM user_role WHERE user_id = u.id ORDER "
		       "BY "
		       "role) r), u.must_change_password, u.disabled, "
		       "u.failed_logins, u.locked_until, u.version FROM "
		       "app_user u "
		       "WHERE u.username = ?1";
	case S_USER_LIST:
		return "SELECT u.id, u.username, u.display_name, "
		       "u.org_unit_id, "
		       "u.password_hash, (SELECT group_concat(r.role, ',') "
		       "FROM "
		       "(SELECT role FROM user_role WHERE user_id = u.id ORDER "
		       "BY "
		       "role) r), u.must_change_password, u.disabled, "
		       "u.failed_logins, u.locked_until, u.version FROM "
		       "app_user u "
		       "ORDER BY u.username";
	case S_USER_LOGIN_STATE:
		return "UPDATE app_user SET failed_logins = ?2, locked_until = "
		       "?3 "
		       "WHERE id = ?1";
	case S_USER_PASSWORD:
		return "UPDATE app_user SET password_hash = ?2, "
		       "must_change_password = ?3, password_changed_at = ?4, "
		       "updated_at = ?4, failed_logins = 0, locked_until = "
		       "NULL, "
		       "version = version + 1 WHERE id = ?1";
	case S_USER_DISABLED:
		return "UPDATE app_user SET disabled = ?2, updated_at = ?3, "
		       "version = version + 1 WHERE id = ?1";
	case S_SESSION_INSERT:
		return "INSERT INTO session (token_hash, user_id, csrf_token, "
		       "created_at, last_seen_at, expires_at, ip) VALUES (?1, "
		       "?2, "
		       "?3, ?4, ?4, ?5, ?6)";
	case S_SESSION_GET:
		return "SELECT user_id, csrf_token, last_seen_at, expires_at "
		       "FROM "
		       "session WHERE token_hash = ?1";
	case S_SESSION_USER:
		return "SELECT s.user_id, s.csrf_token, s.last_seen_at, "
		       "s.expires_at, u.id, u.username, u.display_name, "
		       "u.org_unit_id, u.password_hash, (SELECT "
		       "group_concat(r.role, ',') FROM (SELECT role FROM "
		       "user_role WHERE user_id = u.id ORDER BY role) r), "
		       "u.must_change_password, u.disabled, u.failed_logins, "
		       "u.locked_until, u.version, o.id, o.name, "
		       "o.agency_code, "
		       "o.admin_code, a.level, CASE WHEN a.level = 'commune' "
		       "THEN a.province_code WHEN a.level = 'province' THEN "
		       "a.code END FROM session s JOIN app_user u ON u.id = "
		       "s.user_id JOIN org_unit o ON o.id = u.org_unit_id JOIN "
		       "admin_unit a ON a.code = o.admin_code WHERE "
		       "s.token_hash = ?1";
	case S_SESSION_TOUCH:
		return "UPDATE session SET last_seen_at = ?2 WHERE token_hash "
		       "= ?1";
	case S_SESSION_DELETE:
		return "DELETE FROM session WHERE token_hash = ?1";
	case S_SESSION_DELETE_USER:
		return "DELETE FROM session WHERE user_id = ?1 AND (?2 IS NULL "
		       "OR token_hash <> ?2)";
	case S_TOKEN_INSERT:
		return "INSERT INTO api_token (user_id, name, token_hash, "
		       "created_at) VALUES (?1, ?2, ?3, ?4)";
	case S_TOKEN_GET:
		return "SELECT user_id FROM api_token WHERE token_hash = ?1 "
		       "AND "
		       "revoked_at IS NULL";
	case S_TOKEN_REVOKE:
		return "UPDATE api_token SET revoked_at = ?2 WHERE id = ?1 AND "
		       "revoked_at IS NULL";
	case S_PERSON_GET:
		return "SELECT id, owner_unit_id, province_code, commune_code, "
		       "role, accompanies_id, sex, birth_date, birth_year, "
		       "ethnicity_code, nationality, citizenship, name_enc, "
		       "citizen_id_enc, phone_enc, address_enc, is_demo, "
		       "version, contacts_enc, birth_estimated, status, "
		       "received_on, verify_due, identified_on, updated_at "
		       "FROM person WHERE id = ?1";
	case S_ACCESS_GRANTED:
		return "SELECT 1 FROM access_grant WHERE object_type = ?1 AND "
		       "object_id = ?2 AND unit_id = ?3";
	case S_ACCESS_GRANT:
		return "INSERT INTO access_grant (object_type, object_id, "
		       "unit_id, "
		       "granted_at, granted_by) VALUES (?1, ?2, ?3, ?4, ?5) ON "
		       "CONFLICT DO NOTHING";
	case S_PERSON_SEARCH_NAME:
		/* The scope in three parts, each on its own index and
		 * stopped at the limit. */
		return "SELECT id FROM (SELECT id FROM (" SEARCH_OWN
		       ") AS a UNION SELECT id FROM (" SEARCH_PROVINCE
		       ") AS b UNION SELECT id FROM (" SEARCH_GRANTED
		       ") AS c) AS u ORDER BY id DESC LIMIT ?9";
	case S_PERSON_SEARCH_CID:
		return "SELECT p.id FROM person p WHERE p.citizen_id_bidx = ?7 "
		       "AND " PERSON_SCOPE PERSON_FILTERS;
	case S_PERSON_SEARCH_PHONE:
		return "SELECT p.id FROM person p WHERE p.phone_bidx = ?8 "
		       "AND " PERSON_SCOPE PERSON_FILTERS;
	case S_PERSON_LIST:
		/* The scope as a union, each part on its own index. */
		return "SELECT p.id FROM person p WHERE p.id IN (SELECT id "
		       "FROM person WHERE owner_unit_id = ?1 UNION SELECT id "
		       "FROM person WHERE province_code = ?2 UNION SELECT "
		       "object_id FROM access_grant WHERE unit_id = ?1 AND "
		       "object_type = 'person')" PERSON_FILTERS;
	case S_INTAKE_INSERT:
		return "INSERT INTO intake (owner_unit_id, province_code, "
		       "commune_code, received_at, channel, language, "
		       "reporter_anonymous, reporter_name_enc, "
		       "reporter_phone_enc, "
		       "reporter_phone_bidx, summary_enc, classification, "
		       "purpose_code, urgency, status, classified_at, "
		       "classified_by, deadline, idempotency_key, created_at, "
		       "created_by, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, "
		       "?6, "
		       "?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, "
		       "?18, "
		       "?19, ?20, ?21, ?20)";
	case S_INTAKE_MENTION_INSERT:
		return "INSERT INTO intake_mention (intake_id, kind, seq, "
		       "value_enc, bidx) VALUES (?1, ?2, ?3, ?4, ?5)";
	case S_INTAKE_FIND_KEY:
		return "SELECT id FROM intake WHERE created_by = ?1 AND "
		       "idempotency_key = ?2";
	case S_INTAKE_HAND_OVER:
		return "UPDATE intake SET owner_unit_id = ?3, updated_at = ?4, "
		       "version = version + 1 "
		       "WHERE id = ?1 AND owner_unit_id = ?2";
	case S_INTAKE_GET:
		return "SELECT id, owner_unit_id, province_code, commune_code, "
		       "received_at, channel, language, reporter_anonymous, "
		       "reporter_name_enc, reporter_phone_enc, "
		       "reporter_phone_bidx, summary_enc, classification, "
		       "purpose_code, urgency, status, classified_at, "
		       "classified_by, deadline, extension, decision, "
		       "decision_note_enc, decided_at, decided_by, "
		       "resolution_enc, "
		       "resolved_at, resolved_by, idempotency_key, created_at, "
		       "created_by, updated_at, version FROM intake WHERE id = "
		       "?1";
	case S_INTAKE_MENTIONS:
		return "SELECT kind, value_enc, bidx FROM intake_mention WHERE "
		       "intake_id = ?1 ORDER BY kind, seq";
	case S_INTAKE_UPDATE:
		return "UPDATE intake SET classification = ?2, purpose_code = "
		       "?3, "
		       "urgency = ?4, status = ?5, classified_at = ?6, "
		       "classified_by = ?7, deadline = ?8, extension = ?9, "
		       "decision = ?10, decision_note_enc = ?11, decided_at = "
		       "?12, "
		       "decided_by = ?13, resolution_enc = ?14, resolved_at = "
		       "?15, "
		       "resolved_by = ?16, updated_at = ?17, version = version "
		       "+ 1 "
		       "WHERE id = ?1 AND version = ?18";
	case S_INTAKE_LIST_ALL:
		return "SELECT id FROM intake WHERE owner_unit_id = ?1 AND (?5 "
		       "IS NULL OR status = ?5) ORDER BY id DESC LIMIT ?4";
	case S_INTAKE_LIST_OVERDUE:
		return "SELECT id FROM intake WHERE owner_unit_id = ?1 AND "
		       "status "
		       "<> 'resolved' AND deadline IS NOT NULL AND deadline < "
		       "?2 "
		       "ORDER BY deadline LIMIT ?4";
	case S_INTAKE_LIST_SOON:
		return "SELECT id FROM intake WHERE owner_unit_id = ?1 AND "
		       "status "
		       "<> 'resolved' AND deadline IS NOT NULL AND deadline >= "
		       "?2 "
		       "AND deadline < ?3 ORDER BY deadline LIMIT ?4";
	case S_INTAKE_REPEAT:
		return "SELECT i.id FROM intake i WHERE (i.reporter_phone_bidx "
		       "= ?2 OR EXISTS (SELECT 1 FROM intake_mention m WHERE "
		       "m.intake_id = i.id AND m.bidx = ?2)) AND "
		       "(i.owner_unit_id = ?1 OR EXISTS (SELECT 1 FROM "
		       "access_grant g WHERE g.object_type = 'intake' AND "
		       "g.object_id = i.id AND g.unit_id = ?1)) ORDER BY i.id "
		       "DESC LIMIT ?3";
	case S_REFERRAL_INSERT:
		return "INSERT INTO referral (object_type, object_id, "
		       "from_unit_id, to_unit_id, note_enc, status, sent_at, "
		       "sent_by, ack_due_at) VALUES (?1, ?2, ?3, ?4, ?5, "
		       "'sent', "
		       "?6, ?7, ?8)";
	case S_REFERRAL_GET:
		return "SELECT id, object_type, object_id, from_unit_id, "
		       "to_unit_id, note_enc, status, sent_at, sent_by, "
		       "ack_due_at, responded_at, responded_by, "
		       "refusal_reason_enc, closed_at, closed_by, version FROM "
		       "referral WHERE id = ?1";
	case S_REFERRAL_UPDATE:
		return "UPDATE referral SET status = ?2, responded_at = ?3, "
		       "responded_by = ?4, refusal_reason_enc = ?5, closed_at "
		       "= "
		       "?6, closed_by = ?7, version = version + 1 WHERE id = "
		       "?1 "
		       "AND version = ?8";
	case S_REFERRAL_INBOX:
		return "SELECT id FROM referral WHERE to_unit_id = ?1 AND (?2 "
		       "IS "
		       "NULL OR status = ?2) ORDER BY id DESC LIMIT ?3";
	case S_REFERRAL_OUTBOX:
		return "SELECT id FROM referral WHERE from_unit_id = ?1 AND "
		       "(?2 IS "
		       "NULL OR status = ?2) ORDER BY id DESC LIMIT ?3";
	case S_REFERRAL_COUNTS:
		return "SELECT status, count(*), sum(CASE WHEN status = 'sent' "
		       "AND "
		       "ack_due_at < ?2 THEN 1 ELSE 0 END) FROM referral WHERE "
		       "to_unit_id = ?1 GROUP BY status";
	case S_ACCESS_REVOKE:
		return "DELETE FROM access_grant WHERE object_type = ?1 AND "
		       "object_id = ?2 AND unit_id = ?3";
	case S_INTAKE_COUNTS_COMMUNE:
		return "SELECT count(*), count(i.classification), "
		       "coalesce(sum(CASE WHEN i.status = 'resolved' THEN 1 "
		       "ELSE 0 "
		       "END), 0), count(i.deadline), coalesce(sum(CASE WHEN "
		       "i.deadline IS NOT NULL AND i.classification IS NOT "
		       "NULL THEN 1 ELSE 0 END), 0), coalesce(sum(CASE WHEN "
		       "i.deadline IS NOT NULL AND i.status = 'resolved' THEN "
		       "1 "
		       "ELSE 0 END), 0), coalesce(sum(CASE WHEN i.deadline IS "
		       "NOT "
		       "NULL AND i.status = 'resolved' AND i.resolved_at <= "
		       "i.deadline THEN 1 ELSE 0 END), 0), coalesce(sum(CASE "
		       "WHEN "
		       "EXISTS (SELECT 1 FROM referral r WHERE r.object_type = "
		       "'intake' AND r.object_id = i.id) THEN 1 ELSE 0 END), "
		       "0) "
		       "FROM intake i WHERE i.commune_code = ?1 AND "
		       "i.received_at "
		       ">= ?3 AND i.received_at < ?4";
	case S_INTAKE_COUNTS_PROV:
		return "SELECT count(*), count(i.classification), "
		       "coalesce(sum(CASE WHEN i.status = 'resolved' THEN 1 "
		       "ELSE 0 "
		       "END), 0), count(i.deadline), coalesce(sum(CASE WHEN "
		       "i.deadline IS NOT NULL AND i.classification IS NOT "
		       "NULL THEN 1 ELSE 0 END), 0), coalesce(sum(CASE WHEN "
		       "i.deadline IS NOT NULL AND i.status = 'resolved' THEN "
		       "1 "
		       "ELSE 0 END), 0), coalesce(sum(CASE WHEN i.deadline IS "
		       "NOT "
		       "NULL AND i.status = 'resolved' AND i.resolved_at <= "
		       "i.deadline THEN 1 ELSE 0 END), 0), coalesce(sum(CASE "
		       "WHEN "
		       "EXISTS (SELECT 1 FROM referral r WHERE r.object_type = "
		       "'intake' AND r.object_id = i.id) THEN 1 ELSE 0 END), "
		       "0) "
		       "FROM intake i WHERE i.province_code = ?2 AND "
		       "i.received_at "
		       ">= ?3 AND i.received_at < ?4";
	case S_INTAKE_COUNTS_NATION:
		return "SELECT count(*), count(i.classification), "
		       "coalesce(sum(CASE WHEN i.status = 'resolved' THEN 1 "
		       "ELSE 0 "
		       "END), 0), count(i.deadline), coalesce(sum(CASE WHEN "
		       "i.deadline IS NOT NULL AND i.classification IS NOT "
		       "NULL THEN 1 ELSE 0 END), 0), coalesce(sum(CASE WHEN "
		       "i.deadline IS NOT NULL AND i.status = 'resolved' THEN "
		       "1 "
		       "ELSE 0 END), 0), coalesce(sum(CASE WHEN i.deadline IS "
		       "NOT "
		       "NULL AND i.status = 'resolved' AND i.resolved_at <= "
		       "i.deadline THEN 1 ELSE 0 END), 0), coalesce(sum(CASE "
		       "WHEN "
		       "EXISTS (SELECT 1 FROM referral r WHERE r.object_type = "
		       "'intake' AND r.object_id = i.id) THEN 1 ELSE 0 END), "
		       "0) "
		       "FROM intake i WHERE i.received_at >= ?3 AND "
		       "i.received_at "
		       "< ?4";
	case S_REFERRAL_BY_AGENCY_COMMUNE:
		return "SELECT o.agency_code, count(*) FROM intake i CROSS "
		       "JOIN "
		       "referral r CROSS JOIN org_unit o WHERE i.commune_code "
		       "= "
		       "?1 AND i.received_at >= ?3 AND i.received_at < ?4 AND "
		       "r.object_type = 'intake' AND r.object_id = i.id AND "
		       "o.id = "
		       "r.to_unit_id GROUP BY o.agency_code ORDER BY "
		       "o.agency_code";
	case S_REFERRAL_BY_AGENCY_PROV:
		return "SELECT o.agency_code, count(*) FROM intake i CROSS "
		       "JOIN "
		       "referral r CROSS JOIN org_unit o WHERE i.province_code "
		       "= "
		       "?2 AND i.received_at >= ?3 AND i.received_at < ?4 AND "
		       "r.object_type = 'intake' AND r.object_id = i.id AND "
		       "o.id = "
		       "r.to_unit_id GROUP BY o.agency_code ORDER BY "
		       "o.agency_code";
	case S_REFERRAL_BY_AGENCY_NATION:
		return "SELECT o.agency_code, count(*) FROM intake i JOIN "
		       "referral r ON r.object_type = 'intake' AND r.object_id "
		       "= i.id JOIN org_unit o ON o.id = r.to_unit_id WHERE "
		       "i.received_at >= ?3 AND i.received_at < ?4 GROUP BY "
		       "o.agency_code ORDER BY o.agency_code";
	case S_REFERRAL_DELAYS_COMMUNE:
		return "SELECT i.received_at, min(r.sent_at) FROM intake i "
		       "CROSS "
		       "JOIN referral r WHERE i.commune_code = ?1 AND "
		       "i.received_at >= ?3 AND i.received_at < ?4 AND "
		       "r.object_type = 'intake' AND r.object_id = i.id GROUP "
		       "BY "
		       "i.id, i.received_at";
	case S_REFERRAL_DELAYS_PROV:
		return "SELECT i.received_at, min(r.sent_at) FROM intake i "
		       "CROSS "
		       "JOIN referral r WHERE i.province_code = ?2 AND "
		       "i.received_at >= ?3 AND i.received_at < ?4 AND "
		       "r.object_type = 'intake' AND r.object_id = i.id GROUP "
		       "BY "
		       "i.id, i.received_at";
	case S_REFERRAL_DELAYS_NATION:
		return "SELECT i.received_at, min(r.sent_at) FROM intake i "
		       "JOIN "
		       "referral r ON r.object_type = 'intake' AND r.object_id "
		       "= i.id WHERE i.received_at >= ?3 AND i.received_at < "
		       "?4 GROUP BY i.id, i.received_at";
	case S_INTAKE_PERSON_LINK:
		return "INSERT INTO intake_person (intake_id, person_id) "
		       "VALUES "
		       "(?1, ?2) ON CONFLICT DO NOTHING";
	case S_INTAKE_PERSONS:
		return "SELECT person_id FROM intake_person WHERE intake_id = "
		       "?1 ORDER BY person_id";
	case S_PERSON_INTAKES:
		return "SELECT intake_id FROM intake_person WHERE person_id = "
		       "?1 ORDER BY intake_id";
	case S_CASE_INSERT:
		return "INSERT INTO criminal_case (owner_unit_id, "
		       "province_code, "
		       "stage, article, title_enc, created_at, created_by, "
		       "updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?6)";
	case S_INTAKE_CASE_LINK:
		return "INSERT INTO intake_case (intake_id, case_id) VALUES "
		       "(?1, ?2) ON CONFLICT DO NOTHING";
	case S_INTAKE_CASES:
		return "SELECT case_id FROM intake_case WHERE intake_id = ?1 "
		       "ORDER BY case_id";
	case S_CASE_INTAKES:
		return "SELECT intake_id FROM intake_case WHERE case_id = ?1 "
		       "ORDER BY intake_id";
	case S_AUDIT_LAST:
		return "SELECT id, mac FROM audit_log ORDER BY id DESC LIMIT 1";
	case S_AUDIT_INSERT:
		return "INSERT INTO audit_log (id, at, user_id, username, "
		       "org_unit_id, action, object_type, object_id, ip, "
		       "reason, "
		       "outcome, mac) VALUES (?12, ?1, ?2, ?3, ?4, ?5, ?6, ?7, "
		       "?8, ?9, ?10, ?11)";
	case S_AUDIT_LIST:
		return "SELECT id, at, user_id, username, org_unit_id, action, "
		       "object_type, object_id, ip, reason, outcome, mac FROM "
		       "audit_log WHERE (?1 = 0 OR id < ?1) AND (?2 IS NULL OR "
		       "username = ?2) AND (?3 IS NULL OR action = ?3) AND (?5 "
		       "IS NULL OR outcome = ?5) ORDER BY id DESC LIMIT ?4";
	case S_TX_READ:
		return "BEGIN";
	case S_TX_WRITE:
		return "BEGIN IMMEDIATE";
	case S_TX_COMMIT:
		return "COMMIT";
	case S_AUDIT_WALK:
		return "SELECT id, at, user_id, username, org_unit_id, action, "
		       "object_type, object_id, ip, reason, outcome, mac FROM "
		       "audit_log ORDER BY id";
	case S_NAME_TOKEN_INSERT:
		return "INSERT INTO person_name_token (token, province_code, "
		       "person_id) VALUES (?1, ?3, ?2) ON CONFLICT DO NOTHING";
	case S_EVENT_PURPOSE_INSERT:
		return "INSERT INTO event_purpose (event_id, purpose_code) "
		       "VALUES (?1, ?2)";
	default:
		break;
	}
	if (id >= S_CASEWORK && id < S_CASE)
		return sq_casework_sql(id);
	if (id >= S_CASE && id < S_STATS)
		return sq_case_sql(id);
	if (id >= S_STATS && id < S_REPORT)
		return sq_stats_sql(id);
	if (id >= S_REPORT && id < S_PLAN)
		return sq_report_sql(id);
	if (id >= S_PLAN && id < S_N)
		return sq_plan_sql(id);
	assert(!"statement without SQL");
	return NULL;
}

enum ctip_status
sq_db_error(struct sqlite_store *s, struct ctip_err *err, const char *what)
{
	int ext = sqlite3_extended_errcode(s->db);

	if (ext == SQLITE_CONSTRAINT_UNIQUE ||
	    ext == SQLITE_CONSTRAINT_PRIMARYKEY)
		return ctip_err_set(err, CTIP_EEXIST, "could not %s: %s", what,
				    sqlite3_errmsg(s->db));
	if ((ext & 0xff) == SQLITE_CONSTRAINT)
		return ctip_err_set(err, CTIP_EINVAL, "could not %s: %s", what,
				    sqlite3_errmsg(s->db));
	return ctip_err_set(err, CTIP_ESTORE, "could not %s: %s", what,
			    sqlite3_errmsg(s->db));
}

/* The cached statement id, reset and with its bindings cleared. */
sqlite3_stmt *
sq_stmt(struct sqlite_store *s, int id, struct ctip_err *err)
{
	sqlite3_stmt *q = s->stmts[id];

	if (q == NULL) {
		if (sqlite3_prepare_v3(s->db, stmt_sql(id), -1,
				       SQLITE_PREPARE_PERSISTENT, &q,
				       NULL) != SQLITE_OK) {
			sq_db_error(s, err, "prepare a statement");
			return NULL;
		}
		s->stmts[id] = q;
	}
	return q;
}

void
sq_done(sqlite3_stmt *q)
{
	sqlite3_reset(q);
	sqlite3_clear_bindings(q);
}

void
sq_bind_text(sqlite3_stmt *q, int i, const char *v)
{
	if (v == NULL)
		sqlite3_bind_null(q, i);
	else
		sqlite3_bind_text(q, i, v, -1, SQLITE_STATIC);
}

void
sq_bind_blob(sqlite3_stmt *q, int i, const unsigned char *v, size_t n)
{
	if (v == NULL)
		sqlite3_bind_null(q, i);
	else
		sqlite3_bind_blob(q, i, v, (int)n, SQLITE_STATIC);
}

void
sq_bind_id(sqlite3_stmt *q, int i, int64_t v)
{
	if (v == 0)
		sqlite3_bind_null(q, i);
	else
		sqlite3_bind_int64(q, i, v);
}

/* Run a statement that returns no rows. */
enum ctip_status
sq_exec_stmt(struct sqlite_store *s, sqlite3_stmt *q, const char *what,
	     struct ctip_err *err)
{
	enum ctip_status rc = CTIP_OK;

	if (sqlite3_step(q) != SQLITE_DONE)
		rc = sq_db_error(s, err, what);
	sq_done(q);
	return rc;
}

/* Step q once: CTIP_OK with a row, CTIP_ENOTFOUND (what) without. The
 * caller reads the row, then calls sq_done(q). */
int
sq_step_one(struct sqlite_store *s, sqlite3_stmt *q, const char *what,
	    struct ctip_err *err)
{
	int rc = sqlite3_step(q);

	if (rc == SQLITE_ROW)
		return CTIP_OK;
	if (rc == SQLITE_DONE)
		return ctip_err_set(err, CTIP_ENOTFOUND, "%s does not exist",
				    what);
	return sq_db_error(s, err, "read from the database");
}

/* Run an INSERT and give the new row's id. */
enum ctip_status
sq_insert_row(int64_t *out, struct sqlite_store *s, sqlite3_stmt *q,
	      const char *what, struct ctip_err *err)
{
	enum ctip_status rc = sq_exec_stmt(s, q, what, err);

	if (rc == CTIP_OK)
		*out = sqlite3_last_insert_rowid(s->db);
	return rc;
}

static enum ctip_status
exec_sql(struct sqlite_store *s, const char *sql, const char *what,
	 struct ctip_err *err)
{
	if (sqlite3_exec(s->db, sql, NULL, NULL, NULL) != SQLITE_OK)
		return sq_db_error(s, err, what);
	return CTIP_OK;
}

/* Run transaction statement id (S_TX_*). */
static int
tx(struct sqlite_store *s, int id, const char *what, struct ctip_err *err)
{
	sqlite3_stmt *q = sq_stmt(s, id, err);

	return q != NULL ? sq_exec_stmt(s, q, what, err) : err->code;
}

/*
 * Writers of one process queue on a mutex before SQLite's write lock.
 * SQLite's busy handler sleeps 1 to 100 ms between retries, so threads of
 * a busy server waiting for the lock slept long after it was free (perf:
 * thousands of sleeps per second under load); a mutex wakes the next
 * writer at once. Other processes (the CLI beside a server) still meet
 * at SQLite's lock. The wait is bounded like the busy timeout, so a bug
 * that waits for another writer while holding the lock fails, not hangs.
 */
static pthread_mutex_t writer_lock = PTHREAD_MUTEX_INITIALIZER;

static int
sq_begin(struct ctip_store *st, struct ctip_err *err)
{
	struct sqlite_store *s = S(st);
	struct timespec until;
	int rc;

	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += 10;
	if (pthread_mutex_timedlock(&writer_lock, &until) != 0)
		return ctip_err_set(err, CTIP_ESTORE,
				    "could not begin a transaction: the "
				    "database stayed busy for 10 s");
	/* IMMEDIATE: take the write lock now, so a busy writer waits on the
	 * busy timeout here instead of failing half-way through. */
	rc = tx(s, S_TX_WRITE, "begin a transaction", err);
	if (rc == CTIP_OK)
		s->writing = true;
	else
		pthread_mutex_unlock(&writer_lock);
	return rc;
}

/* Release the writers' mutex once the transaction is over. */
static void
end_write(struct sqlite_store *s)
{
	if (s->writing && sqlite3_get_autocommit(s->db)) {
		s->writing = false;
		pthread_mutex_unlock(&writer_lock);
	}
}

/* Page cache sizes in KiB (negative cache_size = KiB): the default for
 * every connection, and for one large import transaction, whose indexes
 * would otherwise spill to disk and be re-read page by page. */
#define CACHE_KIB      "-65536"
#define BULK_CACHE_KIB "-524288"

/* A mapped connection reads the database file through a mapping instead
 * of copying each page through read(2) into its page cache: statistics
 * over a national half-year touch some 70,000 scattered person rows, more
 * than the cache holds. 16 GiB asked; SQLite caps it at its compiled
 * maximum (2 GiB in Debian's build), past which pages are read through
 * the page cache. Only connections that count are mapped: SQLite drops a
 * connection's whole mapping at its next read after any other connection
 * wrote, so a connection serving short reads beside writers would unmap
 * and map the file again at nearly every request (docs/decisions.md,
 * "Periodic reports"). */
#define MMAP_BYTES "17179869184"

static int
sq_map(struct ctip_store *st, bool on, struct ctip_err *err)
{
	struct sqlite_store *s = S(st);
	int rc = exec_sql(s,
			  on ? "PRAGMA mmap_size = " MMAP_BYTES
			     : "PRAGMA mmap_size = 0",
			  "map the database", err);

	if (rc == CTIP_OK)
		s->mapped = on;
	return rc;
}

/* A bulk load leaves foreign keys to its caller, which writes only
 * references it has checked (docs/decisions.md, "Bulk import"): SQLite's
 * check is one parent look-up per reference per row, about 16 per person.
 * The pragma has no effect inside a transaction, hence here. */
static int
sq_bulk(struct ctip_store *st, bool on, struct ctip_err *err)
{
	struct sqlite_store *s = S(st);
	sqlite3_stmt *q;
	int rc, fk = -1;

	if (!sqlite3_get_autocommit(s->db))
		return ctip_err_set(err, CTIP_ESTORE,
				    "bulk mode changes outside a transaction "
				    "only");
	rc = exec_sql(s,
		      on ? "PRAGMA foreign_keys = OFF; "
			   "PRAGMA cache_size = " BULK_CACHE_KIB
			 : "PRAGMA foreign_keys = ON; "
			   "PRAGMA cache_size = " CACHE_KIB,
		      on ? "start a bulk load" : "end a bulk load", err);
	if (rc != CTIP_OK)
		return rc;
	/* The pragma fails silently: read it back. */
	if (sqlite3_prepare_v2(s->db, "PRAGMA foreign_keys", -1, &q, NULL) ==
	    SQLITE_OK) {
		if (sqlite3_step(q) == SQLITE_ROW)
			fk = sqlite3_column_int(q, 0);
		sqlite3_finalize(q);
	}
	if (fk != (on ? 0 : 1))
		return ctip_err_set(err, CTIP_ESTORE,
				    "foreign keys are still %s",
				    on ? "on" : "off");
	return CTIP_OK;
}

/* Forget the indexes a load dropped (after they are back, or on a
 * rollback, which restores them). */
static void
forget_dropped(struct sqlite_store *s)
{
	char **d;

	for (d = s->dropped; d != NULL && *d != NULL; d++)
		sqlite3_free(*d);
	free(s->dropped);
	s->dropped = NULL;
}

static int
sq_load_indexes(struct ctip_store *st, bool drop, struct ctip_err *err)
{
	struct sqlite_store *s = S(st);
	sqlite3_stmt *q;
	char **d, **names, sql[256];
	size_t n = 0, i;
	int rc = CTIP_OK;

	if (!drop) {
		for (d = s->dropped; d != NULL && *d != NULL && rc == CTIP_OK;
		     d++)
			rc = exec_sql(s, *d, "create an index again", err);
		forget_dropped(s);
		return rc;
	}
	if (sqlite3_prepare_v2(s->db,
			       "SELECT name, sql FROM sqlite_master WHERE "
			       "type = 'index' AND sql IS NOT NULL AND sql "
			       "NOT LIKE 'CREATE UNIQUE%' AND tbl_name IN "
			       "('person', 'trafficking_event') AND NOT "
			       "EXISTS (SELECT 1 FROM person)",
			       -1, &q, NULL) != SQLITE_OK)
		return sq_db_error(s, err, "read the indexes");
	forget_dropped(s);
	s->dropped = ctip_xmalloc(64 * sizeof(*s->dropped));
	names = ctip_xmalloc(64 * sizeof(*names));
	while (n < 63 && sqlite3_step(q) == SQLITE_ROW) {
		names[n] = sqlite3_mprintf(
			"%s", (const char *)sqlite3_column_text(q, 0));
		s->dropped[n++] = sqlite3_mprintf(
			"%s", (const char *)sqlite3_column_text(q, 1));
	}
	s->dropped[n] = NULL;
	/* A schema change waits for the reading statement to end. */
	sqlite3_finalize(q);
	for (i = 0; i < n; i++) {
		/* Index names are the schema's own identifiers. */
		snprintf(sql, sizeof(sql), "DROP INDEX %s", names[i]);
		if (rc == CTIP_OK)
			rc = exec_sql(s, sql, "drop an index", err);
		sqlite3_free(names[i]);
	}
	free(names);
	return rc;
}

static void
sq_rollback(struct ctip_store *st)
{
	if (!sqlite3_get_autocommit(S(st)->db))
		sqlite3_exec(S(st)->db, "ROLLBACK", NULL, NULL, NULL);
	forget_dropped(S(st));
	end_write(S(st));
}

static int
sq_read_snapshot(struct ctip_store *st, bool on, struct ctip_err *err)
{
	/* A deferred transaction takes its snapshot at its first read and
	 * no write lock. */
	struct sqlite_store *s = S(st);
	int rc = tx(s, on ? S_TX_READ : S_TX_COMMIT,
		    on ? "begin a read" : "end a read", err);

	/* A read that could not end must not stay open on a connection a
	 * server thread keeps: it would refuse every later transaction. */
	if (rc != CTIP_OK && !on)
		sq_rollback(st);
	return rc;
}

static int
sq_commit(struct ctip_store *st, struct ctip_err *err)
{
	int rc = tx(S(st), S_TX_COMMIT, "commit", err);

	end_write(S(st));
	return rc;
}

int
sq_version_of(sqlite3 *db, int *out)
{
	sqlite3_stmt *q;
	int rc;

	*out = 0;
	if ((rc = sqlite3_prepare_v2(db,
				     "SELECT 1 FROM sqlite_master WHERE type = "
				     "'table' AND name = 'schema_migration'",
				     -1, &q, NULL)) != SQLITE_OK)
		return rc;
	rc = sqlite3_step(q);
	sqlite3_finalize(q);
	if (rc == SQLITE_DONE)
		return SQLITE_OK;
	if (rc != SQLITE_ROW)
		return rc;
	if ((rc = sqlite3_prepare_v2(db,
				     "SELECT coalesce(max(version), 0) FROM "
				     "schema_migration",
				     -1, &q, NULL)) != SQLITE_OK)
		return rc;
	rc = sqlite3_step(q);
	if (rc == SQLITE_ROW)
		*out = sqlite3_column_int(q, 0);
	sqlite3_finalize(q);
	return rc == SQLITE_ROW ? SQLITE_OK : rc;
}

static int
sq_schema_version(int *out, struct ctip_store *st, struct ctip_err *err)
{
	struct sqlite_store *s = S(st);

	if (sq_version_of(s->db, out) != SQLITE_OK)
		return sq_db_error(s, err, "read the schema version");
	return CTIP_OK;
}

/*
 * Create schema_migration if need be and apply the migrations not yet
 * recorded in it, in the caller's transaction. Before 014, which repairs
 * the databases of development builds, the SQLite-only part of that repair
 * runs (sq_repair_dev_builds). *applied counts the migrations applied.
 */
int
sq_apply_migrations(int *applied, struct sqlite_store *s, struct ctip_err *err)
{
	sqlite3_stmt *q = NULL;
	char now[32];
	time_t t = time(NULL);
	struct tm tm;
	int have, i, rc;

	*applied = 0;
	gmtime_r(&t, &tm);
	strftime(now, sizeof(now), "%Y-%m-%dT%H:%M:%SZ", &tm);
	rc = exec_sql(s,
		      "CREATE TABLE IF NOT EXISTS schema_migration (version "
		      "INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at "
		      "TEXT NOT NULL)",
		      "create the migration table", err);
	if (rc == CTIP_OK)
		rc = sq_schema_version(&have, &s->base, err);
	if (rc == CTIP_OK && have > ctip_n_migrations)
		rc = ctip_err_set(err, CTIP_ESTORE,
				  "database schema version %d is newer than "
				  "this ctip (%d): upgrade ctip",
				  have, ctip_n_migrations);
	for (i = have; rc == CTIP_OK && i < ctip_n_migrations; i++) {
		const struct ctip_migration *m = &ctip_migrations[i];
		char *msg = NULL;

		if (m->version == SQ_REPAIR_VERSION &&
		    (rc = sq_repair_dev_builds(s, err)) != CTIP_OK)
			break;
		if (sqlite3_exec(s->db, m->sql, NULL, NULL, &msg) !=
		    SQLITE_OK) {
			rc = ctip_err_set(err, CTIP_ESTORE,
					  "could not apply migration %03d_%s: "
					  "%s",
					  m->version, m->name,
					  msg ? msg : "unknown error");
			sqlite3_free(msg);
			break;
		}
		if (sqlite3_prepare_v2(s->db,
				       "INSERT INTO schema_migration (version, "
				       "name, applied_at) VALUES (?1, ?2, ?3)",
				       -1, &q, NULL) != SQLITE_OK) {
			rc = sq_db_error(s, err, "record a migration");
			break;
		}
		sqlite3_bind_int(q, 1, m->version);
		sqlite3_bind_text(q, 2, m->name, -1, SQLITE_STATIC);
		sqlite3_bind_text(q, 3, now, -1, SQLITE_STATIC);
		if (sqlite3_step(q) != SQLITE_DONE)
			rc = sq_db_error(s, err, "record a migration");
		sqlite3_finalize(q);
		(*applied)++;
	}
	return rc;
}

/*
 * Apply the pending migrations, then check that the schema is the one the
 * migrations make (sq_schema_check), all in one transaction: a failed
 * migration or a schema that differs leaves the database as it was. A
 * migration applied also forgets the digest of the reference data loaded
 * (meta refdata_digest), in the same transaction, so that the reference
 * data count as not loaded until `ctip migrate` has reloaded them: a
 * reload that fails or is killed is redone by the next one, and `ctip
 * serve` refuses the database meanwhile.
 */
static int
sq_migrate(int *applied, struct ctip_store *st, struct ctip_err *err)
{
	struct sqlite_store *s = S(st);
	int rc;

	*applied = 0;
	if ((rc = sq_begin(st, err)) != 0)
		return rc;
	rc = sq_apply_migrations(applied, s, err);
	if (rc == CTIP_OK && *applied > 0)
		rc = exec_sql(s,
			      "DELETE FROM meta WHERE key = 'refdata_digest'",
			      "forget the reference data digest", err);
	if (rc == CTIP_OK)
		rc = sq_schema_check(st, err);
	if (rc == CTIP_OK)
		rc = sq_commit(st, err);
	if (rc != CTIP_OK) {
		sq_rollback(st);
		*applied = 0;
	}
	return rc;
}

/*
 * Create path empty with mode 0600 unless it exists, so that SQLite (which
 * would use 0644) opens a private file: it holds victims' records. The
 * -wal, -shm and -journal files copy the mode of the database file.
 */
static bool
create_private(const char *path, bool must_be_new)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);

	if (fd < 0)
		return errno == EEXIST && !must_be_new;
	close(fd);
	return true;
}

static int
sq_meta_get(char **out, struct ctip_store *st, const char *key,
	    struct ctip_arena *a, struct ctip_err *err)
{
	struct sqlite_store *s = S(st);
	sqlite3_stmt *q = sq_stmt(s, S_META_GET, err);
	int rc;

	if (q == NULL)
		return err->code;
	sq_bind_text(q, 1, key);
	rc = sqlite3_step(q);
	if (rc == SQLITE_ROW) {
		*out = ctip_arena_strdup(
			a, (const char *)sqlite3_column_text(q, 0));
		rc = *out ? CTIP_OK
			  : ctip_err_set(err, CTIP_ETOOBIG, "value too large");
	} else if (rc == SQLITE_DONE) {
		rc = ctip_err_set(err, CTIP_ENOTFOUND, "no metadata \"%s\"",
				  key);
	} else {
		rc = sq_db_error(s, err, "read metadata");
	}
	sq_done(q);
	return rc;
}

static int
sq_meta_set(struct ctip_store *st, const char *key, const char *value,
	    struct ctip_err *err)
{
	struct sqlite_store *s = S(st);
	sqlite3_stmt *q = sq_stmt(s, S_META_SET, err);

	if (q == NULL)
		return err->code;
	sq_bind_text(q, 1, key);
	sq_bind_text(q, 2, value);
	return sq_exec_stmt(s, q, "write metadata", err);
}

static int
sq_ref_upsert(struct ctip_store *st, enum ctip_ref_kind kind,
	      const char *const *values, struct ctip_err *err)
{
	struct sqlite_store *s = S(st);
	const char *const *cols = ctip_ref_columns(kind);
	sqlite3_stmt *q = sq_stmt(s, (enum stmt_id)(S_REF_UPSERT + kind), err);
	char *end;
	long long v;
	int i;

	if (q == NULL)
		return err->code;
	for (i = 0; cols[i] != NULL; i++) {
		if (values[i] == NULL || values[i][0] == '\0') {
			sqlite3_bind_null(q, i + 1);
		} else if (ref_sql[kind].int_cols & (1u << i)) {
			errno = 0;
			v = strtoll(values[i], &end, 10);
			if (errno != 0 || *end != '\0') {
				sq_done(q);
				return ctip_err_field(err, CTIP_EINVAL, cols[i],
						      "%s: \"%s\" is not a "
						      "whole number",
						      cols[i], values[i]);
			}
			sqlite3_bind_int64(q, i + 1, v);
		} else {
			sq_bind_text(q, i + 1, values[i]);
		}
	}
	return sq_exec_stmt(s, q, "store reference data", err);
}

static int
count_query(long *out, struct sqlite_store *s, enum stmt_id id,
	    struct ctip_err *err)
{
	sqlite3_stmt *q = sq_stmt(s, id, err);
	int rc = CTIP_OK;

	if (q == NULL)
		return err->code;
	if (sqlite3_step(q) == SQLITE_ROW)
		*out = (long)sqlite3_column_int64(q, 0);
	else
		rc = sq_db_error(s, err, "count rows");
	sq_done(q);
	return rc;
}

static int
sq_ref_clear(struct ctip_store *st, enum ctip_ref_kind kind,
	     struct ctip_err *err)
{
	struct sqlite_store *s = S(st);
	sqlite3_stmt *q;

	if (ref_sql[kind].clear == NULL)
		return CTIP_OK;
	q = sq_stmt(s, (enum stmt_id)(S_REF_CLEAR + kind), err);
	if (q == NULL)
		return err->code;
	return sq_exec_stmt(s, q, "clear reference data", err);
}

static int
sq_ref_count(long *out, struct ctip_store *st, enum ctip_ref_kind kind,
	     struct ctip_err *err)
{
	return count_query(out, S(st), (enum stmt_id)(S_REF_COUNT + kind), err);
}

static int
sq_count(long *out, struct ctip_store *st, enum ctip_count_kind kind,
	 struct ctip_err *err)
{
	return count_query(out, S(st), (enum stmt_id)(S_COUNT + kind), err);
}

static int
sq_ref_exists(bool *out, struct ctip_store *st, enum ctip_ref_kind kind,
	      const char *code, struct ctip_err *err)
{
	struct sqlite_store *s = S(st);
	sqlite3_stmt *q = sq_stmt(s, (enum stmt_id)(S_REF_EXISTS + kind), err);
	int rc;

	if (q == NULL)
		return err->code;
	sq_bind_text(q, 1, code);
	rc = sqlite3_step(q);
	*out = rc == SQLITE_ROW;
	rc = rc == SQLITE_ROW || rc == SQLITE_DONE
		     ? CTIP_OK
		     : sq_db_error(s, err, "look up reference data");
	sq_done(q);
	return rc;
}

static int
sq_agency_levels(const char **out, struct ctip_store *st, const char *agency,
		 struct ctip_arena *a, struct ctip_err *err)
{
	struct sqlite_store *s = S(st);
	sqlite3_stmt *q = sq_stmt(s, S_AGENCY_LEVELS, err);
	bool ok = true;
	int rc;

	*out = NULL;
	if (q == NULL)
		return err->code;
	sq_bind_text(q, 1, agency);
	rc = sqlite3_step(q);
	if (rc == SQLITE_ROW)
		*out = sq_col_text(q, 0, a, &ok);
	rc = rc == SQLITE_ROW
		     ? (ok ? CTIP_OK
			   : ctip_err_set(err, CTIP_ETOOBIG, "out of memory"))
	     : rc == SQLITE_DONE
		     ? ctip_err_set(err, CTIP_ENOTFOUND, "no agency \"%s\"",
				    agency)
		     : sq_db_error(s, err, "look up an agency's levels");
	sq_done(q);
	return rc;
}

/* Collect column 0 (and 1, if two is set) of every row of q. */
static int
collect(const char ***col0, const char ***col1, int *n_out,
	struct sqlite_store *s, sqlite3_stmt *q, struct ctip_arena *a,
	struct ctip_err *err)
{
	const char **c0 = NULL, **c1 = NULL;
	int n = 0, cap = 0, rc;

	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		if (n == cap) {
			const char **n0, **n1 = NULL;

			cap = cap ? 2 * cap : 64;
			n0 = ctip_arena_alloc(a, (size_t)cap * sizeof(*n0));
			if (col1 != NULL)
				n1 = ctip_arena_alloc(a, (size_t)cap *
								 sizeof(*n1));
			if (n0 == NULL || (col1 != NULL && n1 == NULL)) {
				sq_done(q);
				return ctip_err_set(err, CTIP_ETOOBIG,
						    "too many rows");
			}
			if (n > 0) {
				memcpy(n0, c0, (size_t)n * sizeof(*n0));
				if (col1 != NULL)
					memcpy(n1, c1, (size_t)n * sizeof(*n1));
			}
			c0 = n0;
			c1 = n1;
		}
		c0[n] = ctip_arena_strdup(
			a, (const char *)sqlite3_column_text(q, 0));
		if (col1 != NULL)
			c1[n] = ctip_arena_strdup(
				a, (const char *)sqlite3_column_text(q, 1));
		if (c0[n] == NULL || (col1 != NULL && c1[n] == NULL)) {
			sq_done(q);
			return ctip_err_set(err, CTIP_ETOOBIG, "too many rows");
		}
		n++;
	}
	sq_done(q);
	if (rc != SQLITE_DONE)
		return sq_db_error(s, err, "read rows");
	*col0 = c0;
	if (col1 != NULL)
		*col1 = c1;
	*n_out = n;
	return CTIP_OK;
}

static int
sq_ref_codes(const char ***out, int *n_out, struct ctip_store *st,
	     enum ctip_ref_kind kind, struct ctip_arena *a,
	     struct ctip_err *err)
{
	struct sqlite_store *s = S(st);
	sqlite3_stmt *q = sq_stmt(s, (enum stmt_id)(S_REF_CODES + kind), err);

	if (q == NULL)
		return err->code;
	return collect(out, NULL, n_out, s, q, a, err);
}

/* The names of each listable kind of reference data; ?1 the parent. */
static const char *const names_sql[CTIP_REF_N_KINDS] = {
	[CTIP_REF_ADMIN_UNIT] = "SELECT code, full_name, name_en FROM "
				"admin_unit WHERE (?1 IS NULL AND level = "
				"'province') OR province_code = ?1 ORDER BY "
				"code",
	[CTIP_REF_ETHNIC_GROUP] = "SELECT code, name, name_en FROM "
				  "ethnic_group WHERE ?1 IS NULL ORDER BY "
				  "code",
	[CTIP_REF_COUNTRY] = "SELECT alpha2, name_vi, name_en FROM country "
			     "WHERE ?1 IS NULL ORDER BY alpha2",
	/* Level-1 purposes, as the statistics split by them. */
	[CTIP_REF_PURPOSE] = "SELECT code, name_vi, name_en FROM purpose "
			     "WHERE ?1 IS NULL AND parent_code IS NULL ORDER "
			     "BY code",
};

static void
read_ref_name(sqlite3_stmt *q, void *row, struct ctip_arena *a, bool *ok)
{
	struct ctip_ref_name *r = row;

	r->code = sq_col_text(q, 0, a, ok);
	r->name = sq_col_text(q, 1, a, ok);
	r->name_en = sq_col_text(q, 2, a, ok);
}

static int
sq_ref_names(struct ctip_ref_name **out, int *n_out, struct ctip_store *st,
	     enum ctip_ref_kind kind, const char *parent, struct ctip_arena *a,
	     struct ctip_err *err)
{
	struct sqlite_store *s = S(st);
	sqlite3_stmt *q;
	int rc;

	if (names_sql[kind] == NULL)
		return ctip_err_set(err, CTIP_EINVAL,
				    "this reference data has no list");
	if (sqlite3_prepare_v2(s->db, names_sql[kind], -1, &q, NULL) !=
	    SQLITE_OK)
		return sq_db_error(s, err, "prepare a statement");
	sq_bind_text(q, 1, parent);
	rc = sq_read_all((void **)out, n_out, sizeof(**out), s, q,
			 read_ref_name, a, err);
	sqlite3_finalize(q);
	return rc;
}

static int
sq_communes(struct ctip_commune **out, int *n_out, struct ctip_store *st,
	    struct ctip_arena *a, struct ctip_err *err)
{
	struct sqlite_store *s = S(st);
	sqlite3_stmt *q = sq_stmt(s, S_COMMUNES, err);
	const char **codes, **provinces;
	struct ctip_commune *c;
	int n, i, rc;

	if (q == NULL)
		return err->code;
	rc = collect(&codes, &provinces, &n, s, q, a, err);
	if (rc != CTIP_OK)
		return rc;
	c = ctip_arena_alloc(a, (size_t)(n ? n : 1) * sizeof(*c));
	if (c == NULL)
		return ctip_err_set(err, CTIP_ETOOBIG, "too many communes");
	for (i = 0; i < n; i++) {
		c[i].code = codes[i];
		c[i].province_code = provinces[i];
	}
	*out = c;
	*n_out = n;
	return CTIP_OK;
}

/* A copy of text column i in a, NULL for SQL NULL; *ok = false if the
 * arena is full. */
const char *
sq_col_text(sqlite3_stmt *q, int i, struct ctip_arena *a, bool *ok)
{
	const char *v = (const char *)sqlite3_column_text(q, i);
	char *c;

	if (v == NULL)
		return NULL;
	c = ctip_arena_strdup(a, v);
	if (c == NULL)
		*ok = false;
	return c;
}

static int
sq_admin_unit_get(struct ctip_admin_unit *out, struct ctip_store *st,
		  const char *code, struct ctip_arena *a, struct ctip_err *err)
{
	struct sqlite_store *s = S(st);
	sqlite3_stmt *q = sq_stmt(s, S_ADMIN_UNIT_GET, err);
	bool ok = true;
	int rc;

	if (q == NULL)
		return err->code;
	sq_bind_text(q, 1, code);
	rc = sqlite3_step(q);
	if (rc == SQLITE_ROW) {
		out->code = sq_col_text(q, 0, a, &ok);
		out->level = sq_col_text(q, 1, a, &ok);
		out->name = sq_col_text(q, 2, a, &ok);
		out->full_name = sq_col_text(q, 3, a, &ok);
		out->province_code = sq_col_text(q, 4, a, &ok);
		rc = ok ? CTIP_OK
			: ctip_err_set(err, CTIP_ETOOBIG, "out of memory");
	} else if (rc == SQLITE_DONE) {
		rc = ctip_err_set(err, CTIP_ENOTFOUND,
				  "admin unit \"%s\" does not exist", code);
	} else {
		rc = sq_db_error(s, err, "read an admin unit");
	}
	sq_done(q);
	return rc;
}

/* *out = the id of agency's unit at admin_code; CTIP_ENOTFOUND if none. */
static int
org_lookup(int64_t *out, struct sqlite_store *s, const char *agency,
	   const char *admin_code, struct ctip_err *err)
{
	sqlite3_stmt *q = sq_stmt(s, S_ORG_GET, err);
	int rc;

	if (q == NULL)
		return err->code;
	sq_bind_text(q, 1, agency);
	sq_bind_text(q, 2, admin_code);
	rc = sq_step_one(s, q, "org unit", err);
	if (rc == CTIP_OK)
		*out = sqlite3_column_int64(q, 0);
	sq_done(q);
	return rc;
}

static int
sq_org_unit_find(int64_t *out, struct ctip_store *st, const char *agency,
		 const char *admin_code, struct ctip_err *err)
{
	return org_lookup(out, S(st), agency, admin_code, err);
}

static int
sq_org_unit_ensure(int64_t *out, struct ctip_store *st, const char *agency,
		   const char *admin_code, const char *name, const char *now,
		   struct ctip_err *err)
{
	struct sqlite_store *s = S(st);
	sqlite3_stmt *q;
	int rc;

	if ((rc = org_lookup(out, s, agency, admin_code, err)) !=
	    CTIP_ENOTFOUND)
		return rc;
	/* Another process may create the same unit meanwhile: insert if
	 * still missing, then read whichever row won. */
	if ((q = sq_stmt(s, S_ORG_INSERT, err)) == NULL)
		return err->code;
	sq_bind_text(q, 1, agency);
	sq_bind_text(q, 2, admin_code);
	sq_bind_text(q, 3, name);
	sq_bind_text(q, 4, now);
	if ((rc = sq_exec_stmt(s, q, "create an org unit", err)) != CTIP_OK)
		return rc;
	return org_lookup(out, s, agency, admin_code, err);
}

/*
 * A write of several rows is atomic: inside the caller's transaction the
 * caller rolls back on failure; outside one, sq_own_begin opens a transaction
 * that sq_own_end commits or rolls back. Returns whether it opened one.
 */
bool
sq_own_begin(struct sqlite_store *s, struct ctip_err *err, int *rc)
{
	*rc = CTIP_OK;
	if (!sqlite3_get_autocommit(s->db))
		return false;
	*rc = sq_begin(&s->base, err);
	return *rc == CTIP_OK;
}

int
sq_own_end(struct sqlite_store *s, bool own, int rc, struct ctip_err *err)
{
	if (!own)
		return rc;
	if (rc == CTIP_OK)
		rc = sq_commit(&s->base, err);
	if (rc != CTIP_OK)
		sq_rollback(&s->base);
	return rc;
}

static int
sq_user_insert(int64_t *out, struct ctip_store *st, const char *username,
	       const char *display_name, int64_t org_unit_id,
	       const char *password_hash, const char *const *roles,
	       const char *now, struct ctip_err *err)
{
	struct sqlite_store *s = S(st);
	sqlite3_stmt *q = sq_stmt(s, S_USER_INSERT, err);
	int64_t id;
	bool own;
	int rc;

	if (q == NULL)
		return err->code;
	sq_bind_text(q, 1, username);
	sq_bind_text(q, 2, display_name);
	sqlite3_bind_int64(q, 3, org_unit_id);
	sq_bind_text(q, 4, password_hash);
	sq_bind_text(q, 5, now);
	own = sq_own_begin(s, err, &rc);
	if (rc == CTIP_OK &&
	    (rc = sq_exec_stmt(s, q, "create the user", err)) == CTIP_EEXIST)
		ctip_err_field(err, CTIP_EEXIST, "username",
			       "user \"%s\" already exists", username);
	id = sqlite3_last_insert_rowid(s->db);
	for (; rc == CTIP_OK && *roles != NULL; roles++) {
		if ((q = sq_stmt(s, S_ROLE_INSERT, err)) == NULL) {
			rc = err->code;
			break;
		}
		sqlite3_bind_int64(q, 1, id);
		sq_bind_text(q, 2, *roles);
		rc = sq_exec_stmt(s, q, "grant a role", err);
	}
	rc = sq_own_end(s, own, rc, err);
	if (rc == CTIP_OK)
		*out = id;
	return rc;
}

static int
sq_person_insert(int64_t *out, struct ctip_store *st,
		 const struct ctip_person_row *r, struct ctip_err *err)
{
	struct sqlite_store *s = S(st);
	sqlite3_stmt *q = sq_stmt(s, S_PERSON_INSERT, err);
	int64_t id;
	bool own;
	int i, rc;

	if (q == NULL)
		return err->code;
	sqlite3_bind_int64(q, 1, r->owner_unit_id);
	sq_bind_text(q, 2, r->province_code);
	sq_bind_text(q, 3, r->commune_code);
	sq_bind_text(q, 4, r->role);
	sq_bind_id(q, 5, r->accompanies_id);
	sq_bind_text(q, 6, r->sex);
	sq_bind_text(q, 7, r->birth_date);
	if (r->birth_year > 0)
		sqlite3_bind_int(q, 8, r->birth_year);
	sq_bind_text(q, 9, r->ethnicity_code);
	sq_bind_text(q, 10, r->nationality);
	sq_bind_text(q, 11, r->citizenship);
	sq_bind_blob(q, 12, r->name_bidx, CTIP_BLIND_BYTES);
	sq_bind_blob(q, 13, r->name_enc, r->name_enc_len);
	sq_bind_blob(q, 14, r->citizen_id_enc, r->citizen_id_enc_len);
	sq_bind_blob(q, 15, r->citizen_id_bidx, CTIP_BLIND_BYTES);
	sq_bind_blob(q, 16, r->phone_enc, r->phone_enc_len);
	sq_bind_blob(q, 17, r->phone_bidx, CTIP_BLIND_BYTES);
	sq_bind_blob(q, 18, r->address_enc, r->address_enc_len);
	sqlite3_bind_int(q, 19, r->is_demo);
	sq_bind_text(q, 20, r->now);
	sq_bind_id(q, 21, r->created_by);
	sq_bind_blob(q, 22, r->contacts_enc, r->contacts_enc_len);
	sqlite3_bind_int(q, 23, r->birth_estimated);
	sq_bind_text(q, 24, r->status ? r->status : "received");
	sq_bind_text(q, 25, r->received_on);
	sq_bind_text(q, 26, r->verify_due);
	sq_bind_text(q, 27, r->identified_on);
	own = sq_own_begin(s, err, &rc);
	if (rc == CTIP_OK)
		rc = sq_exec_stmt(s, q, "store the person", err);
	id = sqlite3_last_insert_rowid(s->db);
	for (i = 0; rc == CTIP_OK && i < r->n_name_tokens; i++) {
		if ((q = sq_stmt(s, S_NAME_TOKEN_INSERT, err)) == NULL) {
			rc = err->code;
			break;
		}
		sq_bind_blob(q, 1, r->name_tokens[i], CTIP_BLIND_BYTES);
		sqlite3_bind_int64(q, 2, id);
		sq_bind_text(q, 3, r->province_code);
		rc = sq_exec_stmt(s, q, "store a name token", err);
	}
	rc = sq_own_end(s, own, rc, err);
	if (rc == CTIP_OK)
		*out = id;
	return rc;
}

static int
sq_event_insert(int64_t *out, struct ctip_store *st,
		const struct ctip_event_row *r, struct ctip_err *err)
{
	struct sqlite_store *s = S(st);
	sqlite3_stmt *q = sq_stmt(s, S_EVENT_INSERT, err);
	int64_t id;
	bool own;
	int i, rc;

	if (q == NULL)
		return err->code;
	sqlite3_bind_int64(q, 1, r->person_id);
	sq_bind_text(q, 2, r->province_code);
	sqlite3_bind_int(q, 3, r->abroad);
	sq_bind_text(q, 4, r->destination_country);
	sq_bind_text(q, 5, r->recruitment_means);
	sq_bind_text(q, 6, r->recruited_on);
	sq_bind_text(q, 7, r->exploited_from);
	sq_bind_text(q, 8, r->exploited_to);
	sq_bind_text(q, 9, r->discovery);
	sq_bind_text(q, 10, r->discovered_on);
	sq_bind_text(q, 11, r->now);
	sq_bind_id(q, 12, r->created_by);
	own = sq_own_begin(s, err, &rc);
	if (rc == CTIP_OK)
		rc = sq_exec_stmt(s, q, "store the event", err);
	id = sqlite3_last_insert_rowid(s->db);
	for (i = 0; rc == CTIP_OK && i < r->n_purposes; i++) {
		if ((q = sq_stmt(s, S_EVENT_PURPOSE_INSERT, err)) == NULL) {
			rc = err->code;
			break;
		}
		sqlite3_bind_int64(q, 1, id);
		sq_bind_text(q, 2, r->purposes[i]);
		rc = sq_exec_stmt(s, q, "store an event purpose", err);
	}
	rc = sq_own_end(s, own, rc, err);
	if (rc == CTIP_OK)
		*out = id;
	return rc;
}

/* A copy of blob column i in a; *n its length. NULL for SQL NULL. */
const unsigned char *
sq_col_blob(sqlite3_stmt *q, int i, size_t *n, struct ctip_arena *a, bool *ok)
{
	const void *v = sqlite3_column_blob(q, i);
	unsigned char *c;

	*n = (size_t)sqlite3_column_bytes(q, i);
	if (v == NULL)
		return NULL;
	c = ctip_arena_alloc(a, *n ? *n : 1);
	if (c == NULL) {
		*ok = false;
		return NULL;
	}
	memcpy(c, v, *n);
	return c;
}

static void
read_org(sqlite3_stmt *q, struct ctip_org_unit_row *o, struct ctip_arena *a,
	 bool *ok)
{
	o->id = sqlite3_column_int64(q, 0);
	o->name = sq_col_text(q, 1, a, ok);
	o->agency = sq_col_text(q, 2, a, ok);
	o->admin_code = sq_col_text(q, 3, a, ok);
	o->level = sq_col_text(q, 4, a, ok);
	o->province_code = sq_col_text(q, 5, a, ok);
}

static void
read_user(sqlite3_stmt *q, struct ctip_user_row *u, struct ctip_arena *a,
	  bool *ok)
{
	u->id = sqlite3_column_int64(q, 0);
	u->username = sq_col_text(q, 1, a, ok);
	u->display_name = sq_col_text(q, 2, a, ok);
	u->org_unit_id = sqlite3_column_int64(q, 3);
	u->password_hash = sq_col_text(q, 4, a, ok);
	u->roles = sq_col_text(q, 5, a, ok);
	if (u->roles == NULL)
		u->roles = "";
	u->must_change_password = sqlite3_column_int(q, 6) != 0;
	u->disabled = sqlite3_column_int(q, 7) != 0;
	u->failed_logins = sqlite3_column_int(q, 8);
	u->locked_until = sq_col_text(q, 9, a, ok);
	u->version = sqlite3_column_int(q, 10);
}

static void
read_person(sqlite3_stmt *q, struct ctip_person_rec *p, struct ctip_arena *a,
	    bool *ok)
{
	p->id = sqlite3_column_int64(q, 0);
	p->owner_unit_id = sqlite3_column_int64(q, 1);
	p->province_code = sq_col_text(q, 2, a, ok);
	p->commune_code = sq_col_text(q, 3, a, ok);
	p->role = sq_col_text(q, 4, a, ok);
	p->accompanies_id = sqlite3_column_int64(q, 5);
	p->sex = sq_col_text(q, 6, a, ok);
	p->birth_date = sq_col_text(q, 7, a, ok);
	p->birth_year = sqlite3_column_int(q, 8);
	p->ethnicity_code = sq_col_text(q, 9, a, ok);
	p->nationality = sq_col_text(q, 10, a, ok);
	p->citizenship = sq_col_text(q, 11, a, ok);
	p->name_enc = sq_col_blob(q, 12, &p->name_enc_len, a, ok);
	p->citizen_id_enc = sq_col_blob(q, 13, &p->citizen_id_enc_len, a, ok);
	p->phone_enc = sq_col_blob(q, 14, &p->phone_enc_len, a, ok);
	p->address_enc = sq_col_blob(q, 15, &p->address_enc_len, a, ok);
	p->is_demo = sqlite3_column_int(q, 16) != 0;
	p->version = sqlite3_column_int(q, 17);
	p->contacts_enc = sq_col_blob(q, 18, &p->contacts_enc_len, a, ok);
	p->birth_estimated = sqlite3_column_int(q, 19) != 0;
	p->status = sq_col_text(q, 20, a, ok);
	p->received_on = sq_col_text(q, 21, a, ok);
	p->verify_due = sq_col_text(q, 22, a, ok);
	p->identified_on = sq_col_text(q, 23, a, ok);
	p->updated_at = sq_col_text(q, 24, a, ok);
}

static void
read_audit(sqlite3_stmt *q, struct ctip_audit_row *r, struct ctip_arena *a,
	   bool *ok)
{
	size_t n;
	const unsigned char *mac;

	r->id = sqlite3_column_int64(q, 0);
	r->at = sq_col_text(q, 1, a, ok);
	r->user_id = sqlite3_column_int64(q, 2);
	r->username = sq_col_text(q, 3, a, ok);
	r->org_unit_id = sqlite3_column_int64(q, 4);
	r->action = sq_col_text(q, 5, a, ok);
	r->object_type = sq_col_text(q, 6, a, ok);
	r->object_id = sq_col_text(q, 7, a, ok);
	r->ip = sq_col_text(q, 8, a, ok);
	r->reason = sq_col_text(q, 9, a, ok);
	r->outcome = sq_col_text(q, 10, a, ok);
	mac = sqlite3_column_blob(q, 11);
	n = (size_t)sqlite3_column_bytes(q, 11);
	memset(r->mac, 0, sizeof(r->mac));
	if (mac != NULL)
		memcpy(r->mac, mac, n < sizeof(r->mac) ? n : sizeof(r->mac));
}

/* The row of statement id for key, read into out; CTIP_ENOTFOUND naming
 * what when there is none. */
int
sq_get_one(void *out, struct sqlite_store *s, int id, int64_t key,
	   const char *what, sq_row_reader read, struct ctip_arena *a,
	   struct ctip_err *err)
{
	sqlite3_stmt *q = sq_stmt(s, id, err);
	bool ok = true;
	int rc;

	if (q == NULL)
		return err->code;
	sqlite3_bind_int64(q, 1, key);
	rc = sq_step_one(s, q, what, err);
	if (rc == CTIP_OK)
		read(q, out, a, &ok);
	sq_done(q);
	if (rc == CTIP_OK && !ok)
		rc = ctip_err_set(err, CTIP_ETOOBIG, "out of memory");
	return rc;
}

/* Run q and read every row with read into an array of size-byte items. */
int
sq_read_all(void **out, int *n_out, size_t size, struct sqlite_store *s,
	    sqlite3_stmt *q, sq_row_reader read, struct ctip_arena *a,
	    struct ctip_err *err)
{
	unsigned char *items = NULL, *grown;
	int n = 0, cap = 0, rc;
	bool ok = true;

	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		if (n == cap) {
			cap = cap ? 2 * cap : 32;
			grown = ctip_arena_alloc(a, (size_t)cap * size);
			if (grown == NULL) {
				ok = false;
				break;
			}
			if (n > 0)
				memcpy(grown, items, (size_t)n * size);
			items = grown;
		}
		read(q, items + (size_t)n * size, a, &ok);
		if (!ok)
			break;
		n++;
	}
	sq_done(q);
	if (!ok)
		return ctip_err_set(err, CTIP_ETOOBIG, "too many rows");
	if (rc != SQLITE_DONE && rc != SQLITE_ROW)
		return sq_db_error(s, err, "read rows");
	*out = items;
	*n_out = n;
	return CTIP_OK;
}

static void
read_org_v(sqlite3_stmt *q, void *o, struct ctip_arena *a, bool *ok)
{
	read_org(q, o, a, ok);
}

static int
sq_org_unit_get(struct ctip_org_unit_row *out, struct ctip_store *st,
		int64_t id, struct ctip_arena *a, struct ctip_err *err)
{
	return sq_get_one(out, S(st), S_ORG_UNIT_GET, id, "org unit",
			  read_org_v, a, err);
}

static void
read_user_v(sqlite3_stmt *q, void *u, struct ctip_arena *a, bool *ok)
{
	read_user(q, u, a, ok);
}

static void
read_audit_v(sqlite3_stmt *q, void *r, struct ctip_arena *a, bool *ok)
{
	read_audit(q, r, a, ok);
}

void
sq_read_id_v(sqlite3_stmt *q, void *id, struct ctip_arena *a, bool *ok)
{
	(void)a;
	(void)ok;
	*(int64_t *)id = sqlite3_column_int64(q, 0);
}

static int
sq_org_unit_list(struct ctip_org_unit_row **out, int *n_out,
		 struct ctip_store *st, struct ctip_arena *a,
		 struct ctip_err *err)
{
	struct sqlite_store *s = S(st);
	sqlite3_stmt *q = sq_stmt(s, S_ORG_UNIT_LIST, err);

	if (q == NULL)
		return err->code;
	return sq_read_all((void **)out, n_out, sizeof(**out), s, q, read_org_v,
			   a, err);
}

static int
user_one(struct ctip_user_row *out, struct sqlite_store *s, sqlite3_stmt *q,
	 struct ctip_arena *a, struct ctip_err *err)
{
	bool ok = true;
	int rc = sq_step_one(s, q, "user", err);

	if (rc == CTIP_OK)
		read_user(q, out, a, &ok);
	sq_done(q);
	if (rc == CTIP_OK && !ok)
		rc = ctip_err_set(err, CTIP_ETOOBIG, "out of memory");
	return rc;
}

static int
sq_user_get(struct ctip_user_row *out, struct ctip_store *st, int64_t id,
	    struct ctip_arena *a, struct ctip_err *err)
{
	struct sqlite_store *s = S(st);
	sqlite3_stmt *q = sq_stmt(s, S_USER_GET, err);

	if (q == NULL)
		return err->code;
	sqlite3_bind_int64(q, 1, id);
	return user_one(out, s, q, a, err);
}

static int
sq_user_find(struct ctip_user_row *out, struct ctip_store *st,
	     const char *username, struct ctip_arena *a, struct ctip_err *err)
{
	struct sqlite_store *s = S(st);
	sqlite3_stmt *q = sq_stmt(s, S_USER_FIND, err);

	if (q == NULL)
		return err->code;
	sq_bind_text(q, 1, username);
	return user_one(out, s, q, a, err);
}

static int
sq_user_list(struct ctip_user_row **out, int *n_out, struct ctip_store *st,
	     struct ctip_arena *a, struct ctip_err *err)
{
	struct sqlite_store *s = S(st);
	sqlite3_stmt *q = sq_stmt(s, S_USER_LIST, err);

	if (q == NULL)
		return err->code;
	return sq_read_all((void **)out, n_out, sizeof(**out), s, q,
			   read_user_v, a, err);
}

/* Run an UPDATE/DELETE q; CTIP_ENOTFOUND (what) if it changed no row. */
int
sq_exec_change(struct sqlite_store *s, sqlite3_stmt *q, const char *what,
	       struct ctip_err *err)
{
	int rc = sq_exec_stmt(s, q, "write to the database", err);

	if (rc == CTIP_OK && sqlite3_changes(s->db) == 0)
		rc = ctip_err_set(err, CTIP_ENOTFOUND, "%s does not exist",
				  what);
	return rc;
}

static int
sq_user_set_login_state(struct ctip_store *st, int64_t id, int failed,
			const char *locked_until, struct ctip_err *err)
{
	struct sqlite_store *s = S(st);
	sqlite3_stmt *q = sq_stmt(s, S_USER_LOGIN_STATE, err);

	if (q == NULL)
		return err->code;
	sqlite3_bind_int64(q, 1, id);
	sqlite3_bind_int(q, 2, failed);
	sq_bind_text(q, 3, locked_until);
	return sq_exec_change(s, q, "user", err);
}

static int
sq_user_set_password(struct ctip_store *st, int64_t id, const char *hash,
		     bool must_change, const char *now, struct ctip_err *err)
{
	struct sqlite_store *s = S(st);
	sqlite3_stmt *q = sq_stmt(s, S_USER_PASSWORD, err);

	if (q == NULL)
		return err->code;
	sqlite3_bind_int64(q, 1, id);
	sq_bind_text(q, 2, hash);
	sqlite3_bind_int(q, 3, must_change);
	sq_bind_text(q, 4, now);
	return sq_exec_change(s, q, "user", err);
}

static int
sq_user_set_disabled(struct ctip_store *st, int64_t id, bool disabled,
		     const char *now, struct ctip_err *err)
{
	struct sqlite_store *s = S(st);
	sqlite3_stmt *q = sq_stmt(s, S_USER_DISABLED, err);

	if (q == NULL)
		return err->code;
	sqlite3_bind_int64(q, 1, id);
	sqlite3_bind_int(q, 2, disabled);
	sq_bind_text(q, 3, now);
	return sq_exec_change(s, q, "user", err);
}

static int
sq_session_insert(struct ctip_store *st, const unsigned char *token_hash,
		  int64_t user_id, const char *csrf_token, const char *now,
		  const char *expires_at, const char *ip, struct ctip_err *err)
{
	struct sqlite_store *s = S(st);
	sqlite3_stmt *q = sq_stmt(s, S_SESSION_INSERT, err);

	if (q == NULL)
		return err->code;
	sq_bind_blob(q, 1, token_hash, 32);
	sqlite3_bind_int64(q, 2, user_id);
	sq_bind_text(q, 3, csrf_token);
	sq_bind_text(q, 4, now);
	sq_bind_text(q, 5, expires_at);
	sq_bind_text(q, 6, ip);
	return sq_exec_stmt(s, q, "store the session", err);
}

static int
sq_session_get(struct ctip_session_row *out, struct ctip_store *st,
	       const unsigned char *token_hash, struct ctip_arena *a,
	       struct ctip_err *err)
{
	struct sqlite_store *s = S(st);
	sqlite3_stmt *q = sq_stmt(s, S_SESSION_GET, err);
	bool ok = true;
	int rc;

	if (q == NULL)
		return err->code;
	sq_bind_blob(q, 1, token_hash, 32);
	rc = sq_step_one(s, q, "session", err);
	if (rc == CTIP_OK) {
		out->user_id = sqlite3_column_int64(q, 0);
		out->csrf_token = sq_col_text(q, 1, a, &ok);
		out->last_seen_at = sq_col_text(q, 2, a, &ok);
		out->expires_at = sq_col_text(q, 3, a, &ok);
	}
	sq_done(q);
	if (rc == CTIP_OK && !ok)
		rc = ctip_err_set(err, CTIP_ETOOBIG, "out of memory");
	return rc;
}

static int
sq_session_user(struct ctip_session_row *out, struct ctip_user_row *u,
		struct ctip_org_unit_row *o, struct ctip_store *st,
		const unsigned char *token_hash, struct ctip_arena *a,
		struct ctip_err *err)
{
	struct sqlite_store *s = S(st);
	sqlite3_stmt *q = sq_stmt(s, S_SESSION_USER, err);
	bool ok = true;
	int rc, i;

	if (q == NULL)
		return err->code;
	sq_bind_blob(q, 1, token_hash, 32);
	rc = sq_step_one(s, q, "session", err);
	if (rc == CTIP_OK) {
		out->user_id = sqlite3_column_int64(q, 0);
		out->csrf_token = sq_col_text(q, 1, a, &ok);
		out->last_seen_at = sq_col_text(q, 2, a, &ok);
		out->expires_at = sq_col_text(q, 3, a, &ok);
		u->id = sqlite3_column_int64(q, 4);
		u->username = sq_col_text(q, 5, a, &ok);
		u->display_name = sq_col_text(q, 6, a, &ok);
		u->org_unit_id = sqlite3_column_int64(q, 7);
		u->password_hash = sq_col_text(q, 8, a, &ok);
		u->roles = sq_col_text(q, 9, a, &ok);
		if (u->roles == NULL)
			u->roles = "";
		u->must_change_password = sqlite3_column_int(q, 10) != 0;
		u->disabled = sqlite3_column_int(q, 11) != 0;
		u->failed_logins = sqlite3_column_int(q, 12);
		u->locked_until = sq_col_text(q, 13, a, &ok);
		u->version = sqlite3_column_int(q, 14);
		i = 15;
		o->id = sqlite3_column_int64(q, i);
		o->name = sq_col_text(q, i + 1, a, &ok);
		o->agency = sq_col_text(q, i + 2, a, &ok);
		o->admin_code = sq_col_text(q, i + 3, a, &ok);
		o->level = sq_col_text(q, i + 4, a, &ok);
		o->province_code = sq_col_text(q, i + 5, a, &ok);
	}
	sq_done(q);
	if (rc == CTIP_OK && !ok)
		rc = ctip_err_set(err, CTIP_ETOOBIG, "out of memory");
	return rc;
}

static int
sq_session_touch(struct ctip_store *st, const unsigned char *token_hash,
		 const char *now, struct ctip_err *err)
{
	struct sqlite_store *s = S(st);
	sqlite3_stmt *q = sq_stmt(s, S_SESSION_TOUCH, err);

	if (q == NULL)
		return err->code;
	sq_bind_blob(q, 1, token_hash, 32);
	sq_bind_text(q, 2, now);
	return sq_exec_stmt(s, q, "update the session", err);
}

static int
sq_session_delete(struct ctip_store *st, const unsigned char *token_hash,
		  struct ctip_err *err)
{
	struct sqlite_store *s = S(st);
	sqlite3_stmt *q = sq_stmt(s, S_SESSION_DELETE, err);

	if (q == NULL)
		return err->code;
	sq_bind_blob(q, 1, token_hash, 32);
	return sq_exec_stmt(s, q, "end the session", err);
}

static int
sq_session_delete_user(struct ctip_store *st, int64_t user_id,
		       const unsigned char *keep, struct ctip_err *err)
{
	struct sqlite_store *s = S(st);
	sqlite3_stmt *q = sq_stmt(s, S_SESSION_DELETE_USER, err);

	if (q == NULL)
		return err->code;
	sqlite3_bind_int64(q, 1, user_id);
	sq_bind_blob(q, 2, keep, 32);
	return sq_exec_stmt(s, q, "end the sessions", err);
}

static int
sq_token_insert(int64_t *out, struct ctip_store *st, int64_t user_id,
		const char *name, const unsigned char *token_hash,
		const char *now, struct ctip_err *err)
{
	struct sqlite_store *s = S(st);
	sqlite3_stmt *q = sq_stmt(s, S_TOKEN_INSERT, err);

	if (q == NULL)
		return err->code;
	sqlite3_bind_int64(q, 1, user_id);
	sq_bind_text(q, 2, name);
	sq_bind_blob(q, 3, token_hash, 32);
	sq_bind_text(q, 4, now);
	return sq_insert_row(out, s, q, "store the token", err);
}

static int
sq_token_get(int64_t *user_id, struct ctip_store *st,
	     const unsigned char *token_hash, struct ctip_err *err)
{
	struct sqlite_store *s = S(st);
	sqlite3_stmt *q = sq_stmt(s, S_TOKEN_GET, err);
	int rc;

	if (q == NULL)
		return err->code;
	sq_bind_blob(q, 1, token_hash, 32);
	rc = sq_step_one(s, q, "token", err);
	if (rc == CTIP_OK)
		*user_id = sqlite3_column_int64(q, 0);
	sq_done(q);
	return rc;
}

static int
sq_token_revoke(struct ctip_store *st, int64_t id, const char *now,
		struct ctip_err *err)
{
	struct sqlite_store *s = S(st);
	sqlite3_stmt *q = sq_stmt(s, S_TOKEN_REVOKE, err);

	if (q == NULL)
		return err->code;
	sqlite3_bind_int64(q, 1, id);
	sq_bind_text(q, 2, now);
	return sq_exec_change(s, q, "active token", err);
}

static void
read_person_v(sqlite3_stmt *q, void *p, struct ctip_arena *a, bool *ok)
{
	read_person(q, p, a, ok);
}

static int
sq_person_get(struct ctip_person_rec *out, struct ctip_store *st, int64_t id,
	      struct ctip_arena *a, struct ctip_err *err)
{
	return sq_get_one(out, S(st), S_PERSON_GET, id, "person", read_person_v,
			  a, err);
}

static int
sq_access_granted(bool *out, struct ctip_store *st, const char *object_type,
		  int64_t object_id, int64_t unit_id, struct ctip_err *err)
{
	struct sqlite_store *s = S(st);
	sqlite3_stmt *q = sq_stmt(s, S_ACCESS_GRANTED, err);
	int rc;

	if (q == NULL)
		return err->code;
	sq_bind_text(q, 1, object_type);
	sqlite3_bind_int64(q, 2, object_id);
	sqlite3_bind_int64(q, 3, unit_id);
	rc = sqlite3_step(q);
	*out = rc == SQLITE_ROW;
	rc = rc == SQLITE_ROW || rc == SQLITE_DONE
		     ? CTIP_OK
		     : sq_db_error(s, err, "read access grants");
	sq_done(q);
	return rc;
}

static int
sq_access_grant(struct ctip_store *st, const char *object_type,
		int64_t object_id, int64_t unit_id, int64_t by, const char *now,
		struct ctip_err *err)
{
	struct sqlite_store *s = S(st);
	sqlite3_stmt *q = sq_stmt(s, S_ACCESS_GRANT, err);

	if (q == NULL)
		return err->code;
	sq_bind_text(q, 1, object_type);
	sqlite3_bind_int64(q, 2, object_id);
	sqlite3_bind_int64(q, 3, unit_id);
	sq_bind_text(q, 4, now);
	sq_bind_id(q, 5, by);
	return sq_exec_stmt(s, q, "grant access", err);
}

static int
sq_person_search(int64_t **out, int *n_out, struct ctip_store *st,
		 const struct ctip_person_scope *scope,
		 const struct ctip_person_query *pq, struct ctip_arena *a,
		 struct ctip_err *err)
{
	struct sqlite_store *s = S(st);
	enum stmt_id id = pq->n_tokens > 0      ? S_PERSON_SEARCH_NAME
			  : pq->citizen_id_bidx ? S_PERSON_SEARCH_CID
			  : pq->phone_bidx      ? S_PERSON_SEARCH_PHONE
						: S_PERSON_LIST;
	sqlite3_stmt *q = sq_stmt(s, id, err);
	int i;

	if (q == NULL)
		return err->code;
	sqlite3_bind_int64(q, 1, scope->unit_id);
	sq_bind_text(q, 2, scope->province_code);
	for (i = 0; i < pq->n_tokens && i < 4; i++)
		sq_bind_blob(q, 3 + i, pq->tokens[i], CTIP_BLIND_BYTES);
	sq_bind_blob(q, 7, pq->citizen_id_bidx, CTIP_BLIND_BYTES);
	sq_bind_blob(q, 8, pq->phone_bidx, CTIP_BLIND_BYTES);
	sqlite3_bind_int(q, 9, pq->limit);
	sq_bind_text(q, 10, pq->commune_code);
	sq_bind_text(q, 11, pq->status);
	sq_bind_text(q, 12, pq->role);
	sq_bind_text(q, 13, pq->purpose);
	sq_bind_text(q, 14, pq->destination);
	sq_bind_text(q, 15, pq->verify_overdue_on);
	return sq_read_all((void **)out, n_out, sizeof(**out), s, q,
			   sq_read_id_v, a, err);
}

/* The column and its table of each sealed column, as SQL. */
#define RESEAL_SQL(t, c)                                                       \
	{                                                                      \
		"SELECT rowid, " c " FROM " t " WHERE rowid > ?1 AND " c       \
		" IS NOT NULL ORDER BY rowid LIMIT 500",                       \
			"UPDATE " t " SET " c " = ?2 WHERE rowid = ?1 AND " c  \
			" = ?3"                                                \
	}

static const struct {
	const char *select, *update;
} reseal_sql[CTIP_SEALED_N_COLUMNS] = {
	[CTIP_SEALED_PERSON_NAME] = RESEAL_SQL("person", "name_enc"),
	[CTIP_SEALED_PERSON_CITIZEN_ID] =
		RESEAL_SQL("person", "citizen_id_enc"),
	[CTIP_SEALED_PERSON_PHONE] = RESEAL_SQL("person", "phone_enc"),
	[CTIP_SEALED_PERSON_ADDRESS] = RESEAL_SQL("person", "address_enc"),
	[CTIP_SEALED_PERSON_CONTACTS] = RESEAL_SQL("person", "contacts_enc"),
	[CTIP_SEALED_INTAKE_REPORTER_NAME] =
		RESEAL_SQL("intake", "reporter_name_enc"),
	[CTIP_SEALED_INTAKE_REPORTER_PHONE] =
		RESEAL_SQL("intake", "reporter_phone_enc"),
	[CTIP_SEALED_INTAKE_SUMMARY] = RESEAL_SQL("intake", "summary_enc"),
	[CTIP_SEALED_INTAKE_DECISION_NOTE] =
		RESEAL_SQL("intake", "decision_note_enc"),
	[CTIP_SEALED_INTAKE_RESOLUTION] =
		RESEAL_SQL("intake", "resolution_enc"),
	[CTIP_SEALED_INTAKE_MENTION] =
		RESEAL_SQL("intake_mention", "value_enc"),
	[CTIP_SEALED_REFERRAL_NOTE] = RESEAL_SQL("referral", "note_enc"),
	[CTIP_SEALED_REFERRAL_REFUSAL] =
		RESEAL_SQL("referral", "refusal_reason_enc"),
	[CTIP_SEALED_CASE_TITLE] = RESEAL_SQL("criminal_case", "title_enc"),
	[CTIP_SEALED_CASE_NOTE] = RESEAL_SQL("case_stage", "note_enc"),
	[CTIP_SEALED_OFFENDER_NAME] = RESEAL_SQL("case_offender", "name_enc"),
	[CTIP_SEALED_OFFENDER_CITIZEN_ID] =
		RESEAL_SQL("case_offender", "citizen_id_enc"),
	[CTIP_SEALED_STEP_REASON] = RESEAL_SQL("person_step", "reason_enc"),
	[CTIP_SEALED_STEP_DOC_NUMBER] =
		RESEAL_SQL("person_step", "doc_number_enc"),
	[CTIP_SEALED_CONSENT_REPRESENTATIVE] =
		RESEAL_SQL("consent", "representative_enc"),
	[CTIP_SEALED_CONSENT_WITHDRAWAL] =
		RESEAL_SQL("consent", "withdrawal_enc"),
	[CTIP_SEALED_SERVICE_NOTE] = RESEAL_SQL("support_service", "note_enc"),
	[CTIP_SEALED_SERVICE_OVERRIDE] =
		RESEAL_SQL("support_service", "override_enc"),
	[CTIP_SEALED_PROTECTION_NOTE] =
		RESEAL_SQL("protection_measure", "note_enc"),
	[CTIP_SEALED_FOLLOW_UP_NOTE] = RESEAL_SQL("follow_up", "note_enc"),
};

/* One batch of a column: up to 500 (rowid, value) pairs after *after,
 * copied out of SQLite before any is replaced. */
struct reseal_batch {
	int64_t rowid[500];
	unsigned char *blob[500];
	size_t len[500];
	int n;
};

static int
reseal_read(struct reseal_batch *b, struct sqlite_store *s, const char *sql,
	    int64_t after, struct ctip_err *err)
{
	sqlite3_stmt *q;
	int rc;

	b->n = 0;
	if (sqlite3_prepare_v2(s->db, sql, -1, &q, NULL) != SQLITE_OK)
		return sq_db_error(s, err, "prepare a statement");
	sqlite3_bind_int64(q, 1, after);
	while ((rc = sqlite3_step(q)) == SQLITE_ROW && b->n < 500) {
		b->rowid[b->n] = sqlite3_column_int64(q, 0);
		b->len[b->n] = (size_t)sqlite3_column_bytes(q, 1);
		b->blob[b->n] = ctip_xmalloc(b->len[b->n] + 1);
		memcpy(b->blob[b->n], sqlite3_column_blob(q, 1), b->len[b->n]);
		b->n++;
	}
	sqlite3_finalize(q);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW)
		return sq_db_error(s, err, "read sealed values");
	return CTIP_OK;
}

static int
sq_reseal(long *seen, long *changed, struct ctip_store *st,
	  enum ctip_sealed_column col, ctip_reseal_fn fn, void *arg,
	  struct ctip_err *err)
{
	struct sqlite_store *s = S(st);
	struct reseal_batch *b = ctip_xmalloc(sizeof(*b));
	const unsigned char *out;
	sqlite3_stmt *u = NULL;
	int64_t after = 0;
	size_t out_n;
	int rc, i;

	do {
		rc = sq_begin(st, err);
		if (rc == CTIP_OK)
			rc = reseal_read(b, s, reseal_sql[col].select, after,
					 err);
		if (rc == CTIP_OK && u == NULL &&
		    sqlite3_prepare_v2(s->db, reseal_sql[col].update, -1, &u,
				       NULL) != SQLITE_OK)
			rc = sq_db_error(s, err, "prepare a statement");
		for (i = 0; rc == CTIP_OK && i < b->n; i++) {
			(*seen)++;
			rc = fn(&out, &out_n, b->blob[i], b->len[i], arg, err);
			if (rc != CTIP_OK || out == NULL)
				continue;
			sqlite3_bind_int64(u, 1, b->rowid[i]);
			sq_bind_blob(u, 2, out, out_n);
			sq_bind_blob(u, 3, b->blob[i], b->len[i]);
			rc = sq_exec_stmt(s, u, "re-encrypt a value", err);
			/* A row changed meanwhile holds a value sealed
			 * under the new key already, or is caught by the
			 * next pass. */
			*changed += rc == CTIP_OK && sqlite3_changes(s->db) > 0;
		}
		for (i = 0; i < b->n; i++)
			free(b->blob[i]);
		if (rc == CTIP_OK)
			rc = sq_commit(st, err);
		else if (s->writing)
			sq_rollback(st);
		after = b->n > 0 ? b->rowid[b->n - 1] : after;
	} while (rc == CTIP_OK && b->n == 500);
	sqlite3_finalize(u);
	free(b);
	return rc;
}

static int
sq_audit_last(int64_t *id, unsigned char mac[32], struct ctip_store *st,
	      struct ctip_err *err)
{
	struct sqlite_store *s = S(st);
	sqlite3_stmt *q = sq_stmt(s, S_AUDIT_LAST, err);
	const void *m;
	int rc;

	if (q == NULL)
		return err->code;
	*id = 0;
	memset(mac, 0, 32);
	rc = sqlite3_step(q);
	if (rc == SQLITE_ROW) {
		*id = sqlite3_column_int64(q, 0);
		m = sqlite3_column_blob(q, 1);
		if (m != NULL && sqlite3_column_bytes(q, 1) == 32)
			memcpy(mac, m, 32);
	}
	rc = rc == SQLITE_ROW || rc == SQLITE_DONE
		     ? CTIP_OK
		     : sq_db_error(s, err, "read the audit log");
	sq_done(q);
	return rc;
}

static int
sq_audit_insert(struct ctip_store *st, struct ctip_audit_row *r,
		struct ctip_err *err)
{
	struct sqlite_store *s = S(st);
	sqlite3_stmt *q = sq_stmt(s, S_AUDIT_INSERT, err);
	int rc;

	if (q == NULL)
		return err->code;
	sq_bind_text(q, 1, r->at);
	sq_bind_id(q, 2, r->user_id);
	sq_bind_text(q, 3, r->username);
	sq_bind_id(q, 4, r->org_unit_id);
	sq_bind_text(q, 5, r->action);
	sq_bind_text(q, 6, r->object_type);
	sq_bind_text(q, 7, r->object_id);
	sq_bind_text(q, 8, r->ip);
	sq_bind_text(q, 9, r->reason);
	sq_bind_text(q, 10, r->outcome);
	sq_bind_blob(q, 11, r->mac, 32);
	sqlite3_bind_int64(q, 12, r->id);
	rc = sq_exec_stmt(s, q, "write the audit log", err);
	return rc;
}

static int
sq_audit_list(struct ctip_audit_row **out, int *n_out, struct ctip_store *st,
	      const struct ctip_audit_filter *f, struct ctip_arena *a,
	      struct ctip_err *err)
{
	struct sqlite_store *s = S(st);
	sqlite3_stmt *q = sq_stmt(s, S_AUDIT_LIST, err);

	if (q == NULL)
		return err->code;
	sqlite3_bind_int64(q, 1, f->before_id);
	sq_bind_text(q, 2, f->username);
	sq_bind_text(q, 3, f->action);
	sqlite3_bind_int(q, 4, f->limit);
	sq_bind_text(q, 5, f->outcome);
	return sq_read_all((void **)out, n_out, sizeof(**out), s, q,
			   read_audit_v, a, err);
}

static int
sq_audit_walk(struct ctip_store *st, ctip_audit_visit_fn visit, void *arg,
	      struct ctip_err *err)
{
	struct sqlite_store *s = S(st);
	sqlite3_stmt *q;
	struct ctip_audit_row r;
	struct ctip_arena a;
	bool ok = true;
	int rc, stop = 0;

	/* Its own statement: a walk may run while the cached one is used. */
	if (sqlite3_prepare_v2(s->db, stmt_sql(S_AUDIT_WALK), -1, &q, NULL) !=
	    SQLITE_OK)
		return sq_db_error(s, err, "read the audit log");
	ctip_arena_init(&a, 1 << 20);
	while (!stop && (rc = sqlite3_step(q)) == SQLITE_ROW) {
		read_audit(q, &r, &a, &ok);
		if (!ok)
			break;
		stop = visit(&r, arg);
		ctip_arena_reset(&a);
	}
	sqlite3_finalize(q);
	ctip_arena_free(&a);
	if (!ok)
		return ctip_err_set(err, CTIP_ETOOBIG, "audit row too large");
	if (!stop && rc != SQLITE_DONE)
		return sq_db_error(s, err, "read the audit log");
	return CTIP_OK;
}

static int
sq_intake_insert(int64_t *out, struct ctip_store *st,
		 const struct ctip_intake_row *r, struct ctip_err *err)
{
	struct sqlite_store *s = S(st);
	sqlite3_stmt *q = sq_stmt(s, S_INTAKE_INSERT, err);
	int64_t id;
	bool own;
	int i, rc;

	if (q == NULL)
		return err->code;
	sqlite3_bind_int64(q, 1, r->owner_unit_id);
	sq_bind_text(q, 2, r->province_code);
	sq_bind_text(q, 3, r->commune_code);
	sq_bind_text(q, 4, r->received_at);
	sq_bind_text(q, 5, r->channel);
	sq_bind_text(q, 6, r->language);
	sqlite3_bind_int(q, 7, r->reporter_anonymous);
	sq_bind_blob(q, 8, r->reporter_name_enc, r->reporter_name_enc_len);
	sq_bind_blob(q, 9, r->reporter_phone_enc, r->reporter_phone_enc_len);
	sq_bind_blob(q, 10, r->reporter_phone_bidx, CTIP_BLIND_BYTES);
	sq_bind_blob(q, 11, r->summary_enc, r->summary_enc_len);
	sq_bind_text(q, 12, r->classification);
	sq_bind_text(q, 13, r->purpose_code);
	sq_bind_text(q, 14, r->urgency);
	sq_bind_text(q, 15, r->status);
	sq_bind_text(q, 16, r->classified_at);
	sq_bind_id(q, 17, r->classified_by);
	sq_bind_text(q, 18, r->deadline);
	sq_bind_text(q, 19, r->idempotency_key);
	sq_bind_text(q, 20, r->created_at);
	sqlite3_bind_int64(q, 21, r->created_by);
	own = sq_own_begin(s, err, &rc);
	if (rc == CTIP_OK)
		rc = sq_exec_stmt(s, q, "store the intake", err);
	id = sqlite3_last_insert_rowid(s->db);
	for (i = 0; rc == CTIP_OK && i < r->n_mentions; i++) {
		if ((q = sq_stmt(s, S_INTAKE_MENTION_INSERT, err)) == NULL) {
			rc = err->code;
			break;
		}
		sqlite3_bind_int64(q, 1, id);
		sq_bind_text(q, 2, r->mentions[i].kind);
		sqlite3_bind_int(q, 3, i);
		sq_bind_blob(q, 4, r->mentions[i].enc, r->mentions[i].enc_len);
		sq_bind_blob(q, 5, r->mentions[i].bidx, CTIP_BLIND_BYTES);
		rc = sq_exec_stmt(s, q, "store a mention", err);
	}
	rc = sq_own_end(s, own, rc, err);
	if (rc == CTIP_OK)
		*out = id;
	return rc;
}

static int
sq_intake_find_key(int64_t *out, struct ctip_store *st, int64_t created_by,
		   const char *key, struct ctip_err *err)
{
	struct sqlite_store *s = S(st);
	sqlite3_stmt *q = sq_stmt(s, S_INTAKE_FIND_KEY, err);
	int rc;

	if (q == NULL)
		return err->code;
	sqlite3_bind_int64(q, 1, created_by);
	sq_bind_text(q, 2, key);
	rc = sq_step_one(s, q, "intake", err);
	if (rc == CTIP_OK)
		*out = sqlite3_column_int64(q, 0);
	sq_done(q);
	return rc;
}

static void
read_mention_v(sqlite3_stmt *q, void *m, struct ctip_arena *a, bool *ok)
{
	struct ctip_sealed *x = m;
	size_t n;

	x->kind = sq_col_text(q, 0, a, ok);
	x->enc = sq_col_blob(q, 1, &x->enc_len, a, ok);
	x->bidx = sq_col_blob(q, 2, &n, a, ok);
}

static int
sq_intake_get(struct ctip_intake_row *o, struct ctip_store *st, int64_t id,
	      struct ctip_arena *a, struct ctip_err *err)
{
	struct sqlite_store *s = S(st);
	sqlite3_stmt *q = sq_stmt(s, S_INTAKE_GET, err);
	bool ok = true;
	size_t n;
	int rc;

	if (q == NULL)
		return err->code;
	sqlite3_bind_int64(q, 1, id);
	rc = sq_step_one(s, q, "intake", err);
	if (rc == CTIP_OK) {
		memset(o, 0, sizeof(*o));
		o->id = sqlite3_column_int64(q, 0);
		o->owner_unit_id = sqlite3_column_int64(q, 1);
		o->province_code = sq_col_text(q, 2, a, &ok);
		o->commune_code = sq_col_text(q, 3, a, &ok);
		o->received_at = sq_col_text(q, 4, a, &ok);
		o->channel = sq_col_text(q, 5, a, &ok);
		o->language = sq_col_text(q, 6, a, &ok);
		o->reporter_anonymous = sqlite3_column_int(q, 7) != 0;
		o->reporter_name_enc =
			sq_col_blob(q, 8, &o->reporter_name_enc_len, a, &ok);
		o->reporter_phone_enc =
			sq_col_blob(q, 9, &o->reporter_phone_enc_len, a, &ok);
		o->reporter_phone_bidx = sq_col_blob(q, 10, &n, a, &ok);
		o->summary_enc =
			sq_col_blob(q, 11, &o->summary_enc_len, a, &ok);
		o->classification = sq_col_text(q, 12, a, &ok);
		o->purpose_code = sq_col_text(q, 13, a, &ok);
		o->urgency = sq_col_text(q, 14, a, &ok);
		o->status = sq_col_text(q, 15, a, &ok);
		o->classified_at = sq_col_text(q, 16, a, &ok);
		o->classified_by = sqlite3_column_int64(q, 17);
		o->deadline = sq_col_text(q, 18, a, &ok);
		o->extension = sq_col_text(q, 19, a, &ok);
		o->decision = sq_col_text(q, 20, a, &ok);
		o->decision_note_enc =
			sq_col_blob(q, 21, &o->decision_note_enc_len, a, &ok);
		o->decided_at = sq_col_text(q, 22, a, &ok);
		o->decided_by = sqlite3_column_int64(q, 23);
		o->resolution_enc =
			sq_col_blob(q, 24, &o->resolution_enc_len, a, &ok);
		o->resolved_at = sq_col_text(q, 25, a, &ok);
		o->resolved_by = sqlite3_column_int64(q, 26);
		o->idempotency_key = sq_col_text(q, 27, a, &ok);
		o->created_at = sq_col_text(q, 28, a, &ok);
		o->created_by = sqlite3_column_int64(q, 29);
		o->updated_at = sq_col_text(q, 30, a, &ok);
		o->version = sqlite3_column_int(q, 31);
	}
	sq_done(q);
	if (rc == CTIP_OK && !ok)
		rc = ctip_err_set(err, CTIP_ETOOBIG, "out of memory");
	if (rc != CTIP_OK)
		return rc;
	if ((q = sq_stmt(s, S_INTAKE_MENTIONS, err)) == NULL)
		return err->code;
	sqlite3_bind_int64(q, 1, id);
	return sq_read_all((void **)&o->mentions, &o->n_mentions,
			   sizeof(*o->mentions), s, q, read_mention_v, a, err);
}

static int
sq_intake_update(struct ctip_store *st, const struct ctip_intake_row *r,
		 struct ctip_err *err)
{
	struct sqlite_store *s = S(st);
	sqlite3_stmt *q = sq_stmt(s, S_INTAKE_UPDATE, err);
	int rc;

	if (q == NULL)
		return err->code;
	sqlite3_bind_int64(q, 1, r->id);
	sq_bind_text(q, 2, r->classification);
	sq_bind_text(q, 3, r->purpose_code);
	sq_bind_text(q, 4, r->urgency);
	sq_bind_text(q, 5, r->status);
	sq_bind_text(q, 6, r->classified_at);
	sq_bind_id(q, 7, r->classified_by);
	sq_bind_text(q, 8, r->deadline);
	sq_bind_text(q, 9, r->extension);
	sq_bind_text(q, 10, r->decision);
	sq_bind_blob(q, 11, r->decision_note_enc, r->decision_note_enc_len);
	sq_bind_text(q, 12, r->decided_at);
	sq_bind_id(q, 13, r->decided_by);
	sq_bind_blob(q, 14, r->resolution_enc, r->resolution_enc_len);
	sq_bind_text(q, 15, r->resolved_at);
	sq_bind_id(q, 16, r->resolved_by);
	sq_bind_text(q, 17, r->updated_at);
	sqlite3_bind_int(q, 18, r->version);
	rc = sq_exec_stmt(s, q, "update the intake", err);
	if (rc == CTIP_OK && sqlite3_changes(s->db) == 0)
		rc = ctip_err_field(err, CTIP_ECONFLICT, "version",
				    "intake %lld was changed by someone else: "
				    "reload it",
				    (long long)r->id);
	return rc;
}

static int
sq_intake_hand_over(struct ctip_store *st, int64_t id, int64_t from_unit_id,
		    int64_t to_unit_id, const char *now, struct ctip_err *err)
{
	struct sqlite_store *s = S(st);
	sqlite3_stmt *q = sq_stmt(s, S_INTAKE_HAND_OVER, err);

	if (q == NULL)
		return err->code;
	sqlite3_bind_int64(q, 1, id);
	sqlite3_bind_int64(q, 2, from_unit_id);
	sqlite3_bind_int64(q, 3, to_unit_id);
	sq_bind_text(q, 4, now);
	return sq_exec_stmt(s, q, "hand the intake over", err);
}

static int
sq_intake_list(int64_t **out, int *n_out, struct ctip_store *st,
	       int64_t unit_id, enum ctip_due due, const char *now,
	       const char *soon, const char *status, int limit,
	       struct ctip_arena *a, struct ctip_err *err)
{
	struct sqlite_store *s = S(st);
	enum stmt_id id = due == CTIP_DUE_OVERDUE ? S_INTAKE_LIST_OVERDUE
			  : due == CTIP_DUE_SOON  ? S_INTAKE_LIST_SOON
						  : S_INTAKE_LIST_ALL;
	sqlite3_stmt *q = sq_stmt(s, id, err);

	if (q == NULL)
		return err->code;
	sqlite3_bind_int64(q, 1, unit_id);
	if (id != S_INTAKE_LIST_ALL)
		sq_bind_text(q, 2, now);
	if (id == S_INTAKE_LIST_SOON)
		sq_bind_text(q, 3, soon);
	sqlite3_bind_int(q, 4, limit);
	if (id == S_INTAKE_LIST_ALL)
		sq_bind_text(q, 5, status);
	return sq_read_all((void **)out, n_out, sizeof(**out), s, q,
			   sq_read_id_v, a, err);
}

static int
sq_intake_repeat(int64_t **out, int *n_out, struct ctip_store *st,
		 int64_t unit_id, const unsigned char *bidx, int limit,
		 struct ctip_arena *a, struct ctip_err *err)
{
	struct sqlite_store *s = S(st);
	sqlite3_stmt *q = sq_stmt(s, S_INTAKE_REPEAT, err);

	if (q == NULL)
		return err->code;
	sqlite3_bind_int64(q, 1, unit_id);
	sq_bind_blob(q, 2, bidx, CTIP_BLIND_BYTES);
	sqlite3_bind_int(q, 3, limit);
	return sq_read_all((void **)out, n_out, sizeof(**out), s, q,
			   sq_read_id_v, a, err);
}

static int
sq_referral_insert(int64_t *out, struct ctip_store *st,
		   const struct ctip_referral_row *r, struct ctip_err *err)
{
	struct sqlite_store *s = S(st);
	sqlite3_stmt *q = sq_stmt(s, S_REFERRAL_INSERT, err);

	if (q == NULL)
		return err->code;
	sq_bind_text(q, 1, r->object_type);
	sqlite3_bind_int64(q, 2, r->object_id);
	sqlite3_bind_int64(q, 3, r->from_unit_id);
	sqlite3_bind_int64(q, 4, r->to_unit_id);
	sq_bind_blob(q, 5, r->note_enc, r->note_enc_len);
	sq_bind_text(q, 6, r->sent_at);
	sqlite3_bind_int64(q, 7, r->sent_by);
	sq_bind_text(q, 8, r->ack_due_at);
	return sq_insert_row(out, s, q, "store the referral", err);
}

static void
read_referral(sqlite3_stmt *q, void *row, struct ctip_arena *a, bool *ok)
{
	struct ctip_referral_row *o = row;

	memset(o, 0, sizeof(*o));
	o->id = sqlite3_column_int64(q, 0);
	o->object_type = sq_col_text(q, 1, a, ok);
	o->object_id = sqlite3_column_int64(q, 2);
	o->from_unit_id = sqlite3_column_int64(q, 3);
	o->to_unit_id = sqlite3_column_int64(q, 4);
	o->note_enc = sq_col_blob(q, 5, &o->note_enc_len, a, ok);
	o->status = sq_col_text(q, 6, a, ok);
	o->sent_at = sq_col_text(q, 7, a, ok);
	o->sent_by = sqlite3_column_int64(q, 8);
	o->ack_due_at = sq_col_text(q, 9, a, ok);
	o->responded_at = sq_col_text(q, 10, a, ok);
	o->responded_by = sqlite3_column_int64(q, 11);
	o->refusal_reason_enc =
		sq_col_blob(q, 12, &o->refusal_reason_enc_len, a, ok);
	o->closed_at = sq_col_text(q, 13, a, ok);
	o->closed_by = sqlite3_column_int64(q, 14);
	o->version = sqlite3_column_int(q, 15);
}

static int
sq_referral_get(struct ctip_referral_row *o, struct ctip_store *st, int64_t id,
		struct ctip_arena *a, struct ctip_err *err)
{
	return sq_get_one(o, S(st), S_REFERRAL_GET, id, "referral",
			  read_referral, a, err);
}

static int
sq_referral_update(struct ctip_store *st, const struct ctip_referral_row *r,
		   struct ctip_err *err)
{
	struct sqlite_store *s = S(st);
	sqlite3_stmt *q = sq_stmt(s, S_REFERRAL_UPDATE, err);
	int rc;

	if (q == NULL)
		return err->code;
	sqlite3_bind_int64(q, 1, r->id);
	sq_bind_text(q, 2, r->status);
	sq_bind_text(q, 3, r->responded_at);
	sq_bind_id(q, 4, r->responded_by);
	sq_bind_blob(q, 5, r->refusal_reason_enc, r->refusal_reason_enc_len);
	sq_bind_text(q, 6, r->closed_at);
	sq_bind_id(q, 7, r->closed_by);
	sqlite3_bind_int(q, 8, r->version);
	rc = sq_exec_stmt(s, q, "update the referral", err);
	if (rc == CTIP_OK && sqlite3_changes(s->db) == 0)
		rc = ctip_err_field(err, CTIP_ECONFLICT, "version",
				    "referral %lld was changed by someone "
				    "else: reload it",
				    (long long)r->id);
	return rc;
}

static int
sq_referral_list(int64_t **out, int *n_out, struct ctip_store *st,
		 int64_t unit_id, bool inbox, const char *status, int limit,
		 struct ctip_arena *a, struct ctip_err *err)
{
	struct sqlite_store *s = S(st);
	sqlite3_stmt *q =
		sq_stmt(s, inbox ? S_REFERRAL_INBOX : S_REFERRAL_OUTBOX, err);

	if (q == NULL)
		return err->code;
	sqlite3_bind_int64(q, 1, unit_id);
	sq_bind_text(q, 2, status);
	sqlite3_bind_int(q, 3, limit);
	return sq_read_all((void **)out, n_out, sizeof(**out), s, q,
			   sq_read_id_v, a, err);
}

static int
sq_referral_counts(long counts[5], long *late, struct ctip_store *st,
		   int64_t unit_id, const char *now, struct ctip_err *err)
{
	static const char *const names[5] = { "sent", "accepted", "refused",
					      "completed", "withdrawn" };
	struct sqlite_store *s = S(st);
	sqlite3_stmt *q = sq_stmt(s, S_REFERRAL_COUNTS, err);
	const char *status;
	int rc, i;

	if (q == NULL)
		return err->code;
	memset(counts, 0, 5 * sizeof(*counts));
	*late = 0;
	sqlite3_bind_int64(q, 1, unit_id);
	sq_bind_text(q, 2, now);
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		status = (const char *)sqlite3_column_text(q, 0);
		for (i = 0; i < 5; i++)
			if (status != NULL && strcmp(status, names[i]) == 0)
				counts[i] = (long)sqlite3_column_int64(q, 1);
		*late += (long)sqlite3_column_int64(q, 2);
	}
	sq_done(q);
	if (rc != SQLITE_DONE)
		return sq_db_error(s, err, "count referrals");
	return CTIP_OK;
}

static int
sq_access_revoke(struct ctip_store *st, const char *object_type,
		 int64_t object_id, int64_t unit_id, struct ctip_err *err)
{
	struct sqlite_store *s = S(st);
	sqlite3_stmt *q = sq_stmt(s, S_ACCESS_REVOKE, err);

	if (q == NULL)
		return err->code;
	sq_bind_text(q, 1, object_type);
	sqlite3_bind_int64(q, 2, object_id);
	sqlite3_bind_int64(q, 3, unit_id);
	return sq_exec_stmt(s, q, "revoke access", err);
}

/* The statement of the intake KPI query base (the _COMMUNE one) for f's
 * scope: a commune's, a province's or the nation's intakes, by their
 * place. */
static enum stmt_id
kpi_stmt(enum stmt_id base, const struct ctip_kpi_filter *f)
{
	if (f->commune_code != NULL)
		return base;
	return (enum stmt_id)(base + (f->province_code != NULL ? 1 : 2));
}

static void
bind_kpi(sqlite3_stmt *q, const struct ctip_kpi_filter *f)
{
	sq_bind_text(q, 1, f->commune_code);
	sq_bind_text(q, 2, f->province_code);
	sq_bind_text(q, 3, f->from);
	sq_bind_text(q, 4, f->to);
}

static int
sq_intake_counts(struct ctip_intake_counts *out, struct ctip_store *st,
		 const struct ctip_kpi_filter *f, struct ctip_err *err)
{
	struct sqlite_store *s = S(st);
	sqlite3_stmt *q = sq_stmt(s, kpi_stmt(S_INTAKE_COUNTS_COMMUNE, f), err);
	int rc;

	if (q == NULL)
		return err->code;
	bind_kpi(q, f);
	rc = sq_step_one(s, q, "count", err);
	if (rc == CTIP_OK) {
		out->received = (long)sqlite3_column_int64(q, 0);
		out->classified = (long)sqlite3_column_int64(q, 1);
		out->resolved = (long)sqlite3_column_int64(q, 2);
		out->tips = (long)sqlite3_column_int64(q, 3);
		out->tips_classified = (long)sqlite3_column_int64(q, 4);
		out->tips_resolved = (long)sqlite3_column_int64(q, 5);
		out->tips_in_time = (long)sqlite3_column_int64(q, 6);
		out->referred = (long)sqlite3_column_int64(q, 7);
	}
	sq_done(q);
	return rc;
}

static int
sq_referral_by_agency(const char ***agencies, long **counts, int *n_out,
		      struct ctip_store *st, const struct ctip_kpi_filter *f,
		      struct ctip_arena *a, struct ctip_err *err)
{
	struct sqlite_store *s = S(st);
	sqlite3_stmt *q =
		sq_stmt(s, kpi_stmt(S_REFERRAL_BY_AGENCY_COMMUNE, f), err);
	const char **names, **nums;
	int rc, i;

	if (q == NULL)
		return err->code;
	bind_kpi(q, f);
	rc = collect(&names, &nums, n_out, s, q, a, err);
	if (rc != CTIP_OK)
		return rc;
	*counts = ctip_arena_alloc(a, (size_t)(*n_out ? *n_out : 1) *
					      sizeof(**counts));
	if (*counts == NULL)
		return ctip_err_set(err, CTIP_ETOOBIG, "out of memory");
	for (i = 0; i < *n_out; i++)
		(*counts)[i] = strtol(nums[i], NULL, 10);
	*agencies = names;
	return CTIP_OK;
}

static int
sq_referral_delays(const char ***received, const char ***referred, int *n_out,
		   struct ctip_store *st, const struct ctip_kpi_filter *f,
		   struct ctip_arena *a, struct ctip_err *err)
{
	struct sqlite_store *s = S(st);
	sqlite3_stmt *q =
		sq_stmt(s, kpi_stmt(S_REFERRAL_DELAYS_COMMUNE, f), err);

	if (q == NULL)
		return err->code;
	bind_kpi(q, f);
	return collect(received, referred, n_out, s, q, a, err);
}

static int
sq_intake_person_link(struct ctip_store *st, int64_t intake_id,
		      int64_t person_id, struct ctip_err *err)
{
	struct sqlite_store *s = S(st);
	sqlite3_stmt *q = sq_stmt(s, S_INTAKE_PERSON_LINK, err);

	if (q == NULL)
		return err->code;
	sqlite3_bind_int64(q, 1, intake_id);
	sqlite3_bind_int64(q, 2, person_id);
	return sq_exec_stmt(s, q, "link the intake and the person", err);
}

/* Ids from statement id bound with one integer key. */
int
sq_rows_of(void **out, int *n_out, size_t size, struct sqlite_store *s, int id,
	   int64_t key, sq_row_reader read, struct ctip_arena *a,
	   struct ctip_err *err)
{
	sqlite3_stmt *q = sq_stmt(s, id, err);

	if (q == NULL)
		return err->code;
	sqlite3_bind_int64(q, 1, key);
	return sq_read_all(out, n_out, size, s, q, read, a, err);
}

int
sq_ids_of(int64_t **out, int *n_out, struct sqlite_store *s, int id,
	  int64_t key, struct ctip_arena *a, struct ctip_err *err)
{
	return sq_rows_of((void **)out, n_out, sizeof(**out), s, id, key,
			  sq_read_id_v, a, err);
}

static int
sq_intake_persons(int64_t **out, int *n_out, struct ctip_store *st,
		  int64_t intake_id, struct ctip_arena *a, struct ctip_err *err)
{
	return sq_ids_of(out, n_out, S(st), S_INTAKE_PERSONS, intake_id, a,
			 err);
}

static int
sq_person_intakes(int64_t **out, int *n_out, struct ctip_store *st,
		  int64_t person_id, struct ctip_arena *a, struct ctip_err *err)
{
	return sq_ids_of(out, n_out, S(st), S_PERSON_INTAKES, person_id, a,
			 err);
}

static int
sq_case_insert(int64_t *out, struct ctip_store *st,
	       const struct ctip_case_row *r, struct ctip_err *err)
{
	struct sqlite_store *s = S(st);
	sqlite3_stmt *q = sq_stmt(s, S_CASE_INSERT, err);

	if (q == NULL)
		return err->code;
	sqlite3_bind_int64(q, 1, r->owner_unit_id);
	sq_bind_text(q, 2, r->province_code);
	sq_bind_text(q, 3, r->stage);
	sq_bind_text(q, 4, r->article);
	sq_bind_blob(q, 5, r->title_enc, r->title_enc_len);
	sq_bind_text(q, 6, r->created_at);
	sqlite3_bind_int64(q, 7, r->created_by);
	return sq_insert_row(out, s, q, "store the case", err);
}

static int
sq_intake_case_link(struct ctip_store *st, int64_t intake_id, int64_t case_id,
		    struct ctip_err *err)
{
	struct sqlite_store *s = S(st);
	sqlite3_stmt *q = sq_stmt(s, S_INTAKE_CASE_LINK, err);

	if (q == NULL)
		return err->code;
	sqlite3_bind_int64(q, 1, intake_id);
	sqlite3_bind_int64(q, 2, case_id);
	return sq_exec_stmt(s, q, "link the intake and the case", err);
}

static int
sq_intake_cases(int64_t **out, int *n_out, struct ctip_store *st,
		int64_t intake_id, struct ctip_arena *a, struct ctip_err *err)
{
	return sq_ids_of(out, n_out, S(st), S_INTAKE_CASES, intake_id, a, err);
}

static int
sq_case_intakes(int64_t **out, int *n_out, struct ctip_store *st,
		int64_t case_id, struct ctip_arena *a, struct ctip_err *err)
{
	return sq_ids_of(out, n_out, S(st), S_CASE_INTAKES, case_id, a, err);
}

static int
sq_open_again(struct ctip_store **out, struct ctip_store *st,
	      struct ctip_err *err)
{
	const char *path = sqlite3_db_filename(S(st)->db, "main");

	*out = NULL;
	if (path == NULL || path[0] == '\0')
		return ctip_err_set(err, CTIP_EINVAL,
				    "an in-memory database has no second "
				    "connection");
	if (ctip_store_sqlite_open(out, path, CTIP_OPEN_EXISTING, err) !=
	    CTIP_OK)
		return err->code;
	if (S(st)->mapped && sq_map(*out, true, err) != CTIP_OK) {
		(*out)->ops->close(*out);
		*out = NULL;
		return err->code;
	}
	return CTIP_OK;
}

static void
sq_close(struct ctip_store *st)
{
	struct sqlite_store *s = S(st);
	int i;

	if (s == NULL)
		return;
	if (s->writing)
		sq_rollback(&s->base);
	for (i = 0; i < S_N; i++)
		sqlite3_finalize(s->stmts[i]);
	sqlite3_close(s->db);
	free(s);
}

static const struct ctip_store_ops sqlite_ops = {
	.name = "sqlite",
	.migrate = sq_migrate,
	.schema_check = sq_schema_check,
	.schema_version = sq_schema_version,
	.backup = sq_backup,
	.writable = sq_writable,
	.bulk = sq_bulk,
	.load_indexes = sq_load_indexes,
	.read_snapshot = sq_read_snapshot,
	.map = sq_map,
	.begin = sq_begin,
	.commit = sq_commit,
	.rollback = sq_rollback,
	.meta_get = sq_meta_get,
	.meta_set = sq_meta_set,
	.ref_upsert = sq_ref_upsert,
	.ref_clear = sq_ref_clear,
	.ref_count = sq_ref_count,
	.ref_exists = sq_ref_exists,
	.agency_levels = sq_agency_levels,
	.ref_codes = sq_ref_codes,
	.ref_names = sq_ref_names,
	.admin_unit_get = sq_admin_unit_get,
	.communes = sq_communes,
	.count = sq_count,
	.org_unit_find = sq_org_unit_find,
	.org_unit_ensure = sq_org_unit_ensure,
	.user_insert = sq_user_insert,
	.person_insert = sq_person_insert,
	.event_insert = sq_event_insert,
	.org_unit_get = sq_org_unit_get,
	.org_unit_list = sq_org_unit_list,
	.user_get = sq_user_get,
	.user_find = sq_user_find,
	.user_list = sq_user_list,
	.user_set_login_state = sq_user_set_login_state,
	.user_set_password = sq_user_set_password,
	.user_set_disabled = sq_user_set_disabled,
	.session_insert = sq_session_insert,
	.session_get = sq_session_get,
	.session_user = sq_session_user,
	.session_touch = sq_session_touch,
	.session_delete = sq_session_delete,
	.session_delete_user = sq_session_delete_user,
	.token_insert = sq_token_insert,
	.token_get = sq_token_get,
	.token_revoke = sq_token_revoke,
	.person_get = sq_person_get,
	.access_granted = sq_access_granted,
	.access_grant = sq_access_grant,
	.person_search = sq_person_search,
	.reseal = sq_reseal,
	.audit_last = sq_audit_last,
	.audit_insert = sq_audit_insert,
	.audit_list = sq_audit_list,
	.audit_walk = sq_audit_walk,
	.intake_insert = sq_intake_insert,
	.intake_find_key = sq_intake_find_key,
	.intake_get = sq_intake_get,
	.intake_update = sq_intake_update,
	.intake_hand_over = sq_intake_hand_over,
	.intake_list = sq_intake_list,
	.intake_repeat = sq_intake_repeat,
	.referral_insert = sq_referral_insert,
	.referral_get = sq_referral_get,
	.referral_update = sq_referral_update,
	.referral_list = sq_referral_list,
	.referral_counts = sq_referral_counts,
	.access_revoke = sq_access_revoke,
	.intake_counts = sq_intake_counts,
	.referral_by_agency = sq_referral_by_agency,
	.referral_delays = sq_referral_delays,
	.intake_person_link = sq_intake_person_link,
	.intake_persons = sq_intake_persons,
	.person_intakes = sq_person_intakes,
	.case_insert = sq_case_insert,
	.intake_case_link = sq_intake_case_link,
	.intake_cases = sq_intake_cases,
	.case_intakes = sq_case_intakes,
	.casework = &sq_casework_ops,
	.cases = &sq_case_ops,
	.stats = &sq_stats_ops,
	.reports = &sq_report_ops,
	.plans = &sq_plan_ops,
	.open_again = sq_open_again,
	.close = sq_close,
};

/* SQLite's memory statistics take one process-wide mutex on every
 * allocation, which the server's worker threads then queue on; ctip never
 * reads them. Must run before SQLite initialises itself. */
static void
sq_configure(void)
{
	sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

enum ctip_status
ctip_store_sqlite_open(struct ctip_store **out, const char *path,
		       enum ctip_open_mode mode, struct ctip_err *err)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;
	struct sqlite_store *s;
	int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX;
	bool memory = strcmp(path, ":memory:") == 0;

	pthread_once(&once, sq_configure);
	if (!memory && mode == CTIP_OPEN_EXISTING && access(path, F_OK) != 0)
		return ctip_err_set(err, CTIP_ENOTFOUND,
				    "could not open database \"%s\": it does "
				    "not exist (run \"ctip init\" first)",
				    path);
	if (mode == CTIP_OPEN_CREATE)
		flags |= SQLITE_OPEN_CREATE;
	if (!memory && mode == CTIP_OPEN_CREATE && path[0] != '\0' &&
	    !create_private(path, false))
		return ctip_err_set(err, CTIP_ESTORE,
				    "could not open database \"%s\": %s", path,
				    strerror(errno));
	s = ctip_xmalloc(sizeof(*s));
	memset(s, 0, sizeof(*s));
	s->base.ops = &sqlite_ops;
	if (sqlite3_open_v2(path, &s->db, flags, NULL) != SQLITE_OK) {
		ctip_err_set(err, CTIP_ESTORE,
			     "could not open database \"%s\": %s", path,
			     s->db ? sqlite3_errmsg(s->db) : "out of memory");
		sq_close(&s->base);
		return CTIP_ESTORE;
	}
	sqlite3_extended_result_codes(s->db, 1);
	/* Every connection, readers too, waits for locks instead of failing
	 * (stack-baseline pitfall 4). */
	sqlite3_busy_timeout(s->db, 10000);
	/* WAL lets readers run beside the writer; synchronous=FULL syncs the
	 * WAL on every commit, so a committed record survives power loss
	 * (docs/internals/storage.md). */
	if (exec_sql(s, "PRAGMA foreign_keys = ON", "enable foreign keys",
		     err) != CTIP_OK ||
	    (!memory && exec_sql(s, "PRAGMA journal_mode = WAL",
				 "enable WAL mode", err) != CTIP_OK) ||
	    exec_sql(s, "PRAGMA synchronous = FULL", "set synchronous mode",
		     err) != CTIP_OK ||
	    exec_sql(s, "PRAGMA cache_size = " CACHE_KIB, "set the cache size",
		     err) != CTIP_OK) {
		char why[4400];

		/* "attempt to write a readonly database" names neither the
		 * file nor the cause (a read-only directory or -shm). */
		if ((sqlite3_errcode(s->db) & 0xff) == SQLITE_READONLY)
			sq_readonly_cause(why, sizeof(why), path, s->db);
		else
			snprintf(why, sizeof(why), "%s", sqlite3_errmsg(s->db));
		ctip_err_set(err, err->code,
			     "could not open database \"%s\": %s", path, why);
		sq_close(&s->base);
		return err->code;
	}
	/* A database from a newer ctip is refused by every command, here
	 * in one place: an older binary would read and write a schema it
	 * does not know (docs/internals/storage.md, Migrations). */
	if (mode == CTIP_OPEN_EXISTING && !memory) {
		int v = 0;

		if (sq_schema_version(&v, &s->base, err) != CTIP_OK ||
		    v > ctip_n_migrations) {
			if (v > ctip_n_migrations)
				ctip_err_set(err, CTIP_ESTORE,
					     "database \"%s\" is at schema "
					     "version %d, newer than this "
					     "ctip (%d): upgrade ctip",
					     path, v, ctip_n_migrations);
			sq_close(&s->base);
			return err->code;
		}
	}
	*out = &s->base;
	return CTIP_OK;
}
