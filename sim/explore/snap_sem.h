/* snap_sem.h — the semaphore sets' part of a world snapshot (snap_sem.c); not public. */
#ifndef MSGSIM_SNAP_SEM_H
#define MSGSIM_SNAP_SEM_H

#include "explore/explore_int.h"

/* A SEM_UNDO record as saved: whose, for which set, where its adjustments start. */
typedef struct SnapUndo {
	guint task;  /* the task whose list holds it */
	guint set;   /* the set's index in the namespace's list */
	int semid;
	guint first; /* in SnapSem.semadj; the set's nsems of them */
} SnapUndo;

typedef struct SnapSem {
	SimIpcIds ids;	   /* the id table's counters; slots and slot_seq are copies */
	guint n_sets;	   /* the namespace's sets then (its list only grows) */
	gint64 used_sems;
	GArray *sets;	   /* SimSemArray: every set's struct */
	GArray *sems;	   /* SimSem: every set's semaphores, one set after another */
	GArray *queues;	   /* SimSemQueue: by task, what its blocked semop asks (sops: 0) */
	GArray *sops;	   /* SimSembuf: the queues' operations, one after another */
	GArray *undos;	   /* SnapUndo: every task's undo records, task by task, in list order */
	GArray *semadj;	   /* gint64: the records' adjustments, one record after another */
} SnapSem;

gboolean snap_sem_fits(const SimStmt *st); /* a semaphore call the snapshot covers */
void snap_sem_save(SnapSem *s, const SimWorld *w);
/* Frees the blocked semops' records and the undo records, before the tasks are back. */
void snap_sem_release(SimWorld *w);
void snap_sem_restore(const SnapSem *s, SimWorld *w); /* after the tasks are back */
void snap_sem_clear(SnapSem *s);

/* The digest part of the sets and the undo records (snap_sem.c): one word for state.c. */
guint64 snap_sem_digest(const SimWorld *w, guint64 pids);
/* The semaphore numbers whose last pid scn can read (GETPID, `expect sem ... pid=`): bit k
 * for number k, bit 63 for 63 and up. */
guint64 snap_sem_pids(const SimScenario *scn);

/* An IPC id table kept (its arrays copied into to's own), and put back into ids, whose
 * arrays keep their (possibly grown) storage. */
void snap_ids_keep(SimIpcIds *to, const SimIpcIds *ids);
void snap_ids_put(const SimIpcIds *saved, SimIpcIds *ids);

/* ---- Mixing words into a digest part (the multiply-xorshift round of state.c) ---- */
static inline guint64 snap_hash_word(guint64 h, guint64 v)
{
	h ^= v;
	h *= G_GUINT64_CONSTANT(0x9e3779b97f4a7c15);
	return h ^ (h >> 29);
}
/* A wait queue: its length and its tasks in order. */
guint64 snap_hash_queue(guint64 h, const SimWaitQueue *q);

#endif /* MSGSIM_SNAP_SEM_H */
