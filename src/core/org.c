/* org.c: org units and their display names. */
#include "core/org.h"
#include "util/text.h"

#include <ctype.h>

/* How an agency's unit is called at each level. */
static const struct {
	const char *agency;
	const char *commune, *province, *nation;
} names[] = {
	{ "POLICE", "Công an", "Công an", "Bộ Công an" },
	{ "HEALTH", "Trạm Y tế", "Sở Y tế", "Bộ Y tế" },
	{ "PEOPLES_COMMITTEE", "Ủy ban nhân dân", "Ủy ban nhân dân",
	  "Chính phủ" },
	{ "BORDER_GUARD", "Đồn Biên phòng", "Bộ Chỉ huy Bộ đội Biên phòng",
	  "Bộ Tư lệnh Bộ đội Biên phòng" },
	{ "PROCURACY", "Viện kiểm sát nhân dân", "Viện kiểm sát nhân dân",
	  "Viện kiểm sát nhân dân tối cao" },
	{ "COURT", "Tòa án nhân dân", "Tòa án nhân dân",
	  "Tòa án nhân dân tối cao" },
	{ "STEERING_COMMITTEE", "Ban Chỉ đạo 138", "Ban Chỉ đạo 138",
	  "Ban Chỉ đạo 138/CP" },
	{ "COAST_GUARD", "Cảnh sát biển", "Cảnh sát biển",
	  "Bộ Tư lệnh Cảnh sát biển" },
	{ "MILITARY", "Ban Chỉ huy quân sự", "Bộ Chỉ huy Quân sự",
	  "Bộ Quốc phòng" },
	{ "FOREIGN_AFFAIRS", "Ngoại vụ", "Sở Ngoại vụ", "Bộ Ngoại giao" },
	{ "JUSTICE", "Tư pháp", "Sở Tư pháp", "Bộ Tư pháp" },
	{ "LEGAL_AID", "Trợ giúp pháp lý",
	  "Trung tâm Trợ giúp pháp lý nhà nước", "Cục Trợ giúp pháp lý" },
	{ "WOMENS_UNION", "Hội Liên hiệp Phụ nữ", "Hội Liên hiệp Phụ nữ",
	  "Trung ương Hội Liên hiệp Phụ nữ Việt Nam" },
	{ "SOCIAL_FACILITY", "Cơ sở trợ giúp xã hội", "Cơ sở trợ giúp xã hội",
	  "Cơ sở trợ giúp xã hội" },
	{ "EDUCATION", "Trường học", "Sở Giáo dục và Đào tạo",
	  "Bộ Giáo dục và Đào tạo" },
	{ "CULTURE_INFO", "Văn hóa - Thông tin",
	  "Sở Văn hóa, Thể thao và Du lịch",
	  "Bộ Văn hóa, Thể thao và Du lịch" },
	{ "HOME_AFFAIRS", "Nội vụ", "Sở Nội vụ", "Bộ Nội vụ" },
	{ "SCIENCE_TECH", "Khoa học và Công nghệ", "Sở Khoa học và Công nghệ",
	  "Bộ Khoa học và Công nghệ" },
	{ "FINANCE", "Tài chính", "Sở Tài chính", "Bộ Tài chính" },
	{ "HOTLINE_111", "Tổng đài 111", "Tổng đài 111",
	  "Tổng đài điện thoại quốc gia 111" },
	{ "YOUTH_UNION", "Đoàn Thanh niên", "Tỉnh đoàn",
	  "Trung ương Đoàn Thanh niên Cộng sản Hồ Chí Minh" },
	{ "FARMERS_UNION", "Hội Nông dân", "Hội Nông dân",
	  "Trung ương Hội Nông dân Việt Nam" },
	{ "FATHERLAND_FRONT", "Ủy ban Mặt trận Tổ quốc",
	  "Ủy ban Mặt trận Tổ quốc",
	  "Ủy ban Trung ương Mặt trận Tổ quốc Việt Nam" },
	{ "OTHER", "Cơ quan", "Cơ quan", "Cơ quan trung ương" },
};

/* Whether levels ("commune|province|national") holds the level of an
 * admin unit (commune, province or nation). */
static bool
has_level(const char *levels, const char *level)
{
	const char *want = strcmp(level, "nation") == 0 ? "national" : level;
	size_t n = strlen(want);
	const char *p;

	for (p = levels; (p = strstr(p, want)) != NULL; p += n)
		if ((p == levels || p[-1] == '|') &&
		    (p[n] == '\0' || p[n] == '|'))
			return true;
	return false;
}

enum ctip_status
ctip_org_add(int64_t *out, struct ctip_store *st, const char *agency,
	     const char *admin_code, const char *now, struct ctip_err *err)
{
	struct ctip_admin_unit au;
	struct ctip_arena a;
	const char *levels;
	enum ctip_status rc;

	ctip_arena_init(&a, 1 << 12);
	rc = st->ops->admin_unit_get(&au, st, admin_code, &a, err);
	if (rc == CTIP_OK)
		rc = st->ops->agency_levels(&levels, st, agency, &a, err);
	if (rc == CTIP_OK && !has_level(levels, au.level))
		rc = ctip_err_field(err, CTIP_EINVAL, "agency",
				    "agency: %s has no unit at the %s level",
				    agency, au.level);
	ctip_arena_free(&a);
	/* An unknown agency or place: ctip_org_ensure names it. */
	if (rc == CTIP_ENOTFOUND)
		rc = CTIP_OK;
	return rc == CTIP_OK
		       ? ctip_org_ensure(out, st, agency, admin_code, now, err)
		       : rc;
}

enum ctip_status
ctip_org_ensure(int64_t *out, struct ctip_store *st, const char *agency,
		const char *admin_code, const char *now, struct ctip_err *err)
{
	struct ctip_admin_unit au;
	struct ctip_arena a;
	char name[512];
	const char *prefix = NULL;
	char *type;
	size_t n;
	enum ctip_status rc;
	bool ok;
	size_t i;

	if ((rc = st->ops->ref_exists(&ok, st, CTIP_REF_AGENCY, agency, err)) !=
	    CTIP_OK)
		return rc;
	if (!ok)
		return ctip_err_field(err, CTIP_EINVAL, "agency",
				      "agency: unknown code \"%s\"", agency);
	ctip_arena_init(&a, 1 << 16);
	rc = st->ops->admin_unit_get(&au, st, admin_code, &a, err);
	if (rc == CTIP_ENOTFOUND)
		rc = ctip_err_field(err, CTIP_EINVAL, "admin_code",
				    "admin_code: unknown admin unit \"%s\"",
				    admin_code);
	if (rc != CTIP_OK)
		goto out;
	for (i = 0; i < CTIP_NELEM(names); i++)
		if (strcmp(names[i].agency, agency) == 0)
			break;
	if (strcmp(au.level, "nation") == 0) {
		snprintf(name, sizeof(name), "%s",
			 i < CTIP_NELEM(names) ? names[i].nation : agency);
	} else {
		if (i < CTIP_NELEM(names))
			prefix = strcmp(au.level, "commune") == 0
					 ? names[i].commune
					 : names[i].province;
		/* A province unit is named after the province's short name
		 * ("Sở Y tế Lào Cai"), a commune unit after its full name
		 * ("Công an xã An Phú", with the type in lower case). */
		if (strcmp(au.level, "province") == 0)
			snprintf(name, sizeof(name), "%s %s",
				 prefix ? prefix : agency,
				 strcmp(agency, "POLICE") == 0 ? au.full_name
							       : au.name);
		else {
			/* Lower the first word, the unit type, as UTF-8:
			 * "Đặc khu Vân Đồn" -> "đặc khu Vân Đồn". */
			n = strcspn(au.full_name, " ");
			type = ctip_arena_strndup(&a, au.full_name, n);
			if (type == NULL)
				rc = ctip_err_set(err, CTIP_ETOOBIG,
						  "admin unit name too long");
			else
				rc = ctip_text_fold(&type, &a, type, err);
			if (rc != CTIP_OK)
				goto out;
			snprintf(name, sizeof(name), "%s %s%s",
				 prefix ? prefix : agency, type,
				 au.full_name + n);
		}
	}
	rc = st->ops->org_unit_ensure(out, st, agency, admin_code, name, now,
				      err);
out:
	ctip_arena_free(&a);
	return rc;
}

void
ctip_org_cache_init(struct ctip_org_cache *c, const char *agency)
{
	memset(c, 0, sizeof(*c));
	c->agency = agency;
	c->by_commune = calloc(100000, sizeof(*c->by_commune));
	if (c->by_commune == NULL)
		abort();
}

void
ctip_org_cache_free(struct ctip_org_cache *c)
{
	free(c->by_commune);
	c->by_commune = NULL;
}

enum ctip_status
ctip_org_for_place(int64_t *out, struct ctip_org_cache *c,
		   struct ctip_store *st, const char *admin_code,
		   const char *now, struct ctip_err *err)
{
	size_t n = strlen(admin_code), i;
	int64_t *slot;
	long k = 0;
	enum ctip_status rc;

	for (i = 0; i < n; i++)
		if (!isdigit((unsigned char)admin_code[i]))
			break;
	if (i != n || (n != 2 && n != 5))
		return ctip_err_field(err, CTIP_EINVAL, "admin_code",
				      "admin_code: \"%s\" is not a 2- or "
				      "5-digit code",
				      admin_code);
	k = strtol(admin_code, NULL, 10);
	slot = n == 2 ? &c->by_province[k] : &c->by_commune[k];
	if (*slot != 0) {
		*out = *slot;
		return CTIP_OK;
	}
	rc = ctip_org_ensure(out, st, c->agency, admin_code, now, err);
	if (rc == CTIP_OK)
		*slot = *out;
	return rc;
}
