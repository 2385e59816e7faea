/* ipcs_sem.c — util-linux's `ipcs -s` layouts for the run's semaphore sets.
 *
 * The design choice to know: as for the queues (ipcs.c), widths and headings are copied
 * from util-linux 2.38's output byte for byte, trailing blanks included; a time is the
 * simulated clock read as seconds after SIM_IPCS_EPOCH (ipcs.h), in ctime's form, as
 * ipcs -s -t prints.
 */
#include "msgsim/output/ipcs.h"
#include "output/ipcs_int.h"

#include "engine/world_int.h" /* the namespace's sets, as /proc/sysvipc/sem shows them */

#include <time.h>

static const char *ctime_of(SimTime t, gboolean set, char *buf, gsize size)
{
	if (!set)
		return "Not set";
	time_t secs = (time_t)(SIM_IPCS_EPOCH + t / SIM_S);
	struct tm tm;
	gmtime_r(&secs, &tm);
	strftime(buf, size, "%a %b %e %H:%M:%S %Y", &tm);
	return buf;
}

void sim_ipcs_format_sem(GString *out, const SimWorld *w, char view)
{
	const SimIpcIds *ids = &w->semns.ids;
	char b1[32], b2[32], b3[32];
	if (view == SIM_IPCS_SEM_LIMITS) {
		const SimLimits *l = &w->ipcns.limits;
		g_string_append_printf(out,
				       "\n------ Semaphore Limits --------\n"
				       "max number of arrays = %" G_GINT64_FORMAT "\n"
				       "max semaphores per array = %" G_GINT64_FORMAT "\n"
				       "max semaphores system wide = %" G_GINT64_FORMAT "\n"
				       "max ops per semop call = %" G_GINT64_FORMAT "\n"
				       "semaphore max value = %d\n",
				       l->semmni, l->semmsl, l->semmns, l->semopm, SIM_SEMVMX);
		return;
	}
	if (view == SIM_IPCS_SEM_TIMES)
		g_string_append(out,
				"\n------ Semaphore Operation/Change Times --------\n"
				"semid    owner      last-op                    last-changed    "
				"          \n");
	else
		g_string_append(out, "\n------ Semaphore Arrays --------\n"
				     "key        semid      owner      perms      nsems     \n");
	for (guint i = 0; i < ids->n_slots; i++) {
		const SimSemArray *sma = ids->slots[i];
		if (!sma)
			continue;
		const char *who = sim_ipcs_owner(w, sma->perm.uid, b1, sizeof(b1));
		if (view == SIM_IPCS_SEM_TIMES)
			g_string_append_printf(out, "%-8d %-10.10s  %-26.24s %-26.24s\n",
					       sma->perm.id, who,
					       ctime_of(sma->otime, sma->has_otime, b2, sizeof(b2)),
					       ctime_of(sma->ctime, TRUE, b3, sizeof(b3)));
		else
			g_string_append_printf(
				out, "0x%08" G_GINT64_MODIFIER "x %-10d %-10.10s %-10o %-10u\n",
				sma->perm.key, sma->perm.id, who, sma->perm.mode, sma->nsems);
	}
}
