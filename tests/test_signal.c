/* test_signal.c — the standard signals end to end: each default action of signal(7), the
 * SA_RESTART rule call by call (which calls go on after a handler, which fail with EINTR
 * whatever the flag), and alarm (its SIGALRM, its rounding, its replacement and
 * cancelling), each through the scenario language as a user writes it.
 *
 * The default-action table itself (sim/kernel/signal.c) is checked against signal(7)'s
 * lists here too.
 */
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "calls/call_int.h"
#include "msgsim/kernel/signal.h"
#include "tests.h"

/* Runs `text`; every one of its n_expects expectations must hold (the trace goes to stderr
 * when one does not). */
static void expect_passing(const char *text, guint n_expects)
{
	TestRun r = test_run_text(text, TRUE, NULL);
	if (r.verdict.failed != 0 || r.verdict.passed != n_expects)
		fprintf(stderr, "\n%s\n", r.out);
	CU_ASSERT_EQUAL(r.verdict.failed, 0);
	CU_ASSERT_EQUAL(r.verdict.passed, n_expects);
	test_run_free(&r);
}

/* ---- Default actions ---- */

static void test_signal_default_actions_are_signal7s(void)
{
	static const int core[] = { SIGQUIT, SIGILL,  SIGTRAP, SIGABRT, SIGBUS,
				    SIGFPE,  SIGSEGV, SIGXCPU, SIGXFSZ, SIGSYS };
	static const int ign[] = { SIGCHLD, SIGURG, SIGWINCH };
	static const int stop[] = { SIGSTOP, SIGTSTP, SIGTTIN, SIGTTOU };
	guint n_term = 0;
	for (int sig = 1; sig <= SIM_SIG_STD_LAST; sig++) {
		SimSigDefault want = SIM_SIGDFL_TERM;
		for (guint i = 0; i < G_N_ELEMENTS(core); i++)
			want = core[i] == sig ? SIM_SIGDFL_CORE : want;
		for (guint i = 0; i < G_N_ELEMENTS(ign); i++)
			want = ign[i] == sig ? SIM_SIGDFL_IGN : want;
		for (guint i = 0; i < G_N_ELEMENTS(stop); i++)
			want = stop[i] == sig ? SIM_SIGDFL_STOP : want;
		if (sig == SIGCONT)
			want = SIM_SIGDFL_CONT;
		CU_ASSERT_EQUAL(sim_signal_default(sig), want);
		CU_ASSERT_EQUAL(sim_signal_default_kills(sig),
				want == SIM_SIGDFL_TERM || want == SIM_SIGDFL_CORE);
		n_term += want == SIM_SIGDFL_TERM;
	}
	/* HUP INT KILL USR1 USR2 PIPE ALRM TERM STKFLT VTALRM PROF IO PWR */
	CU_ASSERT_EQUAL(n_term, 13);
	CU_ASSERT_STRING_EQUAL(sim_signal_default_name(SIM_SIGDFL_CORE), "core");
}

static void test_signal_term_and_core_defaults_kill_a_blocked_reader(void)
{
	/* wait gives 128 + the number; the trace says which ones dump core. */
	TestRun r = test_run_text("process main {\n"
				  "  pipe -> p\n"
				  "  fork a { read p.r }\n"
				  "  fork b { read p.r }\n"
				  "  fork c { read p.r }\n"
				  "  sleep 1ms\n"
				  "  kill a SIGABRT\n"
				  "  kill b SIGVTALRM\n"
				  "  kill c SIGSEGV\n"
				  "  @a wait a\n"
				  "  @b wait b\n"
				  "  @c wait c\n"
				  "}\n"
				  "expect a killed=SIGABRT\nexpect b killed=SIGVTALRM\n"
				  "expect c killed=SIGSEGV\n"
				  "expect @a ret=134\nexpect @b ret=154\nexpect @c ret=139\n",
				  TRUE, NULL);
	CU_ASSERT_EQUAL(r.verdict.failed, 0);
	CU_ASSERT_EQUAL(r.verdict.passed, 6);
	CU_ASSERT_PTR_NOT_NULL(strstr(r.out, "SIGABRT from main: killed (default action: core)"));
	CU_ASSERT_PTR_NOT_NULL(strstr(r.out, "SIGVTALRM from main: killed\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(r.out, "SIGSEGV from main: killed (default action: core)"));
	test_run_free(&r);
}

static void test_signal_ignored_defaults_leave_the_call_alone(void)
{
	/* SIGURG, SIGWINCH and SIGCONT (nothing is stopped) do nothing by default: the read
	 * is not even interrupted, and gets the data written after them. */
	expect_passing("process main {\n"
		       "  pipe -> p\n"
		       "  fork c { @r read p.r size=3 -> m }\n"
		       "  sleep 1ms\n"
		       "  kill c SIGURG\n"
		       "  kill c SIGWINCH\n"
		       "  kill c SIGCONT\n"
		       "  write p.w \"abc\"\n"
		       "  wait c\n"
		       "}\n"
		       "expect @r blocked ret=3\nexpect c exit=0\n"
		       "expect c signal SIGWINCH delivered=1 handled=0\n",
		       3);
}

static void test_signal_sigcont_with_a_handler_interrupts(void)
{
	/* SIGCONT's default only continues; a handler for it is caught as any other. */
	expect_passing("process main {\n"
		       "  pipe -> p\n"
		       "  fork c { on SIGCONT handler norestart  @r read p.r }\n"
		       "  sleep 1ms\n"
		       "  kill c SIGCONT\n"
		       "  wait c\n"
		       "}\n"
		       "expect @r errno=EINTR\nexpect c signal SIGCONT delivered=1 handled=1\n",
		       2);
}

/* ---- SA_RESTART, call by call ---- */

static void test_signal_restart_decides_for_pipe_mq_and_wait(void)
{
	/* With SA_RESTART these go on after the handler; without it they fail with EINTR. */
	expect_passing("process main {\n"
		       "  pipe -> p\n"
		       "  mq_open \"/r\" create rdwr perm=0600 maxmsg=2 msgsize=8 -> q\n"
		       "  fork a { on SIGUSR1 handler  @a read p.r size=2 }\n"
		       "  fork b { on SIGUSR1 handler norestart  @b read p.r }\n"
		       "  fork c { on SIGUSR1 handler  @c mq_receive q }\n"
		       "  fork d { on SIGUSR1 handler norestart  @d mq_receive q }\n"
		       "  fork e { on SIGUSR1 handler  @e mq_receive q timeout=1s }\n"
		       "  sleep 1ms\n"
		       "  kill a SIGUSR1\n  kill b SIGUSR1\n  kill c SIGUSR1\n"
		       "  kill d SIGUSR1\n  kill e SIGUSR1\n"
		       "  sleep 1ms\n"
		       "  write p.w \"hi\"\n"
		       "  mq_send q \"x\"\n  mq_send q \"y\"\n"
		       "  wait a\n  wait b\n  wait c\n  wait d\n  wait e\n"
		       "}\n"
		       "expect @a blocked ret=2\nexpect @b errno=EINTR\n"
		       "expect @c blocked ret=1\nexpect @d errno=EINTR\n"
		       "expect @e blocked ret=1\n",
		       5);
}

static void test_signal_sysv_calls_and_sleep_are_never_restarted(void)
{
	/* msgrcv, semop and nanosleep fail with EINTR even under SA_RESTART (signal(7)). */
	expect_passing("sysv queue q key=0x7001 perm=0600\n"
		       "process main {\n"
		       "  semget key=0x7002 nsems=1 create perm=0600 -> s\n"
		       "  fork a { on SIGUSR1 handler  @a msgrcv q }\n"
		       "  fork b { on SIGUSR1 handler  @b semop s (0, -1) }\n"
		       "  fork c { on SIGUSR1 handler  @c sleep 1s }\n"
		       "  sleep 1ms\n"
		       "  kill a SIGUSR1\n  kill b SIGUSR1\n  kill c SIGUSR1\n"
		       "  wait a\n  wait b\n  wait c\n"
		       "}\n"
		       "expect @a errno=EINTR\nexpect @b errno=EINTR\nexpect @c errno=EINTR\n",
		       3);
}

/* ---- alarm ---- */

static void test_signal_alarm_rounds_what_is_left_as_the_kernel(void)
{
	/* alarm_setitimer: halves round up, and any time left is at least 1 second. */
	CU_ASSERT_EQUAL(sim_call_alarm_seconds_left(SIM_S), 1);
	CU_ASSERT_EQUAL(sim_call_alarm_seconds_left(1), 1);
	CU_ASSERT_EQUAL(sim_call_alarm_seconds_left(SIM_S / 2 - 1), 1);
	CU_ASSERT_EQUAL(sim_call_alarm_seconds_left(SIM_S + SIM_S / 2 - 1), 1);
	CU_ASSERT_EQUAL(sim_call_alarm_seconds_left(SIM_S + SIM_S / 2), 2);
	CU_ASSERT_EQUAL(sim_call_alarm_seconds_left(7 * SIM_S + 1), 7);
}

static void test_signal_alarm_returns_what_the_earlier_one_had_left(void)
{
	expect_passing("process p {\n"
		       "  @a alarm 10\n"
		       "  sleep 2s\n"
		       "  @b alarm 3\n"
		       "  @c alarm 0\n"
		       "  @d alarm 0\n"
		       "}\n"
		       "expect @a ret=0\nexpect @b ret=8\nexpect @c ret=3\nexpect @d ret=0\n"
		       "expect p exit=0\n",
		       5);
}

static void test_signal_alarm_kills_by_default_at_its_time(void)
{
	TestRun r = test_run_text("process p {\n"
				  "  alarm 2\n"
				  "  sleep 10s\n"
				  "}\n"
				  "expect p killed=SIGALRM\nexpect time == 2000001us\n",
				  TRUE, NULL);
	if (r.verdict.failed)
		fprintf(stderr, "\n%s\n", r.out);
	CU_ASSERT_EQUAL(r.verdict.failed, 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(r.out, "SIGALRM: killed"));
	test_run_free(&r);
}

static void test_signal_replaced_and_cancelled_alarms_never_fire(void)
{
	/* The first alarm's event goes stale when the second replaces it, and the second's
	 * when alarm 0 cancels it: p lives out its sleep. */
	expect_passing("process p {\n"
		       "  alarm 1\n"
		       "  alarm 3\n"
		       "  sleep 2s\n"
		       "  alarm 0\n"
		       "  sleep 5s\n"
		       "}\n"
		       "expect p exit=0\nexpect p signal SIGALRM delivered=0\n",
		       2);
}

static void test_signal_alarm_is_not_inherited_by_fork(void)
{
	expect_passing("process p {\n"
		       "  alarm 5\n"
		       "  fork c { @c alarm 0 -> left  sleep 10s }\n"
		       "  alarm 0\n"
		       "  wait c\n"
		       "}\n"
		       "expect @c ret=0\nexpect c exit=0\n",
		       2);
}

static void test_signal_alarm_handler_interrupts_a_blocked_read(void)
{
	expect_passing("process p {\n"
		       "  pipe -> x\n"
		       "  on SIGALRM handler norestart\n"
		       "  alarm 1\n"
		       "  @r read x.r\n"
		       "}\n"
		       "expect @r errno=EINTR\nexpect p signal SIGALRM delivered=1 handled=1\n"
		       "expect time == 1000003us\n",
		       3);
}

CU_TestInfo signal_tests[] = {
	{ "default actions are signal(7)'s", test_signal_default_actions_are_signal7s },
	{ "term and core defaults kill a blocked reader",
	  test_signal_term_and_core_defaults_kill_a_blocked_reader },
	{ "ignored defaults leave the call alone",
	  test_signal_ignored_defaults_leave_the_call_alone },
	{ "SIGCONT with a handler interrupts", test_signal_sigcont_with_a_handler_interrupts },
	{ "restart decides for pipe, mq and wait",
	  test_signal_restart_decides_for_pipe_mq_and_wait },
	{ "sysv calls and sleep are never restarted",
	  test_signal_sysv_calls_and_sleep_are_never_restarted },
	{ "alarm rounds what is left as the kernel",
	  test_signal_alarm_rounds_what_is_left_as_the_kernel },
	{ "alarm returns what the earlier one had left",
	  test_signal_alarm_returns_what_the_earlier_one_had_left },
	{ "alarm kills by default at its time", test_signal_alarm_kills_by_default_at_its_time },
	{ "replaced and cancelled alarms never fire",
	  test_signal_replaced_and_cancelled_alarms_never_fire },
	{ "alarm is not inherited by fork", test_signal_alarm_is_not_inherited_by_fork },
	{ "alarm handler interrupts a blocked read",
	  test_signal_alarm_handler_interrupts_a_blocked_read },
	CU_TEST_INFO_NULL,
};
