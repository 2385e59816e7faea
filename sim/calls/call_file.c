/* call_file.c — the files family: descriptors, pipes and FIFOs (pipe.h, fdtable.h). The
 * process calls (fork, wait, exit, kill, on) are a family of their own, in call_proc.c.
 *
 * The trace shows pipe data quoted and cut after 40 bytes (a write of 64 KiB stays one
 * line), a read at end of file as such, a write that blocked part-way with how much it
 * wrote, and the pipe's state after the call, "[pipe#1: 5 bytes in 1/16 slots, 1 reader,
 * 1 writer]", whose slot count is what F_GETPIPE_SZ and the merge rule are about.
 *
 * Execution: every blocking call here (read, write, open) sleeps on an exclusive
 * FIFO list and, when woken, runs its exec again with `resuming` set, exactly as the
 * kernel's wait_event loops re-check their condition. A caught signal interrupts the
 * sleep; the call then stops where the kernel stops (a write keeps the bytes it moved)
 * and either restarts (SA_RESTART) or fails with EINTR. read, write and open also have an
 * abandon: a task killed in the middle of one ends it as the kernel would.
 *
 * Parsing: a descriptor operand is read by scn_take_fd (a number, a variable or a pipe end
 * p.r/p.w), a PATH by take_path.
 *
 * Footprint: a descriptor call reaches the one object behind its descriptor; paths are
 * told apart by name.
 */
#define _GNU_SOURCE /* F_GETPIPE_SZ */

#include "calls/call_int.h"

#include <fcntl.h>
#include <signal.h>
#include <string.h>

#include "msgsim/kernel/pipe.h"

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
	SimPipeCtx c = { .wake = &w->wake };
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

static void pipe_text(GString *s, const SimTraceEvent *ev)
{
	guint fl = ev->stmt->file.flags;
	g_string_append_printf(s, "pipe%s%s%s", fl & SIM_O_NONBLOCK ? " nonblock" : "",
			       fl & SIM_O_CLOEXEC ? " cloexec" : "", fl & SIM_O_DIRECT ? " direct" : "");
}

/* close: the keyword and the descriptor. */
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
	g_string_append_printf(s, " perm=0%" G_GINT64_MODIFIER "o", ev->stmt->file.perm);
}

static void open_text(GString *s, const SimTraceEvent *ev)
{
	guint flags = ev->stmt->file.flags;
	path_text(s, ev);
	g_string_append_printf(s, " %s%s",
			       flags & SIM_O_RDWR     ? "rdwr"
			       : flags & SIM_O_WRONLY ? "wronly"
						      : "rdonly",
			       flags & SIM_O_NONBLOCK ? " nonblock" : "");
}

/* read and write write a line for every transfer of a long run: they append without
 * printf. */
static void read_text(GString *s, const SimTraceEvent *ev)
{
	sim_trace_puts(s, "read ");
	sim_trace_puts(s, ev->object);
	sim_trace_puts(s, " size=");
	sim_trace_int(s, ev->stmt->file.size);
	if (ev->stmt->file.nowait)
		sim_trace_puts(s, " nonblock");
}

/* The data as written (counts[0] its bytes), and value the bytes asked for. */
static void write_text(GString *s, const SimTraceEvent *ev)
{
	sim_trace_puts(s, "write ");
	sim_trace_puts(s, ev->object);
	if (ev->text) {
		sim_trace_putc(s, ' ');
		sim_trace_quote_cut(s, ev->text, (gsize)ev->counts[0]);
	}
	sim_trace_puts(s, " size=");
	sim_trace_int(s, ev->value);
	if (ev->stmt->file.nowait)
		sim_trace_puts(s, " nonblock");
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

/* close, mkfifo, unlink: the result alone, and the pipe when there is one. */
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
	if (ev->ret == 0 && ev->stmt->file.size > 0) {
		sim_trace_puts(s, ", 0 bytes: end of file");
		return;
	}
	sim_trace_puts(s, ", ");
	sim_trace_int(s, ev->ret);
	sim_trace_puts(s, ev->ret == 1 ? " byte" : " bytes");
	if (ev->text && ev->ret) {
		sim_trace_puts(s, ": ");
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
		sim_trace_puts(s, ", ");
		sim_trace_int(s, ev->ret);
		if (ev->ret < ev->value) {
			sim_trace_puts(s, " of ");
			sim_trace_int(s, ev->value);
		}
		sim_trace_puts(s, ev->value == 1 ? " byte" : " bytes");
	}
	sim_trace_pipe_state(s, ev);
}

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

/* read, write: the call's own `nonblock`, which the JSON shows as "nowait". */
static gboolean file_nowait(const SimStmt *st)
{
	return st->file.nowait;
}

/* ---- Parsing ---- */

/* The family's arguments before a statement's own are read: every parse hook starts
 * from them, since no one else initialises the family's member of the statement. */
static const SimFileArgs file_defaults = { .size = -1 };

static const OptSpec pipe_opts[] = {
	FLAG_OPT("nonblock", ST(file.flags), SIM_O_NONBLOCK),
	FLAG_OPT("cloexec", ST(file.flags), SIM_O_CLOEXEC),
	FLAG_OPT("direct", ST(file.flags), SIM_O_DIRECT),
	OPTS_END,
};

/* pipe [nonblock] [cloexec] [direct] -> VAR: pipe2's flags; the variable is required, since it
 * is the only way to the ends. */
static gboolean pipe_parse(Parser *p, SimStmt *st)
{
	st->file = file_defaults;
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
	st->file = file_defaults;
	return scn_take_fd(p, st, "close", NULL);
}

/* `nonblock` is this call's own O_NONBLOCK (RWF_NOWAIT), kept in file.nowait. */
static const OptSpec read_write_opts[] = {
	INT_OPT("size", ST(file.size), 0, G_MAXINT64),
	BOOL_OPT("nonblock", ST(file.nowait)),
	OPTS_END,
};

/* read D [size=N] [nonblock] [-> VAR] */
static gboolean read_parse(Parser *p, SimStmt *st)
{
	st->file = file_defaults;
	st->file.size = READ_SIZE; /* the buffer of a read without size= */
	if (!scn_take_fd(p, st, "read", NULL))
		return FALSE;
	StmtOpts so = { .o = { .what = "read", .specs = read_write_opts }, .role = ROLE_MESSAGE };
	return scn_take_stmt_opts(p, st, &so) && scn_no_nowait(p, "read");
}

/* write D TEXT [size=N] [nonblock]  or  write D size=N [nonblock]; the text may come among
 * the options, as in msgsnd. */
static gboolean write_parse(Parser *p, SimStmt *st)
{
	st->file = file_defaults;
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
	st->file = file_defaults;
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
	st->file = file_defaults;
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
	MODE_OPT("perm", ST(file.perm)),
	OPTS_END,
};

/* mkfifo PATH [perm=MODE] */
static gboolean mkfifo_parse(Parser *p, SimStmt *st)
{
	st->file = file_defaults;
	st->file.perm = FIFO_MODE; /* the mode of a FIFO made without perm= */
	if (!take_path(p, st, "mkfifo"))
		return FALSE;
	StmtOpts so = { .o = { .what = "mkfifo", .specs = mkfifo_opts }, .role = -1 };
	return scn_take_stmt_opts(p, st, &so);
}

static const OptSpec open_opts[] = {
	ACCESS_OPT("rdonly", ST(file.flags), SIM_O_RDONLY),
	ACCESS_OPT("wronly", ST(file.flags), SIM_O_WRONLY),
	ACCESS_OPT("rdwr", ST(file.flags), SIM_O_RDWR),
	FLAG_OPT("nonblock", ST(file.flags), SIM_O_NONBLOCK),
	OPTS_END,
};

/* open PATH [rdonly|wronly|rdwr] [nonblock] [-> VAR], the options and `-> VAR` in any order. */
static gboolean open_parse(Parser *p, SimStmt *st)
{
	st->file = file_defaults;
	if (!take_path(p, st, "open"))
		return FALSE;
	StmtOpts so = { .o = { .what = "open", .specs = open_opts }, .role = ROLE_FD };
	if (!scn_take_stmt_opts(p, st, &so))
		return FALSE;
	if (!(st->file.flags & ACCESS_MODES))
		st->file.flags |= SIM_O_RDONLY; /* O_RDONLY is 0 in C: what no access word means */
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
	st->file = file_defaults;
	return take_path(p, st, "unlink");
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
	st->file = file_defaults;
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

/* -- Helpers -- */

static const char *fd_word(SimWorld *w, const SimTask *t, const SimStmt *st)
{
	return sim_interp_fd_word(w, t, st, w->word, sizeof(w->word));
}

static guint access_of(const SimFile *f)
{
	return f->flags & (SIM_O_RDONLY | SIM_O_WRONLY | SIM_O_RDWR);
}

/* Is description f open for `access` (SIM_O_RDONLY or SIM_O_WRONLY)? */
static gboolean open_for(const SimFile *f, guint access)
{
	guint acc = access_of(f);
	return acc == SIM_O_RDWR || acc == access;
}

static SimPipeCtx pipe_ctx(SimWorld *w, const SimTask *t, gboolean nonblock, gboolean resumed)
{
	SimPipeCtx c = { .wake = &w->wake,
			 .nonblock = nonblock,
			 .resumed = resumed,
			 .signal_pending = t->sig_pending != 0 };
	return c;
}

static void trace_file(SimWorld *w, SimTraceKind kind, const SimTask *t, const SimStmt *st,
		       const char *object, const SimPipe *p, int err, const char *why, gint64 ret)
{
	SimTraceEvent ev;
	sim_interp_call_event_init(&ev, w, kind, t, st, object, NULL, err, why, -1);
	ev.pipe = p;
	ev.ret = ret;
	sim_world_emit(w, &ev);
}

/* A path operand (mkfifo, open, unlink): the literal, or the template expanded (scratch). */
static const char *path_of(SimWorld *w, const SimTask *t, const SimStmt *st)
{
	if (st->text.literal)
		return st->text.literal;
	sim_interp_expand(w, t, &st->text);
	return w->scratch->str;
}

static SimFifo *find_fifo(const SimWorld *w, const char *path)
{
	for (guint i = 0; i < w->fifos->len; i++) {
		SimFifo *f = g_ptr_array_index(w->fifos, i);
		if (!f->unlinked && strcmp(f->path, path) == 0)
			return f;
	}
	return NULL;
}

/* A read or write event: the bytes read (text, ret of them), or the write's text and
 * size n with the count written so far (ret). */
static void trace_io(SimWorld *w, SimTraceKind kind, const SimTask *t, const SimStmt *st,
		     const SimPipe *p, int err, const char *why, gint64 ret, const char *text,
		     gsize tlen, gsize n)
{
	SimTraceEvent ev;
	sim_interp_call_event_init(&ev, w, kind, t, st, fd_word(w, t, st), NULL, err, why, -1);
	ev.pipe = p;
	ev.ret = ret;
	ev.value = (gint64)n;
	ev.text = text;
	ev.counts[0] = (gint64)tlen;
	sim_world_emit(w, &ev);
}

/* A read or write that must wait on pipe p: record it, trace it, and put the task to sleep. */
static void block_on_pipe(SimWorld *w, SimTask *t, const SimStmt *st, SimPipe *p, const char *why,
			  gsize done, const SimPipeSrc *src, gsize n)
{
	sim_interp_blocked(w, st);
	t->wait_pipe = p;
	if (w->trace)
		trace_io(w, SIM_TR_CALL, t, st, p, 0, why, (gint64)done, src ? src->text : NULL,
			 src ? src->len : 0, n);
	SIM_CHECK(sim_pipe_check(p));
	sim_world_block(w, t, -1, p->name, why);
	sim_world_wake_all(w, t, NULL); /* a write that filled an empty pipe woke a reader */
}

/* An interrupted call that moved nothing: restart it after the handler (SA_RESTART), or
 * not. Returns TRUE when the caller should start over. */
static gboolean restart(SimWorld *w, SimTask *t)
{
	if (sim_interp_no_restart(t))
		return FALSE;
	sim_interp_run_handlers(w, t);
	return TRUE;
}

/* -- pipe, close -- */

static void pipe_exec(SimWorld *w, SimTask *t, const SimStmt *st)
{
	sim_interp_started(w, st);
	sim_world_charge(w, w->scn->cost_syscall);
	/* pipe2 takes the two lowest free descriptors, both before installing either. */
	int rfd = sim_fdt_alloc(&t->fdt, 0), wfd = -1, err = 0;
	if (rfd >= 0)
		wfd = sim_fdt_alloc(&t->fdt, rfd + 1);
	SimPipe *p = NULL;
	if (rfd < 0 || wfd < 0) {
		err = EMFILE;
	} else {
		char name[32];
		g_snprintf(name, sizeof(name), "pipe#%u", ++w->n_pipes);
		p = sim_world_pipe_new(w, name, FALSE);
		p->uid = t->cred.uid; /* the inode's owner (O_NOATIME) */
		guint nb = st->file.flags & SIM_O_NONBLOCK;
		/* O_DIRECT is the write end's alone (create_pipe_files): only writes make
		 * packets. */
		guint direct = st->file.flags & SIM_O_DIRECT ? O_DIRECT : 0;
		SimFile *fr = sim_world_file_new(w, (SimFile){ .kind = SIM_FILE_PIPE,
							       .pipe = p,
							       .flags = SIM_O_RDONLY | nb,
							       .refs = 1 });
		SimFile *fw = sim_world_file_new(w, (SimFile){ .kind = SIM_FILE_PIPE,
							       .pipe = p,
							       .flags = SIM_O_WRONLY | nb,
							       .fl = direct,
							       .refs = 1 });
		sim_pipe_attach(p, TRUE, FALSE);
		sim_pipe_attach(p, FALSE, TRUE);
		sim_world_fd_install(w, t, rfd, fr);
		sim_world_fd_install(w, t, wfd, fw);
		if (st->file.flags & SIM_O_CLOEXEC) {
			sim_fdt_set_fdfl(&t->fdt, rfd, SIM_FD_CLOEXEC);
			sim_fdt_set_fdfl(&t->fdt, wfd, SIM_FD_CLOEXEC);
		}
	}
	SimVar *v = &t->vars[st->var];
	v->num = err ? -1 : rfd;
	v->num2 = err ? -1 : wfd;
	if (w->trace) {
		SimTraceEvent ev =
			sim_interp_call_event(w, SIM_TR_CALL, t, st, NULL, NULL, err, NULL, -1);
		ev.pipe = p;
		ev.ret = rfd;
		ev.value = wfd;
		sim_world_emit(w, &ev);
	}
	sim_interp_finish(w, t, st, err, rfd);
}

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
		trace_file(w, SIM_TR_CALL, t, st, fd_word(w, t, st), p, err, NULL, 0);
	sim_interp_returned(w, t, st, err);
	SIM_CHECK(!p || sim_pipe_check(p));
	sim_world_wake_all(w, t, NULL);
}

/* -- read, write -- */

/* The descriptor a read or write names, if it is a pipe open for `access` (or a queue open
 * for reading); else *err, in vfs_read/vfs_write's order: FMODE_READ/FMODE_WRITE (EBADF)
 * comes before the file type. */
static SimFile *io_file(const SimTask *t, const SimStmt *st, guint access, gsize n, int *err)
{
	SimFile *f = sim_fdt_get(&t->fdt, sim_interp_fd(t, st));
	*err = 0;
	if (!f || !open_for(f, access))
		*err = EBADF; /* not open, or the wrong end (a queue's too) */
	else if (f->kind == SIM_FILE_MQ && access == SIM_O_RDONLY)
		*err = st->file.nowait && n ? EOPNOTSUPP
					    : 0; /* a queue's file has no FMODE_NOWAIT */
	else if (f->kind != SIM_FILE_PIPE)
		*err = EINVAL; /* a queue's file has no write */
	else if (st->file.nowait && f->pipe->is_fifo && n)
		*err = EOPNOTSUPP; /* RWF_NOWAIT: only pipe(2) files support it, not FIFOs (a
				    * zero-length preadv2/pwritev2 returns 0 before the check) */
	return *err ? NULL : f;
}

/* A queue's file reads as its status line, from the file offset on; the kernel makes the
 * line afresh for every read, so a line read in pieces may mix two states. */
static gsize read_mq_file(const SimWorld *w, SimFile *f, gsize n, GString *out)
{
	char line[SIM_MQ_FILE_SIZE];
	const SimMqueue *q = f->mq;
	int pid = q->notify_task >= 0 ? w->tasks[q->notify_task].pid : 0;
	gsize len = sim_mqueue_file_line(q, pid, line, sizeof(line));
	gsize got = f->pos < len ? MIN(n, len - f->pos) : 0;
	if (out)
		g_string_append_len(out, line + f->pos, (gssize)got);
	f->pos += got;
	return got;
}

static gboolean nonblocking(const SimFile *f, const SimStmt *st)
{
	return (f && (f->flags & SIM_O_NONBLOCK)) || st->file.nowait;
}

/* Does a write through f make packets (is_packetized: O_DIRECT on the description)? */
static gboolean packets(const SimFile *f)
{
	return f && (f->fl & O_DIRECT);
}

static void read_exec(SimWorld *w, SimTask *t, const SimStmt *st)
{
	gboolean resuming = t->resuming, fresh = !resuming;
	gboolean keep = st->var >= 0 || t->received;
	GString *out = keep || w->trace || w->out.text ? w->scratch : NULL;
	SimPipe *p = t->wait_pipe;
	int err = 0;
	gsize got = 0;
	if (out)
		g_string_truncate(out, 0);
	if (resuming) {
		/* Woken by a writer, a last close or a signal: look again. */
		t->resuming = FALSE;
		SimFile *f = sim_fdt_get(&t->fdt, sim_interp_fd(t, st));
		SimPipeCtx c = pipe_ctx(w, t, nonblocking(f, st), TRUE);
		err = sim_pipe_read(p, &c, &t->waiter, (gsize)st->file.size, out, &got);
		if (err == EINTR && restart(w, t))
			fresh = TRUE; /* the call starts over, at the tail */
	} else {
		sim_interp_started(w, st);
		sim_world_charge(w, w->scn->cost_syscall);
	}
	if (fresh) {
		resuming = FALSE;
		SimFile *f = io_file(t, st, SIM_O_RDONLY, (gsize)st->file.size, &err);
		p = f && f->kind == SIM_FILE_PIPE ? f->pipe : NULL;
		if (f && f->kind == SIM_FILE_MQ) {
			got = read_mq_file(w, f, (gsize)st->file.size, out);
		} else if (f) {
			SimPipeCtx c = pipe_ctx(w, t, nonblocking(f, st), FALSE);
			err = sim_pipe_read(p, &c, &t->waiter, (gsize)st->file.size, out, &got);
		}
	}
	if (err == SIM_BLOCKED) {
		block_on_pipe(w, t, st, p,
			      resuming ? "pipe empty again: back to the tail" : "pipe empty", 0,
			      NULL, (gsize)st->file.size);
		return;
	}
	t->wait_pipe = NULL;
	if (w->trace)
		trace_io(w, resuming ? SIM_TR_RETURN : SIM_TR_CALL, t, st, p, err, NULL,
			 (gint64)got, out ? out->str : NULL, got, (gsize)st->file.size);
	if (got && keep) {
		SimMsg *m = sim_msg_pool_get(&w->pool);
		m->from = -1; /* bytes in a pipe carry no sender */
		m->to = t->id;
		m->type = 0;
		m->prio = 0;
		m->seq = w->msg_seq++;
		sim_msg_own_text(&w->pool, m, out->str, out->len);
		m->size = got; /* at most a pipe's capacity: the length fits (msg.h) */
		m->len = (guint32)got;
		sim_interp_keep_received(w, t, st, m); /* counts it and charges its bytes */
	} else if (got) {
		t->n_received++;
		sim_world_charge(w, sim_interp_cost(w, 0, got));
		if (w->out.text) { /* a hook wants the bytes even when nobody keeps them */
			w->out.got = TRUE;
			g_string_assign(w->out.text, out->str);
			w->out.size = got;
		}
	}
	sim_interp_finish(w, t, st, err, (gint64)got);
	SIM_CHECK(!p || sim_pipe_check(p));
	sim_world_wake_all(w, t, NULL);
}

/* A write's bytes: its text (the literal, or the template expanded into scratch) repeated
 * to its size; returns the size (the text's length when no size= was given). */
static gsize write_src(SimWorld *w, const SimTask *t, const SimStmt *st, SimPipeSrc *src)
{
	*src = (SimPipeSrc){ NULL, 0 };
	if (st->text.literal) {
		src->text = st->text.literal;
		src->len = st->text.literal_len;
	} else if (st->text.n_parts) {
		sim_interp_expand(w, t, &st->text);
		src->text = w->scratch->str;
		src->len = w->scratch->len;
	}
	return st->file.size >= 0 ? (gsize)st->file.size : src->len;
}

static void write_exec(SimWorld *w, SimTask *t, const SimStmt *st)
{
	gboolean resuming = t->resuming, fresh = !resuming;
	SimPipeSrc src;
	gsize n = write_src(w, t, st, &src);
	SimPipe *p = t->wait_pipe;
	SimPipeCtx c = { 0 };
	gsize done = t->io_done;
	int err = 0;
	if (resuming) {
		/* Woken by a reader, a last close or a signal: go on where it stopped. */
		t->resuming = FALSE;
		SimFile *f = sim_fdt_get(&t->fdt, sim_interp_fd(t, st));
		c = pipe_ctx(w, t, nonblocking(f, st), TRUE);
		c.packet = packets(f);
		err = sim_pipe_write(p, &c, &t->waiter, &src, n, &done);
		if (err == EINTR && restart(w, t))
			fresh = TRUE; /* nothing moved: the call starts over */
	} else {
		sim_interp_started(w, st);
		sim_world_charge(w, w->scn->cost_syscall);
	}
	if (fresh) {
		resuming = FALSE;
		done = 0;
		SimFile *f = io_file(t, st, SIM_O_WRONLY, n, &err);
		p = f ? f->pipe : NULL;
		if (f) {
			c = pipe_ctx(w, t, nonblocking(f, st), FALSE);
			c.packet = packets(f);
			err = sim_pipe_write(p, &c, &t->waiter, &src, n, &done);
		}
	}
	if (err == SIM_BLOCKED) {
		t->io_done = done;
		block_on_pipe(w, t, st, p,
			      resuming ? "pipe full again: back to the tail" : "pipe full", done,
			      &src, n);
		return;
	}
	t->wait_pipe = NULL;
	t->io_done = 0;
	if (done) {
		t->n_sent++;
		sim_world_charge(w, sim_interp_cost(w, 0, done));
	}
	if (w->trace)
		trace_io(w, resuming ? SIM_TR_RETURN : SIM_TR_CALL, t, st, p, err, NULL,
			 (gint64)done, src.text, src.len, n);
	sim_interp_finish(w, t, st, err, (gint64)done);
	SIM_CHECK(!p || sim_pipe_check(p));
	sim_world_wake_all(w, t, NULL);
	if (c.sigpipe)
		sim_world_signal(w, t, SIGPIPE); /* to the writer itself: by default it dies */
}

/* A read or write whose task dies: see sim_interp_abandon. */
static void io_abandon(SimWorld *w, SimTask *t, const SimStmt *st, gboolean reading)
{
	SimPipe *p = t->wait_pipe;
	if (!p)
		return;
	g_assert(t->waiter.queue == NULL);
	SimPipeCtx c = { .wake = &w->wake,
			 .resumed = TRUE,
			 .signal_pending = TRUE,
			 .packet = packets(sim_fdt_get(&t->fdt, sim_interp_fd(t, st))) };
	SimPipeSrc src = { NULL, 0 };
	gsize n = (gsize)st->file.size, moved = 0;
	int err;
	if (reading) {
		err = sim_pipe_read(p, &c, &t->waiter, n, NULL, &moved);
	} else {
		n = write_src(w, t, st, &src);
		moved = t->io_done;
		err = sim_pipe_write(p, &c, &t->waiter, &src, n, &moved);
	}
	g_assert(err != SIM_BLOCKED); /* a pending signal never sleeps */
	if (w->trace && err != EINTR)
		trace_io(w, SIM_TR_RETURN, t, st, p, err, NULL, (gint64)moved, src.text, src.len,
			 n);
	SIM_CHECK(sim_pipe_check(p));
	t->wait_pipe = NULL;
	t->io_done = 0;
}

static void read_abandon(SimWorld *w, SimTask *t, const SimStmt *st)
{
	io_abandon(w, t, st, TRUE);
}

static void write_abandon(SimWorld *w, SimTask *t, const SimStmt *st)
{
	io_abandon(w, t, st, FALSE);
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
		trace_file(w, SIM_TR_CALL, t, st, fd_word(w, t, st), p, err, NULL, ret);
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

/* -- mkfifo, open, unlink -- */

static gboolean file_declared(const SimWorld *w, const char *path)
{
	for (guint i = 0; i < w->scn->n_files; i++)
		if (strcmp(w->scn->files[i].path, path) == 0)
			return TRUE;
	return FALSE;
}

static void mkfifo_exec(SimWorld *w, SimTask *t, const SimStmt *st)
{
	sim_interp_started(w, st);
	sim_world_charge(w, w->scn->cost_syscall);
	const char *path = path_of(w, t, st);
	int err = 0;
	if (!*path)
		err = ENOENT;
	else if (find_fifo(w, path) || file_declared(w, path))
		err = EEXIST;
	if (!err) {
		SimFifo *f = g_new0(SimFifo, 1);
		f->path = g_strdup(path);
		w->mem += sizeof(SimFifo) + strlen(path) + 1;	/* kept after unlink */
		f->mode = (guint)st->file.perm & 0777 & ~0022u; /* the umask */
		f->uid = t->cred.uid;
		f->gid = t->cred.gid;
		g_ptr_array_add(w->fifos, f);
	}
	if (w->trace)
		trace_file(w, SIM_TR_CALL, t, st, path, NULL, err, NULL, 0);
	sim_interp_returned(w, t, st, err);
}

/* May cred open a FIFO of this mode for `access`? Root may always (CAP_DAC_OVERRIDE). */
static gboolean may_open(const SimFifo *f, const SimCred *cred, guint access)
{
	if (cred->uid == 0)
		return TRUE;
	guint shift = cred->uid == f->uid ? 6 : cred->gid == f->gid ? 3 : 0;
	guint have = (f->mode >> shift) & 7;
	guint need = access == SIM_O_RDONLY ? 4u : access == SIM_O_WRONLY ? 2u : 6u;
	return (have & need) == need;
}

static void open_exec(SimWorld *w, SimTask *t, const SimStmt *st)
{
	guint access = st->file.flags & (SIM_O_RDONLY | SIM_O_WRONLY | SIM_O_RDWR);
	gboolean resuming = t->resuming, fresh = !resuming;
	g_autofree char *path = g_strdup(path_of(w, t, st));
	SimPipe *p = t->wait_pipe;
	int err = 0, fd = -1;
	if (resuming) {
		/* Woken by the partner's open, or by a signal. */
		t->resuming = FALSE;
		SimPipeCtx c = pipe_ctx(w, t, FALSE, TRUE);
		err = sim_pipe_open(p, &c, &t->waiter, access, &t->open_cookie);
		if (err == EINTR) {
			sim_world_pipe_put(w, p); /* it no longer counts as an opener */
			p = NULL;
			fresh = restart(w, t);
		}
	} else {
		sim_interp_started(w, st);
		sim_world_charge(w, w->scn->cost_syscall);
	}
	if (fresh) {
		resuming = FALSE;
		SimFifo *fi = NULL;
		if (sim_fdt_alloc(&t->fdt, 0) < 0)
			err = EMFILE; /* the descriptor comes first */
		else if (!(fi = find_fifo(w, path)))
			err = ENOENT;
		else if (!may_open(fi, &t->cred, access))
			err = EACCES;
		if (fi && !err) {
			if (!fi->pipe) {
				fi->pipe = sim_world_pipe_new(w, fi->path, TRUE);
				fi->pipe->fifo = fi;
			}
			p = fi->pipe;
			SimPipeCtx c =
				pipe_ctx(w, t, (st->file.flags & SIM_O_NONBLOCK) != 0, FALSE);
			err = sim_pipe_open(p, &c, &t->waiter, access, &t->open_cookie);
			if (err && err != SIM_BLOCKED) {
				sim_world_pipe_put(w, p); /* ENXIO: a new pipe nobody uses goes */
				p = NULL;
			}
		}
	}
	if (err == SIM_BLOCKED) {
		const char *why = access == SIM_O_RDONLY ? "FIFO has no writer: waiting for one"
							 : "FIFO has no reader: waiting for one";
		sim_interp_blocked(w, st);
		t->wait_pipe = p;
		if (w->trace)
			trace_file(w, SIM_TR_CALL, t, st, path, p, 0, why, 0);
		SIM_CHECK(sim_pipe_check(p));
		sim_world_block(w, t, -1, p->name, why);
		sim_world_wake_all(w, t, NULL); /* openers of the other side it released */
		return;
	}
	t->wait_pipe = NULL;
	if (!err) {
		fd = sim_fdt_alloc(&t->fdt, 0);
		g_assert(fd >= 0); /* checked before the open; the task did nothing since */
		SimFile *f = sim_world_file_new(
			w, (SimFile){ .kind = SIM_FILE_PIPE,
				      .pipe = p,
				      .flags = access | (st->file.flags & SIM_O_NONBLOCK),
				      .refs = 1 });
		sim_world_fd_install(w, t, fd, f);
	}
	if (st->var >= 0)
		t->vars[st->var].num = err ? -1 : fd;
	if (w->trace)
		trace_file(w, resuming ? SIM_TR_RETURN : SIM_TR_CALL, t, st, path, p, err, NULL,
			   fd);
	sim_interp_finish(w, t, st, err, fd);
	SIM_CHECK(!p || sim_pipe_check(p));
	sim_world_wake_all(w, t, NULL);
}

/* A FIFO open its task was waiting in (or woken from, not yet run) is given up: it no
 * longer counts as an opener. */
static void open_abandon(SimWorld *w, SimTask *t, const SimStmt *st)
{
	SimPipe *p = t->wait_pipe;
	if (!p)
		return;
	SimPipeCtx c = { .wake = &w->wake };
	sim_pipe_open_abort(p, &c, st->file.flags & (SIM_O_RDONLY | SIM_O_WRONLY));
	sim_world_pipe_put(w, p);
	t->wait_pipe = NULL;
}

static void unlink_exec(SimWorld *w, SimTask *t, const SimStmt *st)
{
	sim_interp_started(w, st);
	sim_world_charge(w, w->scn->cost_syscall);
	const char *path = path_of(w, t, st);
	SimFifo *f = find_fifo(w, path);
	int err = f ? 0 : ENOENT;
	if (f)
		f->unlinked = TRUE; /* open descriptors keep the pipe */
	if (w->trace)
		trace_file(w, SIM_TR_CALL, t, st, path, f ? f->pipe : NULL, err, NULL, 0);
	sim_interp_returned(w, t, st, err);
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
		trace_file(w, SIM_TR_CALL, t, st, fd_word(w, t, st), p, err, NULL, fd);
	sim_interp_finish(w, t, st, err, fd);
	SIM_CHECK(!p || sim_pipe_check(p));
	sim_world_wake_all(w, t, NULL); /* the closed target may have been a last writer */
}

/* ---- Cross-check: replay on the real kernel, and comparison ---- */

static gboolean close_replay(SimReplay *r)
{
	return xc_replay_fd(r, SIM_REAL_CLOSE);
}

static gboolean pipe_replay(SimReplay *r)
{
	r->c->op = SIM_REAL_PIPE;
	guint fl = r->st->file.flags;
	r->c->a[1] = (fl & SIM_O_NONBLOCK ? O_NONBLOCK : 0) | (fl & SIM_O_CLOEXEC ? O_CLOEXEC : 0) |
		     (fl & SIM_O_DIRECT ? O_DIRECT : 0);
	return TRUE;
}

static gboolean read_replay(SimReplay *r)
{
	xc_replay_fd(r, SIM_REAL_READ);
	r->c->a[1] = r->st->file.size;
	r->c->a[2] = r->st->file.nowait;
	return TRUE;
}

/* The text repeated to the size asked ("x" when there is no text), as the model writes. */
static gboolean write_replay(SimReplay *r)
{
	const SimStmt *st = r->st;
	xc_replay_fd(r, SIM_REAL_WRITE);
	gsize len;
	const char *text = sim_interp_text(r->w, r->t, &st->text, &len);
	gsize n = st->file.size >= 0 ? (gsize)st->file.size : len;
	if (n > SIM_REAL_DATA_MAX) {
		xc_refuse(r->xc, "a write of %zu bytes is more than a worker call carries (%d)", n,
			  SIM_REAL_DATA_MAX);
		return FALSE;
	}
	for (gsize i = 0; i < n; i++)
		g_string_append_c(r->data, len ? text[i % len] : 'x');
	r->c->a[1] = (gint64)n;
	r->c->a[2] = st->file.nowait;
	return TRUE;
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

/* mkfifo, open, unlink: the path as the model names it, made one name inside the run's
 * sandbox directory. */
static gboolean path_replay(SimReplay *r, SimRealOp op)
{
	stmt_text(r->w, r->t, r->st, NULL, r->data);
	sim_real_sandbox_encode_path(r->data);
	r->c->op = op;
	return TRUE;
}

static gboolean mkfifo_replay(SimReplay *r)
{
	path_replay(r, SIM_REAL_MKFIFO);
	r->c->a[1] = r->st->file.perm;
	return TRUE;
}

static gboolean open_replay(SimReplay *r)
{
	path_replay(r, SIM_REAL_OPEN);
	r->c->a[1] = xc_open_flags(r->st->file.flags);
	return TRUE;
}

static gboolean unlink_replay(SimReplay *r)
{
	return path_replay(r, SIM_REAL_UNLINK);
}

/* read: the bytes read. */
static void read_model_cell(SimModelCell *mc)
{
	xc_model_data(mc);
}

static void read_kernel_cell(SimKernelCell *kc)
{
	xc_kernel_data(kc);
}

/* pipe: the write end's descriptor besides the read end's. */
static void pipe_model_cell(SimModelCell *mc)
{
	xc_model_ret2(mc, "wfd", mc->t->vars[mc->st->var].num2);
}

static void pipe_kernel_cell(SimKernelCell *kc)
{
	xc_kernel_ret2(kc, "wfd");
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

/* pipe: a new descriptor pair in the task's table; the pipe is new, so no one else can
 * reach it yet. */
static void pipe_footprint(const SimWorld *w, const SimTask *t, const SimStmt *st, SimFootprint *fp)
{
	(void)w;
	(void)st;
	sim_call_fp_self(fp, t, FALSE);
	sim_footprint_add(fp, SIM_OBJ_FDT, (guint64)t->id, TRUE);
}

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

/* read, write: change the pipe (bytes, waiters, the description's offset); a read of a
 * POSIX queue's descriptor moves through its status line (the offset again). fcntl and ioctl read
 * the pipe, except F_SETPIPE_SZ and F_SETFL, which change it (F_SETFL the description's O_NONBLOCK,
 * which every task sharing the description sees). */
static void io_footprint(const SimWorld *w, const SimTask *t, const SimStmt *st, SimFootprint *fp)
{
	gboolean changes = st->kind == SIM_STMT_READ || st->kind == SIM_STMT_WRITE;
	if (st->kind == SIM_STMT_FCNTL && fcntl_cmds[st->file.fcntl].own) {
		/* F_GETFD, F_SETFD: the descriptor's own flag, in the task's table */
		sim_call_fp_self(fp, t, FALSE);
		sim_footprint_add(fp, SIM_OBJ_FDT, (guint64)t->id,
				  fcntl_cmds[st->file.fcntl].changes);
		return;
	}
	if (st->kind == SIM_STMT_FCNTL)
		changes = fcntl_cmds[st->file.fcntl].changes;
	guint kinds = st->kind == SIM_STMT_READ || st->kind == SIM_STMT_FCNTL
			      ? SIM_CALL_FP_PIPE | SIM_CALL_FP_MQ
			      : SIM_CALL_FP_PIPE;
	sim_call_fp_self(fp, t, FALSE);
	sim_call_fp_fd(w, t, st, fp, kinds, changes);
}

/* mkfifo, open, unlink: the path, by the hash of its name. A path built at run time ($ in
 * it) stands for every path, and an open of it for every pipe: resolving it would mean
 * expanding the template, which needs the world's scratch buffer. open also changes the
 * FIFO's pipe (its openers: the rendezvous) and takes a descriptor. */
static void path_footprint(const SimWorld *w, const SimTask *t, const SimStmt *st, SimFootprint *fp)
{
	const char *path = st->text.literal;
	sim_call_fp_self(fp, t, FALSE);
	sim_footprint_add(fp, SIM_OBJ_PATH, path ? g_str_hash(path) : SIM_OBJ_ALL, TRUE);
	if (st->kind != SIM_STMT_OPEN)
		return;
	sim_footprint_add(fp, SIM_OBJ_FDT, (guint64)t->id, TRUE);
	const SimPipe *p = t->wait_pipe; /* an open woken or interrupted: the same pipe */
	for (guint i = 0; path && !p && i < w->fifos->len; i++) {
		const SimFifo *fi = g_ptr_array_index(w->fifos, i);
		if (!fi->unlinked && strcmp(fi->path, path) == 0)
			p = fi->pipe; /* NULL until opened: a new pipe then, which no one reaches */
	}
	if (p || !path)
		sim_footprint_add(fp, SIM_OBJ_PIPE, p ? (guint64)(guintptr)p : SIM_OBJ_ALL, TRUE);
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

/* ---- Deadlock report ---- */

/* read, write and open have no reaches hook: a descriptor is known only when the call
 * runs, and a path may be built then ($ in it), so each may reach any pipe or FIFO. */

#define FILE_ROW(k, word, text, result, json, ...)                                         \
	{                                                                                  \
		.kind = (k), .name = (word), .family = SIM_CALL_FILE, .text_call = (text), \
		.text_result = (result), .json_result = (json), __VA_ARGS__                \
	}

const SimCallDesc sim_call_file_rows[] = {
	FILE_ROW(SIM_STMT_PIPE, "pipe", pipe_text, pipe_result, pipe_json, .exec = pipe_exec,
		 .parse = pipe_parse, .real_name = "pipe", .replay = pipe_replay,
		 .model_cell = pipe_model_cell, .kernel_cell = pipe_kernel_cell,
		 .footprint = pipe_footprint),
	FILE_ROW(SIM_STMT_CLOSE, "close", operand_text, plain_result, sim_call_json_ret,
		 .exec = close_exec, .parse = close_parse, .real_name = "close",
		 .replay = close_replay, .footprint = close_footprint),
	FILE_ROW(SIM_STMT_READ, "read", read_text, read_result, read_json, .nowait = file_nowait,
		 .exec = read_exec, .abandon = read_abandon, .parse = read_parse,
		 .real_name = "read", .replay = read_replay, .model_cell = read_model_cell,
		 .kernel_cell = read_kernel_cell, .footprint = io_footprint, .blocks = TRUE,
		 .wait_role = SIM_WAIT_TAKES, .wait_obj = SIM_OBJ_PIPE),
	FILE_ROW(SIM_STMT_WRITE, "write", write_text, write_result, sim_call_json_ret,
		 .nowait = file_nowait, .exec = write_exec, .abandon = write_abandon,
		 .parse = write_parse, .real_name = "write", .replay = write_replay,
		 .footprint = io_footprint, .blocks = TRUE, .wait_role = SIM_WAIT_PUTS,
		 .wait_obj = SIM_OBJ_PIPE),
	FILE_ROW(SIM_STMT_FCNTL, "fcntl", fcntl_text, fcntl_result, sim_call_json_ret,
		 .exec = fcntl_exec, .parse = fcntl_parse, .real_name = "fcntl",
		 .replay = fcntl_replay, .kernel_cell = fcntl_kernel_cell,
		 .footprint = io_footprint),
	FILE_ROW(SIM_STMT_IOCTL, "ioctl", ioctl_text, ioctl_result, sim_call_json_ret,
		 .exec = ioctl_exec, .parse = ioctl_parse, .real_name = "ioctl",
		 .replay = ioctl_replay, .kernel_cell = ioctl_kernel_cell,
		 .footprint = io_footprint),
	FILE_ROW(SIM_STMT_MKFIFO, "mkfifo", mkfifo_text, plain_result, sim_call_json_ret,
		 .exec = mkfifo_exec, .parse = mkfifo_parse, .real_name = "mkfifo",
		 .xc_flags = SIM_CALL_XC_PATH, .replay = mkfifo_replay,
		 .footprint = path_footprint),
	FILE_ROW(SIM_STMT_OPEN, "open", open_text, fd_result, sim_call_json_ret, .exec = open_exec,
		 .abandon = open_abandon, .parse = open_parse, .real_name = "open",
		 .xc_flags = SIM_CALL_XC_PATH, .replay = open_replay, .footprint = path_footprint,
		 .blocks = TRUE, .wait_role = SIM_WAIT_OPENS, .wait_obj = SIM_OBJ_PIPE),
	FILE_ROW(SIM_STMT_UNLINK, "unlink", path_text, plain_result, sim_call_json_ret,
		 .exec = unlink_exec, .parse = unlink_parse, .real_name = "unlink",
		 .xc_flags = SIM_CALL_XC_PATH, .replay = unlink_replay,
		 .footprint = path_footprint),
	FILE_ROW(SIM_STMT_DUP, "dup", dup_text, fd_result, sim_call_json_ret, .exec = dup_exec,
		 .parse = dup_parse, .real_name = "dup", .replay = dup_replay,
		 .footprint = dup_footprint),
	FILE_ROW(SIM_STMT_DUP2, "dup2", dup_text, fd_result, sim_call_json_ret, .exec = dup_exec,
		 .parse = dup_parse, .real_name = "dup2", .replay = dup_replay,
		 .footprint = dup_footprint),
	FILE_ROW(SIM_STMT_DUP3, "dup3", dup_text, fd_result, sim_call_json_ret, .exec = dup_exec,
		 .parse = dup_parse, .real_name = "dup3", .replay = dup_replay,
		 .footprint = dup_footprint),
};
const guint sim_call_file_n_rows = G_N_ELEMENTS(sim_call_file_rows);
