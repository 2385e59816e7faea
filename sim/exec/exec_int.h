/* exec_int.h — the supervisor's insides, shared by the files of sim/exec only.
 *
 * The guests live in a world without a scenario (SimExec.w, engine/external.c): each is a
 * task of kind EXTERNAL (SimGuest.task, engine/task.h) whose server data is its SimGuest,
 * and whose state only gtask.c moves, keeping the world's ready queue in step.
 * guest.c starts guests and talks to them (the filter, the listener, memory, answers);
 * serve.c serves the SysV calls with the model and formats them as C; posix.c the POSIX
 * queue calls, behind placeholder descriptors; signals.c when signals and alarms act on
 * the guests (in virtual time); timers.c their sleeps, timed waits and alarms as events of
 * the world's queue; exec.c is the loop that serialises the guests (each step
 * the world's dispatch); search.c
 * picks at choice points when a witness is followed or the schedules are searched.
 */
#ifndef MSGSIM_EXEC_INT_H
#define MSGSIM_EXEC_INT_H

#include <linux/seccomp.h>
#include <stdio.h>
#include <sys/types.h>

#include "msgsim/exec/exec.h"
#include "msgsim/kernel/ipcns.h"
#include "msgsim/kernel/msg.h"
#include "msgsim/kernel/msgq.h"
#include "msgsim/engine/sched.h"
#include "msgsim/engine/task.h"
#include "msgsim/engine/waitq.h"
#include "msgsim/output/trace.h"
#include "engine/world_int.h"

/* A guest's life is an engine task's (engine/task.h, kind EXTERNAL, in SimGuest.task),
 * moved only by the functions of gtask.c, which keep the world's ready queue (w->sched,
 * the engine's scheduler) in step. As the supervisor sees a guest:
 *   parked    READY, not resuming: stopped at a trapped call not served yet (on the queue)
 *   woken     READY, resuming: blocked in the model and woken; its call finishes when
 *             picked (on the queue)
 *   running   RUNNING: picked and served, or answered: it runs unseen until its next
 *             trapped call or its end. Several may run at once (a fork's two sides); the
 *             supervisor waits for all of them to park before it picks again.
 *   held      RUNNING with `held`: its vfork waits until the child execs or exits (the
 *             kernel's), so it is not waited for while its child is known
 *   blocked   BLOCKED: its call waits in the model (the notification is unanswered)
 *   sleeping  SLEEPING: in nanosleep until the virtual clock reaches wake_at
 *   exited    EXITED: its process has ended (status holds its wait status)
 * NEW is a guest made but not started. */
/* The call a guest blocked in, kept to finish it when it is woken. */
typedef struct SimGuestCall {
	int nr;		/* syscall number */
	guint64 args[6];
	SimMsgq *q;	/* the queue it waits on */
	struct SimExecMqFile *mf; /* POSIX: the queue description it waits on (posix.c) */
	SimTime deadline;	/* POSIX timed calls: when it times out (virtual) */
	gboolean timed;		/* BLOCKED with a deadline: wake_at holds it */
	char *shown;		/* POSIX send: its text as the trace shows it (owned), or NULL */
} SimGuestCall;

typedef struct SimGuest {
	SimTask *task;	       /* its task in the run's world (SimExec.w): state, waiter,
				* credentials, reaped, pid (its nspid), exit code, and what it
				* received (task->received: SimRecv, its text up to its first NUL,
				* as the program would print it; kept for --expect, --record and
				* the search only, else NULL) */
	SimTaskExternal ext;   /* its task's server: exec.c's step, with this guest as data */
	struct SimExec *x;     /* the run it belongs to */
	int idx;	       /* index in the run: its task's id in the world */
	pid_t pid;	       /* in the supervisor's PID namespace */
	int nspid;	       /* in the guests' namespace: what the trace shows */
	char *name;	       /* "3 msgrcv" (owned) */
	char **exec_argv;      /* the arguments of its last execve after the start, or NULL
				* (owned): where ftok keys may come from, as the run's argvs */
	int listener;	       /* seccomp listener, or -1 */
	int pidfd;	       /* readable when the guest has exited */
	int errpipe;	       /* read end: the errno of an execve that failed, or -1 */
	gboolean own_listener; /* started by msgsim (a forked child shares its parent's) */
	int parent;	       /* the guest that forked it, or -1 */
	/* Its children, as its wait calls look at them (gtask.c keeps both; O(1) a wait) */
	guint live_children;   /* forked and not exited */
	guint64 zombies;       /* exited, not collected: bit i is guest i (so a wait collects
				* the oldest first, as the kernel's list does) */
	gboolean forked;       /* it forked since it last parked: look for the child */
	SimTime wake_at;       /* SLEEPING: when its sleep ends on the virtual clock (its
				* event in the world's queue: timers.c) */
	gboolean held;	       /* RUNNING, held in vfork (see above) */
	gboolean answered;     /* its call was answered since it was last picked */
	struct seccomp_notif notif; /* the call it is parked in (PARKED, BLOCKED, WOKEN) */
	SimGuestCall call;
	int status;		    /* wait status once exited */
	GString *pending;	    /* what it printed after its last newline, or NULL */
	gboolean clock_said;	    /* the trace said it read a clock the model does not keep */
	/* Signals in virtual time (signals.c) */
	int sig;		    /* a handled signal pending in its kernel, to interrupt its
				     * wait or run before its parked call; 0: none */
	guint64 sig_mask;	    /* rt_sigsuspend's mask, rt_sigtimedwait's set (bit n-1: n) */
	SimTime alarm_at;	    /* when its ITIMER_REAL fires on the virtual clock; 0: unset */
	SimTime alarm_every;	    /* its interval (setitimer), or 0 */
	gboolean netlink;	    /* it made a netlink socket (glibc's SIGEV_THREAD does) */
	/* Stops (signals.c). A stopped guest is its task's `stopped_by` mark, READY and
	 * parked off the ready queue (sched.h), as a scenario's stopped task: its process is
	 * stopped in its kernel, its call answered with the restart code the call's own would
	 * be, so that at SIGCONT the kernel restarts it and it parks again. */
	int stop_sig;		    /* a stop signal pending in its kernel that stops it as it
				     * runs (watched while it does: sim_exec_sig_stops), or 0 */
	const char *stop_in;	    /* the call a stop took it out of (the trace), or NULL */
	gboolean stop_report;	    /* stopped, not yet reported by a wait with WUNTRACED */
	gboolean cont_report;	    /* continued, not yet reported by one with WCONTINUED */
	SimTime restart_sleep;	    /* a sleep a stop cut: its restart ends then (the kernel's
				     * restart block), or 0 */
	guint64 not_tty;	    /* its descriptors 0..63 known not to be the terminal
				     * (tty.c), until they close */
	GArray *calls;		    /* its calls of the model and their results (SimReportCall,
				     * expect.c), kept for --expect, --record and the search
				     * only, else NULL */
} SimGuest;

typedef struct SimExec {
	const SimExecOptions *opt;
	FILE *out;
	GString *line;	       /* the trace line being built */
	/* The world the guests live in (engine/external.c): its tasks are the guests (each
	 * task's ext.data its SimGuest: sim_exec_guest), its ready queue holds the ones that
	 * can go on, its IPC namespace, queues and pool are the model's, its clock is the
	 * virtual clock (1 µs per served call, sleeps jump it) and its step count the calls
	 * served. The pick is its scheduler's (pick_guest in exec.c draws from rng). */
	SimWorld *w;
	pid_t init_pid;	       /* the PID namespace's init */
	int tty_master, tty_slave; /* the guests' terminal (-1: none; then 0, 1 and 2 count) */
	dev_t tty_rdev;		   /* its device: a descriptor of it, however opened (tty.c) */
	gsize input_at;		   /* bytes of opt->input the reads of the terminal took */
	gboolean fds_shared;	   /* a clone shared a descriptor table: no not_tty holds */
	GRand *rng;		   /* the picks' draws and getrandom's bytes, in run order */
	char *refusal;	       /* why the run was refused (owned), or NULL */
	char **const *argvs;   /* the programs' command lines: where ftok keys may come from */
	guint n_argvs;
	gint64 last_val;       /* the last answer: value, errno (0: none), continued */
	int last_err;
	gboolean last_continue;
	gboolean has_sync_wakeup;
	/* The engine's sinks (--format jsonl or a picture), or NULL: events.c */
	SimTrace *trace;
	GStringChunk *names;   /* every name an event gave (they must outlive the sinks' use) */
	GPtrArray *stmts;      /* the statements built for the events (SimStmt *, owned) */
	char *limit;	       /* why a guard rail stopped the run (owned), or NULL */
	/* POSIX queues (posix.c): the queues are the world's (w->mqueues) */
	GPtrArray *mqfiles;    /* SimExecMqFile *, every description opened (owned) */
	/* Signals (signals.c) */
	gboolean sig_scan;     /* a step may have sent a signal: look at the guests' pending sets */
	guint sig_exited;      /* guests seen exited by the last scan (an exit sends SIGCHLD) */
	gboolean mq_reap_due;  /* a description's last copy may have gone: reap at the next step */
	/* Timers (timers.c): events of the world's queue that are due, popped and not served */
	GArray *due_timers;    /* SimEvent: sleeps and timed waits, served when none can go on */
	GArray *due_alarms;    /* SimEvent: alarms, fired after the step that reached them */
	GHashTable *forked;    /* nspid -> the forked SimGuest (wait4 and waitid for one pid) */
	guint64 exited;	       /* bit i: guest i has exited (gtask.c; the search's steps) */
	guint64 stop_watch;    /* bit i: guest i has a stop_sig (sim_exec_stop_sig) */
} SimExec;

typedef struct SimExecMqFile SimExecMqFile;

/* g's stop_sig becomes sig (0: none), and the run's set of the guests that have one. */
static inline void sim_exec_stop_sig(SimExec *x, SimGuest *g, int sig)
{
	g->stop_sig = sig;
	if (sig)
		x->stop_watch |= G_GUINT64_CONSTANT(1) << g->idx;
	else
		x->stop_watch &= ~(G_GUINT64_CONSTANT(1) << g->idx);
}

/* The guests are the world's tasks: guest i is task i's server data. */
static inline SimGuest *sim_exec_guest(const SimExec *x, gint64 i)
{
	return x->w->tasks[i].ext->data;
}
static inline guint sim_exec_n(const SimExec *x)
{
	return x->w->n_tasks;
}
/* A new guest record (zeroed, idx set, not yet started: its task NEW), or NULL when the
 * world holds SIM_EXEC_MAX_GUESTS already. */
SimGuest *sim_exec_guest_add(SimExec *x);

/* One served SysV call, for its trace event (events.c). */
typedef struct SimExecCall {
	int id;		       /* the queue's id, or -1 */
	const SimMsgq *q;      /* the queue, or NULL */
	const SimMsg *msg;     /* the message sent or received, or NULL */
	const SimGuest *other; /* msgsnd: handed to; msgrcv: the sender; or NULL */
	gint64 key, ret;
	int err;
	gboolean blocked, resuming;
} SimExecCall;

/* gtask.c: the guests' engine tasks (see SimGuest.task) */
/* g (idx set, name set) becomes an external task, NEW, with credentials cred. */
void sim_exec_task_init(SimExec *x, SimGuest *g, const SimCred *cred);
/* g runs: started (NEW), picked or served out of turn (READY: off the queue), or its wait
 * ended by the supervisor's answer (BLOCKED, SLEEPING). */
void sim_exec_task_run(SimExec *x, SimGuest *g);
/* g stopped at a new trapped call: parked (READY, on the queue). A waiting guest whose call
 * a signal from outside ended comes here too (guest.c's abandon). */
void sim_exec_task_park(SimExec *x, SimGuest *g);
/* g's call waits in the model (why: "msgrcv", ...), or its sleep begins: from RUNNING. */
void sim_exec_task_block(SimExec *x, SimGuest *g, const char *why);
void sim_exec_task_sleep(SimExec *x, SimGuest *g);
/* A blocked or sleeping g can go on: woken (READY, resuming, on the queue). */
void sim_exec_task_wake(SimExec *x, SimGuest *g);
/* g's process has ended (its wait status in g->status): EXITED, off every queue; its
 * parent has a zombie to collect. */
void sim_exec_task_gone(SimExec *x, SimGuest *g);
/* g, just adopted, is g->parent's child (its nspid known): counted alive. */
void sim_exec_task_forked(SimExec *x, SimGuest *g);
/* g's wait collects its child c (an exited one, not yet collected). */
void sim_exec_task_reap(SimExec *x, SimGuest *g, SimGuest *c);
/* g's child that exited and a wait for `want` (> 0: that pid; else any) would collect,
 * the oldest first, or NULL; *live: a child it would wait for still runs. */
SimGuest *sim_exec_task_zombie(SimExec *x, const SimGuest *g, int want, gboolean *live);
/* g has stopped in its kernel (its stop_sig): RUNNING to READY, parked off the queue. */
void sim_exec_task_stop(SimExec *x, SimGuest *g, int sig);
/* A stopped g was continued: it runs (it restarts its call unseen). */
void sim_exec_task_continue(SimExec *x, SimGuest *g);
/* g was picked but its call was not answered (a guard rail or a refusal stopped the step):
 * back on the queue as it was. */
void sim_exec_task_unpick(SimExec *x, SimGuest *g);
static inline gboolean sim_exec_parked(const SimGuest *g) /* and not stopped */
{
	return g->task->state == SIM_STATE_READY && !g->task->resuming && !g->task->stopped_by;
}
static inline gboolean sim_exec_stopped(const SimGuest *g)
{
	return g->task->stopped_by && g->task->state == SIM_STATE_READY;
}
static inline gboolean sim_exec_woken(const SimGuest *g)
{
	return g->task->state == SIM_STATE_READY && g->task->resuming;
}
static inline gboolean sim_exec_running(const SimGuest *g) /* and not held */
{
	return g->task->state == SIM_STATE_RUNNING && !g->held;
}
static inline gboolean sim_exec_exited_state(const SimGuest *g)
{
	return g->task->state == SIM_STATE_EXITED;
}

/* clock.c */
/* The calls answered the moment they arrive: the clocks, and arch_prctl (the vDSO patch). */
gboolean sim_exec_is_clock(int nr);
void sim_exec_serve_clock(SimExec *x, SimGuest *g, const struct seccomp_notif *nf);
/* An absolute time on clock id, on the virtual clock; FALSE: a clock the model does not
 * keep (the CPU clocks). */
gboolean sim_exec_clock_virtual(int id, const struct timespec *ts, SimTime *t);

/* exec.c */
/* The model's side of x (queues, pool, namespace, trace line, draws); not the guests. */
void sim_exec_model_init(SimExec *x, const SimExecOptions *opt, FILE *out);
void sim_exec_model_clear(SimExec *x);

/* guest.c */
gboolean sim_exec_namespaces(SimExec *x, GError **error);
gboolean sim_exec_start(SimExec *x, char *const *argv, GError **error);
void sim_exec_kill_all(SimExec *x);
/* Answers g's pending call: val, or -err when err != 0; continue: let the kernel run it. */
gboolean sim_exec_answer(SimExec *x, SimGuest *g, gint64 val, int err, gboolean cont);
/* Answers g's open with a copy of fd installed in it (SECCOMP_ADDFD_FLAG_SEND). */
gboolean sim_exec_answer_fd(SimExec *x, SimGuest *g, int fd, gboolean cloexec);
/* fd of g is the run's terminal, however it was opened or duplicated (its writes are
 * served in schedule order, its reads from the run's input: tty.c). */
gboolean sim_exec_to_terminal(const SimExec *x, const SimGuest *g, int fd);
/* Guest memory: FALSE (EFAULT for the guest) when the range is not mapped as asked. */
gboolean sim_exec_read(const SimGuest *g, guint64 addr, void *buf, gsize len);
gboolean sim_exec_write(const SimGuest *g, guint64 addr, const void *buf, gsize len);
/* One contiguous guest range to or from n local buffers in a single call (a served call
 * costs one system call for its memory, not one per field): TRUE only when every byte
 * moved; on FALSE some may have, and the caller redoes the fields one by one to learn which
 * failed, in the kernel's order. */
struct iovec;
gboolean sim_exec_readv(const SimGuest *g, guint64 addr, const struct iovec *local, int n);
gboolean sim_exec_writev(const SimGuest *g, guint64 addr, const struct iovec *local, int n);
/* Waits until no guest runs: each has parked at its next call (notif filled), exited or
 * is held by a vfork. A forked child becomes a guest when it is first seen. FALSE when one
 * ran longer than the timeout. */
gboolean sim_exec_wait(SimExec *x);
/* Called for each guest found exited (exec.c: trace, refusal, a parent's wait). */
void sim_exec_exited(SimExec *x, SimGuest *g);

/* exec.c: g printed buf (a write to the terminal, or the echo of what it read): the trace's
 * "| line"s, --program-output, the search's outcome. */
void sim_exec_output(SimExec *x, SimGuest *g, const char *buf, gsize len);

/* tty.c: reads of the guests' terminal, served from the run's input (--input) */
/* read, readv, preadv2, splice, sendfile and io_uring_setup: the calls that may read it. */
gboolean sim_exec_is_read(int nr);
/* A call of g arrives that may close or replace a descriptor (close, close_range, dup2,
 * dup3, an exec) or share them (clone with CLONE_FILES): what was known of it is forgotten. */
void sim_exec_fds_change(SimExec *x, SimGuest *g, const struct seccomp_notif *nf);
/* As the call arrives: one that reads another file (or polls no terminal), and close_range,
 * go to the kernel at once, and io_uring_setup is answered ENOSYS (TRUE: answered); FALSE: it reads the
 * terminal, and parks to be served in the schedule. */
gboolean sim_exec_read_at_once(SimExec *x, SimGuest *g, const struct seccomp_notif *nf);
/* Serves g's parked read of the terminal: the next line of the input (or end of file),
 * traced and echoed; a splice or sendfile from it refuses the run. */
void sim_exec_serve_read(SimExec *x, SimGuest *g);
/* poll, ppoll, select and pselect6: one that waits on the terminal parks (the others go
 * to the kernel as they arrive: sim_exec_read_at_once). */
gboolean sim_exec_is_poll(int nr);
/* Serves g's parked poll or select of the terminal: the terminal is always ready (a line is
 * left, or a read returns 0 at once), the other descriptors as they are now; traced. */
void sim_exec_serve_poll(SimExec *x, SimGuest *g);
/* How many bytes a read of count bytes takes from in[at..len): the rest of the line
 * (its newline included), at most count; 0 at the end. */
gsize sim_exec_input_take(const char *in, gsize len, gsize at, gsize count);

/* gtask.c: g received a message (type or priority, its text up to len bytes, from guest
 * `from`), kept in g->task.received when a reader wants it. */
void sim_exec_task_received(SimExec *x, SimGuest *g, gint64 type, const char *text, gsize len,
			    int from);

/* serve.c */
/* /proc/sysvipc/msg as the kernel prints it, for the model's queues. */
void sim_exec_sysvipc_msg(const SimExec *x, GString *out);
/* Serves g's parked SysV call (PARKED) or finishes its woken one (WOKEN). */
void sim_exec_serve_sysv(SimExec *x, SimGuest *g, gboolean resuming);
gboolean sim_exec_is_sysv(int nr);
void sim_exec_trace(SimExec *x, const SimGuest *g, const char *fmt, ...) G_GNUC_PRINTF(3, 4);

/* posix.c */
gboolean sim_exec_is_mq(int nr);
/* "mq_send" or "mq_receive" for the calls that can wait (deadlock reports), else NULL. */
const char *sim_exec_mq_call_name(int nr);
/* Serves g's parked mq_* call (PARKED) or finishes its woken one (WOKEN). */
void sim_exec_serve_mq(SimExec *x, SimGuest *g, gboolean resuming);
/* A close g just parked in: served at once (it never waits, and a close of another file is
 * no point of the schedule). FALSE: g is not at a close. */
gboolean sim_exec_mq_close(SimExec *x, SimGuest *g);
/* Descriptions whose last descriptor has gone (closed, or its holders exited) are dropped. */
void sim_exec_mq_reap(SimExec *x);
/* The placeholders' read ends to watch for a hang-up while guests run, at most max, into p;
 * *all: every live one fits. (sim_exec_wait polls them with the guests, so that the reap
 * at each step costs nothing while no descriptor has gone.) */
struct pollfd;
guint sim_exec_mq_watch(const SimExec *x, struct pollfd *p, guint max, gboolean *all);
/* g exited: its notification registrations end, as its descriptors close. */
void sim_exec_mq_exited(SimExec *x, const SimGuest *g);
/* A BLOCKED timed call whose deadline has come: WOKEN with ETIMEDOUT. */
void sim_exec_mq_timeout(SimExec *x, SimGuest *g);
/* A new description of q opened with flags, whose placeholder's read end is keep (owned
 * from now on): a guest descriptor on the pipe's other end names it. */
void sim_exec_mq_describe(SimExec *x, SimMqueue *q, int flags, int keep);
/* The queue behind g's descriptor fd (a woken call's: the one it waits on), or NULL. */
const SimMqueue *sim_exec_mq_of_fd(const SimExec *x, const SimGuest *g, gint64 fd);
/* The queue g waits on in mq_timedsend or mq_timedreceive (or waited on last), or NULL. */
const SimMqueue *sim_exec_mq_waited(const SimGuest *g);
/* A queue's name read from g at addr as getname does ("/" and the bytes, owned, in *out),
 * or the errno: EFAULT, ENAMETOOLONG, ENOENT for the empty one. */
int sim_exec_mq_name(const SimGuest *g, guint64 addr, char **out);
/* /dev/mqueue/NAME: TRUE with the model's status line of the queue in text. */
gboolean sim_exec_mq_file(const SimExec *x, const char *path, GString *text);
void sim_exec_mq_clear(SimExec *x);

/* signals.c */
/* kill and its kin, alarm and the ITIMER_REAL timer, pause, rt_sigsuspend, rt_sigtimedwait. */
gboolean sim_exec_is_signal(int nr);
/* Serves g's parked signal call (PARKED) or finishes its woken wait (WOKEN). */
void sim_exec_serve_signal(SimExec *x, SimGuest *g, gboolean resuming);
/* g has a handled signal pending (g->sig) and was picked: interrupts its wait, or lets the
 * handler run before its parked call, as the kernel's restart rules say. FALSE: its call
 * finishes first (a message already handed to it, a child to collect, a sleep done). */
gboolean sim_exec_sig_deliver(SimExec *x, SimGuest *g);
/* A handled signal sig acts on g (pending, unblocked; takes: rt_sigtimedwait takes it):
 * a waiting g can go on, its wait ending when it is picked (sim_exec_sig_deliver). */
void sim_exec_sig_arrive(SimExec *x, SimGuest *g, int sig, gboolean takes);
/* Calls answered as they arrive, outside the schedule (socket). */
gboolean sim_exec_sig_at_once(SimExec *x, SimGuest *g, const struct seccomp_notif *nf);
/* After every guest has parked: exits that were asked for happen (so a parent's SIGCHLD
 * comes at a known point), due alarms fire, and the signals the last step sent are looked
 * at. FALSE: a guest ran past the timeout. */
gboolean sim_exec_sig_settle(SimExec *x);
/* The name of a signal wait for a deadlock report, or NULL. */
const char *sim_exec_sig_call_name(int nr);
/* A forked child's wait status, read from /proc/PID/stat while it is a zombie its parent
 * has not collected; -1 when it cannot be read. */
int sim_exec_sig_child_status(const SimGuest *g);
/* A stop signal sig acts on g, which waits (BLOCKED, SLEEPING) or is parked: its call
 * leaves the model and is answered with the kernel's restart code for it, and g runs on
 * to its stop (stop_sig), which sim_exec_sig_stops sees. */
void sim_exec_sig_stop(SimExec *x, SimGuest *g, int sig);
/* Whether a running guest may stop in its kernel (a stop signal pending): sim_exec_wait
 * then looks at it every few milliseconds, since a stopped process never parks. */
gboolean sim_exec_sig_may_stop(const SimExec *x);
/* The running guests that have stopped in their kernel become stopped (parked off the
 * ready queue); TRUE: some did. */
gboolean sim_exec_sig_stops(SimExec *x);
/* A stopped g has gone on in its kernel (SIGCONT): it runs, and its parent may hear. */
void sim_exec_sig_continued(SimExec *x, SimGuest *g);
/* A stopped or continued child of g that g's wait (for want, with options) reports, its
 * report consumed unless WNOWAIT; NULL: none. */
SimGuest *sim_exec_sig_report(SimExec *x, const SimGuest *g, int want, int options);
/* Why a clone with CLONE_THREAD is refused (owned). */
char *sim_exec_sig_thread_refusal(const SimGuest *g);

/* timers.c: sleeps, timed waits and alarms as events of the world's queue */
/* g has just begun a sleep (SLEEPING) or a timed wait (BLOCKED, call.timed) that ends at
 * g->wake_at: its event is pushed. */
void sim_exec_timer_start(SimExec *x, SimGuest *g);
/* g->alarm_at (0: none) has changed: the new alarm's event, the old one's moot. */
void sim_exec_alarm_set(SimExec *x, SimGuest *g);
/* The earliest live timer (sleep, timed wait, alarm), or G_MAXINT64: none runs. */
SimTime sim_exec_timers_next(SimExec *x);
/* The guests whose alarm is due now, in guest order, into out (room for every guest):
 * their events leave the queue, the caller fires them. */
guint sim_exec_alarms_due(SimExec *x, SimGuest **out);
/* No guest can go on: the clock jumps to the earliest timer, and the sleeps and timed waits
 * due end, in guest order (the alarms due are left to signals.c's settle). FALSE: no timer
 * runs. */
gboolean sim_exec_timers_fire(SimExec *x);

/* events.c */
/* Adds the sink of format ("jsonl", "chrome", ...; NULL or "text": none) writing to path
 * (NULL: x->out), and writes the run's header. */
gboolean sim_exec_events_open(SimExec *x, const char *format, const char *path,
			      GError **error);
/* Writes the end (END event), flushes and frees the sinks: 0, or the errno of a write that
 * failed. */
int sim_exec_events_close(SimExec *x, SimExecStatus status, guint passed, guint failed);
/* The END event of the run to tr: verdict, exit status, expectations, steps. */
void sim_exec_ev_end(SimExec *x, SimTrace *tr, SimExecStatus status, guint passed,
		     guint failed);
/* A name that lives as long as the sinks (printf-style). */
const char *sim_exec_name(SimExec *x, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
/* An event of kind for g (START, PRINT: text, EXIT: value, WAKE: other woke g, DEADLOCK:
 * text the call it is stuck in). Nothing when x->trace is NULL. */
void sim_exec_ev(SimExec *x, const SimGuest *g, SimTraceKind kind, const SimGuest *other,
		 const char *text, gint64 value);
/* g's SysV call as a scenario statement's CALL (or RETURN when resuming) event. */
/* After a model operation: the guests it woke become WOKEN, their calls finishing when
 * they are picked (serve.c; the POSIX queues share it). */
void sim_exec_wake_guests(SimExec *x, const SimGuest *waker);
void sim_exec_ev_call(SimExec *x, const SimGuest *g, const SimExecCall *c);

/* expect.c */
typedef struct SimExecExpect SimExecExpect;
/* The expectations of a file (text read from file): NULL with file:line:col on a bad one. */
SimExecExpect *sim_exec_expect_parse(const char *file, const char *text, GError **error);
SimExecExpect *sim_exec_expect_load(const char *path, GError **error);
void sim_exec_expect_free(SimExecExpect *ex);
/* Judges each expectation on the ended run, as an EXPECT event to tr; TRUE: all held. */
gboolean sim_exec_expect_judge(SimExec *x, const SimExecExpect *ex, SimExecStatus status,
			       SimTrace *tr, guint *passed, guint *failed);
/* The expectations one by one (the search judges each execution by them): how many, line
 * i's words and line number, and its verdict on the ended run (what was seen in seen). */
guint sim_exec_expect_count(const SimExecExpect *ex);
const char *sim_exec_expect_words(const SimExecExpect *ex, guint i, guint *line);
gboolean sim_exec_expect_one(const SimExec *x, const SimExecExpect *ex, guint i,
			     SimExecStatus status, GString *seen);
/* Whether the file expects a deadlock (which then is no failure of the run). */
gboolean sim_exec_expect_deadlock(const SimExecExpect *ex);
/* g's call of the model (msgget ... mq_*) is answered val or -err: kept in g->calls for
 * `calls [...]` when a reader wants it (guest.c's answers call it). */
void sim_exec_expect_call(SimExec *x, SimGuest *g, gint64 val, int err);
/* The expectations file of what the run did (`--record`). */
void sim_exec_record(const SimExec *x, SimExecStatus status, GString *s);

/* search.c: schedules, followed (--schedule) or searched (sim_exec_explore) */
/* The guest that goes next among ready[0..n) when opt->chooser is set: a guest at a call
 * the model does not serve first (no choice point), else the one the sequence names. NULL
 * when the run must stop (x->refusal or x->limit set). */
SimGuest *sim_exec_choose(SimExec *x, SimGuest **ready, guint n);
/* What g printed (the search's outcomes include it). */
void sim_exec_choice_print(SimExec *x, const SimGuest *g, const char *buf, gsize len);
/* The run has ended with st: the search reports it, a replay checks it used its witness. */
void sim_exec_choice_end(SimExec *x, SimExecStatus st);

/* footprint.c: what a guest's next step reads and changes (the search's reduction) */
struct SimFootprint;
/* Objects of no kernel table, as task references beyond the guests: the namespace's next
 * pid (a fork takes it) and the run's random stream (getrandom draws from it). */
#define SIM_EXEC_OBJ_PIDS ((guint64)SIM_EXEC_MAX_GUESTS)
#define SIM_EXEC_OBJ_RANDOM ((guint64)SIM_EXEC_MAX_GUESTS + 1)
#define SIM_EXEC_OBJ_INPUT ((guint64)SIM_EXEC_MAX_GUESTS + 2) /* the terminal's input (tty.c) */
/* The footprint of g's parked (or woken) call, the one a choice point would pick. */
void sim_exec_footprint(const SimExec *x, const SimGuest *g, struct SimFootprint *fp);
/* Adds what g's call that is no choice point (a fork, getrandom) touches to fp. */
void sim_exec_footprint_local(const SimGuest *g, struct SimFootprint *fp);
/* Adds what g's end changes to fp. */
void sim_exec_footprint_exit(const SimExec *x, const SimGuest *g, struct SimFootprint *fp);
/* TRUE while a timer runs (a sleep, an alarm, a timed wait): the order of the steps then
 * decides when it fires, so every step is dependent with every other. */
gboolean sim_exec_footprint_timed(const SimExec *x);
/* events.c: the statement a scenario would have written for g's SysV call, into st
 * (zeroed by the caller); its operand (ep) is left for the caller. */
struct SimStmt;
void sim_exec_sysv_stmt(const SimGuest *g, struct SimStmt *st);
/* search.c: the guest read the virtual clock (clock.c) in the step being taken. */
void sim_exec_choice_clock(SimExec *x);
/* search.c: q changed out of turn in the step being taken (a close, served as it comes, or
 * a description dropped, or an exit's registration ended: posix.c): the step changes q
 * and, q unlinked, the names' charges. */
void sim_exec_choice_mq(SimExec *x, const SimMqueue *q);
/* footprint.c: the reference that names q in a footprint: its name's hash, which is the
 * same in every execution of the search (an address need not be); a queue unlinked and
 * made again under the same name is the same object here, which only adds a conflict. */
guint64 sim_exec_mq_obj(const SimMqueue *q);

#endif /* MSGSIM_EXEC_INT_H */
