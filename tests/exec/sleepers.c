/* sleepers.c — one parent and many children that wait on the virtual clock.
 *
 *   sleepers [N]
 *
 * The parent forks N children (63 by default: with it, the most processes msgsim exec
 * runs). Child i waits until 1 + (i * 37) % 16 ms after the parent began, so that several
 * wake at the same time: most sleep in clock_nanosleep until then (an absolute time on
 * CLOCK_MONOTONIC, which msgsim exec keeps virtual), every fifth sets an ITIMER_REAL alarm
 * for that long and waits for its SIGALRM in sigsuspend (blocked until then, so that it
 * cannot come too early). Before that each naps (N - i) * 10 µs, so that the later
 * children begin their waits first: the order children due at one time wake in is then
 * not the order their waits began in. Each prints when its time came and exits with
 * status i; the parent collects them all with wait and prints whom, in the order it
 * collected them. Under msgsim exec the order is the seed's, with the children whose time
 * is the same woken in the order they were forked; natively it is the machine's.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static void on_alarm(int sig)
{
	(void)sig;
}

static struct timespec begun;
static int n_children;

static void child(int i)
{
	long ms = 1 + (i * 37) % 16;
	struct timespec nap = { 0, (n_children - i) * 10000L };
	nanosleep(&nap, NULL);
	if (i % 5 == 4) {
		struct sigaction sa = { .sa_handler = on_alarm };
		sigemptyset(&sa.sa_mask);
		sigaction(SIGALRM, &sa, NULL);
		sigset_t alrm, none;
		sigemptyset(&alrm);
		sigaddset(&alrm, SIGALRM);
		sigemptyset(&none);
		sigprocmask(SIG_BLOCK, &alrm, NULL);
		struct itimerval it = { { 0, 0 }, { 0, ms * 1000 } };
		setitimer(ITIMER_REAL, &it, NULL);
		sigsuspend(&none);
		printf("child %d: alarm after %ld ms\n", i, ms);
	} else {
		struct timespec ts = begun;
		ts.tv_nsec += ms * 1000000L;
		if (ts.tv_nsec >= 1000000000L) {
			ts.tv_sec++;
			ts.tv_nsec -= 1000000000L;
		}
		clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL);
		printf("child %d: slept %ld ms\n", i, ms);
	}
	fflush(stdout);
	_exit(i);
}

int main(int argc, char **argv)
{
	int n = n_children = argc > 1 ? atoi(argv[1]) : 63;
	setvbuf(stdout, NULL, _IONBF, 0);
	clock_gettime(CLOCK_MONOTONIC, &begun);
	for (int i = 0; i < n; i++) {
		pid_t p = fork();
		if (p < 0) {
			perror("fork");
			return 1;
		}
		if (p == 0)
			child(i);
	}
	for (int k = 0; k < n; k++) {
		int st;
		if (wait(&st) < 0) {
			perror("wait");
			return 1;
		}
		printf("collected child %d\n", WIFEXITED(st) ? WEXITSTATUS(st) : -1);
	}
	return 0;
}
