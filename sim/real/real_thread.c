/* real_thread.c — the real side of threads: pthread_create and a thread's end, one row of the
 * ops table each (see real_int.h).
 *
 * The design choice to know: a scenario's thread is a real thread of its process's worker,
 * made with pthread_create, so it shares the worker's descriptor table, credentials and
 * signal actions exactly as the kernel shares them (CLONE_FILES, CLONE_SIGHAND,
 * CLONE_THREAD). It serves commands on a channel the coordinator prepared, as a fork's
 * child does (real.c, sim_real_worker_thread), and its calls run in it: a read it blocks in
 * is the kernel's read in that thread, which /proc/TID/syscall shows.
 */
#include "real/real_int.h"

static gint64 exec_thread(const SimRealSandbox *sb, const SimRealCall *c, const char *data,
			  SimRealResult *r, GString *out, int *err)
{
	(void)data, (void)r, (void)out;
	return sim_real_worker_thread(sb, c->a[0], err);
}

/* The thread's loop ends it after answering (real.c): nothing to do here. */
static gint64 exec_thread_end(const SimRealSandbox *sb, const SimRealCall *c, const char *data,
			      SimRealResult *r, GString *out, int *err)
{
	(void)sb, (void)c, (void)data, (void)r, (void)out, (void)err;
	return 0;
}

static const SimRealOpRow thread_rows[] = {
	{ SIM_REAL_THREAD, "pthread_create", exec_thread },
	{ SIM_REAL_THREAD_END, "pthread_exit", exec_thread_end },
};

const SimRealBackend sim_real_thread_backend = { "thread", thread_rows,
						 G_N_ELEMENTS(thread_rows) };
