/* mqpair.c — one side of a pair of processes on a POSIX queue of its own: the sender sends
 * ROUNDS messages on /NAME, the receiver takes them and prints them. Two pairs on two
 * names have calls on different queues, which commute: explore --exec needs far fewer
 * executions for them than --no-reduction does, for the same outcomes. Neither side
 * unlinks the name (msgsim's namespace ends with the run; natively, mq_unlink it after).
 *
 * usage: mqpair NAME send|recv ROUNDS
 */
#include <fcntl.h>
#include <mqueue.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	if (argc != 4)
		return 2;
	char name[64], text[64];
	snprintf(name, sizeof name, "/%s", argv[1]);
	int sending = strcmp(argv[2], "send") == 0, rounds = atoi(argv[3]);
	struct mq_attr attr = { .mq_maxmsg = 4, .mq_msgsize = 16 };
	mqd_t q = mq_open(name, (sending ? O_WRONLY : O_RDONLY) | O_CREAT, 0600, &attr);
	if (q == (mqd_t)-1) {
		perror("mq_open");
		return 2;
	}
	for (int i = 0; i < rounds; i++) {
		if (sending) {
			snprintf(text, 16, "%s %d", argv[1], i);
			if (mq_send(q, text, 16, 0) == -1)
				return 2;
		} else {
			if (mq_receive(q, text, sizeof text, NULL) == -1)
				return 2;
			char line[96]; /* written, not printed: stdio's buffer would draw the
					* run's random stream (malloc's), which every draw shares */
			int n = snprintf(line, sizeof line, "%s got \"%s\"\n", argv[1], text);
			if (write(1, line, (size_t)n) != n)
				return 2;
		}
	}
	return 0;
}
