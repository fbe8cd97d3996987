/* test_intake.c: the legal clock of intakes (Criminal Procedure Code
 * Art. 147): ctip_intake_deadline's arithmetic of days and months, and
 * the time stamps it refuses; and the days of Viet Nam by which the
 * KPIs and statistics count those time stamps. */
#include "core/intake.h"
#include "core/kpi.h"

#include "helpers.h"

#include <time.h>

/* The deadline of received_at with extension, or "refused". */
static const char *
deadline(char out[24], const char *received_at, const char *extension)
{
	memset(out, 'x', 24);
	if (!ctip_intake_deadline(out, received_at, extension))
		return "refused";
	assert_int_equal(strlen(out), 20);
	return out;
}

static void
twenty_days(void **state)
{
	char out[24];

	(void)state;
	/* Within a month, across a month end, a year end. */
	assert_string_equal(deadline(out, "2026-11-01T08:15:00Z", "none"),
			    "2026-11-21T08:15:00Z");
	assert_string_equal(deadline(out, "2026-01-25T10:00:00Z", "none"),
			    "2026-02-14T10:00:00Z");
	assert_string_equal(deadline(out, "2026-04-30T00:00:00Z", "none"),
			    "2026-05-20T00:00:00Z");
	assert_string_equal(deadline(out, "2026-12-20T23:59:59Z", "none"),
			    "2027-01-09T23:59:59Z");
	/* A NULL extension is none. */
	assert_string_equal(deadline(out, "2026-11-24T08:15:00Z", NULL),
			    "2026-12-14T08:15:00Z");
}

static void
twenty_days_over_february(void **state)
{
	char out[24];

	(void)state;
	/* 2028 is a leap year: 20 February + 20 days passes the 29th. */
	assert_string_equal(deadline(out, "2028-02-20T00:00:00Z", "none"),
			    "2028-03-11T00:00:00Z");
	assert_string_equal(deadline(out, "2028-02-09T12:00:00Z", "none"),
			    "2028-02-29T12:00:00Z");
	assert_string_equal(deadline(out, "2028-02-29T06:30:00Z", "none"),
			    "2028-03-20T06:30:00Z");
	/* 2027 is not; nor is 2100; 2000 is. */
	assert_string_equal(deadline(out, "2027-02-20T00:00:00Z", "none"),
			    "2027-03-12T00:00:00Z");
	assert_string_equal(deadline(out, "2100-02-20T00:00:00Z", "none"),
			    "2100-03-12T00:00:00Z");
	assert_string_equal(deadline(out, "2000-02-20T00:00:00Z", "none"),
			    "2000-03-11T00:00:00Z");
}

/* Every second of every day of 2024 to 2030 plus 20 days is exactly
 * 20 * 86400 seconds later. */
static void
twenty_days_is_exact(void **state)
{
	char in[24], out[24], want[24];
	struct tm tm;
	time_t t;

	(void)state;
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = 124;
	tm.tm_mday = 1;
	tm.tm_hour = 17;
	tm.tm_min = 59;
	tm.tm_sec = 58;
	for (t = timegm(&tm); t < 1924992000 /* 2031-01-01 */; t += 86400) {
		time_t d = t + 20 * 86400;

		gmtime_r(&t, &tm);
		strftime(in, sizeof(in), "%Y-%m-%dT%H:%M:%SZ", &tm);
		gmtime_r(&d, &tm);
		strftime(want, sizeof(want), "%Y-%m-%dT%H:%M:%SZ", &tm);
		assert_string_equal(deadline(out, in, "none"), want);
	}
}

static void
complex_two_months(void **state)
{
	char out[24];

	(void)state;
	assert_string_equal(deadline(out, "2026-02-10T00:00:00Z", "complex"),
			    "2026-04-10T00:00:00Z");
	assert_string_equal(deadline(out, "2026-11-24T08:15:00Z", "complex"),
			    "2027-01-24T08:15:00Z");
	assert_string_equal(deadline(out, "2026-12-01T23:59:59Z", "complex"),
			    "2027-02-01T23:59:59Z");
	assert_string_equal(deadline(out, "2027-12-29T10:00:00Z", "complex"),
			    "2028-02-29T10:00:00Z");
}

/* A month without the day ends on its last day (Criminal Procedure Code
 * Art. 134), never in the month after. */
static void
complex_at_a_month_end(void **state)
{
	char out[24];

	(void)state;
	assert_string_equal(deadline(out, "2026-12-31T10:00:00Z", "complex"),
			    "2027-02-28T10:00:00Z");
	assert_string_equal(deadline(out, "2026-12-29T10:00:00Z", "complex"),
			    "2027-02-28T10:00:00Z");
	assert_string_equal(deadline(out, "2027-12-31T10:00:00Z", "complex"),
			    "2028-02-29T10:00:00Z");
	assert_string_equal(deadline(out, "2026-07-31T09:00:00Z", "complex"),
			    "2026-09-30T09:00:00Z");
	assert_string_equal(deadline(out, "2026-08-31T09:00:00Z", "complex"),
			    "2026-10-31T09:00:00Z");
	assert_string_equal(deadline(out, "2026-10-31T09:00:00Z", "complex"),
			    "2026-12-31T09:00:00Z");
}

static void
procuracy_four_months(void **state)
{
	char out[24];

	(void)state;
	assert_string_equal(deadline(out, "2026-02-10T00:00:00Z", "procuracy"),
			    "2026-06-10T00:00:00Z");
	assert_string_equal(deadline(out, "2026-11-24T08:15:00Z", "procuracy"),
			    "2027-03-24T08:15:00Z");
	assert_string_equal(deadline(out, "2026-09-01T00:00:00Z", "procuracy"),
			    "2027-01-01T00:00:00Z");
	assert_string_equal(deadline(out, "2027-10-29T00:00:00Z", "procuracy"),
			    "2028-02-29T00:00:00Z");
	/* Its 2 months run on from the end of the complex-case limit. */
	assert_string_equal(deadline(out, "2026-07-31T09:00:00Z", "procuracy"),
			    "2026-11-30T09:00:00Z");
	assert_string_equal(deadline(out, "2026-12-31T10:00:00Z", "procuracy"),
			    "2027-04-28T10:00:00Z");
	assert_string_equal(deadline(out, "2026-10-31T10:00:00Z", "procuracy"),
			    "2027-02-28T10:00:00Z");
}

/* Every day of 2024 to 2030: complex and procuracy deadlines are in the
 * month 2 (4) later, on the same day or that month's last, and never
 * before the 20-day deadline. */
static void
months_every_day(void **state)
{
	static const int mdays[12] = { 31, 28, 31, 30, 31, 30,
				       31, 31, 30, 31, 30, 31 };
	char in[24], a[24], b[24], c[24];
	int y, m, d, last, ym, yp, mm, mp, dm, dp, k;

	(void)state;
	for (y = 2024; y <= 2030; y++)
		for (m = 1; m <= 12; m++)
			for (d = 1; d <= 31; d++) {
				last = mdays[m - 1] + (m == 2 && y % 4 == 0);
				if (d > last)
					continue;
				snprintf(in, sizeof(in),
					 "%04d-%02d-%02dT11:22:33Z", y, m, d);
				assert_string_not_equal(deadline(a, in, "none"),
							"refused");
				assert_string_not_equal(
					deadline(b, in, "complex"), "refused");
				assert_string_not_equal(
					deadline(c, in, "procuracy"),
					"refused");
				assert_true(strcmp(a, b) < 0);
				assert_true(strcmp(b, c) < 0);
				assert_int_equal(
					sscanf(b, "%4d-%2d-%2dT11:22:33Z%n",
					       &ym, &mm, &dm, &k),
					3);
				assert_int_equal(k, 20);
				assert_int_equal(ym * 12 + mm - 1,
						 y * 12 + m - 1 + 2);
				last = mdays[mm - 1] + (mm == 2 && ym % 4 == 0);
				assert_int_equal(dm, d < last ? d : last);
				assert_int_equal(
					sscanf(c, "%4d-%2d-%2dT11:22:33Z%n",
					       &yp, &mp, &dp, &k),
					3);
				assert_int_equal(k, 20);
				assert_int_equal(yp * 12 + mp - 1,
						 y * 12 + m - 1 + 4);
				last = mdays[mp - 1] + (mp == 2 && yp % 4 == 0);
				assert_int_equal(dp, dm < last ? dm : last);
			}
}

static void
malformed_time_stamps_are_refused(void **state)
{
	static const char *const bad[] = {
		"2026-13-01T00:00:00Z", /* month 13 */
		"2026-00-10T00:00:00Z", /* month 0 */
		"2026-02-30T00:00:00Z", /* no such day */
		"2027-02-29T00:00:00Z", /* not a leap year */
		"2026-04-31T00:00:00Z",
		"2026-11-00T00:00:00Z",
		"2026-11-32T00:00:00Z",
		"2026-11-24T08:15:00", /* missing Z */
		"2026-11-24T08:15:00z",
		"2026-11-24T08:15:00+07:00",
		"2026-11-24T08:15:00.000Z", /* wrong length */
		"2026-11-24T8:15:00Z",
		"2026-11-24T08:15Z",
		"2026-11-24",
		"2026-11-24T08:15:00ZZ",
		"",
		"2026-11-24 08:15:00Z", /* no T */
		"2026-11-24t08:15:00Z",
		"2026-11-24T24:00:00Z", /* hour 24 */
		"2026-11-24T08:60:00Z",
		"2026-11-24T08:15:60Z",
		"2026-11-24T0::15:00Z", /* colons for digits */
		"2026-11-24T-1:15:00Z",
		"2026-11-24T 8:15:00Z",
		"2026-11-24T0a:15:00Z",
		"+026-11-24T08:15:00Z",
		"2026/11/24T08:15:00Z",
		"abcd-ef-ghTij:kl:mnZ",
	};
	char out[24];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		for (int e = 0; e < 3; e++) {
			const char *ext = (const char *[]){ "none", "complex",
							    "procuracy" }[e];

			if (strcmp(deadline(out, bad[i], ext), "refused") != 0)
				fail_msg("\"%s\" (%s) gave %s", bad[i], ext,
					 out);
		}
}

/* A KPI or statistics period counts records stamped in UTC by the days
 * of Viet Nam (UTC+7): a call at 06:16 on 25 November in Ha Noi is
 * stamped 23:16Z on the 24th, and is the 25th's. */
static void
periods_are_viet_nam_days(void **state)
{
	char out[24];

	(void)state;
	ctip_kpi_midnight(out, "2026-11-25", 0);
	assert_string_equal(out, "2026-11-24T17:00:00Z");
	assert_true(strcmp("2026-11-24T23:16:00Z", out) >= 0);
	ctip_kpi_midnight(out, "2026-11-25", 1);
	assert_string_equal(out, "2026-11-25T17:00:00Z");
	/* Across a year end, a leap day and a month end. */
	ctip_kpi_midnight(out, "2026-01-01", 0);
	assert_string_equal(out, "2025-12-31T17:00:00Z");
	ctip_kpi_midnight(out, "2026-12-31", 1);
	assert_string_equal(out, "2026-12-31T17:00:00Z");
	ctip_kpi_midnight(out, "2028-02-28", 1);
	assert_string_equal(out, "2028-02-28T17:00:00Z");
	ctip_kpi_midnight(out, "2028-03-01", 0);
	assert_string_equal(out, "2028-02-29T17:00:00Z");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(twenty_days),
		cmocka_unit_test(twenty_days_over_february),
		cmocka_unit_test(twenty_days_is_exact),
		cmocka_unit_test(complex_two_months),
		cmocka_unit_test(complex_at_a_month_end),
		cmocka_unit_test(procuracy_four_months),
		cmocka_unit_test(months_every_day),
		cmocka_unit_test(malformed_time_stamps_are_refused),
		cmocka_unit_test(periods_are_viet_nam_days),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
