/* call_posix.c — the POSIX family: mq_open, mq_send, mq_receive, mq_getattr, mq_setattr,
 * mq_notify, mq_close, mq_unlink (mqueue.h).
 *
 * The trace shows each call with its flags and timeout as the scenario wrote them, its
 * return value (a descriptor, a byte count and priority, the attributes), and the queue's
 * state after the call, "[/q: 3 msgs, 21 bytes]". mq_getattr also prints the line that
 * /dev/mqueue/NAME shows (QSIZE, NOTIFY, SIGNO, NOTIFY_PID), the same on the real kernel.
 *
 * Execution: mq_send and mq_receive are one body in two directions (mq_io) that blocks
 * until there is room or a message, or until its deadline; the waker leaves the result in
 * the task's waiter, and an interrupted wait restarts only under SA_RESTART. The calls on
 * a descriptor that never block share their start and end (mq_fd_begin, mq_fd_end). A
 * notification a send fires signals its owner once the call is over.
 *
 * Parsing: the descriptor D is a `posix queue` "/name", a variable set by mq_open or a
 * number (scn_take_fd); the NAME of mq_open and mq_unlink is any string, which the kernel
 * judges. Odd values (prio=40000, maxmsg=0) parse, since the kernel's EINVAL is a lesson.
 *
 * Footprint: a call on a descriptor reaches the one queue behind it, so calls on different
 * queues commute; mq_open and mq_unlink change the name table.
 */
#include "calls/call_int.h"

#include <fcntl.h>
#include <signal.h>
#include <string.h>

#include "msgsim/kernel/mqueue.h"
#include "msgsim/kernel/signal.h"

#include "engine/interp_int.h"
#include "lang/scn_int.h"
#include "real/xcheck_int.h"

static void timeout_text(GString *s, const SimStmt *st)
{
	char buf[32];
	if (st->mq.timeout == SIM_TIMEOUT_RELATIVE)
		g_string_append_printf(s, " timeout=%s",
				       sim_trace_time(st->mq.timeout_at, buf, sizeof(buf)));
	else if (st->mq.timeout == SIM_TIMEOUT_ABSOLUTE)
		g_string_append_printf(s, " deadline=%s",
				       sim_trace_time(st->mq.timeout_at, buf, sizeof(buf)));
	else if (st->mq.timeout == SIM_TIMEOUT_INVALID)
		g_string_append(s, " timeout=bad");
}

static void open_text(GString *s, const SimTraceEvent *ev)
{
	const SimStmt *st = ev->stmt;
	g_string_append(s, "mq_open ");
	sim_trace_quote(s, ev->object, strlen(ev->object));
	g_string_append_printf(s, "%s%s %s%s", st->mq.flags & SIM_O_CREAT ? " create" : "",
			       st->mq.flags & SIM_O_EXCL ? " excl" : "",
			       st->mq.flags & SIM_O_RDWR       ? "rdwr"
			       : st->mq.flags & SIM_O_WRONLY   ? "wronly"
			       : st->mq.flags & SIM_O_ACCMODE3 ? "wronly_rdwr"
							       : "rdonly",
			       st->mq.flags & SIM_O_NONBLOCK ? " nonblock" : "");
	if (st->mq.maxmsg >= 0 || st->mq.msgsize >= 0)
		g_string_append_printf(s, " maxmsg=%" G_GINT64_FORMAT " msgsize=%" G_GINT64_FORMAT,
				       st->mq.maxmsg, st->mq.msgsize);
	if (st->mq.perm > 0777) /* bits past the permissions, which the kernel sorts out */
		g_string_append_printf(s, " perm=0%" G_GINT64_MODIFIER "o", st->mq.perm);
}

static void unlink_text(GString *s, const SimTraceEvent *ev)
{
	g_string_append(s, "mq_unlink ");
	sim_trace_quote(s, ev->object, strlen(ev->object));
}

static void send_text(GString *s, const SimTraceEvent *ev)
{
	sim_trace_puts(s, "mq_send ");
	sim_trace_puts(s, ev->object);
	if (ev->msg) {
		sim_trace_putc(s, ' ');
		sim_trace_quote(s, ev->msg->text, ev->msg->len);
		sim_trace_puts(s, " size=");
		sim_trace_int(s, (gint64)ev->msg->size); /* as written: -1, not 2^64 - 1 */
	}
	sim_trace_puts(s, " prio=");
	sim_trace_int(s, ev->stmt->mq.prio);
	timeout_text(s, ev->stmt);
}

static void receive_text(GString *s, const SimTraceEvent *ev)
{
	sim_trace_puts(s, "mq_receive ");
	sim_trace_puts(s, ev->object);
	if (ev->stmt->mq.size != SIM_SIZE_UNSET) {
		sim_trace_puts(s, " size=");
		sim_trace_int(s, ev->stmt->mq.size);
	}
	if (ev->stmt->mq.fill >= 0)
		g_string_append_printf(s, " fill=%" G_GINT64_FORMAT, ev->stmt->mq.fill);
	timeout_text(s, ev->stmt);
}

/* mq_getattr, mq_close: the keyword and the descriptor. */
static void fd_text(GString *s, const SimTraceEvent *ev)
{
	g_string_append_printf(s, "%s %s", sim_call_desc(ev->stmt->kind)->name, ev->object);
}

static void setattr_text(GString *s, const SimTraceEvent *ev)
{
	const SimPosixArgs *a = &ev->stmt->mq;
	if (!a->whole) {
		g_string_append_printf(s, "mq_setattr %s %s", ev->object,
				       a->flags & SIM_O_NONBLOCK ? "nonblock" : "block");
		return;
	}
	g_string_append_printf(s, "mq_setattr %s flags=", ev->object);
	if (a->mqflags < 0)
		g_string_append_printf(s, "%" G_GINT64_FORMAT, a->mqflags);
	else
		g_string_append_printf(s, "%#" G_GINT64_MODIFIER "x", a->mqflags);
	g_string_append_printf(s,
			       " maxmsg=%" G_GINT64_FORMAT " msgsize=%" G_GINT64_FORMAT
			       " curmsgs=%" G_GINT64_FORMAT,
			       a->maxmsg, a->msgsize, a->curmsgs);
}

static void notify_text(GString *s, const SimTraceEvent *ev)
{
	const SimStmt *st = ev->stmt;
	g_string_append_printf(s, "mq_notify %s ", ev->object);
	const char *name = sim_scn_signal_name(st->mq.sig);
	if (st->mq.notify == SIM_NOTIFY_SIGNAL && name)
		g_string_append_printf(s, "signal=%s", name);
	else if (st->mq.notify == SIM_NOTIFY_SIGNAL)
		g_string_append_printf(s, "signal=%d", st->mq.sig);
	else if (st->mq.notify == SIM_NOTIFY_BAD)
		g_string_append_printf(s, "sigev_notify=%d", st->mq.sig);
	else if (st->mq.notify == SIM_NOTIFY_THREAD)
		g_string_append_printf(s, "thread %s value=%" G_GINT64_FORMAT, ev->other,
				       st->mq.sival);
	else
		g_string_append(s, st->mq.notify == SIM_NOTIFY_NONE ? "none" : "off");
	if (st->mq.notify == SIM_NOTIFY_SIGNAL && st->mq.sival)
		g_string_append_printf(s, " value=%" G_GINT64_FORMAT, st->mq.sival);
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
	if (sim_call_result_head(s, ev, arrow) && ev->other) {
		sim_trace_puts(s, ", handed to ");
		sim_trace_puts(s, ev->other);
	}
	if (!ev->blocked)
		sim_trace_mq_state(s, ev);
}

static void receive_result(GString *s, const SimTraceEvent *ev, const char *arrow)
{
	if (sim_call_result_head(s, ev, arrow)) {
		const SimMsg *m = ev->msg;
		sim_trace_puts(s, ", ");
		sim_trace_int(s, ev->ret);
		sim_trace_puts(s, " bytes, prio ");
		sim_trace_int(s, m->prio);
		sim_trace_puts(s, ": ");
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
				       ev->value ? "O_NONBLOCK" : "0", q->maxmsg, q->msgsize,
				       q->curmsgs);
		g_string_append_printf(
			s,
			"; QSIZE:%-10" G_GUINT64_FORMAT " NOTIFY:%-5d SIGNO:%-5d"
			" NOTIFY_PID:%s",
			q->qsize,
			q->notify_task < 0 ? 0
			: q->notify_kind == SIM_NOTIFY_NONE ? 1
			: q->notify_kind == SIM_NOTIFY_THREAD ? 2 : 0,
			q->notify_task >= 0 && q->notify_kind == SIM_NOTIFY_SIGNAL ? q->notify_sig
										   : 0,
			ev->lspid ? ev->lspid : "0");
	}
	if (!ev->blocked)
		sim_trace_mq_state(s, ev);
}

/* mq_setattr with the whole struct: the old attributes it gives back (value: the old
 * mq_flags; the queue's own three fields never change). */
static void setattr_result(GString *s, const SimTraceEvent *ev, const char *arrow)
{
	if (sim_call_result_head(s, ev, arrow) && ev->stmt->mq.whole && ev->mq)
		g_string_append_printf(s,
				       ", old: flags %s, maxmsg %" G_GINT64_FORMAT
				       ", msgsize %" G_GINT64_FORMAT ", curmsgs %" G_GUINT64_FORMAT,
				       ev->value ? "O_NONBLOCK" : "0", ev->mq->maxmsg,
				       ev->mq->msgsize, ev->mq->curmsgs);
	if (!ev->blocked)
		sim_trace_mq_state(s, ev);
}

static void setattr_json(GString *s, const SimTraceEvent *ev)
{
	sim_call_json_ret(s, ev);
	if (!ev->err && ev->stmt->mq.whole && ev->mq) {
		sim_trace_json_int(s, "old_flags", ev->value);
		sim_trace_json_int(s, "old_maxmsg", ev->mq->maxmsg);
		sim_trace_json_int(s, "old_msgsize", ev->mq->msgsize);
		sim_trace_json_int(s, "old_curmsgs", (gint64)ev->mq->curmsgs);
	}
}

/* mq_setattr, mq_notify, mq_close, mq_unlink: the result alone, and the queue. */
static void plain_result(GString *s, const SimTraceEvent *ev, const char *arrow)
{
	sim_call_result_head(s, ev, arrow);
	if (!ev->blocked)
		sim_trace_mq_state(s, ev);
}

/* ---- Parsing ---- */

/* The family's arguments before a statement's own are read: every parse hook starts
 * from them, since no one else initialises the family's member of the statement. */
static const SimPosixArgs mq_defaults = {
	.maxmsg = -1, .msgsize = -1, .size = SIM_SIZE_UNSET, .fill = -1
};

/* The name of mq_open and mq_unlink: any string, for the kernel to judge (scenarios ask for
 * its answers to "", "noslash" and "/a/b" this way). It may use $ variables like a message
 * ("/reply$index", "$request"): st->text is the name, literal or template. */
static gboolean take_mq_name(Parser *p, SimStmt *st, const char *how)
{
	const Tok *t = tok(p);
	if (t->kind != TOK_STRING)
		return scn_expected(p, "a queue name in double quotes, like \"/q\", after '%s'",
				    how);
	if (!scn_parse_text(p, t, &st->text))
		return FALSE;
	advance(p);
	return TRUE;
}

/* timeout=T, timeout=bad or deadline=T; a call has one timeout, so not both. */
static gboolean take_timeout(Parser *p, Opts *o, int k, void *obj)
{
	SimStmt *st = obj;
	gboolean deadline = strcmp(o->specs[k].name, "deadline") == 0;
	int other = scn_opt_index(o, deadline ? "timeout" : "deadline");
	const Tok *t = tok(p);
	if (o->seen[other].line)
		return scn_fail_at(
			p, o->seen[k], E_SYNTAX,
			"'%s=' cannot be given with '%s=' (at %u:%u): a call has one timeout",
			o->specs[k].name, o->specs[other].name, o->seen[other].line,
			o->seen[other].col);
	if (is_word(t, "bad") && deadline)
		return scn_fail_tok(
			p, t, E_NUMBER,
			"bad deadline 'bad': a malformed timeout is written timeout=bad");
	if (is_word(t, "bad")) {
		st->mq.timeout = SIM_TIMEOUT_INVALID;
		advance(p);
		return TRUE;
	}
	st->mq.timeout = deadline ? SIM_TIMEOUT_ABSOLUTE : SIM_TIMEOUT_RELATIVE;
	return scn_take_time(p, deadline ? "after 'deadline='" : "or bad after 'timeout='",
			     &st->mq.timeout_at);
}

/* Any mq_attr parses, 0 and negative ones too: the kernel's EINVAL is a lesson. */
static const OptSpec mq_open_opts[] = {
	FLAG_OPT("create", ST(mq.flags), SIM_O_CREAT),
	FLAG_OPT("excl", ST(mq.flags), SIM_O_EXCL),
	ACCESS_OPT("rdonly", ST(mq.flags), SIM_O_RDONLY),
	ACCESS_OPT("wronly", ST(mq.flags), SIM_O_WRONLY),
	ACCESS_OPT("rdwr", ST(mq.flags), SIM_O_RDWR),
	ACCESS_OPT("wronly_rdwr", ST(mq.flags), SIM_O_ACCMODE3),
	FLAG_OPT("nonblock", ST(mq.flags), SIM_O_NONBLOCK),
	/* mode_t, any value: the kernel keeps the 07777 bits (the umask taken out) and sets the
	 * file type itself, so a type bit (S_IFDIR) is dropped. -1 is 0xffffffff. */
	INT_OPT("perm", ST(mq.perm), G_MININT32, G_MAXUINT32),
	INT_OPT("maxmsg", ST(mq.maxmsg), G_MININT64, G_MAXINT64),
	INT_OPT("msgsize", ST(mq.msgsize), G_MININT64, G_MAXINT64),
	OPTS_END,
};
enum { MQ_OPEN_MAXMSG = 8, MQ_OPEN_MSGSIZE = 9 };

/* mq_open "NAME" [create] [excl] [rdonly|wronly|rdwr|wronly_rdwr] [nonblock] [perm=MODE]
 * [maxmsg=N msgsize=N] [-> VAR], the options and `-> VAR` in any order. */
static gboolean open_parse(Parser *p, SimStmt *st)
{
	st->mq = mq_defaults;
	st->mq.perm = 0600; /* the mode of a queue mq_open creates without perm= */
	if (!take_mq_name(p, st, "mq_open"))
		return FALSE;
	StmtOpts so = { .o = { .what = "mq_open", .specs = mq_open_opts }, .role = ROLE_FD };
	if (!scn_take_stmt_opts(p, st, &so))
		return FALSE;
	if (!(st->mq.flags & ACCESS_MODES))
		st->mq.flags |= SIM_O_RDONLY; /* O_RDONLY is 0 in C: what no access word means */
	st->mq.perm = (gint64)(guint32)st->mq.perm;
	/* maxmsg and msgsize are the two fields of one struct mq_attr: both or neither. */
	SimLoc max = so.o.seen[MQ_OPEN_MAXMSG], size = so.o.seen[MQ_OPEN_MSGSIZE];
	if (!max.line != !size.line)
		return scn_fail_at(p, max.line ? max : size, E_SYNTAX,
				   "%s= needs %s= too: they are mq_open's struct mq_attr, given "
				   "both or not at all",
				   max.line ? "maxmsg" : "msgsize",
				   max.line ? "msgsize" : "maxmsg");
	if (max.line && st->mq.maxmsg == -1 && st->mq.msgsize == -1)
		return scn_fail_at(
			p, max, E_NUMBER,
			"maxmsg=-1 msgsize=-1 cannot be told from no mq_attr at all (the "
			"defaults): for the kernel's EINVAL give a value below 1 other "
			"than -1, like maxmsg=0");
	return TRUE;
}

/* Any prio parses: the kernel's EINVAL from MQ_PRIO_MAX (32768) up is a lesson. */
static const OptSpec mq_send_opts[] = {
	INT_OPT("prio", ST(mq.prio), 0, G_MAXINT64),
	INT_OPT("size", ST(mq.size), SIM_SIZE_UNSET + 1, G_MAXINT64),
	TAKE_OPT("timeout", take_timeout),
	TAKE_OPT("deadline", take_timeout),
	OPTS_END,
};

/* mq_send D TEXT [prio=N] [size=N] [timeout=T|timeout=bad|deadline=T] */
static gboolean send_parse(Parser *p, SimStmt *st)
{
	st->mq = mq_defaults;
	g_autofree char *ctx = NULL;
	if (!scn_take_fd(p, st, "mq_send", &ctx) || !scn_take_text(p, ctx, &st->text))
		return FALSE;
	StmtOpts so = { .o = { .what = "mq_send", .specs = mq_send_opts }, .role = -1 };
	return scn_take_stmt_opts(p, st, &so) && scn_no_nowait(p, "mq_send");
}

static const OptSpec mq_receive_opts[] = {
	INT_OPT("size", ST(mq.size), SIM_SIZE_UNSET + 1, G_MAXINT64),
	TAKE_OPT("timeout", take_timeout),
	TAKE_OPT("deadline", take_timeout),
	INT_OPT("fill", ST(mq.fill), 0, 255),
	OPTS_END,
};

/* mq_receive D [size=N] [timeout=T|timeout=bad|deadline=T] [-> VAR] */
static gboolean receive_parse(Parser *p, SimStmt *st)
{
	st->mq = mq_defaults;
	if (!scn_take_fd(p, st, "mq_receive", NULL))
		return FALSE;
	StmtOpts so = { .o = { .what = "mq_receive", .specs = mq_receive_opts },
			.role = ROLE_MESSAGE };
	return scn_take_stmt_opts(p, st, &so) && scn_no_nowait(p, "mq_receive");
}

/* mq_getattr D */
static gboolean getattr_parse(Parser *p, SimStmt *st)
{
	st->mq = mq_defaults;
	return scn_take_fd(p, st, "mq_getattr", NULL);
}

/* The whole struct mq_attr of mq_setattr: any values, as the kernel reads them. */
static const OptSpec setattr_opts[] = {
	INT_OPT("flags", ST(mq.mqflags), G_MININT64, G_MAXINT64),
	INT_OPT("maxmsg", ST(mq.maxmsg), G_MININT64, G_MAXINT64),
	INT_OPT("msgsize", ST(mq.msgsize), G_MININT64, G_MAXINT64),
	INT_OPT("curmsgs", ST(mq.curmsgs), G_MININT64, G_MAXINT64),
	OPTS_END,
};
enum { K_SETATTR_FLAGS = 0 };

/* mq_setattr D nonblock|block [FIELD=N ...] [-> VAR], or mq_setattr D flags=N [FIELD=N ...]
 * [-> VAR]: sets or clears O_NONBLOCK, the only flag it changes; VAR gets the old
 * mq_flags. */
static gboolean setattr_parse(Parser *p, SimStmt *st)
{
	st->mq = mq_defaults;
	static const char *const modes[] = { "nonblock", "block", NULL };
	g_autofree char *ctx = NULL;
	if (!scn_take_fd(p, st, "mq_setattr", &ctx))
		return FALSE;
	const Tok *t = tok(p);
	int m = -1;
	if (t->kind != TOK_WORD || scn_pick(t->text, modes) >= 0 ||
	    !g_strv_contains((const char *const[]){ "flags", "maxmsg", "msgsize", "curmsgs",
						    NULL },
			     t->text)) {
		m = scn_take_choice(p, "mq_setattr flag", ctx, modes);
		if (m < 0)
			return FALSE;
	}
	StmtOpts so = { .o = { .what = "mq_setattr", .specs = setattr_opts },
			.role = ROLE_COUNTER };
	if (!scn_take_stmt_opts(p, st, &so))
		return FALSE;
	gboolean flags_given = so.o.seen[K_SETATTR_FLAGS].line != 0;
	if (m >= 0 && flags_given)
		return scn_fail_at(p, so.o.seen[K_SETATTR_FLAGS], E_SYNTAX,
				   "'flags=' after '%s': write one of them (nonblock is "
				   "flags=0x800, block is flags=0)",
				   modes[m]);
	if (m < 0 && !flags_given)
		return scn_fail_at(p, st->loc, E_SYNTAX,
				   "mq_setattr needs its flags: nonblock, block or flags=N");
	if (m >= 0)
		st->mq.mqflags = m == 0 ? O_NONBLOCK : 0;
	st->mq.flags = st->mq.mqflags & O_NONBLOCK ? SIM_O_NONBLOCK : 0;
	for (guint k = 0; k < G_N_ELEMENTS(setattr_opts) - 1; k++)
		st->mq.whole = st->mq.whole || so.o.seen[k].line != 0;
	st->mq.whole = st->mq.whole || so.arrow.line != 0;
	/* A field not written is 0 in the struct given (the defaults' -1 means "no struct"). */
	for (guint k = 1; st->mq.whole && k <= 2; k++) {
		if (!so.o.seen[k].line)
			*(k == 1 ? &st->mq.maxmsg : &st->mq.msgsize) = 0;
	}
	return TRUE;
}

/* signal=N: a number; one the model has a signal for is that signal, 0 and any number
 * valid_signal() refuses (negative, past SIM_SIG_LAST) are kept for the kernel to judge. */
static gboolean take_signo(Parser *p, int *sig)
{
	const Tok *t = tok(p);
	gint64 n = 0;
	if (!scn_take_int(p, "signal number", "after 'signal='", G_MININT32, G_MAXINT32, &n))
		return FALSE;
	if (n > 0 && n <= SIM_SIG_LAST &&
	    (!sim_scn_signal_name((int)n) || n == SIGSTOP || n == SIGCONT))
		return scn_fail_tok(p, t, E_MISUSE,
				   "not supported: signal %" G_GINT64_FORMAT
				   " (a number 1 to 64 must name a signal the model has)",
				   n);
	*sig = (int)n;
	return TRUE;
}

/* sigev_notify=N: SIGEV_SIGNAL (0) and SIGEV_NONE (1) as their words, SIGEV_THREAD not
 * modelled, any other number a sigevent the kernel refuses with EINVAL. */
static gboolean take_sigev(Parser *p, SimStmt *st)
{
	const Tok *t = tok(p);
	gint64 n = 0;
	if (!scn_take_int(p, "sigev_notify", "after 'sigev_notify='", G_MININT32, G_MAXINT32, &n))
		return FALSE;
	if (n == SIGEV_THREAD)
		return scn_fail_tok(p, t, E_MISUSE,
				    "SIGEV_THREAD (2) is written 'thread NAME { BODY }'");
	st->mq.notify = n == SIGEV_SIGNAL ? SIM_NOTIFY_SIGNAL
			: n == SIGEV_NONE ? SIM_NOTIFY_NONE
					  : SIM_NOTIFY_BAD;
	st->mq.sig = st->mq.notify == SIM_NOTIFY_BAD ? (int)n : 0; /* a zeroed sigev_signo */
	if (st->mq.notify == SIM_NOTIFY_SIGNAL && is_word(tok(p), "signal") &&
	    is_char(peek(p, 1), '=')) {
		advance(p);
		advance(p);
		return is_number_word(tok(p)) || at_negative(p)
			       ? take_signo(p, &st->mq.sig)
			       : scn_take_sent_signal(p, "after 'signal='", &st->mq.sig);
	}
	return TRUE;
}

/* mq_notify D thread NAME [value=N] { BODY }: SIGEV_THREAD. NAME is declared here as a
 * thread of the registering process (glibc's helper thread makes it in that process, so
 * it shares the descriptor table, credentials and signal actions), which starts when the
 * notification fires; its body starts with a copy of the variables set so far and one
 * more, `sival`, the sigev_value it is given. */
static gboolean notify_thread_parse(Parser *p, SimStmt *st)
{
	BodyBuilder *b = p->body;
	g_autofree char *name = NULL;
	SimLoc loc;
	advance(p); /* thread */
	if (b->n_procs > 1 || b->depth > 0)
		return scn_fail_at(p, st->loc, E_MISUSE,
				   "'mq_notify ... thread' in a replicated process or inside a "
				   "repeat or loop: each one names one thread, which starts at most "
				   "once (expected it where it runs once)");
	if (!scn_take_name(p, "a thread name after 'thread'", &name, &loc) ||
	    !scn_not_reserved(p, name, loc, "process"))
		return FALSE;
	for (guint i = 0; i < b->vars->len; i++) {
		const VarInfo *v = &g_array_index(b->vars, VarInfo, i);
		if (!v->assigned)
			return scn_fail_at(p, v->use_loc, E_NAME,
					   "variable '%s' is used before 'mq_notify ... thread %s' but "
					   "not set before it: the thread starts with a copy of the "
					   "variables set before",
					   v->name, name);
		if (!strcmp(v->name, "sival"))
			return scn_fail_at(p, v->set_loc, E_NAME,
					   "variable 'sival' is the thread's own (its sigev_value): "
					   "name this one differently");
	}
	if (is_word(tok(p), "value")) {
		if (!is_char(peek(p, 1), '='))
			return scn_expected_at(p, peek(p, 1), "'=' after 'value'");
		advance(p);
		advance(p);
		if (!scn_take_int(p, "sigev_value", "after 'value='", G_MININT64, G_MAXINT64,
				  &st->mq.sival))
			return FALSE;
	}
	guint index = p->procs->len;
	if (index + 1 > SIM_SCN_MAX_PROCS || b->vars->len + 1 > SIM_SCN_MAX_SLOTS - p->n_slots)
		return scn_fail_at(p, loc, SIM_SCN_ERROR_LIMIT,
				   "too many processes or copied variables: thread '%s' makes "
				   "one more than a scenario may have",
				   name);
	p->n_slots += b->vars->len + 1;
	if (!scn_declare_child(p, name, loc, index, SIM_START_THREAD))
		return FALSE;
	st->mq.notify = SIM_NOTIFY_THREAD;
	st->mq.thread = (int)index;
	/* The thread's slots: the parent's, then sival, which the parent never sees. */
	VarInfo sival = { .name = g_strdup("sival"), .assigned = TRUE, .is_int = TRUE,
			  .role = ROLE_COUNTER, .set_loc = loc };
	g_array_append_val(b->vars, sival);
	g_autofree char *ctx = g_strdup_printf("to start the body of thread '%s'", name);
	SimScnBody *body = scn_parse_body(p, ctx, index, 1, name, b);
	g_array_remove_index(b->vars, b->vars->len - 1);
	if (!body)
		return FALSE;
	g_array_index(p->procs, SimScnProc, index).body = body;
	return TRUE;
}

/* mq_notify D signal=SIGNAME|N | none | off | sigev_notify=N [signal=SIGNAME|N]
 *   | thread NAME [value=N] { BODY } */
static gboolean notify_parse(Parser *p, SimStmt *st)
{
	st->mq = mq_defaults;
	g_autofree char *ctx = NULL;
	if (!scn_take_fd(p, st, "mq_notify", &ctx))
		return FALSE;
	const Tok *t = tok(p);
	if (is_word(t, "none") || is_word(t, "off")) {
		st->mq.notify = is_word(t, "none") ? SIM_NOTIFY_NONE : SIM_NOTIFY_OFF;
		advance(p);
		return TRUE;
	}
	if (is_word(t, "sigev_notify") && is_char(peek(p, 1), '=')) {
		advance(p);
		advance(p);
		return take_sigev(p, st);
	}
	if (is_word(t, "thread"))
		return notify_thread_parse(p, st);
	if (!is_word(t, "signal"))
		return scn_expected(p, "signal=SIGNAME, none or off %s", ctx);
	if (!is_char(peek(p, 1), '='))
		return scn_expected_at(p, peek(p, 1), "'=' after 'signal'");
	advance(p);
	advance(p);
	st->mq.notify = SIM_NOTIFY_SIGNAL;
	gboolean ok = is_number_word(tok(p)) || at_negative(p)
			      ? take_signo(p, &st->mq.sig)
			      : scn_take_sent_signal(p, "after 'signal='", &st->mq.sig);
	if (!ok || !is_word(tok(p), "value"))
		return ok;
	/* value=N: the sigev_value the handler finds in si_value. */
	if (!is_char(peek(p, 1), '='))
		return scn_expected_at(p, peek(p, 1), "'=' after 'value'");
	advance(p);
	advance(p);
	return scn_take_int(p, "sigev_value", "after 'value='", G_MININT32, G_MAXINT32,
			    &st->mq.sival);
}

/* mq_close D */
static gboolean close_parse(Parser *p, SimStmt *st)
{
	st->mq = mq_defaults;
	return scn_take_fd(p, st, "mq_close", NULL);
}

/* mq_unlink "NAME" */
static gboolean unlink_parse(Parser *p, SimStmt *st)
{
	st->mq = mq_defaults;
	return take_mq_name(p, st, "mq_unlink");
}

/* ---- Execution ---- */

static const char *mq_word(SimWorld *w, const SimTask *t, const SimStmt *st)
{
	return sim_interp_fd_word(w, t, st, w->word, sizeof(w->word));
}

/* The queue name mq_open/mq_unlink use: the literal, or the template expanded (scratch). */
static const char *mq_name(SimWorld *w, const SimTask *t, const SimStmt *st)
{
	if (st->text.literal)
		return st->text.literal;
	sim_interp_expand(w, t, &st->text);
	return w->scratch->str;
}

/* The open queue behind fd if it allows `access` (SIM_O_WRONLY / SIM_O_RDONLY), else NULL. */
static SimFile *mq_file(const SimTask *t, gint64 fd, guint access)
{
	SimFile *f = sim_fdt_get(&t->fdt, fd);
	if (!f || f->kind != SIM_FILE_MQ)
		return NULL;
	if (access == SIM_O_WRONLY && !(f->flags & (SIM_O_WRONLY | SIM_O_RDWR)))
		return NULL;
	if (access == SIM_O_RDONLY && !(f->flags & (SIM_O_RDONLY | SIM_O_RDWR)))
		return NULL;
	return f;
}

static SimTime deadline_of(SimWorld *w, const SimTask *t, const SimStmt *st)
{
	switch (st->mq.timeout) {
	case SIM_TIMEOUT_RELATIVE:
		return sim_world_later(w, t, st, st->mq.timeout_at);
	case SIM_TIMEOUT_ABSOLUTE:
		return st->mq.timeout_at;
	case SIM_TIMEOUT_NONE:
	case SIM_TIMEOUT_INVALID:
		break;
	}
	return SIM_TIME_MAX;
}

/* A call's event; object: the queue's name (mq_open, mq_unlink) or its descriptor's word. */
static void trace_mq(SimWorld *w, SimTraceKind kind, const SimTask *t, const SimStmt *st,
		     const char *object, const SimMqueue *q, const SimMsg *m, int err,
		     const char *blocked, int other, gint64 ret)
{
	SimTraceEvent ev;
	sim_interp_call_event_init(&ev, w, kind, t, st, object, m, err, blocked, other);
	ev.mq = q;
	ev.ret = ret;
	if (q && q->notify_task >= 0)
		ev.lspid = w->tasks[q->notify_task].name; /* the NOTIFY_PID, for getattr */
	sim_world_emit(w, &ev);
}

/* mq_getattr, mq_setattr, mq_notify, mq_close: their event has the description's flags
 * before the call in value (getattr shows them); ret is what the call returns. */
static void trace_mq_fd(SimWorld *w, const SimTask *t, const SimStmt *st, const SimMqueue *q,
			int err, gint64 flags)
{
	SimTraceEvent ev;
	int other = st->kind == SIM_STMT_MQ_NOTIFY && st->mq.notify == SIM_NOTIFY_THREAD
			    ? st->mq.thread
			    : -1;
	sim_interp_call_event_init(&ev, w, SIM_TR_CALL, t, st, mq_word(w, t, st), NULL, err, NULL,
				   other);
	ev.mq = q;
	ev.ret = err ? -1 : 0;
	ev.value = flags;
	if (q && q->notify_task >= 0)
		ev.lspid = w->tasks[q->notify_task].name; /* the NOTIFY_PID, for getattr */
	sim_world_emit(w, &ev);
}

/* SIGEV_THREAD fired: the thread starts in the registered process at this moment (a
 * thread of its, sharing its descriptors), with its sigev_value in `sival` (the slot after
 * the copied ones). */
static void start_thread(SimWorld *w, const SimMqueueCtx *c)
{
	SimTask *th = &w->tasks[c->notify_thread];
	if (th->state != SIM_STATE_NEW)
		return;
	const SimScnBody *body = th->prog->body;
	guint slot = 0;
	while (slot < body->n_vars && strcmp(body->vars[slot].name, "sival") != 0)
		slot++;
	g_assert(slot < body->n_vars);
	sim_world_thread(w, &w->tasks[c->notify_task], th, slot);
	th->vars[slot].num = c->notify_value;
}

/* A notification fired: the owner gets its signal, from the sender, or its thread starts. */
static void notify(SimWorld *w, const SimMqueueCtx *c)
{
	if (c->notify_task >= 0 && c->notify_thread >= 0)
		start_thread(w, c);
	else if (c->notify_task >= 0 && c->notify_sig > 0) {
		/* __do_notify: SI_MESGQ from the sender, with the registration's sigev_value. */
		const SimTask *from = w->cur;
		SimSigInfo si = { .code = -3,
				  .pid = from ? from->pid : 0,
				  .uid = !from ? 0 : from->cred.split ? from->cred.ruid : from->cred.uid,
				  .value = c->notify_value };
		sim_world_signal_info(w, &w->tasks[c->notify_task], c->notify_sig, &si);
	}
}

static void mq_open_exec(SimWorld *w, SimTask *t, const SimStmt *st)
{
	sim_interp_started(w, st);
	sim_world_charge(w, w->scn->cost_syscall);
	SimMqueue *q = NULL;
	int fd = -1;
	g_autofree char *name = g_strdup(mq_name(w, t, st)); /* scratch is reused below */
	int err = sim_mqueue_check_name(name);
	if (!err && (fd = sim_fdt_alloc(&t->fdt, 0)) < 0)
		err = EMFILE; /* RLIMIT_NOFILE */
	if (!err) {
		guint made = w->mqueues->len; /* queues are kept after mq_unlink, for the report */
		err = sim_mqueue_open(&w->ipcns, w->mqueues, name, st->mq.flags, (guint)st->mq.perm,
				      st->mq.maxmsg, st->mq.msgsize, &t->cred,
				      t->proc->rlimit_msgqueue, &q);
		if (w->mqueues->len > made)
			w->mem += sizeof(SimMqueue) + strlen(name) + 1;
	}
	if (!err) {
		guint keep = SIM_O_RDONLY | SIM_O_WRONLY | SIM_O_RDWR | SIM_O_NONBLOCK;
		SimFile *f = sim_world_file_new(w, (SimFile){ .kind = SIM_FILE_MQ,
							      .mq = q,
							      .flags = st->mq.flags & keep,
							      .refs = 1 });
		sim_world_fd_install(w, t, fd, f);
	}
	if (st->var >= 0)
		t->vars[st->var].num = err ? -1 : fd;
	if (w->trace)
		trace_mq(w, SIM_TR_CALL, t, st, mq_name(w, t, st), q, NULL, err, NULL, -1,
			 err ? -1 : fd);
	sim_interp_finish(w, t, st, err, fd);
}

/* mq_timedsend/mq_timedreceive, from the checks to the queue; also the restart. */
static int mq_call(SimWorld *w, SimTask *t, const SimStmt *st, gboolean sending, SimMqueueCtx *c,
		   SimMsg *m, SimMsg **out, SimMqueue **qp)
{
	if (st->mq.timeout == SIM_TIMEOUT_INVALID)
		return EINVAL; /* validated first, even when the call could complete */
	if (sending && m->prio >= SIM_MQ_PRIO_MAX)
		return EINVAL;
	SimFile *f = mq_file(t, sim_interp_fd(t, st), sending ? SIM_O_WRONLY : SIM_O_RDONLY);
	if (!f)
		return EBADF;
	SimMqueue *q = *qp = f->mq;
	/* Sizes are size_t: a negative one is huge, too long to send, long enough a buffer. */
	if (sending && m->size > (gsize)q->msgsize)
		return EMSGSIZE;
	if (!sending && st->mq.size != SIM_SIZE_UNSET && (guint64)st->mq.size < (guint64)q->msgsize)
		return EMSGSIZE; /* the buffer must hold the largest message */
	c->expired = t->deadline <= sim_world_now(w);
	t->waiter.prio = t->priority;
	gboolean nonblock = (f->flags & SIM_O_NONBLOCK) != 0;
	return sending ? sim_mqueue_send(q, c, &t->waiter, m, nonblock)
		       : sim_mqueue_receive(q, c, &t->waiter, nonblock, out);
}

/* mq_send and mq_receive: one call in two directions, as mqueue.c's timedsend and
 * timedreceive mirror each other. */
static void mq_io(SimWorld *w, SimTask *t, const SimStmt *st, gboolean sending)
{
	SimMqueueCtx c = { .wake = &w->wake, .task = t->id, .notify_task = -1, .handed_to = -1 };
	SimMqueue *q = t->wait_mq;
	SimMsg *m = sending ? t->waiter.msg : NULL, *got = NULL, *shown = m;
	int err;
	gboolean resuming = t->resuming;
	if (resuming) {
		t->resuming = FALSE;
		err = t->waiter.result;
		got = sending ? NULL : t->waiter.msg;
		t->waiter.msg = sending ? m : NULL;
		if (err == EINTR && sim_sigbody_restart_first(w, t)) {
			t->waiter.result = EINTR; /* a handler's body runs first */
			t->waiter.msg = sending ? m : got;
			return;
		}
		if (err == EINTR && !sim_interp_no_restart(t)) {
			/* SA_RESTART: the handler runs, and the call starts over, re-joining the
			 * wait list behind waiters of its own priority. */
			sim_interp_run_handlers(w, t);
			sim_world_file_release(w, t); /* the restart looks its descriptor up again */
			err = mq_call(w, t, st, sending, &c, m, &got, &q);
		} else if (err == 0 && sending) {
			m = NULL; /* the slot was ours: the message is in the queue */
		}
	} else {
		sim_interp_started(w, st);
		if (sending) {
			/* type is prio: what the expectations' numbers mean for POSIX */
			m = sim_interp_make_msg(w, t, st, st->mq.prio, st->mq.prio, -1);
			m->size = st->mq.size != SIM_SIZE_UNSET ? (gsize)st->mq.size : m->len;
			sim_msg_cut(&w->pool, m, m->size);
			shown = m;
		}
		/* A size past the queue's msgsize fails before a byte is copied; a negative one
		 * would otherwise charge 2^64 bytes. */
		gsize bytes = sending && (gint64)m->size >= 0 ? m->size : 0;
		sim_world_charge(w, sim_interp_cost(w, w->scn->cost_syscall, bytes));
		t->deadline = deadline_of(w, t, st);
		err = mq_call(w, t, st, sending, &c, m, &got, &q);
		if (sending && err == 0)
			m = NULL;
	}
	if (err == SIM_BLOCKED) {
		const char *why = sending ? "queue full" : "queue empty";
		sim_interp_blocked(w, st);
		t->wait_mq = q;
		/* A threaded task's wait holds the description (fdget), so a close by another
		 * thread leaves the queue open under it until the call returns. */
		sim_world_file_hold(t, mq_file(t, sim_interp_fd(t, st),
					       sending ? SIM_O_WRONLY : SIM_O_RDONLY));
		if (w->trace)
			trace_mq(w, SIM_TR_CALL, t, st, mq_word(w, t, st), q, shown, 0, why, -1, 0);
		SIM_CHECK(sim_mqueue_check(q));
		sim_world_block(w, t, -1, mq_word(w, t, st), why);
		if (t->deadline != SIM_TIME_MAX)
			sim_world_timeout(w, t, t->deadline);
		return;
	}
	t->wait_mq = NULL;
	t->deadline = SIM_TIME_MAX;
	if (w->trace)
		trace_mq(w, resuming ? SIM_TR_RETURN : SIM_TR_CALL, t, st, mq_word(w, t, st), q,
			 sending ? shown : got, err, NULL,
			 got ? got->from : (sending && !err ? c.handed_to : -1),
			 err ? -1 : got ? (gint64)got->size : 0); /* what the call returns */
	if (sending) {
		if (err)
			sim_msg_pool_put(&w->pool, m);
		else
			t->n_sent++;
		t->waiter.msg = NULL;
	}
	gint64 ret = got ? (gint64)got->size : 0; /* mq_receive gives the message's length */
	if (got)
		sim_interp_keep_received(w, t, st, got);
	if (!sending && st->mq.fill >= 0 && !err && q) {
		/* The kernel copies the message's bytes and no more: the rest keeps the fill. */
		gint64 buf = st->mq.size != SIM_SIZE_UNSET ? st->mq.size : q->msgsize;
		sim_interp_untouched(w, t, st, buf - ret);
	}
	sim_interp_finish(w, t, st, err, ret);
	SIM_CHECK(!q || sim_mqueue_check(q));
	notify(w, &c);
	sim_world_file_release(w, t); /* may free an unlinked queue: q is not read after it */
	sim_world_wake_all(w, t, NULL);
}

/* An mq_send or mq_receive whose task dies: kill took it off the wait list already; what
 * is left is the description its wait held. */
static void mq_abandon(SimWorld *w, SimTask *t, const SimStmt *st)
{
	(void)st;
	sim_world_file_release(w, t);
}

static void mq_send_exec(SimWorld *w, SimTask *t, const SimStmt *st)
{
	mq_io(w, t, st, TRUE);
}

static void mq_receive_exec(SimWorld *w, SimTask *t, const SimStmt *st)
{
	mq_io(w, t, st, FALSE);
}

/* mq_getattr, mq_setattr, mq_notify, mq_close: the call on its descriptor's open queue
 * (NULL: EBADF, not a queue). *flags gets the description's mq_flags (O_NONBLOCK, 0x800)
 * as they were before the call, for the trace: mq_close frees the description. */
static SimFile *mq_fd_begin(SimWorld *w, SimTask *t, const SimStmt *st, gint64 *flags)
{
	sim_interp_started(w, st);
	sim_world_charge(w, w->scn->cost_syscall);
	SimFile *f = mq_file(t, sim_interp_fd(t, st), 0);
	*flags = f && (f->flags & SIM_O_NONBLOCK) ? 0x800 : 0;
	return f;
}

/* Such a call is over: it never blocks and returns 0 or an error. */
static void mq_fd_end(SimWorld *w, SimTask *t, const SimStmt *st, const SimMqueue *q, int err,
		      gint64 flags)
{
	if (w->trace)
		trace_mq_fd(w, t, st, q, err, flags);
	sim_interp_returned(w, t, st, err);
}

static void mq_getattr_exec(SimWorld *w, SimTask *t, const SimStmt *st)
{
	gint64 flags;
	SimFile *f = mq_fd_begin(w, t, st, &flags);
	mq_fd_end(w, t, st, f ? f->mq : NULL, f ? 0 : EBADF, flags);
}

/* do_mq_getsetattr: a flag other than O_NONBLOCK is EINVAL before the descriptor is
 * looked at; maxmsg, msgsize and curmsgs are never read. */
static void mq_setattr_exec(SimWorld *w, SimTask *t, const SimStmt *st)
{
	gint64 flags;
	SimFile *f = mq_fd_begin(w, t, st, &flags);
	int err = st->mq.mqflags & ~(gint64)O_NONBLOCK ? EINVAL : f ? 0 : EBADF;
	if (!err)
		f->flags = (f->flags & ~(guint)SIM_O_NONBLOCK) | (st->mq.flags & SIM_O_NONBLOCK);
	w->out.flags = flags;
	if (st->var >= 0)
		t->vars[st->var].num = err ? -1 : flags;
	mq_fd_end(w, t, st, f && !err ? f->mq : NULL, err, flags);
}

static void mq_notify_exec(SimWorld *w, SimTask *t, const SimStmt *st)
{
	gint64 flags;
	SimFile *f = mq_fd_begin(w, t, st, &flags);
	SimMqueue *q = f ? f->mq : NULL;
	/* do_mq_notify checks the sigevent before it looks at the descriptor. */
	gboolean bad = st->mq.notify == SIM_NOTIFY_BAD ||
		       (st->mq.notify == SIM_NOTIFY_SIGNAL &&
			(st->mq.sig < 0 || st->mq.sig > SIM_SIG_LAST));
	int err = bad ? EINVAL
		  : !f	? EBADF
		  : st->mq.notify == SIM_NOTIFY_THREAD
			  ? sim_mqueue_notify_thread(q, t->id, st->mq.thread, st->mq.sival)
			  : sim_mqueue_notify(q, t->id, st->mq.notify, st->mq.sig);
	if (!err && st->mq.notify == SIM_NOTIFY_SIGNAL)
		q->notify_value = st->mq.sival;
	mq_fd_end(w, t, st, q, err, flags);
}

static void mq_close_exec(SimWorld *w, SimTask *t, const SimStmt *st)
{
	gint64 flags;
	SimFile *f = mq_fd_begin(w, t, st, &flags);
	SimMqueue *q = f ? f->mq : NULL; /* the queue outlives its last descriptor */
	int err = sim_world_fd_close(w, t, sim_interp_fd(t, st));
	mq_fd_end(w, t, st, q, err, flags);
}

static void mq_unlink_exec(SimWorld *w, SimTask *t, const SimStmt *st)
{
	sim_interp_started(w, st);
	sim_world_charge(w, w->scn->cost_syscall);
	int err = sim_mqueue_unlink(&w->ipcns, mq_name(w, t, st), &t->cred);
	if (w->trace)
		trace_mq(w, SIM_TR_CALL, t, st, mq_name(w, t, st), NULL, NULL, err, NULL, -1,
			 err ? -1 : 0);
	sim_interp_returned(w, t, st, err);
}

/* ---- Cross-check: replay on the real kernel, and comparison ---- */

static gboolean open_replay(SimReplay *r)
{
	const SimStmt *st = r->st;
	gint64 *a = r->c->a;
	r->c->op = SIM_REAL_MQ_OPEN;
	stmt_text(r->w, r->t, st, NULL, r->data);
	if (!xc_real_mq_text(r->xc, r->data, (st->mq.flags & SIM_O_CREAT) != 0))
		return FALSE;
	a[1] = xc_open_flags(st->mq.flags);
	a[2] = st->mq.perm;
	a[3] = st->mq.maxmsg;
	a[4] = st->mq.msgsize;
	/* Shared mode, as msgget: a create while the run has no live queue of the name is
	 * exclusive, so that it makes the run's queue or meets a stranger's (EEXIST), never
	 * opens it. */
	if ((a[1] & O_CREAT) && xc_mq_must_create(r->xc, r->data->str))
		a[1] |= O_EXCL;
	return TRUE;
}

static gboolean unlink_replay(SimReplay *r)
{
	r->c->op = SIM_REAL_MQ_UNLINK;
	stmt_text(r->w, r->t, r->st, NULL, r->data);
	return xc_real_mq_text(r->xc, r->data, FALSE);
}

static gboolean send_replay(SimReplay *r)
{
	const SimStmt *st = r->st;
	gint64 *a = r->c->a;
	xc_replay_fd(r, SIM_REAL_MQ_SEND);
	a[1] = st->mq.prio;
	stmt_text(r->w, r->t, st, NULL, r->data);
	a[2] = st->mq.size != SIM_SIZE_UNSET ? st->mq.size : (gint64)r->data->len;
	if (a[2] >= 0 && (gint64)r->data->len > a[2])
		g_string_truncate(r->data, (gsize)a[2]);
	a[3] = xc_real_timeout(r->xc, r->w, r->t, st->mq.timeout, st->mq.timeout_at);
	return TRUE;
}

static gboolean receive_replay(SimReplay *r)
{
	const SimStmt *st = r->st;
	gint64 *a = r->c->a;
	xc_replay_fd(r, SIM_REAL_MQ_RECEIVE);
	const SimFile *f = sim_fdt_get(&r->t->fdt, a[0]);
	a[1] = st->mq.size != SIM_SIZE_UNSET	      ? st->mq.size
	       : f && f->kind == SIM_FILE_MQ && f->mq ? f->mq->msgsize
						      : 8192;
	a[3] = xc_real_timeout(r->xc, r->w, r->t, st->mq.timeout, st->mq.timeout_at);
	a[5] = st->mq.fill + 1; /* 0: no fill */
	if (st->mq.fill >= 0 && (guint64)a[1] > SIM_REAL_IO_MAX) {
		xc_refuse(r->xc, "a fill= buffer of more than %d bytes", SIM_REAL_IO_MAX);
		return FALSE;
	}
	return TRUE;
}

/* mq_getattr, mq_setattr, mq_notify, mq_close: a descriptor and what the statement says. */
static gboolean getattr_replay(SimReplay *r)
{
	return xc_replay_fd(r, SIM_REAL_MQ_GETATTR);
}

static gboolean setattr_replay(SimReplay *r)
{
	const SimPosixArgs *a = &r->st->mq;
	xc_replay_fd(r, SIM_REAL_MQ_SETATTR);
	r->c->a[1] = a->mqflags;
	r->c->a[2] = a->maxmsg;
	r->c->a[3] = a->msgsize;
	r->c->a[4] = a->curmsgs;
	return TRUE;
}

static gboolean notify_replay(SimReplay *r)
{
	const SimStmt *st = r->st;
	if (st->mq.notify == SIM_NOTIFY_THREAD) {
		/* SIGEV_THREAD: glibc's registration, the thread made by the worker on the
		 * channel prepared for it (real_notify.c, xcheck_notify.c). */
		gint64 n_desc;
		xc_replay_fd(r, SIM_REAL_MQ_NOTIFY_THREAD);
		xc_fork_slot(r->xc, st->mq.thread, &r->c->a[1], &n_desc);
		r->c->a[2] = st->mq.sival;
		return TRUE;
	}
	xc_replay_fd(r, SIM_REAL_MQ_NOTIFY);
	r->c->a[1] = st->mq.notify == SIM_NOTIFY_SIGNAL ? 0
		     : st->mq.notify == SIM_NOTIFY_NONE ? 1
		     : st->mq.notify == SIM_NOTIFY_OFF	? 2
							: 3;
	r->c->a[2] = st->mq.sig; /* 3: the sigev_notify value, signal 0 */
	r->c->a[3] = st->mq.notify == SIM_NOTIFY_SIGNAL ? st->mq.sival : 0; /* sigev_value */
	return TRUE;
}

/* mq_close is close(2) on Linux: a queue descriptor is a file descriptor. */
static gboolean close_replay(SimReplay *r)
{
	return xc_replay_fd(r, SIM_REAL_CLOSE);
}

/* mq_receive: the message's text and its priority. */
static void receive_model_cell(SimModelCell *mc)
{
	xc_model_data(mc);
	xc_model_ret2(mc, "prio", sim_world_call_out(mc->w)->prio);
	xc_model_untouched(mc, mc->st->mq.fill);
}

static void receive_kernel_cell(SimKernelCell *kc)
{
	xc_kernel_data(kc);
	xc_kernel_ret2(kc, "prio");
	xc_kernel_untouched(kc, kc->st->mq.fill);
}

/* mq_getattr and mq_setattr: the attributes before the call (setattr gives the old ones);
 * the descriptor's O_NONBLOCK only for getattr (with_nb). */
static void attr_model(const SimModelCell *mc, gboolean with_nb)
{
	const SimFile *f = sim_fdt_get(&mc->t->fdt, sim_interp_fd(mc->t, mc->st));
	Cell *m = mc->m;
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

static void attr_kernel(const SimKernelCell *kc, gboolean with_nb)
{
	const SimRealResult *r = kc->r;
	Cell *k = kc->k;
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

static void getattr_model_cell(SimModelCell *mc)
{
	attr_model(mc, TRUE);
}

static void getattr_kernel_cell(SimKernelCell *kc)
{
	attr_kernel(kc, TRUE);
}

/* mq_setattr: the old attributes, the old O_NONBLOCK included. */
static void setattr_model_cell(SimModelCell *mc)
{
	attr_model(mc, FALSE);
	if (mc->m->extra)
		g_string_append_printf(mc->m->extra, " nonblock=%d",
				       (sim_world_call_out(mc->w)->flags & O_NONBLOCK) != 0);
}

static void setattr_kernel_cell(SimKernelCell *kc)
{
	attr_kernel(kc, TRUE);
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

/* ---- Deadlock report ---- */

/* mq_send and mq_receive have no reaches hook: their queue is a descriptor, known only
 * when they run, so each may reach any queue. */

/* Every POSIX call reports its return value in JSON ("ret") and shows the queue after it. */
#define MQ_ROW(k, word, text, result, ...)                                                  \
	{                                                                                   \
		.kind = (k), .name = (word), .family = SIM_CALL_POSIX, .text_call = (text), \
		.text_result = (result), .json_result = sim_call_json_ret, __VA_ARGS__      \
	}

const SimCallDesc sim_call_posix_rows[] = {
	MQ_ROW(SIM_STMT_MQ_OPEN, "mq_open", open_text, open_result, .exec = mq_open_exec,
	       .parse = open_parse, .real_name = "mq_open", .replay = open_replay,
	       .footprint = names_footprint),
	MQ_ROW(SIM_STMT_MQ_SEND, "mq_send", send_text, send_result, .exec = mq_send_exec,
	       .parse = send_parse, .real_name = "mq_send", .xc_flags = SIM_CALL_XC_TIMED,
	       .replay = send_replay, .footprint = io_footprint, .blocks = TRUE,
	       .wait_role = SIM_WAIT_PUTS, .wait_obj = SIM_OBJ_MQ, .abandon = mq_abandon),
	MQ_ROW(SIM_STMT_MQ_RECEIVE, "mq_receive", receive_text, receive_result,
	       .exec = mq_receive_exec, .parse = receive_parse, .real_name = "mq_receive",
	       .xc_flags = SIM_CALL_XC_TIMED, .replay = receive_replay,
	       .model_cell = receive_model_cell, .kernel_cell = receive_kernel_cell,
	       .footprint = io_footprint, .blocks = TRUE, .wait_role = SIM_WAIT_TAKES,
	       .wait_obj = SIM_OBJ_MQ, .abandon = mq_abandon),
	MQ_ROW(SIM_STMT_MQ_GETATTR, "mq_getattr", fd_text, getattr_result, .exec = mq_getattr_exec,
	       .parse = getattr_parse, .real_name = "mq_getattr", .replay = getattr_replay,
	       .model_cell = getattr_model_cell, .kernel_cell = getattr_kernel_cell,
	       .footprint = attr_footprint),
	{ .kind = SIM_STMT_MQ_SETATTR, .name = "mq_setattr", .family = SIM_CALL_POSIX,
	  .text_call = setattr_text, .text_result = setattr_result, .json_result = setattr_json,
	  .exec = mq_setattr_exec, .parse = setattr_parse, .real_name = "mq_setattr",
	  .replay = setattr_replay, .model_cell = setattr_model_cell,
	  .kernel_cell = setattr_kernel_cell, .footprint = attr_footprint },
	MQ_ROW(SIM_STMT_MQ_NOTIFY, "mq_notify", notify_text, plain_result, .exec = mq_notify_exec,
	       .parse = notify_parse, .real_name = "mq_notify", .replay = notify_replay,
	       .footprint = attr_footprint),
	MQ_ROW(SIM_STMT_MQ_CLOSE, "mq_close", fd_text, plain_result, .exec = mq_close_exec,
	       .parse = close_parse, .real_name = "mq_close", .replay = close_replay,
	       .footprint = close_footprint),
	MQ_ROW(SIM_STMT_MQ_UNLINK, "mq_unlink", unlink_text, plain_result, .exec = mq_unlink_exec,
	       .parse = unlink_parse, .real_name = "mq_unlink", .replay = unlink_replay,
	       .footprint = names_footprint),
};
const guint sim_call_posix_n_rows = G_N_ELEMENTS(sim_call_posix_rows);
