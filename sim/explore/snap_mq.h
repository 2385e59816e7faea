/* snap_mq.h — the POSIX message queues' part of a world snapshot and of its digest
 * (snap_mq.c); not public. The descriptors that reach a queue are snap_pipe.h's, with
 * every other descriptor. The four calls follow snap_msg.h's order: save, release,
 * restore, clear.
 */
#ifndef MSGSIM_SNAP_MQ_H
#define MSGSIM_SNAP_MQ_H

#include "explore/snap_msg.h"

typedef struct SnapMq {
	guint n_queues;	 /* w->mqueues->len then (the list only grows) */
	guint mq_count;	 /* the namespace's count of queues that exist */
	GArray *queues;	 /* SimMqueue: every queue's struct (its name stays the queue's) */
	SnapMsgs msgs;	 /* their messages, queue after queue */
	GArray *charges; /* gint64 pairs: uid, bytes charged to it (RLIMIT_MSGQUEUE) */
} SnapMq;

/* Whether the snapshot covers st, a POSIX call: every one but an mq_notify whose
 * notification is a signal or a thread, which snap_sig_fits covers (with the walk's eager
 * finishes off: a signal can end a task whose woken call is not finished yet). */
gboolean snap_mq_fits(const SimStmt *st);
void snap_mq_save(SnapMq *s, const SimWorld *w);
void snap_mq_release(SimWorld *w);
void snap_mq_restore(const SnapMq *s, SimWorld *w);
void snap_mq_clear(SnapMq *s);

/* The digest of every POSIX queue (name, attributes, messages by priority, wait lists,
 * registration, unlink state, references and charges), and per task of its credentials,
 * the queue it waits on and whether its wait has a deadline. Its descriptors (which share
 * a description, with what flags, on which queue) are snap_pipe_digest's. */
guint64 snap_mq_digest(const SimWorld *w, gboolean senders);

#endif /* MSGSIM_SNAP_MQ_H */
