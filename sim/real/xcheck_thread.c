/* xcheck_thread.c — the lockstep's side of threads: a thread's worker is a real thread of
 * its process's worker (real_thread.c), started from a channel slot as a fork's child is.
 *
 * The design choice to know: the coordinator talks to each thread as to a worker of its
 * own (its XTask, whose pid is the thread's tid, so that the /proc probes read that thread),
 * but the ends differ. A thread whose body ends is told SIM_REAL_THREAD_END and goes alone.
 * exit in any thread (or the main body's end) ends the whole real process, and with it the
 * calls its other threads were in: the model's other tasks of that process end with it
 * (SIM_GROUP_ENDED), and here they are matched against that one real end.
 */
#include "real/xcheck_int.h"

#include <sys/wait.h>

#include "engine/world_int.h"

gboolean xc_is_kid(const SimScnProc *p)
{
	return p->start == SIM_START_FORK || p->start == SIM_START_THREAD;
}

void xc_thread_started(Xc *xc, SimWorld *w, const SimStmt *st, const XTask *x)
{
	(void)w;
	xc_notify_armed(xc, st, x);
	if (x->op != SIM_REAL_THREAD || !x->answered || x->res.ret <= 0)
		return;
	XTask *th = &xc->x[st->ep.index];
	sim_real_worker_adopt(&th->wk, (pid_t)x->res.ret);
	th->started = TRUE;
	th->pid = th->wk.pid; /* the tid: /proc/TID shows the thread's own call */
}

/* A thread's body ended: it ends alone (pthread_exit). */
static void thread_returned(Xc *xc, const SimTask *t, XTask *x)
{
	SimRealResult r;
	if (!xc_call_now(xc, &x->wk, SIM_REAL_THREAD_END, NULL, NULL, &r, NULL))
		return;
	x->gone = TRUE;
	xc_kernel_end(xc, t, TRUE, 0, 0);
	xc_row(xc, t, "exit", 0, "thread ends", r.err ? "thread did not end" : "thread ends",
	       r.err == 0);
}

/* t ended with its process, by another task's exit: the real process is that task's to
 * end (its worker's exit), so here the row only records it; the leader's real status is
 * checked where the coordinator reaps it. */
static void ended_with_process(Xc *xc, const SimTask *t, XTask *x)
{
	g_autofree char *mt = g_strdup_printf("exit %" G_GINT64_FORMAT " (its process)",
					      t->exit_code);
	gint64 code = t->exit_code;
	if (x->gone && x->wk.own_child && x->wk.status >= 0 && WIFEXITED(x->wk.status))
		code = WEXITSTATUS(x->wk.status);
	g_autofree char *kt =
		g_strdup_printf("exit %" G_GINT64_FORMAT " (its process)", code);
	x->gone = TRUE;
	xc_kernel_end(xc, t, TRUE, code, 0);
	xc_row(xc, t, "exit", 0, mt, kt, code == t->exit_code);
}

gboolean xc_thread_exited(Xc *xc, const SimTask *t)
{
	XTask *x = &xc->x[t->id];
	if (t->group_end == SIM_GROUP_ENDED) {
		xc->step++;
		ended_with_process(xc, t, x);
		return TRUE;
	}
	if (t->proc->start == SIM_START_THREAD && t->group_end == 0 && x->started && !x->gone) {
		xc->step++;
		thread_returned(xc, t, x);
		return TRUE;
	}
	xc_notify_unfired(xc, t); /* the process ends: what its registrations left */
	return FALSE;
}

void xc_thread_process_gone(Xc *xc, const SimTask *t)
{
	const SimWorld *w = xc->w;
	if (!w->tasks[t->group].threaded)
		return;
	/* The calls its other threads were in end with the process: their answers are the
	 * workers' deaths, read now so that nothing waits for them. */
	for (guint i = 0; i < xc->n; i++) {
		XTask *y = &xc->x[i];
		if (w->tasks[i].group != t->group || i == (guint)t->id || !y->started)
			continue;
		if (y->sent && !y->answered)
			xc_collect(xc, y, xc->opt->step_ms);
		y->sent = y->answered = FALSE;
		y->died = FALSE;
		y->gone = TRUE;
	}
	XTask *lead = &xc->x[t->group];
	if (lead->wk.own_child && lead->wk.pid > 0 && t->group != t->id) {
		sim_real_wait_gone(&lead->wk, xc->opt->step_ms);
	} else if (lead->pid > 0 && t->group != t->id) {
		/* A forked process that a thread's exit ended: its leader is a zombie only once
		 * every thread is gone, and until then its pid looks reaped (xc_task_pid), so a
		 * parent's wait made at once would say ECHILD. Wait for it, as for an exit. */
		gint64 deadline = g_get_monotonic_time() + (gint64)xc->opt->step_ms * 1000;
		while (!sim_real_pid_finished(lead->pid) && g_get_monotonic_time() < deadline &&
		       sim_real_stop_pause(100))
			;
	}
}
