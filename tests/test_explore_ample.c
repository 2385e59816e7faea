/* test_explore_ample.c — persistent sets in the stateful walk (sim/explore/ample.c): the
 * same outcome sets as the walk that tries every task, fewer states where steps are
 * independent, both orders where they are not, and the cycle proviso. */
#include <string.h>

#include "tests.h"
#include "msgsim/explore/explore.h"

/* Explores text with and without persistent sets; both complete with the same outcomes.
 * *with and *without get the two results (the caller clears them). */
static void both_ways(const char *text, SimExploreResult *with, SimExploreResult *without)
{
	g_autoptr(SimScenario) scn = test_scn_load("ample.scn", text);
	CU_ASSERT_PTR_NOT_NULL_FATAL(scn);
	SimExploreOptions on = { .stateful = TRUE, .max_seconds = 60 };
	SimExploreOptions off = on;
	off.no_ample = TRUE;
	g_autoptr(GError) error = NULL;
	CU_ASSERT_TRUE_FATAL(sim_explore_run(scn, &on, with, &error));
	CU_ASSERT_TRUE_FATAL(sim_explore_run(scn, &off, without, &error));
	CU_ASSERT_TRUE(with->complete && without->complete && with->stateful);
	CU_ASSERT_EQUAL(without->stats.alone, 0);
	g_autofree char *sa = test_outcome_set(with);
	g_autofree char *sb = test_outcome_set(without);
	CU_ASSERT_STRING_EQUAL(sa, sb);
	if (strcmp(sa, sb) != 0)
		fprintf(stderr, "\nwith persistent sets:\n%s\nwithout:\n%s\n", sa, sb);
}

/* A queue's sends and a semaphore set's operations touch nothing of each other: one order
 * of them is explored, not the grid of all their interleavings. */
static void test_ample_leaves_out_independent_orders(void)
{
	static const char text[] =
		"sysv queue q key=0x7a01 perm=0600\n"
		"process a { repeat 4 { msgsnd q \"x\" nowait } }\n"
		"process b { semget key=0x7a02 nsems=1 create perm=0600 -> s\n"
		"  repeat 4 { semop s (0, +1) } }\n";
	SimExploreResult a, b;
	both_ways(text, &a, &b);
	CU_ASSERT_EQUAL(a.outcomes->len, 1);
	CU_ASSERT_TRUE(a.stats.alone > 0);
	/* One path of a's 5 steps and b's 6: a dozen states, against the 6 x 7 grid. */
	CU_ASSERT_TRUE(a.stats.states <= 12);
	CU_ASSERT_TRUE(b.stats.states >= 30);
	sim_explore_result_clear(&a);
	sim_explore_result_clear(&b);
}

/* Two operations on one set, a nowait take and a give: both orders (the take fails with
 * EAGAIN, or succeeds), and after an IPC_RMID, where every call left fails alike, one. */
static void test_ample_keeps_dependent_orders(void)
{
	static const char text[] =
		"process init { semget key=0x7a03 nsems=1 create perm=0600 -> s }\n"
		"process a start=1us { semget key=0x7a03 -> s\n semop s (0, -1, nowait)\n"
		"  semop s (0, +1) }\n"
		"process b start=1us { semget key=0x7a03 -> s\n semop s (0, +1)\n"
		"  semop s (0, +1) }\n"
		"process r start=1us { semget key=0x7a03 -> s\n semctl s rmid }\n";
	SimExploreResult a, b;
	both_ways(text, &a, &b);
	g_autofree char *set = test_outcome_set(&a);
	CU_ASSERT_PTR_NOT_NULL(strstr(set, "a: semget; semop EAGAIN;"));
	CU_ASSERT_PTR_NOT_NULL(strstr(set, "a: semget; semop; semop;"));
	CU_ASSERT_PTR_NOT_NULL(strstr(set, "a: semget; semop; semop EINVAL;"));
	CU_ASSERT_TRUE(a.stats.alone > 0);
	CU_ASSERT_TRUE(a.stats.states < b.stats.states);
	sim_explore_result_clear(&a);
	sim_explore_result_clear(&b);
}

/* A kill reaches the task it signals: a step of that task is never taken alone while the
 * killer can still send it (its semop may end in EINTR, or not block at all). */
static void test_ample_minds_a_kill(void)
{
	static const char text[] =
		"process init { semget key=0x7a04 nsems=1 create perm=0600 -> s }\n"
		"process w start=1us { on SIGUSR1 handler\n semget key=0x7a04 -> s\n"
		"  semop s (0, -1) }\n"
		"process k start=2us { kill w SIGUSR1\n semget key=0x7a04 -> s\n"
		"  semctl s rmid }\n";
	SimExploreResult a, b;
	both_ways(text, &a, &b);
	g_autofree char *set = test_outcome_set(&a);
	CU_ASSERT_PTR_NOT_NULL(strstr(set, "semop EINTR"));
	CU_ASSERT_PTR_NOT_NULL(strstr(set, "semop EIDRM"));
	sim_explore_result_clear(&a);
	sim_explore_result_clear(&b);
}

/* The cycle proviso. w computes for ever: its compute is taken alone, and comes back to
 * the state it left, on the depth-first stack. Without the proviso the walk would stop
 * there and never run m's calls; with it that state is expanded in full, and m's steps are
 * explored. (No end state is reachable here, w never ends; ample.c explains why an end
 * state, an outcome, never depends on the proviso.) */
static void test_ample_proviso_expands_a_cycle(void)
{
	static const char text[] = "process w { loop { compute 1us } }\n"
				   "process m { semget key=0x7a05 nsems=1 create perm=0600 -> s\n"
				   "  semop s (0, +1)\n semctl s rmid }\n";
	g_autoptr(SimScenario) scn = test_scn_load("cycle.scn", text);
	CU_ASSERT_PTR_NOT_NULL_FATAL(scn);
	SimExploreOptions o = { .stateful = TRUE, .max_seconds = 60 };
	SimExploreResult r;
	g_autoptr(GError) error = NULL;
	CU_ASSERT_TRUE_FATAL(sim_explore_run(scn, &o, &r, &error));
	CU_ASSERT_TRUE(r.complete && r.stateful);
	CU_ASSERT_TRUE(r.stats.widened >= 1);
	/* m's three calls and its end, each from a state of its own. */
	CU_ASSERT_TRUE(r.stats.states >= 5);
	CU_ASSERT_EQUAL(r.stats.executions, 0);
	sim_explore_result_clear(&r);
}

/* An exit gives its SEM_UNDO adjustments back into the set: a read between the semop and
 * the exit sees 1, one after it 0. Both searches must keep both orders of the exit and the
 * read (the exit's footprint writes the set; the stateful walk does not take it at once
 * as a quiet end). */
static void test_undo_exit_writes_the_set(void)
{
	static const char text[] = "process a { semget key=0x7a06 nsems=1 create perm=0600 -> s\n"
				   "  semop s (0, +1, undo) }\n"
				   "process b start=1us { semget key=0x7a06 -> s\n semctl s getval 0 }\n";
	g_autoptr(SimScenario) scn = test_scn_load("undo.scn", text);
	CU_ASSERT_PTR_NOT_NULL_FATAL(scn);
	SimExploreOptions every = { .no_reduction = TRUE }, dpor = { 0 }, st = { .stateful = TRUE };
	const SimExploreOptions *opts[] = { &every, &dpor, &st };
	for (guint i = 0; i < G_N_ELEMENTS(opts); i++) {
		SimExploreResult r;
		g_autoptr(GError) error = NULL;
		CU_ASSERT_TRUE_FATAL(sim_explore_run(scn, opts[i], &r, &error));
		g_autofree char *set = test_outcome_set(&r);
		CU_ASSERT_PTR_NOT_NULL(strstr(set, "b: semget; semctl =1;"));
		CU_ASSERT_PTR_NOT_NULL(strstr(set, "b: semget; semctl; exit"));
		CU_ASSERT_EQUAL(r.outcomes->len, 3);
		sim_explore_result_clear(&r);
	}
}

/* The shipped semaphore scenario with IPC_RMID, timeouts and a signal: the same outcomes,
 * with a tenth of the states. */
static void test_ample_same_outcomes_on_rmid_timeout_eintr(void)
{
	g_autoptr(SimScenario) scn = test_scn_load("scenarios/sem/rmid-timeout-eintr.scn", NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(scn);
	SimExploreOptions o = { .stateful = TRUE, .max_seconds = 60 };
	SimExploreResult r;
	g_autoptr(GError) error = NULL;
	CU_ASSERT_TRUE_FATAL(sim_explore_run(scn, &o, &r, &error));
	CU_ASSERT_TRUE(r.complete);
	/* The full walk's count, which tests/ample_same.sh compares text by text. */
	CU_ASSERT_EQUAL(r.outcomes->len, 1238);
	CU_ASSERT_TRUE(r.stats.states < 400000);
	sim_explore_result_clear(&r);
}

/* Pipes, by object: two processes each writing to a pipe only it holds. After the pipes
 * are made (a new pipe charges its user's pages, which the other's new pipe reads), every
 * write is taken alone: fewer states than the grid of all the orders. */
static void test_ample_takes_a_private_pipe_alone(void)
{
	static const char text[] =
		"process a { pipe -> p\n repeat 4 { write p.w \"x\" nonblock } }\n"
		"process b { pipe -> q\n repeat 4 { write q.w \"y\" nonblock } }\n";
	SimExploreResult a, b;
	both_ways(text, &a, &b);
	CU_ASSERT_EQUAL(a.outcomes->len, 1);
	CU_ASSERT_TRUE(a.stats.alone > 0);
	CU_ASSERT_TRUE(a.stats.states < b.stats.states);
	sim_explore_result_clear(&a);
	sim_explore_result_clear(&b);
}

/* A pipe the parent and its forked child both hold: no step on it is taken alone, and
 * every order of the parent's writes and the child's non-blocking reads stays. */
static void test_ample_keeps_a_pipe_shared_with_a_child(void)
{
	static const char text[] =
		"process parent { pipe -> p\n"
		"  fork child { read p.r size=1 nonblock\n read p.r size=1 nonblock }\n"
		"  write p.w \"1\" nonblock\n write p.w \"2\" nonblock\n wait child }\n";
	SimExploreResult a, b;
	both_ways(text, &a, &b);
	CU_ASSERT_TRUE(a.outcomes->len >= 3);
	CU_ASSERT_EQUAL(a.stats.states, b.stats.states);
	sim_explore_result_clear(&a);
	sim_explore_result_clear(&b);
}

/* A FIFO two processes opened: each holds the same pipe through its own descriptor, so
 * neither's reads and writes on it are taken alone: every order of them stays. */
static void test_ample_keeps_a_fifo_another_process_opened(void)
{
	static const char text[] = "process a { mkfifo \"/tmp/ample-fifo\" perm=0666\n"
				   "  open \"/tmp/ample-fifo\" rdwr nonblock -> f\n"
				   "  write f \"1\"\n write f \"2\"\n read f size=1 }\n"
				   "process b { open \"/tmp/ample-fifo\" rdwr nonblock -> g\n"
				   "  read g size=1\n read g size=1 }\n";
	SimExploreResult a, b;
	both_ways(text, &a, &b);
	g_autofree char *set = test_outcome_set(&a);
	CU_ASSERT_PTR_NOT_NULL(strstr(set, "b: open =3; read EAGAIN; read EAGAIN;"));
	CU_ASSERT_PTR_NOT_NULL(strstr(set, "b: open =3; read EAGAIN; read \"1\";"));
	CU_ASSERT_PTR_NOT_NULL(strstr(set, "b: open =3; read \"1\"; read \"2\";"));
	CU_ASSERT_EQUAL(a.outcomes->len, 7);
	sim_explore_result_clear(&a);
	sim_explore_result_clear(&b);
}

/* A write on a pipe with no reader left ends its writer (SIGPIPE), closing what else it
 * holds: here a FIFO whose other holder reads it, which then sees end of file, or EAGAIN
 * before. The write on the private pipe is not alone while b may still read: both orders
 * stay (b's read before a's open sees no writer yet: end of file too). */
static void test_ample_minds_a_sigpipe_end(void)
{
	static const char text[] =
		"process a { pipe -> p\n close p.r\n mkfifo \"/tmp/ample-fifo\" perm=0666\n"
		"  open \"/tmp/ample-fifo\" wronly nonblock -> f\n write p.w \"x\" }\n"
		"process b { open \"/tmp/ample-fifo\" rdonly nonblock -> g\n"
		"  read g size=1 }\n";
	SimExploreResult a, b;
	both_ways(text, &a, &b);
	g_autofree char *set = test_outcome_set(&a);
	CU_ASSERT_PTR_NOT_NULL(strstr(set, "b: open =3; read EAGAIN;"));
	CU_ASSERT_PTR_NOT_NULL(strstr(set, "b: open =3; read; exit"));
	CU_ASSERT_PTR_NOT_NULL(strstr(set, "a: pipe =3; close; mkfifo; open =3; write EPIPE"));
	sim_explore_result_clear(&a);
	sim_explore_result_clear(&b);
}

CU_TestInfo explore_ample_tests[] = {
	{ "ample leaves out independent orders", test_ample_leaves_out_independent_orders },
	{ "ample keeps dependent orders", test_ample_keeps_dependent_orders },
	{ "ample minds a kill", test_ample_minds_a_kill },
	{ "ample proviso expands a cycle", test_ample_proviso_expands_a_cycle },
	{ "undo exit writes the set", test_undo_exit_writes_the_set },
	{ "ample same outcomes on rmid-timeout-eintr",
	  test_ample_same_outcomes_on_rmid_timeout_eintr },
	{ "ample takes a private pipe alone", test_ample_takes_a_private_pipe_alone },
	{ "ample keeps a pipe shared with a child", test_ample_keeps_a_pipe_shared_with_a_child },
	{ "ample keeps a fifo another process opened",
	  test_ample_keeps_a_fifo_another_process_opened },
	{ "ample minds a sigpipe end", test_ample_minds_a_sigpipe_end },
	CU_TEST_INFO_NULL,
};
