/* msg.c — the message pool and ordered message lists.
 *
 * The design choice to know: records are recycled through a free list so that the hot
 * path (one send, one receive) does not allocate once the pool has warmed up.
 */
#include "msgsim/kernel/msg.h"

#include <string.h>

#define CHUNK 256

void sim_msg_pool_init(SimMsgPool *pool)
{
	pool->free = NULL;
	pool->chunks = g_ptr_array_new_with_free_func(g_free);
	pool->live = 0;
	pool->text_bytes = 0;
}

void sim_msg_pool_clear(SimMsgPool *pool)
{
	if (!pool->chunks)
		return;
	g_assert(pool->live == 0); /* every message is back: none was lost or leaked */
	g_assert(pool->text_bytes == 0); /* and the memory guard's count came back with them */
	g_ptr_array_unref(pool->chunks);
	pool->chunks = NULL;
	pool->free = NULL;
}

static void refill(SimMsgPool *pool)
{
	SimMsg *chunk = g_new(SimMsg, CHUNK);
	g_ptr_array_add(pool->chunks, chunk);
	for (int i = CHUNK - 1; i >= 0; i--) {
		chunk[i].next = pool->free;
		pool->free = &chunk[i];
	}
}

SimMsg *sim_msg_pool_get(SimMsgPool *pool)
{
	if (!pool->free)
		refill(pool);
	SimMsg *m = pool->free;
	pool->free = m->next;
	memset(m, 0, sizeof(*m));
	m->to = -1;
	pool->live++;
	return m;
}

void sim_msg_pool_put(SimMsgPool *pool, SimMsg *m)
{
	if (!m)
		return;
	if (m->owned) {
		g_free((gpointer)(gintptr)m->text); /* its own copy: const only to readers */
		m->owned = FALSE;
		pool->text_bytes -= (guint64)m->len + 1;
	}
	m->text = NULL;
	m->next = pool->free;
	pool->free = m;
	g_assert(pool->live > 0);
	pool->live--;
}

void sim_msg_own_text(SimMsgPool *pool, SimMsg *m, const char *text, gsize len)
{
	g_assert(len <= SIM_MSG_MAX_LEN); /* every maker bounds its texts (msg.h) */
	/* A text may hold NUL bytes (\0 escapes, pipe data): copied by length, NUL after. */
	char *copy = g_malloc(len + 1);
	memcpy(copy, text, len);
	copy[len] = '\0';
	m->text = copy;
	m->owned = TRUE;
	m->len = (guint32)len;
	pool->text_bytes += len + 1;
}

SimMsg *sim_msg_pool_copy(SimMsgPool *pool, const SimMsg *m)
{
	SimMsg *c = sim_msg_pool_get(pool);
	c->from = m->from;
	c->to = m->to;
	c->type = m->type;
	c->prio = m->prio;
	c->seq = m->seq;
	c->text = m->text;
	c->len = m->len;
	c->size = m->size;
	if (m->owned)
		sim_msg_own_text(pool, c, m->text, m->len);
	return c;
}

void sim_msg_cut(SimMsgPool *pool, SimMsg *m, gsize len)
{
	if (len >= m->len)
		return;
	if (m->owned)
		pool->text_bytes -= m->len - len;
	m->len = (guint32)len; /* below the old length, which fit */
}

void sim_msg_list_init(SimMsgList *l, SimOrder order)
{
	l->head = l->tail = NULL;
	l->len = 0;
	l->order = order;
}

void sim_msg_list_drain(SimMsgList *l, SimMsgPool *pool)
{
	while (l->head) {
		SimMsg *m = l->head;
		sim_msg_list_remove(l, m);
		sim_msg_pool_put(pool, m);
	}
}

void sim_msg_list_insert(SimMsgList *l, SimMsg *m)
{
	SimMsg *after = l->tail;
	/* By priority, a message that does not go last follows the last message of its
	 * priority or higher: found from the head, since the links go one way. */
	if (l->order == SIM_ORDER_PRIORITY && after && after->prio < m->prio) {
		after = NULL;
		for (SimMsg *x = l->head; x->prio >= m->prio; x = x->next)
			after = x; /* stops at the tail at the latest: its priority is lower */
	}
	m->next = after ? after->next : l->head;
	if (!m->next)
		l->tail = m;
	if (after)
		after->next = m;
	else
		l->head = m;
	l->len++;
}

void sim_msg_list_remove(SimMsgList *l, SimMsg *m)
{
	SimMsg *before = NULL;
	if (l->head != m) {
		before = l->head;
		while (before->next != m)
			before = before->next;
	}
	if (before)
		before->next = m->next;
	else
		l->head = m->next;
	if (l->tail == m)
		l->tail = before;
	m->next = NULL;
	g_assert(l->len > 0);
	l->len--;
}

gboolean sim_msg_list_check(const SimMsgList *l)
{
	guint64 n = 0;
	const SimMsg *prev = NULL;
	for (const SimMsg *m = l->head; m && n <= l->len; prev = m, m = m->next, n++)
		if (prev && l->order == SIM_ORDER_PRIORITY && prev->prio < m->prio)
			return FALSE;
	return prev == l->tail && n == l->len;
}
