/* xcheck.c — the cross-check coordinator (see xcheck.h for the protocol).
 *
 * One XTask per simulated task holds its worker and the state of the call it has in the
 * kernel: sent, answered (result kept until the model's return consumes it), or died.
 * Everything runs from the world's call hook, synchronously: the model stands still while
 * the kernel catches up, so the order of calls is the model's.
 *
 * This file is the lockstep: the hook, waiting for the kernel to be quiet, steering, setup
 * and cleanup, stop signals, and the caller's side. What real call a statement makes is
 * its row's replay hook, in its family's file (sim/calls/call_*.c), with the services of
 * "Translating a call" below; how a result is compared is xcheck_compare.c and the rows'
 * cell hooks, the mailboxes' POSIX queues xcheck_mbox.c, the report's text
 * xcheck_report.c; xcheck_int.h holds the run's state they all share.
 */
#define _GNU_SOURCE

#include "real/xcheck_int.h"

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
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "msgsim/calls/call.h"
#include "msgsim/engine/interp.h"
#include "msgsim/output/report.h"
#include "msgsim/output/trace.h"

#define NO_PID 0x7ffffff0 /* above any pid_max: kill gives ESRCH, waitpid ECHILD */
/* After a stop signal: how long the coordinator may take to clean up before the caller
 * kills it and sweeps; and how long a msgget in flight may take to answer (its id must be
 * recorded to be removed). */
#define STOP_GRACE_MS 10000
#define STOP_ANSWER_MS 500

/* The first statement of the scenario's bodies (nested blocks included) that `is`, or
 * NULL. */
static const SimStmt *find_in_block(const SimBlock *b, gboolean (*is)(const SimStmt *))
{
	for (guint i = 0; i < b->n_stmts; i++) {
		const SimStmt *st = &b->stmts[i];
		if (is(st))
			return st;
		const SimBlock *body = sim_stmt_body(st);
		const SimStmt *inner = body ? find_in_block(body, is) : NULL;
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
	/* The TIMED rows keep their timeouts in their families' arguments. */
	return sim_call_has_deadline(st);
}

static gboolean is_on(const SimStmt *st)
{
	return st->kind == SIM_STMT_ON;
}

static gboolean is_path_call(const SimStmt *st)
{
	return (sim_call_desc(st->kind)->xc_flags & SIM_CALL_XC_PATH) != 0;
}

/* Why the scenario cannot be replayed in the machine's own IPC namespace (allocated), or
 * NULL: there the machine's limits hold. */
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
				"without a private %s namespace the machine's limits hold, and "
				"%s is %" G_GINT64_FORMAT " here where the scenario has %" G_GINT64_FORMAT,
				g_str_has_prefix(sim_limits_table[i].sysctl, "net.") ? "network" : "IPC",
				sim_limits_table[i].sysctl, h, want);
	}
	/* A call that tells about the whole namespace (IPC_INFO) is left out, not the
	 * scenario (xc_left_out_init). */
	return NULL;
}

char *sim_xcheck_unsupported(const SimScenario *scn)
{
	char *why = xc_handler_unsupported(scn);
	if (why)
		return why;
	why = xc_mailboxes_unsupported(scn);
	if (why)
		return why;
	why = xc_machine_unsupported(scn);
	if (why)
		return why;
	return NULL;
}

void fail(Xc *xc, const char *fmt, ...)
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
gboolean xc_real_key(Xc *xc, XcFam fam, gint64 mk, gint64 *rk, gint64 *flags)
{
	*rk = mk;
	if (!xc->sb.shared)
		return TRUE;
	gint64 id;
	if (mk != IPC_PRIVATE && map_get(xc->keys, mk, rk)) {
		if ((*flags & IPC_CREAT) && !map_get(xc->own[fam], *rk, &id))
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

/* The family whose object op's answer names (msgget, semget, shmget), or -1. */
static int xsi_get_fam(SimRealOp op)
{
	return op == SIM_REAL_MSGGET   ? XC_MSG
	       : op == SIM_REAL_SEMGET ? XC_SEM
	       : op == SIM_REAL_SHMGET ? XC_SHM
				       : -1;
}

/* Shared mode: msgget, semget or shmget (fam) of key returned id. An object an exclusive
 * create made is the run's: recorded to be removed whatever happens. Any other answer is
 * the run's object only if it is the one it has: else a stranger's, never recorded (the
 * comparison shows it). */
static void note_queue(Xc *xc, XcFam fam, gint64 key, gint64 id, gboolean excl)
{
	if (!xc->sb.shared || !excl)
		return;
	g_autoptr(GError) err = NULL;
	gboolean ok = fam == XC_MSG ? sim_real_sandbox_note_id(&xc->sb, key, id, &err)
				    : sim_real_sandbox_note_xsi(&xc->sb, fam == XC_SEM, key, id, &err);
	if (!ok)
		fail(xc, "%s", err->message);
	map_put(xc->own[fam], key, id);
	map_put(xc->own_key[fam], id, key);
}

/* Shared mode: the kernel removed object kid of fam; it is no longer the run's. */
static void drop_queue(Xc *xc, XcFam fam, gint64 kid)
{
	gint64 key;
	if (xc->sb.shared && map_get(xc->own_key[fam], kid, &key)) {
		g_hash_table_remove(xc->own_key[fam], GINT_TO_POINTER((int)kid));
		g_hash_table_remove(xc->own[fam], GINT_TO_POINTER((int)key));
	}
}

/* The kernel's id for the model's queue id: the same in a private namespace. In shared
 * mode the one bound to it, or -1 for an id no msgget of the run gave (it may be a
 * stranger's queue): the kernel's EINVAL, as the model's for an id no queue has. */
gint64 real_id(const Xc *xc, XcFam fam, gint64 id)
{
	gint64 r;
	if (!xc->sb.shared || id < 0)
		return id;
	return map_get(xc->ids[fam], id, &r) ? r : -1;
}

/* The model's id for kid, the kernel's answer to a msgget the model answered with mid.
 * Shared mode binds the two the first time either is seen, so the ids of the run must
 * correspond one to one; an id that does not stays itself, with *odd set: a mismatch even
 * should the number happen to be the model's. */
gint64 xc_model_id(Xc *xc, XcFam fam, gint64 kid, gint64 mid, gboolean *odd)
{
	gint64 m;
	*odd = FALSE;
	if (!xc->sb.shared || kid < 0)
		return kid;
	if (map_get(xc->rids[fam], kid, &m))
		return m;
	if (mid < 0 || map_get(xc->ids[fam], mid, &m)) {
		*odd = TRUE;
		return kid;
	}
	map_put(xc->ids[fam], mid, kid);
	map_put(xc->rids[fam], kid, mid);
	return mid;
}

/* Shared mode: the kernel's queue kid is removed; its id is no longer the model's. */
static void unbind_id(Xc *xc, XcFam fam, gint64 kid)
{
	gint64 m;
	if (xc->sb.shared && map_get(xc->rids[fam], kid, &m)) {
		g_hash_table_remove(xc->rids[fam], GINT_TO_POINTER((int)kid));
		g_hash_table_remove(xc->ids[fam], GINT_TO_POINTER((int)m));
	}
}

/* The kernel's name of the scenario's POSIX queue (allocated). With `creates` it is
 * recorded first, to be removed whatever happens; NULL when that fails (the run failed). */
char *real_mq(Xc *xc, const char *name, gboolean creates)
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

/* Shared mode: x's mq_open or mq_unlink was answered. A queue an exclusive create made is
 * the run's; an unlink removes it from the run's. An open that succeeded on a name the run
 * has no live queue of reached a stranger's queue: the replay stops before it is used. */
static void note_mq(Xc *xc, XTask *x)
{
	if (!xc->sb.shared || x->mq == NULL || x->res.ret < 0)
		return;
	if (x->op == SIM_REAL_MQ_UNLINK) {
		g_hash_table_remove(xc->own_mq, x->mq);
	} else if (x->mq_excl) {
		g_hash_table_add(xc->own_mq, g_strdup(x->mq));
	} else if (!g_hash_table_contains(xc->own_mq, x->mq)) {
		fail(xc,
		     "mq_open %s reached a queue the run did not make: something the run did "
		     "not make has that name: the replay stops",
		     x->mq);
	}
}

/* Tests (SimXcheckOptions.squat): a stranger - the coordinator, not recording it - takes
 * the key of the kernel's queue kid, just removed. */
static void squat(Xc *xc, gint64 kid)
{
	gint64 mid, rk;
	if (!xc->sb.shared || !map_get(xc->rids[XC_MSG], kid, &mid))
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
void xc_kernel_stat(const Xc *xc, const gint64 stat[12], gint64 f[11])
{
	memcpy(f, stat, 11 * sizeof(f[0]));
	f[5] &= 0777;
	gint64 mk;
	if (xc->sb.shared && map_get(xc->rkeys, stat[10], &mk))
		f[10] = mk;
	f[10] = (gint64)(guint32)f[10];
}

/* ---- Translating a call: the families' replay hooks, and the services they use ---- */

const char *stmt_word(const SimStmt *st)
{
	return sim_call_desc(st->kind)->real_name;
}

gint64 xc_task_pid(const Xc *xc, int task)
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

void xc_fork_slot(const Xc *xc, int task, gint64 *slot, gint64 *n_desc)
{
	*slot = xc->x[task].slot;
	*n_desc = xc->x[task].n_desc;
}

guint xc_open_flags(guint f)
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
	if (f & SIM_O_TRUNC)
		o |= O_TRUNC;
	if (f & SIM_O_CLOEXEC)
		o |= O_CLOEXEC;
	return o;
}

/* The real deadline of a timed call: ns from now (0: already past), -1 none, -2 invalid. */
gint64 xc_real_timeout(Xc *xc, SimWorld *w, const SimTask *t, SimTimeoutKind timeout,
		       SimTime timeout_at)
{
	XTask *x = &xc->x[t->id];
	SimTime dl;
	if (xc->free && (timeout == SIM_TIMEOUT_RELATIVE || timeout == SIM_TIMEOUT_ABSOLUTE))
		return xc_free_deadline_ns(xc, w, t, timeout, timeout_at); /* not paced */
	switch (timeout) {
	case SIM_TIMEOUT_NONE:
		return -1;
	case SIM_TIMEOUT_INVALID:
		return SIM_REAL_TIMEOUT_INVALID;
	case SIM_TIMEOUT_RELATIVE:
		dl = sim_time_add(sim_world_now(w), timeout_at);
		break;
	case SIM_TIMEOUT_ABSOLUTE:
	default:
		dl = timeout_at;
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
void stmt_text(SimWorld *w, const SimTask *t, const SimStmt *st, const char *fallback,
	       GString *data)
{
	gsize len;
	const char *text = sim_interp_text(w, t, &st->text, &len);
	/* By length: a message's text may hold NUL bytes. */
	g_string_truncate(data, 0);
	if (text)
		g_string_append_len(data, text, (gssize)len);
	else
		g_string_append(data, fallback ? fallback : "");
}

/* A queue name in data made the kernel's (real_mq), in place. */
gboolean xc_real_mq_text(Xc *xc, GString *data, gboolean creates)
{
	g_autofree char *real = real_mq(xc, data->str, creates);
	if (real == NULL)
		return FALSE;
	g_string_assign(data, real);
	return TRUE;
}

gboolean xc_mq_must_create(const Xc *xc, const char *name)
{
	return xc->sb.shared && !g_hash_table_contains(xc->own_mq, name);
}

gboolean xc_replay_fd(SimReplay *r, SimRealOp op)
{
	r->c->op = op;
	r->c->a[0] = sim_interp_fd(r->t, r->st);
	return TRUE;
}

gboolean xc_replay_bytes(SimReplay *r, gint64 size, const char *what)
{
	gsize len = 0;
	const char *text = sim_interp_text(r->w, r->t, &r->st->text, &len);
	gsize n = size >= 0 ? (gsize)size : len;
	if (n > SIM_REAL_DATA_MAX) {
		xc_refuse(r->xc, "a %s of %zu bytes is more than a worker call carries (%d)", what, n,
			  SIM_REAL_DATA_MAX);
		return FALSE;
	}
	for (gsize i = 0; i < n; i++)
		g_string_append_c(r->data, len ? text[i % len] : 'x');
	r->c->a[1] = (gint64)n;
	return TRUE;
}

void xc_refuse(Xc *xc, const char *fmt, ...)
{
	if (xc->unsupported)
		return;
	va_list ap;
	va_start(ap, fmt);
	xc->unsupported = g_strdup_vprintf(fmt, ap);
	va_end(ap);
}

/* Fills c (and data) for st as t would make it now, through its row's replay hook; FALSE
 * when it is not a real call (or the run failed, or refused it). */
static gboolean translate(Xc *xc, SimWorld *w, const SimTask *t, const SimStmt *st, SimRealCall *c,
			  GString *data)
{
	SimCallReplayFn replay = sim_call_desc(st->kind)->replay;
	memset(c, 0, sizeof(*c));
	g_string_truncate(data, 0);
	xc->x[t->id].timed = FALSE;
	SimReplay r = { .xc = xc, .w = w, .t = t, .st = st, .c = c, .data = data };
	if (replay == NULL || !replay(&r))
		return FALSE; /* not a system call, or not one to replay */
	c->len = (guint32)data->len;
	return TRUE;
}

/* The system call a worker sleeps in for op (-1: it never blocks). */
long xc_blocking_nr(SimRealOp op)
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
	case SIM_REAL_SEMOP:
		return SYS_semtimedop;
	case SIM_REAL_SEND: /* glibc's send and recv are sendto and recvfrom */
		return SYS_sendto;
	case SIM_REAL_RECV:
		return SYS_recvfrom;
	case SIM_REAL_ACCEPT:
		return SYS_accept4;
	case SIM_REAL_CONNECT:
		return SYS_connect;
	case SIM_REAL_POLL:
		return SYS_ppoll;
	case SIM_REAL_SELECT:
		return SYS_pselect6;
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
		if (xsi_get_fam(x->op) >= 0 && x->res.ret >= 0)
			note_queue(xc, (XcFam)xsi_get_fam(x->op), x->key, x->res.ret, x->excl);
		if (x->op == SIM_REAL_MKFIFO || x->op == SIM_REAL_UNLINK)
			sim_real_sandbox_note_path(&xc->sb, x->op, x->path, &x->res);
		if (x->op == SIM_REAL_MQ_OPEN || x->op == SIM_REAL_MQ_UNLINK)
			note_mq(xc, x);
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

void xc_collect(Xc *xc, XTask *x, int timeout_ms)
{
	collect(xc, x, timeout_ms);
}

gboolean xc_stopped(Xc *xc)
{
	return stopped(xc);
}

/* Is x settled: answered, dead, or asleep in its call? */
static gboolean settled(Xc *xc, XTask *x)
{
	if (x->held || !x->sent || x->answered || x->died)
		return TRUE;
	if (xc->stops && xc_stop_settled(xc, x))
		return TRUE;
	if (sim_real_ready(&x->wk)) {
		collect(xc, x, xc->opt->step_ms);
		return TRUE;
	}
	/* Asleep in its call, but with a signal the kernel has yet to deliver: not yet. */
	if (xc->catches && sim_real_signal_pending(x->wk.pid))
		return FALSE;
	long nr = xc_blocking_nr(x->op);
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

void xc_quiesce(Xc *xc, const char *who, XTask *issuer)
{
	quiesce(xc, who, issuer);
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
gboolean xc_call_now(Xc *xc, SimRealWorker *wk, SimRealOp op, const gint64 a[6], const char *data,
		     SimRealResult *r, char **out)
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

/* ---- The hook ---- */

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

/* Sends t's call st to its worker, with what the run keeps of it (xcheck_int.h). */
int xc_issue(Xc *xc, SimWorld *w, const SimTask *t, const SimStmt *st)
{
	SimRealCall c;
	g_autoptr(GString) data = g_string_new(NULL);
	if (!translate(xc, w, t, st, &c, data)) {
		if (xc->unsupported)
			sim_world_stop(w);
		return xc->unsupported || xc->failed ? -1 : 0;
	}
	XTask *x = &xc->x[t->id];
	if (!x->started || x->gone) {
		fail(xc, "%s made a call but has no real process", t->name);
		return -1;
	}
	pace(xc, w);
	if (xc->failed)
		return -1;
	if (c.op == SIM_REAL_MQ_SEND || c.op == SIM_REAL_MQ_RECEIVE || c.op == SIM_REAL_POLL ||
	    c.op == SIM_REAL_SELECT) {
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
	if (c.op == SIM_REAL_MSGSND || c.op == SIM_REAL_MSGRCV || c.op == SIM_REAL_MSGCTL ||
	    c.op == SIM_REAL_SEMCTL || c.op == SIM_REAL_SHMCTL)
		x->qid = c.a[0];
	if (xsi_get_fam(c.op) >= 0) {
		gint64 fl = c.op == SIM_REAL_MSGGET ? c.a[1] : c.a[2]; /* semget, shmget: a2 */
		x->key = c.a[0];
		x->excl = (fl & (IPC_CREAT | IPC_EXCL)) == (IPC_CREAT | IPC_EXCL);
	}
	if (c.op == SIM_REAL_MSGSND)
		keep_message(x, &c, data, w->ipcns.limits.msgmax);
	if (c.op == SIM_REAL_MKFIFO || c.op == SIM_REAL_OPEN || c.op == SIM_REAL_UNLINK) {
		g_free(x->path);
		x->path = g_strdup(data->str);
	}
	if (c.op == SIM_REAL_MQ_OPEN || c.op == SIM_REAL_MQ_UNLINK) {
		g_free(x->mq);
		x->mq = g_strdup(data->str);
		x->mq_excl = c.op == SIM_REAL_MQ_OPEN &&
			     (c.a[1] & (O_CREAT | O_EXCL)) == (O_CREAT | O_EXCL);
	}
	if (!send_call(xc, x, &c, data->str))
		return -1;
	xc_kernel_started(xc, t, st);
	return 1;
}

static void on_started(Xc *xc, SimWorld *w, const SimTask *t, const SimStmt *st)
{
	xc_check_unexpected(xc);
	if (xc_issue(xc, w, t, st) <= 0)
		return;
	XTask *x = &xc->x[t->id];
	g_autofree char *who =
		g_strdup_printf("%s, %s (line %u)", t->name, stmt_word(st), st->loc.line);
	quiesce(xc, who, x);
	if (x->op == SIM_REAL_FORK && x->answered && x->res.ret > 0) {
		XTask *kid = &xc->x[st->ep.index];
		sim_real_worker_adopt(&kid->wk, (pid_t)x->res.ret);
		kid->started = TRUE;
		kid->pid = kid->wk.pid;
		w->tasks[st->ep.index].pid = kid->pid;
	}
	xc_thread_started(xc, w, st, x);
}

static void on_blocked(Xc *xc, const SimTask *t, const SimStmt *st)
{
	XTask *x = &xc->x[t->id];
	if (!stmt_word(st))
		return;
	xc_release(xc, x, t, st);
	if (x->sent && x->answered) {
		Cell k = { .err = x->res.err, .ret = x->res.ret };
		g_autofree char *kt = xc_cell_text(&k);
		xc_kernel_returned(xc, t, st, x, TRUE, FALSE);
		xc_row(xc, t, xc_row_call(x, st), st->loc.line, "blocks", kt, FALSE);
		x->sent = x->answered = FALSE;
		return;
	}
	if (x->died) {
		xc_row(xc, t, xc_row_call(x, st), st->loc.line, "blocks", "died", FALSE);
		x->died = FALSE;
		return;
	}
	xc_kernel_blocked(xc, t, st, x->sent);
	xc_row(xc, t, xc_row_call(x, st), st->loc.line, "blocks", "blocked", x->sent);
}

/* Shared mode: an IPC_RMID the kernel did removes an object of the run's, and when the
 * model did it too, the binding of the two ids (squat: a stranger takes a queue's key). A
 * segment removed while attached lives on, keyless, until its last detach, and shmat may
 * still name it: its ids stay bound (the kernel does not reuse an id that soon). */
static void forget_removed(Xc *xc, const SimStmt *st, const XTask *x, int model_err)
{
	XcFam fam;
	if (x->res.err)
		return;
	if (x->op == SIM_REAL_MSGCTL && SIM_STMT_ARGS(st, SIM_CALL_SYSV, sysv).cmd == SIM_CTL_RMID)
		fam = XC_MSG;
	else if (x->op == SIM_REAL_SEMCTL &&
		 SIM_STMT_ARGS(st, SIM_CALL_SEM, sem).cmd == SIM_SEMCTL_RMID)
		fam = XC_SEM;
	else if (x->op == SIM_REAL_SHMCTL &&
		 SIM_STMT_ARGS(st, SIM_CALL_SHM, shm).cmd == SIM_SHMCTL_RMID)
		fam = XC_SHM;
	else
		return;
	drop_queue(xc, fam, x->qid);
	if (!model_err && fam == XC_MSG) {
		if (xc->opt->squat)
			squat(xc, x->qid);
	}
	if (!model_err && fam != XC_SHM)
		unbind_id(xc, fam, x->qid);
}

static void on_finished(Xc *xc, SimWorld *w, const SimTask *t, const SimStmt *st)
{
	XTask *x = &xc->x[t->id];
	if (stmt_word(st))
		xc_release(xc, x, t, st);
	if (!stmt_word(st) || !x->sent)
		return;
	if (xc->stops && xc_stop_late(xc, t, st, x))
		return;
	if (!x->answered && !x->died) {
		/* A timed call the model lets time out: the kernel's deadline is near. */
		int ms = xc->opt->step_ms;
		if (x->timed)
			ms += (int)MAX((x->deadline_us - g_get_monotonic_time()) / 1000, 0);
		if (sim_real_wait_blocked(&x->wk, xc_blocking_nr(x->op), 0) == 1 && !x->timed)
			ms = 50; /* asleep for real: give a wake-up in flight a moment */
		collect(xc, x, ms);
		if (xc->failed)
			return;
	}
	/* What follows asks the real call that was made (x->op), not the statement: each op
	 * comes from one kind of call, and the coordinator speaks the kernel's words. */
	if (xc->sb.shared && (x->op == SIM_REAL_MSGGET || x->op == SIM_REAL_MQ_OPEN) &&
	    (sim_world_result(w, st)->err == ENOSPC || (x->answered && x->res.err == ENOSPC))) {
		xc->unsupported = g_strdup_printf(
			"line %u: %s meets the namespace's limit on queues, which without a "
			"private IPC namespace counts the machine's other queues too",
			st->loc.line, stmt_word(st));
		sim_world_stop(w);
		return;
	}
	if (x->op == SIM_REAL_MKFIFO && x->answered && x->res.err == EEXIST &&
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
	if (x->op == SIM_REAL_MQ_OPEN && xc->sb.shared && x->answered && x->res.err == EEXIST &&
	    x->mq_excl && sim_world_result(w, st)->err != EEXIST) {
		/* The run had no live queue of that name: a stranger made it, under the run's
		 * prefix. Nothing of it is used. */
		fail(xc,
		     "%s, line %u: mq_open %s: the model's %s but the kernel's says EEXIST: "
		     "something the run did not make has that name: the replay stops",
		     t->name, st->loc.line, x->mq,
		     sim_world_result(w, st)->err == 0 ? "succeeds" : "fails otherwise");
		return;
	}
	if (x->died && sim_world_result(w, st)->err == EPIPE) {
		/* SIGPIPE's default action: the model returns EPIPE, then the signal ends the
		 * task; the kernel's worker never returns. The death is compared next. */
		x->res.err = EPIPE;
		x->res.ret = -1;
		xc_kernel_returned(xc, t, st, x, TRUE, TRUE);
		x->sent = FALSE;
		return;
	}
	if (!x->died && x->answered)
		forget_removed(xc, st, x, sim_world_result(w, st)->err);
	xc_compare_call(xc, w, t, st, x);
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
	if (xc_thread_exited(xc, t))
		return;
	xc->step++;
	if (!x->started || x->gone) {
		xc_row(xc, t, "exit", 0, "exits", "no process", FALSE);
		return;
	}
	pid_t pid = x->wk.pid;
	gboolean own = x->wk.own_child;
	SimRealResult r;
	gint64 a[6] = { t->exit_code };
	if (!xc_call_now(xc, &x->wk, SIM_REAL_EXIT, a, NULL, &r, NULL))
		return;
	x->gone = TRUE;
	xc_thread_process_gone(xc, t);
	if (!own)
		wait_finished(xc, pid);
	reap_orphans(xc, t);
	xc_kernel_end(xc, t, TRUE, r.ret, 0);
	g_autofree char *mt = g_strdup_printf("exit %" G_GINT64_FORMAT, t->exit_code);
	g_autofree char *kt = g_strdup_printf("exit %" G_GINT64_FORMAT, r.ret);
	xc_row(xc, t, "exit", 0, mt, kt, r.ret == t->exit_code);
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
	xc_stop_killed(xc, x); /* a signal that kills ends a hold too */
	gboolean dead = wait_dead(xc, x);
	if (dead && !own)
		wait_finished(xc, x->pid);
	int st = x->wk.status;
	g_autofree char *kt =
		!dead ? g_strdup("alive")
		: st >= 0 && WIFSIGNALED(st)
			? g_strdup_printf("killed by %s", sim_scn_signal_name(WTERMSIG(st)))
			: g_strdup(mt); /* a forked child: its parent's wait tells the signal */
	xc_kernel_end(xc, t, dead, 0,
		      st >= 0 && WIFSIGNALED(st) ? WTERMSIG(st)
		      : dead			 ? t->killed_by
						 : 0);
	xc_row(xc, t, "signal", 0, mt, kt, dead && strcmp(mt, kt) == 0);
	x->died = FALSE;
	x->sent = x->answered = FALSE;
	x->gone = TRUE;
	if (dead)
		reap_orphans(xc, t);
}

/* Follows run's schedule: records the model's events, counts the actions, switches to
 * woken first where the plan says the kernel cannot follow, and holds back the woken SysV
 * calls the plan names before the action that wakes them. */
static void follow(Xc *xc, SimWorld *w, const SimTask *t, const SimStmt *st, SimCallPhase ph)
{
	if (xc_plan_counts(st, ph)) {
		guint64 code = xc_plan_code(t, st, ph);
		guint i = xc->order->len;
		g_array_append_val(xc->order, code);
		if (!xc->switched &&
		    (i >= xc->plan.order->len || g_array_index(xc->plan.order, guint64, i) != code))
			xc->strayed = TRUE;
	}
	if (!xc_plan_action(st, ph))
		return;
	xc->action++;
	if (xc->switched)
		return;
	if (xc->plan.diverge && xc->action >= xc->plan.diverge) {
		xc->switched = xc->action;
		w->woken_first = TRUE;
		return;
	}
	for (guint i = 0; i < xc->plan.holds->len && !xc->failed; i++) {
		const XHold *h = &g_array_index(xc->plan.holds, XHold, i);
		if (h->at == xc->action)
			xc_hold(xc, &xc->x[h->task], w->tasks[h->task].name);
	}
}

static void hook(void *data, SimWorld *w, const SimTask *t, const SimStmt *st, SimCallPhase ph)
{
	Xc *xc = data;
	if (xc->failed || xc->unsupported || stopped(xc))
		return;
	if (xc->free) {
		/* A free run: its driver starts the calls, and a model call that blocks
		 * waits for the kernel's order (xcheck_free.c). */
		xc_free_hook(xc, w, t, st, ph, xc_left_out(xc, t, st, ph));
		return;
	}
	if (xc->stops)
		xc_stop_sync(xc, w);
	xc_notify_follow(xc, w, t, ph); /* a notification the last call fired starts its thread */
	follow(xc, w, t, st, ph);
	if (xc->failed || xc_left_out(xc, t, st, ph))
		return;
	xc_alarm_follow(xc, w, t, st, ph);
	if (xc->failed || xc->unsupported || xc_handler_call(xc, w, t, st, ph))
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

/* The lockstep's own ends of a call, for a free run's hook. */
void xc_lockstep_finished(Xc *xc, SimWorld *w, const SimTask *t, const SimStmt *st)
{
	on_finished(xc, w, t, st);
}

void xc_lockstep_exited(Xc *xc, const SimTask *t)
{
	on_exited(xc, t);
}

void xc_lockstep_killed(Xc *xc, const SimTask *t)
{
	on_killed(xc, t);
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
	if (!xc_call_now(xc, wk, SIM_REAL_SETUP, a, NULL, &r, NULL))
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
gboolean xc_with_creator(Xc *xc, gint64 uid, gint64 gid, guint caps, SimRealWorker *wk)
{
	g_autoptr(GError) err = NULL;
	if (!sim_real_worker_spawn(wk, &xc->sb, &err)) {
		fail(xc, "%s", err->message);
		return FALSE;
	}
	return setup_worker(xc, wk, uid, gid, caps, 0, -1, -1, "a declared queue's creator");
}

void xc_end_creator(Xc *xc, SimRealWorker *wk)
{
	SimRealResult r;
	gint64 a[6] = { 0 };
	xc_call_now(xc, wk, SIM_REAL_EXIT, a, NULL, &r, NULL);
	sim_real_worker_kill(wk);
}

static gboolean create_declared(Xc *xc)
{
	const SimScenario *scn = xc->scn;
	for (guint i = 0; i < scn->n_sysvqs && !xc->failed; i++) {
		const SimScnSysvQueue *d = &scn->sysvqs[i];
		gint64 a[6] = { 0, IPC_CREAT | (d->perm & 0777) };
		if (!xc_real_key(xc, XC_MSG, sim_world_key(xc->w, &d->key), &a[0], &a[1]))
			return FALSE;
		SimRealWorker wk;
		if (!xc_with_creator(xc, d->uid, d->gid, SIM_CAP_IPC_OWNER, &wk))
			return FALSE;
		SimRealResult r;
		gboolean odd = FALSE;
		xc_call_now(xc, &wk, SIM_REAL_MSGGET, a, NULL, &r, NULL);
		if (!xc->failed && r.ret >= 0)
			note_queue(xc, XC_MSG, a[0], r.ret, (a[1] & IPC_EXCL) != 0);
		xc_end_creator(xc, &wk);
		if (!xc->failed &&
		    (xc_model_id(xc, XC_MSG, r.ret, xc->w->sysvq_ids[i], &odd) != xc->w->sysvq_ids[i] ||
		     odd))
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
		if (!xc_with_creator(xc, d->uid, d->gid, SIM_CAP_IPC_OWNER | SIM_CAP_SYS_ADMIN,
				     &wk))
			return FALSE;
		SimRealResult r;
		gint64 a[6] = { 0, O_CREAT | O_EXCL | O_RDWR, d->perm, d->maxmsg, d->msgsize };
		xc_call_now(xc, &wk, SIM_REAL_MQ_OPEN, a, name, &r, NULL);
		xc_end_creator(xc, &wk);
		if (!xc->failed && r.ret < 0)
			fail(xc, "posix queue %s: mq_open: %s", d->name, sim_errno_name(r.err));
		if (!xc->failed && xc->sb.shared)
			g_hash_table_add(xc->own_mq, g_strdup(name));
	}
	return !xc->failed && xc_create_mailboxes(xc);
}

/* Adds the processes forked by `parent` and theirs to top's family, depth first, so that
 * each one's descendants follow it (real.h SIM_REAL_FORK). Returns how many it added. */
static guint add_family(Xc *xc, XTask *top, int parent)
{
	guint n = 0;
	for (guint i = 0; i < xc->n; i++) {
		const SimScnProc *p = &xc->scn->procs[i];
		if (!xc_is_kid(p) || p->parent != parent)
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

/* Descriptors the coordinator may hold besides the workers' pipes: stdio, the report and
 * stop pipes, the sandbox's, a one-off creator's, the inspector's, with room to spare. */
#define XC_FDS_OWN 64

/* Are there descriptors enough for the scenario's workers under RLIMIT_NOFILE (whose soft
 * limit the coordinator raised to the hard one)? The coordinator holds the two pipe ends
 * of every worker, and four for every fork child until its ancestor starts; a worker
 * with k fork descendants moves their channels above SIM_REAL_FD_BASE. When not, the
 * scenario is not cross-checkable here: FALSE, and why. */
static gboolean enough_descriptors(Xc *xc)
{
	guint n_fork = 0, max_kids = 0;
	for (guint i = 0; i < xc->n; i++) {
		if (xc_is_kid(&xc->scn->procs[i]))
			n_fork++;
		else
			max_kids = MAX(max_kids, xc->x[i].n_kids);
	}
	guint64 coord = 4 * (guint64)n_fork + 2 * (guint64)(xc->n - n_fork) + XC_FDS_OWN;
	guint64 need = MAX(coord, sim_real_worker_fds_needed(max_kids));
	struct rlimit rl;
	if (getrlimit(RLIMIT_NOFILE, &rl) < 0 || rl.rlim_cur == RLIM_INFINITY ||
	    (guint64)rl.rlim_cur >= need)
		return TRUE;
	xc->unsupported = g_strdup_printf(
		"the run needs %" G_GUINT64_FORMAT " open descriptors for its %u workers "
		"(%u forked, at most %u in one family) and RLIMIT_NOFILE allows %" G_GUINT64_FORMAT
		": raise the hard limit (ulimit -Hn) to cross-check it",
		need, xc->n, n_fork, max_kids, (guint64)rl.rlim_cur);
	return FALSE;
}

static gboolean start_workers(Xc *xc)
{
	const SimScenario *scn = xc->scn;
	g_autoptr(GError) err = NULL;
	/* Fork children first: their pipes must exist before their ancestor is spawned. */
	for (guint i = 0; i < xc->n; i++)
		if (!xc_is_kid(&scn->procs[i]))
			add_family(xc, &xc->x[i], (int)i);
	if (!enough_descriptors(xc))
		return FALSE;
	for (guint i = 0; i < xc->n; i++) {
		const SimScnProc *p = &scn->procs[i];
		if (!xc_is_kid(p))
			continue;
		if (!sim_real_worker_prepare(&xc->x[i].wk, &err)) {
			fail(xc, "%s", err->message);
			return FALSE;
		}
	}
	for (guint i = 0; i < xc->n; i++) {
		const SimScnProc *p = &scn->procs[i];
		XTask *x = &xc->x[i];
		if (xc_is_kid(p))
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
			if (!xc_call_now(xc, &x->wk, SIM_REAL_MQ_OPEN, a, name, &r, NULL))
				return FALSE;
			if (r.ret < 0) {
				fail(xc, "%s: opening %s: %s", p->name, scn->posixqs[q].name,
				     sim_errno_name(r.err));
				return FALSE;
			}
		}
		if (!xc_open_mailboxes(xc, x, p->name))
			return FALSE;
		if (!setup_worker(xc, &x->wk, xc_real_uid(xc, p->uid), p->gid, p->caps, p->nice,
				  p->rlimit_msgqueue, p->rlimit_nofile, p->name))
			return FALSE;
	}
	if (!sim_real_worker_spawn(&xc->inspector, &xc->sb, &err)) {
		fail(xc, "%s", err->message);
		return FALSE;
	}
	return TRUE;
}

/* ---- The end ---- */

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
	/* A stop can come between a msgget, semget or shmget that made an object and the
	 * answer that records its id (shared mode: only a recorded object is removed): read
	 * what is in flight first. */
	for (guint i = 0; xc->sb.shared && i < xc->n; i++) {
		XTask *x = &xc->x[i];
		if (x->sent && xsi_get_fam(x->op) >= 0 && x->wk.pid > 0)
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
	for (guint f = 0; f < XC_NFAM; f++) {
		xc->ids[f] = g_hash_table_new(NULL, NULL);
		xc->rids[f] = g_hash_table_new(NULL, NULL);
		xc->own[f] = g_hash_table_new(NULL, NULL);
		xc->own_key[f] = g_hash_table_new(NULL, NULL);
	}
	xc->own_mq = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	xc->unsupported = shared_unsupported(scn);
	if (xc->unsupported) {
		sim_real_sandbox_leave(&xc->sb);
		return FALSE;
	}
	return TRUE;
}

/* Picks the run's own uids (xcheck_users.c), then lets every uid the scenario's processes
 * take into the FIFO directory, when they use it. FALSE (not cross-checkable) when either
 * cannot be had: the directory is never opened to everyone instead. */
static gboolean let_in(Xc *xc)
{
	const SimScenario *scn = xc->scn;
	if (!xc_users_pick(xc) || find_stmt(scn, is_path_call) == NULL)
		return xc->unsupported == NULL;
	g_autofree guint32 *uids = g_new(guint32, scn->n_procs + 1);
	for (guint i = 0; i < scn->n_procs; i++)
		uids[i] = (guint32)xc_real_uid(xc, scn->procs[i].uid);
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
			       .pick = pick,
			       .pick_data = xc };
	/* The schedule `msgsim run` shows: same options, planned first (xcheck_plan.c). */
	xc_plan_make(scn, &wo, xc->opt->schedule, &xc->plan);
	wo.alarm_due = xc_alarm_due; /* the lockstep's world only, not the plan's */
	xc_left_out_init(xc);
	xc->order = g_array_new(FALSE, FALSE, sizeof(guint64));
	xc_witness_options(xc, &wo);
	xc->w = sim_world_new(scn, &wo);
	xc->n = xc->w->n_tasks;
	xc->x = g_new0(XTask, xc->n + 1);
	xc_alarm_init(xc);
	xc_handler_init(xc);
	for (guint i = 0; i < xc->n; i++)
		xc->x[i].wk.far_cmd = xc->x[i].wk.far_res = -1;
	/* A free run is never paced: its timeouts take real time of their own. */
	xc->paced = !xc->opt->free_run && find_stmt(scn, is_timed_call) != NULL;
	xc->catches = find_stmt(scn, is_on) != NULL;
	xc->stops = sim_call_sends_stop(scn);
	if (xc_size_mailboxes(xc) && create_declared(xc) && start_workers(xc)) {
		xc->base_us = g_get_monotonic_time();
		if (xc->opt->free_run)
			xc_free_drive(xc);
		else
			xc_witness_run(xc);
		GString *stop = g_string_new(NULL);
		if (!xc->failed && !xc->unsupported && sim_report_stop(xc->w, stop))
			xc->failed = g_strdup_printf("the model was stopped: %s", stop->str);
		g_string_free(stop, TRUE);
		if (!xc->failed && !xc->unsupported)
			xc_final_state(xc);
		if (!xc->failed && !xc->unsupported)
			xc_handler_leftover(xc); /* a kill the kernel's handler made alone */
		if (!xc->failed && !xc->unsupported && !xc->opt->free_run)
			xc_expectations(xc);
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
	xc_free_clear(xc);
	xc_witness_free(xc);
	for (guint i = 0; i < xc->n; i++) {
		g_free(xc->x[i].data);
		g_free(xc->x[i].kids);
		g_free(xc->x[i].path);
		g_free(xc->x[i].mq);
		if (xc->x[i].msg)
			g_string_free(xc->x[i].msg, TRUE);
	}
	g_free(xc->x);
	for (guint i = 0; xc->mb && i < xc->scn->n_mboxes; i++)
		g_free(xc->mb[i].name);
	g_free(xc->mb);
	if (xc->w)
		sim_world_free(xc->w);
	xc_plan_clear(&xc->plan);
	xc_expect_free(xc);
	xc_left_out_free(xc);
	xc_alarm_free(xc);
	xc_handler_free(xc);
	if (xc->order)
		g_array_free(xc->order, TRUE);
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
	GHashTable *maps[] = { xc->keys, xc->rkeys, xc->own_mq };
	for (guint i = 0; i < G_N_ELEMENTS(maps); i++)
		if (maps[i])
			g_hash_table_destroy(maps[i]);
	for (guint f = 0; f < XC_NFAM; f++) {
		GHashTable *fm[] = { xc->ids[f], xc->rids[f], xc->own[f], xc->own_key[f] };
		for (guint i = 0; i < G_N_ELEMENTS(fm); i++)
			if (fm[i])
				g_hash_table_destroy(fm[i]);
	}
}

/* What the coordinator sends back: the counts, then the lengths and bytes of two texts. */
typedef struct Wire {
	int verdict;
	int signo; /* INTERRUPTED: the signal */
	guint calls, checks, mismatches;
	int schedule; /* SimXcheckSchedule */
	guint held;
	guint expect_failed_model, expect_failed_kernel, left_out;
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
	/* The common soft limit of 1024 descriptors is short of a scenario with hundreds of
	 * workers: the coordinator (and its workers, which set the scenario's own limits)
	 * may go up to the hard one. enough_descriptors says when even that is short. */
	struct rlimit rl;
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
	/* In a background process group now: a terminal with TOSTOP must not stop it. */
	signal(SIGTTOU, SIG_IGN);
	Xc xc = { .scn = scn, .file = file, .opt = opt };
	xc.rows = g_string_new(NULL);
	xc.first = g_string_new(NULL);
	xc.expect = g_string_new(NULL);
	SimXcheckReport rep = { 0 };
	coordinate(&xc, &rep);
	xc_report_finish(&xc, &rep);
	if (opt->free_run)
		xc_free_report(&xc, &rep);
	Wire wire = { (int)rep.verdict,
		      rep.signo,
		      rep.calls,
		      rep.checks,
		      rep.mismatches,
		      (int)rep.schedule,
		      rep.held,
		      rep.expect_failed_model,
		      rep.expect_failed_kernel,
		      rep.left_out,
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
static char *model_stops(const SimScenario *scn, const SimXcheckOptions *o, SimTime *end)
{
	SimWorldOptions wo = { .seed = o->seed,
			       .seed_set = o->seed_set,
			       .max_steps = o->max_steps,
			       .max_time = o->max_time,
			       .max_memory = o->max_memory };
	g_autoptr(SimWorld) w = sim_world_new(scn, &wo);
	sim_world_run(w);
	*end = sim_world_now(w);
	GString *s = g_string_new(NULL);
	if (sim_report_stop(w, s))
		return g_string_free(s, FALSE);
	g_string_free(s, TRUE);
	return NULL;
}

/* A paced scenario whose model time (end), at SIM_XCHECK_PACE, takes longer than the run
 * may (total_ms): what the report of a run out of time adds, or NULL. */
static char *too_long(const SimScenario *scn, const SimXcheckOptions *o, SimTime end)
{
	if (find_stmt(scn, is_timed_call) == NULL)
		return NULL;
	gint64 model_ms = end / SIM_MS;
	gint64 real_ms = model_ms > G_MAXINT64 / SIM_XCHECK_PACE ? G_MAXINT64
								  : model_ms * SIM_XCHECK_PACE;
	if (real_ms < o->total_ms)
		return NULL;
	return g_strdup_printf("its timed calls make it paced, and its %" G_GINT64_FORMAT
			       " ms of model time take %" G_GINT64_FORMAT
			       " ms for real (%d times slower)",
			       model_ms, real_ms, SIM_XCHECK_PACE);
}

/* Refuses a scenario before anything real exists: one the kernel cannot replay, or one the
 * model's guard rails stop. TRUE when it did, with the report written; else *end is when
 * the model's run ends. */
static gboolean refuse(const SimScenario *scn, const char *file, const SimXcheckOptions *o,
		       SimXcheckReport *rep, SimTime *end)
{
	char *why = sim_xcheck_unsupported(scn);
	if (why) {
		xc_report_refused(rep, file, SIM_XCHECK_NOT_CHECKABLE, why);
		return TRUE;
	}
	why = model_stops(scn, o, end);
	if (why) {
		xc_report_refused(rep, file, SIM_XCHECK_STOPPED, why);
		return TRUE;
	}
	why = xc_alarm_unsupported(scn, !o->free_run && find_stmt(scn, is_timed_call) != NULL);
	if (why) {
		xc_report_refused(rep, file, SIM_XCHECK_NOT_CHECKABLE, why);
		return TRUE;
	}
	return FALSE;
}

/* Forks the coordinator into a process group of its own, with the stop signals caught;
 * its report comes on *rfd. Its pid, or -1 (error set) when it cannot be started. */
static pid_t start_coordinator(const SimScenario *scn, const char *file, const SimXcheckOptions *o,
			       int *rfd, GError **error)
{
	int fds[2];
	if (pipe2(fds, O_CLOEXEC) < 0) {
		g_set_error(error, SIM_REAL_ERROR, SIM_REAL_ERROR_WORKER,
			    "cannot start the cross-check: pipe: %s", g_strerror(errno));
		return -1;
	}
	if (!sim_real_stop_catch()) {
		int err = errno;
		close(fds[0]);
		close(fds[1]);
		g_set_error(error, SIM_REAL_ERROR, SIM_REAL_ERROR_WORKER,
			    "cannot start the cross-check: its stop pipe: %s", g_strerror(err));
		return -1;
	}
	fflush(NULL);
	pid_t parent = getpid();
	/* Blocked across the fork, so that the coordinator has its own self-pipe before it
	 * takes a stop signal. */
	sim_real_stop_block(TRUE);
	pid_t pid = fork();
	if (pid == 0) {
		/* A process group of its own, which its workers inherit: see end_coordinator. */
		setpgid(0, 0);
		close(fds[0]);
		coordinator_main(scn, file, o, fds[1], parent);
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
		return -1;
	}
	*rfd = fds[0];
	return pid;
}

/* Reads the coordinator's report from fd (then closed) into wire and rep, by aw's
 * deadline. FALSE when it did not come whole. */
static gboolean read_report(int fd, Await *aw, Wire *wire, SimXcheckReport *rep)
{
	gboolean ok = read_full(fd, wire, sizeof(*wire), aw);
	if (ok) {
		rep->text = g_malloc0((gsize)wire->text_len + 1);
		ok = read_full(fd, rep->text, wire->text_len, aw);
	}
	if (ok && wire->reason_len) {
		rep->reason = g_malloc0((gsize)wire->reason_len + 1);
		ok = read_full(fd, rep->reason, wire->reason_len, aw);
	}
	close(fd);
	return ok;
}

/* The coordinator's end: killed when it did not report, then reaped. Its wait status
 * (a coordinator that exited or was killed before it could report keeps its own). */
static int end_coordinator(pid_t pid, gboolean reported)
{
	if (!reported)
		kill(pid, SIGKILL);
	int status = 0;
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	/* Whatever is left of the run's process group goes: a worker dies with the coordinator
	 * (its lifeline), but not while it is stopped. Then a coordinator killed here left
	 * its sandbox (and, without a private namespace, its queues) behind: swept. */
	kill(-pid, SIGKILL);
	if (!reported)
		sim_real_sandbox_sweep_stale();
	return status;
}

/* The phases: refuse what cannot run, start the coordinator, read its report by the
 * deadline (passing a stop signal on), end it, and say what became of the run. */
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
	SimTime end = 0;
	if (refuse(scn, file, &o, rep, &end))
		return TRUE;
	int rfd = -1;
	pid_t pid = start_coordinator(scn, file, &o, &rfd, error);
	if (pid < 0)
		return FALSE;
	Await aw = { .pid = pid, .deadline = g_get_monotonic_time() + (gint64)o.total_ms * 1000 };
	Wire wire;
	gboolean ok = read_report(rfd, &aw, &wire, rep);
	int status = end_coordinator(pid, ok);
	/* A stop that came after the report was sent still ends the command. */
	if (aw.signo == 0 && sim_real_stop_signal() != 0)
		aw.signo = sim_real_stop_signal();
	sim_real_stop_release();
	if (!ok) {
		gboolean late = g_get_monotonic_time() >= aw.deadline;
		g_autofree char *slow = late && aw.signo == 0 ? too_long(scn, &o, end) : NULL;
		xc_report_lost(rep, file, late, aw.signo != 0 ? STOP_GRACE_MS : o.total_ms, status,
			       slow);
	} else {
		rep->verdict = (SimXcheckVerdict)wire.verdict;
		rep->signo = wire.signo;
		rep->calls = wire.calls;
		rep->checks = wire.checks;
		rep->mismatches = wire.mismatches;
		rep->schedule = (SimXcheckSchedule)wire.schedule;
		rep->held = wire.held;
		rep->expect_failed_model = wire.expect_failed_model;
		rep->expect_failed_kernel = wire.expect_failed_kernel;
		rep->left_out = wire.left_out;
	}
	/* Stopped here: interrupted, whatever the coordinator managed to report. */
	if (aw.signo != 0 && rep->verdict != SIM_XCHECK_INTERRUPTED)
		xc_report_interrupted(rep, file, aw.signo);
	return TRUE;
}
