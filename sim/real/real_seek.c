/* real_seek.c — the real-kernel runner's positioned calls: lseek, pread, pwrite, one row
 * of the ops table each (see real_int.h).
 *
 * The design choice to know: each is the bare system call with the scenario's values as
 * the kernel takes them (an offset of any sign, whence as an unsigned int), so that the
 * kernel's own order of checks decides the errno. The worker's command descriptors
 * (SIM_REAL_FD_BASE and up) are refused with EBADF, as on a descriptor never opened, and
 * pread's buffer is as large as asked up to SIM_REAL_IO_MAX, as read's is.
 */
#undef _POSIX_C_SOURCE
#define _GNU_SOURCE

#include <errno.h>
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

static const SimRealOpRow seek_rows[] = {
	{ SIM_REAL_LSEEK, "lseek", exec_lseek },
	{ SIM_REAL_PREAD, "pread", exec_pread },
	{ SIM_REAL_PWRITE, "pwrite", exec_pwrite },
};

const SimRealBackend sim_real_seek_backend = { "seek", seek_rows, G_N_ELEMENTS(seek_rows) };
