/* mbox.c — mailboxes, ports and direct-link inboxes (see mbox.h for the rules).
 *
 * The design choice to know: a message never waits in two places. It is either queued on
 * the object, held by a blocked sender's waiter, or handed straight to a blocked
 * receiver's waiter — the same three places a kernel message queue uses.
 */
#include "msgsim/kernel/mbox.h"
#include "msgsim/lang/scn.h" /* sim_mbox_init reads a declaration */

#include <string.h>

static void init_common(SimMbox *mb, int index, gint64 capacity, SimOrder order, SimOrder waiters)
{
	memset(mb, 0, sizeof(*mb));
	mb->index = index;
	mb->capacity = capacity;
	sim_msg_list_init(&mb->msgs, order);
	sim_waitq_init(&mb->senders, waiters);
	sim_waitq_init(&mb->receivers, waiters);
	mb->pair[0] = mb->pair[1] = -1;
	mb->rr_last = -1;
	mb->gone_err = EIDRM;
}

void sim_mbox_init(SimMbox *mb, int index, const SimScnMbox *decl, int owner)
{
	init_common(mb, index, decl->capacity, decl->order, decl->waiters);
	mb->name = decl->name;
	mb->is_port = decl->is_port;
	mb->owner = owner;
	mb->deliver = decl->deliver;
}

void sim_mbox_init_inbox(SimMbox *mb, int index, const char *owner_name, int owner, gint64 capacity)
{
	init_common(mb, index, capacity, SIM_ORDER_FIFO, SIM_ORDER_FIFO);
	mb->name = owner_name;
	mb->is_inbox = TRUE;
	mb->owner = owner;
	mb->deliver = SIM_DELIVER_FIRST_WAITER;
	mb->gone_err = ESRCH;
}

void sim_mbox_clear(SimMbox *mb, SimMsgPool *pool)
{
	sim_msg_list_drain(&mb->msgs, pool);
	mb->cbytes = 0;
}

static gboolean fits(const SimMbox *mb)
{
	return mb->capacity == SIM_CAPACITY_UNBOUNDED || (gint64)mb->msgs.len < mb->capacity;
}

static gboolean matches(const SimMsg *m, int from, int receiver)
{
	return (from < 0 || m->from == from) && (m->to < 0 || m->to == receiver);
}

/* deliver=pair: the first two processes to use the mailbox own the link. */
static int check_pair(SimMbox *mb, int task)
{
	if (mb->deliver != SIM_DELIVER_PAIR)
		return 0;
	for (int i = 0; i < 2; i++) {
		if (mb->pair[i] == task)
			return 0;
		if (mb->pair[i] < 0) {
			mb->pair[i] = task;
			return 0;
		}
	}
	return EPERM;
}

static void enqueue(SimMbox *mb, SimMsg *m)
{
	sim_msg_list_insert(&mb->msgs, m);
	mb->cbytes += m->len;
	mb->sent++;
	if (mb->msgs.len > mb->max_qnum)
		mb->max_qnum = mb->msgs.len;
}

static void dequeue(SimMbox *mb, SimMsg *m)
{
	sim_msg_list_remove(&mb->msgs, m);
	mb->cbytes -= m->len;
}

static void count_delivery(SimMbox *mb, const SimMsg *m, int receiver)
{
	mb->received++;
	mb->bytes += m->len;
	mb->rr_last = receiver;
}

/* Distance from the receiver served last, in process order: round-robin picks the smallest. */
static guint rr_distance(const SimMbox *mb, guint n_tasks, int task)
{
	int last = mb->rr_last < 0 ? -1 : mb->rr_last;
	return (guint)((task - last - 1 + (int)n_tasks) % (int)n_tasks);
}

/* deliver=random under exploration: the matching waiter the explorer picks, by its place
 * in wait order; NULL when none matches. */
static SimWaiter *chosen_receiver(SimMbox *mb, SimMboxCtx *ctx, const SimMsg *m)
{
	guint n = 0;
	for (SimWaiter *w = mb->receivers.head; w; w = w->next)
		n += matches(m, w->from, w->task) ? 1 : 0;
	guint k = n > 1 ? ctx->choose(ctx->choose_data, n) : 0;
	for (SimWaiter *w = mb->receivers.head; w; w = w->next)
		if (matches(m, w->from, w->task) && k-- == 0)
			return w;
	return NULL;
}

/* The waiting receiver that gets m under the mailbox's deliver rule, or NULL. */
static SimWaiter *choose_receiver(SimMbox *mb, SimMboxCtx *ctx, const SimMsg *m)
{
	if (G_UNLIKELY(ctx->choose) && mb->deliver == SIM_DELIVER_RANDOM)
		return chosen_receiver(mb, ctx, m);
	SimWaiter *best = NULL;
	guint n = 0;
	for (SimWaiter *w = mb->receivers.head; w; w = w->next) {
		if (!matches(m, w->from, w->task))
			continue;
		switch (mb->deliver) {
		case SIM_DELIVER_ROUND_ROBIN:
			if (!best || rr_distance(mb, ctx->n_tasks, w->task) <
					     rr_distance(mb, ctx->n_tasks, best->task))
				best = w;
			break;
		case SIM_DELIVER_RANDOM:
			/* Reservoir sampling: every matching waiter equally likely, one pass. */
			n++;
			if (sim_rng_below(ctx->rng, n) == 0)
				best = w;
			break;
		case SIM_DELIVER_FIRST_WAITER:
		case SIM_DELIVER_PAIR:
		case SIM_DELIVER_EXCLUSIVE:
		case SIM_DELIVER_ADDRESSED:
			return w;
		}
	}
	return best;
}

int sim_mbox_send(SimMbox *mb, SimMboxCtx *ctx, SimWaiter *self, SimMsg *m, gboolean nowait,
		  int *handed_to)
{
	*handed_to = -1;
	if (mb->destroyed)
		return mb->gone_err;
	int err = check_pair(mb, self->task);
	if (err)
		return err;

	SimWaiter *r = choose_receiver(mb, ctx, m);
	if (r) {
		r->msg = m;
		mb->sent++;
		count_delivery(mb, m, r->task);
		*handed_to = r->task;
		sim_waitq_wake(ctx->wake, r, 0);
		return 0;
	}
	if (fits(mb)) {
		enqueue(mb, m);
		return 0;
	}
	if (nowait)
		return EAGAIN;
	self->msg = m;
	sim_waitq_sleep(&mb->senders, self);
	return SIM_BLOCKED;
}

/* A slot was freed: the first blocked sender's message moves into the queue. */
static void refill(SimMbox *mb, SimMboxCtx *ctx)
{
	while (mb->senders.head && fits(mb)) {
		SimWaiter *s = mb->senders.head;
		enqueue(mb, s->msg);
		s->msg = NULL;
		sim_waitq_wake(ctx->wake, s, 0);
	}
}

int sim_mbox_receive(SimMbox *mb, SimMboxCtx *ctx, SimWaiter *self, int from, gboolean nowait,
		     SimMsg **out)
{
	*out = NULL;
	if (mb->destroyed)
		return mb->gone_err;
	int err = check_pair(mb, self->task);
	if (err)
		return err;
	if (mb->deliver == SIM_DELIVER_EXCLUSIVE && mb->receivers.head &&
	    mb->receivers.head->task != self->task)
		return EBUSY;

	for (SimMsg *m = mb->msgs.head; m; m = m->next) {
		if (!matches(m, from, self->task))
			continue;
		dequeue(mb, m);
		count_delivery(mb, m, self->task);
		refill(mb, ctx);
		*out = m;
		return 0;
	}
	for (SimWaiter *s = mb->senders.head; s; s = s->next) {
		if (!matches(s->msg, from, self->task))
			continue;
		SimMsg *m = s->msg;
		s->msg = NULL;
		mb->sent++;
		count_delivery(mb, m, self->task);
		sim_waitq_wake(ctx->wake, s, 0);
		*out = m;
		return 0;
	}
	if (nowait)
		return ENOMSG;
	self->from = from;
	self->msg = NULL;
	sim_waitq_sleep(&mb->receivers, self);
	return SIM_BLOCKED;
}

guint sim_mbox_destroy(SimMbox *mb, SimMboxCtx *ctx)
{
	guint failed = 0;
	g_assert(!mb->destroyed);
	mb->destroyed = TRUE;
	while (mb->receivers.head) {
		sim_waitq_wake(ctx->wake, mb->receivers.head, mb->gone_err);
		failed++;
	}
	/* Blocked senders keep their message: they release it when they see the error. */
	while (mb->senders.head) {
		sim_waitq_wake(ctx->wake, mb->senders.head, mb->gone_err);
		failed++;
	}
	sim_msg_list_drain(&mb->msgs, ctx->pool);
	mb->cbytes = 0;
	return failed;
}

gboolean sim_mbox_check(const SimMbox *mb)
{
	if (!sim_msg_list_check(&mb->msgs) || !sim_waitq_check(&mb->senders) ||
	    !sim_waitq_check(&mb->receivers))
		return FALSE;
	/* 1 */
	if (mb->capacity != SIM_CAPACITY_UNBOUNDED && (gint64)mb->msgs.len > mb->capacity)
		return FALSE;
	/* 2 */
	for (const SimWaiter *w = mb->receivers.head; w; w = w->next)
		for (const SimMsg *m = mb->msgs.head; m; m = m->next)
			if (matches(m, w->from, w->task))
				return FALSE;
	/* 3 */
	if (mb->senders.head && fits(mb))
		return FALSE;
	/* 4 */
	if (mb->destroyed && (mb->msgs.len || mb->senders.len || mb->receivers.len))
		return FALSE;
	/* 5 */
	guint64 bytes = 0;
	for (const SimMsg *m = mb->msgs.head; m; m = m->next)
		bytes += m->len;
	return bytes == mb->cbytes;
}

guint sim_mbox_candidates(const SimMbox *mb, const SimMsg *m, int *tasks, guint max)
{
	guint n = 0;
	for (const SimWaiter *w = mb->receivers.head; w; w = w->next) {
		if (!matches(m, w->from, w->task))
			continue;
		if (n < max)
			tasks[n] = w->task;
		n++;
	}
	return n;
}
