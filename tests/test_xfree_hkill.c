/* test_xfree_hkill.c — free runs of handler bodies that kill (xcheck_handler.c's free part,
 * xcheck_free.c): the kernel's handler makes the body's kills, under `if` too, and the model
 * makes them in the order the kernel did, so every run lands in the explored set. */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>

#include "msgsim/real/xcheck.h"
#include "tests.h"

static SimXcheckFree all_inside(const char *text, guint64 seed, guint n)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(SimScenario) scn = sim_scn_parse("t.scn", text, strlen(text), &error);
	CU_ASSERT_PTR_NOT_NULL_FATAL(scn);
	SimXcheckOptions opt = { .seed = seed, .seed_set = TRUE, .quiet_ms = 150 };
	SimXcheckFree fr;
	CU_ASSERT_TRUE_FATAL(sim_xcheck_free(scn, "t.scn", &opt, n, 0, 30, &fr, &error));
	CU_ASSERT_PTR_NOT_NULL_FATAL(fr.text);
	CU_ASSERT_EQUAL(fr.verdict, SIM_XCHECK_MATCH);
	CU_ASSERT_EQUAL(fr.runs, n);
	CU_ASSERT_TRUE(fr.complete);
	CU_ASSERT_EQUAL(fr.outside, 0);
	CU_ASSERT_EQUAL(fr.diverged, 0);
	CU_ASSERT_EQUAL(fr.failed, 0);
	if (fr.verdict != SIM_XCHECK_MATCH || fr.outside || fr.diverged || fr.failed)
		fprintf(stderr, "\n%s\n%s\n", fr.text, fr.reason ? fr.reason : "");
	return fr;
}

/* kid signals main and reads; main's handler kills kid back, from the kernel's handler:
 * kid's read is cut short (EINTR) or, when the kill comes first, waits for good. */
static const char BACK_TEXT[] = "process main {\n"
				"  on SIGUSR1 handler { kill kid SIGUSR2 }\n"
				"  pipe -> p\n"
				"  fork kid {\n"
				"    on SIGUSR2 handler norestart { print \"kid: cut\" }\n"
				"    kill main SIGUSR1\n"
				"    read p.r size=1\n"
				"  }\n"
				"  wait kid\n"
				"}\n";

static void test_xfree_hkill_a_body_kill_runs_free(void)
{
	SimXcheckFree fr = all_inside(BACK_TEXT, 41, 4);
	CU_ASSERT_TRUE(fr.observed >= 1);
	sim_xcheck_free_clear(&fr);
	CU_ASSERT_EQUAL(waitpid(-1, NULL, WNOHANG), -1);
}

/* The body's kills under if: kid's signal makes main signal itself twice more; the
 * body those run decides (si.pid is main's own) to send nothing. An idle main takes its
 * signals at its next call, where the model runs the body too. */
static const char NEST_TEXT[] = "process main {\n"
				"  on SIGUSR1 handler {\n"
				"    if si.pid != self.pid {\n"
				"      kill main SIGUSR1\n"
				"      kill main SIGUSR2\n"
				"    }\n"
				"  }\n"
				"  on SIGUSR2 handler { print \"main: SIGUSR2\" }\n"
				"  fork kid { kill main SIGUSR1 }\n"
				"  sleep 1ms\n"
				"  wait kid\n"
				"}\n"
				"expect main signal SIGUSR1 delivered=2 handled=2\n";

static void test_xfree_hkill_kills_under_if_run_free(void)
{
	SimXcheckFree fr = all_inside(NEST_TEXT, 43, 4);
	CU_ASSERT_TRUE(fr.observed >= 1);
	sim_xcheck_free_clear(&fr);
	CU_ASSERT_EQUAL(waitpid(-1, NULL, WNOHANG), -1);
}

CU_TestInfo xfree_hkill_tests[] = {
	{ "a body kill runs free", test_xfree_hkill_a_body_kill_runs_free },
	{ "kills under if run free", test_xfree_hkill_kills_under_if_run_free },
	CU_TEST_INFO_NULL,
};
