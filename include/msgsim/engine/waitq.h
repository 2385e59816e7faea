/* waitq.h — wait queues: who is blocked on an object, in the order they will be served.
 *
 * Modelled on the kernel's wait lists (ipc/msg.c q_senders/q_receivers, ipc/mqueue.c
 * e_wait_q): a SimWaiter is a small record embedded in the blocked task; the queue links
 * waiters intrusively, so blocking never allocates. A waiter holds what it waits for
 * (a sender filter, the message it wants to send) and a slot the waker fills (`msg`,
 * `result`, `done`) before it puts the task on a wake list.
 *
 * Order: FIFO (arrival), or by priority: highest `prio` first, arrival among equals,
 * which is how the kernel orders POSIX queue waiters. Adding is O(1) for FIFO and
 * O(n) for priority (a walk from the tail: fine for tens of waiters).
 *
 * Invariants (sim_waitq_check): links are consistent; `len` counts the waiters; in
 * priority order, prio never increases along the queue; every waiter has queue == q.
 */
#ifndef MSGSIM_WAITQ_H
#define MSGSIM_WAITQ_H

#include "msgsim/base.h"
#include "msgsim/kernel/msg.h"
#include "msgsim/kernel/vocab.h"

/* Result of an object's operation besides 0 and errno values: the caller must block. */
#define SIM_BLOCKED (-1)

typedef struct SimWaiter SimWaiter;
typedef struct SimWaitQueue SimWaitQueue;

struct SimWaiter {
	SimWaiter *next, *prev; /* links in the queue */
	SimWaitQueue *queue;	/* the queue it is on, or NULL */
	int task;		/* the blocked task (index in the world) */
	gint64 prio;		/* the task's priority when it blocked */
	int from;		/* receiver: wanted sender (task index) or -1 for any */
	gint64 type;		/* SysV receiver: msgtyp */
	guint flags;		/* SysV receiver: SIM_MSG_EXCEPT / SIM_MSG_NOERROR */
	gint64 maxsize;		/* SysV receiver: buffer size (msgsz) */
	SimMsg *msg;		/* sender: the message to deliver; receiver: filled by the sender */
	int result;		/* filled by the waker: 0 or an errno */
	gboolean done;		/* the waker has filled the slot */
	SimWaiter *wake_next;	/* link in a SimWakeList once removed from the queue */
	void *op;		/* semop: the object's record of what it asks (sem.h SimSemQueue) */
};

/* Tasks to wake after the current operation, in the order the object chose them:
 * state first, wake-ups second (like the kernel's wake_q). */
typedef struct SimWakeList {
	SimWaiter *first, *last;
} SimWakeList;

struct SimWaitQueue {
	SimWaiter *head, *tail;
	guint len;
	SimOrder order;
};

/* Lifecycle */
void sim_waitq_init(SimWaitQueue *q, SimOrder order);

/* Operations */
void sim_waitq_add(SimWaitQueue *q, SimWaiter *w); /* FIFO tail, or after equal/higher prio */
void sim_waitq_del(SimWaiter *w);		   /* removes w from its queue */
/* The caller blocks: its slot is emptied for the waker (not done, no result) and it goes
 * on q (sim_waitq_add). What it hands over or waits for (msg, from, type) it sets itself. */
void sim_waitq_sleep(SimWaitQueue *q, SimWaiter *w);
/* Fills w's slot (result, done), takes it off its queue and appends it to the wake list. */
void sim_waitq_wake(SimWakeList *wl, SimWaiter *w, int result);
/* Posts a result to w and wakes it once: a waiter already woken (done, not yet run) only
 * gets the new result. With keep_queued, w stays on its queue until its task runs, as a
 * woken SysV sender or an IPC_SET-woken receiver does in the kernel. */
void sim_waitq_post(SimWakeList *wl, SimWaiter *w, int result, gboolean keep_queued);

/* Queries */
static inline SimWaiter *sim_waitq_first(const SimWaitQueue *q)
{
	return q->head;
}

/* Debug */
gboolean sim_waitq_check(const SimWaitQueue *q);

#endif /* MSGSIM_WAITQ_H */
