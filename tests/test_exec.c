/* test_exec.c — `msgsim exec`'s decoder: the four calls as registers and guest memory.
 *
 * The "guest" here is this process itself (process_vm_readv/writev work on one's own pid),
 * so every path of the decoder runs without seccomp, namespaces or a second process; the
 * answer it would send is read back from the run's record of its last answer.
 */
#undef _POSIX_C_SOURCE
#define _GNU_SOURCE

#include <CUnit/CUnit.h>
#include <errno.h>
#include <fcntl.h>
#include <mqueue.h>
#include <signal.h>
#include <time.h>
#include <stdint.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/msg.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

#include "exec/exec_int.h"
#include "msgsim/calls/footprint.h"
#include "tests.h"

static SimExecOptions quiet_opt = { .quiet = TRUE };

struct tmsg {
	long mtype;
	char mtext[32];
};

static SimExec *fixture(void)
{
	static SimExec x;
	sim_exec_model_init(&x, &quiet_opt, stdout);
	for (int i = 0; i < 2; i++) {
		SimGuest *g = sim_exec_guest_add(&x);
		g->pid = getpid();
		g->nspid = 2 + i;
		g->name = g_strdup_printf("%d self", 2 + i);
		g->listener = g->pidfd = g->errpipe = -1;
		sim_exec_task_init(&x, g, NULL);
		g->task->pid = g->nspid;
		sim_exec_task_park(&x, g);
	}
	return &x;
}

/* Guest g stops at a new call and is picked, as the loop does before it serves one. */
static void pick(SimExec *x, SimGuest *g)
{
	sim_exec_task_park(x, g);
	sim_exec_task_run(x, g);
}

/* Puts the call nr(args) in guest i's notification, as the filter would, and picks the
 * guest; the errno answered will be in x->last_err (-1 until it is served). */
static SimGuest *load_call(SimExec *x, int i, int nr, guint64 a0, guint64 a1, guint64 a2,
			   guint64 a3, guint64 a4)
{
	SimGuest *g = sim_exec_guest(x, i);
	memset(&g->notif, 0, sizeof g->notif);
	g->notif.data.nr = nr;
	g->notif.data.args[0] = a0;
	g->notif.data.args[1] = a1;
	g->notif.data.args[2] = a2;
	g->notif.data.args[3] = a3;
	g->notif.data.args[4] = a4;
	pick(x, g);
	x->last_err = -1;
	return g;
}

/* Makes guest i call nr(args) and serves it; returns the errno answered (0: a value). */
static int call(SimExec *x, int i, int nr, guint64 a0, guint64 a1, guint64 a2, guint64 a3,
		guint64 a4)
{
	sim_exec_serve_sysv(x, load_call(x, i, nr, a0, a1, a2, a3, a4), FALSE);
	return x->last_err;
}

#define ADDR(p) ((guint64)(uintptr_t)(p))

static int make_queue(SimExec *x)
{
	CU_ASSERT_EQUAL(call(x, 0, __NR_msgget, IPC_PRIVATE, IPC_CREAT | 0600, 0, 0, 0), 0);
	return (int)x->last_val;
}

static void test_exec_msgget_follows_the_kernels_errors(void)
{
	SimExec *x = fixture();
	CU_ASSERT_EQUAL(call(x, 0, __NR_msgget, 0x1234, 0600, 0, 0, 0), ENOENT);
	CU_ASSERT_EQUAL(call(x, 0, __NR_msgget, 0x1234, IPC_CREAT | IPC_EXCL | 0600, 0, 0, 0), 0);
	CU_ASSERT_EQUAL(x->last_val, 0);
	CU_ASSERT_EQUAL(call(x, 0, __NR_msgget, 0x1234, IPC_CREAT | IPC_EXCL | 0600, 0, 0, 0),
			EEXIST);
	CU_ASSERT_EQUAL(call(x, 1, __NR_msgget, 0x1234, 0, 0, 0, 0), 0);
	sim_exec_model_clear(x);
}

static void test_exec_msgsnd_checks_in_the_kernels_order(void)
{
	SimExec *x = fixture();
	int q = make_queue(x);
	struct tmsg m = { .mtype = 0, .mtext = "x" };
	/* An unreadable mtype is EFAULT before the size and the id are looked at. */
	CU_ASSERT_EQUAL(call(x, 0, __NR_msgsnd, (guint64)-1, 16, 100000, 0, 0), EFAULT);
	CU_ASSERT_EQUAL(call(x, 0, __NR_msgsnd, (guint64)q, ADDR(&m), 100000, 0, 0), EINVAL);
	CU_ASSERT_EQUAL(call(x, 0, __NR_msgsnd, (guint64)-1, ADDR(&m), 4, 0, 0), EINVAL);
	CU_ASSERT_EQUAL(call(x, 0, __NR_msgsnd, (guint64)q, ADDR(&m), 4, 0, 0), EINVAL); /* type 0 */
	m.mtype = 3;
	CU_ASSERT_EQUAL(call(x, 0, __NR_msgsnd, (guint64)q + 1, ADDR(&m), 4, 0, 0), EINVAL);
	CU_ASSERT_EQUAL(call(x, 0, __NR_msgsnd, (guint64)q, ADDR(&m), 4, 0, 0), 0);
	CU_ASSERT_EQUAL(x->last_val, 0);
	sim_exec_model_clear(x);
}

static void test_exec_a_full_queue_gives_eagain_or_blocks(void)
{
	SimExec *x = fixture();
	int q = make_queue(x);
	g_autofree char *big = g_malloc0(8 + 8192);
	*(long *)(void *)big = 1;
	CU_ASSERT_EQUAL(call(x, 0, __NR_msgsnd, (guint64)q, ADDR(big), 8192, 0, 0), 0);
	CU_ASSERT_EQUAL(call(x, 0, __NR_msgsnd, (guint64)q, ADDR(big), 8192, 0, 0), 0);
	CU_ASSERT_EQUAL(call(x, 0, __NR_msgsnd, (guint64)q, ADDR(big), 1, IPC_NOWAIT, 0), EAGAIN);
	/* Without IPC_NOWAIT nothing is answered: the guest waits in the model. */
	CU_ASSERT_EQUAL(call(x, 0, __NR_msgsnd, (guint64)q, ADDR(big), 1, 0, 0), -1);
	CU_ASSERT_EQUAL(sim_exec_guest(x, 0)->task->state, SIM_STATE_BLOCKED);
	CU_ASSERT_STRING_EQUAL(sim_exec_guest(x, 0)->task->wait_why, "msgsnd");
	/* A receive makes room: the sender is woken, and its call finishes when picked. */
	CU_ASSERT_EQUAL(call(x, 1, __NR_msgrcv, (guint64)q, ADDR(big), 8192, 0, 0), 0);
	CU_ASSERT_TRUE(sim_exec_woken(sim_exec_guest(x, 0)));
	x->last_err = -1;
	sim_exec_serve_sysv(x, sim_exec_guest(x, 0), TRUE);
	CU_ASSERT_EQUAL(x->last_err, 0);
	sim_exec_model_clear(x);
}

static void test_exec_msgrcv_errors_and_noerror(void)
{
	SimExec *x = fixture();
	int q = make_queue(x);
	struct tmsg m = { .mtype = 5, .mtext = "hello" };
	struct tmsg out;
	memset(&out, 0, sizeof out);
	CU_ASSERT_EQUAL(call(x, 0, __NR_msgrcv, (guint64)q, ADDR(&out), 32, 0, IPC_NOWAIT),
			ENOMSG);
	CU_ASSERT_EQUAL(call(x, 0, __NR_msgrcv, (guint64)-1, ADDR(&out), 32, 0, 0), EINVAL);
	CU_ASSERT_EQUAL(call(x, 0, __NR_msgrcv, (guint64)q, ADDR(&out), (guint64)-1, 0, 0), EINVAL);
	CU_ASSERT_EQUAL(call(x, 0, __NR_msgsnd, (guint64)q, ADDR(&m), 32, 0, 0), 0);
	CU_ASSERT_EQUAL(call(x, 0, __NR_msgrcv, (guint64)q, ADDR(&out), 4, 0, IPC_NOWAIT), E2BIG);
	CU_ASSERT_EQUAL(call(x, 0, __NR_msgrcv, (guint64)q, ADDR(&out), 4, 5, MSG_EXCEPT | IPC_NOWAIT),
			ENOMSG);
	CU_ASSERT_EQUAL(call(x, 0, __NR_msgrcv, (guint64)q, ADDR(&out), 4, 0,
			     MSG_NOERROR | IPC_NOWAIT),
			0);
	CU_ASSERT_EQUAL(x->last_val, 4);
	CU_ASSERT_EQUAL(out.mtype, 5);
	CU_ASSERT_EQUAL(memcmp(out.mtext, "hell", 4), 0);
	CU_ASSERT_EQUAL(out.mtext[4], '\0'); /* the cut bytes are not copied */
	sim_exec_model_clear(x);
}

static void test_exec_a_blocked_receiver_gets_the_hand_off_or_eidrm(void)
{
	SimExec *x = fixture();
	int q = make_queue(x);
	struct tmsg m = { .mtype = 2, .mtext = "Zoro" }, out;
	memset(&out, 0, sizeof out);
	CU_ASSERT_EQUAL(call(x, 1, __NR_msgrcv, (guint64)q, ADDR(&out), 32, 2, 0), -1);
	CU_ASSERT_EQUAL(sim_exec_guest(x, 1)->task->state, SIM_STATE_BLOCKED);
	CU_ASSERT_EQUAL(call(x, 0, __NR_msgsnd, (guint64)q, ADDR(&m), 32, 0, 0), 0);
	CU_ASSERT_TRUE(sim_exec_woken(sim_exec_guest(x, 1)));
	sim_exec_serve_sysv(x, sim_exec_guest(x, 1), TRUE);
	CU_ASSERT_EQUAL(x->last_err, 0);
	CU_ASSERT_EQUAL(x->last_val, 32);
	CU_ASSERT_STRING_EQUAL(out.mtext, "Zoro");
	/* Blocked again, then the queue is removed under it. */
	CU_ASSERT_EQUAL(call(x, 1, __NR_msgrcv, (guint64)q, ADDR(&out), 32, 2, 0), -1);
	CU_ASSERT_EQUAL(call(x, 0, __NR_msgctl, (guint64)q, IPC_RMID, 0, 0, 0), 0);
	CU_ASSERT_TRUE(sim_exec_woken(sim_exec_guest(x, 1)));
	sim_exec_serve_sysv(x, sim_exec_guest(x, 1), TRUE);
	CU_ASSERT_EQUAL(x->last_err, EIDRM);
	sim_exec_model_clear(x);
}

static void test_exec_msgctl_paths(void)
{
	SimExec *x = fixture();
	int q = make_queue(x);
	struct msqid_ds ds;
	struct msginfo mi;
	struct tmsg m = { .mtype = 1, .mtext = "a" };
	CU_ASSERT_EQUAL(call(x, 0, __NR_msgsnd, (guint64)q, ADDR(&m), 10, 0, 0), 0);
	CU_ASSERT_EQUAL(call(x, 1, __NR_msgctl, (guint64)q, IPC_STAT, ADDR(&ds), 0, 0), 0);
	CU_ASSERT_EQUAL(ds.msg_qnum, 1);
	CU_ASSERT_EQUAL(ds.__msg_cbytes, 10);
	CU_ASSERT_EQUAL(ds.msg_lspid, 2); /* the sender's pid in the guests' namespace */
	CU_ASSERT_EQUAL(call(x, 1, __NR_msgctl, (guint64)q, IPC_STAT, 16, 0, 0), EFAULT);
	CU_ASSERT_EQUAL(call(x, 1, __NR_msgctl, (guint64)q, 99, ADDR(&ds), 0, 0), EINVAL);
	CU_ASSERT_EQUAL(call(x, 1, __NR_msgctl, 0, IPC_INFO, ADDR(&mi), 0, 0), 0);
	CU_ASSERT_EQUAL(mi.msgmax, 8192);
	CU_ASSERT_EQUAL(call(x, 1, __NR_msgctl, 0, MSG_INFO, ADDR(&mi), 0, 0), 0);
	CU_ASSERT_EQUAL(mi.msgmap, 1); /* messages queued */
	/* IPC_SET above msgmnb needs CAP_SYS_RESOURCE. */
	sim_exec_guest(x, 1)->task->cred.caps = 0;
	sim_exec_guest(x, 1)->task->cred.uid = 0;
	ds.msg_qbytes = 1 << 20;
	CU_ASSERT_EQUAL(call(x, 1, __NR_msgctl, (guint64)q, IPC_SET, ADDR(&ds), 0, 0), EPERM);
	CU_ASSERT_EQUAL(call(x, 1, __NR_msgctl, (guint64)q, IPC_RMID, 0, 0, 0), 0);
	CU_ASSERT_EQUAL(call(x, 1, __NR_msgctl, (guint64)q, IPC_RMID, 0, 0, 0), EINVAL);
	sim_exec_model_clear(x);
}

/* ---- Expectations (expect.c) ---- */

/* ---- POSIX queues (posix.c): the checks before a descriptor is needed ---- */

static int mqcall(SimExec *x, int nr, guint64 a0, guint64 a1, guint64 a2, guint64 a3,
		  guint64 a4)
{
	SimGuest *g = sim_exec_guest(x, 0);
	memset(&g->notif, 0, sizeof g->notif);
	g->notif.data.nr = nr;
	guint64 a[] = { a0, a1, a2, a3, a4 };
	memcpy(g->notif.data.args, a, sizeof a);
	pick(x, g);
	x->last_err = -1;
	sim_exec_serve_mq(x, g, FALSE);
	return x->last_err;
}

static void test_exec_mq_open_and_unlink_follow_the_kernels_errors(void)
{
	SimExec *x = fixture();
	struct mq_attr a = { .mq_maxmsg = 2, .mq_msgsize = 16 }, zero = { 0 };
	guint64 bad = 8;
	CU_ASSERT_EQUAL(mqcall(x, __NR_mq_open, ADDR("q"), O_RDWR, 0, 0, 0), ENOENT);
	CU_ASSERT_EQUAL(mqcall(x, __NR_mq_open, ADDR("q"), O_RDWR | O_CREAT, 0600, bad, 0), EFAULT);
	CU_ASSERT_EQUAL(mqcall(x, __NR_mq_open, bad, O_RDWR | O_CREAT, 0600, ADDR(&a), 0), EFAULT);
	CU_ASSERT_EQUAL(mqcall(x, __NR_mq_open, ADDR(""), O_RDWR | O_CREAT, 0600, 0, 0), ENOENT);
	CU_ASSERT_EQUAL(mqcall(x, __NR_mq_open, ADDR("a/b"), O_RDWR | O_CREAT, 0600, 0, 0), EACCES);
	CU_ASSERT_EQUAL(mqcall(x, __NR_mq_open, ADDR("q"), O_RDWR | O_CREAT, 0600, ADDR(&zero), 0),
			EINVAL);
	/* The queue is made; the descriptor cannot be installed here (no listener), so the
	 * call fails as an open without a free descriptor would, and the queue stays. */
	CU_ASSERT_NOT_EQUAL(mqcall(x, __NR_mq_open, ADDR("q"), O_RDWR | O_CREAT, 0600, ADDR(&a), 0),
			    0);
	CU_ASSERT_EQUAL(mqcall(x, __NR_mq_open, ADDR("q"), O_RDWR | O_CREAT | O_EXCL, 0600, 0, 0),
			EEXIST);
	CU_ASSERT_EQUAL(mqcall(x, __NR_mq_open, ADDR("q"), O_RDWR | O_WRONLY, 0, 0, 0), EINVAL);
	g_autoptr(GString) line = g_string_new(NULL);
	CU_ASSERT_TRUE(sim_exec_mq_file(x, "/dev/mqueue/q", line));
	CU_ASSERT_STRING_EQUAL(line->str, "QSIZE:0          NOTIFY:0     SIGNO:0     NOTIFY_PID:0     \n");
	CU_ASSERT_FALSE(sim_exec_mq_file(x, "/dev/mqueue/r", line));
	CU_ASSERT_EQUAL(mqcall(x, __NR_mq_unlink, bad, 0, 0, 0, 0), EFAULT);
	CU_ASSERT_EQUAL(mqcall(x, __NR_mq_unlink, ADDR("a/b"), 0, 0, 0, 0), EACCES);
	CU_ASSERT_EQUAL(mqcall(x, __NR_mq_unlink, ADDR("q"), 0, 0, 0, 0), 0);
	CU_ASSERT_EQUAL(mqcall(x, __NR_mq_unlink, ADDR("q"), 0, 0, 0, 0), ENOENT);
	CU_ASSERT_FALSE(sim_exec_mq_file(x, "/dev/mqueue/q", line));
	sim_exec_model_clear(x);
}

/* Before the descriptor: the timeout (EFAULT, EINVAL), the priority, the sigevent, the
 * attr's flags; then a descriptor that is no queue (standard input here) is EBADF. */
static void test_exec_mq_calls_check_before_the_descriptor(void)
{
	SimExec *x = fixture();
	struct timespec badts = { 0, -1 }, ok = { 0, 0 };
	struct mq_attr badattr = { .mq_flags = O_APPEND }, attr;
	struct sigevent odd = { .sigev_notify = 99 }, none = { .sigev_notify = SIGEV_NONE };
	char buf[16] = "x";
	guint64 bad = 8;
	CU_ASSERT_EQUAL(mqcall(x, __NR_mq_timedsend, 0, ADDR(buf), 1, 0, bad), EFAULT);
	CU_ASSERT_EQUAL(mqcall(x, __NR_mq_timedsend, 0, ADDR(buf), 1, 0, ADDR(&badts)), EINVAL);
	CU_ASSERT_EQUAL(mqcall(x, __NR_mq_timedsend, 0, ADDR(buf), 1, 32768, ADDR(&ok)), EINVAL);
	CU_ASSERT_EQUAL(mqcall(x, __NR_mq_timedsend, 0, ADDR(buf), 1, 32767, ADDR(&ok)), EBADF);
	CU_ASSERT_EQUAL(mqcall(x, __NR_mq_timedreceive, 0, ADDR(buf), 16, 0, ADDR(&badts)), EINVAL);
	CU_ASSERT_EQUAL(mqcall(x, __NR_mq_timedreceive, 0, ADDR(buf), 16, 0, 0), EBADF);
	CU_ASSERT_EQUAL(mqcall(x, __NR_mq_getsetattr, 0, bad, 0, 0, 0), EFAULT);
	CU_ASSERT_EQUAL(mqcall(x, __NR_mq_getsetattr, 0, ADDR(&badattr), 0, 0, 0), EINVAL);
	CU_ASSERT_EQUAL(mqcall(x, __NR_mq_getsetattr, 0, 0, ADDR(&attr), 0, 0), EBADF);
	CU_ASSERT_EQUAL(mqcall(x, __NR_mq_notify, 0, bad, 0, 0, 0), EFAULT);
	CU_ASSERT_EQUAL(mqcall(x, __NR_mq_notify, 0, ADDR(&odd), 0, 0, 0), EINVAL);
	CU_ASSERT_EQUAL(mqcall(x, __NR_mq_notify, 0, ADDR(&none), 0, 0, 0), EBADF);
	CU_ASSERT_EQUAL(mqcall(x, __NR_mq_notify, 99, 0, 0, 0, 0), EBADF);
	sim_exec_model_clear(x);
}

/* Guest i stops at nr(args) and its footprint, as a choice point would take it, is fp. */
static void footprint_of(SimExec *x, int i, int nr, guint64 a0, guint64 a1, SimFootprint *fp)
{
	SimGuest *g = sim_exec_guest(x, i);
	memset(&g->notif, 0, sizeof g->notif);
	g->notif.data.nr = nr;
	g->notif.data.args[0] = a0;
	g->notif.data.args[1] = a1;
	sim_exec_footprint(x, g, fp);
}

static gboolean conflict(SimExec *x, int nr0, guint64 a0, guint64 b0, int nr1, guint64 a1,
			 guint64 b1)
{
	SimFootprint f0, f1;
	footprint_of(x, 0, nr0, a0, b0, &f0);
	footprint_of(x, 1, nr1, a1, b1, &f1);
	CU_ASSERT_FALSE(f0.everything || f1.everything);
	return sim_footprint_conflicts(&f0, &f1);
}

/* Two guests' POSIX calls on different queues commute; on the same queue they do not. A
 * descriptor names its queue through the run's placeholders (here pipes of this process,
 * which plays both guests); a name, through the namespace. */
static void test_exec_mq_footprints_part_queues(void)
{
	SimExec *x = fixture();
	SimMqueue *a = NULL, *b = NULL;
	const SimCred *cred = &sim_exec_guest(x, 0)->task->cred;
	CU_ASSERT_EQUAL(sim_mqueue_open(&x->w->ipcns, x->w->mqueues, "/a", SIM_O_CREAT | SIM_O_RDWR,
					0600, 4, 16, cred, G_MAXINT64, &a), 0);
	CU_ASSERT_EQUAL(sim_mqueue_open(&x->w->ipcns, x->w->mqueues, "/b", SIM_O_CREAT | SIM_O_RDWR,
					0600, 4, 16, cred, G_MAXINT64, &b), 0);
	int pa[2], pb[2];
	CU_ASSERT_FATAL(pipe2(pa, O_CLOEXEC) == 0 && pipe2(pb, O_CLOEXEC) == 0);
	sim_exec_mq_describe(x, a, O_RDWR, pa[0]);
	sim_exec_mq_describe(x, b, O_RDWR, pb[0]);
	guint64 fa = (guint64)pa[1], fb = (guint64)pb[1];
	struct mq_attr attr = { 0 };
	/* Descriptors: send, receive, notify, setattr change their queue; getattr reads it. */
	CU_ASSERT_FALSE(conflict(x, __NR_mq_timedsend, fa, 0, __NR_mq_timedreceive, fb, 0));
	CU_ASSERT_FALSE(conflict(x, __NR_mq_timedsend, fa, 0, __NR_mq_timedsend, fb, 0));
	CU_ASSERT_FALSE(conflict(x, __NR_mq_notify, fa, 0, __NR_mq_timedreceive, fb, 0));
	CU_ASSERT_TRUE(conflict(x, __NR_mq_timedsend, fa, 0, __NR_mq_timedreceive, fa, 0));
	CU_ASSERT_TRUE(conflict(x, __NR_mq_timedreceive, fb, 0, __NR_mq_timedreceive, fb, 0));
	CU_ASSERT_TRUE(conflict(x, __NR_mq_notify, fb, 0, __NR_mq_timedsend, fb, 0));
	CU_ASSERT_FALSE(conflict(x, __NR_mq_getsetattr, fa, 0, __NR_mq_getsetattr, fa, 0));
	CU_ASSERT_TRUE(conflict(x, __NR_mq_getsetattr, fa, ADDR(&attr), __NR_mq_getsetattr, fa, 0));
	CU_ASSERT_FALSE(conflict(x, __NR_mq_getsetattr, fa, ADDR(&attr), __NR_mq_timedsend, fb, 0));
	/* Names: opening a queue that is there touches it alone; an unlink changes the name
	 * and the table; two opens that create conflict even on different names. */
	CU_ASSERT_FALSE(conflict(x, __NR_mq_open, ADDR("a"), O_RDWR, __NR_mq_unlink, ADDR("b"), 0));
	CU_ASSERT_FALSE(conflict(x, __NR_mq_open, ADDR("a"), O_RDWR, __NR_mq_timedsend, fb, 0));
	CU_ASSERT_FALSE(conflict(x, __NR_mq_open, ADDR("a"), O_RDWR | O_CREAT, __NR_mq_open,
				 ADDR("c"), O_RDWR | O_CREAT));
	CU_ASSERT_TRUE(conflict(x, __NR_mq_open, ADDR("a"), O_RDWR, __NR_mq_unlink, ADDR("a"), 0));
	CU_ASSERT_TRUE(conflict(x, __NR_mq_open, ADDR("a"), O_RDWR, __NR_mq_timedsend, fa, 0));
	CU_ASSERT_TRUE(conflict(x, __NR_mq_open, ADDR("c"), O_RDWR, __NR_mq_open, ADDR("c"),
				O_RDWR | O_CREAT));
	CU_ASSERT_TRUE(conflict(x, __NR_mq_open, ADDR("c"), O_RDWR | O_CREAT, __NR_mq_open,
				ADDR("d"), O_RDWR | O_CREAT));
	CU_ASSERT_TRUE(conflict(x, __NR_mq_unlink, ADDR("a"), 0, __NR_mq_open, ADDR("d"),
				O_RDWR | O_CREAT));
	close(pa[1]);
	close(pb[1]);
	sim_exec_model_clear(x);
}

static void parse_fails(const char *text, const char *want)
{
	g_autoptr(GError) error = NULL;
	SimExecExpect *ex = sim_exec_expect_parse("t.expect", text, &error);
	CU_ASSERT_PTR_NULL(ex);
	sim_exec_expect_free(ex);
	CU_ASSERT_PTR_NOT_NULL_FATAL(error);
	if (strcmp(error->message, want) != 0)
		fprintf(stderr, "\n  got: %s\n  want: %s\n", error->message, want);
	CU_ASSERT_STRING_EQUAL(error->message, want);
}

/* The file is a scenario file in the parser's programs mode: its errors are the language's. */
static void test_exec_expect_file_errors_name_the_place(void)
{
	parse_fails("send x\n", "t.expect:1:1: error: expected 'expect' (an expectations file of "
				 "msgsim exec holds expect lines, param and include only: the "
				 "programs are its processes), found 'send'");
	parse_fails("\n  expect p exit=300\n", "t.expect:2:17: error: bad exit status '300': "
						"expected a whole number from 0 to 255");
	parse_fails("expect p received [\"a\" from]", "t.expect:1:28: error: expected a process "
							"name after 'from', found ']'");
	parse_fails("expect p received [1 \"a\" frm x]",
		    "t.expect:1:26: error: expected ',' or ']' in the list after 'received', "
		    "found 'frm'");
	parse_fails("expect key=0x2a qnum=x", "t.expect:1:22: error: expected a number after "
					       "'qnum=', found 'x'");
	parse_fails("expect no dead", "t.expect:1:11: error: expected 'deadlock' after 'expect "
				      "no', found 'dead'");
	parse_fails("expect p state=asleep", "t.expect:1:16: error: bad state 'asleep': expected "
					      "new, ready, running, blocked, sleeping, exited or "
					      "stopped");
	/* The old file's killed=KILL: the language's names start with SIG, and it says so. */
	parse_fails("expect p killed=KILL", "t.expect:1:17: error: unknown signal 'KILL' "
					    "(expected a standard signal's name, SIGHUP to SIGSYS, "
					    "as signal(7) lists them): did you mean 'SIGKILL'?");
	/* The words exec adds to the language, and what a program cannot be asked. */
	parse_fails("expect p calls [msgrecv ret=1]",
		    "t.expect:1:17: error: unknown call 'msgrecv' (expected msgget, msgsnd, msgrcv, "
		    "msgctl, mq_open, mq_unlink, mq_send, mq_timedsend, mq_receive, "
		    "mq_timedreceive, mq_notify, mq_getattr or mq_setattr): did you mean "
		    "'msgrcv'?");
	parse_fails("expect p calls [msgrcv]", "t.expect:1:23: error: expected ret=N or "
						"errno=ENAME after 'msgrcv', found ']'");
	parse_fails("expect p calls [msgrcv errno=ENOMSG ret=0]",
		    "t.expect:1:37: error: ret=0 cannot hold with errno=ENOMSG: a call that fails "
		    "returns -1");
	parse_fails("expect msqid=1", "t.expect:1:15: error: expected a statistic like qnum=N "
				      "after 'expect msqid=1', found end of file");
	parse_fails("expect p@got ok", "t.expect:1:8: error: expected received, exit=, killed=, "
				       "state=, calls, a queue, deadlock or time after 'expect' in "
				       "an expectations file of msgsim exec: a program's calls have "
				       "no labels: expect PROG calls [...] checks them");
	parse_fails("expect possible p exit=0",
		    "t.expect:1:8: error: expected a plain expectation: msgsim exec judges each "
		    "run, and explore --exec reads every line as always (no possible, no "
		    "outcomes)");
}

/* Judges text on x as it stands; the report lines of a text sink in *out. */
static guint judge(SimExec *x, const char *text, SimExecStatus st, GString *out)
{
	g_autoptr(GError) error = NULL;
	SimExecExpect *ex = sim_exec_expect_parse("t.expect", text, &error);
	CU_ASSERT_PTR_NOT_NULL_FATAL(ex);
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	SimTrace *tr = sim_trace_new();
	sim_trace_add_sink(tr, SIM_TRACE_TEXT, f, FALSE, TRUE);
	guint passed, failed;
	sim_exec_expect_judge(x, ex, st, tr, &passed, &failed);
	sim_trace_flush(tr);
	sim_trace_free(tr);
	fclose(f);
	g_string_assign(out, buf);
	free(buf);
	sim_exec_expect_free(ex);
	return failed;
}

static void test_exec_expectations_judge_the_run(void)
{
	static SimExecOptions judged = { .quiet = TRUE, .expect_file = "t.expect" };
	SimExec *x = fixture();
	x->opt = &judged; /* a run with expectations keeps what its programs received */
	int q = make_queue(x);
	struct tmsg m = { .mtype = 2, .mtext = "Zoro" }, out;
	CU_ASSERT_EQUAL(call(x, 0, __NR_msgsnd, (guint64)q, ADDR(&m), 32, 0, 0), 0);
	CU_ASSERT_EQUAL(call(x, 0, __NR_msgsnd, (guint64)q, ADDR(&m), 32, 0, 0), 0);
	CU_ASSERT_EQUAL(call(x, 1, __NR_msgrcv, (guint64)q, ADDR(&out), 32, 2, 0), 0);
	sim_exec_guest(x, 0)->status = 3 << 8;
	sim_exec_task_gone(x, sim_exec_guest(x, 0));
	g_autoptr(GString) s = g_string_new(NULL);
	/* Both programs are named "self": a name is ambiguous, a pid is not. */
	CU_ASSERT_EQUAL(judge(x,
			      "expect 3 received [2 \"Zoro\" from 2]\n"
			      "expect 2 exit=3\n"
			      "expect msqid=0 qnum=1 cbytes=32 removed=no\n"
			      "expect no deadlock\n",
			      SIM_EXEC_DONE, s),
			0);
	CU_ASSERT_EQUAL(judge(x,
			      "expect self exit=0\n"
			      "expect 3 received [1 \"Zoro\"]\n"
			      "expect 3 exit=0\n"
			      "expect key=7 qnum=0\n"
			      "expect deadlock\n",
			      SIM_EXEC_DONE, s),
			5);
	CU_ASSERT_STRING_EQUAL(
		s->str,
		"-- expect (line 1) FAIL: self exit=0; seen: 2 programs are named self: name one "
		"by its pid\n"
		"-- expect (line 2) FAIL: 3 received [1 \"Zoro\"]; seen: received [2 \"Zoro\" from "
		"2]\n"
		"-- expect (line 3) FAIL: 3 exit=0; seen: state=running\n"
		"-- expect (line 4) FAIL: key=7 qnum=0; seen: no queue with key 0x00000007\n"
		"-- expect (line 5) FAIL: deadlock; seen: no deadlock\n");
	/* Each program's calls of the model, with their results, in order. */
	CU_ASSERT_EQUAL(judge(x,
			      "expect 2 calls [msgget ret=0, msgsnd ret=0, msgsnd ret=0]\n"
			      "expect 3 calls [msgrcv ret=32]\n"
			      "expect 3 calls [msgrcv errno=ENOMSG]\n",
			      SIM_EXEC_DONE, s),
			1);
	CU_ASSERT_PTR_NOT_NULL(strstr(s->str, "-- expect (line 3) FAIL: 3 calls [msgrcv "
					      "errno=ENOMSG]; seen: calls [msgrcv ret=32]\n"));
	/* What --record writes holds on the same run. */
	g_autoptr(GString) rec = g_string_new(NULL);
	sim_exec_record(x, SIM_EXEC_DONE, rec);
	CU_ASSERT_PTR_NOT_NULL(strstr(rec->str, "expect 3 received [2 \"Zoro\" from 2]\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(rec->str, "expect 3 calls [msgrcv ret=32]\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(rec->str, "expect 3 state=running\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(rec->str, "expect msqid=0 qnum=1 cbytes=32 qbytes=16384 "
						"removed=no\n"));
	CU_ASSERT_EQUAL(judge(x, rec->str, SIM_EXEC_DONE, s), 0);
	/* A program a signal ended: its task says so, judged as run judges a process. */
	sim_exec_guest(x, 1)->status = SIGKILL;
	sim_exec_task_gone(x, sim_exec_guest(x, 1));
	CU_ASSERT_EQUAL(judge(x, "expect 3 killed=SIGKILL\nexpect 3 exit=0\nexpect 2 killed=SIGKILL\n",
			      SIM_EXEC_DONE, s),
			2);
	CU_ASSERT_STRING_EQUAL(s->str, "-- expect (line 1) PASS: 3 killed=SIGKILL\n"
				       "-- expect (line 2) FAIL: 3 exit=0; seen: killed=SIGKILL\n"
				       "-- expect (line 3) FAIL: 2 killed=SIGKILL; seen: exit=3\n");
	sim_exec_model_clear(x);
}

/* state=STATE, the scenario language's form, judged on the program's task by report.c. */
static void test_exec_expect_state_reads_the_programs_task(void)
{
	SimExec *x = fixture();
	pick(x, sim_exec_guest(x, 0));
	sim_exec_task_block(x, sim_exec_guest(x, 0), "msgrcv");
	sim_exec_guest(x, 1)->status = 0;
	sim_exec_task_gone(x, sim_exec_guest(x, 1));
	g_autoptr(GString) s = g_string_new(NULL);
	CU_ASSERT_EQUAL(judge(x, "expect 3 state=exited\nexpect 2 state=blocked\n"
				 "expect 2 state=exited\n",
			      SIM_EXEC_DEADLOCK, s),
			1);
	CU_ASSERT_STRING_EQUAL(s->str, "-- expect (line 1) PASS: 3 state=exited\n"
				       "-- expect (line 2) PASS: 2 state=blocked\n"
				       "-- expect (line 3) FAIL: 2 state=exited; seen: state=blocked\n");
	sim_exec_model_clear(x);
}

/* The calls as events: a JSON Lines sink gets them as it gets a scenario's. */
static void test_exec_calls_reach_the_engines_sinks(void)
{
	SimExec *x = fixture();
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	x->out = f;
	g_autoptr(GError) error = NULL;
	CU_ASSERT_FALSE(sim_exec_events_open(x, "svg", NULL, &error));
	CU_ASSERT_TRUE(sim_exec_events_open(x, "jsonl", NULL, NULL));
	int q = make_queue(x);
	struct tmsg m = { .mtype = 5, .mtext = "hi" }, out;
	CU_ASSERT_EQUAL(call(x, 1, __NR_msgrcv, (guint64)q, ADDR(&out), 32, 5, 0), -1);
	CU_ASSERT_EQUAL(call(x, 0, __NR_msgsnd, (guint64)q, ADDR(&m), 2, 0, 0), 0);
	sim_exec_serve_sysv(x, sim_exec_guest(x, 1), TRUE);
	CU_ASSERT_EQUAL(sim_exec_events_close(x, SIM_EXEC_DONE, 0, 0), 0);
	fclose(f);
	CU_ASSERT_PTR_NOT_NULL(strstr(buf, "\"ev\":\"call\",\"task\":\"3 self\",\"object\":"
					   "\"msq 0\",\"call\":\"msgrcv\",\"qid\":0,\"qnum\":0,"
					   "\"cbytes\":0,\"blocked\":true"));
	CU_ASSERT_PTR_NOT_NULL(strstr(buf, "\"ev\":\"wake\",\"task\":\"3 self\",\"other\":"
					   "\"2 self\""));
	CU_ASSERT_PTR_NOT_NULL(strstr(buf, "\"ev\":\"return\",\"task\":\"3 self\""));
	CU_ASSERT_PTR_NOT_NULL(strstr(buf, "\"text\":\"hi\",\"type\":5"));
	CU_ASSERT_PTR_NOT_NULL(strstr(buf, "\"ev\":\"end\",\"verdict\":\"every program ended\""));
	free(buf);
	sim_exec_model_clear(x);
}

/* ---- Signals (sim/exec/signals.c) ---- */

/* A handled signal ends a blocked msgrcv with EINTR when the receiver is picked, unless a
 * message was handed to it before then (it stays on the list until it runs). */
static void test_exec_a_signal_ends_msgrcv_unless_a_message_came_first(void)
{
	SimExec *x = fixture();
	int q = make_queue(x);
	struct tmsg m = { .mtype = 2, .mtext = "Nami" }, out;
	memset(&out, 0, sizeof out);
	SimGuest *g = sim_exec_guest(x, 1);
	CU_ASSERT_EQUAL(call(x, 1, __NR_msgrcv, (guint64)q, ADDR(&out), 32, 2, 0), -1);
	sim_exec_sig_arrive(x, g, SIGUSR1, FALSE);
	CU_ASSERT_TRUE(sim_exec_woken(g));
	CU_ASSERT_FALSE(sim_exec_sig_deliver(x, g)); /* the model ends it */
	sim_exec_serve_sysv(x, g, TRUE);
	CU_ASSERT_EQUAL(x->last_err, EINTR);
	CU_ASSERT_PTR_NULL(g->task->waiter.queue);
	/* Blocked again; the signal arrives, but a sender runs first: the message wins. */
	CU_ASSERT_EQUAL(call(x, 1, __NR_msgrcv, (guint64)q, ADDR(&out), 32, 2, 0), -1);
	sim_exec_sig_arrive(x, g, SIGUSR1, FALSE);
	CU_ASSERT_EQUAL(call(x, 0, __NR_msgsnd, (guint64)q, ADDR(&m), 32, 0, 0), 0);
	sim_exec_serve_sysv(x, g, TRUE);
	CU_ASSERT_EQUAL(x->last_err, 0);
	CU_ASSERT_STRING_EQUAL(out.mtext, "Nami");
	sim_exec_model_clear(x);
}

/* A signal before a call that has not begun: the handler runs, the call restarts
 * (-ERESTARTNOINTR, 513); a sleep cut short: EINTR with the time left written. */
static void test_exec_a_signal_restarts_a_parked_call_and_cuts_a_sleep(void)
{
	SimExec *x = fixture();
	SimGuest *g = sim_exec_guest(x, 0);
	sim_exec_sig_arrive(x, g, SIGUSR1, FALSE);
	CU_ASSERT_TRUE(sim_exec_sig_deliver(x, g));
	CU_ASSERT_EQUAL(x->last_err, 513);
	struct timespec req = { 5, 0 }, rem = { 0, 0 };
	memset(&g->notif, 0, sizeof g->notif);
	g->notif.data.nr = __NR_nanosleep;
	g->notif.data.args[0] = ADDR(&req);
	g->notif.data.args[1] = ADDR(&rem);
	sim_exec_task_sleep(x, g); /* it was answered: running, then in nanosleep */
	g->wake_at = sim_world_now(x->w) + 5 * SIM_S;
	sim_world_clock_to(x->w, sim_world_now(x->w) + 2 * SIM_S);
	sim_exec_sig_arrive(x, g, SIGALRM, FALSE);
	CU_ASSERT_TRUE(sim_exec_woken(g));
	CU_ASSERT_TRUE(sim_exec_sig_deliver(x, g));
	CU_ASSERT_EQUAL(x->last_err, EINTR);
	CU_ASSERT_EQUAL(rem.tv_sec, 3);
	CU_ASSERT_EQUAL(rem.tv_nsec, 0);
	/* A sleep whose time has come returns 0 although a signal is pending. */
	sim_exec_task_sleep(x, g);
	g->wake_at = sim_world_now(x->w);
	sim_exec_sig_arrive(x, g, SIGALRM, FALSE);
	CU_ASSERT_FALSE(sim_exec_sig_deliver(x, g));
	sim_exec_model_clear(x);
}

/* alarm on the virtual clock: the earlier alarm's seconds left, rounded as the kernel's
 * alarm_setitimer (up from half a second, and at least 1 while any is left). */
static void test_exec_alarm_returns_what_was_left_rounded(void)
{
	SimExec *x = fixture();
	SimGuest *g = sim_exec_guest(x, 0);
	memset(&g->notif, 0, sizeof g->notif);
	g->notif.data.nr = __NR_alarm;
	g->notif.data.args[0] = 3;
	sim_exec_serve_signal(x, g, FALSE);
	CU_ASSERT_EQUAL(x->last_val, 0);
	CU_ASSERT_EQUAL(g->alarm_at, sim_world_now(x->w) + 3 * SIM_S);
	CU_ASSERT_EQUAL(sim_exec_timers_next(x), g->alarm_at);
	sim_world_clock_to(x->w, sim_world_now(x->w) + SIM_S + SIM_S / 2 + 1); /* 1.499... s left */
	sim_exec_serve_signal(x, g, FALSE);
	CU_ASSERT_EQUAL(x->last_val, 1);
	sim_world_clock_to(x->w, sim_world_now(x->w) + 3 * SIM_S - SIM_S / 10); /* 0.1 s left */
	g->notif.data.args[0] = 0;
	sim_exec_serve_signal(x, g, FALSE);
	CU_ASSERT_EQUAL(x->last_val, 1);
	CU_ASSERT_EQUAL(g->alarm_at, 0);
	CU_ASSERT_EQUAL(sim_exec_timers_next(x), G_MAXINT64);
	sim_exec_model_clear(x);
}

static void on_usr2(int sig)
{
	(void)sig;
}

/* sigsuspend with a signal already pending that its mask lets through returns at once (the
 * kernel runs it); pause with none waits in the model, and a deadlock names it. */
static void test_exec_sigsuspend_returns_at_once_for_a_pending_signal(void)
{
	SimExec *x = fixture();
	SimGuest *g = sim_exec_guest(x, 0);
	struct sigaction sa = { .sa_handler = on_usr2 }, old;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGUSR2, &sa, &old);
	sigset_t usr2, before;
	sigemptyset(&usr2);
	sigaddset(&usr2, SIGUSR2);
	sigprocmask(SIG_BLOCK, &usr2, &before);
	raise(SIGUSR2); /* pending: this process is the guest */
	guint64 none = 0, all = ~(guint64)0;
	memset(&g->notif, 0, sizeof g->notif);
	g->notif.data.nr = __NR_rt_sigsuspend;
	g->notif.data.args[0] = ADDR(&all);
	g->notif.data.args[1] = 8;
	pick(x, g);
	sim_exec_serve_signal(x, g, FALSE); /* everything blocked: it waits */
	CU_ASSERT_EQUAL(g->task->state, SIM_STATE_BLOCKED);
	CU_ASSERT_STRING_EQUAL(sim_exec_sig_call_name(__NR_rt_sigsuspend), "sigsuspend");
	CU_ASSERT_STRING_EQUAL(g->task->wait_why, "sigsuspend"); /* what a deadlock names */
	g->notif.data.args[0] = ADDR(&none);
	x->last_continue = FALSE;
	pick(x, g);
	sim_exec_serve_signal(x, g, FALSE);
	CU_ASSERT_TRUE(x->last_continue);
	CU_ASSERT_EQUAL(g->task->state, SIM_STATE_RUNNING);
	g->notif.data.nr = __NR_pause;
	pick(x, g);
	sim_exec_serve_signal(x, g, FALSE); /* SIGUSR2 is blocked: pause waits */
	CU_ASSERT_EQUAL(g->task->state, SIM_STATE_BLOCKED);
	sigprocmask(SIG_SETMASK, &before, NULL); /* the handler runs here */
	sigaction(SIGUSR2, &old, NULL);
	sim_exec_model_clear(x);
}

/* A stop signal reaching a receiver blocked in msgrcv takes it off the queue's wait list
 * and answers -ERESTARTNOHAND (514), so that its kernel stops it and restarts the call at
 * SIGCONT: a message sent meanwhile stays queued. A sleep is answered -ERESTARTNOINTR
 * (513), its restart to end when the sleep would have. */
static void test_exec_a_stop_takes_a_receiver_off_the_list_and_restarts_its_call(void)
{
	SimExec *x = fixture();
	int q = make_queue(x);
	struct tmsg m = { .mtype = 1, .mtext = "hello" }, out;
	SimGuest *g = sim_exec_guest(x, 1);
	CU_ASSERT_EQUAL(call(x, 1, __NR_msgrcv, (guint64)q, ADDR(&out), 32, 0, 0), -1);
	CU_ASSERT_PTR_NOT_NULL(g->task->waiter.queue);
	sim_exec_sig_stop(x, g, SIGSTOP);
	CU_ASSERT_EQUAL(x->last_err, 514);
	CU_ASSERT_PTR_NULL(g->task->waiter.queue);
	CU_ASSERT_EQUAL(g->stop_sig, SIGSTOP);
	CU_ASSERT_STRING_EQUAL(g->stop_in, "msgrcv");
	CU_ASSERT_EQUAL(g->task->state, SIM_STATE_RUNNING); /* on its way to the stop */
	CU_ASSERT_EQUAL(call(x, 0, __NR_msgsnd, (guint64)q, ADDR(&m), 32, 0, 0), 0);
	const SimMsgq *mq = sim_ipcns_lookup(&x->w->ipcns, q);
	CU_ASSERT_EQUAL(mq->qnum, 1);
	CU_ASSERT_FALSE(sim_exec_woken(g));
	/* A sleeper: its restart ends at the old end. */
	SimGuest *s = sim_exec_guest(x, 0);
	sim_exec_task_park(x, s);
	sim_exec_task_run(x, s);
	memset(&s->notif, 0, sizeof s->notif);
	s->notif.data.nr = __NR_nanosleep;
	sim_exec_task_sleep(x, s);
	s->wake_at = sim_world_now(x->w) + 5 * SIM_S;
	sim_exec_sig_stop(x, s, SIGTSTP);
	CU_ASSERT_EQUAL(x->last_err, 513);
	CU_ASSERT_EQUAL(s->restart_sleep, s->wake_at);
	sim_exec_model_clear(x);
}

/* ---- The guests as engine tasks (gtask.c) ---- */

/* The ready queue (the engine's scheduler) holds exactly the guests that can go on: parked
 * and woken ones, in task order; a blocked, running or exited guest is not on it. */
static void test_exec_the_ready_queue_holds_the_parked_and_woken_guests(void)
{
	SimExec *x = fixture();
	const SimTask *r[4];
	CU_ASSERT_EQUAL(sim_sched_snapshot(&x->w->sched, r, 4), 2);
	CU_ASSERT_EQUAL(sim_exec_guest(x, 0)->task->kind, SIM_TASK_EXTERNAL);
	int q = make_queue(x); /* guest 0 is served: it runs on, unseen */
	CU_ASSERT_EQUAL(sim_exec_guest(x, 0)->task->state, SIM_STATE_RUNNING);
	CU_ASSERT_EQUAL(sim_sched_snapshot(&x->w->sched, r, 4), 1);
	CU_ASSERT_PTR_EQUAL(r[0], sim_exec_guest(x, 1)->task);
	struct tmsg m = { .mtype = 1, .mtext = "x" }, out;
	CU_ASSERT_EQUAL(call(x, 0, __NR_msgrcv, (guint64)q, ADDR(&out), 32, 0, 0), -1);
	CU_ASSERT_EQUAL(sim_exec_guest(x, 0)->task->state, SIM_STATE_BLOCKED);
	CU_ASSERT_STRING_EQUAL(sim_exec_guest(x, 0)->task->wait_why, "msgrcv");
	CU_ASSERT_EQUAL(call(x, 1, __NR_msgsnd, (guint64)q, ADDR(&m), 4, 0, 0), 0);
	/* The receiver was handed the message: woken, on the queue, its call to finish. */
	CU_ASSERT_EQUAL(sim_sched_snapshot(&x->w->sched, r, 4), 1);
	CU_ASSERT_PTR_EQUAL(r[0], sim_exec_guest(x, 0)->task);
	CU_ASSERT_EQUAL(x->w->sched.n_woken, 1);
	CU_ASSERT_TRUE(sim_sched_check(&x->w->sched));
	/* Its process ends before it is picked: off the queue, EXITED with its status. */
	sim_exec_guest(x, 0)->status = 9; /* killed by SIGKILL */
	sim_exec_task_gone(x, sim_exec_guest(x, 0));
	CU_ASSERT_EQUAL(sim_exec_guest(x, 0)->task->state, SIM_STATE_EXITED);
	CU_ASSERT_EQUAL(sim_exec_guest(x, 0)->task->killed_by, 9);
	CU_ASSERT_EQUAL(sim_sched_len(&x->w->sched), 0);
	CU_ASSERT_EQUAL(x->w->sched.n_woken, 0);
	/* A guest picked but not answered (a guard rail stopped its step) goes back. */
	pick(x, sim_exec_guest(x, 1));
	sim_exec_guest(x, 1)->answered = FALSE;
	sim_exec_task_unpick(x, sim_exec_guest(x, 1));
	CU_ASSERT_TRUE(sim_exec_parked(sim_exec_guest(x, 1)));
	CU_ASSERT_EQUAL(sim_sched_len(&x->w->sched), 1);
	sim_exec_model_clear(x);
}

/* A waiting guest that comes back with a new call (a signal from outside the run ended its
 * wait) is parked again from whatever state its wait had reached: blocked, asleep, or woken
 * and not yet picked; it is then a new call, with nothing to finish. */
static void test_exec_a_guest_parks_again_from_any_wait(void)
{
	SimExec *x = fixture();
	SimGuest *g = sim_exec_guest(x, 0);
	sim_exec_task_run(x, g);
	sim_exec_task_block(x, g, "msgrcv");
	sim_exec_task_park(x, g);
	CU_ASSERT_TRUE(sim_exec_parked(g));
	sim_exec_task_run(x, g);
	sim_exec_task_sleep(x, g);
	sim_exec_task_park(x, g);
	CU_ASSERT_TRUE(sim_exec_parked(g));
	sim_exec_task_run(x, g);
	sim_exec_task_block(x, g, "wait");
	sim_exec_task_wake(x, g);
	CU_ASSERT_TRUE(sim_exec_woken(g));
	CU_ASSERT_EQUAL(x->w->sched.n_woken, 1);
	sim_exec_task_park(x, g);
	CU_ASSERT_TRUE(sim_exec_parked(g));
	CU_ASSERT_EQUAL(x->w->sched.n_woken, 0);
	CU_ASSERT_EQUAL(sim_sched_len(&x->w->sched), 2);
	CU_ASSERT_TRUE(sim_sched_check(&x->w->sched));
	/* A held vfork parent that parks is no longer held. */
	sim_exec_task_run(x, g);
	g->held = TRUE;
	CU_ASSERT_FALSE(sim_exec_running(g));
	sim_exec_task_park(x, g);
	CU_ASSERT_FALSE(g->held);
	sim_exec_model_clear(x);
}

/* A stopped guest is its task's stopped_by mark, parked off the ready queue as the engine
 * parks a scenario's stopped task; continued, it runs; its parent's waits report the stop
 * with WUNTRACED and the continue with WCONTINUED, once each (WNOWAIT leaves them). */
static void test_exec_a_stopped_guest_is_off_the_queue_and_reported_once(void)
{
	SimExec *x = fixture();
	SimGuest *p = sim_exec_guest(x, 0), *c = sim_exec_guest(x, 1);
	c->parent = p->idx;
	sim_exec_task_run(x, c);
	sim_exec_task_stop(x, c, SIGSTOP);
	c->stop_report = TRUE;
	CU_ASSERT_TRUE(sim_exec_stopped(c));
	CU_ASSERT_FALSE(sim_exec_parked(c));
	CU_ASSERT_EQUAL(sim_sched_len(&x->w->sched), 1);
	CU_ASSERT_TRUE(sim_sched_check(&x->w->sched));
	CU_ASSERT_PTR_NULL(sim_exec_sig_report(x, p, -1, WEXITED | WCONTINUED));
	CU_ASSERT_PTR_NULL(sim_exec_sig_report(x, p, 9, WUNTRACED)); /* another pid */
	CU_ASSERT_PTR_EQUAL(sim_exec_sig_report(x, p, -1, WUNTRACED | WNOWAIT), c);
	CU_ASSERT_PTR_EQUAL(sim_exec_sig_report(x, p, c->nspid, WUNTRACED), c);
	CU_ASSERT_PTR_NULL(sim_exec_sig_report(x, p, -1, WUNTRACED)); /* reported once */
	sim_exec_sig_continued(x, c);
	CU_ASSERT_EQUAL(c->task->state, SIM_STATE_RUNNING);
	CU_ASSERT_EQUAL(c->task->stopped_by, 0);
	CU_ASSERT_PTR_NULL(sim_exec_sig_report(x, p, -1, WUNTRACED));
	CU_ASSERT_PTR_EQUAL(sim_exec_sig_report(x, p, -1, WCONTINUED), c);
	CU_ASSERT_PTR_NULL(sim_exec_sig_report(x, p, -1, WCONTINUED));
	sim_exec_task_park(x, c);
	CU_ASSERT_TRUE(sim_exec_parked(c));
	CU_ASSERT_EQUAL(sim_sched_len(&x->w->sched), 2);
	sim_exec_model_clear(x);
}

/* ---- Reads of the terminal (tty.c) ---- */

static void test_exec_input_take_gives_a_line_at_most_count(void)
{
	const char *in = "ab\ncd";
	CU_ASSERT_EQUAL(sim_exec_input_take(in, 5, 0, 64), 3);	/* the line and its newline */
	CU_ASSERT_EQUAL(sim_exec_input_take(in, 5, 0, 2), 2);	/* at most the count */
	CU_ASSERT_EQUAL(sim_exec_input_take(in, 5, 2, 64), 1);	/* the rest of the line */
	CU_ASSERT_EQUAL(sim_exec_input_take(in, 5, 3, 64), 2);	/* a last line without newline */
	CU_ASSERT_EQUAL(sim_exec_input_take(in, 5, 5, 64), 0);	/* the end */
	CU_ASSERT_EQUAL(sim_exec_input_take(in, 5, 0, 0), 0);	/* a read of 0 bytes */
	CU_ASSERT_EQUAL(sim_exec_input_take("\n\n", 2, 0, 64), 1); /* an empty line */
}

/* Guest 0 (this process; without a pty, descriptor 0 is the terminal) reads with nr. */
static int read_call(SimExec *x, int nr, guint64 a0, guint64 a1, guint64 a2, guint64 a3)
{
	sim_exec_serve_read(x, load_call(x, 0, nr, a0, a1, a2, a3, 0));
	return x->last_err;
}

static void test_exec_a_read_of_the_terminal_takes_a_line_and_echoes_it(void)
{
	char *echo = NULL;
	size_t echo_len = 0;
	FILE *out = open_memstream(&echo, &echo_len);
	SimExecOptions o = { .program_output = TRUE, .input = "ab\ncd", .input_len = 5 };
	static SimExec x;
	sim_exec_model_init(&x, &o, out);
	SimGuest *g = sim_exec_guest_add(&x);
	g->pid = getpid();
	g->nspid = 2;
	g->name = g_strdup("2 self");
	sim_exec_task_init(&x, g, NULL);
	sim_exec_task_park(&x, g);
	char buf[8] = "", a[1], b[8];
	CU_ASSERT_EQUAL(read_call(&x, __NR_read, 0, 16, 8, 0), EFAULT); /* nothing taken */
	CU_ASSERT_EQUAL(read_call(&x, __NR_read, 0, ADDR(buf), 1, 0), 0);
	CU_ASSERT_EQUAL(x.last_val, 1);
	CU_ASSERT_EQUAL(buf[0], 'a');
	CU_ASSERT_EQUAL(read_call(&x, __NR_read, 0, ADDR(buf), sizeof buf, 0), 0);
	CU_ASSERT_EQUAL(x.last_val, 2); /* the rest of the line, not the next one */
	CU_ASSERT_EQUAL(memcmp(buf, "b\n", 2), 0);
	CU_ASSERT_EQUAL(read_call(&x, __NR_preadv2, 0, ADDR(buf), 1, 0), ESPIPE);
	struct iovec iov[2] = { { a, sizeof a }, { b, sizeof b } };
	CU_ASSERT_EQUAL(read_call(&x, __NR_readv, 0, ADDR(iov), 2, 0), 0);
	CU_ASSERT_EQUAL(x.last_val, 2); /* a last line without its newline, across both */
	CU_ASSERT_EQUAL(a[0], 'c');
	CU_ASSERT_EQUAL(b[0], 'd');
	CU_ASSERT_EQUAL(read_call(&x, __NR_preadv2, 0, ADDR(iov), 2, (guint64)-1), 0);
	CU_ASSERT_EQUAL(x.last_val, 0); /* the end of the input */
	CU_ASSERT_EQUAL(x.input_at, 5);
	fflush(out);
	CU_ASSERT_EQUAL(echo_len, 5);
	CU_ASSERT(echo && memcmp(echo, "ab\ncd", 5) == 0); /* what was read, echoed */
	sim_exec_model_clear(&x);
	fclose(out);
	free(echo);
}

extern CU_TestInfo exec_tests[];
CU_TestInfo exec_tests[] = {
	{ "tty: a read takes the rest of the input's line, at most its count",
	  test_exec_input_take_gives_a_line_at_most_count },
	{ "tty: a read of the terminal takes a line, echoes it, then end of file",
	  test_exec_a_read_of_the_terminal_takes_a_line_and_echoes_it },
	{ "msgget: ENOENT, create, EEXIST, find", test_exec_msgget_follows_the_kernels_errors },
	{ "the ready queue holds the parked and woken guests",
	  test_exec_the_ready_queue_holds_the_parked_and_woken_guests },
	{ "signals: a stop takes a receiver off the list and restarts its call",
	  test_exec_a_stop_takes_a_receiver_off_the_list_and_restarts_its_call },
	{ "signals: a stopped guest is off the queue and reported once",
	  test_exec_a_stopped_guest_is_off_the_queue_and_reported_once },
	{ "a guest parks again from any wait", test_exec_a_guest_parks_again_from_any_wait },
	{ "expect state= reads the program's task", test_exec_expect_state_reads_the_programs_task },
	{ "msgsnd: EFAULT, then size and id, then type, then the lookup",
	  test_exec_msgsnd_checks_in_the_kernels_order },
	{ "msgsnd: a full queue gives EAGAIN or blocks until a receive",
	  test_exec_a_full_queue_gives_eagain_or_blocks },
	{ "msgrcv: ENOMSG, EINVAL, E2BIG, MSG_EXCEPT, MSG_NOERROR cuts",
	  test_exec_msgrcv_errors_and_noerror },
	{ "msgrcv: a blocked receiver gets the hand-off, or EIDRM on IPC_RMID",
	  test_exec_a_blocked_receiver_gets_the_hand_off_or_eidrm },
	{ "msgctl: IPC_STAT, EFAULT, EINVAL, IPC_INFO, MSG_INFO, EPERM, IPC_RMID",
	  test_exec_msgctl_paths },
	{ "mq_open, mq_unlink: the kernel's errors; /dev/mqueue/NAME shows the model",
	  test_exec_mq_open_and_unlink_follow_the_kernels_errors },
	{ "mq_*: timeout, priority, sigevent and flags are checked before the descriptor",
	  test_exec_mq_calls_check_before_the_descriptor },
	{ "mq_* footprints: calls on different queues commute, on the same queue they do not",
	  test_exec_mq_footprints_part_queues },
	{ "expect file: each bad line names file:line:col and what was expected",
	  test_exec_expect_file_errors_name_the_place },
	{ "expect: received, exit, a queue's state, deadlock; --record's file holds",
	  test_exec_expectations_judge_the_run },
	{ "events: the calls reach a JSON Lines sink as a scenario's do",
	  test_exec_calls_reach_the_engines_sinks },
	{ "signals: msgrcv ends with EINTR, unless a message was handed to it first",
	  test_exec_a_signal_ends_msgrcv_unless_a_message_came_first },
	{ "signals: a parked call restarts after the handler; a sleep ends with the time left",
	  test_exec_a_signal_restarts_a_parked_call_and_cuts_a_sleep },
	{ "signals: alarm runs on the virtual clock and rounds what was left as the kernel",
	  test_exec_alarm_returns_what_was_left_rounded },
	{ "signals: sigsuspend returns at once for a pending signal; pause waits",
	  test_exec_sigsuspend_returns_at_once_for_a_pending_signal },
	CU_TEST_INFO_NULL,
};
