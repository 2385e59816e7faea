/* test_mqueue.c — POSIX message queues (mqueue.h; ../shared/semantics.md §2): glibc's and
 * the lookup's name rules; mq_open's decision order (ENOENT, ENOSPC before the attr check,
 * EINVAL for attrs out of range unless CAP_SYS_RESOURCE, EMFILE from RLIMIT_MSGQUEUE
 * charged per uid as maxmsg*(msgsize+48)+min(maxmsg,32768)*48; on an existing queue
 * EEXIST, then EINVAL for access mode 3, then EACCES, attr ignored); mq_unlink (the name
 * goes at once, the queue and its charges live until the last close); send/receive
 * (priority order, FIFO within; EAGAIN before ETIMEDOUT; hand-off to the first waiting
 * receiver; a receive from a full queue moves the first waiting sender in; waiters served by
 * nice then arrival); mq_notify (one registration, fires only when a send inserts into an
 * empty queue, one-shot, OFF by a non-owner is a no-op, the owner's close removes it).
 */
#include <string.h>

#include "msgsim/base.h"
#include "msgsim/kernel/ipcns.h"
#include "msgsim/kernel/mqueue.h"
#include "msgsim/kernel/msg.h"
#include "msgsim/engine/waitq.h"
#include "tests.h"

#define RLIM ((gint64)819200)	       /* RLIMIT_MSGQUEUE default */
#define RLIM_HUGE ((gint64)1 << 40)    /* no rlimit in the way */
#define CHARGE_10x8192 ((gint64)82880) /* 10*(8192+48) + 10*48 */

enum { NTASK = 16 };

static const SimCred ROOT = { .uid = 0, .gid = 0, .caps = SIM_CAP_IPC_OWNER | SIM_CAP_SYS_ADMIN };
static const SimCred ROOT_RES = { .uid = 0, .gid = 0,
				  .caps = SIM_CAP_IPC_OWNER | SIM_CAP_SYS_ADMIN | SIM_CAP_SYS_RESOURCE };
static const SimCred USER = { .uid = 1000, .gid = 1000, .caps = 0 };
static const SimCred USER_RES = { .uid = 1000, .gid = 1000, .caps = SIM_CAP_SYS_RESOURCE };
static const SimCred USER2 = { .uid = 1001, .gid = 1001, .caps = 0 };

typedef struct Fx {
	SimScenario scn;
	SimIpcNs ns;
	SimMsgPool pool;
	GPtrArray *all;
	SimWakeList wake;
	SimMqueueCtx ctx;
	SimWaiter t[NTASK]; /* task i's waiter; prio = -nice */
} Fx;

static void fx_init(Fx *fx)
{
	memset(fx, 0, sizeof(*fx));
	fx->scn.limits.msgmax = 8192;
	fx->scn.limits.msgmnb = 16384;
	fx->scn.limits.msgmni = 32000;
	fx->scn.limits.mq_msg_max = 10;
	fx->scn.limits.mq_msgsize_max = 8192;
	fx->scn.limits.mq_queues_max = 256;
	fx->scn.limits.mq_msg_default = 10;
	fx->scn.limits.mq_msgsize_default = 8192;
	sim_ipcns_init(&fx->ns, &fx->scn.limits);
	sim_msg_pool_init(&fx->pool);
	fx->all = g_ptr_array_new();
	for (int i = 0; i < NTASK; i++) {
		fx->t[i].task = i;
		fx->t[i].from = -1;
	}
}

static void fx_done(Fx *fx)
{
	for (guint i = 0; i < fx->all->len; i++) {
		SimMqueue *q = g_ptr_array_index(fx->all, i);
		CU_ASSERT_EQUAL(q->senders.len, 0);
		CU_ASSERT_EQUAL(q->receivers.len, 0);
		sim_mqueue_free(q, &fx->pool);
	}
	g_ptr_array_free(fx->all, TRUE);
	CU_ASSERT_EQUAL(fx->pool.live, 0);
	if (fx->pool.live == 0) {
		sim_msg_pool_clear(&fx->pool);
	} else { /* a failed test: do not abort in clear's g_assert */
		g_ptr_array_unref(fx->pool.chunks);
		fx->pool.chunks = NULL;
	}
	sim_ipcns_clear(&fx->ns);
}

/* Task i with a nice value: lower nice is the higher priority. */
static SimWaiter *task(Fx *fx, int i, gint64 nice)
{
	SimWaiter *w = &fx->t[i];
	g_assert(w->queue == NULL);
	memset(w, 0, sizeof(*w));
	w->task = i;
	w->from = -1;
	w->prio = -nice;
	return w;
}

static SimMsg *mk_sized(Fx *fx, gint64 prio, const char *text, gsize size, int from)
{
	SimMsg *m = sim_msg_pool_get(&fx->pool);
	m->prio = prio;
	m->text = text;
	m->len = (guint32)size;
	m->size = size;
	m->from = from;
	return m;
}

static SimMsg *mk(Fx *fx, gint64 prio, const char *text, int from)
{
	return mk_sized(fx, prio, text, strlen(text), from);
}

static void put(Fx *fx, SimMsg *m)
{
	sim_msg_pool_put(&fx->pool, m);
}

static int open_full(Fx *fx, const char *name, guint oflags, guint mode, gint64 maxmsg,
		     gint64 msgsize, const SimCred *cred, gint64 rlimit, SimMqueue **out)
{
	*out = (SimMqueue *)&fx->ns; /* must be overwritten */
	int err = sim_mqueue_open(&fx->ns, fx->all, name, oflags, mode, maxmsg, msgsize, cred,
				  rlimit, out);
	if (err == 0) {
		CU_ASSERT_PTR_NOT_NULL(*out);
		if (*out)
			CU_ASSERT_TRUE(sim_mqueue_check(*out));
	} else {
		CU_ASSERT_PTR_NULL(*out);
	}
	return err;
}

/* mq_open with mode 0600 and the default rlimit. */
static int open_q(Fx *fx, const char *name, guint oflags, gint64 maxmsg, gint64 msgsize,
		  const SimCred *cred, SimMqueue **out)
{
	return open_full(fx, name, oflags, 0600, maxmsg, msgsize, cred, RLIM, out);
}

/* A new queue created by root, O_CREAT|O_EXCL|O_RDWR, mode 0600. */
static SimMqueue *create(Fx *fx, const char *name, gint64 maxmsg, gint64 msgsize)
{
	SimMqueue *q = NULL;
	CU_ASSERT_EQUAL_FATAL(
		open_q(fx, name, SIM_O_CREAT | SIM_O_EXCL | SIM_O_RDWR, maxmsg, msgsize, &ROOT, &q),
		0);
	CU_ASSERT_PTR_NOT_NULL_FATAL(q);
	return q;
}

static void ctx_reset(Fx *fx, int task_i, gboolean expired)
{
	fx->wake.first = fx->wake.last = NULL;
	fx->ctx = (SimMqueueCtx){ .wake = &fx->wake,
				  .task = task_i,
				  .expired = expired,
				  .notify_task = -99,
				  .notify_sig = -99,
				  .handed_to = -99 };
}

static int send_x(Fx *fx, SimMqueue *q, SimWaiter *w, SimMsg *m, gboolean nonblock,
		  gboolean expired)
{
	ctx_reset(fx, w->task, expired);
	int r = sim_mqueue_send(q, &fx->ctx, w, m, nonblock);
	CU_ASSERT_TRUE(sim_mqueue_check(q));
	return r;
}

static int send_m(Fx *fx, SimMqueue *q, SimWaiter *w, SimMsg *m)
{
	return send_x(fx, q, w, m, FALSE, FALSE);
}

static int recv_x(Fx *fx, SimMqueue *q, SimWaiter *w, gboolean nonblock, gboolean expired,
		  SimMsg **out)
{
	ctx_reset(fx, w->task, expired);
	*out = (SimMsg *)&fx->pool; /* must be overwritten */
	int r = sim_mqueue_receive(q, &fx->ctx, w, nonblock, out);
	CU_ASSERT_TRUE(sim_mqueue_check(q));
	return r;
}

/* A blocking receive that must succeed at once; returns the message (or NULL). */
static SimMsg *recv_ok(Fx *fx, SimMqueue *q, SimWaiter *w)
{
	SimMsg *m = NULL;
	CU_ASSERT_EQUAL(recv_x(fx, q, w, FALSE, FALSE, &m), 0);
	CU_ASSERT_PTR_NOT_NULL(m);
	return m;
}

static guint wake_count(const Fx *fx)
{
	guint n = 0;
	for (const SimWaiter *w = fx->wake.first; w; w = w->wake_next)
		n++;
	return n;
}

static int notify(SimMqueue *q, int task_i, SimNotifyKind kind, int sig)
{
	int r = sim_mqueue_notify(q, task_i, kind, sig);
	CU_ASSERT_TRUE(sim_mqueue_check(q));
	return r;
}

/* ---- Names ---- */

static void test_mqueue_check_name_without_leading_slash_is_einval(void)
{
	CU_ASSERT_EQUAL(sim_mqueue_check_name("noslash"), EINVAL);
	CU_ASSERT_EQUAL(sim_mqueue_check_name(""), EINVAL);
	CU_ASSERT_EQUAL(sim_mqueue_check_name("a/b"), EINVAL);
}

static void test_mqueue_check_name_slash_alone_is_enoent_and_slash_ok_is_0(void)
{
	CU_ASSERT_EQUAL(sim_mqueue_check_name("/"), ENOENT);
	CU_ASSERT_EQUAL(sim_mqueue_check_name("/ok"), 0);
}

static void test_mqueue_open_name_with_a_further_slash_is_eacces(void)
{
	Fx fx;
	fx_init(&fx);
	SimMqueue *q;
	CU_ASSERT_EQUAL(open_q(&fx, "/a/b", SIM_O_CREAT | SIM_O_RDWR, -1, -1, &ROOT, &q), EACCES);
	CU_ASSERT_EQUAL(open_q(&fx, "//x", SIM_O_CREAT | SIM_O_RDWR, -1, -1, &ROOT, &q), EACCES);
	CU_ASSERT_EQUAL(open_q(&fx, "/a/b", SIM_O_RDWR, -1, -1, &ROOT, &q), EACCES);
	CU_ASSERT_EQUAL(fx.ns.mq_count, 0);
	CU_ASSERT_EQUAL(fx.all->len, 0);
	fx_done(&fx);
}

static void test_mqueue_open_dot_and_dotdot_are_eacces(void)
{
	Fx fx;
	fx_init(&fx);
	SimMqueue *q;
	CU_ASSERT_EQUAL(open_q(&fx, "/.", SIM_O_CREAT | SIM_O_RDWR, -1, -1, &ROOT, &q), EACCES);
	CU_ASSERT_EQUAL(open_q(&fx, "/..", SIM_O_CREAT | SIM_O_RDWR, -1, -1, &ROOT, &q), EACCES);
	CU_ASSERT_EQUAL(fx.ns.mq_count, 0);
	/* a dot inside a name is an ordinary character */
	CU_ASSERT_EQUAL(open_q(&fx, "/...", SIM_O_CREAT | SIM_O_RDWR, -1, -1, &ROOT, &q), 0);
	CU_ASSERT_EQUAL(fx.ns.mq_count, 1);
	fx_done(&fx);
}

static void test_mqueue_open_256_char_component_is_enametoolong_255_ok(void)
{
	Fx fx;
	fx_init(&fx);
	char name[258];
	name[0] = '/';
	memset(name + 1, 'n', 256);
	name[257] = '\0';
	SimMqueue *q;
	CU_ASSERT_EQUAL(open_q(&fx, name, SIM_O_CREAT | SIM_O_RDWR, -1, -1, &ROOT, &q),
			ENAMETOOLONG);
	CU_ASSERT_EQUAL(fx.ns.mq_count, 0);
	name[256] = '\0'; /* 255 characters after the slash */
	CU_ASSERT_EQUAL(strlen(name + 1), 255);
	CU_ASSERT_EQUAL(open_q(&fx, name, SIM_O_CREAT | SIM_O_RDWR, -1, -1, &ROOT, &q), 0);
	CU_ASSERT_EQUAL(fx.ns.mq_count, 1);
	fx_done(&fx);
}

/* ---- mq_open ---- */

static void test_mqueue_open_missing_without_o_creat_is_enoent(void)
{
	Fx fx;
	fx_init(&fx);
	SimMqueue *q;
	CU_ASSERT_EQUAL(open_q(&fx, "/nope", SIM_O_RDWR, -1, -1, &ROOT, &q), ENOENT);
	CU_ASSERT_EQUAL(open_q(&fx, "/nope", SIM_O_EXCL | SIM_O_RDONLY, -1, -1, &ROOT, &q), ENOENT);
	CU_ASSERT_EQUAL(fx.ns.mq_count, 0);
	CU_ASSERT_EQUAL(fx.all->len, 0);
	fx_done(&fx);
}

static void test_mqueue_create_without_attr_gets_10_x_8192(void)
{
	Fx fx;
	fx_init(&fx);
	SimMqueue *q;
	CU_ASSERT_EQUAL_FATAL(
		open_full(&fx, "/q", SIM_O_CREAT | SIM_O_WRONLY, 0640, -1, -1, &USER, RLIM, &q), 0);
	CU_ASSERT_EQUAL(q->maxmsg, 10);
	CU_ASSERT_EQUAL(q->msgsize, 8192);
	CU_ASSERT_STRING_EQUAL(q->name, "/q");
	CU_ASSERT_EQUAL(q->perm.uid, 1000);
	CU_ASSERT_EQUAL(q->perm.gid, 1000);
	CU_ASSERT_EQUAL(q->perm.mode, 0640);
	CU_ASSERT_EQUAL(q->refs, 1);
	CU_ASSERT_EQUAL(q->curmsgs, 0);
	CU_ASSERT_EQUAL(q->qsize, 0);
	CU_ASSERT_EQUAL(q->notify_task, -1);
	CU_ASSERT_FALSE(q->unlinked);
	CU_ASSERT_FALSE(q->freed);
	CU_ASSERT_EQUAL(fx.ns.mq_count, 1);
	CU_ASSERT_EQUAL(fx.all->len, 1);
	CU_ASSERT_PTR_EQUAL(g_ptr_array_index(fx.all, 0), q);
	CU_ASSERT_EQUAL(q->charge, CHARGE_10x8192);
	CU_ASSERT_EQUAL(sim_ipcns_mq_charged(&fx.ns, 1000), CHARGE_10x8192);
	CU_ASSERT_EQUAL(sim_ipcns_mq_charged(&fx.ns, 0), 0);
	fx_done(&fx);
}

static void test_mqueue_create_without_attr_uses_msg_default_not_msg_max(void)
{
	Fx fx;
	fx_init(&fx);
	fx.ns.limits.mq_msg_default = 4;
	fx.ns.limits.mq_msgsize_default = 1024;
	SimMqueue *q;
	CU_ASSERT_EQUAL_FATAL(open_q(&fx, "/q", SIM_O_CREAT | SIM_O_RDWR, -1, -1, &ROOT, &q), 0);
	CU_ASSERT_EQUAL(q->maxmsg, 4);
	CU_ASSERT_EQUAL(q->msgsize, 1024);
	CU_ASSERT_EQUAL(q->charge, 4 * (1024 + 48) + 4 * 48);
	fx_done(&fx);
}

static void test_mqueue_create_with_attr_uses_it(void)
{
	Fx fx;
	fx_init(&fx);
	SimMqueue *q;
	CU_ASSERT_EQUAL_FATAL(open_q(&fx, "/q", SIM_O_CREAT | SIM_O_RDWR, 3, 100, &USER, &q), 0);
	CU_ASSERT_EQUAL(q->maxmsg, 3);
	CU_ASSERT_EQUAL(q->msgsize, 100);
	CU_ASSERT_EQUAL(q->charge, 3 * (100 + 48) + 3 * 48);
	CU_ASSERT_EQUAL(sim_ipcns_mq_charged(&fx.ns, 1000), 588);
	/* the limits themselves are allowed */
	CU_ASSERT_EQUAL_FATAL(open_q(&fx, "/max", SIM_O_CREAT | SIM_O_RDWR, 10, 8192, &USER, &q),
			      0);
	CU_ASSERT_EQUAL(q->maxmsg, 10);
	CU_ASSERT_EQUAL(q->msgsize, 8192);
	fx_done(&fx);
}

static void test_mqueue_create_with_attr_0_or_negative_is_einval(void)
{
	Fx fx;
	fx_init(&fx);
	SimMqueue *q;
	const guint fl = SIM_O_CREAT | SIM_O_RDWR;
	CU_ASSERT_EQUAL(open_q(&fx, "/q", fl, 0, 100, &ROOT, &q), EINVAL);
	CU_ASSERT_EQUAL(open_q(&fx, "/q", fl, 5, 0, &ROOT, &q), EINVAL);
	CU_ASSERT_EQUAL(open_q(&fx, "/q", fl, -2, 100, &ROOT, &q), EINVAL);
	CU_ASSERT_EQUAL(open_q(&fx, "/q", fl, 5, -2, &ROOT, &q), EINVAL);
	/* -1 is "no attr" only when both are -1: an attr with one -1 is checked */
	CU_ASSERT_EQUAL(open_q(&fx, "/q", fl, -1, 100, &ROOT, &q), EINVAL);
	CU_ASSERT_EQUAL(open_q(&fx, "/q", fl, 5, -1, &ROOT, &q), EINVAL);
	CU_ASSERT_EQUAL(open_q(&fx, "/q", fl, 0, 100, &ROOT_RES, &q), EINVAL);
	CU_ASSERT_EQUAL(fx.ns.mq_count, 0);
	CU_ASSERT_EQUAL(fx.all->len, 0);
	CU_ASSERT_EQUAL(sim_ipcns_mq_charged(&fx.ns, 0), 0);
	CU_ASSERT_EQUAL(open_q(&fx, "/q", SIM_O_RDWR, -1, -1, &ROOT, &q), ENOENT);
	fx_done(&fx);
}

static void test_mqueue_maxmsg_11_needs_cap_sys_resource_up_to_65536(void)
{
	Fx fx;
	fx_init(&fx);
	SimMqueue *q;
	const guint fl = SIM_O_CREAT | SIM_O_RDWR;
	CU_ASSERT_EQUAL(open_full(&fx, "/a", fl, 0600, 11, 16, &USER, RLIM_HUGE, &q), EINVAL);
	CU_ASSERT_EQUAL(open_full(&fx, "/a", fl, 0600, 11, 16, &ROOT, RLIM_HUGE, &q), EINVAL);
	CU_ASSERT_EQUAL(fx.ns.mq_count, 0);
	CU_ASSERT_EQUAL_FATAL(open_full(&fx, "/a", fl, 0600, 11, 16, &USER_RES, RLIM_HUGE, &q), 0);
	CU_ASSERT_EQUAL(q->maxmsg, 11);
	CU_ASSERT_EQUAL_FATAL(open_full(&fx, "/b", fl, 0600, 65536, 16, &USER_RES, RLIM_HUGE, &q),
			      0);
	CU_ASSERT_EQUAL(q->maxmsg, 65536);
	CU_ASSERT_EQUAL(q->charge, (gint64)65536 * (16 + 48) + (gint64)32768 * 48);
	CU_ASSERT_EQUAL(open_full(&fx, "/c", fl, 0600, 65537, 16, &USER_RES, RLIM_HUGE, &q),
			EINVAL);
	CU_ASSERT_EQUAL(fx.ns.mq_count, 2);
	fx_done(&fx);
}

static void test_mqueue_msgsize_8193_needs_cap_sys_resource_up_to_16_mib(void)
{
	Fx fx;
	fx_init(&fx);
	SimMqueue *q;
	const guint fl = SIM_O_CREAT | SIM_O_RDWR;
	const gint64 mib16 = 16 * 1024 * 1024;
	CU_ASSERT_EQUAL(open_full(&fx, "/a", fl, 0600, 1, 8193, &USER, RLIM_HUGE, &q), EINVAL);
	CU_ASSERT_EQUAL(open_full(&fx, "/a", fl, 0600, 1, 8193, &ROOT, RLIM_HUGE, &q), EINVAL);
	CU_ASSERT_EQUAL(fx.ns.mq_count, 0);
	CU_ASSERT_EQUAL_FATAL(open_full(&fx, "/a", fl, 0600, 1, 8193, &USER_RES, RLIM_HUGE, &q), 0);
	CU_ASSERT_EQUAL(q->msgsize, 8193);
	CU_ASSERT_EQUAL_FATAL(open_full(&fx, "/b", fl, 0600, 1, mib16, &USER_RES, RLIM_HUGE, &q),
			      0);
	CU_ASSERT_EQUAL(q->msgsize, mib16);
	CU_ASSERT_EQUAL(open_full(&fx, "/c", fl, 0600, 1, mib16 + 1, &USER_RES, RLIM_HUGE, &q),
			EINVAL);
	CU_ASSERT_EQUAL(fx.ns.mq_count, 2);
	fx_done(&fx);
}

static void test_mqueue_queues_max_reached_is_enospc_unless_cap_sys_resource(void)
{
	Fx fx;
	fx_init(&fx);
	fx.ns.limits.mq_queues_max = 3;
	SimMqueue *q;
	const guint fl = SIM_O_CREAT | SIM_O_RDWR;
	CU_ASSERT_EQUAL(open_q(&fx, "/a", fl, 1, 16, &ROOT, &q), 0);
	CU_ASSERT_EQUAL(open_q(&fx, "/b", fl, 1, 16, &ROOT, &q), 0);
	CU_ASSERT_EQUAL(open_q(&fx, "/c", fl, 1, 16, &USER, &q), 0);
	CU_ASSERT_EQUAL(fx.ns.mq_count, 3);
	CU_ASSERT_EQUAL(open_q(&fx, "/d", fl, 1, 16, &ROOT, &q), ENOSPC);
	CU_ASSERT_EQUAL(open_q(&fx, "/d", fl, -1, -1, &USER, &q), ENOSPC);
	CU_ASSERT_EQUAL(fx.ns.mq_count, 3);
	CU_ASSERT_EQUAL(fx.all->len, 3);
	/* opening an existing queue is not a creation */
	CU_ASSERT_EQUAL(open_q(&fx, "/a", fl, -1, -1, &ROOT, &q), 0);
	CU_ASSERT_EQUAL(open_q(&fx, "/d", fl, 1, 16, &USER_RES, &q), 0);
	CU_ASSERT_EQUAL(open_q(&fx, "/e", fl, 1, 16, &ROOT_RES, &q), 0);
	CU_ASSERT_EQUAL(fx.ns.mq_count, 5);
	fx_done(&fx);
}

static void test_mqueue_enospc_is_checked_before_a_bad_attr(void)
{
	Fx fx;
	fx_init(&fx);
	fx.ns.limits.mq_queues_max = 1;
	SimMqueue *q;
	const guint fl = SIM_O_CREAT | SIM_O_RDWR;
	CU_ASSERT_EQUAL(open_q(&fx, "/a", fl, -1, -1, &ROOT, &q), 0);
	CU_ASSERT_EQUAL(open_q(&fx, "/b", fl, 0, 16, &ROOT, &q), ENOSPC);
	CU_ASSERT_EQUAL(open_q(&fx, "/b", fl, 11, 16, &ROOT, &q), ENOSPC);
	CU_ASSERT_EQUAL(open_q(&fx, "/b", fl, 1, -2, &ROOT, &q), ENOSPC);
	/* and before RLIMIT_MSGQUEUE */
	CU_ASSERT_EQUAL(open_full(&fx, "/b", fl, 0600, 1, 16, &ROOT, 0, &q), ENOSPC);
	CU_ASSERT_EQUAL(fx.ns.mq_count, 1);
	fx_done(&fx);
}

static void test_mqueue_rlimit_nine_10x8192_queues_fit_the_tenth_is_emfile(void)
{
	Fx fx;
	fx_init(&fx);
	SimMqueue *q;
	for (int i = 0; i < 9; i++) {
		char *name = g_strdup_printf("/q%d", i);
		CU_ASSERT_EQUAL(open_q(&fx, name, SIM_O_CREAT | SIM_O_RDWR, 10, 8192, &USER, &q),
				0);
		g_free(name);
	}
	CU_ASSERT_EQUAL(sim_ipcns_mq_charged(&fx.ns, 1000), 9 * CHARGE_10x8192);
	CU_ASSERT_EQUAL(open_q(&fx, "/q9", SIM_O_CREAT | SIM_O_RDWR, 10, 8192, &USER, &q), EMFILE);
	/* the defaults are 10 x 8192 too */
	CU_ASSERT_EQUAL(open_q(&fx, "/q9", SIM_O_CREAT | SIM_O_RDWR, -1, -1, &USER, &q), EMFILE);
	CU_ASSERT_EQUAL(fx.ns.mq_count, 9);
	CU_ASSERT_EQUAL(fx.all->len, 9);
	CU_ASSERT_EQUAL(sim_ipcns_mq_charged(&fx.ns, 1000), 9 * CHARGE_10x8192);
	/* a smaller queue still fits in the 73280 bytes left: 1 x 8192 costs 8288 */
	CU_ASSERT_EQUAL(open_q(&fx, "/small", SIM_O_CREAT | SIM_O_RDWR, 1, 8192, &USER, &q), 0);
	fx_done(&fx);
}

static void test_mqueue_rlimit_100_queues_of_1x8096_fit_exactly_1x8097_only_99(void)
{
	Fx fx;
	fx_init(&fx);
	SimMqueue *q;
	for (int i = 0; i < 100; i++) {
		char *name = g_strdup_printf("/a%d", i);
		CU_ASSERT_EQUAL(open_q(&fx, name, SIM_O_CREAT | SIM_O_RDWR, 1, 8096, &USER, &q), 0);
		g_free(name);
	}
	CU_ASSERT_EQUAL(sim_ipcns_mq_charged(&fx.ns, 1000), RLIM);
	CU_ASSERT_EQUAL(open_q(&fx, "/a100", SIM_O_CREAT | SIM_O_RDWR, 1, 1, &USER, &q), EMFILE);
	CU_ASSERT_EQUAL(fx.ns.mq_count, 100);
	/* 1 x 8097 costs 8193: 99 fit (811107 bytes), the 100th would make 819300 */
	for (int i = 0; i < 99; i++) {
		char *name = g_strdup_printf("/b%d", i);
		CU_ASSERT_EQUAL(open_q(&fx, name, SIM_O_CREAT | SIM_O_RDWR, 1, 8097, &USER2, &q),
				0);
		g_free(name);
	}
	CU_ASSERT_EQUAL(sim_ipcns_mq_charged(&fx.ns, 1001), 99 * 8193);
	CU_ASSERT_EQUAL(open_q(&fx, "/b99", SIM_O_CREAT | SIM_O_RDWR, 1, 8097, &USER2, &q), EMFILE);
	CU_ASSERT_EQUAL(fx.ns.mq_count, 199);
	fx_done(&fx);
}

static void test_mqueue_rlimit_charge_is_per_uid(void)
{
	Fx fx;
	fx_init(&fx);
	SimMqueue *q;
	for (int i = 0; i < 9; i++) {
		char *name = g_strdup_printf("/u%d", i);
		CU_ASSERT_EQUAL(open_q(&fx, name, SIM_O_CREAT | SIM_O_RDWR, -1, -1, &USER, &q), 0);
		g_free(name);
	}
	CU_ASSERT_EQUAL(open_q(&fx, "/u9", SIM_O_CREAT | SIM_O_RDWR, -1, -1, &USER, &q), EMFILE);
	/* another uid (same gid would not matter) and root start from 0 */
	const SimCred other = { .uid = 1001, .gid = 1000, .caps = 0 };
	CU_ASSERT_EQUAL(open_q(&fx, "/o0", SIM_O_CREAT | SIM_O_RDWR, -1, -1, &other, &q), 0);
	CU_ASSERT_EQUAL(open_q(&fx, "/r0", SIM_O_CREAT | SIM_O_RDWR, -1, -1, &ROOT, &q), 0);
	CU_ASSERT_EQUAL(q->charge_uid, 0);
	CU_ASSERT_EQUAL(sim_ipcns_mq_charged(&fx.ns, 1001), CHARGE_10x8192);
	CU_ASSERT_EQUAL(sim_ipcns_mq_charged(&fx.ns, 0), CHARGE_10x8192);
	CU_ASSERT_EQUAL(sim_ipcns_mq_charged(&fx.ns, 1000), 9 * CHARGE_10x8192);
	/* opening another user's queue charges nothing */
	CU_ASSERT_EQUAL(open_full(&fx, "/u0", SIM_O_RDWR, 0600, -1, -1, &ROOT, RLIM, &q), 0);
	CU_ASSERT_EQUAL(sim_ipcns_mq_charged(&fx.ns, 0), CHARGE_10x8192);
	CU_ASSERT_EQUAL(open_q(&fx, "/u9", SIM_O_CREAT | SIM_O_RDWR, -1, -1, &USER, &q), EMFILE);
	fx_done(&fx);
}

static void test_mqueue_rlimit_is_not_bypassed_by_cap_sys_resource(void)
{
	Fx fx;
	fx_init(&fx);
	SimMqueue *q;
	/* mqueue_get_inode checks RLIMIT_MSGQUEUE with no capability exemption */
	CU_ASSERT_EQUAL(open_full(&fx, "/a", SIM_O_CREAT | SIM_O_RDWR, 0600, 10, 8192, &USER_RES,
				  CHARGE_10x8192 - 1, &q),
			EMFILE);
	CU_ASSERT_EQUAL(open_full(&fx, "/a", SIM_O_CREAT | SIM_O_RDWR, 0600, 10, 8192, &USER_RES,
				  CHARGE_10x8192, &q),
			0);
	CU_ASSERT_EQUAL(fx.ns.mq_count, 1);
	fx_done(&fx);
}

static void test_mqueue_existing_creat_excl_is_eexist(void)
{
	Fx fx;
	fx_init(&fx);
	SimMqueue *q0 = create(&fx, "/q", -1, -1);
	SimMqueue *q;
	CU_ASSERT_EQUAL(open_q(&fx, "/q", SIM_O_CREAT | SIM_O_EXCL | SIM_O_RDWR, -1, -1, &ROOT, &q),
			EEXIST);
	CU_ASSERT_EQUAL(q0->refs, 1);
	CU_ASSERT_EQUAL(fx.ns.mq_count, 1);
	CU_ASSERT_EQUAL(fx.all->len, 1);
	/* O_EXCL without O_CREAT is ignored */
	CU_ASSERT_EQUAL(open_q(&fx, "/q", SIM_O_EXCL | SIM_O_RDWR, -1, -1, &ROOT, &q), 0);
	CU_ASSERT_PTR_EQUAL(q, q0);
	CU_ASSERT_EQUAL(q0->refs, 2);
	fx_done(&fx);
}

static void test_mqueue_eexist_wins_over_bad_attr_accmode_3_and_eacces(void)
{
	Fx fx;
	fx_init(&fx);
	create(&fx, "/q", -1, -1); /* root's, 0600 */
	SimMqueue *q;
	const guint ce = SIM_O_CREAT | SIM_O_EXCL;
	CU_ASSERT_EQUAL(open_q(&fx, "/q", ce | SIM_O_RDWR, 0, 16, &ROOT, &q), EEXIST);
	CU_ASSERT_EQUAL(open_q(&fx, "/q", ce | SIM_O_RDWR, 11, 9000, &ROOT, &q), EEXIST);
	CU_ASSERT_EQUAL(open_q(&fx, "/q", ce | SIM_O_ACCMODE3, -1, -1, &ROOT, &q), EEXIST);
	CU_ASSERT_EQUAL(open_q(&fx, "/q", ce | SIM_O_RDONLY, -1, -1, &USER, &q), EEXIST);
	fx_done(&fx);
}

static void test_mqueue_existing_access_mode_3_is_einval(void)
{
	Fx fx;
	fx_init(&fx);
	SimMqueue *q0 = create(&fx, "/q", -1, -1);
	SimMqueue *q;
	CU_ASSERT_EQUAL(open_q(&fx, "/q", SIM_O_ACCMODE3, -1, -1, &ROOT, &q), EINVAL);
	CU_ASSERT_EQUAL(open_q(&fx, "/q", SIM_O_CREAT | SIM_O_ACCMODE3, -1, -1, &ROOT, &q), EINVAL);
	/* before the permission check: a user without access gets EINVAL, not EACCES */
	CU_ASSERT_EQUAL(open_q(&fx, "/q", SIM_O_ACCMODE3, -1, -1, &USER, &q), EINVAL);
	CU_ASSERT_EQUAL(q0->refs, 1);
	fx_done(&fx);
}

static void test_mqueue_existing_without_permission_is_eacces_cap_ipc_owner_passes(void)
{
	Fx fx;
	fx_init(&fx);
	SimMqueue *q0 = create(&fx, "/q", -1, -1); /* root's, 0600 */
	SimMqueue *q;
	CU_ASSERT_EQUAL(open_q(&fx, "/q", SIM_O_RDONLY, -1, -1, &USER, &q), EACCES);
	CU_ASSERT_EQUAL(open_q(&fx, "/q", SIM_O_WRONLY, -1, -1, &USER, &q), EACCES);
	CU_ASSERT_EQUAL(open_q(&fx, "/q", SIM_O_CREAT | SIM_O_RDWR, -1, -1, &USER, &q), EACCES);
	CU_ASSERT_EQUAL(q0->refs, 1);
	CU_ASSERT_EQUAL(open_q(&fx, "/q", SIM_O_RDONLY, -1, -1, &ROOT, &q), 0);
	CU_ASSERT_PTR_EQUAL(q, q0);
	CU_ASSERT_EQUAL(q0->refs, 2);
	/* other class r-- : read is allowed, write is not */
	SimMqueue *r0 = NULL;
	CU_ASSERT_EQUAL_FATAL(
		open_full(&fx, "/r", SIM_O_CREAT | SIM_O_RDWR, 0604, -1, -1, &ROOT, RLIM, &r0), 0);
	CU_ASSERT_EQUAL(open_q(&fx, "/r", SIM_O_RDONLY, -1, -1, &USER, &q), 0);
	CU_ASSERT_PTR_EQUAL(q, r0);
	CU_ASSERT_EQUAL(open_q(&fx, "/r", SIM_O_WRONLY, -1, -1, &USER, &q), EACCES);
	CU_ASSERT_EQUAL(open_q(&fx, "/r", SIM_O_RDWR, -1, -1, &USER, &q), EACCES);
	CU_ASSERT_EQUAL(r0->refs, 2);
	fx_done(&fx);
}

static void test_mqueue_existing_ignores_attr_even_an_invalid_one(void)
{
	Fx fx;
	fx_init(&fx);
	SimMqueue *q0 = create(&fx, "/q", 3, 64);
	SimMqueue *q;
	CU_ASSERT_EQUAL(open_q(&fx, "/q", SIM_O_CREAT | SIM_O_RDWR, 0, 0, &ROOT, &q), 0);
	CU_ASSERT_PTR_EQUAL(q, q0);
	CU_ASSERT_EQUAL(open_q(&fx, "/q", SIM_O_CREAT | SIM_O_RDWR, -2, 99999, &ROOT, &q), 0);
	CU_ASSERT_EQUAL(open_q(&fx, "/q", SIM_O_CREAT | SIM_O_RDWR, 5, 100, &ROOT, &q), 0);
	CU_ASSERT_EQUAL(q0->maxmsg, 3);
	CU_ASSERT_EQUAL(q0->msgsize, 64);
	CU_ASSERT_EQUAL(q0->refs, 4);
	CU_ASSERT_EQUAL(fx.ns.mq_count, 1);
	CU_ASSERT_EQUAL(fx.all->len, 1);
	CU_ASSERT_EQUAL(sim_ipcns_mq_charged(&fx.ns, 0), 3 * (64 + 48) + 3 * 48);
	fx_done(&fx);
}

static void test_mqueue_creat_with_access_mode_3_on_a_missing_queue_succeeds(void)
{
	Fx fx;
	fx_init(&fx);
	SimMqueue *q;
	CU_ASSERT_EQUAL(open_q(&fx, "/q", SIM_O_CREAT | SIM_O_ACCMODE3, -1, -1, &USER, &q), 0);
	CU_ASSERT_EQUAL(fx.ns.mq_count, 1);
	CU_ASSERT_EQUAL(fx.all->len, 1);
	CU_ASSERT_EQUAL(q->refs, 1);
	/* the same call on the queue now existing is EINVAL */
	CU_ASSERT_EQUAL(open_q(&fx, "/q", SIM_O_CREAT | SIM_O_ACCMODE3, -1, -1, &USER, &q), EINVAL);
	fx_done(&fx);
}

/* ---- mq_unlink and lifetime ---- */

static void test_mqueue_unlink_missing_is_enoent(void)
{
	Fx fx;
	fx_init(&fx);
	CU_ASSERT_EQUAL(sim_mqueue_unlink(&fx.ns, "/nope", &ROOT), ENOENT);
	create(&fx, "/q", 1, 16);
	CU_ASSERT_EQUAL(sim_mqueue_unlink(&fx.ns, "/q", &ROOT), 0);
	CU_ASSERT_EQUAL(sim_mqueue_unlink(&fx.ns, "/q", &ROOT), ENOENT); /* a second unlink */
	fx_done(&fx);
}

static void test_mqueue_unlink_applies_the_name_rules(void)
{
	Fx fx;
	fx_init(&fx);
	create(&fx, "/q", 1, 16);
	CU_ASSERT_EQUAL(sim_mqueue_unlink(&fx.ns, "q", &ROOT), EINVAL);
	CU_ASSERT_EQUAL(sim_mqueue_unlink(&fx.ns, "", &ROOT), EINVAL);
	CU_ASSERT_EQUAL(sim_mqueue_unlink(&fx.ns, "/", &ROOT), ENOENT);
	CU_ASSERT_EQUAL(sim_mqueue_unlink(&fx.ns, "/q/x", &ROOT), EACCES);
	char name[258];
	name[0] = '/';
	memset(name + 1, 'n', 256);
	name[257] = '\0';
	CU_ASSERT_EQUAL(sim_mqueue_unlink(&fx.ns, name, &ROOT), ENAMETOOLONG);
	name[256] = '\0';
	CU_ASSERT_EQUAL(sim_mqueue_unlink(&fx.ns, name, &ROOT), ENOENT);
	CU_ASSERT_EQUAL(fx.ns.mq_count, 1);
	fx_done(&fx);
}

static void test_mqueue_unlink_removes_the_name_but_the_queue_keeps_working(void)
{
	Fx fx;
	fx_init(&fx);
	SimMqueue *q = create(&fx, "/q", 2, 64);
	SimWaiter *p = task(&fx, 1, 0);
	CU_ASSERT_EQUAL(send_m(&fx, q, p, mk(&fx, 0, "before", 1)), 0);
	CU_ASSERT_EQUAL(sim_mqueue_unlink(&fx.ns, "/q", &ROOT), 0);
	CU_ASSERT_TRUE(sim_mqueue_check(q));
	CU_ASSERT_TRUE(q->unlinked);
	CU_ASSERT_FALSE(q->freed);
	SimMqueue *q2;
	CU_ASSERT_EQUAL(open_q(&fx, "/q", SIM_O_RDWR, -1, -1, &ROOT, &q2), ENOENT);
	CU_ASSERT_EQUAL(fx.ns.mq_count, 1);
	CU_ASSERT_EQUAL(send_m(&fx, q, p, mk(&fx, 0, "after", 1)), 0);
	CU_ASSERT_EQUAL(q->curmsgs, 2);
	SimMsg *m = recv_ok(&fx, q, p);
	CU_ASSERT_STRING_EQUAL(m->text, "before");
	put(&fx, m);
	m = recv_ok(&fx, q, p);
	CU_ASSERT_STRING_EQUAL(m->text, "after");
	put(&fx, m);
	CU_ASSERT_EQUAL(q->curmsgs, 0);
	fx_done(&fx);
}

static void test_mqueue_create_after_unlink_is_a_different_queue(void)
{
	Fx fx;
	fx_init(&fx);
	SimMqueue *old = create(&fx, "/q", 2, 64);
	SimWaiter *p = task(&fx, 1, 0);
	CU_ASSERT_EQUAL(send_m(&fx, old, p, mk(&fx, 0, "old", 1)), 0);
	CU_ASSERT_EQUAL(sim_mqueue_unlink(&fx.ns, "/q", &ROOT), 0);
	SimMqueue *q;
	CU_ASSERT_EQUAL_FATAL(
		open_q(&fx, "/q", SIM_O_CREAT | SIM_O_EXCL | SIM_O_RDWR, 3, 32, &ROOT, &q), 0);
	CU_ASSERT_PTR_NOT_EQUAL(q, old);
	CU_ASSERT_EQUAL(q->curmsgs, 0);
	CU_ASSERT_EQUAL(q->maxmsg, 3);
	CU_ASSERT_FALSE(q->unlinked);
	CU_ASSERT_EQUAL(old->curmsgs, 1);
	CU_ASSERT_EQUAL(fx.ns.mq_count, 2);
	CU_ASSERT_EQUAL(fx.all->len, 2);
	/* the name now finds the new one */
	SimMqueue *again;
	CU_ASSERT_EQUAL(open_q(&fx, "/q", SIM_O_RDWR, -1, -1, &ROOT, &again), 0);
	CU_ASSERT_PTR_EQUAL(again, q);
	CU_ASSERT_EQUAL(old->refs, 1);
	fx_done(&fx);
}

static void test_mqueue_charges_are_released_at_the_last_close_of_an_unlinked_queue(void)
{
	Fx fx;
	fx_init(&fx);
	SimMqueue *q, *first = NULL;
	for (int i = 0; i < 9; i++) {
		char *name = g_strdup_printf("/q%d", i);
		CU_ASSERT_EQUAL(open_q(&fx, name, SIM_O_CREAT | SIM_O_RDWR, -1, -1, &USER, &q), 0);
		if (i == 0)
			first = q;
		g_free(name);
	}
	CU_ASSERT_PTR_NOT_NULL_FATAL(first);
	CU_ASSERT_EQUAL(open_q(&fx, "/q0", SIM_O_RDWR, -1, -1, &USER, &q), 0); /* refs 2 */
	CU_ASSERT_EQUAL(first->refs, 2);
	CU_ASSERT_EQUAL(open_q(&fx, "/x", SIM_O_CREAT | SIM_O_RDWR, -1, -1, &USER, &q), EMFILE);
	CU_ASSERT_EQUAL(sim_mqueue_unlink(&fx.ns, "/q0", &USER), 0);
	CU_ASSERT_EQUAL(sim_ipcns_mq_charged(&fx.ns, 1000), 9 * CHARGE_10x8192);
	CU_ASSERT_EQUAL(fx.ns.mq_count, 9);
	CU_ASSERT_EQUAL(open_q(&fx, "/x", SIM_O_CREAT | SIM_O_RDWR, -1, -1, &USER, &q), EMFILE);
	sim_mqueue_close(&fx.ns, first, 1);
	CU_ASSERT_TRUE(sim_mqueue_check(first));
	CU_ASSERT_EQUAL(first->refs, 1);
	CU_ASSERT_FALSE(first->freed);
	CU_ASSERT_EQUAL(fx.ns.mq_count, 9);
	CU_ASSERT_EQUAL(open_q(&fx, "/x", SIM_O_CREAT | SIM_O_RDWR, -1, -1, &USER, &q), EMFILE);
	sim_mqueue_close(&fx.ns, first, 2);
	CU_ASSERT_TRUE(sim_mqueue_check(first));
	CU_ASSERT_EQUAL(first->refs, 0);
	CU_ASSERT_TRUE(first->freed);
	CU_ASSERT_EQUAL(fx.ns.mq_count, 8);
	CU_ASSERT_EQUAL(sim_ipcns_mq_charged(&fx.ns, 1000), 8 * CHARGE_10x8192);
	CU_ASSERT_EQUAL(open_q(&fx, "/x", SIM_O_CREAT | SIM_O_RDWR, -1, -1, &USER, &q), 0);
	CU_ASSERT_EQUAL(fx.ns.mq_count, 9);
	fx_done(&fx);
}

static void test_mqueue_queues_max_slot_is_released_at_the_last_close(void)
{
	Fx fx;
	fx_init(&fx);
	fx.ns.limits.mq_queues_max = 2;
	SimMqueue *a = create(&fx, "/a", 1, 16);
	create(&fx, "/b", 1, 16);
	SimMqueue *q;
	CU_ASSERT_EQUAL(sim_mqueue_unlink(&fx.ns, "/a", &ROOT), 0);
	CU_ASSERT_EQUAL(fx.ns.mq_count, 2);
	CU_ASSERT_EQUAL(open_q(&fx, "/c", SIM_O_CREAT | SIM_O_RDWR, 1, 16, &ROOT, &q), ENOSPC);
	sim_mqueue_close(&fx.ns, a, 0);
	CU_ASSERT_TRUE(sim_mqueue_check(a));
	CU_ASSERT_TRUE(a->freed);
	CU_ASSERT_EQUAL(fx.ns.mq_count, 1);
	CU_ASSERT_EQUAL(open_q(&fx, "/c", SIM_O_CREAT | SIM_O_RDWR, 1, 16, &ROOT, &q), 0);
	CU_ASSERT_EQUAL(fx.ns.mq_count, 2);
	fx_done(&fx);
}

static void test_mqueue_unlink_by_a_non_owner_user_is_eacces(void)
{
	Fx fx;
	fx_init(&fx);
	SimMqueue *r = NULL;
	CU_ASSERT_EQUAL_FATAL(
		open_full(&fx, "/root", SIM_O_CREAT | SIM_O_RDWR, 0666, -1, -1, &ROOT, RLIM, &r),
		0);
	CU_ASSERT_EQUAL(sim_mqueue_unlink(&fx.ns, "/root", &USER), EACCES);
	CU_ASSERT_FALSE(r->unlinked);
	SimMqueue *q;
	/* still named; 0666 less the umask lets another user read only */
	CU_ASSERT_EQUAL(open_q(&fx, "/root", SIM_O_RDWR, -1, -1, &USER, &q), EACCES);
	CU_ASSERT_EQUAL(open_q(&fx, "/root", SIM_O_RDONLY, -1, -1, &USER, &q), 0);
	CU_ASSERT_PTR_EQUAL(q, r);
	/* a user's own queue: the owner and root may unlink it, another user may not */
	CU_ASSERT_EQUAL(open_q(&fx, "/mine", SIM_O_CREAT | SIM_O_RDWR, -1, -1, &USER, &q), 0);
	CU_ASSERT_EQUAL(sim_mqueue_unlink(&fx.ns, "/mine", &USER2), EACCES);
	CU_ASSERT_EQUAL(sim_mqueue_unlink(&fx.ns, "/mine", &USER), 0);
	CU_ASSERT_EQUAL(open_q(&fx, "/his", SIM_O_CREAT | SIM_O_RDWR, -1, -1, &USER2, &q), 0);
	CU_ASSERT_EQUAL(sim_mqueue_unlink(&fx.ns, "/his", &ROOT), 0);
	CU_ASSERT_TRUE(q->unlinked);
	fx_done(&fx);
}

static void test_mqueue_unlinked_queue_is_freed_when_refs_reach_0(void)
{
	Fx fx;
	fx_init(&fx);
	SimMqueue *a = create(&fx, "/a", 1, 16);
	/* closing a linked queue to 0 references does not free it */
	sim_mqueue_close(&fx.ns, a, 0);
	CU_ASSERT_TRUE(sim_mqueue_check(a));
	CU_ASSERT_EQUAL(a->refs, 0);
	CU_ASSERT_FALSE(a->freed);
	CU_ASSERT_EQUAL(fx.ns.mq_count, 1);
	SimMqueue *q;
	CU_ASSERT_EQUAL(open_q(&fx, "/a", SIM_O_RDWR, -1, -1, &ROOT, &q), 0);
	CU_ASSERT_PTR_EQUAL(q, a);
	/* unlink, then the last close frees */
	CU_ASSERT_EQUAL(sim_mqueue_unlink(&fx.ns, "/a", &ROOT), 0);
	CU_ASSERT_FALSE(a->freed);
	sim_mqueue_close(&fx.ns, a, 0);
	CU_ASSERT_TRUE(a->freed);
	CU_ASSERT_EQUAL(fx.ns.mq_count, 0);
	CU_ASSERT_EQUAL(sim_ipcns_mq_charged(&fx.ns, 0), 0);
	/* unlink of a queue nobody holds frees at once */
	SimMqueue *b = create(&fx, "/b", 1, 16);
	sim_mqueue_close(&fx.ns, b, 0);
	CU_ASSERT_FALSE(b->freed);
	CU_ASSERT_EQUAL(sim_mqueue_unlink(&fx.ns, "/b", &ROOT), 0);
	CU_ASSERT_TRUE(b->freed);
	CU_ASSERT_EQUAL(fx.ns.mq_count, 0);
	CU_ASSERT_EQUAL(sim_ipcns_mq_charged(&fx.ns, 0), 0);
	fx_done(&fx);
}

/* ---- mq_send / mq_receive ---- */

static void test_mqueue_messages_leave_highest_priority_first_fifo_within(void)
{
	Fx fx;
	fx_init(&fx);
	SimMqueue *q = create(&fx, "/q", 10, 64);
	SimWaiter *p = task(&fx, 1, 0);
	static const gint64 prio[10] = { 1, 5, 1, 0, 5, 3, 1, 0, 5, 2 };
	static const char *const text[10] = { "m0", "m1", "m2", "m3", "m4",
					      "m5", "m6", "m7", "m8", "m9" };
	for (int i = 0; i < 10; i++)
		CU_ASSERT_EQUAL(send_m(&fx, q, p, mk(&fx, prio[i], text[i], 1)), 0);
	CU_ASSERT_EQUAL(q->curmsgs, 10);
	CU_ASSERT_EQUAL(q->sent, 10);
	static const gint64 want_prio[10] = { 5, 5, 5, 3, 2, 1, 1, 1, 0, 0 };
	static const char *const want_text[10] = { "m1", "m4", "m8", "m5", "m9",
						   "m0", "m2", "m6", "m3", "m7" };
	for (int i = 0; i < 10; i++) {
		SimMsg *m = recv_ok(&fx, q, p);
		if (!m)
			continue;
		CU_ASSERT_EQUAL(m->prio, want_prio[i]);
		CU_ASSERT_STRING_EQUAL(m->text, want_text[i]);
		CU_ASSERT_EQUAL(q->curmsgs, (guint64)(9 - i));
		put(&fx, m);
	}
	CU_ASSERT_EQUAL(q->received, 10);
	fx_done(&fx);
}

static void test_mqueue_send_to_full_queue_nonblocking_is_eagain(void)
{
	Fx fx;
	fx_init(&fx);
	SimMqueue *q = create(&fx, "/q", 2, 64);
	SimWaiter *p = task(&fx, 1, 0);
	CU_ASSERT_EQUAL(send_m(&fx, q, p, mk(&fx, 0, "a", 1)), 0);
	CU_ASSERT_EQUAL(send_m(&fx, q, p, mk(&fx, 0, "b", 1)), 0);
	SimMsg *m = mk(&fx, 9, "c", 1);
	CU_ASSERT_EQUAL(send_x(&fx, q, p, m, TRUE, FALSE), EAGAIN);
	CU_ASSERT_EQUAL(q->curmsgs, 2);
	CU_ASSERT_EQUAL(q->qsize, 2);
	CU_ASSERT_EQUAL(q->senders.len, 0);
	CU_ASSERT_PTR_NULL(p->queue);
	CU_ASSERT_EQUAL(q->sent, 2);
	CU_ASSERT_PTR_NULL(fx.wake.first);
	put(&fx, m); /* still the caller's */
	fx_done(&fx);
}

static void test_mqueue_send_to_full_queue_with_past_deadline_is_etimedout(void)
{
	Fx fx;
	fx_init(&fx);
	SimMqueue *q = create(&fx, "/q", 1, 64);
	SimWaiter *p = task(&fx, 1, 0);
	CU_ASSERT_EQUAL(send_m(&fx, q, p, mk(&fx, 0, "a", 1)), 0);
	SimMsg *m = mk(&fx, 0, "b", 1);
	CU_ASSERT_EQUAL(send_x(&fx, q, p, m, FALSE, TRUE), ETIMEDOUT);
	CU_ASSERT_EQUAL(q->curmsgs, 1);
	CU_ASSERT_EQUAL(q->senders.len, 0);
	CU_ASSERT_PTR_NULL(p->queue);
	put(&fx, m);
	fx_done(&fx);
}

static void test_mqueue_send_to_full_queue_nonblocking_with_past_deadline_is_eagain(void)
{
	Fx fx;
	fx_init(&fx);
	SimMqueue *q = create(&fx, "/q", 1, 64);
	SimWaiter *p = task(&fx, 1, 0);
	CU_ASSERT_EQUAL(send_m(&fx, q, p, mk(&fx, 0, "a", 1)), 0);
	SimMsg *m = mk(&fx, 0, "b", 1);
	CU_ASSERT_EQUAL(send_x(&fx, q, p, m, TRUE, TRUE), EAGAIN);
	CU_ASSERT_EQUAL(q->curmsgs, 1);
	CU_ASSERT_EQUAL(q->senders.len, 0);
	put(&fx, m);
	fx_done(&fx);
}

static void test_mqueue_past_deadline_does_not_matter_when_the_call_can_complete(void)
{
	Fx fx;
	fx_init(&fx);
	SimMqueue *q = create(&fx, "/q", 1, 64);
	SimWaiter *p = task(&fx, 1, 0);
	CU_ASSERT_EQUAL(send_x(&fx, q, p, mk(&fx, 0, "a", 1), FALSE, TRUE), 0);
	CU_ASSERT_EQUAL(q->curmsgs, 1);
	SimMsg *m = NULL;
	CU_ASSERT_EQUAL(recv_x(&fx, q, p, FALSE, TRUE, &m), 0);
	CU_ASSERT_PTR_NOT_NULL_FATAL(m);
	CU_ASSERT_STRING_EQUAL(m->text, "a");
	put(&fx, m);
	fx_done(&fx);
}

static void test_mqueue_receive_from_empty_queue_nonblocking_is_eagain(void)
{
	Fx fx;
	fx_init(&fx);
	SimMqueue *q = create(&fx, "/q", 2, 64);
	SimWaiter *r = task(&fx, 2, 0);
	SimMsg *m = NULL;
	CU_ASSERT_EQUAL(recv_x(&fx, q, r, TRUE, FALSE, &m), EAGAIN);
	CU_ASSERT_PTR_NULL(m);
	CU_ASSERT_EQUAL(recv_x(&fx, q, r, TRUE, TRUE, &m), EAGAIN); /* before ETIMEDOUT */
	CU_ASSERT_PTR_NULL(m);
	CU_ASSERT_EQUAL(q->receivers.len, 0);
	CU_ASSERT_PTR_NULL(r->queue);
	CU_ASSERT_EQUAL(q->received, 0);
	fx_done(&fx);
}

static void test_mqueue_receive_from_empty_queue_with_past_deadline_is_etimedout(void)
{
	Fx fx;
	fx_init(&fx);
	SimMqueue *q = create(&fx, "/q", 2, 64);
	SimWaiter *r = task(&fx, 2, 0);
	SimMsg *m = NULL;
	CU_ASSERT_EQUAL(recv_x(&fx, q, r, FALSE, TRUE, &m), ETIMEDOUT);
	CU_ASSERT_PTR_NULL(m);
	CU_ASSERT_EQUAL(q->receivers.len, 0);
	CU_ASSERT_PTR_NULL(r->queue);
	fx_done(&fx);
}

static void test_mqueue_send_blocks_on_a_full_queue(void)
{
	Fx fx;
	fx_init(&fx);
	SimMqueue *q = create(&fx, "/q", 1, 64);
	SimWaiter *p = task(&fx, 1, 0);
	SimWaiter *s = task(&fx, 2, 0);
	CU_ASSERT_EQUAL(send_m(&fx, q, p, mk(&fx, 0, "a", 1)), 0);
	SimMsg *m = mk(&fx, 4, "b", 2);
	CU_ASSERT_EQUAL(send_m(&fx, q, s, m), SIM_BLOCKED);
	CU_ASSERT_EQUAL(q->senders.len, 1);
	CU_ASSERT_PTR_EQUAL(s->queue, &q->senders);
	CU_ASSERT_PTR_EQUAL(s->msg, m);
	CU_ASSERT_FALSE(s->done);
	CU_ASSERT_EQUAL(q->curmsgs, 1);
	CU_ASSERT_EQUAL(q->sent, 1);
	CU_ASSERT_PTR_NULL(fx.wake.first);
	/* unblock it: a receive moves it in */
	put(&fx, recv_ok(&fx, q, p));
	CU_ASSERT_PTR_EQUAL(fx.wake.first, s);
	put(&fx, recv_ok(&fx, q, p));
	fx_done(&fx);
}

static void test_mqueue_receive_blocks_on_an_empty_queue(void)
{
	Fx fx;
	fx_init(&fx);
	SimMqueue *q = create(&fx, "/q", 2, 64);
	SimWaiter *r = task(&fx, 2, 0);
	SimMsg *m = NULL;
	CU_ASSERT_EQUAL(recv_x(&fx, q, r, FALSE, FALSE, &m), SIM_BLOCKED);
	CU_ASSERT_PTR_NULL(m);
	CU_ASSERT_EQUAL(q->receivers.len, 1);
	CU_ASSERT_PTR_EQUAL(r->queue, &q->receivers);
	CU_ASSERT_FALSE(r->done);
	CU_ASSERT_PTR_NULL(fx.wake.first);
	/* unblock it */
	SimWaiter *p = task(&fx, 1, 0);
	CU_ASSERT_EQUAL(send_m(&fx, q, p, mk(&fx, 0, "x", 1)), 0);
	CU_ASSERT_PTR_EQUAL(fx.wake.first, r);
	put(&fx, r->msg);
	fx_done(&fx);
}

static void test_mqueue_send_hands_off_to_the_waiting_receiver(void)
{
	Fx fx;
	fx_init(&fx);
	SimMqueue *q = create(&fx, "/q", 2, 64);
	SimWaiter *r = task(&fx, 2, 0);
	SimWaiter *p = task(&fx, 1, 0);
	SimMsg *out = NULL;
	CU_ASSERT_EQUAL(recv_x(&fx, q, r, FALSE, FALSE, &out), SIM_BLOCKED);
	SimMsg *m = mk(&fx, 7, "hello", 1);
	CU_ASSERT_EQUAL(send_m(&fx, q, p, m), 0);
	CU_ASSERT_EQUAL(fx.ctx.handed_to, 2);
	CU_ASSERT_EQUAL(fx.ctx.notify_task, -1);
	CU_ASSERT_EQUAL(q->curmsgs, 0);
	CU_ASSERT_EQUAL(q->qsize, 0);
	CU_ASSERT_EQUAL(q->msgs.len, 0);
	CU_ASSERT_EQUAL(q->receivers.len, 0);
	CU_ASSERT_EQUAL(q->sent, 1);
	CU_ASSERT_EQUAL(q->received, 1);
	CU_ASSERT_PTR_EQUAL(fx.wake.first, r);
	CU_ASSERT_EQUAL(wake_count(&fx), 1);
	CU_ASSERT_TRUE(r->done);
	CU_ASSERT_EQUAL(r->result, 0);
	CU_ASSERT_PTR_EQUAL(r->msg, m);
	CU_ASSERT_PTR_NULL(r->queue);
	/* a later receiver does not find it */
	SimWaiter *late = task(&fx, 3, 0);
	CU_ASSERT_EQUAL(recv_x(&fx, q, late, TRUE, FALSE, &out), EAGAIN);
	put(&fx, r->msg);
	/* with no receiver waiting the send is queued and handed_to is -1 */
	CU_ASSERT_EQUAL(send_m(&fx, q, p, mk(&fx, 0, "queued", 1)), 0);
	CU_ASSERT_EQUAL(fx.ctx.handed_to, -1);
	CU_ASSERT_EQUAL(q->curmsgs, 1);
	CU_ASSERT_PTR_NULL(fx.wake.first);
	fx_done(&fx);
}

static void test_mqueue_receivers_are_served_by_nice_then_arrival(void)
{
	Fx fx;
	fx_init(&fx);
	SimMqueue *q = create(&fx, "/q", 10, 64);
	static const gint64 nice[6] = { 0, 0, 5, -5, 0, -5 }; /* R1..R5 are tasks 1..5 */
	SimMsg *out = NULL;
	for (int i = 1; i <= 5; i++)
		CU_ASSERT_EQUAL(recv_x(&fx, q, task(&fx, i, nice[i]), FALSE, FALSE, &out),
				SIM_BLOCKED);
	CU_ASSERT_EQUAL(q->receivers.len, 5);
	SimWaiter *p = task(&fx, 9, 0);
	static const char *const text[5] = { "A", "B", "C", "D", "E" };
	static const int want[5] = { 3, 5, 1, 4, 2 };
	SimMsg *sent[5];
	for (int i = 0; i < 5; i++) {
		sent[i] = mk(&fx, 0, text[i], 9);
		CU_ASSERT_EQUAL(send_m(&fx, q, p, sent[i]), 0);
		CU_ASSERT_EQUAL(fx.ctx.handed_to, want[i]);
		CU_ASSERT_PTR_EQUAL(fx.wake.first, &fx.t[want[i]]);
		CU_ASSERT_EQUAL(wake_count(&fx), 1);
		CU_ASSERT_EQUAL(q->curmsgs, 0);
	}
	for (int i = 0; i < 5; i++) {
		SimWaiter *r = &fx.t[want[i]];
		CU_ASSERT_TRUE(r->done);
		CU_ASSERT_EQUAL(r->result, 0);
		CU_ASSERT_PTR_EQUAL(r->msg, sent[i]);
	}
	for (int i = 0; i < 5; i++)
		put(&fx, sent[i]);
	fx_done(&fx);
}

static void test_mqueue_receive_from_full_queue_moves_the_first_sender_in(void)
{
	Fx fx;
	fx_init(&fx);
	SimMqueue *q = create(&fx, "/q", 2, 64);
	SimWaiter *p = task(&fx, 1, 0);
	CU_ASSERT_EQUAL(send_m(&fx, q, p, mk(&fx, 3, "F1", 1)), 0);
	CU_ASSERT_EQUAL(send_m(&fx, q, p, mk(&fx, 3, "F2", 1)), 0);
	SimWaiter *s1 = task(&fx, 2, 0);
	SimWaiter *s2 = task(&fx, 3, 0);
	SimMsg *m1 = mk(&fx, 8, "S1", 2);
	SimMsg *m2 = mk(&fx, 8, "S2", 3);
	CU_ASSERT_EQUAL(send_m(&fx, q, s1, m1), SIM_BLOCKED);
	CU_ASSERT_EQUAL(send_m(&fx, q, s2, m2), SIM_BLOCKED);
	SimWaiter *r = task(&fx, 4, 0);
	SimMsg *m = recv_ok(&fx, q, r);
	CU_ASSERT_STRING_EQUAL(m->text, "F1");
	put(&fx, m);
	CU_ASSERT_EQUAL(q->curmsgs, 2);	       /* S1 took the slot at once */
	CU_ASSERT_PTR_EQUAL(q->msgs.head, m1); /* prio 8 goes first */
	CU_ASSERT_EQUAL(q->senders.len, 1);
	CU_ASSERT_PTR_EQUAL(fx.wake.first, s1);
	CU_ASSERT_EQUAL(wake_count(&fx), 1);
	CU_ASSERT_TRUE(s1->done);
	CU_ASSERT_EQUAL(s1->result, 0);
	CU_ASSERT_PTR_NULL(s1->queue);
	CU_ASSERT_FALSE(s2->done);
	CU_ASSERT_EQUAL(q->sent, 3);
	/* no barging: a newcomer finds the queue full again */
	SimMsg *nb = mk(&fx, 0, "new", 5);
	CU_ASSERT_EQUAL(send_x(&fx, q, task(&fx, 5, -20), nb, TRUE, FALSE), EAGAIN);
	put(&fx, nb);
	m = recv_ok(&fx, q, r);
	CU_ASSERT_PTR_EQUAL(m, m1);
	put(&fx, m);
	CU_ASSERT_PTR_EQUAL(fx.wake.first, s2);
	CU_ASSERT_EQUAL(q->curmsgs, 2);
	CU_ASSERT_EQUAL(q->senders.len, 0);
	fx_done(&fx);
}

static void test_mqueue_senders_served_by_nice_then_arrival_message_prio_decides_exit(void)
{
	Fx fx;
	fx_init(&fx);
	SimMqueue *q = create(&fx, "/q", 2, 64);
	SimWaiter *p = task(&fx, 9, 0);
	CU_ASSERT_EQUAL(send_m(&fx, q, p, mk(&fx, 3, "F1", 9)), 0);
	CU_ASSERT_EQUAL(send_m(&fx, q, p, mk(&fx, 3, "F2", 9)), 0);
	/* S1..S4 are tasks 1..4: (nice, message prio) */
	static const gint64 nice[5] = { 0, 0, 0, -5, 0 };
	static const gint64 prio[5] = { 0, 1, 9, 0, 5 };
	static const char *const text[5] = { "", "S1", "S2", "S3", "S4" };
	for (int i = 1; i <= 4; i++)
		CU_ASSERT_EQUAL(send_m(&fx, q, task(&fx, i, nice[i]), mk(&fx, prio[i], text[i], i)),
				SIM_BLOCKED);
	CU_ASSERT_EQUAL(q->senders.len, 4);
	SimWaiter *r = task(&fx, 8, 0);
	static const char *const want[6] = { "F1", "F2", "S1", "S2", "S4", "S3" };
	static const int woken[6] = { 3, 1, 2, 4, -1, -1 };
	for (int i = 0; i < 6; i++) {
		SimMsg *m = recv_ok(&fx, q, r);
		if (m) {
			CU_ASSERT_STRING_EQUAL(m->text, want[i]);
			put(&fx, m);
		}
		if (woken[i] >= 0) {
			CU_ASSERT_PTR_EQUAL(fx.wake.first, &fx.t[woken[i]]);
			CU_ASSERT_EQUAL(wake_count(&fx), 1);
			CU_ASSERT_EQUAL(fx.t[woken[i]].result, 0);
			CU_ASSERT_EQUAL(q->curmsgs, 2);
		} else {
			CU_ASSERT_PTR_NULL(fx.wake.first);
		}
	}
	CU_ASSERT_EQUAL(q->curmsgs, 0);
	CU_ASSERT_EQUAL(q->sent, 6);
	CU_ASSERT_EQUAL(q->received, 6);
	fx_done(&fx);
}

static void test_mqueue_qsize_counts_message_sizes(void)
{
	Fx fx;
	fx_init(&fx);
	SimMqueue *q = create(&fx, "/q", 3, 64);
	SimWaiter *p = task(&fx, 1, 0);
	CU_ASSERT_EQUAL(send_m(&fx, q, p, mk_sized(&fx, 1, "five!", 5, 1)), 0);
	CU_ASSERT_EQUAL(send_m(&fx, q, p, mk_sized(&fx, 2, "", 0, 1)), 0);
	CU_ASSERT_EQUAL(send_m(&fx, q, p, mk_sized(&fx, 0, "seventeen bytes..", 17, 1)), 0);
	CU_ASSERT_EQUAL(q->qsize, 22);
	CU_ASSERT_EQUAL(q->curmsgs, 3);
	/* a blocked sender's message is not counted until it moves in */
	SimWaiter *s = task(&fx, 2, 0);
	CU_ASSERT_EQUAL(send_m(&fx, q, s, mk_sized(&fx, 0, "seven..", 7, 2)), SIM_BLOCKED);
	CU_ASSERT_EQUAL(q->qsize, 22);
	SimMsg *m = recv_ok(&fx, q, p); /* the prio 2, 0-byte message; the 7 bytes move in */
	CU_ASSERT_EQUAL(m->size, 0);
	put(&fx, m);
	CU_ASSERT_EQUAL(q->qsize, 29);
	m = recv_ok(&fx, q, p);
	CU_ASSERT_EQUAL(m->size, 5);
	put(&fx, m);
	CU_ASSERT_EQUAL(q->qsize, 24);
	put(&fx, recv_ok(&fx, q, p));
	CU_ASSERT_EQUAL(q->qsize, 7);
	put(&fx, recv_ok(&fx, q, p));
	CU_ASSERT_EQUAL(q->qsize, 0);
	CU_ASSERT_EQUAL(q->curmsgs, 0);
	fx_done(&fx);
}

/* ---- mq_notify ---- */

static void test_mqueue_notify_second_registration_is_ebusy(void)
{
	Fx fx;
	fx_init(&fx);
	SimMqueue *q = create(&fx, "/q", 2, 64);
	CU_ASSERT_EQUAL(notify(q, 3, SIM_NOTIFY_SIGNAL, 10), 0);
	CU_ASSERT_EQUAL(q->notify_task, 3);
	CU_ASSERT_EQUAL(notify(q, 3, SIM_NOTIFY_SIGNAL, 12), EBUSY); /* the same task */
	CU_ASSERT_EQUAL(notify(q, 4, SIM_NOTIFY_SIGNAL, 12), EBUSY); /* another task */
	CU_ASSERT_EQUAL(notify(q, 4, SIM_NOTIFY_NONE, 0), EBUSY);
	CU_ASSERT_EQUAL(q->notify_task, 3);
	CU_ASSERT_EQUAL(q->notify_kind, SIM_NOTIFY_SIGNAL);
	CU_ASSERT_EQUAL(q->notify_sig, 10);
	/* a SIGEV_NONE registration blocks others too */
	SimMqueue *q2 = create(&fx, "/q2", 2, 64);
	CU_ASSERT_EQUAL(notify(q2, 5, SIM_NOTIFY_NONE, 0), 0);
	CU_ASSERT_EQUAL(notify(q2, 6, SIM_NOTIFY_SIGNAL, 10), EBUSY);
	CU_ASSERT_EQUAL(q2->notify_task, 5);
	fx_done(&fx);
}

static void test_mqueue_notify_fires_when_a_message_enters_an_empty_queue(void)
{
	Fx fx;
	fx_init(&fx);
	SimMqueue *q = create(&fx, "/q", 2, 64);
	CU_ASSERT_EQUAL(notify(q, 3, SIM_NOTIFY_SIGNAL, 10), 0);
	SimWaiter *p = task(&fx, 1, 0);
	CU_ASSERT_EQUAL(send_m(&fx, q, p, mk(&fx, 0, "a", 1)), 0);
	CU_ASSERT_EQUAL(fx.ctx.notify_task, 3);
	CU_ASSERT_EQUAL(fx.ctx.notify_sig, 10);
	CU_ASSERT_EQUAL(q->notify_task, -1);
	CU_ASSERT_EQUAL(q->curmsgs, 1);
	fx_done(&fx);
}

static void test_mqueue_notify_does_not_fire_on_a_send_to_a_non_empty_queue(void)
{
	Fx fx;
	fx_init(&fx);
	SimMqueue *q = create(&fx, "/q", 3, 64);
	SimWaiter *p = task(&fx, 1, 0);
	CU_ASSERT_EQUAL(send_m(&fx, q, p, mk(&fx, 0, "a", 1)), 0);
	CU_ASSERT_EQUAL(notify(q, 3, SIM_NOTIFY_SIGNAL, 10), 0);
	CU_ASSERT_EQUAL(send_m(&fx, q, p, mk(&fx, 9, "b", 1)), 0); /* even if it goes first */
	CU_ASSERT_EQUAL(fx.ctx.notify_task, -1);
	CU_ASSERT_EQUAL(q->notify_task, 3);
	/* empty it, then the next send fires */
	put(&fx, recv_ok(&fx, q, p));
	CU_ASSERT_EQUAL(fx.ctx.notify_task, -1);
	put(&fx, recv_ok(&fx, q, p));
	CU_ASSERT_EQUAL(q->notify_task, 3);
	CU_ASSERT_EQUAL(send_m(&fx, q, p, mk(&fx, 0, "c", 1)), 0);
	CU_ASSERT_EQUAL(fx.ctx.notify_task, 3);
	CU_ASSERT_EQUAL(fx.ctx.notify_sig, 10);
	fx_done(&fx);
}

static void test_mqueue_notify_does_not_fire_on_a_hand_off(void)
{
	Fx fx;
	fx_init(&fx);
	SimMqueue *q = create(&fx, "/q", 2, 64);
	CU_ASSERT_EQUAL(notify(q, 3, SIM_NOTIFY_SIGNAL, 10), 0);
	SimWaiter *r = task(&fx, 2, 0);
	SimMsg *out = NULL;
	CU_ASSERT_EQUAL(recv_x(&fx, q, r, FALSE, FALSE, &out), SIM_BLOCKED);
	SimWaiter *p = task(&fx, 1, 0);
	CU_ASSERT_EQUAL(send_m(&fx, q, p, mk(&fx, 0, "a", 1)), 0);
	CU_ASSERT_EQUAL(fx.ctx.handed_to, 2);
	CU_ASSERT_EQUAL(fx.ctx.notify_task, -1);
	CU_ASSERT_EQUAL(q->notify_task, 3); /* still registered */
	put(&fx, r->msg);
	/* the next send into the empty queue (nobody waiting) fires it */
	CU_ASSERT_EQUAL(send_m(&fx, q, p, mk(&fx, 0, "b", 1)), 0);
	CU_ASSERT_EQUAL(fx.ctx.notify_task, 3);
	fx_done(&fx);
}

static void test_mqueue_notify_does_not_fire_when_a_receive_moves_a_sender_in(void)
{
	/* pipelined_receive inserts without __do_notify, even into a queue that the receive
	 * just emptied (maxmsg 1) */
	Fx fx;
	fx_init(&fx);
	SimMqueue *q = create(&fx, "/q", 1, 64);
	SimWaiter *p = task(&fx, 1, 0);
	SimWaiter *s = task(&fx, 2, 0);
	CU_ASSERT_EQUAL(send_m(&fx, q, p, mk(&fx, 0, "a", 1)), 0);
	CU_ASSERT_EQUAL(send_m(&fx, q, s, mk(&fx, 0, "b", 2)), SIM_BLOCKED);
	CU_ASSERT_EQUAL(notify(q, 3, SIM_NOTIFY_SIGNAL, 10), 0);
	put(&fx, recv_ok(&fx, q, p));
	CU_ASSERT_PTR_EQUAL(fx.wake.first, s);
	CU_ASSERT_EQUAL(q->curmsgs, 1);
	CU_ASSERT_EQUAL(fx.ctx.notify_task, -1);
	CU_ASSERT_EQUAL(q->notify_task, 3);
	fx_done(&fx);
}

static void test_mqueue_notify_is_one_shot(void)
{
	Fx fx;
	fx_init(&fx);
	SimMqueue *q = create(&fx, "/q", 2, 64);
	SimWaiter *p = task(&fx, 1, 0);
	CU_ASSERT_EQUAL(notify(q, 3, SIM_NOTIFY_SIGNAL, 10), 0);
	CU_ASSERT_EQUAL(send_m(&fx, q, p, mk(&fx, 0, "a", 1)), 0);
	CU_ASSERT_EQUAL(fx.ctx.notify_task, 3);
	put(&fx, recv_ok(&fx, q, p));
	CU_ASSERT_EQUAL(send_m(&fx, q, p, mk(&fx, 0, "b", 1)), 0);
	CU_ASSERT_EQUAL(fx.ctx.notify_task, -1);
	CU_ASSERT_EQUAL(q->notify_task, -1);
	/* it may register again, and then it fires again */
	put(&fx, recv_ok(&fx, q, p));
	CU_ASSERT_EQUAL(notify(q, 4, SIM_NOTIFY_SIGNAL, 12), 0);
	CU_ASSERT_EQUAL(send_m(&fx, q, p, mk(&fx, 0, "c", 1)), 0);
	CU_ASSERT_EQUAL(fx.ctx.notify_task, 4);
	CU_ASSERT_EQUAL(fx.ctx.notify_sig, 12);
	fx_done(&fx);
}

static void test_mqueue_notify_sigev_none_fires_with_signal_0_and_is_one_shot(void)
{
	Fx fx;
	fx_init(&fx);
	SimMqueue *q = create(&fx, "/q", 2, 64);
	SimWaiter *p = task(&fx, 1, 0);
	CU_ASSERT_EQUAL(notify(q, 3, SIM_NOTIFY_NONE, 10), 0);
	CU_ASSERT_EQUAL(q->notify_task, 3);
	CU_ASSERT_EQUAL(q->notify_kind, SIM_NOTIFY_NONE);
	CU_ASSERT_EQUAL(send_m(&fx, q, p, mk(&fx, 0, "a", 1)), 0);
	CU_ASSERT_EQUAL(fx.ctx.notify_task, 3);
	CU_ASSERT_EQUAL(fx.ctx.notify_sig, 0);
	CU_ASSERT_EQUAL(q->notify_task, -1);
	put(&fx, recv_ok(&fx, q, p));
	CU_ASSERT_EQUAL(send_m(&fx, q, p, mk(&fx, 0, "b", 1)), 0);
	CU_ASSERT_EQUAL(fx.ctx.notify_task, -1);
	CU_ASSERT_EQUAL(notify(q, 4, SIM_NOTIFY_SIGNAL, 10), 0); /* the slot is free */
	fx_done(&fx);
}

static void test_mqueue_notify_off_by_a_non_owner_returns_0_and_keeps_it(void)
{
	Fx fx;
	fx_init(&fx);
	SimMqueue *q = create(&fx, "/q", 2, 64);
	CU_ASSERT_EQUAL(notify(q, 3, SIM_NOTIFY_SIGNAL, 10), 0);
	CU_ASSERT_EQUAL(notify(q, 4, SIM_NOTIFY_OFF, 0), 0);
	CU_ASSERT_EQUAL(q->notify_task, 3);
	CU_ASSERT_EQUAL(notify(q, 4, SIM_NOTIFY_SIGNAL, 12), EBUSY);
	SimWaiter *p = task(&fx, 1, 0);
	CU_ASSERT_EQUAL(send_m(&fx, q, p, mk(&fx, 0, "a", 1)), 0);
	CU_ASSERT_EQUAL(fx.ctx.notify_task, 3);
	CU_ASSERT_EQUAL(fx.ctx.notify_sig, 10);
	/* OFF with nobody registered is 0 too */
	CU_ASSERT_EQUAL(notify(q, 4, SIM_NOTIFY_OFF, 0), 0);
	CU_ASSERT_EQUAL(q->notify_task, -1);
	fx_done(&fx);
}

static void test_mqueue_notify_off_by_the_owner_removes_it(void)
{
	Fx fx;
	fx_init(&fx);
	SimMqueue *q = create(&fx, "/q", 2, 64);
	CU_ASSERT_EQUAL(notify(q, 3, SIM_NOTIFY_SIGNAL, 10), 0);
	CU_ASSERT_EQUAL(notify(q, 3, SIM_NOTIFY_OFF, 0), 0);
	CU_ASSERT_EQUAL(q->notify_task, -1);
	SimWaiter *p = task(&fx, 1, 0);
	CU_ASSERT_EQUAL(send_m(&fx, q, p, mk(&fx, 0, "a", 1)), 0);
	CU_ASSERT_EQUAL(fx.ctx.notify_task, -1);
	CU_ASSERT_EQUAL(notify(q, 4, SIM_NOTIFY_SIGNAL, 12), 0);
	fx_done(&fx);
}

static void test_mqueue_close_by_the_owner_removes_the_registration_not_by_another(void)
{
	Fx fx;
	fx_init(&fx);
	SimMqueue *q = create(&fx, "/q", 2, 64); /* refs 1 */
	SimMqueue *o;
	CU_ASSERT_EQUAL(open_q(&fx, "/q", SIM_O_RDWR, -1, -1, &ROOT, &o), 0); /* task 3's */
	CU_ASSERT_EQUAL(open_q(&fx, "/q", SIM_O_RDWR, -1, -1, &ROOT, &o), 0); /* task 3's */
	CU_ASSERT_EQUAL(open_q(&fx, "/q", SIM_O_RDWR, -1, -1, &ROOT, &o), 0); /* task 4's */
	CU_ASSERT_EQUAL(q->refs, 4);
	CU_ASSERT_EQUAL(notify(q, 3, SIM_NOTIFY_SIGNAL, 10), 0);
	sim_mqueue_close(&fx.ns, q, 4);
	CU_ASSERT_TRUE(sim_mqueue_check(q));
	CU_ASSERT_EQUAL(q->refs, 3);
	CU_ASSERT_EQUAL(q->notify_task, 3);
	/* any descriptor of the owner, not only the one it registered with */
	sim_mqueue_close(&fx.ns, q, 3);
	CU_ASSERT_TRUE(sim_mqueue_check(q));
	CU_ASSERT_EQUAL(q->refs, 2);
	CU_ASSERT_EQUAL(q->notify_task, -1);
	SimWaiter *p = task(&fx, 1, 0);
	CU_ASSERT_EQUAL(send_m(&fx, q, p, mk(&fx, 0, "a", 1)), 0);
	CU_ASSERT_EQUAL(fx.ctx.notify_task, -1);
	fx_done(&fx);
}

extern CU_TestInfo mqueue_tests[];
CU_TestInfo mqueue_tests[] = {
	{ "check_name without leading slash is EINVAL",
	  test_mqueue_check_name_without_leading_slash_is_einval },
	{ "check_name \"/\" is ENOENT and \"/ok\" is 0",
	  test_mqueue_check_name_slash_alone_is_enoent_and_slash_ok_is_0 },
	{ "open name with a further slash is EACCES",
	  test_mqueue_open_name_with_a_further_slash_is_eacces },
	{ "open \"/.\" and \"/..\" are EACCES", test_mqueue_open_dot_and_dotdot_are_eacces },
	{ "open 256-char component is ENAMETOOLONG, 255 ok",
	  test_mqueue_open_256_char_component_is_enametoolong_255_ok },
	{ "open missing without O_CREAT is ENOENT",
	  test_mqueue_open_missing_without_o_creat_is_enoent },
	{ "create without attr gets 10 x 8192", test_mqueue_create_without_attr_gets_10_x_8192 },
	{ "create without attr uses msg_default, not msg_max",
	  test_mqueue_create_without_attr_uses_msg_default_not_msg_max },
	{ "create with attr uses it", test_mqueue_create_with_attr_uses_it },
	{ "create with attr 0 or negative is EINVAL",
	  test_mqueue_create_with_attr_0_or_negative_is_einval },
	{ "maxmsg 11 needs CAP_SYS_RESOURCE, up to 65536",
	  test_mqueue_maxmsg_11_needs_cap_sys_resource_up_to_65536 },
	{ "msgsize 8193 needs CAP_SYS_RESOURCE, up to 16 MiB",
	  test_mqueue_msgsize_8193_needs_cap_sys_resource_up_to_16_mib },
	{ "queues_max reached is ENOSPC unless CAP_SYS_RESOURCE",
	  test_mqueue_queues_max_reached_is_enospc_unless_cap_sys_resource },
	{ "ENOSPC is checked before a bad attr", test_mqueue_enospc_is_checked_before_a_bad_attr },
	{ "rlimit: nine 10x8192 queues fit, the tenth is EMFILE",
	  test_mqueue_rlimit_nine_10x8192_queues_fit_the_tenth_is_emfile },
	{ "rlimit: 100 queues of 1x8096 fit exactly, of 1x8097 only 99",
	  test_mqueue_rlimit_100_queues_of_1x8096_fit_exactly_1x8097_only_99 },
	{ "rlimit charge is per uid", test_mqueue_rlimit_charge_is_per_uid },
	{ "rlimit is not bypassed by CAP_SYS_RESOURCE",
	  test_mqueue_rlimit_is_not_bypassed_by_cap_sys_resource },
	{ "existing O_CREAT|O_EXCL is EEXIST", test_mqueue_existing_creat_excl_is_eexist },
	{ "EEXIST wins over bad attr, access mode 3 and EACCES",
	  test_mqueue_eexist_wins_over_bad_attr_accmode_3_and_eacces },
	{ "existing with access mode 3 is EINVAL", test_mqueue_existing_access_mode_3_is_einval },
	{ "existing without permission is EACCES, CAP_IPC_OWNER passes",
	  test_mqueue_existing_without_permission_is_eacces_cap_ipc_owner_passes },
	{ "existing ignores attr, even an invalid one",
	  test_mqueue_existing_ignores_attr_even_an_invalid_one },
	{ "O_CREAT with access mode 3 on a missing queue succeeds",
	  test_mqueue_creat_with_access_mode_3_on_a_missing_queue_succeeds },
	{ "unlink missing is ENOENT", test_mqueue_unlink_missing_is_enoent },
	{ "unlink applies the name rules", test_mqueue_unlink_applies_the_name_rules },
	{ "unlink removes the name but the queue keeps working",
	  test_mqueue_unlink_removes_the_name_but_the_queue_keeps_working },
	{ "create after unlink is a different queue",
	  test_mqueue_create_after_unlink_is_a_different_queue },
	{ "charges are released at the last close of an unlinked queue",
	  test_mqueue_charges_are_released_at_the_last_close_of_an_unlinked_queue },
	{ "queues_max slot is released at the last close",
	  test_mqueue_queues_max_slot_is_released_at_the_last_close },
	{ "unlink by a non-owner user is EACCES",
	  test_mqueue_unlink_by_a_non_owner_user_is_eacces },
	{ "unlinked queue is freed when refs reach 0",
	  test_mqueue_unlinked_queue_is_freed_when_refs_reach_0 },
	{ "messages leave highest priority first, FIFO within",
	  test_mqueue_messages_leave_highest_priority_first_fifo_within },
	{ "send to full queue nonblocking is EAGAIN",
	  test_mqueue_send_to_full_queue_nonblocking_is_eagain },
	{ "send to full queue with past deadline is ETIMEDOUT",
	  test_mqueue_send_to_full_queue_with_past_deadline_is_etimedout },
	{ "send to full queue nonblocking with past deadline is EAGAIN",
	  test_mqueue_send_to_full_queue_nonblocking_with_past_deadline_is_eagain },
	{ "past deadline does not matter when the call can complete",
	  test_mqueue_past_deadline_does_not_matter_when_the_call_can_complete },
	{ "receive from empty queue nonblocking is EAGAIN",
	  test_mqueue_receive_from_empty_queue_nonblocking_is_eagain },
	{ "receive from empty queue with past deadline is ETIMEDOUT",
	  test_mqueue_receive_from_empty_queue_with_past_deadline_is_etimedout },
	{ "send blocks on a full queue", test_mqueue_send_blocks_on_a_full_queue },
	{ "receive blocks on an empty queue", test_mqueue_receive_blocks_on_an_empty_queue },
	{ "send hands off to the waiting receiver",
	  test_mqueue_send_hands_off_to_the_waiting_receiver },
	{ "receivers are served by nice then arrival",
	  test_mqueue_receivers_are_served_by_nice_then_arrival },
	{ "receive from full queue moves the first sender in",
	  test_mqueue_receive_from_full_queue_moves_the_first_sender_in },
	{ "senders served by nice then arrival, message prio decides exit",
	  test_mqueue_senders_served_by_nice_then_arrival_message_prio_decides_exit },
	{ "qsize counts message sizes", test_mqueue_qsize_counts_message_sizes },
	{ "notify second registration is EBUSY", test_mqueue_notify_second_registration_is_ebusy },
	{ "notify fires when a message enters an empty queue",
	  test_mqueue_notify_fires_when_a_message_enters_an_empty_queue },
	{ "notify does not fire on a send to a non-empty queue",
	  test_mqueue_notify_does_not_fire_on_a_send_to_a_non_empty_queue },
	{ "notify does not fire on a hand-off", test_mqueue_notify_does_not_fire_on_a_hand_off },
	{ "notify does not fire when a receive moves a sender in",
	  test_mqueue_notify_does_not_fire_when_a_receive_moves_a_sender_in },
	{ "notify is one-shot", test_mqueue_notify_is_one_shot },
	{ "notify SIGEV_NONE fires with signal 0 and is one-shot",
	  test_mqueue_notify_sigev_none_fires_with_signal_0_and_is_one_shot },
	{ "notify OFF by a non-owner returns 0 and keeps it",
	  test_mqueue_notify_off_by_a_non_owner_returns_0_and_keeps_it },
	{ "notify OFF by the owner removes it", test_mqueue_notify_off_by_the_owner_removes_it },
	{ "close by the owner removes the registration, not by another",
	  test_mqueue_close_by_the_owner_removes_the_registration_not_by_another },
	CU_TEST_INFO_NULL,
};
