/* raw.c — msgsnd and msgrcv through syscall(2), not the libc wrappers, N round trips on a
 * private queue: `msgsim exec` must serve them the same (tests/exec.sh, and built static
 * too), and it is the program whose calls per second `make bench` quotes.
 *
 * usage: raw N
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/msg.h>
#include <sys/syscall.h>
#include <unistd.h>

struct message {
	long mtype;
	char mtext[64];
};

int main(int argc, char **argv)
{
	long n = argc > 1 ? atol(argv[1]) : 1;
	long q = syscall(SYS_msgget, (long)IPC_PRIVATE, (long)(IPC_CREAT | 0600));
	if (q < 0) {
		perror("msgget");
		return 1;
	}
	struct message m = { .mtype = 7 };
	strcpy(m.mtext, "ping");
	for (long i = 0; i < n; i++) {
		if (syscall(SYS_msgsnd, q, &m, 64L, 0L) < 0 ||
		    syscall(SYS_msgrcv, q, &m, 64L, 7L, 0L) != 64) {
			perror("round trip");
			return 1;
		}
	}
	printf("%ld round trips, last: %s\n", n, m.mtext);
	syscall(SYS_msgctl, q, (long)IPC_RMID, NULL);
	return 0;
}
