/* real_sock.c — the real-kernel runner's socket backend: socketpair, send, recv and
 * shutdown on AF_UNIX sockets, one row of the ops table each (see real_int.h).
 *
 * The design choice to know: a socket pair has no name, so nothing of it ever reaches the
 * file system; it lives in the worker's descriptor table and dies with the worker's last
 * descriptor of it, on every exit path, as a pipe does. As in the file backend, the
 * worker's own descriptors (SIM_REAL_FD_BASE and up) are refused with EBADF.
 */
#undef _POSIX_C_SOURCE
#define _GNU_SOURCE

#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "real/real_int.h"

static gboolean refused(gint64 fd, int *err)
{
	if (fd < SIM_REAL_FD_BASE)
		return FALSE;
	*err = EBADF;
	return TRUE;
}

static gint64 exec_socketpair(const SimRealSandbox *sb, const SimRealCall *c, const char *data,
			      SimRealResult *r, GString *out, int *err)
{
	(void)sb, (void)data, (void)out;
	int sv[2] = { -1, -1 };
	gint64 ret = socketpair(AF_UNIX, (int)c->a[1], 0, sv);
	*err = errno;
	if (ret == 0) {
		ret = sv[0];
		r->ret2 = sv[1];
	}
	return ret;
}

/* send: c->len bytes of data, zero-padded to the length asked. */
static gint64 exec_send(const SimRealSandbox *sb, const SimRealCall *c, const char *data,
			SimRealResult *r, GString *out, int *err)
{
	(void)sb, (void)r, (void)out;
	if (refused(c->a[0], err))
		return -1;
	size_t n = sim_real_buf_size(c->a[1]);
	g_autofree char *buf = g_malloc0(MAX(n, (size_t)c->len) + 1);
	memcpy(buf, data, c->len);
	gint64 ret = send((int)c->a[0], buf, n, (int)c->a[2]);
	*err = errno;
	return ret;
}

/* recv: what was copied goes back as data (with MSG_TRUNC the result may be longer). */
static gint64 exec_recv(const SimRealSandbox *sb, const SimRealCall *c, const char *data,
			SimRealResult *r, GString *out, int *err)
{
	(void)sb, (void)data, (void)r;
	if (refused(c->a[0], err))
		return -1;
	size_t n = sim_real_buf_size(c->a[1]);
	g_autofree char *buf = g_malloc0(n + 1);
	gint64 ret = recv((int)c->a[0], buf, n, (int)c->a[2]);
	*err = errno;
	if (ret > 0)
		sim_real_put_data(out, buf, MIN(ret, (gint64)n));
	return ret;
}

static gint64 exec_shutdown(const SimRealSandbox *sb, const SimRealCall *c, const char *data,
			    SimRealResult *r, GString *out, int *err)
{
	(void)sb, (void)data, (void)r, (void)out;
	if (refused(c->a[0], err))
		return -1;
	gint64 ret = shutdown((int)c->a[0], (int)c->a[1]);
	*err = errno;
	return ret;
}

static const SimRealOpRow sock_rows[] = {
	{ SIM_REAL_SOCKETPAIR, "socketpair", exec_socketpair },
	{ SIM_REAL_SEND, "send", exec_send },
	{ SIM_REAL_RECV, "recv", exec_recv },
	{ SIM_REAL_SHUTDOWN, "shutdown", exec_shutdown },
};

const SimRealBackend sim_real_sock_backend = { "sock", sock_rows, G_N_ELEMENTS(sock_rows) };
