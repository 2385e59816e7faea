/* exec.h — real, unmodified programs run on the simulated kernel (`msgsim exec`).
 *
 * Each guest is started under a seccomp filter whose listener (SECCOMP_FILTER_FLAG_NEW_LISTENER)
 * the supervisor holds: the filter sends msgget, msgsnd, msgrcv and msgctl, writes to standard
 * output and error, and the process calls (clone, fork, execve) to the supervisor, whoever
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

#endif /* MSGSIM_EXEC_H */
