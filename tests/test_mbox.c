/* test_mbox.c — mailboxes, rendezvous links and inboxes (mbox.h), one test per rule: the
 * three capacities (unbounded never blocks; N blocks the N+1th sender until a receive moves
 * its message into the freed slot; 0 hands every message over in a rendezvous), hand-off to a
 * waiting receiver, the nowait errors, priority message order and priority wait lists, the
 * sender filter of inboxes, the addressed messages, each deliver rule (first-waiter,
 * round-robin, random, pair, exclusive), destruction by the owner (EIDRM, ESRCH for an inbox),
 * and the statistics. Every operation is followed by sim_mbox_check, and every test ends
 * with every message back in the pool (pool.live == 0), so a message lost or duplicated by
 * the object fails the test that lost it.
 */
#include <string.h>

#include "msgsim/base.h"
#include "msgsim/kernel/mbox.h"
#include "msgsim/kernel/msg.h"
#include "msgsim/engine/waitq.h"
#include "tests.h"

enum { NT = 8 }; /* tasks 0..7; each has one waiter, as a SimTask does */

typedef struct Fx {
	SimMsgPool pool;
	SimWakeList wake;
	SimRng rng;
	SimMboxCtx ctx;
	SimScnMbox decl;
	SimMbox mb;
	SimWaiter w[NT];
	guint64 seq; /* next message sequence number */
	int handed;  /* handed_to of the last send */
	SimMsg *out; /* message of the last receive */
} Fx;

static char mbox_name[] = "A";

static void fx_setup(Fx *f)
{
	memset(f, 0, sizeof(*f));
	sim_msg_pool_init(&f->pool);
	sim_rng_seed(&f->rng, 1);
	f->ctx.wake = &f->wake;
	f->ctx.rng = &f->rng;
	f->ctx.n_tasks = NT;
	f->ctx.pool = &f->pool;
	for (int i = 0; i < NT; i++) {
		f->w[i].task = i;
		f->w[i].from = -1;
	}
	f->handed = -2;
}

static void fx_init(Fx *f, gint64 capacity, SimOrder order, SimOrder waiters, SimDeliver deliver)
{
	fx_setup(f);
	f->decl.name = mbox_name;
	f->decl.capacity = capacity;
	f->decl.owner = 0;
	f->decl.order = order;
	f->decl.waiters = waiters;
	f->decl.deliver = deliver;
	sim_mbox_init(&f->mb, 0, &f->decl, 0);
	CU_ASSERT_TRUE(sim_mbox_check(&f->mb));
}

/* The inbox of task 2, as the world makes one for every process. */
static void fx_init_inbox(Fx *f, gint64 capacity)
{
	fx_setup(f);
	sim_mbox_init_inbox(&f->mb, 3, "P2", 2, capacity);
	CU_ASSERT_TRUE(sim_mbox_check(&f->mb));
}

/* Gives back what the object still holds (queued messages, blocked senders' messages),
 * then proves that nothing else is out. */
static void fx_finish(Fx *f)
{
	sim_mbox_clear(&f->mb, &f->pool);
	for (int i = 0; i < NT; i++) {
		sim_msg_pool_put(&f->pool, f->w[i].msg);
		f->w[i].msg = NULL;
	}
	CU_ASSERT_EQUAL(f->pool.live, 0);
	sim_msg_pool_clear(&f->pool);
}

static SimMsg *msg(Fx *f, int from, gint64 prio, const char *text)
{
	SimMsg *m = sim_msg_pool_get(&f->pool);
	m->from = from;
	m->to = -1;
	m->type = 1;
	m->prio = prio;
	m->seq = f->seq++;
	m->text = text;
	m->len = (guint32)strlen(text);
	return m;
}

static SimMsg *msg_to(Fx *f, int from, int to, const char *text)
{
	SimMsg *m = msg(f, from, 0, text);
	m->to = to;
	return m;
}

static int fx_send(Fx *f, int task, SimMsg *m, gboolean nowait)
{
	int r = sim_mbox_send(&f->mb, &f->ctx, &f->w[task], m, nowait, &f->handed);
	CU_ASSERT_TRUE(sim_mbox_check(&f->mb));
	return r;
}

static int fx_recv(Fx *f, int task, int from, gboolean nowait)
{
	int r = sim_mbox_receive(&f->mb, &f->ctx, &f->w[task], from, nowait, &f->out);
	CU_ASSERT_TRUE(sim_mbox_check(&f->mb));
	return r;
}

/* A receive that must succeed at once with the given text; the message goes back to the pool. */
static void recv_expect(Fx *f, int task, int from, const char *text)
{
	CU_ASSERT_EQUAL(fx_recv(f, task, from, TRUE), 0);
	CU_ASSERT_PTR_NOT_NULL_FATAL(f->out);
	CU_ASSERT_STRING_EQUAL(f->out->text, text);
	sim_msg_pool_put(&f->pool, f->out);
	f->out = NULL;
}

/* The message a woken receiver was handed, taken out of its waiter as the task would. */
static SimMsg *take(Fx *f, int task)
{
	SimMsg *m = f->w[task].msg;
	f->w[task].msg = NULL;
	return m;
}

static void take_expect(Fx *f, int task, const char *text)
{
	SimMsg *m = take(f, task);
	CU_ASSERT_PTR_NOT_NULL_FATAL(m);
	CU_ASSERT_STRING_EQUAL(m->text, text);
	sim_msg_pool_put(&f->pool, m);
}

/* Asserts the wake list holds exactly these tasks in this order, each with `result`, then
 * empties it as the engine does after an operation. */
static void expect_woken(Fx *f, const int *tasks, guint n, int result)
{
	guint i = 0;
	for (SimWaiter *w = f->wake.first; w; w = w->wake_next, i++) {
		CU_ASSERT_FATAL(i < n);
		CU_ASSERT_EQUAL(w->task, tasks[i]);
		CU_ASSERT_EQUAL(w->result, result);
		CU_ASSERT_TRUE(w->done);
		CU_ASSERT_PTR_NULL(w->queue);
	}
	CU_ASSERT_EQUAL(i, n);
	f->wake.first = f->wake.last = NULL;
}

static void expect_no_wake(Fx *f)
{
	CU_ASSERT_PTR_NULL(f->wake.first);
}

static void expect_one_woken(Fx *f, int task, int result)
{
	expect_woken(f, &task, 1, result);
}

/* Asserts the queued messages' texts, head to tail. */
static void expect_queue(Fx *f, const char *const *texts, guint n)
{
	guint i = 0;
	CU_ASSERT_EQUAL(sim_mbox_qnum(&f->mb), n);
	for (const SimMsg *m = f->mb.msgs.head; m && i < n; m = m->next, i++)
		CU_ASSERT_STRING_EQUAL(m->text, texts[i]);
	CU_ASSERT_EQUAL(i, n);
}

static void expect_waiting(const SimWaitQueue *q, const int *tasks, guint n)
{
	guint i = 0;
	CU_ASSERT_EQUAL(q->len, n);
	for (const SimWaiter *w = q->head; w && i < n; w = w->next, i++)
		CU_ASSERT_EQUAL(w->task, tasks[i]);
	CU_ASSERT_EQUAL(i, n);
}

/* ---- Declarations ---- */

static void test_mbox_init_takes_the_declaration(void)
{
	Fx f;
	fx_init(&f, 4, SIM_ORDER_PRIORITY, SIM_ORDER_PRIORITY, SIM_DELIVER_ROUND_ROBIN);
	CU_ASSERT_STRING_EQUAL(f.mb.name, "A");
	CU_ASSERT_EQUAL(f.mb.index, 0);
	CU_ASSERT_EQUAL(f.mb.capacity, 4);
	CU_ASSERT_EQUAL(f.mb.owner, 0);
	CU_ASSERT_EQUAL(f.mb.deliver, SIM_DELIVER_ROUND_ROBIN);
	CU_ASSERT_EQUAL(f.mb.msgs.order, SIM_ORDER_PRIORITY);
	CU_ASSERT_EQUAL(f.mb.senders.order, SIM_ORDER_PRIORITY);
	CU_ASSERT_EQUAL(f.mb.receivers.order, SIM_ORDER_PRIORITY);
	CU_ASSERT_FALSE(f.mb.is_inbox);
	CU_ASSERT_FALSE(f.mb.destroyed);
	CU_ASSERT_EQUAL(f.mb.gone_err, EIDRM);
	CU_ASSERT_EQUAL(f.mb.pair[0], -1);
	CU_ASSERT_EQUAL(f.mb.pair[1], -1);
	CU_ASSERT_EQUAL(f.mb.rr_last, -1);
	CU_ASSERT_EQUAL(f.mb.sent + f.mb.received + f.mb.max_qnum + f.mb.cbytes + f.mb.bytes, 0);
	fx_finish(&f);
}

static void test_mbox_init_inbox_is_a_fifo_buffer_that_dies_with_esrch(void)
{
	Fx f;
	fx_init_inbox(&f, SIM_CAPACITY_UNBOUNDED);
	CU_ASSERT_STRING_EQUAL(f.mb.name, "P2");
	CU_ASSERT_EQUAL(f.mb.index, 3);
	CU_ASSERT_EQUAL(f.mb.owner, 2);
	CU_ASSERT_TRUE(f.mb.is_inbox);
	CU_ASSERT_FALSE(f.mb.is_port);
	CU_ASSERT_EQUAL(f.mb.capacity, SIM_CAPACITY_UNBOUNDED);
	CU_ASSERT_EQUAL(f.mb.gone_err, ESRCH);
	CU_ASSERT_EQUAL(f.mb.msgs.order, SIM_ORDER_FIFO);
	CU_ASSERT_EQUAL(f.mb.deliver, SIM_DELIVER_FIRST_WAITER);
	fx_finish(&f);
}

/* ---- Capacity ---- */

static void test_mbox_unbounded_send_never_blocks(void)
{
	enum { N = 600 };
	Fx f;
	gboolean in_order = TRUE;
	fx_init(&f, SIM_CAPACITY_UNBOUNDED, SIM_ORDER_FIFO, SIM_ORDER_FIFO,
		SIM_DELIVER_FIRST_WAITER);
	for (int i = 0; i < N; i++) {
		SimMsg *m = msg(&f, i % 3, 0, "m");
		m->type = i + 1;
		CU_ASSERT_EQUAL(fx_send(&f, i % 3, m, FALSE), 0);
		CU_ASSERT_EQUAL(f.handed, -1);
	}
	CU_ASSERT_EQUAL(f.mb.senders.len, 0);
	CU_ASSERT_EQUAL(sim_mbox_qnum(&f.mb), N);
	CU_ASSERT_EQUAL(f.mb.max_qnum, N);
	CU_ASSERT_EQUAL(f.mb.sent, N);
	expect_no_wake(&f);
	/* FIFO: they come out in the order they went in. */
	for (int i = 0; i < N; i++) {
		CU_ASSERT_EQUAL_FATAL(fx_recv(&f, 5, -1, TRUE), 0);
		if (f.out->type != i + 1)
			in_order = FALSE;
		sim_msg_pool_put(&f.pool, f.out);
	}
	CU_ASSERT_TRUE(in_order);
	CU_ASSERT_EQUAL(fx_recv(&f, 5, -1, TRUE), ENOMSG);
	fx_finish(&f);
}

static void test_mbox_bounded_blocks_the_sender_beyond_capacity(void)
{
	Fx f;
	fx_init(&f, 2, SIM_ORDER_FIFO, SIM_ORDER_FIFO, SIM_DELIVER_FIRST_WAITER);
	CU_ASSERT_EQUAL(fx_send(&f, 0, msg(&f, 0, 0, "a"), FALSE), 0);
	CU_ASSERT_EQUAL(fx_send(&f, 0, msg(&f, 0, 0, "b"), FALSE), 0);
	SimMsg *c = msg(&f, 1, 0, "c");
	CU_ASSERT_EQUAL(fx_send(&f, 1, c, FALSE), SIM_BLOCKED);
	CU_ASSERT_EQUAL(f.handed, -1);
	/* The sender waits holding its message; the message is not in the queue. */
	CU_ASSERT_PTR_EQUAL(sim_waitq_first(&f.mb.senders), &f.w[1]);
	CU_ASSERT_PTR_EQUAL(f.w[1].queue, &f.mb.senders);
	CU_ASSERT_PTR_EQUAL(f.w[1].msg, c);
	CU_ASSERT_FALSE(f.w[1].done);
	const char *q[] = { "a", "b" };
	expect_queue(&f, q, 2);
	CU_ASSERT_EQUAL(f.mb.sent, 2);
	CU_ASSERT_EQUAL(f.mb.cbytes, 2);
	expect_no_wake(&f);
	/* A second sender queues behind the first. */
	CU_ASSERT_EQUAL(fx_send(&f, 2, msg(&f, 2, 0, "d"), FALSE), SIM_BLOCKED);
	const int s[] = { 1, 2 };
	expect_waiting(&f.mb.senders, s, 2);
	fx_finish(&f);
}

static void test_mbox_bounded_receive_moves_the_blocked_senders_message_in(void)
{
	Fx f;
	fx_init(&f, 2, SIM_ORDER_FIFO, SIM_ORDER_FIFO, SIM_DELIVER_FIRST_WAITER);
	fx_send(&f, 0, msg(&f, 0, 0, "a"), FALSE);
	fx_send(&f, 0, msg(&f, 0, 0, "b"), FALSE);
	CU_ASSERT_EQUAL(fx_send(&f, 1, msg(&f, 1, 0, "c"), FALSE), SIM_BLOCKED);
	CU_ASSERT_EQUAL(fx_send(&f, 2, msg(&f, 2, 0, "d"), FALSE), SIM_BLOCKED);
	recv_expect(&f, 5, -1, "a");
	/* The freed slot goes to the first blocked sender, which is woken with success. */
	expect_one_woken(&f, 1, 0);
	CU_ASSERT_PTR_NULL(f.w[1].msg);
	const char *q1[] = { "b", "c" };
	expect_queue(&f, q1, 2);
	const int s1[] = { 2 };
	expect_waiting(&f.mb.senders, s1, 1);
	recv_expect(&f, 5, -1, "b");
	expect_one_woken(&f, 2, 0);
	const char *q2[] = { "c", "d" };
	expect_queue(&f, q2, 2);
	CU_ASSERT_EQUAL(f.mb.senders.len, 0);
	/* Message order is send order, blocked or not. */
	recv_expect(&f, 5, -1, "c");
	recv_expect(&f, 5, -1, "d");
	expect_no_wake(&f);
	CU_ASSERT_EQUAL(f.mb.sent, 4);
	CU_ASSERT_EQUAL(f.mb.received, 4);
	CU_ASSERT_EQUAL(f.mb.max_qnum, 2);
	fx_finish(&f);
}

static void test_mbox_bounded_nowait_send_on_full_returns_eagain(void)
{
	Fx f;
	fx_init(&f, 1, SIM_ORDER_FIFO, SIM_ORDER_FIFO, SIM_DELIVER_FIRST_WAITER);
	CU_ASSERT_EQUAL(fx_send(&f, 0, msg(&f, 0, 0, "a"), TRUE), 0);
	SimMsg *b = msg(&f, 1, 0, "b");
	CU_ASSERT_EQUAL_FATAL(fx_send(&f, 1, b, TRUE), EAGAIN);
	/* Refused means untouched: not queued, not held, still the caller's to free. */
	CU_ASSERT_EQUAL(f.handed, -1);
	CU_ASSERT_EQUAL(f.mb.senders.len, 0);
	CU_ASSERT_PTR_NULL(f.w[1].msg);
	CU_ASSERT_PTR_NULL(f.w[1].queue);
	const char *q[] = { "a" };
	expect_queue(&f, q, 1);
	CU_ASSERT_EQUAL(f.mb.sent, 1);
	expect_no_wake(&f);
	sim_msg_pool_put(&f.pool, b);
	fx_finish(&f);
}

static void test_mbox_rendezvous_blocks_sender_until_receive(void)
{
	Fx f;
	fx_init(&f, 0, SIM_ORDER_FIFO, SIM_ORDER_FIFO, SIM_DELIVER_FIRST_WAITER);
	SimMsg *m = msg(&f, 0, 0, "hello");
	CU_ASSERT_EQUAL(fx_send(&f, 0, m, FALSE), SIM_BLOCKED);
	CU_ASSERT_EQUAL(sim_mbox_qnum(&f.mb), 0);
	CU_ASSERT_PTR_EQUAL(f.w[0].msg, m);
	CU_ASSERT_EQUAL(f.mb.sent, 0);
	CU_ASSERT_EQUAL(fx_recv(&f, 1, -1, FALSE), 0);
	CU_ASSERT_PTR_EQUAL(f.out, m);
	/* The receive completes the send: the sender is woken with success, empty-handed. */
	expect_one_woken(&f, 0, 0);
	CU_ASSERT_PTR_NULL(f.w[0].msg);
	CU_ASSERT_EQUAL(f.mb.sent, 1);
	CU_ASSERT_EQUAL(f.mb.received, 1);
	CU_ASSERT_EQUAL(f.mb.bytes, 5);
	CU_ASSERT_EQUAL(f.mb.max_qnum, 0);
	sim_msg_pool_put(&f.pool, f.out);
	fx_finish(&f);
}

static void test_mbox_rendezvous_never_queues_and_serves_senders_in_order(void)
{
	Fx f;
	fx_init(&f, 0, SIM_ORDER_FIFO, SIM_ORDER_FIFO, SIM_DELIVER_FIRST_WAITER);
	CU_ASSERT_EQUAL(fx_send(&f, 2, msg(&f, 2, 0, "from2"), FALSE), SIM_BLOCKED);
	CU_ASSERT_EQUAL(fx_send(&f, 0, msg(&f, 0, 0, "from0"), FALSE), SIM_BLOCKED);
	CU_ASSERT_EQUAL(fx_send(&f, 1, msg(&f, 1, 0, "from1"), FALSE), SIM_BLOCKED);
	CU_ASSERT_EQUAL(sim_mbox_qnum(&f.mb), 0);
	CU_ASSERT_EQUAL(f.mb.max_qnum, 0);
	recv_expect(&f, 5, -1, "from2");
	expect_one_woken(&f, 2, 0);
	recv_expect(&f, 5, -1, "from0");
	expect_one_woken(&f, 0, 0);
	recv_expect(&f, 5, -1, "from1");
	expect_one_woken(&f, 1, 0);
	CU_ASSERT_EQUAL(f.mb.max_qnum, 0);
	fx_finish(&f);
}

static void test_mbox_rendezvous_nowait_send_without_receiver_returns_eagain(void)
{
	Fx f;
	fx_init(&f, 0, SIM_ORDER_FIFO, SIM_ORDER_FIFO, SIM_DELIVER_FIRST_WAITER);
	SimMsg *m = msg(&f, 0, 0, "x");
	CU_ASSERT_EQUAL_FATAL(fx_send(&f, 0, m, TRUE), EAGAIN);
	CU_ASSERT_EQUAL(f.mb.senders.len, 0);
	CU_ASSERT_EQUAL(sim_mbox_qnum(&f.mb), 0);
	CU_ASSERT_EQUAL(f.mb.sent, 0);
	sim_msg_pool_put(&f.pool, m);
	fx_finish(&f);
}

static void test_mbox_rendezvous_receive_from_skips_nonmatching_senders(void)
{
	Fx f;
	fx_init(&f, 0, SIM_ORDER_FIFO, SIM_ORDER_FIFO, SIM_DELIVER_FIRST_WAITER);
	fx_send(&f, 1, msg(&f, 1, 0, "from1"), FALSE);
	fx_send(&f, 3, msg(&f, 3, 0, "from3"), FALSE);
	recv_expect(&f, 5, 3, "from3");
	expect_one_woken(&f, 3, 0);
	/* P1 is still waiting for a receiver that takes its message. */
	const int s[] = { 1 };
	expect_waiting(&f.mb.senders, s, 1);
	CU_ASSERT_EQUAL(fx_recv(&f, 6, 3, TRUE), ENOMSG);
	recv_expect(&f, 6, -1, "from1");
	expect_one_woken(&f, 1, 0);
	fx_finish(&f);
}

/* ---- Hand-off and receive ---- */

static void test_mbox_send_to_a_waiting_receiver_hands_off_directly(void)
{
	const gint64 caps[] = { SIM_CAPACITY_UNBOUNDED, 0, 1, 3 };
	for (gsize c = 0; c < G_N_ELEMENTS(caps); c++) {
		Fx f;
		fx_init(&f, caps[c], SIM_ORDER_FIFO, SIM_ORDER_FIFO, SIM_DELIVER_FIRST_WAITER);
		CU_ASSERT_EQUAL(fx_recv(&f, 3, -1, FALSE), SIM_BLOCKED);
		CU_ASSERT_PTR_NULL(f.out);
		SimMsg *m = msg(&f, 0, 0, "direct");
		CU_ASSERT_EQUAL(fx_send(&f, 0, m, FALSE), 0);
		CU_ASSERT_EQUAL(f.handed, 3);
		CU_ASSERT_PTR_EQUAL(f.w[3].msg, m);
		expect_one_woken(&f, 3, 0);
		/* It went straight across: never queued, so neither qnum nor cbytes moved. */
		CU_ASSERT_EQUAL(sim_mbox_qnum(&f.mb), 0);
		CU_ASSERT_EQUAL(f.mb.max_qnum, 0);
		CU_ASSERT_EQUAL(f.mb.cbytes, 0);
		CU_ASSERT_EQUAL(f.mb.receivers.len, 0);
		CU_ASSERT_EQUAL(f.mb.sent, 1);
		CU_ASSERT_EQUAL(f.mb.received, 1);
		CU_ASSERT_EQUAL(f.mb.bytes, 6);
		CU_ASSERT_PTR_NULL(f.w[0].msg);
		take_expect(&f, 3, "direct");
		fx_finish(&f);
	}
}

static void test_mbox_receive_on_empty_blocks_with_its_filter(void)
{
	Fx f;
	fx_init_inbox(&f, SIM_CAPACITY_UNBOUNDED);
	CU_ASSERT_EQUAL(fx_recv(&f, 2, 4, FALSE), SIM_BLOCKED);
	CU_ASSERT_PTR_NULL(f.out);
	CU_ASSERT_PTR_EQUAL(sim_waitq_first(&f.mb.receivers), &f.w[2]);
	CU_ASSERT_EQUAL(f.w[2].from, 4);
	CU_ASSERT_FALSE(f.w[2].done);
	CU_ASSERT_PTR_NULL(f.w[2].msg);
	expect_no_wake(&f);
	fx_send(&f, 4, msg(&f, 4, 0, "x"), FALSE);
	take_expect(&f, 2, "x");
	fx_finish(&f);
}

static void test_mbox_nowait_receive_on_empty_returns_enomsg(void)
{
	Fx f;
	fx_init(&f, 3, SIM_ORDER_FIFO, SIM_ORDER_FIFO, SIM_DELIVER_FIRST_WAITER);
	CU_ASSERT_EQUAL(fx_recv(&f, 1, -1, TRUE), ENOMSG);
	CU_ASSERT_PTR_NULL(f.out);
	CU_ASSERT_EQUAL(f.mb.receivers.len, 0);
	CU_ASSERT_PTR_NULL(f.w[1].queue);
	CU_ASSERT_EQUAL(f.mb.received, 0);
	fx_finish(&f);
}

/* ---- Order ---- */

static void test_mbox_priority_order_delivers_highest_prio_first(void)
{
	Fx f;
	fx_init(&f, SIM_CAPACITY_UNBOUNDED, SIM_ORDER_PRIORITY, SIM_ORDER_FIFO,
		SIM_DELIVER_FIRST_WAITER);
	fx_send(&f, 0, msg(&f, 0, 1, "p1"), FALSE);
	fx_send(&f, 0, msg(&f, 0, 5, "p5a"), FALSE);
	fx_send(&f, 0, msg(&f, 0, 3, "p3"), FALSE);
	fx_send(&f, 0, msg(&f, 0, 5, "p5b"), FALSE);
	fx_send(&f, 0, msg(&f, 0, 0, "p0"), FALSE);
	const char *q[] = { "p5a", "p5b", "p3", "p1", "p0" };
	expect_queue(&f, q, 5);
	recv_expect(&f, 1, -1, "p5a");
	recv_expect(&f, 1, -1, "p5b");
	recv_expect(&f, 1, -1, "p3");
	recv_expect(&f, 1, -1, "p1");
	recv_expect(&f, 1, -1, "p0");
	fx_finish(&f);
}

static void test_mbox_priority_waiters_serve_the_highest_task_priority_first(void)
{
	Fx f;
	fx_init(&f, SIM_CAPACITY_UNBOUNDED, SIM_ORDER_FIFO, SIM_ORDER_PRIORITY,
		SIM_DELIVER_FIRST_WAITER);
	f.w[1].prio = 1;
	f.w[2].prio = 5;
	f.w[3].prio = 5;
	fx_recv(&f, 1, -1, FALSE);
	fx_recv(&f, 2, -1, FALSE);
	fx_recv(&f, 3, -1, FALSE);
	const int r[] = { 2, 3, 1 };
	expect_waiting(&f.mb.receivers, r, 3);
	fx_send(&f, 0, msg(&f, 0, 0, "x"), FALSE);
	CU_ASSERT_EQUAL(f.handed, 2);
	fx_send(&f, 0, msg(&f, 0, 0, "y"), FALSE);
	CU_ASSERT_EQUAL(f.handed, 3);
	fx_send(&f, 0, msg(&f, 0, 0, "z"), FALSE);
	CU_ASSERT_EQUAL(f.handed, 1);
	take_expect(&f, 2, "x");
	take_expect(&f, 3, "y");
	take_expect(&f, 1, "z");
	fx_finish(&f);
}

static void test_mbox_priority_waiters_refill_from_the_highest_priority_sender(void)
{
	Fx f;
	fx_init(&f, 1, SIM_ORDER_FIFO, SIM_ORDER_PRIORITY, SIM_DELIVER_FIRST_WAITER);
	f.w[1].prio = 1;
	f.w[2].prio = 5;
	fx_send(&f, 0, msg(&f, 0, 0, "first"), FALSE);
	CU_ASSERT_EQUAL(fx_send(&f, 1, msg(&f, 1, 0, "low"), FALSE), SIM_BLOCKED);
	CU_ASSERT_EQUAL(fx_send(&f, 2, msg(&f, 2, 0, "high"), FALSE), SIM_BLOCKED);
	recv_expect(&f, 5, -1, "first");
	expect_one_woken(&f, 2, 0);
	recv_expect(&f, 5, -1, "high");
	expect_one_woken(&f, 1, 0);
	recv_expect(&f, 5, -1, "low");
	fx_finish(&f);
}

/* ---- Inboxes: the sender filter ---- */

static void test_mbox_inbox_receiver_waiting_for_p1_is_not_handed_p3s_message(void)
{
	Fx f;
	fx_init_inbox(&f, SIM_CAPACITY_UNBOUNDED);
	CU_ASSERT_EQUAL(fx_recv(&f, 2, 1, FALSE), SIM_BLOCKED);
	CU_ASSERT_EQUAL(fx_send(&f, 3, msg(&f, 3, 0, "from P3"), FALSE), 0);
	/* Queued for later, and P2 keeps waiting for P1. */
	CU_ASSERT_EQUAL(f.handed, -1);
	expect_no_wake(&f);
	const char *q[] = { "from P3" };
	expect_queue(&f, q, 1);
	CU_ASSERT_PTR_EQUAL(f.w[2].queue, &f.mb.receivers);
	CU_ASSERT_PTR_NULL(f.w[2].msg);
	CU_ASSERT_EQUAL(fx_send(&f, 1, msg(&f, 1, 0, "from P1"), FALSE), 0);
	CU_ASSERT_EQUAL(f.handed, 2);
	expect_one_woken(&f, 2, 0);
	CU_ASSERT_EQUAL(f.w[2].msg->from, 1);
	take_expect(&f, 2, "from P1");
	expect_queue(&f, q, 1);
	/* `receive any` takes it, and the sender comes with it. */
	CU_ASSERT_EQUAL(fx_recv(&f, 2, -1, TRUE), 0);
	CU_ASSERT_EQUAL(f.out->from, 3);
	sim_msg_pool_put(&f.pool, f.out);
	fx_finish(&f);
}

static void test_mbox_inbox_receive_from_takes_only_that_senders_messages(void)
{
	Fx f;
	fx_init_inbox(&f, SIM_CAPACITY_UNBOUNDED);
	fx_send(&f, 3, msg(&f, 3, 0, "a3"), FALSE);
	fx_send(&f, 1, msg(&f, 1, 0, "b1"), FALSE);
	fx_send(&f, 3, msg(&f, 3, 0, "c3"), FALSE);
	fx_send(&f, 1, msg(&f, 1, 0, "d1"), FALSE);
	recv_expect(&f, 2, 1, "b1");
	recv_expect(&f, 2, 1, "d1");
	CU_ASSERT_EQUAL(fx_recv(&f, 2, 1, TRUE), ENOMSG);
	const char *q[] = { "a3", "c3" };
	expect_queue(&f, q, 2);
	recv_expect(&f, 2, -1, "a3");
	recv_expect(&f, 2, 3, "c3");
	fx_finish(&f);
}

static void test_mbox_bounded_receive_from_takes_a_blocked_senders_message(void)
{
	Fx f;
	fx_init_inbox(&f, 1);
	fx_send(&f, 3, msg(&f, 3, 0, "from P3"), FALSE);
	CU_ASSERT_EQUAL(fx_send(&f, 1, msg(&f, 1, 0, "from P1"), FALSE), SIM_BLOCKED);
	/* Nothing from P1 is queued, so the receive takes it from the blocked sender. */
	recv_expect(&f, 2, 1, "from P1");
	expect_one_woken(&f, 1, 0);
	CU_ASSERT_PTR_NULL(f.w[1].msg);
	const char *q[] = { "from P3" };
	expect_queue(&f, q, 1);
	CU_ASSERT_EQUAL(f.mb.sent, 2);
	CU_ASSERT_EQUAL(f.mb.received, 1);
	recv_expect(&f, 2, -1, "from P3");
	fx_finish(&f);
}

/* ---- Deliver rules ---- */

static void test_mbox_addressed_message_goes_only_to_the_named_receiver(void)
{
	Fx f;
	fx_init(&f, SIM_CAPACITY_UNBOUNDED, SIM_ORDER_FIFO, SIM_ORDER_FIFO, SIM_DELIVER_ADDRESSED);
	fx_recv(&f, 2, -1, FALSE);
	fx_recv(&f, 3, -1, FALSE);
	CU_ASSERT_EQUAL(fx_send(&f, 0, msg_to(&f, 0, 3, "for3"), FALSE), 0);
	/* P2 has waited longer but the message names P3. */
	CU_ASSERT_EQUAL(f.handed, 3);
	expect_one_woken(&f, 3, 0);
	take_expect(&f, 3, "for3");
	const int r[] = { 2 };
	expect_waiting(&f.mb.receivers, r, 1);
	/* Addressed to a process that is not waiting: queued, and P2 still waits. */
	CU_ASSERT_EQUAL(fx_send(&f, 0, msg_to(&f, 0, 4, "for4"), FALSE), 0);
	CU_ASSERT_EQUAL(f.handed, -1);
	expect_no_wake(&f);
	expect_waiting(&f.mb.receivers, r, 1);
	CU_ASSERT_EQUAL(fx_recv(&f, 5, -1, TRUE), ENOMSG);
	recv_expect(&f, 4, -1, "for4");
	/* A message addressed to nobody goes to whoever waits. */
	CU_ASSERT_EQUAL(fx_send(&f, 0, msg(&f, 0, 0, "anyone"), FALSE), 0);
	CU_ASSERT_EQUAL(f.handed, 2);
	expect_one_woken(&f, 2, 0);
	take_expect(&f, 2, "anyone");
	fx_finish(&f);
}

static void test_mbox_addressed_receive_skips_messages_for_others(void)
{
	Fx f;
	fx_init(&f, SIM_CAPACITY_UNBOUNDED, SIM_ORDER_FIFO, SIM_ORDER_FIFO, SIM_DELIVER_ADDRESSED);
	fx_send(&f, 0, msg_to(&f, 0, 4, "for4"), FALSE);
	fx_send(&f, 0, msg_to(&f, 0, 3, "for3"), FALSE);
	recv_expect(&f, 3, -1, "for3");
	/* P3 has nothing more: it blocks although a message (for P4) is queued. */
	CU_ASSERT_EQUAL(fx_recv(&f, 3, -1, FALSE), SIM_BLOCKED);
	recv_expect(&f, 4, -1, "for4");
	fx_send(&f, 0, msg_to(&f, 0, 3, "later3"), FALSE);
	take_expect(&f, 3, "later3");
	expect_one_woken(&f, 3, 0);
	fx_finish(&f);
}

static void test_mbox_first_waiter_delivers_to_the_longest_waiting_receiver(void)
{
	Fx f;
	fx_init(&f, SIM_CAPACITY_UNBOUNDED, SIM_ORDER_FIFO, SIM_ORDER_FIFO,
		SIM_DELIVER_FIRST_WAITER);
	fx_recv(&f, 3, -1, FALSE);
	fx_recv(&f, 1, -1, FALSE);
	fx_recv(&f, 2, -1, FALSE);
	const int expect[] = { 3, 1, 2 };
	for (int i = 0; i < 3; i++) {
		fx_send(&f, 0, msg(&f, 0, 0, "x"), FALSE);
		CU_ASSERT_EQUAL(f.handed, expect[i]);
		expect_one_woken(&f, expect[i], 0);
		take_expect(&f, expect[i], "x");
	}
	fx_finish(&f);
}

static void test_mbox_first_waiter_skips_a_receiver_whose_filter_rejects_the_sender(void)
{
	Fx f;
	fx_init(&f, SIM_CAPACITY_UNBOUNDED, SIM_ORDER_FIFO, SIM_ORDER_FIFO,
		SIM_DELIVER_FIRST_WAITER);
	fx_recv(&f, 4, 1, FALSE);
	fx_recv(&f, 5, -1, FALSE);
	fx_send(&f, 2, msg(&f, 2, 0, "from2"), FALSE);
	CU_ASSERT_EQUAL(f.handed, 5);
	expect_one_woken(&f, 5, 0);
	take_expect(&f, 5, "from2");
	const int r[] = { 4 };
	expect_waiting(&f.mb.receivers, r, 1);
	fx_send(&f, 1, msg(&f, 1, 0, "from1"), FALSE);
	CU_ASSERT_EQUAL(f.handed, 4);
	take_expect(&f, 4, "from1");
	expect_one_woken(&f, 4, 0);
	fx_finish(&f);
}

/* What --explain lists: the waiting receivers that could take the message, in wait order,
 * and no more than the caller has room for (the count is still the whole). */
static void test_mbox_candidates_are_the_matching_waiters_in_wait_order(void)
{
	Fx f;
	fx_init(&f, SIM_CAPACITY_UNBOUNDED, SIM_ORDER_FIFO, SIM_ORDER_FIFO,
		SIM_DELIVER_FIRST_WAITER);
	fx_recv(&f, 5, -1, FALSE);
	fx_recv(&f, 4, 1, FALSE); /* waits only for process 1 */
	fx_recv(&f, 2, -1, FALSE);
	SimMsg *m = msg(&f, 0, 0, "x");
	int tasks[4] = { -1, -1, -1, -1 };
	CU_ASSERT_EQUAL(sim_mbox_candidates(&f.mb, m, tasks, 4), 2);
	CU_ASSERT_EQUAL(tasks[0], 5);
	CU_ASSERT_EQUAL(tasks[1], 2);
	CU_ASSERT_EQUAL(tasks[2], -1);
	int one[1] = { -1 };
	CU_ASSERT_EQUAL(sim_mbox_candidates(&f.mb, m, one, 1), 2);
	CU_ASSERT_EQUAL(one[0], 5);
	fx_send(&f, 0, m, FALSE); /* the one first_waiter picks is the first candidate */
	CU_ASSERT_EQUAL(f.handed, 5);
	take_expect(&f, 5, "x");
	expect_one_woken(&f, 5, 0);
	fx_finish(&f);
}

static void test_mbox_round_robin_rotates_in_process_order_after_rr_last(void)
{
	Fx f;
	fx_init(&f, SIM_CAPACITY_UNBOUNDED, SIM_ORDER_FIFO, SIM_ORDER_FIFO,
		SIM_DELIVER_ROUND_ROBIN);
	/* Arrival order 5, 2, 6 must not matter: only process order after the last served. */
	fx_recv(&f, 5, -1, FALSE);
	fx_recv(&f, 2, -1, FALSE);
	fx_recv(&f, 6, -1, FALSE);
	const int expect[] = { 2, 5, 6, 2, 5 };
	for (int i = 0; i < 5; i++) {
		fx_send(&f, 0, msg(&f, 0, 0, "x"), FALSE);
		CU_ASSERT_EQUAL(f.handed, expect[i]);
		CU_ASSERT_EQUAL(f.mb.rr_last, expect[i]);
		expect_one_woken(&f, expect[i], 0);
		take_expect(&f, expect[i], "x");
		/* The served receiver comes straight back for more. */
		CU_ASSERT_EQUAL(fx_recv(&f, expect[i], -1, FALSE), SIM_BLOCKED);
	}
	fx_finish(&f);
}

static void test_mbox_round_robin_counts_a_receive_from_the_queue_as_served(void)
{
	Fx f;
	fx_init(&f, SIM_CAPACITY_UNBOUNDED, SIM_ORDER_FIFO, SIM_ORDER_FIFO,
		SIM_DELIVER_ROUND_ROBIN);
	fx_send(&f, 0, msg(&f, 0, 0, "queued"), FALSE);
	recv_expect(&f, 5, -1, "queued");
	CU_ASSERT_EQUAL(f.mb.rr_last, 5);
	fx_recv(&f, 2, -1, FALSE);
	fx_recv(&f, 6, -1, FALSE);
	fx_send(&f, 0, msg(&f, 0, 0, "next"), FALSE);
	/* After P5 comes P6, although P2 has waited longer and has a smaller number. */
	CU_ASSERT_EQUAL(f.handed, 6);
	take_expect(&f, 6, "next");
	expect_one_woken(&f, 6, 0);
	fx_send(&f, 0, msg(&f, 0, 0, "wrap"), FALSE);
	CU_ASSERT_EQUAL(f.handed, 2);
	take_expect(&f, 2, "wrap");
	expect_one_woken(&f, 2, 0);
	fx_finish(&f);
}

/* Hands n messages to receivers 1..4 under deliver=random with `seed`; records who got each. */
static void random_deliveries(guint64 seed, int *got, guint n)
{
	Fx f;
	fx_init(&f, SIM_CAPACITY_UNBOUNDED, SIM_ORDER_FIFO, SIM_ORDER_FIFO, SIM_DELIVER_RANDOM);
	sim_rng_seed(&f.rng, seed);
	for (int t = 1; t <= 4; t++)
		fx_recv(&f, t, -1, FALSE);
	for (guint i = 0; i < n; i++) {
		fx_send(&f, 0, msg(&f, 0, 0, "r"), FALSE);
		got[i] = f.handed;
		f.wake.first = f.wake.last = NULL;
		if (f.handed < 1 || f.handed > 4)
			continue;
		sim_msg_pool_put(&f.pool, take(&f, f.handed));
		fx_recv(&f, f.handed, -1, FALSE);
	}
	fx_finish(&f);
}

static void test_mbox_random_deliver_is_deterministic_for_a_seed_and_spreads(void)
{
	enum { N = 400 };
	int a[N], b[N], c[N];
	guint count[5] = { 0 };
	random_deliveries(11, a, N);
	random_deliveries(11, b, N);
	random_deliveries(12, c, N);
	CU_ASSERT_EQUAL(memcmp(a, b, sizeof(a)), 0);
	CU_ASSERT_NOT_EQUAL(memcmp(a, c, sizeof(a)), 0);
	for (guint i = 0; i < N; i++) {
		CU_ASSERT_FATAL(a[i] >= 1 && a[i] <= 4);
		count[a[i]]++;
	}
	/* Uniform is 100 each; 50 is far outside chance yet catches a fixed choice. */
	for (int t = 1; t <= 4; t++)
		CU_ASSERT_TRUE(count[t] >= 50);
}

static void test_mbox_pair_third_task_gets_eperm_and_the_pair_keeps_working(void)
{
	Fx f;
	fx_init(&f, SIM_CAPACITY_UNBOUNDED, SIM_ORDER_FIFO, SIM_ORDER_FIFO, SIM_DELIVER_PAIR);
	CU_ASSERT_EQUAL(fx_send(&f, 1, msg(&f, 1, 0, "hi"), FALSE), 0);
	CU_ASSERT_EQUAL(f.mb.pair[0], 1);
	CU_ASSERT_EQUAL(f.mb.pair[1], -1);
	recv_expect(&f, 2, -1, "hi");
	CU_ASSERT_EQUAL(f.mb.pair[1], 2);
	/* P2 now waits; a third process may neither send to it nor receive. */
	CU_ASSERT_EQUAL(fx_recv(&f, 2, -1, FALSE), SIM_BLOCKED);
	SimMsg *intruder = msg(&f, 3, 0, "intruder");
	CU_ASSERT_EQUAL_FATAL(fx_send(&f, 3, intruder, FALSE), EPERM);
	CU_ASSERT_EQUAL(f.handed, -1);
	CU_ASSERT_PTR_NULL(f.w[2].msg);
	expect_no_wake(&f);
	sim_msg_pool_put(&f.pool, intruder);
	CU_ASSERT_EQUAL_FATAL(fx_recv(&f, 3, -1, FALSE), EPERM);
	CU_ASSERT_EQUAL(fx_recv(&f, 3, -1, TRUE), EPERM);
	CU_ASSERT_PTR_NULL(f.w[3].queue);
	CU_ASSERT_EQUAL(f.mb.sent, 1);
	CU_ASSERT_EQUAL(f.mb.pair[0], 1);
	CU_ASSERT_EQUAL(f.mb.pair[1], 2);
	/* Both ends keep working, in both directions. */
	CU_ASSERT_EQUAL(fx_send(&f, 1, msg(&f, 1, 0, "again"), FALSE), 0);
	CU_ASSERT_EQUAL(f.handed, 2);
	expect_one_woken(&f, 2, 0);
	take_expect(&f, 2, "again");
	CU_ASSERT_EQUAL(fx_send(&f, 2, msg(&f, 2, 0, "reply"), FALSE), 0);
	recv_expect(&f, 1, -1, "reply");
	fx_finish(&f);
}

static void test_mbox_exclusive_second_concurrent_receiver_gets_ebusy(void)
{
	Fx f;
	fx_init(&f, SIM_CAPACITY_UNBOUNDED, SIM_ORDER_FIFO, SIM_ORDER_FIFO, SIM_DELIVER_EXCLUSIVE);
	CU_ASSERT_EQUAL(fx_recv(&f, 1, -1, FALSE), SIM_BLOCKED);
	CU_ASSERT_EQUAL_FATAL(fx_recv(&f, 2, -1, FALSE), EBUSY);
	CU_ASSERT_EQUAL(fx_recv(&f, 2, -1, TRUE), EBUSY);
	CU_ASSERT_PTR_NULL(f.w[2].queue);
	const int r[] = { 1 };
	expect_waiting(&f.mb.receivers, r, 1);
	fx_send(&f, 0, msg(&f, 0, 0, "one"), FALSE);
	CU_ASSERT_EQUAL(f.handed, 1);
	expect_one_woken(&f, 1, 0);
	take_expect(&f, 1, "one");
	/* Nobody is receiving now, so P2 is not concurrent with anyone. */
	CU_ASSERT_EQUAL(fx_recv(&f, 2, -1, FALSE), SIM_BLOCKED);
	fx_send(&f, 0, msg(&f, 0, 0, "two"), FALSE);
	CU_ASSERT_EQUAL(f.handed, 2);
	expect_one_woken(&f, 2, 0);
	take_expect(&f, 2, "two");
	fx_finish(&f);
}

/* ---- Destruction ---- */

static gboolean woken_with(const Fx *f, int task, int result)
{
	for (const SimWaiter *w = f->wake.first; w; w = w->wake_next)
		if (w->task == task)
			return w->result == result && w->done && !w->queue;
	return FALSE;
}

static void test_mbox_destroy_fails_every_waiter_with_eidrm_and_drops_the_queue(void)
{
	Fx f;
	fx_init(&f, 1, SIM_ORDER_FIFO, SIM_ORDER_FIFO, SIM_DELIVER_FIRST_WAITER);
	/* A receiver (filtered), a queued message it does not want, and two blocked senders. */
	CU_ASSERT_EQUAL(fx_recv(&f, 5, 1, FALSE), SIM_BLOCKED);
	CU_ASSERT_EQUAL(fx_send(&f, 2, msg(&f, 2, 0, "queued"), FALSE), 0);
	CU_ASSERT_EQUAL(fx_send(&f, 3, msg(&f, 3, 0, "held3"), FALSE), SIM_BLOCKED);
	CU_ASSERT_EQUAL(fx_send(&f, 4, msg(&f, 4, 0, "held4"), FALSE), SIM_BLOCKED);
	CU_ASSERT_EQUAL(f.pool.live, 3);
	CU_ASSERT_EQUAL(sim_mbox_destroy(&f.mb, &f.ctx), 3);
	CU_ASSERT_TRUE(sim_mbox_check(&f.mb));
	CU_ASSERT_TRUE(f.mb.destroyed);
	CU_ASSERT_TRUE(woken_with(&f, 5, EIDRM));
	CU_ASSERT_TRUE(woken_with(&f, 3, EIDRM));
	CU_ASSERT_TRUE(woken_with(&f, 4, EIDRM));
	CU_ASSERT_EQUAL(f.mb.senders.len + f.mb.receivers.len, 0);
	CU_ASSERT_PTR_NULL(f.w[5].msg);
	/* The queued message went back to the pool; the senders' own messages are theirs. */
	CU_ASSERT_EQUAL(sim_mbox_qnum(&f.mb), 0);
	CU_ASSERT_EQUAL(f.mb.cbytes, 0);
	CU_ASSERT_EQUAL(f.pool.live, 2);
	f.wake.first = f.wake.last = NULL;
	/* Later calls fail the same way, whatever they ask. */
	SimMsg *late = msg(&f, 6, 0, "late");
	CU_ASSERT_EQUAL_FATAL(fx_send(&f, 6, late, FALSE), EIDRM);
	CU_ASSERT_EQUAL_FATAL(fx_send(&f, 6, late, TRUE), EIDRM);
	CU_ASSERT_EQUAL(f.handed, -1);
	sim_msg_pool_put(&f.pool, late);
	CU_ASSERT_EQUAL_FATAL(fx_recv(&f, 6, -1, FALSE), EIDRM);
	CU_ASSERT_EQUAL(fx_recv(&f, 6, -1, TRUE), EIDRM);
	CU_ASSERT_PTR_NULL(f.out);
	CU_ASSERT_PTR_NULL(f.w[6].queue);
	expect_no_wake(&f);
	fx_finish(&f);
}

static void test_mbox_destroyed_inbox_fails_waiters_with_esrch(void)
{
	Fx f;
	fx_init_inbox(&f, 0);
	CU_ASSERT_EQUAL(fx_send(&f, 1, msg(&f, 1, 0, "to P2"), FALSE), SIM_BLOCKED);
	CU_ASSERT_EQUAL(sim_mbox_destroy(&f.mb, &f.ctx), 1);
	CU_ASSERT_TRUE(sim_mbox_check(&f.mb));
	expect_one_woken(&f, 1, ESRCH);
	SimMsg *late = msg(&f, 3, 0, "late");
	CU_ASSERT_EQUAL_FATAL(fx_send(&f, 3, late, FALSE), ESRCH);
	sim_msg_pool_put(&f.pool, late);
	CU_ASSERT_EQUAL_FATAL(fx_recv(&f, 2, -1, FALSE), ESRCH);
	fx_finish(&f);
}

static void test_mbox_destroy_of_an_idle_mailbox_fails_no_one(void)
{
	Fx f;
	fx_init(&f, SIM_CAPACITY_UNBOUNDED, SIM_ORDER_FIFO, SIM_ORDER_FIFO,
		SIM_DELIVER_FIRST_WAITER);
	fx_send(&f, 0, msg(&f, 0, 0, "a"), FALSE);
	fx_send(&f, 0, msg(&f, 0, 0, "bb"), FALSE);
	CU_ASSERT_EQUAL(f.pool.live, 2);
	CU_ASSERT_EQUAL(sim_mbox_destroy(&f.mb, &f.ctx), 0);
	expect_no_wake(&f);
	CU_ASSERT_EQUAL(f.pool.live, 0);
	CU_ASSERT_EQUAL(f.mb.cbytes, 0);
	CU_ASSERT_TRUE(sim_mbox_check(&f.mb));
	fx_finish(&f);
}

static void test_mbox_destroyed_is_reported_before_the_pair_check(void)
{
	Fx f;
	fx_init(&f, SIM_CAPACITY_UNBOUNDED, SIM_ORDER_FIFO, SIM_ORDER_FIFO, SIM_DELIVER_PAIR);
	fx_send(&f, 1, msg(&f, 1, 0, "a"), FALSE);
	recv_expect(&f, 2, -1, "a");
	sim_mbox_destroy(&f.mb, &f.ctx);
	/* The gone object answers first: a third process learns EIDRM, not EPERM. */
	CU_ASSERT_EQUAL(fx_recv(&f, 3, -1, TRUE), EIDRM);
	fx_finish(&f);
}

/* ---- Statistics ---- */

static void test_mbox_statistics_follow_a_sequence(void)
{
	Fx f;
	fx_init(&f, 3, SIM_ORDER_FIFO, SIM_ORDER_FIFO, SIM_DELIVER_FIRST_WAITER);
	fx_send(&f, 0, msg(&f, 0, 0, "a"), FALSE);
	fx_send(&f, 0, msg(&f, 0, 0, "bb"), FALSE);
	fx_send(&f, 0, msg(&f, 0, 0, "cccc"), FALSE);
	CU_ASSERT_EQUAL(f.mb.sent, 3);
	CU_ASSERT_EQUAL(f.mb.max_qnum, 3);
	CU_ASSERT_EQUAL(f.mb.cbytes, 7);
	/* Refused and blocked sends are not accepted (yet). */
	SimMsg *refused = msg(&f, 1, 0, "zzzzzzzzz");
	CU_ASSERT_EQUAL_FATAL(fx_send(&f, 1, refused, TRUE), EAGAIN);
	sim_msg_pool_put(&f.pool, refused);
	CU_ASSERT_EQUAL(fx_send(&f, 1, msg(&f, 1, 0, "ddddddd"), FALSE), SIM_BLOCKED);
	CU_ASSERT_EQUAL(f.mb.sent, 3);
	CU_ASSERT_EQUAL(f.mb.cbytes, 7);
	/* A receive frees a slot: the blocked message is accepted into it. */
	recv_expect(&f, 5, -1, "a");
	expect_one_woken(&f, 1, 0);
	CU_ASSERT_EQUAL(f.mb.sent, 4);
	CU_ASSERT_EQUAL(f.mb.received, 1);
	CU_ASSERT_EQUAL(f.mb.bytes, 1);
	CU_ASSERT_EQUAL(f.mb.cbytes, 2 + 4 + 7);
	CU_ASSERT_EQUAL(f.mb.max_qnum, 3);
	recv_expect(&f, 5, -1, "bb");
	recv_expect(&f, 5, -1, "cccc");
	recv_expect(&f, 5, -1, "ddddddd");
	CU_ASSERT_EQUAL(fx_recv(&f, 5, -1, TRUE), ENOMSG);
	CU_ASSERT_EQUAL(f.mb.received, 4);
	CU_ASSERT_EQUAL(f.mb.bytes, 14);
	CU_ASSERT_EQUAL(f.mb.cbytes, 0);
	/* A hand-off is both sent and received, and never queued. */
	fx_recv(&f, 6, -1, FALSE);
	fx_send(&f, 0, msg(&f, 0, 0, "eeeee"), FALSE);
	take_expect(&f, 6, "eeeee");
	expect_one_woken(&f, 6, 0);
	CU_ASSERT_EQUAL(f.mb.sent, 5);
	CU_ASSERT_EQUAL(f.mb.received, 5);
	CU_ASSERT_EQUAL(f.mb.bytes, 19);
	CU_ASSERT_EQUAL(f.mb.cbytes, 0);
	CU_ASSERT_EQUAL(f.mb.max_qnum, 3);
	CU_ASSERT_EQUAL(sim_mbox_qnum(&f.mb), 0);
	fx_finish(&f);
}

/* ---- The checker itself: each invariant, broken by hand, must be caught ---- */

static void test_mbox_check_catches_each_broken_invariant(void)
{
	Fx f;
	SimMsg *m;

	/* 1: more queued than the capacity allows. */
	fx_init(&f, 1, SIM_ORDER_FIFO, SIM_ORDER_FIFO, SIM_DELIVER_FIRST_WAITER);
	fx_send(&f, 0, msg(&f, 0, 0, "a"), FALSE);
	m = msg(&f, 0, 0, "b");
	sim_msg_list_insert(&f.mb.msgs, m);
	f.mb.cbytes += m->len;
	CU_ASSERT_FALSE(sim_mbox_check(&f.mb));
	fx_finish(&f);

	/* 2: a receiver waits while a message it matches is queued. */
	fx_init(&f, SIM_CAPACITY_UNBOUNDED, SIM_ORDER_FIFO, SIM_ORDER_FIFO,
		SIM_DELIVER_FIRST_WAITER);
	fx_send(&f, 0, msg(&f, 0, 0, "a"), FALSE);
	sim_waitq_add(&f.mb.receivers, &f.w[1]);
	CU_ASSERT_FALSE(sim_mbox_check(&f.mb));
	sim_waitq_del(&f.w[1]);
	fx_finish(&f);

	/* 3: a sender waits although there is room. */
	fx_init(&f, 2, SIM_ORDER_FIFO, SIM_ORDER_FIFO, SIM_DELIVER_FIRST_WAITER);
	f.w[1].msg = msg(&f, 1, 0, "a");
	sim_waitq_add(&f.mb.senders, &f.w[1]);
	CU_ASSERT_FALSE(sim_mbox_check(&f.mb));
	sim_waitq_del(&f.w[1]);
	fx_finish(&f);

	/* 4: a destroyed mailbox still holds a message. */
	fx_init(&f, SIM_CAPACITY_UNBOUNDED, SIM_ORDER_FIFO, SIM_ORDER_FIFO,
		SIM_DELIVER_FIRST_WAITER);
	fx_send(&f, 0, msg(&f, 0, 0, "a"), FALSE);
	f.mb.destroyed = TRUE;
	CU_ASSERT_FALSE(sim_mbox_check(&f.mb));
	fx_finish(&f);

	/* 5: cbytes disagrees with the queued lengths. */
	fx_init(&f, SIM_CAPACITY_UNBOUNDED, SIM_ORDER_FIFO, SIM_ORDER_FIFO,
		SIM_DELIVER_FIRST_WAITER);
	fx_send(&f, 0, msg(&f, 0, 0, "abc"), FALSE);
	f.mb.cbytes = 2;
	CU_ASSERT_FALSE(sim_mbox_check(&f.mb));
	f.mb.cbytes = 3;
	CU_ASSERT_TRUE(sim_mbox_check(&f.mb));
	fx_finish(&f);
}

extern CU_TestInfo mbox_tests[];
CU_TestInfo mbox_tests[] = {
	{ "candidates are the matching waiters in wait order",
	  test_mbox_candidates_are_the_matching_waiters_in_wait_order },
	{ "init takes the declaration", test_mbox_init_takes_the_declaration },
	{ "init_inbox is a FIFO buffer that dies with ESRCH",
	  test_mbox_init_inbox_is_a_fifo_buffer_that_dies_with_esrch },
	{ "unbounded send never blocks", test_mbox_unbounded_send_never_blocks },
	{ "bounded blocks the sender beyond capacity",
	  test_mbox_bounded_blocks_the_sender_beyond_capacity },
	{ "bounded receive moves the blocked sender's message in",
	  test_mbox_bounded_receive_moves_the_blocked_senders_message_in },
	{ "bounded nowait send on full returns EAGAIN",
	  test_mbox_bounded_nowait_send_on_full_returns_eagain },
	{ "rendezvous blocks sender until receive",
	  test_mbox_rendezvous_blocks_sender_until_receive },
	{ "rendezvous never queues and serves senders in order",
	  test_mbox_rendezvous_never_queues_and_serves_senders_in_order },
	{ "rendezvous nowait send without receiver returns EAGAIN",
	  test_mbox_rendezvous_nowait_send_without_receiver_returns_eagain },
	{ "rendezvous receive from skips nonmatching senders",
	  test_mbox_rendezvous_receive_from_skips_nonmatching_senders },
	{ "send to a waiting receiver hands off directly",
	  test_mbox_send_to_a_waiting_receiver_hands_off_directly },
	{ "receive on empty blocks with its filter",
	  test_mbox_receive_on_empty_blocks_with_its_filter },
	{ "nowait receive on empty returns ENOMSG",
	  test_mbox_nowait_receive_on_empty_returns_enomsg },
	{ "priority order delivers highest prio first",
	  test_mbox_priority_order_delivers_highest_prio_first },
	{ "priority waiters serve the highest task priority first",
	  test_mbox_priority_waiters_serve_the_highest_task_priority_first },
	{ "priority waiters refill from the highest priority sender",
	  test_mbox_priority_waiters_refill_from_the_highest_priority_sender },
	{ "inbox receiver waiting for P1 is not handed P3's message",
	  test_mbox_inbox_receiver_waiting_for_p1_is_not_handed_p3s_message },
	{ "inbox receive from takes only that sender's messages",
	  test_mbox_inbox_receive_from_takes_only_that_senders_messages },
	{ "bounded receive from takes a blocked sender's message",
	  test_mbox_bounded_receive_from_takes_a_blocked_senders_message },
	{ "addressed message goes only to the named receiver",
	  test_mbox_addressed_message_goes_only_to_the_named_receiver },
	{ "addressed receive skips messages for others",
	  test_mbox_addressed_receive_skips_messages_for_others },
	{ "first-waiter delivers to the longest waiting receiver",
	  test_mbox_first_waiter_delivers_to_the_longest_waiting_receiver },
	{ "first-waiter skips a receiver whose filter rejects the sender",
	  test_mbox_first_waiter_skips_a_receiver_whose_filter_rejects_the_sender },
	{ "round-robin rotates in process order after rr_last",
	  test_mbox_round_robin_rotates_in_process_order_after_rr_last },
	{ "round-robin counts a receive from the queue as served",
	  test_mbox_round_robin_counts_a_receive_from_the_queue_as_served },
	{ "random deliver is deterministic for a seed and spreads",
	  test_mbox_random_deliver_is_deterministic_for_a_seed_and_spreads },
	{ "pair: third task gets EPERM and the pair keeps working",
	  test_mbox_pair_third_task_gets_eperm_and_the_pair_keeps_working },
	{ "exclusive: second concurrent receiver gets EBUSY",
	  test_mbox_exclusive_second_concurrent_receiver_gets_ebusy },
	{ "destroy fails every waiter with EIDRM and drops the queue",
	  test_mbox_destroy_fails_every_waiter_with_eidrm_and_drops_the_queue },
	{ "destroyed inbox fails waiters with ESRCH",
	  test_mbox_destroyed_inbox_fails_waiters_with_esrch },
	{ "destroy of an idle mailbox fails no one",
	  test_mbox_destroy_of_an_idle_mailbox_fails_no_one },
	{ "destroyed is reported before the pair check",
	  test_mbox_destroyed_is_reported_before_the_pair_check },
	{ "statistics follow a sequence", test_mbox_statistics_follow_a_sequence },
	{ "check catches each broken invariant", test_mbox_check_catches_each_broken_invariant },
	CU_TEST_INFO_NULL,
};
