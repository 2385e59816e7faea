/* real.c — the real-kernel side of a cross-check: a sandbox, worker processes that make one
 * real system call per command, and the /proc probes that tell whether a worker is blocked.
 *
 * The design choice to know: a worker is a plain fork of the coordinator that never execs.
 * It parks its two command pipes at SIM_REAL_FD_BASE and SIM_REAL_FD_BASE + 1, closes every
 * other descriptor above 2, and then does nothing but read a SimRealCall, make exactly that
 * one system call, and write a SimRealResult. So while a worker is blocked, its
 * /proc/PID/syscall names the scenario's call, and the descriptors the scenario opens are
 * numbered 3, 4, ... as in the model. The one other place a worker sleeps is its idle
 * read of the next command (and, for a large result, its write back): the probes know those
 * two descriptors and never report them. Which system call a command makes, and how, is
 * not this file's business: each is one row of the ops table (real_int.h), kept in a backend
 * file per API and run by sim_real_exec (real_ops.c). This file is the machinery around them.
 *
 * Everything the parent waits for has a deadline; a worker that misses one is killed with
 * SIGKILL and reaped. Workers die with the sandbox process (a spawned one by
 * PR_SET_PDEATHSIG, every one by its lifeline, below), so killing it takes its workers,
 * and with them the IPC namespace, along.
 *
 * A scenario's fork is a worker's fork: the coordinator makes the child's command pipes in
 * advance (sim_real_worker_prepare) and hands their far ends to the future parent worker,
 * which keeps them as channel slots at SIM_REAL_FD_BASE + 4 and up. SIM_REAL_FORK of slot k
 * forks; the child moves slot k onto its own command descriptors, closes the other slots and
 * runs the worker loop, and the coordinator talks to it as to any worker (adopted: it is not
 * the coordinator's child, so the coordinator never reaps it).
 *
 * A forked child must outlive a parent that exits, as in the kernel, so it cannot die with
 * its parent; it dies with the sandbox instead. Every worker holds the read end of the
 * sandbox's lifeline pipe (at LIFE_FD) and runs one more thread, which only reads it and,
 * at end of file - the sandbox's process, the one holder of the write end, is gone - kills
 * the worker with SIGKILL. That thread blocks every signal but SIGRTMAX, so the scenario's
 * signals all go to the thread making the calls, whose /proc files the probes read; SIGRTMAX
 * is the coordinator's request to let the process's alarm come due (real_alarm.c).
 *
 * Stop signals (SIGINT, SIGTERM, SIGHUP) reach the runner through a self-pipe: the handler
 * does nothing but note the signal and write one byte, and the waits below poll the pipe
 * beside what they wait for, so a stop ends any wait at once and without a race.
 */
#undef _POSIX_C_SOURCE
#define _GNU_SOURCE

#include "msgsim/real/real.h"

#include <errno.h>
#include <fcntl.h>
#include <dirent.h>
#include <poll.h>
#include <pthread.h>
#include <semaphore.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "real/real_int.h"

#define CMD_FD SIM_REAL_FD_BASE
#define RES_FD (SIM_REAL_FD_BASE + 1)
#define LIFE_FD (SIM_REAL_FD_BASE + 2) /* the sandbox's lifeline, read end */
#define DIR_FD (SIM_REAL_FD_BASE + 3)  /* the sandbox's directory: every path call's start */
/* Channel slot k of a parent worker: its child's command pipe ends. */
#define SLOT_CMD_FD(k) (SIM_REAL_FD_BASE + 4 + 2 * (k))
#define SLOT_RES_FD(k) (SIM_REAL_FD_BASE + 5 + 2 * (k))
/* After end of file on a result pipe the worker is exiting: it is reaped within this. */
#define REAP_GRACE_US 1000000

G_DEFINE_QUARK(msgsim - real - error - quark, sim_real_error)

/* ---- Descriptor I/O ---- */

/* Writes all n bytes, retrying after signals. 0 or an errno value. */
int sim_real_write_all(int fd, const void *buf, size_t n)
{
	const char *p = buf;
	while (n > 0) {
		ssize_t k = write(fd, p, n);
		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0)
			return errno;
		p += k;
		n -= (size_t)k;
	}
	return 0;
}

/* Reads all n bytes, retrying after signals. FALSE on end of file or an error. */
static gboolean read_all(int fd, void *buf, size_t n)
{
	char *p = buf;
	while (n > 0) {
		ssize_t k = read(fd, p, n);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			return FALSE;
		p += k;
		n -= (size_t)k;
	}
	return TRUE;
}

/* The parent writes to a worker that may have died: a write to a pipe without a reader
 * raises SIGPIPE, which would kill the coordinator. Block it around the write and swallow
 * the one the write raised (only if it was not already pending for someone else). */
static int write_nosigpipe(int fd, const void *buf, size_t n)
{
	sigset_t pipe_set, old, pending;
	sigemptyset(&pipe_set);
	sigaddset(&pipe_set, SIGPIPE);
	pthread_sigmask(SIG_BLOCK, &pipe_set, &old);
	sigemptyset(&pending);
	sigpending(&pending);
	gboolean was_pending = sigismember(&pending, SIGPIPE) == 1;
	int err = sim_real_write_all(fd, buf, n);
	if (err == EPIPE && !was_pending) {
		const struct timespec zero = { 0, 0 };
		while (sigtimedwait(&pipe_set, NULL, &zero) < 0 && errno == EINTR)
			;
	}
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	return err;
}

/* ---- Stop signals ---- */

static const int stop_signals[3] = { SIGINT, SIGTERM, SIGHUP };
static volatile sig_atomic_t stop_signo;    /* the first one caught, 0 before */
static volatile sig_atomic_t stop_wfd = -1; /* the self-pipe's write end, for the handler */
static int stop_rfd = -1;		    /* its read end: readable while a stop is pending */
static gboolean stop_ours[3];		    /* the handler is installed for stop_signals[i] */
static struct sigaction stop_old[3];	    /* ... and this was the action before */

/* Async-signal-safe: a flag and a write(2), errno kept. A full pipe is signal enough. */
static void on_stop(int signo)
{
	int saved = errno;
	if (stop_signo == 0)
		stop_signo = signo;
	int fd = stop_wfd;
	if (fd >= 0) {
		ssize_t n = write(fd, "s", 1);
		(void)n;
	}
	errno = saved;
}

static gboolean stop_pipe(void)
{
	int fds[2];
	if (pipe2(fds, O_CLOEXEC | O_NONBLOCK) < 0)
		return FALSE;
	stop_rfd = fds[0];
	stop_wfd = fds[1];
	return TRUE;
}

static void stop_close(void)
{
	int w = stop_wfd;
	stop_wfd = -1;
	if (w >= 0)
		close(w);
	if (stop_rfd >= 0)
		close(stop_rfd);
	stop_rfd = -1;
}

void sim_real_stop_block(gboolean block)
{
	sigset_t set;
	sigemptyset(&set);
	for (guint i = 0; i < G_N_ELEMENTS(stop_signals); i++)
		sigaddset(&set, stop_signals[i]);
	pthread_sigmask(block ? SIG_BLOCK : SIG_UNBLOCK, &set, NULL);
}

gboolean sim_real_stop_catch(void)
{
	g_return_val_if_fail(stop_rfd < 0, FALSE);
	stop_signo = 0;
	if (!stop_pipe())
		return FALSE;
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_stop;
	sa.sa_flags = SA_RESTART; /* only the waits that watch the pipe need to know */
	sigemptyset(&sa.sa_mask);
	for (guint i = 0; i < G_N_ELEMENTS(stop_signals); i++)
		sigaddset(&sa.sa_mask, stop_signals[i]);
	for (guint i = 0; i < G_N_ELEMENTS(stop_signals); i++) {
		stop_ours[i] = FALSE;
		if (sigaction(stop_signals[i], NULL, &stop_old[i]) < 0 ||
		    stop_old[i].sa_handler == SIG_IGN)
			continue; /* nohup, a background job: ignored it stays */
		stop_ours[i] = sigaction(stop_signals[i], &sa, NULL) == 0;
	}
	return TRUE;
}

gboolean sim_real_stop_renew(void)
{
	stop_close();
	return stop_pipe();
}

void sim_real_stop_release(void)
{
	for (guint i = 0; i < G_N_ELEMENTS(stop_signals); i++) {
		if (stop_ours[i])
			sigaction(stop_signals[i], &stop_old[i], NULL);
		stop_ours[i] = FALSE;
	}
	stop_close();
	stop_signo = 0;
}

int sim_real_stop_signal(void)
{
	return stop_signo;
}

int sim_real_stop_fd(void)
{
	return stop_rfd;
}

void sim_real_stop_ack(void)
{
	char buf[64];
	if (stop_rfd < 0)
		return;
	while (read(stop_rfd, buf, sizeof(buf)) > 0)
		;
}

gboolean sim_real_stop_pause(gint64 us)
{
	struct pollfd pfd = { .fd = stop_rfd, .events = POLLIN };
	gint64 deadline = g_get_monotonic_time() + MAX(us, 0);
	for (;;) {
		gint64 left = deadline - g_get_monotonic_time();
		struct timespec ts = { .tv_sec = (time_t)(MAX(left, 0) / G_USEC_PER_SEC),
				       .tv_nsec = (long)(MAX(left, 0) % G_USEC_PER_SEC * 1000) };
		int k = ppoll(&pfd, 1, &ts, NULL);
		if (k > 0)
			return FALSE;
		if (k == 0 || (k < 0 && errno != EINTR) || left <= 0)
			return TRUE;
	}
}

/* ---- Reading with a deadline ---- */

typedef enum IoStatus { IO_OK, IO_EOF, IO_SHORT, IO_TIMEOUT, IO_ERROR, IO_STOPPED } IoStatus;

/* Reads n bytes before the monotonic deadline (microseconds). IO_EOF: nothing was read;
 * IO_SHORT: end of file in the middle; IO_STOPPED (only when stoppable): a stop signal is
 * pending and nothing was read yet - what was begun is read to its end. */
static IoStatus read_deadline(int fd, void *buf, size_t n, gint64 deadline, gboolean stoppable)
{
	char *p = buf;
	size_t done = 0;
	while (done < n) {
		gint64 left = deadline - g_get_monotonic_time();
		int ms = left <= 0 ? 0 : (int)MIN((left + 999) / 1000, (gint64)G_MAXINT);
		struct pollfd pfd[2] = { { .fd = fd, .events = POLLIN },
					 { .fd = stoppable && done == 0 ? stop_rfd : -1,
					   .events = POLLIN } };
		int k = poll(pfd, 2, ms);
		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0)
			return IO_ERROR;
		if (pfd[0].revents == 0 && (pfd[1].revents & POLLIN) != 0)
			return IO_STOPPED; /* the answer, when it is there too, goes first */
		if (k == 0) {
			if (left <= 0)
				return IO_TIMEOUT;
			continue;
		}
		ssize_t m = read(fd, p + done, n - done);
		if (m < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (m < 0)
			return IO_ERROR;
		if (m == 0)
			return done == 0 ? IO_EOF : IO_SHORT;
		done += (size_t)m;
	}
	return IO_OK;
}

/* ---- The worker side: its own state, who to die with ---- */

/* The process this worker dies with (0 outside a worker, and in a forked one, which has
 * only the lifeline): a credential change clears PR_SET_PDEATHSIG, and SIM_REAL_SETUP sets
 * it again. */
static pid_t worker_parent;

pid_t sim_real_worker_parent(void)
{
	return worker_parent;
}

/* Posted by the lifeline thread once it runs (lifeline_start waits for it). */
static sem_t lifeline_running;

/* The lifeline thread: the worker ends when the sandbox's process is gone. */
static void *lifeline_watch(void *arg)
{
	(void)arg;
	sim_real_alarm_lifeline(); /* the one thread the coordinator's SIGRTMAX reaches */
	sem_post(&lifeline_running);
	char c;
	ssize_t n;
	do
		n = read(LIFE_FD, &c, 1);
	while (n > 0 || (n < 0 && errno == EINTR));
	kill(getpid(), SIGKILL);
	return NULL;
}

/* Starts it with every signal blocked (it inherits the mask it is made with), and returns
 * once it runs: a thread still being set up may hold a lock of the allocator (AddressSanitizer
 * takes one for the new thread's stack), and a fork then (SIM_REAL_FORK comes at once) gives
 * the child a lock nobody will release - its own lifeline thread hung on it, and the child
 * outlived the sandbox. */
static gboolean lifeline_start(void)
{
	if (sem_init(&lifeline_running, 0, 0) < 0)
		return FALSE;
	sigset_t all, old;
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &old);
	pthread_attr_t attr;
	pthread_t th;
	int err = pthread_attr_init(&attr);
	if (err == 0)
		err = pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	if (err == 0)
		err = pthread_create(&th, &attr, lifeline_watch, NULL);
	pthread_attr_destroy(&attr);
	sim_real_alarm_worker(&old);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	while (err == 0 && sem_wait(&lifeline_running) < 0 && errno == EINTR)
		;
	return err == 0;
}
static _Noreturn void worker_loop(const SimRealSandbox *sb);
static void close_from(unsigned first, unsigned last);

/* The child of SIM_REAL_FORK: slot k becomes its command pipes, slots k+1 .. k+n stay
 * (its own children's, to fork later), the other slots go, and it serves commands from
 * there on. Everything else is as fork left it: the scenario's descriptors, signal
 * dispositions, credentials and limits. It outlives its parent, as the kernel's child does,
 * and dies with the sandbox (its own lifeline thread: fork copies only the caller's). */
static _Noreturn void fork_child(const SimRealSandbox *sb, int k, int n)
{
	worker_parent = 0;
	sim_real_siglog_reset();
	/* A lowered RLIMIT_NOFILE (SIM_REAL_SETUP) would refuse the dup2: raise it for the
	 * move only. */
	struct rlimit old, rl;
	gboolean raised = FALSE;
	if (getrlimit(RLIMIT_NOFILE, &old) == 0 && old.rlim_cur < (rlim_t)RES_FD + 1) {
		rl = old;
		rl.rlim_cur = (rlim_t)RES_FD + 1;
		if (setrlimit(RLIMIT_NOFILE, &rl) < 0)
			_exit(127);
		raised = TRUE;
	}
	if (dup2(SLOT_CMD_FD(k), CMD_FD) < 0 || dup2(SLOT_RES_FD(k), RES_FD) < 0)
		_exit(127);
	/* Another worker's pipe end kept here would hide that worker's death (no EOF). */
	close_from(DIR_FD + 1, (unsigned)SLOT_CMD_FD(k + 1) - 1);
	close_from((unsigned)SLOT_CMD_FD(k + 1 + n), ~0U);
	if (raised && setrlimit(RLIMIT_NOFILE, &old) < 0)
		_exit(127);
	if (!lifeline_start())
		_exit(127);
	worker_loop(sb);
}

/* SIM_REAL_FORK, for the proc backend: checks that slot k is there, then forks. */
gint64 sim_real_worker_fork(const SimRealSandbox *sb, gint64 k, gint64 n, int *err)
{
	if (k < 0 || k > 4096 || n < 0 || n > 4096 - k || fcntl(SLOT_CMD_FD((int)k), F_GETFD) < 0 ||
	    fcntl(SLOT_RES_FD((int)k), F_GETFD) < 0) {
		*err = EBADF; /* no such channel (or it was used already) */
		return -1;
	}
	pid_t pid = fork();
	if (pid == 0)
		fork_child(sb, (int)k, (int)n);
	*err = errno;
	if (pid < 0)
		return -1;
	/* The channels went with the child: slot k and its children's. */
	for (int j = (int)k; j <= (int)(k + n); j++) {
		close(SLOT_CMD_FD(j));
		close(SLOT_RES_FD(j));
	}
	return pid;
}

/* ---- Threads: a scenario's thread is a thread of its process's worker ---- */

/* What a new thread worker is given, and how it tells its creator its tid. */
typedef struct ThreadStart {
	const SimRealSandbox *sb;
	int cmd, res; /* its command pipes: the slot's channel */
	sem_t running;
	pid_t tid;
} ThreadStart;

/* The thread's loop, as worker_loop but on its own channel: SIM_REAL_EXIT ends the whole
 * process (exit_group, as exit does in any thread); SIM_REAL_THREAD_END, or the coordinator
 * closing the channel, ends only the thread, which closes its channel first so that the
 * coordinator sees it go. */
static void *thread_worker(void *arg)
{
	ThreadStart *ts = arg;
	const SimRealSandbox *sb = ts->sb;
	int cmd = ts->cmd, res = ts->res;
	ts->tid = (pid_t)syscall(SYS_gettid);
	sem_post(&ts->running); /* ts is the creator's from here on */
	char *in = g_malloc(SIM_REAL_DATA_MAX + 1);
	GString *out = g_string_sized_new(256);
	for (;;) {
		SimRealCall c;
		SimRealResult r;
		if (!read_all(cmd, &c, sizeof(c)))
			break;
		if (c.len > SIM_REAL_DATA_MAX || !read_all(cmd, in, c.len))
			_exit(127);
		in[c.len] = '\0';
		g_string_truncate(out, 0);
		sim_real_exec(sb, &c, in, &r, out);
		if (sim_real_write_all(res, &r, sizeof(r)) != 0 ||
		    sim_real_write_all(res, out->str, r.len) != 0)
			_exit(127);
		if (c.op == SIM_REAL_EXIT)
			_exit((int)c.a[0]);
		if (c.op == SIM_REAL_THREAD_END)
			break;
	}
	g_free(in);
	g_string_free(out, TRUE);
	close(cmd);
	close(res);
	return NULL;
}

/* SIM_REAL_THREAD: a thread that serves slot k. It blocks every signal but SIGPIPE, so that
 * a signal sent to the process goes to its main thread, as the model delivers it, while a
 * write of its own into a broken pipe still raises SIGPIPE in it. Returns once the thread
 * runs (a fork right after must not find it holding a lock of the allocator). */
gint64 sim_real_worker_thread(const SimRealSandbox *sb, gint64 k, int *err)
{
	if (k < 0 || k > 4096 || fcntl(SLOT_CMD_FD((int)k), F_GETFD) < 0 ||
	    fcntl(SLOT_RES_FD((int)k), F_GETFD) < 0) {
		*err = EBADF;
		return -1;
	}
	ThreadStart ts = { .sb = sb, .cmd = SLOT_CMD_FD((int)k), .res = SLOT_RES_FD((int)k) };
	if (sem_init(&ts.running, 0, 0) < 0) {
		*err = errno;
		return -1;
	}
	sigset_t all, old;
	sigfillset(&all);
	sigdelset(&all, SIGPIPE);
	pthread_sigmask(SIG_BLOCK, &all, &old);
	pthread_attr_t attr;
	pthread_t th;
	int e = pthread_attr_init(&attr);
	if (e == 0)
		e = pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	if (e == 0)
		e = pthread_create(&th, &attr, thread_worker, &ts);
	pthread_attr_destroy(&attr);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	while (e == 0 && sem_wait(&ts.running) < 0 && errno == EINTR)
		;
	sem_destroy(&ts.running);
	*err = e;
	return e ? -1 : ts.tid;
}

static void close_from(unsigned first, unsigned last)
{
	if (first > last)
		return;
	if (close_range(first, last, 0) == 0)
		return;
	long max = sysconf(_SC_OPEN_MAX);
	unsigned top = max < 0 || max > 65536 ? 65536 : (unsigned)max;
	for (unsigned fd = first; fd <= last && fd < top; fd++)
		close((int)fd);
}

/* The highest descriptor a worker with n_slots channel slots uses, plus one; and the soft
 * RLIMIT_NOFILE it needs while it moves them there (parked above, every one at once). */
static rlim_t fds_top(guint n_slots)
{
	return (rlim_t)DIR_FD + 1 + 2 * (rlim_t)n_slots;
}

static rlim_t fds_need(guint n_slots)
{
	return fds_top(n_slots) + 4 + 2 * (rlim_t)n_slots + 16;
}

guint64 sim_real_worker_fds_needed(guint n_kids)
{
	return (guint64)fds_need(n_kids);
}

/* Moves the two command pipe ends to CMD_FD and RES_FD, the lifeline to LIFE_FD, the
 * sandbox directory to DIR_FD and the n_slots channel pairs in slots (cmd, res, cmd,
 * res...) to SLOT_CMD_FD(k) and SLOT_RES_FD(k), closes every other descriptor above 2 and
 * fills a closed 0-2 with /dev/null, so that the scenario's descriptors start at 3. */
static gboolean worker_fds(int cmd_fd, int res_fd, int life_fd, int dir_fd, const int *slots,
			   guint n_slots)
{
	const rlim_t top = fds_top(n_slots);
	struct rlimit rl;
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < fds_need(n_slots)) {
		rl.rlim_cur = MIN(fds_need(n_slots), rl.rlim_max);
		if (setrlimit(RLIMIT_NOFILE, &rl) < 0)
			return FALSE;
	}
	/* Park every end at top and above first: any may sit on another's target. */
	guint n = 4 + 2 * n_slots;
	g_autofree int *parked = g_new(int, n);
	for (guint i = 0; i < n; i++) {
		int fd = i == 0	  ? cmd_fd
			 : i == 1 ? res_fd
			 : i == 2 ? life_fd
			 : i == 3 ? dir_fd
				  : slots[i - 4];
		parked[i] = fcntl(fd, F_DUPFD, (int)top);
		if (parked[i] < 0)
			return FALSE;
		close(fd);
	}
	for (guint i = 0; i < n; i++) {
		if (dup2(parked[i], CMD_FD + (int)i) < 0)
			return FALSE;
	}
	close_from(3, CMD_FD - 1);
	close_from((unsigned)top, ~0U);
	for (int fd = 0; fd <= 2; fd++) {
		if (fcntl(fd, F_GETFD) < 0 && errno == EBADF && open("/dev/null", O_RDWR) != fd)
			return FALSE;
	}
	return TRUE;
}

static void worker_signals(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = SIG_DFL;
	sigemptyset(&sa.sa_mask);
	for (int s = 1; s < NSIG; s++)
		sigaction(s, &sa, NULL); /* fails harmlessly for SIGKILL, SIGSTOP, glibc's own */
	sigset_t none;
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	/* A scenario may kill a worker with SIGSEGV or SIGABRT, whose default dumps core: no
	 * core file may land in the sandbox (or anywhere), as the model writes none. */
	struct rlimit nocore = { 0, 0 };
	setrlimit(RLIMIT_CORE, &nocore);
}

/* Serves commands until the coordinator closes the pipe or SIM_REAL_EXIT. It only ever
 * leaves through _exit: no atexit handler, stdio flush or leak check of the parent's image
 * runs in it. The child of a SIM_REAL_FORK runs its own loop from inside the parent's
 * sim_real_exec and never answers that call: the parent does. */
static _Noreturn void worker_loop(const SimRealSandbox *sb)
{
	char *in = g_malloc(SIM_REAL_DATA_MAX + 1);
	GString *out = g_string_sized_new(256);
	for (;;) {
		SimRealCall c;
		SimRealResult r;
		sim_real_caught_hold(TRUE); /* idle: a caught signal waits for the next call */
		if (!read_all(CMD_FD, &c, sizeof(c)))
			_exit(0); /* the coordinator closed the pipe: nothing more to do */
		if (c.len > SIM_REAL_DATA_MAX || !read_all(CMD_FD, in, c.len))
			_exit(127);
		in[c.len] = '\0';
		sim_real_caught_hold(FALSE); /* its handler runs now, before the call */
		g_string_truncate(out, 0);
		sim_real_exec(sb, &c, in, &r, out);
		sim_real_siglog_take(&r); /* the main thread's answers only: see real_proc.c */
		if (sim_real_write_all(RES_FD, &r, sizeof(r)) != 0 ||
		    sim_real_write_all(RES_FD, out->str, r.len) != 0)
			_exit(127);
		if (c.op == SIM_REAL_EXIT)
			_exit((int)c.a[0]);
	}
}

/* The worker's whole life, from the fork in sim_real_worker_spawn_family. */
static _Noreturn void worker_main(const SimRealSandbox *sb, pid_t parent, int cmd_fd, int res_fd,
				  const int *slots, guint n_slots)
{
	if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0 || getppid() != parent)
		_exit(127);
	worker_parent = parent;
	if (!worker_fds(cmd_fd, res_fd, sb->life_r, sb->dir_fd, slots, n_slots))
		_exit(127);
	worker_signals();
	if (!lifeline_start())
		_exit(127);
	/* The worker's own copy, which knows where its directory descriptor went. */
	SimRealSandbox own = *sb;
	own.dir_fd = DIR_FD;
	worker_loop(&own);
}

/* ---- The parent side ---- */

static void worker_init(SimRealWorker *wk)
{
	memset(wk, 0, sizeof(*wk));
	wk->cmd_fd = wk->res_fd = wk->far_cmd = wk->far_res = -1;
	wk->status = -1;
}

/* The two pipes of a worker: cmd[1] and res[0] are the caller's ends, cmd[0] and res[1] the
 * worker's. All close-on-exec in the caller. */
static gboolean worker_pipes(int cmd[2], int res[2], GError **error)
{
	if (pipe2(cmd, O_CLOEXEC) < 0) {
		g_set_error(error, SIM_REAL_ERROR, SIM_REAL_ERROR_WORKER,
			    "cannot start a worker: pipe: %s", g_strerror(errno));
		return FALSE;
	}
	if (pipe2(res, O_CLOEXEC) < 0) {
		int err = errno;
		close(cmd[0]);
		close(cmd[1]);
		g_set_error(error, SIM_REAL_ERROR, SIM_REAL_ERROR_WORKER,
			    "cannot start a worker: pipe: %s", g_strerror(err));
		return FALSE;
	}
	return TRUE;
}

gboolean sim_real_worker_prepare(SimRealWorker *wk, GError **error)
{
	g_return_val_if_fail(wk != NULL, FALSE);
	g_return_val_if_fail(error == NULL || *error == NULL, FALSE);

	worker_init(wk);
	int cmd[2], res[2];
	if (!worker_pipes(cmd, res, error))
		return FALSE;
	wk->cmd_fd = cmd[1];
	wk->res_fd = res[0];
	wk->far_cmd = cmd[0];
	wk->far_res = res[1];
	return TRUE;
}

void sim_real_worker_adopt(SimRealWorker *wk, pid_t pid)
{
	g_return_if_fail(wk != NULL && wk->pid == 0 && pid > 0);
	wk->pid = pid;
	wk->own_child = FALSE;
	wk->status = -1;
}

gboolean sim_real_worker_spawn(SimRealWorker *wk, const SimRealSandbox *sb, GError **error)
{
	return sim_real_worker_spawn_family(wk, sb, NULL, 0, error);
}

gboolean sim_real_worker_spawn_family(SimRealWorker *wk, const SimRealSandbox *sb,
				      SimRealWorker *const *kids, guint n_kids, GError **error)
{
	g_return_val_if_fail(wk != NULL, FALSE);
	g_return_val_if_fail(sb != NULL && sb->dir_fd >= 0 && sb->life_r >= 0, FALSE);
	g_return_val_if_fail(n_kids == 0 || kids != NULL, FALSE);
	g_return_val_if_fail(error == NULL || *error == NULL, FALSE);
	for (guint k = 0; k < n_kids; k++) {
		g_return_val_if_fail(kids[k] != NULL && kids[k] != wk && kids[k]->pid == 0 &&
					     kids[k]->far_cmd >= 0 && kids[k]->far_res >= 0,
				     FALSE);
	}

	worker_init(wk);
	struct rlimit rl;
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_max < fds_top(n_kids) + 2 * n_kids + 2) {
		g_set_error(error, SIM_REAL_ERROR, SIM_REAL_ERROR_WORKER,
			    "cannot start a worker: the descriptor limit (%lu) is below %lu",
			    (unsigned long)rl.rlim_max,
			    (unsigned long)(fds_top(n_kids) + 2 * n_kids + 2));
		return FALSE;
	}
	g_autofree int *slots = g_new(int, 2 * (gsize)n_kids + 1);
	for (guint k = 0; k < n_kids; k++) {
		slots[2 * k] = kids[k]->far_cmd;
		slots[2 * k + 1] = kids[k]->far_res;
	}
	int cmd[2], res[2];
	if (!sim_real_alarm_prepare(error) || !sim_real_hkill_prepare(error) ||
	    !worker_pipes(cmd, res, error))
		return FALSE;
	/* The ops table is indexed on first use, under GLib's once-lock: do it here, so that
	 * no worker forked while another thread holds that lock ever needs it. */
	(void)sim_real_op_row(SIM_REAL_EXIT);
	pid_t parent = getpid();
	pid_t pid = fork();
	if (pid == 0)
		worker_main(sb, parent, cmd[0], res[1], slots, n_kids);
	int err = errno;
	close(cmd[0]);
	close(res[1]);
	if (pid < 0) {
		close(cmd[1]);
		close(res[0]);
		g_set_error(error, SIM_REAL_ERROR, SIM_REAL_ERROR_WORKER,
			    "cannot start a worker: fork: %s", g_strerror(err));
		return FALSE;
	}
	/* The worker holds the kids' far ends now: ours would keep their pipes open. */
	for (guint k = 0; k < n_kids; k++) {
		close(kids[k]->far_cmd);
		close(kids[k]->far_res);
		kids[k]->far_cmd = kids[k]->far_res = -1;
	}
	wk->pid = pid;
	wk->own_child = TRUE;
	wk->cmd_fd = cmd[1];
	wk->res_fd = res[0];
	return TRUE;
}

/* Closes whatever pipe ends the caller still holds for the worker. */
static void close_pipes(SimRealWorker *wk)
{
	int *fds[] = { &wk->cmd_fd, &wk->res_fd, &wk->far_cmd, &wk->far_res };
	for (guint i = 0; i < G_N_ELEMENTS(fds); i++) {
		if (*fds[i] >= 0)
			close(*fds[i]);
		*fds[i] = -1;
	}
}

/* The worker is gone: its pipes are closed and status recorded (-1: not known). */
static void mark_gone(SimRealWorker *wk, int status)
{
	close_pipes(wk);
	wk->pid = 0;
	wk->busy = FALSE;
	wk->status = status;
}

/* Kills (unless it is gone already) and reaps the worker when it is the caller's child,
 * closes its pipes and marks it dead. Returns its wait status, or -1 when it could not be
 * reaped (a forked worker is its parent worker's to reap). */
static int finish_worker(SimRealWorker *wk, gboolean kill_it)
{
	int status = -1;
	if (wk->pid > 0) {
		if (kill_it)
			kill(wk->pid, SIGKILL);
		int st = 0;
		pid_t got = -1;
		if (wk->own_child) {
			while ((got = waitpid(wk->pid, &st, 0)) < 0 && errno == EINTR)
				;
		}
		if (got == wk->pid)
			status = st;
	}
	mark_gone(wk, status);
	return status;
}

void sim_real_worker_kill(SimRealWorker *wk)
{
	if (wk != NULL)
		finish_worker(wk, TRUE);
}

/* "exited with status 3", "killed by signal 9 (Killed)". */
static char *describe_status(int status)
{
	if (status < 0)
		return g_strdup("its status is unknown");
	if (WIFEXITED(status))
		return g_strdup_printf("exited with status %d", WEXITSTATUS(status));
	if (WIFSIGNALED(status))
		return g_strdup_printf("killed by signal %d (%s)", WTERMSIG(status),
				       g_strsignal(WTERMSIG(status)));
	return g_strdup_printf("wait status %#x", (unsigned)status);
}

gboolean sim_real_send(SimRealWorker *wk, const SimRealCall *c, const void *data, GError **error)
{
	g_return_val_if_fail(wk != NULL && c != NULL, FALSE);
	g_return_val_if_fail(!wk->busy, FALSE);
	g_return_val_if_fail(c->len <= SIM_REAL_DATA_MAX, FALSE);
	g_return_val_if_fail(c->len == 0 || data != NULL, FALSE);
	g_return_val_if_fail(error == NULL || *error == NULL, FALSE);

	if (wk->pid <= 0 || wk->cmd_fd < 0) {
		g_set_error(error, SIM_REAL_ERROR, SIM_REAL_ERROR_WORKER,
			    "cannot send %s: the worker %s", sim_real_op_name(c->op),
			    wk->pid <= 0 ? "is not running" : "has no pipes");
		return FALSE;
	}
	/* A clean copy: no uninitialized padding goes down the pipe. */
	SimRealCall msg;
	memset(&msg, 0, sizeof(msg));
	msg.op = c->op;
	memcpy(msg.a, c->a, sizeof(msg.a));
	msg.len = c->len;
	int err = write_nosigpipe(wk->cmd_fd, &msg, sizeof(msg));
	if (err == 0 && c->len > 0)
		err = write_nosigpipe(wk->cmd_fd, data, c->len);
	if (err != 0) {
		pid_t pid = wk->pid;
		g_autofree char *how = describe_status(finish_worker(wk, TRUE));
		g_set_error(error, SIM_REAL_ERROR, SIM_REAL_ERROR_WORKER,
			    "cannot send %s to worker %d: %s (the worker %s)",
			    sim_real_op_name(c->op), (int)pid, g_strerror(err), how);
		return FALSE;
	}
	wk->busy = TRUE;
	wk->op = c->op;
	return TRUE;
}

/* Reaps pid (the caller's child) before the monotonic deadline: TRUE with *st set. */
static gboolean reap_by(pid_t pid, gint64 deadline, int *st)
{
	for (gint64 pause_us = 100;; pause_us = MIN(pause_us * 2, 2000)) {
		pid_t got = waitpid(pid, st, WNOHANG);
		if (got < 0 && errno == EINTR)
			continue;
		if (got == pid)
			return TRUE;
		gint64 left = deadline - g_get_monotonic_time();
		if (got < 0 || left <= 0)
			return FALSE;
		g_usleep((gulong)MIN(pause_us, left));
	}
}

static char proc_state(pid_t pid);
static char proc_stat(pid_t pid, pid_t *ppid);
static gboolean proc_ignores_sigchld(pid_t pid);

/* Threads of pid still listed in /proc/PID/task (a zombie leader counts itself). */
static int proc_threads(pid_t pid)
{
	char path[64];
	g_snprintf(path, sizeof(path), "/proc/%d/task", (int)pid);
	DIR *d = opendir(path);
	if (d == NULL)
		return 0;
	int n = 0;
	struct dirent *e;
	while ((e = readdir(d)) != NULL)
		n += g_ascii_isdigit(e->d_name[0]);
	closedir(d);
	return n;
}

gboolean sim_real_pid_zombie(pid_t pid)
{
	char state = proc_state(pid);
	return state == 'Z' || state == 'X';
}

gboolean sim_real_pid_finished(pid_t pid)
{
	pid_t ppid = 0;
	char state = proc_stat(pid, &ppid);
	if (state == 0)
		return TRUE;
	/* The leader is a zombie while its lifeline thread may still be exiting, holding the
	 * process's descriptors (and its children) a moment longer. */
	if ((state != 'Z' && state != 'X') || proc_threads(pid) > 1)
		return FALSE;
	/* A zombie whose parent ignores SIGCHLD is on its way out: the last thread's
	 * release_task finds the parent's SIG_IGN (do_notify_parent's autoreap) and releases
	 * the leader, whose pid stays attached - kill() still finds it - until __exit_signal
	 * unhashes it. Between the last thread leaving /proc/PID/task and that, the process
	 * shows as 'Z' or 'X' with one thread: only its pid's going (no /proc/PID) finishes
	 * it. (A zombie that stays because its parent took up SIG_IGN only after it died would
	 * never finish so; the lockstep asks right after a death, before the parent can.) */
	return !proc_ignores_sigchld(ppid);
}

/* The worker's result pipe reached end of file: it is exiting. Reaps it when it is the
 * caller's child (allowing it a moment past the deadline: end of file comes a moment before
 * the process is a zombie) and marks it gone. FALSE when it did not end in time (it is left
 * as it is). */
static gboolean reap_gone(SimRealWorker *wk, gint64 deadline)
{
	int st = -1;
	if (wk->own_child &&
	    !reap_by(wk->pid, MAX(deadline, g_get_monotonic_time() + REAP_GRACE_US), &st))
		return FALSE;
	mark_gone(wk, st);
	return TRUE;
}

/* After the answer to SIM_REAL_EXIT (in r). A worker that exits is reaped when it is the
 * caller's own child (ret: its exit status as the model gives it) and is gone. */
static gboolean finish_exit(SimRealWorker *wk, gint64 deadline, int timeout_ms, SimRealResult *r,
			    GError **error)
{
	pid_t pid = wk->pid;
	wk->busy = FALSE;
	if (!wk->own_child) {
		mark_gone(wk, -1);
		return TRUE;
	}
	int st = 0;
	if (reap_by(pid, deadline, &st)) {
		mark_gone(wk, st);
		r->ret = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
		return TRUE;
	}
	finish_worker(wk, TRUE);
	g_set_error(error, SIM_REAL_ERROR, SIM_REAL_ERROR_TIMEOUT,
		    "worker %d did not exit within %d ms: killed", (int)pid, timeout_ms);
	return FALSE;
}

gboolean sim_real_recv(SimRealWorker *wk, int timeout_ms, SimRealResult *r, char **data,
		       GError **error)
{
	g_return_val_if_fail(wk != NULL && r != NULL, FALSE);
	g_return_val_if_fail(wk->busy && wk->pid > 0 && wk->res_fd >= 0, FALSE);
	g_return_val_if_fail(timeout_ms >= 0, FALSE);
	g_return_val_if_fail(error == NULL || *error == NULL, FALSE);

	if (data != NULL)
		*data = NULL;
	memset(r, 0, sizeof(*r));
	const char *op = sim_real_op_name(wk->op);
	pid_t pid = wk->pid;
	gint64 deadline = g_get_monotonic_time() + (gint64)timeout_ms * 1000;

	IoStatus st = read_deadline(wk->res_fd, r, sizeof(*r), deadline, TRUE);
	g_autofree char *buf = NULL;
	if (st == IO_OK && r->len > SIM_REAL_DATA_MAX) {
		st = IO_ERROR;
		errno = EPROTO;
	}
	if (st == IO_OK) {
		buf = g_malloc((gsize)r->len + 1);
		st = read_deadline(wk->res_fd, buf, r->len, deadline, FALSE);
		if (st == IO_EOF)
			st = IO_SHORT;
		buf[r->len] = '\0';
	}

	switch (st) {
	case IO_OK:
		wk->busy = FALSE;
		for (guint i = 0; i < r->n_si; i++, wk->n_si++)
			if (i < SIM_REAL_SI_MAX && wk->n_si < SIM_REAL_SI_LOG)
				memcpy(wk->si_log[wk->n_si], r->si[i], sizeof(r->si[i]));
		if (wk->op == SIM_REAL_EXIT && !finish_exit(wk, deadline, timeout_ms, r, error))
			return FALSE;
		if (data != NULL)
			*data = g_steal_pointer(&buf);
		return TRUE;
	case IO_STOPPED:
		/* The worker is left as it is, its call in progress: after sim_real_stop_ack
		 * its answer may still be read. */
		g_set_error(error, SIM_REAL_ERROR, SIM_REAL_ERROR_STOPPED,
			    "stopped by %s while worker %d was in %s",
			    g_strsignal(sim_real_stop_signal()), (int)pid, op);
		return FALSE;
	case IO_TIMEOUT:
		finish_worker(wk, TRUE);
		g_set_error(error, SIM_REAL_ERROR, SIM_REAL_ERROR_TIMEOUT,
			    "worker %d did not finish %s within %d ms: killed", (int)pid, op,
			    timeout_ms);
		return FALSE;
	case IO_EOF: {
		/* Nothing at all: the worker died in its call (a signal's default action). */
		if (reap_gone(wk, deadline)) {
			g_autofree char *how = describe_status(wk->status);
			g_set_error(error, SIM_REAL_ERROR, SIM_REAL_ERROR_DIED,
				    "worker %d died in %s: %s", (int)pid, op, how);
			return FALSE;
		}
		finish_worker(wk, TRUE);
		g_set_error(error, SIM_REAL_ERROR, SIM_REAL_ERROR_WORKER,
			    "worker %d closed its result pipe in %s but did not exit: killed",
			    (int)pid, op);
		return FALSE;
	}
	case IO_SHORT: {
		g_autofree char *how = describe_status(finish_worker(wk, TRUE));
		g_set_error(error, SIM_REAL_ERROR, SIM_REAL_ERROR_WORKER,
			    "worker %d broke off its result of %s: it %s", (int)pid, op, how);
		return FALSE;
	}
	case IO_ERROR:
	default: {
		int err = errno;
		finish_worker(wk, TRUE);
		g_set_error(error, SIM_REAL_ERROR, SIM_REAL_ERROR_WORKER,
			    "cannot read the result of %s from worker %d: %s (killed)", op,
			    (int)pid, g_strerror(err));
		return FALSE;
	}
	}
}

int sim_real_wait_gone(SimRealWorker *wk, int timeout_ms)
{
	g_return_val_if_fail(wk != NULL, 0);
	if (wk->pid <= 0)
		return 1;
	gint64 deadline = g_get_monotonic_time() + (gint64)MAX(timeout_ms, 0) * 1000;
	if (wk->res_fd < 0) {
		/* No pipe to watch: watch the process. */
		for (gint64 pause_us = 100;; pause_us = MIN(pause_us * 2, 2000)) {
			int st = 0;
			if (wk->own_child ? reap_by(wk->pid, 0, &st)
					  : sim_real_pid_finished(wk->pid)) {
				mark_gone(wk, wk->own_child ? st : -1);
				return 1;
			}
			gint64 left = deadline - g_get_monotonic_time();
			if (left <= 0)
				return 0;
			g_usleep((gulong)MIN(pause_us, left));
		}
	}
	for (;;) {
		gint64 left = deadline - g_get_monotonic_time();
		int ms = left <= 0 ? 0 : (int)MIN((left + 999) / 1000, (gint64)G_MAXINT);
		struct pollfd pfd[2] = { { .fd = wk->res_fd, .events = POLLIN },
					 { .fd = stop_rfd, .events = POLLIN } };
		int k = poll(pfd, 2, ms);
		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0)
			return 0;
		if (pfd[0].revents == 0 && (pfd[1].revents & POLLIN) != 0)
			return 0; /* a stop: it is not known to be gone */
		if (k == 0) {
			if (left <= 0)
				return 0;
			continue;
		}
		/* Data first: an answer (or its first bytes) is left for sim_real_recv. */
		if ((pfd[0].revents & POLLIN) != 0)
			return 0;
		return reap_gone(wk, deadline) ? 1 : 0;
	}
}

gboolean sim_real_ready(const SimRealWorker *wk)
{
	g_return_val_if_fail(wk != NULL, FALSE);
	if (wk->res_fd < 0)
		return FALSE;
	struct pollfd pfd = { .fd = wk->res_fd, .events = POLLIN };
	int k;
	while ((k = poll(&pfd, 1, 0)) < 0 && errno == EINTR)
		;
	return k > 0 && (pfd.revents & (POLLIN | POLLHUP | POLLERR)) != 0;
}

/* ---- /proc probes ---- */

static gboolean read_proc(pid_t pid, const char *what, char *buf, size_t size)
{
	char path[64];
	g_snprintf(path, sizeof(path), "/proc/%d/%s", (int)pid, what);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return FALSE;
	ssize_t n;
	while ((n = read(fd, buf, size - 1)) < 0 && errno == EINTR)
		;
	close(fd);
	if (n <= 0)
		return FALSE;
	buf[n] = '\0';
	return TRUE;
}

/* The hexadecimal mask after `key` in /proc/PID/status text, 0 when absent. */
static guint64 status_mask(const char *text, const char *key)
{
	const char *at = strstr(text, key);
	return at ? g_ascii_strtoull(at + strlen(key), NULL, 16) : 0;
}

gboolean sim_real_signal_pending(pid_t pid)
{
	char buf[4096];
	if (pid <= 0 || !read_proc(pid, "status", buf, sizeof(buf)))
		return FALSE;
	guint64 pending = status_mask(buf, "\nSigPnd:") | status_mask(buf, "\nShdPnd:");
	return (pending & ~status_mask(buf, "\nSigBlk:")) != 0;
}

/* The state letter of /proc/PID/stat, 0 when unreadable, and the parent's pid (the fourth
 * field) when ppid is not NULL. The second field is the command name in parentheses and may
 * itself hold spaces and ')': the state follows the last ')'. */
static char proc_stat(pid_t pid, pid_t *ppid)
{
	char buf[1024];
	if (!read_proc(pid, "stat", buf, sizeof(buf)))
		return 0;
	const char *p = strrchr(buf, ')');
	if (p == NULL)
		return 0;
	for (p++; *p == ' '; p++)
		;
	if (ppid != NULL) {
		char *end = NULL;
		long v = *p != '\0' ? strtol(p + 1, &end, 10) : 0;
		*ppid = end != NULL && end != p + 1 && v > 0 && v <= G_MAXINT ? (pid_t)v : 0;
	}
	return *p;
}

static char proc_state(pid_t pid)
{
	return proc_stat(pid, NULL);
}

/* Does pid ignore SIGCHLD (the SigIgn mask of /proc/PID/status)? FALSE when unreadable. */
static gboolean proc_ignores_sigchld(pid_t pid)
{
	char buf[2048];
	if (pid <= 0 || !read_proc(pid, "status", buf, sizeof(buf)))
		return FALSE;
	const char *l = strstr(buf, "\nSigIgn:");
	if (l == NULL)
		return FALSE;
	guint64 mask = g_ascii_strtoull(l + strlen("\nSigIgn:"), NULL, 16);
	return (mask >> (SIGCHLD - 1) & 1) != 0;
}

/* /proc/PID/syscall: "NR 0xARG0 ... 0xSP 0xPC" while off the CPU in a call, "running" on
 * it, "-1 0xSP 0xPC" outside any call. FALSE unless the task is inside a call. */
static gboolean proc_syscall(pid_t pid, long *nr, guint64 *arg0)
{
	char buf[256];
	if (!read_proc(pid, "syscall", buf, sizeof(buf)) || !g_ascii_isdigit(buf[0]))
		return FALSE;
	char *end = NULL;
	errno = 0;
	long n = strtol(buf, &end, 10);
	if (errno != 0 || end == buf)
		return FALSE;
	char *end2 = NULL;
	guint64 a0 = strtoull(end, &end2, 16);
	if (end2 == end)
		return FALSE;
	*nr = n;
	*arg0 = a0;
	return TRUE;
}

/* The call, then the state, then the call again: a task found inside nr twice with a sleep
 * in between was asleep in nr (a worker makes one call per command), not in a sleep just
 * before or after it. The worker's own pipe traffic is not a scenario call. */
gboolean sim_real_blocked_in(pid_t pid, long nr)
{
	long n1 = -1, n2 = -1;
	guint64 a1 = 0, a2 = 0;
	if (pid <= 0 || !proc_syscall(pid, &n1, &a1) || n1 != nr)
		return FALSE;
	if ((nr == SYS_read && a1 == CMD_FD) || (nr == SYS_write && a1 == RES_FD))
		return FALSE;
	if (proc_state(pid) != 'S')
		return FALSE;
	return proc_syscall(pid, &n2, &a2) && n2 == nr && a2 == a1;
}

int sim_real_wait_blocked(const SimRealWorker *wk, long nr, int timeout_ms)
{
	g_return_val_if_fail(wk != NULL && wk->busy, -1);

	gint64 deadline = g_get_monotonic_time() + (gint64)MAX(timeout_ms, 0) * 1000;
	gint64 pause_us = 200;
	for (;;) {
		if (sim_real_ready(wk))
			return 0;
		/* Ready is checked again after: a worker that finished the call in between and
		 * sleeps somewhere else has its result waiting. */
		if (sim_real_blocked_in(wk->pid, nr))
			return sim_real_ready(wk) ? 0 : 1;
		gint64 left = deadline - g_get_monotonic_time();
		if (left <= 0)
			return -1;
		/* Sleep on the result pipe, so that an answer ends the pause at once; a stop
		 * ends the wait as a timeout would. */
		gint64 us = MIN(pause_us, left);
		struct timespec ts = { .tv_sec = 0, .tv_nsec = (long)(us * 1000) };
		struct pollfd pfd[2] = { { .fd = wk->res_fd, .events = POLLIN },
					 { .fd = stop_rfd, .events = POLLIN } };
		if (ppoll(pfd, 2, &ts, NULL) > 0 && pfd[0].revents == 0 &&
		    (pfd[1].revents & POLLIN) != 0)
			return -1;
		pause_us = MIN(pause_us * 2, 2000);
	}
}
