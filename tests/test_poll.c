/* test_poll.c — poll and select (sim/calls/call_poll.c): each object's readiness as its poll
 * method answers, the wake-ups and timeouts of a waiting poll, what interrupts it, the
 * errors of each call, its footprint, and the parse errors. */
#include <stdio.h>
#include <string.h>

#include "tests.h"

#include "msgsim/calls/call.h"
#include "msgsim/calls/footprint.h"

static TestRun run_passing(const char *text, guint n_expects)
{
	TestRun r = test_run_text(text, TRUE, NULL);
	if (r.verdict.failed != 0 || r.verdict.passed != n_expects)
		fprintf(stderr, "\n%s\n", r.out);
	CU_ASSERT_EQUAL(r.verdict.failed, 0);
	CU_ASSERT_EQUAL(r.verdict.passed, n_expects);
	return r;
}

static gboolean traced(const TestRun *r, const char *what)
{
	if (strstr(r->out, what))
		return TRUE;
	fprintf(stderr, "\nnot in the trace: %s\n%s\n", what, r->out);
	return FALSE;
}

static void check_parse_error(const char *text, const char *want)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(SimScenario) scn = sim_scn_parse("x.scn", text, strlen(text), &error);
	CU_ASSERT_PTR_NULL(scn);
	CU_ASSERT_PTR_NOT_NULL_FATAL(error);
	if (strcmp(error->message, want) != 0)
		fprintf(stderr, "\nwant %s\ngot  %s\n", want, error->message);
	CU_ASSERT_STRING_EQUAL(error->message, want);
}

static void test_poll_pipe_ends_show_data_room_hup_and_err(void)
{
	/* pipe_poll: POLLIN|POLLRDNORM with a slot in use, POLLHUP without writers, POLLOUT
	 * while a slot is free, POLLERR without readers; POLLHUP and POLLERR come unasked, an
	 * unasked POLLIN does not; a closed descriptor is POLLNVAL and counts, -1 is skipped. */
	TestRun r =
		run_passing("process p {\n"
			    "  pipe -> a\n"
			    "  @e poll [a.r POLLIN|POLLOUT, a.w POLLIN|POLLOUT] timeout=0 -> e\n"
			    "  write a.w \"x\"\n"
			    "  @d poll [a.r POLLRDNORM, a.w 0] timeout=0 -> d\n"
			    "  close a.w\n"
			    "  open \"/tmp/none\" rdonly -> none\n"
			    "  @h poll [a.r POLLOUT, 9 0, none POLLIN] timeout=0 -> h\n"
			    "  close a.r\n"
			    "  pipe -> b\n"
			    "  close b.r\n"
			    "  @x poll [b.w POLLIN] timeout=0 -> x\n"
			    "}\n"
			    "expect @e ret=1\nexpect @d ret=1\nexpect @h ret=2\nexpect @x ret=1\n"
			    "expect p received [\"0, POLLOUT\", \"POLLRDNORM, 0\", "
			    "\"POLLHUP, POLLNVAL, 0\", \"POLLERR\"]\n",
			    5);
	CU_ASSERT(traced(&r, "poll [a.r POLLOUT, 9 0, none POLLIN] timeout=0 -> ok, 2 ready: "
			     "[POLLHUP, POLLNVAL, 0]"));
	test_run_free(&r);
}

static void test_poll_a_full_pipe_is_not_writable_whatever_its_free_bytes(void)
{
	/* pipe_full counts slots, not bytes: 16 one-byte packets fill the 16 slots, and the
	 * write end shows no POLLOUT though nearly 64 KiB are free. */
	TestRun r = run_passing("process p {\n"
				"  pipe nonblock direct -> a\n"
				"  repeat 16 { write a.w \"x\" }\n"
				"  @full poll [a.w POLLOUT] timeout=0\n"
				"  read a.r size=1\n"
				"  @room poll [a.w POLLOUT] timeout=0\n"
				"}\n"
				"expect @full ret=0\nexpect @room ret=1\n",
				2);
	test_run_free(&r);
}

static void test_poll_a_fifo_reader_sees_no_hup_before_a_writer_came(void)
{
	/* fifo_open keeps w_counter in an O_RDONLY|O_NONBLOCK reader's file when no writer is
	 * there: POLLHUP only once the counter moved. A blocking open has nothing to keep. */
	TestRun r = run_passing("process p {\n"
				"  mkfifo \"/tmp/f\"\n"
				"  open \"/tmp/f\" rdonly nonblock -> r\n"
				"  @before poll [r POLLIN] timeout=0\n"
				"  open \"/tmp/f\" wronly -> w\n"
				"  close w\n"
				"  @after poll [r POLLIN] timeout=0 -> a\n"
				"  open \"/tmp/f\" rdonly nonblock -> r2\n"
				"  @late poll [r2 POLLIN, r POLLIN] timeout=0 -> l\n"
				"  unlink \"/tmp/f\"\n"
				"}\n"
				"expect @before ret=0\nexpect @after ret=1\nexpect @late ret=1\n"
				"expect p received [\"POLLHUP\", \"0, POLLHUP\"]\n",
				4);
	test_run_free(&r);
}

static void test_poll_queues_and_sockets_answer_as_their_poll_methods(void)
{
	/* mqueue_poll_file ignores the access mode; unix_poll: POLLRDHUP|POLLIN after the
	 * peer's SHUT_WR, POLLHUP once both directions are shut, an unconnected stream socket
	 * POLLHUP; unix_dgram_poll: no POLLHUP for a datagram end whose peer is gone. */
	TestRun r = run_passing(
		"process p {\n"
		"  mq_open \"/q\" create wronly perm=0600 maxmsg=1 msgsize=8 -> q\n"
		"  @qe poll [q POLLIN|POLLOUT] timeout=0 -> a\n"
		"  mq_send q \"m\"\n"
		"  @qf poll [q POLLIN|POLLOUT|POLLWRNORM] timeout=0 -> b\n"
		"  mq_unlink \"/q\"\n"
		"  socketpair stream -> s\n"
		"  shutdown s.w wr\n"
		"  @rdhup poll [s.r POLLRDHUP, s.w POLLIN] timeout=0 -> c\n"
		"  shutdown s.w rd\n"
		"  @hup poll [s.w 0] timeout=0 -> d\n"
		"  socketpair dgram -> g\n"
		"  close g.r\n"
		"  @dg poll [g.w POLLIN] timeout=0 -> e\n"
		"  socket seqpacket -> u\n"
		"  @un poll [u 0] timeout=0 -> f\n"
		"}\n"
		"expect @qe ret=1\nexpect @qf ret=1\nexpect @rdhup ret=1\nexpect @hup ret=1\n"
		"expect @dg ret=0\nexpect @un ret=1\n"
		"expect p received [\"POLLOUT\", \"POLLIN\", \"POLLRDHUP, 0\", \"POLLHUP\", \"0\", "
		"\"POLLHUP\"]\n",
		7);
	test_run_free(&r);
}

static void test_poll_waits_in_simulated_time_and_wakes_on_a_write(void)
{
	/* The writer's write at 3ms wakes the poll, which returns at once; the second poll
	 * sleeps its 4ms and returns 0 at 3ms + 4ms in the model's own time. */
	TestRun r = run_passing(
		"process p {\n"
		"  pipe -> a\n"
		"  fork w { sleep 3ms write a.w \"x\" }\n"
		"  @w poll [a.r POLLIN] timeout=10000\n"
		"  read a.r\n"
		"  @t poll [a.r POLLIN] timeout=4\n"
		"  wait w\n"
		"}\n"
		"expect @w blocked\nexpect @w ret=1\nexpect @t blocked\nexpect @t ret=0\n",
		4);
	CU_ASSERT(traced(&r, "p           woken by w"));
	CU_ASSERT(traced(&r, "p           poll [a.r POLLIN] timeout=4 returns ok, 0 ready: [0]"));
	CU_ASSERT(traced(&r, "7.007ms  p           woken: its deadline passed"));
	test_run_free(&r);
}

static void test_poll_sleeps_again_when_what_woke_it_is_gone(void)
{
	/* The write wakes the blocked read and the poll; the reader runs first and takes the
	 * byte, so the poll finds nothing and sleeps again, as do_poll loops, until the
	 * second write. */
	TestRun r = run_passing("process r { pipe -> a\n"
				"  fork p { @p poll [a.r POLLIN] -> got }\n"
				"  fork w { sleep 1ms write a.w \"1\" sleep 1ms write a.w \"2\" }\n"
				"  sleep 500us\n"
				"  read a.r size=1\n"
				"  wait p\n  wait w\n"
				"}\n"
				"expect @p ret=1\n"
				"expect p received [\"POLLIN\"]\n",
				2);
	const char *first = strstr(r.out, "poll [a.r POLLIN] timeout=-1 -> blocks");
	CU_ASSERT_PTR_NOT_NULL_FATAL(first);
	CU_ASSERT_PTR_NOT_NULL(strstr(first + 1, "poll [a.r POLLIN] timeout=-1 -> blocks"));
	test_run_free(&r);
}

static void test_poll_is_interrupted_by_a_handled_signal(void)
{
	/* poll and select are never restarted after a handler: EINTR even with SA_RESTART. */
	TestRun r = run_passing("process p { on SIGUSR1 handler\n"
				"  pipe -> a\n"
				"  @i poll [a.r POLLIN]\n"
				"  @s select read=[a.r]\n"
				"}\n"
				"process k { sleep 1ms kill p SIGUSR1 sleep 1ms kill p SIGUSR1 }\n"
				"expect @i errno=EINTR\nexpect @s errno=EINTR\n",
				2);
	test_run_free(&r);
}

static void test_poll_with_nothing_to_wake_it_is_a_deadlock(void)
{
	/* The report names who could make a watched descriptor ready: the holders of the
	 * pipe's write end (the child's inherited copy), of the socket's peer end, and a
	 * process with an mq_send to the queue. */
	TestRun r = test_run_text("posix queue \"/dq\" maxmsg=2 msgsize=8\n"
				  "process p { pipe -> a\n"
				  "  mq_open \"/dq\" rdonly -> q\n"
				  "  socketpair stream -> s\n"
				  "  fork c { close a.r  pipe -> z  read z.r }\n"
				  "  close a.w\n"
				  "  @stuck poll [a.r POLLIN, q POLLIN, s.r POLLIN] }\n"
				  "process r { mq_open \"/dq\" wronly -> w\n"
				  "  pipe -> z  read z.r  mq_send w \"late\" }\n"
				  "expect deadlock\n",
				  TRUE, NULL);
	CU_ASSERT_EQUAL(r.verdict.failed, 0);
	CU_ASSERT(traced(&r, "-- deadlock: p stuck in poll (line 7): nothing ready; waits for: "
			     "c (fd 5) r p (fd 8) c (fd 8)"));
	test_run_free(&r);
}

static void test_poll_and_select_errors_come_in_the_kernel_order(void)
{
	/* poll: nfds past RLIMIT_NOFILE is EINVAL; select: a negative timeout is EINVAL
	 * before a closed descriptor's EBADF; a set with a closed descriptor is EBADF. */
	TestRun r = run_passing(
		"process p rlimit_nofile=5 {\n"
		"  pipe -> a\n"
		"  @four poll [a.r 0, a.r 0, a.r 0, a.r 0, a.r 0] timeout=0\n"
		"  @five poll [a.r 0, a.r 0, a.r 0, a.r 0, a.r 0, a.r 0] timeout=0\n"
		"  @neg select read=[9] timeout=-5\n"
		"  @bad select write=[a.w] except=[9] timeout=0\n"
		"  @ok select write=[a.w, a.w] read=[a.w] timeout=0 -> s\n"
		"}\n"
		"expect @four ret=0\nexpect @five errno=EINVAL\nexpect @neg errno=EINVAL\n"
		"expect @bad errno=EBADF\nexpect @ok ret=1\n"
		"expect p received [\"0, write, 0\"]\n",
		6);
	CU_ASSERT(traced(&r, "select read=[a.w] write=[a.w, a.w] timeout=0 -> ok, 1 ready"));
	test_run_free(&r);
}

/* The hook: the footprint of the poll when it starts. */
static void take_poll(void *data, SimWorld *w, const SimTask *t, const SimStmt *st,
		      SimCallPhase phase)
{
	if (phase == SIM_CALL_STARTED && st && st->kind == SIM_STMT_POLL)
		sim_call_footprint(w, t, st, data);
}

static void test_poll_footprint_reads_every_watched_object_and_changes_none(void)
{
	SimFootprint fp = { 0 };
	SimWorldOptions opt = { .hook = { take_poll, &fp } };
	TestRun r = test_run_text("process p { pipe -> a\n"
				  "  mq_open \"/q\" create rdwr maxmsg=1 msgsize=8 -> q\n"
				  "  poll [a.r POLLIN, q POLLOUT, 9 POLLIN, a.w 0] timeout=0 }\n",
				  FALSE, &opt);
	CU_ASSERT_FALSE(fp.everything);
	CU_ASSERT_EQUAL(fp.written, 0);
	guint pipes = 0, queues = 0;
	for (guint i = 0; i < fp.n; i++) {
		pipes += fp.refs[i].kind == SIM_OBJ_PIPE && fp.refs[i].id != SIM_OBJ_ALL;
		queues += fp.refs[i].kind == SIM_OBJ_MQ && fp.refs[i].id != SIM_OBJ_ALL;
	}
	CU_ASSERT_EQUAL(pipes, 1); /* both ends are one pipe */
	CU_ASSERT_EQUAL(queues, 1);
	CU_ASSERT_TRUE(sim_footprint_touches(&fp, SIM_OBJ_FDT, 0, FALSE));
	test_run_free(&r);
}

static void test_poll_parse_errors_say_what_was_expected(void)
{
	check_parse_error("process p { pipe -> a poll a.r POLLIN }",
			  "x.scn:1:28: error: expected '[' to open the descriptors of 'poll', as "
			  "in poll [p.r POLLIN, q POLLOUT], found 'a'");
	check_parse_error("process p { pipe -> a poll [a.r] }",
			  "x.scn:1:32: error: expected poll events after the descriptor: POLLIN, "
			  "POLLOUT, POLLPRI, POLLRDHUP ... joined by '|', or a number, found ']'");
	check_parse_error(
		"process p { pipe -> a poll [a.r POLLIN a.w POLLOUT] }",
		"x.scn:1:40: error: expected ',' or ']' in the list of 'poll', found 'a'");
	check_parse_error("process p { pipe -> a poll [a.r 65536] }",
			  "x.scn:1:33: error: bad events '65536': expected a whole number from 0 "
			  "to 65535");
	check_parse_error("process p { pipe -> a poll [a.r POLLIN] timeout=1s }",
			  "x.scn:1:49: error: bad timeout '1s': expected a whole number of "
			  "milliseconds, as poll(2) and select(2) take them (-1: for ever)");
	check_parse_error("process p { pipe -> a select read=[a.r] read=[a.w] }",
			  "x.scn:1:41: error: repeated option 'read': already given at 1:30");
	check_parse_error("process p { repeat 2 as i { poll [${i} POLLIN] } }",
			  "x.scn:1:35: error: expected a descriptor in the list of 'poll': a "
			  "number, a variable or a pipe end (an expression is not taken here), "
			  "found '$'");
}

static void test_poll_a_deadline_only_with_a_timeout_above_zero(void)
{
	/* What paces a cross-check and keeps a scenario from free runs: a poll or select that
	 * may time out, not one that returns at once or waits for ever. */
	g_autoptr(GError) error = NULL;
	const char *text = "process p { pipe -> a\n"
			   "  poll [a.r POLLIN] timeout=0  poll [a.r POLLIN] timeout=5\n"
			   "  poll [a.r POLLIN]  select read=[a.r]  select read=[a.r] timeout=3\n"
			   "  select timeout=0 }\n";
	g_autoptr(SimScenario) scn = sim_scn_parse("x.scn", text, strlen(text), &error);
	CU_ASSERT_PTR_NOT_NULL_FATAL(scn);
	const SimBlock *b = &scn->bodies[0]->block;
	CU_ASSERT_EQUAL_FATAL(b->n_stmts, 7);
	static const gboolean want[] = { FALSE, FALSE, TRUE, FALSE, FALSE, TRUE, FALSE };
	for (guint i = 0; i < 7; i++)
		CU_ASSERT_EQUAL(sim_call_has_deadline(&b->stmts[i]), want[i]);
}

extern CU_TestInfo poll_tests[];
CU_TestInfo poll_tests[] = {
	{ "pipe ends show data, room, hup and err",
	  test_poll_pipe_ends_show_data_room_hup_and_err },
	{ "a full pipe is not writable whatever its free bytes",
	  test_poll_a_full_pipe_is_not_writable_whatever_its_free_bytes },
	{ "a FIFO reader sees no hup before a writer came",
	  test_poll_a_fifo_reader_sees_no_hup_before_a_writer_came },
	{ "queues and sockets answer as their poll methods",
	  test_poll_queues_and_sockets_answer_as_their_poll_methods },
	{ "waits in simulated time and wakes on a write",
	  test_poll_waits_in_simulated_time_and_wakes_on_a_write },
	{ "sleeps again when what woke it is gone",
	  test_poll_sleeps_again_when_what_woke_it_is_gone },
	{ "is interrupted by a handled signal", test_poll_is_interrupted_by_a_handled_signal },
	{ "with nothing to wake it is a deadlock",
	  test_poll_with_nothing_to_wake_it_is_a_deadlock },
	{ "poll and select errors come in the kernel order",
	  test_poll_and_select_errors_come_in_the_kernel_order },
	{ "footprint reads every watched object and changes none",
	  test_poll_footprint_reads_every_watched_object_and_changes_none },
	{ "parse errors say what was expected", test_poll_parse_errors_say_what_was_expected },
	{ "a deadline only with a timeout above zero",
	  test_poll_a_deadline_only_with_a_timeout_above_zero },
	CU_TEST_INFO_NULL,
};
