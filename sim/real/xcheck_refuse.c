/* xcheck_refuse.c — scenarios the cross-check refuses for what they ask of the machine.
 *
 * One thing a scenario can ask that no worker may do: change the per-user pipe limits
 * fs.pipe-user-pages-soft and -hard, which belong to no namespace and so would change the
 * machine for everyone. That makes the whole scenario not cross-checkable, with the
 * reason, in both namespace modes. (mq_notify ... thread, SIGEV_THREAD, once refused here,
 * is replayed by the lockstep with a real thread of the owner's worker, xcheck_notify.c;
 * only free runs still refuse it, xcheck_free_async.c.) The one design choice to know:
 * this is a refusal of the scenario, not of calls left out one by one, because what
 * follows in the model (the pipes the limits shape) would have nothing real to compare
 * with.
 */
#include "real/xcheck_int.h"

char *xc_machine_unsupported(const SimScenario *scn)
{
	if (scn->limits.pipe_user_set)
		return g_strdup("its sysctl sets pipe_user_pages_soft or pipe_user_pages_hard, "
				"the machine's own fs.pipe-user-pages-* (in no namespace), which "
				"the cross-check never changes");
	return NULL;
}
