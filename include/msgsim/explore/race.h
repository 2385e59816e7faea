/* race.h — happens-before and races over the steps of one execution: the part of source-set
 * DPOR that knows nothing of what a step is.
 *
 * Both searches use it: the scenario explorer (sim/explore/explore.c), whose steps are a
 * world's calls, and the search over real programs (sim/exec/search.c), whose steps are a
 * guest's run from one choice point to the next. Each step is an event: the thread that
 * took it, the decision node it was taken at, and its footprint (footprint.h). Adding an
 * event gives it a vector clock (the index + 1 of the latest event of each thread ordered
 * before it) and calls back for each race: an earlier event of another thread, dependent
 * with it (the footprints conflict) and not ordered before it. What a race does to the
 * search (which thread a node must try next) is the caller's; the rule of source sets,
 * sim_race_backtrack, is here so that both apply the same one.
 *
 * Threads are numbered from 0 below 64 (the callers keep sets of them as bit masks).
 */
#ifndef MSGSIM_RACE_H
#define MSGSIM_RACE_H

#include "msgsim/calls/footprint.h"

typedef struct SimRaceEvent {
	guint task;	 /* the thread that stepped */
	guint node;	 /* the decision node the step was taken at */
	SimFootprint fp; /* what it read and changed */
} SimRaceEvent;

typedef struct SimRaceLog {
	guint n;	       /* threads: the width of a clock */
	SimRaceEvent *events;  /* this execution's steps, in order */
	guint32 *vcs;	       /* n per event: vector clocks */
	guint n_events, cap_events;
	int *last_of;	       /* by thread: its latest event, or -1 */
} SimRaceLog;

/* Called for the race (i, j) of two events, i earlier. */
typedef void (*SimRaceFn)(void *data, guint i, guint j);

/* Lifecycle: init for n threads (n >= 1), reset before each execution; clear frees. */
void sim_race_log_init(SimRaceLog *log, guint n);
void sim_race_log_reset(SimRaceLog *log);
void sim_race_log_clear(SimRaceLog *log);

/* Operations */
/* Adds the step of thread t at node (footprint fp) and returns its index; calls race (when
 * not NULL) for each earlier event it races with, the latest first. */
guint sim_race_log_add(SimRaceLog *log, guint t, guint node, const SimFootprint *fp,
		       SimRaceFn race, void *data);

/* Queries */
/* Event i happens before event k. */
gboolean sim_race_hb(const SimRaceLog *log, guint i, guint k);
/* The threads that can start the reversal of the race (i, j): of the events after i that do
 * not happen after it, followed by j, those whose first event there has nothing of that
 * sequence before it (as a bit mask). */
guint64 sim_race_initials(const SimRaceLog *log, guint i, guint j);
/* Source sets: the backtrack set of the node of i after the race (i, j), where the node had
 * `enabled` threads, `backtrack` started or to start and `sleep` asleep, init is
 * sim_race_initials(i, j) and q is j's thread. With no initial enabled there, every
 * enabled thread not asleep; with one already started or asleep, no change; else q when
 * it is an initial, or the lowest initial. */
guint64 sim_race_backtrack(guint64 enabled, guint64 backtrack, guint64 sleep, guint64 init,
			   guint q);

#endif /* MSGSIM_RACE_H */
