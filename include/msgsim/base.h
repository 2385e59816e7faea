/* base.h — the few types every msgsim module shares: virtual time, errno names, locations.
 *
 * Time is a signed 64-bit count of nanoseconds of simulated time. It is never read from
 * a real clock and never printed by anyone but the trace module.
 *
 * Results of simulated calls are errno values taken from <errno.h> (0 means success) so
 * that they compare directly with what the real kernel returns in a cross-check run.
 * sim_errno_name() and sim_errno_from_name() convert for the trace and the scenario
 * language; only the names in the table of base.c are known to the language.
 *
 * A SimLoc is a place in a scenario file: 1-based line and column (columns count
 * characters, not bytes). Every user-facing error carries one.
 */
#ifndef MSGSIM_BASE_H
#define MSGSIM_BASE_H

#include <errno.h>
#include <glib.h>

/* ---- Debug checks ----
 * SIM_CHECK(x) asserts an object's invariants (sim_mbox_check, sim_msgq_check ...) after an
 * operation in debug builds (make check-asan defines MSGSIM_DEBUG); it costs nothing
 * otherwise, so the checks can be as thorough as they like. */
#ifdef MSGSIM_DEBUG
#define SIM_CHECK(x) g_assert(x)
#else
#define SIM_CHECK(x) ((void)0)
#endif

/* ---- Time ---- */

typedef gint64 SimTime; /* simulated nanoseconds since the start of the run */

#define SIM_NS ((SimTime)1)
#define SIM_US ((SimTime)1000)
#define SIM_MS ((SimTime)1000000)
#define SIM_S ((SimTime)1000000000)
#define SIM_TIME_MAX G_MAXINT64

/* Parses "5ms", "10us", "3ns", "2s" (a unit is required). FALSE on anything else,
 * including overflow. Used by the scenario parser and the command line alike. */
gboolean sim_time_parse(const char *word, SimTime *out);

/* Sums and products of times that cannot overflow: the result saturates at SIM_TIME_MAX,
 * a time no run reaches (the engine stops at a guard rail before the clock gets there).
 * Operands are >= 0. */
static inline SimTime sim_time_add(SimTime a, SimTime b)
{
	return b > SIM_TIME_MAX - a ? SIM_TIME_MAX : a + b;
}
/* n times `per` (n bytes at a cost per byte); no division on the way. */
static inline SimTime sim_time_mul(SimTime per, guint64 n)
{
	guint64 r;
	if (!g_uint64_checked_mul(&r, (guint64)per, n) || r >= (guint64)SIM_TIME_MAX)
		return SIM_TIME_MAX;
	return (SimTime)r;
}

/* ---- Locations ---- */

typedef struct SimLoc {
	guint line; /* 1-based line in the scenario file; 0 = no location */
	guint col;  /* 1-based column, in characters */
} SimLoc;

/* ---- Simulated call results ---- */

#define SIM_OK 0 /* the call succeeded */

/* Name of an errno value ("EAGAIN"), "ok" for 0, "E?" for an unknown value. */
const char *sim_errno_name(int err);

/* errno value for a name ("EAGAIN" -> EAGAIN); -1 when the name is unknown. "ok" gives 0. */
int sim_errno_from_name(const char *name);

/* One-line English meaning of an errno value, for the text trace ("no message of desired type"). */
const char *sim_errno_text(int err);

/* ---- Deterministic random numbers ----
 *
 * splitmix64: tiny, fast, and the same sequence on every machine and GLib version, which
 * GRand does not promise across releases. Used by the random scheduler and deliver=random.
 */
typedef struct SimRng {
	guint64 state;
} SimRng;

void sim_rng_seed(SimRng *rng, guint64 seed);
guint64 sim_rng_next(SimRng *rng);
guint32 sim_rng_below(SimRng *rng, guint32 n); /* uniform in [0, n); n > 0 */

#endif /* MSGSIM_BASE_H */
