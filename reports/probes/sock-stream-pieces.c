/* sock-stream-pieces.c — does a reader asleep on a stream socket see a long send's first
 * piece alone?
 *
 * unix_stream_sendmsg (net/unix/af_unix.c) cuts a send into buffers of at most
 * min(sk_sndbuf / 2 - 64, SKB_MAX_HEAD(0) + UNIX_SKB_FRAGS_SZ) = min(106432, 3776 + 32768)
 * = 36544 bytes and calls sk_data_ready after queueing each. A reader woken by the first
 * one and running on another CPU may read it before the second is queued.
 *
 * Each run: a child pinned to CPU 1 sleeps in recv(65536); the parent, pinned to CPU 0,
 * sends 100000 bytes in one send. The sizes the child's recv returned are counted.
 *
 *   cc -O2 -o /tmp/pieces reports/probes/sock-stream-pieces.c && unshare -i -n /tmp/pieces
 *
 * Linux 6.18, 2 CPUs, 400 runs: 399 got 65536 bytes, 1 got 36544 (the first piece). With
 * READER_SPINS=1 the child polls with MSG_DONTWAIT instead of sleeping.
 */
#define _GNU_SOURCE
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#define RUNS 400

static void pin(int cpu)
{
	cpu_set_t set;
	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	sched_setaffinity(0, sizeof(set), &set);
}

/* The child: one recv of up to 65536 bytes, its result written to fd out. */
static void reader(int sock, int out, int spins)
{
	static char buf[65536];
	ssize_t r;
	pin(1);
	if (spins)
		while ((r = recv(sock, buf, sizeof(buf), MSG_DONTWAIT)) < 0)
			;
	else
		r = recv(sock, buf, sizeof(buf), 0);
	_exit(write(out, &r, sizeof(r)) == sizeof(r) ? 0 : 1);
}

int main(void)
{
	static char data[100000];
	long sizes[8] = { 0 };
	int counts[8] = { 0 }, n = 0, spins = getenv("READER_SPINS") != NULL;
	for (int run = 0; run < RUNS; run++) {
		int sv[2], p[2];
		if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) || pipe(p))
			return 1;
		pid_t c = fork();
		if (c == 0) {
			close(sv[0]);
			reader(sv[1], p[1], spins);
		}
		pin(0);
		close(sv[1]);
		usleep(2000); /* the child is asleep in recv by now */
		ssize_t sent = send(sv[0], data, sizeof(data), 0), got;
		if (read(p[0], &got, sizeof(got)) != sizeof(got))
			return 1;
		if (sent != (ssize_t)sizeof(data))
			printf("send returned %zd\n", sent);
		int k = 0;
		while (k < n && sizes[k] != got)
			k++;
		if (k == n && n < 8)
			sizes[n++] = got;
		if (k < 8)
			counts[k]++;
		close(sv[0]);
		close(p[0]);
		close(p[1]);
		waitpid(c, NULL, 0);
	}
	for (int k = 0; k < n; k++)
		printf("recv got %ld bytes: %d of %d runs\n", sizes[k], counts[k], RUNS);
	return 0;
}
