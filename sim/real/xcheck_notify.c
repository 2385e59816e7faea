/* xcheck_notify.c — the lockstep's side of mq_notify with SIGEV_THREAD: the thread that runs
 * the notification's body is a real thread of the owner's worker, started by the kernel's
 * notification as the model starts it.
 *
 * The worker registers as glibc does (real_notify.c: a netlink socket, the raw mq_notify
 * with a cookie holding the sigev_value) and makes the thread right away, on the channel
 * slot the coordinator prepared for the body, as for a `thread` statement; the thread then
 * waits for commands. When the model's notification fires (a send into the empty queue
 * starts the thread's task), the coordinator has that thread read the cookie the kernel
 * queued on the socket, without waiting: the kernel queues it inside the mq_send that fired
 * it, so after that call has returned it is there or was never sent. One row compares the
 * two: the model's start with its `sival`, the kernel's NOTIFY_WOKENUP cookie with the
 * value in it. From there on the thread's calls run in that real thread like any thread's.
 *
 * The one design choice to know: the real thread exists from the registration on, before
 * the model's, so that the notification never needs the owner's worker, which may be asleep
 * in a call of its own then; it only waits for commands until the model starts its task.
 * What glibc's thread knows of the notification is the cookie alone: no siginfo reaches it,
 * and the body sees its sigev_value as `sival`, the one value compared.
 */
#include "real/xcheck_int.h"

#include <errno.h>
#include <string.h>

#define NOTIFY_WOKENUP 1 /* the cookie's last byte (ipc/mqueue.c) */
#define NOTIFY_REMOVED 2

/* Records, for every SIGEV_THREAD thread of b, the statement that registers it. */
static void find_in(Xc *xc, const SimBlock *b)
{
	for (guint i = 0; i < b->n_stmts; i++) {
		const SimStmt *st = &b->stmts[i];
		if (st->kind == SIM_STMT_MQ_NOTIFY &&
		    SIM_STMT_ARGS(st, SIM_CALL_POSIX, mq).notify == SIM_NOTIFY_THREAD)
			xc->x[SIM_STMT_ARGS(st, SIM_CALL_POSIX, mq).thread].nt_reg = st;
		if (sim_stmt_body(st))
			find_in(xc, sim_stmt_body(st));
	}
}

void xc_notify_armed(Xc *xc, const SimStmt *st, const XTask *x)
{
	if (x->op != SIM_REAL_MQ_NOTIFY_THREAD || !x->answered || x->res.ret != 0 ||
	    x->res.ret2 <= 0)
		return;
	XTask *th = &xc->x[SIM_STMT_ARGS(st, SIM_CALL_POSIX, mq).thread];
	if (th->nt_state != 0 || th->wk.pid != 0)
		return; /* one statement registers it, and outside any loop: never twice */
	sim_real_worker_adopt(&th->wk, (pid_t)x->res.ret2);
	th->pid = th->wk.pid; /* the tid: /proc/TID shows the thread's own call */
	th->nt_fd = (int)x->res.stat[0];
	th->nt_owner = xc->w->tasks[x - xc->x].group;
	th->nt_state = 1;
}

/* What the kernel queued on the socket, as a row shows it. */
static char *cookie_text(const SimRealResult *r)
{
	if (r->ret < 0)
		return g_strdup_printf("no notification (%s)", sim_errno_name(r->err));
	if (r->ret2 == NOTIFY_WOKENUP)
		return g_strdup_printf("notified, sival=%" G_GINT64_FORMAT, r->stat[0]);
	if (r->ret2 == NOTIFY_REMOVED)
		return g_strdup("registration removed (NOTIFY_REMOVED)");
	return g_strdup_printf("a cookie of %" G_GINT64_FORMAT " bytes ending in %" G_GINT64_FORMAT,
			       r->ret, r->ret2);
}

/* The model has started task i, a SIGEV_THREAD thread: the kernel must have queued its
 * cookie. */
static void notified(Xc *xc, SimWorld *w, guint i)
{
	XTask *x = &xc->x[i];
	const SimTask *t = &w->tasks[i];
	const SimStmt *reg = x->nt_reg;
	gint64 sival = SIM_STMT_ARGS(reg, SIM_CALL_POSIX, mq).sival;
	g_autofree char *mt = g_strdup_printf("notified, sival=%" G_GINT64_FORMAT, sival);
	xc->step++;
	if (x->nt_state != 1) {
		x->nt_state = 2;
		xc_row(xc, t, "recv", reg->loc.line, mt, "not registered", FALSE);
		fail(xc,
		     "the model starts SIGEV_THREAD thread %s (line %u), which the kernel never "
		     "registered",
		     t->name, reg->loc.line);
		return;
	}
	x->nt_state = 2;
	x->started = TRUE;
	gint64 a[6] = { x->nt_fd };
	SimRealResult r;
	if (!xc_call_now(xc, &x->wk, SIM_REAL_NOTIFY_RECV, a, NULL, &r, NULL))
		return;
	g_autofree char *kt = cookie_text(&r);
	xc_row(xc, t, "recv", reg->loc.line, mt, kt,
	       r.ret > 0 && r.ret2 == NOTIFY_WOKENUP && r.stat[0] == sival);
}

/* Does the model still hold thread i's registration (some queue would start it)? */
static gboolean still_registered(const SimWorld *w, guint i)
{
	for (guint k = 0; k < w->mqueues->len; k++) {
		const SimMqueue *q = g_ptr_array_index(w->mqueues, k);
		if (q->notify_task >= 0 && q->notify_kind == SIM_NOTIFY_THREAD &&
		    q->notify_sig == (int)i)
			return TRUE;
	}
	return FALSE;
}

void xc_notify_follow(Xc *xc, SimWorld *w, const SimTask *t, SimCallPhase ph)
{
	if (!xc->nt_found) {
		xc->nt_found = TRUE;
		for (guint b = 0; b < xc->scn->n_bodies; b++)
			find_in(xc, &xc->scn->bodies[b]->block);
	}
	/* The model's end of a process drops its registrations before this event, the
	 * kernel's after xc_notify_unfired has looked: that end is not counted. */
	gboolean ending = t && (ph == SIM_CALL_EXITED || ph == SIM_CALL_KILLED);
	for (guint i = 0; i < xc->n && !xc->failed; i++) {
		XTask *x = &xc->x[i];
		if (!x->nt_reg)
			continue;
		if (x->nt_state == 1 && !(ending && x->nt_owner == t->group))
			x->nt_held = still_registered(w, i);
		if (x->nt_state != 2 && w->tasks[i].state != SIM_STATE_NEW)
			notified(xc, w, i);
	}
}

void xc_notify_unfired(Xc *xc, const SimTask *t)
{
	const SimWorld *w = xc->w;
	for (guint i = 0; i < xc->n && !xc->failed; i++) {
		XTask *x = &xc->x[i];
		if (x->nt_state != 1 || x->nt_owner != t->group || xc->x[t->group].gone)
			continue;
		x->nt_state = 2;
		const char *mt = x->nt_held ? "not notified, still registered"
					    : "not notified, registration removed (NOTIFY_REMOVED)";
		gint64 a[6] = { x->nt_fd };
		SimRealResult r;
		if (!xc_call_now(xc, &x->wk, SIM_REAL_NOTIFY_RECV, a, NULL, &r, NULL))
			return;
		g_autofree char *kt = NULL;
		if (r.ret < 0 && r.err == EAGAIN)
			kt = g_strdup("not notified, still registered");
		else if (r.ret > 0 && r.ret2 == NOTIFY_REMOVED)
			kt = g_strdup("not notified, registration removed (NOTIFY_REMOVED)");
		else
			kt = cookie_text(&r);
		xc->step++;
		xc_row(xc, &w->tasks[i], "recv", x->nt_reg->loc.line, mt, kt, strcmp(mt, kt) == 0);
	}
}
