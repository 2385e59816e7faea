/* ipcids.h — one XSI id space (struct ipc_ids): the slots, the sequence and the key lookup.
 *
 * The kernel keeps three id spaces per IPC namespace, one each for message queues,
 * semaphore sets and shared memory segments (ipc/util.c), and they do not share numbers: a
 * namespace's first queue, first set and first segment are all id 0. The message queues
 * keep theirs inside SimIpcNs (ipcns.h); semaphore sets and segments each own one of these.
 * The rules are the same as there: ids are seq * 32768 + idx, idx taken cyclically in
 * [0, max_idx) after the last one given, max_idx = min(max(in_use * 3 / 2, 64), 32768),
 * seq growing whenever idx does not; `limit` is the namespace's semmni or shmmni.
 *
 * The table holds opaque pointers to objects whose first member is their SimIpcPerm, so the
 * key lookup can read the key without knowing the object. It owns the arrays, not the
 * objects.
 */
#ifndef MSGSIM_IPCIDS_H
#define MSGSIM_IPCIDS_H

#include "msgsim/kernel/ipcns.h"

typedef struct SimIpcIds {
	gpointer *slots;  /* by idx: the object (its first member a SimIpcPerm), or NULL */
	guint *slot_seq;  /* by idx: the seq of the id given there */
	guint n_slots;	  /* allocated length */
	guint in_use;	  /* live objects */
	int last_idx;	  /* last index given, -1 at first */
	guint seq;	  /* current sequence number */
	guint next_idx;	  /* where the cyclic search starts */
	int max_idx_used; /* highest index in use, -1 when none (IPC_INFO's return value) */
} SimIpcIds;

/* Lifecycle */
void sim_ipcids_init(SimIpcIds *ids);
void sim_ipcids_clear(SimIpcIds *ids); /* frees the arrays, not the objects */

/* Operations */
/* Takes an index for obj and returns the new id (and its seq), or -1 when `limit` objects
 * live already (ENOSPC). */
int sim_ipcids_alloc(SimIpcIds *ids, gpointer obj, gint64 limit, guint *seq_out);
void sim_ipcids_free(SimIpcIds *ids, int id);

/* Queries */
gpointer sim_ipcids_lookup(const SimIpcIds *ids, int id); /* NULL: no such id (EINVAL) */
/* The object in the slot of id's index part, whatever its seq (the *_STAT commands, which
 * take an index), or NULL. */
gpointer sim_ipcids_lookup_idx(const SimIpcIds *ids, int id);
gpointer sim_ipcids_find_key(const SimIpcIds *ids, gint64 key); /* key != IPC_PRIVATE */

#endif /* MSGSIM_IPCIDS_H */
