/* snap_mq.c — the POSIX message queues saved and put back in place, and digested, for the
 * stateful search (snap.c, state.c).
 *
 * The design choice to know: queues stay at their addresses (their wait lists link the
 * tasks' embedded waiters, which snap.c puts back), but the descriptors that reach them
 * are not this file's. The descriptor tables and every open file description, a queue's
 * as much as a pipe's, have one owner, snap_pipe.c, which saves, frees, makes anew and
 * digests them all (a queue's description is copied as it is: its queue does not move);
 * the queues' reference counts come back here with their structs. A queue made after the
 * save (mq_open create) is freed at the restore, as snap_msg.c does for SysV queues: no
 * saved description can name it. The name table is made again from the queues' unlinked
 * flags: a queue is linked until mq_unlink, and a name once unlinked is never linked again
 * to the same queue.
 *
 * The digest leaves out the clock, as state.c does, but where a timed call has an
 * absolute deadline (deadline=T): there the clock decides whether the call has expired
 * when it starts, and the clock goes in.
 */
#include "explore/snap_mq.h"

#include <string.h>

gboolean snap_mq_fits(const SimStmt *st)
{
	if (st->kind != SIM_STMT_MQ_NOTIFY)
		return TRUE;
	return st->mq.notify != SIM_NOTIFY_SIGNAL && st->mq.notify != SIM_NOTIFY_THREAD;
}

static void arrays(SnapMq *s)
{
	if (s->queues)
		return;
	s->queues = g_array_new(FALSE, FALSE, sizeof(SimMqueue));
	s->charges = g_array_new(FALSE, FALSE, sizeof(gint64));
}

void snap_mq_save(SnapMq *s, const SimWorld *w)
{
	arrays(s);
	const SimIpcNs *ns = &w->ipcns;
	s->n_queues = w->mqueues->len;
	s->mq_count = ns->mq_count;
	g_array_set_size(s->queues, 0);
	snap_msgs_reset(&s->msgs);
	for (guint i = 0; i < w->mqueues->len; i++) {
		const SimMqueue *q = g_ptr_array_index(w->mqueues, i);
		g_array_append_vals(s->queues, q, 1);
		snap_msgs_keep_list(&s->msgs, &q->msgs);
	}
	g_array_set_size(s->charges, 0);
	GHashTableIter it;
	gpointer k, v;
	g_hash_table_iter_init(&it, ns->mq_charge);
	while (g_hash_table_iter_next(&it, &k, &v)) {
		g_array_append_vals(s->charges, k, 1);
		g_array_append_vals(s->charges, v, 1);
	}
}

void snap_mq_release(SimWorld *w)
{
	for (guint i = 0; i < w->mqueues->len; i++) {
		SimMqueue *q = g_ptr_array_index(w->mqueues, i);
		sim_msg_list_drain(&q->msgs, &w->pool);
	}
}

void snap_mq_restore(const SnapMq *s, SimWorld *w)
{
	SimIpcNs *ns = &w->ipcns;
	g_hash_table_remove_all(ns->mq_names);
	for (guint i = s->n_queues; i < w->mqueues->len; i++) /* made after the save */
		sim_mqueue_free(g_ptr_array_index(w->mqueues, i), &w->pool);
	g_ptr_array_set_size(w->mqueues, (gint)s->n_queues);
	ns->mq_count = s->mq_count;
	guint64 next = 1;
	for (guint i = 0; i < s->n_queues; i++) {
		SimMqueue *q = g_ptr_array_index(w->mqueues, i);
		*q = g_array_index(s->queues, SimMqueue, i);
		next = snap_msgs_make_list(w, &s->msgs, &q->msgs, next);
		if (!q->unlinked)
			g_hash_table_insert(ns->mq_names, q->name, q);
	}
	g_hash_table_remove_all(ns->mq_charge);
	for (guint i = 0; i + 1 < s->charges->len; i += 2)
		sim_ipcns_mq_charge(ns, g_array_index(s->charges, gint64, i),
				    g_array_index(s->charges, gint64, i + 1));
}

void snap_mq_clear(SnapMq *s)
{
	if (s->queues) {
		g_array_unref(s->queues);
		g_array_unref(s->charges);
	}
	snap_msgs_clear(&s->msgs);
	memset(s, 0, sizeof(*s));
}

/* ---- Digest ---- */

/* Whether a timed call of the scenario has an absolute deadline (see the header comment). */
static gboolean absolute_deadlines(const SimWorld *w)
{
	for (guint i = 0; i < w->n_tasks; i++) {
		const SimProgram *p = w->tasks[i].prog;
		for (guint k = 0; k < p->n_code; k++) {
			const SimStmt *st = p->code[k].stmt;
			if (st &&
			    (st->kind == SIM_STMT_MQ_SEND || st->kind == SIM_STMT_MQ_RECEIVE) &&
			    st->mq.timeout == SIM_TIMEOUT_ABSOLUTE)
				return TRUE;
		}
	}
	return FALSE;
}

static guint64 mix_queue(guint64 h, const SimMqueue *q, gboolean senders)
{
	h = snap_mix_bytes(h, q->name, strlen(q->name));
	h = snap_mix(h, (guint64)q->perm.uid);
	h = snap_mix(h, (guint64)q->perm.gid);
	h = snap_mix(h, q->perm.mode);
	h = snap_mix(h, (guint64)q->maxmsg);
	h = snap_mix(h, (guint64)q->msgsize);
	h = snap_mix_msgs(h, &q->msgs, senders);
	h = snap_mix(h, q->qsize);
	h = snap_mix_waiters(h, &q->senders);
	h = snap_mix_waiters(h, &q->receivers);
	h = snap_mix(h, (guint64)q->unlinked | (guint64)q->freed << 1 | (guint64)q->refs << 32);
	h = snap_mix(h, (guint64)q->charge);
	h = snap_mix(h, (guint64)q->charge_uid);
	h = snap_mix(h, (guint64)(guint32)q->notify_task | (guint64)q->notify_kind << 32);
	h = snap_mix(h, (guint64)(guint32)q->notify_sig);
	h = snap_mix(h, (guint64)q->notify_value);
	h = snap_mix(h, q->sent);
	h = snap_mix(h, q->received);
	return snap_mix(h, (guint64)q->file_size);
}

static guint64 mix_cred(guint64 h, const SimCred *c)
{
	h = snap_mix(h, (guint64)c->uid);
	h = snap_mix(h, (guint64)c->gid);
	h = snap_mix(h, c->caps | (guint64)c->pcaps << 32);
	if (c->split) {
		h = snap_mix(h, (guint64)c->ruid);
		h = snap_mix(h, (guint64)c->suid);
	}
	return h;
}

guint64 snap_mq_digest(const SimWorld *w, gboolean senders)
{
	guint64 h = snap_mix(0x706f736978, w->mqueues->len);
	for (guint i = 0; i < w->mqueues->len; i++)
		h = mix_queue(h, g_ptr_array_index(w->mqueues, i), senders);
	const SimIpcNs *ns = &w->ipcns;
	h = snap_mix(h, ns->mq_count);
	/* The charges in any order: a sum of one word per user. */
	guint64 charges = 0;
	GHashTableIter it;
	gpointer k, v;
	g_hash_table_iter_init(&it, ns->mq_charge);
	while (g_hash_table_iter_next(&it, &k, &v))
		if (*(const gint64 *)v)
			charges += snap_mix(snap_mix(7, (guint64) * (const gint64 *)k),
					    (guint64) * (const gint64 *)v);
	h = snap_mix(h, charges);
	for (guint i = 0; i < w->n_tasks; i++) {
		const SimTask *t = &w->tasks[i];
		h = mix_cred(h, &t->cred);
		guint qi = 0;
		while (t->wait_mq && qi < w->mqueues->len &&
		       g_ptr_array_index(w->mqueues, qi) != t->wait_mq)
			qi++;
		h = snap_mix(h, (t->wait_mq ? qi + 1 : 0) | (guint64)(t->deadline != SIM_TIME_MAX)
								    << 32);
	}
	if (w->mqueues->len && absolute_deadlines(w)) {
		h = snap_mix(h, (guint64)sim_evq_now(&w->evq));
		for (guint i = 0; i < w->n_tasks; i++)
			h = snap_mix(h, (guint64)w->tasks[i].deadline);
	}
	return h;
}
