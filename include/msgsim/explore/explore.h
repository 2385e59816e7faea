/* explore.h — every schedule of a scenario: the outcome set, found by stateless search with
 * dynamic partial-order reduction.
 *
 * What varies is what a real machine could do differently. Under SIM_TIMING_ANY (the
 * default) time is abstracted: a compute or a sleep takes any time, a start time or a
 * timeout comes at any moment, so at each step any task that is not blocked on an object
 * may make its next call (world.h, "Stepping"). Under SIM_TIMING_STRICT the simulated
 * clock and the policy decide as in `msgsim run`, and only the random choices vary. In
 * both, the kernel's and the random policies' choices (deliver=random, the random
 * scheduler's pick) are tried one by one.
 *
 * The design choice to know: the search is stateless. Each execution makes a fresh world
 * from the scenario and replays a prefix of decisions (a stack of nodes, one per decision)
 * before it takes new ones; nothing is copied (--stateful adds a digest of each state, see
 * "Stateful search" below). Decisions are reduced with the families' footprints
 * (footprint.h): two steps of different tasks whose footprints do not conflict commute,
 * so only one of their orders is run. The reduction is optimal DPOR with wake-up trees
 * and sleep sets (Abdulla et al., "Optimal dynamic partial order reduction", POPL 2014):
 * every race (two dependent steps not ordered by happens-before) puts the reversed order
 * into a wake-up tree where the first ran, unless a branch there covers it, and the
 * search runs the trees' branches first; a sleep set skips orders already covered.
 * SimExploreOptions.dpor_source keeps the source sets of the same paper instead: one task
 * that starts the reversal, the rest left free (explore.c says where the optimal search
 * falls back to them).
 *
 * An outcome is what a student could observe at the end: per process its calls' results
 * (what each receive got, errnos, return values), how it ended (exit status, signal, or
 * blocked in which call), the messages left in each mailbox and queue, and whether the
 * run deadlocked. Its text is stable (no addresses, no times, no hash order), so a real
 * run's observation can be looked up in the set by text or by its 64-bit hash.
 *
 * Stateful search (--stateful): where every call touches one object, no two steps commute
 * and DPOR explores every interleaving. Many of them meet again in one state (three
 * producers that each put an "item" into a buffer reach the same buffer in any order). The
 * stateful search tries every task at each state and cuts an execution when it reaches a
 * state whose digest (state.c) it has seen: what follows was, or will be, explored from
 * there. The digest includes what each process has observed so far, so two executions
 * meet only when the rest of their outcome is decided alike: the outcome set and every
 * expectation's verdict are those of the full search. An outcome's count is then the
 * executions that reached it before meeting another, not all of its schedules. Not with
 * `expect ... before ...` or `expect time` (they read the order and the clock, which the
 * digest leaves out), nor when the world holds from the start what the digest does not
 * cover (SysV or POSIX queues, descriptors): the search then stays DPOR, and the result
 * says so (SimExploreResult.stateful). In a world of mailboxes and the body's own
 * statements, the stateful search restores snapshots of the world (snap.c) instead of
 * replaying prefixes, and takes a woken call's finish and a quiet exit at once (steps that
 * touch only their own task: explore.c, resuming()); elsewhere it replays.
 *
 * Symmetry (stateful): replicas of one `process NAME[N]` that nothing in the scenario can
 * tell apart (symmetry.c says exactly when) are interchangeable. A state is digested up to
 * their permutations, so that the search explores one state of each class, and the
 * outcome set is closed under the permutations at the end: an outcome found only as the
 * permutation of another has that one's count and its witness with the names swapped.
 *
 * Bounds: executions, wall time and steps per execution; the result says which one cut
 * the search and what it left out. At most SIM_EXPLORE_MAX_TASKS processes (task sets are
 * bit masks).
 */
#ifndef MSGSIM_EXPLORE_H
#define MSGSIM_EXPLORE_H

#include "msgsim/base.h"
#include "msgsim/engine/world.h"
#include "msgsim/lang/scn.h"

#define SIM_EXPLORE_MAX_TASKS 64
#define SIM_EXPLORE_DEFAULT_DEPTH 10000 /* steps per execution */
/* The depth bound counts a step that only one task could make (no decision) as this
 * fraction of a step: 1/16 (explore.c, step_cost). */
#define SIM_EXPLORE_FORCED_PER_STEP 16

typedef enum SimTiming {
	SIM_TIMING_ANY,	   /* time abstracted: every interleaving blocking allows */
	SIM_TIMING_STRICT, /* the clock and policy as in run; only random choices vary */
} SimTiming;

typedef struct SimExploreStats SimExploreStats;

typedef struct SimExploreOptions {
	SimTiming timing;
	guint64 max_executions; /* 0: no bound */
	double max_seconds;	/* wall time; 0: no bound */
	guint max_depth;	/* steps per execution; 0: SIM_EXPLORE_DEFAULT_DEPTH */
	guint64 max_steps;	/* each execution's guard rails (world.h); 0: the defaults */
	guint64 max_memory;
	gboolean no_reduction; /* every interleaving: for tests and to measure the reduction */
	/* The reduction without wake-up trees: source sets and sleep sets only, as before
	 * optimal DPOR was the default (to compare the two; see "Reduction" above). */
	gboolean dpor_source;
	/* Stateful search: every task is tried at each state (no DPOR), and a state whose
	 * digest was seen before is not explored again (see "Stateful search" above). */
	gboolean stateful;
	/* Stateful: every order of a woken call's finish and of a quiet end, not only the
	 * step at once (for tests, and to measure that reduction). */
	gboolean no_eager;
	/* Stateful: replay every prefix from a fresh world instead of restoring snapshots
	 * (for tests: the same walk, counts and witnesses; and to measure the snapshots). */
	gboolean no_snapshots;
	/* Stateful: no symmetry reduction between interchangeable replicas (see "Symmetry"
	 * above): every permutation of them is a state of its own. */
	gboolean no_symmetry;
	/* Stateful walk: no persistent sets (sim/explore/ample.c): every task is tried at
	 * every state but where a woken call finishes. For tests, and to measure them. */
	gboolean no_ample;
	/* One outcome's text to look for (NULL: the whole set). The search stops at the
	 * first execution that ends with exactly this outcome (SimExploreResult.found), and
	 * where the search prunes states (stateful) it also gives up every execution as soon
	 * as a process's results stop being the start of the target's: its results only grow,
	 * so nothing after could match. Not found with complete set: no schedule reaches it.
	 * A free run's outcome that a cut exploration did not meet is looked up so
	 * (sim/real/xcheck_free.c). No symmetry reduction then (a permutation would do). */
	const char *target;
	/* With a target: a schedule (explore's syntax) whose order the search tries first:
	 * at each state, the task whose next step comes soonest in it (a free run's own order,
	 * which the model replayed to the target). Only the order of the search changes. */
	const char *guide;
	/* Called about once a second while the search runs (NULL: never). */
	void (*progress)(void *data, const SimExploreStats *st);
	void *progress_data;
} SimExploreOptions;

/* Counters of a search, so far or in total. */
struct SimExploreStats {
	guint64 executions;   /* executions run to their end (each counted in an outcome) */
	guint64 redundant;    /* executions given up: every task left was asleep (covered) */
	guint64 states;	      /* decision points visited, each once */
	guint64 calls;	      /* steps executed, replays included (the cost of the search) */
	guint64 depth_cut;    /* executions cut at max_depth (not counted in an outcome) */
	guint64 merged;	      /* stateful: executions ended at a state explored before */
	guint64 alone;	      /* stateful walk: states where one step was explored alone */
	guint64 widened;      /* ... of which the cycle proviso expanded in full after all */
	guint64 off_target;   /* target: executions given up as they left the target */
	guint max_depth_seen; /* the longest execution's steps */
	double seconds;	      /* wall time */
};

/* One outcome and the executions that reach it. */
typedef struct SimOutcome {
	char *text;    /* its stable text, lines ending in '\n' (owned) */
	guint64 hash;  /* FNV-1a of text */
	guint64 count; /* executions that reach it */
	char *witness; /* a shortest schedule that reaches it (owned; sim_schedule_parse) */
	guint length;  /* its decisions */
	gboolean deadlock;
} SimOutcome;

/* One expectation over the executions. */
typedef struct SimExpectTally {
	guint64 held, failed; /* executions where it held / failed */
	char *held_witness;   /* a shortest one of each (owned), or NULL */
	char *failed_witness;
	guint held_length, failed_length;
} SimExpectTally;

typedef struct SimExploreResult {
	gboolean complete;  /* the whole space was covered: no bound cut anything (with a
			     * target: covered without finding it) */
	gboolean found;	    /* target: an execution ended with it (its witness is in
			     * outcomes) */
	gboolean stateful;  /* states were pruned (asked for, and the scenario allows it) */
	const char *cut_by; /* the bound that stopped the search, or NULL */
	SimExploreStats stats;
	GPtrArray *outcomes;	 /* SimOutcome *, sorted by text */
	SimExpectTally *tallies; /* by expectation index */
	guint n_tallies;	 /* the scenario's expectations */
	guint64 deadlocks;	 /* executions that end in a deadlock */
	guint64 rail_stops;	 /* executions a guard rail stopped (counted in an outcome) */
	guint symmetric;	 /* stateful: the tasks in groups of interchangeable replicas
				  * (0: no symmetry reduction) */
} SimExploreResult;

/* Operations */
/* Explores scn. FALSE (with error) when it cannot be explored at all (too many processes). */
gboolean sim_explore_run(const SimScenario *scn, const SimExploreOptions *o, SimExploreResult *r,
			 GError **error);
void sim_explore_result_clear(SimExploreResult *r);
/* The outcome text in what `msgsim explore` (or a free run's report) prints for one
 * outcome: its lines without their indentation, the header and witness lines left out
 * (allocated). */
char *sim_outcome_from_printed(const char *printed);

/* Queries */
/* The FNV-1a hash of an outcome's text. */
guint64 sim_outcome_hash(const char *text);
/* A plain expectation under explore means always; the verdict over all executions of e
 * (index i): TRUE when it holds. complete: whether the search covered everything. */
gboolean sim_explore_expect_holds(const SimExploreResult *r, const SimScenario *scn, guint i);

/* ---- Outcome sets being built (outset.c): the scenario search's, and the real programs'
 * (sim/exec/search.c) ---- */
typedef struct SimOutcomeSet SimOutcomeSet;
SimOutcomeSet *sim_outcome_set_new(void);
void sim_outcome_set_free(SimOutcomeSet *s);
void sim_outcome_set_reset(SimOutcomeSet *s); /* empty again */
/* The outcome whose text is text: made (count 0, no witness) when it is new. */
SimOutcome *sim_outcome_set_get(SimOutcomeSet *s, const char *text, gboolean deadlock);
/* Moves the outcomes to r->outcomes, sorted by text, and frees s. */
void sim_outcome_set_finish(SimOutcomeSet *s, SimExploreResult *r);

/* ---- Schedules: witnesses, and `run --schedule` ----
 * A schedule is the decisions of one execution, as text: task names for the steps, `?K`
 * for a random or kernel choice (the K-th allowed one, from 0), separated by commas, a run
 * of one task written NAME*N, and NAME! for NAME's pending alarm coming (time abstracted:
 * its SIGALRM is a step of its own, explore.c). "strict:" before it marks a --timing strict schedule, which
 * holds choices only. "-" is the empty schedule. */
typedef struct SimSchedule SimSchedule;

/* Lifecycle */
/* Reads text against scn's process names; NULL with a clear error when it is malformed. */
SimSchedule *sim_schedule_parse(const SimScenario *scn, const char *text, GError **error);
void sim_schedule_free(SimSchedule *s);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(SimSchedule, sim_schedule_free)

/* Operations */
/* Sets o's chooser so that the world follows s's choices (before sim_world_new). */
void sim_schedule_options(SimSchedule *s, SimWorldOptions *o);
/* Runs w as s says (instead of sim_world_run). FALSE with an error when s does not fit the
 * scenario (a task that cannot step there, a choice out of range, decisions left over);
 * the world then holds the run up to that point. */
gboolean sim_schedule_run(SimSchedule *s, SimWorld *w, GError **error);

/* ---- Observed outcomes: a run made elsewhere, looked up in the set ----
 * A world run outside the explorer (the real kernel's free runs, sim/real/xcheck_free.c)
 * is watched by an observer set as its call hook; at its end the observer writes the
 * outcome in exactly the text the explorer gives, so the two can be compared. */
typedef struct SimObserver SimObserver;

/* Lifecycle */
SimObserver *sim_observer_new(guint n_tasks);
void sim_observer_free(SimObserver *o);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(SimObserver, sim_observer_free)

/* Operations */
/* The call hook (SimCallHook.fn, data the observer): records each finished call. */
void sim_observer_hook(void *data, SimWorld *w, const SimTask *t, const SimStmt *st,
		       SimCallPhase phase);
/* The outcome of the ended world w as the explorer writes it (allocated). */
char *sim_observer_outcome(const SimObserver *o, const SimWorld *w);

#endif /* MSGSIM_EXPLORE_H */
