/* msgrcv.c — the lecture's receiver: takes every message of one type without waiting,
 * until ENOMSG, then shows the queue's state and removes it.
 *
 * usage: msgrcv FILE TYPE
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/ipc.h>
#include <sys/msg.h>

struct message {
	long mtype;
	char mtext[512];
};

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: %s FILE TYPE\n", argv[0]);
		return 2;
	}
	long type = strtol(argv[2], NULL, 10);
	int q = msgget(ftok(argv[1], 'M'), IPC_CREAT | 0666);
	if (q == -1) {
		perror("msgget");
		return 1;
	}
	struct message m;
	for (;;) {
		ssize_t n = msgrcv(q, &m, sizeof m.mtext, type, IPC_NOWAIT);
		if (n == -1) {
			if (errno == ENOMSG) {
				printf("no more messages of type %ld\n", type);
				break;
			}
			perror("msgrcv");
			return 1;
		}
		printf("received %zd bytes of type %ld: %s\n", n, m.mtype, m.mtext);
	}
	struct msqid_ds ds;
	if (msgctl(q, IPC_STAT, &ds) == -1) {
		perror("msgctl IPC_STAT");
		return 1;
	}
	printf("%lu messages left, %lu bytes\n", (unsigned long)ds.msg_qnum,
	       (unsigned long)ds.__msg_cbytes);
	if (msgctl(q, IPC_RMID, NULL) == -1) {
		perror("msgctl IPC_RMID");
		return 1;
	}
	printf("queue removed\n");
	return 0;
}
