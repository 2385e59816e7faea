/* poll.c — poll and select on standard input, run under `msgsim exec --input FILE` and
 * natively with FILE as standard input, whose outputs must be equal: the guests' terminal
 * is readable while a line is left and at the end of the input (a read then returns 0), as
 * a file is; the other descriptors of the same call are as the kernel has them.
 */
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/select.h>
#include <unistd.h>

static void take(const char *how)
{
	char buf[64];
	ssize_t n = read(0, buf, sizeof buf - 1);
	buf[n > 0 ? n : 0] = '\0';
	if (n > 0 && buf[n - 1] == '\n')
		buf[n - 1] = '\0';
	printf("%s: read %zd [%s]\n", how, n, buf);
}

int main(void)
{
	int p[2];
	setvbuf(stdout, NULL, _IOLBF, 0);
	pipe(p);
	struct pollfd one = { 0, POLLIN, 0 };
	int r = poll(&one, 1, -1);
	printf("poll: %d, revents %s\n", r, one.revents == POLLIN ? "POLLIN" : "other");
	take("after poll");
	fd_set rd;
	FD_ZERO(&rd);
	FD_SET(0, &rd);
	FD_SET(p[0], &rd);
	r = select(p[0] + 1, &rd, NULL, NULL, NULL);
	printf("select: %d, stdin %d, empty pipe %d\n", r, FD_ISSET(0, &rd), FD_ISSET(p[0], &rd));
	take("after select");
	write(p[1], "x", 1);
	struct pollfd two[3] = { { 0, POLLIN, 0 }, { p[0], POLLIN, 0 }, { -1, POLLIN, 0 } };
	r = poll(two, 3, 1000);
	printf("poll with a pipe: %d, stdin %s, pipe %s, fd -1 %d\n", r,
	       two[0].revents & POLLIN ? "POLLIN" : "-", two[1].revents & POLLIN ? "POLLIN" : "-",
	       two[2].revents);
	take("end");
	r = poll(&one, 1, -1);
	printf("poll at the end: %d, revents %s\n", r, one.revents == POLLIN ? "POLLIN" : "other");
	take("at the end");
	FD_ZERO(&rd);
	FD_SET(0, &rd);
	struct timeval tv = { 5, 0 };
	r = select(1, &rd, NULL, NULL, &tv);
	printf("select at the end: %d, stdin %d\n", r, FD_ISSET(0, &rd));
	return 0;
}
