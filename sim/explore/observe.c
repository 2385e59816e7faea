/* observe.c — the outcome of a run made outside the explorer, in the explorer's own text.
 *
 * The design choice to know: an observer is the explorer's recorder (outcome.c) behind a
 * public name, not a second writer of outcomes. A run the real kernel made and a model
 * world followed call by call is watched by the same code that watches every explored
 * execution, so equal observations give equal texts by construction.
 */
#include "explore/explore_int.h"

struct SimObserver {
	SimRecorder rec;
};

SimObserver *sim_observer_new(guint n_tasks)
{
	SimObserver *o = g_new0(SimObserver, 1);
	sim_recorder_init(&o->rec, n_tasks);
	return o;
}

void sim_observer_free(SimObserver *o)
{
	if (!o)
		return;
	sim_recorder_clear(&o->rec);
	g_free(o);
}

void sim_observer_hook(void *data, SimWorld *w, const SimTask *t, const SimStmt *st,
		       SimCallPhase phase)
{
	SimObserver *o = data;
	sim_recorder_hook(&o->rec, w, t, st, phase);
}

char *sim_observer_outcome(const SimObserver *o, const SimWorld *w)
{
	GString *s = g_string_new(NULL);
	sim_outcome_text(w, &o->rec, s);
	return g_string_free(s, FALSE);
}
