/* task.c — task lifecycle and the state machine drawn in task.h.
 *
 * The design choice to know: these functions only change the task itself (state, time
 * accounts); putting it on the ready queue or a wait queue is the caller's job, so the
 * transitions stay small enough to check exhaustively.
 */
#include "msgsim/engine/task.h"

#include <string.h>

#include "msgsim/engine/interp.h"
#include "msgsim/lang/scn.h" /* sim_task_init reads a declaration */

void sim_task_init(SimTask *t, int id, const SimScnProc *proc, const SimProgram *prog)
{
	memset(t, 0, sizeof(*t));
	t->id = id;
	t->group = id;
	t->pid = SIM_TASK_PID(id);
	t->name = proc->name;
	t->proc = proc;
	t->state = SIM_STATE_NEW;
	/* One notion of priority: `priority=N` (larger is more important) or `nice=N` (lower
	 * is more important, as the kernel orders POSIX queue waiters); a scenario gives one. */
	t->priority = proc->nice ? -proc->nice : proc->priority;
	t->prog = prog;
	t->counters = g_new0(gint64, prog->max_depth + 1);
	t->vars = g_new0(SimVar, prog->n_vars + 1);
	t->wait_obj = -1;
	t->wait_child = -1;
	t->alarm_at = SIM_TIME_MAX; /* no alarm: fork gives a child none either */
	sim_waitq_init(&t->chld_wait, SIM_ORDER_FIFO);
	t->inbox = -1;
	t->waiter.task = id;
	t->waiter.from = -1;
	t->cred.uid = proc->uid;
	t->cred.gid = proc->gid;
	t->cred.caps = proc->caps;
}

void sim_task_clear(SimTask *t, SimMsgPool *pool)
{
	if (t->vars) {
		for (guint i = 0; i < t->prog->n_vars; i++) {
			sim_msg_pool_put(pool, t->vars[i].msg);
			g_free(t->vars[i].ds);
		}
	}
	/* A sender still blocked holds its message; a receiver stopped by a guard rail may
	 * hold one handed to it. */
	sim_msg_pool_put(pool, t->waiter.msg);
	t->waiter.msg = NULL;
	g_clear_pointer(&t->counters, g_free);
	g_clear_pointer(&t->vars, g_free);
	if (t->received) {
		for (guint i = 0; i < t->received->len; i++)
			g_free(g_array_index(t->received, SimRecv, i).text);
		g_array_unref(t->received);
		t->received = NULL;
	}
}

static void leave(SimTask *t, SimTime now)
{
	SimTime spent = now - t->state_since;
	g_assert(spent >= 0);
	if (t->state == SIM_STATE_RUNNING)
		t->cpu_time += spent;
	else if (t->state == SIM_STATE_BLOCKED || t->state == SIM_STATE_SLEEPING)
		t->blocked_time += spent;
	t->state_since = now;
}

SimTime sim_task_cpu(const SimTask *t, SimTime now)
{
	if (t->state == SIM_STATE_RUNNING && now > t->state_since)
		return t->cpu_time + (now - t->state_since);
	return t->cpu_time;
}

SimTime sim_task_blocked(const SimTask *t, SimTime now)
{
	if ((t->state == SIM_STATE_BLOCKED || t->state == SIM_STATE_SLEEPING) &&
	    now > t->state_since)
		return t->blocked_time + (now - t->state_since);
	return t->blocked_time;
}

void sim_task_make_ready(SimTask *t, SimTime now)
{
	g_assert(t->state == SIM_STATE_NEW);
	leave(t, now);
	t->state = SIM_STATE_READY;
}

void sim_task_run(SimTask *t, SimTime now)
{
	g_assert(t->state == SIM_STATE_READY);
	leave(t, now);
	t->state = SIM_STATE_RUNNING;
	t->slice_used = 0;
}

void sim_task_preempt(SimTask *t, SimTime now)
{
	g_assert(t->state == SIM_STATE_RUNNING);
	leave(t, now);
	t->state = SIM_STATE_READY;
}

void sim_task_block(SimTask *t, SimTime now, int obj, const char *why)
{
	g_assert(t->state == SIM_STATE_RUNNING);
	leave(t, now);
	t->state = SIM_STATE_BLOCKED;
	t->wait_obj = obj;
	t->wait_why = why;
	t->wait_gen++;
}

void sim_task_sleep(SimTask *t, SimTime now)
{
	g_assert(t->state == SIM_STATE_RUNNING);
	leave(t, now);
	t->state = SIM_STATE_SLEEPING;
	t->wait_obj = -1;
	t->wait_msgq = NULL;
	t->wait_why = "timer";
	t->wait_gen++;
}

void sim_task_wake(SimTask *t, SimTime now)
{
	g_assert(t->state == SIM_STATE_BLOCKED || t->state == SIM_STATE_SLEEPING);
	/* A blocked call is finished when the task runs again; a sleep is already done. */
	t->resuming = t->state == SIM_STATE_BLOCKED;
	leave(t, now);
	t->state = SIM_STATE_READY;
	t->wait_obj = -1;
	t->wait_why = NULL;
	/* wait_msgq stays: the woken SysV call finishes on the queue it slept on. */
}

void sim_task_exit(SimTask *t, SimTime now, gint64 code)
{
	g_assert(t->state == SIM_STATE_RUNNING);
	leave(t, now);
	t->state = SIM_STATE_EXITED;
	t->exit_code = code;
}

void sim_task_kill(SimTask *t, SimTime now, int sig)
{
	/* A signal's default action ends the task from any state; the caller has taken it off
	 * the ready queue or its wait queue first. */
	g_assert(t->state != SIM_STATE_EXITED && t->state != SIM_STATE_RUNNING);
	g_assert(t->waiter.queue == NULL);
	leave(t, now);
	t->state = SIM_STATE_EXITED;
	t->exit_code = 128 + sig;
	t->killed_by = sig;
	t->wait_obj = -1;
	t->wait_msgq = NULL;
}

gboolean sim_task_check(const SimTask *t)
{
	switch (t->state) {
	case SIM_STATE_BLOCKED:
		return t->waiter.queue != NULL || t->waiter.done;
	case SIM_STATE_SLEEPING:
		return t->waiter.queue == NULL;
	case SIM_STATE_READY:
	case SIM_STATE_RUNNING:
	case SIM_STATE_NEW:
	case SIM_STATE_EXITED:
		return t->waiter.queue == NULL;
	}
	return FALSE;
}

/* ---- External tasks (the programs of msgsim exec) ---- */

void sim_task_init_external(SimTask *t, int id, const char *name, const SimTaskExternal *ext)
{
	/* No body: no counters, no variables; the rest as a declared process's with the
	 * defaults (uid 0 with its capabilities comes from the program's own credentials,
	 * which its owner copies). */
	memset(t, 0, sizeof(*t));
	t->kind = SIM_TASK_EXTERNAL;
	t->ext = ext;
	t->id = id;
	t->group = id;
	t->pid = SIM_TASK_PID(id);
	t->name = name;
	t->state = SIM_STATE_NEW;
	t->wait_obj = -1;
	t->wait_child = -1;
	t->alarm_at = SIM_TIME_MAX;
	sim_waitq_init(&t->chld_wait, SIM_ORDER_FIFO);
	t->inbox = -1;
	t->first_child = t->next_sibling = t->first_after = t->next_after = t->first_owned = -1;
	t->waiter.task = id;
	t->waiter.from = -1;
}

void sim_task_end(SimTask *t, SimTime now, gint64 code, int sig)
{
	/* A real process ends whenever its kernel says: a scripted task only by its own exit
	 * (RUNNING) or a signal the model sent, which the diagram has. */
	g_assert(t->kind == SIM_TASK_EXTERNAL && t->state != SIM_STATE_EXITED);
	g_assert(t->waiter.queue == NULL);
	leave(t, now);
	t->state = SIM_STATE_EXITED;
	t->exit_code = sig > 0 ? 128 + sig : code;
	t->killed_by = sig > 0 ? sig : 0;
	t->resuming = FALSE;
	t->wait_obj = -1;
	t->wait_msgq = NULL;
	t->wait_why = NULL;
}
