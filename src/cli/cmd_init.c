/* cmd_init.c: `ctip init`. */
#include "cli/cli.h"
#include "core/setup.h"

#include <sodium.h>

int
ctip_cmd_init(const struct ctip_cmd *cmd, int argc, char **argv)
{
	struct ctip_init_opts o = { 0 };
	struct ctip_init_result r;
	struct ctip_err err = { 0 };
	const char *demo = "2000", *seed = "20261124", *admin = "admin";
	char *end;
	const struct ctip_opt opts[] = {
		{ "db", "FILE", "database to create", &o.db_path, NULL },
		{ "key", "FILE", "key file (created if missing, mode 0600)",
		  &o.key_path, NULL },
		{ "data", "DIR", "reference data directory", &o.data_dir,
		  NULL },
		{ "admin", "NAME", "administrator's username", &admin, NULL },
		{ "demo", "N", "synthetic demo persons to generate (0: none)",
		  &demo, NULL },
		{ "seed", "N", "seed of the demo data generator", &seed, NULL },
		{ "demo-records", NULL,
		  "also demo casework in Phường Ba Đình (00004), Hà Nội: "
		  "intakes, persons, referrals, cases, activities by the "
		  "disabled account \"demo\" (needs --demo N > 0)",
		  NULL, &o.demo_records },
		{ NULL, NULL, NULL, NULL, NULL },
	};
	int n;

	o.db_path = ctip_default_db();
	o.key_path = ctip_default_key();
	o.data_dir = ctip_default_data();
	n = ctip_cli_parse(cmd, opts, argc, argv, NULL, 0);
	if (n != 0)
		return n < 0 ? CTIP_EXIT_OK : n;
	o.admin = admin;
	errno = 0;
	o.demo_persons = strtol(demo, &end, 10);
	if (errno != 0 || *end != '\0' || o.demo_persons < 0 ||
	    o.demo_persons > 10000000) {
		fprintf(stderr, "ctip init: --demo must be a number from 0 to "
				"10000000\n");
		return CTIP_EXIT_USAGE;
	}
	o.demo_seed = strtoull(seed, &end, 10);
	if (*end != '\0' || seed[0] == '\0' || seed[0] == '-') {
		fprintf(stderr, "ctip init: --seed must be a whole number\n");
		return CTIP_EXIT_USAGE;
	}
	if (o.demo_records && o.demo_persons == 0) {
		fprintf(stderr, "ctip init: --demo-records needs the demo "
				"persons (--demo N with N > 0)\n");
		return CTIP_EXIT_USAGE;
	}
	if (ctip_setup_init(&r, &o, &err) != CTIP_OK)
		return ctip_cli_fail(&err);
	printf("ctip: initialised %s\n", o.db_path);
	printf("  reference data: %ld provinces, %ld communes, %ld ethnic "
	       "groups, %ld countries, %ld purposes, %ld support types\n",
	       r.ref.provinces, r.ref.communes,
	       r.ref.rows[CTIP_REF_ETHNIC_GROUP], r.ref.rows[CTIP_REF_COUNTRY],
	       r.ref.rows[CTIP_REF_PURPOSE], r.ref.rows[CTIP_REF_SUPPORT_TYPE]);
	if (o.demo_persons > 0)
		printf("  demo data: %ld SYNTHETIC persons and %ld events "
		       "(seed %s; fictional, not real people)\n",
		       r.demo.persons, r.demo.events, seed);
	if (o.demo_persons > 0 && o.demo_records)
		printf("  demo casework: %ld intakes, %ld persons, %ld "
		       "referrals, %ld cases, %ld activities in %s (%s), %s "
		       "(SYNTHETIC; made by the disabled account %s)\n",
		       r.records.intakes, r.records.persons,
		       r.records.referrals, r.records.cases,
		       r.records.activities, r.records.commune,
		       CTIP_DEMO_COMMUNE, r.records.province, CTIP_DEMO_USER);
	printf("  key file: %s (%s; keep an offline copy: without it the "
	       "identity fields cannot be read)\n",
	       o.key_path, r.key_created ? "created" : "existing");
	printf("  administrator: %s\n", o.admin);
	printf("  one-time password: %s\n", r.admin_password);
	printf("  (shown only now; you must change it at first login)\n");
	sodium_memzero(r.admin_password, sizeof(r.admin_password));
	return CTIP_EXIT_OK;
}
