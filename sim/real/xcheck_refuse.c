/* xcheck_refuse.c — scenarios the cross-check refuses for what they ask of the machine.
 *
 * One thing a scenario can ask that no worker may do: have per-user pipe limits
 * fs.pipe-user-pages-soft and -hard other than the machine's, which belong to no namespace
 * and are never changed (xcheck_users.c decides that). That makes the whole scenario not
 * cross-checkable, with the reason, in both namespace modes. (mq_notify ... thread,
 * SIGEV_THREAD, once refused here, is replayed with a real thread of the owner's worker,
 * xcheck_notify.c.) The one design choice to know: this is a refusal of the scenario, not
 * of calls left out one by one, because what follows in the model (the pipes the limits
 * shape) would have nothing real to compare with.
 */
#include "real/xcheck_int.h"

char *xc_machine_unsupported(const SimScenario *scn)
{
	return xc_pipe_users_unsupported(scn);
}
