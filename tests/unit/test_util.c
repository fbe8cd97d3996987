/* test_util.c: placeholder until the module's tests land. */
#include "util/err.h"

#include <setjmp.h>
#include <cmocka.h>

static void
status_names_are_stable(void **state)
{
	(void)state;
	assert_string_equal(ctip_status_name(CTIP_ENOTFOUND), "not_found");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(status_names_are_stable),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
