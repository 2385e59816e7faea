/* test_explore_optimal.c — optimal DPOR (wake-up trees) against source-set DPOR: one
 * execution per class of equivalent orders, the same outcome sets, never more executions,
 * and the wake-up tree's insertion on its own. */
#include <string.h>

#include "tests.h"
#include "msgsim/explore/explore.h"
#include "explore/explore_int.h"
#include "explore/wakeup.h"

typedef struct Both {
	SimExploreResult opt, src;
	char *opt_set, *src_set;
} Both;

/* Explores text both ways, complete; the caller clears b (both_clear). */
static void both(const char *text, Both *b)
{
	g_autoptr(SimScenario) scn = test_scn_load("t.scn", text);
	CU_ASSERT_PTR_NOT_NULL_FATAL(scn);
	g_autoptr(GError) error = NULL;
	SimExploreOptions opt = { 0 }, src = { .dpor_source = TRUE };
	CU_ASSERT_TRUE_FATAL(sim_explore_run(scn, &opt, &b->opt, &error));
	CU_ASSERT_TRUE_FATAL(sim_explore_run(scn, &src, &b->src, &error));
	CU_ASSERT_TRUE(b->opt.complete && b->src.complete);
	b->opt_set = test_outcome_set(&b->opt);
	b->src_set = test_outcome_set(&b->src);
	CU_ASSERT_STRING_EQUAL(b->opt_set, b->src_set);
	CU_ASSERT_TRUE(b->opt.stats.executions <= b->src.stats.executions);
	CU_ASSERT_EQUAL(b->opt.deadlocks > 0, b->src.deadlocks > 0);
	if (strcmp(b->opt_set, b->src_set) != 0 ||
	    b->opt.stats.executions > b->src.stats.executions)
		fprintf(stderr, "\noptimal: %" G_GUINT64_FORMAT " executions\n%s\nsource: %" G_GUINT64_FORMAT
				" executions\n%s\n",
			b->opt.stats.executions, b->opt_set, b->src.stats.executions, b->src_set);
}

static void both_clear(Both *b)
{
	sim_explore_result_clear(&b->opt);
	sim_explore_result_clear(&b->src);
	g_free(b->opt_set);
	g_free(b->src_set);
}

/* The writer and the readers: W makes the FIFO f, each R looks it up (stat reads the
 * path, mkfifo writes it), X looks at another path. Each reader sees f or not, on its own:
 * 2^N classes, each with its own outcome. Source sets start each reversal from one task
 * and let the rest run as it may, into orders whose every next step is asleep (given up
 * as covered); the wake-up trees run each class once and give up none. */
static void test_optimal_one_execution_per_class(void)
{
	static const char *two = "process R1 { stat \"f\" }\n"
				 "process X { stat \"g\" }\n"
				 "process W { mkfifo \"f\" }\n"
				 "process R2 { stat \"f\" }\n";
	static const char *three = "process R1 { stat \"f\" }\n"
				   "process R2 { stat \"f\" }\n"
				   "process X { stat \"g\" }\n"
				   "process W { mkfifo \"f\" }\n"
				   "process R3 { stat \"f\" }\n";
	Both b;
	both(two, &b);
	CU_ASSERT_EQUAL(b.opt.stats.executions, 4);
	CU_ASSERT_EQUAL(b.opt.outcomes->len, 4);
	CU_ASSERT_EQUAL(b.opt.stats.redundant, 0);
	CU_ASSERT_EQUAL(b.src.stats.executions, 4);
	CU_ASSERT_EQUAL(b.src.stats.redundant, 2);
	both_clear(&b);
	both(three, &b);
	CU_ASSERT_EQUAL(b.opt.stats.executions, 8);
	CU_ASSERT_EQUAL(b.opt.outcomes->len, 8);
	CU_ASSERT_EQUAL(b.opt.stats.redundant, 0);
	CU_ASSERT_EQUAL(b.src.stats.redundant, 4);
	both_clear(&b);
}

/* Dependent calls run in every order: three senders to one queue give 3! queues, each
 * once; two on one mailbox and one on another, 2. */
static void test_optimal_dependent_calls_in_every_order(void)
{
	Both b;
	both("mailbox A capacity=unbounded\n"
	     "process P { send A \"p\" }\n"
	     "process Q { send A \"q\" }\n"
	     "process R { send A \"r\" }\n",
	     &b);
	CU_ASSERT_EQUAL(b.opt.stats.executions, 6);
	CU_ASSERT_EQUAL(b.opt.outcomes->len, 6);
	CU_ASSERT_TRUE(strstr(b.opt_set, "mailbox A: \"r\" \"q\" \"p\"\n") != NULL);
	CU_ASSERT_EQUAL(b.opt.stats.redundant, 0);
	both_clear(&b);
	both("mailbox A capacity=unbounded\n"
	     "mailbox B capacity=unbounded\n"
	     "process P { send A \"p\" }\n"
	     "process Q { send B \"q\" }\n"
	     "process R { send A \"r\" }\n",
	     &b);
	CU_ASSERT_EQUAL(b.opt.stats.executions, 2);
	CU_ASSERT_EQUAL(b.opt.outcomes->len, 2);
	both_clear(&b);
}

/* Blocking: a blocked process cannot step, and its wake-up depends on the waker. Who gets
 * the one message, a consumer woken by either producer on a slot of one, a receive that
 * times out or not: the same outcomes as the source sets, with no more executions. */
static void test_optimal_blocking_and_wake_ups(void)
{
	Both b;
	both("mailbox A\n"
	     "process P1 { send A \"m\" }\n"
	     "process P2 { receive A }\n"
	     "process P3 { receive A }\n",
	     &b);
	CU_ASSERT_EQUAL(b.opt.outcomes->len, 2);
	CU_ASSERT_EQUAL(b.opt.deadlocks, b.opt.stats.executions);
	both_clear(&b);
	both("mailbox A capacity=1\n"
	     "process P { send A \"p1\"  send A \"p2\" }\n"
	     "process Q { send A \"q1\" }\n"
	     "process C { receive A  receive A  receive A }\n",
	     &b);
	CU_ASSERT_EQUAL(b.opt.outcomes->len, 3);
	CU_ASSERT_EQUAL(b.opt.stats.redundant, 0);
	both_clear(&b);
	both("posix queue \"/t\" maxmsg=1 msgsize=16\n"
	     "process P { mq_receive \"/t\" timeout=2ms -> m  mq_send \"/t\" \"back\" }\n"
	     "process Q { mq_send \"/t\" \"q\"  mq_receive \"/t\" timeout=1ms -> n }\n",
	     &b);
	CU_ASSERT_TRUE(b.opt.outcomes->len >= 2);
	both_clear(&b);
}

/* Steps that are not a plain process's: a kernel choice among woken waiters (a value
 * decision inside a step, whose every value starts from the same wake-up tree), a kill
 * (which takes the victim's next step away: the fallback to source sets), semaphores
 * whose footprints change with the set's existence, and a pending alarm's SIGALRM. */
static void test_optimal_choices_kills_and_alarms(void)
{
	static const char *texts[] = {
		"mailbox A deliver=random\n"
		"process P2 { receive A }\n"
		"process P3 { receive A }\n"
		"process P1 { send A \"m\"  send A \"n\" }\n",
		"mailbox A capacity=1\n"
		"mailbox B capacity=1\n"
		"process P start=1ms { receive A nowait  send A \"P1\" }\n"
		"process Q { receive B  send A \"Q1\"  send A \"Q2\" }\n"
		"process R { send B \"R0\"  kill P SIGTERM  sleep 1ms  send B \"R3\" }\n",
		"process p { semget key=0x77 nsems=1 create perm=0600 -> s  semctl s rmid"
		"  semop s (0, +1) }\n"
		"process q { semget key=0x77 nsems=1 create perm=0600 -> s  semctl s getval 0"
		"  semop s (0, +1, undo)  semctl s rmid }\n"
		"process r { semget key=0x77 nsems=1 create perm=0600 -> s  semctl s setval 0 1"
		"  semctl s getval 0 }\n",
		"process r {\n"
		"  on SIGALRM handler norestart\n"
		"  pipe -> p\n"
		"  fork w { write p.w \"x\"  write p.w \"y\" }\n"
		"  alarm 2\n"
		"  read p.r size=1\n"
		"  alarm 0\n"
		"  read p.r size=1\n"
		"  wait w\n"
		"}\n",
	};
	for (guint i = 0; i < G_N_ELEMENTS(texts); i++) {
		Both b;
		both(texts[i], &b);
		CU_ASSERT_TRUE(b.opt.outcomes->len >= 2);
		both_clear(&b);
	}
}

/* The tree on its own. */
static gboolean seq_before(void *data, guint a, guint b)
{
	const gboolean(*hb)[4] = data; /* hb[a][b]: a happens before b */
	return hb[a][b];
}

static void fp_of(SimFootprint *fp, SimObjKind kind, guint64 id, gboolean write)
{
	sim_footprint_init(fp);
	sim_footprint_add(fp, kind, id, write);
}

static void test_wakeup_tree_insertion(void)
{
	SimFootprint fa, fb, fc;
	fp_of(&fa, SIM_OBJ_MBOX, 0, TRUE); /* task 1 and 2 on mailbox 0, 3 on mailbox 1 */
	fp_of(&fb, SIM_OBJ_MBOX, 0, TRUE);
	fp_of(&fc, SIM_OBJ_MBOX, 1, TRUE);
	gboolean none[4][4] = { { FALSE } };
	gboolean chain[4][4] = { { FALSE } };
	chain[0][1] = TRUE; /* step 0 happens before step 1 */
	SimWut *root = NULL;
	guint t12[] = { 1, 2 }, t21[] = { 2, 1 }, t3[] = { 3 }, t31[] = { 3, 1 };
	const SimFootprint *f12[] = { &fa, &fb }, *f3[] = { &fc }, *f31[] = { &fc, &fa };
	SimWutSeq v12 = { 2, t12, f12, seq_before, none };
	CU_ASSERT_TRUE(sim_wut_insert(&root, &v12)); /* 1.2 */
	CU_ASSERT_PTR_NOT_NULL_FATAL(root);
	CU_ASSERT_FALSE(sim_wut_insert(&root, &v12)); /* again: covered */
	/* 2.1 with 2 not after 1: 2 can start it, but 1 cannot (1.2 covers it only where 1
	 * is an initial): a branch of its own */
	SimWutSeq v21 = { 2, t21, f12, seq_before, chain };
	CU_ASSERT_TRUE(sim_wut_insert(&root, &v21));
	CU_ASSERT_EQUAL(root->task, 1);
	CU_ASSERT_PTR_NOT_NULL_FATAL(root->next);
	CU_ASSERT_EQUAL(root->next->task, 2);
	CU_ASSERT_PTR_NULL(root->next->next);
	/* 3 commutes with 1 and with 2: 1.2.3 is 3.1.2, covered by the leaf 1.2. */
	SimWutSeq v3 = { 1, t3, f3, seq_before, none };
	CU_ASSERT_FALSE(sim_wut_insert(&root, &v3));
	/* 3.1, unordered: 1 starts it, and 2 commutes with the 3 left: covered again. */
	SimWutSeq v31 = { 2, t31, f31, seq_before, none };
	CU_ASSERT_FALSE(sim_wut_insert(&root, &v31));
	/* A step dependent with everything (a race's own step, whose footprint before the
	 * race is unknown) is never covered by a branch that does not make it. */
	SimFootprint all = { .everything = TRUE };
	const SimFootprint *fall[] = { &all };
	SimWutSeq vall = { 1, t3, fall, seq_before, none };
	CU_ASSERT_TRUE(sim_wut_insert(&root, &vall));
	CU_ASSERT_PTR_NOT_NULL_FATAL(root->next->next);
	CU_ASSERT_EQUAL(root->next->next->task, 3);
	SimWut *copy = sim_wut_copy(root);
	sim_wut_remove(&copy, 1);
	CU_ASSERT_EQUAL(copy->task, 2);
	CU_ASSERT_PTR_NOT_NULL(sim_wut_find(root, 1));
	sim_wut_free(copy);
	sim_wut_free(root);
}

CU_TestInfo explore_optimal_tests[] = {
	{ "one execution per class", test_optimal_one_execution_per_class },
	{ "dependent calls in every order", test_optimal_dependent_calls_in_every_order },
	{ "blocking and wake-ups", test_optimal_blocking_and_wake_ups },
	{ "choices, kills, semaphores and alarms", test_optimal_choices_kills_and_alarms },
	{ "wake-up tree insertion", test_wakeup_tree_insertion },
	CU_TEST_INFO_NULL,
};
