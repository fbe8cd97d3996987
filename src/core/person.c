/* person.c: creating persons and trafficking events. */
#include "core/person.h"
#include "util/hash.h"
#include "util/text.h"

#include <ctype.h>
#include <time.h>

void
ctip_now(char out[24])
{
	time_t t = time(NULL);
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(out, 24, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

void
ctip_day_of(char out[11], const char *now)
{
	struct tm tm = { 0 };
	time_t t;

	tm.tm_year = (int)strtol(now, NULL, 10) - 1900;
	tm.tm_mon = (int)strtol(now + 5, NULL, 10) - 1;
	tm.tm_mday = (int)strtol(now + 8, NULL, 10);
	tm.tm_hour = (int)strtol(now + 11, NULL, 10);
	tm.tm_min = (int)strtol(now + 14, NULL, 10);
	t = timegm(&tm) + CTIP_TZ_SECONDS;
	gmtime_r(&t, &tm);
	strftime(out, 11, "%Y-%m-%d", &tm);
}

void
ctip_today(char out[11])
{
	char now[24];

	ctip_now(now);
	ctip_day_of(out, now);
}

static bool
all_digits(const char *s, size_t n)
{
	size_t i;

	if (strlen(s) != n)
		return false;
	for (i = 0; i < n; i++)
		if (!isdigit((unsigned char)s[i]))
			return false;
	return true;
}

bool
ctip_date_valid(const char *s)
{
	static const int days[] = { 31, 29, 31, 30, 31, 30,
				    31, 31, 30, 31, 30, 31 };
	int y, m, d;

	if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return false;
	if (!isdigit((unsigned char)s[0]) || !isdigit((unsigned char)s[1]) ||
	    !isdigit((unsigned char)s[2]) || !isdigit((unsigned char)s[3]) ||
	    !isdigit((unsigned char)s[5]) || !isdigit((unsigned char)s[6]) ||
	    !isdigit((unsigned char)s[8]) || !isdigit((unsigned char)s[9]))
		return false;
	y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 +
	    (s[3] - '0');
	m = (s[5] - '0') * 10 + (s[6] - '0');
	d = (s[8] - '0') * 10 + (s[9] - '0');
	if (y < 1900 || y > 2100 || m < 1 || m > 12 || d < 1 || d > days[m - 1])
		return false;
	if (m == 2 && d == 29 &&
	    !(y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)))
		return false;
	return true;
}

void
ctip_date_add(char out[11], const char *date, int days, int months)
{
	static const int mdays[] = { 31, 28, 31, 30, 31, 30,
				     31, 31, 30, 31, 30, 31 };
	int y = (int)strtol(date, NULL, 10);
	int m = (int)strtol(date + 5, NULL, 10) - 1 + months;
	int d = (int)strtol(date + 8, NULL, 10), last;
	struct tm tm = { 0 };
	time_t t;

	/* Floor division: -1 month of January is December before. */
	y += m >= 0 ? m / 12 : (m - 11) / 12;
	m = ((m % 12) + 12) % 12;
	last = mdays[m] +
	       (m == 1 && y % 4 == 0 && (y % 100 != 0 || y % 400 == 0));
	tm.tm_year = y - 1900;
	tm.tm_mon = m;
	tm.tm_mday = d < last ? d : last;
	tm.tm_hour = 12;
	t = timegm(&tm) + (time_t)days * 86400;
	gmtime_r(&t, &tm);
	strftime(out, 11, "%Y-%m-%d", &tm);
}

int
ctip_age_on(const char *birth_date, int birth_year, const char *date)
{
	int y = (int)strtol(date, NULL, 10), age;

	if (birth_date != NULL) {
		age = y - (int)strtol(birth_date, NULL, 10);
		if (strncmp(birth_date + 5, date + 5, 5) > 0)
			age--;
		return age;
	}
	return birth_year > 0 ? y - birth_year : -1;
}

bool
ctip_before_birth(const char *date, const char *birth_date, int birth_year)
{
	if (birth_date != NULL)
		return strncmp(date, birth_date, 10) < 0;
	return birth_year > 0 && (int)strtol(date, NULL, 10) < birth_year;
}

enum ctip_status
ctip_birth_check(const char *date, const char *field, const char *birth_date,
		 int birth_year, struct ctip_err *err)
{
	if (!ctip_before_birth(date, birth_date, birth_year))
		return CTIP_OK;
	if (birth_date != NULL)
		return ctip_err_field(err, CTIP_EINVAL, field,
				      "%s: must not be before the person's "
				      "birth (%.10s)",
				      field, birth_date);
	return ctip_err_field(err, CTIP_EINVAL, field,
			      "%s: must not be before the person's birth "
			      "year (%d)",
			      field, birth_year);
}

bool
ctip_phone_normalize(char out[24], const char *phone)
{
	size_t n = 0;
	const char *p = phone;

	if (p[0] == '+') {
		p++;
		if (p[0] == '8' && p[1] == '4') {
			out[n++] = '0';
			p += 2;
		}
	}
	for (; *p != '\0'; p++) {
		if (isdigit((unsigned char)*p)) {
			if (n == 15)
				return false;
			out[n++] = *p;
		} else if (*p != ' ' && *p != '-' && *p != '.' && *p != '(' &&
			   *p != ')') {
			return false;
		}
	}
	out[n] = '\0';
	return n >= 8;
}

int
ctip_name_tokens(unsigned char out[][CTIP_BLIND_BYTES],
		 const struct ctip_keyring *kr, const char *key)
{
	char word[4 * CTIP_NAME_MAX + 1];
	const char *p = key;
	size_t len;
	int n = 0, i;

	while (*p != '\0' && n < CTIP_NAME_TOKENS_MAX) {
		len = strcspn(p, " ");
		if (len > 0 && len < sizeof(word)) {
			memcpy(word, p, len);
			word[len] = '\0';
			ctip_blind(out[n], kr, "name_token", word);
			for (i = 0; i < n; i++)
				if (memcmp(out[i], out[n], CTIP_BLIND_BYTES) ==
				    0)
					break;
			if (i == n)
				n++;
		}
		p += len;
		while (*p == ' ')
			p++;
	}
	return n;
}

/* Reference codes found valid, each with what else it was checked
 * against (a commune's province), as keys mapped to 1. */
struct ctip_ref_seen {
	struct ctip_strmap codes;
};

struct ctip_ref_seen *
ctip_ref_seen_new(void)
{
	struct ctip_ref_seen *s = ctip_xmalloc(sizeof(*s));

	ctip_strmap_init(&s->codes, (size_t)16 << 20);
	return s;
}

void
ctip_ref_seen_free(struct ctip_ref_seen *s)
{
	if (s == NULL)
		return;
	ctip_strmap_free(&s->codes);
	free(s);
}

/* Whether kind/code/extra is in s (false when s is NULL), and in key
 * what to add when it proves valid ("" when s is NULL or the code too long
 * to remember: then it is looked up each time). */
static bool
seen(const struct ctip_ref_seen *s, char key[64], enum ctip_ref_kind kind,
     const char *code, const char *extra)
{
	if (s == NULL || (size_t)snprintf(key, 64, "%d/%s/%s", (int)kind, code,
					  extra) >= 64) {
		key[0] = '\0';
		return false;
	}
	return ctip_strmap_get(&s->codes, key) != 0;
}

/* Remember key (from seen()); a full memo only means more look-ups. */
static void
seen_add(struct ctip_ref_seen *s, const char *key)
{
	if (s != NULL && key[0] != '\0')
		(void)ctip_strmap_put(&s->codes, key, 1);
}

static enum ctip_status
check_ref(struct ctip_store *st, struct ctip_ref_seen *memo,
	  enum ctip_ref_kind kind, const char *code, const char *field,
	  struct ctip_err *err)
{
	enum ctip_status rc;
	char key[64];
	bool ok;

	if (seen(memo, key, kind, code, ""))
		return CTIP_OK;
	if ((rc = st->ops->ref_exists(&ok, st, kind, code, err)) != CTIP_OK)
		return rc;
	if (!ok)
		return ctip_err_field(err, CTIP_EINVAL, field,
				      "%s: unknown code \"%s\"", field, code);
	seen_add(memo, key);
	return CTIP_OK;
}

/* The commune code must name a commune of province. */
static enum ctip_status
check_commune(struct ctip_store *st, struct ctip_ref_seen *memo,
	      const char *commune, const char *province, struct ctip_err *err)
{
	struct ctip_admin_unit au;
	struct ctip_arena a;
	enum ctip_status rc;
	char key[64];

	if (seen(memo, key, CTIP_REF_ADMIN_UNIT, commune, province))
		return CTIP_OK;
	ctip_arena_init(&a, 4096);
	rc = st->ops->admin_unit_get(&au, st, commune, &a, err);
	if (rc == CTIP_ENOTFOUND)
		rc = ctip_err_field(err, CTIP_EINVAL, "commune",
				    "commune: unknown code \"%s\"", commune);
	else if (rc == CTIP_OK && (au.province_code == NULL ||
				   strcmp(au.province_code, province) != 0))
		rc = ctip_err_field(err, CTIP_EINVAL, "commune",
				    "commune: \"%s\" is not in province "
				    "\"%s\"",
				    commune, province);
	ctip_arena_free(&a);
	if (rc == CTIP_OK)
		seen_add(memo, key);
	return rc;
}

static const char *const roles[] = { "victim", "under_identification",
				     "accompanying_minor", NULL };
static const char *const sexes[] = { "F", "M", "U", NULL };
static const char *const citizenships[] = { "vn_citizen", "stateless_resident",
					    "foreigner", NULL };

/* The adult an accompanying minor is registered with: a person who is not
 * a minor; and the minor must be under 18 when their age is known. The
 * adult is in->adult when the caller knows it (an earlier line of the
 * same import), else the stored person in->accompanies_id. */
static enum ctip_status
check_adult(struct ctip_store *st, const struct ctip_person_input *in,
	    const char *received_on, int birth_year, struct ctip_err *err)
{
	struct ctip_adult_ref adult = { 0 };
	struct ctip_person_rec rec;
	struct ctip_arena a;
	enum ctip_status rc = CTIP_OK;
	int age;

	if (in->adult != NULL) {
		adult = *in->adult;
	} else {
		ctip_arena_init(&a, 1u << 16);
		rc = st->ops->person_get(&rec, st, in->accompanies_id, &a, err);
		if (rc == CTIP_ENOTFOUND)
			rc = ctip_err_field(err, CTIP_EINVAL, "accompanies_id",
					    "accompanies_id: no such person");
		if (rc == CTIP_OK) {
			adult.minor =
				strcmp(rec.role, "accompanying_minor") == 0;
			snprintf(adult.received_on, sizeof(adult.received_on),
				 "%s", rec.received_on ? rec.received_on : "");
		}
		ctip_arena_free(&a);
		if (rc != CTIP_OK)
			return rc;
	}
	if (adult.minor)
		return ctip_err_field(err, CTIP_EINVAL, "accompanies_id",
				      "accompanies_id: a minor accompanies a "
				      "victim or a person under "
				      "identification, not another minor");
	/* Under 18 when received with the adult. */
	age = ctip_age_on(in->birth_date, birth_year,
			  adult.received_on[0] ? adult.received_on
					       : received_on);
	if (age >= 18) {
		/* The field the age came from, as the user gave it. */
		const char *field = in->birth_date != NULL  ? "birth_date"
				    : in->has_estimated_age ? "estimated_age"
							    : "birth_year";

		return ctip_err_field(err, CTIP_EINVAL, field,
				      "%s: an accompanying minor must be under "
				      "18 (is %d)",
				      field, age);
	}
	return CTIP_OK;
}

/* n bytes from a, or a scratch buffer and *full set when a has no room
 * left (the caller then fails as a whole). */
static void *
room(struct ctip_arena *a, size_t n, bool *full)
{
	/* The longest sealed field (checked before it is sealed) fits. */
	_Static_assert(CTIP_NOTE_MAX >= CTIP_ADDRESS_MAX &&
			       CTIP_NOTE_MAX >= CTIP_NAME_MAX,
		       "scratch must hold every sealed field");
	static _Thread_local unsigned char
		scratch[4 * CTIP_NOTE_MAX + CTIP_SEAL_OVERHEAD];
	void *p = n <= sizeof(scratch) ? ctip_arena_alloc(a, n) : NULL;

	if (p != NULL)
		return p;
	*full = true;
	return scratch;
}

/* Seal n bytes of clear under context into a. */
static const unsigned char *
seal_into(size_t *len, struct ctip_arena *a, bool *full,
	  const struct ctip_keyring *kr, const char *context, const char *clear,
	  size_t n)
{
	unsigned char *out = room(a, n + CTIP_SEAL_OVERHEAD, full);

	ctip_seal(out, kr, context, clear, n);
	*len = n + CTIP_SEAL_OVERHEAD;
	return out;
}

/* A blind index of clear under context, in a. */
static const unsigned char *
blind_into(struct ctip_arena *a, bool *full, const struct ctip_keyring *kr,
	   const char *context, const char *clear)
{
	unsigned char *out = room(a, CTIP_BLIND_BYTES, full);

	ctip_blind(out, kr, context, clear);
	return out;
}

enum ctip_status
ctip_person_prepare(struct ctip_person_row *row, struct ctip_arena *a,
		    struct ctip_store *st, struct ctip_ref_seen *memo,
		    const struct ctip_keyring *kr,
		    const struct ctip_person_input *in, const char *now,
		    struct ctip_err *err)
{
	unsigned char tokens[CTIP_NAME_TOKENS_MAX][CTIP_BLIND_BYTES];
	const unsigned char **token_ptrs;
	char key[4 * CTIP_NAME_MAX + 1], phone[24], today[11], *day;
	enum ctip_status rc;
	bool full = false;
	int i;

	memset(row, 0, sizeof(*row));
	if (in->full_name == NULL || in->full_name[0] == '\0')
		return ctip_err_field(err, CTIP_EINVAL, "full_name",
				      "full_name: required");
	if ((rc = ctip_text_check(in->full_name, CTIP_NAME_MAX, false,
				  "full_name", err)) != CTIP_OK)
		return rc;
	if (in->role == NULL || !ctip_one_of(in->role, roles))
		return ctip_err_field(err, CTIP_EINVAL, "role",
				      "role: must be victim, "
				      "under_identification or "
				      "accompanying_minor");
	if ((strcmp(in->role, "accompanying_minor") == 0) !=
	    (in->accompanies_id > 0 || in->adult != NULL))
		return ctip_err_field(err, CTIP_EINVAL, "accompanies_id",
				      "accompanies_id: required for an "
				      "accompanying minor and only for one");
	if (in->sex == NULL || !ctip_one_of(in->sex, sexes))
		return ctip_err_field(err, CTIP_EINVAL, "sex",
				      "sex: must be F, M or U");
	if (in->citizenship == NULL ||
	    !ctip_one_of(in->citizenship, citizenships))
		return ctip_err_field(err, CTIP_EINVAL, "citizenship",
				      "citizenship: must be vn_citizen, "
				      "stateless_resident or foreigner");
	/* Dates are Viet Nam's days: "today" is today there. */
	ctip_day_of(today, now);
	row->received_on = in->received_on;
	if (row->received_on == NULL) {
		day = room(a, sizeof(today), &full);
		memcpy(day, today, sizeof(today));
		row->received_on = day;
	} else if (!ctip_date_valid(row->received_on) ||
		   strcmp(row->received_on, today) > 0) {
		return ctip_err_field(
			err, CTIP_EINVAL, "received_on",
			"received_on: not a date yyyy-mm-dd up to "
			"today");
	}
	row->birth_year = in->birth_year;
	if (in->has_estimated_age) {
		if (in->birth_date != NULL || in->birth_year != 0)
			return ctip_err_field(err, CTIP_EINVAL, "estimated_age",
					      "estimated_age: give a birth "
					      "date, a birth year or an "
					      "estimated age, not several");
		if (in->estimated_age < 0 || in->estimated_age > 120)
			return ctip_err_field(err, CTIP_EINVAL, "estimated_age",
					      "estimated_age: must be 0 to "
					      "120 years");
		row->birth_year = (int)strtol(row->received_on, NULL, 10) -
				  in->estimated_age;
		row->birth_estimated = true;
	}
	if (in->birth_date != NULL) {
		if (!ctip_date_valid(in->birth_date) ||
		    strcmp(in->birth_date, today) > 0)
			return ctip_err_field(err, CTIP_EINVAL, "birth_date",
					      "birth_date: not a past date "
					      "yyyy-mm-dd");
		/* Both given: they must say the same, or which is right? */
		if (in->birth_year != 0 &&
		    in->birth_year != (int)strtol(in->birth_date, NULL, 10))
			return ctip_err_field(err, CTIP_EINVAL, "birth_year",
					      "birth_year: %d is not the year "
					      "of birth_date %s",
					      in->birth_year, in->birth_date);
		row->birth_year = (int)strtol(in->birth_date, NULL, 10);
	} else if (in->birth_year != 0 &&
		   (in->birth_year < 1900 ||
		    in->birth_year > (int)strtol(now, NULL, 10))) {
		return ctip_err_field(err, CTIP_EINVAL, "birth_year",
				      "birth_year: out of range");
	}
	/* Received alive: the casework dated after reception (consents,
	 * services, visits...) then cannot precede the birth either. An
	 * estimated age gives a birth year up to the reception's. */
	if ((rc = ctip_birth_check(row->received_on, "received_on",
				   in->birth_date, row->birth_year, err)) !=
	    CTIP_OK)
		return rc;
	if (in->province_code == NULL || !all_digits(in->province_code, 2))
		return ctip_err_field(err, CTIP_EINVAL, "province",
				      "province: a 2-digit code is required");
	if ((rc = check_ref(st, memo, CTIP_REF_ADMIN_UNIT, in->province_code,
			    "province", err)) != CTIP_OK)
		return rc;
	if (in->commune_code != NULL) {
		if (!all_digits(in->commune_code, 5))
			return ctip_err_field(err, CTIP_EINVAL, "commune",
					      "commune: must be a 5-digit "
					      "code");
		if ((rc = check_commune(st, memo, in->commune_code,
					in->province_code, err)) != CTIP_OK)
			return rc;
	}
	if ((in->accompanies_id > 0 || in->adult != NULL) &&
	    (rc = check_adult(st, in, row->received_on, row->birth_year,
			      err)) != CTIP_OK)
		return rc;
	if (in->ethnicity_code != NULL &&
	    (rc = check_ref(st, memo, CTIP_REF_ETHNIC_GROUP, in->ethnicity_code,
			    "ethnicity", err)) != CTIP_OK)
		return rc;
	if (in->nationality != NULL &&
	    (rc = check_ref(st, memo, CTIP_REF_COUNTRY, in->nationality,
			    "nationality", err)) != CTIP_OK)
		return rc;

	if (ctip_text_key(key, sizeof(key), in->full_name) <= 0)
		return ctip_err_field(err, CTIP_EINVAL, "full_name",
				      "full_name: has no letters");
	row->name_bidx = blind_into(a, &full, kr, "name", key);
	row->n_name_tokens = ctip_name_tokens(tokens, kr, key);
	token_ptrs = room(a, sizeof(*token_ptrs) * CTIP_NAME_TOKENS_MAX, &full);
	for (i = 0; i < row->n_name_tokens; i++)
		token_ptrs[i] = memcpy(room(a, CTIP_BLIND_BYTES, &full),
				       tokens[i], CTIP_BLIND_BYTES);
	row->name_tokens = token_ptrs;
	row->name_enc =
		seal_into(&row->name_enc_len, a, &full, kr, "person.name",
			  in->full_name, strlen(in->full_name));
	if (in->citizen_id != NULL) {
		if (!all_digits(in->citizen_id, 12))
			return ctip_err_field(err, CTIP_EINVAL, "citizen_id",
					      "citizen_id: must be 12 digits");
		row->citizen_id_enc =
			seal_into(&row->citizen_id_enc_len, a, &full, kr,
				  "person.citizen_id", in->citizen_id, 12);
		row->citizen_id_bidx =
			blind_into(a, &full, kr, "citizen_id", in->citizen_id);
	}
	if (in->phone != NULL) {
		if (!ctip_phone_normalize(phone, in->phone))
			return ctip_err_field(err, CTIP_EINVAL, "phone",
					      "phone: not a phone number");
		row->phone_enc =
			seal_into(&row->phone_enc_len, a, &full, kr,
				  "person.phone", phone, strlen(phone));
		row->phone_bidx = blind_into(a, &full, kr, "phone", phone);
	}
	if (in->address != NULL) {
		if ((rc = ctip_text_check(in->address, CTIP_ADDRESS_MAX, false,
					  "address", err)) != CTIP_OK)
			return rc;
		row->address_enc = seal_into(&row->address_enc_len, a, &full,
					     kr, "person.address", in->address,
					     strlen(in->address));
	}
	if (in->contacts != NULL && in->contacts[0] != '\0') {
		if ((rc = ctip_text_check(in->contacts, CTIP_NOTE_MAX, false,
					  "contacts", err)) != CTIP_OK)
			return rc;
		row->contacts_enc = seal_into(
			&row->contacts_enc_len, a, &full, kr, "person.contacts",
			in->contacts, strlen(in->contacts));
	}
	/* A person under identification has 3 days to be verified (Law
	 * Art. 27.3); one registered as a victim was identified before (and
	 * is stored under identification only until the identify step
	 * recorded with it, ctip_casework_identify_registered). */
	row->status = "received";
	if (strcmp(in->role, "under_identification") == 0 &&
	    in->identification == NULL) {
		day = room(a, 11, &full);
		ctip_date_add(day, row->received_on, 3, 0);
		row->verify_due = day;
	} else if (strcmp(in->role, "victim") == 0) {
		row->status = "identified";
		row->identified_on = row->received_on;
	}
	row->owner_unit_id = in->owner_unit_id;
	row->province_code = in->province_code;
	row->commune_code = in->commune_code;
	row->role = in->role;
	row->accompanies_id = in->accompanies_id;
	row->sex = in->sex;
	row->birth_date = in->birth_date;
	row->ethnicity_code = in->ethnicity_code;
	row->nationality = in->nationality;
	row->citizenship = in->citizenship;
	row->is_demo = in->is_demo;
	row->now = now;
	row->created_by = in->created_by;
	if (full)
		return ctip_err_set(err, CTIP_ETOOBIG,
				    "person: no room left to prepare it");
	return CTIP_OK;
}

enum ctip_status
ctip_person_create(int64_t *out, struct ctip_store *st,
		   const struct ctip_keyring *kr,
		   const struct ctip_person_input *in, const char *now,
		   struct ctip_err *err)
{
	struct ctip_person_row row;
	struct ctip_arena a;
	enum ctip_status rc;

	ctip_arena_init(&a, 1u << 16);
	rc = ctip_person_prepare(&row, &a, st, NULL, kr, in, now, err);
	if (rc == CTIP_OK)
		rc = st->ops->person_insert(out, st, &row, err);
	ctip_arena_free(&a);
	return rc;
}

static const char *const means[] = { "online_ad", "broker", "acquaintance",
				     "relative",  "other",  "unknown",
				     NULL };
static const char *const discoveries[] = {
	"rescued",  "self_returned", "foreign_handover",
	"reported", "other",         NULL
};

enum ctip_status
ctip_event_prepare(struct ctip_event_row *row, struct ctip_store *st,
		   struct ctip_ref_seen *memo, int64_t person_id,
		   const char *province_code, const struct ctip_event_input *in,
		   const char *now, int64_t created_by, struct ctip_err *err)
{
	enum ctip_status rc;
	char today[11];
	int i, j;

	memset(row, 0, sizeof(*row));
	ctip_day_of(today, now);
	if (in->discovery == NULL || !ctip_one_of(in->discovery, discoveries))
		return ctip_err_field(err, CTIP_EINVAL, "discovery",
				      "discovery: must be rescued, "
				      "self_returned, foreign_handover, "
				      "reported or other");
	if (in->discovered_on == NULL || !ctip_date_valid(in->discovered_on) ||
	    strcmp(in->discovered_on, today) > 0)
		return ctip_err_field(err, CTIP_EINVAL, "discovered_on",
				      "discovered_on: a past date yyyy-mm-dd "
				      "is required");
	if (in->recruited_on != NULL &&
	    (!ctip_date_valid(in->recruited_on) ||
	     strcmp(in->recruited_on, in->discovered_on) > 0))
		return ctip_err_field(err, CTIP_EINVAL, "recruited_on",
				      "recruited_on: must be a date no later "
				      "than discovered_on");
	if (in->recruitment_means != NULL &&
	    !ctip_one_of(in->recruitment_means, means))
		return ctip_err_field(err, CTIP_EINVAL, "recruitment_means",
				      "recruitment_means: unknown value "
				      "\"%s\"",
				      in->recruitment_means);
	/* Named "destination", as the API and the persons CSV call it. */
	if (in->abroad && in->destination_country == NULL)
		return ctip_err_field(err, CTIP_EINVAL, "destination",
				      "destination: required when abroad");
	if (in->destination_country != NULL &&
	    (rc = check_ref(st, memo, CTIP_REF_COUNTRY, in->destination_country,
			    "destination", err)) != CTIP_OK)
		return rc;
	/* The statistics split events by abroad and by destination (VN for
	 * a domestic one): a contradiction would count on opposite sides. */
	if (in->destination_country != NULL &&
	    (strcmp(in->destination_country, "VN") == 0) == in->abroad)
		return ctip_err_field(err, CTIP_EINVAL, "destination",
				      in->abroad ? "destination: VN is not "
						   "abroad"
						 : "destination: a foreign "
						   "country, but not abroad");
	if (in->n_purposes < 1 || in->n_purposes > CTIP_PURPOSES_MAX)
		return ctip_err_field(err, CTIP_EINVAL, "purposes",
				      "purposes: between 1 and %d codes",
				      CTIP_PURPOSES_MAX);
	for (i = 0; i < in->n_purposes; i++) {
		if ((rc = check_ref(st, memo, CTIP_REF_PURPOSE, in->purposes[i],
				    "purposes", err)) != CTIP_OK)
			return rc;
		for (j = 0; j < i; j++)
			if (strcmp(in->purposes[j], in->purposes[i]) == 0)
				return ctip_err_field(err, CTIP_EINVAL,
						      "purposes",
						      "purposes: \"%s\" given "
						      "twice",
						      in->purposes[i]);
	}
	row->person_id = person_id;
	row->province_code = province_code;
	row->abroad = in->abroad;
	row->destination_country = in->destination_country;
	row->recruitment_means = in->recruitment_means;
	row->recruited_on = in->recruited_on;
	row->discovery = in->discovery;
	row->discovered_on = in->discovered_on;
	row->purposes = in->purposes;
	row->n_purposes = in->n_purposes;
	row->now = now;
	row->created_by = created_by;
	return CTIP_OK;
}

enum ctip_status
ctip_event_birth_check(const struct ctip_event_input *in,
		       const char *birth_date, int birth_year,
		       struct ctip_err *err)
{
	enum ctip_status rc = CTIP_OK;

	/* Trafficking comes before the person is received (it is how one
	 * comes to be), so only the birth bounds its dates. A date that is
	 * not one is left to ctip_event_prepare. */
	if (in->discovered_on != NULL && ctip_date_valid(in->discovered_on))
		rc = ctip_birth_check(in->discovered_on, "discovered_on",
				      birth_date, birth_year, err);
	if (rc == CTIP_OK && in->recruited_on != NULL &&
	    ctip_date_valid(in->recruited_on))
		rc = ctip_birth_check(in->recruited_on, "recruited_on",
				      birth_date, birth_year, err);
	return rc;
}

enum ctip_status
ctip_event_create(int64_t *out, struct ctip_store *st, int64_t person_id,
		  const char *province_code, const struct ctip_event_input *in,
		  const char *now, int64_t created_by, struct ctip_err *err)
{
	struct ctip_event_row row;
	enum ctip_status rc;

	rc = ctip_event_prepare(&row, st, NULL, person_id, province_code, in,
				now, created_by, err);
	if (rc == CTIP_OK)
		rc = st->ops->event_insert(out, st, &row, err);
	return rc;
}
