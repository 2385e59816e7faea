/* gtask.c — the guests as engine tasks: each guest's life is a SimTask of kind EXTERNAL.
 *
 * A guest's state is its task's (engine/task.h), moved by the task module's transitions,
 * and the guests that can go on are the world's ready queue (SimExec.w's scheduler). The
 * world's dispatch (external.c, from exec.c's loop) picks among the queue's tasks and calls
 * the picked task's server (SimTask.ext: exec.c's step), as the engine's loop runs a
 * scripted task's next statement. The one design choice to know: a real process is not a
 * statement, so these functions bridge what the supervisor sees (a notification arrived, an
 * answer went, a pidfd became readable) to the diagram's transitions, and they are the only
 * writers of a guest's state: the ready queue can never disagree with the guests.
 */
#undef _POSIX_C_SOURCE
#define _GNU_SOURCE

#include <string.h>
#include <sys/wait.h>

#include "exec/exec_int.h"

void sim_exec_task_init(SimExec *x, SimGuest *g, const SimCred *cred)
{
	(void)x;
	g_assert(g->task->state == SIM_STATE_NEW); /* made by the world (sim_exec_guest_add) */
	g->task->name = g->name;
	if (cred)
		g->task->cred = *cred;
	g->held = FALSE;
	g->answered = FALSE;
}

void sim_exec_task_run(SimExec *x, SimGuest *g)
{
	SimTask *t = g->task;
	switch (t->state) {
	case SIM_STATE_NEW: /* started: it runs to its first trapped call, its execve */
		sim_task_make_ready(t, sim_world_now(x->w));
		sim_task_run(t, sim_world_now(x->w));
		break;
	case SIM_STATE_READY: /* picked, or served out of turn (an exit_group, a kill) */
		sim_sched_remove(&x->w->sched, t);
		sim_task_run(t, sim_world_now(x->w));
		break;
	case SIM_STATE_BLOCKED: /* its wait ended by the supervisor's answer (a signal) */
	case SIM_STATE_SLEEPING:
		sim_task_wake(t, sim_world_now(x->w));
		sim_task_run(t, sim_world_now(x->w));
		break;
	case SIM_STATE_RUNNING:
	case SIM_STATE_EXITED: /* an answer to a process already gone changes nothing */
		break;
	}
}

void sim_exec_task_park(SimExec *x, SimGuest *g)
{
	SimTask *t = g->task;
	switch (t->state) {
	case SIM_STATE_RUNNING:
		sim_task_preempt(t, sim_world_now(x->w));
		break;
	case SIM_STATE_NEW:
		sim_task_make_ready(t, sim_world_now(x->w));
		break;
	case SIM_STATE_BLOCKED: /* its wait was ended from outside the run (abandon) */
	case SIM_STATE_SLEEPING:
		sim_task_wake(t, sim_world_now(x->w));
		break;
	case SIM_STATE_READY: /* woken, then its call was ended from outside the run */
		sim_sched_remove(&x->w->sched, t);
		break;
	case SIM_STATE_EXITED:
		return;
	}
	t->resuming = FALSE; /* a new call: nothing of an old one to finish */
	g->held = FALSE;
	sim_exec_stop_sig(x, g, 0); /* it parked: a stop it was sent did not take */
	sim_sched_enqueue(&x->w->sched, t, FALSE);
}

void sim_exec_task_block(SimExec *x, SimGuest *g, const char *why)
{
	g_assert(g->task->state == SIM_STATE_RUNNING);
	sim_task_block(g->task, sim_world_now(x->w), -1, why);
}

void sim_exec_task_sleep(SimExec *x, SimGuest *g)
{
	g_assert(g->task->state == SIM_STATE_RUNNING);
	sim_task_sleep(g->task, sim_world_now(x->w));
}

void sim_exec_task_wake(SimExec *x, SimGuest *g)
{
	SimTask *t = g->task;
	g_assert(t->state == SIM_STATE_BLOCKED || t->state == SIM_STATE_SLEEPING);
	sim_task_wake(t, sim_world_now(x->w));
	/* A sleep is a trapped call too (nanosleep): it is finished, answered, when picked. */
	t->resuming = TRUE;
	sim_sched_enqueue(&x->w->sched, t, FALSE);
}

void sim_exec_task_gone(SimExec *x, SimGuest *g)
{
	SimTask *t = g->task;
	if (t->state == SIM_STATE_EXITED)
		return;
	if (t->state == SIM_STATE_READY)
		sim_sched_remove(&x->w->sched, t);
	/* A waiter still on a list leaves it; its message (a blocked sender's) stays with the
	 * waiter until the run's end frees it (sim_exec_model_clear). */
	if (t->waiter.queue)
		sim_waitq_del(&t->waiter);
	g->held = FALSE;
	sim_exec_stop_sig(x, g, 0);
	int sig = WIFSIGNALED(g->status) ? WTERMSIG(g->status) : 0;
	sim_task_end(t, sim_world_now(x->w), WEXITSTATUS(g->status), sig);
	x->exited |= G_GUINT64_CONSTANT(1) << g->idx;
	if (g->parent >= 0) {
		SimGuest *p = sim_exec_guest(x, g->parent);
		p->live_children--;
		p->zombies |= G_GUINT64_CONSTANT(1) << g->idx;
	}
}

/* The zombies are a bit set of the guests (the search's sets of guests are too). */
G_STATIC_ASSERT(SIM_EXEC_MAX_GUESTS <= 64);

void sim_exec_task_forked(SimExec *x, SimGuest *g)
{
	g_assert(g->parent >= 0);
	sim_exec_guest(x, g->parent)->live_children++;
	g_hash_table_insert(x->forked, GINT_TO_POINTER(g->nspid), g);
}

void sim_exec_task_reap(SimExec *x, SimGuest *g, SimGuest *c)
{
	(void)x;
	g_assert(c->parent == g->idx && sim_exec_exited_state(c) && !c->task->reaped);
	c->task->reaped = TRUE;
	g->zombies &= ~(G_GUINT64_CONSTANT(1) << c->idx);
}

SimGuest *sim_exec_task_zombie(SimExec *x, const SimGuest *g, int want, gboolean *live)
{
	if (want <= 0) {
		*live = g->live_children > 0;
		return g->zombies ? sim_exec_guest(x, __builtin_ctzll(g->zombies)) : NULL;
	}
	SimGuest *c = g_hash_table_lookup(x->forked, GINT_TO_POINTER(want));
	*live = FALSE;
	if (!c || c->parent != g->idx || c->task->reaped)
		return NULL;
	*live = !sim_exec_exited_state(c);
	return *live ? NULL : c;
}

void sim_exec_task_stop(SimExec *x, SimGuest *g, int sig)
{
	SimTask *t = g->task;
	g_assert(t->state == SIM_STATE_RUNNING);
	sim_task_preempt(t, sim_world_now(x->w));
	t->stopped_by = sig;
	t->resuming = FALSE;
	g->held = FALSE;
	sim_sched_enqueue(&x->w->sched, t, FALSE); /* parks it: it may not run (sched.h) */
}

void sim_exec_task_continue(SimExec *x, SimGuest *g)
{
	g_assert(sim_exec_stopped(g));
	g->task->stopped_by = 0;
	sim_exec_task_run(x, g); /* off the parking: it runs */
}

void sim_exec_task_unpick(SimExec *x, SimGuest *g)
{
	if (g->task->state != SIM_STATE_RUNNING || g->answered)
		return;
	sim_task_preempt(g->task, sim_world_now(x->w));
	sim_sched_enqueue(&x->w->sched, g->task, FALSE);
}

void sim_exec_task_received(SimExec *x, SimGuest *g, gint64 type, const char *text, gsize len,
			    int from)
{
	/* Kept only for a reader (expectations, --record, the search's verdicts): a long run
	 * would otherwise hold every message it ever received. */
	if (!x->opt->expect_file && !x->opt->record_file && !x->opt->chooser)
		return;
	if (!g->task->received)
		g->task->received = g_array_new(FALSE, TRUE, sizeof(SimRecv));
	char *t = g_strndup(text, len); /* up to its first NUL: what a C program prints */
	SimRecv r = { .text = t, .type = type, .from = from, .len = strlen(t) };
	g_array_append_val(g->task->received, r);
}
