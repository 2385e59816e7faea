/* ipcs_proc.c — /proc/sysvipc/msg as the kernel prints it, for a namespace of the model.
 *
 * ipc/msg.c's sysvipc_msg_proc_show, field for field: one heading line, then one line per
 * live queue in index order (the order ipc/util.c's sysvipc_find_ipc walks), with the
 * times in seconds since the epoch: the simulated epoch's (SIM_IPCS_EPOCH) plus the run's
 * time, so that an ipcs -t reading the file shows the dates `msgsim ipcs -t` shows, and 0
 * for a time that never was. Two users share this one function: `msgsim ipcs --proc`
 * and the `cat "/proc/sysvipc/msg"` statement, which show a run's namespace, and `msgsim
 * exec`, which answers a real program's open of the file with it.
 *
 * The design choice to know: the caller says what a pid is (a run's process pid, or a
 * guest's pid in its own PID namespace), since the queues keep task indexes.
 */
#include "msgsim/output/ipcs.h"

#include "output/ipcs_int.h"

/* A time as the file prints it: seconds since 1970, or 0 when it never was. */
static gint64 proc_time(SimTime t, gboolean set)
{
	return set ? SIM_IPCS_EPOCH + t / SIM_S : 0;
}

void sim_ipcs_proc_msg(GString *out, const SimIpcNs *ns, SimIpcsPidFn pid, const void *ctx)
{
	g_string_append(out, "       key      msqid perms      cbytes       qnum lspid lrpid   uid"
			     "   gid  cuid  cgid      stime      rtime      ctime\n");
	for (guint i = 0; i < ns->n_slots; i++) {
		const SimMsgq *q = ns->slots[i];
		if (!q)
			continue;
		g_string_append_printf(
			out,
			"%10d %10d  %4o  %10" G_GUINT64_FORMAT " %10" G_GUINT64_FORMAT
			" %5d %5d %5u %5u %5u %5u %10" G_GINT64_FORMAT " %10" G_GINT64_FORMAT
			" %10" G_GINT64_FORMAT "\n",
			(int)q->perm.key, q->perm.id, q->perm.mode, q->cbytes, q->qnum,
			pid(ctx, q->lspid), pid(ctx, q->lrpid), (unsigned)q->perm.uid,
			(unsigned)q->perm.gid, (unsigned)q->perm.cuid, (unsigned)q->perm.cgid,
			proc_time(q->stime, q->lspid >= 0), proc_time(q->rtime, q->lrpid >= 0),
			proc_time(q->ctime, TRUE));
	}
}

/* A run's process pid (SIM_TASK_PID), 0 for none, as the kernel prints a pid never set. */
static int task_pid(const void *ctx, int task)
{
	const SimWorld *w = ctx;
	return task >= 0 && (guint)task < w->n_tasks ? w->tasks[task].pid : 0;
}

void sim_ipcs_format_proc(GString *out, const SimWorld *w)
{
	sim_ipcs_proc_msg(out, &w->ipcns, task_pid, w);
}
