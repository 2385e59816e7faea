/* snap_pipe.h — the pipes', FIFOs' and descriptor tables' part of a world snapshot and of
 * its digest (snap_pipe.c); not public. The calls follow snap_sem.h's order: save, release
 * (before the tasks are put back), restore (after), clear; the digest part returns one
 * word that state.c mixes in.
 */
#ifndef MSGSIM_SNAP_PIPE_H
#define MSGSIM_SNAP_PIPE_H

#include "explore/explore_int.h"
#include "explore/snap_sock.h"

/* One task's descriptor table as saved. */
typedef struct SnapTable {
	guint n, low;	    /* its slots and its lowest maybe-free one */
	gint64 nofile;	    /* RLIMIT_NOFILE */
	SimFdTable *shared; /* a thread's: its process's table (in a task, which stays put) */
	guint first;	    /* where its slots start in SnapPipe.fd_file and fd_flags */
} SnapTable;

/* What a task's waiter and wait_pipe named: a saved pipe (1 + index, 0: none) and which of
 * its lists the waiter is on (0: none, 1 readers, 2 writers, 3 openers). */
typedef struct SnapPipeWait {
	guint pipe;
	guint list;
	guint io; /* the description its blocked call holds (io_file): 1 + index, 0: none */
} SnapPipeWait;

typedef struct SnapPipe {
	guint n_pipes;	  /* the world's count of pipes made (their names' numbers) */
	guint n_fifos;	  /* w->fifos->len then (the list only grows) */
	GArray *fifos;	  /* SimFifo: every FIFO's struct, pipe as 1 + index or NULL, a
			   * socket file's sock as its snap_sock_ref */
	GArray *pipes;	  /* SimPipe: every pipe's struct; name: 1 + offset in names, slots:
			   * 1 + index in slots */
	GString *names;	  /* the pipes' names, each with its NUL */
	GArray *slots;	  /* SimPipeSlot: every pipe's ring; page: 1 + offset in bytes when
			   * the slot holds unread bytes, else NULL */
	GString *bytes;	  /* the unread bytes of every slot that holds some */
	GArray *files;	  /* SimFile: every open file description once, pipe as 1 + index,
			   * sock as its snap_sock_ref */
	GArray *tables;	  /* SnapTable: by task */
	GArray *fd_file;  /* guint: per table slot, 1 + its description's index, or 0 */
	GArray *fd_flags; /* guint8: per table slot, its descriptor flags */
	GArray *waits;	  /* SnapPipeWait: by task */
	GArray *users;	  /* gint64 pairs: uid, pages charged to it (pipeuser.h) */
	GPtrArray *seen;  /* scratch: the world's descriptions, then its pipes, as met */
} SnapPipe;

/* Whether the snapshot covers st, a call of the files' or the processes' family: pipes,
 * FIFOs, descriptors, fork, wait, kill, signal actions and exit; not poll and select
 * (their waiters sit on the world's list of pollers), exec, threads, credentials or alarms. */
gboolean snap_pipe_fits(const SimStmt *st);
/* FALSE: w holds a handler body, a poller, or `expect pipe`'s records. A socket's
 * description and a socket file name their end by sk's references (sk saved first). */
gboolean snap_pipe_save(SnapPipe *s, const SimWorld *w, const SnapSock *sk);
/* Frees the world's descriptions and pipes (the restore makes them anew). */
void snap_pipe_release(SimWorld *w);
/* socks: the pairs snap_sock_restore made, which the sockets' descriptions get back. */
void snap_pipe_restore(const SnapPipe *s, SimWorld *w, SimSockPair *const *socks);
void snap_pipe_clear(SnapPipe *s);

/* The digest of every descriptor table (each description where the walk over the tables
 * first meets it, so that sharing shows: its flags, offset and references, and its queue,
 * its pipe or its socket end), every pipe (its bytes slot by slot, its counts
 * and its wait lists), every FIFO and socket file, what the tasks wait for there, and
 * the socket pairs (snap_sock_digest). FALSE where the snapshot would refuse. */
gboolean snap_pipe_digest(const SimWorld *w, guint64 *out);

#endif /* MSGSIM_SNAP_PIPE_H */
