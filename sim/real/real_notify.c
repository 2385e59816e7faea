/* real_notify.c — the real side of mq_notify with SIGEV_THREAD: the registration glibc's
 * mq_notify makes, and the notification its helper thread reads, one row each of the ops
 * table (see real_int.h).
 *
 * glibc serves SIGEV_THREAD in user space. The kernel's do_mq_notify takes a netlink socket
 * (sigev_signo) and a cookie of NOTIFY_COOKIE_LEN bytes (sigev_value.sival_ptr); when the
 * notification fires it queues the cookie on that socket with its last byte set to
 * NOTIFY_WOKENUP (NOTIFY_REMOVED when the registration goes unfired: mq_notify(NULL), the
 * owner's close), and glibc's helper thread, asleep in recv on the socket, starts the
 * user's function in a new thread of the process. A worker makes the same registration with
 * the raw system call and starts the thread itself, at the registration, serving a channel
 * slot as a scenario's thread does (real.c): the coordinator reads the cookie through it
 * when the model's notification fires and then has it run the body's statements.
 *
 * The one design choice to know: the socket is moved to SIM_REAL_NL_FD and up, out of the
 * scenario's descriptors, where glibc's sits at the lowest free one. The model keeps no
 * socket, so the descriptors the scenario opens are numbered as the model numbers them.
 */
#define _GNU_SOURCE
#include "real/real_int.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/netlink.h>
#include <signal.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#define COOKIE_LEN 32 /* NOTIFY_COOKIE_LEN (include/linux/mqueue.h's users: ipc/mqueue.c) */

/* A netlink socket at SIM_REAL_NL_FD or above, close-on-exec as glibc's; -1 with *err. A
 * scenario's lowered RLIMIT_NOFILE would refuse both the socket and the move: the soft limit
 * is raised for them alone, as a fork's child raises it to move its channels (real.c). */
static int netlink_high(int *err)
{
	struct rlimit old, rl;
	gboolean raised = FALSE;
	if (getrlimit(RLIMIT_NOFILE, &old) == 0 && old.rlim_cur < (rlim_t)SIM_REAL_FD_BASE) {
		rl = old;
		rl.rlim_cur = MIN((rlim_t)SIM_REAL_FD_BASE, old.rlim_max);
		raised = setrlimit(RLIMIT_NOFILE, &rl) == 0;
	}
	int fd = -1;
	int s = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
	*err = errno;
	if (s >= 0) {
		fd = fcntl(s, F_DUPFD_CLOEXEC, SIM_REAL_NL_FD);
		*err = errno;
		close(s);
	}
	if (raised)
		setrlimit(RLIMIT_NOFILE, &old);
	return fd;
}

/* a0 the queue's descriptor, a1 the channel slot of the thread, a2 the sigev_value. */
static gint64 exec_notify_thread(const SimRealSandbox *sb, const SimRealCall *c, const char *data,
				 SimRealResult *r, GString *out, int *err)
{
	(void)data, (void)out;
	int nl = netlink_high(err);
	if (nl < 0)
		return -1;
	/* glibc's cookie holds its own bookkeeping; this one the value, which comes back. */
	unsigned char cookie[COOKIE_LEN] = { 0 };
	memcpy(cookie, &c->a[2], sizeof(c->a[2]));
	struct sigevent ev;
	memset(&ev, 0, sizeof(ev));
	ev.sigev_notify = SIGEV_THREAD;
	ev.sigev_signo = nl;
	ev.sigev_value.sival_ptr = cookie;
	gint64 ret = syscall(SYS_mq_notify, (int)c->a[0], &ev);
	*err = errno;
	if (ret < 0) {
		close(nl);
		return -1;
	}
	/* Registered: the kernel holds the socket and a copy of the cookie. */
	gint64 tid = sim_real_worker_thread(sb, c->a[1], err);
	if (tid < 0)
		return -1;
	r->ret2 = tid;
	r->stat[0] = nl;
	return 0;
}

/* a0 the socket: the cookie the kernel queued, if any (never waits). A cookie read is the
 * registration's last: its socket is closed. */
static gint64 exec_notify_recv(const SimRealSandbox *sb, const SimRealCall *c, const char *data,
			       SimRealResult *r, GString *out, int *err)
{
	(void)sb, (void)data, (void)out;
	unsigned char buf[2 * COOKIE_LEN] = { 0 };
	gint64 ret = recv((int)c->a[0], buf, sizeof(buf), MSG_DONTWAIT);
	*err = errno;
	if (ret < 0)
		return -1;
	r->ret2 = buf[COOKIE_LEN - 1];
	memcpy(&r->stat[0], buf, sizeof(r->stat[0]));
	close((int)c->a[0]);
	return ret;
}

static const SimRealOpRow notify_rows[] = {
	{ SIM_REAL_MQ_NOTIFY_THREAD, "mq_notify", exec_notify_thread },
	{ SIM_REAL_NOTIFY_RECV, "recv", exec_notify_recv },
};

const SimRealBackend sim_real_notify_backend = { "notify", notify_rows, G_N_ELEMENTS(notify_rows) };
