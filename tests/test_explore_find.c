/* test_explore_find.c — a search for one outcome (SimExploreOptions.target): it finds each
 * outcome of a complete set with a witness that replays to it, in every mode of the search;
 * it says when no schedule reaches one, gives up the executions that leave it, follows a
 * guide, stops at its bounds, and reads an outcome as explore prints it. */
#include <string.h>

#include "tests.h"
#include "msgsim/explore/explore.h"
#include "explore/explore_int.h"

/* P2's two receives and P3's one race for P1's two messages through a one-slot mailbox. */
static const char *const RACE = "mailbox A capacity=1\n"
				"process P1 { send A \"x\"  send A \"y\" }\n"
				"process P2 { receive A  receive A nowait }\n"
				"process P3 { receive A nowait }\n";

/* The same race through a SysV queue. */
static const char *const SYSV_RACE = "sysv queue q key=0x2251 perm=0600\n"
				     "process P1 { msgsnd q \"x\" size=1  msgsnd q \"y\" size=1 }\n"
				     "process P2 { msgrcv q size=8  msgrcv q size=8 nowait }\n"
				     "process P3 { msgrcv q size=8 nowait }\n";

/* A waiter on a semaphore and its removal: ENOENT, EIDRM, EINVAL or a wait for ever. */
static const char *const SEM = "process init { semget key=0x5e10 nsems=1 create perm=0600 -> s }\n"
			       "process a { semget key=0x5e10 -> s  semop s (0, -1) }\n"
			       "process k { semget key=0x5e10 -> s  semctl s rmid }\n";

/* Four senders of two messages each and a receiver of three: many states, and the ones
 * where the receiver gets a given three are few. */
static const char *const MANY = "mailbox A capacity=unbounded\n"
				"process S0 { send A \"a0\"  send A \"a1\" }\n"
				"process S1 { send A \"b0\"  send A \"b1\" }\n"
				"process S2 { send A \"c0\"  send A \"c1\" }\n"
				"process S3 { send A \"d0\"  send A \"d1\" }\n"
				"process R { receive A  receive A  receive A }\n";

/* An outcome of RACE no schedule reaches: P2 cannot receive "x" twice. */
static const char *const NEVER = "P1: send; send; exit 0\n"
				 "P2: receive \"x\"; receive \"x\"; exit 0\n"
				 "P3: receive ENOMSG; exit 0\n";

/* An outcome of MANY: the receiver gets d0, c0, d1. */
static const char *const WANT = "S0: send; send; exit 0\n"
				"S1: send; send; exit 0\n"
				"S2: send; send; exit 0\n"
				"S3: send; send; exit 0\n"
				"R: receive \"d0\"; receive \"c0\"; receive \"d1\"; exit 0\n"
				"mailbox A: \"a0\" \"a1\" \"b0\" \"b1\" \"c1\"\n";

static SimScenario *parse(const char *text)
{
	SimScenario *scn = test_scn_load("t.scn", text);
	CU_ASSERT_PTR_NOT_NULL_FATAL(scn);
	return scn;
}

static void run(const SimScenario *scn, const SimExploreOptions *o, SimExploreResult *r)
{
	g_autoptr(GError) error = NULL;
	CU_ASSERT_TRUE_FATAL(sim_explore_run(scn, o, r, &error));
}

/* Whether r holds an outcome with exactly text. */
static gboolean holds(const SimExploreResult *r, const char *text)
{
	for (guint i = 0; i < r->outcomes->len; i++)
		if (strcmp(((const SimOutcome *)g_ptr_array_index(r->outcomes, i))->text, text) == 0)
			return TRUE;
	return FALSE;
}

/* Each outcome of text's complete set, looked for alone with the options base (plus the
 * target): found, its witness replaying to it. */
static void each_outcome_is_found(const char *text, SimExploreOptions base)
{
	g_autoptr(SimScenario) scn = parse(text);
	SimExploreOptions all = base;
	SimExploreResult full;
	run(scn, &all, &full);
	CU_ASSERT_TRUE_FATAL(full.complete);
	CU_ASSERT_TRUE(full.outcomes->len > 2);
	guint64 off = 0;
	for (guint i = 0; i < full.outcomes->len; i++) {
		const SimOutcome *want = g_ptr_array_index(full.outcomes, i);
		SimExploreOptions o = base;
		o.target = want->text;
		SimExploreResult r;
		run(scn, &o, &r);
		CU_ASSERT_TRUE(r.found);
		CU_ASSERT_FALSE(r.complete); /* it stopped there */
		CU_ASSERT_TRUE(holds(&r, want->text));
		CU_ASSERT_TRUE(test_witnesses_replay(scn, &r));
		off += r.stats.off_target;
		sim_explore_result_clear(&r);
	}
	/* Where the search prunes by state it also gives up what leaves the target; DPOR
	 * runs its executions whole. */
	if (full.stateful) {
		CU_ASSERT_TRUE(off > 0);
	} else {
		CU_ASSERT_EQUAL(off, 0);
	}
	sim_explore_result_clear(&full);
}

static void test_find_each_outcome_in_the_walk(void)
{
	SimExploreOptions o = { .stateful = TRUE };
	each_outcome_is_found(RACE, o);
	each_outcome_is_found(SYSV_RACE, o);
	each_outcome_is_found(SEM, o);
}

static void test_find_each_outcome_by_replay_and_without_persistent_sets(void)
{
	SimExploreOptions replay = { .stateful = TRUE, .no_snapshots = TRUE };
	each_outcome_is_found(RACE, replay);
	each_outcome_is_found(SEM, replay);
	SimExploreOptions full = { .stateful = TRUE, .no_ample = TRUE, .no_eager = TRUE };
	each_outcome_is_found(RACE, full);
	each_outcome_is_found(SEM, full);
}

static void test_find_each_outcome_under_dpor(void)
{
	SimExploreOptions dpor = { 0 };
	each_outcome_is_found(RACE, dpor);
	each_outcome_is_found(SYSV_RACE, dpor);
	SimExploreOptions source = { .dpor_source = TRUE };
	each_outcome_is_found(SEM, source);
}

/* P2 cannot receive "x" twice: no schedule reaches that, and the search covers what it
 * has to and says so, in fewer states than the whole set takes. */
static void test_find_an_outcome_no_schedule_reaches(void)
{
	g_autoptr(SimScenario) scn = parse(RACE);
	SimExploreOptions all = { .stateful = TRUE };
	SimExploreResult full;
	run(scn, &all, &full);
	CU_ASSERT_FALSE(holds(&full, NEVER));
	SimExploreOptions o = { .stateful = TRUE, .target = NEVER };
	SimExploreResult r;
	run(scn, &o, &r);
	CU_ASSERT_FALSE(r.found);
	CU_ASSERT_TRUE(r.complete);
	CU_ASSERT_TRUE(r.stats.off_target > 0);
	CU_ASSERT_TRUE(r.stats.states < full.stats.states);
	sim_explore_result_clear(&r);
	/* DPOR too, by running every class of executions. */
	SimExploreOptions d = { .target = NEVER };
	run(scn, &d, &r);
	CU_ASSERT_FALSE(r.found);
	CU_ASSERT_TRUE(r.complete);
	sim_explore_result_clear(&r);
	sim_explore_result_clear(&full);
}

/* The receiver's three messages fix much of the order: the search for them visits a small
 * part of the states the whole set needs. */
static void test_find_gives_up_what_leaves_the_target(void)
{
	g_autoptr(SimScenario) scn = parse(MANY);
	SimExploreOptions all = { .stateful = TRUE };
	SimExploreResult full;
	run(scn, &all, &full);
	CU_ASSERT_TRUE_FATAL(holds(&full, WANT));
	SimExploreOptions o = { .stateful = TRUE, .target = WANT };
	SimExploreResult r;
	run(scn, &o, &r);
	CU_ASSERT_TRUE(r.found);
	CU_ASSERT_TRUE(r.stats.states * 3 < full.stats.states);
	sim_explore_result_clear(&r);
	sim_explore_result_clear(&full);
}

/* A guide (a free run's order) leads the search straight to its outcome: one execution, none
 * given up. Without it the same search gives up some first. */
static void test_find_follows_a_guide(void)
{
	g_autoptr(SimScenario) scn = parse(MANY);
	SimExploreOptions o = { .stateful = TRUE, .target = WANT };
	SimExploreResult r;
	run(scn, &o, &r);
	CU_ASSERT_TRUE(r.found);
	CU_ASSERT_TRUE(r.stats.off_target > 0);
	sim_explore_result_clear(&r);
	o.guide = "S3,R,S2,R,S3,R,S0*3,S1*3,S2*2,S3,R";
	run(scn, &o, &r);
	CU_ASSERT_TRUE(r.found);
	CU_ASSERT_EQUAL(r.stats.off_target, 0);
	CU_ASSERT_EQUAL(r.stats.executions, 1);
	CU_ASSERT_TRUE(test_witnesses_replay(scn, &r));
	sim_explore_result_clear(&r);
	/* A guide that does not parse is no guide: the search is as without. */
	o.guide = "nobody*2";
	run(scn, &o, &r);
	CU_ASSERT_TRUE(r.found);
	CU_ASSERT_TRUE(r.stats.off_target > 0);
	sim_explore_result_clear(&r);
}

/* A bound stops a search that has not found it: neither found nor complete. */
static void test_find_stops_at_its_bounds(void)
{
	g_autoptr(SimScenario) scn = parse(RACE);
	SimExploreOptions o = { .stateful = TRUE, .target = NEVER, .max_executions = 1 };
	SimExploreResult r;
	run(scn, &o, &r);
	CU_ASSERT_FALSE(r.found);
	CU_ASSERT_FALSE(r.complete);
	CU_ASSERT_STRING_EQUAL(r.cut_by ? r.cut_by : "", "--max-executions");
	sim_explore_result_clear(&r);
}

/* A line fits while it is a prefix of the target's in whole calls; an exit's status
 * follows its name in the same step. */
static void test_find_lines_fit_in_whole_calls(void)
{
	SimOutcomeTarget *g = sim_outcome_target_new("p: wait =138; semop EINVAL; exit 0\n"
						     "q: blocked in msgrcv\n"
						     "stopped: max-steps\n",
						     3);
	SimTask p = { .id = 0, .name = "p" }, q = { .id = 1, .name = "q" },
		gone = { .id = 2, .name = "stopped" };
	const struct {
		const SimTask *t;
		const char *line;
		gboolean fits, next_fails;
	} cases[] = {
		{ &p, "", TRUE, FALSE },
		{ &p, "wait =13", FALSE, FALSE },
		{ &p, "wait =138", TRUE, TRUE },
		{ &p, "wait =138; semop", FALSE, FALSE },
		{ &p, "wait =138; semop EINVAL", TRUE, FALSE },
		{ &p, "wait =138; semop EINVAL; exit", TRUE, FALSE },
		{ &p, "wait =138; semop EINVAL; exit 0", TRUE, FALSE },
		{ &p, "wait =138; semop EINVAL; exit 1", FALSE, FALSE },
		{ &q, "", TRUE, FALSE },
		{ &q, "msgrcv", FALSE, FALSE },
		/* no process line: it never ran (the end's "stopped: ..." is no process's) */
		{ &gone, "", TRUE, FALSE },
	};
	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autoptr(GString) line = g_string_new(cases[i].line);
		CU_ASSERT_EQUAL(sim_outcome_target_fits(g, cases[i].t, line), cases[i].fits);
		CU_ASSERT_EQUAL(sim_outcome_target_next_fails(g, cases[i].t, line),
				cases[i].next_fails);
	}
	sim_outcome_target_free(g);
	/* A process the text does not list may not make a call. */
	g = sim_outcome_target_new("q: exit 0\n", 3);
	g_autoptr(GString) some = g_string_new("send");
	CU_ASSERT_FALSE(sim_outcome_target_fits(g, &p, some));
	sim_outcome_target_free(g);
}

/* What explore prints for one outcome (and a free run's report) reads back as its text. */
static void test_find_reads_an_outcome_as_printed(void)
{
	static const char *const text = "witness: send; exit 0\n"
					"R: receive \"a b\"; exit 0\n"
					"mailbox A: \"c\"\n"
					"deadlock\n";
	static const char *const printed = "outcome 2 of 3 (3e6bfd019dfed8ea): 6 executions, "
					   "deadlock\n"
					   "  witness: send; exit 0\n"
					   "  R: receive \"a b\"; exit 0\n"
					   "  mailbox A: \"c\"\n"
					   "  deadlock\n"
					   "  witness: witness,R*2\n";
	g_autofree char *back = sim_outcome_from_printed(printed);
	CU_ASSERT_STRING_EQUAL(back, text);
	static const char *const report = "    witness: send; exit 0\n"
					  "    R: receive \"a b\"; exit 0\n"
					  "    mailbox A: \"c\"\n"
					  "    deadlock\n"
					  "    witness witness,R*2\n";
	g_autofree char *back2 = sim_outcome_from_printed(report);
	CU_ASSERT_STRING_EQUAL(back2, text);
}

CU_TestInfo explore_find_tests[] = {
	{ "each outcome in the walk", test_find_each_outcome_in_the_walk },
	{ "each outcome by replay and without persistent sets",
	  test_find_each_outcome_by_replay_and_without_persistent_sets },
	{ "each outcome under dpor", test_find_each_outcome_under_dpor },
	{ "an outcome no schedule reaches", test_find_an_outcome_no_schedule_reaches },
	{ "gives up what leaves the target", test_find_gives_up_what_leaves_the_target },
	{ "follows a guide", test_find_follows_a_guide },
	{ "stops at its bounds", test_find_stops_at_its_bounds },
	{ "lines fit in whole calls", test_find_lines_fit_in_whole_calls },
	{ "reads an outcome as printed", test_find_reads_an_outcome_as_printed },
	CU_TEST_INFO_NULL,
};
