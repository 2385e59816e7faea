/* real_poll.c — the real-kernel runner's readiness calls: poll and select, one row of the
 * ops table each (see real_int.h).
 *
 * The design choice to know: both are made as their signal-mask variants, ppoll and
 * pselect6 with no mask, so that the time left comes as a timespec in nanoseconds, as the
 * paced run computes it, and not rounded to milliseconds; with a NULL mask they are poll and
 * select. The worker's own descriptors (SIM_REAL_FD_BASE and up) are not the scenario's: a
 * poll entry on one is sent to a descriptor no process has (POLLNVAL, as the model finds
 * it), and a select set holding one is EBADF without a call. A negative descriptor, which
 * no fd_set can hold, never comes: the replay refuses the run instead (call_poll.c).
 */
#undef _POSIX_C_SOURCE
#define _GNU_SOURCE

#include <errno.h>
#include <poll.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "real/real_int.h"

#include "msgsim/lang/scn.h" /* SIM_SELECT_* */

#define BITS (8 * sizeof(unsigned long))

/* a3 as the timespec the call takes; NULL: none. */
static struct timespec *timeout_of(const SimRealCall *c, struct timespec *ts)
{
	if (c->a[3] == -1)
		return NULL;
	if (c->a[3] == SIM_REAL_TIMEOUT_INVALID) {
		*ts = (struct timespec){ .tv_sec = -1, .tv_nsec = 0 };
		return ts;
	}
	ts->tv_sec = (time_t)(c->a[3] / 1000000000);
	ts->tv_nsec = (long)(c->a[3] % 1000000000);
	return ts;
}

/* Entry i of data: its descriptor and its events or sets. */
static void entry(const char *data, guint i, gint32 *fd, gint32 *what)
{
	memcpy(fd, data + i * 8, 4);
	memcpy(what, data + i * 8 + 4, 4);
}

static gint64 exec_poll(const SimRealSandbox *sb, const SimRealCall *c, const char *data,
			SimRealResult *r, GString *out, int *err)
{
	(void)sb, (void)r;
	guint n = (guint)MIN((guint64)c->a[0], (guint64)c->len / 8);
	g_autofree struct pollfd *fds = g_new0(struct pollfd, MAX(n, 1));
	for (guint i = 0; i < n; i++) {
		gint32 fd, ev;
		entry(data, i, &fd, &ev);
		fds[i].fd = fd >= SIM_REAL_FD_BASE ? G_MAXINT32 : fd;
		fds[i].events = (short)ev;
	}
	struct timespec ts;
	gint64 ret = ppoll(fds, (nfds_t)c->a[0], timeout_of(c, &ts), NULL);
	*err = errno;
	for (guint i = 0; ret >= 0 && i < n; i++) {
		gint32 v = (guint16)fds[i].revents;
		g_string_append_len(out, (const char *)&v, 4);
	}
	return ret;
}

static gint64 exec_select(const SimRealSandbox *sb, const SimRealCall *c, const char *data,
			  SimRealResult *r, GString *out, int *err)
{
	(void)sb, (void)r;
	guint n = (guint)MIN((guint64)c->a[0], (guint64)c->len / 8);
	gint32 nfds = 0;
	for (guint i = 0; i < n; i++) {
		gint32 fd, sets;
		entry(data, i, &fd, &sets);
		if (fd < 0 || fd >= SIM_REAL_FD_BASE) {
			*err = EBADF;
			return -1;
		}
		nfds = MAX(nfds, fd + 1);
	}
	gsize words = (gsize)nfds / BITS + 1;
	g_autofree unsigned long *bits = g_new0(unsigned long, 3 * words);
	for (guint i = 0; i < n; i++) {
		gint32 fd, sets;
		entry(data, i, &fd, &sets);
		for (guint k = 0; k < 3; k++)
			if (sets & (1 << k))
				bits[k * words + (gsize)fd / BITS] |= 1ul << ((gsize)fd % BITS);
	}
	struct timespec ts;
	gint64 ret = syscall(SYS_pselect6, nfds, bits, bits + words, bits + 2 * words,
			     timeout_of(c, &ts), NULL);
	*err = errno;
	for (guint i = 0; ret >= 0 && i < n; i++) {
		gint32 fd, sets, v = 0;
		entry(data, i, &fd, &sets);
		for (guint k = 0; k < 3; k++) {
			unsigned long *word = &bits[k * words + (gsize)fd / BITS];
			unsigned long bit = 1ul << ((gsize)fd % BITS);
			if ((sets & (1 << k)) && (*word & bit)) {
				v |= 1 << k;
				*word &= ~bit; /* a descriptor written twice in a set shows once */
			}
		}
		g_string_append_len(out, (const char *)&v, 4);
	}
	return ret;
}

static const SimRealOpRow poll_rows[] = {
	{ SIM_REAL_POLL, "poll", exec_poll },
	{ SIM_REAL_SELECT, "select", exec_select },
};

const SimRealBackend sim_real_poll_backend = { "poll", poll_rows, G_N_ELEMENTS(poll_rows) };
