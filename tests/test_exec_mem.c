/* test_exec_mem.c — `msgsim exec` moves a message's memory in one call, and a fault still
 * gives the kernel's errno in the kernel's order.
 *
 * msgsnd reads mtype and text, and msgrcv writes them, as one range of guest memory; when
 * that fails the decoder goes field by field. These tests put the message across a page
 * boundary with the second page inaccessible, so the one-call path fails and the order of
 * the checks shows: as in the other exec tests the "guest" is this process itself.
 */
#undef _POSIX_C_SOURCE
#define _GNU_SOURCE

#include <CUnit/CUnit.h>
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/mman.h>
#include <sys/msg.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "exec/exec_int.h"
#include "tests.h"

static SimExecOptions quiet_opt = { .quiet = TRUE };

static SimExec *fixture(void)
{
	static SimExec x;
	sim_exec_model_init(&x, &quiet_opt, stdout);
	SimGuest *g = sim_exec_guest_add(&x);
	g->pid = getpid();
	g->nspid = 2;
	g->name = g_strdup("2 self");
	g->listener = g->pidfd = g->errpipe = -1;
	sim_exec_task_init(&x, g, NULL);
	g->task->pid = g->nspid;
	sim_exec_task_park(&x, g);
	return &x;
}

static int call(SimExec *x, int nr, guint64 a0, guint64 a1, guint64 a2, guint64 a3, guint64 a4)
{
	SimGuest *g = sim_exec_guest(x, 0);
	memset(&g->notif, 0, sizeof g->notif);
	g->notif.data.nr = nr;
	guint64 a[5] = { a0, a1, a2, a3, a4 };
	memcpy(g->notif.data.args, a, sizeof a);
	sim_exec_task_park(x, g); /* at a new call, then picked */
	sim_exec_task_run(x, g);
	x->last_err = -1;
	sim_exec_serve_sysv(x, g, FALSE);
	return x->last_err;
}

/* Two pages, the second one with protection prot: the boundary is at page + size. */
static char *two_pages(int prot, gsize *size)
{
	*size = (gsize)sysconf(_SC_PAGESIZE);
	char *p = mmap(NULL, 2 * *size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CU_ASSERT_FATAL(p != MAP_FAILED);
	CU_ASSERT_FATAL(mprotect(p + *size, *size, prot) == 0);
	return p;
}

#define ADDR(p) ((guint64)(uintptr_t)(p))

static void test_exec_msgsnd_text_fault_after_a_good_type(void)
{
	SimExec *x = fixture();
	CU_ASSERT_EQUAL(call(x, __NR_msgget, IPC_PRIVATE, IPC_CREAT | 0600, 0, 0, 0), 0);
	guint64 q = (guint64)x->last_val;
	gsize page;
	char *p = two_pages(PROT_NONE, &page);
	long *mtype = (long *)(void *)(p + page - sizeof(long)); /* the text is the next page */
	*mtype = 4;
	CU_ASSERT_EQUAL(call(x, __NR_msgsnd, q, ADDR(mtype), 16, 0, 0), EFAULT);
	/* The type is checked before the text is read: EINVAL, not EFAULT. */
	*mtype = 0;
	CU_ASSERT_EQUAL(call(x, __NR_msgsnd, q, ADDR(mtype), 16, 0, 0), EINVAL);
	/* An empty text needs no byte of the next page. */
	*mtype = 4;
	CU_ASSERT_EQUAL(call(x, __NR_msgsnd, q, ADDR(mtype), 0, 0, 0), 0);
	/* Nothing faulty was queued: one message, of size 0. */
	struct msqid_ds ds;
	CU_ASSERT_EQUAL(call(x, __NR_msgctl, q, IPC_STAT, ADDR(&ds), 0, 0), 0);
	CU_ASSERT_EQUAL(ds.msg_qnum, 1);
	CU_ASSERT_EQUAL(ds.__msg_cbytes, 0);
	munmap(p, 2 * page);
	sim_exec_model_clear(x);
}

static void test_exec_msgsnd_reads_type_and_text_whole(void)
{
	SimExec *x = fixture();
	CU_ASSERT_EQUAL(call(x, __NR_msgget, IPC_PRIVATE, IPC_CREAT | 0600, 0, 0, 0), 0);
	guint64 q = (guint64)x->last_val;
	gsize page;
	char *p = two_pages(PROT_READ | PROT_WRITE, &page);
	/* A message across the boundary, both pages readable: sent whole. (The guest's
	 * buffer need not be aligned: it is copied, never dereferenced.) */
	char *msg = p + page - sizeof(long) - 3;
	long type = 9;
	memcpy(msg, &type, sizeof type);
	memcpy(msg + sizeof type, "abcdef", 7);
	CU_ASSERT_EQUAL(call(x, __NR_msgsnd, q, ADDR(msg), 7, 0, 0), 0);
	struct {
		long mtype;
		char mtext[16];
	} out;
	memset(&out, 0, sizeof out);
	CU_ASSERT_EQUAL(call(x, __NR_msgrcv, q, ADDR(&out), 16, 0, IPC_NOWAIT), 0);
	CU_ASSERT_EQUAL(x->last_val, 7);
	CU_ASSERT_EQUAL(out.mtype, 9);
	CU_ASSERT_STRING_EQUAL(out.mtext, "abcdef");
	munmap(p, 2 * page);
	sim_exec_model_clear(x);
}

static void test_exec_msgrcv_text_fault_writes_the_type_first(void)
{
	SimExec *x = fixture();
	CU_ASSERT_EQUAL(call(x, __NR_msgget, IPC_PRIVATE, IPC_CREAT | 0600, 0, 0, 0), 0);
	guint64 q = (guint64)x->last_val;
	struct {
		long mtype;
		char mtext[8];
	} m = { 6, "hello" };
	CU_ASSERT_EQUAL(call(x, __NR_msgsnd, q, ADDR(&m), 8, 0, 0), 0);
	gsize page;
	char *p = two_pages(PROT_READ, &page); /* the text's page cannot be written */
	long *mtype = (long *)(void *)(p + page - sizeof(long));
	*mtype = 0;
	/* As the kernel's do_msgrcv: mtype is stored, the text faults, the message is gone. */
	CU_ASSERT_EQUAL(call(x, __NR_msgrcv, q, ADDR(mtype), 8, 0, IPC_NOWAIT), EFAULT);
	CU_ASSERT_EQUAL(*mtype, 6);
	CU_ASSERT_EQUAL(call(x, __NR_msgrcv, q, ADDR(mtype), 8, 0, IPC_NOWAIT), ENOMSG);
	munmap(p, 2 * page);
	sim_exec_model_clear(x);
}

/* Received messages are kept for --expect and --record only, not by every run. */
static void test_exec_received_messages_kept_only_for_a_reader(void)
{
	struct {
		long mtype;
		char mtext[8];
	} m = { 2, "kept" }, out;
	SimExecOptions rec = { .quiet = TRUE, .record_file = "unused" };
	const SimExecOptions *opts[] = { &quiet_opt, &rec };
	for (int i = 0; i < 2; i++) {
		SimExec *x = fixture();
		x->opt = opts[i];
		CU_ASSERT_EQUAL(call(x, __NR_msgget, IPC_PRIVATE, IPC_CREAT | 0600, 0, 0, 0), 0);
		guint64 q = (guint64)x->last_val;
		CU_ASSERT_EQUAL(call(x, __NR_msgsnd, q, ADDR(&m), 8, 0, 0), 0);
		CU_ASSERT_EQUAL(call(x, __NR_msgrcv, q, ADDR(&out), 8, 0, IPC_NOWAIT), 0);
		GArray *r = sim_exec_guest(x, 0)->task->received;
		if (i == 0) {
			CU_ASSERT_PTR_NULL(r);
		} else {
			CU_ASSERT_FATAL(r != NULL && r->len == 1);
			CU_ASSERT_STRING_EQUAL(g_array_index(r, SimRecv, 0).text, "kept");
		}
		sim_exec_model_clear(x);
	}
}

extern CU_TestInfo exec_mem_tests[];
CU_TestInfo exec_mem_tests[] = {
	{ "msgsnd: a text fault after a good type is EFAULT; a bad type is EINVAL first",
	  test_exec_msgsnd_text_fault_after_a_good_type },
	{ "msgsnd, msgrcv: a message across a page boundary goes whole",
	  test_exec_msgsnd_reads_type_and_text_whole },
	{ "msgrcv: a text fault is EFAULT after the type is stored",
	  test_exec_msgrcv_text_fault_writes_the_type_first },
	{ "msgrcv: received messages are kept only for --expect, --record or the search",
	  test_exec_received_messages_kept_only_for_a_reader },
	CU_TEST_INFO_NULL,
};
