/* test_trace_v3.c — JSON Lines schema version 3: the facts of version 2 in fewer bytes.
 *
 * Version 3 (the default) leaves out what a line implies: a delivery's own line (the
 * send that handed the message over or the receive that took it says so, at the same
 * time, with the same sequence number), "result":"ok", a message's type 1 and priority 0,
 * and a dispatch's switch cost of 0. These tests hold it to exactly that: every scenario
 * of the tree traced in both versions, the version 2 trace turned into version 3 by
 * those omissions alone must be the version 3 trace byte for byte, and every delivery of
 * version 2 must be found on a call line of version 3. A version 3 sink does not even
 * want a delivery, so a run that writes only version 3 builds none.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "msgsim/output/trace.h"
#include "tests.h"

/* ---- Version 2 made version 3 by hand ---- */

/* A message's text member, then its type and priority as version 2 writes them. */
#define MSG_MEMBERS \
	"(,\"text(?:_hex)?\":\"(?:[^\"\\\\]|\\\\.)*\")(,\"type\":-?\\d+)(,\"prio\":-?\\d+)"

static gboolean drop_defaults(const GMatchInfo *m, GString *out, gpointer data)
{
	(void)data;
	g_autofree char *text = g_match_info_fetch(m, 1);
	g_autofree char *type = g_match_info_fetch(m, 2);
	g_autofree char *prio = g_match_info_fetch(m, 3);
	g_string_append(out, text);
	if (strcmp(type, ",\"type\":1") != 0)
		g_string_append(out, type);
	if (strcmp(prio, ",\"prio\":0") != 0)
		g_string_append(out, prio);
	return FALSE;
}

/* The version 2 trace v2 with what version 3 leaves out taken out (g_free it). */
static char *v2_as_v3(const char *v2)
{
	g_autoptr(GRegex) msg = g_regex_new(MSG_MEMBERS, 0, 0, NULL);
	g_assert(msg);
	GString *out = g_string_new(NULL);
	g_auto(GStrv) lines = test_split_lines(v2);
	for (guint i = 0; lines[i]; i++) {
		const char *l = lines[i];
		if (!l[0] && !lines[i + 1])
			break;
		if (strstr(l, ",\"ev\":\"deliver\""))
			continue;
		g_autoptr(GString) s = g_string_new(l);
		if (g_str_has_prefix(s->str, "{\"v\":2,"))
			s->str[5] = '3';
		g_string_replace(s, ",\"result\":\"ok\"", "", 0);
		g_string_replace(s, ",\"switch_cost\":0,", ",", 0);
		g_autofree char *done =
			g_regex_replace_eval(msg, s->str, -1, 0, 0, drop_defaults, NULL, NULL);
		g_string_append(out, done);
		g_string_append_c(out, '\n');
	}
	return g_string_free(out, FALSE);
}

/* The first line of a that differs from b's, on standard error. */
static void say_first_difference(const char *what, const char *a, const char *b)
{
	g_auto(GStrv) la = test_split_lines(a);
	g_auto(GStrv) lb = test_split_lines(b);
	for (guint i = 0; la[i] && lb[i]; i++)
		if (strcmp(la[i], lb[i]) != 0) {
			fprintf(stderr, "\n%s: line %u\n  want: %s\n   got: %s\n", what, i + 1,
				la[i], lb[i]);
			return;
		}
	fprintf(stderr, "\n%s: the traces differ in length\n", what);
}

/* ---- Deliveries ---- */

/* Whether the version 3 trace has a call or return line at time t with message seq
 * that tells the delivery from `from` to `to`: the receiver's own line, or the sender's
 * with the receiver as "other". */
static gboolean delivery_told(const char *v3, const char *t, const char *from, const char *to,
			      const char *seq)
{
	g_autofree char *at = g_strdup_printf("{\"v\":3,\"t\":%s,", t);
	g_autofree char *by_receiver = g_strdup_printf(",\"task\":\"%s\",", to);
	g_autofree char *by_sender =
		g_strdup_printf(",\"task\":\"%s\",\"other\":\"%s\",", from, to);
	g_autofree char *num = g_strdup_printf(",\"seq\":%s", seq);
	g_auto(GStrv) lines = test_split_lines(v3);
	for (guint i = 0; lines[i]; i++) {
		const char *l = lines[i], *n = strstr(l, num);
		if (!g_str_has_prefix(l, at) || !n || g_ascii_isdigit(n[strlen(num)]))
			continue;
		if (!strstr(l, ",\"ev\":\"call\",") && !strstr(l, ",\"ev\":\"return\","))
			continue;
		if (strstr(l, by_receiver) || strstr(l, by_sender))
			return TRUE;
	}
	return FALSE;
}

/* Every delivery line of v2 is told by a call line of v3; counts them in *n. */
static gboolean deliveries_told(const char *v2, const char *v3, const char *what, guint *n)
{
	g_autoptr(GRegex) dl = g_regex_new("^\\{\"v\":2,\"t\":(\\d+),\"ev\":\"deliver\","
					   "\"task\":\"([^\"]*)\",\"other\":\"([^\"]*)\","
					   ".*,\"seq\":(\\d+)",
					   G_REGEX_MULTILINE, 0, NULL);
	g_assert(dl);
	g_autoptr(GMatchInfo) m = NULL;
	gboolean ok = TRUE;
	for (g_regex_match(dl, v2, 0, &m); g_match_info_matches(m); g_match_info_next(m, NULL)) {
		g_autofree char *t = g_match_info_fetch(m, 1);
		g_autofree char *from = g_match_info_fetch(m, 2);
		g_autofree char *to = g_match_info_fetch(m, 3);
		g_autofree char *seq = g_match_info_fetch(m, 4);
		(*n)++;
		if (!delivery_told(v3, t, from, to, seq)) {
			fprintf(stderr,
				"\n%s: no call line tells the delivery of #%s from %s to %s at "
				"%s\n",
				what, seq, from, to, t);
			ok = FALSE;
		}
	}
	return ok;
}

/* Every scenario of the tree, in both versions. */
static void v3_of_one_scenario(const char *path, const char *text, gpointer data)
{
	guint *deliveries = data;
	SimWorldOptions opt = { .max_steps = 200000 };
	g_autofree char *v2 = test_run_output(text, SIM_TRACE_JSONL2, FALSE, &opt, NULL);
	g_autofree char *v3 = test_run_output(text, SIM_TRACE_JSONL, FALSE, &opt, NULL);
	g_autofree char *want = v2_as_v3(v2);
	if (strcmp(want, v3) != 0)
		say_first_difference(path, want, v3);
	CU_ASSERT_STRING_EQUAL(v3, want);
	CU_ASSERT_TRUE(deliveries_told(v2, v3, path, deliveries));
}

static void test_trace_v3_is_v2_less_what_it_implies_for_every_scenario(void)
{
	guint deliveries = 0;
	CU_ASSERT(test_each_scenario(v3_of_one_scenario, &deliveries) >= 50);
	CU_ASSERT(deliveries >= 20); /* the claim was put to the test */
}

/* The lines of a small run, as version 3 writes them. */
static void test_trace_v3_lines_leave_out_ok_default_type_and_priority(void)
{
	g_autofree char *out =
		test_run_output("mailbox m capacity=1\n"
				"process s { send m \"a\"  send m \"b\" type=2 prio=3 }\n"
				"process r { receive m  receive m  receive m nowait }\n",
				SIM_TRACE_JSONL, FALSE, NULL, NULL);
	static const char *const want[] = {
		"{\"v\":3,\"t\":0,\"ev\":\"dispatch\",\"task\":\"s\",\"ready\":[\"r\"]}\n",
		"{\"v\":3,\"t\":1000,\"ev\":\"call\",\"task\":\"s\",\"object\":\"m\",\"call\":"
		"\"send\","
		"\"text\":\"a\",\"seq\":0,\"line\":2}\n",
		"\"call\":\"send\",\"blocked\":true,\"text\":\"b\",\"type\":2,\"prio\":3,\"seq\":"
		"1,",
		"\"call\":\"receive\",\"text\":\"a\",\"seq\":0,\"line\":3}\n",
		"\"call\":\"receive\",\"nowait\":true,\"result\":\"ENOMSG\",\"line\":3}\n",
	};
	for (guint i = 0; i < G_N_ELEMENTS(want); i++) {
		if (!strstr(out, want[i]))
			fprintf(stderr, "\nmissing: %s\nin:\n%s", want[i], out);
		CU_ASSERT_PTR_NOT_NULL(strstr(out, want[i]));
	}
	CU_ASSERT_PTR_NULL(strstr(out, "\"ev\":\"deliver\""));
	CU_ASSERT_PTR_NULL(strstr(out, "\"result\":\"ok\""));
	CU_ASSERT_PTR_NULL(strstr(out, "\"switch_cost\":0"));
}

/* A run whose only sink writes version 3 builds no delivery; one that writes version 2
 * does, and a delivery handed to a version 3 sink writes nothing. */
static void test_trace_v3_sink_wants_no_delivery(void)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *mem = open_memstream(&buf, &len);
	SimTrace *v3 = sim_trace_new();
	sim_trace_add_sink(v3, SIM_TRACE_JSONL, mem, FALSE, FALSE);
	CU_ASSERT_FALSE(sim_trace_wants(v3, SIM_TR_DELIVER));
	CU_ASSERT_TRUE(sim_trace_wants(v3, SIM_TR_BLOCK)); /* it names the object slept on */
	CU_ASSERT_TRUE(sim_trace_wants(v3, SIM_TR_CALL));
	SimTraceEvent dl = { .kind = SIM_TR_DELIVER, .task = "s", .other = "r", .object = "m" };
	sim_trace_emit(v3, &dl);
	sim_trace_free(v3);
	fclose(mem);
	CU_ASSERT_EQUAL(len, 0);
	free(buf);

	SimTrace *v2 = sim_trace_new();
	sim_trace_add_sink(v2, SIM_TRACE_JSONL2, stderr, FALSE, FALSE);
	CU_ASSERT_TRUE(sim_trace_wants(v2, SIM_TR_DELIVER));
	sim_trace_free(v2);
}

CU_TestInfo trace_v3_tests[] = {
	{ "v3 is v2 less what it implies, for every scenario",
	  test_trace_v3_is_v2_less_what_it_implies_for_every_scenario },
	{ "v3 lines leave out ok, default type and priority",
	  test_trace_v3_lines_leave_out_ok_default_type_and_priority },
	{ "v3 sink wants no delivery", test_trace_v3_sink_wants_no_delivery },
	CU_TEST_INFO_NULL,
};
