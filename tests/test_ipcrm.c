/* test_ipcrm.c — the ipcrm statement: each option removes what its family's IPC_RMID
 * removes, a key is looked up as ipcrm looks it up, every failure carries ipcrm's message,
 * a stranger is refused with EPERM, and a bad option or key is a parse error; and its
 * replay on the real kernel, in a private namespace and in the machine's own.
 */
#include <string.h>

#include "msgsim/real/xcheck.h"
#include "tests.h"

static const char *const RM = "process a {\n"
			      "    msgget key=0x5e50 create perm=0600 -> q\n"
			      "    semget key=0x5e51 nsems=1 create perm=0600 -> s\n"
			      "    shmget key=0x5e52 size=100 create perm=0600 -> m\n"
			      "    shmat m -> p\n"
			      "    fork kid { @w semop s (0, -1) }\n"
			      "    sleep 10us\n"
			      "    @q ipcrm -q q\n    @again ipcrm -q q\n"
			      "    @s ipcrm -S 0x5e51\n    @nokey ipcrm -S 0x5e51\n"
			      "    @m ipcrm -M 0x5e52\n    @gone ipcrm -M 0x5e52\n"
			      "    store p[0] = 7\n    @still load p[0]\n"
			      "    @bad ipcrm -m 12345\n    wait kid\n}\n"
			      "expect @q ok\nexpect @again errno=EINVAL\nexpect @s ok\n"
			      "expect @w errno=EIDRM\nexpect @nokey errno=ENOENT\nexpect @m ok\n"
			      "expect @gone errno=ENOENT\nexpect @still ret=7\n"
			      "expect @bad errno=EINVAL\n";

static void test_ipcrm_removes_by_id_and_by_key(void)
{
	TestRun r = test_run_text(RM, TRUE, NULL);
	CU_ASSERT_EQUAL(r.verdict.failed, 0);
	CU_ASSERT_EQUAL(r.verdict.passed, 9);
	CU_ASSERT_PTR_NOT_NULL(strstr(r.out, "ipcrm -q q (id 0) -> ok\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(r.out, "ipcrm -q q (id 0) -> EINVAL (invalid argument): "
					     "ipcrm: invalid id (0)\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(r.out, "ipcrm -S 0x5e51 -> ENOENT (no such file or "
					     "directory): ipcrm: invalid key (0x5e51)\n"));
	/* A segment still attached lives on, its key made private. */
	CU_ASSERT_PTR_NOT_NULL(strstr(r.out, "store p[0] = 7 -> ok [p: 100 bytes, 2 attached, "
					     "removed at the last detach]"));
	test_run_free(&r);
}

/* Another user may not remove the objects: EPERM, which ipcrm words by id or by key. */
static void test_ipcrm_a_stranger_is_refused(void)
{
	TestRun r = test_run_text(
		"process a {\n    msgget key=0x5e60 create perm=0666 -> q\n"
		"    semget key=0x5e61 nsems=1 create perm=0666 -> s\n"
		"    shmget key=0x5e62 size=10 create perm=0666 -> m\n}\n"
		"process b uid=1000 start=1ms {\n    msgget key=0x5e60 -> q\n"
		"    @byid ipcrm -q q\n    @sem ipcrm -S 0x5e61\n    @shm ipcrm -M 0x5e62\n}\n"
		"expect @byid errno=EPERM\nexpect @sem errno=EPERM\nexpect @shm errno=EPERM\n",
		TRUE, NULL);
	CU_ASSERT_EQUAL(r.verdict.failed, 0);
	CU_ASSERT_EQUAL(r.verdict.passed, 3);
	CU_ASSERT_PTR_NOT_NULL(strstr(r.out, "ipcrm: permission denied for id (0)\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(r.out, "ipcrm: permission denied for key (0x5e61)\n"));
	test_run_free(&r);
}

static void test_ipcrm_parse_errors_say_what_was_expected(void)
{
	static const struct {
		const char *text, *message;
	} cases[] = {
		{ "process p { ipcrm q }",
		  "t.scn:1:19: error: expected an option after 'ipcrm': -q ID, -Q KEY, -s ID, -S "
		  "KEY, -m ID or -M KEY, found 'q'" },
		{ "process p { ipcrm -x 1 }",
		  "t.scn:1:19: error: expected an option after 'ipcrm': -q ID, -Q KEY, -s ID, -S "
		  "KEY, -m ID or -M KEY, found '-'" },
		{ "process p { ipcrm -Q 0 }",
		  "t.scn:1:22: error: illegal key 0 after 'ipcrm -Q': it is IPC_PRIVATE, which "
		  "names no object (ipcrm refuses it)" },
		{ "process p { ipcrm -q nope }",
		  "t.scn:1:22: error: unknown variable 'nope' in 'ipcrm -q nope' (variables here: "
		  "none): set it with 'msgget ... -> nope'" },
		{ "process p { ipcrm -m -1 }",
		  "t.scn:1:22: error: bad id '-1': expected a whole number from 0 to 2147483647" },
	};
	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autoptr(GError) error = NULL;
		g_autoptr(SimScenario) scn =
			sim_scn_parse("t.scn", cases[i].text, strlen(cases[i].text), &error);
		CU_ASSERT_PTR_NULL(scn);
		CU_ASSERT_PTR_NOT_NULL_FATAL(error);
		if (strcmp(error->message, cases[i].message) != 0)
			fprintf(stderr, "\n  want: %s\n  got:  %s\n", cases[i].message,
				error->message);
		CU_ASSERT_STRING_EQUAL(error->message, cases[i].message);
	}
}

/* A semop's waiter can be released by a later ipcrm -s of its set (EIDRM): the deadlock
 * report names the process that would run it. */
static void test_ipcrm_deadlock_report_counts_it_as_a_releaser(void)
{
	TestRun r = test_run_text("process a {\n"
				  "    semget key=0x5e80 nsems=1 create perm=0600 -> s\n"
				  "    semop s (0, -1)\n}\n"
				  "process b start=1us {\n    semget key=0x5e80 -> s\n"
				  "    msgget key=0x5e81 create -> q\n    msgrcv q -> m\n"
				  "    ipcrm -s s\n}\n",
				  TRUE, NULL);
	CU_ASSERT_PTR_NOT_NULL(strstr(r.out, "-- deadlock: a stuck in semop s (line 3): would go "
					     "below zero: semaphore 0, op -1, value 0; waits for: "
					     "b\n"));
	test_run_free(&r);
}

static void xcheck(gboolean shared)
{
	SimXcheckReport rep = { 0 };
	g_autoptr(GError) error = NULL;
	g_autoptr(SimScenario) scn = sim_scn_parse("t.scn", RM, strlen(RM), &error);
	CU_ASSERT_PTR_NOT_NULL_FATAL(scn);
	SimXcheckOptions opt = { .shared_ipc = shared };
	CU_ASSERT_TRUE(sim_xcheck_run(scn, "t.scn", &opt, &rep, &error));
	CU_ASSERT_PTR_NOT_NULL_FATAL(rep.text);
	if (rep.verdict != SIM_XCHECK_MATCH)
		fprintf(stderr, "%s", rep.text);
	CU_ASSERT_EQUAL(rep.verdict, SIM_XCHECK_MATCH);
	CU_ASSERT_EQUAL(rep.mismatches, 0);
	CU_ASSERT_EQUAL(rep.calls, 16);
	CU_ASSERT_PTR_NOT_NULL(strstr(rep.text, "expectations: 9, 0 failed in the model, 0 on "
						"the kernel"));
	sim_xcheck_report_clear(&rep);
}

static void test_ipcrm_matches_the_kernel_in_a_private_namespace(void)
{
	xcheck(FALSE);
}

static void test_ipcrm_matches_the_kernel_in_the_machines_namespace(void)
{
	xcheck(TRUE);
}

CU_TestInfo ipcrm_tests[] = {
	{ "removes by id and by key", test_ipcrm_removes_by_id_and_by_key },
	{ "a stranger is refused", test_ipcrm_a_stranger_is_refused },
	{ "parse errors say what was expected", test_ipcrm_parse_errors_say_what_was_expected },
	{ "deadlock report counts it as a releaser",
	  test_ipcrm_deadlock_report_counts_it_as_a_releaser },
	{ "matches the kernel in a private namespace",
	  test_ipcrm_matches_the_kernel_in_a_private_namespace },
	{ "matches the kernel in the machine's namespace",
	  test_ipcrm_matches_the_kernel_in_the_machines_namespace },
	CU_TEST_INFO_NULL,
};
