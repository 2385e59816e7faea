/* snap_sem.c — the XSI semaphore sets saved and put back in place, for snap.c.
 *
 * The design choice to know: as with the mailboxes, every set stays at its address and
 * only its contents are copied back, so the wait queues' links (into the tasks' embedded
 * waiters, and from them back into the sets' queue heads) come back right with the task
 * structs that snap.c restores. A set made after the save is freed at the restore: the
 * namespace's list of sets only grows (a removed set stays in it), so the saved length
 * says which sets are new. The one heap record a step moves is a blocked semop's queue
 * entry (the waiter's op): the snapshot keeps a copy per task, the restore frees the
 * world's and makes new ones. SEM_UNDO records are not covered: a scenario that asks for
 * them is left to the replay (snap_sem_fits), and a state holding one is refused.
 */
#include "explore/snap_sem.h"

#include <string.h>

gboolean snap_sem_fits(const SimStmt *st)
{
	if (st->kind != SIM_STMT_SEMOP)
		return TRUE;
	if (!st->sem.sops)
		return FALSE;
	for (guint i = 0; i < st->sem.nsops; i++)
		if (st->sem.sops[i].flags & SIM_SEM_UNDO)
			return FALSE;
	return TRUE;
}

static void arrays(SnapSem *s)
{
	if (s->sets)
		return;
	s->sets = g_array_new(FALSE, FALSE, sizeof(SimSemArray));
	s->sems = g_array_new(FALSE, FALSE, sizeof(SimSem));
	s->queues = g_array_new(FALSE, TRUE, sizeof(SimSemQueue));
	s->sops = g_array_new(FALSE, FALSE, sizeof(SimSembuf));
}

gboolean snap_sem_save(SnapSem *s, const SimWorld *w)
{
	const SimSemNs *ns = &w->semns;
	for (guint i = 0; i < ns->all->len; i++) {
		const SimSemArray *sma = g_ptr_array_index(ns->all, i);
		if (sma->undos && sma->undos->len)
			return FALSE;
	}
	arrays(s);
	g_free(s->ids.slots);
	g_free(s->ids.slot_seq);
	s->ids = ns->ids;
	s->ids.slots = s->ids.n_slots ? g_memdup2(ns->ids.slots, ns->ids.n_slots * sizeof(gpointer))
				      : NULL;
	s->ids.slot_seq = s->ids.n_slots ? g_memdup2(ns->ids.slot_seq, ns->ids.n_slots * sizeof(guint))
					 : NULL;
	s->n_sets = ns->all->len;
	s->used_sems = ns->used_sems;
	g_array_set_size(s->sets, 0);
	g_array_set_size(s->sems, 0);
	for (guint i = 0; i < ns->all->len; i++) {
		const SimSemArray *sma = g_ptr_array_index(ns->all, i);
		g_array_append_vals(s->sets, sma, 1);
		g_array_append_vals(s->sems, sma->sems, sma->nsems);
	}
	g_array_set_size(s->queues, 0);
	g_array_set_size(s->queues, w->n_tasks);
	g_array_set_size(s->sops, 0);
	for (guint i = 0; i < w->n_tasks; i++) {
		const SimSemQueue *q = w->tasks[i].waiter.op;
		if (!q)
			continue;
		SimSemQueue *c = &g_array_index(s->queues, SimSemQueue, i);
		*c = *q;
		c->sops = GUINT_TO_POINTER(s->sops->len + 1); /* 1 + where its operations start */
		g_array_append_vals(s->sops, q->sops, q->nsops);
	}
	return TRUE;
}

void snap_sem_release(SimWorld *w)
{
	for (guint i = 0; i < w->n_tasks; i++) {
		SimWaiter *wt = &w->tasks[i].waiter;
		sim_sem_queue_free(wt->op);
		wt->op = NULL;
	}
}

/* The id table as saved; the arrays keep their (possibly grown) storage. */
static void put_ids(const SnapSem *s, SimIpcIds *ids)
{
	gpointer *slots = ids->slots;
	guint *slot_seq = ids->slot_seq;
	guint n = ids->n_slots;
	*ids = s->ids;
	ids->slots = slots;
	ids->slot_seq = slot_seq;
	ids->n_slots = n;
	if (n) {
		memset(slots, 0, n * sizeof(gpointer));
		memset(slot_seq, 0, n * sizeof(guint));
	}
	if (s->ids.n_slots) {
		memcpy(slots, s->ids.slots, s->ids.n_slots * sizeof(gpointer));
		memcpy(slot_seq, s->ids.slot_seq, s->ids.n_slots * sizeof(guint));
	}
}

void snap_sem_restore(const SnapSem *s, SimWorld *w)
{
	SimSemNs *ns = &w->semns;
	for (guint i = s->n_sets; i < ns->all->len; i++) { /* made after the save */
		SimSemArray *sma = g_ptr_array_index(ns->all, i);
		if (sma->undos)
			g_ptr_array_unref(sma->undos);
		g_free(sma->sems);
		g_free(sma);
	}
	g_ptr_array_set_size(ns->all, (gint)s->n_sets);
	put_ids(s, &ns->ids);
	ns->used_sems = s->used_sems;
	guint k = 0;
	for (guint i = 0; i < s->n_sets; i++) {
		SimSemArray *sma = g_ptr_array_index(ns->all, i);
		SimSem *sems = sma->sems;
		GPtrArray *undos = sma->undos;
		*sma = g_array_index(s->sets, SimSemArray, i);
		sma->sems = sems;
		sma->undos = undos;
		memcpy(sems, &g_array_index(s->sems, SimSem, k), sma->nsems * sizeof(SimSem));
		k += sma->nsems;
	}
	for (guint i = 0; i < w->n_tasks; i++) {
		const SimSemQueue *c = &g_array_index(s->queues, SimSemQueue, i);
		SimWaiter *wt = &w->tasks[i].waiter;
		wt->op = NULL; /* the task struct's copy names a record freed since */
		if (!c->sops)
			continue;
		SimSemQueue *q = g_new(SimSemQueue, 1);
		*q = *c;
		guint at = GPOINTER_TO_UINT(c->sops) - 1;
		q->sops = g_memdup2(&g_array_index(s->sops, SimSembuf, at), c->nsops * sizeof(SimSembuf));
		q->w = wt;
		wt->op = q;
	}
}

void snap_sem_clear(SnapSem *s)
{
	g_free(s->ids.slots);
	g_free(s->ids.slot_seq);
	if (s->sets) {
		g_array_unref(s->sets);
		g_array_unref(s->sems);
		g_array_unref(s->queues);
		g_array_unref(s->sops);
	}
	memset(s, 0, sizeof(*s));
}
