/* task.h — a simulated process: an interpreted script with a state, a waiter and accounts.
 *
 * A task is plain data: a program counter into its compiled program (interp.h), loop
 * counters, variables, its last call result, and the waiter it uses when it blocks. No
 * threads or coroutines: a run is a loop over this data, cheap to copy and to re-run.
 *
 * States and the functions that move between them (the only writers of `state`):
 *
 *               sim_task_make_ready                 (scheduler picks)
 *        NEW ------------------------> READY ----------------------> RUNNING
 *                                       ^  ^   sim_task_preempt        |  |  |
 *                                       |  +---------------------------+  |  |
 *                       sim_task_wake   |       sim_task_block            |  |
 *                                       +------ BLOCKED <-----------------+  |
 *                                       |       sim_task_sleep            |  |
 *                                       +------ SLEEPING <----------------+  |
 *                                                                            | sim_task_exit
 *                                                EXITED <--------------------+
 *
 * (the scheduler's pick is sim_task_run). A signal whose default action terminates moves
 * a NEW, READY, BLOCKED or SLEEPING task straight to EXITED: sim_task_kill (the killer is
 * the running task, so the victim is never RUNNING). Each transition asserts the state it leaves
 * and charges the time spent in it: CPU time for RUNNING, blocked time for BLOCKED/SLEEPING. A task
 * blocks on at most one thing; `wait_gen` counts its blocks so that a stale timer event can be
 * recognised (evq.h).
 *
 * Stopped (SIGSTOP and the other stop signals) is not a state of its own but a mark,
 * `stopped_by`, on top of any state but RUNNING and EXITED: a stopped task's sleep or wait
 * goes on and may end, but when it becomes READY the scheduler parks it (`parked`) instead
 * of queueing it, until SIGCONT (sched.h, world.c).
 * Threads (engine/thread.c) are tasks too: a thread's `group` names its process's main task,
 * whose descriptor table it uses (fdtable.h); a process's end ends its threads first.

 *
 * Two kinds of task (`kind`). A SCRIPT task runs a compiled scenario body (interp.h).
 * An EXTERNAL task is a real program's process (msgsim exec): its next call comes from the
 * program, trapped, and its `ext` callback serves it when the scheduler has picked it. It
 * follows the same diagram, with two differences its nature imposes: it has no body
 * (`prog` and `proc` are NULL), and since its process lives in the real kernel, which can
 * end it at any moment, sim_task_end moves it to EXITED from any state (its owner takes it
 * off the ready queue and its wait queue first).
 */
#ifndef MSGSIM_TASK_H
#define MSGSIM_TASK_H

#include "msgsim/base.h"
#include "msgsim/kernel/fdtable.h"
#include "msgsim/kernel/msg.h"
#include "msgsim/kernel/vocab.h"
#include "msgsim/engine/waitq.h"

/* The states of the diagram above. */
typedef enum SimTaskState {
	SIM_STATE_NEW,	    /* declared, not started yet (or a child not forked yet) */
	SIM_STATE_READY,    /* on the ready queue */
	SIM_STATE_RUNNING,  /* has the CPU */
	SIM_STATE_BLOCKED,  /* waits on an object or a child (wait_why says which) */
	SIM_STATE_SLEEPING, /* waits for the clock */
	SIM_STATE_EXITED,   /* exited or killed; exit_code and killed_by say how */
} SimTaskState;

typedef struct SimScnProc SimScnProc; /* scn.h: the declaration a task is made from */

/* A task's pid as the model shows it where the kernel prints a number (a queue's
 * NOTIFY_PID); a cross-check gives each task its real process's instead. */
#define SIM_TASK_PID(id) (100 + (int)(id))

typedef struct SimProgram SimProgram;

/* A variable slot: a counter (`repeat ... as i`) or a received message (`-> m`). */
typedef struct SimVar {
	gint64 num;  /* counter value, descriptor, id; a pipe's read end */
	gint64 num2; /* a pipe's write end (`pipe -> p`: p.w) */
	SimMsg *msg; /* the message last received into it (owned), or NULL */
	gint64 *ds;  /* `msgctl q stat -> v`: the msqid_ds of the last IPC_STAT that succeeded,
		      * SIM_DS_N numbers (expr.h), owned; NULL before one */
} SimVar;

/* One received message, kept only for tasks whose received list an expectation reads. */
typedef struct SimRecv {
	char *text; /* owned copy, a NUL after its len bytes */
	gint64 type;
	int from;  /* sender task index */
	gsize len; /* bytes in text, which may hold a NUL */
} SimRecv;

/* SimTask.group_end: exit in a thread ends its whole process (exit_group). */
#define SIM_GROUP_EXIT 1  /* it ran the exit that ended its process */
#define SIM_GROUP_ENDED 2 /* another task's exit ended it with its process */
/* What an SA_SIGINFO handler is handed (siginfo_t), as far as a handler body reads it. */
typedef struct SimSigInfo {
	int code;	/* si_code: SI_USER 0, SI_KERNEL 128, SI_MESGQ -3, CLD_EXITED 1 ... */
	gint64 pid;	/* si_pid: the sender, the child (SIGCHLD), 0 from the kernel */
	gint64 uid;	/* si_uid: the sender's real uid */
	gint64 value;	/* si_value: mq_notify's sigev_value */
	gint64 status;	/* si_status: SIGCHLD's exit status or signal */
} SimSigInfo;

/* A handler body that is running, and what it interrupted (sigbody.c). */
typedef struct SimSigFrame {
	const struct SimProgram *prog;
	guint pc;
	gint64 *counters;
	struct SimVar *vars;
	int last_err;
	gint64 last_ret;
	int sig;
	gboolean resume; /* the interrupted call goes on (SA_RESTART) when the body ends */
	SimSigInfo si;
} SimSigFrame;

/* Made on the first `on SIG handler { BODY }` a task runs (or inherits), absent otherwise. */
typedef struct SimSigBodies {
	const struct SimProgram *body[65]; /* the handler's body by signal, or NULL */
	SimSigInfo pend[65];		   /* the siginfo of each pending signal */
	guint64 owed;			   /* bodies whose handler ran but which have not started */
	guint64 blocked;		   /* signals whose body is running (its sa_mask) */
	guint n_frames;
	SimSigFrame frames[64];
	/* Every body that started, in order (its signal, its siginfo): what the cross-check
	 * compares with the kernel's; n_ran counts them all, the first 16 are kept. */
	guint n_ran;
	int ran_sig[16];
	SimSigInfo ran[16];
} SimSigBodies;

/* SimTask.yielded: 0 (no), or stopped between pieces with its first trace line written
 * (it slept before) or not. */
enum { SIM_YIELD_UNSHOWN = 1, SIM_YIELD_SHOWN = 2 };

/* The kinds of task (see the head of this file). */
typedef enum SimTaskKind {
	SIM_TASK_SCRIPT,   /* runs a scenario body: the interpreter makes its calls */
	SIM_TASK_EXTERNAL, /* a real program: its calls come trapped, ext serves them */
} SimTaskKind;

typedef struct SimTask SimTask;

/* How an external task's next call is served: step is called with data once the task
 * has been picked (RUNNING); it answers the trapped call, or blocks or sleeps the task. */
typedef struct SimTaskExternal {
	void (*step)(void *data, SimTask *t);
	void *data;
} SimTaskExternal;

struct SimTask {
	int id;			/* index in the world; also the order of declaration */
	int pid;		/* where the kernel prints one: SIM_TASK_PID(id), or the real
				 * process's in a cross-check */
	const char *name;	/* "worker1" (owned by the scenario) */
	const SimScnProc *proc; /* the declaration (NULL: an external task) */
	SimTaskState state;
	gint64 priority;     /* larger is more important */
	SimTime state_since; /* when the current state was entered */

	/* Its kind: a scenario body run by the interpreter, or a real program */
	SimTaskKind kind;	    /* SCRIPT (0, the default) or EXTERNAL */
	const SimTaskExternal *ext; /* EXTERNAL: who serves its calls (not owned); else NULL */

	/* Interpreter */
	const SimProgram *prog; /* compiled body (shared among replicas) */
	guint pc;		/* next instruction */
	gint64 *counters;	/* loop counters, one per nesting depth */
	SimVar *vars;		/* variable slots of the body */
	int last_err;		/* result of the last call, for `break if` */
	gint64 last_ret;	/* what it returned (bytes, fd), for `break if eof` */
	SimTime compute_left;	/* CPU time still to burn in the current `compute` */
	gboolean resuming;	/* the call at pc blocked and was woken: finish it */
	guint8 yielded;		/* ... or it stopped part-way without sleeping (a stream send
				 * between two buffers, in a stepped run): SIM_YIELD_* */

	/* Blocking */
	SimWaiter waiter;	   /* used when blocked on a wait queue */
	int wait_obj;		   /* mailbox index it is blocked on, or -1 */
	struct SimMsgq *wait_msgq; /* SysV queue it is blocked on, or NULL */
	struct SimMqueue *wait_mq; /* POSIX queue it is blocked on, or NULL */
	struct SimPipe *wait_pipe; /* pipe or FIFO it is blocked on (read, write, open) */
	struct SimSemArray *wait_sem; /* semaphore set its semop waits on (waiter.op: what) */
	struct SimSemUndo *sem_undo;  /* its SEM_UNDO records, newest first (sem.h) */
	gsize io_done;		   /* bytes the blocked write has written so far */
	guint open_cookie;	   /* blocked FIFO open: the partner counter it watches */
	int wait_child;		   /* blocked in wait: the child's index, else -1 */
	const char *wait_why;	   /* static reason: "mailbox full", "no message", "timer" */
	guint64 wait_gen;	   /* incremented on every block or sleep */

	/* Scheduling (its place in the ready queue is the scheduler's: sched.h) */
	SimTime slice_used; /* CPU used since last dispatched (round-robin) */

	/* Credentials and signals */
	SimCred cred;		/* uid, gid, capabilities */
	guint8 sigact[65];	/* SimSigAction by signal number (sigaction) */
	guint64 norestart;	/* bit per number: its handler was installed without SA_RESTART */
	guint64 sig_pending;	/* handled signals not yet delivered, bit per number */
	SimTime alarm_at;	/* when its alarm sends SIGALRM, or SIM_TIME_MAX: none */
	int stopped_by;		/* the stop signal that stopped it, or 0: it may run */
	gboolean parked;	/* READY but stopped: off the ready queue until SIGCONT */
	gboolean stopped_asleep; /* stopped in a sleep: a SIGCONT handler makes it EINTR */
	int kill_pending;	/* a fatal signal (not SIGKILL) sent while stopped: it ends the
				 * task when SIGCONT comes, as Linux leaves it pending */
	guint64 alarm_gen;	/* bumped by every alarm call: an older SIM_EV_ALARM is stale */
	SimSigBodies *sigb;	/* handler bodies, or NULL while there are none */

	/* Descriptors (the handle table, fdtable.h) */
	SimFdTable fdt;		/* a thread's is empty and points at its process's */
	int group;		/* its process's main task: its own id, or a thread's process's */
	gboolean threaded;	/* a process that started a thread: its calls hold the file */
	gboolean ending;	/* a process whose every thread is being ended: no join wakes */
	guint8 group_end;	/* how a task of a threaded process ended (SIM_GROUP_*): 0, its
				 * own return or signal */
	struct SimFile *io_file; /* the description a blocked read or write of a threaded task
				  * holds a reference on (fdget's), so a close by another thread
				  * leaves the call going, as the kernel does; else NULL */
	SimTime deadline; /* the blocked timed call's deadline, or SIM_TIME_MAX */

	/* Accounts */
	SimTime cpu_time;
	SimTime blocked_time; /* in BLOCKED or SLEEPING */
	guint64 n_sent, n_received;
	gint64 exit_code;
	int killed_by;		/* the signal that ended it, or 0 */
	gboolean reaped;	/* its parent's wait has collected it */
	SimWaitQueue chld_wait; /* its own wait calls, woken when a child exits */
	int inbox;		/* mailbox index of its direct-communication buffer */
	/* What its exit reaches, linked once when the world is made (world.c), so that an exit
	 * visits only these and never every task or mailbox. -1 ends each list; each list is
	 * in index order. */
	int first_child, next_sibling; /* the forked children declared in it */
	int first_after, next_after;   /* the tasks declared start=after(it) */
	int first_owned;	       /* the first declared mailbox or port it owns */
	GArray *received;	/* SimRecv, or NULL when no expectation reads it */
};

/* Lifecycle */
void sim_task_init(SimTask *t, int id, const SimScnProc *proc, const SimProgram *prog);
void sim_task_clear(SimTask *t,
		    SimMsgPool *pool); /* frees counters, vars (their messages), received */

/* An external task (kind EXTERNAL) named name (not owned), NEW, served by ext. */
void sim_task_init_external(SimTask *t, int id, const char *name, const SimTaskExternal *ext);

/* Transitions (see the diagram); `now` is the simulation clock */
void sim_task_make_ready(SimTask *t, SimTime now); /* NEW -> READY */
void sim_task_run(SimTask *t, SimTime now);	   /* READY -> RUNNING */
void sim_task_preempt(SimTask *t, SimTime now);	   /* RUNNING -> READY */
void sim_task_block(SimTask *t, SimTime now, int obj, const char *why);
void sim_task_sleep(SimTask *t, SimTime now); /* RUNNING -> SLEEPING */
void sim_task_wake(SimTask *t, SimTime now);  /* BLOCKED|SLEEPING -> READY */
void sim_task_exit(SimTask *t, SimTime now, gint64 code);
void sim_task_kill(SimTask *t, SimTime now, int sig); /* exit status 128 + sig */
/* An external task's process ended (seen in any state but EXITED): exit code `code`, or
 * killed by sig when sig > 0 (code 128 + sig then). Not on a ready or wait queue. */
void sim_task_end(SimTask *t, SimTime now, gint64 code, int sig);

/* Queries */
/* CPU time used up to `now`: cpu_time is charged when the task leaves the CPU, so a task
 * still running (a guard rail stopped it mid-compute) has its current turn added. */
SimTime sim_task_cpu(const SimTask *t, SimTime now);
/* Time blocked or asleep up to `now`: as for the CPU, a task still waiting when the run
 * ends (a deadlock, a guard rail) has its current wait added, so a task that never exits
 * shows how long it really waited. */
SimTime sim_task_blocked(const SimTask *t, SimTime now);
gboolean sim_task_check(const SimTask *t); /* debug: fields agree with the state */

#endif /* MSGSIM_TASK_H */
