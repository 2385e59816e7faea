/* test_trace.c — the trace's two formats (trace.h): the text table and JSON Lines.
 *
 * Every event kind is built by hand and emitted to one sink of each format, and the line
 * it gives is compared byte for byte: the layout of the text table (time right-aligned in
 * the largest exact unit, the task, the event), the report lines that start with "--",
 * and the fields and their order in JSON Lines. Calls and returns need a statement, so
 * they come from small scenarios run through the world. A report-only sink shows what is
 * left out when no sink wants the event table: nothing of it is written. JSON Lines is
 * checked to be JSON by a small strict reader here (no JSON library is a dependency): a
 * payload that is not UTF-8, control bytes, and the trace of every scenario of the tree.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib/gstdio.h>

#include "msgsim/output/trace.h"
#include "tests.h"

/* What one event gives on one fresh sink (g_free it). */
static char *emit_one(SimTraceFormat fmt, gboolean report_only, const SimTraceEvent *ev)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *mem = open_memstream(&buf, &len);
	SimTrace *tr = sim_trace_new();
	sim_trace_add_sink(tr, fmt, mem, FALSE, report_only);
	sim_trace_emit(tr, ev);
	sim_trace_free(tr); /* flushes a sink it does not own */
	fclose(mem);
	char *out = g_strdup(buf);
	free(buf);
	return out;
}

/* Checks the text and the JSON line of ev; reports the event kind and both lines on a
 * mismatch, so a failure says which row of the table broke. */
static void check_event(const SimTraceEvent *ev, const char *text, const char *json, unsigned line)
{
	g_autofree char *t = emit_one(SIM_TRACE_TEXT, FALSE, ev);
	g_autofree char *j = emit_one(SIM_TRACE_JSONL2, FALSE, ev);
	if (strcmp(t, text) != 0)
		fprintf(stderr, "\ntext of kind %d:\n got: [%s]\nwant: [%s]\n", ev->kind, t, text);
	if (strcmp(j, json) != 0)
		fprintf(stderr, "\njson of kind %d:\n got: [%s]\nwant: [%s]\n", ev->kind, j, json);
	CU_assertImplementation(strcmp(t, text) == 0 ? CU_TRUE : CU_FALSE, line,
				"the text line of the event", __FILE__, "", CU_FALSE);
	CU_assertImplementation(strcmp(j, json) == 0 ? CU_TRUE : CU_FALSE, line,
				"the JSON line of the event", __FILE__, "", CU_FALSE);
}
#define CHECK_EVENT(ev, text, json) check_event((ev), (text), (json), __LINE__)

/* ---- The event table ---- */

static void test_trace_header_names_file_policy_and_seed_then_the_column_titles(void)
{
	SimTraceEvent ev = { .kind = SIM_TR_HEADER, .op = "rr", .text = "x.scn", .value = 7 };
	CHECK_EVENT(&ev,
		    "# msgsim run x.scn (scheduler rr, seed 7)\n"
		    "      time  task        event\n",
		    "{\"v\":2,\"t\":0,\"ev\":\"header\",\"scheduler\":\"rr\",\"file\":\"x.scn\",\"seed\":7}\n");
}

static void test_trace_text_time_is_right_aligned_in_the_largest_exact_unit(void)
{
	SimTraceEvent ev = { .kind = SIM_TR_START, .time = 1500 * SIM_US, .task = "worker" };
	CHECK_EVENT(&ev, "     1.5ms  worker      starts\n",
		    "{\"v\":2,\"t\":1500000,\"ev\":\"start\",\"task\":\"worker\"}\n");
	char buf[32];
	CU_ASSERT_STRING_EQUAL(sim_trace_time(0, buf, sizeof(buf)), "0");
	CU_ASSERT_STRING_EQUAL(sim_trace_time(999, buf, sizeof(buf)), "999ns");
	CU_ASSERT_STRING_EQUAL(sim_trace_time(12 * SIM_US, buf, sizeof(buf)), "12us");
	CU_ASSERT_STRING_EQUAL(sim_trace_time(1250 * SIM_US, buf, sizeof(buf)), "1.25ms");
	CU_ASSERT_STRING_EQUAL(sim_trace_time(3 * SIM_MS, buf, sizeof(buf)), "3ms");
	CU_ASSERT_STRING_EQUAL(sim_trace_time(SIM_S + 1, buf, sizeof(buf)), "1.000000001s");
	CU_ASSERT_STRING_EQUAL(sim_trace_time(1001, buf, sizeof(buf)), "1.001us");
	CU_ASSERT_STRING_EQUAL(sim_trace_time(1000, buf, sizeof(buf)), "1us");
	CU_ASSERT_STRING_EQUAL(sim_trace_time(999999, buf, sizeof(buf)), "999.999us");
	CU_ASSERT_STRING_EQUAL(sim_trace_time(1234567, buf, sizeof(buf)), "1.234567ms");
	CU_ASSERT_STRING_EQUAL(sim_trace_time(999 * SIM_MS, buf, sizeof(buf)), "999ms");
	CU_ASSERT_STRING_EQUAL(sim_trace_time(12345678901, buf, sizeof(buf)), "12.345678901s");
	CU_ASSERT_STRING_EQUAL(sim_trace_time(G_MAXINT64, buf, sizeof(buf)),
			       "9223372036.854775807s");
	CU_ASSERT_STRING_EQUAL(sim_trace_time(-5, buf, sizeof(buf)), "-5ns");
	CU_ASSERT_STRING_EQUAL(sim_trace_time(1500, buf, 4), "1.5"); /* cut to fit */
}

/* Numbers are written by hand, eight and four digits at a time: as printf writes them,
 * at every length and at the extremes. */
static void test_trace_numbers_are_written_as_printf_writes_them(void)
{
	g_autoptr(GString) got = g_string_new(NULL);
	g_autoptr(GString) want = g_string_new(NULL);
	GRand *r = g_rand_new_with_seed(16);
	for (guint i = 0; i < 20000; i++) {
		guint64 v = i < 64 ? (guint64)1 << i : (guint64)g_rand_int(r) << (i % 33);
		for (guint64 p = 1, k = 0; k < 20; k++, p *= 10) {
			guint64 u[] = { v, p, p - 1, p + 1, G_MAXUINT64 - i };
			for (guint j = 0; j < G_N_ELEMENTS(u); j++) {
				sim_trace_uint(got, u[j]);
				sim_trace_int(got, -(gint64)(u[j] >> 1));
				g_string_append_printf(want, "%" G_GUINT64_FORMAT "%" G_GINT64_FORMAT,
						       u[j], -(gint64)(u[j] >> 1));
			}
			if (i > 64)
				break;
		}
	}
	sim_trace_int(got, G_MININT64);
	g_string_append_printf(want, "%" G_GINT64_FORMAT, G_MININT64);
	g_rand_free(r);
	CU_ASSERT_STRING_EQUAL(got->str, want->str);
}

/* The time column of a line is written in place, apart from sim_trace_time: both say the
 * same for every count of trailing zeros, every unit and the extremes. */
static void test_trace_time_column_agrees_with_sim_trace_time(void)
{
	static const SimTime base[] = { 1, 7, 10, 999, 1000, 1001, 123456, 1000000, 1200300,
					999999999, SIM_S, 1234567890, 100000000000, G_MAXINT64,
					-5,	   1000000001, 1000001000, 1010, 999999,
					120000,	   999999999999, 1000000000000 };
	guint bad = 0;
	for (guint i = 0; i < G_N_ELEMENTS(base); i++) {
		for (SimTime k = 1; k <= 1000000000 && k <= G_MAXINT64 / ABS(base[i]); k *= 10) {
			SimTraceEvent ev = { .kind = SIM_TR_START, .time = base[i] * k, .task = "p" };
			char t[32];
			g_autofree char *want = g_strdup_printf(
				"%10s  p           starts\n", sim_trace_time(ev.time, t, sizeof(t)));
			g_autofree char *got = emit_one(SIM_TRACE_TEXT, FALSE, &ev);
			if (strcmp(got, want) != 0 && bad++ < 5)
				fprintf(stderr, "\ntime %" G_GINT64_FORMAT ": [%s] want [%s]\n",
					ev.time, got, want);
		}
	}
	CU_ASSERT_EQUAL(bad, 0);
}

static void test_trace_dispatch_shows_the_switch_its_cost_and_the_ready_queue(void)
{
	const char *ready[] = { "b", "c" };
	SimTraceEvent ev = { .kind = SIM_TR_DISPATCH,
			     .time = 2 * SIM_MS,
			     .task = "a",
			     .other = "z",
			     .value = 5 * SIM_US,
			     .names = ready,
			     .n_names = 2 };
	CHECK_EVENT(&ev, "       2ms  a           runs (switch from z, 5us); ready: b c\n",
		    "{\"v\":2,\"t\":2000000,\"ev\":\"dispatch\",\"task\":\"a\",\"other\":\"z\","
		    "\"switch_cost\":5000,\"ready\":[\"b\",\"c\"]}\n");
	SimTraceEvent first = { .kind = SIM_TR_DISPATCH, .task = "a", .names = ready };
	CHECK_EVENT(
		&first, "         0  a           runs; ready: -\n",
		"{\"v\":2,\"t\":0,\"ev\":\"dispatch\",\"task\":\"a\",\"switch_cost\":0,\"ready\":[]}\n");
}

static void test_trace_preempt_and_exit_lines(void)
{
	SimTraceEvent pre = {
		.kind = SIM_TR_PREEMPT, .time = SIM_MS, .task = "a", .reason = "quantum used up"
	};
	CHECK_EVENT(&pre, "       1ms  a           preempted: quantum used up\n",
		    "{\"v\":2,\"t\":1000000,\"ev\":\"preempt\",\"task\":\"a\","
		    "\"reason\":\"quantum used up\"}\n");
	SimTraceEvent ex = { .kind = SIM_TR_EXIT, .time = SIM_MS, .task = "a", .value = 3 };
	CHECK_EVENT(&ex, "       1ms  a           exits with status 3\n",
		    "{\"v\":2,\"t\":1000000,\"ev\":\"exit\",\"task\":\"a\",\"status\":3}\n");
}

static void test_trace_wake_says_who_woke_the_task_and_through_what(void)
{
	SimTraceEvent by = { .kind = SIM_TR_WAKE, .task = "r", .other = "s", .object = "m" };
	CHECK_EVENT(&by, "         0  r           woken by s via m\n",
		    "{\"v\":2,\"t\":0,\"ev\":\"wake\",\"task\":\"r\",\"other\":\"s\",\"object\":\"m\"}\n");
	SimTraceEvent why = { .kind = SIM_TR_WAKE, .task = "r", .other = "s", .reason = "EIDRM" };
	CHECK_EVENT(
		&why, "         0  r           woken by s: EIDRM\n",
		"{\"v\":2,\"t\":0,\"ev\":\"wake\",\"task\":\"r\",\"other\":\"s\",\"reason\":\"EIDRM\"}\n");
	SimTraceEvent timer = { .kind = SIM_TR_WAKE, .task = "r" };
	CHECK_EVENT(&timer, "         0  r           woken by its timer\n",
		    "{\"v\":2,\"t\":0,\"ev\":\"wake\",\"task\":\"r\"}\n");
	SimTraceEvent late = { .kind = SIM_TR_WAKE, .task = "r", .reason = "ETIMEDOUT" };
	CHECK_EVENT(&late, "         0  r           woken: its deadline passed\n",
		    "{\"v\":2,\"t\":0,\"ev\":\"wake\",\"task\":\"r\",\"reason\":\"ETIMEDOUT\"}\n");
}

static void test_trace_block_and_deliver_are_jsonl_only(void)
{
	/* The text table shows them on the call that blocked and the receive that took the
	 * message; JSON Lines has a line for each. */
	SimTraceEvent blk = {
		.kind = SIM_TR_BLOCK, .task = "r", .object = "m", .reason = "no message"
	};
	CHECK_EVENT(&blk, "",
		    "{\"v\":2,\"t\":0,\"ev\":\"block\",\"task\":\"r\",\"object\":\"m\","
		    "\"reason\":\"no message\"}\n");
	SimMsg m = { .text = "hi", .len = 2, .type = 1, .prio = 4, .seq = 9, .from = 0 };
	SimTraceEvent dl = { .kind = SIM_TR_DELIVER,
			     .task = "s",
			     .other = "r",
			     .object = "m",
			     .msg = &m,
			     .msg_from = "s" };
	CHECK_EVENT(&dl, "",
		    "{\"v\":2,\"t\":0,\"ev\":\"deliver\",\"task\":\"s\",\"other\":\"r\",\"object\":\"m\","
		    "\"text\":\"hi\",\"type\":1,\"prio\":4,\"seq\":9}\n");
	/* "from" only when the line does not name the sender already (as task or other). */
	dl.msg_from = "x";
	g_autofree char *j = emit_one(SIM_TRACE_JSONL2, FALSE, &dl);
	CU_ASSERT_PTR_NOT_NULL(strstr(j, ",\"seq\":9,\"from\":\"x\"}\n"));
}

static void test_trace_print_quotes_its_text_in_both_formats(void)
{
	SimTraceEvent ev = {
		.kind = SIM_TR_PRINT, .task = "p", .text = "say \"hi\"\\\n", .line = 4
	};
	CHECK_EVENT(
		&ev, "         0  p           print \"say \\\"hi\\\"\\\\\\n\"\n",
		"{\"v\":2,\"t\":0,\"ev\":\"print\",\"task\":\"p\",\"output\":\"say \\\"hi\\\"\\\\\\u000a\","
		"\"line\":4}\n");
	g_autoptr(GString) s = g_string_new(NULL);
	sim_trace_quote(s, "a\"b\\c\nd", 7);
	CU_ASSERT_STRING_EQUAL(s->str, "\"a\\\"b\\\\c\\nd\"");
}

static void test_trace_destroy_signal_and_race_lines(void)
{
	SimTraceEvent d = { .kind = SIM_TR_DESTROY, .task = "boss", .object = "m", .value = 2 };
	CHECK_EVENT(
		&d,
		"         0  boss        m destroyed with its owner; 2 waiter(s) fail with EIDRM\n",
		"{\"v\":2,\"t\":0,\"ev\":\"destroy\",\"task\":\"boss\",\"object\":\"m\","
		"\"waiters_failed\":2}\n");
	/* A port says how it died and what its waiters get. */
	SimTraceEvent port = { .kind = SIM_TR_DESTROY,
			       .task = "srv",
			       .object = "port srv",
			       .reason = "with its server",
			       .err = ECONNABORTED,
			       .value = 1 };
	CHECK_EVENT(&port,
		    "         0  srv         port srv destroyed with its server; 1 waiter(s) fail "
		    "with ECONNABORTED\n",
		    "{\"v\":2,\"t\":0,\"ev\":\"destroy\",\"task\":\"srv\",\"object\":\"port "
		    "srv\",\"waiters_failed\":1,\"waiters_get\":\"ECONNABORTED\",\"reason\":\"with "
		    "its server\"}\n");
	SimTraceEvent sig = { .kind = SIM_TR_SIGNAL,
			      .task = "v",
			      .other = "k",
			      .text = "SIGUSR1",
			      .reason = "ignored",
			      .value = 10 };
	CHECK_EVENT(
		&sig, "         0  v           SIGUSR1 from k: ignored\n",
		"{\"v\":2,\"t\":0,\"ev\":\"signal\",\"task\":\"v\",\"other\":\"k\",\"signal\":\"SIGUSR1\","
		"\"signo\":10,\"outcome\":\"ignored\"}\n");
	const char *racers[] = { "s1", "s2" };
	SimTraceEvent race = {
		.kind = SIM_TR_RACE, .task = "r", .object = "q", .names = racers, .n_names = 2
	};
	CHECK_EVENT(&race,
		    "         0  r           wake-up scan on q woke s1 s2: they race, and the one "
		    "the scheduler runs first sends\n",
		    "{\"v\":2,\"t\":0,\"ev\":\"race\",\"task\":\"r\",\"object\":\"q\","
		    "\"racers\":[\"s1\",\"s2\"]}\n");
}

static void test_trace_ipcs_puts_the_table_under_its_line(void)
{
	SimTraceEvent ev = {
		.kind = SIM_TR_IPCS, .task = "p", .text = "\nrow 1\nrow 2\n\n", .line = 2
	};
	CHECK_EVENT(&ev, "         0  p           ipcs\n\nrow 1\nrow 2\n\n",
		    "{\"v\":2,\"t\":0,\"ev\":\"ipcs\",\"task\":\"p\",\"table\":\"\\u000arow 1\\u000arow "
		    "2\\u000a\\u000a\",\"line\":2}\n");
}

/* ---- The report lines ---- */

static void test_trace_deadlock_line_lists_who_could_release_the_task(void)
{
	const char *who[] = { "a (fd 4)", "b (fd 4)" };
	SimTraceEvent ev = { .kind = SIM_TR_DEADLOCK,
			     .task = "b",
			     .op = "read",
			     .object = "pipe#1",
			     .reason = "pipe empty",
			     .line = 3,
			     .names = who,
			     .n_names = 2 };
	CHECK_EVENT(
		&ev,
		"-- deadlock: b stuck in read pipe#1 (line 3): pipe empty; waits for: a (fd 4) "
		"b (fd 4)\n",
		"{\"v\":2,\"t\":0,\"ev\":\"deadlock\",\"task\":\"b\",\"object\":\"pipe#1\",\"stuck_in\":\"read\","
		"\"reason\":\"pipe empty\",\"line\":3,\"waits_for\":[\"a (fd 4)\",\"b (fd "
		"4)\"]}\n");
	SimTraceEvent none = { .kind = SIM_TR_DEADLOCK,
			       .task = "c",
			       .op = "receive",
			       .object = "m",
			       .reason = "no message",
			       .line = 1 };
	CHECK_EVENT(
		&none,
		"-- deadlock: c stuck in receive m (line 1): no message; waits for: nobody (no "
		"live process can release it)\n",
		"{\"v\":2,\"t\":0,\"ev\":\"deadlock\",\"task\":\"c\",\"object\":\"m\",\"stuck_in\":\"receive\","
		"\"reason\":\"no message\",\"line\":1}\n");
}

static void test_trace_limit_line_names_the_guard_rail_and_its_value(void)
{
	SimTraceEvent steps = {
		.kind = SIM_TR_LIMIT,
		.time = 3 * SIM_US,
		.reason = "max-steps",
		.value = 1000,
		.text = "--max-steps 1,000 reached at 3us; raise it with --max-steps N"
	};
	CHECK_EVENT(&steps,
		    "-- stopped: --max-steps 1,000 reached at 3us; raise it with --max-steps N\n",
		    "{\"v\":2,\"t\":3000,\"ev\":\"limit\",\"option\":\"max-steps\",\"limit\":1000,"
		    "\"message\":\"--max-steps 1,000 reached at 3us; raise it with --max-steps N\"}\n");
	SimTraceEvent time = { .kind = SIM_TR_LIMIT,
			       .time = 6 * SIM_MS,
			       .reason = "max-time",
			       .value = 5 * SIM_MS,
			       .text = "--max-time 5ms reached at 6ms" };
	CHECK_EVENT(&time, "-- stopped: --max-time 5ms reached at 6ms\n",
		    "{\"v\":2,\"t\":6000000,\"ev\":\"limit\",\"option\":\"max-time\",\"limit\":5000000,"
		    "\"message\":\"--max-time 5ms reached at 6ms\"}\n");
}

static void test_trace_expect_line_shows_what_was_seen_only_when_it_fails(void)
{
	SimTraceEvent pass = { .kind = SIM_TR_EXPECT,
			       .pass = TRUE,
			       .line = 4,
			       .text = "no deadlock",
			       .detail = "no deadlock" };
	CHECK_EVENT(&pass, "-- expect (line 4) PASS: no deadlock\n",
		    "{\"v\":2,\"t\":0,\"ev\":\"expect\",\"expected\":\"no deadlock\",\"seen\":\"no deadlock\","
		    "\"line\":4,\"pass\":true}\n");
	SimTraceEvent fail = {
		.kind = SIM_TR_EXPECT, .line = 5, .text = "time <= 1ms", .detail = "time 2ms"
	};
	CHECK_EVENT(&fail, "-- expect (line 5) FAIL: time <= 1ms; seen: time 2ms\n",
		    "{\"v\":2,\"t\":0,\"ev\":\"expect\",\"expected\":\"time <= 1ms\",\"seen\":\"time 2ms\","
		    "\"line\":5,\"pass\":false}\n");
}

static void test_trace_summaries_and_the_end_line(void)
{
	SimTraceEvent task = { .kind = SIM_TR_TASK_SUMMARY,
			       .task = "r",
			       .reason = "exited",
			       .counts = { 2 * SIM_US, SIM_MS, 0, 1 } };
	CHECK_EVENT(&task, "-- task r          exited   cpu 2us, blocked 1ms, sent 0, received 1\n",
		    "{\"v\":2,\"t\":0,\"ev\":\"task_summary\",\"task\":\"r\",\"state\":\"exited\","
		    "\"cpu_time\":2000,\"blocked_time\":1000000,\"sent\":0,\"received\":1}\n");
	SimTraceEvent mbox = { .kind = SIM_TR_OBJ_SUMMARY,
			       .object = "m",
			       .op = "mailbox",
			       .counts = { 3, 2, 1, 2, 7, 1 } };
	CHECK_EVENT(&mbox,
		    "-- mailbox m          sent 3, received 2, queued 1, max queued 2, bytes 7, "
		    "destroyed\n",
		    "{\"v\":2,\"t\":0,\"ev\":\"object_summary\",\"object\":\"m\",\"object_kind\":\"mailbox\","
		    "\"sent\":3,\"received\":2,\"queued\":1,\"max_queued\":2,\"bytes_delivered\":7,"
		    "\"destroyed\":true}\n");
	/* A queue (max queued -1) counts bytes queued, and says removed or unlinked. */
	SimTraceEvent q = { .kind = SIM_TR_OBJ_SUMMARY,
			    .object = "id 0",
			    .op = "msgq",
			    .counts = { 4, 1, 3, -1, 300, 1 } };
	CHECK_EVENT(&q, "-- msgq    id 0       sent 4, received 1, queued 3 (300 bytes), removed\n",
		    "{\"v\":2,\"t\":0,\"ev\":\"object_summary\",\"object\":\"id 0\",\"object_kind\":\"msgq\","
		    "\"sent\":4,\"received\":1,\"queued\":3,\"queued_bytes\":300,"
		    "\"removed\":true}\n");
	SimTraceEvent mq = { .kind = SIM_TR_OBJ_SUMMARY,
			     .object = "/q",
			     .op = "mqueue",
			     .counts = { 1, 0, 1, -1, 5, 1 } };
	CHECK_EVENT(&mq, "-- mqueue  /q         sent 1, received 0, queued 1 (5 bytes), unlinked\n",
		    "{\"v\":2,\"t\":0,\"ev\":\"object_summary\",\"object\":\"/q\",\"object_kind\":\"mqueue\","
		    "\"sent\":1,\"received\":0,\"queued\":1,\"queued_bytes\":5,"
		    "\"unlinked\":true}\n");
	SimTraceEvent end = { .kind = SIM_TR_END,
			      .time = SIM_MS,
			      .text = "expectations failed",
			      .value = 1,
			      .counts = { 2, 1, 40, 3 } };
	CHECK_EVENT(&end,
		    "-- result: expectations failed at 1ms; 2 expectation(s) passed, 1 failed; 40 "
		    "steps, 3 context switches; exit status 1\n",
		    "{\"v\":2,\"t\":1000000,\"ev\":\"end\",\"verdict\":\"expectations failed\",\"status\":1,"
		    "\"passed\":2,\"failed\":1,\"steps\":40,\"switches\":3}\n");
}

/* ---- Calls and returns, from runs ---- */

static void test_trace_text_send_and_receive_show_the_hand_off_and_the_sender(void)
{
	g_autofree char *out = test_run_output("mailbox m\n"
					       "process r { receive m -> x  print \"got $x\" }\n"
					       "process s start=1ms { send m \"hi\" }\n",
					       SIM_TRACE_TEXT, FALSE, NULL, NULL);
	CU_ASSERT_STRING_EQUAL(
		out, "         0  r           starts\n"
		     "         0  r           runs; ready: -\n"
		     "       1us  r           receive m -> blocks: no message\n"
		     "       1ms  s           starts\n"
		     "       1ms  s           runs (switch from r); ready: -\n"
		     "   1.001ms  s           send m \"hi\" -> ok, handed to r\n"
		     "   1.001ms  r           woken by s via m\n"
		     "   1.001ms  s           exits with status 0\n"
		     "   1.001ms  r           runs (switch from s); ready: -\n"
		     "   1.001ms  r           receive m returns ok \"hi\" from s (#0)\n"
		     "   1.002ms  r           print \"got hi\"\n"
		     "   1.002ms  r           exits with status 0\n"
		     "-- task r          exited   cpu 2us, blocked 1ms, sent 0, received 1\n"
		     "-- task s          exited   cpu 1us, blocked 0, sent 1, received 0\n"
		     "-- mailbox m          sent 1, received 1, queued 0, max queued 0, "
		     "bytes 2\n"
		     "-- result: all processes exited at 1.002ms; 0 expectation(s) "
		     "passed, 0 failed; 6 steps, 2 context switches; exit status 0\n");
}

/* The JSON line of the first event of kind `ev` (and op, when given) in out. */
static char *jsonl_line(const char *out, const char *ev, const char *op)
{
	g_autofree char *want_ev = g_strdup_printf("\"ev\":\"%s\"", ev);
	g_autofree char *want_op = op ? g_strdup_printf("\"call\":\"%s\"", op) : NULL;
	g_auto(GStrv) lines = test_split_lines(out);
	for (guint i = 0; lines[i]; i++)
		if (strstr(lines[i], want_ev) && (!want_op || strstr(lines[i], want_op)))
			return g_strdup(lines[i]);
	return g_strdup("(none)");
}

static void test_trace_jsonl_send_line_has_sender_type_and_text(void)
{
	g_autofree char *out = test_run_output("mailbox m\n"
					       "process r { receive m -> x }\n"
					       "process s start=1ms { send m \"hi\" prio=2 }\n",
					       SIM_TRACE_JSONL2, FALSE, NULL, NULL);
	g_autofree char *send = jsonl_line(out, "call", "send");
	CU_ASSERT_STRING_EQUAL(send,
			       "{\"v\":2,\"t\":1001000,\"ev\":\"call\",\"task\":\"s\",\"other\":\"r\","
			       "\"object\":\"m\",\"call\":\"send\",\"result\":\"ok\","
			       "\"text\":\"hi\",\"type\":1,\"prio\":2,\"seq\":0,"
			       "\"line\":3}");
	g_autofree char *ret = jsonl_line(out, "return", "receive");
	CU_ASSERT_STRING_EQUAL(ret,
			       "{\"v\":2,\"t\":1001000,\"ev\":\"return\",\"task\":\"r\",\"other\":\"s\","
			       "\"object\":\"m\",\"call\":\"receive\",\"result\":\"ok\","
			       "\"text\":\"hi\",\"type\":1,\"prio\":2,\"seq\":0,"
			       "\"line\":2}");
	g_autofree char *blocked = jsonl_line(out, "call", "receive");
	CU_ASSERT_STRING_EQUAL(blocked,
			       "{\"v\":2,\"t\":1000,\"ev\":\"call\",\"task\":\"r\",\"object\":\"m\","
			       "\"call\":\"receive\",\"blocked\":true,"
			       "\"reason\":\"no message\",\"line\":2}");
}

static void test_trace_compute_and_sleep_carry_their_duration_in_jsonl(void)
{
	const char *text = "process p { compute 2ms  sleep 3ms  receive q nowait }\n"
			   "process q { exit 0 }\n";
	g_autofree char *j = test_run_output(text, SIM_TRACE_JSONL2, FALSE, NULL, NULL);
	g_autofree char *compute = jsonl_line(j, "call", "compute");
	g_autofree char *sleep = jsonl_line(j, "call", "sleep");
	g_autofree char *recv = jsonl_line(j, "call", "receive");
	CU_ASSERT_PTR_NOT_NULL(strstr(compute, "\"call\":\"compute\",\"duration\":2000000"));
	CU_ASSERT_PTR_NOT_NULL(strstr(sleep, "\"call\":\"sleep\",\"duration\":3000000"));
	CU_ASSERT_PTR_NOT_NULL(strstr(recv, "\"call\":\"receive\",\"nowait\":true"));
	g_autofree char *t = test_run_output(text, SIM_TRACE_TEXT, FALSE, NULL, NULL);
	CU_ASSERT_PTR_NOT_NULL(strstr(t, "  p           compute 2ms\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(t, "  p           sleep 3ms\n"));
}

static void test_trace_jsonl_sysv_call_carries_the_queue_state_and_return_value(void)
{
	g_autofree char *out = test_run_output("process p { msgget key=0x10 create perm=0600 -> q  "
					       "msgsnd q type=3 \"abc\" size=8 }\n",
					       SIM_TRACE_JSONL2, FALSE, NULL, NULL);
	g_autofree char *get = jsonl_line(out, "call", "msgget");
	g_autofree char *snd = jsonl_line(out, "call", "msgsnd");
	CU_ASSERT_PTR_NOT_NULL(strstr(get, "\"qid\":0,\"qnum\":0,\"cbytes\":0,\"ret\":0,"
					   "\"result\":\"ok\""));
	CU_ASSERT_PTR_NOT_NULL(strstr(snd, "\"qid\":0,\"qnum\":1,\"cbytes\":8,\"ret\":0,"
					   "\"result\":\"ok\",\"text\":\"abc\",\"type\":3"));
}

/* ---- Sinks ---- */

static void test_trace_report_only_sink_writes_no_event_table(void)
{
	const char *text = "mailbox m\n"
			   "process r { receive m }\n"
			   "process s { send m \"x\" }\n"
			   "expect r received [\"x\"]\n";
	g_autofree char *t = test_run_output(text, SIM_TRACE_TEXT, TRUE, NULL, NULL);
	CU_ASSERT_STRING_EQUAL(
		t, "-- expect (line 4) PASS: r received [\"x\"]\n"
		   "-- task r          exited   cpu 1us, blocked 1us, sent 0, received 1\n"
		   "-- task s          exited   cpu 1us, blocked 0, sent 1, received 0\n"
		   "-- mailbox m          sent 1, received 1, queued 0, max queued 0, "
		   "bytes 1\n"
		   "-- result: all processes exited at 2us; 1 expectation(s) passed, 0 "
		   "failed; 5 steps, 2 context switches; exit status 0\n");
	g_autofree char *j = test_run_output(text, SIM_TRACE_JSONL2, TRUE, NULL, NULL);
	g_auto(GStrv) lines = test_split_lines(j);
	guint n = 0;
	for (guint i = 0; lines[i] && lines[i][0]; i++, n++)
		CU_ASSERT(strstr(lines[i], "\"ev\":\"expect\"") ||
			  strstr(lines[i], "\"ev\":\"task_summary\"") ||
			  strstr(lines[i], "\"ev\":\"object_summary\"") ||
			  strstr(lines[i], "\"ev\":\"end\""));
	CU_ASSERT_EQUAL(n, 5);
}

static void test_trace_event_nobody_wants_is_not_written(void)
{
	/* An event-table event on a report-only sink is left out before it is formatted; one
	 * with no message would not survive formatting as a delivery. */
	SimTraceEvent dl = { .kind = SIM_TR_DELIVER, .task = "s", .other = "r", .object = "m" };
	g_autofree char *t = emit_one(SIM_TRACE_TEXT, TRUE, &dl);
	g_autofree char *j = emit_one(SIM_TRACE_JSONL2, TRUE, &dl);
	CU_ASSERT_STRING_EQUAL(t, "");
	CU_ASSERT_STRING_EQUAL(j, "");
	/* No trace at all: emitting is a no-op. */
	sim_trace_emit(NULL, &dl);
	/* Two sinks each get their own format of the same event. */
	char *b1 = NULL, *b2 = NULL;
	size_t l1 = 0, l2 = 0;
	FILE *m1 = open_memstream(&b1, &l1), *m2 = open_memstream(&b2, &l2);
	SimTrace *tr = sim_trace_new();
	sim_trace_add_sink(tr, SIM_TRACE_TEXT, m1, FALSE, FALSE);
	sim_trace_add_sink(tr, SIM_TRACE_JSONL2, m2, FALSE, TRUE);
	SimTraceEvent st = { .kind = SIM_TR_START, .task = "a" };
	SimTraceEvent ex = {
		.kind = SIM_TR_EXPECT, .pass = TRUE, .line = 1, .text = "x", .detail = "x"
	};
	sim_trace_emit(tr, &st);
	sim_trace_emit(tr, &ex);
	sim_trace_free(tr);
	fclose(m1);
	fclose(m2);
	CU_ASSERT_STRING_EQUAL(b1, "         0  a           starts\n"
				   "-- expect (line 1) PASS: x\n");
	CU_ASSERT_STRING_EQUAL(b2, "{\"v\":2,\"t\":0,\"ev\":\"expect\",\"expected\":\"x\",\"seen\":\"x\","
				   "\"line\":1,\"pass\":true}\n");
	free(b1);
	free(b2);
}

/* ---- JSON Lines is JSON ---- */

/* A strict reader of one JSON value (RFC 8259) at *p, which it moves past the value; FALSE
 * on anything JSON does not allow. UTF-8 validity is checked on the whole line first. */
static gboolean json_value(const char **p, int depth);

static void json_space(const char **p)
{
	while (**p == ' ' || **p == '\t' || **p == '\n' || **p == '\r')
		(*p)++;
}

static gboolean json_string(const char **p)
{
	if (**p != '"')
		return FALSE;
	for (const char *c = *p + 1;; c++) {
		unsigned char b = (unsigned char)*c;
		if (b == '"') {
			*p = c + 1;
			return TRUE;
		}
		if (b < 0x20) /* a control byte, or the end of the line, inside a string */
			return FALSE;
		if (b != '\\')
			continue;
		c++;
		if (*c == 'u') {
			for (int i = 1; i <= 4; i++)
				if (!g_ascii_isxdigit(c[i]))
					return FALSE;
			c += 4;
		} else if (!strchr("\"\\/bfnrt", *c) || !*c) {
			return FALSE;
		}
	}
}

static gboolean json_number(const char **p)
{
	const char *c = *p;
	if (*c == '-')
		c++;
	if (*c == '0')
		c++;
	else if (*c >= '1' && *c <= '9')
		while (g_ascii_isdigit(*c))
			c++;
	else
		return FALSE;
	if (*c == '.') {
		if (!g_ascii_isdigit(*++c))
			return FALSE;
		while (g_ascii_isdigit(*c))
			c++;
	}
	if (*c == 'e' || *c == 'E') {
		c++;
		if (*c == '+' || *c == '-')
			c++;
		if (!g_ascii_isdigit(*c))
			return FALSE;
		while (g_ascii_isdigit(*c))
			c++;
	}
	*p = c;
	return TRUE;
}

/* Members of an object (close '}') or elements of an array (close ']'). */
static gboolean json_members(const char **p, int depth, char close)
{
	(*p)++;
	json_space(p);
	if (**p == close) {
		(*p)++;
		return TRUE;
	}
	for (;;) {
		json_space(p);
		if (close == '}') {
			if (!json_string(p))
				return FALSE;
			json_space(p);
			if (*(*p)++ != ':')
				return FALSE;
		}
		if (!json_value(p, depth + 1))
			return FALSE;
		json_space(p);
		char c = *(*p)++;
		if (c == close)
			return TRUE;
		if (c != ',')
			return FALSE;
	}
}

static gboolean json_value(const char **p, int depth)
{
	if (depth > 32)
		return FALSE;
	json_space(p);
	switch (**p) {
	case '{':
		return json_members(p, depth, '}');
	case '[':
		return json_members(p, depth, ']');
	case '"':
		return json_string(p);
	case 't':
	case 'f':
	case 'n':
		for (const char *const *w = (const char *const[]){ "true", "false", "null", NULL };
		     *w; w++)
			if (strncmp(*p, *w, strlen(*w)) == 0) {
				*p += strlen(*w);
				return TRUE;
			}
		return FALSE;
	default:
		return json_number(p);
	}
}

/* TRUE when line (without its '\n') is one JSON object in valid UTF-8 whose first member
 * is the schema version, "v":2 or "v":3. */
static gboolean jsonl_line_ok(const char *line)
{
	const char *p = line;
	return g_utf8_validate(line, -1, NULL) &&
	       (strncmp(line, "{\"v\":2,", 7) == 0 || strncmp(line, "{\"v\":3,", 7) == 0) &&
	       *p == '{' && json_value(&p, 0) && (json_space(&p), *p == '\0');
}

/* Every line of a JSON Lines trace; says which one is not JSON. */
static gboolean jsonl_all_ok(const char *trace, const char *what)
{
	g_auto(GStrv) lines = test_split_lines(trace);
	gboolean ok = TRUE;
	for (guint i = 0; lines[i]; i++) {
		if (!lines[i][0] && !lines[i + 1])
			break; /* after the last '\n' */
		if (!jsonl_line_ok(lines[i])) {
			fprintf(stderr, "\n%s: line %u is not a JSON Lines line: %s\n", what,
				i + 1, lines[i]);
			ok = FALSE;
		}
	}
	return ok;
}

static void test_trace_json_checker_rejects_what_json_does_not_allow(void)
{
	CU_ASSERT_TRUE(jsonl_line_ok("{\"v\":2,\"a\":[1,-2.5e3,\"x\\u00e4\",true,null,{}]}"));
	CU_ASSERT_FALSE(jsonl_line_ok("{\"a\":1}"));	      /* no version first */
	CU_ASSERT_FALSE(jsonl_line_ok("{\"v\":2,\"a\":\"\xe4\"}")); /* not UTF-8 */
	CU_ASSERT_FALSE(jsonl_line_ok("{\"v\":2,\"a\":\"\\x41\"}")); /* no such escape */
	CU_ASSERT_FALSE(jsonl_line_ok("{\"v\":2,\"a\":\"a\x01\"}"));  /* raw control byte */
	CU_ASSERT_FALSE(jsonl_line_ok("{\"v\":2,\"a\":01}"));
	CU_ASSERT_FALSE(jsonl_line_ok("{\"v\":2,\"a\":1,}"));
	CU_ASSERT_FALSE(jsonl_line_ok("{\"v\":2,\"a\":1} x"));
}

/* A message cut inside a UTF-8 character: msgsnd's size=1 sends the first byte of "你". */
static void test_trace_jsonl_payload_not_utf8_is_given_in_hex(void)
{
	g_autofree char *out = test_run_output("sysv queue q key=private\n"
					       "process p { msgsnd q \"你好\" size=1 }\n",
					       SIM_TRACE_JSONL2, FALSE, NULL, NULL);
	CU_ASSERT_TRUE(jsonl_all_ok(out, "size=1"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "\"call\":\"msgsnd\""));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, ",\"text_hex\":\"e4\",\"type\":1"));
	CU_ASSERT_PTR_NULL(strstr(out, "\"text\":"));
	/* The whole text, valid UTF-8, is a string as it is. */
	g_autofree char *whole = test_run_output("sysv queue q key=private\n"
						 "process p { msgsnd q \"你好\" }\n",
						 SIM_TRACE_JSONL2, FALSE, NULL, NULL);
	CU_ASSERT_PTR_NOT_NULL(strstr(whole, ",\"text\":\"你好\","));
	CU_ASSERT_PTR_NULL(strstr(whole, "_hex"));
}

/* Control bytes in any string are \u00XX; '"' and '\\' are escaped; the line stays JSON. */
static void test_trace_jsonl_control_bytes_are_escaped(void)
{
	SimMsg m = { .text = (char *)"a\001b\"\\\x7f\n", .len = 7, .type = 1, .seq = 2 };
	SimTraceEvent ev = {
		.kind = SIM_TR_DELIVER, .task = "s\tx", .other = "r", .object = "m",
		.msg = &m, .msg_from = "s\tx",
	};
	g_autofree char *j = emit_one(SIM_TRACE_JSONL2, FALSE, &ev);
	CU_ASSERT_STRING_EQUAL(j, "{\"v\":2,\"t\":0,\"ev\":\"deliver\",\"task\":\"s\\u0009x\","
				  "\"other\":\"r\",\"object\":\"m\","
				  "\"text\":\"a\\u0001b\\\"\\\\\x7f\\u000a\",\"type\":1,"
				  "\"prio\":0,\"seq\":2}\n");
	CU_ASSERT_TRUE(jsonl_all_ok(j, "control bytes"));
}

/* A call whose result is "ok" in line has a "ret" that is not -1: no call modelled here
 * returns -1 on success. Says which line breaks it. */
static gboolean ok_calls_return(const char *trace, const char *what)
{
	g_auto(GStrv) lines = test_split_lines(trace);
	gboolean ok = TRUE;
	for (guint i = 0; lines[i]; i++) {
		if (strstr(lines[i], "\"result\":\"ok\"") && strstr(lines[i], "\"ret\":-1,")) {
			fprintf(stderr, "\n%s: line %u succeeded with ret -1: %s\n", what, i + 1,
				lines[i]);
			ok = FALSE;
		}
	}
	return ok;
}

/* A POSIX queue call that failed returned -1; mq_getattr, mq_setattr, mq_notify, mq_close,
 * mq_unlink and mq_send return 0 when they succeed (not the flags getattr shows). */
static gboolean mq_calls_return(const char *trace, const char *what)
{
	static const char *const zero[] = { "mq_getattr", "mq_setattr", "mq_notify",
					    "mq_close",	  "mq_unlink",	"mq_send" };
	g_auto(GStrv) lines = test_split_lines(trace);
	gboolean ok = TRUE;
	for (guint i = 0; lines[i]; i++) {
		const char *l = lines[i];
		if (!strstr(l, "\"call\":\"mq_") || !strstr(l, "\"result\":"))
			continue;
		gboolean good = strstr(l, "\"result\":\"ok\"") != NULL;
		gboolean want_zero = FALSE;
		for (guint k = 0; k < G_N_ELEMENTS(zero); k++) {
			g_autofree char *call = g_strdup_printf("\"call\":\"%s\"", zero[k]);
			want_zero |= strstr(l, call) != NULL;
		}
		if (good ? want_zero && !strstr(l, "\"ret\":0,") : !strstr(l, "\"ret\":-1,")) {
			fprintf(stderr, "\n%s: line %u returned the wrong value: %s\n", what, i + 1, l);
			ok = FALSE;
		}
	}
	return ok;
}

/* mq_send returns 0 when it succeeds, queued or handed to a waiting receiver. */
static void test_trace_jsonl_mq_send_that_succeeds_returns_zero(void)
{
	g_autofree char *out = test_run_output(
		"process p { mq_open \"/q\" create rdwr -> fd  mq_send fd \"hi\" prio=1 }\n",
		SIM_TRACE_JSONL2, FALSE, NULL, NULL);
	g_autofree char *snd = jsonl_line(out, "call", "mq_send");
	CU_ASSERT_PTR_NOT_NULL(strstr(snd, "\"ret\":0,\"result\":\"ok\""));
	CU_ASSERT_TRUE(ok_calls_return(out, "mq_send"));
}

static gboolean failed_calls_return_minus_one(const char *trace, const char *what);

/* Every scenario of the tree, traced in JSON Lines: every line is valid JSON and starts
 * with the schema version, every call that succeeded returned what it returns on
 * success, and every call that failed returned -1; in version 2, and in version 3 (the
 * default). Run from the tree's root, as make check does. */
static void jsonl_of_one_scenario_is_json(const char *path, const char *text, gpointer data)
{
	(void)data;
	SimWorldOptions opt = { .max_steps = 200000 };
	g_autofree char *out = test_run_output(text, SIM_TRACE_JSONL2, FALSE, &opt, NULL);
	CU_ASSERT_TRUE(jsonl_all_ok(out, path));
	CU_ASSERT_TRUE(ok_calls_return(out, path));
	CU_ASSERT_TRUE(mq_calls_return(out, path));
	CU_ASSERT_TRUE(failed_calls_return_minus_one(out, path));
	g_autofree char *v3 = test_run_output(text, SIM_TRACE_JSONL, FALSE, &opt, NULL);
	CU_ASSERT_TRUE(jsonl_all_ok(v3, path));
	CU_ASSERT_TRUE(failed_calls_return_minus_one(v3, path));
}

static void test_trace_jsonl_of_every_scenario_is_json(void)
{
	CU_ASSERT(test_each_scenario(jsonl_of_one_scenario_is_json, NULL) >= 50);
}

/* ---- A failed call's return value ---- */

/* Every call that failed and shows "ret" returned -1, with its errno as a number in
 * "errno", the one "result" names; a call that did not fail has no "errno". */
static gboolean failed_calls_return_minus_one(const char *trace, const char *what)
{
	gboolean ok = TRUE;
	/* Line by line with strchr: g_strsplit's strstr measures the whole rest of the trace
	 * at each line under AddressSanitizer, which made a long trace's check quadratic. */
	guint i = 0;
	for (const char *p = trace, *nl; *p; p = nl ? nl + 1 : p + strlen(p), i++) {
		nl = strchr(p, '\n');
		g_autofree char *l = g_strndup(p, nl ? (gsize)(nl - p) : strlen(p));
		const char *res = strstr(l, ",\"result\":\"");
		if (!res || !strstr(l, "\"ret\":"))
			continue;
		gboolean failed = strncmp(res, ",\"result\":\"ok\"", 14) != 0;
		int err = 0;
		for (int e = 1; e < 200 && failed && !err; e++) {
			g_autofree char *name = g_strdup_printf(",\"result\":\"%s\"", sim_errno_name(e));
			if (strncmp(res, name, strlen(name)) == 0)
				err = e;
		}
		g_autofree char *want = g_strdup_printf("\"ret\":-1,\"errno\":%d,", err);
		if (failed ? !strstr(l, want) : strstr(l, "\"errno\":") != NULL) {
			fprintf(stderr, "\n%s: line %u: %s\n", what, i + 1, l);
			ok = FALSE;
		}
	}
	return ok;
}

/* A failed fcntl, msgrcv and close of three families, and a write that succeeds. */
static void test_trace_jsonl_failed_call_returns_minus_one_and_its_errno(void)
{
	g_autofree char *out =
		test_run_output("sysv queue q key=private\n"
				"process p {\n"
				"  fcntl 99 getfd\n"
				"  msgrcv q size=10 nowait\n"
				"  close 99\n"
				"  pipe -> f\n"
				"  write f.w \"abc\"\n"
				"}\n",
				SIM_TRACE_JSONL2, FALSE, NULL, NULL);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "\"call\":\"fcntl\",\"ret\":-1,\"errno\":9,"
					   "\"result\":\"EBADF\""));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "\"ret\":-1,\"errno\":42,\"result\":\"ENOMSG\""));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "\"call\":\"close\",\"ret\":-1,\"errno\":9,"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "\"writers\":1,\"ret\":3,\"result\":\"ok\""));
	CU_ASSERT_TRUE(failed_calls_return_minus_one(out, "failed calls"));
}

/* ---- A file sink's writer ---- */

/* Enough lines for many batches: a file sink hands them to its writer thread, a memory
 * stream's sink writes them itself; both must hold the same bytes in the same order,
 * the report's last lines (written by flush, after the writer's batches) included. */
static void test_trace_file_sink_writer_keeps_every_batch_in_order(void)
{
	g_autofree char *path = NULL;
	int fd = g_file_open_tmp("msgsim-trace-XXXXXX", &path, NULL);
	CU_ASSERT_FATAL(fd >= 0);
	FILE *file = fdopen(fd, "w");
	CU_ASSERT_PTR_NOT_NULL_FATAL(file);
	char *buf = NULL;
	size_t len = 0;
	FILE *mem = open_memstream(&buf, &len);
	SimTrace *tr = sim_trace_new();
	sim_trace_add_sink(tr, SIM_TRACE_JSONL2, file, FALSE, FALSE);
	sim_trace_add_sink(tr, SIM_TRACE_JSONL2, mem, FALSE, FALSE);
	char text[64];
	for (guint i = 0; i < 200000; i++) {
		g_snprintf(text, sizeof(text), "line %u", i);
		SimTraceEvent ev = { .kind = SIM_TR_PRINT, .time = i, .task = "p", .text = text };
		sim_trace_emit(tr, &ev);
	}
	SimTraceEvent end = { .kind = SIM_TR_END, .time = 200000, .text = "done" };
	sim_trace_emit(tr, &end);
	CU_ASSERT_EQUAL(sim_trace_flush(tr), 0);
	sim_trace_emit(tr, &end); /* after a flush the writer takes batches again */
	sim_trace_free(tr);
	fclose(file);
	fclose(mem);
	g_autofree char *got = NULL;
	gsize got_len = 0;
	CU_ASSERT_FATAL(g_file_get_contents(path, &got, &got_len, NULL));
	CU_ASSERT(len > 8u * 1024u * 1024u); /* many batches */
	CU_ASSERT_EQUAL(got_len, len);
	CU_ASSERT(got_len == len && memcmp(got, buf, len) == 0);
	g_unlink(path);
	free(buf);
}

/* Times a microsecond apart, as a run of calls gives them, across every carry of their
 * groups of digits (999us to 1ms, 999.999ms to 1s), and the same time twice: the column
 * built from the last time's digits must be the one built anew. */
static void test_trace_time_column_of_times_a_microsecond_apart(void)
{
	static const SimTime from[] = { 0, 997 * SIM_US, 999 * SIM_MS - 2 * SIM_US,
					SIM_S - 3 * SIM_US, 59 * SIM_S - SIM_US };
	guint bad = 0;
	for (guint i = 0; i < G_N_ELEMENTS(from); i++) {
		char *buf = NULL;
		size_t len = 0;
		FILE *mem = open_memstream(&buf, &len);
		SimTrace *tr = sim_trace_new();
		sim_trace_add_sink(tr, SIM_TRACE_TEXT, mem, FALSE, FALSE);
		GString *want = g_string_new(NULL);
		for (SimTime k = 0; k < 2100; k++) {
			SimTime t = from[i] + (k / 2) * SIM_US + (k % 700 == 699 ? 7 : 0);
			SimTraceEvent ev = { .kind = SIM_TR_START, .time = t, .task = "p" };
			sim_trace_emit(tr, &ev);
			char tb[32];
			g_string_append_printf(want, "%10s  p           starts\n",
					       sim_trace_time(t, tb, sizeof(tb)));
		}
		sim_trace_free(tr);
		fclose(mem);
		if (strcmp(buf, want->str) != 0 && bad++ < 3)
			fprintf(stderr, "\ntimes from %" G_GINT64_FORMAT " differ\n", from[i]);
		g_string_free(want, TRUE);
		free(buf);
	}
	CU_ASSERT_EQUAL(bad, 0);
}

/* ---- The line memo ---- */

/* The same statements again and again, the lines differing in their time, their message's
 * sequence number, its priority, the receiver a send was handed to, an interpolated text:
 * a sink that writes a line from what it remembers must write what it would have
 * formatted (these lines are those of the formatter before it remembered any). */
static const char memo_scn[] = "mailbox q capacity=2\n"
			       "mailbox r capacity=0\n"
			       "process a { repeat 2 { send q \"hi \\\"x\\\"\" } send q \"hi \\\"x\\\"\" prio=3 }\n"
			       "process b { repeat 2 as i { send q \"n$i\" } }\n"
			       "process c { repeat 5 { receive q nowait } repeat 2 { receive q } }\n"
			       "process x { receive r }\n"
			       "process y { receive r }\n"
			       "process z { repeat 2 { send r \"m\" } }\n";

/* Whether out has want as one whole line. */
static gboolean has_line(const char *out, const char *want)
{
	gsize n = strlen(want);
	for (const char *p = out; (p = strstr(p, want)); p++)
		if ((p == out || p[-1] == '\n') && p[n] == '\n')
			return TRUE;
	fprintf(stderr, "\nmissing line: [%s]\n", want);
	return FALSE;
}

static void test_trace_remembered_lines_are_the_lines_formatted(void)
{
	static const char *const text[] = {
		"       1us  a           send q \"hi \\\"x\\\"\" -> ok, queued",
		"       2us  a           send q \"hi \\\"x\\\"\" -> ok, queued",
		"       5us  c           receive q nowait -> ok \"hi \\\"x\\\"\" from a (#0)",
		"       6us  c           receive q nowait -> ok \"hi \\\"x\\\"\" from a (#1)",
		"       7us  c           receive q nowait -> ok \"hi \\\"x\\\"\" from a (#2, prio 3)",
		"       8us  c           receive q nowait -> ok \"n0\" from b (#3)",
		"      13us  z           send r \"m\" -> ok, handed to x",
		"      14us  z           send r \"m\" -> ok, handed to y",
		"      15us  b           send q \"n1\" -> ok, handed to c",
		"       5us  a           woken by c via q",
		"       6us  b           woken by c via q",
		"      13us  x           woken by z via r",
		"      14us  y           woken by z via r",
		"      15us  c           runs (switch from y); ready: -",
	};
	static const char *const json[] = {
		"{\"v\":2,\"t\":1000,\"ev\":\"call\",\"task\":\"a\",\"object\":\"q\",\"call\":\"send\","
		"\"result\":\"ok\",\"text\":\"hi \\\"x\\\"\",\"type\":1,\"prio\":0,\"seq\":0,\"line\":3}",
		"{\"v\":2,\"t\":2000,\"ev\":\"call\",\"task\":\"a\",\"object\":\"q\",\"call\":\"send\","
		"\"result\":\"ok\",\"text\":\"hi \\\"x\\\"\",\"type\":1,\"prio\":0,\"seq\":1,\"line\":3}",
		"{\"v\":2,\"t\":6000,\"ev\":\"call\",\"task\":\"c\",\"other\":\"a\",\"object\":\"q\","
		"\"call\":\"receive\",\"nowait\":true,\"result\":\"ok\",\"text\":\"hi \\\"x\\\"\","
		"\"type\":1,\"prio\":0,\"seq\":1,\"line\":5}",
		"{\"v\":2,\"t\":7000,\"ev\":\"call\",\"task\":\"c\",\"other\":\"a\",\"object\":\"q\","
		"\"call\":\"receive\",\"nowait\":true,\"result\":\"ok\",\"text\":\"hi \\\"x\\\"\","
		"\"type\":1,\"prio\":3,\"seq\":2,\"line\":5}",
		"{\"v\":2,\"t\":13000,\"ev\":\"deliver\",\"task\":\"z\",\"other\":\"x\",\"object\":\"r\","
		"\"text\":\"m\",\"type\":1,\"prio\":0,\"seq\":4}",
		"{\"v\":2,\"t\":14000,\"ev\":\"deliver\",\"task\":\"z\",\"other\":\"y\",\"object\":\"r\","
		"\"text\":\"m\",\"type\":1,\"prio\":0,\"seq\":5}",
		"{\"v\":2,\"t\":14000,\"ev\":\"call\",\"task\":\"z\",\"other\":\"y\",\"object\":\"r\","
		"\"call\":\"send\",\"result\":\"ok\",\"text\":\"m\",\"type\":1,\"prio\":0,\"seq\":5,"
		"\"line\":8}",
		"{\"v\":2,\"t\":15000,\"ev\":\"call\",\"task\":\"b\",\"other\":\"c\",\"object\":\"q\","
		"\"call\":\"send\",\"result\":\"ok\",\"text\":\"n1\",\"type\":1,\"prio\":0,\"seq\":6,"
		"\"line\":4}",
	};
	g_autofree char *t = test_run_output(memo_scn, SIM_TRACE_TEXT, FALSE, NULL, NULL);
	g_autofree char *j = test_run_output(memo_scn, SIM_TRACE_JSONL2, FALSE, NULL, NULL);
	for (gsize i = 0; i < G_N_ELEMENTS(text); i++)
		CU_ASSERT_TRUE(has_line(t, text[i]));
	for (gsize i = 0; i < G_N_ELEMENTS(json); i++)
		CU_ASSERT_TRUE(has_line(j, json[i]));
}

CU_TestInfo trace_tests[] = {
	{ "header names file, policy and seed, then the column titles",
	  test_trace_header_names_file_policy_and_seed_then_the_column_titles },
	{ "text time is right-aligned in the largest exact unit",
	  test_trace_text_time_is_right_aligned_in_the_largest_exact_unit },
	{ "numbers are written as printf writes them",
	  test_trace_numbers_are_written_as_printf_writes_them },
	{ "time column agrees with sim_trace_time",
	  test_trace_time_column_agrees_with_sim_trace_time },
	{ "dispatch shows the switch, its cost and the ready queue",
	  test_trace_dispatch_shows_the_switch_its_cost_and_the_ready_queue },
	{ "preempt and exit lines", test_trace_preempt_and_exit_lines },
	{ "wake says who woke the task and through what",
	  test_trace_wake_says_who_woke_the_task_and_through_what },
	{ "block and deliver are JSON Lines only", test_trace_block_and_deliver_are_jsonl_only },
	{ "print quotes its text in both formats",
	  test_trace_print_quotes_its_text_in_both_formats },
	{ "destroy, signal and race lines", test_trace_destroy_signal_and_race_lines },
	{ "ipcs puts the table under its line", test_trace_ipcs_puts_the_table_under_its_line },
	{ "deadlock line lists who could release the task",
	  test_trace_deadlock_line_lists_who_could_release_the_task },
	{ "limit line names the guard rail and its value",
	  test_trace_limit_line_names_the_guard_rail_and_its_value },
	{ "expect line shows what was seen only when it fails",
	  test_trace_expect_line_shows_what_was_seen_only_when_it_fails },
	{ "summaries and the end line", test_trace_summaries_and_the_end_line },
	{ "text send and receive show the hand-off and the sender",
	  test_trace_text_send_and_receive_show_the_hand_off_and_the_sender },
	{ "JSON Lines send line has sender, type and text",
	  test_trace_jsonl_send_line_has_sender_type_and_text },
	{ "compute and sleep carry their duration in JSON Lines",
	  test_trace_compute_and_sleep_carry_their_duration_in_jsonl },
	{ "JSON Lines SysV call carries the queue state and return value",
	  test_trace_jsonl_sysv_call_carries_the_queue_state_and_return_value },
	{ "report-only sink writes no event table",
	  test_trace_report_only_sink_writes_no_event_table },
	{ "an event nobody wants is not written", test_trace_event_nobody_wants_is_not_written },
	{ "the JSON checker rejects what JSON does not allow",
	  test_trace_json_checker_rejects_what_json_does_not_allow },
	{ "JSON Lines payload not UTF-8 is given in hex",
	  test_trace_jsonl_payload_not_utf8_is_given_in_hex },
	{ "JSON Lines control bytes are escaped", test_trace_jsonl_control_bytes_are_escaped },
	{ "JSON Lines mq_send that succeeds returns zero",
	  test_trace_jsonl_mq_send_that_succeeds_returns_zero },
	{ "JSON Lines of every scenario is JSON", test_trace_jsonl_of_every_scenario_is_json },
	{ "file sink writer keeps every batch in order",
	  test_trace_file_sink_writer_keeps_every_batch_in_order },
	{ "JSON Lines failed call returns -1 and its errno",
	  test_trace_jsonl_failed_call_returns_minus_one_and_its_errno },
	{ "time column of times a microsecond apart",
	  test_trace_time_column_of_times_a_microsecond_apart },
	{ "remembered lines are the lines formatted",
	  test_trace_remembered_lines_are_the_lines_formatted },
	CU_TEST_INFO_NULL,
};
