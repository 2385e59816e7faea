/* mqthread.c — mq_notify with SIGEV_THREAD: glibc makes a netlink socket and a helper
 * thread before the call reaches the kernel. Threads are refused under `msgsim exec`, and
 * the refusal names this case. */
#include <fcntl.h>
#include <mqueue.h>
#include <signal.h>
#include <stdio.h>

static void ring(union sigval v)
{
	(void)v;
	printf("notified\n");
}

int main(void)
{
	mqd_t q = mq_open("/t", O_RDWR | O_CREAT, 0600, NULL);
	struct sigevent ev = { .sigev_notify = SIGEV_THREAD, .sigev_notify_function = ring };
	if (q == (mqd_t)-1 || mq_notify(q, &ev) != 0)
		perror("mq_notify");
	mq_unlink("/t");
	return 0;
}
