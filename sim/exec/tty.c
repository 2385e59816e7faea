/* tty.c — the guests' terminal as the programs read it: standard input, from --input.
 *
 * Every guest's descriptors 0, 1 and 2 are one pty (guest.c); exec.c serves its writes,
 * this file its reads. Which descriptor is the terminal cannot be told by its number (dup(0),
 * fcntl's F_DUPFD, a reopen of /dev/stdin or /dev/pts/N all name it), so the filter traps
 * every call that can read a descriptor (read, readv, preadv2, splice, sendfile) and the
 * descriptor is looked at here: its device is the pty's or not (and a descriptor found not
 * to be is remembered until it closes). A read of any other file is
 * let go to the kernel the moment it arrives, like the clocks: no step of the schedule and
 * no tick of the virtual clock, so the traces of programs that read files stay as they were.
 *
 * A read of the terminal is a step, and never reaches the kernel (where it would wait for a
 * line nobody types). It gets the next line of the run's input, as a terminal in canonical
 * mode gives it: one line per read, at most the count asked (the rest is left for the next
 * read), then 0 (end of file) once the input is used up, or at once when there is none, as
 * the /dev/null the guests had before gave. The bytes taken are echoed into the reader's
 * output, as a terminal with echo on shows what is typed, so a prompt and its answer make one
 * line. The guests share the one input in the order the schedule runs their reads.
 * pread and preadv fail with ESPIPE on a terminal in the kernel and are not trapped; preadv2
 * at offset -1 is a readv. splice and sendfile from the terminal are refused (a line would
 * leave by a path the trace cannot show), and io_uring, which could read it unseen, is
 * answered ENOSYS, as a kernel built without it answers.
 */
#undef _POSIX_C_SOURCE
#define _GNU_SOURCE

#include <errno.h>
#include <limits.h>
#include <sched.h>
#include <stdint.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <sys/uio.h>

#include "exec/exec_int.h"

#define READ_SHOWN 40 /* bytes of a line read shown in the trace */

gsize sim_exec_input_take(const char *in, gsize len, gsize at, gsize count)
{
	if (at >= len)
		return 0;
	const char *nl = memchr(in + at, '\n', len - at);
	gsize line = nl ? (gsize)(nl - (in + at)) + 1 : len - at;
	return MIN(line, count);
}

gboolean sim_exec_is_read(int nr)
{
	return nr == __NR_read || nr == __NR_readv || nr == __NR_preadv2 || nr == __NR_splice ||
	       nr == __NR_sendfile || nr == __NR_io_uring_setup;
}

/* The descriptor a read-like call reads from (splice's and sendfile's input). */
static int source_fd(const struct seccomp_notif *nf)
{
	return (int)(nf->data.nr == __NR_sendfile ? nf->data.args[1] : nf->data.args[0]);
}

void sim_exec_fds_change(SimExec *x, SimGuest *g, const struct seccomp_notif *nf)
{
	const __u64 *a = nf->data.args;
	switch (nf->data.nr) {
	case __NR_close:
		if (a[0] < 64)
			g->not_tty &= ~(G_GUINT64_CONSTANT(1) << a[0]);
		break;
	case __NR_dup2:
	case __NR_dup3:
		if (a[1] < 64)
			g->not_tty &= ~(G_GUINT64_CONSTANT(1) << a[1]);
		break;
	case __NR_close_range:
	case __NR_execve: /* close-on-exec */
	case __NR_execveat:
		g->not_tty = 0;
		break;
	case __NR_clone:
		if (a[0] & CLONE_FILES)
			x->fds_shared = TRUE; /* the other side's closes would not be seen here */
		break;
	default:
		break;
	}
}

/* Whether g's fd is the terminal, remembered while it stays open when it is not: looking
 * costs more than the read's own round trip, and a program reading a file reads it often.
 * A descriptor changes only when it closes or is replaced, which sim_exec_fds_change sees
 * (an fd that dup or open returns was free: closed since, or never looked at). */
static gboolean reads_terminal(SimExec *x, SimGuest *g, int fd)
{
	guint64 bit = fd >= 0 && fd < 64 ? G_GUINT64_CONSTANT(1) << fd : 0;
	if (bit && (g->not_tty & bit) && !x->fds_shared)
		return FALSE;
	if (sim_exec_to_terminal(x, g, fd))
		return TRUE;
	g->not_tty |= bit;
	return FALSE;
}

gboolean sim_exec_read_at_once(SimExec *x, SimGuest *g, const struct seccomp_notif *nf)
{
	if (!sim_exec_is_read(nf->data.nr) && nf->data.nr != __NR_close_range)
		return FALSE;
	struct seccomp_notif_resp r = { .id = nf->id };
	if (nf->data.nr == __NR_io_uring_setup)
		r.error = -ENOSYS;
	else if (nf->data.nr != __NR_close_range && reads_terminal(x, g, source_fd(nf)))
		return FALSE; /* it parks: the schedule serves it (sim_exec_serve_read) */
	else
		r.flags = SECCOMP_USER_NOTIF_FLAG_CONTINUE;
	(void)!ioctl(g->listener, SECCOMP_IOCTL_NOTIF_SEND, &r);
	return TRUE;
}

/* The next line, copied into the guest's buffers (at most cap bytes in all): the bytes
 * moved, or -EFAULT when not one could be. */
static gssize copy_line(SimExec *x, SimGuest *g, const struct iovec *iov, int n, gsize cap)
{
	const char *in = x->opt->input;
	gsize take = sim_exec_input_take(in, x->opt->input_len, x->input_at, cap);
	gsize done = 0;
	for (int i = 0; i < n && done < take; i++) {
		gsize k = MIN(iov[i].iov_len, take - done);
		if (!sim_exec_write(g, (guint64)(uintptr_t)iov[i].iov_base, in + x->input_at + done,
				    k))
			break;
		done += k;
	}
	if (take && !done)
		return -EFAULT;
	x->input_at += done;
	return (gssize)done;
}

static void trace_read(SimExec *x, const SimGuest *g, const char *from, gsize len, int err)
{
	const __u64 *a = g->notif.data.args;
	int nr = g->notif.data.nr;
	g_autoptr(GString) s = g_string_new(NULL);
	if (nr == __NR_read)
		g_string_printf(s, "read(%d, buf, %" G_GUINT64_FORMAT ")", (int)a[0], (guint64)a[2]);
	else
		g_string_printf(s, "%s(%d, iov, %d%s)", nr == __NR_readv ? "readv" : "preadv2",
				(int)a[0], (int)a[2], nr == __NR_readv ? "" : ", -1");
	if (err) {
		g_string_append_printf(s, " = -1 %s (%s)", strerrorname_np(err), g_strerror(err));
	} else if (len) {
		g_autofree char *shown = g_strndup(from, MIN(len, READ_SHOWN));
		g_autofree char *esc = g_strescape(shown, NULL);
		g_string_append_printf(s, " = %" G_GSIZE_FORMAT " \"%s%s\"", len, esc,
				       len > READ_SHOWN ? "..." : "");
	} else {
		g_string_append(s, x->opt->input ? " = 0 (end of input)"
						 : " = 0 (end of file: no --input)");
	}
	sim_exec_trace(x, g, "%s", s->str);
}

/* read(fd, buf, count), readv(fd, iov, cnt) and preadv2(fd, iov, cnt, -1, flags) of the
 * terminal: a line of the input, traced, then echoed. */
static void serve_line(SimExec *x, SimGuest *g)
{
	const __u64 *a = g->notif.data.args;
	int nr = g->notif.data.nr;
	struct iovec one, *iov = &one;
	g_autofree struct iovec *many = NULL;
	int n = 1, err = 0;
	if (nr == __NR_read) {
		one = (struct iovec){ (void *)(uintptr_t)a[1], (size_t)a[2] };
	} else if (nr == __NR_preadv2 && (gint64)a[3] != -1) {
		err = ESPIPE; /* a terminal has no offsets */
	} else if ((int)a[2] < 0 || (int)a[2] > IOV_MAX) {
		err = EINVAL;
	} else {
		n = (int)a[2];
		iov = many = g_new0(struct iovec, n ? n : 1);
		if (!sim_exec_read(g, a[1], many, sizeof *many * (gsize)n))
			err = EFAULT;
	}
	gsize cap = 0;
	for (int i = 0; !err && i < n; i++)
		cap += MIN(iov[i].iov_len, (gsize)SSIZE_MAX - cap);
	gsize at = x->input_at;
	gssize got = err ? -err : copy_line(x, g, iov, n, cap);
	err = got < 0 ? (int)-got : 0;
	gsize len = err ? 0 : (gsize)got;
	trace_read(x, g, x->opt->input ? x->opt->input + at : NULL, len, err);
	if (len)
		sim_exec_output(x, g, x->opt->input + at, len);
	sim_exec_answer(x, g, err ? -1 : (gint64)len, err, FALSE);
}

void sim_exec_serve_read(SimExec *x, SimGuest *g)
{
	int nr = g->notif.data.nr;
	if (nr == __NR_splice || nr == __NR_sendfile) {
		if (!x->refusal)
			x->refusal = g_strdup_printf("%s: %s from the terminal is not served "
						     "(read it with read or readv)",
						     g->name, nr == __NR_splice ? "splice" : "sendfile");
		return;
	}
	serve_line(x, g);
}
