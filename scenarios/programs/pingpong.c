/* pingpong.c — fork and wait: the parent sends "ping" on type 1, the child answers "pong"
 * on type 2, ROUNDS times; the parent waits for the child and removes the queue.
 *
 * usage: pingpong ROUNDS
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/msg.h>
#include <sys/wait.h>
#include <unistd.h>

struct message {
	long mtype;
	char mtext[16];
};

int main(int argc, char **argv)
{
	int rounds = argc > 1 ? atoi(argv[1]) : 2;
	int q = msgget(IPC_PRIVATE, IPC_CREAT | 0600);
	if (q == -1) {
		perror("msgget");
		return 1;
	}
	struct message m;
	pid_t child = fork();
	if (child == 0) {
		for (int i = 0; i < rounds; i++) {
			if (msgrcv(q, &m, sizeof m.mtext, 1, 0) == -1)
				return 1;
			m.mtype = 2;
			strcpy(m.mtext, "pong");
			msgsnd(q, &m, sizeof m.mtext, 0);
		}
		return 0;
	}
	for (int i = 0; i < rounds; i++) {
		m.mtype = 1;
		strcpy(m.mtext, "ping");
		msgsnd(q, &m, sizeof m.mtext, 0);
		msgrcv(q, &m, sizeof m.mtext, 2, 0);
		printf("round %d: %s\n", i + 1, m.mtext);
	}
	int status;
	waitpid(child, &status, 0);
	printf("child exited with status %d\n", WEXITSTATUS(status));
	msgctl(q, IPC_RMID, NULL);
	return 0;
}
