/* exec.h — real, unmodified programs run on the simulated kernel (`msgsim exec`).
 *
 * Each guest is started under a seccomp filter whose listener (SECCOMP_FILTER_FLAG_NEW_LISTENER)
 * the supervisor holds: the filter sends msgget, msgsnd, msgrcv and msgctl, writes to standard
 * output and error, reads (those of the terminal, standard input, are served from --input),
 * and the process calls (clone, fork, execve) to the supervisor, whoever
 * makes them (glibc, syscall(2), a static binary). The supervisor serves the SysV calls with
 * the model's queues (kernel/msgq.h) and reads and writes the guests' memory with
 * process_vm_readv/writev. A blocked call is a notification left unanswered.
 *
 * The one design choice to know: guests are serialised. Nothing is answered while a guest
 * runs between two trapped calls; when every guest is parked at a call, blocked in the model
 * or dead, a seeded draw picks the next one. A guest's writes to its standard output and
 * error are trapped too, so what it prints lands in the trace in schedule order, and the
 * same seed gives the same run byte for byte. The text trace is the supervisor's own (calls
 * as C); the other formats get each call as the trace event of the scenario statement that
 * would have made it, through the engine's sinks (sim/exec/events.c).
 *
 * Isolation: the guests live in private IPC, PID and mount namespaces (so nothing they do
 * reaches the machine's IPC objects), with address randomisation off; their pids are small
 * and the same on every run. Every guest dies with the run, on every exit path: a private
 * init holds the PID namespace, and killing it (or the supervisor's death, through
 * PR_SET_PDEATHSIG) ends every process in it.
 */
#ifndef MSGSIM_EXEC_H
#define MSGSIM_EXEC_H

#include "msgsim/base.h"
#include "msgsim/explore/explore.h"

#define SIM_EXEC_MAX_GUESTS 64
#define SIM_EXEC_DEFAULT_MAX_MEMORY (G_GUINT64_CONSTANT(1) << 30) /* as run's */

typedef struct SimExecOptions {
	guint64 seed;
	gboolean program_output; /* print only what the programs print */
	guint64 max_steps;	 /* trapped calls served; 0: 10 million */
	guint timeout_ms;	 /* a guest running unseen longer than this stops the run; 0: 10 s */
	gboolean quiet;		 /* no trace at all (benchmarks) */
	const char *format;	 /* "jsonl", "chrome", "mermaid", "dot", "html"; NULL: the text */
	const char *output;	 /* where that format goes (-o FILE), or NULL: out */
	guint max_procs;	 /* processes in all, the programs given included; 0 (or more
				  * than SIM_EXEC_MAX_GUESTS): SIM_EXEC_MAX_GUESTS */
	const char *expect_file; /* --expect: expectations judged on the run, or NULL */
	const char *record_file; /* --record: where the run's expectations are written, or NULL */
	const struct SimLimits *limits; /* the model's (--sysctl), or NULL: the defaults */
	guint64 max_memory;	 /* bytes the model may hold; 0: SIM_EXEC_DEFAULT_MAX_MEMORY */
	/* The guests' standard input (--input): the lines reads of their terminal return, in
	 * schedule order, then end of file; NULL: end of file at once. Every run of a search
	 * starts it afresh. input_file names it for the command lines msgsim prints. */
	const char *input;
	gsize input_len;
	const char *input_file;
	/* Schedules (sim/exec/search.c): a witness to follow (sim_exec_schedule_parse), or
	 * NULL: the seeded draws pick. */
	struct SimExecChooser *chooser;
} SimExecOptions;

typedef enum SimExecStatus {
	SIM_EXEC_DONE,	   /* every guest exited */
	SIM_EXEC_DEADLOCK, /* guests remain, every one blocked in the model */
	SIM_EXEC_LIMIT,	   /* a guard rail stopped the run (steps, timeout) */
	SIM_EXEC_REFUSED,  /* a program did what is not supported, or could not be started */
	SIM_EXEC_FAILED,   /* every guest ended (or the deadlock was expected), and an
			    * expectation of --expect failed */
} SimExecStatus;

/* Runs the programs (argvs[i] a NULL-terminated argv) to the end; the trace goes to out.
 * FALSE with *error when the machine cannot run guests at all (no seccomp notification,
 * no namespaces): nothing was started then. */
gboolean sim_exec_run(char **const *argvs, guint n, const SimExecOptions *opt, FILE *out,
		      SimExecStatus *status, GError **error);

/* Probes the kernel: FALSE with a message naming the version needed when seccomp user
 * notification or SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP (Linux 6.6) is missing. */
gboolean sim_exec_supported(GError **error);

/* ---- Every schedule of the programs (sim/exec/search.c) ----
 * The programs are run again and again, each time from a choice sequence: at each choice
 * point (a guest about to make a call the model serves while another could too; every
 * other call is served first, as it touches nothing another guest sees) the sequence says
 * which guest goes. A plain depth-first search over those sequences, one fresh run per
 * execution, with the scenario search's bounds, outcome set and witnesses
 * (explore/explore.h). A witness is the pids that step at each choice point, a run of one
 * pid written PID*N ("2*3,3,2"); `exec --schedule WITNESS` follows one. */
typedef struct SimExecExploreResult {
	SimExploreResult r;	 /* outcomes, tallies (one per expect line), bounds, counts */
	char **expect_words;	 /* by expectation: its line's words (owned), or NULL */
	guint *expect_lines;	 /* by expectation: its line in the file */
	gboolean expect_deadlock; /* the file expects one: a deadlock is then no failure */
	char *refusal;		 /* why an execution was refused (owned): the search stopped */
} SimExecExploreResult;

typedef struct SimExecChooser SimExecChooser;
/* A witness to follow (`exec --schedule`): NULL with a clear error when text is not one. */
SimExecChooser *sim_exec_schedule_parse(const char *text, GError **error);
/* After the run: whether the witness did not fit it (said on standard error then). */
gboolean sim_exec_schedule_misfit(const SimExecChooser *ch);
void sim_exec_chooser_free(SimExecChooser *ch);

/* Explores the programs under opt (its seed, rails, --expect file, limits; not its trace
 * options) and eo's bounds (max_executions, max_seconds, max_depth: choice points per
 * execution, and progress). FALSE with *error when the machine cannot run guests or the
 * expectations file is bad. */
gboolean sim_exec_explore(char **const *argvs, guint n, const SimExecOptions *opt,
			  const SimExploreOptions *eo, SimExecExploreResult *res, GError **error);
void sim_exec_explore_result_clear(SimExecExploreResult *res);

#endif /* MSGSIM_EXEC_H */
