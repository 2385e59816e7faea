/* call_file.c — the files family: pipes, FIFOs and their data (pipe.h, fdtable.h). The
 * descriptor calls (close, dup*, fcntl, ioctl) are the family's other file, call_fd.c; the
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
#include "msgsim/engine/holders.h"

#include "calls/call_file_int.h"
#include "engine/interp_int.h"
#include "lang/scn_int.h"
#include "real/xcheck_int.h"

/* ---- What the call asked for ---- */

static void pipe_text(GString *s, const SimTraceEvent *ev)
{
	guint fl = ev->stmt->file.flags;
	if (ev->stmt->file.dupfl) { /* flags pipe2 does not know: all of them as one number */
		gint64 all = ev->stmt->file.dupfl | (fl & SIM_O_NONBLOCK ? O_NONBLOCK : 0) |
			     (fl & SIM_O_CLOEXEC ? O_CLOEXEC : 0) | (fl & SIM_O_DIRECT ? O_DIRECT : 0);
		g_string_append_printf(s, "pipe flags=%#x", (guint)all);
		return;
	}
	g_string_append_printf(s, "pipe%s%s%s", fl & SIM_O_NONBLOCK ? " nonblock" : "",
			       fl & SIM_O_CLOEXEC ? " cloexec" : "", fl & SIM_O_DIRECT ? " direct" : "");
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
	g_string_append_printf(s, " %s%s%s%s",
			       flags & SIM_O_RDWR     ? "rdwr"
			       : flags & SIM_O_WRONLY ? "wronly"
						      : "rdonly",
			       flags & SIM_O_NONBLOCK ? " nonblock" : "",
			       flags & SIM_O_TRUNC ? " trunc" : "",
			       flags & SIM_O_CLOEXEC ? " cloexec" : "");
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
	if (ev->stmt->file.fill >= 0) {
		sim_trace_puts(s, " fill=");
		sim_trace_int(s, ev->stmt->file.fill);
	}
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

/* ---- What came of it ---- */

/* close, mkfifo, unlink: the result alone, and the pipe when there is one. */
void sim_call_file_result(GString *s, const SimTraceEvent *ev, const char *arrow)
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

void sim_call_file_fd_result(GString *s, const SimTraceEvent *ev, const char *arrow)
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
const SimFileArgs sim_call_file_defaults = { .size = -1, .fill = -1 };

static const OptSpec pipe_opts[] = {
	FLAG_OPT("nonblock", ST(file.flags), SIM_O_NONBLOCK),
	FLAG_OPT("cloexec", ST(file.flags), SIM_O_CLOEXEC),
	FLAG_OPT("direct", ST(file.flags), SIM_O_DIRECT),
	INT_OPT("flags", ST(file.dupfl), G_MININT32, G_MAXINT32),
	OPTS_END,
};

/* pipe2's flags=N: the bits it knows become the words' flags; the others stay in dupfl, for
 * the EINVAL pipe2 gives before it makes anything. O_NOTIFICATION_PIPE (O_EXCL) with no
 * unknown bit asks for a watch-queue pipe, which is not modelled. */
static gboolean pipe_raw_flags(Parser *p, SimStmt *st, SimLoc at)
{
	gint64 fl = st->file.dupfl;
	gint64 known = O_NONBLOCK | O_CLOEXEC | O_DIRECT | O_EXCL;
	/* With another unknown bit the call fails whatever O_NOTIFICATION_PIPE would do. */
	if ((fl & O_EXCL) && !(fl & ~known))
		return scn_fail_at(p, at, E_MISUSE,
				   "not supported: pipe2's O_NOTIFICATION_PIPE (0x80, a watch-queue "
				   "pipe) in flags=%#x",
				   (guint)fl);
	st->file.flags |= (fl & O_NONBLOCK ? SIM_O_NONBLOCK : 0) |
			  (fl & O_CLOEXEC ? SIM_O_CLOEXEC : 0) | (fl & O_DIRECT ? SIM_O_DIRECT : 0);
	st->file.dupfl = fl & ~(gint64)(O_NONBLOCK | O_CLOEXEC | O_DIRECT);
	return TRUE;
}

/* pipe [nonblock] [cloexec] [direct] [flags=N] -> VAR: pipe2's flags; the variable is required, since it
 * is the only way to the ends. */
static gboolean pipe_parse(Parser *p, SimStmt *st)
{
	st->file = sim_call_file_defaults;
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
	return pipe_raw_flags(p, st, st->loc);
}

/* `nonblock` is this call's own O_NONBLOCK (RWF_NOWAIT), kept in file.nowait. */
static const OptSpec read_write_opts[] = {
	/* write's size is a size_t too: any value but the one that marks it unset */
	INT_OPT("size", ST(file.size), G_MININT64 + 1, G_MAXINT64),
	BOOL_OPT("nonblock", ST(file.nowait)),
	OPTS_END,
};

/* read's size is a size_t: any value, -1 the largest (read_count_err); fill=B fills the
 * buffer first, for `expect @L untouched=N`. */
static const OptSpec read_opts[] = {
	INT_OPT("size", ST(file.size), G_MININT64, G_MAXINT64),
	BOOL_OPT("nonblock", ST(file.nowait)),
	INT_OPT("fill", ST(file.fill), 0, 255),
	OPTS_END,
};

/* read D [size=N] [nonblock] [fill=B] [-> VAR] */
static gboolean read_parse(Parser *p, SimStmt *st)
{
	st->file = sim_call_file_defaults;
	st->file.size = READ_SIZE; /* the buffer of a read without size= */
	if (!scn_take_fd(p, st, "read", NULL))
		return FALSE;
	StmtOpts so = { .o = { .what = "read", .specs = read_opts }, .role = ROLE_MESSAGE };
	return scn_take_stmt_opts(p, st, &so) && scn_no_nowait(p, "read");
}

/* write D TEXT [size=N] [nonblock]  or  write D size=N [nonblock]; the text may come among
 * the options, as in msgsnd. */
static gboolean write_parse(Parser *p, SimStmt *st)
{
	st->file = sim_call_file_defaults;
	st->file.size = SIM_SIZE_UNSET; /* the text's length */
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
	st->file = sim_call_file_defaults;
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
	/* O_TRUNC: may_open drops it for a FIFO, so it changes nothing there, and F_GETFL
	 * never shows it (do_dentry_open clears it) */
	FLAG_OPT("trunc", ST(file.flags), SIM_O_TRUNC),
	/* O_CLOEXEC: FD_CLOEXEC on the new descriptor, which an exec then closes */
	FLAG_OPT("cloexec", ST(file.flags), SIM_O_CLOEXEC),
	OPTS_END,
};

/* open PATH [rdonly|wronly|rdwr] [nonblock] [trunc] [cloexec] [-> VAR], the options and `-> VAR` in any
 * order. */
static gboolean open_parse(Parser *p, SimStmt *st)
{
	st->file = sim_call_file_defaults;
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
	st->file = sim_call_file_defaults;
	return take_path(p, st, "unlink");
}

/* ---- Execution ---- */

/* -- Helpers -- */

const char *sim_call_file_fd_word(SimWorld *w, const SimTask *t, const SimStmt *st)
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

void sim_call_file_trace(SimWorld *w, SimTraceKind kind, const SimTask *t, const SimStmt *st,
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
	sim_interp_call_event_init(&ev, w, kind, t, st, sim_call_file_fd_word(w, t, st), NULL, err,
				   why, -1);
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
	/* pipe2 takes the two lowest free descriptors, both before installing either; a flag
	 * it does not know fails first (__do_pipe_flags). */
	int rfd = -1, wfd = -1, err = 0;
	if (!st->file.dupfl)
		rfd = sim_fdt_alloc(&t->fdt, 0);
	if (rfd >= 0)
		wfd = sim_fdt_alloc(&t->fdt, rfd + 1);
	SimPipe *p = NULL;
	char name[32];
	g_snprintf(name, sizeof(name), "pipe#%u", w->n_pipes + 1);
	/* create_pipe_files comes after the flags' check and before the descriptors: ENFILE
	 * (alloc_pipe_info refused by fs.pipe-user-pages-hard) before EMFILE. */
	if (st->file.dupfl) {
		err = EINVAL;
	} else if (!(p = sim_world_pipe_new(w, t, name, FALSE))) {
		err = ENFILE;
	} else if (rfd < 0 || wfd < 0) {
		err = EMFILE;
		sim_world_pipe_put(w, p);
		p = NULL;
	} else {
		++w->n_pipes;
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
	sim_world_pipe_made(w, t, st->var, err ? 0 : w->n_pipes);
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

/* The bytes a read took (out, got of them): kept in st's variable or counted as received,
 * as read's own; positioned reads (pread) share it. */
void sim_call_file_received(SimWorld *w, SimTask *t, const SimStmt *st, const GString *out,
			    gsize got, gboolean keep)
{
	if (got && keep) {
		sim_interp_keep_bytes(w, t, st, out->str, out->len, got); /* counts, charges */
	} else if (got) {
		t->n_received++;
		sim_world_charge(w, sim_interp_cost(w, 0, got));
		if (w->out.text) { /* a hook wants the bytes even when nobody keeps them */
			w->out.got = TRUE;
			g_string_assign(w->out.text, out->str);
			w->out.size = got;
		}
	}
}

/* The description a woken read or write works through: the one it holds (a threaded
 * task's, which another thread may have closed meanwhile), else its descriptor's. */
static SimFile *held_file(const SimTask *t, const SimStmt *st)
{
	return t->io_file ? t->io_file : sim_fdt_get(&t->fdt, sim_interp_fd(t, st));
}

/* Is st's descriptor a socket, and the call not one woken on a pipe? A socket's read and
 * write are its family's recv and send. */
static gboolean on_sock(const SimTask *t, const SimStmt *st)
{
	const SimFile *f = held_file(t, st); /* a held socket another thread closed: still one */
	return !t->wait_pipe && f && f->kind == SIM_FILE_SOCK;
}

/* The first address past x86-64's user space with 4-level page tables (TASK_SIZE_MAX, up
 * to the page): no buffer of 2^47 bytes or more fits below it, wherever it starts. */
#define USER_SPACE_END (G_GUINT64_CONSTANT(1) << 47)

/* A read's count no buffer can have, in vfs_read's order: after the descriptor's checks
 * (EBADF, and EINVAL for a file with no read, which io_file gives), access_ok fails
 * (EFAULT), before the file is looked at: at end of file and on an empty pipe alike.
 * `nonblock` is preadv2, whose import_iovec refuses a length negative as an ssize_t
 * (EINVAL) and cuts any other to MAX_RW_COUNT before its access_ok: no EFAULT there. A
 * smaller count stands for a buffer that large (whether one fits depends on where the
 * process's memory lies, which no scenario says). */
static int read_count_err(const SimTask *t, const SimStmt *st)
{
	guint64 n = (guint64)st->file.size;
	const SimFile *f = sim_fdt_get(&t->fdt, sim_interp_fd(t, st));
	if (n < USER_SPACE_END || !f || !open_for(f, SIM_O_RDONLY))
		return 0;
	if (st->file.nowait)
		return n > G_MAXINT64 ? EINVAL : 0;
	return EFAULT;
}

/* A count refused before the file is looked at (read_count_err). */
static void read_refused(SimWorld *w, SimTask *t, const SimStmt *st, int err)
{
	sim_interp_started(w, st);
	sim_world_charge(w, w->scn->cost_syscall);
	if (w->trace)
		trace_io(w, SIM_TR_CALL, t, st, NULL, err, NULL, 0, NULL, 0, 0);
	sim_interp_finish(w, t, st, err, 0);
}

static void read_exec(SimWorld *w, SimTask *t, const SimStmt *st)
{
	int cerr = t->resuming ? 0 : read_count_err(t, st);
	if (cerr) {
		read_refused(w, t, st, cerr);
		return;
	}
	if (on_sock(t, st)) {
		sim_call_sock_read(w, t, st);
		return;
	}
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
		SimFile *f = held_file(t, st);
		SimPipeCtx c = pipe_ctx(w, t, nonblocking(f, st), TRUE);
		err = sim_pipe_read(p, &c, &t->waiter, (gsize)st->file.size, out, &got);
		if (err == EINTR && sim_sigbody_restart_first(w, t))
			return; /* a handler's body runs first */
		if (err == EINTR && restart(w, t))
			fresh = TRUE; /* the call starts over, at the tail */
	} else {
		sim_interp_started(w, st);
		sim_world_charge(w, w->scn->cost_syscall);
	}
	SimFile *f = NULL;
	if (fresh) {
		resuming = FALSE;
		sim_world_file_release(w, t); /* a restarted call looks its descriptor up again */
		f = io_file(t, st, SIM_O_RDONLY, (gsize)st->file.size, &err);
		p = f && f->kind == SIM_FILE_PIPE ? f->pipe : NULL;
		if (f && f->kind == SIM_FILE_MQ && (gint64)f->pos > G_MAXINT64 - st->file.size) {
			err = EINVAL; /* rw_verify_area: the offset plus the count overflows (an
				       * lseek put the offset near the largest) */
		} else if (f && f->kind == SIM_FILE_MQ) {
			got = read_mq_file(w, f, (gsize)st->file.size, out);
		} else if (f) {
			SimPipeCtx c = pipe_ctx(w, t, nonblocking(f, st), FALSE);
			err = sim_pipe_read(p, &c, &t->waiter, (gsize)st->file.size, out, &got);
		}
	}
	if (err == SIM_BLOCKED) {
		sim_world_file_hold(t, f);
		block_on_pipe(w, t, st, p,
			      resuming ? "pipe empty again: back to the tail" : "pipe empty", 0,
			      NULL, (gsize)st->file.size);
		return;
	}
	t->wait_pipe = NULL;
	if (w->trace)
		trace_io(w, resuming ? SIM_TR_RETURN : SIM_TR_CALL, t, st, p, err, NULL,
			 (gint64)got, out ? out->str : NULL, got, (gsize)st->file.size);
	sim_call_file_received(w, t, st, out, got, keep);
	/* The kernel copies the bytes read and no more: the rest of the buffer keeps the fill. */
	if (st->file.fill >= 0 && !err)
		sim_interp_untouched(w, t, st, st->file.size - (gint64)got);
	sim_interp_finish(w, t, st, err, (gint64)got);
	SIM_CHECK(!p || sim_pipe_check(p));
	sim_world_file_release(w, t); /* may close the pipe end: p is not read after it */
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
	return st->file.size != SIM_SIZE_UNSET ? (gsize)st->file.size : src->len;
}

/* write's count as read's (read_count_err): vfs_write checks FMODE_WRITE (EBADF) and
 * FMODE_CAN_WRITE (EINVAL: a queue's file, which io_file gives) before access_ok, and no
 * buffer holds 2^47 bytes or more: EFAULT, before the pipe is looked at, so no SIGPIPE
 * either. pwritev2 (nonblock) refuses a length negative as an ssize_t (EINVAL). */
static int write_count_err(const SimTask *t, const SimStmt *st, guint64 n)
{
	const SimFile *f = sim_fdt_get(&t->fdt, sim_interp_fd(t, st));
	if (n < USER_SPACE_END || !f || !open_for(f, SIM_O_WRONLY) || f->kind == SIM_FILE_MQ)
		return 0;
	if (st->file.nowait)
		return n > G_MAXINT64 ? EINVAL : 0;
	return EFAULT;
}

static void write_exec(SimWorld *w, SimTask *t, const SimStmt *st)
{
	gboolean resuming = t->resuming, fresh = !resuming;
	SimPipeSrc src;
	gsize n = write_src(w, t, st, &src);
	int cerr = resuming ? 0 : write_count_err(t, st, n);
	if (cerr) {
		sim_interp_started(w, st);
		sim_world_charge(w, w->scn->cost_syscall);
		if (w->trace)
			trace_io(w, SIM_TR_CALL, t, st, NULL, cerr, NULL, 0, src.text, src.len, n);
		sim_interp_finish(w, t, st, cerr, 0);
		return;
	}
	if (on_sock(t, st)) {
		sim_call_sock_write(w, t, st, src.text, src.len, n);
		return;
	}
	SimPipe *p = t->wait_pipe;
	SimPipeCtx c = { 0 };
	gsize done = t->io_done;
	int err = 0;
	if (resuming) {
		/* Woken by a reader, a last close or a signal: go on where it stopped. */
		t->resuming = FALSE;
		SimFile *f = held_file(t, st);
		c = pipe_ctx(w, t, nonblocking(f, st), TRUE);
		c.packet = packets(f);
		err = sim_pipe_write(p, &c, &t->waiter, &src, n, &done);
		if (err == EINTR && done == 0 && sim_sigbody_restart_first(w, t))
			return; /* a handler's body runs first */
		if (err == EINTR && restart(w, t))
			fresh = TRUE; /* nothing moved: the call starts over */
	} else {
		sim_interp_started(w, st);
		sim_world_charge(w, w->scn->cost_syscall);
	}
	SimFile *f = NULL;
	if (fresh) {
		resuming = FALSE;
		done = 0;
		sim_world_file_release(w, t); /* a restarted call looks its descriptor up again */
		f = io_file(t, st, SIM_O_WRONLY, n, &err);
		p = f ? f->pipe : NULL;
		if (f) {
			c = pipe_ctx(w, t, nonblocking(f, st), FALSE);
			c.packet = packets(f);
			err = sim_pipe_write(p, &c, &t->waiter, &src, n, &done);
		}
	}
	if (err == SIM_BLOCKED) {
		t->io_done = done;
		sim_world_file_hold(t, f);
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
	sim_world_file_release(w, t); /* may close the pipe end: p is not read after it */
	sim_world_wake_all(w, t, NULL);
	if (c.sigpipe)
		sim_world_signal(w, t, SIGPIPE); /* to the writer itself: by default it dies */
}

/* A read or write whose task dies: see sim_interp_abandon. */
static void io_abandon(SimWorld *w, SimTask *t, const SimStmt *st, gboolean reading)
{
	SimPipe *p = t->wait_pipe;
	if (!p) {
		sim_world_file_release(w, t); /* a read or write on a socket held its file */
		return;
	}
	g_assert(t->waiter.queue == NULL);
	SimPipeCtx c = { .wake = &w->wake,
			 .resumed = TRUE,
			 .signal_pending = TRUE,
			 .packet = packets(held_file(t, st)) };
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
	sim_world_file_release(w, t);
}

static void read_abandon(SimWorld *w, SimTask *t, const SimStmt *st)
{
	io_abandon(w, t, st, TRUE);
}

static void write_abandon(SimWorld *w, SimTask *t, const SimStmt *st)
{
	io_abandon(w, t, st, FALSE);
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
		sim_call_file_trace(w, SIM_TR_CALL, t, st, path, NULL, err, NULL, 0);
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

/* fifo_open: a reader that did not wait for a writer (O_NONBLOCK, none there) remembers
 * the writers' counter, and poll shows it no POLLHUP until a writer has come and gone. */
static guint fifo_poll_wver(const SimPipe *p, guint access, guint flags)
{
	return access == SIM_O_RDONLY && (flags & SIM_O_NONBLOCK) && !p->writers ? p->w_counter
										 : 0;
}

static void open_exec(SimWorld *w, SimTask *t, const SimStmt *st)
{
	guint access = st->file.flags & (SIM_O_RDONLY | SIM_O_WRONLY | SIM_O_RDWR);
	gboolean resuming = t->resuming, fresh = !resuming;
	g_autofree char *path = g_strdup(path_of(w, t, st));
	SimPipe *p = t->wait_pipe;
	int err = 0, fd = -1;
	if (resuming && !p) {
		/* Its EINTR was taken before a handler's body ran (below): the body has ended,
		 * and the open starts over now, as SA_RESTART says (the kernel runs the handler,
		 * then restarts the call). */
		t->resuming = FALSE;
		err = EINTR;
		fresh = restart(w, t);
	} else if (resuming) {
		/* Woken by the partner's open, or by a signal. */
		t->resuming = FALSE;
		SimPipeCtx c = pipe_ctx(w, t, FALSE, TRUE);
		err = sim_pipe_open(p, &c, &t->waiter, access, &t->open_cookie);
		if (err == EINTR) {
			sim_world_pipe_put(w, p); /* it no longer counts as an opener */
			p = NULL;
			t->wait_pipe = NULL;
			if (sim_sigbody_restart_first(w, t))
				return; /* a handler's body runs first */
			fresh = restart(w, t);
		}
	} else {
		sim_interp_started(w, st);
		sim_world_charge(w, w->scn->cost_syscall);
	}
	if (fresh) {
		resuming = FALSE;
		err = 0; /* a restart (SA_RESTART) forgets the EINTR that ended the first try */
		SimFifo *fi = NULL;
		if (sim_fdt_alloc(&t->fdt, 0) < 0)
			err = EMFILE; /* the descriptor comes first */
		else if (!(fi = find_fifo(w, path)))
			err = ENOENT;
		else if (!may_open(fi, &t->cred, access))
			err = EACCES;
		else if (fi->is_sock)
			err = ENXIO; /* a socket file: its inode's open is bad_sock_fops' */
		if (fi && !err) {
			if (!fi->pipe && (fi->pipe = sim_world_pipe_new(w, t, fi->path, TRUE)))
				fi->pipe->fifo = fi;
			p = fi->pipe;
		}
		if (fi && !err && !p) {
			err = ENOMEM; /* fifo_open: alloc_pipe_info refused (pipe-user-pages-hard) */
		} else if (fi && !err) {
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
			sim_call_file_trace(w, SIM_TR_CALL, t, st, path, p, 0, why, 0);
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
				      .refs = 1,
				      .poll_wver = fifo_poll_wver(p, access, st->file.flags) });
		sim_world_fd_install(w, t, fd, f);
		if (st->file.flags & SIM_O_CLOEXEC)
			sim_fdt_set_fdfl(&t->fdt, fd, SIM_FD_CLOEXEC);
	}
	if (st->var >= 0)
		t->vars[st->var].num = err ? -1 : fd;
	if (w->trace)
		sim_call_file_trace(w, resuming ? SIM_TR_RETURN : SIM_TR_CALL, t, st, path, p, err,
				    NULL, fd);
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
		sim_call_file_trace(w, SIM_TR_CALL, t, st, path, f ? f->pipe : NULL, err, NULL, 0);
	sim_interp_returned(w, t, st, err);
}

/* ---- Cross-check: replay on the real kernel, and comparison ---- */

static gboolean pipe_replay(SimReplay *r)
{
	r->c->op = SIM_REAL_PIPE;
	guint fl = r->st->file.flags;
	r->c->a[1] = (fl & SIM_O_NONBLOCK ? O_NONBLOCK : 0) | (fl & SIM_O_CLOEXEC ? O_CLOEXEC : 0) |
		     (fl & SIM_O_DIRECT ? O_DIRECT : 0) | r->st->file.dupfl;
	return TRUE;
}

static gboolean read_replay(SimReplay *r)
{
	xc_replay_fd(r, SIM_REAL_READ);
	r->c->a[1] = r->st->file.size;
	r->c->a[2] = r->st->file.nowait;
	r->c->a[3] = r->st->file.fill + 1; /* 0: no fill */
	if (r->st->file.fill >= 0 && (guint64)r->st->file.size > SIM_REAL_IO_MAX) {
		xc_refuse(r->xc, "a fill= buffer of more than %d bytes", SIM_REAL_IO_MAX);
		return FALSE;
	}
	return TRUE;
}

/* The text repeated to the size asked ("x" when there is no text), as the model writes. */
static gboolean write_replay(SimReplay *r)
{
	xc_replay_fd(r, SIM_REAL_WRITE);
	gint64 size = r->st->file.size;
	if (size != SIM_SIZE_UNSET && (guint64)size >= USER_SPACE_END) {
		/* The kernel refuses such a count before it reads a byte (write_count_err), but
		 * through pwritev2 one below 2^63 is cut and written: more than a call carries. */
		if (r->st->file.nowait && size >= 0) {
			xc_refuse(r->xc, "a nonblock write of %" G_GINT64_FORMAT " bytes is more "
					 "than a worker call carries", size);
			return FALSE;
		}
		r->c->a[1] = size; /* no data: the worker hands the kernel the count as it is */
		r->c->a[2] = r->st->file.nowait;
		return TRUE;
	}
	if (!xc_replay_bytes(r, size == SIM_SIZE_UNSET ? -1 : size, "write"))
		return FALSE;
	r->c->a[2] = r->st->file.nowait;
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
	xc_model_untouched(mc, mc->st->file.fill);
}

static void read_kernel_cell(SimKernelCell *kc)
{
	xc_kernel_data(kc);
	xc_kernel_untouched(kc, kc->st->file.fill);
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

/* read, write: change the pipe (bytes, waiters, the description's offset); a read of a
 * POSIX queue's descriptor moves through its status line (the offset again). */
static void io_footprint(const SimWorld *w, const SimTask *t, const SimStmt *st, SimFootprint *fp)
{
	guint kinds = st->kind == SIM_STMT_READ ? SIM_CALL_FP_PIPE | SIM_CALL_FP_MQ
						: SIM_CALL_FP_PIPE;
	sim_call_fp_self(fp, t, FALSE);
	sim_call_fp_fd(w, t, st, fp, kinds, TRUE);
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
	FILE_ROW(SIM_STMT_MKFIFO, "mkfifo", mkfifo_text, sim_call_file_result, sim_call_json_ret,
		 .exec = mkfifo_exec, .parse = mkfifo_parse, .real_name = "mkfifo",
		 .xc_flags = SIM_CALL_XC_PATH, .replay = mkfifo_replay,
		 .footprint = path_footprint),
	FILE_ROW(SIM_STMT_OPEN, "open", open_text, sim_call_file_fd_result, sim_call_json_ret,
		 .exec = open_exec, .abandon = open_abandon, .parse = open_parse,
		 .real_name = "open", .xc_flags = SIM_CALL_XC_PATH, .replay = open_replay,
		 .footprint = path_footprint, .blocks = TRUE, .wait_role = SIM_WAIT_OPENS,
		 .wait_obj = SIM_OBJ_PIPE),
	FILE_ROW(SIM_STMT_UNLINK, "unlink", path_text, sim_call_file_result, sim_call_json_ret,
		 .exec = unlink_exec, .parse = unlink_parse, .real_name = "unlink",
		 .xc_flags = SIM_CALL_XC_PATH, .replay = unlink_replay,
		 .footprint = path_footprint),
};
const guint sim_call_file_n_rows = G_N_ELEMENTS(sim_call_file_rows);
