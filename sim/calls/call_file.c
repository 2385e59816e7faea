/* call_file.c — the files-and-processes family: descriptors, pipes and FIFOs (pipe.h,
 * fdtable.h), and the process calls fork, wait, exit, kill and on (sigaction).
 *
 * The trace shows pipe data quoted and cut after 40 bytes (a write of 64 KiB stays one
 * line), a read at end of file as such, a write that blocked part-way with how much it
 * wrote, and the pipe's state after the call, "[pipe#1: 5 bytes in 1/16 slots, 1 reader,
 * 1 writer]", whose slot count is what F_GETPIPE_SZ and the merge rule are about.
 *
 * Footprint: a descriptor call reaches the one object behind its descriptor; paths are
 * told apart by name; the process calls touch tasks. kill and exit are the wide ones: the
 * end of a task reaches every object it holds or waits on.
 */
#include "calls/call_int.h"

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
	if (st->kind == SIM_STMT_FCNTL)
		changes = st->fcntl == SIM_FCNTL_SETPIPE_SZ || st->fcntl == SIM_FCNTL_NONBLOCK ||
			  st->fcntl == SIM_FCNTL_BLOCK;
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

/* fork: starts the child with a copy of the parent's descriptor table. The descriptions
 * are shared, but a fork changes none of them as others see them. */
static void fork_footprint(const SimWorld *w, const SimTask *t, const SimStmt *st, SimFootprint *fp)
{
	(void)w;
	sim_call_fp_self(fp, t, FALSE);
	sim_footprint_add(fp, SIM_OBJ_FDT, (guint64)t->id, FALSE);
	sim_footprint_add(fp, SIM_OBJ_TASK, (guint64)st->ep.index, TRUE);
	sim_footprint_add(fp, SIM_OBJ_FDT, (guint64)st->ep.index, TRUE);
}

/* wait: reads the child's state (its exit) and changes the task's own (the child reaped,
 * which kill then sees). on: changes the signal action that a kill on the task reads. */
static void self_footprint(const SimWorld *w, const SimTask *t, const SimStmt *st, SimFootprint *fp)
{
	(void)w;
	sim_call_fp_self(fp, t, TRUE);
	if (st->kind == SIM_STMT_WAIT)
		sim_footprint_add(fp, SIM_OBJ_TASK, (guint64)st->ep.index, FALSE);
}

/* What the end of task x changes, by exit or by a signal: x itself, its descriptor table
 * and every object behind it (readers see end of file, writers EPIPE), the mailboxes it
 * owns (destroyed), the tasks that start after it, and, when x is blocked, whatever its
 * blocked call waits on (the waiter leaves it; a signal with a handler does the same). */
void sim_call_footprint_end(const SimWorld *w, const SimTask *x, SimFootprint *fp)
{
	sim_footprint_add(fp, SIM_OBJ_TASK, (guint64)x->id, TRUE);
	sim_footprint_add(fp, SIM_OBJ_FDT, (guint64)x->id, TRUE);
	for (guint fd = 0; fd < x->fdt.n; fd++) {
		const SimFile *f = sim_fdt_get(&x->fdt, fd);
		if (!f)
			continue;
		sim_call_fp_file(fp, f, TRUE);
		if (f->kind == SIM_FILE_MQ)
			sim_footprint_add(fp, SIM_OBJ_MQ_NS, 0, TRUE); /* an unlinked one freed */
	}
	for (guint i = 0; i < w->n_mboxes; i++)
		if (w->mboxes[i].owner == x->id && !w->mboxes[i].destroyed)
			sim_footprint_add(fp, SIM_OBJ_MBOX, i, TRUE);
	for (guint i = 0; i < w->n_tasks; i++) {
		const SimTask *o = &w->tasks[i];
		if (o->state == SIM_STATE_NEW && o->proc->start == SIM_START_AFTER &&
		    o->proc->start_after == x->id)
			sim_footprint_add(fp, SIM_OBJ_TASK, i, TRUE);
	}
	const SimStmt *at = x->state == SIM_STATE_BLOCKED ? x->prog->code[x->pc].stmt : NULL;
	if (!at)
		return;
	SimFootprint in;
	sim_call_footprint(w, x, at, &in);
	if (in.everything)
		fp->everything = TRUE;
	for (guint i = 0; i < in.n; i++)
		sim_footprint_add(fp, in.refs[i].kind, in.refs[i].id, TRUE);
}

static void exit_footprint(const SimWorld *w, const SimTask *t, const SimStmt *st, SimFootprint *fp)
{
	(void)st;
	sim_call_footprint_end(w, t, fp);
}

/* kill: what the signal may do to the target, up to ending it. */
static void kill_footprint(const SimWorld *w, const SimTask *t, const SimStmt *st, SimFootprint *fp)
{
	sim_call_fp_self(fp, t, FALSE);
	sim_call_footprint_end(w, &w->tasks[st->ep.index], fp);
}

#define FILE_ROW(k, word, o, text, result, json, ...)                                            \
	{                                                                                        \
		.kind = (k), .name = (word), .family = SIM_CALL_FILE, .op = (o),                 \
		.text_call = (text), .text_result = (result), .json_result = (json), __VA_ARGS__ \
	}

const SimCallDesc sim_call_file_rows[] = {
	FILE_ROW(SIM_STMT_PIPE, "pipe", SIM_OP_FILE, pipe_text, pipe_result, pipe_json,
		 .footprint = pipe_footprint),
	FILE_ROW(SIM_STMT_CLOSE, "close", SIM_OP_FILE, operand_text, plain_result,
		 sim_call_json_ret, .footprint = close_footprint),
	FILE_ROW(SIM_STMT_READ, "read", SIM_OP_FILE, read_text, read_result, read_json,
		 .footprint = io_footprint, .blocks = TRUE),
	FILE_ROW(SIM_STMT_WRITE, "write", SIM_OP_FILE, write_text, write_result, sim_call_json_ret,
		 .footprint = io_footprint, .blocks = TRUE),
	FILE_ROW(SIM_STMT_FCNTL, "fcntl", SIM_OP_FILE, fcntl_text, fcntl_result, sim_call_json_ret,
		 .footprint = io_footprint),
	FILE_ROW(SIM_STMT_IOCTL, "ioctl", SIM_OP_FILE, ioctl_text, ioctl_result, sim_call_json_ret,
		 .footprint = io_footprint),
	FILE_ROW(SIM_STMT_MKFIFO, "mkfifo", SIM_OP_FILE, mkfifo_text, plain_result,
		 sim_call_json_ret, .footprint = path_footprint),
	FILE_ROW(SIM_STMT_OPEN, "open", SIM_OP_FILE, open_text, fd_result, sim_call_json_ret,
		 .footprint = path_footprint, .blocks = TRUE),
	FILE_ROW(SIM_STMT_UNLINK, "unlink", SIM_OP_FILE, path_text, plain_result, sim_call_json_ret,
		 .footprint = path_footprint),
	FILE_ROW(SIM_STMT_FORK, "fork", SIM_OP_FORK, operand_text, plain_result, sim_call_json_ret,
		 .footprint = fork_footprint),
	FILE_ROW(SIM_STMT_WAIT, "wait", SIM_OP_WAIT, operand_text, wait_result, sim_call_json_ret,
		 .footprint = self_footprint, .blocks = TRUE),
	FILE_ROW(SIM_STMT_KILL, "kill", SIM_OP_KILL, kill_text, sim_call_text_result,
		 sim_call_json_ret, .footprint = kill_footprint),
	FILE_ROW(SIM_STMT_ON, "on", SIM_OP_ON, on_text, sim_call_text_result, sim_call_json_ret,
		 .footprint = self_footprint),
	/* Traced as an exit event (SIM_TR_EXIT), never as a call. */
	FILE_ROW(SIM_STMT_EXIT, "exit", SIM_OP_EXIT, NULL, NULL, NULL, .footprint = exit_footprint),
};
const guint sim_call_file_n_rows = G_N_ELEMENTS(sim_call_file_rows);
