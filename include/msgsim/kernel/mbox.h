/* mbox.h — textbook message passing: mailboxes, ports and direct links.
 *
 * One object type models everything the lecture draws that the kernel has no single
 * object for. A SimMbox holds its messages, its limits, its statistics and two wait
 * lists (senders, receivers), like a kernel message queue:
 *   capacity 0          rendezvous: a sender waits until a receiver takes its message
 *   capacity N          a sender waits while N messages are queued
 *   unbounded           a sender never waits
 *   port                a mailbox only its owner may receive from (checked by the parser)
 *   inbox               each process's buffer for direct communication: `send P2` puts the
 *                       message in P2's inbox; `receive P1` takes only messages from P1,
 *                       `receive any` takes any and the sender's name comes with it
 *   owner               a mailbox owned by a process is destroyed when it exits: every
 *                       waiter fails with EIDRM (ESRCH for an inbox), later calls too
 *   deliver             who gets a message when several receivers wait (vocab.h SimDeliver)
 *
 * deliver=random draws from the world's one random stream (ctx->rng), the one the random
 * scheduler draws its picks from: one number per matching waiter at each hand-off (even a
 * lone waiter), so a random mailbox shifts the picks of a random scheduler after it and the
 * other way round. A run is still repeatable for its seed; splitting the stream would
 * change the trace of every scenario that has both.
 *
 * Rules, in the order the code applies them:
 *   send:    destroyed? -> pair check -> a waiting receiver that matches gets the
 *            message directly (hand-off) -> else queue it if it fits -> else EAGAIN when
 *            nowait -> else block at the tail of the senders (with the message).
 *   receive: destroyed? -> pair and exclusive checks -> the first queued message that matches
 *            (then the first blocked sender's message moves into the freed slot) -> else
 *            the first blocked sender whose message matches (rendezvous) -> else ENOMSG
 *            when nowait -> else block on the receivers.
 * A receiver matches a message when its sender filter allows the sender and the message
 * is not addressed to another process.
 *
 * Invariants (sim_mbox_check):
 *   1. qnum never exceeds a bounded capacity; a capacity-0 mailbox never queues.
 *   2. No receiver waits while a message it matches is queued.
 *   3. Senders wait only while the mailbox is full (or capacity 0).
 *   4. A destroyed mailbox has no messages and no waiters.
 *   5. cbytes is the sum of the queued messages' lengths.
 *
 * Wake-ups: the object never touches a task. It fills the waiter's slot and appends it to
 * the caller's SimWakeList; the engine makes the tasks ready after the operation.
 */
#ifndef MSGSIM_MBOX_H
#define MSGSIM_MBOX_H

#include "msgsim/base.h"
#include "msgsim/kernel/msg.h"
#include "msgsim/kernel/vocab.h"
#include "msgsim/engine/waitq.h"

typedef struct SimScnMbox SimScnMbox; /* scn.h: the declaration a mailbox is made from */

typedef struct SimMbox {
	const char *name; /* "A", or the owner's name for an inbox */
	int index;	  /* in the world's mailbox array */
	gboolean is_port;
	gboolean is_inbox;
	gint64 capacity; /* 0, N or SIM_CAPACITY_UNBOUNDED */
	int owner;	 /* task index, or -1 (system) */
	SimDeliver deliver;
	SimMsgList msgs;	/* queued messages, in delivery order */
	guint64 cbytes;		/* bytes queued now: beside the queue, not among the totals, so
				 * that no 16-byte update of two counters reads a field just
				 * stored alone (a store-forwarding stall on every receive) */
	SimWaitQueue senders;	/* blocked senders, each holding its message */
	SimWaitQueue receivers; /* blocked receivers */
	gboolean destroyed;
	int gone_err; /* what calls get once destroyed: EIDRM, or ESRCH for an inbox */
	int pair[2];  /* deliver=pair: the two bound processes (-1 while unbound) */
	int rr_last;  /* deliver=round-robin: the receiver served last, or -1 */

	/* Statistics */
	guint64 sent;	  /* messages accepted (queued or handed over) */
	guint64 received; /* messages taken out by receivers */
	guint64 max_qnum; /* largest queue length seen */
	guint64 bytes;	  /* bytes delivered in total */
} SimMbox;

/* What the object needs from the world for one operation. */
typedef struct SimMboxCtx {
	SimWakeList *wake; /* waiters to wake afterwards */
	SimRng *rng;	   /* deliver=random: the world's stream, shared with the scheduler */
	guint n_tasks;	   /* deliver=round-robin */
	SimMsgPool *pool;  /* for destroy */
	/* deliver=random under exploration: picks one of n matching waiters (0..n-1, in wait
	 * order) instead of a draw, so that every pick is tried; NULL: draw from rng. */
	guint (*choose)(void *data, guint n);
	void *choose_data;
} SimMboxCtx;

/* Lifecycle (embedded: the world owns the array) */
void sim_mbox_init(SimMbox *mb, int index, const SimScnMbox *decl, int owner);
void sim_mbox_init_inbox(SimMbox *mb, int index, const char *owner_name, int owner,
			 gint64 capacity);
void sim_mbox_clear(SimMbox *mb, SimMsgPool *pool); /* returns queued messages to the pool */

/* Operations: return 0, an errno, or SIM_BLOCKED (then `self` is queued on the object).
 * `self` is the caller's waiter, with task and prio filled in. */
int sim_mbox_send(SimMbox *mb, SimMboxCtx *ctx, SimWaiter *self, SimMsg *m, gboolean nowait,
		  int *handed_to);
int sim_mbox_receive(SimMbox *mb, SimMboxCtx *ctx, SimWaiter *self, int from, gboolean nowait,
		     SimMsg **out);
/* Owner exit: fail every waiter with gone_err, drop queued messages. Returns waiters failed. */
guint sim_mbox_destroy(SimMbox *mb, SimMboxCtx *ctx);

/* Queries */
static inline guint64 sim_mbox_qnum(const SimMbox *mb)
{
	return mb->msgs.len;
}

/* Debug */
gboolean sim_mbox_check(const SimMbox *mb);
/* The waiting receivers that could take m, in wait order: their task ids, up to max of them
 * in tasks; returns how many there are. What a sent message's delivery chose among
 * (msgsim run --explain), asked before the send. */
guint sim_mbox_candidates(const SimMbox *mb, const SimMsg *m, int *tasks, guint max);

#endif /* MSGSIM_MBOX_H */
