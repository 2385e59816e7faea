/* external.c — a world without a scenario, whose tasks are real programs (see world.h).
 *
 * msgsim exec makes one: no body is compiled, no process or object is declared, and each
 * program is added as an external task (task.h) when it starts or is forked. Everything
 * else is an ordinary world's: the IPC namespace and the queues the calls make, the
 * message pool, the clock, the step count, the ready queue and the objects' wait queues.
 *
 * The one design choice to know: a real program's next call cannot be run by the engine,
 * only served when it comes, so the engine's part of a step is the dispatch alone (pick,
 * run, count, charge) and the task's server does the rest; the caller's loop waits for
 * the real processes between two steps. The pick is the random policy's, in task order:
 * the draw (or the search's choice) names the i-th ready task by id, so that it means the
 * same program in every run, whatever order their calls came in.
 */
#include "engine/world_int.h"

SimWorld *sim_world_new_external(const SimWorldOptions *opt, const SimLimits *limits,
				 guint max_tasks)
{
	g_return_val_if_fail(opt != NULL && max_tasks > 0, NULL);
	SimScenario *scn = g_new0(SimScenario, 1);
	scn->policy = SIM_SCHED_RANDOM;
	scn->quantum = 10 * SIM_US;
	scn->seed = opt->seed;
	if (limits)
		scn->limits = *limits;
	else
		sim_limits_init(&scn->limits);
	SimWorld *w = sim_world_new(scn, opt);
	w->own_scn = scn;
	w->max_tasks = max_tasks;
	w->sched.task_order = TRUE;
	/* Room for every task from the start: the queues hold pointers to them. */
	g_free(w->tasks);
	g_free(w->names);
	g_free(w->cands);
	g_free(w->shm_maps);
	w->tasks = g_new0(SimTask, max_tasks);
	w->names = g_new0(const char *, max_tasks + 1);
	w->cands = g_new0(SimTask *, max_tasks + 1);
	w->shm_maps = g_new0(SimShmMaps, max_tasks + 1);
	return w;
}

SimTask *sim_world_add_external(SimWorld *w, const char *name, const SimTaskExternal *ext)
{
	g_return_val_if_fail(w->own_scn != NULL, NULL);
	if (w->n_tasks >= w->max_tasks)
		return NULL;
	SimTask *t = &w->tasks[w->n_tasks];
	sim_task_init_external(t, (int)w->n_tasks, name, ext);
	sim_fdt_init(&t->fdt, 1024); /* RLIMIT_NOFILE: the descriptors are the program's own */
	t->deadline = SIM_TIME_MAX;
	w->n_tasks++;
	return t;
}

guint sim_world_n_tasks(const SimWorld *w)
{
	return w->n_tasks;
}

SimTask *sim_world_task(SimWorld *w, guint id)
{
	g_return_val_if_fail(id < w->n_tasks, NULL);
	return &w->tasks[id];
}

SimTask *sim_world_dispatch_external(SimWorld *w)
{
	SimTask *t = sim_sched_pick(&w->sched);
	if (!t)
		return NULL;
	g_assert(t->kind == SIM_TASK_EXTERNAL);
	sim_task_run(t, sim_evq_now(&w->evq));
	w->cur = w->last = t;
	w->steps++;
	/* A call costs a microsecond; a sleep to the end of time (an absolute one a program may
	 * ask for) leaves the clock there rather than past the largest time. */
	sim_evq_advance(&w->evq, MIN(SIM_US, SIM_TIME_MAX - 1 - sim_evq_now(&w->evq)));
	t->ext->step(t->ext->data, t);
	/* The program runs on unseen (or waits): the engine's CPU is free again. */
	w->cur = NULL;
	return t;
}

void sim_world_clock_to(SimWorld *w, SimTime t)
{
	SimTime now = sim_evq_now(&w->evq);
	if (t > now)
		sim_evq_advance(&w->evq, t - now);
}
