/* report.h — the end of a run: who is stuck and why, the expectations, the summary, the verdict.
 *
 * After sim_world_run, sim_report_finish looks at the world and emits, through the trace:
 *   - for a deadlock, one line per stuck task: what it waits in, on which object, and the
 *     wait-for list (the live processes that could release it — none means nobody can);
 *   - for a guard rail (--max-steps, --max-time, --max-memory, a time overflow), what
 *     stopped the run, where, and the option that lets it go further;
 *   - every expectation of the scenario with its line, pass or fail, and what was seen
 *     (the forms over all schedules are explore's: `possible` and `outcomes N` are left
 *     out, and `always`/`never deadlock` show only when they fail in this one run);
 *   - a summary per task (state, CPU time, time blocked, messages) and per object;
 *   - the verdict and the exit status.
 * It works with tr == NULL too (nothing is printed; the verdict is still computed).
 *
 * Exit statuses (also those of `msgsim run`): 0 all good; 1 an expectation failed;
 * 3 an unexpected deadlock or a guard rail stopped the run (3 wins over 1).
 */
#ifndef MSGSIM_REPORT_H
#define MSGSIM_REPORT_H

#include "msgsim/engine/world.h"

enum {
	SIM_EXIT_OK = 0,
	SIM_EXIT_EXPECT_FAILED = 1,
	SIM_EXIT_USAGE = 2,
	SIM_EXIT_STUCK = 3,
};

typedef struct SimVerdict {
	guint passed;	   /* expectations that held */
	guint failed;	   /* expectations that did not */
	gboolean deadlock; /* the run ended in a deadlock */
	int exit_status;   /* SIM_EXIT_* */
} SimVerdict;

/* Operations */
SimVerdict sim_report_finish(SimWorld *w, SimTrace *tr);

/* Queries */
/* When a guard rail stopped the run: appends what stopped it, at which statement or
 * object, and which option lets the run go further; FALSE (nothing appended) otherwise. */
gboolean sim_report_stop(const SimWorld *w, GString *s);
/* Evaluates one expectation; `seen` gets what was observed (may be NULL). */
gboolean sim_report_expectation(const SimWorld *w, const SimScnExpect *e, GString *seen);
/* Whether one schedule can check e: not `expect possible` nor `expect outcomes`, which only
 * an exploration of every schedule can (run and the cross-check leave them out); `expect
 * run` is one schedule's only (explore leaves it out). */
gboolean sim_report_one_schedule(const SimScnExpect *e);
/* How explore reads the line's mode, as a prefix for its report: "(always) " for a
 * plain one, "" for the others (their own word says it). */
const char *sim_report_mode_note(const SimScnExpect *e);
/* Appends what expectation e says, in the scenario's words ("always P2 received [\"x\"]"). */
void sim_report_describe(const SimWorld *w, const SimScnExpect *e, GString *s);
/* The descriptor and pipe-holder expectations (report_fd.c): `expect P fd D mq_flags=`
 * and `expect pipe NAME readers= writers=`, judged and described. */
gboolean sim_report_fd_expectation(const SimWorld *w, const SimScnExpect *e, GString *seen);
void sim_report_fd_describe(const SimWorld *w, const SimScnExpect *e, GString *s);
/* `expect P exit=N` / `killed=SIG` (kind EXIT) judged on task t alone, with no world: the
 * check run uses, and the one msgsim exec uses on its programs' external tasks. */
gboolean sim_report_exit(const SimTask *t, const SimScnExpect *e, GString *seen);
/* `expect P state=STATE` (kind STATE) on task t alone, likewise. */
gboolean sim_report_state(const SimTask *t, const SimScnExpect *e, GString *seen);

/* ---- Expectations on programs (msgsim exec) ----
 * A file read with SimScnOptions.programs names programs, not a scenario's processes:
 * e->proc (and an item's `from`, a queue's lspid=) indexes scn->programs. msgsim exec has
 * no world, so it gives a view of its run's end, and the expectation is judged by the same
 * checks `run` uses (received, exit, state, a SysV or POSIX queue, deadlock, time), with
 * `calls [...]` besides, which only programs have. */

/* One call of the model a program made, as `calls [...]` reads it. */
typedef struct SimReportCall {
	const char *name; /* "msgrcv", as sim_scn_program_calls names it (static) */
	gint64 ret;	  /* what it returned: -1 with err */
	int err;	  /* errno, or 0 */
	gboolean blocked; /* it waited in the model first */
} SimReportCall;

typedef struct SimReportRun {
	const void *data; /* what the functions read */
	/* The task index of program p (scn->programs[p]), or -1 with why appended to why */
	int (*program)(const void *data, int p, GString *why);
	const SimTask *(*task)(const void *data, int i); /* task i (SimRecv.from, lspid) */
	const char *(*name)(const void *data, int i);	 /* task i as "seen" shows it */
	const GArray *(*calls)(const void *data, int i); /* task i's SimReportCall, or NULL */
	const GPtrArray *msgqs;	  /* SimMsgq *: every SysV queue made, removed ones too */
	const GPtrArray *mqueues; /* SimMqueue *: every POSIX queue made, or NULL */
	gboolean deadlock;	  /* the run ended in a deadlock */
	SimTime now;		  /* the clock at the end */
} SimReportRun;

/* Judges e (of a programs file) on r; seen (may be NULL) gets what was observed. */
gboolean sim_report_program_expectation(const SimReportRun *r, const SimScnExpect *e,
					GString *seen);
/* Appends `PROC calls [...]` as e says it. */
void sim_report_describe_calls(GString *s, const SimScnExpect *e, const char *proc);

#endif /* MSGSIM_REPORT_H */
