/* interp_file.c — the pipe, FIFO and process calls: pipe, read, write, close, fcntl, ioctl,
 * mkfifo, open, unlink, fork and wait.
 *
 * The design choice to know: every blocking call here (read, write, open, wait) sleeps on
 * an exclusive FIFO list and, when woken, runs its operation again with `resumed` set,
 * exactly as the kernel's wait_event loops re-check their condition. A caught signal
 * interrupts the sleep; the call then stops where the kernel stops (a write keeps the
 * bytes it moved) and either restarts (SA_RESTART) or fails with EINTR.
 */
#include <string.h>

#include "engine/interp_int.h"
#include "msgsim/kernel/pipe.h"

/* ---- Helpers ---- */

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
	SimTraceEvent ev = sim_interp_call_event(w, kind, t, st, object, NULL, err, why, -1);
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
	SimTraceEvent ev =
		sim_interp_call_event(w, kind, t, st, fd_word(w, t, st), NULL, err, why, -1);
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

/* ---- pipe, close ---- */

static void do_pipe(SimWorld *w, SimTask *t, const SimStmt *st)
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
		guint nb = st->flags & SIM_O_NONBLOCK;
		SimFile *fr = sim_world_file_new(w, (SimFile){ .kind = SIM_FILE_PIPE,
							       .pipe = p,
							       .flags = SIM_O_RDONLY | nb,
							       .refs = 1 });
		SimFile *fw = sim_world_file_new(w, (SimFile){ .kind = SIM_FILE_PIPE,
							       .pipe = p,
							       .flags = SIM_O_WRONLY | nb,
							       .refs = 1 });
		sim_pipe_attach(p, TRUE, FALSE);
		sim_pipe_attach(p, FALSE, TRUE);
		sim_world_fd_install(w, t, rfd, fr);
		sim_world_fd_install(w, t, wfd, fw);
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

static void do_close(SimWorld *w, SimTask *t, const SimStmt *st)
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

/* ---- read, write ---- */

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
		*err = st->nowait && n ? EOPNOTSUPP : 0; /* a queue's file has no FMODE_NOWAIT */
	else if (f->kind != SIM_FILE_PIPE)
		*err = EINVAL; /* a queue's file has no write */
	else if (st->nowait && f->pipe->is_fifo && n)
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
	return (f && (f->flags & SIM_O_NONBLOCK)) || st->nowait;
}

static void do_read(SimWorld *w, SimTask *t, const SimStmt *st)
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
		err = sim_pipe_read(p, &c, &t->waiter, (gsize)st->size, out, &got);
		if (err == EINTR && restart(w, t))
			fresh = TRUE; /* the call starts over, at the tail */
	} else {
		sim_interp_started(w, st);
		sim_world_charge(w, w->scn->cost_syscall);
	}
	if (fresh) {
		resuming = FALSE;
		SimFile *f = io_file(t, st, SIM_O_RDONLY, (gsize)st->size, &err);
		p = f && f->kind == SIM_FILE_PIPE ? f->pipe : NULL;
		if (f && f->kind == SIM_FILE_MQ) {
			got = read_mq_file(w, f, (gsize)st->size, out);
		} else if (f) {
			SimPipeCtx c = pipe_ctx(w, t, nonblocking(f, st), FALSE);
			err = sim_pipe_read(p, &c, &t->waiter, (gsize)st->size, out, &got);
		}
	}
	if (err == SIM_BLOCKED) {
		block_on_pipe(w, t, st, p,
			      resuming ? "pipe empty again: back to the tail" : "pipe empty", 0,
			      NULL, (gsize)st->size);
		return;
	}
	t->wait_pipe = NULL;
	if (w->trace)
		trace_io(w, resuming ? SIM_TR_RETURN : SIM_TR_CALL, t, st, p, err, NULL,
			 (gint64)got, out ? out->str : NULL, got, (gsize)st->size);
	if (got && keep) {
		SimMsg *m = sim_msg_pool_get(&w->pool);
		m->from = -1; /* bytes in a pipe carry no sender */
		m->to = t->id;
		m->type = 0;
		m->prio = 0;
		m->seq = w->msg_seq++;
		sim_msg_own_text(&w->pool, m, out->str, out->len);
		m->len = m->size = got;
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
		src->len = strlen(st->text.literal);
	} else if (st->text.n_parts) {
		sim_interp_expand(w, t, &st->text);
		src->text = w->scratch->str;
		src->len = w->scratch->len;
	}
	return st->size >= 0 ? (gsize)st->size : src->len;
}

static void do_write(SimWorld *w, SimTask *t, const SimStmt *st)
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

void sim_interp_file_abandon(SimWorld *w, SimTask *t)
{
	const SimStmt *st = t->prog->code[t->pc].stmt;
	SimPipe *p = t->wait_pipe;
	if (p && st && st->kind == SIM_STMT_OPEN) {
		/* A FIFO open it was waiting in (or woken from, not yet run) is given up. */
		SimPipeCtx c = { .wake = &w->wake };
		sim_pipe_open_abort(p, &c, st->flags & (SIM_O_RDONLY | SIM_O_WRONLY));
		sim_world_pipe_put(w, p);
		t->wait_pipe = NULL;
		return;
	}
	if (!p || !st || (st->kind != SIM_STMT_READ && st->kind != SIM_STMT_WRITE))
		return;
	g_assert(t->waiter.queue == NULL);
	SimPipeCtx c = { .wake = &w->wake, .resumed = TRUE, .signal_pending = TRUE };
	SimPipeSrc src = { NULL, 0 };
	gsize n = (gsize)st->size, moved = 0;
	int err;
	if (st->kind == SIM_STMT_READ) {
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

/* ---- fcntl, ioctl ---- */

static void do_fcntl(SimWorld *w, SimTask *t, const SimStmt *st)
{
	sim_interp_started(w, st);
	sim_world_charge(w, w->scn->cost_syscall);
	SimFile *f = sim_fdt_get(&t->fdt, sim_interp_fd(t, st));
	SimPipe *p = f && f->kind == SIM_FILE_PIPE ? f->pipe : NULL;
	int err = 0;
	gint64 ret = 0;
	if (!f) {
		err = EBADF;
	} else {
		switch (st->fcntl) {
		case SIM_FCNTL_GETPIPE_SZ:
			if (p)
				ret = sim_pipe_size(p);
			else
				err = EBADF; /* pipe_fcntl: not a pipe */
			break;
		case SIM_FCNTL_SETPIPE_SZ:
			if (p) {
				SimPipeCtx c = { .wake = &w->wake };
				w->mem -= sim_pipe_bytes(p); /* the ring may change size */
				ret = sim_pipe_set_size(p, &c, st->size,
							(t->cred.caps & SIM_CAP_SYS_RESOURCE) != 0);
				w->mem += sim_pipe_bytes(p);
				err = ret < 0 ? (int)-ret : 0;
			} else {
				err = EBADF;
			}
			break;
		case SIM_FCNTL_NONBLOCK:
			f->flags |= SIM_O_NONBLOCK;
			break;
		case SIM_FCNTL_BLOCK:
			f->flags &= ~(guint)SIM_O_NONBLOCK;
			break;
		case SIM_FCNTL_FIONREAD:
			/* A POSIX queue's descriptor is a file of mqueuefs whose size is the
			 * 80 bytes of its QSIZE line: the generic FIONREAD gives size - offset. */
			ret = p ? (gint64)p->bytes : SIM_MQ_FILE_SIZE;
			break;
		}
	}
	if (w->trace)
		trace_file(w, SIM_TR_CALL, t, st, fd_word(w, t, st), p, err, NULL, ret);
	sim_interp_finish(w, t, st, err, ret);
	SIM_CHECK(!p || sim_pipe_check(p));
	sim_world_wake_all(w, t, NULL);
}

/* ---- mkfifo, open, unlink ---- */

static gboolean file_declared(const SimWorld *w, const char *path)
{
	for (guint i = 0; i < w->scn->n_files; i++)
		if (strcmp(w->scn->files[i].path, path) == 0)
			return TRUE;
	return FALSE;
}

static void do_mkfifo(SimWorld *w, SimTask *t, const SimStmt *st)
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
		w->mem += sizeof(SimFifo) + strlen(path) + 1; /* kept after unlink */
		f->mode = (guint)st->perm & 0777 & ~0022u; /* the umask */
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

static void do_open(SimWorld *w, SimTask *t, const SimStmt *st)
{
	guint access = st->flags & (SIM_O_RDONLY | SIM_O_WRONLY | SIM_O_RDWR);
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
			if (!fi->pipe)
				fi->pipe = sim_world_pipe_new(w, fi->path, TRUE);
			p = fi->pipe;
			SimPipeCtx c = pipe_ctx(w, t, (st->flags & SIM_O_NONBLOCK) != 0, FALSE);
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
				      .flags = access | (st->flags & SIM_O_NONBLOCK),
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

static void do_unlink(SimWorld *w, SimTask *t, const SimStmt *st)
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

void sim_interp_file_call(SimWorld *w, SimTask *t, const SimStmt *st)
{
	switch (st->kind) {
	case SIM_STMT_PIPE:
		do_pipe(w, t, st);
		break;
	case SIM_STMT_CLOSE:
		do_close(w, t, st);
		break;
	case SIM_STMT_READ:
		do_read(w, t, st);
		break;
	case SIM_STMT_WRITE:
		do_write(w, t, st);
		break;
	case SIM_STMT_FCNTL:
	case SIM_STMT_IOCTL:
		do_fcntl(w, t, st);
		break;
	case SIM_STMT_MKFIFO:
		do_mkfifo(w, t, st);
		break;
	case SIM_STMT_OPEN:
		do_open(w, t, st);
		break;
	case SIM_STMT_UNLINK:
		do_unlink(w, t, st);
		break;
	default:
		g_assert_not_reached();
	}
}

/* ---- fork, wait ---- */

void sim_interp_fork(SimWorld *w, SimTask *t, const SimStmt *st)
{
	sim_interp_started(w, st);
	sim_world_charge(w, w->scn->cost_syscall);
	SimTask *child = &w->tasks[st->ep.index];
	if (w->trace)
		trace_file(w, SIM_TR_CALL, t, st, child->name, NULL, 0, NULL, 0);
	sim_interp_returned(w, t, st, 0);
	sim_world_fork(w, t, child, st->n_inherit);
}

void sim_interp_wait(SimWorld *w, SimTask *t, const SimStmt *st)
{
	SimTask *child = &w->tasks[st->ep.index];
	gboolean resuming = t->resuming;
	if (resuming) {
		t->resuming = FALSE;
	} else {
		sim_interp_started(w, st);
		sim_world_charge(w, w->scn->cost_syscall);
	}
	int err = 0;
	gint64 status = 0;
	/* do_wait: a zombie first, then a pending signal (EINTR, or the handler and a
	 * restart with SA_RESTART), then sleep. */
	if (sim_world_unforked(child) || child->reaped)
		err = ECHILD;
	else if (child->state != SIM_STATE_EXITED && t->sig_pending && !restart(w, t))
		err = EINTR;
	if (err) {
		/* below */
	} else if (child->state != SIM_STATE_EXITED) {
		const char *why = "child still running";
		sim_interp_blocked(w, st);
		t->wait_child = child->id;
		t->waiter.done = FALSE;
		t->waiter.result = 0;
		sim_waitq_add(&t->chld_wait, &t->waiter);
		if (w->trace)
			trace_file(w, SIM_TR_CALL, t, st, child->name, NULL, 0, why, 0);
		sim_world_block(w, t, -1, child->name, why);
		return;
	} else {
		child->reaped = TRUE;
		status = child->exit_code;
	}
	t->wait_child = -1;
	if (st->var >= 0)
		t->vars[st->var].num = err ? -1 : status;
	if (w->trace)
		trace_file(w, resuming ? SIM_TR_RETURN : SIM_TR_CALL, t, st, child->name, NULL, err,
			   NULL, status);
	sim_interp_finish(w, t, st, err, status);
}
