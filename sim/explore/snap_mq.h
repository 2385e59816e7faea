/* snap_mq.h — the POSIX message queues' part of a world snapshot and of its digest, with
 * the descriptors that reach them (snap_mq.c); not public. The four calls follow
 * snap_msg.h's order: save, release, restore, clear.
 */
#ifndef MSGSIM_SNAP_MQ_H
#define MSGSIM_SNAP_MQ_H

#include "explore/snap_msg.h"

/* One task's descriptor table as saved. */
typedef struct SnapFdt {
	guint n, low;  /* the table's slots and its lowest maybe-free one */
	gint64 nofile; /* RLIMIT_NOFILE */
	guint first;   /* where its slots start in SnapMq.slots */
} SnapFdt;

typedef struct SnapMq {
	guint n_queues;	 /* w->mqueues->len then (the list only grows) */
	guint mq_count;	 /* the namespace's count of queues that exist */
	GArray *queues;	 /* SimMqueue: every queue's struct (its name stays the queue's) */
	SnapMsgs msgs;	 /* their messages, queue after queue */
	GArray *charges; /* gint64 pairs: uid, bytes charged to it (RLIMIT_MSGQUEUE) */
	GArray *files;	 /* SimFile: every open file description, each once */
	GArray *tables;	 /* SnapFdt: by task */
	GArray *slots;	 /* guint: per table slot, 1 + its description's index, or 0 */
	GArray *fdfl;	 /* guint8: per table slot, its descriptor flags */
} SnapMq;

/* Whether the snapshot covers st, a POSIX call: every one but an mq_notify whose
 * notification is a signal or a thread (a signal can end a task whose woken call the
 * walk finishes at once, explore.c's resuming()). */
gboolean snap_mq_fits(const SimStmt *st);
/* FALSE: a table holds something else than a queue's descriptor, or is a thread's. */
gboolean snap_mq_save(SnapMq *s, const SimWorld *w);
void snap_mq_release(SimWorld *w);
void snap_mq_restore(const SnapMq *s, SimWorld *w);
void snap_mq_clear(SnapMq *s);

/* The digest of every POSIX queue (name, attributes, messages by priority, wait lists,
 * registration, unlink state, references and charges), and per task of its credentials,
 * the queue it waits on, whether its wait has a deadline, and its queue descriptors (which
 * share a description, with what flags). FALSE: too many descriptions to tell apart. */
gboolean snap_mq_digest(const SimWorld *w, gboolean senders, guint64 *out);

#endif /* MSGSIM_SNAP_MQ_H */
