/* snap_sem.c — the XSI semaphore sets saved and put back in place, for snap.c.
 *
 * The design choice to know: as with the mailboxes, every set stays at its address and
 * only its contents are copied back, so the wait queues' links (into the tasks' embedded
 * waiters, and from them back into the sets' queue heads) come back right with the task
 * structs that snap.c restores. A set made after the save is freed at the restore: the
 * namespace's list of sets only grows (a removed set stays in it), so the saved length
 * says which sets are new. The one heap record a step moves is a blocked semop's queue
 * entry (the waiter's op): the snapshot keeps a copy per task, the restore frees the
 * world's and makes new ones. SEM_UNDO records move too (an exit or an IPC_RMID frees
 * them): the restore frees the world's and makes the saved ones again, in each task's list
 * in its order, and in each set's list of records (whose order no operation reads: they
 * clear or drop every record of the set).
 *
 * The digest part (snap_sem_digest) covers what a later call or an expectation can read:
 * per set its key, id, owner and mode, its values, the last pid of each semaphore whose
 * number a `semctl S getpid NUM` or an `expect sem ... NUM pid=` names (snap_sem_pids:
 * nothing else reads it, and where nothing does, which of four workers made the last
 * operation on a semaphore would tell apart states whose futures and outcomes are the
 * same), whether a semop ever completed (IPC_STAT's otime as "set"), and
 * its four kinds of wait lists in order; per blocked semop what it asks; the id table's
 * counters, which say the next id. Left out: otime and ctime themselves, which are readings
 * of the clock that no outcome shows (the digest leaves the clock out).
 */
#include "explore/snap_sem.h"

#include <string.h>

gboolean snap_sem_fits(const SimStmt *st)
{
	return st->kind != SIM_STMT_SEMOP || st->sem.sops;
}

static void arrays(SnapSem *s)
{
	if (s->sets)
		return;
	s->sets = g_array_new(FALSE, FALSE, sizeof(SimSemArray));
	s->sems = g_array_new(FALSE, FALSE, sizeof(SimSem));
	s->queues = g_array_new(FALSE, TRUE, sizeof(SimSemQueue));
	s->sops = g_array_new(FALSE, FALSE, sizeof(SimSembuf));
	s->undos = g_array_new(FALSE, FALSE, sizeof(SnapUndo));
	s->semadj = g_array_new(FALSE, FALSE, sizeof(gint64));
}

/* The index of sma in the namespace's list. */
static guint set_index(const SimSemNs *ns, const SimSemArray *sma)
{
	for (guint k = 0; k < ns->all->len; k++)
		if (g_ptr_array_index(ns->all, k) == sma)
			return k;
	g_assert_not_reached();
}

/* Every task's undo records; returns nothing, but a blocked semop's record is found again
 * by its place (1 + index in s->undos, see snap_sem_save). */
static void save_undos(SnapSem *s, const SimWorld *w)
{
	g_array_set_size(s->undos, 0);
	g_array_set_size(s->semadj, 0);
	for (guint i = 0; i < w->n_tasks; i++)
		for (const SimSemUndo *u = w->tasks[i].sem_undo; u; u = u->next) {
			SnapUndo su = { .task = i, .set = set_index(&w->semns, u->sma),
					.semid = u->semid, .first = s->semadj->len };
			g_array_append_val(s->undos, su);
			g_array_append_vals(s->semadj, u->semadj, u->sma->nsems);
		}
}

/* 1 + the index of the saved copy of record u (as save_undos laid them out), 0 for NULL. */
static guint undo_index(const SimWorld *w, const SimSemUndo *u)
{
	guint n = 0;
	for (guint i = 0; u && i < w->n_tasks; i++)
		for (const SimSemUndo *v = w->tasks[i].sem_undo; v; v = v->next) {
			n++;
			if (v == u)
				return n;
		}
	return 0;
}

void snap_sem_save(SnapSem *s, const SimWorld *w)
{
	const SimSemNs *ns = &w->semns;
	arrays(s);
	save_undos(s, w);
	snap_ids_keep(&s->ids, &ns->ids);
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
		c->undo = GUINT_TO_POINTER(undo_index(w, q->undo)); /* 1 + its record's copy */
		g_array_append_vals(s->sops, q->sops, q->nsops);
	}
}

void snap_sem_release(SimWorld *w)
{
	for (guint i = 0; i < w->n_tasks; i++) {
		SimWaiter *wt = &w->tasks[i].waiter;
		sim_sem_queue_free(wt->op);
		wt->op = NULL;
		sim_sem_undo_free_all(&w->tasks[i].sem_undo);
	}
}

/* The undo records as saved: each task's list in order, each set's list of records. */
static void put_undos(const SnapSem *s, SimWorld *w, SimSemUndo **made)
{
	SimSemUndo **tail = NULL;
	guint task = G_MAXUINT;
	for (guint i = 0; i < s->undos->len; i++) {
		const SnapUndo *su = &g_array_index(s->undos, SnapUndo, i);
		SimSemArray *sma = g_ptr_array_index(w->semns.all, su->set);
		if (su->task != task) {
			task = su->task;
			tail = &w->tasks[task].sem_undo;
		}
		SimSemUndo *u = g_new0(SimSemUndo, 1);
		u->semid = su->semid;
		u->sma = sma;
		u->semadj = g_memdup2(&g_array_index(s->semadj, gint64, su->first),
				      sma->nsems * sizeof(gint64));
		u->pprev = tail;
		*tail = u;
		tail = &u->next;
		g_ptr_array_add(sma->undos, u);
		made[i] = u;
	}
}

/* The id table as saved; the arrays keep their (possibly grown) storage. */
void snap_ids_keep(SimIpcIds *to, const SimIpcIds *ids)
{
	g_free(to->slots);
	g_free(to->slot_seq);
	*to = *ids;
	to->slots = ids->n_slots ? g_memdup2(ids->slots, ids->n_slots * sizeof(gpointer)) : NULL;
	to->slot_seq = ids->n_slots ? g_memdup2(ids->slot_seq, ids->n_slots * sizeof(guint)) : NULL;
}

void snap_ids_put(const SimIpcIds *saved, SimIpcIds *ids)
{
	gpointer *slots = ids->slots;
	guint *slot_seq = ids->slot_seq;
	guint n = ids->n_slots;
	*ids = *saved;
	ids->slots = slots;
	ids->slot_seq = slot_seq;
	ids->n_slots = n;
	if (n) {
		memset(slots, 0, n * sizeof(gpointer));
		memset(slot_seq, 0, n * sizeof(guint));
	}
	if (saved->n_slots) {
		memcpy(slots, saved->slots, saved->n_slots * sizeof(gpointer));
		memcpy(slot_seq, saved->slot_seq, saved->n_slots * sizeof(guint));
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
	snap_ids_put(&s->ids, &ns->ids);
	ns->used_sems = s->used_sems;
	guint k = 0;
	for (guint i = 0; i < s->n_sets; i++) {
		SimSemArray *sma = g_ptr_array_index(ns->all, i);
		SimSem *sems = sma->sems;
		GPtrArray *undos = sma->undos;
		*sma = g_array_index(s->sets, SimSemArray, i);
		sma->sems = sems;
		sma->undos = undos;
		g_ptr_array_set_size(undos, 0); /* their records went with the tasks' lists */
		memcpy(sems, &g_array_index(s->sems, SimSem, k), sma->nsems * sizeof(SimSem));
		k += sma->nsems;
	}
	SimSemUndo **made = g_new(SimSemUndo *, s->undos->len + 1);
	put_undos(s, w, made);
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
		q->undo = c->undo ? made[GPOINTER_TO_UINT(c->undo) - 1] : NULL;
		wt->op = q;
	}
	g_free(made);
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
		g_array_unref(s->undos);
		g_array_unref(s->semadj);
	}
	memset(s, 0, sizeof(*s));
}

guint64 snap_hash_queue(guint64 h, const SimWaitQueue *q)
{
	h = snap_hash_word(h, q->len);
	for (const SimWaiter *wt = q->head; wt; wt = wt->next)
		h = snap_hash_word(h, (guint64)(gint64)wt->task);
	return h;
}

/* Bit k (k below 63) for semaphore number k, bit 63 for every number from 63 up. */
static guint64 num_bit(gint64 num)
{
	return G_GUINT64_CONSTANT(1) << (num >= 0 && num < 63 ? num : 63);
}

static guint64 hash_set(guint64 h, const SimSemArray *sma, guint64 pids)
{
	const SimIpcPerm *p = &sma->perm;
	h = snap_hash_word(h, (guint64)p->key);
	h = snap_hash_word(h, (guint64)(guint32)p->id | (guint64)p->mode << 32);
	h = snap_hash_word(h, (guint64)p->uid ^ (guint64)p->gid << 20 ^ (guint64)p->cuid << 40 ^
				      (guint64)p->cgid << 52);
	h = snap_hash_word(h, sma->nsems | (guint64)(sma->removed != 0) << 32 |
				      (guint64)(sma->has_otime != 0) << 33);
	for (guint k = 0; k < sma->nsems; k++) {
		const SimSem *sem = &sma->sems[k];
		gint64 pid = (pids & num_bit((gint64)k)) ? sem->sempid : -2;
		h = snap_hash_word(h, (guint64)sem->semval | (guint64)(guint32)pid << 32);
		if (sem->pending_alter.len || sem->pending_const.len) {
			h = snap_hash_word(h, k);
			h = snap_hash_queue(h, &sem->pending_alter);
			h = snap_hash_queue(h, &sem->pending_const);
		}
	}
	h = snap_hash_queue(h, &sma->pending_alter);
	return snap_hash_queue(h, &sma->pending_const);
}

static guint64 block_pids(const SimBlock *b)
{
	guint64 out = 0;
	for (guint i = 0; i < b->n_stmts; i++) {
		const SimStmt *st = &b->stmts[i];
		if (st->kind == SIM_STMT_SEMCTL && st->sem.cmd == SIM_SEMCTL_GETPID)
			out |= num_bit(st->sem.num);
		const SimBlock *inner = sim_stmt_body(st);
		if (inner)
			out |= block_pids(inner);
	}
	return out;
}

guint64 snap_sem_pids(const SimScenario *scn)
{
	guint64 out = 0;
	for (guint i = 0; i < scn->n_bodies; i++) /* handlers' and exec's bodies too */
		out |= block_pids(&scn->bodies[i]->block);
	for (guint i = 0; i < scn->n_expects; i++) {
		const SimScnExpect *e = &scn->expects[i];
		for (guint k = 0; e->kind == SIM_EXPECT_STATS && e->sem && k < e->n_stats; k++)
			if (e->stats[k].key == SIM_STAT_PID)
				out |= num_bit(e->sem_num);
	}
	return out;
}

guint64 snap_sem_digest(const SimWorld *w, guint64 pids)
{
	const SimSemNs *ns = &w->semns;
	guint64 h = G_GUINT64_CONSTANT(0x73656d73657473);
	for (guint i = 0; i < ns->all->len; i++)
		h = hash_set(h, g_ptr_array_index(ns->all, i), pids);
	const SimIpcIds *ids = &ns->ids;
	h = snap_hash_word(h, ids->in_use | (guint64)(guint32)ids->last_idx << 32);
	h = snap_hash_word(h, ids->seq | (guint64)ids->next_idx << 32);
	h = snap_hash_word(h, (guint64)ns->used_sems);
	/* What each blocked semop asks: its operations are the statement's, but a woken one
	 * that has not run yet may have been completed by its waker (result in its waiter). */
	for (guint i = 0; i < w->n_tasks; i++) {
		const SimTask *t = &w->tasks[i];
		const SimSemQueue *q = t->waiter.op;
		for (const SimSemUndo *u = t->sem_undo; u; u = u->next) { /* what its exit adds */
			h = snap_hash_word(h, i | (guint64)set_index(ns, u->sma) << 32);
			for (guint k = 0; k < u->sma->nsems; k++)
				h = snap_hash_word(h, (guint64)u->semadj[k]);
		}
		if (!q)
			continue;
		h = snap_hash_word(h, i | (guint64)q->nsops << 32);
		h = snap_hash_word(h, q->blocking | (guint64)(q->alter != 0) << 32);
		for (guint k = 0; k < q->nsops; k++)
			h = snap_hash_word(h, (guint64)q->sops[k].num ^ (guint64)q->sops[k].op << 16 ^
						      (guint64)q->sops[k].flags << 48);
		/* Which set it waits on: its index in the namespace's list. */
		for (guint k = 0; k < ns->all->len; k++)
			if (g_ptr_array_index(ns->all, k) == t->wait_sem)
				h = snap_hash_word(h, k);
	}
	return h;
}
