/* test_xcalarm.c — which scenarios with alarm the cross-check replays (xcheck_alarm.c).
 *
 * The kernel's alarm counts real seconds, the model's simulated ones: a scenario with
 * alarm is compared only when its model run stays under half a second and is not paced,
 * where no alarm fires and each call returns the whole seconds the one before it set.
 * Every other is refused with the time or the pacing that decides it.
 */
#include <string.h>

#include "engine/world_int.h"
#include "real/xcheck_int.h"
#include "tests.h"

/* The rule for the model run of `text`: NULL (replayable) or why not. */
static char *rule_for(const char *text, gboolean paced)
{
	TestRun r = test_run_text(text, FALSE, NULL);
	char *why = xc_alarm_unsupported(r.scn, sim_world_now(r.w), paced);
	test_run_free(&r);
	return why;
}

static void test_xcalarm_short_unpaced_run_is_replayed(void)
{
	g_autofree char *why =
		rule_for("process main { alarm 5  @z alarm 0 }\nexpect @z ret=5\n", FALSE);
	CU_ASSERT_PTR_NULL(why);
}

static void test_xcalarm_a_short_sleep_does_not_refuse(void)
{
	g_autofree char *why =
		rule_for("process main { alarm 5  sleep 499ms  @z alarm 0 }\n", FALSE);
	CU_ASSERT_PTR_NULL(why);
}

static void test_xcalarm_half_a_second_of_model_time_refuses(void)
{
	/* 4.5 s left still rounds to 5, but a moment more gives 4 while the kernel, which
	 * spends no such time, says 5: the bound is where that starts. */
	g_autofree char *why =
		rule_for("process main { alarm 5  sleep 500ms  @z alarm 0 }\n", FALSE);
	CU_ASSERT_PTR_NOT_NULL_FATAL(why);
	CU_ASSERT_PTR_NOT_NULL(strstr(why, "takes 500 ms of simulated time"));
}

static void test_xcalarm_an_alarm_that_fires_refuses(void)
{
	/* The model's SIGALRM ends the blocked read at 1 s: refused for its second. */
	g_autofree char *why = rule_for("process main {\n"
					"  on SIGALRM handler norestart\n"
					"  pipe -> p\n  alarm 1\n  read p.r size=4\n"
					"}\n",
					FALSE);
	CU_ASSERT_PTR_NOT_NULL_FATAL(why);
	CU_ASSERT_PTR_NOT_NULL(strstr(why, "takes 1000 ms"));
}

static void test_xcalarm_paced_run_refuses(void)
{
	g_autofree char *why = rule_for("process main { alarm 5  @z alarm 0 }\n", TRUE);
	CU_ASSERT_PTR_NOT_NULL_FATAL(why);
	CU_ASSERT_PTR_NOT_NULL(strstr(why, "alarm in a paced run"));
}

static void test_xcalarm_alarm_in_a_child_counts(void)
{
	/* Only a forked child sets the alarm: the rule still applies to the run. */
	g_autofree char *why = rule_for("process main {\n"
					"  fork c { alarm 2  sleep 3s }\n"
					"  wait c\n"
					"}\n",
					FALSE);
	CU_ASSERT_PTR_NOT_NULL_FATAL(why);
	CU_ASSERT_PTR_NOT_NULL(strstr(why, "alarm: the model's run takes 2000 ms"));
}

static void test_xcalarm_without_alarm_nothing_is_refused(void)
{
	g_autofree char *paced = rule_for("process main { sleep 2s }\n", TRUE);
	CU_ASSERT_PTR_NULL(paced);
	g_autofree char *slow = rule_for("process main { sleep 2s }\n", FALSE);
	CU_ASSERT_PTR_NULL(slow);
	/* Nor is alarm any longer refused before the model runs. */
	TestRun r = test_run_text("process main { alarm 5  alarm 0 }\n", FALSE, NULL);
	g_autofree char *before = sim_xcheck_unsupported(r.scn);
	CU_ASSERT_PTR_NULL(before);
	test_run_free(&r);
}

CU_TestInfo xcalarm_tests[] = {
	{ "short unpaced run is replayed", test_xcalarm_short_unpaced_run_is_replayed },
	{ "a short sleep does not refuse", test_xcalarm_a_short_sleep_does_not_refuse },
	{ "half a second of model time refuses",
	  test_xcalarm_half_a_second_of_model_time_refuses },
	{ "an alarm that fires refuses", test_xcalarm_an_alarm_that_fires_refuses },
	{ "paced run refuses", test_xcalarm_paced_run_refuses },
	{ "alarm in a child counts", test_xcalarm_alarm_in_a_child_counts },
	{ "without alarm nothing is refused", test_xcalarm_without_alarm_nothing_is_refused },
	CU_TEST_INFO_NULL,
};
