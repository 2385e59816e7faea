/* test_mqattr.c — mq_setattr with the whole struct mq_attr (sim/calls/call_posix.c): the
 * kernel reads mq_flags alone, refuses any flag but O_NONBLOCK before it looks at the
 * descriptor, and gives back the old attributes. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "msgsim/lang/scn.h"
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

CU_TestInfo mqattr_tests[] = {
	{ "setattr ignores all but O_NONBLOCK", test_mqattr_setattr_ignores_all_but_o_nonblock },
	{ "setattr other flags are EINVAL before EBADF",
	  test_mqattr_setattr_other_flags_are_einval_before_ebadf },
	{ "the word form traces as before", test_mqattr_the_word_form_traces_as_before },
	{ "setattr parse errors", test_mqattr_setattr_parse_errors },
	CU_TEST_INFO_NULL,
};
