/* test_sem_expect.c — `expect sem key=K NUM val= ncnt= zcnt= pid=`: how it parses, what it
 * reads at the end of a run, and what a failure says it saw; and the trace line of an undo
 * record applied at exit.
 *
 * The expectation finds the set that last had the key, so the runs here leave a set live
 * (to see waiters counted) or remove it (to see the values kept as they were at IPC_RMID).
 */
#include <string.h>

#include "tests.h"

/* Runs text and returns the "seen" text of its expectation number i (and whether it held). */
static gboolean seen_of(const char *text, guint i, GString *seen)
{
	TestRun r = test_run_text(text, FALSE, NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(r.scn);
	CU_ASSERT_TRUE_FATAL(i < r.scn->n_expects);
	gboolean ok = sim_report_expectation(r.w, &r.scn->expects[i], seen);
	test_run_free(&r);
	return ok;
}

static void test_sem_expect_reads_value_and_last_pid(void)
{
	g_autoptr(GString) seen = g_string_new(NULL);
	const char *text = "process a { semget key=0x51 nsems=2 create -> s  semop s (1, +3) }\n"
			   "process b start=1ms { semget key=0x51 -> s  semop s (1, -1) }\n"
			   "expect sem key=0x51 1 val=2 pid=b\n"
			   "expect sem key=0x51 0 val=0 pid=none\n";
	CU_ASSERT_TRUE(seen_of(text, 0, seen));
	CU_ASSERT_STRING_EQUAL(seen->str, "val=2 pid=b");
	g_string_truncate(seen, 0);
	CU_ASSERT_TRUE(seen_of(text, 1, seen));
	CU_ASSERT_STRING_EQUAL(seen->str, "val=0 pid=none");
}

static void test_sem_expect_counts_the_waiters_left_blocked(void)
{
	/* Two wait for a unit that never comes, one waits for zero on a value of 1; SETVAL
	 * makes its caller the last pid, as in the kernel. */
	g_autoptr(GString) seen = g_string_new(NULL);
	const char *text = "process a { semget key=0x52 nsems=1 create -> s  semctl s setval 0 1 }\n"
			   "process w[2] start=1ms { semget key=0x52 -> s  semop s (0, -2) }\n"
			   "process z start=1ms { semget key=0x52 -> s  semop s (0, 0) }\n"
			   "expect sem key=0x52 0 val=1 ncnt=2 zcnt=1 pid=a\n";
	CU_ASSERT_TRUE(seen_of(text, 0, seen));
	CU_ASSERT_STRING_EQUAL(seen->str, "val=1 ncnt=2 zcnt=1 pid=a");
}

static void test_sem_expect_reads_a_removed_set_as_it_was(void)
{
	g_autoptr(GString) seen = g_string_new(NULL);
	const char *text = "process a { semget key=0x53 nsems=1 create -> s  semop s (0, +4)\n"
			   "  semctl s rmid  semget key=0x53 nsems=1 create -> t  semctl t rmid\n"
			   "  semget key=0x54 nsems=1 create -> u  semop u (0, +1)  semctl u rmid }\n"
			   "expect sem key=0x54 0 val=1 pid=a\n"
			   "expect sem key=0x53 0 val=0\n";
	CU_ASSERT_TRUE(seen_of(text, 0, seen));
	g_string_truncate(seen, 0);
	/* The newest set with the key, not the first one (whose value is 4). */
	CU_ASSERT_TRUE(seen_of(text, 1, seen));
	CU_ASSERT_STRING_EQUAL(seen->str, "val=0");
}

static void test_sem_expect_failures_say_what_was_seen(void)
{
	g_autoptr(GString) seen = g_string_new(NULL);
	const char *text = "process a { semget key=0x55 nsems=2 create -> s }\n"
			   "expect sem key=0x56 0 val=0\n"
			   "expect sem key=0x55 2 val=0\n"
			   "expect sem key=0x55 1 val=1\n";
	CU_ASSERT_FALSE(seen_of(text, 0, seen));
	CU_ASSERT_STRING_EQUAL(seen->str, "no semaphore set ever had key 0x00000056");
	g_string_truncate(seen, 0);
	CU_ASSERT_FALSE(seen_of(text, 1, seen));
	CU_ASSERT_STRING_EQUAL(seen->str, "the set has 2 semaphores");
	g_string_truncate(seen, 0);
	CU_ASSERT_FALSE(seen_of(text, 2, seen));
	CU_ASSERT_STRING_EQUAL(seen->str, "val=0");
}

static void test_sem_expect_parse_errors_say_what_was_expected(void)
{
	static const struct {
		const char *text, *message;
	} cases[] = {
		{ "expect sem key=5 0 qnum=1",
		  "t.scn:1:20: error: a semaphore has no statistic 'qnum' (expected val, ncnt, "
		  "zcnt or pid)" },
		{ "expect sem key=5 0 vall=1",
		  "t.scn:1:20: error: unknown option 'vall' for semaphore statistics (expected "
		  "val, ncnt, zcnt or pid)" },
		{ "expect sem key=5 val=1",
		  "t.scn:1:18: error: expected a semaphore number after 'expect sem key=K', found "
		  "'val'" },
		{ "expect sem 0 val=1", "t.scn:1:12: error: expected key=K after 'expect sem', "
					"found '0'" },
		{ "expect sem key=0 0 val=1",
		  "t.scn:1:16: error: bad key '0': expected a key from 1 to 0xffffffff (key 0 is "
		  "IPC_PRIVATE: no set has it)" },
		{ "expect sem key=5 70000 val=1",
		  "t.scn:1:18: error: bad semaphore number '70000': expected a semaphore number "
		  "from 0 to 65535" },
		{ "expect sem key=5 0", "t.scn:1:19: error: expected a statistic like val=N after "
					"'expect sem key=K NUM', found end of file" },
		{ "expect sem key=5 0 pid=7",
		  "t.scn:1:24: error: expected a process name or none after 'pid=', found '7'" },
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

static void test_sem_expect_a_sysv_queue_named_sem_keeps_its_statistics(void)
{
	TestRun r = test_run_text("sysv queue sem key=9\nprocess p { msgsnd sem \"x\" }\n"
				  "expect sem key=9 qnum=1\n",
				  FALSE, NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(r.scn);
	CU_ASSERT_EQUAL(r.verdict.failed, 0);
	CU_ASSERT_EQUAL(r.verdict.passed, 1);
	test_run_free(&r);
}

static void test_sem_undo_at_exit_is_traced_with_its_clamp(void)
{
	/* a's record: -2 on sem 0, -3 on sem 1 (b took those units: clamped at 0), 0 on
	 * sem 2 (up then down: not shown). c's record nets to 0: no line at all. */
	TestRun r = test_run_text(
		"process a { semget key=0x57 nsems=3 create -> s\n"
		"  semop s (0, +2, undo) (1, +3, undo) (2, +1, undo)  semop s (2, -1, undo)\n"
		"  sleep 1ms }\n"
		"process b start=10us { semget key=0x57 -> s  semop s (1, -3) }\n"
		"process c start=20us { semget key=0x57 -> s  semop s (0, +1, undo)\n"
		"  semop s (0, -1, undo) }\n",
		TRUE, NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(r.out);
	CU_ASSERT_PTR_NOT_NULL(strstr(r.out, "a           undo at exit on semaphore set 0: "
					     "sem 0 -2, sem 1 -3 (clamped to 0)\n"));
	CU_ASSERT_PTR_NULL(strstr(r.out, "c           undo"));
	test_run_free(&r);
}

CU_TestInfo sem_expect_tests[] = {
	{ "undo at exit is traced with its clamp", test_sem_undo_at_exit_is_traced_with_its_clamp },
	{ "reads value and last pid", test_sem_expect_reads_value_and_last_pid },
	{ "counts the waiters left blocked", test_sem_expect_counts_the_waiters_left_blocked },
	{ "reads a removed set as it was", test_sem_expect_reads_a_removed_set_as_it_was },
	{ "failures say what was seen", test_sem_expect_failures_say_what_was_seen },
	{ "parse errors say what was expected",
	  test_sem_expect_parse_errors_say_what_was_expected },
	{ "a sysv queue named sem keeps its statistics",
	  test_sem_expect_a_sysv_queue_named_sem_keeps_its_statistics },
	CU_TEST_INFO_NULL,
};
