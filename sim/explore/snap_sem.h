/* snap_sem.h — the semaphore sets' part of a world snapshot (snap_sem.c); not public. */
#ifndef MSGSIM_SNAP_SEM_H
#define MSGSIM_SNAP_SEM_H

#include "explore/explore_int.h"

typedef struct SnapSem {
	SimIpcIds ids;	   /* the id table's counters; slots and slot_seq are copies */
	guint n_sets;	   /* the namespace's sets then (its list only grows) */
	gint64 used_sems;
	GArray *sets;	   /* SimSemArray: every set's struct */
	GArray *sems;	   /* SimSem: every set's semaphores, one set after another */
	GArray *queues;	   /* SimSemQueue: by task, what its blocked semop asks (sops: 0) */
	GArray *sops;	   /* SimSembuf: the queues' operations, one after another */
} SnapSem;

gboolean snap_sem_fits(const SimStmt *st); /* a semaphore call the snapshot covers */
gboolean snap_sem_save(SnapSem *s, const SimWorld *w); /* FALSE: an undo record exists */
void snap_sem_release(SimWorld *w); /* frees the blocked semops' records, before the tasks */
void snap_sem_restore(const SnapSem *s, SimWorld *w); /* after the tasks are back */
void snap_sem_clear(SnapSem *s);

#endif /* MSGSIM_SNAP_SEM_H */
