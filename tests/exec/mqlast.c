/* mqlast.c — a POSIX queue's description goes with its last copy, however that copy goes:
 * an unlinked queue stays charged to the user (RLIMIT_MSGQUEUE) while a descriptor holds
 * it, and is released when the last one closes, here by close_range(2), which msgsim does
 * not trap (tests/exec.sh: `msgsim exec` prints what the kernel prints).
 */
#include <errno.h>
#include <fcntl.h>
#include <mqueue.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

static void show(const char *what, long r)
{
	printf("%s: %s\n", what, r < 0 ? strerrorname_np(errno) : "ok");
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	/* About 82 KB a queue: the limit holds one and not two. */
	struct mq_attr a = { .mq_maxmsg = 10, .mq_msgsize = 8192 };
	struct rlimit old, one;
	getrlimit(RLIMIT_MSGQUEUE, &old);
	one = (struct rlimit){ 120000, old.rlim_max };
	setrlimit(RLIMIT_MSGQUEUE, &one);
	mqd_t q = mq_open("/first", O_RDWR | O_CREAT | O_EXCL, 0600, &a);
	show("open first", q);
	int copy = dup(q);
	show("unlink first", mq_unlink("/first"));
	show("close one copy", mq_close(q));
	mqd_t b = mq_open("/second", O_RDWR | O_CREAT | O_EXCL, 0600, &a);
	show("open second while a copy holds the first", b);
	show("close_range the last copy", close_range((unsigned)copy, (unsigned)copy, 0));
	b = mq_open("/second", O_RDWR | O_CREAT | O_EXCL, 0600, &a);
	show("open second after the last copy", b);
	mq_unlink("/second");
	setrlimit(RLIMIT_MSGQUEUE, &old);
	return 0;
}
