/* ipcs_shm.c — util-linux's `ipcs -m` layouts for the run's shared memory segments.
 *
 * The design choice to know: as for queues and semaphores, widths and headings are copied
 * from util-linux 2.38's output byte for byte. The limits a fresh namespace has are more
 * than a gint64 holds (limits.h keeps them saturated); they are printed as the kernel's
 * own numbers, so `ipcs -m -l` of an untouched run reads as the machine's does.
 */
#include "msgsim/output/ipcs.h"
#include "output/ipcs_int.h"

#include "engine/world_int.h" /* the namespace's segments, as /proc/sysvipc/shm shows them */

/* ULONG_MAX - 2^24, the kernel's default shmmax and shmall. */
#define SHM_DEFAULT G_GUINT64_CONSTANT(18446744073692774399)

static void limits(GString *out, const SimLimits *l)
{
	guint64 max = l->shmmax == G_MAXINT64 ? SHM_DEFAULT : (guint64)l->shmmax;
	/* Pages times 4 kbytes; for the default, the number util-linux 2.38 prints on the
	 * project's machines (its arithmetic saturates there). */
	guint64 all = l->shmall == G_MAXINT64 ? G_GUINT64_CONSTANT(18446744073709551612)
					      : (guint64)l->shmall * (SIM_SHM_PAGE / 1024);
	g_string_append_printf(out,
			       "\n------ Shared Memory Limits --------\n"
			       "max number of segments = %" G_GINT64_FORMAT "\n"
			       "max seg size (kbytes) = %" G_GUINT64_FORMAT "\n"
			       "max total shared memory (kbytes) = %" G_GUINT64_FORMAT "\n"
			       "min seg size (bytes) = 1\n",
			       l->shmmni, max >> 10, all);
}

void sim_ipcs_format_shm(GString *out, const SimWorld *w, char view)
{
	char b1[32];
	if (view == SIM_IPCS_SHM_LIMITS) {
		limits(out, &w->ipcns.limits);
		return;
	}
	if (view == SIM_IPCS_SHM_PIDS)
		g_string_append(out, "\n------ Shared Memory Creator/Last-op PIDs --------\n"
				     "shmid      owner      cpid       lpid      \n");
	else
		g_string_append(out,
				"\n------ Shared Memory Segments --------\n"
				"key        shmid      owner      perms      bytes      nattch     "
				"status      \n");
	const SimIpcIds *ids = &w->shmns.ids;
	for (guint i = 0; i < ids->n_slots; i++) {
		const SimShmSeg *seg = ids->slots[i];
		if (!seg)
			continue;
		const char *who = sim_ipcs_owner(w, seg->perm.uid, b1, sizeof(b1));
		if (view == SIM_IPCS_SHM_PIDS) {
			g_string_append_printf(out, "%-10d %-10.10s %-10s %-10s\n", seg->perm.id,
					       who, seg->cpid >= 0 ? w->tasks[seg->cpid].name : "0",
					       seg->lpid >= 0 ? w->tasks[seg->lpid].name : "0");
			continue;
		}
		g_string_append_printf(
			out,
			"0x%08" G_GINT64_MODIFIER "x %-10d %-10.10s %-10o %-10" G_GINT64_FORMAT
			" %-10" G_GINT64_FORMAT " %-6s %-6s\n",
			seg->perm.key, seg->perm.id, who, seg->perm.mode, seg->segsz, seg->nattch,
			seg->dest ? "dest" : " ", seg->locked ? "locked" : " ");
	}
}
