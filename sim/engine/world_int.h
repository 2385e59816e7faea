/* world_int.h — the world's insides and the engine's services to the calls; not public.
 *
 * include/msgsim/engine/world.h is the engine's API: make a world, run it, ask about it. This
 * header is for the code that runs inside a world: the call implementations (the execs
 * of the call families in sim/calls/, and interp.c) use the services below to charge
 * time, block, sleep, wake, signal, open and close descriptors and fork, and reach the
 * objects through the struct. Nothing here formats output or decides an exit status.
 *
 * Who includes it, and why:
 *   interp.c, call_*.c       (through interp_int.h) the calls: they change the world.
 *   world.c                  the engine itself.
 *   report.c                 the report reads nearly every part of the final state (tasks,
 *                            objects, limits, what stopped the run) for the wait-for lists,
 *                            the expectations and the memory table: dozens of fields, no
 *                            accessor set would be smaller than the struct.
 *   calls/call_*.c           (through call_int.h) the footprints: which objects a call
 *                            would reach, resolved as the calls resolve them.
 *   ipcs.c                   the ipcs tables read the IPC namespace and the queues as the
 *                            kernel's /proc files do.
 *   xcheck.c                 the coordinator compares the model's queues, tasks and limits
 *                            with the kernel's, and gives tasks their real pids.
 *   tests/                   white-box tests (through tests/tests.h).
 * Only reading the struct is expected outside the calls and world.c; every change to the
 * model goes through a named function of the module that owns the state.
 */
#ifndef MSGSIM_WORLD_INT_H
#define MSGSIM_WORLD_INT_H

#include "msgsim/engine/world.h"

#include "msgsim/engine/evq.h"
#include "msgsim/kernel/fdtable.h"
#include "msgsim/engine/interp.h"
#include "msgsim/kernel/ipcns.h"
#include "msgsim/kernel/mbox.h"
#include "msgsim/kernel/mqueue.h"
#include "msgsim/kernel/msg.h"
#include "msgsim/kernel/msgq.h"
#include "msgsim/kernel/pipe.h"
#include "msgsim/kernel/pipeuser.h"
#include "msgsim/kernel/sem.h"
#include "msgsim/kernel/shm.h"
#include "msgsim/engine/sched.h"
#include "msgsim/engine/task.h"

struct SimWorld {
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
	int *next_owned;	/* by declared mailbox: its owner's next one, or -1 (task.h) */
	guint64 exit_visits;	/* tasks, mailboxes and descriptor slots exits looked at (tests) */
	guint64 events;		/* trace events built and emitted: none without a reader (tests) */
	SimIpcNs ipcns;		/* the run's IPC namespace: limits, ids, keys */
	GPtrArray *msgqs;	/* SimMsgq: every SysV queue of the run, removed ones too */
	int *sysvq_ids;		/* id of each declared `sysv queue`, by declaration index */
	GPtrArray *mqueues;	/* SimMqueue: every POSIX queue of the run, unlinked ones too */
	SimSemNs semns;		/* the namespace's semaphore sets and their ids */
	SimShmNs shmns;		/* the namespace's shared memory segments and their ids */
	SimShmMaps *shm_maps;	/* by task: its attachments */
	SimPipeUsers pipe_users; /* the pages each user's pipes hold (fs/pipe.c's accounting) */
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
	guint64 mem;		     /* bytes charged besides messages (the pool counts those) */
	const SimStmt *at;	     /* the statement the interpreter is on (for the report) */
	SimRunStatus halt;	     /* a rail tripped inside a statement; SIM_RUN_DONE: none */
	const SimTask *halt_task;    /* who tripped it (NULL: no one in particular) */
	const SimStmt *halt_stmt;    /* in which statement (NULL: a context switch) */
	SimTime halt_base, halt_add; /* overflow: the time and what was to be added to it;
				      * a text too long: its length so far in halt_add;
				      * EXPR_FAULT: the SimExprFault and the node's line << 32 |
				      * col, or -1 - i and the value when operand i of
				      * halt_stmt->dyn left its range */
	SimStmt *patched; /* by task: its statement with ${...} operands evaluated (interp.c);
			   * made at the first such statement */
	GHashTable *task_results; /* (stmt id * n_tasks + task) -> SimStmtResult, for the
				   * statements `expect PROC@LABEL` names; NULL: none */
	gboolean keep_received;	  /* SimWorldOptions.keep_received */
	gboolean explain;	  /* SimWorldOptions.explain */
	GHashTable *sig_counts;	  /* (task * 64 + signal + 1) -> guint64[2], delivered and
				   * handled, for the pairs `expect P signal S` names; NULL: none */
	/* The memory rail stopped the world while it was being made: what would have grown
	 * (static text, NULL: nothing), by how many bytes at least, and the two counts whose
	 * product it is (processes, declared objects). The run then does not start. */
	const char *setup_what;
	const char *setup_unit; /* what setup_each counts, after the number ("" : things) */
	guint64 setup_bytes, setup_holders, setup_each;
	guint64 msg_seq;  /* next message sequence number */
	guint64 switches; /* context switches */
	GString *scratch; /* interpolation buffer */
	SimRunStatus status;
	const char **names; /* task names by index, for trace lists */
	char word[64];	    /* how the current call names its descriptor ("p.w") */
	SimCallHook hook;   /* see SimWorldOptions */
	void (*alarm_due)(void *data, struct SimWorld *w, const SimTask *t); /* ditto */
	guint n_pipes;	    /* anonymous pipes made so far (pipe#N) */
	GHashTable *pipe_vars;	/* (task, slot) -> pipe#N last made there, for `expect pipe`
				 * (holders.c); NULL when none asks */
	struct SimFdSeen *fd_seen; /* by expectation: what `expect P fd D` saw when P exited
				    * (holders.c); NULL when none asks */
	guint n_socks;	    /* socket pairs made so far (sock#N) */
	GHashTable *sock_names; /* bound abstract names, "TYPE:name" -> SimSock (not owned),
				 * made by the first bind (call_sock.c), or NULL */
	struct SimAlpcSpace *alpc; /* ALPC-style ports (call_alpc.c): made by the first
				    * call that needs it, or NULL */
	GPtrArray *fifos;   /* SimFifo: every FIFO made by mkfifo, unlinked ones too */
	SimCallOut out;	    /* for the hook: what the last finished call received */
	gboolean woken_first;
	guint (*pick)(void *data, struct SimWorld *w, SimTask *const *cands, guint n);
	void *pick_data;
	SimTask **cands;  /* woken_first: scratch for the candidates, one per task */
	gboolean stopped; /* sim_world_stop was called: the run ends after this statement */
	gboolean by_alarm; /* the signal being sent is an alarm's: no task sends it */
	SimWaitQueue pollers; /* tasks blocked in poll or select (call_poll.c): asked again
			       * after every step, which is when any object's state changes */
	gboolean stepped; /* driven by sim_world_step (exploration, a witness, a free run): a
			   * call may stop between two pieces of its work there (sock.h, split) */
	/* A world without a scenario (external.c): its own empty scenario (owned, freed with
	 * it), and room for max_tasks tasks, made at the start so that adding one never moves
	 * the others (the ready and wait queues point at them). NULL, 0 for a scenario's. */
	SimScenario *own_scn;
	guint max_tasks;
};

/* ---- Engine services for the calls ---- */

void sim_world_charge(SimWorld *w, SimTime dt); /* the running task uses the CPU */
/* now + dt for t's statement st (a deadline); when that would pass the largest time the
 * run stops after the statement (SIM_RUN_TIME_OVERFLOW) and SIM_TIME_MAX comes back. */
SimTime sim_world_later(SimWorld *w, const SimTask *t, const SimStmt *st, SimTime dt);
/* Stops the run after the current statement with `why` (a guard rail), naming t and st
 * and the two operands (see halt_base, halt_add). The first rail to trip is the one told. */
void sim_world_halt(SimWorld *w, SimRunStatus why, const SimTask *t, const SimStmt *st,
		    SimTime base, SimTime add);
/* A new open file description, charged to the memory guard (sim_world_fd_close frees it). */
SimFile *sim_world_file_new(SimWorld *w, SimFile init);
/* A new pipe or FIFO's pipe made by t, charged to the memory guard (sim_pipe_bytes) and its
 * pages to t's user (pipeuser.h) until it goes; NULL when fs.pipe-user-pages-hard refuses
 * it (pipe(2): ENFILE, a FIFO's open: ENOMEM). */
struct SimPipe *sim_world_pipe_new(SimWorld *w, const struct SimTask *t, const char *name,
				   gboolean is_fifo);
/* t blocks in a call on mailbox `obj` (or -1 for another object) named `name`. */
void sim_world_block(SimWorld *w, SimTask *t, int obj, const char *name, const char *why);
void sim_world_sleep(SimWorld *w, SimTask *t, SimTime dt);
/* The timer of t's sleep (SLEEPING, its wait_gen current): t wakes at `at` (>= now). A
 * sleep ended before (a signal) leaves it moot. */
void sim_world_timer(SimWorld *w, SimTask *t, SimTime at);
/* Sets t's alarm to fire at `at` (SIGALRM), or cancels it (SIM_TIME_MAX); an alarm set
 * before is replaced: its event goes stale by t->alarm_gen. */
void sim_world_alarm(SimWorld *w, SimTask *t, SimTime at);
void sim_world_exit(SimWorld *w, SimTask *t, gint64 code);
void sim_world_wake_list(SimWorld *w, const SimTask *waker, const SimMbox *via);
/* Makes ready every task the last operation woke (w->wake): inline, since every call ends
 * with it and the usual answer is that nobody was woken. */
static inline void sim_world_wake_all(SimWorld *w, const SimTask *waker, const SimMbox *via)
{
	if (w->wake.first)
		sim_world_wake_list(w, waker, via);
}
/* Delivers signal `sig` from the running task to t (kill): ignore, run a handler (which
 * interrupts a blocked call or a sleep) or the default action (ends t). */
void sim_world_signal(SimWorld *w, SimTask *t, int sig);
/* The same with the siginfo a handler body reads (sim_world_signal makes SI_USER from the
 * running task, or SI_KERNEL for an alarm). */
void sim_world_signal_info(SimWorld *w, SimTask *t, int sig, const SimSigInfo *si);
/* sigbody.c: handler bodies (see there). */
void sim_sigbody_install(SimTask *t, int sig, const SimProgram *body);
void sim_sigbody_fork(SimTask *child, const SimTask *parent);
void sim_sigbody_exec(SimTask *t);
void sim_sigbody_note(SimTask *t, int sig, const SimSigInfo *si);
void sim_sigbody_ran(SimTask *t, int sig);
guint64 sim_sigbody_blocked(const SimTask *t);
void sim_sigbody_enter(SimTask *t);
gboolean sim_sigbody_active(const SimTask *t);
const SimSigInfo *sim_sigbody_info(const SimTask *t, int *sig);
void sim_sigbody_return(SimWorld *w, SimTask *t);
void sim_sigbody_clear(SimWorld *w, SimTask *t);
gboolean sim_sigbody_restart_first(SimWorld *w, SimTask *t);
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
/* A socket end's last description went (call_sock.c): the end is closed, waking onto wake
 * (NULL: the run is over, no wake-ups), and the pair freed with its second end. Returns the
 * bytes freed, for the memory guard. */
gsize sim_world_sock_put(SimWorld *w, struct SimSock *s, SimWakeList *wake);
/* t's exit closes its ALPC handles, tracing each port that dies (call_alpc.c); TRUE when
 * it held any. */
gboolean sim_world_alpc_exit(SimWorld *w, SimTask *t);
/* fork: child (a SIM_START_FORK task not started yet) gets copies of parent's inherited
 * variables, its descriptors (sharing their open file descriptions), its signal actions,
 * and becomes ready. */
void sim_world_fork(SimWorld *w, SimTask *parent, SimTask *child, guint n_inherit);
/* Threads (thread.c). A thread is a task whose `group` is its process's main task and whose
 * descriptor table is that task's (fdtable.h). thread: th (a SIM_START_THREAD task not
 * started yet) gets copies of t's inherited variables, its process's table, credentials
 * and signal actions, and becomes ready. */
void sim_world_thread(SimWorld *w, SimTask *t, SimTask *th, guint n_inherit);
void sim_world_start(SimWorld *w, SimTask *t); /* NEW -> READY, traced as a start */
/* Ends every live member of process `group` but `except` (threads first, the main task
 * last): by signal sig, or (sig 0) as exit_group's other threads, with status code. */
void sim_world_end_group(SimWorld *w, int group, int sig, gint64 code, const SimTask *except);
/* exit in any task: exit_group, which ends the whole process with status code. */
void sim_world_exit_group(SimWorld *w, SimTask *t, gint64 code);
/* t changed its signal actions: every thread of its process has them (they are one table
 * in the kernel); nothing for a process without threads. */
void sim_world_share_sigact(SimWorld *w, const SimTask *t);
/* t changed its credentials: every thread of its process has them, as glibc's setuid,
 * seteuid and setgid make the same change in every thread; nothing without threads. */
void sim_world_share_cred(SimWorld *w, const SimTask *t);
/* The thread t ended: its joiners wake (sim_world_reap calls it). */
void sim_world_thread_ended(SimWorld *w, const SimTask *t);
/* A blocked read or write of a threaded task holds its description f (io_file) as the
 * kernel's fdget does, so that another thread's close leaves the call going; release drops
 * it, closing the object when it was the last. Both do nothing for other tasks. */
void sim_world_file_hold(SimTask *t, SimFile *f);
void sim_world_file_release(SimWorld *w, SimTask *t);
/* A description lost a reference (a close, a released hold): at the last, its object is
 * closed and the description freed. */
void sim_world_file_put(SimWorld *w, SimTask *t, SimFile *f);
/* A blocked timed call: wake t with ETIMEDOUT at `deadline` unless it is woken first. */
void sim_world_timeout(SimWorld *w, SimTask *t, SimTime deadline);
void sim_world_emit(SimWorld *w, SimTraceEvent *ev); /* stamps the time; w->trace != NULL */
/* What a semaphore operation of t needs from the world (sem.h). */
SimSemCtx sim_world_sem_ctx(SimWorld *w, const SimTask *t);
/* t's own record of st for `expect PROC@LABEL`, made on first use; NULL when no such
 * expectation names st (the usual case, one test). */
SimStmtResult *sim_world_task_result_mut(SimWorld *w, const SimTask *t, const SimStmt *st);
/* Counts a delivery (which 0) or a handler run (which 1) of sig to t, when an expectation
 * asks for it. */
void sim_world_count_signal(SimWorld *w, const SimTask *t, int sig, guint which);

#endif /* MSGSIM_WORLD_INT_H */
