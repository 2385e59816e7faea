/* real_exec.c — the real-kernel runner's exec: what execve(2) does to a process, as far as a
 * scenario can see it, done by the worker to itself.
 *
 * The design choice to know: a worker is a fork that never execs (real.c), and a real
 * execve would end its lifeline thread and the memory its command loop and its shm table
 * live in. So the worker makes the exec's effects itself, each by the kernel's own rule and
 * the kernel's own state: it asks the kernel (F_GETFD) which of the scenario's descriptors
 * (those below SIM_REAL_FD_BASE) carry FD_CLOEXEC and closes exactly those, in ascending
 * order as do_close_on_exec does; it sets every standard signal whose action is a handler
 * back to SIG_DFL (flush_signal_handlers; an ignored one stays ignored, and glibc's own
 * real-time signals are left alone); and it detaches every shm attachment, as dropping the
 * old image does. What the cross-check compares is therefore not the kernel's execve but
 * the state it starts from and the state it leaves: which descriptors the kernel says are
 * close-on-exec (their count is the answer), and every later call on them (EBADF), on the
 * pipes they held (end of file, EPIPE), on the signals (the default action) and on the
 * segments (shm_nattch).
 */
#undef _POSIX_C_SOURCE
#define _GNU_SOURCE

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "real/real_int.h"

static gint64 exec_exec(const SimRealSandbox *sb, const SimRealCall *c, const char *data,
			SimRealResult *r, GString *out, int *err)
{
	(void)sb, (void)c, (void)data, (void)r;
	gint64 n = 0;
	for (int fd = 0; fd < SIM_REAL_FD_BASE; fd++) {
		int fl = fcntl(fd, F_GETFD);
		if (fl < 0 || !(fl & FD_CLOEXEC))
			continue;
		close(fd);
		g_string_append_printf(out, "%s%d", n++ ? " " : "", fd);
	}
	for (int sig = 1; sig < 32; sig++) {
		struct sigaction old;
		if (sig == SIGKILL || sig == SIGSTOP || sigaction(sig, NULL, &old) < 0)
			continue;
		if (old.sa_handler == SIG_DFL || old.sa_handler == SIG_IGN)
			continue;
		struct sigaction dfl;
		memset(&dfl, 0, sizeof(dfl));
		dfl.sa_handler = SIG_DFL;
		sigemptyset(&dfl.sa_mask);
		sigaction(sig, &dfl, NULL);
	}
	sim_real_shm_detach_all();
	sim_real_caught_reset();
	*err = 0;
	return n;
}

static const SimRealOpRow exec_rows[] = {
	{ SIM_REAL_EXEC, "execve", exec_exec },
};

const SimRealBackend sim_real_exec_backend = { "exec", exec_rows, G_N_ELEMENTS(exec_rows) };
