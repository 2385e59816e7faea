/* test_explore_state.c — the stateful search (--stateful): the same outcome sets and verdicts
 * as the full search, on the shipped scenarios and on small generated ones, with fewer
 * calls where executions meet again. */
#include <string.h>

#include "tests.h"
#include "msgsim/explore/explore.h"
#include "explore/explore_int.h"

/* Explores scn twice, stateful and as `base` says, and checks that both find the same
 * outcomes and the same verdicts. Returns the stateful result's merged count. */
static guint64 same_as(const SimScenario *scn, const SimExploreOptions *base,
		       gboolean *pruned)
{
	SimExploreOptions so = *base;
	so.no_reduction = FALSE;
	so.stateful = TRUE;
	SimExploreResult a, b;
	g_autoptr(GError) error = NULL;
	CU_ASSERT_TRUE_FATAL(sim_explore_run(scn, base, &a, &error));
	CU_ASSERT_TRUE_FATAL(sim_explore_run(scn, &so, &b, &error));
	CU_ASSERT_TRUE(a.complete && b.complete);
	g_autofree char *sa = test_outcome_set(&a);
	g_autofree char *sb = test_outcome_set(&b);
	CU_ASSERT_STRING_EQUAL(sb, sa);
	if (strcmp(sa, sb) != 0)
		fprintf(stderr, "\n%s: full search:\n%s\nstateful:\n%s\n", scn->file, sa, sb);
	CU_ASSERT_EQUAL(a.deadlocks > 0, b.deadlocks > 0);
	/* The walk's witnesses are those msgsim explore prints by default: each replays
	 * (run --schedule) to its own outcome. */
	CU_ASSERT_TRUE(test_witnesses_replay(scn, &b));
	for (guint i = 0; i < scn->n_expects; i++)
		CU_ASSERT_EQUAL(sim_explore_expect_holds(&a, scn, i),
				sim_explore_expect_holds(&b, scn, i));
	/* The walk's reductions (a woken call's finish, a quiet end, taken at once) keep
	 * the outcome set: the same without them. */
	so.no_eager = TRUE;
	SimExploreResult c;
	CU_ASSERT_TRUE_FATAL(sim_explore_run(scn, &so, &c, &error));
	g_autofree char *sc = test_outcome_set(&c);
	CU_ASSERT_STRING_EQUAL(sc, sa);
	if (strcmp(sa, sc) != 0)
		fprintf(stderr, "\n%s: full search:\n%s\nstateful, no eager steps:\n%s\n", scn->file,
			sa, sc);
	sim_explore_result_clear(&c);
	guint64 merged = b.stats.merged;
	if (pruned)
		*pruned = b.stateful;
	sim_explore_result_clear(&a);
	sim_explore_result_clear(&b);
	return merged;
}

/* The shipped scenarios small enough for a unit test, against the DPOR search (which
 * test_explore.c checks against the full one). */
static void test_stateful_finds_the_shipped_outcome_sets(void)
{
	static const char *files[] = {
		"scenarios/textbook/p1p2p3.scn",	  "scenarios/textbook/p1p2p3-all.scn",
		"scenarios/textbook/p1p2p3-pair.scn",	  "scenarios/textbook/p1p2p3-addressed.scn",
		"scenarios/textbook/p1p2p3-exclusive.scn", "scenarios/textbook/p1p2p3-round-robin.scn",
		"scenarios/textbook/rendezvous.scn",	  "scenarios/textbook/owner-exit.scn",
		"scenarios/textbook/deadlock.scn",	  "scenarios/textbook/direct-symmetric.scn",
		"scenarios/textbook/direct-asymmetric.scn",
		"scenarios/textbook/client-server-port.scn",
	};
	guint pruned_in = 0;
	for (guint i = 0; i < G_N_ELEMENTS(files); i++) {
		g_autoptr(GError) error = NULL;
		g_autoptr(SimScenario) scn = sim_scn_load(files[i], &error);
		if (!scn) {
			fprintf(stderr, "%s\n", error->message);
			CU_FAIL("a shipped scenario does not load");
			continue;
		}
		SimExploreOptions o = { .max_seconds = 60 };
		gboolean pruned = FALSE;
		if (same_as(scn, &o, &pruned) > 0)
			pruned_in++;
	}
	CU_ASSERT_TRUE(pruned_in >= 3); /* the digest covers the textbook mailboxes */
}

/* A small random scenario: 2 or 3 processes, 1 or 2 mailboxes of capacity 0 to 2 or
 * unbounded, 1 to 3 sends and receives each (some nowait), texts that tell senders apart or
 * not. Deadlocks are welcome: they are outcomes too. */
static char *generated(GRand *g)
{
	GString *s = g_string_new(NULL);
	guint n_mb = (guint)g_rand_int_range(g, 1, 3);
	for (guint m = 0; m < n_mb; m++) {
		gint c = g_rand_int_range(g, 0, 4);
		if (c == 3)
			g_string_append_printf(s, "mailbox M%u capacity=unbounded\n", m);
		else
			g_string_append_printf(s, "mailbox M%u capacity=%d\n", m, c);
	}
	guint n_p = (guint)g_rand_int_range(g, 2, 4);
	for (guint p = 0; p < n_p; p++) {
		g_string_append_printf(s, "process P%u {\n", p);
		/* now and then a loop around the calls, so that woken calls finish inside it */
		gboolean loop = g_rand_int_range(g, 0, 4) == 0;
		if (loop)
			g_string_append(s, "  repeat 2 {\n");
		guint ops = (guint)g_rand_int_range(g, 1, loop ? 3 : 4);
		for (guint k = 0; k < ops; k++) {
			guint mb = (guint)g_rand_int_range(g, 0, (gint32)n_mb);
			switch (g_rand_int_range(g, 0, 5)) {
			case 0:
				g_string_append_printf(s, "  send M%u \"m%u\"\n", mb, p);
				break;
			case 1:
				g_string_append_printf(s, "  send M%u \"x\"\n", mb);
				break;
			case 2:
				g_string_append_printf(s, "  receive M%u\n", mb);
				break;
			case 3:
				g_string_append_printf(s, "  receive M%u nowait\n", mb);
				break;
			default: /* the message kept in a variable */
				g_string_append_printf(s, "  receive M%u -> v\n", mb);
				break;
			}
		}
		g_string_append(s, loop ? "  }\n}\n" : "}\n");
	}
	g_string_append(s, "expect possible no deadlock\n");
	return g_string_free(s, FALSE);
}

/* Against the search without reduction: every interleaving, nothing pruned. */
static void test_stateful_matches_the_full_search_on_generated_scenarios(void)
{
	g_autoptr(GRand) g = g_rand_new_with_seed(20261207);
	guint64 merged = 0;
	for (guint i = 0; i < 60; i++) {
		g_autofree char *text = generated(g);
		g_autoptr(GError) error = NULL;
		g_autofree char *name = g_strdup_printf("gen%u.scn", i);
		g_autoptr(SimScenario) scn = sim_scn_parse(name, text, strlen(text), &error);
		if (!scn) {
			fprintf(stderr, "%s\n%s\n", text, error->message);
			CU_FAIL("a generated scenario does not parse");
			continue;
		}
		SimExploreOptions o = { .no_reduction = TRUE, .max_seconds = 60 };
		merged += same_as(scn, &o, NULL);
	}
	CU_ASSERT_TRUE(merged > 0);
}

/* Three producers put the same item into a buffer that three consumers drain: the orders
 * meet again in the same states, so the stateful search makes fewer calls than DPOR, which
 * cannot tell those orders apart. */
static void test_stateful_prunes_the_bounded_buffer(void)
{
	static const char text[] = "mailbox B capacity=1\n"
				   "process prod[2] { repeat 2 { send B \"item\" } }\n"
				   "process cons[2] { repeat 2 { receive B } }\n"
				   "expect never deadlock\n";
	g_autoptr(GError) error = NULL;
	g_autoptr(SimScenario) scn = sim_scn_parse("bb.scn", text, strlen(text), &error);
	CU_ASSERT_PTR_NOT_NULL_FATAL(scn);
	SimExploreOptions dpor = { 0 }, st = { .stateful = TRUE };
	SimExploreResult a, b;
	CU_ASSERT_TRUE_FATAL(sim_explore_run(scn, &dpor, &a, &error));
	CU_ASSERT_TRUE_FATAL(sim_explore_run(scn, &st, &b, &error));
	CU_ASSERT_TRUE(b.stateful);
	CU_ASSERT_TRUE(b.stats.merged > 0);
	CU_ASSERT_TRUE(b.stats.calls * 2 < a.stats.calls);
	CU_ASSERT_EQUAL(a.outcomes->len, b.outcomes->len);
	sim_explore_result_clear(&a);
	sim_explore_result_clear(&b);
}

/* The walk with snapshots against the replay of every prefix (no_snapshots): the same
 * walk, so the same counts, outcomes, counts per outcome and witnesses; and the walk makes
 * one call per edge of the state graph (each state's first step, and one per execution
 * that ended at a state seen before, an end, or the depth bound, but the first), where
 * the replay makes many more. Eager, only the outcome texts compare, since only the walk
 * takes a woken call's finish at once. */
void test_same_walk(const char *file, const char *text, gboolean eager)
{
	g_autoptr(SimScenario) scn = test_scn_load(file, text);
	CU_ASSERT_PTR_NOT_NULL_FATAL(scn);
	SimExploreOptions snap = { .stateful = TRUE, .no_eager = !eager, .max_seconds = 60 };
	SimExploreOptions replay = snap;
	replay.no_snapshots = TRUE;
	SimExploreResult a, b;
	g_autoptr(GError) error = NULL;
	CU_ASSERT_TRUE_FATAL(sim_explore_run(scn, &snap, &a, &error));
	CU_ASSERT_TRUE_FATAL(sim_explore_run(scn, &replay, &b, &error));
	CU_ASSERT_TRUE(a.complete && b.complete && a.stateful);
	const SimExploreStats *s = &a.stats;
	CU_ASSERT_EQUAL(s->calls, s->states + s->merged + s->executions + s->depth_cut - 1);
	if (eager) {
		g_autofree char *sa = test_outcome_set(&a);
		g_autofree char *sb = test_outcome_set(&b);
		CU_ASSERT_STRING_EQUAL(sa, sb);
		sim_explore_result_clear(&a);
		sim_explore_result_clear(&b);
		return;
	}
	CU_ASSERT_TRUE(b.stats.calls >= s->calls);
	CU_ASSERT_EQUAL(s->states, b.stats.states);
	CU_ASSERT_EQUAL(s->merged, b.stats.merged);
	CU_ASSERT_EQUAL(s->executions, b.stats.executions);
	CU_ASSERT_EQUAL_FATAL(a.outcomes->len, b.outcomes->len);
	for (guint i = 0; i < a.outcomes->len; i++) {
		const SimOutcome *x = g_ptr_array_index(a.outcomes, i);
		const SimOutcome *y = g_ptr_array_index(b.outcomes, i);
		CU_ASSERT_STRING_EQUAL(x->text, y->text);
		CU_ASSERT_STRING_EQUAL(x->witness, y->witness);
		CU_ASSERT_EQUAL(x->count, y->count);
		if (strcmp(x->text, y->text) != 0 || strcmp(x->witness, y->witness) != 0)
			fprintf(stderr, "\n%s: walk:\n%s(%s)\nreplay:\n%s(%s)\n", file, x->text,
				x->witness, y->text, y->witness);
	}
	sim_explore_result_clear(&a);
	sim_explore_result_clear(&b);
}

static const char bb_text[] = "mailbox B capacity=1\n"
			      "process prod[2] { repeat 2 { send B \"item\" } }\n"
			      "process cons[2] { repeat 2 { receive B } }\n"
			      "expect never deadlock\n";

static void test_stateful_walk_restores_what_a_replay_makes(void)
{
	static const char *files[] = {
		"scenarios/textbook/p1p2p3.scn",
		"scenarios/textbook/owner-exit.scn",
		"scenarios/textbook/deadlock.scn",
		"scenarios/textbook/direct-symmetric.scn",
		"scenarios/textbook/direct-asymmetric.scn",
		"scenarios/textbook/client-server-port.scn",
		"scenarios/textbook/p1p2p3-exclusive.scn",
		"scenarios/textbook/p1p2p3-pair.scn",
		"scenarios/textbook/p1p2p3-round-robin.scn",
		"scenarios/textbook/priority-mailbox.scn",
	};
	for (guint i = 0; i < G_N_ELEMENTS(files); i++) {
		test_same_walk(files[i], NULL, FALSE);
		test_same_walk(files[i], NULL, TRUE);
	}
	test_same_walk("bb.scn", bb_text, FALSE);
	test_same_walk("bb.scn", bb_text, TRUE);
	/* semaphore sets: values, sempid, blocked semops (simple and complex), a set made
	 * and one removed after a save (snap_sem.c) */
	static const char sem_text[] =
		"process init { semget key=0x5e01 nsems=2 create perm=0600 -> s }\n"
		"process p[2] start=1us { semget key=0x5e01 -> s\n semop s (0, -1) }\n"
		"process v start=2us { semget key=0x5e01 -> s\n semop s (0, +1)\n"
		" semop s (1, 0) (0, +1)\n semctl s rmid }\n";
	test_same_walk("sem.scn", sem_text, FALSE);
	test_same_walk("sem.scn", sem_text, TRUE);
	/* messages in variables and owned (interpolated) texts go and come back too */
	test_same_walk("vars.scn",
		  "mailbox A capacity=1\n"
		  "process p[2] { repeat 2 { send A \"from ${self}\" } }\n"
		  "process c { repeat 4 { receive A -> m } }\n",
		  FALSE);
}

/* A woken call's finish and a quiet end are taken at once: fewer states, the same
 * outcomes (same_as checks those on every scenario above). */
static void test_stateful_takes_local_steps_at_once(void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(SimScenario) scn = sim_scn_parse("bb.scn", bb_text, strlen(bb_text), &error);
	CU_ASSERT_PTR_NOT_NULL_FATAL(scn);
	SimExploreOptions eager = { .stateful = TRUE }, every = { .stateful = TRUE, .no_eager = TRUE };
	SimExploreResult a, b;
	CU_ASSERT_TRUE_FATAL(sim_explore_run(scn, &eager, &a, &error));
	CU_ASSERT_TRUE_FATAL(sim_explore_run(scn, &every, &b, &error));
	CU_ASSERT_TRUE(a.stats.states * 3 < b.stats.states * 2);
	g_autofree char *sa = test_outcome_set(&a);
	g_autofree char *sb = test_outcome_set(&b);
	CU_ASSERT_STRING_EQUAL(sa, sb);
	sim_explore_result_clear(&a);
	sim_explore_result_clear(&b);
}

/* Two requests alike, from two clients, in one mailbox: the server drops the first and
 * replies to the sender of the second, so states that differ only in the sender of a
 * queued request differ in who gets the reply. */
static void test_stateful_keeps_the_senders_a_reply_reads(void)
{
	static const char text[] = "mailbox M capacity=unbounded\n"
				   "process c[2] { send M \"r\"  receive s nowait }\n"
				   "process s { receive M  receive M -> m  send $m \"ok\" }\n";
	g_autoptr(GError) error = NULL;
	g_autoptr(SimScenario) scn = sim_scn_parse("reply.scn", text, strlen(text), &error);
	if (!scn)
		fprintf(stderr, "%s\n", error->message);
	CU_ASSERT_PTR_NOT_NULL_FATAL(scn);
	SimExploreOptions o = { .no_reduction = TRUE };
	same_as(scn, &o, NULL);
}

/* What `expect P fd D` saw when P exited is beyond the digest: the search stays DPOR, and
 * says so. */
static void test_stateful_keeps_dpor_where_the_digest_cannot_go(void)
{
	static const char text[] = "mailbox M capacity=1\n"
				   "process a { send M \"x\" }\n"
				   "process b { receive M nowait }\n"
				   "expect a fd 3 mq_flags=0\n";
	g_autoptr(GError) error = NULL;
	g_autoptr(SimScenario) scn = sim_scn_parse("q.scn", text, strlen(text), &error);
	CU_ASSERT_PTR_NOT_NULL_FATAL(scn);
	SimExploreOptions st = { .stateful = TRUE };
	SimExploreResult r;
	CU_ASSERT_TRUE_FATAL(sim_explore_run(scn, &st, &r, &error));
	CU_ASSERT_FALSE(r.stateful);
	CU_ASSERT_EQUAL(r.stats.merged, 0);
	CU_ASSERT_EQUAL(r.outcomes->len, 2);
	sim_explore_result_clear(&r);
}

/* ALPC ports are beyond the snapshots and the digest: the walk cannot go on, and the
 * search falls back to DPOR, which runs two processes that each make their own ports
 * without the 20 orders of their calls that a replay that cannot prune would try. */
static void test_stateful_falls_back_to_dpor_where_the_walk_cannot_go(void)
{
	static const char text[] = "process a { alpc_create \"pa\" -> p\n"
				   " alpc_create \"qa\" -> q }\n"
				   "process b { alpc_create \"pb\" -> p\n"
				   " alpc_create \"qb\" -> q }\n";
	g_autoptr(GError) error = NULL;
	g_autoptr(SimScenario) scn = sim_scn_parse("ports.scn", text, strlen(text), &error);
	if (!scn)
		fprintf(stderr, "%s\n", error->message);
	CU_ASSERT_PTR_NOT_NULL_FATAL(scn);
	SimExploreOptions st = { .stateful = TRUE }, dpor = { 0 };
	SimExploreResult a, b;
	CU_ASSERT_TRUE_FATAL(sim_explore_run(scn, &st, &a, &error));
	CU_ASSERT_TRUE_FATAL(sim_explore_run(scn, &dpor, &b, &error));
	CU_ASSERT_TRUE(a.complete && b.complete);
	CU_ASSERT_FALSE(a.stateful);
	CU_ASSERT_EQUAL(a.stats.executions, b.stats.executions);
	CU_ASSERT_TRUE(a.stats.executions < 20);
	g_autofree char *sa = test_outcome_set(&a);
	g_autofree char *sb = test_outcome_set(&b);
	CU_ASSERT_STRING_EQUAL(sa, sb);
	sim_explore_result_clear(&a);
	sim_explore_result_clear(&b);
}

CU_TestInfo explore_state_tests[] = {
	{ "stateful finds the shipped outcome sets", test_stateful_finds_the_shipped_outcome_sets },
	{ "stateful matches the full search on generated scenarios",
	  test_stateful_matches_the_full_search_on_generated_scenarios },
	{ "stateful prunes the bounded buffer", test_stateful_prunes_the_bounded_buffer },
	{ "stateful keeps the senders a reply reads", test_stateful_keeps_the_senders_a_reply_reads },
	{ "stateful walk restores what a replay makes",
	  test_stateful_walk_restores_what_a_replay_makes },
	{ "stateful takes local steps at once", test_stateful_takes_local_steps_at_once },
	{ "stateful falls back to DPOR where the walk cannot go",
	  test_stateful_falls_back_to_dpor_where_the_walk_cannot_go },
	{ "stateful keeps DPOR where the digest cannot go",
	  test_stateful_keeps_dpor_where_the_digest_cannot_go },
	CU_TEST_INFO_NULL,
};
