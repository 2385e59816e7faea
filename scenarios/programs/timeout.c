/* timeout.c — waiting for a reply at most SECONDS with alarm: the classic way to put a
 * time limit on msgrcv. The first request has nobody to answer it, so SIGALRM interrupts
 * the msgrcv (EINTR, although the handler was set with SA_RESTART: the kernel never
 * restarts msgrcv after a handler). For the second a forked child answers after one
 * second, before the alarm, which is then cancelled.
 *
 * usage: timeout SECONDS
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/msg.h>
#include <sys/wait.h>
#include <unistd.h>

struct message {
	long mtype;
	char mtext[16];
};

static void on_alarm(int sig)
{
	(void)sig; /* only there to interrupt the wait */
}

/* Sends a request and waits at most secs for the reply; 0 when one came. */
static int ask(int q, const char *what, unsigned secs)
{
	struct message m = { 1, "" };
	strncpy(m.mtext, what, sizeof m.mtext - 1);
	msgsnd(q, &m, sizeof m.mtext, 0);
	alarm(secs);
	ssize_t n = msgrcv(q, &m, sizeof m.mtext, 2, 0);
	unsigned left = alarm(0);
	if (n == -1) {
		printf("%s: no reply within %u s (%s)\n", what, secs, strerror(errno));
		return -1;
	}
	printf("%s: reply \"%s\" with %u s to spare\n", what, m.mtext, left);
	return 0;
}

int main(int argc, char **argv)
{
	unsigned secs = argc > 1 ? (unsigned)atoi(argv[1]) : 3;
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_alarm;
	sa.sa_flags = SA_RESTART;
	sigaction(SIGALRM, &sa, NULL);
	int q = msgget(IPC_PRIVATE, IPC_CREAT | 0600);
	if (q == -1) {
		perror("msgget");
		return 1;
	}
	ask(q, "first", secs);
	struct message m;
	msgrcv(q, &m, sizeof m.mtext, 1, IPC_NOWAIT); /* the unanswered request */
	fflush(stdout); /* else, on a pipe or a file, the child would print "first" again */
	pid_t child = fork();
	if (child == 0) {
		msgrcv(q, &m, sizeof m.mtext, 1, 0);
		sleep(1);
		m.mtype = 2;
		strcpy(m.mtext, "done");
		msgsnd(q, &m, sizeof m.mtext, 0);
		return 0;
	}
	int rc = ask(q, "second", secs);
	waitpid(child, NULL, 0);
	msgctl(q, IPC_RMID, NULL);
	return rc == 0 ? 0 : 1;
}
