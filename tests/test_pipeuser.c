/* test_pipeuser.c — fs/pipe.c's per-user page accounting (sim/kernel/pipeuser.c) and its use
 * by pipe, a FIFO's open and F_SETPIPE_SZ. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "msgsim/kernel/pipeuser.h"
#include "msgsim/lang/scn.h"
#include "msgsim/real/xcheck.h"
#include "tests.h"

static void test_pipeuser_soft_limit_gives_two_pages_and_hard_refuses(void)
{
	SimPipeUsers u;
	sim_pipe_users_init(&u, 20, 24);
	CU_ASSERT_EQUAL(sim_pipe_users_alloc(&u, 7, FALSE, 16), 16);
	/* 32 > 20: two pages instead, 18 in all */
	CU_ASSERT_EQUAL(sim_pipe_users_alloc(&u, 7, FALSE, 16), SIM_PIPE_MIN_DEF_BUFFERS);
	CU_ASSERT_EQUAL(sim_pipe_users_total(&u, 7), 18);
	CU_ASSERT_EQUAL(sim_pipe_users_alloc(&u, 7, FALSE, 16), 2); /* 20 */
	CU_ASSERT_EQUAL(sim_pipe_users_alloc(&u, 7, FALSE, 16), 2); /* 22: within hard */
	CU_ASSERT_EQUAL(sim_pipe_users_alloc(&u, 7, FALSE, 16), 2); /* 24 */
	CU_ASSERT_EQUAL(sim_pipe_users_alloc(&u, 7, FALSE, 16), 0); /* 26 > 24: refused */
	CU_ASSERT_EQUAL(sim_pipe_users_total(&u, 7), 24);	    /* and nothing charged */
	/* Another user has an account of its own; the privileged are never shrunk. */
	CU_ASSERT_EQUAL(sim_pipe_users_alloc(&u, 8, FALSE, 16), 16);
	CU_ASSERT_EQUAL(sim_pipe_users_alloc(&u, 7, TRUE, 16), 16);
	CU_ASSERT_EQUAL(sim_pipe_users_total(&u, 7), 40);
	sim_pipe_users_free(&u, 7, 16);
	CU_ASSERT_EQUAL(sim_pipe_users_total(&u, 7), 24);
	sim_pipe_users_clear(&u);
}

static void test_pipeuser_zero_limits_are_no_limits(void)
{
	SimPipeUsers u;
	sim_pipe_users_init(&u, 0, 0);
	for (int i = 0; i < 100; i++)
		CU_ASSERT_EQUAL(sim_pipe_users_alloc(&u, 1, FALSE, 16), 16);
	CU_ASSERT_EQUAL(sim_pipe_users_resize(&u, 1, FALSE, 16, 256), 0);
	sim_pipe_users_clear(&u);
}

static void test_pipeuser_resize_refuses_growth_above_either_limit_only(void)
{
	SimPipeUsers u;
	sim_pipe_users_init(&u, 20, 0);
	CU_ASSERT_EQUAL(sim_pipe_users_alloc(&u, 3, FALSE, 16), 16);
	CU_ASSERT_EQUAL(sim_pipe_users_resize(&u, 3, FALSE, 16, 32), EPERM);
	CU_ASSERT_EQUAL(sim_pipe_users_total(&u, 3), 16); /* reverted */
	CU_ASSERT_EQUAL(sim_pipe_users_resize(&u, 3, TRUE, 16, 32), 0);
	CU_ASSERT_EQUAL(sim_pipe_users_total(&u, 3), 32);
	/* Above the limit now, shrinking is still allowed. */
	CU_ASSERT_EQUAL(sim_pipe_users_resize(&u, 3, FALSE, 32, 24), 0);
	CU_ASSERT_EQUAL(sim_pipe_users_total(&u, 3), 24);
	sim_pipe_users_clear(&u);
}

static void test_pipeuser_pipe_enfile_comes_before_emfile_and_fifo_gets_enomem(void)
{
	TestRun r = test_run_text("sysctl pipe_user_pages_soft=0 pipe_user_pages_hard=20\n"
				  "process p uid=5 rlimit_nofile=6 {\n"
				  "  pipe -> a\n"
				  "  @nfile pipe -> b\n" /* 5 and 6: EMFILE too, but ENFILE first */
				  "  @grow fcntl a.r setpipe_sz=131072\n"
				  "  mkfifo \"/f\"\n"
				  "  @nomem open \"/f\" rdwr\n"
				  "  @shrink fcntl a.r setpipe_sz=4096\n"
				  "  @fifo open \"/f\" rdwr\n"
				  "}\n"
				  "expect @nfile errno=ENFILE\nexpect @grow errno=EPERM\n"
				  "expect @nomem errno=ENOMEM\nexpect @shrink ret=4096\n"
				  "expect @fifo ok\n",
				  TRUE, NULL);
	CU_ASSERT_EQUAL(r.verdict.failed, 0);
	CU_ASSERT_EQUAL(r.verdict.passed, 5);
	if (r.verdict.failed)
		fprintf(stderr, "\n%s\n", r.out);
	test_run_free(&r);
}

static void test_pipeuser_setting_the_limits_is_not_cross_checkable(void)
{
	const char *text = "sysctl pipe_user_pages_hard=100\nprocess p { pipe -> a }\n";
	GError *err = NULL;
	g_autoptr(SimScenario) scn = sim_scn_parse("t.scn", text, strlen(text), &err);
	CU_ASSERT_PTR_NOT_NULL_FATAL(scn);
	CU_ASSERT_TRUE(scn->limits.pipe_user_set);
	CU_ASSERT_EQUAL(scn->limits.pipe_user_pages_soft, 16384);
	CU_ASSERT_EQUAL(scn->limits.pipe_user_pages_hard, 100);
	g_autofree char *why = sim_xcheck_unsupported(scn);
	/* The machine's hard limit is 0 (none) out of the box: not 100. */
	CU_ASSERT(why && strstr(why, "fs.pipe-user-pages-soft and -hard are") != NULL);
}

CU_TestInfo pipeuser_tests[] = {
	{ "soft limit gives two pages and hard refuses",
	  test_pipeuser_soft_limit_gives_two_pages_and_hard_refuses },
	{ "zero limits are no limits", test_pipeuser_zero_limits_are_no_limits },
	{ "resize refuses growth above either limit only",
	  test_pipeuser_resize_refuses_growth_above_either_limit_only },
	{ "pipe ENFILE comes before EMFILE and a FIFO gets ENOMEM",
	  test_pipeuser_pipe_enfile_comes_before_emfile_and_fifo_gets_enomem },
	{ "setting the limits is not cross-checkable",
	  test_pipeuser_setting_the_limits_is_not_cross_checkable },
	CU_TEST_INFO_NULL,
};
