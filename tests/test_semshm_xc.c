/* test_semshm_xc.c — the XSI semaphore and shared memory families on the real kernel:
 * `expect sem` judged on the kernel's values (read before IPC_RMID and at the end), ipcrm,
 * and loads and stores read back through a real shmat.
 *
 * Each run is a whole cross-check in a private IPC namespace, as tests/test_xcheck.c makes
 * them; the report's text says what each side saw.
 */
#define _GNU_SOURCE
#include <string.h>

#include "msgsim/real/xcheck.h"
#include "tests.h"

static SimXcheckReport xrun_in(const char *text, gboolean shared)
{
	SimXcheckReport rep = { 0 };
	g_autoptr(GError) error = NULL;
	g_autoptr(SimScenario) scn = sim_scn_parse("t.scn", text, strlen(text), &error);
	CU_ASSERT_PTR_NOT_NULL_FATAL(scn);
	SimXcheckOptions opt = { .shared_ipc = shared };
	CU_ASSERT_TRUE(sim_xcheck_run(scn, "t.scn", &opt, &rep, &error));
	CU_ASSERT_PTR_NOT_NULL_FATAL(rep.text);
	return rep;
}

static SimXcheckReport xrun(const char *text)
{
	return xrun_in(text, FALSE);
}

/* A set left alive and one removed: both are read on the kernel, a right expectation holds
 * there and a wrong one fails there with the kernel's own value. */
static void test_semshm_xc_expect_sem_is_judged_on_the_kernel(void)
{
	SimXcheckReport rep =
		xrun("process a {\n"
		     "  semget key=0x5e31 nsems=2 create perm=0600 -> s\n"
		     "  semop s (1, +2)\n"
		     "  semget key=0x5e32 nsems=1 create perm=0600 -> r\n"
		     "  semop r (0, +5)\n  semctl r rmid\n}\n"
		     "process b start=1ms { semget key=0x5e31 -> s  semop s (0, -1) }\n"
		     "expect sem key=0x5e31 1 val=2 pid=a\n"
		     "expect sem key=0x5e31 0 val=0 ncnt=1 zcnt=0\n"
		     "expect sem key=0x5e32 0 val=4\n");
	CU_ASSERT_EQUAL(rep.mismatches, 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(rep.text, "expectations: 3, 1 failed in the model, 1 on "
						"the kernel\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(rep.text, "; kernel: val=5"));
	CU_ASSERT_PTR_NULL(strstr(rep.text, "checked in the model only"));
	sim_xcheck_report_clear(&rep);
}

/* Loads and stores through real attachments read back what the model reads, the lost
 * update included, in a private namespace and in the machine's own; a load the kernel
 * answered otherwise would be a mismatch at its step. */
static void test_semshm_xc_loads_read_back_equal_on_real_shmat(void)
{
	static const char *const text =
		"scheduler rr quantum=5us\n"
		"process a {\n    shmget key=private size=16 perm=0600 -> m\n    shmat m -> c\n"
		"    fork kid { load c[0] racy -> v  compute 10us  store c[0] = ${v + 1} racy }\n"
		"    load c[0] racy -> v\n    compute 10us\n    store c[0] = ${v + 1} racy\n"
		"    store c[8] = -5 size=2\n    wait kid\n    @total load c[0]\n"
		"    @neg load c[8] size=2\n    @wide load c[8] size=8\n    shmctl m rmid\n}\n"
		"expect @total ret=1\nexpect @neg ret=-5\nexpect @wide ret=65531\n";
	for (int shared = 0; shared <= 1; shared++) {
		SimXcheckReport rep = xrun_in(text, shared);
		if (rep.verdict != SIM_XCHECK_MATCH)
			fprintf(stderr, "%s", rep.text);
		CU_ASSERT_EQUAL(rep.verdict, SIM_XCHECK_MATCH);
		CU_ASSERT_EQUAL(rep.mismatches, 0);
		CU_ASSERT_PTR_NOT_NULL(strstr(rep.text, "expectations: 3, 0 failed in the model, 0 "
							"on the kernel"));
		sim_xcheck_report_clear(&rep);
	}
}

CU_TestInfo semshm_xc_tests[] = {
	{ "loads read back equal on real shmat",
	  test_semshm_xc_loads_read_back_equal_on_real_shmat },
	{ "expect sem is judged on the kernel", test_semshm_xc_expect_sem_is_judged_on_the_kernel },
	CU_TEST_INFO_NULL,
};
