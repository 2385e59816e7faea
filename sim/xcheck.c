/* xcheck.c — the cross-check coordinator (see xcheck.h for the protocol).
 *
 * One XTask per simulated task holds its worker and the state of the call it has in the
 * kernel: sent, answered (result kept until the model's return consumes it), or died.
 * Everything runs from the world's call hook, synchronously: the model stands still while
 * the kernel catches up, so the order of calls is the model's.
 */
#define _GNU_SOURCE

#include "msgsim/xcheck.h"

#include <errno.h>
#include <fcntl.h>
#include <mqueue.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/msg.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "msgsim/call.h"
#include "msgsim/interp.h"
#include "msgsim/real.h"
#include "msgsim/report.h"
#include "msgsim/trace.h"
#include "msgsim/world.h"
/* The coordinator reads the model's queues, tasks and limits to compare them with the
 * kernel's, and gives each task its real pid: see world_int.h. It resolves operands and
 * reads call results through interp.h and world.h only. */
#include "world_int.h"

#define NO_PID 0x7ffffff0    /* above any pid_max: kill gives ESRCH, waitpid ECHILD */
#define DATA_SHOWN 40	     /* bytes of data a report cell shows */
#define CONTEXT_BEFORE 10    /* trace lines shown before the first mismatch */
#define XC_MQ_PRIO_MAX 32768 /* a POSIX queue's priorities are 0 to MQ_PRIO_MAX - 1 */
#define XC_MBOX_MAX 50	     /* mailboxes replayed; their descriptors sit below the worker's */
#define XC_MBOX_FD(i, nowait) (SIM_REAL_FD_BASE - 2 * XC_MBOX_MAX + 2 * (int)(i) + !!(nowait))
#define XC_HARD_MSGMAX 65536 /* the most messages a POSIX queue can hold (HARD_MSGMAX) */
/* After a stop signal: how long the coordinator may take to clean up before the caller
 * kills it and sweeps; and how long a msgget in flight may take to answer (its id must be
 * recorded to be removed). */
#define STOP_GRACE_MS 10000
#define STOP_ANSWER_MS 500

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
	/* the model's text trace, for the context of the first mismatch */
	char *tbuf;
	size_t tlen;
	FILE *tfp;
	SimTrace *trace;
} Xc;

/* ---- Verdicts and reports ---- */

const char *sim_xcheck_verdict_name(SimXcheckVerdict v)
{
	switch (v) {
	case SIM_XCHECK_MATCH:
		return "match";
	case SIM_XCHECK_MISMATCH:
		return "MISMATCH";
	case SIM_XCHECK_NOT_CHECKABLE:
		return "not cross-checkable";
	case SIM_XCHECK_FAILED:
		return "FAILED";
	case SIM_XCHECK_INTERRUPTED:
		return "interrupted";
	case SIM_XCHECK_STOPPED:
		return "stopped";
	}
	return "?";
}

void sim_xcheck_report_clear(SimXcheckReport *r)
{
	if (!r)
		return;
	g_free(r->text);
	g_free(r->reason);
	memset(r, 0, sizeof(*r));
}

/* Why a textbook call in b has no POSIX queue counterpart (allocated), or NULL. */
static char *mailbox_calls_unsupported(const SimScenario *scn, const SimBlock *b)
{
	for (guint i = 0; i < b->n_stmts; i++) {
		const SimStmt *st = &b->stmts[i];
		if (st->kind == SIM_STMT_SEND || st->kind == SIM_STMT_RECEIVE) {
			if (st->ep.kind != SIM_EP_MBOX)
				return g_strdup_printf("line %u: direct send/receive between "
						       "processes has no kernel counterpart",
						       st->loc.line);
			const SimScnMbox *mb = &scn->mboxes[st->ep.index];
			if (st->kind == SIM_STMT_SEND && mb->order == SIM_ORDER_PRIORITY &&
			    (st->prio < 0 || st->prio >= XC_MQ_PRIO_MAX))
				return g_strdup_printf("line %u: prio=%" G_GINT64_FORMAT
						       " is outside a POSIX "
						       "queue's priorities (0 to %d)",
						       st->loc.line, st->prio, XC_MQ_PRIO_MAX - 1);
		}
		char *why = mailbox_calls_unsupported(scn, &st->body);
		if (why)
			return why;
	}
	return NULL;
}

/* Textbook mailboxes are replayed on POSIX queues when the queue behaves the same: bounded
 * or unbounded, messages in FIFO or priority order, waiters served longest first. */
static char *mailboxes_unsupported(const SimScenario *scn)
{
	if (scn->n_mboxes > XC_MBOX_MAX)
		return g_strdup_printf("%u mailboxes: at most %d are replayed", scn->n_mboxes,
				       XC_MBOX_MAX);
	for (guint i = 0; i < scn->n_mboxes; i++) {
		const SimScnMbox *mb = &scn->mboxes[i];
		if (mb->capacity == 0)
			return g_strdup_printf("mailbox %s: a capacity-0 (rendezvous) mailbox has "
					       "no kernel counterpart",
					       mb->name);
		if (mb->deliver != SIM_DELIVER_FIRST_WAITER)
			return g_strdup_printf("mailbox %s: deliver=%s is a textbook policy; the "
					       "kernel gives a message to the longest waiter",
					       mb->name, sim_scn_deliver_name(mb->deliver));
		if (mb->waiters != SIM_ORDER_FIFO)
			return g_strdup_printf("mailbox %s: waiters ordered by scheduling "
					       "priority; a POSIX queue orders them by nice",
					       mb->name);
		if (mb->owner >= 0)
			return g_strdup_printf("%s %s is destroyed with its owner %s; a POSIX "
					       "queue is not",
					       mb->is_port ? "port" : "mailbox", mb->name,
					       scn->procs[mb->owner].name);
	}
	for (guint i = 0; i < scn->n_bodies; i++) {
		char *why = mailbox_calls_unsupported(scn, &scn->bodies[i]->block);
		if (why)
			return why;
	}
	/* A POSIX queue's waiters are ordered by nice before arrival: equal nice values
	 * make that the mailbox's arrival order. */
	if (scn->n_mboxes > 0)
		for (guint i = 1; i < scn->n_procs; i++)
			if (scn->procs[i].nice != scn->procs[0].nice)
				return g_strdup_printf(
					"mailbox waiters are served in arrival order, a POSIX "
					"queue's by nice first, and %s and %s have different nice "
					"values",
					scn->procs[0].name, scn->procs[i].name);
	return NULL;
}

/* The first statement of the scenario's bodies (nested blocks included) that `is`, or
 * NULL. */
static const SimStmt *find_in_block(const SimBlock *b, gboolean (*is)(const SimStmt *))
{
	for (guint i = 0; i < b->n_stmts; i++) {
		const SimStmt *st = &b->stmts[i];
		if (is(st))
			return st;
		const SimStmt *inner = find_in_block(&st->body, is);
		if (inner)
			return inner;
	}
	return NULL;
}

static const SimStmt *find_stmt(const SimScenario *scn, gboolean (*is)(const SimStmt *))
{
	for (guint i = 0; i < scn->n_bodies; i++) {
		const SimStmt *st = find_in_block(&scn->bodies[i]->block, is);
		if (st)
			return st;
	}
	return NULL;
}

static gboolean is_timed_call(const SimStmt *st)
{
	return (st->kind == SIM_STMT_MQ_SEND || st->kind == SIM_STMT_MQ_RECEIVE) &&
	       (st->timeout == SIM_TIMEOUT_RELATIVE || st->timeout == SIM_TIMEOUT_ABSOLUTE);
}

static gboolean is_path_call(const SimStmt *st)
{
	return st->kind == SIM_STMT_MKFIFO || st->kind == SIM_STMT_OPEN ||
	       st->kind == SIM_STMT_UNLINK;
}

static gboolean is_namespace_info(const SimStmt *st)
{
	return st->kind == SIM_STMT_MSGCTL &&
	       (st->ctl == SIM_CTL_INFO || st->ctl == SIM_CTL_MSG_INFO);
}

/* Why the scenario cannot be replayed in the machine's own IPC namespace (allocated), or
 * NULL: there the machine's limits hold, and IPC_INFO's answer counts every queue. */
static char *shared_unsupported(const SimScenario *scn)
{
	SimLimits have;
	g_autoptr(GError) err = NULL;
	if (!sim_real_sandbox_read_limits(&have, &err))
		return g_strdup_printf("without a private IPC namespace the machine's limits "
				       "hold, and %s",
				       err->message);
	for (guint i = 0; i < SIM_LIMIT_COUNT; i++) {
		gint64 h = sim_limits_get(&have, (SimLimitId)i);
		gint64 want = sim_limits_get(&scn->limits, (SimLimitId)i);
		if (h != want)
			return g_strdup_printf(
				"without a private IPC namespace the machine's limits hold, and "
				"%s is %" G_GINT64_FORMAT
				" here where the scenario has %" G_GINT64_FORMAT,
				sim_limits_table[i].sysctl, h, want);
	}
	const SimStmt *st = find_stmt(scn, is_namespace_info);
	if (st)
		return g_strdup_printf("line %u: msgctl %s tells about every queue of the "
				       "namespace, and without a private one that is the machine's",
				       st->loc.line,
				       st->ctl == SIM_CTL_INFO ? "IPC_INFO" : "MSG_INFO");
	return NULL;
}

char *sim_xcheck_unsupported(const SimScenario *scn)
{
	char *why = mailboxes_unsupported(scn);
	if (why)
		return why;
	return NULL;
}

/* ---- Cells: how a result reads in the table ---- */

/* The data, DATA_SHOWN bytes of it from byte skip on ("+skip" before, "+rest" after). */
static void append_data(GString *s, const char *data, gsize len, gsize skip)
{
	skip = MIN(skip, len);
	gsize shown = MIN(len - skip, (gsize)DATA_SHOWN);
	g_string_append_c(s, ' ');
	if (skip)
		g_string_append_printf(s, "+%zu", skip);
	sim_trace_quote(s, data + skip, shown);
	len -= skip;
	if (shown < len)
		g_string_append_printf(s, "+%zu", len - shown);
}

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

static char *cell_text(const Cell *c)
{
	GString *s = g_string_new(NULL);
	if (c->err) {
		g_string_append(s, sim_errno_name(c->err));
		return g_string_free(s, FALSE);
	}
	g_string_append_printf(s, "ok %" G_GINT64_FORMAT, c->ret);
	if (c->has_data)
		append_data(s, c->data, c->len, c->skip);
	if (c->has_ret2)
		g_string_append_printf(s, " %s=%" G_GINT64_FORMAT, c->ret2_name, c->ret2);
	if (c->extra)
		g_string_append(s, c->extra->str);
	return g_string_free(s, FALSE);
}

/* ---- Rows ---- */

static char *trace_tail(Xc *xc)
{
	if (!xc->tfp)
		return g_strdup("");
	sim_trace_flush(xc->trace);
	fflush(xc->tfp);
	const char *end = xc->tbuf + xc->tlen;
	const char *p = end;
	int lines = 0;
	while (p > xc->tbuf && lines <= CONTEXT_BEFORE) {
		p--;
		if (*p == '\n' && p + 1 < end)
			lines++;
	}
	if (p > xc->tbuf)
		p++;
	GString *s = g_string_new(NULL);
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *stop = nl ? nl : end;
		if (!g_str_has_prefix(p, "#"))
			g_string_append_printf(s, "    | %.*s\n", (int)(stop - p), p);
		p = nl ? nl + 1 : end;
	}
	return g_string_free(s, FALSE);
}

/* One comparison: a row in the table, and the first mismatch with the trace before it. */
static void row(Xc *xc, const SimTask *t, const char *call, guint line, const char *model,
		const char *kernel, gboolean match)
{
	xc->checks++;
	if (xc->opt->inject && xc->checks == xc->opt->inject)
		match = FALSE; /* tests: the model's answer is taken to be wrong here */
	if (!match)
		xc->mismatches++;
	g_autofree char *where =
		line ? g_strdup_printf("%s (line %u)", call, line) : g_strdup(call);
	if (xc->opt->rows || !match)
		g_string_append_printf(xc->rows, "| %u | %s | %s | %s | %s | %s |\n", xc->step,
				       t->name, where, model, kernel, match ? "yes" : "**NO**");
	if (!match && xc->mismatches == 1) {
		g_autofree char *tail = trace_tail(xc);
		g_string_printf(xc->first,
				"First mismatch at step %u: %s, %s\n"
				"  model:  %s\n  kernel: %s\n  model trace up to it:\n%s",
				xc->step, t->name, where, model, kernel, tail);
	}
}

static void fail(Xc *xc, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
static void fail(Xc *xc, const char *fmt, ...)
{
	if (xc->failed)
		return;
	va_list ap;
	va_start(ap, fmt);
	xc->failed = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	if (xc->w)
		sim_world_stop(xc->w);
}

/* Has a stop signal come? Then the run fails (the model stops at once) and the coordinator
 * unwinds to its cleanup; the verdict is INTERRUPTED whatever failed on the way. */
static gboolean stopped(Xc *xc)
{
	int sig = sim_real_stop_signal();
	if (sig == 0)
		return FALSE;
	fail(xc, "stopped by %s", sim_scn_signal_name(sig));
	return TRUE;
}

/* ---- Shared mode: the model's keys, ids and queue names as the kernel's ---- */

static gboolean map_get(GHashTable *h, gint64 k, gint64 *v)
{
	gpointer val = NULL;
	if (h == NULL || !g_hash_table_lookup_extended(h, GINT_TO_POINTER((int)k), NULL, &val))
		return FALSE;
	*v = GPOINTER_TO_INT(val);
	return TRUE;
}

static void map_put(GHashTable *h, gint64 k, gint64 v)
{
	g_hash_table_insert(h, GINT_TO_POINTER((int)k), GINT_TO_POINTER((int)v));
}

/* The key a msgget of the model's key mk takes to the kernel (and the flags it adds). In
 * shared mode each model key gets a key of the run's own, and every IPC_PRIVATE a fresh
 * one with IPC_CREAT | IPC_EXCL: its queue is as new as IPC_PRIVATE's. A call that would
 * create gets IPC_EXCL too when the run has no live queue with that key: the same answer
 * as the model's, unless a stranger took the key meanwhile - then EEXIST, a mismatch, and
 * not the stranger's queue. FALSE when no key could be had (the run failed, or cannot be
 * cross-checked). */
static gboolean real_key(Xc *xc, gint64 mk, gint64 *rk, gint64 *flags)
{
	*rk = mk;
	if (!xc->sb.shared)
		return TRUE;
	gint64 id;
	if (mk != IPC_PRIVATE && map_get(xc->keys, mk, rk)) {
		if ((*flags & IPC_CREAT) && !map_get(xc->own, *rk, &id))
			*flags |= IPC_EXCL;
		return TRUE;
	}
	g_autoptr(GError) err = NULL;
	if (!sim_real_sandbox_new_key(&xc->sb, rk, &err)) {
		if (g_error_matches(err, SIM_REAL_ERROR, SIM_REAL_ERROR_NO_KEY)) {
			xc->unsupported = g_strdup_printf(
				"without a private IPC namespace %s, and the scenario needs more",
				err->message);
			sim_world_stop(xc->w);
		} else {
			fail(xc, "%s", err->message);
		}
		return FALSE;
	}
	if (mk == IPC_PRIVATE || (*flags & IPC_CREAT))
		*flags |= IPC_CREAT | IPC_EXCL;
	if (mk != IPC_PRIVATE)
		map_put(xc->keys, mk, *rk);
	map_put(xc->rkeys, *rk, mk);
	return TRUE;
}

/* Shared mode: msgget of key returned id. A queue an exclusive create made is the run's:
 * recorded to be removed whatever happens. Any other answer is the run's queue only if it
 * is the one it has: else a stranger's, never recorded (the comparison shows it). */
static void note_queue(Xc *xc, gint64 key, gint64 id, gboolean excl)
{
	if (!xc->sb.shared || !excl)
		return;
	g_autoptr(GError) err = NULL;
	if (!sim_real_sandbox_note_id(&xc->sb, key, id, &err))
		fail(xc, "%s", err->message);
	map_put(xc->own, key, id);
	map_put(xc->own_key, id, key);
}

/* Shared mode: the kernel removed queue kid; it is no longer the run's. */
static void drop_queue(Xc *xc, gint64 kid)
{
	gint64 key;
	if (xc->sb.shared && map_get(xc->own_key, kid, &key)) {
		g_hash_table_remove(xc->own_key, GINT_TO_POINTER((int)kid));
		g_hash_table_remove(xc->own, GINT_TO_POINTER((int)key));
	}
}

/* The kernel's id for the model's queue id: the same in a private namespace. In shared
 * mode the one bound to it, or -1 for an id no msgget of the run gave (it may be a
 * stranger's queue): the kernel's EINVAL, as the model's for an id no queue has. */
static gint64 real_id(const Xc *xc, gint64 id)
{
	gint64 r;
	if (!xc->sb.shared || id < 0)
		return id;
	return map_get(xc->ids, id, &r) ? r : -1;
}

/* The model's id for kid, the kernel's answer to a msgget the model answered with mid.
 * Shared mode binds the two the first time either is seen, so the ids of the run must
 * correspond one to one; an id that does not stays itself, with *odd set: a mismatch even
 * should the number happen to be the model's. */
static gint64 model_id(Xc *xc, gint64 kid, gint64 mid, gboolean *odd)
{
	gint64 m;
	*odd = FALSE;
	if (!xc->sb.shared || kid < 0)
		return kid;
	if (map_get(xc->rids, kid, &m))
		return m;
	if (mid < 0 || map_get(xc->ids, mid, &m)) {
		*odd = TRUE;
		return kid;
	}
	map_put(xc->ids, mid, kid);
	map_put(xc->rids, kid, mid);
	return mid;
}

/* Shared mode: the kernel's queue kid is removed; its id is no longer the model's. */
static void unbind_id(Xc *xc, gint64 kid)
{
	gint64 m;
	if (xc->sb.shared && map_get(xc->rids, kid, &m)) {
		g_hash_table_remove(xc->rids, GINT_TO_POINTER((int)kid));
		g_hash_table_remove(xc->ids, GINT_TO_POINTER((int)m));
	}
}

/* The kernel's name of the scenario's POSIX queue (allocated). With `creates` it is
 * recorded first, to be removed whatever happens; NULL when that fails (the run failed). */
static char *real_mq(Xc *xc, const char *name, gboolean creates)
{
	char *real = sim_real_sandbox_mq_name(&xc->sb, name);
	g_autoptr(GError) err = NULL;
	if (creates && !sim_real_sandbox_note_mq(&xc->sb, real, &err)) {
		fail(xc, "%s", err->message);
		g_free(real);
		return NULL;
	}
	return real;
}

/* Tests (SimXcheckOptions.squat): a stranger - the coordinator, not recording it - takes
 * the key of the kernel's queue kid, just removed. */
static void squat(Xc *xc, gint64 kid)
{
	gint64 mid, rk;
	if (!xc->sb.shared || !map_get(xc->rids, kid, &mid))
		return;
	for (guint i = 0; i < xc->w->msgqs->len; i++) {
		const SimMsgq *q = g_ptr_array_index(xc->w->msgqs, i);
		if (q->perm.id == mid && q->perm.key != IPC_PRIVATE &&
		    map_get(xc->keys, q->perm.key, &rk))
			msgget((key_t)rk, IPC_CREAT | IPC_EXCL | 0600);
	}
}

/* The kernel's IPC_STAT fields as the model writes them: permission bits only, the key as
 * the scenario knows it. */
static void kernel_stat(const Xc *xc, const gint64 stat[12], gint64 f[11])
{
	memcpy(f, stat, 11 * sizeof(f[0]));
	f[5] &= 0777;
	gint64 mk;
	if (xc->sb.shared && map_get(xc->rkeys, stat[10], &mk))
		f[10] = mk;
	f[10] = (gint64)(guint32)f[10];
}

/* ---- Translating a call ---- */

static const char *stmt_word(const SimStmt *st)
{
	switch (st->kind) {
	case SIM_STMT_MSGGET:
		return "msgget";
	case SIM_STMT_MSGSND:
		return "msgsnd";
	case SIM_STMT_MSGRCV:
		return "msgrcv";
	case SIM_STMT_MSGCTL:
		return "msgctl";
	case SIM_STMT_KILL:
		return "kill";
	case SIM_STMT_ON:
		return "sigaction";
	case SIM_STMT_MQ_OPEN:
		return "mq_open";
	case SIM_STMT_MQ_SEND:
		return "mq_send";
	case SIM_STMT_MQ_RECEIVE:
		return "mq_receive";
	case SIM_STMT_MQ_GETATTR:
		return "mq_getattr";
	case SIM_STMT_MQ_SETATTR:
		return "mq_setattr";
	case SIM_STMT_MQ_NOTIFY:
		return "mq_notify";
	case SIM_STMT_MQ_CLOSE:
		return "mq_close";
	case SIM_STMT_MQ_UNLINK:
		return "mq_unlink";
	case SIM_STMT_PIPE:
		return "pipe";
	case SIM_STMT_CLOSE:
		return "close";
	case SIM_STMT_READ:
		return "read";
	case SIM_STMT_WRITE:
		return "write";
	case SIM_STMT_FCNTL:
		return "fcntl";
	case SIM_STMT_IOCTL:
		return "ioctl";
	case SIM_STMT_FORK:
		return "fork";
	case SIM_STMT_WAIT:
		return "wait";
	case SIM_STMT_MKFIFO:
		return "mkfifo";
	case SIM_STMT_OPEN:
		return "open";
	case SIM_STMT_UNLINK:
		return "unlink";
	case SIM_STMT_SEND:
		return "send";
	case SIM_STMT_RECEIVE:
		return "receive";
	default:
		return NULL; /* not a system call: nothing to replay */
	}
}

static pid_t task_pid(const Xc *xc, int task)
{
	/* A process that exited is a zombie until it is reaped: its pid still answers (kill
	 * succeeds, wait collects it). Once reaped - by its parent's wait, by the coordinator
	 * as init, by the kernel for a parent that ignores SIGCHLD - the pid is free, maybe
	 * another process's already: the call gets one no process has, and ESRCH or ECHILD
	 * as for the reaped pid. */
	const XTask *x = &xc->x[task];
	if (!x->started || x->pid <= 0 || (x->gone && !sim_real_pid_zombie(x->pid)))
		return NO_PID;
	return x->pid;
}

/* A path as the model names it, made a name inside the sandbox directory (in place). */
static void sandbox_name(GString *path)
{
	for (gsize i = 0; i < path->len; i++)
		if (path->str[i] == '/')
			path->str[i] = '_';
}

static guint open_flags(guint f)
{
	guint o = 0;
	if (f & SIM_O_ACCMODE3)
		o = O_WRONLY | O_RDWR;
	else if (f & SIM_O_WRONLY)
		o = O_WRONLY;
	else if (f & SIM_O_RDWR)
		o = O_RDWR;
	if (f & SIM_O_CREAT)
		o |= O_CREAT;
	if (f & SIM_O_EXCL)
		o |= O_EXCL;
	if (f & SIM_O_NONBLOCK)
		o |= O_NONBLOCK;
	return o;
}

/* The real deadline of a timed call: ns from now (0: already past), -1 none, -2 invalid. */
static gint64 real_timeout(Xc *xc, SimWorld *w, const SimStmt *st, XTask *x)
{
	SimTime dl;
	switch (st->timeout) {
	case SIM_TIMEOUT_NONE:
		return -1;
	case SIM_TIMEOUT_INVALID:
		return SIM_REAL_TIMEOUT_INVALID;
	case SIM_TIMEOUT_RELATIVE:
		dl = sim_time_add(sim_world_now(w), st->timeout_at);
		break;
	case SIM_TIMEOUT_ABSOLUTE:
	default:
		dl = st->timeout_at;
		break;
	}
	gint64 at_us = xc->base_us + dl / 1000 * SIM_XCHECK_PACE;
	x->timed = TRUE;
	x->deadline_us = at_us;
	gint64 left = at_us - g_get_monotonic_time();
	return left <= 0 ? 0 : left > G_MAXINT64 / 1000 ? G_MAXINT64 : left * 1000;
}

/* The text of st as t would make it now (its literal, or its template expanded), or
 * `fallback` when it has none. */
static void stmt_text(SimWorld *w, const SimTask *t, const SimStmt *st, const char *fallback,
		      GString *data)
{
	gsize len;
	const char *text = sim_interp_text(w, t, &st->text, &len);
	g_string_assign(data, text ? text : fallback ? fallback : "");
}

/* A queue name in data made the kernel's (real_mq), in place. */
static gboolean real_mq_text(Xc *xc, GString *data, gboolean creates)
{
	g_autofree char *real = real_mq(xc, data->str, creates);
	if (real == NULL)
		return FALSE;
	g_string_assign(data, real);
	return TRUE;
}

/* Fills c (and data) for st as t would make it now; FALSE when it is not a real call (or
 * the run failed). */
/* translate() for the SysV calls. */
static gboolean translate_sysv(Xc *xc, SimWorld *w, const SimTask *t, const SimStmt *st,
			       SimRealCall *c, GString *data)
{
	gint64 *a = c->a;
	switch (st->kind) {
	case SIM_STMT_MSGGET:
		c->op = SIM_REAL_MSGGET;
		a[1] = (st->flags & SIM_IPC_CREAT ? IPC_CREAT : 0) |
		       (st->flags & SIM_IPC_EXCL ? IPC_EXCL : 0) | (st->perm & 0777);
		if (!real_key(xc, sim_world_key(w, &st->key), &a[0], &a[1]))
			return FALSE;
		break;
	case SIM_STMT_MSGSND: {
		c->op = SIM_REAL_MSGSND;
		a[0] = real_id(xc, sim_interp_queue_id(w, t, st));
		a[1] = st->type;
		stmt_text(w, t, st, NULL, data);
		a[2] = st->size >= 0 ? st->size : (gint64)data->len;
		if ((gint64)data->len > a[2])
			g_string_truncate(data, (gsize)a[2]);
		a[3] = st->flags & SIM_IPC_NOWAIT ? IPC_NOWAIT : 0;
		break;
	}
	case SIM_STMT_MSGRCV:
		c->op = SIM_REAL_MSGRCV;
		a[0] = real_id(xc, sim_interp_queue_id(w, t, st));
		a[1] = st->type;
		a[2] = st->size >= 0 ? st->size : w->ipcns.limits.msgmax;
		a[3] = (st->flags & SIM_IPC_NOWAIT ? IPC_NOWAIT : 0) |
		       (st->flags & SIM_MSG_EXCEPT ? MSG_EXCEPT : 0) |
		       (st->flags & SIM_MSG_NOERROR ? MSG_NOERROR : 0);
		break;
	case SIM_STMT_MSGCTL: {
		c->op = SIM_REAL_MSGCTL;
		int id = sim_interp_queue_id(w, t, st);
		a[0] = real_id(xc, id);
		static const int cmds[] = { [SIM_CTL_STAT] = IPC_STAT,
					    [SIM_CTL_SET] = IPC_SET,
					    [SIM_CTL_RMID] = IPC_RMID,
					    [SIM_CTL_INFO] = IPC_INFO,
					    [SIM_CTL_MSG_INFO] = MSG_INFO };
		a[1] = cmds[st->ctl];
		if (st->ctl == SIM_CTL_SET) {
			/* IPC_SET takes all four: the ones not given are the queue's own. */
			const SimMsgq *q = id < 0 ? NULL : sim_msgq_lookup(&w->ipcns, id);
			a[2] = st->qbytes >= 0 ? st->qbytes : q ? (gint64)q->qbytes : 0;
			a[3] = st->perm >= 0 ? st->perm : q ? q->perm.mode : 0;
			a[4] = st->set_uid >= 0 ? st->set_uid : q ? q->perm.uid : 0;
			a[5] = st->set_gid >= 0 ? st->set_gid : q ? q->perm.gid : 0;
		}
		break;
	}
	case SIM_STMT_IPCS:
		return FALSE; /* it reads the namespace into the trace: nothing to replay */
	default:
		g_assert_not_reached();
	}
	return TRUE;
}

/* translate() for the POSIX queue calls, and the mailboxes, which are POSIX queues too. */
static gboolean translate_mq(Xc *xc, SimWorld *w, const SimTask *t, const SimStmt *st,
			     SimRealCall *c, GString *data)
{
	XTask *x = &xc->x[t->id];
	gint64 *a = c->a;
	switch (st->kind) {
	case SIM_STMT_MQ_OPEN:
		c->op = SIM_REAL_MQ_OPEN;
		stmt_text(w, t, st, st->mq_name, data);
		if (!real_mq_text(xc, data, (st->flags & SIM_O_CREAT) != 0))
			return FALSE;
		a[1] = open_flags(st->flags);
		a[2] = st->perm;
		a[3] = st->maxmsg;
		a[4] = st->msgsize;
		break;
	case SIM_STMT_MQ_UNLINK:
		c->op = SIM_REAL_MQ_UNLINK;
		stmt_text(w, t, st, st->mq_name, data);
		if (!real_mq_text(xc, data, FALSE))
			return FALSE;
		break;
	case SIM_STMT_MQ_SEND: {
		c->op = SIM_REAL_MQ_SEND;
		a[0] = sim_interp_fd(t, st);
		a[1] = st->prio;
		stmt_text(w, t, st, NULL, data);
		a[2] = st->size >= 0 ? st->size : (gint64)data->len;
		if ((gint64)data->len > a[2])
			g_string_truncate(data, (gsize)a[2]);
		a[3] = real_timeout(xc, w, st, x);
		break;
	}
	case SIM_STMT_MQ_RECEIVE: {
		c->op = SIM_REAL_MQ_RECEIVE;
		a[0] = sim_interp_fd(t, st);
		const SimFile *f = sim_fdt_get(&t->fdt, a[0]);
		a[1] = st->size >= 0			      ? st->size
		       : f && f->kind == SIM_FILE_MQ && f->mq ? f->mq->msgsize
							      : 8192;
		a[3] = real_timeout(xc, w, st, x);
		break;
	}
	case SIM_STMT_SEND: {
		/* A mailbox is a POSIX queue: its own descriptors, one blocking, one not. */
		const SimScnMbox *mb = &xc->scn->mboxes[st->ep.index];
		c->op = SIM_REAL_MQ_SEND;
		a[0] = XC_MBOX_FD(st->ep.index, st->nowait);
		a[1] = mb->order == SIM_ORDER_PRIORITY ? st->prio : 0;
		stmt_text(w, t, st, NULL, data);
		a[2] = (gint64)data->len;
		a[3] = -1;
		break;
	}
	case SIM_STMT_RECEIVE:
		c->op = SIM_REAL_MQ_RECEIVE;
		a[0] = XC_MBOX_FD(st->ep.index, st->nowait);
		a[1] = xc->mb[st->ep.index].msgsize;
		a[3] = -1;
		break;
	case SIM_STMT_MQ_GETATTR:
		c->op = SIM_REAL_MQ_GETATTR;
		a[0] = sim_interp_fd(t, st);
		break;
	case SIM_STMT_MQ_SETATTR:
		c->op = SIM_REAL_MQ_SETATTR;
		a[0] = sim_interp_fd(t, st);
		a[1] = st->flags & SIM_O_NONBLOCK ? O_NONBLOCK : 0;
		break;
	case SIM_STMT_MQ_CLOSE:
		c->op = SIM_REAL_CLOSE;
		a[0] = sim_interp_fd(t, st);
		break;
	case SIM_STMT_MQ_NOTIFY:
		c->op = SIM_REAL_MQ_NOTIFY;
		a[0] = sim_interp_fd(t, st);
		a[1] = st->notify == SIM_NOTIFY_SIGNAL ? 0 : st->notify == SIM_NOTIFY_NONE ? 1 : 2;
		a[2] = st->sig;
		break;
	default:
		g_assert_not_reached();
	}
	return TRUE;
}

/* translate() for the process calls: signals, fork and wait. */
static gboolean translate_proc(Xc *xc, const SimStmt *st, SimRealCall *c)
{
	gint64 *a = c->a;
	switch (st->kind) {
	case SIM_STMT_KILL:
		c->op = SIM_REAL_KILL;
		a[0] = task_pid(xc, st->ep.index);
		a[1] = st->sig;
		break;
	case SIM_STMT_ON:
		c->op = SIM_REAL_SIGACTION;
		a[0] = st->sig;
		a[1] = st->action == SIM_SIG_DEFAULT ? 0 : st->action == SIM_SIG_IGNORE ? 1 : 2;
		a[2] = !st->norestart;
		break;
	case SIM_STMT_FORK:
		c->op = SIM_REAL_FORK;
		a[0] = xc->x[st->ep.index].slot;
		a[1] = xc->x[st->ep.index].n_desc;
		break;
	case SIM_STMT_WAIT:
		c->op = SIM_REAL_WAIT;
		a[0] = task_pid(xc, st->ep.index);
		break;
	default:
		return FALSE; /* exit: the worker's own end, not a call to replay */
	}
	return TRUE;
}

/* translate() for pipes, FIFOs and descriptors, and (translate_proc) processes. */
static gboolean translate_file(Xc *xc, SimWorld *w, const SimTask *t, const SimStmt *st,
			       SimRealCall *c, GString *data)
{
	gint64 *a = c->a;
	switch (st->kind) {
	case SIM_STMT_CLOSE:
		c->op = SIM_REAL_CLOSE;
		a[0] = sim_interp_fd(t, st);
		break;
	case SIM_STMT_PIPE:
		c->op = SIM_REAL_PIPE;
		a[1] = st->flags & SIM_O_NONBLOCK ? O_NONBLOCK : 0;
		break;
	case SIM_STMT_READ:
		c->op = SIM_REAL_READ;
		a[0] = sim_interp_fd(t, st);
		a[1] = st->size;
		a[2] = st->nowait;
		break;
	case SIM_STMT_WRITE: {
		c->op = SIM_REAL_WRITE;
		a[0] = sim_interp_fd(t, st);
		gsize len;
		const char *text = sim_interp_text(w, t, &st->text, &len);
		gsize n = st->size >= 0 ? (gsize)st->size : len;
		if (n > SIM_REAL_DATA_MAX) {
			xc->unsupported = g_strdup_printf(
				"a write of %zu bytes is more than a worker call carries (%d)", n,
				SIM_REAL_DATA_MAX);
			return FALSE;
		}
		for (gsize i = 0; i < n; i++)
			g_string_append_c(data, len ? text[i % len] : 'x');
		a[1] = (gint64)n;
		a[2] = st->nowait;
		break;
	}
	case SIM_STMT_FCNTL:
	case SIM_STMT_IOCTL:
		a[0] = sim_interp_fd(t, st);
		c->op = SIM_REAL_FCNTL;
		switch (st->fcntl) {
		case SIM_FCNTL_GETPIPE_SZ:
			a[1] = F_GETPIPE_SZ;
			break;
		case SIM_FCNTL_SETPIPE_SZ:
			a[1] = F_SETPIPE_SZ;
			a[2] = st->size;
			break;
		case SIM_FCNTL_NONBLOCK:
			a[1] = F_SETFL;
			a[2] = O_NONBLOCK;
			break;
		case SIM_FCNTL_BLOCK:
			a[1] = F_SETFL;
			a[2] = 0;
			break;
		case SIM_FCNTL_FIONREAD:
			c->op = SIM_REAL_IOCTL;
			break;
		}
		break;
	case SIM_STMT_MKFIFO:
	case SIM_STMT_OPEN:
	case SIM_STMT_UNLINK:
		stmt_text(w, t, st, NULL, data);
		sandbox_name(data);
		c->op = st->kind == SIM_STMT_MKFIFO ? SIM_REAL_MKFIFO
			: st->kind == SIM_STMT_OPEN ? SIM_REAL_OPEN
						    : SIM_REAL_UNLINK;
		if (st->kind == SIM_STMT_MKFIFO)
			a[1] = st->perm;
		if (st->kind == SIM_STMT_OPEN)
			a[1] = open_flags(st->flags);
		break;
	default:
		return translate_proc(xc, st, c);
	}
	return TRUE;
}

static gboolean translate(Xc *xc, SimWorld *w, const SimTask *t, const SimStmt *st, SimRealCall *c,
			  GString *data)
{
	XTask *x = &xc->x[t->id];
	memset(c, 0, sizeof(*c));
	g_string_truncate(data, 0);
	x->timed = FALSE;
	gboolean ok;
	switch (sim_call_desc(st->kind)->family) {
	case SIM_CALL_SYSV:
		ok = translate_sysv(xc, w, t, st, c, data);
		break;
	case SIM_CALL_MBOX: /* a mailbox is replayed as a POSIX queue */
	case SIM_CALL_POSIX:
		ok = translate_mq(xc, w, t, st, c, data);
		break;
	case SIM_CALL_FILE:
		ok = translate_file(xc, w, t, st, c, data);
		break;
	case SIM_CALL_CONTROL:
	default:
		ok = FALSE; /* not a system call: nothing to replay */
		break;
	}
	if (!ok)
		return FALSE;
	c->len = (guint32)data->len;
	return TRUE;
}

/* The system call a worker sleeps in for op (-1: it never blocks). */
static long blocking_nr(SimRealOp op)
{
	switch (op) {
	case SIM_REAL_MSGSND:
		return SYS_msgsnd;
	case SIM_REAL_MSGRCV:
		return SYS_msgrcv;
	case SIM_REAL_MQ_SEND:
		return SYS_mq_timedsend;
	case SIM_REAL_MQ_RECEIVE:
		return SYS_mq_timedreceive;
	case SIM_REAL_READ:
		return SYS_read;
	case SIM_REAL_WRITE:
		return SYS_write;
	case SIM_REAL_OPEN:
		return SYS_openat;
	case SIM_REAL_WAIT:
		return SYS_wait4;
	default:
		return -1;
	}
}

/* ---- The kernel side ---- */

/* Collects x's answer if there is one (or its death). */
static void collect(Xc *xc, XTask *x, int timeout_ms)
{
	if (!x->sent || x->answered || x->died)
		return;
	g_autoptr(GError) err = NULL;
	g_free(x->data);
	x->data = NULL;
	if (sim_real_recv(&x->wk, timeout_ms, &x->res, &x->data, &err)) {
		x->answered = TRUE;
		if (x->op == SIM_REAL_MSGGET && x->res.ret >= 0)
			note_queue(xc, x->key, x->res.ret, x->excl);
		if (x->op == SIM_REAL_MKFIFO || x->op == SIM_REAL_UNLINK)
			sim_real_sandbox_note_path(&xc->sb, x->op, x->path, &x->res);
		if (x->op == SIM_REAL_OPEN && x->res.ret >= 0 &&
		    !sim_real_sandbox_fifo_is_own(&xc->sb, x->path, &x->res))
			fail(xc,
			     "open of %s in the run's directory reached something other than "
			     "the FIFO the run made there (mode %#" G_GINT64_MODIFIER
			     "o, inode %" G_GINT64_FORMAT "): the replay stops",
			     x->path, x->res.stat[2], x->res.stat[1]);
		return;
	}
	if (g_error_matches(err, SIM_REAL_ERROR, SIM_REAL_ERROR_DIED)) {
		x->died = TRUE;
		x->gone = TRUE;
		return;
	}
	if (g_error_matches(err, SIM_REAL_ERROR, SIM_REAL_ERROR_STOPPED) && stopped(xc))
		return; /* still in flight: cleanup may read its answer */
	fail(xc, "%s", err->message);
}

/* Is x settled: answered, dead, or asleep in its call? */
static gboolean settled(Xc *xc, XTask *x)
{
	if (!x->sent || x->answered || x->died)
		return TRUE;
	if (sim_real_ready(&x->wk)) {
		collect(xc, x, xc->opt->step_ms);
		return TRUE;
	}
	long nr = blocking_nr(x->op);
	return nr >= 0 && sim_real_blocked_in(x->wk.pid, nr);
}

/* Waits until every call in the kernel has answered or sleeps, and every dying worker is
 * gone. `who` is the call just sent, named in a timeout. */
static void quiesce(Xc *xc, const char *who, XTask *issuer)
{
	gint64 deadline = g_get_monotonic_time() + (gint64)xc->opt->step_ms * 1000;
	/* The caller first: the wake-ups it makes are done when it returns or sleeps, so a
	 * task looked at before that could still seem asleep in a call it is about to finish. */
	for (gulong pause = 20; issuer && !settled(xc, issuer) && !xc->failed && !stopped(xc);
	     pause = MIN(pause * 2, 1000)) {
		if (g_get_monotonic_time() > deadline)
			break;
		g_usleep(pause);
	}
	for (gulong pause = 20;; pause = MIN(pause * 2, 1000)) {
		gboolean all = TRUE;
		for (guint i = 0; i < xc->n && !xc->failed; i++)
			if (!settled(xc, &xc->x[i]))
				all = FALSE;
		if (all || xc->failed || stopped(xc))
			return;
		if (g_get_monotonic_time() > deadline) {
			for (guint i = 0; i < xc->n; i++) {
				XTask *x = &xc->x[i];
				if (!settled(xc, x)) {
					fail(xc,
					     "%s: the worker of %s neither returned from %s nor "
					     "blocked in it within %d ms; killed",
					     who, xc->scn->procs[i].name, sim_real_op_name(x->op),
					     xc->opt->step_ms);
					sim_real_worker_kill(&x->wk);
					x->gone = TRUE;
				}
			}
			return;
		}
		g_usleep(pause);
	}
}

/* A worker's death outside a call (a signal to an idle process). */
static gboolean wait_dead(Xc *xc, XTask *x)
{
	if (x->died || x->gone)
		return TRUE;
	if (!x->started || x->wk.pid <= 0)
		return TRUE;
	if (x->sent && !x->answered) {
		collect(xc, x, xc->opt->step_ms);
		return x->died;
	}
	if (sim_real_wait_gone(&x->wk, xc->opt->step_ms) == 1) {
		x->gone = TRUE;
		return TRUE;
	}
	return FALSE;
}

static gboolean send_call(Xc *xc, XTask *x, const SimRealCall *c, const char *data)
{
	g_autoptr(GError) err = NULL;
	if (!sim_real_send(&x->wk, c, data, &err)) {
		fail(xc, "%s", err->message);
		return FALSE;
	}
	x->sent = TRUE;
	x->answered = FALSE;
	x->op = c->op;
	return TRUE;
}

/* Runs one call in x's worker and waits for its answer (setup and inspection). */
static gboolean call_now(Xc *xc, SimRealWorker *wk, SimRealOp op, const gint64 a[6],
			 const char *data, SimRealResult *r, char **out)
{
	SimRealCall c = { .op = op, .len = data ? (guint32)strlen(data) : 0 };
	if (a)
		memcpy(c.a, a, sizeof(c.a));
	g_autoptr(GError) err = NULL;
	if (!sim_real_send(wk, &c, data, &err) ||
	    !sim_real_recv(wk, xc->opt->step_ms, r, out, &err)) {
		fail(xc, "%s", err->message);
		return FALSE;
	}
	return TRUE;
}

/* ---- Comparing ---- */

static gboolean data_equal(const GString *model, const char *real, gint64 real_len)
{
	/* The kernel's buffer is the message's size: the model's text, then zero bytes. */
	gsize n = (gsize)MAX(real_len, 0);
	n = MIN(n, (gsize)SIM_REAL_DATA_MAX);
	if (model->len > n)
		return FALSE;
	if (memcmp(model->str, real, model->len) != 0)
		return FALSE;
	for (gsize i = model->len; i < n; i++)
		if (real[i] != 0)
			return FALSE;
	return TRUE;
}

static const char *real_task_name(const Xc *xc, gint64 pid)
{
	if (pid == 0)
		return "-";
	for (guint i = 0; i < xc->n; i++)
		if (xc->x[i].started && xc->x[i].pid == pid)
			return xc->scn->procs[i].name;
	return "?";
}

static void stat_fields(GString *s, const Xc *xc, const gint64 f[11], gboolean real)
{
	const char *ls = real ? real_task_name(xc, f[3]) : f[3] >= 0 ? xc->w->names[f[3]] : "-";
	const char *lr = real ? real_task_name(xc, f[4]) : f[4] >= 0 ? xc->w->names[f[4]] : "-";
	g_string_append_printf(
		s,
		" qnum=%" G_GINT64_FORMAT " cbytes=%" G_GINT64_FORMAT " qbytes=%" G_GINT64_FORMAT
		" lspid=%s lrpid=%s mode=%04" G_GINT64_MODIFIER "o uid=%" G_GINT64_FORMAT
		" gid=%" G_GINT64_FORMAT " cuid=%" G_GINT64_FORMAT " cgid=%" G_GINT64_FORMAT
		" key=%#" G_GINT64_MODIFIER "x",
		f[0], f[1], f[2], ls, lr, f[5], f[6], f[7], f[8], f[9], f[10]);
}

static void model_stat(const SimMsgq *q, gint64 f[11])
{
	f[0] = (gint64)q->qnum;
	f[1] = (gint64)q->cbytes;
	f[2] = (gint64)q->qbytes;
	f[3] = q->lspid;
	f[4] = q->lrpid;
	f[5] = q->perm.mode & 0777;
	f[6] = q->perm.uid;
	f[7] = q->perm.gid;
	f[8] = q->perm.cuid;
	f[9] = q->perm.cgid;
	f[10] = (gint64)(guint32)q->perm.key;
}

/* Does a receive tell a second value: msgrcv the type, mq_receive the priority, and a
 * mailbox receive the priority when the mailbox orders by it (else all are sent as 0). */
static gboolean has_prio_or_type(const Xc *xc, const SimStmt *st)
{
	switch (st->kind) {
	case SIM_STMT_MSGRCV:
	case SIM_STMT_MQ_RECEIVE:
		return TRUE;
	case SIM_STMT_RECEIVE:
		return xc->scn->mboxes[st->ep.index].order == SIM_ORDER_PRIORITY;
	default:
		return FALSE;
	}
}

/* The model's side of a finished call. */
static void model_cell(Xc *xc, SimWorld *w, const SimTask *t, const SimStmt *st, Cell *m)
{
	const SimStmtResult *r = sim_world_result(w, st);
	const SimCallOut *out = sim_world_call_out(w);
	m->err = r->err;
	m->ret = r->ret;
	switch (st->kind) {
	case SIM_STMT_MSGRCV:
	case SIM_STMT_MQ_RECEIVE:
	case SIM_STMT_READ:
	case SIM_STMT_RECEIVE:
		if (!r->err) {
			m->has_data = TRUE;
			m->data = out->got ? out->text->str : "";
			m->len = out->got ? out->text->len : 0;
		}
		if (!r->err && st->kind == SIM_STMT_RECEIVE)
			m->ret = (gint64)m->len; /* as mq_receive counts it */
		if (!r->err && has_prio_or_type(xc, st)) {
			m->has_ret2 = TRUE;
			m->ret2_name = st->kind == SIM_STMT_MSGRCV ? "type" : "prio";
			m->ret2 = st->kind == SIM_STMT_MSGRCV ? out->type : out->prio;
		}
		break;
	case SIM_STMT_PIPE:
		if (!r->err) {
			m->has_ret2 = TRUE;
			m->ret2_name = "wfd";
			m->ret2 = t->vars[st->var].num2;
		}
		break;
	case SIM_STMT_WAIT:
		if (!r->err) {
			m->has_ret2 = TRUE;
			m->ret2_name = "status";
			m->ret2 = r->ret;
			m->ret = 0;
		}
		break;
	case SIM_STMT_FORK:
		m->ret = 0; /* the pid: not comparable */
		break;
	case SIM_STMT_MSGCTL:
		if (!r->err && st->ctl == SIM_CTL_STAT) {
			const SimMsgq *q =
				sim_msgq_lookup(&w->ipcns, sim_interp_queue_id(w, t, st));
			if (q) {
				gint64 f[11];
				model_stat(q, f);
				m->extra = g_string_new(NULL);
				stat_fields(m->extra, xc, f, FALSE);
			}
		} else if (!r->err && (st->ctl == SIM_CTL_INFO || st->ctl == SIM_CTL_MSG_INFO)) {
			m->extra = g_string_new(NULL);
			g_string_append_printf(m->extra,
					       " msgmax=%" G_GINT64_FORMAT
					       " msgmnb=%" G_GINT64_FORMAT
					       " msgmni=%" G_GINT64_FORMAT,
					       w->ipcns.limits.msgmax, w->ipcns.limits.msgmnb,
					       w->ipcns.limits.msgmni);
		}
		break;
	case SIM_STMT_MQ_GETATTR:
	case SIM_STMT_MQ_SETATTR: {
		const SimFile *f = sim_fdt_get(&t->fdt, sim_interp_fd(t, st));
		if (!r->err && f && f->kind == SIM_FILE_MQ) {
			/* The attributes before the call: setattr gives the old ones. */
			gboolean nb = (f->flags & SIM_O_NONBLOCK) != 0;
			m->extra = g_string_new(NULL);
			g_string_append_printf(m->extra,
					       " maxmsg=%" G_GINT64_FORMAT
					       " msgsize=%" G_GINT64_FORMAT
					       " curmsgs=%" G_GUINT64_FORMAT,
					       f->mq->maxmsg, f->mq->msgsize, f->mq->curmsgs);
			if (st->kind == SIM_STMT_MQ_GETATTR)
				g_string_append_printf(m->extra, " nonblock=%d", nb);
		}
		break;
	}
	default:
		break;
	}
}

/* The kernel's side, in the same shape. */
static void kernel_cell(Xc *xc, const SimStmt *st, XTask *x, Cell *m, Cell *k)
{
	const SimRealResult *r = &x->res;
	k->err = r->err;
	k->ret = r->ret;
	switch (st->kind) {
	case SIM_STMT_MSGRCV:
	case SIM_STMT_MQ_RECEIVE:
	case SIM_STMT_READ:
	case SIM_STMT_RECEIVE:
		/* The textbook's ENOMSG for an empty mailbox is a POSIX queue's EAGAIN. */
		if (st->kind == SIM_STMT_RECEIVE && r->err == EAGAIN)
			k->err = ENOMSG;
		if (!r->err) {
			k->has_data = TRUE;
			/* Shown as the model's text when equal (zero padding included). */
			gboolean same = m->has_data && !m->err &&
					data_equal(sim_world_call_out(xc->w)->text, x->data ? x->data : "", r->ret);
			k->data = same ? m->data : x->data ? x->data : "";
			k->len = same ? m->len : r->len;
			k->data_differs = !same;
			if (!same && m->has_data) {
				/* Show both from a little before the first byte that differs. */
				gsize d = 0;
				while (d < m->len && d < k->len && m->data[d] == k->data[d])
					d++;
				k->skip = m->skip = d > DATA_SHOWN - 8 ? d - 8 : 0;
			}
		}
		if (!r->err && has_prio_or_type(xc, st)) {
			k->has_ret2 = TRUE;
			k->ret2_name = st->kind == SIM_STMT_MSGRCV ? "type" : "prio";
			k->ret2 = r->ret2;
		}
		break;
	case SIM_STMT_PIPE:
		if (!r->err) {
			k->has_ret2 = TRUE;
			k->ret2_name = "wfd";
			k->ret2 = r->ret2;
		}
		break;
	case SIM_STMT_WAIT:
		if (!r->err) {
			k->has_ret2 = TRUE;
			k->ret2_name = "status";
			k->ret2 = r->ret2;
			k->ret = 0;
		}
		break;
	case SIM_STMT_FORK:
		k->ret = 0;
		break;
	case SIM_STMT_MSGGET:
		k->ret = model_id(xc, r->ret, m->err ? -1 : m->ret, &k->data_differs);
		break;
	case SIM_STMT_IOCTL:
		if (!r->err)
			k->ret = r->ret2; /* FIONREAD's count */
		break;
	case SIM_STMT_MSGCTL:
		if (!r->err && st->ctl == SIM_CTL_RMID)
			drop_queue(xc, x->qid);
		if (!r->err && !m->err && st->ctl == SIM_CTL_RMID) {
			if (xc->opt->squat)
				squat(xc, x->qid);
			unbind_id(xc, x->qid);
		}
		if (!r->err && st->ctl == SIM_CTL_STAT) {
			gint64 f[11];
			kernel_stat(xc, r->stat, f);
			k->extra = g_string_new(NULL);
			stat_fields(k->extra, xc, f, TRUE);
		} else if (!r->err && (st->ctl == SIM_CTL_INFO || st->ctl == SIM_CTL_MSG_INFO)) {
			/* IPC_INFO and MSG_INFO both fill the limits. */
			k->extra = g_string_new(NULL);
			g_string_append_printf(k->extra,
					       " msgmax=%" G_GINT64_FORMAT
					       " msgmnb=%" G_GINT64_FORMAT
					       " msgmni=%" G_GINT64_FORMAT,
					       r->stat[2], r->stat[3], r->stat[4]);
		}
		break;
	case SIM_STMT_MQ_GETATTR:
	case SIM_STMT_MQ_SETATTR:
		if (!r->err) {
			k->extra = g_string_new(NULL);
			g_string_append_printf(k->extra,
					       " maxmsg=%" G_GINT64_FORMAT
					       " msgsize=%" G_GINT64_FORMAT
					       " curmsgs=%" G_GINT64_FORMAT,
					       r->stat[1], r->stat[2], r->stat[3]);
			if (st->kind == SIM_STMT_MQ_GETATTR)
				g_string_append_printf(k->extra, " nonblock=%d",
						       (r->stat[0] & O_NONBLOCK) != 0);
		}
		break;
	default:
		break;
	}
}

static void cell_clear(Cell *c)
{
	if (c->extra)
		g_string_free(c->extra, TRUE);
}

static char *call_name(const SimStmt *st)
{
	return g_strdup(stmt_word(st));
}

/* ---- The hook ---- */

/* A kernel answer the model has not given: a mismatch now, before anything else runs. */
static void check_unexpected(Xc *xc)
{
	for (guint i = 0; i < xc->n; i++) {
		XTask *x = &xc->x[i];
		const SimTask *t = &xc->w->tasks[i];
		if (x->sent && x->answered && !(x->timed && x->res.err == ETIMEDOUT)) {
			const SimStmt *st = t->prog->code[t->pc].stmt;
			Cell k = { .err = x->res.err, .ret = x->res.ret };
			g_autofree char *kt = cell_text(&k);
			row(xc, t, st ? stmt_word(st) : "call", st ? st->loc.line : 0,
			    "still blocked", kt, FALSE);
			x->sent = x->answered = FALSE;
		}
		if (x->died && t->state != SIM_STATE_EXITED) {
			g_autofree char *how =
				x->wk.status >= 0 && WIFSIGNALED(x->wk.status)
					? g_strdup_printf(
						  "killed by %s",
						  sim_scn_signal_name(WTERMSIG(x->wk.status)))
					: g_strdup("died");
			row(xc, t, "process", 0, "alive", how, FALSE);
			x->died = FALSE;
			x->sent = FALSE;
		}
	}
}

static void pace(Xc *xc, SimWorld *w)
{
	if (!xc->paced)
		return;
	gint64 at = xc->base_us + sim_world_now(w) / 1000 * SIM_XCHECK_PACE;
	gint64 left = at - g_get_monotonic_time();
	if (left > 0 && !sim_real_stop_pause(left))
		stopped(xc);
}

/* Tests: the call goes nonblocking to the kernel (SimXcheckOptions.skew). */
static void skew_call(SimRealCall *c)
{
	switch (c->op) {
	case SIM_REAL_READ:
	case SIM_REAL_WRITE:
		c->a[2] = 1;
		break;
	case SIM_REAL_MSGSND:
	case SIM_REAL_MSGRCV:
		c->a[3] |= IPC_NOWAIT;
		break;
	default:
		break;
	}
}

/* Keeps what a msgsnd sends, as the kernel stores it: mtype, then size bytes of text. */
static void keep_message(XTask *x, const SimRealCall *c, const GString *text, gint64 msgmax)
{
	if (!x->msg)
		x->msg = g_string_new(NULL);
	g_string_truncate(x->msg, 0);
	g_string_append_len(x->msg, (const char *)&c->a[1], sizeof(c->a[1]));
	g_string_append_len(x->msg, text->str, (gssize)text->len);
	/* A size beyond the text is zero bytes (see data_equal). */
	if (c->a[2] > (gint64)text->len && c->a[2] <= msgmax) {
		gsize from = x->msg->len;
		g_string_set_size(x->msg, sizeof(c->a[1]) + (gsize)c->a[2]);
		memset(x->msg->str + from, 0, x->msg->len - from);
	}
}

static void on_started(Xc *xc, SimWorld *w, const SimTask *t, const SimStmt *st)
{
	check_unexpected(xc);
	SimRealCall c;
	g_autoptr(GString) data = g_string_new(NULL);
	if (!translate(xc, w, t, st, &c, data)) {
		if (xc->unsupported)
			sim_world_stop(w);
		return;
	}
	XTask *x = &xc->x[t->id];
	if (!x->started || x->gone) {
		fail(xc, "%s made a call but has no real process", t->name);
		return;
	}
	pace(xc, w);
	if (xc->failed)
		return;
	if (c.op == SIM_REAL_MQ_SEND || c.op == SIM_REAL_MQ_RECEIVE) {
		/* Recompute the time left now that the pacing wait is over. */
		if (x->timed && c.a[3] != SIM_REAL_TIMEOUT_INVALID) {
			gint64 left = x->deadline_us - g_get_monotonic_time();
			c.a[3] = left > 0 ? left * 1000 : 0;
		}
	}
	xc->calls++;
	xc->step++;
	if (xc->opt->stall && xc->calls == xc->opt->stall)
		kill(x->wk.pid, SIGSTOP);
	if (xc->opt->skew && xc->calls == xc->opt->skew)
		skew_call(&c);
	if (c.op == SIM_REAL_MSGSND || c.op == SIM_REAL_MSGRCV || c.op == SIM_REAL_MSGCTL)
		x->qid = c.a[0];
	if (c.op == SIM_REAL_MSGGET) {
		x->key = c.a[0];
		x->excl = (c.a[1] & (IPC_CREAT | IPC_EXCL)) == (IPC_CREAT | IPC_EXCL);
	}
	if (c.op == SIM_REAL_MSGSND)
		keep_message(x, &c, data, w->ipcns.limits.msgmax);
	if (c.op == SIM_REAL_MKFIFO || c.op == SIM_REAL_OPEN || c.op == SIM_REAL_UNLINK) {
		g_free(x->path);
		x->path = g_strdup(data->str);
	}
	if (!send_call(xc, x, &c, data->str))
		return;
	g_autofree char *who =
		g_strdup_printf("%s, %s (line %u)", t->name, stmt_word(st), st->loc.line);
	quiesce(xc, who, x);
	if (c.op == SIM_REAL_FORK && x->answered && x->res.ret > 0) {
		XTask *kid = &xc->x[st->ep.index];
		sim_real_worker_adopt(&kid->wk, (pid_t)x->res.ret);
		kid->started = TRUE;
		kid->pid = kid->wk.pid;
		w->tasks[st->ep.index].pid = kid->pid;
	}
}

static void on_blocked(Xc *xc, const SimTask *t, const SimStmt *st)
{
	XTask *x = &xc->x[t->id];
	if (!stmt_word(st))
		return;
	if (x->sent && x->answered) {
		Cell k = { .err = x->res.err, .ret = x->res.ret };
		g_autofree char *kt = cell_text(&k);
		row(xc, t, stmt_word(st), st->loc.line, "blocks", kt, FALSE);
		x->sent = x->answered = FALSE;
		return;
	}
	if (x->died) {
		row(xc, t, stmt_word(st), st->loc.line, "blocks", "died", FALSE);
		x->died = FALSE;
		return;
	}
	row(xc, t, stmt_word(st), st->loc.line, "blocks", "blocked", x->sent);
}

static void on_finished(Xc *xc, SimWorld *w, const SimTask *t, const SimStmt *st)
{
	XTask *x = &xc->x[t->id];
	if (!stmt_word(st) || !x->sent)
		return;
	if (!x->answered && !x->died) {
		/* A timed call the model lets time out: the kernel's deadline is near. */
		int ms = xc->opt->step_ms;
		if (x->timed)
			ms += (int)MAX((x->deadline_us - g_get_monotonic_time()) / 1000, 0);
		if (sim_real_wait_blocked(&x->wk, blocking_nr(x->op), 0) == 1 && !x->timed)
			ms = 50; /* asleep for real: give a wake-up in flight a moment */
		collect(xc, x, ms);
		if (xc->failed)
			return;
	}
	if (xc->sb.shared && (st->kind == SIM_STMT_MSGGET || st->kind == SIM_STMT_MQ_OPEN) &&
	    (sim_world_result(w, st)->err == ENOSPC || (x->answered && x->res.err == ENOSPC))) {
		xc->unsupported = g_strdup_printf(
			"line %u: %s meets the namespace's limit on queues, which without a "
			"private IPC namespace counts the machine's other queues too",
			st->loc.line, stmt_word(st));
		sim_world_stop(w);
		return;
	}
	if (st->kind == SIM_STMT_MKFIFO && x->answered && x->res.err == EEXIST &&
	    sim_world_result(w, st)->err == 0) {
		/* Only the run makes names in its directory: another name there is not the
		 * model's mistake but something that must not be, and nothing of it is used. */
		fail(xc,
		     "%s, line %u: mkfifo %s: the model's succeeds but the kernel's says EEXIST: "
		     "something the run did not make has that name in its directory: the replay "
		     "stops",
		     t->name, st->loc.line, x->path);
		return;
	}
	if (x->died && sim_world_result(w, st)->err == EPIPE) {
		/* SIGPIPE's default action: the model returns EPIPE, then the signal ends the
		 * task; the kernel's worker never returns. The death is compared next. */
		x->sent = FALSE;
		return;
	}
	Cell m = { 0 }, k = { 0 };
	model_cell(xc, w, t, st, &m);
	g_autofree char *kt = NULL;
	if (x->died) {
		kt = g_strdup("died in the call");
		x->died = FALSE;
	} else if (x->answered) {
		kernel_cell(xc, st, x, &m, &k); /* may set where m's data is shown from */
		kt = cell_text(&k);
	}
	g_autofree char *mt = cell_text(&m);
	x->sent = x->answered = FALSE;
	g_autofree char *name = call_name(st);
	row(xc, t, name, st->loc.line, mt, kt ? kt : "still blocked",
	    kt && strcmp(mt, kt) == 0 && !k.data_differs);
	cell_clear(&m);
	cell_clear(&k);
}

/* Reaps pid, a zombie handed to the coordinator; nothing when it is gone already (its
 * parent's wait reaped it). The hand-over completes when the last thread of the parent is
 * gone (sim_real_pid_finished), so ECHILD for a pid still there means "not yet". */
static void reap_orphan(Xc *xc, pid_t pid)
{
	gint64 deadline = g_get_monotonic_time() + (gint64)xc->opt->step_ms * 1000;
	for (;;) {
		pid_t got = waitpid(pid, NULL, WNOHANG);
		if (got == pid || (got < 0 && errno != EINTR && errno != ECHILD))
			return;
		/* Not a zombie: reaped already (the pid free, or another process's now). */
		if ((got < 0 && errno == ECHILD && !sim_real_pid_zombie(pid)) ||
		    g_get_monotonic_time() > deadline)
			return;
		g_usleep(100);
	}
}

/* The coordinator is the workers' subreaper: orphans come to it, and like init it reaps
 * them as soon as they are zombies (the model's sim_world_reap does the same). After t is
 * dead: its children that ended before it, and t itself when its parent went first. */
static void reap_orphans(Xc *xc, const SimTask *t)
{
	for (guint i = 0; i < xc->n; i++) {
		const SimScnProc *p = &xc->scn->procs[i];
		const XTask *c = &xc->x[i];
		if (p->start != SIM_START_FORK || c->pid <= 0)
			continue;
		if ((p->parent == t->id && c->gone) || (i == (guint)t->id && xc->x[p->parent].gone))
			reap_orphan(xc, c->pid);
	}
}

/* Waits (up to the step timeout) until pid, a worker that is not the coordinator's child
 * and has exited or died, has finished for real: its descriptors closed before anyone
 * looks, and - when its parent ignores SIGCHLD - its pid released by the kernel, so that a
 * kill or wait of it gets ESRCH or ECHILD as in the model (sim_real_pid_finished). */
static void wait_finished(Xc *xc, pid_t pid)
{
	gint64 deadline = g_get_monotonic_time() + (gint64)xc->opt->step_ms * 1000;
	while (pid > 0 && !sim_real_pid_finished(pid) && g_get_monotonic_time() < deadline &&
	       sim_real_stop_pause(100))
		;
}

static void on_exited(Xc *xc, const SimTask *t)
{
	XTask *x = &xc->x[t->id];
	xc->step++;
	if (!x->started || x->gone) {
		row(xc, t, "exit", 0, "exits", "no process", FALSE);
		return;
	}
	pid_t pid = x->wk.pid;
	gboolean own = x->wk.own_child;
	SimRealResult r;
	gint64 a[6] = { t->exit_code };
	if (!call_now(xc, &x->wk, SIM_REAL_EXIT, a, NULL, &r, NULL))
		return;
	x->gone = TRUE;
	if (!own)
		wait_finished(xc, pid);
	reap_orphans(xc, t);
	g_autofree char *mt = g_strdup_printf("exit %" G_GINT64_FORMAT, t->exit_code);
	g_autofree char *kt = g_strdup_printf("exit %" G_GINT64_FORMAT, r.ret);
	row(xc, t, "exit", 0, mt, kt, r.ret == t->exit_code);
	quiesce(xc, "exit", NULL);
}

static void on_killed(Xc *xc, const SimTask *t)
{
	XTask *x = &xc->x[t->id];
	g_autofree char *mt = g_strdup_printf("killed by %s", sim_scn_signal_name(t->killed_by));
	if (!x->started) {
		/* Killed before it ran: it never had a process (NEW). */
		return;
	}
	gboolean own = x->wk.own_child;
	gboolean dead = wait_dead(xc, x);
	if (dead && !own)
		wait_finished(xc, x->pid);
	int st = x->wk.status;
	g_autofree char *kt =
		!dead ? g_strdup("alive")
		: st >= 0 && WIFSIGNALED(st)
			? g_strdup_printf("killed by %s", sim_scn_signal_name(WTERMSIG(st)))
			: g_strdup(mt); /* a forked child: its parent's wait tells the signal */
	row(xc, t, "signal", 0, mt, kt, dead && strcmp(mt, kt) == 0);
	x->died = FALSE;
	x->sent = x->answered = FALSE;
	x->gone = TRUE;
	if (dead)
		reap_orphans(xc, t);
}

static void hook(void *data, SimWorld *w, const SimTask *t, const SimStmt *st, SimCallPhase ph)
{
	Xc *xc = data;
	if (xc->failed || xc->unsupported || stopped(xc))
		return;
	switch (ph) {
	case SIM_CALL_STARTED:
		if (stmt_word(st))
			on_started(xc, w, t, st);
		break;
	case SIM_CALL_BLOCKED:
		on_blocked(xc, t, st);
		break;
	case SIM_CALL_FINISHED:
		on_finished(xc, w, t, st);
		break;
	case SIM_CALL_EXITED:
		on_exited(xc, t);
		break;
	case SIM_CALL_KILLED:
		on_killed(xc, t);
		break;
	}
}

/* Does the message at position idx of real queue qid hold what x sent? MSG_COPY reads it
 * in place; a kernel without CONFIG_CHECKPOINT_RESTORE says ENOSYS and nothing matches. */
static gboolean real_message_is(const Xc *xc, gint64 qid, gint64 idx, const XTask *x)
{
	gsize max = (gsize)xc->w->ipcns.limits.msgmax;
	g_autofree char *buf = g_malloc0(sizeof(long) + max);
	ssize_t got = msgrcv((int)qid, buf, max, (long)idx, MSG_COPY | IPC_NOWAIT);
	if (got < 0)
		return FALSE;
	long type;
	memcpy(&type, buf, sizeof(type));
	gsize tlen = x->msg->len - sizeof(gint64);
	gint64 want;
	memcpy(&want, x->msg->str, sizeof(want));
	return type == want && (gsize)got == tlen &&
	       memcmp(buf + sizeof(long), x->msg->str + sizeof(gint64), tlen) == 0;
}

/*
 * Several woken tasks all got through on one SysV queue: which went first? IPC_STAT names
 * the last (msg_lspid for senders, msg_lrpid for receivers), so the first is another one.
 * For senders the queue says more: their messages are the last k in it, in the order the
 * kernel took them, so the first is the one whose message heads that tail (the last sender
 * excepted when its message is the same). Returns an index into ans, 0 when the kernel
 * tells nothing (k is at least 2).
 */
static guint first_through(const Xc *xc, SimTask *const *cands, const guint *ans, guint k)
{
	const XTask *x0 = &xc->x[cands[ans[0]]->id];
	gboolean sends = x0->op == SIM_REAL_MSGSND;
	if (!sends && x0->op != SIM_REAL_MSGRCV)
		return 0;
	for (guint i = 0; i < k; i++) {
		const XTask *x = &xc->x[cands[ans[i]]->id];
		if (x->op != x0->op || x->res.ret < 0 || x->qid != x0->qid || (sends && !x->msg))
			return 0;
	}
	struct msqid_ds ds;
	if (msgctl((int)x0->qid, IPC_STAT, &ds) < 0)
		return 0;
	pid_t last_pid = sends ? ds.msg_lspid : ds.msg_lrpid;
	gint64 head = (gint64)ds.msg_qnum - k;
	guint fallback = G_MAXUINT;
	for (guint i = 0; i < k; i++) {
		const XTask *x = &xc->x[cands[ans[i]]->id];
		if (x->pid == last_pid)
			continue;
		if (fallback == G_MAXUINT)
			fallback = i;
		if (sends && head >= 0 && real_message_is(xc, x0->qid, head, x))
			return i;
	}
	return fallback == G_MAXUINT ? 0 : fallback;
}

/* Steering: among woken tasks, the one the kernel let through first. */
static guint pick(void *data, SimWorld *w, SimTask *const *cands, guint n)
{
	Xc *xc = data;
	(void)w;
	g_autofree guint *ans = g_new(guint, n);
	guint k = 0;
	for (guint i = 0; i < n; i++) {
		XTask *x = &xc->x[cands[i]->id];
		if (x->sent && !x->answered && sim_real_ready(&x->wk))
			collect(xc, x, xc->opt->step_ms);
		if (x->sent && x->answered)
			ans[k++] = i;
	}
	if (k == 0)
		return 0;
	return ans[k > 1 ? first_through(xc, cands, ans, k) : 0];
}

/* ---- Setup ---- */

static gboolean setup_worker(Xc *xc, SimRealWorker *wk, gint64 uid, gint64 gid, guint caps,
			     gint64 nice, gint64 rl_mq, gint64 rl_nofile, const char *who)
{
	SimRealResult r;
	gint64 a[6] = { uid, gid, caps, nice, rl_mq, rl_nofile };
	if (!call_now(xc, wk, SIM_REAL_SETUP, a, NULL, &r, NULL))
		return FALSE;
	if (r.ret < 0) {
		xc->unsupported = g_strdup_printf(
			"%s needs uid %" G_GINT64_FORMAT " gid %" G_GINT64_FORMAT
			" with capabilities %#x, which this machine cannot give (%s)",
			who, uid, gid, caps, sim_errno_name(r.err));
		return FALSE;
	}
	return TRUE;
}

/* A one-off worker with the given credentials, for creating declared objects. */
static gboolean with_creator(Xc *xc, gint64 uid, gint64 gid, guint caps, SimRealWorker *wk)
{
	g_autoptr(GError) err = NULL;
	if (!sim_real_worker_spawn(wk, &xc->sb, &err)) {
		fail(xc, "%s", err->message);
		return FALSE;
	}
	return setup_worker(xc, wk, uid, gid, caps, 0, -1, -1, "a declared queue's creator");
}

static void end_creator(Xc *xc, SimRealWorker *wk)
{
	SimRealResult r;
	gint64 a[6] = { 0 };
	call_now(xc, wk, SIM_REAL_EXIT, a, NULL, &r, NULL);
	sim_real_worker_kill(wk);
}

/* ---- Mailboxes on POSIX queues ---- */

static void sizing_hook(void *data, SimWorld *w, const SimTask *t, const SimStmt *st,
			SimCallPhase ph)
{
	gint64 *longest = data;
	if (ph != SIM_CALL_STARTED || st->kind != SIM_STMT_SEND || st->ep.kind != SIM_EP_MBOX)
		return;
	g_autoptr(GString) text = g_string_new(NULL);
	stmt_text(w, t, st, NULL, text);
	longest[st->ep.index] = MAX(longest[st->ep.index], (gint64)text->len);
}

/*
 * The POSIX queue each mailbox is replayed on. A queue is bounded and sized up front, a
 * mailbox need not be: a first run of the model (same seed, same schedule rules) tells
 * the longest message and the most messages each one holds. A mailbox that fills up gets
 * its capacity; one that never does gets what the run needs, which it never reaches either.
 * Were the replay to go further than that run, the kernel's EAGAIN or block would show up
 * as a mismatch, not pass.
 */
static gboolean size_mailboxes(Xc *xc)
{
	const SimScenario *scn = xc->scn;
	guint n = scn->n_mboxes;
	xc->mb = g_new0(XMbox, n + 1);
	if (n == 0)
		return TRUE;
	g_autofree gint64 *longest = g_new0(gint64, n);
	SimWorldOptions wo = { .seed = xc->opt->seed,
			       .seed_set = xc->opt->seed_set,
			       .max_steps = xc->opt->max_steps,
			       .max_time = xc->opt->max_time,
			       .max_memory = xc->opt->max_memory,
			       .hook = { sizing_hook, longest },
			       .woken_first = TRUE };
	g_autoptr(SimWorld) w = sim_world_new(scn, &wo);
	sim_world_run(w);
	for (guint i = 0; i < n; i++) {
		const SimScnMbox *d = &scn->mboxes[i];
		gint64 peak = (gint64)w->mboxes[i].max_qnum;
		XMbox *m = &xc->mb[i];
		g_autofree char *name = g_strdup_printf("/msgsim.mailbox.%s", d->name);
		m->name = sim_real_sandbox_mq_name(&xc->sb, name);
		m->maxmsg = d->capacity != SIM_CAPACITY_UNBOUNDED && peak >= d->capacity
				    ? d->capacity
				    : MAX(peak, 1);
		m->msgsize = MAX(longest[i], 1);
		if (m->maxmsg > XC_HARD_MSGMAX) {
			xc->unsupported = g_strdup_printf("mailbox %s holds %" G_GINT64_FORMAT
							  " messages; a POSIX queue "
							  "at most %d",
							  d->name, m->maxmsg, XC_HARD_MSGMAX);
			return FALSE;
		}
	}
	return TRUE;
}

/* A uid the scenario does not use: the mailboxes' queues are charged to it, so that they
 * take nothing from the RLIMIT_MSGQUEUE of the scenario's own users. */
static gint64 mailbox_owner(const SimScenario *scn)
{
	for (gint64 uid = 65533;; uid--) {
		gboolean used = FALSE;
		for (guint i = 0; i < scn->n_procs && !used; i++)
			used = scn->procs[i].uid == uid;
		for (guint i = 0; i < scn->n_sysvqs && !used; i++)
			used = scn->sysvqs[i].uid == uid;
		for (guint i = 0; i < scn->n_posixqs && !used; i++)
			used = scn->posixqs[i].uid == uid;
		if (!used)
			return uid;
	}
}

/* Creates the mailboxes' queues. The namespace's limits are raised for them (a queue's
 * limits are checked once, when it is made) and put back, except queues_max, which keeps
 * room for them so that the scenario's own queues see the limit it set. */
static gboolean create_mailboxes(Xc *xc)
{
	const SimScenario *scn = xc->scn;
	guint n = scn->n_mboxes;
	if (n == 0)
		return TRUE;
	gint64 need_msg = scn->limits.mq_msg_max, need_size = scn->limits.mq_msgsize_max;
	for (guint i = 0; i < n; i++) {
		need_msg = MAX(need_msg, xc->mb[i].maxmsg);
		need_size = MAX(need_size, xc->mb[i].msgsize);
	}
	g_autoptr(GError) err = NULL;
	const guint mq_maxima =
		SIM_LIMIT_BIT(SIM_LIMIT_MQ_MSG_MAX) | SIM_LIMIT_BIT(SIM_LIMIT_MQ_MSGSIZE_MAX);
	SimLimits raised = scn->limits;
	raised.mq_msg_max = need_msg;
	raised.mq_msgsize_max = need_size;
	raised.mq_queues_max = scn->limits.mq_queues_max + n;
	raised.set = mq_maxima | SIM_LIMIT_BIT(SIM_LIMIT_MQ_QUEUES_MAX);
	/* The machine's own limits are not ours to raise: there the queues fit or not. */
	if (!xc->sb.shared && !sim_real_sandbox_limits(&raised, &err)) {
		xc->unsupported =
			g_strdup_printf("the mailboxes' POSIX queues need %s", err->message);
		return FALSE;
	}
	SimRealWorker wk;
	gint64 uid = mailbox_owner(scn);
	if (!with_creator(xc, uid, uid, 0, &wk))
		return FALSE;
	for (guint i = 0; i < n && !xc->failed && !xc->unsupported; i++) {
		const XMbox *m = &xc->mb[i];
		SimRealResult r;
		gint64 a[6] = { 0, O_CREAT | O_EXCL | O_RDWR, 0600, m->maxmsg, m->msgsize };
		if (!sim_real_sandbox_note_mq(&xc->sb, m->name, &err)) {
			fail(xc, "%s", err->message);
			break;
		}
		if (!call_now(xc, &wk, SIM_REAL_MQ_OPEN, a, m->name, &r, NULL))
			break;
		if (r.ret < 0)
			xc->unsupported = g_strdup_printf(
				"mailbox %s needs a POSIX queue of %" G_GINT64_FORMAT
				" messages of %" G_GINT64_FORMAT " bytes: mq_open says %s%s",
				scn->mboxes[i].name, m->maxmsg, m->msgsize, sim_errno_name(r.err),
				xc->sb.shared ? " (the machine's limits: without a private IPC "
						"namespace they cannot be raised)"
					      : "");
	}
	end_creator(xc, &wk);
	SimLimits back = scn->limits;
	back.set = mq_maxima;
	if (!xc->sb.shared && !sim_real_sandbox_limits(&back, &err))
		fail(xc, "%s", err->message);
	return !xc->failed && !xc->unsupported;
}

/* Gives a worker its two descriptors of every mailbox's queue, at XC_MBOX_FD (below the
 * worker's own), so that the scenario's descriptors are numbered as in the model. Forked
 * children inherit them. */
static gboolean open_mailboxes(Xc *xc, XTask *x, const char *who)
{
	for (guint i = 0; i < xc->scn->n_mboxes; i++) {
		for (int nowait = 0; nowait <= 1; nowait++) {
			SimRealResult r;
			gint64 a[6] = { 0, O_RDWR | (nowait ? O_NONBLOCK : 0), 0, -1, -1 };
			if (!call_now(xc, &x->wk, SIM_REAL_MQ_OPEN, a, xc->mb[i].name, &r, NULL))
				return FALSE;
			gint64 fd = r.ret;
			gint64 b[6] = { fd, F_DUPFD, XC_MBOX_FD(i, nowait) };
			if (fd >= 0 && !call_now(xc, &x->wk, SIM_REAL_FCNTL, b, NULL, &r, NULL))
				return FALSE;
			if (fd < 0 || r.ret != XC_MBOX_FD(i, nowait)) {
				fail(xc, "%s: opening mailbox %s's queue: %s", who,
				     xc->scn->mboxes[i].name, sim_errno_name(r.err));
				return FALSE;
			}
			gint64 c[6] = { fd };
			if (!call_now(xc, &x->wk, SIM_REAL_CLOSE, c, NULL, &r, NULL))
				return FALSE;
		}
	}
	return TRUE;
}

static gboolean create_declared(Xc *xc)
{
	const SimScenario *scn = xc->scn;
	for (guint i = 0; i < scn->n_sysvqs && !xc->failed; i++) {
		const SimScnSysvQueue *d = &scn->sysvqs[i];
		gint64 a[6] = { 0, IPC_CREAT | (d->perm & 0777) };
		if (!real_key(xc, sim_world_key(xc->w, &d->key), &a[0], &a[1]))
			return FALSE;
		SimRealWorker wk;
		if (!with_creator(xc, d->uid, d->gid, SIM_CAP_IPC_OWNER, &wk))
			return FALSE;
		SimRealResult r;
		gboolean odd = FALSE;
		call_now(xc, &wk, SIM_REAL_MSGGET, a, NULL, &r, NULL);
		if (!xc->failed && r.ret >= 0)
			note_queue(xc, a[0], r.ret, (a[1] & IPC_EXCL) != 0);
		end_creator(xc, &wk);
		if (!xc->failed &&
		    (model_id(xc, r.ret, xc->w->sysvq_ids[i], &odd) != xc->w->sysvq_ids[i] || odd))
			fail(xc,
			     "sysv queue %s: msgget gave id %" G_GINT64_FORMAT
			     " (%s), the model %d",
			     d->name, r.ret, sim_errno_name(r.err), xc->w->sysvq_ids[i]);
	}
	for (guint i = 0; i < scn->n_posixqs && !xc->failed; i++) {
		const SimScnPosixQueue *d = &scn->posixqs[i];
		g_autofree char *name = real_mq(xc, d->name, TRUE);
		if (name == NULL)
			return FALSE;
		SimRealWorker wk;
		if (!with_creator(xc, d->uid, d->gid, SIM_CAP_IPC_OWNER | SIM_CAP_SYS_ADMIN, &wk))
			return FALSE;
		SimRealResult r;
		gint64 a[6] = { 0, O_CREAT | O_EXCL | O_RDWR, d->perm, d->maxmsg, d->msgsize };
		call_now(xc, &wk, SIM_REAL_MQ_OPEN, a, name, &r, NULL);
		end_creator(xc, &wk);
		if (!xc->failed && r.ret < 0)
			fail(xc, "posix queue %s: mq_open: %s", d->name, sim_errno_name(r.err));
	}
	return !xc->failed && create_mailboxes(xc);
}

/* Adds the processes forked by `parent` and theirs to top's family, depth first, so that
 * each one's descendants follow it (real.h SIM_REAL_FORK). Returns how many it added. */
static guint add_family(Xc *xc, XTask *top, int parent)
{
	guint n = 0;
	for (guint i = 0; i < xc->n; i++) {
		const SimScnProc *p = &xc->scn->procs[i];
		if (p->start != SIM_START_FORK || p->parent != parent)
			continue;
		XTask *x = &xc->x[i];
		x->slot = top->n_kids;
		top->kids = g_renew(int, top->kids, top->n_kids + 1);
		top->kids[top->n_kids++] = (int)i;
		x->n_desc = add_family(xc, top, (int)i);
		n += 1 + x->n_desc;
	}
	return n;
}

static gboolean start_workers(Xc *xc)
{
	const SimScenario *scn = xc->scn;
	g_autoptr(GError) err = NULL;
	/* Fork children first: their pipes must exist before their ancestor is spawned. */
	for (guint i = 0; i < xc->n; i++)
		if (scn->procs[i].start != SIM_START_FORK)
			add_family(xc, &xc->x[i], (int)i);
	for (guint i = 0; i < xc->n; i++) {
		const SimScnProc *p = &scn->procs[i];
		if (p->start != SIM_START_FORK)
			continue;
		if (!sim_real_worker_prepare(&xc->x[i].wk, &err)) {
			fail(xc, "%s", err->message);
			return FALSE;
		}
	}
	for (guint i = 0; i < xc->n; i++) {
		const SimScnProc *p = &scn->procs[i];
		XTask *x = &xc->x[i];
		if (p->start == SIM_START_FORK)
			continue;
		g_autofree SimRealWorker **kids = g_new0(SimRealWorker *, x->n_kids + 1);
		for (guint k = 0; k < x->n_kids; k++)
			kids[k] = &xc->x[x->kids[k]].wk;
		if (!sim_real_worker_spawn_family(&x->wk, &xc->sb, kids, x->n_kids, &err)) {
			fail(xc, "%s", err->message);
			return FALSE;
		}
		x->started = TRUE;
		x->pid = x->wk.pid;
		xc->w->tasks[i].pid = x->pid; /* the kernel's choice, which the model prints */
		/* The declared POSIX queues' descriptors, opened before the credentials
		 * change, as the model gives them to every process. */
		for (guint q = 0; q < scn->n_posixqs; q++) {
			SimRealResult r;
			gint64 a[6] = { 0, O_RDWR, 0, -1, -1 };
			g_autofree char *name = real_mq(xc, scn->posixqs[q].name, FALSE);
			if (!call_now(xc, &x->wk, SIM_REAL_MQ_OPEN, a, name, &r, NULL))
				return FALSE;
			if (r.ret < 0) {
				fail(xc, "%s: opening %s: %s", p->name, scn->posixqs[q].name,
				     sim_errno_name(r.err));
				return FALSE;
			}
		}
		if (!open_mailboxes(xc, x, p->name))
			return FALSE;
		if (!setup_worker(xc, &x->wk, p->uid, p->gid, p->caps, p->nice, p->rlimit_msgqueue,
				  p->rlimit_nofile, p->name))
			return FALSE;
	}
	if (!sim_real_worker_spawn(&xc->inspector, &xc->sb, &err)) {
		fail(xc, "%s", err->message);
		return FALSE;
	}
	return TRUE;
}

/* ---- The end ---- */

/* A POSIX queue's state as the inspector finds it: "maxmsg=.. msgsize=.. curmsgs=..
 * QSIZE=..", or with all FALSE only "curmsgs=..", or the error of opening it. */
static gboolean real_mq_state(Xc *xc, const char *name, gboolean all, GString *ks)
{
	SimRealResult r;
	gint64 a[6] = { 0, O_RDONLY, 0, -1, -1 };
	if (!call_now(xc, &xc->inspector, SIM_REAL_MQ_OPEN, a, name, &r, NULL))
		return FALSE;
	if (r.ret < 0) {
		g_string_append(ks, sim_errno_name(r.err));
		return TRUE;
	}
	gint64 fd = r.ret;
	gint64 b[6] = { fd };
	if (!call_now(xc, &xc->inspector, SIM_REAL_MQ_GETATTR, b, NULL, &r, NULL))
		return FALSE;
	if (!all) {
		g_string_append_printf(ks, "curmsgs=%" G_GINT64_FORMAT, r.stat[3]);
	} else {
		g_string_append_printf(ks,
				       "maxmsg=%" G_GINT64_FORMAT " msgsize=%" G_GINT64_FORMAT
				       " curmsgs=%" G_GINT64_FORMAT,
				       r.stat[1], r.stat[2], r.stat[3]);
		g_autofree char *qs = NULL;
		gint64 c[6] = { fd, 256, 0 };
		if (!call_now(xc, &xc->inspector, SIM_REAL_READ, c, NULL, &r, &qs))
			return FALSE;
		guint64 qsize = 0;
		if (qs && g_str_has_prefix(qs, "QSIZE:"))
			qsize = g_ascii_strtoull(qs + 6, NULL, 10);
		g_string_append_printf(ks, " QSIZE=%" G_GUINT64_FORMAT, qsize);
	}
	gint64 d[6] = { fd };
	return call_now(xc, &xc->inspector, SIM_REAL_CLOSE, d, NULL, &r, NULL);
}

/* One comparison of the final state: a step of its own, by no process. */
static void end_row(Xc *xc, const char *what, const char *model, const char *kernel)
{
	xc->step++;
	SimTask pseudo = { .name = "(end)" };
	row(xc, &pseudo, what, 0, model, kernel, strcmp(model, kernel) == 0);
}

static void final_state(Xc *xc)
{
	SimWorld *w = xc->w;
	/* Tasks the model leaves blocked must sleep in the kernel too. */
	for (guint i = 0; i < xc->n; i++) {
		XTask *x = &xc->x[i];
		const SimTask *t = &w->tasks[i];
		if (t->state != SIM_STATE_BLOCKED || !x->sent)
			continue;
		const SimStmt *st = t->prog->code[t->pc].stmt;
		xc->step++;
		gboolean asleep = !x->answered && !x->died &&
				  sim_real_blocked_in(x->wk.pid, blocking_nr(x->op));
		row(xc, t, st ? stmt_word(st) : "call", st ? st->loc.line : 0, "blocked at the end",
		    asleep ? "blocked at the end" : "not blocked", asleep);
	}
	check_unexpected(xc);
	/* SysV queues */
	for (guint i = 0; i < w->msgqs->len && !xc->failed; i++) {
		const SimMsgq *q = g_ptr_array_index(w->msgqs, i);
		if (q->removed)
			continue;
		SimRealResult r;
		gint64 a[6] = { real_id(xc, q->perm.id), IPC_STAT };
		if (!call_now(xc, &xc->inspector, SIM_REAL_MSGCTL, a, NULL, &r, NULL))
			return;
		gint64 f[11];
		model_stat(q, f);
		g_autoptr(GString) ms = g_string_new("ok");
		stat_fields(ms, xc, f, FALSE);
		g_autoptr(GString) ks = g_string_new(NULL);
		if (r.ret < 0) {
			g_string_append(ks, sim_errno_name(r.err));
		} else {
			kernel_stat(xc, r.stat, f);
			g_string_append(ks, "ok");
			stat_fields(ks, xc, f, TRUE);
		}
		g_autofree char *what = g_strdup_printf("IPC_STAT of id %d at the end", q->perm.id);
		end_row(xc, what, ms->str, ks->str);
	}
	/* POSIX queues still linked */
	for (guint i = 0; i < w->mqueues->len && !xc->failed; i++) {
		const SimMqueue *q = g_ptr_array_index(w->mqueues, i);
		if (q->unlinked)
			continue;
		g_autoptr(GString) ks = g_string_new(NULL);
		g_autofree char *name = real_mq(xc, q->name, FALSE);
		if (!real_mq_state(xc, name, TRUE, ks))
			return;
		g_autofree char *ms =
			g_strdup_printf("maxmsg=%" G_GINT64_FORMAT " msgsize=%" G_GINT64_FORMAT
					" curmsgs=%" G_GUINT64_FORMAT " QSIZE=%" G_GUINT64_FORMAT,
					q->maxmsg, q->msgsize, q->curmsgs, q->qsize);
		g_autofree char *what = g_strdup_printf("mq_getattr of %s at the end", q->name);
		end_row(xc, what, ms, ks->str);
	}
	/* Mailboxes: the messages left in each */
	for (guint i = 0; i < xc->scn->n_mboxes && !xc->failed; i++) {
		g_autoptr(GString) ks = g_string_new(NULL);
		if (!real_mq_state(xc, xc->mb[i].name, FALSE, ks))
			return;
		g_autofree char *ms = g_strdup_printf("curmsgs=%u", (guint)w->mboxes[i].msgs.len);
		g_autofree char *what =
			g_strdup_printf("messages left in mailbox %s", xc->scn->mboxes[i].name);
		end_row(xc, what, ms, ks->str);
	}
}

/* Every POSIX queue the run made goes now, not with the namespace: a namespace's queues
 * stay charged to the real user until the kernel frees it. */
static void unlink_queue(Xc *xc, const char *name)
{
	SimRealCall c = { .op = SIM_REAL_MQ_UNLINK, .len = (guint32)strlen(name) };
	SimRealResult r;
	if (xc->inspector.pid > 0 && sim_real_send(&xc->inspector, &c, name, NULL) &&
	    sim_real_recv(&xc->inspector, 1000, &r, NULL, NULL))
		return;
	/* No inspector to ask (a signal to the whole group took it): the coordinator is in
	 * the same namespace, and as privileged. */
	mq_unlink(name);
}

static void cleanup(Xc *xc)
{
	/* A stop can come between a msgget that made a queue and the answer that records its
	 * id (shared mode: only a recorded queue is removed): read what is in flight first. */
	for (guint i = 0; xc->sb.shared && i < xc->n; i++) {
		XTask *x = &xc->x[i];
		if (x->sent && x->op == SIM_REAL_MSGGET && x->wk.pid > 0)
			collect(xc, x, STOP_ANSWER_MS);
	}
	for (guint i = 0; i < xc->n; i++)
		sim_real_worker_kill(&xc->x[i].wk);
	if (xc->w) {
		for (guint i = 0; i < xc->w->mqueues->len; i++) {
			const SimMqueue *q = g_ptr_array_index(xc->w->mqueues, i);
			g_autofree char *name = sim_real_sandbox_mq_name(&xc->sb, q->name);
			unlink_queue(xc, name);
		}
	}
	for (guint i = 0; xc->mb && i < xc->scn->n_mboxes; i++)
		if (xc->mb[i].name)
			mq_unlink(xc->mb[i].name); /* made even when no worker was */
	sim_real_worker_kill(&xc->inspector);
	/* The lifeline's end: a worker forked in a call still in flight, which the coordinator
	 * has no pid of, kills itself too. */
	if (xc->sb.life_w >= 0) {
		close(xc->sb.life_w);
		xc->sb.life_w = -1;
	}
	/* Forked workers whose parent was killed first are the coordinator's now. */
	for (int i = 0; i < 1000; i++) {
		pid_t got = waitpid(-1, NULL, WNOHANG);
		if (got < 0)
			break; /* ECHILD: nothing left */
		if (got == 0)
			g_usleep(1000);
	}
}

/* ---- The coordinator process ---- */

static void report_text(Xc *xc, SimXcheckReport *rep)
{
	GString *s = g_string_new(NULL);
	g_string_append_printf(s, "# msgsim crosscheck %s\n", xc->file);
	if (xc->shared_note && rep->verdict != SIM_XCHECK_NOT_CHECKABLE)
		g_string_append(s, xc->shared_note);
	if (rep->verdict == SIM_XCHECK_NOT_CHECKABLE) {
		g_string_append_printf(s, "-- %s: not cross-checkable: %s\n", xc->file,
				       rep->reason);
		rep->text = g_string_free(s, FALSE);
		return;
	}
	if (xc->rows->len) {
		g_string_append(s, "| step | process | call | model | kernel | match |\n"
				   "|---|---|---|---|---|---|\n");
		g_string_append(s, xc->rows->str);
	}
	if (xc->first->len)
		g_string_append_printf(s, "\n%s", xc->first->str);
	if (rep->verdict == SIM_XCHECK_FAILED)
		g_string_append_printf(s, "\nthe run failed: %s\n", rep->reason);
	if (rep->verdict == SIM_XCHECK_INTERRUPTED)
		g_string_append_printf(s,
				       "\nthe run was %s; what it made is removed (queues, "
				       "processes, its directory)\n",
				       rep->reason);
	g_string_append_printf(s, "-- %s: %u calls replayed, %u comparisons, %u mismatch%s: %s\n",
			       xc->file, rep->calls, rep->checks, rep->mismatches,
			       rep->mismatches == 1 ? "" : "es",
			       sim_xcheck_verdict_name(rep->verdict));
	rep->text = g_string_free(s, FALSE);
}

/* The sandbox: a private IPC namespace with the scenario's limits, or - when none can be
 * had, or the options ask - the machine's own namespace, with the run's own keys and
 * names. FALSE when the run cannot go on (failed or not cross-checkable). */
static gboolean enter(Xc *xc)
{
	const SimScenario *scn = xc->scn;
	g_autoptr(GError) err = NULL;
	if (xc->opt->shared_ipc) {
		xc->shared_why = g_strdup("as asked");
	} else {
		g_autofree char *ns = sim_real_ipc_ns();
		if (sim_real_sandbox_enter(&xc->sb, &err)) {
			/* Every limit, the defaults too: the namespace is the scenario's. */
			SimLimits want = scn->limits;
			want.set = SIM_LIMITS_ALL;
			if (sim_real_sandbox_limits(&want, &err))
				return TRUE;
			xc->unsupported =
				g_strdup_printf("the namespace's limits: %s", err->message);
			sim_real_sandbox_leave(&xc->sb);
			return FALSE;
		}
		/* Half in a new namespace (a user namespace without its map) is no place to
		 * fall back from. */
		g_autofree char *now = sim_real_ipc_ns();
		if (ns == NULL || now == NULL || strcmp(ns, now) != 0) {
			fail(xc, "%s", err->message);
			return FALSE;
		}
		xc->shared_why = g_strdup(err->message);
		g_clear_error(&err);
	}
	if (!sim_real_sandbox_enter_shared(&xc->sb, &err)) {
		fail(xc, "%s; nor can it run in the machine's own: %s", xc->shared_why,
		     err->message);
		return FALSE;
	}
	xc->shared_note = g_strdup_printf(
		"# in the machine's IPC namespace (%s): the run's SysV keys are its own, from "
		"%#x, and its POSIX queue names start with %s\n",
		xc->shared_why, (unsigned)xc->sb.key_base, xc->sb.prefix);
	xc->keys = g_hash_table_new(NULL, NULL);
	xc->rkeys = g_hash_table_new(NULL, NULL);
	xc->ids = g_hash_table_new(NULL, NULL);
	xc->rids = g_hash_table_new(NULL, NULL);
	xc->own = g_hash_table_new(NULL, NULL);
	xc->own_key = g_hash_table_new(NULL, NULL);
	xc->unsupported = shared_unsupported(scn);
	if (xc->unsupported) {
		sim_real_sandbox_leave(&xc->sb);
		return FALSE;
	}
	return TRUE;
}

/* Lets every uid the scenario's processes take into the FIFO directory, when they use it.
 * FALSE (not cross-checkable) when that cannot be had: the directory is never opened to
 * everyone instead. */
static gboolean let_in(Xc *xc)
{
	const SimScenario *scn = xc->scn;
	if (find_stmt(scn, is_path_call) == NULL)
		return TRUE;
	g_autofree guint32 *uids = g_new(guint32, scn->n_procs + 1);
	for (guint i = 0; i < scn->n_procs; i++)
		uids[i] = (guint32)scn->procs[i].uid;
	g_autoptr(GError) err = NULL;
	if (sim_real_sandbox_allow_uids(&xc->sb, uids, scn->n_procs, &err))
		return TRUE;
	xc->unsupported =
		g_strdup_printf("the FIFOs of processes with another uid: %s", err->message);
	return FALSE;
}

static void coordinate(Xc *xc, SimXcheckReport *rep)
{
	if (!enter(xc))
		return;
	if (!let_in(xc)) {
		sim_real_sandbox_leave(&xc->sb);
		return;
	}
	const SimScenario *scn = xc->scn;
	xc->tfp = open_memstream(&xc->tbuf, &xc->tlen);
	xc->trace = sim_trace_new();
	if (xc->tfp)
		sim_trace_add_sink(xc->trace, SIM_TRACE_TEXT, xc->tfp, FALSE, FALSE);
	SimWorldOptions wo = { .seed = xc->opt->seed,
			       .seed_set = xc->opt->seed_set,
			       .max_steps = xc->opt->max_steps,
			       .max_time = xc->opt->max_time,
			       .max_memory = xc->opt->max_memory,
			       .trace = xc->tfp ? xc->trace : NULL,
			       .hook = { hook, xc },
			       .woken_first = TRUE,
			       .pick = pick,
			       .pick_data = xc };
	xc->w = sim_world_new(scn, &wo);
	xc->n = xc->w->n_tasks;
	xc->x = g_new0(XTask, xc->n + 1);
	for (guint i = 0; i < xc->n; i++)
		xc->x[i].wk.far_cmd = xc->x[i].wk.far_res = -1;
	xc->paced = find_stmt(scn, is_timed_call) != NULL;
	if (size_mailboxes(xc) && create_declared(xc) && start_workers(xc)) {
		xc->base_us = g_get_monotonic_time();
		sim_world_run(xc->w);
		GString *stop = g_string_new(NULL);
		if (!xc->failed && !xc->unsupported && sim_report_stop(xc->w, stop))
			xc->failed = g_strdup_printf("the model was stopped: %s", stop->str);
		g_string_free(stop, TRUE);
		if (!xc->failed && !xc->unsupported)
			final_state(xc);
	}
	/* Acting on a stop now: cleanup's own bounded waits must not give up on it. */
	sim_real_stop_ack();
	cleanup(xc);
	sim_real_sandbox_leave(&xc->sb);
	rep->calls = xc->calls;
	rep->checks = xc->checks;
	rep->mismatches = xc->mismatches;
}

static void coordinator_free(Xc *xc)
{
	for (guint i = 0; i < xc->n; i++) {
		g_free(xc->x[i].data);
		g_free(xc->x[i].kids);
		g_free(xc->x[i].path);
		if (xc->x[i].msg)
			g_string_free(xc->x[i].msg, TRUE);
	}
	g_free(xc->x);
	for (guint i = 0; xc->mb && i < xc->scn->n_mboxes; i++)
		g_free(xc->mb[i].name);
	g_free(xc->mb);
	if (xc->w)
		sim_world_free(xc->w);
	if (xc->trace)
		sim_trace_free(xc->trace);
	if (xc->tfp)
		fclose(xc->tfp);
	free(xc->tbuf);
	g_string_free(xc->rows, TRUE);
	g_string_free(xc->first, TRUE);
	g_free(xc->failed);
	g_free(xc->unsupported);
	g_free(xc->shared_why);
	g_free(xc->shared_note);
	GHashTable *maps[] = { xc->keys, xc->rkeys, xc->ids, xc->rids, xc->own, xc->own_key };
	for (guint i = 0; i < G_N_ELEMENTS(maps); i++)
		if (maps[i])
			g_hash_table_destroy(maps[i]);
}

/* What the coordinator sends back: the counts, then the lengths and bytes of two texts. */
typedef struct Wire {
	int verdict;
	int signo; /* INTERRUPTED: the signal */
	guint calls, checks, mismatches;
	guint32 text_len, reason_len;
} Wire;

static _Noreturn void coordinator_main(const SimScenario *scn, const char *file,
				       const SimXcheckOptions *opt, int out_fd, pid_t parent)
{
	/* The stop signals, blocked across the fork: its own self-pipe first, then them. */
	if (!sim_real_stop_renew())
		_exit(127);
	sim_real_stop_block(FALSE);
	if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0 || getppid() != parent)
		_exit(127);
	/* Forked workers orphaned by a kill come back to the coordinator to be reaped. */
	if (prctl(PR_SET_CHILD_SUBREAPER, 1) < 0)
		_exit(127);
	signal(SIGPIPE, SIG_IGN);
	/* In a background process group now: a terminal with TOSTOP must not stop it. */
	signal(SIGTTOU, SIG_IGN);
	Xc xc = { .scn = scn, .file = file, .opt = opt };
	xc.rows = g_string_new(NULL);
	xc.first = g_string_new(NULL);
	SimXcheckReport rep = { 0 };
	coordinate(&xc, &rep);
	rep.signo = sim_real_stop_signal();
	if (rep.signo != 0) {
		rep.verdict = SIM_XCHECK_INTERRUPTED;
		rep.reason = g_strdup_printf("stopped by %s", sim_scn_signal_name(rep.signo));
	} else if (xc.unsupported) {
		rep.verdict = SIM_XCHECK_NOT_CHECKABLE;
		rep.reason = g_strdup(xc.unsupported);
	} else if (xc.failed) {
		rep.verdict = SIM_XCHECK_FAILED;
		rep.reason = g_strdup(xc.failed);
	} else {
		rep.verdict = xc.mismatches ? SIM_XCHECK_MISMATCH : SIM_XCHECK_MATCH;
	}
	report_text(&xc, &rep);
	Wire wire = { (int)rep.verdict,
		      rep.signo,
		      rep.calls,
		      rep.checks,
		      rep.mismatches,
		      (guint32)strlen(rep.text),
		      rep.reason ? (guint32)strlen(rep.reason) : 0 };
	gboolean ok = sim_real_write_all(out_fd, &wire, sizeof(wire)) == 0 &&
		      sim_real_write_all(out_fd, rep.text, wire.text_len) == 0 &&
		      (!rep.reason || sim_real_write_all(out_fd, rep.reason, wire.reason_len) == 0);
	sim_xcheck_report_clear(&rep);
	coordinator_free(&xc);
	_exit(ok ? 0 : 1);
}

/* The caller's side of a run: the coordinator, and when it must have sent its report. */
typedef struct Await {
	pid_t pid;
	gint64 deadline;
	int signo; /* a stop signal caught here and passed on, or 0 */
} Await;

/* A stop signal came to the caller: the coordinator gets it too (unless it had it already:
 * then this is the same), and has STOP_GRACE_MS to clean up and report. */
static void pass_stop(Await *aw)
{
	sim_real_stop_ack();
	if (aw->signo != 0)
		return;
	aw->signo = sim_real_stop_signal();
	kill(aw->pid, aw->signo);
	aw->deadline = MIN(aw->deadline, g_get_monotonic_time() + STOP_GRACE_MS * 1000);
}

static gboolean read_full(int fd, void *buf, size_t n, Await *aw)
{
	char *p = buf;
	while (n > 0) {
		gint64 left = (aw->deadline - g_get_monotonic_time()) / 1000;
		if (left <= 0)
			return FALSE;
		struct pollfd pfd[2] = { { .fd = fd, .events = POLLIN },
					 { .fd = sim_real_stop_fd(), .events = POLLIN } };
		int k = poll(pfd, 2, (int)MIN(left, 1000));
		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0)
			return FALSE;
		if ((pfd[1].revents & POLLIN) != 0)
			pass_stop(aw);
		if (pfd[0].revents == 0)
			continue;
		ssize_t got = read(fd, p, n);
		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0)
			return FALSE;
		p += got;
		n -= (size_t)got;
	}
	return TRUE;
}

/* The model's run alone, with the schedule and guard rails of the cross-check: what
 * stopped it (owned), or NULL when it ends by itself. A runaway scenario is found here,
 * before any sandbox or real process exists. */
static char *model_stops(const SimScenario *scn, const SimXcheckOptions *o)
{
	SimWorldOptions wo = { .seed = o->seed,
			       .seed_set = o->seed_set,
			       .max_steps = o->max_steps,
			       .max_time = o->max_time,
			       .max_memory = o->max_memory,
			       .woken_first = TRUE };
	g_autoptr(SimWorld) w = sim_world_new(scn, &wo);
	sim_world_run(w);
	GString *s = g_string_new(NULL);
	if (sim_report_stop(w, s))
		return g_string_free(s, FALSE);
	g_string_free(s, TRUE);
	return NULL;
}

/* The verdicts known before any real process starts: a scenario the cross-check cannot
 * replay, or one the model itself stops. TRUE when rep holds one of them. */
static gboolean settled_before_start(const SimScenario *scn, const char *file,
				     const SimXcheckOptions *o, SimXcheckReport *rep)
{
	g_autofree char *why = sim_xcheck_unsupported(scn);
	if (why) {
		rep->verdict = SIM_XCHECK_NOT_CHECKABLE;
		rep->reason = g_strdup(why);
		rep->text =
			g_strdup_printf("# msgsim crosscheck %s\n-- %s: not cross-checkable: %s\n",
					file, file, why);
		return TRUE;
	}
	rep->reason = model_stops(scn, o);
	if (rep->reason) {
		rep->verdict = SIM_XCHECK_STOPPED;
		rep->text = g_strdup_printf("# msgsim crosscheck %s\n-- %s: stopped in the model, "
					    "before any real process started: %s\n",
					    file, file, rep->reason);
		return TRUE;
	}
	return FALSE;
}

gboolean sim_xcheck_run(const SimScenario *scn, const char *file, const SimXcheckOptions *opt,
			SimXcheckReport *rep, GError **error)
{
	g_return_val_if_fail(scn != NULL && opt != NULL && rep != NULL, FALSE);
	memset(rep, 0, sizeof(*rep));
	SimXcheckOptions o = *opt;
	if (o.step_ms <= 0)
		o.step_ms = 3000;
	if (o.total_ms <= 0)
		o.total_ms = 120000;
	if (settled_before_start(scn, file, &o, rep))
		return TRUE;
	int fds[2];
	if (pipe2(fds, O_CLOEXEC) < 0) {
		g_set_error(error, SIM_REAL_ERROR, SIM_REAL_ERROR_WORKER,
			    "cannot start the cross-check: pipe: %s", g_strerror(errno));
		return FALSE;
	}
	if (!sim_real_stop_catch()) {
		int err = errno;
		close(fds[0]);
		close(fds[1]);
		g_set_error(error, SIM_REAL_ERROR, SIM_REAL_ERROR_WORKER,
			    "cannot start the cross-check: its stop pipe: %s", g_strerror(err));
		return FALSE;
	}
	fflush(NULL);
	pid_t parent = getpid();
	/* Blocked across the fork, so that the coordinator has its own self-pipe before it
	 * takes a stop signal. */
	sim_real_stop_block(TRUE);
	pid_t pid = fork();
	if (pid == 0) {
		/* A process group of its own, which its workers inherit: see below. */
		setpgid(0, 0);
		close(fds[0]);
		coordinator_main(scn, file, &o, fds[1], parent);
	}
	if (pid > 0)
		setpgid(pid, pid); /* either side may get there first */
	int ferr = errno;
	sim_real_stop_block(FALSE);
	close(fds[1]);
	if (pid < 0) {
		close(fds[0]);
		sim_real_stop_release();
		g_set_error(error, SIM_REAL_ERROR, SIM_REAL_ERROR_WORKER,
			    "cannot start the cross-check: fork: %s", g_strerror(ferr));
		return FALSE;
	}
	Await aw = { .pid = pid,
		     .deadline = g_get_monotonic_time() + (gint64)o.total_ms * 1000 };
	Wire wire;
	gboolean ok = read_full(fds[0], &wire, sizeof(wire), &aw);
	if (ok) {
		rep->text = g_malloc0((gsize)wire.text_len + 1);
		ok = read_full(fds[0], rep->text, wire.text_len, &aw);
	}
	if (ok && wire.reason_len) {
		rep->reason = g_malloc0((gsize)wire.reason_len + 1);
		ok = read_full(fds[0], rep->reason, wire.reason_len, &aw);
	}
	close(fds[0]);
	if (!ok)
		kill(pid, SIGKILL);
	int status = 0;
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	/* Whatever is left of the run's process group goes: a worker dies with the coordinator
	 * (its lifeline), but not while it is stopped. Then a coordinator killed here left
	 * its sandbox (and, without a private namespace, its queues) behind: swept. */
	kill(-pid, SIGKILL);
	if (!ok)
		sim_real_sandbox_sweep_stale();
	/* A stop that came after the report was sent still ends the command. */
	if (aw.signo == 0 && sim_real_stop_signal() != 0)
		aw.signo = sim_real_stop_signal();
	sim_real_stop_release();
	if (!ok) {
		sim_xcheck_report_clear(rep);
		rep->verdict = SIM_XCHECK_FAILED;
		rep->reason = g_strdup_printf(
			g_get_monotonic_time() >= aw.deadline
				? "the cross-check did not finish within %d ms: killed"
				: "the cross-check coordinator died (%d ms allowed)",
			aw.signo != 0 ? STOP_GRACE_MS : o.total_ms);
		rep->text = g_strdup_printf("# msgsim crosscheck %s\n-- %s: FAILED: %s\n", file,
					    file, rep->reason);
	} else {
		rep->verdict = (SimXcheckVerdict)wire.verdict;
		rep->signo = wire.signo;
		rep->calls = wire.calls;
		rep->checks = wire.checks;
		rep->mismatches = wire.mismatches;
	}
	/* Stopped here: interrupted, whatever the coordinator managed to report. */
	if (aw.signo != 0 && rep->verdict != SIM_XCHECK_INTERRUPTED) {
		g_autofree char *stop_why =
			g_strdup_printf("stopped by %s", sim_scn_signal_name(aw.signo));
		g_autofree char *text = g_strdup_printf(
			"%s\nthe run was %s; what it made is removed\n-- %s: interrupted\n",
			rep->text, stop_why, file);
		g_free(rep->text);
		g_free(rep->reason);
		rep->text = g_steal_pointer(&text);
		rep->reason = g_steal_pointer(&stop_why);
		rep->verdict = SIM_XCHECK_INTERRUPTED;
		rep->signo = aw.signo;
	}
	return TRUE;
}
