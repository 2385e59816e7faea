/* test_exec_search.c — the schedules of real programs (sim/exec/search.c): witnesses as
 * text, and which guest a choice point takes; and the outcome set both searches share
 * (sim/explore/outset.c).
 *
 * The guests are this process itself, as in test_exec.c: a choice never runs a guest, it
 * only reads a parked call's registers (and, for an open, its path from memory).
 */
#undef _POSIX_C_SOURCE
#define _GNU_SOURCE

#include <CUnit/CUnit.h>
#include <stdint.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "exec/exec_int.h"
#include "tests.h"

static void test_witness_text_is_read_or_refused_with_the_item(void)
{
	static const char *const good[] = { "2", "2*3,3,2", "-", " 4 * 2 , 3" };
	for (gsize i = 0; i < G_N_ELEMENTS(good); i++) {
		g_autoptr(GError) error = NULL;
		SimExecChooser *ch = sim_exec_schedule_parse(good[i], &error);
		CU_ASSERT_PTR_NOT_NULL(ch);
		CU_ASSERT_FALSE(ch && sim_exec_schedule_misfit(ch));
		sim_exec_chooser_free(ch);
	}
	static const struct {
		const char *text, *item;
	} bad[] = { { "", "item 1:" },	    { "2,,3", "item 2:" }, { "0", "item 1:" },
		    { "2*0", "item 1:" },   { "x", "item 1:" },	   { "2,3*y", "item 2:" },
		    { "2**3", "item 1:" }, { "-1", "item 1:" } };
	for (gsize i = 0; i < G_N_ELEMENTS(bad); i++) {
		g_autoptr(GError) error = NULL;
		CU_ASSERT_PTR_NULL(sim_exec_schedule_parse(bad[i].text, &error));
		CU_ASSERT_PTR_NOT_NULL(error && strstr(error->message, bad[i].item));
	}
}

static SimExecOptions opt;

static SimExec *guests(const char *witness, guint n)
{
	static SimExec x;
	g_autoptr(GError) error = NULL;
	opt.quiet = TRUE;
	opt.chooser = sim_exec_schedule_parse(witness, &error);
	sim_exec_model_init(&x, &opt, stdout);
	for (guint i = 0; i < n; i++) {
		SimGuest *g = sim_exec_guest_add(&x);
		g->pid = getpid();
		g->nspid = 2 + (int)i;
		g->name = g_strdup_printf("%u self", 2 + i);
		g->listener = g->pidfd = g->errpipe = -1;
		sim_exec_task_init(&x, g, NULL);
		g->task->pid = g->nspid;
		sim_exec_task_park(&x, g);
		g->notif.data.nr = __NR_msgrcv;
	}
	return &x;
}

static void done(SimExec *x)
{
	sim_exec_chooser_free(opt.chooser);
	opt.chooser = NULL;
	sim_exec_model_clear(x);
}

static void test_a_choice_point_takes_the_witness_pid_and_local_calls_go_first(void)
{
	SimExec *x = guests("3,2", 3);
	SimGuest *ready[3] = { sim_exec_guest(x, 0), sim_exec_guest(x, 1), sim_exec_guest(x, 2) };
	/* A write to the terminal and an open of a plain file are no choice points: the
	 * first such guest goes, and the witness is not used. */
	sim_exec_guest(x, 2)->notif.data.nr = __NR_write;
	CU_ASSERT_PTR_EQUAL(sim_exec_choose(x, ready, 3), sim_exec_guest(x, 2));
	static const char plain[] = "/etc/passwd", model[] = "/proc/sysvipc/msg";
	sim_exec_guest(x, 2)->notif.data.nr = __NR_openat;
	sim_exec_guest(x, 2)->notif.data.args[1] = (guint64)(uintptr_t)plain;
	CU_ASSERT_PTR_EQUAL(sim_exec_choose(x, ready, 3), sim_exec_guest(x, 2));
	/* An open of a file the model shows reads the model: a choice point. */
	sim_exec_guest(x, 2)->notif.data.args[1] = (guint64)(uintptr_t)model;
	CU_ASSERT_PTR_EQUAL(sim_exec_choose(x, ready, 3), sim_exec_guest(x, 1)); /* pid 3 */
	/* A sleeper's wake-up goes at once; a woken receive is a choice point. */
	sim_exec_task_run(x, sim_exec_guest(x, 0)); /* picked, blocked, woken */
	sim_exec_task_block(x, sim_exec_guest(x, 0), "nanosleep");
	sim_exec_task_wake(x, sim_exec_guest(x, 0));
	sim_exec_guest(x, 0)->notif.data.nr = __NR_nanosleep;
	CU_ASSERT_PTR_EQUAL(sim_exec_choose(x, ready, 3), sim_exec_guest(x, 0));
	sim_exec_guest(x, 0)->notif.data.nr = __NR_msgrcv;
	CU_ASSERT_PTR_EQUAL(sim_exec_choose(x, ready, 3), sim_exec_guest(x, 0)); /* pid 2 */
	/* The witness has run out while guests can go: the run is refused, naming them. */
	CU_ASSERT_PTR_NULL(sim_exec_choose(x, ready, 2));
	CU_ASSERT_PTR_NOT_NULL(x->refusal && strstr(x->refusal, "can go: 2, 3)"));
	CU_ASSERT_TRUE(sim_exec_schedule_misfit(opt.chooser));
	done(x);
	x = guests("4", 3);
	for (guint i = 0; i < 3; i++) /* the new run's guests */
		ready[i] = sim_exec_guest(x, i);
	CU_ASSERT_PTR_NULL(sim_exec_choose(x, ready, 2)); /* pid 4 is not among 2 and 3 */
	CU_ASSERT_PTR_NOT_NULL(x->refusal &&
			       strstr(x->refusal, "choice 1 of the witness is pid 4, which "
						  "cannot go there (pids that can: 2, 3)"));
	done(x);
}

static void test_the_outcome_set_counts_once_per_text_and_sorts(void)
{
	SimOutcomeSet *s = sim_outcome_set_new();
	SimOutcome *b = sim_outcome_set_get(s, "b\n", FALSE);
	SimOutcome *a = sim_outcome_set_get(s, "a\n", TRUE);
	CU_ASSERT_PTR_EQUAL(sim_outcome_set_get(s, "b\n", TRUE), b);
	CU_ASSERT_FALSE(b->deadlock); /* the first execution's */
	CU_ASSERT_TRUE(a->deadlock);
	CU_ASSERT_EQUAL(b->hash, sim_outcome_hash("b\n"));
	CU_ASSERT_EQUAL(b->count, 0);
	SimExploreResult r = { 0 };
	sim_outcome_set_finish(s, &r);
	CU_ASSERT_EQUAL(r.outcomes->len, 2);
	CU_ASSERT_PTR_EQUAL(g_ptr_array_index(r.outcomes, 0), a);
	sim_explore_result_clear(&r);
}

extern CU_TestInfo exec_search_tests[];
CU_TestInfo exec_search_tests[] = {
	{ "witness: PID, PID*N, -; a bad item is named", test_witness_text_is_read_or_refused_with_the_item },
	{ "choice point: the witness's pid, local calls first, a misfit refused",
	  test_a_choice_point_takes_the_witness_pid_and_local_calls_go_first },
	{ "outcome set: one outcome per text, sorted at the end",
	  test_the_outcome_set_counts_once_per_text_and_sorts },
	CU_TEST_INFO_NULL,
};
