/* msgq.c — System V message queues, step for step as ipc/msg.c does them (see msgq.h).
 *
 * The design choice to know: a blocked call is not "completed by the waker" as for
 * mailboxes. The waker only posts what it has (a message, E2BIG, EIDRM, or "look again")
 * and the woken task re-enters the same loop the kernel's do_msgsnd/do_msgrcv runs after
 * schedule() returns. That is what makes the sender race and the re-queue at the tail
 * come out right without special cases.
 */
#include "msgsim/kernel/msgq.h"

#include <string.h>

SimMsgq *sim_msgq_new(const SimIpcPerm *perm, guint64 qbytes, SimTime now)
{
	SimMsgq *q = g_new0(SimMsgq, 1);
	q->perm = *perm;
	q->qbytes = qbytes;
	q->lspid = q->lrpid = -1;
	q->ctime = now;
	sim_msg_list_init(&q->msgs, SIM_ORDER_FIFO);
	sim_waitq_init(&q->senders, SIM_ORDER_FIFO);
	sim_waitq_init(&q->receivers, SIM_ORDER_FIFO);
	return q;
}

SimMsgq *sim_msgq_lookup(const SimIpcNs *ns, int id)
{
	SimMsgq *q = sim_ipcns_lookup(ns, id);
	return q && q->perm.id == id ? q : NULL;
}

static SimMsgq *find_key(const SimIpcNs *ns, gint64 key)
{
	for (guint i = 0; i < ns->n_slots; i++) {
		SimMsgq *q = ns->slots[i];
		if (q && q->perm.key == key)
			return q;
	}
	return NULL;
}

int sim_msgq_get(SimIpcNs *ns, GPtrArray *all, gint64 key, guint flags, guint mode,
		 const SimCred *cred, SimTime now, int *id_out)
{
	/* ipcget: IPC_PRIVATE always creates; a key is looked up first. */
	if (key != 0) {
		SimMsgq *q = find_key(ns, key);
		if (q) {
			if ((flags & SIM_IPC_CREAT) && (flags & SIM_IPC_EXCL))
				return EEXIST; /* before the permission check */
			if (sim_ipcns_denied(&q->perm, cred, mode & 0777))
				return EACCES;
			*id_out = q->perm.id;
			return 0;
		}
		if (!(flags & SIM_IPC_CREAT))
			return ENOENT;
	}
	SimIpcPerm perm = { .key = key,
			    .uid = cred->uid,
			    .gid = cred->gid,
			    .cuid = cred->uid,
			    .cgid = cred->gid,
			    .mode = mode & 0777 };
	SimMsgq *q = sim_msgq_new(&perm, (guint64)ns->limits.msgmnb, now);
	int id = sim_ipcns_alloc(ns, q, &q->perm.seq);
	if (id < 0) {
		g_free(q);
		return ENOSPC;
	}
	q->perm.id = id;
	g_ptr_array_add(all, q);
	*id_out = id;
	return 0;
}

void sim_msgq_free(SimMsgq *q, SimMsgPool *pool)
{
	if (!q)
		return;
	sim_msg_list_drain(&q->msgs, pool);
	g_free(q);
}

gboolean sim_msgq_fits(const SimMsgq *q, gsize msgsz)
{
	/* msg_fits_inqueue: the byte limit and, with the same number, the message count. */
	return q->cbytes + msgsz <= q->qbytes && q->qnum + 1 <= q->qbytes;
}

/* testmsg: does message m satisfy a receiver asking for msgtyp with these flags? */
static gboolean type_matches(gint64 mtype, gint64 msgtyp, guint flags)
{
	if (msgtyp == 0)
		return TRUE;
	if (msgtyp < 0) {
		/* LONG_MIN is treated as LONG_MAX by convert_mode. */
		gint64 limit = msgtyp == G_MININT64 ? G_MAXINT64 : -msgtyp;
		return mtype <= limit;
	}
	return (flags & SIM_MSG_EXCEPT) ? mtype != msgtyp : mtype == msgtyp;
}

/* find_msg: the message a receiver gets now, or NULL. */
static SimMsg *find(const SimMsgq *q, gint64 msgtyp, guint flags)
{
	SimMsg *best = NULL;
	for (SimMsg *m = q->msgs.head; m; m = m->next) {
		if (!type_matches(m->type, msgtyp, flags))
			continue;
		if (msgtyp >= 0)
			return m;
		/* Lowest type wins; among equal types the oldest (the first seen). */
		if (!best || m->type < best->type)
			best = m;
		if (best->type == 1)
			break; /* nothing can be lower */
	}
	return best;
}

static void unlink_msg(SimMsgq *q, SimMsg *m)
{
	sim_msg_list_remove(&q->msgs, m);
	q->qnum--;
	q->cbytes -= m->size;
}

/* ss_wakeup (not the RMID case): wake every sender whose message fits now. */
static void wake_senders(SimMsgq *q, SimMsgqCtx *ctx)
{
	SimWaiter *stop = NULL;
	SimWaiter *w = q->senders.head;
	while (w) {
		SimWaiter *next = w->next;
		if (w == stop)
			break;
		if (!sim_msgq_fits(q, w->msg->size)) {
			if (!stop)
				stop = w;
			/* To the tail; the walk goes on from the saved next, as the kernel's
			 * list_for_each_entry_safe does, and meets it again at the end. */
			sim_waitq_del(w);
			sim_waitq_add(&q->senders, w);
		} else {
			if (!w->done)
				ctx->n_woken_senders++;
			sim_waitq_post(ctx->wake, w, SIM_MSGQ_RETRY, TRUE);
		}
		w = next;
	}
}

/* pipelined_send: offer m to the blocked receivers in order. Returns the taker or -1. */
static int hand_off(SimMsgq *q, SimMsgqCtx *ctx, SimMsg *m)
{
	SimWaiter *r = q->receivers.head;
	while (r) {
		SimWaiter *next = r->next;
		if (type_matches(m->type, r->type, r->flags)) {
			if (!(r->flags & SIM_MSG_NOERROR) && (gint64)m->size > r->maxsize) {
				sim_waitq_post(ctx->wake, r, E2BIG, FALSE);
			} else {
				r->msg = m;
				q->lrpid = r->task;
				q->rtime = ctx->now;
				q->received++;
				sim_waitq_post(ctx->wake, r, 0, FALSE);
				return r->task;
			}
		}
		r = next;
	}
	return -1;
}

int sim_msgq_send(SimMsgq *q, SimMsgqCtx *ctx, SimWaiter *self, SimMsg *m, guint flags,
		  gboolean resuming, int *handed_to)
{
	*handed_to = -1;
	if (resuming) {
		/* After schedule(): removed? then leave the list; a signal ends the call. */
		if (q->removed || self->result == EIDRM)
			return EIDRM;
		if (self->queue)
			sim_waitq_del(self);
		if (ctx->signal_pending)
			return EINTR;
	}
	if (sim_ipcns_denied(&q->perm, ctx->cred, 0222))
		return EACCES;
	if (q->removed)
		return EIDRM;
	if (!sim_msgq_fits(q, m->size)) {
		if (flags & SIM_IPC_NOWAIT)
			return EAGAIN;
		self->msg = m;
		sim_waitq_sleep(&q->senders, self);
		return SIM_BLOCKED;
	}
	self->msg = NULL;
	q->lspid = ctx->task;
	q->stime = ctx->now;
	q->sent++;
	*handed_to = hand_off(q, ctx, m);
	if (*handed_to < 0) {
		sim_msg_list_insert(&q->msgs, m);
		q->cbytes += m->size;
		q->qnum++;
	}
	return 0;
}

int sim_msgq_receive(SimMsgq *q, SimMsgqCtx *ctx, SimWaiter *self, const SimMsgqFilter *f,
		     gboolean resuming, SimMsg **out)
{
	*out = NULL;
	if (resuming) {
		/* A hand-off or a posted error wins over everything, even a signal. */
		if (self->msg) {
			*out = self->msg;
			self->msg = NULL;
			return 0;
		}
		if (self->result != SIM_MSGQ_RETRY)
			return self->result; /* E2BIG from a hand-off, EIDRM from IPC_RMID */
		if (self->queue)
			sim_waitq_del(self);
		if (ctx->signal_pending)
			return EINTR;
		/* IPC_SET's wake-up: look again, and queue again at the tail. */
	}
	if (sim_ipcns_denied(&q->perm, ctx->cred, 0444))
		return EACCES;
	if (q->removed)
		return EIDRM;
	SimMsg *m = find(q, f->msgtyp, f->flags);
	if (m) {
		if ((gint64)m->size > f->maxsize && !(f->flags & SIM_MSG_NOERROR))
			return E2BIG;
		unlink_msg(q, m);
		q->rtime = ctx->now;
		q->lrpid = ctx->task;
		q->received++;
		wake_senders(q, ctx);
		*out = m;
		return 0;
	}
	if (f->flags & SIM_IPC_NOWAIT)
		return ENOMSG;
	self->type = f->msgtyp;
	self->flags = f->flags;
	self->maxsize = (f->flags & SIM_MSG_NOERROR) ? G_MAXINT64 : f->maxsize;
	self->msg = NULL;
	sim_waitq_sleep(&q->receivers, self);
	return SIM_BLOCKED;
}

void sim_msgq_set(SimMsgq *q, SimMsgqCtx *ctx, guint64 qbytes, gint64 uid, gint64 gid, gint64 mode)
{
	q->qbytes = qbytes;
	if (uid >= 0)
		q->perm.uid = uid;
	if (gid >= 0)
		q->perm.gid = gid;
	if (mode >= 0)
		q->perm.mode = (guint)mode & 0777;
	q->ctime = ctx->now;
	/* expunge_all(-EAGAIN): every receiver looks again, staying listed until it runs. */
	for (SimWaiter *r = q->receivers.head; r; r = r->next)
		sim_waitq_post(ctx->wake, r, SIM_MSGQ_RETRY, TRUE);
	wake_senders(q, ctx);
}

guint sim_msgq_remove(SimMsgq *q, SimMsgqCtx *ctx)
{
	guint failed = 0;
	q->removed = TRUE;
	while (q->receivers.head) {
		sim_waitq_post(ctx->wake, q->receivers.head, EIDRM, FALSE);
		failed++;
	}
	while (q->senders.head) {
		sim_waitq_post(ctx->wake, q->senders.head, EIDRM, FALSE);
		failed++;
	}
	sim_msg_list_drain(&q->msgs, ctx->pool);
	q->qnum = 0;
	q->cbytes = 0;
	return failed;
}

void sim_msgq_interrupt(SimWakeList *wake, SimWaiter *w)
{
	/* The signal only wakes the task; it leaves the list itself when it runs. */
	if (!w->done) /* woken already: what was posted (a message, E2BIG, EIDRM) stays */
		sim_waitq_post(wake, w, SIM_MSGQ_RETRY, TRUE);
}

gboolean sim_msgq_check(const SimMsgq *q)
{
	if (!sim_msg_list_check(&q->msgs) || !sim_waitq_check(&q->senders) ||
	    !sim_waitq_check(&q->receivers))
		return FALSE;
	guint64 bytes = 0;
	for (const SimMsg *m = q->msgs.head; m; m = m->next)
		bytes += m->size;
	if (bytes != q->cbytes || q->msgs.len != q->qnum) /* 1 */
		return FALSE;
	for (const SimWaiter *r = q->receivers.head; r; r = r->next) /* 2 */
		if (!r->done && find(q, r->type, r->flags))
			return FALSE;
	if (q->removed && (q->qnum || q->senders.len || q->receivers.len)) /* 3 */
		return FALSE;
	return TRUE;
}

guint sim_msgq_candidates(const SimMsgq *q, const SimMsg *m, int *tasks, guint max)
{
	guint n = 0;
	for (const SimWaiter *r = q->receivers.head; r; r = r->next) {
		if (!type_matches(m->type, r->type, r->flags))
			continue;
		if (n < max)
			tasks[n] = r->task;
		n++;
	}
	return n;
}
