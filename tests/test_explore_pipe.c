/* test_explore_pipe.c — the stateful search over pipes, FIFOs, descriptors, fork and wait,
 * and over semaphore sets in its digest (snap_pipe.c, snap_sem.c): the walk with snapshots
 * makes what a replay of every prefix makes, and the digest merges only states whose
 * futures are alike (the same outcome set and verdicts as the DPOR search). */
#include <string.h>

#include "tests.h"
#include "msgsim/explore/explore.h"
#include "explore/explore_int.h"

/* The walk with snapshots against the same walk replaying every prefix: the same counts,
 * outcomes, counts per outcome and witnesses. Returns the walk's merged count. */
static guint64 same_walk(const char *file, const char *text)
{
	g_autoptr(SimScenario) scn = test_scn_load(file, text);
	CU_ASSERT_PTR_NOT_NULL_FATAL(scn);
	g_autoptr(GError) error = NULL;
	SimExploreOptions snap = { .stateful = TRUE, .no_eager = TRUE, .max_seconds = 60 };
	SimExploreOptions replay = snap;
	replay.no_snapshots = TRUE;
	SimExploreResult a, b;
	CU_ASSERT_TRUE_FATAL(sim_explore_run(scn, &snap, &a, &error));
	CU_ASSERT_TRUE_FATAL(sim_explore_run(scn, &replay, &b, &error));
	CU_ASSERT_TRUE(a.complete && b.complete && a.stateful);
	const SimExploreStats *s = &a.stats;
	/* one call per edge: the walk restored rather than replayed */
	CU_ASSERT_EQUAL(s->calls, s->states + s->merged + s->executions + s->depth_cut - 1);
	gboolean same = s->states == b.stats.states && s->merged == b.stats.merged &&
			s->executions == b.stats.executions && a.outcomes->len == b.outcomes->len;
	for (guint i = 0; same && i < a.outcomes->len; i++) {
		const SimOutcome *x = g_ptr_array_index(a.outcomes, i);
		const SimOutcome *y = g_ptr_array_index(b.outcomes, i);
		same = strcmp(x->text, y->text) == 0 && strcmp(x->witness, y->witness) == 0 &&
		       x->count == y->count;
	}
	CU_ASSERT_TRUE(same);
	if (!same) {
		g_autofree char *sa = test_outcome_set(&a);
		g_autofree char *sb = test_outcome_set(&b);
		fprintf(stderr,
			"\n%s: snapshots: %" G_GUINT64_FORMAT
			" states:\n%s\nreplay: %" G_GUINT64_FORMAT " states:\n%s\n",
			file, s->states, sa, b.stats.states, sb);
	}
	guint64 merged = s->merged;
	sim_explore_result_clear(&a);
	sim_explore_result_clear(&b);
	return merged;
}

/* The stateful search against the DPOR search (no digest): the same outcomes, deadlocks
 * and verdicts. A digest that left out something a later step reads would merge states
 * with different futures and lose outcomes. */
static void same_as_dpor(const char *file, const char *text)
{
	g_autoptr(SimScenario) scn = test_scn_load(file, text);
	CU_ASSERT_PTR_NOT_NULL_FATAL(scn);
	g_autoptr(GError) error = NULL;
	SimExploreOptions dpor = { .max_seconds = 60 };
	SimExploreOptions st = { .stateful = TRUE, .max_seconds = 60 };
	SimExploreResult a, b;
	CU_ASSERT_TRUE_FATAL(sim_explore_run(scn, &dpor, &a, &error));
	CU_ASSERT_TRUE_FATAL(sim_explore_run(scn, &st, &b, &error));
	CU_ASSERT_TRUE(a.complete && b.complete && b.stateful);
	if (!(a.complete && b.complete && b.stateful))
		fprintf(stderr, "\n%s: complete %d %d, stateful %d\n", file, a.complete, b.complete,
			b.stateful);
	g_autofree char *sa = test_outcome_set(&a);
	g_autofree char *sb = test_outcome_set(&b);
	CU_ASSERT_STRING_EQUAL(sb, sa);
	if (strcmp(sa, sb) != 0)
		fprintf(stderr, "\n%s: DPOR:\n%s\nstateful:\n%s\n", file, sa, sb);
	CU_ASSERT_EQUAL(a.deadlocks > 0, b.deadlocks > 0);
	for (guint i = 0; i < scn->n_expects; i++)
		CU_ASSERT_EQUAL(sim_explore_expect_holds(&a, scn, i),
				sim_explore_expect_holds(&b, scn, i));
	sim_explore_result_clear(&a);
	sim_explore_result_clear(&b);
}

/* A writer and two readers on one pipe of one slot's worth: blocked readers and
 * writers, wake-ups in order, EOF once both writers closed. */
static const char pipe_rw[] =
	"process sh {\n"
	"  pipe -> p\n"
	"  fork w0 { close p.r  write p.w \"ab\"  write p.w \"cd\"  close p.w }\n"
	"  fork r0 { close p.w  loop { read p.r size=3 -> x  break if eof } }\n"
	"  fork r1 { close p.w  read p.r size=2 -> y  close p.r }\n"
	"  close p.r  close p.w\n"
	"  wait w0  wait r0  wait r1\n"
	"}\n";

/* A writer blocked on a full pipe whose last reader closes: EPIPE and SIGPIPE, or a
 * partial count; a non-blocking writer's EAGAIN. */
static const char pipe_epipe[] = "process sh {\n"
				 "  pipe -> p\n"
				 "  fcntl p.w setfl=nonblock\n"
				 "  fork w { close p.r  write p.w size=70000  write p.w \"x\" }\n"
				 "  fork r { close p.w  read p.r size=5000  close p.r }\n"
				 "  close p.r  close p.w\n"
				 "  wait w  wait r\n"
				 "}\n";

/* Blocking writes that fill the pipe while a reader drains it and then goes. */
static const char pipe_close_under[] =
	"process sh {\n"
	"  pipe -> p\n"
	"  fork w { close p.r  write p.w size=66000  write p.w \"z\" }\n"
	"  fork r { close p.w  read p.r size=4096  close p.r }\n"
	"  close p.r  close p.w\n"
	"  wait r  wait w\n"
	"}\n";

/* A FIFO: openers that wait for a partner, in either order, and packets. */
static const char fifo_text[] = "process a {\n"
				"  mkfifo \"/tmp/f\" perm=0600\n"
				"  open \"/tmp/f\" rdonly -> f\n"
				"  read f size=2 -> x\n"
				"  read f size=8 -> y\n"
				"  close f\n"
				"}\n"
				"process b start=1us {\n"
				"  open \"/tmp/f\" wronly -> g\n"
				"  write g \"hello\"\n"
				"  close g\n"
				"  unlink \"/tmp/f\"\n"
				"}\n";

/* Two processes each with a pipe of their own, and a dup: descriptions shared by tables. */
static const char dup_text[] =
	"process a { pipe direct -> p  dup p.w -> d  write p.w \"1\"  write d \"2\"\n"
	"  close p.w  read p.r size=8  close d  read p.r size=8  read p.r size=8 }\n"
	"process b { pipe -> q  write q.w \"3\"  read q.r size=1 nonblock\n"
	"  read q.r size=1 nonblock }\n";

/* Semaphores: simple and complex waits, wait-for-zero, a set removed under its waiters. */
static const char sem_text[] =
	"process init { semget key=0x5e01 nsems=2 create perm=0600 -> s\n semctl s setall 1 0 }\n"
	"process p[2] start=1us { semget key=0x5e01 -> s\n semop s (0, -1)\n semop s (1, +1) }\n"
	"process z start=1us { semget key=0x5e01 -> s\n semop s (1, 0) }\n"
	"process v start=2us { semget key=0x5e01 -> s\n semop s (0, +1) (1, -1)\n"
	" semctl s getall\n semctl s getpid 1\n semctl s rmid }\n";

/* Three philosophers once round: both forks in one semop. */
static const char phil_text[] =
	"process table { semget key=0x5e05 nsems=3 create perm=0600 -> s\n semctl s setall 1 1 1 "
	"}\n"
	"process p0 start=1us { semget key=0x5e05 -> s  semop s (0, -1) (1, -1)  semop s (0, +1) "
	"(1, +1) }\n"
	"process p1 start=1us { semget key=0x5e05 -> s  semop s (1, -1) (2, -1)  semop s (1, +1) "
	"(2, +1) }\n"
	"process p2 start=1us { semget key=0x5e05 -> s  semop s (2, -1) (0, -1)  semop s (2, +1) "
	"(0, +1) }\n"
	"process check start=1ms { semget key=0x5e05 -> s  semctl s getall }\n"
	"expect no deadlock\n";

/* A reader that may find the pipe empty (it blocks), one write or two, then EOF. */
static const char pipe_eof[] =
	"process sh {\n"
	"  pipe -> p\n"
	"  fork w { close p.r  write p.w \"ab\"  write p.w \"cd\"  close p.w }\n"
	"  fork r { close p.w  read p.r size=3  read p.r size=3  read p.r size=3 }\n"
	"  close p.r  close p.w\n"
	"}\n";

/* Two writers in either order, then a read of both: states that differ only in the order
 * of a pipe's bytes (whole words) must not merge. */
static const char pipe_order[] = "process sh {\n"
				 "  pipe -> p\n"
				 "  fork w0 { close p.r  write p.w \"01234567\"  close p.w }\n"
				 "  fork w1 { close p.r  write p.w \"abcdefgh\"  close p.w }\n"
				 "  close p.w\n"
				 "  wait w0  wait w1\n"
				 "  read p.r size=64 -> x\n"
				 "}\n";

/* Two SETVALs in either order, then an increment by a third task: states that differ in
 * a value alone (same last pid, same results so far) must not merge. Only the order b, a, c
 * leaves the value 2 with c's pid, which d reads. */
static const char sem_order[] =
	"process init { semget key=0x5e02 nsems=1 create perm=0600 -> s }\n"
	"process a start=1us { semget key=0x5e02 -> s  semctl s setval 0 1 }\n"
	"process b start=1us { semget key=0x5e02 -> s  semctl s setval 0 2 }\n"
	"process c start=1us { semget key=0x5e02 -> s  semop s (0, +1) }\n"
	"process d start=2us { semget key=0x5e02 -> s  semctl s getval 0  semctl s getpid 0 }\n";

/* SEM_UNDO: records made by a semop, one blocked with its record, applied at exit, cleared
 * by a SETVAL, dropped by IPC_RMID. */
static const char sem_undo[] =
	"process init { semget key=0x5e04 nsems=2 create perm=0600 -> s\n semctl s setval 0 1 }\n"
	"process u[2] start=1us { semget key=0x5e04 -> s\n semop s (0, -1, undo)\n"
	" semop s (1, +2, undo) }\n"
	"process v start=2us { semget key=0x5e04 -> s\n semctl s getall\n semctl s setval 1 0\n"
	" semctl s getall }\n"
	"process r start=3us { semget key=0x5e04 -> s\n semop s (1, -1, nowait)\n semctl s rmid "
	"}\n";

/* Small enough for the DPOR search to finish too (pipeline.scn, readers-order.scn,
 * coprocess.scn and rw are not: the walk alone is compared there). */
static const char *const pipe_files[] = {
	"scenarios/pipes/parent-child.scn",
	"scenarios/pipes/sigpipe.scn",
	"scenarios/pipes/forgot-close.scn",
};

static void test_stateful_pipe_walk_restores_what_a_replay_makes(void)
{
	guint merging = 0;
	for (guint i = 0; i < G_N_ELEMENTS(pipe_files); i++)
		merging += same_walk(pipe_files[i], NULL) > 0;
	merging += same_walk("scenarios/pipes/pipeline.scn", NULL) > 0;
	merging += same_walk("eof.scn", pipe_eof) > 0;
	merging += same_walk("scenarios/pipes/readers-order.scn", NULL) > 0;
	merging += same_walk("scenarios/pipes/coprocess.scn", NULL) > 0;
	merging += same_walk("rw.scn", pipe_rw) > 0;
	merging += same_walk("epipe.scn", pipe_epipe) > 0;
	merging += same_walk("under.scn", pipe_close_under) > 0;
	merging += same_walk("fifo.scn", fifo_text) > 0;
	merging += same_walk("dup.scn", dup_text) > 0;
	same_walk("scenarios/pipes/capacity-bytes.scn", NULL);
	CU_ASSERT_TRUE(merging >= 4); /* the digest covers pipes: states meet again */
}

static void test_stateful_pipe_outcomes_match_dpor(void)
{
	for (guint i = 0; i < G_N_ELEMENTS(pipe_files); i++)
		same_as_dpor(pipe_files[i], NULL);
	same_as_dpor("eof.scn", pipe_eof);
	same_as_dpor("order.scn", pipe_order);
	same_as_dpor("epipe.scn", pipe_epipe);
	same_as_dpor("under.scn", pipe_close_under);
	same_as_dpor("fifo.scn", fifo_text);
	same_as_dpor("dup.scn", dup_text);
	/* 65541 calls of one process: complete now that steps without a choice cost the
	 * depth bound a fraction of a step. */
	same_as_dpor("scenarios/pipes/capacity-bytes.scn", NULL);
}

static void test_stateful_sem_digest_merges_and_keeps_outcomes(void)
{
	CU_ASSERT_TRUE(same_walk("sem.scn", sem_text) > 0);
	CU_ASSERT_TRUE(same_walk("phil.scn", phil_text) > 0);
	same_as_dpor("sem.scn", sem_text);
	same_as_dpor("phil.scn", phil_text);
	same_as_dpor("semorder.scn", sem_order);
	CU_ASSERT_TRUE(same_walk("undo.scn", sem_undo) > 0);
	CU_ASSERT_TRUE(same_walk("scenarios/sem/binary-semaphore.scn", NULL) > 0);
	same_as_dpor("undo.scn", sem_undo);
	same_as_dpor("scenarios/sem/binary-semaphore.scn", NULL);
}

/* a and b raise semaphore 0 in either order: the same values, another last pid. One state
 * where nothing reads that pid (a GETPID of semaphore 1 does not), two where a GETPID of
 * semaphore 0 or an expectation on its pid does. */
static void test_sem_digest_keeps_the_last_pid_only_where_read(void)
{
	static const char body[] =
		"process init { semget key=0x5e0a nsems=2 create perm=0600 -> s }\n"
		"process a { semget key=0x5e0a -> s  semop s (0, +1) }\n"
		"process b { semget key=0x5e0a -> s  semop s (0, +1) }\n";
	static const guint ab[] = { 0, 1, 1, 2, 2 }, ba[] = { 0, 2, 2, 1, 1 };
	static const char *const blind[] = {
		"",
		"process c { semget key=0x5e0a -> s  semctl s getpid 1 }\n",
		"expect sem key=0x5e0a 1 pid=a\n",
	};
	static const char *const reads[] = {
		"process c { semget key=0x5e0a -> s  semctl s getpid 0 }\n",
		"expect sem key=0x5e0a 0 pid=a\n",
	};
	for (guint i = 0; i < G_N_ELEMENTS(blind); i++) {
		g_autofree char *text = g_strconcat(body, blind[i], NULL);
		CU_ASSERT_EQUAL(test_digest_after(text, ab, 5), test_digest_after(text, ba, 5));
	}
	for (guint i = 0; i < G_N_ELEMENTS(reads); i++) {
		g_autofree char *text = g_strconcat(body, reads[i], NULL);
		CU_ASSERT_NOT_EQUAL(test_digest_after(text, ab, 5), test_digest_after(text, ba, 5));
	}
}

/* The digest of the world text leaves at its end (a run, no recorder lines). */
static guint64 digest_at_end(const char *text)
{
	g_autoptr(SimScenario) scn = test_scn_load("d.scn", text);
	CU_ASSERT_PTR_NOT_NULL_FATAL(scn);
	SimWorldOptions wo = { 0 };
	g_autoptr(SimWorld) w = sim_world_new(scn, &wo);
	sim_world_run(w);
	SimRecorder rec;
	sim_recorder_init(&rec, scn->n_procs);
	guint64 h = 0;
	CU_ASSERT_TRUE(sim_state_digest(w, &rec, TRUE, &h));
	sim_recorder_clear(&rec);
	return h;
}

/* Worlds alike but for a semaphore's value, a pipe's bytes, a descriptor's flags: the
 * digests differ (the statements' texts are no part of a state). */
static void test_state_digest_reads_values_bytes_and_flags(void)
{
	CU_ASSERT_NOT_EQUAL(
		digest_at_end("process p { semget key=0x5e03 nsems=1 create perm=0600 -> s\n"
			      " semctl s setval 0 1 }\n"),
		digest_at_end("process p { semget key=0x5e03 nsems=1 create perm=0600 -> s\n"
			      " semctl s setval 0 2 }\n"));
	CU_ASSERT_NOT_EQUAL(
		digest_at_end(
			"mailbox m\nprocess p { pipe -> x  write x.w \"01234567\"  receive m }\n"),
		digest_at_end(
			"mailbox m\nprocess p { pipe -> x  write x.w \"abcdefgh\"  receive m }\n"));
	CU_ASSERT_NOT_EQUAL(
		digest_at_end("mailbox m\nprocess p { pipe -> x  fcntl x.r setfl=nonblock  receive "
			      "m }\n"),
		digest_at_end(
			"mailbox m\nprocess p { pipe -> x  fcntl x.r setfl=0  receive m }\n"));
	CU_ASSERT_NOT_EQUAL(/* value 1 either way; what an exit would give back differs */
			    digest_at_end("mailbox m\nprocess p { semget key=0x5e03 nsems=1 create "
					  "perm=0600 -> s\n"
					  " semop s (0, +2, undo)  semop s (0, -1)  receive m }\n"),
			    digest_at_end("mailbox m\nprocess p { semget key=0x5e03 nsems=1 create "
					  "perm=0600 -> s\n"
					  " semop s (0, +1, undo)  semop s (0, +1) (0, -1)  "
					  "receive m }\n"));
	CU_ASSERT_NOT_EQUAL(/* a segment's bytes */
			    digest_at_end(
				    "mailbox m\nprocess p { shmget key=private size=64 create "
				    "perm=0600 -> s\n"
				    " shmat s -> a  shmwrite a 8 \"abcdefgh\"  receive m }\n"),
			    digest_at_end(
				    "mailbox m\nprocess p { shmget key=private size=64 create "
				    "perm=0600 -> s\n"
				    " shmat s -> a  shmwrite a 8 \"abcdefgX\"  receive m }\n"));
	/* and two runs of one world digest alike */
	static const char same[] =
		"mailbox m\nprocess p { pipe -> x  write x.w \"ab\"  receive m }\n";
	CU_ASSERT_EQUAL(digest_at_end(same), digest_at_end(same));
}

/* Shared memory: segments made, attached, written, removed while attached (snap_shm.c). */
static void test_stateful_shm_walk_and_outcomes(void)
{
	CU_ASSERT_TRUE(same_walk("scenarios/shm/bounded-buffer.scn", NULL) > 0);
	CU_ASSERT_TRUE(same_walk("scenarios/shm/lost-update.scn", NULL) > 0);
	/* rmid-attached.scn and ipcrm.scn hold `ipcs` and `ipcrm`, which the walk leaves to
	 * the replay: their outcome sets only */
	same_as_dpor("scenarios/shm/lost-update.scn", NULL);
	same_as_dpor("scenarios/shm/rmid-attached.scn", NULL);
	same_as_dpor("scenarios/shm/ipcrm.scn", NULL);
}

/* A compute, a sleep or a print is taken at once, like a woken call's finish: fewer
 * states, the same outcomes as every order (no_eager) and as DPOR. */
static void test_stateful_takes_local_calls_at_once(void)
{
	static const char text[] =
		"process init { semget key=0x5e07 nsems=1 create perm=0600 -> s\n"
		" semctl s setval 0 1 }\n"
		"process p[2] start=1us { semget key=0x5e07 -> s\n"
		" repeat 2 { semop s (0, -1)  compute 5us  print \"in\"  sleep 1us  semop s (0, +1) } }\n"
		"process q start=1us { semget key=0x5e07 -> s\n compute 3us  semctl s getval 0 }\n";
	g_autoptr(SimScenario) scn = test_scn_load("local.scn", text);
	CU_ASSERT_PTR_NOT_NULL_FATAL(scn);
	g_autoptr(GError) error = NULL;
	SimExploreOptions eager = { .stateful = TRUE }, every = { .stateful = TRUE, .no_eager = TRUE };
	SimExploreResult a, b;
	CU_ASSERT_TRUE_FATAL(sim_explore_run(scn, &eager, &a, &error));
	CU_ASSERT_TRUE_FATAL(sim_explore_run(scn, &every, &b, &error));
	CU_ASSERT_TRUE(a.complete && b.complete);
	CU_ASSERT_TRUE(a.stats.states * 3 < b.stats.states * 2);
	g_autofree char *sa = test_outcome_set(&a);
	g_autofree char *sb = test_outcome_set(&b);
	CU_ASSERT_STRING_EQUAL(sa, sb);
	sim_explore_result_clear(&a);
	sim_explore_result_clear(&b);
	same_as_dpor("local.scn", text);
	/* Nothing blocks here: what the walk saves comes from the local calls (and the ends). */
	static const char mb[] = "mailbox m capacity=unbounded\n"
				 "process a { compute 1us  print \"x\"  sleep 1us  send m \"a\" }\n"
				 "process b { compute 1us  sleep 1us  print \"y\"  send m \"b\" }\n"
				 "process c { receive m  receive m }\n";
	g_autoptr(SimScenario) scn2 = test_scn_load("local2.scn", mb);
	CU_ASSERT_PTR_NOT_NULL_FATAL(scn2);
	CU_ASSERT_TRUE_FATAL(sim_explore_run(scn2, &eager, &a, &error));
	CU_ASSERT_TRUE_FATAL(sim_explore_run(scn2, &every, &b, &error));
	CU_ASSERT_TRUE(a.stats.states * 3 < b.stats.states);
	g_autofree char *sa2 = test_outcome_set(&a);
	g_autofree char *sb2 = test_outcome_set(&b);
	CU_ASSERT_STRING_EQUAL(sa2, sb2);
	sim_explore_result_clear(&a);
	sim_explore_result_clear(&b);
}

/* A POSIX queue and a pipe in the same descriptor tables, inherited by fork: one owner
 * (snap_pipe.c) saves, makes anew and digests both kinds of description, so the walk from
 * snapshots makes what the replay makes, and the outcome set is DPOR's. */
static const char queue_and_pipe[] =
	"process sh {\n"
	"  mq_open \"/m\" create rdwr maxmsg=1 msgsize=8 -> q\n"
	"  pipe -> p\n"
	"  fork w { close p.r  mq_send q \"a\"  write p.w \"xy\"  mq_send q \"b\"  close p.w\n"
	"    mq_close q }\n"
	"  fork r { close p.w  mq_receive q -> m  read p.r size=1 -> x\n"
	"    mq_receive q timeout=0ns -> n  read p.r size=4 -> y  close p.r }\n"
	"  close p.r  close p.w  mq_close q\n"
	"  wait w  wait r\n"
	"  mq_unlink \"/m\"\n"
	"}\n";

static void test_stateful_queue_and_pipe_descriptors(void)
{
	CU_ASSERT_TRUE(same_walk("qp.scn", queue_and_pipe) > 0);
	same_as_dpor("qp.scn", queue_and_pipe);
	/* A queue's description in the digest: its flags, set later or at the open. */
	CU_ASSERT_NOT_EQUAL(
		digest_at_end("mailbox m\nprocess p { mq_open \"/d\" create rdwr -> q  pipe -> x\n"
			      " mq_setattr q flags=0x800  receive m }\n"),
		digest_at_end("mailbox m\nprocess p { mq_open \"/d\" create rdwr -> q  pipe -> x\n"
			      " mq_setattr q flags=0  receive m }\n"));
	CU_ASSERT_NOT_EQUAL(
		digest_at_end("mailbox m\nprocess p { mq_open \"/d\" create rdwr -> q\n"
			      " mq_open \"/d\" rdwr -> q2  receive m }\n"),
		digest_at_end("mailbox m\nprocess p { mq_open \"/d\" create rdwr -> q\n"
			      " mq_open \"/d\" rdonly -> q2  receive m }\n"));
}

CU_TestInfo explore_pipe_tests[] = {
	{ "stateful queue and pipe descriptors", test_stateful_queue_and_pipe_descriptors },
	{ "stateful takes local calls at once", test_stateful_takes_local_calls_at_once },
	{ "stateful shm walk and outcomes", test_stateful_shm_walk_and_outcomes },
	{ "state digest reads values, bytes and flags",
	  test_state_digest_reads_values_bytes_and_flags },
	{ "stateful pipe walk restores what a replay makes",
	  test_stateful_pipe_walk_restores_what_a_replay_makes },
	{ "stateful pipe outcomes match DPOR", test_stateful_pipe_outcomes_match_dpor },
	{ "sem digest keeps the last pid only where read",
	  test_sem_digest_keeps_the_last_pid_only_where_read },
	{ "stateful sem digest merges and keeps outcomes",
	  test_stateful_sem_digest_merges_and_keeps_outcomes },
	CU_TEST_INFO_NULL,
};
