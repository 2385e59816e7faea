/* call_fd.c — the files family's descriptor calls: close, dup, dup2, dup3, fcntl, ioctl
 * (fdtable.h, fs/fcntl.c, fs/file.c). The pipes, FIFOs and their data (pipe, read, write,
 * mkfifo, open, unlink) are in call_file.c, which shares its trace and execution helpers
 * through calls/call_file_int.h; both files' rows belong to the same family and keep their
 * arguments in the statement's `file` member.
 *
 * The one design choice to know: fcntl's commands are rows of a table of their own
 * (fcntl_cmds), each with its parse word, its run function, what the trace adds and the
 * real call the cross-check makes; a new command is a row and a run function. ioctl's one
 * request runs through the same machinery.
 *
 * These calls never block: each acts on the descriptor table or on the open file
 * description behind a descriptor, then wakes whoever its change released (a dup2 that
 * closed the last writer of a pipe wakes its readers).
 */
#define _GNU_SOURCE /* F_GETPIPE_SZ */

#include "calls/call_int.h"

#include <fcntl.h>
#include <string.h>

#include "msgsim/kernel/pipe.h"
#include "msgsim/kernel/sock.h"

#include "calls/call_file_int.h"
#include "engine/interp_int.h"
#include "lang/scn_int.h"
#include "real/xcheck_int.h"

/* ---- Parsing and more: fcntl's commands ----
 *
 * One row per command of `fcntl D CMD`: how the scenario writes it, what it does to the open
 * file description, what the trace adds to its result, and the real call the cross-check
 * makes. A new command is a row here and its run function: nothing else in the project
 * names fcntl's commands (the statement keeps the row's index, file.fcntl).
 */
/* A name the scenario may write for a bit of a command's argument (setfl=nonblock|append). */
typedef struct FlagWord {
	const char *word;
	long value; /* as the kernel numbers it */
} FlagWord;

typedef struct FcntlCmd {
	const char *word;    /* as the scenario and the trace write it */
	gboolean takes_size; /* written word=N: N is file.size and the real call's argument */
	const FlagWord *words; /* names N may be written with, joined by '|' (NULL-ended), or NULL */
	gboolean changes;    /* it changes the description or its pipe (the footprint) */
	gboolean own;	     /* it works on the descriptor's own flags (FD_CLOEXEC): the task's
			      * table, not the description or its object (the footprint) */
	int cmd;	     /* the kernel's F_* for the real call */
	long arg;	     /* the real call's argument when the scenario gives none */
	/* Runs it on description f (p: its pipe, or NULL): the errno; *ret: the result. */
	int (*run)(SimWorld *w, SimTask *t, const SimStmt *st, SimFile *f, SimPipe *p, gint64 *ret);
	/* What the trace adds to a successful result (", 65536 bytes"); NULL: nothing. */
	void (*shows)(GString *s, gint64 ret);
	/* Bits of the kernel's result that the runner itself put there, not the scenario: the
	 * cross-check's workers open every path with O_NOFOLLOW, which F_GETFL reports. */
	long runner_bits;
} FcntlCmd;

static void shows_bytes(GString *s, gint64 ret)
{
	g_string_append_printf(s, ", %" G_GINT64_FORMAT " bytes", ret);
}

/* F_GETPIPE_SZ: the pipe's capacity; anything but a pipe is EBADF (pipe_fcntl). */
static int getpipe_sz_run(SimWorld *w, SimTask *t, const SimStmt *st, SimFile *f, SimPipe *p,
			  gint64 *ret)
{
	(void)w, (void)t, (void)st, (void)f;
	if (!p)
		return EBADF;
	*ret = sim_pipe_size(p);
	return 0;
}

/* F_SETPIPE_SZ: pipe_set_size's rounding and refusals; the ring is charged anew. */
static int setpipe_sz_run(SimWorld *w, SimTask *t, const SimStmt *st, SimFile *f, SimPipe *p,
			  gint64 *ret)
{
	(void)f;
	if (!p)
		return EBADF;
	SimPipeCtx c = { .wake = &w->wake,
			 .users = &w->pipe_users,
			 .privileged = (t->cred.caps & (SIM_CAP_SYS_RESOURCE | SIM_CAP_SYS_ADMIN)) != 0 };
	w->mem -= sim_pipe_bytes(p); /* the ring may change size */
	*ret = sim_pipe_set_size(p, &c, st->file.size, (t->cred.caps & SIM_CAP_SYS_RESOURCE) != 0);
	w->mem += sim_pipe_bytes(p);
	return *ret < 0 ? (int)-*ret : 0;
}

/* The flags F_SETFL may change (the kernel's SETFL_MASK); the access mode, O_LARGEFILE and
 * every other bit of its argument are ignored without an error. */
#define SETFL_MASK (O_APPEND | O_NONBLOCK | FASYNC | O_DIRECT | O_NOATIME)

/* The owner of the inode behind f, for O_NOATIME's check: pipe(2)'s caller, the FIFO's
 * maker, the queue's creator. */
static gint64 file_owner(const SimFile *f)
{
	if (f->kind == SIM_FILE_MQ)
		return f->mq->perm.uid;
	if (f->kind == SIM_FILE_SOCK)
		return f->sock->uid;
	return f->pipe->fifo ? f->pipe->fifo->uid : f->pipe->uid;
}

/* F_SETFL as fs/fcntl.c's setfl runs it: the argument is an unsigned int; the checks come
 * in its order (O_NOATIME needs the inode's owner or CAP_FOWNER: EPERM; O_DIRECT a file
 * that can do it, which a queue's cannot: EINVAL); FASYNC sticks only where the file has a
 * fasync operation, which pipes and FIFOs have and a queue's file has not. The flags
 * belong to the description: every descriptor and every process sharing it sees them. */
static int set_status_flags(const SimTask *t, SimFile *f, guint arg)
{
	guint now = f->fl | (f->flags & SIM_O_NONBLOCK ? O_NONBLOCK : 0);
	if ((arg & O_NOATIME) && !(now & O_NOATIME) && t->cred.uid != 0 &&
	    t->cred.uid != file_owner(f))
		return EPERM;
	if ((arg & O_DIRECT) && f->kind == SIM_FILE_MQ)
		return EINVAL;
	if (f->kind == SIM_FILE_MQ)
		arg &= ~(guint)FASYNC;
	arg &= SETFL_MASK;
	f->flags = (f->flags & ~(guint)SIM_O_NONBLOCK) | (arg & O_NONBLOCK ? SIM_O_NONBLOCK : 0);
	f->fl = arg & ~(guint)O_NONBLOCK;
	return 0;
}

/* `nonblock` and `block`: F_SETFL with O_NONBLOCK alone, or nothing, which also clears the
 * description's other flags (O_APPEND ...) as the kernel's F_SETFL does. */
static int nonblock_run(SimWorld *w, SimTask *t, const SimStmt *st, SimFile *f, SimPipe *p,
			gint64 *ret)
{
	(void)w, (void)st, (void)p, (void)ret;
	return set_status_flags(t, f, O_NONBLOCK);
}

static int block_run(SimWorld *w, SimTask *t, const SimStmt *st, SimFile *f, SimPipe *p,
		     gint64 *ret)
{
	(void)w, (void)st, (void)p, (void)ret;
	return set_status_flags(t, f, 0);
}

/* setfl=FLAGS: F_SETFL with the scenario's argument. */
static int setfl_run(SimWorld *w, SimTask *t, const SimStmt *st, SimFile *f, SimPipe *p,
		     gint64 *ret)
{
	(void)w, (void)p, (void)ret;
	return set_status_flags(t, f, (guint)st->file.size);
}

/* F_GETFD: the descriptor's own FD_CLOEXEC, which a dup or a fork's copy does not share. */
static int getfd_run(SimWorld *w, SimTask *t, const SimStmt *st, SimFile *f, SimPipe *p,
		     gint64 *ret)
{
	(void)w, (void)f, (void)p;
	*ret = sim_fdt_fdfl(&t->fdt, sim_interp_fd(t, st)) & SIM_FD_CLOEXEC ? FD_CLOEXEC : 0;
	return 0;
}

/* F_SETFD: the kernel reads the argument as an int and keeps its FD_CLOEXEC bit alone. */
static int setfd_run(SimWorld *w, SimTask *t, const SimStmt *st, SimFile *f, SimPipe *p,
		     gint64 *ret)
{
	(void)w, (void)f, (void)p, (void)ret;
	gboolean on = ((int)st->file.size & FD_CLOEXEC) != 0;
	sim_fdt_set_fdfl(&t->fdt, sim_interp_fd(t, st), on ? SIM_FD_CLOEXEC : 0);
	return 0;
}

/* ioctl FIONREAD: the bytes in the pipe. A POSIX queue's descriptor is a file of mqueuefs
 * whose size is the 80 bytes of its QSIZE line: the generic FIONREAD gives size - offset. */
static int fionread_run(SimWorld *w, SimTask *t, const SimStmt *st, SimFile *f, SimPipe *p,
			gint64 *ret)
{
	(void)w, (void)t, (void)st, (void)f;
	*ret = p ? (gint64)p->bytes : SIM_MQ_FILE_SIZE;
	return 0;
}

/* The kernel's O_LARGEFILE. 64-bit C libraries define it as 0, since open(2) forces it there
 * (force_o_largefile), but F_GETFL shows the bit: asm-generic's value, or the architecture's. */
#if defined(__aarch64__) || defined(__arm__)
#define KERNEL_O_LARGEFILE 0400000
#elif defined(__powerpc__)
#define KERNEL_O_LARGEFILE 0200000
#else
#define KERNEL_O_LARGEFILE 0100000
#endif

/* F_GETFL: the description's access mode and status flags, as the kernel keeps them (those
 * F_SETFL set among them). A
 * FIFO's description comes from open(2), which adds O_LARGEFILE; pipe(2)'s ends and
 * mq_open's descriptors do not have it. O_CREAT and O_EXCL are not kept (do_dentry_open). */
static int getfl_run(SimWorld *w, SimTask *t, const SimStmt *st, SimFile *f, SimPipe *p,
		     gint64 *ret)
{
	(void)w, (void)t, (void)st;
	gint64 v = f->flags & SIM_O_RDWR ? O_RDWR : f->flags & SIM_O_WRONLY ? O_WRONLY : O_RDONLY;
	if (f->flags & SIM_O_NONBLOCK)
		v |= O_NONBLOCK;
	v |= f->fl;
	if (p && p->is_fifo)
		v |= KERNEL_O_LARGEFILE;
	*ret = v;
	return 0;
}

/* ", O_RDWR|O_NONBLOCK|O_LARGEFILE": F_GETFL's result by name. */
static void shows_flags(GString *s, gint64 ret)
{
	static const char *const modes[] = { "O_RDONLY", "O_WRONLY", "O_RDWR", "O_ACCMODE" };
	static const FlagWord names[] = {
		{ "O_APPEND", O_APPEND },	    { "O_NONBLOCK", O_NONBLOCK },
		{ "O_DIRECT", O_DIRECT },	    { "O_LARGEFILE", KERNEL_O_LARGEFILE },
		{ "O_NOATIME", O_NOATIME },	    { "FASYNC", FASYNC },
	};
	g_string_append_printf(s, ", %s", modes[ret & O_ACCMODE]);
	for (guint i = 0; i < G_N_ELEMENTS(names); i++)
		if (ret & names[i].value)
			g_string_append_printf(s, "|%s", names[i].word);
}

/* ", FD_CLOEXEC" or ", 0": F_GETFD's result. */
static void shows_fdflags(GString *s, gint64 ret)
{
	g_string_append(s, ret & FD_CLOEXEC ? ", FD_CLOEXEC" : ", 0");
}

/* setfl=: the flags F_SETFL keeps, and the access modes it ignores (O_RDONLY is 0). */
static const FlagWord setfl_words[] = {
	{ "nonblock", O_NONBLOCK }, { "append", O_APPEND }, { "direct", O_DIRECT },
	{ "async", FASYNC },	    { "noatime", O_NOATIME }, { "rdonly", O_RDONLY },
	{ "wronly", O_WRONLY },	    { "rdwr", O_RDWR },	      { NULL, 0 },
};

static const FlagWord setfd_words[] = {
	{ "cloexec", FD_CLOEXEC },
	{ NULL, 0 },
};

static const FcntlCmd fcntl_cmds[] = {
	{ .word = "getpipe_sz", .cmd = F_GETPIPE_SZ, .run = getpipe_sz_run, .shows = shows_bytes },
	{ .word = "setpipe_sz",
	  .takes_size = TRUE,
	  .changes = TRUE,
	  .cmd = F_SETPIPE_SZ,
	  .run = setpipe_sz_run,
	  .shows = shows_bytes },
	{ .word = "nonblock",
	  .changes = TRUE,
	  .cmd = F_SETFL,
	  .arg = O_NONBLOCK,
	  .run = nonblock_run },
	{ .word = "block", .changes = TRUE, .cmd = F_SETFL, .arg = 0, .run = block_run },
	{ .word = "getfl",
	  .cmd = F_GETFL,
	  .run = getfl_run,
	  .shows = shows_flags,
	  .runner_bits = O_NOFOLLOW },
	{ .word = "setfl",
	  .takes_size = TRUE,
	  .words = setfl_words,
	  .changes = TRUE,
	  .cmd = F_SETFL,
	  .run = setfl_run },
	{ .word = "getfd", .own = TRUE, .cmd = F_GETFD, .run = getfd_run, .shows = shows_fdflags },
	{ .word = "setfd",
	  .takes_size = TRUE,
	  .words = setfd_words,
	  .changes = TRUE,
	  .own = TRUE,
	  .cmd = F_SETFD,
	  .run = setfd_run },
};

/* ioctl's one request, run as the commands are (its own row: ioctl's trace and replay). */
static const FcntlCmd fionread_cmd = { .word = "fionread", .run = fionread_run };

const char *sim_call_fcntl_word(guint cmd)
{
	return cmd < G_N_ELEMENTS(fcntl_cmds) ? fcntl_cmds[cmd].word : NULL;
}

/* ---- What the call asked for ---- */

/* dup3's flags as the kernel gets them: flags=N with O_CLOEXEC for `cloexec`. */
static gint64 dup3_flags(const SimStmt *st)
{
	return st->file.dupfl | (st->file.flags & SIM_O_CLOEXEC ? O_CLOEXEC : 0);
}

/* close: the keyword and the descriptor. */
static void operand_text(GString *s, const SimTraceEvent *ev)
{
	g_string_append_printf(s, "%s %s", sim_call_desc(ev->stmt->kind)->name, ev->object);
}

/* "=nonblock|append" when the command names its bits and they name the whole value, else
 * "=N". */
static void fcntl_value_text(GString *s, const FcntlCmd *cmd, gint64 v)
{
	gint64 named = 0;
	gsize at = s->len;
	for (const FlagWord *fw = cmd->words; v > 0 && fw && fw->word; fw++) {
		if (fw->value && (v & fw->value) == fw->value && !(named & fw->value)) {
			g_string_append_printf(s, "%c%s", named ? '|' : '=', fw->word);
			named |= fw->value;
		}
	}
	if (named == v && v > 0)
		return;
	g_string_truncate(s, at);
	g_string_append_printf(s, "=%" G_GINT64_FORMAT, v);
}

static void fcntl_text(GString *s, const SimTraceEvent *ev)
{
	const SimStmt *st = ev->stmt;
	const FcntlCmd *cmd = &fcntl_cmds[st->file.fcntl];
	g_string_append_printf(s, "fcntl %s %s", ev->object, cmd->word);
	if (cmd->takes_size)
		fcntl_value_text(s, cmd, st->file.size);
}

/* dup D, dup2 D N, dup3 D N [cloexec|flags=N]: the new descriptor as the scenario wrote it. */
static void dup_text(GString *s, const SimTraceEvent *ev)
{
	const SimStmt *st = ev->stmt;
	g_string_append_printf(s, "%s %s", sim_call_desc(st->kind)->name, ev->object);
	if (st->kind != SIM_STMT_DUP)
		g_string_append_printf(s, " %" G_GINT64_FORMAT, st->file.target);
	gint64 fl = dup3_flags(st);
	if (fl == O_CLOEXEC)
		g_string_append(s, " cloexec");
	else if (fl)
		g_string_append_printf(s, " flags=%" G_GINT64_FORMAT, fl);
}

static void ioctl_text(GString *s, const SimTraceEvent *ev)
{
	g_string_append_printf(s, "ioctl %s FIONREAD", ev->object);
}

/* ---- What came of it ---- */

/* F_GETPIPE_SZ and F_SETPIPE_SZ give the pipe's size in bytes; a refused F_SETPIPE_SZ
 * still says what it would have been (ret). */
static void fcntl_result(GString *s, const SimTraceEvent *ev, const char *arrow)
{
	const FcntlCmd *cmd = &fcntl_cmds[ev->stmt->file.fcntl];
	if (sim_call_result_head(s, ev, arrow)) {
		if (cmd->shows)
			cmd->shows(s, ev->ret);
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

/* ---- Parsing ---- */

/* close D */
static gboolean close_parse(Parser *p, SimStmt *st)
{
	st->file = sim_call_file_defaults;
	return scn_take_fd(p, st, "close", NULL);
}

/* The command word of fcntl: its row in fcntl_cmds, or -1. */
static int fcntl_pick(const char *word)
{
	for (guint i = 0; i < G_N_ELEMENTS(fcntl_cmds); i++)
		if (strcmp(fcntl_cmds[i].word, word) == 0)
			return (int)i;
	return -1;
}

/* The value after CMD=: a number, or for a command with flag words, words and numbers
 * joined by '|' (setfl=nonblock|append), OR-ed together. */
static gboolean fcntl_take_value(Parser *p, const FcntlCmd *cmd, gint64 *out)
{
	g_autofree char *after = g_strdup_printf("after '%s='", cmd->word);
	*out = 0;
	for (;;) {
		const Tok *t = tok(p);
		const FlagWord *fw = cmd->words;
		while (fw && fw->word && !(t->kind == TOK_WORD && strcmp(t->text, fw->word) == 0))
			fw++;
		gint64 v = 0;
		if (fw && fw->word) {
			v = fw->value;
			advance(p);
		} else if (!scn_take_int(p, cmd->word, after, G_MININT64, G_MAXINT64, &v)) {
			/* Any number parses: the kernel's answer to a bad one is part of the
			 * lesson. */
			return FALSE;
		}
		*out |= v;
		if (!cmd->words || !is_char(tok(p), '|'))
			return TRUE;
		advance(p);
	}
}

/* fcntl D CMD, or CMD=N for a command that takes a number: one command of fcntl_cmds. */
static gboolean fcntl_parse(Parser *p, SimStmt *st)
{
	st->file = sim_call_file_defaults;
	g_autofree char *ctx = NULL;
	g_autoptr(GString) list = g_string_new(NULL);
	for (guint i = 0; i < G_N_ELEMENTS(fcntl_cmds); i++)
		g_string_append_printf(list, "%s%s%s",
				       i == 0				  ? ""
				       : i + 1 < G_N_ELEMENTS(fcntl_cmds) ? ", "
									  : " or ",
				       fcntl_cmds[i].word,
				       !fcntl_cmds[i].takes_size ? ""
				       : fcntl_cmds[i].words	 ? "=FLAGS"
								 : "=N");
	if (!scn_take_fd(p, st, "fcntl", &ctx))
		return FALSE;
	const Tok *t = tok(p), *eq = peek(p, 1);
	if (t->kind != TOK_WORD)
		return scn_expected(p, "%s %s", list->str, ctx);
	int c = fcntl_pick(t->text);
	if (is_word(t, "fionread"))
		return scn_fail_tok(
			p, t, E_SYNTAX,
			"'fionread' is a request of ioctl, not a command of fcntl: write "
			"'ioctl D fionread'");
	if (c < 0)
		return scn_fail_tok(p, t, E_SYNTAX, "bad fcntl command '%s': expected %s", t->text,
				    list->str);
	const FcntlCmd *cmd = &fcntl_cmds[c];
	st->file.fcntl = (guint)c;
	if (cmd->takes_size && !is_char(eq, '='))
		return scn_expected_at(p, eq, "'=' after '%s'", cmd->word);
	if (!cmd->takes_size && is_char(eq, '='))
		return scn_fail_tok(p, eq, E_SYNTAX, "unexpected '=' after '%s': it takes no value",
				    t->text);
	advance(p);
	if (cmd->takes_size) {
		advance(p);
		if (!fcntl_take_value(p, cmd, &st->file.size))
			return FALSE;
	}
	const Tok *again = tok(p);
	if (again->kind == TOK_WORD && fcntl_pick(again->text) >= 0)
		return scn_fail_tok(
			p, again, E_SYNTAX,
			"a second fcntl command '%s' (after '%s' at %u:%u): fcntl takes one "
			"of %s",
			again->text, cmd->word, t->loc.line, t->loc.col, list->str);
	return TRUE;
}

/* ioctl D fionread */
static gboolean ioctl_parse(Parser *p, SimStmt *st)
{
	st->file = sim_call_file_defaults;
	g_autofree char *ctx = NULL;
	if (!scn_take_fd(p, st, "ioctl", &ctx))
		return FALSE;
	const Tok *t = tok(p);
	if (t->kind != TOK_WORD)
		return scn_expected(p, "fionread %s", ctx);
	if (!is_word(t, "fionread"))
		return scn_fail_tok(p, t, E_SYNTAX, "bad ioctl request '%s': expected fionread",
				    t->text);
	advance(p);
	return TRUE;
}

static const OptSpec dup_opts[] = {
	OPTS_END,
};

static const OptSpec dup3_opts[] = {
	FLAG_OPT("cloexec", ST(file.flags), SIM_O_CLOEXEC),
	INT_OPT("flags", ST(file.dupfl), G_MININT64, G_MAXINT64),
	OPTS_END,
};

/* dup D [-> VAR], dup2 D N [-> VAR], dup3 D N [cloexec] [flags=N] [-> VAR]. N is any number
 * but 0, 1 and 2: the standard streams are not in the model's tables. */
static gboolean dup_parse(Parser *p, SimStmt *st)
{
	st->file = sim_call_file_defaults;
	const char *how = sim_call_desc(st->kind)->name;
	g_autofree char *ctx = NULL;
	if (!scn_take_fd(p, st, how, &ctx))
		return FALSE;
	if (st->kind != SIM_STMT_DUP) {
		const Tok *t = tok(p);
		if (!scn_take_int(p, "descriptor", ctx, G_MININT64, G_MAXINT64, &st->file.target))
			return FALSE;
		if (st->file.target >= 0 && st->file.target < SIM_FD_FIRST)
			return scn_fail_tok(p, t, E_SYNTAX,
					    "%s onto %" G_GINT64_FORMAT ": descriptors 0, 1 and 2 "
					    "are the standard streams, which scenarios do not have",
					    how, st->file.target);
	}
	StmtOpts so = { .o = { .what = how,
			       .specs = st->kind == SIM_STMT_DUP3 ? dup3_opts : dup_opts },
			.role = ROLE_FD };
	return scn_take_stmt_opts(p, st, &so);
}

/* ---- Execution ---- */

/* -- close -- */

static void close_exec(SimWorld *w, SimTask *t, const SimStmt *st)
{
	sim_interp_started(w, st);
	sim_world_charge(w, w->scn->cost_syscall);
	gint64 fd = sim_interp_fd(t, st);
	SimFile *f = sim_fdt_get(&t->fdt, fd);
	/* The pipe outlives the close unless this was its last description. */
	const SimPipe *p = f && f->kind == SIM_FILE_PIPE && (f->refs > 1 || f->pipe->files > 1)
				   ? f->pipe
				   : NULL;
	int err = sim_world_fd_close(w, t, fd);
	if (w->trace)
		sim_call_file_trace(w, SIM_TR_CALL, t, st, sim_call_file_fd_word(w, t, st), p, err,
				    NULL, 0);
	sim_interp_returned(w, t, st, err);
	SIM_CHECK(!p || sim_pipe_check(p));
	sim_world_wake_all(w, t, NULL);
}

/* -- fcntl, ioctl -- */

/* fcntl and ioctl: the command runs on the description behind the descriptor. */
static void fcntl_call(SimWorld *w, SimTask *t, const SimStmt *st, const FcntlCmd *cmd)
{
	sim_interp_started(w, st);
	sim_world_charge(w, w->scn->cost_syscall);
	SimFile *f = sim_fdt_get(&t->fdt, sim_interp_fd(t, st));
	SimPipe *p = f && f->kind == SIM_FILE_PIPE ? f->pipe : NULL;
	gint64 ret = 0;
	int err = f ? cmd->run(w, t, st, f, p, &ret) : EBADF;
	if (w->trace)
		sim_call_file_trace(w, SIM_TR_CALL, t, st, sim_call_file_fd_word(w, t, st), p, err,
				    NULL, ret);
	sim_interp_finish(w, t, st, err, ret);
	SIM_CHECK(!p || sim_pipe_check(p));
	sim_world_wake_all(w, t, NULL);
}

static void fcntl_exec(SimWorld *w, SimTask *t, const SimStmt *st)
{
	fcntl_call(w, t, st, &fcntl_cmds[st->file.fcntl]);
}

static void ioctl_exec(SimWorld *w, SimTask *t, const SimStmt *st)
{
	fcntl_call(w, t, st, &fionread_cmd);
}

/* -- dup, dup2, dup3 -- */

/* Where dup2 or dup3 puts its copy, or the errno, in ksys_dup3's order: flags (EINVAL),
 * the same descriptor (EINVAL; dup2 returns it instead, if it is open), a new descriptor
 * not below RLIMIT_NOFILE (EBADF), then the old one not open (EBADF). The kernel reads both
 * descriptors as unsigned ints. */
static int dup3_target(const SimTask *t, const SimStmt *st, gint64 old, gint64 *newfd)
{
	*newfd = (gint64)(guint32)st->file.target;
	if (st->kind == SIM_STMT_DUP2 && *newfd == old)
		return sim_fdt_get(&t->fdt, old) ? 0 : EBADF;
	if (st->kind == SIM_STMT_DUP3 && ((int)dup3_flags(st) & ~O_CLOEXEC))
		return EINVAL;
	if (*newfd == old)
		return EINVAL;
	if (*newfd >= t->fdt.nofile)
		return EBADF;
	return sim_fdt_get(&t->fdt, old) ? 0 : EBADF;
}

/* dup: the lowest free descriptor; dup2, dup3: the one asked for, whose description is
 * closed first, silently (do_dup2). The copy shares the description (its offset, O_NONBLOCK
 * and the other F_SETFL flags) but not FD_CLOEXEC: dup and dup2 clear it, dup3 sets it as
 * asked. */
static void dup_exec(SimWorld *w, SimTask *t, const SimStmt *st)
{
	sim_interp_started(w, st);
	sim_world_charge(w, w->scn->cost_syscall);
	gint64 old = (gint64)(guint32)sim_interp_fd(t, st), fd = -1;
	SimFile *f = sim_fdt_get(&t->fdt, old);
	int err = 0;
	if (st->kind != SIM_STMT_DUP)
		err = dup3_target(t, st, old, &fd);
	else if (!f)
		err = EBADF; /* fget before get_unused_fd_flags */
	else if ((fd = sim_fdt_alloc(&t->fdt, 0)) < 0)
		err = EMFILE;
	if (!err && fd != old) {
		f->refs++;
		if (sim_fdt_get(&t->fdt, fd))
			sim_world_fd_close(w, t, fd);
		sim_world_fd_install(w, t, (int)fd, f);
		gboolean cloexec = st->kind == SIM_STMT_DUP3 && (dup3_flags(st) & O_CLOEXEC);
		sim_fdt_set_fdfl(&t->fdt, fd, cloexec ? SIM_FD_CLOEXEC : 0);
	}
	if (err)
		fd = -1;
	if (st->var >= 0)
		t->vars[st->var].num = fd;
	SimPipe *p = f && !err && f->kind == SIM_FILE_PIPE ? f->pipe : NULL;
	if (w->trace)
		sim_call_file_trace(w, SIM_TR_CALL, t, st, sim_call_file_fd_word(w, t, st), p, err,
				    NULL, fd);
	sim_interp_finish(w, t, st, err, fd);
	SIM_CHECK(!p || sim_pipe_check(p));
	sim_world_wake_all(w, t, NULL); /* the closed target may have been a last writer */
}

/* ---- Cross-check: replay on the real kernel, and comparison ---- */

static gboolean close_replay(SimReplay *r)
{
	return xc_replay_fd(r, SIM_REAL_CLOSE);
}

/* fcntl: the command's F_* with its argument (the scenario's number, or the row's own). */
static gboolean fcntl_replay(SimReplay *r)
{
	const FcntlCmd *cmd = &fcntl_cmds[r->st->file.fcntl];
	xc_replay_fd(r, SIM_REAL_FCNTL);
	r->c->a[1] = cmd->cmd;
	r->c->a[2] = cmd->takes_size ? r->st->file.size : cmd->arg;
	return TRUE;
}

/* ioctl FIONREAD: the worker passes the count back as its second value. */
static gboolean ioctl_replay(SimReplay *r)
{
	return xc_replay_fd(r, SIM_REAL_IOCTL);
}

/* dup, dup2, dup3. A new descriptor among those the runner keeps for itself (mailboxes'
 * queues, the workers' pipes) that the rlimit lets through would be one of the runner's. */
static gboolean dup_replay(SimReplay *r)
{
	const SimStmt *st = r->st;
	static const SimRealOp ops[] = { SIM_REAL_DUP, SIM_REAL_DUP2, SIM_REAL_DUP3 };
	xc_replay_fd(r, ops[st->kind - SIM_STMT_DUP]);
	gint64 newfd = (gint64)(guint32)st->file.target;
	if (st->kind != SIM_STMT_DUP && newfd >= XC_MBOX_FD(0, 0) && newfd < r->t->fdt.nofile) {
		xc_refuse(r->xc, "%s onto descriptor %" G_GINT64_FORMAT
				 ": the cross-check's runner keeps descriptors from %d up",
			  sim_call_desc(st->kind)->name, newfd, XC_MBOX_FD(0, 0));
		return FALSE;
	}
	r->c->a[1] = st->file.target;
	r->c->a[2] = dup3_flags(st);
	return TRUE;
}

/* fcntl: the kernel's result without the bits the runner's own opens added. */
static void fcntl_kernel_cell(SimKernelCell *kc)
{
	if (!kc->r->err)
		kc->k->ret &= ~(gint64)fcntl_cmds[kc->st->file.fcntl].runner_bits;
}

/* ioctl FIONREAD: the count, which the worker answers as its second value. */
static void ioctl_kernel_cell(SimKernelCell *kc)
{
	if (!kc->r->err)
		kc->k->ret = kc->r->ret2;
}

/* ---- Footprint ---- */

/* close: the descriptor goes, and the last close of a description changes the object
 * behind it (a pipe's readers or writers, a queue's registration, an unlinked queue freed
 * with what its name charged). */
static void close_footprint(const SimWorld *w, const SimTask *t, const SimStmt *st,
			    SimFootprint *fp)
{
	sim_call_fp_self(fp, t, FALSE);
	const SimFile *f = sim_call_fp_fd(w, t, st, fp, SIM_CALL_FP_PIPE | SIM_CALL_FP_MQ, TRUE);
	sim_footprint_add(fp, SIM_OBJ_FDT, (guint64)t->id, TRUE);
	if (!f || (f->kind == SIM_FILE_MQ && f->mq->unlinked))
		sim_footprint_add(fp, SIM_OBJ_MQ_NS, 0, TRUE);
}

/* fcntl and ioctl read the pipe, except F_SETPIPE_SZ and F_SETFL, which change it (F_SETFL
 * the description's O_NONBLOCK, which every task sharing the description sees). F_GETFD and
 * F_SETFD work on the descriptor's own flag, in the task's table. */
static void fcntl_footprint(const SimWorld *w, const SimTask *t, const SimStmt *st,
			    SimFootprint *fp)
{
	gboolean changes = FALSE;
	if (st->kind == SIM_STMT_FCNTL && fcntl_cmds[st->file.fcntl].own) {
		sim_call_fp_self(fp, t, FALSE);
		sim_footprint_add(fp, SIM_OBJ_FDT, (guint64)t->id,
				  fcntl_cmds[st->file.fcntl].changes);
		return;
	}
	if (st->kind == SIM_STMT_FCNTL)
		changes = fcntl_cmds[st->file.fcntl].changes;
	/* ioctl names pipes alone: on a queue's descriptor it stands for every pipe */
	guint kinds = st->kind == SIM_STMT_FCNTL ? SIM_CALL_FP_PIPE | SIM_CALL_FP_MQ
						 : SIM_CALL_FP_PIPE;
	sim_call_fp_self(fp, t, FALSE);
	sim_call_fp_fd(w, t, st, fp, kinds, changes);
}

/* dup, dup2, dup3: a new descriptor shares the old one's description (its count of
 * descriptors, which decides a later close); a descriptor they replace is closed as by
 * close, with what a last close changes. */
static void dup_footprint(const SimWorld *w, const SimTask *t, const SimStmt *st, SimFootprint *fp)
{
	sim_call_fp_self(fp, t, FALSE);
	sim_call_fp_fd(w, t, st, fp, SIM_CALL_FP_PIPE | SIM_CALL_FP_MQ, TRUE);
	sim_footprint_add(fp, SIM_OBJ_FDT, (guint64)t->id, TRUE);
	const SimFile *to = st->kind == SIM_STMT_DUP
				    ? NULL
				    : sim_fdt_get(&t->fdt, (gint64)(guint32)st->file.target);
	if (to)
		sim_call_fp_file(fp, to, TRUE);
	if (to && to->kind == SIM_FILE_MQ && to->mq->unlinked)
		sim_footprint_add(fp, SIM_OBJ_MQ_NS, 0, TRUE);
}

/* ---- The rows ---- */

#define FD_ROW(k, word, text, result, json, ...)                                           \
	{                                                                                  \
		.kind = (k), .name = (word), .family = SIM_CALL_FILE, .text_call = (text), \
		.text_result = (result), .json_result = (json), __VA_ARGS__                \
	}

const SimCallDesc sim_call_fd_rows[] = {
	FD_ROW(SIM_STMT_CLOSE, "close", operand_text, sim_call_file_result, sim_call_json_ret,
	       .exec = close_exec, .parse = close_parse, .real_name = "close",
	       .replay = close_replay, .footprint = close_footprint),
	FD_ROW(SIM_STMT_FCNTL, "fcntl", fcntl_text, fcntl_result, sim_call_json_ret,
	       .exec = fcntl_exec, .parse = fcntl_parse, .real_name = "fcntl",
	       .replay = fcntl_replay, .kernel_cell = fcntl_kernel_cell,
	       .footprint = fcntl_footprint),
	FD_ROW(SIM_STMT_IOCTL, "ioctl", ioctl_text, ioctl_result, sim_call_json_ret,
	       .exec = ioctl_exec, .parse = ioctl_parse, .real_name = "ioctl",
	       .replay = ioctl_replay, .kernel_cell = ioctl_kernel_cell,
	       .footprint = fcntl_footprint),
	FD_ROW(SIM_STMT_DUP, "dup", dup_text, sim_call_file_fd_result, sim_call_json_ret,
	       .exec = dup_exec, .parse = dup_parse, .real_name = "dup", .replay = dup_replay,
	       .footprint = dup_footprint),
	FD_ROW(SIM_STMT_DUP2, "dup2", dup_text, sim_call_file_fd_result, sim_call_json_ret,
	       .exec = dup_exec, .parse = dup_parse, .real_name = "dup2", .replay = dup_replay,
	       .footprint = dup_footprint),
	FD_ROW(SIM_STMT_DUP3, "dup3", dup_text, sim_call_file_fd_result, sim_call_json_ret,
	       .exec = dup_exec, .parse = dup_parse, .real_name = "dup3", .replay = dup_replay,
	       .footprint = dup_footprint),
};
const guint sim_call_fd_n_rows = G_N_ELEMENTS(sim_call_fd_rows);
