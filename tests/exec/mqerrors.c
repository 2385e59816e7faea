/* mqerrors.c — the errno paths of the POSIX queue calls as a program meets them, each
 * printed as "call: result errno-name", natively (in a private IPC namespace) and under
 * msgsim exec alike. Raw syscall(2) reaches what glibc's wrappers check first. */
#include <errno.h>
#include <fcntl.h>
#include <mqueue.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define BAD ((void *)8) /* an address no program maps */

static void show(const char *what, long r)
{
	printf("%s: %ld %s\n", what, r, r < 0 ? strerrorname_np(errno) : "ok");
}

static void opens(void)
{
	struct mq_attr a = { .mq_maxmsg = 2, .mq_msgsize = 16 }, zero = { 0 };
	char longname[300];
	memset(longname, 'x', sizeof longname - 1);
	longname[0] = '/';
	longname[sizeof longname - 1] = '\0';
	show("open missing", mq_open("/e", O_RDWR));
	show("open no slash", mq_open("e", O_RDWR | O_CREAT, 0600, &a));
	show("open slash only", mq_open("/", O_RDWR | O_CREAT, 0600, &a));
	show("open inner slash", mq_open("/a/b", O_RDWR | O_CREAT, 0600, &a));
	show("open too long", mq_open(longname, O_RDWR | O_CREAT, 0600, &a));
	show("open name fault", syscall(SYS_mq_open, BAD, O_RDWR | O_CREAT, 0600, &a));
	show("open attr fault", syscall(SYS_mq_open, "e", O_RDWR | O_CREAT, 0600, BAD));
	show("open empty raw", syscall(SYS_mq_open, "", O_RDWR | O_CREAT, 0600, &a));
	show("open attr zero", mq_open("/e", O_RDWR | O_CREAT, 0600, &zero));
	a.mq_msgsize = 1L << 30;
	show("open attr huge", mq_open("/e", O_RDWR | O_CREAT, 0600, &a));
	a.mq_msgsize = 16;
	struct rlimit old, tiny;
	getrlimit(RLIMIT_MSGQUEUE, &old);
	tiny = (struct rlimit){ 100, old.rlim_max }; /* the soft limit only: it comes back */
	setrlimit(RLIMIT_MSGQUEUE, &tiny);
	show("open over rlimit", mq_open("/e", O_RDWR | O_CREAT, 0600, &a));
	setrlimit(RLIMIT_MSGQUEUE, &old);
}

static void sends(mqd_t q, mqd_t ro, int null)
{
	struct timespec bad = { 0, -1 }, past = { 0, 0 };
	char big[32] = "0123456789abcdefghij";
	show("send bad timeout", mq_timedsend(q, "x", 1, 0, &bad));
	show("send timeout fault", syscall(SYS_mq_timedsend, q, "x", 1, 0, BAD));
	show("send prio", mq_send(q, "x", 1, 32768));
	show("send closed fd", mq_send(99, "x", 1, 0));
	show("send not a queue", mq_send(null, "x", 1, 0));
	show("send read-only", mq_send(ro, "x", 1, 0));
	show("send too long", mq_send(q, big, 17, 0));
	show("send fault", mq_send(q, BAD, 4, 0));
	show("send 1", mq_send(q, "one", 4, 1));
	show("send 2", mq_send(q, "two", 4, 7));
	show("send full past", mq_timedsend(q, "x", 1, 0, &past));
	struct mq_attr nb = { .mq_flags = O_NONBLOCK }, old;
	show("setattr nonblock", mq_setattr(q, &nb, &old));
	printf("old flags %ld maxmsg %ld msgsize %ld curmsgs %ld\n", old.mq_flags, old.mq_maxmsg,
	       old.mq_msgsize, old.mq_curmsgs);
	show("send full nonblock", mq_send(q, "x", 1, 0));
}

static void receives(mqd_t q, mqd_t wo)
{
	char buf[16];
	unsigned prio = 0;
	struct timespec bad = { 0, 1000000000L }, past = { 0, 0 };
	show("receive bad timeout", mq_timedreceive(q, buf, 16, NULL, &bad));
	show("receive write-only", mq_receive(wo, buf, 16, NULL));
	show("receive small", mq_receive(q, buf, 15, NULL));
	show("receive", mq_receive(q, buf, 16, &prio));
	printf("got %s prio %u\n", buf, prio);
	show("receive fault", mq_receive(q, BAD, 16, NULL)); /* the message is lost */
	show("receive empty nonblock", mq_receive(q, buf, 16, NULL));
	struct mq_attr b = { 0 };
	show("setattr block", mq_setattr(q, &b, NULL));
	show("receive empty past", mq_timedreceive(q, buf, 16, NULL, &past));
	show("send 3", mq_send(q, "three", 6, 3));
	show("receive prio fault", mq_receive(q, buf, 16, BAD));
}

static void attrs(mqd_t q, int null)
{
	struct mq_attr bad = { .mq_flags = O_NONBLOCK | O_APPEND }, a;
	show("setattr fault", syscall(SYS_mq_getsetattr, q, BAD, NULL));
	show("setattr flags", mq_setattr(q, &bad, NULL));
	show("getattr closed", mq_getattr(99, &a));
	show("getattr not a queue", mq_getattr(null, &a));
	show("getattr fault", syscall(SYS_mq_getsetattr, q, NULL, BAD));
	show("getattr", mq_getattr(q, &a));
	printf("flags %ld maxmsg %ld msgsize %ld curmsgs %ld\n", a.mq_flags, a.mq_maxmsg,
	       a.mq_msgsize, a.mq_curmsgs);
}

static void notifies(mqd_t q, int null)
{
	struct sigevent none = { .sigev_notify = SIGEV_NONE };
	struct sigevent odd = { .sigev_notify = 99 };
	struct sigevent badsig = { .sigev_notify = SIGEV_SIGNAL, .sigev_signo = 100 };
	show("notify fault", syscall(SYS_mq_notify, q, BAD));
	show("notify kind", mq_notify(q, &odd));
	show("notify signal", mq_notify(q, &badsig));
	show("notify closed", mq_notify(99, &none));
	show("notify not a queue", mq_notify(null, &none));
	show("notify", mq_notify(q, &none));
	show("notify again", mq_notify(q, &none));
	show("notify off", mq_notify(q, NULL));
	show("notify off again", mq_notify(q, NULL));
	/* dup2 over a copy of the descriptor closes it: the registration ends. */
	int copy = dup(q);
	show("notify before dup2", mq_notify(q, &none));
	show("dup2 over a copy", dup2(null, copy) == copy ? 0 : -1);
	show("notify after dup2", mq_notify(q, &none));
	show("notify off after dup2", mq_notify(q, NULL));
	close(copy);
}

/* A descriptor copied by dup and by fork names the same queue; close drops one copy. */
static void copies(mqd_t q)
{
	char buf[16];
	int d = dup(q);
	show("dup", d >= 0 ? 0 : -1);
	show("send on dup", mq_send(d, "dup", 4, 2));
	close(d);
	show("receive from dup's", mq_receive(q, buf, 16, NULL));
	show("send after close of dup", mq_send(q, "still", 6, 1));
	pid_t child = fork();
	if (child == 0)
		_exit(mq_send(q, "child", 6, 9) == 0 ? 0 : 1);
	int st;
	waitpid(child, &st, 0);
	printf("child exited %d\n", WEXITSTATUS(st));
	for (int i = 0; i < 2; i++) {
		show("receive", mq_receive(q, buf, 16, NULL));
		printf("got %s\n", buf);
	}
	mq_close(q);
	show("send after close", mq_send(q, "x", 1, 0));
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	int null = open("/dev/null", O_RDONLY);
	opens();
	struct mq_attr a = { .mq_maxmsg = 2, .mq_msgsize = 16 };
	mqd_t q = mq_open("/e", O_RDWR | O_CREAT | O_EXCL, 0600, &a);
	show("open create", q);
	show("open excl", mq_open("/e", O_RDWR | O_CREAT | O_EXCL, 0600, &a));
	show("open mode 3", mq_open("/e", O_WRONLY | O_RDWR));
	mqd_t ro = mq_open("/e", O_RDONLY), wo = mq_open("/e", O_WRONLY);
	show("open read-only", ro);
	show("open write-only", wo);
	sends(q, ro, null);
	receives(q, wo);
	attrs(q, null);
	notifies(q, null);
	copies(q);
	show("unlink", mq_unlink("/e"));
	show("unlink again", mq_unlink("/e"));
	show("unlink inner slash", mq_unlink("/a/b"));
	show("unlink fault", syscall(SYS_mq_unlink, BAD));
	show("unlink empty raw", syscall(SYS_mq_unlink, ""));
	return 0;
}
