/* guest.c — starting guests under the seccomp listener, and talking to them.
 *
 * A guest is forked by the supervisor, in the private namespaces sim_exec_namespaces made,
 * installs the filter (SECCOMP_FILTER_FLAG_NEW_LISTENER), passes the listener to the
 * supervisor over a socket (SCM_RIGHTS) and calls execve, which the filter traps: so every
 * guest is born parked at a known point, and no guest code runs before the scheduler picks
 * it. The one design choice to know: the filter, not libc, decides what is trapped, so
 * syscall(2) and static binaries are served the same; and the supervisor's death or
 * SIGTERM takes every guest with it (PR_SET_PDEATHSIG on each, and a private init whose
 * death ends the PID namespace).
 */
#undef _POSIX_C_SOURCE
#define _GNU_SOURCE

#include <errno.h>
#include <fcntl.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <poll.h>
#include <pty.h>
#include <sched.h>
#include <signal.h>
#include <stddef.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/personality.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <stdint.h>
#include <sys/uio.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#include "exec/exec_int.h"

/* Linux 6.6; older headers lack them. */
#ifndef SECCOMP_IOCTL_NOTIF_SET_FLAGS
#define SECCOMP_IOCTL_NOTIF_SET_FLAGS SECCOMP_IOW(4, __u64)
#endif
#ifndef SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV /* Linux 5.19 */
#define SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV (1UL << 5)
#endif
#ifndef SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP
#define SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP (1UL << 0)
#endif

static GQuark exec_quark(void)
{
	return g_quark_from_static_string("msgsim-exec");
}

/* ---- The filter ---- */

#define ARCH_NR AUDIT_ARCH_X86_64
#define LOAD(field) BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, field))
#define TRAP_IF(nr, skip) BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (nr), (skip), 0)

/* Traps the reads (tty.c: which descriptor is the terminal cannot be told by its number
 * either), the SysV queue calls, the process calls (so that fork and threads are seen, and
 * execve is a parking point), sleeps (virtual time), waits, getrandom (from the seed),
 * the POSIX queue calls, close, dup2 and dup3 (posix.c: a queue's descriptor is a
 * placeholder),
 * the clocks and arch_prctl (clock.c: virtual time, and the vDSO's patch),
 * opens (/proc/sysvipc/msg shows the model) and writes (those that reach the run's terminal are served,
 * the others go on: glibc's perror writes to a dup of descriptor 2, so the descriptor's
 * number cannot tell), the signal calls, timers and exit_group (signals.c); lets
 * everything else run. Each TRAP_IF jumps to the last instruction, so a new one added at
 * the top takes the next larger offset, and the x32 check's offset grows by one.
 * Another architecture's calls (x32, i386) are killed: their numbers would mean other
 * calls. */
static struct sock_filter filter_code[] = {
	LOAD(arch),
	BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, ARCH_NR, 1, 0),
	BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS),
	LOAD(nr),
	BPF_JUMP(BPF_JMP | BPF_JGE | BPF_K, 0x40000000, 58, 0), /* x32: kill */
	/* The calls that can read a descriptor or wait for one to be readable (tty.c):
	 * those of the terminal are served, the others go on as they arrive; close_range,
	 * so that what is known of a descriptor is forgotten when it closes */
	TRAP_IF(__NR_poll, 58),
	TRAP_IF(__NR_ppoll, 57),
	TRAP_IF(__NR_select, 56),
	TRAP_IF(__NR_pselect6, 55),
	TRAP_IF(__NR_close_range, 54),
	TRAP_IF(__NR_read, 53),
	TRAP_IF(__NR_readv, 52),
	TRAP_IF(__NR_preadv2, 51),
	TRAP_IF(__NR_splice, 50),
	TRAP_IF(__NR_sendfile, 49),
	TRAP_IF(__NR_io_uring_setup, 48),
	/* Signals and timers (signals.c), exit_group (a child's SIGCHLD at a known point),
	 * socket (a netlink socket tells why glibc then makes a thread) */
	TRAP_IF(__NR_kill, 47),
	TRAP_IF(__NR_tkill, 46),
	TRAP_IF(__NR_tgkill, 45),
	TRAP_IF(__NR_rt_sigqueueinfo, 44),
	TRAP_IF(__NR_rt_tgsigqueueinfo, 43),
	TRAP_IF(__NR_pidfd_send_signal, 42),
	TRAP_IF(__NR_alarm, 41),
	TRAP_IF(__NR_setitimer, 40),
	TRAP_IF(__NR_getitimer, 39),
	TRAP_IF(__NR_pause, 38),
	TRAP_IF(__NR_rt_sigsuspend, 37),
	TRAP_IF(__NR_exit_group, 36),
	TRAP_IF(__NR_socket, 35),
	TRAP_IF(__NR_rt_sigtimedwait, 34),
	TRAP_IF(__NR_arch_prctl, 33),
	TRAP_IF(__NR_clock_gettime, 32),
	TRAP_IF(__NR_gettimeofday, 31),
	TRAP_IF(__NR_time, 30),
	TRAP_IF(__NR_dup2, 29),
	TRAP_IF(__NR_dup3, 28),
	TRAP_IF(__NR_close, 27),
	TRAP_IF(__NR_mq_open, 26),
	TRAP_IF(__NR_mq_unlink, 25),
	TRAP_IF(__NR_mq_timedsend, 24),
	TRAP_IF(__NR_mq_timedreceive, 23),
	TRAP_IF(__NR_mq_notify, 22),
	TRAP_IF(__NR_mq_getsetattr, 21),
	TRAP_IF(__NR_getrandom, 20),
	TRAP_IF(__NR_open, 19),
	TRAP_IF(__NR_openat, 18),
	TRAP_IF(__NR_nanosleep, 17),
	TRAP_IF(__NR_clock_nanosleep, 16),
	TRAP_IF(__NR_wait4, 15),
	TRAP_IF(__NR_waitid, 14),
	TRAP_IF(__NR_msgget, 13),
	TRAP_IF(__NR_msgsnd, 12),
	TRAP_IF(__NR_msgrcv, 11),
	TRAP_IF(__NR_msgctl, 10),
	TRAP_IF(__NR_clone, 9),
	TRAP_IF(__NR_clone3, 8),
	TRAP_IF(__NR_fork, 7),
	TRAP_IF(__NR_vfork, 6),
	TRAP_IF(__NR_execve, 5),
	TRAP_IF(__NR_execveat, 4),
	TRAP_IF(__NR_write, 3),
	TRAP_IF(__NR_writev, 2),
	BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS),
	BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_USER_NOTIF),
};

static int install_filter(void)
{
	struct sock_fprog prog = { .len = G_N_ELEMENTS(filter_code),
				   .filter = filter_code };
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		return -1;
	/* WAIT_KILLABLE_RECV: once msgsim has received a call, a signal leaves it in place
	 * (pending) instead of withdrawing it, so signals act when signals.c says. */
	return (int)syscall(__NR_seccomp, SECCOMP_SET_MODE_FILTER,
			    SECCOMP_FILTER_FLAG_NEW_LISTENER |
				    SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV,
			    &prog);
}

/* ---- Probing the kernel ---- */

static gboolean fail_version(GError **error, const char *what, int err)
{
	struct utsname u;
	g_set_error(error, exec_quark(), 1, "exec needs %s; this kernel is %s: %s", what,
		    uname(&u) == 0 ? u.release : "unknown", g_strerror(err));
	return FALSE;
}

static void send_fd(int sock, int fd);
static int recv_fd(int sock);

/* A throw-away child installs the filter and passes the listener back (sendmsg is not
 * trapped; a write would be, and would wait for a supervisor that is not there yet). */
gboolean sim_exec_supported(GError **error)
{
	int sv[2];
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0)
		return fail_version(error, "a socket pair", errno);
	pid_t pid = fork();
	if (pid < 0)
		return fail_version(error, "fork", errno);
	if (pid == 0) {
		int fd = install_filter();
		if (fd >= 0)
			send_fd(sv[1], fd);
		syscall(__NR_exit, 0); /* exit_group would be trapped, with nobody to answer */
		_exit(0);
	}
	close(sv[1]);
	int fd = recv_fd(sv[0]);
	int e = fd < 0 ? ENOSYS : 0;
	waitpid(pid, NULL, 0);
	close(sv[0]);
	if (fd >= 0)
		close(fd);
	if (e)
		return fail_version(error, "seccomp user notification with killable waits "
					   "(SECCOMP_FILTER_FLAG_NEW_LISTENER and "
					   "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV, Linux 5.19 "
					   "or later)",
				    e);
	return TRUE;
}

/* ---- Namespaces and clean-up ---- */

static volatile pid_t cleanup_init = 0;

static void on_fatal_signal(int sig)
{
	/* Async-signal-safe: the init's death ends every process in the namespace. */
	if (cleanup_init > 0)
		kill(cleanup_init, SIGKILL);
	signal(sig, SIG_DFL);
	raise(sig);
}

gboolean sim_exec_namespaces(SimExec *x, GError **error)
{
	/* Serialised guests gain nothing from a second CPU, and a wake-up that stays on one
	 * CPU is what SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP makes cheap. */
	int cpu = sched_getcpu();
	if (cpu >= 0 && !g_getenv("MSGSIM_EXEC_NOPIN")) {
		cpu_set_t set;
		CPU_ZERO(&set);
		CPU_SET((size_t)cpu, &set);
		(void)sched_setaffinity(0, sizeof set, &set);
	}
	if (unshare(CLONE_NEWIPC | CLONE_NEWNS | CLONE_NEWPID) < 0) {
		g_set_error(error, exec_quark(), 2,
			    "exec needs private IPC, PID and mount namespaces (run it as root, "
			    "with CAP_SYS_ADMIN): unshare: %s",
			    g_strerror(errno));
		return FALSE;
	}
	/* Nothing the run mounts may leak to the machine. */
	(void)mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL);
	pid_t parent = getpid();
	pid_t pid = fork();
	if (pid < 0) {
		g_set_error(error, exec_quark(), 2, "exec: fork: %s", g_strerror(errno));
		return FALSE;
	}
	if (pid == 0) { /* pid 1 of the guests' namespace: it only holds the namespace */
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		(void)parent; /* its parent is outside the namespace: getppid() is 0 here */
		signal(SIGCHLD, SIG_IGN); /* orphans are reaped at once */
		for (;;)
			pause();
	}
	x->init_pid = pid;
	cleanup_init = pid;
	/* One terminal for every guest's standard input, output and error. Writes that reach
	 * it and reads of it are served by the supervisor (so nothing is ever read from the
	 * master, nor written to it); the master stays open so that the terminal never hangs
	 * up. */
	struct stat st;
	if (openpty(&x->tty_master, &x->tty_slave, NULL, NULL, NULL) < 0 ||
	    fstat(x->tty_slave, &st) < 0) {
		if (x->tty_slave >= 0) {
			close(x->tty_slave);
			close(x->tty_master);
		}
		x->tty_master = x->tty_slave = -1;
	} else {
		x->tty_rdev = st.st_rdev;
		fcntl(x->tty_master, F_SETFD, FD_CLOEXEC);
		fcntl(x->tty_slave, F_SETFD, FD_CLOEXEC);
	}
	struct sigaction sa = { .sa_handler = on_fatal_signal };
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	return TRUE;
}

void sim_exec_kill_all(SimExec *x)
{
	for (guint i = 0; i < sim_exec_n(x); i++) {
		SimGuest *g = sim_exec_guest(x, i);
		if (!sim_exec_exited_state(g) && g->pid > 0) {
			kill(g->pid, SIGKILL);
			waitpid(g->pid, &g->status, 0);
			sim_exec_task_gone(x, g);
		}
		if (g->listener >= 0 && g->own_listener)
			close(g->listener);
		if (g->pidfd >= 0)
			close(g->pidfd);
		if (g->errpipe >= 0)
			close(g->errpipe);
		g->listener = g->pidfd = g->errpipe = -1;
	}
	if (x->tty_slave >= 0) {
		close(x->tty_slave);
		close(x->tty_master);
		x->tty_slave = x->tty_master = -1;
	}
	if (x->init_pid > 0) {
		kill(x->init_pid, SIGKILL);
		waitpid(x->init_pid, NULL, 0);
		x->init_pid = 0;
		cleanup_init = 0;
	}
}

/* ---- Starting a guest ---- */

static void send_fd(int sock, int fd)
{
	char byte = 0;
	struct iovec iov = { &byte, 1 };
	union {
		char buf[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} u;
	memset(&u, 0, sizeof u);
	struct msghdr mh = { .msg_iov = &iov,
			     .msg_iovlen = 1,
			     .msg_control = u.buf,
			     .msg_controllen = sizeof u.buf };
	struct cmsghdr *c = CMSG_FIRSTHDR(&mh);
	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(c), &fd, sizeof fd);
	(void)!sendmsg(sock, &mh, 0);
}

static int recv_fd(int sock)
{
	char byte;
	struct iovec iov = { &byte, 1 };
	union {
		char buf[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} u;
	struct msghdr mh = { .msg_iov = &iov,
			     .msg_iovlen = 1,
			     .msg_control = u.buf,
			     .msg_controllen = sizeof u.buf };
	if (recvmsg(sock, &mh, MSG_CMSG_CLOEXEC) != 1)
		return -1;
	struct cmsghdr *c = CMSG_FIRSTHDR(&mh);
	if (!c || c->cmsg_type != SCM_RIGHTS)
		return -1;
	int fd;
	memcpy(&fd, CMSG_DATA(c), sizeof fd);
	return fd;
}

/* The child's side: never returns. Its standard input, output and error are a terminal (a
 * pty), so that stdio buffers by line as it would for a student at a shell. */
static void guest_child(pid_t parent, int sock, int errfd, int tty, char *const *argv)
{
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	(void)parent;
	if (getppid() != 0) /* the supervisor, outside the namespace, shows as 0; else it died */
		_exit(127);
	personality(ADDR_NO_RANDOMIZE);
	setpgid(0, 0); /* its own process group, as a shell's job: kill(0, sig) stays in it */
	if (tty >= 0) { /* its reads are served from the run's input (tty.c) */
		dup2(tty, 0);
		dup2(tty, 1);
		dup2(tty, 2);
	} else {
		int null = open("/dev/null", O_RDONLY);
		if (null >= 0)
			dup2(null, 0);
	}
	int fd = install_filter();
	if (fd < 0) {
		int e = errno;
		(void)!write(errfd, &e, sizeof e);
		_exit(127);
	}
	send_fd(sock, fd);
	close(fd);
	close(sock);
	execvp(argv[0], argv); /* trapped: the guest parks here until it is picked */
	int e = errno;
	(void)!write(errfd, &e, sizeof e);
	_exit(127);
}

static void read_status(pid_t pid, int *nspid, pid_t *ppid);

gboolean sim_exec_start(SimExec *x, char *const *argv, GError **error)
{
	int sv[2], ep[2];
	if (sim_exec_n(x) >= SIM_EXEC_MAX_GUESTS) {
		g_set_error(error, exec_quark(), 2, "exec: at most %d programs",
			    SIM_EXEC_MAX_GUESTS);
		return FALSE;
	}
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0 ||
	    pipe2(ep, O_CLOEXEC) < 0) {
		g_set_error(error, exec_quark(), 2, "exec: %s", g_strerror(errno));
		return FALSE;
	}
	pid_t parent = getpid();
	pid_t pid = fork();
	if (pid == 0)
		guest_child(parent, sv[1], ep[1], x->tty_slave, argv);
	close(sv[1]);
	close(ep[1]);
	SimGuest *g = sim_exec_guest_add(x); /* room checked above */
	g->pid = pid;
	g->listener = pid > 0 ? recv_fd(sv[0]) : -1;
	g->errpipe = ep[0];
	g->pidfd = pid > 0 ? (int)syscall(__NR_pidfd_open, pid, 0) : -1;
	SimCred cred = { .uid = (gint64)geteuid(), .gid = (gint64)getegid() };
	cred.caps =
		geteuid() == 0 ? SIM_CAP_IPC_OWNER | SIM_CAP_SYS_ADMIN | SIM_CAP_SYS_RESOURCE : 0;
	sim_exec_task_init(x, g, &cred);
	close(sv[0]);
	if (pid < 0 || g->listener < 0 || g->pidfd < 0) {
		int e = 0;
		if (read(g->errpipe, &e, sizeof e) != sizeof e)
			e = pid < 0 ? errno : EIO;
		g_set_error(error, exec_quark(), 2, "exec: cannot start %s: %s", argv[0],
			    g_strerror(e));
		return FALSE;
	}
	pid_t ppid;
	read_status(pid, &g->nspid, &ppid);
	g_autofree char *base = g_path_get_basename(argv[0]);
	g->name = g_strdup_printf("%d %s", g->nspid, base);
	unsigned long flags = SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP;
	if (ioctl(g->listener, SECCOMP_IOCTL_NOTIF_SET_FLAGS, flags) == 0)
		x->has_sync_wakeup = TRUE;
	else if (sim_exec_n(x) == 1) {
		g_set_error(error, exec_quark(), 1,
			    "exec needs SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP (Linux 6.6 or later): "
			    "without it every call costs a cross-CPU wake-up; this kernel: %s",
			    g_strerror(errno));
		return FALSE;
	}
	g->task->name = g->name;
	g->task->pid = g->nspid; /* what the kernel prints for it: its pid in the namespace */
	sim_exec_task_run(x, g); /* it runs to its execve, where the filter parks it */
	g->own_listener = TRUE;
	g->parent = -1;
	if (!sim_exec_wait(x) || !sim_exec_parked(g)) {
		g_set_error(error, exec_quark(), 2, "exec: %s did not reach its execve", argv[0]);
		return FALSE;
	}
	return TRUE;
}

/* ---- Talking to a guest ---- */

/* NSpid (last field: the guests' namespace) and PPid (the supervisor's view) of pid. */
static void read_status(pid_t pid, int *nspid, pid_t *ppid)
{
	char path[64], *text = NULL;
	g_snprintf(path, sizeof path, "/proc/%d/status", (int)pid);
	*nspid = (int)pid;
	*ppid = 0;
	if (!g_file_get_contents(path, &text, NULL, NULL))
		return;
	const char *p = strstr(text, "\nPPid:");
	if (p)
		*ppid = (pid_t)atoi(p + 6);
	p = strstr(text, "\nNSpid:");
	if (p) {
		p += 7;
		const char *end = strchr(p, '\n');
		const char *last = p;
		for (const char *q = p; *q && q < end; q++)
			if (*q == '\t' || *q == ' ')
				last = q + 1;
		*nspid = atoi(last);
	}
	g_free(text);
}

/* A forked guest is its parent's child, not the supervisor's, so its wait status is read
 * from /proc/PID/stat (exit_code, the 52nd field) while it is a zombie its parent has not
 * collected: its parent's wait is trapped, so it cannot collect it before msgsim looks. */
static void zombie_status(SimGuest *g)
{
	char path[64], *text = NULL;
	g_snprintf(path, sizeof path, "/proc/%d/stat", (int)g->pid);
	if (!g_file_get_contents(path, &text, NULL, NULL))
		return;
	const char *p = strrchr(text, ')'); /* the command name may hold anything before */
	for (int field = 2; p && field < 52; field++)
		p = strchr(p + 1, ' ');
	if (p)
		g->status = atoi(p + 1);
	g_free(text);
}

static SimGuest *find_pid(SimExec *x, pid_t pid)
{
	for (guint i = 0; i < sim_exec_n(x); i++) {
		SimGuest *g = sim_exec_guest(x, i);
		if (g->pid == pid && !sim_exec_exited_state(g))
			return g;
	}
	return NULL;
}

/* A child a guest forked: a guest of its own from now on, running until it parks. */
static SimGuest *adopt(SimExec *x, pid_t pid, int listener)
{
	if (sim_exec_n(x) >= SIM_EXEC_MAX_GUESTS) {
		kill(pid, SIGKILL);
		if (!x->refusal)
			x->refusal = g_strdup_printf("more than %d processes", SIM_EXEC_MAX_GUESTS);
		return NULL;
	}
	pid_t ppid;
	SimGuest *g = sim_exec_guest_add(x); /* room checked above */
	g->pid = pid;
	read_status(pid, &g->nspid, &ppid);
	SimGuest *p = find_pid(x, ppid);
	g->parent = p ? p->idx : -1;
	g->listener = listener;
	g->errpipe = -1;
	g->pidfd = (int)syscall(__NR_pidfd_open, pid, 0);
	const char *base = p ? strchr(p->name, ' ') : NULL;
	g->name = g_strdup_printf("%d%s", g->nspid, base ? base : " child");
	sim_exec_task_init(x, g, p ? &p->task->cred : &sim_exec_guest(x, 0)->task->cred);
	if (p)
		sim_exec_task_forked(x, g); /* its parent's wait counts it */
	g->task->pid = g->nspid;
	sim_exec_task_run(x, g); /* from fork's return to its first trapped call */
	if (p)
		sim_exec_trace(x, p, "forked %s", g->name);
	return g;
}

/* Whether pid is a guest's: a live one, or one that has ended but is still a zombie its
 * parent has not collected (its parent's children file still lists it). */
static gboolean known_pid(const SimExec *x, pid_t pid)
{
	for (guint i = 0; i < sim_exec_n(x); i++) {
		const SimGuest *g = sim_exec_guest(x, i);
		if (g->pid == pid && (!sim_exec_exited_state(g) || !g->task->reaped))
			return TRUE;
	}
	return FALSE;
}

/* The children a guest that forked has now (they run from fork's return on). */
static void find_children(SimExec *x, SimGuest *p)
{
	char path[96], *text = NULL;
	p->forked = FALSE;
	g_snprintf(path, sizeof path, "/proc/%d/task/%d/children", (int)p->pid, (int)p->pid);
	if (!g_file_get_contents(path, &text, NULL, NULL))
		return;
	char *end = text;
	for (;;) {
		long c = strtol(end, &end, 10);
		if (c <= 0)
			break;
		if (!known_pid(x, (pid_t)c))
			adopt(x, (pid_t)c, p->listener);
	}
	g_free(text);
}

/* A guest held in vfork counts as running until its child is known: the child's first
 * call (its execve) is what must be waited for then. */
static gboolean held_alone(const SimExec *x, const SimGuest *p)
{
	if (!p->held || p->task->state != SIM_STATE_RUNNING)
		return FALSE;
	for (guint i = 0; i < sim_exec_n(x); i++) {
		const SimGuest *c = sim_exec_guest(x, i);
		if (c->parent == p->idx && !sim_exec_exited_state(c))
			return FALSE;
	}
	return TRUE;
}

static gboolean any_running(const SimExec *x)
{
	for (guint i = 0; i < sim_exec_n(x); i++) {
		const SimGuest *g = sim_exec_guest(x, i);
		if (sim_exec_running(g) || (g->forked && !g->held) || held_alone(x, g))
			return TRUE;
	}
	return FALSE;
}

static gboolean waiting(const SimGuest *g)
{
	return g->task->state == SIM_STATE_BLOCKED || sim_exec_woken(g) ||
	       g->task->state == SIM_STATE_SLEEPING;
}

static gboolean same_call(const struct seccomp_notif *a, const struct seccomp_notif *b)
{
	return a->data.nr == b->data.nr && memcmp(a->data.args, b->data.args,
						    sizeof a->data.args) == 0;
}

/* A waiting guest came back with another call: a signal ended the one it waited in (EINTR,
 * no SA_RESTART), and it ran on unseen. Its waiter leaves the model's list. The run's own
 * signals never do this (the filter waits killably, and signals.c ends waits at known
 * points): only a signal from outside the run, sent before msgsim received the call. */
static void abandon(SimExec *x, SimGuest *g)
{
	if (g->task->waiter.queue)
		sim_waitq_del(&g->task->waiter);
	if (g->task->waiter.msg) {
		sim_msg_pool_put(&x->w->pool, g->task->waiter.msg);
		g->task->waiter.msg = NULL;
	}
	sim_exec_trace(x, g, "its waiting call was ended by a signal from outside the run");
}

/* Whether a guest still alive gets its calls through listener. */
static gboolean listener_used(const SimExec *x, int listener)
{
	for (guint i = 0; i < sim_exec_n(x); i++) {
		const SimGuest *g = sim_exec_guest(x, i);
		if (g->listener == listener && !sim_exec_exited_state(g))
			return TRUE;
	}
	return FALSE;
}

#define MQ_WATCHED 64 /* POSIX queue descriptions watched for their last close; more: reap */

/* One poll over the listeners of live guests, the pidfds of running and held ones, and the
 * POSIX queue placeholders (a hang-up there is a description's last close: the next step
 * reaps; until then they are not watched, so that the hang-up does not end every poll). */
static gboolean wait_once(SimExec *x, int timeout)
{
	struct pollfd p[2 * SIM_EXEC_MAX_GUESTS + MQ_WATCHED];
	SimGuest *who[2 * SIM_EXEC_MAX_GUESTS];
	guint n = 0;
	for (guint i = 0; i < sim_exec_n(x); i++) {
		SimGuest *g = sim_exec_guest(x, i);
		if (g->own_listener && listener_used(x, g->listener)) {
			/* Its children share it, and go on after it exits (orphans). */
			p[n] = (struct pollfd){ g->listener, POLLIN, 0 };
			who[n++] = NULL;
		}
		if (sim_exec_exited_state(g))
			continue;
		if (g->task->state == SIM_STATE_RUNNING) { /* running or held */
			p[n] = (struct pollfd){ g->pidfd, POLLIN, 0 };
			who[n++] = g;
		}
	}
	guint watched = 0;
	if (!x->mq_reap_due) {
		gboolean all;
		watched = sim_exec_mq_watch(x, p + n, MQ_WATCHED, &all);
		if (!all)
			x->mq_reap_due = TRUE;
	}
	int r = poll(p, n + watched, timeout);
	if (r < 0 && errno == EINTR)
		return TRUE;
	if (r <= 0)
		return FALSE;
	for (guint i = n; i < n + watched; i++)
		if (p[i].revents)
			x->mq_reap_due = TRUE;
	for (guint i = 0; i < n; i++) {
		if (!(p[i].revents & POLLIN))
			continue;
		if (!who[i]) { /* a notification: whose? */
			struct seccomp_notif nf;
			memset(&nf, 0, sizeof nf);
			if (ioctl(p[i].fd, SECCOMP_IOCTL_NOTIF_RECV, &nf) != 0)
				continue;
			SimGuest *g = find_pid(x, (pid_t)nf.pid);
			if (!g)
				g = adopt(x, (pid_t)nf.pid, p[i].fd);
			if (g && sim_exec_is_clock(nf.data.nr)) {
				sim_exec_serve_clock(x, g, &nf);
			} else if (g && sim_exec_sig_at_once(x, g, &nf)) {
			} else if (g && (sim_exec_fds_change(x, g, &nf),
					 sim_exec_read_at_once(x, g, &nf))) {
			} else if (g && waiting(g) && same_call(&g->notif, &nf)) {
				/* A signal withdrew the waiting call and SA_RESTART brought it back:
				 * for the model it never stopped waiting. */
				g->notif.id = nf.id;
			} else if (g) {
				if (sim_exec_stopped(g)) /* continued, and parked already */
					sim_exec_sig_continued(x, g);
				if (waiting(g))
					abandon(x, g);
				g->notif = nf;
				sim_exec_task_park(x, g);
				sim_exec_mq_close(x, g);
			}
		} else if (!sim_exec_exited_state(who[i])) {
			SimGuest *g = who[i];
			if (g->parent < 0)
				waitpid(g->pid, &g->status, 0);
			else
				zombie_status(g);
			sim_exec_task_gone(x, g);
			sim_exec_exited(x, g);
		}
	}
	return TRUE;
}

gboolean sim_exec_wait(SimExec *x)
{
	int timeout = x->opt->timeout_ms ? (int)x->opt->timeout_ms : 10000;
	gint64 since = g_get_monotonic_time();
	while (any_running(x)) {
		/* A parent's child exists for sure once its fork has returned in the parent, that
		 * is once the parent has parked again (or exited: then it is found by its
		 * first call, or not at all). */
		for (guint i = 0; i < sim_exec_n(x); i++) {
			SimGuest *g = sim_exec_guest(x, i);
			if (g->forked && sim_exec_exited_state(g))
				g->forked = FALSE;
			else if (g->forked && g->task->state != SIM_STATE_RUNNING)
				find_children(x, g);
		}
		if (!any_running(x))
			break;
		/* A guest a stop signal may stop never parks, and nothing it has says so: it is
		 * looked at every 2 ms meanwhile (signals.c). Only then: no other run pays. */
		gboolean watch = sim_exec_sig_may_stop(x);
		if (wait_once(x, watch ? MIN(timeout, 2) : timeout)) {
			since = g_get_monotonic_time();
			continue;
		}
		if (!watch)
			return FALSE;
		if (sim_exec_sig_stops(x))
			since = g_get_monotonic_time();
		else if (g_get_monotonic_time() - since >= (gint64)timeout * 1000)
			return FALSE;
	}
	return TRUE;
}

gboolean sim_exec_answer(SimExec *x, SimGuest *g, gint64 val, int err, gboolean cont)
{
	x->last_val = val;
	x->last_err = err;
	x->last_continue = cont;
	struct seccomp_notif_resp r = { .id = g->notif.id };
	if (!cont)
		sim_exec_expect_call(x, g, val, err);
	if (cont)
		r.flags = SECCOMP_USER_NOTIF_FLAG_CONTINUE;
	else if (err)
		r.error = -err;
	else
		r.val = val;
	sim_exec_task_run(x, g);
	g->task->resuming = FALSE; /* answered: nothing left to finish */
	g->answered = TRUE;
	g->sig = 0; /* a pending signal is delivered as the call returns */
	return ioctl(g->listener, SECCOMP_IOCTL_NOTIF_SEND, &r) == 0;
}

/* By its device, not its open file: a reopen of /dev/stdin or /dev/pts/N is the terminal
 * too. */
gboolean sim_exec_to_terminal(const SimExec *x, const SimGuest *g, int fd)
{
	if (x->tty_slave < 0)
		return fd >= 0 && fd <= 2;
	char path[64];
	struct stat st;
	g_snprintf(path, sizeof path, "/proc/%d/fd/%d", (int)g->pid, fd);
	return fd >= 0 && stat(path, &st) == 0 && S_ISCHR(st.st_mode) && st.st_rdev == x->tty_rdev;
}

gboolean sim_exec_answer_fd(SimExec *x, SimGuest *g, int fd, gboolean cloexec)
{
	struct seccomp_notif_addfd a = { .id = g->notif.id,
					 .flags = SECCOMP_ADDFD_FLAG_SEND,
					 .srcfd = (__u32)fd,
					 .newfd_flags = cloexec ? O_CLOEXEC : 0 };
	int r = ioctl(g->listener, SECCOMP_IOCTL_NOTIF_ADDFD, &a);
	x->last_val = r;
	x->last_err = r < 0 ? errno : 0;
	sim_exec_expect_call(x, g, r, r < 0 ? errno : 0);
	x->last_continue = FALSE;
	sim_exec_task_run(x, g);
	g->task->resuming = FALSE;
	g->answered = TRUE;
	g->sig = 0;
	return r >= 0;
}

gboolean sim_exec_read(const SimGuest *g, guint64 addr, void *buf, gsize len)
{
	if (len == 0)
		return TRUE;
	struct iovec l = { buf, len }, r = { (void *)(uintptr_t)addr, len };
	return process_vm_readv(g->pid, &l, 1, &r, 1, 0) == (ssize_t)len;
}

gboolean sim_exec_write(const SimGuest *g, guint64 addr, const void *buf, gsize len)
{
	if (len == 0)
		return TRUE;
	struct iovec l = { (void *)(uintptr_t)buf, len }, r = { (void *)(uintptr_t)addr, len };
	return process_vm_writev(g->pid, &l, 1, &r, 1, 0) == (ssize_t)len;
}

/* The total length of n local buffers: the guest range they map to. */
static gsize iov_total(const struct iovec *local, int n)
{
	gsize len = 0;
	for (int i = 0; i < n; i++)
		len += local[i].iov_len;
	return len;
}

gboolean sim_exec_readv(const SimGuest *g, guint64 addr, const struct iovec *local, int n)
{
	gsize len = iov_total(local, n);
	struct iovec r = { (void *)(uintptr_t)addr, len };
	return len == 0 ||
	       process_vm_readv(g->pid, local, (unsigned long)n, &r, 1, 0) == (ssize_t)len;
}

gboolean sim_exec_writev(const SimGuest *g, guint64 addr, const struct iovec *local, int n)
{
	gsize len = iov_total(local, n);
	struct iovec r = { (void *)(uintptr_t)addr, len };
	return len == 0 ||
	       process_vm_writev(g->pid, local, (unsigned long)n, &r, 1, 0) == (ssize_t)len;
}
