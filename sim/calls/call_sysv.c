/* call_sysv.c — the System V family: msgget, msgsnd, msgrcv, msgctl (msgq.h), and ipcs.
 *
 * The trace shows each call with every argument the kernel sees (msgsnd's size, msgrcv's
 * flags), its return value in the words of the man page (an id, a byte count, the highest
 * index in use), and the queue's state after the call, "[q: 10 msgs, 5120 bytes]", which is
 * what a student compares with `ipcs -q`. ipcs has a trace event of its own (the table).
 *
 * Footprint: msgsnd and msgrcv change their one queue, so calls on different queues
 * commute; msgget, IPC_SET and IPC_RMID change the namespace's tables.
 */
#include "calls/call_int.h"

#include "msgsim/kernel/msgq.h"

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

/* ---- Footprint ---- */

/* msgget: a lookup by key reads the namespace; one that may create (IPC_CREAT, and
 * IPC_PRIVATE always) changes it, since a new queue takes an id and a slot any other
 * msgget could have had. So a private msgget and a keyed one with create conflict, as two
 * keyed ones on different keys do: the id each gets depends on their order. */
static void msgget_footprint(const SimWorld *w, const SimTask *t, const SimStmt *st,
			     SimFootprint *fp)
{
	(void)w;
	gboolean makes = st->key.kind == SIM_KEY_PRIVATE || (st->flags & SIM_IPC_CREAT);
	sim_call_fp_self(fp, t, FALSE);
	sim_footprint_add(fp, SIM_OBJ_SYSV_NS, 0, makes);
}

/* The queue a call names, through a declared queue's id or a variable's value. An id that
 * names no queue now (never made, or removed) makes the call fail, until a msgget makes a
 * queue with that id: the call then reads the namespace instead. Returns whether it
 * resolved. */
static gboolean queue_footprint(const SimWorld *w, const SimTask *t, const SimStmt *st,
				SimFootprint *fp, gboolean write)
{
	int id = sim_interp_queue_id(w, t, st);
	sim_call_fp_self(fp, t, FALSE);
	if (id >= 0 && sim_msgq_lookup(&w->ipcns, id)) {
		sim_footprint_add(fp, SIM_OBJ_SYSVQ, (guint64)id, write);
		return TRUE;
	}
	sim_footprint_add(fp, SIM_OBJ_SYSV_NS, 0, FALSE);
	return FALSE;
}

/* msgsnd, msgrcv: both change the queue (a message goes in or out, or a waiter joins). */
static void io_footprint(const SimWorld *w, const SimTask *t, const SimStmt *st, SimFootprint *fp)
{
	queue_footprint(w, t, st, fp, TRUE);
}

/* msgctl: IPC_STAT reads the queue; IPC_SET changes it and the permissions msgget checks;
 * IPC_RMID changes it and frees its id. IPC_INFO and MSG_INFO read the namespace and the
 * totals of every queue. */
static void msgctl_footprint(const SimWorld *w, const SimTask *t, const SimStmt *st,
			     SimFootprint *fp)
{
	if (st->ctl == SIM_CTL_INFO || st->ctl == SIM_CTL_MSG_INFO) {
		sim_call_fp_self(fp, t, FALSE);
		sim_footprint_add(fp, SIM_OBJ_SYSV_NS, 0, FALSE);
		sim_footprint_add(fp, SIM_OBJ_SYSVQ, SIM_OBJ_ALL, FALSE);
		return;
	}
	gboolean changes = st->ctl != SIM_CTL_STAT;
	if (queue_footprint(w, t, st, fp, changes) && changes)
		sim_footprint_add(fp, SIM_OBJ_SYSV_NS, 0, TRUE);
}

/* ipcs: prints every queue of the namespace. */
static void ipcs_footprint(const SimWorld *w, const SimTask *t, const SimStmt *st, SimFootprint *fp)
{
	(void)w;
	(void)st;
	sim_call_fp_self(fp, t, FALSE);
	sim_footprint_add(fp, SIM_OBJ_SYSV_NS, 0, FALSE);
	sim_footprint_add(fp, SIM_OBJ_SYSVQ, SIM_OBJ_ALL, FALSE);
	sim_footprint_add(fp, SIM_OBJ_OUTPUT, 0, TRUE);
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
		.footprint = msgget_footprint,
	},
	{
		.kind = SIM_STMT_MSGSND,
		.name = "msgsnd",
		.family = SIM_CALL_SYSV,
		.op = SIM_OP_MSGSND,
		.text_call = msgsnd_text,
		.text_result = msgsnd_result,
		.json_result = sim_call_json_ret,
		.footprint = io_footprint,
		.blocks = TRUE,
	},
	{
		.kind = SIM_STMT_MSGRCV,
		.name = "msgrcv",
		.family = SIM_CALL_SYSV,
		.op = SIM_OP_MSGRCV,
		.text_call = msgrcv_text,
		.text_result = msgrcv_result,
		.json_result = sim_call_json_ret,
		.footprint = io_footprint,
		.blocks = TRUE,
	},
	{
		.kind = SIM_STMT_MSGCTL,
		.name = "msgctl",
		.family = SIM_CALL_SYSV,
		.op = SIM_OP_MSGCTL,
		.text_call = msgctl_text,
		.text_result = msgctl_result,
		.json_result = sim_call_json_ret,
		.footprint = msgctl_footprint,
	},
	{
		/* Traced as an event of its own (SIM_TR_IPCS), never as a call. */
		.kind = SIM_STMT_IPCS,
		.name = "ipcs",
		.family = SIM_CALL_SYSV,
		.op = SIM_OP_IPCS,
		.footprint = ipcs_footprint,
	},
};
const guint sim_call_sysv_n_rows = G_N_ELEMENTS(sim_call_sysv_rows);
