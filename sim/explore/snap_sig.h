/* snap_sig.h — the signals' and threads' part of a world snapshot and of its digest
 * (snap_sig.c); not public. What a task holds of its own (pending set, actions, stop
 * state, its process) is in its struct, which snap.c saves whole and state.c digests;
 * this part keeps what lies outside the tasks: signal counts and per-process label records. */
#ifndef MSGSIM_SNAP_SIG_H
#define MSGSIM_SNAP_SIG_H

#include "explore/explore_int.h"

typedef struct SnapSig {
	GArray *counts;	 /* guint64 triples: sig_counts key, delivered, handled */
	GArray *keys;	 /* gsize: the task_results keys then (the records made so far) */
	GArray *results; /* SimStmtResult: their records, in the same order */
} SnapSig;

/* Whether the snapshot covers st thanks to this part: thread, join, and an mq_notify whose
 * notification is a signal or a thread (the rest of the POSIX family is snap_mq_fits's). */
gboolean snap_sig_fits(const SimStmt *st);
void snap_sig_save(SnapSig *s, const SimWorld *w);
void snap_sig_restore(const SnapSig *s, SimWorld *w);
void snap_sig_clear(SnapSig *s);

/* The digest of the signal counts `expect P signal S` reads and, per task, its process
 * (which thread group, threaded or not, being ended, how it ended, whether its descriptor
 * table is its process's). */
guint64 snap_sig_digest(const SimWorld *w);
/* Whether a body of w registers for a signal or a thread when a POSIX queue notifies. */
gboolean snap_sig_notifies(const SimWorld *w);

#endif /* MSGSIM_SNAP_SIG_H */
