/* test_shm.c — XSI shared memory (sim/kernel/shm.c, sim/calls/call_shm.c): every errno of
 * shmget, shmat, shmdt and shmctl in the kernel's order of checks, the life of a segment
 * (IPC_RMID while attached, fork, exit), and the loads and stores.
 *
 * As in test_sem.c, an error test puts two faults in one call where the kernel's order
 * decides which is reported.
 */
#include <string.h>

#include "tests.h"

static void expect_all_pass(const char *text)
{
	TestRun r = test_run_text(text, FALSE, NULL);
	if (r.verdict.failed)
		fprintf(stderr, "\n%u expectation(s) failed in:\n%s\n", r.verdict.failed, text);
	CU_ASSERT_EQUAL(r.verdict.failed, 0);
	CU_ASSERT_TRUE(r.verdict.passed > 0);
	test_run_free(&r);
}

static void test_shm_shmget_eexist_comes_before_the_size_check(void)
{
	test_expect_label("process p { shmget key=7 size=10 create\n"
			  "            @g shmget key=7 size=99999 create excl }\n"
			  "expect @g ok\n",
			  "g", EEXIST);
}

static void test_shm_shmget_size_check_comes_before_the_permission(void)
{
	test_expect_label("process p { shmget key=7 size=10 create perm=0600 }\n"
			  "process q uid=1000 start=1ms { @g shmget key=7 size=11 perm=0600 }\n"
			  "expect @g ok\n",
			  "g", EINVAL);
	test_expect_label("process p { shmget key=7 size=10 create perm=0600 }\n"
			  "process q uid=1000 start=1ms { @g shmget key=7 size=10 perm=0400 }\n"
			  "expect @g ok\n",
			  "g", EACCES);
}

static void test_shm_shmget_sizes_and_limits(void)
{
	test_expect_label("process p { @g shmget key=7 size=10 }\nexpect @g ok\n", "g", ENOENT);
	test_expect_label("process p { @g shmget key=private size=0 }\nexpect @g ok\n", "g",
			  EINVAL);
	test_expect_label("sysctl shmmax=100\nprocess p { @g shmget key=private size=101 }\n"
			  "expect @g ok\n",
			  "g", EINVAL);
	/* shmall counts pages: 4097 bytes take two. */
	test_expect_label("sysctl shmall=2\nprocess p { shmget key=private size=4097\n"
			  "  @g shmget key=private size=1 }\nexpect @g ok\n",
			  "g", ENOSPC);
	test_expect_label("sysctl shmmni=1\nprocess p { shmget key=private size=1\n"
			  "  @g shmget key=private size=1 }\nexpect @g ok\n",
			  "g", ENOSPC);
}

static void test_shm_shmat_checks_the_id_then_the_permission(void)
{
	test_expect_label("process p { shmget key=9 size=1 -> m  @a shmat m }\nexpect @a ok\n", "a",
			  EINVAL);
	const char *text = "process p { shmget key=7 size=10 create perm=0640 }\n"
			   "process q gid=5 uid=1000 start=1ms { shmget key=7 -> m\n"
			   "  @rw shmat m  @ro shmat m rdonly }\n"
			   "expect @rw ok\nexpect @ro ok\n";
	TestRun r = test_run_text(text, FALSE, NULL);
	CU_ASSERT_EQUAL(test_run_label_err(&r, "rw"), EACCES);
	test_run_free(&r);
}

static void test_shm_stores_are_seen_by_every_attachment(void)
{
	expect_all_pass("process p { shmget key=private size=64 -> m  shmat m -> a  shmat m -> b\n"
			"  shmwrite a 3 \"abc\"  @r shmread b 3 3 -> v }\n"
			"expect p received [\"abc\"]\nexpect @r ret=3\n");
}

static void test_shm_access_outside_an_attachment_or_a_readonly_store_is_efault(void)
{
	expect_all_pass("process p { shmget key=private size=10 -> m  shmat m -> a\n"
			"  shmat m rdonly -> r\n"
			"  @page shmwrite a 4095 \"x\"  @past shmwrite a 4095 \"xy\"\n"
			"  @ro shmwrite r 0 \"x\"  @rd shmread r 0 1 }\n"
			"expect @page ok\nexpect @past errno=EFAULT\nexpect @ro errno=EFAULT\n"
			"expect @rd ok\n");
}

static void test_shm_rmid_while_attached_hides_the_key_and_frees_at_the_last_detach(void)
{
	TestRun r = test_run_text("process p { shmget key=7 size=10 create -> m  shmat m -> a\n"
				  "  @rm shmctl m rmid  @key shmget key=7 size=10\n"
				  "  @st shmctl m stat  @dt shmdt a  @gone shmctl m stat }\n"
				  "expect @rm ok\nexpect @key errno=ENOENT\nexpect @st ok\n"
				  "expect @dt ok\nexpect @gone errno=EINVAL\n",
				  FALSE, NULL);
	CU_ASSERT_EQUAL(r.verdict.failed, 0);
	SimShmSeg *seg = g_ptr_array_index(r.w->shmns.all, 0);
	CU_ASSERT_TRUE(seg->gone);
	CU_ASSERT_EQUAL(seg->nattch, 0);
	CU_ASSERT_EQUAL(r.w->shmns.shm_tot, 0);
	CU_ASSERT_TRUE(sim_shm_check(seg));
	test_run_free(&r);
}

static void test_shm_fork_copies_attachments_and_exit_detaches_them(void)
{
	TestRun r = test_run_text("process p { shmget key=private size=10 -> m  shmat m -> a\n"
				  "  fork kid { @n shmctl m stat  shmwrite a 0 \"k\" }\n"
				  "  wait kid  @r shmread a 0 1 -> v }\n"
				  "expect @r ok\nexpect p received [\"k\"]\n",
				  FALSE, NULL);
	CU_ASSERT_EQUAL(r.verdict.failed, 0);
	SimShmSeg *seg = g_ptr_array_index(r.w->shmns.all, 0);
	/* The kid's attachment went with its exit; the parent's went with its own. */
	CU_ASSERT_EQUAL(seg->nattch, 0);
	CU_ASSERT_EQUAL(seg->lpid, test_run_task(&r, "p")->id);
	test_run_free(&r);
}

static void test_shm_shmdt_of_no_attachment_is_einval(void)
{
	test_expect_label("process p { shmget key=private size=1 -> m  shmat m -> a  shmdt a\n"
			  "  @d shmdt a }\nexpect @d ok\n",
			  "d", EINVAL);
}

static void test_shm_shmctl_checks_in_order(void)
{
	/* A negative id is EINVAL even for the info commands. */
	test_expect_label("process p { shmget key=9 size=1 -> m  @i shmctl m info }\n"
			  "expect @i ok\n",
			  "i", EINVAL);
	const char *text = "process p { shmget key=7 size=10 create perm=0600 }\n"
			   "process q uid=1000 start=1ms { shmget key=7 -> m\n"
			   "  @st shmctl m stat  @set shmctl m set mode=0666  @rm shmctl m rmid\n"
			   "  @lock shmctl m lock }\n"
			   "expect @st ok\nexpect @set ok\nexpect @rm ok\nexpect @lock ok\n";
	TestRun r = test_run_text(text, FALSE, NULL);
	CU_ASSERT_EQUAL(test_run_label_err(&r, "st"), EACCES);
	CU_ASSERT_EQUAL(test_run_label_err(&r, "set"), EPERM);
	CU_ASSERT_EQUAL(test_run_label_err(&r, "rm"), EPERM);
	CU_ASSERT_EQUAL(test_run_label_err(&r, "lock"), EPERM);
	test_run_free(&r);
}

static void test_shm_shm_stat_takes_an_index_and_lock_marks_the_segment(void)
{
	TestRun r = test_run_text(
		"process p { shmget key=private size=10 -> m  shmctl m rmid\n"
		"  shmget key=private size=20 perm=0600 -> n  @l shmctl n lock\n"
		"  repeat 2 as i { @st shmctl i shm_stat } }\n"
		"process q uid=1000 start=1ms {\n"
		"  repeat 2 as i { @deny shmctl i shm_stat  @any shmctl i shm_stat_any } }\n"
		"expect @st ret=1\nexpect @deny errno=EACCES\nexpect @any ret=1\n"
		"expect @l ok\n",
		FALSE, NULL);
	CU_ASSERT_EQUAL(r.verdict.failed, 0);
	SimShmSeg *seg = g_ptr_array_index(r.w->shmns.all, 1);
	CU_ASSERT_TRUE(seg->locked);
	test_run_free(&r);
}

static void test_shm_ids_are_their_own_id_space(void)
{
	expect_all_pass("process p { semget key=private nsems=1  msgget key=private\n"
			"  @m shmget key=private size=1 }\nexpect @m ret=0\n");
}

CU_TestInfo shm_tests[] = {
	{ "shmget EEXIST comes before the size check",
	  test_shm_shmget_eexist_comes_before_the_size_check },
	{ "shmget size check comes before the permission",
	  test_shm_shmget_size_check_comes_before_the_permission },
	{ "shmget sizes and limits", test_shm_shmget_sizes_and_limits },
	{ "shmat checks the id then the permission",
	  test_shm_shmat_checks_the_id_then_the_permission },
	{ "stores are seen by every attachment", test_shm_stores_are_seen_by_every_attachment },
	{ "access outside an attachment or a read-only store is EFAULT",
	  test_shm_access_outside_an_attachment_or_a_readonly_store_is_efault },
	{ "rmid while attached hides the key and frees at the last detach",
	  test_shm_rmid_while_attached_hides_the_key_and_frees_at_the_last_detach },
	{ "fork copies attachments and exit detaches them",
	  test_shm_fork_copies_attachments_and_exit_detaches_them },
	{ "shmdt of no attachment is EINVAL", test_shm_shmdt_of_no_attachment_is_einval },
	{ "shmctl checks in order", test_shm_shmctl_checks_in_order },
	{ "shm_stat takes an index and lock marks the segment",
	  test_shm_shm_stat_takes_an_index_and_lock_marks_the_segment },
	{ "ids are their own id space", test_shm_ids_are_their_own_id_space },
	CU_TEST_INFO_NULL,
};
