/* test_stop.c — stopped processes: SIGSTOP and the other stop signals, SIGCONT, and how a
 * stop ends the call its target is blocked in, as the real kernel was seen to do it.
 *
 * Each test runs a scenario as a user writes it. The kernel's behaviour behind them was
 * probed with small C programs under `unshare -i`: a stopped msgrcv leaves its queue's list
 * (a message sent meanwhile stays queued) and looks again once continued; a stopped semop
 * fails with EINTR after the continue (signal(7)); a pipe read is restarted; a nanosleep
 * keeps its deadline; SIGTERM to a stopped process waits for SIGCONT, SIGKILL does not.
 */
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "engine/world_int.h"
#include "msgsim/calls/call.h"
#include "msgsim/real/xcheck.h"
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

static void test_stop_msgrcv_leaves_the_queue_and_looks_again(void)
{
	/* a waits first; stopped, it leaves the list, so the first message goes to b, and
	 * once continued a queues again and gets the second. */
	expect_passing("sysv queue q key=0x7101 perm=0600\n"
		       "process a { @a msgrcv q size=8 }\n"
		       "process b { sleep 1us  @b msgrcv q size=8 }\n"
		       "process main {\n"
		       "  sleep 1ms\n"
		       "  kill a SIGSTOP\n"
		       "  msgsnd q type=1 \"first\"\n"
		       "  kill a SIGCONT\n"
		       "  sleep 1ms\n"
		       "  msgsnd q type=1 \"second\"\n"
		       "}\n"
		       "expect a received [\"second\"]\nexpect b received [\"first\"]\n"
		       "expect @a blocked ret=6\n",
		       3);
}

static void test_stop_message_sent_while_stopped_stays_queued(void)
{
	/* Nobody waits on q while a is stopped: main finds its own message still queued. */
	expect_passing("sysv queue q key=0x7102 perm=0600\n"
		       "process a { @a msgrcv q size=8 }\n"
		       "process main {\n"
		       "  sleep 1ms\n"
		       "  kill a SIGSTOP\n"
		       "  msgsnd q type=1 \"hi\"\n"
		       "  @peek msgrcv q size=8 nowait\n"
		       "  kill a SIGCONT\n"
		       "  msgsnd q type=1 \"later\"\n"
		       "}\n"
		       "expect @peek ret=2\nexpect a received [\"later\"]\nexpect q qnum=0\n",
		       3);
}

static void test_stop_semop_fails_with_eintr_after_sigcont(void)
{
	/* The V while it is stopped does not complete its P: the value stays 1. */
	expect_passing("process main {\n"
		       "  semget key=0x7103 nsems=1 create perm=0600 -> s\n"
		       "  fork w { @p semop s (0, -1) }\n"
		       "  sleep 1ms\n"
		       "  kill w SIGSTOP\n"
		       "  semop s (0, +1)\n"
		       "  kill w SIGCONT\n"
		       "  wait w\n"
		       "  @left semop s (0, -1, nowait)\n"
		       "}\n"
		       "expect @p errno=EINTR\nexpect @left ok\n",
		       2);
}

static void test_stop_pipe_read_is_restarted(void)
{
	expect_passing("process main {\n"
		       "  pipe -> p\n"
		       "  fork r { @r read p.r size=4 }\n"
		       "  sleep 1ms\n"
		       "  kill r SIGSTOP\n"
		       "  kill r SIGCONT\n"
		       "  write p.w \"data\"\n"
		       "  wait r\n"
		       "}\n"
		       "expect @r blocked ret=4\nexpect r received [\"data\"]\n",
		       2);
}

static void test_stop_sleep_keeps_its_deadline(void)
{
	/* Stopped during its sleep and continued after the deadline: it goes on at the
	 * continue, not a whole sleep later; continued before it, at the deadline. */
	TestRun r = test_run_text("process s1 { sleep 10ms  @late exit 0 }\n"
				  "process s2 { sleep 10ms  @early exit 0 }\n"
				  "process main {\n"
				  "  sleep 1ms\n"
				  "  kill s1 SIGSTOP\n  kill s2 SIGSTOP\n"
				  "  sleep 1ms\n"
				  "  kill s2 SIGCONT\n"
				  "  sleep 20ms\n"
				  "  kill s1 SIGCONT\n"
				  "}\n",
				  TRUE, NULL);
	CU_ASSERT_PTR_NOT_NULL(strstr(r.out, "s2          woken by its timer"));
	const char *s2_exit = strstr(r.out, "s2          exits");
	const char *s1_exit = strstr(r.out, "s1          exits");
	CU_ASSERT_PTR_NOT_NULL_FATAL(s2_exit);
	CU_ASSERT_PTR_NOT_NULL_FATAL(s1_exit);
	CU_ASSERT_PTR_NOT_NULL(strstr(s1_exit - 24, "22.")); /* at main's continue, ~22ms */
	CU_ASSERT_PTR_NOT_NULL(strstr(s2_exit - 24, "10.")); /* at its own deadline */
	CU_ASSERT_EQUAL(test_run_task(&r, "s1")->state, SIM_STATE_EXITED);
	test_run_free(&r);
}

static void test_stop_sigkill_ends_a_stopped_process_sigterm_waits(void)
{
	const char *text = "process main {\n"
			   "  pipe -> p\n"
			   "  fork k { read p.r }\n"
			   "  fork t { read p.r }\n"
			   "  sleep 1ms\n"
			   "  kill k SIGSTOP\n  kill t SIGSTOP\n"
			   "  kill k SIGKILL\n"
			   "  kill t SIGTERM\n"
			   "  @k wait k\n"
			   "  kill t SIGCONT\n"
			   "  wait t\n"
			   "}\n"
			   "expect k killed=SIGKILL\nexpect t killed=SIGTERM\nexpect @k ret=137\n";
	expect_passing(text, 3);
	/* t dies of its SIGTERM only once continued. */
	TestRun r = test_run_text(text, TRUE, NULL);
	const char *pending =
		strstr(r.out, "t           SIGTERM from main: pending: its target is stopped");
	const char *cont = strstr(r.out, "t           SIGCONT from main: continued by SIGCONT");
	const char *dies = strstr(r.out, "t           SIGTERM from main: killed");
	CU_ASSERT_PTR_NOT_NULL_FATAL(pending);
	CU_ASSERT_PTR_NOT_NULL_FATAL(cont);
	CU_ASSERT_PTR_NOT_NULL_FATAL(dies);
	CU_ASSERT_TRUE(pending < cont && cont < dies);
	test_run_free(&r);
}

static void test_stop_stopped_forever_is_a_deadlock_that_names_the_stop(void)
{
	TestRun r = test_run_text("process p { sleep 1ms  print \"never\" }\n"
				  "process main { kill p SIGSTOP }\n",
				  TRUE, NULL);
	CU_ASSERT_EQUAL(r.w->status, SIM_RUN_DEADLOCK);
	CU_ASSERT_PTR_NOT_NULL(strstr(r.out,
				      "-- deadlock: p stuck in a stop (line 1): stopped (SIGSTOP), "
				      "nobody sends SIGCONT"));
	CU_ASSERT_PTR_NULL(strstr(r.out, "p           print"));
	SimTask *p = test_run_task(&r, "p");
	CU_ASSERT_EQUAL(p->stopped_by, SIGSTOP);
	CU_ASSERT_TRUE(p->parked); /* its sleep ended while it was stopped */
	test_run_free(&r);
}

static void test_stop_and_sigcont_discard_each_other_when_pending(void)
{
	/* c has not run yet: its SIGCONT handler is pending when SIGTSTP comes, which
	 * discards it; the second SIGCONT continues c and its handler runs once. */
	expect_passing("process main {\n"
		       "  fork c { on SIGCONT handler  sleep 1ms }\n"
		       "  sleep 1ms\n"
		       "  kill c SIGCONT\n"
		       "  kill c SIGTSTP\n"
		       "  kill c SIGCONT\n"
		       "  wait c\n"
		       "}\n"
		       "expect c signal SIGCONT delivered=2 handled=1\nexpect c exit=0\n",
		       2);
}

static void test_stop_handled_or_ignored_stop_signals_do_not_stop(void)
{
	expect_passing("process main {\n"
		       "  fork h { on SIGTSTP handler  sleep 2ms }\n"
		       "  fork i { on SIGTTIN ignore  sleep 2ms }\n"
		       "  sleep 1ms\n"
		       "  kill h SIGTSTP\n  kill i SIGTTIN\n"
		       "  wait h\n  wait i\n"
		       "}\n"
		       "expect h signal SIGTSTP delivered=1 handled=1\nexpect h exit=0\n"
		       "expect i exit=0\n",
		       3);
}

static void test_stop_parent_gets_sigchld_on_stop_and_continue(void)
{
	expect_passing("process main {\n"
		       "  on SIGCHLD handler\n"
		       "  fork c { sleep 2ms }\n"
		       "  sleep 1ms\n"
		       "  kill c SIGSTOP\n  kill c SIGCONT\n"
		       "  wait c\n"
		       "}\n"
		       "expect main signal SIGCHLD delivered=3\n",
		       1);
}

static void test_stop_scheduler_never_picks_a_stopped_ready_task(void)
{
	/* Under round-robin c is ready when stopped: it must not run until continued. */
	TestRun r = test_run_text("scheduler rr quantum=1ms\n"
				  "process main { kill c SIGSTOP  compute 3ms  kill c SIGCONT }\n"
				  "process c { compute 5ms  print \"c done\" }\n",
				  TRUE, NULL);
	const char *cont = strstr(r.out, "continued by SIGCONT");
	const char *runs = strstr(r.out, "c           runs");
	CU_ASSERT_PTR_NOT_NULL_FATAL(cont);
	CU_ASSERT_PTR_NOT_NULL_FATAL(runs);
	CU_ASSERT_TRUE(runs > cont);
	CU_ASSERT_EQUAL(r.w->status, SIM_RUN_DONE);
	test_run_free(&r);
}

static void test_stop_mq_notify_by_sigstop_stops_the_registered_process(void)
{
	TestRun r =
		test_run_text("process main {\n"
			      "  mq_open \"/st\" create rdwr perm=0600 maxmsg=2 msgsize=8 -> q\n"
			      "  fork c { mq_notify q signal=SIGSTOP  sleep 5ms  print \"late\" }\n"
			      "  sleep 2ms\n"
			      "  mq_send q \"x\"\n"
			      "}\n",
			      TRUE, NULL);
	CU_ASSERT_PTR_NOT_NULL(strstr(r.out, "stopped by SIGSTOP"));
	CU_ASSERT_EQUAL(r.w->status, SIM_RUN_DEADLOCK);
	/* Cross-checkable: a scenario that stops processes is held back by ptrace there
	 * (xcheck_stop.c), and the notification counts as its stop signal. */
	g_autofree char *why = sim_xcheck_unsupported(r.scn);
	CU_ASSERT_PTR_NULL(why);
	CU_ASSERT_TRUE(sim_call_sends_stop(r.scn));
	test_run_free(&r);
}

static void test_stop_sigcont_alone_stays_cross_checkable(void)
{
	TestRun r = test_run_text("process c { sleep 1ms }\nprocess main { kill c SIGCONT }\n",
				  FALSE, NULL);
	g_autofree char *why = sim_xcheck_unsupported(r.scn);
	CU_ASSERT_PTR_NULL(why);
	test_run_free(&r);
}

static void test_stop_mq_receive_and_wait_are_restarted(void)
{
	/* Stopped, c is off the queue's list: the message stays queued (curmsgs 1) and c
	 * takes it once continued. d's child exits while d is stopped; d's wait, restarted,
	 * collects it. */
	const char *text = "process main {\n"
			   "  mq_open \"/sm\" create rdwr perm=0600 maxmsg=2 msgsize=8 -> q\n"
			   "  fork c { @r mq_receive q }\n"
			   "  fork d { fork e { sleep 3ms }  @w wait e }\n"
			   "  sleep 1ms\n"
			   "  kill c SIGSTOP\n  kill d SIGSTOP\n"
			   "  mq_send q \"hi\"\n"
			   "  mq_getattr q\n"
			   "  kill c SIGCONT\n"
			   "  sleep 5ms\n"
			   "  kill d SIGCONT\n"
			   "  wait c\n  wait d\n"
			   "}\n"
			   "expect c received [\"hi\"]\nexpect @r blocked ret=2\n"
			   "expect @w blocked ret=0\n";
	expect_passing(text, 3);
	TestRun r = test_run_text(text, TRUE, NULL);
	CU_ASSERT_PTR_NOT_NULL(strstr(r.out, "curmsgs 1"));
	test_run_free(&r);
}

static void test_stop_sigcont_handler_makes_a_stopped_sleep_eintr(void)
{
	/* Probed: with a SIGCONT handler, a sleep the stop cut short fails with EINTR, even
	 * when its deadline passed while stopped (b); without one it just ends (c). */
	expect_passing("process main {\n"
		       "  fork a { on SIGCONT handler  @a sleep 200ms }\n"
		       "  fork b { on SIGCONT handler  @b sleep 200ms }\n"
		       "  fork c { @c sleep 200ms }\n"
		       "  sleep 50ms\n"
		       "  kill a SIGSTOP\n  kill b SIGSTOP\n  kill c SIGSTOP\n"
		       "  sleep 50ms\n"
		       "  kill a SIGCONT\n"
		       "  sleep 400ms\n"
		       "  kill b SIGCONT\n  kill c SIGCONT\n"
		       "  wait a\n  wait b\n  wait c\n"
		       "}\n"
		       "expect @a errno=EINTR\nexpect @b errno=EINTR\nexpect @c ok\n",
		       3);
}

static void test_stop_timed_mq_receive_keeps_its_deadline(void)
{
	/* mq_timedreceive's timeout is absolute: restarted, it keeps the deadline, and one
	 * continued after it times out at once. */
	TestRun r =
		test_run_text("process main {\n"
			      "  mq_open \"/mt\" create rdwr perm=0600 maxmsg=2 msgsize=8 -> q\n"
			      "  fork c { @r mq_receive q timeout=10ms }\n"
			      "  fork d { @s mq_receive q timeout=10ms }\n"
			      "  sleep 1ms\n"
			      "  kill c SIGSTOP\n  kill d SIGSTOP\n"
			      "  sleep 2ms\n"
			      "  kill d SIGCONT\n"
			      "  sleep 20ms\n"
			      "  kill c SIGCONT\n"
			      "  wait c\n  wait d\n"
			      "}\n"
			      "expect @r errno=ETIMEDOUT\nexpect @s errno=ETIMEDOUT\n",
			      TRUE, NULL);
	CU_ASSERT_EQUAL(r.verdict.passed, 2);
	CU_ASSERT_PTR_NOT_NULL(strstr(
		r.out, "  10.006ms  d           mq_receive q timeout=10ms returns ETIMEDOUT"));
	CU_ASSERT_PTR_NOT_NULL(strstr(
		r.out, "  23.011ms  c           mq_receive q timeout=10ms returns ETIMEDOUT"));
	test_run_free(&r);
}

static void test_stop_expect_state_stopped(void)
{
	/* worker's sleep ended while it was stopped: READY underneath, stopped to the reader. */
	TestRun r = test_run_text("process worker { sleep 2ms }\n"
				  "process main { sleep 1ms  kill worker SIGSTOP }\n"
				  "expect worker state=stopped\nexpect worker state=ready\n",
				  TRUE, NULL);
	CU_ASSERT_EQUAL(r.verdict.passed, 1);
	CU_ASSERT_EQUAL(r.verdict.failed, 1);
	CU_ASSERT_PTR_NOT_NULL(strstr(r.out, "FAIL: worker state=ready; seen: state=stopped"));
	test_run_free(&r);
}

/* A threaded process stops as a whole (group stop): the reader thread, blocked in read, does
 * not take the bytes written while its process is stopped until SIGCONT continues it. */
static void test_stop_threaded_process_stops_and_continues_every_thread(void)
{
	TestRun r = test_run_text("process main {\n"
				  "  pipe -> p\n"
				  "  fork worker {\n"
				  "    thread reader { @r read p.r size=8 }\n"
				  "    thread napper { sleep 5ms }\n"
				  "    join reader\n    join napper\n"
				  "  }\n"
				  "  sleep 1ms\n"
				  "  kill worker SIGSTOP\n"
				  "  write p.w \"data\"\n"
				  "  sleep 10ms\n"
				  "  kill worker SIGCONT\n"
				  "  wait worker\n"
				  "}\n"
				  "expect @r blocked ret=4\n",
				  TRUE, NULL);
	CU_ASSERT_EQUAL(r.verdict.passed, 1);
	CU_ASSERT_PTR_NOT_NULL(strstr(r.out, "reader      SIGSTOP from main: stopped by SIGSTOP"));
	CU_ASSERT_PTR_NOT_NULL(strstr(r.out, "napper      SIGSTOP from main: stopped by SIGSTOP"));
	const char *cont = strstr(r.out, "reader      SIGCONT from main: continued by SIGCONT");
	const char *got = strstr(r.out, "reader      read p.r size=8 returns ok");
	CU_ASSERT_PTR_NOT_NULL_FATAL(cont);
	CU_ASSERT_PTR_NOT_NULL_FATAL(got);
	CU_ASSERT_TRUE(cont < got);
	CU_ASSERT_EQUAL(test_run_task(&r, "worker")->exit_code, 0);
	test_run_free(&r);
}

/* A stop sent to one thread stops its whole process, and SIGKILL then ends every thread. */
static void test_stop_through_a_thread_then_sigkill_ends_every_thread(void)
{
	TestRun r = test_run_text("process main {\n"
				  "  fork victim {\n"
				  "    thread spinner { sleep 1s }\n"
				  "    join spinner\n"
				  "  }\n"
				  "  sleep 1ms\n"
				  "  kill spinner SIGSTOP\n"
				  "  @mid sleep 1ms\n"
				  "  kill victim SIGKILL\n"
				  "  wait victim\n"
				  "}\n",
				  TRUE, NULL);
	CU_ASSERT_PTR_NOT_NULL(strstr(r.out, "victim      SIGSTOP from main: stopped by SIGSTOP"));
	CU_ASSERT_PTR_NOT_NULL(strstr(r.out, "spinner     SIGSTOP from main: stopped by SIGSTOP"));
	CU_ASSERT_PTR_NOT_NULL(strstr(r.out, "spinner     SIGKILL from main: killed"));
	CU_ASSERT_EQUAL(test_run_task(&r, "victim")->killed_by, SIGKILL);
	CU_ASSERT_EQUAL(test_run_task(&r, "spinner")->state, SIM_STATE_EXITED);
	test_run_free(&r);
}

CU_TestInfo stop_tests[] = {
	{ "threaded process stops and continues every thread",
	  test_stop_threaded_process_stops_and_continues_every_thread },
	{ "stop through a thread, then SIGKILL ends every thread",
	  test_stop_through_a_thread_then_sigkill_ends_every_thread },
	{ "expect state=stopped", test_stop_expect_state_stopped },
	{ "timed mq_receive keeps its deadline", test_stop_timed_mq_receive_keeps_its_deadline },
	{ "SIGCONT handler makes a stopped sleep EINTR",
	  test_stop_sigcont_handler_makes_a_stopped_sleep_eintr },
	{ "mq_receive and wait are restarted", test_stop_mq_receive_and_wait_are_restarted },
	{ "mq_notify by SIGSTOP stops the registered process",
	  test_stop_mq_notify_by_sigstop_stops_the_registered_process },
	{ "SIGCONT alone stays cross-checkable", test_stop_sigcont_alone_stays_cross_checkable },
	{ "msgrcv leaves the queue and looks again",
	  test_stop_msgrcv_leaves_the_queue_and_looks_again },
	{ "message sent while stopped stays queued",
	  test_stop_message_sent_while_stopped_stays_queued },
	{ "semop fails with EINTR after SIGCONT", test_stop_semop_fails_with_eintr_after_sigcont },
	{ "pipe read is restarted", test_stop_pipe_read_is_restarted },
	{ "sleep keeps its deadline", test_stop_sleep_keeps_its_deadline },
	{ "SIGKILL ends a stopped process, SIGTERM waits",
	  test_stop_sigkill_ends_a_stopped_process_sigterm_waits },
	{ "stopped forever is a deadlock that names the stop",
	  test_stop_stopped_forever_is_a_deadlock_that_names_the_stop },
	{ "stop and SIGCONT discard each other when pending",
	  test_stop_and_sigcont_discard_each_other_when_pending },
	{ "handled or ignored stop signals do not stop",
	  test_stop_handled_or_ignored_stop_signals_do_not_stop },
	{ "parent gets SIGCHLD on stop and continue",
	  test_stop_parent_gets_sigchld_on_stop_and_continue },
	{ "scheduler never picks a stopped ready task",
	  test_stop_scheduler_never_picks_a_stopped_ready_task },
	CU_TEST_INFO_NULL,
};
