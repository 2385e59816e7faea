/* fdtable.c — descriptor tables (see fdtable.h).
 *
 * The design choice to know: the table counts only its own references on descriptions;
 * what a last close means for a queue or a pipe is decided by the caller, so that this
 * module needs no object, no wake list and no world. Allocation scans from the lowest
 * slot that may be free (`low`: every slot below it is taken), so giving a process
 * descriptors one after another costs O(1) each, not a scan of all it already holds.
 */
#include "msgsim/kernel/fdtable.h"

#include <string.h>

void sim_fdt_init(SimFdTable *fdt, gint64 nofile)
{
	fdt->fds = NULL;
	fdt->fdfl = NULL;
	fdt->n = 0;
	fdt->low = SIM_FD_FIRST;
	fdt->nofile = nofile;
	fdt->shared = NULL;
}

void sim_fdt_clear(SimFdTable *fdt)
{
	g_clear_pointer(&fdt->fds, g_free);
	g_clear_pointer(&fdt->fdfl, g_free);
	fdt->n = 0;
	fdt->low = SIM_FD_FIRST;
}

int sim_fdt_alloc(const SimFdTable *fdt, int from)
{
	fdt = sim_fdt_cof(fdt);
	guint fd = MAX((guint)MAX(from, SIM_FD_FIRST), fdt->low);
	while (fd < fdt->n && fdt->fds[fd])
		fd++;
	return (gint64)fd >= fdt->nofile ? -1 : (int)fd;
}

gsize sim_fdt_install(SimFdTable *fdt, int fd, SimFile *f)
{
	fdt = sim_fdt_of(fdt);
	gsize grew = 0;
	g_assert(fd >= SIM_FD_FIRST);
	if ((guint)fd >= fdt->n) {
		guint n = MAX((guint)fd + 1, fdt->n * 2);
		grew = (n - fdt->n) * (sizeof(SimFile *) + sizeof(guint8));
		fdt->fds = g_renew(SimFile *, fdt->fds, n);
		memset(fdt->fds + fdt->n, 0, (n - fdt->n) * sizeof(SimFile *));
		fdt->fdfl = g_renew(guint8, fdt->fdfl, n);
		memset(fdt->fdfl + fdt->n, 0, n - fdt->n);
		fdt->n = n;
	}
	g_assert(fdt->fds[fd] == NULL);
	fdt->fds[fd] = f;
	fdt->fdfl[fd] = 0;
	while (fdt->low < fdt->n && fdt->fds[fdt->low])
		fdt->low++;
	return grew;
}

SimFile *sim_fdt_remove(SimFdTable *fdt, gint64 fd)
{
	fdt = sim_fdt_of(fdt);
	SimFile *f = sim_fdt_get(fdt, fd);
	if (f) {
		fdt->fds[fd] = NULL;
		fdt->fdfl[fd] = 0;
		if ((guint)fd < fdt->low)
			fdt->low = (guint)fd;
	}
	return f;
}

gsize sim_fdt_fork(SimFdTable *child, const SimFdTable *parent)
{
	parent = sim_fdt_cof(parent); /* a fork in a thread copies the process's table */
	gsize grew = 0;
	for (guint fd = 0; fd < parent->n; fd++) {
		SimFile *f = parent->fds[fd];
		if (f) {
			f->refs++;
			grew += sim_fdt_install(child, (int)fd, f);
			child->fdfl[fd] = parent->fdfl[fd];
		}
	}
	child->nofile = parent->nofile;
	return grew;
}

gboolean sim_fdt_file_put(SimFile *f)
{
	g_assert(f->refs > 0);
	return --f->refs == 0;
}
