/* test_trace_style.c — the text trace for a person (trace_style.h): its words are the
 * plain trace's, and what it adds (source, colour, columns, explanations) comes only when
 * asked.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "msgsim/output/report.h"
#include "msgsim/output/trace_style.h"
#include "tests.h"

static const char *const rr = "mailbox A deliver=round-robin\n"
			      "process S { sleep 1ms  send A \"m\"  send A \"n\" }\n"
			      "process R1 { receive A }\n"
			      "process R2 { receive A }\n";

/* The whole trace of text: plain when style is NULL, else in that style (g_free it).
 * NULL, with *error set, when the styled sink is refused. */
static char *trace_of(const char *text, const SimTraceStyle *style, GError **error)
{
	GError *err = NULL;
	SimScenario *scn = sim_scn_parse("t.scn", text, strlen(text), &err);
	CU_ASSERT_PTR_NOT_NULL_FATAL(scn);
	char *buf = NULL;
	size_t len = 0;
	FILE *mem = open_memstream(&buf, &len);
	SimTrace *tr = sim_trace_new();
	SimTraceStyleSink *sink = NULL;
	if (!style)
		sim_trace_add_sink(tr, SIM_TRACE_TEXT, mem, FALSE, FALSE);
	else if (!(sink = sim_trace_style_add_sink(tr, style, scn, mem, error))) {
		sim_trace_free(tr);
		fclose(mem);
		free(buf);
		sim_scn_free(scn);
		return NULL;
	}
	SimWorldOptions opt = { .trace = tr, .explain = style && style->explain };
	SimWorld *w = sim_world_new(scn, &opt);
	if (sink)
		sim_trace_style_set_world(sink, w);
	SimTraceEvent head = { .kind = SIM_TR_HEADER, .text = scn->file, .op = "fifo" };
	sim_trace_emit(tr, &head);
	sim_world_run(w);
	sim_report_finish(w, tr);
	sim_world_free(w);
	sim_trace_free(tr);
	fclose(mem);
	char *out = g_strdup(buf);
	free(buf);
	sim_scn_free(scn);
	return out;
}

static void test_style_without_additions_writes_the_plain_trace(void)
{
	/* --explain on a run where no send had a choice: nothing to add, so the same bytes. */
	static const char *const one = "mailbox A\n"
				       "process S { sleep 1ms  send A \"m\" }\n"
				       "process R { receive A }\n";
	SimTraceStyle style = { .explain = TRUE };
	g_autofree char *plain = trace_of(one, NULL, NULL);
	g_autofree char *styled = trace_of(one, &style, NULL);
	CU_ASSERT_STRING_EQUAL(styled, plain);
}

static void test_style_explain_says_which_rule_chose_among_waiters(void)
{
	SimTraceStyle style = { .explain = TRUE };
	g_autofree char *out = trace_of(rr, &style, NULL);
	CU_ASSERT_PTR_NOT_NULL(strstr(
		out, "\n   1.002ms  S           send A \"m\" -> ok, handed to R1\n"
		     "   1.002ms  S           why R1: deliver=round-robin: the first waiting "
		     "receiver in process declaration order (none served yet); waiting: R1 R2\n"));
	/* The second send finds only R2 waiting: no choice, no line. */
	CU_ASSERT_PTR_NULL(strstr(out, "why R2"));
}

static void test_style_explain_names_the_sysv_receivers_whose_type_matches(void)
{
	/* R1 waits for type 2 only: a type-1 message has R2 and R3 to choose from. */
	static const char *const typed = "sysv queue q key=0x1000 perm=0600\n"
					 "process R1 { msgrcv q type=2 -> m }\n"
					 "process R2 { msgrcv q type=0 -> m }\n"
					 "process R3 { msgrcv q type=-1 -> m }\n"
					 "process S start=1ms { msgsnd q type=1 \"a\"  msgsnd q "
					 "type=2 \"b\"  msgsnd q type=1 \"c\" }\n";
	SimTraceStyle style = { .explain = TRUE };
	g_autofree char *out = trace_of(typed, &style, NULL);
	CU_ASSERT_PTR_NOT_NULL(strstr(out,
				      "  S           why R2: msgsnd: the first blocked receiver "
				      "in wait order whose msgtyp takes it"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "; waiting: R2 R3\n"));
	CU_ASSERT_PTR_NULL(strstr(out, "why R1")); /* alone for type 2 */
	CU_ASSERT_PTR_NULL(strstr(out, "why R3")); /* alone for the last */
}

static void test_style_explain_lists_posix_receivers_in_priority_order(void)
{
	static const char *const nice =
		"posix queue \"/w\" maxmsg=4 msgsize=32\n"
		"process R1 nice=5 { mq_receive \"/w\" -> m }\n"
		"process R2 nice=-5 start=1us { mq_receive \"/w\" -> m }\n"
		"process S start=1ms { mq_send \"/w\" \"a\"  mq_send \"/w\" "
		"\"b\" }\n";
	SimTraceStyle style = { .explain = TRUE };
	g_autofree char *out = trace_of(nice, &style, NULL);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "  S           why R2: mq_send: the first waiting "
					   "receiver, the highest priority (lowest nice) first"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "; waiting: R2 R1\n"));
	CU_ASSERT_PTR_NULL(strstr(out, "why R1")); /* alone for the second */
}

static void test_style_source_follows_each_call(void)
{
	SimTraceStyle style = { .source = TRUE };
	g_autofree char *out = trace_of(rr, &style, NULL);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "  S           sleep 1ms  (t.scn:2)\n"));
	CU_ASSERT_PTR_NOT_NULL(
		strstr(out, "  R1          receive A -> blocks: no message  (t.scn:3)\n"));
	CU_ASSERT_PTR_NULL(strstr(out, "starts  (")); /* not an engine event */
}

static void test_style_color_marks_times_and_the_verdict(void)
{
	SimTraceStyle style = { .color = TRUE };
	g_autofree char *out = trace_of(rr, &style, NULL);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "\033[2m1.002ms\033[0m  \033[1;36mS\033[0m"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "\033[1m\033[32m-- result: "));
}

static void test_style_columns_put_each_process_in_its_own(void)
{
	SimTraceStyle style = { .columns = TRUE };
	g_autofree char *out = trace_of(rr, &style, NULL);
	/* 3 processes: 36 characters a column. */
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "\n      time  S" /* then 35 spaces */
					   "                                   R1"));
	g_autofree char *r2 = g_strdup_printf("\n%10s  %72sstarts\n", "0", ""); /* third */
	CU_ASSERT_PTR_NOT_NULL(strstr(out, r2));
	g_autofree char *r1 =
		g_strdup_printf("\n%10s  %36sruns (switch from S); ready: R2\n", "1us", "");
	CU_ASSERT_PTR_NOT_NULL(strstr(out, r1));
}

static void test_style_columns_refuse_more_than_eight_processes(void)
{
	SimTraceStyle style = { .columns = TRUE };
	g_autoptr(GError) err = NULL;
	char *out = trace_of("process w[9] { exit 0 }\n", &style, &err);
	CU_ASSERT_PTR_NULL(out);
	CU_ASSERT_PTR_NOT_NULL_FATAL(err);
	CU_ASSERT_STRING_EQUAL(err->message,
			       "--columns shows at most 8 processes, and t.scn has 9; "
			       "use the plain trace, or --format html for a picture "
			       "of every process");
}

static void test_style_color_words_and_auto(void)
{
	gboolean c = FALSE;
	int fds[2];
	CU_ASSERT_EQUAL_FATAL(pipe(fds), 0);
	CU_ASSERT_TRUE(sim_trace_style_color("always", fds[1], &c));
	CU_ASSERT_TRUE(c);
	CU_ASSERT_TRUE(sim_trace_style_color("never", fds[1], &c));
	CU_ASSERT_FALSE(c);
	c = TRUE;
	CU_ASSERT_TRUE(sim_trace_style_color("auto", fds[1], &c)); /* a pipe is no terminal */
	CU_ASSERT_FALSE(c);
	CU_ASSERT_FALSE(sim_trace_style_color("sometimes", fds[1], &c));
	close(fds[0]);
	close(fds[1]);
}

extern CU_TestInfo trace_style_tests[];
CU_TestInfo trace_style_tests[] = {
	{ "without additions it writes the plain trace",
	  test_style_without_additions_writes_the_plain_trace },
	{ "explain says which rule chose among waiters",
	  test_style_explain_says_which_rule_chose_among_waiters },
	{ "explain names the SysV receivers whose type matches",
	  test_style_explain_names_the_sysv_receivers_whose_type_matches },
	{ "explain lists POSIX receivers in priority order",
	  test_style_explain_lists_posix_receivers_in_priority_order },
	{ "source follows each call", test_style_source_follows_each_call },
	{ "color marks times and the verdict", test_style_color_marks_times_and_the_verdict },
	{ "columns put each process in its own", test_style_columns_put_each_process_in_its_own },
	{ "columns refuse more than eight processes",
	  test_style_columns_refuse_more_than_eight_processes },
	{ "color words, and auto", test_style_color_words_and_auto },
	CU_TEST_INFO_NULL,
};
