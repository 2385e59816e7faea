/* racy.c — check, then act: a race that only some schedules expose.
 *
 * The parent puts one job on a private queue and forks two workers. Each worker looks at
 * the queue first (msgctl IPC_STAT: is a message there?) and, when it sees one, takes it
 * with msgrcv(IPC_NOWAIT). Between one worker's look and its take, the other worker may
 * take the job: the take then fails with ENOMSG, and that worker reports the job lost and
 * exits with status 1. The parent collects both workers, removes the queue, and exits
 * with 1 when a worker failed. In most orders one worker takes the job and the other finds
 * the queue empty; `msgsim explore --exec` finds the order where both look before either
 * takes.
 *
 * usage: racy
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/msg.h>
#include <sys/wait.h>
#include <unistd.h>

struct job {
	long mtype;
	char mtext[16];
};

static int worker(int q, int w)
{
	struct msqid_ds ds;
	if (msgctl(q, IPC_STAT, &ds) == -1) {
		perror("msgctl");
		return 2;
	}
	if (ds.msg_qnum == 0) { /* the check */
		printf("worker %d: no job\n", w);
		return 0;
	}
	struct job j;
	if (msgrcv(q, &j, sizeof j.mtext, 0, IPC_NOWAIT) == -1) { /* the act */
		printf("worker %d: saw a job, but it is gone: %s\n", w, strerror(errno));
		return 1;
	}
	printf("worker %d: took %s\n", w, j.mtext);
	return 0;
}

int main(void)
{
	int q = msgget(IPC_PRIVATE, IPC_CREAT | 0600);
	if (q == -1) {
		perror("msgget");
		return 2;
	}
	struct job j = { 1, "job" };
	if (msgsnd(q, &j, sizeof j.mtext, 0) == -1) {
		perror("msgsnd");
		return 2;
	}
	fflush(stdout);
	for (int w = 1; w <= 2; w++)
		if (fork() == 0)
			return worker(q, w);
	int failed = 0, status;
	while (wait(&status) > 0)
		if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
			failed = 1;
	msgctl(q, IPC_RMID, NULL);
	printf(failed ? "a worker failed\n" : "both workers done\n");
	return failed;
}
