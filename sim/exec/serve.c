/* serve.c — msgget, msgsnd, msgrcv and msgctl of real programs, served by the model.
 *
 * A trapped call is decoded from its registers (seccomp_data.args) as the kernel's
 * ksys_msg* would take them, checked in the kernel's order (do_msgsnd: the mtype is read
 * first (EFAULT), then size and id, then mtype < 1 (EINVAL), then the text; do_msgrcv: id
 * and size, then the lookup), and run on the same SimMsgq objects and wait lists the
 * scenarios use (kernel/msgq.h), so every flag and errno is the scenario language's. The
 * one design choice to know: a call that must wait is simply not answered; the guest
 * stays stopped in the kernel, and its waiter sits on the model's list until a wake-up
 * makes it WOKEN and the scheduler picks it, when the call is finished (resuming) exactly
 * as a scenario task's would be.
 */
#undef _POSIX_C_SOURCE
#define _GNU_SOURCE

#include <errno.h>
#include <stdarg.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/msg.h>
#include <sys/syscall.h>
#include <stdint.h>
#include <sys/uio.h>

#include "exec/exec_int.h"
#include "msgsim/output/ipcs.h"

#ifndef MSG_COPY
#define MSG_COPY 040000
#endif
#ifndef MSG_STAT_ANY
#define MSG_STAT_ANY 13
#endif
#define TEXT_SHOWN 40 /* bytes of a message shown in the trace */

gboolean sim_exec_is_sysv(int nr)
{
	return nr == __NR_msgget || nr == __NR_msgsnd || nr == __NR_msgrcv || nr == __NR_msgctl;
}

void sim_exec_trace(SimExec *x, const SimGuest *g, const char *fmt, ...)
{
	if (x->opt->quiet || x->opt->program_output || x->trace)
		return;
	va_list ap;
	va_start(ap, fmt);
	g_string_printf(x->line, "[%s] ", g->name);
	g_string_append_vprintf(x->line, fmt, ap);
	va_end(ap);
	g_string_append_c(x->line, '\n');
	fputs(x->line->str, x->out);
}

static gboolean tracing(const SimExec *x)
{
	return !x->opt->quiet && !x->opt->program_output && !x->trace;
}

/* {type, "text"}: the text up to its first NUL, escaped, cut at TEXT_SHOWN bytes. */
static void append_msg(GString *s, gint64 type, const char *text, gsize len)
{
	gsize n = 0;
	while (n < len && text[n])
		n++;
	gboolean cut = n > TEXT_SHOWN;
	g_autofree char *shown = g_strndup(text, MIN(n, TEXT_SHOWN));
	g_autofree char *esc = g_strescape(shown, NULL);
	g_string_append_printf(s, "{%" G_GINT64_FORMAT ", \"%s%s\"}", type, esc, cut ? "..." : "");
}

static void append_flags(GString *s, long flg)
{
	static const struct {
		long bit;
		const char *name;
	} names[] = { { IPC_CREAT, "IPC_CREAT" }, { IPC_EXCL, "IPC_EXCL" },
		      { IPC_NOWAIT, "IPC_NOWAIT" }, { MSG_NOERROR, "MSG_NOERROR" },
		      { MSG_EXCEPT, "MSG_EXCEPT" }, { MSG_COPY, "MSG_COPY" } };
	gsize start = s->len;
	for (gsize i = 0; i < G_N_ELEMENTS(names); i++)
		if (flg & names[i].bit)
			g_string_append_printf(s, "%s%s", s->len > start ? "|" : "", names[i].name);
	long rest = flg & ~(IPC_CREAT | IPC_EXCL | IPC_NOWAIT | MSG_NOERROR | MSG_EXCEPT | MSG_COPY);
	if (rest || s->len == start)
		g_string_append_printf(s, "%s%s%lo", s->len > start ? "|" : "", rest ? "0" : "",
				       rest);
}

static void append_result(GString *s, gint64 ret, int err)
{
	if (err)
		g_string_append_printf(s, " = -1 %s (%s)", strerrorname_np(err), g_strerror(err));
	else
		g_string_append_printf(s, " = %" G_GINT64_FORMAT, ret);
}

static SimMsgqCtx ctx_of(SimExec *x, const SimGuest *g)
{
	return (SimMsgqCtx){ .wake = &x->w->wake,
			     .pool = &x->w->pool,
			     .now = sim_world_now(x->w),
			     .task = g->idx,
			     .cred = &g->task->cred,
			     .ns = &x->w->ipcns,
			     .signal_pending = g->sig != 0 };
}

/* After an operation: the guests it woke become WOKEN (their calls finish when picked). */
void sim_exec_wake_guests(SimExec *x, const SimGuest *waker)
{
	for (SimWaiter *w = x->w->wake.first; w;) {
		SimWaiter *next = w->wake_next;
		SimGuest *o = sim_exec_guest(x, w->task);
		w->wake_next = NULL;
		if (o->task->state == SIM_STATE_BLOCKED) {
			sim_exec_task_wake(x, o);
			sim_exec_trace(x, waker, "wakes %s", o->name);
			sim_exec_ev(x, o, SIM_TR_WAKE, waker, NULL, 0);
		}
		w = next;
	}
	x->w->wake.first = x->w->wake.last = NULL;
}

static void finish(SimExec *x, SimGuest *g, gint64 ret, int err)
{
	sim_exec_wake_guests(x, g);
	sim_exec_answer(x, g, ret, err, FALSE);
}

/* A key as the program made it: ftok("PATH", 'C') when some argument of the run's command
 * lines names a file whose ftok with the key's project byte gives it (keys come from
 * inodes, so the path is what stays the same from machine to machine), else in hex. */
static gboolean append_ftok(GString *s, char *const *args, gint64 key, int proj)
{
	for (char *const *a = args; a && *a; a++)
		if (ftok(*a, proj) == (key_t)key) {
			g_autofree char *esc = g_strescape(*a, NULL);
			if (g_ascii_isalnum((gchar)proj))
				g_string_append_printf(s, "ftok(\"%s\", '%c'), ", esc, proj);
			else
				g_string_append_printf(s, "ftok(\"%s\", 0x%02x), ", esc, proj);
			return TRUE;
		}
	return FALSE;
}

/* The arguments looked at are the run's command lines' and those of the programs the guests
 * exec'd since (a shell's `msgsnd FILE` names FILE there). */
static void append_key(const SimExec *x, GString *s, gint64 key)
{
	int proj = (int)(((guint64)key >> 24) & 0xff);
	for (guint i = 0; proj && i < x->n_argvs; i++)
		if (append_ftok(s, x->argvs[i] + 1, key, proj))
			return;
	for (guint i = 0; proj && i < sim_exec_n(x); i++)
		if (append_ftok(s, sim_exec_guest(x, i)->exec_argv, key, proj))
			return;
	g_string_append_printf(s, "0x%08x, ", (unsigned)key);
}

static void serve_msgget(SimExec *x, SimGuest *g)
{
	gint64 key = (gint64)(int)g->notif.data.args[0];
	int flg = (int)g->notif.data.args[1];
	guint flags = (flg & IPC_CREAT ? SIM_IPC_CREAT : 0) | (flg & IPC_EXCL ? SIM_IPC_EXCL : 0);
	SimMsgqCtx c = ctx_of(x, g);
	int id = -1;
	int err = sim_msgq_get(&x->w->ipcns, x->w->msgqs, key, flags, (guint)flg & 0777,
			       &g->task->cred, c.now, &id);
	if (tracing(x)) {
		g_autoptr(GString) s = g_string_new("msgget(");
		if (key == IPC_PRIVATE)
			g_string_append(s, "IPC_PRIVATE, ");
		else
			append_key(x, s, key);
		append_flags(s, flg);
		g_string_append_c(s, ')');
		append_result(s, id, err);
		sim_exec_trace(x, g, "%s", s->str);
	}
	SimExecCall ev = { .id = err ? -1 : id,
			   .q = err ? NULL : sim_msgq_lookup(&x->w->ipcns, id),
			   .key = key,
			   .ret = id,
			   .err = err };
	sim_exec_ev_call(x, g, &ev);
	finish(x, g, id, err);
}

/* The message a msgsnd names, read from the guest; 0 or an errno in the kernel's order. */
static int load_msg(SimExec *x, SimGuest *g, SimMsg **out)
{
	const __u64 *a = g->notif.data.args;
	long mtype;
	gsize msgsz = (gsize)a[2];
	gboolean sane =
		(gint64)msgsz <= x->w->ipcns.limits.msgmax && (long)msgsz >= 0 && (int)a[0] >= 0;
	char *text = sane ? g_malloc(msgsz + 1) : NULL;
	/* The usual case in one read of the guest's memory: mtype and text together. Any
	 * failure is sorted out below, field by field, in the kernel's order. */
	struct iovec both[2] = { { &mtype, sizeof mtype }, { text, msgsz } };
	if (!sane || !sim_exec_readv(g, a[1], both, 2)) {
		if (!sim_exec_read(g, a[1], &mtype, sizeof mtype)) {
			g_free(text);
			return EFAULT;
		}
		if (!sane)
			return EINVAL;
		if (mtype >= 1 && !sim_exec_read(g, a[1] + sizeof(long), text, msgsz)) {
			g_free(text);
			return EFAULT;
		}
	}
	if (mtype < 1) {
		g_free(text);
		return EINVAL;
	}
	text[msgsz] = '\0';
	/* The text is binary (a 512-byte buffer holds a short string and zeros): it is kept
	 * whole, not as a C string. */
	SimMsg *m = sim_msg_pool_get(&x->w->pool);
	m->text = text;
	m->owned = TRUE;
	m->len = (guint32)msgsz;
	x->w->pool.text_bytes += msgsz + 1;
	m->type = mtype;
	m->size = msgsz;
	m->from = g->idx;
	*out = m;
	return 0;
}

static void serve_msgsnd(SimExec *x, SimGuest *g, gboolean resuming)
{
	const __u64 *a = g->notif.data.args;
	int flg = (int)a[3];
	guint flags = flg & IPC_NOWAIT ? SIM_IPC_NOWAIT : 0;
	SimMsgqCtx c = ctx_of(x, g);
	SimMsg *m = NULL;
	SimMsgq *q = NULL;
	int err, handed = -1;
	if (resuming) {
		q = g->call.q;
		m = g->task->waiter.msg;
		err = sim_msgq_send(q, &c, &g->task->waiter, m, flags, TRUE, &handed);
	} else {
		err = load_msg(x, g, &m);
		if (!err && !(q = sim_msgq_lookup(&x->w->ipcns, (int)a[0])))
			err = EINVAL;
		if (!err)
			err = sim_msgq_send(q, &c, &g->task->waiter, m, flags, FALSE, &handed);
	}
	g_autoptr(GString) s = g_string_new(NULL);
	if (tracing(x)) {
		g_string_printf(s, "msgsnd(%d, ", (int)a[0]);
		if (m)
			append_msg(s, m->type, m->text, m->len);
		else
			g_string_append(s, "buf");
		g_string_append_printf(s, ", %llu, ", a[2]);
		append_flags(s, flg);
		g_string_append_c(s, ')');
	}
	if (err == SIM_BLOCKED) {
		sim_exec_task_block(x, g, "msgsnd");
		g->call.q = q;
		sim_exec_trace(x, g, "%s blocks: queue full", s->str);
		SimExecCall ev = { .id = (int)a[0], .q = q, .msg = m, .blocked = TRUE };
		sim_exec_ev_call(x, g, &ev);
		return;
	}
	if (tracing(x)) {
		append_result(s, 0, err);
		if (!err && handed >= 0)
			g_string_append_printf(s, ", handed to %s",
					       sim_exec_guest(x, handed)->name);
		sim_exec_trace(x, g, "%s%s", s->str, resuming ? " (woken)" : "");
	}
	SimExecCall ev = { .id = (int)a[0],
			   .q = q,
			   .msg = m,
			   .err = err,
			   .resuming = resuming,
			   .other = !err && handed >= 0 ? sim_exec_guest(x, handed) : NULL };
	sim_exec_ev_call(x, g, &ev);
	if (err)
		sim_msg_pool_put(&x->w->pool, m);
	g->task->waiter.msg = NULL;
	finish(x, g, 0, err);
}

/* Copies a received message out: mtype, then the text cut to what the buffer takes. The
 * usual case (the text holds every byte asked for) is one write of the guest's memory; a
 * failure, or a text shorter than got, takes the kernel's order field by field. */
static int store_msg(SimGuest *g, guint64 addr, const SimMsg *m, gsize got)
{
	long mtype = (long)m->type;
	/* process_vm_writev only reads the local buffers: the const goes for its type alone. */
	struct iovec both[2] = { { &mtype, sizeof mtype }, { (void *)(uintptr_t)m->text, got } };
	if (got <= (gsize)m->len && sim_exec_writev(g, addr, both, 2))
		return 0;
	if (!sim_exec_write(g, addr, &mtype, sizeof mtype))
		return EFAULT;
	g_autofree char *buf = g_malloc0(got ? got : 1);
	memcpy(buf, m->text, MIN(got, (gsize)m->len));
	return sim_exec_write(g, addr + sizeof(long), buf, got) ? 0 : EFAULT;
}

static void serve_msgrcv(SimExec *x, SimGuest *g, gboolean resuming)
{
	const __u64 *a = g->notif.data.args;
	int flg = (int)a[4];
	gint64 msgsz = (gint64)(long)a[2];
	guint flags = (flg & IPC_NOWAIT ? SIM_IPC_NOWAIT : 0) |
		      (flg & MSG_EXCEPT ? SIM_MSG_EXCEPT : 0) |
		      (flg & MSG_NOERROR ? SIM_MSG_NOERROR : 0);
	SimMsgqFilter f = { (gint64)(long)a[3], flags, msgsz };
	SimMsgqCtx c = ctx_of(x, g);
	SimMsgq *q = resuming ? g->call.q : NULL;
	SimMsg *m = NULL;
	int err;
	if (resuming)
		err = sim_msgq_receive(q, &c, &g->task->waiter, &f, TRUE, &m);
	else if ((int)a[0] < 0 || msgsz < 0)
		err = EINVAL;
	else if (flg & MSG_COPY)
		err = ENOSYS; /* a checkpoint/restore tool's flag: not modelled */
	else if (!(q = sim_msgq_lookup(&x->w->ipcns, (int)a[0])))
		err = EINVAL;
	else
		err = sim_msgq_receive(q, &c, &g->task->waiter, &f, FALSE, &m);
	g_autoptr(GString) s = g_string_new(NULL);
	if (tracing(x)) {
		g_string_printf(s, "msgrcv(%d, buf, %" G_GINT64_FORMAT ", %ld, ", (int)a[0], msgsz,
				(long)a[3]);
		append_flags(s, flg);
		g_string_append_c(s, ')');
	}
	if (err == SIM_BLOCKED) {
		sim_exec_task_block(x, g, "msgrcv");
		g->call.q = q;
		sim_exec_trace(x, g, "%s blocks: no message of the wanted type", s->str);
		SimExecCall ev = { .id = (int)a[0], .q = q, .blocked = TRUE };
		sim_exec_ev_call(x, g, &ev);
		return;
	}
	gint64 got = -1;
	if (m) {
		got = MIN((gint64)m->size, msgsz);
		err = store_msg(g, a[1], m, (gsize)got);
	}
	if (tracing(x)) {
		append_result(s, err ? -1 : got, err);
		if (m && !err) {
			g_string_append_c(s, ' ');
			append_msg(s, m->type, m->text, MIN((gsize)got, (gsize)m->len));
			g_string_append_printf(s, " from %s", sim_exec_guest(x, m->from)->name);
		}
		sim_exec_trace(x, g, "%s%s", s->str, resuming ? " (woken)" : "");
	}
	SimExecCall ev = { .id = (int)a[0],
			   .q = q,
			   .msg = m && !err ? m : NULL,
			   .err = err,
			   .ret = got,
			   .resuming = resuming,
			   .other = m && !err ? sim_exec_guest(x, m->from) : NULL };
	sim_exec_ev_call(x, g, &ev);
	/* Kept only for a reader (expectations, --record, the search's verdicts): a long run
	 * would otherwise hold every message it ever received. */
	if (m && !err)
		sim_exec_task_received(x, g, m->type, m->text, MIN((gsize)got, (gsize)m->len),
				       m->from);
	if (m)
		sim_msg_pool_put(&x->w->pool, m);
	finish(x, g, err ? -1 : got, err);
}

static int guest_pid(const SimExec *x, int task)
{
	return task >= 0 && (guint)task < sim_exec_n(x) ? sim_exec_guest(x, task)->task->pid : 0;
}

static void fill_stat(const SimExec *x, const SimMsgq *q, struct msqid_ds *ds)
{
	memset(ds, 0, sizeof *ds);
	ds->msg_perm.__key = (key_t)q->perm.key;
	ds->msg_perm.uid = (uid_t)q->perm.uid;
	ds->msg_perm.gid = (gid_t)q->perm.gid;
	ds->msg_perm.cuid = (uid_t)q->perm.cuid;
	ds->msg_perm.cgid = (gid_t)q->perm.cgid;
	ds->msg_perm.mode = q->perm.mode;
	ds->msg_perm.__seq = (unsigned short)q->perm.seq;
	ds->msg_stime = (time_t)(q->stime / SIM_S);
	ds->msg_rtime = (time_t)(q->rtime / SIM_S);
	ds->msg_ctime = (time_t)(q->ctime / SIM_S);
	ds->__msg_cbytes = q->cbytes;
	ds->msg_qnum = q->qnum;
	ds->msg_qbytes = q->qbytes;
	ds->msg_lspid = guest_pid(x, q->lspid);
	ds->msg_lrpid = guest_pid(x, q->lrpid);
}

/* IPC_INFO and MSG_INFO: struct msginfo as ipc/msg.c's msgctl_info fills it. */
static int ctl_info(SimExec *x, SimGuest *g, int cmd, guint64 addr, gint64 *ret)
{
	struct msginfo mi = { 0 };
	const SimLimits *l = &x->w->ipcns.limits;
	mi.msgmni = (int)l->msgmni;
	mi.msgmax = (int)l->msgmax;
	mi.msgmnb = (int)l->msgmnb;
	mi.msgssz = 16;
	mi.msgseg = 0xffff;
	if (cmd == MSG_INFO) {
		mi.msgpool = (int)x->w->ipcns.in_use;
		for (guint i = 0; i < x->w->ipcns.n_slots; i++) {
			const SimMsgq *q = x->w->ipcns.slots[i];
			if (q) {
				mi.msgmap += (int)q->qnum;
				mi.msgtql += (int)q->cbytes;
			}
		}
	} else {
		mi.msgpool = (int)(l->msgmni * l->msgmnb / 1024);
		mi.msgmap = mi.msgtql = (int)l->msgmnb;
	}
	*ret = MAX(x->w->ipcns.max_idx_used, 0);
	return sim_exec_write(g, addr, &mi, sizeof mi) ? 0 : EFAULT;
}

static int ctl_queue(SimExec *x, SimGuest *g, int cmd, SimMsgq *q, guint64 addr, gint64 *ret)
{
	SimMsgqCtx c = ctx_of(x, g);
	struct msqid_ds ds;
	if (cmd == IPC_STAT || cmd == MSG_STAT || cmd == MSG_STAT_ANY) {
		if (cmd != MSG_STAT_ANY && sim_ipcns_denied(&q->perm, &g->task->cred, 0444))
			return EACCES;
		fill_stat(x, q, &ds);
		if (cmd != IPC_STAT)
			*ret = q->perm.id;
		return sim_exec_write(g, addr, &ds, sizeof ds) ? 0 : EFAULT;
	}
	if (cmd == IPC_SET && !sim_exec_read(g, addr, &ds, sizeof ds))
		return EFAULT;
	if (!sim_ipcns_may_control(&q->perm, &g->task->cred))
		return EPERM;
	if (cmd == IPC_SET) {
		if (ds.msg_qbytes > (msglen_t)x->w->ipcns.limits.msgmnb &&
		    !(g->task->cred.caps & SIM_CAP_SYS_RESOURCE))
			return EPERM;
		sim_msgq_set(q, &c, ds.msg_qbytes, ds.msg_perm.uid, ds.msg_perm.gid,
			     ds.msg_perm.mode & 0777);
		return 0;
	}
	sim_msgq_remove(q, &c);
	sim_ipcns_free(&x->w->ipcns, q->perm.id);
	return 0;
}

static const char *ctl_name(int cmd)
{
	switch (cmd) {
	case IPC_RMID: return "IPC_RMID";
	case IPC_SET: return "IPC_SET";
	case IPC_STAT: return "IPC_STAT";
	case IPC_INFO: return "IPC_INFO";
	case MSG_INFO: return "MSG_INFO";
	case MSG_STAT: return "MSG_STAT";
	case MSG_STAT_ANY: return "MSG_STAT_ANY";
	default: return NULL;
	}
}

static void serve_msgctl(SimExec *x, SimGuest *g)
{
	const __u64 *a = g->notif.data.args;
	int id = (int)a[0];
	int cmd = (int)a[1] & ~0x100; /* IPC_64, which some callers pass */
	gint64 ret = 0;
	int err = 0;
	SimMsgq *q = NULL;
	if (cmd == IPC_INFO || cmd == MSG_INFO) {
		err = id < 0 ? EINVAL : ctl_info(x, g, cmd, a[2], &ret);
	} else if (cmd == MSG_STAT || cmd == MSG_STAT_ANY) {
		/* These take an index into the id table, not an id. */
		if (id >= 0 && (guint)id < x->w->ipcns.n_slots && x->w->ipcns.slots[id])
			q = x->w->ipcns.slots[id];
		err = q ? ctl_queue(x, g, cmd, q, a[2], &ret) : EINVAL;
	} else if (!ctl_name(cmd) || id < 0 || !(q = sim_msgq_lookup(&x->w->ipcns, id))) {
		err = EINVAL;
	} else {
		err = ctl_queue(x, g, cmd, q, a[2], &ret);
	}
	if (tracing(x)) {
		g_autoptr(GString) s = g_string_new(NULL);
		const char *name = ctl_name(cmd);
		g_string_printf(s, "msgctl(%d, ", id);
		if (name)
			g_string_append(s, name);
		else
			g_string_append_printf(s, "%d", cmd);
		g_string_append(s, cmd == IPC_RMID ? ", NULL)" : ", buf)");
		append_result(s, ret, err);
		if (!err && q && cmd == IPC_STAT)
			g_string_append_printf(s,
					       " {qnum %" G_GUINT64_FORMAT ", cbytes %" G_GUINT64_FORMAT
					       ", qbytes %" G_GUINT64_FORMAT ", lspid %d, lrpid %d}",
					       q->qnum, q->cbytes, q->qbytes, guest_pid(x, q->lspid),
					       guest_pid(x, q->lrpid));
		sim_exec_trace(x, g, "%s", s->str);
	}
	SimExecCall ev = { .id = id, .q = q, .ret = ret, .err = err };
	sim_exec_ev_call(x, g, &ev);
	finish(x, g, err ? -1 : ret, err);
}

/* A guest's pid in its PID namespace, as /proc/sysvipc/msg shows lspid and lrpid. */
static int proc_pid(const void *ctx, int task)
{
	return guest_pid(ctx, task);
}

void sim_exec_sysvipc_msg(const SimExec *x, GString *out)
{
	sim_ipcs_proc_msg(out, &x->w->ipcns, proc_pid, x);
}

void sim_exec_serve_sysv(SimExec *x, SimGuest *g, gboolean resuming)
{
	switch (g->notif.data.nr) {
	case __NR_msgget: serve_msgget(x, g); break;
	case __NR_msgsnd: serve_msgsnd(x, g, resuming); break;
	case __NR_msgrcv: serve_msgrcv(x, g, resuming); break;
	default: serve_msgctl(x, g); break;
	}
}
