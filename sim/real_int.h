/* real_int.h — what real.c and sandbox.c share and nobody else needs. */
#ifndef MSGSIM_REAL_INT_H
#define MSGSIM_REAL_INT_H

#include "msgsim/real.h"

/* Where a scenario path's object lives: a descriptor of the directory it is named in and
 * its name there (*leaf, allocated). The descriptor is sb->dir_fd, or a subdirectory of it
 * opened without following any symlink (openat2 RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS, or
 * one O_NOFOLLOW component at a time), which the caller closes. -1 and *err for a path
 * that could leave the directory (EACCES, no system call made: absolute, or with a ".."
 * component) or whose directories cannot be opened (the kernel's errno: ENOENT, ENOTDIR,
 * ELOOP). An empty path gives an empty leaf, so the kernel answers ENOENT as it would. */
int sim_real_sandbox_at(const SimRealSandbox *sb, const char *data, guint32 len, char **leaf,
			int *err);

#endif /* MSGSIM_REAL_INT_H */
