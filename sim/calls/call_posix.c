/* call_posix.c — the POSIX family: mq_open, mq_send, mq_receive, mq_getattr, mq_setattr,
 * mq_notify, mq_close, mq_unlink (mqueue.h).
 *
 * The trace shows each call with its flags and timeout as the scenario wrote them, its
 * return value (a descriptor, a byte count and priority, the attributes), and the queue's
 * state after the call, "[/q: 3 msgs, 21 bytes]". mq_getattr also prints the line that
 * /dev/mqueue/NAME shows (QSIZE, NOTIFY, SIGNO, NOTIFY_PID), the same on the real kernel.
 *
 * Footprint: a call on a descriptor reaches the one queue behind it, so calls on different
 * queues commute; mq_open and mq_unlink change the name table.
 */
#include "calls/call_int.h"

#include "msgsim/kernel/mqueue.h"

#include <string.h>

static void timeout_text(GString *s, const SimStmt *st)
{
	char buf[32];
	if (st->timeout == SIM_TIMEOUT_RELATIVE)
		g_string_append_printf(s, " timeout=%s",
				       sim_trace_time(st->timeout_at, buf, sizeof(buf)));
	else if (st->timeout == SIM_TIMEOUT_ABSOLUTE)
		g_string_append_printf(s, " deadline=%s",
				       sim_trace_time(st->timeout_at, buf, sizeof(buf)));
	else if (st->timeout == SIM_TIMEOUT_INVALID)
		g_string_append(s, " timeout=bad");
}

static void open_text(GString *s, const SimTraceEvent *ev)
{
	const SimStmt *st = ev->stmt;
	g_string_append(s, "mq_open ");
	sim_trace_quote(s, ev->object, strlen(ev->object));
	g_string_append_printf(s, "%s%s %s%s", st->flags & SIM_O_CREAT ? " create" : "",
			       st->flags & SIM_O_EXCL ? " excl" : "",
			       st->flags & SIM_O_RDWR	    ? "rdwr"
			       : st->flags & SIM_O_WRONLY   ? "wronly"
			       : st->flags & SIM_O_ACCMODE3 ? "wronly_rdwr"
							    : "rdonly",
			       st->flags & SIM_O_NONBLOCK ? " nonblock" : "");
	if (st->maxmsg >= 0 || st->msgsize >= 0)
		g_string_append_printf(s, " maxmsg=%" G_GINT64_FORMAT " msgsize=%" G_GINT64_FORMAT,
				       st->maxmsg, st->msgsize);
}

static void unlink_text(GString *s, const SimTraceEvent *ev)
{
	g_string_append(s, "mq_unlink ");
	sim_trace_quote(s, ev->object, strlen(ev->object));
}

static void send_text(GString *s, const SimTraceEvent *ev)
{
	g_string_append_printf(s, "mq_send %s", ev->object);
	if (ev->msg) {
		g_string_append_c(s, ' ');
		sim_trace_quote(s, ev->msg->text, ev->msg->len);
		g_string_append_printf(s, " size=%" G_GSIZE_FORMAT, ev->msg->size);
	}
	g_string_append_printf(s, " prio=%" G_GINT64_FORMAT, ev->stmt->prio);
	timeout_text(s, ev->stmt);
}

static void receive_text(GString *s, const SimTraceEvent *ev)
{
	g_string_append_printf(s, "mq_receive %s", ev->object);
	if (ev->stmt->size >= 0)
		g_string_append_printf(s, " size=%" G_GINT64_FORMAT, ev->stmt->size);
	timeout_text(s, ev->stmt);
}

/* mq_getattr, mq_close: the keyword and the descriptor. */
static void fd_text(GString *s, const SimTraceEvent *ev)
{
	g_string_append_printf(s, "%s %s", sim_call_desc(ev->stmt->kind)->name, ev->object);
}

static void setattr_text(GString *s, const SimTraceEvent *ev)
{
	g_string_append_printf(s, "mq_setattr %s %s", ev->object,
			       ev->stmt->flags & SIM_O_NONBLOCK ? "nonblock" : "block");
}

static void notify_text(GString *s, const SimTraceEvent *ev)
{
	const SimStmt *st = ev->stmt;
	g_string_append_printf(s, "mq_notify %s ", ev->object);
	if (st->notify == SIM_NOTIFY_SIGNAL)
		g_string_append_printf(s, "signal=%s", sim_scn_signal_name(st->sig));
	else
		g_string_append(s, st->notify == SIM_NOTIFY_NONE ? "none" : "off");
}

static void open_result(GString *s, const SimTraceEvent *ev, const char *arrow)
{
	if (sim_call_result_head(s, ev, arrow))
		g_string_append_printf(s, ", fd %" G_GINT64_FORMAT, ev->ret);
	if (!ev->blocked)
		sim_trace_mq_state(s, ev);
}

static void send_result(GString *s, const SimTraceEvent *ev, const char *arrow)
{
	if (sim_call_result_head(s, ev, arrow) && ev->other)
		g_string_append_printf(s, ", handed to %s", ev->other);
	if (!ev->blocked)
		sim_trace_mq_state(s, ev);
}

static void receive_result(GString *s, const SimTraceEvent *ev, const char *arrow)
{
	if (sim_call_result_head(s, ev, arrow)) {
		const SimMsg *m = ev->msg;
		g_string_append_printf(s,
				       ", %" G_GINT64_FORMAT " bytes, prio %" G_GINT64_FORMAT ": ",
				       ev->ret, m->prio);
		sim_trace_received(s, ev);
	}
	if (!ev->blocked)
		sim_trace_mq_state(s, ev);
}

/* The attributes, then the line /dev/mqueue/NAME shows. */
static void getattr_result(GString *s, const SimTraceEvent *ev, const char *arrow)
{
	if (sim_call_result_head(s, ev, arrow)) {
		const SimMqueue *q = ev->mq;
		g_string_append_printf(s,
				       ": flags %s, maxmsg %" G_GINT64_FORMAT
				       ", msgsize %" G_GINT64_FORMAT ", curmsgs %" G_GUINT64_FORMAT,
				       ev->ret ? "O_NONBLOCK" : "0", q->maxmsg, q->msgsize,
				       q->curmsgs);
		g_string_append_printf(
			s,
			"; QSIZE:%-10" G_GUINT64_FORMAT " NOTIFY:%-5d SIGNO:%-5d"
			" NOTIFY_PID:%s",
			q->qsize, q->notify_task >= 0 && q->notify_kind == SIM_NOTIFY_NONE ? 1 : 0,
			q->notify_task >= 0 && q->notify_kind == SIM_NOTIFY_SIGNAL ? q->notify_sig
										   : 0,
			ev->lspid ? ev->lspid : "0");
	}
	if (!ev->blocked)
		sim_trace_mq_state(s, ev);
}

/* mq_setattr, mq_notify, mq_close, mq_unlink: the result alone, and the queue. */
static void plain_result(GString *s, const SimTraceEvent *ev, const char *arrow)
{
	sim_call_result_head(s, ev, arrow);
	if (!ev->blocked)
		sim_trace_mq_state(s, ev);
}

/* ---- Footprint ---- */

/* mq_open, mq_unlink: the name table, with the counts charged for the queues it holds
 * (queues_max, the user's RLIMIT_MSGQUEUE), so two opens that may create conflict even on
 * different names: either may be the one refused. mq_open also takes a descriptor. */
static void names_footprint(const SimWorld *w, const SimTask *t, const SimStmt *st,
			    SimFootprint *fp)
{
	(void)w;
	sim_call_fp_self(fp, t, FALSE);
	sim_footprint_add(fp, SIM_OBJ_MQ_NS, 0, TRUE);
	if (st->kind == SIM_STMT_MQ_OPEN)
		sim_footprint_add(fp, SIM_OBJ_FDT, (guint64)t->id, TRUE);
}

/* mq_send, mq_receive: change their queue. A message that arrives at an empty queue with a
 * registration may signal the registered task, which changes that task too. */
static void io_footprint(const SimWorld *w, const SimTask *t, const SimStmt *st, SimFootprint *fp)
{
	sim_call_fp_self(fp, t, FALSE);
	const SimFile *f = sim_call_fp_fd(w, t, st, fp, SIM_CALL_FP_MQ, TRUE);
	if (st->kind == SIM_STMT_MQ_SEND && (!f || f->mq->notify_task >= 0))
		sim_footprint_add(fp, SIM_OBJ_TASK, f ? (guint64)f->mq->notify_task : SIM_OBJ_ALL,
				  TRUE);
}

/* mq_getattr reads the queue; mq_setattr changes its description's O_NONBLOCK, which a
 * task sharing the description sees; mq_notify changes the registration. */
static void attr_footprint(const SimWorld *w, const SimTask *t, const SimStmt *st, SimFootprint *fp)
{
	sim_call_fp_self(fp, t, FALSE);
	sim_call_fp_fd(w, t, st, fp, SIM_CALL_FP_MQ, st->kind != SIM_STMT_MQ_GETATTR);
}

/* mq_close: the descriptor goes, the registration may end, and the last close of an
 * unlinked queue frees it, releasing what the name table charged. */
static void close_footprint(const SimWorld *w, const SimTask *t, const SimStmt *st,
			    SimFootprint *fp)
{
	sim_call_fp_self(fp, t, FALSE);
	const SimFile *f = sim_call_fp_fd(w, t, st, fp, SIM_CALL_FP_MQ, TRUE);
	sim_footprint_add(fp, SIM_OBJ_FDT, (guint64)t->id, TRUE);
	if (!f || f->mq->unlinked)
		sim_footprint_add(fp, SIM_OBJ_MQ_NS, 0, TRUE);
}

/* Every POSIX call reports its return value in JSON ("ret") and shows the queue after it. */
#define MQ_ROW(k, word, o, text, result, ...)                                                   \
	{                                                                                       \
		.kind = (k), .name = (word), .family = SIM_CALL_POSIX, .op = (o),               \
		.text_call = (text), .text_result = (result), .json_result = sim_call_json_ret, \
		__VA_ARGS__                                                                     \
	}

const SimCallDesc sim_call_posix_rows[] = {
	MQ_ROW(SIM_STMT_MQ_OPEN, "mq_open", SIM_OP_MQ_OPEN, open_text, open_result,
	       .footprint = names_footprint),
	MQ_ROW(SIM_STMT_MQ_SEND, "mq_send", SIM_OP_MQ_IO, send_text, send_result,
	       .footprint = io_footprint, .blocks = TRUE),
	MQ_ROW(SIM_STMT_MQ_RECEIVE, "mq_receive", SIM_OP_MQ_IO, receive_text, receive_result,
	       .footprint = io_footprint, .blocks = TRUE),
	MQ_ROW(SIM_STMT_MQ_GETATTR, "mq_getattr", SIM_OP_MQ_MISC, fd_text, getattr_result,
	       .footprint = attr_footprint),
	MQ_ROW(SIM_STMT_MQ_SETATTR, "mq_setattr", SIM_OP_MQ_MISC, setattr_text, plain_result,
	       .footprint = attr_footprint),
	MQ_ROW(SIM_STMT_MQ_NOTIFY, "mq_notify", SIM_OP_MQ_MISC, notify_text, plain_result,
	       .footprint = attr_footprint),
	MQ_ROW(SIM_STMT_MQ_CLOSE, "mq_close", SIM_OP_MQ_MISC, fd_text, plain_result,
	       .footprint = close_footprint),
	MQ_ROW(SIM_STMT_MQ_UNLINK, "mq_unlink", SIM_OP_MQ_MISC, unlink_text, plain_result,
	       .footprint = names_footprint),
};
const guint sim_call_posix_n_rows = G_N_ELEMENTS(sim_call_posix_rows);
