/* mqueue.c — POSIX message queues, as ipc/mqueue.c runs them (see mqueue.h).
 *
 * The design choice to know: unlike SysV queues, every wake-up here completes the woken
 * call (the kernel's pipelined_send/pipelined_receive hand the message or the slot over
 * before waking), so a woken task only picks up what its waiter holds; there is no race
 * and no re-check, which is why the order of service is deterministic.
 */
#include "msgsim/kernel/mqueue.h"

#include <string.h>

#define MQ_HDR 48 /* sizeof(struct msg_msg) and of a priority tree node, x86-64 */

int sim_mqueue_check_name(const char *name)
{
	/* glibc: the name must start with '/'; the kernel copies what follows. */
	if (name[0] != '/')
		return EINVAL;
	return name[1] == '\0' ? ENOENT : 0;
}

/* The lookup in the mqueue filesystem: no directories, no dot entries, NAME_MAX. */
static int lookup_name(const char *name)
{
	const char *rest = name + 1;
	if (strchr(rest, '/') || strcmp(rest, ".") == 0 || strcmp(rest, "..") == 0)
		return EACCES;
	return strlen(rest) > SIM_MQ_NAME_MAX ? ENAMETOOLONG : 0;
}

static gint64 charge_of(gint64 maxmsg, gint64 msgsize)
{
	return maxmsg * (msgsize + MQ_HDR) + MIN(maxmsg, (gint64)32768) * MQ_HDR;
}

static guint access_flag(guint oflags)
{
	if (oflags & SIM_O_RDWR)
		return 0666;
	return (oflags & SIM_O_WRONLY) ? 0222 : 0444;
}

int sim_mqueue_open(SimIpcNs *ns, GPtrArray *all, const char *name, guint oflags, guint mode,
		    gint64 maxmsg, gint64 msgsize, const SimCred *cred, gint64 rlimit_msgqueue,
		    SimMqueue **out)
{
	*out = NULL;
	int err = lookup_name(name);
	if (err)
		return err;
	SimMqueue *q = g_hash_table_lookup(ns->mq_names, name);
	if (q) {
		/* It exists: attr is ignored, even an invalid one. */
		if ((oflags & SIM_O_CREAT) && (oflags & SIM_O_EXCL))
			return EEXIST;
		if (oflags & SIM_O_ACCMODE3)
			return EINVAL;
		if (sim_ipcns_denied(&q->perm, cred, access_flag(oflags)))
			return EACCES;
		q->refs++;
		*out = q;
		return 0;
	}
	if (!(oflags & SIM_O_CREAT))
		return ENOENT;
	gboolean sysres = (cred->caps & SIM_CAP_SYS_RESOURCE) != 0;
	if ((gint64)ns->mq_count >= ns->limits.mq_queues_max && !sysres)
		return ENOSPC;
	if (maxmsg == -1 && msgsize == -1) { /* no attr: the defaults */
		maxmsg = MIN(ns->limits.mq_msg_default, ns->limits.mq_msg_max);
		msgsize = MIN(ns->limits.mq_msgsize_default, ns->limits.mq_msgsize_max);
	} else {
		if (maxmsg <= 0 || msgsize <= 0)
			return EINVAL;
		gint64 max_msg = sysres ? SIM_LIMIT_MQ_HARD_MSGMAX : ns->limits.mq_msg_max;
		gint64 max_size = sysres ? SIM_LIMIT_MQ_HARD_MSGSIZEMAX : ns->limits.mq_msgsize_max;
		if (maxmsg > max_msg || msgsize > max_size)
			return EINVAL;
	}
	gint64 charge = charge_of(maxmsg, msgsize);
	if (sim_ipcns_mq_charged(ns, cred->uid) + charge > rlimit_msgqueue)
		return EMFILE;
	q = g_new0(SimMqueue, 1);
	q->name = g_strdup(name);
	q->perm = (SimIpcPerm){ .uid = cred->uid,
				.gid = cred->gid,
				.cuid = cred->uid,
				.cgid = cred->gid,
				/* the umask, as do_mq_open applies it; the set-id and sticky bits
				 * stay, and the type is S_IFREG whatever the caller gave */
				.mode = mode & 07777 & ~0022u };
	q->maxmsg = maxmsg;
	q->msgsize = msgsize;
	sim_msg_list_init(&q->msgs, SIM_ORDER_PRIORITY);
	sim_waitq_init(&q->senders, SIM_ORDER_PRIORITY);
	sim_waitq_init(&q->receivers, SIM_ORDER_PRIORITY);
	q->refs = 1;
	q->charge = charge;
	q->charge_uid = cred->uid;
	q->notify_task = -1;
	q->file_size = SIM_MQ_FILE_SIZE;
	sim_ipcns_mq_charge(ns, cred->uid, charge);
	ns->mq_count++;
	g_hash_table_insert(ns->mq_names, q->name, q);
	g_ptr_array_add(all, q);
	*out = q;
	return 0;
}

static void release(SimIpcNs *ns, SimMqueue *q)
{
	/* The inode goes: the queue no longer counts against queues_max or the rlimit. */
	q->freed = TRUE;
	ns->mq_count--;
	sim_ipcns_mq_charge(ns, q->charge_uid, -q->charge);
}

void sim_mqueue_flush(SimMqueue *q, int task)
{
	if (q->notify_task == task)
		q->notify_task = -1; /* mqueue_flush_file: any descriptor of the owner */
}

void sim_mqueue_get(SimMqueue *q)
{
	q->refs++;
}

void sim_mqueue_put(SimIpcNs *ns, SimMqueue *q)
{
	g_assert(q->refs > 0);
	if (--q->refs == 0 && q->unlinked)
		release(ns, q);
}

void sim_mqueue_close(SimIpcNs *ns, SimMqueue *q, int task)
{
	g_assert(q->refs > 0);
	sim_mqueue_flush(q, task);
	sim_mqueue_put(ns, q);
}

int sim_mqueue_unlink(SimIpcNs *ns, const char *name, const SimCred *cred)
{
	int err = sim_mqueue_check_name(name);
	if (!err)
		err = lookup_name(name);
	if (err)
		return err;
	SimMqueue *q = g_hash_table_lookup(ns->mq_names, name);
	if (!q)
		return ENOENT;
	/* Removing a name needs write permission on the directory: root's, so only
	 * CAP_DAC_OVERRIDE (modelled by IPC_OWNER here) or the owner may. */
	if (cred->uid != q->perm.uid && !(cred->caps & SIM_CAP_IPC_OWNER))
		return EACCES;
	g_hash_table_remove(ns->mq_names, name);
	q->unlinked = TRUE;
	if (q->refs == 0)
		release(ns, q);
	return 0;
}

void sim_mqueue_free(SimMqueue *q, SimMsgPool *pool)
{
	if (!q)
		return;
	sim_msg_list_drain(&q->msgs, pool);
	g_free(q->name);
	g_free(q);
}

static void insert(SimMqueue *q, SimMsg *m)
{
	sim_msg_list_insert(&q->msgs, m);
	q->curmsgs++;
	q->qsize += m->size;
}

int sim_mqueue_send(SimMqueue *q, SimMqueueCtx *ctx, SimWaiter *self, SimMsg *m, gboolean nonblock)
{
	ctx->notify_task = -1;
	ctx->handed_to = -1;
	if ((gint64)q->curmsgs >= q->maxmsg) {
		if (nonblock)
			return EAGAIN;
		if (ctx->expired)
			return ETIMEDOUT;
		self->msg = m;
		sim_waitq_sleep(&q->senders, self);
		return SIM_BLOCKED;
	}
	self->msg = NULL;
	q->sent++;
	SimWaiter *r = sim_waitq_first(&q->receivers);
	if (r) {
		/* pipelined_send: straight to the first receiver, never queued. */
		r->msg = m;
		q->received++;
		ctx->handed_to = r->task;
		sim_waitq_wake(ctx->wake, r, 0);
		return 0;
	}
	insert(q, m);
	if (q->curmsgs == 1 && q->notify_task >= 0) {
		/* __do_notify: a message entered an empty queue. One-shot. */
		ctx->notify_task = q->notify_task;
		ctx->notify_sig = q->notify_kind == SIM_NOTIFY_SIGNAL ? q->notify_sig : 0;
		ctx->notify_thread = q->notify_kind == SIM_NOTIFY_THREAD ? q->notify_sig : -1;
		ctx->notify_value = q->notify_value;
		q->notify_task = -1;
	}
	return 0;
}

int sim_mqueue_receive(SimMqueue *q, SimMqueueCtx *ctx, SimWaiter *self, gboolean nonblock,
		       SimMsg **out)
{
	*out = NULL;
	ctx->notify_task = -1;
	if (q->curmsgs == 0) {
		if (nonblock)
			return EAGAIN;
		if (ctx->expired)
			return ETIMEDOUT;
		self->msg = NULL;
		sim_waitq_sleep(&q->receivers, self);
		return SIM_BLOCKED;
	}
	SimMsg *m = q->msgs.head;
	sim_msg_list_remove(&q->msgs, m);
	q->curmsgs--;
	q->qsize -= m->size;
	q->received++;
	SimWaiter *s = sim_waitq_first(&q->senders);
	if (s) {
		/* pipelined_receive: the first waiting sender's message takes the slot. */
		insert(q, s->msg);
		s->msg = NULL;
		q->sent++;
		sim_waitq_wake(ctx->wake, s, 0);
	}
	*out = m;
	return 0;
}

gsize sim_mqueue_file_line(const SimMqueue *q, int notify_pid, char *buf, gsize size)
{
	gboolean reg = q->notify_task >= 0;
	gboolean sig = reg && q->notify_kind == SIM_NOTIFY_SIGNAL;
	int n = g_snprintf(buf, size,
			   "QSIZE:%-10" G_GUINT64_FORMAT
			   " NOTIFY:%-5d SIGNO:%-5d NOTIFY_PID:%-6d\n",
			   q->qsize,
			   /* sigev_notify: SIGEV_SIGNAL 0, SIGEV_NONE 1, SIGEV_THREAD 2 */
			   !reg || sig ? 0 : q->notify_kind == SIM_NOTIFY_THREAD ? 2 : 1,
			   sig ? q->notify_sig : 0, reg ? notify_pid : 0);
	return MIN((gsize)MAX(n, 0), size - 1);
}

int sim_mqueue_notify(SimMqueue *q, int task, SimNotifyKind kind, int sig)
{
	if (kind == SIM_NOTIFY_OFF) {
		if (q->notify_task == task)
			q->notify_task = -1;
		return 0;
	}
	if (q->notify_task >= 0)
		return EBUSY;
	q->notify_task = task;
	q->notify_kind = kind;
	q->notify_sig = sig;
	q->notify_value = 0;
	return 0;
}

int sim_mqueue_notify_thread(SimMqueue *q, int task, int thread, gint64 value)
{
	int err = sim_mqueue_notify(q, task, SIM_NOTIFY_THREAD, thread);
	if (!err)
		q->notify_value = value;
	return err;
}

gboolean sim_mqueue_check(const SimMqueue *q)
{
	if (!sim_msg_list_check(&q->msgs) || !sim_waitq_check(&q->senders) ||
	    !sim_waitq_check(&q->receivers))
		return FALSE;
	guint64 bytes = 0;
	for (const SimMsg *m = q->msgs.head; m; m = m->next)
		bytes += m->size;
	if (bytes != q->qsize || q->msgs.len != q->curmsgs || (gint64)q->curmsgs > q->maxmsg)
		return FALSE;
	if (q->receivers.len && q->curmsgs)
		return FALSE;
	return !(q->senders.len && (gint64)q->curmsgs < q->maxmsg);
}
