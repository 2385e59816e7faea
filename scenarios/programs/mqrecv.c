/* mqrecv.c — a POSIX consumer: takes jobs highest priority first until "done", then waits
 * one more second for a job that never comes (ETIMEDOUT) and removes the queue's name.
 *
 * usage: mqrecv /NAME   (the queue is made if it is missing: 3 messages of 64 bytes)
 */
#include <errno.h>
#include <fcntl.h>
#include <mqueue.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: %s /NAME\n", argv[0]);
		return 2;
	}
	struct mq_attr attr = { .mq_maxmsg = 3, .mq_msgsize = 64 };
	mqd_t q = mq_open(argv[1], O_CREAT | O_RDONLY, 0600, &attr);
	if (q == (mqd_t)-1) {
		perror("mq_open");
		return 1;
	}
	sleep(1); /* let the jobs pile up: the highest priority comes out first */
	char buf[64];
	unsigned prio;
	for (;;) {
		ssize_t n = mq_receive(q, buf, sizeof buf, &prio);
		if (n == -1) {
			perror("mq_receive");
			return 1;
		}
		printf("got prio %u: %s\n", prio, buf);
		if (strcmp(buf, "done") == 0)
			break;
	}
	struct timespec until;
	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += 1;
	if (mq_timedreceive(q, buf, sizeof buf, &prio, &until) == -1 && errno == ETIMEDOUT)
		printf("no more jobs after a second\n");
	mq_close(q);
	if (mq_unlink(argv[1]) == -1) {
		perror("mq_unlink");
		return 1;
	}
	return 0;
}
