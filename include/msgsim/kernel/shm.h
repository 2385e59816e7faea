/* shm.h — XSI shared memory segments as Linux 6.x implements them (ipc/shm.c).
 *
 * A SimShmSeg holds its bytes (the size asked for, rounded up to whole pages, zero-filled),
 * the fields of struct shmid_ds and the count of attachments. A process's attachments are
 * a SimShmMaps: the address each one was given and whether it is read-only; the address is
 * the handle a scenario keeps (shmat ... -> a) and gives back to shmdt and to the loads and
 * stores, as a program keeps the pointer shmat returned.
 *
 *   shmget   key: IPC_PRIVATE creates; a key found: EEXIST with IPC_CREAT|IPC_EXCL, EINVAL
 *            when the segment is smaller than the size asked, EACCES; not found: ENOENT
 *            without IPC_CREAT -> create: size below SHMMIN (1) or above shmmax EINVAL,
 *            shmall pages ENOSPC, shmmni segments ENOSPC.
 *   shmat    a negative id EINVAL -> the segment (EINVAL) -> permission (read, and write
 *            unless read-only: EACCES) -> attached: nattch + 1, atime, lpid. A segment
 *            removed while attached can still be attached by its id, as Linux allows.
 *   shmdt    no attachment at that address: EINVAL -> nattch - 1, dtime, lpid; a segment
 *            marked for removal dies with its last attachment.
 *   IPC_RMID no attachment: the segment goes at once; otherwise it is marked (SHM_DEST),
 *            its key becomes IPC_PRIVATE (a shmget of the key no longer finds it), and it
 *            goes at the last detach. Either way a new shmctl or shmat on an id that is
 *            gone is EINVAL.
 *   fork     the child gets every attachment (nattch + 1 each); exit detaches them all.
 *
 * Invariants (sim_shm_check): nattch is the number of attachments the processes hold; a
 * segment marked for removal has attachments and the key 0; a gone one has none.
 */
#ifndef MSGSIM_SHM_H
#define MSGSIM_SHM_H

#include "msgsim/base.h"
#include "msgsim/kernel/ipcids.h"

#define SIM_SHM_PAGE 4096			       /* PAGE_SIZE on the project's machines */
#define SIM_SHM_BASE G_GINT64_CONSTANT(0x7f0000000000) /* where the model's attachments go */

typedef struct SimShmSeg {
	SimIpcPerm perm; /* first: the id table reads the key through it */
	gint64 segsz;	 /* shm_segsz: the size asked for */
	guint8 *data;	 /* segsz rounded up to pages, zero at first */
	gint64 pages;	 /* what shmall counts */
	gint64 nattch;
	int cpid, lpid; /* creator, last shmat/shmdt: task index (-1: none) */
	SimTime atime, dtime, ctime;
	gboolean has_atime, has_dtime;
	gboolean dest;	 /* IPC_RMID while attached: goes at the last detach */
	gboolean gone;	 /* destroyed: only kept for the run's report */
	gboolean locked; /* SHM_LOCK */
} SimShmSeg;

/* One attachment of a process. */
typedef struct SimShmMap {
	gint64 addr;	 /* the address shmat returned: the handle */
	SimShmSeg *seg;	 /* the segment (kept alive by the attachment) */
	gboolean rdonly; /* SHM_RDONLY */
} SimShmMap;

/* A process's attachments, and where its next one goes. */
typedef struct SimShmMaps {
	GArray *maps; /* SimShmMap, in attach order; NULL until the first */
	gint64 next;  /* the next address */
	/* The process's last racy load (load ... racy): where, how many bytes, what it saw.
	 * A racy store to the same bytes that finds them changed since is a lost update. */
	gint64 racy_addr, racy_len;
	guint64 racy_seen;
	gboolean racy_set;
} SimShmMaps;

typedef struct SimShmNs {
	SimIpcIds ids;
	GPtrArray *all; /* SimShmSeg: every segment of the run, gone ones too (owned) */
	gint64 shm_tot; /* pages in live segments (shmall counts against it) */
} SimShmNs;

/* Lifecycle */
void sim_shmns_init(SimShmNs *ns);
void sim_shmns_clear(SimShmNs *ns);	/* frees every segment */
void sim_shm_maps_clear(SimShmMaps *m); /* frees the array, detaches nothing */

/* Operations: task is the caller's index, now the clock. */
int sim_shm_get(SimShmNs *ns, const SimLimits *l, gint64 key, gint64 size, guint flags, guint mode,
		const SimCred *cred, int task, SimTime now, int *id_out);
/* shmat(id, NULL, rdonly ? SHM_RDONLY : 0): 0 with *addr set, or EINVAL, EACCES. */
int sim_shm_attach(SimShmNs *ns, SimShmMaps *m, int id, gboolean rdonly, const SimCred *cred,
		   int task, SimTime now, gint64 *addr);
/* shmdt(addr): 0 or EINVAL. */
int sim_shm_detach(SimShmNs *ns, SimShmMaps *m, gint64 addr, int task, SimTime now);
/* IPC_RMID (the caller checked EPERM). */
void sim_shm_remove(SimShmNs *ns, SimShmSeg *seg);
/* fork: the child's attachments are the parent's; the parent (task) opens them, so it is
 * the segments' last pid. */
void sim_shm_fork(SimShmMaps *child, const SimShmMaps *parent, int task, SimTime now);
/* exit: every attachment is detached. */
void sim_shm_exit(SimShmNs *ns, SimShmMaps *m, int task, SimTime now);

/* Queries */
SimShmSeg *sim_shm_lookup(const SimShmNs *ns, int id); /* NULL: EINVAL */
/* The segment's bytes, made (zero) on the first call: pages * SIM_SHM_PAGE of them. */
guint8 *sim_shm_bytes(SimShmSeg *seg);
/* The attachment holding [addr, addr + len), or NULL (the access would fault). */
const SimShmMap *sim_shm_find(const SimShmMaps *m, gint64 addr, gint64 len);

/* Debug */
gboolean sim_shm_check(const SimShmSeg *seg);

#endif /* MSGSIM_SHM_H */
