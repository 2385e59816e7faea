/* serial.c — detects two guests running at once. Between two trapped calls it holds a
 * lock directory for a while (mkdir and rmdir are not trapped); a mkdir that finds the
 * lock taken means another guest ran in the same stretch. Under `msgsim exec` the count
 * must be 0; run natively, two copies on two CPUs overlap.
 *
 * usage: serial LOCKDIR ROUNDS
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/ipc.h>
#include <sys/msg.h>
#include <sys/stat.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	if (argc != 3)
		return 2;
	int rounds = atoi(argv[2]), overlaps = 0;
	int q = msgget(IPC_PRIVATE, IPC_CREAT | 0600);
	struct {
		long mtype;
		char mtext[8];
	} m = { 1, "x" };
	for (int i = 0; i < rounds; i++) {
		msgsnd(q, &m, sizeof m.mtext, 0);
		if (mkdir(argv[1], 0700) != 0)
			overlaps++;
		for (volatile long k = 0; k < 200000; k++)
			;
		rmdir(argv[1]);
		msgrcv(q, &m, sizeof m.mtext, 0, 0);
	}
	msgctl(q, IPC_RMID, NULL);
	printf("%d overlaps\n", overlaps);
	return 0;
}
