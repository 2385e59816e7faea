/* xcheck_alarm.c — which scenarios with alarm the cross-check can replay.
 *
 * The kernel's alarm counts real seconds; the model's counts simulated ones, and the
 * lockstep runs the two clocks apart (unpaced: model time costs nothing real; paced: it
 * costs SIM_XCHECK_PACE times as much). So the part of alarm that is compared is the part
 * no clock decides: in a run whose model time stays under half a second, no alarm of the
 * model fires (the shortest is one second), and every alarm call returns what the one
 * before it set, whole on both sides, since alarm() rounds the time left to the nearest
 * second. The one design choice to know: the rule reads the model's own run (its end
 * time, as `msgsim run` ends) rather than the statements, so that a sleep or a timeout
 * that stays short does not refuse a scenario, and any run where an alarm could fire,
 * or lose a second, is refused with the time that decides it.
 */
#include "real/xcheck_int.h"

#include "msgsim/calls/call.h"

/* Below this much model time an alarm call's return value does not depend on the clock. */
#define ALARM_EXACT (SIM_S / 2)

char *xc_alarm_unsupported(const SimScenario *scn, SimTime end, gboolean paced)
{
	if (!sim_call_alarm_used(scn))
		return NULL;
	if (paced)
		return g_strdup_printf("alarm in a paced run: its timed calls make model time run "
				       "%d times slower for real, and the kernel's alarm counts "
				       "real seconds, so neither what alarm returns nor when its "
				       "SIGALRM comes would be the model's",
				       SIM_XCHECK_PACE);
	if (end >= ALARM_EXACT)
		return g_strdup_printf("alarm: the model's run takes %" G_GINT64_FORMAT
				       " ms of simulated time, which the kernel does not "
				       "spend, and its alarm counts real seconds; only a run "
				       "under 500 ms, where no alarm fires and each returns "
				       "the whole seconds the one before it set, is compared",
				       (gint64)(end / SIM_MS));
	return NULL;
}
