/* xcheck_mbox.c — textbook mailboxes replayed on POSIX message queues.
 *
 * A mailbox is replayed on a POSIX queue when the queue behaves the same: bounded or not,
 * messages in FIFO or priority order, waiters served longest first; what has no kernel
 * counterpart (rendezvous, other delivery rules, owners, direct links) is left out: its
 * calls run in the model only, the rest of the scenario is cross-checked, and the report
 * lists what was left out and why. Only a scenario with nothing else is not
 * cross-checkable. The design choice to know: a POSIX queue is sized
 * when it is made, a mailbox need not be, so a first run of the model (same seed, same
 * schedule rules) sizes each queue; the namespace's limits are raised for the mailboxes'
 * queues alone. Each worker holds every mailbox's queue at fixed descriptors (XC_MBOX_FD)
 * below its own, so that the scenario's descriptors are numbered as in the model.
 */
#define _GNU_SOURCE

#include "real/xcheck_int.h"

#include <fcntl.h>
#include <string.h>

#include "msgsim/calls/call.h"

#define XC_HARD_MSGMAX 65536 /* the most messages a POSIX queue can hold (HARD_MSGMAX) */

/* ---- What cannot be replayed ---- */

/* Why mailbox i has no kernel counterpart (allocated), or NULL: a POSIX queue replays a
 * mailbox bounded or unbounded, in FIFO or priority order, its waiters served longest
 * first. */
static char *mailbox_left_out(const SimScenario *scn, guint i)
{
	const SimScnMbox *mb = &scn->mboxes[i];
	if (mb->capacity == 0)
		return g_strdup_printf("mailbox %s: a capacity-0 (rendezvous) mailbox has no "
				       "kernel counterpart",
				       mb->name);
	if (mb->deliver != SIM_DELIVER_FIRST_WAITER)
		return g_strdup_printf("mailbox %s: deliver=%s is a textbook policy; the kernel "
				       "gives a message to the longest waiter",
				       mb->name, sim_scn_deliver_name(mb->deliver));
	if (mb->waiters != SIM_ORDER_FIFO)
		return g_strdup_printf("mailbox %s: waiters ordered by scheduling priority; a "
				       "POSIX queue orders them by nice",
				       mb->name);
	if (mb->owner >= 0)
		return g_strdup_printf("%s %s is destroyed with its owner %s; a POSIX queue is "
				       "not",
				       mb->is_port ? "port" : "mailbox", mb->name,
				       scn->procs[mb->owner].name);
	/* A POSIX queue's waiters are ordered by nice before arrival: equal nice values make
	 * that the mailbox's arrival order. */
	for (guint p = 1; p < scn->n_procs; p++)
		if (scn->procs[p].nice != scn->procs[0].nice)
			return g_strdup_printf("mailbox waiters are served in arrival order, a "
					       "POSIX queue's by nice first, and %s and %s have "
					       "different nice values",
					       scn->procs[0].name, scn->procs[p].name);
	return NULL;
}

char *xc_stmt_left_out(const SimScenario *scn, const SimStmt *st)
{
	const SimCallDesc *d = sim_call_desc(st->kind);
	if (!d->real_name)
		return NULL;
	char *why = d->unreplayable ? d->unreplayable(scn, st) : NULL;
	if (!why && d->family == SIM_CALL_MBOX && st->ep.kind == SIM_EP_MBOX)
		why = mailbox_left_out(scn, (guint)st->ep.index);
	return why;
}

/* Counts b's system calls, and those left out; keeps the first reason. */
static void count_calls(const SimScenario *scn, const SimBlock *b, guint *calls, guint *out,
			char **why)
{
	for (guint i = 0; i < b->n_stmts; i++) {
		const SimStmt *st = &b->stmts[i];
		if (sim_call_desc(st->kind)->real_name) {
			(*calls)++;
			char *w = xc_stmt_left_out(scn, st);
			*out += w != NULL;
			if (w && !*why)
				*why = w;
			else
				g_free(w);
		}
		if (sim_stmt_body(st))
			count_calls(scn, sim_stmt_body(st), calls, out, why);
	}
}

/* Whole scenarios are refused only when nothing in them has a kernel counterpart (or
 * there are more mailboxes than the workers have room for): the rest is left out call by
 * call (xc_left_out_init). */
char *xc_mailboxes_unsupported(const SimScenario *scn)
{
	if (scn->n_mboxes > XC_MBOX_MAX)
		return g_strdup_printf("%u mailboxes: at most %d are replayed", scn->n_mboxes,
				       XC_MBOX_MAX);
	guint calls = 0, out = 0;
	char *why = NULL;
	for (guint i = 0; i < scn->n_bodies; i++)
		count_calls(scn, &scn->bodies[i]->block, &calls, &out, &why);
	if (calls > 0 && out == calls) {
		char *all = g_strdup_printf("no call has a kernel counterpart (%s)", why);
		g_free(why);
		return all;
	}
	g_free(why);
	return NULL;
}

static void mark_left(Xc *xc, const SimBlock *b)
{
	for (guint i = 0; i < b->n_stmts; i++) {
		const SimStmt *st = &b->stmts[i];
		xc->left[st->id] = xc_stmt_left_out(xc->scn, st);
		/* Without a private namespace, a call that tells about the whole namespace
		 * (IPC_INFO) would tell the machine's; the family says why in its words, once
		 * for all the calls it leaves out alike (no line: the report lists each reason
		 * once). */
		SimCallWholeNsFn whole = sim_call_desc(st->kind)->whole_namespace;
		if (!xc->left[st->id] && xc->sb.shared && whole && whole(st))
			xc->left[st->id] = g_strdup_printf("%s %s", stmt_word(st), whole(st));
		if (sim_stmt_body(st))
			mark_left(xc, sim_stmt_body(st));
	}
}

void xc_left_out_init(Xc *xc)
{
	const SimScenario *scn = xc->scn;
	xc->left = g_new0(char *, scn->n_stmts + 1);
	xc->mb_out = g_new0(gboolean, scn->n_mboxes + 1);
	xc->left_why = g_ptr_array_new_with_free_func(g_free);
	xc->left_recv = g_new0(gboolean, scn->n_procs + 1);
	for (guint i = 0; i < scn->n_bodies; i++)
		mark_left(xc, &scn->bodies[i]->block);
	for (guint i = 0; i < scn->n_mboxes; i++) {
		g_autofree char *why = mailbox_left_out(scn, i);
		xc->mb_out[i] = why != NULL;
	}
}

gboolean xc_left_out(Xc *xc, const SimTask *t, const SimStmt *st, SimCallPhase ph)
{
	if (!st || !xc->left || !xc->left[st->id])
		return FALSE;
	if (ph == SIM_CALL_STARTED) {
		xc->left_calls++;
		gboolean known = FALSE;
		for (guint i = 0; i < xc->left_why->len && !known; i++)
			known = strcmp(g_ptr_array_index(xc->left_why, i), xc->left[st->id]) == 0;
		if (!known)
			g_ptr_array_add(xc->left_why, g_strdup(xc->left[st->id]));
	}
	/* What a left-out call took (a mailbox receive, a shared memory load) is the model's
	 * alone: the task's received list is then not checked on the kernel's side. */
	guint have = t->received ? t->received->len : 0;
	if (ph == SIM_CALL_STARTED)
		xc->x[t->id].recv_mark = have;
	if (ph == SIM_CALL_FINISHED && ((sim_call_wait_role(st, SIM_OBJ_MBOX) & SIM_WAIT_TAKES) ||
					have > xc->x[t->id].recv_mark))
		xc->left_recv[t->id] = TRUE;
	return TRUE;
}

void xc_left_out_free(Xc *xc)
{
	for (guint i = 0; xc->left && i < xc->scn->n_stmts; i++)
		g_free(xc->left[i]);
	g_free(xc->left);
	g_free(xc->mb_out);
	g_free(xc->left_recv);
	if (xc->left_why)
		g_ptr_array_free(xc->left_why, TRUE);
}

/* ---- Sizing, making and opening the queues ---- */

static void sizing_hook(void *data, SimWorld *w, const SimTask *t, const SimStmt *st,
			SimCallPhase ph)
{
	gint64 *longest = data;
	/* The calls that put a message in a mailbox, when they name a declared one. */
	if (ph != SIM_CALL_STARTED || sim_call_wait_role(st, SIM_OBJ_MBOX) != SIM_WAIT_PUTS ||
	    st->ep.kind != SIM_EP_MBOX)
		return;
	g_autoptr(GString) text = g_string_new(NULL);
	stmt_text(w, t, st, NULL, text);
	longest[st->ep.index] = MAX(longest[st->ep.index], (gint64)text->len);
}

/*
 * The POSIX queue each mailbox is replayed on. A queue is bounded and sized up front, a
 * mailbox need not be: a first run of the model (same seed, same schedule rules) tells
 * the longest message and the most messages each one holds. A mailbox that fills up gets
 * its capacity; one that never does gets what the run needs, which it never reaches either.
 * Were the replay to go further than that run, the kernel's EAGAIN or block would show up
 * as a mismatch, not pass.
 */
gboolean xc_size_mailboxes(Xc *xc)
{
	const SimScenario *scn = xc->scn;
	guint n = scn->n_mboxes;
	xc->mb = g_new0(XMbox, n + 1);
	if (n == 0)
		return TRUE;
	g_autofree gint64 *longest = g_new0(gint64, n);
	SimWorldOptions wo = { .seed = xc->opt->seed,
			       .seed_set = xc->opt->seed_set,
			       .max_steps = xc->opt->max_steps,
			       .max_time = xc->opt->max_time,
			       .max_memory = xc->opt->max_memory,
			       .hook = { sizing_hook, longest },
			       .woken_first = TRUE };
	g_autoptr(SimWorld) w = sim_world_new(scn, &wo);
	sim_world_run(w);
	for (guint i = 0; i < n; i++) {
		const SimScnMbox *d = &scn->mboxes[i];
		if (xc->mb_out && xc->mb_out[i])
			continue; /* left out: no queue */
		/* The most it holds in run's schedule or in woken first, whichever the run
		 * follows. */
		gint64 peak = (gint64)w->mboxes[i].max_qnum;
		if (xc->plan.w)
			peak = MAX(peak, (gint64)xc->plan.w->mboxes[i].max_qnum);
		XMbox *m = &xc->mb[i];
		g_autofree char *name = g_strdup_printf("/msgsim.mailbox.%s", d->name);
		m->name = sim_real_sandbox_mq_name(&xc->sb, name);
		m->maxmsg = d->capacity != SIM_CAPACITY_UNBOUNDED && peak >= d->capacity
				    ? d->capacity
				    : MAX(peak, 1);
		/* A free run may take any schedule: room for what any may hold (an unbounded
		 * mailbox, up to a number no shipped scenario reaches). */
		if (xc->opt->free_run)
			m->maxmsg = d->capacity != SIM_CAPACITY_UNBOUNDED
					    ? d->capacity
					    : MAX(peak, MIN(256, XC_HARD_MSGMAX));
		m->msgsize = MAX(longest[i], 1);
		if (m->maxmsg > XC_HARD_MSGMAX) {
			xc->unsupported = g_strdup_printf("mailbox %s holds %" G_GINT64_FORMAT
							  " messages; a POSIX queue "
							  "at most %d",
							  d->name, m->maxmsg, XC_HARD_MSGMAX);
			return FALSE;
		}
	}
	return TRUE;
}

/* A uid the scenario does not use: the mailboxes' queues are charged to it, so that they
 * take nothing from the RLIMIT_MSGQUEUE of the scenario's own users. */
static gint64 mailbox_owner(const SimScenario *scn)
{
	for (gint64 uid = 65533;; uid--) {
		gboolean used = FALSE;
		for (guint i = 0; i < scn->n_procs && !used; i++)
			used = scn->procs[i].uid == uid;
		for (guint i = 0; i < scn->n_sysvqs && !used; i++)
			used = scn->sysvqs[i].uid == uid;
		for (guint i = 0; i < scn->n_posixqs && !used; i++)
			used = scn->posixqs[i].uid == uid;
		if (!used)
			return uid;
	}
}

/* Creates the mailboxes' queues. The namespace's limits are raised for them (a queue's
 * limits are checked once, when it is made) and put back, except queues_max, which keeps
 * room for them so that the scenario's own queues see the limit it set. */
gboolean xc_create_mailboxes(Xc *xc)
{
	const SimScenario *scn = xc->scn;
	guint n = scn->n_mboxes;
	if (n == 0)
		return TRUE;
	gint64 need_msg = scn->limits.mq_msg_max, need_size = scn->limits.mq_msgsize_max;
	for (guint i = 0; i < n; i++) {
		if (!xc->mb[i].name)
			continue;
		need_msg = MAX(need_msg, xc->mb[i].maxmsg);
		need_size = MAX(need_size, xc->mb[i].msgsize);
	}
	g_autoptr(GError) err = NULL;
	const guint mq_maxima =
		SIM_LIMIT_BIT(SIM_LIMIT_MQ_MSG_MAX) | SIM_LIMIT_BIT(SIM_LIMIT_MQ_MSGSIZE_MAX);
	SimLimits raised = scn->limits;
	raised.mq_msg_max = need_msg;
	raised.mq_msgsize_max = need_size;
	raised.mq_queues_max = scn->limits.mq_queues_max + n;
	raised.set = mq_maxima | SIM_LIMIT_BIT(SIM_LIMIT_MQ_QUEUES_MAX);
	/* The machine's own limits are not ours to raise: there the queues fit or not. */
	if (!xc->sb.shared && !sim_real_sandbox_limits(&raised, &err)) {
		xc->unsupported =
			g_strdup_printf("the mailboxes' POSIX queues need %s", err->message);
		return FALSE;
	}
	SimRealWorker wk;
	gint64 uid = mailbox_owner(scn);
	if (!xc_with_creator(xc, uid, uid, 0, &wk))
		return FALSE;
	for (guint i = 0; i < n && !xc->failed && !xc->unsupported; i++) {
		const XMbox *m = &xc->mb[i];
		if (!m->name)
			continue;
		SimRealResult r;
		gint64 a[6] = { 0, O_CREAT | O_EXCL | O_RDWR, 0600, m->maxmsg, m->msgsize };
		if (!sim_real_sandbox_note_mq(&xc->sb, m->name, &err)) {
			fail(xc, "%s", err->message);
			break;
		}
		if (!xc_call_now(xc, &wk, SIM_REAL_MQ_OPEN, a, m->name, &r, NULL))
			break;
		if (r.ret < 0)
			xc->unsupported = g_strdup_printf(
				"mailbox %s needs a POSIX queue of %" G_GINT64_FORMAT
				" messages of %" G_GINT64_FORMAT " bytes: mq_open says %s%s",
				scn->mboxes[i].name, m->maxmsg, m->msgsize, sim_errno_name(r.err),
				xc->sb.shared ? " (the machine's limits: without a private IPC "
						"namespace they cannot be raised)"
					      : "");
	}
	xc_end_creator(xc, &wk);
	SimLimits back = scn->limits;
	back.set = mq_maxima;
	if (!xc->sb.shared && !sim_real_sandbox_limits(&back, &err))
		fail(xc, "%s", err->message);
	return !xc->failed && !xc->unsupported;
}

/* Gives a worker its two descriptors of every mailbox's queue, at XC_MBOX_FD (below the
 * worker's own), so that the scenario's descriptors are numbered as in the model. Forked
 * children inherit them. */
gboolean xc_open_mailboxes(Xc *xc, XTask *x, const char *who)
{
	for (guint i = 0; i < xc->scn->n_mboxes; i++) {
		for (int nowait = 0; nowait <= 1 && xc->mb[i].name; nowait++) {
			SimRealResult r;
			gint64 a[6] = { 0, O_RDWR | (nowait ? O_NONBLOCK : 0), 0, -1, -1 };
			if (!xc_call_now(xc, &x->wk, SIM_REAL_MQ_OPEN, a, xc->mb[i].name, &r, NULL))
				return FALSE;
			gint64 fd = r.ret;
			gint64 b[6] = { fd, F_DUPFD, XC_MBOX_FD(i, nowait) };
			if (fd >= 0 && !xc_call_now(xc, &x->wk, SIM_REAL_FCNTL, b, NULL, &r, NULL))
				return FALSE;
			if (fd < 0 || r.ret != XC_MBOX_FD(i, nowait)) {
				fail(xc, "%s: opening mailbox %s's queue: %s", who,
				     xc->scn->mboxes[i].name, sim_errno_name(r.err));
				return FALSE;
			}
			gint64 c[6] = { fd };
			if (!xc_call_now(xc, &x->wk, SIM_REAL_CLOSE, c, NULL, &r, NULL))
				return FALSE;
		}
	}
	return TRUE;
}

/* ---- For the mailbox family's replay (call_mbox.c) ---- */

gboolean xc_mbox_by_prio(const Xc *xc, int i)
{
	return xc->scn->mboxes[i].order == SIM_ORDER_PRIORITY;
}

gint64 xc_mbox_msgsize(const Xc *xc, int i)
{
	return xc->mb[i].msgsize;
}
