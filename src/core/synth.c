/* synth.c: fixed-seed synthetic persons and events. The distributions are
 * rough shapes of the published picture (mostly women and girls, most
 * cases abroad, China and the scam compounds of Cambodia, Myanmar and Laos
 * the main destinations), not statistics. */
#include "core/synth.h"

static const char *const families[] = {
	"Nguyễn", "Nguyễn", "Nguyễn", "Trần", "Trần",  "Lê",   "Lê",  "Phạm",
	"Hoàng",  "Huỳnh",  "Phan",   "Vũ",   "Võ",    "Đặng", "Bùi", "Đỗ",
	"Hồ",     "Ngô",    "Dương",  "Lý",   "Giàng", "Sùng", "Lò",  "Vàng",
	"Hà",     "Đinh",   "Lục",    "Thào", "Mùa",   "Triệu"
};
static const char *const middles_f[] = { "Thị", "Thị",   "Thị", "Ngọc",
					 "Thu", "Thanh", "Kim", "Mỹ" };
static const char *const middles_m[] = { "Văn", "Văn",  "Văn", "Minh",
					 "Đức", "Quốc", "Hữu", "A" };
static const char *const givens_f[] = {
	"Đào",  "Hoa",  "Lan",  "Mai", "Hương", "Linh", "Trang", "Ngân",
	"Dung", "Hằng", "Thảo", "Yến", "Nhung", "Ly",   "Vy",    "Xuân",
	"Sáu",  "Mỷ",   "Pàng", "Dợ",  "Chi",   "Hà",   "Nga",   "Phương"
};
static const char *const givens_m[] = { "Anh",   "Bình", "Cường", "Dũng",
					"Hùng",  "Hải",  "Long",  "Nam",
					"Phúc",  "Quân", "Sơn",   "Tuấn",
					"Thắng", "Vinh", "Đạt",   "Khánh",
					"Páo",   "Chứ",  "Sình",  "Tòng" };
static const char *const streets[] = { "Thôn", "Bản", "Tổ dân phố", "Xóm",
				       "Ấp" };
static const char *const purpose_pool[] = {
	"SEX.PROSTITUTION",      "SEX.SEXUAL_SERVITUDE",
	"OTHER.FORCED_MARRIAGE", "LABOUR.FORCED_CRIMINALITY",
	"LABOUR.MANUFACTURING",  "LABOUR.DOMESTIC",
	"LABOUR.FISHING",        "LABOUR.BEGGING",
	"OTHER.SURROGACY",       "MONEY.CHILD_SALE",
	"ORGAN.KIDNEY",          "UNKNOWN"
};

uint32_t
ctip_synth_below(struct ctip_synth *g, uint32_t n)
{
	uint64_t z;

	/* splitmix64 */
	z = (g->state += 0x9E3779B97F4A7C15ull);
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
	z ^= z >> 31;
	return (uint32_t)((z >> 32) * n >> 32);
}

#define PICK(g, a) ((a)[ctip_synth_below((g), CTIP_NELEM(a))])

void
ctip_synth_init(struct ctip_synth *g, uint64_t seed,
		const struct ctip_commune *communes, int n_communes)
{
	memset(g, 0, sizeof(*g));
	g->state = seed;
	g->communes = communes;
	g->n_communes = n_communes;
	g->next_ref = 1;
}

static void
date_in(struct ctip_synth *g, char out[16], int year_from, int year_to,
	int max_month_last)
{
	int y = year_from +
		(int)ctip_synth_below(g, (uint32_t)(year_to - year_from + 1));
	int m = 1 +
		(int)ctip_synth_below(g, y == year_to ? max_month_last : 12);
	int d = 1 + (int)ctip_synth_below(g, 28);

	snprintf(out, 16, "%04u-%02u-%02u", (unsigned)y % 10000u,
		 (unsigned)m % 100u, (unsigned)d % 100u);
}

static void
person(struct ctip_synth *g, struct ctip_synth_record *r, bool minor,
       int event_year)
{
	bool female = ctip_synth_below(g, 100) < (minor ? 60 : 78);
	int age, year, month, day;
	const char *family;
	uint32_t e;

	r->p.sex = female ? "F" : (ctip_synth_below(g, 200) == 0 ? "U" : "M");
	family = minor ? g->adult_family : PICK(g, families);
	snprintf(r->name, sizeof(r->name), "%s %s %s", family,
		 female ? PICK(g, middles_f) : PICK(g, middles_m),
		 female ? PICK(g, givens_f) : PICK(g, givens_m));
	age = minor ? 1 + (int)ctip_synth_below(g, 17)
		    : 13 + (int)ctip_synth_below(g, 20) +
			      (int)ctip_synth_below(g, 20);
	year = event_year - age;
	month = 1 + (int)ctip_synth_below(g, 12);
	day = 1 + (int)ctip_synth_below(g, 28);
	/* A fifth of the records know only the birth year. */
	if (ctip_synth_below(g, 5) == 0) {
		r->p.birth_date = NULL;
		r->p.birth_year = year;
	} else {
		snprintf(r->birth_date, sizeof(r->birth_date), "%04u-%02u-%02u",
			 (unsigned)year % 10000u, (unsigned)month % 100u,
			 (unsigned)day % 100u);
		r->p.birth_date = r->birth_date;
		r->p.birth_year = 0;
	}
	/* Kinh three times in four; otherwise mostly the larger minority
	 * groups of the northern mountains. */
	e = ctip_synth_below(g, 100) < 75
		    ? 1
		    : 2 + ctip_synth_below(g, 12) +
			      ctip_synth_below(g, 41) *
				      (ctip_synth_below(g, 4) == 0);
	snprintf(r->ethnicity, sizeof(r->ethnicity), "%02u", e > 54 ? 54 : e);
	r->p.ethnicity_code = r->ethnicity;
	r->p.nationality = "VN";
	r->p.citizenship = "vn_citizen";
	/* Citizen ID: birth province (3 digits), century and sex digit,
	 * year of birth (2 digits), 6 random digits. Only adults and
	 * minors over 14 have one. */
	if (age >= 14 && ctip_synth_below(g, 10) < 8) {
		snprintf(r->citizen_id, sizeof(r->citizen_id), "0%s%d%02d%06u",
			 r->province, (year >= 2000 ? 2 : 0) + (female ? 1 : 0),
			 year % 100, ctip_synth_below(g, 1000000));
		r->p.citizen_id = r->citizen_id;
	} else {
		r->p.citizen_id = NULL;
	}
	if (!minor && ctip_synth_below(g, 10) < 7) {
		snprintf(r->phone, sizeof(r->phone), "0%u%08u",
			 3 + ctip_synth_below(g, 7) * (ctip_synth_below(g, 2)),
			 ctip_synth_below(g, 100000000));
		r->p.phone = r->phone;
	} else {
		r->p.phone = NULL;
	}
	snprintf(r->address, sizeof(r->address), "%s %u", PICK(g, streets),
		 1 + ctip_synth_below(g, 30));
	r->p.address = r->address;
	r->p.full_name = r->name;
	r->p.province_code = r->province;
	r->p.commune_code = r->commune;
}

void
ctip_synth_next(struct ctip_synth *g, struct ctip_synth_record *r)
{
	const struct ctip_commune *c;
	uint32_t dest, p;
	int event_year;

	memset(r, 0, sizeof(*r));
	snprintf(r->ref, sizeof(r->ref), "P%07ld", g->next_ref++);
	if (g->pending_minor) {
		/* The child who came with the previous adult. */
		g->pending_minor = false;
		snprintf(r->accompanies_ref, sizeof(r->accompanies_ref), "%s",
			 g->adult_ref);
		snprintf(r->commune, sizeof(r->commune), "%s",
			 g->adult_commune);
		snprintf(r->province, sizeof(r->province), "%s",
			 g->adult_province);
		r->p.role = "accompanying_minor";
		person(g, r, true, g->adult_year);
		/* Received with the adult. */
		snprintf(r->received_on, sizeof(r->received_on), "%s",
			 g->adult_received);
		r->p.received_on = r->received_on;
		return;
	}
	c = &g->communes[ctip_synth_below(g, (uint32_t)g->n_communes)];
	snprintf(r->commune, sizeof(r->commune), "%s", c->code);
	snprintf(r->province, sizeof(r->province), "%s", c->province_code);
	r->p.role = ctip_synth_below(g, 100) < 80 ? "victim"
						  : "under_identification";
	date_in(g, r->discovered_on, 2020, 2026, 10);
	event_year = (int)strtol(r->discovered_on, NULL, 10);
	person(g, r, false, event_year);
	/* Received the day the person was found. */
	snprintf(r->received_on, sizeof(r->received_on), "%s",
		 r->discovered_on);
	r->p.received_on = r->received_on;

	r->has_event = true;
	r->ev.discovered_on = r->discovered_on;
	r->ev.abroad = ctip_synth_below(g, 100) < 70;
	p = ctip_synth_below(g, 100);
	if (r->ev.abroad) {
		static const char *const dests[] = {
			"CN", "CN", "CN", "CN", "KH", "KH", "KH", "MM", "MM",
			"LA", "LA", "MY", "TH", "KR", "TW", "JP", "SA", "AE"
		};
		dest = ctip_synth_below(g, CTIP_NELEM(dests));
		snprintf(r->destination, sizeof(r->destination), "%s",
			 dests[dest]);
		r->ev.destination_country = r->destination;
	}
	if (r->ev.abroad &&
	    (strcmp(r->destination, "KH") == 0 ||
	     strcmp(r->destination, "MM") == 0 ||
	     strcmp(r->destination, "LA") == 0) &&
	    p < 70) {
		r->ev.purposes[0] = "LABOUR.FORCED_CRIMINALITY";
		r->ev.recruitment_means = "online_ad";
	} else if (r->ev.abroad && strcmp(r->destination, "CN") == 0 &&
		   p < 60) {
		r->ev.purposes[0] =
			p < 35 ? "OTHER.FORCED_MARRIAGE" : "SEX.PROSTITUTION";
		r->ev.recruitment_means = p < 20 ? "acquaintance" : "broker";
	} else {
		r->ev.purposes[0] = PICK(g, purpose_pool);
		r->ev.recruitment_means =
			ctip_synth_below(g, 2) ? "broker" : "relative";
	}
	r->ev.n_purposes = 1;
	if (ctip_synth_below(g, 10) == 0 &&
	    strcmp(r->ev.purposes[0], "SEX.PROSTITUTION") != 0) {
		r->ev.purposes[1] = "SEX.PROSTITUTION";
		r->ev.n_purposes = 2;
	}
	if (ctip_synth_below(g, 3) != 0) {
		date_in(g, r->recruited_on, event_year - 2, event_year, 1);
		if (strcmp(r->recruited_on, r->discovered_on) > 0)
			memcpy(r->recruited_on, r->discovered_on, 16);
		r->ev.recruited_on = r->recruited_on;
	}
	r->ev.discovery = (const char *const[]){
		"rescued",          "rescued",          "self_returned",
		"foreign_handover", "foreign_handover", "reported"
	}[ctip_synth_below(g, 6)];

	/* One adult in twenty comes with a child. */
	if (ctip_synth_below(g, 20) == 0) {
		g->pending_minor = true;
		snprintf(g->adult_ref, sizeof(g->adult_ref), "%s", r->ref);
		snprintf(g->adult_commune, sizeof(g->adult_commune), "%s",
			 r->commune);
		snprintf(g->adult_province, sizeof(g->adult_province), "%s",
			 r->province);
		snprintf(g->adult_family, sizeof(g->adult_family), "%.*s",
			 (int)strcspn(r->name, " "), r->name);
		g->adult_year = event_year;
		snprintf(g->adult_received, sizeof(g->adult_received), "%s",
			 r->received_on);
	}
}

/* A CSV field, quoted when it holds a comma, quote or line break. */
static enum ctip_status
field(struct ctip_buf *b, const char *s, bool last)
{
	enum ctip_status rc = CTIP_OK;
	const char *p;

	if (s == NULL)
		s = "";
	if (strpbrk(s, ",\"\r\n") == NULL) {
		rc = ctip_buf_puts(b, s);
	} else {
		rc = ctip_buf_add(b, "\"", 1);
		for (p = s; *p != '\0' && rc == CTIP_OK; p++)
			rc = *p == '"' ? ctip_buf_add(b, "\"\"", 2)
				       : ctip_buf_add(b, p, 1);
		if (rc == CTIP_OK)
			rc = ctip_buf_add(b, "\"", 1);
	}
	if (rc == CTIP_OK)
		rc = ctip_buf_add(b, last ? "\n" : ",", 1);
	return rc;
}

enum ctip_status
ctip_synth_csv(struct ctip_buf *b, const struct ctip_synth_record *r)
{
	static const struct ctip_event_input none;
	const struct ctip_event_input *ev = r->has_event ? &r->ev : &none;
	char year[16] = "", purposes[128] = "";
	size_t n = 0;
	int i;

	if (r->p.birth_year > 0)
		snprintf(year, sizeof(year), "%d", r->p.birth_year);
	for (i = 0; r->has_event && i < ev->n_purposes; i++)
		n += (size_t)snprintf(purposes + n, sizeof(purposes) - n,
				      "%s%s", i ? ";" : "", ev->purposes[i]);
	if (field(b, r->ref, false) || field(b, r->accompanies_ref, false) ||
	    field(b, r->p.role, false) || field(b, r->p.full_name, false) ||
	    field(b, r->p.sex, false) || field(b, r->p.birth_date, false) ||
	    field(b, year, false) || field(b, r->p.ethnicity_code, false) ||
	    field(b, r->p.nationality, false) ||
	    field(b, r->p.citizenship, false) ||
	    field(b, r->p.citizen_id, false) || field(b, r->p.phone, false) ||
	    field(b, r->p.address, false) ||
	    field(b, r->p.province_code, false) ||
	    field(b, r->p.commune_code, false) ||
	    field(b, r->has_event ? (ev->abroad ? "1" : "0") : "", false) ||
	    field(b, ev->destination_country, false) ||
	    field(b, purposes, false) ||
	    field(b, ev->recruitment_means, false) ||
	    field(b, ev->recruited_on, false) ||
	    field(b, ev->discovery, false) ||
	    field(b, ev->discovered_on, false) ||
	    field(b, r->p.received_on, true))
		return CTIP_ETOOBIG;
	return CTIP_OK;
}
