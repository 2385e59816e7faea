/* real_int.h — what the real-kernel runner's files share and nobody else needs: the ops
 * table a worker dispatches on, the helpers its backends have in common, and the sandbox's
 * path resolution.
 *
 * A worker makes one system call per SimRealOp, and each op is one row of the ops table:
 * its name and the function that makes the call. The rows live with the API they belong to,
 * one backend file each - sim/real/real_sysv.c (msgget ... msgctl), sim/real/real_posix.c (mq_*),
 * sim/real/real_file.c (pipes, descriptors and paths), sim/real/real_proc.c (signals, exit,
 * credentials, fork, wait) - and sim/real/real_ops.c indexes them by op and runs one
 * (sim_real_exec), doing what every call shares: the result cleared before, the return
 * value, errno and the data's length filled in after. Every op has exactly one row
 * (sim_real_ops_check; a unit test holds it). The worker machinery itself - spawning,
 * the command loop, the lifeline, the /proc probes - is sim/real/real.c.
 */
#ifndef MSGSIM_REAL_INT_H
#define MSGSIM_REAL_INT_H

#include "msgsim/real/real.h"

/* ---- The ops table ---- */

/* Makes the op's one system call (and nothing that can sleep around it): returns what the
 * kernel returned, -1 on error, and saves errno in *err right after the call, before
 * anything that may change it (g_malloc and g_free may). data holds c->len bytes and a
 * NUL; data the call gives back is appended to out, other values go to r (cleared
 * before). */
typedef gint64 (*SimRealExecFn)(const SimRealSandbox *sb, const SimRealCall *c, const char *data,
				SimRealResult *r, GString *out, int *err);

typedef struct SimRealOpRow {
	SimRealOp op;	    /* the call this row makes */
	const char *name;   /* its system call's name, for messages and reports ("msgrcv") */
	SimRealExecFn exec; /* makes it */
} SimRealOpRow;

/* One API's rows: what each backend file exports. */
typedef struct SimRealBackend {
	const char *api;	  /* "SysV", "POSIX", ... for the check's messages */
	const SimRealOpRow *rows; /* in the order of SimRealOp */
	guint n_rows;
} SimRealBackend;

extern const SimRealBackend sim_real_sysv_backend;  /* sim/real/real_sysv.c */
extern const SimRealBackend sim_real_sem_backend;   /* sim/real/real_sem.c */
extern const SimRealBackend sim_real_shm_backend;   /* sim/real/real_shm.c */
extern const SimRealBackend sim_real_posix_backend; /* sim/real/real_posix.c */
extern const SimRealBackend sim_real_file_backend;  /* sim/real/real_file.c */
extern const SimRealBackend sim_real_sock_backend;  /* sim/real/real_sock.c */
extern const SimRealBackend sim_real_seek_backend;  /* sim/real/real_seek.c */
extern const SimRealBackend sim_real_cred_backend;  /* sim/real/real_cred.c */
extern const SimRealBackend sim_real_exec_backend;  /* sim/real/real_exec.c */
extern const SimRealBackend sim_real_proc_backend;  /* sim/real/real_proc.c */
extern const SimRealBackend sim_real_poll_backend;  /* sim/real/real_poll.c */
extern const SimRealBackend sim_real_thread_backend; /* sim/real/real_thread.c */
extern const SimRealBackend sim_real_notify_backend; /* sim/real/real_notify.c */

/* The backends sim_real_exec dispatches to (*n of them). */
const SimRealBackend *const *sim_real_backends(guint *n);
/* The row of op, or NULL for a value that is no op. */
const SimRealOpRow *sim_real_op_row(SimRealOp op);
/* TRUE when backends[0..n) give every SimRealOp exactly one row, whose name and exec are
 * set; otherwise FALSE, and what is wrong is appended to why (one line per fault). */
gboolean sim_real_ops_check(const SimRealBackend *const *backends, guint n, GString *why);

/* ---- Helpers the backends share ---- */

/* Detaches every shm attachment the worker made (real_shm.c), as an execve drops them. */
void sim_real_shm_detach_all(void);

/* A buffer's size for the size a call hands the kernel: as large, up to SIM_REAL_IO_MAX (a
 * negative size reads as a huge unsigned one, as the kernel reads it). */
static inline size_t sim_real_buf_size(gint64 v)
{
	return (guint64)v > (guint64)SIM_REAL_IO_MAX ? (size_t)SIM_REAL_IO_MAX : (size_t)v;
}

/* How many of buf[from..n) still hold byte b: what a receive left of a filled buffer. */
static inline gint64 sim_real_untouched(const char *buf, size_t from, size_t n, int b)
{
	gint64 k = 0;
	for (size_t i = from; i < n; i++)
		k += (guchar)buf[i] == (guchar)b;
	return k;
}

/* Appends the first n bytes a call read (at most SIM_REAL_DATA_MAX) to the result's data. */
static inline void sim_real_put_data(GString *out, const char *buf, gint64 n)
{
	g_string_append_len(out, buf, (gssize)MIN(n, SIM_REAL_DATA_MAX));
}

/* ---- What the worker machinery (sim/real/real.c) lends the proc backend ---- */

/* The process this worker dies with (0 outside a worker, and in a forked one). */
pid_t sim_real_worker_parent(void);
/* SIM_REAL_FORK: forks; the child serves channel slot k (keeping k+1 .. k+n for its own
 * forks) and never returns. The parent's answer: the child's pid, or -1 and *err. */
gint64 sim_real_worker_fork(const SimRealSandbox *sb, gint64 k, gint64 n, int *err);
/* The scenario's handlers record each siginfo they are handed (real_proc.c): take moves
 * the records since the last take into r (n_si, si), reset forgets them (a forked child
 * starts with none: the parent's answer carries them). */
void sim_real_siglog_take(SimRealResult *r);
void sim_real_siglog_reset(void);
/* The signals the scenario's handlers catch (real_proc.c): held back (blocked) while the
 * worker waits for a command, let in (unblocked) while it makes one; reset empties the set
 * (exec: the handlers are gone) and lets them in. */
void sim_real_caught_hold(gboolean hold);
void sim_real_caught_reset(void);
/* SIM_REAL_THREAD: a thread of this process serves slot k; its tid (real.c). */
gint64 sim_real_worker_thread(const SimRealSandbox *sb, gint64 k, int *err);

/* ---- The sandbox's paths (sim/real/sandbox.c) ---- */

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
