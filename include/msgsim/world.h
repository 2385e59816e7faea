/* world.h — a simulated world: the tasks, the objects, the clock and the engine loop.
 *
 * sim_world_new instantiates a SimScenario (which it does not own and which must outlive
 * the world): it compiles the bodies, creates one task per process, one SimMbox per
 * declared mailbox or port and one inbox per process, and schedules the starts.
 * sim_world_run then runs the engine loop until every task has exited, nothing can run
 * (a deadlock), or a guard rail stops it.
 *
 * Guard rails, each checked once per statement in O(1), never by looking at the machine,
 * so that a scenario stops at the same statement everywhere:
 *   --max-steps    statements executed (default 10 million: a few seconds of a runaway loop)
 *   --max-time     simulated time
 *   --max-memory   bytes the model holds (default 1 GiB). Every place where the model grows
 *                  charges what it keeps and uncharges what it frees: messages (the pool's
 *                  count: mailboxes, ports, SysV and POSIX queues, variables), pipes (their
 *                  whole ring of pages, charged up front as the kernel charges a pipe's
 *                  buffers to its user), open file descriptions and descriptor tables,
 *                  queues and FIFOs made, received-message logs, pending events and the
 *                  tasks. The report then names the object that holds the most.
 *   time overflow  a sum of times (clock + duration, a deadline, a cost) that would pass
 *                  the largest time stops the run; the clock never reaches SIM_TIME_MAX.
 * A rail that trips inside a statement (an overflow, a text too long to build) lets the
 * statement finish and stops the run after it (`halt`).
 *
 * The loop, one iteration:
 *   1. fire due events   (task starts, sleep timers) at their own times
 *   2. dispatch          if the CPU is idle, the scheduler picks a task (switch cost)
 *   3. run               one statement of the running task, or one slice of its compute
 *   4. wake              tasks the statement woke become ready (collected by the object)
 *   5. preempt           the policy may put the running task back on the ready queue
 * When nothing is ready, the clock jumps to the next event; when there is none, the run ends.
 *
 * Ownership: the world owns tasks, mailboxes, programs, messages (through its pool) and
 * results; not the scenario and not the trace.
 */
#ifndef MSGSIM_WORLD_H
#define MSGSIM_WORLD_H

#include "msgsim/base.h"
#include "msgsim/evq.h"
#include "msgsim/fdtable.h"
#include "msgsim/interp.h"
#include "msgsim/ipcns.h"
#include "msgsim/mbox.h"
#include "msgsim/mqueue.h"
#include "msgsim/msgq.h"
#include "msgsim/msg.h"
#include "msgsim/pipe.h"
#include "msgsim/sched.h"
#include "msgsim/scn.h"
#include "msgsim/task.h"
#include "msgsim/trace.h"

typedef enum SimRunStatus {
	SIM_RUN_DONE,	    /* every task exited */
	SIM_RUN_DEADLOCK,   /* tasks remain but none can ever run */
	SIM_RUN_STEP_LIMIT, /* --max-steps reached */
	SIM_RUN_TIME_LIMIT, /* --max-time passed */
	SIM_RUN_STOPPED,    /* a hook stopped it (sim_world_stop) */
	SIM_RUN_TIME_OVERFLOW, /* a sum of times would pass the largest time */
	SIM_RUN_MEMORY_LIMIT,  /* the model would hold more than --max-memory */
} SimRunStatus;

/* What became of each statement (by SimStmt.id), for label expectations. */
typedef struct SimStmtResult {
	guint64 runs;	   /* times it was started */
	gboolean blocked;  /* its last run blocked */
	guint64 blocks;	   /* runs that blocked, in total */
	gboolean returned; /* its last run has returned */
	int err;	   /* result of its last return */
	gint64 ret;	   /* what its last return gave (bytes, fd, status); -1 on error */
} SimStmtResult;

/* Where a call is in its life, for a call hook. */
typedef enum SimCallPhase {
	SIM_CALL_STARTED,  /* it begins: its operands are those of the task's state now */
	SIM_CALL_BLOCKED,  /* it must wait (again, for a call woken that waits once more) */
	SIM_CALL_FINISHED, /* it returned: w->results[st->id] holds err and ret, and w->out
			    * what it received */
	SIM_CALL_EXITED,   /* t exited (st NULL): its descriptors are closed already */
	SIM_CALL_KILLED,   /* a signal's default action ended t (st NULL; t->killed_by) */
} SimCallPhase;

/* What the call that just finished received (a hook's view; kept only when there is a
 * hook): the message or the bytes read. */
typedef struct SimCallOut {
	gboolean got;  /* the call took a message or bytes */
	GString *text; /* its bytes */
	gsize size;    /* its size (SysV: mtext size; may exceed the bytes of text) */
	gint64 type;   /* SysV mtype */
	gint64 prio;   /* POSIX priority */
} SimCallOut;

struct SimWorld;

/* Told of every statement the interpreter runs (calls and compute/print alike), in run
 * order; a cross-check records the calls to replay them on the real kernel. */
typedef struct SimCallHook {
	void (*fn)(void *data, struct SimWorld *w, const SimTask *t, const SimStmt *st,
		   SimCallPhase phase);
	void *data;
} SimCallHook;

typedef struct SimWorldOptions {
	guint64 seed; /* used when seed_set, else the scenario's seed */
	gboolean seed_set;
	guint64 max_steps;  /* 0: the default (10 million) */
	SimTime max_time;   /* 0: no limit */
	guint64 max_memory; /* bytes; 0: the default (1 GiB) */
	SimTrace *trace;   /* NULL: no trace at all (fastest) */
	SimCallHook hook;  /* fn NULL: none */
	/* Woken first (a cross-check's schedule): a task woken in a blocked call finishes it
	 * before any other task makes its next call, as on a machine with a CPU for each -
	 * the kernel's woken task runs while the waker goes on. The running task is preempted
	 * (it keeps the head of the queue) as soon as a woken task is ready. */
	gboolean woken_first;
	/* When several woken tasks are ready, which finishes first: pick returns an index into
	 * cands (in the order the scheduler would run them). NULL: the first. */
	guint (*pick)(void *data, struct SimWorld *w, SimTask *const *cands, guint n);
	void *pick_data;
} SimWorldOptions;

typedef struct SimWorld {
	const SimScenario *scn;
	SimEvq evq;	/* the clock and pending events */
	SimSched sched; /* ready queue */
	SimRng rng;	/* random scheduler and deliver=random */
	guint64 seed;
	SimMsgPool pool;   /* every message of the run */
	SimProgram *progs; /* one per scenario body */
	SimTask *tasks;	   /* one per process, in declaration order */
	guint n_tasks;
	SimMbox *mboxes; /* declared mailboxes/ports, then one inbox per task */
	guint n_mboxes;
	SimIpcNs ipcns;		/* the run's IPC namespace: limits, ids, keys */
	GPtrArray *msgqs;	/* SimMsgq: every SysV queue of the run, removed ones too */
	int *sysvq_ids;		/* id of each declared `sysv queue`, by declaration index */
	GPtrArray *mqueues;	/* SimMqueue: every POSIX queue of the run, unlinked ones too */
	SimTask *cur;		/* the running task, or NULL when the CPU is idle */
	SimTask *last;		/* the task that ran last (context-switch accounting) */
	SimWakeList wake;	/* waiters woken by the current operation */
	SimMboxCtx mctx;	/* what mailbox operations need */
	SimTrace *trace;	/* not owned; NULL when tracing is off */
	SimStmtResult *results; /* by statement id */
	guint64 steps;		/* statements executed */
	guint64 max_steps;
	SimTime max_time;
	guint64 max_memory;
	guint64 mem;		   /* bytes charged besides messages (the pool counts those) */
	const SimStmt *at;	   /* the statement the interpreter is on (for the report) */
	SimRunStatus halt;	   /* a rail tripped inside a statement; SIM_RUN_DONE: none */
	const SimTask *halt_task;  /* who tripped it (NULL: no one in particular) */
	const SimStmt *halt_stmt;  /* in which statement (NULL: a context switch) */
	SimTime halt_base, halt_add; /* overflow: the time and what was to be added to it;
				      * a text too long: its length so far in halt_add */
	guint64 msg_seq;  /* next message sequence number */
	guint64 switches; /* context switches */
	GString *scratch; /* interpolation buffer */
	SimRunStatus status;
	const char **names; /* task names by index, for trace lists */
	char word[64];	    /* how the current call names its descriptor ("p.w") */
	SimCallHook hook;   /* see SimWorldOptions */
	guint n_pipes;	    /* anonymous pipes made so far (pipe#N) */
	GPtrArray *fifos;   /* SimFifo: every FIFO made by mkfifo, unlinked ones too */
	SimCallOut out;	    /* for the hook: what the last finished call received */
	gboolean woken_first;
	guint (*pick)(void *data, struct SimWorld *w, SimTask *const *cands, guint n);
	void *pick_data;
	SimTask **cands;  /* woken_first: scratch for the candidates, one per task */
	gboolean stopped; /* sim_world_stop was called: the run ends after this statement */
} SimWorld;

/* Lifecycle */
SimWorld *sim_world_new(const SimScenario *scn, const SimWorldOptions *opt);
void sim_world_free(SimWorld *w);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(SimWorld, sim_world_free)

/* Operations */
SimRunStatus sim_world_run(SimWorld *w);
/* From a hook: end the run after the current statement (status SIM_RUN_STOPPED). */
void sim_world_stop(SimWorld *w);

/* Engine services for the interpreter (interp.c) */
void sim_world_charge(SimWorld *w, SimTime dt); /* the running task uses the CPU */
/* now + dt for t's statement st (a deadline); when that would pass the largest time the
 * run stops after the statement (SIM_RUN_TIME_OVERFLOW) and SIM_TIME_MAX comes back. */
SimTime sim_world_later(SimWorld *w, const SimTask *t, const SimStmt *st, SimTime dt);
/* Stops the run after the current statement with `why` (a guard rail), naming t and st
 * and the two operands (see halt_base, halt_add). The first rail to trip is the one told. */
void sim_world_halt(SimWorld *w, SimRunStatus why, const SimTask *t, const SimStmt *st,
		    SimTime base, SimTime add);
/* Bytes the model holds now: what the memory guard rail compares with max_memory. */
static inline guint64 sim_world_memory(const SimWorld *w)
{
	return sim_msg_pool_bytes(&w->pool) + w->mem;
}
/* A new open file description, charged to the memory guard (sim_world_fd_close frees it). */
SimFile *sim_world_file_new(SimWorld *w, SimFile init);
/* A new pipe or FIFO's pipe, charged to the memory guard (sim_pipe_bytes) until it goes. */
struct SimPipe *sim_world_pipe_new(SimWorld *w, const char *name, gboolean is_fifo);
/* t blocks in a call on mailbox `obj` (or -1 for another object) named `name`. */
void sim_world_block(SimWorld *w, SimTask *t, int obj, const char *name, const char *why);
void sim_world_sleep(SimWorld *w, SimTask *t, SimTime dt);
void sim_world_exit(SimWorld *w, SimTask *t, gint64 code);
void sim_world_wake_all(SimWorld *w, const SimTask *waker, const SimMbox *via);
/* Delivers signal `sig` from the running task to t (kill): ignore, run a handler (which
 * interrupts a blocked call or a sleep) or the default action (ends t). */
void sim_world_signal(SimWorld *w, SimTask *t, int sig);
/* The exit work shared by exit and kill: descriptors close, owned objects die, after()
 * dependents start. */
void sim_world_reap(SimWorld *w, SimTask *t);
/* Descriptors (numbering and lookup: fdtable.h on t->fdt): install one, charging the
 * table's growth; close one, closing the object behind its description at the last. */
void sim_world_fd_install(SimWorld *w, SimTask *t, int fd, SimFile *f);
int sim_world_fd_close(SimWorld *w, SimTask *t, gint64 fd); /* 0 or EBADF */
/* A pipe that lost a description or an opener: freed when nothing uses it any more (a
 * FIFO's data goes with it). */
void sim_world_pipe_put(SimWorld *w, struct SimPipe *p);
/* fork: child (a SIM_START_FORK task not started yet) gets copies of parent's inherited
 * variables, its descriptors (sharing their open file descriptions), its signal actions,
 * and becomes ready. */
void sim_world_fork(SimWorld *w, SimTask *parent, SimTask *child, guint n_inherit);
/* A blocked timed call: wake t with ETIMEDOUT at `deadline` unless it is woken first. */
void sim_world_timeout(SimWorld *w, SimTask *t, SimTime deadline);
void sim_world_emit(SimWorld *w, SimTraceEvent *ev); /* stamps the time; w->trace != NULL */

/* The interpreter's entry point (interp.c): run t until it has made one call. */
void sim_interp_step(SimWorld *w, SimTask *t);
/* t dies by a signal while it sleeps in, or was woken from, a pipe read or write (taken
 * off every list already). As in the kernel, its wait gives up only if the pipe still
 * would not let it go on: otherwise the call goes ahead (a read takes the data, a write
 * puts what fits), with the wake-ups it passes on, and then the task dies. */
void sim_interp_file_abandon(SimWorld *w, SimTask *t);

/* Queries */
static inline SimTime sim_world_now(const SimWorld *w)
{
	return sim_evq_now(&w->evq);
}
const char *sim_world_status_name(SimRunStatus s);
static inline gboolean sim_world_unforked(const SimTask *t) /* a child not (yet) forked */
{
	return t->state == SIM_STATE_NEW && t->proc->start == SIM_START_FORK;
}
gint64 sim_world_key(const SimWorld *w, const SimKey *key); /* the key_t a SimKey names */

#endif /* MSGSIM_WORLD_H */
