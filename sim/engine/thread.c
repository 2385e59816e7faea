/* thread.c — threads: tasks that share their process's descriptor table.
 *
 * A thread is one more task of the engine, scheduled like any other, whose `group` names its
 * process's main task. What the kernel shares between the threads of a process (clone with
 * CLONE_FILES, CLONE_SIGHAND, CLONE_THREAD) the model shares as follows: the descriptor table
 * is the main task's, reached through the thread's empty table (fdtable.h); credentials and
 * signal actions are copied when the thread starts, and an `on` or a credential statement in
 * any thread changes them in all (the kernel keeps one table of actions; glibc's setuid makes
 * the same change in every thread); a signal sent to the process goes to its
 * main task, and one whose default action terminates ends every thread; `exit` in any thread,
 * and the end of the main body (main's return is exit), is exit_group.
 *
 * The design choice to know: a read or write that blocks in a threaded process holds a
 * reference on its open file description (io_file), as fdget does when the table is shared;
 * so do a blocked recv or send on a socket and mq_send or mq_receive on a queue.
 * So when another thread closes the descriptor, the descriptor number is free at once, but
 * the pipe end stays open until the call returns: the blocked read is not interrupted, it
 * ends when data comes or the writers go, and only then is the read end released.
 */
#include <errno.h>
#include <signal.h>

#include "engine/world_int.h"
#include "msgsim/kernel/pipe.h"
#include "msgsim/lang/scn.h"

void sim_world_thread(SimWorld *w, SimTask *t, SimTask *th, guint n_inherit)
{
	g_assert(th->state == SIM_STATE_NEW && th->proc->start == SIM_START_THREAD);
	SimTask *main = &w->tasks[t->group];
	for (guint i = 0; i < n_inherit; i++) {
		const SimVar *from = &t->vars[i];
		SimVar *to = &th->vars[i];
		to->num = from->num;
		to->num2 = from->num2;
		if (from->msg)
			to->msg = sim_msg_pool_copy(&w->pool, from->msg);
	}
	th->group = main->id;
	th->pid = main->pid; /* getpid is the process's */
	main->threaded = TRUE;
	th->fdt.shared = &main->fdt;
	th->fdt.nofile = main->fdt.nofile;
	memcpy(th->sigact, t->sigact, sizeof(th->sigact));
	th->norestart = t->norestart;
	th->cred = t->cred;
	sim_world_start(w, th);
}

void sim_world_exit_group(SimWorld *w, SimTask *t, gint64 code)
{
	int group = t->group;
	gboolean threaded = w->tasks[group].threaded;
	if (threaded)
		t->group_end = SIM_GROUP_EXIT;
	sim_world_exit(w, t, code);
	if (threaded && group != t->id)
		sim_world_end_group(w, group, 0, code, t);
}

void sim_world_share_sigact(SimWorld *w, const SimTask *t)
{
	if (!w->tasks[t->group].threaded)
		return;
	for (guint i = 0; i < w->n_tasks; i++) {
		SimTask *o = &w->tasks[i];
		if (o->group != t->group || o == t)
			continue;
		memcpy(o->sigact, t->sigact, sizeof(o->sigact));
		o->norestart = t->norestart;
	}
}

void sim_world_share_cred(SimWorld *w, const SimTask *t)
{
	if (!w->tasks[t->group].threaded)
		return;
	for (guint i = 0; i < w->n_tasks; i++) {
		SimTask *o = &w->tasks[i];
		if (o->group == t->group && o != t && o->state != SIM_STATE_EXITED)
			o->cred = t->cred;
	}
}

void sim_world_thread_ended(SimWorld *w, const SimTask *t)
{
	if (w->tasks[t->group].ending || t->group_end)
		return; /* the joiners end too, with the process */
	for (guint i = 0; i < w->n_tasks; i++) {
		SimTask *o = &w->tasks[i];
		if (o->group == t->group && o->state == SIM_STATE_BLOCKED &&
		    o->wait_child == t->id && o->waiter.queue == &o->chld_wait)
			sim_waitq_wake(&w->wake, &o->waiter, 0);
	}
	sim_world_wake_all(w, t, NULL);
}

void sim_world_file_hold(SimTask *t, SimFile *f)
{
	if (t->io_file || !f || (!t->threaded && !t->fdt.shared))
		return;
	f->refs++;
	t->io_file = f;
}

void sim_world_file_release(SimWorld *w, SimTask *t)
{
	SimFile *f = t->io_file;
	if (!f)
		return;
	t->io_file = NULL;
	sim_world_file_put(w, t, f);
}
