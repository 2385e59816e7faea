/* ipcs.c — the lecture's `system("ipcs -q")`: ipcs, a guest too, reads /proc/sysvipc/msg,
 * which shows the model's queues. Also draws 4 bytes from getrandom (from the seed). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/msg.h>
#include <sys/random.h>

struct message {
	long mtype;
	char mtext[512];
};

int main(void)
{
	int q = msgget(0x2a, IPC_CREAT | 0644);
	struct message m = { .mtype = 1 };
	strcpy(m.mtext, "Luffy");
	msgsnd(q, &m, sizeof m.mtext, 0);
	fflush(stdout);
	system("ipcs -q");
	unsigned char r[4];
	if (getrandom(r, sizeof r, 0) == 4)
		printf("random %02x%02x%02x%02x\n", r[0], r[1], r[2], r[3]);
	return 0;
}
