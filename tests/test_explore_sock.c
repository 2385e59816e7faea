/* test_explore_sock.c — the stateful search over UNIX-domain sockets (snap_sock.c): the
 * snapshot walk against the replay of every prefix, outcome sets against DPOR's on the
 * shipped socket scenarios and on small generated ones, witnesses that replay to their
 * outcomes, and digests that tell apart worlds which differ in one socket's state only. */
#include <string.h>

#include "tests.h"
#include "explore/explore_int.h"

/* Explores scn with DPOR and stateful: both complete with the same outcomes, and every
 * stateful witness replays. walked: the snapshot walk must have done it (no poll). */
static void same_as_dpor(const SimScenario *scn, gboolean walked)
{
	SimExploreOptions dpor = { .max_seconds = 60 };
	SimExploreOptions st = { .stateful = TRUE, .max_seconds = 60 };
	SimExploreResult a, b;
	g_autoptr(GError) error = NULL;
	CU_ASSERT_TRUE_FATAL(sim_explore_run(scn, &dpor, &a, &error));
	CU_ASSERT_TRUE_FATAL(sim_explore_run(scn, &st, &b, &error));
	CU_ASSERT_TRUE(a.complete && b.complete && b.stateful);
	if (!(a.complete && b.complete && b.stateful))
		fprintf(stderr, "\n%s: DPOR complete %d, stateful complete %d, stateful used %d\n",
			scn->file, a.complete, b.complete, b.stateful);
	if (walked) /* the walk makes one call per edge of the state graph (test_same_walk) */
		CU_ASSERT_EQUAL(b.stats.calls, b.stats.states + b.stats.merged +
						       b.stats.executions + b.stats.depth_cut - 1);
	g_autofree char *sa = test_outcome_set(&a);
	g_autofree char *sb = test_outcome_set(&b);
	CU_ASSERT_STRING_EQUAL(sb, sa);
	if (strcmp(sa, sb) != 0)
		fprintf(stderr, "\n%s: DPOR:\n%s\nstateful:\n%s\n", scn->file, sa, sb);
	for (guint i = 0; i < scn->n_expects; i++)
		CU_ASSERT_EQUAL(sim_explore_expect_holds(&a, scn, i),
				sim_explore_expect_holds(&b, scn, i));
	CU_ASSERT_TRUE(test_witnesses_replay(scn, &b));
	sim_explore_result_clear(&a);
	sim_explore_result_clear(&b);
}

/* Smaller cuts of the three scenarios whose DPOR search does not end in seconds: a queue
 * of 2 datagrams, a stream sender that outruns its reader, datagrams that outgrow the send
 * buffer. */
static const char dgram_queue[] = "sysctl max_dgram_qlen=2\n"
				  "process receiver {\n"
				  " socket dgram -> r\n bind r \"@inbox\"\n sleep 100us\n"
				  " @first recv r from\n sleep 100us\n"
				  " loop {\n  recv r size=16 dontwait\n  break if EAGAIN\n }\n}\n"
				  "process sender {\n sleep 10us\n socket dgram -> s\n"
				  " repeat 3 { sendto s \"datagram\" to=\"@inbox\" dontwait }\n"
				  " @full sendto s \"one too many\" to=\"@inbox\" dontwait\n"
				  " @waits sendto s \"waits for room\" to=\"@inbox\"\n}\n";
static const char flow_control[] = "process parent {\n socketpair stream -> s\n"
				   " fork reader {\n  close s.r\n"
				   "  loop {\n   recv s.w size=300000\n   break if eof\n  }\n }\n"
				   " close s.w\n @part sendto s.r size=250000 dontwait\n"
				   " @wait sendto s.r size=40000\n close s.r\n wait reader\n}\n";
static const char reliable[] = "process sender {\n socketpair dgram -> d\n"
			       " fork reader {\n  close d.r\n"
			       "  repeat 4 as i { @r recv d.w size=30000 }\n"
			       "  @empty recv d.w dontwait\n }\n close d.w\n"
			       " repeat 4 as i { sendto d.r \"datagram $i \" size=30000 }\n"
			       " wait reader\n}\n";

static const char *const shipped[] = {
	"scenarios/sockets/boundaries.scn",	"scenarios/sockets/connection.scn",
	"scenarios/sockets/datagrams.scn",	"scenarios/sockets/dgram-qlen.scn",
	"scenarios/sockets/errors.scn",		"scenarios/sockets/forgot-close.scn",
	"scenarios/sockets/fstat-owner.scn",	"scenarios/sockets/listener-dies.scn",
	"scenarios/sockets/no-types.scn",	"scenarios/sockets/path-names.scn",
	"scenarios/sockets/read-write.scn",	"scenarios/sockets/reset.scn",
	"scenarios/sockets/seqpacket-shut.scn", "scenarios/sockets/server.scn",
	"scenarios/sockets/shut-listener.scn",
};

/* The shipped socket scenarios that DPOR completes, the cuts above, and the poll scenarios
 * on sockets (where a poller stops the walk and the replay prunes where it can). */
static void test_sock_stateful_finds_the_shipped_outcome_sets(void)
{
	for (guint i = 0; i < G_N_ELEMENTS(shipped); i++) {
		g_autoptr(SimScenario) scn = test_scn_load(shipped[i], NULL);
		CU_ASSERT_PTR_NOT_NULL_FATAL(scn);
		same_as_dpor(scn, TRUE);
	}
	static const struct {
		const char *name, *text;
	} cuts[] = { { "dgram-queue.scn", dgram_queue },
		     { "flow-control.scn", flow_control },
		     { "reliable.scn", reliable } };
	for (guint i = 0; i < G_N_ELEMENTS(cuts); i++) {
		g_autoptr(SimScenario) scn = test_scn_load(cuts[i].name, cuts[i].text);
		CU_ASSERT_PTR_NOT_NULL_FATAL(scn);
		same_as_dpor(scn, TRUE);
	}
	static const char *const polls[] = { "scenarios/poll/socket-room.scn",
					     "scenarios/poll/sockets.scn" };
	for (guint i = 0; i < G_N_ELEMENTS(polls); i++) {
		g_autoptr(SimScenario) scn = test_scn_load(polls[i], NULL);
		CU_ASSERT_PTR_NOT_NULL_FATAL(scn);
		same_as_dpor(scn, FALSE);
	}
}

/* Two shipped scenarios DPOR cannot finish in seconds: the walk finishes them, and each of
 * their outcomes replays from its witness. */
static void test_sock_stateful_completes_what_dpor_cannot(void)
{
	static const char *const files[] = { "scenarios/sockets/dgram-queue.scn",
					     "scenarios/sockets/reliable.scn" };
	for (guint i = 0; i < G_N_ELEMENTS(files); i++) {
		g_autoptr(SimScenario) scn = test_scn_load(files[i], NULL);
		CU_ASSERT_PTR_NOT_NULL_FATAL(scn);
		SimExploreOptions st = { .stateful = TRUE, .max_seconds = 120 };
		SimExploreResult r;
		g_autoptr(GError) error = NULL;
		CU_ASSERT_TRUE_FATAL(sim_explore_run(scn, &st, &r, &error));
		CU_ASSERT_TRUE(r.complete && r.stateful && r.stats.merged > 0);
		CU_ASSERT_TRUE(test_witnesses_replay(scn, &r));
		sim_explore_result_clear(&r);
	}
}

/* The walk with snapshots against the replay of every prefix: the same states, counts,
 * outcomes and witnesses, through listeners with queued connections, doomed pairs whose
 * datagrams sit elsewhere, socket files, names, and senders blocked on full queues. */
static void test_sock_walk_restores_what_a_replay_makes(void)
{
	static const char *const files[] = {
		"scenarios/sockets/server.scn",	       "scenarios/sockets/listener-dies.scn",
		"scenarios/sockets/shut-listener.scn", "scenarios/sockets/fstat-owner.scn",
		"scenarios/sockets/forgot-close.scn",  "scenarios/sockets/path-names.scn",
		"scenarios/sockets/datagrams.scn",
	};
	for (guint i = 0; i < G_N_ELEMENTS(files); i++)
		test_same_walk(files[i], NULL, FALSE);
	test_same_walk("dgram-queue.scn", dgram_queue, FALSE);
	test_same_walk("flow-control.scn", flow_control, FALSE);
	test_same_walk("reliable.scn", reliable, FALSE);
	/* a sender's pair closed while its datagram waits in another queue (doomed), and a
	 * datagram socket connected to another pair's end */
	test_same_walk("doomed.scn",
		       "process r { socket dgram -> r\n bind r \"@in\"\n recv r from\n"
		       " recv r dontwait }\n"
		       "process s { socket dgram -> s\n bind s \"@out\"\n"
		       " sendto s \"x\" to=\"@in\"\n close s }\n"
		       "process c { socket dgram -> c\n connect c \"@in\"\n sendto c \"y\"\n"
		       " sendto c \"z\" dontwait }\n",
		       FALSE);
}

/* Random paths through text's world: at each state a snapshot is saved, a few random steps
 * taken, and the snapshot restored; the world then digests as it did at the save (every
 * part the digest reads came back, a datagram's sender name as much as its bytes), and the
 * path goes on from there. */
static void restore_round_trips(const char *file, const char *text, guint32 seed)
{
	g_autoptr(SimScenario) scn = test_scn_load(file, text);
	CU_ASSERT_PTR_NOT_NULL_FATAL(scn);
	SimRecorder rec;
	sim_recorder_init(&rec, scn->n_procs);
	SimWorldOptions wo = { .hook = { sim_recorder_hook, &rec } };
	SimWorld *w = sim_world_new(scn, &wo);
	SimSnap *snap = sim_snap_new(w);
	g_autoptr(GRand) g = g_rand_new_with_seed(seed);
	guint ids[SIM_EXPLORE_MAX_TASKS], saved = 0;
	for (guint round = 0; round < 400; round++) {
		guint64 before = 0, after = 0;
		gboolean kept =
			sim_state_digest(w, &rec, TRUE, &before) && sim_snap_save(snap, w, &rec);
		for (guint k = 0; kept && k < 4; k++) {
			guint n = sim_world_steppable(w, ids);
			if (!n || !sim_world_step(w, ids[g_rand_int_range(g, 0, (gint32)n)]))
				break;
		}
		if (kept) {
			sim_snap_restore(snap, w, &rec);
			CU_ASSERT_TRUE(sim_state_digest(w, &rec, TRUE, &after));
			CU_ASSERT_EQUAL(after, before);
			saved++;
		}
		guint n = sim_world_steppable(w, ids);
		if (!n || !sim_world_step(w, ids[g_rand_int_range(g, 0, (gint32)n)]))
			break;
	}
	CU_ASSERT_TRUE(saved > 10);
	sim_snap_free(snap);
	sim_world_free(w);
	sim_recorder_clear(&rec);
}

static void test_sock_restore_gives_back_every_digested_part(void)
{
	static const char *const files[] = {
		"scenarios/sockets/server.scn",	     "scenarios/sockets/listener-dies.scn",
		"scenarios/sockets/dgram-queue.scn", "scenarios/sockets/flow-control.scn",
		"scenarios/sockets/datagrams.scn",   "scenarios/sockets/path-names.scn",
		"scenarios/sockets/reset.scn",	     "scenarios/sockets/shut-listener.scn",
	};
	for (guint i = 0; i < G_N_ELEMENTS(files); i++)
		for (guint32 seed = 1; seed <= 4; seed++)
			restore_round_trips(files[i], NULL, seed);
}

/* ---- Small generated scenarios ---- */

/* 1 to 3 calls on descriptor d: sends small and large, receives, a shutdown, a close. */
static void pair_ops(GRand *g, GString *s, const char *d, guint who)
{
	guint n = (guint)g_rand_int_range(g, 1, 4);
	for (guint k = 0; k < n; k++) {
		switch (g_rand_int_range(g, 0, 7)) {
		case 0:
			g_string_append_printf(s, "  sendto %s \"m%u\" nosignal\n", d, who);
			break;
		case 1:
			g_string_append_printf(s, "  sendto %s size=70000 dontwait nosignal\n", d);
			break;
		case 2:
			g_string_append_printf(s, "  recv %s size=%d\n", d,
					       g_rand_boolean(g) ? 2 : 4096);
			break;
		case 3:
			g_string_append_printf(s, "  recv %s dontwait%s\n", d,
					       g_rand_boolean(g) ? " peek" : "");
			break;
		case 4:
			g_string_append_printf(s, "  shutdown %s %s\n", d,
					       g_rand_boolean(g) ? "wr" : "rd");
			break;
		case 5:
			g_string_append_printf(s, "  sendto %s \"w%u\" dontwait nosignal\n", d,
					       who);
			break;
		default:
			g_string_append_printf(s, "  close %s\n", d);
			return;
		}
	}
}

/* A pair shared by a parent and its child, each using one end. */
static void gen_pair(GRand *g, GString *s)
{
	static const char *const types[] = { "stream", "dgram", "seqpacket" };
	g_string_append_printf(s, "process p {\n  socketpair %s -> s\n  fork c {\n",
			       types[g_rand_int_range(g, 0, 3)]);
	if (g_rand_boolean(g))
		g_string_append(s, "  close s.r\n");
	pair_ops(g, s, "s.w", 1);
	g_string_append(s, "  }\n");
	if (g_rand_boolean(g))
		g_string_append(s, "  close s.w\n");
	pair_ops(g, s, "s.r", 0);
	g_string_append(s, "}\n");
}

/* Datagrams to a bound name, through a queue of one, from senders bound or not. */
static void gen_names(GRand *g, GString *s)
{
	g_string_append(s, "sysctl max_dgram_qlen=1\nprocess r {\n  socket dgram -> r\n"
			   "  bind r \"@in\"\n");
	guint n = (guint)g_rand_int_range(g, 1, 4);
	for (guint k = 0; k < n; k++)
		g_string_append_printf(s, "  recv r%s%s\n", g_rand_boolean(g) ? " dontwait" : "",
				       g_rand_boolean(g) ? " from" : "");
	g_string_append(s, "}\n");
	guint senders = (guint)g_rand_int_range(g, 1, 3);
	for (guint p = 0; p < senders; p++) {
		g_string_append_printf(s, "process s%u {\n  socket dgram -> s\n", p);
		if (g_rand_boolean(g))
			g_string_append_printf(s, "  bind s \"@s%u\"\n", p);
		guint m = (guint)g_rand_int_range(g, 1, 3);
		for (guint k = 0; k < m; k++)
			g_string_append_printf(s, "  sendto s \"d%u\" to=\"@in\"%s\n", p,
					       g_rand_boolean(g) ? " dontwait" : "");
		if (g_rand_boolean(g))
			g_string_append(s, "  close s\n");
		g_string_append(s, "}\n");
	}
}

/* A listener with a backlog of 0 or 1 and clients that connect, send and read. */
static void gen_server(GRand *g, GString *s)
{
	guint clients = (guint)g_rand_int_range(g, 1, 3);
	g_string_append_printf(s,
			       "process srv {\n  socket stream -> l\n  bind l \"@srv\"\n"
			       "  listen l backlog=%d\n",
			       g_rand_int_range(g, 0, 2));
	guint accepts = (guint)g_rand_int_range(g, 0, (gint32)clients + 1);
	for (guint k = 0; k < accepts; k++)
		g_string_append_printf(s, "  accept l -> c%u\n  recv c%u%s\n", k, k,
				       g_rand_boolean(g) ? " dontwait" : "");
	if (g_rand_boolean(g))
		g_string_append(s, "  close l\n");
	g_string_append(s, "}\n");
	for (guint p = 0; p < clients; p++) {
		g_string_append_printf(s,
				       "process cl%u {\n  socket stream%s -> s\n"
				       "  connect s \"@srv\"\n  sendto s \"c%u\" nosignal\n",
				       p, g_rand_boolean(g) ? " nonblock" : "", p);
		if (g_rand_boolean(g))
			g_string_append(s, "  recv s dontwait\n");
		g_string_append(s, "}\n");
	}
}

/* Against DPOR, on 45 generated scenarios of the three kinds. */
static void test_sock_stateful_matches_dpor_on_generated_scenarios(void)
{
	g_autoptr(GRand) g = g_rand_new_with_seed(20261207);
	for (guint i = 0; i < 45; i++) {
		g_autoptr(GString) text = g_string_new(NULL);
		if (i % 3 == 0)
			gen_pair(g, text);
		else if (i % 3 == 1)
			gen_names(g, text);
		else
			gen_server(g, text);
		g_autoptr(GError) error = NULL;
		g_autofree char *name = g_strdup_printf("gensock%u.scn", i);
		g_autoptr(SimScenario) scn = sim_scn_parse(name, text->str, text->len, &error);
		if (!scn) {
			fprintf(stderr, "%s\n%s\n", text->str, error->message);
			CU_FAIL("a generated scenario does not parse");
			continue;
		}
		same_as_dpor(scn, TRUE);
	}
}

/* ---- Digests ---- */

/* The digest of the world text leaves when every process has stepped until it blocks (a
 * receive on an empty mailbox at the end keeps its sockets open). */
static guint64 digest_blocked(const char *text)
{
	g_autoptr(SimScenario) scn = test_scn_load("d.scn", text);
	CU_ASSERT_PTR_NOT_NULL_FATAL(scn);
	SimRecorder rec;
	sim_recorder_init(&rec, scn->n_procs);
	SimWorldOptions wo = { 0 };
	g_autoptr(SimWorld) w = sim_world_new(scn, &wo);
	sim_world_run(w);
	guint64 h = 0;
	CU_ASSERT_TRUE(sim_state_digest(w, &rec, TRUE, &h));
	sim_recorder_clear(&rec);
	return h;
}

/* Worlds alike but for one thing of one socket: the digests differ. The two texts of each
 * pair make the same number of calls with the same results, so that only the sockets
 * tell them apart: the bytes queued, shutdown bits, a pending error, a type, the backlog,
 * a bound name, the name a datagram carries, a send buffer's count (the same bytes cut
 * into other buffers), a peer, a queued connection. */
static void test_sock_digest_reads_every_field(void)
{
	static const char *const pairs[][2] = {
		{ "sendto s.r \"ab\"", "sendto s.r \"cd\"" },
		{ "shutdown s.r wr", "shutdown s.r rd" },
		{ "sendto s.w \"x\"\n close s.r", "sendto s.r \"x\"\n close s.r" },
		{ "socketpair dgram -> t\n sendto t.r \"xy\"",
		  "socketpair seqpacket -> t\n sendto t.r \"xy\"" },
		{ "socket stream -> l\n bind l \"@l\"\n listen l backlog=1",
		  "socket stream -> l\n bind l \"@l\"\n listen l backlog=2" },
		{ "socket dgram -> d\n bind d \"@a\"", "socket dgram -> d\n bind d \"@b\"" },
		{ "socket dgram -> d\n bind d \"@a\"\n socket dgram -> e\n bind e \"@e\"\n"
		  " sendto e \"x\" to=\"@a\"",
		  "socket dgram -> d\n bind d \"@a\"\n socket dgram -> e\n bind e \"@f\"\n"
		  " sendto e \"x\" to=\"@a\"" },
		{ "sendto s.r \"ab\"\n sendto s.r \"cd\"",
		  "sendto s.r \"abcd\"\n sendto s.r \"\"" },
		{ "socket dgram -> d\n bind d \"@a\"\n socket dgram -> f\n bind f \"@b\"\n"
		  " socket dgram -> e\n connect e \"@a\"",
		  "socket dgram -> d\n bind d \"@a\"\n socket dgram -> f\n bind f \"@b\"\n"
		  " socket dgram -> e\n connect e \"@b\"" },
		{ "socket stream -> l\n bind l \"@l\"\n listen l\n socket stream -> k\n"
		  " bind k \"@k\"\n listen k\n socket stream -> c\n connect c \"@l\"",
		  "socket stream -> l\n bind l \"@l\"\n listen l\n socket stream -> k\n"
		  " bind k \"@k\"\n listen k\n socket stream -> c\n connect c \"@k\"" },
	};
	for (guint i = 0; i < G_N_ELEMENTS(pairs); i++) {
		guint64 h[2];
		for (guint k = 0; k < 2; k++) {
			g_autofree char *text =
				g_strdup_printf("mailbox m\nprocess p {\n socketpair stream -> s\n "
						"%s\n receive m\n}\n",
						pairs[i][k]);
			h[k] = digest_blocked(text);
		}
		CU_ASSERT_NOT_EQUAL(h[0], h[1]);
		if (h[0] == h[1])
			fprintf(stderr, "\npair %u digests alike: %s | %s\n", i, pairs[i][0],
				pairs[i][1]);
	}
	/* Two readers wait on one end, in either order. */
	static const char readers[] = "process a { socketpair stream -> s\n"
				      " fork b { recv s.w }\n recv s.w }\n";
	static const guint ab[] = { 0, 0, 1, 0 }, ba[] = { 0, 0, 0, 1 };
	CU_ASSERT_NOT_EQUAL(test_digest_after(readers, ab, 4), test_digest_after(readers, ba, 4));
}

/* What no later call can read leaves the digest alone: the pairs' names (sock#N: two
 * processes make their pairs in either order), and the bytes of a buffer that were read
 * already. */
static void test_sock_digest_leaves_out_what_nothing_reads(void)
{
	static const char names[] =
		"mailbox m\n"
		"process a { socketpair stream -> s\n sendto s.r \"x\"\n receive m }\n"
		"process b { socketpair dgram -> s\n receive m }\n";
	static const guint ab[] = { 0, 1 }, ba[] = { 1, 0 };
	CU_ASSERT_EQUAL(test_digest_after(names, ab, 2), test_digest_after(names, ba, 2));
	CU_ASSERT_EQUAL(digest_blocked("mailbox m\nprocess p { socketpair stream -> s\n"
				       " sendto s.r \"abc\"\n recv s.w size=1\n receive m }\n"),
			digest_blocked("mailbox m\nprocess p { socketpair stream -> s\n"
				       " sendto s.r \"xbc\"\n recv s.w size=1\n receive m }\n"));
}

CU_TestInfo explore_sock_tests[] = {
	{ "sock stateful finds the shipped outcome sets",
	  test_sock_stateful_finds_the_shipped_outcome_sets },
	{ "sock stateful completes what DPOR cannot",
	  test_sock_stateful_completes_what_dpor_cannot },
	{ "sock walk restores what a replay makes", test_sock_walk_restores_what_a_replay_makes },
	{ "sock restore gives back every digested part",
	  test_sock_restore_gives_back_every_digested_part },
	{ "sock stateful matches DPOR on generated scenarios",
	  test_sock_stateful_matches_dpor_on_generated_scenarios },
	{ "sock digest reads every field", test_sock_digest_reads_every_field },
	{ "sock digest leaves out what nothing reads",
	  test_sock_digest_leaves_out_what_nothing_reads },
	CU_TEST_INFO_NULL,
};
