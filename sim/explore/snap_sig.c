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
 *
 * Handler bodies (sigbody.c). A task's record of its bodies (which are installed, the
 * siginfo of each pending signal, which bodies are owed or running, the frames) is a block
 * of its own, made on the first body and freed at the task's end, and a running body has
 * counters and variables of its own while the interrupted program's wait in its frame.
 * The snapshot keeps the record whole and each running program's counters and variables
 * (messages copied, as snap.c copies the tasks'); snap.c keeps the task's own program's
 * (the bottom frame's while a body runs: snap_sig_base). A restore first undoes every body
 * the world runs (snap_sig_release: their arrays freed, each task back on its own), so
 * that snap.c puts the tasks' own arrays back as it does without bodies, then makes the
 * saved record and the running bodies' arrays again on top. The digest takes all of it
 * but what no future reads: the record of the bodies that ran (the cross-check's), and a
 * pending siginfo whose signal is no longer pending (the next one overwrites it).
 *
 * Alarms. A pending alarm is an absolute due time (alarm_at) on the world's clock. With
 * time abstracted (the walk's only timing, --timing any) its SIGALRM comes as a step of its
 * own at any point (explore.c), whatever the clock says, so the due time decides only one
 * thing: what an alarm() call returns, the seconds left rounded (call_alarm.c). Two paths
 * to one state differ in their clocks by the costs of their context switches, a few
 * microseconds, and the absolute due times would keep them apart for ever; so the digest
 * takes, per armed alarm, the value alarm() would return now, whole seconds. Two states
 * whose alarms would answer alike now are one; states that would answer differently stay
 * apart. (What is left to chance: a later call whose answer differs because the two clocks,
 * moved on by the same steps, fall on two sides of a half second; with whole-second alarms
 * and calls that cost microseconds, that takes a compute of the right length, and under
 * --timing any a compute's length is arbitrary anyway.)
 */
#include "explore/snap_sig.h"

#include "explore/snap_msg.h"
#include "calls/call_int.h"

#include <string.h>

gboolean snap_sig_fits(const SimStmt *st)
{
	return st->kind == SIM_STMT_THREAD || st->kind == SIM_STMT_JOIN || st->kind == SIM_STMT_ALARM ||
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

void snap_sig_base(const SimTask *t, const SimProgram **prog, gint64 **counters, SimVar **vars)
{
	if (t->sigb && t->sigb->n_frames) {
		const SimSigFrame *f = &t->sigb->frames[0];
		*prog = f->prog;
		*counters = f->counters;
		*vars = f->vars;
		return;
	}
	*prog = t->prog;
	*counters = t->counters;
	*vars = t->vars;
}

const SimProgram *snap_sig_saved_base(const SnapSig *s, guint i, const SimTask *saved)
{
	if (!s->has || !g_array_index(s->has, guint8, i))
		return saved->prog;
	const SimSigBodies *b = &g_array_index(s->bodies, SimSigBodies, i);
	return b->n_frames ? b->frames[0].prog : saved->prog;
}

/* Level k (1 to n_frames) of t's running bodies: its program, counters and variables. */
static void level(SimTask *t, guint k, const SimProgram **prog, gint64 ***counters,
		  SimVar ***vars)
{
	SimSigBodies *b = t->sigb;
	if (k < b->n_frames) {
		*prog = b->frames[k].prog;
		*counters = &b->frames[k].counters;
		*vars = &b->frames[k].vars;
	} else {
		*prog = t->prog;
		*counters = &t->counters;
		*vars = &t->vars;
	}
}

static gboolean save_bodies(SnapSig *s, const SimWorld *w)
{
	if (!s->has) {
		s->has = g_array_new(FALSE, TRUE, sizeof(guint8));
		s->bodies = g_array_new(FALSE, TRUE, sizeof(SimSigBodies));
		s->counters = g_array_new(FALSE, FALSE, sizeof(gint64));
		s->vars = g_array_new(FALSE, FALSE, sizeof(SimVar));
		s->var_msg = g_array_new(FALSE, FALSE, sizeof(guint64));
		snap_msgs_reset(&s->msgs);
	}
	g_array_set_size(s->has, 0);
	g_array_set_size(s->has, w->n_tasks);
	g_array_set_size(s->bodies, w->n_tasks);
	g_array_set_size(s->counters, 0);
	g_array_set_size(s->vars, 0);
	g_array_set_size(s->var_msg, 0);
	snap_msgs_reset(&s->msgs);
	for (guint i = 0; i < w->n_tasks; i++) {
		SimTask *t = &w->tasks[i];
		if (!t->sigb)
			continue;
		g_array_index(s->has, guint8, i) = 1;
		g_array_index(s->bodies, SimSigBodies, i) = *t->sigb;
		for (guint k = 1; k <= t->sigb->n_frames; k++) {
			const SimProgram *p;
			gint64 **c;
			SimVar **v;
			level(t, k, &p, &c, &v);
			g_array_append_vals(s->counters, *c, p->max_depth + 1);
			for (guint n = 0; n < p->n_vars; n++) {
				if ((*v)[n].ds)
					return FALSE; /* an IPC_STAT record: not copied */
				guint64 m = snap_msgs_keep(&s->msgs, (*v)[n].msg);
				g_array_append_val(s->vars, (*v)[n]);
				g_array_append_val(s->var_msg, m);
			}
		}
	}
	return TRUE;
}

void snap_sig_release(SimWorld *w)
{
	for (guint i = 0; i < w->n_tasks; i++) {
		SimTask *t = &w->tasks[i];
		if (!t->sigb)
			continue;
		for (guint k = 1; k <= t->sigb->n_frames; k++) {
			const SimProgram *p;
			gint64 **c;
			SimVar **v;
			level(t, k, &p, &c, &v);
			for (guint n = 0; n < p->n_vars; n++)
				sim_msg_pool_put(&w->pool, (*v)[n].msg);
			g_free(*v);
			g_free(*c);
		}
		if (t->sigb->n_frames) {
			const SimSigFrame *f = &t->sigb->frames[0];
			t->prog = f->prog;
			t->counters = f->counters;
			t->vars = f->vars;
		}
		g_clear_pointer(&t->sigb, g_free);
	}
}

static void restore_bodies(const SnapSig *s, SimWorld *w)
{
	guint c = 0, v = 0;
	for (guint i = 0; s->has && i < w->n_tasks; i++) {
		SimTask *t = &w->tasks[i];
		g_assert(!t->sigb); /* snap_sig_release */
		if (!g_array_index(s->has, guint8, i))
			continue;
		t->sigb = g_new(SimSigBodies, 1);
		*t->sigb = g_array_index(s->bodies, SimSigBodies, i);
		if (!t->sigb->n_frames)
			continue;
		/* The task's own arrays are where snap.c put them back. */
		t->sigb->frames[0].counters = t->counters;
		t->sigb->frames[0].vars = t->vars;
		for (guint k = 1; k <= t->sigb->n_frames; k++) {
			const SimProgram *p;
			gint64 **cp;
			SimVar **vp;
			level(t, k, &p, &cp, &vp);
			*cp = g_new(gint64, p->max_depth + 1);
			memcpy(*cp, &g_array_index(s->counters, gint64, c),
			       (p->max_depth + 1) * sizeof(gint64));
			c += p->max_depth + 1;
			*vp = g_new0(SimVar, p->n_vars + 1);
			for (guint n = 0; n < p->n_vars; n++, v++) {
				(*vp)[n] = g_array_index(s->vars, SimVar, v);
				(*vp)[n].msg = snap_msgs_make(w, &s->msgs,
							      g_array_index(s->var_msg, guint64, v));
			}
		}
	}
}

gboolean snap_sig_save(SnapSig *s, const SimWorld *w)
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
	return save_bodies(s, w);
}

void snap_sig_restore(const SnapSig *s, SimWorld *w)
{
	for (guint i = 0; s->counts && i + 2 < s->counts->len; i += 3) {
		gpointer key = GSIZE_TO_POINTER((gsize)g_array_index(s->counts, guint64, i));
		guint64 *n = g_hash_table_lookup(w->sig_counts, key);
		n[0] = g_array_index(s->counts, guint64, i + 1);
		n[1] = g_array_index(s->counts, guint64, i + 2);
	}
	restore_bodies(s, w);
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
	if (s->has) {
		g_array_unref(s->has);
		g_array_unref(s->bodies);
		g_array_unref(s->counters);
		g_array_unref(s->vars);
		g_array_unref(s->var_msg);
		snap_msgs_clear(&s->msgs);
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

static guint64 mix_info(guint64 h, const SimSigInfo *si)
{
	h = snap_mix(h, (guint64)(guint32)si->code);
	h = snap_mix(h, (guint64)si->pid);
	h = snap_mix(h, (guint64)si->uid);
	h = snap_mix(h, (guint64)si->value);
	return snap_mix(h, (guint64)si->status);
}

/* A frame's program's counters and variables (the running body's are state.c's). */
static guint64 mix_level(guint64 h, const SimProgram *p, const gint64 *counters,
			 const SimVar *vars, gboolean senders)
{
	for (guint i = 0; i <= p->max_depth; i++)
		h = snap_mix(h, (guint64)counters[i]);
	for (guint i = 0; i < p->n_vars; i++) {
		const SimMsg *m = vars[i].msg;
		h = snap_mix(h, (guint64)vars[i].num);
		h = snap_mix(h, (guint64)vars[i].num2);
		if (!m) {
			h = snap_mix(h, 0x6e6f6e65);
			continue;
		}
		h = snap_mix_bytes(h, m->text, m->len);
		h = snap_mix(h, (guint64)m->type ^ (guint64)m->prio << 32);
		h = snap_mix(h, m->size);
		h = snap_mix(h, (guint64)(gint64)(senders ? m->from : -2));
		h = snap_mix(h, (guint64)(gint64)m->to);
	}
	return h;
}

guint64 snap_sig_task_digest(const SimWorld *w, const SimTask *t, gboolean senders)
{
	guint64 h = 0x626f64696573;
	if (t->alarm_at != SIM_TIME_MAX && t->state != SIM_STATE_EXITED) {
		gint64 left = sim_call_alarm_seconds_left(t->alarm_at - sim_world_now(w));
		h = snap_mix(h, G_GUINT64_CONSTANT(1) << 63 ^ (guint64)left);
	}
	const SimSigBodies *b = t->sigb;
	if (!b)
		return h;
	/* Programs by their index in the world, never by address: a replay makes a new world
	 * for each execution, and its states must digest as the walk's do. */
	for (guint sig = 1; sig < G_N_ELEMENTS(b->body); sig++)
		h = snap_mix(h, b->body[sig] ? (guint64)(b->body[sig] - w->progs) + 1 : 0);
	h = snap_mix(h, b->owed);
	h = snap_mix(h, b->blocked);
	h = snap_mix(h, b->n_frames);
	for (guint sig = 1; sig < 64; sig++)
		if (t->sig_pending & (G_GUINT64_CONSTANT(1) << sig))
			h = mix_info(h, &b->pend[sig]);
	for (guint k = 0; k < b->n_frames; k++) {
		const SimSigFrame *f = &b->frames[k];
		h = snap_mix(h, (guint64)(f->prog - w->progs));
		h = snap_mix(h, f->pc | (guint64)(guint32)f->last_err << 32);
		h = snap_mix(h, (guint64)f->last_ret);
		h = snap_mix(h, (guint64)(guint32)f->sig | (guint64)(f->resume != 0) << 32);
		h = mix_info(h, &f->si);
		h = mix_level(h, f->prog, f->counters, f->vars, senders);
	}
	return h;
}
