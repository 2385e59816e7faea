/* test_sock_split.c — a long stream send queued in the kernel's pieces, with a choice point
 * between them: unix_stream_sendmsg queues buffers of at most min(sk_sndbuf / 2 - 64,
 * SKB_MAX_HEAD(0) + 32 KiB) = 36544 bytes and wakes the reader after each, so a reader asleep
 * in recv may take the first piece alone. Measured in a private namespace (unshare -i -n):
 * a reader asleep in recv(65536) on its own CPU, the writer sending 100000 bytes at once,
 * got 36544 bytes in about one run of 400 and 65536 in the others. A stepped run
 * (exploration, a witness) stops the send at such a boundary; a plain run sends whole.
 */
#include <string.h>

#include "engine/world_int.h"
#include "msgsim/explore/explore.h"
#include "msgsim/kernel/sock.h"
#include "real/xcheck_int.h"
#include "tests.h"

/* A reader asleep in a blocking recv on end 1 of sp. */
static void reader_sleeps(SimSockPair *sp, SimWakeList *wl, SimWaiter *rd)
{
	SimSockCtx c = { .wake = wl };
	gsize ret = 0;
	CU_ASSERT_EQUAL(sim_sock_recv(&sp->end[1], &c, rd, 65536, NULL, &ret), SIM_BLOCKED);
}

/* Sends bytes [*done, 100000) on end 0 of sp; TRUE when it stopped at a piece boundary. */
static gboolean send_on(SimSockPair *sp, SimWakeList *wl, SimWaiter *me, gboolean split,
			gsize *done)
{
	SimSockCtx c = { .wake = wl, .split = split };
	SimSockSrc src = { NULL, 0 };
	CU_ASSERT_EQUAL(sim_sock_send(&sp->end[0], &c, me, &src, 100000, done), 0);
	CU_ASSERT(sim_sock_check(&sp->end[0]));
	CU_ASSERT(sim_sock_check(&sp->end[1]));
	return c.yielded;
}

static void test_sock_split_stops_at_each_piece_a_reader_wakes_at(void)
{
	SimSockPair *sp = sim_sock_pair_new("sock#1", SIM_SOCK_STREAM);
	SimWakeList wl = { 0 };
	SimWaiter me = { .task = 0 }, rd = { .task = 1 };
	gsize done = 0;
	reader_sleeps(sp, &wl, &rd);
	CU_ASSERT_TRUE(send_on(sp, &wl, &me, TRUE, &done));
	CU_ASSERT_EQUAL(done, 36544);
	CU_ASSERT_EQUAL(sp->end[1].rcv_bytes, 36544);
	CU_ASSERT_PTR_EQUAL(wl.first, &rd); /* the piece woke the reader */
	/* The reader takes that piece (a short read) and sleeps again: the next piece wakes it
	 * again, and the send stops once more. */
	SimWaiter rd2 = { .task = 1 };
	SimSockCtx rc = { .wake = &wl, .nonblock = TRUE };
	gsize got = 0;
	CU_ASSERT_EQUAL(sim_sock_recv(&sp->end[1], &rc, &rd2, 65536, NULL, &got), 0);
	CU_ASSERT_EQUAL(got, 36544);
	wl = (SimWakeList){ 0 };
	reader_sleeps(sp, &wl, &rd2);
	CU_ASSERT_TRUE(send_on(sp, &wl, &me, TRUE, &done));
	CU_ASSERT_EQUAL(done, 73088);
	CU_ASSERT_PTR_EQUAL(wl.first, &rd2);
	wl = (SimWakeList){ 0 };
	/* Nobody asleep now: the rest goes at once, the last piece the remainder. */
	CU_ASSERT_FALSE(send_on(sp, &wl, &me, TRUE, &done));
	CU_ASSERT_EQUAL(done, 100000);
	CU_ASSERT_EQUAL(sp->end[1].rcvq.length, 2);
	CU_ASSERT_EQUAL(sp->end[1].rcv_bytes, 100000 - 36544);
	const SimSkb *last = g_queue_peek_tail(&sp->end[1].rcvq);
	CU_ASSERT_EQUAL(last->len, 100000 - 2 * 36544);
	sim_sock_pair_free(sp);
}

static void test_sock_split_not_asked_sends_whole(void)
{
	SimSockPair *sp = sim_sock_pair_new("sock#1", SIM_SOCK_STREAM);
	SimWakeList wl = { 0 };
	SimWaiter me = { .task = 0 }, rd = { .task = 1 };
	gsize done = 0;
	reader_sleeps(sp, &wl, &rd);
	CU_ASSERT_FALSE(send_on(sp, &wl, &me, FALSE, &done));
	CU_ASSERT_EQUAL(done, 100000);
	CU_ASSERT_EQUAL(sp->end[1].rcvq.length, 3); /* still the kernel's three pieces */
	sim_sock_pair_free(sp);
	/* A send that fits in one piece has no boundary to stop at. */
	sp = sim_sock_pair_new("sock#1", SIM_SOCK_STREAM);
	wl = (SimWakeList){ 0 };
	done = 0;
	reader_sleeps(sp, &wl, &rd);
	SimSockCtx c = { .wake = &wl, .split = TRUE };
	SimSockSrc src = { NULL, 0 };
	CU_ASSERT_EQUAL(sim_sock_send(&sp->end[0], &c, &me, &src, 36544, &done), 0);
	CU_ASSERT_FALSE(c.yielded);
	CU_ASSERT_EQUAL(done, 36544);
	sim_sock_pair_free(sp);
}

/* The reader asleep in recv, the writer's one long send. */
static const char *short_read = "process parent {\n"
				"    socketpair stream -> s\n"
				"    fork reader {\n"
				"        close s.r\n"
				"        recv s.w size=65536\n"
				"    }\n"
				"    close s.w\n"
				"    sendto s.r size=100000\n"
				"    close s.r\n"
				"    wait reader\n"
				"}\n";

/* Does an outcome have the reader's recv give exactly n bytes? */
static gboolean reader_got(const SimExploreResult *r, gsize n)
{
	g_autoptr(GString) needle = g_string_new("reader: close; recv \"");
	for (gsize i = 0; i < n; i++)
		g_string_append_c(needle, 'x');
	g_string_append(needle, "\";");
	for (guint i = 0; i < r->outcomes->len; i++) {
		const SimOutcome *oc = g_ptr_array_index(r->outcomes, i);
		if (strstr(oc->text, needle->str))
			return TRUE;
	}
	return FALSE;
}

static void explore_short_read(gboolean no_eager)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(SimScenario) scn = sim_scn_parse("t.scn", short_read, strlen(short_read),
						   &error);
	CU_ASSERT_PTR_NOT_NULL_FATAL(scn);
	SimExploreOptions o = { .no_eager = no_eager };
	SimExploreResult r;
	CU_ASSERT_TRUE_FATAL(sim_explore_run(scn, &o, &r, &error));
	CU_ASSERT_TRUE(r.complete);
	CU_ASSERT_TRUE(reader_got(&r, 65536)); /* the send whole before the reader runs */
	CU_ASSERT_TRUE(reader_got(&r, 36544)); /* the reader between the first two pieces */
	CU_ASSERT_FALSE(reader_got(&r, 73088)); /* more than one recv could take: 65536 */
	sim_explore_result_clear(&r);
}

static void test_sock_split_exploration_reaches_the_short_read(void)
{
	explore_short_read(FALSE);
	explore_short_read(TRUE);
}

static void test_sock_split_plain_run_sends_whole(void)
{
	TestRun r = test_run_text(short_read, TRUE, NULL);
	CU_ASSERT_PTR_NOT_NULL(strstr(r.out, "sendto s.r size=100000 -> ok, 100000 bytes"));
	CU_ASSERT_PTR_NOT_NULL(strstr(r.out, "recv s.w size=65536 -> ok, 65536 bytes"));
	test_run_free(&r);
}

/* Stepped by hand: the send stops after its first piece, still in its call, with the reader
 * woken; a free run's model asks what the reader's recv would take now, to follow the
 * kernel's answer (36544: the reader first; 65536: the send goes on first). */
static void test_sock_split_stepped_send_stays_in_its_call(void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(SimScenario) scn = sim_scn_parse("t.scn", short_read, strlen(short_read),
						   &error);
	CU_ASSERT_PTR_NOT_NULL_FATAL(scn);
	SimWorldOptions wo = { 0 };
	g_autoptr(SimWorld) w = sim_world_new(scn, &wo);
	guint ids[4];
	const guint plan[] = { 0, 0, 0, 1, 1, 0 }; /* parent to its send, reader into recv */
	for (guint i = 0; i < G_N_ELEMENTS(plan); i++) {
		CU_ASSERT_TRUE_FATAL(sim_world_steppable(w, ids) > 0);
		CU_ASSERT_TRUE_FATAL(sim_world_step(w, plan[i]));
	}
	const SimTask *parent = &w->tasks[0], *reader = &w->tasks[1];
	CU_ASSERT_EQUAL(parent->yielded, SIM_YIELD_UNSHOWN);
	CU_ASSERT_TRUE(parent->resuming);
	CU_ASSERT_EQUAL(parent->io_done, 36544);
	CU_ASSERT_EQUAL(parent->state, SIM_STATE_READY);
	CU_ASSERT_TRUE(reader->resuming);
	CU_ASSERT_EQUAL(reader->state, SIM_STATE_READY);
	const SimStmt *recv = sim_world_next_stmt(w, 1);
	CU_ASSERT_TRUE(sim_call_sock_reads_now(reader, recv, 36544));
	CU_ASSERT_FALSE(sim_call_sock_reads_now(reader, recv, 65536));
	const SimStmt *send = sim_world_next_stmt(w, 0);
	CU_ASSERT_EQUAL(send->kind, SIM_STMT_SENDTO);
	CU_ASSERT_FALSE(sim_call_sock_reads_now(parent, send, 36544));
	CU_ASSERT_FALSE(sim_world_result(w, send)->returned);
	CU_ASSERT_TRUE_FATAL(sim_world_step(w, 0)); /* the send goes on to its end */
	CU_ASSERT_EQUAL(parent->yielded, 0);
	CU_ASSERT_EQUAL(parent->io_done, 0);
	CU_ASSERT_TRUE(sim_call_sock_reads_now(reader, recv, 65536));
	CU_ASSERT_EQUAL(sim_world_result(w, send)->ret, 100000);
	CU_ASSERT_EQUAL(sim_world_result(w, send)->runs, 1); /* one call, in two steps */
	CU_ASSERT_FALSE(sim_world_result(w, send)->blocked); /* it never slept */
}

CU_TestInfo sock_split_tests[] = {
	{ "split: a stepped send stays in its call", test_sock_split_stepped_send_stays_in_its_call },
	{ "split stops at each piece a reader wakes at",
	  test_sock_split_stops_at_each_piece_a_reader_wakes_at },
	{ "split not asked sends whole", test_sock_split_not_asked_sends_whole },
	{ "split: exploration reaches the short read",
	  test_sock_split_exploration_reaches_the_short_read },
	{ "split: a plain run sends whole", test_sock_split_plain_run_sends_whole },
	CU_TEST_INFO_NULL,
};
