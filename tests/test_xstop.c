/* test_xstop.c — the scenario's own stop signals on the real kernel (xcheck_stop.c): which
 * scenarios stop processes, the calls a stop cuts short held back until the model runs
 * them, and each stop and continue compared with /proc, in lockstep and in free runs.
 *
 * The cross-check tests run real workers, as test_xcheck.c does.
 */
#define _GNU_SOURCE

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "msgsim/calls/call.h"
#include "msgsim/engine/world.h"
#include "msgsim/real/xcheck.h"
#include "real/xcheck_int.h"
#include "tests.h"

static gboolean has(const char *text, const char *what)
{
	if (strstr(text, what))
		return TRUE;
	fprintf(stderr, "\nno '%s' in:\n%s\n", what, text);
	return FALSE;
}

/* A sender blocked on a full queue is stopped, a rival queues behind it, room is made and
 * the sender is continued: the stop took the sender off the queue's list, so the rival's
 * message goes first (scenarios/signals/stop-sender.scn, shorter). */
static const char SENDER[] = "sysv queue small key=0x5c31 perm=0600\n"
			     "process main {\n"
			     "    msgctl small set qbytes=8\n"
			     "    fork sender {\n"
			     "        msgsnd small type=1 \"12345678\"\n"
			     "        msgsnd small type=2 \"abcdefgh\"\n"
			     "    }\n"
			     "    fork rival {\n"
			     "        sleep 2ms\n"
			     "        msgsnd small type=9 \"rivalmsg\"\n"
			     "    }\n"
			     "    sleep 1ms\n"
			     "    kill sender SIGSTOP\n"
			     "    sleep 2ms\n"
			     "    msgrcv small size=8 -> m\n"
			     "    kill sender SIGCONT\n"
			     "    msgrcv small size=8 -> m\n"
			     "    msgrcv small size=8 -> m\n"
			     "    wait sender\n"
			     "    wait rival\n"
			     "}\n"
			     "expect main received [\"12345678\", \"rivalmsg\", \"abcdefgh\"]\n";

/* A process that stops itself, and one stopped by another, that nobody continues. */
static const char FOREVER[] = "process worker { sleep 2ms }\n"
			      "process job { kill job SIGTSTP }\n"
			      "process main {\n"
			      "    sleep 1ms\n"
			      "    kill worker SIGSTOP\n"
			      "}\n"
			      "expect worker state=stopped\n"
			      "expect job state=stopped\n";

static void test_xstop_a_stop_signal_is_found_in_any_body(void)
{
	static const struct {
		const char *text;
		gboolean stops;
	} cases[] = {
		{ "process p { kill p SIGSTOP }\n", TRUE },
		{ "process p { kill p SIGTSTP }\n", TRUE },
		{ "process p { repeat 2 { kill p SIGTTIN } }\n", TRUE },
		{ "process p { fork c { kill p SIGTTOU } }\n", TRUE },
		{ "process p { kill p SIGCONT }\n", FALSE },
		{ "process p { kill p SIGTERM }\n", FALSE },
		{ "process p { sleep 1ms }\n", FALSE },
	};
	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autoptr(SimScenario) scn = test_scn_load("t.scn", cases[i].text);
		CU_ASSERT_PTR_NOT_NULL_FATAL(scn);
		CU_ASSERT_EQUAL(sim_call_sends_stop(scn), cases[i].stops);
		/* And none is refused for it any more. */
		g_autofree char *why = sim_xcheck_unsupported(scn);
		CU_ASSERT_PTR_NULL(why);
	}
}

/* The sender's msgsnd, cut short by its stop, is held from before the kill SIGSTOP (the
 * fourth call of the run: action 6 counting the forks' children's calls) until the model
 * runs it again after the continue; so is the rival's, woken to look again. */
static void test_xstop_a_call_its_stop_cut_short_is_held_back(void)
{
	g_autoptr(SimScenario) scn = test_scn_load("t.scn", SENDER);
	CU_ASSERT_PTR_NOT_NULL_FATAL(scn);
	SimWorldOptions wo = { 0 };
	XPlan plan;
	xc_plan_make(scn, &wo, NULL, &plan);
	CU_ASSERT_EQUAL(plan.diverge, 0);
	gboolean sender = FALSE;
	for (guint i = 0; i < plan.holds->len; i++) {
		const XHold *h = &g_array_index(plan.holds, XHold, i);
		sender |= strcmp(plan.w->tasks[h->task].name, "sender") == 0;
	}
	CU_ASSERT_TRUE(sender);
	xc_plan_clear(&plan);
}

/* A pipe read its stop cut short is restarted by the kernel the moment SIGCONT comes, and
 * by the model only when the reader runs, after main's second write: held back from
 * before the stop to then, the kernel's read takes both writes too. */
static const char PIPE[] = "process main {\n"
			   "    pipe -> p\n"
			   "    fork reader { @r read p.r size=8 }\n"
			   "    sleep 1ms\n"
			   "    kill reader SIGSTOP\n"
			   "    write p.w \"data\"\n"
			   "    kill reader SIGCONT\n"
			   "    write p.w \"more\"\n"
			   "    wait reader\n"
			   "}\n"
			   "expect @r blocked ret=8\n";

static void test_xstop_a_pipe_read_its_stop_cut_short_is_held_back(void)
{
	g_autoptr(SimScenario) scn = test_scn_load("t.scn", PIPE);
	CU_ASSERT_PTR_NOT_NULL_FATAL(scn);
	SimWorldOptions wo = { 0 };
	XPlan plan;
	xc_plan_make(scn, &wo, NULL, &plan);
	CU_ASSERT_EQUAL(plan.diverge, 0);
	CU_ASSERT_EQUAL_FATAL(plan.holds->len, 1);
	const XHold *h = &g_array_index(plan.holds, XHold, 0);
	CU_ASSERT_STRING_EQUAL(plan.w->tasks[h->task].name, "reader");
	CU_ASSERT_EQUAL(h->at, 4); /* pipe, fork, reader's read, then the kill SIGSTOP */
	xc_plan_clear(&plan);
}

/* The lockstep cross-check of text, every row kept (test_xrows.c). */
static SimXcheckReport lockstep(const char *text)
{
	SimXcheckReport rep = { 0 };
	test_xcheck_rows(text, FALSE, &rep);
	return rep;
}

/* The stop while the sender is held shows as a stop signal pending on the kernel's side;
 * the continue as none; the rival's message comes first there too. */
static void test_xstop_lockstep_compares_each_stop_and_continue(void)
{
	SimXcheckReport rep = lockstep(SENDER);
	CU_ASSERT_EQUAL(rep.verdict, SIM_XCHECK_MATCH);
	CU_ASSERT_EQUAL(rep.mismatches, 0);
	CU_ASSERT_TRUE(rep.held >= 1);
	CU_ASSERT_TRUE(has(rep.text, "| sender | stop | stopped by SIGSTOP | stopped (held: the "
				     "stop pending) | yes |"));
	CU_ASSERT_TRUE(has(rep.text, "| sender | continue | continued | continued | yes |"));
	CU_ASSERT_TRUE(has(rep.text, "held back (ptrace, as the scenario stops processes "
				     "itself)"));
	CU_ASSERT_TRUE(has(rep.text, "ok 8 \"rivalmsg\" type=9 | ok 8 \"rivalmsg\" type=9 | yes"));
	sim_xcheck_report_clear(&rep);
}

static void test_xstop_lockstep_a_restarted_read_takes_what_came_meanwhile(void)
{
	SimXcheckReport rep = lockstep(PIPE);
	CU_ASSERT_EQUAL(rep.verdict, SIM_XCHECK_MATCH);
	CU_ASSERT_EQUAL(rep.held, 1);
	CU_ASSERT_TRUE(has(rep.text, "| reader | read (line 3) | ok 8 \"datamore\" | ok 8 "
				     "\"datamore\" | yes |"));
	sim_xcheck_report_clear(&rep);
}

/* job's kill stops job in the kernel before it returns: its answer never comes, and what
 * is compared is that it is stopped; worker is stopped at the end on both sides, and the
 * expectations hold on the kernel. */
static void test_xstop_a_process_that_stops_itself_is_compared_stopped(void)
{
	SimXcheckReport rep = lockstep(FOREVER);
	CU_ASSERT_EQUAL(rep.verdict, SIM_XCHECK_MATCH);
	CU_ASSERT_TRUE(has(rep.text, "| job | stop | stopped by SIGTSTP | stopped | yes |"));
	CU_ASSERT_TRUE(has(rep.text, "| job | kill (line 2) | ok 0, and stopped by it | stopped "
				     "in it, before it returned | yes |"));
	CU_ASSERT_TRUE(has(rep.text, "| worker | stopped at the end | stopped | stopped | yes |"));
	CU_ASSERT_TRUE(has(rep.text, "expectations: 2, 0 failed in the model, 0 on the kernel"));
	sim_xcheck_report_clear(&rep);
}

/* The same process continued: its kill's answer comes then, and is compared. */
static void test_xstop_a_self_stop_answers_at_the_continue(void)
{
	SimXcheckReport rep = lockstep("process job { kill job SIGSTOP\n msgget key=0x5c32 "
				       "create perm=0600 -> q\n msgctl q rmid }\n"
				       "process main { sleep 1ms\n kill job SIGCONT }\n");
	CU_ASSERT_EQUAL(rep.verdict, SIM_XCHECK_MATCH);
	CU_ASSERT_EQUAL(rep.mismatches, 0);
	CU_ASSERT_TRUE(has(rep.text, "| job | continue | continued | continued | yes |\n"
				     "| 4 | job | kill (line 1) | ok 0 | ok 0 | yes |"));
	sim_xcheck_report_clear(&rep);
}

/* The model's kill of an ended thread: ESRCH, its process alive or a zombie (probed on
 * Linux: a non-leader thread's tid is freed when it ends); the zombie's pid takes it. */
static void test_xstop_kill_of_an_ended_thread_is_esrch(void)
{
	TestRun r = test_run_text("process main {\n"
				  "    fork c { thread t { sleep 1us }  join t  sleep 2ms }\n"
				  "    sleep 1ms\n"
				  "    @alive kill t SIGTERM\n"
				  "    sleep 2ms\n"
				  "    @zombie kill t SIGTERM\n"
				  "    @zpid kill c SIGTERM\n"
				  "    wait c\n"
				  "}\n"
				  "expect @alive errno=ESRCH\n"
				  "expect @zombie errno=ESRCH\n"
				  "expect @zpid ok\n"
				  "expect c exit=0\n",
				  FALSE, NULL);
	CU_ASSERT_EQUAL(r.verdict.failed, 0);
	CU_ASSERT_EQUAL(r.verdict.passed, 4);
	test_run_free(&r);
}

/* Free runs: the kernel's own order, each outcome in the model's set. */
static void test_xstop_free_runs_land_in_the_models_set(void)
{
	static const char *const texts[] = { SENDER, FOREVER, PIPE };
	for (guint i = 0; i < G_N_ELEMENTS(texts); i++) {
		g_autoptr(GError) error = NULL;
		g_autoptr(SimScenario) scn = test_scn_load("t.scn", texts[i]);
		CU_ASSERT_PTR_NOT_NULL_FATAL(scn);
		SimXcheckOptions opt = { .seed = 5, .seed_set = TRUE };
		SimXcheckFree fr;
		CU_ASSERT_TRUE_FATAL(sim_xcheck_free(scn, "t.scn", &opt, 3, 0, 30, &fr, &error));
		CU_ASSERT_EQUAL(fr.verdict, SIM_XCHECK_MATCH);
		CU_ASSERT_EQUAL(fr.failed, 0);
		CU_ASSERT_EQUAL(fr.diverged, 0);
		CU_ASSERT_EQUAL(fr.outside, 0);
		sim_xcheck_free_clear(&fr);
	}
}

/* ---- A stop signal to the run while a worker is held by ptrace ---- */

/* A woken sender is held (a ptrace stop, 't': the scenario stops processes) while its
 * waker's process computes for 100 model ms, two real seconds at the pace of a timed
 * scenario: SIGTERM then ends the run, the held worker dies with the others (its tracer
 * gone), and nothing of the run is left. */
static void test_xstop_a_run_ended_while_a_worker_is_traced_leaves_nothing(void)
{
	static const char text[] = "sysv queue q key=0x5c33 perm=0600\n"
				   "sysctl msgmnb=16\n"
				   "posix queue \"/xstopk\"\n"
				   "process filler { msgsnd q \"0123456789abcdef\" size=16 }\n"
				   "process S start=1ms { msgsnd q \"x\" size=1 }\n"
				   "process r start=2ms {\n"
				   "    msgrcv q size=16 -> a\n"
				   "    msgrcv q size=16 nowait -> b\n"
				   "    compute 100ms\n"
				   "    mq_receive \"/xstopk\" timeout=1ms\n"
				   "}\n"
				   "process z start=1s { kill z SIGSTOP }\n";
	g_autoptr(GArray) pids = g_array_new(FALSE, FALSE, sizeof(pid_t));
	gboolean held;
	pid_t top = test_crosscheck_until(text, 't', pids, &held);
	CU_ASSERT_TRUE(held);
	kill(top, SIGTERM);
	int st = 0;
	CU_ASSERT_EQUAL(waitpid(top, &st, 0), top);
	CU_ASSERT_TRUE(WIFEXITED(st) && WEXITSTATUS(st) == 128 + SIGTERM);
	for (guint i = 1; i < pids->len; i++) {
		pid_t p = g_array_index(pids, pid_t, i);
		gboolean gone = FALSE;
		for (int tries = 0; tries < 200 && !gone; tries++, g_usleep(5000))
			gone = kill(p, 0) < 0 && errno == ESRCH;
		CU_ASSERT_TRUE(gone);
		if (!gone)
			kill(p, SIGKILL);
	}
}

CU_TestInfo xstop_tests[] = {
	{ "a stop signal is found in any body", test_xstop_a_stop_signal_is_found_in_any_body },
	{ "a call its stop cut short is held back",
	  test_xstop_a_call_its_stop_cut_short_is_held_back },
	{ "a pipe read its stop cut short is held back",
	  test_xstop_a_pipe_read_its_stop_cut_short_is_held_back },
	{ "lockstep: a restarted read takes what came meanwhile",
	  test_xstop_lockstep_a_restarted_read_takes_what_came_meanwhile },
	{ "lockstep compares each stop and continue",
	  test_xstop_lockstep_compares_each_stop_and_continue },
	{ "a process that stops itself is compared stopped",
	  test_xstop_a_process_that_stops_itself_is_compared_stopped },
	{ "a self-stop answers at the continue", test_xstop_a_self_stop_answers_at_the_continue },
	{ "free runs land in the model's set", test_xstop_free_runs_land_in_the_models_set },
	{ "kill of an ended thread is ESRCH", test_xstop_kill_of_an_ended_thread_is_esrch },
	{ "a run ended while a worker is traced leaves nothing",
	  test_xstop_a_run_ended_while_a_worker_is_traced_leaves_nothing },
	CU_TEST_INFO_NULL,
};
