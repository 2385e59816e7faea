/* xcheck_stop.c — holding woken calls back, and the scenario's own stop signals, on the kernel.
 *
 * The lockstep holds a woken call back until the model runs it (xcheck_plan.c). Its
 * classic means is SIGSTOP and SIGCONT: a stop ends the kernel's sleep with a restart, and
 * the continue makes the call again. A scenario that stops and continues processes itself
 * (kill SIGSTOP, SIGTSTP, SIGTTIN, SIGTTOU, SIGCONT) cannot share those signals with the
 * coordinator: a hold's SIGCONT would undo the scenario's stop, and the scenario's SIGCONT
 * would free a held worker before the model runs its call.
 *
 * The design choice to know: in such a scenario a hold is a ptrace stop instead
 * (PTRACE_SEIZE, then PTRACE_INTERRUPT; PTRACE_DETACH lets it go). Probed on Linux: the
 * interrupt ends the sleep with the same restart as a stop signal, and the tracee shows
 * 't', not 'T'. A job-control stop or continue sent to a tracee in that state only changes
 * its pending signals and its group's stop state: SIGSTOP stays pending and takes hold at
 * the detach (the process then shows 'T' and its parent's waitpid(WUNTRACED) reports it);
 * SIGCONT discards it, and a process stopped before the hold goes on at the detach. So the
 * two never undo each other, and the scenario's stop state is the kernel's own, whatever
 * the holds do. A SIGKILL ends a tracee as any process; the coordinator, its tracer, then
 * reaps the trace so that the real parent's wait sees the death. Scenarios without stop
 * signals keep SIGSTOP holds, unchanged.
 *
 * The scenario's stops are compared as the model makes them: after each event the model's
 * stopped tasks are matched against /proc (state 'T'; for a held tracee, a stop signal
 * pending), one row per stop and per continue, and at the end. A process that stops
 * itself (kill of its own pid) stops in the kernel before its kill returns, while the
 * model's kill returns first: that answer is compared once the process is continued, and
 * never if it is not (then only the stop is).
 */
#define _GNU_SOURCE
#include "real/xcheck_int.h"

#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/wait.h>

#include "msgsim/lang/scn.h"

/* The job-control stop signals, as a mask of /proc/PID/status's pending sets. */
#define STOP_MASK                                                                              \
	((G_GUINT64_CONSTANT(1) << (SIGSTOP - 1)) | (G_GUINT64_CONSTANT(1) << (SIGTSTP - 1)) | \
	 (G_GUINT64_CONSTANT(1) << (SIGTTIN - 1)) | (G_GUINT64_CONSTANT(1) << (SIGTTOU - 1)))

/* The state of pid (a process or a thread) as /proc/PID/stat gives it ('S', 'T', ...), or
 * 0 when it is gone. */
static char proc_state(pid_t pid)
{
	char path[64], buf[512];
	g_snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	FILE *f = fopen(path, "re");
	if (!f)
		return 0;
	size_t n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	const char *paren = strrchr(buf, ')');
	return paren && paren[1] == ' ' ? paren[2] : 0;
}

/* The mask after key ("\nShdPnd:") in a /proc/PID/status text, 0 when absent. */
static guint64 status_mask(const char *text, const char *key)
{
	const char *at = strstr(text, key);
	return at ? g_ascii_strtoull(at + strlen(key), NULL, 16) : 0;
}

/* Is a stop signal pending for pid (its own or its process's)? */
static gboolean stop_pending(pid_t pid)
{
	char path[64];
	g_snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	g_autofree char *buf = NULL;
	if (!g_file_get_contents(path, &buf, NULL, NULL))
		return FALSE;
	guint64 pend = status_mask(buf, "\nSigPnd:") | status_mask(buf, "\nShdPnd:");
	return (pend & STOP_MASK) != 0;
}

/* Is the process of pid, a held tracee ('t'), stopped by a signal of the scenario's? The
 * stop signal is pending still, or another thread of it took the signal and began the
 * group stop ('T'): a worker's lifeline thread, which blocks every signal but the two that
 * cannot be, is the one the kernel picks while the tracee is held. The tracee joins that
 * stop at its detach. */
static gboolean held_stopped(pid_t pid)
{
	if (stop_pending(pid))
		return TRUE;
	char dir[64];
	g_snprintf(dir, sizeof(dir), "/proc/%d/task", (int)pid);
	g_autoptr(GDir) d = g_dir_open(dir, 0, NULL);
	for (const char *name; d && (name = g_dir_read_name(d)) != NULL;) {
		gint64 tid = g_ascii_strtoll(name, NULL, 10);
		if (tid > 0 && tid <= G_MAXINT && proc_state((pid_t)tid) == 'T')
			return TRUE;
	}
	return FALSE;
}

/* ---- Holding a woken call back ---- */

/* Waits (up to the step timeout) until pid's state is or is not 'T'. */
static gboolean await_state(Xc *xc, pid_t pid, gboolean stopped)
{
	gint64 deadline = g_get_monotonic_time() + (gint64)xc->opt->step_ms * 1000;
	while ((proc_state(pid) == 'T') != stopped) {
		if (g_get_monotonic_time() > deadline || !sim_real_stop_pause(100))
			return FALSE;
	}
	return TRUE;
}

/* SIGSTOP: ends the worker's sleep with a restart. A stopped worker still dies with the
 * run: cleanup's SIGKILL ends it; should the coordinator itself be killed, a worker it
 * spawned dies of its PDEATHSIG (SIGKILL), and a forked one when its process group is left
 * orphaned with a stopped member, to which the kernel sends SIGHUP and SIGCONT. */
static gboolean hold_by_signal(Xc *xc, XTask *x, const char *name)
{
	if (kill(x->wk.pid, SIGSTOP) < 0) {
		fail(xc, "%s: cannot hold its call back: kill SIGSTOP: %s", name,
		     g_strerror(errno));
		return FALSE;
	}
	if (!await_state(xc, x->wk.pid, TRUE)) {
		fail(xc, "%s: its worker did not stop within %d ms", name, xc->opt->step_ms);
		return FALSE;
	}
	return TRUE;
}

/* ptrace: the same restart, in a stop the scenario's signals do not end (see the top). The
 * trap's report is read at once, so that no other waitpid of the coordinator meets it. A
 * tracee dies with the run as any worker; should the coordinator die, the kernel detaches
 * it, and it goes on to die as above. */
static gboolean hold_by_trace(Xc *xc, XTask *x, const char *name)
{
	pid_t pid = x->wk.pid;
	if (ptrace(PTRACE_SEIZE, pid, NULL, NULL) < 0) {
		if (errno != EPERM) {
			fail(xc, "%s: cannot hold its call back: PTRACE_SEIZE: %s", name,
			     g_strerror(errno));
			return FALSE;
		}
		/* A machine that forbids tracing one's own children (Yama's ptrace_scope 2 or
		 * 3, a seccomp policy) lacks what this needs: not a failure of the model. */
		if (!xc->unsupported)
			xc->unsupported = g_strdup_printf(
				"%s: a call is held back by ptrace in a scenario that stops "
				"processes, and this machine forbids PTRACE_SEIZE of the run's own "
				"workers",
				name);
		sim_world_stop(xc->w);
		return FALSE;
	}
	x->traced = TRUE;
	if (ptrace(PTRACE_INTERRUPT, pid, NULL, NULL) < 0) {
		fail(xc, "%s: cannot hold its call back: PTRACE_INTERRUPT: %s", name,
		     g_strerror(errno));
		return FALSE;
	}
	gint64 deadline = g_get_monotonic_time() + (gint64)xc->opt->step_ms * 1000;
	for (;;) {
		int status = 0;
		pid_t got = waitpid(pid, &status, __WALL | WNOHANG);
		if (got == pid && WIFSTOPPED(status))
			return TRUE;
		if (got == pid || (got < 0 && errno != EINTR)) {
			x->traced = FALSE;
			fail(xc, "%s: its worker ended while it was held back", name);
			return FALSE;
		}
		if (g_get_monotonic_time() > deadline || !sim_real_stop_pause(100)) {
			fail(xc, "%s: its worker did not stop within %d ms", name,
			     xc->opt->step_ms);
			return FALSE;
		}
	}
}

void xc_hold(Xc *xc, XTask *x, const char *name)
{
	if (!x->started || x->gone || !x->sent || x->answered || x->died || x->held ||
	    x->wk.pid <= 0)
		return;
	if (!(xc->stops ? hold_by_trace(xc, x, name) : hold_by_signal(xc, x, name)))
		return;
	x->held = TRUE;
	xc->held_calls++;
}

/* The model finishes (or blocks again in) x's held call: the worker goes on and makes it
 * again, and the kernel is let settle. A stop of the scenario's that came meanwhile takes
 * hold at the detach instead. */
void xc_release(Xc *xc, XTask *x, const SimTask *t, const SimStmt *st)
{
	if (!x->held)
		return;
	x->held = FALSE;
	if (x->traced) {
		x->traced = FALSE;
		ptrace(PTRACE_DETACH, x->wk.pid, NULL, NULL);
	} else {
		kill(x->wk.pid, SIGCONT);
	}
	g_autofree char *who = g_strdup_printf("%s, %s (line %u), let go on", t->name,
					       st ? stmt_word(st) : "call", st ? st->loc.line : 0);
	xc_quiesce(xc, who, x);
}

void xc_stop_killed(Xc *xc, XTask *x)
{
	x->held = FALSE;
	x->late = NULL; /* a kill that stopped its own process: never answered now */
	if (!x->traced)
		return;
	x->traced = FALSE;
	/* Its parent is the coordinator: the worker's own reaping sees the death. */
	if (x->wk.own_child)
		return;
	/* A dead tracee stays a zombie for its tracer until the tracer waits for it; then the
	 * kernel hands it on to its real parent. */
	gint64 deadline = g_get_monotonic_time() + (gint64)xc->opt->step_ms * 1000;
	for (;;) {
		int status = 0;
		pid_t got = waitpid(x->wk.pid, &status, __WALL | WNOHANG);
		if ((got == x->wk.pid && (WIFEXITED(status) || WIFSIGNALED(status))) ||
		    (got < 0 && errno != EINTR) || g_get_monotonic_time() > deadline ||
		    !sim_real_stop_pause(100))
			return;
	}
}

/* ---- The scenario's own stops ---- */

gboolean xc_stop_settled(Xc *xc, const XTask *x)
{
	(void)xc;
	/* Only the scenario stops a worker here ('T'; a hold is 't'): the stop is where the
	 * call rests until SIGCONT, as the model's task does. */
	return proc_state(x->wk.pid) == 'T';
}

gboolean xc_stop_late(Xc *xc, const SimTask *t, const SimStmt *st, XTask *x)
{
	(void)t;
	/* Only a kill stops its own caller before it returns; any other call's answer is
	 * waited for as the lockstep always does. */
	if (x->op != SIM_REAL_KILL || x->answered || x->died || x->late)
		return FALSE;
	gint64 deadline = g_get_monotonic_time() + (gint64)xc->opt->step_ms * 1000;
	for (;;) {
		if (sim_real_ready(&x->wk))
			return FALSE;
		if (proc_state(x->wk.pid) == 'T')
			break;
		if (g_get_monotonic_time() > deadline || !sim_real_stop_pause(100))
			return FALSE;
	}
	x->late = st;
	return TRUE;
}

/* Is x's process stopped in the kernel? A held tracee: when a stop signal waits there for
 * the detach. Else its state, waited for (up to the step timeout) to become `want`: a
 * stop signal takes hold when its target next runs, not when kill returns. */
static gboolean kernel_stopped(Xc *xc, XTask *x, gboolean want)
{
	if (x->traced)
		return held_stopped(x->wk.pid);
	await_state(xc, x->wk.pid, want);
	return proc_state(x->wk.pid) == 'T';
}

/* A call that stopped its own process, continued now: its answer, compared. */
static void late_answer(Xc *xc, SimWorld *w, const SimTask *t, XTask *x)
{
	const SimStmt *st = x->late;
	x->late = NULL;
	xc_collect(xc, x, xc->opt->step_ms);
	if (!xc->failed)
		xc_compare_call(xc, w, t, st, x);
}

static gboolean model_stopped(const SimTask *t)
{
	return t->stopped_by != 0 && t->state != SIM_STATE_EXITED;
}

void xc_stop_sync(Xc *xc, SimWorld *w)
{
	for (guint i = 0; i < xc->n && !xc->failed; i++) {
		XTask *x = &xc->x[i];
		const SimTask *t = &w->tasks[i];
		gboolean m = model_stopped(t);
		if (m == x->m_stop)
			continue;
		x->m_stop = m;
		if (!x->started || x->gone || x->wk.pid <= 0)
			continue;
		gboolean k = x->k_stop = kernel_stopped(xc, x, m);
		g_autofree char *mt =
			m ? g_strdup_printf("stopped by %s", sim_scn_signal_name(t->stopped_by))
			  : g_strdup("continued");
		const char *kt =
			k == m ? (m ? (x->traced ? "stopped (held: the stop pending)" : "stopped")
				    : "continued")
			: k    ? "stopped"
			       : "not stopped";
		xc->step++;
		xc_row(xc, t, m ? "stop" : "continue", 0, mt, kt, k == m);
		if (!m && x->late)
			late_answer(xc, w, t, x);
	}
}

void xc_stop_final(Xc *xc)
{
	xc_stop_sync(xc, xc->w); /* a stop after the last event (its own, say) has its row too */
	for (guint i = 0; i < xc->n && !xc->failed; i++) {
		XTask *x = &xc->x[i];
		const SimTask *t = &xc->w->tasks[i];
		if (!x->started || x->gone || x->wk.pid <= 0)
			continue;
		gboolean m = model_stopped(t);
		gboolean k = x->k_stop =
			x->traced ? held_stopped(x->wk.pid) : proc_state(x->wk.pid) == 'T';
		if (!m && !k)
			continue;
		xc->step++;
		if (x->late) {
			/* Never continued, its kill never answers: the stop is compared. */
			Cell c = { .err = sim_world_result(xc->w, x->late)->err,
				   .ret = sim_world_result(xc->w, x->late)->ret };
			g_autofree char *ct = xc_cell_text(&c);
			g_autofree char *mt = g_strdup_printf("%s, and stopped by it", ct);
			xc_row(xc, t, xc_row_call(x, x->late), x->late->loc.line, mt,
			       k ? "stopped in it, before it returned" : "not stopped", k);
			x->late = NULL;
			x->sent = FALSE;
			continue;
		}
		xc_row(xc, t, "stopped at the end", 0, m ? "stopped" : "not stopped",
		       k ? "stopped" : "not stopped", m == k);
	}
}
