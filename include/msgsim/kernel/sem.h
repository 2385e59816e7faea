/* sem.h — XSI semaphore sets as Linux 6.x implements them (ipc/sem.c).
 *
 * A SimSemArray holds its semaphores (value, last pid, two wait lists each), two global
 * wait lists, the undo records of every process that used SEM_UNDO on it, and the fields
 * of struct semid_ds. The operations follow the kernel step by step:
 *
 *   semget   nsems within [0, semmsl] -> key: IPC_PRIVATE creates; a key found: EEXIST
 *            with IPC_CREAT|IPC_EXCL, EINVAL when nsems exceeds the set's, EACCES; not
 *            found: ENOENT without IPC_CREAT -> create: nsems 0 EINVAL, semmns ENOSPC,
 *            semmni ENOSPC. Values start at 0.
 *   semop    (the caller checks nsops, semopm, the timeout, the undo record, the id, EFBIG
 *            and the permission) -> perform: the operations in order, each against the
 *            values the ones before it left; a wait-for-zero on a non-zero value or a
 *            value that would go negative stops the whole call (IPC_NOWAIT on THAT
 *            operation: EAGAIN, else block), a value above SEMVMX or an undo beyond
 *            SEMAEM is ERANGE, and a stopped call leaves no trace (rolled back) ->
 *            success: sempid of every semaphore touched, otime, then the wake-ups.
 *   block    one operation: on its semaphore's pending_alter (pending_const for a wait
 *            for zero), or on the global pending_alter when complex operations wait;
 *            several: first every semaphore's pending_alter moves to the global one
 *            (merge_queues: semaphore n-1's first ... semaphore 0's last), then the
 *            global pending_alter or pending_const; it counts as complex. When no complex
 *            operation waits any more, the global pending_alter goes back to the
 *            semaphores' lists at the end of the operation (unmerge_queues).
 *   wake     do_smart_update: wait-for-zero first (wake_const_ops on every semaphore
 *            touched that is 0, then the global pending_const), then update_queue: the
 *            global pending_alter when it is not empty, else the list of each semaphore
 *            increased (every semaphore when the changed ones are not known: SETVAL,
 *            SETALL, an exit's undo). A waiter whose operations now succeed is completed
 *            by the waker (values changed, sempid its own) and leaves with 0; one that now
 *            fails (ERANGE, or EAGAIN on a later IPC_NOWAIT operation) leaves with that.
 *            update_queue starts over after a completion when a complex operation was
 *            completed or complex operations wait; a semaphore's own list stops at value 0.
 *   undo     a process's records (one per set it used SEM_UNDO on, newest first) hold
 *            -(sum of its SEM_UNDO operations) per semaphore; SETVAL and SETALL clear the
 *            column or the record in every process; at exit each live record is added to
 *            the values, clamped to [0, SEMVMX], and the set's waiters are looked at.
 *   IPC_RMID every waiter fails with EIDRM, the undo records go, the id gives EINVAL.
 *
 * A waiter is the task's SimWaiter; what it asks (its operations, its undo record, the
 * operation it blocked on) is a SimSemQueue the module allocates when it blocks and the
 * caller frees (sim_sem_queue_free) when its task comes back. Timeouts and signals wake the
 * waiter through the engine (ETIMEDOUT, EINTR): the caller then unlinks nothing, the engine
 * has taken it off its list already.
 *
 * Invariants (sim_sem_check):
 *   1. Every value is within [0, SEMVMX].
 *   2. Every waiter's record is its own, and one on a semaphore's list is a simple
 *      operation on that semaphore.
 *   3. With no complex operation waiting, the global pending_alter is empty.
 *   4. A removed set has no waiters and no undo records.
 */
#ifndef MSGSIM_SEM_H
#define MSGSIM_SEM_H

#include "msgsim/base.h"
#include "msgsim/engine/waitq.h"
#include "msgsim/kernel/ipcids.h"

#define SIM_SEMVMX 32767      /* the largest semaphore value */
#define SIM_SEMAEM SIM_SEMVMX /* the largest undo adjustment */

/* One operation of a semop (struct sembuf). */
typedef struct SimSembuf {
	gint64 num;  /* sem_num (an unsigned short) */
	gint64 op;   /* sem_op (a short); SETALL: the value */
	guint flags; /* SIM_IPC_NOWAIT, SIM_SEM_UNDO */
} SimSembuf;

typedef struct SimSem {
	gint64 semval;
	int sempid;		    /* the task of the last operation, -1 for none (0) */
	SimWaitQueue pending_alter; /* simple operations that change it, FIFO */
	SimWaitQueue pending_const; /* simple waits for zero on it, FIFO */
} SimSem;

typedef struct SimSemUndo SimSemUndo;

typedef struct SimSemArray {
	SimIpcPerm perm; /* first: the id table reads the key through it */
	guint nsems;
	SimSem *sems;
	SimWaitQueue pending_alter; /* complex operations, and simple ones while those wait */
	SimWaitQueue pending_const; /* complex waits for zero */
	SimTime otime;		    /* last semop, 0 for none */
	SimTime ctime;		    /* creation, SETVAL, SETALL, IPC_SET */
	gboolean has_otime;	    /* a semop has completed */
	GPtrArray *undos;	    /* SimSemUndo of every process, borrowed */
	gboolean removed;
} SimSemArray;

/* A process's undo record for one set (struct sem_undo). */
struct SimSemUndo {
	int semid;	    /* the set's id; -1 once it is removed */
	SimSemArray *sma;   /* the set, NULL once it is removed */
	gint64 *semadj;	    /* by semaphore: what the exit adds */
	SimSemUndo *next;   /* the process's next record */
	SimSemUndo **pprev; /* what points at this one in the process's list */
};

/* A blocked semop (struct sem_queue). */
typedef struct SimSemQueue {
	SimSembuf *sops; /* owned copy */
	guint nsops;
	gboolean alter; /* some operation changes a value */
	SimSemUndo *undo;
	int task;
	guint blocking; /* the operation it waits on (GETNCNT, GETZCNT) */
	SimWaiter *w;	/* the task's waiter */
} SimSemQueue;

/* The namespace's semaphore sets. */
typedef struct SimSemNs {
	SimIpcIds ids;
	GPtrArray *all;	  /* SimSemArray: every set of the run, removed ones too (owned) */
	gint64 used_sems; /* semaphores in live sets (SEM_INFO's semaem) */
} SimSemNs;

/* What an operation needs from the world. */
typedef struct SimSemCtx {
	SimWakeList *wake;
	SimTime now;
	int task; /* the caller */
	const SimCred *cred;
	const SimLimits *limits;
} SimSemCtx;

/* Lifecycle */
void sim_semns_init(SimSemNs *ns);
void sim_semns_clear(SimSemNs *ns); /* frees every set; undo records are the tasks' */
/* semget(key, nsems, flags | mode): 0 with *id_out, or EINVAL, EEXIST, EACCES, ENOENT,
 * ENOSPC in the kernel's order. */
int sim_sem_get(SimSemNs *ns, SimSemCtx *ctx, gint64 key, gint64 nsems, guint flags, guint mode,
		int *id_out);
void sim_sem_queue_free(SimSemQueue *q); /* NULL is fine */
/* Frees the records of a process's list without applying them (the run is over). */
void sim_sem_undo_free_all(SimSemUndo **head);

/* Operations */
/* The undo record of the list *head for the set id (made when there is none), or NULL when
 * the id names no set (EINVAL). */
SimSemUndo *sim_sem_undo_for(SimSemNs *ns, SimSemUndo **head, int id);
/* The semop itself, once the caller's checks passed: 0 done, an errno (EAGAIN, ERANGE),
 * or SIM_BLOCKED with *queued set and the caller's waiter w on a list. */
int sim_sem_op(SimSemArray *sma, SimSemCtx *ctx, const SimSembuf *sops, guint nsops,
	       SimSemUndo *undo, SimWaiter *w, SimSemQueue **queued);
/* The end of any operation on sma (the kernel's sem_unlock): the global pending_alter goes
 * back to the semaphores when no complex operation waits. */
void sim_sem_unlock(SimSemArray *sma);
/* SETVAL (the caller checked ERANGE, the number and the permission). */
void sim_sem_setval(SimSemArray *sma, SimSemCtx *ctx, guint num, gint64 val);
/* SETALL: vals[nsems], each within [0, SEMVMX]. */
void sim_sem_setall(SimSemArray *sma, SimSemCtx *ctx, const gint64 *vals);
/* GETNCNT (zero FALSE) or GETZCNT (zero TRUE) of semaphore num. */
gint64 sim_sem_count(const SimSemArray *sma, guint num, gboolean zero);
/* IPC_RMID: every waiter fails with EIDRM, every undo record goes; frees the id. Returns the
 * waiters failed. */
guint sim_sem_remove(SimSemNs *ns, SimSemArray *sma, SimSemCtx *ctx);
/* What a blocked semop q waits for, for the deadlock report: "semaphore 1, op -1, value
 * 0", the whole operation when it has several, and the set's values (the first 16). */
void sim_sem_describe_wait(const SimSemArray *sma, const SimSemQueue *q, GString *out);
/* exit_sem: applies and frees the records of the list *head, newest first. */
void sim_sem_exit(SimSemUndo **head, SimSemCtx *ctx);
/* A signal or the timeout for a blocked semop (EINTR, ETIMEDOUT): the task is woken but its
 * operation stays on its list until the task runs, as in the kernel, where it unlinks
 * itself under the lock; a waker may still complete it first (then it returns 0). */
void sim_sem_interrupt(SimWakeList *wake, SimWaiter *w, int why);
/* A task blocked in semop that dies (its waiter already off its list, or not): the set's
 * lists are put back in order. */
void sim_sem_abandon(SimSemQueue *q, SimSemArray *sma);

/* Queries */
SimSemArray *sim_sem_lookup(const SimSemNs *ns, int id); /* NULL: EINVAL */
/* What sim_sem_op would do now, changing nothing: 0 done, SIM_BLOCKED, or the errno
 * (EAGAIN, ERANGE); undo is the caller's record for the set, NULL when it has none yet. */
int sim_sem_try(const SimSemArray *sma, const SimSembuf *sops, guint nsops,
		const SimSemUndo *undo);
/* Whether complex operations wait: then the global lists hold waiters, and any semop that
 * changes a value walks them (update_queue(-1)), whichever numbers it names. */
gboolean sim_sem_complex_waiting(const SimSemArray *sma);

/* Debug */
gboolean sim_sem_check(const SimSemArray *sma);

#endif /* MSGSIM_SEM_H */
