/* xcheck_plan.c — the schedule a cross-check follows: the one `msgsim run` shows.
 *
 * The lockstep runs the model with run's own options (policy, seed), so the calls reach the
 * kernel in the order the trace of `msgsim run` shows them. One thing the kernel does not
 * do as that schedule does: a task woken in a blocked call stays on the ready queue in the
 * model until the scheduler picks it, while the kernel's woken process goes on at once on
 * its own CPU. For a call the wake-up completes (a POSIX queue's or a SysV receiver's
 * hand-over, a FIFO open, an error) that is the same thing; for one that only looks again
 * when it runs (a SysV sender woken by the scan, a receiver woken by IPC_SET, a pipe's
 * reader or writer) the kernel's process gets there first.
 *
 * So before the lockstep the model runs alone with the same options (xc_plan_make) and
 * notes every such "look again" wake-up whose call run's schedule finishes only after
 * another task's call that touches the same objects (footprint.h). A SysV msgsnd or msgrcv
 * is held back: the coordinator stops its worker (SIGSTOP) before the call that wakes it
 * and lets it go on (SIGCONT) when the model finishes it. The stop ends the kernel's sleep
 * with a restart, so the call starts over at the tail of the wait list, as the model's woken
 * task does when it looks again; an IPC_RMID in between would differ (EINVAL, not EIDRM),
 * so such a call is not held. Any other (a pipe's reader or writer, whose restart would not
 * be the same call) is a point where the kernel cannot follow: from the call that wakes it
 * on, the lockstep uses the woken-first schedule (world.h), and the report says where and
 * why. So is a woken call that is not held while others' calls come first and that wakes
 * tasks in turn when it runs (a pipe reader leaving bytes for the next): the kernel's
 * process made those wake-ups early too. The plan's world is kept: it is how `msgsim run`
 * ends, the model's side of the expectations (xcheck_expect.c).
 *
 * A call a caught signal interrupts is held back the same way when run's schedule lets
 * another task act before it runs: the kernel's process would run its handler at once,
 * while the model's runs it only then, so that the same standard signal sent again meanwhile
 * is merged with the pending one. Stopped, the worker keeps the signal pending; continued,
 * it runs the handler and ends or restarts its call as SA_RESTART says.
 *
 * So is a call a stop of its process cut short (the scenario's own kill SIGSTOP): the
 * kernel's process restarts it the moment SIGCONT comes, the model's task when the
 * scheduler picks it. In a scenario that stops processes, holds are ptrace stops, which
 * the scenario's stops and continues leave alone (xcheck_stop.c).
 *
 * Actions: a real call's start and a task's exit, numbered from 1 in run order, the same
 * way in the plan and in the lockstep (xc_plan_action), so that a hold names the action
 * before which it is made.
 */
#include "real/xcheck_int.h"

#include <string.h>

#include "msgsim/calls/call.h"
#include "msgsim/explore/explore.h"
#include "msgsim/kernel/msgq.h"

/* Per task while the plan runs: a woken call the model has not finished yet. */
typedef struct PTask {
	gboolean pending;    /* woken, its call not finished in the model */
	gboolean retry;	     /* ... and it only looks again when it runs */
	gboolean sysv;	     /* ... a SysV msgsnd or msgrcv (can be held) */
	gboolean sig;	     /* ... woken by a caught signal, whose handler runs when it runs */
	gboolean stop;	     /* ... woken by a stop of its process: restarted once continued */
	guint woke_at;	     /* the action that woke it */
	gboolean conflict;   /* a call of another task touched its objects before it ran */
	gboolean intervened; /* another task made a call or exited before it ran */
	gboolean blocked;    /* its last call event was a block: its next return is a resume */
	char *what;	     /* the first such call, for the report (owned) */
} PTask;

typedef struct Planner {
	XPlan *p;
	PTask *pt;
	guint n;
	guint action;
	/* The woken call that ran last: its own wake-ups show at the next event. When the
	 * kernel made it early (not held, others came between), so did it them. */
	int last;
	gboolean last_early;
	guint last_woke_at;
	const char *last_name;
	const SimStmt *last_st;
} Planner;

guint64 xc_plan_code(const SimTask *t, const SimStmt *st, SimCallPhase ph)
{
	guint64 sid = st ? (guint64)st->id + 1 : 0;
	return (guint64)(guint)t->id << 40 | sid << 3 | (guint64)ph;
}

gboolean xc_plan_counts(const SimStmt *st, SimCallPhase ph)
{
	if (ph == SIM_CALL_EXITED || ph == SIM_CALL_KILLED)
		return TRUE;
	return st != NULL && stmt_word(st) != NULL;
}

gboolean xc_plan_action(const SimStmt *st, SimCallPhase ph)
{
	return ph == SIM_CALL_EXITED || (ph == SIM_CALL_STARTED && st && stmt_word(st));
}

static const SimStmt *call_at(const SimTask *t)
{
	return t->prog->code[t->pc].stmt;
}

/* Does t's call st, woken, only look again when it runs (the kernel's process does that
 * at once)? SysV's "nothing yet" wake-ups, and a pipe's reader or writer woken without an
 * error. */
static gboolean looks_again(const SimTask *t, const SimStmt *st, gboolean *sysv)
{
	const char *word = st ? stmt_word(st) : NULL;
	*sysv = FALSE;
	if (!word)
		return FALSE;
	if (t->waiter.result == SIM_MSGQ_RETRY) {
		*sysv = strcmp(word, "msgsnd") == 0 || strcmp(word, "msgrcv") == 0;
		return TRUE;
	}
	/* A socket's sendto and recv are woken to look again, as a pipe's read and write are. */
	return t->waiter.result == 0 && (strcmp(word, "read") == 0 || strcmp(word, "write") == 0 ||
					 strcmp(word, "sendto") == 0 || strcmp(word, "recv") == 0 ||
					 strcmp(word, "accept") == 0 || strcmp(word, "connect") == 0);
}

/* The kernel cannot follow run's schedule from action `at` on, for `why` (taken): the
 * earliest such point is kept. */
static void diverge(Planner *pl, guint at, char *why)
{
	if (pl->p->diverge && pl->p->diverge <= at) {
		g_free(why);
		return;
	}
	pl->p->diverge = at;
	g_free(pl->p->why);
	pl->p->why = why;
}

/* New wake-ups since the last event: tasks resuming that were not (but `cur`, which runs). */
static void note_wakes(Planner *pl, SimWorld *w, const SimTask *cur)
{
	for (guint i = 0; i < pl->n; i++) {
		const SimTask *t = &w->tasks[i];
		PTask *q = &pl->pt[i];
		if (t == cur || !t->resuming || q->pending)
			continue;
		q->pending = TRUE;
		q->retry = looks_again(t, call_at(t), &q->sysv);
		q->sig = t->sig_pending != 0;
		q->stop = t->stopped_by != 0;
		q->woke_at = pl->action;
		q->conflict = FALSE;
		q->intervened = FALSE;
		g_clear_pointer(&q->what, g_free);
		if (pl->last >= 0 && pl->last_early)
			diverge(pl, pl->last_woke_at,
				g_strdup_printf("%s's %s (line %u), woken to look again, wakes "
						"%s in turn when it runs, and run's schedule "
						"lets other calls come first, while the "
						"kernel's processes go on at once",
						pl->last_name, stmt_word(pl->last_st),
						pl->last_st->loc.line, t->name));
	}
	pl->last = -1;
}

/* Another task's call (its footprint fp; NULL: an exit) happens while looking-again tasks
 * wait to run: does it touch what they will look at? */
static void note_conflicts(Planner *pl, SimWorld *w, const SimTask *by, const SimStmt *st,
			   const SimFootprint *fp, gboolean action)
{
	for (guint i = 0; i < pl->n; i++) {
		PTask *q = &pl->pt[i];
		const SimTask *t = &w->tasks[i];
		if (!q->pending || (!q->retry && !q->sig && !q->stop) || t == by)
			continue;
		q->intervened |= action;
		if (q->conflict || !q->retry)
			continue;
		const SimStmt *mine = call_at(t);
		gboolean hit;
		if (fp) {
			SimFootprint fa;
			sim_call_footprint(w, t, mine, &fa);
			hit = sim_footprint_conflicts(&fa, fp);
		} else {
			/* An exit closes the task's descriptors: a woken writer may lose its last
			 * reader. */
			hit = strcmp(stmt_word(mine), "write") == 0;
		}
		if (!hit)
			continue;
		q->conflict = TRUE;
		q->what = st ? g_strdup_printf("%s's %s (line %u)", by->name, stmt_word(st),
					       st->loc.line)
			     : g_strdup_printf("%s's exit", by->name);
	}
}

/* t's woken call is finished (or blocks again, or t is killed): held back, or the point
 * where the kernel cannot follow. */
static void settle(Planner *pl, SimWorld *w, const SimTask *t, const SimStmt *st, SimCallPhase ph)
{
	PTask *q = &pl->pt[t->id];
	if (!q->pending)
		return;
	q->pending = FALSE;
	if ((q->sig || q->stop) && q->intervened && ph != SIM_CALL_KILLED) {
		/* Its handler, which the kernel's process would run at once: held back, the
		 * signal stays pending (merged with the same one sent again) until it runs.
		 * Or a call its process's stop cut short, which the kernel's process restarts
		 * at the SIGCONT, the model's only when it runs: held from before the stop on
		 * (by ptrace, which the stop and the continue do not end: xcheck_stop.c). */
		XHold h = { .at = q->woke_at, .task = t->id };
		g_array_append_val(pl->p->holds, h);
		return;
	}
	if (!q->retry || ph == SIM_CALL_KILLED)
		return;
	gboolean removed = ph == SIM_CALL_FINISHED && sim_world_result(w, st)->err == EIDRM;
	gboolean held = q->conflict && q->sysv && !removed;
	pl->last = t->id;
	pl->last_early = q->intervened && !held;
	pl->last_woke_at = q->woke_at;
	pl->last_name = t->name;
	pl->last_st = st;
	if (!q->conflict)
		return;
	if (held) {
		XHold h = { .at = q->woke_at, .task = t->id };
		g_array_append_val(pl->p->holds, h);
		return;
	}
	diverge(pl, q->woke_at,
		g_strdup_printf(
			"%s's %s (line %u) is woken to look again, and run's schedule lets %s come "
			"first, while the kernel's process goes on at once on its own CPU%s",
			t->name, stmt_word(st), st->loc.line, q->what,
			removed ? " (and a held call would not see the queue removed)" : ""));
}

static void plan_hook(void *data, SimWorld *w, const SimTask *t, const SimStmt *st, SimCallPhase ph)
{
	Planner *pl = data;
	SimFootprint fp;
	if (xc_plan_counts(st, ph)) {
		guint64 code = xc_plan_code(t, st, ph);
		g_array_append_val(pl->p->order, code);
	}
	/* Wake-ups are applied after the call that makes them, so they show at the next
	 * event, whatever it is: they belong to the last action before it. */
	note_wakes(pl, w, t);
	switch (ph) {
	case SIM_CALL_STARTED:
		if (!stmt_word(st))
			return;
		pl->pt[t->id].blocked = FALSE;
		pl->action++;
		sim_call_footprint(w, t, st, &fp);
		note_conflicts(pl, w, t, st, &fp, TRUE);
		return;
	case SIM_CALL_BLOCKED:
	case SIM_CALL_FINISHED: {
		if (!stmt_word(st))
			return;
		PTask *q = &pl->pt[t->id];
		/* A woken call that looked again touches its objects now: one woken with others
		 * and run at once (never seen pending) as well. */
		gboolean sysv, again = q->pending ? q->retry
						  : q->blocked && (ph == SIM_CALL_BLOCKED ||
								   looks_again(t, st, &sysv));
		if (again) {
			sim_call_footprint(w, t, st, &fp);
			note_conflicts(pl, w, t, st, &fp, FALSE);
		}
		settle(pl, w, t, st, ph);
		q->blocked = ph == SIM_CALL_BLOCKED;
		return;
	}
	case SIM_CALL_EXITED:
		pl->action++;
		note_conflicts(pl, w, t, NULL, NULL, TRUE);
		return;
	case SIM_CALL_KILLED:
		settle(pl, w, t, st, ph);
		return;
	}
}

void xc_plan_make(const SimScenario *scn, const SimWorldOptions *base, const char *witness,
		  XPlan *p)
{
	memset(p, 0, sizeof(*p));
	p->holds = g_array_new(FALSE, FALSE, sizeof(XHold));
	p->order = g_array_new(FALSE, FALSE, sizeof(guint64));
	SimWorldOptions wo = *base;
	wo.trace = NULL;
	wo.woken_first = FALSE;
	wo.pick = NULL;
	Planner pl = { .p = p, .last = -1 };
	wo.hook = (SimCallHook){ plan_hook, &pl };
	/* A witness was checked when it was asked for; one that does not fit ends early, and
	 * the lockstep's own replay of it says why. */
	g_autoptr(SimSchedule) s = witness ? sim_schedule_parse(scn, witness, NULL) : NULL;
	if (s)
		sim_schedule_options(s, &wo);
	SimWorld *w = p->w = sim_world_new(scn, &wo);
	pl.n = w->n_tasks;
	pl.pt = g_new0(PTask, pl.n + 1);
	if (s)
		sim_schedule_run(s, w, NULL);
	else
		sim_world_run(w);
	for (guint i = 0; i < pl.n; i++)
		g_free(pl.pt[i].what);
	g_free(pl.pt);
	/* Holds after the point where the schedule changes are not made: from there the woken
	 * go first anyway. */
	for (guint i = p->holds->len; p->diverge && i-- > 0;)
		if (g_array_index(p->holds, XHold, i).at >= p->diverge)
			g_array_remove_index(p->holds, i);
}

void xc_plan_clear(XPlan *p)
{
	if (p->holds)
		g_array_free(p->holds, TRUE);
	if (p->order)
		g_array_free(p->order, TRUE);
	g_free(p->why);
	if (p->w)
		sim_world_free(p->w);
	memset(p, 0, sizeof(*p));
}
