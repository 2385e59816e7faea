/* call_alarm.c — the processes family's timer: alarm (kernel/time/itimer.c, alarm_setitimer).
 *
 *   alarm(n)   n > 0: SIGALRM comes n seconds of simulated time from now; n = 0: no alarm.
 *              Either way an alarm set before is gone, and the call returns the seconds it
 *              had left, rounded as the kernel rounds them: to the nearest second, halves
 *              up, and at least 1 while any time was left (0: there was none).
 * The alarm belongs to the process: a forked child starts without one; it fires once.
 *
 * The one design choice to know: the alarm is an event in the world's queue (SIM_EV_ALARM)
 * stamped with the task's alarm generation, which every alarm call bumps, so that a
 * replaced or cancelled alarm's event is stale when it comes up and is dropped, as a
 * sleep's timer is. When it fires, SIGALRM goes through sim_world_signal like any other
 * signal: its default action ends the process, a handler interrupts a blocked call.
 *
 * Cross-check: the call is replayed with the kernel's alarm(), and where the model's alarm
 * comes due the kernel's is made to come due too (xcheck_alarm.c, real_alarm.c), so that
 * its SIGALRM is compared by what it does. The return value is compared where no clock
 * decides it: an alarm replaced less than half a second of model time after it was set
 * returns the whole seconds it set on both sides; a later one refuses the scenario, as
 * does a paced run.
 */
#include "calls/call_int.h"

#include "engine/interp_int.h"
#include "lang/scn_int.h"
#include "real/xcheck_int.h"

/* alarm takes an unsigned int. */
#define ALARM_MAX G_GINT64_CONSTANT(4294967295)

/* ---- What the call asked for ---- */

static void alarm_text(GString *s, const SimTraceEvent *ev)
{
	g_string_append_printf(s, "alarm %" G_GINT64_FORMAT, ev->stmt->proc.id);
}

static void alarm_json(GString *s, const SimTraceEvent *ev)
{
	sim_trace_json_int(s, "seconds", ev->stmt->proc.id);
}

/* What came of it: the seconds the earlier alarm had left. */
static void alarm_result(GString *s, const SimTraceEvent *ev, const char *arrow)
{
	if (sim_call_result_head(s, ev, arrow))
		g_string_append_printf(s, ", %" G_GINT64_FORMAT " s left", ev->ret);
}

/* ---- Parsing ---- */

/* alarm SECONDS [-> VAR]: VAR gets the seconds the earlier alarm had left. */
static gboolean alarm_parse(Parser *p, SimStmt *st)
{
	st->proc = (SimProcArgs){ 0 };
	SimLoc arrow = { 0, 0 };
	if (!scn_take_int(p, "seconds", "after 'alarm'", 0, ALARM_MAX, &st->proc.id))
		return FALSE;
	return !at_arrow(p) || scn_take_arrow(p, st, ROLE_STATUS, &arrow);
}

/* ---- Execution ---- */

/* What alarm() returns for an alarm due in `left` (> 0) nanoseconds. */
gint64 sim_call_alarm_seconds_left(SimTime left)
{
	gint64 sec = left / SIM_S, ns = left % SIM_S;
	if ((sec == 0 && ns > 0) || ns >= SIM_S / 2)
		sec++;
	return sec;
}

static void alarm_exec(SimWorld *w, SimTask *t, const SimStmt *st)
{
	sim_interp_started(w, st);
	sim_world_charge(w, w->scn->cost_syscall);
	SimTime now = sim_world_now(w);
	gint64 left =
		t->alarm_at == SIM_TIME_MAX ? 0 : sim_call_alarm_seconds_left(t->alarm_at - now);
	SimTime at = SIM_TIME_MAX;
	if (st->proc.id > 0)
		at = sim_world_later(w, t, st, st->proc.id * SIM_S);
	sim_world_alarm(w, t, at);
	if (st->var >= 0)
		t->vars[st->var].num = left;
	if (w->trace) {
		SimTraceEvent ev;
		sim_interp_call_event_init(&ev, w, SIM_TR_CALL, t, st, NULL, NULL, 0, NULL, -1);
		ev.ret = left;
		sim_world_emit(w, &ev);
	}
	sim_interp_finish(w, t, st, 0, left);
}

/* ---- Cross-check and exploration ---- */

static gboolean block_sets_alarm(const SimBlock *b)
{
	for (guint i = 0; i < b->n_stmts; i++) {
		const SimBlock *body = sim_stmt_body(&b->stmts[i]);
		if (b->stmts[i].kind == SIM_STMT_ALARM || (body && block_sets_alarm(body)))
			return TRUE;
	}
	return FALSE;
}

gboolean sim_call_alarm_used(const SimScenario *scn)
{
	for (guint i = 0; i < scn->n_bodies; i++)
		if (block_sets_alarm(&scn->bodies[i]->block))
			return TRUE;
	return FALSE;
}

/* The worker calls alarm() itself: a forked child starts without an alarm there too. */
static gboolean alarm_replay(SimReplay *r)
{
	r->c->op = SIM_REAL_ALARM;
	r->c->a[0] = r->st->proc.id;
	return TRUE;
}

/* ---- Footprint ---- */

/* The task's own alarm: read (what is left) and changed, and what its SIGALRM may do to
 * the task, up to ending it. */
static void alarm_footprint(const SimWorld *w, const SimTask *t, const SimStmt *st,
			    SimFootprint *fp)
{
	(void)st;
	sim_call_fp_self(fp, t, TRUE);
	sim_call_footprint_end(w, t, fp);
}

const SimCallDesc sim_call_alarm_rows[] = {
	{ .kind = SIM_STMT_ALARM,
	  .name = "alarm",
	  .family = SIM_CALL_PROC,
	  .text_call = alarm_text,
	  .text_result = alarm_result,
	  .json_call = alarm_json,
	  .json_result = sim_call_json_ret,
	  .exec = alarm_exec,
	  .parse = alarm_parse,
	  .real_name = "alarm",
	  .replay = alarm_replay,
	  .footprint = alarm_footprint },
};
const guint sim_call_alarm_n_rows = G_N_ELEMENTS(sim_call_alarm_rows);
