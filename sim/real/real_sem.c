/* real_sem.c — the real-kernel runner's XSI semaphore backend: semget, semtimedop and
 * semctl, one row of the ops table each (see real_int.h).
 *
 * The design choice to know: semop is made as the system call semtimedop itself (a NULL
 * timeout for a plain semop), so the /proc probe that tells a blocked worker sees one
 * call number whatever the libc does.
 */
#undef _POSIX_C_SOURCE
#define _GNU_SOURCE

#include <errno.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/sem.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "real/real_int.h"

/* The fourth argument of semctl, which the caller must define (semctl(2)). */
union semun {
	int val;
	struct semid_ds *buf;
	unsigned short *array;
	struct seminfo *__buf;
};

static gint64 exec_semget(const SimRealSandbox *sb, const SimRealCall *c, const char *data,
			  SimRealResult *r, GString *out, int *err)
{
	(void)sb, (void)data, (void)r, (void)out;
	gint64 ret = semget((key_t)c->a[0], (int)c->a[1], (int)c->a[2]);
	*err = errno;
	return ret;
}

static gint64 exec_semop(const SimRealSandbox *sb, const SimRealCall *c, const char *data,
			 SimRealResult *r, GString *out, int *err)
{
	(void)sb, (void)r, (void)out;
	/* Room for every operation the call names, even one that lies about its count. */
	gsize n = MAX((gsize)MAX(c->a[1], 0), c->len / sizeof(struct sembuf)) + 1;
	g_autofree struct sembuf *sops = g_new0(struct sembuf, n);
	if (c->len > 0)
		memcpy(sops, data, MIN((gsize)c->len, n * sizeof(struct sembuf)));
	struct timespec ts = { 0, 0 }, *tp = NULL;
	if (c->a[2] == SIM_REAL_TIMEOUT_INVALID) {
		ts.tv_nsec = 1000000000; /* out of range: the kernel's EINVAL */
		tp = &ts;
	} else if (c->a[2] >= 0) {
		ts.tv_sec = (time_t)(c->a[2] / 1000000000);
		ts.tv_nsec = (long)(c->a[2] % 1000000000);
		tp = &ts;
	}
	gint64 ret = syscall(SYS_semtimedop, (int)c->a[0], sops, (size_t)c->a[1], tp);
	*err = errno;
	return ret;
}

static gint64 exec_semctl(const SimRealSandbox *sb, const SimRealCall *c, const char *data,
			  SimRealResult *r, GString *out, int *err)
{
	(void)sb;
	int id = (int)c->a[0], num = (int)c->a[1], cmd = (int)c->a[2];
	union {
		struct semid_ds ds;
		struct seminfo info;
	} u;
	memset(&u, 0, sizeof(u));
	unsigned short vals[G_MAXUINT16 + 1];
	memset(vals, 0, sizeof(vals));
	union semun arg = { .buf = &u.ds };
	if (cmd == SETVAL)
		arg.val = (int)c->a[3];
	else if (cmd == GETALL || cmd == SETALL)
		arg.array = vals;
	else if (cmd == IPC_INFO || cmd == SEM_INFO)
		arg.__buf = &u.info;
	if (cmd == SETALL && c->len > 0)
		memcpy(vals, data, MIN((gsize)c->len, sizeof(vals)));
	if (cmd == IPC_SET) {
		u.ds.sem_perm.mode = (unsigned short)c->a[3];
		u.ds.sem_perm.uid = (uid_t)c->a[4];
		u.ds.sem_perm.gid = (gid_t)c->a[5];
	}
	/* GETALL needs the set's size: ask first, as a program would. */
	struct semid_ds size = { 0 };
	if (cmd == GETALL && semctl(id, 0, IPC_STAT, (union semun){ .buf = &size }) < 0)
		size.sem_nsems = 0;
	gint64 ret = semctl(id, num, cmd, arg);
	*err = errno;
	if (ret < 0)
		return ret;
	if (cmd == GETALL) {
		for (gulong i = 0; i < size.sem_nsems && i <= G_MAXUINT16; i++)
			g_string_append_printf(out, "%s%u", i ? "," : "", vals[i]);
	} else if (cmd == IPC_STAT || cmd == SEM_STAT || cmd == SEM_STAT_ANY) {
		const gint64 f[] = { (gint64)u.ds.sem_nsems,	 (gint64)u.ds.sem_perm.mode,
				     (gint64)u.ds.sem_perm.uid,	 (gint64)u.ds.sem_perm.gid,
				     (gint64)u.ds.sem_perm.cuid, (gint64)u.ds.sem_perm.cgid,
				     (gint64)u.ds.sem_otime,	 (gint64)u.ds.sem_perm.__key };
		memcpy(r->stat, f, sizeof(f));
	} else if (cmd == IPC_INFO || cmd == SEM_INFO) {
		const gint64 f[] = { u.info.semmni, u.info.semmns, u.info.semmsl,
				     u.info.semopm, u.info.semusz, u.info.semaem };
		memcpy(r->stat, f, sizeof(f));
	}
	return ret;
}

static const SimRealOpRow sem_rows[] = {
	{ SIM_REAL_SEMGET, "semget", exec_semget },
	{ SIM_REAL_SEMOP, "semtimedop", exec_semop },
	{ SIM_REAL_SEMCTL, "semctl", exec_semctl },
};

const SimRealBackend sim_real_sem_backend = { "XSI semaphores", sem_rows, G_N_ELEMENTS(sem_rows) };
