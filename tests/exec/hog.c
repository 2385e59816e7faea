/* hog.c — fills queue after queue with 8000-byte messages (N queues, argv[1]): what the
 * memory guard rail of `msgsim exec --max-memory` must stop. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/msg.h>

struct big {
	long mtype;
	char text[8000];
};

int main(int argc, char **argv)
{
	static struct big m = { 1, "hog" };
	int n = argc > 1 ? atoi(argv[1]) : 10;
	for (int i = 0; i < n; i++) {
		int q = msgget(IPC_PRIVATE, IPC_CREAT | 0600);
		if (q < 0) {
			perror("msgget");
			return 1;
		}
		while (msgsnd(q, &m, sizeof m.text, IPC_NOWAIT) == 0)
			;
	}
	printf("filled %d queues\n", n);
	return 0;
}
