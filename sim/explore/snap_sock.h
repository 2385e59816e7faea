/* snap_sock.h — the UNIX-domain sockets' part of a world snapshot and of its digest
 * (snap_sock.c); not public. The descriptions that reach a socket are snap_pipe.h's, with
 * every other description: it names a socket end by the reference this file gives
 * (snap_sock_ref) and gets the new end back at the restore (snap_sock_end). The calls follow
 * snap_pipe.h's order: save (before snap_pipe_save), release (before snap_pipe_release),
 * restore (before snap_pipe_restore), clear.
 */
#ifndef MSGSIM_SNAP_SOCK_H
#define MSGSIM_SNAP_SOCK_H

#include "explore/explore_int.h"
#include "msgsim/kernel/sock.h"

/* Where one saved end's lists are: its queued connections in SnapSock.refs, its buffers in
 * SnapSock.skbs, and its peer. */
typedef struct SnapEnd {
	guint accq_first, accq_n; /* connections waiting for accept: end references */
	guint rcvq_first, rcvq_n; /* queued buffers, oldest first */
	guint peer;		  /* end reference, 0: none */
	gsize name;		  /* 1 + offset of its name in SnapSock.strs, 0: unbound */
} SnapEnd;

/* What a task's waiter was queued on: a saved end (reference, 0: none of them) and which of
 * its lists (1: wait, 2: peer_wait). */
typedef struct SnapSockWait {
	guint end;
	guint list;
} SnapSockWait;

typedef struct SnapSock {
	guint n_socks;	 /* the world's count of pairs made (their names' numbers) */
	gboolean names;	 /* the world had its table of abstract names */
	GArray *pairs;	 /* SimSockPair: every pair's struct, as gathered; name: 1 + offset in
			  * strs; the ends' pointers are left as they were (SnapEnd says) */
	GArray *ends;	 /* SnapEnd: two per pair */
	GArray *refs;	 /* guint: the listeners' queued connections, end references */
	GArray *skbs;	 /* SimSkb: every queued buffer; data: 1 + offset in bytes; from:
			  * 1 + offset in strs, or NULL; owner: an end reference */
	GString *bytes;	 /* the buffers' bytes */
	GString *strs;	 /* names, each with its NUL */
	GArray *bound;	 /* guint pairs: 1 + offset of a name table key in strs, its end */
	GArray *waits;	 /* SnapSockWait: by task */
	GPtrArray *seen; /* scratch: the world's pairs, as gathered */
} SnapSock;

/* Whether the snapshot covers st, a call of the sockets' family: every one. */
gboolean snap_sock_fits(const SimStmt *st);

/* The pairs w holds, in the order the digest and the snapshot name them: those behind the
 * descriptor tables, slot by slot, then those bound to socket files, then whatever these
 * reach (peers, connections waiting for accept, the senders of queued buffers, which keep
 * a closed pair alive). FALSE when w holds a socket this cannot vouch for (a bound name
 * or a waiting task that none of them explains): then nothing is saved or digested. */
gboolean snap_sock_gather(const SimWorld *w, GPtrArray *pairs);
/* s's reference among pairs (gathered): 1 + 2 * its pair's index + its end; 0 for NULL. */
guint snap_sock_ref(const GPtrArray *pairs, const SimSock *s);

/* Saves w's sockets; FALSE where snap_sock_gather refuses. */
gboolean snap_sock_save(SnapSock *s, const SimWorld *w);
/* Frees every pair the world holds, with its buffers (the restore makes them anew). */
void snap_sock_release(SimWorld *w);
/* Makes the saved pairs anew, their buffers, the name table and the tasks' waits: returns
 * the new pairs (by saved index; the caller frees the array) for snap_sock_end. */
SimSockPair **snap_sock_restore(const SnapSock *s, SimWorld *w);
/* The end a saved reference names among made pairs, or NULL for 0. */
static inline SimSock *snap_sock_end(SimSockPair *const *made, guint ref)
{
	return ref ? &made[(ref - 1) / 2]->end[(ref - 1) % 2] : NULL;
}
void snap_sock_clear(SnapSock *s);

/* The digest of the gathered pairs: per end its type, state, name, socket file, owner,
 * backlog, peer, queued connections, buffers (unread bytes, sizes, senders and their names),
 * send-buffer count and size, shutdown bits, pending error, whether it is closed, and its
 * two wait lists; not the pair's name (sock#N) nor the byte totals, which nothing reads. */
guint64 snap_sock_digest(const SimWorld *w, const GPtrArray *pairs);

#endif /* MSGSIM_SNAP_SOCK_H */
