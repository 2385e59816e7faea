/* xcheck_free.c — free runs: the scenario on the real kernel without lockstep, each run's
 * outcome looked up in the explored outcome set (`msgsim crosscheck --free N`).
 *
 * A free run uses the lockstep's whole machinery - the coordinator process, the sandbox,
 * the workers, the families' replay hooks, the comparison of each call and of the final
 * state, the clean-up on every exit path and on a stop signal (xcheck.c) - and changes
 * only who decides the order. The driver here sends every worker its next call once its
 * last one has returned, after a random delay and pinned to a random CPU; which process
 * goes next, who wins a race and whom the kernel wakes are the kernel's. The model world
 * follows: a call is made in the model in the order the kernel began them (the workers
 * stamp each call), once the kernel answered it or while it sleeps there, so its operands
 * (ids, descriptors, texts, loop counters) come from a model that has seen what the
 * process has seen.
 *
 * The design choice to know: only an order the coordinator can see is followed. A call
 * starts when every other call in the kernel has returned or sleeps (unless free_overlap),
 * so the order calls began in is the order the kernel made them in; a woken call's answer
 * may still come before its waker's, so a call the model blocks stays blocked there, with
 * the kernel's answer kept, until a later step of the model wakes it, and only a call the
 * model finishes is compared. A run in which every call and the final state agree has the
 * model's outcome as its observed one: the steps the model made are kept as a witness,
 * and a fresh model world replays them for an observer (explore.h), which writes the
 * outcome in the explorer's own text, with the model's pids; a run where they do not
 * agree is "diverged", and its log names the call. What happens in a run on its own
 * (children, signals, timeouts, model time as real time) is xcheck_free_async.c's.
 *
 * The caller's side (sim_xcheck_free) explores first, runs the n free runs one after the
 * other through sim_xcheck_run, and writes the report.
 */
#define _GNU_SOURCE
#include "real/xcheck_int.h"

#include <sched.h>
#include <string.h>
#include <unistd.h>

#include "engine/interp_int.h"
#include "msgsim/explore/explore.h"

#define FREE_DELAY_US 2000 /* the longest random delay before a call, by default */
/* A long-running process's delays are thinned out, so that a run of 65,000 calls takes
 * seconds, not minutes: each task's first FREE_DELAYED calls are all delayed, and after
 * them one call in FREE_LATE_EVERY, drawn at random, so the shaking goes on to the end. */
#define FREE_DELAYED 256
#define FREE_LATE_EVERY 64
#define FREE_QUIET_MS 300  /* all asleep this long: a deadlock, by default */
#define FREE_SHOW_NEVER 8    /* model outcomes never observed that the report shows */

/* A free run's own state, in the coordinator. */
typedef struct XFree {
	GString *schedule; /* the steps made in the model, as a witness (no trailing comma) */
	int last;	   /* the task of the last step, and how many it made in a row */
	guint run;
	GRand *rng;
	gint64 *not_before; /* by task: when its next call may go (0: not drawn yet) */
	guint *n_drawn;	    /* by task: how many delays were drawn for it */
	int n_cpus;
	guint cpus[64];
	gint64 *sent_at;     /* by task: when its call in the kernel was sent */
	gboolean *in_model;  /* by task: ... and the model has made it too (and blocked it) */
	SimStmt patched; /* the call about to go out, its ${...} operands evaluated */
	int issue_at_start; /* task + 1 whose call goes out as the model starts it, or 0 */
	gint64 *alarm_at;   /* by task: when its pending alarm is made to come (0: not drawn) */
	char *outcome;	 /* at the end (owned) */
	gboolean deadlock;
} XFree;

/* ---- The coordinator's side ---- */

void xc_free_hook(Xc *xc, SimWorld *w, const SimTask *t, const SimStmt *st, SimCallPhase ph,
		  gboolean left)
{
	xc_notify_follow(xc, w, t, ph); /* a notification the last call fired starts its thread */
	if (left)
		; /* the model's alone: nothing to compare */
	else if (xc_handler_free_call(xc, w, t, st, ph))
		; /* a handler body's kill, made by the kernel's handler */
	else if (ph == SIM_CALL_STARTED && xc->free->issue_at_start == (int)t->id + 1 &&
		 stmt_word(st)) {
		/* The step that ends a handler's body makes this call: it goes out now, with
		 * the operands of the program the body returned to. */
		xc->free->issue_at_start = 0;
		xc_issue(xc, w, t, st);
	} else if (ph == SIM_CALL_STARTED)
		xc_free_started(xc, w, t, st);
	else if (ph == SIM_CALL_FINISHED)
		xc_lockstep_finished(xc, w, t, st);
	else if (ph == SIM_CALL_EXITED)
		xc_lockstep_exited(xc, t);
	else if (ph == SIM_CALL_KILLED)
		xc_lockstep_killed(xc, t);
}

/* Task i steps in the model, and the step is written down: the observed outcome is the
 * model's own along these steps (xc_free_replay). FALSE when a guard rail stopped it. */
static gboolean step(Xc *xc, guint i)
{
	XFree *f = xc->free;
	if (f->last == (int)i) {
		f->run++;
	} else {
		if (f->run > 1)
			g_string_append_printf(f->schedule, "*%u", f->run);
		g_string_append_printf(f->schedule, "%s%s", f->schedule->len ? "," : "",
				       xc->scn->procs[i].name);
		f->last = (int)i;
		f->run = 1;
	}
	gboolean ok = sim_world_step(xc->w, i);
	if (xc->stops)
		xc_stop_sync(xc, xc->w); /* the stops and continues it made: rows */
	return ok;
}

/* Is x's call, in the kernel, at rest: asleep in it, or its process stopped (a stop signal
 * of the scenario's; the model stops the task too, or has yet to make the kill that did). */
static gboolean at_rest(Xc *xc, const XTask *x)
{
	long nr = xc_blocking_nr(x->op);
	return (nr >= 0 && sim_real_blocked_in(x->wk.pid, nr)) ||
	       (xc->stops && xc_stop_settled(xc, x));
}

/* The CPUs the coordinator may use: the workers are spread over them. */
static void read_cpus(XFree *f)
{
	cpu_set_t set;
	f->n_cpus = 0;
	if (sched_getaffinity(0, sizeof(set), &set) == 0)
		for (guint c = 0; c < CPU_SETSIZE && f->n_cpus < (int)G_N_ELEMENTS(f->cpus); c++)
			if (CPU_ISSET(c, &set))
				f->cpus[f->n_cpus++] = c;
}

/* Pins x's worker to a random CPU: where each process runs shakes the schedule. */
static void place(XFree *f, XTask *x)
{
	if (f->n_cpus < 2 || x->wk.pid <= 0)
		return;
	cpu_set_t set;
	CPU_ZERO(&set);
	CPU_SET(f->cpus[g_rand_int_range(f->rng, 0, f->n_cpus)], &set);
	sched_setaffinity(x->wk.pid, sizeof(set), &set); /* a worker gone says ESRCH: fine */
}

/* Has every call in the kernel returned or gone to sleep? A call starts only then (unless
 * overlap is asked for): two calls that run at once have no order the coordinator can see,
 * while one that starts after the others have settled is made after them. */
static gboolean all_settled(Xc *xc)
{
	for (guint i = 0; i < xc->n; i++) {
		const XTask *x = &xc->x[i];
		if (!x->sent || x->answered || x->died)
			continue;
		if (sim_real_ready(&x->wk))
			return FALSE; /* answered: collected at the next round */
		if (!at_rest(xc, x))
			return FALSE;
	}
	return TRUE;
}

/* st with its ${...} operands evaluated for t, as the interpreter hands a call its
 * statement when it starts (interp.c): the replay hooks read the values there. NULL when
 * one is out of its range or faults: the model's step then stops the run as `run` does. */
static const SimStmt *operands(Xc *xc, const SimTask *t, const SimStmt *st)
{
	if (!st->dyn)
		return st;
	SimStmt *c = &xc->free->patched;
	*c = *st;
	for (guint i = 0; i < st->dyn->n; i++) {
		const SimDynOp *op = &st->dyn->ops[i];
		gint64 v = 0;
		if (!sim_interp_eval(xc->w, t, op->expr, &v))
			return NULL;
		if (op->kind == SIM_DYN_TEXT)
			continue;
		if (v < op->min || v > op->max)
			return NULL;
		*(gint64 *)(void *)((char *)c + op->at) = op->kind == SIM_DYN_TIME ? v * op->unit
										  : v;
	}
	return c;
}

/* A random delay of at most max µs, or 0 where FREE_DELAYED thins the delays out; *n_drawn
 * counts the delays drawn so far for one task. */
gint64 xc_free_draw_delay(GRand *rng, guint *n_drawn, gint64 max)
{
	if (*n_drawn >= FREE_DELAYED && g_rand_int_range(rng, 0, FREE_LATE_EVERY) != 0)
		return 0;
	(*n_drawn)++;
	return g_rand_int_range(rng, 0, (gint32)max + 1);
}

/* The random delay before task i's next call, in µs. */
static gint64 draw_delay(Xc *xc, guint i)
{
	gint64 max = xc->opt->free_delay_us > 0 ? xc->opt->free_delay_us : FREE_DELAY_US;
	return xc_free_draw_delay(xc->free->rng, &xc->free->n_drawn[i], max);
}

/* How long before a timed call's deadline a new call waits for its answer, and how long
 * past it at most (a call whose timer fired answers within a few milliseconds). */
#define FREE_TIMEOUT_GUARD_US 2000
#define FREE_TIMEOUT_LATE_US 200000

/* Whether a timed call asleep in the kernel is at its deadline: its timer may fire while a
 * call made now runs, and their answers would not say which came first (a semctl getncnt
 * that counted the timed waiter or not; sem/rmid-timeout-eintr diverged so about one run
 * in 20 on a loaded machine). A new call waits until the timed one answered, so that the
 * model makes the timeout first, as the kernel did. A stopped task's timed call answers
 * only at its SIGCONT, which may be what waits: it holds nothing. */
static gboolean timeout_due(const Xc *xc, gint64 now)
{
	for (guint i = 0; i < xc->n; i++) {
		const XTask *x = &xc->x[i];
		if (x->sent && !x->answered && !x->died && x->timed && !xc->w->tasks[i].stopped_by &&
		    now >= x->deadline_us - FREE_TIMEOUT_GUARD_US &&
		    now < x->deadline_us + FREE_TIMEOUT_LATE_US)
			return TRUE;
	}
	return FALSE;
}

/* Task i's turn, when it has no call in the kernel: its next call goes to the kernel once
 * its delay is over, or a step with no kernel counterpart is made in the model. A task
 * that sleeps or waits for its start time waits that long for real first (capped: see
 * xcheck_free_async.c). TRUE when something moved; *rail when a guard rail stopped the
 * model. */
static gboolean turn(Xc *xc, guint i, gint64 now, gboolean *rail)
{
	XFree *f = xc->free;
	XTask *x = &xc->x[i];
	SimWorld *w = xc->w;
	const SimStmt *st = xc_handler_next_stmt(xc, i);
	gboolean real = st && stmt_word(st) && !xc->left[st->id];
	gint64 hk_at = 0;
	int body = xc_handler_free_next(xc, i, &hk_at);
	if (body == 2) {
		/* A body's start or a statement of it: the model's alone, but the step may go
		 * on to the body's first kill, so the kernel's handler must have run: an idle
		 * worker is let take its signals first, once the calls in flight settled. */
		if (!xc->opt->free_overlap && !all_settled(xc))
			return FALSE;
		if (!xc_handler_nudge(xc, i))
			return FALSE;
		*rail = !step(xc, i);
		return TRUE;
	}
	if (body == 1 || body == -1) {
		/* A handler body's kill: the kernel's handler makes it, once the worker lets
		 * its caught signals in, so an idle worker is made to (in turn, like a call). */
		if (!xc->opt->free_overlap && !all_settled(xc))
			return FALSE;
		if (body < 0 && !xc_handler_nudge(xc, i))
			return FALSE;
		*rail = !step(xc, i);
		return TRUE;
	}
	/* An end closes descriptors, drops registrations and wakes a parent in the kernel:
	 * it waits, as a call does, until the calls in flight are made in the model. */
	gboolean ends = !st || st->kind == SIM_STMT_EXIT;
	if (ends && !xc->opt->free_overlap && !all_settled(xc))
		return FALSE;
	gint64 start = xc_free_start_us(w, i);
	if (real || start > 0 || w->tasks[i].state == SIM_STATE_SLEEPING) {
		if (f->not_before[i] == 0)
			f->not_before[i] = MAX(now, xc->base_us + start) + draw_delay(xc, i);
		if (now < f->not_before[i] || (real && !xc->opt->free_overlap && !all_settled(xc)))
			return FALSE;
		if (real && !xc->opt->free_overlap && timeout_due(xc, now))
			return FALSE;
		f->not_before[i] = 0;
	}
	if (real && !sim_world_next_stmt(w, i)) {
		/* At a handler body's end, whose variables are not the call's: the call goes
		 * out as the model's step reaches it (xc_free_hook), all else settled. */
		place(f, x);
		f->sent_at[i] = g_get_monotonic_time();
		f->issue_at_start = (int)i + 1;
		*rail = !step(xc, i);
		f->issue_at_start = 0;
		f->in_model[i] = x->sent;
		if (x->sent) /* the model blocked it: the kernel's must be asleep too first */
			xc_quiesce(xc, "a call after a handler's body", x);
		return TRUE;
	}
	if (real) {
		place(f, x);
		const SimStmt *now_st = operands(xc, &w->tasks[i], st);
		f->sent_at[i] = g_get_monotonic_time();
		int sent = now_st ? xc_issue(xc, w, &w->tasks[i], now_st) : 0;
		if (sent != 0)
			return sent > 0;
	}
	*rail = !step(xc, i);
	/* A sleep just begun in the model: the task's next step waits for it for real. */
	if (w->tasks[i].state == SIM_STATE_SLEEPING && xc_free_sleep_us(st) > 0)
		f->not_before[i] = now + xc_free_sleep_us(st);
	return TRUE;
}

/* When x's call began: the worker's stamp once it answered, else (no later than that)
 * when it was sent. */
static gint64 began_at(const Xc *xc, guint i)
{
	const XTask *x = &xc->x[i];
	return x->answered ? x->res.t_start : xc->free->sent_at[i];
}

/* The next call in the kernel made in the model, in the order the kernel began them: the
 * earliest begun is made once it has answered or sleeps in the kernel (then the model
 * blocks it too); while it does neither, nothing is, since it may come before the others.
 * A call the model had blocked and has woken is finished as soon as the kernel answered
 * it. TRUE when a call was made. */
static gboolean step_answered(Xc *xc, const guint *ids, guint k, gboolean *rail)
{
	XFree *f = xc->free;
	gint best = -1, again = -1, body = -1;
	gint64 body_at = G_MAXINT64;
	for (guint j = 0; j < k; j++) {
		guint i = ids[j];
		const XTask *x = &xc->x[i];
		if (!x->sent)
			continue;
		gint64 at = 0;
		int next = xc_handler_free_next(xc, i, &at);
		if (next == 1 || next == -1) {
			/* A body's kill, made when the kernel's handler made it (not yet: wait). */
			if (next > 0 && at < body_at)
				body = (gint)i, body_at = at;
			continue;
		}
		if (next == 2 && !f->in_model[i]) {
			/* The kernel's handler ran as the call began, so the model's body runs
			 * before the call too: its steps, up to a kill, are the task's own. */
			*rail = !step(xc, i);
			return TRUE;
		}
		if (f->in_model[i]) {
			/* A call leaving its sleep: its answer says what came first. */
			if (xc_free_waking(xc, i))
				return FALSE;
			if (again < 0 && xc_free_restarted(xc, i))
				again = (gint)i;
			if (!xc_free_finishes(xc, i))
				continue;
			*rail = !step(xc, i);
			f->in_model[i] = xc->x[i].sent && !xc->x[i].late;
			return TRUE;
		}
		if (best < 0 || began_at(xc, i) < began_at(xc, ids[best]))
			best = (gint)j;
	}
	/* A call woken and asleep again: after the woken that went through (above), before
	 * the calls begun since. */
	if (again >= 0) {
		*rail = !step(xc, (guint)again);
		f->in_model[again] = xc->x[again].sent;
		return TRUE;
	}
	/* The calls begun before a kill a kernel's handler made go first, in the model too;
	 * none begun after it goes before it. */
	gint64 hk_first = MIN(body_at, xc_handler_free_pending(xc));
	if (best >= 0 && began_at(xc, ids[best]) >= hk_first)
		best = -1;
	if (best < 0 && body >= 0) {
		*rail = !step(xc, (guint)body); /* the body's kill: its call stays where it is */
		return TRUE;
	}
	if (best < 0)
		return FALSE;
	guint i = ids[best];
	XTask *x = &xc->x[i];
	if (!x->answered && !x->died && !at_rest(xc, x))
		return FALSE;
	*rail = !step(xc, i);
	/* Still in the kernel: the model blocked it, to be woken by a later step. A call that
	 * stopped its own process is not: its answer comes at the continue (xcheck_stop.c). */
	f->in_model[i] = xc->x[i].sent && !xc->x[i].late;
	return TRUE;
}

/* ---- Alarms: a pending one comes at a random moment, made to by the coordinator ---- */

static gboolean alarm_pending(const SimTask *t)
{
	return t->alarm_at != SIM_TIME_MAX && t->state != SIM_STATE_EXITED;
}

static gboolean any_alarm(Xc *xc)
{
	for (guint i = 0; i < xc->n; i++)
		if (alarm_pending(&xc->w->tasks[i]))
			return TRUE;
	return FALSE;
}

/* Task i's alarm comes now: the kernel's (let expire at once, real_alarm.c), then the
 * model's, written down as NAME!. FALSE when a guard rail stopped the model. */
static gboolean fire_alarm(Xc *xc, guint i)
{
	XFree *f = xc->free;
	XTask *x = &xc->x[i];
	const SimTask *t = &xc->w->tasks[i];
	xc->step++;
	if (!x->started || x->gone || x->died || x->wk.pid <= 0) {
		xc_row(xc, t, "SIGALRM", 0, "due", "no process", FALSE);
	} else {
		g_autoptr(GError) err = NULL;
		int fired = sim_real_alarm_fire(x->wk.pid, xc->opt->step_ms, &err);
		if (fired < 0) {
			fail(xc, "%s", err->message);
			return TRUE;
		}
		xc_row(xc, t, "SIGALRM", 0, "due", fired ? "due" : "no alarm pending", fired == 1);
	}
	if (f->run > 1)
		g_string_append_printf(f->schedule, "*%u", f->run);
	g_string_append_printf(f->schedule, "%s%s!", f->schedule->len ? "," : "", t->name);
	f->last = -1;
	f->run = 0;
	return sim_world_fire_alarm(xc->w, i);
}

/* A pending alarm whose moment (drawn when first seen: up to a few delays on) has come is
 * made to come, once every call in the kernel has settled and the model has made them all:
 * they began before it. TRUE when one came. */
static gboolean alarms(Xc *xc, gint64 now, gboolean *rail)
{
	XFree *f = xc->free;
	for (guint i = 0; i < xc->n; i++)
		if (xc->x[i].sent && !f->in_model[i] && !xc->x[i].died)
			return FALSE;
	gint64 delay = xc->opt->free_delay_us > 0 ? xc->opt->free_delay_us : FREE_DELAY_US;
	for (guint i = 0; i < xc->n; i++) {
		if (!alarm_pending(&xc->w->tasks[i])) {
			f->alarm_at[i] = 0;
			continue;
		}
		if (f->alarm_at[i] == 0)
			f->alarm_at[i] = now + g_rand_int_range(f->rng, 0, (gint32)(4 * delay) + 1);
		if (now < f->alarm_at[i] || (!xc->opt->free_overlap && !all_settled(xc)))
			continue;
		f->alarm_at[i] = 0;
		*rail = !fire_alarm(xc, i);
		return TRUE;
	}
	return FALSE;
}

/* Is every call in the kernel asleep for good, and no task waiting for its delay? A timed
 * call is not: its timeout will end it; nor is a run with an alarm pending. */
static gboolean all_asleep(Xc *xc, const guint *ids, guint k)
{
	if (any_alarm(xc))
		return FALSE;
	for (guint j = 0; j < k; j++) {
		XTask *x = &xc->x[ids[j]];
		if (!x->sent || x->answered || x->died || x->timed)
			return FALSE;
		if (!at_rest(xc, x))
			return FALSE;
	}
	return TRUE;
}

/* The calls still in the kernel at a deadlock are made in the model too, which must block
 * them as well (xc_final_state compares). */
static void block_the_rest(Xc *xc)
{
	for (guint i = 0; i < xc->n && !xc->failed; i++) {
		XTask *x = &xc->x[i];
		if (x->sent && !x->answered && xc->w->tasks[i].state != SIM_STATE_BLOCKED)
			if (!step(xc, i))
				return;
	}
}

void xc_free_drive(Xc *xc)
{
	XFree *f = g_new0(XFree, 1);
	xc->free = f;
	f->schedule = g_string_new(NULL);
	f->last = -1;
	f->rng = g_rand_new_with_seed((guint32)(xc->opt->free_seed ^ (xc->opt->free_seed >> 32)));
	f->not_before = g_new0(gint64, xc->n + 1);
	f->n_drawn = g_new0(guint, xc->n + 1);
	f->sent_at = g_new0(gint64, xc->n + 1);
	f->in_model = g_new0(gboolean, xc->n + 1);
	f->alarm_at = g_new0(gint64, xc->n + 1);
	read_cpus(f);
	int quiet = xc->opt->quiet_ms > 0 ? xc->opt->quiet_ms : FREE_QUIET_MS;
	g_autofree guint *ids = g_new(guint, xc->n + 1);
	gint64 quiet_since = 0, moved_at = g_get_monotonic_time();
	gboolean rail = FALSE;
	while (!xc->failed && !xc->unsupported && !xc_stopped(xc) && !rail) {
		for (guint i = 0; i < xc->n; i++) {
			XTask *x = &xc->x[i];
			if (x->sent && !x->answered && !x->died && sim_real_ready(&x->wk))
				xc_collect(xc, x, xc->opt->step_ms);
		}
		/* A step's notification starts its thread after the step's last event. */
		xc_notify_follow(xc, xc->w, NULL, SIM_CALL_STARTED);
		guint k = sim_world_steppable(xc->w, ids);
		if (k == 0 && !any_alarm(xc))
			break; /* every task ended, or is blocked in the model */
		gint64 now = g_get_monotonic_time();
		/* After a call made in the model, ask again who may step. */
		gboolean moved = step_answered(xc, ids, k, &rail);
		for (guint j = 0; j < k && !moved && !rail && !xc->failed; j++)
			if (!xc->x[ids[j]].sent)
				moved |= turn(xc, ids[j], now, &rail);
		if (!moved && !rail && !xc->failed)
			moved = alarms(xc, now, &rail);
		if (moved) {
			quiet_since = 0;
			moved_at = now;
			continue;
		}
		if (all_asleep(xc, ids, k)) {
			if (quiet_since == 0)
				quiet_since = now;
			else if (now - quiet_since > (gint64)quiet * 1000) {
				f->deadlock = TRUE;
				block_the_rest(xc);
				break;
			}
		} else {
			quiet_since = 0;
			if (now - moved_at > (gint64)xc->opt->step_ms * 1000) {
				fail(xc, "no call returned or slept for %d ms", xc->opt->step_ms);
				break;
			}
		}
		g_usleep(100);
	}
	sim_world_step_end(xc->w);
	if (f->run > 1)
		g_string_append_printf(f->schedule, "*%u", f->run);
	if (!xc->failed && !xc->unsupported && !xc_stopped(xc)) {
		g_autoptr(GError) err = NULL;
		f->outcome = xc_free_replay(xc->scn, xc->opt, f->schedule->str, &err);
		if (!f->outcome)
			fail(xc, "the model cannot replay the order the kernel took (%s): %s",
			     f->schedule->str, err->message);
	}
}

void xc_free_report(Xc *xc, SimXcheckReport *rep)
{
	GString *s = g_string_new(xc->free && xc->free->outcome ? xc->free->outcome : "");
	g_string_append(s, "\f\n");
	if (xc->free)
		g_string_append_printf(s, "schedule: %s\n",
				       xc->free->schedule->len ? xc->free->schedule->str : "-");
	g_string_append(s, xc->rows->str);
	g_free(rep->text);
	rep->text = g_string_free(s, FALSE);
}

void xc_free_clear(Xc *xc)
{
	XFree *f = xc->free;
	if (!f)
		return;
	g_string_free(f->schedule, TRUE);
	g_rand_free(f->rng);
	g_free(f->not_before);
	g_free(f->n_drawn);
	g_free(f->sent_at);
	g_free(f->in_model);
	g_free(f->alarm_at);
	g_free(f->outcome);
	g_free(f);
	xc->free = NULL;
}

/* ---- The caller's side: explore, run n times, report ---- */

/* A search for one outcome (SimExploreOptions.target): not made (the set was complete or
 * held it), found, sure that no schedule reaches it, or cut by its bounds. */
typedef enum { SEARCH_NONE, SEARCH_FOUND, SEARCH_ABSENT, SEARCH_CUT } SearchEnd;

/* One distinct outcome observed. */
typedef struct Seen {
	char *text;
	guint runs;
	guint first_run; /* from 1 */
	gint inside;	 /* index in the explored set, or -1 */
	char *log;	 /* the first run's call log (owned) */
	/* Not in a cut exploration's set: what the search for it alone found
	 * (search_missing()). */
	SearchEnd search;
	char *witness; /* FOUND: a schedule that reaches it (owned) */
	double seconds;
} Seen;

static void seen_free(gpointer p)
{
	Seen *s = p;
	g_free(s->text);
	g_free(s->log);
	g_free(s->witness);
	g_free(s);
}

void sim_xcheck_free_clear(SimXcheckFree *r)
{
	g_free(r->text);
	g_free(r->reason);
	memset(r, 0, sizeof(*r));
}

/* The explored outcome with text, or -1. */
static gint lookup(const SimExploreResult *er, GHashTable *by_hash, const char *text)
{
	gpointer v = g_hash_table_lookup(by_hash, GSIZE_TO_POINTER(sim_outcome_hash(text)));
	if (!v)
		return -1;
	gint i = GPOINTER_TO_INT(v) - 1;
	const SimOutcome *o = g_ptr_array_index(er->outcomes, (guint)i);
	return strcmp(o->text, text) == 0 ? i : -1;
}

/* Appends text indented by four spaces. */
static void indent(GString *s, const char *text)
{
	g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
	for (guint i = 0; lines[i]; i++)
		if (lines[i][0])
			g_string_append_printf(s, "    %s\n", lines[i]);
}

/* One run: its outcome counted in seen (by text), or why it has none. */
static void one_run(SimXcheckFree *fr, const SimExploreResult *er, GHashTable *by_hash,
		    GPtrArray *seen, GString *runs, GString *notes, const SimXcheckReport *rep)
{
	guint r = fr->runs;
	if (rep->verdict == SIM_XCHECK_FAILED) {
		fr->failed++;
		g_string_append_printf(runs, " %u:failed", r);
		g_string_append_printf(notes, "run %u failed: %s\n", r,
				       rep->reason ? rep->reason : "?");
		return;
	}
	const char *ff = strstr(rep->text, "\f\n");
	g_autofree char *text = g_strndup(rep->text, ff ? (gsize)(ff - rep->text) : 0);
	const char *log = ff ? ff + 2 : "";
	if (rep->verdict == SIM_XCHECK_MISMATCH) {
		fr->diverged++;
		g_string_append_printf(runs, " %u:diverged", r);
		if (fr->diverged == 1) {
			g_string_append_printf(notes,
					       "run %u diverged: the kernel did what the model, "
					       "following its order, did not; its call log:\n",
					       r);
			indent(notes, log);
		}
		return;
	}
	Seen *s = NULL;
	for (guint i = 0; i < seen->len && !s; i++)
		if (strcmp(((Seen *)g_ptr_array_index(seen, i))->text, text) == 0)
			s = g_ptr_array_index(seen, i);
	if (!s) {
		s = g_new0(Seen, 1);
		s->text = g_strdup(text);
		s->first_run = r;
		s->inside = lookup(er, by_hash, text);
		s->log = g_strdup(log);
		g_ptr_array_add(seen, s);
	}
	s->runs++;
	guint idx = 0;
	while (g_ptr_array_index(seen, idx) != s)
		idx++;
	g_string_append_printf(runs, " %u:#%u", r, idx + 1);
}

/* Where an observed outcome stands. */
static const char *seen_verdict(const SimExploreResult *er, const Seen *o)
{
	if (o->inside >= 0)
		return "inside the model's set";
	switch (o->search) {
	case SEARCH_FOUND:
		return "inside the model's set: found by a search for it";
	case SEARCH_ABSENT:
		return "OUTSIDE the model's set: a fidelity bug: no schedule reaches it";
	case SEARCH_CUT:
		return "not found: unknown (the search for it was cut too)";
	case SEARCH_NONE:
		break;
	}
	return er->complete ? "OUTSIDE the model's set: a fidelity bug" : "not found: unknown";
}

/* Each observed outcome that a cut exploration did not meet, looked for alone: the search
 * follows only the schedules along which every process gets the results it got, so it
 * ends far sooner than the whole set's (explore.h, target). Then the runs are counted as
 * outside (a fidelity bug) or unknown. */
static void search_missing(SimXcheckFree *fr, const SimScenario *scn, const SimXcheckOptions *opt,
			   const SimExploreResult *er, double max_seconds, GPtrArray *seen)
{
	for (guint i = 0; i < seen->len; i++) {
		Seen *o = g_ptr_array_index(seen, i);
		if (o->inside >= 0)
			continue;
		if (!er->complete) {
			/* Doctored (tests): the model looks for something no schedule gives. */
			g_autofree char *want = opt->doctor ? g_strconcat(o->text, "doctored\n", NULL)
							    : g_strdup(o->text);
			SimExploreOptions eo = { .timing = SIM_TIMING_ANY,
						 .stateful = TRUE,
						 .max_seconds = max_seconds,
						 .max_steps = opt->max_steps,
						 .max_memory = opt->max_memory,
						 .target = want };
			/* The run's own order, which the model replayed to this outcome (its
			 * log's first line), goes first: the search for it rarely strays. */
			static const char head[] = "schedule: ";
			g_autofree char *guide = NULL;
			if (g_str_has_prefix(o->log, head)) {
				const char *from = o->log + strlen(head);
				guide = g_strndup(from, strcspn(from, "\n"));
				eo.guide = guide;
			}
			SimExploreResult r = { 0 };
			g_autoptr(GError) err = NULL;
			if (sim_explore_run(scn, &eo, &r, &err)) {
				o->seconds = r.stats.seconds;
				o->search = r.found ? SEARCH_FOUND
					    : r.complete ? SEARCH_ABSENT
							 : SEARCH_CUT;
				for (guint k = 0; r.found && k < r.outcomes->len; k++) {
					const SimOutcome *oc = g_ptr_array_index(r.outcomes, k);
					if (strcmp(oc->text, want) == 0)
						o->witness = g_strdup(oc->witness);
				}
				sim_explore_result_clear(&r);
			} else {
				o->search = SEARCH_CUT;
			}
		}
		if (o->search == SEARCH_FOUND)
			fr->found++;
		else if (er->complete || o->search == SEARCH_ABSENT)
			fr->outside += o->runs;
		else
			fr->unknown += o->runs;
	}
}

/* The report's body: the runs, the outcomes seen, those never seen, the verdict. */
static void write_report(SimXcheckFree *fr, const SimExploreResult *er, GPtrArray *seen,
			 const GString *runs, const GString *notes, GString *s)
{
	g_string_append_printf(s, "runs:");
	for (const char *p = runs->str; *p;) {
		/* ten runs a line */
		guint k = 0;
		const char *q = p;
		while (*q && !(*q == ' ' && k++ == 10 && q != p))
			q++;
		g_string_append_len(s, p, q - p);
		g_string_append(s, *q ? "\n     " : "\n");
		p = q;
	}
	g_string_append_printf(s, "observed: %u distinct outcomes in %u runs\n", seen->len,
			       fr->runs - fr->failed - fr->diverged);
	g_autofree gboolean *hit = g_new0(gboolean, er->outcomes->len + 1);
	for (guint i = 0; i < seen->len; i++) {
		const Seen *o = g_ptr_array_index(seen, i);
		if (o->inside >= 0)
			hit[o->inside] = TRUE;
		g_string_append_printf(s, "  #%u  %u runs  %s", i + 1, o->runs, seen_verdict(er, o));
		if (o->search != SEARCH_NONE)
			g_string_append_printf(s, " (a search for it alone, %.1f s)", o->seconds);
		g_string_append_c(s, '\n');
		indent(s, o->text);
		if (o->search == SEARCH_FOUND)
			g_string_append_printf(s, "    witness %s\n", o->witness);
		if (o->inside < 0 && o->search != SEARCH_FOUND) {
			g_string_append_printf(s, "    call log of run %u:\n", o->first_run);
			g_autoptr(GString) log = g_string_new(NULL);
			indent(log, o->log);
			indent(s, log->str);
		}
	}
	guint never = 0;
	for (guint i = 0; i < er->outcomes->len; i++)
		never += !hit[i];
	g_string_append_printf(s, "model outcomes never observed: %u of %s%u\n", never,
			       er->complete ? "" : "at least ", er->outcomes->len);
	guint shown = 0;
	for (guint i = 0; i < er->outcomes->len && shown < FREE_SHOW_NEVER; i++) {
		const SimOutcome *o = g_ptr_array_index(er->outcomes, i);
		if (hit[i])
			continue;
		shown++;
		g_string_append_printf(s, "  witness %s\n", o->witness);
		indent(s, o->text);
	}
	if (never > shown)
		g_string_append_printf(s, "  ... and %u more (msgsim explore lists them all)\n",
				       never - shown);
	g_string_append(s, notes->str);
	if (fr->outside)
		g_string_append_printf(s, "verdict: FIDELITY BUG: %u runs outside the model's set\n",
				       fr->outside);
	else if (fr->unknown)
		g_string_append_printf(s,
				       "verdict: unknown: %u runs neither in the explored part nor "
				       "found by a search within its bounds\n",
				       fr->unknown);
	else if (fr->diverged || fr->failed)
		g_string_append_printf(s, "verdict: %u runs diverged, %u failed\n", fr->diverged,
				       fr->failed);
	else
		g_string_append_printf(s, "verdict: all %u runs inside the model's set\n",
				       fr->runs);
}

/* The exploration the runs are checked against, with its bounds. */
static gboolean explore(const SimScenario *scn, const SimXcheckOptions *opt,
			guint64 max_executions, double max_seconds, SimExploreResult *er,
			GError **error)
{
	SimExploreOptions eo = { .timing = SIM_TIMING_ANY,
				 .stateful = TRUE, /* the same set, and complete far more often */
				 .max_executions = max_executions,
				 .max_seconds = max_seconds,
				 .max_steps = opt->max_steps,
				 .max_memory = opt->max_memory };
	return sim_explore_run(scn, &eo, er, error);
}

/* Refused before anything runs: the report says why. */
static gboolean refused(SimXcheckFree *fr, const char *file, SimXcheckVerdict v, char *why)
{
	fr->verdict = v;
	fr->reason = why;
	fr->text = g_strdup_printf("# %s: free runs\n%s: %s\n", file,
				   v == SIM_XCHECK_STOPPED ? "stopped" : "not cross-checkable",
				   why);
	return TRUE;
}

gboolean sim_xcheck_free(const SimScenario *scn, const char *file, const SimXcheckOptions *opt,
			 guint n, guint64 max_executions, double max_seconds, SimXcheckFree *fr,
			 GError **error)
{
	g_return_val_if_fail(scn != NULL && opt != NULL && fr != NULL, FALSE);
	memset(fr, 0, sizeof(*fr));
	char *why = sim_xcheck_free_unsupported(scn);
	if (why)
		return refused(fr, file, SIM_XCHECK_NOT_CHECKABLE, why);
	SimExploreResult er = { 0 };
	g_autoptr(GError) xerr = NULL;
	if (!explore(scn, opt, max_executions, max_seconds, &er, &xerr))
		return refused(fr, file, SIM_XCHECK_NOT_CHECKABLE,
			       g_strdup_printf("it cannot be explored: %s", xerr->message));
	if (er.stats.executions == 0) {
		/* Not one execution reached its end: nothing to look a run up in. */
		guint64 cut = er.stats.depth_cut;
		sim_explore_result_clear(&er);
		return refused(fr, file, SIM_XCHECK_NOT_CHECKABLE,
			       g_strdup_printf("not run free: no execution of the exploration "
					       "reached its end within its bounds (%" G_GUINT64_FORMAT
					       " cut at the depth bound)",
					       cut));
	}
	/* The set the runs are looked up in: the explored one, or none (tests). */
	g_autoptr(GPtrArray) set = g_ptr_array_new();
	g_autoptr(GHashTable) by_hash = g_hash_table_new(NULL, NULL);
	for (guint i = 0; !opt->doctor && i < er.outcomes->len; i++) {
		SimOutcome *o = g_ptr_array_index(er.outcomes, i);
		g_ptr_array_add(set, o);
		g_hash_table_insert(by_hash, GSIZE_TO_POINTER(o->hash), GINT_TO_POINTER(i + 1));
	}
	SimExploreResult view = er;
	view.outcomes = set;
	fr->explored = set->len;
	fr->complete = er.complete;
	guint64 seed = opt->seed_set ? opt->seed : (guint64)g_get_real_time();
	g_autoptr(GString) s = g_string_new(NULL);
	g_string_append_printf(s, "# %s: %u free runs on the real kernel (seed %" G_GUINT64_FORMAT
			       ")\n",
			       file, n, seed);
	g_string_append_printf(s, "exploration: %s, %" G_GUINT64_FORMAT
			       " executions, %u outcomes%s\n",
			       er.complete ? "complete" : "NOT complete", er.stats.executions,
			       set->len,
			       er.complete ? ""
					   : ": an outcome not found is unknown, not a fidelity bug");
	if (!er.complete && er.cut_by)
		g_string_append_printf(s, "cut by: %s\n", er.cut_by);
	g_autoptr(GPtrArray) seen = g_ptr_array_new_with_free_func(seen_free);
	g_autoptr(GString) runs = g_string_new(NULL);
	g_autoptr(GString) notes = g_string_new(NULL);
	fr->verdict = SIM_XCHECK_MATCH;
	for (guint r = 0; r < n; r++) {
		SimXcheckOptions o = *opt;
		o.free_run = TRUE;
		o.rows = TRUE;
		o.free_seed = seed + r;
		SimXcheckReport rep;
		if (!sim_xcheck_run(scn, file, &o, &rep, error)) {
			sim_explore_result_clear(&er);
			return FALSE;
		}
		if (rep.verdict == SIM_XCHECK_INTERRUPTED || rep.verdict == SIM_XCHECK_NOT_CHECKABLE ||
		    rep.verdict == SIM_XCHECK_STOPPED) {
			fr->verdict = rep.verdict;
			fr->signo = rep.signo;
			fr->reason = g_strdup(rep.reason ? rep.reason : "?");
			g_string_append_printf(s, "run %u: %s: %s\n", r + 1,
					       sim_xcheck_verdict_name(rep.verdict), fr->reason);
			sim_xcheck_report_clear(&rep);
			if (fr->runs == 0 && fr->verdict != SIM_XCHECK_INTERRUPTED) {
				/* Nothing ran: said as a scenario refused before any run. */
				sim_explore_result_clear(&er);
				char *reason = g_steal_pointer(&fr->reason);
				return refused(fr, file, fr->verdict, reason);
			}
			break;
		}
		fr->runs++;
		one_run(fr, &view, by_hash, seen, runs, notes, &rep);
		sim_xcheck_report_clear(&rep);
	}
	fr->observed = seen->len;
	search_missing(fr, scn, opt, &er, max_seconds, seen);
	write_report(fr, &view, seen, runs, notes, s);
	sim_explore_result_clear(&er);
	fr->text = g_strdup(s->str);
	return TRUE;
}
