/* signals.c — signals and the kernel's restart rules, as a program sees them; run natively
 * (in a private IPC namespace) and under `msgsim exec`, whose outputs must be equal.
 *
 * 1. alarm interrupts a blocking msgrcv: EINTR with SA_RESTART and without (the kernel
 *    never restarts msgrcv after a handler), though the handler queued a message.
 * 2. alarm interrupts mq_timedreceive: EINTR without SA_RESTART; with it the call restarts
 *    and takes the message the handler sent.
 * 3. A child blocked in msgsnd on a full queue, killed with SIGUSR1 by its parent: EINTR;
 *    then it exits, and the parent, blocked in msgrcv with a SIGCHLD handler, gets EINTR.
 * 4. sleep cut short by alarm (the seconds left), pause woken by alarm, SIGALRM's default
 *    action ending a child, sigsuspend and sigwait, a periodic ITIMER_REAL timer.
 * 5. waitpid interrupted by a child's SIGUSR1: EINTR, or restarted under SA_RESTART.
 * 6. mq_notify's SIGEV_SIGNAL reaching a child that waits in pause.
 */
#include <errno.h>
#include <fcntl.h>
#include <mqueue.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/msg.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

static volatile sig_atomic_t hits;
static int sysv_q;
static mqd_t mq;

struct m {
	long type;
	char text[16];
};

static void on_sig(int sig)
{
	(void)sig;
	hits++;
}

static void on_alarm_sysv(int sig)
{
	struct m msg = { 1, "late" };
	(void)sig;
	hits++;
	msgsnd(sysv_q, &msg, sizeof msg.text, IPC_NOWAIT);
}

static void on_alarm_mq(int sig)
{
	(void)sig;
	hits++;
	mq_send(mq, "late", 5, 0);
}

static void handle(int sig, void (*fn)(int), int flags)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = fn;
	sa.sa_flags = flags;
	sigemptyset(&sa.sa_mask);
	sigaction(sig, &sa, NULL);
}

static void say(const char *what, long r)
{
	if (r < 0)
		printf("%s: -1 %s, %d handler(s)\n", what, strerrorname_np(errno), (int)hits);
	else
		printf("%s: %ld, %d handler(s)\n", what, r, (int)hits);
}

static void sysv_restart(void)
{
	for (int restart = 0; restart < 2; restart++) {
		struct m msg;
		hits = 0;
		handle(SIGALRM, on_alarm_sysv, restart ? SA_RESTART : 0);
		alarm(1);
		long r = msgrcv(sysv_q, &msg, sizeof msg.text, 1, 0);
		say(restart ? "msgrcv, SA_RESTART" : "msgrcv, no SA_RESTART", r);
		r = msgrcv(sysv_q, &msg, sizeof msg.text, 1, IPC_NOWAIT);
		say("msgrcv again", r);
	}
}

static void mq_restart(void)
{
	struct mq_attr at = { .mq_maxmsg = 2, .mq_msgsize = 16 };
	mq = mq_open("/sig", O_RDWR | O_CREAT, 0600, &at);
	for (int restart = 0; restart < 2; restart++) {
		char buf[16];
		hits = 0;
		handle(SIGALRM, on_alarm_mq, restart ? SA_RESTART : 0);
		alarm(1);
		long r = mq_receive(mq, buf, sizeof buf, NULL);
		say(restart ? "mq_receive, SA_RESTART" : "mq_receive, no SA_RESTART", r);
		if (!restart)
			mq_receive(mq, buf, sizeof buf, NULL); /* the handler's message */
	}
}

static void kill_and_sigchld(void)
{
	int full = msgget(IPC_PRIVATE, 0600);
	struct msqid_ds ds;
	msgctl(full, IPC_STAT, &ds);
	ds.msg_qbytes = 16;
	msgctl(full, IPC_SET, &ds);
	struct m msg = { 1, "fill" };
	msgsnd(full, &msg, sizeof msg.text, 0);
	hits = 0;
	handle(SIGCHLD, on_sig, 0);
	pid_t c = fork();
	if (c == 0) {
		handle(SIGUSR1, on_sig, SA_RESTART);
		long r = msgsnd(full, &msg, sizeof msg.text, 0);
		say("child msgsnd", r);
		sleep(1); /* the parent is in msgrcv by then: SIGCHLD interrupts it */
		_exit(7);
	}
	sleep(1);
	kill(c, SIGUSR1);
	long r = msgrcv(sysv_q, &msg, sizeof msg.text, 99, 0);
	say("parent msgrcv", r);
	int st;
	waitpid(c, &st, 0);
	printf("child exited with %d\n", WEXITSTATUS(st));
	handle(SIGCHLD, SIG_DFL, 0);
	msgctl(full, IPC_RMID, NULL);
}

static void timers(void)
{
	hits = 0;
	handle(SIGALRM, on_sig, SA_RESTART);
	alarm(1);
	unsigned left5 = sleep(5); /* 4 (virtual: exactly 4 s left); natively under load, 3 */
	printf("sleep(5) ended early: %s\n", left5 >= 3 && left5 <= 4 ? "yes" : "no");
	alarm(2);
	printf("alarm(3) said %u\n", alarm(3));
	pause();
	printf("pause returned, %d handler(s)\n", (int)hits);
	pid_t c = fork();
	if (c == 0) {
		signal(SIGALRM, SIG_DFL);
		alarm(1);
		pause();
		_exit(0);
	}
	int st;
	waitpid(c, &st, 0);
	printf("child: %s %d\n", WIFSIGNALED(st) ? "killed by signal" : "exit",
	       WIFSIGNALED(st) ? WTERMSIG(st) : WEXITSTATUS(st));

	sigset_t usr1, old, none;
	sigemptyset(&usr1);
	sigaddset(&usr1, SIGUSR1);
	sigprocmask(SIG_BLOCK, &usr1, &old);
	handle(SIGUSR1, on_sig, 0);
	hits = 0;
	c = fork();
	if (c == 0) {
		kill(getppid(), SIGUSR1);
		_exit(0);
	}
	sigemptyset(&none);
	int r = sigsuspend(&none);
	say("sigsuspend", r);
	waitpid(c, NULL, 0);
	sigset_t usr2;
	sigemptyset(&usr2);
	sigaddset(&usr2, SIGUSR2);
	sigprocmask(SIG_BLOCK, &usr2, NULL);
	c = fork();
	if (c == 0) {
		sleep(1);
		kill(getppid(), SIGUSR2);
		_exit(0);
	}
	int got = 0;
	sigwait(&usr2, &got);
	printf("sigwait took signal %d\n", got);
	waitpid(c, NULL, 0);
	sigprocmask(SIG_SETMASK, &old, NULL);

	hits = 0;
	struct itimerval it = { { 0, 200000 }, { 0, 200000 } }, left;
	setitimer(ITIMER_REAL, &it, NULL);
	while (hits < 3)
		pause();
	memset(&it, 0, sizeof it);
	setitimer(ITIMER_REAL, &it, &left);
	printf("timer: %d ticks, interval %ld us\n", (int)hits, (long)left.it_interval.tv_usec);
}

/* waitpid is restarted under SA_RESTART (the kernel's ERESTARTSYS), else ends with EINTR. */
static void wait_restart(void)
{
	for (int restart = 0; restart < 2; restart++) {
		hits = 0;
		handle(SIGUSR1, on_sig, restart ? SA_RESTART : 0);
		pid_t c = fork();
		if (c == 0) {
			sleep(1); /* the parent waits by then */
			kill(getppid(), SIGUSR1);
			sleep(1);
			_exit(3);
		}
		int st = 0;
		long r = waitpid(c, &st, 0);
		say(restart ? "waitpid, SA_RESTART" : "waitpid, no SA_RESTART", r == c ? 0 : r);
		if (r != c)
			waitpid(c, &st, 0);
		printf("child exited with %d\n", WEXITSTATUS(st));
	}
}

static void notify_child(void)
{
	hits = 0;
	mq_unlink("/sig");
	struct mq_attr at = { .mq_maxmsg = 2, .mq_msgsize = 16 };
	mqd_t q = mq_open("/sig", O_RDWR | O_CREAT, 0600, &at);
	pid_t c = fork();
	if (c == 0) {
		handle(SIGUSR2, on_sig, 0);
		struct sigevent ev = { .sigev_notify = SIGEV_SIGNAL, .sigev_signo = SIGUSR2 };
		mq_notify(q, &ev);
		int r = pause();
		say("child pause", r);
		_exit(0);
	}
	sleep(1);
	mq_send(q, "ring", 5, 0);
	waitpid(c, NULL, 0);
	mq_close(q);
	mq_unlink("/sig");
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	sysv_q = msgget(IPC_PRIVATE, 0600);
	sysv_restart();
	mq_restart();
	kill_and_sigchld();
	timers();
	wait_restart();
	notify_child();
	msgctl(sysv_q, IPC_RMID, NULL);
	return 0;
}
