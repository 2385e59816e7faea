/* limits.h — the IPC namespace's limits: one struct of values, one table that describes them.
 *
 * Linux keeps eight settings per IPC namespace that msgsim models: three for System V queues
 * (/proc/sys/kernel/msg{max,mnb,mni}) and five for POSIX queues (/proc/sys/fs/mqueue/),
 * and the four of XSI semaphores, which share one file (/proc/sys/kernel/sem, columns). A
 * SimLimits holds one value of each; sim_limits_table[] has one row per limit with everything
 * the modules ask about it: its name in a scenario's `sysctl`, its sysctl(8) name and /proc
 * file, the range the kernel accepts, a fresh namespace's value and where it lives in the
 * struct. The parser reads `sysctl msgmnb=...` through the rows, the IPC namespace holds a
 * SimLimits, the sandbox writes and reads the /proc files row by row, and the cross-check
 * compares row by row: none of them keeps a list of its own.
 *
 * Row order is SimLimitId order, and it is the order the sandbox writes them in: each maximum
 * before the default it bounds, so that a default is never written above its maximum.
 *
 * `set` says which limits a value gives: in a scenario, those its `sysctl` wrote (the others
 * hold the defaults); for the sandbox, those to write (the others are left alone).
 */
#ifndef MSGSIM_LIMITS_H
#define MSGSIM_LIMITS_H

#include "msgsim/base.h"

/* The kernel's own bounds (ipc/msg.c, ipc/mq_sysctl.c). */
#define SIM_LIMIT_MSGMNI_MAX 32768			/* IPCMNI: no larger kernel.msgmni */
#define SIM_LIMIT_MQ_HARD_MSGMAX 65536			/* the most fs.mqueue.msg_max may be */
#define SIM_LIMIT_MQ_MIN_MSGSIZEMAX 128			/* the least fs.mqueue.msgsize_max may be */
#define SIM_LIMIT_MQ_HARD_MSGSIZEMAX (16 * 1024 * 1024) /* the most it may be */

typedef enum SimLimitId {
	SIM_LIMIT_MSGMAX,	      /* kernel.msgmax: the largest SysV message */
	SIM_LIMIT_MSGMNB,	      /* kernel.msgmnb: a new SysV queue's msg_qbytes */
	SIM_LIMIT_MSGMNI,	      /* kernel.msgmni: SysV queues that may exist */
	SIM_LIMIT_MQ_MSG_MAX,	      /* fs.mqueue.msg_max: the largest mq_maxmsg */
	SIM_LIMIT_MQ_MSGSIZE_MAX,     /* fs.mqueue.msgsize_max: the largest mq_msgsize */
	SIM_LIMIT_MQ_QUEUES_MAX,      /* fs.mqueue.queues_max: POSIX queues that may exist */
	SIM_LIMIT_MQ_MSG_DEFAULT,     /* fs.mqueue.msg_default: mq_maxmsg without mq_attr */
	SIM_LIMIT_MQ_MSGSIZE_DEFAULT, /* fs.mqueue.msgsize_default: mq_msgsize without it */
	/* XSI semaphores: the four numbers of kernel.sem, in its order */
	SIM_LIMIT_SEMMSL, /* semaphores in one set */
	SIM_LIMIT_SEMMNS, /* semaphores in all sets of the namespace */
	SIM_LIMIT_SEMOPM, /* operations in one semop */
	SIM_LIMIT_SEMMNI, /* semaphore sets that may exist */
	/* XSI shared memory */
	SIM_LIMIT_SHMMAX, /* kernel.shmmax: the largest segment, in bytes */
	SIM_LIMIT_SHMALL, /* kernel.shmall: pages in all segments */
	SIM_LIMIT_SHMMNI, /* kernel.shmmni: segments that may exist */
	/* UNIX-domain sockets: the network namespace's, not the IPC namespace's (the sandbox
	 * writes it only in a network namespace of the run's own, see sandbox.c) */
	SIM_LIMIT_MAX_DGRAM_QLEN, /* net.unix.max_dgram_qlen: a datagram receiver's queue */
	SIM_LIMIT_COUNT
} SimLimitId;

#define SIM_LIMIT_BIT(id) (1u << (id))
#define SIM_LIMITS_ALL (SIM_LIMIT_BIT(SIM_LIMIT_COUNT) - 1u)

typedef struct SimLimits {
	gint64 msgmax;		   /* default 8192 */
	gint64 msgmnb;		   /* default 16384 */
	gint64 msgmni;		   /* default 32000 */
	gint64 mq_msg_max;	   /* default 10 */
	gint64 mq_msgsize_max;	   /* default 8192 */
	gint64 mq_queues_max;	   /* default 256 */
	gint64 mq_msg_default;	   /* default 10 */
	gint64 mq_msgsize_default; /* default 8192 */
	gint64 semmsl;		   /* default 32000 */
	gint64 semmns;		   /* default 1024000000 */
	gint64 semopm;		   /* default 500 */
	gint64 semmni;		   /* default 32000 */
	gint64 shmmax;		   /* default: the kernel's ULONG_MAX - 2^24, read as G_MAXINT64 */
	gint64 shmall;		   /* default: likewise */
	gint64 shmmni;		   /* default 4096 */
	gint64 max_dgram_qlen;	   /* default 10 */
	guint set;		   /* SIM_LIMIT_BIT(id) of each limit given (see above) */
	/* Beside the namespace's, in no row of the table (the sandbox never touches them): the
	 * machine's per-user pipe limits, fs.pipe-user-pages-soft and -hard (pipeuser.h). */
	gint64 pipe_user_pages_soft; /* default 16384 */
	gint64 pipe_user_pages_hard; /* default 0: none */
	gboolean pipe_user_set;	     /* the scenario's sysctl gave either */
} SimLimits;

/* One row of sim_limits_table. */
typedef struct SimLimitInfo {
	const char *name;   /* in a scenario: `sysctl msgmax=N` */
	const char *sysctl; /* as sysctl(8) names it: "kernel.msgmax" */
	const char *proc;   /* its file: "/proc/sys/kernel/msgmax" */
	guint column;	    /* its place among the numbers of a file that holds several
			     * (kernel.sem: semmsl semmns semopm semmni), 0 for the others */
	gint64 min, max;    /* what the kernel accepts */
	gint64 def;	    /* a fresh namespace's value */
	gsize offset;	    /* of the field in SimLimits */
} SimLimitInfo;

/* By SimLimitId. */
extern const SimLimitInfo sim_limits_table[SIM_LIMIT_COUNT];

/* Lifecycle */
void sim_limits_init(SimLimits *l); /* every limit at its default, none set */

/* Operations */
void sim_limits_set(SimLimits *l, SimLimitId id, gint64 value); /* and marks it set */

/* Queries */
gint64 sim_limits_get(const SimLimits *l, SimLimitId id);
int sim_limits_find(const char *name); /* the SimLimitId of a scenario name, or -1 */

#endif /* MSGSIM_LIMITS_H */
