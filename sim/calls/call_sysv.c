/* call_sysv.c — the System V family: msgget, msgsnd, msgrcv, msgctl (msgq.h), and ipcs.
 *
 * The trace shows each call with every argument the kernel sees (msgsnd's size, msgrcv's
 * flags), its return value in the words of the man page (an id, a byte count, the highest
 * index in use), and the queue's state after the call, "[q: 10 msgs, 5120 bytes]", which is
 * what a student compares with `ipcs -q`. ipcs has a trace event of its own (the table).
 */
#define _GNU_SOURCE /* MSG_EXCEPT */

#include "calls/call_int.h"

#include <sys/ipc.h>
#include <sys/msg.h>

#include "msgsim/kernel/msgq.h"
#include "real/xcheck_int.h"

static void msgget_text(GString *s, const SimTraceEvent *ev)
{
	const SimStmt *st = ev->stmt;
	if (st->key.kind == SIM_KEY_PRIVATE)
		g_string_append(s, "msgget key=private");
	else
		g_string_append_printf(s, "msgget key=0x%08" G_GINT64_MODIFIER "x", ev->value);
	g_string_append_printf(s, "%s%s perm=0%" G_GINT64_MODIFIER "o",
			       st->flags & SIM_IPC_CREAT ? " create" : "",
			       st->flags & SIM_IPC_EXCL ? " excl" : "", st->perm);
}

static void msgsnd_text(GString *s, const SimTraceEvent *ev)
{
	const SimStmt *st = ev->stmt;
	g_string_append_printf(s, "msgsnd %s type=%" G_GINT64_FORMAT, ev->object, st->type);
	if (ev->msg) {
		g_string_append_c(s, ' ');
		sim_trace_quote(s, ev->msg->text, ev->msg->len);
		g_string_append_printf(s, " size=%" G_GSIZE_FORMAT, ev->msg->size);
	}
	if (st->flags & SIM_IPC_NOWAIT)
		g_string_append(s, " nowait");
}

static void msgrcv_text(GString *s, const SimTraceEvent *ev)
{
	const SimStmt *st = ev->stmt;
	g_string_append_printf(s, "msgrcv %s type=%" G_GINT64_FORMAT, ev->object, st->type);
	if (st->size >= 0)
		g_string_append_printf(s, " size=%" G_GINT64_FORMAT, st->size);
	g_string_append_printf(s, "%s%s%s", st->flags & SIM_IPC_NOWAIT ? " nowait" : "",
			       st->flags & SIM_MSG_EXCEPT ? " except" : "",
			       st->flags & SIM_MSG_NOERROR ? " noerror" : "");
}

static void msgctl_text(GString *s, const SimTraceEvent *ev)
{
	static const char *const cmds[] = { [SIM_CTL_STAT] = "stat",
					    [SIM_CTL_SET] = "set",
					    [SIM_CTL_RMID] = "rmid",
					    [SIM_CTL_INFO] = "info",
					    [SIM_CTL_MSG_INFO] = "msg_info" };
	const SimStmt *st = ev->stmt;
	g_string_append_printf(s, "msgctl %s %s", ev->object, cmds[st->ctl]);
	if (st->qbytes >= 0)
		g_string_append_printf(s, " qbytes=%" G_GINT64_FORMAT, st->qbytes);
	if (st->ctl == SIM_CTL_SET && st->perm >= 0)
		g_string_append_printf(s, " mode=0%" G_GINT64_MODIFIER "o", st->perm);
	if (st->set_uid >= 0)
		g_string_append_printf(s, " uid=%" G_GINT64_FORMAT, st->set_uid);
	if (st->set_gid >= 0)
		g_string_append_printf(s, " gid=%" G_GINT64_FORMAT, st->set_gid);
}

static void msgget_result(GString *s, const SimTraceEvent *ev, const char *arrow)
{
	if (sim_call_result_head(s, ev, arrow))
		g_string_append_printf(s, ", id %" G_GINT64_FORMAT, ev->ret);
	if (!ev->blocked)
		sim_trace_msgq_state(s, ev);
}

static void msgsnd_result(GString *s, const SimTraceEvent *ev, const char *arrow)
{
	if (sim_call_result_head(s, ev, arrow)) {
		if (ev->other)
			g_string_append_printf(s, ", handed to %s", ev->other);
		else
			g_string_append(s, ", queued");
	}
	if (!ev->blocked)
		sim_trace_msgq_state(s, ev);
}

static void msgrcv_result(GString *s, const SimTraceEvent *ev, const char *arrow)
{
	if (sim_call_result_head(s, ev, arrow)) {
		const SimMsg *m = ev->msg;
		g_string_append_printf(s,
				       ", %" G_GINT64_FORMAT " bytes: type %" G_GINT64_FORMAT " ",
				       ev->ret, m->type);
		sim_trace_received(s, ev);
	}
	if (!ev->blocked)
		sim_trace_msgq_state(s, ev);
}

/* IPC_STAT: the msqid_ds fields as ipcs -q -i shows them. */
static void msgctl_stat(GString *s, const SimTraceEvent *ev)
{
	const SimMsgq *q = ev->msgq;
	char t1[32], t2[32], t3[32];
	g_string_append_printf(s,
			       ": qnum %" G_GUINT64_FORMAT ", cbytes %" G_GUINT64_FORMAT
			       ", qbytes %" G_GUINT64_FORMAT ", lspid %s, lrpid %s, stime %s,"
			       " rtime %s, ctime %s, perms %03o, uid %" G_GINT64_FORMAT
			       ", gid %" G_GINT64_FORMAT ", cuid %" G_GINT64_FORMAT
			       ", cgid %" G_GINT64_FORMAT,
			       q->qnum, q->cbytes, q->qbytes, ev->lspid ? ev->lspid : "-",
			       ev->lrpid ? ev->lrpid : "-",
			       q->lspid >= 0 ? sim_trace_time(q->stime, t1, sizeof(t1)) : "-",
			       q->lrpid >= 0 ? sim_trace_time(q->rtime, t2, sizeof(t2)) : "-",
			       sim_trace_time(q->ctime, t3, sizeof(t3)), q->perm.mode, q->perm.uid,
			       q->perm.gid, q->perm.cuid, q->perm.cgid);
}

static void msgctl_result(GString *s, const SimTraceEvent *ev, const char *arrow)
{
	const SimStmt *st = ev->stmt;
	if (sim_call_result_head(s, ev, arrow)) {
		if (st->ctl == SIM_CTL_STAT) {
			msgctl_stat(s, ev);
		} else if (st->ctl == SIM_CTL_RMID) {
			g_string_append_printf(
				s, ", %" G_GINT64_FORMAT " waiter(s) fail with EIDRM", ev->ret);
		} else if (st->ctl == SIM_CTL_INFO) {
			g_string_append_printf(
				s,
				", highest index in use %" G_GINT64_FORMAT
				": msgmax %" G_GINT64_FORMAT ", msgmnb %" G_GINT64_FORMAT
				", msgmni %" G_GINT64_FORMAT
				", msgpool 512000, msgmap 16384, msgtql 16384, msgssz 16,"
				" msgseg 65535",
				ev->ret, ev->counts[3], ev->counts[4], ev->counts[5]);
		} else if (st->ctl == SIM_CTL_MSG_INFO) {
			g_string_append_printf(
				s,
				", highest index in use %" G_GINT64_FORMAT
				": msgpool %" G_GINT64_FORMAT " (queues), msgmap %" G_GINT64_FORMAT
				" (messages), msgtql %" G_GINT64_FORMAT " (bytes)",
				ev->ret, ev->counts[0], ev->counts[1], ev->counts[2]);
		}
	}
	/* IPC_INFO and MSG_INFO are about the namespace, not one queue. */
	if (!ev->blocked && st->ctl != SIM_CTL_INFO && st->ctl != SIM_CTL_MSG_INFO)
		sim_trace_msgq_state(s, ev);
}

/* ---- Cross-check: replay on the real kernel, and comparison ---- */

static gboolean msgget_replay(Xc *xc, SimWorld *w, const SimTask *t, const SimStmt *st,
			      SimRealCall *c, GString *data)
{
	(void)t;
	(void)data;
	c->op = SIM_REAL_MSGGET;
	c->a[1] = (st->flags & SIM_IPC_CREAT ? IPC_CREAT : 0) |
		  (st->flags & SIM_IPC_EXCL ? IPC_EXCL : 0) | (st->perm & 0777);
	return xc_real_key(xc, sim_world_key(w, &st->key), &c->a[0], &c->a[1]);
}

static gboolean msgsnd_replay(Xc *xc, SimWorld *w, const SimTask *t, const SimStmt *st,
			      SimRealCall *c, GString *data)
{
	gint64 *a = c->a;
	c->op = SIM_REAL_MSGSND;
	a[0] = real_id(xc, sim_interp_queue_id(w, t, st));
	a[1] = st->type;
	stmt_text(w, t, st, NULL, data);
	a[2] = st->size >= 0 ? st->size : (gint64)data->len;
	if ((gint64)data->len > a[2])
		g_string_truncate(data, (gsize)a[2]);
	a[3] = st->flags & SIM_IPC_NOWAIT ? IPC_NOWAIT : 0;
	return TRUE;
}

static gboolean msgrcv_replay(Xc *xc, SimWorld *w, const SimTask *t, const SimStmt *st,
			      SimRealCall *c, GString *data)
{
	gint64 *a = c->a;
	(void)data;
	c->op = SIM_REAL_MSGRCV;
	a[0] = real_id(xc, sim_interp_queue_id(w, t, st));
	a[1] = st->type;
	a[2] = st->size >= 0 ? st->size : w->ipcns.limits.msgmax;
	a[3] = (st->flags & SIM_IPC_NOWAIT ? IPC_NOWAIT : 0) |
	       (st->flags & SIM_MSG_EXCEPT ? MSG_EXCEPT : 0) |
	       (st->flags & SIM_MSG_NOERROR ? MSG_NOERROR : 0);
	return TRUE;
}

static gboolean msgctl_replay(Xc *xc, SimWorld *w, const SimTask *t, const SimStmt *st,
			      SimRealCall *c, GString *data)
{
	static const int cmds[] = { [SIM_CTL_STAT] = IPC_STAT,
				    [SIM_CTL_SET] = IPC_SET,
				    [SIM_CTL_RMID] = IPC_RMID,
				    [SIM_CTL_INFO] = IPC_INFO,
				    [SIM_CTL_MSG_INFO] = MSG_INFO };
	gint64 *a = c->a;
	(void)data;
	c->op = SIM_REAL_MSGCTL;
	int id = sim_interp_queue_id(w, t, st);
	a[0] = real_id(xc, id);
	a[1] = cmds[st->ctl];
	if (st->ctl == SIM_CTL_SET) {
		/* IPC_SET takes all four: the ones not given are the queue's own. */
		const SimMsgq *q = id < 0 ? NULL : sim_msgq_lookup(&w->ipcns, id);
		a[2] = st->qbytes >= 0 ? st->qbytes : q ? (gint64)q->qbytes : 0;
		a[3] = st->perm >= 0 ? st->perm : q ? q->perm.mode : 0;
		a[4] = st->set_uid >= 0 ? st->set_uid : q ? q->perm.uid : 0;
		a[5] = st->set_gid >= 0 ? st->set_gid : q ? q->perm.gid : 0;
	}
	return TRUE;
}

/* msgget: the kernel's id as the model's, when the run can bind them (shared mode). */
static void msgget_kernel_cell(Xc *xc, const SimStmt *st, const SimRealResult *r, const char *data,
			       Cell *m, Cell *k)
{
	(void)st;
	(void)data;
	k->ret = xc_model_id(xc, r->ret, m->err ? -1 : m->ret, &k->data_differs);
}

/* msgrcv: the message's text and its type. */
static void msgrcv_model_cell(Xc *xc, SimWorld *w, const SimTask *t, const SimStmt *st, Cell *m)
{
	(void)xc;
	(void)t;
	(void)st;
	xc_model_data(w, m);
	if (!m->err) {
		m->has_ret2 = TRUE;
		m->ret2_name = "type";
		m->ret2 = sim_world_call_out(w)->type;
	}
}

static void msgrcv_kernel_cell(Xc *xc, const SimStmt *st, const SimRealResult *r, const char *data,
			       Cell *m, Cell *k)
{
	(void)st;
	xc_kernel_data(xc, r, data, m, k);
	if (!r->err) {
		k->has_ret2 = TRUE;
		k->ret2_name = "type";
		k->ret2 = r->ret2;
	}
}

/* msgctl: IPC_STAT's fields; IPC_INFO and MSG_INFO's limits. */
static void msgctl_model_cell(Xc *xc, SimWorld *w, const SimTask *t, const SimStmt *st, Cell *m)
{
	if (m->err)
		return;
	if (st->ctl == SIM_CTL_STAT) {
		const SimMsgq *q = sim_msgq_lookup(&w->ipcns, sim_interp_queue_id(w, t, st));
		if (q) {
			m->extra = g_string_new(NULL);
			xc_model_queue_stat(xc, q, m->extra);
		}
	} else if (st->ctl == SIM_CTL_INFO || st->ctl == SIM_CTL_MSG_INFO) {
		m->extra = g_string_new(NULL);
		g_string_append_printf(m->extra,
				       " msgmax=%" G_GINT64_FORMAT " msgmnb=%" G_GINT64_FORMAT
				       " msgmni=%" G_GINT64_FORMAT,
				       w->ipcns.limits.msgmax, w->ipcns.limits.msgmnb,
				       w->ipcns.limits.msgmni);
	}
}

static void msgctl_kernel_cell(Xc *xc, const SimStmt *st, const SimRealResult *r, const char *data,
			       Cell *m, Cell *k)
{
	(void)data;
	(void)m;
	if (r->err)
		return;
	if (st->ctl == SIM_CTL_STAT) {
		k->extra = g_string_new(NULL);
		xc_kernel_queue_stat(xc, r->stat, k->extra);
	} else if (st->ctl == SIM_CTL_INFO || st->ctl == SIM_CTL_MSG_INFO) {
		/* IPC_INFO and MSG_INFO both fill the limits. */
		k->extra = g_string_new(NULL);
		g_string_append_printf(k->extra,
				       " msgmax=%" G_GINT64_FORMAT " msgmnb=%" G_GINT64_FORMAT
				       " msgmni=%" G_GINT64_FORMAT,
				       r->stat[2], r->stat[3], r->stat[4]);
	}
}

/* IPC_INFO and MSG_INFO tell the namespace's limits and usage, not one queue's. */
static const char *msgctl_whole_namespace(const SimStmt *st)
{
	return st->ctl == SIM_CTL_INFO	     ? "IPC_INFO"
	       : st->ctl == SIM_CTL_MSG_INFO ? "MSG_INFO"
					     : NULL;
}

const SimCallDesc sim_call_sysv_rows[] = {
	{
		.kind = SIM_STMT_MSGGET,
		.name = "msgget",
		.family = SIM_CALL_SYSV,
		.op = SIM_OP_MSGGET,
		.text_call = msgget_text,
		.text_result = msgget_result,
		.json_result = sim_call_json_ret,
		.real_name = "msgget",
		.replay = msgget_replay,
		.kernel_cell = msgget_kernel_cell,
	},
	{
		.kind = SIM_STMT_MSGSND,
		.name = "msgsnd",
		.family = SIM_CALL_SYSV,
		.op = SIM_OP_MSGSND,
		.text_call = msgsnd_text,
		.text_result = msgsnd_result,
		.json_result = sim_call_json_ret,
		.real_name = "msgsnd",
		.replay = msgsnd_replay,
	},
	{
		.kind = SIM_STMT_MSGRCV,
		.name = "msgrcv",
		.family = SIM_CALL_SYSV,
		.op = SIM_OP_MSGRCV,
		.text_call = msgrcv_text,
		.text_result = msgrcv_result,
		.json_result = sim_call_json_ret,
		.real_name = "msgrcv",
		.replay = msgrcv_replay,
		.model_cell = msgrcv_model_cell,
		.kernel_cell = msgrcv_kernel_cell,
	},
	{
		.kind = SIM_STMT_MSGCTL,
		.name = "msgctl",
		.family = SIM_CALL_SYSV,
		.op = SIM_OP_MSGCTL,
		.text_call = msgctl_text,
		.text_result = msgctl_result,
		.json_result = sim_call_json_ret,
		.real_name = "msgctl",
		.replay = msgctl_replay,
		.model_cell = msgctl_model_cell,
		.kernel_cell = msgctl_kernel_cell,
		.whole_namespace = msgctl_whole_namespace,
	},
	{
		/* Traced as an event of its own (SIM_TR_IPCS), never as a call. */
		.kind = SIM_STMT_IPCS,
		.name = "ipcs",
		.family = SIM_CALL_SYSV,
		.op = SIM_OP_IPCS,
	},
};
const guint sim_call_sysv_n_rows = G_N_ELEMENTS(sim_call_sysv_rows);
