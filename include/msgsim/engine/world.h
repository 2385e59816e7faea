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
 *                  processes (each its task, inbox, variables and declaration, about
 *                  950 bytes). The report then names the object that holds the most; when
 *                  the processes alone would pass it, the run stops before it starts.
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
 *
 * This header is the engine's API for its users (main.c, report, ipcs, the cross-check):
 * make a world, run it, ask what became of it. SimWorld is opaque here; its insides and
 * the services the calls use to block, wake, sleep and open descriptors are in the private
 * sim/engine/world_int.h, for the call implementations (sim/calls/) and the few modules that read
 * the whole model's state (see there).
 *
 * Randomness: one stream per world (`rng`, seeded with the run's seed), drawn from in run
 * order by the random scheduler's picks and by deliver=random mailboxes alike (sched.h,
 * mbox.h). One stream keeps a run repeatable from its seed alone; the cost is that a draw
 * by either changes what the other draws next.
 */
#ifndef MSGSIM_WORLD_H
#define MSGSIM_WORLD_H

#include "msgsim/base.h"
#include "msgsim/lang/scn.h"
#include "msgsim/engine/task.h"
#include "msgsim/output/trace.h"

typedef struct SimWorld SimWorld;

typedef enum SimRunStatus {
	SIM_RUN_DONE,	       /* every task exited */
	SIM_RUN_DEADLOCK,      /* tasks remain but none can ever run */
	SIM_RUN_STEP_LIMIT,    /* --max-steps reached */
	SIM_RUN_TIME_LIMIT,    /* --max-time passed */
	SIM_RUN_STOPPED,       /* a hook stopped it (sim_world_stop) */
	SIM_RUN_TIME_OVERFLOW, /* a sum of times would pass the largest time */
	SIM_RUN_MEMORY_LIMIT,  /* the model would hold more than --max-memory */
	SIM_RUN_EXPR_FAULT,    /* a ${...} divided by zero, overflowed or left its range */
} SimRunStatus;

/* What became of each statement (by SimStmt.id), for label expectations. */
typedef struct SimStmtResult {
	guint64 runs;	   /* times it was started */
	gboolean blocked;  /* its last run blocked */
	guint64 blocks;	   /* runs that blocked, in total */
	gboolean returned; /* its last run has returned */
	int err;	   /* result of its last return */
	gint64 ret;	   /* what its last return gave (bytes, fd, status); -1 on error */
	guint64 first_done; /* the run's step count when it first returned; 0: never (what
			     * `expect @a before @b` compares) */
	guint64 failures;   /* assert: the times its condition was 0 */
	int fail_task;	    /* assert: the task that first found it 0 */
	SimTime fail_at;    /* assert: when */
	gint64 untouched;   /* a receive with fill=B: the buffer's bytes past the data that
			     * still hold B after its last successful run */
	gint64 out[SIM_OUT_SLOTS]; /* the struct its last successful run filled (struct
				    * msginfo, stat's fields), slot by slot as outfield.h names
				    * them; what `expect @L msgmax=N` and `type=fifo` check */
} SimStmtResult;

/* The result of st as task `task` alone ran it, for `expect PROC@LABEL`; kept only for the
 * statements such an expectation names (never run: all zero). */
const SimStmtResult *sim_world_task_result(const struct SimWorld *w, guint task,
					   const SimStmt *st);

/* How often signal `sig` reached task `task` (*delivered, ignored ones included) and how
 * often its handler ran there (*handled); counted only for the (process, signal) pairs an
 * `expect P signal SIG` names, 0 for the others. */
void sim_world_signal_counts(const struct SimWorld *w, guint task, int sig, guint64 *delivered,
			     guint64 *handled);

/* Where a call is in its life, for a call hook. */
typedef enum SimCallPhase {
	SIM_CALL_STARTED,  /* it begins: its operands are those of the task's state now */
	SIM_CALL_BLOCKED,  /* it must wait (again, for a call woken that waits once more) */
	SIM_CALL_FINISHED, /* it returned: sim_world_result(w, st) holds err and ret, and
			    * sim_world_call_out(w) what it received */
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
	gint64 flags;  /* mq_setattr: the description's mq_flags before the call */
} SimCallOut;

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
	SimTrace *trace;    /* NULL: no trace at all; a trace whose sinks take only the report
			     * (--quiet) costs the run nothing either */
	SimCallHook hook;   /* fn NULL: none */
	/* Told (with hook.data) when t's alarm comes due, before its SIGALRM is sent: a
	 * cross-check lets the kernel's alarm come due at that point. NULL: nobody. */
	void (*alarm_due)(void *data, struct SimWorld *w, const SimTask *t);
	/* Woken first (a cross-check's schedule): a task woken in a blocked call finishes it
	 * before any other task makes its next call, as on a machine with a CPU for each -
	 * the kernel's woken task runs while the waker goes on. The running task is preempted
	 * (it keeps the head of the queue) as soon as a woken task is ready. */
	gboolean woken_first;
	/* When several woken tasks are ready, which finishes first: pick returns an index into
	 * cands (in the order the scheduler would run them). NULL: the first. */
	guint (*pick)(void *data, struct SimWorld *w, SimTask *const *cands, guint n);
	void *pick_data;
	/* Exploration: the kernel's and the random policies' choices (deliver=random, the
	 * random scheduler's pick) go to choose, which returns one of 0..n-1, instead of a
	 * draw from the seeded stream. NULL (a plain run): the draw, at no cost. */
	guint (*choose)(void *data, guint n);
	void *choose_data;
	/* Keep what every task receives (msgsim record), not only what an expectation reads. */
	gboolean keep_received;
	/* msgsim run --explain: a message handed to one of several waiting receivers has its
	 * delivery event name them (names, in wait order) and the rule that chose (reason). */
	gboolean explain;
} SimWorldOptions;

/* Lifecycle */
SimWorld *sim_world_new(const SimScenario *scn, const SimWorldOptions *opt);
void sim_world_free(SimWorld *w);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(SimWorld, sim_world_free)

/* Operations */
SimRunStatus sim_world_run(SimWorld *w);
/* From a hook: end the run after the current statement (status SIM_RUN_STOPPED). */
void sim_world_stop(SimWorld *w);

/* Queries */
SimTime sim_world_now(const SimWorld *w);
SimRunStatus sim_world_status(const SimWorld *w); /* what the last sim_world_run returned */
const char *sim_world_status_name(SimRunStatus s);
guint64 sim_world_seed(const SimWorld *w);  /* the seed the run uses (option or scenario) */
guint64 sim_world_steps(const SimWorld *w); /* statements executed so far */
/* Bytes the model holds now: what the memory guard rail compares with max_memory. */
guint64 sim_world_memory(const SimWorld *w);
/* What became of statement st so far (label expectations, a hook's FINISHED phase). */
const SimStmtResult *sim_world_result(const SimWorld *w, const SimStmt *st);
/* What the call that just finished received; kept only when there is a hook. */
const SimCallOut *sim_world_call_out(const SimWorld *w);
static inline gboolean sim_world_unforked(const SimTask *t) /* a child not (yet) forked */
{
	/* A thread not (yet) started does not exist either. */
	return t->state == SIM_STATE_NEW &&
	       (t->proc->start == SIM_START_FORK || t->proc->start == SIM_START_THREAD);
}
gint64 sim_world_key(const SimWorld *w, const SimKey *key); /* the key_t a SimKey names */

/* ---- Stepping: the loop driven from outside (exploration, `run --schedule`) ----
 * Time is abstracted: a compute or a sleep may take any time, a start time or a timeout
 * may come at any moment, so the caller, not the clock or the policy, says which task
 * makes the next call. sim_world_run is not used on such a world; the caller asks which
 * tasks may step, takes one step at a time, and ends with sim_world_step_end. A plain run
 * never comes here, so its loop pays nothing for it. */
/* The tasks that may make their next call now, ids ascending into out (room for every
 * task): ready ones, sleeping ones (their time may be up), ones declared with a start time
 * (it may have come) and ones blocked in a timed call (the timeout may fire). Runs each
 * such task's control flow up to its next call first (sim_interp_settle). */
guint sim_world_steppable(SimWorld *w, guint *out);
/* Task `id` (one sim_world_steppable gave) makes its next call: it starts, wakes from its
 * sleep, or times out first as its state asks, then runs one statement (a compute takes its
 * whole time at once). FALSE when a guard rail stopped the run (then end it). */
gboolean sim_world_step(SimWorld *w, guint id);
/* The statement task id's next step makes (NULL: its end, or it cannot step). */
const SimStmt *sim_world_next_stmt(const SimWorld *w, guint id);
/* Ends a stepped run: its status, as sim_world_run would give it (done, a deadlock when
 * tasks remain that nothing can step, or the rail that stopped it). */
SimRunStatus sim_world_step_end(SimWorld *w);
/* Alarms with time abstracted: a pending alarm's SIGALRM may come at any moment until it is
 * cancelled, replaced or its process ends, so it is a step of its own. alarms lists the
 * tasks with one pending (out as for steppable); fire_alarm sends task id's SIGALRM now
 * (its queued event goes stale), as the clock would have; FALSE as sim_world_step. */
guint sim_world_alarms(const SimWorld *w, guint *out);
gboolean sim_world_fire_alarm(SimWorld *w, guint id);

/* ---- A world without a scenario: external tasks added as they come (external.c) ----
 * msgsim exec runs real programs: no body, no declared process or object. Its world is
 * made empty, with the random policy picking in task order; each program (and each child
 * it forks) is added as an external task (task.h), whose next call its server answers.
 * The IPC namespace, the queues, the message pool, the clock and the step count are the
 * world's as in any run; the loop that waits for the real processes between two steps is
 * the caller's, and each step is sim_world_dispatch_external. */
/* An empty world of room for max_tasks tasks, with limits (NULL: the defaults); the seed,
 * rails and choose hook come from opt (choose: the random pick's draw, in task order). */
SimWorld *sim_world_new_external(const SimWorldOptions *opt, const SimLimits *limits,
				 guint max_tasks);
/* A new external task (NEW, next id) named name (not owned), served by ext (not owned);
 * NULL when the world holds max_tasks already. */
SimTask *sim_world_add_external(SimWorld *w, const char *name, const SimTaskExternal *ext);
guint sim_world_n_tasks(const SimWorld *w);
SimTask *sim_world_task(SimWorld *w, guint id);
/* The engine's dispatch of one external step: the scheduler picks a ready task
 * (sim_sched_pick), it runs (RUNNING), the step is counted and the clock moves by one
 * call's cost (a microsecond), and the task's server serves its call (ext->step), which
 * answers it, blocks or sleeps the task, or leaves it running. NULL: nothing ready, or
 * the pick's chooser declined. */
SimTask *sim_world_dispatch_external(SimWorld *w);
/* The clock jumps forward to t (nothing ready before it: the next sleeper's wake-up); an
 * earlier t leaves it where it is. */
void sim_world_clock_to(SimWorld *w, SimTime t);

#endif /* MSGSIM_WORLD_H */
