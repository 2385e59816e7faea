/* test_explore_alarm.c — alarms with time abstracted (explore.c, schedule.c, world.c's
 * sim_world_fire_alarm): a pending alarm's SIGALRM is a step of its own, written NAME! in a
 * schedule, that may come anywhere until the alarm is cancelled, replaced or its process
 * ends; and free runs of alarms on the real kernel (xcheck_free.c). */
#include <CUnit/CUnit.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>

#include "explore/explore_int.h"
#include "msgsim/real/xcheck.h"
#include "tests.h"

static SimScenario *explored(const char *text, gboolean reduce, SimExploreResult *r)
{
	g_autoptr(GError) error = NULL;
	SimScenario *scn = sim_scn_parse("t.scn", text, strlen(text), &error);
	CU_ASSERT_PTR_NOT_NULL_FATAL(scn);
	SimExploreOptions o = { .no_reduction = !reduce };
	CU_ASSERT_TRUE_FATAL(sim_explore_run(scn, &o, r, &error));
	return scn;
}

static gboolean has_outcome(const SimExploreResult *r, const char *text)
{
	for (guint i = 0; i < r->outcomes->len; i++)
		if (strcmp(((const SimOutcome *)g_ptr_array_index(r->outcomes, i))->text, text) == 0)
			return TRUE;
	return FALSE;
}

/* p's alarm comes before its `alarm 0` (killed) or never (cancelled, returns 5 s). */
static const char CANCEL_TEXT[] = "process p { alarm 5  @x alarm 0 }\n";

static void test_explore_alarm_comes_anywhere_until_cancelled(void)
{
	SimExploreResult r;
	g_autoptr(SimScenario) scn = explored(CANCEL_TEXT, TRUE, &r);
	CU_ASSERT_TRUE(r.complete);
	CU_ASSERT_EQUAL(r.outcomes->len, 2);
	CU_ASSERT_TRUE(has_outcome(&r, "p: alarm; killed SIGALRM\n"));
	CU_ASSERT_TRUE(has_outcome(&r, "p: alarm; alarm =5; exit 0\n"));
	gboolean bang = FALSE;
	for (guint i = 0; i < r.outcomes->len; i++)
		bang = bang || strstr(((const SimOutcome *)g_ptr_array_index(r.outcomes, i))
					      ->witness,
				      "p!") != NULL;
	CU_ASSERT_TRUE(bang);
	sim_explore_result_clear(&r);
}

/* A caught alarm cuts a blocked read short wherever it comes, or comes after the read
 * was written to; the reduction finds every outcome the full search does. */
static const char CUT_TEXT[] = "process r {\n"
			       "  on SIGALRM handler norestart\n"
			       "  pipe -> p\n"
			       "  fork w { write p.w \"x\" }\n"
			       "  alarm 2\n"
			       "  read p.r size=1\n"
			       "  alarm 0\n"
			       "  wait w\n"
			       "}\n";

static void test_explore_alarm_reduction_keeps_every_outcome(void)
{
	SimExploreResult full, reduced;
	g_autoptr(SimScenario) a = explored(CUT_TEXT, FALSE, &full);
	g_autoptr(SimScenario) b = explored(CUT_TEXT, TRUE, &reduced);
	CU_ASSERT_TRUE(full.complete && reduced.complete);
	CU_ASSERT_TRUE(full.outcomes->len >= 3);
	CU_ASSERT_EQUAL(full.outcomes->len, reduced.outcomes->len);
	for (guint i = 0; i < full.outcomes->len; i++)
		CU_ASSERT_TRUE(has_outcome(
			&reduced, ((const SimOutcome *)g_ptr_array_index(full.outcomes, i))->text));
	CU_ASSERT_TRUE(reduced.stats.executions <= full.stats.executions);
	sim_explore_result_clear(&full);
	sim_explore_result_clear(&reduced);
}

/* NAME! replays an alarm; one not pending, or a name that is no process's, says why. */
static gboolean replays(const SimScenario *scn, const char *text, const char *why)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(SimSchedule) s = sim_schedule_parse(scn, text, &error);
	if (s) {
		SimWorldOptions wo = { 0 };
		sim_schedule_options(s, &wo);
		g_autoptr(SimWorld) w = sim_world_new(scn, &wo);
		if (sim_schedule_run(s, w, &error))
			return why == NULL && w->tasks[0].killed_by == SIGALRM;
	}
	if (!why || !strstr(error->message, why)) {
		fprintf(stderr, "\n%s: %s\n", text, error->message);
		return FALSE;
	}
	return TRUE;
}

static void test_explore_alarm_name_bang_replays_an_alarm(void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(SimScenario) scn = sim_scn_parse("t.scn", CANCEL_TEXT, strlen(CANCEL_TEXT), &error);
	CU_ASSERT_PTR_NOT_NULL_FATAL(scn);
	CU_ASSERT_TRUE(replays(scn, "p,p!", NULL));
	CU_ASSERT_TRUE(replays(scn, "p!", "p has no alarm pending here"));
	CU_ASSERT_TRUE(replays(scn, "p,q!", "no process has that name"));
	CU_ASSERT_TRUE(replays(scn, "strict:p!", "a strict: schedule holds choices"));
}

/* On the real kernel: the coordinator makes each pending alarm come at a random moment, and
 * every run's outcome is one the exploration found. */
static void test_explore_alarm_free_runs_land_in_the_set(void)
{
	static const char text[] = "process main {\n"
				   "  alarm 5 -> a\n"
				   "  alarm 7 -> b\n"
				   "  fork kid { on SIGALRM handler  alarm 3  alarm 0 }\n"
				   "  wait kid\n"
				   "  alarm 0\n"
				   "}\n";
	g_autoptr(GError) error = NULL;
	g_autoptr(SimScenario) scn = sim_scn_parse("t.scn", text, strlen(text), &error);
	CU_ASSERT_PTR_NOT_NULL_FATAL(scn);
	SimXcheckOptions opt = { .seed = 47, .seed_set = TRUE, .quiet_ms = 150 };
	SimXcheckFree fr;
	CU_ASSERT_TRUE_FATAL(sim_xcheck_free(scn, "t.scn", &opt, 6, 0, 30, &fr, &error));
	CU_ASSERT_EQUAL(fr.verdict, SIM_XCHECK_MATCH);
	CU_ASSERT_EQUAL(fr.runs, 6);
	CU_ASSERT_TRUE(fr.complete);
	CU_ASSERT_EQUAL(fr.outside + fr.diverged + fr.failed, 0);
	if (fr.verdict != SIM_XCHECK_MATCH || fr.outside || fr.diverged || fr.failed)
		fprintf(stderr, "\n%s\n%s\n", fr.text ? fr.text : "", fr.reason ? fr.reason : "");
	sim_xcheck_free_clear(&fr);
	CU_ASSERT_EQUAL(waitpid(-1, NULL, WNOHANG), -1);
}

/* The stateful walk steps pending alarms as DPOR does, holds them in its snapshots and
 * digests them (snap_sig.c), and finds DPOR's outcomes; with a handler body running when an
 * alarm comes, too. */
static const char BODY_TEXT[] = "process r {\n"
				"  on SIGALRM handler { print \"alarm\"\n compute 1ms }\n"
				"  pipe -> p\n"
				"  fork w { write p.w \"x\" }\n"
				"  alarm 2\n"
				"  read p.r size=1\n"
				"  alarm 0 -> left\n"
				"  wait w\n"
				"}\n";

static void test_explore_alarm_stateful_finds_dpor_outcomes(void)
{
	test_stateful_same_outcomes("cancel.scn", CANCEL_TEXT, FALSE);
	test_stateful_same_outcomes("cut.scn", CUT_TEXT, TRUE);
	test_stateful_same_outcomes("body.scn", BODY_TEXT, TRUE);
	test_same_walk("body.scn", BODY_TEXT, FALSE);
	test_same_walk("scenarios/signals/alarm-fire.scn", NULL, FALSE);
	test_same_walk("scenarios/signals/alarm-fire.scn", NULL, TRUE);
	/* which DPOR does not finish in a unit test's time: the walk does, stateful */
	g_autoptr(SimScenario) scn = test_scn_load("scenarios/signals/alarm-fire.scn", NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(scn);
	SimExploreOptions o = { .stateful = TRUE, .max_seconds = 60 };
	SimExploreResult r;
	g_autoptr(GError) error = NULL;
	CU_ASSERT_TRUE_FATAL(sim_explore_run(scn, &o, &r, &error));
	CU_ASSERT_TRUE(r.complete && r.stateful && r.stats.merged > 0);
	CU_ASSERT_EQUAL(r.outcomes->len, 4);
	sim_explore_result_clear(&r);
}

/* An alarm is in the digest as what alarm() would return now: p's alarm of 5 s after p and
 * q ran in two orders (one context switch or two: clocks 100 us apart) is one state; an
 * alarm of 4 s, or none, is another. */
static void test_explore_alarm_digest_reads_the_seconds_left(void)
{
	static const char fmt[] = "cost switch=100us\n"
				  "process p { alarm %d\n compute 1ms\n compute 1ms }\n"
				  "process q { compute 1ms }\n";
	g_autofree char *five = g_strdup_printf(fmt, 5);
	g_autofree char *four = g_strdup_printf(fmt, 4);
	g_autofree char *none = g_strdup_printf(fmt, 0);
	static const guint pq[] = { 0, 0, 0, 1 }, qp[] = { 0, 1, 0, 0 }; /* 1, 2 switches */
	CU_ASSERT_EQUAL(test_digest_after_recorded(five, pq, 4, FALSE),
			test_digest_after_recorded(five, qp, 4, FALSE));
	CU_ASSERT_NOT_EQUAL(test_digest_after_recorded(five, pq, 4, FALSE),
			    test_digest_after_recorded(four, pq, 4, FALSE));
	CU_ASSERT_NOT_EQUAL(test_digest_after_recorded(five, pq, 4, FALSE),
			    test_digest_after_recorded(none, pq, 4, FALSE));
}

CU_TestInfo explore_alarm_tests[] = {
	{ "the stateful walk finds DPOR's outcomes",
	  test_explore_alarm_stateful_finds_dpor_outcomes },
	{ "the digest reads the seconds left", test_explore_alarm_digest_reads_the_seconds_left },
	{ "an alarm comes anywhere until cancelled",
	  test_explore_alarm_comes_anywhere_until_cancelled },
	{ "the reduction keeps every outcome", test_explore_alarm_reduction_keeps_every_outcome },
	{ "NAME! replays an alarm", test_explore_alarm_name_bang_replays_an_alarm },
	{ "free runs land in the set", test_explore_alarm_free_runs_land_in_the_set },
	CU_TEST_INFO_NULL,
};
