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
 * poll, ppoll, select and pselect6 are trapped too: one that waits on the terminal parks and
 * is answered in the schedule, since the terminal is always ready as the model has it (a
 * line is left, or a read returns 0 at once); the kernel's pty, which nobody types into,
 * would never be. The call's other descriptors are polled as they are now, through copies
 * of them (pidfd_getfd), so the answer is the kernel's for them.
 */
#undef _POSIX_C_SOURCE
#define _GNU_SOURCE

#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <sched.h>
#include <stdint.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/select.h>
#include <sys/syscall.h>
#include <sys/uio.h>

#include "exec/exec_int.h"

#define POLL_MAX 1024 /* descriptors of a poll or select looked at; more go to the kernel */

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

/* ---- poll and select ---- */

gboolean sim_exec_is_poll(int nr)
{
	return nr == __NR_poll || nr == __NR_ppoll || nr == __NR_select || nr == __NR_pselect6;
}

/* What a poll or select of g asks: its descriptors with the events each waits for (poll's
 * bits; select's sets as POLLIN, POLLOUT and POLLPRI), in want[0..n); FALSE when it cannot
 * be read (the kernel then answers it: EFAULT, EINVAL) or asks for too many. */
typedef struct PollAsk {
	gboolean sel;	      /* select or pselect6 */
	guint64 at;	      /* poll: the array; select: unused */
	guint64 sets[3];      /* select: readfds, writefds, exceptfds (0: none) */
	int n;		      /* poll: nfds; select: nfds */
	struct pollfd *want;  /* n entries (owned) */
	gboolean *tty;	      /* n entries: want[i] is the terminal (owned) */
} PollAsk;

static void ask_clear(PollAsk *q)
{
	g_free(q->want);
	g_free(q->tty);
}

static gboolean ask_read(const SimGuest *g, const struct seccomp_notif *nf, PollAsk *q)
{
	const __u64 *a = nf->data.args;
	memset(q, 0, sizeof *q);
	q->sel = nf->data.nr == __NR_select || nf->data.nr == __NR_pselect6;
	q->n = (int)a[q->sel ? 0 : 1];
	if (q->n < 0 || q->n > POLL_MAX)
		return FALSE;
	q->want = g_new0(struct pollfd, q->n ? q->n : 1);
	q->tty = g_new0(gboolean, q->n ? q->n : 1);
	if (!q->sel) {
		q->at = a[0];
		return sim_exec_read(g, q->at, q->want, sizeof *q->want * (gsize)q->n);
	}
	static const short ev[3] = { POLLIN, POLLOUT, POLLPRI };
	for (int i = 0; i < q->n; i++)
		q->want[i].fd = -1;
	for (int k = 0; k < 3; k++) {
		q->sets[k] = a[1 + k];
		fd_set set;
		gsize bytes = ((gsize)q->n + 63) / 64 * 8;
		if (!q->sets[k])
			continue;
		if (!sim_exec_read(g, q->sets[k], &set, bytes))
			return FALSE;
		for (int i = 0; i < q->n; i++)
			if (FD_ISSET(i, &set)) {
				q->want[i].fd = i;
				q->want[i].events |= ev[k];
			}
	}
	return TRUE;
}

/* What the terminal answers: readable (a line is left, or a read would return 0 at once, at
 * the end of the input as without one) and writable, always; nothing exceptional. */
static short tty_revents(short events)
{
	return events & (POLLIN | POLLRDNORM | POLLOUT | POLLWRNORM);
}

/* Whether q waits on the terminal for something it always has (then msgsim answers it in
 * the schedule, since the kernel's terminal, which nobody types into, would never be
 * readable); q->tty marks the terminal's entries. */
static gboolean asks_terminal(SimExec *x, SimGuest *g, PollAsk *q)
{
	gboolean any = FALSE;
	for (int i = 0; i < q->n; i++) {
		const struct pollfd *p = &q->want[i];
		q->tty[i] = p->fd >= 0 && reads_terminal(x, g, p->fd);
		any |= q->tty[i] && tty_revents(p->events) != 0;
	}
	return any;
}

static const char *poll_name(int nr)
{
	return nr == __NR_poll ? "poll" : nr == __NR_ppoll ? "ppoll"
				       : nr == __NR_select ? "select" : "pselect6";
}

void sim_exec_serve_poll(SimExec *x, SimGuest *g)
{
	PollAsk q;
	if (!ask_read(g, &g->notif, &q) || !asks_terminal(x, g, &q)) {
		ask_clear(&q); /* it changed since it arrived: the kernel's */
		sim_exec_answer(x, g, 0, 0, TRUE);
		return;
	}
	struct pollfd *want = q.want;
	/* The other descriptors as they are now, through copies taken by the guest's pidfd
	 * (the terminal is ready, so the call returns at once: no waiting for them). */
	struct pollfd *now = g_new0(struct pollfd, q.n ? q.n : 1);
	g_autofree struct pollfd *own = now;
	for (int i = 0; i < q.n; i++) {
		now[i] = (struct pollfd){ .fd = -1, .events = want[i].events };
		if (want[i].fd >= 0 && !q.tty[i]) {
			now[i].fd = (int)syscall(__NR_pidfd_getfd, g->pidfd, want[i].fd, 0);
			if (now[i].fd < 0)
				now[i].fd = INT_MIN; /* not open: POLLNVAL, or select's EBADF */
		}
	}
	for (int i = 0; i < q.n; i++)
		if (now[i].fd >= 0)
			(void)!poll(&now[i], 1, 0);
	int ready = 0, err = 0;
	for (int i = 0; i < q.n; i++) {
		if (now[i].fd >= 0)
			close(now[i].fd);
		if (q.tty[i])
			now[i].revents = tty_revents(want[i].events);
		else if (now[i].fd == INT_MIN)
			now[i].revents = POLLNVAL;
		else if (want[i].fd < 0)
			now[i].revents = 0;
		if (q.sel && now[i].fd == INT_MIN)
			err = EBADF;
	}
	if (!q.sel) {
		for (int i = 0; i < q.n; i++) {
			want[i].revents = now[i].revents;
			ready += now[i].revents != 0;
		}
		if (!sim_exec_write(g, q.at, want, sizeof *want * (gsize)q.n))
			err = EFAULT;
	} else if (!err) {
		/* The kernel's POLLIN_SET, POLLOUT_SET and POLLEX_SET (fs/select.c). */
		static const short in[3] = { POLLIN | POLLRDNORM | POLLHUP | POLLERR,
					     POLLOUT | POLLWRNORM | POLLERR, POLLPRI };
		for (int k = 0; k < 3; k++) {
			if (!q.sets[k])
				continue;
			fd_set set;
			FD_ZERO(&set);
			for (int i = 0; i < q.n; i++) {
				short bit = k == 0 ? POLLIN : k == 1 ? POLLOUT : POLLPRI;
				if (want[i].fd >= 0 && (want[i].events & bit) &&
				    (now[i].revents & in[k])) {
					FD_SET(want[i].fd, &set);
					ready++;
				}
			}
			if (!sim_exec_write(g, q.sets[k], &set, ((gsize)q.n + 63) / 64 * 8))
				err = EFAULT;
		}
	}
	const char *why = x->input_at < x->opt->input_len ? "a line is left"
			  : x->opt->input			 ? "end of input: a read returns 0"
							 : "end of file: no --input";
	if (err)
		sim_exec_trace(x, g, "%s(%d) = -1 %s (%s)", poll_name(g->notif.data.nr), q.n,
			       strerrorname_np(err), g_strerror(err));
	else
		sim_exec_trace(x, g, "%s(%d) = %d: the terminal is ready (%s)",
			       poll_name(g->notif.data.nr), q.n, ready, why);
	ask_clear(&q);
	sim_exec_answer(x, g, err ? -1 : ready, err, FALSE);
}

gboolean sim_exec_read_at_once(SimExec *x, SimGuest *g, const struct seccomp_notif *nf)
{
	if (sim_exec_is_poll(nf->data.nr)) {
		/* One that waits on the terminal parks; any other is the kernel's at once. */
		PollAsk q;
		gboolean tty = ask_read(g, nf, &q) && asks_terminal(x, g, &q);
		ask_clear(&q);
		if (tty)
			return FALSE;
		struct seccomp_notif_resp r = { .id = nf->id,
						.flags = SECCOMP_USER_NOTIF_FLAG_CONTINUE };
		(void)!ioctl(g->listener, SECCOMP_IOCTL_NOTIF_SEND, &r);
		return TRUE;
	}
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
