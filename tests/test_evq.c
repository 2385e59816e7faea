/* test_evq.c — the event queue and the simulation clock (evq.h): events pop in the total
 * order (time, prio, seq), so equal times and priorities keep insertion order; pop_due only
 * returns events whose time has come and never moves the clock; advance and jump are the
 * only ways the clock moves; the heap property holds after thousands of random pushes and
 * pops checked against a sorted reference; and the array grows past its first allocation
 * without losing or reordering an event.
 */
#include "msgsim/base.h"
#include "msgsim/engine/evq.h"
#include "tests.h"

static SimEvent ev_at(SimTime time, int prio, int task)
{
	SimEvent ev = { .time = time, .prio = prio, .kind = SIM_EV_TIMER, .task = task };
	return ev;
}

/* Pops every due event into tasks[] and returns how many there were. */
static guint pop_all_due(SimEvq *q, int *tasks, guint max)
{
	SimEvent ev;
	guint n = 0;
	while (n < max && sim_evq_pop_due(q, &ev)) {
		tasks[n++] = ev.task;
		CU_ASSERT_TRUE(sim_evq_check(q));
	}
	return n;
}

static void test_evq_new_queue_is_empty_at_time_zero(void)
{
	SimEvq q;
	SimEvent ev = ev_at(0, 0, 99);
	sim_evq_init(&q);
	CU_ASSERT_TRUE(sim_evq_empty(&q));
	CU_ASSERT_EQUAL(sim_evq_now(&q), 0);
	CU_ASSERT_EQUAL(sim_evq_next_time(&q), SIM_TIME_MAX);
	CU_ASSERT_FALSE(sim_evq_pop_due(&q, &ev));
	/* A failed pop must not write to the caller's event. */
	CU_ASSERT_EQUAL(ev.task, 99);
	CU_ASSERT_TRUE(sim_evq_check(&q));
	sim_evq_clear(&q);
}

static void test_evq_orders_by_time_then_prio_then_insertion(void)
{
	SimEvq q;
	int got[6];
	sim_evq_init(&q);
	/* Pushed deliberately out of order: task numbers name the expected pop position. */
	sim_evq_push(&q, ev_at(30, SIM_EVPRIO_TIMER, 5));
	sim_evq_push(&q, ev_at(10, SIM_EVPRIO_START, 2));
	sim_evq_push(&q, ev_at(20, SIM_EVPRIO_START, 4));
	sim_evq_push(&q, ev_at(10, SIM_EVPRIO_TIMER, 0));
	sim_evq_push(&q, ev_at(20, SIM_EVPRIO_TIMER, 3));
	sim_evq_push(&q, ev_at(10, SIM_EVPRIO_TIMER, 1));
	CU_ASSERT_TRUE(sim_evq_check(&q));
	CU_ASSERT_EQUAL(sim_evq_next_time(&q), 10);
	sim_evq_advance(&q, 30);
	CU_ASSERT_EQUAL_FATAL(pop_all_due(&q, got, 6), 6);
	for (int i = 0; i < 6; i++)
		CU_ASSERT_EQUAL(got[i], i);
	CU_ASSERT_TRUE(sim_evq_empty(&q));
	sim_evq_clear(&q);
}

static void test_evq_equal_times_pop_in_insertion_order(void)
{
	SimEvq q;
	int got[100];
	sim_evq_init(&q);
	/* A heap is not stable by itself: only the seq stamp keeps these 100 in order. */
	for (int i = 0; i < 100; i++)
		sim_evq_push(&q, ev_at(7, SIM_EVPRIO_TIMER, i));
	sim_evq_advance(&q, 7);
	CU_ASSERT_EQUAL_FATAL(pop_all_due(&q, got, 100), 100);
	for (int i = 0; i < 100; i++)
		CU_ASSERT_EQUAL(got[i], i);
	sim_evq_clear(&q);
}

static void test_evq_push_stamps_seq_in_push_order(void)
{
	SimEvq q;
	SimEvent ev = ev_at(5, 0, 0);
	SimEvent out;
	sim_evq_init(&q);
	/* The caller's seq is overwritten, so a stale value cannot jump the queue. */
	ev.seq = 1000;
	sim_evq_push(&q, ev);
	ev.seq = 0;
	ev.task = 1;
	sim_evq_push(&q, ev);
	sim_evq_advance(&q, 5);
	CU_ASSERT_TRUE_FATAL(sim_evq_pop_due(&q, &out));
	CU_ASSERT_EQUAL(out.task, 0);
	CU_ASSERT_EQUAL(out.seq, 0);
	CU_ASSERT_TRUE_FATAL(sim_evq_pop_due(&q, &out));
	CU_ASSERT_EQUAL(out.task, 1);
	CU_ASSERT_EQUAL(out.seq, 1);
	CU_ASSERT_EQUAL(q.seq, 2);
	sim_evq_clear(&q);
}

static void test_evq_pop_returns_every_field_pushed(void)
{
	SimEvq q;
	SimEvent ev = {
		.time = 12, .prio = SIM_EVPRIO_START, .kind = SIM_EV_START, .task = 3, .gen = 77
	};
	SimEvent out;
	sim_evq_init(&q);
	sim_evq_push(&q, ev);
	sim_evq_advance(&q, 12);
	CU_ASSERT_TRUE_FATAL(sim_evq_pop_due(&q, &out));
	CU_ASSERT_EQUAL(out.time, 12);
	CU_ASSERT_EQUAL(out.prio, SIM_EVPRIO_START);
	CU_ASSERT_EQUAL(out.kind, SIM_EV_START);
	CU_ASSERT_EQUAL(out.task, 3);
	CU_ASSERT_EQUAL(out.gen, 77);
	sim_evq_clear(&q);
}

static void test_evq_pop_due_only_pops_events_at_or_before_now(void)
{
	SimEvq q;
	SimEvent out;
	sim_evq_init(&q);
	sim_evq_push(&q, ev_at(10, 0, 1));
	sim_evq_push(&q, ev_at(20, 0, 2));
	/* Nothing is due before its time... */
	sim_evq_advance(&q, 9);
	CU_ASSERT_FALSE(sim_evq_pop_due(&q, &out));
	CU_ASSERT_EQUAL(q.len, 2);
	/* ...an event is due exactly at its time, and only that one... */
	sim_evq_advance(&q, 1);
	CU_ASSERT_TRUE_FATAL(sim_evq_pop_due(&q, &out));
	CU_ASSERT_EQUAL(out.task, 1);
	CU_ASSERT_FALSE(sim_evq_pop_due(&q, &out));
	/* ...and stays due when the clock has passed it. */
	sim_evq_advance(&q, 15);
	CU_ASSERT_TRUE_FATAL(sim_evq_pop_due(&q, &out));
	CU_ASSERT_EQUAL(out.task, 2);
	CU_ASSERT_TRUE(sim_evq_empty(&q));
	sim_evq_clear(&q);
}

static void test_evq_pop_due_never_moves_the_clock(void)
{
	SimEvq q;
	SimEvent out;
	sim_evq_init(&q);
	sim_evq_advance(&q, 50);
	sim_evq_push(&q, ev_at(50, 0, 1));
	sim_evq_push(&q, ev_at(80, 0, 2));
	CU_ASSERT_TRUE(sim_evq_pop_due(&q, &out));
	CU_ASSERT_EQUAL(sim_evq_now(&q), 50);
	CU_ASSERT_FALSE(sim_evq_pop_due(&q, &out));
	CU_ASSERT_EQUAL(sim_evq_now(&q), 50);
	sim_evq_clear(&q);
}

static void test_evq_advance_adds_dt_to_the_clock(void)
{
	SimEvq q;
	sim_evq_init(&q);
	sim_evq_advance(&q, 3 * SIM_US);
	CU_ASSERT_EQUAL(sim_evq_now(&q), 3000);
	sim_evq_advance(&q, 0);
	CU_ASSERT_EQUAL(sim_evq_now(&q), 3000);
	sim_evq_advance(&q, 2 * SIM_MS);
	CU_ASSERT_EQUAL(sim_evq_now(&q), 2003000);
	sim_evq_clear(&q);
}

static void test_evq_jump_moves_the_clock_to_the_next_event(void)
{
	SimEvq q;
	SimEvent out;
	sim_evq_init(&q);
	sim_evq_push(&q, ev_at(400, 0, 1));
	sim_evq_push(&q, ev_at(250, 0, 2));
	sim_evq_jump(&q);
	CU_ASSERT_EQUAL(sim_evq_now(&q), 250);
	/* The jump only moves the clock; the event is still there to be popped. */
	CU_ASSERT_EQUAL(q.len, 2);
	CU_ASSERT_TRUE_FATAL(sim_evq_pop_due(&q, &out));
	CU_ASSERT_EQUAL(out.task, 2);
	sim_evq_jump(&q);
	CU_ASSERT_EQUAL(sim_evq_now(&q), 400);
	CU_ASSERT_TRUE_FATAL(sim_evq_pop_due(&q, &out));
	CU_ASSERT_EQUAL(out.task, 1);
	sim_evq_clear(&q);
}

static void test_evq_jump_to_an_event_due_now_keeps_the_clock(void)
{
	SimEvq q;
	sim_evq_init(&q);
	sim_evq_advance(&q, 60);
	sim_evq_push(&q, ev_at(60, 0, 1));
	sim_evq_jump(&q);
	CU_ASSERT_EQUAL(sim_evq_now(&q), 60);
	sim_evq_clear(&q);
}

static void test_evq_grows_past_its_first_allocation_keeping_order(void)
{
	enum { N = 1000 };
	SimEvq q;
	SimEvent out;
	sim_evq_init(&q);
	/* Descending times make every push sift to the root: the worst case for the heap. */
	for (int i = 0; i < N; i++)
		sim_evq_push(&q, ev_at((SimTime)(N - i), 0, N - i));
	CU_ASSERT_EQUAL(q.len, N);
	CU_ASSERT_TRUE(q.cap >= N);
	CU_ASSERT_TRUE(sim_evq_check(&q));
	sim_evq_advance(&q, N);
	for (int i = 1; i <= N; i++) {
		CU_ASSERT_TRUE_FATAL(sim_evq_pop_due(&q, &out));
		CU_ASSERT_EQUAL(out.task, i);
		CU_ASSERT_EQUAL(out.time, i);
	}
	CU_ASSERT_TRUE(sim_evq_empty(&q));
	sim_evq_clear(&q);
	CU_ASSERT_PTR_NULL(q.heap);
	CU_ASSERT_EQUAL(q.len, 0);
}

static gint cmp_event(gconstpointer a, gconstpointer b)
{
	const SimEvent *x = a, *y = b;
	if (x->time != y->time)
		return x->time < y->time ? -1 : 1;
	if (x->prio != y->prio)
		return x->prio < y->prio ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq ? 1 : 0;
}

static void test_evq_random_pushes_and_pops_match_a_sorted_reference(void)
{
	SimEvq q;
	SimRng rng;
	GArray *ref = g_array_new(FALSE, FALSE, sizeof(SimEvent));
	guint64 pushed = 0, popped = 0;
	gboolean all_match = TRUE, heap_ok = TRUE;
	sim_evq_init(&q);
	sim_rng_seed(&rng, 20240611);
	for (int step = 0; step < 20000; step++) {
		/* Push two thirds of the time so the heap grows to hundreds of events. */
		if (ref->len == 0 || sim_rng_below(&rng, 3) != 0) {
			SimEvent ev = ev_at(sim_evq_now(&q) + sim_rng_below(&rng, 50),
					    (int)sim_rng_below(&rng, 2), step);
			sim_evq_push(&q, ev);
			ev.seq = pushed++;
			g_array_append_val(ref, ev);
			g_array_sort(ref, cmp_event);
		} else {
			SimEvent want = g_array_index(ref, SimEvent, 0);
			SimEvent got;
			if (sim_evq_next_time(&q) != want.time)
				all_match = FALSE;
			sim_evq_jump(&q);
			if (!sim_evq_pop_due(&q, &got) || cmp_event(&got, &want) != 0 ||
			    got.task != want.task)
				all_match = FALSE;
			g_array_remove_index(ref, 0);
			popped++;
		}
		if (!sim_evq_check(&q) || q.len != ref->len)
			heap_ok = FALSE;
	}
	CU_ASSERT_TRUE(all_match);
	CU_ASSERT_TRUE(heap_ok);
	/* The walk must really have exercised both operations on a large heap. */
	CU_ASSERT_TRUE(popped > 5000);
	CU_ASSERT_TRUE(q.cap > 64);
	g_array_unref(ref);
	sim_evq_clear(&q);
}

static void test_evq_check_detects_a_broken_heap(void)
{
	SimEvq q;
	sim_evq_init(&q);
	sim_evq_push(&q, ev_at(1, 0, 0));
	sim_evq_push(&q, ev_at(2, 0, 1));
	sim_evq_push(&q, ev_at(3, 0, 2));
	CU_ASSERT_TRUE(sim_evq_check(&q));
	/* A child earlier than its parent is exactly what the check exists to catch. */
	q.heap[2].time = 0;
	CU_ASSERT_FALSE(sim_evq_check(&q));
	sim_evq_clear(&q);
}

/* Prune keeps the events its test accepts, as a heap, in their order: here the even tasks
 * of 300 pushed with many equal times, which then pop by (time, seq). */
static gboolean even_task(const SimEvent *ev, void *data)
{
	(*(guint *)data)++;
	return ev->task % 2 == 0;
}

static void test_evq_prune_keeps_what_it_is_told_in_order(void)
{
	SimEvq q;
	int got[300];
	guint asked = 0;
	sim_evq_init(&q);
	for (int i = 0; i < 300; i++)
		sim_evq_push(&q, ev_at((i * 7) % 5, SIM_EVPRIO_TIMER, i));
	sim_evq_prune(&q, even_task, &asked);
	CU_ASSERT_EQUAL(asked, 300); /* each event asked once */
	CU_ASSERT_EQUAL(q.len, 150);
	CU_ASSERT_TRUE(sim_evq_check(&q));
	sim_evq_advance(&q, 5);
	CU_ASSERT_EQUAL_FATAL(pop_all_due(&q, got, 300), 150);
	guint k = 0;
	for (int t = 0; t < 5; t++) /* by time, then by push order */
		for (int i = 0; i < 300; i += 2)
			if ((i * 7) % 5 == t)
				CU_ASSERT_EQUAL(got[k++], i);
	CU_ASSERT_EQUAL(k, 150);
	sim_evq_prune(&q, even_task, &asked); /* an empty queue stays empty */
	CU_ASSERT_TRUE(sim_evq_empty(&q));
	sim_evq_clear(&q);
}

extern CU_TestInfo evq_tests[];
CU_TestInfo evq_tests[] = {
	{ "new queue is empty at time zero", test_evq_new_queue_is_empty_at_time_zero },
	{ "orders by time, then prio, then insertion",
	  test_evq_orders_by_time_then_prio_then_insertion },
	{ "equal times pop in insertion order", test_evq_equal_times_pop_in_insertion_order },
	{ "push stamps seq in push order", test_evq_push_stamps_seq_in_push_order },
	{ "pop returns every field pushed", test_evq_pop_returns_every_field_pushed },
	{ "pop_due only pops events at or before now",
	  test_evq_pop_due_only_pops_events_at_or_before_now },
	{ "pop_due never moves the clock", test_evq_pop_due_never_moves_the_clock },
	{ "advance adds dt to the clock", test_evq_advance_adds_dt_to_the_clock },
	{ "jump moves the clock to the next event",
	  test_evq_jump_moves_the_clock_to_the_next_event },
	{ "jump to an event due now keeps the clock",
	  test_evq_jump_to_an_event_due_now_keeps_the_clock },
	{ "grows past its first allocation keeping order",
	  test_evq_grows_past_its_first_allocation_keeping_order },
	{ "random pushes and pops match a sorted reference",
	  test_evq_random_pushes_and_pops_match_a_sorted_reference },
	{ "check detects a broken heap", test_evq_check_detects_a_broken_heap },
	{ "prune keeps what it is told, in order", test_evq_prune_keeps_what_it_is_told_in_order },
	CU_TEST_INFO_NULL,
};
