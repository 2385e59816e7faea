/* posix.c — POSIX message queues of real programs, served by the model.
 *
 * glibc's mq_open, mq_send/mq_receive (mq_timedsend/mq_timedreceive), mq_getattr and
 * mq_setattr (mq_getsetattr), mq_notify and mq_unlink are single system calls; each is
 * decoded from its registers, checked in the order of ipc/mqueue.c's SYSCALL_DEFINEs and
 * run on the same SimMqueue objects and wait lists a scenario's mq_* statements use
 * (kernel/mqueue.h). A call that must wait is left unanswered, as serve.c does for SysV.
 *
 * The one design choice to know: the descriptor mq_open returns is a real one. The
 * supervisor makes a pipe, installs its write end in the guest (SECCOMP_ADDFD_FLAG_SEND,
 * so the kernel picks the lowest free number, as it would for a queue) and keeps the read
 * end. The pipe's inode names the open file description: dup, dup2, fcntl(F_DUPFD), fork
 * and exec copy or keep it in the kernel exactly as they would a queue's, and a later call
 * finds its queue by the inode of /proc/PID/fd/N. When the last copy is closed, the read
 * end reports a hang-up and the model drops the description (sim_mqueue_put).
 */
#undef _POSIX_C_SOURCE
#define _GNU_SOURCE

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <mqueue.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "exec/exec_int.h"
#include "msgsim/kernel/mqueue.h"
#include "msgsim/lang/scn.h"
#include "msgsim/output/ipcs.h"

#define TEXT_SHOWN 40 /* bytes of a message shown in the trace */

/* One open queue description, held by some guests' descriptors. */
struct SimExecMqFile {
	SimMqueue *q;
	guint access;	   /* SIM_O_RDONLY, SIM_O_WRONLY or SIM_O_RDWR */
	gboolean nonblock; /* O_NONBLOCK: mq_setattr changes it */
	int keep;	   /* the placeholder pipe's read end, or -1 once every copy closed */
	ino_t ino;	   /* the pipe's inode: what names it in a guest's /proc/PID/fd */
};

gboolean sim_exec_is_mq(int nr)
{
	return nr == __NR_mq_open || nr == __NR_mq_unlink || nr == __NR_mq_timedsend ||
	       nr == __NR_mq_timedreceive || nr == __NR_mq_notify || nr == __NR_mq_getsetattr;
}

const char *sim_exec_mq_call_name(int nr)
{
	return nr == __NR_mq_timedsend ? "mq_send" : nr == __NR_mq_timedreceive ? "mq_receive" : NULL;
}

static gboolean tracing(const SimExec *x)
{
	return !x->opt->quiet && !x->opt->program_output && !x->trace;
}

static void append_result(GString *s, gint64 ret, int err)
{
	if (err)
		g_string_append_printf(s, " = -1 %s (%s)", strerrorname_np(err), g_strerror(err));
	else
		g_string_append_printf(s, " = %" G_GINT64_FORMAT, ret);
}

static void append_text(GString *s, const char *text, gsize len)
{
	if (!text) {
		g_string_append(s, "msg");
		return;
	}
	gsize n = 0;
	while (n < len && text[n])
		n++;
	g_autofree char *shown = g_strndup(text, MIN(n, TEXT_SHOWN));
	g_autofree char *esc = g_strescape(shown, NULL);
	g_string_append_printf(s, "\"%s%s\"", esc, n > TEXT_SHOWN ? "..." : "");
}

/* What guest fd is (FALSE: not open). Every mq_* call and every close asks, so the cheap
 * way goes first: a copy of the descriptor taken through the guest's pidfd (pidfd_getfd,
 * Linux 5.6), whose fstat costs about half a stat of /proc/PID/fd/N. The copy is closed at
 * once; the guest, parked, still holds the file, so closing a copy changes nothing. */
static gboolean fd_stat(const SimGuest *g, int fd, struct stat *st)
{
	if (g->pidfd >= 0) {
		int c = (int)syscall(__NR_pidfd_getfd, g->pidfd, fd, 0);
		if (c >= 0) {
			gboolean ok = fstat(c, st) == 0;
			close(c);
			return ok;
		}
		if (errno == EBADF)
			return FALSE;
	}
	char path[64];
	g_snprintf(path, sizeof path, "/proc/%d/fd/%d", (int)g->pid, fd);
	return stat(path, st) == 0;
}

/* The description behind a guest's descriptor fd, or NULL (not one of the run's queues:
 * EBADF, as the kernel says for any file that is not a queue). */
static SimExecMqFile *mq_fd(const SimExec *x, const SimGuest *g, gint64 fd)
{
	if (fd < 0 || fd > INT_MAX || !x->mqfiles)
		return NULL;
	struct stat st;
	if (!fd_stat(g, (int)fd, &st) || !S_ISFIFO(st.st_mode))
		return NULL;
	for (guint i = 0; i < x->mqfiles->len; i++) {
		SimExecMqFile *f = x->mqfiles->pdata[i];
		if (f->keep >= 0 && f->ino == st.st_ino)
			return f;
	}
	return NULL;
}

const SimMqueue *sim_exec_mq_of_fd(const SimExec *x, const SimGuest *g, gint64 fd)
{
	if (sim_exec_woken(g) && g->call.mf) /* its wait's description: no need to look */
		return g->call.mf->q;
	const SimExecMqFile *f = mq_fd(x, g, fd);
	return f ? f->q : NULL;
}

const SimMqueue *sim_exec_mq_waited(const SimGuest *g)
{
	int nr = g->notif.data.nr;
	const SimExecMqFile *f = g->call.mf;
	return (nr == __NR_mq_timedsend || nr == __NR_mq_timedreceive) && f && f->keep >= 0 ? f->q
											      : NULL;
}

static int guest_pid(const SimExec *x, int task)
{
	return task >= 0 && (guint)task < sim_exec_n(x) ? sim_exec_guest(x, task)->nspid : 0;
}

/* A queue's name read from the guest as getname does: EFAULT, ENAMETOOLONG, ENOENT for
 * the empty one. The model's names start with "/", which glibc strips before the call. */
int sim_exec_mq_name(const SimGuest *g, guint64 addr, char **out)
{
	GString *s = g_string_new("/");
	for (gsize off = 0; off < PATH_MAX; off++) {
		char c;
		if (!sim_exec_read(g, addr + off, &c, 1)) {
			g_string_free(s, TRUE);
			return EFAULT;
		}
		if (!c) {
			gboolean empty = s->len == 1;
			*out = g_string_free(s, empty);
			return empty ? ENOENT : 0;
		}
		g_string_append_c(s, c);
	}
	g_string_free(s, TRUE);
	return ENAMETOOLONG;
}

static guint oflags_of(int flags)
{
	guint f = (flags & O_CREAT ? SIM_O_CREAT : 0) | (flags & O_EXCL ? SIM_O_EXCL : 0) |
		  (flags & O_NONBLOCK ? SIM_O_NONBLOCK : 0);
	switch (flags & O_ACCMODE) {
	case O_RDONLY: return f | SIM_O_RDONLY;
	case O_WRONLY: return f | SIM_O_WRONLY;
	case O_RDWR: return f | SIM_O_RDWR;
	default: return f | SIM_O_ACCMODE3;
	}
}

/* ---- Events for the engine's sinks (--format), as events.c makes them for SysV ---- */

static const char *mq_op(SimStmtKind kind)
{
	switch (kind) {
	case SIM_STMT_MQ_OPEN: return "mq_open";
	case SIM_STMT_MQ_UNLINK: return "mq_unlink";
	case SIM_STMT_MQ_SEND: return "mq_send";
	case SIM_STMT_MQ_RECEIVE: return "mq_receive";
	case SIM_STMT_MQ_GETATTR: return "mq_getattr";
	case SIM_STMT_MQ_SETATTR: return "mq_setattr";
	case SIM_STMT_MQ_NOTIFY: return "mq_notify";
	default: return "mq_close";
	}
}

/* g's mq_* call (or close) as the scenario statement it would be, its event emitted;
 * object: the queue's name (open, unlink) or the descriptor; value: the description's
 * flags before the call (getattr, setattr, notify, close show them). Nothing when no such
 * format was asked for. */
static void ev_mq(SimExec *x, const SimGuest *g, SimStmtKind kind, const SimMqueue *q,
		  const SimMsg *m, int err, gboolean blocked, gboolean resuming, gint64 ret,
		  const SimGuest *other, gint64 value)
{
	if (!x->trace)
		return;
	const __u64 *a = g->notif.data.args;
	SimStmt *st = g_new0(SimStmt, 1);
	g_ptr_array_add(x->stmts, st);
	st->kind = kind;
	st->var = -1;
	st->mq.maxmsg = st->mq.msgsize = -1;
	st->mq.size = SIM_SIZE_UNSET;
	st->mq.fill = -1;
	st->mq.timeout = SIM_TIMEOUT_NONE;
	const char *object;
	if (kind == SIM_STMT_MQ_OPEN || kind == SIM_STMT_MQ_UNLINK) {
		object = q ? sim_exec_name(x, "%s", q->name) : "?";
		if (kind == SIM_STMT_MQ_OPEN) {
			st->mq.flags = oflags_of((int)a[1]);
			st->mq.perm = (gint64)(a[2] & 07777);
		}
	} else {
		object = sim_exec_name(x, "mqd %d", (int)a[0]);
		if (kind == SIM_STMT_MQ_SEND)
			st->mq.prio = (gint64)a[3];
		else if (kind == SIM_STMT_MQ_RECEIVE)
			st->mq.size = (gint64)a[2];
		if ((kind == SIM_STMT_MQ_SEND || kind == SIM_STMT_MQ_RECEIVE) && a[4]) {
			st->mq.timeout = SIM_TIMEOUT_ABSOLUTE;
			st->mq.timeout_at = g->call.deadline;
		}
		if (kind == SIM_STMT_MQ_SETATTR)
			st->mq.flags = (guint)ret; /* SIM_O_NONBLOCK or 0, passed here */
		if (kind == SIM_STMT_MQ_NOTIFY) {
			st->mq.notify = (SimNotifyKind)(ret >> 8);
			st->mq.sig = (int)(ret & 0xff);
		}
		if (kind == SIM_STMT_MQ_SETATTR || kind == SIM_STMT_MQ_NOTIFY)
			ret = err ? -1 : 0;
	}
	SimTraceEvent ev = {
		.kind = resuming ? SIM_TR_RETURN : SIM_TR_CALL,
		.time = sim_world_now(x->w),
		.task = sim_exec_name(x, "%s", g->name),
		.other = other ? sim_exec_name(x, "%s", other->name) : NULL,
		.object = object,
		.op = mq_op(kind),
		.stmt = st,
		.msg = m,
		.msg_from = m ? sim_exec_name(x, "%s", sim_exec_guest(x, m->from)->name) : NULL,
		.err = err,
		.blocked = blocked,
		.reason =
			blocked ? (kind == SIM_STMT_MQ_SEND ? "queue full" : "queue empty") : NULL,
		.ret = ret,
		.value = value,
		.mq = q
	};
	if (q && q->notify_task >= 0 && (guint)q->notify_task < sim_exec_n(x)) /* NOTIFY_PID */
		ev.lspid = sim_exec_name(x, "%s", sim_exec_guest(x, q->notify_task)->name);
	sim_trace_emit(x->trace, &ev);
}

/* ---- mq_open and mq_unlink ---- */

static void append_oflags(GString *s, int flags)
{
	static const char *const modes[] = { "O_RDONLY", "O_WRONLY", "O_RDWR", "3" };
	g_string_append(s, modes[flags & O_ACCMODE]);
	if (flags & O_CREAT)
		g_string_append(s, "|O_CREAT");
	if (flags & O_EXCL)
		g_string_append(s, "|O_EXCL");
	if (flags & O_NONBLOCK)
		g_string_append(s, "|O_NONBLOCK");
	if (flags & O_CLOEXEC)
		g_string_append(s, "|O_CLOEXEC");
}

/* The placeholder: a pipe whose write end the guest gets at the number the kernel picks. */
static int install(SimExec *x, SimGuest *g, SimMqueue *q, int flags, gint64 *fd)
{
	int p[2];
	if (pipe2(p, O_CLOEXEC) != 0)
		return errno;
	gboolean ok = sim_exec_answer_fd(x, g, p[1], (flags & O_CLOEXEC) != 0);
	close(p[1]);
	if (!ok) {
		close(p[0]);
		return (int)x->last_err;
	}
	*fd = x->last_val;
	sim_exec_mq_describe(x, q, flags, p[0]);
	return 0;
}

void sim_exec_mq_describe(SimExec *x, SimMqueue *q, int flags, int keep)
{
	struct stat st;
	SimExecMqFile *f = g_new0(SimExecMqFile, 1);
	f->q = q;
	f->access = oflags_of(flags) & (SIM_O_RDONLY | SIM_O_WRONLY | SIM_O_RDWR);
	f->nonblock = (flags & O_NONBLOCK) != 0;
	f->keep = keep;
	f->ino = fstat(keep, &st) == 0 ? st.st_ino : 0;
	if (!x->mqfiles)
		x->mqfiles = g_ptr_array_new();
	g_ptr_array_add(x->mqfiles, f);
}

static void serve_open(SimExec *x, SimGuest *g)
{
	const __u64 *a = g->notif.data.args;
	int flags = (int)a[1];
	struct mq_attr attr;
	g_autofree char *name = NULL;
	int err = 0;
	gint64 fd = -1;
	gboolean has_attr = a[3] != 0;
	if (has_attr && !sim_exec_read(g, a[3], &attr, sizeof attr))
		err = EFAULT; /* copied before anything else */
	if (!err)
		err = sim_exec_mq_name(g, a[0], &name);
	SimMqueue *q = NULL;
	if (!err) {
		struct rlimit rl = { 819200, 819200 };
		prlimit(g->pid, RLIMIT_MSGQUEUE, NULL, &rl);
		gint64 maxmsg = -1, msgsize = -1;
		if (has_attr && (flags & O_CREAT)) {
			maxmsg = attr.mq_maxmsg;
			msgsize = attr.mq_msgsize;
		}
		err = sim_mqueue_open(
			&x->w->ipcns, x->w->mqueues, name, oflags_of(flags), (guint)a[2] & 07777,
			maxmsg, msgsize, &g->task->cred,
			rl.rlim_cur == RLIM_INFINITY ? G_MAXINT64 : (gint64)rl.rlim_cur, &q);
	}
	if (!err && (err = install(x, g, q, flags, &fd)) != 0)
		sim_mqueue_close(&x->w->ipcns, q, g->idx); /* no descriptor: EMFILE */
	if (tracing(x)) {
		g_autoptr(GString) s = g_string_new("mq_open(");
		if (name)
			append_text(s, name, strlen(name));
		else
			g_string_append(s, "name");
		g_string_append(s, ", ");
		append_oflags(s, flags);
		if (flags & O_CREAT) {
			g_string_append_printf(s, ", 0%o, ", (unsigned)a[2] & 07777);
			if (has_attr && err != EFAULT)
				g_string_append_printf(s, "{maxmsg %ld, msgsize %ld}",
						       (long)attr.mq_maxmsg, (long)attr.mq_msgsize);
			else
				g_string_append(s, has_attr ? "attr" : "NULL");
		}
		g_string_append_c(s, ')');
		append_result(s, fd, err);
		sim_exec_trace(x, g, "%s", s->str);
	}
	ev_mq(x, g, SIM_STMT_MQ_OPEN, q, NULL, err, FALSE, FALSE, err ? -1 : fd, NULL, 0);
	if (err)
		sim_exec_answer(x, g, -1, err, FALSE);
}

static void serve_unlink(SimExec *x, SimGuest *g)
{
	g_autofree char *name = NULL;
	int err = sim_exec_mq_name(g, g->notif.data.args[0], &name);
	SimMqueue *q = !err && x->w->ipcns.mq_names
			       ? g_hash_table_lookup(x->w->ipcns.mq_names, name)
			       : NULL;
	if (!err)
		err = sim_mqueue_unlink(&x->w->ipcns, name, &g->task->cred);
	ev_mq(x, g, SIM_STMT_MQ_UNLINK, q, NULL, err, FALSE, FALSE, err ? -1 : 0, NULL, 0);
	if (tracing(x)) {
		g_autoptr(GString) s = g_string_new("mq_unlink(");
		if (name)
			append_text(s, name, strlen(name));
		else
			g_string_append(s, "name");
		g_string_append_c(s, ')');
		append_result(s, 0, err);
		sim_exec_trace(x, g, "%s", s->str);
	}
	sim_exec_answer(x, g, err ? -1 : 0, err, FALSE);
}

/* ---- mq_timedsend and mq_timedreceive ---- */

/* A notification that fired sends its signal before the sender's call is answered, as
 * the kernel sends it inside mq_send: the sender's filter waits killably
 * (SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV), so the signal stays pending until the answer,
 * and a sender that registered itself runs its handler as its mq_send returns. Another
 * guest is woken at this point of the schedule if the signal acts on it (signals.c). */
static void notify(SimExec *x, const SimGuest *g, const SimMqueueCtx *c)
{
	if (c->notify_task >= 0 && (guint)c->notify_task < sim_exec_n(x)) {
		SimGuest *o = sim_exec_guest(x, c->notify_task);
		const char *sig = c->notify_sig > 0 ? sigabbrev_np(c->notify_sig) : NULL;
		sim_exec_trace(x, g, "notifies %s%s%s", o->name, sig ? " with SIG" : " (SIGEV_NONE)",
			       sig ? sig : "");
		if (c->notify_sig > 0 && !sim_exec_exited_state(o))
			kill(o->pid, c->notify_sig);
		x->sig_scan = TRUE;
	}
}

/* The timeout of a timed call: EFAULT, EINVAL, or 0 with *deadline on the virtual clock.
 * Programs compute it from CLOCK_REALTIME, which reads the virtual clock (clock.c): the
 * simulated epoch plus the virtual time. */
static int timeout_of(SimExec *x, const SimGuest *g, guint64 addr, SimTime *deadline)
{
	*deadline = G_MAXINT64;
	if (!addr)
		return 0;
	struct timespec ts;
	if (!sim_exec_read(g, addr, &ts, sizeof ts))
		return EFAULT;
	if (ts.tv_sec < 0 || ts.tv_nsec < 0 || ts.tv_nsec >= 1000000000L)
		return EINVAL;
	gint64 epoch = SIM_IPCS_EPOCH * SIM_S;
	if ((gint64)ts.tv_sec - SIM_IPCS_EPOCH >= (G_MAXINT64 - epoch) / SIM_S - 1) {
		*deadline = G_MAXINT64 - 1;
		return 0;
	}
	gint64 at = ((gint64)ts.tv_sec * SIM_S + ts.tv_nsec) - epoch;
	*deadline = MAX(at, sim_world_now(x->w));
	return 0;
}

/* The checks before the queue, in do_mq_timedsend's order: timeout, priority, descriptor
 * and its access mode, size; then the message is read (EFAULT). */
static int send_begin(SimExec *x, SimGuest *g, SimExecMqFile **fp, SimMsg **mp)
{
	const __u64 *a = g->notif.data.args;
	int err = timeout_of(x, g, a[4], &g->call.deadline);
	if (err)
		return err;
	if (a[3] >= SIM_MQ_PRIO_MAX)
		return EINVAL;
	SimExecMqFile *f = *fp = mq_fd(x, g, (gint64)a[0]);
	if (!f || !(f->access & (SIM_O_WRONLY | SIM_O_RDWR)))
		return EBADF;
	if (a[2] > (guint64)f->q->msgsize)
		return EMSGSIZE;
	char *text = g_malloc(a[2] + 1);
	if (!sim_exec_read(g, a[1], text, a[2])) {
		g_free(text);
		return EFAULT;
	}
	text[a[2]] = '\0';
	SimMsg *m = sim_msg_pool_get(&x->w->pool);
	m->text = text;
	m->owned = TRUE;
	m->len = (guint32)a[2];
	x->w->pool.text_bytes += a[2] + 1;
	m->type = m->prio = (gint64)a[3];
	m->size = a[2];
	m->from = g->idx;
	*mp = m;
	return 0;
}

static int receive_begin(SimExec *x, SimGuest *g, SimExecMqFile **fp)
{
	const __u64 *a = g->notif.data.args;
	int err = timeout_of(x, g, a[4], &g->call.deadline);
	if (err)
		return err;
	SimExecMqFile *f = *fp = mq_fd(x, g, (gint64)a[0]);
	if (!f || !(f->access & (SIM_O_RDONLY | SIM_O_RDWR)))
		return EBADF;
	if (a[2] < (guint64)f->q->msgsize)
		return EMSGSIZE;
	return 0;
}

/* A received message copied out: its bytes, then its priority when asked (EFAULT: the
 * message is gone all the same, as in the kernel). */
static int store(SimGuest *g, const SimMsg *m)
{
	const __u64 *a = g->notif.data.args;
	if (!sim_exec_write(g, a[1], m->text, m->size))
		return EFAULT;
	unsigned prio = (unsigned)m->prio;
	if (a[3] && !sim_exec_write(g, a[3], &prio, sizeof prio))
		return EFAULT;
	return 0;
}

static void io_text(const SimExec *x, const SimGuest *g, GString *s, gboolean sending,
		    const SimMsg *m)
{
	const __u64 *a = g->notif.data.args;
	const char *call = sending ? "mq_send" : "mq_receive";
	g_string_printf(s, "%s%s(%d, ", a[4] ? "mq_timed" : "", call + (a[4] ? 3 : 0), (int)a[0]);
	if (sending && m)
		append_text(s, m->text, m->len);
	else if (sending)
		append_text(s, g->call.shown, g->call.shown ? strlen(g->call.shown) : 0);
	else
		g_string_append(s, "buf");
	g_string_append_printf(s, ", %llu, ", a[2]);
	if (sending)
		g_string_append_printf(s, "%llu", a[3]);
	else
		g_string_append(s, a[3] ? "&prio" : "NULL");
	g_string_append(s, a[4] ? ", &timeout)" : ")");
	(void)x;
}

static void serve_io(SimExec *x, SimGuest *g, gboolean sending, gboolean resuming)
{
	SimMqueueCtx c = {
		.wake = &x->w->wake, .task = g->idx, .notify_task = -1, .handed_to = -1
	};
	SimExecMqFile *f = resuming ? g->call.mf : NULL;
	SimMsg *m = sending && resuming ? g->task->waiter.msg : NULL, *got = NULL, *shown = m;
	int err;
	if (resuming) {
		err = g->task->waiter.result;
		if (!sending)
			got = g->task->waiter.msg;
		g->task->waiter.msg = NULL;
		if (err == 0 && sending)
			m = NULL; /* its slot was taken: the message is in the queue */
	} else {
		err = sending ? send_begin(x, g, &f, &m) : receive_begin(x, g, &f);
		shown = m;
		if (!err) {
			c.expired = g->call.deadline <= sim_world_now(x->w);
			g->task->waiter.prio = 0;
			err = sending ? sim_mqueue_send(f->q, &c, &g->task->waiter, m, f->nonblock)
				      : sim_mqueue_receive(f->q, &c, &g->task->waiter, f->nonblock,
							   &got);
		}
		if (sending && err == 0)
			m = NULL;
	}
	g_autoptr(GString) s = g_string_new(NULL);
	if (tracing(x))
		io_text(x, g, s, sending, shown);
	if (err == SIM_BLOCKED) {
		sim_exec_task_block(x, g, sending ? "mq_send" : "mq_receive");
		g->call.mf = f;
		g->call.timed = g->call.deadline != G_MAXINT64;
		g->wake_at = g->call.deadline;
		if (g->call.timed)
			sim_exec_timer_start(x, g);
		g_free(g->call.shown); /* what the woken call's line shows: the message may be
					* the queue's by then */
		g->call.shown = m && tracing(x) ? g_strndup(m->text, m->len) : NULL;
		sim_exec_trace(x, g, "%s blocks: queue %s", s->str, sending ? "full" : "empty");
		ev_mq(x, g, sending ? SIM_STMT_MQ_SEND : SIM_STMT_MQ_RECEIVE, f->q, m, 0, TRUE,
		      FALSE, 0, NULL, 0);
		return;
	}
	g->call.timed = FALSE;
	g_clear_pointer(&g->call.shown, g_free);
	if (got)
		err = store(g, got);
	if (tracing(x)) {
		append_result(s, err ? -1 : got ? (gint64)got->size : 0, err);
		if (got && !err) {
			g_string_append_printf(s, " {%" G_GINT64_FORMAT ", ", got->prio);
			append_text(s, got->text, got->len);
			g_string_append_printf(s, "} from %s", sim_exec_guest(x, got->from)->name);
		}
		if (sending && !err && c.handed_to >= 0)
			g_string_append_printf(s, ", handed to %s",
					       sim_exec_guest(x, c.handed_to)->name);
		sim_exec_trace(x, g, "%s%s", s->str, resuming ? " (woken)" : "");
	}
	if (got && !err)
		sim_exec_task_received(x, g, got->prio, got->text, got->len, got->from);
	gint64 ret = got ? (gint64)got->size : 0;
	const SimGuest *other = got && !err ? sim_exec_guest(x, got->from)
				: sending && !err && c.handed_to >= 0
					? sim_exec_guest(x, c.handed_to)
					: NULL;
	ev_mq(x, g, sending ? SIM_STMT_MQ_SEND : SIM_STMT_MQ_RECEIVE, f ? f->q : NULL,
	      sending ? shown : (got && !err ? got : NULL), err, FALSE, resuming, err ? -1 : ret,
	      other, 0);
	if (m)
		sim_msg_pool_put(&x->w->pool, m);
	if (got)
		sim_msg_pool_put(&x->w->pool, got);
	sim_exec_wake_guests(x, g);
	notify(x, g, &c);
	sim_exec_answer(x, g, err ? -1 : ret, err, FALSE);
}

/* A timed call's deadline passed while it waited: it leaves the wait list with ETIMEDOUT
 * (a sender takes its message back). */
void sim_exec_mq_timeout(SimExec *x, SimGuest *g)
{
	if (g->task->waiter.queue)
		sim_waitq_del(&g->task->waiter);
	g->task->waiter.result = ETIMEDOUT;
	g->call.timed = FALSE;
	sim_exec_task_wake(x, g);
	sim_exec_trace(x, g, "times out at %" G_GINT64_FORMAT ".%06" G_GINT64_FORMAT " s (virtual)",
		       sim_world_now(x->w) / SIM_S, (sim_world_now(x->w) % SIM_S) / SIM_US);
}

/* ---- mq_getsetattr and mq_notify ---- */

static void serve_getsetattr(SimExec *x, SimGuest *g)
{
	const __u64 *a = g->notif.data.args;
	struct mq_attr nw, old;
	int err = 0;
	if (a[1] && !sim_exec_read(g, a[1], &nw, sizeof nw))
		err = EFAULT;
	else if (a[1] && (nw.mq_flags & ~(long)O_NONBLOCK))
		err = EINVAL;
	SimExecMqFile *f = err ? NULL : mq_fd(x, g, (gint64)a[0]);
	gint64 before = f && f->nonblock ? O_NONBLOCK : 0;
	if (!err && !f)
		err = EBADF;
	if (!err) {
		memset(&old, 0, sizeof old);
		old.mq_flags = f->nonblock ? O_NONBLOCK : 0;
		old.mq_maxmsg = f->q->maxmsg;
		old.mq_msgsize = f->q->msgsize;
		old.mq_curmsgs = (long)f->q->curmsgs;
		if (a[1])
			f->nonblock = (nw.mq_flags & O_NONBLOCK) != 0;
		if (a[2] && !sim_exec_write(g, a[2], &old, sizeof old))
			err = EFAULT; /* after the flags were set, as the kernel */
	}
	if (tracing(x)) {
		g_autoptr(GString) s = g_string_new(NULL);
		if (a[1] && err != EFAULT)
			g_string_printf(s, "mq_setattr(%d, {flags %s}, %s)", (int)a[0],
					nw.mq_flags & O_NONBLOCK ? "O_NONBLOCK" : "0",
					a[2] ? "&old" : "NULL");
		else
			g_string_printf(s, "mq_getattr(%d, %s)", (int)a[0], a[2] ? "&attr" : "NULL");
		append_result(s, 0, err);
		if (!err)
			g_string_append_printf(s, " {flags %s, maxmsg %ld, msgsize %ld, curmsgs %ld}",
					       old.mq_flags ? "O_NONBLOCK" : "0", old.mq_maxmsg,
					       old.mq_msgsize, old.mq_curmsgs);
		sim_exec_trace(x, g, "%s", s->str);
	}
	gboolean set = a[1] != 0, read = set && !(err == EFAULT && !f);
	ev_mq(x, g, set ? SIM_STMT_MQ_SETATTR : SIM_STMT_MQ_GETATTR, f ? f->q : NULL, NULL, err,
	      FALSE, FALSE,
	      set ? (read && (nw.mq_flags & O_NONBLOCK) ? SIM_O_NONBLOCK : 0) : err ? -1 : 0,
	      NULL, before);
	sim_exec_answer(x, g, err ? -1 : 0, err, FALSE);
}

static void serve_notify(SimExec *x, SimGuest *g)
{
	const __u64 *a = g->notif.data.args;
	struct sigevent ev;
	int err = 0;
	SimNotifyKind kind = SIM_NOTIFY_OFF;
	if (a[1] && !sim_exec_read(g, a[1], &ev, sizeof ev))
		err = EFAULT;
	else if (a[1] && ev.sigev_notify == SIGEV_NONE)
		kind = SIM_NOTIFY_NONE;
	else if (a[1] && ev.sigev_notify == SIGEV_SIGNAL)
		kind = ev.sigev_signo < 0 || ev.sigev_signo > 64 ? SIM_NOTIFY_BAD
								  : SIM_NOTIFY_SIGNAL;
	else if (a[1])
		kind = SIM_NOTIFY_BAD; /* SIGEV_THREAD is glibc's helper thread: refused first */
	if (!err && kind == SIM_NOTIFY_BAD)
		err = EINVAL;
	SimExecMqFile *f = err ? NULL : mq_fd(x, g, (gint64)a[0]);
	if (!err && !f)
		err = EBADF;
	if (!err)
		err = sim_mqueue_notify(f->q, g->idx, kind,
					kind == SIM_NOTIFY_SIGNAL ? ev.sigev_signo : 0);
	if (tracing(x)) {
		g_autoptr(GString) s = g_string_new(NULL);
		g_string_printf(s, "mq_notify(%d, ", (int)a[0]);
		if (!a[1])
			g_string_append(s, "NULL)");
		else if (err == EFAULT)
			g_string_append(s, "sevp)");
		else if (kind == SIM_NOTIFY_NONE)
			g_string_append(s, "{SIGEV_NONE})");
		else if (kind == SIM_NOTIFY_SIGNAL && sigabbrev_np(ev.sigev_signo))
			g_string_append_printf(s, "{SIGEV_SIGNAL, SIG%s})",
					       sigabbrev_np(ev.sigev_signo));
		else
			g_string_append_printf(s, "{%d, %d})", ev.sigev_notify, ev.sigev_signo);
		append_result(s, 0, err);
		sim_exec_trace(x, g, "%s", s->str);
	}
	int sig = kind == SIM_NOTIFY_SIGNAL ? ev.sigev_signo & 0xff : 0;
	ev_mq(x, g, SIM_STMT_MQ_NOTIFY, f ? f->q : NULL, NULL, err, FALSE, FALSE,
	      ((gint64)kind << 8) | sig, NULL, f && f->nonblock ? O_NONBLOCK : 0);
	sim_exec_answer(x, g, err ? -1 : 0, err, FALSE);
}

void sim_exec_serve_mq(SimExec *x, SimGuest *g, gboolean resuming)
{
	if (!x->mqfiles) /* the queues themselves are the world's (w->mqueues) */
		x->mqfiles = g_ptr_array_new();
	switch (g->notif.data.nr) {
	case __NR_mq_open: serve_open(x, g); break;
	case __NR_mq_unlink: serve_unlink(x, g); break;
	case __NR_mq_timedsend: serve_io(x, g, TRUE, resuming); break;
	case __NR_mq_timedreceive: serve_io(x, g, FALSE, resuming); break;
	case __NR_mq_getsetattr: serve_getsetattr(x, g); break;
	default: serve_notify(x, g); break;
	}
}

/* ---- close, last close, exit, /dev/mqueue ---- */

/* Whether fd is open in g (dup2 and dup3 close their target only when the source is). */
static gboolean fd_open(const SimGuest *g, gint64 fd)
{
	char path[64];
	g_snprintf(path, sizeof path, "/proc/%d/fd/%d", (int)g->pid, (int)fd);
	return fd >= 0 && fd <= INT_MAX && access(path, F_OK) == 0;
}

gboolean sim_exec_mq_close(SimExec *x, SimGuest *g)
{
	int nr = g->notif.data.nr;
	const __u64 *a = g->notif.data.args;
	if (nr == __NR_dup2 || nr == __NR_dup3) {
		/* The target a queue's descriptor: closed as by close (the same flush), when the
		 * call gets that far. */
		SimExecMqFile *t = a[0] != a[1] && fd_open(g, (gint64)a[0])
					   ? mq_fd(x, g, (gint64)a[1])
					   : NULL;
		if (t) {
			sim_mqueue_flush(t->q, g->idx);
			sim_exec_choice_mq(x, t->q);
			sim_exec_trace(x, g, "%s(%d, %d) closes %d (%s)", nr == __NR_dup2 ? "dup2" : "dup3",
				       (int)a[0], (int)a[1], (int)a[1], t->q->name);
		}
		sim_exec_answer(x, g, 0, 0, TRUE);
		return TRUE;
	}
	if (nr != __NR_close)
		return FALSE;
	SimExecMqFile *f = mq_fd(x, g, (gint64)g->notif.data.args[0]);
	if (f) {
		/* Any close by the registered process ends its registration (mqueue_flush_file);
		 * the description itself goes when its last copy does (sim_exec_mq_reap). */
		sim_mqueue_flush(f->q, g->idx);
		sim_exec_choice_mq(x, f->q);
		sim_exec_trace(x, g, "close(%d) = 0 (%s)", (int)g->notif.data.args[0], f->q->name);
		ev_mq(x, g, SIM_STMT_MQ_CLOSE, f->q, NULL, 0, FALSE, FALSE, 0, NULL,
		      f->nonblock ? O_NONBLOCK : 0);
	}
	sim_exec_answer(x, g, 0, 0, TRUE);
	return TRUE;
}

guint sim_exec_mq_watch(const SimExec *x, struct pollfd *p, guint max, gboolean *all)
{
	guint n = 0;
	*all = TRUE;
	for (guint i = 0; x->mqfiles && i < x->mqfiles->len; i++) {
		const SimExecMqFile *f = x->mqfiles->pdata[i];
		if (f->keep < 0)
			continue;
		if (n == max) {
			*all = FALSE;
			break;
		}
		p[n++] = (struct pollfd){ f->keep, 0, 0 }; /* POLLHUP needs no asking */
	}
	return n;
}

void sim_exec_mq_reap(SimExec *x)
{
	x->mq_reap_due = FALSE;
	for (guint i = 0; x->mqfiles && i < x->mqfiles->len; i++) {
		SimExecMqFile *f = x->mqfiles->pdata[i];
		struct pollfd p = { f->keep, POLLIN, 0 };
		if (f->keep < 0 || poll(&p, 1, 0) != 1 || !(p.revents & POLLHUP))
			continue;
		close(f->keep);
		f->keep = -1;
		if (f->q->unlinked) /* the last copy frees it: a close or an exit did so */
			sim_exec_choice_mq(x, f->q);
		sim_mqueue_put(&x->w->ipcns, f->q);
	}
}

void sim_exec_mq_exited(SimExec *x, const SimGuest *g)
{
	for (guint i = 0; i < x->w->mqueues->len; i++) {
		SimMqueue *q = x->w->mqueues->pdata[i];
		if (q->notify_task == g->idx)
			sim_exec_choice_mq(x, q);
		sim_mqueue_flush(q, g->idx);
	}
}

gboolean sim_exec_mq_file(const SimExec *x, const char *path, GString *text)
{
	if (!g_str_has_prefix(path, "/dev/mqueue/") || !x->w->ipcns.mq_names)
		return FALSE;
	g_autofree char *name = g_strconcat("/", path + strlen("/dev/mqueue/"), NULL);
	SimMqueue *q = g_hash_table_lookup(x->w->ipcns.mq_names, name);
	if (!q)
		return FALSE;
	char line[SIM_MQ_FILE_SIZE + 1];
	gsize n = sim_mqueue_file_line(q, guest_pid(x, q->notify_task), line, sizeof line);
	g_string_append_len(text, line, (gssize)n);
	return TRUE;
}

void sim_exec_mq_clear(SimExec *x)
{
	for (guint i = 0; x->mqfiles && i < x->mqfiles->len; i++) {
		SimExecMqFile *f = x->mqfiles->pdata[i];
		if (f->keep >= 0)
			close(f->keep);
		g_free(f);
	}
	if (x->mqfiles)
		g_ptr_array_free(x->mqfiles, TRUE);
	x->mqfiles = NULL; /* the queues go with the world */
}
