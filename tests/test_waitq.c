/* test_waitq.c — wait queues (waitq.h): a FIFO queue serves waiters in arrival order; a
 * priority queue serves the highest task priority first and arrival order among equals,
 * wherever the newcomer lands; del unlinks a waiter from the head, middle or tail and
 * leaves it free to queue again; wake fills the waiter's slot (result, done), takes it off
 * its queue and appends it to the wake list in call order; sim_waitq_check accepts every
 * queue built here and rejects broken links, counts, owners and priority order.
 */
#include <string.h>

#include "msgsim/base.h"
#include "msgsim/engine/waitq.h"
#include "tests.h"

enum { NW = 8 };

static void waiters_init(SimWaiter *w, guint n)
{
	memset(w, 0, n * sizeof(*w));
	for (guint i = 0; i < n; i++) {
		w[i].task = (int)i;
		w[i].from = -1;
	}
}

/* Asserts the queue holds exactly the given tasks, head to tail, both ways round. */
static void assert_tasks(const SimWaitQueue *q, const int *tasks, guint n)
{
	guint i = 0;
	CU_ASSERT_TRUE(sim_waitq_check(q));
	CU_ASSERT_EQUAL(q->len, n);
	for (const SimWaiter *w = q->head; w && i < n; w = w->next, i++)
		CU_ASSERT_EQUAL(w->task, tasks[i]);
	CU_ASSERT_EQUAL(i, n);
	i = n;
	for (const SimWaiter *w = q->tail; w && i > 0; w = w->prev)
		CU_ASSERT_EQUAL(w->task, tasks[--i]);
	CU_ASSERT_EQUAL(i, 0);
}

static void test_waitq_new_queue_is_empty(void)
{
	SimWaitQueue q;
	sim_waitq_init(&q, SIM_ORDER_PRIORITY);
	CU_ASSERT_PTR_NULL(sim_waitq_first(&q));
	CU_ASSERT_EQUAL(q.len, 0);
	CU_ASSERT_EQUAL(q.order, SIM_ORDER_PRIORITY);
	CU_ASSERT_TRUE(sim_waitq_check(&q));
}

static void test_waitq_fifo_serves_in_arrival_order(void)
{
	SimWaitQueue q;
	SimWaiter w[NW];
	const int want[] = { 3, 1, 4, 0, 2 };
	waiters_init(w, NW);
	sim_waitq_init(&q, SIM_ORDER_FIFO);
	/* Priorities are ignored in FIFO order, so they are set to disagree with arrival. */
	for (guint i = 0; i < 5; i++) {
		w[want[i]].prio = (gint64)i;
		sim_waitq_add(&q, &w[want[i]]);
		CU_ASSERT_PTR_EQUAL(w[want[i]].queue, &q);
	}
	assert_tasks(&q, want, 5);
	CU_ASSERT_PTR_EQUAL(sim_waitq_first(&q), &w[3]);
}

static void test_waitq_priority_highest_first_arrival_among_equals(void)
{
	SimWaitQueue q;
	SimWaiter w[NW];
	/* Task i arrives i-th with prio[i]. */
	const gint64 prio[] = { 1, 5, 3, 5, 1, 0, 3, 5 };
	const int want[] = { 1, 3, 7, 2, 6, 0, 4, 5 };
	waiters_init(w, NW);
	sim_waitq_init(&q, SIM_ORDER_PRIORITY);
	for (guint i = 0; i < NW; i++) {
		w[i].prio = prio[i];
		sim_waitq_add(&q, &w[i]);
		CU_ASSERT_TRUE(sim_waitq_check(&q));
	}
	assert_tasks(&q, want, NW);
}

static void test_waitq_priority_newcomer_lands_at_head_middle_or_tail(void)
{
	SimWaitQueue q;
	SimWaiter w[NW];
	waiters_init(w, NW);
	sim_waitq_init(&q, SIM_ORDER_PRIORITY);
	w[0].prio = 5;
	w[1].prio = 1;
	w[2].prio = 9;
	w[3].prio = 3;
	w[4].prio = 0;
	sim_waitq_add(&q, &w[0]);
	sim_waitq_add(&q, &w[1]);
	sim_waitq_add(&q, &w[2]); /* head */
	const int a[] = { 2, 0, 1 };
	assert_tasks(&q, a, 3);
	sim_waitq_add(&q, &w[3]); /* middle */
	const int b[] = { 2, 0, 3, 1 };
	assert_tasks(&q, b, 4);
	sim_waitq_add(&q, &w[4]); /* tail */
	const int c[] = { 2, 0, 3, 1, 4 };
	assert_tasks(&q, c, 5);
}

static void test_waitq_del_from_head_middle_and_tail(void)
{
	SimWaitQueue q;
	SimWaiter w[NW];
	waiters_init(w, NW);
	sim_waitq_init(&q, SIM_ORDER_FIFO);
	for (guint i = 0; i < 5; i++)
		sim_waitq_add(&q, &w[i]);
	sim_waitq_del(&w[2]);
	/* Fatal: re-adding a waiter that still names a queue would abort the whole run. */
	CU_ASSERT_PTR_NULL_FATAL(w[2].queue);
	CU_ASSERT_PTR_NULL(w[2].next);
	CU_ASSERT_PTR_NULL(w[2].prev);
	const int a[] = { 0, 1, 3, 4 };
	assert_tasks(&q, a, 4);
	sim_waitq_del(&w[0]);
	const int b[] = { 1, 3, 4 };
	assert_tasks(&q, b, 3);
	sim_waitq_del(&w[4]);
	const int c[] = { 1, 3 };
	assert_tasks(&q, c, 2);
	/* A removed waiter may queue again, and goes to the tail like any newcomer. */
	sim_waitq_add(&q, &w[2]);
	const int d[] = { 1, 3, 2 };
	assert_tasks(&q, d, 3);
	sim_waitq_del(&w[1]);
	sim_waitq_del(&w[3]);
	sim_waitq_del(&w[2]);
	CU_ASSERT_PTR_NULL(q.head);
	CU_ASSERT_PTR_NULL(q.tail);
	assert_tasks(&q, NULL, 0);
}

static void test_waitq_wake_fills_slot_dequeues_and_appends_in_order(void)
{
	SimWaitQueue q;
	SimWaiter w[NW];
	SimWakeList wl = { NULL, NULL };
	waiters_init(w, NW);
	sim_waitq_init(&q, SIM_ORDER_FIFO);
	for (guint i = 0; i < 4; i++)
		sim_waitq_add(&q, &w[i]);
	/* Woken out of queue order on purpose: the wake list keeps the waker's order. */
	sim_waitq_wake(&wl, &w[2], 0);
	sim_waitq_wake(&wl, &w[0], EIDRM);
	sim_waitq_wake(&wl, &w[3], EAGAIN);
	const int left[] = { 1 };
	assert_tasks(&q, left, 1);
	CU_ASSERT_PTR_NULL(w[2].queue);
	CU_ASSERT_PTR_NULL(w[0].queue);
	CU_ASSERT_PTR_NULL(w[3].queue);
	CU_ASSERT_TRUE(w[2].done);
	CU_ASSERT_TRUE(w[0].done);
	CU_ASSERT_TRUE(w[3].done);
	CU_ASSERT_FALSE(w[1].done);
	CU_ASSERT_EQUAL(w[2].result, 0);
	CU_ASSERT_EQUAL(w[0].result, EIDRM);
	CU_ASSERT_EQUAL(w[3].result, EAGAIN);
	CU_ASSERT_PTR_EQUAL(wl.first, &w[2]);
	CU_ASSERT_PTR_EQUAL(w[2].wake_next, &w[0]);
	CU_ASSERT_PTR_EQUAL(w[0].wake_next, &w[3]);
	CU_ASSERT_PTR_NULL(w[3].wake_next);
	CU_ASSERT_PTR_EQUAL(wl.last, &w[3]);
}

static void test_waitq_wake_leaves_the_waiters_message_alone(void)
{
	SimWaitQueue q;
	SimWaiter w[NW];
	SimWakeList wl = { NULL, NULL };
	SimMsg m;
	waiters_init(w, NW);
	sim_waitq_init(&q, SIM_ORDER_FIFO);
	/* The waker fills msg before waking (mbox.c); wake itself must not undo that. */
	w[0].msg = &m;
	sim_waitq_add(&q, &w[0]);
	sim_waitq_wake(&wl, &w[0], 0);
	CU_ASSERT_PTR_EQUAL(w[0].msg, &m);
	CU_ASSERT_EQUAL(q.len, 0);
	CU_ASSERT_TRUE(sim_waitq_check(&q));
}

static void test_waitq_check_rejects_broken_queues(void)
{
	SimWaitQueue q, other;
	SimWaiter w[NW];
	waiters_init(w, NW);
	sim_waitq_init(&q, SIM_ORDER_PRIORITY);
	sim_waitq_init(&other, SIM_ORDER_PRIORITY);
	for (guint i = 0; i < 3; i++) {
		w[i].prio = 3 - (gint64)i;
		sim_waitq_add(&q, &w[i]);
	}
	CU_ASSERT_TRUE(sim_waitq_check(&q));
	q.len = 4;
	CU_ASSERT_FALSE(sim_waitq_check(&q));
	q.len = 3;
	w[1].queue = &other;
	CU_ASSERT_FALSE(sim_waitq_check(&q));
	w[1].queue = &q;
	w[2].prev = w[0].prev;
	CU_ASSERT_FALSE(sim_waitq_check(&q));
	w[2].prev = &w[1];
	q.tail = &w[1];
	CU_ASSERT_FALSE(sim_waitq_check(&q));
	q.tail = &w[2];
	w[2].prio = 10;
	CU_ASSERT_FALSE(sim_waitq_check(&q));
	/* The same queue is valid in FIFO order, where priorities do not matter. */
	q.order = SIM_ORDER_FIFO;
	CU_ASSERT_TRUE(sim_waitq_check(&q));
}

extern CU_TestInfo waitq_tests[];
CU_TestInfo waitq_tests[] = {
	{ "new queue is empty", test_waitq_new_queue_is_empty },
	{ "FIFO serves in arrival order", test_waitq_fifo_serves_in_arrival_order },
	{ "priority: highest first, arrival among equals",
	  test_waitq_priority_highest_first_arrival_among_equals },
	{ "priority newcomer lands at head, middle or tail",
	  test_waitq_priority_newcomer_lands_at_head_middle_or_tail },
	{ "del from head, middle and tail", test_waitq_del_from_head_middle_and_tail },
	{ "wake fills slot, dequeues and appends in order",
	  test_waitq_wake_fills_slot_dequeues_and_appends_in_order },
	{ "wake leaves the waiter's message alone",
	  test_waitq_wake_leaves_the_waiters_message_alone },
	{ "check rejects broken queues", test_waitq_check_rejects_broken_queues },
	CU_TEST_INFO_NULL,
};
