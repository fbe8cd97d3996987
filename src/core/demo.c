/* demo.c: demo casework in Phường Ba Đình for `ctip init --demo-records`.
 * Nothing here writes to the store itself: each record goes through the
 * core function a user's request would call, as the account "demo"
 * acting for the unit that would hold the record. */
#include "core/demo.h"
#include "core/activity.h"
#include "core/auth.h"
#include "core/case.h"
#include "core/casework.h"
#include "core/intake.h"
#include "core/org.h"
#include "core/referral.h"
#include "core/synth.h"

#include <sodium.h>
#include <time.h>

#define DEMO_MARK "[DỮ LIỆU MẪU] "

/* The stream of the generator the records draw from, apart from the
 * persons' (the same seed must not give the names of the demo persons). */
#define DEMO_STREAM 0x64656d6f5265636full

/* What ends an intake. */
enum demo_end {
	END_OPEN,     /* still with the unit */
	END_RESOLVE,  /* a report that is not a tip, answered */
	END_INITIATE, /* a tip: a criminal case is initiated */
	END_DISMISS,  /* a tip: no case (not_initiate) */
};

/* The intakes, by the days before today they were received; a tip
 * (a tip channel, or classified trafficking_tip) has 20 days for a
 * decision (Criminal Procedure Code Art. 147), so the days make one
 * overdue (27), one due soon (18) and the rest within the clock. The
 * names of the persons each is about are drawn at run time. */
static const struct demo_intake {
	int days_ago;
	const char *channel;
	const char *classification; /* NULL: not yet classified */
	const char *purpose;
	const char *urgency;
	bool anonymous;
	enum demo_end end;
	const char *summary;
} intakes[] = {
	{ 2, "HOTLINE_111", "trafficking_tip", "LABOUR.FORCED_CRIMINALITY",
	  "high", false, END_OPEN,
	  DEMO_MARK "Người mẹ gọi Tổng đài 111: con gái 22 tuổi nhận lời mời "
		    "\"việc nhẹ lương cao\" trên mạng xã hội, đi làm ở nước "
		    "ngoài được hai tháng, nay nhắn tin cầu cứu, nói bị giữ "
		    "hộ chiếu và không được về." },
	{ 5, "HOTLINE_111", "victim_help", "SEX", "normal", false, END_OPEN,
	  DEMO_MARK "Một phụ nữ vừa trở về qua cửa khẩu cùng con nhỏ gọi "
		    "Tổng đài 111 xin chỗ ở tạm thời và khám sức khỏe cho hai "
		    "mẹ con." },
	{ 8, "DENUNCIATION", NULL, NULL, "normal", true, END_OPEN,
	  DEMO_MARK "Đơn tố giác: một cơ sở môi giới việc làm trên địa bàn "
		    "phường thu tiền đặt cọc, hứa đưa lao động sang làm việc ở "
		    "nước ngoài với thu nhập cao." },
	{ 18, "CRIME_REPORT", "trafficking_tip", "LABOUR", "normal", false,
	  END_OPEN,
	  DEMO_MARK "Tin báo của tổ dân phố: một nhóm thanh niên được tuyển "
		    "đi làm ở nhà máy gần biên giới, gia đình mất liên lạc đã "
		    "ba tuần." },
	{ 27, "HOTLINE_111", "trafficking_tip", "SEX.PROSTITUTION", "high",
	  true, END_OPEN,
	  DEMO_MARK
	  "Người gọi giấu tên báo một quán karaoke có dấu hiệu giữ "
	  "các cô gái trẻ làm việc không lương, không cho ra ngoài." },
	{ 1, "ONLINE", NULL, NULL, "low", false, END_OPEN,
	  DEMO_MARK "Thư điện tử hỏi cách nhận biết tin tuyển dụng lừa đảo "
		    "đi làm ở nước ngoài." },
	{ 12, "WALK_IN", "victim_help", "LABOUR.FORCED_CRIMINALITY", "normal",
	  false, END_RESOLVE,
	  DEMO_MARK "Một nam thanh niên tự trở về từ một cơ sở lừa đảo trực "
		    "tuyến ở nước ngoài, đến trụ sở Công an phường trình báo "
		    "và xin hỗ trợ." },
	{ 15, "CROSS_BORDER_HOTLINE", "trafficking_tip", "SEX.PROSTITUTION",
	  "critical", false, END_INITIATE,
	  DEMO_MARK "Đường dây nóng biên giới chuyển tin: một phụ nữ quê ở "
		    "phường bị đưa sang bên kia biên giới và bán vào cơ sở mại "
		    "dâm, đã được giải cứu và bàn giao." },
	{ 42, "LETTER", "information", NULL, "low", false, END_RESOLVE,
	  DEMO_MARK "Thư của Hội Liên hiệp Phụ nữ phường đề nghị phối hợp "
		    "tuyên truyền phòng, chống mua bán người tại các tổ dân "
		    "phố." },
	{ 50, "HOTLINE_111", "other", NULL, "low", true, END_RESOLVE,
	  DEMO_MARK "Cuộc gọi hỏi thủ tục làm hộ chiếu, không liên quan đến "
		    "mua bán người; đã hướng dẫn người gọi." },
	{ 19, "PRESS", "trafficking_tip", "MONEY.CHILD_SALE", "normal", false,
	  END_DISMISS,
	  DEMO_MARK "Báo điện tử đưa tin nghi vấn mua bán trẻ sơ sinh tại một "
		    "nhà trọ trên địa bàn; xác minh cho thấy là việc nhận con "
		    "nuôi đúng pháp luật." },
	{ 20, "PHONE_OTHER", "victim_help", "SEX", "high", false, END_OPEN,
	  DEMO_MARK "Trạm y tế báo một phụ nữ đến khám có dấu hiệu bị bạo "
		    "lực, nghi là nạn nhân bị mua bán trở về; cần chuyển "
		    "tuyến y tế." },
};

/* Which intakes the persons, the referral and the cases come from. */
enum {
	IN_PERSON_A = 0,  /* under identification, verifying */
	IN_PERSON_B = 1,  /* a victim with a child */
	IN_CASE_LINK = 3, /* linked to the case further along */
	IN_PERSON_C = 6,  /* identified a victim, supported */
	IN_PERSON_D = 7,  /* identified a victim; the case opened from the
			     tip */
	IN_REFERRED = 11, /* referred to the health department */
	N_INTAKES = (int)CTIP_NELEM(intakes),
};

static const char *const families[] = { "Nguyễn", "Trần", "Lê",   "Phạm",
					"Hoàng",  "Vũ",   "Đặng", "Bùi",
					"Đỗ",     "Ngô" };
static const char *const givens_f[] = { "Thị Hoa",  "Thị Mai",  "Thị Thu",
					"Thị Hằng", "Thị Ngọc", "Thu Trang",
					"Thị Yến",  "Minh Thư" };
static const char *const givens_m[] = { "Văn Hùng", "Văn Nam",   "Minh Tuấn",
					"Đức Long", "Quang Huy", "Văn Toàn" };
static const char *const givens_child[] = { "Gia Bảo", "Bảo Ngọc", "Minh An",
					    "Khánh Linh" };

#define PICK(g, a) ((a)[ctip_synth_below((g), CTIP_NELEM(a))])

struct demo {
	struct ctip_access ax;
	struct ctip_principal police; /* Công an phường Ba Đình */
	struct ctip_principal health; /* Sở Y tế Hà Nội */
	struct ctip_synth g;
	struct ctip_arena a;
	char today[11];
	int64_t intake[N_INTAKES];
	char received_at[N_INTAKES][24];
	char received_on[N_INTAKES][11]; /* the day in Viet Nam */
	struct ctip_demo_records *out;
};

static void
copy(char *dst, size_t cap, const char *src)
{
	snprintf(dst, cap, "%s", src != NULL ? src : "");
}

/* date + days, but no later than today (a step cannot be in the future). */
static void
day_after(char out[11], const struct demo *d, const char *date, int days)
{
	ctip_date_add(out, date, days, 0);
	if (strcmp(out, d->today) > 0)
		memcpy(out, d->today, 11);
}

/* today - days. */
static void
days_ago(char out[11], const struct demo *d, int days)
{
	ctip_date_add(out, d->today, -days, 0);
}

/* The UTC timestamp of minute minutes of day (yyyy-mm-dd) in Viet Nam:
 * the intakes come in during office hours there. */
static void
office_time(char out[24], const char *day, int minutes)
{
	struct tm tm = { 0 };
	time_t t;

	tm.tm_year = (int)strtol(day, NULL, 10) - 1900;
	tm.tm_mon = (int)strtol(day + 5, NULL, 10) - 1;
	tm.tm_mday = (int)strtol(day + 8, NULL, 10);
	tm.tm_min = minutes;
	t = timegm(&tm) - CTIP_TZ_SECONDS;
	gmtime_r(&t, &tm);
	strftime(out, 24, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* A principal of the demo account acting for org unit unit_id with
 * roles, as a signed-in request would carry it. The account itself is
 * disabled: this is never a session, only the actor of the records. */
static enum ctip_status
principal(struct ctip_principal *p, struct demo *d,
	  const struct ctip_user_row *u, int64_t unit_id, unsigned roles,
	  struct ctip_err *err)
{
	struct ctip_org_unit_row o;
	enum ctip_status rc;

	memset(p, 0, sizeof(*p));
	rc = d->ax.st->ops->org_unit_get(&o, d->ax.st, unit_id, &d->a, err);
	if (rc != CTIP_OK)
		return rc;
	p->user_id = u->id;
	copy(p->username, sizeof(p->username), u->username);
	copy(p->display_name, sizeof(p->display_name), u->display_name);
	p->roles = roles;
	p->unit_id = o.id;
	copy(p->unit_name, sizeof(p->unit_name), o.name);
	copy(p->agency, sizeof(p->agency), o.agency);
	copy(p->admin_code, sizeof(p->admin_code), o.admin_code);
	copy(p->level, sizeof(p->level), o.level);
	copy(p->province_code, sizeof(p->province_code), o.province_code);
	/* What the audit log says of an action taken at the command line. */
	copy(p->ip, sizeof(p->ip), "cli");
	return CTIP_OK;
}

/* The account "demo", created and disabled (both audited as the system,
 * as `ctip user add` and `ctip user disable` are), and its principals. */
static enum ctip_status
make_account(struct demo *d, struct ctip_err *err)
{
	static const char *const roles[] = { "hotline_operator", "case_worker",
					     "investigator", NULL };
	char password[CTIP_PASSWORD_GEN_LEN + 1], now[24];
	struct ctip_store *st = d->ax.st;
	struct ctip_user_row u;
	int64_t police, health, id = 0;
	enum ctip_status rc;

	ctip_now(now);
	rc = ctip_org_ensure(&police, st, "POLICE", CTIP_DEMO_COMMUNE, now,
			     err);
	if (rc == CTIP_OK)
		rc = ctip_org_ensure(&health, st, "HEALTH", CTIP_DEMO_PROVINCE,
				     now, err);
	/* The one-time password is forgotten at once: nobody ever has it,
	 * and the account is disabled before it acts. */
	if (rc == CTIP_OK)
		rc = ctip_account_create(
			&id, password, st, d->ax.kr, NULL, CTIP_DEMO_USER,
			"Dữ liệu mẫu (tạo tự động)", police, roles, err);
	sodium_memzero(password, sizeof(password));
	if (rc == CTIP_OK)
		rc = ctip_account_disable(st, d->ax.kr, NULL, id, err);
	if (rc == CTIP_OK)
		rc = st->ops->user_get(&u, st, id, &d->a, err);
	if (rc == CTIP_OK)
		rc = principal(&d->police, d, &u, police,
			       CTIP_ROLE_HOTLINE_OPERATOR |
				       CTIP_ROLE_CASE_WORKER |
				       CTIP_ROLE_INVESTIGATOR,
			       err);
	if (rc == CTIP_OK)
		rc = principal(&d->health, d, &u, health, CTIP_ROLE_CASE_WORKER,
			       err);
	return rc;
}

/* The current version of intake id (the row as stored: no need to open
 * its sealed fields). */
static enum ctip_status
intake_version(int *out, struct demo *d, int64_t id, struct ctip_err *err)
{
	struct ctip_intake_row r;
	enum ctip_status rc;

	rc = d->ax.st->ops->intake_get(&r, d->ax.st, id, &d->a, err);
	if (rc == CTIP_OK)
		*out = r.version;
	return rc;
}

static enum ctip_status
make_intakes(struct demo *d, struct ctip_err *err)
{
	char reporter[N_INTAKES][96];
	struct ctip_intake_input in;
	enum ctip_status rc = CTIP_OK;
	bool existed;
	int i;

	for (i = 0; i < N_INTAKES && rc == CTIP_OK; i++) {
		const struct demo_intake *t = &intakes[i];

		days_ago(d->received_on[i], d, t->days_ago);
		office_time(d->received_at[i], d->received_on[i],
			    450 + (int)ctip_synth_below(&d->g, 600));
		snprintf(reporter[i], sizeof(reporter[i]), "%s %s",
			 PICK(&d->g, families),
			 ctip_synth_below(&d->g, 3) != 0
				 ? PICK(&d->g, givens_f)
				 : PICK(&d->g, givens_m));
		memset(&in, 0, sizeof(in));
		in.received_at = d->received_at[i];
		in.channel = t->channel;
		in.province_code = CTIP_DEMO_PROVINCE;
		in.commune_code = CTIP_DEMO_COMMUNE;
		in.summary = t->summary;
		in.reporter_anonymous = t->anonymous;
		/* Names only: a made-up phone number could be someone's. */
		in.reporter_name = t->anonymous ? NULL : reporter[i];
		in.classification = t->classification;
		in.purpose = t->purpose;
		in.urgency = t->urgency;
		rc = ctip_intake_create(&d->intake[i], &existed, &d->ax,
					&d->police, &in, err);
		if (rc == CTIP_OK)
			d->out->intakes++;
	}
	return rc;
}

/* Resolve or decide the intakes that have ended, within their 20 days.
 * The tip that leads to a criminal case was extended as a complex case
 * first (Art. 147.2), as an investigator would while the time runs. */
static enum ctip_status
end_intakes(struct demo *d, struct ctip_err *err)
{
	enum ctip_status rc = CTIP_OK;
	int i, version = 0;

	for (i = 0; i < N_INTAKES && rc == CTIP_OK; i++) {
		const struct demo_intake *t = &intakes[i];
		int64_t id = d->intake[i];

		if (t->end == END_OPEN)
			continue;
		rc = intake_version(&version, d, id, err);
		if (rc != CTIP_OK)
			break;
		if (t->end == END_RESOLVE) {
			rc = ctip_intake_resolve(
				&d->ax, &d->police, id, version,
				DEMO_MARK "Đã tiếp nhận, trả lời và hướng dẫn "
					  "người báo tin.",
				err);
			continue;
		}
		if (t->end == END_INITIATE) {
			rc = ctip_intake_extend(&d->ax, &d->police, id, version,
						"complex", err);
			if (rc == CTIP_OK)
				rc = intake_version(&version, d, id, err);
		}
		if (rc == CTIP_OK)
			rc = ctip_intake_decide(
				&d->ax, &d->police, id, version,
				t->end == END_INITIATE ? "initiate"
						       : "not_initiate",
				t->end == END_INITIATE
					? DEMO_MARK "Có dấu hiệu tội phạm mua "
						    "bán người: khởi tố vụ án."
					: DEMO_MARK "Không có sự việc phạm "
						    "tội.",
				err);
	}
	return rc;
}

/* A person of Ba Đình as registered from intake i: sex, age in years
 * (and a few months more), the name drawn. Strings in d's arena. */
static void
person_of(struct ctip_person_input *p, struct demo *d, int i, const char *role,
	  bool female, int age, const char *family)
{
	char birth[11];

	memset(p, 0, sizeof(*p));
	p->is_demo = true;
	p->province_code = CTIP_DEMO_PROVINCE;
	p->commune_code = CTIP_DEMO_COMMUNE;
	p->role = role;
	p->sex = female ? "F" : "M";
	ctip_date_add(birth, d->today, -(int)ctip_synth_below(&d->g, 300),
		      -12 * age);
	p->birth_date = ctip_arena_strdup(&d->a, birth);
	p->ethnicity_code = "01";
	p->nationality = "VN";
	p->citizenship = "vn_citizen";
	p->full_name = ctip_arena_printf(&d->a, "%s %s", family,
					 age < 16 ? PICK(&d->g, givens_child)
					 : female ? PICK(&d->g, givens_f)
						  : PICK(&d->g, givens_m));
	p->address = ctip_arena_printf(&d->a,
				       DEMO_MARK "Tổ dân phố số %u, phường Ba "
						 "Đình",
				       1 + ctip_synth_below(&d->g, 30));
	p->received_on = d->received_on[i];
}

/* Register the person intake i is about (and a child with them). */
static enum ctip_status
register_from(int64_t ids[2], struct demo *d, int i, const char *role,
	      bool female, int age, int child_age, struct ctip_err *err)
{
	const char *family = PICK(&d->g, families);
	struct ctip_person_input adult, minor;
	struct ctip_step_input ident;
	enum ctip_status rc;
	int n = 0;

	memset(&minor, 0, sizeof(minor));
	person_of(&adult, d, i, role, female, age, family);
	/* A victim comes identified: on her return, by the border post's
	 * return certificate. */
	if (strcmp(role, "victim") == 0) {
		ident = (struct ctip_step_input){
			.on = adult.received_on,
			.evidence = { "a", "e" },
			.n_evidence = 2,
			.doc_type = "return_certificate",
			.doc_issuer = DEMO_MARK "Đồn Biên phòng cửa khẩu quốc "
						"tế Lào Cai",
			.doc_number = DEMO_MARK "số 02/GCN",
			.doc_date = adult.received_on,
		};
		adult.identification = &ident;
	}
	if (child_age > 0)
		person_of(&minor, d, i, "accompanying_minor",
			  ctip_synth_below(&d->g, 2) == 0, child_age, family);
	rc = ctip_intake_register_persons(ids, &n, &d->ax, &d->police,
					  d->intake[i], &adult, &minor,
					  child_age > 0 ? 1 : 0, err);
	if (rc == CTIP_OK)
		d->out->persons += n;
	return rc;
}

/* A step of person id on date on (identify with a confirming document). */
static enum ctip_status
step(struct demo *d, int64_t id, const char *name, const char *on,
     const char *doc_type, const char *issuer, struct ctip_err *err)
{
	struct ctip_step_input in = { .step = name, .on = on };
	struct ctip_person_rec rec;
	int64_t step_id;
	enum ctip_status rc;

	rc = ctip_person_writable(&rec, &d->ax, &d->police, id, &d->a, err);
	if (rc != CTIP_OK)
		return rc;
	in.version = rec.version;
	if (strcmp(name, "identify") == 0) {
		in.evidence[0] = "a";
		in.evidence[1] = "e";
		in.n_evidence = 2;
		in.doc_type = doc_type;
		in.doc_issuer = issuer;
		in.doc_number = DEMO_MARK "số 01/XN";
		in.doc_date = on;
	}
	return ctip_casework_step(&step_id, &d->ax, &d->police, id, &in, err);
}

/* A trafficking event of person id, abroad in country for purpose. */
static enum ctip_status
event(struct demo *d, int64_t id, int i, const char *country,
      const char *purpose, const char *means, const char *discovery,
      struct ctip_err *err)
{
	struct ctip_event_input ev = { .abroad = true,
				       .destination_country = country,
				       .recruitment_means = means,
				       .discovery = discovery,
				       .n_purposes = 1 };
	char recruited[11], discovered[11];
	int64_t event_id;

	ctip_date_add(recruited, d->received_on[i],
		      -(int)ctip_synth_below(&d->g, 60), -3);
	ctip_date_add(discovered, d->received_on[i],
		      -(int)ctip_synth_below(&d->g, 3), 0);
	ev.recruited_on = recruited;
	ev.discovered_on = discovered;
	ev.purposes[0] = purpose;
	return ctip_casework_event(&event_id, &d->ax, &d->police, id, &ev, err);
}

static enum ctip_status
consent(struct demo *d, int64_t id, const char *on, const char *representative,
	struct ctip_err *err)
{
	struct ctip_consent_input in = { .scope = "data_processing",
					 .given_by = representative != NULL
							     ? "representative"
							     : "self",
					 .representative = representative,
					 .given_on = on };
	int64_t consent_id;

	return ctip_casework_consent(&consent_id, &d->ax, &d->police, id, &in,
				     err);
}

/* The persons and their casework: *ids = A, B, B's child, C, D. */
static enum ctip_status
make_persons(int64_t ids[5], struct demo *d, struct ctip_err *err)
{
	struct ctip_service_input medical = { .support_code = "MEDICAL",
					      .provider = DEMO_MARK
					      "Bệnh viện đa khoa",
					      .location = "in_vn",
					      .unit = "year",
					      .quantity = 1 };
	struct ctip_service_input counselling = {
		.support_code = "PSYCHOLOGICAL",
		.provider = DEMO_MARK "Trung tâm công tác xã hội",
		.location = "in_vn",
		.unit = "session",
		.quantity = 2
	};
	struct ctip_protection_input secrecy = {
		.kind = "identity_secrecy",
		.beneficiary = "person",
		.note = DEMO_MARK "Giữ bí mật danh tính trong quá trình điều "
				  "tra."
	};
	char on[11], soon[11];
	int64_t pair[2] = { 0, 0 }, out_id;
	enum ctip_status rc;

	/* A: under identification since two days ago, being verified. */
	rc = register_from(pair, d, IN_PERSON_A, "under_identification", true,
			   22, 0, err);
	ids[0] = pair[0];
	if (rc == CTIP_OK)
		rc = step(d, ids[0], "verify", d->today, NULL, NULL, err);
	if (rc == CTIP_OK)
		rc = consent(d, ids[0], d->today, NULL, err);

	/* B and her child: registered as a victim (she came back with a
	 * return certificate: registered identified), in support, medical
	 * care, a follow-up visit due in three days. */
	if (rc == CTIP_OK)
		rc = register_from(pair, d, IN_PERSON_B, "victim", true,
				   28 + (int)ctip_synth_below(&d->g, 6), 6,
				   err);
	ids[1] = pair[0];
	ids[2] = pair[1];
	day_after(on, d, d->received_on[IN_PERSON_B], 1);
	if (rc == CTIP_OK)
		rc = event(d, ids[1], IN_PERSON_B, "CN", "SEX.SEXUAL_SERVITUDE",
			   "broker", "self_returned", err);
	if (rc == CTIP_OK)
		rc = consent(d, ids[1], on, NULL, err);
	if (rc == CTIP_OK)
		rc = consent(d, ids[2], on,
			     DEMO_MARK "Mẹ của trẻ, người đại diện theo "
				       "pháp luật",
			     err);
	day_after(on, d, d->received_on[IN_PERSON_B], 2);
	if (rc == CTIP_OK)
		rc = step(d, ids[1], "support", on, NULL, NULL, err);
	medical.provided_on = on;
	if (rc == CTIP_OK)
		rc = ctip_casework_service(&out_id, &d->ax, &d->police, ids[1],
					   &medical, err);
	ctip_date_add(soon, d->today, 3, 0);
	if (rc == CTIP_OK)
		rc = ctip_casework_follow_up(
			&out_id, &d->ax, &d->police, ids[1], soon,
			DEMO_MARK "Thăm hỏi hai mẹ con tại "
				  "nơi ở tạm thời.",
			err);

	/* C: came back on his own from a scam compound; identified by
	 * the police, counselling. */
	if (rc == CTIP_OK)
		rc = register_from(pair, d, IN_PERSON_C, "under_identification",
				   false, 24 + (int)ctip_synth_below(&d->g, 8),
				   0, err);
	ids[3] = pair[0];
	if (rc == CTIP_OK)
		rc = event(d, ids[3], IN_PERSON_C, "KH",
			   "LABOUR.FORCED_CRIMINALITY", "online_ad",
			   "self_returned", err);
	if (rc == CTIP_OK)
		rc = consent(d, ids[3], d->received_on[IN_PERSON_C], NULL, err);
	day_after(on, d, d->received_on[IN_PERSON_C], 3);
	if (rc == CTIP_OK)
		rc = step(d, ids[3], "identify", on, "police_confirmation",
			  "Công an phường Ba Đình (dữ liệu mẫu)", err);
	day_after(on, d, d->received_on[IN_PERSON_C], 4);
	if (rc == CTIP_OK)
		rc = step(d, ids[3], "support", on, NULL, NULL, err);
	counselling.provided_on = on;
	if (rc == CTIP_OK)
		rc = ctip_casework_service(&out_id, &d->ax, &d->police, ids[3],
					   &counselling, err);

	/* D: rescued across the border; identified, identity kept
	 * secret while the case is investigated. */
	if (rc == CTIP_OK)
		rc = register_from(pair, d, IN_PERSON_D, "under_identification",
				   true, 19 + (int)ctip_synth_below(&d->g, 4),
				   0, err);
	ids[4] = pair[0];
	if (rc == CTIP_OK)
		rc = event(d, ids[4], IN_PERSON_D, "CN", "SEX.PROSTITUTION",
			   "acquaintance", "rescued", err);
	day_after(on, d, d->received_on[IN_PERSON_D], 2);
	if (rc == CTIP_OK)
		rc = consent(d, ids[4], on, NULL, err);
	if (rc == CTIP_OK)
		rc = step(d, ids[4], "identify", on, "rescue_confirmation",
			  "Đồn Biên phòng (dữ liệu mẫu)", err);
	secrecy.start_on = on;
	if (rc == CTIP_OK)
		rc = ctip_casework_protect(&out_id, &d->ax, &d->police, ids[4],
					   &secrecy, err);
	return rc;
}

/* Person B to the health department (accepted there), and the intake
 * about a woman seen at a health station (not yet answered). */
static enum ctip_status
make_referrals(struct demo *d, int64_t person_b, struct ctip_err *err)
{
	struct ctip_referral_row r;
	int64_t id = 0;
	enum ctip_status rc;

	rc = ctip_referral_send(
		&id, &d->ax, &d->police, "person", person_b, d->health.unit_id,
		DEMO_MARK "Đề nghị khám, điều trị và hỗ trợ tâm "
			  "lý cho hai mẹ con.",
		err);
	if (rc == CTIP_OK)
		d->out->referrals++;
	if (rc == CTIP_OK)
		rc = d->ax.st->ops->referral_get(&r, d->ax.st, id, &d->a, err);
	if (rc == CTIP_OK)
		rc = ctip_referral_respond(&d->ax, &d->health, id, r.version,
					   true, NULL, err);
	if (rc == CTIP_OK)
		rc = ctip_referral_send(&id, &d->ax, &d->police, "intake",
					d->intake[IN_REFERRED],
					d->health.unit_id,
					DEMO_MARK "Chuyển tuyến y tế: cần khám "
						  "và đánh giá thương tích.",
					err);
	if (rc == CTIP_OK)
		d->out->referrals++;
	return rc;
}

/* The current version of case id (the row as stored, not the unit's
 * whole list searched for it). */
static enum ctip_status
case_version(int *out, struct demo *d, int64_t id, struct ctip_err *err)
{
	struct ctip_case_rec r;
	enum ctip_status rc;

	rc = d->ax.st->ops->cases->get(&r, d->ax.st, id, &d->a, err);
	if (rc == CTIP_OK)
		*out = r.version;
	return rc;
}

/* Move case id to stage to on date on. */
static enum ctip_status
move(struct demo *d, int64_t id, const char *to, const char *on,
     const char *number, struct ctip_err *err)
{
	struct ctip_case_step in = { .to = to,
				     .on = on,
				     .case_number = number };
	enum ctip_status rc;
	int version = 0;

	in.note = DEMO_MARK "Chuyển giai đoạn theo kế hoạch điều tra.";
	rc = case_version(&version, d, id, err);
	if (rc == CTIP_OK)
		rc = ctip_case_move(&d->ax, &d->police, id, version, &in, err);
	return rc;
}

static enum ctip_status
offender(struct demo *d, int64_t id, const char *role, const char *name,
	 struct ctip_err *err)
{
	struct ctip_offender_input in = { .role = role,
					  .sex = ctip_synth_below(&d->g, 2)
							 ? "M"
							 : "F",
					  .nationality = "VN",
					  .name = name };
	int version = 0;
	int64_t out_id;
	enum ctip_status rc;

	/* 30 to 49 years old; strtol stops at the "-" after the year. */
	in.birth_year = (int)strtol(d->today, NULL, 10) - 30 -
			(int)ctip_synth_below(&d->g, 20);
	rc = case_version(&version, d, id, err);
	if (rc == CTIP_OK)
		rc = ctip_case_add_offender(&out_id, &d->ax, &d->police, id,
					    version, &in, err);
	return rc;
}

static enum ctip_status
link_victim(struct demo *d, int64_t id, int64_t person, struct ctip_err *err)
{
	int version = 0;
	enum ctip_status rc;

	rc = case_version(&version, d, id, err);
	if (rc == CTIP_OK)
		rc = ctip_case_link_victim(&d->ax, &d->police, id, version,
					   person, NULL, err);
	return rc;
}

/* A case opened from the cross-border tip and initiated (victim D, an
 * offender not yet identified), and one solved months of work later
 * (victim C, two offenders, the crime report linked). */
static enum ctip_status
make_cases(struct demo *d, const int64_t persons[5], struct ctip_err *err)
{
	char on[11], name[96];
	int64_t tip_case = 0, solved = 0;
	enum ctip_status rc;
	int version = 0;

	rc = ctip_intake_open_case(&tip_case, &d->ax, &d->police,
				   d->intake[IN_PERSON_D], "150",
				   DEMO_MARK "Mua bán người qua biên giới phía "
					     "Bắc (tin báo qua đường dây "
					     "nóng)",
				   err);
	if (rc == CTIP_OK)
		d->out->cases++;
	/* Initiated some days after the tip came in, not in the future. */
	day_after(on, d, d->received_on[IN_PERSON_D], 5);
	if (rc == CTIP_OK)
		rc = move(d, tip_case, "initiated", on, "01/QĐ-KTVA (mẫu)",
			  err);
	if (rc == CTIP_OK)
		rc = link_victim(d, tip_case, persons[4], err);
	if (rc == CTIP_OK)
		rc = offender(d, tip_case, "recruiter", NULL, err);

	if (rc == CTIP_OK)
		rc = ctip_case_create(&solved, &d->ax, &d->police, "150",
				      DEMO_MARK "Đường dây tuyển lao động sang "
						"cơ sở lừa đảo trực tuyến",
				      err);
	if (rc == CTIP_OK)
		d->out->cases++;
	days_ago(on, d, 55);
	if (rc == CTIP_OK)
		rc = move(d, solved, "initiated", on, "02/QĐ-KTVA (mẫu)", err);
	days_ago(on, d, 40);
	if (rc == CTIP_OK)
		rc = move(d, solved, "investigated", on, NULL, err);
	days_ago(on, d, 10);
	if (rc == CTIP_OK)
		rc = move(d, solved, "solved", on, NULL, err);
	if (rc == CTIP_OK)
		rc = link_victim(d, solved, persons[3], err);
	snprintf(name, sizeof(name), "%s %s", PICK(&d->g, families),
		 PICK(&d->g, givens_m));
	if (rc == CTIP_OK)
		rc = offender(d, solved, "organiser", name, err);
	if (rc == CTIP_OK)
		rc = offender(d, solved, "recruiter", NULL, err);
	if (rc == CTIP_OK)
		rc = case_version(&version, d, solved, err);
	if (rc == CTIP_OK)
		rc = ctip_case_link_intake(&d->ax, &d->police, solved, version,
					   d->intake[IN_CASE_LINK], err);
	return rc;
}

static enum ctip_status
make_activities(struct demo *d, struct ctip_err *err)
{
	struct ctip_activity_input talk = {
		.kind = "communication",
		.title =
			DEMO_MARK "Truyền thông phòng, chống mua bán người tại "
				  "các tổ dân phố",
		.note = DEMO_MARK "Phối hợp với Hội Liên hiệp Phụ nữ phường."
	};
	struct ctip_activity_input course = {
		.kind = "training",
		.title = DEMO_MARK "Tập huấn nhận diện và hỗ trợ nạn nhân cho "
				   "cán bộ phường"
	};
	char talk_on[11], course_from[11], course_to[11];
	enum ctip_status rc;
	int64_t id;

	days_ago(talk_on, d, 40);
	talk.started_on = talk_on;
	talk.ended_on = talk_on;
	talk.participants = 100 + (long)ctip_synth_below(&d->g, 100);
	days_ago(course_from, d, 16);
	days_ago(course_to, d, 15);
	course.started_on = course_from;
	course.ended_on = course_to;
	course.participants = 25 + (long)ctip_synth_below(&d->g, 20);
	rc = ctip_activity_create(&id, &d->ax, &d->police, &talk, err);
	if (rc == CTIP_OK)
		d->out->activities++;
	if (rc == CTIP_OK)
		rc = ctip_activity_create(&id, &d->ax, &d->police, &course,
					  err);
	if (rc == CTIP_OK)
		d->out->activities++;
	return rc;
}

enum ctip_status
ctip_setup_demo_records(struct ctip_demo_records *out, struct ctip_store *st,
			const struct ctip_keyring *kr, uint64_t seed,
			struct ctip_err *err)
{
	struct ctip_admin_unit au;
	struct demo *d = ctip_xmalloc(sizeof(*d));
	int64_t persons[5] = { 0 };
	enum ctip_status rc;

	memset(out, 0, sizeof(*out));
	memset(d, 0, sizeof(*d));
	d->ax.st = st;
	d->ax.kr = kr;
	d->out = out;
	ctip_arena_init(&d->a, 16u << 20);
	ctip_synth_init(&d->g, seed ^ DEMO_STREAM, NULL, 0);
	ctip_today(d->today);
	rc = st->ops->admin_unit_get(&au, st, CTIP_DEMO_COMMUNE, &d->a, err);
	if (rc == CTIP_OK)
		copy(out->commune, sizeof(out->commune), au.full_name);
	if (rc == CTIP_OK)
		rc = st->ops->admin_unit_get(&au, st, CTIP_DEMO_PROVINCE, &d->a,
					     err);
	if (rc == CTIP_OK)
		copy(out->province, sizeof(out->province), au.name);
	if (rc == CTIP_OK)
		rc = make_account(d, err);
	if (rc == CTIP_OK)
		rc = make_intakes(d, err);
	if (rc == CTIP_OK)
		rc = make_persons(persons, d, err);
	if (rc == CTIP_OK)
		rc = make_referrals(d, persons[1], err);
	if (rc == CTIP_OK)
		rc = make_cases(d, persons, err);
	/* The tips are decided once their case is open, as at a desk. */
	if (rc == CTIP_OK)
		rc = end_intakes(d, err);
	if (rc == CTIP_OK)
		rc = make_activities(d, err);
	if (rc != CTIP_OK) {
		char msg[sizeof(err->msg)], field[sizeof(err->field)];

		/* Say what failed: a refusal of demo input is a bug here. */
		memcpy(msg, err->msg, sizeof(msg));
		memcpy(field, err->field, sizeof(field));
		ctip_err_set(err, rc, "demo records: %.200s", msg);
		memcpy(err->field, field, sizeof(field));
	}
	ctip_arena_free(&d->a);
	free(d);
	return rc;
}
