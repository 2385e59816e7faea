/* evq.c — the event queue: a binary min-heap of events ordered by (time, prio, seq).
 *
 * The one design choice to know: events are stored by value in a single array, so the
 * hot path (a timer per sleep) never allocates once the array has grown to its working size.
 */
#include "msgsim/engine/evq.h"

#include <string.h>

void sim_evq_init(SimEvq *q)
{
	memset(q, 0, sizeof(*q));
}

void sim_evq_clear(SimEvq *q)
{
	g_free(q->heap);
	memset(q, 0, sizeof(*q));
}

static gboolean before(const SimEvent *a, const SimEvent *b)
{
	if (a->time != b->time)
		return a->time < b->time;
	if (a->prio != b->prio)
		return a->prio < b->prio;
	return a->seq < b->seq;
}

static void sift_up(SimEvq *q, guint i)
{
	SimEvent ev = q->heap[i];
	while (i > 0) {
		guint parent = (i - 1) / 2;
		if (!before(&ev, &q->heap[parent]))
			break;
		q->heap[i] = q->heap[parent];
		i = parent;
	}
	q->heap[i] = ev;
}

static void sift_down(SimEvq *q, guint i)
{
	SimEvent ev = q->heap[i];
	for (;;) {
		guint child = 2 * i + 1;
		if (child >= q->len)
			break;
		if (child + 1 < q->len && before(&q->heap[child + 1], &q->heap[child]))
			child++;
		if (!before(&q->heap[child], &ev))
			break;
		q->heap[i] = q->heap[child];
		i = child;
	}
	q->heap[i] = ev;
}

void sim_evq_push(SimEvq *q, SimEvent ev)
{
	g_assert(ev.time >= q->now);
	if (q->len == q->cap) {
		q->cap = q->cap ? q->cap * 2 : 64;
		q->heap = g_renew(SimEvent, q->heap, q->cap);
	}
	ev.seq = q->seq++;
	q->heap[q->len] = ev;
	sift_up(q, q->len++);
}

gboolean sim_evq_pop_due(SimEvq *q, SimEvent *out)
{
	if (q->len == 0 || q->heap[0].time > q->now)
		return FALSE;
	*out = q->heap[0];
	q->heap[0] = q->heap[--q->len];
	if (q->len > 0)
		sift_down(q, 0);
	return TRUE;
}

void sim_evq_drop_next(SimEvq *q)
{
	g_assert(q->len > 0);
	q->heap[0] = q->heap[--q->len];
	if (q->len > 0)
		sift_down(q, 0);
}

void sim_evq_jump(SimEvq *q)
{
	g_assert(q->len > 0);
	if (q->heap[0].time > q->now)
		q->now = q->heap[0].time;
}

void sim_evq_prune(SimEvq *q, gboolean (*keep)(const SimEvent *ev, void *data), void *data)
{
	guint k = 0;
	for (guint i = 0; i < q->len; i++)
		if (keep(&q->heap[i], data))
			q->heap[k++] = q->heap[i];
	q->len = k;
	for (guint i = k / 2; i-- > 0;) /* Floyd's heap construction, bottom up */
		sift_down(q, i);
}

gboolean sim_evq_check(const SimEvq *q)
{
	for (guint i = 1; i < q->len; i++)
		if (before(&q->heap[i], &q->heap[(i - 1) / 2]))
			return FALSE;
	return TRUE;
}
