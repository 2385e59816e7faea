/* test_mqattr.c — mq_setattr with the whole struct mq_attr (sim/calls/call_posix.c): the
 * kernel reads mq_flags alone, refuses any flag but O_NONBLOCK before it looks at the
 * descriptor, and gives back the old attributes; and mq_notify's SIGEV_THREAD. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "msgsim/lang/scn.h"
#include "msgsim/real/xcheck.h"
#include "tests.h"

static TestRun run_passing(const char *text, guint n_expects)
{
	TestRun r = test_run_text(text, TRUE, NULL);
	if (r.verdict.failed != 0 || r.verdict.passed != n_expects)
		fprintf(stderr, "\n%s\n", r.out);
	CU_ASSERT_EQUAL(r.verdict.failed, 0);
	CU_ASSERT_EQUAL(r.verdict.passed, n_expects);
	return r;
}

static gboolean traced(const TestRun *r, const char *what)
{
	if (strstr(r->out, what))
		return TRUE;
	fprintf(stderr, "\nnot in the trace: %s\n%s\n", what, r->out);
	return FALSE;
}

static void test_mqattr_setattr_ignores_all_but_o_nonblock(void)
{
	TestRun r = run_passing("process p {\n"
				"  mq_open \"/a\" create rdwr maxmsg=3 msgsize=8 -> q\n"
				"  mq_setattr q flags=0x800 maxmsg=1 msgsize=99 curmsgs=5 -> old\n"
				"  @e mq_receive q\n"
				"  mq_setattr q block -> was\n"
				"  assert old == 0\n"
				"  assert was == 2048\n"
				"}\n"
				"expect @e errno=EAGAIN\n"
				"expect \"/a\" maxmsg=3 msgsize=8 curmsgs=0\n",
				4);
	CU_ASSERT(traced(&r, "mq_setattr q flags=0x800 maxmsg=1 msgsize=99 curmsgs=5 -> ok, old: "
			     "flags 0, maxmsg 3, msgsize 8, curmsgs 0"));
	CU_ASSERT(traced(&r, "mq_setattr q flags=0 maxmsg=0 msgsize=0 curmsgs=0 -> ok, old: "
			     "flags O_NONBLOCK, maxmsg 3"));
	test_run_free(&r);
}

static void test_mqattr_setattr_other_flags_are_einval_before_ebadf(void)
{
	TestRun r = run_passing("process p {\n"
				"  mq_open \"/a\" create rdwr -> q\n"
				"  @one mq_setattr q flags=1 -> v\n"
				"  @neg mq_setattr q flags=-2048\n"
				"  @badfd mq_setattr 77 flags=0x40\n"
				"  @ebadf mq_setattr 77 flags=0x800\n"
				"  @pipe mq_setattr 0 nonblock\n"
				"  assert v == -1\n"
				"}\n"
				"expect @one errno=EINVAL\nexpect @neg errno=EINVAL\n"
				"expect @badfd errno=EINVAL\nexpect @ebadf errno=EBADF\n"
				"expect @pipe errno=EBADF\n",
				6);
	test_run_free(&r);
}

static void test_mqattr_the_word_form_traces_as_before(void)
{
	/* Without a field or -> VAR, the trace keeps the nonblock/block line. */
	TestRun r = run_passing("process p {\n"
				"  mq_open \"/a\" create rdwr -> q\n"
				"  @n mq_setattr q nonblock\n"
				"}\n"
				"expect @n ok\n",
				1);
	CU_ASSERT(traced(&r, "mq_setattr q nonblock -> ok [/a: 0 msgs, 0 bytes]"));
	test_run_free(&r);
}

static void test_mqattr_setattr_parse_errors(void)
{
	static const struct {
		const char *text, *message;
	} cases[] = {
		{ "process p { mq_open \"/a\" -> q\n mq_setattr q nonblock flags=0 }\n",
		  "t.scn:2:24: error: 'flags=' after 'nonblock': write one of them" },
		{ "process p { mq_open \"/a\" -> q\n mq_setattr q maxmsg=3 }\n",
		  "t.scn:2:2: error: mq_setattr needs its flags: nonblock, block or flags=N" },
		{ "process p { mq_open \"/a\" -> q\n mq_setattr q flags=x }\n",
		  "t.scn:2:" },
	};
	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		GError *err = NULL;
		SimScenario *scn = sim_scn_parse("t.scn", cases[i].text, strlen(cases[i].text), &err);
		CU_ASSERT_PTR_NULL(scn);
		CU_ASSERT(err && g_str_has_prefix(err->message, cases[i].message));
		if (err && !g_str_has_prefix(err->message, cases[i].message))
			fprintf(stderr, "\ncase %u: %s\n", i, err->message);
		g_clear_error(&err);
		sim_scn_free(scn);
	}
}

static void test_mqattr_notify_thread_starts_once_with_its_value(void)
{
	/* The thread starts when a message enters the empty queue, not before; it has the
	 * registering process's variables as they were then and its sival. */
	TestRun r = run_passing("process p {\n"
				"  mq_open \"/n\" create rdwr -> q\n"
				"  compute 1us\n"
				"  @reg mq_notify q thread t value=-7 {\n"
				"    assert sival == -7\n"
				"    @rcv mq_receive q\n"
				"  }\n"
				"  @early mq_getattr q\n"
				"  mq_send q \"a\"\n"
				"  mq_send q \"b\"\n"
				"  sleep 10us\n"
				"  @left mq_receive q\n"
				"}\n"
				"expect @reg ok\nexpect @rcv ret=1\nexpect @left ret=1\n"
				"expect t exit=0\n",
				5);
	CU_ASSERT(traced(&r, "mq_notify q thread t value=-7 -> ok"));
	CU_ASSERT(traced(&r, "NOTIFY:2     SIGNO:0     NOTIFY_PID:p"));
	/* t starts right at the first send, and only once */
	CU_ASSERT(traced(&r, "mq_send q \"a\" size=1 prio=0 -> ok [/n: 1 msg, 1 bytes]\n"));
	const char *start = strstr(r.out, "t           starts");
	CU_ASSERT(start && !strstr(start + 1, "t           starts"));
	test_run_free(&r);
}

static void test_mqattr_notify_thread_shares_the_owners_descriptors(void)
{
	/* glibc's SIGEV_THREAD function runs in the owner's process: its mq_close closes the
	 * owner's descriptor (a fork's copy would have kept it open). */
	TestRun r = run_passing("process p {\n"
				"  mq_open \"/n\" create rdwr -> q\n"
				"  mq_notify q thread t { mq_close q }\n"
				"  mq_send q \"a\"\n"
				"  sleep 10us\n"
				"  @after mq_getattr q\n"
				"}\n"
				"expect @after errno=EBADF\n",
				1);
	test_run_free(&r);
}

static void test_mqattr_notify_thread_is_refused_in_a_loop_and_cross_checked_otherwise(void)
{
	GError *err = NULL;
	const char *text = "process p { mq_open \"/n\" create -> q\n"
			   " repeat 2 { mq_notify q thread t { } } }\n";
	SimScenario *scn = sim_scn_parse("t.scn", text, strlen(text), &err);
	CU_ASSERT_PTR_NULL(scn);
	CU_ASSERT(err && strstr(err->message, "inside a repeat or loop"));
	g_clear_error(&err);
	text = "process p { mq_open \"/n\" create -> q\n mq_notify q thread t { } }\n";
	scn = sim_scn_parse("t.scn", text, strlen(text), &err);
	CU_ASSERT_PTR_NOT_NULL_FATAL(scn);
	g_autofree char *why = sim_xcheck_unsupported(scn); /* test_xcnotify.c has the rest */
	CU_ASSERT_PTR_NULL(why);
	sim_scn_free(scn);
}

CU_TestInfo mqattr_tests[] = {
	{ "notify thread starts once with its value",
	  test_mqattr_notify_thread_starts_once_with_its_value },
	{ "notify thread shares the owner's descriptors",
	  test_mqattr_notify_thread_shares_the_owners_descriptors },
	{ "notify thread is refused in a loop and cross-checked otherwise",
	  test_mqattr_notify_thread_is_refused_in_a_loop_and_cross_checked_otherwise },
	{ "setattr ignores all but O_NONBLOCK", test_mqattr_setattr_ignores_all_but_o_nonblock },
	{ "setattr other flags are EINVAL before EBADF",
	  test_mqattr_setattr_other_flags_are_einval_before_ebadf },
	{ "the word form traces as before", test_mqattr_the_word_form_traces_as_before },
	{ "setattr parse errors", test_mqattr_setattr_parse_errors },
	CU_TEST_INFO_NULL,
};
