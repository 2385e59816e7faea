/* real_sock.c — the real-kernel runner's socket backend: socketpair, send, recv and
 * shutdown on AF_UNIX sockets, one row of the ops table each (see real_int.h).
 *
 * The design choice to know: a socket pair has no name, so nothing of it ever reaches the
 * file system; it lives in the worker's descriptor table and dies with the worker's last
 * descriptor of it, on every exit path, as a pipe does. An abstract name is made the run's
 * own by putting the run's sandbox directory before it (abstract names are the network
 * namespace's, which the run shares with the machine): it too goes with the last
 * descriptor, and never touches the file system. A path is a socket file in the run's FIFO
 * directory, reached without following a link (path_bind_connect). As in the file backend, the
 * worker's own descriptors (SIM_REAL_FD_BASE and up) are refused with EBADF.
 */
#undef _POSIX_C_SOURCE
#define _GNU_SOURCE

#include <errno.h>
#include <string.h>
#include <stddef.h>
#include <fcntl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
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

static gboolean dest_addr(const SimRealSandbox *sb, const SimRealCall *c, const char *data,
			  struct sockaddr_un *sun, socklen_t *len, int *fd, int *err);

/* send: the bytes (c->len of data, or a[3] of them when an address follows), zero-padded to
 * the length asked; sendto(2) when a[4] says there is an address (1 abstract, 2 a path). */
static gint64 exec_send(const SimRealSandbox *sb, const SimRealCall *c, const char *data,
			SimRealResult *r, GString *out, int *err)
{
	(void)r, (void)out;
	if (refused(c->a[0], err))
		return -1;
	size_t n = sim_real_buf_size(c->a[1]);
	size_t have = c->a[4] ? (size_t)c->a[3] : (size_t)c->len;
	g_autofree char *buf = g_malloc0(MAX(n, have) + 1);
	memcpy(buf, data, have);
	struct sockaddr_un sun;
	socklen_t len = 0;
	int fd = -1;
	if (c->a[4] && !dest_addr(sb, c, data, &sun, &len, &fd, err))
		return -1;
	gint64 ret = c->a[4] ? sendto((int)c->a[0], buf, n, (int)c->a[2],
				      (struct sockaddr *)&sun, len)
			     : send((int)c->a[0], buf, n, (int)c->a[2]);
	*err = errno;
	if (fd >= 0)
		close(fd);
	return ret;
}

/* recv: what was copied goes back as data (with MSG_TRUNC the result may be longer); with
 * a[3] set it is recvfrom(2), and ret2 says whether the sender had a name. */
static gint64 exec_recv(const SimRealSandbox *sb, const SimRealCall *c, const char *data,
			SimRealResult *r, GString *out, int *err)
{
	(void)sb, (void)data;
	if (refused(c->a[0], err))
		return -1;
	size_t n = sim_real_buf_size(c->a[1]);
	g_autofree char *buf = g_malloc0(n + 1);
	struct sockaddr_un sun;
	socklen_t len = sizeof(sun);
	memset(&sun, 0, sizeof(sun));
	gint64 ret = c->a[3] ? recvfrom((int)c->a[0], buf, n, (int)c->a[2],
					(struct sockaddr *)&sun, &len)
			     : recv((int)c->a[0], buf, n, (int)c->a[2]);
	*err = errno;
	if (ret >= 0 && c->a[3])
		r->ret2 = len > sizeof(sa_family_t);
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

static gint64 exec_socket(const SimRealSandbox *sb, const SimRealCall *c, const char *data,
			  SimRealResult *r, GString *out, int *err)
{
	(void)sb, (void)data, (void)r, (void)out;
	gint64 ret = socket(AF_UNIX, (int)c->a[1], 0);
	*err = errno;
	return ret;
}

/* The abstract address of the scenario's name (c->len bytes of data): a NUL, then the
 * sandbox directory and the name. ENAMETOOLONG when it does not fit in sun_path. */
static gboolean abstract_named(const SimRealSandbox *sb, const char *data, guint32 dlen,
			       struct sockaddr_un *sun, socklen_t *len, int *err)
{
	/* bind and connect ask for the run's directory (SIM_CALL_XC_PATH): it is there. */
	g_autofree char *name =
		g_strdup_printf("%s/%.*s", sb->dir ? sb->dir : "msgsim", (int)dlen, data);
	gsize n = strlen(name);
	memset(sun, 0, sizeof(*sun));
	sun->sun_family = AF_UNIX;
	if (n + 1 > sizeof(sun->sun_path)) {
		*err = ENAMETOOLONG;
		return FALSE;
	}
	memcpy(sun->sun_path + 1, name, n);
	*len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 1 + n);
	return TRUE;
}

static gboolean abstract_addr(const SimRealSandbox *sb, const SimRealCall *c, const char *data,
			      struct sockaddr_un *sun, socklen_t *len, int *err)
{
	return abstract_named(sb, data, c->len, sun, len, err);
}

/* sun for `name`, a path relative to where the worker stands. */
static socklen_t path_addr(struct sockaddr_un *sun, const char *name)
{
	memset(sun, 0, sizeof(*sun));
	sun->sun_family = AF_UNIX;
	gsize n = MIN(strlen(name), sizeof(sun->sun_path));
	memcpy(sun->sun_path, name, n);
	return (socklen_t)(offsetof(struct sockaddr_un, sun_path) + n);
}

/* bind and connect to a path, in the FIFO directory and nowhere else, following no link.
 * A sockaddr_un cannot carry a directory descriptor, so:
 *   bind     the worker stands in the directory (fchdir to its descriptor) and binds the
 *            one-component name there: nothing on the way can be a link, and bind never
 *            follows one at the end (a name that exists, a planted link too, is EADDRINUSE);
 *   connect  would follow a link at the end, so the name is opened first, O_PATH and
 *            O_NOFOLLOW, and the connect goes through /proc/self/fd/N, which reaches
 *            exactly the inode opened; a link there is refused (ELOOP) without a connect.
 * The socket files stay in the directory, which the sandbox removes with everything in
 * it on every way out (sim_real_sandbox_leave, or the next run's sweep). */
static gint64 path_bind_connect(const SimRealSandbox *sb, const SimRealCall *c, const char *data,
				int *err, gboolean connecting)
{
	g_autofree char *leaf = NULL;
	int at = sim_real_sandbox_at(sb, data, c->len, &leaf, err);
	if (at < 0)
		return -1;
	struct sockaddr_un sun;
	gint64 ret = -1;
	if (!connecting) {
		if (fchdir(at) < 0) {
			*err = errno;
		} else {
			ret = bind((int)c->a[0], (struct sockaddr *)&sun, path_addr(&sun, leaf));
			*err = errno;
		}
	} else {
		int fd = openat(at, leaf, O_PATH | O_NOFOLLOW | O_CLOEXEC);
		struct stat st;
		*err = errno;
		if (fd >= 0 && fstat(fd, &st) == 0 && S_ISLNK(st.st_mode)) {
			*err = ELOOP;
		} else if (fd >= 0) {
			char via[64];
			g_snprintf(via, sizeof(via), "/proc/self/fd/%d", fd);
			ret = connect((int)c->a[0], (struct sockaddr *)&sun, path_addr(&sun, via));
			*err = errno;
		}
		if (fd >= 0)
			close(fd);
	}
	if (at != sb->dir_fd)
		close(at);
	return ret;
}

/* sendto's address, after the a[3] bytes of data: an abstract name made the run's own, or
 * a path reached as connect reaches one (through /proc/self/fd/N of the name opened O_PATH
 * and O_NOFOLLOW; *fd is that descriptor, for the caller to close). */
static gboolean dest_addr(const SimRealSandbox *sb, const SimRealCall *c, const char *data,
			  struct sockaddr_un *sun, socklen_t *len, int *fd, int *err)
{
	const char *name = data + c->a[3];
	guint32 nlen = c->len - (guint32)c->a[3];
	if (c->a[4] == 1)
		return abstract_named(sb, name, nlen, sun, len, err);
	g_autofree char *leaf = NULL;
	int at = sim_real_sandbox_at(sb, name, nlen, &leaf, err);
	if (at < 0)
		return FALSE;
	*fd = openat(at, leaf, O_PATH | O_NOFOLLOW | O_CLOEXEC);
	*err = errno;
	if (at != sb->dir_fd)
		close(at);
	struct stat st;
	if (*fd >= 0 && fstat(*fd, &st) == 0 && S_ISLNK(st.st_mode))
		*err = ELOOP;
	else if (*fd >= 0)
		*err = 0;
	if (*err) {
		if (*fd >= 0)
			close(*fd);
		*fd = -1;
		return FALSE;
	}
	char via[64];
	g_snprintf(via, sizeof(via), "/proc/self/fd/%d", *fd);
	*len = path_addr(sun, via);
	return TRUE;
}

static gint64 exec_bind_connect(const SimRealSandbox *sb, const SimRealCall *c, const char *data,
				int *err, gboolean connecting)
{
	struct sockaddr_un sun;
	socklen_t len;
	if (refused(c->a[0], err))
		return -1;
	if (c->a[1] == 1)
		return path_bind_connect(sb, c, data, err, connecting);
	if (!abstract_addr(sb, c, data, &sun, &len, err))
		return -1;
	gint64 ret = connecting ? connect((int)c->a[0], (struct sockaddr *)&sun, len)
				: bind((int)c->a[0], (struct sockaddr *)&sun, len);
	*err = errno;
	return ret;
}

static gint64 exec_bind(const SimRealSandbox *sb, const SimRealCall *c, const char *data,
			SimRealResult *r, GString *out, int *err)
{
	(void)r, (void)out;
	return exec_bind_connect(sb, c, data, err, FALSE);
}

static gint64 exec_connect(const SimRealSandbox *sb, const SimRealCall *c, const char *data,
			   SimRealResult *r, GString *out, int *err)
{
	(void)r, (void)out;
	return exec_bind_connect(sb, c, data, err, TRUE);
}

static gint64 exec_listen(const SimRealSandbox *sb, const SimRealCall *c, const char *data,
			  SimRealResult *r, GString *out, int *err)
{
	(void)sb, (void)data, (void)r, (void)out;
	if (refused(c->a[0], err))
		return -1;
	gint64 ret = listen((int)c->a[0], (int)c->a[1]);
	*err = errno;
	return ret;
}

static gint64 exec_accept(const SimRealSandbox *sb, const SimRealCall *c, const char *data,
			  SimRealResult *r, GString *out, int *err)
{
	(void)sb, (void)data, (void)r, (void)out;
	if (refused(c->a[0], err))
		return -1;
	gint64 ret = accept4((int)c->a[0], NULL, NULL, 0);
	*err = errno;
	return ret;
}

static const SimRealOpRow sock_rows[] = {
	{ SIM_REAL_SOCKETPAIR, "socketpair", exec_socketpair },
	{ SIM_REAL_SEND, "send", exec_send },
	{ SIM_REAL_RECV, "recv", exec_recv },
	{ SIM_REAL_SHUTDOWN, "shutdown", exec_shutdown },
	{ SIM_REAL_SOCKET, "socket", exec_socket },
	{ SIM_REAL_BIND, "bind", exec_bind },
	{ SIM_REAL_LISTEN, "listen", exec_listen },
	{ SIM_REAL_ACCEPT, "accept4", exec_accept },
	{ SIM_REAL_CONNECT, "connect", exec_connect },
};

const SimRealBackend sim_real_sock_backend = { "sock", sock_rows, G_N_ELEMENTS(sock_rows) };
