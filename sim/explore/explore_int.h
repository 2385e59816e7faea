/* explore_int.h — what the explorer's files share (sim/explore/); not public.
 *
 * explore.c is the search, outcome.c records what each process observes and writes an
 * outcome's text (outset.c keeps the set of them, which sim/exec/search.c builds too),
 * schedule.c reads and writes schedules and replays them, state.c digests
 * a world's state for the stateful search, ample.c picks the steps its walk may take
 * alone (ample.h). All of them
 * read the world's insides (world_int.h) and the call table; none changes a world except
 * through the engine's stepping API (world.h).
 */
#ifndef MSGSIM_EXPLORE_INT_H
#define MSGSIM_EXPLORE_INT_H

#include "msgsim/explore/explore.h"
#include "msgsim/calls/call.h"
#include "engine/world_int.h"

/* One decision of an execution: which task steps, or which of several allowed choices. */
typedef enum { SIM_DECIDE_STEP, SIM_DECIDE_VALUE } SimDecideKind;
typedef struct SimDecision {
	SimDecideKind kind;
	guint value; /* STEP: task id; VALUE: the choice, 0..n-1 */
} SimDecision;

/* What each process has observed so far, one line per task: its calls' results. The
 * recorder is the world's call hook (SimCallHook) during an execution. */
typedef struct SimRecorder {
	GString **calls; /* by task id */
	guint n;
	/* By task id: a hash of the first line_hashed bytes of its line (state.c), so that
	 * a digest hashes only what was appended since; any truncation resets it. */
	guint64 *line_hash;
	gsize *line_hashed;
} SimRecorder;

/* Lifecycle */
void sim_recorder_init(SimRecorder *r, guint n_tasks);
void sim_recorder_reset(SimRecorder *r); /* for the next execution */
void sim_recorder_clear(SimRecorder *r);

/* Operations */
/* The call hook: a finished call appends its result to its task's line. */
void sim_recorder_hook(void *data, SimWorld *w, const SimTask *t, const SimStmt *st,
		       SimCallPhase phase);
/* The outcome of the ended world w as text (appended to out); see explore.h. */
void sim_outcome_text(const SimWorld *w, const SimRecorder *r, GString *out);

/* A target outcome (outcome.c): the one outcome a search looks for (SimExploreOptions.
 * target), by its text. */
typedef struct SimOutcomeTarget SimOutcomeTarget;
SimOutcomeTarget *sim_outcome_target_new(const char *text, guint n_tasks);
void sim_outcome_target_free(SimOutcomeTarget *g);
const char *sim_outcome_target_text(const SimOutcomeTarget *g);
/* Whether task t's line so far (its calls' results) can still end as the target's line
 * for it: a whole-call prefix of it. Lines only grow, so a FALSE stays FALSE. */
gboolean sim_outcome_target_fits(SimOutcomeTarget *g, const SimTask *t, const GString *line);
/* Whether the next result the target lists for task t, after line, is an error: a search
 * for it tries such a task first (a failing call marks a rarer order, so the orders that
 * give it are worth reaching soon; any order is as sound). */
gboolean sim_outcome_target_next_fails(SimOutcomeTarget *g, const SimTask *t, const GString *line);

/* State digests (state.c), for the stateful search */
/* The digest of w's state with what each task has observed (rec); FALSE when w holds
 * something the digest does not cover (then nothing is pruned there). */
gboolean sim_state_digest(const SimWorld *w, SimRecorder *rec, gboolean senders,
			  guint64 *out);
/* Whether a message's sender can matter outside inboxes and variables: a reply statement
 * (send to a variable's sender) or a `received` expectation. */
gboolean sim_state_needs_senders(const SimWorld *w);

/* A set of digests. */
typedef struct SimStateSet {
	guint64 *slots; /* 0: free */
	gsize cap, len; /* cap a power of two */
} SimStateSet;
void sim_state_set_init(SimStateSet *s);
void sim_state_set_clear(SimStateSet *s);
gboolean sim_state_set_add(SimStateSet *s, guint64 h); /* TRUE: it was not there */

/* Snapshots (snap.c): a world's state saved and put back in place, for the stateful
 * search's depth-first walk. */
typedef struct SimSnap SimSnap;
/* Whether w's scenario is made only of what a snapshot covers (mailboxes and the body's
 * own statements, no trace, no received lists). */
gboolean sim_snap_fits(const SimWorld *w);
SimSnap *sim_snap_new(const SimWorld *w); /* room for w's state */
void sim_snap_free(SimSnap *s);
/* Saves w and the recorder's lines into s; FALSE when w holds something s cannot keep
 * (then nothing may be restored from s). */
gboolean sim_snap_save(SimSnap *s, const SimWorld *w, const SimRecorder *rec);
/* Puts w (the world s was saved from) and the recorder back as s holds them. */
void sim_snap_restore(const SimSnap *s, SimWorld *w, SimRecorder *rec);

/* Symmetry (symmetry.c): replicas of one `process NAME[N]` that nothing tells apart are
 * interchangeable; the stateful search digests a state up to their permutations and closes
 * the outcome set under them at the end. */
typedef struct SimSymmetry SimSymmetry;
/* The groups of interchangeable replicas of scn, or NULL when there is none (or the
 * scenario holds anything the symmetry cannot vouch for; see symmetry.c). */
SimSymmetry *sim_symmetry_new(const SimScenario *scn);
void sim_symmetry_free(SimSymmetry *s);
guint sim_symmetry_tasks(const SimSymmetry *s); /* tasks in some group */
/* The program a body index stands for: the first body with the same statements. */
guint sim_symmetry_prog(const SimSymmetry *s, guint body);
/* The canonical order of w's tasks, from their local digests: order[slot] is the task put
 * in slot, map[task] its slot. */
void sim_symmetry_order(const SimSymmetry *s, const SimWorld *w, const guint64 *local,
			guint *order, guint *map);
/* Adds to by_text (outcome text -> SimOutcome, which owns its text) every permutation of
 * each outcome in it, with its witness renamed alike. */
void sim_symmetry_close(const SimSymmetry *s, const SimScenario *scn, GHashTable *by_text);
/* The set's table (text -> owned SimOutcome), for adding the permutations of outcomes found. */
GHashTable *sim_outcome_set_table(SimOutcomeSet *s);
/* sim_state_digest up to the permutations of s's groups (state.c). */
gboolean sim_state_digest_canon(const SimWorld *w, SimRecorder *rec, const SimSymmetry *s,
				guint64 *out);

/* Schedules */
/* A parsed schedule's decisions (n of them; owned by s). */
const SimDecision *sim_schedule_decisions(const SimSchedule *s, guint *n);
/* Appends the schedule text of decisions d[0..n) (explore.h's syntax). */
void sim_schedule_format(const SimScenario *scn, gboolean strict, const SimDecision *d, guint n,
			 GString *out);

#endif /* MSGSIM_EXPLORE_INT_H */
