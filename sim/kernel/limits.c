/* limits.c — the table of the IPC namespace's limits, and access to a SimLimits by row.
 *
 * The design choice to know: a limit is reached through its row's offset, so code that
 * handles every limit alike (the parser's `sysctl`, the sandbox's /proc files, the
 * cross-check's comparison) loops over the table, while code that means one limit names
 * the field (ns->limits.msgmax).
 */
#include "msgsim/kernel/limits.h"

#include <stddef.h>
#include <string.h>

/* The ranges are the kernel's: msgmni up to IPCMNI, the mqueue ones from ipc/mq_sysctl.c;
 * the defaults are a new namespace's. */
const SimLimitInfo sim_limits_table[SIM_LIMIT_COUNT] = {
	[SIM_LIMIT_MSGMAX] = { "msgmax", "kernel.msgmax", "/proc/sys/kernel/msgmax", 0, 0, G_MAXINT,
			       8192, offsetof(SimLimits, msgmax) },
	[SIM_LIMIT_MSGMNB] = { "msgmnb", "kernel.msgmnb", "/proc/sys/kernel/msgmnb", 0, 0, G_MAXINT,
			       16384, offsetof(SimLimits, msgmnb) },
	[SIM_LIMIT_MSGMNI] = { "msgmni", "kernel.msgmni", "/proc/sys/kernel/msgmni", 0, 1,
			       SIM_LIMIT_MSGMNI_MAX, 32000, offsetof(SimLimits, msgmni) },
	[SIM_LIMIT_MQ_MSG_MAX] = { "mq_msg_max", "fs.mqueue.msg_max", "/proc/sys/fs/mqueue/msg_max",
				   0, 1, SIM_LIMIT_MQ_HARD_MSGMAX, 10,
				   offsetof(SimLimits, mq_msg_max) },
	[SIM_LIMIT_MQ_MSGSIZE_MAX] = { "mq_msgsize_max", "fs.mqueue.msgsize_max",
				       "/proc/sys/fs/mqueue/msgsize_max", 0,
				       SIM_LIMIT_MQ_MIN_MSGSIZEMAX, SIM_LIMIT_MQ_HARD_MSGSIZEMAX,
				       8192, offsetof(SimLimits, mq_msgsize_max) },
	[SIM_LIMIT_MQ_QUEUES_MAX] = { "mq_queues_max", "fs.mqueue.queues_max",
				      "/proc/sys/fs/mqueue/queues_max", 0, 0, G_MAXINT, 256,
				      offsetof(SimLimits, mq_queues_max) },
	[SIM_LIMIT_MQ_MSG_DEFAULT] = { "mq_msg_default", "fs.mqueue.msg_default",
				       "/proc/sys/fs/mqueue/msg_default", 0, 1,
				       SIM_LIMIT_MQ_HARD_MSGMAX, 10,
				       offsetof(SimLimits, mq_msg_default) },
	[SIM_LIMIT_MQ_MSGSIZE_DEFAULT] = { "mq_msgsize_default", "fs.mqueue.msgsize_default",
					   "/proc/sys/fs/mqueue/msgsize_default", 0,
					   SIM_LIMIT_MQ_MIN_MSGSIZEMAX,
					   SIM_LIMIT_MQ_HARD_MSGSIZEMAX, 8192,
					   offsetof(SimLimits, mq_msgsize_default) },
	/* ipc/sem.c: SEMMSL, SEMMNS, SEMOPM, SEMMNI of include/uapi/linux/sem.h; semmni up to
	 * IPCMNI, the others any int (proc_ipc_sem_dointvec). */
	[SIM_LIMIT_SEMMSL] = { "semmsl", "kernel.sem", "/proc/sys/kernel/sem", 0, 0, G_MAXINT,
			       32000, offsetof(SimLimits, semmsl) },
	[SIM_LIMIT_SEMMNS] = { "semmns", "kernel.sem", "/proc/sys/kernel/sem", 1, 0, G_MAXINT,
			       1024000000, offsetof(SimLimits, semmns) },
	[SIM_LIMIT_SEMOPM] = { "semopm", "kernel.sem", "/proc/sys/kernel/sem", 2, 0, G_MAXINT, 500,
			       offsetof(SimLimits, semopm) },
	[SIM_LIMIT_SEMMNI] = { "semmni", "kernel.sem", "/proc/sys/kernel/sem", 3, 0,
			       SIM_LIMIT_MSGMNI_MAX, 32000, offsetof(SimLimits, semmni) },
	/* ipc/shm.c: a fresh namespace's shmmax and shmall are ULONG_MAX - 2^24, more than a
	 * gint64 holds; the sandbox reads them saturated, as G_MAXINT64, and so they are here. */
	[SIM_LIMIT_SHMMAX] = { "shmmax", "kernel.shmmax", "/proc/sys/kernel/shmmax", 0, 0,
			       G_MAXINT64, G_MAXINT64, offsetof(SimLimits, shmmax) },
	[SIM_LIMIT_SHMALL] = { "shmall", "kernel.shmall", "/proc/sys/kernel/shmall", 0, 0,
			       G_MAXINT64, G_MAXINT64, offsetof(SimLimits, shmall) },
	[SIM_LIMIT_SHMMNI] = { "shmmni", "kernel.shmmni", "/proc/sys/kernel/shmmni", 0, 0,
			       SIM_LIMIT_MSGMNI_MAX, 4096, offsetof(SimLimits, shmmni) },
	/* net/unix/sysctl_net_unix.c: proc_dointvec; a new network namespace has 10. Read
	 * into sk_max_ack_backlog when a socket is made. */
	[SIM_LIMIT_MAX_DGRAM_QLEN] = { "max_dgram_qlen", "net.unix.max_dgram_qlen",
				       "/proc/sys/net/unix/max_dgram_qlen", 0, 0, G_MAXINT, 10,
				       offsetof(SimLimits, max_dgram_qlen) },
};

static gint64 *field(SimLimits *l, SimLimitId id)
{
	return (gint64 *)(void *)((char *)l + sim_limits_table[id].offset);
}

void sim_limits_init(SimLimits *l)
{
	memset(l, 0, sizeof(*l));
	for (guint i = 0; i < SIM_LIMIT_COUNT; i++)
		*field(l, (SimLimitId)i) = sim_limits_table[i].def;
	l->pipe_user_pages_soft = 16384; /* fs/pipe.c: PIPE_DEF_BUFFERS * INR_OPEN_CUR */
}

void sim_limits_set(SimLimits *l, SimLimitId id, gint64 value)
{
	g_return_if_fail(id < SIM_LIMIT_COUNT);
	*field(l, id) = value;
	l->set |= SIM_LIMIT_BIT(id);
}

gint64 sim_limits_get(const SimLimits *l, SimLimitId id)
{
	g_return_val_if_fail(id < SIM_LIMIT_COUNT, -1);
	return *(const gint64 *)(const void *)((const char *)l + sim_limits_table[id].offset);
}

int sim_limits_find(const char *name)
{
	for (guint i = 0; i < SIM_LIMIT_COUNT; i++)
		if (strcmp(sim_limits_table[i].name, name) == 0)
			return (int)i;
	return -1;
}
