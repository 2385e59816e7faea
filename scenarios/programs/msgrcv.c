/* msgrcv.c — the lecture's receiver: takes every message of one type from the queue of
 * ftok(PATHNAME, 0x27) without waiting, until none is left (type 0: any type), says how
 * many remain, offers to remove the queue once it is empty (a 'y' on standard input
 * removes it), and shows the queues with `ipcs -q`. It never makes the queue: the sender
 * does.
 *
 * usage: msgrcv PATHNAME [TYPE]   (TYPE 0, negative or missing: any type)
 */
#include <string.h>
#include <sys/msg.h>
#include <sys/stat.h>

#include "msgdata.h"

int main(int argc, char *argv[])
{
	struct msg_struct data;
	struct msqid_ds ds;
	struct stat st;
	long msgtype = 0;
	int count = 0;

	if (argc < 2) {
		printf("Usage: %s pathname msg_type\n", argv[0]);
		return EXIT_FAILURE;
	}
	const char *pathname = argv[1];
	if (stat(pathname, &st) == -1)
		die("shared file object stat error");
	key_t key = ftok(pathname, PROJ_ID);
	if (key == -1)
		die("ftok()");
	printf("\nIPC key = 0x%x\n", key);
	int msqid = msgget(key, 0666); /* no IPC_CREAT: the queue must be there */
	if (msqid == -1)
		die("msgget()");
	if (argc > 2) {
		msgtype = atoi(argv[2]);
		if (msgtype < 0)
			msgtype = 0;
	}
	printf("Selected message type = %ld\n", msgtype);
	/* IPC_NOWAIT: the first failure (ENOMSG) means no message of the type is left. */
	while (msgrcv(msqid, &data, TEXT_SIZE, msgtype, IPC_NOWAIT) != -1) {
		printf("%ld %s\n", data.msg_type, data.mtext);
		count++;
	}
	printf("number of received messages = %d\n", count);
	if (msgctl(msqid, IPC_STAT, &ds) == -1)
		die("msgctl(IPC_STAT)");
	printf("number of messages remaining = %ld\n", (long)ds.msg_qnum);
	if (ds.msg_qnum == 0) {
		printf("do you want to delete this msg queue?(y/n)");
		if (getchar() == 'y' && msgctl(msqid, IPC_RMID, NULL) == -1)
			perror("msgctl(IPC_RMID)");
	}
	system("ipcs -q");
	return EXIT_SUCCESS;
}
