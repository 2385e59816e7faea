/* xcheck_compare.c — comparing a model call with the kernel's answer, and the final state.
 *
 * Both sides of a finished call are written as a Cell: the model's from its result and
 * call output, the kernel's from the worker's answer; errno and return value here, the
 * rest (data, a second value, stat fields) by the call's row (model_cell, kernel_cell). The design
 * choice to know: the two are compared as text, the cells as the table prints them, so the table
 * shows exactly what was compared; only data that differs beyond what a cell shows (data_differs)
 * and an id the shared-mode maps cannot bind are mismatches the text alone would miss. At the end
 * the tasks still blocked, every SysV and POSIX queue and every mailbox are compared the same way,
 * as rows of a step by no process.
 */
#define _GNU_SOURCE

#include "real/xcheck_int.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/wait.h>

#include "msgsim/calls/call.h"
#include "msgsim/engine/interp.h"
#include "msgsim/output/trace.h"

#define DATA_SHOWN 40 /* bytes of data a report cell shows */

/* ---- Cells: how a result reads in the table ---- */

/* The data, DATA_SHOWN bytes of it from byte skip on ("+skip" before, "+rest" after). */
static void append_data(GString *s, const char *data, gsize len, gsize skip)
{
	skip = MIN(skip, len);
	gsize shown = MIN(len - skip, (gsize)DATA_SHOWN);
	g_string_append_c(s, ' ');
	if (skip)
		g_string_append_printf(s, "+%zu", skip);
	sim_trace_quote(s, data + skip, shown);
	len -= skip;
	if (shown < len)
		g_string_append_printf(s, "+%zu", len - shown);
}

char *xc_cell_text(const Cell *c)
{
	GString *s = g_string_new(NULL);
	if (c->err) {
		g_string_append(s, sim_errno_name(c->err));
		return g_string_free(s, FALSE);
	}
	g_string_append_printf(s, "ok %" G_GINT64_FORMAT, c->ret);
	if (c->has_data)
		append_data(s, c->data, c->len, c->skip);
	if (c->has_ret2)
		g_string_append_printf(s, " %s=%" G_GINT64_FORMAT, c->ret2_name, c->ret2);
	if (c->extra)
		g_string_append(s, c->extra->str);
	return g_string_free(s, FALSE);
}

/* ---- Comparing ---- */

static gboolean data_equal(const GString *model, const char *real, gint64 real_len)
{
	/* The kernel's buffer is the message's size: the model's text, then zero bytes. */
	gsize n = (gsize)MAX(real_len, 0);
	n = MIN(n, (gsize)SIM_REAL_DATA_MAX);
	if (model->len > n)
		return FALSE;
	if (memcmp(model->str, real, model->len) != 0)
		return FALSE;
	for (gsize i = model->len; i < n; i++)
		if (real[i] != 0)
			return FALSE;
	return TRUE;
}

static const char *real_task_name(const Xc *xc, gint64 pid)
{
	if (pid == 0)
		return "-";
	for (guint i = 0; i < xc->n; i++)
		if (xc->x[i].started && xc->x[i].pid == pid)
			return xc->scn->procs[i].name;
	return "?";
}

static void stat_fields(GString *s, const Xc *xc, const gint64 f[11], gboolean real)
{
	const char *ls = real ? real_task_name(xc, f[3]) : f[3] >= 0 ? xc->w->names[f[3]] : "-";
	const char *lr = real ? real_task_name(xc, f[4]) : f[4] >= 0 ? xc->w->names[f[4]] : "-";
	g_string_append_printf(
		s,
		" qnum=%" G_GINT64_FORMAT " cbytes=%" G_GINT64_FORMAT " qbytes=%" G_GINT64_FORMAT
		" lspid=%s lrpid=%s mode=%04" G_GINT64_MODIFIER "o uid=%" G_GINT64_FORMAT
		" gid=%" G_GINT64_FORMAT " cuid=%" G_GINT64_FORMAT " cgid=%" G_GINT64_FORMAT
		" key=%#" G_GINT64_MODIFIER "x",
		f[0], f[1], f[2], ls, lr, f[5], f[6], f[7], f[8], f[9], f[10]);
}

static void model_stat(const SimMsgq *q, gint64 f[11])
{
	f[0] = (gint64)q->qnum;
	f[1] = (gint64)q->cbytes;
	f[2] = (gint64)q->qbytes;
	f[3] = q->lspid;
	f[4] = q->lrpid;
	f[5] = q->perm.mode & 0777;
	f[6] = q->perm.uid;
	f[7] = q->perm.gid;
	f[8] = q->perm.cuid;
	f[9] = q->perm.cgid;
	f[10] = (gint64)(guint32)q->perm.key;
}

/* A SysV queue's IPC_STAT fields: the model's queue, and the kernel's answer. */
void xc_model_queue_stat(const Xc *xc, const SimMsgq *q, GString *s)
{
	gint64 f[11];
	model_stat(q, f);
	stat_fields(s, xc, f, FALSE);
}

void xc_kernel_queue_stat(const Xc *xc, const gint64 stat[12], GString *s)
{
	gint64 f[11];
	xc_kernel_stat(xc, stat, f);
	stat_fields(s, xc, f, TRUE);
}

/* The data a call received (its output), when it succeeded. */
void xc_model_data(SimModelCell *mc)
{
	const SimCallOut *out = sim_world_call_out(mc->w);
	Cell *m = mc->m;
	if (m->err)
		return;
	m->has_data = TRUE;
	m->data = out->got ? out->text->str : "";
	m->len = out->got ? out->text->len : 0;
}

/* The kernel's data, shown as the model's text when equal (zero padding included); else
 * both from a little before the first byte that differs. */
void xc_kernel_data(SimKernelCell *kc)
{
	const SimRealResult *r = kc->r;
	const char *data = kc->data;
	Cell *m = kc->m, *k = kc->k;
	if (r->err)
		return;
	k->has_data = TRUE;
	gboolean same = m->has_data && !m->err &&
			data_equal(sim_world_call_out(kc->xc->w)->text, data ? data : "", r->ret);
	k->data = same ? m->data : data ? data : "";
	k->len = same ? m->len : r->len;
	k->data_differs = !same;
	if (!same && m->has_data) {
		gsize d = 0;
		while (d < m->len && d < k->len && m->data[d] == k->data[d])
			d++;
		k->skip = m->skip = d > DATA_SHOWN - 8 ? d - 8 : 0;
	}
}

static void append_untouched(Cell *c, gint64 n)
{
	if (!c->extra)
		c->extra = g_string_new(NULL);
	g_string_append_printf(c->extra, " untouched=%" G_GINT64_FORMAT, n);
}

void xc_model_untouched(SimModelCell *mc, gint64 fill)
{
	if (fill >= 0 && !mc->m->err)
		append_untouched(mc->m, mc->w->results[mc->st->id].untouched);
}

void xc_kernel_untouched(SimKernelCell *kc, gint64 fill)
{
	if (fill >= 0 && !kc->r->err)
		append_untouched(kc->k, kc->r->stat[11]);
}

/* A second value ("type", "prio", ...) on a side whose call succeeded: the model's from v,
 * the kernel's from its answer's ret2. */
void xc_model_ret2(SimModelCell *mc, const char *name, gint64 v)
{
	if (mc->m->err)
		return;
	mc->m->has_ret2 = TRUE;
	mc->m->ret2_name = name;
	mc->m->ret2 = v;
}

void xc_kernel_ret2(SimKernelCell *kc, const char *name)
{
	if (kc->r->err)
		return;
	kc->k->has_ret2 = TRUE;
	kc->k->ret2_name = name;
	kc->k->ret2 = kc->r->ret2;
}

/* The model's side of a finished call: its errno and return value, and what its row adds. */
static void model_cell(Xc *xc, SimWorld *w, const SimTask *t, const SimStmt *st, Cell *m)
{
	const SimStmtResult *r = sim_world_result(w, st);
	SimCallModelCellFn more = sim_call_desc(st->kind)->model_cell;
	m->err = r->err;
	m->ret = r->ret;
	if (more) {
		SimModelCell mc = { .xc = xc, .w = w, .t = t, .st = st, .m = m };
		more(&mc);
	}
}

/* The kernel's side, in the same shape. */
static void kernel_cell(Xc *xc, const SimStmt *st, const XTask *x, Cell *m, Cell *k)
{
	SimCallKernelCellFn more = sim_call_desc(st->kind)->kernel_cell;
	k->err = x->res.err;
	k->ret = x->res.ret;
	if (more) {
		SimKernelCell kc = {
			.xc = xc, .st = st, .r = &x->res, .data = x->data, .m = m, .k = k
		};
		more(&kc);
	}
}

static void cell_clear(Cell *c)
{
	if (c->extra)
		g_string_free(c->extra, TRUE);
}

/* Compares the model's finished call st with x's answer: one row, "still blocked" when the
 * kernel has not answered. The call is no longer in the kernel afterwards. */
void xc_compare_call(Xc *xc, SimWorld *w, const SimTask *t, const SimStmt *st, XTask *x)
{
	Cell m = { 0 }, k = { 0 };
	model_cell(xc, w, t, st, &m);
	g_autofree char *kt = NULL;
	if (x->died) {
		kt = g_strdup("died in the call");
		x->died = FALSE;
	} else if (x->answered) {
		kernel_cell(xc, st, x, &m, &k); /* may set where m's data is shown from */
		kt = xc_cell_text(&k);
	}
	g_autofree char *mt = xc_cell_text(&m);
	gboolean match = kt && strcmp(mt, kt) == 0 && !k.data_differs;
	xc_kernel_returned(xc, t, st, x, x->answered, match);
	const char *name = xc_row_call(x, st);
	x->sent = x->answered = FALSE;
	xc_row(xc, t, name, st->loc.line, mt, kt ? kt : "still blocked", match);
	cell_clear(&m);
	cell_clear(&k);
}

/* A poll or select whose real deadline came: it returns 0, not ETIMEDOUT, and the model's
 * own timeout answers it in its turn. */
static gboolean timed_out_poll(const XTask *x)
{
	return x->timed && (x->op == SIM_REAL_POLL || x->op == SIM_REAL_SELECT) &&
	       x->res.ret == 0 && !x->res.err;
}

/* A kernel answer the model has not given: a mismatch now, before anything else runs. */
void xc_check_unexpected(Xc *xc)
{
	for (guint i = 0; i < xc->n; i++) {
		XTask *x = &xc->x[i];
		const SimTask *t = &xc->w->tasks[i];
		/* A task woken in the model but not run yet: the kernel's process went on at
		 * once (run's schedule), its answer waits for the model's return. */
		if (x->sent && x->answered && !t->resuming && !x->late &&
		    !(x->timed && x->res.err == ETIMEDOUT) && !timed_out_poll(x)) {
			const SimStmt *st = t->prog->code[t->pc].stmt;
			Cell k = { .err = x->res.err, .ret = x->res.ret };
			g_autofree char *kt = xc_cell_text(&k);
			xc_row(xc, t, st ? xc_row_call(x, st) : "call", st ? st->loc.line : 0,
			       "still blocked", kt, FALSE);
			x->sent = x->answered = FALSE;
		}
		if (x->died && t->state != SIM_STATE_EXITED) {
			g_autofree char *how =
				x->wk.status >= 0 && WIFSIGNALED(x->wk.status)
					? g_strdup_printf(
						  "killed by %s",
						  sim_scn_signal_name(WTERMSIG(x->wk.status)))
					: g_strdup("died");
			xc_row(xc, t, "process", 0, "alive", how, FALSE);
			x->died = FALSE;
			x->sent = FALSE;
		}
	}
}

/* A POSIX queue's state as the inspector finds it: "maxmsg=.. msgsize=.. curmsgs=..
 * QSIZE=..", or with all FALSE only "curmsgs=..", or the error of opening it. */
static gboolean real_mq_state(Xc *xc, const char *name, gboolean all, GString *ks)
{
	SimRealResult r;
	gint64 a[6] = { 0, O_RDONLY, 0, -1, -1 };
	if (!xc_call_now(xc, &xc->inspector, SIM_REAL_MQ_OPEN, a, name, &r, NULL))
		return FALSE;
	if (r.ret < 0) {
		g_string_append(ks, sim_errno_name(r.err));
		return TRUE;
	}
	gint64 fd = r.ret;
	gint64 b[6] = { fd };
	if (!xc_call_now(xc, &xc->inspector, SIM_REAL_MQ_GETATTR, b, NULL, &r, NULL))
		return FALSE;
	if (!all) {
		g_string_append_printf(ks, "curmsgs=%" G_GINT64_FORMAT, r.stat[3]);
	} else {
		g_string_append_printf(ks,
				       "maxmsg=%" G_GINT64_FORMAT " msgsize=%" G_GINT64_FORMAT
				       " curmsgs=%" G_GINT64_FORMAT,
				       r.stat[1], r.stat[2], r.stat[3]);
		g_autofree char *qs = NULL;
		gint64 c[6] = { fd, 256, 0 };
		if (!xc_call_now(xc, &xc->inspector, SIM_REAL_READ, c, NULL, &r, &qs))
			return FALSE;
		guint64 qsize = 0;
		if (qs && g_str_has_prefix(qs, "QSIZE:"))
			qsize = g_ascii_strtoull(qs + 6, NULL, 10);
		g_string_append_printf(ks, " QSIZE=%" G_GUINT64_FORMAT, qsize);
	}
	gint64 d[6] = { fd };
	return xc_call_now(xc, &xc->inspector, SIM_REAL_CLOSE, d, NULL, &r, NULL);
}

/* One comparison of the final state: a step of its own, by no process. */
static void end_row(Xc *xc, const char *what, const char *model, const char *kernel)
{
	xc->step++;
	SimTask pseudo = { .name = "(end)" };
	xc_row(xc, &pseudo, what, 0, model, kernel, strcmp(model, kernel) == 0);
}

void xc_final_state(Xc *xc)
{
	SimWorld *w = xc->w;
	/* Tasks the model leaves blocked must sleep in the kernel too. */
	for (guint i = 0; i < xc->n; i++) {
		XTask *x = &xc->x[i];
		const SimTask *t = &w->tasks[i];
		if (t->state != SIM_STATE_BLOCKED || !x->sent)
			continue;
		const SimStmt *st = t->prog->code[t->pc].stmt;
		xc->step++;
		gboolean asleep = !x->answered && !x->died &&
				  sim_real_blocked_in(x->wk.pid, xc_blocking_nr(x->op));
		xc_row(xc, t, st ? xc_row_call(x, st) : "call", st ? st->loc.line : 0,
		       "blocked at the end", asleep ? "blocked at the end" : "not blocked", asleep);
		xc->k_awake |= !asleep;
		x->k_awake = !asleep;
	}
	xc_check_unexpected(xc);
	xc_siginfo_final(xc);
	if (xc->stops)
		xc_stop_final(xc);
	/* SysV queues */
	for (guint i = 0; i < w->msgqs->len && !xc->failed; i++) {
		SimMsgq *q = g_ptr_array_index(w->msgqs, i);
		if (q->removed)
			continue;
		SimRealResult r;
		gint64 a[6] = { real_id(xc, XC_MSG, q->perm.id), IPC_STAT };
		if (!xc_call_now(xc, &xc->inspector, SIM_REAL_MSGCTL, a, NULL, &r, NULL))
			return;
		gint64 f[11];
		model_stat(q, f);
		g_autoptr(GString) ms = g_string_new("ok");
		stat_fields(ms, xc, f, FALSE);
		g_autoptr(GString) ks = g_string_new(NULL);
		if (r.ret < 0) {
			g_string_append(ks, sim_errno_name(r.err));
		} else {
			xc_kernel_stat(xc, r.stat, f);
			g_string_append(ks, "ok");
			stat_fields(ks, xc, f, TRUE);
		}
		g_autofree char *what = g_strdup_printf("IPC_STAT of id %d at the end", q->perm.id);
		if (r.ret >= 0 && strcmp(ms->str, ks->str) != 0) {
			XQueueEnd k = { .q = q };
			memcpy(k.f, f, sizeof(k.f));
			if (!xc->ksysv)
				xc->ksysv = g_array_new(FALSE, FALSE, sizeof(XQueueEnd));
			g_array_append_val(xc->ksysv, k);
		}
		end_row(xc, what, ms->str, ks->str);
	}
	/* Semaphore sets still alive, for `expect sem` */
	xc_sem_final(xc);
	/* POSIX queues still linked */
	for (guint i = 0; i < w->mqueues->len && !xc->failed; i++) {
		const SimMqueue *q = g_ptr_array_index(w->mqueues, i);
		if (q->unlinked)
			continue;
		g_autoptr(GString) ks = g_string_new(NULL);
		g_autofree char *name = real_mq(xc, q->name, FALSE);
		if (!real_mq_state(xc, name, TRUE, ks))
			return;
		g_autofree char *ms =
			g_strdup_printf("maxmsg=%" G_GINT64_FORMAT " msgsize=%" G_GINT64_FORMAT
					" curmsgs=%" G_GUINT64_FORMAT " QSIZE=%" G_GUINT64_FORMAT,
					q->maxmsg, q->msgsize, q->curmsgs, q->qsize);
		g_autofree char *what = g_strdup_printf("mq_getattr of %s at the end", q->name);
		if (strcmp(ms, ks->str) != 0) {
			if (!xc->kmq_bad)
				xc->kmq_bad = g_hash_table_new(g_str_hash, g_str_equal);
			g_hash_table_add(xc->kmq_bad, (gpointer)q->name);
		}
		end_row(xc, what, ms, ks->str);
	}
	/* Mailboxes: the messages left in each */
	for (guint i = 0; i < xc->scn->n_mboxes && !xc->failed; i++) {
		if (!xc->mb[i].name)
			continue; /* left out: it has no queue */
		g_autoptr(GString) ks = g_string_new(NULL);
		if (!real_mq_state(xc, xc->mb[i].name, FALSE, ks))
			return;
		g_autofree char *ms = g_strdup_printf("curmsgs=%u", (guint)w->mboxes[i].msgs.len);
		g_autofree char *what =
			g_strdup_printf("messages left in mailbox %s", xc->scn->mboxes[i].name);
		end_row(xc, what, ms, ks->str);
	}
}
