/* xcheck_sem.c — the kernel's side of `expect sem key=K NUM val= ncnt= zcnt= pid=`.
 *
 * An expectation on a semaphore reads the set that last had the key, as it was at its
 * IPC_RMID when it is gone (report.c). The kernel forgets a removed set, so its side is
 * read at the same two moments: just before the run removes a set (semctl rmid, ipcrm -s
 * or -S), and at the end for a set still alive. Each time the coordinator's inspector asks
 * GETVAL, GETNCNT, GETZCNT and GETPID of every semaphore of the run's own real set, and
 * keeps the answers, with the pid written as the task that has it.
 *
 * The design choice to know: these reads are no rows of the comparison (the counts of
 * compared calls stay what the calls make); they only feed the expectation, which is then
 * judged on the kernel's values by the same rule the model's side uses.
 */
#include "real/xcheck_int.h"

#include <sys/ipc.h>
#include <sys/sem.h>

#include "msgsim/kernel/sem.h"

/* One set as the kernel told it: four values a semaphore, the pid as a task (-1: none,
 * -2: a process not of the run). */
typedef struct XSemEnd {
	guint nsems;
	gint64 *v; /* [num * 4 + 0..3]: val, ncnt, zcnt, pid */
} XSemEnd;

static void sem_end_free(gpointer p)
{
	XSemEnd *k = p;
	g_free(k->v);
	g_free(k);
}

static gint64 task_of_pid(const Xc *xc, gint64 pid)
{
	if (pid == 0)
		return -1;
	for (guint i = 0; i < xc->n; i++)
		if (xc->x[i].pid > 0 && xc->x[i].pid == pid)
			return (gint64)i;
	return -2;
}

void xc_sem_snapshot(Xc *xc, const SimSemArray *sma)
{
	static const int cmds[4] = { GETVAL, GETNCNT, GETZCNT, GETPID };
	if (!sma || sma->removed || xc->free || xc->failed)
		return; /* a free run has no inspector between calls */
	if (!xc->ksem)
		xc->ksem = g_hash_table_new_full(NULL, NULL, NULL, sem_end_free);
	if (g_hash_table_contains(xc->ksem, sma))
		return;
	XSemEnd *k = g_new0(XSemEnd, 1);
	k->nsems = sma->nsems;
	k->v = g_new0(gint64, (gsize)sma->nsems * 4);
	/* the table only compares the address; it never writes through it */
	g_hash_table_insert(xc->ksem, (gpointer)(guintptr)sma, k);
	for (guint i = 0; i < sma->nsems; i++) {
		for (guint c = 0; c < 4; c++) {
			SimRealResult r;
			gint64 a[6] = { real_id(xc, XC_SEM, sma->perm.id), i, cmds[c] };
			if (!xc_call_now(xc, &xc->inspector, SIM_REAL_SEMCTL, a, NULL, &r, NULL))
				return;
			gint64 v = r.ret < 0 ? G_MININT64 : r.ret;
			k->v[i * 4 + c] = c == 3 && r.ret >= 0 ? task_of_pid(xc, v) : v;
		}
	}
}

void xc_sem_final(Xc *xc)
{
	for (guint i = 0; i < xc->w->semns.all->len && !xc->failed; i++)
		xc_sem_snapshot(xc, g_ptr_array_index(xc->w->semns.all, i));
}

/* The set an expectation reads, as report.c finds it: the newest with the key. */
static const SimSemArray *expected_set(const SimWorld *w, gint64 key)
{
	for (guint i = w->semns.all->len; i-- > 0;) {
		const SimSemArray *sma = g_ptr_array_index(w->semns.all, i);
		if (sma->perm.key == key)
			return sma;
	}
	return NULL;
}

gboolean xc_sem_told(const Xc *xc, const SimScnExpect *e)
{
	const SimSemArray *sma = expected_set(xc->w, e->key);
	return sma && xc->ksem && g_hash_table_contains(xc->ksem, sma);
}

static const char *stat_word(SimStatKey key)
{
	return key == SIM_STAT_VAL    ? "val"
	       : key == SIM_STAT_NCNT ? "ncnt"
	       : key == SIM_STAT_ZCNT ? "zcnt"
				      : "pid";
}

gboolean xc_sem_expectation(const Xc *xc, const SimScnExpect *e, GString *seen)
{
	const SimSemArray *sma = expected_set(xc->w, e->key);
	const XSemEnd *k = sma && xc->ksem ? g_hash_table_lookup(xc->ksem, sma) : NULL;
	if (!k || (guint64)e->sem_num >= k->nsems) {
		g_string_append(seen, "the set was not read back");
		return FALSE;
	}
	gboolean ok = TRUE;
	for (guint i = 0; i < e->n_stats; i++) {
		SimStatKey key = e->stats[i].key;
		guint c = key == SIM_STAT_VAL	 ? 0
			  : key == SIM_STAT_NCNT ? 1
			  : key == SIM_STAT_ZCNT ? 2
						 : 3;
		gint64 v = k->v[(guint)e->sem_num * 4 + c];
		ok = ok && v == e->stats[i].value;
		g_string_append_printf(seen, "%s%s=", i ? " " : "", stat_word(key));
		if (v == G_MININT64)
			g_string_append(seen, "(error)");
		else if (c == 3)
			g_string_append(seen, v >= 0	? xc->w->tasks[v].name
					      : v == -1 ? "none"
							: "another process");
		else
			g_string_append_printf(seen, "%" G_GINT64_FORMAT, v);
	}
	return ok;
}
