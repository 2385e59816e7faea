/* snap_sig.h — the signals' and threads' part of a world snapshot and of its digest
 * (snap_sig.c); not public. What a task holds of its own (pending set, actions, stop
 * state, its process) is in its struct, which snap.c saves whole and state.c digests;
 * this part keeps what lies outside the tasks: signal counts and per-process label records. */
#ifndef MSGSIM_SNAP_SIG_H
#define MSGSIM_SNAP_SIG_H

#include "explore/explore_int.h"

#include "explore/snap_msg.h"

typedef struct SnapSig {
	GArray *counts;	 /* guint64 triples: sig_counts key, delivered, handled */
	GArray *keys;	 /* gsize: the task_results keys then (the records made so far) */
	GArray *results; /* SimStmtResult: their records, in the same order */
	/* Handler bodies (snap_sig_save's comment): by task, whether it had its bodies' record
	 * and the record itself; the running bodies' loop counters and variables, frame by
	 * frame, task by task (a variable's message as 1 + its index in msgs, or 0). */
	GArray *has;	  /* guint8, by task */
	GArray *bodies;	  /* SimSigBodies, by task (zero where has is 0) */
	GArray *counters; /* gint64 */
	GArray *vars;	  /* SimVar */
	GArray *var_msg;  /* guint64, one per vars */
	SnapMsgs msgs;
} SnapSig;

/* Whether the snapshot covers st thanks to this part: thread, join, alarm, and an mq_notify whose
 * notification is a signal or a thread (the rest of the POSIX family is snap_mq_fits's). */
gboolean snap_sig_fits(const SimStmt *st);
/* FALSE when a running body holds what the snapshot does not copy (a variable with an
 * IPC_STAT record). */
gboolean snap_sig_save(SnapSig *s, const SimWorld *w);
/* Before the tasks are put back (snap.c's put_objects): every running body of w undone,
 * its counters, variables and messages given back, each task on its own program again. */
void snap_sig_release(SimWorld *w);
/* After them: the counts, the records and the bodies as saved, running where they ran. */
void snap_sig_restore(const SnapSig *s, SimWorld *w);
void snap_sig_clear(SnapSig *s);

/* The program a task runs when no handler body runs, and its counters and variables
 * (under its bodies' frames while one runs): what snap.c saves in the task's own slots. */
void snap_sig_base(const SimTask *t, const SimProgram **prog, gint64 **counters, SimVar **vars);
/* The same for task i as s saved it (saved: its struct in the snapshot). */
const SimProgram *snap_sig_saved_base(const SnapSig *s, guint i, const SimTask *saved);

/* Task t's part of the digest that its struct does not give: its handler bodies (which
 * are installed, which owe a start, which run, where each interrupted program stands and
 * what it holds, the siginfo of its pending signals) and its alarm, as the value an
 * alarm() call would return now (see the head of snap_sig.c). */
guint64 snap_sig_task_digest(const SimWorld *w, const SimTask *t, gboolean senders);

/* The digest of the signal counts `expect P signal S` reads and, per task, its process
 * (which thread group, threaded or not, being ended, how it ended, whether its descriptor
 * table is its process's). */
guint64 snap_sig_digest(const SimWorld *w);
/* Whether a body of w registers for a signal or a thread when a POSIX queue notifies. */
gboolean snap_sig_notifies(const SimWorld *w);

#endif /* MSGSIM_SNAP_SIG_H */
