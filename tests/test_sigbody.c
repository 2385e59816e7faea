/* test_sigbody.c — handler bodies (`on SIGNAME handler { BODY }`) and the siginfo they read:
 * when a body runs against the call the signal interrupted, what si.* holds for each kind of
 * sender, the handled signal blocked while its body runs, the body's own variables, and
 * the statements a body may not hold.
 */
#include <string.h>

#include "msgsim/lang/scn.h"
#include "tests.h"

/* Runs `text`; every one of its n_expects expectations must hold. */
static void expect_passing(const char *text, guint n_expects)
{
	TestRun r = test_run_text(text, TRUE, NULL);
	if (r.verdict.failed != 0 || r.verdict.passed != n_expects)
		fprintf(stderr, "\n%s\n", r.out);
	CU_ASSERT_EQUAL(r.verdict.failed, 0);
	CU_ASSERT_EQUAL(r.verdict.passed, n_expects);
	test_run_free(&r);
}

/* The error text of a scenario that must not parse contains `want`. */
static void expect_error(const char *text, const char *want)
{
	g_autoptr(GError) error = NULL;
	SimScenario *scn = sim_scn_parse("x.scn", text, strlen(text), &error);
	CU_ASSERT_PTR_NULL(scn);
	CU_ASSERT_PTR_NOT_NULL(error);
	if (error && !strstr(error->message, want))
		fprintf(stderr, "\n  got: %s\n  want: %s\n", error->message, want);
	CU_ASSERT(error && strstr(error->message, want));
	if (scn)
		sim_scn_free(scn);
}

static void test_sigbody_kill_gives_si_user_from_the_sender(void)
{
	/* The body runs before the restarted read starts over: it sees the kill's siginfo,
	 * and the read then gets the kid's byte. */
	expect_passing("process main {\n"
		       "  on SIGUSR1 handler {\n"
		       "    assert si.signo == 10 && si.code == 0 && si.pid == 101 && si.uid == 0\n"
		       "  }\n"
		       "  pipe -> p\n"
		       "  fork kid { kill main SIGUSR1  sleep 1ms  write p.w \"k\" }\n"
		       "  @rd read p.r size=1\n"
		       "  wait kid\n"
		       "}\n"
		       "expect @rd ret=1\n"
		       "expect main signal SIGUSR1 delivered=1 handled=1\n",
		       3);
}

/* A restarted socket call takes up again only once the body has ended. */
static void test_sigbody_runs_before_a_restarted_socket_call(void)
{
	TestRun r = test_run_text("process main {\n"
				  "  on SIGUSR1 handler { print \"body\" }\n"
				  "  socket dgram -> b\n"
				  "  bind b \"@sigbody\"\n"
				  "  fork kid {\n"
				  "    socket dgram -> a\n"
				  "    kill main SIGUSR1\n"
				  "    sleep 1ms\n"
				  "    sendto a \"hi\" to=\"@sigbody\"\n"
				  "  }\n"
				  "  @r recv b\n"
				  "  wait kid\n"
				  "}\n"
				  "expect @r ret=2\n",
				  TRUE, NULL);
	CU_ASSERT_EQUAL(r.verdict.failed, 0);
	const char *body = strstr(r.out, "print \"body\"");
	const char *back = strstr(r.out, "SIGUSR1: handler returns; the call starts over");
	CU_ASSERT(body && back && body < back);
	test_run_free(&r);
}

/* wait_for_partner gives -ERESTARTSYS: with SA_RESTART a FIFO open waits again (it had
 * failed with EINTR, the first try's error left over for the second). */
static void test_sigbody_fifo_open_restarts_with_sa_restart(void)
{
	expect_passing("process main {\n"
		       "  on SIGUSR1 handler\n"
		       "  mkfifo \"/tmp/sigbody-fifo\"\n"
		       "  fork kid {\n"
		       "    kill main SIGUSR1\n"
		       "    sleep 1ms\n"
		       "    open \"/tmp/sigbody-fifo\" wronly -> w\n"
		       "  }\n"
		       "  @o open \"/tmp/sigbody-fifo\" rdonly\n"
		       "  wait kid\n"
		       "}\n"
		       "expect @o ret=3\n",
		       1);
}

/* A FIFO open restarted by SA_RESTART starts over only once the handler's body has ended,
 * as the kernel runs the handler before the restarted call: the body's output comes
 * before the second wait for a writer. */
static void test_sigbody_runs_before_a_restarted_fifo_open(void)
{
	TestRun r = test_run_text("process main {\n"
				  "  on SIGUSR1 handler { print \"body\" }\n"
				  "  mkfifo \"/tmp/sigbody-fifo2\"\n"
				  "  fork kid {\n"
				  "    kill main SIGUSR1\n"
				  "    sleep 1ms\n"
				  "    open \"/tmp/sigbody-fifo2\" wronly -> w\n"
				  "  }\n"
				  "  @o open \"/tmp/sigbody-fifo2\" rdonly\n"
				  "  wait kid\n"
				  "}\n"
				  "expect @o ret=3\n",
				  TRUE, NULL);
	CU_ASSERT_EQUAL(r.verdict.failed, 0);
	const char *first = strstr(r.out, "open \"/tmp/sigbody-fifo2\" rdonly -> blocks");
	const char *body = strstr(r.out, "print \"body\"");
	const char *back = strstr(r.out, "SIGUSR1: handler returns; the call starts over");
	const char *again =
		first ? strstr(first + 1, "open \"/tmp/sigbody-fifo2\" rdonly -> blocks") : NULL;
	CU_ASSERT(first && body && back && again && first < body && body < back && back < again);
	test_run_free(&r);
}

static void test_sigbody_mq_notify_gives_si_mesgq_and_the_value(void)
{
	expect_passing("posix queue \"/q\" maxmsg=2 msgsize=8\n"
		       "process owner {\n"
		       "  on SIGUSR2 handler {\n"
		       "    assert si.code == -3 && si.value == -7 && si.pid == 101\n"
		       "  }\n"
		       "  mq_notify \"/q\" signal=SIGUSR2 value=-7\n"
		       "  @nap sleep 5ms\n"
		       "}\n"
		       "process sender start=1ms { mq_send \"/q\" \"x\" }\n"
		       "expect @nap errno=EINTR\n",
		       2);
}

static void test_sigbody_sigchld_and_alarm_and_sigpipe_codes(void)
{
	expect_passing("process main {\n"
		       "  on SIGCHLD handler { assert si.code == 1 && si.status == 3 && si.pid == 101 }\n"
		       "  on SIGALRM handler { assert si.code == 128 && si.pid == 0 }\n"
		       "  on SIGPIPE handler { assert si.code == 0 && si.pid == 100 }\n"
		       "  fork kid { exit 3 }\n"
		       "  wait kid\n"
		       "  alarm 1\n"
		       "  sleep 2s\n"
		       "  pipe -> p\n"
		       "  close p.r\n"
		       "  @w write p.w \"x\"\n"
		       "}\n"
		       "expect @w errno=EPIPE\n",
		       4);
}

static void test_sigbody_same_signal_waits_for_the_body_to_end(void)
{
	/* The first body (the kid's signal) sends its own signal twice: blocked meanwhile, it
	 * is pending once (standard signals do not queue), and the body runs once more when
	 * the first ends, with the siginfo of the first of the two. */
	expect_passing("process main {\n"
		       "  on SIGUSR1 handler {\n"
		       "    if si.pid == 101 {\n"
		       "      kill main SIGUSR1\n"
		       "      kill main SIGUSR1\n"
		       "    }\n"
		       "  }\n"
		       "  fork kid { kill main SIGUSR1 }\n"
		       "  sleep 1ms\n"
		       "  wait kid\n"
		       "}\n"
		       "expect main signal SIGUSR1 delivered=3 handled=2\n",
		       1);
}

static void test_sigbody_has_its_own_variables(void)
{
	/* The process's n is untouched by the body's, and the body starts afresh each time. */
	expect_passing("process main {\n"
		       "  let n = 5\n"
		       "  on SIGUSR1 handler { let n = 1  assert n == 1 }\n"
		       "  kill main SIGUSR1\n"
		       "  kill main SIGUSR1\n"
		       "  assert n == 5\n"
		       "}\n"
		       "expect main signal SIGUSR1 delivered=2 handled=2\n",
		       3);
}

static void test_sigbody_is_inherited_by_fork_and_reset_by_exec(void)
{
	expect_passing("process main {\n"
		       "  on SIGUSR1 handler { assert si.pid == 100 }\n"
		       "  fork kid { sleep 1ms  exec { on SIGUSR1 default  sleep 1ms } }\n"
		       "  kill kid SIGUSR1\n"
		       "  wait kid\n"
		       "}\n"
		       "expect kid signal SIGUSR1 delivered=1 handled=1\n",
		       2);
}

static void test_sigbody_refuses_blocking_statements_and_stray_si(void)
{
	expect_error("process p { on SIGUSR1 handler { sleep 1ms } }",
		     "'sleep' cannot be in a signal handler's body");
	expect_error("process p { on SIGUSR1 handler { if 1 { print \"a\" } else { sleep 1ms } } }",
		     "cannot be in a signal handler's body");
	expect_error("process p { on SIGUSR1 default { print \"x\" } }",
		     "only 'handler' has a body");
	expect_error("process p { assert si.pid == 0 }", "'si.pid' is the siginfo");
	expect_error("process p { on SIGUSR1 handler { print \"${si.nope}\" } }",
		     "unknown field 'nope' of 'si'");
}

CU_TestInfo sigbody_tests[] = {
	{ "kill gives SI_USER from the sender", test_sigbody_kill_gives_si_user_from_the_sender },
	{ "runs before a restarted socket call", test_sigbody_runs_before_a_restarted_socket_call },
	{ "FIFO open restarts with SA_RESTART", test_sigbody_fifo_open_restarts_with_sa_restart },
	{ "runs before a restarted FIFO open", test_sigbody_runs_before_a_restarted_fifo_open },
	{ "mq_notify gives SI_MESGQ and the value",
	  test_sigbody_mq_notify_gives_si_mesgq_and_the_value },
	{ "SIGCHLD, alarm and SIGPIPE codes", test_sigbody_sigchld_and_alarm_and_sigpipe_codes },
	{ "the same signal waits for the body to end",
	  test_sigbody_same_signal_waits_for_the_body_to_end },
	{ "a body has its own variables", test_sigbody_has_its_own_variables },
	{ "inherited by fork, reset by exec", test_sigbody_is_inherited_by_fork_and_reset_by_exec },
	{ "blocking statements and stray si refused",
	  test_sigbody_refuses_blocking_statements_and_stray_si },
	CU_TEST_INFO_NULL,
};
