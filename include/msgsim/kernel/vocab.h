/* vocab.h — the kernel's vocabulary: the flags, credentials and policies every object speaks.
 *
 * A scenario writes `msgget ... create excl`, `uid=1000 caps=ipc_owner` or `mailbox A
 * order=priority deliver=round-robin`; the objects act on IPC_CREAT, CAP_IPC_OWNER and a
 * list kept by priority. The words in between belong to neither side: they are how the
 * model names what a kernel object is given or keeps. They live here, apart from the
 * parser, so that a kernel-object header can use them without knowing that scenarios
 * exist. The arrow points one way: the parser (scn.h) includes this header, never the
 * reverse.
 *
 * What belongs here: call flags (SysV, POSIX, open), capabilities and credentials, the
 * orderings and delivery rules of queues and mailboxes, signal dispositions, mq_notify's
 * kinds. What does not: how a scenario spells them (scn.h); one object's own constants
 * (SIM_MQ_PRIO_MAX in mqueue.h, SIM_PIPE_BUF in pipe.h); the task states (task.h) and the
 * scheduling policies (sched.h), which belong to their modules.
 *
 * Plain data only: no functions, nothing to free. Flag bits are the model's own numbering,
 * not the C API's values: xcheck.c translates them when it makes the real calls. Capability
 * bits travel to the real workers as they are (real.h SIM_REAL_CAP_* has the same bits).
 */
#ifndef MSGSIM_VOCAB_H
#define MSGSIM_VOCAB_H

#include "msgsim/base.h"

/* ---- Call flags ---- */

/* Flags of the SysV, POSIX queue and open calls, named after the C API. One set of bits for
 * all of them, so that a statement's `flags` needs no tag. */
enum {
	SIM_IPC_CREAT = 1u << 0,
	SIM_IPC_EXCL = 1u << 1,
	SIM_IPC_NOWAIT = 1u << 2,
	SIM_MSG_EXCEPT = 1u << 3,
	SIM_MSG_NOERROR = 1u << 4,
	SIM_O_CREAT = 1u << 5,	  /* mq_open O_CREAT */
	SIM_O_EXCL = 1u << 6,	  /* O_EXCL */
	SIM_O_NONBLOCK = 1u << 7, /* O_NONBLOCK (mq_open) / set it (mq_setattr) */
	SIM_O_RDONLY = 1u << 8,	  /* access modes: exactly one of these three is set */
	SIM_O_WRONLY = 1u << 9,
	SIM_O_RDWR = 1u << 10,
	SIM_O_ACCMODE3 = 1u << 11, /* the invalid access mode O_RDWR|O_WRONLY (tests EINVAL) */
	SIM_O_CLOEXEC = 1u << 12,  /* pipe2 O_CLOEXEC: FD_CLOEXEC on the new descriptors */
	SIM_O_DIRECT = 1u << 13,   /* pipe2 O_DIRECT: the write end writes packets */
	SIM_SEM_UNDO = 1u << 14,   /* semop SEM_UNDO: the exit takes the operation back */
	SIM_O_TRUNC = 1u << 15,	   /* open O_TRUNC: ignored on a FIFO (may_open) */
};

/* ---- Credentials ---- */

/* Capabilities a process may hold (caps=...). */
enum {
	SIM_CAP_IPC_OWNER = 1u << 0,	/* bypass IPC permission checks */
	SIM_CAP_SYS_ADMIN = 1u << 1,	/* IPC_SET/IPC_RMID on queues it does not own */
	SIM_CAP_SYS_RESOURCE = 1u << 2, /* raise msg_qbytes above msgmnb */
};

/* Who makes a call. */
typedef struct SimCred {
	gint64 uid, gid; /* effective ids */
	guint caps;	 /* SIM_CAP_*, the effective set */
	/* Until a uid call sets them (split), the real and saved uids are uid and the permitted
	 * capabilities are caps, so every brace-initialised cred stays right. */
	gboolean split;
	gint64 ruid, suid; /* real and saved uids, when split */
	guint pcaps;	   /* permitted capabilities, when split */
} SimCred;

/* ---- Queues and mailboxes ---- */

#define SIM_CAPACITY_UNBOUNDED ((gint64)-1) /* a mailbox whose senders never wait */

typedef enum SimOrder {
	SIM_ORDER_FIFO,	    /* arrival order */
	SIM_ORDER_PRIORITY, /* messages: highest prio first; waiters: highest task priority first;
			     * FIFO among equals in both cases */
} SimOrder;

/* The answers to "P1 sends to A, P2 and P3 both receive from A: who gets it?" */
typedef enum SimDeliver {
	SIM_DELIVER_FIRST_WAITER, /* system choice: the receiver that has waited longest */
	SIM_DELIVER_ROUND_ROBIN, /* system choice: rotate among waiting receivers (process order) */
	SIM_DELIVER_RANDOM,	 /* system choice: a seeded random waiting receiver */
	SIM_DELIVER_PAIR,	 /* a link joins exactly two processes; a third user gets EPERM */
	SIM_DELIVER_EXCLUSIVE, /* one receiver at a time; a second concurrent receiver gets EBUSY */
	SIM_DELIVER_ADDRESSED, /* the sender names the receiver with to=PROC */
} SimDeliver;

/* mq_notify's sigevent. */
typedef enum SimNotifyKind {
	SIM_NOTIFY_SIGNAL, /* signal=SIGNAME: SIGEV_SIGNAL */
	SIM_NOTIFY_NONE,   /* none: SIGEV_NONE (registers, sends nothing) */
	SIM_NOTIFY_OFF,	   /* off: mq_notify(fd, NULL), unregister */
	SIM_NOTIFY_BAD,	   /* sigev_notify=N of no kind the kernel knows: EINVAL */
	SIM_NOTIFY_THREAD, /* thread NAME { BODY }: SIGEV_THREAD, a new task runs BODY */
} SimNotifyKind;

/* The highest signal number (_NSIG): do_mq_notify's valid_signal() takes 0..64. */
#define SIM_SIG_LAST 64

/* ---- Signals ---- */

/* What a process does with a signal (sigaction); kept per signal in the task. */
typedef enum SimSigAction {
	SIM_SIG_DEFAULT, /* SIG_DFL */
	SIM_SIG_IGNORE,	 /* SIG_IGN */
	SIM_SIG_HANDLER, /* a handler installed with SA_RESTART */
} SimSigAction;

#endif /* MSGSIM_VOCAB_H */
