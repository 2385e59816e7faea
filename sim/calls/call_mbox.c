/* call_mbox.c — the mailbox family: send and receive on the textbook's mailboxes, ports and
 * direct links (mbox.h).
 *
 * The trace shows a send with the message actually sent and where it went (handed straight
 * to a waiting receiver, or queued), and a receive with the message it got and who sent it.
 * Type and priority are shown only when they are not the defaults (1 and 0), so textbook
 * traces stay short.
 */
#include "calls/call_int.h"

#include <errno.h>

#include "real/xcheck_int.h"

static void send_text(GString *s, const SimTraceEvent *ev)
{
	const SimStmt *st = ev->stmt;
	g_string_append_printf(s, "send %s", ev->object ? ev->object : "?");
	if (ev->msg) {
		g_string_append_c(s, ' ');
		sim_trace_quote(s, ev->msg->text, ev->msg->len);
	}
	if (st->type != 1)
		g_string_append_printf(s, " type=%" G_GINT64_FORMAT, st->type);
	if (st->prio != 0)
		g_string_append_printf(s, " prio=%" G_GINT64_FORMAT, st->prio);
	if (st->nowait)
		g_string_append(s, " nowait");
}

static void send_result(GString *s, const SimTraceEvent *ev, const char *arrow)
{
	if (ev->blocked) {
		sim_trace_blocked(s, ev);
		return;
	}
	g_string_append(s, arrow);
	sim_trace_result(s, ev->err);
	if (ev->kind == SIM_TR_CALL && !ev->err)
		g_string_append(s, ev->other ? ", handed to " : ", queued");
	if (ev->other && !ev->err)
		g_string_append(s, ev->other);
}

static void receive_text(GString *s, const SimTraceEvent *ev)
{
	g_string_append_printf(s, "receive %s%s", ev->object, ev->stmt->nowait ? " nowait" : "");
}

static void receive_result(GString *s, const SimTraceEvent *ev, const char *arrow)
{
	if (ev->blocked) {
		sim_trace_blocked(s, ev);
		return;
	}
	g_string_append(s, arrow);
	sim_trace_result(s, ev->err);
	const SimMsg *m = ev->msg;
	if (!m)
		return;
	g_string_append_c(s, ' ');
	sim_trace_quote(s, m->text, m->len);
	g_string_append_printf(s, " from %s (#%" G_GUINT64_FORMAT, ev->msg_from, m->seq);
	if (m->type != 1)
		g_string_append_printf(s, ", type %" G_GINT64_FORMAT, m->type);
	if (m->prio != 0)
		g_string_append_printf(s, ", prio %" G_GINT64_FORMAT, m->prio);
	g_string_append_c(s, ')');
}

/* ---- Cross-check: replay on the real kernel, and comparison ----
 *
 * A mailbox is replayed as a POSIX queue (sim/real/xcheck_mbox.c makes them): each has two
 * descriptors of its own in every worker, one blocking, one not. The textbook's type is not
 * sent; its priority only when the mailbox orders by it. */

#define MQ_PRIO_LIMIT 32768 /* a POSIX queue's priorities are 0 to MQ_PRIO_MAX - 1 */

/* A direct link has no kernel counterpart. */
static char *receive_unreplayable(const SimScenario *scn, const SimStmt *st)
{
	(void)scn;
	if (st->ep.kind != SIM_EP_MBOX)
		return g_strdup_printf("line %u: direct send/receive between processes has no "
				       "kernel counterpart",
				       st->loc.line);
	return NULL;
}

/* ... and a mailbox ordered by priority needs the send's to be a POSIX queue's. */
static char *send_unreplayable(const SimScenario *scn, const SimStmt *st)
{
	char *why = receive_unreplayable(scn, st);
	if (why)
		return why;
	const SimScnMbox *mb = &scn->mboxes[st->ep.index];
	if (mb->order == SIM_ORDER_PRIORITY && (st->prio < 0 || st->prio >= MQ_PRIO_LIMIT))
		return g_strdup_printf("line %u: prio=%" G_GINT64_FORMAT " is outside a POSIX "
				       "queue's priorities (0 to %d)",
				       st->loc.line, st->prio, MQ_PRIO_LIMIT - 1);
	return NULL;
}

static gboolean send_replay(Xc *xc, SimWorld *w, const SimTask *t, const SimStmt *st,
			    SimRealCall *c, GString *data)
{
	gint64 *a = c->a;
	c->op = SIM_REAL_MQ_SEND;
	a[0] = XC_MBOX_FD(st->ep.index, st->nowait);
	a[1] = xc_mbox_by_prio(xc, st->ep.index) ? st->prio : 0;
	stmt_text(w, t, st, NULL, data);
	a[2] = (gint64)data->len;
	a[3] = -1;
	return TRUE;
}

static gboolean receive_replay(Xc *xc, SimWorld *w, const SimTask *t, const SimStmt *st,
			       SimRealCall *c, GString *data)
{
	gint64 *a = c->a;
	(void)w;
	(void)t;
	(void)data;
	c->op = SIM_REAL_MQ_RECEIVE;
	a[0] = XC_MBOX_FD(st->ep.index, st->nowait);
	a[1] = xc_mbox_msgsize(xc, st->ep.index);
	a[3] = -1;
	return TRUE;
}

/* A receive returns the message's length, as mq_receive counts it, and its priority when
 * the mailbox orders by it. */
static void receive_model_cell(Xc *xc, SimWorld *w, const SimTask *t, const SimStmt *st, Cell *m)
{
	(void)t;
	xc_model_data(w, m);
	if (m->err)
		return;
	m->ret = (gint64)m->len;
	if (xc_mbox_by_prio(xc, st->ep.index)) {
		m->has_ret2 = TRUE;
		m->ret2_name = "prio";
		m->ret2 = sim_world_call_out(w)->prio;
	}
}

static void receive_kernel_cell(Xc *xc, const SimStmt *st, const SimRealResult *r, const char *data,
				Cell *m, Cell *k)
{
	/* The textbook's ENOMSG for an empty mailbox is a POSIX queue's EAGAIN. */
	if (r->err == EAGAIN)
		k->err = ENOMSG;
	xc_kernel_data(xc, r, data, m, k);
	if (!r->err && xc_mbox_by_prio(xc, st->ep.index)) {
		k->has_ret2 = TRUE;
		k->ret2_name = "prio";
		k->ret2 = r->ret2;
	}
}

const SimCallDesc sim_call_mbox_rows[] = {
	{
		.kind = SIM_STMT_SEND,
		.name = "send",
		.family = SIM_CALL_MBOX,
		.op = SIM_OP_SEND,
		.text_call = send_text,
		.text_result = send_result,
		.real_name = "send",
		.replay = send_replay,
		.unreplayable = send_unreplayable,
	},
	{
		.kind = SIM_STMT_RECEIVE,
		.name = "receive",
		.family = SIM_CALL_MBOX,
		.op = SIM_OP_RECEIVE,
		.text_call = receive_text,
		.text_result = receive_result,
		.real_name = "receive",
		.replay = receive_replay,
		.model_cell = receive_model_cell,
		.kernel_cell = receive_kernel_cell,
		.unreplayable = receive_unreplayable,
	},
};
const guint sim_call_mbox_n_rows = G_N_ELEMENTS(sim_call_mbox_rows);
