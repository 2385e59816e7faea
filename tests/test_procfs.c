/* test_procfs.c — /proc/sysvipc/msg: the `cat` statement, `msgsim ipcs --proc`'s view and
 * the shared formatter (sim/output/ipcs_proc.c, sim/calls/call_procfs.c). */
#include <stdio.h>
#include <string.h>

#include "msgsim/lang/scn.h"
#include "msgsim/output/ipcs.h"
#include "tests.h"

static gboolean has(const char *text, const char *what)
{
	if (strstr(text, what))
		return TRUE;
	fprintf(stderr, "\nnot found: %s\nin:\n%s\n", what, text);
	return FALSE;
}

static const char heading[] = "       key      msqid perms      cbytes       qnum lspid lrpid   uid"
			      "   gid  cuid  cgid      stime      rtime      ctime\n";

static void test_procfs_cat_prints_each_queue_as_the_kernel_does(void)
{
	/* lspid and lrpid are the run's pids (100 + declaration index), 0 when never set;
	 * the times are seconds since 1970 on the simulated calendar (time 0 is 1756717200),
	 * 0 for one that never was. */
	TestRun r = test_run_text("process a uid=5 gid=6 {\n"
				  "  msgget key=0x2a create perm=0604 -> q\n"
				  "  msgsnd q type=1 \"abcd\"\n"
				  "  msgsnd q type=1 \"xy\"\n"
				  "  sleep 3s\n"
				  "  cat \"/proc/sysvipc/msg\"\n"
				  "}\n"
				  "process b start=2s { msgget key=0x2a -> q\n msgrcv q }\n",
				  TRUE, NULL);
	CU_ASSERT_EQUAL(r.verdict.failed, 0);
	CU_ASSERT(has(r.out, "cat /proc/sysvipc/msg\n"));
	CU_ASSERT(has(r.out, heading));
	CU_ASSERT(has(r.out, "        42          0   604           2          1   100   101     5"
			     "     6     5     6 1756717200 1756717202 1756717200\n"));
	test_run_free(&r);
}

static void test_procfs_removed_queues_leave_the_heading_alone(void)
{
	TestRun r = test_run_text("process a {\n"
				  "  msgget key=private create -> q\n"
				  "  msgctl q rmid\n"
				  "}\n",
				  FALSE, NULL);
	g_autoptr(GString) out = g_string_new(NULL);
	sim_ipcs_format(out, r.w, SIM_IPCS_PROC_MSG);
	CU_ASSERT_STRING_EQUAL(out->str, heading);
	test_run_free(&r);
}

/* The caller's pids: msgsim exec passes its guests' pids this way. */
static int pid_times_ten(const void *ctx, int task)
{
	(void)ctx;
	return task < 0 ? 0 : 10 * (task + 1);
}

static void test_procfs_formatter_prints_the_callers_pids(void)
{
	TestRun r = test_run_text("process a { msgget key=7 create -> q\n msgsnd q type=1 \"z\" }\n"
				  "process b { msgget key=7 create -> q\n msgrcv q nowait }\n",
				  FALSE, NULL);
	g_autoptr(GString) out = g_string_new(NULL);
	sim_ipcs_proc_msg(out, &r.w->ipcns, pid_times_ten, NULL);
	CU_ASSERT(has(out->str, "         7          0   ") && has(out->str, "    10    20     0"));
	test_run_free(&r);
}

static void test_procfs_cat_refuses_any_other_path(void)
{
	GError *err = NULL;
	const char *text = "process p { cat \"/proc/sysvipc/sem\" }\n";
	SimScenario *scn = sim_scn_parse("t.scn", text, strlen(text), &err);
	CU_ASSERT_PTR_NULL(scn);
	CU_ASSERT(err && has(err->message, "t.scn:1:17: error: cat reads only "
					   "\"/proc/sysvipc/msg\", not \"/proc/sysvipc/sem\""));
	g_clear_error(&err);
	sim_scn_free(scn);
	text = "process p { cat proc }\n";
	scn = sim_scn_parse("t.scn", text, strlen(text), &err);
	CU_ASSERT_PTR_NULL(scn);
	CU_ASSERT(err && has(err->message, "a path in quotes after 'cat'"));
	g_clear_error(&err);
	sim_scn_free(scn);
}

CU_TestInfo procfs_tests[] = {
	{ "cat prints each queue as the kernel does",
	  test_procfs_cat_prints_each_queue_as_the_kernel_does },
	{ "removed queues leave the heading alone",
	  test_procfs_removed_queues_leave_the_heading_alone },
	{ "formatter prints the caller's pids", test_procfs_formatter_prints_the_callers_pids },
	{ "cat refuses any other path", test_procfs_cat_refuses_any_other_path },
	CU_TEST_INFO_NULL,
};
