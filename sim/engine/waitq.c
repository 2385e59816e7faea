/* waitq.c — intrusive wait queues, FIFO or by task priority then arrival.
 *
 * The design choice to know: a waiter lives inside its task, so a task can wait on at
 * most one queue at a time — exactly like a process blocked in one system call.
 */
#include "msgsim/engine/waitq.h"

void sim_waitq_init(SimWaitQueue *q, SimOrder order)
{
	q->head = q->tail = NULL;
	q->len = 0;
	q->order = order;
}

void sim_waitq_add(SimWaitQueue *q, SimWaiter *w)
{
	g_assert(w->queue == NULL);
	SimWaiter *after = q->tail;
	if (q->order == SIM_ORDER_PRIORITY)
		while (after && after->prio < w->prio)
			after = after->prev;
	w->prev = after;
	w->next = after ? after->next : q->head;
	if (w->next)
		w->next->prev = w;
	else
		q->tail = w;
	if (after)
		after->next = w;
	else
		q->head = w;
	w->queue = q;
	q->len++;
}

void sim_waitq_sleep(SimWaitQueue *q, SimWaiter *w)
{
	w->done = FALSE;
	w->result = 0;
	sim_waitq_add(q, w);
}

void sim_waitq_del(SimWaiter *w)
{
	SimWaitQueue *q = w->queue;
	g_assert(q != NULL);
	if (w->prev)
		w->prev->next = w->next;
	else
		q->head = w->next;
	if (w->next)
		w->next->prev = w->prev;
	else
		q->tail = w->prev;
	w->next = w->prev = NULL;
	w->queue = NULL;
	q->len--;
}

gboolean sim_waitq_check(const SimWaitQueue *q)
{
	guint n = 0;
	const SimWaiter *prev = NULL;
	for (const SimWaiter *w = q->head; w; prev = w, w = w->next, n++) {
		if (w->prev != prev || w->queue != q)
			return FALSE;
		if (prev && q->order == SIM_ORDER_PRIORITY && prev->prio < w->prio)
			return FALSE;
	}
	return prev == q->tail && n == q->len;
}

void sim_waitq_post(SimWakeList *wl, SimWaiter *w, int result, gboolean keep_queued)
{
	if (w->queue && !keep_queued)
		sim_waitq_del(w);
	w->result = result;
	if (w->done)
		return; /* already on its way: the task reads the newest result when it runs */
	w->done = TRUE;
	w->wake_next = NULL;
	if (wl->last)
		wl->last->wake_next = w;
	else
		wl->first = w;
	wl->last = w;
}

void sim_waitq_wake(SimWakeList *wl, SimWaiter *w, int result)
{
	sim_waitq_post(wl, w, result, FALSE);
}
