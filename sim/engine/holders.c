/* holders.c — who holds each end of a pipe or FIFO (see holders.h).
 *
 * The design choice to know: the scan is the only source of truth. A per-pipe list of
 * holders kept up to date by every close, dup, fork and exit would be one more thing each
 * of those calls must remember; the scan costs a look at each descriptor, and it runs only
 * on a trace line with --holders, a deadlock report or an expectation at the end.
 */
#include "msgsim/engine/holders.h"

#include "engine/world_int.h"
#include "msgsim/engine/interp.h"
#include "msgsim/kernel/fdtable.h"

#include <string.h>

guint sim_world_pipe_holders(const SimWorld *w, const SimPipe *p, gboolean writers,
			     SimHolderFn fn, gpointer data)
{
	guint n = 0;
	for (guint i = 0; i < w->n_tasks; i++) {
		const SimTask *o = &w->tasks[i];
		if (o->state == SIM_STATE_EXITED)
			continue;
		for (guint fd = 0; fd < o->fdt.n; fd++) {
			const SimFile *f = sim_fdt_get(&o->fdt, fd);
			if (!f || f->kind != SIM_FILE_PIPE || f->pipe != p)
				continue;
			guint acc = f->flags & (SIM_O_RDONLY | SIM_O_WRONLY | SIM_O_RDWR);
			if (acc == (writers ? SIM_O_RDONLY : SIM_O_WRONLY))
				continue;
			n++;
			if (fn)
				fn(o, fd, data);
		}
	}
	return n;
}

const SimPipe *sim_world_find_pipe(const SimWorld *w, const char *name)
{
	for (guint i = 0; i < w->n_tasks; i++) {
		const SimTask *o = &w->tasks[i];
		if (o->state == SIM_STATE_EXITED)
			continue;
		for (guint fd = 0; fd < o->fdt.n; fd++) {
			const SimFile *f = sim_fdt_get(&o->fdt, fd);
			if (f && f->kind == SIM_FILE_PIPE && strcmp(f->pipe->name, name) == 0)
				return f->pipe;
		}
	}
	return NULL;
}

/* A (task, slot) pair as a key; slots are far fewer than 2^20 (the parser's limits). */
static gpointer var_key(int task, int slot)
{
	return GSIZE_TO_POINTER(((gsize)task << 20) + (gsize)slot + 1);
}

/* What an `expect P fd D` saw when P exited. */
typedef struct SimFdSeen {
	gboolean done; /* P exited: the rest is filled */
	gboolean open; /* D was open */
	gint64 fd;
	SimFile file; /* a copy of its description (kind and flags) */
} SimFdSeen;

void sim_world_holders_init(SimWorld *w)
{
	for (guint i = 0; i < w->scn->n_expects; i++) {
		const SimScnExpect *e = &w->scn->expects[i];
		if (e->kind == SIM_EXPECT_PIPE && e->var && !w->pipe_vars)
			w->pipe_vars = g_hash_table_new(g_direct_hash, g_direct_equal);
		if (e->kind == SIM_EXPECT_MQ_FLAGS && !w->fd_seen)
			w->fd_seen = g_new0(SimFdSeen, w->scn->n_expects);
	}
}

void sim_world_holders_clear(SimWorld *w)
{
	g_clear_pointer(&w->pipe_vars, g_hash_table_unref);
	g_clear_pointer(&w->fd_seen, g_free);
}

gint64 sim_world_expect_fd(const SimTask *t, const SimScnExpect *e)
{
	if (!e->var)
		return e->fd;
	/* After an exec the program may be shorter than the declared body (a variable set
	 * past the exec is none of its slots): then D names no descriptor. */
	if (!t->prog || (guint)e->var_slot >= t->prog->n_vars)
		return -1;
	return t->vars[e->var_slot].num;
}

void sim_world_holders_exit(SimWorld *w, const SimTask *t)
{
	if (G_LIKELY(!w->fd_seen))
		return;
	for (guint i = 0; i < w->scn->n_expects; i++) {
		const SimScnExpect *e = &w->scn->expects[i];
		if (e->kind != SIM_EXPECT_MQ_FLAGS || e->proc != t->id)
			continue;
		SimFdSeen *s = &w->fd_seen[i];
		s->done = TRUE;
		s->fd = sim_world_expect_fd(t, e);
		const SimFile *f = sim_fdt_get(&t->fdt, s->fd);
		s->open = f != NULL;
		if (f)
			s->file = *f;
	}
}

gboolean sim_world_fd_at_exit(const SimWorld *w, guint index, gint64 *fd, SimFile *file,
			      gboolean *open)
{
	if (!w->fd_seen || !w->fd_seen[index].done)
		return FALSE;
	*fd = w->fd_seen[index].fd;
	*open = w->fd_seen[index].open;
	*file = w->fd_seen[index].file;
	return TRUE;
}

void sim_world_pipe_made(SimWorld *w, const SimTask *t, int slot, guint n)
{
	if (G_LIKELY(!w->pipe_vars))
		return;
	g_hash_table_insert(w->pipe_vars, var_key(t->id, slot), GUINT_TO_POINTER(n));
}

guint sim_world_pipe_of_var(const SimWorld *w, int task, int slot)
{
	if (!w->pipe_vars)
		return 0;
	return GPOINTER_TO_UINT(g_hash_table_lookup(w->pipe_vars, var_key(task, slot)));
}
