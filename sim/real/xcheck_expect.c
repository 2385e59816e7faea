/* xcheck_expect.c — the scenario's expectations, on the model's run and on the kernel's.
 *
 * `msgsim run` checks a scenario's expectations against the model; the cross-check checks
 * them on both sides. While the lockstep runs, what the kernel did is noted next to what
 * the model did: each statement's result as the kernel gave it (ran, blocked, errno,
 * return value), the messages and bytes each receiving call got, each process's end (exit
 * status or signal), whether the tasks the model leaves blocked slept for real, and the
 * queues' state at the end. Where a comparison matched, the kernel's value is the model's
 * (so ids and pids need no translation); where it did not, it is the kernel's own.
 *
 * The design choice to know: the kernel's side is evaluated by the same code as the
 * model's (sim_report_expectation), on the model's world with the kernel's observations
 * put in its place at the very end of the run, so that an expectation means exactly the
 * same on both sides. What the kernel does not tell (a mailbox's totals, max_qnum, the
 * time) keeps the model's value, and an expectation made only of such things is reported
 * as checked in the model only.
 */
#include "real/xcheck_int.h"

#include <signal.h>
#include <string.h>
#include <sys/wait.h>

#include "msgsim/output/report.h"

/* ---- While the lockstep runs ---- */

static SimStmtResult *kres(Xc *xc, const SimStmt *st)
{
	if (!xc->kres)
		xc->kres = g_new0(SimStmtResult, xc->scn->n_stmts + 1);
	return &xc->kres[st->id];
}

static guint recv_len(const SimTask *t)
{
	return t->received ? t->received->len : 0;
}

void xc_kernel_started(Xc *xc, const SimTask *t, const SimStmt *st)
{
	SimStmtResult *r = kres(xc, st);
	r->runs++;
	r->blocked = FALSE;
	r->returned = FALSE;
	xc->x[t->id].recv_mark = recv_len(t);
}

void xc_kernel_blocked(Xc *xc, const SimTask *t, const SimStmt *st, gboolean really)
{
	SimStmtResult *r = kres(xc, st);
	if (really) {
		r->blocked = TRUE;
		r->blocks++;
	}
	xc->x[t->id].recv_mark = recv_len(t);
}

/* Bytes the kernel gave, with every real pid of the run's processes written as the model's
 * (a whole number only; a field padded with spaces keeps its width), as the rows compare
 * them: a queue file's NOTIFY_PID, a pid a process sends. Allocated. */
static char *model_pids(const Xc *xc, const char *s, gsize len, gsize *out_len)
{
	GString *out = g_string_sized_new(len);
	for (gsize i = 0; i < len;) {
		if (!g_ascii_isdigit(s[i]) || (i > 0 && g_ascii_isdigit(s[i - 1]))) {
			g_string_append_c(out, s[i++]);
			continue;
		}
		gsize j = i;
		while (j < len && g_ascii_isdigit(s[j]))
			j++;
		g_autofree char *num = g_strndup(s + i, j - i);
		gint64 v = g_ascii_strtoll(num, NULL, 10);
		int task = -1;
		for (guint t = 0; t < xc->n && task < 0 && j - i < 12; t++)
			if (xc->x[t].pid > 0 && xc->x[t].pid == v)
				task = (int)t;
		if (task < 0) {
			g_string_append_len(out, s + i, (gssize)(j - i));
			i = j;
			continue;
		}
		/* A left-justified field (the queue file's "%-6d") keeps its width. */
		gsize k = j;
		while (k < len && s[k] == ' ')
			k++;
		gsize from = out->len;
		g_string_append_printf(out, "%d", SIM_TASK_PID(task));
		while (out->len - from < k - i)
			g_string_append_c(out, ' ');
		if (k > j && out->len - from == (gsize)(k - i) && out->str[out->len - 1] != ' ')
			g_string_append_c(out, ' ');
		i = k;
	}
	*out_len = out->len;
	return g_string_free(out, FALSE);
}

static void free_recv(gpointer p)
{
	g_free(((SimRecv *)p)->text);
}

static GArray *krecv(Xc *xc, const SimTask *t)
{
	if (!xc->krecv)
		xc->krecv = g_new0(GArray *, xc->n + 1);
	if (!xc->krecv[t->id]) {
		xc->krecv[t->id] = g_array_new(FALSE, FALSE, sizeof(SimRecv));
		g_array_set_clear_func(xc->krecv[t->id], free_recv);
	}
	return xc->krecv[t->id];
}

void xc_kernel_returned(Xc *xc, const SimTask *t, const SimStmt *st, const XTask *x,
			gboolean answered, gboolean match)
{
	SimStmtResult *r = kres(xc, st);
	/* A call that matched did what the model did, in the model's terms: run's world (the
	 * plan's) has the model's own pids, where the lockstep's world has the kernel's, so a
	 * pid a call returns (semctl getpid) reads as `expect ... ret=` wrote it. */
	const SimWorld *mw = match && xc->plan.w ? xc->plan.w : xc->w;
	const SimStmtResult *m = &mw->results[st->id];
	if (!answered) {
		r->blocked = TRUE; /* still in the kernel: it never returned there */
		return;
	}
	r->returned = TRUE;
	r->err = match ? m->err : x->res.err;
	r->ret = match ? m->ret : x->res.ret;
	r->untouched = match ? m->untouched : x->res.stat[11];
	if (match)
		memcpy(r->out, m->out, sizeof r->out);
	else
		sim_out_from_real(st, x->res.stat, r->out);
	if (!t->received)
		return;
	GArray *k = krecv(xc, t);
	if (match) {
		for (guint i = x->recv_mark; i < t->received->len; i++) {
			const SimRecv *mr = &g_array_index(t->received, SimRecv, i);
			gsize n = 0;
			char *text = model_pids(xc, mr->text, mr->len, &n);
			SimRecv c = { text, mr->type, mr->from, n };
			g_array_append_val(k, c);
		}
		return;
	}
	gboolean takes =
		x->op == SIM_REAL_MSGRCV || x->op == SIM_REAL_MQ_RECEIVE || x->op == SIM_REAL_READ;
	if (takes && x->res.err == 0 && x->res.ret > 0 && x->data) {
		gsize len = MIN((gsize)x->res.ret, (gsize)x->res.len);
		gsize n = 0;
		char *text = model_pids(xc, x->data, len, &n);
		SimRecv c = { text, x->op == SIM_REAL_MSGRCV ? x->res.ret2 : 0, -1, n };
		g_array_append_val(k, c);
	}
}

void xc_kernel_end(Xc *xc, const SimTask *t, gboolean done, gint64 code, int sig)
{
	XTask *x = &xc->x[t->id];
	x->k_end = done ? 1 : -1;
	x->k_code = code;
	x->k_sig = sig;
}

/* ---- At the end: the kernel's observations in the model's place ---- */

/* Does the kernel tell this stat? */
static gboolean kernel_tells(SimStatKey key)
{
	switch (key) {
	case SIM_STAT_QNUM:
	case SIM_STAT_CBYTES:
	case SIM_STAT_QBYTES:
	case SIM_STAT_LSPID:
	case SIM_STAT_LRPID:
	case SIM_STAT_MODE:
	case SIM_STAT_CURMSGS:
	case SIM_STAT_MAXMSG:
	case SIM_STAT_MSGSIZE:
	case SIM_STAT_QSIZE:
		return TRUE;
	default:
		return FALSE;
	}
}

/* Can e be checked on the kernel's side at all? Not what only the model knows, nor what a
 * call left out (no kernel counterpart) gave. */
static gboolean on_kernel(const Xc *xc, const SimScnExpect *e)
{
	if (e->kind == SIM_EXPECT_TIME)
		return FALSE;
	/* A descriptor's mq_flags at the end and a pipe's holders are read off the model's
	 * descriptor tables; the kernel's side of them is the calls' own comparisons
	 * (mq_getattr's flags, a read's EOF or a write's EPIPE). */
	if (e->kind == SIM_EXPECT_MQ_FLAGS || e->kind == SIM_EXPECT_PIPE)
		return FALSE;
	if (e->kind == SIM_EXPECT_LABEL && xc->left && xc->left[e->stmt->id])
		return FALSE;
	if (e->kind == SIM_EXPECT_RECEIVED && xc->left_recv && xc->left_recv[e->proc])
		return FALSE;
	if (e->kind != SIM_EXPECT_STATS)
		return TRUE;
	if (e->sem)
		return xc_sem_told(xc, e); /* read before its IPC_RMID, or at the end */
	if (e->mbox >= 0)
		return FALSE; /* a mailbox's totals are the model's; its POSIX queue says less */
	for (guint i = 0; i < e->n_stats; i++)
		if (kernel_tells(e->stats[i].key))
			return TRUE;
	return FALSE;
}

/* Puts the kernel's observations in the world (at the end of the run, for good: only
 * received lists and results are swapped back, as the world frees them). */
static void overlay(Xc *xc, SimWorld *w)
{
	for (guint i = 0; i < xc->scn->n_stmts; i++) {
		const SimStmt *st = xc->stmts ? xc->stmts[i] : NULL;
		if (!st || !stmt_word(st) || (xc->left && xc->left[i]))
			xc->kres[i] = w->results[i]; /* not a system call: the model's */
	}
	SimStmtResult *mres = w->results;
	w->results = xc->kres;
	xc->kres = mres;
	for (guint i = 0; i < xc->n; i++) {
		SimTask *t = &w->tasks[i];
		const XTask *x = &xc->x[i];
		if (t->received) {
			GArray *k = krecv(xc, t);
			xc->krecv[i] = t->received;
			t->received = k;
		}
		if (x->k_end > 0) {
			t->state = SIM_STATE_EXITED;
			t->exit_code = x->k_code;
			t->killed_by = x->k_sig;
		} else if (x->k_end < 0) {
			t->state = SIM_STATE_BLOCKED; /* alive in the kernel at the end */
		} else if (x->k_awake) {
			t->state = SIM_STATE_READY; /* not asleep in its call, as the model's is */
		}
		if (x->k_end <= 0 && xc->stops) /* stopped in the kernel at the end, or not */
			t->stopped_by = x->k_stop ? (t->stopped_by ? t->stopped_by : SIGSTOP) : 0;
	}
	for (guint i = 0; xc->ksysv && i < xc->ksysv->len; i++) {
		const XQueueEnd *k = &g_array_index(xc->ksysv, XQueueEnd, i);
		k->q->qnum = (guint64)k->f[0];
		k->q->cbytes = (guint64)k->f[1];
		k->q->qbytes = (guint64)k->f[2];
		k->q->lspid = (int)k->f[3];
		k->q->lrpid = (int)k->f[4];
		k->q->perm.mode = (k->q->perm.mode & ~0777u) | ((guint)k->f[5] & 0777u);
	}
	if (xc->k_awake && w->status == SIM_RUN_DEADLOCK)
		w->status = SIM_RUN_DONE;
}

static void overlay_undo(Xc *xc, SimWorld *w)
{
	SimStmtResult *kr = w->results;
	w->results = xc->kres;
	xc->kres = kr;
	for (guint i = 0; i < xc->n; i++) {
		SimTask *t = &w->tasks[i];
		if (t->received) {
			GArray *k = t->received;
			t->received = xc->krecv[i];
			xc->krecv[i] = k;
		}
	}
}

static void index_stmts(const SimBlock *b, const SimStmt **out)
{
	for (guint i = 0; i < b->n_stmts; i++) {
		const SimStmt *st = &b->stmts[i];
		out[st->id] = st;
		const SimBlock *body = sim_stmt_body(st);
		if (body)
			index_stmts(body, out);
	}
}

void xc_expectations(Xc *xc)
{
	const SimScenario *scn = xc->scn;
	SimWorld *w = xc->w;
	if (scn->n_expects == 0)
		return;
	xc->stmts = g_new0(const SimStmt *, scn->n_stmts + 1);
	for (guint i = 0; i < scn->n_bodies; i++)
		index_stmts(&scn->bodies[i]->block, xc->stmts);
	if (!xc->kres)
		xc->kres = g_new0(SimStmtResult, scn->n_stmts + 1);
	g_autofree gboolean *model_ok = g_new0(gboolean, scn->n_expects);
	g_autoptr(GPtrArray) model_seen = g_ptr_array_new_with_free_func(g_free);
	guint counted = 0; /* what one schedule can check: not possible, not outcomes */
	for (guint i = 0; i < scn->n_expects; i++) {
		GString *s = g_string_new(NULL);
		/* The model's side is `msgsim run`'s: the plan's world, run's schedule throughout
		 * and the model's own pids. */
		gboolean one = sim_report_one_schedule(&scn->expects[i]);
		counted += one ? 1u : 0u;
		model_ok[i] = !one || sim_report_expectation(xc->plan.w ? xc->plan.w : w,
							      &scn->expects[i], s);
		g_ptr_array_add(model_seen, g_string_free(s, FALSE));
	}
	overlay(xc, w);
	for (guint i = 0; i < scn->n_expects; i++) {
		const SimScnExpect *e = &scn->expects[i];
		g_autoptr(GString) s = g_string_new(NULL);
		if (!sim_report_one_schedule(e))
			continue;
		gboolean both = on_kernel(xc, e);
		gboolean kernel_ok = !both  ? TRUE
				     : e->sem ? xc_sem_expectation(xc, e, s)
					      : sim_report_expectation(w, e, s);
		if (both && e->mq_name && xc->kmq_bad &&
		    g_hash_table_contains(xc->kmq_bad, e->mq_name)) {
			kernel_ok = FALSE; /* its mq_getattr at the end differs: see the rows */
			g_string_assign(s, "the queue's state at the end differs (see its row)");
		}
		xc->expect_model_only += !both;
		xc->expect_failed_model += !model_ok[i];
		xc->expect_failed_kernel += !kernel_ok;
		if (model_ok[i] && kernel_ok)
			continue;
		g_string_append_printf(
			xc->expect, "-- expect (line %u) %s: model: %s%s%s\n", e->loc.line,
			!model_ok[i] && !kernel_ok ? "FAILS in the model and on the kernel"
			: !model_ok[i]		   ? "FAILS in the model"
						   : "FAILS on the kernel",
			(const char *)g_ptr_array_index(model_seen, i),
			both ? "; kernel: " : " (the kernel does not tell)", both ? s->str : "");
	}
	overlay_undo(xc, w);
	g_string_append_printf(
		xc->expect, "-- expectations: %u, %u failed in the model, %u on the kernel%s\n",
		counted, xc->expect_failed_model, xc->expect_failed_kernel,
		xc->expect_model_only ? " (some checked in the model only: the "
					"time, a mailbox's totals, what IPC_STAT and "
					"mq_getattr do not give, what calls left out "
					"gave, descriptors' mq_flags and pipe holders)"
				      : "");
}

void xc_expect_free(Xc *xc)
{
	g_free(xc->kres);
	g_free(xc->stmts);
	for (guint i = 0; xc->krecv && i < xc->n; i++)
		if (xc->krecv[i])
			g_array_free(xc->krecv[i], TRUE);
	g_free(xc->krecv);
	if (xc->ksysv)
		g_array_free(xc->ksysv, TRUE);
	if (xc->kmq_bad)
		g_hash_table_destroy(xc->kmq_bad);
	if (xc->ksem)
		g_hash_table_destroy(xc->ksem);
	if (xc->expect)
		g_string_free(xc->expect, TRUE);
}
