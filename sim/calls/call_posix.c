/* call_posix.c — the POSIX family: mq_open, mq_send, mq_receive, mq_getattr, mq_setattr,
 * mq_notify, mq_close, mq_unlink (mqueue.h).
 *
 * The trace shows each call with its flags and timeout as the scenario wrote them, its
 * return value (a descriptor, a byte count and priority, the attributes), and the queue's
 * state after the call, "[/q: 3 msgs, 21 bytes]". mq_getattr also prints the line that
 * /dev/mqueue/NAME shows (QSIZE, NOTIFY, SIGNO, NOTIFY_PID), the same on the real kernel.
 */
#include "calls/call_int.h"

#include <fcntl.h>

#include "msgsim/kernel/mqueue.h"
#include "real/xcheck_int.h"

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

/* ---- Cross-check: replay on the real kernel, and comparison ---- */

static gboolean open_replay(Xc *xc, SimWorld *w, const SimTask *t, const SimStmt *st,
			    SimRealCall *c, GString *data)
{
	gint64 *a = c->a;
	c->op = SIM_REAL_MQ_OPEN;
	stmt_text(w, t, st, st->mq_name, data);
	if (!xc_real_mq_text(xc, data, (st->flags & SIM_O_CREAT) != 0))
		return FALSE;
	a[1] = xc_open_flags(st->flags);
	a[2] = st->perm;
	a[3] = st->maxmsg;
	a[4] = st->msgsize;
	/* Shared mode, as msgget: a create while the run has no live queue of the name is
	 * exclusive, so that it makes the run's queue or meets a stranger's (EEXIST), never
	 * opens it. */
	if ((a[1] & O_CREAT) && xc_mq_must_create(xc, data->str))
		a[1] |= O_EXCL;
	return TRUE;
}

static gboolean unlink_replay(Xc *xc, SimWorld *w, const SimTask *t, const SimStmt *st,
			      SimRealCall *c, GString *data)
{
	c->op = SIM_REAL_MQ_UNLINK;
	stmt_text(w, t, st, st->mq_name, data);
	return xc_real_mq_text(xc, data, FALSE);
}

static gboolean send_replay(Xc *xc, SimWorld *w, const SimTask *t, const SimStmt *st,
			    SimRealCall *c, GString *data)
{
	gint64 *a = c->a;
	c->op = SIM_REAL_MQ_SEND;
	a[0] = sim_interp_fd(t, st);
	a[1] = st->prio;
	stmt_text(w, t, st, NULL, data);
	a[2] = st->size >= 0 ? st->size : (gint64)data->len;
	if ((gint64)data->len > a[2])
		g_string_truncate(data, (gsize)a[2]);
	a[3] = xc_real_timeout(xc, w, t, st);
	return TRUE;
}

static gboolean receive_replay(Xc *xc, SimWorld *w, const SimTask *t, const SimStmt *st,
			       SimRealCall *c, GString *data)
{
	gint64 *a = c->a;
	(void)data;
	c->op = SIM_REAL_MQ_RECEIVE;
	a[0] = sim_interp_fd(t, st);
	const SimFile *f = sim_fdt_get(&t->fdt, a[0]);
	a[1] = st->size >= 0			      ? st->size
	       : f && f->kind == SIM_FILE_MQ && f->mq ? f->mq->msgsize
						      : 8192;
	a[3] = xc_real_timeout(xc, w, t, st);
	return TRUE;
}

/* mq_getattr, mq_setattr, mq_notify, mq_close: a descriptor and what the statement says. */
static gboolean getattr_replay(Xc *xc, SimWorld *w, const SimTask *t, const SimStmt *st,
			       SimRealCall *c, GString *data)
{
	(void)xc;
	(void)w;
	(void)data;
	c->op = SIM_REAL_MQ_GETATTR;
	c->a[0] = sim_interp_fd(t, st);
	return TRUE;
}

static gboolean setattr_replay(Xc *xc, SimWorld *w, const SimTask *t, const SimStmt *st,
			       SimRealCall *c, GString *data)
{
	(void)xc;
	(void)w;
	(void)data;
	c->op = SIM_REAL_MQ_SETATTR;
	c->a[0] = sim_interp_fd(t, st);
	c->a[1] = st->flags & SIM_O_NONBLOCK ? O_NONBLOCK : 0;
	return TRUE;
}

static gboolean notify_replay(Xc *xc, SimWorld *w, const SimTask *t, const SimStmt *st,
			      SimRealCall *c, GString *data)
{
	(void)xc;
	(void)w;
	(void)data;
	c->op = SIM_REAL_MQ_NOTIFY;
	c->a[0] = sim_interp_fd(t, st);
	c->a[1] = st->notify == SIM_NOTIFY_SIGNAL ? 0 : st->notify == SIM_NOTIFY_NONE ? 1 : 2;
	c->a[2] = st->sig;
	return TRUE;
}

/* mq_close is close(2) on Linux: a queue descriptor is a file descriptor. */
static gboolean close_replay(Xc *xc, SimWorld *w, const SimTask *t, const SimStmt *st,
			     SimRealCall *c, GString *data)
{
	(void)xc;
	(void)w;
	(void)data;
	c->op = SIM_REAL_CLOSE;
	c->a[0] = sim_interp_fd(t, st);
	return TRUE;
}

/* mq_receive: the message's text and its priority. */
static void receive_model_cell(Xc *xc, SimWorld *w, const SimTask *t, const SimStmt *st, Cell *m)
{
	(void)xc;
	(void)t;
	(void)st;
	xc_model_data(w, m);
	if (!m->err) {
		m->has_ret2 = TRUE;
		m->ret2_name = "prio";
		m->ret2 = sim_world_call_out(w)->prio;
	}
}

static void receive_kernel_cell(Xc *xc, const SimStmt *st, const SimRealResult *r, const char *data,
				Cell *m, Cell *k)
{
	(void)st;
	xc_kernel_data(xc, r, data, m, k);
	if (!r->err) {
		k->has_ret2 = TRUE;
		k->ret2_name = "prio";
		k->ret2 = r->ret2;
	}
}

/* mq_getattr and mq_setattr: the attributes before the call (setattr gives the old ones);
 * the descriptor's O_NONBLOCK only for getattr (with_nb). */
static void attr_model(const SimTask *t, const SimStmt *st, gboolean with_nb, Cell *m)
{
	const SimFile *f = sim_fdt_get(&t->fdt, sim_interp_fd(t, st));
	if (m->err || f == NULL || f->kind != SIM_FILE_MQ)
		return;
	m->extra = g_string_new(NULL);
	g_string_append_printf(m->extra,
			       " maxmsg=%" G_GINT64_FORMAT " msgsize=%" G_GINT64_FORMAT
			       " curmsgs=%" G_GUINT64_FORMAT,
			       f->mq->maxmsg, f->mq->msgsize, f->mq->curmsgs);
	if (with_nb)
		g_string_append_printf(m->extra, " nonblock=%d", (f->flags & SIM_O_NONBLOCK) != 0);
}

static void attr_kernel(const SimRealResult *r, gboolean with_nb, Cell *k)
{
	if (r->err)
		return;
	k->extra = g_string_new(NULL);
	g_string_append_printf(k->extra,
			       " maxmsg=%" G_GINT64_FORMAT " msgsize=%" G_GINT64_FORMAT
			       " curmsgs=%" G_GINT64_FORMAT,
			       r->stat[1], r->stat[2], r->stat[3]);
	if (with_nb)
		g_string_append_printf(k->extra, " nonblock=%d", (r->stat[0] & O_NONBLOCK) != 0);
}

static void getattr_model_cell(Xc *xc, SimWorld *w, const SimTask *t, const SimStmt *st, Cell *m)
{
	(void)xc;
	(void)w;
	attr_model(t, st, TRUE, m);
}

static void getattr_kernel_cell(Xc *xc, const SimStmt *st, const SimRealResult *r, const char *data,
				Cell *m, Cell *k)
{
	(void)xc;
	(void)st;
	(void)data;
	(void)m;
	attr_kernel(r, TRUE, k);
}

static void setattr_model_cell(Xc *xc, SimWorld *w, const SimTask *t, const SimStmt *st, Cell *m)
{
	(void)xc;
	(void)w;
	attr_model(t, st, FALSE, m);
}

static void setattr_kernel_cell(Xc *xc, const SimStmt *st, const SimRealResult *r, const char *data,
				Cell *m, Cell *k)
{
	(void)xc;
	(void)st;
	(void)data;
	(void)m;
	attr_kernel(r, FALSE, k);
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
	       .real_name = "mq_open",
	       .replay = open_replay),
	MQ_ROW(SIM_STMT_MQ_SEND, "mq_send", SIM_OP_MQ_IO, send_text, send_result,
	       .real_name = "mq_send",
	       .xc_flags = SIM_CALL_XC_TIMED,
	       .replay = send_replay),
	MQ_ROW(SIM_STMT_MQ_RECEIVE, "mq_receive", SIM_OP_MQ_IO, receive_text, receive_result,
	       .real_name = "mq_receive",
	       .xc_flags = SIM_CALL_XC_TIMED,
	       .replay = receive_replay,
	       .model_cell = receive_model_cell,
	       .kernel_cell = receive_kernel_cell),
	MQ_ROW(SIM_STMT_MQ_GETATTR, "mq_getattr", SIM_OP_MQ_MISC, fd_text, getattr_result,
	       .real_name = "mq_getattr",
	       .replay = getattr_replay,
	       .model_cell = getattr_model_cell,
	       .kernel_cell = getattr_kernel_cell),
	MQ_ROW(SIM_STMT_MQ_SETATTR, "mq_setattr", SIM_OP_MQ_MISC, setattr_text, plain_result,
	       .real_name = "mq_setattr",
	       .replay = setattr_replay,
	       .model_cell = setattr_model_cell,
	       .kernel_cell = setattr_kernel_cell),
	MQ_ROW(SIM_STMT_MQ_NOTIFY, "mq_notify", SIM_OP_MQ_MISC, notify_text, plain_result,
	       .real_name = "mq_notify",
	       .replay = notify_replay),
	MQ_ROW(SIM_STMT_MQ_CLOSE, "mq_close", SIM_OP_MQ_MISC, fd_text, plain_result,
	       .real_name = "mq_close",
	       .replay = close_replay),
	MQ_ROW(SIM_STMT_MQ_UNLINK, "mq_unlink", SIM_OP_MQ_MISC, unlink_text, plain_result,
	       .real_name = "mq_unlink",
	       .replay = unlink_replay),
};
const guint sim_call_posix_n_rows = G_N_ELEMENTS(sim_call_posix_rows);
