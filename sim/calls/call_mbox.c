/* call_mbox.c — the mailbox family: send and receive on the textbook's mailboxes, ports and
 * direct links (mbox.h).
 *
 * The trace shows a send with the message actually sent and where it went (handed straight
 * to a waiting receiver, or queued), and a receive with the message it got and who sent it.
 * Type and priority are shown only when they are not the defaults (1 and 0), so textbook
 * traces stay short.
 *
 * Footprint: the one mailbox the call resolves to, written (a send that hands its message
 * to a waiting receiver changes that receiver's wait, which is on the same mailbox).
 */
#include "calls/call_int.h"

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

/* ---- Footprint ---- */

/* The mailbox a send goes to, as execution finds it: a declared one, the target process's
 * inbox, or the inbox of the sender of the message a variable holds (a reply). A reply
 * with no sender to go to fails; conservatively it stands for every mailbox. */
static void send_footprint(const SimWorld *w, const SimTask *t, const SimStmt *st, SimFootprint *fp)
{
	guint64 mb = SIM_OBJ_ALL;
	if (st->ep.kind == SIM_EP_MBOX) {
		mb = (guint64)st->ep.index;
	} else if (st->ep.kind == SIM_EP_PROC) {
		mb = (guint64)w->tasks[st->ep.index].inbox;
	} else if (st->ep.kind == SIM_EP_VAR) {
		const SimMsg *m = t->vars[st->ep.index].msg;
		if (m && m->from >= 0)
			mb = (guint64)w->tasks[m->from].inbox;
	}
	sim_call_fp_self(fp, t, FALSE);
	sim_footprint_add(fp, SIM_OBJ_MBOX, mb, TRUE);
}

/* A receive takes from a declared mailbox or from the task's own inbox (from a named
 * process or from any). Both change the mailbox: a message leaves it, or a waiter joins. */
static void receive_footprint(const SimWorld *w, const SimTask *t, const SimStmt *st,
			      SimFootprint *fp)
{
	(void)w;
	guint64 mb = st->ep.kind == SIM_EP_MBOX ? (guint64)st->ep.index : (guint64)t->inbox;
	sim_call_fp_self(fp, t, FALSE);
	sim_footprint_add(fp, SIM_OBJ_MBOX, mb, TRUE);
}

const SimCallDesc sim_call_mbox_rows[] = {
	{
		.kind = SIM_STMT_SEND,
		.name = "send",
		.family = SIM_CALL_MBOX,
		.op = SIM_OP_SEND,
		.text_call = send_text,
		.text_result = send_result,
		.footprint = send_footprint,
		.blocks = TRUE,
	},
	{
		.kind = SIM_STMT_RECEIVE,
		.name = "receive",
		.family = SIM_CALL_MBOX,
		.op = SIM_OP_RECEIVE,
		.text_call = receive_text,
		.text_result = receive_result,
		.footprint = receive_footprint,
		.blocks = TRUE,
	},
};
const guint sim_call_mbox_n_rows = G_N_ELEMENTS(sim_call_mbox_rows);
