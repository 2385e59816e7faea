/* ipcns.h — an IPC namespace: limits, permission checks, the SysV id allocator and key table.
 *
 * One namespace per run, like a fresh `unshare(CLONE_NEWIPC)`: ids start at 0. The rules
 * follow Linux 6.x (ipc/util.c, ipc/msg.c; ../shared/semantics.md §1.1-1.3):
 *   - ids are seq * 32768 + idx; idx is allocated cyclically in [0, max_idx) starting just
 *     after the last one allocated, max_idx = min(max(in_use * 3 / 2, 64), 32768) with
 *     in_use counted before the allocation; seq grows each time idx does not grow (a wrap);
 *   - an id whose slot is free or whose seq does not match is invalid (EINVAL);
 *   - keys: IPC_PRIVATE (0) is never found; other keys are unique among live objects;
 *   - ipcperms: owner class when euid is uid or cuid, group class when egid is gid or cgid,
 *     else other; CAP_IPC_OWNER bypasses; a request of 0 always passes.
 * POSIX queues (ipc/mqueue.c; semantics.md §2.1) live in the same namespace: their limits
 * (/proc/sys/fs/mqueue), the table of linked names, the number of queues that exist
 * (unlinked ones count until their last descriptor closes) and the RLIMIT_MSGQUEUE bytes
 * charged to each user.
 * The namespace owns the slot and name tables; the objects in them belong to their modules
 * (msgq.c, mqueue.c), which the namespace knows only as opaque pointers.
 */
#ifndef MSGSIM_IPCNS_H
#define MSGSIM_IPCNS_H

#include "msgsim/base.h"
#include "msgsim/kernel/limits.h"
#include "msgsim/kernel/vocab.h"

#define SIM_IPC_MNI_MAX 32768 /* IPCMNI: index space of one id (without ipcmni_extend) */
#define SIM_IPC_SEQ_MAX 65535 /* INT_MAX >> 15: seq wraps to 0 here */

typedef struct SimScenario SimScenario; /* scn.h: its `sysctl` limits, read at init */

/* The permission block of an IPC object (struct kern_ipc_perm). */
typedef struct SimIpcPerm {
	gint64 key;
	int id;
	gint64 uid, gid;   /* owner */
	gint64 cuid, cgid; /* creator */
	guint mode;	   /* low 9 bits */
	guint seq;
} SimIpcPerm;

typedef struct SimIpcNs {
	/* Limits: /proc/sys/kernel/msg... and /proc/sys/fs/mqueue (POSIX queues' maxima hold
	 * for callers without CAP_SYS_RESOURCE; their defaults when mq_open has no attr) */
	SimLimits limits;

	/* SysV message queue ids */
	gpointer *slots;  /* by idx: the object, or NULL when free */
	guint *slot_seq;  /* by idx: the seq of the id allocated there */
	guint n_slots;	  /* allocated length of slots */
	guint in_use;	  /* live objects */
	int last_idx;	  /* last index allocated, -1 at first */
	guint seq;	  /* current sequence number */
	guint next_idx;	  /* where the cyclic search starts */
	int max_idx_used; /* highest index in use, -1 when none (IPC_INFO) */

	/* POSIX message queues */
	GHashTable *mq_names;  /* "/name" -> object, linked only */
	guint mq_count;	       /* queues that exist */
	GHashTable *mq_charge; /* uid -> bytes charged (gint64 *) */
} SimIpcNs;

/* Lifecycle */
void sim_ipcns_init(SimIpcNs *ns, const SimLimits *limits);
void sim_ipcns_clear(SimIpcNs *ns); /* frees the slot table, not the objects */

/* Operations */
/* Takes a free index for obj and returns the new id, or -1 when msgmni is reached (ENOSPC). */
int sim_ipcns_alloc(SimIpcNs *ns, gpointer obj, guint *seq_out);
void sim_ipcns_free(SimIpcNs *ns, int id);

/* Queries */
gpointer sim_ipcns_lookup(const SimIpcNs *ns, int id); /* NULL: invalid id (EINVAL) */
static inline int sim_ipcns_idx(int id)
{
	return id % SIM_IPC_MNI_MAX;
}
/* Is `mode` access (a mask of 4 read, 2 write, as in msgget's low bits) refused? */
gboolean sim_ipcns_denied(const SimIpcPerm *perm, const SimCred *cred, guint flag);
/* IPC_SET/IPC_RMID: the caller owns or created the object, or has CAP_SYS_ADMIN. */
gboolean sim_ipcns_may_control(const SimIpcPerm *perm, const SimCred *cred);
/* RLIMIT_MSGQUEUE: bytes charged to uid now; charge (may be negative) adjusts it. */
gint64 sim_ipcns_mq_charged(const SimIpcNs *ns, gint64 uid);
void sim_ipcns_mq_charge(SimIpcNs *ns, gint64 uid, gint64 bytes);
/* ftok(3) from a file's st_dev and st_ino. */
gint64 sim_ipcns_ftok(gint64 dev, gint64 ino, gint64 proj);

#endif /* MSGSIM_IPCNS_H */
