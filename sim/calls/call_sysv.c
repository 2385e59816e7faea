/* call_sysv.c — the System V family: msgget, msgsnd, msgrcv, msgctl (msgq.h), and ipcs.
 *
 * The trace shows each call with every argument the kernel sees (msgsnd's size, msgrcv's
 * flags), its return value in the words of the man page (an id, a byte count, the highest
 * index in use), and the queue's state after the call, "[q: 10 msgs, 5120 bytes]", which is
 * what a student compares with `ipcs -q`. ipcs has a trace event of its own (the table).
 *
 * Execution: a blocked msgsnd or msgrcv is woken to try again, as the kernel's retry loop
 * does (a sender that finds the queue full again goes back to the tail); after every call
 * that may have woken several senders, the trace names those that now race for the room.
 *
 * Parsing: the queue Q of msgsnd, msgrcv and msgctl is a `sysv queue` name when one has that
 * name, else an integer variable of the body (msgget ... -> q), which only the whole file can
 * tell: take_queue records the use for scn_finish. Any mtype parses, since the kernel's
 * EINVAL for one below 1 is a lesson.
 *
 * Footprint: msgsnd and msgrcv change their one queue, so calls on different queues
 * commute; msgget, IPC_SET and IPC_RMID change the namespace's tables.
 */
#define _GNU_SOURCE /* MSG_EXCEPT */

#include "calls/call_int.h"

#include <sys/ipc.h>
#include <sys/msg.h>

#include "msgsim/kernel/msgq.h"
#include "msgsim/output/ipcs.h"

#include "engine/interp_int.h"
#include "lang/scn_int.h"
#include "real/xcheck_int.h"

static void msgget_text(GString *s, const SimTraceEvent *ev)
{
	const SimStmt *st = ev->stmt;
	if (st->sysv.key.kind == SIM_KEY_PRIVATE)
		g_string_append(s, "msgget key=private");
	else
		g_string_append_printf(s, "msgget key=0x%08" G_GINT64_MODIFIER "x", ev->value);
	g_string_append_printf(s, "%s%s perm=0%" G_GINT64_MODIFIER "o",
			       st->sysv.flags & SIM_IPC_CREAT ? " create" : "",
			       st->sysv.flags & SIM_IPC_EXCL ? " excl" : "", st->sysv.perm);
}

/* msgsnd and msgrcv write a line for every message of a long run: they append without
 * printf. */
static void msgsnd_text(GString *s, const SimTraceEvent *ev)
{
	const SimStmt *st = ev->stmt;
	sim_trace_puts(s, "msgsnd ");
	sim_trace_puts(s, ev->object);
	sim_trace_puts(s, " type=");
	sim_trace_int(s, st->sysv.type);
	if (ev->msg) {
		sim_trace_putc(s, ' ');
		sim_trace_quote(s, ev->msg->text, ev->msg->len);
		sim_trace_puts(s, " size=");
		sim_trace_int(s, (gint64)ev->msg->size); /* as written: -1, not 2^64 - 1 */
	}
	if (st->sysv.flags & SIM_IPC_NOWAIT)
		sim_trace_puts(s, " nowait");
}

static void msgrcv_text(GString *s, const SimTraceEvent *ev)
{
	const SimStmt *st = ev->stmt;
	sim_trace_puts(s, "msgrcv ");
	sim_trace_puts(s, ev->object);
	sim_trace_puts(s, " type=");
	sim_trace_int(s, st->sysv.type);
	if (st->sysv.size != SIM_SIZE_UNSET) {
		sim_trace_puts(s, " size=");
		sim_trace_int(s, st->sysv.size);
	}
	if (st->sysv.flags & SIM_IPC_NOWAIT)
		sim_trace_puts(s, " nowait");
	if (st->sysv.flags & SIM_MSG_EXCEPT)
		sim_trace_puts(s, " except");
	if (st->sysv.fill >= 0)
		g_string_append_printf(s, " fill=%" G_GINT64_FORMAT, st->sysv.fill);
	if (st->sysv.flags & SIM_MSG_NOERROR)
		sim_trace_puts(s, " noerror");
}

/* MSG_STAT and MSG_STAT_ANY name a slot of the table by its index, and return the id of
 * the queue in it with the fields IPC_STAT gives. */
static gboolean ctl_by_index(const SimStmt *st)
{
	return st->sysv.cmd == SIM_CTL_MSG_STAT || st->sysv.cmd == SIM_CTL_MSG_STAT_ANY;
}

/* The queue in slot idx of the table, or NULL (out of range or free). */
static SimMsgq *queue_at(const SimIpcNs *ns, gint64 idx)
{
	return idx >= 0 && idx < (gint64)ns->n_slots ? ns->slots[idx] : NULL;
}

static void msgctl_text(GString *s, const SimTraceEvent *ev)
{
	static const char *const cmds[] = { [SIM_CTL_STAT] = "stat",
					    [SIM_CTL_SET] = "set",
					    [SIM_CTL_RMID] = "rmid",
					    [SIM_CTL_INFO] = "info",
					    [SIM_CTL_MSG_INFO] = "msg_info",
					    [SIM_CTL_MSG_STAT] = "msg_stat",
					    [SIM_CTL_MSG_STAT_ANY] = "msg_stat_any" };
	const SimStmt *st = ev->stmt;
	if (st->sysv.cmd == SIM_CTL_RAW) {
		g_string_append_printf(s, "msgctl %s cmd=%d", ev->object, st->sysv.raw_cmd);
		return;
	}
	g_string_append_printf(s, "msgctl %s %s", ev->object, cmds[st->sysv.cmd]);
	if (st->sysv.qbytes >= 0)
		g_string_append_printf(s, " qbytes=%" G_GINT64_FORMAT, st->sysv.qbytes);
	if (st->sysv.cmd == SIM_CTL_SET && st->sysv.perm >= 0)
		g_string_append_printf(s, " mode=0%" G_GINT64_MODIFIER "o", st->sysv.perm);
	if (st->sysv.set_uid >= 0)
		g_string_append_printf(s, " uid=%" G_GINT64_FORMAT, st->sysv.set_uid);
	if (st->sysv.set_gid >= 0)
		g_string_append_printf(s, " gid=%" G_GINT64_FORMAT, st->sysv.set_gid);
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
		if (ev->other) {
			sim_trace_puts(s, ", handed to ");
			sim_trace_puts(s, ev->other);
		} else {
			sim_trace_puts(s, ", queued");
		}
	}
	if (!ev->blocked)
		sim_trace_msgq_state(s, ev);
}

static void msgrcv_result(GString *s, const SimTraceEvent *ev, const char *arrow)
{
	if (sim_call_result_head(s, ev, arrow)) {
		const SimMsg *m = ev->msg;
		sim_trace_puts(s, ", ");
		sim_trace_int(s, ev->ret);
		sim_trace_puts(s, " bytes: type ");
		sim_trace_int(s, m->type);
		sim_trace_putc(s, ' ');
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
		if (st->sysv.cmd == SIM_CTL_STAT) {
			msgctl_stat(s, ev);
		} else if (ctl_by_index(st)) {
			g_string_append_printf(s, ", id %" G_GINT64_FORMAT, ev->ret);
			msgctl_stat(s, ev);
		} else if (st->sysv.cmd == SIM_CTL_RMID) {
			g_string_append_printf(
				s, ", %" G_GINT64_FORMAT " waiter(s) fail with EIDRM", ev->ret);
		} else if (st->sysv.cmd == SIM_CTL_INFO) {
			g_string_append_printf(
				s,
				", highest index in use %" G_GINT64_FORMAT
				": msgmax %" G_GINT64_FORMAT ", msgmnb %" G_GINT64_FORMAT
				", msgmni %" G_GINT64_FORMAT
				", msgpool 512000, msgmap 16384, msgtql 16384, msgssz 16,"
				" msgseg 65535",
				ev->ret, ev->counts[3], ev->counts[4], ev->counts[5]);
		} else if (st->sysv.cmd == SIM_CTL_MSG_INFO) {
			g_string_append_printf(
				s,
				", highest index in use %" G_GINT64_FORMAT
				": msgpool %" G_GINT64_FORMAT " (queues), msgmap %" G_GINT64_FORMAT
				" (messages), msgtql %" G_GINT64_FORMAT " (bytes)",
				ev->ret, ev->counts[0], ev->counts[1], ev->counts[2]);
		}
	}
	/* IPC_INFO and MSG_INFO are about the namespace, not one queue. */
	if (!ev->blocked && st->sysv.cmd != SIM_CTL_INFO && st->sysv.cmd != SIM_CTL_MSG_INFO)
		sim_trace_msgq_state(s, ev);
}

/* msgsnd, msgrcv: IPC_NOWAIT, which the JSON shows as "nowait". */
static gboolean sysv_nowait(const SimStmt *st)
{
	return (st->sysv.flags & SIM_IPC_NOWAIT) != 0;
}

/* ---- Parsing ---- */

/* The family's arguments before a statement's own are read: every parse hook starts
 * from them, since no one else initialises the family's member of the statement. */
static const SimSysvArgs sysv_defaults = { .key = { SIM_KEY_PRIVATE, 0, -1 },
					   .type = 1,
					   .size = SIM_SIZE_UNSET,
					   .fill = -1,
					   .qbytes = -1,
					   .set_uid = -1,
					   .set_gid = -1,
					   .view = 'q' };

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
	return scn_take_key(p, REF_FTOK_STMT, st->id, &st->sysv.key);
}

static const OptSpec msgget_opts[] = {
	TAKE_OPT("key", take_stmt_key),
	FLAG_OPT("create", ST(sysv.flags), SIM_IPC_CREAT),
	FLAG_OPT("excl", ST(sysv.flags), SIM_IPC_EXCL),
	MODE_OPT("perm", ST(sysv.perm)),
	OPTS_END,
};

/* msgget key=K|private|ftok("PATH", ID) [create] [excl] [perm=MODE] [-> VAR] */
static gboolean msgget_parse(Parser *p, SimStmt *st)
{
	st->sysv = sysv_defaults;
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
	INT_OPT("type", ST(sysv.type), G_MININT64, G_MAXINT64),
	INT_OPT("size", ST(sysv.size), SIM_SIZE_UNSET + 1, G_MAXINT64),
	FLAG_OPT("nowait", ST(sysv.flags), SIM_IPC_NOWAIT),
	OPTS_END,
};

/* msgsnd Q TEXT [type=N] [size=N] [nowait]; the options may come before the text too. */
static gboolean msgsnd_parse(Parser *p, SimStmt *st)
{
	st->sysv = sysv_defaults;
	const Tok *q = tok(p);
	if (!take_queue(p, st, "msgsnd"))
		return FALSE;
	g_autofree char *ctx = g_strdup_printf("after 'msgsnd %s'", q->text);
	StmtOpts so = { .o = { .what = "msgsnd", .specs = msgsnd_opts },
			.role = -1,
			.text_ctx = ctx };
	if (!scn_take_stmt_opts(p, st, &so))
		return FALSE;
	return so.text || scn_take_text(p, ctx, &st->text);
}

static const OptSpec msgrcv_opts[] = {
	INT_OPT("type", ST(sysv.type), G_MININT64, G_MAXINT64),
	INT_OPT("size", ST(sysv.size), SIM_SIZE_UNSET + 1, G_MAXINT64),
	FLAG_OPT("nowait", ST(sysv.flags), SIM_IPC_NOWAIT),
	FLAG_OPT("except", ST(sysv.flags), SIM_MSG_EXCEPT),
	FLAG_OPT("noerror", ST(sysv.flags), SIM_MSG_NOERROR),
	INT_OPT("fill", ST(sysv.fill), 0, 255),
	OPTS_END,
};

/* msgrcv Q [type=N] [size=N] [nowait] [except] [noerror] [-> VAR] */
static gboolean msgrcv_parse(Parser *p, SimStmt *st)
{
	st->sysv = sysv_defaults;
	st->sysv.type = 0; /* the first message, whatever its type */
	if (!take_queue(p, st, "msgrcv"))
		return FALSE;
	StmtOpts so = { .o = { .what = "msgrcv", .specs = msgrcv_opts }, .role = ROLE_MESSAGE };
	if (!scn_take_stmt_opts(p, st, &so))
		return FALSE;
	return TRUE;
}

static const OptSpec msgctl_set_opts[] = {
	INT_OPT("qbytes", ST(sysv.qbytes), 0, G_MAXINT64),
	MODE_OPT("mode", ST(sysv.perm)),
	INT_OPT("uid", ST(sysv.set_uid), 0, G_MAXINT64),
	INT_OPT("gid", ST(sysv.set_gid), 0, G_MAXINT64),
	OPTS_END,
};

/* msgctl Q stat|rmid|info|msg_info  and  msgctl Q set [qbytes=N] [mode=M] [uid=N] [gid=N] */
/* cmd=N: any int, as C passes it. A number the kernel knows is that command, as if its
 * word were written; any other fails with EINVAL (ksys_msgctl: a negative cmd, then the
 * switch's default), which is what a scenario writes it for. */
static int take_raw_cmd(Parser *p, SimStmt *st)
{
	static const int known[] = { [SIM_CTL_STAT] = IPC_STAT,	  [SIM_CTL_SET] = IPC_SET,
				     [SIM_CTL_RMID] = IPC_RMID,	  [SIM_CTL_INFO] = IPC_INFO,
				     [SIM_CTL_MSG_INFO] = MSG_INFO, [SIM_CTL_MSG_STAT] = MSG_STAT,
				     [SIM_CTL_MSG_STAT_ANY] = MSG_STAT_ANY };
	gint64 n = 0;
	advance(p);
	advance(p);
	if (!scn_take_int(p, "msgctl cmd", "after 'cmd='", G_MININT32, G_MAXINT32, &n))
		return -1;
	for (guint i = 0; i < G_N_ELEMENTS(known); i++)
		if (known[i] == n)
			return (int)i;
	st->sysv.raw_cmd = (int)n;
	return SIM_CTL_RAW;
}

static gboolean msgctl_parse(Parser *p, SimStmt *st)
{
	st->sysv = sysv_defaults;
	st->sysv.perm = -1; /* no mode=: msgctl set leaves the mode as it is */
	const Tok *q = tok(p);
	if (!take_queue(p, st, "msgctl"))
		return FALSE;
	g_autofree char *ctx = g_strdup_printf("after 'msgctl %s'", q->text);
	const Tok *cmd = tok(p);
	int c = is_word(cmd, "cmd") && is_char(peek(p, 1), '=') && peek(p, 1)->glued
			? take_raw_cmd(p, st)
			: scn_take_choice(p, "msgctl command", ctx, scn_ctl_names);
	if (c < 0)
		return FALSE;
	st->sysv.cmd = (SimCtlCmd)c;
	if (c == SIM_CTL_RAW)
		return TRUE;
	/* IPC_STAT and MSG_STAT fill a struct msqid_ds: `-> st` keeps it for st.qnum ... */
	gboolean fills = c == SIM_CTL_STAT || ctl_by_index(st);
	if (at_arrow(p) && !fills)
		return scn_fail_tok(p, tok(p), E_SYNTAX,
				    "'-> VAR' after 'msgctl %s %s': only stat, msg_stat and "
				    "msg_stat_any fill a struct msqid_ds to keep",
				    q->text, scn_ctl_names[c]);
	SimLoc seen = { 0 };
	if (at_arrow(p) && !scn_take_arrow(p, st, ROLE_STAT, &seen))
		return FALSE;
	if (st->sysv.cmd != SIM_CTL_SET) {
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

/* `-i ID` after ipcs -q, -m or -s: util-linux's detail of one object. The ID is a number,
 * a parameter or ${...}, so that `ipcs -q -i ${q}` shows the queue msgget gave. */
static gboolean take_ipcs_id(Parser *p, SimStmt *st)
{
	const Tok *dash = tok(p), *t = peek(p, 1);
	if (!is_char(dash, '-') || !t->glued || !is_word(t, "i"))
		return TRUE;
	char v = st->sysv.view;
	if (st->sysv.id_kind == 0 && v != 'q' && v != SIM_IPCS_SHM && v != SIM_IPCS_SEM)
		return scn_fail_tok(p, dash, E_SYNTAX,
				    "'ipcs -i' with another view: -i ID goes only after -q, -m or "
				    "-s, as util-linux's ipcs takes it");
	advance(p);
	advance(p);
	st->sysv.id_kind = v == SIM_IPCS_SHM ? 'm' : v == SIM_IPCS_SEM ? 's' : 'q';
	return scn_take_int(p, "ipcs id", "after 'ipcs -i'", G_MININT32, G_MAXINT32,
			    &st->sysv.ipc_id);
}

/* ipcs [-q] [-p|-t|-l|-c|-u], ipcs -s [-t|-l], ipcs -m [-p|-l], ipcs -a [-l],
 * ipcs -q|-m|-s -i ID */
static gboolean ipcs_parse(Parser *p, SimStmt *st)
{
	st->sysv = sysv_defaults;
	static const char *const views[] = { "p", "t", "l", "s", "m", "a", "c", "u", "q", NULL };
	const Tok *dash = tok(p), *t = peek(p, 1);
	if (!is_char(dash, '-'))
		return TRUE;
	if (t->kind != TOK_WORD || !t->glued)
		return scn_expected_at(
			p, t, "q, p, t, l, s, m, a, c, u or i right after the '-' of 'ipcs -'");
	if (is_word(t, "i"))
		return scn_fail_tok(p, dash, E_SYNTAX,
				    "'ipcs -i' needs its kind first: when using an ID, a single "
				    "resource must be specified (ipcs -q -i ID, -m -i ID or -s -i "
				    "ID)");
	if (scn_pick(t->text, views) < 0)
		return scn_fail_tok(
			p, dash, E_SYNTAX,
			"bad ipcs option '-%s': expected -q, -p, -t, -l, -s, -m, -a, -c, -u or -i",
			t->text);
	if (is_word(t, "q")) { /* the default view, as written in system("ipcs -q") */
		advance(p);
		advance(p);
		dash = tok(p), t = peek(p, 1);
		if (!is_char(dash, '-') || !t->glued || t->kind != TOK_WORD)
			return TRUE;
		if (is_word(t, "i"))
			return take_ipcs_id(p, st);
		if (!is_word(t, "p") && !is_word(t, "t") && !is_word(t, "l"))
			return scn_fail_tok(p, dash, E_SYNTAX,
					    "bad option '-%s' after 'ipcs -q': expected -p, -t, -l "
					    "or -i ID",
					    t->text);
	}
	st->sysv.view = t->text[0] == 'm'   ? SIM_IPCS_SHM
			: t->text[0] == 'c' ? SIM_IPCS_CREATORS
			: t->text[0] == 'u' ? SIM_IPCS_STATUS
					    : t->text[0];
	advance(p);
	advance(p);
	/* ipcs -s [-t|-l]: the semaphore sets, their times or limits; ipcs -m [-p|-l]: the
	 * segments, their pids or limits. */
	dash = tok(p), t = peek(p, 1);
	if (st->sysv.view == SIM_IPCS_SEM && is_char(dash, '-') && t->glued &&
	    (is_word(t, "t") || is_word(t, "l"))) {
		st->sysv.view = is_word(t, "t") ? SIM_IPCS_SEM_TIMES : SIM_IPCS_SEM_LIMITS;
		advance(p);
		advance(p);
	} else if (st->sysv.view == SIM_IPCS_ALL && is_char(dash, '-') && t->glued &&
		   is_word(t, "l")) {
		st->sysv.view = SIM_IPCS_ALL_LIMITS;
		advance(p);
		advance(p);
	} else if (st->sysv.view == SIM_IPCS_SHM && is_char(dash, '-') && t->glued &&
		   (is_word(t, "p") || is_word(t, "l"))) {
		st->sysv.view = is_word(t, "p") ? SIM_IPCS_SHM_PIDS : SIM_IPCS_SHM_LIMITS;
		advance(p);
		advance(p);
	}
	return take_ipcs_id(p, st);
}

/* ---- Execution ---- */

/* The name the trace shows for the queue operand: the scenario's word for it. */
static const char *queue_word(const SimWorld *w, const SimTask *t, const SimStmt *st)
{
	if (st->ep.kind == SIM_EP_SYSVQ)
		return w->scn->sysvqs[st->ep.index].name;
	return t->prog->body->vars[st->ep.index].name;
}

/* The context of a SysV queue operation by t (call_ipcrm.c's removals too). */
SimMsgqCtx sim_call_msgq_ctx(SimWorld *w, const SimTask *t)
{
	SimMsgqCtx c = { .wake = &w->wake,
			 .pool = &w->pool,
			 .now = sim_world_now(w),
			 .task = t->id,
			 .cred = &t->cred,
			 .ns = &w->ipcns,
			 .signal_pending = t->sig_pending != 0 };
	return c;
}

/* The event of a call on the queue its operand names (q: the queue found, or NULL), in
 * *ev: filled where the caller keeps it, not returned and copied. */
static void sysv_event(SimTraceEvent *ev, SimWorld *w, SimTraceKind kind, const SimTask *t,
		       const SimStmt *st, const SimMsgq *q, const SimMsg *m, int err,
		       const char *blocked, int other, gint64 ret)
{
	sim_interp_call_event_init(ev, w, kind, t, st, queue_word(w, t, st), m, err, blocked,
				   other);
	ev->msgq = q;
	ev->ret = ret;
}

static void trace_sysv(SimWorld *w, SimTraceKind kind, const SimTask *t, const SimStmt *st,
		       const SimMsgq *q, const SimMsg *m, int err, const char *blocked, int other,
		       gint64 ret)
{
	SimTraceEvent ev;
	sysv_event(&ev, w, kind, t, st, q, m, err, blocked, other, ret);
	sim_world_emit(w, &ev);
}

/* After an operation that may have run the sender wake-up scan: say who races. */
static void trace_race(SimWorld *w, const SimMsgqCtx *c, const SimMsgq *q, const char *word)
{
	if (!w->trace || c->n_woken_senders < 2)
		return;
	const char *names[64];
	guint n = 0;
	for (SimWaiter *x = w->wake.first; x && n < G_N_ELEMENTS(names); x = x->wake_next)
		if (x->queue == &q->senders)
			names[n++] = w->tasks[x->task].name;
	SimTraceEvent ev = { .kind = SIM_TR_RACE, .object = word, .names = names, .n_names = n };
	sim_world_emit(w, &ev);
}

static void msgget_exec(SimWorld *w, SimTask *t, const SimStmt *st)
{
	sim_interp_started(w, st);
	sim_world_charge(w, w->scn->cost_syscall);
	int id = -1;
	SimMsgqCtx c = sim_call_msgq_ctx(w, t);
	guint made = w->msgqs->len; /* queues are kept after IPC_RMID, for the report */
	int err = sim_msgq_get(&w->ipcns, w->msgqs, sim_world_key(w, &st->sysv.key), st->sysv.flags,
			       (guint)st->sysv.perm, &t->cred, c.now, &id);
	w->mem += (w->msgqs->len - made) * sizeof(SimMsgq);
	if (st->var >= 0)
		t->vars[st->var].num = err ? -1 : id; /* what the C call returns */
	if (w->trace) { /* no queue operand: the key it asked for instead */
		SimTraceEvent ev =
			sim_interp_call_event(w, SIM_TR_CALL, t, st, NULL, NULL, err, NULL, -1);
		ev.msgq = err ? NULL : sim_msgq_lookup(&w->ipcns, id);
		ev.ret = err ? -1 : id;
		ev.value = sim_world_key(w, &st->sysv.key);
		sim_world_emit(w, &ev);
	}
	sim_interp_finish(w, t, st, err, id);
}

static void finish_sysv(SimWorld *w, SimTask *t, const SimStmt *st, SimMsgqCtx *c, const SimMsgq *q,
			int err, gint64 ret)
{
	SIM_CHECK(!q || sim_msgq_check(q));
	sim_interp_finish(w, t, st, err, ret);
	trace_race(w, c, q, queue_word(w, t, st));
	t->wait_msgq = NULL;
	sim_world_wake_all(w, t, NULL);
}

static void msgsnd_exec(SimWorld *w, SimTask *t, const SimStmt *st)
{
	SimMsgqCtx c = sim_call_msgq_ctx(w, t);
	SimMsgq *q = t->wait_msgq;
	SimMsg *m = t->waiter.msg;
	int err, handed = -1;
	gboolean resuming = t->resuming;
	if (resuming) {
		t->resuming = FALSE;
		err = sim_msgq_send(q, &c, &t->waiter, m, st->sysv.flags, TRUE, &handed);
	} else {
		sim_interp_started(w, st);
		m = sim_interp_make_msg(w, t, st, st->sysv.type, 0, -1);
		m->size = st->sysv.size != SIM_SIZE_UNSET ? (gsize)st->sysv.size : m->len;
		sim_msg_cut(&w->pool, m, m->size); /* the bytes copied are msgsz, text included */
		/* A negative msgsz fails before a byte is copied. */
		gboolean neg = (gint64)m->size < 0;
		sim_world_charge(w, sim_interp_cost(w, w->scn->cost_syscall, neg ? 0 : m->size));
		c.now = sim_world_now(w);
		int id = sim_interp_queue_id(w, t, st);
		q = NULL;
		if ((gint64)m->size > w->ipcns.limits.msgmax || neg || id < 0 ||
		    st->sysv.type < 1)
			err = EINVAL; /* do_msgsnd: size and id, then type, before the lookup */
		else if (!(q = sim_msgq_lookup(&w->ipcns, id)))
			err = EINVAL;
		else
			err = sim_msgq_send(q, &c, &t->waiter, m, st->sysv.flags, FALSE, &handed);
	}
	if (err == SIM_BLOCKED) {
		const char *why = resuming ? "queue full again: back to the tail of the senders"
					   : "queue full";
		sim_interp_blocked(w, st);
		t->wait_msgq = q;
		if (w->trace)
			trace_sysv(w, SIM_TR_CALL, t, st, q, m, 0, why, -1, 0);
		SIM_CHECK(sim_msgq_check(q));
		sim_world_block(w, t, -1, queue_word(w, t, st), why);
		return;
	}
	if (w->trace)
		trace_sysv(w, resuming ? SIM_TR_RETURN : SIM_TR_CALL, t, st, q, m, err, NULL,
			   handed, err ? -1 : 0);
	if (err) {
		sim_msg_pool_put(&w->pool, m);
	} else {
		t->n_sent++;
		if (w->trace && handed >= 0) {
			SimTraceEvent ev = { .kind = SIM_TR_DELIVER,
					     .task = t->name,
					     .other = w->tasks[handed].name,
					     .object = queue_word(w, t, st),
					     .msg = m,
					     .msg_from = t->name };
			sim_world_emit(w, &ev);
		}
	}
	t->waiter.msg = NULL;
	finish_sysv(w, t, st, &c, q, err, 0);
}

static void msgrcv_exec(SimWorld *w, SimTask *t, const SimStmt *st)
{
	SimMsgqCtx c = sim_call_msgq_ctx(w, t);
	gint64 size = st->sysv.size != SIM_SIZE_UNSET ? st->sysv.size : w->ipcns.limits.msgmax;
	SimMsgqFilter f = { st->sysv.type, st->sysv.flags, size };
	SimMsgq *q = t->wait_msgq;
	SimMsg *m = NULL;
	int err;
	gboolean resuming = t->resuming;
	if (resuming) {
		t->resuming = FALSE;
		err = sim_msgq_receive(q, &c, &t->waiter, &f, TRUE, &m);
	} else {
		sim_interp_started(w, st);
		sim_world_charge(w, w->scn->cost_syscall);
		c.now = sim_world_now(w);
		int id = sim_interp_queue_id(w, t, st);
		/* do_msgrcv: a negative id or a negative (long) bufsz, before the lookup. */
		q = id < 0 || size < 0 ? NULL : sim_msgq_lookup(&w->ipcns, id);
		err = q ? sim_msgq_receive(q, &c, &t->waiter, &f, FALSE, &m) : EINVAL;
	}
	if (err == SIM_BLOCKED) {
		const char *why = "no message of the wanted type";
		sim_interp_blocked(w, st);
		t->wait_msgq = q;
		if (w->trace)
			trace_sysv(w, SIM_TR_CALL, t, st, q, NULL, 0, why, -1, 0);
		SIM_CHECK(sim_msgq_check(q));
		sim_world_block(w, t, -1, queue_word(w, t, st), why);
		return;
	}
	gint64 got = -1;
	if (m) {
		/* MSG_NOERROR cuts the message to the buffer; the rest is lost. */
		got = MIN((gint64)m->size, size);
		sim_msg_cut(&w->pool, m, (gsize)got);
	}
	if (w->trace)
		trace_sysv(w, resuming ? SIM_TR_RETURN : SIM_TR_CALL, t, st, q, m, err, NULL,
			   m ? m->from : -1, got);
	if (m)
		sim_interp_keep_received(w, t, st, m);
	/* The kernel copies the message's bytes and no more: the rest keeps the fill. */
	if (st->sysv.fill >= 0 && !err)
		sim_interp_untouched(w, t, st, size - got);
	finish_sysv(w, t, st, &c, q, err, got); /* msgrcv gives the bytes copied */
}

/* IPC_INFO / MSG_INFO: the struct msginfo the call fills, for the trace. MSG_INFO counts
 * the namespace's queues, messages and bytes; IPC_INFO gives the limits. */
static void trace_info(SimWorld *w, const SimTask *t, const SimStmt *st, gint64 ret)
{
	SimTraceEvent ev = { .kind = SIM_TR_CALL,
			     .task = t->name,
			     .object = queue_word(w, t, st),
			     .stmt = st,
			     .line = st->loc.line,
			     .ret = ret,
			     .counts = { w->ipcns.in_use, 0, 0, w->ipcns.limits.msgmax,
					 w->ipcns.limits.msgmnb, w->ipcns.limits.msgmni } };
	for (guint i = 0; i < w->ipcns.n_slots; i++) {
		const SimMsgq *q = w->ipcns.slots[i];
		if (q) {
			ev.counts[1] += (gint64)q->qnum;
			ev.counts[2] += (gint64)q->cbytes;
		}
	}
	sim_world_emit(w, &ev);
}

/* IPC_INFO / MSG_INFO: the whole struct msginfo, for `expect @L msgpool=N ...`. */
static void msginfo_of(const SimWorld *w, const SimStmt *st, gint64 *out)
{
	gint64 msgs = 0, bytes = 0;
	for (guint i = 0; i < w->ipcns.n_slots; i++) {
		const SimMsgq *q = w->ipcns.slots[i];
		if (q) {
			msgs += (gint64)q->qnum;
			bytes += (gint64)q->cbytes;
		}
	}
	sim_out_msginfo(out, st->sysv.cmd == SIM_CTL_MSG_INFO, w->ipcns.in_use, msgs, bytes,
			w->ipcns.limits.msgmax, w->ipcns.limits.msgmnb, w->ipcns.limits.msgmni);
}

static void info_out(SimWorld *w, const SimTask *t, const SimStmt *st)
{
	gint64 out[SIM_OUT_SLOTS];
	msginfo_of(w, st, out);
	sim_interp_out(w, t, st, out);
}

/* Any other msgctl; IPC_STAT also names the last sender and receiver (msg_lspid,
 * msg_lrpid). */
static void trace_ctl(SimWorld *w, const SimTask *t, const SimStmt *st, const SimMsgq *q, int err,
		      gint64 ret)
{
	SimTraceEvent ev;
	sysv_event(&ev, w, SIM_TR_CALL, t, st, q, NULL, err, NULL, -1, ret);
	if (q && (st->sysv.cmd == SIM_CTL_STAT || ctl_by_index(st)) && !err) {
		ev.lspid = q->lspid >= 0 ? w->tasks[q->lspid].name : NULL;
		ev.lrpid = q->lrpid >= 0 ? w->tasks[q->lrpid].name : NULL;
	}
	sim_world_emit(w, &ev);
}

/* `msgctl q stat -> v`: the struct msqid_ds the call filled, kept in v. The kernel gives
 * pids (0 for none) and seconds since the Epoch (0 for never), so v does too: the task's
 * pid as the model shows it, and the simulated epoch ipcs -t uses (ipcs.h). */
static void keep_ds(SimWorld *w, SimVar *v, const SimMsgq *q)
{
	if (!v->ds) {
		v->ds = g_new0(gint64, SIM_DS_N);
		w->mem += SIM_DS_N * sizeof(gint64); /* counted against the run's memory cap */
	}
	gint64 *d = v->ds - SIM_EXPR_FIELD_DS_KEY; /* indexed by SimExprField */
	d[SIM_EXPR_FIELD_DS_KEY] = q->perm.key;
	d[SIM_EXPR_FIELD_DS_UID] = q->perm.uid;
	d[SIM_EXPR_FIELD_DS_GID] = q->perm.gid;
	d[SIM_EXPR_FIELD_DS_CUID] = q->perm.cuid;
	d[SIM_EXPR_FIELD_DS_CGID] = q->perm.cgid;
	d[SIM_EXPR_FIELD_DS_MODE] = q->perm.mode;
	d[SIM_EXPR_FIELD_DS_SEQ] = q->perm.seq;
	d[SIM_EXPR_FIELD_DS_STIME] = q->lspid >= 0 ? SIM_IPCS_EPOCH + q->stime / SIM_S : 0;
	d[SIM_EXPR_FIELD_DS_RTIME] = q->lrpid >= 0 ? SIM_IPCS_EPOCH + q->rtime / SIM_S : 0;
	d[SIM_EXPR_FIELD_DS_CTIME] = SIM_IPCS_EPOCH + q->ctime / SIM_S;
	d[SIM_EXPR_FIELD_DS_CBYTES] = (gint64)q->cbytes;
	d[SIM_EXPR_FIELD_DS_QNUM] = (gint64)q->qnum;
	d[SIM_EXPR_FIELD_DS_QBYTES] = (gint64)q->qbytes;
	d[SIM_EXPR_FIELD_DS_LSPID] = q->lspid >= 0 ? w->tasks[q->lspid].pid : 0;
	d[SIM_EXPR_FIELD_DS_LRPID] = q->lrpid >= 0 ? w->tasks[q->lrpid].pid : 0;
}

static void msgctl_exec(SimWorld *w, SimTask *t, const SimStmt *st)
{
	sim_interp_started(w, st);
	sim_world_charge(w, w->scn->cost_syscall);
	SimMsgqCtx c = sim_call_msgq_ctx(w, t);
	int id = sim_interp_queue_id(w, t, st);
	gboolean raw = st->sysv.cmd == SIM_CTL_RAW;
	SimMsgq *q = id < 0 || raw	? NULL
		     : ctl_by_index(st) ? queue_at(&w->ipcns, id)
					: sim_msgq_lookup(&w->ipcns, id);
	int err = 0;
	gint64 ret = 0;
	if (id < 0 || raw) {
		err = EINVAL; /* no command of that number: before any lookup */
	} else if (st->sysv.cmd == SIM_CTL_INFO || st->sysv.cmd == SIM_CTL_MSG_INFO) {
		ret = MAX(w->ipcns.max_idx_used, 0); /* the highest index in use */
	} else if (!q) {
		err = EINVAL;
	} else if (ctl_by_index(st)) {
		/* msgctl_stat: MSG_STAT_ANY skips the read permission; both return the id */
		if (st->sysv.cmd == SIM_CTL_MSG_STAT && sim_ipcns_denied(&q->perm, &t->cred, 0444))
			err = EACCES;
		ret = err ? -1 : q->perm.id;
	} else if (st->sysv.cmd == SIM_CTL_STAT) {
		if (sim_ipcns_denied(&q->perm, &t->cred, 0444))
			err = EACCES;
	} else if (!sim_ipcns_may_control(&q->perm, &t->cred)) {
		err = EPERM;
	} else if (st->sysv.cmd == SIM_CTL_SET) {
		guint64 qbytes = st->sysv.qbytes >= 0 ? (guint64)st->sysv.qbytes : q->qbytes;
		if (qbytes > (guint64)w->ipcns.limits.msgmnb &&
		    !(t->cred.caps & SIM_CAP_SYS_RESOURCE))
			err = EPERM;
		else
			sim_msgq_set(q, &c, qbytes, st->sysv.set_uid, st->sysv.set_gid,
				     st->sysv.perm);
	} else {
		ret = sim_msgq_remove(q, &c);
		sim_ipcns_free(&w->ipcns, id);
	}
	if (!err && q && st->var >= 0)
		keep_ds(w, &t->vars[st->var], q);
	if (!err && (st->sysv.cmd == SIM_CTL_INFO || st->sysv.cmd == SIM_CTL_MSG_INFO))
		info_out(w, t, st);
	if (w->trace && !err && (st->sysv.cmd == SIM_CTL_INFO || st->sysv.cmd == SIM_CTL_MSG_INFO))
		trace_info(w, t, st, ret);
	else if (w->trace)
		trace_ctl(w, t, st, q, err, ret);
	/* IPC_RMID returns 0; the waiters it failed were only for the trace. */
	finish_sysv(w, t, st, &c, q, err, st->sysv.cmd == SIM_CTL_RMID ? 0 : ret);
}

/* An ipcs table of st's view as a trace event named op (NULL: the ipcs statement's own
 * words), built only when a trace is written; `cat "/proc/sysvipc/msg"` shares it. */
void sim_call_ipcs_exec(SimWorld *w, SimTask *t, const SimStmt *st, const char *op)
{
	sim_interp_started(w, st);
	sim_world_charge(w, w->scn->cost_syscall);
	if (w->trace) {
		g_autoptr(GString) table = g_string_new(NULL);
		/* -i ID of no live object: util-linux warns on stderr and exits 0 */
		if (!st->sysv.id_kind)
			sim_ipcs_format(table, w, st->sysv.view);
		else if (!sim_ipcs_format_id(table, w, st->sysv.id_kind, (int)st->sysv.ipc_id))
			g_string_append_printf(table, "ipcs: id %d not found\n",
					       (int)st->sysv.ipc_id);
		SimTraceEvent ev = { .kind = SIM_TR_IPCS,
				     .task = t->name,
				     .op = op,
				     .text = table->str,
				     .line = st->loc.line,
				     .stmt = st };
		sim_world_emit(w, &ev);
	}
	sim_interp_returned(w, t, st, 0);
}

static void ipcs_exec(SimWorld *w, SimTask *t, const SimStmt *st)
{
	sim_call_ipcs_exec(w, t, st, NULL);
}

/* ---- Cross-check: replay on the real kernel, and comparison ---- */

static gboolean msgget_replay(SimReplay *r)
{
	const SimStmt *st = r->st;
	gint64 *a = r->c->a;
	r->c->op = SIM_REAL_MSGGET;
	a[1] = (st->sysv.flags & SIM_IPC_CREAT ? IPC_CREAT : 0) |
	       (st->sysv.flags & SIM_IPC_EXCL ? IPC_EXCL : 0) | (st->sysv.perm & 0777);
	return xc_real_key(r->xc, XC_MSG, sim_world_key(r->w, &st->sysv.key), &a[0], &a[1]);
}

static gboolean msgsnd_replay(SimReplay *r)
{
	const SimStmt *st = r->st;
	gint64 *a = r->c->a;
	r->c->op = SIM_REAL_MSGSND;
	a[0] = real_id(r->xc, XC_MSG, sim_interp_queue_id(r->w, r->t, st));
	a[1] = st->sysv.type;
	stmt_text(r->w, r->t, st, NULL, r->data);
	a[2] = st->sysv.size != SIM_SIZE_UNSET ? st->sysv.size : (gint64)r->data->len;
	if (a[2] >= 0 && (gint64)r->data->len > a[2])
		g_string_truncate(r->data, (gsize)a[2]);
	a[3] = st->sysv.flags & SIM_IPC_NOWAIT ? IPC_NOWAIT : 0;
	return TRUE;
}

static gboolean msgrcv_replay(SimReplay *r)
{
	const SimStmt *st = r->st;
	gint64 *a = r->c->a;
	r->c->op = SIM_REAL_MSGRCV;
	a[0] = real_id(r->xc, XC_MSG, sim_interp_queue_id(r->w, r->t, st));
	a[1] = st->sysv.type;
	a[2] = st->sysv.size != SIM_SIZE_UNSET ? st->sysv.size : r->w->ipcns.limits.msgmax;
	a[5] = st->sysv.fill + 1; /* 0: no fill */
	if (st->sysv.fill >= 0 && (guint64)a[2] > SIM_REAL_IO_MAX) {
		xc_refuse(r->xc, "a fill= buffer of more than %d bytes", SIM_REAL_IO_MAX);
		return FALSE;
	}
	a[3] = (st->sysv.flags & SIM_IPC_NOWAIT ? IPC_NOWAIT : 0) |
	       (st->sysv.flags & SIM_MSG_EXCEPT ? MSG_EXCEPT : 0) |
	       (st->sysv.flags & SIM_MSG_NOERROR ? MSG_NOERROR : 0);
	return TRUE;
}

static gboolean msgctl_replay(SimReplay *r)
{
	static const int cmds[] = { [SIM_CTL_STAT] = IPC_STAT,
				    [SIM_CTL_SET] = IPC_SET,
				    [SIM_CTL_RMID] = IPC_RMID,
				    [SIM_CTL_INFO] = IPC_INFO,
				    [SIM_CTL_MSG_INFO] = MSG_INFO,
				    [SIM_CTL_MSG_STAT] = MSG_STAT,
				    [SIM_CTL_MSG_STAT_ANY] = MSG_STAT_ANY };
	const SimStmt *st = r->st;
	gint64 *a = r->c->a;
	r->c->op = SIM_REAL_MSGCTL;
	int id = sim_interp_queue_id(r->w, r->t, st);
	a[0] = ctl_by_index(st) ? id : real_id(r->xc, XC_MSG, id); /* an index is the same in both */
	a[1] = st->sysv.cmd == SIM_CTL_RAW ? st->sysv.raw_cmd : cmds[st->sysv.cmd];
	if (st->sysv.cmd == SIM_CTL_SET) {
		/* IPC_SET takes all four: the ones not given are the queue's own. */
		const SimMsgq *q = id < 0 ? NULL : sim_msgq_lookup(&r->w->ipcns, id);
		a[2] = st->sysv.qbytes >= 0 ? st->sysv.qbytes : q ? (gint64)q->qbytes : 0;
		a[3] = st->sysv.perm >= 0 ? st->sysv.perm : q ? q->perm.mode : 0;
		a[4] = st->sysv.set_uid >= 0 ? st->sysv.set_uid : q ? q->perm.uid : 0;
		a[5] = st->sysv.set_gid >= 0 ? st->sysv.set_gid : q ? q->perm.gid : 0;
	}
	return TRUE;
}

/* msgget: the kernel's id as the model's, when the run can bind them (shared mode). */
static void msgget_kernel_cell(SimKernelCell *kc)
{
	kc->k->ret =
		xc_model_id(kc->xc, XC_MSG, kc->r->ret, kc->m->err ? -1 : kc->m->ret, &kc->k->data_differs);
}

/* msgrcv: the message's text and its type. */
static void msgrcv_model_cell(SimModelCell *mc)
{
	xc_model_data(mc);
	xc_model_ret2(mc, "type", sim_world_call_out(mc->w)->type);
	xc_model_untouched(mc, mc->st->sysv.fill);
}

static void msgrcv_kernel_cell(SimKernelCell *kc)
{
	xc_kernel_data(kc);
	xc_kernel_ret2(kc, "type");
	xc_kernel_untouched(kc, kc->st->sysv.fill);
}

/* msgctl: IPC_STAT's fields; IPC_INFO and MSG_INFO's whole struct msginfo, which the run
 * compares only in a private namespace (msgctl_whole_namespace leaves it out otherwise). */
static void ctl_msginfo(GString **extra, const gint64 *v)
{
	*extra = g_string_new(NULL);
	for (guint i = 0; i < SIM_OUT_SLOTS; i++)
		sim_out_append(*extra, sim_out_field(i), v[i]);
}

static gboolean ctl_is_info(const SimStmt *st)
{
	return st->sysv.cmd == SIM_CTL_INFO || st->sysv.cmd == SIM_CTL_MSG_INFO;
}

static void msgctl_model_cell(SimModelCell *mc)
{
	const SimStmt *st = mc->st;
	SimWorld *w = mc->w;
	Cell *m = mc->m;
	if (m->err)
		return;
	if (st->sysv.cmd == SIM_CTL_STAT || ctl_by_index(st)) {
		int id = sim_interp_queue_id(w, mc->t, st);
		const SimMsgq *q = ctl_by_index(st) ? queue_at(&w->ipcns, id)
						    : sim_msgq_lookup(&w->ipcns, id);
		if (q) {
			m->extra = g_string_new(NULL);
			xc_model_queue_stat(mc->xc, q, m->extra);
		}
	} else if (ctl_is_info(st)) {
		gint64 out[SIM_OUT_SLOTS];
		msginfo_of(w, st, out);
		ctl_msginfo(&m->extra, out);
	}
}

static void msgctl_kernel_cell(SimKernelCell *kc)
{
	const SimRealResult *r = kc->r;
	Cell *k = kc->k;
	if (r->err)
		return;
	if (kc->st->sysv.cmd == SIM_CTL_STAT || ctl_by_index(kc->st)) {
		k->extra = g_string_new(NULL);
		xc_kernel_queue_stat(kc->xc, r->stat, k->extra);
	} else if (ctl_is_info(kc->st)) {
		ctl_msginfo(&k->extra, r->stat);
	}
}

/* IPC_INFO and MSG_INFO tell the namespace's limits and usage, not one queue's; the MSG_STATs
 * name a slot of the whole table. */
#define WHOLE_NS(cmd) cmd " tells about every queue of the namespace, and without a private one " \
			    "that is the machine's"
static const char *msgctl_whole_namespace(const SimStmt *st)
{
	return st->sysv.cmd == SIM_CTL_INFO		  ? WHOLE_NS("IPC_INFO")
	       : st->sysv.cmd == SIM_CTL_MSG_INFO	  ? WHOLE_NS("MSG_INFO")
	       : st->sysv.cmd == SIM_CTL_MSG_STAT	  ? WHOLE_NS("MSG_STAT")
	       : st->sysv.cmd == SIM_CTL_MSG_STAT_ANY ? WHOLE_NS("MSG_STAT_ANY")
						  : NULL;
}
#undef WHOLE_NS

/* ---- Footprint ---- */

/* msgget: a lookup by key reads the namespace; one that may create (IPC_CREAT, and
 * IPC_PRIVATE always) changes it, since a new queue takes an id and a slot any other
 * msgget could have had. So a private msgget and a keyed one with create conflict, as two
 * keyed ones on different keys do: the id each gets depends on their order. */
static void msgget_footprint(const SimWorld *w, const SimTask *t, const SimStmt *st,
			     SimFootprint *fp)
{
	(void)w;
	gboolean makes = st->sysv.key.kind == SIM_KEY_PRIVATE || (st->sysv.flags & SIM_IPC_CREAT);
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
	if (st->sysv.cmd == SIM_CTL_INFO || st->sysv.cmd == SIM_CTL_MSG_INFO || ctl_by_index(st)) {
		/* the MSG_STATs: a slot, whichever queue is in it, as the namespace decides */
		sim_call_fp_self(fp, t, FALSE);
		sim_footprint_add(fp, SIM_OBJ_SYSV_NS, 0, FALSE);
		sim_footprint_add(fp, SIM_OBJ_SYSVQ, SIM_OBJ_ALL, FALSE);
		return;
	}
	if (st->sysv.cmd == SIM_CTL_RAW) {
		sim_call_fp_self(fp, t, FALSE); /* EINVAL, whatever the queue */
		return;
	}
	gboolean changes = st->sysv.cmd != SIM_CTL_STAT;
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

/* ---- Deadlock report ---- */

/* msgsnd, msgrcv, msgctl reach the queue they name: a declared one, by the id it was
 * given, or any queue through an id variable, which may hold any id. */
static gboolean queue_reaches(const SimWorld *w, const SimTask *t, const SimStmt *st,
			      const SimObjRef *obj)
{
	(void)t;
	if (st->ep.kind == SIM_EP_IDVAR)
		return TRUE;
	if (st->ep.kind != SIM_EP_SYSVQ)
		return FALSE;
	int id = w->sysvq_ids[st->ep.index];
	return id >= 0 && (guint64)id == obj->id;
}

const SimCallDesc sim_call_sysv_rows[] = {
	{
		.kind = SIM_STMT_MSGGET,
		.name = "msgget",
		.family = SIM_CALL_SYSV,
		.text_call = msgget_text,
		.text_result = msgget_result,
		.json_result = sim_call_json_ret,
		.exec = msgget_exec,
		.parse = msgget_parse,
		.real_name = "msgget",
		.replay = msgget_replay,
		.kernel_cell = msgget_kernel_cell,
		.footprint = msgget_footprint,
	},
	{
		.kind = SIM_STMT_MSGSND,
		.name = "msgsnd",
		.family = SIM_CALL_SYSV,
		.text_call = msgsnd_text,
		.text_result = msgsnd_result,
		.nowait = sysv_nowait,
		.json_result = sim_call_json_ret,
		.exec = msgsnd_exec,
		.parse = msgsnd_parse,
		.real_name = "msgsnd",
		.replay = msgsnd_replay,
		.footprint = io_footprint,
		.blocks = TRUE,
		.wait_role = SIM_WAIT_PUTS,
		.wait_obj = SIM_OBJ_SYSVQ,
		.reaches = queue_reaches,
	},
	{
		.kind = SIM_STMT_MSGRCV,
		.name = "msgrcv",
		.family = SIM_CALL_SYSV,
		.text_call = msgrcv_text,
		.text_result = msgrcv_result,
		.nowait = sysv_nowait,
		.json_result = sim_call_json_ret,
		.exec = msgrcv_exec,
		.parse = msgrcv_parse,
		.real_name = "msgrcv",
		.replay = msgrcv_replay,
		.model_cell = msgrcv_model_cell,
		.kernel_cell = msgrcv_kernel_cell,
		.footprint = io_footprint,
		.blocks = TRUE,
		.wait_role = SIM_WAIT_TAKES,
		.wait_obj = SIM_OBJ_SYSVQ,
		.reaches = queue_reaches,
	},
	{
		.kind = SIM_STMT_MSGCTL,
		.name = "msgctl",
		.family = SIM_CALL_SYSV,
		.text_call = msgctl_text,
		.text_result = msgctl_result,
		.json_result = sim_call_json_ret,
		.exec = msgctl_exec,
		.parse = msgctl_parse,
		.real_name = "msgctl",
		.replay = msgctl_replay,
		.model_cell = msgctl_model_cell,
		.kernel_cell = msgctl_kernel_cell,
		.whole_namespace = msgctl_whole_namespace,
		.footprint = msgctl_footprint,
		/* It never waits, but its IPC_RMID wakes the senders and the receivers. */
		.wait_role = SIM_WAIT_BOTH,
		.wait_obj = SIM_OBJ_SYSVQ,
		.reaches = queue_reaches,
	},
	{
		/* Traced as an event of its own (SIM_TR_IPCS), never as a call. */
		.kind = SIM_STMT_IPCS,
		.name = "ipcs",
		.family = SIM_CALL_SYSV,
		.exec = ipcs_exec,
		.parse = ipcs_parse,
		.footprint = ipcs_footprint,
	},
};
const guint sim_call_sysv_n_rows = G_N_ELEMENTS(sim_call_sysv_rows);
