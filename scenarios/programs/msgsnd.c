/* msgsnd.c — the lecture's sender: four typed 512-byte messages on the queue of a key.
 *
 * usage: msgsnd FILE   (the key is ftok(FILE, 'M'); the queue is made if it is missing)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/msg.h>

struct message {
	long mtype;
	char mtext[512];
};

int main(int argc, char **argv)
{
	static const struct {
		long type;
		const char *text;
	} crew[] = { { 1, "Luffy" }, { 2, "Zoro" }, { 3, "Nami" }, { 2, "Sanji" } };
	if (argc != 2) {
		fprintf(stderr, "usage: %s FILE\n", argv[0]);
		return 2;
	}
	key_t key = ftok(argv[1], 'M');
	if (key == -1) {
		perror("ftok");
		return 1;
	}
	int q = msgget(key, IPC_CREAT | 0666);
	if (q == -1) {
		perror("msgget");
		return 1;
	}
	for (size_t i = 0; i < sizeof crew / sizeof crew[0]; i++) {
		struct message m = { .mtype = crew[i].type };
		strncpy(m.mtext, crew[i].text, sizeof m.mtext - 1);
		if (msgsnd(q, &m, sizeof m.mtext, 0) == -1) {
			perror("msgsnd");
			return 1;
		}
		printf("sent type %ld: %s\n", m.mtype, m.mtext);
	}
	return 0;
}
