/* mqsend.c — a POSIX producer: five jobs of three priorities on a small queue, so that it
 * fills and the producer waits; then the queue's attributes and its /dev/mqueue line.
 *
 * usage: mqsend /NAME   (the queue is made if it is missing: 3 messages of 64 bytes)
 */
#include <fcntl.h>
#include <mqueue.h>
#include <stdio.h>
#include <string.h>

int main(int argc, char **argv)
{
	static const struct {
		unsigned prio;
		const char *text;
	} jobs[] = { { 1, "sweep the deck" }, { 9, "storm ahead" }, { 5, "cook lunch" },
		     { 1, "mend the sail" }, { 0, "done" } };
	if (argc != 2) {
		fprintf(stderr, "usage: %s /NAME\n", argv[0]);
		return 2;
	}
	struct mq_attr attr = { .mq_maxmsg = 3, .mq_msgsize = 64 };
	mqd_t q = mq_open(argv[1], O_CREAT | O_WRONLY, 0600, &attr);
	if (q == (mqd_t)-1) {
		perror("mq_open");
		return 1;
	}
	for (size_t i = 0; i < sizeof jobs / sizeof jobs[0]; i++) {
		if (mq_send(q, jobs[i].text, strlen(jobs[i].text) + 1, jobs[i].prio) == -1) {
			perror("mq_send");
			return 1;
		}
		printf("sent prio %u: %s\n", jobs[i].prio, jobs[i].text);
	}
	if (mq_getattr(q, &attr) == 0)
		printf("%ld of %ld messages queued\n", attr.mq_curmsgs, attr.mq_maxmsg);
	char path[300], line[128];
	snprintf(path, sizeof path, "/dev/mqueue%s", argv[1]);
	FILE *f = fopen(path, "r");
	if (f && fgets(line, sizeof line, f))
		printf("%s: %s", path, line);
	if (f)
		fclose(f);
	mq_close(q);
	return 0;
}
