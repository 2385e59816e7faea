/* call_file.c — the files-and-processes family: descriptors, pipes and FIFOs (pipe.h,
 * fdtable.h), and the process calls fork, wait, exit, kill and on (sigaction).
 *
 * The trace shows pipe data quoted and cut after 40 bytes (a write of 64 KiB stays one
 * line), a read at end of file as such, a write that blocked part-way with how much it
 * wrote, and the pipe's state after the call, "[pipe#1: 5 bytes in 1/16 slots, 1 reader,
 * 1 writer]", whose slot count is what F_GETPIPE_SZ and the merge rule are about.
 *
 * Parsing: a descriptor operand is read by scn_take_fd (a number, a variable or a pipe end
 * p.r/p.w), a PATH by take_path; `fork NAME { BODY }` declares the child process right where
 * it is written, after its parent, and reads its body with a copy of the parent's variables.
 */
#include "calls/call_int.h"

#include "lang/scn_int.h"

#include <signal.h>
#include <string.h>

/* ---- What the call asked for ---- */

static void pipe_text(GString *s, const SimTraceEvent *ev)
{
	g_string_append_printf(s, "pipe%s", ev->stmt->flags & SIM_O_NONBLOCK ? " nonblock" : "");
}

/* close, fork, wait: the keyword and the operand (a descriptor, a child). */
static void operand_text(GString *s, const SimTraceEvent *ev)
{
	g_string_append_printf(s, "%s %s", sim_call_desc(ev->stmt->kind)->name, ev->object);
}

/* mkfifo, open, unlink: the keyword and the path, quoted. */
static void path_text(GString *s, const SimTraceEvent *ev)
{
	g_string_append_printf(s, "%s ", sim_call_desc(ev->stmt->kind)->name);
	sim_trace_quote(s, ev->object, strlen(ev->object));
}

static void mkfifo_text(GString *s, const SimTraceEvent *ev)
{
	path_text(s, ev);
	g_string_append_printf(s, " perm=0%" G_GINT64_MODIFIER "o", ev->stmt->perm);
}

static void open_text(GString *s, const SimTraceEvent *ev)
{
	guint flags = ev->stmt->flags;
	path_text(s, ev);
	g_string_append_printf(s, " %s%s",
			       flags & SIM_O_RDWR     ? "rdwr"
			       : flags & SIM_O_WRONLY ? "wronly"
						      : "rdonly",
			       flags & SIM_O_NONBLOCK ? " nonblock" : "");
}

static void read_text(GString *s, const SimTraceEvent *ev)
{
	g_string_append_printf(s, "read %s size=%" G_GINT64_FORMAT "%s", ev->object, ev->stmt->size,
			       ev->stmt->nowait ? " nonblock" : "");
}

/* The data as written (counts[0] its bytes), and value the bytes asked for. */
static void write_text(GString *s, const SimTraceEvent *ev)
{
	g_string_append_printf(s, "write %s", ev->object);
	if (ev->text) {
		g_string_append_c(s, ' ');
		sim_trace_quote_cut(s, ev->text, (gsize)ev->counts[0]);
	}
	g_string_append_printf(s, " size=%" G_GINT64_FORMAT "%s", ev->value,
			       ev->stmt->nowait ? " nonblock" : "");
}

static void fcntl_text(GString *s, const SimTraceEvent *ev)
{
	static const char *const cmds[] = { [SIM_FCNTL_GETPIPE_SZ] = "getpipe_sz",
					    [SIM_FCNTL_SETPIPE_SZ] = "setpipe_sz",
					    [SIM_FCNTL_NONBLOCK] = "nonblock",
					    [SIM_FCNTL_BLOCK] = "block",
					    [SIM_FCNTL_FIONREAD] = "fionread" };
	const SimStmt *st = ev->stmt;
	g_string_append_printf(s, "fcntl %s %s", ev->object, cmds[st->fcntl]);
	if (st->fcntl == SIM_FCNTL_SETPIPE_SZ)
		g_string_append_printf(s, "=%" G_GINT64_FORMAT, st->size);
}

static void ioctl_text(GString *s, const SimTraceEvent *ev)
{
	g_string_append_printf(s, "ioctl %s FIONREAD", ev->object);
}

static void kill_text(GString *s, const SimTraceEvent *ev)
{
	g_string_append_printf(s, "kill %s %s", ev->other, sim_scn_signal_name(ev->stmt->sig));
}

static void on_text(GString *s, const SimTraceEvent *ev)
{
	static const char *const acts[] = { [SIM_SIG_DEFAULT] = "default",
					    [SIM_SIG_IGNORE] = "ignore",
					    [SIM_SIG_HANDLER] = "handler" };
	g_string_append_printf(s, "on %s %s", sim_scn_signal_name(ev->stmt->sig),
			       acts[ev->stmt->action]);
}

/* ---- What came of it ---- */

/* close, mkfifo, unlink, fork: the result alone, and the pipe when there is one. */
static void plain_result(GString *s, const SimTraceEvent *ev, const char *arrow)
{
	sim_call_result_head(s, ev, arrow);
	if (!ev->blocked)
		sim_trace_pipe_state(s, ev);
}

/* The two descriptors: ret is the read end, value the write end. */
static void pipe_result(GString *s, const SimTraceEvent *ev, const char *arrow)
{
	if (sim_call_result_head(s, ev, arrow))
		g_string_append_printf(s, ", fds %" G_GINT64_FORMAT " %" G_GINT64_FORMAT, ev->ret,
				       ev->value);
	if (!ev->blocked)
		sim_trace_pipe_state(s, ev);
}

/* The bytes read (ret), quoted and cut; 0 bytes from a non-empty request is end of file. */
static void read_value(GString *s, const SimTraceEvent *ev)
{
	if (ev->ret == 0 && ev->stmt->size > 0) {
		g_string_append(s, ", 0 bytes: end of file");
		return;
	}
	g_string_append_printf(s, ", %" G_GINT64_FORMAT " byte%s", ev->ret,
			       ev->ret == 1 ? "" : "s");
	if (ev->text && ev->ret) {
		g_string_append(s, ": ");
		sim_trace_quote_cut(s, ev->text, (gsize)ev->ret);
	}
}

static void read_result(GString *s, const SimTraceEvent *ev, const char *arrow)
{
	if (sim_call_result_head(s, ev, arrow))
		read_value(s, ev);
	if (!ev->blocked)
		sim_trace_pipe_state(s, ev);
}

/* ret: the bytes written so far, value: the bytes asked for. A blocked write may have
 * written part of its data already (more than PIPE_BUF bytes go in pieces). */
static void write_result(GString *s, const SimTraceEvent *ev, const char *arrow)
{
	if (ev->blocked) {
		sim_trace_blocks(s, ev);
		if (ev->ret > 0)
			g_string_append_printf(
				s, " (%" G_GINT64_FORMAT " of %" G_GINT64_FORMAT " bytes written)",
				ev->ret, ev->value);
		sim_trace_msgq_state(s, ev);
		sim_trace_mq_state(s, ev);
		sim_trace_pipe_state(s, ev);
		return;
	}
	if (sim_call_result_head(s, ev, arrow)) {
		g_string_append_printf(s, ", %" G_GINT64_FORMAT, ev->ret);
		if (ev->ret < ev->value)
			g_string_append_printf(s, " of %" G_GINT64_FORMAT, ev->value);
		g_string_append_printf(s, " byte%s", ev->value == 1 ? "" : "s");
	}
	sim_trace_pipe_state(s, ev);
}

/* F_GETPIPE_SZ and F_SETPIPE_SZ give the pipe's size in bytes; a refused F_SETPIPE_SZ
 * still says what it would have been (ret). */
static void fcntl_result(GString *s, const SimTraceEvent *ev, const char *arrow)
{
	const SimStmt *st = ev->stmt;
	if (sim_call_result_head(s, ev, arrow)) {
		if (st->fcntl == SIM_FCNTL_GETPIPE_SZ || st->fcntl == SIM_FCNTL_SETPIPE_SZ)
			g_string_append_printf(s, ", %" G_GINT64_FORMAT " bytes", ev->ret);
	} else if (!ev->blocked && ev->ret > 0) {
		g_string_append_printf(s, ", %" G_GINT64_FORMAT " bytes", ev->ret);
	}
	if (!ev->blocked)
		sim_trace_pipe_state(s, ev);
}

static void ioctl_result(GString *s, const SimTraceEvent *ev, const char *arrow)
{
	if (sim_call_result_head(s, ev, arrow))
		g_string_append_printf(s, ", %" G_GINT64_FORMAT " bytes waiting", ev->ret);
	if (!ev->blocked)
		sim_trace_pipe_state(s, ev);
}

static void wait_result(GString *s, const SimTraceEvent *ev, const char *arrow)
{
	if (sim_call_result_head(s, ev, arrow))
		g_string_append_printf(s, ", status %" G_GINT64_FORMAT, ev->ret);
	if (!ev->blocked)
		sim_trace_pipe_state(s, ev);
}

static void fd_result(GString *s, const SimTraceEvent *ev, const char *arrow)
{
	if (sim_call_result_head(s, ev, arrow))
		g_string_append_printf(s, ", fd %" G_GINT64_FORMAT, ev->ret);
	if (!ev->blocked)
		sim_trace_pipe_state(s, ev);
}

/* ---- JSON: the return value, and what the text line shows besides ---- */

static void pipe_json(GString *s, const SimTraceEvent *ev)
{
	sim_call_json_ret(s, ev);
	if (!ev->err)
		sim_trace_json_int(s, "wfd", ev->value); /* ret is the read end */
}

static void read_json(GString *s, const SimTraceEvent *ev)
{
	sim_call_json_ret(s, ev);
	if (!ev->blocked && ev->text)
		sim_trace_json_str(s, "data", ev->text, (gssize)ev->ret);
}

/* ---- Parsing ---- */

static const OptSpec pipe_opts[] = {
	FLAG_OPT("nonblock", ST(flags), SIM_O_NONBLOCK),
	OPTS_END,
};

/* pipe [nonblock] -> VAR: the variable is required, since it is the only way to the ends. */
static gboolean pipe_parse(Parser *p, SimStmt *st)
{
	StmtOpts so = { .o = { .what = "pipe", .specs = pipe_opts }, .role = ROLE_PIPE };
	if (!scn_take_stmt_opts(p, st, &so))
		return FALSE;
	if (is_word(tok(p), "nowait"))
		return scn_fail_tok(
			p, tok(p), E_SYNTAX,
			"'nowait' is not an option of pipe: write 'nonblock' (O_NONBLOCK on "
			"both ends)");
	if (!so.arrow.line)
		return scn_expected(p, "'-> VAR' after 'pipe' (a pipe needs a variable for its "
				       "ends, VAR.r and VAR.w)");
	return TRUE;
}

/* close D */
static gboolean close_parse(Parser *p, SimStmt *st)
{
	return scn_take_fd(p, st, "close", NULL);
}

/* `nonblock` is this call's own O_NONBLOCK; `nowait` mirrors it. */
static const OptSpec read_write_opts[] = {
	INT_OPT("size", ST(size), 0, G_MAXINT64),
	BOOL_OPT("nonblock", ST(nowait)),
	OPTS_END,
};

/* read D [size=N] [nonblock] [-> VAR] */
static gboolean read_parse(Parser *p, SimStmt *st)
{
	st->size = READ_SIZE; /* the buffer of a read without size= */
	if (!scn_take_fd(p, st, "read", NULL))
		return FALSE;
	StmtOpts so = { .o = { .what = "read", .specs = read_write_opts }, .role = ROLE_MESSAGE };
	return scn_take_stmt_opts(p, st, &so) && scn_no_nowait(p, "read");
}

/* write D TEXT [size=N] [nonblock]  or  write D size=N [nonblock]; the text may come among
 * the options, as in msgsnd. */
static gboolean write_parse(Parser *p, SimStmt *st)
{
	g_autofree char *ctx = NULL;
	if (!scn_take_fd(p, st, "write", &ctx))
		return FALSE;
	StmtOpts so = { .o = { .what = "write", .specs = read_write_opts },
			.role = -1,
			.text_ctx = ctx };
	if (!scn_take_stmt_opts(p, st, &so) || !scn_no_nowait(p, "write"))
		return FALSE;
	if (!so.text && !so.o.seen[0].line)
		return scn_expected(p, "a text in double quotes or size=N %s", ctx);
	return TRUE;
}

/* fcntl D getpipe_sz | setpipe_sz=N | nonblock | block: one command, in SimFcntlCmd order. */
static gboolean fcntl_parse(Parser *p, SimStmt *st)
{
	static const char *const cmds[] = { "getpipe_sz", "setpipe_sz", "nonblock", "block", NULL };
	static const char *const list = "getpipe_sz, setpipe_sz=N, nonblock or block";
	g_autofree char *ctx = NULL;
	if (!scn_take_fd(p, st, "fcntl", &ctx))
		return FALSE;
	const Tok *t = tok(p), *eq = peek(p, 1);
	if (t->kind != TOK_WORD)
		return scn_expected(p, "%s %s", list, ctx);
	int c = scn_pick(t->text, cmds);
	if (is_word(t, "fionread"))
		return scn_fail_tok(
			p, t, E_SYNTAX,
			"'fionread' is a request of ioctl, not a command of fcntl: write "
			"'ioctl D fionread'");
	if (c < 0)
		return scn_fail_tok(p, t, E_SYNTAX, "bad fcntl command '%s': expected %s", t->text,
				    list);
	st->fcntl = (SimFcntlCmd)c;
	if (st->fcntl == SIM_FCNTL_SETPIPE_SZ && !is_char(eq, '='))
		return scn_expected_at(p, eq, "'=' after 'setpipe_sz'");
	if (st->fcntl != SIM_FCNTL_SETPIPE_SZ && is_char(eq, '='))
		return scn_fail_tok(p, eq, E_SYNTAX, "unexpected '=' after '%s': it takes no value",
				    t->text);
	advance(p);
	if (st->fcntl == SIM_FCNTL_SETPIPE_SZ) {
		advance(p);
		/* Any size parses: the kernel's EINVAL for a bad one is part of the lesson. */
		if (!scn_take_int(p, "setpipe_sz", "after 'setpipe_sz='", G_MININT64, G_MAXINT64,
				  &st->size))
			return FALSE;
	}
	const Tok *again = tok(p);
	if (again->kind == TOK_WORD && scn_pick(again->text, cmds) >= 0)
		return scn_fail_tok(
			p, again, E_SYNTAX,
			"a second fcntl command '%s' (after '%s' at %u:%u): fcntl takes one "
			"of %s",
			again->text, cmds[c], t->loc.line, t->loc.col, list);
	return TRUE;
}

/* ioctl D fionread */
static gboolean ioctl_parse(Parser *p, SimStmt *st)
{
	g_autofree char *ctx = NULL;
	if (!scn_take_fd(p, st, "ioctl", &ctx))
		return FALSE;
	const Tok *t = tok(p);
	if (t->kind != TOK_WORD)
		return scn_expected(p, "fionread %s", ctx);
	if (!is_word(t, "fionread"))
		return scn_fail_tok(p, t, E_SYNTAX, "bad ioctl request '%s': expected fionread",
				    t->text);
	st->fcntl = SIM_FCNTL_FIONREAD;
	advance(p);
	return TRUE;
}

/* The PATH of mkfifo, open and unlink: any string, for the file system to judge; it may use
 * $ variables like a message ("/tmp/fifo$index"). st->text holds it. */
static gboolean take_path(Parser *p, SimStmt *st, const char *how)
{
	const Tok *t = tok(p);
	if (t->kind != TOK_STRING)
		return scn_expected(p, "a path in double quotes, like \"/tmp/fifo\", after '%s'",
				    how);
	if (!scn_parse_text(p, t, &st->text))
		return FALSE;
	advance(p);
	return TRUE;
}

static const OptSpec mkfifo_opts[] = {
	MODE_OPT("perm", ST(perm)),
	OPTS_END,
};

/* mkfifo PATH [perm=MODE] */
static gboolean mkfifo_parse(Parser *p, SimStmt *st)
{
	st->perm = FIFO_MODE; /* the mode of a FIFO made without perm= */
	if (!take_path(p, st, "mkfifo"))
		return FALSE;
	StmtOpts so = { .o = { .what = "mkfifo", .specs = mkfifo_opts }, .role = -1 };
	return scn_take_stmt_opts(p, st, &so);
}

static const OptSpec open_opts[] = {
	ACCESS_OPT("rdonly", ST(flags), SIM_O_RDONLY),
	ACCESS_OPT("wronly", ST(flags), SIM_O_WRONLY),
	ACCESS_OPT("rdwr", ST(flags), SIM_O_RDWR),
	FLAG_OPT("nonblock", ST(flags), SIM_O_NONBLOCK),
	OPTS_END,
};

/* open PATH [rdonly|wronly|rdwr] [nonblock] [-> VAR], the options and `-> VAR` in any order. */
static gboolean open_parse(Parser *p, SimStmt *st)
{
	if (!take_path(p, st, "open"))
		return FALSE;
	StmtOpts so = { .o = { .what = "open", .specs = open_opts }, .role = ROLE_FD };
	if (!scn_take_stmt_opts(p, st, &so))
		return FALSE;
	if (!(st->flags & ACCESS_MODES))
		st->flags |= SIM_O_RDONLY; /* O_RDONLY is 0 in C: what no access word means */
	const Tok *t = tok(p);
	if (is_word(t, "create") || is_word(t, "excl"))
		return scn_fail_tok(
			p, t, E_SYNTAX,
			"'%s' is not an option of open: it opens a FIFO that exists (make one "
			"with 'mkfifo PATH')",
			t->text);
	return TRUE;
}

/* unlink PATH */
static gboolean unlink_parse(Parser *p, SimStmt *st)
{
	return take_path(p, st, "unlink");
}

/* fork NAME { BODY }. The child is appended to the processes here, so it follows its parent
 * (and the children forked before it, with theirs) without moving any index handed out so
 * far; it copies the parent's declared options, and its body starts with the parent's
 * variable slots as they are now. */
static gboolean fork_parse(Parser *p, SimStmt *st)
{
	BodyBuilder *b = p->body;
	g_autofree char *name = NULL;
	SimLoc loc;
	if (b->n_procs > 1)
		return scn_fail_at(
			p, st->loc, E_MISUSE,
			"'fork' in replicated process '%s[%u]': each fork names one child, "
			"and %u replicas cannot all make it (expected fork in a process "
			"that is not replicated)",
			b->name, b->n_procs, b->n_procs);
	if (b->depth > 0)
		return scn_fail_at(
			p, st->loc, E_MISUSE,
			"'fork' inside a repeat or loop: each fork names one child, so it "
			"runs at most once (expected it outside every repeat and loop)");
	if (!scn_take_name(p, "a process name after 'fork'", &name, &loc) ||
	    !scn_not_reserved(p, name, loc, "process"))
		return FALSE;
	/* The child gets a copy of each slot, so each must have its value by now. A fork is
	 * in no loop, so what is written before it has run before it. */
	for (guint i = 0; i < b->vars->len; i++) {
		const VarInfo *v = &g_array_index(b->vars, VarInfo, i);
		if (!v->assigned)
			return scn_fail_at(
				p, v->use_loc, E_NAME,
				"variable '%s' is used before 'fork %s' (at %u:%u) but not "
				"set before it: the child starts with a copy of the "
				"variables set before the fork",
				v->name, name, st->loc.line, st->loc.col);
	}
	guint index = p->procs->len;
	if (index + 1 > SIM_SCN_MAX_PROCS)
		return scn_fail_at(
			p, loc, SIM_SCN_ERROR_LIMIT,
			"too many processes: 'fork %s' makes one more than %d (a scenario "
			"may have at most %d, replicas and forked children included)",
			name, SIM_SCN_MAX_PROCS, SIM_SCN_MAX_PROCS);
	/* Each child copies every slot of its parent, so forks times variables could grow
	 * much faster than the file: the copies are counted and capped. */
	if (b->vars->len > SIM_SCN_MAX_SLOTS - p->n_slots)
		return scn_fail_at(
			p, loc, SIM_SCN_ERROR_LIMIT,
			"too many copied variables: 'fork %s' copies the %u variables of "
			"'%s', and forked children may hold at most %d copies in all",
			name, b->vars->len, b->name, SIM_SCN_MAX_SLOTS);
	p->n_slots += b->vars->len;
	SimScnProc child = g_array_index(p->procs, SimScnProc, b->proc);
	child.name = g_strdup(name);
	child.loc = loc;
	child.start = SIM_START_FORK;
	child.start_time = 0;
	child.start_after = -1;
	child.parent = (int)b->proc;
	child.replica = 0;
	child.body = NULL;
	g_array_append_val(p->procs, child);
	if (!scn_declare(p, name, loc, NAME_PROC, index))
		return FALSE;
	st->ep = (SimEndpoint){ SIM_EP_PROC, (int)index, loc, SIM_FD_PLAIN };
	st->n_inherit = b->vars->len;
	g_array_append_val(b->forks, index);
	g_autofree char *ctx = g_strdup_printf("to start the body of 'fork %s'", name);
	SimScnBody *body = scn_parse_body(p, ctx, index, 1, name, b);
	if (!body)
		return FALSE;
	g_array_index(p->procs, SimScnProc, index).body = body;
	return TRUE;
}

/* wait NAME [-> VAR]: NAME is checked against the body's forks when the body ends. */
static gboolean wait_parse(Parser *p, SimStmt *st)
{
	WaitUse w = { st->id, NULL, { 0, 0 } };
	SimLoc arrow = { 0, 0 };
	if (!scn_take_name(p, "a child process name after 'wait'", &w.name, &w.loc))
		return FALSE;
	st->ep = (SimEndpoint){ SIM_EP_PROC, -1, w.loc, SIM_FD_PLAIN };
	g_array_append_val(p->body->waits, w);
	return !at_arrow(p) || scn_take_arrow(p, st, ROLE_STATUS, &arrow);
}

/* exit [STATUS]: 0 to 255; without one the process exits with 0. */
static gboolean exit_parse(Parser *p, SimStmt *st)
{
	return !(is_number_word(tok(p)) || at_negative(p)) ||
	       scn_take_int(p, "exit status", "after 'exit'", 0, 255, &st->count);
}

/* kill PROC SIGNAME: the process is the statement's endpoint (SIM_EP_PROC). */
static gboolean kill_parse(Parser *p, SimStmt *st)
{
	g_autofree char *proc = NULL;
	SimLoc loc;
	if (!scn_take_name(p, "a process name after 'kill'", &proc, &loc))
		return FALSE;
	st->ep = (SimEndpoint){ SIM_EP_PROC, -1, loc, SIM_FD_PLAIN };
	scn_add_ref(p, REF_KILL, proc, loc, st->id, 0, "after 'kill'");
	g_autofree char *ctx = g_strdup_printf("after 'kill %s'", proc);
	const Tok *t = tok(p);
	if (!scn_take_signal(p, ctx, &st->sig))
		return FALSE;
	if (st->sig == SIGSTOP || st->sig == SIGCONT)
		return scn_fail_tok(p, t, E_MISUSE, "not supported yet: stopping processes (%s)",
				    t->text);
	return TRUE;
}

/* on SIGNAME handler [norestart] | ignore | default */
static gboolean on_parse(Parser *p, SimStmt *st)
{
	const Tok *t = tok(p);
	if (!scn_take_signal(p, "after 'on'", &st->sig))
		return FALSE;
	if (st->sig == SIGKILL || st->sig == SIGSTOP)
		return scn_fail_tok(p, t, E_MISUSE,
				    "%s cannot be caught or ignored: 'on %s' is not allowed",
				    t->text, t->text);
	g_autofree char *ctx = g_strdup_printf("after 'on %s'", t->text);
	int a = scn_take_choice(p, "signal action", ctx, scn_action_names);
	st->action = (SimSigAction)MAX(a, 0);
	if (a < 0)
		return FALSE;
	const Tok *n = tok(p);
	if (!is_word(n, "norestart"))
		return TRUE;
	if (st->action != SIM_SIG_HANDLER)
		return scn_fail_tok(
			p, n, E_SYNTAX,
			"unexpected 'norestart' after 'on %s %s': only 'handler' takes it (a "
			"handler without SA_RESTART)",
			t->text, scn_action_names[a]);
	st->norestart = TRUE;
	advance(p);
	return TRUE;
}

/* The fields every row spells the same way; each row's braces hold them and, a line each,
 * the hooks of the other layers. */
#define FILE_ROW(k, word, o, text, result, json)                                              \
	.kind = (k), .name = (word), .family = SIM_CALL_FILE, .op = (o), .text_call = (text), \
	.text_result = (result), .json_result = (json)

const SimCallDesc sim_call_file_rows[] = {
	{
		FILE_ROW(SIM_STMT_PIPE, "pipe", SIM_OP_FILE, pipe_text, pipe_result, pipe_json),
		.parse = pipe_parse,
	},
	{
		FILE_ROW(SIM_STMT_CLOSE, "close", SIM_OP_FILE, operand_text, plain_result,
			 sim_call_json_ret),
		.parse = close_parse,
	},
	{
		FILE_ROW(SIM_STMT_READ, "read", SIM_OP_FILE, read_text, read_result, read_json),
		.parse = read_parse,
	},
	{
		FILE_ROW(SIM_STMT_WRITE, "write", SIM_OP_FILE, write_text, write_result,
			 sim_call_json_ret),
		.parse = write_parse,
	},
	{
		FILE_ROW(SIM_STMT_FCNTL, "fcntl", SIM_OP_FILE, fcntl_text, fcntl_result,
			 sim_call_json_ret),
		.parse = fcntl_parse,
	},
	{
		FILE_ROW(SIM_STMT_IOCTL, "ioctl", SIM_OP_FILE, ioctl_text, ioctl_result,
			 sim_call_json_ret),
		.parse = ioctl_parse,
	},
	{
		FILE_ROW(SIM_STMT_MKFIFO, "mkfifo", SIM_OP_FILE, mkfifo_text, plain_result,
			 sim_call_json_ret),
		.parse = mkfifo_parse,
	},
	{
		FILE_ROW(SIM_STMT_OPEN, "open", SIM_OP_FILE, open_text, fd_result,
			 sim_call_json_ret),
		.parse = open_parse,
	},
	{
		FILE_ROW(SIM_STMT_UNLINK, "unlink", SIM_OP_FILE, path_text, plain_result,
			 sim_call_json_ret),
		.parse = unlink_parse,
	},
	{
		FILE_ROW(SIM_STMT_FORK, "fork", SIM_OP_FORK, operand_text, plain_result,
			 sim_call_json_ret),
		.parse = fork_parse,
	},
	{
		FILE_ROW(SIM_STMT_WAIT, "wait", SIM_OP_WAIT, operand_text, wait_result,
			 sim_call_json_ret),
		.parse = wait_parse,
	},
	{
		FILE_ROW(SIM_STMT_KILL, "kill", SIM_OP_KILL, kill_text, sim_call_text_result,
			 sim_call_json_ret),
		.parse = kill_parse,
	},
	{
		FILE_ROW(SIM_STMT_ON, "on", SIM_OP_ON, on_text, sim_call_text_result,
			 sim_call_json_ret),
		.parse = on_parse,
	},
	/* Traced as an exit event (SIM_TR_EXIT), never as a call. */
	{
		FILE_ROW(SIM_STMT_EXIT, "exit", SIM_OP_EXIT, NULL, NULL, NULL),
		.parse = exit_parse,
	},
};
const guint sim_call_file_n_rows = G_N_ELEMENTS(sim_call_file_rows);
