/* system.c — system() under `msgsim exec`: the vfork'd child execs sh, which becomes a
 * guest of its own; its output and exit are in the trace, and the parent's wait collects
 * it. */
#include <stdio.h>
#include <stdlib.h>
#include <sys/ipc.h>
#include <sys/msg.h>

int main(void)
{
	int q = msgget(IPC_PRIVATE, IPC_CREAT | 0600);
	printf("queue %d\n", q);
	fflush(stdout);
	int r = system("echo hello from sh; exit 3");
	printf("system gave %d\n", r);
	return 0;
}
