/* real_int.h — what real.c and sandbox.c share and nobody else needs. */
#ifndef MSGSIM_REAL_INT_H
#define MSGSIM_REAL_INT_H

#include "msgsim/real.h"

/* The scenario's path inside the sandbox directory (allocated); NULL and *err = EACCES for
 * a path that could leave it (absolute, or with a ".." component). An empty path stays
 * empty, so the kernel answers ENOENT as it would. */
char *sim_real_sandbox_path(const SimRealSandbox *sb, const char *data, guint32 len, int *err);

#endif /* MSGSIM_REAL_INT_H */
