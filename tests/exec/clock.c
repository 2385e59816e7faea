/* clock.c — reads every clock msgsim exec serves, around a sleep(2): under exec the
 * values are virtual (the simulated epoch, then two seconds and a few served calls
 * later) and the same on every run, whether the vDSO (glibc) or the raw system call reads
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
	return 0;
}
