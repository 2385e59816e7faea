/* errors.c — the errno paths of the four calls as a program meets them, each printed as
 * "call: errno-name", so that the trace and the program agree on every one. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/msg.h>

struct message {
	long mtype;
	char mtext[16];
};

static void show(const char *what, long r)
{
	printf("%s: %ld %s\n", what, r, r < 0 ? strerrorname_np(errno) : "ok");
}

int main(void)
{
	struct message m = { .mtype = 1, .mtext = "hi" };
	struct msqid_ds ds;
	show("msgget excl missing", msgget(0x1234, 0600));
	int q = msgget(0x1234, IPC_CREAT | IPC_EXCL | 0600);
	show("msgget create", q);
	show("msgget excl again", msgget(0x1234, IPC_CREAT | IPC_EXCL | 0600));
	show("msgsnd bad id", msgsnd(-1, &m, 2, 0));
	show("msgsnd huge", msgsnd(q, &m, 100000, 0));
	m.mtype = 0;
	show("msgsnd type 0", msgsnd(q, &m, 2, 0));
	show("msgsnd bad address", msgsnd(q, (void *)16, 2, 0));
	m.mtype = 5;
	show("msgsnd", msgsnd(q, &m, sizeof m.mtext, 0));
	show("msgrcv too small", msgrcv(q, &m, 4, 0, IPC_NOWAIT));
	show("msgrcv noerror", msgrcv(q, &m, 4, 0, IPC_NOWAIT | MSG_NOERROR));
	show("msgrcv empty", msgrcv(q, &m, 16, 0, IPC_NOWAIT));
	show("msgrcv bad id", msgrcv(q + 1, &m, 16, 0, IPC_NOWAIT));
	show("msgctl stat", msgctl(q, IPC_STAT, &ds));
	show("msgctl bad cmd", msgctl(q, 99, &ds));
	show("msgctl bad address", msgctl(q, IPC_STAT, (void *)16));
	show("msgctl rmid", msgctl(q, IPC_RMID, NULL));
	show("msgctl rmid again", msgctl(q, IPC_RMID, NULL));
	show("msgsnd removed", msgsnd(q, &m, 2, IPC_NOWAIT));
	return 0;
}
