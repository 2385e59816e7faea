/* bench_kernel.c — the real kernel's producer and consumer, the peer `make bench` compares
 * msgsim with: the same exchange of 7-byte messages, over a SysV queue, a POSIX queue or a
 * pipe.
 *
 *   bench-kernel sysv|posix|pipe MESSAGES [CAPACITY]
 *
 * Forks a producer that sends MESSAGES messages "message" (7 bytes, SysV type 1) and a
 * consumer that receives them, waits for both, and prints one line:
 * "API MESSAGES CAPACITY NAMESPACE SECONDS". CAPACITY is how many messages the queue holds
 * before the producer blocks: for SysV the queue's msg_qbytes is set to CAPACITY * 7 (0
 * keeps the machine's msgmnb, 16384 bytes by default), for POSIX it is mq_maxmsg (0 takes
 * the machine's msg_max, 10 by default; in a private namespace msg_max is raised to
 * CAPACITY when it is lower, in the shared one CAPACITY is cut to it); the line gives
 * what was used (for the pipe, its size in bytes). NAMESPACE is "private" when a private
 * IPC namespace could be had (unshare(CLONE_NEWIPC), as root), else "shared": the machine's
 * own. SECONDS runs from the first fork to the last reap; `make bench` times the whole
 * process instead, as it does for msgsim.
 *
 * The design choice to know: the queue is removed on every exit path. The parent blocks
 * SIGINT, SIGTERM, SIGHUP and SIGCHLD before it makes the queue and takes them with
 * sigwaitinfo; on any of them it kills both children, reaps them and removes the queue
 * (exit status 128+N); a child that fails gets its partner killed the same way (exit
 * status 1). The children die with the parent (PR_SET_PDEATHSIG), so even a SIGKILL of the
 * parent leaves nobody blocked on the queue; in a private namespace the queue then goes
 * with the namespace, in the shared one it stays (ipcrm it; nothing else can remove it).
 * The POSIX queue's name is unlinked as soon as it is open, so it never outlives the run.
 */
#undef _POSIX_C_SOURCE
#define _GNU_SOURCE

#include <errno.h>
#include <fcntl.h>
#include <mqueue.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/msg.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define TEXT "message"
#define SIZE 7 /* strlen(TEXT): no terminating NUL is sent */

typedef enum { API_SYSV, API_POSIX, API_PIPE } Api;

typedef struct {
	Api api;
	long messages;
	int msqid;  /* SysV, or -1 */
	mqd_t mqd;  /* POSIX, or (mqd_t)-1 */
	int fds[2]; /* pipe, or -1 */
} Peer;

struct sysv_msg {
	long mtype;
	char mtext[SIZE];
};

/* ---- the two children ---- */

static int produce(const Peer *p)
{
	struct sysv_msg m = { .mtype = 1 };
	memcpy(m.mtext, TEXT, SIZE);
	for (long i = 0; i < p->messages; i++) {
		int r;
		switch (p->api) {
		case API_SYSV:
			r = msgsnd(p->msqid, &m, SIZE, 0);
			break;
		case API_POSIX:
			r = mq_send(p->mqd, TEXT, SIZE, 0);
			break;
		default:
			r = write(p->fds[1], TEXT, SIZE) == SIZE ? 0 : -1;
			break;
		}
		if (r < 0) {
			perror("bench-kernel: producer");
			return 1;
		}
	}
	return 0;
}

static int consume(const Peer *p)
{
	struct sysv_msg m;
	char buf[SIZE];
	for (long i = 0; i < p->messages; i++) {
		ssize_t n;
		switch (p->api) {
		case API_SYSV:
			n = msgrcv(p->msqid, &m, SIZE, 0, 0);
			break;
		case API_POSIX:
			n = mq_receive(p->mqd, buf, SIZE, NULL);
			break;
		default: /* writes of 7 bytes are atomic, yet a read may still split one */
			n = 0;
			while (n < SIZE) {
				ssize_t k = read(p->fds[0], buf + n, (size_t)(SIZE - n));
				if (k <= 0) {
					n = -1;
					break;
				}
				n += k;
			}
			break;
		}
		if (n != SIZE) {
			if (n < 0)
				perror("bench-kernel: consumer");
			else
				fprintf(stderr, "bench-kernel: consumer: %zd bytes, not %d\n", n,
					SIZE);
			return 1;
		}
	}
	return 0;
}

/* ---- the queue: made, and removed on every path ---- */

static void remove_queue(Peer *p)
{
	if (p->msqid >= 0 && msgctl(p->msqid, IPC_RMID, NULL) < 0)
		perror("bench-kernel: msgctl IPC_RMID");
	p->msqid = -1;
}

/* The POSIX limit on mq_maxmsg for a process without CAP_SYS_RESOURCE; in a private
 * namespace (PRIVATE) it is ours to raise to CAPACITY first. */
static long posix_msg_max(int private, long capacity)
{
	const char *path = "/proc/sys/fs/mqueue/msg_max";
	long max = 10;
	FILE *f = fopen(path, "r");
	if (f) {
		if (fscanf(f, "%ld", &max) != 1)
			max = 10;
		fclose(f);
	}
	if (private && capacity > max && (f = fopen(path, "w"))) {
		if (fprintf(f, "%ld\n", capacity) > 0 && fclose(f) == 0)
			return capacity;
		fclose(f);
	}
	return max;
}

/* Makes the queue; returns the capacity in use, or -1. */
static long make_queue(Peer *p, long capacity, int private)
{
	if (p->api == API_SYSV) {
		p->msqid = msgget(IPC_PRIVATE, IPC_CREAT | 0600);
		if (p->msqid < 0) {
			perror("bench-kernel: msgget");
			return -1;
		}
		struct msqid_ds ds;
		if (msgctl(p->msqid, IPC_STAT, &ds) < 0) {
			perror("bench-kernel: msgctl IPC_STAT");
			return -1;
		}
		if (capacity > 0) {
			ds.msg_qbytes = (msglen_t)capacity * SIZE;
			if (msgctl(p->msqid, IPC_SET, &ds) < 0) {
				perror("bench-kernel: msgctl IPC_SET");
				return -1;
			}
		}
		return (long)(ds.msg_qbytes / SIZE);
	}
	if (p->api == API_POSIX) {
		char name[64];
		snprintf(name, sizeof name, "/msgsim-bench-%ld", (long)getpid());
		long max = posix_msg_max(private, capacity);
		struct mq_attr a = { .mq_maxmsg = capacity, .mq_msgsize = SIZE };
		if (capacity <= 0 || capacity > max)
			a.mq_maxmsg = max;
		p->mqd = mq_open(name, O_RDWR | O_CREAT | O_EXCL, 0600, &a);
		if (p->mqd == (mqd_t)-1 && errno == EINVAL && a.mq_maxmsg > 10) {
			a.mq_maxmsg = 10; /* the limit was not ours to raise after all */
			p->mqd = mq_open(name, O_RDWR | O_CREAT | O_EXCL, 0600, &a);
		}
		if (p->mqd == (mqd_t)-1) {
			perror("bench-kernel: mq_open");
			return -1;
		}
		mq_unlink(name);
		if (mq_getattr(p->mqd, &a) < 0) {
			perror("bench-kernel: mq_getattr");
			return -1;
		}
		return a.mq_maxmsg;
	}
	if (pipe(p->fds) < 0) {
		perror("bench-kernel: pipe");
		return -1;
	}
	return fcntl(p->fds[0], F_GETPIPE_SZ);
}

/* ---- the parent ---- */

static pid_t spawn(Peer *p, int (*body)(const Peer *), pid_t parent, const sigset_t *old)
{
	pid_t pid = fork();
	if (pid != 0)
		return pid;
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() != parent) /* the parent died before the line above */
		_exit(1);
	sigprocmask(SIG_SETMASK, old, NULL);
	if (p->api == API_PIPE)
		close(body == produce ? p->fds[0] : p->fds[1]);
	_exit(body(p));
}

static void kill_children(pid_t *kids)
{
	for (int i = 0; i < 2; i++)
		if (kids[i] > 0) {
			kill(kids[i], SIGKILL);
			while (waitpid(kids[i], NULL, 0) < 0 && errno == EINTR)
				;
			kids[i] = 0;
		}
}

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void usage(void)
{
	fprintf(stderr, "usage: bench-kernel sysv|posix|pipe MESSAGES [CAPACITY]\n");
	exit(2);
}

int main(int argc, char **argv)
{
	if (argc < 3 || argc > 4)
		usage();
	Peer p = { .msqid = -1, .mqd = (mqd_t)-1, .fds = { -1, -1 } };
	if (strcmp(argv[1], "sysv") == 0)
		p.api = API_SYSV;
	else if (strcmp(argv[1], "posix") == 0)
		p.api = API_POSIX;
	else if (strcmp(argv[1], "pipe") == 0)
		p.api = API_PIPE;
	else
		usage();
	char *end;
	p.messages = strtol(argv[2], &end, 10);
	if (*end || p.messages < 1)
		usage();
	long capacity = argc > 3 ? strtol(argv[3], &end, 10) : 0;
	if (argc > 3 && (*end || capacity < 0))
		usage();

	sigset_t set, old;
	sigemptyset(&set);
	sigaddset(&set, SIGCHLD);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGHUP);
	sigprocmask(SIG_BLOCK, &set, &old);

	int private = p.api != API_PIPE && unshare(CLONE_NEWIPC) == 0;
	const char *ns = private ? "private" : "shared";
	long used = make_queue(&p, capacity, private);
	if (used < 0) {
		remove_queue(&p);
		return 1;
	}

	double t0 = now();
	pid_t self = getpid();
	pid_t kids[2] = { spawn(&p, consume, self, &old), 0 };
	if (kids[0] > 0)
		kids[1] = spawn(&p, produce, self, &old);
	if (kids[0] < 0 || kids[1] < 0) {
		perror("bench-kernel: fork");
		kids[0] = kids[0] < 0 ? 0 : kids[0];
		kids[1] = kids[1] < 0 ? 0 : kids[1];
		kill_children(kids);
		remove_queue(&p);
		return 1;
	}
	if (p.api == API_PIPE) {
		close(p.fds[0]);
		close(p.fds[1]);
	}

	int failed = 0;
	while (kids[0] || kids[1]) {
		siginfo_t si;
		int sig = sigwaitinfo(&set, &si);
		if (sig < 0 && errno == EINTR)
			continue;
		if (sig != SIGCHLD) {
			if (sig < 0)
				perror("bench-kernel: sigwaitinfo");
			kill_children(kids);
			remove_queue(&p);
			return sig < 0 ? 1 : 128 + sig;
		}
		for (int i = 0; i < 2; i++) {
			int st;
			if (kids[i] && waitpid(kids[i], &st, WNOHANG) == kids[i]) {
				kids[i] = 0;
				if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
					failed = 1;
			}
		}
		if (failed)
			kill_children(kids);
	}
	double t1 = now();
	remove_queue(&p);
	if (failed)
		return 1;
	printf("%s %ld %ld %s %.6f\n", argv[1], p.messages, used, ns, t1 - t0);
	return 0;
}
