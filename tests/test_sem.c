/* test_sem.c — XSI semaphores (sim/kernel/sem.c, sim/calls/call_sem.c): every errno of
 * semget, semop and semctl in the kernel's order of checks, the wake-up order, SEM_UNDO.
 *
 * Each error test puts two faults in one call where the kernel's order decides which one
 * is reported, so a check done in the wrong order fails the test.
 */
#include <string.h>

#include "tests.h"

#include "msgsim/calls/call.h"

/* Runs text and checks that every expectation in it holds. */
static void expect_all_pass(const char *text)
{
	TestRun r = test_run_text(text, FALSE, NULL);
	if (r.verdict.failed)
		fprintf(stderr, "\n%u expectation(s) failed in:\n%s\n", r.verdict.failed, text);
	CU_ASSERT_EQUAL(r.verdict.failed, 0);
	CU_ASSERT_TRUE(r.verdict.passed > 0);
	test_run_free(&r);
}

/* ---- semget ---- */

static void test_sem_semget_negative_nsems_is_einval_before_the_key(void)
{
	/* No set has the key and there is no create: ENOENT, were nsems looked at later. */
	test_expect_label("process p { @g semget key=7 nsems=-1 }\nexpect @g ok\n", "g", EINVAL);
}

static void test_sem_semget_nsems_above_semmsl_is_einval(void)
{
	test_expect_label(
		"sysctl semmsl=4\n"
		"process p { semget key=7 nsems=4 create  @g semget key=8 nsems=5 create }\n"
		"expect @g ok\n",
		"g", EINVAL);
}

static void test_sem_semget_eexist_comes_before_the_size_check(void)
{
	test_expect_label("process p { semget key=7 nsems=2 create\n"
			  "            @g semget key=7 nsems=9 create excl }\n"
			  "expect @g ok\n",
			  "g", EEXIST);
}

static void test_sem_semget_size_check_comes_before_the_permission(void)
{
	test_expect_label("process p { semget key=7 nsems=2 create perm=0600 }\n"
			  "process q uid=1000 start=1ms { @g semget key=7 nsems=3 perm=0600 }\n"
			  "expect @g ok\n",
			  "g", EINVAL);
}

static void test_sem_semget_other_user_without_permission_is_eacces(void)
{
	test_expect_label("process p { semget key=7 nsems=2 create perm=0600 }\n"
			  "process q uid=1000 start=1ms { @g semget key=7 nsems=2 perm=0400 }\n"
			  "expect @g ok\n",
			  "g", EACCES);
}

static void test_sem_semget_unknown_key_without_create_is_enoent(void)
{
	test_expect_label("process p { @g semget key=7 nsems=1 }\nexpect @g ok\n", "g", ENOENT);
}

static void test_sem_semget_creating_zero_semaphores_is_einval(void)
{
	test_expect_label("process p { @g semget key=7 create }\nexpect @g ok\n", "g", EINVAL);
}

static void test_sem_semget_semmns_and_semmni_give_enospc(void)
{
	test_expect_label(
		"sysctl semmns=4\n"
		"process p { semget key=private nsems=3  @g semget key=private nsems=2 }\n"
		"expect @g ok\n",
		"g", ENOSPC);
	test_expect_label(
		"sysctl semmni=1\n"
		"process p { semget key=private nsems=1  @g semget key=private nsems=1 }\n"
		"expect @g ok\n",
		"g", ENOSPC);
}

static void test_sem_semget_ids_are_their_own_id_space(void)
{
	/* A queue and a set made in a fresh namespace both get id 0. */
	expect_all_pass("process p { msgget key=private -> q  @s semget key=private nsems=1 -> s\n"
			"            @t semget key=private nsems=1 }\n"
			"expect @s ret=0\nexpect @t ret=1\n");
}

/* ---- semop: the checks ---- */

static void test_sem_semop_without_operations_is_einval(void)
{
	test_expect_label("process p { semget key=private nsems=1 -> s  @o semop s }\n"
			  "expect @o ok\n",
			  "o", EINVAL);
}

static void test_sem_semop_bad_id_is_einval_before_semopm(void)
{
	test_expect_label("sysctl semopm=1\n"
			  "process p { semget key=9 nsems=1 -> s  @o semop s (0, 1) (0, 1) }\n"
			  "expect @o ok\n",
			  "o", EINVAL);
}

static void test_sem_semop_too_many_operations_is_e2big_before_the_timeout(void)
{
	test_expect_label("sysctl semopm=1\n"
			  "process p { semget key=private nsems=1 -> s\n"
			  "            @o semop s (0, 1) (0, 1) timeout=bad }\n"
			  "expect @o ok\n",
			  "o", E2BIG);
}

static void test_sem_semop_bad_timeout_is_einval_before_efbig(void)
{
	test_expect_label("process p { semget key=private nsems=1 -> s\n"
			  "            @o semop s (5, 1) timeout=bad }\n"
			  "expect @o ok\n",
			  "o", EINVAL);
}

static void test_sem_semop_number_past_the_set_is_efbig_before_eacces(void)
{
	test_expect_label("process p { semget key=7 nsems=2 create perm=0600 }\n"
			  "process q uid=1000 start=1ms { semget key=7 -> s  @o semop s (2, 1) }\n"
			  "expect @o ok\n",
			  "o", EFBIG);
}

static void test_sem_semop_alter_needs_write_and_zero_needs_read(void)
{
	const char *base = "process p { semget key=7 nsems=1 create perm=0644 }\n"
			   "process q uid=1000 start=1ms { semget key=7 -> s\n"
			   "  @z semop s (0, 0)\n"
			   "  @o semop s (0, 1) }\n"
			   "expect @o ok\n"
			   "expect @z ok\n";
	test_expect_label(base, "o", EACCES);
	test_expect_label(base, "z", 0);
}

static void test_sem_semop_value_past_semvmx_is_erange_and_undoes_the_rest(void)
{
	expect_all_pass("process p { semget key=private nsems=2 -> s  semctl s setval 1 32767\n"
			"  @o semop s (0, +1) (1, +1)\n"
			"  @v semctl s getval 0 }\n"
			"expect @o errno=ERANGE\nexpect @v ret=0\n");
}

static void test_sem_semop_undo_past_semaem_is_erange(void)
{
	expect_all_pass("process p { semget key=private nsems=1 -> s\n"
			"  semop s (0, +32767, undo)\n"
			"  semop s (0, -32767)\n"
			"  @o semop s (0, +2, undo)\n"
			"  @v semctl s getval 0 }\n"
			"expect @o errno=ERANGE\nexpect @v ret=0\n");
}

static void test_sem_semop_is_all_or_nothing(void)
{
	expect_all_pass("process p { semget key=private nsems=2 -> s\n"
			"  @o semop s (0, +1) (1, -1, nowait)\n"
			"  @v semctl s getval 0 }\n"
			"expect @o errno=EAGAIN\nexpect @v ret=0\n");
}

static void test_sem_semop_nowait_counts_only_on_the_operation_that_would_block(void)
{
	/* (0, -1, nowait) can go; (1, -1) cannot and has no IPC_NOWAIT: the call waits. */
	expect_all_pass("process p { semget key=7 nsems=2 create -> s  semctl s setval 0 1\n"
			"  @o semop s (0, -1, nowait) (1, -1) }\n"
			"process q start=1ms { semget key=7 -> s  semop s (1, +1) }\n"
			"expect @o blocked ret=0\n");
}

static void test_sem_semtimedop_timeout_is_eagain(void)
{
	expect_all_pass("process p { semget key=private nsems=1 -> s\n"
			"  @o semop s (0, -1) timeout=2ms }\n"
			"expect @o errno=EAGAIN\nexpect time >= 2ms\n");
}

static void test_sem_semop_signal_is_eintr_even_with_sa_restart(void)
{
	expect_all_pass("process p { on SIGUSR1 handler  semget key=7 nsems=1 create -> s\n"
			"  @o semop s (0, -1) }\n"
			"process q start=1ms { kill p SIGUSR1 }\n"
			"expect @o errno=EINTR\n");
}

/* ---- semop: who goes first ---- */

static void test_sem_post_skips_a_waiter_it_cannot_satisfy(void)
{
	expect_all_pass("process init { semget key=7 nsems=1 create }\n"
			"process big start=1ms { semget key=7 -> s  @big semop s (0, -2) }\n"
			"process small start=2ms { semget key=7 -> s  @small semop s (0, -1) }\n"
			"process post start=3ms { semget key=7 -> s  semop s (0, +1)\n"
			"  @n semctl s getncnt 0 }\n"
			"expect @small blocked ret=0\nexpect big state=blocked\nexpect @n ret=1\n");
}

static void test_sem_simple_waiters_on_one_semaphore_go_in_arrival_order(void)
{
	expect_all_pass("process init { semget key=7 nsems=1 create }\n"
			"process a start=1ms { semget key=7 -> s  @a semop s (0, -1) }\n"
			"process b start=2ms { semget key=7 -> s  @b semop s (0, -1) }\n"
			"process post start=3ms { semget key=7 -> s  semop s (0, +1) }\n"
			"expect @a blocked ret=0\nexpect b state=blocked\n");
}

static void test_sem_wait_for_zero_is_released_when_the_value_reaches_zero(void)
{
	expect_all_pass("process init { semget key=7 nsems=1 create -> s  semctl s setval 0 2 }\n"
			"process z start=1ms { semget key=7 -> s  @z semop s (0, 0) }\n"
			"process d start=2ms { semget key=7 -> s  @c semctl s getzcnt 0\n"
			"  semop s (0, -1)  @still semctl s getzcnt 0  semop s (0, -1) }\n"
			"expect @z blocked ret=0\nexpect @c ret=1\nexpect @still ret=1\n");
}

static void test_sem_complex_waiter_moves_the_simple_ones_to_the_global_list(void)
{
	/* After the complex operation blocks, the simple waiter sits on the global list in
	 * front of it: the post goes to the simple one first. */
	TestRun r = test_run_text(
		"process init { semget key=7 nsems=2 create }\n"
		"process a start=1ms { semget key=7 -> s  @a semop s (0, -1) }\n"
		"process c start=2ms { semget key=7 -> s  @c semop s (0, -1) (1, 0) }\n"
		"expect @a blocked\nexpect @c blocked\n",
		FALSE, NULL);
	CU_ASSERT_EQUAL_FATAL(r.w->semns.all->len, 1);
	SimSemArray *sma = g_ptr_array_index(r.w->semns.all, 0);
	CU_ASSERT_EQUAL(sma->sems[0].pending_alter.len, 0);
	CU_ASSERT_EQUAL(sma->pending_alter.len, 2);
	CU_ASSERT_EQUAL(sma->pending_alter.head->task, test_run_task(&r, "a")->id);
	CU_ASSERT_EQUAL(sma->pending_alter.tail->task, test_run_task(&r, "c")->id);
	CU_ASSERT_TRUE(sim_sem_check(sma));
	test_run_free(&r);
}

static void test_sem_simple_waiters_go_back_to_their_lists_when_no_complex_one_waits(void)
{
	TestRun r = test_run_text("process init { semget key=7 nsems=2 create }\n"
				  "process a start=1ms { semget key=7 -> s  @a semop s (0, -1) }\n"
				  "process c start=2ms { semget key=7 -> s  @c semop s (1, -1) (1, "
				  "+1) timeout=1ms }\n"
				  "expect @a blocked\nexpect @c errno=EAGAIN\n",
				  FALSE, NULL);
	SimSemArray *sma = g_ptr_array_index(r.w->semns.all, 0);
	CU_ASSERT_EQUAL(sma->pending_alter.len, 0);
	CU_ASSERT_EQUAL(sma->sems[0].pending_alter.len, 1);
	CU_ASSERT_TRUE(sim_sem_check(sma));
	test_run_free(&r);
}

static void test_sem_merge_puts_the_last_semaphores_waiters_first(void)
{
	TestRun r =
		test_run_text("process init { semget key=7 nsems=2 create }\n"
			      "process a start=1ms { semget key=7 -> s  semop s (0, -1) }\n"
			      "process b start=2ms { semget key=7 -> s  semop s (1, -1) }\n"
			      "process c start=3ms { semget key=7 -> s  semop s (0, -1) (1, -1) }\n"
			      "expect no deadlock\n",
			      FALSE, NULL);
	SimSemArray *sma = g_ptr_array_index(r.w->semns.all, 0);
	const SimWaiter *w = sma->pending_alter.head;
	CU_ASSERT_EQUAL_FATAL(sma->pending_alter.len, 3);
	CU_ASSERT_EQUAL(w->task, test_run_task(&r, "b")->id);
	CU_ASSERT_EQUAL(w->next->task, test_run_task(&r, "a")->id);
	CU_ASSERT_EQUAL(w->next->next->task, test_run_task(&r, "c")->id);
	test_run_free(&r);
}

static void test_sem_timed_out_waiter_stays_listed_until_it_runs(void)
{
	/* c times out at 2.5ms but cannot run before 4.1ms (x holds the CPU). b blocks at
	 * 2.6ms while c is still listed as complex, so b queues behind a on the global list,
	 * and when c leaves both go back to semaphore 0's list in that order: the post goes
	 * to a. Were c gone at its deadline, b would join the semaphore's list before a. */
	expect_all_pass(
		"scheduler priority\n"
		"process init { semget key=7 nsems=1 create }\n"
		"process a start=1ms { semget key=7 -> s  @a semop s (0, -1) }\n"
		"process c start=2ms { semget key=7 -> s\n"
		"  @c semop s (0, -1) (0, +1) timeout=500us }\n"
		"process x priority=3 start=2100us { compute 2ms }\n"
		"process b priority=5 start=2600us { semget key=7 -> s  semop s (0, -1) }\n"
		"process d start=5ms { semget key=7 -> s  semop s (0, +1) }\n"
		"expect @a blocked ret=0\nexpect @c errno=EAGAIN\nexpect b state=blocked\n");
}

static void test_sem_interrupted_waiter_completed_before_it_runs_returns_ok(void)
{
	/* The signal wakes w, but before w runs the post completes its operation: semop
	 * returns 0, and the handler runs after. */
	expect_all_pass("scheduler priority\n"
			"process w { on SIGUSR1 handler  semget key=7 nsems=1 create -> s\n"
			"  @w semop s (0, -1) }\n"
			"process k priority=5 start=1ms { semget key=7 -> s  kill w SIGUSR1\n"
			"  semop s (0, +1) }\n"
			"expect @w blocked ret=0\n");
}

/* ---- SEM_UNDO ---- */

static void test_sem_undo_is_applied_at_exit_and_clamped_at_zero(void)
{
	expect_all_pass(
		"process init { semget key=7 nsems=1 create }\n"
		"process g start=1ms { semget key=7 -> s  semop s (0, +5, undo)  sleep 2ms }\n"
		"process t start=2ms { semget key=7 -> s  semop s (0, -3) }\n"
		"process c start=5ms { semget key=7 -> s  @v semctl s getval 0 }\n"
		"expect @v ret=0\n");
}

static void test_sem_undo_of_a_killed_process_releases_a_waiter(void)
{
	expect_all_pass(
		"process init { semget key=7 nsems=1 create -> s  semctl s setval 0 1 }\n"
		"process h start=1ms { semget key=7 -> s  semop s (0, -1, undo)  sleep 1s }\n"
		"process w start=2ms { semget key=7 -> s  @w semop s (0, -1) }\n"
		"process k start=3ms { kill h SIGKILL }\n"
		"expect @w blocked ret=0\n");
}

static void test_sem_setval_clears_the_undo_entries(void)
{
	expect_all_pass("process init { semget key=7 nsems=1 create }\n"
			"process g start=1ms { semget key=7 -> s  semop s (0, +4, undo)\n"
			"  semctl s setval 0 2 }\n"
			"process c start=5ms { semget key=7 -> s  @v semctl s getval 0 }\n"
			"expect @v ret=2\n");
}

static void test_sem_fork_does_not_inherit_undo_records(void)
{
	expect_all_pass("process p { semget key=private nsems=1 -> s  semop s (0, +3, undo)\n"
			"  fork child { semop s (0, -1) }\n"
			"  wait child  @v semctl s getval 0 }\n"
			"expect @v ret=2\n");
}

/* ---- semctl ---- */

static void test_sem_semctl_setval_range_comes_before_the_id(void)
{
	test_expect_label("process p { semget key=7 nsems=1 create -> s  semctl s rmid\n"
			  "            @c semctl s setval 0 32768 }\n"
			  "expect @c ok\n",
			  "c", ERANGE);
}

static void test_sem_semctl_setval_number_comes_before_the_permission(void)
{
	test_expect_label(
		"process p { semget key=7 nsems=1 create perm=0600 }\n"
		"process q uid=1000 start=1ms { semget key=7 -> s  @c semctl s setval 3 1 }\n"
		"expect @c ok\n",
		"c", EINVAL);
}

static void test_sem_semctl_getval_permission_comes_before_the_number(void)
{
	test_expect_label(
		"process p { semget key=7 nsems=1 create perm=0600 }\n"
		"process q uid=1000 start=1ms { semget key=7 -> s  @c semctl s getval 3 }\n"
		"expect @c ok\n",
		"c", EACCES);
}

static void test_sem_semctl_setall_above_semvmx_is_erange(void)
{
	expect_all_pass("process p { semget key=private nsems=2 -> s\n"
			"  @c semctl s setall 1 40000  @v semctl s getval 0 }\n"
			"expect @c errno=ERANGE\nexpect @v ret=0\n");
}

static void test_sem_semctl_rmid_and_set_need_the_owner(void)
{
	const char *text = "process p { semget key=7 nsems=1 create perm=0666 }\n"
			   "process q uid=1000 start=1ms { semget key=7 -> s\n"
			   "  @set semctl s set mode=0600  @rm semctl s rmid  @st semctl s stat }\n"
			   "expect @rm ok\nexpect @set ok\nexpect @st ok\n";
	test_expect_label(text, "rm", EPERM);
	test_expect_label(text, "set", EPERM);
	test_expect_label(text, "st", 0);
}

static void test_sem_semctl_rmid_fails_waiters_with_eidrm_then_einval(void)
{
	expect_all_pass("process init { semget key=7 nsems=1 create }\n"
			"process w start=1ms { semget key=7 -> s  @w semop s (0, -1)\n"
			"  @again semop s (0, +1) }\n"
			"process r start=2ms { semget key=7 -> s  @n semctl s rmid }\n"
			"expect @w errno=EIDRM\nexpect @again errno=EINVAL\nexpect @n ret=0\n");
}

static void test_sem_semctl_info_returns_the_highest_index_and_a_bad_id_first(void)
{
	expect_all_pass("process p { semget key=private nsems=1  semget key=private nsems=1 -> s\n"
			"  @i semctl s sem_info  semctl s rmid  @bad semctl s info }\n"
			"expect @i ret=1\nexpect @bad ret=0\n");
	test_expect_label("process p { semget key=7 nsems=1 -> s  @i semctl s info }\n"
			  "expect @i ok\n",
			  "i", EINVAL);
}

static void test_sem_semctl_sem_stat_takes_an_index_and_returns_the_id(void)
{
	/* The first set's slot is free again, the second took slot 1; SEM_STAT needs read
	 * permission, SEM_STAT_ANY does not. */
	expect_all_pass(
		"process p { semget key=private nsems=2 -> s  semctl s rmid\n"
		"  semget key=private nsems=3 perm=0600 -> t\n"
		"  repeat 2 as i { @st semctl i sem_stat } }\n"
		"process q uid=1000 start=1ms {\n"
		"  repeat 2 as i { @deny semctl i sem_stat  @any semctl i sem_stat_any } }\n"
		"expect @st ret=1\nexpect @deny errno=EACCES\nexpect @any ret=1\n");
	test_expect_label("process p { semget key=private nsems=1  repeat 1 as i {\n"
			  "  @st semctl i sem_stat } }\nexpect @st ok\n",
			  "st", 0);
}

static void test_sem_semctl_getpid_names_the_last_process(void)
{
	expect_all_pass("process a { semget key=7 nsems=1 create -> s  semop s (0, +1) }\n"
			"process b start=1ms { semget key=7 -> s  @p semctl s getpid 0 }\n"
			"expect @p ret=100\n");
}

/* ---- Parsing, footprints ---- */

static void test_sem_parse_errors_say_what_was_expected(void)
{
	static const struct {
		const char *text, *message;
	} cases[] = {
		{ "process p { semop s (0 -1) }",
		  "t.scn:1:24: error: expected ',' and the operation after the semaphore number, "
		  "found '-'" },
		{ "process p { semop s (0, -1, later) }",
		  "t.scn:1:29: error: expected nowait, undo or ')' in a semop operation, found "
		  "'later'" },
		{ "process p { semop s (0, 40000) }",
		  "t.scn:1:25: error: bad semaphore operation '40000': expected a whole number "
		  "from -32768 to 32767" },
		{ "process p { semctl s set }",
		  "t.scn:1:22: error: 'semctl s set' needs at least one of mode=, uid= or gid=" },
		{ "process p { semctl s getval }",
		  "t.scn:1:29: error: expected a number after 'getval', found '}'" },
		{ "process p { semget nsems=1 }",
		  "t.scn:1:13: error: semget needs key=K, key=private or key=ftok(\"PATH\", ID)" },
		{ "process p { semop s (0, 1) }", "t.scn:1:19: error: unknown variable 's' in "
						  "'semop s' (variables here: none): set "
						  "it with 'semget ... -> s'" },
		{ "process p { shmdt a }", "t.scn:1:19: error: unknown variable 'a' in 'shmdt a' "
					   "(variables here: none): set "
					   "it with 'shmat ... -> a'" },
		{ "process p { shmget key=private size=1 -> m  shmread m 0 1 -> v  shmwrite v 0 "
		  "\"x\" }",
		  "t.scn:1:74: error: variable 'v' holds a received message (set at 1:62), not a "
		  "number: shmwrite needs a variable set by 'shmat ... -> v'" },
	};
	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autoptr(GError) error = NULL;
		g_autoptr(SimScenario) scn =
			sim_scn_parse("t.scn", cases[i].text, strlen(cases[i].text), &error);
		CU_ASSERT_PTR_NULL(scn);
		CU_ASSERT_PTR_NOT_NULL_FATAL(error);
		if (strcmp(error->message, cases[i].message) != 0)
			fprintf(stderr, "\ncase %u:\n want %s\n got  %s\n", i, cases[i].message,
				error->message);
		CU_ASSERT_STRING_EQUAL(error->message, cases[i].message);
	}
}

static void test_sem_semops_on_different_sets_commute(void)
{
	TestRun r = test_run_text("process p { semget key=private nsems=1 -> s\n"
				  "  semget key=private nsems=1 -> t\n"
				  "  @a semop s (0, +1)  @b semop t (0, +1)  @c semop s (0, -1) }\n"
				  "expect @a ok\nexpect @b ok\nexpect @c ok\n",
				  FALSE, NULL);
	SimTask *p = test_run_task(&r, "p");
	const SimBlock *body = &p->prog->body->block;
	SimFootprint fa, fb, fc;
	sim_call_footprint(r.w, p, &body->stmts[2], &fa);
	sim_call_footprint(r.w, p, &body->stmts[3], &fb);
	sim_call_footprint(r.w, p, &body->stmts[4], &fc);
	/* The same task reads itself in each, so compare the set references only. */
	gboolean ab = FALSE, ac = FALSE;
	for (guint i = 0; i < fa.n; i++)
		for (guint j = 0; j < fb.n; j++)
			ab |= fa.refs[i].kind == SIM_OBJ_SEM && fb.refs[j].kind == SIM_OBJ_SEM &&
			      fa.refs[i].id == fb.refs[j].id;
	for (guint i = 0; i < fa.n; i++)
		for (guint j = 0; j < fc.n; j++)
			ac |= fa.refs[i].kind == SIM_OBJ_SEM && fc.refs[j].kind == SIM_OBJ_SEM &&
			      fa.refs[i].id == fc.refs[j].id && (fa.written & (1u << i));
	CU_ASSERT_FALSE(ab);
	CU_ASSERT_TRUE(ac);
	test_run_free(&r);
}

/* A deadlock of two semops names, for each, the semaphore it waits on, its operation, that
 * semaphore's value, the whole operation when it has several, and the set's values. */
static void test_sem_deadlock_report_names_the_semaphore_and_values(void)
{
	TestRun r = test_run_text(
		"process a {\n"
		"    semget key=0x5e70 nsems=2 create perm=0600 -> s\n"
		"    semctl s setall 1 1\n    semop s (0, -1)\n    sleep 10us\n"
		"    semop s (1, -1)\n}\n"
		"process b start=1us {\n    semget key=0x5e70 -> s\n"
		"    semop s (1, -1)\n    sleep 10us\n    semop s (0, -1) (1, 0)\n}\n",
		TRUE, NULL);
	CU_ASSERT_PTR_NOT_NULL(strstr(r.out, "-- deadlock: a stuck in semop s (line 6): would go "
					     "below zero: semaphore 1, op -1, value 0; the set "
					     "holds 0 0; waits for: b\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(r.out, "-- deadlock: b stuck in semop s (line 12): would go "
					     "below zero: semaphore 0, op -1, value 0; in (0, -1) "
					     "(1, 0); the set holds 0 0; waits for: a\n"));
	test_run_free(&r);
}

CU_TestInfo sem_tests[] = {
	{ "semget negative nsems is EINVAL before the key",
	  test_sem_semget_negative_nsems_is_einval_before_the_key },
	{ "semget nsems above semmsl is EINVAL", test_sem_semget_nsems_above_semmsl_is_einval },
	{ "semget EEXIST comes before the size check",
	  test_sem_semget_eexist_comes_before_the_size_check },
	{ "semget size check comes before the permission",
	  test_sem_semget_size_check_comes_before_the_permission },
	{ "semget other user without permission is EACCES",
	  test_sem_semget_other_user_without_permission_is_eacces },
	{ "semget unknown key without create is ENOENT",
	  test_sem_semget_unknown_key_without_create_is_enoent },
	{ "semget creating zero semaphores is EINVAL",
	  test_sem_semget_creating_zero_semaphores_is_einval },
	{ "semget semmns and semmni give ENOSPC", test_sem_semget_semmns_and_semmni_give_enospc },
	{ "semget ids are their own id space", test_sem_semget_ids_are_their_own_id_space },
	{ "semop without operations is EINVAL", test_sem_semop_without_operations_is_einval },
	{ "semop bad id is EINVAL before semopm", test_sem_semop_bad_id_is_einval_before_semopm },
	{ "semop too many operations is E2BIG before the timeout",
	  test_sem_semop_too_many_operations_is_e2big_before_the_timeout },
	{ "semop bad timeout is EINVAL before EFBIG",
	  test_sem_semop_bad_timeout_is_einval_before_efbig },
	{ "semop number past the set is EFBIG before EACCES",
	  test_sem_semop_number_past_the_set_is_efbig_before_eacces },
	{ "semop alter needs write and zero needs read",
	  test_sem_semop_alter_needs_write_and_zero_needs_read },
	{ "semop value past SEMVMX is ERANGE and undoes the rest",
	  test_sem_semop_value_past_semvmx_is_erange_and_undoes_the_rest },
	{ "semop undo past SEMAEM is ERANGE", test_sem_semop_undo_past_semaem_is_erange },
	{ "semop is all or nothing", test_sem_semop_is_all_or_nothing },
	{ "semop nowait counts only on the operation that would block",
	  test_sem_semop_nowait_counts_only_on_the_operation_that_would_block },
	{ "semtimedop timeout is EAGAIN", test_sem_semtimedop_timeout_is_eagain },
	{ "semop signal is EINTR even with SA_RESTART",
	  test_sem_semop_signal_is_eintr_even_with_sa_restart },
	{ "post skips a waiter it cannot satisfy", test_sem_post_skips_a_waiter_it_cannot_satisfy },
	{ "simple waiters on one semaphore go in arrival order",
	  test_sem_simple_waiters_on_one_semaphore_go_in_arrival_order },
	{ "wait for zero is released when the value reaches zero",
	  test_sem_wait_for_zero_is_released_when_the_value_reaches_zero },
	{ "complex waiter moves the simple ones to the global list",
	  test_sem_complex_waiter_moves_the_simple_ones_to_the_global_list },
	{ "simple waiters go back to their lists when no complex one waits",
	  test_sem_simple_waiters_go_back_to_their_lists_when_no_complex_one_waits },
	{ "merge puts the last semaphore's waiters first",
	  test_sem_merge_puts_the_last_semaphores_waiters_first },
	{ "timed-out waiter stays listed until it runs",
	  test_sem_timed_out_waiter_stays_listed_until_it_runs },
	{ "interrupted waiter completed before it runs returns ok",
	  test_sem_interrupted_waiter_completed_before_it_runs_returns_ok },
	{ "undo is applied at exit and clamped at zero",
	  test_sem_undo_is_applied_at_exit_and_clamped_at_zero },
	{ "undo of a killed process releases a waiter",
	  test_sem_undo_of_a_killed_process_releases_a_waiter },
	{ "setval clears the undo entries", test_sem_setval_clears_the_undo_entries },
	{ "fork does not inherit undo records", test_sem_fork_does_not_inherit_undo_records },
	{ "semctl setval range comes before the id",
	  test_sem_semctl_setval_range_comes_before_the_id },
	{ "semctl setval number comes before the permission",
	  test_sem_semctl_setval_number_comes_before_the_permission },
	{ "semctl getval permission comes before the number",
	  test_sem_semctl_getval_permission_comes_before_the_number },
	{ "semctl setall above SEMVMX is ERANGE", test_sem_semctl_setall_above_semvmx_is_erange },
	{ "semctl rmid and set need the owner", test_sem_semctl_rmid_and_set_need_the_owner },
	{ "semctl rmid fails waiters with EIDRM then EINVAL",
	  test_sem_semctl_rmid_fails_waiters_with_eidrm_then_einval },
	{ "semctl info returns the highest index and a bad id first",
	  test_sem_semctl_info_returns_the_highest_index_and_a_bad_id_first },
	{ "semctl getpid names the last process", test_sem_semctl_getpid_names_the_last_process },
	{ "semctl sem_stat takes an index and returns the id",
	  test_sem_semctl_sem_stat_takes_an_index_and_returns_the_id },
	{ "parse errors say what was expected", test_sem_parse_errors_say_what_was_expected },
	{ "semops on different sets commute", test_sem_semops_on_different_sets_commute },
	{ "deadlock report names the semaphore and values",
	  test_sem_deadlock_report_names_the_semaphore_and_values },
	CU_TEST_INFO_NULL,
};
