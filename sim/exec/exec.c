/* exec.c — the supervisor's loop: one guest at a time, as a seeded draw picks.
 *
 * Each iteration: if a guest runs, wait for it to park at its next trapped call or to die
 * (under a timeout: a guest that runs unseen too long stops the run); else the world's
 * dispatch (engine/external.c) picks one of the guests that can go on (parked at a call, or
 * woken in the model: the tasks on the world's ready queue, gtask.c), its scheduler drawing
 * from the run's stream (pick_guest), and serves its call through its task's server (step). The
 * one design choice to know: the running guest is the only one that can make anything
 * happen, so the order of everything (calls, wake-ups, what the programs print) is the
 * order of the draws, and one seed gives one run. When no guest can go on and some are
 * blocked in the model, that is a deadlock, reported like a scenario's.
 */
#undef _POSIX_C_SOURCE
#define _GNU_SOURCE

#include <errno.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sched.h>
#include <signal.h>
#include <string.h>
#include <sys/syscall.h>
#include <stdint.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "exec/exec_int.h"
#include "msgsim/lang/scn.h"

#define OUTPUT_CHUNK (64 * 1024) /* most bytes one trapped write takes (a short write) */

/* ---- What the programs print ---- */

/* Trace mode: each line a program prints becomes "[3 prog] | line"; a line still open
 * when the program exits is shown too. */
void sim_exec_output(SimExec *x, SimGuest *g, const char *buf, gsize len)
{
	if (x->opt->chooser)
		sim_exec_choice_print(x, g, buf, len);
	if (x->opt->quiet)
		return;
	if (x->opt->program_output) {
		fwrite(buf, 1, len, x->out);
		return;
	}
	if (!g->pending)
		g->pending = g_string_new(NULL);
	g_string_append_len(g->pending, buf, (gssize)len);
	char *nl;
	while ((nl = memchr(g->pending->str, '\n', g->pending->len))) {
		*nl = '\0';
		sim_exec_trace(x, g, "| %s", g->pending->str);
		sim_exec_ev(x, g, SIM_TR_PRINT, NULL, g->pending->str, 0);
		g_string_erase(g->pending, 0, nl - g->pending->str + 1);
	}
}

static void flush_output(SimExec *x, SimGuest *g)
{
	if (g->pending && g->pending->len) {
		sim_exec_trace(x, g, "| %s", g->pending->str);
		sim_exec_ev(x, g, SIM_TR_PRINT, NULL, g->pending->str, 0);
		g_string_truncate(g->pending, 0);
	}
}

/* write(1|2, buf, n) and writev(1|2, iov, n): served here, so that output is in schedule
 * order whatever buffering the descriptor would add. */
static void serve_write(SimExec *x, SimGuest *g)
{
	const __u64 *a = g->notif.data.args;
	g_autofree char *buf = NULL;
	gsize total = 0;
	int err = 0;
	if (g->notif.data.nr == __NR_write) {
		total = MIN((gsize)a[2], OUTPUT_CHUNK);
		buf = g_malloc(total + 1);
		if (!sim_exec_read(g, a[1], buf, total))
			err = EFAULT;
	} else {
		int cnt = (int)a[2];
		if (cnt < 0 || cnt > IOV_MAX) {
			err = EINVAL;
		} else {
			g_autofree struct iovec *iov = g_new0(struct iovec, cnt ? cnt : 1);
			if (!sim_exec_read(g, a[1], iov, sizeof *iov * (gsize)cnt))
				err = EFAULT;
			buf = g_malloc(OUTPUT_CHUNK + 1);
			for (int i = 0; !err && i < cnt && total < OUTPUT_CHUNK; i++) {
				gsize n = MIN(iov[i].iov_len, OUTPUT_CHUNK - total);
				if (!sim_exec_read(g, (uintptr_t)iov[i].iov_base, buf + total, n))
					err = EFAULT;
				total += n;
			}
		}
	}
	if (!err)
		sim_exec_output(x, g, buf, total);
	sim_exec_answer(x, g, (gint64)total, err, FALSE);
}

/* ---- Process calls ---- */

/* A path from guest memory, byte by byte (it may end just before an unmapped page). */
static void read_path(const SimGuest *g, guint64 addr, char *path, gsize size)
{
	gsize n = 0;
	while (n < size - 1 && sim_exec_read(g, addr + n, &path[n], 1) && path[n])
		n++;
	path[n] = '\0';
}


static void refuse(SimExec *x, SimGuest *g, const char *why)
{
	if (!x->refusal)
		x->refusal = g_strdup_printf("%s: %s", g->name, why);
}

static guint max_procs(const SimExec *x)
{
	guint m = x->opt->max_procs;
	return m && m < SIM_EXEC_MAX_GUESTS ? m : SIM_EXEC_MAX_GUESTS;
}

/* The model's memory: the queued messages' records and texts, and the statements kept for
 * the trace events (events.c) when a format other than text was asked for. */
static guint64 model_memory(const SimExec *x)
{
	return sim_msg_pool_bytes(&x->w->pool) + (x->stmts ? x->stmts->len * sizeof(SimStmt) : 0);
}

/* After each served call: the memory rail, as run has it. */
static void check_memory(SimExec *x)
{
	guint64 max = x->w->max_memory; /* the world's rail: --max-memory, or as run's */
	guint64 used = model_memory(x);
	if (used <= max || x->limit)
		return;
	guint64 qnum = 0;
	for (guint i = 0; i < x->w->ipcns.n_slots; i++)
		if (x->w->ipcns.slots[i])
			qnum += ((const SimMsgq *)x->w->ipcns.slots[i])->qnum;
	x->limit = g_strdup_printf("the model holds %" G_GUINT64_FORMAT " bytes, more than "
				   "--max-memory %" G_GUINT64_FORMAT " (%" G_GUINT64_FORMAT
				   " messages queued); stopped",
				   used, max, qnum);
}

static gboolean is_wait(int nr)
{
	return nr == __NR_wait4 || nr == __NR_waitid;
}

/* wait4 and waitid: served by letting the kernel run them once a child they may collect
 * has exited (so the call returns at once), or held (blocked in the model) until then.
 * WNOHANG, and a guest with no child msgsim knows, go to the kernel straight away. */
static void serve_wait(SimExec *x, SimGuest *g, gboolean resuming)
{
	const __u64 *a = g->notif.data.args;
	gboolean is4 = g->notif.data.nr == __NR_wait4;
	int options = (int)(is4 ? a[2] : a[3]);
	int want = is4 ? (int)a[0] : ((int)a[0] == P_PID ? (int)a[1] : -1);
	if (g->task->waiter.queue) /* woken by a signal first: off its wait list */
		sim_waitq_del(&g->task->waiter);
	gboolean live;
	SimGuest *done = sim_exec_task_zombie(x, g, want, &live);
	if (done && !is4 && !(options & WEXITED)) {
		/* waitid for stops or continues only: an exited child is none of its business,
		 * but it keeps the call waiting (the kernel's does, until a stop or forever). */
		done = NULL;
		live = TRUE;
	}
	const char *call = is4 ? "wait4" : "waitid";
	SimGuest *rep = done ? NULL : sim_exec_sig_report(x, g, want, options);
	if (done) {
		sim_exec_task_reap(x, g, done);
		sim_exec_trace(x, g, "%s(%d) collects %s%s", call, want, done->name,
			       resuming ? " (woken)" : "");
	} else if (rep) {
		/* WUNTRACED (waitid's WSTOPPED) or WCONTINUED: the kernel reports it, and
		 * sends nothing the model must know. */
		int sig = rep->task->stopped_by;
		sim_exec_trace(x, g, "%s(%d) reports %s %s%s%s%s", call, want, rep->name,
			       sig ? "stopped by SIG" : "continued", sig ? sigabbrev_np(sig) : "",
			       resuming ? " (woken)" : "", (options & WNOWAIT) ? " (WNOWAIT)" : "");
	} else if (live && !(options & WNOHANG)) {
		/* It waits on its own child-wait list, as a scenario's wait does: a child's
		 * exit wakes it (sim_exec_exited). */
		sim_waitq_sleep(&g->task->chld_wait, &g->task->waiter);
		sim_exec_task_block(x, g, "wait");
		sim_exec_trace(x, g, "%s(%d) blocks: no child has exited", call, want);
		return;
	}
	sim_exec_answer(x, g, 0, 0, TRUE);
}

#define EXEC_ARGS_KEPT 32 /* arguments of an execve kept for the names of keys */

/* The arguments of g's execve (argv at addr), for the names of keys (serve.c). */
static void keep_argv(SimGuest *g, guint64 addr)
{
	GPtrArray *args = g_ptr_array_new();
	guint64 p;
	for (guint i = 1; i < EXEC_ARGS_KEPT && addr; i++) {
		if (!sim_exec_read(g, addr + i * sizeof p, &p, sizeof p) || !p)
			break;
		char arg[256];
		read_path(g, p, arg, sizeof arg);
		g_ptr_array_add(args, g_strdup(arg));
	}
	g_ptr_array_add(args, NULL);
	g_strfreev(g->exec_argv);
	g->exec_argv = (char **)g_ptr_array_free(args, FALSE);
}

/* A forked child that execs takes its program's name; the trace says which. */
static void rename_exec(SimExec *x, SimGuest *g, guint64 path_addr)
{
	char path[256];
	keep_argv(g, g->notif.data.args[1]);
	read_path(g, path_addr, path, sizeof path);
	sim_exec_trace(x, g, "execve(\"%s\")", path);
	g_autofree char *base = g_path_get_basename(path);
	g_free(g->name);
	g->name = g_strdup_printf("%d %s", g->nspid, base);
	g->task->name = g->name;
}

/* nanosleep and clock_nanosleep: the guest sleeps on the virtual clock, which jumps to
 * its wake-up time when no guest can go on before (the trace says so). An absolute
 * clock_nanosleep names a time on the virtual clock too (clock.c), unless its clock is a
 * CPU clock the model does not keep: that sleep goes to the kernel, and the trace says so. */
static void serve_sleep(SimExec *x, SimGuest *g)
{
	const __u64 *a = g->notif.data.args;
	gboolean abs = g->notif.data.nr == __NR_clock_nanosleep && (a[1] & TIMER_ABSTIME);
	guint64 req = g->notif.data.nr == __NR_nanosleep ? a[0] : a[2];
	struct timespec ts;
	if (!sim_exec_read(g, req, &ts, sizeof ts)) {
		sim_exec_answer(x, g, -1, EFAULT, FALSE);
		return;
	}
	if (ts.tv_sec < 0 || ts.tv_nsec < 0 || ts.tv_nsec >= 1000000000L) {
		sim_exec_answer(x, g, -1, EINVAL, FALSE);
		return;
	}
	if (abs) {
		SimTime at;
		if (!sim_exec_clock_virtual((int)a[0], &ts, &at)) {
			sim_exec_trace(x, g, "clock_nanosleep(%d, TIMER_ABSTIME) runs in real time: "
					     "the model keeps no CPU time", (int)a[0]);
			sim_exec_answer(x, g, 0, 0, TRUE);
			return;
		}
		if (at <= sim_world_now(x->w)) { /* already past: it returns at once */
			sim_exec_answer(x, g, 0, 0, FALSE);
			return;
		}
		g->wake_at = at;
		sim_exec_task_sleep(x, g);
		sim_exec_timer_start(x, g);
		sim_exec_trace(x, g, "sleeps until %" G_GINT64_FORMAT ".%06" G_GINT64_FORMAT
				     " s (virtual)",
			       at / SIM_S, (at % SIM_S) / SIM_US);
		return;
	}
	SimTime d = (SimTime)ts.tv_sec * SIM_S + ts.tv_nsec;
	g->wake_at = d > G_MAXINT64 - sim_world_now(x->w) ? G_MAXINT64 : sim_world_now(x->w) + d;
	if (g->restart_sleep) {
		/* The sleep a stop cut, restarted at SIGCONT: it ends when it would have (the
		 * kernel's restart block), at once when that is past. */
		SimTime end = g->restart_sleep;
		g->restart_sleep = 0;
		if (end <= sim_world_now(x->w)) {
			sim_exec_trace(x, g, "its sleep, restarted, was over while it was stopped");
			sim_exec_answer(x, g, 0, 0, FALSE);
			return;
		}
		g->wake_at = end;
		ts.tv_sec = (end - sim_world_now(x->w)) / SIM_S;
		ts.tv_nsec = (end - sim_world_now(x->w)) % SIM_S;
	}
	sim_exec_task_sleep(x, g);
	sim_exec_timer_start(x, g);
	sim_exec_trace(x, g, "sleeps %ld.%09ld s", (long)ts.tv_sec, ts.tv_nsec);
}

/* No guest can go on: the clock jumps to the earliest wake-up (the world's event queue:
 * timers.c), those due wake, and the alarms due fire. */
static gboolean wake_sleepers(SimExec *x)
{
	if (!sim_exec_timers_fire(x))
		return FALSE;
	sim_exec_sig_settle(x); /* alarms due now (signals.c) */
	return TRUE;
}

/* The files that show the model's state: /proc/sysvipc/msg and the kernel.msg* sysctls
 * (what ipcs -q and ipcs -l read). TRUE with the text for path; FALSE: not one of them. */
static gboolean model_file(const SimExec *x, const char *path, GString *text)
{
	if (strcmp(path, "/proc/sysvipc/msg") == 0) {
		sim_exec_sysvipc_msg(x, text);
		return TRUE;
	}
	if (sim_exec_mq_file(x, path, text))
		return TRUE;
	static const SimLimitId msg_limits[] = { SIM_LIMIT_MSGMAX, SIM_LIMIT_MSGMNB,
						 SIM_LIMIT_MSGMNI };
	for (gsize i = 0; i < G_N_ELEMENTS(msg_limits); i++)
		if (strcmp(path, sim_limits_table[msg_limits[i]].proc) == 0) {
			g_string_append_printf(text, "%" G_GINT64_FORMAT "\n",
					       sim_limits_get(&x->w->ipcns.limits, msg_limits[i]));
			return TRUE;
		}
	return FALSE;
}

/* open and openat: a file that shows the model (model_file) is rendered into a memfd and
 * installed in the guest (so `ipcs -q`, run by system(), prints the simulated queues);
 * /dev/tty is the guests' terminal; every other path goes to the kernel. An open of one for writing goes there too: a sysctl
 * a guest sets is its private IPC namespace's, which the model does not follow. */
static void serve_open(SimExec *x, SimGuest *g)
{
	const __u64 *a = g->notif.data.args;
	gboolean at = g->notif.data.nr == __NR_openat;
	char path[300]; /* /dev/mqueue/ and a name of up to NAME_MAX bytes */
	read_path(g, at ? a[1] : a[0], path, sizeof path);
	int flags = (int)(at ? a[2] : a[1]);
	if (strcmp(path, "/dev/tty") == 0 && x->tty_slave >= 0) {
		/* The guests' controlling terminal is theirs, not msgsim's: a read of it is
		 * served as one of descriptor 0 (tty.c). */
		sim_exec_answer_fd(x, g, x->tty_slave, (flags & O_CLOEXEC) != 0);
		return;
	}
	g_autoptr(GString) text = g_string_new(NULL);
	if ((flags & O_ACCMODE) != O_RDONLY || !model_file(x, path, text)) {
		sim_exec_answer(x, g, 0, 0, TRUE);
		return;
	}
	int fd = memfd_create("msgsim-model", MFD_CLOEXEC);
	if (fd < 0 || write(fd, text->str, text->len) != (ssize_t)text->len ||
	    lseek(fd, 0, SEEK_SET) != 0) {
		sim_exec_answer(x, g, -1, EIO, FALSE);
	} else {
		sim_exec_trace(x, g, "open(\"%s\") shows the model's %s", path,
			       g_str_has_prefix(path, "/proc/sysvipc/") ? "queues"
			       : g_str_has_prefix(path, "/dev/mqueue/") ? "queue"
									: "limit");
		sim_exec_answer_fd(x, g, fd, (flags & O_CLOEXEC) != 0);
	}
	if (fd >= 0)
		close(fd);
}

/* getrandom: bytes from the run's seed, so a program that seeds itself from it runs the
 * same every time. */
static void serve_getrandom(SimExec *x, SimGuest *g)
{
	const __u64 *a = g->notif.data.args;
	gsize len = MIN((gsize)a[1], OUTPUT_CHUNK);
	g_autofree guint8 *buf = g_malloc(len + 1);
	for (gsize i = 0; i < len; i++)
		buf[i] = (guint8)g_rand_int_range(x->rng, 0, 256);
	if (sim_exec_write(g, a[0], buf, len))
		sim_exec_answer(x, g, (gint64)len, 0, FALSE);
	else
		sim_exec_answer(x, g, -1, EFAULT, FALSE);
}

static void serve_process(SimExec *x, SimGuest *g)
{
	const __u64 *a = g->notif.data.args;
	int nr = g->notif.data.nr;
	switch (nr) {
	case __NR_execve:
	case __NR_execveat:
		/* Its own start (the filter parks every guest at its first execve) or a later
		 * exec: the kernel runs it. A parent held in vfork goes on with it. */
		if (g->parent >= 0 && nr == __NR_execve)
			rename_exec(x, g, a[0]);
		sim_exec_answer(x, g, 0, 0, TRUE);
		if (g->parent >= 0)
			sim_exec_guest(x, g->parent)->held = FALSE; /* it runs on, unseen */
		break;
	case __NR_clone3:
		/* Its flags are in memory; ENOSYS makes glibc fall back to clone, whose flags are
		 * in a register the filter and the supervisor can read. */
		sim_exec_answer(x, g, 0, ENOSYS, FALSE);
		break;
	case __NR_wait4:
	case __NR_waitid:
		serve_wait(x, g, FALSE);
		break;
	case __NR_nanosleep:
	case __NR_clock_nanosleep:
		serve_sleep(x, g);
		break;
	case __NR_open:
	case __NR_openat:
		serve_open(x, g);
		break;
	case __NR_getrandom:
		serve_getrandom(x, g);
		break;
	case __NR_exit_group: /* signals.c's settle serves these before any draw */
		sim_exec_answer(x, g, 0, 0, TRUE);
		break;
	default: /* clone, fork, vfork */
		if (nr == __NR_clone && (a[0] & CLONE_THREAD)) {
			g_autofree char *why = sim_exec_sig_thread_refusal(g);
			refuse(x, g, why);
			break;
		}
		if (sim_exec_n(x) >= max_procs(x)) {
			if (!x->limit)
				x->limit = g_strdup_printf(
					"%s forks, but the programs have started %u process(es), "
					"the most --max-procs allows (default and most %d); stopped",
					g->name, sim_exec_n(x), SIM_EXEC_MAX_GUESTS);
			break;
		}
		/* The kernel forks; the child runs from fork's return to its first trapped call
		 * while the parent runs to its next one, and msgsim answers nothing until both
		 * have parked. A vfork's parent waits in the kernel until the child execs. */
		gboolean vfork = nr == __NR_vfork || (nr == __NR_clone && (a[0] & CLONE_VFORK));
		sim_exec_trace(x, g, "%s()", vfork ? "vfork" : "fork"); /* glibc forks by clone */
		sim_exec_answer(x, g, 0, 0, TRUE);
		g->forked = TRUE;
		if (vfork)
			g->held = TRUE;
		break;
	}
}

/* ---- The loop ---- */

/* The picked guest's call (the world's dispatch has counted the step and moved the clock). */
static void step(SimExec *x, SimGuest *g)
{
	if (g->sig && sim_exec_sig_deliver(x, g))
		return; /* a signal ended its wait, or runs before its call (signals.c) */
	if (g->task->resuming) { /* woken: its call finishes */
		int wnr = g->notif.data.nr;
		if (sim_exec_is_signal(wnr))
			sim_exec_serve_signal(x, g, TRUE);
		else if (wnr == __NR_nanosleep || wnr == __NR_clock_nanosleep)
			sim_exec_answer(x, g, 0, 0, FALSE);
		else if (is_wait(wnr))
			serve_wait(x, g, TRUE);
		else if (sim_exec_is_mq(wnr))
			sim_exec_serve_mq(x, g, TRUE);
		else
			sim_exec_serve_sysv(x, g, TRUE);
		return;
	}
	int nr = g->notif.data.nr;
	if (nr != __NR_nanosleep && nr != __NR_clock_nanosleep)
		g->restart_sleep = 0; /* not the sleep a stop cut: that one's end is moot */
	if (x->mq_reap_due)
		sim_exec_mq_reap(x);
	if (sim_exec_is_sysv(nr))
		sim_exec_serve_sysv(x, g, FALSE);
	else if (sim_exec_is_signal(nr))
		sim_exec_serve_signal(x, g, FALSE);
	else if (sim_exec_is_mq(nr))
		sim_exec_serve_mq(x, g, FALSE);
	else if (sim_exec_is_read(nr)) /* only reads of the terminal park (tty.c) */
		sim_exec_serve_read(x, g);
	else if (sim_exec_is_poll(nr)) /* and polls of it */
		sim_exec_serve_poll(x, g);
	else if ((nr == __NR_write || nr == __NR_writev) &&
		 sim_exec_to_terminal(x, g, (int)g->notif.data.args[0]))
		serve_write(x, g);
	else if (nr == __NR_write || nr == __NR_writev)
		sim_exec_answer(x, g, 0, 0, TRUE); /* a file or pipe of its own: the kernel's */
	else
		serve_process(x, g);
}

/* The server of a guest's task (SimTask.ext, called by the world's dispatch with the
 * task RUNNING): its data is the guest. A rail or a refusal that stops the step before its
 * answer puts the guest back on the ready queue as it was. */
static void serve_task(void *data, SimTask *t)
{
	SimGuest *g = data;
	SimExec *x = g->x;
	g_assert(t == g->task);
	g->answered = FALSE;
	step(x, g);
	sim_exec_task_unpick(x, g);
}

void sim_exec_exited(SimExec *x, SimGuest *g)
{
	flush_output(x, g);
	sim_exec_mq_exited(x, g);
	int e = 0;
	if (g->errpipe >= 0 && read(g->errpipe, &e, sizeof e) == sizeof e && e) {
		g_autofree char *why = g_strdup_printf("cannot be executed: %s", g_strerror(e));
		refuse(x, g, why);
		return;
	}
	int cst = g->parent >= 0 ? sim_exec_sig_child_status(g) : -1; /* signals.c */
	if (cst > 0 && WIFSIGNALED(cst)) {
		g->status = cst; /* a child a signal ended: the trace says which */
		g->task->exit_code = 128 + WTERMSIG(cst);
		g->task->killed_by = WTERMSIG(cst);
	}
	sim_exec_ev(x, g, SIM_TR_EXIT, NULL, NULL,
		    WIFSIGNALED(g->status) ? 128 + WTERMSIG(g->status) : WEXITSTATUS(g->status));
	if (g->parent >= 0 && !WIFSIGNALED(g->status)) /* its parent collects its status */
		sim_exec_trace(x, g, "exits");
	else if (WIFSIGNALED(g->status))
		sim_exec_trace(x, g, "killed by %s", sigabbrev_np(WTERMSIG(g->status))
							     ? sigabbrev_np(WTERMSIG(g->status))
							     : "a signal");
	else
		sim_exec_trace(x, g, "exits with status %d", WEXITSTATUS(g->status));
	if (g->parent < 0)
		return;
	SimGuest *p = sim_exec_guest(x, g->parent);
	if (p->held && p->task->state == SIM_STATE_RUNNING) {
		p->held = FALSE; /* a vfork child that exited without exec */
	} else if (p->task->state == SIM_STATE_BLOCKED &&
		   p->task->waiter.queue == &p->task->chld_wait) {
		SimWakeList wl = { NULL, NULL };
		sim_waitq_wake(&wl, &p->task->waiter, 0);
		sim_exec_task_wake(x, p);
		sim_exec_trace(x, g, "wakes %s", p->name);
		sim_exec_ev(x, p, SIM_TR_WAKE, g, NULL, 0);
	}
}

/* The guests that can go on: the ready queue's tasks, in task order (the random policy's
 * snapshot), as the search's choice indexes them. */
static guint can_go(SimExec *x, SimGuest **out)
{
	const SimTask *ready[SIM_EXEC_MAX_GUESTS];
	guint n = sim_sched_snapshot(&x->w->sched, ready, SIM_EXEC_MAX_GUESTS);
	for (guint i = 0; i < n; i++)
		out[i] = sim_exec_guest(x, ready[i]->id);
	return n;
}

/* The world's pick (its scheduler's choose hook, in task order): which of the n guests that
 * can go on runs next. A draw from the run's stream when there is a choice (so that one seed
 * gives one run), or the search's choice (search.c); n or more: the run must stop. */
static guint pick_guest(void *data, guint n)
{
	SimExec *x = data;
	if (!x->opt->chooser)
		return n == 1 ? 0 : (guint)g_rand_int_range(x->rng, 0, (gint32)n);
	SimGuest *ready[SIM_EXEC_MAX_GUESTS];
	guint m = can_go(x, ready);
	SimGuest *g = sim_exec_choose(x, ready, m);
	for (guint i = 0; g && i < m; i++)
		if (ready[i] == g)
			return i;
	return n;
}

static SimExecStatus run_loop(SimExec *x)
{
	guint64 max_steps = x->w->max_steps; /* the world's rail: --max-steps, or as run's */
	for (;;) {
		if (x->refusal)
			return SIM_EXEC_REFUSED;
		if (x->limit) {
			fprintf(stderr, "msgsim: exec: %s\n", x->limit);
			return SIM_EXEC_LIMIT;
		}
		guint n = sim_sched_len(&x->w->sched);
		while (n == 0 && !x->limit && wake_sleepers(x)) {
			n = sim_sched_len(&x->w->sched);
			if (n == 0 && x->w->steps >= max_steps) /* a timer that fires for nobody */
				x->limit = g_strdup_printf("stopped after %" G_GUINT64_FORMAT
							   " calls (--max-steps)",
							   x->w->steps);
		}
		if (x->limit)
			continue;
		if (n == 0)
			break;
		if (x->w->steps >= max_steps) {
			fprintf(stderr,
				"msgsim: exec: stopped after %" G_GUINT64_FORMAT
				" calls (--max-steps)\n",
				x->w->steps);
			return SIM_EXEC_LIMIT;
		}
		/* The engine picks (pick_guest draws) and the guest's server serves its call. */
		if (!sim_world_dispatch_external(x->w))
			continue; /* the search stopped the run (x->refusal or x->limit) */
		check_memory(x);
		if (!sim_exec_wait(x)) {
			fprintf(stderr, "msgsim: exec: a program ran for more than %u ms without a "
					"call msgsim serves (--timeout); stopped\n",
				x->opt->timeout_ms ? x->opt->timeout_ms : 10000);
			return SIM_EXEC_LIMIT;
		}
		sim_exec_sig_settle(x); /* exits, alarms, signals sent (signals.c) */
	}
	/* Once, at the run's end: each guest still blocked is a deadlock to report. */
	gboolean stuck = FALSE;
	for (guint i = 0; i < sim_exec_n(x); i++) {
		SimGuest *g = sim_exec_guest(x, i);
		if (sim_exec_stopped(g)) {
			/* As a scenario's report says it (report.c): the stop, not a call, holds
			 * it, and nobody is left to continue it. */
			stuck = TRUE;
			g_autofree char *why = g_strdup_printf(
				"stopped (SIG%s), nobody sends SIGCONT",
				sigabbrev_np(g->task->stopped_by));
			sim_exec_trace(x, g, "deadlock: %s", why);
			if (x->trace)
				sim_exec_ev(x, g, SIM_TR_DEADLOCK, NULL,
					    sim_exec_name(x, "%s", why), 0);
		} else if (g->task->state == SIM_STATE_BLOCKED) {
			stuck = TRUE;
			/* The call it blocked in, as its task says (gtask.c's block). */
			const char *in = g->task->wait_why ? g->task->wait_why : "wait";
			sim_exec_trace(x, g, "deadlock: blocked forever in %s", in);
			sim_exec_ev(x, g, SIM_TR_DEADLOCK, NULL, in, 0);
		}
	}
	return stuck ? SIM_EXEC_DEADLOCK : SIM_EXEC_DONE;
}

void sim_exec_model_init(SimExec *x, const SimExecOptions *opt, FILE *out)
{
	memset(x, 0, sizeof *x);
	x->opt = opt;
	x->out = out;
	x->tty_master = x->tty_slave = -1;
	x->line = g_string_new(NULL);
	x->rng = g_rand_new_with_seed((guint32)(opt->seed ^ (opt->seed >> 32)));
	/* The guests' world: its random pick draws from rng (pick_guest), in task order. */
	SimWorldOptions wo = { .seed = opt->seed,
			       .seed_set = TRUE,
			       .choose = pick_guest,
			       .choose_data = x,
			       .max_steps = opt->max_steps,
			       .max_memory = opt->max_memory };
	x->w = sim_world_new_external(&wo, opt->limits, SIM_EXEC_MAX_GUESTS);
	x->due_timers = g_array_new(FALSE, FALSE, sizeof(SimEvent));
	x->due_alarms = g_array_new(FALSE, FALSE, sizeof(SimEvent));
	x->forked = g_hash_table_new(NULL, NULL);
}

SimGuest *sim_exec_guest_add(SimExec *x)
{
	SimGuest *g = g_new0(SimGuest, 1);
	g->x = x;
	g->ext = (SimTaskExternal){ serve_task, g };
	g->task = sim_world_add_external(x->w, NULL, &g->ext);
	if (!g->task) {
		g_free(g);
		return NULL;
	}
	g->idx = g->task->id;
	g->listener = g->pidfd = g->errpipe = -1;
	g->parent = -1;
	return g;
}

void sim_exec_model_clear(SimExec *x)
{
	guint n = sim_exec_n(x);
	SimGuest *guests[SIM_EXEC_MAX_GUESTS];
	for (guint i = 0; i < n; i++) {
		SimGuest *g = guests[i] = sim_exec_guest(x, i);
		g_free(g->name);
		g_strfreev(g->exec_argv);
		g_free(g->call.shown);
		if (g->pending)
			g_string_free(g->pending, TRUE);
		g_clear_pointer(&g->calls, g_array_unref);
	}
	sim_exec_mq_clear(x);
	/* The world frees the tasks (what each received, and the message its waiter holds: a
	 * sender still blocked holds its own, and so does a receiver handed one that never ran
	 * again), the queues, the namespace and the pool; then the guests' records go. */
	sim_world_free(x->w);
	x->w = NULL;
	for (guint i = 0; i < n; i++)
		g_free(guests[i]);
	g_array_unref(x->due_timers);
	g_array_unref(x->due_alarms);
	g_hash_table_unref(x->forked);
	g_rand_free(x->rng);
	g_string_free(x->line, TRUE);
	g_free(x->refusal);
	g_free(x->limit);
}

/* The end of a run, while the guests' records are still there: the expectations judged (an
 * expected deadlock is no failure), the record written, and the sinks' last lines. The
 * text trace gets the expectations' report lines, as run prints them, only when there are
 * expectations: a plain run's trace ends as it always has. */
static SimExecStatus finish(SimExec *x, const SimExecExpect *ex, SimExecStatus st)
{
	guint passed = 0, failed = 0;
	SimTrace *report = x->trace;
	g_autoptr(SimTrace) own = NULL;
	if (ex && !report && !x->opt->quiet) {
		own = sim_trace_new();
		sim_trace_add_sink(own, SIM_TRACE_TEXT, x->opt->program_output ? stderr : x->out,
				   FALSE, TRUE);
		report = own;
	}
	if (ex) {
		sim_exec_expect_judge(x, ex, st, report, &passed, &failed);
		if (st == SIM_EXEC_DEADLOCK && sim_exec_expect_deadlock(ex))
			st = SIM_EXEC_DONE;
		if (st == SIM_EXEC_DONE && failed)
			st = SIM_EXEC_FAILED;
	}
	if (x->opt->record_file) {
		g_autoptr(GString) rec = g_string_new(NULL);
		sim_exec_record(x, st, rec);
		g_autoptr(GError) err = NULL;
		if (!g_file_set_contents(x->opt->record_file, rec->str, (gssize)rec->len, &err))
			fprintf(stderr, "msgsim: exec: --record: %s\n", err->message);
	}
	if (own) {
		sim_exec_ev_end(x, own, st, passed, failed);
		sim_trace_flush(own);
	}
	int werr = sim_exec_events_close(x, st, passed, failed);
	if (werr)
		fprintf(stderr, "msgsim: exec: cannot write the trace: %s\n", g_strerror(werr));
	fflush(x->out);
	return st;
}

gboolean sim_exec_run(char **const *argvs, guint n, const SimExecOptions *opt, FILE *out,
		      SimExecStatus *status, GError **error)
{
	g_return_val_if_fail(n > 0 && n <= SIM_EXEC_MAX_GUESTS, FALSE);
	if (!sim_exec_supported(error))
		return FALSE;
	/* About 10 KB: the guests' records are embedded (SIM_EXEC_MAX_GUESTS). */
	static SimExec x;
	sim_exec_model_init(&x, opt, out);
	x.argvs = argvs;
	x.n_argvs = n;
	SimExecExpect *ex = NULL;
	if ((opt->expect_file && !(ex = sim_exec_expect_load(opt->expect_file, error))) ||
	    !sim_exec_events_open(&x, opt->format, opt->output, error)) {
		sim_exec_expect_free(ex);
		sim_exec_model_clear(&x);
		return FALSE;
	}
	gboolean ok = sim_exec_namespaces(&x, error);
	for (guint i = 0; ok && i < n; i++) {
		ok = sim_exec_start(&x, argvs[i], error);
		if (ok) {
			SimGuest *g = sim_exec_guest(&x, i);
			g_autofree char *cmd = g_strjoinv(" ", (char **)argvs[i]);
			sim_exec_trace(&x, g, "starts %s", cmd);
			sim_exec_ev(&x, g, SIM_TR_START, NULL, cmd, 0);
		}
	}
	if (ok) {
		*status = finish(&x, ex, run_loop(&x));
		if (opt->chooser)
			sim_exec_choice_end(&x, *status);
		if (*status == SIM_EXEC_REFUSED)
			fprintf(stderr, "msgsim: exec: %s\n", x.refusal);
	}
	sim_exec_kill_all(&x);
	sim_exec_events_close(&x, SIM_EXEC_REFUSED, 0, 0); /* a start that failed: nothing ran */
	sim_exec_model_clear(&x);
	sim_exec_expect_free(ex);
	return ok;
}
