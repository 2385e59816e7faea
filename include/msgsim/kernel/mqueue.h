/* mqueue.h — POSIX message queues as Linux 6.x implements them (ipc/mqueue.c).
 *
 * A SimMqueue holds its messages by priority (highest first, FIFO within a priority), its
 * attributes, its notification registration and two wait lists ordered the kernel's way:
 * by the waiting task's scheduling priority (nice: lower first), then arrival
 * (../shared/semantics.md §2):
 *
 *   open      name rules -> lookup -> create (queues_max: ENOSPC, attr: EINVAL, the user's
 *             RLIMIT_MSGQUEUE: EMFILE) or, if it exists, EEXIST (create|excl), EINVAL
 *             (access mode 3), EACCES (permissions); attr is ignored for an existing queue.
 *   send      full: EAGAIN (non-blocking), ETIMEDOUT (deadline passed), or block; not full:
 *             a waiting receiver gets the message directly (never queued, no
 *             notification), else it is inserted by priority and, when the queue was
 *             empty, the notification fires (one-shot).
 *   receive   empty: EAGAIN / ETIMEDOUT / block; otherwise the oldest message of the
 *             highest priority, and if a sender waits, its message moves in at once and
 *             it is woken with success (no barging).
 *   unlink    the name goes at once; the queue lives until its last descriptor closes.
 *   notify    one registration per queue (EBUSY); removed when it fires, by `off`, and
 *             when the owner closes any descriptor of the queue.
 * The caller (the interpreter) does the checks that come before the queue is reached:
 * timeout validity, priority range, descriptor and access mode (EBADF), message size
 * (EMSGSIZE).
 *
 * Invariants (sim_mqueue_check): curmsgs and qsize are the count and bytes of the queued
 * messages; curmsgs <= maxmsg; receivers wait only on an empty queue and senders only on
 * a full one; the message list is in priority order.
 */
#ifndef MSGSIM_MQUEUE_H
#define MSGSIM_MQUEUE_H

#include "msgsim/base.h"
#include "msgsim/kernel/ipcns.h"
#include "msgsim/kernel/msg.h"
#include "msgsim/kernel/vocab.h"
#include "msgsim/engine/waitq.h"

#define SIM_MQ_PRIO_MAX 32768 /* valid priorities are 0 .. 32767 */
#define SIM_MQ_NAME_MAX 255   /* NAME_MAX for one component */
#define SIM_MQ_FILE_SIZE 80   /* FILENT_SIZE: i_size of a queue's file (its QSIZE line) */

typedef struct SimMqueue {
	char *name;		   /* "/name" as opened (owned) */
	SimIpcPerm perm;	   /* owner uid/gid and mode */
	gint64 maxmsg, msgsize;	   /* mq_attr */
	SimMsgList msgs;	   /* by priority, highest first */
	guint64 curmsgs;	   /* mq_curmsgs */
	guint64 qsize;		   /* bytes queued (QSIZE) */
	SimWaitQueue senders;	   /* by task priority, then arrival; each holds its message */
	SimWaitQueue receivers;	   /* likewise */
	gboolean unlinked;	   /* its name was removed */
	gboolean freed;		   /* unlinked and last descriptor closed: charges released */
	guint refs;		   /* open file descriptions referring to it */
	gint64 charge;		   /* RLIMIT_MSGQUEUE bytes charged to... */
	gint64 charge_uid;	   /* ...this user */
	int notify_task;	   /* registered process, or -1 */
	SimNotifyKind notify_kind; /* SIM_NOTIFY_SIGNAL or SIM_NOTIFY_NONE when registered */
	int notify_sig;		   /* signal for SIM_NOTIFY_SIGNAL; for SIM_NOTIFY_THREAD the
				    * task index of the thread to start */
	gint64 notify_value;	   /* sigev_value (SIGEV_THREAD: what the thread is given) */
	guint64 sent, received;	   /* messages accepted / taken, in total */
	gint64 file_size;	   /* its file's i_size: SIM_MQ_FILE_SIZE until an ftruncate */
} SimMqueue;

/* What an operation needs from the world, and what it reports back. */
typedef struct SimMqueueCtx {
	SimWakeList *wake; /* waiters to wake afterwards */
	int task;	   /* the caller */
	gboolean expired;  /* the call's deadline has passed (timed calls) */
	int notify_task;   /* out: a notification fired for this task (-1: none) */
	int notify_sig;	   /* out: with this signal (0 for SIGEV_NONE and SIGEV_THREAD) */
	int notify_thread; /* out: SIGEV_THREAD: the task to start (set when notify_task is) */
	gint64 notify_value; /* out: SIGEV_THREAD: its sigev_value */
	int handed_to;	   /* out: send: the receiver it went straight to, or -1 */
} SimMqueueCtx;

/* Lifecycle */
/* mq_open's name rules before the descriptor is allocated: EINVAL (glibc: no leading
 * slash), ENOENT ("/" alone), or 0. The lookup's EACCES/ENAMETOOLONG come in open. */
int sim_mqueue_check_name(const char *name);
/* The rest of mq_open (after the descriptor was allocated); maxmsg = msgsize = -1 means no
 * attr (the defaults), any other value is checked. On success *out is the queue,
 * its refs already counted for the new descriptor; a created queue is appended to `all`. */
int sim_mqueue_open(SimIpcNs *ns, GPtrArray *all, const char *name, guint oflags, guint mode,
		    gint64 maxmsg, gint64 msgsize, const SimCred *cred, gint64 rlimit_msgqueue,
		    SimMqueue **out);
/* One more open file description refers to q (its refs). */
void sim_mqueue_get(SimMqueue *q);
/* One open file description less: an unlinked queue's charges are freed with the last. */
void sim_mqueue_put(SimIpcNs *ns, SimMqueue *q);
/* A descriptor of q closed by task: drops a reference, ends task's registration, and frees
 * an unlinked queue's charges at the last close. */
void sim_mqueue_close(SimIpcNs *ns, SimMqueue *q, int task);
/* close() of a descriptor whose open file description stays open (shared by dup or fork):
 * only ends task's registration. */
void sim_mqueue_flush(SimMqueue *q, int task);
int sim_mqueue_unlink(SimIpcNs *ns, const char *name, const SimCred *cred);
void sim_mqueue_free(SimMqueue *q, SimMsgPool *pool); /* at the end of the run; NULL is fine */

/* Operations: 0, an errno, or SIM_BLOCKED (self queued, by task priority). */
int sim_mqueue_send(SimMqueue *q, SimMqueueCtx *ctx, SimWaiter *self, SimMsg *m, gboolean nonblock);
int sim_mqueue_receive(SimMqueue *q, SimMqueueCtx *ctx, SimWaiter *self, gboolean nonblock,
		       SimMsg **out);
/* The queue's file as read(2) gives it: "QSIZE:%-10lu NOTIFY:%-5d SIGNO:%-5d
 * NOTIFY_PID:%-6d\n" (the bytes queued; sigev_notify, the signal and the pid of the
 * registration, all 0 without one). notify_pid is the registered task's pid. Writes it
 * to buf (size at least SIM_MQ_FILE_SIZE) and returns its length. */
gsize sim_mqueue_file_line(const SimMqueue *q, int notify_pid, char *buf, gsize size);
/* mq_notify: SIM_NOTIFY_OFF unregisters (a no-op for a non-owner); else EBUSY if taken. */
int sim_mqueue_notify(SimMqueue *q, int task, SimNotifyKind kind, int sig);
/* The same for SIGEV_THREAD: thread is the task to start, value its sigev_value. */
int sim_mqueue_notify_thread(SimMqueue *q, int task, int thread, gint64 value);

/* Debug */
gboolean sim_mqueue_check(const SimMqueue *q);

#endif /* MSGSIM_MQUEUE_H */
