/* cli_record.c — `msgsim record --explore FILE`: the scenario with what every schedule does.
 *
 * The explorer (explore.h) finds the outcome set; each outcome's witness is replayed, and
 * what that run did is written as `msgsim record` writes it (quiz.h), one expectation a
 * line. The design choice to know: a line that every outcome gives is a plain `expect`
 * (under explore: in every schedule), a line that only some give is an `expect possible`,
 * each once, and `expect outcomes N` closes the list. So the record passes under
 * `msgsim explore` (every line holds over all schedules) and under `msgsim run` (the plain
 * lines hold in its schedule, which is one of them; run leaves the others out). A search a
 * bound cut cannot say what holds always, so it is refused rather than half written.
 */
#include "cli_record.h"

#include <stdio.h>
#include <string.h>

#include "msgsim/engine/world.h"
#include "msgsim/explore/explore.h"
#include "msgsim/output/quiz.h"
#include "msgsim/output/report.h"

/* The expectation lines of what the witness's run did, or NULL when it does not replay. */
static char **facts_of(const SimScenario *scn, const SimOutcome *oc)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(SimSchedule) s = sim_schedule_parse(scn, oc->witness, &error);
	if (!s)
		return NULL;
	SimWorldOptions wo = { .keep_received = TRUE };
	sim_schedule_options(s, &wo);
	g_autoptr(SimWorld) w = sim_world_new(scn, &wo);
	if (!sim_schedule_run(s, w, &error))
		return NULL;
	g_autoptr(GString) text = g_string_new(NULL);
	sim_quiz_record_facts(text, w);
	g_string_truncate(text, text->len ? text->len - 1 : 0); /* the last '\n' */
	return g_strsplit(text->str, "\n", -1);
}

/* Counts, for each distinct line, the outcomes that give it; `order` keeps the lines in
 * the order they were first seen (the first outcome's order, then the others'). */
static void count_lines(GHashTable *seen, GPtrArray *order, char **lines)
{
	for (char **l = lines; *l; l++) {
		gpointer n = NULL;
		if (!g_hash_table_lookup_extended(seen, *l, NULL, &n))
			g_ptr_array_add(order, g_strdup(*l));
		g_hash_table_insert(seen, g_strdup(*l), GUINT_TO_POINTER(GPOINTER_TO_UINT(n) + 1));
	}
}

int sim_cli_record_explore(const SimScenario *scn, guint64 seed, guint64 max_executions,
			   double max_seconds)
{
	/* The stateful walk, as msgsim explore runs it by default: the same outcome set, and
	 * complete within the bounds far more often (it falls back to DPOR by itself). */
	SimExploreOptions o = { .max_executions = max_executions,
				.max_seconds = max_seconds,
				.stateful = TRUE };
	SimExploreResult r;
	g_autoptr(GError) error = NULL;
	if (!sim_explore_run(scn, &o, &r, &error)) {
		fprintf(stderr, "msgsim record: %s\n", error->message);
		return SIM_EXIT_USAGE;
	}
	int status = SIM_EXIT_OK;
	g_autoptr(GHashTable) seen = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	g_autoptr(GPtrArray) order = g_ptr_array_new_with_free_func(g_free);
	if (!r.complete) {
		fprintf(stderr,
			"msgsim record: --explore: the search was cut (%s): a record of "
			"every outcome needs all of them\n",
			r.cut_by ? r.cut_by : "a bound");
		status = SIM_EXIT_STUCK;
	}
	for (guint i = 0; status == SIM_EXIT_OK && i < r.outcomes->len; i++) {
		const SimOutcome *oc = g_ptr_array_index(r.outcomes, i);
		g_auto(GStrv) lines = facts_of(scn, oc);
		if (!lines) {
			fprintf(stderr, "msgsim record: --explore: the witness %s did not replay\n",
				oc->witness);
			status = SIM_EXIT_STUCK;
			break;
		}
		count_lines(seen, order, lines);
	}
	if (status != SIM_EXIT_OK) {
		sim_explore_result_clear(&r);
		return status;
	}
	guint n = r.outcomes->len;
	g_autoptr(GString) s = g_string_new(NULL);
	sim_quiz_record_head(s, scn, " --explore", seed);
	g_string_append(s, "\n# What every schedule does, as expectations:\n");
	for (guint i = 0; i < order->len; i++) {
		const char *l = g_ptr_array_index(order, i);
		if (GPOINTER_TO_UINT(g_hash_table_lookup(seen, l)) == n)
			g_string_append_printf(s, "%s\n", l);
	}
	g_string_append_printf(s, "\n# What some schedules do (%u outcome%s in all):\n", n,
			       n == 1 ? "" : "s");
	for (guint i = 0; i < order->len; i++) {
		const char *l = g_ptr_array_index(order, i);
		if (GPOINTER_TO_UINT(g_hash_table_lookup(seen, l)) < n &&
		    g_str_has_prefix(l, "expect "))
			g_string_append_printf(s, "expect possible %s\n", l + strlen("expect "));
	}
	g_string_append_printf(s, "expect outcomes %u\n", n);
	fputs(s->str, stdout);
	sim_explore_result_clear(&r);
	return SIM_EXIT_OK;
}
