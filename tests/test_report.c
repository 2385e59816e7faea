/* test_report.c — the end of a run (report.h): who is stuck and why, the expectations, the
 * summary and the verdict.
 *
 * Each test runs a small scenario into a report-only text sink, so the output is exactly
 * the report's own lines ("-- ..."), and compares the lines the test is about. The
 * wait-for list is derived from the bodies, not from history: a stuck task waits for every
 * live process whose body could release it, and for nobody when none can.
 */
#include <string.h>

#include "msgsim/output/report.h"
#include "msgsim/lang/scn.h"
#include "tests.h"

/* The report of `text` (report-only text sink); the verdict in *v. */
static char *report_of(const char *text, const SimWorldOptions *opt, SimVerdict *v)
{
	return test_run_output(text, SIM_TRACE_TEXT, TRUE, opt, v);
}

/* The report lines that start with `prefix`, joined with newlines. */
static char *lines_with(const char *out, const char *prefix)
{
	g_auto(GStrv) lines = test_split_lines(out);
	GString *s = g_string_new(NULL);
	for (guint i = 0; lines[i]; i++)
		if (g_str_has_prefix(lines[i], prefix))
			g_string_append_printf(s, "%s\n", lines[i]);
	return g_string_free(s, FALSE);
}

/* ---- Deadlock: the wait-for lists ---- */

static void test_report_deadlock_on_direct_links_waits_for_the_named_peer(void)
{
	SimVerdict v;
	g_autofree char *out = report_of("mailbox m\n"
					 "process a { receive b  send b \"x\" }\n"
					 "process b { receive a  send a \"x\" }\n"
					 "process c { receive m }\n"
					 "process d { sleep 1ms }\n",
					 NULL, &v);
	g_autofree char *dl = lines_with(out, "-- deadlock");
	CU_ASSERT_STRING_EQUAL(dl, "-- deadlock: a stuck in receive b (line 2): no message from "
				   "the wanted sender; waits for: b\n"
				   "-- deadlock: b stuck in receive a (line 3): no message from "
				   "the wanted sender; waits for: a\n"
				   "-- deadlock: c stuck in receive m (line 4): no message; waits "
				   "for: nobody (no live process can release it)\n");
	CU_ASSERT_TRUE(v.deadlock);
	CU_ASSERT_EQUAL(v.exit_status, SIM_EXIT_STUCK);
}

static void test_report_mailbox_receiver_waits_for_live_processes_whose_body_sends_to_it(void)
{
	/* s could still send to m (it is stuck first on n); t would, but has exited; u sends
	 * elsewhere, and nobody sends to k. */
	g_autofree char *out = report_of("mailbox m\n"
					 "mailbox n\n"
					 "mailbox k\n"
					 "process r { receive m }\n"
					 "process s { receive n  send m \"x\" }\n"
					 "process t { exit 0  send m \"y\" }\n"
					 "process u { receive k  send n \"z\" }\n",
					 NULL, NULL);
	g_autofree char *dl = lines_with(out, "-- deadlock");
	CU_ASSERT_STRING_EQUAL(dl, "-- deadlock: r stuck in receive m (line 4): no message; "
				   "waits for: s\n"
				   "-- deadlock: s stuck in receive n (line 5): no message; "
				   "waits for: u\n"
				   "-- deadlock: u stuck in receive k (line 7): no message; "
				   "waits for: nobody (no live process can release it)\n");
}

static void test_report_pipe_reader_waits_for_every_write_end_holder_with_its_fd(void)
{
	/* The classic: the reader's own write end, never closed, keeps it waiting. */
	g_autofree char *out = report_of("process a {\n"
					 "  pipe -> p\n"
					 "  fork b { read p.r size=10 }\n"
					 "  wait b\n"
					 "}\n",
					 NULL, NULL);
	g_autofree char *dl = lines_with(out, "-- deadlock");
	CU_ASSERT_STRING_EQUAL(dl, "-- deadlock: a stuck in wait b (line 4): child still running; "
				   "waits for: b\n"
				   "-- deadlock: b stuck in read pipe#1 (line 3): pipe empty; "
				   "waits for: a (fd 4) b (fd 4)\n");
}

static void test_report_sysv_receiver_waits_for_bodies_that_msgsnd_through_a_variable(void)
{
	g_autofree char *out =
		report_of("process a { msgget key=5 create -> q  msgrcv q type=1 size=10 }\n"
			  "process b { mq_open \"/x\" create rdwr -> d  mq_receive d size=8192 }\n"
			  "process c start=1ms { receive a  msgget key=5 -> q  msgsnd q type=1 "
			  "\"x\" size=1 }\n",
			  NULL, NULL);
	g_autofree char *dl = lines_with(out, "-- deadlock");
	CU_ASSERT_STRING_EQUAL(dl,
			       "-- deadlock: a stuck in msgrcv q (line 1): no message of the "
			       "wanted type; waits for: c\n"
			       "-- deadlock: b stuck in mq_receive /x (line 2): queue empty; "
			       "waits for: nobody (no live process can release it)\n"
			       "-- deadlock: c stuck in receive a (line 3): no message from the "
			       "wanted sender; waits for: a\n");
}

static void test_report_process_started_after_a_stuck_one_waits_for_it(void)
{
	g_autofree char *out = report_of("mailbox m\n"
					 "process a { receive m }\n"
					 "process b start=after(a) { send m \"x\" }\n",
					 NULL, NULL);
	g_autofree char *dl = lines_with(out, "-- deadlock");
	CU_ASSERT_STRING_EQUAL(dl, "-- deadlock: a stuck in receive m (line 2): no message; "
				   "waits for: b\n"
				   "-- deadlock: b stuck in start (line 3): waiting for a process "
				   "to exit; waits for: a\n");
}

/* ---- Expectations ---- */

static void test_report_expectation_lines_pass_or_fail_with_what_was_seen(void)
{
	SimVerdict v;
	g_autofree char *out = report_of("mailbox m\n"
					 "process s { @put send m \"a\"  send m \"b\" }\n"
					 "process r start=1ms { receive m  exit 4 }\n"
					 "expect r received [\"a\"]\n"
					 "expect r received [\"b\"]\n"
					 "expect @put ok\n"
					 "expect m qnum=1\n"
					 "expect m qnum=0\n"
					 "expect r exit=4\n"
					 "expect time <= 1ms\n"
					 "expect no deadlock\n",
					 NULL, &v);
	g_autofree char *ex = lines_with(out, "-- expect");
	CU_ASSERT_STRING_EQUAL(ex, "-- expect (line 4) PASS: r received [\"a\"]\n"
				   "-- expect (line 5) FAIL: r received [\"b\"]; seen: received [1 "
				   "\"a\" from s]\n"
				   "-- expect (line 6) PASS: @put ok\n"
				   "-- expect (line 7) PASS: m qnum=1\n"
				   "-- expect (line 8) FAIL: m qnum=0; seen: qnum=1\n"
				   "-- expect (line 9) PASS: r exit=4\n"
				   "-- expect (line 10) FAIL: time <= 1ms; seen: time 1.002ms\n"
				   "-- expect (line 11) PASS: no deadlock\n");
	CU_ASSERT_EQUAL(v.passed, 5);
	CU_ASSERT_EQUAL(v.failed, 3);
	CU_ASSERT_EQUAL(v.exit_status, SIM_EXIT_EXPECT_FAILED);
}

static void test_report_expectation_query_says_what_it_saw(void)
{
	TestRun r = test_run_text("mailbox m\n"
				  "process s { send m \"a\" }\n"
				  "process r { receive m }\n"
				  "expect r received [\"b\"]\n"
				  "expect m received=1\n",
				  FALSE, NULL);
	g_autoptr(GString) seen = g_string_new(NULL);
	CU_ASSERT_FALSE(sim_report_expectation(r.w, &r.scn->expects[0], seen));
	CU_ASSERT_STRING_EQUAL(seen->str, "received [1 \"a\" from s]");
	g_string_truncate(seen, 0);
	CU_ASSERT_TRUE(sim_report_expectation(r.w, &r.scn->expects[1], seen));
	CU_ASSERT_TRUE(sim_report_expectation(r.w, &r.scn->expects[1], NULL));
	test_run_free(&r);
}

/* ---- Summary and verdict ---- */

static void test_report_summary_has_a_line_per_task_and_per_object(void)
{
	g_autofree char *out =
		report_of("mailbox m capacity=1\n"
			  "process s { send m \"ab\"  send m \"cde\"  msgget key=9 create -> q"
			  "  msgsnd q type=1 \"x\" size=40 }\n"
			  "process r start=1ms { receive m  mq_open \"/z\" create rdwr -> d"
			  "  mq_send d \"hey\" }\n",
			  NULL, NULL);
	g_autofree char *sum = lines_with(out, "-- task");
	g_autofree char *obj = lines_with(out, "-- m");
	/* Sent and received count every kind of message: mailbox, SysV and POSIX. */
	CU_ASSERT_STRING_EQUAL(sum, "-- task s          exited   cpu 4us, blocked 999us, sent 3, "
				    "received 0\n"
				    "-- task r          exited   cpu 3us, blocked 0, sent 1, "
				    "received 1\n");
	CU_ASSERT_STRING_EQUAL(obj,
			       "-- mailbox m          sent 2, received 1, queued 1, max "
			       "queued 1, bytes 2\n"
			       "-- msgq    id 0       sent 1, received 0, queued 1 (40 bytes)\n"
			       "-- mqueue  /z         sent 1, received 0, queued 1 (3 bytes)\n");
}

static void check_verdict(const char *text, const SimWorldOptions *opt, int status,
			  const char *result, unsigned line)
{
	SimVerdict v;
	g_autofree char *out = report_of(text, opt, &v);
	g_autofree char *end = lines_with(out, "-- result: ");
	gboolean ok =
		v.exit_status == status && g_str_has_prefix(end + strlen("-- result: "), result);
	if (!ok)
		fprintf(stderr, "\nverdict %d, want %d: %s", v.exit_status, status, end);
	CU_assertImplementation(ok ? CU_TRUE : CU_FALSE, line, "the verdict and its exit status",
				__FILE__, "", CU_FALSE);
	g_autofree char *want = g_strdup_printf("exit status %d\n", status);
	CU_assertImplementation(g_str_has_suffix(end, want) ? CU_TRUE : CU_FALSE, line,
				"the result line ends with the exit status", __FILE__, "",
				CU_FALSE);
}
#define CHECK_VERDICT(text, opt, status, result) \
	check_verdict((text), (opt), (status), (result), __LINE__)

static void test_report_verdict_and_exit_status_follow_the_run_and_the_expectations(void)
{
	CHECK_VERDICT("process a { print \"x\" }\n", NULL, SIM_EXIT_OK, "all processes exited");
	CHECK_VERDICT("process a { print \"x\" }\nexpect a exit=1\n", NULL, SIM_EXIT_EXPECT_FAILED,
		      "expectations failed");
	CHECK_VERDICT("mailbox m\nprocess a { receive m }\n", NULL, SIM_EXIT_STUCK,
		      "unexpected deadlock");
	CHECK_VERDICT("mailbox m\nprocess a { receive m }\nexpect deadlock\n", NULL, SIM_EXIT_OK,
		      "deadlock, as expected");
	/* A failed expectation wins over an unexpected deadlock (the run ended, so it is
	 * judged), and the verdict names both; a guard rail wins over both. */
	CHECK_VERDICT("mailbox m\nprocess a { receive m }\nexpect a exit=0\n", NULL,
		      SIM_EXIT_EXPECT_FAILED, "expectations failed, and an unexpected deadlock");
	CHECK_VERDICT("mailbox m\nprocess a { receive m }\nexpect a state=blocked\n", NULL,
		      SIM_EXIT_STUCK, "unexpected deadlock");
	CHECK_VERDICT("mailbox m\nprocess a { receive m }\nexpect deadlock\nexpect a exit=0\n",
		      NULL, SIM_EXIT_EXPECT_FAILED, "expectations failed");
	SimWorldOptions steps = { .max_steps = 50 };
	CHECK_VERDICT("process a { loop { } }\nexpect no deadlock\n", &steps, SIM_EXIT_STUCK,
		      "stopped by a guard rail");
	CHECK_VERDICT("process a { loop { } }\nexpect a exit=0\n", &steps, SIM_EXIT_STUCK,
		      "stopped by a guard rail");
}

static void test_report_guard_rail_says_what_stopped_the_run(void)
{
	SimWorldOptions steps = { .max_steps = 50 };
	g_autofree char *out = report_of("process a { loop { } }\n", &steps, NULL);
	g_autofree char *stop = lines_with(out, "-- stopped");
	CU_ASSERT_STRING_EQUAL(stop, "-- stopped: --max-steps 50 reached at 0 (a loop with no way "
				     "out?); to run longer, raise it with --max-steps N\n");
	SimWorldOptions time = { .max_time = 2 * SIM_MS };
	g_autofree char *out2 = report_of("process a { loop { sleep 1ms } }\n", &time, NULL);
	g_autofree char *stop2 = lines_with(out2, "-- stopped");
	CU_ASSERT_STRING_EQUAL(stop2, "-- stopped: --max-time 2ms reached at 2.002ms; to run longer, "
				      "raise it with --max-time TIME\n");
}

static void test_report_finish_without_a_trace_still_gives_the_verdict(void)
{
	TestRun r = test_run_text("mailbox m\n"
				  "process a { receive m }\n"
				  "expect deadlock\n"
				  "expect a exit=0\n",
				  FALSE, NULL);
	CU_ASSERT_PTR_NULL(r.tr);
	CU_ASSERT_TRUE(r.verdict.deadlock);
	CU_ASSERT_EQUAL(r.verdict.passed, 1);
	CU_ASSERT_EQUAL(r.verdict.failed, 1);
	CU_ASSERT_EQUAL(r.verdict.exit_status, SIM_EXIT_EXPECT_FAILED);
	test_run_free(&r);
}

CU_TestInfo report_tests[] = {
	{ "deadlock on direct links waits for the named peer",
	  test_report_deadlock_on_direct_links_waits_for_the_named_peer },
	{ "mailbox receiver waits for live processes whose body sends to it",
	  test_report_mailbox_receiver_waits_for_live_processes_whose_body_sends_to_it },
	{ "pipe reader waits for every write end holder, with its fd",
	  test_report_pipe_reader_waits_for_every_write_end_holder_with_its_fd },
	{ "SysV receiver waits for bodies that msgsnd through a variable",
	  test_report_sysv_receiver_waits_for_bodies_that_msgsnd_through_a_variable },
	{ "process started after a stuck one waits for it",
	  test_report_process_started_after_a_stuck_one_waits_for_it },
	{ "expectation lines pass or fail with what was seen",
	  test_report_expectation_lines_pass_or_fail_with_what_was_seen },
	{ "expectation query says what it saw", test_report_expectation_query_says_what_it_saw },
	{ "summary has a line per task and per object",
	  test_report_summary_has_a_line_per_task_and_per_object },
	{ "verdict and exit status follow the run and the expectations",
	  test_report_verdict_and_exit_status_follow_the_run_and_the_expectations },
	{ "guard rail says what stopped the run",
	  test_report_guard_rail_says_what_stopped_the_run },
	{ "finish without a trace still gives the verdict",
	  test_report_finish_without_a_trace_still_gives_the_verdict },
	CU_TEST_INFO_NULL,
};
