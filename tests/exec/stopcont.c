/* stopcont.c — stop signals and SIGCONT between processes, as a program sees them; run
 * natively (in a private IPC namespace) and under `msgsim exec`, whose outputs must be equal.
 *
 * 1. A child blocked in msgrcv is stopped with SIGSTOP: waitpid(WUNTRACED) reports it. A
 *    message sent meanwhile stays queued (IPC_STAT's qnum is 1): the stopped receiver has
 *    left the queue's wait list. SIGCONT continues it (waitpid(WCONTINUED) reports it) and
 *    its msgrcv, restarted, takes the message. The parent's SIGCHLD handler hears of the
 *    stop (si_code CLD_STOPPED); then, with SA_NOCLDSTOP, of the exit only (CLD_EXITED).
 *    (Without SA_NOCLDSTOP the continue's SIGCHLD comes from the child as it goes on,
 *    while its parent runs on from its kill: natively and under exec alike, its handler
 *    runs before the parent's next call or as it returns, and msgsim's trace may show the
 *    arrival or not.)
 * 2. A child blocked in mq_receive is stopped with SIGTSTP, seen by waitid(WSTOPPED); a
 *    message sent meanwhile stays queued (curmsgs 1); SIGCONT, seen by waitid(WCONTINUED),
 *    restarts the call. The handler now has SA_NOCLDSTOP: it hears of the exit only.
 * Every line is printed by the parent, or by a child before the parent waits for it, so
 * that the order is the same natively.
 */
#include <errno.h>
#include <fcntl.h>
#include <mqueue.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/msg.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

struct m {
	long type;
	char text[16];
};

static volatile sig_atomic_t codes[16];
static volatile sig_atomic_t n_codes;

static void on_chld(int sig, siginfo_t *si, void *uc)
{
	(void)sig;
	(void)uc;
	if (n_codes < 16)
		codes[n_codes++] = si->si_code;
}

static void handle_chld(int flags)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_sigaction = on_chld;
	sa.sa_flags = SA_SIGINFO | SA_RESTART | flags;
	sigaction(SIGCHLD, &sa, NULL);
}

static const char *code_name(int c)
{
	switch (c) {
	case CLD_EXITED:
		return "exited";
	case CLD_STOPPED:
		return "stopped";
	case CLD_CONTINUED:
		return "continued";
	default:
		return "other";
	}
}

static void print_codes(const char *what)
{
	printf("%s: SIGCHLD codes:", what);
	for (int i = 0; i < n_codes; i++)
		printf(" %s", code_name(codes[i]));
	printf("\n");
	n_codes = 0;
}

/* 100 ms, whole: a SIGCHLD's handler may cut the sleep short (natively the continue's
 * comes when the child runs again, which may be during it). */
static void nap(void)
{
	struct timespec t = { 0, 100000000L };
	while (nanosleep(&t, &t) != 0 && errno == EINTR)
		;
}

static void print_status(const char *call, pid_t r, int st)
{
	if (r < 0)
		printf("%s: -1 %s\n", call, strerror(errno));
	else if (r == 0)
		printf("%s: 0 (nothing to report)\n", call);
	else if (WIFSTOPPED(st))
		printf("%s: stopped by %s\n", call, sigabbrev_np(WSTOPSIG(st)));
	else if (WIFCONTINUED(st))
		printf("%s: continued\n", call);
	else if (WIFEXITED(st))
		printf("%s: exited %d\n", call, WEXITSTATUS(st));
	else if (WIFSIGNALED(st))
		printf("%s: killed by %s\n", call, sigabbrev_np(WTERMSIG(st)));
}

static void print_info(const char *call, int r, const siginfo_t *si)
{
	if (r < 0)
		printf("%s: -1 %s\n", call, strerror(errno));
	else
		printf("%s: %s, status %d\n", call, code_name(si->si_code), si->si_status);
}

static void sysv(void)
{
	int q = msgget(IPC_PRIVATE, IPC_CREAT | 0600);
	struct m msg;
	struct msqid_ds ds;
	int st = 0;
	pid_t r;
	handle_chld(0);
	pid_t c = fork();
	if (c == 0) {
		struct m got, bye;
		ssize_t n = msgrcv(q, &got, sizeof got.text, 1, 0);
		msgrcv(q, &bye, sizeof bye.text, 2, 0); /* the parent has printed all by then */
		printf("receiver: msgrcv = %zd \"%s\"\n", n, n > 0 ? got.text : "");
		exit(7);
	}
	nap(); /* it blocks in msgrcv */
	kill(c, SIGSTOP);
	r = waitpid(c, &st, WUNTRACED);
	print_status("waitpid WUNTRACED", r, st);
	msg = (struct m){ 1, "hello" };
	msgsnd(q, &msg, sizeof msg.text, 0);
	msgctl(q, IPC_STAT, &ds);
	printf("sent while it is stopped: qnum %lu\n", (unsigned long)ds.msg_qnum);
	r = waitpid(c, &st, WNOHANG | WUNTRACED);
	print_status("waitpid WNOHANG|WUNTRACED", r, st);
	handle_chld(SA_NOCLDSTOP); /* see the top: the continue's SIGCHLD would race */
	kill(c, SIGCONT);
	r = waitpid(c, &st, WUNTRACED | WCONTINUED);
	print_status("waitpid WUNTRACED|WCONTINUED", r, st);
	nap(); /* it takes the message and waits for the second */
	msgctl(q, IPC_STAT, &ds);
	printf("after the continue: qnum %lu\n", (unsigned long)ds.msg_qnum);
	msg = (struct m){ 2, "bye" };
	msgsnd(q, &msg, sizeof msg.text, 0);
	r = waitpid(c, &st, WUNTRACED | WCONTINUED);
	print_status("waitpid WUNTRACED|WCONTINUED", r, st);
	print_codes("sysv");
	msgctl(q, IPC_RMID, NULL);
}

static void posix(void)
{
	struct mq_attr at = { .mq_maxmsg = 4, .mq_msgsize = 16 };
	mq_unlink("/stopcont");
	mqd_t mq = mq_open("/stopcont", O_CREAT | O_RDWR, 0600, &at);
	siginfo_t si;
	handle_chld(SA_NOCLDSTOP);
	pid_t c = fork();
	if (c == 0) {
		char buf[16] = "", bye[16];
		ssize_t r = mq_receive(mq, buf, sizeof buf, NULL);
		mq_receive(mq, bye, sizeof bye, NULL); /* the parent has printed all by then */
		printf("receiver: mq_receive = %zd \"%s\"\n", r, r > 0 ? buf : "");
		exit(3);
	}
	nap();
	kill(c, SIGTSTP);
	memset(&si, 0, sizeof si);
	print_info("waitid WSTOPPED", waitid(P_PID, (id_t)c, &si, WSTOPPED), &si);
	mq_send(mq, "world", 6, 0);
	mq_getattr(mq, &at);
	printf("sent while it is stopped: curmsgs %ld\n", at.mq_curmsgs);
	kill(c, SIGCONT);
	memset(&si, 0, sizeof si);
	print_info("waitid WCONTINUED", waitid(P_PID, (id_t)c, &si, WCONTINUED), &si);
	nap();
	mq_getattr(mq, &at);
	printf("after the continue: curmsgs %ld\n", at.mq_curmsgs);
	mq_send(mq, "bye", 4, 0);
	memset(&si, 0, sizeof si);
	print_info("waitid WEXITED", waitid(P_PID, (id_t)c, &si, WEXITED), &si);
	print_codes("posix");
	mq_close(mq);
	mq_unlink("/stopcont");
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	sysv();
	posix();
	return 0;
}
