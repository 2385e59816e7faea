/* snap_msg.c — the SysV message queues saved and put back in place, and digested, for the
 * stateful search (snap.c, state.c).
 *
 * The design choice to know: as with the mailboxes and the semaphore sets, every queue
 * stays at its address and only its contents are copied back. A queue's wait lists link
 * the waiters embedded in the tasks, and a blocked task points back at its queue
 * (wait_msgq), so both come back right when snap.c puts the task structs back: a sender's
 * message and a receiver's handed message live in the task's waiter, which snap.c keeps.
 * A queue made after the save (msgget) is freed at the restore: the world's list of
 * queues only grows (IPC_RMID keeps the struct, for the report), so the saved length says
 * which queues are new. The messages move as everywhere else: the snapshot keeps copies,
 * the restore gives the world's back to its pool and takes new ones.
 *
 * `msgctl q stat -> v` leaves a msqid_ds in the variable (SimVar.ds, made at the first
 * stat and overwritten after): the snapshot keeps its numbers, the restore makes it anew.
 *
 * What a SysV step reads of the clock is the stat times (stime, rtime, ctime) and nothing
 * else (msgsnd and msgrcv have no timeout), so the digest leaves out the times, and the
 * last sender and receiver, unless the scenario can read them (snap_msg_details).
 */
#include "explore/snap_msg.h"

#include <string.h>

#include "msgsim/lang/expr.h"

/* ---- Message copies ---- */

typedef struct SnapSavedMsg {
	SimMsg m;  /* next is unused; text points at own when owned */
	char *own; /* an owned text's copy, or NULL (a scenario literal) */
} SnapSavedMsg;

void snap_msgs_reset(SnapMsgs *s)
{
	if (!s->saved)
		s->saved = g_array_new(FALSE, FALSE, sizeof(SnapSavedMsg));
	for (guint i = 0; i < s->saved->len; i++)
		g_free(g_array_index(s->saved, SnapSavedMsg, i).own);
	g_array_set_size(s->saved, 0);
}

void snap_msgs_clear(SnapMsgs *s)
{
	if (!s->saved)
		return;
	snap_msgs_reset(s);
	g_array_unref(s->saved);
	s->saved = NULL;
}

guint64 snap_msgs_keep(SnapMsgs *s, const SimMsg *m)
{
	if (!m)
		return 0;
	SnapSavedMsg sm = { .m = *m };
	sm.m.next = NULL;
	if (m->owned) {
		sm.own = g_memdup2(m->text, (gsize)m->len + 1);
		sm.m.text = sm.own;
	}
	g_array_append_val(s->saved, sm);
	return s->saved->len;
}

SimMsg *snap_msgs_make(SimWorld *w, const SnapMsgs *s, guint64 i)
{
	if (!i)
		return NULL;
	const SnapSavedMsg *sm = &g_array_index(s->saved, SnapSavedMsg, i - 1);
	SimMsg *m = sim_msg_pool_get(&w->pool);
	*m = sm->m;
	m->owned = FALSE;
	m->text = sm->own ? NULL : sm->m.text;
	if (sm->own)
		sim_msg_own_text(&w->pool, m, sm->own, sm->m.len);
	return m;
}

void snap_msgs_keep_list(SnapMsgs *s, const SimMsgList *l)
{
	for (const SimMsg *m = l->head; m; m = m->next)
		snap_msgs_keep(s, m);
}

guint64 snap_msgs_make_list(SimWorld *w, const SnapMsgs *s, SimMsgList *l, guint64 first)
{
	guint64 n = l->len;
	l->head = l->tail = NULL;
	for (guint64 k = 0; k < n; k++) {
		SimMsg *m = snap_msgs_make(w, s, first++);
		if (l->tail)
			l->tail->next = m;
		else
			l->head = m;
		l->tail = m;
	}
	return first;
}

/* ---- Save and restore ---- */

gboolean snap_msg_fits(const SimStmt *st)
{
	switch (st->kind) {
	case SIM_STMT_MSGGET:
	case SIM_STMT_MSGSND:
	case SIM_STMT_MSGRCV:
	case SIM_STMT_MSGCTL:
	case SIM_STMT_IPCS:
		return TRUE;
	default: /* ipcrm reaches every kind of XSI object; cat reads files */
		return FALSE;
	}
}

void snap_msg_save(SnapMsg *s, const SimWorld *w)
{
	const SimIpcNs *ns = &w->ipcns;
	if (!s->queues) {
		s->queues = g_array_new(FALSE, FALSE, sizeof(SimMsgq));
		s->ds = g_array_new(FALSE, FALSE, sizeof(gint64));
	}
	g_free(s->ns.slots);
	g_free(s->ns.slot_seq);
	s->ns = *ns;
	s->ns.mq_names = s->ns.mq_charge = NULL; /* snap_mq.c's */
	s->ns.slots = ns->n_slots ? g_memdup2(ns->slots, ns->n_slots * sizeof(gpointer)) : NULL;
	s->ns.slot_seq = ns->n_slots ? g_memdup2(ns->slot_seq, ns->n_slots * sizeof(guint)) : NULL;
	s->n_queues = w->msgqs->len;
	g_array_set_size(s->queues, 0);
	snap_msgs_reset(&s->msgs);
	for (guint i = 0; i < w->msgqs->len; i++) {
		const SimMsgq *q = g_ptr_array_index(w->msgqs, i);
		g_array_append_vals(s->queues, q, 1);
		snap_msgs_keep_list(&s->msgs, &q->msgs);
	}
	g_array_set_size(s->ds, 0);
	s->any_ds = FALSE;
	for (guint i = 0; i < w->n_tasks; i++) {
		const SimTask *t = &w->tasks[i];
		for (guint k = 0; k < t->prog->n_vars; k++) {
			gint64 has = t->vars[k].ds != NULL;
			g_array_append_val(s->ds, has);
			if (has)
				g_array_append_vals(s->ds, t->vars[k].ds, SIM_DS_N);
			s->any_ds = s->any_ds || has;
		}
	}
}

void snap_msg_release(SimWorld *w)
{
	for (guint i = 0; i < w->msgqs->len; i++) {
		SimMsgq *q = g_ptr_array_index(w->msgqs, i);
		sim_msg_list_drain(&q->msgs, &w->pool);
	}
	for (guint i = 0; i < w->n_tasks; i++) {
		SimTask *t = &w->tasks[i];
		for (guint k = 0; k < t->prog->n_vars; k++)
			g_clear_pointer(&t->vars[k].ds, g_free);
	}
}

/* The id table as saved; its arrays keep their (possibly grown) storage. */
static void put_ids(const SimIpcNs *s, SimIpcNs *ns)
{
	gpointer *slots = ns->slots;
	guint *slot_seq = ns->slot_seq;
	guint n = ns->n_slots;
	ns->in_use = s->in_use;
	ns->last_idx = s->last_idx;
	ns->seq = s->seq;
	ns->next_idx = s->next_idx;
	ns->max_idx_used = s->max_idx_used;
	if (n) {
		memset(slots, 0, n * sizeof(gpointer));
		memset(slot_seq, 0, n * sizeof(guint));
	}
	if (s->n_slots) {
		memcpy(slots, s->slots, s->n_slots * sizeof(gpointer));
		memcpy(slot_seq, s->slot_seq, s->n_slots * sizeof(guint));
	}
}

void snap_msg_restore(const SnapMsg *s, SimWorld *w)
{
	for (guint i = s->n_queues; i < w->msgqs->len; i++) /* made after the save */
		sim_msgq_free(g_ptr_array_index(w->msgqs, i), &w->pool);
	g_ptr_array_set_size(w->msgqs, (gint)s->n_queues);
	put_ids(&s->ns, &w->ipcns);
	guint64 next = 1;
	for (guint i = 0; i < s->n_queues; i++) {
		SimMsgq *q = g_ptr_array_index(w->msgqs, i);
		*q = g_array_index(s->queues, SimMsgq, i);
		next = snap_msgs_make_list(w, &s->msgs, &q->msgs, next);
	}
	if (!s->any_ds)
		return; /* snap_msg_release left every variable without one */
	guint at = 0;
	for (guint i = 0; i < w->n_tasks; i++) {
		SimTask *t = &w->tasks[i];
		for (guint k = 0; k < t->prog->n_vars; k++) {
			const gint64 *has = &g_array_index(s->ds, gint64, at++);
			t->vars[k].ds = *has ? g_memdup2(has + 1, SIM_DS_N * sizeof(gint64)) : NULL;
			at += *has ? SIM_DS_N : 0;
		}
	}
}

void snap_msg_clear(SnapMsg *s)
{
	g_free(s->ns.slots);
	g_free(s->ns.slot_seq);
	if (s->queues) {
		g_array_unref(s->queues);
		g_array_unref(s->ds);
	}
	snap_msgs_clear(&s->msgs);
	memset(s, 0, sizeof(*s));
}

/* ---- Digest ---- */

gboolean snap_msg_details(const SimWorld *w)
{
	for (guint i = 0; i < w->scn->n_expects; i++) {
		const SimScnExpect *e = &w->scn->expects[i];
		for (guint k = 0; e->kind == SIM_EXPECT_STATS && k < e->n_stats; k++) {
			SimStatKey key = e->stats[k].key;
			if (key == SIM_STAT_LSPID || key == SIM_STAT_LRPID ||
			    key == SIM_STAT_STIME || key == SIM_STAT_RTIME || key == SIM_STAT_CTIME)
				return TRUE;
		}
	}
	for (guint i = 0; i < w->n_tasks; i++) {
		const SimProgram *p = w->tasks[i].prog;
		for (guint k = 0; k < p->n_code; k++) {
			const SimStmt *st = p->code[k].stmt;
			/* msgctl keeps a msqid_ds only in a variable (-> v) */
			if (st && ((st->kind == SIM_STMT_MSGCTL && st->var >= 0) ||
				   st->kind == SIM_STMT_IPCS || st->kind == SIM_STMT_CAT))
				return TRUE;
		}
	}
	return FALSE;
}

guint64 snap_mix_bytes(guint64 h, const char *s, gsize len)
{
	h = snap_mix(h, len);
	guint64 word;
	gsize i = 0;
	for (; i + 8 <= len; i += 8) {
		memcpy(&word, s + i, 8);
		h = snap_mix(h, word);
	}
	if (i < len) {
		word = 0;
		memcpy(&word, s + i, len - i);
		h = snap_mix(h, word);
	}
	return h;
}

guint64 snap_mix_msgs(guint64 h, const SimMsgList *l, gboolean senders)
{
	h = snap_mix(h, l->len);
	for (const SimMsg *m = l->head; m; m = m->next) {
		h = snap_mix_bytes(h, m->text, m->len);
		h = snap_mix(h, (guint64)m->type);
		h = snap_mix(h, (guint64)m->prio);
		h = snap_mix(h, m->size);
		h = snap_mix(h, (guint64)(gint64)(senders ? m->from : -2));
	}
	return h;
}

guint64 snap_mix_waiters(guint64 h, const SimWaitQueue *q)
{
	h = snap_mix(h, q->len);
	for (const SimWaiter *wt = q->head; wt; wt = wt->next)
		h = snap_mix(h, (guint64)(gint64)wt->task);
	return h;
}

static guint64 mix_perm(guint64 h, const SimIpcPerm *p)
{
	h = snap_mix(h, (guint64)p->key);
	h = snap_mix(h, (guint64)(gint64)p->id);
	h = snap_mix(h, (guint64)p->uid);
	h = snap_mix(h, (guint64)p->gid);
	h = snap_mix(h, (guint64)p->cuid);
	h = snap_mix(h, (guint64)p->cgid);
	return snap_mix(h, p->mode | (guint64)p->seq << 32);
}

guint64 snap_msg_digest(const SimWorld *w, gboolean details, gboolean senders)
{
	guint64 h = snap_mix(0x73797376, w->msgqs->len);
	if (!w->msgqs->len)
		return h;
	for (guint i = 0; i < w->msgqs->len; i++) {
		const SimMsgq *q = g_ptr_array_index(w->msgqs, i);
		h = mix_perm(h, &q->perm);
		h = snap_mix(h, q->qbytes);
		h = snap_mix(h, (guint64)q->removed);
		h = snap_mix(h, q->sent);
		h = snap_mix(h, q->received);
		h = snap_mix_msgs(h, &q->msgs, senders);
		h = snap_mix_waiters(h, &q->senders);
		h = snap_mix_waiters(h, &q->receivers);
		if (!details)
			continue;
		h = snap_mix(h, (guint64)(gint64)q->lspid);
		h = snap_mix(h, (guint64)(gint64)q->lrpid);
		h = snap_mix(h, (guint64)q->stime);
		h = snap_mix(h, (guint64)q->rtime);
		h = snap_mix(h, (guint64)q->ctime);
	}
	/* The id table decides the next msgget's id (its free slots, where the cyclic search
	 * starts and the sequence); which queue holds a slot is in the queues' ids. */
	const SimIpcNs *ns = &w->ipcns;
	h = snap_mix(h, ns->in_use | (guint64)ns->seq << 32);
	h = snap_mix(h, (guint64)(guint32)ns->last_idx | (guint64)ns->next_idx << 32);
	for (guint i = 0; i < w->n_tasks; i++) { /* which queue each task waits on */
		const SimMsgq *wq = w->tasks[i].wait_msgq;
		guint k = 0;
		while (wq && k < w->msgqs->len && g_ptr_array_index(w->msgqs, k) != wq)
			k++;
		h = snap_mix(h, wq ? k + 1 : 0);
	}
	return h;
}
