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
 *   files             call_file.c        pipe read write mkfifo open unlink
 *                     call_fd.c          close dup dup2 dup3 fcntl ioctl
 *                     call_seek.c        lseek pread pwrite
 *                     call_stat.c        fstat stat ftruncate truncate
 *   processes         call_proc.c        fork wait exit kill on
 *                     call_cred.c        setuid seteuid setgid
 *                     call_thread.c      thread join
 *   semaphores        call_sem.c         semget semop semctl
 *   shared memory     call_shm.c         shmget shmat shmdt shmctl shmwrite shmread
 *   sockets           call_sock.c        socketpair sendto recv shutdown socket bind
 *                                        listen accept connect
 *   ALPC ports        call_alpc.c        alpc_create alpc_connect alpc_accept alpc_send
 *                                        alpc_receive alpc_reply alpc_close
 *   readiness         call_poll.c        poll select (in the files family)
 *
 * Each family file holds its rows in an array of its own; sim/calls/call.c assembles them
 * into one table indexed by SimStmtKind, and an index by keyword for the parser, the first
 * time a row is asked for. Invariant: every kind has exactly one row, with a parse hook and
 * a footprint, every row that may block has a wait role, and no two rows share a keyword
 * (sim_call_table_check says which is broken; a debug build asserts it when the table is
 * assembled).
 *
 * Each row also says what its call touches (its footprint, footprint.h): the kernel objects
 * it reads and those it changes, resolved against a world as execution would resolve them,
 * which is the dependency relation exploration needs. And whether it may block, which the
 * deadlock report uses to name what a stuck task is doing, and its role toward the object
 * a stuck task waits on (it puts, takes or opens; which such objects it can reach), from
 * which the report tells who could still release that task.
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
	SIM_CALL_FILE,	  /* descriptors, pipes, FIFOs (fs/pipe.c) */
	SIM_CALL_PROC,	  /* processes and signals: fork, wait, exit, kill, sigaction */
	SIM_CALL_SEM,	  /* XSI semaphore sets (ipc/sem.c) */
	SIM_CALL_SHM,	  /* XSI shared memory (ipc/shm.c) */
	SIM_CALL_SOCK,	  /* UNIX-domain socket pairs (net/unix/af_unix.c) */
	SIM_CALL_ALPC,	  /* the lecture's ALPC-style ports (no Linux counterpart) */
	SIM_CALL_N_FAMILIES,
} SimCallFamily;

/* Writes what a call asked for, as the scenario wrote it ("msgsnd q type=1 \"hi\""). */
typedef void (*SimCallTextFn)(GString *s, const SimTraceEvent *ev);
/* Writes what came of it: the result after `arrow` (" -> " for a call, " returns " for a
 * blocked call that returned), or, when ev->blocked, how it blocked (sim_trace_blocked). */
typedef void (*SimCallResultFn)(GString *s, const SimTraceEvent *ev, const char *arrow);
/* Appends JSON fields (",\"key\":value") with sim_trace_json_str / sim_trace_json_int. */
typedef void (*SimCallJsonFn)(GString *s, const SimTraceEvent *ev);
/* Whether st asked not to block (`nowait`, IPC_NOWAIT, `nonblock`), as its family keeps it. */
typedef gboolean (*SimCallNowaitFn)(const SimStmt *st);

/* The scenario parser's state (sim/lang/scn_int.h), opaque here: the families' hooks include
 * that header for the helpers they read with. */
typedef struct SimScnParser SimScnParser;
/* Reads what follows the call's keyword into st, whose head is set (kind, id, location, ep
 * and var at their defaults) and whose family arguments are not: the hook sets its family's
 * member (SimStmt's union) to the family's defaults first. FALSE on error, with the error in
 * the parser (the first one stops it). */
typedef gboolean (*SimCallParseFn)(SimScnParser *p, SimStmt *st);
/* The call's checks that need the whole file, once every name is resolved (a send's to=
 * against its mailbox's deliver=); FALSE on error, as above. */
typedef gboolean (*SimCallResolveFn)(SimScnParser *p, const SimStmt *st);

/* Cross-check: the real kernel's side of a call (sim/real/xcheck*.c). The families see the
 * coordinator only through the section "The families' interface" of sim/real/xcheck_int.h;
 * here its types are opaque. */
struct SimXcheckRun;  /* one cross-check run, the coordinator's state (xcheck_int.h's Xc) */
struct SimXcCell;     /* one side of a compared call as the report shows it (Cell) */
struct SimRealCall;   /* a call for a worker to make (real.h) */
struct SimRealResult; /* ... and the kernel's answer */
/* What a replay hook is given: the run, the model's world, the task t making st now, the
 * call to fill and the bytes it sends. One struct, so that a hook names only what it uses. */
typedef struct SimReplay {
	struct SimXcheckRun *xc;
	struct SimWorld *w;
	const SimTask *t;
	const SimStmt *st;
	struct SimRealCall *c; /* op and a[]: zeroed before */
	GString *data;	       /* empty before */
} SimReplay;
/* Fills r->c and r->data for r->st as r->t would make it now. FALSE: no real call is made:
 * st cannot be replayed (it said why with xc_refuse), or the run failed. */
typedef gboolean (*SimCallReplayFn)(SimReplay *r);
/* The model's side of the finished call st, as a model_cell hook is given it: m has its
 * errno and return value already; the hook adds what else the call gives (data, a second
 * value, stat fields). */
typedef struct SimModelCell {
	struct SimXcheckRun *xc;
	struct SimWorld *w;
	const SimTask *t;
	const SimStmt *st;
	struct SimXcCell *m;
} SimModelCell;
typedef void (*SimCallModelCellFn)(SimModelCell *mc);
/* The kernel's side, in the same shape, from its answer r and the bytes it gave (data, may
 * be NULL); k has r's errno and return value already. m is the model's side: where the data
 * differ both are shown from there. */
typedef struct SimKernelCell {
	struct SimXcheckRun *xc;
	const SimStmt *st;
	const struct SimRealResult *r;
	const char *data;
	struct SimXcCell *m;
	struct SimXcCell *k;
} SimKernelCell;
typedef void (*SimCallKernelCellFn)(SimKernelCell *kc);
/* Why st can be replayed in a private IPC namespace only, as a clause that follows the
 * call's name in the report ("IPC_INFO tells about every queue of the namespace, ..."), or
 * NULL when it can be replayed in the machine's own. Such a call is left out there. */
typedef const char *(*SimCallWholeNsFn)(const SimStmt *st);
/* Why st can never be replayed on the real kernel, in scn (allocated), or NULL: asked of
 * every statement before the run, which is then not cross-checkable. */
typedef char *(*SimCallUnreplayableFn)(const SimScenario *scn, const SimStmt *st);
/* What the cross-check's setup asks of a call before the run (SimCallDesc.xc_flags). */
enum {
	SIM_CALL_XC_TIMED = 1u << 0, /* with a timeout it has a deadline: the run is paced */
	SIM_CALL_XC_PATH = 1u << 1,  /* it names a path: the run needs its sandbox directory */
};

/* Footprint: fills fp (empty on entry) with the objects task t's statement st reads and
 * changes if it runs now in w, its operands resolved as execution resolves them (see
 * footprint.h for the rule when they do not resolve). Reads the world, never changes it,
 * never allocates. */
typedef void (*SimCallFootprintFn)(const struct SimWorld *w, const struct SimTask *t,
				   const SimStmt *st, SimFootprint *fp);

/* Deadlock report: what a call does to the kind of object a blocked task waits on (a
 * mailbox, a SysV or POSIX queue, a pipe, a child), so that the report finds, by asking the
 * rows, which statements of a body could still release a stuck task. A mask: a receiver is
 * released by a call that PUTS, a sender by one that TAKES, a FIFO opener by one that OPENS,
 * and msgctl counts as BOTH (its IPC_RMID wakes either side). */
typedef enum SimCallWaitRole {
	SIM_WAIT_NONE = 0,	 /* it neither waits on such an object nor releases one */
	SIM_WAIT_PUTS = 1 << 0,	 /* it puts in: send, write, mq_send, msgsnd */
	SIM_WAIT_TAKES = 1 << 1, /* it takes out: receive, read, mq_receive, msgrcv, wait */
	SIM_WAIT_BOTH = SIM_WAIT_PUTS | SIM_WAIT_TAKES, /* either side's waiters: msgctl */
	SIM_WAIT_OPENS = 1 << 2, /* it opens it: a FIFO's open waits for another open */
} SimCallWaitRole;
/* Whether st, a statement of t's body, can reach obj (an object of its row's wait_obj kind)
 * whenever it runs, whatever t's variables hold then: a reply may go to any inbox, an id
 * variable may name any queue. A static look at the program, where the footprint resolves
 * the operands as they are now; t is read only for what never changes (its inbox). */
typedef gboolean (*SimCallReachesFn)(const struct SimWorld *w, const struct SimTask *t,
				     const SimStmt *st, const SimObjRef *obj);

typedef struct SimCallDesc {
	SimStmtKind kind;     /* the statement kind this row describes */
	const char *name;     /* its keyword, as the scenario writes it and the trace shows it */
	SimCallFamily family; /* the family whose file holds the row */
	SimOp op;	      /* control flow only (rows without exec): REPEAT, JUMP, BREAK */

	/* Trace: trace.c writes the event's framing (time, task, the generic fields) and asks
	 * these for the call's own part of a CALL or RETURN event. */
	SimCallTextFn text_call;     /* NULL: "?" (statements that are never traced as calls) */
	SimCallResultFn text_result; /* NULL: nothing on return; the generic line if blocked */
	SimCallJsonFn json_call;     /* its operands, right after "op"; NULL: none */
	SimCallJsonFn json_result;   /* its result, after the objects' state; NULL: none */
	SimCallNowaitFn nowait;	     /* JSON "nowait":true after json_call when it says so;
				      * NULL: the call has no such option */
	/* TRUE: the line of a CALL or RETURN event of this row, in both formats, is made of the
	 * event's names (task, other, object, msg_from, reason: texts that live as long as
	 * the scenario), its statement, err, blocked, and its message's text, type and
	 * priority, with the message's sequence number written by sim_trace_seq, and nothing
	 * else: the trace may then remember the line and write it again for the next event
	 * that has all of these the same (trace.c, "The line memo"). */
	gboolean trace_memo;

	/* Scenario: scn_stmt.c reads the label and the keyword, then the row reads the rest;
	 * scn_resolve.c asks each statement's row for its checks once names are resolved. */
	SimCallParseFn parse;	  /* never NULL: every call has a form in the language */
	SimCallResolveFn resolve; /* NULL: nothing to check beyond names and variables */
	/* TRUE when what follows the statement just read is another of its kind written on
	 * (`ipcrm -q 1 -s 2`): scn_stmt.c reads it with parse as the next statement. NULL:
	 * a statement never goes on. */
	gboolean (*more)(SimScnParser *p);

	/* Execution: the call against its kernel objects, in its family's file. The compiler
	 * gives every statement whose row has an exec one CALL instruction carrying it
	 * (interp.h); each follows the call protocol of sim/engine/interp_int.h. */
	SimCallExecFn exec;    /* NULL: control flow, compiled from `op` instead */
	SimCallExecFn abandon; /* its task dies in the middle of it (sim_interp_abandon):
				* undo or finish what it holds; NULL: nothing to do */

	/* Cross-check: how a worker makes the call on the real kernel and how the two results
	 * are compared. real_name NULL: not a system call, never replayed (replay NULL too). */
	const char *real_name;		    /* the system call the report names ("sigaction") */
	guint xc_flags;			    /* SIM_CALL_XC_* */
	SimCallReplayFn replay;		    /* NULL: nothing to replay */
	SimCallModelCellFn model_cell;	    /* NULL: errno and return value are the whole cell */
	SimCallKernelCellFn kernel_cell;    /* NULL: likewise */
	SimCallWholeNsFn whole_namespace;   /* NULL: no form of it does */
	SimCallUnreplayableFn unreplayable; /* NULL: every form can be */

	/* Exploration and the report. */
	SimCallFootprintFn footprint; /* the objects it reads and changes; every row has one */
	gboolean blocks; /* it may wait for another task's call (a receive, a read, a wait):
			  * the deadlock report names a task stuck in it by this keyword */
	/* Deadlock report: its part toward the object a blocked task waits on. Every row that
	 * blocks has a role; msgctl, which never blocks, has one too, as it releases waiters. */
	SimCallWaitRole wait_role; /* SIM_WAIT_NONE: it never waits and never releases */
	SimObjKind wait_obj;	   /* the kind of that object; read only with a role */
	SimCallReachesFn reaches;  /* NULL: it may reach every object of that kind */
} SimCallDesc;

/* Queries */
/* The row of a statement kind; never NULL for a kind of SimStmtKind. */
const SimCallDesc *sim_call_desc(SimStmtKind kind);
/* The row whose keyword is name ("mq_send"), or NULL when no call has it: how the parser
 * finds a statement's reader. A binary search of the index built with the table. */
const SimCallDesc *sim_call_by_name(const char *name);
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

/* st's role toward objects of kind `kind` (its row's wait_role when its wait_obj is that
 * kind), SIM_WAIT_NONE otherwise or when st is NULL (a body's end). */
SimCallWaitRole sim_call_wait_role(const SimStmt *st, SimObjKind kind);
/* TRUE when st, a statement of t's body, has a role that includes some of `role` toward
 * obj's kind and can reach obj (its row's reaches): whether it could release a task that
 * waits on obj for a call of that role. Static: see SimCallReachesFn. */
gboolean sim_call_reaches(const struct SimWorld *w, const struct SimTask *t, const SimStmt *st,
			  SimCallWaitRole role, const SimObjRef *obj);

/* Does any body of scn set an alarm (call_alarm.c)? Its SIGALRM comes at a moment of the
 * clock: what neither the real kernel's lockstep nor an untimed exploration can follow. */
gboolean sim_call_alarm_used(const SimScenario *scn);
/* Does scn send a stop signal (a kill, or an mq_notify sigevent)? The cross-check then
 * holds its workers back by ptrace instead of SIGSTOP (xcheck_stop.c). */
gboolean sim_call_sends_stop(const SimScenario *scn);
/* Readiness (call_poll.c): wakes every task blocked in poll or select (w->pollers) whose
 * descriptors are now ready, as the objects' wake-ups would. Called after each step of
 * `waker` (the trace names it, even when the step was its exit). */
void sim_call_poll_recheck(struct SimWorld *w, const struct SimTask *waker);
/* Whether st, a row with SIM_CALL_XC_TIMED, has a deadline as written: a POSIX timed call
 * or a semtimedop with timeout= or deadline=, a poll or select with a timeout above 0. */
gboolean sim_call_has_deadline(const SimStmt *st);
/* The open files st, a poll or select of task t, watches now, in the order written (a
 * descriptor not open is left out), at most max of them in out; returns how many. For
 * the deadlock report, which names who could make one of them ready. */
guint sim_call_poll_files(const struct SimTask *t, const SimStmt *st, const struct SimFile **out,
			  guint max);

/* Debug */
/* st's arguments of family fam, through its union member m: SIM_STMT_ARGS(st, SIM_CALL_SYSV,
 * sysv).cmd. For code outside a family's file that reads them, where the member of another
 * family would be silent garbage: a debug build asserts that st's row is of family fam;
 * otherwise it is plain st->m. */
#ifdef MSGSIM_DEBUG
#define SIM_STMT_ARGS(st, fam, m) (sim_call_stmt_of((st), (fam))->m)
#else
#define SIM_STMT_ARGS(st, fam, m) ((st)->m)
#endif
/* st, once asserted to be a statement of family fam (SIM_STMT_ARGS). */
const SimStmt *sim_call_stmt_of(const SimStmt *st, SimCallFamily fam);
/* TRUE when every kind has exactly one row, its own, with a keyword no other row has and
 * a footprint; otherwise FALSE, with what is wrong appended to why (may be NULL). */
gboolean sim_call_table_check(GString *why);

#endif /* MSGSIM_CALL_H */
