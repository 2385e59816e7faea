/* xcheck_alarm.c — alarm in the lockstep: its SIGALRM at the model's moment, and which of
 * its return values the two clocks let the run compare.
 *
 * The kernel's alarm counts real seconds; the model's counts simulated ones, and an
 * unpaced lockstep spends almost no real time on the model's. So the run keeps the two
 * apart and joins them only where the model's alarm comes due: then the coordinator lets
 * the worker's own pending alarm expire (sim_real_alarm_fire, real_alarm.c), and the kernel
 * sends SIGALRM from its timer as it would have N seconds later, with its own siginfo.
 * Everything the signal does from there - the call it interrupts or restarts, the handler
 * body's siginfo, death by the default action - is compared as after a kill. A row
 * `SIGALRM` says that the kernel, too, had an alarm pending at that point.
 *
 * The one design choice to know: the clocks must not decide anything the run compares, and
 * the rules for that are checked as the run goes, where the times are known:
 *   - what an alarm call returns, when one is pending, is compared only if less than half
 *     a second of model time has passed since that one was set (the model then returns
 *     the seconds it set, and so does the kernel): later, the scenario is refused;
 *   - the kernel's alarm must not come due by itself: a run whose real time comes within
 *     ALARM_GUARD of an alarm's real deadline, or of half a second after it was set when
 *     a later call reads what is left, has failed (the machine was too slow), not
 *     mismatched.
 * A paced run (a scenario with timed calls) is refused before it starts: there model time
 * costs real time too, SIM_XCHECK_PACE times as much, and the kernel's alarm would come
 * due long before the model's.
 */
#include "real/xcheck_int.h"

#include "msgsim/calls/call.h"

/* How close the lockstep may come, in real time, to what the kernel's clock decides. */
#define ALARM_GUARD_US G_GINT64_CONSTANT(250000)

/* The alarm a task's worker has pending, as the run knows it. */
typedef struct XAlarm {
	gint64 set_us; /* real time its alarm call was sent (0: none pending) */
	gint64 secs;   /* ... the seconds it asked for */
} XAlarm;

char *xc_alarm_unsupported(const SimScenario *scn, gboolean paced)
{
	if (!sim_call_alarm_used(scn) || !paced)
		return NULL;
	return g_strdup_printf("alarm in a paced run: its timed calls make model time run "
			       "%d times slower for real, and the kernel's alarm counts "
			       "real seconds, so neither what alarm returns nor when its "
			       "SIGALRM comes would be the model's",
			       SIM_XCHECK_PACE);
}

void xc_alarm_init(Xc *xc)
{
	if (sim_call_alarm_used(xc->scn))
		xc->alarm = g_new0(XAlarm, xc->n + 1);
}

void xc_alarm_free(Xc *xc)
{
	g_clear_pointer(&xc->alarm, g_free);
}

/* Has the run come too close to a real deadline of the kernel's alarm? Then it fails. */
static gboolean too_slow(Xc *xc)
{
	gint64 now = g_get_monotonic_time();
	for (guint i = 0; i < xc->n; i++) {
		const XAlarm *a = &xc->alarm[i];
		if (a->set_us == 0 || now < a->set_us + a->secs * G_USEC_PER_SEC - ALARM_GUARD_US)
			continue;
		fail(xc,
		     "the kernel's alarm of %s, set %" G_GINT64_FORMAT
		     " ms ago for %" G_GINT64_FORMAT " s, would come due before the model's: "
		     "the machine ran the lockstep too slowly",
		     xc->scn->procs[i].name, (now - a->set_us) / 1000, a->secs);
		return TRUE;
	}
	return FALSE;
}

/* An alarm call starts: what it returns must not depend on either clock. */
static void alarm_started(Xc *xc, SimWorld *w, const SimTask *t, const SimStmt *st)
{
	XAlarm *a = &xc->alarm[t->id];
	if (a->set_us != 0 && t->alarm_at != SIM_TIME_MAX) {
		SimTime model = a->secs * SIM_S - (t->alarm_at - sim_world_now(w));
		gint64 real = g_get_monotonic_time() - a->set_us;
		if (model >= SIM_S / 2) {
			xc_refuse(xc,
				  "alarm: %s's alarm (line %u) replaces one set %" G_GINT64_FORMAT
				  " ms of simulated time before, which the kernel does not spend: "
				  "what it returns would be the clocks' difference; only an alarm "
				  "replaced within 500 ms, or after its SIGALRM, is compared",
				  t->name, st->loc.line, (gint64)(model / SIM_MS));
			return;
		}
		if (real >= G_USEC_PER_SEC / 2 - ALARM_GUARD_US) {
			fail(xc,
			     "%s's alarm (line %u) replaces one set %" G_GINT64_FORMAT
			     " ms of real time before: the kernel's would have lost a second; "
			     "the machine ran the lockstep too slowly",
			     t->name, st->loc.line, real / 1000);
			return;
		}
	}
	a->set_us = st->proc.id > 0 ? g_get_monotonic_time() : 0;
	a->secs = st->proc.id;
}

void xc_alarm_follow(Xc *xc, SimWorld *w, const SimTask *t, const SimStmt *st, SimCallPhase ph)
{
	if (!xc->alarm || too_slow(xc))
		return;
	if (ph == SIM_CALL_STARTED && st->kind == SIM_STMT_ALARM)
		alarm_started(xc, w, t, st);
	else if (ph == SIM_CALL_EXITED || ph == SIM_CALL_KILLED)
		xc->alarm[t->id].set_us = 0; /* the process is gone, and its alarm with it */
}

void xc_alarm_due(void *data, SimWorld *w, const SimTask *t)
{
	Xc *xc = data;
	(void)w;
	if (xc->failed || xc->unsupported || xc->free || xc_stopped(xc) || !xc->alarm ||
	    too_slow(xc))
		return;
	XTask *x = &xc->x[t->id];
	xc->alarm[t->id].set_us = 0;
	xc->step++;
	if (!x->started || x->gone || x->died || x->wk.pid <= 0) {
		xc_row(xc, t, "SIGALRM", 0, "due", "no process", FALSE);
		return;
	}
	g_autoptr(GError) err = NULL;
	int fired = sim_real_alarm_fire(x->wk.pid, xc->opt->step_ms, &err);
	if (fired < 0) {
		fail(xc, "%s", err->message);
		return;
	}
	xc_row(xc, t, "SIGALRM", 0, "due", fired ? "due" : "no alarm pending", fired == 1);
	g_autofree char *who = g_strdup_printf("%s's SIGALRM", t->name);
	xc_quiesce(xc, who, x);
}
