/* xcheck_handler.c — handler bodies that send signals, in the lockstep.
 *
 * A body's `kill` is made by the kernel's process from inside its real handler (the worker
 * is handed the body's kills with the sigaction: real_hkill.c), at the moment the kernel
 * runs that handler, and the lockstep makes that the model's moment: the handler of an idle
 * worker (whose caught signals wait blocked for its next call) is let run when the model's
 * body makes its first kill, by a call that does nothing else (kill(pid, 0) on itself); a
 * worker held back in a call a caught signal interrupted is let go on then. The model's kill
 * is then compared with the kernel's, which the handler logged with its result.
 *
 * The one design choice to know: the kernel's handler makes all of a body's kills at once,
 * the model's body one statement after the other, so only what a handler can do is taken:
 * top-level kills (at most SIM_REAL_HKILL_MAX per body; one under `if` would need the body's
 * variables and siginfo in the handler), beside statements no worker makes (print, let,
 * assert, compute). Anything else makes the scenario not cross-checkable, with the reason.
 * The targets' pids are those the coordinator knows when the model's body runs: it keeps
 * them current in the shared page at every step.
 */
#include "real/xcheck_int.h"

#include <signal.h>
#include <string.h>

#include "msgsim/calls/call.h"

/* Why block b of a handler's body holds a call the worker's handler cannot make (static
 * text), or NULL; *kills counts its top-level kills. */
static const char *body_refusal(const SimBlock *b, gboolean top, guint *kills)
{
	for (guint i = 0; i < b->n_stmts; i++) {
		const SimStmt *st = &b->stmts[i];
		const SimBlock *in = sim_stmt_body(st);
		if (in) {
			const char *why = body_refusal(in, FALSE, kills);
			if (why)
				return why;
		}
		if (!sim_call_desc(st->kind)->replay)
			continue;
		if (st->kind != SIM_STMT_KILL)
			return "makes a call other than kill";
		if (!top)
			return "makes a kill under if, which the worker's handler cannot decide";
		if (st->ep.index >= SIM_REAL_HKILL_TASKS)
			return "kills a process past the ones a handler can name";
		if (++*kills > SIM_REAL_HKILL_MAX)
			return "makes more kills than a worker's handler takes (" G_STRINGIFY(
				SIM_REAL_HKILL_MAX) ")";
	}
	return NULL;
}

char *xc_handler_unsupported(const SimScenario *scn)
{
	for (guint i = 0; i < scn->n_bodies; i++) {
		if (!scn->bodies[i]->handler)
			continue;
		guint kills = 0;
		const char *why = body_refusal(&scn->bodies[i]->block, TRUE, &kills);
		if (why)
			return g_strdup_printf(
				"a handler's body %s: the worker's real handler makes "
				"only the body's top-level kills, as the kernel runs "
				"it",
				why);
	}
	return NULL;
}

static gboolean block_kills(const SimBlock *b)
{
	for (guint i = 0; i < b->n_stmts; i++)
		if (b->stmts[i].kind == SIM_STMT_KILL)
			return TRUE;
	return FALSE;
}

void xc_handler_init(Xc *xc)
{
	const SimScenario *scn = xc->scn;
	for (guint i = 0; i < scn->n_bodies && !xc->hkill; i++)
		xc->hkill = scn->bodies[i]->handler && block_kills(&scn->bodies[i]->block);
	if (!xc->hkill)
		return;
	xc->hk_taken = g_new0(guchar, SIM_REAL_HKILL_LOG);
	for (guint i = 0; i < xc->n && i < SIM_REAL_HKILL_TASKS; i++)
		sim_real_hkill_set_pid((int)i, (pid_t)xc_task_pid(xc, (int)i));
}

void xc_handler_free(Xc *xc)
{
	g_clear_pointer(&xc->hk_taken, g_free);
}

void xc_handler_program(Xc *xc, const SimStmt *on, GString *data)
{
	if (!on->proc.has_body)
		return;
	const SimBlock *b = &xc->scn->bodies[on->proc.body]->block;
	for (guint i = 0; i < b->n_stmts; i++) {
		const SimStmt *st = &b->stmts[i];
		if (st->kind == SIM_STMT_KILL)
			g_string_append_printf(data, "%s%" G_GINT64_FORMAT ":%d",
					       data->len ? " " : "", (gint64)st->ep.index,
					       (int)st->proc.sig);
	}
}

/* The model's body is about to kill: the kernel's handler must have run by now. */
static void body_started(Xc *xc, const SimTask *t, const SimStmt *st)
{
	XTask *x = &xc->x[t->id];
	xc->calls++;
	guint mark = x->recv_mark; /* the interrupted call's, kept */
	xc_kernel_started(xc, t, st);
	x->recv_mark = mark;
	if (!x->started || x->gone || x->wk.pid <= 0)
		return; /* found missing when the result is compared */
	if (x->held) {
		xc_release(xc, x, t, st);
	} else if (!x->sent) {
		SimRealResult r;
		gint64 a[6] = { x->wk.pid, 0 };
		if (!xc_call_now(xc, &x->wk, SIM_REAL_KILL, a, NULL, &r, NULL))
			return;
	}
	g_autofree char *who =
		g_strdup_printf("%s's handler, kill (line %u)", t->name, st->loc.line);
	xc_quiesce(xc, who, NULL);
}

/* The model's body killed: compare with the kill the kernel's handler logged. */
static void body_finished(Xc *xc, SimWorld *w, const SimTask *t, const SimStmt *st)
{
	XTask *x = &xc->x[t->id];
	int kerr = 0, found = 0;
	gint64 deadline = g_get_monotonic_time() + (gint64)xc->opt->step_ms * 1000;
	for (gulong pause = 20; x->wk.pid > 0; pause = MIN(pause * 2, 1000)) {
		found = sim_real_hkill_find(x->wk.pid, (int)st->ep.index, (int)st->proc.sig,
					    xc->hk_taken, &kerr);
		if (found || g_get_monotonic_time() > deadline || xc_stopped(xc))
			break;
		g_usleep(pause);
	}
	int merr = sim_world_result(w, st)->err;
	int sig = 0;
	sim_sigbody_info(t, &sig);
	xc->step++;
	g_autofree char *call = g_strdup_printf("kill in %s's handler", sim_scn_signal_name(sig));
	const char *mt = merr ? sim_errno_name(merr) : "ok 0";
	const char *kt = !found ? "no kill made" : kerr ? sim_errno_name(kerr) : "ok 0";
	gboolean match = found && kerr == merr;
	xc_row(xc, t, call, st->loc.line, mt, kt, match);
	XTask k = *x; /* the kernel's answer, as expectations read one */
	k.res.err = kerr;
	k.res.ret = kerr ? -1 : 0;
	xc_kernel_returned(xc, t, st, &k, found, match);
	g_autofree char *who =
		g_strdup_printf("%s's handler, kill (line %u)", t->name, st->loc.line);
	xc_quiesce(xc, who, NULL);
}

gboolean xc_handler_call(Xc *xc, SimWorld *w, const SimTask *t, const SimStmt *st, SimCallPhase ph)
{
	if (!xc->hkill)
		return FALSE;
	/* The pids the kernel's handlers kill: as the coordinator knows them now. */
	for (guint i = 0; i < xc->n && i < SIM_REAL_HKILL_TASKS; i++)
		sim_real_hkill_set_pid((int)i, (pid_t)xc_task_pid(xc, (int)i));
	if (!st || st->kind != SIM_STMT_KILL || !sim_sigbody_active(t))
		return FALSE;
	if (ph == SIM_CALL_STARTED)
		body_started(xc, t, st);
	else if (ph == SIM_CALL_FINISHED)
		body_finished(xc, w, t, st);
	return TRUE;
}
