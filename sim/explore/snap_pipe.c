/* snap_pipe.c — pipes, FIFOs and descriptor tables saved and made again, for snap.c, and
 * their part of the state digest, for state.c.
 *
 * The design choice to know: unlike the mailboxes and the semaphore sets, which stay at
 * their addresses, pipes and open file descriptions come and go along a path (a last close
 * frees both), so the restore frees the world's and makes new ones from the copies, and
 * rewrites every pointer to them: the descriptor tables' slots, a description's pipe, a
 * FIFO's pipe, a task's wait_pipe and its waiter's queue (the waiter is in the task; the
 * queue in the pipe). A pipe's wait lists link the tasks' embedded waiters, which do not
 * move, so they are copied as they are. A pipe is reached from the descriptions, from the
 * FIFOs (a FIFO's pipe while someone has it open or waits to open it) and from the tasks
 * that wait on it; nothing else in a covered world holds one (`expect pipe`'s records and
 * the pollers are refused). A description is reached from the tables and from a threaded
 * task's blocked call (io_file: the descriptor may be closed since), and a thread's table
 * is empty and names its process's (shared: a task's, which stays put). FIFOs (and socket
 * files, which share their list) never leave the world's list, so they stay in place as the
 * semaphore sets do. The tables and descriptions are this file's alone, whatever they
 * reach: a POSIX queue's description is copied as it is (its queue stays in place,
 * snap_mq.c), a pipe's gets its new pipe, a socket's its new end (the pairs are
 * snap_sock.c's, made anew before). Each saved slot keeps only its unread bytes, at their
 * offset in the page (where the next write may merge): a restore allocates a page per slot
 * that holds some, and a write allocates the others when it first fills them.
 *
 * The digest names descriptions and pipes by the order in which the walk over the tasks'
 * tables meets them, so two states that differ only in addresses or pipe names (pipe#N,
 * which no outcome shows) digest alike.
 */
#include "explore/snap_pipe.h"

#include <string.h>

#include "explore/ample.h"
#include "explore/snap_sem.h"

gboolean snap_pipe_fits(const SimStmt *st)
{
	SimCallFamily f = sim_call_desc(st->kind)->family;
	if (f == SIM_CALL_FILE)
		return st->kind != SIM_STMT_POLL && st->kind != SIM_STMT_SELECT;
	return f == SIM_CALL_PROC &&
	       (st->kind == SIM_STMT_FORK || st->kind == SIM_STMT_WAIT ||
		st->kind == SIM_STMT_KILL || st->kind == SIM_STMT_ON || st->kind == SIM_STMT_EXIT);
}

/* Whether w holds something this part does not cover. */
static gboolean refused(const SimWorld *w)
{
	return w->pipe_vars || w->pollers.len; /* handler bodies: snap_sig.c's */
}

/* 1 + the index of p in seen, appended when it is not there (0 for NULL). A linear scan:
 * a world holds a handful of pipes and descriptions. */
static guint index_of(GPtrArray *seen, gconstpointer p)
{
	if (!p)
		return 0;
	for (guint i = 0; i < seen->len; i++)
		if (g_ptr_array_index(seen, i) == p)
			return i + 1;
	g_ptr_array_add(seen, (gpointer)(guintptr)p); /* kept, never written through */
	return seen->len;
}

static void arrays(SnapPipe *s)
{
	if (s->pipes)
		return;
	s->fifos = g_array_new(FALSE, FALSE, sizeof(SimFifo));
	s->pipes = g_array_new(FALSE, FALSE, sizeof(SimPipe));
	s->names = g_string_new(NULL);
	s->slots = g_array_new(FALSE, FALSE, sizeof(SimPipeSlot));
	s->bytes = g_string_new(NULL);
	s->files = g_array_new(FALSE, FALSE, sizeof(SimFile));
	s->tables = g_array_new(FALSE, FALSE, sizeof(SnapTable));
	s->fd_file = g_array_new(FALSE, FALSE, sizeof(guint));
	s->fd_flags = g_array_new(FALSE, FALSE, sizeof(guint8));
	s->waits = g_array_new(FALSE, TRUE, sizeof(SnapPipeWait));
	s->users = g_array_new(FALSE, FALSE, sizeof(gint64));
	s->seen = g_ptr_array_new();
}

/* Every task's table, each description once (s->seen holds them in order); a socket's
 * description names its end by k's reference. */
static void save_tables(SnapPipe *s, const SimWorld *w, const SnapSock *k)
{
	g_array_set_size(s->tables, 0);
	g_array_set_size(s->fd_file, 0);
	g_array_set_size(s->fd_flags, 0);
	g_ptr_array_set_size(s->seen, 0);
	for (guint i = 0; i < w->n_tasks; i++) {
		const SimFdTable *fdt = &w->tasks[i].fdt;
		SnapTable st = { .n = fdt->n,
				 .low = fdt->low,
				 .nofile = fdt->nofile,
				 .shared = fdt->shared,
				 .first = s->fd_file->len };
		g_array_append_val(s->tables, st);
		for (guint fd = 0; fd < fdt->n; fd++) {
			guint at = index_of(s->seen, fdt->fds[fd]);
			g_array_append_val(s->fd_file, at);
			g_array_append_val(s->fd_flags, fdt->fdfl[fd]);
		}
	}
	for (guint i = 0; i < w->n_tasks; i++) /* held by a blocked call, maybe closed since */
		index_of(s->seen, w->tasks[i].io_file);
	g_array_set_size(s->files, 0);
	for (guint i = 0; i < s->seen->len; i++) {
		SimFile c = *(const SimFile *)g_ptr_array_index(s->seen, i);
		if (c.kind == SIM_FILE_SOCK)
			c.sock = GUINT_TO_POINTER(snap_sock_ref(k->seen, c.sock));
		g_array_append_val(s->files, c);
	}
}

/* Pipe p's copy: its struct, its name, its ring, the bytes of its unread slots. */
static void save_pipe(SnapPipe *s, const SimPipe *p)
{
	SimPipe c = *p;
	c.name = GSIZE_TO_POINTER(s->names->len + 1);
	g_string_append_len(s->names, p->name, (gssize)strlen(p->name) + 1);
	c.slots = GUINT_TO_POINTER(s->slots->len + 1);
	guint first = s->slots->len;
	g_array_append_vals(s->slots, p->slots, p->ring);
	for (guint k = 0; k < p->ring; k++)
		g_array_index(s->slots, SimPipeSlot, first + k).page = NULL;
	for (guint k = p->tail; k != p->head; k++) {
		const SimPipeSlot *from = &p->slots[k % p->ring];
		SimPipeSlot *to = &g_array_index(s->slots, SimPipeSlot, first + k % p->ring);
		to->page = GSIZE_TO_POINTER(s->bytes->len + 1);
		g_string_append_len(s->bytes, from->page + from->offset, (gssize)from->len);
	}
	g_array_append_val(s->pipes, c);
}

/* Which list of p the waiter is on (SnapPipeWait.list), 0 for none of p's. */
static guint list_of(const SimPipe *p, const SimWaitQueue *q)
{
	return !q ? 0 : q == &p->rd_wait ? 1 : q == &p->wr_wait ? 2 : q == &p->open_wait ? 3 : 0;
}

gboolean snap_pipe_save(SnapPipe *s, const SimWorld *w, const SnapSock *sk)
{
	if (refused(w))
		return FALSE;
	arrays(s);
	save_tables(s, w, sk);
	/* The pipes: the descriptions' first, then the FIFOs', then those waited on. */
	guint n_files = s->seen->len;
	for (guint i = 0; i < n_files; i++) {
		SimFile *f = &g_array_index(s->files, SimFile, i);
		if (f->kind == SIM_FILE_PIPE)
			f->pipe = GUINT_TO_POINTER(index_of(s->seen, f->pipe) - n_files);
	}
	g_array_set_size(s->fifos, 0);
	for (guint i = 0; i < w->fifos->len; i++) {
		SimFifo c = *(const SimFifo *)g_ptr_array_index(w->fifos, i);
		c.pipe = c.pipe ? GUINT_TO_POINTER(index_of(s->seen, c.pipe) - n_files) : NULL;
		c.sock = GUINT_TO_POINTER(snap_sock_ref(sk->seen, c.sock));
		g_array_append_val(s->fifos, c);
	}
	s->n_fifos = w->fifos->len;
	g_array_set_size(s->waits, 0);
	g_array_set_size(s->waits, w->n_tasks);
	for (guint i = 0; i < w->n_tasks; i++) {
		const SimTask *t = &w->tasks[i];
		SnapPipeWait *pw = &g_array_index(s->waits, SnapPipeWait, i);
		pw->io = index_of(s->seen, t->io_file);
		if (!t->wait_pipe)
			continue;
		pw->pipe = index_of(s->seen, t->wait_pipe) - n_files;
		pw->list = list_of(t->wait_pipe, t->waiter.queue);
	}
	g_array_set_size(s->pipes, 0);
	g_array_set_size(s->slots, 0);
	g_string_truncate(s->names, 0);
	g_string_truncate(s->bytes, 0);
	for (guint i = n_files; i < s->seen->len; i++)
		save_pipe(s, g_ptr_array_index(s->seen, i));
	g_array_set_size(s->users, 0);
	GHashTableIter it;
	gpointer k, v;
	g_hash_table_iter_init(&it, w->pipe_users.pages);
	while (g_hash_table_iter_next(&it, &k, &v)) {
		gint64 pair[2] = { *(const gint64 *)k, (gint64) * (const guint64 *)v };
		g_array_append_vals(s->users, pair, 2);
	}
	s->n_pipes = w->n_pipes;
	return TRUE;
}

void snap_pipe_release(SimWorld *w)
{
	g_autoptr(GPtrArray) seen = g_ptr_array_new();
	for (guint i = 0; i < w->n_tasks; i++) {
		SimFdTable *fdt = &w->tasks[i].fdt;
		for (guint fd = 0; fd < fdt->n; fd++) {
			index_of(seen, fdt->fds[fd]);
			fdt->fds[fd] = NULL;
		}
	}
	for (guint i = 0; i < w->n_tasks; i++) {
		index_of(seen, w->tasks[i].io_file);
		w->tasks[i].io_file = NULL;
	}
	guint n_files = seen->len;
	for (guint i = 0; i < n_files; i++) {
		const SimFile *f = g_ptr_array_index(seen, i);
		if (f->kind == SIM_FILE_PIPE)
			index_of(seen, f->pipe);
	}
	for (guint i = 0; i < w->fifos->len; i++) {
		SimFifo *fi = g_ptr_array_index(w->fifos, i);
		index_of(seen, fi->pipe);
		fi->pipe = NULL;
	}
	for (guint i = 0; i < w->n_tasks; i++) {
		index_of(seen, w->tasks[i].wait_pipe);
		w->tasks[i].wait_pipe = NULL;
	}
	for (guint i = 0; i < n_files; i++)
		g_free(g_ptr_array_index(seen, i));
	for (guint i = n_files; i < seen->len; i++)
		sim_pipe_free(g_ptr_array_index(seen, i));
}

/* A new pipe like copy i (its index), its unread bytes in new pages. */
static SimPipe *make_pipe(const SnapPipe *s, guint i)
{
	const SimPipe *c = &g_array_index(s->pipes, SimPipe, i);
	SimPipe *p = g_new(SimPipe, 1);
	*p = *c;
	p->name = g_strdup(s->names->str + GPOINTER_TO_SIZE(c->name) - 1);
	guint first = GPOINTER_TO_UINT(c->slots) - 1;
	p->slots = g_new(SimPipeSlot, p->ring);
	memcpy(p->slots, &g_array_index(s->slots, SimPipeSlot, first),
	       p->ring * sizeof(SimPipeSlot));
	for (guint k = 0; k < p->ring; k++) {
		SimPipeSlot *sl = &p->slots[k];
		if (!sl->page)
			continue;
		gsize at = GPOINTER_TO_SIZE(sl->page) - 1;
		sl->page = g_malloc(SIM_PAGE_SIZE);
		memcpy(sl->page + sl->offset, s->bytes->str + at, sl->len);
	}
	return p;
}

/* Task t's table as saved, its slot arrays at the saved size. */
static void put_table(const SnapPipe *s, SimTask *t, SimFile **files)
{
	const SnapTable *st = &g_array_index(s->tables, SnapTable, (guint)t->id);
	SimFdTable *fdt = &t->fdt;
	if (fdt->n != st->n) {
		fdt->fds = g_renew(SimFile *, fdt->fds, st->n);
		fdt->fdfl = g_renew(guint8, fdt->fdfl, st->n);
		fdt->n = st->n;
	}
	fdt->low = st->low;
	fdt->nofile = st->nofile;
	fdt->shared = st->shared;
	for (guint fd = 0; fd < st->n; fd++) {
		guint at = g_array_index(s->fd_file, guint, st->first + fd);
		fdt->fds[fd] = at ? files[at - 1] : NULL;
		fdt->fdfl[fd] = g_array_index(s->fd_flags, guint8, st->first + fd);
	}
}

/* The per-user page accounts as saved: a user absent then has none now. */
static void put_users(const SnapPipe *s, SimPipeUsers *u)
{
	GHashTableIter it;
	gpointer v;
	g_hash_table_iter_init(&it, u->pages);
	while (g_hash_table_iter_next(&it, NULL, &v))
		*(guint64 *)v = 0;
	for (guint i = 0; i + 1 < s->users->len; i += 2) {
		gint64 uid = g_array_index(s->users, gint64, i);
		guint64 *n = g_hash_table_lookup(u->pages, &uid);
		if (!n) {
			n = g_new0(guint64, 1);
			g_hash_table_insert(u->pages, g_memdup2(&uid, sizeof(uid)), n);
		}
		*n = (guint64)g_array_index(s->users, gint64, i + 1);
	}
}

/* The FIFOs and socket files as saved, in place; those made since are freed (the list
 * only grows). */
static void put_fifos(const SnapPipe *s, SimWorld *w, SimPipe **pipes, SimSockPair *const *socks)
{
	for (guint i = s->n_fifos; i < w->fifos->len; i++) {
		SimFifo *fi = g_ptr_array_index(w->fifos, i);
		g_free(fi->path);
		g_free(fi);
	}
	g_ptr_array_set_size(w->fifos, (gint)s->n_fifos);
	for (guint i = 0; i < s->n_fifos; i++) {
		SimFifo *fi = g_ptr_array_index(w->fifos, i);
		char *path = fi->path;
		*fi = g_array_index(s->fifos, SimFifo, i);
		fi->path = path;
		fi->pipe = fi->pipe ? pipes[GPOINTER_TO_UINT(fi->pipe) - 1] : NULL;
		fi->sock = snap_sock_end(socks, GPOINTER_TO_UINT(fi->sock));
	}
}

void snap_pipe_restore(const SnapPipe *s, SimWorld *w, SimSockPair *const *socks)
{
	guint n_pipes = s->pipes->len, n_files = s->files->len;
	SimPipe **pipes = g_new(SimPipe *, n_pipes + 1);
	for (guint i = 0; i < n_pipes; i++)
		pipes[i] = make_pipe(s, i);
	SimFile **files = g_new(SimFile *, n_files + 1);
	for (guint i = 0; i < n_files; i++) {
		files[i] = g_memdup2(&g_array_index(s->files, SimFile, i), sizeof(SimFile));
		if (files[i]->kind == SIM_FILE_PIPE)
			files[i]->pipe = pipes[GPOINTER_TO_UINT(files[i]->pipe) - 1];
		else if (files[i]->kind == SIM_FILE_SOCK)
			files[i]->sock = snap_sock_end(socks, GPOINTER_TO_UINT(files[i]->sock));
	}
	for (guint i = 0; i < w->n_tasks; i++) {
		SimTask *t = &w->tasks[i];
		put_table(s, t, files);
		const SnapPipeWait *pw = &g_array_index(s->waits, SnapPipeWait, i);
		t->io_file = pw->io ? files[pw->io - 1] : NULL;
		t->wait_pipe = pw->pipe ? pipes[pw->pipe - 1] : NULL;
		if (pw->list == 1)
			t->waiter.queue = &t->wait_pipe->rd_wait;
		else if (pw->list == 2)
			t->waiter.queue = &t->wait_pipe->wr_wait;
		else if (pw->list == 3)
			t->waiter.queue = &t->wait_pipe->open_wait;
	}
	put_fifos(s, w, pipes, socks);
	put_users(s, &w->pipe_users);
	w->n_pipes = s->n_pipes;
	g_free(files);
	g_free(pipes);
}

void snap_pipe_clear(SnapPipe *s)
{
	if (s->pipes) {
		g_array_unref(s->fifos);
		g_array_unref(s->pipes);
		g_string_free(s->names, TRUE);
		g_array_unref(s->slots);
		g_string_free(s->bytes, TRUE);
		g_array_unref(s->files);
		g_array_unref(s->tables);
		g_array_unref(s->fd_file);
		g_array_unref(s->fd_flags);
		g_array_unref(s->waits);
		g_array_unref(s->users);
		g_ptr_array_unref(s->seen);
	}
	memset(s, 0, sizeof(*s));
}

/* ---- The digest part ---- */

/* The order of a pipe's blocked readers. The kernel wakes one reader where a write finds
 * the pipe empty (and a woken reader that leaves bytes wakes the next): which one is the
 * first on the list, so the order is part of the state. Nothing else reads it: a last
 * close wakes them all, a signal takes one off wherever it is. Where no step to come can
 * write to the pipe, the order is never read, and two states that differ only in it (the
 * readers blocked one after the other in another order) are one: the digest then takes the
 * readers as a set. Six readers blocked in every order are 720 states otherwise, and a
 * scenario whose children all block on one pipe before they are killed, none ever written
 * to, would have as many orders as there are children to permute.
 *
 * "No step to come writes to p", judged from the code each holder of a description that
 * may write to p can still reach (loops followed, and every frame of a running handler
 * body): its writes name descriptors that lead elsewhere, it changes no variable a write
 * names, and it runs no call that could make another way to p: dup, fcntl, thread, exec,
 * socket calls (which may pass descriptors), and a fork of a child whose code writes
 * anything at all or does one of those (the child holds the parent's descriptors). A new
 * descriptor (pipe, open, mq_open) is a new description, never p's (a FIFO, which a path
 * reaches, is never judged free). A task that holds no such description cannot come to
 * hold one but through those calls of a holder. */

static gboolean opens_a_way(const SimStmt *st)
{
	switch (st->kind) {
	case SIM_STMT_MQ_NOTIFY:
		return st->mq.notify == SIM_NOTIFY_THREAD;
	case SIM_STMT_FCNTL:
	case SIM_STMT_DUP:
	case SIM_STMT_DUP2:
	case SIM_STMT_DUP3:
	case SIM_STMT_THREAD:
	case SIM_STMT_EXEC:
	case SIM_STMT_POLL:
	case SIM_STMT_SELECT:
		return TRUE;
	default:
		break;
	}
	SimCallFamily f = sim_call_desc(st->kind)->family;
	return f == SIM_CALL_SOCK || f == SIM_CALL_ALPC;
}

/* Whether a child's program (and its own children's) never writes to any descriptor and
 * opens no other way to one: a fork of it is no way to p's readers. */
static gboolean child_writes(const SimWorld *w, const SimProgram *prog, guint depth)
{
	if (depth > w->n_tasks)
		return TRUE;
	for (guint k = 0; k < prog->n_code; k++) {
		const SimStmt *st = prog->code[k].stmt;
		if (!st || prog->code[k].op != SIM_OP_CALL)
			continue;
		if (st->kind == SIM_STMT_WRITE || st->kind == SIM_STMT_PWRITE || opens_a_way(st))
			return TRUE;
		if (st->kind == SIM_STMT_FORK &&
		    child_writes(w, w->tasks[st->ep.index].prog, depth + 1))
			return TRUE;
	}
	return FALSE;
}

/* What statement st may do to the order of p's readers, run by a task whose descriptor
 * table is fdt and whose program's variables are vars; vars_set: the variables the
 * reachable code may set. */
static gboolean may_write(const SimWorld *w, const SimStmt *st, const SimFdTable *fdt,
			  const SimVar *vars, const GArray *vars_set, const SimPipe *p)
{
	switch (st->kind) {
	case SIM_STMT_WRITE:
	case SIM_STMT_PWRITE: {
		gint64 fd;
		if (st->ep.kind == SIM_EP_FDNUM) {
			fd = st->ep.index;
		} else if (st->ep.kind == SIM_EP_FDVAR) {
			for (guint i = 0; i < vars_set->len; i++)
				if (g_array_index(vars_set, int, i) == st->ep.index)
					return TRUE;
			const SimVar *v = &vars[st->ep.index];
			fd = st->ep.fd_end == SIM_FD_WRITE ? v->num2 : v->num;
		} else if (st->ep.kind == SIM_EP_PQ) {
			fd = SIM_FD_FIRST + st->ep.index;
		} else {
			return TRUE;
		}
		const SimFile *f = fd >= 0 && fd < (gint64)fdt->n ? fdt->fds[fd] : NULL;
		return f && f->kind == SIM_FILE_PIPE && f->pipe == p;
	}
	case SIM_STMT_FORK: /* a new holder: its code must write nothing at all */
		return child_writes(w, w->tasks[st->ep.index].prog, 0);
	default:
		return opens_a_way(st);
	}
}

/* Whether program prog, from pc (and the instruction before it, where a blocked or woken
 * call may still stand), may write to p or open another way to it. */
static gboolean code_may_write(const SimWorld *w, const SimProgram *prog, guint pc,
			       const SimFdTable *fdt, const SimVar *vars, const SimPipe *p)
{
	guint n = prog->n_code;
	g_autofree guint8 *seen = g_new0(guint8, n + 1);
	g_autofree guint *stack = g_new(guint, n + 2);
	g_autoptr(GArray) calls = g_array_new(FALSE, FALSE, sizeof(const SimStmt *));
	g_autoptr(GArray) vars_set = g_array_new(FALSE, FALSE, sizeof(int));
	guint top = 0;
	for (guint k = pc ? pc - 1 : 0; k <= pc && k < n; k++) {
		seen[k] = 1;
		stack[top++] = k;
	}
	while (top) {
		guint k = stack[--top];
		const SimStmt *st = prog->code[k].stmt;
		if (st && st->var >= 0)
			g_array_append_val(vars_set, st->var);
		if (st && prog->code[k].op == SIM_OP_CALL)
			g_array_append_val(calls, st);
		guint next[2];
		guint m = sim_ample_successors(prog, k, next);
		for (guint i = 0; i < m; i++)
			if (next[i] < n && !seen[next[i]]) {
				seen[next[i]] = 1;
				stack[top++] = next[i];
			}
	}
	for (guint i = 0; i < calls->len; i++)
		if (may_write(w, g_array_index(calls, const SimStmt *, i), fdt, vars, vars_set, p))
			return TRUE;
	return FALSE;
}

/* Whether t's table (its process's, for a thread) holds a description of p that may
 * write, or its blocked call holds one. */
static gboolean holds_writer(const SimTask *t, const SimPipe *p)
{
	const SimFdTable *fdt = sim_fdt_cof(&t->fdt);
	for (guint fd = 0; fd < fdt->n; fd++) {
		const SimFile *f = fdt->fds[fd];
		if (f && f->kind == SIM_FILE_PIPE && f->pipe == p &&
		    (f->flags & (SIM_O_WRONLY | SIM_O_RDWR)))
			return TRUE;
	}
	const SimFile *f = t->io_file;
	return f && f->kind == SIM_FILE_PIPE && f->pipe == p &&
	       (f->flags & (SIM_O_WRONLY | SIM_O_RDWR));
}

/* Whether a step to come may read the order of p's readers (see above). */
static gboolean readers_order_read(const SimWorld *w, const SimPipe *p)
{
	if (p->rd_wait.len < 2)
		return TRUE; /* one order only: digested as it is */
	if (p->is_fifo || p->bytes)
		return TRUE;
	for (guint i = 0; i < w->n_tasks; i++) {
		const SimTask *t = &w->tasks[i];
		if (t->state == SIM_STATE_EXITED || !holds_writer(t, p))
			continue;
		const SimFdTable *fdt = sim_fdt_cof(&t->fdt);
		if (code_may_write(w, t->prog, t->pc, fdt, t->vars, p))
			return TRUE;
		/* the programs its running handler bodies interrupted go on after them */
		for (guint k = 0; t->sigb && k < t->sigb->n_frames; k++) {
			const SimSigFrame *fr = &t->sigb->frames[k];
			if (code_may_write(w, fr->prog, fr->pc, fdt, fr->vars, p))
				return TRUE;
		}
	}
	return FALSE;
}

/* The readers as a set: an order-free sum of one word per task. */
static guint64 hash_reader_set(guint64 h, const SimWaitQueue *q)
{
	guint64 sum = 0;
	for (const SimWaiter *wt = q->head; wt; wt = wt->next)
		sum += snap_hash_word(0x72656164, (guint64)(gint64)wt->task);
	return snap_hash_word(snap_hash_word(h, G_GUINT64_CONSTANT(1) << 40 | q->len), sum);
}

static guint64 hash_pipe(guint64 h, const SimWorld *w, const SimPipe *p)
{
	h = snap_hash_word(h, p->max_usage | (guint64)p->ring << 32);
	h = snap_hash_word(h, (guint64)(p->head - p->tail) | (guint64)(p->is_fifo != 0) << 32);
	for (guint k = p->tail; k != p->head; k++) {
		const SimPipeSlot *sl = &p->slots[k % p->ring];
		h = snap_hash_word(h, sl->offset | (guint64)sl->len << 32);
		h = snap_hash_word(h, (guint64)(sl->packet != 0));
		guint64 word;
		guint i = 0;
		for (; i + 8 <= sl->len; i += 8) {
			memcpy(&word, sl->page + sl->offset + i, 8);
			h = snap_hash_word(h, word);
		}
		if (i < sl->len) {
			word = 0;
			memcpy(&word, sl->page + sl->offset + i, sl->len - i);
			h = snap_hash_word(h, word);
		}
	}
	h = snap_hash_word(h, p->readers | (guint64)p->writers << 32);
	h = snap_hash_word(h, p->files | (guint64)p->r_counter << 32);
	h = snap_hash_word(h, p->w_counter | (guint64)p->nr_accounted << 32);
	h = snap_hash_word(h, (guint64)p->uid ^ (guint64)p->user << 32);
	h = readers_order_read(w, p) ? snap_hash_queue(h, &p->rd_wait)
				     : hash_reader_set(h, &p->rd_wait);
	h = snap_hash_queue(h, &p->wr_wait);
	return snap_hash_queue(h, &p->open_wait);
}

/* The pipe p's name in the digest (1 + the order it was met in, 0 for none), its contents
 * mixed in where it is first met. */
static guint64 hash_pipe_ref(guint64 *h, const SimWorld *w, GPtrArray *pipes, const SimPipe *p)
{
	guint n = pipes->len, at = index_of(pipes, p);
	if (at > n)
		*h = hash_pipe(*h, w, p);
	return at;
}

static guint64 hash_file(guint64 h, const SimWorld *w, const SimFile *f, GPtrArray *pipes,
			 const GPtrArray *socks)
{
	h = snap_hash_word(h, (guint64)f->kind | (guint64)f->flags << 8 | (guint64)f->fl << 32);
	h = snap_hash_word(h, (guint64)f->pos ^ (guint64)f->refs << 40);
	h = snap_hash_word(h, f->poll_wver);
	if (f->kind == SIM_FILE_PIPE) {
		guint64 at = hash_pipe_ref(&h, w, pipes, f->pipe);
		return snap_hash_word(h, at);
	}
	if (f->kind == SIM_FILE_SOCK) /* which end; the pairs are digested at the end */
		return snap_hash_word(h, snap_sock_ref(socks, f->sock));
	for (guint i = 0; i < w->mqueues->len; i++) /* a queue's: which queue */
		if (g_ptr_array_index(w->mqueues, i) == f->mq)
			h = snap_hash_word(h, i);
	return h;
}

gboolean snap_pipe_digest(const SimWorld *w, guint64 *out)
{
	if (refused(w))
		return FALSE;
	g_autoptr(GPtrArray) files = g_ptr_array_new();
	g_autoptr(GPtrArray) pipes = g_ptr_array_new();
	g_autoptr(GPtrArray) socks = g_ptr_array_new();
	if (!snap_sock_gather(w, socks))
		return FALSE;
	guint64 h = G_GUINT64_CONSTANT(0x7069706573);
	for (guint i = 0; i < w->n_tasks; i++) {
		const SimFdTable *fdt = &w->tasks[i].fdt;
		h = snap_hash_word(h, (guint64)fdt->nofile);
		if (w->tasks[i].io_file) { /* a description a blocked call holds */
			guint n = files->len, at = index_of(files, w->tasks[i].io_file);
			h = snap_hash_word(h, G_GUINT64_CONSTANT(1) << 63 | at);
			if (at > n)
				h = hash_file(h, w, w->tasks[i].io_file, pipes, socks);
		}
		for (guint fd = 0; fd < fdt->n; fd++) {
			const SimFile *f = fdt->fds[fd];
			if (!f)
				continue;
			guint n = files->len, at = index_of(files, f);
			h = snap_hash_word(h,
					   fd | (guint64)fdt->fdfl[fd] << 24 | (guint64)at << 32);
			if (at > n)
				h = hash_file(h, w, f, pipes, socks);
		}
	}
	for (guint i = 0; i < w->fifos->len; i++) {
		const SimFifo *fi = g_ptr_array_index(w->fifos, i);
		h = snap_hash_word(h, (guint64)strlen(fi->path));
		h = snap_hash_word(h, g_str_hash(fi->path) | (guint64)fi->mode << 32);
		h = snap_hash_word(h, (guint64)fi->uid ^ (guint64)fi->gid << 32);
		guint64 at = hash_pipe_ref(&h, w, pipes, fi->pipe);
		h = snap_hash_word(h, (guint64)(fi->unlinked != 0) | at << 1);
		h = snap_hash_word(h, (guint64)(fi->is_sock != 0) |
					      (guint64)snap_sock_ref(socks, fi->sock) << 1);
	}
	for (guint i = 0; i < w->n_tasks; i++) {
		const SimTask *t = &w->tasks[i];
		if (!t->wait_pipe)
			continue;
		h = snap_hash_word(h, i | (guint64)t->open_cookie << 32);
		guint64 at = hash_pipe_ref(&h, w, pipes, t->wait_pipe);
		h = snap_hash_word(h, at << 2 | list_of(t->wait_pipe, t->waiter.queue));
	}
	if (socks->len)
		h = snap_hash_word(h, snap_sock_digest(w, socks));
	*out = h;
	return TRUE;
}
