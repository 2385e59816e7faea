/* test_xfree.c — free runs (`msgsim crosscheck --free N`): an outcome the kernel shows is
 * found in the explored set, one outside it is a fidelity bug with its call log, a model
 * the kernel disagrees with is caught call by call, a real deadlock ends the run, forks,
 * signals and timeouts run free, what a free run cannot do is said, and a stop signal
 * leaves nothing behind. */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "msgsim/real/xcheck.h"
#include "real/xcheck_int.h"
#include "tests.h"

/* One message from p to r: whatever the order, r receives it (one outcome). */
static const char *const ONE_TEXT = "sysv queue q key=0x2241 perm=0600\n"
				    "process p { msgsnd q \"hi\" size=2 }\n"
				    "process r { msgrcv q size=8 }\n";

/* n free runs of text, its exploration bounded by max_executions (0: none). */
static SimXcheckFree free_runs_bounded(const char *text, SimXcheckOptions *opt, guint n,
				       guint64 max_executions)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(SimScenario) scn = sim_scn_parse("t.scn", text, strlen(text), &error);
	CU_ASSERT_PTR_NOT_NULL_FATAL(scn);
	SimXcheckFree fr;
	CU_ASSERT_TRUE_FATAL(
		sim_xcheck_free(scn, "t.scn", opt, n, max_executions, 30, &fr, &error));
	CU_ASSERT_PTR_NOT_NULL_FATAL(fr.text);
	return fr;
}

static SimXcheckFree free_runs(const char *text, SimXcheckOptions *opt, guint n)
{
	return free_runs_bounded(text, opt, n, 0);
}

static gboolean has(const char *text, const char *what)
{
	if (strstr(text, what))
		return TRUE;
	fprintf(stderr, "\nno '%s' in:\n%s\n", what, text);
	return FALSE;
}

/* No process of ours is left, and no sandbox directory of a process that is gone. */
static void assert_nothing_left(void)
{
	CU_ASSERT_EQUAL(waitpid(-1, NULL, WNOHANG), -1);
	DIR *d = opendir(g_get_tmp_dir());
	CU_ASSERT_PTR_NOT_NULL_FATAL(d);
	struct dirent *e;
	while ((e = readdir(d))) {
		if (!g_str_has_prefix(e->d_name, "msgsim-real-"))
			continue;
		long pid = strtol(e->d_name + strlen("msgsim-real-"), NULL, 10);
		CU_ASSERT_TRUE(pid > 0 && kill((pid_t)pid, 0) == 0);
	}
	closedir(d);
}

/* A task's first 256 calls are all delayed; after them about one in 64 is, so 6,400 more
 * calls draw about 100 more delays, each within the bound. */
static void test_xfree_delays_thin_out_after_the_first_calls(void)
{
	GRand *rng = g_rand_new_with_seed(7);
	guint n = 0, nonzero = 0;
	for (guint k = 0; k < 256; k++) {
		gint64 d = xc_free_draw_delay(rng, &n, 2000);
		CU_ASSERT(d >= 0 && d <= 2000);
		nonzero += d > 0;
	}
	CU_ASSERT_EQUAL(n, 256);
	CU_ASSERT(nonzero > 250);
	for (guint k = 0; k < 6400; k++)
		CU_ASSERT(xc_free_draw_delay(rng, &n, 2000) <= 2000);
	CU_ASSERT(n > 256 + 60 && n < 256 + 140);
	g_rand_free(rng);
}

static void test_xfree_a_known_outcome_is_found_in_the_set(void)
{
	SimXcheckOptions opt = { .seed = 7, .seed_set = TRUE };
	SimXcheckFree fr = free_runs(ONE_TEXT, &opt, 3);
	CU_ASSERT_EQUAL(fr.verdict, SIM_XCHECK_MATCH);
	CU_ASSERT_EQUAL(fr.runs, 3);
	CU_ASSERT_TRUE(fr.complete);
	CU_ASSERT_EQUAL(fr.explored, 1);
	CU_ASSERT_EQUAL(fr.observed, 1);
	CU_ASSERT_EQUAL(fr.outside, 0);
	CU_ASSERT_EQUAL(fr.diverged, 0);
	CU_ASSERT_EQUAL(fr.failed, 0);
	CU_ASSERT_TRUE(has(fr.text, "  #1  3 runs  inside the model's set\n"
				    "    p: msgsnd; exit 0\n"
				    "    r: msgrcv \"hi\" type=1; exit 0\n"));
	CU_ASSERT_TRUE(has(fr.text, "verdict: all 3 runs inside the model's set\n"));
	sim_xcheck_free_clear(&fr);
	assert_nothing_left();
}

/* The report's parts, in order: the header with the seed, the exploration, the runs, the
 * outcomes observed, those never observed with a witness each, the verdict. */
static void test_xfree_the_report_lists_runs_outcomes_and_the_unobserved(void)
{
	static const char text[] = "sysv queue q key=0x2242 perm=0600\n"
				   "process a { msgsnd q \"a\" size=1 nowait }\n"
				   "process b { msgrcv q size=8 nowait }\n";
	SimXcheckOptions opt = { .seed = 11, .seed_set = TRUE };
	SimXcheckFree fr = free_runs(text, &opt, 2);
	CU_ASSERT_EQUAL(fr.explored, 2); /* b before a: ENOMSG and "a" left; or b gets "a" */
	CU_ASSERT_EQUAL(fr.outside, 0);
	const char *parts[] = { "# t.scn: 2 free runs on the real kernel (seed 11)\n",
				"exploration: complete, ",
				"runs: 1:#1 2:#",
				"observed: ",
				"model outcomes never observed: ",
				"verdict: " };
	const char *at = fr.text;
	for (guint i = 0; i < G_N_ELEMENTS(parts); i++) {
		const char *p = strstr(at, parts[i]);
		CU_ASSERT_PTR_NOT_NULL(p);
		if (!p) {
			fprintf(stderr, "\nno '%s' after:\n%s\n", parts[i], at);
			break;
		}
		at = p;
	}
	/* Whatever was not observed is listed with its witness. */
	if (fr.observed == 1)
		CU_ASSERT_TRUE(has(fr.text, "model outcomes never observed: 1 of 2\n  witness "));
	sim_xcheck_free_clear(&fr);
	assert_nothing_left();
}

/* The model doctored to an empty set: every outcome is foreign, a fidelity bug shown with
 * the call log of the run that gave it. */
static void test_xfree_a_foreign_outcome_is_a_fidelity_bug_with_its_log(void)
{
	SimXcheckOptions opt = { .seed = 3, .seed_set = TRUE, .doctor = TRUE };
	SimXcheckFree fr = free_runs(ONE_TEXT, &opt, 2);
	CU_ASSERT_EQUAL(fr.explored, 0);
	CU_ASSERT_EQUAL(fr.outside, 2);
	CU_ASSERT_TRUE(fr.complete);
	CU_ASSERT_TRUE(has(fr.text, "  #1  2 runs  OUTSIDE the model's set: a fidelity bug\n"));
	CU_ASSERT_TRUE(has(fr.text, "    call log of run 1:\n"));
	CU_ASSERT_TRUE(has(fr.text, "| p | msgsnd (line 2) | ok 0 | ok 0 | yes |"));
	CU_ASSERT_TRUE(has(fr.text, "verdict: FIDELITY BUG: 2 runs outside the model's set\n"));
	sim_xcheck_free_clear(&fr);
	assert_nothing_left();
}

/* A model result made wrong (the lockstep's injection): the kernel's run cannot be the
 * model's, and the run says at which call. */
static void test_xfree_a_wrong_model_result_makes_the_run_diverge(void)
{
	SimXcheckOptions opt = { .seed = 5, .seed_set = TRUE, .inject = 1 };
	SimXcheckFree fr = free_runs(ONE_TEXT, &opt, 1);
	CU_ASSERT_EQUAL(fr.diverged, 1);
	CU_ASSERT_EQUAL(fr.observed, 0);
	CU_ASSERT_TRUE(has(fr.text, "run 1 diverged: "));
	CU_ASSERT_TRUE(has(fr.text, "**NO**"));
	sim_xcheck_free_clear(&fr);
	assert_nothing_left();
}

/* Two receivers of an empty queue: the kernel's processes stay asleep, the run ends as a
 * deadlock, its workers killed and its queue gone, and the model has that outcome. */
static void test_xfree_a_real_deadlock_ends_the_run_and_is_found(void)
{
	static const char text[] = "sysv queue q key=0x2243 perm=0600\n"
				   "process a { msgrcv q size=8 }\n"
				   "process b { msgrcv q size=8 }\n"
				   "expect deadlock\n";
	SimXcheckOptions opt = { .seed = 9, .seed_set = TRUE, .quiet_ms = 100 };
	SimXcheckFree fr = free_runs(text, &opt, 2);
	CU_ASSERT_EQUAL(fr.outside, 0);
	CU_ASSERT_EQUAL(fr.failed, 0);
	CU_ASSERT_EQUAL(fr.diverged, 0);
	CU_ASSERT_EQUAL(fr.observed, 1);
	CU_ASSERT_TRUE(has(fr.text, "    a: blocked in msgrcv"));
	CU_ASSERT_TRUE(has(fr.text, "    deadlock\n"));
	sim_xcheck_free_clear(&fr);
	assert_nothing_left();
}

/* a sleeps in the kernel for good while b goes on: the model makes a's call as soon as
 * it sleeps for real (and blocks it), or b's later calls could never follow it. */
static void test_xfree_a_sleeping_call_is_made_before_later_ones(void)
{
	static const char text[] = "sysv queue q key=0x2244 perm=0600\n"
				   "sysv queue r key=0x2245 perm=0600\n"
				   "process a { msgrcv q size=8 }\n"
				   "process b { sleep 5ms  msgsnd r \"x\" size=1  msgrcv r size=8 }\n";
	SimXcheckOptions opt = { .seed = 13, .seed_set = TRUE, .step_ms = 1000 };
	SimXcheckFree fr = free_runs(text, &opt, 3);
	CU_ASSERT_EQUAL(fr.diverged, 0);
	CU_ASSERT_EQUAL(fr.failed, 0);
	CU_ASSERT_EQUAL(fr.outside, 0);
	CU_ASSERT_EQUAL(fr.observed, 1);
	CU_ASSERT_TRUE(has(fr.text, "    a: blocked in msgrcv"));
	CU_ASSERT_TRUE(has(fr.text, "    b: msgsnd; msgrcv \"x\" type=1; exit 0\n"));
	sim_xcheck_free_clear(&fr);
	assert_nothing_left();
}

static void test_xfree_what_a_free_run_cannot_do_is_said(void)
{
	/* A body's kill under an if on a variable: the lockstep's refusal, said before any run. */
	static const char text[] = "process a {\n"
				   "  on SIGUSR1 handler { let n = si.pid\n"
				   "    if n > 0 { kill a SIGUSR2 } }\n"
				   "  on SIGUSR2 ignore\n"
				   "}\n";
	SimXcheckOptions opt = { 0 };
	SimXcheckFree fr = free_runs(text, &opt, 1);
	CU_ASSERT_EQUAL(fr.verdict, SIM_XCHECK_NOT_CHECKABLE);
	CU_ASSERT_EQUAL(fr.runs, 0);
	CU_ASSERT_TRUE(has(fr.reason, "reads a variable of the body"));
	sim_xcheck_free_clear(&fr);
}

/* Every run of text inside its complete explored set, none diverged or failed. */
static SimXcheckFree all_inside(const char *text, SimXcheckOptions *opt, guint n)
{
	SimXcheckFree fr = free_runs(text, opt, n);
	CU_ASSERT_EQUAL(fr.verdict, SIM_XCHECK_MATCH);
	CU_ASSERT_EQUAL(fr.runs, n);
	CU_ASSERT_TRUE(fr.complete);
	CU_ASSERT_EQUAL(fr.outside, 0);
	CU_ASSERT_EQUAL(fr.diverged, 0);
	CU_ASSERT_EQUAL(fr.failed, 0);
	if (fr.outside || fr.diverged || fr.failed)
		fprintf(stderr, "\n%s\n", fr.text);
	return fr;
}

/* A fork's child is a real process forked by its parent's worker, taken on when the
 * model forks: it runs free too, and its parent's wait gets its real end. */
static const char *const FORK_TEXT = "process a {\n"
				     "    pipe -> p\n"
				     "    fork b { write p.w \"x\" }\n"
				     "    read p.r size=8\n"
				     "    wait b\n"
				     "}\n";

static void test_xfree_a_fork_and_its_wait_run_free(void)
{
	SimXcheckOptions opt = { .seed = 17, .seed_set = TRUE };
	SimXcheckFree fr = all_inside(FORK_TEXT, &opt, 3);
	CU_ASSERT_EQUAL(fr.observed, 1);
	CU_ASSERT_TRUE(has(fr.text, "    a: pipe =3; fork; read \"x\"; wait; exit 0\n"
				    "    b: write =1; exit 0\n"));
	sim_xcheck_free_clear(&fr);
	assert_nothing_left();
}

/* The model doctored to an empty set: a fork scenario's outcome, too, is then a fidelity
 * bug, so the lookup can fail. */
static void test_xfree_a_doctored_set_fails_a_fork_scenario(void)
{
	SimXcheckOptions opt = { .seed = 19, .seed_set = TRUE, .doctor = TRUE };
	SimXcheckFree fr = free_runs(FORK_TEXT, &opt, 1);
	CU_ASSERT_EQUAL(fr.outside, 1);
	CU_ASSERT_TRUE(has(fr.text, "OUTSIDE the model's set: a fidelity bug\n"));
	CU_ASSERT_TRUE(has(fr.text, "    schedule: a*"));
	sim_xcheck_free_clear(&fr);
	assert_nothing_left();
}

/* kill with a handler without SA_RESTART: whether the signal comes before the handler is
 * set, between, or during the receive, every outcome is the model's. */
static void test_xfree_a_signal_runs_free(void)
{
	static const char text[] = "sysv queue q key=0x2246 perm=0600\n"
				   "process a { on SIGUSR1 handler norestart  msgrcv q size=8 }\n"
				   "process k { sleep 5ms  kill a SIGUSR1 }\n";
	SimXcheckOptions opt = { .seed = 23, .seed_set = TRUE, .quiet_ms = 100 };
	SimXcheckFree fr = all_inside(text, &opt, 4);
	sim_xcheck_free_clear(&fr);
	assert_nothing_left();
}

/* A SA_RESTART handler sends r1's read back to sleep, behind r2's: the model makes the
 * restarted read at once, so the two agree on who gets "A". */
static void test_xfree_a_restarted_call_queues_behind_the_others(void)
{
	static const char text[] = "process main {\n"
				   "    pipe -> p\n"
				   "    fork r1 { on SIGUSR1 handler  read p.r size=10 }\n"
				   "    sleep 1ms\n"
				   "    fork r2 { read p.r size=10 }\n"
				   "    sleep 1ms\n"
				   "    kill r1 SIGUSR1\n"
				   "    sleep 1ms\n"
				   "    write p.w \"A\"\n"
				   "    sleep 1ms\n"
				   "    write p.w \"B\"\n"
				   "    wait r1\n"
				   "    wait r2\n"
				   "}\n";
	SimXcheckOptions opt = { .seed = 29, .seed_set = TRUE };
	SimXcheckFree fr = all_inside(text, &opt, 6);
	sim_xcheck_free_clear(&fr);
	assert_nothing_left();
}

/* A timed receive of an empty queue: the kernel's ETIMEDOUT is the model's timeout,
 * made in the model when the kernel gives it. */
static void test_xfree_a_timeout_runs_free(void)
{
	static const char text[] = "posix queue \"/q\" maxmsg=1 msgsize=8\n"
				   "process r { mq_receive \"/q\" timeout=1ms }\n";
	SimXcheckOptions opt = { .seed = 31, .seed_set = TRUE };
	SimXcheckFree fr = all_inside(text, &opt, 2);
	CU_ASSERT_EQUAL(fr.observed, 1);
	CU_ASSERT_TRUE(has(fr.text, "    r: mq_receive ETIMEDOUT; exit 0\n"));
	sim_xcheck_free_clear(&fr);
	assert_nothing_left();
}

/* A timeout racing a send: the message or ETIMEDOUT (the message then left queued), and
 * the model makes the two in the kernel's order. */
static void test_xfree_a_timeout_racing_a_send_is_in_the_set(void)
{
	static const char text[] = "posix queue \"/q\" maxmsg=1 msgsize=8\n"
				   "process r { mq_receive \"/q\" timeout=2ms }\n"
				   "process s { sleep 2ms  mq_send \"/q\" \"x\" }\n";
	SimXcheckOptions opt = { .seed = 37, .seed_set = TRUE };
	SimXcheckFree fr = all_inside(text, &opt, 6);
	sim_xcheck_free_clear(&fr);
	assert_nothing_left();
}

/* What a receive reads of a queue's file holds the registered process's pid, the kernel's
 * in the run: the outcome is written with the model's pid, as the explorer writes it. */
static void test_xfree_an_outcome_holds_the_models_pids(void)
{
	static const char text[] = "posix queue \"/s\" maxmsg=1 msgsize=8\n"
				   "process w { mq_notify \"/s\" signal=SIGUSR1  read 3 size=100 }\n";
	SimXcheckOptions opt = { .seed = 41, .seed_set = TRUE };
	SimXcheckFree fr = all_inside(text, &opt, 1);
	CU_ASSERT_TRUE(has(fr.text, "NOTIFY_PID:100"));
	sim_xcheck_free_clear(&fr);
	assert_nothing_left();
}

/* The msgsim command built beside this test program. */
static char *msgsim_path(void)
{
	g_autofree char *self = g_file_read_link("/proc/self/exe", NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(self);
	g_autofree char *dir = g_path_get_dirname(self);
	char *near = g_build_filename(dir, "msgsim", NULL);
	if (g_file_test(near, G_FILE_TEST_IS_EXECUTABLE))
		return near;
	g_free(near);
	g_autofree char *up = g_path_get_dirname(dir);
	return g_build_filename(up, "msgsim", NULL);
}

/* SIGTERM in the middle of many free runs: 128 + 15, and no process or directory left. */
static void test_xfree_a_stop_signal_mid_run_leaves_nothing(void)
{
	g_autofree char *exe = msgsim_path();
	g_autofree char *file = NULL;
	int fd = g_file_open_tmp("msgsim-free-XXXXXX.scn", &file, NULL);
	CU_ASSERT_TRUE_FATAL(fd >= 0);
	CU_ASSERT_TRUE(write(fd, ONE_TEXT, strlen(ONE_TEXT)) == (ssize_t)strlen(ONE_TEXT));
	close(fd);
	fflush(NULL);
	pid_t harness = fork();
	CU_ASSERT_TRUE_FATAL(harness >= 0);
	if (harness == 0) {
		/* Whatever the command leaves comes back here, to be seen. */
		if (prctl(PR_SET_CHILD_SUBREAPER, 1) < 0)
			_exit(10);
		pid_t top = fork();
		if (top == 0) {
			int null = open("/dev/null", O_WRONLY);
			dup2(null, 1);
			dup2(null, 2);
			execl(exe, "msgsim", "crosscheck", "--free", "100000", file, (char *)NULL);
			_exit(127);
		}
		g_usleep(1500 * 1000); /* several runs in */
		kill(top, SIGTERM);
		int st = 0;
		if (waitpid(top, &st, 0) != top)
			_exit(11);
		if (!WIFEXITED(st) || WEXITSTATUS(st) != 128 + SIGTERM)
			_exit(12);
		/* What the command's processes left to their parent of last resort comes here:
		 * a process that was already killed may take a moment to end (more under a
		 * sanitizer), and is reaped; one still there after 2 s survived. */
		gint64 until = g_get_monotonic_time() + 2 * G_USEC_PER_SEC;
		for (;;) {
			pid_t w = waitpid(-1, NULL, WNOHANG);
			if (w < 0 && errno == ECHILD)
				break;
			if (w == 0 && g_get_monotonic_time() > until)
				_exit(13); /* a worker or coordinator survived */
			if (w == 0)
				g_usleep(10 * 1000);
		}
		_exit(0);
	}
	int st = 0;
	CU_ASSERT_EQUAL(waitpid(harness, &st, 0), harness);
	CU_ASSERT_TRUE(WIFEXITED(st));
	CU_ASSERT_EQUAL(WEXITSTATUS(st), 0);
	unlink(file);
	assert_nothing_left();
}

/* late is process 0, so the exploration's first execution runs it first and r receives
 * "late"; on the kernel it starts 15 ms after early, and r (at 5 ms) receives "early". */
static const char *const LATE_TEXT = "sysv queue q key=0x2249 perm=0600\n"
				     "process late start=20ms { msgsnd q \"late\" size=4 }\n"
				     "process early { msgsnd q \"early\" size=5 }\n"
				     "process r start=5ms { msgrcv q size=8 }\n";

/* An exploration cut after its first execution misses what the runs show; a search for
 * each such outcome alone finds it, with a witness, and the runs are inside. */
static void test_xfree_an_outcome_a_cut_exploration_missed_is_searched_for(void)
{
	SimXcheckOptions opt = { .seed = 23, .seed_set = TRUE };
	SimXcheckFree fr = free_runs_bounded(LATE_TEXT, &opt, 2, 1);
	CU_ASSERT_EQUAL(fr.verdict, SIM_XCHECK_MATCH);
	CU_ASSERT_FALSE(fr.complete);
	CU_ASSERT_EQUAL(fr.explored, 1);
	CU_ASSERT_EQUAL(fr.found, 1);
	CU_ASSERT_EQUAL(fr.outside, 0);
	CU_ASSERT_EQUAL(fr.unknown, 0);
	CU_ASSERT_TRUE(has(fr.text, "  #1  2 runs  inside the model's set: found by a search for "
				    "it (a search for it alone, "));
	CU_ASSERT_TRUE(has(fr.text, "    r: msgrcv \"early\" type=1; exit 0\n"
				    "    sysv queue q: 1:\"late\"\n"
				    "    witness "));
	CU_ASSERT_TRUE(has(fr.text, "model outcomes never observed: 1 of at least 1\n"));
	CU_ASSERT_TRUE(has(fr.text, "verdict: all 2 runs inside the model's set\n"));
	sim_xcheck_free_clear(&fr);
	assert_nothing_left();
}

/* The model doctored to look for what no schedule gives: the search for it covers every
 * schedule that could, finds none, and the run is a fidelity bug although the exploration
 * was cut. */
static void test_xfree_an_outcome_no_schedule_reaches_is_a_fidelity_bug(void)
{
	SimXcheckOptions opt = { .seed = 29, .seed_set = TRUE, .doctor = TRUE };
	SimXcheckFree fr = free_runs_bounded(LATE_TEXT, &opt, 1, 1);
	CU_ASSERT_FALSE(fr.complete);
	CU_ASSERT_EQUAL(fr.outside, 1);
	CU_ASSERT_EQUAL(fr.unknown, 0);
	CU_ASSERT_TRUE(has(fr.text, "  #1  1 runs  OUTSIDE the model's set: a fidelity bug: no "
				    "schedule reaches it (a search for it alone, "));
	CU_ASSERT_TRUE(has(fr.text, "    call log of run 1:\n"));
	CU_ASSERT_TRUE(has(fr.text, "verdict: FIDELITY BUG: 1 runs outside the model's set\n"));
	sim_xcheck_free_clear(&fr);
	assert_nothing_left();
}

CU_TestInfo xfree_tests[] = {
	{ "delays thin out after the first calls", test_xfree_delays_thin_out_after_the_first_calls },
	{ "a known outcome is found in the set", test_xfree_a_known_outcome_is_found_in_the_set },
	{ "the report lists runs, outcomes and the unobserved",
	  test_xfree_the_report_lists_runs_outcomes_and_the_unobserved },
	{ "a foreign outcome is a fidelity bug with its log",
	  test_xfree_a_foreign_outcome_is_a_fidelity_bug_with_its_log },
	{ "a wrong model result makes the run diverge",
	  test_xfree_a_wrong_model_result_makes_the_run_diverge },
	{ "a real deadlock ends the run and is found",
	  test_xfree_a_real_deadlock_ends_the_run_and_is_found },
	{ "a sleeping call is made before later ones",
	  test_xfree_a_sleeping_call_is_made_before_later_ones },
	{ "what a free run cannot do is said", test_xfree_what_a_free_run_cannot_do_is_said },
	{ "a stop signal mid-run leaves nothing", test_xfree_a_stop_signal_mid_run_leaves_nothing },
	{ "a fork and its wait run free", test_xfree_a_fork_and_its_wait_run_free },
	{ "an outcome a cut exploration missed is searched for",
	  test_xfree_an_outcome_a_cut_exploration_missed_is_searched_for },
	{ "an outcome no schedule reaches is a fidelity bug",
	  test_xfree_an_outcome_no_schedule_reaches_is_a_fidelity_bug },
	{ "a doctored set fails a fork scenario", test_xfree_a_doctored_set_fails_a_fork_scenario },
	{ "a signal runs free", test_xfree_a_signal_runs_free },
	{ "a restarted call queues behind the others",
	  test_xfree_a_restarted_call_queues_behind_the_others },
	{ "a timeout runs free", test_xfree_a_timeout_runs_free },
	{ "a timeout racing a send is in the set", test_xfree_a_timeout_racing_a_send_is_in_the_set },
	{ "an outcome holds the model's pids", test_xfree_an_outcome_holds_the_models_pids },
	CU_TEST_INFO_NULL,
};
