/* test_xcnotify.c — mq_notify with SIGEV_THREAD in the cross-check (xcheck_notify.c,
 * real_notify.c).
 *
 * The lockstep replays a SIGEV_THREAD registration as glibc makes it (a netlink socket and
 * a cookie) and runs the body in a real thread of the owner's worker once the model's
 * notification fires; each registration's socket is read where the model starts the
 * thread, or at its process's end when it never does. Free runs do the same, the thread
 * started when the model makes the send the kernel answered.
 */
#include <string.h>

#include "msgsim/real/xcheck.h"
#include "real/xcheck_int.h"
#include "tests.h"

/* ---- The rules read before the run ---- */

static const char REG_TEXT[] = "process p {\n"
			       "  mq_open \"/n\" create rdwr -> q\n"
			       "  mq_notify q thread t value=5 { mq_receive q }\n"
			       "  mq_send q \"a\"\n"
			       "  sleep 10us\n"
			       "}\n";

static void test_xcnotify_lockstep_and_free_runs_replay_it(void)
{
	TestRun r = test_run_text(REG_TEXT, FALSE, NULL);
	g_autofree char *lockstep = sim_xcheck_unsupported(r.scn);
	CU_ASSERT_PTR_NULL(lockstep);
	g_autofree char *free = sim_xcheck_free_unsupported(r.scn);
	CU_ASSERT_PTR_NULL(free);
	test_run_free(&r);
}

/* The kernel gives a SIGEV_THREAD thread a cookie and no siginfo: its body reads `sival`,
 * and si.FIELD there is refused as outside a handler. */
static void test_xcnotify_thread_body_has_sival_and_no_siginfo(void)
{
	static const char text[] = "process p {\n"
				   "  mq_open \"/n\" create rdwr -> q\n"
				   "  mq_notify q thread t value=3 { let x = si.pid }\n"
				   "}\n";
	g_autoptr(GError) err = NULL;
	SimScenario *scn = sim_scn_parse("t.scn", text, strlen(text), &err);
	CU_ASSERT_PTR_NULL(scn);
	CU_ASSERT_PTR_NOT_NULL_FATAL(err);
	CU_ASSERT_PTR_NOT_NULL(strstr(err->message, "t.scn:3:42: error: 'si.pid' is the siginfo "
						    "of a signal handler"));
	sim_scn_free(scn);
}

/* ---- On the real kernel ---- */

/* The thread starts at the send with its 64-bit value from the kernel's cookie, runs in the
 * owner's process (its close is the owner's), and the owner's descriptors are numbered as
 * in the model: glibc's socket would have taken 4. */
static const char FIRE_TEXT[] = "process owner {\n"
				"  mq_open \"/nt\" create rdwr -> q\n"
				"  mq_notify q thread t value=-5000000000 {\n"
				"    mq_receive q\n"
				"    mq_close q\n"
				"  }\n"
				"  mq_open \"/nt\" rdwr -> q2\n"
				"  sleep 1ms\n"
				"  @gone mq_getattr q\n"
				"  mq_unlink \"/nt\"\n"
				"}\n"
				"process sender start=100us {\n"
				"  mq_open \"/nt\" wronly -> q\n"
				"  mq_send q \"wake\"\n"
				"}\n";

static void fire(gboolean shared)
{
	SimXcheckReport rep = { 0 };
	test_xcheck_rows(FIRE_TEXT, shared, &rep);
	const char *rows[] = {
		"| owner | mq_notify (line 3) | ok 0 | ok 0 | yes |",
		"| owner | mq_open (line 7) | ok 4 | ok 4 | yes |",
		"| t | recv (line 3) | notified, sival=-5000000000 | notified, sival=-5000000000 | "
		"yes |",
		"| t | close (line 5) | ok 0 | ok 0 | yes |",
		"| owner | mq_getattr (line 9) | EBADF | EBADF | yes |",
		NULL,
	};
	test_expect_rows(&rep, rows, TRUE);
	sim_xcheck_report_clear(&rep);
}

static void test_xcnotify_thread_starts_with_the_kernels_cookie(void)
{
	fire(FALSE);
}

static void test_xcnotify_thread_starts_without_a_namespace(void)
{
	fire(TRUE);
}

/* Two registrations that never fire: one removed by mq_notify off (the kernel's
 * NOTIFY_REMOVED), one still held when its process ends (nothing queued); then another
 * process registers on the first queue and gets EBUSY no more. */
static const char UNFIRED_TEXT[] = "process owner {\n"
				   "  mq_open \"/nu\" create rdwr -> q\n"
				   "  mq_notify q thread a { }\n"
				   "  mq_notify q off\n"
				   "  mq_open \"/nu2\" create rdwr -> q2\n"
				   "  mq_notify q2 thread b { }\n"
				   "  mq_unlink \"/nu2\"\n"
				   "}\n"
				   "process other start=after(owner) {\n"
				   "  mq_open \"/nu\" rdwr -> q\n"
				   "  @again mq_notify q none\n"
				   "  mq_unlink \"/nu\"\n"
				   "}\n"
				   "expect @again ok\n";

static void test_xcnotify_unfired_registrations_are_read_at_the_processs_end(void)
{
	SimXcheckReport rep = { 0 };
	test_xcheck_rows(UNFIRED_TEXT, FALSE, &rep);
	const char *rows[] = {
		"| a | recv (line 3) | not notified, registration removed (NOTIFY_REMOVED) | "
		"not notified, registration removed (NOTIFY_REMOVED) | yes |",
		"| b | recv (line 6) | not notified, still registered | "
		"not notified, still registered | yes |",
		"| other | mq_notify (line 11) | ok 0 | ok 0 | yes |",
		NULL,
	};
	test_expect_rows(&rep, rows, TRUE);
	sim_xcheck_report_clear(&rep);
}

/* Free runs: the thread starts when the model makes the send the kernel has answered (the
 * owner's own, whose next call races the thread's first), and every run's outcome is the
 * one in the explored set: the owner waits for what the thread sends. */
static const char FREE_TEXT[] = "process owner {\n"
				"  mq_open \"/nf\" create rdwr -> q\n"
				"  mq_open \"/nf2\" create rdwr -> q2\n"
				"  mq_notify q thread t value=9 {\n"
				"    mq_receive q\n"
				"    assert sival == 9\n"
				"    mq_send q2 \"done\"\n"
				"  }\n"
				"  mq_send q \"a\"\n"
				"  @done mq_receive q2\n"
				"  mq_unlink \"/nf\"\n"
				"  mq_unlink \"/nf2\"\n"
				"}\n"
				"expect @done ret=4\n";

static void test_xcnotify_free_runs_land_in_the_explored_set(void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(SimScenario) scn = sim_scn_parse("t.scn", FREE_TEXT, strlen(FREE_TEXT), &error);
	CU_ASSERT_PTR_NOT_NULL_FATAL(scn);
	SimXcheckOptions opt = { .seed = 3, .seed_set = TRUE };
	SimXcheckFree fr = { 0 };
	CU_ASSERT_TRUE_FATAL(sim_xcheck_free(scn, "t.scn", &opt, 10, 0, 30, &fr, &error));
	CU_ASSERT_EQUAL(fr.verdict, SIM_XCHECK_MATCH);
	CU_ASSERT_EQUAL(fr.runs, 10);
	CU_ASSERT_TRUE(fr.complete);
	CU_ASSERT_EQUAL(fr.observed, 1);
	CU_ASSERT_EQUAL(fr.outside, 0);
	CU_ASSERT_EQUAL(fr.diverged, 0);
	CU_ASSERT_EQUAL(fr.failed, 0);
	if (fr.outside || fr.diverged || fr.failed || fr.verdict != SIM_XCHECK_MATCH)
		fprintf(stderr, "\n%s\n", fr.text ? fr.text : "");
	sim_xcheck_free_clear(&fr);
}

CU_TestInfo xcnotify_tests[] = {
	{ "lockstep and free runs replay it", test_xcnotify_lockstep_and_free_runs_replay_it },
	{ "thread body has sival and no siginfo",
	  test_xcnotify_thread_body_has_sival_and_no_siginfo },
	{ "thread starts with the kernel's cookie",
	  test_xcnotify_thread_starts_with_the_kernels_cookie },
	{ "thread starts without a namespace", test_xcnotify_thread_starts_without_a_namespace },
	{ "unfired registrations are read at the process's end",
	  test_xcnotify_unfired_registrations_are_read_at_the_processs_end },
	{ "free runs land in the explored set", test_xcnotify_free_runs_land_in_the_explored_set },
	CU_TEST_INFO_NULL,
};
