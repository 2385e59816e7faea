/* msgsnd.c — the lecture's sender: each line "TYPE WORD" of a data file becomes a 512-byte
 * message of that type on the queue of ftok(PATHNAME, 0x27), sent blocking (a full queue
 * makes it wait); then it counts what it sent and shows the queues with `ipcs -q`.
 *
 * usage: msgsnd PATHNAME [DATAFILE]
 *   PATHNAME  the file the key comes from (made empty if it is missing)
 *   DATAFILE  the messages, one "TYPE WORD" a line (default ./msgsnd.txt)
 */
#include <fcntl.h>
#include <string.h>
#include <sys/msg.h>
#include <sys/stat.h>
#include <unistd.h>

#include "msgdata.h"

int main(int argc, char *argv[])
{
	struct msg_struct data;
	struct msqid_ds ds;
	struct stat st;
	char word[TEXT_SIZE];
	long type;
	int count = 0;

	if (argc < 2) {
		printf("Usage: %s pathname [datafile]\n", argv[0]);
		return EXIT_FAILURE;
	}
	const char *pathname = argv[1];
	const char *datafile = argc > 2 ? argv[2] : "./msgsnd.txt";
	if (stat(pathname, &st) == -1) {
		int fd = creat(pathname, 0600);
		if (fd == -1)
			die("creat()");
		close(fd);
		printf("shared file object created\n");
	}
	key_t key = ftok(pathname, PROJ_ID);
	if (key == -1)
		die("ftok()");
	printf("\nIPC key = 0x%x\n", key);
	int msqid = msgget(key, 0666 | IPC_CREAT);
	if (msqid == -1)
		die("msgget()");
	FILE *fp = fopen(datafile, "r");
	if (!fp) {
		char what[300];
		snprintf(what, sizeof what, "source data file: %s fopen()", datafile);
		die(what);
	}
	if (msgctl(msqid, IPC_STAT, &ds) == -1)
		die("msgctl(IPC_STAT)");
	printf("number of messages remained = %ld, empty slots = %ld\n", (long)ds.msg_qnum,
	       (long)(QUEUE_BYTES / TEXT_SIZE - ds.msg_qnum));
	printf("Blocking Sending ... \n");
	/* A word longer than the text would overrun it: %511s stops there. */
	while (fscanf(fp, "%ld %511s", &type, word) == 2) {
		printf("%ld %s\n", type, word);
		data.msg_type = type;
		memset(data.mtext, 0, sizeof data.mtext);
		strcpy(data.mtext, word);
		if (msgsnd(msqid, &data, TEXT_SIZE, 0) == -1) /* 0: wait while the queue is full */
			die("msgsnd()");
		count++;
	}
	printf("number of sent messages = %d\n", count);
	fclose(fp);
	system("ipcs -q");
	return EXIT_SUCCESS;
}
