/* xcheck_refuse.c — scenarios the cross-check refuses for what they ask of the machine.
 *
 * Two things a scenario can ask that no worker may do: run the scenario's statements inside
 * a thread glibc makes (mq_notify ... thread, SIGEV_THREAD), and have per-user pipe limits
 * fs.pipe-user-pages-soft and -hard other than the machine's, which belong to no namespace
 * and are never changed (xcheck_users.c decides that one). Either makes the whole scenario
 * not cross-checkable, with the reason, in both namespace modes. The one design choice to
 * know: these are refusals of the scenario, not calls left out one by one, because what
 * follows them in the model (the thread's calls, the pipes the limits shape) would have
 * nothing real to compare with.
 */
#include "real/xcheck_int.h"

/* Whether b (or a body inside it) registers a SIGEV_THREAD notification. */
static gboolean block_has_notify_thread(const SimBlock *b)
{
	for (guint i = 0; i < b->n_stmts; i++) {
		const SimStmt *st = &b->stmts[i];
		if (st->kind == SIM_STMT_MQ_NOTIFY && st->mq.notify == SIM_NOTIFY_THREAD)
			return TRUE;
		if (sim_stmt_body(st) && block_has_notify_thread(sim_stmt_body(st)))
			return TRUE;
	}
	return FALSE;
}

char *xc_machine_unsupported(const SimScenario *scn)
{
	for (guint i = 0; i < scn->n_bodies; i++) {
		if (block_has_notify_thread(&scn->bodies[i]->block))
			return g_strdup("it has mq_notify ... thread: glibc runs a SIGEV_THREAD "
					"notification as a C function in a thread of its own, where "
					"a worker cannot run the scenario's statements");
	}
	return xc_pipe_users_unsupported(scn);
}
