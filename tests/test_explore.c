/* test_explore.c — the explorer: reduction, outcomes, witnesses, bounds, expectations. */
#include <string.h>

#include "tests.h"
#include "msgsim/explore/explore.h"
#include "explore/explore_int.h"

static SimScenario *parse(const char *text)
{
	g_autoptr(GError) error = NULL;
	SimScenario *scn = sim_scn_parse("t.scn", text, strlen(text), &error);
	if (!scn)
		fprintf(stderr, "%s\n", error->message);
	CU_ASSERT_PTR_NOT_NULL_FATAL(scn);
	return scn;
}

/* Explores text with o (NULL: defaults); the caller clears r. */
static SimScenario *explore(const char *text, const SimExploreOptions *o, SimExploreResult *r)
{
	SimScenario *scn = parse(text);
	SimExploreOptions none = { 0 };
	g_autoptr(GError) error = NULL;
	CU_ASSERT_TRUE_FATAL(sim_explore_run(scn, o ? o : &none, r, &error));
	return scn;
}

static gboolean has_outcome(const SimExploreResult *r, const char *needle)
{
	for (guint i = 0; i < r->outcomes->len; i++) {
		const SimOutcome *oc = g_ptr_array_index(r->outcomes, i);
		if (strstr(oc->text, needle))
			return TRUE;
	}
	return FALSE;
}

/* Two processes, each sending to its own mailbox: the two orders are one execution. */
static const char *independent = "mailbox A capacity=unbounded\n"
				 "mailbox B capacity=unbounded\n"
				 "process P { send A \"a\" }\n"
				 "process Q { send B \"b\" }\n";

static void test_explore_independent_calls_are_not_interleaved_twice(void)
{
	SimExploreResult r;
	g_autoptr(SimScenario) scn = explore(independent, NULL, &r);
	CU_ASSERT_TRUE(r.complete);
	CU_ASSERT_EQUAL(r.stats.executions, 1);
	CU_ASSERT_EQUAL(r.outcomes->len, 1);
	sim_explore_result_clear(&r);
	/* Without the reduction, every interleaving of the two sends and two ends: 4!/2!2!. */
	SimExploreOptions o = { .no_reduction = TRUE };
	g_autoptr(SimScenario) again = explore(independent, &o, &r);
	CU_ASSERT_EQUAL(r.stats.executions, 6);
	CU_ASSERT_EQUAL(r.outcomes->len, 1);
	sim_explore_result_clear(&r);
}

/* Semops on two numbers of one set commute: only the two semgets (one of them makes the
 * set) are tried in both orders. On one number, the semops are too. */
static void test_explore_semops_on_two_numbers_are_not_interleaved_twice(void)
{
	static const char *const on[2] = { "(1, +1)", "(0, +1)" };
	guint64 runs[2];
	for (guint i = 0; i < 2; i++) {
		g_autofree char *text = g_strdup_printf(
			"process P { semget key=0x5e90 nsems=2 create perm=0600 -> s  semop s (0, +1) }\n"
			"process Q { semget key=0x5e90 nsems=2 create perm=0600 -> s  semop s %s }\n",
			on[i]);
		SimExploreResult r;
		g_autoptr(SimScenario) scn = explore(text, NULL, &r);
		CU_ASSERT_TRUE(r.complete);
		CU_ASSERT_EQUAL(r.outcomes->len, 1);
		runs[i] = r.stats.executions;
		sim_explore_result_clear(&r);
	}
	CU_ASSERT_EQUAL(runs[0], 2);
	CU_ASSERT_EQUAL(runs[1], 4);
}

/* DPOR over the per-semaphore footprints against the stateful walk, which does not use
 * them: a complex semop that one semop completes and another starves, waits for zero, a
 * waiter on all three, SEM_UNDO given back at exit, IPC_RMID under waiters, IPC_SET. */
static void test_explore_semaphore_footprints_keep_every_outcome(void)
{
	static const char *const texts[] = {
		"process init { semget key=0x5e78 nsems=2 create perm=0600 -> s  semctl s setall 0 1 }\n"
		"process w start=after(init) { semget key=0x5e78 -> s  semop s (0, -1) (1, -1) }\n"
		"process x start=after(init) { semget key=0x5e78 -> s  semop s (0, +1) }\n"
		"process y start=after(init) { semget key=0x5e78 -> s  semop s (1, -1) }\n",
		"process init { semget key=0x5e74 nsems=2 create perm=0600 -> s  semctl s setall 1 1 }\n"
		"process z1 start=after(init) { semget key=0x5e74 -> s  semop s (0, 0)"
		"  semctl s getpid 0 }\n"
		"process z2 start=after(init) { semget key=0x5e74 -> s  semop s (0, 0) (1, 0) }\n"
		"process d start=after(init) { semget key=0x5e74 -> s  semop s (0, -1)"
		"  semop s (1, -1) }\n"
		"process e start=after(init) { semget key=0x5e74 -> s  semctl s getzcnt 0"
		"  semctl s setval 1 0 }\n",
		"process init { semget key=0x5e76 nsems=3 create perm=0600 -> s"
		"  semctl s setall 1 1 1 }\n"
		"process p0 start=after(init) { semget key=0x5e76 -> s  semop s (0, -1) (1, -1)"
		"  semop s (0, +1) (1, +1) }\n"
		"process p2 start=after(init) { semget key=0x5e76 -> s  semop s (2, -1)"
		"  semop s (2, +1) }\n"
		"process all start=after(init) { semget key=0x5e76 -> s"
		"  semop s (0, -1) (1, -1) (2, -1)  semop s (0, +1) (1, +1) (2, +1)"
		"  semctl s getpid 2 }\n",
		"process init { semget key=0x5e73 nsems=2 create perm=0600 -> s  semctl s setval 0 1 }\n"
		"process h start=after(init) { semget key=0x5e73 -> s  semop s (0, -1, undo)"
		"  semop s (1, +1, undo) }\n"
		"process w start=after(init) { semget key=0x5e73 -> s  semop s (0, -1)"
		"  semctl s getval 1 }\n"
		"process x start=after(init) { semget key=0x5e73 -> s  semop s (1, -1)"
		"  semctl s stat }\n",
		"process init { semget key=0x5e75 nsems=2 create perm=0600 -> s  semctl s setall 0 1 }\n"
		"process a start=after(init) { semget key=0x5e75 -> s  semop s (0, -1)"
		"  semop s (1, -1) }\n"
		"process b start=after(init) { semget key=0x5e75 -> s  semop s (1, -1)"
		"  semop s (0, +1) }\n"
		"process r start=after(init) { semget key=0x5e75 -> s  semctl s getall"
		"  semctl s rmid }\n",
		"process init { semget key=0x5e77 nsems=2 create perm=0600 -> s  semctl s setall 1 1 }\n"
		"process a start=after(init) { semget key=0x5e77 -> s  semop s (0, -1)"
		"  semop s (1, -1, nowait) }\n"
		"process b start=after(init) { semget key=0x5e77 -> s  semctl s set mode=0400"
		"  semop s (1, 0, nowait) }\n"
		"process c start=after(init) { semget key=0x5e77 -> s  semctl s stat"
		"  semop s (0, +1) }\n",
	};
	for (guint i = 0; i < G_N_ELEMENTS(texts); i++)
		test_stateful_same_outcomes("sem.scn", texts[i], FALSE);
	test_stateful_same_outcomes("scenarios/sem/binary-semaphore.scn", NULL, FALSE);
}

/* Two senders to one mailbox: both orders of the queue are outcomes, each reached once. */
static void test_explore_dependent_calls_run_in_both_orders(void)
{
	SimExploreResult r;
	g_autoptr(SimScenario) scn = explore("mailbox A capacity=unbounded\n"
					     "process P { send A \"p\" }\n"
					     "process Q { send A \"q\" }\n",
					     NULL, &r);
	CU_ASSERT_TRUE(r.complete);
	CU_ASSERT_EQUAL(r.stats.executions, 2);
	CU_ASSERT_EQUAL(r.outcomes->len, 2);
	CU_ASSERT_TRUE(has_outcome(&r, "mailbox A: \"p\" \"q\"\n"));
	CU_ASSERT_TRUE(has_outcome(&r, "mailbox A: \"q\" \"p\"\n"));
	sim_explore_result_clear(&r);
}

/* The lecture's question: one message, two receivers; either may get it, and the other
 * is left blocked (a deadlock, which the outcome names). */
static void test_explore_finds_who_gets_the_message(void)
{
	SimExploreResult r;
	g_autoptr(SimScenario) scn = explore("mailbox A\n"
					     "process P1 { send A \"m\" }\n"
					     "process P2 { receive A }\n"
					     "process P3 { receive A }\n",
					     NULL, &r);
	CU_ASSERT_TRUE(r.complete);
	CU_ASSERT_EQUAL(r.outcomes->len, 2);
	CU_ASSERT_TRUE(has_outcome(&r, "P2: receive \"m\"; exit 0\nP3: blocked in receive on A"));
	CU_ASSERT_TRUE(has_outcome(&r, "P2: blocked in receive on A"));
	CU_ASSERT_EQUAL(r.deadlocks, r.stats.executions);
	sim_explore_result_clear(&r);
}

/* A kill takes the victim's next step away: its turn before the kill must still be tried
 * (a zombie takes the signal, a child not yet forked gives ESRCH). */
static void test_explore_tries_the_victim_before_its_kill(void)
{
	SimExploreResult r;
	g_autoptr(SimScenario) scn = explore("process top {\n"
					     "  fork mid { fork g { exit 4 }  exit 2 }\n"
					     "  kill g SIGTERM\n"
					     "  wait mid -> s\n"
					     "}\n",
					     NULL, &r);
	CU_ASSERT_TRUE(r.complete);
	CU_ASSERT_EQUAL(r.outcomes->len, 3);
	CU_ASSERT_TRUE(has_outcome(&r, "top: fork; kill; wait =2; exit 0\nmid: fork; exit 2\n"
				       "g: exit 4\n"));
	sim_explore_result_clear(&r);
}

/* A kill of a process whose turn is covered elsewhere (asleep at the killer's node) must
 * still let the others go first: the victim may get a message they send before it dies. */
static void test_explore_kill_lets_others_go_first(void)
{
	SimExploreResult r;
	g_autoptr(SimScenario) scn =
		explore("mailbox A capacity=1\n"
			"mailbox B capacity=1\n"
			"process P start=1ms { receive A nowait  send A \"P1\" }\n"
			"process Q { receive B  send A \"Q1\"  send A \"Q2\" }\n"
			"process R { send B \"R0\"  kill P SIGTERM  sleep 1ms  send B \"R3\" }\n",
			NULL, &r);
	CU_ASSERT_TRUE(r.complete);
	CU_ASSERT_EQUAL(r.outcomes->len, 7); /* as many as without the reduction */
	CU_ASSERT_TRUE(has_outcome(&r, "P: receive \"Q1\"; killed SIGTERM\n"));
	sim_explore_result_clear(&r);
}

/* deliver=random: the explorer tries each waiting receiver instead of drawing. */
static void test_explore_tries_every_random_choice(void)
{
	const char *text = "mailbox A deliver=random\n"
			   "process P2 { receive A }\n"
			   "process P3 start=1us { receive A }\n"
			   "process P1 start=1ms { send A \"m\" }\n";
	SimExploreOptions o = { .timing = SIM_TIMING_STRICT };
	SimExploreResult r;
	g_autoptr(SimScenario) scn = explore(text, &o, &r);
	CU_ASSERT_TRUE(r.complete);
	CU_ASSERT_EQUAL(r.stats.executions, 2);
	CU_ASSERT_EQUAL(r.outcomes->len, 2);
	const SimOutcome *oc = g_ptr_array_index(r.outcomes, 0);
	CU_ASSERT_TRUE(g_str_has_prefix(oc->witness, "strict:?"));
	sim_explore_result_clear(&r);
}

/* --timing strict keeps the clock: two processes ready at the same instant may still run
 * in either order (a true tie), but a later start never goes first. */
static void test_explore_strict_tries_true_ties_only(void)
{
	SimExploreOptions o = { .timing = SIM_TIMING_STRICT };
	SimExploreResult r;
	g_autoptr(SimScenario) tie = explore("mailbox A capacity=unbounded\n"
					     "process P { send A \"p\" }\n"
					     "process Q { send A \"q\" }\n",
					     &o, &r);
	CU_ASSERT_EQUAL(r.outcomes->len, 2);
	sim_explore_result_clear(&r);
	g_autoptr(SimScenario) later = explore("mailbox A capacity=unbounded\n"
					       "process P { send A \"p\" }\n"
					       "process Q start=1ms { send A \"q\" }\n",
					       &o, &r);
	CU_ASSERT_EQUAL(r.outcomes->len, 1);
	CU_ASSERT_TRUE(has_outcome(&r, "mailbox A: \"p\" \"q\"\n"));
	sim_explore_result_clear(&r);
}

/* Every witness of r replays (run --schedule) to its own outcome; says which one does not. */
gboolean test_witnesses_replay(const SimScenario *scn, const SimExploreResult *r)
{
	gboolean all = TRUE;
	for (guint i = 0; i < r->outcomes->len; i++) {
		const SimOutcome *oc = g_ptr_array_index(r->outcomes, i);
		g_autoptr(GError) error = NULL;
		g_autoptr(SimSchedule) s = sim_schedule_parse(scn, oc->witness, &error);
		if (!s)
			return FALSE;
		SimRecorder rec;
		sim_recorder_init(&rec, scn->n_procs);
		SimWorldOptions wo = { .hook = { sim_recorder_hook, &rec } };
		sim_schedule_options(s, &wo);
		g_autoptr(SimWorld) w = sim_world_new(scn, &wo);
		g_autoptr(GString) text = g_string_new(NULL);
		if (sim_schedule_run(s, w, &error)) {
			sim_world_step_end(w);
			sim_outcome_text(w, &rec, text);
		}
		if (strcmp(text->str, oc->text) != 0) {
			fprintf(stderr, "\n%s: witness %s gives\n%s\nnot\n%s\n", scn->file,
				oc->witness, text->str, oc->text);
			all = FALSE;
		}
		sim_recorder_clear(&rec);
	}
	return all;
}

/* Every witness replays to its own outcome. */
static void test_explore_witness_replays_its_outcome(void)
{
	const char *text = "mailbox A capacity=1\n"
			   "process P1 { send A \"x\"  send A \"y\" }\n"
			   "process P2 { receive A  receive A nowait }\n"
			   "process P3 { receive A nowait }\n";
	SimExploreResult r;
	g_autoptr(SimScenario) scn = explore(text, NULL, &r);
	CU_ASSERT_TRUE(r.outcomes->len > 2);
	CU_ASSERT_TRUE(test_witnesses_replay(scn, &r));
	sim_explore_result_clear(&r);
}

static gboolean replay_fails(const SimScenario *scn, const char *text, const char *why)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(SimSchedule) s = sim_schedule_parse(scn, text, &error);
	if (!s)
		return strstr(error->message, why) != NULL;
	SimWorldOptions wo = { 0 };
	sim_schedule_options(s, &wo);
	g_autoptr(SimWorld) w = sim_world_new(scn, &wo);
	if (sim_schedule_run(s, w, &error))
		return FALSE;
	return strstr(error->message, why) != NULL;
}

static void test_schedule_bad_witness_says_why(void)
{
	g_autoptr(SimScenario) scn = parse("mailbox A\n"
					   "process P { receive A }\n"
					   "process Q { send A \"q\" }\n");
	CU_ASSERT_TRUE(replay_fails(scn, "P,Z", "no process is named 'Z'"));
	CU_ASSERT_TRUE(replay_fails(scn, "P*0", "expected NAME*N"));
	CU_ASSERT_TRUE(replay_fails(scn, "", "empty schedule"));
	CU_ASSERT_TRUE(replay_fails(scn, "P,P", "schedule item 2: P cannot make a call here"));
	CU_ASSERT_TRUE(replay_fails(scn, "Q", "can still make a call: P"));
	CU_ASSERT_TRUE(replay_fails(scn, "Q*2,P*2,Q", "schedule item 3"));
	CU_ASSERT_TRUE(replay_fails(scn, "P,?1", "a choice (?K) where a process must be named"));
	CU_ASSERT_TRUE(replay_fails(scn, "strict:P", "holds choices (?K) only"));
	CU_ASSERT_FALSE(replay_fails(scn, "P,Q*2,P*2", "-"));
}

static const char *bounded = "mailbox A capacity=unbounded\n"
			     "process P { send A \"p\"  send A \"p\" }\n"
			     "process Q { send A \"q\"  send A \"q\" }\n";

static void test_explore_bounds_say_what_they_cut(void)
{
	SimExploreResult r;
	SimExploreOptions all = { 0 };
	g_autoptr(SimScenario) scn = explore(bounded, &all, &r);
	CU_ASSERT_TRUE(r.complete);
	CU_ASSERT_PTR_NULL(r.cut_by);
	guint64 total = r.stats.executions;
	CU_ASSERT_TRUE(total > 2);
	sim_explore_result_clear(&r);

	SimExploreOptions one = { .max_executions = 2 };
	g_autoptr(SimScenario) s2 = explore(bounded, &one, &r);
	CU_ASSERT_FALSE(r.complete);
	CU_ASSERT_STRING_EQUAL(r.cut_by, "--max-executions");
	CU_ASSERT_EQUAL(r.stats.executions, 2);
	sim_explore_result_clear(&r);

	SimExploreOptions shallow = { .max_depth = 3 };
	g_autoptr(SimScenario) s3 = explore(bounded, &shallow, &r);
	CU_ASSERT_FALSE(r.complete);
	CU_ASSERT_PTR_NULL(r.cut_by);
	CU_ASSERT_TRUE(r.stats.depth_cut > 0);
	CU_ASSERT_EQUAL(r.stats.executions, 0);
	sim_explore_result_clear(&r);

	/* A wall-clock bound shorter than any execution stops after the first. */
	SimExploreOptions brief = { .max_seconds = 1e-9 };
	g_autoptr(SimScenario) s4 = explore(bounded, &brief, &r);
	CU_ASSERT_FALSE(r.complete);
	CU_ASSERT_STRING_EQUAL(r.cut_by, "--max-time");
	CU_ASSERT_EQUAL(r.stats.executions, 1);
	sim_explore_result_clear(&r);
}

/* The depth bound counts decisions: a process alone making 60 calls, with no other that
 * could step between them, is not cut at a bound of 10, by the search nor by the walk;
 * two of them racing are; and a loop of one process that never ends is still cut. */
static void test_explore_depth_counts_decisions(void)
{
	static const char *alone = "mailbox A capacity=unbounded\n"
				   "process P { repeat 60 { send A \"p\" } }\n";
	static const char *two = "mailbox A capacity=unbounded\n"
				 "process P { repeat 60 { send A \"p\" } }\n"
				 "process Q { repeat 60 { send A \"q\" } }\n";
	static const char *forever = "mailbox A capacity=unbounded\n"
				     "process P { loop { send A \"p\" } }\n";
	for (int stateful = 0; stateful < 2; stateful++) {
		SimExploreResult r;
		SimExploreOptions o = { .max_depth = 10, .stateful = stateful };
		g_autoptr(SimScenario) s1 = explore(alone, &o, &r);
		CU_ASSERT_TRUE(r.complete);
		CU_ASSERT_EQUAL(r.stats.depth_cut, 0);
		CU_ASSERT_EQUAL(r.outcomes->len, 1);
		sim_explore_result_clear(&r);
		o.max_executions = 3;
		g_autoptr(SimScenario) s2 = explore(two, &o, &r);
		CU_ASSERT_TRUE(r.stats.depth_cut > 0);
		CU_ASSERT_EQUAL(r.stats.executions, 0);
		sim_explore_result_clear(&r);
		o.max_executions = 0;
		g_autoptr(SimScenario) s3 = explore(forever, &o, &r);
		CU_ASSERT_FALSE(r.complete);
		CU_ASSERT_EQUAL(r.stats.depth_cut, 1);
		CU_ASSERT_EQUAL(r.stats.max_depth_seen, 10 * SIM_EXPLORE_FORCED_PER_STEP);
		sim_explore_result_clear(&r);
	}
}

static void test_explore_expectations_over_all_schedules(void)
{
	const char *text = "mailbox A\n"
			   "process P1 { send A \"m\"  send A \"n\" }\n"
			   "process P2 { receive A }\n"
			   "process P3 { receive A }\n"
			   "expect possible P2 received [\"m\"]\n" /* 0: holds */
			   "expect possible P2 received [\"x\"]\n" /* 1: never */
			   "expect always A qnum=0\n"		   /* 2: holds */
			   "expect P3 received [\"n\"]\n"	   /* 3: plain = always: fails */
			   "expect outcomes 2\n"		   /* 4: holds */
			   "expect outcomes 3\n"		   /* 5: fails */
			   "expect never deadlock\n";		   /* 6: holds */
	SimExploreResult r;
	g_autoptr(SimScenario) scn = explore(text, NULL, &r);
	CU_ASSERT_EQUAL(scn->expects[0].mode, SIM_EXPECT_POSSIBLE);
	CU_ASSERT_EQUAL(scn->expects[2].mode, SIM_EXPECT_ALWAYS);
	CU_ASSERT_EQUAL(scn->expects[4].kind, SIM_EXPECT_OUTCOMES);
	CU_ASSERT_EQUAL(scn->expects[6].kind, SIM_EXPECT_NO_DEADLOCK);
	CU_ASSERT_EQUAL(scn->expects[6].mode, SIM_EXPECT_ALWAYS);
	gboolean want[] = { TRUE, FALSE, TRUE, FALSE, TRUE, FALSE, TRUE };
	for (guint i = 0; i < G_N_ELEMENTS(want); i++)
		CU_ASSERT_EQUAL(sim_explore_expect_holds(&r, scn, i), want[i]);
	CU_ASSERT_PTR_NOT_NULL(r.tallies[0].held_witness);
	CU_ASSERT_PTR_NOT_NULL(r.tallies[3].failed_witness);
	sim_explore_result_clear(&r);
}

static void test_explore_expectation_words_still_name_processes(void)
{
	g_autoptr(SimScenario) scn = parse("mailbox always\n"
					   "process possible { receive always nowait }\n"
					   "expect possible received []\n"
					   "expect always qnum=0\n"
					   "expect always possible received []\n");
	CU_ASSERT_EQUAL(scn->expects[0].kind, SIM_EXPECT_RECEIVED);
	CU_ASSERT_EQUAL(scn->expects[0].mode, SIM_EXPECT_PLAIN);
	CU_ASSERT_EQUAL(scn->expects[1].kind, SIM_EXPECT_STATS);
	CU_ASSERT_EQUAL(scn->expects[1].mode, SIM_EXPECT_PLAIN);
	CU_ASSERT_EQUAL(scn->expects[2].kind, SIM_EXPECT_RECEIVED);
	CU_ASSERT_EQUAL(scn->expects[2].mode, SIM_EXPECT_ALWAYS);
	const char *bad = "process P { exit }\nexpect always possible P exit=0\n";
	g_autoptr(GError) error = NULL;
	g_autoptr(SimScenario) no = sim_scn_parse("t.scn", bad, strlen(bad), &error);
	CU_ASSERT_PTR_NULL(no);
	CU_ASSERT_PTR_NOT_NULL(strstr(error->message, "t.scn:2:15: error: expected an expectation "
						      "after 'expect always' (always, possible, run, "
						      "outcomes and never do not combine)"));
}

/* `expect run E`: the run's schedule only. Run checks and counts it as a plain line;
 * explore leaves it out, even where it fails in other schedules. */
static void test_expect_run_is_the_runs_schedule_only(void)
{
	const char *text = "mailbox A\n"
			   "process P1 { send A \"m\" }\n"
			   "process P2 { @r receive A nowait }\n"
			   "expect run @r errno=ENOMSG\n" /* fails in run: fifo runs P1 first */
			   "expect run time == 0ns\n"
			   "expect always time == 0ns\n";
	g_autoptr(SimScenario) scn = parse(text);
	CU_ASSERT_EQUAL(scn->expects[0].mode, SIM_EXPECT_RUN);
	CU_ASSERT_EQUAL(scn->expects[0].kind, SIM_EXPECT_LABEL);
	CU_ASSERT_EQUAL(scn->expects[1].mode, SIM_EXPECT_RUN);
	CU_ASSERT_EQUAL(scn->expects[1].kind, SIM_EXPECT_TIME);
	CU_ASSERT_EQUAL(scn->expects[2].mode, SIM_EXPECT_ALWAYS);
	CU_ASSERT_EQUAL(scn->expects[2].kind, SIM_EXPECT_TIME);
	SimExploreResult r;
	g_autoptr(SimScenario) e = explore(text, NULL, &r);
	CU_ASSERT_TRUE(r.tallies[0].failed > 0 && r.tallies[0].held > 0);
	CU_ASSERT_TRUE(sim_explore_expect_holds(&r, e, 0));
	CU_ASSERT_TRUE(sim_explore_expect_holds(&r, e, 1));
	sim_explore_result_clear(&r);
	/* under run, counted as plain lines: one fails (P1 ran first), one passes */
	SimWorldOptions wo = { 0 };
	g_autoptr(SimWorld) w = sim_world_new(scn, &wo);
	sim_world_run(w);
	SimVerdict v = sim_report_finish(w, NULL);
	CU_ASSERT_EQUAL(v.passed + v.failed, 3);
	/* `run` still names a process, and does not combine with the other words */
	g_autoptr(SimScenario) named = parse("mailbox run\nprocess P { }\nexpect run qnum=0\n");
	CU_ASSERT_EQUAL(named->expects[0].kind, SIM_EXPECT_STATS);
	CU_ASSERT_EQUAL(named->expects[0].mode, SIM_EXPECT_PLAIN);
	const char *bad = "process P { exit }\nexpect run always P exit=0\n";
	g_autoptr(GError) error = NULL;
	g_autoptr(SimScenario) no = sim_scn_parse("t.scn", bad, strlen(bad), &error);
	CU_ASSERT_PTR_NULL(no);
	CU_ASSERT_PTR_NOT_NULL(error && strstr(error->message, "after 'expect run'"));
}

/* Under run, a possible or outcomes expectation is not counted, an always one only when it
 * fails: a scenario's run trace does not change when such lines are added. */
static void test_run_leaves_possible_to_explore(void)
{
	const char *text = "mailbox A\n"
			   "process P { send A \"m\" }\n"
			   "expect possible A qnum=5\n"
			   "expect outcomes 7\n"
			   "expect always A qnum=1\n"
			   "expect always A qnum=2\n";
	g_autoptr(SimScenario) scn = parse(text);
	SimWorldOptions wo = { 0 };
	g_autoptr(SimWorld) w = sim_world_new(scn, &wo);
	sim_world_run(w);
	SimVerdict v = sim_report_finish(w, NULL);
	CU_ASSERT_EQUAL(v.passed, 0);
	CU_ASSERT_EQUAL(v.failed, 1);
	CU_ASSERT_EQUAL(v.exit_status, SIM_EXIT_EXPECT_FAILED);
}

static void test_outcome_hash_is_stable(void)
{
	/* FNV-1a 64 of "a": a fixed number, so a kernel run's outcome can be looked up. */
	CU_ASSERT_EQUAL(sim_outcome_hash("a"), G_GUINT64_CONSTANT(0xaf63dc4c8601ec8c));
	CU_ASSERT_EQUAL(sim_outcome_hash(""), G_GUINT64_CONSTANT(0xcbf29ce484222325));
}

CU_TestInfo explore_tests[] = {
	{ "independent calls are not interleaved twice",
	  test_explore_independent_calls_are_not_interleaved_twice },
	{ "dependent calls run in both orders", test_explore_dependent_calls_run_in_both_orders },
	{ "semops on two numbers of a set are not interleaved twice",
	  test_explore_semops_on_two_numbers_are_not_interleaved_twice },
	{ "semaphore footprints keep every outcome",
	  test_explore_semaphore_footprints_keep_every_outcome },
	{ "finds who gets the message", test_explore_finds_who_gets_the_message },
	{ "tries the victim before its kill", test_explore_tries_the_victim_before_its_kill },
	{ "kill lets others go first", test_explore_kill_lets_others_go_first },
	{ "tries every random choice", test_explore_tries_every_random_choice },
	{ "strict tries true ties only", test_explore_strict_tries_true_ties_only },
	{ "witness replays its outcome", test_explore_witness_replays_its_outcome },
	{ "bad witness says why", test_schedule_bad_witness_says_why },
	{ "bounds say what they cut", test_explore_bounds_say_what_they_cut },
	{ "depth counts decisions", test_explore_depth_counts_decisions },
	{ "expectations over all schedules", test_explore_expectations_over_all_schedules },
	{ "expectation words still name processes",
	  test_explore_expectation_words_still_name_processes },
	{ "run leaves possible to explore", test_run_leaves_possible_to_explore },
	{ "expect run is the run's schedule only", test_expect_run_is_the_runs_schedule_only },
	{ "outcome hash is stable", test_outcome_hash_is_stable },
	CU_TEST_INFO_NULL,
};
