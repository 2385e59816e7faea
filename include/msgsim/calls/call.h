/* call.h — the call table: one row per statement kind, grouped in call families.
 *
 * A call is one table entry, as a Redis command is one row of redisCommandTable: its
 * keyword, its family, and the functions every layer needs from it. Layers ask the row and
 * never switch over statement kinds themselves, so a new call touches its family's file,
 * its tests, the parser's table and the reference, nothing else.
 *
 *   family            file (sim/calls/)  statements
 *   control           call_control.c     compute sleep print repeat loop break
 *   mailboxes         call_mbox.c        send receive
 *   System V          call_sysv.c        msgget msgsnd msgrcv msgctl ipcs
 *   POSIX             call_posix.c       mq_open mq_send mq_receive mq_getattr mq_setattr
 *                                        mq_notify mq_close mq_unlink
 *   files, processes  call_file.c        pipe close read write fcntl ioctl mkfifo open
 *                                        unlink fork wait exit kill on
 *
 * Each family file holds its rows in an array of its own; sim/calls/call.c assembles them
 * into one table indexed by SimStmtKind the first time a row is asked for. Invariant: every
 * kind has exactly one row, no two rows share a keyword, and every row has a footprint
 * (sim_call_table_check says which is broken; a debug build asserts it when the table is
 * assembled).
 *
 * Each row also says what its call touches (its footprint, footprint.h): the kernel objects
 * it reads and those it changes, resolved against a world as execution would resolve them,
 * which is the dependency relation exploration needs. And whether it may block, which the
 * deadlock report uses to name what a stuck task is doing.
 *
 * The table is static data, read-only once assembled: rows may be shared by any number of
 * worlds and threads. Nothing here allocates.
 */
#ifndef MSGSIM_CALL_H
#define MSGSIM_CALL_H

#include "msgsim/calls/footprint.h"
#include "msgsim/engine/interp.h"
#include "msgsim/lang/scn.h"
#include "msgsim/output/trace.h"

/* The number of statement kinds: the table has one row for each. */
#define SIM_CALL_N_KINDS ((guint)SIM_STMT_N_KINDS)

typedef enum SimCallFamily {
	SIM_CALL_CONTROL, /* the body's own statements: time, output, control flow; no object */
	SIM_CALL_MBOX,	  /* the textbook's mailboxes, ports and direct links */
	SIM_CALL_SYSV,	  /* System V message queues (ipc/msg.c) */
	SIM_CALL_POSIX,	  /* POSIX message queues (ipc/mqueue.c) */
	SIM_CALL_FILE,	  /* descriptors, pipes, FIFOs (fs/pipe.c) and processes, signals */
	SIM_CALL_N_FAMILIES,
} SimCallFamily;

/* Writes what a call asked for, as the scenario wrote it ("msgsnd q type=1 \"hi\""). */
typedef void (*SimCallTextFn)(GString *s, const SimTraceEvent *ev);
/* Writes what came of it: the result after `arrow` (" -> " for a call, " returns " for a
 * blocked call that returned), or, when ev->blocked, how it blocked (sim_trace_blocked). */
typedef void (*SimCallResultFn)(GString *s, const SimTraceEvent *ev, const char *arrow);
/* Appends JSON fields (",\"key\":value") with sim_trace_json_str / sim_trace_json_int. */
typedef void (*SimCallJsonFn)(GString *s, const SimTraceEvent *ev);

/* Footprint: fills fp (empty on entry) with the objects task t's statement st reads and
 * changes if it runs now in w, its operands resolved as execution resolves them (see
 * footprint.h for the rule when they do not resolve). Reads the world, never changes it,
 * never allocates. */
typedef void (*SimCallFootprintFn)(const struct SimWorld *w, const struct SimTask *t,
				   const SimStmt *st, SimFootprint *fp);

typedef struct SimCallDesc {
	SimStmtKind kind;     /* the statement kind this row describes */
	const char *name;     /* its keyword, as the scenario writes it and the trace shows it */
	SimCallFamily family; /* the family whose file holds the row */
	SimOp op;	      /* the instruction sim_interp_compile emits for it */

	/* Trace: trace.c writes the event's framing (time, task, the generic fields) and asks
	 * these for the call's own part of a CALL or RETURN event. */
	SimCallTextFn text_call;     /* NULL: "?" (statements that are never traced as calls) */
	SimCallResultFn text_result; /* NULL: nothing on return; the generic line if blocked */
	SimCallJsonFn json_call;     /* its operands, right after "op"; NULL: none */
	SimCallJsonFn json_result;   /* its result, after the objects' state; NULL: none */

	/* Exploration and the report. */
	SimCallFootprintFn footprint; /* the objects it reads and changes; every row has one */
	gboolean blocks; /* it may wait for another task's call (a receive, a read, a wait):
			  * the deadlock report names a task stuck in it by this keyword */

	/* Room for the slices to come, each a field or two here, filled in by the families:
	 *   resolve    the parser's part: keyword arguments to operands (scn_stmt.c today)
	 *   exec       the call against its kernel objects (replaces `op`; interp*.c today)
	 *   replay     how a worker makes the real call (xcheck.c translate today)
	 *   compare    how the real result compares with the simulated one (xcheck.c today) */
} SimCallDesc;

/* Queries */
/* The row of a statement kind; never NULL for a kind of SimStmtKind. */
const SimCallDesc *sim_call_desc(SimStmtKind kind);
/* The family's name for people ("System V"). */
const char *sim_call_family_name(SimCallFamily family);
/* What st, a statement of task t, would read and change if it ran now (its row's
 * footprint); fp need not be initialised. Two calls of different tasks whose footprints do
 * not conflict (sim_footprint_conflicts) commute. */
void sim_call_footprint(const struct SimWorld *w, const struct SimTask *t, const SimStmt *st,
			SimFootprint *fp);
/* What the end of task t would change: exit's footprint, which is also that of a body's
 * end (the task exits with no statement to show for it) and part of a kill's on t. fp must
 * be initialised (sim_footprint_init); the references are added to it. */
void sim_call_footprint_end(const struct SimWorld *w, const struct SimTask *t, SimFootprint *fp);

/* Debug */
/* TRUE when every kind has exactly one row, its own, with a keyword no other row has and
 * a footprint; otherwise FALSE, with what is wrong appended to why (may be NULL). */
gboolean sim_call_table_check(GString *why);

#endif /* MSGSIM_CALL_H */
