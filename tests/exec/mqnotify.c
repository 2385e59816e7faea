/* mqnotify.c — mq_notify with SIGEV_SIGNAL on the program's own queue: /dev/mqueue/NAME
 * shows the registration, a message to the empty queue fires it (the handler runs), and
 * the registration is gone after. */
#include <fcntl.h>
#include <mqueue.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static volatile sig_atomic_t fired;

static void on_usr1(int sig)
{
	(void)sig;
	fired = 1;
}

static void show(void)
{
	char line[128];
	FILE *f = fopen("/dev/mqueue/n", "r");
	if (f && fgets(line, sizeof line, f))
		printf("%s", line);
	if (f)
		fclose(f);
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	signal(SIGUSR1, on_usr1);
	mqd_t q = mq_open("/n", O_RDWR | O_CREAT, 0600, NULL);
	struct sigevent ev = { .sigev_notify = SIGEV_SIGNAL, .sigev_signo = SIGUSR1 };
	if (q == (mqd_t)-1 || mq_notify(q, &ev) != 0)
		return 1;
	show();
	mq_send(q, "ring", 5, 0);
	while (!fired)
		pause();
	printf("notified\n");
	show();
	mq_close(q);
	mq_unlink("/n");
	return 0;
}
