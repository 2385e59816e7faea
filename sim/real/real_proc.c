/* real_proc.c — the real-kernel runner's process backend: sigaction, kill, exit, the
 * process's credentials (setup), fork and waitpid, one row of the ops table each (see
 * real_int.h).
 *
 * The design choice to know: these calls act on the worker itself, so two of them lean on
 * the worker machinery of real.c. SIM_REAL_FORK is the worker's own fork (the child must
 * take its command pipes from a channel slot and serve them: sim_real_worker_fork), and
 * SIM_REAL_SETUP, which may change the process's ids, must set the parent-death signal
 * again that a new euid clears (sim_real_worker_parent names the parent to die with).
 * SIM_REAL_EXIT only answers: the worker loop exits after sending that answer.
 */
#undef _POSIX_C_SOURCE
#define _GNU_SOURCE

#include <errno.h>
#include <grp.h>
#include <pthread.h>
#include <linux/capability.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "real/real_int.h"

/* The scenario's handler: the signal interrupts a call, and the handler records the
 * siginfo it was handed, for the cross-check to compare with what the model's handler body
 * read. Async-signal-safe: a slot is claimed with one atomic add (a handler that nests on
 * top takes the next one) and filled; the worker loop, on the thread the scenario's signals
 * go to, takes the records with every signal blocked, so no handler is half-way through.
 * Records past the log's end are only counted. */
#define SIGLOG_MAX 32
static gint64 siglog[SIGLOG_MAX][6];
static guint siglog_n;

static void on_signal(int signo, siginfo_t *si, void *uc)
{
	(void)uc;
	guint i = __atomic_fetch_add(&siglog_n, 1, __ATOMIC_SEQ_CST);
	if (i >= SIGLOG_MAX) {
		sim_real_hkill_run(signo, si);
		return;
	}
	siglog[i][0] = signo;
	siglog[i][1] = si->si_code;
	siglog[i][2] = si->si_pid;
	siglog[i][3] = si->si_uid;
	/* si_value is meaningful for the queued kinds (si_code < 0: SI_MESGQ, SI_QUEUE, ...);
	 * for SIGCHLD the same bytes hold si_status, and the model reads 0 there. */
	siglog[i][4] = si->si_code < 0 ? si->si_value.sival_int : 0;
	siglog[i][5] = signo == SIGCHLD ? si->si_status : 0;
	sim_real_hkill_run(signo, si); /* the body's kills (real_hkill.c) */
}

void sim_real_siglog_reset(void)
{
	siglog_n = 0;
}

void sim_real_siglog_take(SimRealResult *r)
{
	sigset_t all, old;
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &old);
	guint n = siglog_n;
	r->n_si = n;
	for (guint i = 0; i < n && i < SIM_REAL_SI_MAX; i++)
		memcpy(r->si[i], siglog[i], sizeof(siglog[i]));
	sim_real_siglog_reset();
	pthread_sigmask(SIG_SETMASK, &old, NULL);
}

/* The three capabilities SIM_REAL_SETUP decides about. */
static const struct {
	guint sim;
	int cap;
} setup_caps[] = {
	{ SIM_REAL_CAP_IPC_OWNER, CAP_IPC_OWNER },
	{ SIM_REAL_CAP_SYS_ADMIN, CAP_SYS_ADMIN },
	{ SIM_REAL_CAP_SYS_RESOURCE, CAP_SYS_RESOURCE },
};

typedef struct CapSets {
	struct __user_cap_header_struct hdr;
	struct __user_cap_data_struct d[_LINUX_CAPABILITY_U32S_3];
} CapSets;

static gboolean caps_get(CapSets *cs)
{
	memset(cs, 0, sizeof(*cs));
	cs->hdr.version = _LINUX_CAPABILITY_VERSION_3;
	return syscall(SYS_capget, &cs->hdr, cs->d) == 0;
}

static gboolean cap_in(const CapSets *cs, int cap)
{
	return (cs->d[cap / 32].permitted & (1u << (cap % 32))) != 0;
}

static void cap_set(CapSets *cs, int cap, gboolean on)
{
	guint32 bit = 1u << (cap % 32);
	struct __user_cap_data_struct *d = &cs->d[cap / 32];
	if (on) {
		d->effective |= bit;
		d->permitted |= bit;
	} else {
		d->effective &= ~bit;
		d->permitted &= ~bit;
		d->inheritable &= ~bit;
	}
}

/* SIM_REAL_SETUP: rlimits, nice, then the ids, then the capabilities. Several system calls,
 * one call in spirit: a capability asked for and not held is refused before anything
 * changes, otherwise the first failure's errno is the answer. */
static gint64 exec_setup(const gint64 *a, int *err)
{
	guint64 keep = (guint64)a[2];
	CapSets cs;
	if (!caps_get(&cs)) {
		*err = errno;
		return -1;
	}
	guint64 known = 0;
	for (guint i = 0; i < G_N_ELEMENTS(setup_caps); i++) {
		known |= setup_caps[i].sim;
		if ((keep & setup_caps[i].sim) != 0 && !cap_in(&cs, setup_caps[i].cap)) {
			*err = EPERM;
			return -1;
		}
	}
	if ((keep & ~known) != 0) {
		*err = EINVAL;
		return -1;
	}

	static const int resources[2] = { RLIMIT_MSGQUEUE, RLIMIT_NOFILE };
	for (guint i = 0; i < 2; i++) {
		gint64 v = a[4 + i];
		struct rlimit rl;
		if (v < 0)
			continue;
		if (getrlimit(resources[i], &rl) < 0) {
			*err = errno;
			return -1;
		}
		if (rl.rlim_max != RLIM_INFINITY && (guint64)v > (guint64)rl.rlim_max) {
			*err = EPERM; /* the soft limit only: the hard one stays */
			return -1;
		}
		rl.rlim_cur = (rlim_t)v;
		if (setrlimit(resources[i], &rl) < 0) {
			*err = errno;
			return -1;
		}
	}
	if (setpriority(PRIO_PROCESS, 0, (int)a[3]) < 0) {
		*err = errno;
		return -1;
	}

	uid_t uid = (uid_t)a[0], ru, eu, su;
	gid_t gid = (gid_t)a[1], rg, eg, sg;
	if (getresuid(&ru, &eu, &su) < 0 || getresgid(&rg, &eg, &sg) < 0) {
		*err = errno;
		return -1;
	}
	if (ru != uid || eu != uid || su != uid || rg != gid || eg != gid || sg != gid) {
		if (setgroups(0, NULL) < 0 || setresgid(gid, gid, gid) < 0 ||
		    prctl(PR_SET_KEEPCAPS, 1) < 0 || setresuid(uid, uid, uid) < 0) {
			*err = errno;
			return -1;
		}
		prctl(PR_SET_KEEPCAPS, 0);
		/* A new euid or egid cleared the parent-death signal and made the process
		 * undumpable, which would hide its /proc files from the probes. */
		prctl(PR_SET_DUMPABLE, 1);
		pid_t parent = sim_real_worker_parent();
		if (parent > 0 && (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0 || getppid() != parent))
			_exit(127);
		if (!caps_get(&cs)) {
			*err = errno;
			return -1;
		}
	}

	if (uid != 0) { /* a non-root uid keeps exactly the capabilities asked for */
		for (guint i = 0; i < _LINUX_CAPABILITY_U32S_3; i++)
			cs.d[i].effective = cs.d[i].permitted = cs.d[i].inheritable = 0;
	}
	for (guint i = 0; i < G_N_ELEMENTS(setup_caps); i++)
		cap_set(&cs, setup_caps[i].cap, (keep & setup_caps[i].sim) != 0);
	cs.hdr.pid = 0;
	if (syscall(SYS_capset, &cs.hdr, cs.d) < 0) {
		*err = errno;
		return -1;
	}
	return 0;
}

/* The signals the scenario's handlers catch. The worker holds them back (blocked) while it
 * waits for its next command and lets them in as it makes the call: a process the model has
 * ready, not running, takes a caught signal only when it runs again (its handler runs before
 * its next statement), and a standard signal sent twice meanwhile is pending once, merged,
 * as the kernel merges it. A zeroed sigset_t is empty; fork copies the set with the
 * handlers, and exec, which resets the handlers, empties it. */
static sigset_t caught;

void sim_real_caught_hold(gboolean hold)
{
	pthread_sigmask(hold ? SIG_BLOCK : SIG_UNBLOCK, &caught, NULL);
}

void sim_real_caught_reset(void)
{
	sim_real_caught_hold(FALSE);
	sigemptyset(&caught);
}

/* a1: 0 default, 1 ignore, 2 the handler; a2: SA_RESTART. */
static gint64 exec_sigaction(const SimRealSandbox *sb, const SimRealCall *c, const char *data,
			     SimRealResult *r, GString *out, int *err)
{
	(void)sb, (void)r, (void)out;
	const gint64 *a = c->a;
	if (a[1] < 0 || a[1] > 2) {
		*err = EINVAL;
		return -1;
	}
	if (a[1] == 2 && !sim_real_hkill_program((int)a[0], data)) {
		*err = EINVAL; /* the kills of the body, malformed */
		return -1;
	}
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	if (a[1] == 2)
		sa.sa_sigaction = on_signal;
	else
		sa.sa_handler = a[1] == 0 ? SIG_DFL : SIG_IGN;
	sa.sa_flags = (a[2] ? SA_RESTART : 0) | (a[1] == 2 ? SA_SIGINFO : 0);
	sigemptyset(&sa.sa_mask);
	gint64 ret = sigaction((int)a[0], &sa, NULL);
	*err = errno;
	if (ret == 0 && a[1] == 2)
		sigaddset(&caught, (int)a[0]);
	else if (ret == 0)
		sigdelset(&caught, (int)a[0]);
	return ret;
}

static gint64 exec_kill(const SimRealSandbox *sb, const SimRealCall *c, const char *data,
			SimRealResult *r, GString *out, int *err)
{
	(void)sb, (void)data, (void)r, (void)out;
	gint64 ret = kill((pid_t)c->a[0], (int)c->a[1]);
	*err = errno;
	return ret;
}

/* alarm(2) cannot fail: it returns what the earlier alarm had left, rounded as the model
 * rounds it (sim_call_alarm_seconds_left). */
static gint64 exec_alarm(const SimRealSandbox *sb, const SimRealCall *c, const char *data,
			 SimRealResult *r, GString *out, int *err)
{
	(void)sb, (void)data, (void)r, (void)out;
	*err = 0;
	return (gint64)alarm((unsigned int)c->a[0]);
}

/* The answer only; the worker loop exits after sending it. */
static gint64 exec_exit(const SimRealSandbox *sb, const SimRealCall *c, const char *data,
			SimRealResult *r, GString *out, int *err)
{
	(void)sb, (void)data, (void)r, (void)out, (void)err;
	return c->a[0];
}

static gint64 exec_setup_row(const SimRealSandbox *sb, const SimRealCall *c, const char *data,
			     SimRealResult *r, GString *out, int *err)
{
	(void)sb, (void)data, (void)r, (void)out;
	return exec_setup(c->a, err);
}

static gint64 exec_fork(const SimRealSandbox *sb, const SimRealCall *c, const char *data,
			SimRealResult *r, GString *out, int *err)
{
	(void)data, (void)r, (void)out;
	return sim_real_worker_fork(sb, c->a[0], c->a[1], err);
}

/* ret2: the status as the model gives it, the exit code or 128+N after signal N. */
static gint64 exec_wait(const SimRealSandbox *sb, const SimRealCall *c, const char *data,
			SimRealResult *r, GString *out, int *err)
{
	(void)sb, (void)data, (void)out;
	int st = 0;
	gint64 ret = waitpid((pid_t)c->a[0], &st, 0);
	*err = errno;
	if (ret > 0)
		r->ret2 = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
	return ret;
}

static const SimRealOpRow proc_rows[] = {
	{ SIM_REAL_SIGACTION, "sigaction", exec_sigaction },
	{ SIM_REAL_KILL, "kill", exec_kill },
	{ SIM_REAL_EXIT, "exit", exec_exit },
	{ SIM_REAL_SETUP, "setup", exec_setup_row },
	{ SIM_REAL_FORK, "fork", exec_fork },
	{ SIM_REAL_WAIT, "waitpid", exec_wait },
	{ SIM_REAL_ALARM, "alarm", exec_alarm },
};

const SimRealBackend sim_real_proc_backend = { "process", proc_rows, G_N_ELEMENTS(proc_rows) };
