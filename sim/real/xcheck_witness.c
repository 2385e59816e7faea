/* xcheck_witness.c — the lockstep following a witness (`msgsim crosscheck --schedule W`)
 * instead of the schedule `msgsim run` shows.
 *
 * A witness is the explorer's own record of one execution (explore.h, "Schedules"): the
 * task of every step, and each random or kernel choice. The lockstep needs nothing new to
 * follow one: the model steps as the witness says (sim_schedule_run, the replay `msgsim
 * run --schedule` makes), and each step's call reaches the kernel through the same hook,
 * in the same order, compared the same way. The plan (xcheck_plan.c) is made from the
 * witness too, so the woken SysV calls it finishes late are held back as for run's.
 *
 * The design choice to know: where the kernel cannot follow the witness (a woken call that
 * looks again, which the witness finishes only after others' calls on its objects, and
 * which cannot be held; or a timed call, whose timeout the witness puts at a step and the
 * kernel at a moment), the replay is refused with why rather than moved to another
 * schedule: a witness asked for by name is followed whole or not at all.
 */
#include "real/xcheck_int.h"

#include "msgsim/explore/explore.h"

void xc_witness_options(Xc *xc, SimWorldOptions *wo)
{
	if (!xc->opt->schedule)
		return;
	g_autoptr(GError) err = NULL;
	xc->witness = sim_schedule_parse(xc->scn, xc->opt->schedule, &err);
	if (!xc->witness) {
		fail(xc, "the witness: %s", err->message);
		return;
	}
	sim_schedule_options(xc->witness, wo);
}

void xc_witness_run(Xc *xc)
{
	if (!xc->opt->schedule) {
		sim_world_run(xc->w);
		return;
	}
	if (!xc->witness)
		return; /* failed in xc_witness_options */
	if (xc->paced) {
		xc_refuse(xc, "a witness with timed calls: the witness puts each timeout at a "
			      "step, the kernel's clock at a moment of real time, and nothing makes "
			      "the two agree");
		return;
	}
	if (xc->plan.diverge) {
		xc_refuse(xc,
			  "the kernel cannot follow the witness from action %u on: %s (without "
			  "--schedule the cross-check follows run's schedule, and where the kernel "
			  "cannot, the woken-first one)",
			  xc->plan.diverge, xc->plan.why);
		return;
	}
	g_autoptr(GError) err = NULL;
	if (!sim_schedule_run(xc->witness, xc->w, &err) && !xc->failed && !xc->unsupported &&
	    !xc_stopped(xc))
		fail(xc, "the witness does not replay: %s", err->message);
}

void xc_witness_free(Xc *xc)
{
	if (xc->witness)
		sim_schedule_free(xc->witness);
	xc->witness = NULL;
}
