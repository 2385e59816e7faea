/* snap_sig.c — signals and threads in the stateful search: the signal counts saved and put
 * back (snap.c), and the part of the digest that no task's own fields give (state.c).
 *
 * Most of a task's signal and thread state lives in its struct, which the snapshot copies
 * whole: the pending set, the actions and SA_RESTART bits, the stop state (stopped_by,
 * parked, kill_pending), the alarm's generation, its thread group (group, threaded,
 * ending, group_end). A thread's descriptor table points at its process's (fdt.shared),
 * and a blocked read of a threaded task holds a description (io_file): both are
 * snap_pipe.c's, the one owner of tables and descriptions. What is left outside the tasks
 * is the counts of delivered and handled signals that `expect P signal S delivered=N
 * handled=M` reads: a table made with the world, whose keys never change, so the values
 * alone are saved and put back; and one process's records of a labelled statement, which
 * `expect P@LABEL` reads (replicas share their statements' own records): made at a
 * statement's first run, so a restore sets those made since back to zero, which reads as
 * never run. state.c digests those records beside the statements' own.
 *
 * The design choice to know: the counts go into the digest as an order-free sum of one
 * word per key, as snap_mq.c digests the queue charges, so the hash table's own order (which
 * depends on its history) never tells two states apart.
 */
#include "explore/snap_sig.h"

#include "explore/snap_msg.h"

#include <string.h>

gboolean snap_sig_fits(const SimStmt *st)
{
	return st->kind == SIM_STMT_THREAD || st->kind == SIM_STMT_JOIN ||
	       (st->kind == SIM_STMT_MQ_NOTIFY &&
		(st->mq.notify == SIM_NOTIFY_THREAD || st->mq.notify == SIM_NOTIFY_SIGNAL));
}

gboolean snap_sig_notifies(const SimWorld *w)
{
	for (guint i = 0; i < w->n_tasks; i++) {
		const SimProgram *p = w->tasks[i].prog;
		for (guint k = 0; k < p->n_code; k++) {
			const SimStmt *st = p->code[k].stmt;
			if (st && st->kind == SIM_STMT_MQ_NOTIFY &&
			    (st->mq.notify == SIM_NOTIFY_THREAD ||
			     st->mq.notify == SIM_NOTIFY_SIGNAL))
				return TRUE;
		}
	}
	return FALSE;
}

void snap_sig_save(SnapSig *s, const SimWorld *w)
{
	if (!s->counts)
		s->counts = g_array_new(FALSE, FALSE, sizeof(guint64));
	g_array_set_size(s->counts, 0);
	GHashTableIter it;
	gpointer k, v;
	if (w->sig_counts)
		g_hash_table_iter_init(&it, w->sig_counts);
	while (w->sig_counts && g_hash_table_iter_next(&it, &k, &v)) {
		const guint64 *n = v;
		guint64 triple[3] = { (guint64)GPOINTER_TO_SIZE(k), n[0], n[1] };
		g_array_append_vals(s->counts, triple, 3);
	}
	if (!s->keys) {
		s->keys = g_array_new(FALSE, FALSE, sizeof(gsize));
		s->results = g_array_new(FALSE, FALSE, sizeof(SimStmtResult));
	}
	g_array_set_size(s->keys, 0);
	g_array_set_size(s->results, 0);
	if (w->task_results)
		g_hash_table_iter_init(&it, w->task_results);
	while (w->task_results && g_hash_table_iter_next(&it, &k, &v)) {
		gsize key = GPOINTER_TO_SIZE(k);
		g_array_append_val(s->keys, key);
		g_array_append_vals(s->results, v, 1);
	}
}

void snap_sig_restore(const SnapSig *s, SimWorld *w)
{
	for (guint i = 0; s->counts && i + 2 < s->counts->len; i += 3) {
		gpointer key = GSIZE_TO_POINTER((gsize)g_array_index(s->counts, guint64, i));
		guint64 *n = g_hash_table_lookup(w->sig_counts, key);
		n[0] = g_array_index(s->counts, guint64, i + 1);
		n[1] = g_array_index(s->counts, guint64, i + 2);
	}
	if (!w->task_results)
		return;
	/* A record made since the save goes back to all zero, which reads as never run, as
	 * a missing one does (sim_world_task_result). */
	GHashTableIter it;
	gpointer v;
	g_hash_table_iter_init(&it, w->task_results);
	while (g_hash_table_iter_next(&it, NULL, &v))
		memset(v, 0, sizeof(SimStmtResult));
	for (guint i = 0; i < s->keys->len; i++) {
		gpointer key = GSIZE_TO_POINTER(g_array_index(s->keys, gsize, i));
		*(SimStmtResult *)g_hash_table_lookup(w->task_results, key) =
			g_array_index(s->results, SimStmtResult, i);
	}
}

void snap_sig_clear(SnapSig *s)
{
	if (s->counts)
		g_array_unref(s->counts);
	if (s->keys) {
		g_array_unref(s->keys);
		g_array_unref(s->results);
	}
	memset(s, 0, sizeof(*s));
}

guint64 snap_sig_digest(const SimWorld *w)
{
	guint64 h = 0x7369676e616c73;
	for (guint i = 0; i < w->n_tasks; i++) {
		const SimTask *t = &w->tasks[i];
		h = snap_mix(h, (guint64)(guint32)t->group | (guint64)(t->threaded != 0) << 32 |
					(guint64)(t->ending != 0) << 33 |
					(guint64)t->group_end << 40 |
					(guint64)(t->fdt.shared != NULL) << 48);
	}
	if (!w->sig_counts)
		return h;
	guint64 sum = 0;
	GHashTableIter it;
	gpointer k, v;
	g_hash_table_iter_init(&it, w->sig_counts);
	while (g_hash_table_iter_next(&it, &k, &v)) {
		const guint64 *n = v;
		sum += snap_mix(snap_mix(snap_mix(11, (guint64)GPOINTER_TO_SIZE(k)), n[0]), n[1]);
	}
	return snap_mix(h, sum);
}
