/* test_timeline.c — the run gathered for the pictures (timeline.c) and the pictures drawn
 * from it (chrome.c, mermaid.c, dot.c, html.c): states, calls, messages, levels, the
 * deadlock, and what each writer makes of them. The Chrome trace's full check (fields,
 * nesting, flows) is tests/chrome_check.py; the HTML in a browser is tests/browser.sh. */
#include <stdio.h>
#include <string.h>

#include "msgsim/output/pictures.h"
#include "msgsim/output/xcheck_html.h"
#include "tests.h"

static void take(gpointer data, const SimTraceEvent *ev, GString *out)
{
	(void)out;
	sim_timeline_add(data, ev);
}

static void keep(gpointer data)
{
	(void)data; /* the test frees the timeline it reads */
}

static const SimTraceSinkClass gather = { .wants = (2u << SIM_TR_END) - 1,
					  .event = take,
					  .free = keep };

/* Runs text with a sink that feeds a timeline, told the limit of the object named `told`
 * beforehand (when not NULL), and returns the timeline. */
static SimTimeline *gathered_told(const char *text, const char *told, gint64 limit)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(SimScenario) scn = sim_scn_parse("t.scn", text, strlen(text), &error);
	CU_ASSERT_PTR_NOT_NULL_FATAL(scn);
	SimTimeline *tl = sim_timeline_new();
	if (told)
		sim_timeline_set_limit(tl, told, limit);
	g_autoptr(SimTrace) tr = sim_trace_new();
	FILE *null = fopen("/dev/null", "w");
	sim_trace_add_custom(tr, &gather, tl, null, TRUE);
	SimWorldOptions opt = { .trace = tr };
	g_autoptr(SimWorld) w = sim_world_new(scn, &opt);
	SimTraceEvent head = { .kind = SIM_TR_HEADER, .text = "t.scn", .op = "fifo" };
	sim_trace_emit(tr, &head);
	sim_world_run(w);
	sim_report_finish(w, tr);
	return tl;
}

static SimTimeline *gathered(const char *text)
{
	return gathered_told(text, NULL, 0);
}

/* Runs text and returns picture `name` of it (g_free it). */
static char *picture(const char *text, const char *name)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(SimScenario) scn = sim_scn_parse("t.scn", text, strlen(text), &error);
	CU_ASSERT_PTR_NOT_NULL_FATAL(scn);
	char *buf = NULL;
	size_t len = 0;
	FILE *mem = open_memstream(&buf, &len);
	g_autoptr(SimTrace) tr = sim_trace_new();
	const SimPicture *p = sim_picture_by_name(name);
	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	sim_picture_add_sink(tr, p, mem, FALSE);
	SimWorldOptions opt = { .trace = tr };
	g_autoptr(SimWorld) w = sim_world_new(scn, &opt);
	SimTraceEvent head = { .kind = SIM_TR_HEADER, .text = "t.scn", .op = "fifo" };
	sim_trace_emit(tr, &head);
	sim_world_run(w);
	sim_report_finish(w, tr);
	sim_trace_flush(tr);
	g_clear_pointer(&tr, sim_trace_free);
	fclose(mem);
	return buf;
}

static const SimTlTask *task_named(const SimTimeline *tl, const char *name)
{
	for (guint i = 0; i < tl->tasks->len; i++)
		if (strcmp(sim_timeline_task(tl, i)->name, name) == 0)
			return sim_timeline_task(tl, i);
	CU_FAIL("no such task");
	return NULL;
}

static const char *const P1P2 = "mailbox A\n"
				"process P1 { sleep 1ms  send A \"hi\"  send A \"late\" }\n"
				"process P2 { receive A -> m }\n";

static void test_timeline_spans_cover_each_task_end_to_end_without_overlap(void)
{
	g_autoptr(SimTimeline) tl = gathered(P1P2);
	CU_ASSERT_EQUAL(tl->tasks->len, 2);
	for (guint i = 0; i < tl->tasks->len; i++) {
		const SimTlTask *t = sim_timeline_task(tl, i);
		CU_ASSERT_FATAL(t->spans->len > 0);
		for (guint k = 0; k < t->spans->len; k++) {
			const SimTlSpan *sp = &g_array_index(t->spans, SimTlSpan, k);
			CU_ASSERT(sp->end >= sp->start);
			if (k + 1 < t->spans->len)
				CU_ASSERT_EQUAL(sp->end,
						g_array_index(t->spans, SimTlSpan, k + 1).start);
		}
		CU_ASSERT_EQUAL(g_array_index(t->spans, SimTlSpan, t->spans->len - 1).end, tl->end);
	}
}

static void test_timeline_blocked_span_names_its_object_and_reason(void)
{
	g_autoptr(SimTimeline) tl = gathered(P1P2);
	const SimTlTask *p2 = task_named(tl, "P2");
	gboolean seen = FALSE;
	for (guint k = 0; k < p2->spans->len; k++) {
		const SimTlSpan *sp = &g_array_index(p2->spans, SimTlSpan, k);
		if (sp->state != SIM_TL_BLOCKED)
			continue;
		seen = TRUE;
		CU_ASSERT_STRING_EQUAL(sp->object, "A");
		CU_ASSERT_STRING_EQUAL(sp->reason, "no message");
		/* From its receive at 2us to the send that woke it at 1.002ms. */
		CU_ASSERT_EQUAL(sp->end - sp->start, 1000000);
	}
	CU_ASSERT(seen);
	const SimTlTask *p1 = task_named(tl, "P1");
	CU_ASSERT_EQUAL(g_array_index(p1->spans, SimTlSpan, 1).state, SIM_TL_SLEEPING);
}

static void test_timeline_message_goes_from_its_send_to_the_receive_that_took_it(void)
{
	g_autoptr(SimTimeline) tl = gathered(P1P2);
	CU_ASSERT_EQUAL_FATAL(tl->msgs->len, 2);
	const SimTlMsg *m = sim_timeline_msg(tl, 0);
	CU_ASSERT_STRING_EQUAL(m->text, "hi");
	CU_ASSERT_STRING_EQUAL(sim_timeline_task(tl, m->from)->name, "P1");
	CU_ASSERT_STRING_EQUAL(sim_timeline_task(tl, m->to)->name, "P2");
	CU_ASSERT_STRING_EQUAL(sim_timeline_call(tl, m->send_call)->name, "send");
	const SimTlCall *rc = sim_timeline_call(tl, m->recv_call);
	CU_ASSERT_NOT_EQUAL(rc->of, SIM_TL_NONE); /* the blocked receive's return took it */
	CU_ASSERT(m->taken >= m->sent);
	/* Who the send woke is in its details. */
	CU_ASSERT_STRING_EQUAL(sim_timeline_call(tl, m->send_call)->woke, "P2");
}

static void test_timeline_message_still_queued_at_the_end_has_no_receiver(void)
{
	g_autoptr(SimTimeline) tl = gathered(P1P2);
	const SimTlMsg *late = sim_timeline_msg(tl, 1);
	CU_ASSERT_STRING_EQUAL(late->text, "late");
	CU_ASSERT_EQUAL(late->to, SIM_TL_NONE);
	CU_ASSERT_EQUAL(late->recv_call, SIM_TL_NONE);
	CU_ASSERT(late->queued);
	/* ... and the mailbox's level says so: one message, no limit the events know. */
	CU_ASSERT_EQUAL_FATAL(tl->objects->len, 1);
	const SimTlObject *o = &g_array_index(tl->objects, SimTlObject, 0);
	CU_ASSERT_STRING_EQUAL(o->name, "A");
	CU_ASSERT_EQUAL(o->limit, -1);
	CU_ASSERT_EQUAL(g_array_index(o->levels, SimTlLevel, o->levels->len - 1).level, 1);
}

static void test_timeline_sysv_level_counts_bytes_against_qbytes(void)
{
	g_autoptr(SimTimeline) tl =
		gathered("sysv queue q key=0x9100 perm=0600\n"
			 "sysctl msgmnb=32\n"
			 "process S { repeat 3 { msgsnd q type=1 \"x\" size=16 nowait } }\n");
	CU_ASSERT_EQUAL_FATAL(tl->objects->len, 1);
	const SimTlObject *o = &g_array_index(tl->objects, SimTlObject, 0);
	CU_ASSERT_STRING_EQUAL(o->unit, "bytes");
	CU_ASSERT_EQUAL(o->limit, 32);
	CU_ASSERT_EQUAL(o->max, 32);
	/* The third send failed (EAGAIN): its message went nowhere. */
	CU_ASSERT_EQUAL_FATAL(tl->calls->len, 3);
	CU_ASSERT_EQUAL(sim_timeline_call(tl, 2)->err, EAGAIN);
	CU_ASSERT(sim_timeline_msg(tl, 2)->failed);
}

/* The events carry no mailbox capacity: told beforehand, the mailbox's chart has its
 * limit; untold, it has none; an object told but never touched is not drawn. */
static void test_timeline_mailbox_level_has_the_limit_it_was_told(void)
{
	const char *text = "mailbox box capacity=2\n"
			   "process P { repeat 3 as i { send box \"m$i\" } }\n"
			   "process C { compute 10us  repeat 3 { receive box -> m } }\n";
	g_autoptr(SimTimeline) told = gathered_told(text, "box", 2);
	CU_ASSERT_EQUAL_FATAL(told->objects->len, 1);
	const SimTlObject *o = &g_array_index(told->objects, SimTlObject, 0);
	CU_ASSERT_STRING_EQUAL(o->name, "box");
	CU_ASSERT_EQUAL(o->limit, 2);
	CU_ASSERT_EQUAL(o->max, 2);
	g_autoptr(SimTimeline) untold = gathered(text);
	CU_ASSERT_EQUAL_FATAL(untold->objects->len, 1);
	CU_ASSERT_EQUAL(g_array_index(untold->objects, SimTlObject, 0).limit, -1);
	g_autoptr(SimTimeline) idle = gathered_told(text, "elsewhere", 5);
	CU_ASSERT_EQUAL(idle->objects->len, 1);
}

static const char *const DEADLOCK = "process P1 { receive P2 -> m }\n"
				    "process P2 { receive P1 -> m }\n"
				    "expect deadlock\n";

static void test_timeline_deadlock_keeps_the_reports_words_and_the_stuck_spans(void)
{
	g_autoptr(SimTimeline) tl = gathered(DEADLOCK);
	CU_ASSERT_EQUAL_FATAL(tl->deadlocks->len, 2);
	const SimTlDeadlock *d = &g_array_index(tl->deadlocks, SimTlDeadlock, 1);
	CU_ASSERT_STRING_EQUAL(d->text, "P2 stuck in receive P1 (line 2): no message from the "
					"wanted sender; waits for: P1");
	CU_ASSERT_EQUAL(d->waits->len, 1);
	/* P2 blocked at the very end: its last span is kept, of no length. */
	const SimTlTask *p2 = task_named(tl, "P2");
	const SimTlSpan *last = &g_array_index(p2->spans, SimTlSpan, p2->spans->len - 1);
	CU_ASSERT_EQUAL(last->state, SIM_TL_BLOCKED);
	CU_ASSERT_EQUAL(tl->expects->len, 1);
	CU_ASSERT(g_array_index(tl->expects, SimTlExpect, 0).pass);
}

static void test_timeline_us_writes_exact_microseconds(void)
{
	g_autoptr(GString) s = g_string_new(NULL);
	sim_timeline_us(s, 0);
	g_string_append_c(s, ' ');
	sim_timeline_us(s, 1500);
	g_string_append_c(s, ' ');
	sim_timeline_us(s, 1001);
	g_string_append_c(s, ' ');
	sim_timeline_us(s, 2000000);
	CU_ASSERT_STRING_EQUAL(s->str, "0 1.5 1.001 2000");
	g_string_truncate(s, 0);
	sim_timeline_json_escape(s, "a\"</script>\n\xff");
	CU_ASSERT_STRING_EQUAL(s->str, "a\\\"\\u003c/script>\\n\xef\xbf\xbd");
}

static void test_pictures_dot_draws_the_waits_for_edges_in_the_reports_words(void)
{
	g_autofree char *dot = picture(DEADLOCK, "dot");
	CU_ASSERT(g_str_has_prefix(dot, "digraph waitfor {"));
	CU_ASSERT_PTR_NOT_NULL(strstr(dot, "\t\"P1\" -> \"P2\";\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(dot, "\t\"P2\" -> \"P1\";\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(dot, "P1 stuck in receive P2 (line 1): no message from "
					   "the wanted sender; waits for: P2"));
	g_autofree char *none = picture(P1P2, "dot");
	CU_ASSERT_PTR_NOT_NULL(strstr(none, "no deadlock"));
	CU_ASSERT_PTR_NULL(strstr(none, "->"));
}

static void test_pictures_mermaid_cuts_a_long_run_and_says_what_was_cut(void)
{
	g_autofree char *small = picture(P1P2, "mermaid");
	CU_ASSERT(g_str_has_prefix(small, "sequenceDiagram\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(small, "    P1->>A: send A \"hi\""));
	CU_ASSERT_PTR_NOT_NULL(strstr(small, "    A-->>P2: receive A returns ok \"hi\""));
	CU_ASSERT_PTR_NULL(strstr(small, "cut:"));
	/* A name that is one of Mermaid's words gets an id of its own, and the cut note's
	 * ';' is written as an entity (a bare one ends a Mermaid statement). */
	g_autofree char *box = picture("mailbox box\nprocess P { send box \"x\" }\n", "mermaid");
	CU_ASSERT_PTR_NOT_NULL(strstr(box, "    participant p2 as box (object)\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(box, "    P->>p2: send box \"x\""));
	g_autofree char *big = picture("process P { repeat 1000 { compute 1us } }\n", "mermaid");
	CU_ASSERT_PTR_NOT_NULL(strstr(big, "Note over P: cut: the run has 1000 calls and only "
					   "the first 300 are shown (up to 300us)#59; the"));
	CU_ASSERT_PTR_NOT_NULL(strstr(big, "%% cut: the run has 1000 calls and only the first "
					   "300 are shown (up to 300us)"));
	guint lines = 0;
	for (const char *c = big; (c = strchr(c, '\n')); c++)
		lines++;
	CU_ASSERT(lines <= SIM_MERMAID_MAX_LINES + 10);
}

static void test_pictures_chrome_has_a_thread_per_process_and_a_flow_per_message(void)
{
	g_autofree char *json = picture(P1P2, "chrome");
	CU_ASSERT(g_str_has_prefix(json, "{\"displayTimeUnit\":\"ns\""));
	CU_ASSERT_PTR_NOT_NULL(strstr(json, "\"name\":\"thread_name\",\"args\":{\"name\":\"P1\"}"));
	CU_ASSERT_PTR_NOT_NULL(strstr(json, "\"name\":\"thread_name\",\"args\":{\"name\":\"P2\"}"));
	CU_ASSERT_PTR_NOT_NULL(strstr(json, "{\"ph\":\"s\",\"pid\":1,\"tid\":1,"));
	CU_ASSERT_PTR_NOT_NULL(strstr(json, "{\"ph\":\"f\",\"pid\":1,\"tid\":2,"));
	CU_ASSERT_PTR_NOT_NULL(strstr(json, "\"name\":\"still queued in A: #1\""));
	CU_ASSERT_PTR_NOT_NULL(strstr(json, "\"name\":\"blocked on A: no message\""));
	CU_ASSERT(g_str_has_suffix(json, "]}\n"));
}

static void test_pictures_html_is_one_file_with_its_data_and_nothing_from_elsewhere(void)
{
	g_autofree char *html = picture(DEADLOCK, "html");
	CU_ASSERT(g_str_has_prefix(html, "<!DOCTYPE html>\n"));
	CU_ASSERT(g_str_has_suffix(html, "</html>\n"));
	CU_ASSERT_PTR_NOT_NULL(
		strstr(html, "<script id=\"msgsim-data\" type=\"application/json\">"));
	CU_ASSERT_PTR_NOT_NULL(strstr(html, "<li>P1 stuck in receive P2 (line 1)"));
	CU_ASSERT_PTR_NOT_NULL(strstr(html, "<td>PASS</td><td>deadlock</td>"));
	CU_ASSERT_PTR_NULL(strstr(html, "src="));
	CU_ASSERT_PTR_NULL(strstr(html, "href=\"http"));
	CU_ASSERT_PTR_NULL(strstr(html, "@import"));
}

static void test_pictures_every_format_is_named_in_the_list_the_errors_give(void)
{
	const char *const names[] = { "chrome", "mermaid", "dot", "html" };
	for (gsize i = 0; i < G_N_ELEMENTS(names); i++) {
		const SimPicture *p = sim_picture_by_name(names[i]);
		CU_ASSERT_PTR_NOT_NULL_FATAL(p);
		CU_ASSERT_STRING_EQUAL(p->name, names[i]);
		CU_ASSERT_PTR_NOT_NULL(strstr(sim_picture_names(), names[i]));
	}
	CU_ASSERT_PTR_NULL(sim_picture_by_name("text"));
	CU_ASSERT_PTR_NULL(sim_picture_by_name("jsonl"));
	CU_ASSERT_PTR_NULL(sim_picture_by_name("HTML"));
}

/* crosscheck --format html: a mismatch's row is marked, a cell's escaped '|' and '<' are
 * the text's again (and HTML-escaped), the lines around the table stay as text. */
static void test_pictures_xcheck_html_marks_mismatches_and_undoes_the_cell_escapes(void)
{
	char *reports[] = { (char *)"# msgsim crosscheck t.scn\n"
				    "| step | process | call | model | kernel | match |\n"
				    "|---|---|---|---|---|---|\n"
				    "| 1 | P | send (line 2) | ok \"a\\|b\" | ok \"a\\|b\" | yes |\n"
				    "| 2 | P | receive (line 3) | ok \"\\<x\" | ENOMSG | **NO** |\n"
				    "-- t.scn: 2 calls replayed, 2 comparisons, 1 mismatch\n" };
	g_autoptr(GString) s = g_string_new(NULL);
	sim_xcheck_html_write(s, reports, 1);
	CU_ASSERT_PTR_NOT_NULL(strstr(s->str, "<h2>msgsim crosscheck t.scn</h2>"));
	CU_ASSERT_PTR_NOT_NULL(strstr(s->str, "<th>model</th><th>kernel</th>"));
	CU_ASSERT_PTR_NOT_NULL(strstr(s->str, "<tr><td>1</td><td>P</td><td>send (line 2)</td>"
					      "<td>ok &quot;a|b&quot;</td>"));
	CU_ASSERT_PTR_NOT_NULL(strstr(s->str, "<tr class=\"mismatch\"><td>2</td>"));
	CU_ASSERT_PTR_NOT_NULL(strstr(s->str, "<td>ok &quot;&lt;x&quot;</td><td>ENOMSG</td>"
					      "<td>NO</td></tr>"));
	CU_ASSERT_PTR_NULL(strstr(s->str, "|---"));
	CU_ASSERT_PTR_NOT_NULL(strstr(s->str, "<pre>-- t.scn: 2 calls replayed"));
}

CU_TestInfo timeline_tests[] = {
	{ "spans_cover_each_task_end_to_end_without_overlap",
	  test_timeline_spans_cover_each_task_end_to_end_without_overlap },
	{ "blocked_span_names_its_object_and_reason",
	  test_timeline_blocked_span_names_its_object_and_reason },
	{ "message_goes_from_its_send_to_the_receive_that_took_it",
	  test_timeline_message_goes_from_its_send_to_the_receive_that_took_it },
	{ "message_still_queued_at_the_end_has_no_receiver",
	  test_timeline_message_still_queued_at_the_end_has_no_receiver },
	{ "sysv_level_counts_bytes_against_qbytes",
	  test_timeline_sysv_level_counts_bytes_against_qbytes },
	{ "mailbox_level_has_the_limit_it_was_told",
	  test_timeline_mailbox_level_has_the_limit_it_was_told },
	{ "deadlock_keeps_the_reports_words_and_the_stuck_spans",
	  test_timeline_deadlock_keeps_the_reports_words_and_the_stuck_spans },
	{ "us_writes_exact_microseconds", test_timeline_us_writes_exact_microseconds },
	{ "dot_draws_the_waits_for_edges_in_the_reports_words",
	  test_pictures_dot_draws_the_waits_for_edges_in_the_reports_words },
	{ "mermaid_cuts_a_long_run_and_says_what_was_cut",
	  test_pictures_mermaid_cuts_a_long_run_and_says_what_was_cut },
	{ "chrome_has_a_thread_per_process_and_a_flow_per_message",
	  test_pictures_chrome_has_a_thread_per_process_and_a_flow_per_message },
	{ "html_is_one_file_with_its_data_and_nothing_from_elsewhere",
	  test_pictures_html_is_one_file_with_its_data_and_nothing_from_elsewhere },
	{ "xcheck_html_marks_mismatches_and_undoes_the_cell_escapes",
	  test_pictures_xcheck_html_marks_mismatches_and_undoes_the_cell_escapes },
	{ "every_format_is_named_in_the_list_the_errors_give",
	  test_pictures_every_format_is_named_in_the_list_the_errors_give },
	CU_TEST_INFO_NULL,
};
