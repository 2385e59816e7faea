/* xcheck_free_async.c — what happens on its own in a free run: a fork's child or a thread
 * comes to life, a signal arrives, a timeout fires, a sleep or a start time passes.
 *
 * The free driver (xcheck_free.c) makes each call in the model in the order the kernel
 * began them, once the kernel answered it or while it sleeps there. That rule is enough
 * for what one call does to another; this file adds what the kernel does by itself:
 *
 *   - fork and thread: the child's worker (forked by its parent's, real.h) is taken on
 *     when the model makes the call, as the lockstep does, so the child's calls can go;
 *   - a signal's default action: the model's KILLED event is matched with the real death;
 *     a handler's EINTR is an answer like any other, made in the model by the kill; a
 *     handler with SA_RESTART sends the call back to sleep in the kernel, and the model
 *     makes it again at once, so that both queue it behind those already waiting;
 *   - a timeout: a call the model has blocked in a timed wait is timed out in the model
 *     only when the kernel's answer is the timeout's (ETIMEDOUT, semtimedop's EAGAIN, a
 *     poll that found nothing); any other answer waits for the call that woke it;
 *   - a handler body's kill: the kernel's handler made it, stamped, and the model makes
 *     it in that order (xcheck_handler.c, xcheck_free.c's step_answered);
 *   - an alarm: a pending one is made to come at a random moment, as the exploration
 *     places it anywhere (xcheck_free.c's alarms(): the kernel's timer let expire at
 *     once, real_alarm.c, then the model's SIGALRM, NAME! in the schedule);
 *   - model time: a sleep, a start time and a timeout take that much real time, at most
 *     FREE_TIME_CAP_US, so that runs stay short and every order stays possible.
 *
 * The design choice to know: a call the model has made that leaves its sleep in the
 * kernel (timed, or woken in the model) stops the model until it answers or sleeps again.
 * A timed call's answer says whether its timeout came before the call that might have
 * woken it, and the model must make the two in that order: the timeout first when it was
 * one, or the waker first. Of several woken at once (SysV senders when room is made), the
 * ones that went through are made first, then those that went back to sleep.
 */
#include "real/xcheck_int.h"

#include <errno.h>

#include "msgsim/explore/explore.h"

#define FREE_TIME_CAP_US 20000 /* the longest real time a model duration takes */

/* ---- What a free run cannot do ---- */

/* Why st cannot be run free, or NULL. */
static const char *free_refused(const SimStmt *st)
{
	(void)st; /* nothing today: an alarm comes when the coordinator makes it come */
	return NULL;
}

static const SimStmt *refused_in(const SimBlock *b, const char **why)
{
	for (guint i = 0; i < b->n_stmts; i++) {
		const SimStmt *st = &b->stmts[i];
		if ((*why = free_refused(st)) != NULL)
			return st;
		const SimBlock *body = sim_stmt_body(st);
		const SimStmt *in = body ? refused_in(body, why) : NULL;
		if (in)
			return in;
	}
	return NULL;
}

char *sim_xcheck_free_unsupported(const SimScenario *scn)
{
	char *why = sim_xcheck_unsupported(scn);
	if (why)
		return why;
	for (guint i = 0; i < scn->n_bodies; i++) {
		const char *what = NULL;
		const SimStmt *st = refused_in(&scn->bodies[i]->block, &what);
		if (st)
			return g_strdup_printf("line %u: %s: not run free: %s", st->loc.line,
					       sim_call_desc(st->kind)->name, what);
	}
	return NULL;
}

/* ---- Children and threads ---- */

void xc_free_started(Xc *xc, SimWorld *w, const SimTask *t, const SimStmt *st)
{
	XTask *x = &xc->x[t->id];
	if (!stmt_word(st) || !x->sent || !x->answered)
		return;
	if (x->op == SIM_REAL_FORK && x->res.ret > 0) {
		XTask *kid = &xc->x[st->ep.index];
		sim_real_worker_adopt(&kid->wk, (pid_t)x->res.ret);
		kid->started = TRUE;
		kid->pid = kid->wk.pid;
		w->tasks[st->ep.index].pid = kid->pid; /* the model's fork returns it */
	}
	xc_thread_started(xc, w, st, x);
}

/* ---- Timeouts ---- */

gboolean xc_free_timed_out(const XTask *x)
{
	if (!x->answered)
		return FALSE;
	switch (x->op) {
	case SIM_REAL_MQ_SEND:
	case SIM_REAL_MQ_RECEIVE:
		return x->res.err == ETIMEDOUT;
	case SIM_REAL_SEMOP: /* semtimedop says EAGAIN when its time is up */
		return x->res.err == EAGAIN;
	case SIM_REAL_POLL:
	case SIM_REAL_SELECT:
		return x->res.err == 0 && x->res.ret == 0;
	default:
		return FALSE;
	}
}

/* Is x's call asleep in the kernel (its answer not waiting)? */
static gboolean asleep(const XTask *x)
{
	long nr = xc_blocking_nr(x->op);
	return nr >= 0 && sim_real_blocked_in(x->wk.pid, nr) && !sim_real_ready(&x->wk);
}

gboolean xc_free_waking(Xc *xc, guint i)
{
	const XTask *x = &xc->x[i];
	const SimTask *t = &xc->w->tasks[i];
	if (!x->sent || x->answered || x->died)
		return FALSE;
	/* Blocked in the model in an untimed call: nothing but a model step can end it. */
	if (t->state == SIM_STATE_BLOCKED && !x->timed)
		return FALSE;
	return !asleep(x) && !sim_real_ready(&x->wk);
}

/* Task i's call stopped between two pieces in the model (a long stream send, sock.h): did a
 * reader it woke there take just what is queued now in the kernel (a short read, between
 * the pieces)? Then the model makes that read first. When and in which order the two came
 * back says nothing of it: a reader that read on into the second piece often returns before
 * the sender, so its answer decides. */
static gboolean woken_came_first(Xc *xc, guint i)
{
	for (guint j = 0; j < xc->n; j++) {
		const XTask *y = &xc->x[j];
		const SimTask *u = &xc->w->tasks[j];
		if (j == i || !u->resuming || u->yielded || u->state != SIM_STATE_READY ||
		    !y->sent || !y->answered || y->res.err)
			continue;
		const SimStmt *st = sim_world_next_stmt(xc->w, j);
		if (st && sim_call_sock_reads_now(u, st, y->res.ret))
			return TRUE;
	}
	return FALSE;
}

gboolean xc_free_finishes(Xc *xc, guint i)
{
	const XTask *x = &xc->x[i];
	const SimTask *t = &xc->w->tasks[i];
	/* Still blocked in the model: only its timeout may end it there. */
	if (t->state == SIM_STATE_BLOCKED)
		return !x->died && xc_free_timed_out(x);
	if (t->yielded && !x->died && woken_came_first(xc, i))
		return FALSE;
	return x->answered || x->died; /* woken in the model, answered by the kernel */
}

gboolean xc_free_restarted(Xc *xc, guint i)
{
	const XTask *x = &xc->x[i];
	const SimTask *t = &xc->w->tasks[i];
	return t->state != SIM_STATE_BLOCKED && !x->answered && !x->died && asleep(x);
}

/* ---- Model time as real time ---- */

static gint64 capped_us(SimTime d)
{
	if (d <= 0)
		return 0;
	return MIN(d / 1000, (SimTime)FREE_TIME_CAP_US);
}

gint64 xc_free_deadline_ns(Xc *xc, SimWorld *w, const SimTask *t, SimTimeoutKind timeout,
			   SimTime timeout_at)
{
	XTask *x = &xc->x[t->id];
	SimTime d = timeout == SIM_TIMEOUT_RELATIVE ? timeout_at : timeout_at - sim_world_now(w);
	gint64 us = capped_us(d);
	x->timed = TRUE;
	x->deadline_us = g_get_monotonic_time() + us;
	return us * 1000;
}

gint64 xc_free_start_us(const SimWorld *w, guint i)
{
	const SimTask *t = &w->tasks[i];
	if (t->state == SIM_STATE_NEW && t->proc->start == SIM_START_AT)
		return capped_us(t->proc->start_time);
	return 0;
}

gint64 xc_free_sleep_us(const SimStmt *st)
{
	return st && st->kind == SIM_STMT_SLEEP ? capped_us(st->ctl.duration) : 0;
}

/* ---- The observed outcome ---- */

char *xc_free_replay(const SimScenario *scn, const SimXcheckOptions *opt, const char *schedule,
		     GError **error)
{
	g_autoptr(SimSchedule) s = sim_schedule_parse(scn, *schedule ? schedule : "-", error);
	if (!s)
		return NULL;
	g_autoptr(SimObserver) obs = sim_observer_new(scn->n_procs);
	SimWorldOptions wo = { .seed = opt->seed,
			       .seed_set = opt->seed_set,
			       .max_steps = opt->max_steps,
			       .max_time = opt->max_time,
			       .max_memory = opt->max_memory,
			       .hook = { sim_observer_hook, obs } };
	sim_schedule_options(s, &wo);
	g_autoptr(SimWorld) w = sim_world_new(scn, &wo);
	if (!sim_schedule_run(s, w, error))
		return NULL;
	return sim_observer_outcome(obs, w);
}
