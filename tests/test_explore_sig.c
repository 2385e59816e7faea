/* test_explore_sig.c — the stateful search over signals and threads: the snapshot walk
 * (snap_sig.c, with the threads' tables in snap_pipe.c) makes what the replay makes, the
 * digest tells apart what an outcome or an expectation can read (pending signals, signal
 * counts, one process's label records) and prunes no outcome that DPOR finds. */
#include <string.h>

#include "tests.h"
#include "msgsim/explore/explore.h"
#include "explore/explore_int.h"

/* Two handled signals may come as one (a standard signal already pending is not queued
 * again) or one after the other: both counts are possible, in states alike but for them. */
static const char counts_text[] = "process a {\n"
				  "  on SIGUSR1 handler\n"
				  "  compute 1ms\n"
				  "  compute 1ms\n"
				  "}\n"
				  "process b { kill a SIGUSR1 }\n"
				  "process c { kill a SIGUSR1 }\n"
				  "expect possible a signal SIGUSR1 delivered=1 handled=1\n"
				  "expect possible a signal SIGUSR1 delivered=2 handled=2\n";

/* A thread blocked in a read whose descriptor another thread closes (the read holds the
 * description, io_file), then a write that wakes it; a stop and a continue of the whole
 * process in between. */
static const char hold_text[] = "process main {\n"
				"  pipe -> p\n"
				"  thread reader { @r read p.r size=8 -> got }\n"
				"  @c close p.r\n"
				"  write p.w \"hi\"\n"
				"  join reader\n"
				"}\n"
				"process other { kill main SIGSTOP\n kill main SIGCONT }\n"
				"expect reader@r ok ret=2\n"
				"expect main@c ok\n";

/* A registration whose thread a send starts, in a process that may end before it runs. */
static const char notify_text[] =
	"process owner {\n"
	"  mq_open \"/n\" create rdwr -> q\n"
	"  mq_notify q thread t value=7 { @got mq_receive q -> m }\n"
	"}\n"
	"process sender { mq_open \"/n\" wronly -> q\n mq_send q \"x\" }\n"
	"expect possible t@got ok\n";

/* A notification's SIGTERM may end r between the wake-up of its receive and the receive's
 * finish, which therefore is no step to take at once (explore.c's resuming()). */
static const char notify_signal_text[] =
	"mailbox M capacity=1\n"
	"posix queue \"/q\" maxmsg=1 msgsize=8\n"
	"process r { mq_notify \"/q\" signal=SIGTERM\n receive M }\n"
	"process s { send M \"x\" }\n"
	"process t { mq_send \"/q\" \"n\" }\n";

/* Replicas share their statements, so only the per-process record says which one found
 * the semaphore taken. */
static const char label_text[] = "process init { semget key=0x5e52 nsems=1 create perm=0600 -> s\n"
				 "  semctl s setval 0 1 }\n"
				 "process p[2] start=1us { semget key=0x5e52 -> s\n"
				 "  @s semop s (0, -1, nowait)\n semop s (0, +1) }\n"
				 "expect possible p0@s errno=EAGAIN\n"
				 "expect possible p1@s errno=EAGAIN\n";

/* Shipped scenarios whose DPOR search completes within a unit test's time. */
static const char *const shipped[] = {
	"scenarios/threads/close-while-reading.scn", "scenarios/threads/main-ends.scn",
	"scenarios/threads/shared-table.scn",	     "scenarios/threads/kill-ended-thread.scn",
	"scenarios/signals/stop-sender.scn",	     "scenarios/signals/stop-notify.scn",
	"scenarios/signals/fifo-restart.scn",
};

static void test_sig_walk_restores_what_a_replay_makes(void)
{
	for (guint i = 0; i < G_N_ELEMENTS(shipped); i++) {
		test_same_walk(shipped[i], NULL, FALSE);
		test_same_walk(shipped[i], NULL, TRUE);
	}
	/* too many orders for DPOR in a unit test: only the walk against its replay */
	test_same_walk("scenarios/threads/stop-group.scn", NULL, FALSE);
	test_same_walk("scenarios/signals/stop-continue.scn", NULL, TRUE);
	test_same_walk("scenarios/posix/notify-thread-removed.scn", NULL, TRUE);
	test_same_walk("counts.scn", counts_text, FALSE);
	test_same_walk("hold.scn", hold_text, FALSE);
	test_same_walk("hold.scn", hold_text, TRUE);
	test_same_walk("notify.scn", notify_text, FALSE);
	test_same_walk("notify-signal.scn", notify_signal_text, FALSE);
	test_same_walk("label.scn", label_text, FALSE);
}

static void test_sig_digest_keeps_every_outcome(void)
{
	for (guint i = 0; i < G_N_ELEMENTS(shipped); i++)
		test_stateful_same_outcomes(shipped[i], NULL, FALSE);
	test_stateful_same_outcomes("counts.scn", counts_text, FALSE);
	test_stateful_same_outcomes("hold.scn", hold_text, FALSE);
	test_stateful_same_outcomes("notify.scn", notify_text, FALSE);
	test_stateful_same_outcomes("notify-signal.scn", notify_signal_text, FALSE);
	test_stateful_same_outcomes("label.scn", label_text, FALSE);
}

/* The digest of text's world after the steps order[0..n), without what the processes
 * observed (no recorder lines), so that only the world's own state tells two apart. */
static guint64 bare_digest_after(const char *text, const guint *order, guint n)
{
	return test_digest_after_recorded(text, order, n, FALSE);
}

/* Worlds alike but for which handled signal is pending: the digests differ; once it was
 * handled they are the same, unless an expectation counts that signal. */
static void test_sig_digest_reads_pending_signals_and_counts(void)
{
	static const char fmt[] = "process a { on SIGUSR1 handler\n on SIGUSR2 handler\n"
				  " compute 1ms\n compute 1ms }\n"
				  "process b { kill a %s }\n%s";
	g_autofree char *usr1 = g_strdup_printf(fmt, "SIGUSR1", "");
	g_autofree char *usr2 = g_strdup_printf(fmt, "SIGUSR2", "");
	static const guint sent[] = { 0, 0, 1 }, handled[] = { 0, 0, 1, 0 };
	CU_ASSERT_NOT_EQUAL(bare_digest_after(usr1, sent, 3), bare_digest_after(usr2, sent, 3));
	CU_ASSERT_EQUAL(bare_digest_after(usr1, handled, 4), bare_digest_after(usr2, handled, 4));
	const char *expect = "expect a signal SIGUSR1 delivered=1\n";
	g_autofree char *c1 = g_strdup_printf(fmt, "SIGUSR1", expect);
	g_autofree char *c2 = g_strdup_printf(fmt, "SIGUSR2", expect);
	CU_ASSERT_NOT_EQUAL(bare_digest_after(c1, handled, 4), bare_digest_after(c2, handled, 4));
}

/* Two replicas each take a semaphore without waiting and give it back: whichever came
 * first got it, the other EAGAIN, and the world is the same after both (the value, each
 * one's last result, no counts). One state where only `@s` (every process) is read, two
 * where `p0@s` (one process's record) is. */
static void test_sig_digest_reads_one_process_label_record(void)
{
	static const char body[] =
		"process init { semget key=0x5e51 nsems=1 create perm=0600 -> s\n"
		"  semctl s setval 0 1 }\n"
		"process p[2] { semget key=0x5e51 -> s\n"
		"  @s semop s (0, -1, nowait)\n semop s (0, +1) }\n";
	static const guint ab[] = { 0, 0, 1, 2, 1, 2, 2, 1 }, ba[] = { 0, 0, 1, 2, 2, 1, 1, 2 };
	g_autofree char *all = g_strconcat(body, "expect @s ok\n", NULL);
	g_autofree char *one = g_strconcat(body, "expect possible p0@s ok\n", NULL);
	CU_ASSERT_EQUAL(bare_digest_after(all, ab, 8), bare_digest_after(all, ba, 8));
	CU_ASSERT_NOT_EQUAL(bare_digest_after(one, ab, 8), bare_digest_after(one, ba, 8));
}

/* The six scenarios the walk could not hold before: the threads and the notification
 * threads now walk (stateful, no fallback) and complete. */
static void test_sig_walk_covers_threads_and_notify_threads(void)
{
	static const char *files[] = { "scenarios/threads/stop-group.scn",
				       "scenarios/posix/notify-thread-removed.scn" };
	for (guint i = 0; i < G_N_ELEMENTS(files); i++) {
		g_autoptr(SimScenario) scn = test_scn_load(files[i], NULL);
		CU_ASSERT_PTR_NOT_NULL_FATAL(scn);
		SimExploreOptions o = { .stateful = TRUE, .max_seconds = 60 };
		SimExploreResult r;
		g_autoptr(GError) error = NULL;
		CU_ASSERT_TRUE_FATAL(sim_explore_run(scn, &o, &r, &error));
		CU_ASSERT_TRUE(r.complete && r.stateful);
		CU_ASSERT_TRUE(r.stats.merged > 0);
		sim_explore_result_clear(&r);
	}
}

/* Handler bodies running at a snapshot (snap_sig.c): a body that interrupts a read,
 * restarted after it; and two bodies nested, the second interrupting the first (whose
 * variable must come back with it: the assert reads it), with its norestart read failing. */
static const char body_text[] = "process a {\n"
				"  on SIGUSR1 handler { print \"in\"\n compute 1ms\n compute 1ms }\n"
				"  pipe -> p\n"
				"  fork w { write p.w \"x\" }\n"
				"  @r read p.r size=1 -> got\n"
				"  wait w\n"
				"}\n"
				"process b { kill a SIGUSR1 }\n"
				"expect possible @r ok ret=1\n";
static const char body_nest_text[] =
	"process a {\n"
	"  on SIGUSR1 handler { let k = 1\n compute 1ms\n let k = k + 1\n assert k == 2 }\n"
	"  on SIGUSR2 handler norestart { compute 1ms }\n"
	"  pipe -> p\n"
	"  @r read p.r size=1\n"
	"}\n"
	"process b { kill a SIGUSR1\n kill a SIGUSR2 }\n"
	"expect possible @r errno=EINTR\n";

/* The walk restores a running body as the replay makes it, and finds what DPOR finds. */
static void test_sig_walk_holds_running_bodies(void)
{
	static const char *const names[] = { "body.scn", "body-nest.scn" };
	static const char *const texts[] = { body_text, body_nest_text };
	for (guint i = 0; i < G_N_ELEMENTS(texts); i++) {
		test_same_walk(names[i], texts[i], FALSE);
		test_same_walk(names[i], texts[i], TRUE);
		test_stateful_same_outcomes(names[i], texts[i], TRUE);
	}
}

/* A body interrupted a at its first compute or at its second: the same body at the same
 * place, the interrupted program elsewhere (its frame's pc): two states. A body running or
 * not yet started: two states. */
static void test_sig_digest_reads_the_frame(void)
{
	static const char text[] = "process a { on SIGUSR1 handler { compute 1ms\n compute 1ms }\n"
				   " compute 1ms\n compute 1ms\n compute 1ms }\n"
				   "process b { kill a SIGUSR1 }\n";
	static const guint early[] = { 0, 1, 0 }, late[] = { 0, 0, 1, 0 };
	CU_ASSERT_NOT_EQUAL(bare_digest_after(text, early, 3), bare_digest_after(text, late, 4));
	static const guint owed[] = { 0, 1 }, running[] = { 0, 1, 0 };
	CU_ASSERT_NOT_EQUAL(bare_digest_after(text, owed, 2), bare_digest_after(text, running, 3));
}

/* Readers blocked in order on one pipe: the order is the state's where a write is to come
 * (who is woken first), and not where none can come (snap_pipe.c). */
static const char readers_fmt[] = "process main { pipe -> p\n"
				  "  fork a { read p.r size=1 -> m }\n"
				  "  fork b { read p.r size=1 -> m }\n"
				  "  %s }\n";

static void test_sig_digest_reads_readers_order_where_written(void)
{
	static const guint ab[] = { 0, 0, 0, 1, 2 }, ba[] = { 0, 0, 0, 2, 1 };
	g_autofree char *quiet = g_strdup_printf(readers_fmt, "compute 1ms\n close p.w");
	g_autofree char *written = g_strdup_printf(readers_fmt, "compute 1ms\n write p.w \"x\"");
	g_autofree char *forks = g_strdup_printf(readers_fmt,
						  "compute 1ms\n fork c { write p.w \"x\" }");
	CU_ASSERT_EQUAL(bare_digest_after(quiet, ab, 5), bare_digest_after(quiet, ba, 5));
	CU_ASSERT_NOT_EQUAL(bare_digest_after(written, ab, 5), bare_digest_after(written, ba, 5));
	CU_ASSERT_NOT_EQUAL(bare_digest_after(forks, ab, 5), bare_digest_after(forks, ba, 5));
}

/* A child killed before its read or in it: ended alike, one state (state.c's mix_ended). */
static void test_sig_digest_forgets_where_an_ended_task_stood(void)
{
	static const char text[] = "process main { pipe -> p\n fork a { read p.r size=1 }\n"
				   "  kill a SIGTERM\n compute 1ms }\n";
	static const guint in_read[] = { 0, 0, 1, 0 }, before[] = { 0, 0, 0 };
	CU_ASSERT_EQUAL(bare_digest_after(text, in_read, 4), bare_digest_after(text, before, 3));
}

/* The walk with the readers as a set finds DPOR's outcomes: readers a write reaches one
 * after the other, and readers killed where nothing is written. */
static void test_sig_walk_keeps_readers_outcomes(void)
{
	g_autofree char *written = g_strdup_printf(readers_fmt,
						   "write p.w \"x\"\n write p.w \"y\"\n"
						   " wait a\n wait b");
	static const char killed[] = "process main { pipe -> p\n"
				     "  fork a { @ra read p.r size=1 }\n"
				     "  fork b { read p.r size=1 }\n"
				     "  fork c { read p.r size=1 }\n"
				     "  kill a SIGTERM\n kill b SIGTERM\n kill c SIGTERM\n"
				     "  wait a\n wait b\n wait c }\n"
				     "expect possible @ra blocked\n";
	test_stateful_same_outcomes("written.scn", written, TRUE);
	test_stateful_same_outcomes("killed.scn", killed, TRUE);
	test_same_walk("written.scn", written, FALSE);
	test_same_walk("killed.scn", killed, FALSE);
}

CU_TestInfo explore_sig_tests[] = {
	{ "digest reads readers' order where written",
	  test_sig_digest_reads_readers_order_where_written },
	{ "digest forgets where an ended task stood",
	  test_sig_digest_forgets_where_an_ended_task_stood },
	{ "walk keeps the outcomes of readers", test_sig_walk_keeps_readers_outcomes },
	{ "walk holds running handler bodies", test_sig_walk_holds_running_bodies },
	{ "digest reads a body's frame", test_sig_digest_reads_the_frame },
	{ "signal and thread walk restores what a replay makes",
	  test_sig_walk_restores_what_a_replay_makes },
	{ "signal and thread digest keeps every outcome", test_sig_digest_keeps_every_outcome },
	{ "digest reads pending signals and counts",
	  test_sig_digest_reads_pending_signals_and_counts },
	{ "digest reads one process's label record",
	  test_sig_digest_reads_one_process_label_record },
	{ "walk covers threads and notify threads",
	  test_sig_walk_covers_threads_and_notify_threads },
	CU_TEST_INFO_NULL,
};
