/* race.c — vector clocks and races over one execution's events (see race.h).
 *
 * The one design choice to know: an event's clock starts as its thread's previous one and
 * takes in the clock of every earlier dependent event it is not yet ordered after, scanned
 * from the latest down; the scan starts above the lowest mark of the other threads, since
 * everything below it is ordered before already (a long run of one thread's steps would
 * otherwise cost a scan of all earlier ones each).
 *
 * Costs: a step compares its footprint with the earlier steps it is not ordered after
 * (linear in the execution's length); the initials of a race are quadratic in the steps
 * between its two events. Executions of a few hundred steps keep both small.
 */
#include "msgsim/explore/race.h"

#include <string.h>

#define BIT(i) (G_GUINT64_CONSTANT(1) << (i))

void sim_race_log_init(SimRaceLog *log, guint n)
{
	g_return_if_fail(n >= 1 && n <= 64);
	memset(log, 0, sizeof *log);
	log->n = n;
	log->last_of = g_new(int, n);
	sim_race_log_reset(log);
}

void sim_race_log_reset(SimRaceLog *log)
{
	log->n_events = 0;
	for (guint i = 0; i < log->n; i++)
		log->last_of[i] = -1;
}

void sim_race_log_clear(SimRaceLog *log)
{
	g_free(log->events);
	g_free(log->vcs);
	g_free(log->last_of);
	memset(log, 0, sizeof *log);
}

static guint32 *vc_of(const SimRaceLog *log, guint e)
{
	return &log->vcs[(gsize)e * log->n];
}

gboolean sim_race_hb(const SimRaceLog *log, guint i, guint k)
{
	return vc_of(log, k)[log->events[i].task] >= i + 1;
}

guint64 sim_race_initials(const SimRaceLog *log, guint i, guint j)
{
	guint64 seen = 0, out = 0;
	for (guint k = i + 1; k <= j; k++) {
		if (k < j && sim_race_hb(log, i, k))
			continue;
		guint p = log->events[k].task;
		if (seen & BIT(p))
			continue;
		seen |= BIT(p);
		gboolean first = TRUE;
		for (guint k2 = i + 1; k2 < k && first; k2++)
			if (!sim_race_hb(log, i, k2) && sim_race_hb(log, k2, k))
				first = FALSE;
		if (first)
			out |= BIT(p);
	}
	return out;
}

guint64 sim_race_backtrack(guint64 enabled, guint64 backtrack, guint64 sleep, guint64 init,
			   guint q)
{
	init &= enabled;
	if (!init)
		return backtrack | (enabled & ~sleep);
	if (init & (backtrack | sleep))
		return backtrack;
	return backtrack | ((init & BIT(q)) ? BIT(q) : BIT(__builtin_ctzll(init)));
}

guint sim_race_log_add(SimRaceLog *log, guint t, guint node, const SimFootprint *fp,
		       SimRaceFn race, void *data)
{
	g_return_val_if_fail(t < log->n, 0);
	if (log->n_events == log->cap_events) {
		log->cap_events = MAX(64u, log->cap_events * 2);
		log->events = g_renew(SimRaceEvent, log->events, log->cap_events);
		log->vcs = g_renew(guint32, log->vcs, (gsize)log->cap_events * log->n);
	}
	guint j = log->n_events++;
	log->events[j] = (SimRaceEvent){ .task = t, .node = node, .fp = *fp };
	guint32 *vc = vc_of(log, j);
	if (log->last_of[t] >= 0)
		memcpy(vc, vc_of(log, (guint)log->last_of[t]), log->n * sizeof(guint32));
	else
		memset(vc, 0, log->n * sizeof(guint32));
	guint low = j;
	for (guint p = 0; p < log->n; p++)
		if (p != t && log->last_of[p] >= 0)
			low = MIN(low, vc[p]);
	for (guint i = j; i-- > low;) {
		const SimRaceEvent *ei = &log->events[i];
		if (ei->task == t || vc[ei->task] >= i + 1)
			continue;
		if (!sim_footprint_conflicts(&ei->fp, fp))
			continue;
		if (race)
			race(data, i, j);
		const guint32 *vi = vc_of(log, i);
		for (guint p = 0; p < log->n; p++)
			vc[p] = MAX(vc[p], vi[p]);
	}
	vc[t] = j + 1;
	log->last_of[t] = (int)j;
	return j;
}
