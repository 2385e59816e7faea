/* timers.c — the guests' timers on the world's event queue.
 *
 * A sleep (nanosleep), a timed wait (mq_timedsend, mq_timedreceive, sigtimedwait) and an
 * ITIMER_REAL alarm are each an event in the world's queue (SimExec.w's evq, engine/evq.h),
 * pushed as a scenario's sleep, timed call and alarm push theirs (sim_world_timer,
 * sim_world_timeout, sim_world_alarm), so that finding the next one and the ones due costs
 * O(log n) in the guests, never a look at each of them. As in the engine, an event that
 * became moot (the sleep a signal cut short, the timed call a message ended, the alarm
 * replaced) stays in the heap and is known when popped: its generation is not its task's.
 *
 * The one design choice to know: exec's timers do not all fire when due. An alarm fires
 * after the step that reached its time (sim_exec_alarms_due, from signals.c's settle), but
 * a sleep or a timed wait ends only when no guest can go on (sim_exec_timers_fire, from
 * exec.c's loop). So the due events are popped into two lists, the alarms' and the others',
 * and each is served from its own; those due at once are served in guest order, whatever
 * their times and the order they were pushed in, as the scan of the guests did before.
 */
#include <stdlib.h>

#include "exec/exec_int.h"

/* Whether ev still concerns its guest: the wait or the alarm it was pushed for goes on. */
static gboolean live(const SimExec *x, const SimEvent *ev)
{
	const SimGuest *g = sim_exec_guest(x, ev->task);
	const SimTask *t = g->task;
	switch (ev->kind) {
	case SIM_EV_TIMER:
		return t->state == SIM_STATE_SLEEPING && t->wait_gen == ev->gen;
	case SIM_EV_TIMEOUT:
		return t->state == SIM_STATE_BLOCKED && g->call.timed && t->wait_gen == ev->gen;
	case SIM_EV_ALARM:
		return t->state != SIM_STATE_EXITED && g->alarm_at && t->alarm_gen == ev->gen;
	default:
		return FALSE;
	}
}

static gboolean keep_live(const SimEvent *ev, void *data)
{
	return live(data, ev);
}

/* Each guest has at most two live events (its wait's and its alarm's): a heap four times
 * that size is mostly moot ones, which go, so that a program that re-arms its alarm in a
 * loop does not grow it without end. Amortised O(1) a push. */
static void pushed(SimExec *x)
{
	SimEvq *q = &x->w->evq;
	if (q->len >= 64 && q->len > 4 * sim_exec_n(x))
		sim_evq_prune(q, keep_live, x);
}

void sim_exec_timer_start(SimExec *x, SimGuest *g)
{
	if (g->wake_at == G_MAXINT64)
		return; /* the end of time never comes */
	if (g->task->state == SIM_STATE_SLEEPING)
		sim_world_timer(x->w, g->task, MAX(g->wake_at, sim_world_now(x->w)));
	else
		sim_world_timeout(x->w, g->task, g->wake_at);
	pushed(x);
}

void sim_exec_alarm_set(SimExec *x, SimGuest *g)
{
	/* A new generation: the event of the alarm it replaces is moot. */
	sim_world_alarm(x->w, g->task,
			g->alarm_at ? MAX(g->alarm_at, sim_world_now(x->w)) : SIM_TIME_MAX);
	if (g->alarm_at)
		pushed(x);
}

/* The events due now leave the heap for their list (moot ones are dropped). */
static void collect(SimExec *x)
{
	SimEvent ev;
	while (sim_evq_pop_due(&x->w->evq, &ev))
		if (live(x, &ev))
			g_array_append_val(ev.kind == SIM_EV_ALARM ? x->due_alarms : x->due_timers,
					   ev);
}

/* Only the live entries of a list stay: its entries may have become moot since they were
 * collected (a sleeper a signal woke while others ran). */
static void prune_list(const SimExec *x, GArray *a)
{
	guint k = 0;
	for (guint i = 0; i < a->len; i++)
		if (live(x, &g_array_index(a, SimEvent, i)))
			g_array_index(a, SimEvent, k++) = g_array_index(a, SimEvent, i);
	g_array_set_size(a, k);
}

static int by_guest(const void *a, const void *b)
{
	const SimEvent *p = a, *q = b;
	return (p->task > q->task) - (p->task < q->task);
}

/* The list's live entries in guest order (a guest has at most one in each list). */
static void sort_live(const SimExec *x, GArray *a)
{
	prune_list(x, a);
	if (a->len > 1)
		qsort(a->data, a->len, sizeof(SimEvent), by_guest);
}

SimTime sim_exec_timers_next(SimExec *x)
{
	collect(x);
	prune_list(x, x->due_timers);
	prune_list(x, x->due_alarms);
	if (x->due_timers->len || x->due_alarms->len)
		return sim_world_now(x->w); /* due already */
	SimEvq *q = &x->w->evq;
	while (!sim_evq_empty(q) && !live(x, sim_evq_peek(q)))
		sim_evq_drop_next(q);
	return sim_evq_empty(q) ? G_MAXINT64 : sim_evq_peek(q)->time;
}

guint sim_exec_alarms_due(SimExec *x, SimGuest **out)
{
	if (!sim_evq_due(&x->w->evq) && !x->due_alarms->len)
		return 0; /* the usual answer, after every step: at no cost */
	collect(x);
	sort_live(x, x->due_alarms);
	guint n = x->due_alarms->len;
	for (guint i = 0; i < n; i++)
		out[i] = sim_exec_guest(x, g_array_index(x->due_alarms, SimEvent, i).task);
	g_array_set_size(x->due_alarms, 0);
	return n;
}

gboolean sim_exec_timers_fire(SimExec *x)
{
	SimTime first = sim_exec_timers_next(x);
	if (first == G_MAXINT64)
		return FALSE;
	sim_world_clock_to(x->w, first);
	collect(x);
	sort_live(x, x->due_timers);
	SimTime now = sim_world_now(x->w);
	for (guint i = 0; i < x->due_timers->len; i++) {
		const SimEvent *ev = &g_array_index(x->due_timers, SimEvent, i);
		SimGuest *g = sim_exec_guest(x, ev->task);
		if (ev->kind == SIM_EV_TIMEOUT) {
			sim_exec_mq_timeout(x, g); /* a timed call's deadline */
			continue;
		}
		sim_exec_task_wake(x, g);
		sim_exec_trace(x, g,
			       "wakes at %" G_GINT64_FORMAT ".%06" G_GINT64_FORMAT " s (virtual)",
			       now / SIM_S, (now % SIM_S) / SIM_US);
		sim_exec_ev(x, g, SIM_TR_WAKE, NULL, NULL, 0);
	}
	g_array_set_size(x->due_timers, 0);
	return TRUE;
}
