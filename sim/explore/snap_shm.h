/* snap_shm.h — the shared memory segments' part of a world snapshot and of its digest
 * (snap_shm.c); not public. The calls follow snap_sem.h's order: save, restore (after the
 * tasks are back), clear; the digest part returns one word that state.c mixes in.
 */
#ifndef MSGSIM_SNAP_SHM_H
#define MSGSIM_SNAP_SHM_H

#include "explore/explore_int.h"

typedef struct SnapShm {
	SimIpcIds ids;	/* the id table's counters; slots and slot_seq are copies */
	gint64 shm_tot; /* pages in live segments */
	guint n_segs;	/* the namespace's segments then (its list only grows) */
	GArray *segs;	/* SimShmSeg: every segment's struct; data: 1 + offset in bytes, or
			 * NULL when it had none yet */
	GString *bytes; /* the segments' bytes, one after another */
	GArray *maps;	/* SimShmMaps: by task (maps: 1 + index in attach, or NULL) */
	GArray *attach; /* SimShmMap: every task's attachments, seg as 1 + its index */
} SnapShm;

gboolean snap_shm_fits(const SimStmt *st); /* a shared memory call the snapshot covers */
void snap_shm_save(SnapShm *s, const SimWorld *w);
void snap_shm_restore(const SnapShm *s, SimWorld *w);
void snap_shm_clear(SnapShm *s);

/* The digest of every segment (ids, sizes, counts, pids, marks and bytes) and of every
 * task's attachments (address, segment, read-only, its next address and racy load). */
guint64 snap_shm_digest(const SimWorld *w);

#endif /* MSGSIM_SNAP_SHM_H */
