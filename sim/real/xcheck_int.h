/* xcheck_int.h — the cross-check's private header: the run's state, what its files share.
 *
 * Only sim/real/xcheck*.c and the call families (sim/calls/call_*.c) include it. One Xc is
 * a whole run, held by the coordinator process: the model's world, the sandbox, one XTask
 * per simulated task (its worker and the call it has in the kernel), the mailboxes' POSIX
 * queues, the shared-mode maps, the report being written. The files divide the run's work,
 * not its state:
 *
 *   xcheck.c          the lockstep: the call hook, waiting for the kernel to be quiet,
 *                     steering, setup, cleanup, stop signals, and the caller's side
 *                     (sim_xcheck_run); the services the families' replay hooks use
 *   xcheck_plan.c     the schedule followed: run's, the woken calls held back, where not
 *   xcheck_stop.c     how a call is held (SIGSTOP, or ptrace in a scenario that stops
 *                     processes), and the scenario's own stops against /proc
 *   xcheck_compare.c  a call's result on both sides as cells, and the final state
 *   xcheck_expect.c   the scenario's expectations, in the model and on the kernel
 *   xcheck_mbox.c     textbook mailboxes made and opened as POSIX queues; what is left out
 *   xcheck_report.c   the table's rows, the first mismatch in context, the report text
 *   xcheck_free.c     free runs: the kernel's own order, followed by the model
 *   xcheck_free_async.c  ... and what happens there on its own: children, signals, timeouts
 *   xcheck_users.c    the per-user pipe limits: the machine's values, users of the run's own
 *
 * What is per call lives in its family, in its row of the call table (call.h): the real
 * call a statement makes (replay), and what of the two results beyond errno and return
 * value is compared (model_cell, kernel_cell). The coordinator never switches over
 * statement kinds; the families use only the section "The families' interface" below and
 * the Cell they fill, never Xc's or XTask's fields.
 *
 * Functions shared between the files carry the xc_ prefix; each file's own helpers stay
 * static. fail, real_id, real_mq, stmt_text and stmt_word keep their older names.
 */
#ifndef MSGSIM_XCHECK_INT_H
#define MSGSIM_XCHECK_INT_H

#include "msgsim/real/xcheck.h"

#include <stdio.h>

#include "msgsim/calls/call.h"
#include "msgsim/real/real.h"
#include "msgsim/engine/world.h"
/* The coordinator reads the model's queues, tasks and limits to compare them with the
 * kernel's, and gives each task its real pid: see world_int.h. It resolves operands and
 * reads call results through interp.h and world.h only. */
#include "engine/world_int.h"

#define XC_MBOX_MAX 50 /* mailboxes replayed; their descriptors sit below the worker's */
#define XC_MBOX_FD(i, nowait) (SIM_REAL_FD_BASE - 2 * XC_MBOX_MAX + 2 * (int)(i) + !!(nowait))

/* The XSI families, each with its own ids in the kernel (a queue and a set may share one). */
typedef enum { XC_MSG, XC_SEM, XC_SHM, XC_NFAM } XcFam;
#define XC_MAX_USERS 16 /* distinct non-root uids a run maps to its own (xcheck_users.c) */

typedef struct XTask {
	SimRealWorker wk;
	gboolean held;	    /* held back before a call woke it (xcheck_plan.c, xcheck_stop.c) */
	gboolean traced;    /* ... held by ptrace instead, the coordinator its tracer */
	gboolean m_stop;    /* the model's task stopped, as the rows last compared it */
	gboolean k_stop;    /* ... and the kernel's process (xcheck_stop.c) */
	const SimStmt *late; /* a call that stopped its own process before it returned:
			      * compared once it is continued (xcheck_stop.c) */
	guint recv_mark;    /* its model task's received list, when its call began or blocked */
	int k_end;	    /* its end in the kernel: 1 exited or killed, -1 alive, 0 not seen */
	gint64 k_code;	    /* ... the exit status */
	int k_sig;	    /* ... or the signal that killed it */
	gboolean k_awake;   /* the model leaves it blocked, the kernel's process is not */
	gboolean started;   /* it has a real process (spawned, or forked by its parent) */
	gboolean gone;	    /* it exited or died for real */
	gboolean sent;	    /* a call is in the kernel (its answer not consumed) */
	gboolean answered;  /* ... and the kernel has answered it */
	gboolean died;	    /* the worker died in a call or idle, not yet accounted */
	gboolean timed;	    /* the call has a deadline */
	gint64 deadline_us; /* its real deadline (monotonic), when timed */
	SimRealOp op;
	SimRealResult res;
	char *data;    /* the answer's bytes (owned) */
	pid_t pid;     /* its real pid, kept after it is gone (lspid, lrpid) */
	gint64 qid;    /* the XSI object of its last msgsnd, msgrcv, msgctl, semctl or shmctl */
	gint64 key;    /* the key of its last msgget, semget or shmget (the kernel's) */
	gboolean excl; /* ... and it was IPC_CREAT | IPC_EXCL: an object it gets is new */
	GString *msg;  /* its last msgsnd's message, to find it in the real queue */
	guint slot;    /* fork children: the slot in the top-level ancestor's family */
	guint n_desc;  /* fork children: how many descendants it has (the slots after it) */
	guint n_kids;  /* top-level tasks: the family, every descendant, in slot order */
	int *kids;
	char *path; /* the sandbox name of its last mkfifo, open or unlink (owned) */
	char *mq;   /* shared mode: the kernel's name of its last mq_open or mq_unlink (owned) */
	gboolean mq_excl; /* ... an mq_open the run made exclusive: the run had no live queue
			   * of that name, so it creates one or meets a stranger's (EEXIST) */
	/* A SIGEV_THREAD thread (xcheck_notify.c): the mq_notify ... thread that registers
	 * it, and the real thread its worker made at the registration, which waits for the
	 * model's notification to start it. */
	const SimStmt *nt_reg; /* NULL: not such a thread */
	int nt_state;	       /* 0 not registered in the kernel, 1 armed, 2 notified */
	int nt_fd;	       /* armed: the registration's netlink socket in its process */
	int nt_owner;	       /* ... and that process, as the model's group leader */
	gboolean nt_held;      /* ... the model held the registration before its last event */
} XTask;

/* The schedule a run follows (xcheck_plan.c): run's, with the woken calls it holds
 * back, up to the action (a real call's start or an exit, from 1) where the kernel cannot
 * follow it; from there woken first. */
typedef struct XHold {
	guint at; /* before this action */
	int task; /* this task's worker is stopped until the model finishes its call */
} XHold;

typedef struct XPlan {
	GArray *holds; /* XHold, in the order they were planned */
	guint diverge; /* the action from which the woken go first, or 0 */
	char *why;     /* ... why (owned) */
	GArray *order; /* run's call events (xc_plan_code), to check the lockstep follows */
	SimWorld *w;   /* run's world at its end (owned): the expectations' model side */
} XPlan;

/* A SysV queue whose state at the end the kernel gives otherwise: its IPC_STAT fields in
 * the model's terms (model_stat's order), for the expectations' kernel side. */
typedef struct XQueueEnd {
	SimMsgq *q;
	gint64 f[11];
} XQueueEnd;

/* A textbook mailbox's POSIX queue. */
typedef struct XMbox {
	char *name;	/* "/msgsim.mailbox.NAME" */
	gint64 maxmsg;	/* the capacity, or what the run needs when it never fills up */
	gint64 msgsize; /* the longest message the run sends */
} XMbox;

typedef struct SimXcheckRun {
	const SimScenario *scn;
	const char *file;
	const SimXcheckOptions *opt;
	SimWorld *w;
	SimRealSandbox sb;
	XTask *x;
	guint n;
	SimRealWorker inspector; /* asks for the final state */
	XMbox *mb;		 /* one per declared mailbox */
	gboolean paced;
	gboolean catches; /* the scenario installs a handler: a worker with a signal pending
			   * (not yet delivered) is not settled */
	gboolean stops;	  /* the scenario sends stop signals (xcheck_stop.c) */
	gint64 base_us; /* real time of model time 0 (paced runs) */
	GString *rows;	/* the table */
	GString *first; /* the first mismatch, in context */
	guint calls, checks, mismatches;
	guint step; /* number of the current step (a call, an exit, a death) */
	char *failed;
	char *unsupported;
	/* Shared mode (no private IPC namespace, sb.shared): why, and the maps between the
	 * model's XSI keys and ids and the kernel's, both ways (keys and ids are ints).
	 * A model key has one kernel key for all three families (each has its own keys in
	 * the kernel); ids are numbered per family, so each has its own id maps. */
	char *shared_why;
	char *shared_note; /* the report's lines about it (and about the run's own uids) */
	GHashTable *keys, *rkeys, *ids[XC_NFAM], *rids[XC_NFAM];
	/* ... and the run's own live objects, per family: kernel key -> id, and id -> key.
	 * Only an object an exclusive create (IPC_CREAT | IPC_EXCL) made is the run's. */
	GHashTable *own[XC_NFAM], *own_key[XC_NFAM];
	/* ... and the kernel's names of its live POSIX queues (a set). Only a queue an
	 * mq_open with O_CREAT | O_EXCL made is the run's. */
	GHashTable *own_mq;
	/* the model's text trace, for the context of the first mismatch */
	char *tbuf;
	size_t tlen;
	FILE *tfp;
	SimTrace *trace;
	/* The schedule: run's plan, the lockstep's own events, actions made so far, and
	 * where it left run's schedule (0: never). */
	XPlan plan;
	GArray *order;
	guint action;
	guint switched;	  /* the action from which the woken go first */
	guint held_calls; /* calls held back */
	gboolean strayed; /* the model's events left run's before the switch (a bug) */
	/* The expectations' kernel side (xcheck_expect.c): each statement's result, each
	 * task's received messages, the queues that end otherwise, a task the model leaves
	 * blocked that is not; and the report's lines and counts. */
	SimStmtResult *kres;
	GArray **krecv;
	const SimStmt **stmts; /* by id */
	GArray *ksysv;	       /* XQueueEnd */
	GHashTable *kmq_bad;   /* POSIX queue names (the model's) whose end differs */
	GHashTable *ksem;      /* the kernel's semaphore values, by model set (xcheck_sem.c) */
	gboolean k_awake;
	GString *expect;
	guint expect_failed_model, expect_failed_kernel, expect_model_only;
	/* What is left out (xcheck_mbox.c): why, by statement id (NULL: replayed); the
	 * mailboxes with no queue; the reasons met and the calls left out so far; the tasks
	 * that received through a left-out call. */
	char **left;
	gboolean *mb_out;
	GPtrArray *left_why;
	guint left_calls;
	gboolean *left_recv;
	struct XFree *free; /* a free run's own state (xcheck_free.c), or NULL */
	struct SimSchedule *witness; /* the witness followed (xcheck_witness.c), or NULL */
	struct XAlarm *alarm; /* per task, the alarm its worker has pending (xcheck_alarm.c),
			       * or NULL when the scenario has no alarm */
	gboolean nt_found; /* the SIGEV_THREAD threads were looked for (xcheck_notify.c) */
	gboolean hkill;	   /* a handler's body kills (xcheck_handler.c) */
	guchar *hk_taken;  /* ... the kernel's kill log records compared so far */
	/* Users of the run's own (xcheck_users.c): the scenario's non-root uids and the uids
	 * their workers take, when its sysctl gives the per-user pipe limits. */
	guint n_users;
	gint64 user_model[XC_MAX_USERS], user_real[XC_MAX_USERS];
} Xc;

/* A result as both sides write it: "ok 5 \"hello\" type=2", "EAGAIN", "blocks". */
typedef struct SimXcCell {
	int err;
	gint64 ret;
	gboolean has_ret2;
	gint64 ret2;
	const char *ret2_name; /* "type", "prio", "wfd", "status", "count" */
	const char *data;
	gsize len;
	gboolean has_data;
	gboolean data_differs; /* the kernel's data is not the model's (perhaps beyond what
				* is shown) */
	gsize skip;	       /* show the data from this byte on (where they differ) */
	GString *extra;	       /* stat fields, " qnum=1 cbytes=5 ..." */
} Cell;

/* ---- The families' interface: what sim/calls/call_*.c use to replay and compare ----
 *
 * A family's replay hook fills a SimRealCall with the kernel's constants for its operands,
 * through these services for whatever the run decides (the kernel's key, id, queue name,
 * pid, deadline, a mailbox's queue); its cell hooks fill a Cell's fields, with the helpers
 * for data and queue state. They use nothing else of Xc or XTask. */

/* The text of st as t would make it now (its literal, or its template expanded), or
 * fallback when it has none. */
void stmt_text(SimWorld *w, const SimTask *t, const SimStmt *st, const char *fallback,
	       GString *data);
/* The commonest replay: the real call op on the statement's descriptor (a[0]), as the
 * model resolves it for r->t now; the caller adds the other operands. TRUE, so that a hook
 * with nothing more ends with it. */
gboolean xc_replay_fd(SimReplay *r, SimRealOp op);
/* A writing call's bytes (write, send, pwrite): the statement's text repeated to size bytes
 * (size < 0: the text's own length; 'x' when there is no text), as the model makes them,
 * put in r->data with their count in a[1]. FALSE (the run refused) above what a worker call
 * carries; `what` names the call in that refusal. */
gboolean xc_replay_bytes(SimReplay *r, gint64 size, const char *what);
/* The kernel's id of an object of family fam for the model's (-1 for one the run does
 * not know: EINVAL). */
gint64 real_id(const Xc *xc, XcFam fam, gint64 id);
/* msgget, semget, shmget (fam): the kernel's key for the model's key mk, and flags made
 * exclusive where the run must create its own object. FALSE when no key could be had (the
 * run failed or refused). */
gboolean xc_real_key(Xc *xc, XcFam fam, gint64 mk, gint64 *rk, gint64 *flags);
/* A POSIX queue's name in data made the kernel's, in place; with creates it is recorded
 * to be removed whatever happens. FALSE when the run failed. */
gboolean xc_real_mq_text(Xc *xc, GString *data, gboolean creates);
/* Shared mode (no private IPC namespace) and the run has no live queue of the kernel's
 * name: an mq_open that creates is made exclusive, so it never opens a stranger's queue. */
gboolean xc_mq_must_create(const Xc *xc, const char *name);
/* The scenario's open flags (SIM_O_*) as the kernel's. */
guint xc_open_flags(guint f);
/* A timed call's real deadline for t, from the timeout its family's arguments hold
 * (SimPosixArgs), in ns from now (0: past, -1: none, or SIM_REAL_TIMEOUT_INVALID); it is
 * recorded as t's deadline. */
gint64 xc_real_timeout(Xc *xc, SimWorld *w, const SimTask *t, SimTimeoutKind timeout,
		       SimTime timeout_at);
/* xcheck_sem.c: the kernel's values of sma's semaphores, read now (before its removal, or
 * at the end) for `expect sem`; whether an expectation's set was read; and the
 * expectation judged on them, what was seen in seen. */
struct SimSemArray;
void xc_sem_snapshot(Xc *xc, const struct SimSemArray *sma);
void xc_sem_final(Xc *xc);
gboolean xc_sem_told(const Xc *xc, const SimScnExpect *e);
gboolean xc_sem_expectation(const Xc *xc, const SimScnExpect *e, GString *seen);
/* The real pid of task (one no process has once it is reaped). */
gint64 xc_task_pid(const Xc *xc, int task);
/* A fork child's place in its family's worker: its slot and how many descendants it has. */
void xc_fork_slot(const Xc *xc, int task, gint64 *slot, gint64 *n_desc);
/* Mailbox i as a POSIX queue: does it order by priority, its longest message. Its two
 * descriptors are XC_MBOX_FD(i, nowait). */
gboolean xc_mbox_by_prio(const Xc *xc, int i);
gint64 xc_mbox_msgsize(const Xc *xc, int i);
/* The call cannot be cross-checked, and why: the run ends NOT_CHECKABLE. */
void xc_refuse(Xc *xc, const char *fmt, ...) G_GNUC_PRINTF(2, 3);

/* Cells: the model's data (the call's output), when it succeeded; the kernel's data, shown
 * as the model's when equal (zero padding included), else both from where they differ. */
void xc_model_data(SimModelCell *mc);
void xc_kernel_data(SimKernelCell *kc);
/* A second value named name ("type", "prio", "wfd") on a side whose call succeeded (no
 * errno): the model's is v, the kernel's its answer's ret2. Nothing on an error. */
void xc_model_ret2(SimModelCell *mc, const char *name, gint64 v);
void xc_kernel_ret2(SimKernelCell *kc, const char *name);
/* A receive with fill=B (fill >= 0): " untouched=N", the buffer's bytes past the data that
 * still hold B; the model's from its result, the kernel's as the worker counted them. */
void xc_model_untouched(SimModelCell *mc, gint64 fill);
void xc_kernel_untouched(SimKernelCell *kc, gint64 fill);
/* The model's id for the kernel's answer kid to a msgget the model answered with mid
 * (*odd: they do not correspond, a mismatch). */
gint64 xc_model_id(Xc *xc, XcFam fam, gint64 kid, gint64 mid, gboolean *odd);
/* A SysV queue's IPC_STAT fields appended to s, from the model's queue or the kernel's
 * answer. */
void xc_model_queue_stat(const Xc *xc, const SimMsgq *q, GString *s);
void xc_kernel_queue_stat(const Xc *xc, const gint64 stat[12], GString *s);
/* A free run's model, a stream send stopped between two pieces (call_sock.c): would t's
 * recv or read st on a stream socket, made now, return the kernel's byte count ret? */
gboolean sim_call_sock_reads_now(const SimTask *t, const SimStmt *st, gint64 ret);

/* ---- xcheck.c: the coordinator's services ---- */

/* The run fails (the first reason is kept) and the model stops. */
void fail(Xc *xc, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
/* xcheck_handler.c: handler bodies that kill. Why a body holds a call the worker's handler
 * cannot make (allocated), or NULL; the run's state (init, free); the kills of `on`'s body
 * as the worker's program text (appended to data); and the hook's part: TRUE when st was
 * a body's kill, handled there (the worker makes no command for it). */
char *xc_handler_unsupported(const SimScenario *scn);
void xc_handler_init(Xc *xc);
void xc_handler_free(Xc *xc);
void xc_handler_program(Xc *xc, const SimStmt *on, GString *data);
gboolean xc_handler_call(Xc *xc, SimWorld *w, const SimTask *t, const SimStmt *st,
			 SimCallPhase ph);
/* At the end: a kill the kernel's handler made that no body of the model made is a
 * mismatch (a condition the two decided apart). */
void xc_handler_leftover(Xc *xc);
/* Free runs (xcheck_free.c): the random delay before a call, at most max µs; a task's
 * first 256 delays are all drawn, then one call in 64 gets one (*n_drawn counts them), so
 * a long run is shaken to its end without taking minutes. */
gint64 xc_free_draw_delay(GRand *rng, guint *n_drawn, gint64 max);
/* Free runs (xcheck_free.c). Is task i's next step in the model a kill of a handler's
 * body? 0 no, nor in a body; 1 yes, and the kernel's handler made it at *at_us; -1 yes,
 * not made yet; 2 another step of a body (or its start).
 * The earliest kill the kernel's handlers made that the model has not (G_MAXINT64: none).
 * nudge: task i's idle worker makes a call that does nothing, so that its caught signals'
 * handlers run (FALSE: the run failed). free_call: the hook's part, as xc_handler_call. */
int xc_handler_free_next(Xc *xc, guint i, gint64 *at_us);
gint64 xc_handler_free_pending(Xc *xc);
gboolean xc_handler_nudge(Xc *xc, guint i);
/* Task i's next statement in the model, seen through the end of a handler's body: the
 * step that ends the body goes on to it. */
const SimStmt *xc_handler_next_stmt(Xc *xc, guint i);
gboolean xc_handler_free_call(Xc *xc, SimWorld *w, const SimTask *t, const SimStmt *st,
			      SimCallPhase ph);
/* The model runs x's held call now: its worker goes on (SIGCONT) and the kernel settles. */
void xc_release(Xc *xc, XTask *x, const SimTask *t, const SimStmt *st);
/* Waits until every call in the kernel has answered or sleeps (issuer's first); who names
 * what was just done, in a timeout's message. */
void xc_quiesce(Xc *xc, const char *who, XTask *issuer);
/* Runs one call in a worker and waits for its answer (setup and inspection); FALSE when
 * the run failed. */
gboolean xc_call_now(Xc *xc, SimRealWorker *wk, SimRealOp op, const gint64 a[6], const char *data,
		     SimRealResult *r, char **out);
/* A one-off worker with the given credentials, for creating objects; and its end. */
gboolean xc_with_creator(Xc *xc, gint64 uid, gint64 gid, guint caps, SimRealWorker *wk);
void xc_end_creator(Xc *xc, SimRealWorker *wk);
/* The system call a worker sleeps in for op (-1: it never blocks). */
long xc_blocking_nr(SimRealOp op);
/* The call's name as the table shows it (its row's real_name), or NULL when st is not a
 * system call. */
const char *stmt_word(const SimStmt *st);
/* The kernel's POSIX queue name for the model's (real_mq_text's, allocated); IPC_STAT
 * fields as the model writes them. */
char *real_mq(Xc *xc, const char *name, gboolean creates);
void xc_kernel_stat(const Xc *xc, const gint64 stat[12], gint64 f[11]);

/* ---- xcheck_compare.c: both sides of a call, and the end ---- */

char *xc_cell_text(const Cell *c);
/* Compares the model's finished call st with x's answer (or its death, or none). */
void xc_compare_call(Xc *xc, SimWorld *w, const SimTask *t, const SimStmt *st, XTask *x);
/* A kernel answer or death the model has not given: a mismatch now. */
void xc_check_unexpected(Xc *xc);
/* Tasks still blocked, every queue's state, the messages left in each mailbox. */
void xc_final_state(Xc *xc);

/* ---- xcheck_mbox.c: mailboxes on POSIX queues ---- */

/* NULL when some call of the scenario can be replayed, else why not (allocated). */
char *xc_mailboxes_unsupported(const SimScenario *scn);
/* Why scn can never be replayed for what it asks of the machine rather than of a call
 * (xcheck_refuse.c): the machine-wide pipe limits. NULL when
 * nothing; allocated. */
char *xc_machine_unsupported(const SimScenario *scn);
/* ---- xcheck_users.c: the per-user pipe limits ---- */

/* The machine's fs.pipe-user-pages-soft and -hard; FALSE when they cannot be read. */
gboolean xc_pipe_limits_read(gint64 *soft, gint64 *hard);
/* Why a scenario whose sysctl gives the per-user pipe limits cannot be replayed (the
 * machine's values differ, or it could show a mapped uid), or NULL; allocated. */
char *xc_pipe_users_unsupported(const SimScenario *scn);
/* Picks the run's own uids for such a scenario (none otherwise) and adds a line per uid to
 * the report's notes; FALSE (xc->unsupported set) when there is none to be had. */
gboolean xc_users_pick(Xc *xc);
/* The uid a worker takes for the model's uid. */
gint64 xc_real_uid(const Xc *xc, gint64 uid);
/* Why scn's alarm calls cannot be replayed (xcheck_alarm.c): the run is paced. NULL when
 * scn has no alarm or it can; allocated. */
char *xc_alarm_unsupported(const SimScenario *scn, gboolean paced);
/* xcheck_alarm.c, the lockstep's side: the per-task records (init, free); the hook's view of
 * every call (an alarm call's return rule, the real deadlines); and the world's alarm_due
 * callback, which lets the kernel's alarm come due where the model's does. */
void xc_alarm_init(Xc *xc);
void xc_alarm_free(Xc *xc);
void xc_alarm_follow(Xc *xc, SimWorld *w, const SimTask *t, const SimStmt *st, SimCallPhase ph);
void xc_alarm_due(void *data, SimWorld *w, const SimTask *t);
/* Why st has no kernel counterpart and is left out (allocated), or NULL. */
char *xc_stmt_left_out(const SimScenario *scn, const SimStmt *st);
/* Marks what the run leaves out; xc_left_out says whether a hook event is of such a call
 * (and counts it). */
void xc_left_out_init(Xc *xc);
gboolean xc_left_out(Xc *xc, const SimTask *t, const SimStmt *st, SimCallPhase ph);
void xc_left_out_free(Xc *xc);
gboolean xc_size_mailboxes(Xc *xc);
gboolean xc_create_mailboxes(Xc *xc);
gboolean xc_open_mailboxes(Xc *xc, XTask *x, const char *who);

/* ---- xcheck_plan.c: the schedule ---- */

/* Runs the model alone with base's options (its hook, trace and woken-first ignored) and
 * plans how the kernel follows run's schedule, or witness when not NULL; the world is
 * kept, as `msgsim run` (or `run --schedule`) ends. */
void xc_plan_make(const SimScenario *scn, const SimWorldOptions *base, const char *witness,
		  XPlan *p);
void xc_plan_clear(XPlan *p);
/* A call event as a number (task, statement, phase), to compare two runs' orders. */
guint64 xc_plan_code(const SimTask *t, const SimStmt *st, SimCallPhase ph);
/* Which hook events the orders record (real calls, exits, deaths), and which are actions. */
gboolean xc_plan_counts(const SimStmt *st, SimCallPhase ph);
gboolean xc_plan_action(const SimStmt *st, SimCallPhase ph);

/* ---- xcheck_expect.c: the expectations on both sides ---- */

/* What the kernel did with t's call st: it began; it blocked (really: asleep for real);
 * it returned (answered: the kernel has, match: the row matched); t's end. */
void xc_kernel_started(Xc *xc, const SimTask *t, const SimStmt *st);
void xc_kernel_blocked(Xc *xc, const SimTask *t, const SimStmt *st, gboolean really);
void xc_kernel_returned(Xc *xc, const SimTask *t, const SimStmt *st, const XTask *x,
			gboolean answered, gboolean match);
void xc_kernel_end(Xc *xc, const SimTask *t, gboolean done, gint64 code, int sig);
/* Checks every expectation in the model and on the kernel; the report's lines go to
 * xc->expect. At the very end of the run only: the kernel's side is the model's world with
 * the kernel's observations written over it (what the world frees is given back). */
void xc_expectations(Xc *xc);
void xc_expect_free(Xc *xc);

/* ---- xcheck_report.c: the report ---- */

/* The real call made for op, as rows name it ("mq_send", "msgsnd", "waitpid"). */
const char *xc_real_call_name(SimRealOp op, gboolean timed);
/* How a row names x's call st: the real call it made, while it is in the kernel; else the
 * statement's word. */
const char *xc_row_call(const XTask *x, const SimStmt *st);
/* Appends text to s escaped as one cell of a Markdown table. */
void xc_md_cell(GString *s, const char *text);
/* One comparison: counted, a row in the table, the first mismatch with the trace before. */
void xc_row(Xc *xc, const SimTask *t, const char *call, guint line, const char *model,
	    const char *kernel, gboolean match);
/* The siginfo each handler body read against the kernel's, one row per task and signal
 * (xcheck_siginfo.c); append writes one record (signo, code, pid, uid, value, status),
 * pids as process names, the model's or (real) the kernel's. */
void xc_siginfo_final(Xc *xc);
void xc_siginfo_append(GString *s, const Xc *xc, const gint64 f[6], gboolean real);
/* The coordinator's verdict, reason and report text, from what the run found. */
void xc_report_finish(Xc *xc, SimXcheckReport *rep);
/* The caller's: a run refused before anything real started, NOT_CHECKABLE or STOPPED
 * (takes reason); a coordinator that died or ran out of its ms; a stop signal that came
 * to the caller, appended to whatever the coordinator reported. A lost coordinator's
 * status (waitpid) says what ended it when it did not run out of time; slow, when not
 * NULL, why a paced run needs more time than it had. */
void xc_report_refused(SimXcheckReport *rep, const char *file, SimXcheckVerdict v, char *reason);
void xc_report_lost(SimXcheckReport *rep, const char *file, gboolean timed_out, int ms,
		    int status, const char *slow);
void xc_report_interrupted(SimXcheckReport *rep, const char *file, int signo);

/* ---- xcheck_thread.c: threads ---- */

/* Is p started by another task's worker from a channel slot: a fork's child or a thread? */
gboolean xc_is_kid(const SimScnProc *p);
/* The call x just made was st, a thread statement: its thread's worker is the real thread. */
void xc_thread_started(Xc *xc, SimWorld *w, const SimStmt *st, const XTask *x);
/* t's end, when it is a thread's own or one its process's end brought: TRUE when handled. */
gboolean xc_thread_exited(Xc *xc, const SimTask *t);
/* t's exit ended its real process: its other tasks' calls end with it. */
void xc_thread_process_gone(Xc *xc, const SimTask *t);

/* ---- xcheck_stop.c: holding calls back, and the scenario's own stop signals ---- */

/* Holds x back before the action that wakes its call (xcheck_plan.c): SIGSTOP, or ptrace
 * when the scenario stops processes itself; and lets it go when the model runs the call. */
void xc_hold(Xc *xc, XTask *x, const char *name);
/* A process the scenario stopped, stopped for real, is settled whatever its call does. */
gboolean xc_stop_settled(Xc *xc, const XTask *x);
/* The model finished t's call st, which stopped its own process in the kernel before it
 * returned: TRUE when so (its answer is compared once it is continued). */
gboolean xc_stop_late(Xc *xc, const SimTask *t, const SimStmt *st, XTask *x);
/* x's process is killed: a ptrace hold ends with it, passed on to its real parent. */
void xc_stop_killed(Xc *xc, XTask *x);
/* The model's stops and continues since the last look, each a row against the kernel's. */
void xc_stop_sync(Xc *xc, SimWorld *w);
/* At the end: who is stopped on each side. */
void xc_stop_final(Xc *xc);
/* ---- xcheck_notify.c: mq_notify with SIGEV_THREAD ---- */

/* The call x just made was st: when it was a SIGEV_THREAD registration the kernel took,
 * its thread's worker is the real thread made for it, armed until the notification. */
void xc_notify_armed(Xc *xc, const SimStmt *st, const XTask *x);
/* At each event (t's, of phase ph) before the lockstep's handling, and between a free run's
 * steps (t NULL): a SIGEV_THREAD thread the model has just started is matched with the
 * cookie the kernel queued on its netlink socket, and from then on runs as a thread. */
void xc_notify_follow(Xc *xc, SimWorld *w, const SimTask *t, SimCallPhase ph);
/* t's process ends now: each SIGEV_THREAD registration of it the model never fired is
 * matched with what its socket holds, nothing or the kernel's NOTIFY_REMOVED. */
void xc_notify_unfired(Xc *xc, const SimTask *t);

/* ---- xcheck_free.c: free runs, and what they borrow from the lockstep (xcheck.c) ---- */

/* Sends t's call st to its worker as the lockstep's call start does, without waiting for
 * the kernel: 1 sent, 0 not a real call (run it in the model alone), -1 the run failed. */
int xc_issue(Xc *xc, SimWorld *w, const SimTask *t, const SimStmt *st);
/* Reads x's answer (or death) when there is one, waiting up to timeout_ms. */
void xc_collect(Xc *xc, XTask *x, int timeout_ms);
gboolean xc_stopped(Xc *xc);
/* The lockstep's handling of a call's return and of an exit: collect, compare, a row. */
void xc_lockstep_finished(Xc *xc, SimWorld *w, const SimTask *t, const SimStmt *st);
void xc_lockstep_exited(Xc *xc, const SimTask *t);
void xc_lockstep_killed(Xc *xc, const SimTask *t);
/* The free run itself, instead of sim_world_run; and its report (text: outcome, a form
 * feed line, the rows), after xc_report_finish. */
void xc_free_drive(Xc *xc);
void xc_free_report(Xc *xc, SimXcheckReport *rep);
/* The hook of a free run; left: a call with no kernel counterpart (observed only). */
void xc_free_hook(Xc *xc, SimWorld *w, const SimTask *t, const SimStmt *st, SimCallPhase ph,
		  gboolean left);
void xc_free_clear(Xc *xc);

/* ---- xcheck_witness.c: a witness followed instead of run's schedule ---- */

/* Before the world is made: the witness the options ask for, its choices given to wo. */
void xc_witness_options(Xc *xc, SimWorldOptions *wo);
/* The model's run: run's schedule (sim_world_run), or the witness's steps; a witness the
 * kernel cannot follow (the plan's point of divergence) is refused with why. */
void xc_witness_run(Xc *xc);
void xc_witness_free(Xc *xc);

/* ---- xcheck_free_async.c: what happens on its own in a free run ---- */

/* The model starts t's call st: a fork's child or a thread is taken on (its worker made by
 * the kernel's answer), as the lockstep does. */
void xc_free_started(Xc *xc, SimWorld *w, const SimTask *t, const SimStmt *st);
/* Is x's answer the one its timeout gives (ETIMEDOUT, semtimedop's EAGAIN, poll's 0)? */
gboolean xc_free_timed_out(const XTask *x);
/* Task i's call, which the model has made and which is timed or which the model has woken,
 * is leaving its sleep in the kernel, its answer not yet read: nothing may be made in the
 * model before it answers or sleeps again. */
gboolean xc_free_waking(Xc *xc, guint i);
/* Does task i's call, made in the model, finish there now: woken in the model and answered
 * by the kernel, or blocked in the model and timed out in the kernel? */
gboolean xc_free_finishes(Xc *xc, guint i);
/* Was it woken in the model and is it asleep in the kernel again (a SA_RESTART handler ran,
 * or another woken caller went through): the model makes it again, to block anew. */
gboolean xc_free_restarted(Xc *xc, guint i);
/* Model time as a free run's real time, capped: a timed call's deadline (ns from now,
 * recorded as t's), a task's start time and a sleep statement's length (us). */
gint64 xc_free_deadline_ns(Xc *xc, SimWorld *w, const SimTask *t, SimTimeoutKind timeout,
			   SimTime timeout_at);
gint64 xc_free_start_us(const SimWorld *w, guint i);
gint64 xc_free_sleep_us(const SimStmt *st);
/* The outcome of the run that took schedule (the steps the model made, a witness), written
 * by a fresh model world that replays it: the explorer's text, with the model's pids where
 * the run's world had the kernel's. NULL (error set) when the schedule does not replay. */
char *xc_free_replay(const SimScenario *scn, const SimXcheckOptions *opt, const char *schedule,
		     GError **error);

#endif /* MSGSIM_XCHECK_INT_H */
