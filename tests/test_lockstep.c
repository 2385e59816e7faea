/* test_lockstep.c — the cross-check follows the schedule `msgsim run` shows, and says where
 * the kernel cannot.
 *
 * These tests run real workers (as test_xcheck.c does) and compare the cross-check's rows
 * with the events of a plain model run with the same options.
 */
#define _GNU_SOURCE

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "msgsim/calls/call.h"
#include "msgsim/engine/world.h"
#include "msgsim/real/xcheck.h"
#include "real/xcheck_int.h"
#include "tests.h"

SimXcheckReport test_xcheck_report(const SimScenario *scn, const SimXcheckOptions *opt)
{
	SimXcheckReport rep = { 0 };
	g_autoptr(GError) error = NULL;
	CU_ASSERT_TRUE(sim_xcheck_run(scn, "t.scn", opt, &rep, &error));
	CU_ASSERT_PTR_NOT_NULL_FATAL(rep.text);
	return rep;
}

static SimScenario *load(const char *path)
{
	g_autofree char *text = NULL;
	if (!g_file_get_contents(path, &text, NULL, NULL))
		return NULL;
	return test_scn_load("t.scn", text);
}

/* ---- Run's order, as a plain run's hook sees it ---- */

static void record(void *data, SimWorld *w, const SimTask *t, const SimStmt *st, SimCallPhase ph)
{
	(void)w;
	GString *s = data;
	if ((ph != SIM_CALL_BLOCKED && ph != SIM_CALL_FINISHED) || !st ||
	    !sim_call_desc(st->kind)->real_name)
		return;
	g_string_append_printf(s, "%s:%u:%s\n", t->name, st->loc.line,
			       ph == SIM_CALL_BLOCKED ? "blocks" : "returns");
}

/* Every call event of a plain run, one line each: "task:line:blocks|returns". */
static char *run_order(const SimScenario *scn)
{
	GString *s = g_string_new(NULL);
	SimWorldOptions wo = { .hook = { record, s } };
	g_autoptr(SimWorld) w = sim_world_new(scn, &wo);
	sim_world_run(w);
	return g_string_free(s, FALSE);
}

/* The same from the report's rows (--rows): the calls' rows, without exits and the end. */
static char *rows_order(const char *text)
{
	GString *s = g_string_new(NULL);
	g_auto(GStrv) lines = test_split_lines(text);
	for (guint i = 0; lines[i]; i++) {
		g_auto(GStrv) cells = g_strsplit(lines[i], " | ", -1);
		if (g_strv_length(cells) < 6 || !g_str_has_prefix(cells[0], "| ") ||
		    !g_ascii_isdigit(cells[0][2]))
			continue;
		const char *line = strstr(cells[2], "(line ");
		if (!line || strcmp(cells[3], "blocked at the end") == 0)
			continue;
		g_string_append_printf(s, "%s:%u:%s\n", cells[1],
				       (guint)strtoul(line + 6, NULL, 10),
				       strcmp(cells[3], "blocks") == 0 ? "blocks" : "returns");
	}
	return g_string_free(s, FALSE);
}

/* The bounded buffers: the cross-check's rows are run's calls, in run's order, with run's
 * blocking sends, and every call matches. */
static void test_lockstep_rows_follow_runs_schedule(void)
{
	static const char *const files[] = { "scenarios/textbook/producer-consumer.scn",
					     "scenarios/sysv/producer-consumer.scn",
					     "scenarios/sysv/sender-race.scn",
					     "scenarios/posix/client-server.scn" };
	for (guint i = 0; i < G_N_ELEMENTS(files); i++) {
		g_autoptr(SimScenario) scn = load(files[i]);
		CU_ASSERT_PTR_NOT_NULL_FATAL(scn);
		SimXcheckOptions opt = { .rows = TRUE };
		SimXcheckReport rep = test_xcheck_report(scn, &opt);
		CU_ASSERT_EQUAL(rep.verdict, SIM_XCHECK_MATCH);
		CU_ASSERT_EQUAL(rep.schedule, SIM_XCHECK_SCHED_RUN);
		g_autofree char *want = run_order(scn);
		g_autofree char *got = rows_order(rep.text);
		CU_ASSERT_STRING_EQUAL(got, want);
		CU_ASSERT_PTR_NOT_NULL(strstr(want, ":blocks\n"));
		if (strcmp(got, want) != 0 || rep.verdict != SIM_XCHECK_MATCH)
			fprintf(stderr, "\n%s:\n%s\nrun's order:\n%s", files[i], rep.text, want);
		CU_ASSERT_PTR_NOT_NULL(strstr(rep.text, "-- schedule: run's (scheduler fifo"));
		sim_xcheck_report_clear(&rep);
	}
	/* The SysV bounded buffer needs woken senders held back to follow run's order. */
	g_autoptr(SimScenario) scn = load("scenarios/sysv/producer-consumer.scn");
	SimXcheckOptions opt = { 0 };
	SimXcheckReport rep = test_xcheck_report(scn, &opt);
	CU_ASSERT_EQUAL(rep.held, 3);
	CU_ASSERT_PTR_NOT_NULL(strstr(rep.text, "3 woken calls held back"));
	sim_xcheck_report_clear(&rep);
}

/* Three 1-byte readers and one write of three bytes: in run's schedule the first woken
 * reader runs only after the writer's next calls, but the kernel's readers go on at once,
 * each waking the next. The run says so and from there lets the woken go first; it still
 * matches. */
static void test_lockstep_where_the_kernel_cannot_follow_it_says_why(void)
{
	g_autoptr(SimScenario) scn = load("scenarios/pipes/readers-order.scn");
	CU_ASSERT_PTR_NOT_NULL_FATAL(scn);
	SimXcheckOptions opt = { .rows = TRUE };
	SimXcheckReport rep = test_xcheck_report(scn, &opt);
	CU_ASSERT_EQUAL(rep.verdict, SIM_XCHECK_MATCH);
	CU_ASSERT_EQUAL(rep.schedule, SIM_XCHECK_SCHED_RUN_THEN_WOKEN);
	CU_ASSERT_PTR_NOT_NULL(strstr(rep.text, "then woken first"));
	CU_ASSERT_PTR_NOT_NULL(strstr(rep.text, "woken to look again"));
	CU_ASSERT_PTR_NOT_NULL(strstr(rep.text, "the kernel's processes go on at once"));
	/* Up to there the rows are run's. */
	g_autofree char *want = run_order(scn);
	g_autofree char *got = rows_order(rep.text);
	CU_ASSERT_TRUE(strncmp(got, want, 40) == 0);
	CU_ASSERT_STRING_NOT_EQUAL(got, want);
	sim_xcheck_report_clear(&rep);
}

/* A wrong expectation fails in the model and on the kernel alike: every call matches, and
 * the verdict says the expectation failed, on both sides. */
static void test_lockstep_a_failed_expectation_fails_the_crosscheck(void)
{
	g_autoptr(SimScenario) scn = test_scn_load("t.scn", "sysv queue q key=0x1240 perm=0600\n"
					   "process p { msgsnd q \"hi\" size=2 }\n"
					   "process r start=1ms { msgrcv q size=8 -> m }\n"
					   "expect r received [1 \"ho\"]\n"
					   "expect q qnum=0\n");
	CU_ASSERT_PTR_NOT_NULL_FATAL(scn);
	SimXcheckOptions opt = { 0 };
	SimXcheckReport rep = test_xcheck_report(scn, &opt);
	CU_ASSERT_EQUAL(rep.mismatches, 0);
	CU_ASSERT_EQUAL(rep.verdict, SIM_XCHECK_EXPECT_FAILED);
	CU_ASSERT_EQUAL(rep.expect_failed_model, 1);
	CU_ASSERT_EQUAL(rep.expect_failed_kernel, 1);
	CU_ASSERT_PTR_NOT_NULL(strstr(rep.text, "-- expect (line 4) FAILS in the model and on "
						"the kernel: model: received [1 \"hi\" from p]; "
						"kernel: received [1 \"hi\" from p]"));
	CU_ASSERT_PTR_NOT_NULL(strstr(rep.text, ": EXPECTATION FAILED\n"));
	sim_xcheck_report_clear(&rep);
}

/* The kernel is made to answer a read the model blocks (the call goes nonblocking): the
 * expectation that it blocked holds in the model and fails on the kernel, and the report
 * says so, next to the mismatch. */
static void test_lockstep_an_expectation_is_checked_on_the_kernels_results(void)
{
	g_autoptr(SimScenario) scn = test_scn_load("t.scn", "process a {\n"
					   "    pipe -> p\n"
					   "    @r read p.r size=8\n"
					   "}\n"
					   "process b start=1ms { }\n"
					   "expect @r blocked\n"
					   "expect b exit=0\n");
	CU_ASSERT_PTR_NOT_NULL_FATAL(scn);
	SimXcheckOptions opt = { .skew = 2 };
	SimXcheckReport rep = test_xcheck_report(scn, &opt);
	CU_ASSERT_EQUAL(rep.verdict, SIM_XCHECK_MISMATCH);
	CU_ASSERT_EQUAL(rep.expect_failed_model, 0);
	CU_ASSERT_EQUAL(rep.expect_failed_kernel, 1);
	CU_ASSERT_PTR_NOT_NULL(strstr(rep.text, "-- expect (line 6) FAILS on the kernel: model: "
						"blocked, never returned; kernel: EAGAIN"));
	CU_ASSERT_PTR_NOT_NULL(strstr(rep.text, "-- expectations: 2, 0 failed in the model, 1 "
						"on the kernel\n"));
	sim_xcheck_report_clear(&rep);
}

/* A rendezvous mailbox has no kernel counterpart, the pipe and the processes do: the
 * mailbox's calls run in the model only, the rest is cross-checked, and the report counts
 * and names what was left out. What a left-out call gave is checked in the model only. */
static void test_lockstep_a_mixed_scenario_is_checked_in_part(void)
{
	g_autoptr(SimScenario) scn = test_scn_load("t.scn", "mailbox R capacity=0\n"
					   "process a {\n"
					   "    pipe -> p\n"
					   "    fork b {\n"
					   "        read p.r size=4 -> m\n"
					   "        @go send R \"go\"\n"
					   "    }\n"
					   "    write p.w \"ping\"\n"
					   "    @rv receive R -> x\n"
					   "    wait b\n"
					   "}\n"
					   "expect b received [\"ping\"]\n"
					   "expect a received [\"go\"]\n"
					   "expect @go ok\n");
	CU_ASSERT_PTR_NOT_NULL_FATAL(scn);
	SimXcheckOptions opt = { .rows = TRUE };
	SimXcheckReport rep = test_xcheck_report(scn, &opt);
	CU_ASSERT_EQUAL(rep.verdict, SIM_XCHECK_MATCH);
	CU_ASSERT_EQUAL(rep.left_out, 2);
	CU_ASSERT_EQUAL(rep.calls, 5); /* pipe, fork, write, read, wait */
	CU_ASSERT_PTR_NOT_NULL(strstr(rep.text, "| b | read (line 5) | ok 4 \"ping\" | "
						"ok 4 \"ping\" | yes |"));
	CU_ASSERT_PTR_NULL(strstr(rep.text, "(line 6)"));
	CU_ASSERT_PTR_NOT_NULL(strstr(rep.text, "-- left out: 2 calls the kernel cannot "
						"replay here, run in the model only: mailbox R: "
						"a capacity-0 (rendezvous) mailbox has no kernel "
						"counterpart\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(rep.text, "-- expectations: 3, 0 failed in the model, 0 "
						"on the kernel (some checked in the model only"));
	sim_xcheck_report_clear(&rep);
}

/* Nothing but the rendezvous: nothing can be checked, and the run says so before any real
 * process starts. */
static void test_lockstep_with_nothing_to_check_it_says_so(void)
{
	g_autoptr(SimScenario) scn = test_scn_load("t.scn", "mailbox R capacity=0\n"
					   "process a { send R \"x\" }\n"
					   "process b { receive R }\n");
	CU_ASSERT_PTR_NOT_NULL_FATAL(scn);
	SimXcheckOptions opt = { 0 };
	SimXcheckReport rep = test_xcheck_report(scn, &opt);
	CU_ASSERT_EQUAL(rep.verdict, SIM_XCHECK_NOT_CHECKABLE);
	CU_ASSERT_PTR_NOT_NULL(strstr(rep.text, "not cross-checkable: no call has a kernel "
						"counterpart (mailbox R: a capacity-0"));
	sim_xcheck_report_clear(&rep);
}

/* A Markdown cell: what would end it or change what follows is escaped, bytes that do not
 * print are written \xNN, printable UTF-8 stays. */
static void test_lockstep_a_markdown_cell_is_escaped(void)
{
	static const struct {
		const char *in, *out;
	} cases[] = {
		{ "ok 3 \"a|b\"", "ok 3 \"a\\|b\"" },
		{ "`x`", "\\`x\\`" },
		{ "a\nb\rc\td", "a\\nb\\rc\\td" },
		{ "\x01\x7f", "\\x01\\x7f" },
		{ "back\\slash <tag>", "back\\\\slash \\<tag>" },
		{ "caf\xc3\xa9", "caf\xc3\xa9" },
		{ "bad \xff\xc3", "bad \\xff\\xc3" },
	};
	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autoptr(GString) s = g_string_new(NULL);
		xc_md_cell(s, cases[i].in);
		CU_ASSERT_STRING_EQUAL(s->str, cases[i].out);
	}
}

/* The rows name the real call a worker made (mq_send for a mailbox's send, pipe2, waitpid,
 * openat), and a text with a table's own characters does not break its row. */
static void test_lockstep_rows_name_the_real_call_and_escape_texts(void)
{
	g_autoptr(SimScenario) scn = test_scn_load("t.scn", "mailbox m capacity=2\n"
					   "process a {\n"
					   "    pipe -> p\n"
					   "    write p.w \"x|y`z\\n\\001\"\n"
					   "    read p.r size=16 -> d\n"
					   "    send m \"hi\"\n"
					   "    receive m -> r\n"
					   "    fork c { }\n"
					   "    wait c\n"
					   "}\n");
	CU_ASSERT_PTR_NOT_NULL_FATAL(scn);
	SimXcheckOptions opt = { .rows = TRUE };
	SimXcheckReport rep = test_xcheck_report(scn, &opt);
	CU_ASSERT_EQUAL(rep.verdict, SIM_XCHECK_MATCH);
	static const char *const rows[] = {
		"| 1 | a | pipe2 (line 3) | ok 3 wfd=4 |",
		"| a | read (line 5) | ok 7 \"x\\|y\\`z\\\\n\\\\x01\" | ok 7 \"x\\|y\\`z\\\\n\\\\x01\" "
		"| yes |",
		"| a | mq_send (line 6) | ok 0 | ok 0 | yes |",
		"| a | mq_receive (line 7) | ok 2 \"hi\" |",
		"| a | waitpid (line 9) |",
	};
	for (guint i = 0; i < G_N_ELEMENTS(rows); i++) {
		CU_ASSERT_PTR_NOT_NULL(strstr(rep.text, rows[i]));
		if (!strstr(rep.text, rows[i]))
			fprintf(stderr, "\nno row %s in\n%s", rows[i], rep.text);
	}
	/* Every row has its six cells: no '|' of a text ends one early. */
	g_auto(GStrv) lines = test_split_lines(rep.text);
	for (guint i = 0; lines[i]; i++) {
		if (!g_str_has_prefix(lines[i], "| "))
			continue;
		guint bars = 0;
		for (const char *c = lines[i]; *c; c++)
			bars += *c == '|' && (c == lines[i] || c[-1] != '\\');
		CU_ASSERT_EQUAL(bars, 7);
	}
	sim_xcheck_report_clear(&rep);
}

/* The random scheduler: a receive wakes both blocked producers, producer0 runs at once
 * (no event between) and sends, producer1 runs after it and finds the queue full again.
 * The plan holds producer1 back at every such receive, producer0's immediate run counting
 * as a call before producer1's; and the kernel then follows, run after run. */
static void test_lockstep_a_sender_woken_second_is_held_back(void)
{
	static const char *const text =
		"scheduler random\n"
		"sysv queue jobs key=0x8001 perm=0600\n"
		"sysctl msgmnb=64\n"
		"process producer[2] {\n"
		"    repeat 3 as i {\n"
		"        msgsnd jobs type=1 \"order $index.$i\" size=16\n"
		"        msgsnd jobs type=2 \"invoice $index.$i\" size=16\n"
		"    }\n"
		"}\n"
		"process orders { repeat 6 { msgrcv jobs type=1 size=16 -> job  compute 20us } }\n"
		"process invoices { repeat 6 { msgrcv jobs type=2 size=16 -> job  compute 50us } "
		"}\n";
	g_autoptr(SimScenario) scn = test_scn_load("t.scn", text);
	CU_ASSERT_PTR_NOT_NULL_FATAL(scn);
	SimWorldOptions wo = { .seed = 3, .seed_set = TRUE };
	XPlan plan;
	xc_plan_make(scn, &wo, NULL, &plan);
	CU_ASSERT_EQUAL(plan.diverge, 0);
	CU_ASSERT_EQUAL_FATAL(plan.holds->len, 3);
	static const guint at[] = { 11, 13, 17 };
	for (guint i = 0; i < 3; i++) {
		CU_ASSERT_EQUAL(g_array_index(plan.holds, XHold, i).at, at[i]);
		CU_ASSERT_EQUAL(g_array_index(plan.holds, XHold, i).task, 1);
	}
	xc_plan_clear(&plan);
	for (guint i = 0; i < 5; i++) {
		SimXcheckOptions opt = { .seed = 3, .seed_set = TRUE };
		SimXcheckReport rep = test_xcheck_report(scn, &opt);
		CU_ASSERT_EQUAL(rep.verdict, SIM_XCHECK_MATCH);
		CU_ASSERT_EQUAL(rep.held, 3);
		sim_xcheck_report_clear(&rep);
	}
}

/* ---- A stop signal while a worker is held back ---- */

/* A woken sender is held (stopped) while its waker's process computes for 100 model ms,
 * two real seconds at the pace of a timed scenario: SIGTERM and SIGINT then end the run,
 * the held worker dies with the others, and nothing of the run is left. */
static void test_lockstep_a_stop_signal_while_a_call_is_held_leaves_nothing(void)
{
	static const char text[] = "sysv queue q key=0x1270 perm=0600\n"
				   "sysctl msgmnb=16\n"
				   "posix queue \"/k\"\n"
				   "process filler { msgsnd q \"0123456789abcdef\" size=16 }\n"
				   "process S start=1ms { msgsnd q \"x\" size=1 }\n"
				   "process r start=2ms {\n"
				   "    msgrcv q size=16 -> a\n"
				   "    msgrcv q size=16 nowait -> b\n"
				   "    compute 100ms\n"
				   "    mq_receive \"/k\" timeout=1ms\n"
				   "}\n";
	static const int sigs[] = { SIGTERM, SIGINT };
	for (guint k = 0; k < G_N_ELEMENTS(sigs); k++) {
		g_autoptr(GArray) pids = g_array_new(FALSE, FALSE, sizeof(pid_t));
		gboolean held;
		pid_t top = test_crosscheck_until(text, 'T', pids, &held);
		CU_ASSERT_TRUE(held);
		pid_t coord = pids->len > 1 ? g_array_index(pids, pid_t, 1) : -1;
		kill(top, sigs[k]);
		int st = 0;
		CU_ASSERT_EQUAL(waitpid(top, &st, 0), top);
		CU_ASSERT_TRUE(WIFEXITED(st) && WEXITSTATUS(st) == 128 + sigs[k]);
		for (guint i = 1; i < pids->len; i++) {
			pid_t p = g_array_index(pids, pid_t, i);
			gboolean gone = FALSE;
			for (int tries = 0; tries < 200 && !gone; tries++, g_usleep(5000))
				gone = kill(p, 0) < 0 && errno == ESRCH;
			CU_ASSERT_TRUE(gone);
			if (!gone)
				kill(p, SIGKILL);
		}
		g_autofree char *prefix = g_strdup_printf("msgsim-real-%d-", (int)coord);
		DIR *d = opendir(g_get_tmp_dir());
		CU_ASSERT_PTR_NOT_NULL_FATAL(d);
		struct dirent *e;
		while ((e = readdir(d)))
			CU_ASSERT_FALSE(g_str_has_prefix(e->d_name, prefix));
		closedir(d);
	}
}

CU_TestInfo lockstep_tests[] = {
	{ "rows follow run's schedule", test_lockstep_rows_follow_runs_schedule },
	{ "a sender woken second is held back", test_lockstep_a_sender_woken_second_is_held_back },
	{ "where the kernel cannot follow it says why",
	  test_lockstep_where_the_kernel_cannot_follow_it_says_why },
	{ "a failed expectation fails the crosscheck",
	  test_lockstep_a_failed_expectation_fails_the_crosscheck },
	{ "an expectation is checked on the kernel's results",
	  test_lockstep_an_expectation_is_checked_on_the_kernels_results },
	{ "a mixed scenario is checked in part",
	  test_lockstep_a_mixed_scenario_is_checked_in_part },
	{ "with nothing to check it says so", test_lockstep_with_nothing_to_check_it_says_so },
	{ "a stop signal while a call is held leaves nothing",
	  test_lockstep_a_stop_signal_while_a_call_is_held_leaves_nothing },
	{ "a markdown cell is escaped", test_lockstep_a_markdown_cell_is_escaped },
	{ "rows name the real call and escape texts",
	  test_lockstep_rows_name_the_real_call_and_escape_texts },
	CU_TEST_INFO_NULL,
};
