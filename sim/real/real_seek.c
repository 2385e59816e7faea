/* real_seek.c — the real-kernel runner's positioned and inode calls: lseek, pread, pwrite,
 * fstat, stat, ftruncate, truncate, one row of the ops table each (see real_int.h).
 *
 * The design choice to know: each is the bare system call with the scenario's values as
 * the kernel takes them (an offset of any sign, whence as an unsigned int), so that the
 * kernel's own order of checks decides the errno. The worker's command descriptors
 * (SIM_REAL_FD_BASE and up) are refused with EBADF, as on a descriptor never opened, and
 * pread's buffer is as large as asked up to SIM_REAL_IO_MAX, as read's is. The path calls
 * never leave the sandbox directory nor follow a symlink: stat is fstatat with
 * AT_SYMLINK_NOFOLLOW, and truncate, which has no such flag, is made only where the leaf is
 * missing or is a FIFO (neither can be changed by it; anything else is refused with EPERM
 * and no call), through the directory's /proc/self/fd name.
 */
#undef _POSIX_C_SOURCE
#define _GNU_SOURCE

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <string.h>
#include <unistd.h>

#include "real/real_int.h"

/* One of the worker's own descriptors: refused with EBADF (real_file.c does the same). */
static gboolean fd_refused(gint64 fd, int *err)
{
	if ((int)fd < SIM_REAL_FD_BASE)
		return FALSE;
	*err = EBADF;
	return TRUE;
}

static gint64 exec_lseek(const SimRealSandbox *sb, const SimRealCall *c, const char *data,
			 SimRealResult *r, GString *out, int *err)
{
	(void)sb, (void)data, (void)r, (void)out;
	if (fd_refused(c->a[0], err))
		return -1;
	errno = 0;
	gint64 ret = lseek((int)c->a[0], (off_t)c->a[1], (int)(guint32)c->a[2]);
	*err = errno;
	return ret;
}

static gint64 exec_pread(const SimRealSandbox *sb, const SimRealCall *c, const char *data,
			 SimRealResult *r, GString *out, int *err)
{
	(void)sb, (void)data, (void)r;
	if (fd_refused(c->a[0], err))
		return -1;
	size_t n = sim_real_buf_size(c->a[1]);
	g_autofree char *buf = g_malloc0(n + 1);
	gint64 ret = pread((int)c->a[0], buf, n, (off_t)c->a[2]);
	*err = errno;
	if (ret > 0)
		sim_real_put_data(out, buf, ret);
	return ret;
}

static gint64 exec_pwrite(const SimRealSandbox *sb, const SimRealCall *c, const char *data,
			  SimRealResult *r, GString *out, int *err)
{
	(void)sb, (void)r, (void)out;
	if (fd_refused(c->a[0], err))
		return -1;
	size_t n = sim_real_buf_size(c->a[1]), len = (size_t)c->len;
	g_autofree char *buf = g_malloc0(MAX(n, len) + 1);
	if (len > 0)
		memcpy(buf, data, len);
	gint64 ret = pwrite((int)c->a[0], buf, n, (off_t)c->a[2]);
	*err = errno;
	return ret;
}

/* st_mode, st_size, st_nlink, st_uid */
static void put_stat(const struct stat *st, SimRealResult *r)
{
	r->stat[0] = (gint64)st->st_mode;
	r->stat[1] = (gint64)st->st_size;
	r->stat[2] = (gint64)st->st_nlink;
	r->stat[3] = (gint64)st->st_uid;
}

static gint64 exec_fstat(const SimRealSandbox *sb, const SimRealCall *c, const char *data,
			 SimRealResult *r, GString *out, int *err)
{
	(void)sb, (void)data, (void)out;
	if (fd_refused(c->a[0], err))
		return -1;
	struct stat st;
	gint64 ret = fstat((int)c->a[0], &st);
	*err = errno;
	if (ret == 0)
		put_stat(&st, r);
	return ret;
}

static gint64 exec_stat(const SimRealSandbox *sb, const SimRealCall *c, const char *data,
			SimRealResult *r, GString *out, int *err)
{
	(void)out;
	g_autofree char *leaf = NULL;
	int at = sim_real_sandbox_at(sb, data, c->len, &leaf, err);
	if (at < 0)
		return -1;
	struct stat st;
	gint64 ret = fstatat(at, leaf, &st, AT_SYMLINK_NOFOLLOW);
	*err = errno;
	if (ret == 0)
		put_stat(&st, r);
	if (at != sb->dir_fd)
		close(at);
	return ret;
}

static gint64 exec_ftruncate(const SimRealSandbox *sb, const SimRealCall *c, const char *data,
			     SimRealResult *r, GString *out, int *err)
{
	(void)sb, (void)data, (void)r, (void)out;
	if (c->a[1] >= 0 && fd_refused(c->a[0], err))
		return -1;
	gint64 ret = ftruncate((int)c->a[0], (off_t)c->a[1]);
	*err = errno;
	return ret;
}

/* truncate(2) follows a symlink at the end: it is made only on a leaf that is missing or a
 * FIFO, which it cannot change; anything else is refused (EPERM) without the call. */
static gint64 exec_truncate(const SimRealSandbox *sb, const SimRealCall *c, const char *data,
			    SimRealResult *r, GString *out, int *err)
{
	(void)r, (void)out;
	g_autofree char *leaf = NULL;
	int at = sim_real_sandbox_at(sb, data, c->len, &leaf, err);
	if (at < 0)
		return -1;
	struct stat st;
	gint64 ret = -1;
	if (fstatat(at, leaf, &st, AT_SYMLINK_NOFOLLOW) == 0 && !S_ISFIFO(st.st_mode)) {
		*err = EPERM;
	} else {
		char path[64 + 4096];
		g_snprintf(path, sizeof(path), "/proc/self/fd/%d/%s", at, leaf);
		ret = truncate(path, (off_t)c->a[1]);
		*err = errno;
	}
	if (at != sb->dir_fd)
		close(at);
	return ret;
}

static const SimRealOpRow seek_rows[] = {
	{ SIM_REAL_LSEEK, "lseek", exec_lseek },
	{ SIM_REAL_PREAD, "pread", exec_pread },
	{ SIM_REAL_PWRITE, "pwrite", exec_pwrite },
	{ SIM_REAL_FSTAT, "fstat", exec_fstat },
	{ SIM_REAL_STAT, "stat", exec_stat },
	{ SIM_REAL_FTRUNCATE, "ftruncate", exec_ftruncate },
	{ SIM_REAL_TRUNCATE, "truncate", exec_truncate },
};

const SimRealBackend sim_real_seek_backend = { "seek", seek_rows, G_N_ELEMENTS(seek_rows) };
