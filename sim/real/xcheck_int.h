/* xcheck_int.h — the cross-check's private header: the run's state, what its files share.
 *
 * Only sim/xcheck*.c include it. One Xc is a whole run, held by the coordinator process:
 * the model's world, the sandbox, one XTask per simulated task (its worker and the call it
 * has in the kernel), the mailboxes' POSIX queues, the shared-mode maps, the report being
 * written. The files divide the run's work, not its state:
 *
 *   xcheck.c          the lockstep: the call hook, translating a call, waiting for the
 *                     kernel to be quiet, steering, setup, cleanup, stop signals, and the
 *                     caller's side (sim_xcheck_run)
 *   xcheck_compare.c  a call's result on both sides as cells, and the final state
 *   xcheck_mbox.c     textbook mailboxes replayed on POSIX queues
 *   xcheck_report.c   the table's rows, the first mismatch in context, the report text
 *
 * Functions shared between the files carry the xc_ prefix; each file's own helpers stay
 * static. fail, real_id, real_mq, stmt_text and stmt_word keep their names: translate's code
 * in xcheck.c calls them by those names.
 */
#ifndef MSGSIM_XCHECK_INT_H
#define MSGSIM_XCHECK_INT_H

#include "msgsim/real/xcheck.h"

#include <stdio.h>

#include "msgsim/real/real.h"
#include "msgsim/engine/world.h"
/* The coordinator reads the model's queues, tasks and limits to compare them with the
 * kernel's, and gives each task its real pid: see world_int.h. It resolves operands and
 * reads call results through interp.h and world.h only. */
#include "engine/world_int.h"

#define XC_MBOX_MAX 50 /* mailboxes replayed; their descriptors sit below the worker's */
#define XC_MBOX_FD(i, nowait) (SIM_REAL_FD_BASE - 2 * XC_MBOX_MAX + 2 * (int)(i) + !!(nowait))

typedef struct XTask {
	SimRealWorker wk;
	gboolean started;   /* it has a real process (spawned, or forked by its parent) */
	gboolean gone;	    /* it exited or died for real */
	gboolean sent;	    /* a call is in the kernel (its answer not consumed) */
	gboolean answered;  /* ... and the kernel has answered it */
	gboolean died;	    /* the worker died in a call or idle, not yet accounted */
	gboolean timed;	    /* the call has a deadline */
	gint64 deadline_us; /* its real deadline (monotonic), when timed */
	SimRealOp op;
	SimRealResult res;
	char *data;    /* the answer's bytes (owned) */
	pid_t pid;     /* its real pid, kept after it is gone (lspid, lrpid) */
	gint64 qid;    /* the SysV queue of its last msgsnd, msgrcv or msgctl */
	gint64 key;    /* the key of its last msgget (the kernel's) */
	gboolean excl; /* ... and it was IPC_CREAT | IPC_EXCL: a queue it gets is new */
	GString *msg;  /* its last msgsnd's message, to find it in the real queue */
	guint slot;    /* fork children: the slot in the top-level ancestor's family */
	guint n_desc;  /* fork children: how many descendants it has (the slots after it) */
	guint n_kids;  /* top-level tasks: the family, every descendant, in slot order */
	int *kids;
	char *path; /* the sandbox name of its last mkfifo, open or unlink (owned) */
	char *mq;   /* shared mode: the kernel's name of its last mq_open or mq_unlink (owned) */
	gboolean mq_excl; /* ... an mq_open the run made exclusive: the run had no live queue
			   * of that name, so it creates one or meets a stranger's (EEXIST) */
} XTask;

/* A textbook mailbox's POSIX queue. */
typedef struct XMbox {
	char *name;	/* "/msgsim.mailbox.NAME" */
	gint64 maxmsg;	/* the capacity, or what the run needs when it never fills up */
	gint64 msgsize; /* the longest message the run sends */
} XMbox;

typedef struct Xc {
	const SimScenario *scn;
	const char *file;
	const SimXcheckOptions *opt;
	SimWorld *w;
	SimRealSandbox sb;
	XTask *x;
	guint n;
	SimRealWorker inspector; /* asks for the final state */
	XMbox *mb;		 /* one per declared mailbox */
	gboolean paced;
	gint64 base_us; /* real time of model time 0 (paced runs) */
	GString *rows;	/* the table */
	GString *first; /* the first mismatch, in context */
	guint calls, checks, mismatches;
	guint step; /* number of the current step (a call, an exit, a death) */
	char *failed;
	char *unsupported;
	/* Shared mode (no private IPC namespace, sb.shared): why, and the maps between the
	 * model's SysV keys and ids and the kernel's, both ways (keys and ids are ints). */
	char *shared_why;
	char *shared_note; /* the report's line about it */
	GHashTable *keys, *rkeys, *ids, *rids;
	/* ... and the run's own live queues: kernel key -> id, and id -> key. Only a queue a
	 * msgget with IPC_CREAT | IPC_EXCL made is the run's. */
	GHashTable *own, *own_key;
	/* ... and the kernel's names of its live POSIX queues (a set). Only a queue an
	 * mq_open with O_CREAT | O_EXCL made is the run's. */
	GHashTable *own_mq;
	/* the model's text trace, for the context of the first mismatch */
	char *tbuf;
	size_t tlen;
	FILE *tfp;
	SimTrace *trace;
} Xc;

/* A result as both sides write it: "ok 5 \"hello\" type=2", "EAGAIN", "blocks". */
typedef struct Cell {
	int err;
	gint64 ret;
	gboolean has_ret2;
	gint64 ret2;
	const char *ret2_name; /* "type", "prio", "wfd", "status", "count" */
	const char *data;
	gsize len;
	gboolean has_data;
	gboolean data_differs; /* the kernel's data is not the model's (perhaps beyond what
				* is shown) */
	gsize skip;	       /* show the data from this byte on (where they differ) */
	GString *extra;	       /* stat fields, " qnum=1 cbytes=5 ..." */
} Cell;

/* ---- xcheck.c: the coordinator's services ---- */

/* The run fails (the first reason is kept) and the model stops. */
void fail(Xc *xc, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
/* Runs one call in a worker and waits for its answer (setup and inspection); FALSE when
 * the run failed. */
gboolean xc_call_now(Xc *xc, SimRealWorker *wk, SimRealOp op, const gint64 a[6], const char *data,
		     SimRealResult *r, char **out);
/* A one-off worker with the given credentials, for creating objects; and its end. */
gboolean xc_with_creator(Xc *xc, gint64 uid, gint64 gid, guint caps, SimRealWorker *wk);
void xc_end_creator(Xc *xc, SimRealWorker *wk);
/* The system call a worker sleeps in for op (-1: it never blocks). */
long xc_blocking_nr(SimRealOp op);
/* The call's name as the table shows it, or NULL when st is not a system call. */
const char *stmt_word(const SimStmt *st);
/* The text of st as t would make it now, or fallback. */
void stmt_text(SimWorld *w, const SimTask *t, const SimStmt *st, const char *fallback,
	       GString *data);
/* Shared mode: the kernel's id and POSIX queue name for the model's; the model's id for
 * the kernel's (odd: they do not correspond); IPC_STAT fields as the model writes them. */
gint64 real_id(const Xc *xc, gint64 id);
char *real_mq(Xc *xc, const char *name, gboolean creates);
gint64 xc_model_id(Xc *xc, gint64 kid, gint64 mid, gboolean *odd);
void xc_kernel_stat(const Xc *xc, const gint64 stat[12], gint64 f[11]);

/* ---- xcheck_compare.c: both sides of a call, and the end ---- */

char *xc_cell_text(const Cell *c);
/* Compares the model's finished call st with x's answer (or its death, or none). */
void xc_compare_call(Xc *xc, SimWorld *w, const SimTask *t, const SimStmt *st, XTask *x);
/* A kernel answer or death the model has not given: a mismatch now. */
void xc_check_unexpected(Xc *xc);
/* Tasks still blocked, every queue's state, the messages left in each mailbox. */
void xc_final_state(Xc *xc);

/* ---- xcheck_mbox.c: mailboxes on POSIX queues ---- */

/* NULL when the scenario's mailboxes can be replayed, else why not (allocated). */
char *xc_mailboxes_unsupported(const SimScenario *scn);
gboolean xc_size_mailboxes(Xc *xc);
gboolean xc_create_mailboxes(Xc *xc);
gboolean xc_open_mailboxes(Xc *xc, XTask *x, const char *who);

/* ---- xcheck_report.c: the report ---- */

/* One comparison: counted, a row in the table, the first mismatch with the trace before. */
void xc_row(Xc *xc, const SimTask *t, const char *call, guint line, const char *model,
	    const char *kernel, gboolean match);
/* The coordinator's verdict, reason and report text, from what the run found. */
void xc_report_finish(Xc *xc, SimXcheckReport *rep);
/* The caller's: a run refused before anything real started, NOT_CHECKABLE or STOPPED
 * (takes reason); a coordinator that died or ran out of its ms; a stop signal that came
 * to the caller, appended to whatever the coordinator reported. A lost coordinator's
 * status (waitpid) says what ended it when it did not run out of time; slow, when not
 * NULL, why a paced run needs more time than it had. */
void xc_report_refused(SimXcheckReport *rep, const char *file, SimXcheckVerdict v, char *reason);
void xc_report_lost(SimXcheckReport *rep, const char *file, gboolean timed_out, int ms,
		    int status, const char *slow);
void xc_report_interrupted(SimXcheckReport *rep, const char *file, int signo);

#endif /* MSGSIM_XCHECK_INT_H */
