/* pipeuser.h — the per-user pipe page accounting of fs/pipe.c (fs.pipe-user-pages-soft and
 * fs.pipe-user-pages-hard).
 *
 * Every pipe, and every FIFO while it is open, charges its slots (pages) to the user who
 * made it (the creator's real uid, the kernel's user_struct) from its allocation until it
 * is freed; F_SETPIPE_SZ charges the new count in place of the old. The rules, as
 * alloc_pipe_info and pipe_set_size apply them to an unprivileged caller (one with neither
 * CAP_SYS_RESOURCE nor CAP_SYS_ADMIN; the privileged are never refused nor shrunk):
 *   new pipe   charge 16 pages; if the user's total is then above the soft limit, charge
 *              PIPE_MIN_DEF_BUFFERS (2 pages, Linux 5.16 and later) instead and make the
 *              pipe that small; if the total is still above the hard limit, charge nothing
 *              and fail: pipe(2) gives ENFILE, a FIFO's open ENOMEM
 *   F_SETPIPE_SZ growing the pipe: charge the new count in place of the old; if the total
 *              is then above the soft or the hard limit, undo it: EPERM. Shrinking is
 *              always allowed, even above a limit
 * A limit of 0 is no limit. The defaults are a fresh machine's: soft 16384 pages
 * (PIPE_DEF_BUFFERS * INR_OPEN_CUR), hard 0.
 *
 * These limits are the machine's (fs.*, in no namespace): the cross-check cannot set them
 * without changing a global setting, so a scenario that sets them is not cross-checked.
 *
 * Invariant: a user's total is the sum of the nr_accounted of the pipes it made that are
 * not freed (sim_pipe_users_total).
 */
#ifndef MSGSIM_PIPEUSER_H
#define MSGSIM_PIPEUSER_H

#include "msgsim/base.h"

#define SIM_PIPE_USER_PAGES_SOFT_DEF 16384 /* PIPE_DEF_BUFFERS * INR_OPEN_CUR */
#define SIM_PIPE_MIN_DEF_BUFFERS 2	   /* a pipe made above the soft limit */

typedef struct SimPipeUsers {
	GHashTable *pages; /* uid (gint64, boxed) -> pages charged (guint64, boxed); owned */
	gint64 soft, hard; /* fs.pipe-user-pages-soft and -hard; 0: no limit */
} SimPipeUsers;

/* Lifecycle */
void sim_pipe_users_init(SimPipeUsers *u, gint64 soft, gint64 hard);
void sim_pipe_users_clear(SimPipeUsers *u);

/* Operations */
/* A new pipe of `want` slots for user uid: the slots it gets (want, or
 * SIM_PIPE_MIN_DEF_BUFFERS above the soft limit), charged; 0 when the hard limit refuses it
 * (nothing charged). */
guint sim_pipe_users_alloc(SimPipeUsers *u, gint64 uid, gboolean privileged, guint want);
/* F_SETPIPE_SZ from `old` slots to `want`: 0 with `want` charged in place of `old`, or
 * EPERM with nothing changed. */
int sim_pipe_users_resize(SimPipeUsers *u, gint64 uid, gboolean privileged, guint old,
			  guint want);
/* A pipe of `n` charged slots is freed. */
void sim_pipe_users_free(SimPipeUsers *u, gint64 uid, guint n);

/* Queries */
guint64 sim_pipe_users_total(const SimPipeUsers *u, gint64 uid);

#endif /* MSGSIM_PIPEUSER_H */
