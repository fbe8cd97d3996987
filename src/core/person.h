/* person.h: creating persons and trafficking events, sealing identity
 * fields on the way to the store. */
#ifndef CTIP_PERSON_H
#define CTIP_PERSON_H

#include "store/store.h"
#include "util/crypto.h"

#define CTIP_NAME_MAX        200  /* code points in a full name */
#define CTIP_ADDRESS_MAX     500  /* code points in an address */
#define CTIP_PURPOSES_MAX    8    /* purposes of one event */
#define CTIP_NAME_TOKENS_MAX 8    /* words of a name that are indexed */
#define CTIP_NOTE_MAX        2000 /* code points in a free-text note */

/* The adult a minor accompanies, as the caller knows it when the adult is
 * not in the store yet (an earlier line of the same import). */
struct ctip_adult_ref {
	bool minor;           /* the adult is an accompanying minor: refused */
	char received_on[11]; /* yyyy-mm-dd, "" when unknown */
};

/* A person as entered, identity in clear. Strings are borrowed. */
struct ctip_step_input; /* core/casework.h */

struct ctip_person_input {
	int64_t owner_unit_id;
	const char *province_code; /* required, 2 digits */
	const char *commune_code;  /* 5 digits or NULL */
	const char *role;          /* victim, under_identification,
				      accompanying_minor */
	int64_t accompanies_id;    /* the adult, for accompanying_minor */
	const struct ctip_adult_ref *adult; /* or the adult not stored yet:
					       the caller sets the row's
					       accompanies_id */
	const char *sex;                    /* F, M or U */
	const char *birth_date;             /* yyyy-mm-dd or NULL */
	int birth_year;         /* 0 when unknown; from birth_date if set */
	bool has_estimated_age; /* no birth date: an age estimated at */
	int estimated_age;      /* reception, in years */
	const char *ethnicity_code;
	const char *nationality;
	const char *citizenship; /* vn_citizen, stateless_resident, foreigner */
	const char *full_name;   /* required */
	const char *citizen_id;  /* 12 digits or NULL */
	const char *phone;       /* or NULL */
	const char *address;     /* or NULL */
	const char *contacts;    /* other contacts (relatives...), or NULL */
	const char *received_on; /* yyyy-mm-dd; NULL: the day of now */
	bool is_demo;
	int64_t created_by; /* 0 for a system import */
	/* A victim registered by a user: how they were identified (step
	 * "identify": its date, the evidence of Law Art. 32.1 and the
	 * confirming document of Art. 33); NULL for anyone else. */
	const struct ctip_step_input *identification;
};

/* A trafficking event as entered. */
struct ctip_event_input {
	bool abroad;
	const char *destination_country; /* alpha-2, required when abroad */
	const char *recruitment_means;
	const char *recruited_on;
	const char *discovery;
	const char *discovered_on; /* required */
	const char *purposes[CTIP_PURPOSES_MAX];
	int n_purposes;
};

/*
 * Validate in (field-level CTIP_EINVAL naming the field), seal its
 * identity fields with kr and store it; *out = the new id. Does not open
 * a transaction: the caller groups writes. now is the record timestamp.
 */
CTIP_MUST_CHECK enum ctip_status
ctip_person_create(int64_t *out, struct ctip_store *st,
		   const struct ctip_keyring *kr,
		   const struct ctip_person_input *in, const char *now,
		   struct ctip_err *err);

/* Reference codes already found valid, so that a bulk import asks the
 * store once per code instead of once per row. Not thread-safe. */
struct ctip_ref_seen;
struct ctip_ref_seen *ctip_ref_seen_new(void);
void ctip_ref_seen_free(struct ctip_ref_seen *s);

/*
 * The validation and sealing of ctip_person_create without the insert:
 * *row is the person to store, its sealed fields in a (which needs room
 * for about 16 KiB), its other strings borrowed from in. Reads reference
 * data (and an adult given by accompanies_id) from st; codes in memo (if
 * not NULL) are known valid, and the valid ones are added to it.
 */
CTIP_MUST_CHECK enum ctip_status
ctip_person_prepare(struct ctip_person_row *row, struct ctip_arena *a,
		    struct ctip_store *st, struct ctip_ref_seen *memo,
		    const struct ctip_keyring *kr,
		    const struct ctip_person_input *in, const char *now,
		    struct ctip_err *err);

/* The validation of ctip_event_create without the insert. */
CTIP_MUST_CHECK enum ctip_status
ctip_event_prepare(struct ctip_event_row *row, struct ctip_store *st,
		   struct ctip_ref_seen *memo, int64_t person_id,
		   const char *province_code, const struct ctip_event_input *in,
		   const char *now, int64_t created_by, struct ctip_err *err);

/* CTIP_EINVAL naming the field when an event of in is dated before the
 * birth of its person (ctip_birth_check); not before its reception, which
 * follows the trafficking. */
CTIP_MUST_CHECK enum ctip_status
ctip_event_birth_check(const struct ctip_event_input *in,
		       const char *birth_date, int birth_year,
		       struct ctip_err *err);

/* Validate and store an event of person_id, which lives in province. */
CTIP_MUST_CHECK enum ctip_status
ctip_event_create(int64_t *out, struct ctip_store *st, int64_t person_id,
		  const char *province_code, const struct ctip_event_input *in,
		  const char *now, int64_t created_by, struct ctip_err *err);

/*
 * Blind the distinct words of a search key ("nguyen thi dao") into out,
 * at most CTIP_NAME_TOKENS_MAX of them, in the order they appear; returns
 * how many. A search for a name blinds its words the same way.
 */
int ctip_name_tokens(unsigned char out[][CTIP_BLIND_BYTES],
		     const struct ctip_keyring *kr, const char *key);

/* Normalise a phone number to digits with a leading 0 for Vietnamese
 * numbers ("+84 912-345 678" -> "0912345678") into out; false if it is
 * not a plausible number (8 to 15 digits). */
bool ctip_phone_normalize(char out[24], const char *phone);

/* True if s is a calendar date yyyy-mm-dd between 1900-01-01 and
 * 2100-12-31. */
bool ctip_date_valid(const char *s);

/* date (yyyy-mm-dd, valid) plus days and months into out; adding months
 * keeps the day, or the month's last day if it has none ("2025-01-31" + 1
 * month = "2025-02-28"). */
void ctip_date_add(char out[11], const char *date, int days, int months);

/* Age in whole years on date (yyyy-mm-dd) of a person born on birth_date
 * (or NULL) or in birth_year (or 0); -1 when unknown, and negative too
 * for a date before the birth (see ctip_before_birth). */
int ctip_age_on(const char *birth_date, int birth_year, const char *date);

/* Whether date (yyyy-mm-dd) is before the birth of a person born on
 * birth_date (or NULL) or, with the year only, in birth_year (or 0): then
 * the years are compared. False when the birth is unknown. */
bool ctip_before_birth(const char *date, const char *birth_date,
		       int birth_year);

/* CTIP_EINVAL naming field when date (of the person's own timeline: its
 * reception, consents, events...) is before its birth, as
 * ctip_before_birth. */
CTIP_MUST_CHECK enum ctip_status
ctip_birth_check(const char *date, const char *field, const char *birth_date,
		 int birth_year, struct ctip_err *err);

/* Viet Nam's offset from UTC (UTC+7, no daylight saving). */
#define CTIP_TZ_SECONDS (7 * 3600L)

/* The day in Viet Nam (yyyy-mm-dd) at UTC timestamp now
 * (yyyy-mm-ddThh:mm:ssZ): the day users mean by "today". */
void ctip_day_of(char out[11], const char *now);

/* Today in Viet Nam, yyyy-mm-dd. */
void ctip_today(char out[11]);

/* Current UTC time as yyyy-mm-ddThh:mm:ssZ into out. */
void ctip_now(char out[24]);

#endif
