/* clock.c — reads every clock msgsim exec serves, around a sleep(2) and an absolute
 * clock_nanosleep: under exec the values are virtual (the simulated epoch, two seconds
 * and a few served calls later, then the whole second the absolute sleep names) and the
 * same on every run, whether the vDSO (glibc) or the raw system call reads
 * them, in a dynamic or a static build. */
#include <stdio.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

static void show(const char *when)
{
	struct timespec rt, mono, raw;
	struct timeval tv;
	clock_gettime(CLOCK_REALTIME, &rt);
	clock_gettime(CLOCK_MONOTONIC, &mono);
	syscall(SYS_clock_gettime, CLOCK_MONOTONIC, &raw);
	gettimeofday(&tv, NULL);
	time_t t = time(NULL);
	printf("%s: realtime %lld.%09ld monotonic %lld.%09ld raw %lld.%09ld\n", when,
	       (long long)rt.tv_sec, rt.tv_nsec, (long long)mono.tv_sec, mono.tv_nsec,
	       (long long)raw.tv_sec, raw.tv_nsec);
	printf("%s: gettimeofday %lld.%06ld time %lld\n", when, (long long)tv.tv_sec,
	       (long)tv.tv_usec, (long long)t);
}

int main(void)
{
	show("before");
	sleep(2);
	show("after");
	/* An absolute sleep to the next whole second of CLOCK_REALTIME, on the same clock. */
	struct timespec until;
	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec++;
	until.tv_nsec = 0;
	clock_nanosleep(CLOCK_REALTIME, TIMER_ABSTIME, &until, NULL);
	show("until");
	/* A CPU clock the model does not keep: the kernel's, and the trace says so (once). */
	struct timespec cpu;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &cpu);
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &cpu);
	return 0;
}
