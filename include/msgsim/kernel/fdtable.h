/* fdtable.h — descriptor tables: each process's open descriptors, numbered as the kernel does.
 *
 * A descriptor names an open file description (SimFile): what mq_open, pipe or open made,
 * with its object, its access mode, O_NONBLOCK and its offset. A SimFdTable, embedded in
 * each task, maps descriptors to descriptions, as the kernel's files_struct does.
 *
 * Numbering: a new descriptor is the lowest free one at or above SIM_FD_FIRST (0, 1 and 2
 * are the standard streams, which the model leaves out), and none may reach RLIMIT_NOFILE
 * (`nofile`): sim_fdt_alloc then gives -1 and the call fails with EMFILE.
 *
 * Ownership and counts, one level each:
 *   - a table owns its slot array and holds one reference (SimFile.refs) on each
 *     description in it; fork shares every description with the child (sim_fdt_fork);
 *   - a description holds one reference on its object, counted by the object's module
 *     (SimMqueue.refs: sim_mqueue_open, sim_mqueue_close; SimPipe.files: sim_pipe_attach,
 *     sim_pipe_open, sim_pipe_detach, sim_pipe_file_put).
 * When sim_fdt_file_put drops a description's last reference, closing the object behind it
 * (and freeing the description) is the caller's: the world, which knows the wake list and
 * the memory guard rail. The table never frees a description.
 *
 * Memory: the functions that grow a table return the bytes they added, which the world
 * charges to the memory guard rail (world.h).
 *
 * Threads: a thread's table is its process's (CLONE_FILES). Its own SimFdTable stays empty
 * and points at the process's (`shared`); every function and query here follows that
 * pointer first, so a caller holding a thread's table reaches the process's descriptors.
 * The process's task outlives its threads' use of it (its end ends them first).
 */
#ifndef MSGSIM_FDTABLE_H
#define MSGSIM_FDTABLE_H

#include "msgsim/base.h"

#define SIM_FD_FIRST 3 /* 0, 1 and 2 are the standard streams */

/* What an open file description refers to. */
typedef enum SimFileKind {
	SIM_FILE_MQ,   /* a POSIX message queue */
	SIM_FILE_PIPE, /* an end of a pipe, or an open FIFO */
	SIM_FILE_SOCK, /* an end of a UNIX-domain socket pair (sock.h) */
} SimFileKind;

/* An open file description: kind, object, flags. Shared by the descriptors that dup or
 * fork would make, hence counted. */
typedef struct SimFile {
	SimFileKind kind;
	struct SimMqueue *mq; /* SIM_FILE_MQ */
	struct SimPipe *pipe; /* SIM_FILE_PIPE */
	struct SimSock *sock; /* SIM_FILE_SOCK */
	guint flags;	      /* SIM_O_RDONLY|WRONLY|RDWR and SIM_O_NONBLOCK */
	guint fl;	      /* the other F_SETFL flags it keeps, as the kernel numbers them
			       * (O_APPEND, O_DIRECT, FASYNC, O_NOATIME): F_GETFL shows them, and
			       * a pipe's writes are packets while O_DIRECT is set */
	guint refs;	      /* descriptors referring to it */
	gsize pos;	      /* the file offset (a queue's file reads as its status line) */
	guint poll_wver;      /* a FIFO opened O_RDONLY|O_NONBLOCK with no writer: the pipe's
			       * w_counter then (the kernel's f_pipe), so that poll shows no
			       * POLLHUP until a writer has come; 0 otherwise (never a counter) */
} SimFile;

/* A descriptor's own flags, beside its description's: close-on-exec (FD_CLOEXEC) belongs to
 * the descriptor, so a dup or a fork's copy of it does not share it. */
#define SIM_FD_CLOEXEC 1u

/* A process's descriptors: fds[i] is descriptor i, NULL when free; fdfl[i] its own flags. */
typedef struct SimFdTable {
	SimFile **fds; /* n slots; grows by doubling (at least to the descriptor installed) */
	guint8 *fdfl;  /* n slots: SIM_FD_CLOEXEC, 0 when fds[i] is free */
	guint n;
	guint low; /* every slot from SIM_FD_FIRST below it is taken (where a scan starts) */
	gint64 nofile; /* RLIMIT_NOFILE: every descriptor is below it */
	struct SimFdTable *shared; /* a thread's: its process's table, which it uses; NULL in a
				    * process (its own table is the one) */
} SimFdTable;

/* The table fdt stands for: its process's when fdt is a thread's. */
static inline SimFdTable *sim_fdt_of(SimFdTable *fdt)
{
	return fdt->shared ? fdt->shared : fdt;
}
static inline const SimFdTable *sim_fdt_cof(const SimFdTable *fdt)
{
	return fdt->shared ? fdt->shared : fdt;
}

/* Lifecycle */
void sim_fdt_init(SimFdTable *fdt, gint64 nofile);
/* Frees the slot array; not the descriptions (every descriptor is removed first). */
void sim_fdt_clear(SimFdTable *fdt);

/* Operations */
/* The lowest free descriptor at or above `from` (and SIM_FD_FIRST), or -1 past RLIMIT_NOFILE.
 * pipe2 asks twice, the second time above the first, before it installs either. */
int sim_fdt_alloc(const SimFdTable *fdt, int from);
/* fd (free, >= SIM_FD_FIRST) now refers to f, taking one reference the caller counted
 * (refs), with no descriptor flags (sim_fdt_set_fdfl sets them). Returns the bytes the table
 * grew by. */
gsize sim_fdt_install(SimFdTable *fdt, int fd, SimFile *f);
/* fd is free again: returns the description it referred to (the reference now the
 * caller's, for sim_fdt_file_put), or NULL when fd was not open (EBADF). */
SimFile *sim_fdt_remove(SimFdTable *fdt, gint64 fd);
/* fork: child (empty) gets parent's descriptors at the same numbers, sharing their
 * descriptions, with their own flags copied, and its RLIMIT_NOFILE. Returns the bytes child's table grew by. */
gsize sim_fdt_fork(SimFdTable *child, const SimFdTable *parent);
/* A descriptor let go of f: TRUE when it was the last, and f's object must be closed. */
gboolean sim_fdt_file_put(SimFile *f);

/* Queries */
static inline SimFile *sim_fdt_get(const SimFdTable *fdt, gint64 fd) /* NULL: not open */
{
	fdt = sim_fdt_cof(fdt);
	return fd >= 0 && fd < (gint64)fdt->n ? fdt->fds[fd] : NULL;
}
/* The descriptor flags of fd (SIM_FD_CLOEXEC), 0 when fd is not open. */
static inline guint sim_fdt_fdfl(const SimFdTable *fdt, gint64 fd)
{
	fdt = sim_fdt_cof(fdt);
	return sim_fdt_get(fdt, fd) ? fdt->fdfl[fd] : 0;
}
/* F_SETFD: fd's (open) flags are now fdfl. */
static inline void sim_fdt_set_fdfl(SimFdTable *fdt, gint64 fd, guint fdfl)
{
	fdt = sim_fdt_of(fdt);
	g_assert(sim_fdt_get(fdt, fd));
	fdt->fdfl[fd] = (guint8)fdfl;
}
/* The memory the table itself holds (its slots), for the report's accounting. */
static inline guint64 sim_fdt_bytes(const SimFdTable *fdt)
{
	return (guint64)fdt->n * (sizeof(SimFile *) + sizeof(guint8));
}

#endif /* MSGSIM_FDTABLE_H */
