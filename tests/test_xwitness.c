/* test_xwitness.c — the lockstep following a witness (`msgsim crosscheck --schedule W`):
 * the calls reach the kernel in the witness's order and match, the woken SysV calls it
 * finishes late are held back, and a witness the kernel cannot follow (a pipe reader
 * woken to look again; timed calls) is refused with why. */
#include <string.h>

#include "msgsim/real/xcheck.h"
#include "tests.h"

static SimXcheckReport witness_run(const char *text, const char *witness)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(SimScenario) scn = sim_scn_parse("w.scn", text, strlen(text), &error);
	CU_ASSERT_PTR_NOT_NULL_FATAL(scn);
	SimXcheckOptions opt = { .rows = TRUE, .schedule = witness };
	SimXcheckReport rep;
	CU_ASSERT_TRUE_FATAL(sim_xcheck_run(scn, "w.scn", &opt, &rep, &error));
	CU_ASSERT_PTR_NOT_NULL_FATAL(rep.text);
	return rep;
}

static gboolean has(const char *text, const char *what)
{
	if (strstr(text, what))
		return TRUE;
	fprintf(stderr, "\nno '%s' in:\n%s\n", what, text);
	return FALSE;
}

/* run's schedule sends first; the witness lets the receiver go first, and the kernel
 * follows: ENOMSG on both sides, the message left in the queue. */
static const char *const RACE = "sysv queue q key=0x2261 perm=0600\n"
				"process a { msgsnd q \"a\" size=1 nowait }\n"
				"process b { msgrcv q size=8 nowait }\n";

static void test_xwitness_the_kernel_follows_the_witness_order(void)
{
	SimXcheckReport rep = witness_run(RACE, "b*2,a*2");
	CU_ASSERT_EQUAL(rep.verdict, SIM_XCHECK_MATCH);
	CU_ASSERT_EQUAL(rep.schedule, SIM_XCHECK_SCHED_WITNESS);
	CU_ASSERT_EQUAL(rep.mismatches, 0);
	CU_ASSERT_TRUE(has(rep.text, "| 1 | b | msgrcv (line 3) | ENOMSG | ENOMSG | yes |"));
	CU_ASSERT_TRUE(has(rep.text, "| 3 | a | msgsnd (line 2) | ok 0 | ok 0 | yes |"));
	CU_ASSERT_TRUE(has(rep.text, "-- schedule: the witness b*2,a*2, step by step"));
	sim_xcheck_report_clear(&rep);
	/* Without it: run's order, the receiver gets the message. */
	SimXcheckReport run = witness_run(RACE, NULL);
	CU_ASSERT_EQUAL(run.schedule, SIM_XCHECK_SCHED_RUN);
	CU_ASSERT_TRUE(has(run.text, "| b | msgrcv (line 3) | ok 1 \"a\" type=1 |"));
	sim_xcheck_report_clear(&run);
}

/* A witness that does not fit the scenario (a step of a task that cannot step) fails the
 * run, saying which item. */
static void test_xwitness_a_witness_that_does_not_fit_fails_with_why(void)
{
	SimXcheckReport rep = witness_run(RACE, "a*2,a");
	CU_ASSERT_EQUAL(rep.verdict, SIM_XCHECK_FAILED);
	CU_ASSERT_TRUE(has(rep.reason, "the witness does not replay: "));
	sim_xcheck_report_clear(&rep);
}

/* Three senders woken when the reader makes room: the witness finishes two of them after
 * other calls, and the kernel's are held back (SIGSTOP) to follow it. */
static void test_xwitness_woken_sysv_calls_are_held_back(void)
{
	static const char text[] = "sysv queue q key=0x2262 perm=0600\n"
				   "process filler { msgsnd q \"A\" size=8192  msgsnd q \"B\" "
				   "size=8192 }\n"
				   "process S1 { msgsnd q \"S1\" size=8192 }\n"
				   "process S2 { msgsnd q \"S2\" size=8192 }\n"
				   "process reader { msgrcv q size=8192 }\n";
	SimXcheckReport rep = witness_run(text, "filler*2,S1,S2,reader*2,S2*2,S1,filler");
	CU_ASSERT_EQUAL(rep.verdict, SIM_XCHECK_MATCH);
	CU_ASSERT_EQUAL(rep.schedule, SIM_XCHECK_SCHED_WITNESS);
	CU_ASSERT_TRUE(rep.held >= 1);
	CU_ASSERT_TRUE(has(rep.text, "| S2 | msgsnd (line 4) | ok 0 | ok 0 | yes |"));
	sim_xcheck_report_clear(&rep);
}

/* Timed calls: the witness puts a timeout at a step, the kernel at a moment: refused. */
static void test_xwitness_timed_calls_are_refused_with_why(void)
{
	static const char text[] = "posix queue \"/w\" maxmsg=1 msgsize=8\n"
				   "process r { mq_receive \"/w\" timeout=1ms }\n";
	SimXcheckReport rep = witness_run(text, "r*2");
	CU_ASSERT_EQUAL(rep.verdict, SIM_XCHECK_NOT_CHECKABLE);
	CU_ASSERT_TRUE(has(rep.reason, "a witness with timed calls"));
	sim_xcheck_report_clear(&rep);
}

CU_TestInfo xwitness_tests[] = {
	{ "the kernel follows the witness order", test_xwitness_the_kernel_follows_the_witness_order },
	{ "a witness that does not fit fails with why",
	  test_xwitness_a_witness_that_does_not_fit_fails_with_why },
	{ "woken SysV calls are held back", test_xwitness_woken_sysv_calls_are_held_back },
	{ "timed calls are refused with why", test_xwitness_timed_calls_are_refused_with_why },
	CU_TEST_INFO_NULL,
};
