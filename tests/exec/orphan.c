/* orphan.c — a parent that exits before its child: the child goes on as an orphan (its
 * calls come through the listener it inherited) and receives what the parent sent.
 */
#include <stdio.h>
#include <sys/ipc.h>
#include <sys/msg.h>
#include <unistd.h>

int main(void)
{
	struct {
		long mtype;
		char mtext[8];
	} m = { 1, "hello" };
	int q = msgget(IPC_PRIVATE, IPC_CREAT | 0600);
	if (fork() == 0) {
		if (msgrcv(q, &m, sizeof m.mtext, 1, 0) == -1)
			return 1;
		printf("orphan got %s\n", m.mtext);
		msgctl(q, IPC_RMID, NULL);
		return 0;
	}
	msgsnd(q, &m, sizeof m.mtext, 0);
	return 0;
}
