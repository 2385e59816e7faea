/* real_sysv.c — the real-kernel runner's SysV message queue backend: msgget, msgsnd,
 * msgrcv and msgctl, one row of the ops table each (see real_int.h).
 *
 * The design choice to know: a message buffer is as large as the size the call hands the
 * kernel (up to SIM_REAL_IO_MAX), never as small as the text it carries, so the kernel
 * checks the caller's size exactly as it would a program's; sim_real_sandbox_limits keeps
 * msgmax below that bound, so no message can outgrow a receive buffer.
 */
#undef _POSIX_C_SOURCE
#define _GNU_SOURCE

#include <errno.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/msg.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "real/real_int.h"

typedef struct SysvMsg {
	long mtype;
	char mtext[];
} SysvMsg;

static gint64 exec_msgget(const SimRealSandbox *sb, const SimRealCall *c, const char *data,
			  SimRealResult *r, GString *out, int *err)
{
	(void)sb, (void)data, (void)r, (void)out;
	gint64 ret = msgget((key_t)c->a[0], (int)c->a[1]);
	*err = errno;
	return ret;
}

static gint64 exec_msgsnd(const SimRealSandbox *sb, const SimRealCall *c, const char *data,
			  SimRealResult *r, GString *out, int *err)
{
	(void)sb, (void)r, (void)out;
	const gint64 *a = c->a;
	size_t n = MAX(sim_real_buf_size(a[2]), (size_t)c->len);
	g_autofree SysvMsg *msg = g_malloc0(sizeof(SysvMsg) + n);
	msg->mtype = (long)a[1];
	if (c->len > 0)
		memcpy(msg->mtext, data, c->len);
	/* The system call itself, not the library's: a sanitizer's msgsnd wrapper would read
	 * msgsz bytes first, and a scenario may give any size_t (size=-1) for the kernel to
	 * refuse. */
	gint64 ret = syscall(SYS_msgsnd, (int)a[0], msg, (size_t)a[2], (int)a[3]);
	*err = errno;
	return ret;
}

static gint64 exec_msgrcv(const SimRealSandbox *sb, const SimRealCall *c, const char *data,
			  SimRealResult *r, GString *out, int *err)
{
	(void)sb, (void)data;
	const gint64 *a = c->a;
	size_t n = sim_real_buf_size(a[2]);
	g_autofree SysvMsg *msg = g_malloc0(sizeof(SysvMsg) + n);
	if (a[5]) /* fill=B: the buffer holds B before the call */
		memset(msg->mtext, (int)(a[5] - 1), n);
	gint64 ret = syscall(SYS_msgrcv, (int)a[0], msg, (size_t)a[2], (long)a[1], (int)a[3]);
	*err = errno;
	if (ret >= 0) {
		r->ret2 = msg->mtype;
		sim_real_put_data(out, msg->mtext, ret);
		if (a[5])
			r->stat[11] = sim_real_untouched(msg->mtext, (size_t)ret, n, (int)(a[5] - 1));
	}
	return ret;
}

/* The fields of a queue's msqid_ds (IPC_STAT and the MSG_STATs) or of the namespace's
 * msginfo (IPC_INFO, MSG_INFO) go to r->stat in the order real.h documents. */
static gint64 exec_msgctl(const SimRealSandbox *sb, const SimRealCall *c, const char *data,
			  SimRealResult *r, GString *out, int *err)
{
	(void)sb, (void)data, (void)out;
	union {
		struct msqid_ds ds;
		struct msginfo info;
	} u;
	memset(&u, 0, sizeof(u));
	int cmd = (int)c->a[1];
	if (cmd == IPC_SET) {
		u.ds.msg_qbytes = (msglen_t)c->a[2];
		u.ds.msg_perm.mode = (mode_t)c->a[3];
		u.ds.msg_perm.uid = (uid_t)c->a[4];
		u.ds.msg_perm.gid = (gid_t)c->a[5];
	}
	gint64 ret = msgctl((int)c->a[0], cmd, &u.ds);
	*err = errno;
	if (ret < 0)
		return ret;
	if (cmd == IPC_STAT || cmd == MSG_STAT || cmd == MSG_STAT_ANY) {
		const gint64 f[] = {
			(gint64)u.ds.msg_qnum,	     (gint64)u.ds.msg_cbytes,
			(gint64)u.ds.msg_qbytes,     (gint64)u.ds.msg_lspid,
			(gint64)u.ds.msg_lrpid,	     (gint64)u.ds.msg_perm.mode,
			(gint64)u.ds.msg_perm.uid,   (gint64)u.ds.msg_perm.gid,
			(gint64)u.ds.msg_perm.cuid,  (gint64)u.ds.msg_perm.cgid,
			(gint64)u.ds.msg_perm.__key,
		};
		memcpy(r->stat, f, sizeof(f));
	} else if (cmd == IPC_INFO || cmd == MSG_INFO) {
		const gint64 f[] = {
			u.info.msgpool, u.info.msgmap, u.info.msgmax, u.info.msgmnb,
			u.info.msgmni,	u.info.msgssz, u.info.msgtql, u.info.msgseg,
		};
		memcpy(r->stat, f, sizeof(f));
	}
	return ret;
}

static const SimRealOpRow sysv_rows[] = {
	{ SIM_REAL_MSGGET, "msgget", exec_msgget },
	{ SIM_REAL_MSGSND, "msgsnd", exec_msgsnd },
	{ SIM_REAL_MSGRCV, "msgrcv", exec_msgrcv },
	{ SIM_REAL_MSGCTL, "msgctl", exec_msgctl },
};

const SimRealBackend sim_real_sysv_backend = { "SysV", sysv_rows, G_N_ELEMENTS(sysv_rows) };
