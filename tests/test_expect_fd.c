/* test_expect_fd.c — `expect P fd D mq_flags=` and `expect pipe NAME readers= writers=`: how
 * they parse, what they read at the end of a run, and what a failure says it saw.
 *
 * mq_flags belong to the open file description: a forked child shares it, so a change in
 * one process shows in the other, and a process that exited is judged on its descriptor as
 * it was just before the exit. Holders are the live processes with a descriptor of an end.
 */
#include <string.h>

#include "tests.h"

/* Runs text and returns whether expectation i held, with what it saw in `seen`. */
static gboolean seen_of(const char *text, guint i, GString *seen)
{
	TestRun r = test_run_text(text, FALSE, NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(r.scn);
	CU_ASSERT_TRUE_FATAL(i < r.scn->n_expects);
	g_string_truncate(seen, 0);
	gboolean ok = sim_report_expectation(r.w, &r.scn->expects[i], seen);
	test_run_free(&r);
	return ok;
}

static void test_expect_fd_mq_flags_follow_the_shared_description(void)
{
	g_autoptr(GString) seen = g_string_new(NULL);
	const char *text = "process p {\n"
			   "  mq_open \"/f\" create rdwr -> q  mq_open \"/f\" rdonly -> own\n"
			   "  fork c { mq_setattr q flags=0x800 }\n"
			   "  wait c  mq_unlink \"/f\"\n"
			   "  sleep 1ms\n"
			   "}\n"
			   "process w { sleep 100us }\n"
			   "expect p fd q mq_flags=nonblock\n"
			   "expect c fd q mq_flags=0x800\n"
			   "expect p fd own mq_flags=0\n"
			   "expect p fd q mq_flags=0\n"
			   "expect p fd 9 mq_flags=0\n"
			   "expect w fd 3 mq_flags=0\n";
	CU_ASSERT_TRUE(seen_of(text, 0, seen));
	CU_ASSERT_STRING_EQUAL(seen->str, "fd 3 mq_flags=nonblock when it exited");
	CU_ASSERT_TRUE(seen_of(text, 1, seen));
	CU_ASSERT_TRUE(seen_of(text, 2, seen));
	CU_ASSERT_STRING_EQUAL(seen->str, "fd 4 mq_flags=0 when it exited");
	CU_ASSERT_FALSE(seen_of(text, 3, seen));
	CU_ASSERT_FALSE(seen_of(text, 4, seen));
	CU_ASSERT_STRING_EQUAL(seen->str, "fd 9 was not open when it exited");
	CU_ASSERT_FALSE(seen_of(text, 5, seen));
	CU_ASSERT_STRING_EQUAL(seen->str, "fd 3 was not open when it exited");
}

static void test_expect_fd_mq_flags_of_a_live_process(void)
{
	/* p never exits (it waits on an empty mailbox): its descriptors are read at the end. */
	g_autoptr(GString) seen = g_string_new(NULL);
	const char *text = "mailbox box\n"
			   "process p {\n"
			   "  mq_open \"/g\" create rdwr nonblock -> q  pipe -> pp\n"
			   "  receive box\n"
			   "}\n"
			   "expect deadlock\n"
			   "expect p fd q mq_flags=nonblock\n"
			   "expect p fd 4 mq_flags=0\n";
	CU_ASSERT_TRUE(seen_of(text, 1, seen));
	CU_ASSERT_STRING_EQUAL(seen->str, "fd 3 mq_flags=nonblock");
	CU_ASSERT_FALSE(seen_of(text, 2, seen));
	CU_ASSERT_STRING_EQUAL(seen->str, "fd 4 was a pipe end, not a POSIX queue");
}

static void test_expect_fd_pipe_holders_are_the_live_processes(void)
{
	g_autoptr(GString) seen = g_string_new(NULL);
	const char *text = "mailbox box\n"
			   "process p {\n"
			   "  pipe -> pp\n"
			   "  fork c { close pp.r  receive box }\n"
			   "  fork d { close pp.w }\n"
			   "  close pp.w  receive box\n"
			   "}\n"
			   "process other { pipe -> pp  close pp.r }\n"
			   "expect deadlock\n"
			   "expect pipe pp readers=[p] writers=[c]\n"
			   "expect pipe pp readers=1 writers=1\n"
			   "expect pipe p pp readers=[c, p]\n"
			   "expect pipe other pp readers=0 writers=0\n"
			   "expect pipe c pp writers=0\n";
	CU_ASSERT_TRUE(seen_of(text, 1, seen));
	CU_ASSERT_STRING_EQUAL(seen->str, "readers=[p] writers=[c]");
	CU_ASSERT_TRUE(seen_of(text, 2, seen));
	CU_ASSERT_FALSE(seen_of(text, 3, seen));
	CU_ASSERT_TRUE(seen_of(text, 4, seen)); /* other exited: it holds nothing */
	CU_ASSERT_FALSE(seen_of(text, 5, seen));
	CU_ASSERT_STRING_EQUAL(seen->str, "c made no pipe into 'pp'");
}

static void test_expect_fd_fifo_holders_by_path(void)
{
	g_autoptr(GString) seen = g_string_new(NULL);
	const char *text = "process k {\n"
			   "  mkfifo \"/tmp/ff\"  open \"/tmp/ff\" rdwr -> f  read f\n"
			   "}\n"
			   "expect deadlock\n"
			   "expect pipe \"/tmp/ff\" readers=[k] writers=[k]\n"
			   "expect pipe \"/tmp/other\" readers=0 writers=0\n"
			   "expect pipe \"/tmp/ff\" writers=0\n";
	CU_ASSERT_TRUE(seen_of(text, 1, seen));
	CU_ASSERT_TRUE(seen_of(text, 2, seen));
	CU_ASSERT_FALSE(seen_of(text, 3, seen));
	CU_ASSERT_STRING_EQUAL(seen->str, "readers=[k] writers=[k]");
}

static void test_expect_fd_report_lines_say_what_was_written(void)
{
	g_autofree char *out = test_run_output("mailbox box\n"
					       "process p { mq_open \"/h\" create rdwr -> q  pipe -> pp"
					       "  receive box }\n"
					       "expect deadlock\n"
					       "expect p fd q mq_flags=0\n"
					       "expect pipe pp readers=[p] writers=2\n",
					       SIM_TRACE_TEXT, TRUE, NULL, NULL);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "PASS: p fd q mq_flags=0\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "FAIL: pipe pp readers=[p] writers=2; seen: "
					   "readers=[p] writers=[p]\n"));
}

static void test_expect_fd_parse_errors_say_what_was_expected(void)
{
	static const char head[] = "mailbox box\nprocess p { mq_open \"/q\" create rdwr -> q  "
				   "pipe -> pp  receive box -> m }\n";
	static const struct {
		const char *text, *message;
	} cases[] = {
		{ "expect p fd", "t.scn:4:1: error: expected a descriptor (a variable or a "
				 "number) after 'expect p fd', found end of file" },
		{ "expect p fd q", "t.scn:4:1: error: expected mq_flags=nonblock or mq_flags=0 "
				   "after the descriptor, found end of file" },
		{ "expect p fd q mq_flags=3",
		  "t.scn:3:24: error: bad mq_flags '3': mq_getattr shows only O_NONBLOCK "
		  "(expected nonblock, 0x800 or 0)" },
		{ "expect p fd zz mq_flags=0",
		  "t.scn:3:13: error: process 'p' has no variable 'zz' (expected a variable set "
		  "by 'mq_open ... -> zz', or a descriptor number)" },
		{ "expect p fd pp mq_flags=0",
		  "t.scn:3:13: error: variable 'pp' of process 'p' holds a pipe, not a "
		  "descriptor (expected a variable set by 'mq_open ... -> pp')" },
		{ "expect pipe pp", "t.scn:4:1: error: expected readers=[PROC, ...] or writers=N "
				    "after 'expect pipe pp', found end of file" },
		{ "expect pipe pp readers=[p p]", "t.scn:3:27: error: expected ',' or ']' in the "
						  "list after 'readers=', found 'p'" },
		{ "expect pipe pp readers=[p, p]",
		  "t.scn:3:28: error: process 'p' is listed twice in readers=[...]" },
		{ "expect pipe pp readers=[p, nobody]",
		  "t.scn:3:28: error: unknown process 'nobody' in readers=[...] (expected a "
		  "process name)" },
		{ "expect pipe pp readers=[box]",
		  "t.scn:3:25: error: no process is named 'box' in readers=[...] (expected a "
		  "process name)" },
		{ "expect pipe q readers=0",
		  "t.scn:3:13: error: no process makes a pipe into 'q' (expected the variable of "
		  "a 'pipe -> q', or a FIFO's \"path\")" },
		{ "expect pipe p q readers=0",
		  "t.scn:3:15: error: process 'p' makes no pipe into 'q' (expected the variable "
		  "of a 'pipe -> q' in its body)" },
		{ "expect pipe pp readers=1 readers=2", "t.scn:3:26: error: repeated 'readers='" },
		{ "expect pipe \"\" readers=0",
		  "t.scn:3:13: error: empty FIFO path after 'expect pipe'" },
	};
	for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autofree char *text = g_strconcat(head, cases[i].text, "\n", NULL);
		g_autoptr(GError) error = NULL;
		g_autoptr(SimScenario) scn = sim_scn_parse("t.scn", text, strlen(text), &error);
		CU_ASSERT_PTR_NULL(scn);
		CU_ASSERT_PTR_NOT_NULL_FATAL(error);
		CU_ASSERT_STRING_EQUAL(error->message, cases[i].message);
		if (strcmp(error->message, cases[i].message) != 0)
			fprintf(stderr, "\n    want %s\n    got  %s\n", cases[i].message,
				error->message);
	}
}

static void test_expect_fd_a_process_named_pipe_keeps_its_expectations(void)
{
	g_autoptr(GString) seen = g_string_new(NULL);
	const char *text = "process pipe { pipe -> p }\n"
			   "expect pipe exit=0\n"
			   "expect pipe state=exited\n"
			   "expect pipe p readers=0 writers=0\n";
	CU_ASSERT_TRUE(seen_of(text, 0, seen));
	CU_ASSERT_TRUE(seen_of(text, 1, seen));
	CU_ASSERT_TRUE(seen_of(text, 2, seen));
}

CU_TestInfo expect_fd_tests[] = {
	{ "mq_flags follow the shared description",
	  test_expect_fd_mq_flags_follow_the_shared_description },
	{ "mq_flags of a live process", test_expect_fd_mq_flags_of_a_live_process },
	{ "pipe holders are the live processes",
	  test_expect_fd_pipe_holders_are_the_live_processes },
	{ "FIFO holders by path", test_expect_fd_fifo_holders_by_path },
	{ "report lines say what was written",
	  test_expect_fd_report_lines_say_what_was_written },
	{ "parse errors say what was expected",
	  test_expect_fd_parse_errors_say_what_was_expected },
	{ "a process named pipe keeps its expectations",
	  test_expect_fd_a_process_named_pipe_keeps_its_expectations },
	CU_TEST_INFO_NULL,
};
