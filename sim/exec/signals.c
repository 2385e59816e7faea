/* signals.c — signals between real programs, delivered in virtual time.
 *
 * The guests' kernel holds their signals: kill and its kin run in the kernel as the guest
 * made them, an alarm fires as the supervisor's own kill when the virtual clock reaches it,
 * a child's exit sends its parent SIGCHLD. This file decides *when* a pending signal acts.
 * The one design choice to know: every guest's filter has
 * SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV, so a signal no longer withdraws a call the
 * supervisor has received: it stays pending while the guest is parked or waits in the
 * model, and no guest runs because of it. After each step the supervisor reads the
 * pending, blocked and caught sets (/proc/PID/status) of the guests a signal may have
 * reached. One with a handled signal pending can go on; when it is picked, its call is
 * answered with the kernel's own restart code (msgrcv and msgsnd end with EINTR, an mq_*
 * call or a wait with -ERESTARTSYS, a call not yet begun with -ERESTARTNOINTR), and the
 * guest's kernel, delivering the signal on the way out, runs the handler and returns
 * EINTR or restarts the call (SA_RESTART) exactly as it would have natively.
 * Stop signals are left to the guest's kernel too: a guest a stop reaches leaves the
 * model's call (answered with the call's restart code), its kernel stops it, and msgsim
 * sees the stop and, after a kill, the continue in /proc (see "Stops" below).
 */
#undef _POSIX_C_SOURCE
#define _GNU_SOURCE

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "exec/exec_int.h"
#include "msgsim/lang/scn.h"

/* The kernel's restart codes (include/linux/errno.h; never seen by programs). */
#define ERESTARTSYS 512
#define ERESTARTNOINTR 513
#define ERESTARTNOHAND 514

static guint64 bit(int sig)
{
	return G_GUINT64_CONSTANT(1) << (sig - 1);
}

/* What the signal does when delivered with no handler: end the program (most), nothing
 * (SIGCHLD, SIGURG, SIGWINCH, SIGCONT) or stop it (SIGSTOP and the tty stops). */
static const guint64 IGNORED_BY_DEFAULT =
	(G_GUINT64_CONSTANT(1) << (SIGCHLD - 1)) | (G_GUINT64_CONSTANT(1) << (SIGURG - 1)) |
	(G_GUINT64_CONSTANT(1) << (SIGWINCH - 1)) | (G_GUINT64_CONSTANT(1) << (SIGCONT - 1));
static const guint64 STOPS =
	(G_GUINT64_CONSTANT(1) << (SIGSTOP - 1)) | (G_GUINT64_CONSTANT(1) << (SIGTSTP - 1)) |
	(G_GUINT64_CONSTANT(1) << (SIGTTIN - 1)) | (G_GUINT64_CONSTANT(1) << (SIGTTOU - 1));

static const char *sig_name(int sig, char buf[16])
{
	const char *a = sig > 0 ? sigabbrev_np(sig) : NULL;
	if (a)
		g_snprintf(buf, 16, "SIG%s", a);
	else if (sig >= SIGRTMIN && sig <= SIGRTMAX)
		g_snprintf(buf, 16, "SIGRTMIN+%d", sig - SIGRTMIN);
	else
		g_snprintf(buf, 16, "signal %d", sig);
	return buf;
}

static void trace_time(SimExec *x, const SimGuest *g, const char *what, SimTime t)
{
	sim_exec_trace(x, g, "%s %" G_GINT64_FORMAT ".%06" G_GINT64_FORMAT " s (virtual)", what,
		       t / SIM_S, (t % SIM_S) / SIM_US);
}

/* ---- The guests' signal sets ---- */

typedef struct SigSets {
	guint64 pending; /* the thread's and the process's (SigPnd | ShdPnd) */
	guint64 blocked, caught;
} SigSets;

static gboolean read_sets(pid_t pid, SigSets *s)
{
	char path[64];
	g_autofree char *text = NULL;
	g_snprintf(path, sizeof path, "/proc/%d/status", (int)pid);
	if (!g_file_get_contents(path, &text, NULL, NULL))
		return FALSE;
	static const char *const keys[] = { "\nSigPnd:", "\nShdPnd:", "\nSigBlk:", "\nSigCgt:" };
	guint64 v[G_N_ELEMENTS(keys)];
	for (gsize i = 0; i < G_N_ELEMENTS(keys); i++) {
		const char *p = strstr(text, keys[i]);
		if (!p)
			return FALSE;
		v[i] = g_ascii_strtoull(p + strlen(keys[i]), NULL, 16);
	}
	s->pending = v[0] | v[1];
	s->blocked = v[2];
	s->caught = v[3];
	return TRUE;
}

/* The pending signals that act on g now: handled ones it does not block, and those whose
 * default ends it. A guest waiting in rt_sigsuspend blocks its call's mask instead, and
 * one in rt_sigtimedwait also takes the signals of its set. */
static guint64 acting(const SimGuest *g, const SigSets *s, gboolean waits)
{
	int nr = g->notif.data.nr;
	guint64 blocked = waits && nr == __NR_rt_sigsuspend ? g->sig_mask : s->blocked;
	guint64 acts = s->caught | ~(s->caught | IGNORED_BY_DEFAULT | STOPS);
	guint64 d = s->pending & ~blocked & acts;
	if (waits && nr == __NR_rt_sigtimedwait)
		d |= s->pending & g->sig_mask;
	return d;
}

/* ---- Leaving the model ---- */

/* g's call leaves the model's wait lists (a sender's message with it). */
static void cancel(SimExec *x, SimGuest *g)
{
	if (g->task->waiter.queue)
		sim_waitq_del(&g->task->waiter);
	if (g->task->waiter.msg) {
		sim_msg_pool_put(&x->w->pool, g->task->waiter.msg);
		g->task->waiter.msg = NULL;
	}
	g->call.timed = FALSE;
}

/* A parked guest a fatal signal has reached: it is dying in its kernel. Wait for its end,
 * so that it dies at this point of the schedule and not at some later one. */
static void reap(SimExec *x, SimGuest *g)
{
	struct pollfd p = { g->pidfd, POLLIN, 0 };
	if (poll(&p, 1, x->opt->timeout_ms ? (int)x->opt->timeout_ms : 10000) <= 0)
		return;
	cancel(x, g);
	if (g->parent < 0)
		waitpid(g->pid, &g->status, 0);
	sim_exec_task_gone(x, g);
	sim_exec_exited(x, g);
}

static const char *call_name(int nr)
{
	switch (nr) {
	case __NR_msgsnd:
		return "msgsnd";
	case __NR_msgrcv:
		return "msgrcv";
	case __NR_mq_timedsend:
		return "mq_send";
	case __NR_mq_timedreceive:
		return "mq_receive";
	case __NR_wait4:
		return "wait4";
	case __NR_waitid:
		return "waitid";
	case __NR_nanosleep:
		return "nanosleep";
	case __NR_clock_nanosleep:
		return "clock_nanosleep";
	case __NR_pause:
		return "pause";
	case __NR_rt_sigsuspend:
		return "sigsuspend";
	case __NR_rt_sigtimedwait:
		return "sigtimedwait";
	default:
		return NULL;
	}
}

void sim_exec_sig_arrive(SimExec *x, SimGuest *g, int sig, gboolean takes)
{
	char nb[16];
	const char *how = takes ? "the call takes it" : "its handler runs";
	const char *in = call_name(g->notif.data.nr);
	g->sig = sig;
	if ((g->task->state == SIM_STATE_BLOCKED || g->task->state == SIM_STATE_SLEEPING) && in) {
		if (g->task->waiter.queue &&
		    (g->notif.data.nr == __NR_msgrcv || g->notif.data.nr == __NR_msgsnd)) {
			/* Woken with nothing yet: it stays on the list until it runs, and a
			 * message handed to it before then still wins (kernel/msgq.h). */
			g->task->waiter.done = TRUE;
			g->task->waiter.result = SIM_MSGQ_RETRY;
		}
		sim_exec_task_wake(x, g);
		sim_exec_trace(x, g, "%s arrives in %s (%s)", sig_name(sig, nb), in, how);
		sim_exec_ev(x, g, SIM_TR_WAKE, NULL, NULL, 0);
	} else {
		sim_exec_trace(x, g, "%s arrives (%s)", sig_name(sig, nb), how);
	}
}

/* ---- Stops ---- */

/* Whether pid's process is stopped in its kernel for good: state T (stopped), and off its
 * CPU (a wait channel shows only once it has left the run queue, which do_signal_stop does
 * after it has told its parent, so the parent's SIGCHLD is pending by then). */
static gboolean stopped_now(pid_t pid)
{
	char path[64];
	g_autofree char *stat = NULL, *wchan = NULL;
	g_snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
	const char *p = g_file_get_contents(path, &stat, NULL, NULL) ? strrchr(stat, ')') : NULL;
	if (!p || p[1] != ' ' || p[2] != 'T')
		return FALSE;
	g_snprintf(path, sizeof path, "/proc/%d/wchan", (int)pid);
	return g_file_get_contents(path, &wchan, NULL, NULL) && wchan[0] && strcmp(wchan, "0");
}

/* Whether pid's process is on its way out (PF_EXITING in /proc/PID/stat's flags). */
static gboolean exiting(pid_t pid)
{
	char path[64];
	g_autofree char *stat = NULL;
	g_snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
	const char *p = g_file_get_contents(path, &stat, NULL, NULL) ? strrchr(stat, ')') : NULL;
	for (int field = 2; p && field < 9; field++) /* ')' ends field 2; flags are field 9 */
		p = strchr(p + 1, ' ');
	return !p || (g_ascii_strtoull(p + 1, NULL, 10) & 0x4);
}

/* The parent of g blocked in a wait that reports a stop (WUNTRACED) or a continue
 * (WCONTINUED) of g is woken, as an exit wakes it (exec.c's sim_exec_exited). */
static void wake_parent(SimExec *x, SimGuest *g, int option)
{
	if (g->parent < 0)
		return;
	SimGuest *p = sim_exec_guest(x, g->parent);
	const __u64 *a = p->notif.data.args;
	gboolean is4 = p->notif.data.nr == __NR_wait4;
	int want = is4 ? (int)a[0] : ((int)a[0] == P_PID ? (int)a[1] : -1);
	int options = (int)(is4 ? a[2] : a[3]);
	if (p->task->state != SIM_STATE_BLOCKED || p->task->waiter.queue != &p->task->chld_wait ||
	    !(options & option) || (want > 0 && want != g->nspid))
		return;
	SimWakeList wl = { NULL, NULL };
	sim_waitq_wake(&wl, &p->task->waiter, 0);
	sim_exec_task_wake(x, p);
	sim_exec_trace(x, g, "wakes %s", p->name);
	sim_exec_ev(x, p, SIM_TR_WAKE, g, NULL, 0);
}

/* A stop signal acts on g, which waits or is parked: its call leaves the model (a receiver
 * the queue's wait list, so that what is sent meanwhile stays queued or goes to another;
 * a sender's message is dropped, copied again at the restart) and is answered with the
 * code the kernel's own call returns, so that the guest's kernel stops it on the way out
 * and restarts the call at SIGCONT: msgrcv, msgsnd, pause and sigsuspend -ERESTARTNOHAND,
 * mq_send, mq_receive and the waits -ERESTARTSYS, a call not begun -ERESTARTNOINTR;
 * sigtimedwait fails with EINTR after the continue (signal(7)); a sleep restarts towards
 * its old end (the kernel's restart block). The stop itself is seen as it happens
 * (sim_exec_sig_stops). The rules are the scenario engine's stop_task (world.c). */
void sim_exec_sig_stop(SimExec *x, SimGuest *g, int sig)
{
	int nr = g->notif.data.nr;
	int code = ERESTARTNOINTR;
	g->stop_in = NULL;
	if (g->task->state == SIM_STATE_BLOCKED || g->task->state == SIM_STATE_SLEEPING) {
		g->stop_in = call_name(nr);
		switch (nr) {
		case __NR_msgsnd:
		case __NR_msgrcv:
		case __NR_pause:
		case __NR_rt_sigsuspend:
			code = ERESTARTNOHAND;
			break;
		case __NR_rt_sigtimedwait:
			code = EINTR;
			break;
		case __NR_nanosleep:
		case __NR_clock_nanosleep:
			g->restart_sleep = g->wake_at;
			break;
		default:
			code = ERESTARTSYS;
			break;
		}
		cancel(x, g);
	}
	sim_exec_stop_sig(x, g, sig);
	sim_exec_answer(x, g, -1, code, FALSE);
}

gboolean sim_exec_sig_may_stop(const SimExec *x)
{
	for (guint64 w = x->stop_watch; w; w &= w - 1) /* a bit set: no look at every guest */
		if (sim_exec_guest(x, __builtin_ctzll(w))->task->state == SIM_STATE_RUNNING)
			return TRUE;
	return FALSE;
}

gboolean sim_exec_sig_stops(SimExec *x)
{
	gboolean any = FALSE;
	char nb[16];
	for (guint64 w = x->stop_watch; w; w &= w - 1) {
		SimGuest *g = sim_exec_guest(x, __builtin_ctzll(w));
		if (g->task->state != SIM_STATE_RUNNING || !stopped_now(g->pid))
			continue;
		int sig = g->stop_sig;
		sim_exec_stop_sig(x, g, 0);
		sim_exec_task_stop(x, g, sig);
		if (g->stop_in)
			sim_exec_trace(x, g, "stopped by %s in %s: it left the call, which %s",
				       sig_name(sig, nb), g->stop_in,
				       strcmp(g->stop_in, "sigtimedwait")
					       ? "restarts when it is continued"
					       : "fails with EINTR when it is continued");
		else
			sim_exec_trace(x, g, "stopped by %s", sig_name(sig, nb));
		g->stop_in = NULL;
		g->stop_report = TRUE;
		g->cont_report = FALSE;
		wake_parent(x, g, WUNTRACED);
		x->sig_scan = TRUE; /* its parent's SIGCHLD */
		any = TRUE;
	}
	return any;
}

void sim_exec_sig_continued(SimExec *x, SimGuest *g)
{
	sim_exec_task_continue(x, g);
	sim_exec_trace(x, g, "continued by SIGCONT");
	g->stop_report = FALSE;
	g->cont_report = TRUE;
	wake_parent(x, g, WCONTINUED);
	x->sig_scan = TRUE; /* its parent's SIGCHLD, sent as it goes on */
}

/* A stopped guest is looked at after a step that may have sent it a signal: gone on
 * (SIGCONT: it runs, and restarts its call; TRUE), killed (SIGKILL: it dies here), or
 * still stopped. */
static gboolean look_stopped(SimExec *x, SimGuest *g)
{
	struct pollfd p = { g->pidfd, POLLIN, 0 };
	SigSets s = { 0 };
	if (poll(&p, 1, 0) > 0 || (read_sets(g->pid, &s) && (s.pending & bit(SIGKILL)))) {
		reap(x, g);
		return FALSE;
	}
	if (stopped_now(g->pid))
		return FALSE;
	if (exiting(g->pid)) {
		reap(x, g);
		return FALSE;
	}
	sim_exec_sig_continued(x, g);
	return TRUE;
}

SimGuest *sim_exec_sig_report(SimExec *x, const SimGuest *g, int want, int options)
{
	for (guint i = 0; i < sim_exec_n(x); i++) {
		SimGuest *c = sim_exec_guest(x, i);
		if (c->parent != g->idx || sim_exec_exited_state(c) ||
		    (want > 0 && c->nspid != want))
			continue;
		gboolean stop = c->stop_report && (options & WUNTRACED);
		gboolean cont = c->cont_report && (options & WCONTINUED);
		if (!stop && !cont)
			continue;
		if (!(options & WNOWAIT)) {
			if (stop)
				c->stop_report = FALSE;
			else
				c->cont_report = FALSE;
		}
		return c;
	}
	return NULL;
}

/* Looks at every guest that waits or is parked: one killed dies here; one with a signal
 * that acts becomes able to go on (its wait ends when it is picked); one a stop signal
 * reaches stops. A stopped one is looked at for a SIGCONT or a SIGKILL. */
static void scan(SimExec *x)
{
	/* The stopped first: one continued sends its parent SIGCHLD as it goes on, so the
	 * others are looked at once it has parked again (the settle loop scans again). */
	gboolean went_on = FALSE;
	for (guint i = 0; i < sim_exec_n(x); i++) {
		SimGuest *g = sim_exec_guest(x, i);
		if (sim_exec_stopped(g))
			went_on |= look_stopped(x, g);
	}
	if (went_on)
		return;
	for (guint i = 0; i < sim_exec_n(x); i++) {
		SimGuest *g = sim_exec_guest(x, i);
		SigSets s = { 0 };
		if (g->held && g->task->state == SIM_STATE_RUNNING && read_sets(g->pid, &s) &&
		    (s.pending & STOPS & ~s.blocked & ~s.caught)) {
			/* Held in vfork, it stops once its child has exec'd: watched till then. */
			sim_exec_stop_sig(x, g,
					  __builtin_ctzll(s.pending & STOPS & ~s.blocked & ~s.caught) + 1);
			continue;
		}
		if (sim_exec_stopped(g) || g->task->state == SIM_STATE_EXITED ||
		    g->task->state == SIM_STATE_RUNNING ||
		    g->task->state == SIM_STATE_NEW) /* running, held, or not started */
			continue;
		gboolean known = read_sets(g->pid, &s);
		struct pollfd p = { g->pidfd, POLLIN, 0 };
		guint64 stops = s.pending & STOPS & ~s.blocked & ~s.caught;
		if (known && stops && !(s.pending & bit(SIGKILL)) && poll(&p, 1, 0) <= 0) {
			/* The lowest first, as the kernel dequeues them. A woken guest's call has
			 * its result: it finishes when picked, then stops (stop_sig is watched). */
			int sig = __builtin_ctzll(stops) + 1;
			if (sim_exec_woken(g))
				sim_exec_stop_sig(x, g, sig);
			else
				sim_exec_sig_stop(x, g, sig);
			continue;
		}
		gboolean waits = g->task->state == SIM_STATE_BLOCKED;
		guint64 d = known ? acting(g, &s, waits) : 0;
		int sig = d ? __builtin_ctzll(d) + 1 : 0;
		gboolean takes = waits && g->notif.data.nr == __NR_rt_sigtimedwait && sig &&
				 (g->sig_mask & bit(sig));
		if (poll(&p, 1, 0) > 0 || (s.pending & bit(SIGKILL)) ||
		    (sig && !(s.caught & bit(sig)) && !takes)) {
			/* A default action ends it, here: the kernel has made the signal a
			 * SIGKILL already (or is done), or a core-dumping signal acts as the call
			 * returns. Its exit line names the signal, from its wait status. */
			sim_exec_answer(x, g, -1, ERESTARTNOINTR, FALSE);
			reap(x, g);
			continue;
		}
		if (!g->sig && sig)
			sim_exec_sig_arrive(x, g, sig, takes);
	}
}

/* ---- Delivery ---- */

static gboolean child_done(const SimExec *x, const SimGuest *g)
{
	const __u64 *a = g->notif.data.args;
	gboolean is4 = g->notif.data.nr == __NR_wait4;
	int want = is4 ? (int)a[0] : ((int)a[0] == P_PID ? (int)a[1] : -1);
	for (guint i = 0; i < sim_exec_n(x); i++) {
		const SimGuest *c = sim_exec_guest(x, i);
		if (c->parent == g->idx && !c->task->reaped && (want <= 0 || c->nspid == want) &&
		    sim_exec_exited_state(c))
			return TRUE;
	}
	return FALSE;
}

/* A sleep cut short: EINTR, with the time left written where the call asks (an absolute
 * clock_nanosleep writes none). */
static void end_sleep(SimExec *x, SimGuest *g, const char *name)
{
	const __u64 *a = g->notif.data.args;
	gboolean nano = g->notif.data.nr == __NR_nanosleep;
	guint64 rem = nano ? a[1] : ((a[1] & TIMER_ABSTIME) ? 0 : a[3]);
	SimTime left = g->wake_at - sim_world_now(x->w);
	struct timespec ts = { .tv_sec = left / SIM_S, .tv_nsec = left % SIM_S };
	int err = EINTR;
	if (rem && !sim_exec_write(g, rem, &ts, sizeof ts))
		err = EFAULT;
	sim_exec_trace(x, g, "%s = -1 %s (%s, %ld.%09ld s left)", call_name(g->notif.data.nr),
		       err == EINTR ? "EINTR" : "EFAULT", name, (long)ts.tv_sec, ts.tv_nsec);
	sim_exec_answer(x, g, -1, err, FALSE);
}

gboolean sim_exec_sig_deliver(SimExec *x, SimGuest *g)
{
	char nb[16];
	const char *name = sig_name(g->sig, nb);
	int nr = g->notif.data.nr;
	if (!g->task->resuming) { /* picked at a new call, not woken in one */
		/* It came before the call: the handler runs, then the kernel makes the call. */
		sim_exec_trace(x, g, "%s is delivered before its next call, which then restarts",
			       name);
		sim_exec_answer(x, g, -1, ERESTARTNOINTR, FALSE);
		return TRUE;
	}
	switch (nr) {
	case __NR_mq_timedsend:
	case __NR_mq_timedreceive:
		/* wq_sleep: a hand-off that came first wins; then the signal; then the timeout. */
		if (!g->task->waiter.queue && g->task->waiter.result != ETIMEDOUT)
			return FALSE;
		cancel(x, g);
		sim_exec_trace(x, g, "%s interrupted by %s: EINTR, or restarted under SA_RESTART",
			       call_name(nr), name);
		sim_exec_answer(x, g, -1, ERESTARTSYS, FALSE);
		return TRUE;
	case __NR_wait4:
	case __NR_waitid:
		if (child_done(x, g))
			return FALSE; /* do_wait collects the child before it looks at signals */
		if (g->task->waiter.queue) /* off its child-wait list (exec.c's serve_wait) */
			sim_waitq_del(&g->task->waiter);
		sim_exec_trace(x, g, "%s interrupted by %s: EINTR, or restarted under SA_RESTART",
			       call_name(nr), name);
		sim_exec_answer(x, g, -1, ERESTARTSYS, FALSE);
		return TRUE;
	case __NR_nanosleep:
	case __NR_clock_nanosleep:
		if (g->wake_at <= sim_world_now(x->w))
			return FALSE; /* the timer expired first: the sleep returns 0 */
		end_sleep(x, g, name);
		return TRUE;
	default:
		/* msgsnd and msgrcv (serve.c passes the signal to the model, which ends them with
		 * EINTR unless a message came first: ERESTARTNOHAND ignores SA_RESTART), and the
		 * signal waits, which the kernel ends (serve_signal). */
		return FALSE;
	}
}

/* ---- The calls ---- */

/* kill or alarm as the scenario statement it would be (call_proc.c, call_alarm.c), for the
 * sinks of --format; other: the process kill names. Nothing when no such format was asked
 * for, or for a signal the scenario language has no name for. */
static void ev_signal(SimExec *x, const SimGuest *g, SimStmtKind kind, const char *other,
		      gint64 arg, gint64 ret)
{
	if (!x->trace || (kind == SIM_STMT_KILL && !sim_scn_signal_name((int)arg)))
		return;
	SimStmt *st = g_new0(SimStmt, 1);
	g_ptr_array_add(x->stmts, st);
	st->kind = kind;
	st->var = -1;
	if (kind == SIM_STMT_KILL)
		st->proc.sig = (int)arg;
	else
		st->proc.id = arg;
	SimTraceEvent ev = { .kind = SIM_TR_CALL,
			     .time = sim_world_now(x->w),
			     .task = sim_exec_name(x, "%s", g->name),
			     .other = other,
			     .op = kind == SIM_STMT_KILL ? "kill" : "alarm",
			     .stmt = st,
			     .ret = ret };
	sim_trace_emit(x->trace, &ev);
}

/* The guest a pid names, as the trace names it, or "pid N". */
static const char *pid_name(SimExec *x, int pid)
{
	for (guint i = 0; i < sim_exec_n(x); i++) {
		const SimGuest *g = sim_exec_guest(x, i);
		if (g->nspid == pid && !sim_exec_exited_state(g))
			return sim_exec_name(x, "%s", g->name);
	}
	return sim_exec_name(x, "pid %d", pid);
}

gboolean sim_exec_is_signal(int nr)
{
	switch (nr) {
	case __NR_kill:
	case __NR_tkill:
	case __NR_tgkill:
	case __NR_rt_sigqueueinfo:
	case __NR_rt_tgsigqueueinfo:
	case __NR_pidfd_send_signal:
	case __NR_alarm:
	case __NR_setitimer:
	case __NR_getitimer:
	case __NR_pause:
	case __NR_rt_sigsuspend:
	case __NR_rt_sigtimedwait:
		return TRUE;
	default:
		return FALSE;
	}
}

const char *sim_exec_sig_call_name(int nr)
{
	return nr == __NR_pause || nr == __NR_rt_sigsuspend || nr == __NR_rt_sigtimedwait
		       ? call_name(nr)
		       : NULL;
}

/* kill(pid, sig), tkill(tid, sig), tgkill(tgid, tid, sig), rt_sigqueueinfo(pid, sig,
 * info), rt_tgsigqueueinfo(tgid, tid, sig, info), pidfd_send_signal(fd, sig, info, 0):
 * the kernel sends it (its checks, its errno, the sender's pid in siginfo); its effect on
 * the other guests is looked at once the sender has parked again. */
static void serve_kill(SimExec *x, SimGuest *g)
{
	const __u64 *a = g->notif.data.args;
	int nr = g->notif.data.nr;
	gboolean third = nr == __NR_tgkill || nr == __NR_rt_tgsigqueueinfo;
	int sig = (int)a[third ? 2 : 1];
	const char *name = nr == __NR_kill		  ? "kill"
			   : nr == __NR_tkill		  ? "tkill"
			   : nr == __NR_tgkill		  ? "tgkill"
			   : nr == __NR_rt_sigqueueinfo	  ? "sigqueue"
			   : nr == __NR_rt_tgsigqueueinfo ? "rt_tgsigqueueinfo"
							  : "pidfd_send_signal";
	char nb[16];
	if (sig > 0 && sig <= 64 && (bit(sig) & STOPS))
		sim_exec_stop_sig(x, g, sig); /* it may be a target: watched as it runs on */
	if (third)
		sim_exec_trace(x, g, "%s(%d, %d, %s)", name, (int)a[0], (int)a[1],
			       sig ? sig_name(sig, nb) : "0");
	else
		sim_exec_trace(x, g, "%s(%d, %s)", name, (int)a[0], sig ? sig_name(sig, nb) : "0");
	if (x->trace && nr != __NR_pidfd_send_signal && (int)a[0] > 0)
		ev_signal(x, g, SIM_STMT_KILL, pid_name(x, (int)a[0]), sig, 0);
	x->sig_scan = TRUE;
	sim_exec_answer(x, g, 0, 0, TRUE);
}

/* The ITIMER_REAL timer, on the virtual clock: what is left of it, and its interval. */
static void timer_left(const SimExec *x, const SimGuest *g, struct itimerval *v)
{
	memset(v, 0, sizeof *v);
	if (!g->alarm_at)
		return;
	SimTime left = MAX(g->alarm_at - sim_world_now(x->w), SIM_US);
	v->it_value.tv_sec = left / SIM_S;
	v->it_value.tv_usec = (left % SIM_S) / SIM_US;
	v->it_interval.tv_sec = g->alarm_every / SIM_S;
	v->it_interval.tv_usec = (g->alarm_every % SIM_S) / SIM_US;
}

static void arm(SimExec *x, SimGuest *g, SimTime value, SimTime every)
{
	g->alarm_at = value ? sim_world_now(x->w) + value : 0;
	g->alarm_every = value ? every : 0;
	sim_exec_alarm_set(x, g);
}

/* alarm(s): the previous timer's seconds left, rounded as alarm_setitimer does. */
static void serve_alarm(SimExec *x, SimGuest *g)
{
	struct itimerval old;
	timer_left(x, g, &old);
	long ret = old.it_value.tv_sec;
	if ((!ret && old.it_value.tv_usec) || old.it_value.tv_usec >= 500000)
		ret++;
	guint secs = (guint)g->notif.data.args[0];
	arm(x, g, (SimTime)secs * SIM_S, 0);
	if (secs)
		sim_exec_trace(x, g,
			       "alarm(%u) = %ld: SIGALRM at %" G_GINT64_FORMAT
			       ".%06" G_GINT64_FORMAT " s (virtual)",
			       secs, ret, g->alarm_at / SIM_S, (g->alarm_at % SIM_S) / SIM_US);
	else
		sim_exec_trace(x, g, "alarm(0) = %ld", ret);
	ev_signal(x, g, SIM_STMT_ALARM, NULL, secs, ret);
	sim_exec_answer(x, g, ret, 0, FALSE);
}

static gboolean tv_ok(const struct timeval *t)
{
	return t->tv_sec >= 0 && t->tv_usec >= 0 && t->tv_usec < 1000000;
}

static SimTime tv_time(const struct timeval *t)
{
	return (SimTime)t->tv_sec * SIM_S + (SimTime)t->tv_usec * SIM_US;
}

/* setitimer and getitimer: ITIMER_REAL on the virtual clock; the CPU-time timers go to
 * the kernel (the model keeps no CPU time), and the trace says so. */
static void serve_itimer(SimExec *x, SimGuest *g)
{
	const __u64 *a = g->notif.data.args;
	gboolean set = g->notif.data.nr == __NR_setitimer;
	if ((int)a[0] != ITIMER_REAL) {
		sim_exec_trace(x, g,
			       "%s(%d) runs on the kernel's CPU clock: the model keeps no "
			       "CPU time",
			       set ? "setitimer" : "getitimer", (int)a[0]);
		sim_exec_answer(x, g, 0, 0, TRUE);
		return;
	}
	struct itimerval nw = { 0 }, old;
	timer_left(x, g, &old);
	guint64 out = set ? a[2] : a[1];
	int err = 0;
	if (set && a[1] && !sim_exec_read(g, a[1], &nw, sizeof nw))
		err = EFAULT;
	else if (set && (!tv_ok(&nw.it_value) || !tv_ok(&nw.it_interval)))
		err = EINVAL;
	else if (out && !sim_exec_write(g, out, &old, sizeof old))
		err = EFAULT;
	else if (set)
		arm(x, g, tv_time(&nw.it_value), tv_time(&nw.it_interval));
	if (set && !err && g->alarm_at)
		trace_time(x, g, "setitimer(ITIMER_REAL) = 0: SIGALRM at", g->alarm_at);
	else
		sim_exec_trace(x, g, "%s(ITIMER_REAL) = %s", set ? "setitimer" : "getitimer",
			       err == EFAULT ? "-1 EFAULT"
			       : err	     ? "-1 EINVAL"
					     : "0");
	sim_exec_answer(x, g, err ? -1 : 0, err, FALSE);
}

/* pause, rt_sigsuspend and rt_sigtimedwait wait in the model until a signal that acts on
 * them is pending (then the kernel runs them, and they return at once: EINTR after the
 * handler, or the signal sigtimedwait takes), or sigtimedwait's timeout on the virtual
 * clock. */
static void serve_sigwait(SimExec *x, SimGuest *g, gboolean resuming)
{
	const __u64 *a = g->notif.data.args;
	int nr = g->notif.data.nr;
	const char *name = call_name(nr);
	if (resuming) {
		if (!g->sig && g->task->waiter.result == ETIMEDOUT) {
			sim_exec_trace(x, g, "%s() = -1 EAGAIN (timed out)", name);
			sim_exec_answer(x, g, -1, EAGAIN, FALSE);
		} else {
			sim_exec_answer(x, g, 0, 0, TRUE);
		}
		return;
	}
	g->sig_mask = 0;
	g->task->waiter.result = 0;
	SimTime wait = G_MAXINT64;
	gboolean ok = TRUE;
	if (nr != __NR_pause) {
		ok = a[nr == __NR_rt_sigsuspend ? 1 : 3] == 8 &&
		     sim_exec_read(g, a[0], &g->sig_mask, sizeof g->sig_mask);
		struct timespec ts;
		if (ok && nr == __NR_rt_sigtimedwait && a[2]) {
			ok = sim_exec_read(g, a[2], &ts, sizeof ts) && ts.tv_sec >= 0 &&
			     ts.tv_nsec >= 0 && ts.tv_nsec < 1000000000L;
			wait = ok ? (SimTime)ts.tv_sec * SIM_S + ts.tv_nsec : 0;
		}
	}
	SigSets s; /* what acts on it as it waits: the call's own mask */
	guint64 d = ok && read_sets(g->pid, &s) ? acting(g, &s, TRUE) : 0;
	if (!ok || wait == 0 || d) {
		/* A bad argument (the kernel's errno), a poll, or a signal already there. */
		char nb[16];
		if (d)
			sim_exec_trace(x, g, "%s() returns at once: %s is pending", name,
				       sig_name(__builtin_ctzll(d) + 1, nb));
		sim_exec_answer(x, g, 0, 0, TRUE);
		return;
	}
	sim_exec_task_block(x, g, name);
	if (wait != G_MAXINT64) {
		g->call.timed = TRUE;
		SimTime now = sim_world_now(x->w);
		g->wake_at = wait > G_MAXINT64 - now ? G_MAXINT64 : now + wait;
		sim_exec_timer_start(x, g);
	}
	sim_exec_trace(x, g, "%s() blocks: waits for a signal", name);
}

void sim_exec_serve_signal(SimExec *x, SimGuest *g, gboolean resuming)
{
	switch (g->notif.data.nr) {
	case __NR_alarm:
		serve_alarm(x, g);
		break;
	case __NR_setitimer:
	case __NR_getitimer:
		serve_itimer(x, g);
		break;
	case __NR_pause:
	case __NR_rt_sigsuspend:
	case __NR_rt_sigtimedwait:
		serve_sigwait(x, g, resuming);
		break;
	default:
		serve_kill(x, g);
		break;
	}
}

gboolean sim_exec_sig_at_once(SimExec *x, SimGuest *g, const struct seccomp_notif *nf)
{
	if (nf->data.nr != __NR_socket)
		return FALSE;
	if ((int)nf->data.args[0] == AF_NETLINK)
		g->netlink = TRUE;
	struct seccomp_notif_resp r = { .id = nf->id, .flags = SECCOMP_USER_NOTIF_FLAG_CONTINUE };
	(void)x;
	(void)!ioctl(g->listener, SECCOMP_IOCTL_NOTIF_SEND, &r);
	return TRUE;
}

char *sim_exec_sig_thread_refusal(const SimGuest *g)
{
	if (g->netlink)
		return g_strdup("threads are not supported (clone with CLONE_THREAD): this one "
				"looks like mq_notify with SIGEV_THREAD, which glibc serves from a "
				"helper thread reading a netlink socket; use SIGEV_SIGNAL instead");
	return g_strdup("threads are not supported (clone with CLONE_THREAD, as "
			"pthread_create makes): their interleaving would need preemption");
}

int sim_exec_sig_child_status(const SimGuest *g)
{
	char path[64];
	g_autofree char *text = NULL;
	g_snprintf(path, sizeof path, "/proc/%d/stat", (int)g->pid);
	const char *p = g_file_get_contents(path, &text, NULL, NULL) ? strrchr(text, ')') : NULL;
	for (int field = 2; p && field < 52; field++) /* ')' ends field 2; exit_code is 52 */
		p = strchr(p + 1, ' ');
	return p ? atoi(p + 1) : -1;
}

/* ---- After each step ---- */

/* The alarms due, from the world's event queue (timers.c), in guest order. */
static void fire_alarms(SimExec *x)
{
	SimGuest *due[SIM_EXEC_MAX_GUESTS];
	guint n = sim_exec_alarms_due(x, due);
	for (guint i = 0; i < n; i++) {
		SimGuest *g = due[i];
		trace_time(x, g, "its alarm goes off: SIGALRM at", sim_world_now(x->w));
		if (g->alarm_every)
			while (g->alarm_at <= sim_world_now(x->w))
				g->alarm_at += g->alarm_every;
		else
			g->alarm_at = 0;
		sim_exec_alarm_set(x, g);
		kill(g->pid, SIGALRM);
		x->w->steps++;
		x->sig_scan = TRUE;
	}
}

static guint count_exited(const SimExec *x)
{
	guint n = 0;
	for (guint i = 0; i < sim_exec_n(x); i++)
		n += sim_exec_exited_state(sim_exec_guest(x, i)) ? 1 : 0;
	return n;
}

/* Serves one guest parked at exit_group, if any: it dies while every other guest is
 * parked, so its parent's SIGCHLD comes at this point of the schedule. */
static gboolean exit_one(SimExec *x)
{
	for (guint i = 0; i < sim_exec_n(x); i++) {
		SimGuest *g = sim_exec_guest(x, i);
		if (sim_exec_parked(g) && g->notif.data.nr == __NR_exit_group) {
			sim_exec_answer(x, g, 0, 0, TRUE);
			return TRUE;
		}
	}
	return FALSE;
}

gboolean sim_exec_sig_settle(SimExec *x)
{
	for (;;) {
		/* What the step sent acts first, then the exits it asked for, one at a time. */
		fire_alarms(x);
		guint exited = count_exited(x);
		if (exited != x->sig_exited) {
			x->sig_exited = exited;
			x->sig_scan = TRUE; /* an exit sends SIGCHLD */
		}
		if (x->sig_scan) {
			x->sig_scan = FALSE;
			scan(x);
		} else if (!exit_one(x)) {
			return TRUE;
		}
		if (!sim_exec_wait(x))
			break;
	}
	if (!x->limit)
		x->limit = g_strdup_printf("a program ran for more than %u ms without a call "
					   "msgsim serves (--timeout); stopped",
					   x->opt->timeout_ms ? x->opt->timeout_ms : 10000);
	return FALSE;
}
