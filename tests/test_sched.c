/* test_sched.c — the ready queue and its four policies (sched.h), plus the seeded random
 * numbers the random policy is built on (base.h SimRng). fifo runs tasks in arrival order
 * and never preempts; rr sends a preempted task to the tail and preempts only when the
 * quantum is used up and someone is ready; priority runs the highest priority first, FIFO
 * within a level, puts a preempted task back at the head of its level, and preempts only for
 * a strictly higher priority; random is the same for the same seed, reaches every task,
 * gives each statement to a fairly drawn ready task, and yields whenever someone is ready.
 * Snapshots list the queue in run order (random: task order) without consuming it, also when
 * cut short. The heap stays valid as it grows.
 */
#include <string.h>

#include "msgsim/base.h"
#include "msgsim/engine/interp.h"
#include "msgsim/engine/sched.h"
#include "msgsim/engine/task.h"
#include "tests.h"

/* Tasks need a declaration and a program; they share one empty program. */
typedef struct Tasks {
	SimProgram prog;
	SimScnProc *procs;
	SimTask *t;
	guint n;
} Tasks;

static void tasks_init(Tasks *ts, guint n, const gint64 *prios)
{
	memset(&ts->prog, 0, sizeof(ts->prog));
	ts->n = n;
	ts->procs = g_new0(SimScnProc, n);
	ts->t = g_new0(SimTask, n);
	for (guint i = 0; i < n; i++) {
		ts->procs[i].name = g_strdup_printf("P%u", i);
		ts->procs[i].priority = prios ? prios[i] : 0;
		sim_task_init(&ts->t[i], (int)i, &ts->procs[i], &ts->prog);
		sim_task_make_ready(&ts->t[i], 0);
	}
}

static void tasks_clear(Tasks *ts)
{
	SimMsgPool pool;
	sim_msg_pool_init(&pool);
	for (guint i = 0; i < ts->n; i++) {
		sim_task_clear(&ts->t[i], &pool);
		g_free(ts->procs[i].name);
	}
	CU_ASSERT_EQUAL(pool.live, 0);
	sim_msg_pool_clear(&pool);
	g_free(ts->t);
	g_free(ts->procs);
}

/* Picks every ready task into ids[], checking the heap after each pick; returns the count. */
static guint pick_all(SimSched *s, int *ids, guint max)
{
	guint n = 0;
	SimTask *t;
	while (n < max && (t = sim_sched_pick(s)) != NULL) {
		ids[n++] = t->id;
		CU_ASSERT_TRUE(sim_sched_check(s));
	}
	return n;
}

/* The picked task runs and is preempted, which is how it becomes READY to enqueue again. */
static SimTask *pick_and_requeue(SimSched *s)
{
	SimTask *t = sim_sched_pick(s);
	if (!t)
		return NULL;
	sim_task_run(t, 0);
	sim_task_preempt(t, 0);
	sim_sched_enqueue(s, t, FALSE);
	return t;
}

static void test_sched_empty_queue_picks_nothing(void)
{
	SimSched s;
	sim_sched_init(&s, SIM_SCHED_FIFO, 0, NULL);
	CU_ASSERT_PTR_NULL(sim_sched_pick(&s));
	CU_ASSERT_EQUAL(sim_sched_len(&s), 0);
	CU_ASSERT_TRUE(sim_sched_check(&s));
	sim_sched_clear(&s);
}

static void test_sched_fifo_picks_in_arrival_order(void)
{
	const gint64 prios[] = { 9, 0, 5, 1, 7 };
	const int order[] = { 3, 0, 4, 1, 2 };
	int got[5];
	Tasks ts;
	SimSched s;
	tasks_init(&ts, 5, prios);
	sim_sched_init(&s, SIM_SCHED_FIFO, 0, NULL);
	/* Priorities disagree with arrival: fifo must ignore them. */
	for (guint i = 0; i < 5; i++)
		sim_sched_enqueue(&s, &ts.t[order[i]], FALSE);
	CU_ASSERT_EQUAL(sim_sched_len(&s), 5);
	CU_ASSERT_TRUE(sim_sched_check(&s));
	CU_ASSERT_EQUAL_FATAL(pick_all(&s, got, 5), 5);
	for (guint i = 0; i < 5; i++)
		CU_ASSERT_EQUAL(got[i], order[i]);
	CU_ASSERT_PTR_NULL(sim_sched_pick(&s));
	sim_sched_clear(&s);
	tasks_clear(&ts);
}

static void test_sched_fifo_never_preempts(void)
{
	const gint64 prios[] = { 0, 100 };
	Tasks ts;
	SimSched s;
	tasks_init(&ts, 2, prios);
	sim_sched_init(&s, SIM_SCHED_FIFO, 10, NULL);
	sim_sched_enqueue(&s, &ts.t[0], FALSE);
	sim_sched_enqueue(&s, &ts.t[1], FALSE);
	SimTask *cur = sim_sched_pick(&s);
	sim_task_run(cur, 0);
	/* Neither a long run nor a more important task waiting takes the CPU away. */
	cur->slice_used = 1000 * SIM_S;
	CU_ASSERT_FALSE(sim_sched_should_preempt(&s, cur));
	sim_sched_clear(&s);
	tasks_clear(&ts);
}

static void test_sched_rr_preempts_only_when_quantum_used_and_someone_ready(void)
{
	Tasks ts;
	SimSched s;
	tasks_init(&ts, 2, NULL);
	sim_sched_init(&s, SIM_SCHED_RR, 10 * SIM_US, NULL);
	sim_sched_enqueue(&s, &ts.t[0], FALSE);
	SimTask *cur = sim_sched_pick(&s);
	sim_task_run(cur, 0);
	/* Alone on the CPU: no one to give it to, however long it has run. */
	cur->slice_used = 50 * SIM_US;
	CU_ASSERT_FALSE(sim_sched_should_preempt(&s, cur));
	sim_sched_enqueue(&s, &ts.t[1], FALSE);
	cur->slice_used = 10 * SIM_US - 1;
	CU_ASSERT_FALSE(sim_sched_should_preempt(&s, cur));
	cur->slice_used = 10 * SIM_US;
	CU_ASSERT_TRUE(sim_sched_should_preempt(&s, cur));
	cur->slice_used = 11 * SIM_US;
	CU_ASSERT_TRUE(sim_sched_should_preempt(&s, cur));
	sim_sched_clear(&s);
	tasks_clear(&ts);
}

static void test_sched_rr_preempted_task_goes_to_the_tail(void)
{
	int got[3];
	Tasks ts;
	SimSched s;
	tasks_init(&ts, 3, NULL);
	sim_sched_init(&s, SIM_SCHED_RR, 10 * SIM_US, NULL);
	for (guint i = 0; i < 3; i++)
		sim_sched_enqueue(&s, &ts.t[i], FALSE);
	/* Three full turns: each one sends the head to the back of the line. */
	for (int turn = 0; turn < 3; turn++) {
		SimTask *t = pick_and_requeue(&s);
		CU_ASSERT_PTR_NOT_NULL_FATAL(t);
		CU_ASSERT_EQUAL(t->id, turn);
	}
	CU_ASSERT_EQUAL_FATAL(pick_all(&s, got, 3), 3);
	CU_ASSERT_EQUAL(got[0], 0);
	CU_ASSERT_EQUAL(got[1], 1);
	CU_ASSERT_EQUAL(got[2], 2);
	sim_sched_clear(&s);
	tasks_clear(&ts);
}

static void test_sched_priority_picks_highest_first_fifo_within_a_level(void)
{
	const gint64 prios[] = { 1, 5, 3, 5, 1, 0, 3, 5 };
	const int want[] = { 1, 3, 7, 2, 6, 0, 4, 5 };
	int got[8];
	Tasks ts;
	SimSched s;
	tasks_init(&ts, 8, prios);
	sim_sched_init(&s, SIM_SCHED_PRIORITY, 0, NULL);
	for (guint i = 0; i < 8; i++)
		sim_sched_enqueue(&s, &ts.t[i], FALSE);
	CU_ASSERT_EQUAL_FATAL(pick_all(&s, got, 8), 8);
	for (guint i = 0; i < 8; i++)
		CU_ASSERT_EQUAL(got[i], want[i]);
	sim_sched_clear(&s);
	tasks_clear(&ts);
}

static void test_sched_priority_preempted_task_keeps_head_of_its_level(void)
{
	/* P0, P1, P2 share level 2; P3 is more important. */
	const gint64 prios[] = { 2, 2, 2, 9 };
	int got[4];
	Tasks ts;
	SimSched s;
	tasks_init(&ts, 4, prios);
	sim_sched_init(&s, SIM_SCHED_PRIORITY, 0, NULL);
	sim_sched_enqueue(&s, &ts.t[0], FALSE);
	sim_sched_enqueue(&s, &ts.t[1], FALSE);
	sim_sched_enqueue(&s, &ts.t[2], FALSE);
	SimTask *cur = sim_sched_pick(&s);
	CU_ASSERT_EQUAL_FATAL(cur->id, 0);
	sim_task_run(cur, 0);
	/* P3 wakes, P0 is preempted: P0 has not had its turn and goes before P1 and P2. */
	sim_sched_enqueue(&s, &ts.t[3], FALSE);
	CU_ASSERT_TRUE(sim_sched_should_preempt(&s, cur));
	sim_task_preempt(cur, 1);
	sim_sched_enqueue(&s, cur, TRUE);
	CU_ASSERT_TRUE(sim_sched_check(&s));
	CU_ASSERT_EQUAL_FATAL(pick_all(&s, got, 4), 4);
	CU_ASSERT_EQUAL(got[0], 3);
	CU_ASSERT_EQUAL(got[1], 0);
	CU_ASSERT_EQUAL(got[2], 1);
	CU_ASSERT_EQUAL(got[3], 2);
	sim_sched_clear(&s);
	tasks_clear(&ts);
}

static void test_sched_priority_head_insert_does_not_jump_a_higher_level(void)
{
	const gint64 prios[] = { 1, 4, 4 };
	int got[3];
	Tasks ts;
	SimSched s;
	tasks_init(&ts, 3, prios);
	sim_sched_init(&s, SIM_SCHED_PRIORITY, 0, NULL);
	sim_sched_enqueue(&s, &ts.t[1], FALSE);
	sim_sched_enqueue(&s, &ts.t[2], FALSE);
	/* The head of level 1 is still behind every task of level 4. */
	sim_sched_enqueue(&s, &ts.t[0], TRUE);
	CU_ASSERT_EQUAL_FATAL(pick_all(&s, got, 3), 3);
	CU_ASSERT_EQUAL(got[0], 1);
	CU_ASSERT_EQUAL(got[1], 2);
	CU_ASSERT_EQUAL(got[2], 0);
	sim_sched_clear(&s);
	tasks_clear(&ts);
}

static void test_sched_priority_woken_task_goes_to_the_tail_of_its_level(void)
{
	const gint64 prios[] = { 3, 3, 3 };
	int got[3];
	Tasks ts;
	SimSched s;
	tasks_init(&ts, 3, prios);
	sim_sched_init(&s, SIM_SCHED_PRIORITY, 0, NULL);
	sim_sched_enqueue(&s, &ts.t[0], FALSE);
	sim_sched_enqueue(&s, &ts.t[1], FALSE);
	SimTask *cur = sim_sched_pick(&s);
	sim_task_run(cur, 0);
	sim_task_block(cur, 1, 0, "no message");
	sim_sched_enqueue(&s, &ts.t[2], FALSE);
	sim_task_wake(cur, 2);
	sim_sched_enqueue(&s, cur, FALSE);
	CU_ASSERT_EQUAL_FATAL(pick_all(&s, got, 3), 3);
	CU_ASSERT_EQUAL(got[0], 1);
	CU_ASSERT_EQUAL(got[1], 2);
	CU_ASSERT_EQUAL(got[2], 0);
	sim_sched_clear(&s);
	tasks_clear(&ts);
}

static void test_sched_priority_preempts_only_for_a_strictly_higher_priority(void)
{
	const gint64 prios[] = { 5, 5, 4, 6 };
	Tasks ts;
	SimSched s;
	tasks_init(&ts, 4, prios);
	sim_sched_init(&s, SIM_SCHED_PRIORITY, 10, NULL);
	sim_sched_enqueue(&s, &ts.t[0], FALSE);
	SimTask *cur = sim_sched_pick(&s);
	sim_task_run(cur, 0);
	/* The quantum means nothing to this policy. */
	cur->slice_used = 1000;
	CU_ASSERT_FALSE(sim_sched_should_preempt(&s, cur));
	sim_sched_enqueue(&s, &ts.t[2], FALSE);
	CU_ASSERT_FALSE(sim_sched_should_preempt(&s, cur));
	sim_sched_enqueue(&s, &ts.t[1], FALSE);
	CU_ASSERT_FALSE(sim_sched_should_preempt(&s, cur));
	sim_sched_enqueue(&s, &ts.t[3], FALSE);
	CU_ASSERT_TRUE(sim_sched_should_preempt(&s, cur));
	sim_sched_clear(&s);
	tasks_clear(&ts);
}

/* Records `n` picks of the random policy with `seed`, every task re-queued after its turn. */
static void random_picks(guint64 seed, int *ids, guint n)
{
	Tasks ts;
	SimSched s;
	SimRng rng;
	sim_rng_seed(&rng, seed);
	tasks_init(&ts, 5, NULL);
	sim_sched_init(&s, SIM_SCHED_RANDOM, 0, &rng);
	for (guint i = 0; i < 5; i++)
		sim_sched_enqueue(&s, &ts.t[i], FALSE);
	for (guint i = 0; i < n; i++) {
		SimTask *t = pick_and_requeue(&s);
		ids[i] = t ? t->id : -1;
	}
	CU_ASSERT_TRUE(sim_sched_check(&s));
	sim_sched_clear(&s);
	tasks_clear(&ts);
}

static void test_sched_random_is_deterministic_for_a_seed(void)
{
	int a[200], b[200], c[200];
	random_picks(42, a, 200);
	random_picks(42, b, 200);
	random_picks(43, c, 200);
	CU_ASSERT_EQUAL(memcmp(a, b, sizeof(a)), 0);
	/* A different seed is a different schedule, or the seed would mean nothing. */
	CU_ASSERT_NOT_EQUAL(memcmp(a, c, sizeof(a)), 0);
}

static void test_sched_random_eventually_picks_every_task(void)
{
	int ids[500];
	guint count[5] = { 0 };
	random_picks(7, ids, 500);
	for (guint i = 0; i < 500; i++) {
		CU_ASSERT_FATAL(ids[i] >= 0 && ids[i] < 5);
		count[ids[i]]++;
	}
	for (guint i = 0; i < 5; i++)
		CU_ASSERT_TRUE(count[i] > 0);
}

static void test_sched_random_gives_each_statement_to_a_random_ready_task(void)
{
	enum { N = 1000 };
	int ids[N];
	guint count[5] = { 0 }, repeats = 0;
	random_picks(7, ids, N);
	for (guint i = 0; i < N; i++) {
		CU_ASSERT_FATAL(ids[i] >= 0 && ids[i] < 5);
		count[ids[i]]++;
		if (i > 0 && ids[i] == ids[i - 1])
			repeats++;
	}
	/* With 5 tasks always ready, a fair draw per statement gives the task that just ran the
	 * next statement too about 1 time in 5 and each task about 200 of 1000 statements.
	 * The bounds below are many standard deviations wide: only a biased draw fails them. */
	CU_ASSERT_TRUE(repeats < N * 2 / 5);
	for (guint i = 0; i < 5; i++)
		CU_ASSERT_TRUE(count[i] >= 100 && count[i] <= 300);
}

static void test_sched_random_yields_whenever_someone_is_ready(void)
{
	Tasks ts;
	SimSched s;
	SimRng rng;
	sim_rng_seed(&rng, 1);
	tasks_init(&ts, 2, NULL);
	sim_sched_init(&s, SIM_SCHED_RANDOM, 10 * SIM_US, &rng);
	sim_sched_enqueue(&s, &ts.t[0], FALSE);
	SimTask *cur = sim_sched_pick(&s);
	sim_task_run(cur, 0);
	CU_ASSERT_FALSE(sim_sched_should_preempt(&s, cur));
	sim_sched_enqueue(&s, &ts.t[1], FALSE);
	/* After every statement, however little CPU it used. */
	cur->slice_used = 0;
	CU_ASSERT_TRUE(sim_sched_should_preempt(&s, cur));
	sim_sched_clear(&s);
	tasks_clear(&ts);
}

static void test_sched_snapshot_lists_queue_order_without_consuming(void)
{
	const gint64 prios[] = { 1, 5, 3, 5, 1, 0, 3, 5 };
	const SimTask *snap[8];
	int got[8];
	Tasks ts;
	SimSched s;
	tasks_init(&ts, 8, prios);
	sim_sched_init(&s, SIM_SCHED_PRIORITY, 0, NULL);
	for (guint i = 0; i < 8; i++)
		sim_sched_enqueue(&s, &ts.t[i], FALSE);
	CU_ASSERT_EQUAL_FATAL(sim_sched_snapshot(&s, snap, 8), 8);
	CU_ASSERT_EQUAL(sim_sched_len(&s), 8);
	CU_ASSERT_EQUAL_FATAL(pick_all(&s, got, 8), 8);
	for (guint i = 0; i < 8; i++)
		CU_ASSERT_EQUAL(snap[i]->id, got[i]);
	sim_sched_clear(&s);
	tasks_clear(&ts);
}

static void test_sched_snapshot_of_random_lists_task_order(void)
{
	const SimTask *snap[6];
	const int arrival[] = { 4, 1, 5, 0, 3, 2 };
	Tasks ts;
	SimSched s;
	SimRng rng;
	sim_rng_seed(&rng, 99);
	tasks_init(&ts, 6, NULL);
	sim_sched_init(&s, SIM_SCHED_RANDOM, 0, &rng);
	for (guint i = 0; i < 6; i++)
		sim_sched_enqueue(&s, &ts.t[arrival[i]], FALSE);
	/* Random queue order is an artefact of the draws, meaningless to a reader of the trace,
	 * so the snapshot lists the ready tasks by task instead. */
	CU_ASSERT_EQUAL_FATAL(sim_sched_snapshot(&s, snap, 6), 6);
	for (guint i = 0; i < 6; i++)
		CU_ASSERT_EQUAL(snap[i]->id, (int)i);
	sim_sched_clear(&s);
	tasks_clear(&ts);
}

/* The trace lists at most 64 ready tasks at every dispatch: with thousands ready, taking
 * those 64 must look at a bounded number of entries, not sort the whole queue. */
static void test_sched_snapshot_of_a_long_queue_looks_at_a_bounded_part(void)
{
	enum { N = 10000, K = 64 };
	const gint64 *no_prios = NULL;
	const SimTask *snap[K];
	int got[K];
	Tasks ts;
	SimSched s;
	tasks_init(&ts, N, no_prios);
	sim_sched_init(&s, SIM_SCHED_RR, SIM_US, NULL);
	for (guint i = 0; i < N; i++)
		sim_sched_enqueue(&s, &ts.t[(i * 7919) % N], FALSE);
	for (guint i = 0; i < 100; i++)
		pick_and_requeue(&s); /* reshape the heap */
	s.snapshot_visits = 0;
	CU_ASSERT_EQUAL_FATAL(sim_sched_snapshot(&s, snap, K), K);
	CU_ASSERT(s.snapshot_visits <= 2 * K + 1);
	CU_ASSERT_EQUAL_FATAL(pick_all(&s, got, K), K);
	for (guint i = 0; i < K; i++)
		CU_ASSERT_EQUAL(snap[i]->id, got[i]);
	sim_sched_clear(&s);
	tasks_clear(&ts);
}

/* Random lists by task: 64 of 10,000 ready tasks in id order, read from the ready set a
 * word of 64 ids at a time. */
static void test_sched_snapshot_of_a_long_random_queue_looks_at_a_bounded_part(void)
{
	enum { N = 10000, K = 64 };
	const SimTask *snap[K];
	Tasks ts;
	SimSched s;
	SimRng rng;
	sim_rng_seed(&rng, 7);
	tasks_init(&ts, N, NULL);
	sim_sched_init(&s, SIM_SCHED_RANDOM, 0, &rng);
	for (guint i = 0; i < N; i++)
		sim_sched_enqueue(&s, &ts.t[(i * 7919) % N], FALSE);
	/* Take some away: the list skips them. */
	for (guint i = 0; i < 100; i++)
		sim_sched_remove(&s, &ts.t[2 * i]);
	s.snapshot_visits = 0;
	CU_ASSERT_EQUAL_FATAL(sim_sched_snapshot(&s, snap, K), K);
	CU_ASSERT(s.snapshot_visits <= K + 4);
	for (guint i = 0; i < K; i++)
		CU_ASSERT_EQUAL(snap[i]->id, i < 100 ? (int)(2 * i + 1) : (int)(i + 100));
	sim_sched_clear(&s);
	tasks_clear(&ts);
}

static void test_sched_snapshot_cut_short_lists_the_next_to_run(void)
{
	enum { N = 7 };
	const SimTask *full[N], *part[N];
	Tasks ts;
	SimSched s;
	gboolean all_prefixes = TRUE;
	tasks_init(&ts, N, NULL);
	sim_sched_init(&s, SIM_SCHED_FIFO, 0, NULL);
	for (guint i = 0; i < N; i++)
		sim_sched_enqueue(&s, &ts.t[i], FALSE);
	/* One turn reshapes the heap so that its array order is no longer the run order. */
	pick_and_requeue(&s);
	guint n = sim_sched_snapshot(&s, full, N);
	CU_ASSERT_EQUAL_FATAL(n, N);
	CU_ASSERT_EQUAL(full[0]->id, 1);
	CU_ASSERT_EQUAL(full[1]->id, 2);
	/* With room for only k, the snapshot must be the first k tasks that would run: with
	 * room for two, P1 and P2, the next two in arrival order. */
	CU_ASSERT_EQUAL(sim_sched_snapshot(&s, part, 2), 2);
	CU_ASSERT_EQUAL(part[0]->id, 1);
	CU_ASSERT_EQUAL(part[1]->id, 2);
	for (guint k = 1; k < N; k++) {
		CU_ASSERT_EQUAL(sim_sched_snapshot(&s, part, k), k);
		for (guint i = 0; i < k; i++)
			if (part[i] != full[i])
				all_prefixes = FALSE;
	}
	CU_ASSERT_TRUE(all_prefixes);
	sim_sched_clear(&s);
	tasks_clear(&ts);
}

static void test_sched_heap_holds_as_the_queue_grows(void)
{
	enum { N = 200 };
	gint64 prios[N];
	int got[N];
	Tasks ts;
	SimSched s;
	SimRng rng;
	gboolean ordered = TRUE;
	sim_rng_seed(&rng, 5);
	for (guint i = 0; i < N; i++)
		prios[i] = sim_rng_below(&rng, 10);
	tasks_init(&ts, N, prios);
	sim_sched_init(&s, SIM_SCHED_PRIORITY, 0, NULL);
	for (guint i = 0; i < N; i++) {
		sim_sched_enqueue(&s, &ts.t[i], FALSE);
		CU_ASSERT_TRUE(sim_sched_check(&s));
	}
	CU_ASSERT_EQUAL(sim_sched_len(&s), N);
	CU_ASSERT_EQUAL_FATAL(pick_all(&s, got, N), N);
	/* Highest priority first, and within a level by arrival (= task id here). */
	for (guint i = 1; i < N; i++) {
		gint64 pa = prios[got[i - 1]], pb = prios[got[i]];
		if (pa < pb || (pa == pb && got[i - 1] > got[i]))
			ordered = FALSE;
	}
	CU_ASSERT_TRUE(ordered);
	sim_sched_clear(&s);
	tasks_clear(&ts);
}

static void test_sched_check_rejects_a_queued_task_that_is_not_ready(void)
{
	Tasks ts;
	SimSched s;
	tasks_init(&ts, 2, NULL);
	sim_sched_init(&s, SIM_SCHED_FIFO, 0, NULL);
	sim_sched_enqueue(&s, &ts.t[0], FALSE);
	sim_sched_enqueue(&s, &ts.t[1], FALSE);
	CU_ASSERT_TRUE(sim_sched_check(&s));
	ts.t[1].state = SIM_STATE_BLOCKED;
	CU_ASSERT_FALSE(sim_sched_check(&s));
	ts.t[1].state = SIM_STATE_READY;
	/* A child ahead of its parent breaks the heap. */
	s.heap[s.pos[1]].seq = -100;
	CU_ASSERT_FALSE(sim_sched_check(&s));
	sim_sched_clear(&s);
	tasks_clear(&ts);
}

static void test_sched_policy_names(void)
{
	CU_ASSERT_STRING_EQUAL(sim_sched_policy_name(SIM_SCHED_FIFO), "fifo");
	CU_ASSERT_STRING_EQUAL(sim_sched_policy_name(SIM_SCHED_RR), "rr");
	CU_ASSERT_STRING_EQUAL(sim_sched_policy_name(SIM_SCHED_PRIORITY), "priority");
	CU_ASSERT_STRING_EQUAL(sim_sched_policy_name(SIM_SCHED_RANDOM), "random");
}

/* ---- SimRng: the random policy and deliver=random are only reproducible through it ---- */

static void test_rng_same_seed_gives_the_same_sequence(void)
{
	SimRng a, b, c;
	gboolean same = TRUE, differs = FALSE;
	sim_rng_seed(&a, 12345);
	sim_rng_seed(&b, 12345);
	sim_rng_seed(&c, 12346);
	for (int i = 0; i < 1000; i++) {
		guint64 x = sim_rng_next(&a);
		if (x != sim_rng_next(&b))
			same = FALSE;
		if (x != sim_rng_next(&c))
			differs = TRUE;
	}
	CU_ASSERT_TRUE(same);
	CU_ASSERT_TRUE(differs);
}

static void test_rng_matches_the_splitmix64_reference(void)
{
	/* Published splitmix64 outputs: the sequence must not depend on machine or GLib. */
	SimRng r;
	sim_rng_seed(&r, 0);
	CU_ASSERT_EQUAL(sim_rng_next(&r), 0xe220a8397b1dcdafULL);
	CU_ASSERT_EQUAL(sim_rng_next(&r), 0x6e789e6aa1b965f4ULL);
	CU_ASSERT_EQUAL(sim_rng_next(&r), 0x06c45d188009454fULL);
	sim_rng_seed(&r, 1234567);
	CU_ASSERT_EQUAL(sim_rng_next(&r), 6457827717110365317ULL);
	CU_ASSERT_EQUAL(sim_rng_next(&r), 3203168211198807973ULL);
}

static void test_rng_below_stays_in_range_and_hits_every_value(void)
{
	SimRng r;
	gboolean in_range = TRUE, all_hit = TRUE;
	sim_rng_seed(&r, 2024);
	for (guint32 n = 1; n <= 12; n++) {
		guint hits[12] = { 0 };
		for (int i = 0; i < 2000; i++) {
			guint32 x = sim_rng_below(&r, n);
			if (x >= n)
				in_range = FALSE;
			else
				hits[x]++;
		}
		for (guint32 v = 0; v < n; v++)
			if (hits[v] == 0)
				all_hit = FALSE;
	}
	CU_ASSERT_TRUE(in_range);
	CU_ASSERT_TRUE(all_hit);
	/* A large bound that is not a power of two exercises the rejection step. */
	for (int i = 0; i < 1000; i++)
		if (sim_rng_below(&r, 3000000001u) >= 3000000001u)
			in_range = FALSE;
	CU_ASSERT_TRUE(in_range);
}

extern CU_TestInfo sched_tests[];
CU_TestInfo sched_tests[] = {
	{ "empty queue picks nothing", test_sched_empty_queue_picks_nothing },
	{ "fifo picks in arrival order", test_sched_fifo_picks_in_arrival_order },
	{ "fifo never preempts", test_sched_fifo_never_preempts },
	{ "rr preempts only when quantum used and someone ready",
	  test_sched_rr_preempts_only_when_quantum_used_and_someone_ready },
	{ "rr preempted task goes to the tail", test_sched_rr_preempted_task_goes_to_the_tail },
	{ "priority picks highest first, FIFO within a level",
	  test_sched_priority_picks_highest_first_fifo_within_a_level },
	{ "priority preempted task keeps head of its level",
	  test_sched_priority_preempted_task_keeps_head_of_its_level },
	{ "priority head insert does not jump a higher level",
	  test_sched_priority_head_insert_does_not_jump_a_higher_level },
	{ "priority woken task goes to the tail of its level",
	  test_sched_priority_woken_task_goes_to_the_tail_of_its_level },
	{ "priority preempts only for a strictly higher priority",
	  test_sched_priority_preempts_only_for_a_strictly_higher_priority },
	{ "random is deterministic for a seed", test_sched_random_is_deterministic_for_a_seed },
	{ "random eventually picks every task", test_sched_random_eventually_picks_every_task },
	{ "random gives each statement to a random ready task",
	  test_sched_random_gives_each_statement_to_a_random_ready_task },
	{ "random yields whenever someone is ready",
	  test_sched_random_yields_whenever_someone_is_ready },
	{ "snapshot lists queue order without consuming",
	  test_sched_snapshot_lists_queue_order_without_consuming },
	{ "snapshot of random lists task order", test_sched_snapshot_of_random_lists_task_order },
	{ "snapshot cut short lists the next to run",
	  test_sched_snapshot_cut_short_lists_the_next_to_run },
	{ "snapshot of a long queue looks at a bounded part",
	  test_sched_snapshot_of_a_long_queue_looks_at_a_bounded_part },
	{ "snapshot of a long random queue looks at a bounded part",
	  test_sched_snapshot_of_a_long_random_queue_looks_at_a_bounded_part },
	{ "heap holds as the queue grows", test_sched_heap_holds_as_the_queue_grows },
	{ "check rejects a queued task that is not ready",
	  test_sched_check_rejects_a_queued_task_that_is_not_ready },
	{ "policy names", test_sched_policy_names },
	{ "rng: same seed gives the same sequence", test_rng_same_seed_gives_the_same_sequence },
	{ "rng matches the splitmix64 reference", test_rng_matches_the_splitmix64_reference },
	{ "rng below stays in range and hits every value",
	  test_rng_below_stays_in_range_and_hits_every_value },
	CU_TEST_INFO_NULL,
};
