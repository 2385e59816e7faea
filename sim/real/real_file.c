/* real_file.c — the real-kernel runner's file backend: pipe2, close, read, write, fcntl,
 * ioctl(FIONREAD), the path calls mkfifo, open and unlink, and dup, dup2, dup3, one row of
 * the ops table each (see real_int.h).
 *
 * The design choice to know: a path call never leaves the sandbox directory and never
 * follows a symlink. It starts from the directory's descriptor (or a subdirectory's, found
 * by sim_real_sandbox_at without following one); mkfifoat and unlinkat do not follow one at
 * the end, open gets O_NOFOLLOW. The identity of what was made or opened goes back in
 * r->stat, so the caller can check that an open reached the FIFO the run made. And the
 * worker's own descriptors (its command pipes and channel slots, SIM_REAL_FD_BASE and up)
 * are not the scenario's: a call on one is refused with EBADF, as on a closed one.
 */
#undef _POSIX_C_SOURCE
#define _GNU_SOURCE

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

#include "real/real_int.h"

/* Is fd one of the worker's own command descriptors (as the kernel sees the number)? Then
 * the call is refused with EBADF, as for a descriptor the scenario never opened. */
static gboolean cmd_fd_refused(gint64 fd, int *err)
{
	if (fd < SIM_REAL_FD_BASE && (int)fd < SIM_REAL_FD_BASE)
		return FALSE;
	*err = EBADF;
	return TRUE;
}

/* An object's identity for the caller's check: st_dev, st_ino, st_mode. */
static void put_identity(const struct stat *st, SimRealResult *r)
{
	r->stat[0] = (gint64)st->st_dev;
	r->stat[1] = (gint64)st->st_ino;
	r->stat[2] = (gint64)st->st_mode;
}

/* Closes the directory sim_real_sandbox_at opened, unless it is the sandbox's own. */
static void release_at(const SimRealSandbox *sb, int at)
{
	if (at != sb->dir_fd)
		close(at);
}

static gint64 exec_pipe(const SimRealSandbox *sb, const SimRealCall *c, const char *data,
			SimRealResult *r, GString *out, int *err)
{
	(void)sb, (void)data, (void)out;
	int fds[2] = { -1, -1 };
	gint64 ret = pipe2(fds, (int)c->a[1]);
	*err = errno;
	if (ret == 0) {
		ret = fds[0];
		r->ret2 = fds[1];
	}
	return ret;
}

static gint64 exec_close(const SimRealSandbox *sb, const SimRealCall *c, const char *data,
			 SimRealResult *r, GString *out, int *err)
{
	(void)sb, (void)data, (void)r, (void)out;
	if (cmd_fd_refused(c->a[0], err))
		return -1;
	gint64 ret = close((int)c->a[0]);
	*err = errno;
	return ret;
}

/* One read or write of n bytes at buf on fd: with nowait, RWF_NOWAIT through preadv2 or
 * pwritev2 (a plain read or write has no such flag), otherwise the plain call. */
static gint64 transfer(gint64 fd, char *buf, size_t n, gboolean nowait, gboolean writing, int *err)
{
	struct iovec iov = { .iov_base = buf, .iov_len = n };
	gint64 ret;
	if (nowait)
		ret = writing ? pwritev2((int)fd, &iov, 1, -1, RWF_NOWAIT)
			      : preadv2((int)fd, &iov, 1, -1, RWF_NOWAIT);
	else
		ret = writing ? write((int)fd, buf, n) : read((int)fd, buf, n);
	*err = errno;
	return ret;
}

/* read and write: a0 the descriptor, a1 the size, a2 == 1 RWF_NOWAIT, a3 (read) fill=B + 1
 * or 0, its untouched bytes to stat[11]. A write sends data
 * (c->len bytes, zero-padded to the size); a read gives back what it read in out. */
static gint64 read_write(const SimRealCall *c, const char *data, SimRealResult *r, GString *out,
			 gboolean writing, int *err)
{
	const gint64 *a = c->a;
	if (cmd_fd_refused(a[0], err))
		return -1;
	size_t n = sim_real_buf_size(a[1]);
	size_t len = writing ? (size_t)c->len : 0;
	g_autofree char *buf = g_malloc0(MAX(n, len) + 1);
	if (len > 0)
		memcpy(buf, data, len);
	if (!writing && a[3]) /* fill=B: the buffer holds B before the call */
		memset(buf, (int)(a[3] - 1), n);
	/* A count of 2^47 or more goes to the kernel as it is: no buffer can be that large,
	 * and the kernel refuses it before it copies (EFAULT), or, through preadv2, cuts it
	 * to MAX_RW_COUNT and copies no more than the pipe or socket holds (the replay sends
	 * no such write with RWF_NOWAIT). */
	size_t count = (guint64)a[1] >= (G_GUINT64_CONSTANT(1) << 47) ? (size_t)a[1] : n;
	gint64 ret = transfer(a[0], buf, count, a[2] == 1, writing, err);
	if (!writing && ret > 0)
		sim_real_put_data(out, buf, ret);
	if (!writing && ret >= 0 && a[3])
		r->stat[11] = sim_real_untouched(buf, (size_t)ret, n, (int)(a[3] - 1));
	return ret;
}

static gint64 exec_read(const SimRealSandbox *sb, const SimRealCall *c, const char *data,
			SimRealResult *r, GString *out, int *err)
{
	(void)sb;
	return read_write(c, data, r, out, FALSE, err);
}

static gint64 exec_write(const SimRealSandbox *sb, const SimRealCall *c, const char *data,
			 SimRealResult *r, GString *out, int *err)
{
	(void)sb;
	return read_write(c, data, r, out, TRUE, err);
}

static gint64 exec_fcntl(const SimRealSandbox *sb, const SimRealCall *c, const char *data,
			 SimRealResult *r, GString *out, int *err)
{
	(void)sb, (void)data, (void)r, (void)out;
	const gint64 *a = c->a;
	if (cmd_fd_refused(a[0], err))
		return -1;
	/* glibc passes the argument on as a full word: the kernel does any truncation. */
	gint64 ret = fcntl((int)a[0], (int)a[1], (long)a[2]);
	*err = errno;
	return ret;
}

static gint64 exec_ioctl(const SimRealSandbox *sb, const SimRealCall *c, const char *data,
			 SimRealResult *r, GString *out, int *err)
{
	(void)sb, (void)data, (void)out;
	if (cmd_fd_refused(c->a[0], err))
		return -1;
	int n = 0;
	gint64 ret = ioctl((int)c->a[0], FIONREAD, &n);
	*err = errno;
	if (ret == 0)
		r->ret2 = n;
	return ret;
}

static gint64 exec_mkfifo(const SimRealSandbox *sb, const SimRealCall *c, const char *data,
			  SimRealResult *r, GString *out, int *err)
{
	(void)out;
	g_autofree char *leaf = NULL;
	int at = sim_real_sandbox_at(sb, data, c->len, &leaf, err);
	if (at < 0)
		return -1;
	struct stat st;
	gint64 ret = mkfifoat(at, leaf, (mode_t)c->a[1]);
	*err = errno;
	if (ret == 0 && fstatat(at, leaf, &st, AT_SYMLINK_NOFOLLOW) == 0)
		put_identity(&st, r);
	release_at(sb, at);
	return ret;
}

/* A trailing slash would make open follow a symlink all the same: such a leaf that is a
 * symlink gets ELOOP without the open. */
static gint64 exec_open(const SimRealSandbox *sb, const SimRealCall *c, const char *data,
			SimRealResult *r, GString *out, int *err)
{
	(void)out;
	g_autofree char *leaf = NULL;
	int at = sim_real_sandbox_at(sb, data, c->len, &leaf, err);
	if (at < 0)
		return -1;
	struct stat st;
	g_autofree char *bare = g_strdup(leaf);
	for (gsize n = strlen(bare); n > 1 && bare[n - 1] == '/'; n--)
		bare[n - 1] = '\0';
	if (strcmp(bare, leaf) != 0 && fstatat(at, bare, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
	    S_ISLNK(st.st_mode)) {
		*err = ELOOP;
		release_at(sb, at);
		return -1;
	}
	gint64 ret = openat(at, leaf, (int)c->a[1] | O_NOFOLLOW, (mode_t)c->a[2]);
	*err = errno;
	if (ret >= 0 && at != sb->dir_fd && ret > at) {
		/* The subdirectory's descriptor took the number the open would have had: the
		 * opened file moves there. */
		int sub = at;
		close(sub);
		at = sb->dir_fd;
		int moved = dup2((int)ret, sub);
		*err = errno;
		close((int)ret);
		ret = moved;
	}
	if (ret >= 0 && fstat((int)ret, &st) == 0)
		put_identity(&st, r);
	release_at(sb, at);
	return ret;
}

static gint64 exec_unlink(const SimRealSandbox *sb, const SimRealCall *c, const char *data,
			  SimRealResult *r, GString *out, int *err)
{
	(void)r, (void)out;
	g_autofree char *leaf = NULL;
	int at = sim_real_sandbox_at(sb, data, c->len, &leaf, err);
	if (at < 0)
		return -1;
	gint64 ret = unlinkat(at, leaf, 0);
	*err = errno;
	release_at(sb, at);
	return ret;
}

/* dup, dup2, dup3. A new descriptor among the worker's own is refused (EBADF) as an old one
 * is: the call would close the worker's command pipe. */
static gint64 exec_dup(const SimRealSandbox *sb, const SimRealCall *c, const char *data,
		       SimRealResult *r, GString *out, int *err)
{
	(void)sb, (void)data, (void)r, (void)out;
	if (cmd_fd_refused(c->a[0], err))
		return -1;
	gint64 ret = dup((int)c->a[0]);
	*err = errno;
	return ret;
}

static gint64 exec_dup2(const SimRealSandbox *sb, const SimRealCall *c, const char *data,
			SimRealResult *r, GString *out, int *err)
{
	(void)sb, (void)data, (void)r, (void)out;
	if (cmd_fd_refused(c->a[0], err) || cmd_fd_refused(c->a[1], err))
		return -1;
	gint64 ret = dup2((int)c->a[0], (int)c->a[1]);
	*err = errno;
	return ret;
}

static gint64 exec_dup3(const SimRealSandbox *sb, const SimRealCall *c, const char *data,
			SimRealResult *r, GString *out, int *err)
{
	(void)sb, (void)data, (void)r, (void)out;
	if (cmd_fd_refused(c->a[0], err) || cmd_fd_refused(c->a[1], err))
		return -1;
	gint64 ret = dup3((int)c->a[0], (int)c->a[1], (int)c->a[2]);
	*err = errno;
	return ret;
}

static const SimRealOpRow file_rows[] = {
	/* Descriptors */
	{ SIM_REAL_PIPE, "pipe2", exec_pipe },
	{ SIM_REAL_CLOSE, "close", exec_close },
	{ SIM_REAL_READ, "read", exec_read },
	{ SIM_REAL_WRITE, "write", exec_write },
	{ SIM_REAL_FCNTL, "fcntl", exec_fcntl },
	{ SIM_REAL_IOCTL, "ioctl", exec_ioctl },
	/* Paths, from the sandbox directory */
	{ SIM_REAL_MKFIFO, "mkfifo", exec_mkfifo },
	{ SIM_REAL_OPEN, "open", exec_open },
	{ SIM_REAL_UNLINK, "unlink", exec_unlink },
	/* Descriptors again, added after the paths */
	{ SIM_REAL_DUP, "dup", exec_dup },
	{ SIM_REAL_DUP2, "dup2", exec_dup2 },
	{ SIM_REAL_DUP3, "dup3", exec_dup3 },
};

const SimRealBackend sim_real_file_backend = { "file", file_rows, G_N_ELEMENTS(file_rows) };
