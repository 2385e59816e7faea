/* real_ops.c — the real-kernel runner's ops table: every SimRealOp's row, found by op, and
 * sim_real_exec, which runs one call in the calling process.
 *
 * The design choice to know: the rows live in the backend files, one per API (real_sysv.c,
 * real_posix.c, real_file.c, real_proc.c), and each exports them as a SimRealBackend; this
 * file only lists the backends and indexes their rows by op, once, on first use. What every
 * call shares is done here and nowhere else: the result cleared before the call, and after
 * it the return value, errno (only for a failed call) and the length of the data given back.
 * An op no row makes answers ENOSYS; sim_real_ops_check, run by the unit tests, makes sure
 * there is none, and no op with two rows.
 */
#include <errno.h>
#include <string.h>

#include "real/real_int.h"

static const SimRealBackend *const backends[] = {
	&sim_real_sysv_backend,
	&sim_real_posix_backend,
	&sim_real_file_backend,
	&sim_real_sock_backend,
	&sim_real_seek_backend,
	&sim_real_cred_backend,
	&sim_real_exec_backend,
	&sim_real_proc_backend,
	&sim_real_thread_backend,
	&sim_real_notify_backend,
	&sim_real_sem_backend,
	&sim_real_shm_backend,
	&sim_real_poll_backend,
};

/* Every op's row, by op: filled once (first row wins; the check reports any other). */
static const SimRealOpRow *by_op[SIM_REAL_N_OPS];
static gsize by_op_ready;

const SimRealBackend *const *sim_real_backends(guint *n)
{
	*n = G_N_ELEMENTS(backends);
	return backends;
}

static void index_rows(void)
{
	for (guint b = 0; b < G_N_ELEMENTS(backends); b++) {
		for (guint i = 0; i < backends[b]->n_rows; i++) {
			const SimRealOpRow *row = &backends[b]->rows[i];
			if ((guint)row->op < SIM_REAL_N_OPS && by_op[row->op] == NULL)
				by_op[row->op] = row;
		}
	}
}

const SimRealOpRow *sim_real_op_row(SimRealOp op)
{
	if (g_once_init_enter(&by_op_ready)) {
		index_rows();
		g_once_init_leave(&by_op_ready, 1);
	}
	return (guint)op < SIM_REAL_N_OPS ? by_op[op] : NULL;
}

gboolean sim_real_ops_check(const SimRealBackend *const *list, guint n, GString *why)
{
	g_return_val_if_fail(list != NULL || n == 0, FALSE);
	g_return_val_if_fail(why != NULL, FALSE);

	guint count[SIM_REAL_N_OPS] = { 0 };
	gboolean ok = TRUE;
	for (guint b = 0; b < n; b++) {
		for (guint i = 0; i < list[b]->n_rows; i++) {
			const SimRealOpRow *row = &list[b]->rows[i];
			if ((guint)row->op >= SIM_REAL_N_OPS) {
				g_string_append_printf(why, "%s: row %u: op %d is no op\n",
						       list[b]->api, i, (int)row->op);
				ok = FALSE;
				continue;
			}
			count[row->op]++;
			if (row->name == NULL || row->exec == NULL) {
				g_string_append_printf(why, "%s: op %d: a row without %s\n",
						       list[b]->api, (int)row->op,
						       row->name == NULL ? "a name" : "an exec");
				ok = FALSE;
			}
		}
	}
	for (guint op = 0; op < SIM_REAL_N_OPS; op++) {
		if (count[op] != 1) {
			g_string_append_printf(why, "op %u: %u rows\n", op, count[op]);
			ok = FALSE;
		}
	}
	return ok;
}

const char *sim_real_op_name(SimRealOp op)
{
	const SimRealOpRow *row = sim_real_op_row(op);
	return row != NULL && row->name != NULL ? row->name : "unknown-op";
}

void sim_real_exec(const SimRealSandbox *sb, const SimRealCall *c, const char *data,
		   SimRealResult *r, GString *out)
{
	g_return_if_fail(c != NULL && r != NULL && out != NULL);
	g_return_if_fail(c->len == 0 || data != NULL);

	memset(r, 0, sizeof(*r));
	const SimRealOpRow *row = sim_real_op_row(c->op);
	int err = 0;
	gint64 ret = -1;
	r->t_start = g_get_monotonic_time();
	if (row != NULL)
		ret = row->exec(sb, c, data, r, out, &err);
	else
		err = ENOSYS;
	/* When it began and returned: free runs take the kernel's order of calls from them. */
	r->t_end = g_get_monotonic_time();
	r->ret = ret;
	r->err = ret < 0 ? err : 0;
	r->len = (guint32)MIN(out->len, (gsize)SIM_REAL_DATA_MAX);
}
