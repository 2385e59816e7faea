/* real_posix.c — the real-kernel runner's POSIX message queue backend: mq_open,
 * mq_timedsend, mq_timedreceive, mq_getattr, mq_setattr, mq_notify and mq_unlink, one row
 * of the ops table each (see real_int.h).
 *
 * The design choice to know: a timed call gets its deadline as a relative timeout and
 * turns it into CLOCK_REALTIME just before the call, as a program would; a call without
 * one is the untimed mq_send or mq_receive, so the worker sleeps in the same system call
 * (mq_timedsend, mq_timedreceive) either way and the probes find it there.
 */
#undef _POSIX_C_SOURCE
#define _GNU_SOURCE

#include <errno.h>
#include <mqueue.h>
#include <signal.h>
#include <string.h>
#include <time.h>

#include "real/real_int.h"

/* An absolute CLOCK_REALTIME deadline ns nanoseconds from now. */
static struct timespec deadline_in(gint64 ns)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	if (ns == SIM_REAL_TIMEOUT_INVALID) {
		ts.tv_nsec = 1000000000; /* out of range: the kernel's EINVAL */
		return ts;
	}
	gint64 nsec = (gint64)ts.tv_nsec + ns % 1000000000;
	ts.tv_sec += (time_t)(ns / 1000000000 + nsec / 1000000000);
	ts.tv_nsec = (long)(nsec % 1000000000);
	return ts;
}

/* A call's a3: a timeout to keep, or none (-1). */
static gboolean is_timed(gint64 a3)
{
	return a3 >= 0 || a3 == SIM_REAL_TIMEOUT_INVALID;
}

static void attr_to_stat(const struct mq_attr *a, SimRealResult *r)
{
	r->stat[0] = a->mq_flags;
	r->stat[1] = a->mq_maxmsg;
	r->stat[2] = a->mq_msgsize;
	r->stat[3] = a->mq_curmsgs;
}

static gint64 exec_mq_open(const SimRealSandbox *sb, const SimRealCall *c, const char *data,
			   SimRealResult *r, GString *out, int *err)
{
	(void)sb, (void)r, (void)out;
	const gint64 *a = c->a;
	g_autofree char *name = g_strndup(data != NULL ? data : "", c->len);
	struct mq_attr attr = { .mq_maxmsg = a[3], .mq_msgsize = a[4] };
	gboolean no_attr = a[3] == -1 && a[4] == -1;
	gint64 ret = mq_open(name, (int)a[1], (mode_t)a[2], no_attr ? NULL : &attr);
	*err = errno;
	return ret;
}

static gint64 exec_mq_send(const SimRealSandbox *sb, const SimRealCall *c, const char *data,
			   SimRealResult *r, GString *out, int *err)
{
	(void)sb, (void)r, (void)out;
	const gint64 *a = c->a;
	g_autofree char *buf = g_malloc0(MAX(sim_real_buf_size(a[2]), (size_t)c->len) + 1);
	if (c->len > 0)
		memcpy(buf, data, c->len);
	gint64 ret;
	if (is_timed(a[3])) {
		struct timespec ts = deadline_in(a[3]);
		ret = mq_timedsend((mqd_t)a[0], buf, (size_t)a[2], (unsigned)a[1], &ts);
	} else {
		ret = mq_send((mqd_t)a[0], buf, (size_t)a[2], (unsigned)a[1]);
	}
	*err = errno;
	return ret;
}

static gint64 exec_mq_receive(const SimRealSandbox *sb, const SimRealCall *c, const char *data,
			      SimRealResult *r, GString *out, int *err)
{
	(void)sb, (void)data;
	const gint64 *a = c->a;
	unsigned prio = 0;
	size_t n = sim_real_buf_size(a[1]);
	g_autofree char *buf = g_malloc(n + 1);
	if (a[5]) /* fill=B: the buffer holds B before the call */
		memset(buf, (int)(a[5] - 1), n);
	gint64 ret;
	if (is_timed(a[3])) {
		struct timespec ts = deadline_in(a[3]);
		ret = mq_timedreceive((mqd_t)a[0], buf, (size_t)a[1], &prio, &ts);
	} else {
		ret = mq_receive((mqd_t)a[0], buf, (size_t)a[1], &prio);
	}
	*err = errno;
	if (ret >= 0) {
		r->ret2 = prio;
		sim_real_put_data(out, buf, ret);
		if (a[5])
			r->stat[11] = sim_real_untouched(buf, (size_t)ret, n, (int)(a[5] - 1));
	}
	return ret;
}

static gint64 exec_mq_getattr(const SimRealSandbox *sb, const SimRealCall *c, const char *data,
			      SimRealResult *r, GString *out, int *err)
{
	(void)sb, (void)data, (void)out;
	struct mq_attr attr;
	memset(&attr, 0, sizeof(attr));
	gint64 ret = mq_getattr((mqd_t)c->a[0], &attr);
	*err = errno;
	if (ret == 0)
		attr_to_stat(&attr, r);
	return ret;
}

static gint64 exec_mq_setattr(const SimRealSandbox *sb, const SimRealCall *c, const char *data,
			      SimRealResult *r, GString *out, int *err)
{
	(void)sb, (void)data, (void)out;
	struct mq_attr attr = { .mq_flags = c->a[1],
				.mq_maxmsg = c->a[2],
				.mq_msgsize = c->a[3],
				.mq_curmsgs = c->a[4] },
		       old;
	memset(&old, 0, sizeof(old));
	gint64 ret = mq_setattr((mqd_t)c->a[0], &attr, &old);
	*err = errno;
	if (ret == 0)
		attr_to_stat(&old, r);
	return ret;
}

/* a1: 0 a signal (a2), 1 SIGEV_NONE, 2 unregister (a NULL sigevent). */
static gint64 exec_mq_notify(const SimRealSandbox *sb, const SimRealCall *c, const char *data,
			     SimRealResult *r, GString *out, int *err)
{
	(void)sb, (void)data, (void)r, (void)out;
	const gint64 *a = c->a;
	struct sigevent ev;
	memset(&ev, 0, sizeof(ev));
	/* a[1]: 0 SIGEV_SIGNAL with signal a[2], 1 SIGEV_NONE, 2 no sigevent, 3 sigev_notify a[2] */
	ev.sigev_notify = a[1] == 0 ? SIGEV_SIGNAL : a[1] == 3 ? (int)a[2] : SIGEV_NONE;
	ev.sigev_signo = a[1] == 3 ? 0 : (int)a[2];
	ev.sigev_value.sival_int = (int)a[3]; /* a[3]: the sigev_value, an int (value=N) */
	gint64 ret = mq_notify((mqd_t)a[0], a[1] == 2 ? NULL : &ev);
	*err = errno;
	return ret;
}

static gint64 exec_mq_unlink(const SimRealSandbox *sb, const SimRealCall *c, const char *data,
			     SimRealResult *r, GString *out, int *err)
{
	(void)sb, (void)r, (void)out;
	g_autofree char *name = g_strndup(data != NULL ? data : "", c->len);
	gint64 ret = mq_unlink(name);
	*err = errno;
	return ret;
}

static const SimRealOpRow posix_rows[] = {
	{ SIM_REAL_MQ_OPEN, "mq_open", exec_mq_open },
	{ SIM_REAL_MQ_SEND, "mq_timedsend", exec_mq_send },
	{ SIM_REAL_MQ_RECEIVE, "mq_timedreceive", exec_mq_receive },
	{ SIM_REAL_MQ_GETATTR, "mq_getattr", exec_mq_getattr },
	{ SIM_REAL_MQ_SETATTR, "mq_setattr", exec_mq_setattr },
	{ SIM_REAL_MQ_NOTIFY, "mq_notify", exec_mq_notify },
	{ SIM_REAL_MQ_UNLINK, "mq_unlink", exec_mq_unlink },
};

const SimRealBackend sim_real_posix_backend = { "POSIX", posix_rows, G_N_ELEMENTS(posix_rows) };
