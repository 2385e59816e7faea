/* test_msgq.c — System V message queues (msgq.h; ../shared/semantics.md §1.3-1.7).
 *
 * msgget: IPC_PRIVATE always creates; a key is looked up first (ENOENT without IPC_CREAT,
 * EEXIST for IPC_CREAT|IPC_EXCL before any permission check, EACCES for missing bits,
 * IPC_EXCL alone ignored); a new queue takes mode & 0777, the creator as owner and msgmnb
 * as qbytes; msgmni gives ENOSPC; IPC_RMID frees key and id at once.
 * msgsnd: the fit test counts bytes and messages against qbytes; IPC_NOWAIT gives EAGAIN,
 * otherwise the sender blocks at the tail; write permission is needed (and re-checked
 * after a wake-up); a message is handed to the first matching blocked receiver (pipelined
 * send) without being queued, failing smaller matching receivers ahead of the winner with
 * E2BIG, and nobody can steal it afterwards.
 * msgrcv: type 0, > 0, MSG_EXCEPT and < 0 selection; E2BIG leaves the message in place and
 * does not look further; MSG_NOERROR takes it; ENOMSG with IPC_NOWAIT; blocking at the tail;
 * the typed-receiver example of §1.7.
 * Sender scan: every sender that fits on its own is woken and stays listed, the others go
 * to the tail; the woken ones race and the losers re-block at the tail; a hand-off does not
 * scan. IPC_SET wakes every receiver (they stay listed and may still be handed a message)
 * and runs the scan; IPC_RMID fails everyone with EIDRM; a signal gives EINTR unless a
 * message or an error was posted first.
 *
 * Every test runs the operations the way the world does: one SimWaiter per task, a wake
 * list per operation, and a woken task "runs" by calling again with resuming = TRUE. After
 * every operation sim_msgq_check must hold, and at the end no message may be lost or leaked.
 */
#include <string.h>

#include "msgsim/base.h"
#include "msgsim/kernel/ipcns.h"
#include "msgsim/kernel/msg.h"
#include "msgsim/kernel/msgq.h"
#include "msgsim/engine/waitq.h"
#include "tests.h"

enum { NW = 10, SENDER = 9 };

typedef struct Fx {
	SimScenario scn;
	SimIpcNs ns;
	GPtrArray *all; /* every queue created, removed ones too */
	SimMsgPool pool;
	SimWakeList wake;
	SimCred root, user;
	SimMsgqCtx ctx;
	SimWaiter w[NW]; /* w[i] is task i's waiter */
} Fx;

static void fx_init_limits(Fx *fx, gint64 msgmnb, gint64 msgmni)
{
	memset(fx, 0, sizeof(*fx));
	fx->scn.limits.msgmax = 8192;
	fx->scn.limits.msgmnb = msgmnb;
	fx->scn.limits.msgmni = msgmni;
	sim_ipcns_init(&fx->ns, &fx->scn.limits);
	fx->all = g_ptr_array_new();
	sim_msg_pool_init(&fx->pool);
	fx->root = (SimCred){ .uid = 0, .gid = 0, .caps = SIM_CAP_IPC_OWNER | SIM_CAP_SYS_ADMIN };
	fx->user = (SimCred){ .uid = 1000, .gid = 1000, .caps = 0 };
	fx->ctx = (SimMsgqCtx){
		.wake = &fx->wake,
		.pool = &fx->pool,
		.now = 0,
		.task = 0,
		.cred = &fx->root,
		.ns = &fx->ns,
	};
	for (int i = 0; i < NW; i++) {
		fx->w[i].task = i;
		fx->w[i].from = -1;
	}
}

static void fx_init(Fx *fx)
{
	fx_init_limits(fx, 16384, 32000);
}

/* Frees every queue (returning its messages), then checks that every message came back. */
static void fx_done(Fx *fx)
{
	for (guint i = 0; i < fx->all->len; i++)
		sim_msgq_free(g_ptr_array_index(fx->all, i), &fx->pool);
	CU_ASSERT_EQUAL(fx->pool.live, 0);
	fx->pool.live = 0; /* a failure above is reported; do not abort the whole run */
	sim_msg_pool_clear(&fx->pool);
	sim_ipcns_clear(&fx->ns);
	g_ptr_array_unref(fx->all);
}

/* A fresh private queue made by root with this mode. */
static SimMsgq *fx_queue(Fx *fx, guint mode)
{
	int id = -1;
	int err =
		sim_msgq_get(&fx->ns, fx->all, 0, SIM_IPC_CREAT, mode, &fx->root, fx->ctx.now, &id);
	CU_ASSERT_EQUAL_FATAL(err, 0);
	SimMsgq *q = sim_msgq_lookup(&fx->ns, id);
	CU_ASSERT_PTR_NOT_NULL_FATAL(q);
	return q;
}

static SimMsg *mk(Fx *fx, gint64 type, gsize size)
{
	SimMsg *m = sim_msg_pool_get(&fx->pool);
	m->type = type;
	m->size = size;
	m->text = "hello";
	m->len = (guint32)MIN(size, (gsize)5);
	m->from = SENDER;
	return m;
}

/* ---- Operations, each on a fresh wake list and followed by sim_msgq_check ---- */

static void check_at(const SimMsgq *q, unsigned line)
{
	CU_assertImplementation(sim_msgq_check(q) ? CU_TRUE : CU_FALSE, line,
				"sim_msgq_check(q) after the operation", __FILE__, "", CU_FALSE);
}

static void begin(Fx *fx, int task)
{
	fx->wake.first = fx->wake.last = NULL;
	fx->ctx.n_woken_senders = 0;
	fx->ctx.task = task;
}

/* A task blocked on a queue can only resume: calling afresh would queue it twice. */
static void not_queued_at(const SimWaiter *w, gboolean resuming, unsigned line)
{
	CU_assertImplementation(
		resuming || w->queue == NULL ? CU_TRUE : CU_FALSE, line,
		"a new call by a task that is still queued (an earlier step failed)", __FILE__, "",
		CU_TRUE);
}

static int send_at(Fx *fx, SimMsgq *q, int task, SimMsg *m, guint flags, gboolean resuming,
		   int *handed, unsigned line)
{
	int h = -7;
	not_queued_at(&fx->w[task], resuming, line);
	begin(fx, task);
	if (task != SENDER)
		m->from = task;
	int err = sim_msgq_send(q, &fx->ctx, &fx->w[task], m, flags, resuming, &h);
	fx->ctx.signal_pending = FALSE;
	check_at(q, line);
	if (handed)
		*handed = h;
	return err;
}

static int recv_at(Fx *fx, SimMsgq *q, int task, gint64 msgtyp, guint flags, gint64 maxsize,
		   gboolean resuming, SimMsg **out, unsigned line)
{
	static SimMsg unset; /* *out must always be written */
	SimMsgqFilter f = { .msgtyp = msgtyp, .flags = flags, .maxsize = maxsize };
	SimMsg *m = &unset;
	not_queued_at(&fx->w[task], resuming, line);
	begin(fx, task);
	int err = sim_msgq_receive(q, &fx->ctx, &fx->w[task], &f, resuming, &m);
	fx->ctx.signal_pending = FALSE;
	check_at(q, line);
	CU_assertImplementation(m != &unset ? CU_TRUE : CU_FALSE, line, "*out is written", __FILE__,
				"", CU_FALSE);
	CU_assertImplementation(err == 0 || m == NULL ? CU_TRUE : CU_FALSE, line,
				"*out is NULL unless the receive returned 0", __FILE__, "",
				CU_FALSE);
	if (m == &unset || err != 0)
		m = NULL;
	if (out)
		*out = m;
	else
		sim_msg_pool_put(&fx->pool, m);
	return err;
}

/* msgsnd by `task` (m->from = task) or by the anonymous SENDER. */
#define SEND(fx, q, task, m, flags) send_at(fx, q, task, m, flags, FALSE, NULL, __LINE__)
#define SEND_H(fx, q, task, m, flags, h) send_at(fx, q, task, m, flags, FALSE, h, __LINE__)
#define RESUME_SEND(fx, q, task, m) send_at(fx, q, task, m, 0, TRUE, NULL, __LINE__)
/* msgrcv by `task`; out may be NULL to return the message to the pool at once. */
#define RECV(fx, q, task, typ, flags, max, out) \
	recv_at(fx, q, task, typ, flags, max, FALSE, out, __LINE__)
#define RESUME_RECV(fx, q, task, typ, flags, max, out) \
	recv_at(fx, q, task, typ, flags, max, TRUE, out, __LINE__)

static void set_at(Fx *fx, SimMsgq *q, guint64 qbytes, gint64 uid, gint64 gid, gint64 mode,
		   unsigned line)
{
	begin(fx, 0);
	sim_msgq_set(q, &fx->ctx, qbytes, uid, gid, mode);
	check_at(q, line);
}
#define SET_QBYTES(fx, q, qbytes) set_at(fx, q, qbytes, -1, -1, -1, __LINE__)

static guint rmid_at(Fx *fx, SimMsgq *q, unsigned line)
{
	begin(fx, 0);
	guint n = sim_msgq_remove(q, &fx->ctx);
	check_at(q, line);
	return n;
}
#define RMID(fx, q) rmid_at(fx, q, __LINE__)

static void interrupt_at(Fx *fx, SimMsgq *q, int task, unsigned line)
{
	begin(fx, task);
	sim_msgq_interrupt(&fx->wake, &fx->w[task]);
	check_at(q, line);
}
#define INTERRUPT(fx, q, task) interrupt_at(fx, q, task, __LINE__)

/* Sends n messages that must all go in at once. */
static void fill_at(Fx *fx, SimMsgq *q, guint n, gint64 type, gsize size, unsigned line)
{
	for (guint i = 0; i < n; i++) {
		SimMsg *m = mk(fx, type, size);
		int err = send_at(fx, q, SENDER, m, SIM_IPC_NOWAIT, FALSE, NULL, line);
		CU_assertImplementation(err == 0 ? CU_TRUE : CU_FALSE, line, "fill: send returns 0",
					__FILE__, "", CU_FALSE);
		if (err)
			sim_msg_pool_put(&fx->pool, m);
	}
}
#define FILL(fx, q, n, type, size) fill_at(fx, q, n, type, size, __LINE__)

/* ---- Lists of tasks ---- */

static void tasks_str(GString *s, const int *tasks, guint n)
{
	g_string_append_c(s, '[');
	for (guint i = 0; i < n; i++)
		g_string_append_printf(s, i ? " %d" : "%d", tasks[i]);
	g_string_append_c(s, ']');
}

static void assert_tasks_at(const char *what, const int *got, guint n_got, const int *want,
			    guint n_want, unsigned line)
{
	gboolean same = n_got == n_want;
	for (guint i = 0; same && i < n_want; i++)
		same = got[i] == want[i];
	GString *s = g_string_new(what);
	g_string_append(s, ": want ");
	tasks_str(s, want, n_want);
	g_string_append(s, ", got ");
	tasks_str(s, got, n_got);
	CU_assertImplementation(same ? CU_TRUE : CU_FALSE, line, s->str, __FILE__, "", CU_FALSE);
	g_string_free(s, TRUE);
}

static void assert_waitq_at(const SimWaitQueue *wq, const char *what, const int *want, guint n_want,
			    unsigned line)
{
	int got[64];
	guint n = 0;
	CU_assertImplementation(sim_waitq_check(wq) ? CU_TRUE : CU_FALSE, line, "sim_waitq_check",
				__FILE__, "", CU_FALSE);
	for (const SimWaiter *w = wq->head; w && n < G_N_ELEMENTS(got); w = w->next)
		got[n++] = w->task;
	assert_tasks_at(what, got, n, want, n_want, line);
}

static void assert_woken_at(const Fx *fx, const int *want, guint n_want, unsigned line)
{
	int got[64];
	guint n = 0;
	for (const SimWaiter *w = fx->wake.first; w && n < G_N_ELEMENTS(got); w = w->wake_next)
		got[n++] = w->task;
	assert_tasks_at("woken", got, n, want, n_want, line);
}

#define TASKS(...) \
	(const int[]){ __VA_ARGS__ }, (guint)(sizeof((const int[]){ __VA_ARGS__ }) / sizeof(int))
#define ASSERT_SENDERS(q, ...) \
	assert_waitq_at(&(q)->senders, "senders", TASKS(__VA_ARGS__), __LINE__)
#define ASSERT_RECEIVERS(q, ...) \
	assert_waitq_at(&(q)->receivers, "receivers", TASKS(__VA_ARGS__), __LINE__)
#define ASSERT_NO_SENDERS(q) assert_waitq_at(&(q)->senders, "senders", NULL, 0, __LINE__)
#define ASSERT_NO_RECEIVERS(q) assert_waitq_at(&(q)->receivers, "receivers", NULL, 0, __LINE__)
#define ASSERT_WOKEN(fx, ...) assert_woken_at(fx, TASKS(__VA_ARGS__), __LINE__)
#define ASSERT_NONE_WOKEN(fx) assert_woken_at(fx, NULL, 0, __LINE__)

/* ==== msgget ==== */

static void test_msgq_get_private_always_creates_even_twice(void)
{
	Fx fx;
	fx_init(&fx);
	int a = -1, b = -1, c = -1;
	CU_ASSERT_EQUAL(sim_msgq_get(&fx.ns, fx.all, 0, SIM_IPC_CREAT | SIM_IPC_EXCL, 0600,
				     &fx.root, 0, &a),
			0);
	CU_ASSERT_EQUAL(sim_msgq_get(&fx.ns, fx.all, 0, SIM_IPC_CREAT | SIM_IPC_EXCL, 0600,
				     &fx.root, 0, &b),
			0);
	CU_ASSERT_EQUAL(sim_msgq_get(&fx.ns, fx.all, 0, 0, 0600, &fx.user, 0, &c), 0);
	CU_ASSERT_EQUAL(a, 0);
	CU_ASSERT_EQUAL(b, 1);
	CU_ASSERT_EQUAL(c, 2);
	CU_ASSERT_EQUAL(fx.all->len, 3);
	CU_ASSERT_EQUAL(fx.ns.in_use, 3);
	SimMsgq *qa = sim_msgq_lookup(&fx.ns, a), *qb = sim_msgq_lookup(&fx.ns, b);
	CU_ASSERT_PTR_NOT_NULL(qa);
	CU_ASSERT_PTR_NOT_NULL(qb);
	CU_ASSERT_PTR_NOT_EQUAL(qa, qb);
	fx_done(&fx);
}

static void test_msgq_get_unknown_key_without_create_is_enoent(void)
{
	Fx fx;
	fx_init(&fx);
	int id = -5;
	CU_ASSERT_EQUAL(sim_msgq_get(&fx.ns, fx.all, 42, 0, 0600, &fx.root, 0, &id), ENOENT);
	CU_ASSERT_EQUAL(sim_msgq_get(&fx.ns, fx.all, 42, SIM_IPC_EXCL, 0600, &fx.root, 0, &id),
			ENOENT);
	CU_ASSERT_EQUAL(id, -5);
	CU_ASSERT_EQUAL(fx.all->len, 0);
	CU_ASSERT_EQUAL(fx.ns.in_use, 0);
	fx_done(&fx);
}

static void test_msgq_get_create_excl_on_a_live_key_is_eexist_before_permissions(void)
{
	Fx fx;
	fx_init(&fx);
	int id = -1, again = -1;
	CU_ASSERT_EQUAL(sim_msgq_get(&fx.ns, fx.all, 42, SIM_IPC_CREAT, 0600, &fx.root, 0, &id), 0);
	/* The user has no rights on a 0600 root queue, yet gets EEXIST, not EACCES. */
	CU_ASSERT_EQUAL(sim_msgq_get(&fx.ns, fx.all, 42, SIM_IPC_CREAT | SIM_IPC_EXCL, 0600,
				     &fx.user, 0, &again),
			EEXIST);
	CU_ASSERT_EQUAL(sim_msgq_get(&fx.ns, fx.all, 42, SIM_IPC_CREAT | SIM_IPC_EXCL, 0600,
				     &fx.root, 0, &again),
			EEXIST);
	CU_ASSERT_EQUAL(again, -1);
	CU_ASSERT_EQUAL(fx.all->len, 1);
	fx_done(&fx);
}

static void test_msgq_get_missing_permission_bits_are_eacces(void)
{
	Fx fx;
	fx_init(&fx);
	int id = -1, got = -1;
	CU_ASSERT_EQUAL(sim_msgq_get(&fx.ns, fx.all, 42, SIM_IPC_CREAT, 0604, &fx.root, 0, &id), 0);
	/* The user is "other" (r--): read passes, write does not, with or without IPC_CREAT. */
	CU_ASSERT_EQUAL(sim_msgq_get(&fx.ns, fx.all, 42, 0, 0400, &fx.user, 0, &got), 0);
	CU_ASSERT_EQUAL(got, id);
	got = -1;
	CU_ASSERT_EQUAL(sim_msgq_get(&fx.ns, fx.all, 42, 0, 0600, &fx.user, 0, &got), EACCES);
	CU_ASSERT_EQUAL(sim_msgq_get(&fx.ns, fx.all, 42, SIM_IPC_CREAT, 0666, &fx.user, 0, &got),
			EACCES);
	CU_ASSERT_EQUAL(got, -1);
	/* A request of 0 always passes; CAP_IPC_OWNER bypasses. */
	CU_ASSERT_EQUAL(sim_msgq_get(&fx.ns, fx.all, 42, 0, 0, &fx.user, 0, &got), 0);
	CU_ASSERT_EQUAL(got, id);
	SimCred capped = { .uid = 1000, .gid = 1000, .caps = SIM_CAP_IPC_OWNER };
	got = -1;
	CU_ASSERT_EQUAL(sim_msgq_get(&fx.ns, fx.all, 42, 0, 0666, &capped, 0, &got), 0);
	CU_ASSERT_EQUAL(got, id);
	CU_ASSERT_EQUAL(fx.all->len, 1);
	fx_done(&fx);
}

static void test_msgq_get_excl_without_create_is_ignored(void)
{
	Fx fx;
	fx_init(&fx);
	int id = -1, got = -1;
	CU_ASSERT_EQUAL(sim_msgq_get(&fx.ns, fx.all, 42, SIM_IPC_CREAT, 0666, &fx.root, 0, &id), 0);
	CU_ASSERT_EQUAL(sim_msgq_get(&fx.ns, fx.all, 42, SIM_IPC_EXCL, 0600, &fx.user, 0, &got), 0);
	CU_ASSERT_EQUAL(got, id);
	CU_ASSERT_EQUAL(fx.all->len, 1);
	fx_done(&fx);
}

static void test_msgq_get_new_queue_takes_mode_owner_and_msgmnb(void)
{
	Fx fx;
	fx_init_limits(&fx, 4321, 32000);
	SimCred alice = { .uid = 1000, .gid = 100, .caps = 0 };
	int id = -1, got = -1;
	CU_ASSERT_EQUAL(sim_msgq_get(&fx.ns, fx.all, 0x27011c6c, SIM_IPC_CREAT, 01640, &alice,
				     5 * SIM_S, &id),
			0);
	SimMsgq *q = sim_msgq_lookup(&fx.ns, id);
	CU_ASSERT_PTR_NOT_NULL_FATAL(q);
	CU_ASSERT_PTR_EQUAL(g_ptr_array_index(fx.all, 0), q);
	CU_ASSERT_EQUAL(q->perm.key, 0x27011c6c);
	CU_ASSERT_EQUAL(q->perm.id, id);
	CU_ASSERT_EQUAL(q->perm.mode, 0640);
	CU_ASSERT_EQUAL(q->perm.uid, 1000);
	CU_ASSERT_EQUAL(q->perm.cuid, 1000);
	CU_ASSERT_EQUAL(q->perm.gid, 100);
	CU_ASSERT_EQUAL(q->perm.cgid, 100);
	CU_ASSERT_EQUAL(q->qbytes, 4321);
	CU_ASSERT_EQUAL(q->qnum, 0);
	CU_ASSERT_EQUAL(q->cbytes, 0);
	CU_ASSERT_EQUAL(q->lspid, -1);
	CU_ASSERT_EQUAL(q->lrpid, -1);
	CU_ASSERT_EQUAL(q->stime, 0);
	CU_ASSERT_EQUAL(q->rtime, 0);
	CU_ASSERT_EQUAL(q->ctime, 5 * SIM_S);
	CU_ASSERT_FALSE(q->removed);
	CU_ASSERT_TRUE(sim_msgq_check(q));
	/* The key finds it now. */
	CU_ASSERT_EQUAL(sim_msgq_get(&fx.ns, fx.all, 0x27011c6c, 0, 0, &fx.root, 0, &got), 0);
	CU_ASSERT_EQUAL(got, id);
	fx_done(&fx);
}

static void test_msgq_get_beyond_msgmni_is_enospc(void)
{
	Fx fx;
	fx_init_limits(&fx, 16384, 2);
	int a = -1, b = -1, c = -1;
	CU_ASSERT_EQUAL(sim_msgq_get(&fx.ns, fx.all, 0, 0, 0600, &fx.root, 0, &a), 0);
	CU_ASSERT_EQUAL(sim_msgq_get(&fx.ns, fx.all, 7, SIM_IPC_CREAT, 0600, &fx.root, 0, &b), 0);
	CU_ASSERT_EQUAL(sim_msgq_get(&fx.ns, fx.all, 0, 0, 0600, &fx.root, 0, &c), ENOSPC);
	CU_ASSERT_EQUAL(sim_msgq_get(&fx.ns, fx.all, 8, SIM_IPC_CREAT, 0600, &fx.root, 0, &c),
			ENOSPC);
	CU_ASSERT_EQUAL(c, -1);
	CU_ASSERT_EQUAL(fx.all->len, 2);
	CU_ASSERT_EQUAL(fx.ns.in_use, 2);
	/* An existing key is still found. */
	CU_ASSERT_EQUAL(sim_msgq_get(&fx.ns, fx.all, 7, SIM_IPC_CREAT, 0600, &fx.root, 0, &c), 0);
	CU_ASSERT_EQUAL(c, b);
	fx_done(&fx);
}

static void test_msgq_rmid_frees_the_key_and_the_id_at_once(void)
{
	Fx fx;
	fx_init(&fx);
	int id = -1, got = -1;
	CU_ASSERT_EQUAL(sim_msgq_get(&fx.ns, fx.all, 9, SIM_IPC_CREAT, 0600, &fx.root, 0, &id), 0);
	SimMsgq *q = sim_msgq_lookup(&fx.ns, id);
	CU_ASSERT_PTR_NOT_NULL_FATAL(q);
	CU_ASSERT_EQUAL(RMID(&fx, q), 0);
	sim_ipcns_free(&fx.ns, id);
	CU_ASSERT_PTR_NULL(sim_msgq_lookup(&fx.ns, id));
	CU_ASSERT_EQUAL(sim_msgq_get(&fx.ns, fx.all, 9, 0, 0600, &fx.root, 0, &got), ENOENT);
	CU_ASSERT_EQUAL(sim_msgq_get(&fx.ns, fx.all, 9, SIM_IPC_CREAT | SIM_IPC_EXCL, 0600,
				     &fx.root, 0, &got),
			0);
	CU_ASSERT_EQUAL(got, 1);
	fx_done(&fx);
}

static void test_msgq_lookup_of_a_stale_id_is_null(void)
{
	Fx fx;
	fx_init(&fx);
	int keep = -1, id = -1;
	CU_ASSERT_EQUAL(sim_msgq_get(&fx.ns, fx.all, 0, 0, 0600, &fx.root, 0, &keep), 0);
	/* Create and remove until index 1 comes round again in seq 1. */
	for (int i = 1; i <= 64; i++) {
		CU_ASSERT_EQUAL(sim_msgq_get(&fx.ns, fx.all, 0, 0, 0600, &fx.root, 0, &id), 0);
		if (i < 64) {
			CU_ASSERT_EQUAL(id, i);
			SimMsgq *q = sim_msgq_lookup(&fx.ns, id);
			CU_ASSERT_PTR_NOT_NULL_FATAL(q);
			RMID(&fx, q);
			sim_ipcns_free(&fx.ns, id);
		}
	}
	CU_ASSERT_EQUAL(id, SIM_IPC_MNI_MAX + 1);
	CU_ASSERT_PTR_NOT_NULL(sim_msgq_lookup(&fx.ns, SIM_IPC_MNI_MAX + 1));
	CU_ASSERT_PTR_NULL(sim_msgq_lookup(&fx.ns, 1)); /* same index, old seq */
	CU_ASSERT_PTR_NULL(sim_msgq_lookup(&fx.ns, 5)); /* free index */
	CU_ASSERT_PTR_NOT_NULL(sim_msgq_lookup(&fx.ns, keep));
	fx_done(&fx);
}

/* ==== msgsnd ==== */

static void test_msgq_send_fit_counts_messages_against_qbytes(void)
{
	Fx fx;
	fx_init(&fx);
	SimMsgq *q = fx_queue(&fx, 0666);
	SET_QBYTES(&fx, q, 10);
	FILL(&fx, q, 10, 1, 0); /* exactly 10 zero-length messages */
	CU_ASSERT_EQUAL(q->qnum, 10);
	CU_ASSERT_EQUAL(q->cbytes, 0);
	SimMsg *m = mk(&fx, 1, 0);
	CU_ASSERT_EQUAL_FATAL(SEND(&fx, q, 1, m, SIM_IPC_NOWAIT), EAGAIN);
	CU_ASSERT_EQUAL(q->qnum, 10);
	CU_ASSERT_FALSE(sim_msgq_fits(q, 0));
	sim_msg_pool_put(&fx.pool, m);
	fx_done(&fx);
}

static void test_msgq_send_fit_counts_bytes_against_qbytes(void)
{
	Fx fx;
	fx_init(&fx);
	SimMsgq *q = fx_queue(&fx, 0666);
	SET_QBYTES(&fx, q, 10);
	FILL(&fx, q, 1, 1, 6);
	SimMsg *m = mk(&fx, 1, 5);
	CU_ASSERT_EQUAL_FATAL(SEND(&fx, q, 1, m, SIM_IPC_NOWAIT), EAGAIN); /* 6 + 5 > 10 */
	sim_msg_pool_put(&fx.pool, m);
	FILL(&fx, q, 1, 1, 4); /* 6 + 4 = 10 */
	CU_ASSERT_EQUAL(q->cbytes, 10);
	/* Full by bytes, but a zero-length message passes both tests. */
	FILL(&fx, q, 1, 1, 0);
	CU_ASSERT_EQUAL(q->cbytes, 10);
	CU_ASSERT_EQUAL(q->qnum, 3);
	m = mk(&fx, 1, 1);
	CU_ASSERT_EQUAL_FATAL(SEND(&fx, q, 1, m, SIM_IPC_NOWAIT), EAGAIN);
	sim_msg_pool_put(&fx.pool, m);
	fx_done(&fx);
}

static void test_msgq_send_with_qbytes_0_nothing_fits(void)
{
	Fx fx;
	fx_init(&fx);
	SimMsgq *q = fx_queue(&fx, 0666);
	SET_QBYTES(&fx, q, 0);
	SimMsg *m = mk(&fx, 1, 0);
	CU_ASSERT_EQUAL_FATAL(SEND(&fx, q, 1, m, SIM_IPC_NOWAIT), EAGAIN);
	CU_ASSERT_EQUAL_FATAL(SEND(&fx, q, 1, m, 0), SIM_BLOCKED);
	CU_ASSERT_EQUAL(q->qnum, 0);
	ASSERT_SENDERS(q, 1);
	CU_ASSERT_PTR_EQUAL(fx.w[1].msg, m);
	CU_ASSERT_EQUAL(RMID(&fx, q), 1);
	CU_ASSERT_EQUAL_FATAL(RESUME_SEND(&fx, q, 1, m), EIDRM);
	sim_msg_pool_put(&fx.pool, m);
	fx_done(&fx);
}

static void test_msgq_send_nowait_on_a_full_queue_is_eagain(void)
{
	Fx fx;
	fx_init(&fx);
	SimMsgq *q = fx_queue(&fx, 0666);
	fx.ctx.now = 10;
	FILL(&fx, q, 2, 1, 8192);
	fx.ctx.now = 20;
	SimMsg *m = mk(&fx, 1, 1);
	CU_ASSERT_EQUAL_FATAL(SEND(&fx, q, 4, m, SIM_IPC_NOWAIT), EAGAIN);
	CU_ASSERT_EQUAL(q->qnum, 2);
	CU_ASSERT_EQUAL(q->cbytes, 16384);
	ASSERT_NO_SENDERS(q);
	CU_ASSERT_EQUAL(q->lspid, SENDER); /* lspid/stime only change once the message fits */
	CU_ASSERT_EQUAL(q->stime, 10);
	sim_msg_pool_put(&fx.pool, m);
	fx_done(&fx);
}

static void test_msgq_send_blocks_at_the_tail_of_the_senders(void)
{
	Fx fx;
	fx_init(&fx);
	SimMsgq *q = fx_queue(&fx, 0666);
	FILL(&fx, q, 2, 1, 8192);
	SimMsg *m[4];
	for (int i = 1; i <= 3; i++) {
		m[i] = mk(&fx, i, 10);
		CU_ASSERT_EQUAL_FATAL(SEND(&fx, q, i, m[i], 0), SIM_BLOCKED);
		ASSERT_NONE_WOKEN(&fx);
	}
	ASSERT_SENDERS(q, 1, 2, 3);
	for (int i = 1; i <= 3; i++) {
		CU_ASSERT_PTR_EQUAL(fx.w[i].msg, m[i]);
		CU_ASSERT_FALSE(fx.w[i].done);
	}
	CU_ASSERT_EQUAL(q->qnum, 2);
	CU_ASSERT_EQUAL(q->lspid, SENDER);
	CU_ASSERT_EQUAL(RMID(&fx, q), 3);
	for (int i = 1; i <= 3; i++) {
		CU_ASSERT_EQUAL_FATAL(RESUME_SEND(&fx, q, i, m[i]), EIDRM);
		sim_msg_pool_put(&fx.pool, m[i]);
	}
	fx_done(&fx);
}

static void test_msgq_send_33rd_of_512_bytes_blocks_on_a_16384_byte_queue(void)
{
	Fx fx;
	fx_init(&fx);
	SimMsgq *q = fx_queue(&fx, 0666);
	CU_ASSERT_EQUAL(q->qbytes, 16384);
	FILL(&fx, q, 32, 1, 512);
	CU_ASSERT_EQUAL(q->qnum, 32);
	CU_ASSERT_EQUAL(q->cbytes, 16384);
	SimMsg *m = mk(&fx, 1, 512);
	CU_ASSERT_EQUAL_FATAL(SEND(&fx, q, 1, m, 0), SIM_BLOCKED);
	ASSERT_SENDERS(q, 1);
	CU_ASSERT_EQUAL(q->qnum, 32);
	CU_ASSERT_EQUAL_FATAL(RECV(&fx, q, 2, 0, 0, 512, NULL), 0);
	ASSERT_WOKEN(&fx, 1);
	CU_ASSERT_EQUAL_FATAL(RESUME_SEND(&fx, q, 1, m), 0);
	CU_ASSERT_EQUAL(q->qnum, 32);
	ASSERT_NO_SENDERS(q);
	fx_done(&fx);
}

static void test_msgq_send_without_write_permission_is_eacces(void)
{
	Fx fx;
	fx_init(&fx);
	SimMsgq *q = fx_queue(&fx, 0644); /* the user may read, not write */
	SimMsg *m = mk(&fx, 1, 1);
	fx.ctx.cred = &fx.user;
	CU_ASSERT_EQUAL_FATAL(SEND(&fx, q, 1, m, 0), EACCES);
	CU_ASSERT_EQUAL(q->qnum, 0);
	CU_ASSERT_EQUAL(q->lspid, -1);
	ASSERT_NO_SENDERS(q);
	fx.ctx.cred = &fx.root;
	set_at(&fx, q, q->qbytes, -1, -1, 0, __LINE__); /* mode 0: only CAP_IPC_OWNER passes */
	CU_ASSERT_EQUAL_FATAL(SEND(&fx, q, 1, m, 0), 0);
	CU_ASSERT_EQUAL(q->qnum, 1);
	fx_done(&fx);
}

static void test_msgq_a_woken_sender_rechecks_write_permission(void)
{
	Fx fx;
	fx_init(&fx);
	SimMsgq *q = fx_queue(&fx, 0666);
	SET_QBYTES(&fx, q, 10);
	FILL(&fx, q, 1, 1, 10);
	SimMsg *m = mk(&fx, 1, 5);
	fx.ctx.cred = &fx.user;
	CU_ASSERT_EQUAL_FATAL(SEND(&fx, q, 1, m, 0), SIM_BLOCKED);
	/* Root raises qbytes (the user's message now fits) and takes away write access. */
	fx.ctx.cred = &fx.root;
	set_at(&fx, q, 20, -1, -1, 0444, __LINE__);
	ASSERT_WOKEN(&fx, 1);
	fx.ctx.cred = &fx.user;
	CU_ASSERT_EQUAL_FATAL(RESUME_SEND(&fx, q, 1, m), EACCES);
	ASSERT_NO_SENDERS(q);
	CU_ASSERT_EQUAL(q->qnum, 1);
	sim_msg_pool_put(&fx.pool, m);
	fx_done(&fx);
}

static void test_msgq_send_hands_off_to_the_first_matching_receiver(void)
{
	Fx fx;
	fx_init(&fx);
	SimMsgq *q = fx_queue(&fx, 0666);
	CU_ASSERT_EQUAL_FATAL(RECV(&fx, q, 3, 0, 0, 100, NULL), SIM_BLOCKED);
	CU_ASSERT_EQUAL_FATAL(RECV(&fx, q, 4, 0, 0, 100, NULL), SIM_BLOCKED);
	ASSERT_RECEIVERS(q, 3, 4);
	fx.ctx.now = 100;
	SimMsg *m = mk(&fx, 1, 10);
	int handed = -1;
	CU_ASSERT_EQUAL_FATAL(SEND_H(&fx, q, 7, m, 0, &handed), 0);
	CU_ASSERT_EQUAL(handed, 3);
	/* Never queued: qnum/cbytes unchanged; lrpid/rtime are the receiver's, at send time. */
	CU_ASSERT_EQUAL(q->qnum, 0);
	CU_ASSERT_EQUAL(q->cbytes, 0);
	CU_ASSERT_EQUAL(q->lspid, 7);
	CU_ASSERT_EQUAL(q->stime, 100);
	CU_ASSERT_EQUAL(q->lrpid, 3);
	CU_ASSERT_EQUAL(q->rtime, 100);
	ASSERT_WOKEN(&fx, 3);
	CU_ASSERT_TRUE(fx.w[3].done);
	CU_ASSERT_EQUAL(fx.w[3].result, 0);
	CU_ASSERT_PTR_EQUAL(fx.w[3].msg, m);
	ASSERT_RECEIVERS(q, 4);
	/* The receiver runs later and returns the message. */
	fx.ctx.now = 200;
	SimMsg *out = NULL;
	CU_ASSERT_EQUAL_FATAL(RESUME_RECV(&fx, q, 3, 0, 0, 100, &out), 0);
	CU_ASSERT_PTR_EQUAL(out, m);
	CU_ASSERT_EQUAL(q->rtime, 100);
	sim_msg_pool_put(&fx.pool, out);
	/* The next message goes to the next receiver. */
	m = mk(&fx, 1, 10);
	CU_ASSERT_EQUAL_FATAL(SEND_H(&fx, q, 7, m, 0, &handed), 0);
	CU_ASSERT_EQUAL(handed, 4);
	ASSERT_NO_RECEIVERS(q);
	CU_ASSERT_EQUAL_FATAL(RESUME_RECV(&fx, q, 4, 0, 0, 100, &out), 0);
	CU_ASSERT_PTR_EQUAL(out, m);
	sim_msg_pool_put(&fx.pool, out);
	fx_done(&fx);
}

static void test_msgq_send_fails_smaller_matching_receivers_ahead_of_the_winner_with_e2big(void)
{
	Fx fx;
	fx_init(&fx);
	SimMsgq *q = fx_queue(&fx, 0666);
	CU_ASSERT_EQUAL_FATAL(RECV(&fx, q, 1, 0, 0, 2, NULL), SIM_BLOCKED); /* matches, too small */
	CU_ASSERT_EQUAL_FATAL(RECV(&fx, q, 2, 3, 0, 100, NULL), SIM_BLOCKED); /* type 3: no match */
	CU_ASSERT_EQUAL_FATAL(RECV(&fx, q, 3, 1, 0, 4, NULL), SIM_BLOCKED); /* matches, too small */
	CU_ASSERT_EQUAL_FATAL(RECV(&fx, q, 4, 0, 0, 100, NULL), SIM_BLOCKED); /* the winner */
	CU_ASSERT_EQUAL_FATAL(RECV(&fx, q, 5, 0, 0, 1, NULL), SIM_BLOCKED);   /* after the winner */
	SimMsg *m = mk(&fx, 1, 10);
	int handed = -1;
	CU_ASSERT_EQUAL_FATAL(SEND_H(&fx, q, SENDER, m, 0, &handed), 0);
	CU_ASSERT_EQUAL(handed, 4);
	ASSERT_WOKEN(&fx, 1, 3, 4);
	ASSERT_RECEIVERS(q, 2, 5);
	CU_ASSERT_EQUAL(fx.w[1].result, E2BIG);
	CU_ASSERT_EQUAL(fx.w[3].result, E2BIG);
	CU_ASSERT_PTR_NULL(fx.w[1].msg);
	CU_ASSERT_PTR_NULL(fx.w[3].msg);
	CU_ASSERT_FALSE(fx.w[2].done);
	CU_ASSERT_FALSE(fx.w[5].done);
	CU_ASSERT_EQUAL(q->qnum, 0);
	CU_ASSERT_EQUAL(q->lrpid, 4);
	CU_ASSERT_EQUAL_FATAL(RESUME_RECV(&fx, q, 1, 0, 0, 2, NULL), E2BIG);
	CU_ASSERT_EQUAL_FATAL(RESUME_RECV(&fx, q, 3, 1, 0, 4, NULL), E2BIG);
	SimMsg *out = NULL;
	CU_ASSERT_EQUAL_FATAL(RESUME_RECV(&fx, q, 4, 0, 0, 100, &out), 0);
	CU_ASSERT_PTR_EQUAL(out, m);
	sim_msg_pool_put(&fx.pool, out);
	ASSERT_RECEIVERS(q, 2, 5);
	fx_done(&fx);
}

static void test_msgq_send_hands_off_to_a_noerror_receiver_whatever_its_buffer(void)
{
	Fx fx;
	fx_init(&fx);
	SimMsgq *q = fx_queue(&fx, 0666);
	CU_ASSERT_EQUAL_FATAL(RECV(&fx, q, 1, 0, SIM_MSG_NOERROR, 1, NULL), SIM_BLOCKED);
	SimMsg *m = mk(&fx, 1, 100);
	int handed = -1;
	CU_ASSERT_EQUAL_FATAL(SEND_H(&fx, q, SENDER, m, 0, &handed), 0);
	CU_ASSERT_EQUAL(handed, 1);
	SimMsg *out = NULL;
	CU_ASSERT_EQUAL_FATAL(RESUME_RECV(&fx, q, 1, 0, SIM_MSG_NOERROR, 1, &out), 0);
	CU_ASSERT_PTR_EQUAL(out, m);
	if (out)
		CU_ASSERT_EQUAL(out->size, 100); /* the caller truncates */
	sim_msg_pool_put(&fx.pool, out);
	fx_done(&fx);
}

static void test_msgq_a_handed_message_is_never_stolen_by_a_later_receiver(void)
{
	Fx fx;
	fx_init(&fx);
	SimMsgq *q = fx_queue(&fx, 0666);
	CU_ASSERT_EQUAL_FATAL(RECV(&fx, q, 1, 0, 0, 100, NULL), SIM_BLOCKED);
	SimMsg *m = mk(&fx, 1, 10);
	CU_ASSERT_EQUAL_FATAL(SEND(&fx, q, SENDER, m, 0), 0);
	/* Before receiver 1 runs, receiver 2 asks: nothing is there for it. */
	CU_ASSERT_EQUAL_FATAL(RECV(&fx, q, 2, 0, SIM_IPC_NOWAIT, 100, NULL), ENOMSG);
	CU_ASSERT_EQUAL_FATAL(RECV(&fx, q, 2, 0, 0, 100, NULL), SIM_BLOCKED);
	ASSERT_RECEIVERS(q, 2);
	SimMsg *out = NULL;
	CU_ASSERT_EQUAL_FATAL(RESUME_RECV(&fx, q, 1, 0, 0, 100, &out), 0);
	CU_ASSERT_PTR_EQUAL(out, m);
	sim_msg_pool_put(&fx.pool, out);
	fx_done(&fx);
}

static void test_msgq_a_full_queue_blocks_even_a_message_a_receiver_waits_for(void)
{
	Fx fx;
	fx_init(&fx);
	SimMsgq *q = fx_queue(&fx, 0666);
	SET_QBYTES(&fx, q, 10);
	FILL(&fx, q, 1, 1, 10);
	CU_ASSERT_EQUAL_FATAL(RECV(&fx, q, 1, 2, 0, 100, NULL), SIM_BLOCKED);
	SimMsg *m = mk(&fx, 2, 1);
	int handed = -5;
	CU_ASSERT_EQUAL_FATAL(SEND_H(&fx, q, 2, m, SIM_IPC_NOWAIT, &handed), EAGAIN);
	CU_ASSERT_EQUAL(handed, -1);
	CU_ASSERT_FALSE(fx.w[1].done);
	CU_ASSERT_EQUAL_FATAL(SEND(&fx, q, 2, m, 0), SIM_BLOCKED);
	ASSERT_RECEIVERS(q, 1);
	ASSERT_SENDERS(q, 2);
	CU_ASSERT_EQUAL(RMID(&fx, q), 2);
	CU_ASSERT_EQUAL_FATAL(RESUME_SEND(&fx, q, 2, m), EIDRM);
	CU_ASSERT_EQUAL_FATAL(RESUME_RECV(&fx, q, 1, 2, 0, 100, NULL), EIDRM);
	sim_msg_pool_put(&fx.pool, m);
	fx_done(&fx);
}

/* ==== msgrcv ==== */

/* Sends one message per type, in order, to an empty queue. Returns them in msgs. */
static void send_types_at(Fx *fx, SimMsgq *q, const gint64 *types, guint n, SimMsg **msgs,
			  unsigned line)
{
	for (guint i = 0; i < n; i++) {
		msgs[i] = mk(fx, types[i], 10 + i);
		int err = send_at(fx, q, SENDER, msgs[i], 0, FALSE, NULL, line);
		CU_assertImplementation(err == 0 ? CU_TRUE : CU_FALSE, line, "send returns 0",
					__FILE__, "", CU_TRUE);
	}
}
#define SEND_TYPES(fx, q, msgs, ...)                                                           \
	send_types_at(fx, q, (const gint64[]){ __VA_ARGS__ },                                  \
		      (guint)(sizeof((const gint64[]){ __VA_ARGS__ }) / sizeof(gint64)), msgs, \
		      __LINE__)

/* Receives with this filter and nowait, expecting exactly message `want`. */
static void take_at(Fx *fx, SimMsgq *q, gint64 msgtyp, guint flags, SimMsg *want, unsigned line)
{
	SimMsg *out = NULL;
	int err = recv_at(fx, q, 1, msgtyp, flags | SIM_IPC_NOWAIT, 1000, FALSE, &out, line);
	char what[128];
	g_snprintf(what, sizeof(what), "receive(%" G_GINT64_FORMAT ") returns 0 (got %s)", msgtyp,
		   sim_errno_name(err));
	CU_assertImplementation(err == 0 ? CU_TRUE : CU_FALSE, line, what, __FILE__, "", CU_FALSE);
	g_snprintf(what, sizeof(what),
		   "receive(%" G_GINT64_FORMAT ") takes the message of type %" G_GINT64_FORMAT
		   " sent as #%" G_GSIZE_FORMAT " (got type %" G_GINT64_FORMAT " #%" G_GSIZE_FORMAT
		   ")",
		   msgtyp, want->type, want->size - 10, out ? out->type : 0,
		   out ? out->size - 10 : 0);
	CU_assertImplementation(out == want ? CU_TRUE : CU_FALSE, line, what, __FILE__, "",
				CU_FALSE);
	sim_msg_pool_put(&fx->pool, out);
}
#define TAKE(fx, q, msgtyp, flags, want) take_at(fx, q, msgtyp, flags, want, __LINE__)

static void test_msgq_receive_type_0_takes_the_first_message(void)
{
	Fx fx;
	fx_init(&fx);
	SimMsgq *q = fx_queue(&fx, 0666);
	SimMsg *m[3];
	SEND_TYPES(&fx, q, m, 3, 1, 2);
	fx.ctx.now = 50;
	TAKE(&fx, q, 0, 0, m[0]);
	CU_ASSERT_EQUAL(q->qnum, 2);
	CU_ASSERT_EQUAL(q->cbytes, 11 + 12);
	CU_ASSERT_EQUAL(q->lrpid, 1);
	CU_ASSERT_EQUAL(q->rtime, 50);
	CU_ASSERT_EQUAL(q->lspid, SENDER);
	TAKE(&fx, q, 0, 0, m[1]);
	TAKE(&fx, q, 0, 0, m[2]);
	CU_ASSERT_EQUAL(q->qnum, 0);
	CU_ASSERT_EQUAL(q->cbytes, 0);
	fx_done(&fx);
}

static void test_msgq_receive_positive_type_takes_the_first_of_that_type(void)
{
	Fx fx;
	fx_init(&fx);
	SimMsgq *q = fx_queue(&fx, 0666);
	SimMsg *m[4];
	SEND_TYPES(&fx, q, m, 1, 2, 3, 2);
	TAKE(&fx, q, 2, 0, m[1]);
	TAKE(&fx, q, 2, 0, m[3]);
	CU_ASSERT_EQUAL_FATAL(RECV(&fx, q, 1, 2, SIM_IPC_NOWAIT, 1000, NULL), ENOMSG);
	TAKE(&fx, q, 3, 0, m[2]);
	TAKE(&fx, q, 1, 0, m[0]);
	fx_done(&fx);
}

static void test_msgq_receive_except_takes_the_first_not_of_that_type(void)
{
	Fx fx;
	fx_init(&fx);
	SimMsgq *q = fx_queue(&fx, 0666);
	SimMsg *m[4];
	SEND_TYPES(&fx, q, m, 2, 2, 5, 1);
	TAKE(&fx, q, 2, SIM_MSG_EXCEPT, m[2]);
	TAKE(&fx, q, 2, SIM_MSG_EXCEPT, m[3]);
	CU_ASSERT_EQUAL_FATAL(RECV(&fx, q, 1, 2, SIM_MSG_EXCEPT | SIM_IPC_NOWAIT, 1000, NULL),
			      ENOMSG);
	TAKE(&fx, q, 5, SIM_MSG_EXCEPT, m[0]);
	TAKE(&fx, q, 5, SIM_MSG_EXCEPT, m[1]);
	fx_done(&fx);
}

static void test_msgq_receive_negative_type_takes_the_lowest_type_oldest_first(void)
{
	Fx fx;
	fx_init(&fx);
	SimMsgq *q = fx_queue(&fx, 0666);
	SimMsg *m[5];
	SEND_TYPES(&fx, q, m, 4, 3, 3, 1, 1);
	TAKE(&fx, q, -3, 0, m[3]);
	TAKE(&fx, q, -3, 0, m[4]);
	TAKE(&fx, q, -3, 0, m[1]);
	TAKE(&fx, q, -3, 0, m[2]);
	CU_ASSERT_EQUAL_FATAL(RECV(&fx, q, 1, -3, SIM_IPC_NOWAIT, 1000, NULL), ENOMSG);
	CU_ASSERT_EQUAL(q->qnum, 1);
	TAKE(&fx, q, -4, 0, m[0]); /* -t does take type t */
	fx_done(&fx);
}

static void test_msgq_receive_negative_type_prefers_lower_types_queued_later(void)
{
	Fx fx;
	fx_init(&fx);
	SimMsgq *q = fx_queue(&fx, 0666);
	SimMsg *m[4];
	SEND_TYPES(&fx, q, m, 3, 2, 5, 2);
	TAKE(&fx, q, -10, 0, m[1]);
	TAKE(&fx, q, -10, 0, m[3]);
	TAKE(&fx, q, -10, 0, m[0]);
	TAKE(&fx, q, -10, 0, m[2]);
	fx_done(&fx);
}

static void test_msgq_receive_except_is_ignored_for_negative_and_zero_types(void)
{
	Fx fx;
	fx_init(&fx);
	SimMsgq *q = fx_queue(&fx, 0666);
	SimMsg *m[3];
	SEND_TYPES(&fx, q, m, 4, 3, 1);
	TAKE(&fx, q, 0, SIM_MSG_EXCEPT, m[0]);	/* not "everything except nothing" */
	TAKE(&fx, q, -3, SIM_MSG_EXCEPT, m[2]); /* not "types above 3" */
	TAKE(&fx, q, -3, SIM_MSG_EXCEPT, m[1]);
	fx_done(&fx);
}

static void test_msgq_receive_too_big_without_noerror_is_e2big_and_the_message_stays(void)
{
	Fx fx;
	fx_init(&fx);
	SimMsgq *q = fx_queue(&fx, 0666);
	SimMsg *big = mk(&fx, 1, 10), *small = mk(&fx, 1, 2);
	CU_ASSERT_EQUAL_FATAL(SEND(&fx, q, SENDER, big, 0), 0);
	CU_ASSERT_EQUAL_FATAL(SEND(&fx, q, SENDER, small, 0), 0);
	CU_ASSERT_EQUAL_FATAL(RECV(&fx, q, 1, 0, 0, 5, NULL), E2BIG);
	CU_ASSERT_EQUAL_FATAL(RECV(&fx, q, 1, 1, 0, 5, NULL),
			      E2BIG); /* the small one is not tried */
	CU_ASSERT_EQUAL_FATAL(RECV(&fx, q, 1, 1, SIM_IPC_NOWAIT, 5, NULL), E2BIG);
	CU_ASSERT_EQUAL(q->qnum, 2);
	CU_ASSERT_EQUAL(q->cbytes, 12);
	CU_ASSERT_PTR_EQUAL(q->msgs.head, big);
	CU_ASSERT_EQUAL(q->lrpid, -1);
	CU_ASSERT_EQUAL(q->rtime, 0);
	ASSERT_NO_RECEIVERS(q);
	TAKE(&fx, q, 0, 0, big);
	TAKE(&fx, q, 0, 0, small);
	fx_done(&fx);
}

static void test_msgq_receive_noerror_takes_a_too_big_message(void)
{
	Fx fx;
	fx_init(&fx);
	SimMsgq *q = fx_queue(&fx, 0666);
	SimMsg *big = mk(&fx, 1, 10);
	CU_ASSERT_EQUAL_FATAL(SEND(&fx, q, SENDER, big, 0), 0);
	SimMsg *out = NULL;
	CU_ASSERT_EQUAL_FATAL(RECV(&fx, q, 1, 0, SIM_MSG_NOERROR, 5, &out), 0);
	CU_ASSERT_PTR_EQUAL(out, big);
	if (out)
		CU_ASSERT_EQUAL(out->size, 10); /* whole: the caller truncates to 5 */
	CU_ASSERT_EQUAL(q->qnum, 0);
	CU_ASSERT_EQUAL(q->cbytes, 0);
	sim_msg_pool_put(&fx.pool, out);
	fx_done(&fx);
}

static void test_msgq_receive_nothing_with_nowait_is_enomsg(void)
{
	Fx fx;
	fx_init(&fx);
	SimMsgq *q = fx_queue(&fx, 0666);
	CU_ASSERT_EQUAL_FATAL(RECV(&fx, q, 1, 0, SIM_IPC_NOWAIT, 100, NULL), ENOMSG);
	SimMsg *m[2];
	SEND_TYPES(&fx, q, m, 1, 3);
	CU_ASSERT_EQUAL_FATAL(RECV(&fx, q, 1, 2, SIM_IPC_NOWAIT, 100, NULL), ENOMSG);
	ASSERT_NO_RECEIVERS(q);
	CU_ASSERT_EQUAL(q->qnum, 2);
	CU_ASSERT_EQUAL(q->lrpid, -1);
	fx_done(&fx);
}

static void test_msgq_receive_blocks_at_the_tail_of_the_receivers(void)
{
	Fx fx;
	fx_init(&fx);
	SimMsgq *q = fx_queue(&fx, 0666);
	SimMsg *m[1];
	SEND_TYPES(&fx, q, m, 9);
	CU_ASSERT_EQUAL_FATAL(RECV(&fx, q, 3, 2, 0, 64, NULL), SIM_BLOCKED);
	CU_ASSERT_EQUAL_FATAL(RECV(&fx, q, 1, -3, 0, 65, NULL), SIM_BLOCKED);
	CU_ASSERT_EQUAL_FATAL(RECV(&fx, q, 2, 9, SIM_MSG_EXCEPT, 66, NULL), SIM_BLOCKED);
	ASSERT_NONE_WOKEN(&fx);
	ASSERT_RECEIVERS(q, 3, 1, 2);
	CU_ASSERT_EQUAL(fx.w[3].type, 2);
	CU_ASSERT_EQUAL(fx.w[3].maxsize, 64);
	CU_ASSERT_EQUAL(fx.w[1].type, -3);
	CU_ASSERT_EQUAL(fx.w[2].flags & SIM_MSG_EXCEPT, SIM_MSG_EXCEPT);
	CU_ASSERT_FALSE(fx.w[3].done);
	CU_ASSERT_EQUAL(q->qnum, 1);
	CU_ASSERT_EQUAL(RMID(&fx, q), 3);
	ASSERT_WOKEN(&fx, 3, 1, 2);
	fx_done(&fx);
}

static void test_msgq_receive_without_read_permission_is_eacces(void)
{
	Fx fx;
	fx_init(&fx);
	SimMsgq *q = fx_queue(&fx, 0622); /* the user may write, not read */
	fx.ctx.cred = &fx.user;
	SimMsg *m = mk(&fx, 1, 1);
	CU_ASSERT_EQUAL_FATAL(SEND(&fx, q, 1, m, 0), 0);
	CU_ASSERT_EQUAL_FATAL(RECV(&fx, q, 1, 0, 0, 100, NULL), EACCES);
	CU_ASSERT_EQUAL(q->qnum, 1);
	ASSERT_NO_RECEIVERS(q);
	fx.ctx.cred = &fx.root;
	TAKE(&fx, q, 0, 0, m);
	fx_done(&fx);
}

static void test_msgq_typed_receivers_are_served_as_in_semantics_1_7(void)
{
	Fx fx;
	fx_init(&fx);
	SimMsgq *q = fx_queue(&fx, 0666);
	/* R1 type 2, R2 any, R3 <= 1, R4 anything but 5. */
	CU_ASSERT_EQUAL_FATAL(RECV(&fx, q, 1, 2, 0, 100, NULL), SIM_BLOCKED);
	CU_ASSERT_EQUAL_FATAL(RECV(&fx, q, 2, 0, 0, 100, NULL), SIM_BLOCKED);
	CU_ASSERT_EQUAL_FATAL(RECV(&fx, q, 3, -1, 0, 100, NULL), SIM_BLOCKED);
	CU_ASSERT_EQUAL_FATAL(RECV(&fx, q, 4, 5, SIM_MSG_EXCEPT, 100, NULL), SIM_BLOCKED);
	const gint64 types[] = { 1, 5, 3, 2, 1 };
	const int want[] = { 2, -1, 4, 1, 3 };
	SimMsg *m[5];
	for (guint i = 0; i < 5; i++) {
		int handed = -5;
		m[i] = mk(&fx, types[i], 10);
		CU_ASSERT_EQUAL_FATAL(SEND_H(&fx, q, SENDER, m[i], 0, &handed), 0);
		CU_ASSERT_EQUAL(handed, want[i]);
	}
	CU_ASSERT_EQUAL(q->qnum, 1);
	CU_ASSERT_PTR_EQUAL(q->msgs.head, m[1]);
	ASSERT_NO_RECEIVERS(q);
	for (guint i = 0; i < 5; i++) {
		if (want[i] < 0)
			continue;
		CU_ASSERT_PTR_EQUAL(fx.w[want[i]].msg, m[i]);
		SimMsg *out = NULL;
		const SimWaiter *w = &fx.w[want[i]];
		CU_ASSERT_EQUAL_FATAL(RESUME_RECV(&fx, q, want[i], w->type, w->flags, 100, &out),
				      0);
		CU_ASSERT_PTR_EQUAL(out, m[i]);
		sim_msg_pool_put(&fx.pool, out);
	}
	fx_done(&fx);
}

/* ==== the sender wake-up scan ==== */

/* A default queue (16384) holding two 8192-byte messages, and senders 1..n blocked with
 * messages of the given sizes. */
static SimMsgq *full_queue_with_senders(Fx *fx, const gsize *sizes, guint n, SimMsg **m)
{
	SimMsgq *q = fx_queue(fx, 0666);
	FILL(fx, q, 2, 1, 8192);
	for (guint i = 1; i <= n; i++) {
		m[i] = mk(fx, (gint64)i, sizes[i - 1]);
		CU_ASSERT_EQUAL_FATAL(SEND(fx, q, (int)i, m[i], 0), SIM_BLOCKED);
	}
	return q;
}

static void test_msgq_a_receive_wakes_every_sender_that_fits_and_keeps_them_listed(void)
{
	Fx fx;
	fx_init(&fx);
	SimMsg *m[4];
	SimMsgq *q = full_queue_with_senders(&fx, (const gsize[]){ 8192, 8192, 8192 }, 3, m);
	ASSERT_SENDERS(q, 1, 2, 3);
	CU_ASSERT_EQUAL_FATAL(RECV(&fx, q, 5, 0, 0, 8192, NULL), 0);
	ASSERT_WOKEN(&fx, 1, 2, 3);
	CU_ASSERT_EQUAL(fx.ctx.n_woken_senders, 3);
	ASSERT_SENDERS(q, 1, 2, 3);
	for (int i = 1; i <= 3; i++) {
		CU_ASSERT_TRUE(fx.w[i].done);
		CU_ASSERT_EQUAL(fx.w[i].result, SIM_MSGQ_RETRY);
	}
	CU_ASSERT_EQUAL(RMID(&fx, q), 3);
	for (int i = 1; i <= 3; i++) {
		CU_ASSERT_EQUAL_FATAL(RESUME_SEND(&fx, q, i, m[i]), EIDRM);
		sim_msg_pool_put(&fx.pool, m[i]);
	}
	fx_done(&fx);
}

static void test_msgq_woken_senders_race_and_the_losers_reblock_at_the_tail(void)
{
	Fx fx;
	fx_init(&fx);
	SimMsg *m[4];
	SimMsgq *q = full_queue_with_senders(&fx, (const gsize[]){ 8192, 8192, 8192 }, 3, m);
	CU_ASSERT_EQUAL_FATAL(RECV(&fx, q, 5, 0, 0, 8192, NULL), 0);
	CU_ASSERT_EQUAL(fx.ctx.n_woken_senders, 3);
	/* The scheduler runs 2, then 3, then 1: 2 sends, 3 and 1 re-block in that order. */
	CU_ASSERT_EQUAL_FATAL(RESUME_SEND(&fx, q, 2, m[2]), 0);
	CU_ASSERT_EQUAL(q->qnum, 2);
	CU_ASSERT_EQUAL(q->lspid, 2);
	ASSERT_SENDERS(q, 1, 3);
	ASSERT_NONE_WOKEN(&fx);
	CU_ASSERT_EQUAL_FATAL(RESUME_SEND(&fx, q, 3, m[3]), SIM_BLOCKED);
	ASSERT_SENDERS(q, 1, 3);
	CU_ASSERT_EQUAL_FATAL(RESUME_SEND(&fx, q, 1, m[1]), SIM_BLOCKED);
	ASSERT_SENDERS(q, 3, 1);
	CU_ASSERT_FALSE(fx.w[1].done);
	CU_ASSERT_FALSE(fx.w[3].done);
	CU_ASSERT_PTR_EQUAL(fx.w[1].msg, m[1]);
	/* Next round: 3 is now ahead of 1. */
	CU_ASSERT_EQUAL_FATAL(RECV(&fx, q, 5, 0, 0, 8192, NULL), 0);
	ASSERT_WOKEN(&fx, 3, 1);
	CU_ASSERT_EQUAL(RMID(&fx, q), 2);
	CU_ASSERT_EQUAL_FATAL(RESUME_SEND(&fx, q, 1, m[1]), EIDRM);
	CU_ASSERT_EQUAL_FATAL(RESUME_SEND(&fx, q, 3, m[3]), EIDRM);
	sim_msg_pool_put(&fx.pool, m[1]);
	sim_msg_pool_put(&fx.pool, m[3]);
	fx_done(&fx);
}

static void test_msgq_the_scan_moves_a_sender_that_does_not_fit_to_the_tail_unwoken(void)
{
	Fx fx;
	fx_init(&fx);
	SimMsg *m[4];
	SimMsgq *q = full_queue_with_senders(&fx, (const gsize[]){ 9000, 100, 9000 }, 3, m);
	/* 8192 bytes free: 1 and 3 (9000) do not fit, 2 (100) does. */
	CU_ASSERT_EQUAL_FATAL(RECV(&fx, q, 5, 0, 0, 8192, NULL), 0);
	ASSERT_WOKEN(&fx, 2);
	CU_ASSERT_EQUAL(fx.ctx.n_woken_senders, 1);
	ASSERT_SENDERS(q, 2, 1, 3);
	CU_ASSERT_FALSE(fx.w[1].done);
	CU_ASSERT_FALSE(fx.w[3].done);
	CU_ASSERT_EQUAL_FATAL(RESUME_SEND(&fx, q, 2, m[2]), 0);
	ASSERT_SENDERS(q, 1, 3);
	CU_ASSERT_EQUAL(RMID(&fx, q), 2);
	CU_ASSERT_EQUAL_FATAL(RESUME_SEND(&fx, q, 1, m[1]), EIDRM);
	CU_ASSERT_EQUAL_FATAL(RESUME_SEND(&fx, q, 3, m[3]), EIDRM);
	sim_msg_pool_put(&fx.pool, m[1]);
	sim_msg_pool_put(&fx.pool, m[3]);
	fx_done(&fx);
}

static void test_msgq_a_small_later_sender_overtakes_a_big_earlier_one(void)
{
	Fx fx;
	fx_init(&fx);
	SimMsg *m[3];
	SimMsgq *q = fx_queue(&fx, 0666);
	SET_QBYTES(&fx, q, 1000);
	FILL(&fx, q, 10, 1, 100);
	m[1] = mk(&fx, 1, 500);
	m[2] = mk(&fx, 1, 100);
	CU_ASSERT_EQUAL_FATAL(SEND(&fx, q, 1, m[1], 0), SIM_BLOCKED);
	CU_ASSERT_EQUAL_FATAL(SEND(&fx, q, 2, m[2], 0), SIM_BLOCKED);
	/* Freeing 100 bytes lets only the small one in. */
	CU_ASSERT_EQUAL_FATAL(RECV(&fx, q, 5, 0, 0, 100, NULL), 0);
	ASSERT_WOKEN(&fx, 2);
	ASSERT_SENDERS(q, 2, 1);
	CU_ASSERT_EQUAL_FATAL(RESUME_SEND(&fx, q, 2, m[2]), 0);
	CU_ASSERT_EQUAL(q->cbytes, 1000);
	ASSERT_SENDERS(q, 1);
	CU_ASSERT_FALSE(fx.w[1].done);
	CU_ASSERT_EQUAL(RMID(&fx, q), 1);
	CU_ASSERT_EQUAL_FATAL(RESUME_SEND(&fx, q, 1, m[1]), EIDRM);
	sim_msg_pool_put(&fx.pool, m[1]);
	fx_done(&fx);
}

static void test_msgq_a_new_sender_that_fits_barges_in_ahead_of_blocked_senders(void)
{
	Fx fx;
	fx_init(&fx);
	SimMsg *m[2];
	SimMsgq *q = fx_queue(&fx, 0666);
	FILL(&fx, q, 1, 1, 8192);
	FILL(&fx, q, 1, 1, 8000);
	m[1] = mk(&fx, 1, 8192);
	CU_ASSERT_EQUAL_FATAL(SEND(&fx, q, 1, m[1], 0), SIM_BLOCKED);
	SimMsg *small = mk(&fx, 1, 100);
	CU_ASSERT_EQUAL_FATAL(SEND(&fx, q, 2, small, 0), 0);
	CU_ASSERT_EQUAL(q->qnum, 3);
	ASSERT_SENDERS(q, 1);
	CU_ASSERT_EQUAL(RMID(&fx, q), 1);
	CU_ASSERT_EQUAL_FATAL(RESUME_SEND(&fx, q, 1, m[1]), EIDRM);
	sim_msg_pool_put(&fx.pool, m[1]);
	fx_done(&fx);
}

static void test_msgq_a_hand_off_does_not_run_the_sender_scan(void)
{
	Fx fx;
	fx_init(&fx);
	SimMsgq *q = fx_queue(&fx, 0666);
	SET_QBYTES(&fx, q, 20);
	FILL(&fx, q, 1, 1, 10);
	SimMsg *big = mk(&fx, 1, 15);
	CU_ASSERT_EQUAL_FATAL(SEND(&fx, q, 1, big, 0), SIM_BLOCKED);
	CU_ASSERT_EQUAL_FATAL(RECV(&fx, q, 2, 2, 0, 100, NULL), SIM_BLOCKED);
	/* Make room behind the module's back (no IPC_SET, hence no scan): sender 1 would now
	 * fit, so a scan would wake it. */
	q->qbytes = 40;
	SimMsg *m = mk(&fx, 2, 1);
	int handed = -5;
	CU_ASSERT_EQUAL_FATAL(SEND_H(&fx, q, 3, m, 0, &handed), 0);
	CU_ASSERT_EQUAL(handed, 2);
	ASSERT_WOKEN(&fx, 2);
	CU_ASSERT_EQUAL(fx.ctx.n_woken_senders, 0);
	CU_ASSERT_FALSE(fx.w[1].done);
	ASSERT_SENDERS(q, 1);
	SimMsg *out = NULL;
	CU_ASSERT_EQUAL_FATAL(RESUME_RECV(&fx, q, 2, 2, 0, 100, &out), 0);
	CU_ASSERT_PTR_EQUAL(out, m);
	sim_msg_pool_put(&fx.pool, out);
	/* A receive from the queue does scan, and wakes it. */
	CU_ASSERT_EQUAL_FATAL(RECV(&fx, q, 2, 0, 0, 100, NULL), 0);
	ASSERT_WOKEN(&fx, 1);
	CU_ASSERT_EQUAL_FATAL(RESUME_SEND(&fx, q, 1, big), 0);
	fx_done(&fx);
}

/* ==== IPC_SET ==== */

static void test_msgq_set_changes_qbytes_owner_mode_and_ctime(void)
{
	Fx fx;
	fx_init(&fx);
	SimMsgq *q = fx_queue(&fx, 0600);
	fx.ctx.now = 77;
	set_at(&fx, q, 123, 1000, 1001, 01640, __LINE__);
	CU_ASSERT_EQUAL(q->qbytes, 123);
	CU_ASSERT_EQUAL(q->perm.uid, 1000);
	CU_ASSERT_EQUAL(q->perm.gid, 1001);
	CU_ASSERT_EQUAL(q->perm.mode, 0640);
	CU_ASSERT_EQUAL(q->perm.cuid, 0); /* the creator never changes */
	CU_ASSERT_EQUAL(q->perm.cgid, 0);
	CU_ASSERT_EQUAL(q->ctime, 77);
	fx.ctx.now = 88;
	set_at(&fx, q, 456, -1, -1, -1, __LINE__); /* -1: leave as is */
	CU_ASSERT_EQUAL(q->qbytes, 456);
	CU_ASSERT_EQUAL(q->perm.uid, 1000);
	CU_ASSERT_EQUAL(q->perm.gid, 1001);
	CU_ASSERT_EQUAL(q->perm.mode, 0640);
	CU_ASSERT_EQUAL(q->ctime, 88);
	fx_done(&fx);
}

static void test_msgq_set_wakes_every_blocked_receiver_and_keeps_them_listed(void)
{
	Fx fx;
	fx_init(&fx);
	SimMsgq *q = fx_queue(&fx, 0666);
	for (int i = 1; i <= 3; i++)
		CU_ASSERT_EQUAL_FATAL(RECV(&fx, q, i, i, 0, 100, NULL), SIM_BLOCKED);
	SET_QBYTES(&fx, q, 16384);
	ASSERT_WOKEN(&fx, 1, 2, 3);
	ASSERT_RECEIVERS(q, 1, 2, 3);
	CU_ASSERT_EQUAL(fx.ctx.n_woken_senders, 0);
	for (int i = 1; i <= 3; i++) {
		CU_ASSERT_TRUE(fx.w[i].done);
		CU_ASSERT_EQUAL(fx.w[i].result, SIM_MSGQ_RETRY);
		CU_ASSERT_PTR_NULL(fx.w[i].msg);
	}
	fx_done(&fx);
}

static void test_msgq_a_send_still_hands_off_to_a_set_woken_receiver_that_has_not_run(void)
{
	Fx fx;
	fx_init(&fx);
	SimMsgq *q = fx_queue(&fx, 0666);
	CU_ASSERT_EQUAL_FATAL(RECV(&fx, q, 1, 0, 0, 100, NULL), SIM_BLOCKED);
	CU_ASSERT_EQUAL_FATAL(RECV(&fx, q, 2, 0, 0, 100, NULL), SIM_BLOCKED);
	SET_QBYTES(&fx, q, 16384);
	SimMsg *m = mk(&fx, 1, 10);
	int handed = -5;
	CU_ASSERT_EQUAL_FATAL(SEND_H(&fx, q, SENDER, m, 0, &handed), 0);
	CU_ASSERT_EQUAL(handed, 1);
	CU_ASSERT_EQUAL(q->qnum, 0);
	CU_ASSERT_EQUAL(q->lrpid, 1);
	ASSERT_NONE_WOKEN(&fx); /* it is already on its way: woken once */
	ASSERT_RECEIVERS(q, 2);
	CU_ASSERT_EQUAL(fx.w[1].result, 0);
	SimMsg *out = NULL;
	CU_ASSERT_EQUAL_FATAL(RESUME_RECV(&fx, q, 1, 0, 0, 100, &out), 0);
	CU_ASSERT_PTR_EQUAL(out, m);
	sim_msg_pool_put(&fx.pool, out);
	/* Receiver 2 runs with nothing for it and waits again. */
	CU_ASSERT_EQUAL_FATAL(RESUME_RECV(&fx, q, 2, 0, 0, 100, NULL), SIM_BLOCKED);
	ASSERT_RECEIVERS(q, 2);
	fx_done(&fx);
}

static void test_msgq_a_set_woken_receiver_with_nothing_for_it_requeues_at_the_tail(void)
{
	Fx fx;
	fx_init(&fx);
	SimMsgq *q = fx_queue(&fx, 0666);
	for (int i = 1; i <= 3; i++)
		CU_ASSERT_EQUAL_FATAL(RECV(&fx, q, i, 0, 0, 100, NULL), SIM_BLOCKED);
	SET_QBYTES(&fx, q, 16384);
	CU_ASSERT_EQUAL_FATAL(RESUME_RECV(&fx, q, 1, 0, 0, 100, NULL), SIM_BLOCKED);
	ASSERT_RECEIVERS(q, 2, 3, 1);
	CU_ASSERT_FALSE(fx.w[1].done);
	CU_ASSERT_EQUAL_FATAL(RESUME_RECV(&fx, q, 3, 0, 0, 100, NULL), SIM_BLOCKED);
	ASSERT_RECEIVERS(q, 2, 1, 3);
	CU_ASSERT_EQUAL_FATAL(RESUME_RECV(&fx, q, 2, 0, 0, 100, NULL), SIM_BLOCKED);
	ASSERT_RECEIVERS(q, 1, 3, 2);
	/* The new order decides the next hand-off. */
	SimMsg *m = mk(&fx, 1, 10);
	int handed = -5;
	CU_ASSERT_EQUAL_FATAL(SEND_H(&fx, q, SENDER, m, 0, &handed), 0);
	CU_ASSERT_EQUAL(handed, 1);
	CU_ASSERT_EQUAL_FATAL(RESUME_RECV(&fx, q, 1, 0, 0, 100, NULL), 0);
	fx_done(&fx);
}

static void test_msgq_a_set_woken_receiver_with_only_other_types_queued_waits_again(void)
{
	Fx fx;
	fx_init(&fx);
	SimMsgq *q = fx_queue(&fx, 0666);
	CU_ASSERT_EQUAL_FATAL(RECV(&fx, q, 1, 2, 0, 100, NULL), SIM_BLOCKED);
	CU_ASSERT_EQUAL_FATAL(RECV(&fx, q, 2, 2, 0, 100, NULL), SIM_BLOCKED);
	SET_QBYTES(&fx, q, 16384);
	SimMsg *m[1];
	SEND_TYPES(&fx, q, m, 3); /* matches nobody: queued */
	CU_ASSERT_EQUAL(q->qnum, 1);
	CU_ASSERT_EQUAL_FATAL(RESUME_RECV(&fx, q, 1, 2, 0, 100, NULL), SIM_BLOCKED);
	ASSERT_RECEIVERS(q, 2, 1);
	CU_ASSERT_FALSE(fx.w[1].done);
	CU_ASSERT_EQUAL(q->qnum, 1);
	fx_done(&fx);
}

static void test_msgq_a_set_woken_receiver_rechecks_read_permission(void)
{
	Fx fx;
	fx_init(&fx);
	SimMsgq *q = fx_queue(&fx, 0666);
	fx.ctx.cred = &fx.user;
	CU_ASSERT_EQUAL_FATAL(RECV(&fx, q, 1, 0, 0, 100, NULL), SIM_BLOCKED);
	fx.ctx.cred = &fx.root;
	set_at(&fx, q, 16384, -1, -1, 0622, __LINE__); /* the user may no longer read */
	ASSERT_WOKEN(&fx, 1);
	fx.ctx.cred = &fx.user;
	CU_ASSERT_EQUAL_FATAL(RESUME_RECV(&fx, q, 1, 0, 0, 100, NULL), EACCES);
	ASSERT_NO_RECEIVERS(q);
	fx_done(&fx);
}

static void test_msgq_set_runs_the_sender_scan(void)
{
	Fx fx;
	fx_init(&fx);
	SimMsgq *q = fx_queue(&fx, 0666);
	SET_QBYTES(&fx, q, 10);
	FILL(&fx, q, 1, 1, 10);
	SimMsg *m = mk(&fx, 1, 5);
	CU_ASSERT_EQUAL_FATAL(SEND(&fx, q, 1, m, 0), SIM_BLOCKED);
	SET_QBYTES(&fx, q, 12); /* still does not fit: not woken */
	ASSERT_NONE_WOKEN(&fx);
	CU_ASSERT_FALSE(fx.w[1].done);
	SET_QBYTES(&fx, q, 20);
	ASSERT_WOKEN(&fx, 1);
	CU_ASSERT_EQUAL(fx.ctx.n_woken_senders, 1);
	CU_ASSERT_EQUAL(fx.w[1].result, SIM_MSGQ_RETRY);
	ASSERT_SENDERS(q, 1);
	CU_ASSERT_EQUAL_FATAL(RESUME_SEND(&fx, q, 1, m), 0);
	ASSERT_NO_SENDERS(q);
	CU_ASSERT_EQUAL(q->qnum, 2);
	CU_ASSERT_EQUAL(q->cbytes, 15);
	fx_done(&fx);
}

/* ==== IPC_RMID ==== */

static void test_msgq_remove_fails_every_waiter_with_eidrm_and_frees_the_messages(void)
{
	Fx fx;
	fx_init(&fx);
	SimMsgq *q = fx_queue(&fx, 0666);
	int id = q->perm.id;
	SET_QBYTES(&fx, q, 10);
	FILL(&fx, q, 2, 1, 5);
	SimMsg *m[3];
	for (int i = 1; i <= 2; i++) {
		m[i] = mk(&fx, 1, 1);
		CU_ASSERT_EQUAL_FATAL(SEND(&fx, q, i, m[i], 0), SIM_BLOCKED);
	}
	CU_ASSERT_EQUAL_FATAL(RECV(&fx, q, 3, 2, 0, 100, NULL), SIM_BLOCKED);
	CU_ASSERT_EQUAL_FATAL(RECV(&fx, q, 4, 2, 0, 100, NULL), SIM_BLOCKED);
	CU_ASSERT_EQUAL(fx.pool.live, 4);
	CU_ASSERT_EQUAL(RMID(&fx, q), 4);
	ASSERT_WOKEN(&fx, 3, 4, 1, 2); /* receivers first, then senders */
	for (int i = 1; i <= 4; i++) {
		CU_ASSERT_TRUE(fx.w[i].done);
		CU_ASSERT_EQUAL(fx.w[i].result, EIDRM);
	}
	ASSERT_NO_SENDERS(q);
	ASSERT_NO_RECEIVERS(q);
	CU_ASSERT_TRUE(q->removed);
	CU_ASSERT_EQUAL(q->qnum, 0);
	CU_ASSERT_EQUAL(q->cbytes, 0);
	CU_ASSERT_EQUAL(fx.pool.live, 2); /* the queued ones went back; the senders keep theirs */
	sim_ipcns_free(&fx.ns, id);
	CU_ASSERT_PTR_NULL(sim_msgq_lookup(&fx.ns, id));
	for (int i = 1; i <= 2; i++) {
		CU_ASSERT_EQUAL_FATAL(RESUME_SEND(&fx, q, i, m[i]), EIDRM);
		sim_msg_pool_put(&fx.pool, m[i]);
	}
	CU_ASSERT_EQUAL_FATAL(RESUME_RECV(&fx, q, 3, 2, 0, 100, NULL), EIDRM);
	CU_ASSERT_EQUAL_FATAL(RESUME_RECV(&fx, q, 4, 2, 0, 100, NULL), EIDRM);
	fx_done(&fx);
}

static void test_msgq_remove_fails_woken_waiters_that_have_not_run_with_eidrm(void)
{
	Fx fx;
	fx_init(&fx);
	SimMsg *m[2];
	SimMsgq *q = full_queue_with_senders(&fx, (const gsize[]){ 8192 }, 1, m);
	CU_ASSERT_EQUAL_FATAL(RECV(&fx, q, 2, 7, 0, 100, NULL), SIM_BLOCKED);
	SET_QBYTES(&fx, q, 16384 + 8192); /* wakes receiver 2 (RETRY) and sender 1 (fits) */
	ASSERT_WOKEN(&fx, 2, 1);
	CU_ASSERT_EQUAL(RMID(&fx, q), 2);
	ASSERT_NONE_WOKEN(&fx); /* both on their way already */
	ASSERT_NO_SENDERS(q);
	ASSERT_NO_RECEIVERS(q);
	CU_ASSERT_EQUAL(fx.w[1].result, EIDRM);
	CU_ASSERT_EQUAL(fx.w[2].result, EIDRM);
	CU_ASSERT_EQUAL_FATAL(RESUME_SEND(&fx, q, 1, m[1]), EIDRM);
	CU_ASSERT_EQUAL_FATAL(RESUME_RECV(&fx, q, 2, 7, 0, 100, NULL), EIDRM);
	sim_msg_pool_put(&fx.pool, m[1]);
	fx_done(&fx);
}

/* ==== signals ==== */

static void test_msgq_a_signal_ends_a_blocked_receive_with_eintr(void)
{
	Fx fx;
	fx_init(&fx);
	SimMsgq *q = fx_queue(&fx, 0666);
	CU_ASSERT_EQUAL_FATAL(RECV(&fx, q, 1, 0, 0, 100, NULL), SIM_BLOCKED);
	CU_ASSERT_EQUAL_FATAL(RECV(&fx, q, 2, 0, 0, 100, NULL), SIM_BLOCKED);
	INTERRUPT(&fx, q, 1);
	ASSERT_WOKEN(&fx, 1);
	fx.ctx.signal_pending = TRUE;
	CU_ASSERT_EQUAL_FATAL(RESUME_RECV(&fx, q, 1, 0, 0, 100, NULL), EINTR);
	ASSERT_RECEIVERS(q, 2);
	/* The next message goes to receiver 2. */
	SimMsg *m = mk(&fx, 1, 10);
	int handed = -5;
	CU_ASSERT_EQUAL_FATAL(SEND_H(&fx, q, SENDER, m, 0, &handed), 0);
	CU_ASSERT_EQUAL(handed, 2);
	CU_ASSERT_EQUAL_FATAL(RESUME_RECV(&fx, q, 2, 0, 0, 100, NULL), 0);
	fx_done(&fx);
}

static void test_msgq_a_signal_ends_a_blocked_send_with_eintr(void)
{
	Fx fx;
	fx_init(&fx);
	SimMsg *m[3];
	SimMsgq *q = full_queue_with_senders(&fx, (const gsize[]){ 10, 20 }, 2, m);
	INTERRUPT(&fx, q, 1);
	ASSERT_WOKEN(&fx, 1);
	fx.ctx.signal_pending = TRUE;
	CU_ASSERT_EQUAL_FATAL(RESUME_SEND(&fx, q, 1, m[1]), EINTR);
	ASSERT_SENDERS(q, 2);
	CU_ASSERT_EQUAL(q->qnum, 2);
	sim_msg_pool_put(&fx.pool, m[1]); /* still the caller's */
	CU_ASSERT_EQUAL(RMID(&fx, q), 1);
	CU_ASSERT_EQUAL_FATAL(RESUME_SEND(&fx, q, 2, m[2]), EIDRM);
	sim_msg_pool_put(&fx.pool, m[2]);
	fx_done(&fx);
}

static void test_msgq_a_woken_sender_with_a_signal_pending_returns_eintr_without_sending(void)
{
	Fx fx;
	fx_init(&fx);
	SimMsg *m[2];
	SimMsgq *q = full_queue_with_senders(&fx, (const gsize[]){ 100 }, 1, m);
	CU_ASSERT_EQUAL_FATAL(RECV(&fx, q, 5, 0, 0, 8192, NULL), 0);
	ASSERT_WOKEN(&fx, 1);
	INTERRUPT(&fx, q, 1);
	ASSERT_NONE_WOKEN(&fx);
	fx.ctx.signal_pending = TRUE;
	CU_ASSERT_EQUAL_FATAL(RESUME_SEND(&fx, q, 1, m[1]), EINTR);
	ASSERT_NO_SENDERS(q);
	CU_ASSERT_EQUAL(q->qnum, 1);
	sim_msg_pool_put(&fx.pool, m[1]);
	fx_done(&fx);
}

static void test_msgq_a_message_handed_before_the_signal_wins_over_eintr(void)
{
	Fx fx;
	fx_init(&fx);
	SimMsgq *q = fx_queue(&fx, 0666);
	CU_ASSERT_EQUAL_FATAL(RECV(&fx, q, 1, 0, 0, 100, NULL), SIM_BLOCKED);
	SimMsg *m = mk(&fx, 1, 10);
	CU_ASSERT_EQUAL_FATAL(SEND(&fx, q, SENDER, m, 0), 0);
	INTERRUPT(&fx, q, 1);
	ASSERT_NONE_WOKEN(&fx); /* woken already */
	CU_ASSERT_EQUAL(fx.w[1].result, 0);
	fx.ctx.signal_pending = TRUE;
	SimMsg *out = NULL;
	CU_ASSERT_EQUAL_FATAL(RESUME_RECV(&fx, q, 1, 0, 0, 100, &out), 0);
	CU_ASSERT_PTR_EQUAL(out, m);
	sim_msg_pool_put(&fx.pool, out);
	fx_done(&fx);
}

static void test_msgq_a_message_handed_after_the_signal_but_before_the_receiver_runs_wins(void)
{
	Fx fx;
	fx_init(&fx);
	SimMsgq *q = fx_queue(&fx, 0666);
	CU_ASSERT_EQUAL_FATAL(RECV(&fx, q, 1, 0, 0, 100, NULL), SIM_BLOCKED);
	INTERRUPT(&fx, q, 1);
	ASSERT_WOKEN(&fx, 1);
	ASSERT_RECEIVERS(q, 1); /* listed until it runs */
	SimMsg *m = mk(&fx, 1, 10);
	int handed = -5;
	CU_ASSERT_EQUAL_FATAL(SEND_H(&fx, q, SENDER, m, 0, &handed), 0);
	CU_ASSERT_EQUAL(handed, 1);
	fx.ctx.signal_pending = TRUE;
	SimMsg *out = NULL;
	CU_ASSERT_EQUAL_FATAL(RESUME_RECV(&fx, q, 1, 0, 0, 100, &out), 0);
	CU_ASSERT_PTR_EQUAL(out, m);
	sim_msg_pool_put(&fx.pool, out);
	fx_done(&fx);
}

static void test_msgq_interrupting_a_receiver_woken_with_e2big_keeps_e2big(void)
{
	Fx fx;
	fx_init(&fx);
	SimMsgq *q = fx_queue(&fx, 0666);
	CU_ASSERT_EQUAL_FATAL(RECV(&fx, q, 1, 0, 0, 1, NULL), SIM_BLOCKED);
	SimMsg *m = mk(&fx, 1, 10);
	int handed = -5;
	CU_ASSERT_EQUAL_FATAL(SEND_H(&fx, q, SENDER, m, 0, &handed), 0);
	CU_ASSERT_EQUAL(handed, -1);
	CU_ASSERT_EQUAL(q->qnum, 1); /* nobody took it */
	CU_ASSERT_EQUAL(fx.w[1].result, E2BIG);
	INTERRUPT(&fx, q, 1);
	ASSERT_NONE_WOKEN(&fx);
	CU_ASSERT_EQUAL(fx.w[1].result, E2BIG);
	fx.ctx.signal_pending = TRUE;
	CU_ASSERT_EQUAL_FATAL(RESUME_RECV(&fx, q, 1, 0, 0, 1, NULL), E2BIG);
	ASSERT_NO_RECEIVERS(q);
	fx_done(&fx);
}

/* ==== sim_msgq_check itself: the assertion after every operation can fail ==== */

static void test_msgq_check_rejects_counts_that_disagree_with_the_messages(void)
{
	Fx fx;
	fx_init(&fx);
	SimMsgq *q = fx_queue(&fx, 0666);
	FILL(&fx, q, 2, 1, 10);
	q->qnum = 3;
	CU_ASSERT_FALSE(sim_msgq_check(q));
	q->qnum = 2;
	q->cbytes = 19;
	CU_ASSERT_FALSE(sim_msgq_check(q));
	q->cbytes = 20;
	CU_ASSERT_TRUE(sim_msgq_check(q));
	fx_done(&fx);
}

static void test_msgq_check_rejects_a_waiting_receiver_with_a_matching_message_queued(void)
{
	Fx fx;
	fx_init(&fx);
	SimMsgq *q = fx_queue(&fx, 0666);
	CU_ASSERT_EQUAL_FATAL(RECV(&fx, q, 1, 4, 0, 100, NULL), SIM_BLOCKED);
	SimMsg *m = mk(&fx, 4, 10);
	sim_msg_list_insert(&q->msgs, m); /* queued behind the hand-off's back */
	q->qnum = 1;
	q->cbytes = 10;
	CU_ASSERT_FALSE(sim_msgq_check(q));
	fx_done(&fx);
}

static void test_msgq_check_rejects_a_removed_queue_with_waiters(void)
{
	Fx fx;
	fx_init(&fx);
	SimMsgq *q = fx_queue(&fx, 0666);
	CU_ASSERT_EQUAL_FATAL(RECV(&fx, q, 1, 0, 0, 100, NULL), SIM_BLOCKED);
	q->removed = TRUE;
	CU_ASSERT_FALSE(sim_msgq_check(q));
	fx_done(&fx);
}

extern CU_TestInfo msgq_tests[];
CU_TestInfo msgq_tests[] = {
	/* msgget */
	{ "get: IPC_PRIVATE always creates, even twice",
	  test_msgq_get_private_always_creates_even_twice },
	{ "get: an unknown key without IPC_CREAT is ENOENT",
	  test_msgq_get_unknown_key_without_create_is_enoent },
	{ "get: IPC_CREAT|IPC_EXCL on a live key is EEXIST before permissions",
	  test_msgq_get_create_excl_on_a_live_key_is_eexist_before_permissions },
	{ "get: missing permission bits are EACCES",
	  test_msgq_get_missing_permission_bits_are_eacces },
	{ "get: IPC_EXCL without IPC_CREAT is ignored",
	  test_msgq_get_excl_without_create_is_ignored },
	{ "get: a new queue takes mode & 0777, the creator and msgmnb",
	  test_msgq_get_new_queue_takes_mode_owner_and_msgmnb },
	{ "get: beyond msgmni is ENOSPC", test_msgq_get_beyond_msgmni_is_enospc },
	{ "get: IPC_RMID frees the key and the id at once",
	  test_msgq_rmid_frees_the_key_and_the_id_at_once },
	{ "lookup: a stale id is NULL", test_msgq_lookup_of_a_stale_id_is_null },
	/* msgsnd */
	{ "send: the fit test counts messages against qbytes",
	  test_msgq_send_fit_counts_messages_against_qbytes },
	{ "send: the fit test counts bytes against qbytes",
	  test_msgq_send_fit_counts_bytes_against_qbytes },
	{ "send: with qbytes 0 nothing fits", test_msgq_send_with_qbytes_0_nothing_fits },
	{ "send: IPC_NOWAIT on a full queue is EAGAIN",
	  test_msgq_send_nowait_on_a_full_queue_is_eagain },
	{ "send: blocks at the tail of the senders",
	  test_msgq_send_blocks_at_the_tail_of_the_senders },
	{ "send: the 33rd of 512 bytes blocks on a 16384-byte queue",
	  test_msgq_send_33rd_of_512_bytes_blocks_on_a_16384_byte_queue },
	{ "send: without write permission is EACCES",
	  test_msgq_send_without_write_permission_is_eacces },
	{ "send: a woken sender re-checks write permission",
	  test_msgq_a_woken_sender_rechecks_write_permission },
	{ "send: hands off to the first matching receiver",
	  test_msgq_send_hands_off_to_the_first_matching_receiver },
	{ "send: fails smaller matching receivers ahead of the winner with E2BIG",
	  test_msgq_send_fails_smaller_matching_receivers_ahead_of_the_winner_with_e2big },
	{ "send: hands off to a MSG_NOERROR receiver whatever its buffer",
	  test_msgq_send_hands_off_to_a_noerror_receiver_whatever_its_buffer },
	{ "send: a handed message is never stolen by a later receiver",
	  test_msgq_a_handed_message_is_never_stolen_by_a_later_receiver },
	{ "send: a full queue blocks even a message a receiver waits for",
	  test_msgq_a_full_queue_blocks_even_a_message_a_receiver_waits_for },
	/* msgrcv */
	{ "receive: type 0 takes the first message",
	  test_msgq_receive_type_0_takes_the_first_message },
	{ "receive: type > 0 takes the first of that type",
	  test_msgq_receive_positive_type_takes_the_first_of_that_type },
	{ "receive: MSG_EXCEPT takes the first not of that type",
	  test_msgq_receive_except_takes_the_first_not_of_that_type },
	{ "receive: type < 0 takes the lowest type, oldest first",
	  test_msgq_receive_negative_type_takes_the_lowest_type_oldest_first },
	{ "receive: type < 0 prefers lower types queued later",
	  test_msgq_receive_negative_type_prefers_lower_types_queued_later },
	{ "receive: MSG_EXCEPT is ignored for type < 0 and 0",
	  test_msgq_receive_except_is_ignored_for_negative_and_zero_types },
	{ "receive: too big without MSG_NOERROR is E2BIG and the message stays",
	  test_msgq_receive_too_big_without_noerror_is_e2big_and_the_message_stays },
	{ "receive: MSG_NOERROR takes a too big message",
	  test_msgq_receive_noerror_takes_a_too_big_message },
	{ "receive: nothing with IPC_NOWAIT is ENOMSG",
	  test_msgq_receive_nothing_with_nowait_is_enomsg },
	{ "receive: blocks at the tail of the receivers",
	  test_msgq_receive_blocks_at_the_tail_of_the_receivers },
	{ "receive: without read permission is EACCES",
	  test_msgq_receive_without_read_permission_is_eacces },
	{ "receive: typed receivers are served as in semantics 1.7",
	  test_msgq_typed_receivers_are_served_as_in_semantics_1_7 },
	/* sender scan */
	{ "scan: a receive wakes every sender that fits and keeps them listed",
	  test_msgq_a_receive_wakes_every_sender_that_fits_and_keeps_them_listed },
	{ "scan: woken senders race and the losers re-block at the tail",
	  test_msgq_woken_senders_race_and_the_losers_reblock_at_the_tail },
	{ "scan: a sender that does not fit moves to the tail unwoken",
	  test_msgq_the_scan_moves_a_sender_that_does_not_fit_to_the_tail_unwoken },
	{ "scan: a small later sender overtakes a big earlier one",
	  test_msgq_a_small_later_sender_overtakes_a_big_earlier_one },
	{ "scan: a new sender that fits barges in ahead of blocked senders",
	  test_msgq_a_new_sender_that_fits_barges_in_ahead_of_blocked_senders },
	{ "scan: a hand-off does not run the sender scan",
	  test_msgq_a_hand_off_does_not_run_the_sender_scan },
	/* IPC_SET */
	{ "set: changes qbytes, owner, mode and ctime",
	  test_msgq_set_changes_qbytes_owner_mode_and_ctime },
	{ "set: wakes every blocked receiver and keeps them listed",
	  test_msgq_set_wakes_every_blocked_receiver_and_keeps_them_listed },
	{ "set: a send still hands off to a woken receiver that has not run",
	  test_msgq_a_send_still_hands_off_to_a_set_woken_receiver_that_has_not_run },
	{ "set: a woken receiver with nothing for it re-queues at the tail",
	  test_msgq_a_set_woken_receiver_with_nothing_for_it_requeues_at_the_tail },
	{ "set: a woken receiver with only other types queued waits again",
	  test_msgq_a_set_woken_receiver_with_only_other_types_queued_waits_again },
	{ "set: a woken receiver re-checks read permission",
	  test_msgq_a_set_woken_receiver_rechecks_read_permission },
	{ "set: runs the sender scan", test_msgq_set_runs_the_sender_scan },
	/* IPC_RMID */
	{ "remove: fails every waiter with EIDRM and frees the messages",
	  test_msgq_remove_fails_every_waiter_with_eidrm_and_frees_the_messages },
	{ "remove: fails woken waiters that have not run with EIDRM",
	  test_msgq_remove_fails_woken_waiters_that_have_not_run_with_eidrm },
	/* signals */
	{ "signal: ends a blocked receive with EINTR",
	  test_msgq_a_signal_ends_a_blocked_receive_with_eintr },
	{ "signal: ends a blocked send with EINTR",
	  test_msgq_a_signal_ends_a_blocked_send_with_eintr },
	{ "signal: a woken sender with a signal pending returns EINTR without sending",
	  test_msgq_a_woken_sender_with_a_signal_pending_returns_eintr_without_sending },
	{ "signal: a message handed before the signal wins over EINTR",
	  test_msgq_a_message_handed_before_the_signal_wins_over_eintr },
	{ "signal: a message handed before the receiver runs wins over EINTR",
	  test_msgq_a_message_handed_after_the_signal_but_before_the_receiver_runs_wins },
	{ "signal: interrupting a receiver woken with E2BIG keeps E2BIG",
	  test_msgq_interrupting_a_receiver_woken_with_e2big_keeps_e2big },
	/* sim_msgq_check */
	{ "check: rejects counts that disagree with the messages",
	  test_msgq_check_rejects_counts_that_disagree_with_the_messages },
	{ "check: rejects a waiting receiver with a matching message queued",
	  test_msgq_check_rejects_a_waiting_receiver_with_a_matching_message_queued },
	{ "check: rejects a removed queue with waiters",
	  test_msgq_check_rejects_a_removed_queue_with_waiters },
	CU_TEST_INFO_NULL,
};
