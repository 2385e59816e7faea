/* server.c — a typed-receive server: takes requests of type 1 and answers each client on
 * the type that is its number, which only that client waits for.
 *
 * usage: server FILE N   (serves N requests, then removes the queue)
 * A request's text is "CLIENT VALUE"; the reply is "VALUE squared is V*V".
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
	if (argc != 3) {
		fprintf(stderr, "usage: %s FILE N\n", argv[0]);
		return 2;
	}
	int n = atoi(argv[2]);
	int q = msgget(ftok(argv[1], 'S'), IPC_CREAT | 0600);
	if (q == -1) {
		perror("msgget");
		return 1;
	}
	for (int i = 0; i < n; i++) {
		struct message req, rep;
		if (msgrcv(q, &req, sizeof req.mtext, 1, 0) == -1) {
			perror("msgrcv");
			return 1;
		}
		long client = 0, value = 0;
		sscanf(req.mtext, "%ld %ld", &client, &value);
		rep.mtype = client;
		snprintf(rep.mtext, sizeof rep.mtext, "%ld squared is %ld", value, value * value);
		printf("server: request %d from client %ld\n", i + 1, client);
		if (msgsnd(q, &rep, sizeof rep.mtext, 0) == -1) {
			perror("msgsnd");
			return 1;
		}
	}
	msgctl(q, IPC_RMID, NULL);
	return 0;
}
