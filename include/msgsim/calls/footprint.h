/* footprint.h — which kernel objects a call reads and which it changes: the dependency
 * relation between calls.
 *
 * Two calls commute (running them in either order leaves the same world, and neither
 * enables or disables the other) when their footprints do not conflict: no object written
 * by one is read or written by the other. Exploration (partial-order reduction) relies on
 * it to try one order of independent calls only, as Redis's key specs tell its cluster
 * which commands touch which keys.
 *
 * A footprint is a short list of object references, each read or written. A reference
 * names one object (a mailbox by index, a SysV queue by id, a pipe or a POSIX queue by
 * address, a task by index, a FIFO path by the hash of its name) or, with id
 * SIM_OBJ_ALL, every object of its kind: that is how a call whose operand does not resolve
 * (a bad descriptor, a reply to no one, a path built at run time) stays conservative: it
 * conflicts with whatever it could have touched. Hashes may collide; a collision only adds
 * a conflict, never hides one. An address names an object only while it lives, so compare
 * footprints taken in the same state of one world, as exploration does.
 *
 * What is deliberately not an object: the clock and the CPU (exploration orders the calls
 * itself), the world's counters that only name things (message sequence numbers, pipe#N),
 * the random stream (deliver=random and the random scheduler draw from it; exploration
 * enumerates choices instead of drawing), the trace lines calls write about themselves,
 * and the scenario's limits, which no call changes. Calls of one task are always ordered
 * by its program; footprints matter between tasks only.
 *
 * A footprint lives on the stack and is filled without allocating: SIM_FOOTPRINT_MAX
 * references, and one that needs more (an exit that closes many descriptors) turns into
 * "conflicts with everything" rather than lose a reference.
 */
#ifndef MSGSIM_FOOTPRINT_H
#define MSGSIM_FOOTPRINT_H

#include "msgsim/base.h"

/* The kinds of objects a call may touch. */
typedef enum SimObjKind {
	SIM_OBJ_MBOX,	 /* a mailbox, port or inbox: index into the world's mailboxes */
	SIM_OBJ_SYSVQ,	 /* a System V queue: its msqid */
	SIM_OBJ_SYSV_NS, /* the SysV namespace: its key and id tables, the permissions msgget
			  * checks, the totals msgctl(MSG_INFO) reports (id 0) */
	SIM_OBJ_MQ,	 /* a POSIX queue, with the open descriptions on it: its address */
	SIM_OBJ_MQ_NS,	 /* the POSIX queue names, and the counts charged for them (id 0) */
	SIM_OBJ_PIPE,	 /* a pipe or a FIFO's pipe, with its descriptions: its address */
	SIM_OBJ_PATH,	 /* a path name (mkfifo, open, unlink): the hash of the path */
	SIM_OBJ_TASK,	 /* a task as others see it: alive or not, its signal actions, its
			  * children: task index */
	SIM_OBJ_FDT,	 /* a task's descriptor table: task index */
	SIM_OBJ_OUTPUT,	 /* what the run prints (print, ipcs) (id 0) */
	SIM_OBJ_SEM,	 /* an XSI semaphore set, with its waiters and undo columns: its semid */
	SIM_OBJ_SEM_NS,	 /* the semaphore sets' key and id tables, and their totals (id 0) */
	SIM_OBJ_SHM,	 /* a shared memory segment, its bytes and attachments: its shmid */
	SIM_OBJ_SHM_NS,	 /* the segments' key and id tables, and their totals (id 0) */
	SIM_OBJ_N_KINDS,
} SimObjKind;

/* id of a reference to every object of its kind. */
#define SIM_OBJ_ALL G_MAXUINT64

typedef struct SimObjRef {
	SimObjKind kind;
	guint64 id; /* which one (see SimObjKind), or SIM_OBJ_ALL */
} SimObjRef;

/* A part of an object: bytes [off, off + len) of a shared memory segment, which a load or
 * a store touches, or one semaphore of a set (its value, its last pid, or what the whole
 * set shares: call_sem.c); len 0 is the whole object. Two parts of one object are the same
 * object only where they overlap. */
typedef struct SimObjPart {
	guint32 off, len;
} SimObjPart;

/* References a footprint holds at most; a call needs two or three, an exit one per open
 * descriptor and owned mailbox. */
#define SIM_FOOTPRINT_MAX 24

typedef struct SimFootprint {
	guint n;			     /* references used */
	SimObjRef refs[SIM_FOOTPRINT_MAX];   /* the objects, in the order the call names them */
	SimObjPart parts[SIM_FOOTPRINT_MAX]; /* ... and which part of each (refs[i]'s) */
	guint32 written;		     /* bit i: refs[i] is changed, not only read */
	gboolean everything;		     /* it overflowed: conflicts with any footprint */
} SimFootprint;

/* Operations */
/* Empties fp (no references: conflicts with nothing). */
void sim_footprint_init(SimFootprint *fp);
/* Adds a reference, read or written. Adding an object twice keeps one reference, written
 * if either was. */
void sim_footprint_add(SimFootprint *fp, SimObjKind kind, guint64 id, gboolean write);
/* Adds a reference to bytes [off, off + len) of the object (len > 0): a load or a store. */
void sim_footprint_add_range(SimFootprint *fp, SimObjKind kind, guint64 id, guint32 off,
			     guint32 len, gboolean write);

/* Queries */
/* TRUE when some object is written by one footprint and read or written by the other (an
 * object and SIM_OBJ_ALL of its kind are the same object here). Symmetric. */
gboolean sim_footprint_conflicts(const SimFootprint *a, const SimFootprint *b);
/* TRUE when fp touches that object at all (write FALSE) or changes it (write TRUE); an
 * ALL reference in fp counts for every object of its kind. For tests and debugging. */
gboolean sim_footprint_touches(const SimFootprint *fp, SimObjKind kind, guint64 id, gboolean write);

#endif /* MSGSIM_FOOTPRINT_H */
