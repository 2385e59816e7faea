/* client.c — a client of server.c: sends COUNT requests of type 1 and waits for each
 * reply on its own type, ID (2 or more: type 1 is the server's).
 *
 * usage: client FILE ID COUNT
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/ipc.h>
#include <sys/msg.h>

struct message {
	long mtype;
	char mtext[64];
};

int main(int argc, char **argv)
{
	if (argc != 4) {
		fprintf(stderr, "usage: %s FILE ID COUNT\n", argv[0]);
		return 2;
	}
	long id = atol(argv[2]);
	int count = atoi(argv[3]);
	int q = msgget(ftok(argv[1], 'S'), IPC_CREAT | 0600);
	if (q == -1) {
		perror("msgget");
		return 1;
	}
	for (int i = 1; i <= count; i++) {
		struct message m = { .mtype = 1 };
		snprintf(m.mtext, sizeof m.mtext, "%ld %ld", id, id * 10 + i);
		if (msgsnd(q, &m, sizeof m.mtext, 0) == -1) {
			perror("msgsnd");
			return 1;
		}
		if (msgrcv(q, &m, sizeof m.mtext, id, 0) == -1) {
			perror("msgrcv");
			return 1;
		}
		printf("client %ld: %s\n", id, m.mtext);
	}
	return 0;
}
