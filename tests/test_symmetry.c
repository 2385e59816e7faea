/* test_symmetry.c — symmetry between interchangeable replicas in the stateful search: the
 * same outcome sets and verdicts with and without it, fewer states with it, witnesses of
 * the permuted outcomes that replay to them, and no symmetry where the scenario can tell
 * the replicas apart. */
#include <string.h>

#include "tests.h"
#include "msgsim/explore/explore.h"
#include "explore/explore_int.h"

static SimScenario *parse(const char *text)
{
	g_autoptr(GError) error = NULL;
	SimScenario *scn = sim_scn_parse("sym.scn", text, strlen(text), &error);
	if (!scn)
		fprintf(stderr, "%s\n%s\n", text, error->message);
	return scn;
}

/* Explores scn stateful with and without symmetry: the same outcome sets, deadlocks and
 * verdicts, and witnesses that replay. The tasks symmetry used (0: none); the states of
 * both searches in *with and *without. */
static guint same_with_and_without(const SimScenario *scn, guint64 *with, guint64 *without)
{
	SimExploreOptions on = { .stateful = TRUE, .max_seconds = 60 };
	SimExploreOptions off = on;
	off.no_symmetry = TRUE;
	SimExploreResult a, b;
	g_autoptr(GError) error = NULL;
	CU_ASSERT_TRUE_FATAL(sim_explore_run(scn, &off, &a, &error));
	CU_ASSERT_TRUE_FATAL(sim_explore_run(scn, &on, &b, &error));
	CU_ASSERT_TRUE(a.complete && b.complete);
	CU_ASSERT_EQUAL(a.symmetric, 0);
	g_autofree char *sa = test_outcome_set(&a);
	g_autofree char *sb = test_outcome_set(&b);
	CU_ASSERT_STRING_EQUAL(sb, sa);
	if (strcmp(sa, sb) != 0)
		fprintf(stderr, "\n%s: without symmetry:\n%s\nwith:\n%s\n", scn->file, sa, sb);
	CU_ASSERT_EQUAL(a.deadlocks > 0, b.deadlocks > 0);
	for (guint i = 0; i < scn->n_expects; i++)
		CU_ASSERT_EQUAL(sim_explore_expect_holds(&a, scn, i),
				sim_explore_expect_holds(&b, scn, i));
	CU_ASSERT_TRUE(test_witnesses_replay(scn, &b));
	guint used = b.symmetric;
	if (with)
		*with = b.stats.states;
	if (without)
		*without = a.stats.states;
	sim_explore_result_clear(&a);
	sim_explore_result_clear(&b);
	return used;
}

/* Hand-written cases whose outcomes tell the replicas apart (who got which item, who was
 * left blocked), so that the set is closed only if every permutation is added. */
static void test_symmetry_keeps_the_outcome_sets(void)
{
	static const char *cases[] = {
		/* the speed goal's buffer, smaller: one outcome */
		"mailbox B capacity=1\n"
		"process prod[2] { repeat 2 { send B \"item\" } }\n"
		"process cons[2] { repeat 2 { receive B } }\n"
		"expect never deadlock\n",
		/* who gets a, who gets b, who finds nothing: every arrangement */
		"mailbox B\n"
		"process s { send B \"a\"  send B \"b\" }\n"
		"process r[3] { receive B nowait }\n"
		"expect possible no deadlock\n",
		/* a rendezvous with one consumer too many: which one is left blocked */
		"mailbox B capacity=0\n"
		"process p[2] { send B \"x\" }\n"
		"process c[3] { receive B }\n"
		"expect possible deadlock\n",
		/* two groups, a loop, messages kept in variables and sent on */
		"mailbox A capacity=1\nmailbox C\n"
		"process w[3] { repeat 2 { receive A -> v nowait  send C \"got $v\" } }\n"
		"process f[2] { send A \"1\"  send A \"2\" }\n"
		"expect possible no deadlock\n",
		/* a replica named by an expectation keeps its identity; the others swap */
		"mailbox B capacity=1\n"
		"process s { send B \"a\"  send B \"b\" }\n"
		"process r[3] { receive B nowait }\n"
		"expect possible r0 state=exited\n",
		/* a mailbox's statistics read by an expectation */
		"mailbox B capacity=2\n"
		"process p[3] { send B \"x\" nowait }\n"
		"process c { receive B  receive B nowait }\n"
		"expect B max_qnum=2\n",
		/* processes declared one by one, with the same statements */
		"mailbox B\n"
		"process s { send B \"a\"  send B \"b\" }\n"
		"process r1 { repeat 1 { receive B -> v nowait } }\n"
		"process r2 { repeat 1 { receive B -> w nowait } }\n"
		"process r3 { receive B nowait }\n"
		"expect possible no deadlock\n",
	};
	static const guint used[] = { 4, 3, 5, 5, 2, 3, 2 };
	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autoptr(SimScenario) scn = parse(cases[i]);
		CU_ASSERT_PTR_NOT_NULL_FATAL(scn);
		guint64 with = 0, without = 0;
		guint u = same_with_and_without(scn, &with, &without);
		CU_ASSERT_EQUAL(u, used[i]);
		if (u != used[i])
			fprintf(stderr, "\ncase %u: %u tasks in groups, not %u\n", i, u, used[i]);
		CU_ASSERT_TRUE(with < without);
	}
}

/* A small random scenario of replicated processes: 1 or 2 mailboxes, 2 or 3 declarations
 * of 1 to 3 replicas (at most 5 processes), each with 1 to 3 sends and receives (some
 * nowait, some into a variable, some texts that tell the senders apart). */
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
	guint n_decl = (guint)g_rand_int_range(g, 2, 4), left = 5;
	for (guint p = 0; p < n_decl && left; p++) {
		guint k = MIN((guint)g_rand_int_range(g, 1, 4), left);
		left -= k;
		g_string_append_printf(s, "process P%u[%u] {\n", p, k);
		guint ops = (guint)g_rand_int_range(g, 1, 4);
		for (guint o = 0; o < ops; o++) {
			guint mb = (guint)g_rand_int_range(g, 0, (gint32)n_mb);
			switch (g_rand_int_range(g, 0, 6)) {
			case 0:
				g_string_append_printf(s, "  send M%u \"m%u\"\n", mb, p);
				break;
			case 1:
				g_string_append_printf(s, "  send M%u \"x\" nowait\n", mb);
				break;
			case 2:
				g_string_append_printf(s, "  receive M%u\n", mb);
				break;
			case 3:
				g_string_append_printf(s, "  receive M%u nowait\n", mb);
				break;
			case 4:
				g_string_append_printf(s, "  receive M%u -> v nowait\n", mb);
				break;
			default:
				g_string_append_printf(s, "  send M%u \"x\"\n", mb);
				break;
			}
		}
		g_string_append(s, "}\n");
	}
	g_string_append(s, "expect possible no deadlock\n");
	return g_string_free(s, FALSE);
}

static void test_symmetry_matches_on_generated_scenarios(void)
{
	g_autoptr(GRand) g = g_rand_new_with_seed(20261207);
	guint used = 0;
	for (guint i = 0; i < 60; i++) {
		g_autofree char *text = generated(g);
		g_autoptr(SimScenario) scn = parse(text);
		CU_ASSERT_PTR_NOT_NULL_FATAL(scn);
		if (same_with_and_without(scn, NULL, NULL))
			used++;
	}
	CU_ASSERT_TRUE(used >= 30);
}

/* And against the search without any pruning (every interleaving), on small ones. */
static void test_symmetry_matches_the_full_search(void)
{
	static const char *cases[] = {
		"mailbox B\n"
		"process s { send B \"a\"  send B \"b\" }\n"
		"process r[3] { receive B nowait }\n",
		"mailbox B capacity=0\n"
		"process p[2] { send B \"x\" }\n"
		"process c[2] { receive B }\n",
	};
	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autoptr(SimScenario) scn = parse(cases[i]);
		CU_ASSERT_PTR_NOT_NULL_FATAL(scn);
		SimExploreOptions full = { .no_reduction = TRUE }, on = { .stateful = TRUE };
		SimExploreResult a, b;
		g_autoptr(GError) error = NULL;
		CU_ASSERT_TRUE_FATAL(sim_explore_run(scn, &full, &a, &error));
		CU_ASSERT_TRUE_FATAL(sim_explore_run(scn, &on, &b, &error));
		CU_ASSERT_TRUE(b.symmetric > 0);
		g_autofree char *sa = test_outcome_set(&a);
		g_autofree char *sb = test_outcome_set(&b);
		CU_ASSERT_STRING_EQUAL(sb, sa);
		sim_explore_result_clear(&a);
		sim_explore_result_clear(&b);
	}
}

/* The tasks symmetry uses in text's scenario (stateful). */
static guint symmetric(const char *text)
{
	g_autoptr(SimScenario) scn = parse(text);
	CU_ASSERT_PTR_NOT_NULL_FATAL(scn);
	SimExploreOptions o = { .stateful = TRUE, .max_seconds = 60 };
	SimExploreResult r;
	g_autoptr(GError) error = NULL;
	CU_ASSERT_TRUE_FATAL(sim_explore_run(scn, &o, &r, &error));
	guint n = r.symmetric;
	sim_explore_result_clear(&r);
	return n;
}

/* Wherever something could tell the replicas apart, no symmetry. */
static void test_symmetry_only_where_replicas_are_alike(void)
{
	const char *head = "mailbox B capacity=1\nprocess c[2] { receive B }\n";
#define WITH(body) g_strconcat(head, body, NULL)
	g_autofree char *plain = WITH("process p[2] { send B \"x\" }\n");
	CU_ASSERT_EQUAL(symmetric(plain), 4);
	/* the body names the replica: its group is out, the other stays */
	g_autofree char *index = WITH("process p[2] { send B \"x$index\" }\n");
	CU_ASSERT_EQUAL(symmetric(index), 2);
	g_autofree char *self = WITH("process p[2] { send B \"$self\" }\n");
	CU_ASSERT_EQUAL(symmetric(self), 2);
	g_autofree char *expr = WITH("process p[2] { send B \"x\" type=${index + 1} }\n");
	CU_ASSERT_EQUAL(symmetric(expr), 2);
	/* a sender that can be read (a reply, $m.from), a direct link: none at all */
	g_autofree char *reply = WITH("process p[2] { send B \"x\" }\n"
				      "process q { receive B -> m  send $m \"r\" }\n");
	CU_ASSERT_EQUAL(symmetric(reply), 0);
	g_autofree char *from =
		WITH("process p[2] { send B \"x\" }\n"
		     "mailbox D\nprocess q { receive B -> m  send D \"$m.from\" }\n");
	CU_ASSERT_EQUAL(symmetric(from), 0);
	g_autofree char *direct = WITH("process p[2] { send q \"x\" }\n"
				       "process q { receive p0  receive p1 }\n");
	CU_ASSERT_EQUAL(symmetric(direct), 0);
	/* a delivery by process order; an expectation on results or received lists */
	CU_ASSERT_EQUAL(symmetric("mailbox B deliver=round-robin\n"
				  "process c[2] { receive B }\nprocess p { send B \"x\" }\n"),
			0);
	g_autofree char *label = WITH("process p[2] { @put send B \"x\" }\nexpect @put ok\n");
	CU_ASSERT_EQUAL(symmetric(label), 0);
	/* a replica's label that nothing under explore reads is inert: no expectation reads
	 * it, or only a run-only one (explore leaves `expect run` out) */
	g_autofree char *unread = WITH("process p[2] { @put send B \"x\" }\n");
	CU_ASSERT_EQUAL(symmetric(unread), 4);
	g_autofree char *runonly =
		WITH("process p[2] { @put send B \"x\" }\nexpect run @put ok\n");
	CU_ASSERT_EQUAL(symmetric(runonly), 4);
	g_autofree char *labels_apart =
		WITH("process p1 { @a send B \"x\" }\nprocess p2 { @b send B \"x\" }\n");
	CU_ASSERT_EQUAL(symmetric(labels_apart), 2);
	g_autofree char *recv = WITH("process p[2] { send B \"x\" }\nexpect c0 received count=1\n");
	CU_ASSERT_EQUAL(symmetric(recv), 0);
	/* different starts, an owner, a process started after a replica */
	g_autofree char *after = WITH("process p[2] { send B \"x\" }\n"
				      "process q start=after(c0) { }\n");
	CU_ASSERT_EQUAL(symmetric(after), 2);
	/* bodies declared apart: the same statements make one program, any difference two */
	g_autofree char *apart = WITH("process p1 { send B \"x\" }\nprocess p2 { send B \"x\" }\n");
	CU_ASSERT_EQUAL(symmetric(apart), 4);
	g_autofree char *differ =
		WITH("process p1 { send B \"x\" }\nprocess p2 { send B \"y\" }\n");
	CU_ASSERT_EQUAL(symmetric(differ), 2);
	g_autofree char *nowait = WITH("process p1 { send B \"x\" }\n"
				       "process p2 { send B \"x\" nowait }\n");
	CU_ASSERT_EQUAL(symmetric(nowait), 2);
	/* and never when asked not to */
	g_autoptr(SimScenario) scn = parse(plain);
	SimExploreOptions o = { .stateful = TRUE, .no_symmetry = TRUE };
	SimExploreResult r;
	g_autoptr(GError) error = NULL;
	CU_ASSERT_TRUE_FATAL(sim_explore_run(scn, &o, &r, &error));
	CU_ASSERT_EQUAL(r.symmetric, 0);
	sim_explore_result_clear(&r);
#undef WITH
}

/* The speed goal's buffer, as shipped: far fewer states, the same one outcome. */
static void test_symmetry_prunes_the_bounded_buffer(void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(SimScenario) scn = sim_scn_load("scenarios/explore/bounded-buffer.scn", &error);
	CU_ASSERT_PTR_NOT_NULL_FATAL(scn);
	guint64 with = 0, without = 0;
	CU_ASSERT_EQUAL(same_with_and_without(scn, &with, &without), 6);
	CU_ASSERT_TRUE(with * 10 < without);
}

CU_TestInfo symmetry_tests[] = {
	{ "symmetry keeps the outcome sets", test_symmetry_keeps_the_outcome_sets },
	{ "symmetry matches on generated scenarios", test_symmetry_matches_on_generated_scenarios },
	{ "symmetry matches the full search", test_symmetry_matches_the_full_search },
	{ "symmetry only where replicas are alike", test_symmetry_only_where_replicas_are_alike },
	{ "symmetry prunes the bounded buffer", test_symmetry_prunes_the_bounded_buffer },
	CU_TEST_INFO_NULL,
};
