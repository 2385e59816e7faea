/* call_sysv.c — the System V family: msgget, msgsnd, msgrcv, msgctl (msgq.h), and ipcs.
 *
 * The trace shows each call with every argument the kernel sees (msgsnd's size, msgrcv's
 * flags), its return value in the words of the man page (an id, a byte count, the highest
 * index in use), and the queue's state after the call, "[q: 10 msgs, 5120 bytes]", which is
 * what a student compares with `ipcs -q`. ipcs has a trace event of its own (the table).
 *
 * Parsing: the queue Q of msgsnd, msgrcv and msgctl is a `sysv queue` name when one has that
 * name, else an integer variable of the body (msgget ... -> q), which only the whole file can
 * tell: take_queue records the use for scn_finish. Any mtype parses, since the kernel's
 * EINVAL for one below 1 is a lesson.
 */
#include "calls/call_int.h"

#include "lang/scn_int.h"

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

/* ---- Parsing ---- */

/* The queue Q of msgsnd, msgrcv and msgctl: a `sysv queue` or an integer variable, which
 * only the whole file can tell (see resolve_queue in scn_resolve.c). */
static gboolean take_queue(Parser *p, SimStmt *st, const char *how)
{
	const Tok *t = tok(p);
	if (!is_name_word(t))
		return scn_expected(
			p, "a SysV queue name or a variable set by 'msgget ... -> v' after '%s'",
			how);
	QueueUse q = { st->id, g_strdup(t->text), t->loc, -1, ROLE_COUNTER, { 0, 0 }, how };
	g_array_append_val(p->body->queues, q);
	st->ep = (SimEndpoint){ SIM_EP_SYSVQ, -1, t->loc, SIM_FD_PLAIN };
	advance(p);
	return TRUE;
}

static gboolean take_stmt_key(Parser *p, Opts *o, int k, void *obj)
{
	SimStmt *st = obj;
	(void)o, (void)k;
	return scn_take_key(p, REF_FTOK_STMT, st->id, &st->key);
}

static const OptSpec msgget_opts[] = {
	TAKE_OPT("key", take_stmt_key),
	FLAG_OPT("create", ST(flags), SIM_IPC_CREAT),
	FLAG_OPT("excl", ST(flags), SIM_IPC_EXCL),
	MODE_OPT("perm", ST(perm)),
	OPTS_END,
};

/* msgget key=K|private|ftok("PATH", ID) [create] [excl] [perm=MODE] [-> VAR] */
static gboolean msgget_parse(Parser *p, SimStmt *st)
{
	StmtOpts so = { .o = { .what = "msgget", .specs = msgget_opts }, .role = ROLE_QUEUE };
	if (!scn_take_stmt_opts(p, st, &so))
		return FALSE;
	if (!so.o.seen[0].line)
		return scn_fail_at(p, st->loc, E_SYNTAX,
				   "msgget needs key=K, key=private or key=ftok(\"PATH\", ID)");
	return TRUE;
}

/* Any mtype parses: the kernel's EINVAL for one below 1 is part of the lesson. */
static const OptSpec msgsnd_opts[] = {
	INT_OPT("type", ST(type), G_MININT64, G_MAXINT64),
	INT_OPT("size", ST(size), 0, G_MAXINT64),
	FLAG_OPT("nowait", ST(flags), SIM_IPC_NOWAIT),
	OPTS_END,
};

/* msgsnd Q TEXT [type=N] [size=N] [nowait]; the options may come before the text too. */
static gboolean msgsnd_parse(Parser *p, SimStmt *st)
{
	const Tok *q = tok(p);
	if (!take_queue(p, st, "msgsnd"))
		return FALSE;
	g_autofree char *ctx = g_strdup_printf("after 'msgsnd %s'", q->text);
	StmtOpts so = { .o = { .what = "msgsnd", .specs = msgsnd_opts },
			.role = -1,
			.text_ctx = ctx };
	if (!scn_take_stmt_opts(p, st, &so))
		return FALSE;
	st->nowait = (st->flags & SIM_IPC_NOWAIT) != 0;
	return so.text || scn_take_text(p, ctx, &st->text);
}

static const OptSpec msgrcv_opts[] = {
	INT_OPT("type", ST(type), G_MININT64, G_MAXINT64),
	INT_OPT("size", ST(size), 0, G_MAXINT64),
	FLAG_OPT("nowait", ST(flags), SIM_IPC_NOWAIT),
	FLAG_OPT("except", ST(flags), SIM_MSG_EXCEPT),
	FLAG_OPT("noerror", ST(flags), SIM_MSG_NOERROR),
	OPTS_END,
};

/* msgrcv Q [type=N] [size=N] [nowait] [except] [noerror] [-> VAR] */
static gboolean msgrcv_parse(Parser *p, SimStmt *st)
{
	st->type = 0; /* the first message, whatever its type */
	if (!take_queue(p, st, "msgrcv"))
		return FALSE;
	StmtOpts so = { .o = { .what = "msgrcv", .specs = msgrcv_opts }, .role = ROLE_MESSAGE };
	if (!scn_take_stmt_opts(p, st, &so))
		return FALSE;
	st->nowait = (st->flags & SIM_IPC_NOWAIT) != 0;
	return TRUE;
}

static const OptSpec msgctl_set_opts[] = {
	INT_OPT("qbytes", ST(qbytes), 0, G_MAXINT64),
	MODE_OPT("mode", ST(perm)),
	INT_OPT("uid", ST(set_uid), 0, G_MAXINT64),
	INT_OPT("gid", ST(set_gid), 0, G_MAXINT64),
	OPTS_END,
};

/* msgctl Q stat|rmid|info|msg_info  and  msgctl Q set [qbytes=N] [mode=M] [uid=N] [gid=N] */
static gboolean msgctl_parse(Parser *p, SimStmt *st)
{
	st->perm = -1; /* no mode=: msgctl set leaves the mode as it is */
	const Tok *q = tok(p);
	if (!take_queue(p, st, "msgctl"))
		return FALSE;
	g_autofree char *ctx = g_strdup_printf("after 'msgctl %s'", q->text);
	const Tok *cmd = tok(p);
	int c = scn_take_choice(p, "msgctl command", ctx, scn_ctl_names);
	if (c < 0)
		return FALSE;
	st->ctl = (SimCtlCmd)c;
	if (st->ctl != SIM_CTL_SET) {
		const Tok *t = tok(p);
		if (t->kind == TOK_WORD && is_char(peek(p, 1), '='))
			return scn_fail_tok(
				p, t, E_SYNTAX,
				"unexpected option '%s' for msgctl %s: only 'msgctl %s set' "
				"takes qbytes=, mode=, uid= and gid=",
				t->text, scn_ctl_names[c], q->text);
		return TRUE;
	}
	Opts o = { .what = "msgctl set", .specs = msgctl_set_opts };
	if (!scn_take_opts(p, &o, st))
		return FALSE;
	if (!o.seen[0].line && !o.seen[1].line && !o.seen[2].line && !o.seen[3].line)
		return scn_fail_tok(
			p, cmd, E_SYNTAX,
			"'msgctl %s set' needs at least one of qbytes=, mode=, uid= or gid=",
			q->text);
	return TRUE;
}

/* ipcs [-p|-t|-l] */
static gboolean ipcs_parse(Parser *p, SimStmt *st)
{
	static const char *const views[] = { "p", "t", "l", NULL };
	const Tok *dash = tok(p), *t = peek(p, 1);
	if (!is_char(dash, '-'))
		return TRUE;
	if (t->kind != TOK_WORD || !t->glued)
		return scn_expected_at(p, t, "p, t or l right after the '-' of 'ipcs -'");
	if (scn_pick(t->text, views) < 0)
		return scn_fail_tok(p, dash, E_SYNTAX,
				    "bad ipcs option '-%s': expected -p, -t or -l", t->text);
	st->view = t->text[0];
	advance(p);
	advance(p);
	return TRUE;
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
		.parse = msgget_parse,
	},
	{
		.kind = SIM_STMT_MSGSND,
		.name = "msgsnd",
		.family = SIM_CALL_SYSV,
		.op = SIM_OP_MSGSND,
		.text_call = msgsnd_text,
		.text_result = msgsnd_result,
		.json_result = sim_call_json_ret,
		.parse = msgsnd_parse,
	},
	{
		.kind = SIM_STMT_MSGRCV,
		.name = "msgrcv",
		.family = SIM_CALL_SYSV,
		.op = SIM_OP_MSGRCV,
		.text_call = msgrcv_text,
		.text_result = msgrcv_result,
		.json_result = sim_call_json_ret,
		.parse = msgrcv_parse,
	},
	{
		.kind = SIM_STMT_MSGCTL,
		.name = "msgctl",
		.family = SIM_CALL_SYSV,
		.op = SIM_OP_MSGCTL,
		.text_call = msgctl_text,
		.text_result = msgctl_result,
		.json_result = sim_call_json_ret,
		.parse = msgctl_parse,
	},
	{
		/* Traced as an event of its own (SIM_TR_IPCS), never as a call. */
		.kind = SIM_STMT_IPCS,
		.name = "ipcs",
		.family = SIM_CALL_SYSV,
		.op = SIM_OP_IPCS,
		.parse = ipcs_parse,
	},
};
const guint sim_call_sysv_n_rows = G_N_ELEMENTS(sim_call_sysv_rows);
