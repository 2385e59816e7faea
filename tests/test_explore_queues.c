/* test_explore_queues.c — the stateful search over SysV and POSIX message queues: the
 * snapshot walk (snap_msg.c, snap_mq.c) makes what the replay makes, and the digest prunes
 * no outcome that the full search finds. */
#include <string.h>

#include "tests.h"
#include "msgsim/explore/explore.h"
#include "explore/explore_int.h"

/* The stateful walk (eager or not) against DPOR without any state pruning: the same
 * outcome set and verdicts, and the digest did prune (merged > 0) where `pruned` says. */
void test_stateful_same_outcomes(const char *file, const char *text, gboolean pruned)
{
	g_autoptr(SimScenario) scn = test_scn_load(file, text);
	CU_ASSERT_PTR_NOT_NULL_FATAL(scn);
	SimExploreOptions dpor = { .max_seconds = 60 };
	SimExploreResult a;
	g_autoptr(GError) error = NULL;
	CU_ASSERT_TRUE_FATAL(sim_explore_run(scn, &dpor, &a, &error));
	g_autofree char *sa = test_outcome_set(&a);
	for (int eager = 0; eager < 2; eager++) {
		SimExploreOptions so = { .stateful = TRUE, .no_eager = !eager, .max_seconds = 60 };
		SimExploreResult b;
		CU_ASSERT_TRUE_FATAL(sim_explore_run(scn, &so, &b, &error));
		CU_ASSERT_TRUE(a.complete && b.complete && b.stateful);
		g_autofree char *sb = test_outcome_set(&b);
		CU_ASSERT_STRING_EQUAL(sb, sa);
		if (strcmp(sa, sb) != 0)
			fprintf(stderr, "\n%s: DPOR:\n%s\nstateful%s:\n%s\n", file, sa,
				eager ? "" : ", no eager steps", sb);
		for (guint i = 0; i < scn->n_expects; i++) {
			CU_ASSERT_EQUAL(sim_explore_expect_holds(&a, scn, i),
					sim_explore_expect_holds(&b, scn, i));
			if (sim_explore_expect_holds(&a, scn, i) !=
			    sim_explore_expect_holds(&b, scn, i))
				fprintf(stderr, "\n%s: line %u differs\n", file,
					scn->expects[i].loc.line);
		}
		if (pruned)
			CU_ASSERT_TRUE(b.stats.merged > 0);
		sim_explore_result_clear(&b);
	}
	sim_explore_result_clear(&a);
}

/* Blocked senders on a full queue, typed and lowest-type receives, a receiver whose buffer
 * is too small (E2BIG), and IPC_RMID with waiters on both lists. */
static const char sysv_block[] =
	"sysv queue q key=0x100 perm=0600\n"
	"sysctl msgmnb=32\n"
	"process s[2] { msgsnd q type=1 \"a$index\" size=16\n"
	"  msgsnd q type=2 \"b$index\" size=16 }\n"
	"process r { msgrcv q type=2 size=16 -> m  msgrcv q type=-2 size=16 -> m }\n"
	"process k start=1us { msgrcv q type=1 size=8 -> m  msgctl q rmid }\n";

/* A queue made, set, stat'ed into a variable, removed and made again after a save: the
 * id table and the variables' msqid_ds come back too. */
static const char sysv_ids[] =
	"process mk { msgget key=0x200 create perm=0600 -> q  msgsnd q type=3 \"x\" size=4\n"
	"  msgctl q set qbytes=8  msgctl q stat -> v }\n"
	"process rd { msgget key=0x200 -> q  msgrcv q type=0 size=8 nowait -> m\n"
	"  msgctl q stat -> v }\n"
	"process rm start=1us { msgget key=0x200 -> q  msgctl q rmid\n"
	"  msgget key=0x200 create perm=0600 -> q }\n";

/* A queue made after a save (mq_open create), filled past maxmsg, closed and unlinked,
 * and a second descriptor opened nonblock on it. */
static const char posix_open[] =
	"process u { mq_open \"/b\" create rdwr maxmsg=1 msgsize=8 -> d  mq_send d \"x\"\n"
	"  mq_send d \"y\"  mq_close d  mq_unlink \"/b\" }\n"
	"process o { mq_open \"/b\" rdonly nonblock -> e  mq_receive e -> m  mq_close e }\n";

/* Blocked senders by priority, timed receives (one that cannot wait), mq_unlink under
 * waiters and a registration. */
static const char posix_block[] =
	"posix queue \"/a\" maxmsg=1 msgsize=16\n"
	"process s0 { mq_send \"/a\" \"m0\" prio=1 }\n"
	"process s1 { mq_send \"/a\" \"m1\" prio=2 }\n"
	"process r { mq_receive \"/a\" timeout=1ms -> m  mq_receive \"/a\" timeout=0ns -> m }\n"
	"process u start=1us { mq_unlink \"/a\"  mq_notify \"/a\" none }\n";

/* All of the above at once: too many orders for DPOR to finish, so only the walk. */
static const char posix_mix[] =
	"posix queue \"/a\" maxmsg=1 msgsize=16\n"
	"process s0 { mq_send \"/a\" \"m0\" prio=1 }\n"
	"process s1 { mq_send \"/a\" \"m1\" prio=2 }\n"
	"process r { mq_receive \"/a\" timeout=1ms -> m  mq_receive \"/a\" -> m }\n"
	"process u start=1us { mq_unlink \"/a\"  mq_notify \"/a\" none\n"
	"  mq_open \"/b\" create rdwr maxmsg=2 msgsize=8 -> d  mq_send d \"x\"  mq_close d }\n"
	"process o start=2us { mq_open \"/b\" rdonly nonblock -> e  mq_receive e -> m\n"
	"  mq_close e }\n";

/* A woken SysV sender stays listed and looks again when it runs: its finish is no local
 * step, and a receive or an IPC_RMID in between changes what it gets. */
static const char sysv_woken[] = "sysv queue q key=0x300 perm=0600\n"
				 "sysctl msgmnb=16\n"
				 "process f { msgsnd q type=1 \"full\" size=16 }\n"
				 "process s start=1us { msgsnd q type=1 \"late\" size=16 }\n"
				 "process r start=2us { msgrcv q type=0 size=16 -> m\n"
				 "  msgrcv q type=0 size=16 nowait -> m }\n"
				 "process k start=3us { msgctl q rmid }\n";

/* Shipped scenarios whose DPOR search completes within a unit test's time. */
static const char *const shipped[] = {
	"scenarios/sysv/e2big-noerror.scn",	  "scenarios/sysv/sender-race.scn",
	"scenarios/sysv/small-overtakes-big.scn", "scenarios/sysv/msg-stat.scn",
	"scenarios/sysv/ids-and-keys.scn",	  "scenarios/posix/timeouts.scn",
	"scenarios/posix/open-errors.scn",	  "scenarios/posix/unlink.scn",
};

static void test_queue_walk_restores_what_a_replay_makes(void)
{
	for (guint i = 0; i < G_N_ELEMENTS(shipped); i++) {
		test_same_walk(shipped[i], NULL, FALSE);
		test_same_walk(shipped[i], NULL, TRUE);
	}
	test_same_walk("scenarios/posix/nice-receivers.scn", NULL, TRUE);
	test_same_walk("sysv-block.scn", sysv_block, FALSE);
	test_same_walk("sysv-block.scn", sysv_block, TRUE);
	test_same_walk("sysv-ids.scn", sysv_ids, FALSE);
	test_same_walk("sysv-woken.scn", sysv_woken, TRUE);
	test_same_walk("posix-open.scn", posix_open, FALSE);
	test_same_walk("posix-block.scn", posix_block, TRUE);
	test_same_walk("posix-mix.scn", posix_mix, FALSE);
	test_same_walk("posix-mix.scn", posix_mix, TRUE);
}

static void test_queue_digest_keeps_every_outcome(void)
{
	for (guint i = 0; i < G_N_ELEMENTS(shipped); i++)
		test_stateful_same_outcomes(shipped[i], NULL, FALSE);
	test_stateful_same_outcomes("sysv-block.scn", sysv_block, TRUE);
	test_stateful_same_outcomes("sysv-ids.scn", sysv_ids, TRUE);
	test_stateful_same_outcomes("posix-open.scn", posix_open, TRUE);
	test_stateful_same_outcomes("posix-block.scn", posix_block, TRUE);
}

/* The eager walk finishes a woken call at once only when its waiter is off the list. */
static void test_queue_woken_sender_is_not_finished_at_once(void)
{
	test_stateful_same_outcomes("sysv-woken.scn", sysv_woken, FALSE);
}

/* An exit closes its descriptors, which ends its registration: the walk does not take it
 * at once, or the other process's EBUSY would be lost. */
static void test_queue_exit_that_closes_a_descriptor_is_no_quiet_end(void)
{
	static const char text[] = "posix queue \"/n\" maxmsg=1 msgsize=8\n"
				   "process a { mq_notify \"/n\" none }\n"
				   "process b { mq_notify \"/n\" none }\n";
	test_stateful_same_outcomes("notify-race.scn", text, FALSE);
}

guint64 test_digest_after(const char *text, const guint *order, guint n)
{
	return test_digest_after_recorded(text, order, n, TRUE);
}

guint64 test_digest_after_recorded(const char *text, const guint *order, guint n,
				   gboolean recorded)
{
	g_autoptr(SimScenario) scn = test_scn_load("digest.scn", text);
	CU_ASSERT_PTR_NOT_NULL_FATAL(scn);
	SimRecorder rec;
	sim_recorder_init(&rec, scn->n_procs);
	SimWorldOptions wo = { 0 };
	if (recorded)
		wo.hook = (SimCallHook){ sim_recorder_hook, &rec };
	SimWorld *w = sim_world_new(scn, &wo);
	for (guint i = 0; i < n; i++)
		CU_ASSERT_TRUE(sim_world_step(w, order[i]));
	guint64 h = 0;
	CU_ASSERT_TRUE(sim_state_digest(w, &rec, FALSE, &h));
	sim_world_free(w);
	sim_recorder_clear(&rec);
	return h;
}

/* Two sends in either order leave the same queue but another last sender: one state where
 * nothing reads msg_lspid, two where an expectation does. */
static void test_queue_digest_keeps_the_last_sender_only_where_read(void)
{
	static const char body[] = "sysv queue q key=0x500 perm=0600\n"
				   "process a { msgsnd q type=1 \"x\" nowait }\n"
				   "process b { msgsnd q type=1 \"x\" nowait }\n"
				   "process c { msgrcv q type=9 nowait }\n";
	static const guint ab[] = { 0, 0, 1, 1 }, ba[] = { 1, 1, 0, 0 };
	CU_ASSERT_EQUAL(test_digest_after(body, ab, 4), test_digest_after(body, ba, 4));
	g_autofree char *read = g_strconcat(body, "expect possible q lspid=a\n", NULL);
	CU_ASSERT_NOT_EQUAL(test_digest_after(read, ab, 4), test_digest_after(read, ba, 4));
}

CU_TestInfo explore_queue_tests[] = {
	{ "queue walk restores what a replay makes", test_queue_walk_restores_what_a_replay_makes },
	{ "queue digest keeps every outcome", test_queue_digest_keeps_every_outcome },
	{ "queue woken sender is not finished at once",
	  test_queue_woken_sender_is_not_finished_at_once },
	{ "queue digest keeps the last sender only where read",
	  test_queue_digest_keeps_the_last_sender_only_where_read },
	{ "queue exit that closes a descriptor is no quiet end",
	  test_queue_exit_that_closes_a_descriptor_is_no_quiet_end },
	CU_TEST_INFO_NULL,
};
