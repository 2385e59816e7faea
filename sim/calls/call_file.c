/* call_file.c — the files-and-processes family: descriptors, pipes and FIFOs (pipe.h,
 * fdtable.h), and the process calls fork, wait, exit, kill and on (sigaction).
 *
 * The trace shows pipe data quoted and cut after 40 bytes (a write of 64 KiB stays one
 * line), a read at end of file as such, a write that blocked part-way with how much it
 * wrote, and the pipe's state after the call, "[pipe#1: 5 bytes in 1/16 slots, 1 reader,
 * 1 writer]", whose slot count is what F_GETPIPE_SZ and the merge rule are about.
 */
#define _GNU_SOURCE /* F_GETPIPE_SZ */

#include "calls/call_int.h"

#include <fcntl.h>
#include <string.h>

#include "real/xcheck_int.h"

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

/* ---- Cross-check: replay on the real kernel, and comparison ---- */

static gboolean close_replay(Xc *xc, SimWorld *w, const SimTask *t, const SimStmt *st,
			     SimRealCall *c, GString *data)
{
	(void)xc;
	(void)w;
	(void)data;
	c->op = SIM_REAL_CLOSE;
	c->a[0] = sim_interp_fd(t, st);
	return TRUE;
}

static gboolean pipe_replay(Xc *xc, SimWorld *w, const SimTask *t, const SimStmt *st,
			    SimRealCall *c, GString *data)
{
	(void)xc;
	(void)w;
	(void)t;
	(void)data;
	c->op = SIM_REAL_PIPE;
	c->a[1] = st->flags & SIM_O_NONBLOCK ? O_NONBLOCK : 0;
	return TRUE;
}

static gboolean read_replay(Xc *xc, SimWorld *w, const SimTask *t, const SimStmt *st,
			    SimRealCall *c, GString *data)
{
	(void)xc;
	(void)w;
	(void)data;
	c->op = SIM_REAL_READ;
	c->a[0] = sim_interp_fd(t, st);
	c->a[1] = st->size;
	c->a[2] = st->nowait;
	return TRUE;
}

/* The text repeated to the size asked ("x" when there is no text), as the model writes. */
static gboolean write_replay(Xc *xc, SimWorld *w, const SimTask *t, const SimStmt *st,
			     SimRealCall *c, GString *data)
{
	c->op = SIM_REAL_WRITE;
	c->a[0] = sim_interp_fd(t, st);
	gsize len;
	const char *text = sim_interp_text(w, t, &st->text, &len);
	gsize n = st->size >= 0 ? (gsize)st->size : len;
	if (n > SIM_REAL_DATA_MAX) {
		xc_refuse(xc, "a write of %zu bytes is more than a worker call carries (%d)", n,
			  SIM_REAL_DATA_MAX);
		return FALSE;
	}
	for (gsize i = 0; i < n; i++)
		g_string_append_c(data, len ? text[i % len] : 'x');
	c->a[1] = (gint64)n;
	c->a[2] = st->nowait;
	return TRUE;
}

/* fcntl and ioctl: F_GETPIPE_SZ, F_SETPIPE_SZ, F_SETFL O_NONBLOCK or 0, FIONREAD. */
static gboolean fcntl_replay(Xc *xc, SimWorld *w, const SimTask *t, const SimStmt *st,
			     SimRealCall *c, GString *data)
{
	gint64 *a = c->a;
	(void)xc;
	(void)w;
	(void)data;
	a[0] = sim_interp_fd(t, st);
	c->op = SIM_REAL_FCNTL;
	switch (st->fcntl) {
	case SIM_FCNTL_GETPIPE_SZ:
		a[1] = F_GETPIPE_SZ;
		break;
	case SIM_FCNTL_SETPIPE_SZ:
		a[1] = F_SETPIPE_SZ;
		a[2] = st->size;
		break;
	case SIM_FCNTL_NONBLOCK:
		a[1] = F_SETFL;
		a[2] = O_NONBLOCK;
		break;
	case SIM_FCNTL_BLOCK:
		a[1] = F_SETFL;
		a[2] = 0;
		break;
	case SIM_FCNTL_FIONREAD:
		c->op = SIM_REAL_IOCTL;
		break;
	}
	return TRUE;
}

/* mkfifo, open, unlink: the path as the model names it, made one name inside the run's
 * sandbox directory. */
static void path_replay(SimWorld *w, const SimTask *t, const SimStmt *st, SimRealOp op,
			SimRealCall *c, GString *data)
{
	stmt_text(w, t, st, NULL, data);
	sim_real_sandbox_encode_path(data);
	c->op = op;
}

static gboolean mkfifo_replay(Xc *xc, SimWorld *w, const SimTask *t, const SimStmt *st,
			      SimRealCall *c, GString *data)
{
	(void)xc;
	path_replay(w, t, st, SIM_REAL_MKFIFO, c, data);
	c->a[1] = st->perm;
	return TRUE;
}

static gboolean open_replay(Xc *xc, SimWorld *w, const SimTask *t, const SimStmt *st,
			    SimRealCall *c, GString *data)
{
	(void)xc;
	path_replay(w, t, st, SIM_REAL_OPEN, c, data);
	c->a[1] = xc_open_flags(st->flags);
	return TRUE;
}

static gboolean unlink_replay(Xc *xc, SimWorld *w, const SimTask *t, const SimStmt *st,
			      SimRealCall *c, GString *data)
{
	(void)xc;
	path_replay(w, t, st, SIM_REAL_UNLINK, c, data);
	return TRUE;
}

static gboolean kill_replay(Xc *xc, SimWorld *w, const SimTask *t, const SimStmt *st,
			    SimRealCall *c, GString *data)
{
	(void)w;
	(void)t;
	(void)data;
	c->op = SIM_REAL_KILL;
	c->a[0] = xc_task_pid(xc, st->ep.index);
	c->a[1] = st->sig;
	return TRUE;
}

static gboolean on_replay(Xc *xc, SimWorld *w, const SimTask *t, const SimStmt *st, SimRealCall *c,
			  GString *data)
{
	(void)xc;
	(void)w;
	(void)t;
	(void)data;
	c->op = SIM_REAL_SIGACTION;
	c->a[0] = st->sig;
	c->a[1] = st->action == SIM_SIG_DEFAULT ? 0 : st->action == SIM_SIG_IGNORE ? 1 : 2;
	c->a[2] = !st->norestart;
	return TRUE;
}

/* The child's worker is its family's: the parent's worker forks into the child's slot. */
static gboolean fork_replay(Xc *xc, SimWorld *w, const SimTask *t, const SimStmt *st,
			    SimRealCall *c, GString *data)
{
	(void)w;
	(void)t;
	(void)data;
	c->op = SIM_REAL_FORK;
	xc_fork_slot(xc, st->ep.index, &c->a[0], &c->a[1]);
	return TRUE;
}

static gboolean wait_replay(Xc *xc, SimWorld *w, const SimTask *t, const SimStmt *st,
			    SimRealCall *c, GString *data)
{
	(void)w;
	(void)t;
	(void)data;
	c->op = SIM_REAL_WAIT;
	c->a[0] = xc_task_pid(xc, st->ep.index);
	return TRUE;
}

/* read: the bytes read. */
static void read_model_cell(Xc *xc, SimWorld *w, const SimTask *t, const SimStmt *st, Cell *m)
{
	(void)xc;
	(void)t;
	(void)st;
	xc_model_data(w, m);
}

static void read_kernel_cell(Xc *xc, const SimStmt *st, const SimRealResult *r, const char *data,
			     Cell *m, Cell *k)
{
	(void)st;
	xc_kernel_data(xc, r, data, m, k);
}

/* pipe: the write end's descriptor besides the read end's. */
static void pipe_model_cell(Xc *xc, SimWorld *w, const SimTask *t, const SimStmt *st, Cell *m)
{
	(void)xc;
	(void)w;
	if (!m->err) {
		m->has_ret2 = TRUE;
		m->ret2_name = "wfd";
		m->ret2 = t->vars[st->var].num2;
	}
}

static void pipe_kernel_cell(Xc *xc, const SimStmt *st, const SimRealResult *r, const char *data,
			     Cell *m, Cell *k)
{
	(void)xc;
	(void)st;
	(void)data;
	(void)m;
	if (!r->err) {
		k->has_ret2 = TRUE;
		k->ret2_name = "wfd";
		k->ret2 = r->ret2;
	}
}

/* wait: the status, and not the pid (the kernel's pids are not the model's). */
static void wait_model_cell(Xc *xc, SimWorld *w, const SimTask *t, const SimStmt *st, Cell *m)
{
	(void)xc;
	(void)w;
	(void)t;
	(void)st;
	if (!m->err) {
		m->has_ret2 = TRUE;
		m->ret2_name = "status";
		m->ret2 = m->ret;
		m->ret = 0;
	}
}

static void wait_kernel_cell(Xc *xc, const SimStmt *st, const SimRealResult *r, const char *data,
			     Cell *m, Cell *k)
{
	(void)xc;
	(void)st;
	(void)data;
	(void)m;
	if (!r->err) {
		k->has_ret2 = TRUE;
		k->ret2_name = "status";
		k->ret2 = r->ret2;
		k->ret = 0;
	}
}

/* fork: the child's pid is not comparable. */
static void fork_model_cell(Xc *xc, SimWorld *w, const SimTask *t, const SimStmt *st, Cell *m)
{
	(void)xc;
	(void)w;
	(void)t;
	(void)st;
	m->ret = 0;
}

static void fork_kernel_cell(Xc *xc, const SimStmt *st, const SimRealResult *r, const char *data,
			     Cell *m, Cell *k)
{
	(void)xc;
	(void)st;
	(void)r;
	(void)data;
	(void)m;
	k->ret = 0;
}

/* ioctl FIONREAD: the count, which the worker answers as its second value. */
static void ioctl_kernel_cell(Xc *xc, const SimStmt *st, const SimRealResult *r, const char *data,
			      Cell *m, Cell *k)
{
	(void)xc;
	(void)st;
	(void)data;
	(void)m;
	if (!r->err)
		k->ret = r->ret2;
}

#define FILE_ROW(k, word, o, text, result, json, ...)                                            \
	{                                                                                        \
		.kind = (k), .name = (word), .family = SIM_CALL_FILE, .op = (o),                 \
		.text_call = (text), .text_result = (result), .json_result = (json), __VA_ARGS__ \
	}

const SimCallDesc sim_call_file_rows[] = {
	FILE_ROW(SIM_STMT_PIPE, "pipe", SIM_OP_FILE, pipe_text, pipe_result, pipe_json,
		 .real_name = "pipe",
		 .replay = pipe_replay,
		 .model_cell = pipe_model_cell,
		 .kernel_cell = pipe_kernel_cell),
	FILE_ROW(SIM_STMT_CLOSE, "close", SIM_OP_FILE, operand_text, plain_result,
		 sim_call_json_ret,
		 .real_name = "close",
		 .replay = close_replay),
	FILE_ROW(SIM_STMT_READ, "read", SIM_OP_FILE, read_text, read_result, read_json,
		 .real_name = "read",
		 .replay = read_replay,
		 .model_cell = read_model_cell,
		 .kernel_cell = read_kernel_cell),
	FILE_ROW(SIM_STMT_WRITE, "write", SIM_OP_FILE, write_text, write_result, sim_call_json_ret,
		 .real_name = "write",
		 .replay = write_replay),
	FILE_ROW(SIM_STMT_FCNTL, "fcntl", SIM_OP_FILE, fcntl_text, fcntl_result, sim_call_json_ret,
		 .real_name = "fcntl",
		 .replay = fcntl_replay),
	FILE_ROW(SIM_STMT_IOCTL, "ioctl", SIM_OP_FILE, ioctl_text, ioctl_result, sim_call_json_ret,
		 .real_name = "ioctl",
		 .replay = fcntl_replay,
		 .kernel_cell = ioctl_kernel_cell),
	FILE_ROW(SIM_STMT_MKFIFO, "mkfifo", SIM_OP_FILE, mkfifo_text, plain_result,
		 sim_call_json_ret,
		 .real_name = "mkfifo",
		 .xc_flags = SIM_CALL_XC_PATH,
		 .replay = mkfifo_replay),
	FILE_ROW(SIM_STMT_OPEN, "open", SIM_OP_FILE, open_text, fd_result, sim_call_json_ret,
		 .real_name = "open",
		 .xc_flags = SIM_CALL_XC_PATH,
		 .replay = open_replay),
	FILE_ROW(SIM_STMT_UNLINK, "unlink", SIM_OP_FILE, path_text, plain_result,
		 sim_call_json_ret,
		 .real_name = "unlink",
		 .xc_flags = SIM_CALL_XC_PATH,
		 .replay = unlink_replay),
	FILE_ROW(SIM_STMT_FORK, "fork", SIM_OP_FORK, operand_text, plain_result, sim_call_json_ret,
		 .real_name = "fork",
		 .replay = fork_replay,
		 .model_cell = fork_model_cell,
		 .kernel_cell = fork_kernel_cell),
	FILE_ROW(SIM_STMT_WAIT, "wait", SIM_OP_WAIT, operand_text, wait_result, sim_call_json_ret,
		 .real_name = "wait",
		 .replay = wait_replay,
		 .model_cell = wait_model_cell,
		 .kernel_cell = wait_kernel_cell),
	FILE_ROW(SIM_STMT_KILL, "kill", SIM_OP_KILL, kill_text, sim_call_text_result,
		 sim_call_json_ret,
		 .real_name = "kill",
		 .replay = kill_replay),
	FILE_ROW(SIM_STMT_ON, "on", SIM_OP_ON, on_text, sim_call_text_result, sim_call_json_ret,
		 .real_name = "sigaction",
		 .replay = on_replay),
	/* Traced as an exit event (SIM_TR_EXIT), never as a call. */
	FILE_ROW(SIM_STMT_EXIT, "exit", SIM_OP_EXIT, NULL, NULL, NULL,
		 .real_name = NULL /* the worker's own end (on_exited), not a call */),
};
const guint sim_call_file_n_rows = G_N_ELEMENTS(sim_call_file_rows);
