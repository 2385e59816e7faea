/* test_xcalarm.c — alarm in the cross-check (xcheck_alarm.c, real_alarm.c).
 *
 * The kernel's alarm counts real seconds, the model's simulated ones. A paced run is
 * refused before it starts; otherwise the kernel's alarm is made to come due where the
 * model's does, and the signal is compared by what it does (the call it interrupts, the
 * death, the handler's siginfo). What an alarm call returns is compared while less than
 * half a second of model time separates it from the alarm it replaces; later, refused.
 */
#include <string.h>

#include "engine/world_int.h"
#include "msgsim/real/xcheck.h"
#include "real/xcheck_int.h"
#include "tests.h"

/* ---- The rule read before the run ---- */

static char *rule_for(const char *text, gboolean paced)
{
	TestRun r = test_run_text(text, FALSE, NULL);
	char *why = xc_alarm_unsupported(r.scn, paced);
	test_run_free(&r);
	return why;
}

static void test_xcalarm_unpaced_run_is_replayed_even_when_alarms_fire(void)
{
	g_autofree char *why = rule_for("process main {\n"
					"  on SIGALRM handler norestart\n"
					"  pipe -> p\n  alarm 1\n  read p.r size=4\n"
					"}\n",
					FALSE);
	CU_ASSERT_PTR_NULL(why);
}

static void test_xcalarm_paced_run_refuses(void)
{
	g_autofree char *why = rule_for("process main { alarm 5  @z alarm 0 }\n", TRUE);
	CU_ASSERT_PTR_NOT_NULL_FATAL(why);
	CU_ASSERT_PTR_NOT_NULL(strstr(why, "alarm in a paced run"));
}

static void test_xcalarm_without_alarm_nothing_is_refused(void)
{
	g_autofree char *paced = rule_for("process main { sleep 2s }\n", TRUE);
	CU_ASSERT_PTR_NULL(paced);
	TestRun r = test_run_text("process main { alarm 5  alarm 0 }\n", FALSE, NULL);
	g_autofree char *before = sim_xcheck_unsupported(r.scn);
	CU_ASSERT_PTR_NULL(before);
	test_run_free(&r);
}

/* ---- On the real kernel ---- */

/* A handler without SA_RESTART: the read fails with EINTR when the alarm comes, and the
 * body reads the kernel's siginfo; then a process without a handler dies of its alarm. */
static const char FIRE_TEXT[] = "process main {\n"
				"  on SIGALRM handler norestart { print \"$si.code\" }\n"
				"  pipe -> p\n"
				"  alarm 1\n"
				"  @cut read p.r size=4\n"
				"  @left alarm 0\n"
				"  fork victim { on SIGALRM default  alarm 2  read p.r size=4 }\n"
				"  wait victim\n"
				"}\n";

static void fire(gboolean shared)
{
	SimXcheckReport rep = { 0 };
	test_xcheck_rows(FIRE_TEXT, shared, &rep);
	CU_ASSERT_EQUAL(rep.verdict, SIM_XCHECK_MATCH);
	CU_ASSERT_EQUAL(rep.mismatches, 0);
	const char *rows[] = {
		"| main | SIGALRM | due | due | yes |",
		"| main | read (line 5) | EINTR | EINTR | yes |",
		"| main | alarm (line 6) | ok 0 | ok 0 | yes |",
		"| victim | SIGALRM | due | due | yes |",
		"| victim | signal | killed by SIGALRM | killed by SIGALRM | yes |",
		"| siginfo of main's SIGALRM handlers | code=128 pid=- uid=0 value=0 status=0 | "
		"code=128 pid=- uid=0 value=0 status=0 | yes |",
		NULL,
	};
	test_expect_rows(&rep, rows, FALSE);
	sim_xcheck_report_clear(&rep);
}

static void test_xcalarm_kernels_alarm_comes_due_where_the_models_does(void)
{
	fire(FALSE);
}

static void test_xcalarm_kernels_alarm_comes_due_without_a_namespace(void)
{
	fire(TRUE);
}

static void test_xcalarm_alarm_replaced_within_half_a_second_is_compared(void)
{
	SimXcheckReport rep = { 0 };
	test_xcheck_rows("process main { alarm 5  compute 400ms  @z alarm 0 }\nexpect @z ret=5\n", FALSE,
	       &rep);
	CU_ASSERT_EQUAL(rep.verdict, SIM_XCHECK_MATCH);
	const char *rows[] = { "| main | alarm (line 1) | ok 5 | ok 5 | yes |", NULL };
	test_expect_rows(&rep, rows, FALSE);
	sim_xcheck_report_clear(&rep);
}

static void test_xcalarm_alarm_replaced_later_refuses(void)
{
	/* 4.4 s left: the model says 4; the kernel, which spent no such time, would say 5. */
	SimXcheckReport rep = { 0 };
	test_xcheck_rows("process main { alarm 5  compute 600ms  alarm 0 }\n", FALSE, &rep);
	CU_ASSERT_EQUAL(rep.verdict, SIM_XCHECK_NOT_CHECKABLE);
	CU_ASSERT_PTR_NOT_NULL_FATAL(rep.reason);
	CU_ASSERT_PTR_NOT_NULL(strstr(rep.reason, "replaces one set 600 ms of simulated time"));
	sim_xcheck_report_clear(&rep);
}

CU_TestInfo xcalarm_tests[] = {
	{ "unpaced run is replayed even when alarms fire",
	  test_xcalarm_unpaced_run_is_replayed_even_when_alarms_fire },
	{ "paced run refuses", test_xcalarm_paced_run_refuses },
	{ "without alarm nothing is refused", test_xcalarm_without_alarm_nothing_is_refused },
	{ "kernel's alarm comes due where the model's does",
	  test_xcalarm_kernels_alarm_comes_due_where_the_models_does },
	{ "kernel's alarm comes due without a namespace",
	  test_xcalarm_kernels_alarm_comes_due_without_a_namespace },
	{ "alarm replaced within half a second is compared",
	  test_xcalarm_alarm_replaced_within_half_a_second_is_compared },
	{ "alarm replaced later refuses", test_xcalarm_alarm_replaced_later_refuses },
	CU_TEST_INFO_NULL,
};
