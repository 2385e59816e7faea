/* bench_time.c — runs one command as a whole process and says how long it took and how much
 * memory it held: the stopwatch of `make bench` (tests/bench.sh).
 *
 *   bench-time [-t SECONDS] [-o FILE] [-e FILE] -- COMMAND [ARG...]
 *
 * Prints one line, "STATUS SECONDS PEAK_KB": STATUS is the command's exit status, "timeout"
 * when it ran past -t (default 120 s), or "signal:N" when signal N ended it; SECONDS is the
 * wall-clock time from fork to the command's end (monotonic clock, microseconds); PEAK_KB is
 * its peak resident set (ru_maxrss from wait4, in KiB, the command and the children it
 * waited for). The command's standard output goes to -o (default /dev/null), its standard
 * error to -e (default: ours). Exit status 0 when the line is printed, 2 on bad usage or a
 * failure of our own, 128+N when signal N (SIGINT, SIGTERM, SIGHUP) stopped us.
 *
 * The design choice to know: the command runs in a process group of its own, so that a
 * timeout or an interrupt ends it and everything it forked (SIGTERM, then SIGKILL two seconds
 * later), and a command that traps SIGTERM (the kernel peer, which removes its queue) gets
 * the chance to clean up. Signals are taken synchronously (sigtimedwait), never in handlers.
 */
#undef _POSIX_C_SOURCE
#define _GNU_SOURCE

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define GRACE_SECONDS 2.0

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static struct timespec to_timespec(double s)
{
	if (s < 0)
		s = 0;
	struct timespec ts = { .tv_sec = (time_t)s };
	ts.tv_nsec = (long)((s - (double)ts.tv_sec) * 1e9);
	return ts;
}

/* Waits for a signal of SET until DEADLINE (monotonic seconds); returns it, or 0 at the
 * deadline. */
static int wait_signal(const sigset_t *set, double deadline)
{
	for (;;) {
		struct timespec ts = to_timespec(deadline - now());
		int sig = sigtimedwait(set, NULL, &ts);
		if (sig > 0)
			return sig;
		if (errno == EAGAIN)
			return 0;
		if (errno != EINTR) {
			perror("bench-time: sigtimedwait");
			exit(2);
		}
	}
}

/* Reaps CHILD if it has ended; returns 1 then. */
static int reap(pid_t child, int *status, struct rusage *ru)
{
	pid_t r;
	do
		r = wait4(child, status, WNOHANG, ru);
	while (r < 0 && errno == EINTR);
	if (r < 0) {
		perror("bench-time: wait4");
		exit(2);
	}
	return r == child;
}

/* Ends CHILD's process group: SIGTERM, then SIGKILL after the grace time; reaps CHILD. */
static void stop(pid_t child, const sigset_t *set, int *status, struct rusage *ru)
{
	kill(-child, SIGTERM);
	double deadline = now() + GRACE_SECONDS;
	while (!reap(child, status, ru)) {
		if (wait_signal(set, deadline) == 0) {
			kill(-child, SIGKILL);
			deadline = now() + 3600;
		}
	}
	kill(-child, SIGKILL); /* what it forked and left behind */
}

static int redirect(const char *path, int fd, int flags)
{
	int f = open(path, flags, 0644);
	if (f < 0 || dup2(f, fd) < 0) {
		fprintf(stderr, "bench-time: %s: %s\n", path, strerror(errno));
		return -1;
	}
	close(f);
	return 0;
}

static void usage(void)
{
	fprintf(stderr, "usage: bench-time [-t SECONDS] [-o FILE] [-e FILE] -- COMMAND [ARG...]\n");
	exit(2);
}

int main(int argc, char **argv)
{
	double timeout = 120;
	const char *out = "/dev/null", *err = NULL;
	int opt;
	while ((opt = getopt(argc, argv, "+t:o:e:")) != -1) {
		char *end;
		switch (opt) {
		case 't':
			timeout = strtod(optarg, &end);
			if (*end || !(timeout > 0))
				usage();
			break;
		case 'o':
			out = optarg;
			break;
		case 'e':
			err = optarg;
			break;
		default:
			usage();
		}
	}
	if (optind >= argc)
		usage();

	/* A shell starts a background job with SIGINT ignored; we take it, and the command
	 * should get the default. */
	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	signal(SIGHUP, SIG_DFL);
	sigset_t set, old;
	sigemptyset(&set);
	sigaddset(&set, SIGCHLD);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGHUP);
	sigprocmask(SIG_BLOCK, &set, &old);

	fflush(NULL);
	double t0 = now();
	pid_t child = fork();
	if (child < 0) {
		perror("bench-time: fork");
		return 2;
	}
	if (child == 0) {
		setpgid(0, 0);
		sigprocmask(SIG_SETMASK, &old, NULL);
		if (redirect(out, STDOUT_FILENO, O_WRONLY | O_CREAT | O_TRUNC) < 0 ||
		    (err && redirect(err, STDERR_FILENO, O_WRONLY | O_CREAT | O_TRUNC) < 0))
			_exit(127);
		execvp(argv[optind], argv + optind);
		fprintf(stderr, "bench-time: %s: %s\n", argv[optind], strerror(errno));
		_exit(127);
	}
	setpgid(child, child); /* either of us may win the race; both ask the same */

	int status = 0;
	struct rusage ru;
	memset(&ru, 0, sizeof ru);
	const char *verdict = NULL;
	double deadline = t0 + timeout;
	while (!reap(child, &status, &ru)) {
		int sig = wait_signal(&set, deadline);
		if (sig == SIGCHLD)
			continue;
		stop(child, &set, &status, &ru);
		if (sig != 0)
			return 128 + sig;
		verdict = "timeout";
		break;
	}
	double t1 = now();

	char buf[32];
	if (!verdict) {
		if (WIFEXITED(status))
			snprintf(buf, sizeof buf, "%d", WEXITSTATUS(status));
		else
			snprintf(buf, sizeof buf, "signal:%d", WTERMSIG(status));
		verdict = buf;
	}
	printf("%s %.6f %ld\n", verdict, t1 - t0, ru.ru_maxrss);
	return fflush(stdout) == 0 ? 0 : 2;
}
