/* xcheck.h — cross-check: replay a scenario on the real kernel, call by call, and compare.
 *
 * sim_xcheck_run runs the scenario in the model with the schedule `msgsim run` shows (the
 * same policy and seed) and, in lockstep, one real worker process per simulated process
 * (real.h) making the same system calls in the same order, inside a private IPC namespace.
 * Where a woken task's call only looks again when it runs, the kernel's process would get
 * there first: a woken SysV call is held back (its worker stopped) until the model runs it,
 * and where nothing can hold the kernel back the run goes on with the "woken first"
 * schedule (world.h) and says why (SimXcheckReport.schedule; xcheck_plan.c):
 *
 *   call starts (model)   the call, with the operands the model resolved (queue id,
 *                         descriptor, expanded text, sizes, flags, deadline), is sent to
 *                         the task's worker; then the coordinator waits until the kernel
 *                         is quiet: every worker with a call outstanding has answered,
 *                         is asleep in its system call (/proc/PID/stat 'S' and
 *                         /proc/PID/syscall), or has died.
 *   call blocks (model)   the worker must be asleep in it, not answered.
 *   call returns (model)  the worker must have answered: return value, errno, data,
 *                         type or priority, the second value (a pipe's write end, a wait
 *                         status, FIONREAD), the stat fields (IPC_STAT, mq_getattr).
 *   exit / killed         the worker exits / must have died.
 * A kernel answer the model does not give (a call the kernel completed while the model
 * still has it blocked) is a mismatch at the next call. Under woken first, when several
 * woken tasks are ready (the SysV sender scan, a re-queue after IPC_SET), the model is
 * steered to finish first a task whose call the kernel completed. At the end the state of every
 * SysV queue (IPC_STAT but the times, pids as process names) and POSIX queue (mq_getattr and the
 * QSIZE line) is compared, and every task still blocked must be blocked for real.
 *
 * Guard rails: before anything real starts, the model runs the scenario alone with the
 * same schedule and the options' guard rails (world.h); a run they stop is reported
 * STOPPED with what stopped it, and no real process is started. The model's runs during
 * the cross-check keep the same rails.
 *
 * Time: scenarios with timed calls are paced: model time runs SIM_XCHECK_PACE times slower
 * than real time, and a timed call's deadline is its model deadline on that scale.
 *
 * The coordinator runs in a forked child (the namespace is its own); the caller gets the
 * report. Workers die with it; queues die with the namespace; FIFOs live in the sandbox
 * directory, removed at the end.
 *
 * Stop signals: while sim_xcheck_run runs, SIGINT, SIGTERM and SIGHUP (unless ignored on
 * entry) are caught (real.h, stop), in the caller and in the coordinator. The caller passes
 * one on to the coordinator; the coordinator, whether it got the signal from the caller or
 * directly (a whole process group or cgroup signalled), stops the model, lets every wait
 * give up, kills its workers and removes the run's queues, names and directory exactly as
 * at a normal end, and reports SIM_XCHECK_INTERRUPTED. Should it not manage within
 * a few seconds (STOP_GRACE_MS, xcheck.c) the caller kills it and sweeps, as for a run out of time.
 * The caller's earlier signal actions are given back before sim_xcheck_run returns.
 *
 * Without a private namespace (none can be had, or shared_ipc) the report says so and the
 * run stays in the machine's: the scenario's SysV keys (IPC_PRIVATE too) and POSIX names
 * become the run's own (real.h, shared), and the kernel's keys and ids are mapped back to
 * the model's for every comparison - the two must correspond one to one. There the
 * machine's limits hold and IPC_INFO counts every queue on it: a scenario with other
 * `sysctl` limits, or a call that meets the limit on the number of queues, is not
 * cross-checkable; a `msgctl info` is left out (run in the model only).
 */
#ifndef MSGSIM_XCHECK_H
#define MSGSIM_XCHECK_H

#include "msgsim/base.h"

typedef struct SimScenario SimScenario; /* scn.h: the scenario to replay */

#define SIM_XCHECK_PACE 20 /* real time per model time, for scenarios with timed calls */
/* `msgsim crosscheck`'s exit status when nothing in any of its files could be checked
 * (each NOT_CHECKABLE); the others are report.h's. */
#define SIM_XCHECK_EXIT_NOTHING 4

typedef enum SimXcheckVerdict {
	SIM_XCHECK_MATCH,	  /* every call and the final state agree */
	SIM_XCHECK_MISMATCH,	  /* at least one difference */
	SIM_XCHECK_NOT_CHECKABLE, /* the scenario uses what the kernel cannot replay here */
	SIM_XCHECK_FAILED,	  /* the runner could not finish (a worker hung, no sandbox) */
	SIM_XCHECK_INTERRUPTED,	  /* SIGINT, SIGTERM or SIGHUP stopped it (signo): the run was
				   * cleaned up, as at its end */
	SIM_XCHECK_STOPPED,	  /* a guard rail stopped the model (reason says which) */
	SIM_XCHECK_EXPECT_FAILED, /* every call agrees, but an expectation of the scenario
				   * fails in the model or on the kernel (the report says which,
				   * on which side) */
} SimXcheckVerdict;

typedef struct SimXcheckOptions {
	guint64 seed; /* used when seed_set */
	gboolean seed_set;
	int step_ms;	/* how long one call may take to answer or block (default 3000) */
	int total_ms;	/* the whole run (default 120000) */
	guint inject;	/* tests: the model's result of the inject-th comparison is made wrong */
	guint stall;	/* tests: the worker of the stall-th call is stopped (SIGSTOP) first, so
			 * it neither returns nor blocks: the step timeout must catch it */
	guint skew;	/* tests: the skew-th call (a read, write, msgsnd or msgrcv) goes to the
			 * kernel nonblocking, so the kernel answers where the model blocks */
	gboolean squat; /* tests, without a private namespace: when the run removes a SysV
			 * queue, a stranger takes its key at once */
	gboolean rows;	/* the report lists every step, not only the mismatches */
	gboolean shared_ipc; /* replay in the machine's own IPC namespace, as when no private
			      * one can be had (real.h sim_real_sandbox_enter_shared) */
	guint64 max_steps;   /* the model's guard rails, as SimWorldOptions (0: defaults) */
	SimTime max_time;
	guint64 max_memory;
	/* Free runs (xcheck_free.c): the workers make their calls as soon as they are ready,
	 * after a random delay and on a random CPU; the model follows the kernel's order. */
	gboolean free_run;
	guint64 free_seed;  /* the delays' and placements' seed */
	int free_delay_us;  /* the longest delay before a call (default 2000) */
	int quiet_ms;	    /* every call left asleep this long ends the run: a deadlock
			     * (default 300) */
	gboolean doctor;    /* tests: the explored set is emptied, so every outcome is foreign */
	gboolean free_overlap; /* let calls start while others still run: more races, and
				* runs whose order cannot be seen end "diverged" */
	const char *schedule; /* a witness (explore.h) the lockstep follows instead of run's
			       * schedule (xcheck_witness.c), or NULL */
} SimXcheckOptions;

/* The schedule a run followed (xcheck_plan.c). */
typedef enum SimXcheckSchedule {
	SIM_XCHECK_SCHED_NONE,		 /* no lockstep ran (refused, lost) */
	SIM_XCHECK_SCHED_RUN,		 /* the one `msgsim run` shows, throughout */
	SIM_XCHECK_SCHED_RUN_THEN_WOKEN, /* run's up to where the kernel cannot follow it,
					  * then woken first (the report says why) */
	SIM_XCHECK_SCHED_OTHER,		 /* the model left run's order: a bug */
	SIM_XCHECK_SCHED_WITNESS,	 /* the witness asked for (--schedule), throughout */
} SimXcheckSchedule;

typedef struct SimXcheckReport {
	SimXcheckVerdict verdict;
	guint calls;	  /* calls replayed */
	guint checks;	  /* comparisons made (a call that blocks and returns: two) */
	guint mismatches; /* comparisons that differ */
	char *text;	  /* the report (owned): table, first mismatch in context, verdict */
	char *reason;	  /* NOT_CHECKABLE / FAILED / INTERRUPTED: why (owned), or NULL */
	int signo;	  /* INTERRUPTED: the signal */
	SimXcheckSchedule schedule; /* the schedule followed */
	guint held;		    /* woken calls held back to follow it */
	guint expect_failed_model;  /* expectations that fail in the model's run */
	guint expect_failed_kernel; /* ... and on the kernel's results */
	guint left_out;		    /* calls with no kernel counterpart, run in the model only
				     * (the report lists why); NOT_CHECKABLE when no other call
				     * was replayed */
} SimXcheckReport;

/* Lifecycle */
void sim_xcheck_report_clear(SimXcheckReport *r);

/* Operations */
/* Runs the cross-check of scn (file names it in the report). FALSE with error only when
 * the runner itself could not be started; every other outcome is in the report. */
gboolean sim_xcheck_run(const SimScenario *scn, const char *file, const SimXcheckOptions *opt,
			SimXcheckReport *rep, GError **error);

/* Queries */
const char *sim_xcheck_verdict_name(SimXcheckVerdict v);
/* NULL when the scenario can be replayed on the kernel, at least in part, else why not
 * (free it): nothing in it has a kernel counterpart. */
char *sim_xcheck_unsupported(const SimScenario *scn);

/* ---- Free runs: `msgsim crosscheck --free N` (xcheck_free.c) ----
 * The scenario is explored first (in-process, within the bounds given); then it runs n
 * times on the real kernel without lockstep. In each run every worker makes its calls in
 * program order once its last one returned and the other calls have returned or sleep,
 * after a small random delay and pinned to a random CPU; a model world follows the order
 * in which the kernel made the calls and checks each against it, so the run's outcome is
 * written in the explorer's own text
 * (explore.h, observers). Calls all asleep for quiet_ms is a deadlock: the run ends, its
 * workers are killed and its objects removed, as a lockstep run ends. Each outcome is
 * looked up in the explored set: one outside a complete set is a fidelity bug; outside an
 * incomplete one it is unknown. In free mode a coordinator's report text is the outcome,
 * a line holding a form feed, then the run's call log. */
typedef struct SimXcheckFree {
	SimXcheckVerdict verdict; /* NOT_CHECKABLE, STOPPED, INTERRUPTED (signo), or MATCH
				   * once runs were made */
	int signo;
	guint runs;	     /* runs made */
	guint observed;	     /* distinct outcomes observed */
	guint explored;	     /* outcomes in the explored set */
	gboolean complete;   /* the exploration covered everything */
	guint outside;	     /* runs whose outcome no schedule of the model reaches: not in
			      * the complete set, or not found by a complete search for it */
	guint unknown;	     /* runs whose outcome neither the cut exploration met nor a
			      * search for it alone found within the bounds */
	guint found;	     /* distinct outcomes the exploration missed and a search for
			      * each alone found */
	guint diverged;	     /* runs where the kernel did what the model, following it, did
			      * not (the log says at which call) */
	guint failed;	     /* runs the runner could not finish */
	char *text;	     /* the report (owned) */
	char *reason;	     /* why not checkable, or what stopped it (owned), or NULL */
} SimXcheckFree;

void sim_xcheck_free_clear(SimXcheckFree *r);
/* n free runs of scn, checked against its exploration (max_executions, max_seconds: its
 * bounds, 0 none). FALSE with error only when nothing could be started. */
gboolean sim_xcheck_free(const SimScenario *scn, const char *file, const SimXcheckOptions *opt,
			 guint n, guint64 max_executions, double max_seconds, SimXcheckFree *rep,
			 GError **error);
/* Why scn cannot be run free (allocated), or NULL. */
char *sim_xcheck_free_unsupported(const SimScenario *scn);

#endif /* MSGSIM_XCHECK_H */
