/* outset.c — an outcome set being built: each distinct outcome text once, with the
 * executions that reached it, until it becomes a result's sorted list.
 *
 * The design choice to know: the set is keyed by the outcome's whole text (a hash table
 * over the text the outcome owns), and only at the end is it sorted by text, so a search
 * may add outcomes in any order and still print them the same way. The scenario search
 * (explore.c) and the real programs' search (sim/exec/search.c) both build their sets here.
 */
#include "explore/explore_int.h"

#include <string.h>

struct SimOutcomeSet {
	GHashTable *by_text; /* outcome text -> SimOutcome (owned) */
};

static void outcome_free(gpointer p)
{
	SimOutcome *oc = p;
	g_free(oc->text);
	g_free(oc->witness);
	g_free(oc);
}

SimOutcomeSet *sim_outcome_set_new(void)
{
	SimOutcomeSet *s = g_new0(SimOutcomeSet, 1);
	s->by_text = g_hash_table_new_full(g_str_hash, g_str_equal, NULL, outcome_free);
	return s;
}

void sim_outcome_set_free(SimOutcomeSet *s)
{
	if (!s)
		return;
	g_hash_table_unref(s->by_text);
	g_free(s);
}

void sim_outcome_set_reset(SimOutcomeSet *s)
{
	g_hash_table_remove_all(s->by_text);
}

SimOutcome *sim_outcome_set_get(SimOutcomeSet *s, const char *text, gboolean deadlock)
{
	SimOutcome *oc = g_hash_table_lookup(s->by_text, text);
	if (!oc) {
		oc = g_new0(SimOutcome, 1);
		oc->text = g_strdup(text);
		oc->hash = sim_outcome_hash(oc->text);
		oc->deadlock = deadlock;
		g_hash_table_insert(s->by_text, oc->text, oc);
	}
	return oc;
}

GHashTable *sim_outcome_set_table(SimOutcomeSet *s)
{
	return s->by_text;
}

static gint by_text(gconstpointer a, gconstpointer b)
{
	const SimOutcome *x = *(const SimOutcome *const *)a, *y = *(const SimOutcome *const *)b;
	return strcmp(x->text, y->text);
}

void sim_outcome_set_finish(SimOutcomeSet *s, SimExploreResult *r)
{
	r->outcomes = g_ptr_array_new_with_free_func(outcome_free);
	GHashTableIter it;
	gpointer v;
	g_hash_table_iter_init(&it, s->by_text);
	while (g_hash_table_iter_next(&it, NULL, &v)) {
		g_ptr_array_add(r->outcomes, v);
		g_hash_table_iter_steal(&it);
	}
	g_ptr_array_sort(r->outcomes, by_text);
	sim_outcome_set_free(s);
}
