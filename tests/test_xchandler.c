/* test_xchandler.c — handler bodies that kill, on the real kernel (xcheck_handler.c,
 * real_hkill.c): the worker's real handler makes the body's kills, and each is compared
 * with the model's. */
#include <CUnit/CUnit.h>
#include <string.h>

#include "msgsim/lang/scn.h"
#include "msgsim/real/xcheck.h"
#include "real/xcheck_int.h"
#include "tests.h"

/* The handler runs in a call held back (main's wait) and kills a process asleep in a read. */
static const char BLOCKED_TEXT[] = "process main {\n"
				   "  on SIGUSR1 handler { kill kid SIGUSR2 }\n"
				   "  pipe -> p\n"
				   "  fork kid {\n"
				   "    on SIGUSR2 handler norestart\n"
				   "    kill main SIGUSR1\n"
				   "    @cut read p.r size=1\n"
				   "  }\n"
				   "  wait kid\n"
				   "}\n"
				   "expect @cut errno=EINTR\n";

/* The handler of a worker waiting for its next command, killing a reaped child: ESRCH. */
static const char IDLE_TEXT[] = "posix queue \"/hq\" maxmsg=2 msgsize=8\n"
				"process main {\n"
				"  on SIGUSR1 handler { @gone kill gone SIGTERM }\n"
				"  fork gone { exit 0 }\n"
				"  wait gone\n"
				"  fork kid { mq_send \"/hq\" \"x\"  kill main SIGUSR1 }\n"
				"  mq_receive \"/hq\"\n"
				"  wait kid\n"
				"}\n"
				"expect @gone errno=ESRCH\n";

static void both(const char *text, const char *const *rows)
{
	for (int shared = 0; shared < 2; shared++) {
		SimXcheckReport rep = { 0 };
		test_xcheck_rows(text, shared, &rep);
		test_expect_rows(&rep, rows, TRUE);
		sim_xcheck_report_clear(&rep);
	}
}

static void test_xchandler_a_body_kills_a_blocked_process_from_the_real_handler(void)
{
	const char *rows[] = { "| main | kill in SIGUSR1's handler (line 2) | ok 0 | ok 0 | yes |",
			       "| kid | read (line 7) | EINTR | EINTR | yes |", NULL };
	both(BLOCKED_TEXT, rows);
}

static void test_xchandler_an_idle_workers_handler_runs_where_the_body_does(void)
{
	const char *rows[] = {
		"| main | kill in SIGUSR1's handler (line 3) | ESRCH | ESRCH | yes |", NULL
	};
	both(IDLE_TEXT, rows);
}

static void test_xchandler_top_level_kills_are_not_refused(void)
{
	TestRun r = test_run_text("process main {\n"
				  "  on SIGUSR1 handler { print \"x\"  kill main SIGUSR2 }\n"
				  "  on SIGUSR2 ignore\n"
				  "}\n",
				  FALSE, NULL);
	g_autofree char *why = sim_xcheck_unsupported(r.scn);
	CU_ASSERT_PTR_NULL(why);
	test_run_free(&r);
}

CU_TestInfo xchandler_tests[] = {
	{ "a body kills a blocked process from the real handler",
	  test_xchandler_a_body_kills_a_blocked_process_from_the_real_handler },
	{ "an idle worker's handler runs where the body does",
	  test_xchandler_an_idle_workers_handler_runs_where_the_body_does },
	{ "top-level kills are not refused", test_xchandler_top_level_kills_are_not_refused },
	CU_TEST_INFO_NULL,
};
