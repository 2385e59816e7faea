/* test_xrows.c — the lockstep cross-check of a scenario text, and its rows, as several
 * suites' tests on the real kernel ask for them. */
#include <stdio.h>
#include <string.h>

#include "msgsim/lang/scn.h"
#include "msgsim/real/xcheck.h"
#include "tests.h"

void test_xcheck_rows(const char *text, gboolean shared, SimXcheckReport *rep)
{
	g_autoptr(SimScenario) scn = test_scn_load("t.scn", text);
	CU_ASSERT_PTR_NOT_NULL_FATAL(scn);
	SimXcheckOptions opt = { .rows = TRUE, .shared_ipc = shared };
	*rep = test_xcheck_report(scn, &opt);
}

void test_expect_rows(const SimXcheckReport *rep, const char *const *rows, gboolean match)
{
	gboolean all = TRUE;
	for (guint i = 0; rows[i]; i++) {
		gboolean has = strstr(rep->text, rows[i]) != NULL;
		CU_ASSERT_TRUE(has);
		all = all && has;
	}
	if (match) {
		CU_ASSERT_EQUAL(rep->verdict, SIM_XCHECK_MATCH);
		CU_ASSERT_EQUAL(rep->mismatches, 0);
	}
	if (!all || rep->verdict != SIM_XCHECK_MATCH)
		fprintf(stderr, "\n%s\n%s\n", rep->text, rep->reason ? rep->reason : "");
}
