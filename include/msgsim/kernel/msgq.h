/* msgq.h — System V message queues as Linux 6.x implements them (ipc/msg.c).
 *
 * A SimMsgq holds its messages in arrival order, its limits and statistics (the fields of
 * struct msqid_ds) and two FIFO wait lists, and follows the kernel's algorithms step by
 * step (../shared/semantics.md §1.4-1.7):
 *
 *   msgsnd   permission -> removed? -> fit test (cbytes + msgsz <= qbytes AND qnum + 1 <=
 *            qbytes) -> EAGAIN or block at the tail of the senders -> lspid/stime ->
 *            pipelined send: the first blocked receiver whose filter matches gets the
 *            message directly (matching receivers ahead of it whose buffer is too small
 *            are failed with E2BIG) -> else append to the queue.
 *   msgrcv   permission -> removed? -> find (type 0: first; > 0: first of that type, or not
 *            of it with MSG_EXCEPT; < 0: the lowest type <= |t|, oldest first) -> too big
 *            without MSG_NOERROR: E2BIG, the message stays -> else remove it, lrpid/rtime,
 *            sender wake-up scan -> nothing: ENOMSG or block at the tail of the receivers.
 *   scan     (after a removal from the queue, IPC_SET): every blocked sender whose message
 *            now fits is woken but stays on the list; one that does not fit moves to the
 *            tail; the walk stops when the first moved one comes round. The woken senders
 *            race: whoever the scheduler runs first re-tests and sends, the others re-block
 *            at the tail. That is a scheduling choice, and the trace says so.
 *   IPC_SET  wakes every blocked receiver with "nothing yet" (it stays on the list until it
 *            runs, then re-queues at the tail), then runs the scan.
 *   IPC_RMID every waiter fails with EIDRM; the id is freed and then gives EINVAL.
 *
 * Waiters live in the tasks (SimWaiter). A waiter that was woken but has not yet run stays
 * on its list with `done` set and result SIM_MSGQ_RETRY; a later hand-off may still give it
 * a message, exactly as in the kernel. The calls return 0, an errno, SIM_BLOCKED, or (when
 * resuming) restart internally.
 *
 * Invariants (sim_msgq_check):
 *   1. qnum and cbytes are the count and total size of the queued messages.
 *   2. No receiver that is not already woken waits while a message it matches is queued.
 *   (cbytes and qnum stay within qbytes except after IPC_SET lowers qbytes, which the kernel
 *   allows, so that limit is not an invariant and is not checked.)
 *   3. A removed queue has no messages and no waiters.
 */
#ifndef MSGSIM_MSGQ_H
#define MSGSIM_MSGQ_H

#include "msgsim/base.h"
#include "msgsim/kernel/ipcns.h"
#include "msgsim/kernel/msg.h"
#include "msgsim/engine/waitq.h"

#define SIM_MSGQ_RETRY (-2) /* waiter result: woken with nothing for it yet (re-check) */

typedef struct SimMsgq {
	SimIpcPerm perm;	/* key, id, owner, creator, mode, seq */
	const char *name;	/* the scenario's name for it, or NULL */
	guint64 qbytes;		/* msg_qbytes: the limit */
	guint64 cbytes;		/* msg_cbytes: bytes queued */
	guint64 qnum;		/* msg_qnum: messages queued */
	int lspid, lrpid;	/* last sender / receiver: task index, -1 for none */
	SimTime stime, rtime;	/* last msgsnd / msgrcv */
	SimTime ctime;		/* creation or last IPC_SET */
	SimMsgList msgs;	/* FIFO */
	SimWaitQueue senders;	/* FIFO; each waiter holds its message */
	SimWaitQueue receivers; /* FIFO; each waiter holds its filter and buffer size */
	gboolean removed;	/* IPC_RMID done: the object only lives on for statistics */
	guint64 sent, received; /* messages accepted / taken, in total */
} SimMsgq;

/* A receiver's filter (stored in its SimWaiter). */
typedef struct SimMsgqFilter {
	gint64 msgtyp;	/* as passed to msgrcv */
	guint flags;	/* SIM_MSG_EXCEPT, SIM_MSG_NOERROR */
	gint64 maxsize; /* msgsz */
} SimMsgqFilter;

/* What an operation needs from the world. */
typedef struct SimMsgqCtx {
	SimWakeList *wake; /* waiters to wake afterwards */
	SimMsgPool *pool;
	SimTime now;
	int task;		 /* the caller */
	const SimCred *cred;	 /* the caller's credentials */
	const SimIpcNs *ns;	 /* limits */
	gboolean signal_pending; /* the caller has a handled signal pending (resuming only) */
	guint n_woken_senders;	 /* out: senders the scan woke (a race when > 1) */
} SimMsgqCtx;

/* Lifecycle */
SimMsgq *sim_msgq_new(const SimIpcPerm *perm, guint64 qbytes, SimTime now);
/* msgget(key, flags | mode): finds or creates a queue in ns. Returns 0 with *id_out set,
 * or ENOENT, EEXIST, EACCES, ENOSPC, in the kernel's order. A created queue is appended to
 * `all` (the run owns every queue, removed ones too). */
int sim_msgq_get(SimIpcNs *ns, GPtrArray *all, gint64 key, guint flags, guint mode,
		 const SimCred *cred, SimTime now, int *id_out);
void sim_msgq_free(SimMsgq *q, SimMsgPool *pool); /* NULL is fine; returns its messages */

/* Operations: `self` is the caller's waiter; `resuming` is TRUE when the caller was blocked
 * on this queue and has been woken (the call then picks up where the kernel's would). */
int sim_msgq_send(SimMsgq *q, SimMsgqCtx *ctx, SimWaiter *self, SimMsg *m, guint flags,
		  gboolean resuming, int *handed_to);
int sim_msgq_receive(SimMsgq *q, SimMsgqCtx *ctx, SimWaiter *self, const SimMsgqFilter *f,
		     gboolean resuming, SimMsg **out);
/* IPC_SET after the permission checks: the caller has checked EPERM. */
void sim_msgq_set(SimMsgq *q, SimMsgqCtx *ctx, guint64 qbytes, gint64 uid, gint64 gid, gint64 mode);
/* IPC_RMID: fail every waiter with EIDRM, free the messages. */
guint sim_msgq_remove(SimMsgq *q, SimMsgqCtx *ctx);
/* A signal for a blocked caller: wake it (it stays listed) so that it runs, sees the signal
 * pending and returns EINTR — unless a message or an error was posted first. */
void sim_msgq_interrupt(SimWakeList *wake, SimWaiter *w);

/* Queries */
gboolean sim_msgq_fits(const SimMsgq *q, gsize msgsz);
/* The live queue with this id, or NULL (EINVAL): a free slot or a stale seq. */
SimMsgq *sim_msgq_lookup(const SimIpcNs *ns, int id);

/* Debug */
gboolean sim_msgq_check(const SimMsgq *q);
/* The blocked receivers whose msgtyp takes m, in wait order: their task ids, up to max of
 * them in tasks; returns how many there are. What pipelined_send will choose among
 * (msgsim run --explain), asked before the send. */
guint sim_msgq_candidates(const SimMsgq *q, const SimMsg *m, int *tasks, guint max);

#endif /* MSGSIM_MSGQ_H */
