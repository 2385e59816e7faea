/* sem.c — XSI semaphore sets, step for step as ipc/sem.c runs them (see sem.h).
 *
 * The design choice to know: unlike a SysV message queue, a blocked semop is completed by
 * its waker, as the kernel's update_queue does: the waker performs the sleeper's whole
 * operation and posts 0 (or the error it met), so the woken task only picks the result up.
 * Which waiter gets to go first is therefore decided here, by the order of the lists the
 * kernel keeps (per semaphore, or global for complex operations), and never by the
 * scheduler.
 */
#include "msgsim/kernel/sem.h"

#include <string.h>

/* ---- Lifecycle ---- */

void sim_semns_init(SimSemNs *ns)
{
	sim_ipcids_init(&ns->ids);
	ns->all = g_ptr_array_new();
	ns->used_sems = 0;
}

static void array_free(SimSemArray *sma)
{
	if (sma->undos)
		g_ptr_array_unref(sma->undos);
	g_free(sma->sems);
	g_free(sma);
}

void sim_semns_clear(SimSemNs *ns)
{
	for (guint i = 0; ns->all && i < ns->all->len; i++)
		array_free(g_ptr_array_index(ns->all, i));
	g_clear_pointer(&ns->all, g_ptr_array_unref);
	sim_ipcids_clear(&ns->ids);
}

void sim_sem_queue_free(SimSemQueue *q)
{
	if (!q)
		return;
	g_free(q->sops);
	g_free(q);
}

SimSemArray *sim_sem_lookup(const SimSemNs *ns, int id)
{
	SimSemArray *sma = sim_ipcids_lookup(&ns->ids, id);
	return sma && sma->perm.id == id ? sma : NULL;
}

/* newary: a new set of nsems semaphores, all 0. */
static int newary(SimSemNs *ns, SimSemCtx *ctx, gint64 key, gint64 nsems, guint mode, int *id_out)
{
	if (nsems == 0)
		return EINVAL;
	if (ns->used_sems + nsems > ctx->limits->semmns)
		return ENOSPC;
	SimSemArray *sma = g_new0(SimSemArray, 1);
	sma->perm = (SimIpcPerm){ .key = key,
				  .uid = ctx->cred->uid,
				  .gid = ctx->cred->gid,
				  .cuid = ctx->cred->uid,
				  .cgid = ctx->cred->gid,
				  .mode = mode & 0777 };
	int id = sim_ipcids_alloc(&ns->ids, sma, ctx->limits->semmni, &sma->perm.seq);
	if (id < 0) {
		g_free(sma);
		return ENOSPC;
	}
	sma->perm.id = id;
	sma->nsems = (guint)nsems;
	sma->sems = g_new0(SimSem, nsems);
	for (guint i = 0; i < sma->nsems; i++) {
		sma->sems[i].sempid = -1;
		sim_waitq_init(&sma->sems[i].pending_alter, SIM_ORDER_FIFO);
		sim_waitq_init(&sma->sems[i].pending_const, SIM_ORDER_FIFO);
	}
	sim_waitq_init(&sma->pending_alter, SIM_ORDER_FIFO);
	sim_waitq_init(&sma->pending_const, SIM_ORDER_FIFO);
	sma->undos = g_ptr_array_new();
	sma->ctime = ctx->now;
	ns->used_sems += nsems;
	g_ptr_array_add(ns->all, sma);
	*id_out = id;
	return 0;
}

int sim_sem_get(SimSemNs *ns, SimSemCtx *ctx, gint64 key, gint64 nsems, guint flags, guint mode,
		int *id_out)
{
	if (nsems < 0 || nsems > ctx->limits->semmsl)
		return EINVAL; /* ksys_semget, before the key is looked at */
	if (key == 0)
		return newary(ns, ctx, key, nsems, mode, id_out);
	SimSemArray *sma = sim_ipcids_find_key(&ns->ids, key);
	if (!sma)
		return (flags & SIM_IPC_CREAT) ? newary(ns, ctx, key, nsems, mode, id_out) : ENOENT;
	if ((flags & SIM_IPC_CREAT) && (flags & SIM_IPC_EXCL))
		return EEXIST;
	if (nsems > sma->nsems)
		return EINVAL; /* sem_more_checks */
	if (sim_ipcns_denied(&sma->perm, ctx->cred, mode & 0777))
		return EACCES;
	*id_out = sma->perm.id;
	return 0;
}

/* ---- Undo records ---- */

SimSemUndo *sim_sem_undo_for(SimSemNs *ns, SimSemUndo **head, int id)
{
	for (SimSemUndo *u = *head; u; u = u->next)
		if (u->semid == id)
			return u;
	SimSemArray *sma = sim_sem_lookup(ns, id);
	if (!sma)
		return NULL;
	/* find_alloc_undo: the new record goes first in the process's list. */
	SimSemUndo *u = g_new0(SimSemUndo, 1);
	u->semid = id;
	u->sma = sma;
	u->semadj = g_new0(gint64, sma->nsems);
	u->next = *head;
	if (u->next)
		u->next->pprev = &u->next;
	u->pprev = head;
	*head = u;
	g_ptr_array_add(sma->undos, u);
	return u;
}

static void undo_unlink_free(SimSemUndo *u)
{
	*u->pprev = u->next;
	if (u->next)
		u->next->pprev = u->pprev;
	g_free(u->semadj);
	g_free(u);
}

void sim_sem_undo_free_all(SimSemUndo **head)
{
	while (*head)
		undo_unlink_free(*head);
}

/* ---- perform_atomic_semop ---- */

/* The operations of q in order, each seeing what the ones before it did; on a stop every
 * change is rolled back. 0: done (sempid set); 1: must wait (q->blocking says on which);
 * -EAGAIN, -ERANGE. The kernel's fast path checks first and writes after when no
 * semaphore appears twice; the results are the same. */
static int perform(SimSemArray *sma, SimSemQueue *q)
{
	guint i;
	int result = 0;
	for (i = 0; i < q->nsops; i++) {
		const SimSembuf *sop = &q->sops[i];
		SimSem *curr = &sma->sems[sop->num];
		gint64 v = curr->semval;
		if ((sop->op == 0 && v != 0) || v + sop->op < 0) {
			q->blocking = i;
			result = (sop->flags & SIM_IPC_NOWAIT) ? -EAGAIN : 1;
			break;
		}
		if (v + sop->op > SIM_SEMVMX) {
			result = -ERANGE;
			break;
		}
		if (sop->flags & SIM_SEM_UNDO) {
			gint64 undo = q->undo->semadj[sop->num] - sop->op;
			if (undo < -SIM_SEMAEM - 1 || undo > SIM_SEMAEM) {
				result = -ERANGE;
				break;
			}
			q->undo->semadj[sop->num] = undo;
		}
		curr->semval = v + sop->op;
	}
	if (result == 0) {
		for (i = q->nsops; i-- > 0;)
			sma->sems[q->sops[i].num].sempid = q->task;
		return 0;
	}
	while (i-- > 0) {
		const SimSembuf *sop = &q->sops[i];
		sma->sems[sop->num].semval -= sop->op;
		if (sop->flags & SIM_SEM_UNDO)
			q->undo->semadj[sop->num] += sop->op;
	}
	return result;
}

/* perform() without the writes: each operation sees what the ones before it in the call
 * did to its semaphore (and to its undo column), summed from them. Quadratic in nsops,
 * which semopm bounds; it allocates nothing (explore calls it on every step). */
int sim_sem_try(const SimSemArray *sma, const SimSembuf *sops, guint nsops,
		const SimSemUndo *undo)
{
	for (guint i = 0; i < nsops; i++) {
		const SimSembuf *sop = &sops[i];
		gint64 v = sma->sems[sop->num].semval;
		gint64 adj = undo ? undo->semadj[sop->num] : 0;
		for (guint k = 0; k < i; k++) {
			if (sops[k].num != sop->num)
				continue;
			v += sops[k].op;
			if (sops[k].flags & SIM_SEM_UNDO)
				adj -= sops[k].op;
		}
		if ((sop->op == 0 && v != 0) || v + sop->op < 0)
			return (sop->flags & SIM_IPC_NOWAIT) ? EAGAIN : SIM_BLOCKED;
		if (v + sop->op > SIM_SEMVMX)
			return ERANGE;
		adj -= sop->op;
		if ((sop->flags & SIM_SEM_UNDO) && (adj < -SIM_SEMAEM - 1 || adj > SIM_SEMAEM))
			return ERANGE;
	}
	return 0;
}

/* ---- The lists ---- */

static SimSemQueue *queue_of(const SimWaiter *w)
{
	return w->op;
}

/* complex_count: the complex operations waiting, which always wait on the global lists. */
static guint complex_count(const SimSemArray *sma)
{
	guint n = 0;
	for (const SimWaiter *w = sma->pending_alter.head; w; w = w->next)
		n += queue_of(w)->nsops > 1;
	for (const SimWaiter *w = sma->pending_const.head; w; w = w->next)
		n += queue_of(w)->nsops > 1;
	return n;
}

/* merge_queues: each semaphore's pending_alter is spliced to the front of the global one,
 * semaphore 0 first, so semaphore n-1's waiters end up first and the old ones last. */
static void merge_queues(SimSemArray *sma)
{
	g_autoptr(GPtrArray) order = g_ptr_array_new();
	for (guint i = sma->nsems; i-- > 0;)
		for (SimWaiter *w = sma->sems[i].pending_alter.head; w; w = w->next)
			g_ptr_array_add(order, w);
	for (SimWaiter *w = sma->pending_alter.head; w; w = w->next)
		g_ptr_array_add(order, w);
	for (guint i = 0; i < order->len; i++)
		sim_waitq_del(g_ptr_array_index(order, i));
	for (guint i = 0; i < order->len; i++)
		sim_waitq_add(&sma->pending_alter, g_ptr_array_index(order, i));
}

gboolean sim_sem_complex_waiting(const SimSemArray *sma)
{
	return sma->pending_alter.head || sma->pending_const.head; /* where complex ones wait */
}

void sim_sem_unlock(SimSemArray *sma)
{
	if (sma->removed || complex_count(sma) > 0)
		return;
	/* unmerge_queues: back to the tail of the list of each one's semaphore, in order. */
	while (sma->pending_alter.head) {
		SimWaiter *w = sma->pending_alter.head;
		sim_waitq_del(w);
		sim_waitq_add(&sma->sems[queue_of(w)->sops[0].num].pending_alter, w);
	}
}

/* The waiter leaves its list with `error` (0: its operation was done). */
static void wake_queue(SimSemCtx *ctx, SimSemQueue *q, int error)
{
	sim_waitq_wake(ctx->wake, q->w, error);
}

/* wake_const_ops: every wait for zero of the list (semaphore num, or -1: the global one)
 * that can go now. */
static gboolean wake_const_ops(SimSemArray *sma, int num, SimSemCtx *ctx)
{
	SimWaitQueue *l = num < 0 ? &sma->pending_const : &sma->sems[num].pending_const;
	gboolean completed = FALSE;
	for (SimWaiter *w = l->head, *next; w; w = next) {
		next = w->next;
		SimSemQueue *q = queue_of(w);
		int error = perform(sma, q);
		if (error > 0)
			continue;
		wake_queue(ctx, q, -error);
		completed |= error == 0;
	}
	return completed;
}

/* do_smart_wakeup_zero: the waits for zero of the semaphores the operations touched (every
 * semaphore when sops is NULL) that are 0 now, then the global list if any was. */
static gboolean wakeup_zero(SimSemArray *sma, const SimSembuf *sops, guint nsops, SimSemCtx *ctx)
{
	gboolean completed = FALSE, got_zero = FALSE;
	guint n = sops ? nsops : sma->nsems;
	for (guint i = 0; i < n; i++) {
		guint num = sops ? (guint)sops[i].num : i;
		if (sma->sems[num].semval == 0) {
			got_zero = TRUE;
			completed |= wake_const_ops(sma, (int)num, ctx);
		}
	}
	if (got_zero)
		completed |= wake_const_ops(sma, -1, ctx);
	return completed;
}

/* update_queue: the operations that change values, of semaphore num's list or (-1) the
 * global one, in list order; after a completion the walk starts over when check_restart
 * says so. */
static gboolean update_queue(SimSemArray *sma, int num, SimSemCtx *ctx)
{
	SimWaitQueue *l = num < 0 ? &sma->pending_alter : &sma->sems[num].pending_alter;
	gboolean completed = FALSE;
again:
	for (SimWaiter *w = l->head, *next; w; w = next) {
		next = w->next;
		/* A decrement cannot go at 0, and simple increments never wait. */
		if (num >= 0 && sma->sems[num].semval == 0)
			break;
		SimSemQueue *q = queue_of(w);
		int error = perform(sma, q);
		if (error > 0)
			continue;
		gboolean restart = FALSE;
		sim_waitq_del(w); /* unlink_queue, before the wait-for-zero scan */
		if (error == 0) {
			completed = TRUE;
			wakeup_zero(sma, q->sops, q->nsops, ctx);
			restart = sma->pending_alter.head != NULL || q->nsops > 1;
		}
		wake_queue(ctx, q, -error);
		if (restart)
			goto again;
	}
	return completed;
}

/* do_smart_update: after values changed (sops NULL: which ones is not known). */
static void smart_update(SimSemArray *sma, const SimSembuf *sops, guint nsops, gboolean otime,
			 SimSemCtx *ctx)
{
	otime |= wakeup_zero(sma, sops, nsops, ctx);
	if (sma->pending_alter.head) {
		otime |= update_queue(sma, -1, ctx);
	} else {
		guint n = sops ? nsops : sma->nsems;
		for (guint i = 0; i < n; i++)
			if (!sops || sops[i].op > 0)
				otime |= update_queue(sma, sops ? (int)sops[i].num : (int)i, ctx);
	}
	if (otime) {
		sma->otime = ctx->now;
		sma->has_otime = TRUE;
	}
}

/* ---- Operations ---- */

int sim_sem_op(SimSemArray *sma, SimSemCtx *ctx, const SimSembuf *sops, guint nsops,
	       SimSemUndo *undo, SimWaiter *w, SimSemQueue **queued)
{
	SimSemQueue *q = g_new0(SimSemQueue, 1);
	q->sops = g_memdup2(sops, nsops * sizeof(*sops));
	q->nsops = nsops;
	q->undo = undo;
	q->task = ctx->task;
	q->w = w;
	for (guint i = 0; i < nsops; i++)
		q->alter |= sops[i].op != 0;
	*queued = NULL;
	int error = perform(sma, q);
	if (error == 0) {
		if (q->alter) {
			smart_update(sma, q->sops, nsops, TRUE, ctx);
		} else {
			sma->otime = ctx->now;
			sma->has_otime = TRUE;
		}
	}
	if (error <= 0) {
		sim_sem_queue_free(q);
		return -error;
	}
	w->op = q;
	if (nsops == 1) {
		SimSem *curr = &sma->sems[sops[0].num];
		if (!q->alter)
			sim_waitq_sleep(&curr->pending_const, w);
		else if (complex_count(sma))
			sim_waitq_sleep(&sma->pending_alter, w);
		else
			sim_waitq_sleep(&curr->pending_alter, w);
	} else {
		if (!complex_count(sma))
			merge_queues(sma);
		sim_waitq_sleep(q->alter ? &sma->pending_alter : &sma->pending_const, w);
	}
	*queued = q;
	return SIM_BLOCKED;
}

void sim_sem_setval(SimSemArray *sma, SimSemCtx *ctx, guint num, gint64 val)
{
	for (guint i = 0; i < sma->undos->len; i++)
		((SimSemUndo *)g_ptr_array_index(sma->undos, i))->semadj[num] = 0;
	sma->sems[num].semval = val;
	sma->sems[num].sempid = ctx->task;
	sma->ctime = ctx->now;
	smart_update(sma, NULL, 0, FALSE, ctx);
}

void sim_sem_setall(SimSemArray *sma, SimSemCtx *ctx, const gint64 *vals)
{
	for (guint i = 0; i < sma->nsems; i++) {
		sma->sems[i].semval = vals[i];
		sma->sems[i].sempid = ctx->task;
	}
	for (guint i = 0; i < sma->undos->len; i++) {
		SimSemUndo *u = g_ptr_array_index(sma->undos, i);
		memset(u->semadj, 0, sma->nsems * sizeof(gint64));
	}
	sma->ctime = ctx->now;
	smart_update(sma, NULL, 0, FALSE, ctx);
}

/* check_qop: a complex waiter counts for the semaphore it is blocked on. */
static gint64 count_list(const SimWaitQueue *l, guint num, gboolean zero)
{
	gint64 n = 0;
	for (const SimWaiter *w = l->head; w; w = w->next) {
		const SimSemQueue *q = queue_of(w);
		const SimSembuf *sop = &q->sops[q->blocking];
		if ((guint)sop->num == num && (zero ? sop->op == 0 : sop->op < 0))
			n++;
	}
	return n;
}

gint64 sim_sem_count(const SimSemArray *sma, guint num, gboolean zero)
{
	/* count_semcnt: everyone on the semaphore's own list, then the global lists. */
	const SimSem *s = &sma->sems[num];
	gint64 n = zero ? s->pending_const.len : s->pending_alter.len;
	n += count_list(&sma->pending_alter, num, zero);
	if (zero)
		n += count_list(&sma->pending_const, num, zero);
	return n;
}

static guint fail_all(SimWaitQueue *l, SimSemCtx *ctx)
{
	guint n = 0;
	while (l->head) {
		sim_waitq_wake(ctx->wake, l->head, EIDRM);
		n++;
	}
	return n;
}

guint sim_sem_remove(SimSemNs *ns, SimSemArray *sma, SimSemCtx *ctx)
{
	/* freeary: the undo records go, then the waiters in the kernel's order. */
	for (guint i = 0; i < sma->undos->len; i++)
		undo_unlink_free(g_ptr_array_index(sma->undos, i));
	g_ptr_array_set_size(sma->undos, 0);
	guint n = fail_all(&sma->pending_const, ctx) + fail_all(&sma->pending_alter, ctx);
	for (guint i = 0; i < sma->nsems; i++)
		n += fail_all(&sma->sems[i].pending_const, ctx) +
		     fail_all(&sma->sems[i].pending_alter, ctx);
	sma->removed = TRUE;
	ns->used_sems -= sma->nsems;
	sim_ipcids_free(&ns->ids, sma->perm.id);
	return n;
}

void sim_sem_exit(SimSemUndo **head, SimSemCtx *ctx)
{
	while (*head) {
		SimSemUndo *u = *head;
		SimSemArray *sma = u->sma;
		g_ptr_array_remove(sma->undos, u);
		for (guint i = 0; i < sma->nsems; i++) {
			if (!u->semadj[i])
				continue;
			/* Linux clamps the result to [0, SEMVMX] rather than skip the undo. */
			SimSem *s = &sma->sems[i];
			s->semval = CLAMP(s->semval + u->semadj[i], 0, SIM_SEMVMX);
			s->sempid = ctx->task;
		}
		smart_update(sma, NULL, 0, TRUE, ctx);
		sim_sem_unlock(sma);
		undo_unlink_free(u);
	}
}

void sim_sem_interrupt(SimWakeList *wake, SimWaiter *w, int why)
{
	if (!w->done) /* completed already: its result stands */
		sim_waitq_post(wake, w, why, TRUE);
}

void sim_sem_abandon(SimSemQueue *q, SimSemArray *sma)
{
	if (q->w->queue)
		sim_waitq_del(q->w);
	q->w->op = NULL;
	if (sma)
		sim_sem_unlock(sma);
	sim_sem_queue_free(q);
}

/* ---- Debug ---- */

/* Every waiter's record is its own; one on a semaphore's list waits on that semaphore. */
static gboolean list_check(const SimWaitQueue *l, int num)
{
	if (!sim_waitq_check(l))
		return FALSE;
	for (const SimWaiter *w = l->head; w; w = w->next) {
		const SimSemQueue *q = queue_of(w);
		if (!q || q->w != w || (num >= 0 && (q->nsops != 1 || q->sops[0].num != num)))
			return FALSE;
	}
	return TRUE;
}

gboolean sim_sem_check(const SimSemArray *sma)
{
	for (guint i = 0; i < sma->nsems; i++) {
		if (sma->sems[i].semval < 0 || sma->sems[i].semval > SIM_SEMVMX) /* 1 */
			return FALSE;
		if (!list_check(&sma->sems[i].pending_alter, (int)i) ||
		    !list_check(&sma->sems[i].pending_const, (int)i))
			return FALSE;
	}
	if (!list_check(&sma->pending_alter, -1) || !list_check(&sma->pending_const, -1))
		return FALSE;
	if (complex_count(sma) == 0 && sma->pending_alter.head) /* 3 */
		return FALSE;
	if (sma->removed &&
	    (sma->pending_alter.len || sma->pending_const.len || sma->undos->len)) /* 4 */
		return FALSE;
	return TRUE;
}

/* ---- The deadlock report ---- */

void sim_sem_describe_wait(const SimSemArray *sma, const SimSemQueue *q, GString *out)
{
	if (!q || q->blocking >= q->nsops)
		return;
	const SimSembuf *b = &q->sops[q->blocking];
	guint num = (guint)b->num;
	g_string_append_printf(out, "semaphore %u, op %s%" G_GINT64_FORMAT, num,
			       b->op > 0 ? "+" : "", b->op);
	if (num < sma->nsems)
		g_string_append_printf(out, ", value %" G_GINT64_FORMAT, sma->sems[num].semval);
	if (q->nsops > 1) {
		g_string_append(out, "; in");
		for (guint i = 0; i < q->nsops; i++)
			g_string_append_printf(
				out, " (%" G_GINT64_FORMAT ", %s%" G_GINT64_FORMAT ")",
				q->sops[i].num, q->sops[i].op > 0 ? "+" : "", q->sops[i].op);
	}
	if (sma->nsems > 1) {
		g_string_append(out, "; the set holds");
		for (guint i = 0; i < sma->nsems && i < 16; i++)
			g_string_append_printf(out, " %" G_GINT64_FORMAT, sma->sems[i].semval);
		if (sma->nsems > 16)
			g_string_append(out, " ...");
	}
}
