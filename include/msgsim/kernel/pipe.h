/* pipe.h — pipes and FIFOs as Linux 6.x implements them (fs/pipe.c, fs/fifo open).
 *
 * A SimPipe is a ring of page-sized slots, not a byte buffer (../shared/semantics.md §3):
 * the pipe is full when all `max_usage` slots are in use, however few bytes they hold.
 *
 *   write n   no readers: EPIPE and SIGPIPE. If the pipe is not empty and the newest slot
 *             has room after its end for all of n mod 4096, those bytes merge into it;
 *             the rest fills new slots, 4096 bytes each. Full: EAGAIN (non-blocking, or
 *             the partial count), else sleep at the tail of `wr_wait` and go on when woken
 *             (no merge after a sleep). Writes of up to 4096 bytes never split.
 *   read n    takes min(n, available) from the oldest slots at once; a slot is freed only
 *             when fully read. Empty: 0 (EOF) with no writers, EAGAIN (non-blocking), or
 *             sleep at the tail of `rd_wait`.
 *   wake-ups  exclusive, one at a time, in FIFO order: a write into an empty pipe wakes the
 *             first reader; a read that frees a slot of a full pipe wakes the first writer;
 *             a task woken this way that leaves data (space) behind wakes the next one.
 *             The last writer (reader) closing wakes every reader and writer.
 *   FIFO open O_RDONLY / O_WRONLY count themselves first, then wait in `open_wait` until
 *             the partner's open counter moves; O_WRONLY|O_NONBLOCK with no reader is
 *             ENXIO; O_RDWR never waits. (The kernel parks openers on rd_wait; they can
 *             never be there at the same time as a reader waiting for data, so a separate
 *             list gives the same order.)
 *   resize    F_SETPIPE_SZ rounds up to a power of two pages; EINVAL above 2^31, EPERM
 *             above pipe-max-size (1 MiB) without CAP_SYS_RESOURCE, EBUSY below the slots
 *             in use; wakes one writer.
 *
 * A woken task is off the wait list; when it runs it calls the operation again with
 * `resumed` set, and goes back to the tail if it must wait again, as the kernel's
 * wait_event_interruptible_exclusive does.
 *
 * Ownership: a pipe owns its pages (kept with their slots for reuse: the hot path does
 * not allocate once every slot has been used) and its name. Open file descriptions
 * (fdtable.h SimFile) count readers and writers through sim_pipe_attach/sim_pipe_detach.
 *
 * Invariants (sim_pipe_check): 0 <= head - tail <= max_usage <= ring; `bytes` is the sum
 * of the slots' lengths; each slot's offset + len <= 4096; every open description counts
 * as a reader, a writer or both. (A reader may wait on a non-empty pipe: the first one was
 * woken and has not run yet; it will wake the next. Likewise for writers.)
 */
#ifndef MSGSIM_PIPE_H
#define MSGSIM_PIPE_H

#include "msgsim/base.h"
#include "msgsim/kernel/vocab.h"
#include "msgsim/engine/waitq.h"

#define SIM_PAGE_SIZE 4096
#define SIM_PIPE_BUF 4096	  /* writes up to this size are atomic */
#define SIM_PIPE_DEF_SLOTS 16	  /* PIPE_DEF_BUFFERS */
#define SIM_PIPE_MAX_SIZE 1048576 /* /proc/sys/fs/pipe-max-size */

typedef struct SimPipeSlot {
	char *page;   /* 4096 bytes, allocated at first use and kept (owned) */
	guint offset; /* first unread byte */
	guint len;    /* unread bytes */
	gboolean packet; /* written by an O_DIRECT description (PIPE_BUF_FLAG_PACKET): no later
			  * write merges into it, and a read takes at most this slot and drops
			  * what it leaves of it */
} SimPipeSlot;

typedef struct SimPipe {
	char *name;		/* "pipe#1", or the FIFO's path (owned) */
	gboolean is_fifo;	/* opened through a path (open rules apply) */
	SimPipeSlot *slots;	/* ring of `ring` slots, indexed by counter % ring */
	guint ring;		/* slots allocated */
	guint max_usage;	/* slots usable (the capacity): 16 by default */
	guint head, tail;	/* the next slot to fill / to read; occupancy head - tail */
	guint64 bytes;		/* unread bytes in all slots (FIONREAD) */
	guint readers, writers; /* open file descriptions that can read / write */
	guint files;		/* open file descriptions, blocked openers included */
	guint r_counter;	/* FIFO opens for reading, ever (wait_for_partner) */
	guint w_counter;	/* FIFO opens for writing, ever */
	SimWaitQueue rd_wait;	/* readers waiting for data, FIFO */
	SimWaitQueue wr_wait;	/* writers waiting for a free slot, FIFO */
	SimWaitQueue open_wait; /* FIFO openers waiting for a partner */
	guint64 written, read;	/* bytes in total */
	guint max_used;		/* most slots in use at once */
	struct SimFifo *fifo;	/* the FIFO whose pipe it is, or NULL (set by its opener) */
	gint64 uid;		/* pipe(2)'s inode owner, its caller (a FIFO's is the FIFO's) */
	gint64 user;		/* whose pages it is charged to: its maker's real uid */
	guint nr_accounted;	/* the pages charged for it (pipeuser.h) */
} SimPipe;

/* A FIFO special file made by mkfifo: a name, a mode, and the pipe while it is open. */
typedef struct SimFifo {
	char *path;	   /* as given to mkfifo (owned) */
	guint mode;	   /* permission bits, after the umask (022) */
	gint64 uid, gid;   /* the creator */
	SimPipe *pipe;	   /* while some description or opener uses it, else NULL */
	gboolean unlinked; /* the name is gone; open descriptors still work */
	/* A socket file (bind to a path, call_sock_addr.c) shares the name space: */
	gboolean is_sock;      /* it is a socket file, not a FIFO (open gives ENXIO) */
	struct SimSock *sock;  /* the socket bound to it while that socket lives, else NULL */
} SimFifo;

/* Where a write's bytes come from: `text` repeated to `n` bytes ('x' when there is no text). */
typedef struct SimPipeSrc {
	const char *text;
	gsize len; /* 0: no text */
} SimPipeSrc;

/* What an operation needs from the world, and what it reports back. */
typedef struct SimPipeCtx {
	SimWakeList *wake;	 /* waiters to wake afterwards */
	gboolean nonblock;	 /* O_NONBLOCK on the file, or the call's own `nonblock` */
	gboolean packet;	 /* write: the file has O_DIRECT, each slot it fills is a packet */
	gboolean resumed;	 /* the caller slept in this call and was woken */
	gboolean signal_pending; /* a caught signal waits: stop (EINTR, i.e. ERESTARTSYS) rather
				  * than sleep; a write that moved bytes returns their count */
	gboolean sigpipe;	 /* out: write found no reader: SIGPIPE goes to the caller */
	struct SimPipeUsers *users; /* set_size: the per-user page accounts, or NULL: none */
	gboolean privileged;	    /* set_size: CAP_SYS_RESOURCE or CAP_SYS_ADMIN */
} SimPipeCtx;

/* Lifecycle */
SimPipe *sim_pipe_new(const char *name, gboolean is_fifo, guint slots);
void sim_pipe_free(SimPipe *p); /* NULL is fine; every waiter must be gone */
G_DEFINE_AUTOPTR_CLEANUP_FUNC(SimPipe, sim_pipe_free)

/* Open file descriptions: a new one that can read and/or write, and its release (the last
 * reader or writer going wakes every waiter: they find EOF or EPIPE). */
void sim_pipe_attach(SimPipe *p, gboolean rd, gboolean wr);
void sim_pipe_detach(SimPipe *p, SimPipeCtx *c, gboolean rd, gboolean wr);
/* The end of the run: a description or a blocked opener lets go of p without a close's
 * effects (no wake-ups, no EOF). TRUE when nothing uses p any more: the caller frees it. */
gboolean sim_pipe_file_put(SimPipe *p);

/* Operations: 0, an errno, or SIM_BLOCKED (self queued at the tail). */
/* Writes bytes [*done, n) of src; *done counts what went in. Returns 0 when the call is
 * over with *done bytes (all of n, or a partial count after EPIPE/EAGAIN), EPIPE or EAGAIN
 * when nothing was written. */
int sim_pipe_write(SimPipe *p, SimPipeCtx *c, SimWaiter *self, const SimPipeSrc *src, gsize n,
		   gsize *done);
/* Reads up to n bytes into out (appended; NULL to discard); *got is the count (0: EOF). */
int sim_pipe_read(SimPipe *p, SimPipeCtx *c, SimWaiter *self, gsize n, GString *out, gsize *got);
/* fifo_open for an access mode (SIM_O_RDONLY/WRONLY/RDWR) and O_NONBLOCK: 0, ENXIO,
 * SIM_BLOCKED, or EINTR when a caught signal made it give up (the opener no longer
 * counts). The first call sets *cookie to the partner counter it watches; a resumed call
 * passes it back. */
int sim_pipe_open(SimPipe *p, SimPipeCtx *c, SimWaiter *self, guint access, guint *cookie);
/* A blocked or woken open abandoned (its task was killed): the opener no longer counts. */
void sim_pipe_open_abort(SimPipe *p, SimPipeCtx *c, guint access);
/* F_SETPIPE_SZ: the new size in bytes (> 0) or -errno. */
gint64 sim_pipe_set_size(SimPipe *p, SimPipeCtx *c, gint64 arg, gboolean cap_sys_resource);

/* Queries */
/* What the pipe may hold in memory: itself and its whole ring, every page counted (the
 * kernel charges a pipe's buffers to its user when the ring is made, full or not). */
gsize sim_pipe_bytes(const SimPipe *p);
/* Does a description or an opener still use p (SimPipe.files)? */
static inline gboolean sim_pipe_in_use(const SimPipe *p)
{
	return p->files > 0;
}
static inline guint sim_pipe_used(const SimPipe *p)
{
	return p->head - p->tail;
}
static inline gint64 sim_pipe_size(const SimPipe *p) /* F_GETPIPE_SZ */
{
	return (gint64)p->max_usage * SIM_PAGE_SIZE;
}

/* Debug */
gboolean sim_pipe_check(const SimPipe *p);

#endif /* MSGSIM_PIPE_H */
