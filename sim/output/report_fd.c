/* report_fd.c — judging `expect P fd D mq_flags=` and `expect pipe NAME readers= writers=`.
 *
 * The design choice to know: both read the run's final descriptor tables, as the kernel
 * would show them at the end (mq_getattr on the descriptor, /proc/PID/fd for the holders):
 * a process that has exited holds no pipe end, its descriptors closed by its exit; its
 * mq_flags are judged on the descriptor as it was just before that exit (holders.h). Pipe
 * holders come from sim_world_pipe_holders, the scan the trace's --holders uses too.
 */
#include "msgsim/output/report.h"

#include "engine/world_int.h"
#include "msgsim/engine/holders.h"
#include "msgsim/kernel/fdtable.h"

#define MQ_NONBLOCK 0x800

static const char *flags_word(gint64 v)
{
	return v ? "nonblock" : "0";
}

static gboolean check_mq_flags(const SimWorld *w, const SimScnExpect *e, GString *seen)
{
	const SimTask *t = &w->tasks[e->proc];
	gint64 fd = sim_world_expect_fd(t, e);
	const SimFile *f = sim_fdt_get(&t->fdt, fd);
	SimFile then;
	gboolean open = FALSE;
	/* An exited process: its descriptor as it was just before the exit closed it. */
	gboolean exited = sim_world_fd_at_exit(w, (guint)(e - w->scn->expects), &fd, &then, &open);
	if (exited)
		f = open ? &then : NULL;
	const char *when = exited ? " when it exited" : "";
	if (!f || f->kind != SIM_FILE_MQ) {
		if (seen)
			g_string_append_printf(seen, "fd %" G_GINT64_FORMAT " %s%s", fd,
					       !f ? "was not open"
					       : f->kind == SIM_FILE_PIPE
						       ? "was a pipe end, not a POSIX queue"
						       : "was a socket, not a POSIX queue",
					       when);
		return FALSE;
	}
	gint64 v = f->flags & SIM_O_NONBLOCK ? MQ_NONBLOCK : 0;
	if (seen)
		g_string_append_printf(seen, "fd %" G_GINT64_FORMAT " mq_flags=%s%s", fd,
				       flags_word(v), when);
	return v == e->mq_flags;
}

/* One end's holders: which processes hold a descriptor of it (by task index). */
static void mark_holder(const SimTask *t, guint fd, gpointer data)
{
	(void)fd;
	((gboolean *)data)[t->id] = TRUE;
}

static gboolean end_matches(const SimWorld *w, const SimExpectHolders *h, const gboolean *held)
{
	if (!h->given)
		return TRUE;
	guint n = 0;
	for (guint i = 0; i < w->n_tasks; i++)
		n += held[i] != 0;
	if (!h->list)
		return (gint64)n == h->count;
	if ((gint64)n != h->count)
		return FALSE;
	for (guint i = 0; i < h->count; i++)
		if (!held[h->procs[i]])
			return FALSE;
	return TRUE;
}

static void append_held(GString *s, const SimWorld *w, const char *key, const gboolean *held)
{
	g_string_append_printf(s, "%s=[", key);
	guint n = 0;
	for (guint i = 0; i < w->n_tasks; i++)
		if (held[i])
			g_string_append_printf(s, "%s%s", n++ ? ", " : "", w->tasks[i].name);
	g_string_append_c(s, ']');
}

static gboolean check_pipe(const SimWorld *w, const SimScnExpect *e, GString *seen)
{
	const SimPipe *p = NULL;
	if (e->fifo) {
		p = sim_world_find_pipe(w, e->fifo);
	} else {
		guint n = sim_world_pipe_of_var(w, e->proc, e->var_slot);
		if (!n) {
			if (seen)
				g_string_append_printf(seen, "%s made no pipe into '%s'",
						       w->tasks[e->proc].name, e->var);
			return FALSE;
		}
		char name[32];
		g_snprintf(name, sizeof(name), "pipe#%u", n);
		p = sim_world_find_pipe(w, name);
	}
	g_autofree gboolean *rd = g_new0(gboolean, MAX(w->n_tasks, 1));
	g_autofree gboolean *wr = g_new0(gboolean, MAX(w->n_tasks, 1));
	if (p) {
		sim_world_pipe_holders(w, p, FALSE, mark_holder, rd);
		sim_world_pipe_holders(w, p, TRUE, mark_holder, wr);
	}
	if (seen) {
		append_held(seen, w, "readers", rd);
		g_string_append_c(seen, ' ');
		append_held(seen, w, "writers", wr);
	}
	return end_matches(w, &e->readers, rd) && end_matches(w, &e->writers, wr);
}

gboolean sim_report_fd_expectation(const SimWorld *w, const SimScnExpect *e, GString *seen)
{
	return e->kind == SIM_EXPECT_MQ_FLAGS ? check_mq_flags(w, e, seen) : check_pipe(w, e, seen);
}

static void describe_end(const SimWorld *w, const SimExpectHolders *h, const char *key,
			 GString *s)
{
	if (!h->given)
		return;
	if (!h->list) {
		g_string_append_printf(s, " %s=%" G_GINT64_FORMAT, key, h->count);
		return;
	}
	g_string_append_printf(s, " %s=[", key);
	for (guint i = 0; i < h->count; i++)
		g_string_append_printf(s, "%s%s", i ? ", " : "", w->tasks[h->procs[i]].name);
	g_string_append_c(s, ']');
}

void sim_report_fd_describe(const SimWorld *w, const SimScnExpect *e, GString *s)
{
	if (e->kind == SIM_EXPECT_MQ_FLAGS) {
		g_string_append_printf(s, "%s fd ", w->tasks[e->proc].name);
		if (e->var)
			g_string_append(s, e->var);
		else
			g_string_append_printf(s, "%" G_GINT64_FORMAT, e->fd);
		g_string_append_printf(s, " mq_flags=%s", flags_word(e->mq_flags));
		return;
	}
	if (e->fifo)
		g_string_append_printf(s, "pipe \"%s\"", e->fifo);
	else if (e->named_proc)
		g_string_append_printf(s, "pipe %s %s", w->tasks[e->proc].name, e->var);
	else
		g_string_append_printf(s, "pipe %s", e->var);
	describe_end(w, &e->readers, "readers", s);
	describe_end(w, &e->writers, "writers", s);
}
