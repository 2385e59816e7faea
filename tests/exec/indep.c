/* indep.c — a program whose calls touch only its own queue: two copies run side by side
 * have calls that commute, except where both go to the namespace (making and removing
 * their queues), so explore --exec needs few executions for them, and --no-reduction
 * many for the same outcomes.
 *
 * usage: indep NAME ROUNDS
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/ipc.h>
#include <sys/msg.h>

struct message {
	long mtype;
	char mtext[16];
};

int main(int argc, char **argv)
{
	if (argc != 3)
		return 2;
	int rounds = atoi(argv[2]);
	int q = msgget(IPC_PRIVATE, IPC_CREAT | 0600);
	if (q == -1) {
		perror("msgget");
		return 2;
	}
	struct message m = { 1, "" };
	for (int i = 0; i < rounds; i++) {
		snprintf(m.mtext, sizeof m.mtext, "%s %d", argv[1], i);
		if (msgsnd(q, &m, sizeof m.mtext, 0) == -1)
			return 2;
	}
	for (int i = 0; i < rounds; i++)
		if (msgrcv(q, &m, sizeof m.mtext, 0, 0) == -1)
			return 2;
	printf("%s: last %s\n", argv[1], m.mtext);
	msgctl(q, IPC_RMID, NULL);
	return 0;
}
