/* real_shm.c — the real-kernel runner's XSI shared memory backend: shmget, shmat, shmdt,
 * shmctl, and the loads and stores a program makes through an attachment.
 *
 * The design choice to know: the coordinator names an attachment by the model's address
 * for it (the handle), since the kernel's address is wherever it mapped the segment; the
 * worker keeps a small table from handle to real address, size and mode. A forked worker
 * inherits the table with the mappings, as a forked process inherits its attachments. A
 * load or store outside an attachment, or a store through a read-only one, answers EFAULT
 * without touching memory, as the model does.
 */
#undef _POSIX_C_SOURCE
#define _GNU_SOURCE

#include <errno.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/msg.h>
#include <sys/sem.h>
#include <sys/shm.h>

#include "real/real_int.h"

#define MAX_ATTACH 64

typedef struct Attach {
	gint64 handle; /* the model's address; 0: a free slot */
	char *addr;    /* the real one */
	gint64 size;   /* the segment's size rounded up to pages */
	gboolean rdonly;
} Attach;

static Attach attached[MAX_ATTACH];

static Attach *find(gint64 handle)
{
	for (guint i = 0; i < MAX_ATTACH; i++)
		if (handle && attached[i].handle == handle)
			return &attached[i];
	return NULL;
}

static gint64 exec_shmget(const SimRealSandbox *sb, const SimRealCall *c, const char *data,
			  SimRealResult *r, GString *out, int *err)
{
	(void)sb, (void)data, (void)r, (void)out;
	gint64 ret = shmget((key_t)c->a[0], (size_t)c->a[1], (int)c->a[2]);
	*err = errno;
	return ret;
}

static gint64 exec_shmat(const SimRealSandbox *sb, const SimRealCall *c, const char *data,
			 SimRealResult *r, GString *out, int *err)
{
	(void)sb, (void)data, (void)r, (void)out;
	Attach *slot = NULL;
	for (guint i = 0; i < MAX_ATTACH && !slot; i++)
		if (!attached[i].handle)
			slot = &attached[i];
	if (!slot) {
		*err = EMFILE; /* the worker's table is full: a scenario this large is refused */
		return -1;
	}
	void *p = shmat((int)c->a[0], NULL, (int)c->a[2]);
	*err = errno;
	if (p == (void *)-1)
		return -1;
	struct shmid_ds ds;
	memset(&ds, 0, sizeof(ds));
	shmctl((int)c->a[0], IPC_STAT, &ds);
	gint64 page = 4096;
	*slot = (Attach){ c->a[1], p, ((gint64)ds.shm_segsz + page - 1) / page * page,
			  (c->a[2] & SHM_RDONLY) != 0 };
	return c->a[1];
}

static gint64 exec_shmdt(const SimRealSandbox *sb, const SimRealCall *c, const char *data,
			 SimRealResult *r, GString *out, int *err)
{
	(void)sb, (void)data, (void)r, (void)out;
	Attach *a = find(c->a[0]);
	/* An address that is no attachment: one no mapping can start at, for the EINVAL. */
	gint64 ret = shmdt(a ? a->addr : (void *)1);
	*err = errno;
	if (ret == 0 && a)
		*a = (Attach){ 0 };
	return ret;
}

static gint64 exec_shmctl(const SimRealSandbox *sb, const SimRealCall *c, const char *data,
			  SimRealResult *r, GString *out, int *err)
{
	(void)sb, (void)data, (void)out;
	union {
		struct shmid_ds ds;
		struct shminfo info;
		struct shm_info sinfo;
	} u;
	memset(&u, 0, sizeof(u));
	int cmd = (int)c->a[1];
	if (cmd == IPC_SET) {
		u.ds.shm_perm.mode = (unsigned short)c->a[2];
		u.ds.shm_perm.uid = (uid_t)c->a[3];
		u.ds.shm_perm.gid = (gid_t)c->a[4];
	}
	gint64 ret = shmctl((int)c->a[0], cmd, &u.ds);
	*err = errno;
	if (ret < 0)
		return ret;
	if (cmd == IPC_STAT || cmd == SHM_STAT || cmd == SHM_STAT_ANY) {
		const gint64 f[] = { (gint64)u.ds.shm_segsz,	 (gint64)u.ds.shm_nattch,
				     (gint64)u.ds.shm_perm.mode, (gint64)u.ds.shm_perm.uid,
				     (gint64)u.ds.shm_perm.gid,	 (gint64)u.ds.shm_perm.cuid,
				     (gint64)u.ds.shm_perm.cgid, (gint64)u.ds.shm_cpid,
				     (gint64)u.ds.shm_lpid };
		memcpy(r->stat, f, sizeof(f));
	} else if (cmd == IPC_INFO) {
		const gint64 f[] = { (gint64)u.info.shmmax, (gint64)u.info.shmmin,
				     (gint64)u.info.shmmni, (gint64)u.info.shmseg,
				     (gint64)u.info.shmall };
		memcpy(r->stat, f, sizeof(f));
	} else if (cmd == SHM_INFO) {
		r->stat[0] = u.sinfo.used_ids;
		r->stat[1] = (gint64)u.sinfo.shm_tot;
	}
	return ret;
}

/* The attachment that holds [offset, offset + len) of handle's, or NULL. */
static Attach *range(gint64 handle, gint64 offset, gint64 len)
{
	Attach *a = find(handle);
	return a && offset >= 0 && len >= 0 && offset + len <= a->size ? a : NULL;
}

static gint64 exec_shmwrite(const SimRealSandbox *sb, const SimRealCall *c, const char *data,
			    SimRealResult *r, GString *out, int *err)
{
	(void)sb, (void)r, (void)out;
	Attach *a = range(c->a[0], c->a[1], c->len);
	if (!a || a->rdonly) {
		*err = EFAULT;
		return -1;
	}
	if (c->len)
		memcpy(a->addr + c->a[1], data, c->len);
	return 0;
}

static gint64 exec_shmread(const SimRealSandbox *sb, const SimRealCall *c, const char *data,
			   SimRealResult *r, GString *out, int *err)
{
	(void)sb, (void)data, (void)r;
	Attach *a = range(c->a[0], c->a[1], c->a[2]);
	if (!a) {
		*err = EFAULT;
		return -1;
	}
	sim_real_put_data(out, a->addr + c->a[1], c->a[2]);
	return c->a[2];
}

/* ipcrm, as util-linux makes it: a key is looked up with a get of flags 0 (and size or
 * nsems 0), and the id found removed with its family's IPC_RMID; the first call that fails
 * gives the errno, so the model's messages come from the same failure. It lives with the
 * shared memory rows, the last of the three XSI families. */
static gint64 exec_ipcrm(const SimRealSandbox *sb, const SimRealCall *c, const char *data,
			 SimRealResult *r, GString *out, int *err)
{
	(void)sb, (void)data, (void)r, (void)out;
	char what = (char)c->a[0];
	int id = (int)c->a[1];
	if (c->a[2]) {
		key_t key = (key_t)c->a[1];
		id = what == 'q'   ? msgget(key, 0)
		     : what == 's' ? semget(key, 0, 0)
				   : shmget(key, 0, 0);
		if (id < 0) {
			*err = errno;
			return -1;
		}
	}
	int ret = what == 'q'	? msgctl(id, IPC_RMID, NULL)
		  : what == 's' ? semctl(id, 0, IPC_RMID)
				: shmctl(id, IPC_RMID, NULL);
	*err = errno;
	return ret;
}

/* What exec_mmap's drop of the old image does to the attachments: every one is detached. */
void sim_real_shm_detach_all(void)
{
	for (guint i = 0; i < MAX_ATTACH; i++) {
		if (attached[i].handle && shmdt(attached[i].addr) == 0)
			attached[i] = (Attach){ 0 };
	}
}

static const SimRealOpRow shm_rows[] = {
	{ SIM_REAL_SHMGET, "shmget", exec_shmget },
	{ SIM_REAL_SHMAT, "shmat", exec_shmat },
	{ SIM_REAL_SHMDT, "shmdt", exec_shmdt },
	{ SIM_REAL_SHMCTL, "shmctl", exec_shmctl },
	{ SIM_REAL_SHMWRITE, "shmwrite", exec_shmwrite },
	{ SIM_REAL_SHMREAD, "shmread", exec_shmread },
	{ SIM_REAL_IPCRM, "ipcrm", exec_ipcrm },
};

const SimRealBackend sim_real_shm_backend = { "XSI shared memory", shm_rows,
					      G_N_ELEMENTS(shm_rows) };
